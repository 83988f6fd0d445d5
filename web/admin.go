package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/orgcsv"
)

// Administration pages: accounts, one's own API tokens, and the org-unit import. They
// apply the same rules as the JSON API (users.go, orgunits.go); passwords and tokens
// are shown once, on the answer to the post that made them, never stored in clear.

func (u *Web) adminRoutes() []route {
	return []route{
		{"GET /admin/users", u.guard(tinhso.ActManageUsers, u.users)},
		{"POST /admin/users", u.guard(tinhso.ActManageUsers, u.createUser)},
		{"GET /admin/users/{id}", u.guard(tinhso.ActManageUsers, u.user)},
		{"POST /admin/users/{id}", u.guard(tinhso.ActManageUsers, u.updateUser)},
		{"POST /admin/users/{id}/password-reset", u.guard(tinhso.ActManageUsers, u.resetPassword)},
		{"GET /admin/tokens", u.guard(tinhso.ActManageTokens, u.tokens)},
		{"POST /admin/tokens", u.guard(tinhso.ActManageTokens, u.createToken)},
		{"POST /admin/tokens/{id}/revoke", u.guard(tinhso.ActManageTokens, u.revokeToken)},
		{"GET /admin/org-units/import", u.guard(tinhso.ActWritePlan, u.importForm)},
		{"POST /admin/org-units/import", u.guardUpload(tinhso.ActWritePlan, u.importOrgUnits)},
	}
}

// userForm is an account form as typed.
type userForm struct {
	Username, Name, Email, Role, OrgUnit, Password string
	Verified, Disabled                             bool
}

type usersData struct {
	P       *app.Plan
	Users   []*tinhso.User
	Pager   pager
	Roles   []string
	F       struct{ Q, Role, OrgUnit string }
	New     userForm
	Error   string
	Created *tinhso.User
	// OneTime is a password made by the server, shown this once.
	OneTime string
}

// users lists accounts (search, role and unit filters), with the form for a new one.
func (u *Web) users(w http.ResponseWriter, r *http.Request) {
	u.renderUsers(w, r, http.StatusOK, &usersData{New: userForm{Role: tinhso.RoleReporter}})
}

func (u *Web) renderUsers(w http.ResponseWriter, r *http.Request, status int, d *usersData) {
	v := u.newView(w, r, "users")
	v.Title = v.T("users.title")
	ctx := r.Context()
	p, err := u.app.Plan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	q := r.URL.Query()
	d.P, d.Roles = p, tinhso.Roles
	d.F.Q, d.F.Role, d.F.OrgUnit = q.Get("q"), q.Get("role"), q.Get("org_unit")
	list, err := u.app.Users(ctx, p, app.UserQuery{Q: d.F.Q, Role: d.F.Role, OrgUnit: d.F.OrgUnit})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.Users, d.Pager = page(r, list)
	v.D = d
	u.render(w, r, status, "users", v)
}

// createUser makes an account; without a password typed, the server makes a one-time
// one and shows it once.
func (u *Web) createUser(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	f := userForm{Username: strings.ToLower(formValue(r, "username")), Name: formValue(r, "name"), Email: formValue(r, "email"),
		Role: formValue(r, "role"), OrgUnit: formValue(r, "org_unit"), Password: r.PostForm.Get("password")}
	d := &usersData{New: f}
	nu := &tinhso.User{Username: f.Username, Name: f.Name, Email: f.Email, Role: f.Role, OrgUnit: f.OrgUnit, MustChangePassword: true}
	oneTime, err := u.app.CreateUser(r.Context(), nu, f.Password)
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		d.Error = errText(r, err)
		d.New.Password = ""
		u.renderUsers(w, r, httpx.Status(err), d)
		return
	}
	d.Created, d.New, d.OneTime = nu, userForm{Role: nu.Role}, oneTime
	u.renderUsers(w, r, http.StatusCreated, d)
}

type userData struct {
	P       *app.Plan
	U       *tinhso.User
	F       userForm
	Roles   []string
	Error   string
	OneTime string
	Tokens  []*tinhso.APIToken
}

func (u *Web) renderUser(w http.ResponseWriter, r *http.Request, status int, d *userData) {
	v := u.newView(w, r, "users")
	v.Title = v.T("user.title", d.U.Username)
	p, err := u.app.Plan(r.Context())
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	if d.Tokens, err = u.store.FindAPITokens(r.Context(), d.U.ID); err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.P, d.Roles = p, tinhso.Roles
	v.D = d
	u.render(w, r, status, "user", v)
}

// userParam finds the account of the {id} path parameter.
func (u *Web) userParam(r *http.Request) (*tinhso.User, error) {
	id, err := httpx.IDParam(r)
	if err != nil {
		return nil, err
	}
	return u.store.FindUser(r.Context(), id)
}

// user shows an account with the form to change it and to reset its password.
func (u *Web) user(w http.ResponseWriter, r *http.Request) {
	x, err := u.userParam(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	u.renderUser(w, r, http.StatusOK, &userData{U: x, F: userForm{Name: x.Name, Email: x.Email, Role: x.Role, OrgUnit: x.OrgUnit, Verified: x.Verified, Disabled: x.Disabled}})
}

// updateUser changes name, email, role, org unit, verified and disabled; the store
// refuses to leave no enabled admin.
func (u *Web) updateUser(w http.ResponseWriter, r *http.Request) {
	x, err := u.userParam(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	f := userForm{Name: formValue(r, "name"), Email: formValue(r, "email"), Role: formValue(r, "role"), OrgUnit: formValue(r, "org_unit"),
		Verified: r.PostForm.Get("verified") == "1", Disabled: r.PostForm.Get("disabled") == "1"}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	changed := *x
	changed.Name, changed.Email, changed.Role, changed.OrgUnit, changed.Verified, changed.Disabled = f.Name, f.Email, f.Role, f.OrgUnit, f.Verified, f.Disabled
	err = changed.Validate()
	if err == nil {
		err = u.store.UpdateUser(r.Context(), &changed, version)
	}
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		u.renderUser(w, r, httpx.Status(err), &userData{U: x, F: f, Error: errText(r, err)})
		return
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(x.ID, 10)+"?done=user_saved", http.StatusSeeOther)
}

// resetPassword gives an account a new one-time password, shown this once, and ends
// its sessions.
func (u *Web) resetPassword(w http.ResponseWriter, r *http.Request) {
	x, err := u.userParam(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	x, password, err := u.app.ResetPassword(r.Context(), x.ID)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	u.renderUser(w, r, http.StatusOK, &userData{U: x, OneTime: password,
		F: userForm{Name: x.Name, Email: x.Email, Role: x.Role, OrgUnit: x.OrgUnit, Verified: x.Verified, Disabled: x.Disabled}})
}

type tokensData struct {
	Tokens  []*tinhso.APIToken
	Scopes  []string
	Name    string
	Chosen  map[string]bool
	Expires string
	Error   string
	Created *tinhso.APIToken
	// Token is the new token itself, shown this once.
	Token string
	Now   time.Time
}

// tokens lists one's own API tokens with the form for a new one.
func (u *Web) tokens(w http.ResponseWriter, r *http.Request) {
	u.renderTokens(w, r, http.StatusOK, &tokensData{Chosen: map[string]bool{}})
}

func (u *Web) renderTokens(w http.ResponseWriter, r *http.Request, status int, d *tokensData) {
	me := user(r)
	v := u.newView(w, r, "tokens")
	v.Title = v.T("tokens.title")
	if me.ID != 0 {
		var err error
		if d.Tokens, err = u.store.FindAPITokens(r.Context(), me.ID); err != nil {
			u.fail(w, r, v, err)
			return
		}
	}
	d.Scopes, d.Now = app.TokenScopes(me), u.cfg.Now()
	v.D = d
	u.render(w, r, status, "tokens", v)
}

// createToken makes a token of one's own with the scopes ticked (each one the role
// allows), shown once.
func (u *Web) createToken(w http.ResponseWriter, r *http.Request) {
	c := httpx.CallerFrom(r.Context())
	me := c.User
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	d := &tokensData{Name: formValue(r, "name"), Expires: formValue(r, "expires"), Chosen: map[string]bool{}}
	nt := app.NewToken{Owner: me, Name: d.Name, Via: c.Token, Now: u.cfg.Now()}
	for _, sc := range r.PostForm["scopes"] {
		d.Chosen[sc] = true
		nt.Scopes = append(nt.Scopes, sc)
	}
	var err error
	if me.ID == 0 {
		err = tinhso.Invalid("user_id", "err.web.bootstrap_token")
	} else if d.Expires != "" {
		day, perr := time.ParseInLocation("2006-01-02", d.Expires, tinhso.Location)
		if perr != nil {
			err = tinhso.Invalid("expires_at", "err.web.expiry")
		} else {
			exp := day.AddDate(0, 0, 1)
			nt.ExpiresAt = &exp
		}
	}
	var t *tinhso.APIToken
	var token string
	if err == nil {
		t, token, err = u.app.CreateToken(r.Context(), nt)
	}
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		d.Error = errText(r, err)
		u.renderTokens(w, r, httpx.Status(err), d)
		return
	}
	u.renderTokens(w, r, http.StatusCreated, &tokensData{Created: t, Token: token, Chosen: map[string]bool{}})
}

// revokeToken revokes one of one's own tokens at once; another's is "not found".
func (u *Web) revokeToken(w http.ResponseWriter, r *http.Request) {
	me := user(r)
	id, err := httpx.IDParam(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	t, err := u.store.FindAPIToken(r.Context(), id)
	if err == nil && t.UserID != me.ID {
		err = tinhso.Errorf(tinhso.ENOTFOUND, "err.token.not_found", id)
	}
	if err == nil {
		err = u.store.RevokeAPIToken(r.Context(), id, u.cfg.Now())
	}
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/admin/tokens?done=token_revoked", http.StatusSeeOther)
}

type importData struct {
	Error   string
	Details []string
	Done    bool
	Created int
	Updated int
}

func (u *Web) renderImport(w http.ResponseWriter, r *http.Request, status int, d *importData) {
	v := u.newView(w, r, "import")
	v.Title = v.T("import.title")
	v.D = d
	u.render(w, r, status, "org_units_import", v)
}

func (u *Web) importForm(w http.ResponseWriter, r *http.Request) {
	u.renderImport(w, r, http.StatusOK, &importData{})
}

// importOrgUnits creates org units from an uploaded CSV, all rows or none; units that
// exist are updated only by the form's second button (?update=1).
func (u *Web) importOrgUnits(w http.ResponseWriter, r *http.Request) {
	limit := int64(orgcsv.MaxBytes) + 64<<10 // the file and the form around it
	part, _, err := u.uploadPart(w, r, limit)
	if err == errUploadCSRF {
		u.csrfRefused(w, r)
		return
	}
	d := &importData{}
	if err == nil {
		var units []*tinhso.OrgUnit
		// orgcsv bounds the file (orgcsv.MaxBytes, MaxRows) and says so.
		units, err = orgcsv.Read(part)
		if err == nil {
			update := r.URL.Query().Get("update") == "1"
			d.Created, d.Updated, err = u.store.ImportOrgUnits(r.Context(), units, tinhso.OrgUnitImport{Update: update, FirstRow: 2})
		}
	}
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		d.Error, d.Details = errText(r, err), errItems(r, err)
		u.renderImport(w, r, httpx.Status(err), d)
		return
	}
	d.Done = true
	u.renderImport(w, r, http.StatusOK, d)
}
