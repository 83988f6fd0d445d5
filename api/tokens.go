package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// API tokens: one's own, or (for an admin) another user's.

// tokenInput is the body of POST /api/v1/tokens.
type tokenInput struct {
	Name string `json:"name"`
	// Scopes are actions (e.g. "plan:write") or "all".
	Scopes []string `json:"scopes"`
	// ExpiresAt (RFC 3339), optional.
	ExpiresAt *time.Time `json:"expires_at"`
	// UserID: an admin may make a token for another user.
	UserID int64 `json:"user_id"`
}

// createdToken answers POST /api/v1/tokens: the token itself is shown this once.
type createdToken struct {
	*tinhso.APIToken
	Token string `json:"token"`
}

func (a *API) tokenRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/tokens", Summary: "One's own API tokens (an admin: another user's, with user_id)", Action: tinhso.ActManageTokens,
			Resp: tinhso.APIToken{}, List: true, Query: []httpx.Param{{Name: "user_id", Type: "integer", Desc: "another user's id (admin)"}}, Handler: a.listTokens},
		{Method: "POST", Path: "/api/v1/tokens", Summary: "Create an API token (shown once) with scopes; an admin may create one for another user",
			Action: tinhso.ActManageTokens, Body: tokenInput{}, Resp: createdToken{}, Status: 201, Handler: a.createToken},
		{Method: "DELETE", Path: "/api/v1/tokens/{id}", Summary: "Revoke an API token, at once", Action: tinhso.ActManageTokens, Status: 204, Handler: a.revokeToken},
	}
}

// tokenOwner is the user whose tokens a request names: the caller, or (for an admin)
// the user of userID.
func (a *API) tokenOwner(r *http.Request, userID int64) (*tinhso.User, error) {
	c := caller(r)
	if userID == 0 || userID == c.User.ID {
		if c.User.ID == 0 {
			return nil, tinhso.Invalid("user_id", "err.api.bootstrap_user")
		}
		return c.User, nil
	}
	if !c.May(tinhso.ActManageUsers) {
		return nil, tinhso.Errorf(tinhso.EFORBIDDEN, "err.api.others_tokens")
	}
	u, err := a.store.FindUser(r.Context(), userID)
	if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
		return nil, tinhso.Invalid("user_id", "err.api.user_id", userID)
	}
	return u, err
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	uid := q.Int("user_id", 1, 1<<62)
	p := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	u, err := a.tokenOwner(r, int64(uid))
	if failed(w, r, err) {
		return
	}
	all, err := a.store.FindAPITokens(r.Context(), u.ID)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, httpx.PageOf(all, p), len(all), p)
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request) {
	var in tokenInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	u, err := a.tokenOwner(r, in.UserID)
	if failed(w, r, err) {
		return
	}
	t, token, err := a.app.CreateToken(r.Context(), app.NewToken{Owner: u, Name: in.Name, Scopes: in.Scopes, ExpiresAt: in.ExpiresAt, Via: caller(r).Token, Now: a.cfg.Now()})
	if failed(w, r, err) {
		return
	}
	w.Header().Set("Location", "/api/v1/tokens/"+strconv.FormatInt(t.ID, 10))
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusCreated, createdToken{APIToken: t, Token: token})
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) {
	c := caller(r)
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	t, err := a.store.FindAPIToken(r.Context(), id)
	// Another user's token: only an admin may revoke it, and others are told it does
	// not exist.
	if err == nil && t.UserID != c.User.ID && !c.May(tinhso.ActManageUsers) {
		err = tinhso.Errorf(tinhso.ENOTFOUND, "err.token.not_found", id)
	}
	if err == nil {
		err = a.store.RevokeAPIToken(r.Context(), id, a.cfg.Now())
	}
	if failed(w, r, err) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
