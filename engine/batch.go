package engine

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
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
	today := dayOf(now)
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

	out, ok := judgeSeries(figures, byKey, refsOf, reviewOf, today)
	if !ok {
		// A series came back after another: sort a copy so that each lies together.
		figures = slices.Clone(figures)
		slices.SortStableFunc(figures, func(a, b tinhso.IndicatorFigure) int {
			return cmp.Or(cmp.Compare(a.Indicator, b.Indicator), cmp.Compare(a.OrgUnit, b.OrgUnit))
		})
		out, _ = judgeSeries(figures, byKey, refsOf, reviewOf, today)
	}
	// The province's status of indicators without figures of their own.
	ws := newWorkspace()
	for _, ind := range inds {
		k := SeriesKey{ind.Key, ""}
		if _, ok := out[k]; !ok {
			f := IndicatorFacts{Indicator: ind, References: refsOf[ind.Key], Review: reviewOf[k]}
			out[k] = indicatorStatus(&f, today, ws)
		}
	}
	return out
}

// keyedStatus is one series' status.
type keyedStatus struct {
	key SeriesKey
	st  tinhso.IndicatorStatus
}

// judgeSeries judges each series where its figures lie, when each series' figures lie
// together (as ORDER BY indicator, org_unit, date gives them, or any grouping): no copy,
// and each figure is read once, while it is judged (a batch is bound by reading its
// figures from memory). The figures are cut into one stretch per core; a core starts at
// the first series that begins in its stretch and finishes the last one it begins. ok
// is false when a series comes back after another.
func judgeSeries(figures []tinhso.IndicatorFigure, byKey map[string]*tinhso.Indicator, refsOf map[string][]tinhso.ReferenceValue,
	reviewOf map[SeriesKey]*tinhso.IndicatorReview, today day) (map[SeriesKey]tinhso.IndicatorStatus, bool) {
	n := len(figures)
	workers := max(1, min(runtime.GOMAXPROCS(0), n/20000)) // small batches are not worth a goroutine
	parts := make([][]keyedStatus, workers)
	same := func(i, j int) bool {
		return figures[i].Indicator == figures[j].Indicator && figures[i].OrgUnit == figures[j].OrgUnit
	}
	work := func(w int) {
		ws := newWorkspace()
		i, hi := w*n/workers, (w+1)*n/workers
		for i > 0 && i < n && same(i, i-1) {
			i++ // this series began in the stretch before
		}
		for i < hi {
			j := i + 1
			for j < n && same(j, i) {
				j++
			}
			if parts[w] == nil {
				// Series are mostly of one length: the first tells how many follow.
				parts[w] = make([]keyedStatus, 0, (hi-i)/(j-i)+1)
			}
			k := SeriesKey{figures[i].Indicator, figures[i].OrgUnit}
			if ind, ok := byKey[k.Indicator]; ok {
				f := IndicatorFacts{Indicator: ind, OrgUnit: k.OrgUnit, Figures: figures[i:j:j], References: refsOf[k.Indicator], Review: reviewOf[k]}
				parts[w] = append(parts[w], keyedStatus{k, indicatorStatus(&f, today, ws)})
			}
			i = j
		}
	}
	var wg sync.WaitGroup
	for w := 1; w < workers; w++ {
		wg.Go(func() { work(w) })
	}
	work(0)
	wg.Wait()
	total := 0
	for _, p := range parts {
		total += len(p)
	}
	out := make(map[SeriesKey]tinhso.IndicatorStatus, total+len(byKey))
	for _, p := range parts {
		for _, ks := range p {
			if _, dup := out[ks.key]; dup {
				return nil, false
			}
			out[ks.key] = ks.st
		}
	}
	return out, true
}

// TaskStatuses judges every task from facts loaded in one query each: the tasks, their
// approved progress reports, and the opened periods of the regime that reports each
// document's tasks (by document slug). It returns the statuses by task key.
func TaskStatuses(tasks []*tinhso.Task, reports []tinhso.ProgressReport, periodsByDocument map[string][]tinhso.Period,
	now time.Time, rules TaskRules) map[string]tinhso.TaskStatus {
	today := dayOf(now)
	reportsOf, ok := reportRuns(reports)
	if !ok {
		// A task's reports came back after another's: sort a copy by task.
		reports = slices.Clone(reports)
		slices.SortStableFunc(reports, func(a, b tinhso.ProgressReport) int { return cmp.Compare(a.Task, b.Task) })
		reportsOf, _ = reportRuns(reports)
	}
	periods := map[string][]periodDays{}
	for doc, ps := range periodsByDocument {
		periods[doc] = preparePeriods(ps)
	}
	statuses := make([]tinhso.TaskStatus, len(tasks))
	chunks := max(1, min(runtime.GOMAXPROCS(0), len(tasks)/2000))
	var wg sync.WaitGroup
	for c := range chunks {
		wg.Go(func() {
			for i := c * len(tasks) / chunks; i < (c+1)*len(tasks)/chunks; i++ {
				t := tasks[i]
				statuses[i] = taskStatus(t, reportsOf[t.Key], periods[t.Document], today, rules)
			}
		})
	}
	wg.Wait()
	out := make(map[string]tinhso.TaskStatus, len(tasks))
	for i, t := range tasks {
		out[t.Key] = statuses[i]
	}
	return out
}

// reportRuns finds each task's reports, when each task's reports lie together (as
// ORDER BY task, period_end, approved_at gives them): then they are used where they
// lie. ok is false when a task's reports come back after another's.
func reportRuns(reports []tinhso.ProgressReport) (map[string][]tinhso.ProgressReport, bool) {
	out := map[string][]tinhso.ProgressReport{}
	for i := 0; i < len(reports); {
		j := i + 1
		for j < len(reports) && reports[j].Task == reports[i].Task {
			j++
		}
		if _, dup := out[reports[i].Task]; dup {
			return nil, false
		}
		out[reports[i].Task] = reports[i:j:j]
		i = j
	}
	return out, true
}
