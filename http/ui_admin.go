package http

import (
	"errors"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/orgcsv"
)

// Administration pages: accounts, one's own API tokens, and the org-unit import. They
// apply the same rules as the JSON API (users.go, orgunits.go); passwords and tokens
// are shown once, on the answer to the post that made them, never stored in clear.

func (u *ui) registerAdminUI() {
	mux := u.s.mux
	mux.HandleFunc("GET /admin/users", u.guard(tinhso.ActManageUsers, u.users))
	mux.HandleFunc("POST /admin/users", u.guard(tinhso.ActManageUsers, u.createUser))
	mux.HandleFunc("GET /admin/users/{id}", u.guard(tinhso.ActManageUsers, u.user))
	mux.HandleFunc("POST /admin/users/{id}", u.guard(tinhso.ActManageUsers, u.updateUser))
	mux.HandleFunc("POST /admin/users/{id}/password-reset", u.guard(tinhso.ActManageUsers, u.resetPassword))
	mux.HandleFunc("GET /admin/tokens", u.guard(tinhso.ActManageTokens, u.tokens))
	mux.HandleFunc("POST /admin/tokens", u.guard(tinhso.ActManageTokens, u.createToken))
	mux.HandleFunc("POST /admin/tokens/{id}/revoke", u.guard(tinhso.ActManageTokens, u.revokeToken))
	mux.HandleFunc("GET /admin/org-units/import", u.guard(tinhso.ActWritePlan, u.importForm))
	mux.HandleFunc("POST /admin/org-units/import", u.guardUpload(tinhso.ActWritePlan, u.importOrgUnits))
}

// userForm is an account form as typed.
type userForm struct {
	Username, Name, Email, Role, OrgUnit, Password string
	Verified, Disabled                             bool
}

type usersData struct {
	P       *plan
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
func (u *ui) users(w http.ResponseWriter, r *http.Request) {
	u.renderUsers(w, r, http.StatusOK, &usersData{New: userForm{Role: tinhso.RoleReporter}})
}

func (u *ui) renderUsers(w http.ResponseWriter, r *http.Request, status int, d *usersData) {
	v := u.newView(w, r, "users")
	v.Title = v.T("users.title")
	ctx := r.Context()
	p, err := u.loadPlan(ctx)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	all, err := all(func(pg tinhso.Page) ([]*tinhso.User, int, error) {
		return u.s.store.FindUsers(ctx, tinhso.UserFilter{Page: pg})
	})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	q := r.URL.Query()
	d.P, d.Roles = p, tinhso.Roles
	d.F.Q, d.F.Role, d.F.OrgUnit = q.Get("q"), q.Get("role"), q.Get("org_unit")
	m := newMatcher(d.F.Q)
	d.Users = nil
	for _, x := range all {
		if d.F.Role != "" && x.Role != d.F.Role || d.F.OrgUnit != "" && x.OrgUnit != d.F.OrgUnit {
			continue
		}
		if !m.match(x.Username, x.Name, x.Email, p.UnitName(x.OrgUnit)) {
			continue
		}
		d.Users = append(d.Users, x)
	}
	sort.SliceStable(d.Users, func(i, j int) bool { return d.Users[i].Username < d.Users[j].Username })
	d.Pager = paginate(r, len(d.Users))
	d.Users = d.Users[d.Pager.From:d.Pager.To]
	v.D = d
	u.render(w, r, status, "users", v)
}

// createUser makes an account; without a password typed, the server makes a one-time
// one and shows it once.
func (u *ui) createUser(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	f := userForm{Username: strings.ToLower(formValue(r, "username")), Name: formValue(r, "name"), Email: formValue(r, "email"),
		Role: formValue(r, "role"), OrgUnit: formValue(r, "org_unit"), Password: r.PostForm.Get("password")}
	d := &usersData{New: f}
	nu := &tinhso.User{Username: f.Username, Name: f.Name, Email: f.Email, Role: f.Role, OrgUnit: f.OrgUnit, MustChangePassword: true}
	oneTime, err := u.s.app.CreateUser(r.Context(), nu, f.Password)
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		d.Error = tinhso.ErrorMessage(err)
		d.New.Password = ""
		u.renderUsers(w, r, statusOf[tinhso.ErrorCode(err)], d)
		return
	}
	d.Created, d.New, d.OneTime = nu, userForm{Role: nu.Role}, oneTime
	u.renderUsers(w, r, http.StatusCreated, d)
}

type userData struct {
	P       *plan
	U       *tinhso.User
	F       userForm
	Roles   []string
	Error   string
	OneTime string
	Tokens  []*tinhso.APIToken
}

func (u *ui) renderUser(w http.ResponseWriter, r *http.Request, status int, d *userData) {
	v := u.newView(w, r, "users")
	v.Title = v.T("user.title", d.U.Username)
	p, err := u.loadPlan(r.Context())
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	if d.Tokens, err = u.s.store.FindAPITokens(r.Context(), d.U.ID); err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.P, d.Roles = p, tinhso.Roles
	v.D = d
	u.render(w, r, status, "user", v)
}

// user shows an account with the form to change it and to reset its password.
func (u *ui) user(w http.ResponseWriter, r *http.Request) {
	x, err := u.s.userParam(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	u.renderUser(w, r, http.StatusOK, &userData{U: x, F: userForm{Name: x.Name, Email: x.Email, Role: x.Role, OrgUnit: x.OrgUnit, Verified: x.Verified, Disabled: x.Disabled}})
}

// updateUser changes name, email, role, org unit, verified and disabled; the store
// refuses to leave no enabled admin.
func (u *ui) updateUser(w http.ResponseWriter, r *http.Request) {
	x, err := u.s.userParam(r)
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
		err = u.s.store.UpdateUser(r.Context(), &changed, version)
	}
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		u.renderUser(w, r, statusOf[tinhso.ErrorCode(err)], &userData{U: x, F: f, Error: tinhso.ErrorMessage(err)})
		return
	}
	http.Redirect(w, r, "/admin/users/"+strconv.FormatInt(x.ID, 10)+"?done=user_saved", http.StatusSeeOther)
}

// resetPassword gives an account a new one-time password, shown this once, and ends
// its sessions.
func (u *ui) resetPassword(w http.ResponseWriter, r *http.Request) {
	x, err := u.s.userParam(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	x, password, err := u.s.app.ResetPassword(r.Context(), x.ID)
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

// scopesFor lists the scopes a user may give a token: "all" and the actions its role
// allows.
func scopesFor(me *tinhso.User) []string {
	out := []string{tinhso.ScopeAll}
	for _, a := range tinhso.Actions() {
		if me.Can(a) {
			out = append(out, a)
		}
	}
	return out
}

// tokens lists one's own API tokens with the form for a new one.
func (u *ui) tokens(w http.ResponseWriter, r *http.Request) {
	u.renderTokens(w, r, http.StatusOK, &tokensData{Chosen: map[string]bool{}})
}

func (u *ui) renderTokens(w http.ResponseWriter, r *http.Request, status int, d *tokensData) {
	me := userFrom(r.Context())
	v := u.newView(w, r, "tokens")
	v.Title = v.T("tokens.title")
	if me.ID != 0 {
		var err error
		if d.Tokens, err = u.s.store.FindAPITokens(r.Context(), me.ID); err != nil {
			u.fail(w, r, v, err)
			return
		}
	}
	d.Scopes, d.Now = scopesFor(me), u.s.Now()
	v.D = d
	u.render(w, r, status, "tokens", v)
}

// createToken makes a token of one's own with the scopes ticked (each one the role
// allows), shown once.
func (u *ui) createToken(w http.ResponseWriter, r *http.Request) {
	c := callerFrom(r.Context())
	me := c.user
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	d := &tokensData{Name: formValue(r, "name"), Expires: formValue(r, "expires"), Chosen: map[string]bool{}}
	nt := app.NewToken{Owner: me, Name: d.Name, Via: c.token, Now: u.s.Now()}
	for _, sc := range r.PostForm["scopes"] {
		d.Chosen[sc] = true
		nt.Scopes = append(nt.Scopes, sc)
	}
	var err error
	if me.ID == 0 {
		err = tinhso.Invalid("user_id", "the bootstrap admin token has no account to own a token")
	} else if d.Expires != "" {
		day, perr := time.ParseInLocation("2006-01-02", d.Expires, tinhso.Location)
		if perr != nil {
			err = tinhso.Invalid("expires_at", "the expiry must be a date")
		} else {
			exp := day.AddDate(0, 0, 1)
			nt.ExpiresAt = &exp
		}
	}
	var t *tinhso.APIToken
	var token string
	if err == nil {
		t, token, err = u.s.app.CreateToken(r.Context(), nt)
	}
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		d.Error = tinhso.ErrorMessage(err)
		u.renderTokens(w, r, statusOf[tinhso.ErrorCode(err)], d)
		return
	}
	u.renderTokens(w, r, http.StatusCreated, &tokensData{Created: t, Token: token, Chosen: map[string]bool{}})
}

// revokeToken revokes one of one's own tokens at once; another's is "not found".
func (u *ui) revokeToken(w http.ResponseWriter, r *http.Request) {
	me := userFrom(r.Context())
	id, err := idParam(r)
	if err != nil {
		u.fail(w, r, nil, err)
		return
	}
	t, err := u.s.store.FindAPIToken(r.Context(), id)
	if err == nil && t.UserID != me.ID {
		err = tinhso.Errorf(tinhso.ENOTFOUND, "No token with id %d.", id)
	}
	if err == nil {
		err = u.s.store.RevokeAPIToken(r.Context(), id, u.s.Now())
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

func (u *ui) renderImport(w http.ResponseWriter, r *http.Request, status int, d *importData) {
	v := u.newView(w, r, "import")
	v.Title = v.T("import.title")
	v.D = d
	u.render(w, r, status, "org_units_import", v)
}

func (u *ui) importForm(w http.ResponseWriter, r *http.Request) {
	u.renderImport(w, r, http.StatusOK, &importData{})
}

// importOrgUnits creates or updates org units from an uploaded CSV: all rows or none.
func (u *ui) importOrgUnits(w http.ResponseWriter, r *http.Request) {
	limit := 8 * u.s.MaxBodyBytes
	part, _, err := u.uploadPart(w, r, limit)
	if err == errUploadCSRF {
		u.csrfRefused(w, r)
		return
	}
	d := &importData{}
	if err == nil {
		var units []*tinhso.OrgUnit
		units, err = orgcsv.Read(io.LimitReader(part, limit))
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			err = tinhso.Errorf(tinhso.ETOOLARGE, "The CSV file is too large.")
		}
		if err == nil {
			d.Created, d.Updated, err = u.s.store.ImportOrgUnits(r.Context(), units)
		}
	}
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
			u.fail(w, r, nil, err)
			return
		}
		d.Error = tinhso.ErrorMessage(err)
		var e *tinhso.Error
		if errors.As(err, &e) {
			d.Details = e.Details
		}
		u.renderImport(w, r, statusOf[tinhso.ErrorCode(err)], d)
		return
	}
	d.Done = true
	u.renderImport(w, r, http.StatusOK, d)
}
