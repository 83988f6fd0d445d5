package engine

import (
	"math"
	"slices"
	"time"

	"github.com/tinhso/tinhso"
)

// IndicatorFacts are what an indicator's status is computed from, for the province
// (OrgUnit "") or one unit: all of it can be loaded in one query per kind of fact for
// every indicator at once (see IndicatorStatuses).
type IndicatorFacts struct {
	Indicator *tinhso.Indicator
	OrgUnit   string
	// Figures are the indicator's figures from every source, in any order. The status's
	// Latest and its reasons' Figures point into them, not into copies.
	Figures []tinhso.IndicatorFigure
	// References are the reference values of a reference target, one per year.
	References []tinhso.ReferenceValue
	// Review is the latest review of a qualitative target, if any.
	Review *tinhso.IndicatorReview
}

// IndicatorStatus judges an indicator on a day: the latest figure against the target,
// then the forecast at the horizon (31 December of the horizon year), in this order:
//
//  1. a qualitative target takes the reviewer's class (cannot_judge without a review);
//     a target that is no comparison (none, unparsed) cannot be judged;
//  2. no numeric figure: no_data;
//  3. a reference target without the reference value of the latest figure's year:
//     cannot_judge;
//  4. the latest figure meets the target: achieved;
//  5. the horizon has passed: missed;
//  6. a yearly target ("15 - 20%/năm") or a reference target is judged on the latest
//     year alone: off_track;
//  7. one figure: cannot_judge; no horizon year: cannot_judge;
//  8. two figures: at_risk when the line meets the target at the horizon, off_track when
//     not (low confidence either way);
//  9. three or more: on_track when the whole 80% prediction interval meets the target,
//     at_risk when only the point forecast does, off_track when that misses it.
func IndicatorStatus(f IndicatorFacts, now time.Time) tinhso.IndicatorStatus {
	return indicatorStatus(&f, dayOf(now), newWorkspace())
}

// fig is a figure on the time axis, pointing back to the figure it was read from.
type fig struct {
	d    day
	v    float64
	i    int // index into the facts' figures
	rank int // of its source: lower wins a tie on the same day
}

// sourceRank orders the sources as tinhso.FigureSources does; a switch, not a map,
// because it runs once per figure.
func sourceRank(s string) int {
	switch s {
	case tinhso.FigureReport:
		return 0
	case tinhso.FigureComputed:
		return 1
	case tinhso.FigureConnector:
		return 2
	case tinhso.FigureSeries:
		return 3
	case tinhso.FigureHistory:
		return 4
	}
	return 5
}

// sortFigures puts figures in date order and keeps one per day: the source that ranks
// first (an approved report over an imported history), and of one source the later
// in the input (a correction). Figures usually come sorted from the query, so it checks
// before it sorts.
func sortFigures(fs []fig) []fig {
	if !slices.IsSortedFunc(fs, func(a, b fig) int { return int(a.d - b.d) }) {
		slices.SortStableFunc(fs, func(a, b fig) int { return int(a.d - b.d) })
	}
	out := fs[:0]
	for _, f := range fs {
		if n := len(out); n > 0 && out[n-1].d == f.d {
			if f.rank <= out[n-1].rank {
				out[n-1] = f
			}
			continue
		}
		out = append(out, f)
	}
	return out
}

// indicatorStatus returns a named result: the flags are added by a deferred function
// after the class, on every way out.
func indicatorStatus(f *IndicatorFacts, today day, ws *workspace) (st tinhso.IndicatorStatus) {
	ind := f.Indicator
	tg := ind.Target
	// One allocation holds what the status points to (goal, bounds, progress,
	// forecast); the reasons have room for the class's (flags are rare).
	box := new(statusBox)
	st = tinhso.IndicatorStatus{Status: tinhso.Status{Flags: []string{}, Reasons: make([]tinhso.Reason, 0, 1)}}
	var s indicatorJudge
	s.st, s.ind = &st, ind

	// The figures on the time axis.
	nums := ws.nums[:0]
	latestText, ignored, synthetic := -1, 0, false
	var latestTextDay day
	for i := range f.Figures {
		x := &f.Figures[i]
		d, ok := ws.day(i, x.Date)
		if !ok {
			ignored++
			continue
		}
		synthetic = synthetic || x.Synthetic
		if x.Value != nil && !math.IsNaN(*x.Value) && !math.IsInf(*x.Value, 0) {
			nums = append(nums, fig{d: d, v: *x.Value, i: i, rank: sourceRank(x.Source)})
		} else if x.Text != "" && (latestText < 0 || d >= latestTextDay) {
			latestText, latestTextDay = i, d
		}
	}
	nums = sortFigures(nums)
	ws.nums = nums
	pts := nums
	// The latest figure, and the reasons' facts, point into the facts rather than copy
	// them: thirty thousand series would copy thirty thousand figures twice.
	latest := -1
	if len(nums) > 0 {
		latest = nums[len(nums)-1].i
	}
	s.figures, s.latest = f.Figures, latest
	if latest >= 0 {
		st.Latest = &f.Figures[latest]
	}

	var horizon day
	hasHorizon := ind.Horizon > 0
	if hasHorizon {
		horizon = civilDay(ind.Horizon, 12, 31)
	}
	fromForecast := false // whether the class rests on the forecast
	defer func() {
		// Flags come after the class's reason, whatever the class.
		if fromForecast && st.Forecast.LowConfidence {
			s.flag(tinhso.FlagLowConfidence, "indicator.low_confidence", "status.indicator.low_confidence",
				map[string]any{"figures": st.Forecast.Fit.N})
		}
		if synthetic {
			s.flag(tinhso.FlagSynthetic, "indicator.synthetic", "status.indicator.synthetic", nil)
		}
		if ignored > 0 {
			s.flag(tinhso.FlagIgnoredFigures, "indicator.ignored_figures", "status.indicator.ignored_figures",
				map[string]any{"count": ignored})
		}
	}()

	switch tg.Kind {
	case tinhso.TargetQualitative:
		if latestText >= 0 {
			st.Latest, s.latest = &f.Figures[latestText], latestText
		}
		r := f.Review
		if r == nil || r.Indicator != "" && r.Indicator != ind.Key || !slices.Contains(tinhso.ReviewClasses, r.Class) {
			s.class(tinhso.IndicatorCannotJudge, "indicator.cannot_judge.not_reviewed", "status.indicator.not_reviewed",
				map[string]any{"target": tg.Text})
			return st
		}
		s.class(r.Class, "indicator.reviewed", "status.indicator.reviewed",
			map[string]any{"reviewer": r.Reviewer, "date": Today(r.At), "reason": r.Reason, "target": tg.Text})
		s.last().Review = r
		return st
	case tinhso.TargetNone:
		s.class(tinhso.IndicatorCannotJudge, "indicator.cannot_judge.no_target", "status.indicator.no_target", nil)
		return st
	case tinhso.TargetNumeric, tinhso.TargetRank, tinhso.TargetReference:
	default:
		s.class(tinhso.IndicatorCannotJudge, "indicator.cannot_judge.unparsed", "status.indicator.target_unparsed",
			map[string]any{"target": tg.Text})
		return st
	}

	// A forecast for every target that compares with a number, whatever decides the
	// class: the chart draws it.
	if hasHorizon && len(pts) >= 2 {
		st.Forecast, _ = forecastAt(pts, horizon, ws, box)
	}
	if len(pts) == 0 {
		s.class(tinhso.IndicatorNoData, "indicator.no_data", "status.indicator.no_data", map[string]any{"target": tg.Text})
		return st
	}
	lastYear := pts[len(pts)-1].d.year()

	// The goal: for a reference target, against the reference value of the latest
	// figure's year (a budget estimate is set year by year).
	var ref *tinhso.ReferenceValue
	var refValue *float64
	if tg.Kind == tinhso.TargetReference {
		for i := range f.References {
			r := &f.References[i]
			if r.Year == lastYear && (r.Indicator == "" || r.Indicator == ind.Key) {
				ref, refValue = r, &r.Value
			}
		}
		if ref == nil {
			s.class(tinhso.IndicatorCannotJudge, "indicator.cannot_judge.no_reference", "status.indicator.reference_missing",
				map[string]any{"year": lastYear, "reference": tg.Reference, "target": tg.Text})
			s.withLatest()
			return st
		}
	}
	g, ok := goalOf(tg, refValue, &box.bounds)
	if !ok {
		s.class(tinhso.IndicatorCannotJudge, "indicator.cannot_judge.unparsed", "status.indicator.target_unparsed",
			map[string]any{"target": tg.Text})
		return st
	}
	box.goal = g
	st.Goal = &box.goal
	s.goal, s.ref = st.Goal, ref
	if p, ok := Progress(g, pts[len(pts)-1].v); ok {
		box.progress = round(p, 4)
		st.Progress = &box.progress
	}

	latestMeets := Meets(g, pts[len(pts)-1].v)
	yearly := IsYearlyTarget(tg, ind.Unit)
	switch {
	case latestMeets && tg.Kind == tinhso.TargetReference:
		s.class(tinhso.IndicatorAchieved, "indicator.achieved.reference", "status.indicator.achieved_reference", s.latestArgs())
		s.withLatest()
	case latestMeets && yearly:
		s.class(tinhso.IndicatorAchieved, "indicator.achieved.yearly", "status.indicator.achieved_yearly", s.latestArgs())
		s.withLatest()
	case latestMeets:
		s.class(tinhso.IndicatorAchieved, "indicator.achieved", "status.indicator.achieved", s.latestArgs())
		s.withLatest()
	case hasHorizon && today > horizon:
		a := s.latestArgs()
		a["at"] = horizon.String()
		s.class(tinhso.IndicatorMissed, "indicator.missed", "status.indicator.missed", a)
		s.withLatest()
	case tg.Kind == tinhso.TargetReference:
		s.class(tinhso.IndicatorOffTrack, "indicator.off_track.reference", "status.indicator.off_track_reference", s.latestArgs())
		s.withLatest()
	case yearly:
		s.class(tinhso.IndicatorOffTrack, "indicator.off_track.yearly", "status.indicator.off_track_yearly", s.latestArgs())
		s.withLatest()
	case len(pts) == 1:
		s.class(tinhso.IndicatorCannotJudge, "indicator.cannot_judge.one_figure", "status.indicator.one_figure", s.latestArgs())
		s.withLatest()
	case st.Forecast == nil:
		s.class(tinhso.IndicatorCannotJudge, "indicator.cannot_judge.no_horizon", "status.indicator.no_horizon", s.latestArgs())
		s.withLatest()
	default:
		fc := st.Forecast
		fromForecast = true
		a := map[string]any{"value": round(fc.Value, 6), "at": fc.At, "target": tg.Text, "figures": fc.Fit.N, "unit": ind.Unit}
		if fc.Low != nil {
			a["low"], a["high"] = round(*fc.Low, 6), round(*fc.High, 6)
		}
		switch pointMeets := Meets(g, fc.Value); {
		case fc.Low == nil && pointMeets:
			s.class(tinhso.IndicatorAtRisk, "indicator.at_risk.two_figures", "status.indicator.at_risk_two_figures", a)
		case fc.Low == nil:
			s.class(tinhso.IndicatorOffTrack, "indicator.off_track.two_figures", "status.indicator.off_track_two_figures", a)
		case MeetsAll(g, *fc.Low, *fc.High):
			s.class(tinhso.IndicatorOnTrack, "indicator.on_track.interval", "status.indicator.on_track", a)
		case pointMeets:
			s.class(tinhso.IndicatorAtRisk, "indicator.at_risk.interval", "status.indicator.at_risk", a)
		default:
			s.class(tinhso.IndicatorOffTrack, "indicator.off_track.forecast", "status.indicator.off_track", a)
		}
		s.last().Forecast = fc
		s.withLatest()
	}
	return st
}

// indicatorJudge builds an indicator's status and its reasons.
type indicatorJudge struct {
	st      *tinhso.IndicatorStatus
	figures []tinhso.IndicatorFigure
	latest  int // index of the latest figure in figures, or −1
	ind     *tinhso.Indicator
	goal    *tinhso.Goal
	ref     *tinhso.ReferenceValue
}

func (s *indicatorJudge) class(class, rule, key string, args map[string]any) {
	s.st.Class = class
	s.st.Reasons = append(s.st.Reasons, tinhso.Reason{Class: class, Rule: rule, Key: key, Args: args, Goal: s.goal, Reference: s.ref})
}

func (s *indicatorJudge) flag(flag, rule, key string, args map[string]any) {
	s.st.Flags = append(s.st.Flags, flag)
	s.st.Reasons = append(s.st.Reasons, tinhso.Reason{Class: flag, Rule: rule, Key: key, Args: args})
}

func (s *indicatorJudge) last() *tinhso.Reason { return &s.st.Reasons[len(s.st.Reasons)-1] }

// withLatest puts the latest figure among the facts of the last reason.
func (s *indicatorJudge) withLatest() {
	if s.latest >= 0 {
		s.last().Figures = s.figures[s.latest : s.latest+1 : s.latest+1]
	}
}

// latestArgs are the arguments that name the latest figure and the target.
func (s *indicatorJudge) latestArgs() map[string]any {
	l := s.st.Latest
	a := map[string]any{"value": round(*l.Value, 6), "date": l.Date, "period": periodOrDate(l), "target": s.ind.Target.Text,
		"unit": s.ind.Unit}
	if s.ref != nil {
		a["reference"], a["reference_value"], a["reference_source"], a["year"] = s.ind.Target.Reference, s.ref.Value, s.ref.Source, s.ref.Year
	}
	return a
}

func periodOrDate(f *tinhso.IndicatorFigure) string {
	if f.Period != "" {
		return f.Period
	}
	return f.Date
}

// round keeps digits a reader can use: arguments are shown, and 0.8925000000000001
// shows badly. The facts (forecast, figures) keep every digit.
func round(v float64, digits int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) || digits < 0 || digits >= len(pow10) {
		return v
	}
	p := pow10[digits]
	if math.Abs(v) >= 1e15/p {
		return v // already no digits after the point to keep
	}
	return math.Round(v*p) / p
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8}

// statusBox holds, in one allocation, what an indicator status points to.
type statusBox struct {
	goal     tinhso.Goal
	bounds   [2]float64
	progress float64
	forecast tinhso.Forecast
	lo, hi   float64
}
