package http

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/tinhso/tinhso"
)

// This file is the contract between handlers and authentication: handlers declare the
// action a route needs (route.action) and read the caller with userFrom. How a caller
// is recognised (sessions, API tokens) lives behind authenticate.

type ctxKey int

const userKey ctxKey = 0

// userFrom returns the authenticated user of a request's context, or nil for the public.
func userFrom(ctx context.Context) *tinhso.User {
	u, _ := ctx.Value(userKey).(*tinhso.User)
	return u
}

// withUser returns a context carrying the user.
func withUser(ctx context.Context, u *tinhso.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// authenticate recognises the caller of a request: nil, nil for an anonymous one; an
// EUNAUTHORIZED error for credentials that are presented but not valid.
//
// For now the only credential is the bootstrap admin token.
func (s *Server) authenticate(r *http.Request) (*tinhso.User, error) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return nil, nil
	}
	scheme, token, _ := strings.Cut(auth, " ")
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "Send credentials as Authorization: Bearer <token>.")
	}
	if s.adminTokenHash == "" || subtle.ConstantTimeCompare([]byte(HashToken(token)), []byte(s.adminTokenHash)) != 1 {
		return nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "The token is not valid.")
	}
	return &tinhso.User{Username: "admin", Name: "Admin", Role: tinhso.RoleAdmin}, nil
}

// require guards a handler with an action: 401 without a valid caller, 403 when the
// caller's role may not do it.
func (s *Server) require(action string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := s.authenticate(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tinhso", error="invalid_token"`)
			Error(w, r, err)
			return
		}
		if u == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tinhso"`)
			Error(w, r, tinhso.Errorf(tinhso.EUNAUTHORIZED, "Sign in, or send Authorization: Bearer <token>."))
			return
		}
		if !u.Can(action) {
			Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "Your role (%s) may not do this.", u.Role))
			return
		}
		next(w, r.WithContext(withUser(r.Context(), u)))
	}
}
