package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/credential"
	"github.com/tinhso/tinhso/httpx"
)

// Sign-in and sign-out as forms, and the password change.

// loginCookie holds the sign-in form's CSRF token: the form has no session yet, so its
// token is a double submit (this cookie, SameSite=Strict and scoped to /login, against
// the form's csrf_token field).
const loginCookie = "tinhso_login"

func (u *Web) accountRoutes() []route {
	return []route{
		{"GET /login", u.loginForm},
		{"POST /login", u.loginPost},
		{"POST /logout", u.logoutPost},
		{"GET /password", u.guard(tinhso.ActSignedIn, u.passwordForm)},
		{"POST /password", u.guard(tinhso.ActSignedIn, u.passwordPost)},
	}
}

// loginData is the sign-in page's.
type loginData struct {
	CSRF     string
	Next     string
	Username string
	Error    string // a message key
	Detail   string
	Minutes  int
}

// loginToken returns the pre-session CSRF token of the sign-in form, setting its cookie
// when the browser has none.
func (u *Web) loginToken(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(loginCookie); err == nil && len(ck.Value) >= 40 && len(ck.Value) <= 64 {
		return ck.Value
	}
	tok := credential.RandomToken(32)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: tok, Path: "/login", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: u.auth.Secure(r), MaxAge: 2 * 3600})
	return tok
}

func (u *Web) renderLogin(w http.ResponseWriter, r *http.Request, status int, d loginData) {
	v := u.newView(w, r, "login")
	v.Title = v.T("login.title")
	if d.CSRF == "" {
		d.CSRF = u.loginToken(w, r)
	}
	v.D = d
	w.Header().Set("Cache-Control", "no-store")
	u.render(&httpx.NoStoreWriter{ResponseWriter: w}, r, status, "login", v)
}

// loginForm shows the sign-in form; a signed-in visitor goes on to next.
func (u *Web) loginForm(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if c, err := u.auth.Identify(r); err == nil && c != nil && c.Session != nil {
		if next == "" {
			next = home(c.User)
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	u.renderLogin(w, r, http.StatusOK, loginData{Next: next})
}

// sameOrigin reports whether a browser's Origin header, when it sends one, names this
// server.
func (u *Web) sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	scheme := "http"
	if u.auth.Secure(r) {
		scheme = "https"
	}
	return o == scheme+"://"+r.Host
}

// loginPost signs in from the form: the same checks, throttle and session as
// POST /api/v1/login (app.SignIn), then on to next (or the password change a one-time
// password needs). A wrong username and a wrong password get the same answer.
func (u *Web) loginPost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		u.renderLogin(w, r, http.StatusBadRequest, loginData{Error: "login.bad_form"})
		return
	}
	next := safeNext(r.PostForm.Get("next"))
	username := strings.ToLower(strings.TrimSpace(r.PostForm.Get("username")))
	password := r.PostForm.Get("password")
	d := loginData{Next: next, Username: tinhso.Clip(username, 64)}
	ck, err := r.Cookie(loginCookie)
	got := r.PostForm.Get("csrf_token")
	if err != nil || ck.Value == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(ck.Value)) != 1 || !u.sameOrigin(r) {
		d.Error = "login.csrf"
		u.renderLogin(w, r, http.StatusForbidden, d)
		return
	}
	d.CSRF = ck.Value
	if username == "" || password == "" {
		d.Error = "login.missing"
		u.renderLogin(w, r, http.StatusBadRequest, d)
		return
	}
	in, err := u.app.SignIn(r.Context(), u.auth.SignInRequest(r, username, password))
	if te, ok := app.IsThrottled(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(te.Seconds()))
		d.Error, d.Minutes = "login.throttled", (te.Seconds()+59)/60
		u.renderLogin(w, r, http.StatusTooManyRequests, d)
		return
	}
	switch {
	case err == app.ErrWrongPassword:
		d.Error = "login.wrong"
		u.renderLogin(w, r, http.StatusUnauthorized, d)
		return
	case tinhso.ErrorCode(err) == tinhso.EFORBIDDEN:
		// A disabled account, or one of a dissolved unit.
		d.Error = "login.inactive"
		u.renderLogin(w, r, http.StatusForbidden, d)
		return
	case err != nil:
		u.fail(w, r, nil, err)
		return
	}
	u.auth.SetSessionCookie(w, r, in.Token)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/login", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: u.auth.Secure(r), MaxAge: -1})
	w.Header().Set("Cache-Control", "no-store")
	if next == "" {
		next = home(in.User)
	}
	if in.User.MustChangePassword {
		next = "/password?next=" + url.QueryEscape(next)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logoutPost ends the session (with its CSRF token: a link elsewhere cannot sign one
// out) and goes to the board.
func (u *Web) logoutPost(w http.ResponseWriter, r *http.Request) {
	c, err := u.auth.Identify(r)
	if err != nil || c == nil || c.Session == nil {
		u.auth.ClearSessionCookie(w, r)
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if !u.auth.CSRFOK(w, r, c.Session) {
		u.csrfRefused(w, r)
		return
	}
	if err := u.store.DeleteSession(r.Context(), c.Session.ID); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	u.auth.ClearSessionCookie(w, r)
	http.Redirect(w, r, "/login?done=logout", http.StatusSeeOther)
}

// passwordData is the password page's.
type passwordData struct {
	Must  bool
	Next  string
	Error string // a message key
	Field string
	Rule  string // the password rule broken, as the domain words it
}

func (u *Web) renderPassword(w http.ResponseWriter, r *http.Request, status int, d passwordData) {
	v := u.newView(w, r, "password")
	v.Title = v.T("password.title")
	d.Must = user(r).MustChangePassword
	v.D = d
	u.render(w, r, status, "password", v)
}

func (u *Web) passwordForm(w http.ResponseWriter, r *http.Request) {
	u.renderPassword(w, r, http.StatusOK, passwordData{Next: safeNext(r.URL.Query().Get("next"))})
}

// passwordPost changes one's own password, as POST /api/v1/password does
// (app.ChangePassword): the current one checked (and throttled), the rules applied,
// other sessions ended, and the API tokens revoked when the box is ticked.
func (u *Web) passwordPost(w http.ResponseWriter, r *http.Request) {
	c := httpx.CallerFrom(r.Context())
	d := passwordData{Next: safeNext(r.PostFormValue("next"))}
	current, nw, confirm := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm")
	if c.User.ID == 0 {
		u.forbidden(w, r, "")
		return
	}
	keep := ""
	if c.Session != nil {
		keep = c.Session.ID
	}
	_, err := u.app.ChangePassword(r.Context(), app.PasswordChange{User: c.User, Current: current, New: nw, Confirm: &confirm, KeepSession: keep,
		RevokeTokens: r.PostFormValue("revoke_tokens") != "", Now: u.cfg.Now()})
	if te, ok := app.IsThrottled(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(te.Wait/time.Second))))
		d.Error, d.Field = "login.throttled_short", "current"
		u.renderPassword(w, r, http.StatusTooManyRequests, d)
		return
	}
	var e *tinhso.Error
	switch {
	case err == nil:
	case err == app.ErrWrongCurrent:
		d.Error, d.Field = "password.wrong", "current"
	case err == app.ErrSamePassword:
		d.Error, d.Field = "password.same", "new"
	case err == app.ErrPasswordMismatch:
		d.Error, d.Field = "password.mismatch", "confirm"
	case errors.As(err, &e) && e.Code == tinhso.EINVALID && e.Field == "new":
		d.Error, d.Field, d.Rule = "password.rules", "new", errText(r, e)
	default:
		u.fail(w, r, nil, err)
		return
	}
	if d.Error != "" {
		u.renderPassword(w, r, http.StatusBadRequest, d)
		return
	}
	next := d.Next
	if next == "" {
		next = home(c.User)
	}
	sep := "?"
	if strings.Contains(next, "?") {
		sep = "&"
	}
	http.Redirect(w, r, next+sep+"done=password", http.StatusSeeOther)
}
