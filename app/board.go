package app

import (
	"context"
	"sort"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// The operations board's read model: where the plan stands on a day, useful before any
// report arrives (tasks by deadline state, indicators with their latest figures and
// trends, measures that disagree, big problems by status), and as reports arrive (the
// open periods' submissions unit by unit, each unit's punctuality).

// BoardTrendPeriods is how many of the newest periods the trend charts cover.
const BoardTrendPeriods = 24

// BoardPunctRows is how many units the punctuality summary shows unless asked for all.
const BoardPunctRows = 20

// BoardOpenPeriods is how many open periods the board shows.
const BoardOpenPeriods = 3

// BoardQuery is what a board is asked for.
type BoardQuery struct {
	Filter PlanFilter
	Today  string // yyyy-mm-dd in the province
	// Reports: the reader may read every unit's submissions (who reported what); the
	// reporting part is empty without.
	Reports bool
	// PunctAll: every unit's punctuality, not only the worst BoardPunctRows.
	PunctAll bool
}

// CountRow counts a document's tasks by deadline state.
type CountRow struct {
	Doc    *tinhso.Document
	Counts map[string]int
	Total  int
}

// OrphanRow is an org unit that no longer exists but is still named by the plan.
type OrphanRow struct {
	Ref        tinhso.AgencyRef
	Successors []*tinhso.OrgUnit
	Tasks      int
	Indicators int
}

// IndicatorGroup is a document's indicators.
type IndicatorGroup struct {
	Doc   *tinhso.Document
	Items []IndicatorRow
}

// ProblemRow counts a province's big problems by status.
type ProblemRow struct {
	Province string
	Counts   map[string]int
	Total    int
}

// TrendPoint is an approved figure of a period.
type TrendPoint struct {
	P *tinhso.Period
	F tinhso.Figure
}

// ReportRow is a unit's submission of an open period.
type ReportRow struct {
	S     *tinhso.Submission
	Punct string
}

// ReportPeriod is an open period: its submissions counted by status, and unit by unit.
type ReportPeriod struct {
	P      *tinhso.Period
	Regime string
	Counts map[string]int
	Punct  map[string]int
	Total  int
	Rows   []ReportRow
}

// PunctRow is a unit's punctuality over every period it had to report in.
type PunctRow struct {
	Code, Name string
	Counts     map[string]int // by punctuality
	Periods    int
	Due        int // periods due or submitted
	Rate       int // percent of those on time
}

// BoardReporting is the board's reporting part.
type BoardReporting struct {
	Reports     bool
	Open        []ReportPeriod
	OpenMore    int // open periods beyond those shown
	SubStatuses []string
	Punct       []PunctRow
	PunctUnits  int // units in the summary, shown or not
	PunctAll    bool
	PunctOnTime int // province-wide: submissions on time, of PunctDue due
	PunctDue    int
}

// Board is the operations board's read model.
type Board struct {
	P        *Plan
	F        PlanFilter
	Sections []SectionGroup
	States   []string
	Rows     []CountRow
	Totals   map[string]int
	Total    int
	Unowned  []CountRow
	Orphans  []OrphanRow
	Groups   []IndicatorGroup
	Period   *tinhso.Period
	Figures  int
	Disagree []*tinhso.Measure
	Measures int
	Problems []ProblemRow
	Statuses []string
	PTotals  map[string]int
	PTotal   int
	Soon     string
	BoardReporting
}

// SubmissionStatuses lists the states of a submission, in workflow order.
var SubmissionStatuses = []string{tinhso.StatusDraft, tinhso.StatusSubmitted, tinhso.StatusReturned, tinhso.StatusApproved}

// Board reads the operations board.
func (a *App) Board(ctx context.Context, q BoardQuery) (*Board, error) {
	p, err := a.Plan(ctx)
	if err != nil {
		return nil, err
	}
	f := p.Resolve(q.Filter)
	tasks, err := a.AllTasks(ctx, tinhso.TaskFilter{})
	if err != nil {
		return nil, err
	}
	inds, err := a.AllIndicators(ctx, tinhso.IndicatorFilter{})
	if err != nil {
		return nil, err
	}
	measures, err := a.AllMeasures(ctx)
	if err != nil {
		return nil, err
	}
	problems, err := a.AllProblems(ctx, tinhso.ProblemFilter{})
	if err != nil {
		return nil, err
	}
	periods, err := a.store.FindPeriods(ctx, "")
	if err != nil {
		return nil, err
	}
	figs, period, series, err := a.boardFigures(ctx, periods)
	if err != nil {
		return nil, err
	}
	progress, err := a.TaskProgress(ctx, nil)
	if err != nil {
		return nil, err
	}
	dl := engine.DeadlinesOn(q.Today)
	d := &Board{P: p, F: f, States: engine.DeadlineStates, Totals: map[string]int{}, Period: period, Figures: len(figs),
		Statuses: tinhso.ProblemStatuses, PTotals: map[string]int{}, Soon: dl.Soon, Measures: len(measures)}
	d.Sections = SectionsOf(tasks, f.Document)

	// Tasks by deadline state, per document; nobody's tasks; gone owners.
	rows := map[string]*CountRow{}
	unowned := map[string]*CountRow{}
	orphans := map[string]*OrphanRow{}
	orphan := func(ref tinhso.AgencyRef) *OrphanRow {
		o, ok := orphans[ref.Code]
		if !ok {
			o = &OrphanRow{Ref: ref, Successors: p.agency(ref).Successors}
			orphans[ref.Code] = o
		}
		return o
	}
	for _, t := range tasks {
		if !f.KeepTask(t) {
			continue
		}
		st := dl.StateOf(t, progress[t.Key])
		row, ok := rows[t.Document]
		if !ok {
			row = &CountRow{Doc: p.docBySlug[t.Document], Counts: map[string]int{}}
			rows[t.Document] = row
		}
		row.Counts[st]++
		row.Total++
		d.Totals[st]++
		d.Total++
		if t.Unassigned {
			ur, ok := unowned[t.Document]
			if !ok {
				ur = &CountRow{Doc: p.docBySlug[t.Document], Counts: map[string]int{}}
				unowned[t.Document] = ur
			}
			ur.Total++
		}
		for _, ref := range t.Lead {
			if !ref.Exists {
				orphan(ref).Tasks++
			}
		}
	}
	for _, doc := range p.docs {
		if row, ok := rows[doc.Slug]; ok {
			d.Rows = append(d.Rows, *row)
		}
		if row, ok := unowned[doc.Slug]; ok {
			d.Unowned = append(d.Unowned, *row)
		}
	}

	// Indicators by document with their targets, latest approved figure and trend.
	groups := map[string]*IndicatorGroup{}
	for _, ind := range inds {
		if !f.KeepIndicator(ind) {
			continue
		}
		for _, ref := range ind.Agencies {
			if !ref.Exists {
				orphan(ref).Indicators++
			}
		}
		g, ok := groups[ind.Document]
		if !ok {
			g = &IndicatorGroup{Doc: p.docBySlug[ind.Document]}
			groups[ind.Document] = g
		}
		row := IndicatorRow{Ind: ind, Trend: series[ind.Key]}
		if fig, ok := figs[ind.Key]; ok {
			row.Figure = &fig
		}
		g.Items = append(g.Items, row)
	}
	for _, doc := range p.docs {
		if g, ok := groups[doc.Slug]; ok {
			d.Groups = append(d.Groups, *g)
		}
	}
	for _, o := range orphans {
		d.Orphans = append(d.Orphans, *o)
	}
	sort.Slice(d.Orphans, func(i, j int) bool { return TextCmp(d.Orphans[i].Ref.Name, d.Orphans[j].Ref.Name) < 0 })

	for _, m := range measures {
		if m.Disagree {
			d.Disagree = append(d.Disagree, m)
		}
	}

	byProvince := map[string]*ProblemRow{}
	var provinces []string
	for _, pr := range problems {
		row, ok := byProvince[pr.Province]
		if !ok {
			row = &ProblemRow{Province: pr.Province, Counts: map[string]int{}}
			byProvince[pr.Province] = row
			provinces = append(provinces, pr.Province)
		}
		row.Counts[pr.Status]++
		row.Total++
		d.PTotals[pr.Status]++
		d.PTotal++
	}
	for _, pv := range provinces {
		d.Problems = append(d.Problems, *byProvince[pv])
	}
	if q.Reports {
		if err := a.boardReports(ctx, d, periods, q); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// boardFigures reads the approved figures of the newest periods once: those of the
// newest period with any (the board's "latest" column, as LatestFigures), and each
// indicator's figures in time order.
func (a *App) boardFigures(ctx context.Context, periods []*tinhso.Period) (map[string]tinhso.Figure, *tinhso.Period, map[string][]TrendPoint, error) {
	var latest map[string]tinhso.Figure
	var latestP *tinhso.Period
	series := map[string][]TrendPoint{}
	n := min(len(periods), BoardTrendPeriods)
	for i := 0; i < n; i++ {
		p := periods[i]
		figs, err := a.store.FindFigures(ctx, p.ID)
		if err != nil {
			return nil, nil, nil, err
		}
		if len(figs) > 0 && latest == nil {
			latest, latestP = make(map[string]tinhso.Figure, len(figs)), p
			for _, f := range figs {
				latest[f.Indicator] = f
			}
		}
		for _, f := range figs {
			series[f.Indicator] = append(series[f.Indicator], TrendPoint{P: p, F: f})
		}
	}
	for _, pts := range series {
		sort.SliceStable(pts, func(i, j int) bool {
			a, b := pts[i].P, pts[j].P
			if a.Start != b.Start {
				return a.Start < b.Start
			}
			if a.End != b.End {
				return a.End < b.End
			}
			return a.ID < b.ID
		})
	}
	return latest, latestP, series, nil
}

// reportOrder lists an open period's units: those still to report first.
var reportOrder = []string{tinhso.StatusReturned, tinhso.StatusDraft, tinhso.StatusSubmitted, tinhso.StatusApproved}

// boardReports fills in the open periods' submissions and the units' punctuality.
func (a *App) boardReports(ctx context.Context, d *Board, periods []*tinhso.Period, q BoardQuery) error {
	d.Reports = true
	d.SubStatuses = SubmissionStatuses
	d.PunctAll = q.PunctAll
	var open []*tinhso.Period
	for _, p := range periods { // newest first
		if p.Status == "open" {
			if len(open) < BoardOpenPeriods {
				open = append(open, p)
			} else {
				d.OpenMore++
			}
		}
	}
	if len(periods) == 0 {
		return nil
	}
	subs, _, err := a.store.FindSubmissions(ctx, tinhso.SubmissionFilter{Page: tinhso.Page{Limit: 1000000}})
	if err != nil {
		return err
	}
	regimes := map[string]string{}
	if len(open) > 0 {
		rs, err := a.store.FindRegimes(ctx)
		if err != nil {
			return err
		}
		for _, rg := range rs {
			regimes[rg.Key] = rg.Name
		}
	}
	byID := make(map[int64]*tinhso.Period, len(periods))
	for _, p := range periods {
		byID[p.ID] = p
	}
	openAt := map[int64]int{}
	for i, p := range open {
		openAt[p.ID] = i
		d.Open = append(d.Open, ReportPeriod{P: p, Regime: regimes[p.Regime], Counts: map[string]int{}, Punct: map[string]int{}})
	}
	units := map[string]*PunctRow{}
	for _, s := range subs {
		if d.F.Agency != "" && s.OrgUnit != d.F.Agency {
			continue
		}
		p := byID[s.Period]
		pu := engine.Punctuality(s, p, q.Today)
		if i, ok := openAt[s.Period]; ok {
			rp := &d.Open[i]
			rp.Counts[s.Status]++
			rp.Punct[pu]++
			rp.Total++
			rp.Rows = append(rp.Rows, ReportRow{S: s, Punct: pu})
		}
		row, ok := units[s.OrgUnit]
		if !ok {
			row = &PunctRow{Code: s.OrgUnit, Name: s.UnitName, Counts: map[string]int{}}
			units[s.OrgUnit] = row
		}
		row.Counts[pu]++
		row.Periods++
	}
	for i := range d.Open {
		rows := d.Open[i].Rows
		sort.SliceStable(rows, func(a, b int) bool {
			x, y := indexOf(reportOrder, rows[a].S.Status), indexOf(reportOrder, rows[b].S.Status)
			if x != y {
				return x < y
			}
			return TextCmp(rows[a].S.UnitName, rows[b].S.UnitName) < 0
		})
	}
	for _, row := range units {
		row.Due = row.Counts[engine.PunctOnTime] + row.Counts[engine.PunctLate] + row.Counts[engine.PunctOverdue]
		row.Rate = engine.Percent(row.Counts[engine.PunctOnTime], row.Due)
		d.PunctDue += row.Due
		d.PunctOnTime += row.Counts[engine.PunctOnTime]
		d.Punct = append(d.Punct, *row)
	}
	// Worst first: the lowest on-time rate, then the most overdue and late; units with
	// nothing due yet last.
	sort.Slice(d.Punct, func(i, j int) bool {
		a, b := d.Punct[i], d.Punct[j]
		if (a.Due == 0) != (b.Due == 0) {
			return b.Due == 0
		}
		if a.Rate != b.Rate {
			return a.Rate < b.Rate
		}
		if a.Counts[engine.PunctOverdue] != b.Counts[engine.PunctOverdue] {
			return a.Counts[engine.PunctOverdue] > b.Counts[engine.PunctOverdue]
		}
		if a.Counts[engine.PunctLate] != b.Counts[engine.PunctLate] {
			return a.Counts[engine.PunctLate] > b.Counts[engine.PunctLate]
		}
		return TextCmp(a.Name, b.Name) < 0
	})
	d.PunctUnits = len(d.Punct)
	if !d.PunctAll && len(d.Punct) > BoardPunctRows {
		d.Punct = d.Punct[:BoardPunctRows]
	}
	return nil
}
