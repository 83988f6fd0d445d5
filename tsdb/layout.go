package tsdb

import (
	"fmt"
	"time"
)

// Resolution is the granularity of a query or a rollup.
type Resolution uint8

// Resolutions. Auto is only a request: ChooseResolution turns it into one of the others.
const (
	Auto Resolution = iota
	Raw
	Minute
	Hour
	Day
)

var resolutionNames = [...]string{Auto: "auto", Raw: "raw", Minute: "1m", Hour: "1h", Day: "1d"}

// String returns the name used in the API: auto, raw, 1m, 1h, 1d.
func (r Resolution) String() string {
	if int(r) < len(resolutionNames) {
		return resolutionNames[r]
	}
	return fmt.Sprintf("Resolution(%d)", uint8(r))
}

// ParseResolution parses a name that String returns.
func ParseResolution(s string) (Resolution, error) {
	for r, name := range resolutionNames {
		if s == name {
			return Resolution(r), nil
		}
	}
	return 0, fmt.Errorf("tsdb: unknown resolution %q (want raw, 1m, 1h, 1d or auto)", s)
}

// Spans of the automatic resolution: a span up to AutoRawSpan is answered raw (1,080
// points at one every 10 s), up to AutoMinuteSpan at 1 minute (2,880 buckets), up to
// AutoHourSpan at 1 hour (2,160 buckets), beyond at 1 day. Each keeps a chart at a few
// thousand items at most whatever the span, without knowing the series' rate.
const (
	AutoRawSpan    = 3 * time.Hour
	AutoMinuteSpan = 48 * time.Hour
	AutoHourSpan   = 90 * 24 * time.Hour
)

// ChooseResolution returns the resolution that Auto means for the span [from, to) (ns).
func ChooseResolution(from, to int64) Resolution {
	span := time.Duration(to - from)
	if to < from || to-from < 0 { // overflow of a huge span
		span = 1<<63 - 1
	}
	switch {
	case span <= AutoRawSpan:
		return Raw
	case span <= AutoMinuteSpan:
		return Minute
	case span <= AutoHourSpan:
		return Hour
	}
	return Day
}

// DefaultBlockSpan is the span of a block: 2 h, as in Gorilla. At one point every 10 s
// a block holds 720 points in about 350 bytes, so a late point rewrites a few hundred
// bytes and a raw query of up to 3 h (the automatic raw range) reads at most 3 blocks;
// a series of 1 point/s gives 7,200 points (about 4 KB) per block, still cheap to
// rewrite. Blocks are aligned to the span in UTC, so a block's key is computed from
// any time in it.
const DefaultBlockSpan = 2 * time.Hour

// Page spans of the rollups. A page is one stored row of consecutive buckets of one
// series: minute buckets are paged per block (120 per 2 h block), hour buckets per UTC
// day (24), day buckets per 32 days. Rows per bucket would cost one upsert per six
// points at 10 s and 17 million rows per 100 million points.
const (
	HourPageSpan = 24 * time.Hour
	DayPageSpan  = 32 * 24 * time.Hour
)

// The times a layout handles, [MinTime, MaxTime): block, bucket and page starts of
// them stay within int64 nanoseconds. Ingest refuses times before 1970 anyway; the
// codec alone takes any int64.
var (
	MinTime = time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	MaxTime = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
)

// Layout fixes how a store cuts series into blocks and buckets. Its zero value is not
// usable; make one with NewLayout.
type Layout struct {
	span int64          // block span, ns
	loc  *time.Location // day buckets begin at midnight here
}

// NewLayout returns a layout with the given block span and the zone whose midnights
// begin day buckets (tinhso.Location, Asia/Ho_Chi_Minh). The span must be a whole
// number of minutes dividing 24 h. Hour buckets are UTC hours, which are the local
// hours of a zone whose offsets are whole hours, as Vietnam's have been since 1906;
// day buckets are computed from hour buckets, so a zone with an offset of a fraction
// of an hour is refused when its midnights are met.
func NewLayout(span time.Duration, loc *time.Location) (*Layout, error) {
	if span <= 0 || span%time.Minute != 0 || (24*time.Hour)%span != 0 {
		return nil, fmt.Errorf("tsdb: block span %v is not a whole number of minutes dividing 24 h", span)
	}
	if loc == nil {
		return nil, fmt.Errorf("tsdb: no time zone for day buckets")
	}
	return &Layout{span: int64(span), loc: loc}, nil
}

// BlockSpan returns the span of a block.
func (l *Layout) BlockSpan() time.Duration { return time.Duration(l.span) }

// Location returns the zone of day buckets.
func (l *Layout) Location() *time.Location { return l.loc }

// floor returns the largest multiple of span ≤ t, for span > 0 and t in [MinTime,
// MaxTime) (outside, it may wrap).
func floor(t, span int64) int64 {
	r := t % span
	if r < 0 {
		r += span
	}
	return t - r
}

// InRange reports whether t is in [MinTime, MaxTime), the times a layout handles.
func InRange(t int64) bool { return t >= MinTime && t < MaxTime }

// BlockStart returns the start of the block holding t.
func (l *Layout) BlockStart(t int64) int64 { return floor(t, l.span) }

// BlockRange returns the bounds [lo, hi) of the starts of the blocks that hold points of
// [from, to): a store selects them with start >= lo AND start < hi.
func (l *Layout) BlockRange(from, to int64) (lo, hi int64) {
	return l.BlockStart(from), to
}

// SplitBlocks cuts sorted points, in [MinTime, MaxTime), into runs of one block each,
// returning each run with its block start.
func (l *Layout) SplitBlocks(pts []Point) []Block {
	var out []Block
	for len(pts) > 0 {
		start := l.BlockStart(pts[0].T)
		n := max(1, len(Between(pts, pts[0].T, start+l.span))) // at least 1, even out of range
		out = append(out, Block{Start: start, Points: pts[:n]})
		pts = pts[n:]
	}
	return out
}

// Block is the points of one series in one block, sorted with distinct times.
type Block struct {
	Start  int64
	Points []Point
}

// FoldHead merges head points (sorted, distinct; MergeHeads makes them so) into the
// blocks they fall in. load returns the stored points of the block at start (nil when
// there is none). The result is every changed block with its new points, head points
// winning over stored ones at equal times: what a compaction writes and what a query
// that must see the head computes rollups from.
func (l *Layout) FoldHead(head []Point, load func(start int64) ([]Point, error)) ([]Block, error) {
	if len(head) > 0 && (!InRange(head[0].T) || !InRange(head[len(head)-1].T)) {
		return nil, fmt.Errorf("tsdb: head points outside %d…%d", MinTime, MaxTime)
	}
	parts := l.SplitBlocks(head)
	for i, p := range parts {
		stored, err := load(p.Start)
		if err != nil {
			return nil, err
		}
		if len(stored) > 0 {
			parts[i].Points = Merge(stored, p.Points)
		} else {
			parts[i].Points = append([]Point(nil), p.Points...)
		}
	}
	return parts, nil
}

// RawRange returns the points in [from, to) of a series from its stored blocks,
// decoded and in order of start, and its merged head, the head winning at equal times.
func RawRange(blocks [][]Point, head []Point, from, to int64) []Point {
	var n int
	for _, b := range blocks {
		n += len(b)
	}
	stored := make([]Point, 0, n)
	for _, b := range blocks {
		stored = append(stored, Between(b, from, to)...)
	}
	h := Between(head, from, to)
	if len(h) == 0 {
		return stored
	}
	return Merge(stored, h)
}

// BucketStart returns the start of the bucket of res holding t. For Raw it returns t.
func (l *Layout) BucketStart(res Resolution, t int64) int64 {
	switch res {
	case Minute:
		return floor(t, int64(time.Minute))
	case Hour:
		return floor(t, int64(time.Hour))
	case Day:
		return l.dayStart(t)
	}
	return t
}

// NextBucket returns the start of the bucket after the one starting at start.
func (l *Layout) NextBucket(res Resolution, start int64) int64 {
	switch res {
	case Minute:
		return start + int64(time.Minute)
	case Hour:
		return start + int64(time.Hour)
	case Day:
		return l.nextDay(start)
	}
	return start + 1
}

func (l *Layout) dayStart(t int64) int64 {
	y, m, d := time.Unix(0, t).In(l.loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, l.loc).UnixNano()
}

func (l *Layout) nextDay(start int64) int64 {
	y, m, d := time.Unix(0, start).In(l.loc).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, l.loc).UnixNano()
}

// PageSpan returns the span of a page of res (for Minute, the block span).
func (l *Layout) PageSpan(res Resolution) int64 {
	switch res {
	case Minute:
		return l.span
	case Hour:
		return int64(HourPageSpan)
	case Day:
		return int64(DayPageSpan)
	}
	return l.span
}

// PageStart returns the start of the page of res holding the bucket that starts at
// bucket. Pages are aligned to their span in UTC; a day bucket belongs to the page
// where it starts.
func (l *Layout) PageStart(res Resolution, bucket int64) int64 {
	return floor(bucket, l.PageSpan(res))
}

// PageRange returns the bounds [lo, hi) of the starts of the pages of res holding
// buckets that begin in [from, to).
func (l *Layout) PageRange(res Resolution, from, to int64) (lo, hi int64) {
	return l.PageStart(res, l.BucketStart(res, from)), to
}

// Cutoff returns the retention cutoff at now for a retention: now minus the
// retention, moved back to midnight in the layout's zone so that no bucket of any
// resolution straddles it. Everything before it may go.
func (l *Layout) Cutoff(now time.Time, retention time.Duration) int64 {
	return l.dayStart(now.Add(-retention).UnixNano())
}

// CutRange says what a retention cut at cutoff does to the rows of res (Raw: blocks;
// otherwise rollup pages): rows starting before drop go; when partial is true, the row
// starting at drop straddles the cutoff and is rewritten with CutPoints or CutBuckets
// (for a page, its minute page is recomputed when its block is rewritten).
func (l *Layout) CutRange(res Resolution, cutoff int64) (drop int64, partial bool) {
	if res == Raw {
		drop = l.BlockStart(cutoff)
	} else {
		drop = l.PageStart(res, cutoff)
	}
	return drop, drop < cutoff
}

// CutPoints returns the points at or after cutoff (pts sorted).
func CutPoints(pts []Point, cutoff int64) []Point {
	return Between(pts, cutoff, 1<<63-1)
}
