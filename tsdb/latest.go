package tsdb

// Latest is the latest point of a series, kept in its own row so that tiles and the
// series list never read blocks.
type Latest struct {
	Point
	OK bool // false: the series has no point yet
}

// Update returns the latest point after a write of pts (sorted, distinct, as Normalize
// leaves them): the written point with the greatest time if it is at or after the
// current one. At an equal time the write wins, as everywhere; an older point, however
// late it arrives, leaves the latest as it is.
func (l Latest) Update(pts []Point) Latest {
	if len(pts) == 0 {
		return l
	}
	p := pts[len(pts)-1]
	if !l.OK || p.T >= l.T {
		return Latest{Point: p, OK: true}
	}
	return l
}
