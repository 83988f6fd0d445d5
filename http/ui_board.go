package http

import (
	"net/http"
	"sort"
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
	figs, period, err := u.latestFigures(ctx)
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
