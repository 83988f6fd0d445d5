package http

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
)

// Deadline states of a task, computed from its parsed deadline and today's date in
// the province.
const (
	stateOverdue   = "overdue"   // due date before today
	stateSoon      = "soon"      // due within 30 days
	stateLater     = "later"     // due later
	stateRecurring = "recurring" // ongoing or yearly, no single due date
	stateNone      = "none"      // no deadline
)

var deadlineStates = []string{stateOverdue, stateSoon, stateLater, stateRecurring, stateNone}

// deadlineState judges a task's deadline on a day (yyyy-mm-dd). A task with a due date
// is judged by it even when it also recurs ("Năm 2025 và giai đoạn 2026 - 2030").
func deadlineState(t *tinhso.Task, today, soon string) string {
	switch {
	case t.DueDate != "" && t.DueDate < today:
		return stateOverdue
	case t.DueDate != "" && t.DueDate <= soon:
		return stateSoon
	case t.DueDate != "":
		return stateLater
	case t.Recurrence != nil:
		return stateRecurring
	}
	return stateNone
}

// soonDay is the last day "due within 30 days" covers.
func soonDay(today string) string {
	d, err := time.Parse("2006-01-02", today)
	if err != nil {
		return today
	}
	return d.AddDate(0, 0, 30).Format("2006-01-02")
}

type boardRow struct {
	Doc    *tinhso.Document
	Counts map[string]int
	Total  int
}

type orphanRow struct {
	Ref        tinhso.AgencyRef
	Successors []*tinhso.OrgUnit
	Tasks      int
	Indicators int
}

type indicatorRow struct {
	Ind    *tinhso.Indicator
	Figure *tinhso.Figure
	// Trend is the indicator's approved figures over the periods, for a small chart
	// (nil when it has none).
	Trend *boardTrend
}

type indicatorGroup struct {
	Doc   *tinhso.Document
	Items []indicatorRow
}

type problemRow struct {
	Province string
	Counts   map[string]int
	Total    int
}

type boardData struct {
	P        *plan
	F        taskQuery
	Sections []sectionGroup
	States   []string
	Rows     []boardRow
	Totals   map[string]int
	Total    int
	Unowned  []boardRow
	Orphans  []orphanRow
	Groups   []indicatorGroup
	Period   *tinhso.Period
	Figures  int
	Disagree []*tinhso.Measure
	Measures int
	Problems []problemRow
	Statuses []string
	PTotals  map[string]int
	PTotal   int
	Soon     string
	boardReporting
}

// board is the operations board (Bảng điều hành): where the plan stands today, useful
// before any report arrives. Every figure links to the records it counts.
func (u *ui) board(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "board")
	v.Title = v.T("board.title")
	ctx := r.Context()
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	f := readTaskQuery(r, p)
	tasks, err := u.allTasks(ctx, tinhso.TaskFilter{})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	inds, err := u.allIndicators(ctx, tinhso.IndicatorFilter{})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	measures, err := u.allMeasures(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	problems, err := u.allProblems(ctx, tinhso.ProblemFilter{})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	periods, err := u.s.store.FindPeriods(ctx, "")
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	figs, period, series, err := u.boardFigures(ctx, periods)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	today := v.Today
	soon := soonDay(today)
	d := &boardData{P: p, F: f, States: deadlineStates, Totals: map[string]int{}, Period: period, Figures: len(figs),
		Statuses: tinhso.ProblemStatuses, PTotals: map[string]int{}, Soon: soon, Measures: len(measures)}
	d.Sections = sectionsOf(tasks, f.Document)

	// Tasks by deadline state, per document; nobody's tasks; gone owners.
	rows := map[string]*boardRow{}
	unowned := map[string]*boardRow{}
	orphans := map[string]*orphanRow{}
	orphan := func(a tinhso.AgencyRef) *orphanRow {
		o, ok := orphans[a.Code]
		if !ok {
			o = &orphanRow{Ref: a}
			for _, c := range a.Successors {
				if su, ok := p.units[c]; ok {
					o.Successors = append(o.Successors, su)
				} else {
					o.Successors = append(o.Successors, &tinhso.OrgUnit{Code: c, Name: c})
				}
			}
			orphans[a.Code] = o
		}
		return o
	}
	for _, t := range tasks {
		if !f.keepTask(t, p, "", "") {
			continue
		}
		st := deadlineState(t, today, soon)
		row, ok := rows[t.Document]
		if !ok {
			row = &boardRow{Doc: p.docBySlug[t.Document], Counts: map[string]int{}}
			rows[t.Document] = row
		}
		row.Counts[st]++
		row.Total++
		d.Totals[st]++
		d.Total++
		if t.Unassigned {
			ur, ok := unowned[t.Document]
			if !ok {
				ur = &boardRow{Doc: p.docBySlug[t.Document], Counts: map[string]int{}}
				unowned[t.Document] = ur
			}
			ur.Total++
		}
		for _, a := range t.Lead {
			if !a.Exists {
				orphan(a).Tasks++
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

	// Indicators by document with their targets and latest approved figure.
	groups := map[string]*indicatorGroup{}
	for _, ind := range inds {
		if !f.keepIndicator(ind, p) {
			continue
		}
		for _, a := range ind.Agencies {
			if !a.Exists {
				orphan(a).Indicators++
			}
		}
		g, ok := groups[ind.Document]
		if !ok {
			g = &indicatorGroup{Doc: p.docBySlug[ind.Document]}
			groups[ind.Document] = g
		}
		row := indicatorRow{Ind: ind}
		if fig, ok := figs[ind.Key]; ok {
			row.Figure = &fig
		}
		if pts := series[ind.Key]; len(pts) > 0 {
			row.Trend = newBoardTrend(v, ind, pts)
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
	sort.Slice(d.Orphans, func(i, j int) bool { return textCmp(d.Orphans[i].Ref.Name, d.Orphans[j].Ref.Name) < 0 })

	for _, m := range measures {
		if m.Disagree {
			d.Disagree = append(d.Disagree, m)
		}
	}

	byProvince := map[string]*problemRow{}
	var provinces []string
	for _, pr := range problems {
		row, ok := byProvince[pr.Province]
		if !ok {
			row = &problemRow{Province: pr.Province, Counts: map[string]int{}}
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
	for _, g := range d.Groups {
		for _, it := range g.Items {
			if it.Trend != nil {
				v.Scripts = []string{"vendor/uPlot.iife.min.js", "app.js"}
			}
		}
	}
	if u.mayReadAll(r, v) {
		if err := u.boardReports(ctx, r, v, d, periods); err != nil {
			u.fail(w, r, v, err)
			return
		}
	}
	v.D = d
	u.render(w, r, http.StatusOK, "board", v)
}

// sectionGroup is a document's task sections, for the section filter.
type sectionGroup struct {
	Doc      string
	Sections []string
}

// sectionsOf lists the sections of the tasks of each document (of one when doc is set).
func sectionsOf(tasks []*tinhso.Task, doc string) []sectionGroup {
	var out []sectionGroup
	seen := map[string]bool{}
	for _, t := range tasks {
		if doc != "" && t.Document != doc || t.Section == "" || seen[t.Document+"\x00"+t.Section] {
			continue
		}
		seen[t.Document+"\x00"+t.Section] = true
		if len(out) == 0 || out[len(out)-1].Doc != t.Document {
			out = append(out, sectionGroup{Doc: t.Document})
		}
		g := &out[len(out)-1]
		g.Sections = append(g.Sections, t.Section)
	}
	for _, g := range out {
		sort.SliceStable(g.Sections, func(i, j int) bool { return sectionKey(g.Sections[i]) < sectionKey(g.Sections[j]) })
	}
	return out
}

// sectionKey orders Roman numerals and numbers by value.
func sectionKey(s string) int {
	roman := map[string]int{"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10,
		"XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15}
	if n, ok := roman[s]; ok {
		return n
	}
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 1000 + n
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// The board "as reports arrive": each indicator's approved figures over the periods
// (a small chart with the target line), the open periods' submissions unit by unit,
// and each unit's punctuality over every period. Who reported what is shown to those
// who may read every unit's submissions (as GET /api/v1/submissions); the figures, as
// everywhere on the board, to all.

// boardTrendPeriods is how many of the newest periods the trend charts cover.
const boardTrendPeriods = 24

// boardPunctRows is how many units the punctuality summary shows unless asked for all.
const boardPunctRows = 20

// trendPoint is an approved figure of a period.
type trendPoint struct {
	P *tinhso.Period
	F tinhso.Figure
}

// boardTrend is what an indicator's small chart shows, and says in words.
type boardTrend struct {
	Chart *chartData
	Label string // the chart's accessible name: every figure and the target
	Last  trendPoint
	N     int
}

// boardFigures reads the approved figures of the newest periods once: those of the
// newest period with any (the board's "latest" column, as latestFigures), and each
// indicator's figures in time order.
func (u *ui) boardFigures(ctx context.Context, periods []*tinhso.Period) (map[string]tinhso.Figure, *tinhso.Period, map[string][]trendPoint, error) {
	var latest map[string]tinhso.Figure
	var latestP *tinhso.Period
	series := map[string][]trendPoint{}
	n := min(len(periods), boardTrendPeriods)
	for i := 0; i < n; i++ {
		p := periods[i]
		figs, err := u.s.store.FindFigures(ctx, p.ID)
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
			series[f.Indicator] = append(series[f.Indicator], trendPoint{P: p, F: f})
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

// numericTarget is a target a chart can draw as a line.
func numericTarget(t tinhso.Target) bool {
	return t.Value != nil && (t.Kind == tinhso.TargetNumeric || t.Kind == tinhso.TargetRank)
}

func newBoardTrend(v *view, ind *tinhso.Indicator, pts []trendPoint) *boardTrend {
	c := &chartData{Unit: ind.Unit, Name: ind.Code}
	if numericTarget(ind.Target) {
		c.Target = ind.Target.Value
		if ind.Target.Comparator == tinhso.CmpRange {
			c.Upper = ind.Target.Upper
		}
	}
	words := make([]string, len(pts))
	for i, p := range pts {
		c.Labels = append(c.Labels, p.P.Label)
		c.Values = append(c.Values, p.F.Value)
		c.X = append(c.X, float64(i))
		words[i] = p.P.Label + ": " + v.Num(p.F.Value)
	}
	label := v.T("board.trend_label", ind.Code, strings.Join(words, "; "))
	if numericTarget(ind.Target) {
		label += "; " + v.T("board.trend_target", v.Target(ind.Target))
	}
	return &boardTrend{Chart: c, Label: label, Last: pts[len(pts)-1], N: len(pts)}
}

// reportRow is a unit's submission of an open period.
type reportRow struct {
	S     *tinhso.Submission
	Punct string
}

// reportPeriod is an open period: its submissions counted by status, and unit by unit.
type reportPeriod struct {
	P      *tinhso.Period
	Regime string
	Counts map[string]int
	Punct  map[string]int
	Total  int
	Rows   []reportRow
}

// punctRow is a unit's punctuality over every period it had to report in.
type punctRow struct {
	Code, Name string
	Counts     map[string]int // by punctuality
	Periods    int
	Due        int // periods due or submitted
	Rate       int // percent of those on time
}

type boardReporting struct {
	// Reports: the caller may read every unit's submissions; the rest is empty without.
	Reports     bool
	Open        []reportPeriod
	OpenMore    int // open periods beyond those shown
	SubStatuses []string
	Punct       []punctRow
	PunctUnits  int // units in the summary, shown or not
	PunctAll    bool
	PunctOnTime int // province-wide: submissions on time, of PunctDue due
	PunctDue    int
}

// boardOpenPeriods is how many open periods the board shows.
const boardOpenPeriods = 3

// mayReadAll says whether the caller may read every unit's submissions, as the JSON API
// decides for GET /api/v1/submissions (the role, and a token's scopes).
func (u *ui) mayReadAll(r *http.Request, v *view) bool {
	if v.Me == nil || v.Me.User == nil || !v.Me.User.Can(tinhso.ActReadAll) {
		return false
	}
	c := callerFrom(r.Context())
	if c == nil {
		c, _ = u.s.identify(r)
	}
	if c == nil || c.user == nil || c.session != nil && c.user.MustChangePassword {
		return false
	}
	return c.token == nil || c.token.Allows(tinhso.ActReadAll)
}

// boardReports fills in the open periods' submissions and the units' punctuality.
func (u *ui) boardReports(ctx context.Context, r *http.Request, v *view, d *boardData, periods []*tinhso.Period) error {
	d.Reports = true
	d.SubStatuses = submissionStatuses
	d.PunctAll = r.URL.Query().Get("punct") == "all"
	var open []*tinhso.Period
	for _, p := range periods { // newest first
		if p.Status == "open" {
			if len(open) < boardOpenPeriods {
				open = append(open, p)
			} else {
				d.OpenMore++
			}
		}
	}
	if len(periods) == 0 {
		return nil
	}
	subs, _, err := u.s.store.FindSubmissions(ctx, tinhso.SubmissionFilter{Page: tinhso.Page{Limit: 1000000}})
	if err != nil {
		return err
	}
	regimes := map[string]string{}
	if len(open) > 0 {
		rs, err := u.s.store.FindRegimes(ctx)
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
		d.Open = append(d.Open, reportPeriod{P: p, Regime: regimes[p.Regime], Counts: map[string]int{}, Punct: map[string]int{}})
	}
	units := map[string]*punctRow{}
	for _, s := range subs {
		if d.F.Agency != "" && s.OrgUnit != d.F.Agency {
			continue
		}
		p := byID[s.Period]
		pu := punctuality(s, p, v.Today)
		if i, ok := openAt[s.Period]; ok {
			rp := &d.Open[i]
			rp.Counts[s.Status]++
			rp.Punct[pu]++
			rp.Total++
			rp.Rows = append(rp.Rows, reportRow{S: s, Punct: pu})
		}
		row, ok := units[s.OrgUnit]
		if !ok {
			row = &punctRow{Code: s.OrgUnit, Name: s.UnitName, Counts: map[string]int{}}
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
			return textCmp(rows[a].S.UnitName, rows[b].S.UnitName) < 0
		})
	}
	for _, row := range units {
		row.Due = row.Counts[punctOnTime] + row.Counts[punctLate] + row.Counts[punctOverdue]
		row.Rate = percentOf(row.Counts[punctOnTime], row.Due)
		d.PunctDue += row.Due
		d.PunctOnTime += row.Counts[punctOnTime]
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
		if a.Counts[punctOverdue] != b.Counts[punctOverdue] {
			return a.Counts[punctOverdue] > b.Counts[punctOverdue]
		}
		if a.Counts[punctLate] != b.Counts[punctLate] {
			return a.Counts[punctLate] > b.Counts[punctLate]
		}
		return textCmp(a.Name, b.Name) < 0
	})
	d.PunctUnits = len(d.Punct)
	if !d.PunctAll && len(d.Punct) > boardPunctRows {
		d.Punct = d.Punct[:boardPunctRows]
	}
	return nil
}

// reportOrder lists an open period's units: those still to report first.
var reportOrder = []string{tinhso.StatusReturned, tinhso.StatusDraft, tinhso.StatusSubmitted, tinhso.StatusApproved}
