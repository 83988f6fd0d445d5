// Command tsdbbench prints the figures of the time-series core in one run: stored
// bytes per point of the target data (1,000 series, one point every 10 s,
// two decimals varying slowly) and of harder data, and the rates of encoding,
// decoding, merging, rollups and line-protocol parsing.
//
// Each rate is given per second of wall clock and per second of CPU time used by the
// process: on a shared machine the first falls with the load, the second much less.
// Every workload runs on one goroutine.
//
//	go run ./tsdb/cmd/tsdbbench [-series 1000] [-days 1] [-seconds 2]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"syscall"
	"time"
	_ "time/tzdata"

	"github.com/tinhso/tinhso/tsdb"
	"github.com/tinhso/tinhso/tsdb/internal/synth"
)

func main() {
	series := flag.Int("series", 1000, "number of series")
	days := flag.Int("days", 1, "days of data per series for the size figures")
	seconds := flag.Float64("seconds", 2, "time to run each rate measurement")
	flag.Parse()
	log.SetFlags(0)

	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		log.Fatal(err)
	}
	layout, err := tsdb.NewLayout(tsdb.DefaultBlockSpan, loc)
	if err != nil {
		log.Fatal(err)
	}
	perSeries := *days * 8640
	fmt.Printf("tsdb core figures: %d series × %d points (%d day(s) at 10 s), blocks of %v\n\n", *series, perSeries, *days, layout.BlockSpan())

	fmt.Println("stored size, raw blocks only (aim for the target data: ≤ 2 bytes/point)")
	for _, d := range []struct {
		name string
		gen  func(uint64, int64, int) []tsdb.Point
	}{
		{"target: two decimals varying slowly", synth.Target},
		{"same values, times jittered ±500 ms at ms precision", synth.Jittered},
		{"random-walk floats, full precision", synth.RandomWalk},
	} {
		var size, n, blocks int
		for s := range *series {
			for _, b := range layout.SplitBlocks(d.gen(uint64(s), synth.Start, perSeries)) {
				enc, err := tsdb.EncodeBlock(b.Points)
				if err != nil {
					log.Fatal(err)
				}
				size += len(enc)
				n += len(b.Points)
				blocks++
			}
		}
		fmt.Printf("  %-52s %6.3f bytes/point  (%d points, %d blocks, %.1f MB)\n", d.name, float64(size)/float64(n), n, blocks, float64(size)/1e6)
	}

	// Rollup pages of the target data: their size per raw point, and the largest page
	// (SQLite keeps up to about 1,000 bytes of a WITHOUT ROWID row in a 4 KB page).
	var pageBytes [5]int
	var pageMax [5]int
	var pageRows [5]int
	var points int
	for s := range *series {
		pts := synth.Target(uint64(s), synth.Start, perSeries)
		points += len(pts)
		for res := tsdb.Minute; res <= tsdb.Day; res++ {
			bs := layout.Rollup(res, pts)
			for len(bs) > 0 {
				start := layout.PageStart(res, bs[0].Start)
				n := len(tsdb.BucketsBetween(bs, start, start+layout.PageSpan(res)))
				enc, err := tsdb.AppendPage(nil, bs[:n])
				if err != nil {
					log.Fatal(err)
				}
				pageBytes[res] += len(enc)
				pageMax[res] = max(pageMax[res], len(enc))
				pageRows[res]++
				bs = bs[n:]
			}
		}
	}
	fmt.Println("\nrollup pages of the target data")
	for res := tsdb.Minute; res <= tsdb.Day; res++ {
		fmt.Printf("  %-4v %6.3f bytes/raw point, %7d pages, mean %5d bytes, largest %5d bytes\n", res,
			float64(pageBytes[res])/float64(points), pageRows[res], pageBytes[res]/pageRows[res], pageMax[res])
	}

	fmt.Printf("\nrates (one goroutine, %.0f s each): per wall second | per CPU second\n", *seconds)
	run := func(name string, unit string, perOp int, op func()) {
		op() // warm up
		w0, c0 := time.Now(), cpuTime()
		ops := 0
		for time.Since(w0).Seconds() < *seconds {
			op()
			ops++
		}
		wall, cpu := time.Since(w0).Seconds(), (cpuTime() - c0).Seconds()
		work := float64(ops * perOp)
		fmt.Printf("  %-52s %12s | %12s %s\n", name, human(work/wall), human(work/cpu), unit)
	}

	target := synth.Target(1, synth.Start, 720)
	walk := synth.RandomWalk(1, synth.Start, 720)
	encTarget, _ := tsdb.EncodeBlock(target)
	encWalk, _ := tsdb.EncodeBlock(walk)
	var buf []byte
	out := make([]tsdb.Point, 0, 720)
	run("encode, target data (720-point blocks)", "points/s", 720, func() { buf, _ = tsdb.AppendBlock(buf[:0], target) })
	run("decode, target data", "points/s", 720, func() { out, _ = tsdb.AppendDecodeBlock(out[:0], encTarget) })
	run("encode, random-walk floats", "points/s", 720, func() { buf, _ = tsdb.AppendBlock(buf[:0], walk) })
	run("decode, random-walk floats", "points/s", 720, func() { out, _ = tsdb.AppendDecodeBlock(out[:0], encWalk) })

	// A head of 60 points (10 rewriting stored times) folded into a block of 670.
	stored, _ := tsdb.EncodeBlock(target[:670])
	head := append(append([]tsdb.Point(nil), target[600:610]...), target[670:]...)
	for i := range 10 {
		head[i].V++
	}
	load := func(int64) ([]tsdb.Point, error) { return tsdb.DecodeBlock(stored) }
	run("merge: 60-point head into a 670-point block, re-encoded", "points/s", len(head), func() {
		bs, err := layout.FoldHead(head, load)
		if err != nil || len(bs) != 1 {
			log.Fatal(err)
		}
		buf, _ = tsdb.AppendBlock(buf[:0], bs[0].Points)
	})

	// Rollups of a changed block, reading and writing encoded pages.
	day := synth.Target(1, synth.Start, 8640*2)
	pages := map[tsdb.Resolution]map[int64][]byte{tsdb.Minute: {}, tsdb.Hour: {}, tsdb.Day: {}}
	get := func(res tsdb.Resolution, start int64) ([]tsdb.Bucket, error) {
		if b, ok := pages[res][start]; ok {
			return tsdb.DecodePage(b)
		}
		return nil, nil
	}
	u := layout.NewRollupUpdate(get)
	for _, b := range layout.SplitBlocks(day) {
		if err := u.Block(b.Start, b.Points); err != nil {
			log.Fatal(err)
		}
	}
	for _, p := range u.Pages() {
		pages[p.Res][p.Start], _ = tsdb.AppendPage(nil, p.Buckets)
	}
	blockStart := layout.BlockStart(synth.Start + int64(16*time.Hour))
	block := tsdb.Between(day, blockStart, blockStart+int64(layout.BlockSpan()))
	run("rollup update of a changed 720-point block", "points/s", len(block), func() {
		u := layout.NewRollupUpdate(get)
		if err := u.Block(blockStart, block); err != nil {
			log.Fatal(err)
		}
		for _, p := range u.Pages() {
			if _, err := tsdb.AppendPage(nil, p.Buckets); err != nil {
				log.Fatal(err)
			}
		}
	})
	// The pure part of a one-day query at 1 minute: decode the 13 minute pages.
	from := time.Unix(0, synth.Start).Add(6 * time.Hour).UnixNano()
	to := from + int64(24*time.Hour)
	run("1-day query at 1 min: decode 13 minute pages", "queries/s", 1, func() {
		u := layout.NewRollupUpdate(get)
		bs, err := u.Buckets(tsdb.Minute, from, to)
		if err != nil || len(bs) != 1440 {
			log.Fatal(len(bs), err)
		}
	})

	now := time.Unix(0, synth.Start).Add(30 * 24 * time.Hour)
	for _, tags := range []bool{false, true} {
		body, points := lineBody(10000, tags)
		name := "parse line protocol: `sensor_0042 value=21.37 <s>`"
		if tags {
			name = "parse line protocol: 2 tags, 2 fields per line"
		}
		run(name, "points/s", points, func() {
			b, err := tsdb.ParseLines(body, tsdb.ParseOptions{Unit: time.Second, Now: now})
			if err != nil || b.Len() != points {
				log.Fatal(err)
			}
		})
	}
}

// lineBody returns n lines over 1,000 series, and the number of points they hold.
func lineBody(n int, tags bool) ([]byte, int) {
	var buf bytes.Buffer
	series := make([][]tsdb.Point, 1000)
	for i := range series {
		series[i] = synth.Target(uint64(i), synth.Start, n/1000+1)
	}
	for i := range n {
		s, k := i%1000, i/1000
		p := series[s][k]
		v := strconv.FormatFloat(p.V, 'f', -1, 64)
		if tags {
			fmt.Fprintf(&buf, "air,district=d%02d,station=s%04d pm25=%s,value=%s %d\n", s%30, s, v, v, p.T/1e9)
		} else {
			fmt.Fprintf(&buf, "sensor_%04d value=%s %d\n", s, v, p.T/1e9)
		}
	}
	if tags {
		return buf.Bytes(), 2 * n
	}
	return buf.Bytes(), n
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func human(x float64) string {
	switch {
	case x >= 1e6:
		return fmt.Sprintf("%.2f M", x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%.1f k", x/1e3)
	}
	return fmt.Sprintf("%.0f", x)
}
