package ingest

import (
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/tinhso/tinhso/tsdb"
)

// Message keys of JSON batches, beside tsdb's (KeyNotFinite, KeyBefore1970,
// KeyTooFarAhead apply to JSON points too). Arguments in comments; "point" is the
// 0-based index of the point in "points", "line" the line of the body it starts on.
const (
	KeyJSONMalformed      = "ingest.json.malformed"       // line, column, detail
	KeyJSONShape          = "ingest.json.shape"           // line, detail: not {"points": [...]}
	KeyJSONUnknownField   = "ingest.json.unknown_field"   // point, line, field
	KeyJSONMissing        = "ingest.json.missing"         // point, line, field
	KeyJSONRepeated       = "ingest.json.repeated"        // point, line, field
	KeyJSONBadSeries      = "ingest.json.bad_series"      // point, line, series, detail
	KeyJSONBadTime        = "ingest.json.bad_time"        // point, line, value
	KeyJSONBadValue       = "ingest.json.bad_value"       // point, line, value: not a number
	KeyJSONBadTags        = "ingest.json.bad_tags"        // point, line, detail
	KeyUnknownSeries      = "ingest.series.unknown"       // line, series
	KeyUnknownSeriesPoint = "ingest.series.unknown_point" // point, series (JSON)
)

// jsonParser reads the JSON batch {"points": [{"series", "time", "value", "tags"}]}
// straight from the bytes: the shape is fixed, and decoding it by reflection would cost
// more than everything else on the path of a point. The body is taken whole or refused
// whole, naming each offending point.
type jsonParser struct {
	b    []byte
	i    int
	opt  tsdb.ParseOptions
	now  int64
	lim  int64 // latest time taken
	maxE int

	keys   map[string]int32
	series []string
	out    []tsdb.SeriesPoint

	errs    []*tsdb.LineError
	total   int
	tooMany bool

	tagScratch []string
}

// syntaxErr stops the parse at the current offset.
type syntaxErr struct{ detail string }

// ParseJSON parses a JSON batch. Errors are *tsdb.BatchError (each offending point as a
// LineError whose Line is the body's line and Args name the point) or
// *tsdb.TooManyPointsError.
func ParseJSON(body []byte, opt tsdb.ParseOptions) (batch *tsdb.Batch, err error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	ahead := opt.MaxAhead
	if ahead <= 0 {
		ahead = 24 * time.Hour
	}
	p := &jsonParser{b: body, opt: opt, now: opt.Now.UnixNano(), maxE: opt.MaxErrors, keys: map[string]int32{}}
	p.lim = p.now + int64(ahead)
	if p.maxE <= 0 {
		p.maxE = 1000
	}
	func() {
		defer func() {
			if r := recover(); r != nil {
				se, ok := r.(syntaxErr)
				if !ok {
					panic(r)
				}
				_, col := p.position(p.i)
				p.fail(-1, p.i, KeyJSONMalformed, fmt.Sprintf("column %d: %s", col, se.detail), "column", col, "detail", se.detail)
			}
		}()
		p.top()
	}()
	if p.tooMany {
		return nil, &tsdb.TooManyPointsError{Max: opt.MaxPoints}
	}
	if p.total > 0 {
		return nil, &tsdb.BatchError{Lines: p.errs, Total: p.total}
	}
	return &tsdb.Batch{Series: p.series, Points: p.out}, nil
}

// position returns the 1-based line and column (in bytes) of offset off.
func (p *jsonParser) position(off int) (line, col int) {
	line, start := 1, 0
	for j := 0; j < off && j < len(p.b); j++ {
		if p.b[j] == '\n' {
			line++
			start = j + 1
		}
	}
	return line, off - start + 1
}

// fail records an offending point (index -1: the body as a whole).
func (p *jsonParser) fail(point, off int, key, detail string, args ...any) {
	p.total++
	if len(p.errs) >= p.maxE {
		return
	}
	line, _ := p.position(off)
	m := map[string]any{"line": line}
	for i := 0; i+1 < len(args); i += 2 {
		m[args[i].(string)] = args[i+1]
	}
	if point >= 0 {
		m["point"] = point
		detail = fmt.Sprintf("points[%d]: %s", point, detail)
	}
	p.errs = append(p.errs, &tsdb.LineError{Line: line, Key: key, Args: m, Detail: detail})
}

func (p *jsonParser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jsonParser) expect(c byte) {
	p.ws()
	if p.i >= len(p.b) {
		panic(syntaxErr{fmt.Sprintf("unexpected end of the body, want %q", c)})
	}
	if p.b[p.i] != c {
		panic(syntaxErr{fmt.Sprintf("found %q, want %q", p.b[p.i], c)})
	}
	p.i++
}

// peek returns the next byte after white space (0 at the end).
func (p *jsonParser) peek() byte {
	p.ws()
	if p.i >= len(p.b) {
		return 0
	}
	return p.b[p.i]
}

func (p *jsonParser) top() {
	p.expect('{')
	seen := false
	if p.peek() == '}' {
		p.i++
	} else {
		for {
			off := p.i
			name := p.str()
			p.expect(':')
			if string(name) != "points" {
				p.fail(-1, off, KeyJSONShape, fmt.Sprintf("unknown field %q; a batch is {\"points\": [...]}", name), "detail", "unknown field "+strconv.Quote(string(name)))
				p.skip()
			} else {
				if seen {
					p.fail(-1, off, KeyJSONShape, `"points" repeated`, "detail", `"points" repeated`)
				}
				seen = true
				p.points()
			}
			if p.peek() == ',' {
				p.i++
				continue
			}
			p.expect('}')
			break
		}
	}
	if p.peek() != 0 {
		panic(syntaxErr{"data after the batch"})
	}
	if !seen {
		p.fail(-1, 0, KeyJSONShape, `no "points": a batch is {"points": [...]}`, "detail", `no "points"`)
	}
}

func (p *jsonParser) points() {
	if p.peek() != '[' {
		panic(syntaxErr{`"points" must be an array`})
	}
	p.i++
	if p.peek() == ']' {
		p.i++
		return
	}
	for n := 0; ; n++ {
		p.point(n)
		if p.tooMany {
			panic(syntaxErr{"too many points"}) // reported as TooManyPointsError
		}
		if p.peek() == ',' {
			p.i++
			continue
		}
		p.expect(']')
		return
	}
}

func (p *jsonParser) point(n int) {
	p.ws()
	start := p.i
	p.expect('{')
	var (
		series       []byte
		hasSeries    bool
		t            int64
		hasTime      bool
		v            float64
		hasValue     bool
		tags         []string // name, value pairs
		hasTags, bad bool
	)
	seen := 0
	if p.peek() == '}' {
		p.i++
	} else {
		for {
			off := p.i
			name := p.str()
			p.expect(':')
			var bit int
			switch string(name) {
			case "series":
				bit = 1
				p.ws()
				if p.peek() != '"' {
					p.fail(n, off, KeyJSONBadSeries, "series must be a string", "series", "", "detail", "not a string")
					p.skip()
					bad = true
					break
				}
				series, hasSeries = p.str(), true
			case "time":
				bit = 2
				var ok bool
				if t, ok = p.time(n); !ok {
					bad = true
				}
				hasTime = true
			case "value":
				bit = 4
				var ok bool
				if v, ok = p.value(n); !ok {
					bad = true
				}
				hasValue = true
			case "tags":
				bit = 8
				var ok bool
				if tags, ok = p.tags(n); !ok {
					bad = true
				}
				hasTags = true
			default:
				p.fail(n, off, KeyJSONUnknownField, fmt.Sprintf("unknown field %q (a point has series, time, value and tags)", name), "field", string(name))
				p.skip()
				bad = true
			}
			if bit != 0 {
				if seen&bit != 0 {
					p.fail(n, off, KeyJSONRepeated, fmt.Sprintf("field %q repeated", name), "field", string(name))
					bad = true
				}
				seen |= bit
			}
			if p.peek() == ',' {
				p.i++
				continue
			}
			p.expect('}')
			break
		}
	}
	_ = hasTags
	if bad {
		return
	}
	if !hasSeries {
		p.fail(n, start, KeyJSONMissing, `no "series"`, "field", "series")
		return
	}
	if !hasValue {
		p.fail(n, start, KeyJSONMissing, `no "value"`, "field", "value")
		return
	}
	if !hasTime {
		t = p.now
	}
	var key string
	idx, known := int32(0), false
	if len(tags) == 0 {
		// A key seen before was checked then: no string is made for it again.
		if idx, known = p.keys[string(series)]; !known {
			if err := tsdb.ValidKey(string(series)); err != nil {
				p.fail(n, start, KeyJSONBadSeries, err.Error(), "series", string(series), "detail", err.Error())
				return
			}
		}
	} else {
		m := make(map[string]string, len(tags)/2)
		for i := 0; i < len(tags); i += 2 {
			m[tags[i]] = tags[i+1]
		}
		k, err := tsdb.SeriesKey(string(series), m, "value")
		if err != nil {
			p.fail(n, start, KeyJSONBadTags, err.Error(), "detail", err.Error())
			return
		}
		key = k
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || t < 0 || t > p.lim {
		err := tsdb.CheckPoint(tsdb.Point{T: t, V: v}, p.opt.Now, p.opt.MaxAhead)
		le, ok := err.(*tsdb.LineError)
		if !ok {
			le = &tsdb.LineError{Key: KeyJSONBadTime, Detail: fmt.Sprintf("time %d is out of range", t), Args: map[string]any{"value": t}}
		}
		args := []any{}
		for k, a := range le.Args {
			args = append(args, k, a)
		}
		p.fail(n, start, le.Key, le.Detail, args...)
		return
	}
	if p.total > 0 {
		return // refused anyway: keep no points
	}
	if p.opt.MaxPoints > 0 && len(p.out) >= p.opt.MaxPoints {
		p.tooMany = true
		return
	}
	if key != "" {
		idx, known = p.keys[key]
	}
	if !known {
		if key == "" {
			key = string(series)
		}
		idx = int32(len(p.series))
		p.keys[key] = idx
		p.series = append(p.series, key)
	}
	p.out = append(p.out, tsdb.SeriesPoint{Series: idx, Point: tsdb.Point{T: t, V: v}})
}

// str reads a string, returning its bytes (unescaped into a copy when it has escapes).
func (p *jsonParser) str() []byte {
	p.ws()
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		panic(syntaxErr{"want a string"})
	}
	p.i++
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			s := p.b[start:p.i]
			p.i++
			return s
		case c == '\\':
			return p.strEscaped(start)
		case c < 0x20:
			panic(syntaxErr{"control character in a string"})
		}
		p.i++
	}
	panic(syntaxErr{"unterminated string"})
}

func (p *jsonParser) strEscaped(start int) []byte {
	// Rare in a batch: let strconv do the unescaping of the whole string.
	i := start
	for i < len(p.b) {
		if p.b[i] == '\\' {
			i += 2
			continue
		}
		if p.b[i] == '"' {
			break
		}
		i++
	}
	if i >= len(p.b) {
		panic(syntaxErr{"unterminated string"})
	}
	s, err := strconv.Unquote(string(p.b[start-1 : i+1]))
	if err != nil || !utf8.ValidString(s) {
		panic(syntaxErr{"bad escape in a string"})
	}
	p.i = i + 1
	return []byte(s)
}

// number returns the bytes of a JSON number at the current offset, or nil.
func (p *jsonParser) number() []byte {
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			p.i++
			continue
		}
		break
	}
	return p.b[start:p.i]
}

func bstr(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func (p *jsonParser) value(n int) (float64, bool) {
	off := p.i
	c := p.peek()
	if c == '-' || c >= '0' && c <= '9' {
		num := p.number()
		f, err := strconv.ParseFloat(bstr(num), 64)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				p.fail(n, off, tsdb.KeyOutOfRange, fmt.Sprintf("value %s is out of the range of float64", num), "field", "value", "value", string(num))
				return 0, false
			}
			panic(syntaxErr{fmt.Sprintf("bad number %q", num)})
		}
		return f, true
	}
	start := p.i
	p.skip()
	raw := string(p.b[start:p.i])
	p.fail(n, off, KeyJSONBadValue, fmt.Sprintf("value %s is not a number", raw), "value", raw)
	return 0, false
}

// time reads an RFC 3339 string or epoch milliseconds (a fraction down to nanoseconds
// allowed).
func (p *jsonParser) time(n int) (int64, bool) {
	off := p.i
	c := p.peek()
	switch {
	case c == '"':
		s := p.str()
		tm, err := time.Parse(time.RFC3339Nano, bstr(s))
		if err != nil {
			p.fail(n, off, KeyJSONBadTime, fmt.Sprintf("time %q is not RFC 3339 (2026-01-02T15:04:05Z, 2026-01-02T22:04:05+07:00) nor epoch milliseconds", s), "value", string(s))
			return 0, false
		}
		if y := tm.Year(); y < 1678 || y > 2261 {
			p.fail(n, off, KeyJSONBadTime, fmt.Sprintf("time %q is outside 1678–2261", s), "value", string(s))
			return 0, false
		}
		return tm.UnixNano(), true
	case c == '-' || c >= '0' && c <= '9':
		num := p.number()
		t, ok := epochMillis(num)
		if !ok {
			p.fail(n, off, KeyJSONBadTime, fmt.Sprintf("time %s is not a whole number of milliseconds since 1970 (at most 6 decimals) in range", num), "value", string(num))
			return 0, false
		}
		return t, true
	}
	start := p.i
	p.skip()
	raw := string(p.b[start:p.i])
	p.fail(n, off, KeyJSONBadTime, fmt.Sprintf("time %s is neither an RFC 3339 string nor epoch milliseconds", raw), "value", raw)
	return 0, false
}

// epochMillis converts a decimal number of milliseconds to nanoseconds exactly.
func epochMillis(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	var ms, frac int64
	digits, fd := 0, -1
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			if fd >= 0 {
				if fd == 6 {
					return 0, false
				}
				frac = frac*10 + int64(c-'0')
				fd++
				continue
			}
			if ms > math.MaxInt64/1_000_000/10 {
				return 0, false
			}
			ms = ms*10 + int64(c-'0')
			digits++
		case c == '.' && fd < 0:
			fd = 0
		default:
			return 0, false
		}
	}
	if digits == 0 || fd == 0 {
		return 0, false
	}
	for ; fd > 0 && fd < 6; fd++ {
		frac *= 10
	}
	if ms > math.MaxInt64/1_000_000-1 {
		return 0, false
	}
	t := ms*1e6 + frac
	if neg {
		t = -t
	}
	return t, true
}

// tags reads an object of string values into name, value pairs.
func (p *jsonParser) tags(n int) ([]string, bool) {
	off := p.i
	if p.peek() != '{' {
		p.skip()
		p.fail(n, off, KeyJSONBadTags, "tags must be an object of strings", "detail", "not an object")
		return nil, false
	}
	p.i++
	out := p.tagScratch[:0]
	ok := true
	if p.peek() == '}' {
		p.i++
		return out, true
	}
	for {
		k := p.str()
		p.expect(':')
		if p.peek() != '"' {
			p.skip()
			if ok {
				p.fail(n, off, KeyJSONBadTags, fmt.Sprintf("tag %q must be a string", k), "detail", "tag "+strconv.Quote(string(k))+" is not a string")
			}
			ok = false
		} else {
			out = append(out, string(k), string(p.str()))
		}
		if p.peek() == ',' {
			p.i++
			continue
		}
		p.expect('}')
		break
	}
	p.tagScratch = out
	return out, ok
}

// skip skips any JSON value.
func (p *jsonParser) skip() {
	switch c := p.peek(); {
	case c == '"':
		p.str()
	case c == '{':
		p.i++
		if p.peek() == '}' {
			p.i++
			return
		}
		for {
			p.str()
			p.expect(':')
			p.skip()
			if p.peek() == ',' {
				p.i++
				continue
			}
			p.expect('}')
			return
		}
	case c == '[':
		p.i++
		if p.peek() == ']' {
			p.i++
			return
		}
		for {
			p.skip()
			if p.peek() == ',' {
				p.i++
				continue
			}
			p.expect(']')
			return
		}
	case c == '-' || c >= '0' && c <= '9':
		num := p.number()
		if _, err := strconv.ParseFloat(bstr(num), 64); err != nil {
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				panic(syntaxErr{fmt.Sprintf("bad number %q", num)})
			}
		}
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if len(p.b)-p.i >= len(lit) && string(p.b[p.i:p.i+len(lit)]) == lit {
				p.i += len(lit)
				return
			}
		}
		panic(syntaxErr{"bad literal"})
	case c == 0:
		panic(syntaxErr{"unexpected end of the body"})
	default:
		panic(syntaxErr{fmt.Sprintf("unexpected %q", c)})
	}
}
