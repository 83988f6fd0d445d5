package server_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

const testPassword = "mật khẩu đủ dài 2026"

// browser is a signed-in client: it sends the session cookie, and the CSRF token with
// unsafe methods.
type browser struct {
	a      *testAPI
	cookie string
	csrf   string
}

func (b *browser) do(tb testing.TB, method, path string, body any, headers ...string) response {
	tb.Helper()
	h := []string{"Cookie", "tinhso_session=" + b.cookie}
	if method != "GET" && b.csrf != "" {
		h = append(h, "X-CSRF-Token", b.csrf)
	}
	return b.a.do(tb, method, path, body, append(h, headers...)...)
}

func sessionCookie(r response) *http.Cookie {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == "tinhso_session" {
			return c
		}
	}
	return nil
}

// login signs in and returns the browser and the response.
func login(tb testing.TB, a *testAPI, username, password string, headers ...string) (*browser, response) {
	tb.Helper()
	r := a.do(tb, "POST", "/api/v1/login", map[string]any{"username": username, "password": password}, headers...)
	b := &browser{a: a}
	if c := sessionCookie(r); c != nil {
		b.cookie = c.Value
	}
	if r.status == 200 {
		b.csrf, _ = r.json(tb)["csrf_token"].(string)
	}
	return b, r
}

// mustLogin signs in a user whose password need not change.
func mustLogin(tb testing.TB, a *testAPI, username, password string) *browser {
	tb.Helper()
	b, r := login(tb, a, username, password)
	if r.status != 200 || b.cookie == "" || b.csrf == "" {
		tb.Fatalf("login %s: %d %s", username, r.status, r.body)
	}
	return b
}

// mustUser creates an account through the bootstrap admin token, with testPassword
// that need not change; it returns the user's id.
func mustUser(tb testing.TB, a *testAPI, username, role, orgUnit string) int {
	tb.Helper()
	r := a.admin(tb, "POST", "/api/v1/users", map[string]any{"username": username, "name": "Người dùng " + username, "role": role,
		"org_unit": orgUnit, "password": testPassword, "must_change_password": false})
	if r.status != 201 {
		tb.Fatalf("create user %s: %d %s", username, r.status, r.body)
	}
	return int(r.json(tb)["id"].(float64))
}

// mustToken makes an API token for a user through the bootstrap admin token.
func mustToken(tb testing.TB, a *testAPI, userID int, scopes ...string) (token string, id int) {
	tb.Helper()
	r := a.admin(tb, "POST", "/api/v1/tokens", map[string]any{"name": "script", "scopes": scopes, "user_id": userID})
	if r.status != 201 {
		tb.Fatalf("create token: %d %s", r.status, r.body)
	}
	m := r.json(tb)
	return m["token"].(string), int(m["id"].(float64))
}

func bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }

// fakeClock is a test clock the server reads without races.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock(a *testAPI) *fakeClock {
	c := &fakeClock{}
	c.ns.Store(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).UnixNano())
	a.cfg.Now = func() time.Time { return time.Unix(0, c.ns.Load()).UTC() }
	return c
}

func (c *fakeClock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// Sign-in: the right password gives a session cookie (HttpOnly, SameSite=Lax, Path=/,
// Secure only under TLS or a trusted proxy's https) and a CSRF token; a wrong password
// and an unknown user get the same answer; disabled accounts and accounts of dissolved
// units are refused with a clear message.
func TestLogin(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		mustUser(t, a, "lanh-dao", "leader", "")
		off := mustUser(t, a, "nghi-viec", "leader", "")
		// A unit dissolved after its account was made (no account can be made for a
		// dissolved one).
		if r := a.admin(t, "POST", "/api/v1/org-units", `{"code":"so-sap-nhap","name":"Sở sắp nhập","kind":"department"}`); r.status != 201 {
			t.Fatalf("unit: %d %s", r.status, r.body)
		}
		mustUser(t, a, "huyen-cu", "reporter", "so-sap-nhap")
		if r := a.admin(t, "PATCH", "/api/v1/org-units/so-sap-nhap", `{"dissolved":"2025"}`); r.status != 200 {
			t.Fatalf("dissolve: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "PATCH", fmt.Sprintf("/api/v1/users/%d", off), map[string]any{"disabled": true}); r.status != 200 {
			t.Fatalf("disable: %d %s", r.status, r.body)
		}
		cases := []struct {
			name, username, password string
			status                   int
			msg                      string
		}{
			{"right password", "lanh-dao", testPassword, 200, ""},
			{"username in capitals", "LANH-DAO", testPassword, 200, ""},
			{"wrong password", "lanh-dao", "wrong password 123", 401, "Wrong username or password."},
			{"unknown user", "khong-ai", testPassword, 401, "Wrong username or password."},
			{"no password", "lanh-dao", "", 400, "give username and password"},
			{"disabled", "nghi-viec", testPassword, 403, "disabled"},
			{"dissolved unit", "huyen-cu", testPassword, 403, "dissolved"},
		}
		for _, c := range cases {
			b, r := login(t, a, c.username, c.password)
			if r.status != c.status || !strings.Contains(fmt.Sprint(r.json(t)["error"]), c.msg) {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
				continue
			}
			if c.status != 200 {
				if b.cookie != "" {
					t.Errorf("%s: a refused sign-in set a cookie", c.name)
				}
				continue
			}
			ck := sessionCookie(r)
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure || len(ck.Value) < 40 {
				t.Errorf("%s: cookie %+v", c.name, ck)
			}
			m := r.json(t)
			if m["must_change_password"] != false || m["user"].(map[string]any)["username"] != "lanh-dao" || len(m["csrf_token"].(string)) < 40 {
				t.Errorf("%s: %s", c.name, r.body)
			}
			if s := b.do(t, "GET", "/api/v1/session", nil); s.status != 200 || s.json(t)["csrf_token"] != b.csrf || s.json(t)["via"] != "session" {
				t.Errorf("%s: session: %d %s", c.name, s.status, s.body)
			}
		}
		// The same two failures answer byte for byte alike.
		_, r1 := login(t, a, "lanh-dao", "wrong password 123")
		_, r2 := login(t, a, "khong-ai", "wrong password 123")
		if string(r1.body) != string(r2.body) {
			t.Errorf("wrong password and unknown user answer differently:\n%s\n%s", r1.body, r2.body)
		}
		// Secure cookie behind a trusted proxy's https only.
		if _, r := login(t, a, "lanh-dao", testPassword, "X-Forwarded-Proto", "https"); sessionCookie(r).Secure {
			t.Errorf("X-Forwarded-Proto believed without --trust-proxy")
		}
		a.cfg.TrustProxy = true
		if _, r := login(t, a, "lanh-dao", testPassword, "X-Forwarded-Proto", "https"); !sessionCookie(r).Secure {
			t.Errorf("no Secure cookie behind a trusted https proxy")
		}
	})
}

// Session fixation: a cookie the request brings is never adopted; every sign-in makes
// a new session, and the one brought is ended.
func TestSessionRotation(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		mustUser(t, a, "nguoi-a", "leader", "")
		mustUser(t, a, "nguoi-b", "leader", "")
		planted := "attacker-chosen-session-value-0123456789abcdef"
		b1, r := login(t, a, "nguoi-a", testPassword, "Cookie", "tinhso_session="+planted)
		if r.status != 200 || b1.cookie == planted || b1.cookie == "" {
			t.Fatalf("login with a planted cookie: %d, cookie %q", r.status, b1.cookie)
		}
		if s := (&browser{a: a, cookie: planted}).do(t, "GET", "/api/v1/session", nil); s.status != 401 {
			t.Errorf("planted cookie signs in: %d", s.status)
		}
		// A second sign-in from the same browser (someone else's session planted in it)
		// gets a new session; the old one ends.
		b2, r := login(t, a, "nguoi-b", testPassword, "Cookie", "tinhso_session="+b1.cookie)
		if r.status != 200 || b2.cookie == b1.cookie || b2.csrf == b1.csrf {
			t.Fatalf("second login: %d, same cookie %v", r.status, b2.cookie == b1.cookie)
		}
		if s := b1.do(t, "GET", "/api/v1/session", nil); s.status != 401 {
			t.Errorf("the session brought to sign-in lives on: %d", s.status)
		}
		if s := b2.do(t, "GET", "/api/v1/session", nil); s.status != 200 || s.json(t)["user"].(map[string]any)["username"] != "nguoi-b" {
			t.Errorf("new session: %d %s", s.status, s.body)
		}
	})
}

// Sessions end by sign-out, by idleness and at their absolute limit.
func TestSessionEnds(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		clock := newFakeClock(a)
		mustUser(t, a, "lanh-dao", "leader", "")

		b := mustLogin(t, a, "lanh-dao", testPassword)
		if r := (&browser{a: a, cookie: b.cookie}).do(t, "POST", "/api/v1/logout", nil); r.status != 403 {
			t.Errorf("logout without CSRF token: %d", r.status)
		}
		if r := b.do(t, "POST", "/api/v1/logout", nil); r.status != 204 || sessionCookie(r) == nil || sessionCookie(r).MaxAge >= 0 {
			t.Errorf("logout: %d %v", r.status, r.header)
		}
		if r := b.do(t, "GET", "/api/v1/session", nil); r.status != 401 {
			t.Errorf("session after logout: %d", r.status)
		}

		// Idle: used every 7 hours, it lives; 8 hours unused, it ends.
		b = mustLogin(t, a, "lanh-dao", testPassword)
		for i := 0; i < 3; i++ {
			clock.advance(7 * time.Hour)
			if r := b.do(t, "GET", "/api/v1/session", nil); r.status != 200 {
				t.Fatalf("session used every 7 h ended after %d uses: %d %s", i+1, r.status, r.body)
			}
		}
		clock.advance(8*time.Hour + time.Second)
		if r := b.do(t, "GET", "/api/v1/session", nil); r.status != 401 || !strings.Contains(string(r.body), "sign in again") {
			t.Errorf("idle session: %d %s", r.status, r.body)
		}
		// Absolute: 7 days after sign-in, however busy.
		b = mustLogin(t, a, "lanh-dao", testPassword)
		for i := 0; i < 23; i++ {
			clock.advance(7 * time.Hour)
			if r := b.do(t, "GET", "/api/v1/session", nil); r.status != 200 {
				t.Fatalf("busy session ended after %d h: %d", 7*(i+1), r.status)
			}
		}
		clock.advance(7 * time.Hour) // 168 h
		if r := b.do(t, "GET", "/api/v1/session", nil); r.status != 401 {
			t.Errorf("session past 7 days: %d", r.status)
		}
	})
}

// CSRF: a session's unsafe request without its token, or with a wrong one, is refused
// with 403 and changes nothing; the header or the form field lets it through; Bearer
// tokens need none.
func TestCSRF(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		mustUser(t, a, "quan-tri", "admin", "")
		b := mustLogin(t, a, "quan-tri", testPassword)
		unit := func(code string) map[string]any {
			return map[string]any{"code": code, "name": "Đơn vị " + code, "kind": "other"}
		}
		noCSRF := &browser{a: a, cookie: b.cookie}
		wrong := &browser{a: a, cookie: b.cookie, csrf: "wrong-" + b.csrf}
		otherSession := mustLogin(t, a, "quan-tri", testPassword)
		cross := &browser{a: a, cookie: b.cookie, csrf: otherSession.csrf}
		for _, c := range []struct {
			name   string
			do     func() response
			status int
		}{
			{"POST without token", func() response { return noCSRF.do(t, "POST", "/api/v1/org-units", unit("csrf-1")) }, 403},
			{"POST with a wrong token", func() response { return wrong.do(t, "POST", "/api/v1/org-units", unit("csrf-1")) }, 403},
			{"POST with another session's token", func() response { return cross.do(t, "POST", "/api/v1/org-units", unit("csrf-1")) }, 403},
			{"PATCH without token", func() response {
				return noCSRF.do(t, "PATCH", "/api/v1/org-units/van-phong-ubnd-tinh", map[string]any{"name": "Đổi"})
			}, 403},
			{"DELETE without token", func() response { return noCSRF.do(t, "DELETE", "/api/v1/tokens/1", nil) }, 403},
			{"form with a wrong field", func() response {
				return a.do(t, "POST", "/api/v1/users/1/password-reset", "csrf_token=nope", "Cookie", "tinhso_session="+b.cookie, "Content-Type", "application/x-www-form-urlencoded")
			}, 403},
		} {
			r := c.do()
			if r.status != c.status {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
			} else if !strings.Contains(string(r.body), "CSRF") {
				t.Errorf("%s: message does not name CSRF: %s", c.name, r.body)
			}
		}
		if r := a.do(t, "GET", "/api/v1/org-units/csrf-1", nil); r.status != 404 {
			t.Errorf("a refused request created the unit: %d", r.status)
		}
		if r := a.do(t, "GET", "/api/v1/org-units/van-phong-ubnd-tinh", nil); r.json(t)["name"] == "Đổi" {
			t.Errorf("a refused PATCH changed the unit")
		}
		if r := b.do(t, "POST", "/api/v1/org-units", unit("csrf-2")); r.status != 201 {
			t.Errorf("POST with the header: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "POST", "/api/v1/org-units", unit("csrf-3")); r.status != 201 {
			t.Errorf("Bearer POST without CSRF token: %d %s", r.status, r.body)
		}
		// The form field works for a form post.
		r := a.do(t, "POST", "/api/v1/logout", "csrf_token="+b.csrf, "Cookie", "tinhso_session="+b.cookie, "Content-Type", "application/x-www-form-urlencoded")
		if r.status != 204 {
			t.Errorf("form logout with csrf_token: %d %s", r.status, r.body)
		}
	})
}

// API tokens: a request may do an action only if the role allows it and the scopes
// name it; revocation and expiry take effect at once; a token never gets scopes its
// user's role lacks.
func TestTokenScopes(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		clock := newFakeClock(a)
		admin := mustUser(t, a, "quan-tri", "admin", "")
		rep := mustUser(t, a, "bao-cao", "reporter", "van-phong-ubnd-tinh")
		narrow, _ := mustToken(t, a, admin, "tokens:manage")
		writer, writerID := mustToken(t, a, admin, "plan:write")
		all, _ := mustToken(t, a, admin, "all")
		repAll, _ := mustToken(t, a, rep, "all")
		unit := func(code string) map[string]any {
			return map[string]any{"code": code, "name": "Đơn vị", "kind": "other"}
		}

		if !strings.HasPrefix(writer, "tsk_") || len(writer) != 4+43 {
			t.Errorf("token format: %q", writer)
		}
		for _, c := range []struct {
			name, token, code string
			status            int
		}{
			{"scope without plan:write", narrow, "tok-1", 403},
			{"reporter token with all", repAll, "tok-2", 403},
			{"scope plan:write", writer, "tok-3", 201},
			{"scope all", all, "tok-4", 201},
			{"unknown tsk_ token", "tsk_" + strings.Repeat("A", 43), "tok-5", 401},
		} {
			if r := a.do(t, "POST", "/api/v1/org-units", unit(c.code), bearer(c.token)...); r.status != c.status {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
			}
		}
		if r := a.do(t, "GET", "/api/v1/org-units/tok-1", nil); r.status != 404 {
			t.Errorf("the refused token created a unit")
		}
		// Scopes the role lacks are refused at creation; so are unknown scopes, and a
		// token cannot give more than it has.
		for _, c := range []struct {
			name  string
			token string
			body  map[string]any
		}{
			{"reporter with plan:write", "", map[string]any{"name": "x", "scopes": []string{"plan:write"}, "user_id": rep}},
			{"unknown scope", "", map[string]any{"name": "x", "scopes": []string{"root"}, "user_id": rep}},
			{"no scopes", "", map[string]any{"name": "x", "scopes": []string{}, "user_id": rep}},
			{"expired at creation", "", map[string]any{"name": "x", "scopes": []string{"all"}, "user_id": rep, "expires_at": "2020-01-01T00:00:00Z"}},
			{"more than the token has", narrow, map[string]any{"name": "x", "scopes": []string{"plan:write"}}},
		} {
			h := bearer(adminToken)
			if c.token != "" {
				h = bearer(c.token)
			}
			if r := a.do(t, "POST", "/api/v1/tokens", c.body, h...); r.status != 400 {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
			}
		}
		// Revocation takes effect at once.
		if r := a.do(t, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", writerID), nil, bearer(writer)...); r.status != 403 {
			t.Errorf("revoking with a token lacking tokens:manage: %d", r.status)
		}
		if r := a.do(t, "DELETE", fmt.Sprintf("/api/v1/tokens/%d", writerID), nil, bearer(narrow)...); r.status != 204 {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
		r := a.do(t, "POST", "/api/v1/org-units", unit("tok-6"), bearer(writer)...)
		if r.status != 401 || !strings.Contains(string(r.body), "revoked") {
			t.Errorf("revoked token: %d %s", r.status, r.body)
		}
		// Expiry.
		exp, _ := mustTokenExpiring(t, a, admin, clock, time.Hour)
		if r := a.do(t, "GET", "/api/v1/session", nil, bearer(exp)...); r.status != 200 || r.json(t)["via"] != "token" {
			t.Errorf("fresh token: %d %s", r.status, r.body)
		}
		clock.advance(time.Hour)
		if r := a.do(t, "GET", "/api/v1/session", nil, bearer(exp)...); r.status != 401 || !strings.Contains(string(r.body), "expired") {
			t.Errorf("expired token: %d %s", r.status, r.body)
		}
		// Lists show no token and no hash; a reporter sees only its own.
		r = a.do(t, "GET", "/api/v1/tokens", nil, bearer(all)...)
		if total(t, r) != 4 || strings.Contains(string(r.body), writer) || strings.Contains(string(r.body), "hash") {
			t.Errorf("token list: %s", r.body)
		}
		if n := total(t, a.do(t, "GET", "/api/v1/tokens", nil, bearer(repAll)...)); n != 1 {
			t.Errorf("reporter sees %d tokens", n)
		}
		// A disabled user's tokens stop working, with a clear message.
		a.admin(t, "PATCH", fmt.Sprintf("/api/v1/users/%d", rep), map[string]any{"disabled": true})
		if r := a.do(t, "GET", "/api/v1/session", nil, bearer(repAll)...); r.status != 403 || !strings.Contains(string(r.body), "disabled") {
			t.Errorf("disabled user's token: %d %s", r.status, r.body)
		}
	})
}

func mustTokenExpiring(tb testing.TB, a *testAPI, userID int, clock *fakeClock, d time.Duration) (string, int) {
	tb.Helper()
	exp := time.Unix(0, clock.ns.Load()).Add(d).UTC().Format(time.RFC3339Nano)
	r := a.admin(tb, "POST", "/api/v1/tokens", map[string]any{"name": "kurz", "scopes": []string{"all"}, "user_id": userID, "expires_at": exp})
	if r.status != 201 {
		tb.Fatalf("create expiring token: %d %s", r.status, r.body)
	}
	return r.json(tb)["token"].(string), int(r.json(tb)["id"].(float64))
}

// Throttling: after 5 failed sign-ins of an account within 15 minutes the 6th attempt
// is refused with 429 and Retry-After, even with the right password, whether or not
// the account exists; a success resets the account's count; a client address that
// fails across many accounts is throttled too.
func TestLoginThrottle(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		clock := newFakeClock(a)
		mustUser(t, a, "lanh-dao", "leader", "")
		for _, user := range []string{"lanh-dao", "khong-ai"} {
			for i := 1; i <= 5; i++ {
				if _, r := login(t, a, user, "wrong password 123"); r.status != 401 {
					t.Fatalf("%s: failure %d: %d %s", user, i, r.status, r.body)
				}
				clock.advance(time.Minute)
			}
			_, r := login(t, a, user, testPassword)
			retry, _ := strconv.Atoi(r.header.Get("Retry-After"))
			if r.status != 429 || retry < 1 || retry > 15*60 {
				t.Fatalf("%s: 6th attempt: %d Retry-After %q %s", user, r.status, r.header.Get("Retry-After"), r.body)
			}
		}
		// The first failure was at +0; at +15 min + 1 s the oldest has aged out.
		clock.advance(10*time.Minute + time.Second)
		if _, r := login(t, a, "lanh-dao", testPassword); r.status != 200 {
			t.Fatalf("after the window: %d %s", r.status, r.body)
		}
		// A success resets the account: 4 failures, a success, 4 failures: no 429.
		for round := 0; round < 2; round++ {
			for i := 0; i < 4; i++ {
				if _, r := login(t, a, "lanh-dao", "wrong password 123"); r.status != 401 {
					t.Fatalf("round %d failure %d: %d", round, i, r.status)
				}
			}
			if round == 0 {
				if _, r := login(t, a, "lanh-dao", testPassword); r.status != 200 {
					t.Fatalf("success between rounds: %d %s", r.status, r.body)
				}
			}
		}

		// Per address: with a limit of 3, a 4th account tried from the address waits.
		b := mustOpenAPI(t, engine)
		policy := b.app.SignInPolicy()
		policy.MaxAddressFailures = 3
		b.app.SetSignInPolicy(policy)
		for i := 0; i < 3; i++ {
			if _, r := login(t, b, fmt.Sprintf("user-%d", i), "wrong password 123"); r.status != 401 {
				t.Fatalf("address failure %d: %d", i, r.status)
			}
		}
		if _, r := login(t, b, "user-9", "wrong password 123"); r.status != 429 || r.header.Get("Retry-After") == "" {
			t.Errorf("address limit: %d", r.status)
		}
	})
}

// A one-time password must be changed before anything else: sign-in says so, every
// endpoint but the password change (and the session, and sign-out) answers 403.
func TestMustChangePassword(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		r := a.admin(t, "POST", "/api/v1/users", map[string]any{"username": "quan-tri", "name": "Quản trị", "role": "admin"})
		if r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		otp, _ := r.json(t)["one_time_password"].(string)
		if len(otp) < 12 || r.json(t)["must_change_password"] != true {
			t.Fatalf("one-time password: %s", r.body)
		}
		b, r := login(t, a, "quan-tri", otp)
		if r.status != 200 || r.json(t)["must_change_password"] != true {
			t.Fatalf("login with the one-time password: %d %s", r.status, r.body)
		}
		for _, c := range []struct{ method, path string }{{"GET", "/api/v1/users"}, {"POST", "/api/v1/org-units"}, {"GET", "/api/v1/tokens"}} {
			if r := b.do(t, c.method, c.path, map[string]any{"code": "x-1", "name": "X", "kind": "other"}); r.status != 403 || !strings.Contains(string(r.body), "change it first") {
				t.Errorf("%s %s before the change: %d %s", c.method, c.path, r.status, r.body)
			}
		}
		if r := b.do(t, "GET", "/api/v1/session", nil); r.status != 200 {
			t.Errorf("session before the change: %d", r.status)
		}
		for _, c := range []struct {
			name, current, new, field string
		}{
			{"wrong current", "not the password", "mật khẩu mới rất dài", "current"},
			{"too short", otp, "short", "new"},
			{"the username", otp, "QUAN-TRI", "new"},
			{"unchanged", otp, otp, "new"},
		} {
			if r := b.do(t, "POST", "/api/v1/password", map[string]any{"current": c.current, "new": c.new}); r.status != 400 || r.json(t)["field"] != c.field {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
			}
		}
		if r := b.do(t, "POST", "/api/v1/password", map[string]any{"current": otp, "new": testPassword}); r.status != 200 || r.json(t)["must_change_password"] != false {
			t.Fatalf("change: %d %s", r.status, r.body)
		}
		if r := b.do(t, "GET", "/api/v1/users", nil); r.status != 200 {
			t.Errorf("after the change: %d %s", r.status, r.body)
		}
		if _, r := login(t, a, "quan-tri", otp); r.status != 401 {
			t.Errorf("the one-time password still works: %d", r.status)
		}
		if _, r := login(t, a, "quan-tri", testPassword); r.status != 200 || r.json(t)["must_change_password"] != false {
			t.Errorf("the new password: %d %s", r.status, r.body)
		}
		// An admin's reset gives a new one-time password and ends the user's sessions.
		id := int(r.json(t)["user"].(map[string]any)["id"].(float64))
		r = a.admin(t, "POST", fmt.Sprintf("/api/v1/users/%d/password-reset", id), nil)
		reset, _ := r.json(t)["one_time_password"].(string)
		if r.status != 200 || len(reset) < 12 {
			t.Fatalf("reset: %d %s", r.status, r.body)
		}
		if r := b.do(t, "GET", "/api/v1/session", nil); r.status != 401 {
			t.Errorf("session after a reset: %d", r.status)
		}
		if _, r := login(t, a, "quan-tri", reset); r.status != 200 || r.json(t)["must_change_password"] != true {
			t.Errorf("login after reset: %d %s", r.status, r.body)
		}
	})
}

// A reporter (or a leader) reaches no admin endpoint, by session or by token: 403 (or
// 404 for another's token), and nothing changes.
func TestReporterCannotAdmin(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		admin := mustUser(t, a, "quan-tri", "admin", "")
		rep := mustUser(t, a, "bao-cao", "reporter", "van-phong-ubnd-tinh")
		mustUser(t, a, "lanh-dao", "leader", "")
		biz := mustUser(t, a, "cong-ty", "business", "")
		adminTok, adminTokID := mustToken(t, a, admin, "all")
		repTok, _ := mustToken(t, a, rep, "all")
		before := a.admin(t, "GET", "/api/v1/users?limit=100", nil).body

		callers := map[string]func(method, path string, body any) response{
			"reporter session": func(m, p string, body any) response {
				return mustLogin(t, a, "bao-cao", testPassword).do(t, m, p, body)
			},
			"leader session": func(m, p string, body any) response {
				return mustLogin(t, a, "lanh-dao", testPassword).do(t, m, p, body)
			},
			"reporter token": func(m, p string, body any) response { return a.do(t, m, p, body, bearer(repTok)...) },
		}
		endpoints := []struct {
			method, path string
			body         any
			status       int
		}{
			{"GET", "/api/v1/users", nil, 403},
			{"POST", "/api/v1/users", map[string]any{"username": "moi", "name": "Mới", "role": "admin", "password": testPassword}, 403},
			{"GET", fmt.Sprintf("/api/v1/users/%d", admin), nil, 403},
			{"PATCH", fmt.Sprintf("/api/v1/users/%d", rep), map[string]any{"role": "admin"}, 403},
			{"PATCH", fmt.Sprintf("/api/v1/users/%d", admin), map[string]any{"disabled": true}, 403},
			{"POST", fmt.Sprintf("/api/v1/users/%d/password-reset", admin), nil, 403},
			{"POST", fmt.Sprintf("/api/v1/users/%d/verify", biz), nil, 403},
			{"POST", "/api/v1/org-units", map[string]any{"code": "x-1", "name": "X", "kind": "other"}, 403},
			{"DELETE", "/api/v1/tasks/1", nil, 403},
			{"GET", fmt.Sprintf("/api/v1/tokens?user_id=%d", admin), nil, 403},
			{"POST", "/api/v1/tokens", map[string]any{"name": "x", "scopes": []string{"all"}, "user_id": admin}, 403},
			{"DELETE", fmt.Sprintf("/api/v1/tokens/%d", adminTokID), nil, 404},
		}
		for name, do := range callers {
			for _, e := range endpoints {
				if r := do(e.method, e.path, e.body); r.status != e.status {
					t.Errorf("%s: %s %s: %d, want %d: %s", name, e.method, e.path, r.status, e.status, r.body)
				}
			}
		}
		if after := a.admin(t, "GET", "/api/v1/users?limit=100", nil).body; string(after) != string(before) {
			t.Errorf("refused requests changed the users:\n%s\n%s", before, after)
		}
		if r := a.do(t, "GET", "/api/v1/session", nil, bearer(adminTok)...); r.status != 200 {
			t.Errorf("the admin's token was revoked by a refused request: %d", r.status)
		}
		if r := a.do(t, "GET", "/api/v1/org-units/x-1", nil); r.status != 404 {
			t.Errorf("a refused request created an org unit")
		}
		if r := a.do(t, "GET", "/api/v1/tasks/1", nil); r.status != 200 {
			t.Errorf("a refused request deleted a task")
		}
	})
}

// Admins manage accounts: create, list, read, patch with ETags; the last admin stays;
// a reviewer verifies business accounts; no answer ever holds a password hash.
func TestManageUsers(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		admin := mustUser(t, a, "quan-tri", "admin", "")
		mustUser(t, a, "so-khcn", "reviewer", "")
		biz := mustUser(t, a, "cong-ty", "business", "")
		rep := mustUser(t, a, "bao-cao", "reporter", "van-phong-ubnd-tinh")
		var bodies []string
		keep := func(r response) response { bodies = append(bodies, string(r.body)); return r }

		for _, c := range []struct {
			name string
			body map[string]any
			want int
		}{
			{"duplicate", map[string]any{"username": "quan-tri", "name": "X", "role": "leader", "password": testPassword}, 409},
			{"reporter without unit", map[string]any{"username": "x1", "name": "X", "role": "reporter"}, 400},
			{"unknown unit", map[string]any{"username": "x2", "name": "X", "role": "reporter", "org_unit": "khong-co"}, 400},
			{"short password", map[string]any{"username": "x3", "name": "X", "role": "leader", "password": "short"}, 400},
			{"username as password", map[string]any{"username": "x4-long-username", "name": "X", "role": "leader", "password": "x4-long-username"}, 400},
			{"bad role", map[string]any{"username": "x5", "name": "X", "role": "root"}, 400},
			{"hash given", map[string]any{"username": "x6", "name": "X", "role": "leader", "password_hash": "$argon2id$"}, 400},
		} {
			if r := a.admin(t, "POST", "/api/v1/users", c.body); r.status != c.want {
				t.Errorf("create %s: %d %s", c.name, r.status, r.body)
			}
		}
		b := mustLogin(t, a, "quan-tri", testPassword)
		r := keep(b.do(t, "GET", "/api/v1/users?role=reporter", nil))
		if total(t, r) != 1 {
			t.Errorf("list reporters: %s", r.body)
		}
		r = keep(b.do(t, "GET", fmt.Sprintf("/api/v1/users/%d", rep), nil))
		etag := r.header.Get("ETag")
		if r.status != 200 || etag != `"1"` {
			t.Fatalf("get user: %d %s %q", r.status, r.body, etag)
		}
		r = keep(b.do(t, "PATCH", fmt.Sprintf("/api/v1/users/%d", rep), map[string]any{"role": "leader", "org_unit": nil}, "If-Match", etag))
		if r.status != 200 || r.json(t)["role"] != "leader" || r.header.Get("ETag") != `"2"` {
			t.Errorf("patch: %d %s", r.status, r.body)
		}
		if r := keep(b.do(t, "PATCH", fmt.Sprintf("/api/v1/users/%d", rep), map[string]any{"name": "Cũ"}, "If-Match", etag)); r.status != 412 {
			t.Errorf("stale patch: %d", r.status)
		}
		if r := keep(b.do(t, "PATCH", fmt.Sprintf("/api/v1/users/%d", rep), map[string]any{"username": "doi-ten"})); r.status != 400 {
			t.Errorf("renaming: %d %s", r.status, r.body)
		}
		if r := keep(b.do(t, "PATCH", fmt.Sprintf("/api/v1/users/%d", admin), map[string]any{"disabled": true})); r.status != 409 {
			t.Errorf("disabling the last admin: %d %s", r.status, r.body)
		}
		if r := keep(b.do(t, "PATCH", fmt.Sprintf("/api/v1/users/%d", admin), map[string]any{"role": "leader"})); r.status != 409 {
			t.Errorf("demoting the last admin: %d %s", r.status, r.body)
		}

		// Verification of businesses: reviewer yes, leader no; only business accounts.
		rv := mustLogin(t, a, "so-khcn", testPassword)
		if r := keep(rv.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/verify", biz), nil)); r.status != 200 || r.json(t)["verified"] != true {
			t.Errorf("reviewer verifies: %d %s", r.status, r.body)
		}
		if r := keep(rv.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/verify", rep), nil)); r.status != 400 {
			t.Errorf("verify a non-business: %d %s", r.status, r.body)
		}
		if r := keep(b.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/verify", biz), map[string]any{"verified": false})); r.status != 200 || r.json(t)["verified"] != false {
			t.Errorf("admin withdraws verification: %d %s", r.status, r.body)
		}
		if r := keep(rv.do(t, "GET", "/api/v1/users", nil)); r.status != 403 {
			t.Errorf("reviewer lists users: %d", r.status)
		}
		keep(b.do(t, "GET", "/api/v1/session", nil))
		keep(a.admin(t, "GET", "/api/v1/users?limit=100", nil))
		keep(a.admin(t, "POST", fmt.Sprintf("/api/v1/users/%d/password-reset", biz), nil))
		keep(a.admin(t, "GET", fmt.Sprintf("/api/v1/tokens?user_id=%d", admin), nil))
		for _, body := range bodies {
			if strings.Contains(body, "argon2") || strings.Contains(body, "password_hash") || strings.Contains(body, testPassword) {
				t.Errorf("an answer holds a password or its hash: %s", body)
			}
		}
	})
}
