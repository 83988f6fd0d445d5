package tsdb_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso/tsdb"
)

var clock = time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.UTC)

// sample is a point with its series key, for comparing batches.
type sample struct {
	Series string
	tsdb.Point
}

func parse(t *testing.T, body string, unit time.Duration) []sample {
	t.Helper()
	b, err := tsdb.ParseLines([]byte(body), tsdb.ParseOptions{Unit: unit, Now: clock})
	if err != nil {
		t.Fatalf("ParseLines(%q): %v", body, err)
	}
	return samples(b)
}

func samples(b *tsdb.Batch) []sample {
	var out []sample
	for i, p := range b.Points {
		out = append(out, sample{Series: b.Key(i), Point: p.Point})
	}
	return out
}

func TestParseLinesKeys(t *testing.T) {
	t.Parallel()
	const ts = 1772366400 // 2026-03-01T12:00:00Z in seconds
	s := func(key string, v float64) sample {
		return sample{Series: key, Point: tsdb.Point{T: ts * 1e9, V: v}}
	}
	tests := []struct {
		name string
		body string
		want []sample
	}{
		{"measurement and value", "temp value=21.37 1772366400", []sample{s("temp", 21.37)}},
		{"a field other than value", "temp c=21.37 1772366400", []sample{s("temp.c", 21.37)}},
		{"tags sorted", "air,site=hn,dev=a1 pm25=12,value=3 1772366400",
			[]sample{s("air,dev=a1,site=hn.pm25", 12), s("air,dev=a1,site=hn", 3)}},
		{"integers are numbers", "n value=42i,u=7u,neg=-9007199254740992i 1772366400",
			[]sample{s("n", 42), s("n.u", 7), s("n.neg", -9007199254740992)}},
		{"comments, blank lines, CRLF", "# header\n\ntemp value=1 1772366400\r\n\n# x\nhum value=2 1772366400\n",
			[]sample{s("temp", 1), s("hum", 2)}},
		{"dots and dashes", "city.lights-a,zone=z_1 value=0.5 1772366400", []sample{s("city.lights-a,zone=z_1", 0.5)}},
		{"exponent and negative zero", "x value=1e3,y=-0.0 1772366400", []sample{s("x", 1000), s("x.y", math.Copysign(0, -1))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := parse(t, tt.body, time.Second)
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i].Series != tt.want[i].Series || got[i].T != tt.want[i].T ||
					math.Float64bits(got[i].V) != math.Float64bits(tt.want[i].V) {
					t.Errorf("sample %d: got %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseLinesPrecision(t *testing.T) {
	t.Parallel()
	want := time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC).UnixNano()
	tests := []struct {
		v1, v2 string
		stamp  int64
	}{
		{"n", "ns", want},
		{"u", "us", want / 1e3},
		{"ms", "ms", want / 1e6},
		{"s", "s", want / 1e9},
		{"m", "", want / 60e9},
		{"h", "", want / 3600e9},
	}
	for _, tt := range tests {
		unit, err := tsdb.ParsePrecisionV1(tt.v1)
		if err != nil {
			t.Fatal(err)
		}
		if got := parse(t, fmt.Sprintf("x value=1 %d", tt.stamp), unit); got[0].T != want {
			t.Errorf("precision %s: time %d, want %d", tt.v1, got[0].T, want)
		}
		if tt.v2 == "" {
			if _, err := tsdb.ParsePrecisionV2(tt.v1); err == nil {
				t.Errorf("v2 took precision %q", tt.v1)
			}
			continue
		}
		if u2, err := tsdb.ParsePrecisionV2(tt.v2); err != nil || u2 != unit {
			t.Errorf("ParsePrecisionV2(%q) = %v, %v; want %v", tt.v2, u2, err, unit)
		}
	}
	for _, bad := range []string{"sec", "N", "1s"} {
		if _, err := tsdb.ParsePrecisionV1(bad); err == nil {
			t.Errorf("v1 took precision %q", bad)
		}
	}
	// A line without a time takes the clock, truncated to the precision.
	if got := parse(t, "x value=1", time.Millisecond); got[0].T != clock.Truncate(time.Millisecond).UnixNano() {
		t.Errorf("no timestamp: time %d, want the clock at ms", got[0].T)
	}
	if got := parse(t, "x value=1", 0); got[0].T != clock.UnixNano() {
		t.Errorf("no timestamp: time %d, want the clock", got[0].T)
	}
}

func TestParseLinesErrors(t *testing.T) {
	t.Parallel()
	day := int64(24 * time.Hour)
	tests := []struct {
		name string
		body string
		line int
		key  string
	}{
		{"malformed", "ok value=1\nno fields here\nok value=2", 2, tsdb.KeyMalformed},
		{"measurement only", "lonely", 1, tsdb.KeyMalformed},
		{"NaN", "ok value=1\n\nx value=NaN", 3, tsdb.KeyNotFinite},
		{"nan in lower case, second field", "x a=1,b=nan 5", 1, tsdb.KeyNotFinite},
		{"+Inf", "x value=+Inf", 1, tsdb.KeyNotFinite},
		{"-Inf", "x value=-Inf", 1, tsdb.KeyNotFinite},
		{"Infinity", "x value=-infinity", 1, tsdb.KeyNotFinite},
		{"overflowing float", "x value=1e400", 1, tsdb.KeyOutOfRange},
		{"not a number", "x value=1.2.3", 1, tsdb.KeyNotANumber},
		{"bool", "x on=true", 1, tsdb.KeyWrongType},
		{"string", "x note=\"hello\"", 1, tsdb.KeyWrongType},
		{"integer beyond 2^53", "x value=9007199254740993i", 1, tsdb.KeyInexactInt},
		{"unsigned beyond 2^53", "x value=18446744073709551615u", 1, tsdb.KeyInexactInt},
		{"integer overflow", "x value=99999999999999999999i", 1, tsdb.KeyOutOfRange},
		{"before 1970", "x value=1 -1", 1, tsdb.KeyBefore1970},
		{"too far ahead", fmt.Sprintf("x value=1 %d", clock.UnixNano()+day+1), 1, tsdb.KeyTooFarAhead},
		{"timestamp overflow", "x value=1 99999999999999999999", 1, tsdb.KeyBadTime},
		{"timestamp beyond 2262 at the precision", "x value=1 9223372036854775807000", 1, tsdb.KeyBadTime},
		{"bad characters in a tag", "x,site=Hà_Nội value=1", 1, tsdb.KeyBadName},
		{"slash in the measurement", "a/b value=1", 1, tsdb.KeyBadName},
		{"escaped comma in the measurement", `a\,b=c value=1`, 1, tsdb.KeyBadName},
		{"escaped space in a tag value", `x,site=a\ b value=1`, 1, tsdb.KeyBadName},
		{"repeated tag", "x,a=1,a=2 value=1", 1, tsdb.KeyTagRepeated},
		{"repeated field", "x a=1,a=2", 1, tsdb.KeyFieldRepeated},
		{"key too long", "x,t=" + strings.Repeat("v", 200) + " value=1", 1, tsdb.KeyKeyTooLong},
		{"leading spaces", "ok value=1\n   x value=NaN", 2, tsdb.KeyNotFinite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tsdb.ParseLines([]byte(tt.body), tsdb.ParseOptions{Now: clock})
			var be *tsdb.BatchError
			if !errors.As(err, &be) {
				t.Fatalf("got %v, %v; want a BatchError", got, err)
			}
			if got != nil {
				t.Errorf("a refused batch returned samples %v", got)
			}
			if be.Total != 1 || len(be.Lines) != 1 {
				t.Fatalf("errors %v, want one", be)
			}
			le := be.Lines[0]
			if le.Line != tt.line || le.Key != tt.key || le.Args["line"] != tt.line {
				t.Errorf("got line %d key %s (%v), want line %d key %s", le.Line, le.Key, le, tt.line, tt.key)
			}
			if le.Detail == "" {
				t.Error("no detail")
			}
		})
	}
}

func TestParseLinesNamesEveryLine(t *testing.T) {
	t.Parallel()
	body := "a value=1\nb value=NaN\nc value=2\nd\ne,x=1 value=\"s\"\nf value=3 -5\n"
	_, err := tsdb.ParseLines([]byte(body), tsdb.ParseOptions{Now: clock})
	var be *tsdb.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v", err)
	}
	var lines []int
	for _, l := range be.Lines {
		lines = append(lines, l.Line)
	}
	if fmt.Sprint(lines) != "[2 4 5 6]" || be.Total != 4 {
		t.Errorf("offending lines %v (total %d), want [2 4 5 6]", lines, be.Total)
	}
	// A string may hold newlines: lines are counted as an editor counts them.
	_, err = tsdb.ParseLines([]byte("x note=\"a\nb\nc\" 1\ny value=NaN\nz value=1\nw value=1 -3"), tsdb.ParseOptions{Now: clock})
	if !errors.As(err, &be) || be.Total != 3 || be.Lines[0].Line != 1 || be.Lines[1].Line != 4 || be.Lines[2].Line != 6 {
		t.Errorf("multi-line string: %v", err)
	}
	// MaxErrors caps the list, not the count.
	_, err = tsdb.ParseLines([]byte(strings.Repeat("bad\n", 50)), tsdb.ParseOptions{Now: clock, MaxErrors: 10})
	if !errors.As(err, &be) || len(be.Lines) != 10 || be.Total != 50 || be.Lines[9].Line != 10 {
		t.Errorf("capped: %v", err)
	}
}

func TestParseLinesMaxPoints(t *testing.T) {
	t.Parallel()
	body := []byte("a value=1 1\nb value=2,c=3 1\n")
	if got, err := tsdb.ParseLines(body, tsdb.ParseOptions{Now: clock, MaxPoints: 3}); err != nil || got.Len() != 3 {
		t.Fatalf("at the limit: %v, %v", got, err)
	}
	_, err := tsdb.ParseLines(body, tsdb.ParseOptions{Now: clock, MaxPoints: 2})
	var tm *tsdb.TooManyPointsError
	if !errors.As(err, &tm) || tm.Max != 2 {
		t.Fatalf("over the limit: err = %v", err)
	}
}

func TestBatchGroup(t *testing.T) {
	t.Parallel()
	b, err := tsdb.ParseLines([]byte("a value=1 3\nb value=2 1\na value=3 1\na value=4 3\nb x=5 2"), tsdb.ParseOptions{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(b.Series) != "[a b b.x]" {
		t.Fatalf("series %v", b.Series)
	}
	g := b.Group()
	if fmt.Sprint(g) != "[[{3 1} {1 3} {3 4}] [{1 2}] [{2 5}]]" {
		t.Errorf("Group = %v", g)
	}
	// With Normalize, the last write of a time wins.
	if got := fmt.Sprint(tsdb.Normalize(g[0])); got != "[{1 3} {3 4}]" {
		t.Errorf("Normalize = %v", got)
	}
}

func TestSeriesKey(t *testing.T) {
	t.Parallel()
	k, err := tsdb.SeriesKey("air", map[string]string{"site": "hn", "dev": "a1"}, "pm25")
	if err != nil || k != "air,dev=a1,site=hn.pm25" {
		t.Errorf("SeriesKey = %q, %v", k, err)
	}
	if k, err := tsdb.SeriesKey("temp", nil, "value"); err != nil || k != "temp" {
		t.Errorf("SeriesKey = %q, %v", k, err)
	}
	for _, bad := range []struct {
		m   string
		tag map[string]string
		f   string
	}{{"a b", nil, "value"}, {"a", map[string]string{"k": "v=w"}, "value"}, {"a", nil, "f/g"}, {"", nil, "value"}} {
		if _, err := tsdb.SeriesKey(bad.m, bad.tag, bad.f); err == nil {
			t.Errorf("SeriesKey(%q, %v, %q) took it", bad.m, bad.tag, bad.f)
		}
	}
	for key, ok := range map[string]bool{"a": true, "a,b=c.d-e_f": true, "": false, "a/b": false, "a+b": false, "a#": false, "ấ": false, strings.Repeat("k", 201): false} {
		if err := tsdb.ValidKey(key); (err == nil) != ok {
			t.Errorf("ValidKey(%q) = %v", key, err)
		}
	}
}

func TestCheckPoint(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	for _, tt := range []struct {
		p   tsdb.Point
		key string
	}{
		{tsdb.Point{T: clock.UnixNano(), V: 1}, ""},
		{tsdb.Point{T: 0, V: 1}, ""},
		{tsdb.Point{T: clock.Add(day).UnixNano(), V: 1}, ""},
		{tsdb.Point{T: clock.Add(day).UnixNano() + 1, V: 1}, tsdb.KeyTooFarAhead},
		{tsdb.Point{T: -1, V: 1}, tsdb.KeyBefore1970},
		{tsdb.Point{T: 1, V: math.NaN()}, tsdb.KeyNotFinite},
		{tsdb.Point{T: 1, V: math.Inf(-1)}, tsdb.KeyNotFinite},
	} {
		err := tsdb.CheckPoint(tt.p, clock, 0)
		var le *tsdb.LineError
		if tt.key == "" && err != nil || tt.key != "" && (!errors.As(err, &le) || le.Key != tt.key) {
			t.Errorf("CheckPoint(%v) = %v, want %q", tt.p, err, tt.key)
		}
	}
}

// TestParseLinesWide: a line of 100,000 fields is parsed in n log n, not n².
func TestParseLinesWide(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("x ")
	for i := range 100000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "f%d=1", i)
	}
	b.WriteString(",f7=2 1")
	start := time.Now()
	_, err := tsdb.ParseLines([]byte(b.String()), tsdb.ParseOptions{Now: clock})
	var be *tsdb.BatchError
	if !errors.As(err, &be) || be.Lines[0].Key != tsdb.KeyFieldRepeated {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}
