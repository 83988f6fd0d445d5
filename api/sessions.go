package api

import (
	"net/http"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// Sign-in, the session and one's own password.

// loginInput is the body of POST /api/v1/login.
type loginInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// sessionInfo answers sign-in and GET /api/v1/session.
type sessionInfo struct {
	User *tinhso.User `json:"user"`
	// CSRFToken must come with every POST, PUT, PATCH and DELETE of the session, in the
	// X-CSRF-Token header (or a csrf_token form field). Empty for a token's caller.
	CSRFToken          string     `json:"csrf_token,omitempty"`
	MustChangePassword bool       `json:"must_change_password"`
	ExpiresAt          *time.Time `json:"expires_at,omitempty"`
	// Via is how the caller is signed in: "session" or "token".
	Via    string   `json:"via"`
	Scopes []string `json:"scopes,omitempty"`
}

// passwordInput is the body of POST /api/v1/password.
type passwordInput struct {
	Current string `json:"current"`
	New     string `json:"new"`
	// RevokeTokens revokes one's API tokens too (they stay valid otherwise).
	RevokeTokens bool `json:"revoke_tokens"`
}

func (a *API) sessionRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/login", Summary: "Sign in with username and password: sets the session cookie, answers the user and the CSRF token; 429 after repeated failures",
			Body: loginInput{}, Resp: sessionInfo{}, Handler: a.login},
		{Method: "POST", Path: "/api/v1/logout", Summary: "Sign out: ends the session", Action: tinhso.ActSignedIn, Status: 204, Handler: a.logout},
		{Method: "GET", Path: "/api/v1/session", Summary: "The signed-in user, and the session's CSRF token", Action: tinhso.ActSignedIn, Resp: sessionInfo{}, Handler: a.session},
		{Method: "POST", Path: "/api/v1/password", Summary: "Change one's own password (current and new); ends one's other sessions, and with revoke_tokens revokes one's API tokens",
			Action: tinhso.ActSignedIn, Body: passwordInput{}, Resp: sessionInfo{}, Handler: a.changePassword},
	}
}

func sessionOf(c *httpx.Caller) sessionInfo {
	info := sessionInfo{User: c.User, MustChangePassword: c.User.MustChangePassword, Via: "token"}
	if c.Session != nil {
		info.Via, info.CSRFToken = "session", c.Session.CSRFToken
		exp := c.Session.ExpiresAt
		info.ExpiresAt = &exp
	} else if c.Token != nil {
		info.Scopes = c.Token.Scopes
		info.ExpiresAt = c.Token.ExpiresAt
	}
	return info
}

// tooManyAttempts answers 429 with Retry-After.
func tooManyAttempts(w http.ResponseWriter, r *http.Request, te *app.ThrottledError) {
	secs := te.Seconds()
	httpx.TooManyRequests(w, r, secs, tinhso.Errorf("too_many_requests", "err.http.throttled", (secs+59)/60))
}

func (a *API) login(w http.ResponseWriter, r *http.Request) {
	var in loginInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	s, err := a.app.SignIn(r.Context(), a.auth.SignInRequest(r, in.Username, in.Password))
	if te, ok := app.IsThrottled(err); ok {
		tooManyAttempts(w, r, te)
		return
	}
	if err == app.ErrWrongPassword {
		w.Header().Set("WWW-Authenticate", `Bearer realm="tinhso"`)
	}
	if failed(w, r, err) {
		return
	}
	a.auth.SetSessionCookie(w, r, s.Token)
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, sessionOf(&httpx.Caller{User: s.User, Session: s.Session}))
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) {
	if c := caller(r); c.Session != nil {
		if err := a.store.DeleteSession(r.Context(), c.Session.ID); failed(w, r, err) {
			return
		}
	}
	a.auth.ClearSessionCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) session(w http.ResponseWriter, r *http.Request) {
	httpx.WriteJSON(w, http.StatusOK, sessionOf(caller(r)))
}

func (a *API) changePassword(w http.ResponseWriter, r *http.Request) {
	c := caller(r)
	var in passwordInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	if c.User.ID == 0 {
		httpx.Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "err.api.bootstrap_password"))
		return
	}
	if c.Token != nil {
		// A script's token must not be able to lock its person out of the browser.
		httpx.Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "err.api.token_password"))
		return
	}
	keep := ""
	if c.Session != nil {
		keep = c.Session.ID
	}
	u, err := a.app.ChangePassword(r.Context(), app.PasswordChange{User: c.User, Current: in.Current, New: in.New, KeepSession: keep, RevokeTokens: in.RevokeTokens, Now: a.cfg.Now()})
	if te, ok := app.IsThrottled(err); ok {
		tooManyAttempts(w, r, te)
		return
	}
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, sessionOf(&httpx.Caller{User: u, Session: c.Session, Token: c.Token}))
}
