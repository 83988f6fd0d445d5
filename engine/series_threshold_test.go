package engine_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

func seriesRule(op string, threshold float64, margin *float64, after time.Duration) *tinhso.AlertRule {
	return &tinhso.AlertRule{Key: "pm25", Name: "PM2.5", Kind: tinhso.RuleSeriesThreshold, Severity: tinhso.SeverityWarning,
		Enabled: true, Op: op, Threshold: &threshold, ClearMargin: margin, ClearAfter: tinhso.Duration(after),
		EvalInterval: tinhso.Duration(time.Minute)}
}

func fp(v float64) *float64 { return &v }

// run steps values one second apart and counts openings and closings.
func run(r *tinhso.AlertRule, values []float64) (opened, closed int, final engine.ThresholdState) {
	var s engine.ThresholdState
	t0 := time.Date(2026, 12, 2, 8, 0, 0, 0, tinhso.Location)
	for i, v := range values {
		var tr int
		s, tr = engine.StepThreshold(r, s, v, t0.Add(time.Duration(i)*time.Second))
		switch tr {
		case engine.ThresholdOpened:
			opened++
		case engine.ThresholdClosed:
			closed++
		}
	}
	return opened, closed, s
}

// noisy is a sensor hovering around level with ±amp of noise, n seconds.
func noisy(seed uint64, level, amp float64, n int) []float64 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]float64, n)
	for i := range out {
		out[i] = level + amp*(2*rng.Float64()-1)
	}
	return out
}

func concat(parts ...[]float64) []float64 {
	var out []float64
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func TestStepThreshold(t *testing.T) {
	t.Parallel()
	// A sensor at 50 ± 3 around a threshold of 50: without hysteresis it flaps.
	hover := noisy(7, 50, 3, 600)
	// Calm at 30, a spike to 80 for a minute, hovering at the threshold, back to 30.
	episode := concat(noisy(1, 30, 2, 120), noisy(2, 80, 2, 60), noisy(3, 50, 3, 300), noisy(4, 30, 2, 120))
	cases := []struct {
		name           string
		rule           *tinhso.AlertRule
		values         []float64
		opened, closed int
		open           bool
	}{
		{"below threshold never opens", seriesRule("gt", 50, nil, 0), noisy(5, 30, 5, 300), 0, 0, false},
		{"one spike, no hysteresis", seriesRule("gt", 50, nil, 0), concat(repeat(30, 10), repeat(60, 5), repeat(30, 10)), 1, 1, false},
		{"stays above: opens once", seriesRule("gt", 50, nil, 0), repeat(70, 100), 1, 0, true},
		{"equal is not above", seriesRule("gt", 50, nil, 0), repeat(50, 10), 0, 0, false},
		{"equal is at or above", seriesRule("ge", 50, nil, 0), repeat(50, 10), 1, 0, true},
		// The flapping sensor: with no hysteresis it opens and closes dozens of times;
		// a margin of 5 (below 45 closes) never closes while it hovers, and a margin
		// of 2 with a 30 s wait neither: noise takes it out of the clear zone.
		{"hovering, no hysteresis", seriesRule("gt", 50, nil, 0), hover, flaps(hover, 50), flaps(hover, 50) - b2i(hover[len(hover)-1] > 50), hover[len(hover)-1] > 50},
		{"hovering, margin 5", seriesRule("gt", 50, fp(5), 0), hover, 1, 0, true},
		{"hovering, margin 2 for 30s", seriesRule("gt", 50, fp(2), 30*time.Second), hover, 1, 0, true},
		// The episode: one alert, closed once the sensor is calm again.
		{"episode, margin 5", seriesRule("gt", 50, fp(5), 0), episode, 1, 1, false},
		{"episode, margin 5 for 60s", seriesRule("gt", 50, fp(5), time.Minute), episode, 1, 1, false},
		// Calm for only 60 s after the episode, with a 2-minute wait: still open.
		{"episode, margin 5 for 2m", seriesRule("gt", 50, fp(5), 2*time.Minute), concat(episode[:540], noisy(4, 30, 2, 60)), 1, 0, true},
		// Back in the band (below 50, above 45) stops the wait: a short dip then a rise
		// into the band then a long calm closes once, only after the calm.
		{"wait restarts in the band", seriesRule("gt", 50, fp(5), 10*time.Second),
			concat(repeat(60, 5), repeat(40, 8), repeat(47, 3), repeat(40, 8), repeat(40, 5)), 1, 1, false},
		// Below rules: a reservoir level under 10 opens; closes at 12 or more.
		{"below, margin 2", seriesRule("lt", 10, fp(2), 0), concat(repeat(15, 5), repeat(9, 5), noisy(6, 10.5, 1, 200), repeat(12, 1)), 1, 1, false},
		{"below, no margin flaps", seriesRule("lt", 10, nil, 0), concat(repeat(9, 1), repeat(11, 1), repeat(9, 1), repeat(11, 1)), 2, 2, false},
		{"le counts equal", seriesRule("le", 10, fp(1), 0), concat(repeat(10, 3), repeat(10.5, 3), repeat(11, 2), repeat(11.5, 1)), 1, 1, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			opened, closed, s := run(c.rule, c.values)
			if opened != c.opened || closed != c.closed || s.Open != c.open {
				t.Errorf("opened %d closed %d open %v, want %d %d %v", opened, closed, s.Open, c.opened, c.closed, c.open)
			}
		})
	}
}

// flaps counts the crossings of a noisy sequence above t, the openings of a rule
// without hysteresis.
func flaps(vs []float64, t float64) int {
	n, above := 0, false
	for _, v := range vs {
		if v > t && !above {
			n++
		}
		above = v > t
	}
	if n < 20 {
		panic("the hovering sensor should cross its threshold often")
	}
	return n
}

func TestStepThresholdOrderAndFinding(t *testing.T) {
	t.Parallel()
	r := seriesRule("gt", 50, fp(5), 0)
	t0 := time.Date(2026, 12, 2, 8, 0, 0, 0, tinhso.Location)
	s, tr := engine.StepThreshold(r, engine.ThresholdState{}, 70, t0)
	if tr != engine.ThresholdOpened || s.OpenValue != 70 || !s.OpenedAt.Equal(t0) {
		t.Fatalf("open: %+v %d", s, tr)
	}
	// A late point from before the last one changes nothing, even a clear one.
	if s2, tr := engine.StepThreshold(r, s, 10, t0.Add(-time.Second)); tr != engine.ThresholdKept || s2 != s {
		t.Fatalf("late point: %+v %d", s2, tr)
	}
	if _, tr := engine.StepThreshold(r, s, math.Inf(-1), t0); tr != engine.ThresholdClosed {
		t.Fatalf("a point at the same time steps: %d", tr)
	}
	series := &tinhso.Series{Key: "air.pm25", Name: "Bụi mịn PM2.5", Unit: "µg/m³", OrgUnit: "STNMT"}
	f := engine.SeriesFinding(r, series, s)
	if f.Key != "pm25|series:air.pm25|STNMT" || f.OrgUnit != "STNMT" || f.Subject.Kind != "series" || f.Message.Key != "live2.alert.series_threshold" {
		t.Fatalf("finding: %+v", f)
	}
	if !engine.SeriesInScope(&tinhso.AlertRule{}, series) || engine.SeriesInScope(&tinhso.AlertRule{Subject: "other"}, series) ||
		engine.SeriesInScope(&tinhso.AlertRule{OrgUnit: "SYT"}, series) {
		t.Fatal("scope")
	}
}

func TestSeriesRuleValidate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		edit  func(r *tinhso.AlertRule)
		field string
	}{
		{"fine", func(r *tinhso.AlertRule) {}, ""},
		{"negative margin", func(r *tinhso.AlertRule) { r.ClearMargin = fp(-1) }, "clear_margin"},
		{"NaN margin", func(r *tinhso.AlertRule) { r.ClearMargin = fp(math.NaN()) }, "clear_margin"},
		{"wait too long", func(r *tinhso.AlertRule) { r.ClearAfter = tinhso.Duration(91 * 24 * time.Hour) }, "clear_after"},
		{"hysteresis on another kind", func(r *tinhso.AlertRule) { r.Kind = tinhso.RuleIndicatorThreshold; r.Indicator = "x" }, "clear_margin"},
		{"no threshold", func(r *tinhso.AlertRule) { r.Threshold = nil }, "threshold"},
	} {
		r := seriesRule("gt", 50, fp(2), time.Minute)
		c.edit(r)
		err := r.Validate()
		got := ""
		var e *tinhso.Error
		if errors.As(err, &e) {
			got = e.Field
		}
		if got != c.field || (c.field == "") != (err == nil) {
			t.Errorf("%s: %v (field %q), want field %q", c.name, err, got, c.field)
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
