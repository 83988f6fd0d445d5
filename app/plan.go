package app

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// The read models of the pages. Lists ask the store for one page of what a filter
// keeps, sorted and counted by the database (the search and sort keys folded in Go when
// a record is written, so both engines agree), and the names on a page come from the
// documents and the org units the page shows, so a page costs what it shows rather
// than what the plan holds.

// Plan is the part of the plan every page works on: the documents, and the org units
// the page names (every unit when there are few enough to choose from in a list).
type Plan struct {
	docs      []*tinhso.Document
	docBySlug map[string]*tinhso.Document
	units     map[string]*tinhso.OrgUnit
	unitList  []*tinhso.OrgUnit
	many      bool // more units than PlanUnits: unitList holds only those loaded
	store     tinhso.Store
}

// PlanUnits is how many org units a page's agency filter lists for choosing; with
// more, it asks for a unit's code instead.
const PlanUnits = 400

// Plan loads the documents and every org unit (for the pages that choose among all,
// such as the accounts').
func (a *App) Plan(ctx context.Context) (*Plan, error) {
	p, err := a.plan(ctx, true)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// PlanFor loads the documents, and the org units of codes with their successors: every
// unit when there are no more than PlanUnits.
func (a *App) PlanFor(ctx context.Context, codes ...string) (*Plan, error) {
	p, err := a.plan(ctx, false)
	if err != nil {
		return nil, err
	}
	return p, p.Need(ctx, codes...)
}

// Need loads the org units of codes the plan has not loaded yet, in one query.
func (p *Plan) Need(ctx context.Context, codes ...string) error {
	if !p.many {
		return nil
	}
	var missing []string
	seen := map[string]bool{}
	for _, c := range codes {
		if _, ok := p.units[c]; !ok && c != "" && !seen[c] {
			seen[c] = true
			missing = append(missing, c)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	list, _, err := p.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Codes: missing, Page: tinhso.Page{Limit: len(missing)}})
	if err != nil {
		return err
	}
	for _, o := range list {
		p.units[o.Code] = o
		p.unitList = append(p.unitList, o)
	}
	return nil
}

// NeedRefs loads the org units named by agency references and their successors.
func (p *Plan) NeedRefs(ctx context.Context, refs ...[]tinhso.AgencyRef) error {
	return p.Need(ctx, RefCodes(refs...)...)
}

// RefCodes lists the codes of agency references and of their successors.
func RefCodes(refs ...[]tinhso.AgencyRef) []string {
	var out []string
	for _, list := range refs {
		for _, a := range list {
			out = append(out, a.Code)
			out = append(out, a.Successors...)
		}
	}
	return out
}

// PlanDocs is how many documents a page's document filter lists for choosing; with
// more, it asks for a document's number or slug instead.
const PlanDocs = 100

// ManyDocs tells whether there are too many documents to list for choosing.
func (p *Plan) ManyDocs() bool { return len(p.docs) > PlanDocs }

// ManyUnits tells whether there are too many org units to list for choosing.
func (p *Plan) ManyUnits() bool { return p.many || len(p.unitList) > PlanUnits }

func (a *App) plan(ctx context.Context, allUnits bool) (*Plan, error) {
	p := &Plan{docBySlug: map[string]*tinhso.Document{}, units: map[string]*tinhso.OrgUnit{}, store: a.store}
	// The documents and units are kept until the data changes (readcache.go); each
	// plan has its own maps, and its own slices once Need adds to them (Clip).
	docs, err := cachedRead(ctx, a, "plan-docs", func() ([]*tinhso.Document, error) {
		return all(func(pg tinhso.Page) ([]*tinhso.Document, int, error) {
			return a.store.FindDocuments(ctx, tinhso.DocumentFilter{Page: pg})
		})
	})
	if err != nil {
		return nil, err
	}
	p.docs = slices.Clip(docs)
	for _, d := range docs {
		p.docBySlug[d.Slug] = d
	}
	type someUnits struct {
		list []*tinhso.OrgUnit
		many bool
	}
	key := "plan-units-few"
	if allUnits {
		key = "plan-units-all"
	}
	us, err := cachedRead(ctx, a, key, func() (someUnits, error) {
		if allUnits {
			list, err := all(func(pg tinhso.Page) ([]*tinhso.OrgUnit, int, error) {
				return a.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Page: pg})
			})
			return someUnits{list: list}, err
		}
		if _, total, err := a.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Page: tinhso.Page{Limit: 1}}); err != nil || total > PlanUnits {
			return someUnits{many: true}, err
		}
		list, _, err := a.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Page: tinhso.Page{Limit: PlanUnits}})
		return someUnits{list: list}, err
	})
	if err != nil {
		return nil, err
	}
	p.many, p.unitList = us.many, slices.Clip(us.list)
	for _, o := range us.list {
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

// SectionGroups is the most documents whose sections the section filter groups; with
// more, it lists every section once.
const SectionGroups = 12

// sectionsOf groups the sections of tasks by document, each in order.
func sectionsOf(list []tinhso.TaskSection) []SectionGroup {
	var out []SectionGroup
	for _, x := range list {
		if len(out) == 0 || out[len(out)-1].Doc != x.Document {
			out = append(out, SectionGroup{Doc: x.Document})
		}
		g := &out[len(out)-1]
		g.Sections = append(g.Sections, x.Section)
	}
	if len(out) > SectionGroups {
		all := SectionGroup{}
		seen := map[string]bool{}
		for _, g := range out {
			for _, s := range g.Sections {
				if !seen[s] {
					seen[s] = true
					all.Sections = append(all.Sections, s)
				}
			}
		}
		out = []SectionGroup{all}
	}
	for _, g := range out {
		sort.SliceStable(g.Sections, func(i, j int) bool { return sectionKey(g.Sections[i]) < sectionKey(g.Sections[j]) })
	}
	return out
}

// Sections lists the sections of the tasks of a document (of every document when "").
func (a *App) Sections(ctx context.Context, doc string) ([]SectionGroup, error) {
	// Kept until the data changes (readcache.go); callers only read them.
	return cachedRead(ctx, a, "sections\x00"+doc, func() ([]SectionGroup, error) {
		list, err := a.store.TaskSections(ctx, doc)
		if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
			return nil, nil
		}
		return sectionsOf(list), err
	})
}

// ListPage asks for a page of a list: Number from 1, Size rows (PageSize when 0).
type ListPage struct{ Number, Size int }

// PageSize is the rows of a page of a list.
const PageSize = 50

// pageOf reads the page pg asks for, or the last one when it asks beyond; it returns
// the rows, the total and the page read.
func pageOf[T any](pg ListPage, find func(tinhso.Page) ([]T, int, error)) ([]T, int, int, error) {
	size := pg.Size
	if size <= 0 {
		size = PageSize
	}
	n := max(pg.Number, 1)
	items, total, err := find(tinhso.Page{Offset: (n - 1) * size, Limit: size})
	if err == nil && len(items) == 0 && total > 0 && n > 1 {
		n = (total + size - 1) / size
		items, total, err = find(tinhso.Page{Offset: (n - 1) * size, Limit: size})
	}
	return items, total, n, err
}

// known reports whether by sorts by one of keys ("-key" too); the sort applied, or "".
func known(by string, keys ...string) string {
	if contains(keys, strings.TrimPrefix(by, "-")) {
		return by
	}
	return ""
}

// taskFilter is the store's filter of the tasks a page's filter keeps.
func (f PlanFilter) taskFilter() tinhso.TaskFilter {
	tf := tinhso.TaskFilter{Document: f.Document, Section: f.Section,
		ReadFilter: tinhso.ReadFilter{Q: f.Q, AgencyOf: f.Agency, Gone: f.Gone, Sort: known(f.Sort, "number", "title", "due", "lead")}}
	if f.Unassigned {
		yes := true
		tf.Unassigned = &yes
	}
	return tf
}

// indicatorFilter is the store's filter of the indicators a page's filter keeps.
func (f PlanFilter) indicatorFilter() tinhso.IndicatorFilter {
	return tinhso.IndicatorFilter{Document: f.Document, Horizon: f.Horizon,
		ReadFilter: tinhso.ReadFilter{Q: f.Q, AgencyOf: f.Agency, Gone: f.Gone, Sort: known(f.Sort, "code", "name", "horizon", "agency")}}
}

// unknownDoc tells whether the filter names a document that is not in the plan: it
// keeps nothing.
func (p *Plan) unknownDoc(f PlanFilter) bool {
	return f.Document != "" && p.docBySlug[f.Document] == nil
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

// TaskList is the task list's read model: one page of the tasks a filter keeps,
// sorted, with the sections to filter by.
type TaskList struct {
	Plan     *Plan
	Filter   PlanFilter
	Sections []SectionGroup
	Tasks    []TaskRow
	Sort     string
	Total    int
	Page     int
}

// Tasks reads a page of the task list on today (yyyy-mm-dd).
func (a *App) Tasks(ctx context.Context, f PlanFilter, today string, pg ListPage) (*TaskList, error) {
	p, err := a.PlanFor(ctx, f.Agency)
	if err != nil {
		return nil, err
	}
	f = p.Resolve(f)
	l := &TaskList{Plan: p, Filter: f, Page: 1}
	if l.Sections, err = a.Sections(ctx, f.Document); err != nil {
		return nil, err
	}
	if p.unknownDoc(f) {
		return l, nil
	}
	dl := engine.DeadlinesOn(today)
	fin, err := a.finishedTasks(ctx, dl)
	if err != nil {
		return nil, err
	}
	tf := fin.selectState(dl, f.taskFilter(), f.State)
	m, err := a.Monitor(ctx)
	if err != nil {
		return nil, err
	}
	if f.Class != "" {
		tf.Keys = classKeys(tf.Keys, func(yield func(string, string) bool) {
			for k, st := range m.Tasks {
				if !yield(k, st.Class) {
					return
				}
			}
		}, f.Class)
	}
	l.Sort = tf.Sort
	tasks, total, n, err := pageOf(pg, func(pg tinhso.Page) ([]*tinhso.Task, int, error) {
		tf.Page = pg
		return a.store.FindTasks(ctx, tf)
	})
	if err != nil {
		return nil, err
	}
	l.Total, l.Page = total, n
	for _, t := range tasks {
		st := dl.State(t)
		if x, ok := fin.state[t.Key]; ok {
			st = x
		}
		l.Tasks = append(l.Tasks, TaskRow{t, st, m.Tasks[t.Key].Class})
	}
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
	// Texts are the approved results in words of a qualitative indicator ("Đạt mức
	// khá"), shown where a figure would be.
	Texts []TextResult
}

// TextResult is an approved result in words: what a unit reported of a qualitative
// indicator in a period.
type TextResult struct {
	Text, Unit, UnitName, Period string
}

// LatestTexts reads the approved results in words of every indicator, each from the
// newest period that has one, by indicator key.
func (a *App) LatestTexts(ctx context.Context) (map[string][]TextResult, error) {
	// Kept until the data changes (readcache.go); callers only read them.
	return cachedRead(ctx, a, "latest-texts", func() (map[string][]TextResult, error) { return a.latestTexts(ctx) })
}

func (a *App) latestTexts(ctx context.Context) (map[string][]TextResult, error) {
	vals, err := a.store.TextValues(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]TextResult{}
	newest := map[string]string{} // indicator → the newest period's end with a text
	for _, v := range vals {
		switch cur := newest[v.Indicator]; {
		case v.PeriodEnd > cur:
			newest[v.Indicator], out[v.Indicator] = v.PeriodEnd, nil
			fallthrough
		case v.PeriodEnd == cur:
			out[v.Indicator] = append(out[v.Indicator], TextResult{Text: v.Text, Unit: v.OrgUnit, UnitName: v.UnitName, Period: v.Period})
		}
	}
	for _, ts := range out {
		sort.SliceStable(ts, func(i, j int) bool {
			if c := TextCmp(ts[i].UnitName, ts[j].UnitName); c != 0 {
				return c < 0
			}
			return ts[i].Unit < ts[j].Unit
		})
	}
	return out, nil
}

// IndicatorList is the indicator list's read model: one page of the indicators a
// filter keeps, sorted, with their newest figures.
type IndicatorList struct {
	Plan     *Plan
	Filter   PlanFilter
	Period   *tinhso.Period
	Horizons []int
	Rows     []IndicatorRow
	Sort     string
	Total    int
	Page     int
}

// Indicators reads a page of the indicator list with the newest figures.
func (a *App) Indicators(ctx context.Context, f PlanFilter, pg ListPage) (*IndicatorList, error) {
	p, err := a.PlanFor(ctx, f.Agency)
	if err != nil {
		return nil, err
	}
	f = p.Resolve(f)
	l := &IndicatorList{Plan: p, Filter: f, Page: 1}
	if l.Horizons, err = a.store.IndicatorHorizons(ctx); err != nil {
		return nil, err
	}
	if p.unknownDoc(f) {
		return l, nil
	}
	inf := f.indicatorFilter()
	m, err := a.Monitor(ctx)
	if err != nil {
		return nil, err
	}
	if f.Class != "" {
		inf.Keys = classKeys(inf.Keys, func(yield func(string, string) bool) {
			for k, st := range m.Indicators {
				if k.OrgUnit == "" && !yield(k.Indicator, st.Class) {
					return
				}
			}
		}, f.Class)
	}
	l.Sort = inf.Sort
	inds, total, n, err := pageOf(pg, func(pg tinhso.Page) ([]*tinhso.Indicator, int, error) {
		inf.Page = pg
		return a.store.FindIndicators(ctx, inf)
	})
	if err != nil {
		return nil, err
	}
	l.Total, l.Page = total, n
	figs, period, err := a.LatestFigures(ctx)
	if err != nil {
		return nil, err
	}
	l.Period = period
	texts, err := a.LatestTexts(ctx)
	if err != nil {
		return nil, err
	}
	for _, ind := range inds {
		row := IndicatorRow{Ind: ind, Texts: texts[ind.Key], Status: m.IndicatorStatus(ind.Key, "")}
		if fig, ok := figs[ind.Key]; ok {
			row.Figure = &fig
		}
		l.Rows = append(l.Rows, row)
	}
	return l, nil
}

// MeasureList is a page of the measures a filter keeps.
type MeasureList struct {
	Measures []*tinhso.Measure
	Sort     string
	Total    int
}

// Measures reads a page of the measures the filter keeps (search, disagreement),
// sorted: a page from the store when nothing narrows or sorts the list.
func (a *App) Measures(ctx context.Context, f PlanFilter, pg ListPage) (*MeasureList, error) {
	l := &MeasureList{}
	if strings.TrimSpace(f.Q) == "" && !f.Disagree && known(f.Sort, "name", "disagree") == "" {
		var err error
		l.Measures, l.Total, _, err = pageOf(pg, func(pg tinhso.Page) ([]*tinhso.Measure, int, error) {
			return a.store.FindMeasures(ctx, pg)
		})
		return l, err
	}
	if strings.TrimSpace(f.Q) == "" && f.Disagree && known(f.Sort, "name", "disagree") == "" {
		var err error
		l.Measures, l.Total, _, err = pageOf(pg, func(pg tinhso.Page) ([]*tinhso.Measure, int, error) {
			return a.store.FindDisagreeingMeasures(ctx, pg)
		})
		return l, err
	}
	list, err := a.AllMeasures(ctx)
	if err != nil {
		return nil, err
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
	l.Sort = SortBy(out, f.Sort, map[string]func(a, b *tinhso.Measure) int{
		"name":     func(a, b *tinhso.Measure) int { return TextCmp(a.Name, b.Name) },
		"disagree": func(a, b *tinhso.Measure) int { return CmpInt(boolInt(b.Disagree), boolInt(a.Disagree)) },
	})
	l.Total, l.Measures = len(out), cut(out, pg)
	return l, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ProblemList is the big-problem list's read model: a page of the problems a filter
// keeps, with every province for the filter.
type ProblemList struct {
	Plan      *Plan
	Filter    PlanFilter
	Provinces []string
	Problems  []*tinhso.Problem
	Sort      string
	Total     int
}

// Problems reads a page of the big problems the filter keeps (province, status,
// document, search), sorted: a page from the store unless searched or sorted.
func (a *App) Problems(ctx context.Context, f PlanFilter, pg ListPage) (*ProblemList, error) {
	p, err := a.PlanFor(ctx)
	if err != nil {
		return nil, err
	}
	f = p.Resolve(f)
	l := &ProblemList{Plan: p, Filter: f, Sort: known(f.Sort, "title", "province", "status")}
	tally, err := a.store.TallyProblems(ctx)
	if err != nil {
		return nil, err
	}
	for _, x := range tally {
		if !contains(l.Provinces, x.Province) {
			l.Provinces = append(l.Provinces, x.Province)
		}
	}
	if p.unknownDoc(f) {
		return l, nil
	}
	pf := tinhso.ProblemFilter{Province: f.Province, Status: f.Status, Document: f.Document}
	if strings.TrimSpace(f.Q) == "" && l.Sort == "" {
		l.Problems, l.Total, _, err = pageOf(pg, func(pg tinhso.Page) ([]*tinhso.Problem, int, error) {
			pf.Page = pg
			return a.store.FindProblems(ctx, pf)
		})
		return l, err
	}
	list, err := a.AllProblems(ctx, pf)
	if err != nil {
		return nil, err
	}
	var kept []*tinhso.Problem
	for _, pr := range list {
		if f.m.Match(pr.Title, pr.Basis, pr.ExpectedResults, pr.Province, pr.Note) {
			kept = append(kept, pr)
		}
	}
	l.Sort = SortBy(kept, f.Sort, map[string]func(a, b *tinhso.Problem) int{
		"title":    func(a, b *tinhso.Problem) int { return TextCmp(a.Title, b.Title) },
		"province": func(a, b *tinhso.Problem) int { return TextCmp(a.Province, b.Province) },
		"status":   func(a, b *tinhso.Problem) int { return strings.Compare(a.Status, b.Status) },
	})
	l.Total, l.Problems = len(kept), cut(kept, pg)
	return l, nil
}

// OrgUnitList is a page of the org units a filter keeps.
type OrgUnitList struct {
	Plan   *Plan
	Filter PlanFilter
	Units  []*tinhso.OrgUnit
	Sort   string
	Total  int
}

// OrgUnits reads a page of the org units the filter keeps (kind, gone by today,
// search), sorted: by code from the store, a page at a time; searched or sorted
// otherwise, over the units of the kind.
func (a *App) OrgUnits(ctx context.Context, f PlanFilter, today string, pg ListPage) (*OrgUnitList, error) {
	p, err := a.PlanFor(ctx, f.Agency)
	if err != nil {
		return nil, err
	}
	f = p.Resolve(f)
	l := &OrgUnitList{Plan: p, Filter: f, Sort: known(f.Sort, "name", "kind", "code")}
	if strings.TrimSpace(f.Q) == "" && !f.Gone && (l.Sort == "" || l.Sort == "code") {
		l.Units, l.Total, _, err = pageOf(pg, func(pg tinhso.Page) ([]*tinhso.OrgUnit, int, error) {
			return a.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Kind: f.Kind, Page: pg})
		})
		return l, err
	}
	list, err := all(func(pg tinhso.Page) ([]*tinhso.OrgUnit, int, error) {
		return a.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Kind: f.Kind, Page: pg})
	})
	if err != nil {
		return nil, err
	}
	kept, _ := filterUnits(list, f, today)
	l.Total = len(kept)
	l.Units = cut(kept, pg)
	return l, nil
}

// cut is the page pg of a list (the last when it asks beyond).
func cut[T any](list []T, pg ListPage) []T {
	out, _, _, _ := pageOf(pg, func(p tinhso.Page) ([]T, int, error) {
		from := min(p.Offset, len(list))
		return list[from:min(from+p.Limit, len(list))], len(list), nil
	})
	return out
}

// filterUnits keeps the org units of a filter (kind, gone by today, search), sorted.
func filterUnits(units []*tinhso.OrgUnit, f PlanFilter, today string) ([]*tinhso.OrgUnit, string) {
	f.m = NewMatcher(f.Q)
	var out []*tinhso.OrgUnit
	for _, o := range units {
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
	succ, err := a.store.FindSuccessions(ctx, o.Code)
	if err != nil {
		return nil, err
	}
	codes := []string{o.Code}
	for _, sc := range succ {
		codes = append(append(codes, sc.From...), sc.To...)
	}
	p, err := a.PlanFor(ctx, codes...)
	if err != nil {
		return nil, err
	}
	d := &OrgUnitView{P: p, U: o, Exists: o.Exists(today), Successions: succ}
	if _, d.Tasks, err = a.store.FindTasks(ctx, tinhso.TaskFilter{ReadFilter: tinhso.ReadFilter{AgencyOf: o.Code}, Page: tinhso.Page{Limit: 1}}); err != nil {
		return nil, err
	}
	if _, d.Indicators, err = a.store.FindIndicators(ctx, tinhso.IndicatorFilter{ReadFilter: tinhso.ReadFilter{AgencyOf: o.Code}, Page: tinhso.Page{Limit: 1}}); err != nil {
		return nil, err
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
	children, err := all(func(pg tinhso.Page) ([]*tinhso.OrgUnit, int, error) {
		return a.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Parent: o.Code, Page: pg})
	})
	if err != nil {
		return nil, err
	}
	// In the plan's order (by code), as the full list gave them.
	d.Children = children
	return d, nil
}

// CountByDocument counts each document's indicators, tasks and problems.
func (a *App) CountByDocument(ctx context.Context) (map[string][3]int, error) {
	// Kept until the data changes (readcache.go); callers only read them.
	return cachedRead(ctx, a, "count-by-document", func() (map[string][3]int, error) { return a.countByDocument(ctx) })
}

func (a *App) countByDocument(ctx context.Context) (map[string][3]int, error) {
	counts, err := a.store.CountByDocument(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string][3]int, len(counts))
	for slug, c := range counts {
		out[slug] = [3]int{c.Indicators, c.Tasks, c.Problems}
	}
	return out, nil
}

// LatestFigures returns the province figures of the newest period that has any, and
// that period; nil when no figure has been approved yet. (Of the newest
// BoardTrendPeriods periods, in one query.)
func (a *App) LatestFigures(ctx context.Context) (map[string]tinhso.Figure, *tinhso.Period, error) {
	// Kept until the data changes (readcache.go); callers only read them.
	type latest struct {
		figs map[string]tinhso.Figure
		p    *tinhso.Period
	}
	l, err := cachedRead(ctx, a, "latest-figures", func() (latest, error) {
		figs, p, err := a.latestFigures(ctx)
		return latest{figs, p}, err
	})
	return l.figs, l.p, err
}

func (a *App) latestFigures(ctx context.Context) (map[string]tinhso.Figure, *tinhso.Period, error) {
	periods, err := a.store.FindPeriods(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	periods = periods[:min(len(periods), BoardTrendPeriods)]
	byPeriod, err := a.store.FindFiguresOf(ctx, periodIDs(periods), nil)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range periods {
		if figs := byPeriod[p.ID]; len(figs) > 0 {
			out := make(map[string]tinhso.Figure, len(figs))
			for _, f := range figs {
				out[f.Indicator] = f
			}
			return out, p, nil
		}
	}
	return nil, nil, nil
}

func periodIDs(ps []*tinhso.Period) []int64 {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

// Series returns an indicator's province figures over the newest limit periods,
// oldest first, with their periods.
func (a *App) Series(ctx context.Context, key string, limit int) ([]tinhso.Figure, []*tinhso.Period, error) {
	periods, err := a.store.FindPeriods(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	periods = periods[:min(len(periods), limit)]
	byPeriod, err := a.store.FindFiguresOf(ctx, periodIDs(periods), []string{key})
	if err != nil {
		return nil, nil, err
	}
	var figs []tinhso.Figure
	var ps []*tinhso.Period
	for i := len(periods) - 1; i >= 0; i-- {
		for _, f := range byPeriod[periods[i].ID] {
			figs = append(figs, f)
			ps = append(ps, periods[i])
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

// finished are the tasks their approved progress says are finished: the state each
// is in (done, done late), and the state its due date alone would give.
type finished struct {
	state, base map[string]string
	keys        []string
}

// finishedTasks judges the tasks that have approved progress reports (few of all, and
// the only ones whose state their due date alone does not give).
func (a *App) finishedTasks(ctx context.Context, dl engine.Deadlines) (*finished, error) {
	fin := &finished{state: map[string]string{}, base: map[string]string{}}
	progress, err := a.TaskProgress(ctx, nil)
	if err != nil || len(progress) == 0 {
		return fin, err
	}
	keys := make([]string, 0, len(progress))
	for k := range progress {
		keys = append(keys, k)
	}
	tasks, err := a.AllTasks(ctx, tinhso.TaskFilter{Keys: keys})
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if st := dl.StateOf(t, progress[t.Key]); st == engine.DeadlineDone || st == engine.DeadlineDoneLate {
			fin.state[t.Key], fin.base[t.Key] = st, dl.State(t)
			fin.keys = append(fin.keys, t.Key)
		}
	}
	sort.Strings(fin.keys)
	return fin, nil
}

// selectState narrows a task filter to the tasks in a deadline state: the finished by
// key, the others by their due dates, less the finished.
func (fin *finished) selectState(dl engine.Deadlines, tf tinhso.TaskFilter, state string) tinhso.TaskFilter {
	switch state {
	case "":
		return tf
	case engine.DeadlineDone, engine.DeadlineDoneLate:
		tf.Keys = []string{}
		for _, k := range fin.keys {
			if fin.state[k] == state {
				tf.Keys = append(tf.Keys, k)
			}
		}
		return tf
	}
	tf = dl.Select(tf, state)
	tf.ExceptKeys = fin.keys
	return tf
}

// classKeys is the keys of a computed class, within keep when it selects (non-nil):
// a list filtered by class is filtered by its keys in the store, before its pages.
func classKeys(keep []string, all func(yield func(key, class string) bool), class string) []string {
	in := map[string]bool{}
	for _, k := range keep {
		in[k] = true
	}
	out := []string{}
	for k, c := range all {
		if c == class && (keep == nil || in[k]) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
