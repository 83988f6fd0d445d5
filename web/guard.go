package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/httpx"
)

// The guard every signed-in page goes through, and what the layout shows of the
// signed-in user. Pages use the same sessions, CSRF tokens and sign-in throttle as the
// JSON API (httpx, app).

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
func (u *Web) account(r *http.Request) *account {
	c := u.auth.Caller(r)
	if c == nil {
		return nil
	}
	a := &account{User: c.User}
	if c.Session != nil {
		a.CSRF = c.Session.CSRFToken
	}
	if c.User.MustChangePassword && c.Session != nil {
		a.Links = []navLink{{"/password", "nav.password", "password"}}
		return a
	}
	me := c.User
	add := func(action, href, key, nav string) {
		if c.May(action) {
			a.Links = append(a.Links, navLink{href, key, nav})
		}
	}
	if me.Role == tinhso.RoleReporter {
		add(tinhso.ActReport, "/reporting", "nav.reporting", "reporting")
		add(tinhso.ActReadOwn, "/units/"+url.PathEscape(me.OrgUnit)+"/board", "nav.my_board", "unit-board")
	} else {
		add(tinhso.ActReadAll, "/reporting", "nav.reporting_all", "reporting")
	}
	add(tinhso.ActReadAll, "/review", "nav.review", "review")
	add(tinhso.ActManageReporting, "/admin/periods", "nav.periods", "periods")
	add(tinhso.ActReadSeries, "/series", "live.nav", "series")
	add(tinhso.ActReadOwn, "/notifications", "nav.notifications", "notifications")
	add(tinhso.ActReadAlerts, "/alerts", "alerts.nav", "alerts")
	add(tinhso.ActManageUsers, "/admin/users", "nav.users", "users")
	add(tinhso.ActWritePlan, "/admin/org-units/import", "nav.import", "import")
	add(tinhso.ActWritePlan, "/admin/successions", "i9.nav.successions", "successions")
	add(tinhso.ActManageTokens, "/admin/tokens", "nav.tokens", "tokens")
	add(tinhso.ActManageDelivery, "/admin/webhooks", "alerts.nav_webhooks", "webhooks")
	add(tinhso.ActManageDelivery, "/admin/smtp", "alerts.nav_smtp", "smtp")
	add(tinhso.ActSignedIn, "/account/notifications", "alerts.nav_prefs", "notify-prefs")
	if c.May(tinhso.ActReadAssessment) || c.May(tinhso.ActManageAssessment) || c.May(tinhso.ActSelfAssess) {
		a.Links = append(a.Links, navLink{"/assessment", "assessment.nav.assessment", "assessment"})
	}
	add(tinhso.ActReviewAssessment, "/assessment/review", "assessment.queue.title", "assessment-review")
	return a
}

// guard is httpx.Auth.Require for pages: a visitor without a session is sent to
// /login?next=…, a session whose password is a one-time one to /password, a role that
// may not do action gets a 403 page, and an unsafe request without the session's CSRF
// token is refused with a 403 page before anything changes. The handler finds the user
// with user(r).
func (u *Web) guard(action string, next http.HandlerFunc) http.HandlerFunc {
	return u.guarded(action, false, next)
}

// guardUpload is guard for multipart uploads, whose handler reads the CSRF token from
// the stream (uploadPart) rather than having the whole body parsed first.
func (u *Web) guardUpload(action string, next http.HandlerFunc) http.HandlerFunc {
	return u.guarded(action, true, next)
}

func (u *Web) guarded(action string, upload bool, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := u.auth.Identify(r)
		if err != nil && tinhso.ErrorCode(err) == tinhso.EFORBIDDEN {
			// A disabled account, or one of a dissolved unit.
			u.forbidden(w, r, errText(r, err))
			return
		}
		if err != nil || c == nil {
			if err == httpx.ErrSessionEnded {
				u.auth.ClearSessionCookie(w, r)
			}
			target := r.URL.RequestURI()
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				target = r.URL.Path
			}
			http.Redirect(w, r, "/login?next="+url.QueryEscape(target), http.StatusSeeOther)
			return
		}
		if c.Session != nil {
			if httpx.UnsafeMethod(r.Method) && !upload && !u.auth.CSRFOK(w, r, c.Session) {
				u.csrfRefused(w, r)
				return
			}
			if c.User.MustChangePassword && action != tinhso.ActSignedIn {
				http.Redirect(w, r, "/password?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
		}
		if !c.User.Can(action) || c.Token != nil && !c.Token.Allows(action) {
			u.forbidden(w, r, "")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		next(&httpx.NoStoreWriter{ResponseWriter: w}, r.WithContext(httpx.WithCaller(r.Context(), c)))
	}
}

// forbiddenData is the 403 page's.
type forbiddenData struct {
	Message string // why, when it is not just the role
	CSRF    bool
}

// forbidden answers a friendly 403 page.
func (u *Web) forbidden(w http.ResponseWriter, r *http.Request, msg string) {
	v := u.newView(w, r, "")
	v.Title = v.T("forbidden.title")
	v.D = forbiddenData{Message: msg}
	u.render(w, r, http.StatusForbidden, "forbidden", v)
}

// csrfRefused answers a form post without its CSRF token: nothing was changed.
func (u *Web) csrfRefused(w http.ResponseWriter, r *http.Request) {
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
