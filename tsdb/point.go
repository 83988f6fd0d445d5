package tsdb

import (
	"cmp"
	"slices"
	"sort"
)

// Point is one measurement of a series: T in nanoseconds since 1970-01-01 UTC, V its
// value. Nanoseconds because that is line protocol's default precision: a point sent at
// any precision comes back exactly as sent. An int64 of nanoseconds spans 1677–2262.
type Point struct {
	T int64
	V float64
}

// Normalize sorts pts by time in place and keeps, of points with equal times, the one
// that came last in pts: within a batch, as across batches, the last write wins. It
// returns the shortened slice.
func Normalize(pts []Point) []Point {
	if len(pts) < 2 {
		return pts
	}
	sorted := true
	for i := 1; i < len(pts); i++ {
		if pts[i].T <= pts[i-1].T {
			sorted = false
			break
		}
	}
	if sorted {
		return pts
	}
	slices.SortStableFunc(pts, func(a, b Point) int { return cmp.Compare(a.T, b.T) })
	// Keep the last of each run of equal times; the stable sort kept arrival order.
	out := pts[:0]
	for i, p := range pts {
		if i+1 < len(pts) && pts[i+1].T == p.T {
			continue
		}
		out = append(out, p)
	}
	return out
}

// Merge returns the union of old and new, both sorted with distinct times, as a new
// slice; where both hold a time, the point of new wins (it was written later).
func Merge(old, new []Point) []Point {
	return AppendMerge(make([]Point, 0, len(old)+len(new)), old, new)
}

// AppendMerge appends the merge of old and new (see Merge) to dst, which must not
// overlap them.
func AppendMerge(dst, old, new []Point) []Point {
	i, j := 0, 0
	for i < len(old) && j < len(new) {
		switch {
		case old[i].T < new[j].T:
			dst = append(dst, old[i])
			i++
		case old[i].T > new[j].T:
			dst = append(dst, new[j])
			j++
		default:
			dst = append(dst, new[j])
			i++
			j++
		}
	}
	dst = append(dst, old[i:]...)
	return append(dst, new[j:]...)
}

// Between returns the sub-slice of the sorted pts with from ≤ T < to.
func Between(pts []Point, from, to int64) []Point {
	lo := sort.Search(len(pts), func(i int) bool { return pts[i].T >= from })
	hi := lo + sort.Search(len(pts)-lo, func(i int) bool { return pts[lo+i].T >= to })
	return pts[lo:hi]
}
