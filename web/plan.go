package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/httpx"
)

// The plan's pages: the lists of tasks, indicators, measures, big problems, org units
// and documents, with search, filters, sort and pages, and each record's own page.

func (u *Web) planRoutes() []route {
	return []route{
		{"GET /assets/", u.serveAsset},
		{"GET /{$}", u.boardPage},
		{"GET /tasks", u.tasks},
		{"GET /tasks/{id}", u.task},
		{"GET /indicators", u.indicators},
		{"GET /indicators/{id}", u.indicator},
		{"GET /measures", u.measures},
		{"GET /measures/{key}", u.measure},
		{"GET /problems", u.problems},
		{"GET /problems/{id}", u.problem},
		{"GET /org-units", u.orgUnits},
		{"GET /org-units/{code}", u.orgUnit},
		{"GET /documents", u.documents},
		{"GET /documents/{slug}", u.document},
	}
}

// planFilter reads the filter of the board and the plan lists from the URL.
func planFilter(r *http.Request) app.PlanFilter {
	q := r.URL.Query()
	f := app.PlanFilter{Document: q.Get("document"), Section: strings.TrimSpace(q.Get("section")), Agency: strings.TrimSpace(q.Get("agency")), Q: q.Get("q"),
		Sort: q.Get("sort"), Unassigned: q.Get("unassigned") == "1" || q.Get("unassigned") == "true", State: q.Get("state"),
		Gone: q.Get("owner") == "gone", Province: q.Get("province"), Status: q.Get("status"), Kind: q.Get("kind"),
		Disagree: q.Get("disagree") == "1" || q.Get("disagree") == "true", Class: q.Get("class")}
	f.Horizon, _ = strconv.Atoi(q.Get("horizon"))
	return f
}

// listData is what the list pages show: one page of the records the filter keeps.
type listData struct {
	P        *app.Plan
	F        app.PlanFilter
	Pager    pager
	Sections []app.SectionGroup
	States   []string
	Sort     string
	Tasks    []app.TaskRow
	Inds     []app.IndicatorRow
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

// page cuts the page the request asks for out of a list.
func page[T any](r *http.Request, list []T) ([]T, pager) {
	p := paginate(r, len(list))
	return list[p.From:p.To], p
}

// listPage is the page of a list the request asks for.
func listPage(r *http.Request) app.ListPage {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	return app.ListPage{Number: n, Size: perPage}
}

// list renders a list page: fill gets the page's records from the use-cases.
func (u *Web) list(w http.ResponseWriter, r *http.Request, nav, pageName, titleKey string, fill func(v *view, d *listData) error) {
	v := u.newView(w, r, nav)
	d := &listData{}
	err := fill(v, d)
	u.show(w, r, v, pageName, v.T(titleKey), d, err)
}

// withPlan loads the plan and the URL's filter into a list page's data.
func (u *Web) withPlan(r *http.Request, d *listData) error {
	f := planFilter(r)
	p, err := u.app.PlanFor(r.Context(), f.Agency)
	if err == nil {
		d.P, d.F = p, p.Resolve(f)
	}
	return err
}

// tasks lists tasks with search, filters, sort and pages.
func (u *Web) tasks(w http.ResponseWriter, r *http.Request) {
	u.list(w, r, "tasks", "tasks", "tasks.title", func(v *view, d *listData) error {
		l, err := u.app.Tasks(r.Context(), planFilter(r), v.Today, listPage(r))
		if err == nil {
			d.P, d.F, d.States, d.Sections, d.Sort = l.Plan, l.Filter, engine.DeadlineStates, l.Sections, l.Sort
			d.Tasks, d.Pager = l.Tasks, paginate(r, l.Total)
		}
		return err
	})
}

// indicators lists indicators with their targets and latest figures.
func (u *Web) indicators(w http.ResponseWriter, r *http.Request) {
	u.list(w, r, "indicators", "indicators", "indicators.title", func(_ *view, d *listData) error {
		l, err := u.app.Indicators(r.Context(), planFilter(r), listPage(r))
		if err == nil {
			d.P, d.F, d.Period, d.Horizons, d.Sort = l.Plan, l.Filter, l.Period, l.Horizons, l.Sort
			d.Inds, d.Pager = l.Rows, paginate(r, l.Total)
		}
		return err
	})
}

// measures lists the measures several documents set targets for.
func (u *Web) measures(w http.ResponseWriter, r *http.Request) {
	u.list(w, r, "measures", "measures", "measures.title", func(_ *view, d *listData) error {
		if err := u.withPlan(r, d); err != nil {
			return err
		}
		l, err := u.app.Measures(r.Context(), d.F, listPage(r))
		if err == nil {
			d.Sort, d.Measures, d.Pager = l.Sort, l.Measures, paginate(r, l.Total)
		}
		return err
	})
}

// problems lists the big problems.
func (u *Web) problems(w http.ResponseWriter, r *http.Request) {
	u.list(w, r, "problems", "problems", "problems.title", u.problemList(r))
}

// problemList fills a list of big problems (the plan's, the portal's catalogue).
func (u *Web) problemList(r *http.Request) func(*view, *listData) error {
	return func(_ *view, d *listData) error {
		l, err := u.app.Problems(r.Context(), planFilter(r), listPage(r))
		if err == nil {
			d.P, d.F, d.Statuses, d.Provs, d.Sort = l.Plan, l.Filter, tinhso.ProblemStatuses, l.Provinces, l.Sort
			d.Problems, d.Pager = l.Problems, paginate(r, l.Total)
		}
		return err
	}
}

// orgUnits lists org units.
func (u *Web) orgUnits(w http.ResponseWriter, r *http.Request) {
	u.list(w, r, "org-units", "org_units", "units.title", func(v *view, d *listData) error {
		l, err := u.app.OrgUnits(r.Context(), planFilter(r), v.Today, listPage(r))
		if err == nil {
			d.P, d.F, d.Sort, d.Kinds = l.Plan, l.Filter, l.Sort, tinhso.OrgUnitKinds
			d.Units, d.Pager = l.Units, paginate(r, l.Total)
		}
		return err
	})
}

// documents lists the documents of the plan.
func (u *Web) documents(w http.ResponseWriter, r *http.Request) {
	u.list(w, r, "documents", "documents", "documents.title", func(v *view, d *listData) error {
		if err := u.withPlan(r, d); err != nil {
			return err
		}
		// Search by number, title (as written and as read), issuer and kind in the
		// page's language (the titles rarely say "Kế hoạch" or "Đề án"), diacritics and
		// case aside, as the other lists search.
		q := strings.TrimSpace(r.URL.Query().Get("q"))
		d.F = app.PlanFilter{Q: q}
		m := app.NewMatcher(q)
		var found []*tinhso.Document
		for _, doc := range d.P.Docs() {
			readable, _ := app.ReadableTitle(doc.Title)
			if m.Match(doc.Number, doc.Title, readable, doc.Issuer, v.T("doc."+doc.Kind)) {
				found = append(found, doc)
			}
		}
		d.Docs, d.Pager = page(r, found)
		var err error
		d.Counts, err = u.app.CountByDocument(r.Context())
		return err
	})
}

// record loads one record for its page and the plan with the org units it names
// (codes, when not nil, lists them): find gets the record, or fails with ENOTFOUND. A
// bad {id} is "not found", in the page's language.
func record[T any](u *Web, w http.ResponseWriter, r *http.Request, v *view, find func() (T, error), codes func(T) []string) (T, *app.Plan, bool) {
	var zero T
	x, err := find()
	if err == nil {
		var p *app.Plan
		var need []string
		if codes != nil {
			need = codes(x)
		}
		if p, err = u.app.PlanFor(r.Context(), need...); err == nil {
			return x, p, true
		}
	}
	if err == errBadID {
		err = tinhso.Errorf(tinhso.ENOTFOUND, "error.notfound")
	}
	u.fail(w, r, v, err)
	return zero, nil, false
}

// errBadID is a page's {id} that is no id: the record is not found.
var errBadID = errors.New("bad id")

// byID finds a record by the {id} path parameter.
func byID[T any](r *http.Request, find func(context.Context, int64) (T, error)) func() (T, error) {
	return func() (T, error) {
		id, err := httpx.IDParam(r)
		if err != nil {
			var zero T
			return zero, errBadID
		}
		return find(r.Context(), id)
	}
}

type taskData struct {
	P           *app.Plan
	T           *tinhso.Task
	State       string
	Lead        []app.Agency
	Cooperating []app.Agency
	Status      *tinhso.TaskStatus
}

// task shows one task: its text, owners as written and now, deadline as written and
// parsed, and the passage of the document it comes from.
func (u *Web) task(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "tasks")
	t, p, ok := record(u, w, r, v, byID(r, u.store.FindTask), func(t *tinhso.Task) []string { return app.RefCodes(t.Lead, t.Cooperating) })
	if !ok {
		return
	}
	state, err := u.app.TaskState(r.Context(), t, v.Today)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d := &taskData{P: p, T: t, State: state, Lead: p.Agencies(t.Lead), Cooperating: p.Agencies(t.Cooperating)}
	m, err := u.app.Monitor(r.Context())
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.Status = m.TaskStatus(t.Key)
	u.show(w, r, v, "task", v.T("task.title", t.Number, p.DocName(t.Document)), d, nil)
}

type indicatorData struct {
	P        *app.Plan
	I        *tinhso.Indicator
	Agencies []app.Agency
	Measure  *tinhso.Measure
	Figures  []tinhso.Figure
	Periods  []*tinhso.Period
	Texts    []app.TextResult // approved results in words, of the newest period with one
	// Status is the province's computed status, Forecast its chart, History the
	// figures of every source.
	Status   *tinhso.IndicatorStatus
	Forecast *forecastChart
	History  []tinhso.IndicatorFigure
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

// chartScripts are the scripts a page with a chart loads.
var chartScripts = []string{"vendor/uPlot.iife.min.js", "app.js"}

// indicator shows one indicator: target as written and parsed, agencies, the measure it
// shares with other documents, the province figures over time, and its source passage.
func (u *Web) indicator(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "indicators")
	ctx := r.Context()
	ind, p, ok := record(u, w, r, v, byID(r, u.store.FindIndicator), func(x *tinhso.Indicator) []string { return app.RefCodes(x.Agencies) })
	if !ok {
		return
	}
	d := &indicatorData{P: p, I: ind, Agencies: p.Agencies(ind.Agencies)}
	if ind.Measure != "" {
		if m, err := u.store.FindMeasure(ctx, ind.Measure); err == nil {
			d.Measure = m
		} else if tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			u.fail(w, r, v, err)
			return
		}
	}
	m, err := u.app.Monitor(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.Status, d.History = m.IndicatorStatus(ind.Key, ""), m.Figures(ind.Key, "")
	if d.Forecast = newForecastChart(v, ind, d.Status, d.History); d.Forecast != nil {
		v.Scripts = chartScripts
	}
	d.Figures, d.Periods, err = u.app.Series(ctx, ind.Key, 24)
	if err == nil {
		var texts map[string][]app.TextResult
		texts, err = u.app.LatestTexts(ctx)
		d.Texts = texts[ind.Key]
	}
	// The figures by period are drawn in the status chart above (every source on one
	// time axis, with the target and the forecast); here they are a table.
	u.show(w, r, v, "indicator", v.T("indicator.title", ind.Code, p.DocName(ind.Document)), d, err)
}

type measureData struct {
	P *app.Plan
	M *tinhso.Measure
}

// measure shows a measure's targets side by side and how they differ.
func (u *Web) measure(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "measures")
	m, p, ok := record(u, w, r, v, func() (*tinhso.Measure, error) { return u.store.FindMeasure(r.Context(), r.PathValue("key")) }, nil)
	if ok {
		u.show(w, r, v, "measure", m.Name, &measureData{P: p, M: m}, nil)
	}
}

type problemData struct {
	P  *app.Plan
	Pr *tinhso.Problem
}

// problem shows a big problem in full.
func (u *Web) problem(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "problems")
	pr, p, ok := record(u, w, r, v, byID(r, u.store.FindProblem), nil)
	if ok {
		u.show(w, r, v, "problem", pr.Title, &problemData{P: p, Pr: pr}, nil)
	}
}

// orgUnit shows an org unit: its names, group, what it leads, and its successions.
func (u *Web) orgUnit(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "org-units")
	d, err := u.app.OrgUnit(r.Context(), r.PathValue("code"), v.Today)
	title := ""
	if err == nil {
		title = d.U.Name
	}
	u.show(w, r, v, "org_unit", title, d, err)
}

type documentData struct {
	P       *app.Plan
	Doc     *tinhso.Document
	Counts  [3]int
	Funding []fundingRow
}

// document shows a document and what the plan holds of it.
func (u *Web) document(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "documents")
	ctx := r.Context()
	doc, p, ok := record(u, w, r, v, func() (*tinhso.Document, error) { return u.store.FindDocument(ctx, r.PathValue("slug")) }, nil)
	if !ok {
		return
	}
	counts, err := u.app.CountByDocument(ctx)
	var lines []*tinhso.FundingLine
	if err == nil {
		lines, err = u.store.FindFunding(ctx, doc.Slug)
	}
	u.show(w, r, v, "document", v.DocTitle(doc).Text, &documentData{P: p, Doc: doc, Counts: counts[doc.Slug], Funding: flattenFunding(tinhso.FundingTree(lines), 0)}, err)
}

// docTitle is a document's title as a page shows it: Text to read, and Source, the
// title as the document writes it when that differs (in capitals).
type docTitle struct{ Text, Source string }

// DocTitle is a document's title to read: a title the source writes in capitals as a
// sentence, with the source's form kept in Source.
func (v *view) DocTitle(d *tinhso.Document) docTitle {
	if t, changed := app.ReadableTitle(d.Title); changed {
		return docTitle{Text: t, Source: d.Title}
	}
	return docTitle{Text: d.Title}
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
