package tsdb

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/influxdata/line-protocol/v2/lineprotocol"
)

// Batch is what a body of line protocol writes: points of named series.
type Batch struct {
	// Series lists the distinct series keys in the order they first appear.
	Series []string
	// Points are the points in the order of the body, each naming its series by its
	// index in Series. An index rather than a string keeps the slice free of pointers,
	// which the garbage collector then neither scans nor guards with write barriers.
	Points []SeriesPoint
}

// SeriesPoint is a point of the series Batch.Series[Series].
type SeriesPoint struct {
	Series int32
	Point
}

// Len returns the number of points.
func (b *Batch) Len() int { return len(b.Points) }

// Key returns the series key of the i-th point.
func (b *Batch) Key(i int) string { return b.Series[b.Points[i].Series] }

// Group returns the points of each series (indexed as Series) in the order of the
// body, ready for Normalize, which lets the last write win.
func (b *Batch) Group() [][]Point {
	counts := make([]int, len(b.Series))
	for _, p := range b.Points {
		counts[p.Series]++
	}
	all := make([]Point, len(b.Points))
	out := make([][]Point, len(b.Series))
	off := 0
	for i, n := range counts {
		out[i] = all[off : off : off+n]
		off += n
	}
	for _, p := range b.Points {
		out[p.Series] = append(out[p.Series], p.Point)
	}
	return out
}

// MaxKeyLen is the longest series key, in bytes.
const MaxKeyLen = 200

// keyChars are the bytes of a series key: letters, digits and _ . - , = (safe in a URL
// path segment and an MQTT topic level). nameChars, those of each part of a key made
// from line protocol, leave out the separators , and =, so a key reads back one way.
var keyChars, nameChars [256]bool

func init() {
	for c := range 256 {
		b := byte(c)
		ok := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_' || b == '.' || b == '-'
		nameChars[c] = ok
		keyChars[c] = ok || b == ',' || b == '='
	}
}

// ValidKey returns an error unless key is 1 to MaxKeyLen bytes of letters, digits and
// _ . - , =.
func ValidKey(key string) error {
	if key == "" {
		return errors.New("tsdb: empty series key")
	}
	if len(key) > MaxKeyLen {
		return fmt.Errorf("tsdb: series key of %d bytes, over %d", len(key), MaxKeyLen)
	}
	for i := 0; i < len(key); i++ {
		if !keyChars[key[i]] {
			return fmt.Errorf("tsdb: series key %q has %q; keys take letters, digits and _ . - , =", key, key[i])
		}
	}
	return nil
}

func validName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !nameChars[c] {
			return false
		}
	}
	return true
}

// SeriesKey returns the key that a line of line protocol with this measurement, tags
// and field writes: the measurement, then the tags sorted by name as ",name=value",
// then ".field" unless the field is "value". So `temp value=21.5` writes "temp" and
// `air,site=hn pm25=12` writes "air,site=hn.pm25". Each part takes letters, digits and
// _ . - only.
func SeriesKey(measurement string, tags map[string]string, field string) (string, error) {
	if !validName([]byte(measurement)) {
		return "", fmt.Errorf("tsdb: measurement %q: names take letters, digits and _ . -", measurement)
	}
	names := make([]string, 0, len(tags))
	for k, v := range tags {
		if !validName([]byte(k)) || !validName([]byte(v)) {
			return "", fmt.Errorf("tsdb: tag %q=%q: names take letters, digits and _ . -", k, v)
		}
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	b.WriteString(measurement)
	for _, k := range names {
		b.WriteString("," + k + "=" + tags[k])
	}
	if field != "value" {
		if !validName([]byte(field)) {
			return "", fmt.Errorf("tsdb: field %q: names take letters, digits and _ . -", field)
		}
		b.WriteString("." + field)
	}
	if b.Len() > MaxKeyLen {
		return "", fmt.Errorf("tsdb: series key of %d bytes, over %d", b.Len(), MaxKeyLen)
	}
	return b.String(), nil
}

// ParsePrecisionV2 parses the precision of /api/v2/write (ns, us, ms, s; empty means
// ns) into the unit of a timestamp.
func ParsePrecisionV2(s string) (time.Duration, error) {
	switch s {
	case "", "ns":
		return time.Nanosecond, nil
	case "us":
		return time.Microsecond, nil
	case "ms":
		return time.Millisecond, nil
	case "s":
		return time.Second, nil
	}
	return 0, fmt.Errorf("tsdb: unknown precision %q (want ns, us, ms or s)", s)
}

// ParsePrecisionV1 parses the precision of InfluxDB 1.x /write (n, u, ms, s, m, h, and
// ns, us for clients that send those; empty means ns).
func ParsePrecisionV1(s string) (time.Duration, error) {
	switch s {
	case "", "n", "ns":
		return time.Nanosecond, nil
	case "u", "us", "µs":
		return time.Microsecond, nil
	case "ms":
		return time.Millisecond, nil
	case "s":
		return time.Second, nil
	case "m":
		return time.Minute, nil
	case "h":
		return time.Hour, nil
	}
	return 0, fmt.Errorf("tsdb: unknown precision %q (want n, u, ms, s, m or h)", s)
}

// ParseOptions are the settings of ParseLines.
type ParseOptions struct {
	// Unit is the unit of the timestamps (the precision); zero means nanoseconds.
	Unit time.Duration
	// Now is the server's clock: a line without a timestamp takes it (truncated to
	// Unit), and a time more than MaxAhead after it is refused. Zero means time.Now().
	Now time.Time
	// MaxAhead is how far ahead of Now a time may be; zero means 24 h.
	MaxAhead time.Duration
	// MaxPoints refuses a batch of more points than this (zero: no limit).
	MaxPoints int
	// MaxErrors is how many offending lines the error lists (zero: 1,000); it counts
	// them all.
	MaxErrors int
}

// Message keys of LineError, with their arguments. The catalogues render them; Detail
// is the English text for logs.
const (
	KeyMalformed     = "ingest.line.malformed"      // line, column, detail
	KeyNotFinite     = "ingest.line.not_finite"     // line, field, value
	KeyNotANumber    = "ingest.line.not_a_number"   // line, field, value
	KeyOutOfRange    = "ingest.line.out_of_range"   // line, field, value
	KeyWrongType     = "ingest.line.wrong_type"     // line, field, type
	KeyInexactInt    = "ingest.line.inexact_int"    // line, field, value
	KeyBefore1970    = "ingest.line.before_1970"    // line, time
	KeyTooFarAhead   = "ingest.line.too_far_ahead"  // line, time, ahead
	KeyBadTime       = "ingest.line.bad_time"       // line, value
	KeyBadName       = "ingest.line.bad_name"       // line, part (measurement, tag, field), name
	KeyKeyTooLong    = "ingest.line.key_too_long"   // line, key, max
	KeyTagRepeated   = "ingest.line.tag_repeated"   // line, tag
	KeyFieldRepeated = "ingest.line.field_repeated" // line, field
	KeyTooManyPoints = "ingest.batch.too_many_points"
)

// LineError says what is wrong with one line of a batch.
type LineError struct {
	Line   int            // 1-based, as an editor counts lines
	Key    string         // message key, one of the Key… constants
	Args   map[string]any // arguments of the message, "line" among them
	Detail string         // the same in English, for logs and tests
}

// Error implements error.
func (e *LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Detail) }

// BatchError refuses a whole batch, naming each offending line.
type BatchError struct {
	Lines []*LineError // the offending lines in order, at most MaxErrors of them
	Total int          // how many lines offend
}

// Error implements error.
func (e *BatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "tsdb: batch refused, %d offending line(s)", e.Total)
	for i, l := range e.Lines {
		if i == 5 {
			fmt.Fprintf(&b, "; …")
			break
		}
		b.WriteString("; ")
		b.WriteString(l.Error())
	}
	return b.String()
}

// TooManyPointsError refuses a batch of more points than ParseOptions.MaxPoints.
type TooManyPointsError struct{ Max int }

// Error implements error.
func (e *TooManyPointsError) Error() string {
	return fmt.Sprintf("tsdb: batch of more than %d points", e.Max)
}

// Key returns the message key of the error.
func (e *TooManyPointsError) Key() string { return KeyTooManyPoints }

// ParseLines parses a body of line protocol into a batch of points, one per field of
// each line, in the order of the body. A batch is taken whole or refused whole: when
// any line offends, it returns nil and a *BatchError naming each such line, or a
// *TooManyPointsError.
//
// Fields that are floats or integers (within ±2^53, so that they are stored exactly)
// become points; NaN and ±Inf, booleans, strings and unsigned integers beyond 2^53 are
// refused. Times before 1970 and more than MaxAhead after Now are refused. See
// SeriesKey for the series each field writes.
func ParseLines(body []byte, opt ParseOptions) (*Batch, error) {
	p := newLineParser(body, opt)
	p.run()
	if p.tooMany {
		return nil, &TooManyPointsError{Max: opt.MaxPoints}
	}
	if p.total > 0 {
		return nil, &BatchError{Lines: p.errs, Total: p.total}
	}
	return &Batch{Series: p.series, Points: p.out}, nil
}

type tagPair struct{ k, v []byte }

type lineParser struct {
	body      []byte
	opt       ParseOptions
	unit      int64
	now       int64 // Now truncated to the unit, for lines without a time
	ahead     int64 // latest time taken
	maxErrors int

	lines  lineCounter
	keys   map[string]int32 // index of each key in series
	series []string

	out     []SeriesPoint
	errs    []*LineError
	total   int
	tooMany bool

	// per line
	base   []byte // measurement and tags
	key    []byte
	scr    []byte // copies of tags
	tags   []tagPair
	fields []SeriesPoint // of this line, until the line is known good
	names  [][]byte      // field names of this line
	err    *LineError
	anchor int // offset of a byte on the line's first line, or -1
}

func newLineParser(body []byte, opt ParseOptions) *lineParser {
	body = body[:len(body):len(body)] // so that cap arithmetic finds offsets
	unit := int64(opt.Unit)
	if unit <= 0 {
		unit = 1
	}
	ahead := opt.MaxAhead
	if ahead <= 0 {
		ahead = 24 * time.Hour
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	now := opt.Now.UnixNano()
	maxErrors := opt.MaxErrors
	if maxErrors <= 0 {
		maxErrors = 1000
	}
	p := &lineParser{
		body: body, opt: opt, unit: unit, maxErrors: maxErrors,
		now:   now - ((now%unit)+unit)%unit,
		ahead: now + int64(ahead),
		lines: lineCounter{body: body, line: 1},
		keys:  map[string]int32{},
		// A line of one point takes at least 6 bytes ("a v=1\n"): blank lines do not
		// make the guess grow.
		out: make([]SeriesPoint, 0, min(bytes.Count(body, []byte{'\n'})+1, len(body)/6+1)),
	}
	if p.ahead < now { // overflow
		p.ahead = math.MaxInt64
	}
	return p
}

// offset returns the offset of b in the body, or -1 if b is not a slice of it (the
// decoder returns unescaped text from a buffer of its own).
func (p *lineParser) offset(b []byte) int {
	if len(b) == 0 || cap(b) > cap(p.body) {
		return -1
	}
	off := cap(p.body) - cap(b)
	if off >= len(p.body) || &p.body[off] != &b[0] {
		return -1
	}
	return off
}

func (p *lineParser) mark(b []byte) {
	if p.anchor < 0 {
		p.anchor = p.offset(b)
	}
}

// fail records the first error of the current line.
func (p *lineParser) fail(key, detail string, args ...any) {
	if p.err != nil {
		return
	}
	m := map[string]any{}
	for i := 0; i+1 < len(args); i += 2 {
		m[args[i].(string)] = args[i+1]
	}
	p.err = &LineError{Key: key, Args: m, Detail: detail}
}

func (p *lineParser) run() {
	dec := lineprotocol.NewDecoderWithBytes(p.body)
	for dec.Next() {
		p.finish(p.entry(dec))
		if p.tooMany {
			return
		}
	}
}

// entry reads one entry, returning the decoder's error if there is one; semantic
// errors go to p.err.
func (p *lineParser) entry(dec *lineprotocol.Decoder) (syntax *lineprotocol.DecodeError) {
	p.err, p.anchor = nil, -1
	p.fields, p.names, p.tags, p.scr = p.fields[:0], p.names[:0], p.tags[:0], p.scr[:0]

	m, err := dec.Measurement()
	if syntax = asSyntax(err); syntax != nil {
		return
	}
	p.mark(m)
	if !validName(m) {
		p.fail(KeyBadName, fmt.Sprintf("measurement %q: names take letters, digits and _ . -", m), "part", "measurement", "name", string(m))
	}
	p.base = append(p.base[:0], m...)
	for {
		k, v, err := dec.NextTag()
		if syntax = asSyntax(err); syntax != nil {
			return
		}
		if k == nil {
			break
		}
		p.mark(k)
		if !validName(k) || !validName(v) {
			p.fail(KeyBadName, fmt.Sprintf("tag %q=%q: names take letters, digits and _ . -", k, v), "part", "tag", "name", string(k)+"="+string(v))
		}
		// The decoder's slices last until its next call: keep copies (slices of an
		// array that append outgrows still hold what was written).
		n := len(p.scr)
		p.scr = append(p.scr, k...)
		p.scr = append(p.scr, v...)
		p.tags = append(p.tags, tagPair{p.scr[n : n+len(k)], p.scr[n+len(k):]})
	}
	slices.SortFunc(p.tags, func(a, b tagPair) int { return bytes.Compare(a.k, b.k) })
	for i, t := range p.tags {
		if i > 0 && bytes.Equal(t.k, p.tags[i-1].k) {
			p.fail(KeyTagRepeated, fmt.Sprintf("tag %q repeated", t.k), "tag", string(t.k))
		}
		p.base = append(p.base, ',')
		p.base = append(p.base, t.k...)
		p.base = append(p.base, '=')
		p.base = append(p.base, t.v...)
	}

	for {
		k, kind, v, err := dec.NextFieldBytes()
		if syntax = asSyntax(err); syntax != nil {
			return
		}
		if k == nil {
			break
		}
		p.mark(k)
		p.mark(v)
		p.field(k, kind, v)
	}

	// Repeated fields, found by sorting so that a line of many fields costs n log n.
	if len(p.names) > 1 {
		slices.SortFunc(p.names, bytes.Compare)
		for i := 1; i < len(p.names); i++ {
			if bytes.Equal(p.names[i], p.names[i-1]) {
				p.fail(KeyFieldRepeated, fmt.Sprintf("field %q repeated", p.names[i]), "field", string(p.names[i]))
				break
			}
		}
	}

	tb, err := dec.TimeBytes()
	if syntax = asSyntax(err); syntax != nil {
		return
	}
	p.mark(tb)
	t := p.now
	if tb != nil {
		var ok bool
		if t, ok = p.time(tb); !ok {
			return
		}
	}
	for i := range p.fields {
		p.fields[i].T = t
	}
	return nil
}

func (p *lineParser) field(k []byte, kind lineprotocol.ValueKind, v []byte) {
	if !validName(k) {
		p.fail(KeyBadName, fmt.Sprintf("field %q: names take letters, digits and _ . -", k), "part", "field", "name", string(k))
	}
	n := len(p.scr)
	p.scr = append(p.scr, k...)
	p.names = append(p.names, p.scr[n:len(p.scr):len(p.scr)])

	var x float64
	switch kind {
	case lineprotocol.Float:
		val, err := lineprotocol.NewValueFromBytes(kind, v)
		if err != nil {
			p.badFloat(k, v)
			return
		}
		x = val.FloatV()
	case lineprotocol.Int, lineprotocol.Uint:
		val, err := lineprotocol.NewValueFromBytes(kind, v)
		if err != nil {
			p.fail(KeyOutOfRange, fmt.Sprintf("field %q: integer %s out of range", k, v), "field", string(k), "value", string(v))
			return
		}
		if kind == lineprotocol.Int {
			i := val.IntV()
			if i > maxExactInt || i < -maxExactInt {
				p.fail(KeyInexactInt, fmt.Sprintf("field %q: integer %d is beyond ±2^53 and cannot be stored exactly", k, i), "field", string(k), "value", string(v))
				return
			}
			x = float64(i)
		} else {
			u := val.UintV()
			if u > maxExactInt {
				p.fail(KeyInexactInt, fmt.Sprintf("field %q: integer %d is beyond ±2^53 and cannot be stored exactly", k, u), "field", string(k), "value", string(v))
				return
			}
			x = float64(u)
		}
	default:
		p.fail(KeyWrongType, fmt.Sprintf("field %q is a %v; only numbers are stored", k, kind), "field", string(k), "type", kind.String())
		return
	}
	p.key = append(p.key[:0], p.base...)
	if string(k) != "value" {
		p.key = append(p.key, '.')
		p.key = append(p.key, k...)
	}
	idx, ok := p.keys[string(p.key)]
	if !ok {
		if len(p.key) > MaxKeyLen {
			p.fail(KeyKeyTooLong, fmt.Sprintf("series key %q is longer than %d bytes", p.key, MaxKeyLen), "key", string(p.key), "max", MaxKeyLen)
			return
		}
		key := string(p.key)
		idx = int32(len(p.series))
		p.keys[key] = idx
		p.series = append(p.series, key)
	}
	p.fields = append(p.fields, SeriesPoint{Series: idx, Point: Point{V: x}})
}

// badFloat classifies a float field the decoder refused.
func (p *lineParser) badFloat(k, v []byte) {
	x, err := strconv.ParseFloat(string(v), 64)
	switch {
	case err == nil && (math.IsNaN(x) || math.IsInf(x, 0)):
		p.fail(KeyNotFinite, fmt.Sprintf("field %q: %s is not a finite number", k, v), "field", string(k), "value", string(v))
	case errors.Is(err, strconv.ErrRange):
		p.fail(KeyOutOfRange, fmt.Sprintf("field %q: %s is out of the range of float64", k, v), "field", string(k), "value", string(v))
	default:
		p.fail(KeyNotANumber, fmt.Sprintf("field %q: %q is not a number", k, v), "field", string(k), "value", string(v))
	}
}

// CheckPoint applies the rules of ParseLines to a point that came another way (the
// JSON batch, MQTT): a finite value, a time from 1970 to maxAhead (zero: 24 h) after
// now. The error is a *LineError with Line 0, for the caller to number.
func CheckPoint(p Point, now time.Time, maxAhead time.Duration) error {
	if maxAhead <= 0 {
		maxAhead = 24 * time.Hour
	}
	le := func(key, detail string, args ...any) error {
		m := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			m[args[i].(string)] = args[i+1]
		}
		return &LineError{Key: key, Args: m, Detail: detail}
	}
	switch {
	case math.IsNaN(p.V) || math.IsInf(p.V, 0):
		v := strconv.FormatFloat(p.V, 'g', -1, 64)
		return le(KeyNotFinite, v+" is not a finite number", "field", "value", "value", v)
	case p.T < 0:
		at := time.Unix(0, p.T).UTC().Format(time.RFC3339Nano)
		return le(KeyBefore1970, fmt.Sprintf("time %s is before 1970", at), "time", at)
	case p.T > now.Add(maxAhead).UnixNano() && now.Add(maxAhead).UnixNano() > now.UnixNano():
		at := time.Unix(0, p.T).UTC().Format(time.RFC3339Nano)
		return le(KeyTooFarAhead, fmt.Sprintf("time %s is more than %v ahead of the server's clock", at, maxAhead), "time", at, "ahead", maxAhead.String())
	}
	return nil
}

// asSyntax returns err as a decoder error (it never returns others for a body in
// memory, but an unknown error must not pass as none).
func asSyntax(err error) *lineprotocol.DecodeError {
	if err == nil {
		return nil
	}
	var e *lineprotocol.DecodeError
	if errors.As(err, &e) {
		return e
	}
	return &lineprotocol.DecodeError{Line: 0, Column: 0, Err: err}
}

// time parses a timestamp in units, checking its range.
func (p *lineParser) time(b []byte) (int64, bool) {
	neg := b[0] == '-'
	digits := b
	if neg {
		digits = b[1:]
	}
	var u uint64
	ok := len(digits) > 0
	for _, c := range digits {
		if c < '0' || c > '9' || u > (math.MaxUint64-9)/10 {
			ok = false
			break
		}
		u = u*10 + uint64(c-'0')
	}
	if !ok {
		p.fail(KeyBadTime, fmt.Sprintf("timestamp %q is not an integer in range", b), "value", string(b))
		return 0, false
	}
	if neg {
		if u != 0 {
			p.fail(KeyBefore1970, fmt.Sprintf("time %s is before 1970", b), "time", "-"+strconv.FormatUint(u, 10))
			return 0, false
		}
	}
	if u > math.MaxInt64/uint64(p.unit) {
		p.fail(KeyBadTime, fmt.Sprintf("timestamp %s is beyond the year 2262 at this precision", b), "value", string(b))
		return 0, false
	}
	t := int64(u) * p.unit
	if t > p.ahead {
		at := time.Unix(0, t).UTC().Format(time.RFC3339Nano)
		ahead := time.Duration(p.ahead - p.opt.Now.UnixNano())
		p.fail(KeyTooFarAhead, fmt.Sprintf("time %s is more than %v ahead of the server's clock", at, ahead), "time", at, "ahead", ahead.String())
		return 0, false
	}
	return t, true
}

// finish files the line's samples or its error.
func (p *lineParser) finish(syntax *lineprotocol.DecodeError) {
	line := 0
	switch {
	case p.err == nil && syntax == nil:
		if p.total > 0 {
			return // the batch is refused anyway: keep no samples
		}
		if p.opt.MaxPoints > 0 && len(p.out)+len(p.fields) > p.opt.MaxPoints {
			p.tooMany = true
			return
		}
		p.out = append(p.out, p.fields...)
		return
	case p.err == nil:
		// A syntax error and nothing before it.
		line = int(syntax.Line)
		p.err = p.syntaxError(syntax)
		if line <= 0 {
			line = p.lines.line
		}
	case syntax != nil && syntax.Line > 0:
		line = int(syntax.Line)
	case p.anchor >= 0:
		line = p.lines.at(p.anchor)
	default:
		line = p.lines.line // no byte of the line is in the body: the line after the last known
	}
	p.total++
	if len(p.errs) < p.maxErrors {
		p.err.Line = line
		p.err.Args["line"] = line
		p.errs = append(p.errs, p.err)
	}
}

// syntaxError turns the decoder's error into a LineError, recognising NaN and
// infinities, which the decoder sees as values of no type.
func (p *lineParser) syntaxError(e *lineprotocol.DecodeError) *LineError {
	detail := e.Err.Error()
	if start := p.lines.start(int(e.Line)); start >= 0 && e.Column > 0 {
		// The decoder counts columns from the measurement, after leading spaces.
		for start < len(p.body) && p.body[start] == ' ' {
			start++
		}
		at := min(len(p.body), start+e.Column-1)
		rest := p.body[at:]
		if i := bytes.IndexAny(rest, ", \r\n"); i >= 0 {
			rest = rest[:i]
		}
		switch strings.ToLower(string(rest)) {
		case "nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity":
			// The field's name ends at the '=' before the value.
			before := p.body[start:at]
			field := ""
			if i := len(before) - 1; i >= 0 && before[i] == '=' {
				before = before[:i]
				field = string(before[bytes.LastIndexAny(before, ", ")+1:])
			}
			return &LineError{Key: KeyNotFinite, Detail: fmt.Sprintf("field %q: %s is not a finite number", field, rest),
				Args: map[string]any{"field": field, "value": string(rest)}}
		}
	}
	return &LineError{Key: KeyMalformed, Detail: fmt.Sprintf("column %d: %s", e.Column, detail),
		Args: map[string]any{"column": e.Column, "detail": detail}}
}

// lineCounter turns offsets in the body into line numbers, counting newlines only from
// the last offset asked (lines are asked in order), and only when a line offends.
type lineCounter struct {
	body []byte
	off  int // offset of the start of line
	line int
}

// at returns the line of the byte at off.
func (c *lineCounter) at(off int) int {
	if off < c.off {
		c.off, c.line = 0, 1
	}
	for {
		i := bytes.IndexByte(c.body[c.off:off], '\n')
		if i < 0 {
			return c.line
		}
		c.off += i + 1
		c.line++
	}
}

// start returns the offset of the first byte of line n, or -1.
func (c *lineCounter) start(n int) int {
	if n < c.line {
		c.off, c.line = 0, 1
	}
	for c.line < n {
		i := bytes.IndexByte(c.body[c.off:], '\n')
		if i < 0 {
			return -1
		}
		c.off += i + 1
		c.line++
	}
	return c.off
}
