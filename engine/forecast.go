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

// workspace is what judging a batch of indicators reuses from one to the next: the t
// quantiles and the buffers of the fit. A batch of 30,000 series would otherwise make
// garbage of a few kilobytes each, and the collector would scan the facts for it.
type workspace struct {
	tt     tTable
	nums   []fig
	xs, ys []float64
	// dates are days shown as yyyy-mm-dd: series share their dates (period ends,
	// horizons), so each is made once.
	dates map[day]string
	// seen holds the dates read from the previous series, by position: series of one
	// batch mostly have the same dates (the same periods), and comparing two dates is
	// cheaper than reading one.
	seenDate []string
	seenDay  []day
}

// day reads the date of the i-th figure of a series.
func (ws *workspace) day(i int, s string) (day, bool) {
	if i < len(ws.seenDate) && ws.seenDate[i] == s {
		return ws.seenDay[i], true
	}
	d, ok := parseDay(s)
	if !ok {
		return 0, false
	}
	if i < len(ws.seenDate) {
		ws.seenDate[i], ws.seenDay[i] = s, d
	} else if i == len(ws.seenDate) {
		ws.seenDate, ws.seenDay = append(ws.seenDate, s), append(ws.seenDay, d)
	}
	return d, true
}

func newWorkspace() *workspace { return &workspace{tt: tTable{}, dates: map[day]string{}} }

func (ws *workspace) date(d day) string {
	s, ok := ws.dates[d]
	if !ok {
		s = d.String()
		ws.dates[d] = s
	}
	return s
}

// forecastAt fits the figures (sorted by day, one per day) and forecasts at the
// horizon: the line, with an 80% interval from 3 figures on, low confidence with 2.
func forecastAt(figs []fig, horizon day, ws *workspace, box *statusBox) (*tinhso.Forecast, bool) {
	if len(figs) < 2 {
		return nil, false
	}
	origin := figs[0].d
	xs, ys := ws.xs[:0], ws.ys[:0]
	for _, p := range figs {
		xs, ys = append(xs, float64(p.d-origin)/DaysPerYear), append(ys, p.v)
	}
	ws.xs, ws.ys = xs, ys
	f, ok := FitLine(xs, ys)
	if !ok {
		return nil, false
	}
	f.Origin, f.Last = ws.date(origin), ws.date(figs[len(figs)-1].d)
	f.X = float64(horizon-origin) / DaysPerYear
	fc := &box.forecast
	*fc = tinhso.Forecast{At: ws.date(horizon), Fit: f}
	v, lo, hi, ok := predict(f, f.X, ForecastLevel, ws.tt)
	fc.Value = v
	if ok {
		box.lo, box.hi = lo, hi
		fc.Low, fc.High, fc.Level = &box.lo, &box.hi, ForecastLevel
		fc.Fit.TQuantile = ws.tt.quantile((1+ForecastLevel)/2, f.DF)
	} else {
		fc.LowConfidence = true
	}
	return fc, true
}
