package tsdb_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zone files

	"github.com/tinhso/tinhso/tsdb"
)

var vietnam = mustLocation("Asia/Ho_Chi_Minh")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func mustLayout(t testing.TB, span time.Duration) *tsdb.Layout {
	t.Helper()
	l, err := tsdb.NewLayout(span, vietnam)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func pts(tv ...int64) []tsdb.Point {
	var out []tsdb.Point
	for i := 0; i+1 < len(tv); i += 2 {
		out = append(out, tsdb.Point{T: tv[i], V: float64(tv[i+1])})
	}
	return out
}

func TestNormalizeLastWriteWins(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in, want []tsdb.Point
	}{
		{"empty", nil, nil},
		{"sorted", pts(1, 1, 2, 2), pts(1, 1, 2, 2)},
		{"out of order", pts(3, 3, 1, 1, 2, 2), pts(1, 1, 2, 2, 3, 3)},
		{"duplicates: the last wins", pts(2, 1, 1, 5, 2, 7, 2, 9, 1, 6), pts(1, 6, 2, 9)},
		{"all equal", pts(4, 1, 4, 2, 4, 3), pts(4, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tsdb.Normalize(slices.Clone(tt.in)); !slices.Equal(got, tt.want) {
				t.Errorf("Normalize(%v) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestMergeNewWins(t *testing.T) {
	t.Parallel()
	got := tsdb.Merge(pts(1, 1, 3, 3, 5, 5), pts(0, 10, 3, 30, 6, 60))
	if want := pts(0, 10, 1, 1, 3, 30, 5, 5, 6, 60); !slices.Equal(got, want) {
		t.Errorf("Merge = %v, want %v", got, want)
	}
	if got := tsdb.MergeHeads(pts(1, 1, 2, 2), pts(2, 20), pts(1, 100, 3, 3)); !slices.Equal(got, pts(1, 100, 2, 20, 3, 3)) {
		t.Errorf("MergeHeads = %v", got)
	}
}

func TestBetween(t *testing.T) {
	t.Parallel()
	p := pts(10, 1, 20, 2, 30, 3)
	for _, tt := range []struct {
		from, to int64
		want     []tsdb.Point
	}{{0, 100, p}, {10, 30, p[:2]}, {11, 30, p[1:2]}, {30, 31, p[2:]}, {31, 40, nil}, {20, 20, nil}} {
		if got := tsdb.Between(p, tt.from, tt.to); len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
			t.Errorf("Between(%d, %d) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestNewLayoutRefusesSpans(t *testing.T) {
	t.Parallel()
	for _, span := range []time.Duration{0, -time.Hour, 90 * time.Second, 7 * time.Hour, 48 * time.Hour} {
		if _, err := tsdb.NewLayout(span, vietnam); err == nil {
			t.Errorf("NewLayout(%v) took it", span)
		}
	}
	if _, err := tsdb.NewLayout(time.Hour, nil); err == nil {
		t.Error("NewLayout without a zone took it")
	}
}

func TestSplitBlocks(t *testing.T) {
	t.Parallel()
	l := mustLayout(t, 2*time.Hour)
	h := int64(time.Hour)
	in := pts(-1, 0, 0, 1, 2*h-1, 2, 2*h, 3, 5*h, 4)
	got := l.SplitBlocks(in)
	want := []tsdb.Block{{Start: -2 * h, Points: in[:1]}, {Start: 0, Points: in[1:3]}, {Start: 2 * h, Points: in[3:4]}, {Start: 4 * h, Points: in[4:]}}
	if len(got) != len(want) {
		t.Fatalf("SplitBlocks = %v, want %v", got, want)
	}
	for i := range got {
		if got[i].Start != want[i].Start || !slices.Equal(got[i].Points, want[i].Points) {
			t.Errorf("block %d = %v, want %v", i, got[i], want[i])
		}
	}
	if lo, hi := l.BlockRange(3*h, 5*h); lo != 2*h || hi != 5*h {
		t.Errorf("BlockRange = %d, %d", lo, hi)
	}
}

func TestHeadChunks(t *testing.T) {
	t.Parallel()
	in := pts(-5, 1, 0, 2, 1<<62, 3)
	enc, err := tsdb.AppendHead(nil, in)
	if err != nil || len(enc) != 16*len(in) {
		t.Fatalf("AppendHead: %d bytes, %v", len(enc), err)
	}
	got, err := tsdb.DecodeHead(enc)
	if err != nil || !slices.Equal(got, in) {
		t.Fatalf("DecodeHead = %v, %v", got, err)
	}
	if _, err := tsdb.AppendHead(nil, pts(2, 1, 1, 1)); err == nil {
		t.Error("AppendHead took disorder")
	}
	if _, err := tsdb.DecodeHead(enc[:17]); err == nil {
		t.Error("DecodeHead took a partial point")
	}
	swapped := append(append([]byte(nil), enc[16:32]...), enc[:16]...)
	if _, err := tsdb.DecodeHead(swapped); err == nil {
		t.Error("DecodeHead took disorder")
	}
	now := time.Now()
	p := tsdb.HeadPolicy{MaxPoints: 10, MaxChunks: 3, MaxAge: time.Minute}
	for _, tt := range []struct {
		points, chunks int
		age            time.Duration
		due            bool
	}{{1, 1, 0, false}, {10, 1, 0, true}, {1, 3, 0, true}, {1, 1, time.Minute, true}, {9, 2, 59 * time.Second, false}} {
		if got := p.Due(tt.points, tt.chunks, now.Add(-tt.age), now); got != tt.due {
			t.Errorf("Due(%d, %d, %v) = %v", tt.points, tt.chunks, tt.age, got)
		}
	}
}

func TestLatest(t *testing.T) {
	t.Parallel()
	var l tsdb.Latest
	l = l.Update(nil)
	if l.OK {
		t.Fatal("latest of nothing")
	}
	steps := []struct {
		write []tsdb.Point
		want  tsdb.Point
	}{
		{pts(10, 1, 20, 2), tsdb.Point{T: 20, V: 2}},
		{pts(5, 9), tsdb.Point{T: 20, V: 2}},  // a late point leaves it
		{pts(20, 7), tsdb.Point{T: 20, V: 7}}, // a duplicate of the latest replaces it
		{pts(15, 3, 30, 4), tsdb.Point{T: 30, V: 4}},
	}
	for i, s := range steps {
		l = l.Update(s.write)
		if !l.OK || l.Point != s.want {
			t.Errorf("step %d: latest %v, want %v", i, l, s.want)
		}
	}
}

func TestChooseResolution(t *testing.T) {
	t.Parallel()
	h := int64(time.Hour)
	for _, tt := range []struct {
		span int64
		want tsdb.Resolution
	}{{0, tsdb.Raw}, {3 * h, tsdb.Raw}, {3*h + 1, tsdb.Minute}, {24 * h, tsdb.Minute}, {48 * h, tsdb.Minute},
		{49 * h, tsdb.Hour}, {90 * 24 * h, tsdb.Hour}, {91 * 24 * h, tsdb.Day}} {
		if got := tsdb.ChooseResolution(1e18, 1e18+tt.span); got != tt.want {
			t.Errorf("span %v: %v, want %v", time.Duration(tt.span), got, tt.want)
		}
	}
	if got := tsdb.ChooseResolution(-1<<63, 1<<63-1); got != tsdb.Day {
		t.Errorf("the whole of time: %v", got)
	}
	for _, s := range []string{"auto", "raw", "1m", "1h", "1d"} {
		r, err := tsdb.ParseResolution(s)
		if err != nil || r.String() != s {
			t.Errorf("ParseResolution(%q) = %v, %v", s, r, err)
		}
	}
	if _, err := tsdb.ParseResolution("5m"); err == nil {
		t.Error("ParseResolution took 5m")
	}
}

// store is an in-memory store of one series as a writer would keep it in tables:
// blocks, head chunks and rollup pages.
type store struct {
	l      *tsdb.Layout
	blocks map[int64][]byte
	head   [][]tsdb.Point
	pages  map[tsdb.Resolution]map[int64][]byte
}

func newStore(l *tsdb.Layout) *store {
	return &store{l: l, blocks: map[int64][]byte{}, pages: map[tsdb.Resolution]map[int64][]byte{
		tsdb.Minute: {}, tsdb.Hour: {}, tsdb.Day: {}}}
}

func (s *store) write(batch []tsdb.Point) {
	s.head = append(s.head, tsdb.Normalize(slices.Clone(batch)))
}

func (s *store) loadBlock(start int64) ([]tsdb.Point, error) {
	if b, ok := s.blocks[start]; ok {
		return tsdb.DecodeBlock(b)
	}
	return nil, nil
}

func (s *store) getPage(res tsdb.Resolution, start int64) ([]tsdb.Bucket, error) {
	if b, ok := s.pages[res][start]; ok {
		return tsdb.DecodePage(b)
	}
	return nil, nil
}

// fold is the writer's compaction: head into blocks, rollups updated, head emptied.
func (s *store) fold(t *testing.T) { t.Helper(); s.foldTB(t) }

func (s *store) foldTB(t testing.TB) {
	t.Helper()
	blocks, u := s.virtual(t)
	for _, b := range blocks {
		enc, err := tsdb.EncodeBlock(b.Points)
		if err != nil {
			t.Fatal(err)
		}
		s.blocks[b.Start] = enc
	}
	for _, p := range u.Pages() {
		if len(p.Buckets) == 0 {
			delete(s.pages[p.Res], p.Start)
			continue
		}
		enc, err := tsdb.AppendPage(nil, p.Buckets)
		if err != nil {
			t.Fatal(err)
		}
		s.pages[p.Res][p.Start] = enc
	}
	s.head = nil
}

// virtual is what a query that must see the head computes: the head folded in memory.
func (s *store) virtual(t testing.TB) ([]tsdb.Block, *tsdb.RollupUpdate) {
	t.Helper()
	blocks, err := s.l.FoldHead(tsdb.MergeHeads(s.head...), s.loadBlock)
	if err != nil {
		t.Fatal(err)
	}
	u := s.l.NewRollupUpdate(s.getPage)
	for _, b := range blocks {
		if err := u.Block(b.Start, b.Points); err != nil {
			t.Fatal(err)
		}
	}
	return blocks, u
}

func (s *store) raw(t *testing.T, from, to int64) []tsdb.Point {
	t.Helper()
	lo, hi := s.l.BlockRange(from, to)
	var starts []int64
	for start := range s.blocks {
		if start >= lo && start < hi {
			starts = append(starts, start)
		}
	}
	slices.Sort(starts)
	var decoded [][]tsdb.Point
	for _, start := range starts {
		p, err := tsdb.DecodeBlock(s.blocks[start])
		if err != nil {
			t.Fatal(err)
		}
		decoded = append(decoded, p)
	}
	return tsdb.RawRange(decoded, tsdb.MergeHeads(s.head...), from, to)
}

// model applies writes to a map: the reference for last write wins.
type model map[int64]float64

func (m model) write(batch []tsdb.Point) {
	for _, p := range batch {
		m[p.T] = p.V
	}
}

func (m model) points(from, to int64) []tsdb.Point {
	var out []tsdb.Point
	for t, v := range m {
		if t >= from && t < to {
			out = append(out, tsdb.Point{T: t, V: v})
		}
	}
	slices.SortFunc(out, func(a, b tsdb.Point) int { return int(max(-1, min(1, a.T-b.T))) })
	return out
}

// TestStoreLastWriteWins writes batches with late, duplicate and out-of-order points
// over three local days, folding the head now and then, and checks after each batch
// that raw queries and every rollup equal a computation from scratch over the model.
func TestStoreLastWriteWins(t *testing.T) {
	t.Parallel()
	for _, span := range []time.Duration{2 * time.Hour, 10 * time.Minute, 24 * time.Hour} {
		t.Run(span.String(), func(t *testing.T) {
			t.Parallel()
			l := mustLayout(t, span)
			r := rand.New(rand.NewPCG(uint64(span), 1))
			s, m := newStore(l), model{}
			// 2026-03-01 00:00 +07 (17:00 UTC the day before), three days.
			base := time.Date(2026, 3, 1, 0, 0, 0, 0, vietnam).UnixNano()
			days := int64(3 * 24 * time.Hour)
			for i := range 60 {
				var batch []tsdb.Point
				for range 1 + r.IntN(300) {
					var ts int64
					switch r.IntN(4) {
					case 0: // anywhere, at second precision
						ts = base + r.Int64N(days/1e9)*1e9
					case 1: // near a local midnight
						ts = base + int64(1+r.IntN(2))*int64(24*time.Hour) + r.Int64N(2e11) - 1e11
					case 2: // a duplicate of an earlier point
						for k := range m {
							ts = k
							break
						}
						if ts == 0 {
							ts = base
						}
					default: // nanosecond times
						ts = base + r.Int64N(days)
					}
					batch = append(batch, tsdb.Point{T: ts, V: float64(r.IntN(10000)-5000) / 100})
				}
				s.write(batch)
				m.write(batch)
				if r.IntN(3) == 0 || i == 59 {
					s.fold(t)
				}
				from, to := base-days, base+2*days
				if got, want := s.raw(t, from, to), m.points(from, to); !slices.Equal(got, want) {
					t.Fatalf("batch %d: raw has %d points, the model %d", i, len(got), len(want))
				}
				// A query sees the head through a virtual fold, over any range.
				all := m.points(from, to)
				h := tsdb.MergeHeads(s.head...)
				for res := tsdb.Minute; res <= tsdb.Day; res++ {
					qf, qt := from+r.Int64N(days), to-r.Int64N(days)
					got, err := l.QueryRollup(res, qf, qt, h, s.loadBlock, s.getPage)
					if err != nil {
						t.Fatal(err)
					}
					want := tsdb.BucketsBetween(l.Rollup(res, all), qf, qt)
					if !slices.Equal(got, want) {
						t.Fatalf("batch %d, %v: %d buckets, want %d\n got %v\nwant %v", i, res, len(got), len(want), head(got), head(want))
					}
				}
			}
			if len(s.head) != 0 {
				t.Fatal("head not folded")
			}
			// The stored pages alone, with the head folded, are the rollups.
			u := l.NewRollupUpdate(s.getPage)
			all := m.points(base-days, base+2*days)
			for res := tsdb.Minute; res <= tsdb.Day; res++ {
				got, err := u.Buckets(res, base-days, base+2*days)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, l.Rollup(res, all)) {
					t.Fatalf("stored %v pages differ", res)
				}
			}
		})
	}
}

func head(b []tsdb.Bucket) []tsdb.Bucket { return b[:min(len(b), 3)] }
