package api

import (
	"context"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
)

// record is what the generic handlers of a plan record need of its kind: T is the
// domain type, In its writable part.
type record[T any, In any] interface {
	find(ctx context.Context, ref string) (*T, error)
	id(*T) int64
	version(*T) int
	input(*T) In
	// prepare resolves references in the input (a document by number) before apply.
	prepare(ctx context.Context, in *In) error
	apply(in In, x *T) error
	create(ctx context.Context, x *T) error
	update(ctx context.Context, x *T, version int) error
	remove(ctx context.Context, id int64, version int) error
}

// crud serves GET, POST, PUT, PATCH and DELETE of one kind of record.
type crud[T any, In any] struct {
	rec        record[T, In]
	decode     func(w http.ResponseWriter, r *http.Request, v any, computed map[string]string) error
	actor      func(r *http.Request) context.Context
	name, path string // "indicator", "/api/v1/indicators"
	refDesc    string
	computed   map[string]string
	// decorate fills in what a record's answer carries besides the stored record (the
	// computed status); changed says that a write committed. Both may be nil.
	decorate func(ctx context.Context, x *T)
	changed  func()
}

// answer writes a record, decorated.
func (c crud[T, In]) answer(w http.ResponseWriter, r *http.Request, status int, x *T) {
	if c.decorate != nil {
		c.decorate(r.Context(), x)
	}
	httpx.WriteVersioned(w, status, c.rec.version(x), x)
}

func (c crud[T, In]) wrote() {
	if c.changed != nil {
		c.changed()
	}
}

func (c crud[T, In]) routes() []httpx.Route {
	var zeroT T
	var zeroIn In
	item := c.path + "/{id}"
	return []httpx.Route{
		{Method: "GET", Path: item, Summary: "A " + c.name + ", by " + c.refDesc, Resp: zeroT, Handler: c.get},
		{Method: "POST", Path: c.path, Summary: "Create a " + c.name, Action: tinhso.ActWritePlan, Body: zeroIn, Resp: zeroT, Status: 201, Handler: c.post},
		{Method: "PUT", Path: item, Summary: "Replace a " + c.name, Action: tinhso.ActWritePlan, Body: zeroIn, Resp: zeroT, Handler: c.put},
		{Method: "PATCH", Path: item, Summary: "Change some fields of a " + c.name, Action: tinhso.ActWritePlan, Body: zeroIn, Resp: zeroT, Handler: c.patch},
		{Method: "DELETE", Path: item, Summary: "Delete a " + c.name + " (409 with what refers to it)", Action: tinhso.ActWritePlan, Status: 204, Handler: c.delete},
	}
}

func (c crud[T, In]) get(w http.ResponseWriter, r *http.Request) {
	x, err := c.rec.find(r.Context(), r.PathValue("id"))
	if failed(w, r, err) {
		return
	}
	c.answer(w, r, http.StatusOK, x)
}

func (c crud[T, In]) post(w http.ResponseWriter, r *http.Request) {
	var in In
	if err := c.decode(w, r, &in, c.computed); failed(w, r, err) {
		return
	}
	if err := c.rec.prepare(r.Context(), &in); failed(w, r, err) {
		return
	}
	x := new(T)
	if err := c.rec.apply(in, x); failed(w, r, err) {
		return
	}
	if err := c.rec.create(c.actor(r), x); failed(w, r, err) {
		return
	}
	c.wrote()
	w.Header().Set("Location", c.path+"/"+strconv.FormatInt(c.rec.id(x), 10))
	c.answer(w, r, http.StatusCreated, x)
}

func (c crud[T, In]) put(w http.ResponseWriter, r *http.Request)   { c.change(w, r, false) }
func (c crud[T, In]) patch(w http.ResponseWriter, r *http.Request) { c.change(w, r, true) }

// change replaces a record (PUT: fields left out are empty) or changes some of its
// fields (PATCH: fields left out stay).
func (c crud[T, In]) change(w http.ResponseWriter, r *http.Request, patch bool) {
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	x, err := c.rec.find(r.Context(), r.PathValue("id"))
	if failed(w, r, err) {
		return
	}
	var in In
	if patch {
		in = c.rec.input(x)
	}
	before := c.rec.input(x)
	if err := c.decode(w, r, &in, c.computed); failed(w, r, err) {
		return
	}
	if err := c.rec.prepare(r.Context(), &in); failed(w, r, err) {
		return
	}
	if reflect.DeepEqual(in, before) {
		// Nothing changes: no new version, and the caller's ETag still holds.
		if version != 0 && version != c.rec.version(x) {
			httpx.Error(w, r, tinhso.Errorf(tinhso.EPRECONDITION, "err.api.changed", c.name, version, c.rec.version(x)))
			return
		}
		c.answer(w, r, http.StatusOK, x)
		return
	}
	if err := c.rec.apply(in, x); failed(w, r, err) {
		return
	}
	if err := c.rec.update(c.actor(r), x, version); failed(w, r, err) {
		return
	}
	c.wrote()
	c.answer(w, r, http.StatusOK, x)
}

func (c crud[T, In]) delete(w http.ResponseWriter, r *http.Request) {
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	x, err := c.rec.find(r.Context(), r.PathValue("id"))
	if err == nil {
		err = c.rec.remove(c.actor(r), c.rec.id(x), version)
	}
	if failed(w, r, err) {
		return
	}
	c.wrote()
	w.WriteHeader(http.StatusNoContent)
}

// byIDOrKey finds a record by a path reference that is an id or a key (URL-encode the
// key's slash: 25-kh-ubnd%2Ft12).
func byIDOrKey[T any](ctx context.Context, ref string, find func(ctx context.Context, id int64) (*T, error), idOfKey func(ctx context.Context, key string) (int64, error)) (*T, error) {
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		if !strings.Contains(ref, "/") {
			return nil, tinhso.Invalid("id", "err.api.ref", ref)
		}
		if id, err = idOfKey(ctx, ref); err != nil {
			return nil, err
		}
	}
	if id < 1 {
		return nil, tinhso.Invalid("id", "err.http.id", ref)
	}
	return find(ctx, id)
}

// resolveDocument turns a document reference (id, slug or number) into its slug.
func (a *API) resolveDocument(ctx context.Context, ref *string) error {
	if *ref == "" {
		return nil
	}
	d, err := a.store.FindDocument(ctx, *ref)
	if err != nil {
		return err
	}
	*ref = d.Slug
	return nil
}

// sameDocument refuses to move a record to another document: its key names it.
func sameDocument(current, given string) error {
	if current != "" && given != "" && given != current {
		return tinhso.Invalid("document", "err.api.move_document", current)
	}
	return nil
}

func agencyRefs(codes []string) []tinhso.AgencyRef {
	out := make([]tinhso.AgencyRef, len(codes))
	for i, c := range codes {
		out[i] = tinhso.AgencyRef{Code: c}
	}
	return out
}

func agencyCodes(refs []tinhso.AgencyRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Code
	}
	return out
}
