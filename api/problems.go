package api

import (
	"context"
	"net/http"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
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

func (a *API) problemRoutes() []httpx.Route {
	return append([]httpx.Route{
		{Method: "GET", Path: "/api/v1/problems", Summary: "List the big problems (bài toán lớn)", List: true, Resp: tinhso.Problem{},
			Query: []httpx.Param{{Name: "province", Type: "string", Desc: "e.g. Thái Nguyên, Lạng Sơn"}, {Name: "status", Type: "string", Desc: "open, proposals, commissioned, solved, closed"},
				{Name: "document", Type: "string", Desc: "a document's id, slug or number"}},
			Handler: a.listProblems},
	}, crud[tinhso.Problem, problemInput]{rec: problems{a}, decode: a.decode, actor: a.actor,
		name: "problem", path: "/api/v1/problems", refDesc: "id", computed: map[string]string{"key": "document and number"}}.routes()...)
}

func (a *API) listProblems(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.ProblemFilter{Province: q.Str("province"), Status: q.OneOf("status", tinhso.ProblemStatuses), Document: q.Str("document"), Page: q.Page()}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	items, total, err := a.store.FindProblems(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, items, total, f.Page)
}

// problems are big problems as records of the generic handlers.
type problems struct{ a *API }

func (p problems) find(ctx context.Context, ref string) (*tinhso.Problem, error) {
	return byIDOrKey(ctx, ref, p.a.store.FindProblem, func(ctx context.Context, key string) (int64, error) {
		list, _, err := p.a.store.FindProblems(ctx, tinhso.ProblemFilter{Page: tinhso.Page{Limit: 1000}})
		if err == nil {
			for _, x := range list {
				if x.Key == key {
					return x.ID, nil
				}
			}
		}
		return 0, tinhso.Errorf(tinhso.ENOTFOUND, "err.api.problem_key", key)
	})
}
func (problems) id(x *tinhso.Problem) int64    { return x.ID }
func (problems) version(x *tinhso.Problem) int { return x.Version }
func (problems) input(p *tinhso.Problem) problemInput {
	return problemInput{p.Document, p.Province, p.Number, p.Title, p.Basis, p.ExpectedResults, p.Status, p.Note}
}
func (p problems) prepare(ctx context.Context, in *problemInput) error {
	return p.a.resolveDocument(ctx, &in.Document)
}
func (problems) apply(in problemInput, p *tinhso.Problem) error {
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
}
func (p problems) create(ctx context.Context, x *tinhso.Problem) error {
	return p.a.store.CreateProblem(ctx, x)
}
func (p problems) update(ctx context.Context, x *tinhso.Problem, version int) error {
	return p.a.store.UpdateProblem(ctx, x, version)
}
func (p problems) remove(ctx context.Context, id int64, version int) error {
	return p.a.store.DeleteProblem(ctx, id, version)
}
