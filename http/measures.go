package http

import (
	"net/http"

	"github.com/tinhso/tinhso"
)

// fundingAnswer is a document's funding as trees whose parts add up.
type fundingAnswer struct {
	Items []*tinhso.FundingLine `json:"items"`
	Total int                   `json:"total"`
}

func (s *Server) registerMeasures() {
	s.handle(route{method: "GET", path: "/api/v1/measures", summary: "Measures: what indicators of several documents measure alike, their targets and how they differ",
		list: true, resp: tinhso.Measure{}, query: []param{{"disagree", "boolean", "true: only measures whose documents disagree"}}},
		func(w http.ResponseWriter, r *http.Request) {
			q := newQuery(r)
			dis := q.boolean("disagree")
			p := q.page()
			if err := q.done(); err != nil {
				Error(w, r, err)
				return
			}
			all, _, err := s.store.FindMeasures(r.Context(), tinhso.Page{Limit: 1 << 30})
			if err != nil {
				Error(w, r, err)
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
			writeList(w, pageOf(all, p), len(all), p)
		})
	s.handle(route{method: "GET", path: "/api/v1/measures/{id}", summary: "A measure, by id or key", resp: tinhso.Measure{}}, func(w http.ResponseWriter, r *http.Request) {
		m, err := s.store.FindMeasure(r.Context(), r.PathValue("id"))
		if err != nil {
			Error(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, m)
	})
	s.handle(route{method: "GET", path: "/api/v1/funding", summary: "Funding lines as trees (parts add up to the whole)", resp: fundingAnswer{},
		query: []param{{"document", "string", "a document's id, slug or number"}}}, func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		doc := q.str("document")
		if err := q.done(); err != nil {
			Error(w, r, err)
			return
		}
		lines, err := s.store.FindFunding(r.Context(), doc)
		if err != nil {
			Error(w, r, err)
			return
		}
		roots := tinhso.FundingTree(lines)
		if roots == nil {
			roots = []*tinhso.FundingLine{}
		}
		writeJSON(w, http.StatusOK, fundingAnswer{Items: roots, Total: len(lines)})
	})
}
