package api

import (
	"context"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// Monitoring I in the API: task and indicator records carry their computed status
// (class, flags, reasons; tasks their periods, indicators the forecast), the one figure
// path answers GET /api/v1/figures, histories are imported with POST /api/v1/history,
// and reference values and reviews of qualitative indicators are entered.

// historyMaxBytes bounds a history upload.
const historyMaxBytes = 32 << 20

type referenceInput struct {
	Year   int     `json:"year"`
	Value  float64 `json:"value"`
	Source string  `json:"source"`
}

type reviewInput struct {
	Class   string `json:"class"`
	Reason  string `json:"reason"`
	OrgUnit string `json:"org_unit"`
}

func (a *API) monitoringRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/history", Action: tinhso.ActWritePlan,
			Summary: "Import history figures: CSV (text/csv; columns document,code,date,value,source; \",\" with decimal points or \";\" with decimal commas) or the same columns in .xlsx; all rows or none, errors name row and column; ?synthetic=true marks them as synthetic",
			Query:   []httpx.Param{{Name: "synthetic", Type: "boolean", Desc: "true: the figures are synthetic (a demo), and pages say so"}},
			Body:    "text/csv", Resp: app.HistoryImport{}, Status: 201, Handler: a.importHistory},
		{Method: "GET", Path: "/api/v1/figures", Summary: "Figures of indicators from every source (report, history, series, connector, computed), by indicator, unit and date", List: true,
			Resp: tinhso.IndicatorFigure{},
			Query: []httpx.Param{{Name: "indicator", Type: "string", Desc: "indicator keys, separated by commas"}, {Name: "source", Type: "string", Desc: "report, history, series, connector or computed"},
				{Name: "province", Type: "boolean", Desc: "true: only the province's figures"}},
			Handler: a.listFigures},
		{Method: "PUT", Path: "/api/v1/indicators/{id}/references", Action: tinhso.ActWritePlan,
			Summary: "Enter the reference value of a reference target for a year, with its source", Body: referenceInput{}, Resp: tinhso.ReferenceValue{}, Handler: a.putReference},
		{Method: "POST", Path: "/api/v1/indicators/{id}/reviews", Action: tinhso.ActReview,
			Summary: "Judge a qualitative indicator: its class (achieved, on_track, at_risk, off_track, missed) and why", Body: reviewInput{}, Resp: tinhso.IndicatorReview{}, Status: 201, Handler: a.addReview},
	}
}

// taskStatus fills in a task's status.
func (a *API) taskStatus(ctx context.Context, t *tinhso.Task) {
	if m, err := a.app.Monitor(ctx); err == nil {
		t.Status = m.TaskStatus(t.Key)
	}
}

func (a *API) taskStatuses(ctx context.Context, list []*tinhso.Task) error {
	m, err := a.app.Monitor(ctx)
	if err != nil {
		return err
	}
	for _, t := range list {
		t.Status = m.TaskStatus(t.Key)
	}
	return nil
}

func (a *API) indicatorStatus(ctx context.Context, ind *tinhso.Indicator) {
	if m, err := a.app.Monitor(ctx); err == nil {
		ind.Status = m.IndicatorStatus(ind.Key, "")
	}
}

func (a *API) indicatorStatuses(ctx context.Context, list []*tinhso.Indicator) error {
	m, err := a.app.Monitor(ctx)
	if err != nil {
		return err
	}
	for _, ind := range list {
		ind.Status = m.IndicatorStatus(ind.Key, "")
	}
	return nil
}

func (a *API) importHistory(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	syn := q.Bool("synthetic")
	if err := q.Done(); failed(w, r, err) {
		return
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case ct == "text/csv", ct == "text/plain", strings.Contains(ct, "spreadsheetml"):
	default:
		httpx.Error(w, r, tinhso.Invalid("file", "err.history.media_type", ct))
		return
	}
	if r.ContentLength > historyMaxBytes {
		httpx.Error(w, r, tinhso.Errorf(tinhso.ETOOLARGE, "err.history.too_large", historyMaxBytes>>20))
		return
	}
	body := http.MaxBytesReader(w, r.Body, historyMaxBytes)
	out, err := a.app.ImportHistory(a.actor(r), body, app.HistoryFormatOf(ct), syn != nil && *syn)
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, out)
}

func (a *API) listFigures(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	src := q.Str("source")
	prov := q.Bool("province")
	page := q.Page()
	f := tinhso.FigureFilter{Province: prov != nil && *prov}
	if keys := q.Str("indicator"); keys != "" {
		f.Indicators = strings.Split(keys, ",")
	}
	if src != "" {
		if !slices.Contains(tinhso.FigureSources, src) {
			failed(w, r, tinhso.Invalid("source", "err.figures.source", src, strings.Join(tinhso.FigureSources, ", ")))
			return
		}
		f.Sources = []string{src}
	}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	figs, err := a.store.IndicatorFigures(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	total := len(figs)
	lim := page.Limit
	if lim <= 0 {
		lim = 50
	}
	lo := min(page.Offset, total)
	hi := min(lo+lim, total)
	httpx.WriteList(w, figs[lo:hi], total, page)
}

func (a *API) putReference(w http.ResponseWriter, r *http.Request) {
	ind, err := indicators{a}.find(r.Context(), r.PathValue("id"))
	if failed(w, r, err) {
		return
	}
	if ind.Target.Kind != tinhso.TargetReference {
		failed(w, r, tinhso.Invalid("indicator", "err.reference.not_reference", ind.Code))
		return
	}
	var in referenceInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	switch {
	case in.Year < 2000 || in.Year > 2100:
		failed(w, r, tinhso.Invalid("year", "err.period.year"))
		return
	case strings.TrimSpace(in.Source) == "":
		failed(w, r, tinhso.Invalid("source", "err.text.required", tinhso.Field("source")))
		return
	}
	rv := &tinhso.ReferenceValue{Indicator: ind.Key, Year: in.Year, Value: in.Value, Source: strings.TrimSpace(in.Source)}
	if err := a.store.PutReferenceValue(a.actor(r), rv); failed(w, r, err) {
		return
	}
	a.app.Invalidate()
	httpx.WriteJSON(w, http.StatusOK, rv)
}

func (a *API) addReview(w http.ResponseWriter, r *http.Request) {
	ind, err := indicators{a}.find(r.Context(), r.PathValue("id"))
	if failed(w, r, err) {
		return
	}
	if ind.Target.Kind != tinhso.TargetQualitative {
		failed(w, r, tinhso.Invalid("indicator", "err.review.not_qualitative", ind.Code))
		return
	}
	var in reviewInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	switch {
	case !slices.Contains(tinhso.ReviewClasses, in.Class):
		failed(w, r, tinhso.Invalid("class", "err.review.class", in.Class, strings.Join(tinhso.ReviewClasses, ", ")))
		return
	case strings.TrimSpace(in.Reason) == "":
		failed(w, r, tinhso.Invalid("reason", "err.text.required", tinhso.Field("reason")))
		return
	}
	rv := &tinhso.IndicatorReview{Indicator: ind.Key, OrgUnit: in.OrgUnit, Class: in.Class, Reason: strings.TrimSpace(in.Reason),
		Reviewer: tinhso.ActorFrom(a.actor(r)).Username}
	if u := user(r); u != nil && u.Name != "" {
		rv.Reviewer = u.Name
	}
	if err := a.store.AddIndicatorReview(a.actor(r), rv); failed(w, r, err) {
		return
	}
	a.app.Invalidate()
	httpx.WriteJSON(w, http.StatusCreated, rv)
}
