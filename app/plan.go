package app

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// The read models of the pages. They load the whole plan and filter, search and sort
// it in Go: the province's plan is a few hundred records, and folding diacritics is
// something SQL collations cannot do alike on both engines. (Lists and the board
// answered by the store with filters, sort and limit are a later step.)

// Plan is the part of the plan every page works on: the documents and org units.
type Plan struct {
	docs      []*tinhso.Document
	docBySlug map[string]*tinhso.Document
	units     map[string]*tinhso.OrgUnit
	unitList  []*tinhso.OrgUnit
}

// Plan loads the documents and org units.
func (a *App) Plan(ctx context.Context) (*Plan, error) {
	p := &Plan{docBySlug: map[string]*tinhso.Document{}, units: map[string]*tinhso.OrgUnit{}}
	docs, err := all(func(pg tinhso.Page) ([]*tinhso.Document, int, error) {
		return a.store.FindDocuments(ctx, tinhso.DocumentFilter{Page: pg})
	})
	if err != nil {
		return nil, err
	}
	p.docs = docs
	for _, d := range docs {
		p.docBySlug[d.Slug] = d
	}
	units, err := all(func(pg tinhso.Page) ([]*tinhso.OrgUnit, int, error) {
		return a.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Page: pg})
	})
	if err != nil {
		return nil, err
	}
	p.unitList = units
	for _, o := range units {
		p.units[o.Code] = o
	}
	return p, nil
}

// all reads every page of a list.
func all[T any](find func(tinhso.Page) ([]T, int, error)) ([]T, error) {
	var out []T
	for off := 0; ; off += 1000 {
		items, total, err := find(tinhso.Page{Offset: off, Limit: 1000})
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if len(items) == 0 || off+len(items) >= total {
			return out, nil
		}
	}
}

// AllTasks reads every task the filter selects.
func (a *App) AllTasks(ctx context.Context, f tinhso.TaskFilter) ([]*tinhso.Task, error) {
	return all(func(pg tinhso.Page) ([]*tinhso.Task, int, error) {
		f.Page = pg
		return a.store.FindTasks(ctx, f)
	})
}

// AllIndicators reads every indicator the filter selects.
func (a *App) AllIndicators(ctx context.Context, f tinhso.IndicatorFilter) ([]*tinhso.Indicator, error) {
	return all(func(pg tinhso.Page) ([]*tinhso.Indicator, int, error) {
		f.Page = pg
		return a.store.FindIndicators(ctx, f)
	})
}

// AllProblems reads every big problem the filter selects.
func (a *App) AllProblems(ctx context.Context, f tinhso.ProblemFilter) ([]*tinhso.Problem, error) {
	return all(func(pg tinhso.Page) ([]*tinhso.Problem, int, error) {
		f.Page = pg
		return a.store.FindProblems(ctx, f)
	})
}

// AllMeasures reads every measure.
func (a *App) AllMeasures(ctx context.Context) ([]*tinhso.Measure, error) {
	return all(func(pg tinhso.Page) ([]*tinhso.Measure, int, error) {
		return a.store.FindMeasures(ctx, pg)
	})
}

// AllUsers reads every account.
func (a *App) AllUsers(ctx context.Context) ([]*tinhso.User, error) {
	return all(func(pg tinhso.Page) ([]*tinhso.User, int, error) {
		return a.store.FindUsers(ctx, tinhso.UserFilter{Page: pg})
	})
}

// Docs lists the documents.
func (p *Plan) Docs() []*tinhso.Document { return p.docs }

// Units lists the org units.
func (p *Plan) Units() []*tinhso.OrgUnit { return p.unitList }

// Doc finds a document by slug.
func (p *Plan) Doc(slug string) *tinhso.Document { return p.docBySlug[slug] }

// Unit finds an org unit by code.
func (p *Plan) Unit(code string) (*tinhso.OrgUnit, bool) {
	u, ok := p.units[code]
	return u, ok
}

// DocName names a document by its number, or its title when it has none.
func (p *Plan) DocName(slug string) string {
	d, ok := p.docBySlug[slug]
	if !ok {
		return slug
	}
	if d.Number != "" {
		return d.Number
	}
	return d.Title
}

// UnitName names an org unit by code.
func (p *Plan) UnitName(code string) string {
	if o, ok := p.units[code]; ok {
		return o.Name
	}
	return code
}

// ResolveDoc turns a document's slug, number or id into its slug; an unknown reference
// is kept, so it matches nothing rather than everything.
func (p *Plan) ResolveDoc(ref string) string {
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

// Agency is an org unit an item names, with the units carrying on its work.
type Agency struct {
	Ref        tinhso.AgencyRef
	Successors []*tinhso.OrgUnit
}

// Agencies shows the agencies an item names, each with its current successors.
func (p *Plan) Agencies(refs []tinhso.AgencyRef) []Agency {
	out := make([]Agency, 0, len(refs))
	for _, a := range refs {
		out = append(out, p.agency(a))
	}
	return out
}

func (p *Plan) agency(a tinhso.AgencyRef) Agency {
	av := Agency{Ref: a}
	for _, c := range a.Successors {
		if su, ok := p.units[c]; ok {
			av.Successors = append(av.Successors, su)
		} else {
			av.Successors = append(av.Successors, &tinhso.OrgUnit{Code: c, Name: c})
		}
	}
	return av
}

// PlanFilter is the filter of the board and the plan lists, as a page's URL gives it.
type PlanFilter struct {
	Document   string // a slug (after Resolve)
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
	// Class keeps the records of one computed status class (tinhso.TaskClasses,
	// tinhso.IndicatorClasses).
	Class string
	m     Matcher
}

// Resolve makes a filter ready to apply: its document a slug, an unknown deadline
// state none, its search words folded.
func (p *Plan) Resolve(f PlanFilter) PlanFilter {
	if !contains(engine.DeadlineStates, f.State) {
		f.State = ""
	}
	f.Document = p.ResolveDoc(strings.TrimSpace(f.Document))
	f.m = NewMatcher(f.Q)
	return f
}

// Match reports whether texts hold every word of the filter's search.
func (f PlanFilter) Match(texts ...string) bool { return f.m.Match(texts...) }

// AgencyMatch tells whether a list of agencies names code, or a unit code succeeds.
func AgencyMatch(refs []tinhso.AgencyRef, code string) bool {
	for _, a := range refs {
		if a.Code == code || contains(a.Successors, code) {
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

// KeepTask applies the filter to a task (but the deadline state, judged by the caller).
func (f PlanFilter) KeepTask(t *tinhso.Task) bool {
	if f.Document != "" && t.Document != f.Document || f.Section != "" && t.Section != f.Section {
		return false
	}
	if f.Agency != "" && !AgencyMatch(t.Lead, f.Agency) || f.Unassigned && !t.Unassigned || f.Gone && !anyGone(t.Lead) {
		return false
	}
	return f.m.Match(t.Number, t.Title, t.SectionTitle, t.LeadText, t.CooperatingText, t.Deliverable, t.DeadlineText, t.Note)
}

// KeepIndicator applies the filter to an indicator.
func (f PlanFilter) KeepIndicator(ind *tinhso.Indicator) bool {
	if f.Document != "" && ind.Document != f.Document || f.Horizon != 0 && ind.Horizon != f.Horizon {
		return false
	}
	if f.Agency != "" && !AgencyMatch(ind.Agencies, f.Agency) || f.Gone && !anyGone(ind.Agencies) {
		return false
	}
	return f.m.Match(ind.Code, ind.Name, ind.Unit, ind.TargetText, ind.AgenciesText, ind.Baseline, ind.Note)
}

// SortBy sorts a list by the key a sort parameter names; "-key" sorts descending. It
// returns the sort it applied ("" for none).
func SortBy[T any](list []T, by string, keys map[string]func(a, b T) int) string {
	desc := strings.HasPrefix(by, "-")
	name := strings.TrimPrefix(by, "-")
	cmp, ok := keys[name]
	if !ok {
		return ""
	}
	sort.SliceStable(list, func(i, j int) bool {
		c := cmp(list[i], list[j])
		if desc {
			return c > 0
		}
		return c < 0
	})
	return by
}

// SectionGroup is a document's task sections, for the section filter.
type SectionGroup struct {
	Doc      string
	Sections []string
}

// SectionsOf lists the sections of the tasks of each document (of one when doc is set).
func SectionsOf(tasks []*tinhso.Task, doc string) []SectionGroup {
	var out []SectionGroup
	seen := map[string]bool{}
	for _, t := range tasks {
		if doc != "" && t.Document != doc || t.Section == "" || seen[t.Document+"\x00"+t.Section] {
			continue
		}
		seen[t.Document+"\x00"+t.Section] = true
		if len(out) == 0 || out[len(out)-1].Doc != t.Document {
			out = append(out, SectionGroup{Doc: t.Document})
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

// TaskRow is a task with its deadline state.
type TaskRow struct {
	T     *tinhso.Task
	State string
	// Class is the task's computed status class (monitoring.go).
	Class string
}

// TaskList is the task list's read model: the tasks a filter keeps, sorted, with the
// sections to filter by.
type TaskList struct {
	Plan     *Plan
	Filter   PlanFilter
	Sections []SectionGroup
	Tasks    []TaskRow
	Sort     string
}

// Tasks reads the task list on today (yyyy-mm-dd).
func (a *App) Tasks(ctx context.Context, f PlanFilter, today string) (*TaskList, error) {
	p, err := a.Plan(ctx)
	if err != nil {
		return nil, err
	}
	f = p.Resolve(f)
	tasks, err := a.AllTasks(ctx, tinhso.TaskFilter{})
	if err != nil {
		return nil, err
	}
	progress, err := a.TaskProgress(ctx, nil)
	if err != nil {
		return nil, err
	}
	m, err := a.Monitor(ctx)
	if err != nil {
		return nil, err
	}
	dl := engine.DeadlinesOn(today)
	l := &TaskList{Plan: p, Filter: f, Sections: SectionsOf(tasks, f.Document)}
	for _, t := range tasks {
		st := dl.StateOf(t, progress[t.Key])
		class := m.Tasks[t.Key].Class
		if f.KeepTask(t) && (f.State == "" || st == f.State) && (f.Class == "" || class == f.Class) {
			l.Tasks = append(l.Tasks, TaskRow{t, st, class})
		}
	}
	l.Sort = SortBy(l.Tasks, f.Sort, map[string]func(a, b TaskRow) int{
		"number": func(a, b TaskRow) int { return NaturalCmp(a.T.Number, b.T.Number) },
		"title":  func(a, b TaskRow) int { return TextCmp(a.T.Title, b.T.Title) },
		"due": func(a, b TaskRow) int {
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
		"lead": func(a, b TaskRow) int { return TextCmp(a.T.LeadText, b.T.LeadText) },
	})
	return l, nil
}

// IndicatorRow is an indicator with the province figure of the newest period that has
// one, and its trend over the periods when asked for.
type IndicatorRow struct {
	Ind    *tinhso.Indicator
	Figure *tinhso.Figure
	Trend  []TrendPoint
	// Status is the province's computed status of the indicator (monitoring.go).
	Status *tinhso.IndicatorStatus
}

// IndicatorList is the indicator list's read model.
type IndicatorList struct {
	Plan     *Plan
	Filter   PlanFilter
	Period   *tinhso.Period
	Horizons []int
	Rows     []IndicatorRow
	Sort     string
}

// Indicators reads the indicator list with the newest figures.
func (a *App) Indicators(ctx context.Context, f PlanFilter) (*IndicatorList, error) {
	p, err := a.Plan(ctx)
	if err != nil {
		return nil, err
	}
	f = p.Resolve(f)
	inds, err := a.AllIndicators(ctx, tinhso.IndicatorFilter{})
	if err != nil {
		return nil, err
	}
	figs, period, err := a.LatestFigures(ctx)
	if err != nil {
		return nil, err
	}
	m, err := a.Monitor(ctx)
	if err != nil {
		return nil, err
	}
	l := &IndicatorList{Plan: p, Filter: f, Period: period}
	horizons := map[int]bool{}
	for _, ind := range inds {
		if ind.Horizon != 0 && !horizons[ind.Horizon] {
			horizons[ind.Horizon] = true
			l.Horizons = append(l.Horizons, ind.Horizon)
		}
		st := m.IndicatorStatus(ind.Key, "")
		if f.KeepIndicator(ind) && (f.Class == "" || st != nil && st.Class == f.Class) {
			row := IndicatorRow{Ind: ind, Status: st}
			if fig, ok := figs[ind.Key]; ok {
				row.Figure = &fig
			}
			l.Rows = append(l.Rows, row)
		}
	}
	sort.Ints(l.Horizons)
	l.Sort = SortBy(l.Rows, f.Sort, map[string]func(a, b IndicatorRow) int{
		"code":    func(a, b IndicatorRow) int { return NaturalCmp(a.Ind.Code, b.Ind.Code) },
		"name":    func(a, b IndicatorRow) int { return TextCmp(a.Ind.Name, b.Ind.Name) },
		"horizon": func(a, b IndicatorRow) int { return CmpInt(a.Ind.Horizon, b.Ind.Horizon) },
		"agency":  func(a, b IndicatorRow) int { return TextCmp(a.Ind.AgenciesText, b.Ind.AgenciesText) },
	})
	return l, nil
}

// Measures lists the measures the filter keeps (search, disagreement), sorted.
func (a *App) Measures(ctx context.Context, f PlanFilter) ([]*tinhso.Measure, string, error) {
	list, err := a.AllMeasures(ctx)
	if err != nil {
		return nil, "", err
	}
	f.m = NewMatcher(f.Q)
	var out []*tinhso.Measure
	for _, m := range list {
		if f.Disagree && !m.Disagree {
			continue
		}
		texts := []string{m.Name, m.Unit, m.Note, m.Key}
		for _, t := range m.Targets {
			texts = append(texts, t.Name, t.Target.Text)
		}
		if f.m.Match(texts...) {
			out = append(out, m)
		}
	}
	by := SortBy(out, f.Sort, map[string]func(a, b *tinhso.Measure) int{
		"name":     func(a, b *tinhso.Measure) int { return TextCmp(a.Name, b.Name) },
		"disagree": func(a, b *tinhso.Measure) int { return CmpInt(boolInt(b.Disagree), boolInt(a.Disagree)) },
	})
	return out, by, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ProblemList is the big-problem list's read model.
type ProblemList struct {
	Plan      *Plan
	Filter    PlanFilter
	Provinces []string
	Problems  []*tinhso.Problem
	Sort      string
}

// Problems reads the big problems the filter keeps (province, status, document,
// search), sorted, with every province for the filter.
func (a *App) Problems(ctx context.Context, f PlanFilter) (*ProblemList, error) {
	p, err := a.Plan(ctx)
	if err != nil {
		return nil, err
	}
	f = p.Resolve(f)
	list, err := a.AllProblems(ctx, tinhso.ProblemFilter{})
	if err != nil {
		return nil, err
	}
	l := &ProblemList{Plan: p, Filter: f}
	for _, pr := range list {
		if !contains(l.Provinces, pr.Province) {
			l.Provinces = append(l.Provinces, pr.Province)
		}
		if f.Province != "" && pr.Province != f.Province || f.Status != "" && pr.Status != f.Status || f.Document != "" && pr.Document != f.Document {
			continue
		}
		if f.m.Match(pr.Title, pr.Basis, pr.ExpectedResults, pr.Province, pr.Note) {
			l.Problems = append(l.Problems, pr)
		}
	}
	l.Sort = SortBy(l.Problems, f.Sort, map[string]func(a, b *tinhso.Problem) int{
		"title":    func(a, b *tinhso.Problem) int { return TextCmp(a.Title, b.Title) },
		"province": func(a, b *tinhso.Problem) int { return TextCmp(a.Province, b.Province) },
		"status":   func(a, b *tinhso.Problem) int { return strings.Compare(a.Status, b.Status) },
	})
	return l, nil
}

// OrgUnits lists the org units the filter keeps (kind, gone by today, search), sorted.
func (p *Plan) OrgUnits(f PlanFilter, today string) ([]*tinhso.OrgUnit, string) {
	f.m = NewMatcher(f.Q)
	var out []*tinhso.OrgUnit
	for _, o := range p.unitList {
		if f.Kind != "" && o.Kind != f.Kind || f.Gone && o.Exists(today) {
			continue
		}
		if f.m.Match(append([]string{o.Code, o.Name, o.Note}, o.Aliases...)...) {
			out = append(out, o)
		}
	}
	by := SortBy(out, f.Sort, map[string]func(a, b *tinhso.OrgUnit) int{
		"name": func(a, b *tinhso.OrgUnit) int { return TextCmp(a.Name, b.Name) },
		"kind": func(a, b *tinhso.OrgUnit) int { return strings.Compare(a.Kind, b.Kind) },
		"code": func(a, b *tinhso.OrgUnit) int { return strings.Compare(a.Code, b.Code) },
	})
	return out, by
}

// OrgUnitView is an org unit's page: its successions, successors, what it leads, its
// children.
type OrgUnitView struct {
	P           *Plan
	U           *tinhso.OrgUnit
	Exists      bool
	Successions []*tinhso.Succession
	Successors  []*tinhso.OrgUnit
	Tasks       int
	Indicators  int
	Children    []*tinhso.OrgUnit
}

// OrgUnit reads an org unit's page on today.
func (a *App) OrgUnit(ctx context.Context, code, today string) (*OrgUnitView, error) {
	o, err := a.store.FindOrgUnit(ctx, code)
	if err != nil {
		return nil, err
	}
	p, err := a.Plan(ctx)
	if err != nil {
		return nil, err
	}
	succ, err := a.store.FindSuccessions(ctx, o.Code)
	if err != nil {
		return nil, err
	}
	tasks, err := a.AllTasks(ctx, tinhso.TaskFilter{})
	if err != nil {
		return nil, err
	}
	inds, err := a.AllIndicators(ctx, tinhso.IndicatorFilter{})
	if err != nil {
		return nil, err
	}
	d := &OrgUnitView{P: p, U: o, Exists: o.Exists(today), Successions: succ}
	for _, t := range tasks {
		if AgencyMatch(t.Lead, o.Code) {
			d.Tasks++
		}
	}
	for _, ind := range inds {
		if AgencyMatch(ind.Agencies, o.Code) {
			d.Indicators++
		}
	}
	if !d.Exists {
		for _, c := range tinhso.CurrentSuccessors(o.Code, today, succ, func(c string) bool {
			x, ok := p.units[c]
			return ok && x.Exists(today)
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
	return d, nil
}

// CountByDocument counts each document's indicators, tasks and problems.
func (a *App) CountByDocument(ctx context.Context) (map[string][3]int, error) {
	tasks, err := a.AllTasks(ctx, tinhso.TaskFilter{})
	if err != nil {
		return nil, err
	}
	inds, err := a.AllIndicators(ctx, tinhso.IndicatorFilter{})
	if err != nil {
		return nil, err
	}
	probs, err := a.AllProblems(ctx, tinhso.ProblemFilter{})
	if err != nil {
		return nil, err
	}
	counts := map[string][3]int{}
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
	return counts, nil
}

// LatestFigures returns the province figures of the newest period that has any, and
// that period; nil when no figure has been approved yet.
func (a *App) LatestFigures(ctx context.Context) (map[string]tinhso.Figure, *tinhso.Period, error) {
	periods, err := a.store.FindPeriods(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	for i, p := range periods {
		if i >= 24 {
			break
		}
		figs, err := a.store.FindFigures(ctx, p.ID)
		if err != nil {
			return nil, nil, err
		}
		if len(figs) > 0 {
			out := make(map[string]tinhso.Figure, len(figs))
			for _, f := range figs {
				out[f.Indicator] = f
			}
			return out, p, nil
		}
	}
	return nil, nil, nil
}

// Series returns an indicator's province figures over the newest limit periods,
// oldest first, with their periods.
func (a *App) Series(ctx context.Context, key string, limit int) ([]tinhso.Figure, []*tinhso.Period, error) {
	periods, err := a.store.FindPeriods(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	var figs []tinhso.Figure
	var ps []*tinhso.Period
	for i := min(len(periods), limit) - 1; i >= 0; i-- {
		p := periods[i]
		fs, err := a.store.FindFigures(ctx, p.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, f := range fs {
			if f.Indicator == key {
				figs = append(figs, f)
				ps = append(ps, p)
			}
		}
	}
	return figs, ps, nil
}

// TaskProgress reads the approved progress reports of tasks (keys; none: every task's),
// by task key: what their deadline states are judged on (engine.Deadlines.StateOf).
func (a *App) TaskProgress(ctx context.Context, keys []string) (map[string][]tinhso.ProgressReport, error) {
	reports, err := a.store.ApprovedProgress(ctx, keys)
	if err != nil {
		return nil, err
	}
	out := map[string][]tinhso.ProgressReport{}
	for _, r := range reports {
		out[r.Task] = append(out[r.Task], r)
	}
	return out, nil
}

// TaskState judges one task's deadline on today with its approved progress.
func (a *App) TaskState(ctx context.Context, t *tinhso.Task, today string) (string, error) {
	progress, err := a.TaskProgress(ctx, []string{t.Key})
	if err != nil {
		return "", err
	}
	return engine.DeadlinesOn(today).StateOf(t, progress[t.Key]), nil
}
