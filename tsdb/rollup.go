package tsdb

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"
)

// Agg summarises the points of a bucket. The mean is Sum/Count.
type Agg struct {
	Count int64
	Sum   float64
	Min   float64
	Max   float64
	Last  float64 // the value of the latest point
}

// Mean returns Sum/Count (NaN for an empty aggregate).
func (a Agg) Mean() float64 { return a.Sum / float64(a.Count) }

// merge folds in b, which summarises later points, but for the sum, which the
// caller computes over the whole group with exactSum.
func (a *Agg) merge(b Agg) {
	if a.Count == 0 {
		*a = b
		return
	}
	a.Count += b.Count
	a.Min = min(a.Min, b.Min)
	a.Max = max(a.Max, b.Max)
	a.Last = b.Last
}

// exactSum returns the sum of vs. When every value is a decimal m/10^k for the one
// smallest k ≤ 9 and the integers add up within ±2^53, it is float64(Σm)/10^k: the
// exact sum rounded once, itself such a decimal, so that the sums of decimal data
// compress as decimals and their means are as exact as a float64 allows. Otherwise it
// is the float sum in order.
func exactSum(vs []float64) float64 {
	k, p := 0, 1.0
	var total int64
	for _, v := range vs {
		m := math.Round(v * p)
		for !(math.Abs(m) <= maxExactInt) || math.Float64bits(float64(int64(m))/p) != math.Float64bits(v) {
			if k++; k > maxDecimalScale {
				return floatSum(vs)
			}
			p = pow10f[k]
			if total *= 10; total > maxExactInt || total < -maxExactInt {
				return floatSum(vs)
			}
			m = math.Round(v * p)
		}
		if total += int64(m); total > maxExactInt || total < -maxExactInt {
			return floatSum(vs)
		}
	}
	return float64(total) / p
}

func floatSum(vs []float64) float64 {
	var s float64
	for _, v := range vs {
		s += v
	}
	return s
}

// Bucket is the aggregate of the points in [Start, next bucket's start).
type Bucket struct {
	Start int64
	Agg
}

// Rollup computes the buckets of res (Minute, Hour or Day) of sorted points from
// scratch. Rollups are defined hierarchically — a minute from its points, an hour
// from its minutes, a day (from local midnight) from its hours — so that the
// incremental updates of RollupUpdate give bit for bit the same sums.
func (l *Layout) Rollup(res Resolution, pts []Point) []Bucket {
	var out []Bucket
	var vs []float64
	for i := 0; i < len(pts); {
		start := floor(pts[i].T, int64(time.Minute))
		b := Bucket{Start: start, Agg: Agg{Min: pts[i].V, Max: pts[i].V}}
		vs = vs[:0]
		for ; i < len(pts) && pts[i].T < start+int64(time.Minute); i++ {
			v := pts[i].V
			b.Min, b.Max, b.Last = min(b.Min, v), max(b.Max, v), v
			vs = append(vs, v)
		}
		b.Count = int64(len(vs))
		b.Sum = exactSum(vs)
		out = append(out, b)
	}
	for r := Hour; r <= res; r++ {
		out = l.Combine(r, out)
	}
	return out
}

// Combine computes the buckets of res from sorted buckets of the next finer
// resolution (hours from minutes, days from hours).
func (l *Layout) Combine(res Resolution, finer []Bucket) []Bucket {
	var out []Bucket
	var sums []float64
	for i := 0; i < len(finer); {
		start := l.BucketStart(res, finer[i].Start)
		end := l.NextBucket(res, start)
		b := Bucket{Start: start}
		sums = sums[:0]
		for ; i < len(finer) && finer[i].Start < end; i++ {
			b.merge(finer[i].Agg)
			sums = append(sums, finer[i].Sum)
		}
		b.Sum = exactSum(sums)
		out = append(out, b)
	}
	return out
}

// BucketsBetween returns the sub-slice of sorted buckets starting in [from, to).
func BucketsBetween(bs []Bucket, from, to int64) []Bucket {
	lo, _ := slices.BinarySearchFunc(bs, from, func(b Bucket, t int64) int { return cmp.Compare(b.Start, t) })
	hi, _ := slices.BinarySearchFunc(bs[lo:], to, func(b Bucket, t int64) int { return cmp.Compare(b.Start, t) })
	return bs[lo : lo+hi]
}

// CutBuckets returns the buckets starting at or after cutoff.
func CutBuckets(bs []Bucket, cutoff int64) []Bucket {
	return BucketsBetween(bs, cutoff, 1<<63-1)
}

// The page format: version(1 byte = 0x81) count(uvarint ≥ 1) then six columns as in a
// block: the bucket starts (a times column), then counts, mins, maxes, sums and lasts
// (values columns, each with its own mode: counts, mins, maxes and lasts of decimal
// data stay decimal).
const pageVersion = 0x81

// AppendPage appends the encoding of buckets (starts strictly increasing, counts ≥ 1).
func AppendPage(dst []byte, bs []Bucket) ([]byte, error) {
	if len(bs) == 0 {
		return dst, ErrEmpty
	}
	col := make([]Point, len(bs))
	for i, b := range bs {
		if b.Count < 1 || b.Count > maxExactInt {
			return dst, fmt.Errorf("tsdb: bucket %d has count %d", i, b.Count)
		}
		col[i].T = b.Start
	}
	if err := CheckOrder(col); err != nil {
		return dst, err
	}
	dst = append(dst, pageVersion)
	dst = binary.AppendUvarint(dst, uint64(len(bs)))
	dst = appendTimes(dst, col)
	for f := range 5 {
		for i := range bs {
			col[i].V = bs[i].field(f)
		}
		dst = appendValues(dst, col)
	}
	return dst, nil
}

func (a *Agg) field(f int) float64 {
	switch f {
	case 0:
		return float64(a.Count)
	case 1:
		return a.Min
	case 2:
		return a.Max
	case 3:
		return a.Sum
	}
	return a.Last
}

// DecodePage returns the buckets of a page, or an error wrapping ErrCorrupt.
func DecodePage(src []byte) ([]Bucket, error) {
	d := decoder{src: src}
	if v := d.byte(); d.err == nil && v != pageVersion {
		return nil, corrupt("unknown page version %d", v)
	}
	n := d.uvarint()
	if d.err != nil {
		return nil, d.err
	}
	if n == 0 || n-1 > uint64(8*(len(src)-d.pos)) {
		return nil, corrupt("page count %d", n)
	}
	col := make([]Point, n)
	if err := d.times(col); err != nil {
		return nil, err
	}
	bs := make([]Bucket, n)
	for i := range bs {
		bs[i].Start = col[i].T
	}
	for f := range 5 {
		if err := d.values(col); err != nil {
			return nil, err
		}
		for i := range bs {
			v := col[i].V
			switch f {
			case 0:
				if !(v >= 1 && v <= maxExactInt) || v != math.Trunc(v) {
					return nil, corrupt("bucket %d has count %v", i, v)
				}
				bs[i].Count = int64(v)
			case 1:
				bs[i].Min = v
			case 2:
				bs[i].Max = v
			case 3:
				bs[i].Sum = v
			default:
				bs[i].Last = v
			}
		}
	}
	if d.pos != len(src) {
		return nil, corrupt("%d bytes after the page", len(src)-d.pos)
	}
	return bs, nil
}

// Page is a stored row of rollups: the buckets of res of one series starting in
// [Start, Start+PageSpan(res)). No buckets: the row is to be deleted.
type Page struct {
	Res     Resolution
	Start   int64
	Buckets []Bucket
}

// PageGetter returns the stored buckets of the page of res starting at start (nil
// when there is none).
type PageGetter func(res Resolution, start int64) ([]Bucket, error)

// RollupUpdate recomputes the rollups of one series when some of its blocks change,
// reading the pages it needs through get and keeping the changed ones. A writer
// folding the head calls Block for each rewritten block and writes Pages in the same
// transaction; a query that must see the head does the same without writing and reads
// Buckets. It is not safe for concurrent use.
type RollupUpdate struct {
	l     *Layout
	get   PageGetter
	pages map[pageKey]*pageState
}

type pageKey struct {
	res   Resolution
	start int64
}

type pageState struct {
	buckets []Bucket
	dirty   bool
}

// NewRollupUpdate returns an update reading stored pages through get.
func (l *Layout) NewRollupUpdate(get PageGetter) *RollupUpdate {
	return &RollupUpdate{l: l, get: get, pages: map[pageKey]*pageState{}}
}

func (u *RollupUpdate) page(res Resolution, start int64) (*pageState, error) {
	k := pageKey{res, start}
	if p, ok := u.pages[k]; ok {
		return p, nil
	}
	bs, err := u.get(res, start)
	if err != nil {
		return nil, err
	}
	p := &pageState{buckets: bs}
	u.pages[k] = p
	return p, nil
}

// Block records that the block at start now holds pts (sorted, distinct, all in the
// block; none when the block is gone) and recomputes the minute page of the block, the
// hours it overlaps and the local days it overlaps.
func (u *RollupUpdate) Block(start int64, pts []Point) error {
	l := u.l
	if start != l.BlockStart(start) || !InRange(start) || !InRange(start+l.span-1) {
		return fmt.Errorf("tsdb: %d is not a block start", start)
	}
	end := start + l.span
	if len(pts) > 0 && (pts[0].T < start || pts[len(pts)-1].T >= end) {
		return fmt.Errorf("tsdb: points outside the block at %d", start)
	}
	if err := CheckOrder(pts); err != nil {
		return err
	}
	u.pages[pageKey{Minute, start}] = &pageState{buckets: l.Rollup(Minute, pts), dirty: true}
	hour := int64(time.Hour)
	for h := floor(start, hour); h < end; h += hour {
		if err := u.recompute(Hour, h, h+hour); err != nil {
			return err
		}
	}
	for d := l.dayStart(start); d < end; d = l.nextDay(d) {
		if err := u.recompute(Day, d, l.nextDay(d)); err != nil {
			return err
		}
	}
	return nil
}

// recompute sets the bucket of res at [from, to) from the finer buckets in it.
func (u *RollupUpdate) recompute(res Resolution, from, to int64) error {
	finer, err := u.Buckets(res-1, from, to)
	if err != nil {
		return err
	}
	b := u.l.Combine(res, finer)
	if len(b) > 1 || len(b) == 1 && b[0].Start != from {
		return fmt.Errorf("tsdb: %v bucket at %d is not aligned with finer buckets", res, from)
	}
	p, err := u.page(res, u.l.PageStart(res, from))
	if err != nil {
		return err
	}
	i, found := slices.BinarySearchFunc(p.buckets, from, func(b Bucket, t int64) int { return cmp.Compare(b.Start, t) })
	switch {
	case found && len(b) == 1:
		if p.buckets[i] == b[0] {
			return nil
		}
		p.buckets = slices.Clone(p.buckets)
		p.buckets[i] = b[0]
	case found:
		p.buckets = slices.Delete(slices.Clone(p.buckets), i, i+1)
	case len(b) == 1:
		p.buckets = slices.Insert(slices.Clone(p.buckets), i, b[0])
	default:
		return nil
	}
	p.dirty = true
	return nil
}

// Buckets returns the buckets of res (Minute, Hour or Day) starting in [from, to), as
// stored or as changed by this update.
func (u *RollupUpdate) Buckets(res Resolution, from, to int64) ([]Bucket, error) {
	if res < Minute || res > Day {
		return nil, fmt.Errorf("tsdb: no rollups at resolution %v", res)
	}
	if from >= to {
		return nil, nil
	}
	if !InRange(from) || !InRange(to-1) {
		return nil, fmt.Errorf("tsdb: range outside %d…%d", MinTime, MaxTime)
	}
	span := u.l.PageSpan(res)
	var out []Bucket
	if res != Day {
		// Room for every bucket of the range, up to a day's minutes or a quarter's hours.
		width := int64(time.Minute)
		if res == Hour {
			width = int64(time.Hour)
		}
		out = make([]Bucket, 0, min(uint64(to-from)/uint64(width)+1, 2880))
	}
	for ps := u.l.PageStart(res, u.l.BucketStart(res, from)); ps < to; ps += span {
		p, err := u.page(res, ps)
		if err != nil {
			return nil, err
		}
		out = append(out, BucketsBetween(p.buckets, from, to)...)
	}
	return out, nil
}

// Pages returns the pages this update changed, by resolution then start; a page with
// no buckets is to be deleted.
func (u *RollupUpdate) Pages() []Page {
	var out []Page
	for k, p := range u.pages {
		if p.dirty {
			out = append(out, Page{Res: k.res, Start: k.start, Buckets: p.buckets})
		}
	}
	slices.SortFunc(out, func(a, b Page) int {
		return cmp.Or(cmp.Compare(a.Res, b.Res), cmp.Compare(a.Start, b.Start))
	})
	return out
}

// Covering returns the span [lo, hi) of the buckets of res starting in [from, to):
// the head points that can change them, and the head rows to read.
func (l *Layout) Covering(res Resolution, from, to int64) (lo, hi int64) {
	if from >= to {
		return from, from
	}
	lo = l.BucketStart(res, from)
	if lo < from {
		lo = l.NextBucket(res, lo)
	}
	return lo, l.NextBucket(res, l.BucketStart(res, to-1))
}

// QueryRollup returns the buckets of res (Minute, Hour or Day) starting in [from, to)
// of a series: its stored pages (through get) with its head (merged and sorted, as
// MergeHeads returns it; points outside Covering are ignored) folded in as a fold
// would, reading the blocks the head touches through load. It writes nothing.
func (l *Layout) QueryRollup(res Resolution, from, to int64, head []Point, load func(start int64) ([]Point, error), get PageGetter) ([]Bucket, error) {
	u := l.NewRollupUpdate(get)
	if res < Minute || res > Day {
		return nil, fmt.Errorf("tsdb: no rollups at resolution %v", res)
	}
	lo, hi := l.Covering(res, from, to)
	if h := Between(head, lo, hi); len(h) > 0 {
		blocks, err := l.FoldHead(h, load)
		if err != nil {
			return nil, err
		}
		for _, b := range blocks {
			if err := u.Block(b.Start, b.Points); err != nil {
				return nil, err
			}
		}
	}
	return u.Buckets(res, from, to)
}
