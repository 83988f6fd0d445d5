package engine_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/seed"
)

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.10g, want %.10g (± %g)", what, got, want, tol)
	}
}

// TestFitLineTextbook checks the line and its prediction interval against a published
// example: D. C. Montgomery, E. A. Peck, G. G. Vining, Introduction to Linear Regression
// Analysis (5th ed., Wiley 2012), Example 2.1 (the rocket propellant data: shear
// strength in psi against the propellant's age in weeks, Table 2.1) and Example 2.7
// (the 95% prediction interval of a new observation at x0 = 10 weeks). The book gives
// ŷ = 2627.82 − 37.15x, x̄ = 13.3625, Sxx = 1106.56, MS_Res = 9244.59 and, at x0 = 10,
// 2048.32 ≤ y0 ≤ 2464.32.
//
// The book rounds as it goes (its MS_Res is SS_T − β̂1·Sxy with β̂1 = −37.15; unrounded
// it is 9236.38), so the fit from the raw data lands within 0.15 psi of the published
// interval, and the book's own rounded figures, put into Predict, give the published
// interval to the cent.
func TestFitLineTextbook(t *testing.T) {
	t.Parallel()
	shear := []float64{2158.70, 1678.15, 2316.00, 2061.30, 2207.50, 1708.30, 1784.70, 2575.00, 2357.90, 2256.70,
		2165.20, 2399.55, 1779.80, 2336.75, 1765.30, 2053.50, 2414.40, 2200.50, 2654.20, 1753.70}
	age := []float64{15.50, 23.75, 8.00, 17.00, 5.50, 19.00, 24.00, 2.50, 7.50, 11.00,
		13.00, 3.75, 25.00, 9.75, 22.00, 18.00, 6.00, 12.50, 2.00, 21.50}
	fit, ok := engine.FitLine(age, shear)
	if !ok {
		t.Fatal("no fit")
	}
	near(t, "intercept", fit.Intercept, 2627.82, 0.005)
	near(t, "slope", fit.Slope, -37.15, 0.005)
	near(t, "mean x", fit.MeanX, 13.3625, 1e-9)
	near(t, "Sxx", fit.Sxx, 1106.56, 0.005)
	near(t, "MS_Res (unrounded)", fit.ResidualSE*fit.ResidualSE, 9236.381, 0.001)
	if fit.N != 20 || fit.DF != 18 {
		t.Errorf("n = %d, df = %d", fit.N, fit.DF)
	}
	v, lo, hi, ok := engine.Predict(fit, 10, 0.95)
	if !ok {
		t.Fatal("no interval")
	}
	near(t, "ŷ(10)", v, 2256.32, 0.05)
	near(t, "95% low", lo, 2048.32, 0.15)
	near(t, "95% high", hi, 2464.32, 0.15)

	// The book's rounded figures give its interval exactly: 2256.32 ± 2.101·√(9244.59 ·
	// (1 + 1/20 + (10 − 13.3625)²/1106.56)) = 2256.32 ± 208.00.
	book := tinhso.Fit{N: 20, DF: 18, Intercept: 2627.82, Slope: -37.15, MeanX: 13.3625, Sxx: 1106.56,
		ResidualSE: math.Sqrt(9244.59)}
	_, lo, hi, _ = engine.Predict(book, 10, 0.95)
	near(t, "book 95% low", lo, 2048.32, 0.01)
	near(t, "book 95% high", hi, 2464.32, 0.01)

	// The 80% interval the engine uses, at the same point: t(0.90, 18) = 1.3304.
	_, lo, hi, _ = engine.Predict(fit, 10, 0.8)
	near(t, "80% low", lo, 2124.6344, 0.001)
	near(t, "80% high", hi, 2387.9385, 0.001)
}

// TestTQuantile checks gonum's Student's t against printed tables and the closed forms
// for 1 and 2 degrees of freedom: tan(π(p − ½)) and (2p − 1)/√(2p(1 − p)).
func TestTQuantile(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p    float64
		df   int
		want float64
		tol  float64
	}{
		{0.9, 1, math.Tan(0.4 * math.Pi), 1e-9},
		{0.9, 2, 0.8 / math.Sqrt(0.18), 1e-9},
		{0.9, 10, 1.372, 0.0005},
		{0.9, 58, 1.296, 0.0005},
		{0.975, 18, 2.101, 0.0005},
	} {
		near(t, "t", engine.TQuantile(c.p, c.df), c.want, c.tol)
	}
}

// yearly is a figure of a year, dated on 31 December.
func yearly(ind string, year int, v float64) tinhso.IndicatorFigure {
	return tinhso.IndicatorFigure{Indicator: ind, Period: itoa(year), Date: itoa(year) + "-12-31", Value: &v, Source: tinhso.FigureHistory}
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// indicator makes an indicator with a target as written, parsed by the root's parser.
func indicator(key, target, unit string, horizon int) *tinhso.Indicator {
	return &tinhso.Indicator{Key: key, Code: key, Unit: unit, TargetText: target, Target: tinhso.ParseTarget(target, unit), Horizon: horizon}
}

var dec2026 = time.Date(2026, 12, 15, 9, 0, 0, 0, tinhso.Location)

type fcWant struct {
	class         string
	value         float64
	low, high     float64 // NaN: no interval
	lowConfidence bool
	tol           float64
}

func checkForecast(t *testing.T, name string, st tinhso.IndicatorStatus, w fcWant) {
	t.Helper()
	if st.Class != w.class {
		t.Errorf("%s: class %s, want %s (%s)", name, st.Class, w.class, reasonKeys(st.Status))
	}
	f := st.Forecast
	if f == nil {
		t.Errorf("%s: no forecast", name)
		return
	}
	near(t, name+": value", f.Value, w.value, w.tol)
	if math.IsNaN(w.low) {
		if f.Low != nil || f.High != nil || f.Level != 0 {
			t.Errorf("%s: an interval with two figures: %v %v", name, f.Low, f.High)
		}
	} else if f.Low == nil || f.High == nil {
		t.Errorf("%s: no interval", name)
	} else {
		near(t, name+": low", *f.Low, w.low, w.tol)
		near(t, name+": high", *f.High, w.high, w.tol)
		if f.Level != 0.8 {
			t.Errorf("%s: level %v", name, f.Level)
		}
	}
	if f.LowConfidence != w.lowConfidence || has(st.Flags, tinhso.FlagLowConfidence) != w.lowConfidence {
		t.Errorf("%s: low confidence %v (flags %v), want %v", name, f.LowConfidence, st.Flags, w.lowConfidence)
	}
}

func reasonKeys(s tinhso.Status) string {
	var k []string
	for _, r := range s.Reasons {
		k = append(k, r.Rule)
	}
	return strings.Join(k, ", ")
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestForecasts runs the forecast on synthetic histories whose answers are known: the
// expected values were computed apart from the engine, from the formulas in Fit's
// comment, with t(0.90, 1) = tan(0.4π) = 3.077684 and t(0.90, 2) = 0.8/√0.18 = 1.885618.
func TestForecasts(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	// Exactly linear in the time axis: monthly figures 5 + 0.5·x, x = days since
	// 2024-01-31 ÷ 365.25. The residuals are 0, so the interval has no width.
	var linear []tinhso.IndicatorFigure
	first := time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)
	for m := 0; m < 24; m++ {
		d := time.Date(2024, time.Month(2+m), 0, 0, 0, 0, 0, time.UTC) // last day of month 1+m
		v := 5 + 0.5*d.Sub(first).Hours()/24/365.25
		linear = append(linear, tinhso.IndicatorFigure{Indicator: "lin", Date: d.Format(time.DateOnly), Value: &v, Source: tinhso.FigureReport})
	}
	x2030 := time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC).Sub(first).Hours() / 24 / 365.25
	lin2030 := 5 + 0.5*x2030 // 8.4579…

	// A target whose bound is the line's value at the horizon, to the last digit.
	onBound := func(cmp string) *tinhso.Indicator {
		v := lin2030
		return &tinhso.Indicator{Key: "lin", Unit: "%", Horizon: 2030, Target: tinhso.Target{Kind: tinhso.TargetNumeric, Comparator: cmp, Value: &v}}
	}
	rank := []tinhso.IndicatorFigure{yearly("r", 2021, 20), yearly("r", 2022, 18), yearly("r", 2023, 17), yearly("r", 2024, 15)}
	for _, c := range []struct {
		name    string
		ind     *tinhso.Indicator
		figures []tinhso.IndicatorFigure
		want    fcWant
	}{
		{"linear, range met", indicator("lin", "8-10", "%", 2030), linear, fcWant{tinhso.IndicatorOnTrack, lin2030, lin2030, lin2030, false, 1e-9}},
		{"linear, ≥ missed by the line", indicator("lin", "≥ 9", "%", 2030), linear, fcWant{tinhso.IndicatorOffTrack, lin2030, lin2030, lin2030, false, 1e-9}},
		{"exactly on the bound: ≥ is reached", onBound(tinhso.CmpGE), linear, fcWant{tinhso.IndicatorOnTrack, lin2030, lin2030, lin2030, false, 1e-9}},
		{"exactly on the bound: > is not", onBound(tinhso.CmpGT), linear, fcWant{tinhso.IndicatorOffTrack, lin2030, lin2030, lin2030, false, 1e-9}},
		{"flat", indicator("f", "≥ 80", "%", 2030), []tinhso.IndicatorFigure{yearly("f", 2022, 70), yearly("f", 2023, 70), yearly("f", 2024, 70)},
			fcWant{tinhso.IndicatorOffTrack, 70, 70, 70, false, 1e-12}},
		// Ranks fall toward "≤ 10": x0 = 5.998631, 7.000684, 8.999316 years after 2021-12-31;
		// ŷ = 19.899205 − 1.599835·x, s = 0.315539 on 2 df.
		{"rank decreasing, horizon 2027", indicator("r", "≤ 10", "Thứ bậc", 2027), rank,
			fcWant{tinhso.IndicatorOffTrack, 10.302385, 8.933006, 11.671764, false, 1e-6}},
		{"rank decreasing, horizon 2028", indicator("r", "≤ 10", "Thứ bậc", 2028), rank,
			fcWant{tinhso.IndicatorAtRisk, 8.699265, 7.091635, 10.306895, false, 1e-6}},
		{"rank decreasing, horizon 2030", indicator("r", "top 10", "thứ bậc", 2030), rank,
			fcWant{tinhso.IndicatorOnTrack, 5.501785, 3.398537, 7.605032, false, 1e-6}},
		// A range is met inside it: rising into it is at risk while the interval leaves
		// it, rising through it is off track.
		{"range, interval leaves it", indicator("g", "8-10", "%", 2026),
			[]tinhso.IndicatorFigure{yearly("g", 2022, 6), yearly("g", 2023, 7), yearly("g", 2024, 7.5)},
			fcWant{tinhso.IndicatorAtRisk, 9.081280, 7.558629, 10.603932, false, 1e-6}},
		{"range, overshot by the forecast", indicator("g", "8-10", "%", 2026),
			[]tinhso.IndicatorFigure{yearly("g", 2022, 5), yearly("g", 2023, 6.5), yearly("g", 2024, 7.9)},
			fcWant{tinhso.IndicatorOffTrack, 10.813290, 10.497972, 11.128607, false, 1e-6}},
		// Two figures: the line through them, x0 = 2922/365.25 = 8, slope 0.07/(365/365.25).
		{"two figures, line meets", indicator("d", "≥ 0,8", "", 2030), []tinhso.IndicatorFigure{yearly("d", 2022, 0.64), yearly("d", 2023, 0.71)},
			fcWant{tinhso.IndicatorAtRisk, 0.64 + 0.07*8*365.25/365, nan, nan, true, 1e-12}},
		{"two figures, line misses", indicator("d", "≥ 80", "%", 2030), []tinhso.IndicatorFigure{yearly("d", 2023, 60), yearly("d", 2024, 55)},
			fcWant{tinhso.IndicatorOffTrack, 60 - 5*2557.0/366, nan, nan, true, 1e-9}},
	} {
		st := engine.IndicatorStatus(engine.IndicatorFacts{Indicator: c.ind, Figures: c.figures}, dec2026)
		checkForecast(t, c.name, st, c.want)
		if st.Forecast.At != itoa(c.ind.Horizon)+"-12-31" {
			t.Errorf("%s: at %s", c.name, st.Forecast.At)
		}
	}
}

// TestForecastFewFigures: one figure and none give no forecast.
func TestForecastFewFigures(t *testing.T) {
	t.Parallel()
	ind := indicator("x", "≥ 85", "%", 2030)
	one := engine.IndicatorStatus(engine.IndicatorFacts{Indicator: ind, Figures: []tinhso.IndicatorFigure{yearly("x", 2024, 60)}}, dec2026)
	if one.Class != tinhso.IndicatorCannotJudge || one.Forecast != nil || one.Latest == nil || *one.Latest.Value != 60 {
		t.Errorf("one figure: %+v", one)
	}
	none := engine.IndicatorStatus(engine.IndicatorFacts{Indicator: ind}, dec2026)
	if none.Class != tinhso.IndicatorNoData || none.Forecast != nil || none.Latest != nil {
		t.Errorf("no figure: %+v", none)
	}
}

// TestForecastDTI forecasts the provincial DTI from the history the Scheme gives in its
// footnote 7 (seed/sources/004_…, line 119): 0,64 in 2022, 0,71 in 2023, 0,79 in 2024,
// at the horizon of the DTI targets of Decision 1893 (b.1, "đạt trên 0,80", 2030) and of
// the Scheme (5.1, "đạt 0,8", 2030). By hand:
//
//	x (years since 2022-12-31): 2022 → 0; 2023 → 365/365.25 = 0.999316;
//	  2024 → 731/365.25 = 2.001369 (2024 is a leap year); 2030-12-31 → 2922/365.25 = 8
//	x̄ = 3.000684/3 = 1.000228          ȳ = 2.14/3 = 0.713333
//	Sxx = Σ(x − x̄)² = 2.002740          Sxy = Σ(x − x̄)(y − ȳ) = 0.150107
//	slope b = Sxy/Sxx = 0.074951 a year  intercept a = ȳ − b·x̄ = 0.638365
//	ŷ(8) = 0.638365 + 8 × 0.074951 = 1.237973
//	residuals 0.001635, −0.003265, 0.001630; SSE = 1.5990e-5 on 1 df; s = 0.0039987
//	t(0.90, 1) = tan(0.4π) = 3.077684
//	√(1 + 1/3 + (8 − 1.000228)²/2.002740) = √(1.333333 + 24.463986) = 5.079195
//	half-width = 3.077684 × 0.0039987 × 5.079195 = 0.062508
//	80% interval: [1.175464, 1.300481]
//
// Both targets (> 0.80 and ≥ 0.8) are met by the whole interval, and 0.79 meets neither:
// on_track. (A straight line does not know that the index stops at 1: see the report.)
func TestForecastDTI(t *testing.T) {
	t.Parallel()
	lines, err := seed.SourceLines("004_de-an-khcn-dmst-cds-2026-2030.txt")
	if err != nil {
		t.Fatal(err)
	}
	fn := lines[118]
	for _, s := range []string{"năm 2022 Thái Nguyên đạt 0,64", "Năm 2023 đạt 0,71", "Năm 2024 đạt 0,79"} {
		if !strings.Contains(fn, s) {
			t.Fatalf("footnote 7 no longer says %q: %s", s, fn)
		}
	}
	set, err := seed.Read()
	if err != nil {
		t.Fatal(err)
	}
	// The hand computation, step by step, apart from the engine.
	xs := []float64{0, 365 / 365.25, 731 / 365.25}
	ys := []float64{0.64, 0.71, 0.79}
	mx, my := (xs[0]+xs[1]+xs[2])/3, (ys[0]+ys[1]+ys[2])/3
	var sxx, sxy float64
	for i := range xs {
		sxx += (xs[i] - mx) * (xs[i] - mx)
		sxy += (xs[i] - mx) * (ys[i] - my)
	}
	b := sxy / sxx
	a := my - b*mx
	var sse float64
	for i := range xs {
		sse += (ys[i] - a - b*xs[i]) * (ys[i] - a - b*xs[i])
	}
	half := math.Tan(0.4*math.Pi) * math.Sqrt(sse) * math.Sqrt(1+1.0/3+(8-mx)*(8-mx)/sxx)
	want := fcWant{tinhso.IndicatorOnTrack, a + 8*b, a + 8*b - half, a + 8*b + half, false, 1e-12}
	near(t, "hand ŷ", want.value, 1.237973, 1e-6)
	near(t, "hand low", want.low, 1.175464, 1e-6)
	near(t, "hand high", want.high, 1.300481, 1e-6)

	found := 0
	for _, si := range set.Indicators {
		if !strings.Contains(si.Name, "(DTI)") {
			continue
		}
		found++
		key := tinhso.IndicatorKey(si.Document, si.Code)
		ind := indicator(key, si.TargetText, si.Unit, si.Horizon)
		if si.Horizon != 2030 {
			t.Errorf("%s: horizon %d", key, si.Horizon)
		}
		cite := "Đề án KHCN, ĐMST, CĐS 2026–2030, chú thích 7"
		figs := []tinhso.IndicatorFigure{yearly(key, 2022, 0.64), yearly(key, 2023, 0.71), yearly(key, 2024, 0.79)}
		for i := range figs {
			figs[i].Citation = cite
		}
		st := engine.IndicatorStatus(engine.IndicatorFacts{Indicator: ind, Figures: figs}, dec2026)
		checkForecast(t, key+" "+si.TargetText, st, want)
		if st.Latest == nil || *st.Latest.Value != 0.79 || st.Latest.Citation != cite {
			t.Errorf("%s: latest %+v", key, st.Latest)
		}
		if r := st.Reasons[0]; r.Key != "status.indicator.on_track" || r.Forecast == nil || r.Goal == nil || len(r.Figures) != 1 {
			t.Errorf("%s: reason %+v", key, r)
		}
		near(t, key+" progress", *st.Progress, 0.79/0.8, 1e-4)
	}
	if found != 2 {
		t.Errorf("%d DTI indicators in the seed, want 2 (1893's b.1 and the Scheme's 5.1)", found)
	}
}

// TestPredictBand checks that a forecast's fit gives its own interval back at its x, so
// a chart can draw the band from it.
func TestPredictBand(t *testing.T) {
	t.Parallel()
	ind := indicator("r", "≤ 10", "Thứ bậc", 2030)
	st := engine.IndicatorStatus(engine.IndicatorFacts{Indicator: ind,
		Figures: []tinhso.IndicatorFigure{yearly("r", 2021, 20), yearly("r", 2022, 18), yearly("r", 2023, 17), yearly("r", 2024, 15)}}, dec2026)
	f := st.Forecast
	v, lo, hi, ok := engine.Predict(f.Fit, f.Fit.X, f.Level)
	if !ok || v != f.Value || lo != *f.Low || hi != *f.High {
		t.Errorf("Predict(fit, X) = %v %v %v, forecast %v %v %v", v, lo, hi, f.Value, *f.Low, *f.High)
	}
	if f.Fit.Origin != "2021-12-31" || f.Fit.Last != "2024-12-31" || f.Fit.N != 4 || f.Fit.DF != 2 {
		t.Errorf("fit %+v", f.Fit)
	}
	near(t, "t quantile", f.Fit.TQuantile, 0.8/math.Sqrt(0.18), 1e-9)
}
