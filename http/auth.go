package http

import (
	"context"
	"crypto/subtle"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/credential"
	"github.com/tinhso/tinhso/engine"
)

// This file is the contract between handlers and authentication: handlers declare the
// action a route needs (route.action) and read the caller with userFrom. How a caller
// is recognised (sessions, API tokens) lives behind authenticate.
//
// Callers are recognised, in this order, by:
//   - Authorization: Bearer tsk_…: an API token (api_tokens); it may do an action only
//     if the user's role allows it and the token's scopes name it;
//   - Authorization: Bearer <TINHSO_ADMIN_TOKEN>: the bootstrap token of the admin
//     account (scope "all");
//   - the tinhso_session cookie: a server-side session made by POST /api/v1/login.
//     Unsafe methods (POST, PUT, PATCH, DELETE) need the session's CSRF token in the
//     X-CSRF-Token header (or a csrf_token form field); a session whose password is a
//     one-time one may only change it (and read the session, and sign out).

type ctxKey int

const (
	userKey ctxKey = iota
	callerKey
)

// userFrom returns the authenticated user of a request's context, or nil for the public.
func userFrom(ctx context.Context) *tinhso.User {
	u, _ := ctx.Value(userKey).(*tinhso.User)
	return u
}

// withUser returns a context carrying the user.
func withUser(ctx context.Context, u *tinhso.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// caller is who made a request and with which credential: a session or a token.
type caller struct {
	user    *tinhso.User
	session *tinhso.Session // signed in with the cookie
	token   *tinhso.APIToken
}

func callerFrom(ctx context.Context) *caller {
	c, _ := ctx.Value(callerKey).(*caller)
	return c
}

// AuthOptions configure how callers are recognised; set them before serving. Session
// lifetimes and sign-in limits are the use-cases' (app.SignInPolicy).
type AuthOptions struct {
	// TrustProxy: the server is behind a reverse proxy that sets X-Forwarded-Proto and
	// X-Forwarded-For; only then are they believed.
	TrustProxy bool
}

// SessionCookie is the name of the session cookie.
const SessionCookie = "tinhso_session"

// TokenPrefix starts every API token.
const TokenPrefix = app.TokenPrefix

// authenticate recognises the caller of a request: nil, nil for an anonymous one; an
// EUNAUTHORIZED error for credentials that are presented but not valid (EFORBIDDEN for
// an account that is disabled or whose org unit is dissolved).
func (s *Server) authenticate(r *http.Request) (*tinhso.User, error) {
	c, err := s.identify(r)
	if c == nil || err != nil {
		return nil, err
	}
	return c.user, nil
}

// identify recognises the caller and the credential it used.
func (s *Server) identify(r *http.Request) (*caller, error) {
	ctx := r.Context()
	now := s.Now()
	today := now.In(tinhso.Location).Format("2006-01-02")
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, token, _ := strings.Cut(auth, " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "Send credentials as Authorization: Bearer <token>.")
		}
		hash := HashToken(token)
		if strings.HasPrefix(token, TokenPrefix) {
			t, u, err := s.store.FindAPITokenByHash(ctx, hash)
			if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
				return nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "The token is not valid.")
			} else if err != nil {
				return nil, err
			}
			if t.RevokedAt != nil {
				return nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "The token %q was revoked on %s.", t.Name, t.RevokedAt.In(tinhso.Location).Format("02/01/2006 15:04"))
			}
			if t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) {
				return nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "The token %q expired on %s.", t.Name, t.ExpiresAt.In(tinhso.Location).Format("02/01/2006 15:04"))
			}
			if err := u.Active(today); err != nil {
				return nil, err
			}
			if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
				if err := s.store.TouchAPIToken(ctx, t.ID, now); err != nil {
					s.log.Warn("record token use", "token", t.ID, "error", err)
				}
			}
			return &caller{user: u, token: t}, nil
		}
		if s.adminTokenHash == "" || subtle.ConstantTimeCompare([]byte(hash), []byte(s.adminTokenHash)) != 1 {
			return nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "The token is not valid.")
		}
		// The bootstrap token acts as the account "admin", with that account's role and
		// state (or, where no such account exists, as an admin without one).
		u, _, err := s.store.FindUserByUsername(ctx, "admin")
		if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
			u, err = &tinhso.User{Username: "admin", Name: "Admin", Role: tinhso.RoleAdmin}, nil
		}
		if err != nil {
			return nil, err
		}
		if err := u.Active(today); err != nil {
			return nil, err
		}
		return &caller{user: u, token: &tinhso.APIToken{Name: "TINHSO_ADMIN_TOKEN", UserID: u.ID, Username: u.Username, Scopes: []string{tinhso.ScopeAll}}}, nil
	}
	ck, err := r.Cookie(SessionCookie)
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	sess, u, err := s.store.FindSession(ctx, HashToken(ck.Value))
	if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
		return nil, errSessionEnded
	} else if err != nil {
		return nil, err
	}
	policy := s.app.SignInPolicy()
	if !engine.SessionLive(sess, now, policy.SessionIdle, policy.SessionMax) {
		if err := s.store.DeleteSession(ctx, sess.ID); err != nil {
			return nil, err
		}
		return nil, errSessionEnded
	}
	if err := u.Active(today); err != nil {
		return nil, err
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		sess.LastSeenAt, sess.ExpiresAt = now, engine.SessionExpiry(sess.CreatedAt, now, policy.SessionIdle, policy.SessionMax)
		if err := s.store.TouchSession(ctx, sess.ID, sess.LastSeenAt, sess.ExpiresAt); err != nil {
			return nil, err
		}
	}
	return &caller{user: u, session: sess}, nil
}

var errSessionEnded = tinhso.Errorf(tinhso.EUNAUTHORIZED, "Your session has ended (signed out, expired, or the password changed); sign in again.")

// unsafeMethod reports whether a method changes state and so needs a CSRF token.
func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions && m != http.MethodTrace
}

// require guards a handler with an action: 401 without a valid caller, 403 when the
// caller's role (or token's scopes) may not do it, when a session's unsafe request
// lacks its CSRF token, or when a session must change its password first.
func (s *Server) require(action string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := s.identify(r)
		if err != nil {
			if err == errSessionEnded {
				s.clearSessionCookie(w, r)
			}
			if tinhso.ErrorCode(err) == tinhso.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="tinhso", error="invalid_token"`)
			}
			Error(w, r, err)
			return
		}
		if c == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tinhso"`)
			Error(w, r, tinhso.Errorf(tinhso.EUNAUTHORIZED, "Sign in (POST /api/v1/login), or send Authorization: Bearer <token>."))
			return
		}
		u := c.user
		if c.session != nil {
			if unsafeMethod(r.Method) && !s.csrfOK(w, r, c.session) {
				Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "Missing or wrong CSRF token: a signed-in browser must send its session's csrf_token (from POST /api/v1/login or GET /api/v1/session) in the X-CSRF-Token header or the csrf_token form field. Nothing was changed."))
				return
			}
			if u.MustChangePassword && action != tinhso.ActSignedIn {
				Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "Your password is a one-time password: change it first (POST /api/v1/password with current and new)."))
				return
			}
		}
		if !u.Can(action) {
			Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "Your role (%s) may not do this (%s).", u.Role, action))
			return
		}
		if c.token != nil && !c.token.Allows(action) {
			Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "This token's scopes (%s) do not include %s.", strings.Join(c.token.Scopes, " "), action))
			return
		}
		ctx := context.WithValue(withUser(r.Context(), u), callerKey, c)
		ctx = tinhso.WithActor(ctx, tinhso.Actor{Username: u.Username, Address: s.clientAddr(r)})
		next(w, r.WithContext(ctx))
	}
}

// csrfOK checks an unsafe request of a session for the session's CSRF token: the
// X-CSRF-Token header, or else the csrf_token field of a form body. (A multipart form
// is parsed for it, into r.MultipartForm: upload handlers read r.FormFile then, or
// clients send the header.)
func (s *Server) csrfOK(w http.ResponseWriter, r *http.Request, sess *tinhso.Session) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		ct := r.Header.Get("Content-Type")
		switch {
		case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
			r.Body = http.MaxBytesReader(w, r.Body, s.MaxBodyBytes)
			got = r.PostFormValue("csrf_token")
		case strings.HasPrefix(ct, "multipart/form-data"):
			r.Body = http.MaxBytesReader(w, r.Body, 8*s.MaxBodyBytes)
			if err := r.ParseMultipartForm(s.MaxBodyBytes); err == nil {
				got = r.PostFormValue("csrf_token")
			}
		}
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) == 1
}

// secure reports whether the request came over TLS (as told by a trusted proxy too).
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || s.Auth.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// clientAddr is the client's IP address: the connection's, or the last hop of
// X-Forwarded-For when a proxy is trusted.
func (s *Server) clientAddr(r *http.Request) string {
	if s.Auth.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(ip) != nil {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r), MaxAge: int(s.app.SignInPolicy().SessionMax / time.Second)})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r), MaxAge: -1})
}

// randomToken returns n random bytes, base64url without padding.
func randomToken(n int) string { return credential.RandomToken(n) }

// tooManyAttempts answers 429 with Retry-After.
func tooManyAttempts(w http.ResponseWriter, wait time.Duration) {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeJSON(w, http.StatusTooManyRequests, errorBody{Code: "too_many_requests",
		Error: "Too many failed sign-ins for this account or from this address; try again in " + strconv.Itoa((secs+59)/60) + " minute(s)."})
}
