package http

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
)

// taskQuery is the filter of the board and the plan lists, read from the URL.
type taskQuery struct {
	Document   string // a slug
	Section    string
	Agency     string // an org-unit code: records it leads, or inherited from a unit it succeeds
	State      string
	Q          string
	Sort       string
	Unassigned bool
	Gone       bool // only records an org unit that no longer exists is named by
	Horizon    int
	Province   string
	Status     string
	Kind       string
	Disagree   bool
	m          matcher
}

func readTaskQuery(r *http.Request, p *plan) taskQuery {
	q := r.URL.Query()
	f := taskQuery{Section: strings.TrimSpace(q.Get("section")), Agency: strings.TrimSpace(q.Get("agency")), Q: q.Get("q"),
		Sort: q.Get("sort"), Unassigned: q.Get("unassigned") == "1" || q.Get("unassigned") == "true",
		Gone: q.Get("owner") == "gone", Province: q.Get("province"), Status: q.Get("status"), Kind: q.Get("kind"),
		Disagree: q.Get("disagree") == "1" || q.Get("disagree") == "true"}
	f.Horizon, _ = strconv.Atoi(q.Get("horizon"))
	if st := q.Get("state"); containsString(deadlineStates, st) {
		f.State = st
	}
	f.Document = p.resolveDoc(strings.TrimSpace(q.Get("document")))
	f.m = newMatcher(f.Q)
	return f
}

// resolveDoc turns a document's slug, number or id into its slug; an unknown reference
// is kept, so it matches nothing rather than everything.
func (p *plan) resolveDoc(ref string) string {
	if ref == "" {
		return ""
	}
	if _, ok := p.docBySlug[ref]; ok {
		return ref
	}
	for _, d := range p.docs {
		if d.Number == ref || strconv.FormatInt(d.ID, 10) == ref {
			return d.Slug
		}
	}
	return ref
}

// agencyMatch tells whether a list of agencies names code, or a unit code succeeds.
func agencyMatch(refs []tinhso.AgencyRef, code string) bool {
	for _, a := range refs {
		if a.Code == code || containsString(a.Successors, code) {
			return true
		}
	}
	return false
}

func anyGone(refs []tinhso.AgencyRef) bool {
	for _, a := range refs {
		if !a.Exists {
			return true
		}
	}
	return false
}

// keepTask applies the filter (but the deadline state, judged by the caller).
func (f taskQuery) keepTask(t *tinhso.Task, p *plan, _, _ string) bool {
	if f.Document != "" && t.Document != f.Document || f.Section != "" && t.Section != f.Section {
		return false
	}
	if f.Agency != "" && !agencyMatch(t.Lead, f.Agency) || f.Unassigned && !t.Unassigned || f.Gone && !anyGone(t.Lead) {
		return false
	}
	return f.m.match(t.Number, t.Title, t.SectionTitle, t.LeadText, t.CooperatingText, t.Deliverable, t.DeadlineText, t.Note)
}

func (f taskQuery) keepIndicator(ind *tinhso.Indicator, p *plan) bool {
	if f.Document != "" && ind.Document != f.Document || f.Horizon != 0 && ind.Horizon != f.Horizon {
		return false
	}
	if f.Agency != "" && !agencyMatch(ind.Agencies, f.Agency) || f.Gone && !anyGone(ind.Agencies) {
		return false
	}
	return f.m.match(ind.Code, ind.Name, ind.Unit, ind.TargetText, ind.AgenciesText, ind.Baseline, ind.Note)
}

// Filter links of the list pages keep the other filters.

type taskRow struct {
	T     *tinhso.Task
	State string
}

type listData struct {
	P        *plan
	F        taskQuery
	Pager    pager
	Sections []sectionGroup
	States   []string
	Sort     string
	Tasks    []taskRow
	Inds     []indicatorRow
	Measures []*tinhso.Measure
	Problems []*tinhso.Problem
	Units    []*tinhso.OrgUnit
	Docs     []*tinhso.Document
	Horizons []int
	Statuses []string
	Kinds    []string
	Provs    []string
	Period   *tinhso.Period
	Counts   map[string][3]int // a document's indicators, tasks and problems
}

// tasks lists tasks with search, filters, sort and pages.
func (u *ui) tasks(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "tasks")
	v.Title = v.T("tasks.title")
	ctx := r.Context()
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	f := readTaskQuery(r, p)
	all, err := u.allTasks(ctx, tinhso.TaskFilter{})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	soon := soonDay(v.Today)
	d := &listData{P: p, F: f, States: deadlineStates, Sections: sectionsOf(all, f.Document)}
	for _, t := range all {
		st := deadlineState(t, v.Today, soon)
		if f.keepTask(t, p, "", "") && (f.State == "" || st == f.State) {
			d.Tasks = append(d.Tasks, taskRow{t, st})
		}
	}
	d.Sort = sortBy(d.Tasks, f.Sort, map[string]func(a, b taskRow) int{
		"number": func(a, b taskRow) int { return naturalCmp(a.T.Number, b.T.Number) },
		"title":  func(a, b taskRow) int { return textCmp(a.T.Title, b.T.Title) },
		"due": func(a, b taskRow) int {
			// Tasks without a due date come last.
			da, db := a.T.DueDate, b.T.DueDate
			if da == "" {
				da = "9999"
			}
			if db == "" {
				db = "9999"
			}
			return strings.Compare(da, db)
		},
		"lead": func(a, b taskRow) int { return textCmp(a.T.LeadText, b.T.LeadText) },
	})
	d.Pager = paginate(r, len(d.Tasks))
	d.Tasks = d.Tasks[d.Pager.From:d.Pager.To]
	v.D = d
	u.render(w, r, http.StatusOK, "tasks", v)
}

type agencyView struct {
	Ref        tinhso.AgencyRef
	Successors []*tinhso.OrgUnit
}

func (p *plan) agencies(refs []tinhso.AgencyRef) []agencyView {
	out := make([]agencyView, 0, len(refs))
	for _, a := range refs {
		av := agencyView{Ref: a}
		for _, c := range a.Successors {
			if su, ok := p.units[c]; ok {
				av.Successors = append(av.Successors, su)
			} else {
				av.Successors = append(av.Successors, &tinhso.OrgUnit{Code: c, Name: c})
			}
		}
		out = append(out, av)
	}
	return out
}

type taskData struct {
	P           *plan
	T           *tinhso.Task
	State       string
	Lead        []agencyView
	Cooperating []agencyView
}

// task shows one task: its text, owners as written and now, deadline as written and
// parsed, and the passage of the document it comes from.
func (u *ui) task(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "tasks")
	ctx := r.Context()
	id, err := idParam(r)
	if err != nil {
		u.fail(w, r, v, tinhso.Errorf(tinhso.ENOTFOUND, "%s", v.T("error.notfound")))
		return
	}
	t, err := u.s.store.FindTask(ctx, id)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	v.Title = v.T("task.title", t.Number, p.DocName(t.Document))
	v.D = &taskData{P: p, T: t, State: deadlineState(t, v.Today, soonDay(v.Today)), Lead: p.agencies(t.Lead), Cooperating: p.agencies(t.Cooperating)}
	u.render(w, r, http.StatusOK, "task", v)
}

// indicators lists indicators with their targets.
func (u *ui) indicators(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "indicators")
	v.Title = v.T("indicators.title")
	ctx := r.Context()
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	f := readTaskQuery(r, p)
	all, err := u.allIndicators(ctx, tinhso.IndicatorFilter{})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	figs, period, err := u.latestFigures(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d := &listData{P: p, F: f, Period: period}
	horizons := map[int]bool{}
	for _, ind := range all {
		if ind.Horizon != 0 && !horizons[ind.Horizon] {
			horizons[ind.Horizon] = true
			d.Horizons = append(d.Horizons, ind.Horizon)
		}
		if f.keepIndicator(ind, p) {
			row := indicatorRow{Ind: ind}
			if fig, ok := figs[ind.Key]; ok {
				row.Figure = &fig
			}
			d.Inds = append(d.Inds, row)
		}
	}
	sortBy(d.Horizons, "y", map[string]func(a, b int) int{"y": cmpInt})
	d.Sort = sortBy(d.Inds, f.Sort, map[string]func(a, b indicatorRow) int{
		"code":    func(a, b indicatorRow) int { return naturalCmp(a.Ind.Code, b.Ind.Code) },
		"name":    func(a, b indicatorRow) int { return textCmp(a.Ind.Name, b.Ind.Name) },
		"horizon": func(a, b indicatorRow) int { return cmpInt(a.Ind.Horizon, b.Ind.Horizon) },
		"agency":  func(a, b indicatorRow) int { return textCmp(a.Ind.AgenciesText, b.Ind.AgenciesText) },
	})
	d.Pager = paginate(r, len(d.Inds))
	d.Inds = d.Inds[d.Pager.From:d.Pager.To]
	v.D = d
	u.render(w, r, http.StatusOK, "indicators", v)
}

type indicatorData struct {
	P        *plan
	I        *tinhso.Indicator
	Agencies []agencyView
	Measure  *tinhso.Measure
	Figures  []tinhso.Figure
	Periods  []*tinhso.Period
	Chart    *chartData
}

// chartData is what app.js draws with uPlot: periods, values and the target line.
type chartData struct {
	Labels []string   `json:"labels"`
	Values []float64  `json:"values"`
	Target *float64   `json:"target,omitempty"`
	Upper  *float64   `json:"upper,omitempty"`
	Unit   string     `json:"unit"`
	Name   string     `json:"name"`
	X      []float64  `json:"x"`
	Extra  [][]string `json:"-"`
}

// indicator shows one indicator: target as written and parsed, agencies, the measure it
// shares with other documents, the province figures over time, and its source passage.
func (u *ui) indicator(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "indicators")
	ctx := r.Context()
	id, err := idParam(r)
	if err != nil {
		u.fail(w, r, v, tinhso.Errorf(tinhso.ENOTFOUND, "%s", v.T("error.notfound")))
		return
	}
	ind, err := u.s.store.FindIndicator(ctx, id)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d := &indicatorData{P: p, I: ind, Agencies: p.agencies(ind.Agencies)}
	if ind.Measure != "" {
		if m, err := u.s.store.FindMeasure(ctx, ind.Measure); err == nil {
			d.Measure = m
		} else if tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			u.fail(w, r, v, err)
			return
		}
	}
	d.Figures, d.Periods, err = u.series(ctx, ind.Key, 24)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	if len(d.Figures) > 0 {
		c := &chartData{Unit: ind.Unit, Name: ind.Name, Target: ind.Target.Value, Upper: ind.Target.Upper}
		for i, f := range d.Figures {
			c.Labels = append(c.Labels, f.Period)
			c.Values = append(c.Values, f.Value)
			c.X = append(c.X, float64(i))
		}
		d.Chart = c
		v.Scripts = []string{"vendor/uPlot.iife.min.js", "app.js"}
	}
	v.Title = v.T("indicator.title", ind.Code, p.DocName(ind.Document))
	v.D = d
	u.render(w, r, http.StatusOK, "indicator", v)
}

// measures lists the measures several documents set targets for.
func (u *ui) measures(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "measures")
	v.Title = v.T("measures.title")
	ctx := r.Context()
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	f := readTaskQuery(r, p)
	all, err := u.allMeasures(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d := &listData{P: p, F: f}
	for _, m := range all {
		if f.Disagree && !m.Disagree {
			continue
		}
		texts := []string{m.Name, m.Unit, m.Note, m.Key}
		for _, t := range m.Targets {
			texts = append(texts, t.Name, t.Target.Text)
		}
		if f.m.match(texts...) {
			d.Measures = append(d.Measures, m)
		}
	}
	d.Sort = sortBy(d.Measures, f.Sort, map[string]func(a, b *tinhso.Measure) int{
		"name":     func(a, b *tinhso.Measure) int { return textCmp(a.Name, b.Name) },
		"disagree": func(a, b *tinhso.Measure) int { return cmpInt(boolToInt(b.Disagree), boolToInt(a.Disagree)) },
	})
	d.Pager = paginate(r, len(d.Measures))
	d.Measures = d.Measures[d.Pager.From:d.Pager.To]
	v.D = d
	u.render(w, r, http.StatusOK, "measures", v)
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

type measureData struct {
	P *plan
	M *tinhso.Measure
}

// measure shows a measure's targets side by side and how they differ.
func (u *ui) measure(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "measures")
	ctx := r.Context()
	m, err := u.s.store.FindMeasure(ctx, r.PathValue("key"))
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	v.Title = m.Name
	v.D = &measureData{P: p, M: m}
	u.render(w, r, http.StatusOK, "measure", v)
}

// problems lists the big problems.
func (u *ui) problems(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "problems")
	v.Title = v.T("problems.title")
	u.problemList(w, r, v, "problems")
}

func (u *ui) problemList(w http.ResponseWriter, r *http.Request, v *view, page string) {
	ctx := r.Context()
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	f := readTaskQuery(r, p)
	all, err := u.allProblems(ctx, tinhso.ProblemFilter{})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d := &listData{P: p, F: f, Statuses: tinhso.ProblemStatuses}
	for _, pr := range all {
		if !containsString(d.Provs, pr.Province) {
			d.Provs = append(d.Provs, pr.Province)
		}
		if f.Province != "" && pr.Province != f.Province || f.Status != "" && pr.Status != f.Status || f.Document != "" && pr.Document != f.Document {
			continue
		}
		if f.m.match(pr.Title, pr.Basis, pr.ExpectedResults, pr.Province, pr.Note) {
			d.Problems = append(d.Problems, pr)
		}
	}
	d.Sort = sortBy(d.Problems, f.Sort, map[string]func(a, b *tinhso.Problem) int{
		"title":    func(a, b *tinhso.Problem) int { return textCmp(a.Title, b.Title) },
		"province": func(a, b *tinhso.Problem) int { return textCmp(a.Province, b.Province) },
		"status":   func(a, b *tinhso.Problem) int { return strings.Compare(a.Status, b.Status) },
	})
	d.Pager = paginate(r, len(d.Problems))
	d.Problems = d.Problems[d.Pager.From:d.Pager.To]
	v.D = d
	u.render(w, r, http.StatusOK, page, v)
}

type problemData struct {
	P  *plan
	Pr *tinhso.Problem
}

// problem shows a big problem in full.
func (u *ui) problem(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "problems")
	ctx := r.Context()
	id, err := idParam(r)
	if err != nil {
		u.fail(w, r, v, tinhso.Errorf(tinhso.ENOTFOUND, "%s", v.T("error.notfound")))
		return
	}
	pr, err := u.s.store.FindProblem(ctx, id)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	v.Title = pr.Title
	v.D = &problemData{P: p, Pr: pr}
	u.render(w, r, http.StatusOK, "problem", v)
}

// orgUnits lists org units.
func (u *ui) orgUnits(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "org-units")
	v.Title = v.T("units.title")
	ctx := r.Context()
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	f := readTaskQuery(r, p)
	d := &listData{P: p, F: f, Kinds: tinhso.OrgUnitKinds}
	for _, o := range p.unitList {
		if f.Kind != "" && o.Kind != f.Kind || f.Gone && o.Exists(v.Today) {
			continue
		}
		if f.m.match(append([]string{o.Code, o.Name, o.Note}, o.Aliases...)...) {
			d.Units = append(d.Units, o)
		}
	}
	d.Sort = sortBy(d.Units, f.Sort, map[string]func(a, b *tinhso.OrgUnit) int{
		"name": func(a, b *tinhso.OrgUnit) int { return textCmp(a.Name, b.Name) },
		"kind": func(a, b *tinhso.OrgUnit) int { return strings.Compare(a.Kind, b.Kind) },
		"code": func(a, b *tinhso.OrgUnit) int { return strings.Compare(a.Code, b.Code) },
	})
	d.Pager = paginate(r, len(d.Units))
	d.Units = d.Units[d.Pager.From:d.Pager.To]
	v.D = d
	u.render(w, r, http.StatusOK, "org_units", v)
}

type orgUnitData struct {
	P           *plan
	U           *tinhso.OrgUnit
	Exists      bool
	Successions []*tinhso.Succession
	Successors  []*tinhso.OrgUnit
	Tasks       int
	Indicators  int
	Children    []*tinhso.OrgUnit
}

// orgUnit shows an org unit: its names, group, what it leads, and its successions.
func (u *ui) orgUnit(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "org-units")
	ctx := r.Context()
	o, err := u.s.store.FindOrgUnit(ctx, r.PathValue("code"))
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	succ, err := u.s.store.FindSuccessions(ctx, o.Code)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
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
	d := &orgUnitData{P: p, U: o, Exists: o.Exists(v.Today), Successions: succ}
	for _, t := range tasks {
		if agencyMatch(t.Lead, o.Code) {
			d.Tasks++
		}
	}
	for _, ind := range inds {
		if agencyMatch(ind.Agencies, o.Code) {
			d.Indicators++
		}
	}
	if !d.Exists {
		for _, c := range tinhso.CurrentSuccessors(o.Code, v.Today, succ, func(c string) bool {
			x, ok := p.units[c]
			return ok && x.Exists(v.Today)
		}) {
			if x, ok := p.units[c]; ok {
				d.Successors = append(d.Successors, x)
			}
		}
	}
	for _, x := range p.unitList {
		if x.ParentCode == o.Code {
			d.Children = append(d.Children, x)
		}
	}
	v.Title = o.Name
	v.D = d
	u.render(w, r, http.StatusOK, "org_unit", v)
}

// documents lists the documents of the plan.
func (u *ui) documents(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "documents")
	v.Title = v.T("documents.title")
	ctx := r.Context()
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d := &listData{P: p, Docs: p.docs, Counts: map[string][3]int{}}
	if err := u.countByDocument(r, d.Counts); err != nil {
		u.fail(w, r, v, err)
		return
	}
	v.D = d
	u.render(w, r, http.StatusOK, "documents", v)
}

func (u *ui) countByDocument(r *http.Request, counts map[string][3]int) error {
	ctx := r.Context()
	tasks, err := u.allTasks(ctx, tinhso.TaskFilter{})
	if err != nil {
		return err
	}
	inds, err := u.allIndicators(ctx, tinhso.IndicatorFilter{})
	if err != nil {
		return err
	}
	probs, err := u.allProblems(ctx, tinhso.ProblemFilter{})
	if err != nil {
		return err
	}
	for _, x := range inds {
		c := counts[x.Document]
		c[0]++
		counts[x.Document] = c
	}
	for _, x := range tasks {
		c := counts[x.Document]
		c[1]++
		counts[x.Document] = c
	}
	for _, x := range probs {
		c := counts[x.Document]
		c[2]++
		counts[x.Document] = c
	}
	return nil
}

type documentData struct {
	P       *plan
	Doc     *tinhso.Document
	Counts  [3]int
	Funding []fundingRow
}

// document shows a document and what the plan holds of it.
func (u *ui) document(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "documents")
	ctx := r.Context()
	doc, err := u.s.store.FindDocument(ctx, r.PathValue("slug"))
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	counts := map[string][3]int{}
	if err := u.countByDocument(r, counts); err != nil {
		u.fail(w, r, v, err)
		return
	}
	lines, err := u.s.store.FindFunding(ctx, doc.Slug)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	v.Title = doc.Title
	v.D = &documentData{P: p, Doc: doc, Counts: counts[doc.Slug], Funding: flattenFunding(tinhso.FundingTree(lines), 0)}
	u.render(w, r, http.StatusOK, "document", v)
}

// fundingRow is a funding line and its depth in the tree.
type fundingRow struct {
	L     *tinhso.FundingLine
	Level int
}

// flattenFunding lists a funding tree depth first.
func flattenFunding(roots []*tinhso.FundingLine, depth int) []fundingRow {
	var out []fundingRow
	for _, l := range roots {
		out = append(out, fundingRow{l, depth})
		out = append(out, flattenFunding(l.Children, depth+1)...)
	}
	return out
}
