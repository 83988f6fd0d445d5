package engine_test

import (
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

func TestParseNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   any
		want float64
		ok   bool
	}{
		{"12,5", 12.5, true}, {"1.234,5", 1234.5, true}, {"1 234,5", 1234.5, true}, {"1,234.5", 1234.5, true},
		{"12.5", 12.5, true}, {"1.234.567", 1234567, true}, {"45%", 45, true}, {" -3,25 ", -3.25, true},
		{float64(7), 7, true}, {int64(3), 3, true},
		{"mười hai", 0, false}, {"", 0, false}, {"NaN", 0, false}, {"1,2,3x", 0, false}, {true, 0, false},
	} {
		got, ok := engine.ParseNumber(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	vn := tinhso.Location
	for _, tc := range []struct {
		in   any
		want time.Time
		ok   bool
	}{
		{"31/03/2026", time.Date(2026, 3, 31, 0, 0, 0, 0, vn), true},
		{"1/4/2026", time.Date(2026, 4, 1, 0, 0, 0, 0, vn), true},
		{"31/03/2026 14:30", time.Date(2026, 3, 31, 14, 30, 0, 0, vn), true},
		{"2026-03-31", time.Date(2026, 3, 31, 0, 0, 0, 0, vn), true},
		{"2026-03-31T07:00:00Z", time.Date(2026, 3, 31, 7, 0, 0, 0, time.UTC), true},
		{float64(1796112000), time.Unix(1796112000, 0), true},
		{"31/13/2026", time.Time{}, false}, {"hôm qua", time.Time{}, false},
	} {
		got, ok := engine.ParseTime(tc.in)
		if ok != tc.ok || (ok && !got.Equal(tc.want)) {
			t.Errorf("ParseTime(%v) = %v, %v; want %v", tc.in, got, ok, tc.want)
		}
	}
}

func TestCron(t *testing.T) {
	t.Parallel()
	vn := tinhso.Location
	at := func(y, m, d, h, min int) time.Time { return time.Date(y, time.Month(m), d, h, min, 0, 0, vn) }
	for _, tc := range []struct {
		expr     string
		from     time.Time
		want     time.Time
		bad      bool
		badField string
	}{
		{expr: "30 7 * * 1-5", from: at(2026, 11, 27, 7, 30), want: at(2026, 11, 30, 7, 30)}, // Friday → Monday
		{expr: "*/15 * * * *", from: at(2026, 11, 30, 7, 1), want: at(2026, 11, 30, 7, 15)},
		{expr: "0 0 1 * *", from: at(2026, 12, 15, 0, 0), want: at(2027, 1, 1, 0, 0)},
		{expr: "0 6 * * 0", from: at(2026, 11, 30, 0, 0), want: at(2026, 12, 6, 6, 0)}, // Sunday as 0
		{expr: "0 6 * * 7", from: at(2026, 11, 30, 0, 0), want: at(2026, 12, 6, 6, 0)}, // and as 7
		{expr: "0 8 15 * 1", from: at(2026, 12, 1, 9, 0), want: at(2026, 12, 7, 8, 0)}, // day 15 or Monday
		{expr: "5,35 9-10 * 2,8 *", from: at(2026, 3, 1, 0, 0), want: at(2026, 8, 1, 9, 5)},
		{expr: "0 0 31 2 *", from: at(2026, 1, 1, 0, 0), want: time.Time{}},
		{expr: "0 7 * *", bad: true}, {expr: "60 * * * *", bad: true}, {expr: "* * * * 1-9", bad: true}, {expr: "*/0 * * * *", bad: true},
	} {
		c, err := engine.ParseCron(tc.expr)
		if tc.bad {
			if te, ok := err.(*tinhso.Error); !ok || te.Field != "schedule.cron" {
				t.Errorf("%q: %v", tc.expr, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.expr, err)
		}
		if got := c.Next(tc.from); !got.Equal(tc.want) {
			t.Errorf("%q after %v: %v, want %v", tc.expr, tc.from, got, tc.want)
		}
	}
}

func TestMapRows(t *testing.T) {
	t.Parallel()
	m := &tinhso.ConnectorMapping{Target: tinhso.TargetIndicator, Indicator: "x", Period: tinhso.FreqQuarterly, Time: "ngay", Value: "v"}
	rows := []engine.Row{
		{N: 2, Fields: map[string]any{"ngay": "15/01/2026", "v": "1,5"}},
		{N: 3, Fields: map[string]any{"ngay": "20/03/2026", "v": "2"}},
		{N: 4, Fields: map[string]any{"ngay": "01/04/2026", "v": "3"}},
	}
	vals, errs := engine.MapRows(m, rows)
	if len(errs) != 0 || len(vals) != 2 || vals[0].Value != 2 || vals[0].Date != "2026-03-31" || vals[0].Period != "Q1/2026" || vals[1].Row != 4 {
		t.Fatalf("%+v %+v", vals, errs)
	}
	bad := []engine.Row{
		{N: 2, Fields: map[string]any{"ngay": "15/01/2026"}},
		{N: 3, Fields: map[string]any{"ngay": "hôm nay", "v": "1"}},
		{N: 4, Fields: map[string]any{"ngay": "15/01/2026", "v": "nhiều"}},
		{N: 5, Fields: map[string]any{"ngay": "15/01/2026", "v": nil}},
	}
	_, errs = engine.MapRows(m, bad)
	keys := []string{"connectors.err.missing_field", "connectors.err.bad_time", "connectors.err.bad_number", "connectors.err.null_value"}
	if len(errs) != 4 {
		t.Fatalf("%+v", errs)
	}
	for i, e := range errs {
		if e.Row != i+2 || e.Message.Key != keys[i] {
			t.Errorf("%d: %+v", i, e)
		}
	}
	// The digest depends on the values, not on how they were written.
	a, _ := engine.MapRows(m, []engine.Row{{N: 1, Fields: map[string]any{"ngay": "31/03/2026", "v": "2,50"}}})
	b, _ := engine.MapRows(m, []engine.Row{{N: 1, Fields: map[string]any{"ngay": "2026-03-31", "v": 2.5}}})
	c, _ := engine.MapRows(m, []engine.Row{{N: 1, Fields: map[string]any{"ngay": "2026-03-31", "v": 2.51}}})
	if engine.Digest(a) != engine.Digest(b) || engine.Digest(a) == engine.Digest(c) {
		t.Fatal("digest")
	}
	if engine.ShouldAlert(2) || !engine.ShouldAlert(3) {
		t.Fatal("ShouldAlert")
	}
}

func TestNextDue(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 30, 7, 0, 0, 0, tinhso.Location)
	c := &tinhso.Connector{Enabled: true, Schedule: tinhso.ConnectorSchedule{Every: tinhso.Duration(10 * time.Minute)}}
	if got := engine.NextDue(c, nil, time.Time{}, t0); !got.Equal(t0) {
		t.Errorf("first: %v", got)
	}
	if got := engine.NextDue(c, nil, t0, t0.Add(time.Minute)); !got.Equal(t0.Add(10 * time.Minute)) {
		t.Errorf("next: %v", got)
	}
	if got := engine.NextDue(c, nil, t0, t0.Add(35*time.Minute)); !got.Equal(t0.Add(40 * time.Minute)) {
		t.Errorf("missed: %v", got)
	}
	c.Enabled = false
	if got := engine.NextDue(c, nil, t0, t0); !got.IsZero() {
		t.Errorf("disabled: %v", got)
	}
}
