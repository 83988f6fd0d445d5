package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
)

// Accounts: users and their verification.

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

func (a *API) userRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/users", Summary: "List accounts", Action: tinhso.ActManageUsers, List: true, Resp: tinhso.User{},
			Query: []httpx.Param{{Name: "role", Type: "string", Desc: strings.Join(tinhso.Roles, ", ")}, {Name: "org_unit", Type: "string", Desc: "an org unit's code"}}, Handler: a.listUsers},
		{Method: "POST", Path: "/api/v1/users", Summary: "Create an account with an initial password, or a one-time password answered once",
			Action: tinhso.ActManageUsers, Body: userCreateInput{}, Resp: createdUser{}, Status: 201, Handler: a.createUser},
		{Method: "GET", Path: "/api/v1/users/{id}", Summary: "An account", Action: tinhso.ActManageUsers, Resp: tinhso.User{}, Handler: a.getUser},
		{Method: "PATCH", Path: "/api/v1/users/{id}", Summary: "Change an account's name, email, role, org unit, verified or disabled",
			Action: tinhso.ActManageUsers, Body: userPatchInput{}, Resp: tinhso.User{}, Handler: a.patchUser},
		{Method: "POST", Path: "/api/v1/users/{id}/password-reset", Summary: "Give an account a new one-time password (answered once); ends its sessions and revokes its API tokens",
			Action: tinhso.ActManageUsers, Resp: passwordReset{}, Handler: a.resetPassword},
		{Method: "POST", Path: "/api/v1/users/{id}/verify", Summary: "Mark a business account verified (body {\"verified\": false} to withdraw)",
			Action: tinhso.ActVerifyBusiness, Body: verifyInput{}, Resp: tinhso.User{}, Handler: a.verifyBusiness},
	}
}

// userParam finds the user of the {id} path parameter.
func (a *API) userParam(r *http.Request) (*tinhso.User, error) {
	id, err := httpx.IDParam(r)
	if err != nil {
		return nil, err
	}
	return a.store.FindUser(r.Context(), id)
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.UserFilter{Role: q.OneOf("role", tinhso.Roles), OrgUnit: q.Str("org_unit"), Page: q.Page()}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	users, total, err := a.store.FindUsers(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, users, total, f.Page)
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := a.userParam(r)
	if failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, u.Version, u)
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) {
	var in userCreateInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	u := &tinhso.User{Username: in.Username, Name: in.Name, Email: in.Email, Role: in.Role, OrgUnit: in.OrgUnit,
		Verified: in.Verified, Disabled: in.Disabled, MustChangePassword: in.MustChangePassword == nil || *in.MustChangePassword}
	oneTime, err := a.app.CreateUser(r.Context(), u, in.Password)
	if failed(w, r, err) {
		return
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteVersioned(w, http.StatusCreated, u.Version, createdUser{User: u, OneTimePassword: oneTime})
}

func (a *API) patchUser(w http.ResponseWriter, r *http.Request) {
	version, err := httpx.IfMatch(r)
	if failed(w, r, err) {
		return
	}
	u, err := a.userParam(r)
	if failed(w, r, err) {
		return
	}
	in := userPatchInput{u.Name, u.Email, u.Role, u.OrgUnit, u.Verified, u.Disabled}
	before := in
	if err := a.decode(w, r, &in, map[string]string{"username": "the account's creation (a username cannot change)"}); failed(w, r, err) {
		return
	}
	if in == before {
		if version != 0 && version != u.Version {
			httpx.Error(w, r, tinhso.Errorf(tinhso.EPRECONDITION, "err.api.user_changed", version, u.Version))
			return
		}
		httpx.WriteVersioned(w, http.StatusOK, u.Version, u)
		return
	}
	u.Name, u.Email, u.Role, u.OrgUnit, u.Verified, u.Disabled = in.Name, in.Email, in.Role, in.OrgUnit, in.Verified, in.Disabled
	if err := a.store.UpdateUser(r.Context(), u, version); failed(w, r, err) {
		return
	}
	httpx.WriteVersioned(w, http.StatusOK, u.Version, u)
}

func (a *API) resetPassword(w http.ResponseWriter, r *http.Request) {
	u, err := a.userParam(r)
	if failed(w, r, err) {
		return
	}
	u, password, err := a.app.ResetPassword(r.Context(), u.ID)
	if failed(w, r, err) {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusOK, passwordReset{Username: u.Username, OneTimePassword: password})
}

func (a *API) verifyBusiness(w http.ResponseWriter, r *http.Request) {
	u, err := a.userParam(r)
	if failed(w, r, err) {
		return
	}
	verified := true
	if r.ContentLength != 0 {
		var in verifyInput
		if err := a.decode(w, r, &in, nil); failed(w, r, err) {
			return
		}
		if in.Verified != nil {
			verified = *in.Verified
		}
	}
	if u.Role != tinhso.RoleBusiness {
		httpx.Error(w, r, tinhso.Invalid("role", "err.api.verify_role", u.Username, u.Role))
		return
	}
	if u.Verified != verified {
		u.Verified = verified
		if err := a.store.UpdateUser(r.Context(), u, 0); failed(w, r, err) {
			return
		}
	}
	httpx.WriteVersioned(w, http.StatusOK, u.Version, u)
}

func itoa(n int) string { return strconv.Itoa(n) }
