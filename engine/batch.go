package engine

import (
	"cmp"
	"slices"
	"time"

	"github.com/tinhso/tinhso"
)

// SeriesKey names one indicator status: the province's (OrgUnit "") or one unit's.
type SeriesKey struct{ Indicator, OrgUnit string }

// IndicatorStatuses judges every indicator, for the province and for every unit that
// has figures of it, from facts loaded in one query each: the indicators, their figures
// (every source), the reference values and the reviews. Figures ordered by indicator
// and unit (ORDER BY indicator, org_unit, date) are judged where they lie; others are
// sorted first. Every indicator gets its province status, no_data when it has no
// figure.
func IndicatorStatuses(inds []*tinhso.Indicator, figures []tinhso.IndicatorFigure, refs []tinhso.ReferenceValue,
	reviews []tinhso.IndicatorReview, now time.Time) map[SeriesKey]tinhso.IndicatorStatus {
	today, _ := parseDay(Today(now))
	byKey := make(map[string]*tinhso.Indicator, len(inds))
	for _, ind := range inds {
		byKey[ind.Key] = ind
	}
	refsOf := map[string][]tinhso.ReferenceValue{}
	for _, r := range refs {
		refsOf[r.Indicator] = append(refsOf[r.Indicator], r)
	}
	reviewOf := map[SeriesKey]*tinhso.IndicatorReview{}
	for i := range reviews {
		r := &reviews[i]
		k := SeriesKey{r.Indicator, r.OrgUnit}
		if old, ok := reviewOf[k]; !ok || !r.At.Before(old.At) {
			reviewOf[k] = r
		}
	}

	if !grouped(figures) {
		figures = slices.Clone(figures)
		slices.SortStableFunc(figures, func(a, b tinhso.IndicatorFigure) int {
			return cmp.Or(cmp.Compare(a.Indicator, b.Indicator), cmp.Compare(a.OrgUnit, b.OrgUnit))
		})
	}
	out := make(map[SeriesKey]tinhso.IndicatorStatus, len(inds))
	tt := tTable{}
	judge := func(k SeriesKey, ind *tinhso.Indicator, figs []tinhso.IndicatorFigure) {
		f := IndicatorFacts{Indicator: ind, OrgUnit: k.OrgUnit, Figures: figs, References: refsOf[k.Indicator], Review: reviewOf[k]}
		out[k] = indicatorStatus(&f, today, tt)
	}
	for i := 0; i < len(figures); {
		j := i + 1
		for j < len(figures) && figures[j].Indicator == figures[i].Indicator && figures[j].OrgUnit == figures[i].OrgUnit {
			j++
		}
		k := SeriesKey{figures[i].Indicator, figures[i].OrgUnit}
		if ind, ok := byKey[k.Indicator]; ok {
			judge(k, ind, figures[i:j:j])
		}
		i = j
	}
	for _, ind := range inds {
		k := SeriesKey{ind.Key, ""}
		if _, ok := out[k]; !ok {
			judge(k, ind, nil)
		}
	}
	return out
}

// grouped reports whether the figures of each series lie together.
func grouped(figures []tinhso.IndicatorFigure) bool {
	seen := map[SeriesKey]bool{}
	for i := range figures {
		if i > 0 && figures[i].Indicator == figures[i-1].Indicator && figures[i].OrgUnit == figures[i-1].OrgUnit {
			continue
		}
		k := SeriesKey{figures[i].Indicator, figures[i].OrgUnit}
		if seen[k] {
			return false
		}
		seen[k] = true
	}
	return true
}

// TaskStatuses judges every task from facts loaded in one query each: the tasks, their
// approved progress reports, and the opened periods of the regime that reports each
// document's tasks (by document slug). It returns the statuses by task key.
func TaskStatuses(tasks []*tinhso.Task, reports []tinhso.ProgressReport, periodsByDocument map[string][]tinhso.Period,
	now time.Time, rules TaskRules) map[string]tinhso.TaskStatus {
	today, _ := parseDay(Today(now))
	reportsOf := map[string][]tinhso.ProgressReport{}
	for _, r := range reports {
		reportsOf[r.Task] = append(reportsOf[r.Task], r)
	}
	out := make(map[string]tinhso.TaskStatus, len(tasks))
	for _, t := range tasks {
		f := TaskFacts{Task: t, Reports: reportsOf[t.Key], Periods: periodsByDocument[t.Document]}
		out[t.Key] = taskStatus(&f, today, rules)
	}
	return out
}
