package http

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
)

// Accounts: sign-in, sessions, passwords, users and API tokens.

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
}

// userCreateInput is the body of POST /api/v1/users.
type userCreateInput struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Role     string `json:"role"`
	OrgUnit  string `json:"org_unit"`
	Verified bool   `json:"verified"`
	Disabled bool   `json:"disabled"`
	// Password is the initial password; left out, a one-time password is made and
	// answered once.
	Password string `json:"password"`
	// MustChangePassword (default true): the user must change the password at first
	// sign-in.
	MustChangePassword *bool `json:"must_change_password"`
}

// userPatchInput is the body of PATCH /api/v1/users/{id}.
type userPatchInput struct {
	Name     string `json:"name"`
	Email    string `json:"email"`
	Role     string `json:"role"`
	OrgUnit  string `json:"org_unit"`
	Verified bool   `json:"verified"`
	Disabled bool   `json:"disabled"`
}

// createdUser answers POST /api/v1/users: the user, and the one-time password when the
// server made one (shown this once).
type createdUser struct {
	*tinhso.User
	OneTimePassword string `json:"one_time_password,omitempty"`
}

// passwordReset answers POST /api/v1/users/{id}/password-reset.
type passwordReset struct {
	Username        string `json:"username"`
	OneTimePassword string `json:"one_time_password"`
}

// verifyInput is the body of POST /api/v1/users/{id}/verify (none: verified).
type verifyInput struct {
	Verified *bool `json:"verified"`
}

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

func (s *Server) registerAccounts() {

	s.handle(route{method: "POST", path: "/api/v1/login", summary: "Sign in with username and password: sets the session cookie, answers the user and the CSRF token; 429 after repeated failures",
		body: loginInput{}, resp: sessionInfo{}}, s.login)
	s.handle(route{method: "POST", path: "/api/v1/logout", summary: "Sign out: ends the session", action: tinhso.ActSignedIn, status: 204}, s.logout)
	s.handle(route{method: "GET", path: "/api/v1/session", summary: "The signed-in user, and the session's CSRF token", action: tinhso.ActSignedIn, resp: sessionInfo{}},
		func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, s.sessionInfo(callerFrom(r.Context())))
		})
	s.handle(route{method: "POST", path: "/api/v1/password", summary: "Change one's own password (current and new); ends one's other sessions",
		action: tinhso.ActSignedIn, body: passwordInput{}, resp: sessionInfo{}}, s.changePassword)

	s.handle(route{method: "GET", path: "/api/v1/users", summary: "List accounts", action: tinhso.ActManageUsers, list: true, resp: tinhso.User{},
		query: []param{{"role", "string", strings.Join(tinhso.Roles, ", ")}, {"org_unit", "string", "an org unit's code"}}},
		func(w http.ResponseWriter, r *http.Request) {
			q := newQuery(r)
			f := tinhso.UserFilter{Role: q.oneOf("role", tinhso.Roles), OrgUnit: q.str("org_unit"), Page: q.page()}
			if err := q.done(); err != nil {
				Error(w, r, err)
				return
			}
			users, total, err := s.store.FindUsers(r.Context(), f)
			if err != nil {
				Error(w, r, err)
				return
			}
			writeList(w, users, total, f.Page)
		})
	s.handle(route{method: "POST", path: "/api/v1/users", summary: "Create an account with an initial password, or a one-time password answered once",
		action: tinhso.ActManageUsers, body: userCreateInput{}, resp: createdUser{}, status: 201}, s.createUser)
	s.handle(route{method: "GET", path: "/api/v1/users/{id}", summary: "An account", action: tinhso.ActManageUsers, resp: tinhso.User{}},
		func(w http.ResponseWriter, r *http.Request) {
			u, err := s.userParam(r)
			if err != nil {
				Error(w, r, err)
				return
			}
			writeVersioned(w, http.StatusOK, u.Version, u)
		})
	s.handle(route{method: "PATCH", path: "/api/v1/users/{id}", summary: "Change an account's name, email, role, org unit, verified or disabled",
		action: tinhso.ActManageUsers, body: userPatchInput{}, resp: tinhso.User{}}, s.patchUser)
	s.handle(route{method: "POST", path: "/api/v1/users/{id}/password-reset", summary: "Give an account a new one-time password (answered once); ends its sessions",
		action: tinhso.ActManageUsers, resp: passwordReset{}}, s.resetPassword)
	s.handle(route{method: "POST", path: "/api/v1/users/{id}/verify", summary: "Mark a business account verified (body {\"verified\": false} to withdraw)",
		action: tinhso.ActVerifyBusiness, body: verifyInput{}, resp: tinhso.User{}}, s.verifyBusiness)

	s.handle(route{method: "GET", path: "/api/v1/tokens", summary: "One's own API tokens (an admin: another user's, with user_id)", action: tinhso.ActManageTokens,
		resp: tinhso.APIToken{}, list: true, query: []param{{"user_id", "integer", "another user's id (admin)"}}}, s.listTokens)
	s.handle(route{method: "POST", path: "/api/v1/tokens", summary: "Create an API token (shown once) with scopes; an admin may create one for another user",
		action: tinhso.ActManageTokens, body: tokenInput{}, resp: createdToken{}, status: 201}, s.createToken)
	s.handle(route{method: "DELETE", path: "/api/v1/tokens/{id}", summary: "Revoke an API token, at once", action: tinhso.ActManageTokens, status: 204}, s.revokeToken)
}

func (s *Server) sessionInfo(c *caller) sessionInfo {
	info := sessionInfo{User: c.user, MustChangePassword: c.user.MustChangePassword, Via: "token"}
	if c.session != nil {
		info.Via, info.CSRFToken = "session", c.session.CSRFToken
		exp := c.session.ExpiresAt
		info.ExpiresAt = &exp
	} else if c.token != nil {
		info.Scopes = c.token.Scopes
		info.ExpiresAt = c.token.ExpiresAt
	}
	return info
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in loginInput
	if err := s.decode(w, r, &in, nil); err != nil {
		Error(w, r, err)
		return
	}
	req := app.SignIn{Username: in.Username, Password: in.Password, Address: s.clientAddr(r), UserAgent: r.UserAgent(), Now: s.Now()}
	if ck, err := r.Cookie(SessionCookie); err == nil {
		req.OldToken = ck.Value
	}
	in2, err := s.app.SignIn(r.Context(), req)
	if te, ok := app.IsThrottled(err); ok {
		tooManyAttempts(w, te.Wait)
		return
	}
	if err == app.ErrWrongPassword {
		w.Header().Set("WWW-Authenticate", `Bearer realm="tinhso"`)
	}
	if err != nil {
		Error(w, r, err)
		return
	}
	s.setSessionCookie(w, r, in2.Token)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, s.sessionInfo(&caller{user: in2.User, session: in2.Session}))
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c := callerFrom(r.Context()); c.session != nil {
		if err := s.store.DeleteSession(r.Context(), c.session.ID); err != nil {
			Error(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	c := callerFrom(r.Context())
	var in passwordInput
	if err := s.decode(w, r, &in, nil); err != nil {
		Error(w, r, err)
		return
	}
	if c.user.ID == 0 {
		Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "The bootstrap admin token has no account whose password could change."))
		return
	}
	if c.token != nil {
		// A script's token must not be able to lock its person out of the browser.
		Error(w, r, tinhso.Errorf(tinhso.EFORBIDDEN, "Change a password signed in with it, not with an API token."))
		return
	}
	keep := ""
	if c.session != nil {
		keep = c.session.ID
	}
	u, err := s.app.ChangePassword(r.Context(), app.PasswordChange{User: c.user, Current: in.Current, New: in.New, KeepSession: keep, Now: s.Now()})
	if te, ok := app.IsThrottled(err); ok {
		tooManyAttempts(w, te.Wait)
		return
	}
	if err != nil {
		Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.sessionInfo(&caller{user: u, session: c.session, token: c.token}))
}

func (s *Server) userParam(r *http.Request) (*tinhso.User, error) {
	id, err := idParam(r)
	if err != nil {
		return nil, err
	}
	return s.store.FindUser(r.Context(), id)
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	var in userCreateInput
	if err := s.decode(w, r, &in, nil); err != nil {
		Error(w, r, err)
		return
	}
	u := &tinhso.User{Username: in.Username, Name: in.Name, Email: in.Email, Role: in.Role, OrgUnit: in.OrgUnit,
		Verified: in.Verified, Disabled: in.Disabled, MustChangePassword: in.MustChangePassword == nil || *in.MustChangePassword}
	oneTime, err := s.app.CreateUser(r.Context(), u, in.Password)
	if err != nil {
		Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	w.Header().Set("Cache-Control", "no-store")
	writeVersioned(w, http.StatusCreated, u.Version, createdUser{User: u, OneTimePassword: oneTime})
}

func (s *Server) patchUser(w http.ResponseWriter, r *http.Request) {
	version, err := ifMatch(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	u, err := s.userParam(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	in := userPatchInput{u.Name, u.Email, u.Role, u.OrgUnit, u.Verified, u.Disabled}
	before := in
	if err := s.decode(w, r, &in, map[string]string{"username": "the account's creation (a username cannot change)"}); err != nil {
		Error(w, r, err)
		return
	}
	if in == before {
		if version != 0 && version != u.Version {
			Error(w, r, tinhso.Errorf(tinhso.EPRECONDITION, "The user has changed since version %d (now %d); fetch it again.", version, u.Version))
			return
		}
		writeVersioned(w, http.StatusOK, u.Version, u)
		return
	}
	u.Name, u.Email, u.Role, u.OrgUnit, u.Verified, u.Disabled = in.Name, in.Email, in.Role, in.OrgUnit, in.Verified, in.Disabled
	if err := s.store.UpdateUser(r.Context(), u, version); err != nil {
		Error(w, r, err)
		return
	}
	writeVersioned(w, http.StatusOK, u.Version, u)
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) {
	u, err := s.userParam(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	u, password, err := s.app.ResetPassword(r.Context(), u.ID)
	if err != nil {
		Error(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, passwordReset{Username: u.Username, OneTimePassword: password})
}

func (s *Server) verifyBusiness(w http.ResponseWriter, r *http.Request) {
	u, err := s.userParam(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	verified := true
	if r.ContentLength != 0 {
		var in verifyInput
		if err := s.decode(w, r, &in, nil); err != nil {
			Error(w, r, err)
			return
		}
		if in.Verified != nil {
			verified = *in.Verified
		}
	}
	if u.Role != tinhso.RoleBusiness {
		Error(w, r, tinhso.Invalid("role", "only business accounts are verified; %s is a %s account", u.Username, u.Role))
		return
	}
	if u.Verified != verified {
		u.Verified = verified
		if err := s.store.UpdateUser(r.Context(), u, 0); err != nil {
			Error(w, r, err)
			return
		}
	}
	writeVersioned(w, http.StatusOK, u.Version, u)
}

// tokenOwner is the user whose tokens a request names: the caller, or (for an admin)
// the user of userID.
func (s *Server) tokenOwner(r *http.Request, userID int64) (*tinhso.User, error) {
	c := callerFrom(r.Context())
	if userID == 0 || userID == c.user.ID {
		if c.user.ID == 0 {
			return nil, tinhso.Invalid("user_id", "the bootstrap admin token has no account: give user_id")
		}
		return c.user, nil
	}
	if !c.user.Can(tinhso.ActManageUsers) || c.token != nil && !c.token.Allows(tinhso.ActManageUsers) {
		return nil, tinhso.Errorf(tinhso.EFORBIDDEN, "Only an admin may see or make another user's tokens.")
	}
	u, err := s.store.FindUser(r.Context(), userID)
	if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
		return nil, tinhso.Invalid("user_id", "no user with id %d", userID)
	}
	return u, err
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r)
	uid := q.int("user_id", 1, 1<<62)
	p := q.page()
	if err := q.done(); err != nil {
		Error(w, r, err)
		return
	}
	u, err := s.tokenOwner(r, int64(uid))
	if err != nil {
		Error(w, r, err)
		return
	}
	all, err := s.store.FindAPITokens(r.Context(), u.ID)
	if err != nil {
		Error(w, r, err)
		return
	}
	writeList(w, pageOf(all, p), len(all), p)
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	c := callerFrom(r.Context())
	var in tokenInput
	if err := s.decode(w, r, &in, nil); err != nil {
		Error(w, r, err)
		return
	}
	u, err := s.tokenOwner(r, in.UserID)
	if err != nil {
		Error(w, r, err)
		return
	}
	t, token, err := s.app.CreateToken(r.Context(), app.NewToken{Owner: u, Name: in.Name, Scopes: in.Scopes, ExpiresAt: in.ExpiresAt, Via: c.token, Now: s.Now()})
	if err != nil {
		Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/tokens/"+strconv.FormatInt(t.ID, 10))
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, createdToken{APIToken: t, Token: token})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	c := callerFrom(r.Context())
	id, err := idParam(r)
	if err != nil {
		Error(w, r, err)
		return
	}
	t, err := s.store.FindAPIToken(r.Context(), id)
	if err == nil && t.UserID != c.user.ID {
		// Another user's token: only an admin may revoke it, and others are told it
		// does not exist.
		if !c.user.Can(tinhso.ActManageUsers) || c.token != nil && !c.token.Allows(tinhso.ActManageUsers) {
			err = tinhso.Errorf(tinhso.ENOTFOUND, "No token with id %d.", id)
		}
	}
	if err == nil {
		err = s.store.RevokeAPIToken(r.Context(), id, s.Now())
	}
	if err != nil {
		Error(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
