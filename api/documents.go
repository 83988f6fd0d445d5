package api

import (
	"context"
	"net/http"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
)

// documentInput is the writable part of a document.
type documentInput struct {
	Slug   string `json:"slug"`
	Kind   string `json:"kind"`
	Number string `json:"number"`
	Title  string `json:"title"`
	Date   string `json:"date"`
	Issuer string `json:"issuer"`
	Note   string `json:"note"`
}

func (a *API) documentRoutes() []httpx.Route {
	return append([]httpx.Route{
		{Method: "GET", Path: "/api/v1/documents", Summary: "List documents", List: true, Resp: tinhso.Document{},
			Query: []httpx.Param{{Name: "kind", Type: "string", Desc: "plan, decision, scheme, …"}}, Handler: a.listDocuments},
	}, crud[tinhso.Document, documentInput]{rec: documents{a}, decode: a.decode, actor: a.actor,
		name: "document", path: "/api/v1/documents", refDesc: "id, slug or number (URL-encode the slash: 25%2FKH-UBND)"}.routes()...)
}

func (a *API) listDocuments(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.DocumentFilter{Kind: q.OneOf("kind", tinhso.DocumentKinds), Page: q.Page()}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	items, total, err := a.store.FindDocuments(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, items, total, f.Page)
}

// documents are documents as records of the generic handlers.
type documents struct{ a *API }

func (d documents) find(ctx context.Context, ref string) (*tinhso.Document, error) {
	return d.a.store.FindDocument(ctx, ref)
}
func (documents) id(x *tinhso.Document) int64    { return x.ID }
func (documents) version(x *tinhso.Document) int { return x.Version }
func (documents) input(x *tinhso.Document) documentInput {
	return documentInput{x.Slug, x.Kind, x.Number, x.Title, x.Date, x.Issuer, x.Note}
}
func (documents) prepare(context.Context, *documentInput) error { return nil }
func (documents) apply(in documentInput, x *tinhso.Document) error {
	x.Slug, x.Kind, x.Number, x.Title, x.Date, x.Issuer, x.Note = in.Slug, in.Kind, in.Number, in.Title, in.Date, in.Issuer, in.Note
	return nil
}
func (d documents) create(ctx context.Context, x *tinhso.Document) error {
	return d.a.store.CreateDocument(ctx, x)
}
func (d documents) update(ctx context.Context, x *tinhso.Document, version int) error {
	return d.a.store.UpdateDocument(ctx, x, version)
}
func (d documents) remove(ctx context.Context, id int64, version int) error {
	return d.a.store.DeleteDocument(ctx, id, version)
}
