package tsdb_test

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/tinhso/tinhso/tsdb"
	"github.com/tinhso/tinhso/tsdb/internal/synth"
)

func TestRollupAggregates(t *testing.T) {
	t.Parallel()
	l := mustLayout(t, 2*time.Hour)
	at := func(s string) int64 {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UnixNano()
	}
	in := []tsdb.Point{
		{T: at("2026-03-01T16:59:00Z"), V: 3},
		{T: at("2026-03-01T16:59:30Z"), V: 1},
		{T: at("2026-03-01T16:59:59Z"), V: 2},  // 23:59:59 on 1 March in Hà Nội
		{T: at("2026-03-01T17:00:00Z"), V: 10}, // midnight of 2 March
		{T: at("2026-03-01T18:30:00Z"), V: 20},
	}
	agg := func(start string, count int64, sum, lo, hi, last float64) tsdb.Bucket {
		return tsdb.Bucket{Start: at(start), Agg: tsdb.Agg{Count: count, Sum: sum, Min: lo, Max: hi, Last: last}}
	}
	tests := []struct {
		res  tsdb.Resolution
		want []tsdb.Bucket
	}{
		{tsdb.Minute, []tsdb.Bucket{agg("2026-03-01T16:59:00Z", 3, 6, 1, 3, 2), agg("2026-03-01T17:00:00Z", 1, 10, 10, 10, 10), agg("2026-03-01T18:30:00Z", 1, 20, 20, 20, 20)}},
		{tsdb.Hour, []tsdb.Bucket{agg("2026-03-01T16:00:00Z", 3, 6, 1, 3, 2), agg("2026-03-01T17:00:00Z", 1, 10, 10, 10, 10), agg("2026-03-01T18:00:00Z", 1, 20, 20, 20, 20)}},
		{tsdb.Day, []tsdb.Bucket{agg("2026-02-28T17:00:00Z", 3, 6, 1, 3, 2), agg("2026-03-01T17:00:00Z", 2, 30, 10, 20, 20)}},
	}
	for _, tt := range tests {
		if got := l.Rollup(tt.res, in); !slices.Equal(got, tt.want) {
			t.Errorf("%v: got %v, want %v", tt.res, got, tt.want)
		}
	}
	if m := (tsdb.Agg{Count: 4, Sum: 10}).Mean(); m != 2.5 {
		t.Errorf("Mean = %v", m)
	}
}

// TestDayBuckets: days begin at midnight in Asia/Ho_Chi_Minh, which was UTC+8 until
// 13 June 1975: the 12th had 25 hours.
func TestDayBuckets(t *testing.T) {
	t.Parallel()
	l := mustLayout(t, 2*time.Hour)
	for _, tt := range []struct {
		at, start string
		hours     int
	}{
		{"2026-03-01T16:59:59.999999999Z", "2026-02-28T17:00:00Z", 24},
		{"2026-03-01T17:00:00Z", "2026-03-01T17:00:00Z", 24},
		{"1975-06-12T10:00:00Z", "1975-06-11T16:00:00Z", 25},
		{"1975-06-13T10:00:00Z", "1975-06-12T17:00:00Z", 24},
		{"1970-01-01T00:00:00Z", "1969-12-31T16:00:00Z", 24},
	} {
		at, _ := time.Parse(time.RFC3339Nano, tt.at)
		want, _ := time.Parse(time.RFC3339, tt.start)
		start := l.BucketStart(tsdb.Day, at.UnixNano())
		if start != want.UnixNano() {
			t.Errorf("day of %s starts %s, want %s", tt.at, time.Unix(0, start).UTC(), tt.start)
		}
		if got := time.Duration(l.NextBucket(tsdb.Day, start) - start); got != time.Duration(tt.hours)*time.Hour {
			t.Errorf("day of %s lasts %v, want %dh", tt.at, got, tt.hours)
		}
	}
	// Hour buckets over the 25-hour day sum up to it.
	var in []tsdb.Point
	from := time.Date(1975, 6, 11, 16, 0, 0, 0, time.UTC).UnixNano()
	for i := range 25 * 60 {
		in = append(in, tsdb.Point{T: from + int64(i)*int64(time.Minute), V: 1})
	}
	if days := l.Rollup(tsdb.Day, in); len(days) != 1 || days[0].Count != 1500 {
		t.Errorf("25-hour day: %v", days)
	}
}

func TestPageRoundTrip(t *testing.T) {
	t.Parallel()
	l := mustLayout(t, 2*time.Hour)
	for _, in := range [][]tsdb.Point{
		synth.Target(1, synth.Start, 8640),
		synth.RandomWalk(2, synth.Start, 8640),
		{{T: 0, V: math.Copysign(0, -1)}},
	} {
		for res := tsdb.Minute; res <= tsdb.Day; res++ {
			bs := l.Rollup(res, in)
			enc, err := tsdb.AppendPage(nil, bs)
			if err != nil {
				t.Fatal(err)
			}
			got, err := tsdb.DecodePage(enc)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(bs) {
				t.Fatalf("%v: %d buckets, want %d", res, len(got), len(bs))
			}
			for i := range got {
				a, b := got[i], bs[i]
				if a.Start != b.Start || a.Count != b.Count || math.Float64bits(a.Sum) != math.Float64bits(b.Sum) ||
					math.Float64bits(a.Min) != math.Float64bits(b.Min) || math.Float64bits(a.Max) != math.Float64bits(b.Max) ||
					math.Float64bits(a.Last) != math.Float64bits(b.Last) {
					t.Fatalf("%v bucket %d: %v, want %v", res, i, a, b)
				}
			}
			for n := 0; n < len(enc); n += 1 + len(enc)/300 {
				if _, err := tsdb.DecodePage(enc[:n]); !errors.Is(err, tsdb.ErrCorrupt) {
					t.Fatalf("%v truncated to %d: %v", res, n, err)
				}
			}
			if _, err := tsdb.DecodeBlock(enc); !errors.Is(err, tsdb.ErrCorrupt) {
				t.Fatalf("a page decoded as a block: %v", err)
			}
		}
	}
	if _, err := tsdb.AppendPage(nil, nil); !errors.Is(err, tsdb.ErrEmpty) {
		t.Errorf("empty page: %v", err)
	}
	if _, err := tsdb.AppendPage(nil, []tsdb.Bucket{{Start: 1}}); err == nil {
		t.Error("a bucket of no points was taken")
	}
	if _, err := tsdb.AppendPage(nil, []tsdb.Bucket{{Start: 2, Agg: tsdb.Agg{Count: 1}}, {Start: 1, Agg: tsdb.Agg{Count: 1}}}); err == nil {
		t.Error("buckets out of order were taken")
	}
}

func TestRollupUpdateRefuses(t *testing.T) {
	t.Parallel()
	l := mustLayout(t, 2*time.Hour)
	none := func(tsdb.Resolution, int64) ([]tsdb.Bucket, error) { return nil, nil }
	u := l.NewRollupUpdate(none)
	h := int64(time.Hour)
	if err := u.Block(h, nil); err == nil {
		t.Error("a start off the block grid was taken")
	}
	if err := u.Block(0, pts(2*h, 1)); err == nil {
		t.Error("a point outside the block was taken")
	}
	if err := u.Block(0, pts(2, 1, 1, 1)); err == nil {
		t.Error("disorder was taken")
	}
	if _, err := u.Buckets(tsdb.Raw, 0, h); err == nil {
		t.Error("raw buckets")
	}
	boom := errors.New("boom")
	u = l.NewRollupUpdate(func(tsdb.Resolution, int64) ([]tsdb.Bucket, error) { return nil, boom })
	if err := u.Block(0, pts(1, 1)); !errors.Is(err, boom) {
		t.Errorf("the getter's error was lost: %v", err)
	}
	// A block that becomes empty deletes its minute page and its buckets above.
	s := newStore(l)
	s.write(pts(10, 1, 3*h, 2))
	s.fold(t)
	u = l.NewRollupUpdate(s.getPage)
	if err := u.Block(0, nil); err != nil {
		t.Fatal(err)
	}
	for _, p := range u.Pages() {
		if p.Res == tsdb.Minute && p.Start == 0 && len(p.Buckets) != 0 {
			t.Errorf("minute page of the emptied block: %v", p.Buckets)
		}
		if p.Res == tsdb.Hour && (len(p.Buckets) != 1 || p.Buckets[0].Start != 3*h) {
			t.Errorf("hour page: %v", p.Buckets)
		}
	}
}

func TestRetention(t *testing.T) {
	t.Parallel()
	l := mustLayout(t, 2*time.Hour)
	now := time.Date(2026, 3, 10, 15, 30, 0, 0, vietnam)
	cutoff := l.Cutoff(now, 7*24*time.Hour)
	if want := time.Date(2026, 3, 3, 0, 0, 0, 0, vietnam).UnixNano(); cutoff != want {
		t.Fatalf("Cutoff = %v, want local midnight %v", time.Unix(0, cutoff).In(vietnam), time.Unix(0, want).In(vietnam))
	}
	// Local midnight is 17:00 UTC: inside the block of 16:00–18:00 UTC.
	drop, partial := l.CutRange(tsdb.Raw, cutoff)
	if drop != cutoff-int64(time.Hour) || !partial {
		t.Errorf("CutRange(raw) = %v, %v", time.Unix(0, drop).UTC(), partial)
	}
	if drop, partial := l.CutRange(tsdb.Minute, cutoff); drop != cutoff-int64(time.Hour) || !partial {
		t.Errorf("CutRange(1m) = %v, %v", time.Unix(0, drop).UTC(), partial)
	}
	if drop, partial := l.CutRange(tsdb.Day, cutoff); drop > cutoff || (drop < cutoff) != partial {
		t.Errorf("CutRange(1d) = %v, %v", drop, partial)
	}
	// Cutting the points and every rollup at the cutoff equals rolling up what is left:
	// no bucket straddles a local midnight.
	in := synth.Target(5, cutoff-int64(30*time.Hour), 60*360)
	kept := tsdb.CutPoints(in, cutoff)
	if len(kept) == 0 || kept[0].T < cutoff || tsdb.CutPoints(in, cutoff-int64(31*time.Hour))[0] != in[0] {
		t.Fatal("CutPoints")
	}
	for res := tsdb.Minute; res <= tsdb.Day; res++ {
		if got, want := tsdb.CutBuckets(l.Rollup(res, in), cutoff), l.Rollup(res, kept); !slices.Equal(got, want) {
			t.Errorf("%v: cut rollups differ from rollups of the cut points", res)
		}
	}
}

func TestCovering(t *testing.T) {
	t.Parallel()
	l := mustLayout(t, 2*time.Hour)
	m := int64(time.Minute)
	for _, tt := range []struct{ from, to, lo, hi int64 }{
		{0, 60 * m, 0, 60 * m},
		{1, 60 * m, m, 60 * m},
		{m, 2*m + 1, m, 3 * m},
		{5 * m, 5 * m, 5 * m, 5 * m},
	} {
		if lo, hi := l.Covering(tsdb.Minute, tt.from, tt.to); lo != tt.lo || hi != tt.hi {
			t.Errorf("Covering(%d, %d) = %d, %d; want %d, %d", tt.from, tt.to, lo, hi, tt.lo, tt.hi)
		}
	}
	if _, err := l.QueryRollup(tsdb.Raw, 0, m, nil, nil, nil); err == nil {
		t.Error("QueryRollup at raw")
	}
}
