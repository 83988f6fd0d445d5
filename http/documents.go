package http

import (
	"net/http"

	"github.com/tinhso/tinhso"
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

func (s *Server) registerDocuments() {
	s.handle(route{method: "GET", path: "/api/v1/documents", summary: "List documents", list: true, resp: tinhso.Document{},
		query: []param{{"kind", "string", "plan, decision, scheme, …"}}}, func(w http.ResponseWriter, r *http.Request) {
		q := newQuery(r)
		f := tinhso.DocumentFilter{Kind: q.oneOf("kind", tinhso.DocumentKinds), Page: q.page()}
		if err := q.done(); err != nil {
			Error(w, r, err)
			return
		}
		items, total, err := s.store.FindDocuments(r.Context(), f)
		if err != nil {
			Error(w, r, err)
			return
		}
		writeList(w, items, total, f.Page)
	})
	crud[tinhso.Document, documentInput]{
		name: "document", path: "/api/v1/documents", refDesc: "id, slug or number (URL-encode the slash: 25%2FKH-UBND)",
		find:    s.store.FindDocument,
		id:      func(d *tinhso.Document) int64 { return d.ID },
		version: func(d *tinhso.Document) int { return d.Version },
		input: func(d *tinhso.Document) documentInput {
			return documentInput{d.Slug, d.Kind, d.Number, d.Title, d.Date, d.Issuer, d.Note}
		},
		apply: func(in documentInput, d *tinhso.Document) error {
			d.Slug, d.Kind, d.Number, d.Title, d.Date, d.Issuer, d.Note = in.Slug, in.Kind, in.Number, in.Title, in.Date, in.Issuer, in.Note
			return nil
		},
		create: s.store.CreateDocument, update: s.store.UpdateDocument, delete: s.store.DeleteDocument,
	}.register(s)
}
