package engine_test

import (
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// TestTimeAxis checks the engine's own date arithmetic against the time package, from
// 1890 to 2210 (inside and outside its table of years): every day near the table's
// ends, the days around New Year and the end of February in between. A forecast's
// origin is the first figure's date, and its x the days to the horizon ÷ 365.25.
func TestTimeAxis(t *testing.T) {
	t.Parallel()
	horizon := time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC)
	ind := &tinhso.Indicator{Key: "i", Horizon: 2030, Target: tinhso.ParseTarget("≥ 5", "")}
	for d := time.Date(1890, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2210; d = d.AddDate(0, 0, 1) {
		nearEnds := d.Year() <= 1901 && d.Year() >= 1898 || d.Year() >= 2198 && d.Year() <= 2201
		turn := d.YearDay() == 1 || d.Month() == 12 && d.Day() == 31 || d.Month() == 2 && d.Day() >= 28 || d.Month() == 3 && d.Day() == 1
		if !nearEnds && !turn {
			continue
		}
		date := d.Format(time.DateOnly)
		v1, v2 := 1.0, 2.0
		next := d.AddDate(0, 0, 40)
		st := engine.IndicatorStatus(engine.IndicatorFacts{
			Indicator: ind,
			Figures: []tinhso.IndicatorFigure{{Indicator: "i", Date: date, Value: &v1},
				{Indicator: "i", Date: next.Format(time.DateOnly), Value: &v2}},
		}, horizon)
		f := st.Forecast
		if f == nil {
			t.Fatalf("%s: no forecast", date)
		}
		wantX := horizon.Sub(d).Hours() / 24 / 365.25
		if f.Fit.Origin != date || f.Fit.Last != next.Format(time.DateOnly) || f.Fit.X != wantX {
			t.Fatalf("%s: origin %s, last %s, x %v (want %v)", date, f.Fit.Origin, f.Fit.Last, f.Fit.X, wantX)
		}
	}
}
