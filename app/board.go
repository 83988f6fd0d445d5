package app

import (
	"context"
	"fmt"
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

// IndicatorGroup is a document's indicators: the first few of Total.
type IndicatorGroup struct {
	Doc   *tinhso.Document
	Items []IndicatorRow
	Total int
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
	RowsMore int // documents with tasks beyond those in Rows
	Totals   map[string]int
	Total    int
	Unowned  []CountRow
	// UnownedMore: documents with unowned tasks beyond those shown.
	UnownedMore int
	Orphans     []OrphanRow
	OrphansMore int // units gone beyond those shown
	Groups      []IndicatorGroup
	GroupsMore  int // documents with indicators beyond those shown
	Period      *tinhso.Period
	Figures     int
	Disagree    []*tinhso.Measure
	DisagreeN   int // disagreeing measures, shown or not
	Measures    int
	Problems    []ProblemRow
	Statuses    []string
	PTotals     map[string]int
	PTotal      int
	Soon        string
	BoardReporting
}

// SubmissionStatuses lists the states of a submission, in workflow order.
var SubmissionStatuses = []string{tinhso.StatusDraft, tinhso.StatusSubmitted, tinhso.StatusReturned, tinhso.StatusApproved}

// How much of each list the board shows; each links to the full list.
const (
	// BoardDocuments is how many documents the deadline table, the unowned tasks and
	// the indicators show.
	BoardDocuments = 10
	// BoardIndicators is how many indicators of a document the board shows, those with
	// a figure first.
	BoardIndicators = 12
	// BoardGone is how many org units that no longer exist the board shows, those
	// still naming the most first.
	BoardGone = 10
	// BoardDisagree is how many disagreeing measures the board shows.
	BoardDisagree = 10
)

// Board reads the operations board: counts made by the store, and the first few rows
// of each list with a link to the rest. The board of a question is kept until the data
// changes (readcache.go): the callers must not change it.
func (a *App) Board(ctx context.Context, q BoardQuery) (*Board, error) {
	f := q.Filter
	key := fmt.Sprintf("board\x00%s\x00%q\x00%t\x00%t\x00%q", q.Today, []string{f.Document, f.Section, f.Agency, f.State, f.Q, f.Sort,
		f.Province, f.Status, f.Kind, f.Class}, q.Reports, q.PunctAll, []any{f.Unassigned, f.Gone, f.Horizon, f.Disagree})
	return cachedRead(ctx, a, key, func() (*Board, error) { return a.board(ctx, q) })
}

func (a *App) board(ctx context.Context, q BoardQuery) (*Board, error) {
	p, err := a.PlanFor(ctx, q.Filter.Agency)
	if err != nil {
		return nil, err
	}
	f := p.Resolve(q.Filter)
	dl := engine.DeadlinesOn(q.Today)
	d := &Board{P: p, F: f, States: engine.DeadlineStates, Totals: map[string]int{}, Statuses: tinhso.ProblemStatuses,
		PTotals: map[string]int{}, Soon: dl.Soon}
	if d.Sections, err = a.Sections(ctx, f.Document); err != nil {
		return nil, err
	}
	periods, err := a.store.FindPeriods(ctx, "")
	if err != nil {
		return nil, err
	}
	if !p.unknownDoc(f) {
		if err := a.boardPlan(ctx, d, dl, periods); err != nil {
			return nil, err
		}
	}
	if _, d.Measures, err = a.store.FindMeasures(ctx, tinhso.Page{Limit: 1}); err != nil {
		return nil, err
	}
	if d.Disagree, d.DisagreeN, err = a.store.FindDisagreeingMeasures(ctx, tinhso.Page{Limit: BoardDisagree}); err != nil {
		return nil, err
	}
	tally, err := a.store.TallyProblems(ctx)
	if err != nil {
		return nil, err
	}
	byProvince := map[string]*ProblemRow{}
	var provinces []string
	for _, x := range tally {
		row, ok := byProvince[x.Province]
		if !ok {
			row = &ProblemRow{Province: x.Province, Counts: map[string]int{}}
			byProvince[x.Province] = row
			provinces = append(provinces, x.Province)
		}
		row.Counts[x.Status] += x.N
		row.Total += x.N
		d.PTotals[x.Status] += x.N
		d.PTotal += x.N
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

// boardPlan fills in the tasks by deadline state, the unowned tasks, the units gone
// and the indicators with their figures.
func (a *App) boardPlan(ctx context.Context, d *Board, dl engine.Deadlines, periods []*tinhso.Period) error {
	p, f := d.P, d.F
	tf := f.taskFilter()
	tf.Sort = ""
	tally, err := a.store.TallyTasks(ctx, tf)
	if err != nil {
		return err
	}
	rows := map[string]*CountRow{}
	unowned := map[string]*CountRow{}
	for _, x := range tally {
		st := dl.Tally(x)
		row, ok := rows[x.Document]
		if !ok {
			row = &CountRow{Doc: p.docBySlug[x.Document], Counts: map[string]int{}}
			rows[x.Document] = row
		}
		row.Counts[st] += x.N
		row.Total += x.N
		d.Totals[st] += x.N
		d.Total += x.N
		if x.Unassigned {
			ur, ok := unowned[x.Document]
			if !ok {
				ur = &CountRow{Doc: p.docBySlug[x.Document], Counts: map[string]int{}}
				unowned[x.Document] = ur
			}
			ur.Total += x.N
		}
	}
	// The finished tasks the filter keeps move from the state their due date gives to
	// done or done late.
	fin, err := a.finishedTasks(ctx, dl)
	if err != nil {
		return err
	}
	if len(fin.keys) > 0 {
		ff := tf
		ff.Keys = fin.keys
		done, err := a.AllTasks(ctx, ff)
		if err != nil {
			return err
		}
		for _, t := range done {
			if row, ok := rows[t.Document]; ok {
				base, st := fin.base[t.Key], fin.state[t.Key]
				row.Counts[base]--
				row.Counts[st]++
				d.Totals[base]--
				d.Totals[st]++
			}
		}
	}
	for _, doc := range p.docs {
		if row, ok := rows[doc.Slug]; ok {
			if len(d.Rows) < BoardDocuments {
				d.Rows = append(d.Rows, *row)
			} else {
				d.RowsMore++
			}
		}
		if row, ok := unowned[doc.Slug]; ok {
			if len(d.Unowned) < BoardDocuments {
				d.Unowned = append(d.Unowned, *row)
			} else {
				d.UnownedMore++
			}
		}
	}

	inf := f.indicatorFilter()
	inf.Sort = ""
	gone, err := a.store.CountGoneAgencies(ctx, tf, inf)
	if err != nil {
		return err
	}
	sort.SliceStable(gone, func(i, j int) bool {
		a, b := gone[i], gone[j]
		if a.Tasks+a.Indicators != b.Tasks+b.Indicators {
			return a.Tasks+a.Indicators > b.Tasks+b.Indicators
		}
		return a.Code < b.Code
	})
	d.OrphansMore = max(0, len(gone)-BoardGone)
	gone = gone[:min(len(gone), BoardGone)]
	codes := make([]string, len(gone))
	for i, g := range gone {
		codes[i] = g.Code
	}
	if len(codes) > 0 {
		units, _, err := a.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Codes: codes, Page: tinhso.Page{Limit: len(codes)}})
		if err != nil {
			return err
		}
		succ, err := a.store.FindSuccessions(ctx, "")
		if err != nil {
			return err
		}
		byCode := map[string]*tinhso.OrgUnit{}
		var more []string
		for _, u := range units {
			byCode[u.Code] = u
			for _, sc := range succ {
				if contains(sc.From, u.Code) {
					more = append(more, sc.To...)
				}
			}
		}
		// Successors, and theirs, to know which exist.
		if err := p.Need(ctx, append(append([]string{}, codes...), more...)...); err != nil {
			return err
		}
		for _, g := range gone {
			u := byCode[g.Code]
			if u == nil {
				continue
			}
			ref := tinhso.AgencyRef{Code: u.Code, Name: u.Name, Kind: u.Kind, Dissolved: u.Dissolved}
			ref.Successors = tinhso.CurrentSuccessors(u.Code, dl.Today, succ, func(c string) bool {
				x, ok := p.units[c]
				return ok && x.Exists(dl.Today)
			})
			if err := p.Need(ctx, ref.Successors...); err != nil {
				return err
			}
			d.Orphans = append(d.Orphans, OrphanRow{Ref: ref, Successors: p.agency(ref).Successors, Tasks: g.Tasks, Indicators: g.Indicators})
		}
		sort.SliceStable(d.Orphans, func(i, j int) bool { return TextCmp(d.Orphans[i].Ref.Name, d.Orphans[j].Ref.Name) < 0 })
	}

	// Indicators of the first documents: those with a figure of the newest period
	// first, then in the document's order.
	counts, err := a.store.CountIndicators(ctx, inf)
	if err != nil {
		return err
	}
	figs, period, series, err := a.boardFigures(ctx, periods)
	if err != nil {
		return err
	}
	d.Period, d.Figures = period, len(figs)
	texts, err := a.LatestTexts(ctx)
	if err != nil {
		return err
	}
	var withFig []string
	for k := range figs {
		withFig = append(withFig, k)
	}
	for k := range texts {
		if _, ok := figs[k]; !ok {
			withFig = append(withFig, k)
		}
	}
	sort.Strings(withFig)
	for _, doc := range p.docs {
		n := counts[doc.Slug]
		if n == 0 {
			continue
		}
		if len(d.Groups) >= BoardDocuments {
			d.GroupsMore++
			continue
		}
		g := IndicatorGroup{Doc: doc, Total: n}
		df := inf
		df.Document = doc.Slug
		shown := map[string]bool{}
		if len(withFig) > 0 {
			df.Keys, df.Page = withFig, tinhso.Page{Limit: BoardIndicators}
			list, _, err := a.store.FindIndicators(ctx, df)
			if err != nil {
				return err
			}
			for _, ind := range list {
				shown[ind.Key] = true
				g.Items = append(g.Items, IndicatorRow{Ind: ind})
			}
		}
		if len(g.Items) < BoardIndicators {
			df.Keys, df.Page = nil, tinhso.Page{Limit: BoardIndicators + len(g.Items)}
			list, _, err := a.store.FindIndicators(ctx, df)
			if err != nil {
				return err
			}
			for _, ind := range list {
				if !shown[ind.Key] && len(g.Items) < BoardIndicators {
					g.Items = append(g.Items, IndicatorRow{Ind: ind})
				}
			}
		}
		for i := range g.Items {
			row := &g.Items[i]
			row.Texts = texts[row.Ind.Key]
			if fig, ok := figs[row.Ind.Key]; ok {
				row.Figure = &fig
			}
			row.Trend = series[row.Ind.Key]
		}
		d.Groups = append(d.Groups, g)
	}
	return nil
}

// boardFigures reads the approved figures of the newest periods once: those of the
// newest period with any (the board's "latest" column, as LatestFigures), and each
// indicator's figures in time order.
func (a *App) boardFigures(ctx context.Context, periods []*tinhso.Period) (map[string]tinhso.Figure, *tinhso.Period, map[string][]TrendPoint, error) {
	var latest map[string]tinhso.Figure
	var latestP *tinhso.Period
	series := map[string][]TrendPoint{}
	periods = periods[:min(len(periods), BoardTrendPeriods)]
	byPeriod, err := a.store.FindFiguresOf(ctx, periodIDs(periods), nil)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, p := range periods {
		figs := byPeriod[p.ID]
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
	subs, err := a.store.FindSubmissionStates(ctx)
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
			if c := TextCmp(rows[a].S.UnitName, rows[b].S.UnitName); c != 0 {
				return c < 0
			}
			return rows[a].S.OrgUnit < rows[b].S.OrgUnit
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
	// nothing due yet last. Names are folded once, not at every comparison.
	folded := make(map[string]string, len(d.Punct))
	for _, row := range d.Punct {
		folded[row.Code] = Fold(row.Name)
	}
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
		if fa, fb := folded[a.Code], folded[b.Code]; fa != fb {
			return fa < fb
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Code < b.Code
	})
	d.PunctUnits = len(d.Punct)
	if !d.PunctAll && len(d.Punct) > BoardPunctRows {
		d.Punct = d.Punct[:BoardPunctRows]
	}
	return nil
}
