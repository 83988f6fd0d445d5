package http

import (
	"context"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
)

// crud registers GET, POST, PUT, PATCH and DELETE of one resource. T is the domain
// type, In its writable part.
type crud[T any, In any] struct {
	name, path string // "indicator", "/api/v1/indicators"
	computed   map[string]string
	find       func(ctx context.Context, ref string) (*T, error)
	id         func(*T) int64
	version    func(*T) int
	input      func(*T) In
	// prepare, when set, resolves references in the input (a document by number) before
	// apply sees it.
	prepare func(ctx context.Context, in *In) error
	apply   func(in In, x *T) error
	create  func(ctx context.Context, x *T) error
	update  func(ctx context.Context, x *T, version int) error
	delete  func(ctx context.Context, id int64, version int) error
	refDesc string
}

func (c crud[T, In]) register(s *Server) {
	var zeroT T
	var zeroIn In
	item := c.path + "/{id}"
	s.handle(route{method: "GET", path: item, summary: "A " + c.name + ", by " + c.refDesc, resp: zeroT}, func(w http.ResponseWriter, r *http.Request) {
		x, err := c.find(r.Context(), r.PathValue("id"))
		if err != nil {
			Error(w, r, err)
			return
		}
		writeVersioned(w, http.StatusOK, c.version(x), x)
	})
	s.handle(route{method: "POST", path: c.path, summary: "Create a " + c.name, admin: true, body: zeroIn, resp: zeroT, status: 201},
		func(w http.ResponseWriter, r *http.Request) {
			var in In
			if err := s.decode(w, r, &in, c.computed); err != nil {
				Error(w, r, err)
				return
			}
			if c.prepare != nil {
				if err := c.prepare(r.Context(), &in); err != nil {
					Error(w, r, err)
					return
				}
			}
			x := new(T)
			if err := c.apply(in, x); err != nil {
				Error(w, r, err)
				return
			}
			if err := c.create(actorCtx(r), x); err != nil {
				Error(w, r, err)
				return
			}
			w.Header().Set("Location", c.path+"/"+strconv.FormatInt(c.id(x), 10))
			writeVersioned(w, http.StatusCreated, c.version(x), x)
		})
	update := func(patch bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			version, err := ifMatch(r)
			if err != nil {
				Error(w, r, err)
				return
			}
			x, err := c.find(r.Context(), r.PathValue("id"))
			if err != nil {
				Error(w, r, err)
				return
			}
			var in In
			if patch {
				in = c.input(x)
			}
			before := c.input(x)
			if err := s.decode(w, r, &in, c.computed); err != nil {
				Error(w, r, err)
				return
			}
			if c.prepare != nil {
				if err := c.prepare(r.Context(), &in); err != nil {
					Error(w, r, err)
					return
				}
			}
			if reflect.DeepEqual(in, before) {
				// Nothing changes: no new version, and the caller's ETag still holds.
				if version != 0 && version != c.version(x) {
					Error(w, r, tinhso.Errorf(tinhso.EPRECONDITION, "The %s has changed since version %d (now %d); fetch it again.", c.name, version, c.version(x)))
					return
				}
				writeVersioned(w, http.StatusOK, c.version(x), x)
				return
			}
			if err := c.apply(in, x); err != nil {
				Error(w, r, err)
				return
			}
			if err := c.update(actorCtx(r), x, version); err != nil {
				Error(w, r, err)
				return
			}
			writeVersioned(w, http.StatusOK, c.version(x), x)
		}
	}
	s.handle(route{method: "PUT", path: item, summary: "Replace a " + c.name, admin: true, body: zeroIn, resp: zeroT}, update(false))
	s.handle(route{method: "PATCH", path: item, summary: "Change some fields of a " + c.name, admin: true, body: zeroIn, resp: zeroT}, update(true))
	s.handle(route{method: "DELETE", path: item, summary: "Delete a " + c.name + " (409 with what refers to it)", admin: true, status: 204},
		func(w http.ResponseWriter, r *http.Request) {
			version, err := ifMatch(r)
			if err != nil {
				Error(w, r, err)
				return
			}
			x, err := c.find(r.Context(), r.PathValue("id"))
			if err == nil {
				err = c.delete(actorCtx(r), c.id(x), version)
			}
			if err != nil {
				Error(w, r, err)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		})
}

// byIDOrKey adapts a find-by-id to a path reference that is an id or a key
// (URL-encode the key's slash: 25-kh-ubnd%2Ft12).
func byIDOrKey[T any](find func(ctx context.Context, id int64) (*T, error), idOfKey func(ctx context.Context, key string) (int64, error)) func(ctx context.Context, ref string) (*T, error) {
	return func(ctx context.Context, ref string) (*T, error) {
		id, err := strconv.ParseInt(ref, 10, 64)
		if err != nil {
			if !strings.Contains(ref, "/") {
				return nil, tinhso.Invalid("id", "give an id (a whole number) or a key such as 25-kh-ubnd/8.1, not %q", ref)
			}
			if id, err = idOfKey(ctx, ref); err != nil {
				return nil, err
			}
		}
		if id < 1 {
			return nil, tinhso.Invalid("id", "id must be a positive whole number, not %q", ref)
		}
		return find(ctx, id)
	}
}

// resolveDocument turns a document reference (id, slug or number) into its slug.
func (s *Server) resolveDocument(ctx context.Context, ref *string) error {
	if *ref == "" {
		return nil
	}
	d, err := s.store.FindDocument(ctx, *ref)
	if err != nil {
		return err
	}
	*ref = d.Slug
	return nil
}

// sameDocument refuses to move a record to another document: its key names it.
func sameDocument(current, given string) error {
	if current != "" && given != "" && given != current {
		return tinhso.Invalid("document", "a record cannot move to another document (it belongs to %q)", current)
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
