package http

import (
	"context"
	"net/http"

	"github.com/tinhso/tinhso"
)

// problemInput is the writable part of a big problem.
type problemInput struct {
	Document        string `json:"document"`
	Province        string `json:"province"`
	Number          int    `json:"number"`
	Title           string `json:"title"`
	Basis           string `json:"basis"`
	ExpectedResults string `json:"expected_results"`
	Status          string `json:"status"`
	Note            string `json:"note"`
}

func (s *Server) registerProblems() {
	s.handle(route{method: "GET", path: "/api/v1/problems", summary: "List the big problems (bài toán lớn)", list: true, resp: tinhso.Problem{},
		query: []param{{"province", "string", "e.g. Thái Nguyên, Lạng Sơn"}, {"status", "string", "open, proposals, commissioned, solved, closed"},
			{"document", "string", "a document's id, slug or number"}}},
		func(w http.ResponseWriter, r *http.Request) {
			q := newQuery(r)
			f := tinhso.ProblemFilter{Province: q.str("province"), Status: q.oneOf("status", tinhso.ProblemStatuses), Document: q.str("document"), Page: q.page()}
			if err := q.done(); err != nil {
				Error(w, r, err)
				return
			}
			items, total, err := s.store.FindProblems(r.Context(), f)
			if err != nil {
				Error(w, r, err)
				return
			}
			writeList(w, items, total, f.Page)
		})
	crud[tinhso.Problem, problemInput]{
		name: "problem", path: "/api/v1/problems", refDesc: "id", computed: map[string]string{"key": "document and number"},
		find: byIDOrKey(s.store.FindProblem, func(ctx context.Context, key string) (int64, error) {
			list, _, err := s.store.FindProblems(ctx, tinhso.ProblemFilter{Page: tinhso.Page{Limit: 1000}})
			if err == nil {
				for _, p := range list {
					if p.Key == key {
						return p.ID, nil
					}
				}
			}
			return 0, tinhso.Errorf(tinhso.ENOTFOUND, "No problem with key %q.", key)
		}),
		id:      func(p *tinhso.Problem) int64 { return p.ID },
		version: func(p *tinhso.Problem) int { return p.Version },
		input: func(p *tinhso.Problem) problemInput {
			return problemInput{p.Document, p.Province, p.Number, p.Title, p.Basis, p.ExpectedResults, p.Status, p.Note}
		},
		prepare: func(ctx context.Context, in *problemInput) error { return s.resolveDocument(ctx, &in.Document) },
		apply: func(in problemInput, p *tinhso.Problem) error {
			if err := sameDocument(p.Document, in.Document); err != nil {
				return err
			}
			if p.Document == "" {
				p.Document = in.Document
			}
			if in.Status == "" {
				in.Status = "open"
			}
			p.Province, p.Number, p.Title, p.Basis, p.ExpectedResults, p.Status, p.Note = in.Province, in.Number, in.Title, in.Basis, in.ExpectedResults, in.Status, in.Note
			return nil
		},
		create: s.store.CreateProblem, update: s.store.UpdateProblem, delete: s.store.DeleteProblem,
	}.register(s)
}
