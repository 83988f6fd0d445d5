package http

import (
	"context"
	"net/http"

	"github.com/tinhso/tinhso"
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

func (s *Server) registerIndicators() {
	s.handle(route{method: "GET", path: "/api/v1/indicators", summary: "List indicators with their parsed targets", list: true, resp: tinhso.Indicator{},
		query: []param{{"document", "string", "a document's id, slug or number"}, {"agency", "string", "an org unit's code"},
			{"horizon", "integer", "target year, e.g. 2030"}, {"measure", "string", "a measure's key"}, {"key", "string", "an indicator key, e.g. 25-kh-ubnd/8.1"}}},
		func(w http.ResponseWriter, r *http.Request) {
			q := newQuery(r)
			f := tinhso.IndicatorFilter{Document: q.str("document"), Agency: q.str("agency"), Horizon: q.int("horizon", 1900, 2200),
				Measure: q.str("measure"), Key: q.str("key"), Page: q.page()}
			if err := q.done(); err != nil {
				Error(w, r, err)
				return
			}
			items, total, err := s.store.FindIndicators(r.Context(), f)
			if err != nil {
				Error(w, r, err)
				return
			}
			writeList(w, items, total, f.Page)
		})
	crud[tinhso.Indicator, indicatorInput]{
		name: "indicator", path: "/api/v1/indicators", refDesc: "id", computed: indicatorComputed,
		find: byIDOrKey(s.store.FindIndicator, func(ctx context.Context, key string) (int64, error) {
			list, _, err := s.store.FindIndicators(ctx, tinhso.IndicatorFilter{Key: key, Page: tinhso.Page{Limit: 1}})
			if err != nil || len(list) == 0 {
				return 0, tinhso.Errorf(tinhso.ENOTFOUND, "No indicator with key %q.", key)
			}
			return list[0].ID, nil
		}),
		id:      func(x *tinhso.Indicator) int64 { return x.ID },
		version: func(x *tinhso.Indicator) int { return x.Version },
		input: func(x *tinhso.Indicator) indicatorInput {
			return indicatorInput{x.Document, x.Code, x.ParentCode, x.Name, x.Unit, x.UnitCell, x.TargetText, x.Horizon, x.AgenciesText,
				agencyCodes(x.Agencies), x.Measure, x.Baseline, x.Aggregation, x.Note}
		},
		prepare: func(ctx context.Context, in *indicatorInput) error { return s.resolveDocument(ctx, &in.Document) },
		apply: func(in indicatorInput, x *tinhso.Indicator) error {
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
		},
		create: s.store.CreateIndicator, update: s.store.UpdateIndicator, delete: s.store.DeleteIndicator,
	}.register(s)
}
