package httpx

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/credential"
	"github.com/tinhso/tinhso/engine"
)

// This file is the contract between handlers and authentication: routes declare the
// action they need (Route.Action) and handlers read the caller with UserFrom and
// CallerFrom. How a caller is recognised (sessions, API tokens) lives behind Identify.
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

// SessionCookie is the name of the session cookie.
const SessionCookie = "tinhso_session"

// Auth recognises callers: the users' store, the sign-in policy of the use-cases and
// the bootstrap admin token.
type Auth struct {
	Config *Config
	Users  tinhso.UserStore
	App    *app.App
	// AdminTokenHash is the hex SHA-256 of the bootstrap admin token ("": none).
	AdminTokenHash string
}

// Caller is who made a request and with which credential: a session or a token.
type Caller struct {
	User    *tinhso.User
	Session *tinhso.Session // signed in with the cookie
	Token   *tinhso.APIToken
}

type ctxKey int

const (
	userKey ctxKey = iota
	callerKey
)

// UserFrom returns the authenticated user of a request's context, or nil for the public.
func UserFrom(ctx context.Context) *tinhso.User {
	u, _ := ctx.Value(userKey).(*tinhso.User)
	return u
}

// CallerFrom returns the caller a guard put into the context, or nil.
func CallerFrom(ctx context.Context) *Caller {
	c, _ := ctx.Value(callerKey).(*Caller)
	return c
}

// WithCaller returns a context carrying the caller and its user.
func WithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(context.WithValue(ctx, userKey, c.User), callerKey, c)
}

// ErrSessionEnded answers a session cookie whose session is over.
var ErrSessionEnded = tinhso.Errorf(tinhso.EUNAUTHORIZED, "err.http.session_ended")

// Identify recognises the caller and the credential it used: nil, nil for an
// anonymous one; an EUNAUTHORIZED error for credentials that are presented but not
// valid (EFORBIDDEN for an account that is disabled or whose org unit is dissolved).
func (a *Auth) Identify(r *http.Request) (*Caller, error) {
	ctx := r.Context()
	now := a.Config.Now()
	today := now.In(tinhso.Location).Format("2006-01-02")
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, token, _ := strings.Cut(auth, " ")
		token = strings.TrimSpace(token)
		if !strings.EqualFold(scheme, "Bearer") || token == "" {
			return nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "err.http.bearer")
		}
		hash := credential.HashToken(token)
		if strings.HasPrefix(token, app.TokenPrefix) {
			t, u, err := a.Users.FindAPITokenByHash(ctx, hash)
			if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
				return nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "err.ingest.token")
			} else if err != nil {
				return nil, err
			}
			if t.RevokedAt != nil {
				return nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "err.http.token_revoked", t.Name, *t.RevokedAt)
			}
			if t.ExpiresAt != nil && !now.Before(*t.ExpiresAt) {
				return nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "err.http.token_expired", t.Name, *t.ExpiresAt)
			}
			if err := u.Active(today); err != nil {
				return nil, err
			}
			if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
				if err := a.Users.TouchAPIToken(ctx, t.ID, now); err != nil {
					a.Config.Log.Warn("record token use", "token", t.ID, "error", err)
				}
			}
			return &Caller{User: u, Token: t}, nil
		}
		if a.AdminTokenHash == "" || subtle.ConstantTimeCompare([]byte(hash), []byte(a.AdminTokenHash)) != 1 {
			return nil, tinhso.Errorf(tinhso.EUNAUTHORIZED, "err.ingest.token")
		}
		// The bootstrap token acts as the account "admin", with that account's role and
		// state (or, where no such account exists, as an admin without one).
		u, _, err := a.Users.FindUserByUsername(ctx, "admin")
		if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
			u, err = &tinhso.User{Username: "admin", Name: "Admin", Role: tinhso.RoleAdmin}, nil
		}
		if err != nil {
			return nil, err
		}
		if err := u.Active(today); err != nil {
			return nil, err
		}
		return &Caller{User: u, Token: &tinhso.APIToken{Name: "TINHSO_ADMIN_TOKEN", UserID: u.ID, Username: u.Username, Scopes: []string{tinhso.ScopeAll}}}, nil
	}
	ck, err := r.Cookie(SessionCookie)
	if err != nil || ck.Value == "" {
		return nil, nil
	}
	sess, u, err := a.Users.FindSession(ctx, credential.HashToken(ck.Value))
	if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
		return nil, ErrSessionEnded
	} else if err != nil {
		return nil, err
	}
	policy := a.App.SignInPolicy()
	if !engine.SessionLive(sess, now, policy.SessionIdle, policy.SessionMax) {
		if err := a.Users.DeleteSession(ctx, sess.ID); err != nil {
			return nil, err
		}
		return nil, ErrSessionEnded
	}
	if err := u.Active(today); err != nil {
		return nil, err
	}
	if now.Sub(sess.LastSeenAt) > time.Minute {
		sess.LastSeenAt, sess.ExpiresAt = now, engine.SessionExpiry(sess.CreatedAt, now, policy.SessionIdle, policy.SessionMax)
		if err := a.Users.TouchSession(ctx, sess.ID, sess.LastSeenAt, sess.ExpiresAt); err != nil {
			return nil, err
		}
	}
	return &Caller{User: u, Session: sess}, nil
}

// Caller returns the caller a guard put into the request's context, or recognises it;
// nil when there is none or its credentials are not valid.
func (a *Auth) Caller(r *http.Request) *Caller {
	if c := CallerFrom(r.Context()); c != nil {
		return c
	}
	c, err := a.Identify(r)
	if err != nil {
		return nil
	}
	return c
}

// May reports whether a caller may do an action: its role allows it, a token's scopes
// name it, and a session's password is not a one-time one still to change (unless the
// action is ActSignedIn).
func (c *Caller) May(action string) bool {
	if c == nil || c.User == nil || !c.User.Can(action) {
		return false
	}
	if c.Session != nil && c.User.MustChangePassword && action != tinhso.ActSignedIn {
		return false
	}
	return c.Token == nil || c.Token.Allows(action)
}

// UnsafeMethod reports whether a method changes state and so needs a CSRF token.
func UnsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions && m != http.MethodTrace
}

// Require guards a JSON handler with an action: 401 without a valid caller, 403 when
// the caller's role (or token's scopes) may not do it, when a session's unsafe request
// lacks its CSRF token, or when a session must change its password first.
func (a *Auth) Require(action string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := a.Identify(r)
		if err != nil {
			if err == ErrSessionEnded {
				a.ClearSessionCookie(w, r)
			}
			if tinhso.ErrorCode(err) == tinhso.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="tinhso", error="invalid_token"`)
			}
			Error(w, r, err)
			return
		}
		if c == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tinhso"`)
			Error(w, r, tinhso.Errorf(tinhso.EUNAUTHORIZED, "err.http.sign_in"))
			return
		}
		u := c.User
		if c.Session != nil {
			if UnsafeMethod(r.Method) && !a.CSRFOK(w, r, c.Session) {
				Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "err.http.csrf"))
				return
			}
			if u.MustChangePassword && action != tinhso.ActSignedIn {
				Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "err.http.one_time"))
				return
			}
		}
		if !u.Can(action) {
			Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "err.http.role", u.Role, action))
			return
		}
		if c.Token != nil && !c.Token.Allows(action) {
			Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "err.ingest.scope", strings.Join(c.Token.Scopes, " "), action))
			return
		}
		ctx := tinhso.WithActor(WithCaller(r.Context(), c), tinhso.Actor{Username: u.Username, Address: a.ClientAddr(r)})
		next(w, r.WithContext(ctx))
	}
}

// CSRFOK checks an unsafe request of a session for the session's CSRF token: the
// X-CSRF-Token header, or else the csrf_token field of a form body. (A multipart form
// is parsed for it, into r.MultipartForm: upload handlers read r.FormFile then, or
// clients send the header.)
func (a *Auth) CSRFOK(w http.ResponseWriter, r *http.Request, sess *tinhso.Session) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		max := a.Config.MaxBodyBytes
		ct := r.Header.Get("Content-Type")
		switch {
		case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
			r.Body = http.MaxBytesReader(w, r.Body, max)
			got = r.PostFormValue("csrf_token")
		case strings.HasPrefix(ct, "multipart/form-data"):
			r.Body = http.MaxBytesReader(w, r.Body, 8*max)
			if err := r.ParseMultipartForm(max); err == nil {
				got = r.PostFormValue("csrf_token")
			}
		}
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRFToken)) == 1
}

// Secure reports whether the request came over TLS (as told by a trusted proxy too).
func (a *Auth) Secure(r *http.Request) bool {
	return r.TLS != nil || a.Config.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// ClientAddr is the client's IP address: the connection's, or the last hop of
// X-Forwarded-For when a proxy is trusted.
func (a *Auth) ClientAddr(r *http.Request) string {
	if a.Config.TrustProxy {
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

// ActorCtx carries the caller and its address into the store, for the audit log.
func (a *Auth) ActorCtx(r *http.Request) context.Context {
	if act := tinhso.ActorFrom(r.Context()); act.Username != "system" {
		return r.Context() // set by Require, with the address a trusted proxy gives
	}
	name := "anonymous"
	if u := UserFrom(r.Context()); u != nil {
		name = u.Username
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return tinhso.WithActor(r.Context(), tinhso.Actor{Username: name, Address: host})
}

// SetSessionCookie gives the browser its session token.
func (a *Auth) SetSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: a.Secure(r), MaxAge: int(a.App.SignInPolicy().SessionMax / time.Second)})
}

// ClearSessionCookie removes the session cookie.
func (a *Auth) ClearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: a.Secure(r), MaxAge: -1})
}

// SignInRequest is the sign-in of a request's credentials, from its address and
// browser, ending the session the browser came with.
func (a *Auth) SignInRequest(r *http.Request, username, password string) app.SignIn {
	in := app.SignIn{Username: username, Password: password, Address: a.ClientAddr(r), UserAgent: r.UserAgent(), Now: a.Config.Now()}
	if ck, err := r.Cookie(SessionCookie); err == nil {
		in.OldToken = ck.Value
	}
	return in
}
