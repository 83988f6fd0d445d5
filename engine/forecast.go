package engine

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/tinhso/tinhso"
)

// ForecastLevel is the coverage of the forecast's prediction interval: 80%, narrow
// enough to say something with the handful of yearly figures a plan indicator has.
const ForecastLevel = 0.8

// FitLine fits value = intercept + slope·x by ordinary least squares. It needs two
// points with different x; with exactly two the residual error is 0 on 0 degrees of
// freedom, and no interval can be made from it.
func FitLine(xs, ys []float64) (tinhso.Fit, bool) {
	n := len(xs)
	if n < 2 || len(ys) != n {
		return tinhso.Fit{}, false
	}
	// Two passes, centred: sums of squares of raw x (days ÷ 365.25 reach the
	// thousands for old history) lose digits.
	var mx, my float64
	for i := range xs {
		mx += xs[i]
		my += ys[i]
	}
	mx /= float64(n)
	my /= float64(n)
	var sxx, sxy float64
	for i := range xs {
		dx := xs[i] - mx
		sxx += dx * dx
		sxy += dx * (ys[i] - my)
	}
	if !(sxx > 0) {
		return tinhso.Fit{}, false
	}
	b := sxy / sxx
	a := my - b*mx
	var sse float64
	for i := range xs {
		r := ys[i] - (a + b*xs[i])
		sse += r * r
	}
	f := tinhso.Fit{N: n, Intercept: a, Slope: b, MeanX: mx, Sxx: sxx, DF: n - 2}
	if f.DF > 0 {
		f.ResidualSE = math.Sqrt(sse / float64(f.DF))
	}
	return f, true
}

// TQuantile is Student's t quantile at p with df degrees of freedom.
func TQuantile(p float64, df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(p)
}

// tTable remembers t quantiles by degrees of freedom: computing one inverts an
// incomplete beta function, which costs more than fitting a line, and a batch of
// thousands of indicators needs only a few distinct ones.
type tTable map[int]float64

func (t tTable) quantile(p float64, df int) float64 {
	if t == nil {
		return TQuantile(p, df)
	}
	if q, ok := t[df]; ok {
		return q
	}
	q := TQuantile(p, df)
	t[df] = q
	return q
}

// Predict gives a fitted line's value at x0 and, with degrees of freedom left, the
// prediction interval of the given level (0.8 for 80%): value ± t·s·√(1 + 1/n +
// (x0 − x̄)²/Sxx), t being Student's t at (1 + level)/2 on n − 2 degrees of freedom.
// ok is false without an interval (two points).
func Predict(f tinhso.Fit, x0, level float64) (value, low, high float64, ok bool) {
	return predict(f, x0, level, nil)
}

func predict(f tinhso.Fit, x0, level float64, tt tTable) (value, low, high float64, ok bool) {
	value = f.Intercept + f.Slope*x0
	if f.DF < 1 {
		return value, value, value, false
	}
	t := tt.quantile((1+level)/2, f.DF)
	half := t * f.ResidualSE * math.Sqrt(1+1/float64(f.N)+(x0-f.MeanX)*(x0-f.MeanX)/f.Sxx)
	return value, value - half, value + half, true
}

// point is a figure on the time axis.
type point struct {
	d day
	v float64
}

// forecastAt fits the points (sorted by day, one per day) and forecasts at the horizon:
// the line, with an 80% interval from 3 points on, low confidence with 2.
func forecastAt(pts []point, horizon day, tt tTable) (*tinhso.Forecast, bool) {
	if len(pts) < 2 {
		return nil, false
	}
	origin := pts[0].d
	xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		xs[i], ys[i] = float64(p.d-origin)/DaysPerYear, p.v
	}
	f, ok := FitLine(xs, ys)
	if !ok {
		return nil, false
	}
	f.Origin, f.Last = origin.String(), pts[len(pts)-1].d.String()
	f.X = float64(horizon-origin) / DaysPerYear
	fc := &tinhso.Forecast{At: horizon.String(), Fit: f}
	v, lo, hi, ok := predict(f, f.X, ForecastLevel, tt)
	fc.Value = v
	if ok {
		fc.Low, fc.High, fc.Level = &lo, &hi, ForecastLevel
		fc.Fit.TQuantile = tt.quantile((1+ForecastLevel)/2, f.DF)
	} else {
		fc.LowConfidence = true
	}
	return fc, true
}
