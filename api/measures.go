package api

import (
	"net/http"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
)

// fundingAnswer is a document's funding as trees whose parts add up.
type fundingAnswer struct {
	Items []*tinhso.FundingLine `json:"items"`
	Total int                   `json:"total"`
}

func (a *API) measureRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/measures", Summary: "Measures: what indicators of several documents measure alike, their targets and how they differ",
			List: true, Resp: tinhso.Measure{}, Query: []httpx.Param{{Name: "disagree", Type: "boolean", Desc: "true: only measures whose documents disagree"}}, Handler: a.listMeasures},
		{Method: "GET", Path: "/api/v1/measures/{id}", Summary: "A measure, by id or key", Resp: tinhso.Measure{}, Handler: a.getMeasure},
		{Method: "GET", Path: "/api/v1/funding", Summary: "Funding lines as trees (parts add up to the whole)", Resp: fundingAnswer{},
			Query: []httpx.Param{{Name: "document", Type: "string", Desc: "a document's id, slug or number"}}, Handler: a.funding},
	}
}

func (a *API) listMeasures(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	dis := q.Bool("disagree")
	p := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	// A page from the store (disagreeing ones by their index); only "agreeing" is
	// filtered here.
	switch {
	case dis == nil:
		items, total, err := a.store.FindMeasures(r.Context(), p)
		if !failed(w, r, err) {
			httpx.WriteList(w, items, total, p)
		}
		return
	case *dis:
		items, total, err := a.store.FindDisagreeingMeasures(r.Context(), p)
		if !failed(w, r, err) {
			httpx.WriteList(w, items, total, p)
		}
		return
	}
	all, _, err := a.store.FindMeasures(r.Context(), tinhso.Page{Limit: 1 << 30})
	if failed(w, r, err) {
		return
	}
	if dis != nil {
		var kept []*tinhso.Measure
		for _, m := range all {
			if m.Disagree == *dis {
				kept = append(kept, m)
			}
		}
		all = kept
	}
	httpx.WriteList(w, httpx.PageOf(all, p), len(all), p)
}

func (a *API) getMeasure(w http.ResponseWriter, r *http.Request) {
	m, err := a.store.FindMeasure(r.Context(), r.PathValue("id"))
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, m)
}

func (a *API) funding(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	doc := q.Str("document")
	if err := q.Done(); failed(w, r, err) {
		return
	}
	lines, err := a.store.FindFunding(r.Context(), doc)
	if failed(w, r, err) {
		return
	}
	roots := tinhso.FundingTree(lines)
	if roots == nil {
		roots = []*tinhso.FundingLine{}
	}
	httpx.WriteJSON(w, http.StatusOK, fundingAnswer{Items: roots, Total: len(lines)})
}
