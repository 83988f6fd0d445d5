package engine_test

import (
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// TestTimeAxis checks the engine's own date arithmetic against the time package, on
// every day from 1890 to 2210 (inside and outside its table of years): a forecast's
// origin is the first figure's date, and its x the days to the horizon ÷ 365.25.
func TestTimeAxis(t *testing.T) {
	t.Parallel()
	horizon := time.Date(2030, 12, 31, 0, 0, 0, 0, time.UTC)
	for d := time.Date(1890, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2210; d = d.AddDate(0, 0, 1) {
		if d.Year() > 1905 && d.Year() < 2195 && d.Day()%7 != 1 {
			continue // every day near the table's ends; a sample in between
		}
		date := d.Format(time.DateOnly)
		v1, v2 := 1.0, 2.0
		next := d.AddDate(0, 0, 40)
		st := engine.IndicatorStatus(engine.IndicatorFacts{
			Indicator: &tinhso.Indicator{Key: "i", Horizon: 2030, Target: tinhso.ParseTarget("≥ 5", "")},
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
