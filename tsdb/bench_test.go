package tsdb_test

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/tinhso/tinhso/tsdb"
	"github.com/tinhso/tinhso/tsdb/internal/synth"
)

// The benchmarks report points/s besides ns/op; the target data is the issue's: one
// point every 10 s, two decimals varying slowly, in 2 h blocks of 720 points.

const blockPoints = 720

func perPoint(b *testing.B, pointsPerOp int) {
	b.ReportMetric(float64(pointsPerOp)*float64(b.N)/b.Elapsed().Seconds(), "points/s")
}

func benchEncode(b *testing.B, in []tsdb.Point) {
	var buf []byte
	var err error
	b.ReportAllocs()
	for b.Loop() {
		if buf, err = tsdb.AppendBlock(buf[:0], in); err != nil {
			b.Fatal(err)
		}
	}
	perPoint(b, len(in))
	b.ReportMetric(float64(len(buf))/float64(len(in)), "bytes/point")
}

func benchDecode(b *testing.B, in []tsdb.Point) {
	enc, err := tsdb.EncodeBlock(in)
	if err != nil {
		b.Fatal(err)
	}
	out := make([]tsdb.Point, 0, len(in))
	b.ReportAllocs()
	for b.Loop() {
		if out, err = tsdb.AppendDecodeBlock(out[:0], enc); err != nil {
			b.Fatal(err)
		}
	}
	perPoint(b, len(in))
}

func BenchmarkEncodeTarget(b *testing.B) { benchEncode(b, synth.Target(1, synth.Start, blockPoints)) }
func BenchmarkDecodeTarget(b *testing.B) { benchDecode(b, synth.Target(1, synth.Start, blockPoints)) }
func BenchmarkEncodeRandomWalk(b *testing.B) {
	benchEncode(b, synth.RandomWalk(1, synth.Start, blockPoints))
}
func BenchmarkDecodeRandomWalk(b *testing.B) {
	benchDecode(b, synth.RandomWalk(1, synth.Start, blockPoints))
}
func BenchmarkEncodeJittered(b *testing.B) {
	benchEncode(b, synth.Jittered(1, synth.Start, blockPoints))
}

// BenchmarkMergeIntoBlock is the cost of folding a head of 60 points (10 of them
// rewriting stored times, 50 new) into a stored block of 670: decode, merge, encode.
func BenchmarkMergeIntoBlock(b *testing.B) {
	all := synth.Target(1, synth.Start, blockPoints)
	stored, err := tsdb.EncodeBlock(all[:670])
	if err != nil {
		b.Fatal(err)
	}
	head := append(append([]tsdb.Point(nil), all[600:610]...), all[670:]...)
	for i := range 10 {
		head[i].V += 1
	}
	l := mustLayout(b, 2*time.Hour)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		blocks, err := l.FoldHead(head, func(int64) ([]tsdb.Point, error) { return tsdb.DecodeBlock(stored) })
		if err != nil || len(blocks) != 1 {
			b.Fatal(err)
		}
		if buf, err = tsdb.AppendBlock(buf[:0], blocks[0].Points); err != nil {
			b.Fatal(err)
		}
	}
	perPoint(b, len(head))
}

// BenchmarkRollupUpdate is the cost of recomputing the rollups of one changed block
// of 720 points: its minute page, two hour buckets, one or two day buckets, with the
// pages it reads decoded from their stored form.
func BenchmarkRollupUpdate(b *testing.B) {
	l := mustLayout(b, 2*time.Hour)
	s := newStore(l)
	day := synth.Target(1, synth.Start, 8640*2)
	s.head = [][]tsdb.Point{day}
	s.foldTB(b)
	block := tsdb.Between(day, l.BlockStart(synth.Start+int64(16*time.Hour)), l.BlockStart(synth.Start+int64(16*time.Hour))+int64(2*time.Hour))
	b.ReportAllocs()
	for b.Loop() {
		u := l.NewRollupUpdate(s.getPage)
		if err := u.Block(l.BlockStart(synth.Start+int64(16*time.Hour)), block); err != nil {
			b.Fatal(err)
		}
		for _, p := range u.Pages() {
			if _, err := tsdb.AppendPage(nil, p.Buckets); err != nil {
				b.Fatal(err)
			}
		}
	}
	perPoint(b, len(block))
}

// lineBody returns n lines of line protocol over 1,000 series at second precision.
func lineBody(n int, tags bool) []byte {
	var buf bytes.Buffer
	series := make([][]tsdb.Point, 1000)
	for i := range series {
		series[i] = synth.Target(uint64(i), synth.Start, n/1000+1)
	}
	for i := range n {
		s, k := i%1000, i/1000
		p := series[s][k]
		if tags {
			fmt.Fprintf(&buf, "air,district=d%02d,station=s%04d pm25=%s,value=%s %d\n", s%30, s, strconv.FormatFloat(p.V, 'f', -1, 64), strconv.FormatFloat(p.V+1, 'f', -1, 64), p.T/1e9)
		} else {
			fmt.Fprintf(&buf, "sensor_%04d value=%s %d\n", s, strconv.FormatFloat(p.V, 'f', -1, 64), p.T/1e9)
		}
	}
	return buf.Bytes()
}

func benchParse(b *testing.B, body []byte, pointsPerBody int) {
	now := time.Unix(0, synth.Start).Add(30 * 24 * time.Hour)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		got, err := tsdb.ParseLines(body, tsdb.ParseOptions{Unit: time.Second, Now: now})
		if err != nil || got.Len() != pointsPerBody {
			b.Fatalf("%v, %v", got, err)
		}
	}
	perPoint(b, pointsPerBody)
}

// BenchmarkParseLines parses a body of 10,000 lines, one point each (`sensor_0042
// value=21.37 1767200400`); BenchmarkParseLinesTags lines with two tags and two
// fields (`air,district=d12,station=s0042 pm25=21.37,value=22.37 1767200400`).
func BenchmarkParseLines(b *testing.B)     { benchParse(b, lineBody(10000, false), 10000) }
func BenchmarkParseLinesTags(b *testing.B) { benchParse(b, lineBody(10000, true), 20000) }

// BenchmarkDayAtMinute is the pure part of a one-day query at 1 minute: decoding the
// 13 minute pages that hold its 1,440 buckets.
func BenchmarkDayAtMinute(b *testing.B) {
	l := mustLayout(b, 2*time.Hour)
	s := newStore(l)
	s.head = [][]tsdb.Point{synth.Target(1, synth.Start, 8640*2)}
	s.foldTB(b)
	from := synth.Start + int64(6*time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		u := l.NewRollupUpdate(s.getPage)
		bs, err := u.Buckets(tsdb.Minute, from, from+int64(24*time.Hour))
		if err != nil || len(bs) != 1440 {
			b.Fatal(len(bs), err)
		}
	}
}
