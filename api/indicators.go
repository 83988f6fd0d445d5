package api

import (
	"context"
	"net/http"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
)

// indicatorInput is the writable part of an indicator; agencies are org-unit codes.
type indicatorInput struct {
	Document     string   `json:"document"`
	Code         string   `json:"code"`
	ParentCode   string   `json:"parent_code"`
	Name         string   `json:"name"`
	Unit         string   `json:"unit"`
	UnitCell     string   `json:"unit_cell"`
	TargetText   string   `json:"target_text"`
	Horizon      int      `json:"horizon"`
	AgenciesText string   `json:"agencies_text"`
	Agencies     []string `json:"agencies"`
	Measure      string   `json:"measure"`
	Baseline     string   `json:"baseline"`
	Aggregation  string   `json:"aggregation"`
	Note         string   `json:"note"`
}

var indicatorComputed = map[string]string{"target": "target_text", "key": "document and code"}

func (a *API) indicatorRoutes() []httpx.Route {
	return append([]httpx.Route{
		{Method: "GET", Path: "/api/v1/indicators", Summary: "List indicators with their parsed targets and computed statuses", List: true, Resp: tinhso.Indicator{},
			Query: []httpx.Param{{Name: "document", Type: "string", Desc: "a document's id, slug or number"}, {Name: "agency", Type: "string", Desc: "an org unit's code"},
				{Name: "horizon", Type: "integer", Desc: "target year, e.g. 2030"}, {Name: "measure", Type: "string", Desc: "a measure's key"}, {Name: "key", Type: "string", Desc: "an indicator key, e.g. 25-kh-ubnd/8.1"}},
			Handler: a.listIndicators},
	}, crud[tinhso.Indicator, indicatorInput]{rec: indicators{a}, decode: a.decode, actor: a.actor,
		name: "indicator", path: "/api/v1/indicators", refDesc: "id", computed: indicatorComputed, decorate: a.indicatorStatus, changed: a.app.Invalidate}.routes()...)
}

func (a *API) listIndicators(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.IndicatorFilter{Document: q.Str("document"), Agency: q.Str("agency"), Horizon: q.Int("horizon", 1900, 2200),
		Measure: q.Str("measure"), Key: q.Str("key"), Page: q.Page()}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	items, total, err := a.store.FindIndicators(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	if err := a.indicatorStatuses(r.Context(), items); failed(w, r, err) {
		return
	}
	httpx.WriteList(w, items, total, f.Page)
}

// indicators are indicators as records of the generic handlers.
type indicators struct{ a *API }

func (i indicators) find(ctx context.Context, ref string) (*tinhso.Indicator, error) {
	return byIDOrKey(ctx, ref, i.a.store.FindIndicator, func(ctx context.Context, key string) (int64, error) {
		list, _, err := i.a.store.FindIndicators(ctx, tinhso.IndicatorFilter{Key: key, Page: tinhso.Page{Limit: 1}})
		if err != nil || len(list) == 0 {
			return 0, tinhso.Errorf(tinhso.ENOTFOUND, "err.api.indicator_key", key)
		}
		return list[0].ID, nil
	})
}
func (indicators) id(x *tinhso.Indicator) int64    { return x.ID }
func (indicators) version(x *tinhso.Indicator) int { return x.Version }
func (indicators) input(x *tinhso.Indicator) indicatorInput {
	return indicatorInput{x.Document, x.Code, x.ParentCode, x.Name, x.Unit, x.UnitCell, x.TargetText, x.Horizon, x.AgenciesText,
		agencyCodes(x.Agencies), x.Measure, x.Baseline, x.Aggregation, x.Note}
}
func (i indicators) prepare(ctx context.Context, in *indicatorInput) error {
	return i.a.resolveDocument(ctx, &in.Document)
}
func (indicators) apply(in indicatorInput, x *tinhso.Indicator) error {
	if err := sameDocument(x.Document, in.Document); err != nil {
		return err
	}
	if x.Document == "" {
		x.Document = in.Document
	}
	x.Code, x.ParentCode, x.Name, x.Unit, x.UnitCell, x.TargetText = in.Code, in.ParentCode, in.Name, in.Unit, in.UnitCell, in.TargetText
	x.Horizon, x.AgenciesText, x.Agencies, x.Measure = in.Horizon, in.AgenciesText, agencyRefs(in.Agencies), in.Measure
	x.Baseline, x.Aggregation, x.Note = in.Baseline, in.Aggregation, in.Note
	return nil
}
func (i indicators) create(ctx context.Context, x *tinhso.Indicator) error {
	return i.a.store.CreateIndicator(ctx, x)
}
func (i indicators) update(ctx context.Context, x *tinhso.Indicator, version int) error {
	return i.a.store.UpdateIndicator(ctx, x, version)
}
func (i indicators) remove(ctx context.Context, id int64, version int) error {
	return i.a.store.DeleteIndicator(ctx, id, version)
}
