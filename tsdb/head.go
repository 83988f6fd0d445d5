package tsdb

import (
	"encoding/binary"
	"math"
	"time"
)

// The head holds the recent points of a series uncompressed, so that an acknowledged
// batch costs one append and no read or re-encoding of a block. A head chunk is the
// points of one series from one batch, sorted with distinct times (Normalize), as 16
// bytes per point: the time and the value bits, big-endian.
const headPointSize = 16

// AppendHead appends the head encoding of pts to dst. pts must be sorted with distinct
// times, as Normalize leaves them.
func AppendHead(dst []byte, pts []Point) ([]byte, error) {
	if err := CheckOrder(pts); err != nil {
		return dst, err
	}
	for _, p := range pts {
		dst = binary.BigEndian.AppendUint64(dst, uint64(p.T))
		dst = binary.BigEndian.AppendUint64(dst, math.Float64bits(p.V))
	}
	return dst, nil
}

// DecodeHead returns the points of a head chunk.
func DecodeHead(src []byte) ([]Point, error) {
	return AppendDecodeHead(nil, src)
}

// AppendDecodeHead appends the points of a head chunk to dst, refusing with ErrCorrupt
// a length that is not a multiple of 16 or times that do not strictly increase.
func AppendDecodeHead(dst []Point, src []byte) ([]Point, error) {
	if len(src)%headPointSize != 0 {
		return dst, corrupt("head chunk of %d bytes", len(src))
	}
	start := len(dst)
	for i := 0; i < len(src); i += headPointSize {
		p := Point{
			T: int64(binary.BigEndian.Uint64(src[i:])),
			V: math.Float64frombits(binary.BigEndian.Uint64(src[i+8:])),
		}
		if len(dst) > start && p.T <= dst[len(dst)-1].T {
			return dst[:start], corrupt("head point %d out of order", i/headPointSize)
		}
		dst = append(dst, p)
	}
	return dst, nil
}

// MergeHeads merges head chunks given in the order they were written (oldest first):
// for each time the latest chunk wins.
func MergeHeads(chunks ...[]Point) []Point {
	var acc []Point
	for _, c := range chunks {
		if acc == nil {
			acc = append([]Point(nil), c...)
			continue
		}
		acc = Merge(acc, c)
	}
	return acc
}

// HeadPolicy says when the head of a series is folded into its blocks.
type HeadPolicy struct {
	MaxPoints int           // fold when the head holds this many points
	MaxChunks int           // … or this many chunks (rows)
	MaxAge    time.Duration // … or its oldest chunk was written this long ago
}

// DefaultHeadPolicy keeps a head small enough that a query merges it in well under a
// millisecond, and old enough to absorb many small batches per block rewrite.
var DefaultHeadPolicy = HeadPolicy{MaxPoints: 2048, MaxChunks: 64, MaxAge: 10 * time.Minute}

// Due reports whether a head of points points in chunks chunks, the oldest written at
// oldest, should be folded now.
func (p HeadPolicy) Due(points, chunks int, oldest, now time.Time) bool {
	return points >= p.MaxPoints || chunks >= p.MaxChunks || now.Sub(oldest) >= p.MaxAge
}
