package http

import (
	"context"
	"errors"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
)

// The pages of a signed-in user: sign-in and sign-out as forms, the password change,
// and the guard every such page goes through. They use the same sessions, CSRF tokens
// and sign-in throttle as the JSON API (auth.go, users.go).

// loginCookie holds the sign-in form's CSRF token: the form has no session yet, so its
// token is a double submit (this cookie, SameSite=Strict and scoped to /login, against
// the form's csrf_token field).
const loginCookie = "tinhso_login"

// account is the signed-in user as the page layout shows them: name, role, the pages
// the role may use, and the session's CSRF token for the forms.
type account struct {
	User  *tinhso.User
	CSRF  string
	Links []navLink
}

// navLink is an entry of the signed-in user's part of the menu.
type navLink struct {
	Href, Key, Nav string
}

// account reads the signed-in user of a page request: from the guard's context, or
// else from the request's credentials; nil for the public.
func (u *ui) account(r *http.Request) *account {
	c := callerFrom(r.Context())
	if c == nil {
		var err error
		if c, err = u.s.identify(r); err != nil || c == nil {
			return nil
		}
	}
	a := &account{User: c.user}
	if c.session != nil {
		a.CSRF = c.session.CSRFToken
	}
	if c.user.MustChangePassword && c.session != nil {
		a.Links = []navLink{{"/password", "nav.password", "password"}}
		return a
	}
	me := c.user
	add := func(action, href, key, nav string) {
		if me.Can(action) && (c.token == nil || c.token.Allows(action)) {
			a.Links = append(a.Links, navLink{href, key, nav})
		}
	}
	if me.Role == tinhso.RoleReporter {
		add(tinhso.ActReport, "/reporting", "nav.reporting", "reporting")
		add(tinhso.ActReadOwn, "/units/"+url.PathEscape(me.OrgUnit)+"/board", "nav.my_board", "unit-board")
	} else {
		add(tinhso.ActReadAll, "/reporting", "nav.reporting_all", "reporting")
	}
	add(tinhso.ActReview, "/review", "nav.review", "review")
	add(tinhso.ActManageReporting, "/admin/periods", "nav.periods", "periods")
	add(tinhso.ActReadOwn, "/notifications", "nav.notifications", "notifications")
	add(tinhso.ActManageUsers, "/admin/users", "nav.users", "users")
	add(tinhso.ActWritePlan, "/admin/org-units/import", "nav.import", "import")
	add(tinhso.ActManageTokens, "/admin/tokens", "nav.tokens", "tokens")
	return a
}

func (s *Server) registerAccountUI() {
	u := s.webUI()
	mux := s.mux
	mux.HandleFunc("GET /login", u.loginForm)
	mux.HandleFunc("POST /login", u.loginPost)
	mux.HandleFunc("POST /logout", u.logoutPost)
	mux.HandleFunc("GET /password", u.guard(tinhso.ActSignedIn, u.passwordForm))
	mux.HandleFunc("POST /password", u.guard(tinhso.ActSignedIn, u.passwordPost))
	u.registerReportingUI()
	u.registerAdminUI()
	mux.HandleFunc("GET /units/{code}/board", u.guard(tinhso.ActReadOwn, u.unitBoard))
}

// guard is require for pages: a visitor without a session is sent to /login?next=…, a
// session whose password is a one-time one to /password, a role that may not do action
// gets a 403 page, and an unsafe request without the session's CSRF token is refused
// with a 403 page before anything changes. The handler finds the user with userFrom.
func (u *ui) guard(action string, next http.HandlerFunc) http.HandlerFunc {
	return u.guarded(action, false, next)
}

// guardUpload is guard for multipart uploads, whose handler reads the CSRF token from
// the stream (checkStreamCSRF) rather than having the whole body parsed first.
func (u *ui) guardUpload(action string, next http.HandlerFunc) http.HandlerFunc {
	return u.guarded(action, true, next)
}

func (u *ui) guarded(action string, upload bool, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s := u.s
		c, err := s.identify(r)
		if err != nil && tinhso.ErrorCode(err) == tinhso.EFORBIDDEN {
			// A disabled account, or one of a dissolved unit.
			u.forbidden(w, r, tinhso.ErrorMessage(err))
			return
		}
		if err != nil || c == nil {
			if err == errSessionEnded {
				s.clearSessionCookie(w, r)
			}
			target := r.URL.RequestURI()
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				target = r.URL.Path
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(target), http.StatusSeeOther)
			return
		}
		if c.session != nil {
			if unsafeMethod(r.Method) && !upload && !s.csrfOK(w, r, c.session) {
				u.csrfRefused(w, r)
				return
			}
			if c.user.MustChangePassword && action != tinhso.ActSignedIn {
				http.Redirect(w, r, "/password?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
		}
		if !c.user.Can(action) || c.token != nil && !c.token.Allows(action) {
			u.forbidden(w, r, "")
			return
		}
		ctx := context.WithValue(withUser(r.Context(), c.user), callerKey, c)
		w.Header().Set("Cache-Control", "no-store")
		next(&noStoreWriter{ResponseWriter: w}, r.WithContext(ctx))
	}
}

// noStoreWriter keeps a signed-in page (its CSRF token, a one-time password) out of
// caches: render sets no-cache, this makes it no-store.
type noStoreWriter struct{ http.ResponseWriter }

func (w *noStoreWriter) WriteHeader(code int) {
	w.Header().Set("Cache-Control", "no-store")
	w.ResponseWriter.WriteHeader(code)
}

func (w *noStoreWriter) Write(b []byte) (int, error) { return w.ResponseWriter.Write(b) }

// Unwrap lets http.ResponseController and MaxBytesReader reach the connection.
func (w *noStoreWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// forbiddenData is the 403 page's.
type forbiddenData struct {
	Message string // why, when it is not just the role
	CSRF    bool
}

// forbidden answers a friendly 403 page.
func (u *ui) forbidden(w http.ResponseWriter, r *http.Request, msg string) {
	v := u.newView(w, r, "")
	v.Title = v.T("forbidden.title")
	v.D = forbiddenData{Message: msg}
	u.render(w, r, http.StatusForbidden, "forbidden", v)
}

// csrfRefused answers a form post without its CSRF token: nothing was changed.
func (u *ui) csrfRefused(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "")
	v.Title = v.T("forbidden.title")
	v.D = forbiddenData{CSRF: true}
	u.render(w, r, http.StatusForbidden, "forbidden", v)
}

// safeNext keeps a next= target on this site: a relative path starting with one "/",
// no scheme, no host, no backslash or control character. Anything else is "".
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\") {
		return ""
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f {
			return ""
		}
	}
	p, err := url.Parse(next)
	if err != nil || p.Scheme != "" || p.Host != "" || p.User != nil || !strings.HasPrefix(p.Path, "/") || strings.HasPrefix(p.Path, "//") {
		return ""
	}
	if p.Path == "/login" || p.Path == "/logout" {
		return ""
	}
	return next
}

// home is where a user lands after signing in without a next page.
func home(me *tinhso.User) string {
	switch {
	case me.Role == tinhso.RoleReporter:
		return "/reporting"
	case me.Can(tinhso.ActReview):
		return "/review"
	}
	return "/"
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
func (u *ui) loginToken(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(loginCookie); err == nil && len(ck.Value) >= 40 && len(ck.Value) <= 64 {
		return ck.Value
	}
	tok := randomToken(32)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: tok, Path: "/login", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: u.s.secure(r), MaxAge: 2 * 3600})
	return tok
}

func (u *ui) renderLogin(w http.ResponseWriter, r *http.Request, status int, d loginData) {
	v := u.newView(w, r, "login")
	v.Title = v.T("login.title")
	if d.CSRF == "" {
		d.CSRF = u.loginToken(w, r)
	}
	v.D = d
	w.Header().Set("Cache-Control", "no-store")
	u.render(&noStoreWriter{w}, r, status, "login", v)
}

// loginForm shows the sign-in form; a signed-in visitor goes on to next.
func (u *ui) loginForm(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if c, err := u.s.identify(r); err == nil && c != nil && c.session != nil {
		if next == "" {
			next = home(c.user)
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	u.renderLogin(w, r, http.StatusOK, loginData{Next: next})
}

// sameOrigin reports whether a browser's Origin header, when it sends one, names this
// server.
func (u *ui) sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	scheme := "http"
	if u.s.secure(r) {
		scheme = "https"
	}
	return o == scheme+"://"+r.Host
}

// loginPost signs in from the form: the same checks, throttle and session as
// POST /api/v1/login, then on to next (or the password change a one-time password
// needs). A wrong username and a wrong password get the same answer.
func (u *ui) loginPost(w http.ResponseWriter, r *http.Request) {
	s := u.s
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
	req := app.SignIn{Username: username, Password: password, Address: s.clientAddr(r), UserAgent: r.UserAgent(), Now: s.Now()}
	if old, err := r.Cookie(SessionCookie); err == nil {
		req.OldToken = old.Value
	}
	in, err := s.app.SignIn(r.Context(), req)
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
		// As the API: a disabled account, or one of a dissolved unit.
		d.Error = "login.inactive"
		u.renderLogin(w, r, http.StatusForbidden, d)
		return
	case err != nil:
		u.fail(w, r, nil, err)
		return
	}
	me, token := in.User, in.Token
	s.setSessionCookie(w, r, token)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/login", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r), MaxAge: -1})
	w.Header().Set("Cache-Control", "no-store")
	if next == "" {
		next = home(me)
	}
	if me.MustChangePassword {
		next = "/password?next=" + url.QueryEscape(next)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// logoutPost ends the session (with its CSRF token: a link elsewhere cannot sign one
// out) and goes to the board.
func (u *ui) logoutPost(w http.ResponseWriter, r *http.Request) {
	s := u.s
	c, err := s.identify(r)
	if err != nil || c == nil || c.session == nil {
		s.clearSessionCookie(w, r)
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if !s.csrfOK(w, r, c.session) {
		u.csrfRefused(w, r)
		return
	}
	if err := s.store.DeleteSession(r.Context(), c.session.ID); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	s.clearSessionCookie(w, r)
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

func (u *ui) renderPassword(w http.ResponseWriter, r *http.Request, status int, d passwordData) {
	v := u.newView(w, r, "password")
	v.Title = v.T("password.title")
	d.Must = userFrom(r.Context()).MustChangePassword
	v.D = d
	u.render(w, r, status, "password", v)
}

func (u *ui) passwordForm(w http.ResponseWriter, r *http.Request) {
	u.renderPassword(w, r, http.StatusOK, passwordData{Next: safeNext(r.URL.Query().Get("next"))})
}

// passwordPost changes one's own password, as POST /api/v1/password does: the current
// one checked (and throttled), the rules applied, other sessions ended.
func (u *ui) passwordPost(w http.ResponseWriter, r *http.Request) {
	s := u.s
	c := callerFrom(r.Context())
	d := passwordData{Next: safeNext(r.PostFormValue("next"))}
	current, nw, confirm := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm")
	if c.user.ID == 0 {
		u.forbidden(w, r, "")
		return
	}
	keep := ""
	if c.session != nil {
		keep = c.session.ID
	}
	_, err := s.app.ChangePassword(r.Context(), app.PasswordChange{User: c.user, Current: current, New: nw, Confirm: &confirm, KeepSession: keep, Now: s.Now()})
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
		d.Error, d.Field, d.Rule = "password.rules", "new", e.Message
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
		next = home(c.user)
	}
	sep := "?"
	if strings.Contains(next, "?") {
		sep = "&"
	}
	http.Redirect(w, r, next+sep+"done=password", http.StatusSeeOther)
}

// Flash returns the message key of a completed action named by ?done=, if the
// catalogue has one ("flash.saved"); anything else shows nothing.
func (v *view) Flash() string {
	pu, err := url.Parse(v.URL)
	if err != nil {
		return ""
	}
	done := pu.Query().Get("done")
	if done == "" {
		return ""
	}
	if _, ok := messages["flash."+done]; !ok {
		return ""
	}
	return "flash." + done
}

// Role names a role in the page's language.
func (v *view) Role(role string) string {
	if _, ok := messages["role."+role]; ok {
		return v.T("role." + role)
	}
	return role
}

// TOr translates key, or shows fallback when the catalogue has no such key (a kind or
// scope added later).
func (v *view) TOr(key, fallback string) string {
	if _, ok := messages[key]; ok {
		return v.T(key)
	}
	return fallback
}
