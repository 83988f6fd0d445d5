package server_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// send makes a request without following redirects.
func (a *testAPI) send(tb testing.TB, method, path, ctype string, body []byte, headers ...string) response {
	tb.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, a.URL+path, rd)
	if err != nil {
		tb.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, b}
}

// get fetches a page as the browser, without following redirects.
func (b *browser) get(tb testing.TB, path string) response {
	tb.Helper()
	return b.a.send(tb, "GET", path, "", nil, "Cookie", "tinhso_session="+b.cookie)
}

// post sends a form as a browser does: the session cookie, and the CSRF token only
// as the csrf_token field (when withCSRF).
func (b *browser) post(tb testing.TB, path string, vals url.Values, withCSRF bool) response {
	tb.Helper()
	if withCSRF {
		vals.Set("csrf_token", b.csrf)
	}
	return b.a.send(tb, "POST", path, "application/x-www-form-urlencoded", []byte(vals.Encode()), "Cookie", "tinhso_session="+b.cookie)
}

// upload sends a multipart form: fields in order, then the file.
func (b *browser) upload(tb testing.TB, path string, fields [][2]string, name string, file []byte) response {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		mw.WriteField(f[0], f[1])
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(file)
	mw.Close()
	return b.a.send(tb, "POST", path, mw.FormDataContentType(), buf.Bytes(), "Cookie", "tinhso_session="+b.cookie)
}

// checkPage applies the page rules of TestUIPages to a page of the signed-in screens.
func checkPage(t *testing.T, path, lang, body string) {
	t.Helper()
	if !strings.Contains(body, `<html lang="`+lang+`">`) {
		t.Errorf("%s (%s): no lang attribute", path, lang)
	}
	if m := missingRe.FindString(body); m != "" {
		t.Errorf("%s (%s): untranslated message %s", path, lang, m)
	}
	for _, m := range urlAttrRe.FindAllStringSubmatch(body, -1) {
		if u := m[2]; !strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "#") && !strings.HasPrefix(u, "?") {
			t.Errorf("%s (%s): %s=%q points outside the server", path, lang, m[1], u)
		}
	}
	if strings.Contains(body, "http://") {
		t.Errorf("%s (%s): holds an absolute URL", path, lang)
	}
	if !strings.Contains(body, `class="skip" href="#main"`) {
		t.Errorf("%s: no skip link", path)
	}
	for _, id := range regexp.MustCompile(`<(?:input|select|textarea) [^>]*\sid="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if !strings.Contains(body, `<label for="`+id[1]+`"`) {
			t.Errorf("%s: control %s has no label", path, id[1])
		}
	}
	if strings.Contains(body, "<th>") {
		t.Errorf("%s: a table header without scope", path)
	}
	// Every form that changes something carries the CSRF token.
	for _, f := range regexp.MustCompile(`(?s)<form[^>]*method="post"[^>]*>.*?</form>`).FindAllString(body, -1) {
		if !strings.Contains(f, `name="csrf_token" value="`) || strings.Contains(f, `name="csrf_token" value=""`) {
			t.Errorf("%s: a form without its CSRF token: %.200s", path, f)
		}
	}
}

var loginTokenRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// formLogin signs in through the login form and returns the response and the new
// session cookie's value.
func formLogin(t *testing.T, a *testAPI, username, password, next string, cookies ...string) (response, string) {
	t.Helper()
	page := a.send(t, "GET", "/login", "", nil)
	m := loginTokenRe.FindStringSubmatch(string(page.body))
	var ck string
	for _, c := range (&http.Response{Header: page.header}).Cookies() {
		if c.Name == "tinhso_login" {
			ck = c.Value
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
				t.Errorf("the login cookie: %+v", c)
			}
		}
	}
	if m == nil || ck == "" || m[1] != ck {
		t.Fatalf("the login form has no token matching its cookie: %q %q", m, ck)
	}
	vals := url.Values{"username": {username}, "password": {password}, "csrf_token": {ck}}
	if next != "" {
		vals.Set("next", next)
	}
	cookie := "tinhso_login=" + ck
	for _, c := range cookies {
		cookie += "; " + c
	}
	r := a.send(t, "POST", "/login", "application/x-www-form-urlencoded", []byte(vals.Encode()), "Cookie", cookie)
	if c := sessionCookie(r); c != nil {
		return r, c.Value
	}
	return r, ""
}

// The sign-in form sets the session cookie and rotates the session; a wrong password
// and an unknown user read alike; a post without the form's token changes nothing;
// next= stays on the site; sign-out needs the CSRF token; a one-time password must be
// changed first; failures are throttled.
func TestUIFormLogin(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
		old := mustLogin(t, a, "tc.baocao", testPassword)

		r, cookie := formLogin(t, a, "tc.baocao", testPassword, "", "tinhso_session="+old.cookie)
		if r.status != 303 || r.header.Get("Location") != "/reporting" || cookie == "" || cookie == old.cookie {
			t.Fatalf("form login: %d %v %q", r.status, r.header, cookie)
		}
		ck := sessionCookie(r)
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
			t.Errorf("session cookie %+v", ck)
		}
		if s := a.do(t, "GET", "/api/v1/session", nil, "Cookie", "tinhso_session="+cookie); s.status != 200 {
			t.Errorf("the form's session does not work: %d", s.status)
		}
		if s := a.do(t, "GET", "/api/v1/session", nil, "Cookie", "tinhso_session="+old.cookie); s.status != 401 {
			t.Errorf("the session the browser came with still works after sign-in: %d", s.status)
		}
		// The page shows who is signed in, and a sign-out form.
		b := &browser{a: a, cookie: cookie}
		page := b.get(t, "/reporting")
		if page.status != 200 || !strings.Contains(string(page.body), "Người dùng tc.baocao") || !strings.Contains(string(page.body), `action="/logout"`) {
			t.Errorf("no name or sign-out button: %d", page.status)
		}
		b.csrf = loginTokenRe.FindStringSubmatch(string(page.body))[1]

		// Wrong password and unknown user: the same answer, no cookie.
		wrong, c1 := formLogin(t, a, "tc.baocao", "wrong password 123", "")
		unknown, c2 := formLogin(t, a, "khong-ai-ca", "wrong password 123", "")
		for _, x := range []response{wrong, unknown} {
			if x.status != 401 || !strings.Contains(string(x.body), "Sai tên đăng nhập hoặc mật khẩu.") {
				t.Errorf("wrong sign-in: %d", x.status)
			}
		}
		if c1 != "" || c2 != "" {
			t.Errorf("a refused sign-in set a session cookie")
		}
		strip := func(s []byte) string {
			s1 := regexp.MustCompile(`value="[^"]*"`).ReplaceAllString(string(s), "")
			return s1
		}
		if strip(wrong.body) != strip(unknown.body) {
			t.Errorf("a wrong password and an unknown user read differently")
		}

		// No token, a wrong token, or a foreign Origin: refused, no session.
		form := url.Values{"username": {"tc.baocao"}, "password": {testPassword}}.Encode()
		for _, h := range [][]string{{}, {"Cookie", "tinhso_login=" + strings.Repeat("a", 43)}} {
			r := a.send(t, "POST", "/login", "application/x-www-form-urlencoded", []byte(form+"&csrf_token="+strings.Repeat("b", 43)), h...)
			if r.status != 403 || sessionCookie(r) != nil {
				t.Errorf("login without the form's token: %d", r.status)
			}
		}
		tok := strings.Repeat("c", 43)
		r = a.send(t, "POST", "/login", "application/x-www-form-urlencoded", []byte(form+"&csrf_token="+tok), "Cookie", "tinhso_login="+tok, "Origin", "http://evil.example")
		if r.status != 403 || sessionCookie(r) != nil {
			t.Errorf("login from another origin: %d", r.status)
		}

		// next stays on the site.
		for next, want := range map[string]string{"/tasks?document=25-kh-ubnd": "/tasks?document=25-kh-ubnd", "//evil.example/x": "/reporting",
			"https://evil.example": "/reporting", "/\\evil.example": "/reporting", "javascript:alert(1)": "/reporting"} {
			r, _ := formLogin(t, a, "tc.baocao", testPassword, next)
			if r.status != 303 || r.header.Get("Location") != want {
				t.Errorf("next=%q: %d → %q, want %q", next, r.status, r.header.Get("Location"), want)
			}
		}
		// An anonymous visitor is sent to sign in, and comes back.
		if r := a.send(t, "GET", "/reporting?x=1", "", nil); r.status != 303 || r.header.Get("Location") != "/login?next=%2Freporting%3Fx%3D1" {
			t.Errorf("anonymous /reporting: %d %q", r.status, r.header.Get("Location"))
		}

		// Sign-out needs the token.
		if r := b.post(t, "/logout", url.Values{}, false); r.status != 403 {
			t.Errorf("sign-out without the token: %d", r.status)
		}
		if s := a.do(t, "GET", "/api/v1/session", nil, "Cookie", "tinhso_session="+cookie); s.status != 200 {
			t.Errorf("a refused sign-out ended the session")
		}
		if r := b.post(t, "/logout", url.Values{}, true); r.status != 303 {
			t.Errorf("sign-out: %d", r.status)
		}
		if s := a.do(t, "GET", "/api/v1/session", nil, "Cookie", "tinhso_session="+cookie); s.status != 401 {
			t.Errorf("the session survived sign-out")
		}

		// A one-time password: change it first.
		r0 := a.admin(t, "POST", "/api/v1/users", map[string]any{"username": "moi", "name": "Người mới", "role": "leader"})
		otp := r0.json(t)["one_time_password"].(string)
		r, cookie = formLogin(t, a, "moi", otp, "/tasks")
		if r.status != 303 || r.header.Get("Location") != "/password?next=%2Ftasks" {
			t.Fatalf("one-time password sign-in: %d %q", r.status, r.header.Get("Location"))
		}
		nb := &browser{a: a, cookie: cookie}
		if r := nb.get(t, "/notifications"); r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/password") {
			t.Errorf("a one-time password reached a page: %d", r.status)
		}
		pp := nb.get(t, "/password?next=%2Ftasks")
		nb.csrf = loginTokenRe.FindStringSubmatch(string(pp.body))[1]
		if r := nb.post(t, "/password", url.Values{"current": {otp}, "new": {"short"}, "confirm": {"short"}}, true); r.status != 400 {
			t.Errorf("a short password: %d", r.status)
		}
		if r := nb.post(t, "/password", url.Values{"current": {otp}, "new": {testPassword}, "confirm": {testPassword + "x"}}, true); r.status != 400 {
			t.Errorf("mismatched passwords: %d", r.status)
		}
		if r := nb.post(t, "/password", url.Values{"current": {otp}, "new": {testPassword}, "confirm": {testPassword}, "next": {"/tasks"}}, true); r.status != 303 || r.header.Get("Location") != "/tasks?done=password" {
			t.Fatalf("password change: %d %q %s", r.status, r.header.Get("Location"), clip(r.body))
		}
		if r := nb.get(t, "/notifications"); r.status != 200 {
			t.Errorf("after the change: %d", r.status)
		}

		// Throttled after 5 failures of the account.
		for i := 0; i < 5; i++ {
			formLogin(t, a, "tc.baocao", "wrong password 123", "")
		}
		r, _ = formLogin(t, a, "tc.baocao", testPassword, "")
		if r.status != 429 || r.header.Get("Retry-After") == "" || !strings.Contains(string(r.body), "Quá nhiều lần đăng nhập sai") {
			t.Errorf("the sixth attempt: %d", r.status)
		}
	})
}

var (
	indexOfRe = func(kind, key string) *regexp.Regexp {
		return regexp.MustCompile(`data-` + kind + `="` + regexp.QuoteMeta(key) + `"[^>]*>(?s:.*?)name="(?:n|t|pct)-(\d+)"`)
	}
	versionRe = regexp.MustCompile(`name="version" value="(\d+)"`)
)

// fieldIndex finds the form index of an indicator or task on a submission page.
func fieldIndex(t *testing.T, body, kind, key string) string {
	t.Helper()
	m := indexOfRe(kind, key).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no field of %s %s on the page", kind, key)
	}
	return m[1]
}

// A reporter fills the HTML form and submits; the reviewer returns it with a reason
// the reporter sees, then approves it from the queue; the board's figure for 8.3
// changes. Typed HTML is shown as text; other units' submissions are not found;
// reporters cannot open the reviewer's and administrator's pages.
func TestUIReporting(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		a.cfg.PublicBoard = true // what this test reads on the board, as a province that publishes it shows it to all
		period := setUpQ1(t, a)
		mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
		mustUser(t, a, "nv.baocao", "reporter", "so-noi-vu")
		mustUser(t, a, "khcn.thamdinh", "reviewer", "so-khoa-hoc-va-cong-nghe")
		tc := mustLogin(t, a, "tc.baocao", testPassword)
		nv := mustLogin(t, a, "nv.baocao", testPassword)
		rv := mustLogin(t, a, "khcn.thamdinh", testPassword)
		sub := mySubmission(t, tc, period)
		id := fmt.Sprint(sub["id"])
		path := "/reporting/" + id

		list := tc.get(t, "/reporting")
		if list.status != 200 || !strings.Contains(string(list.body), `href="`+path+`"`) || !strings.Contains(string(list.body), "Sở Tài chính") {
			t.Fatalf("the reporter's list: %d", list.status)
		}
		page := string(tc.get(t, path).body)
		n83 := fieldIndex(t, page, "indicator", "25-kh-ubnd/8.3")
		task := toStrings(sub["tasks"])[0]
		tk := fieldIndex(t, page, "task", task)
		version := versionRe.FindStringSubmatch(page)[1]
		if !strings.Contains(page, `href="/api/v1/submissions/`+id+`/form.xlsx?lang=vi"`) || !strings.Contains(page, `action="/reporting/`+id+`/evidence"`) {
			t.Errorf("the page lacks the spreadsheet link or the evidence form")
		}

		const evil = `<script>alert(1)</script>`
		fill := url.Values{"version": {version}, "action": {"save"}, "n-" + n83: {"72,5"}, "note-" + n83: {evil},
			"pct-" + tk: {"40"}, "tnote-" + tk: {evil}}
		// Without the token: refused, nothing stored.
		if r := tc.post(t, path, fill, false); r.status != 403 || !strings.Contains(string(r.body), "Không có gì bị thay đổi") {
			t.Errorf("a post without csrf_token: %d", r.status)
		}
		if got := tc.do(t, "GET", "/api/v1/submissions/"+id, nil).json(t); len(got["values"].([]any)) != 0 {
			t.Fatalf("a refused post stored values: %v", got["values"])
		}
		// A number that is not one: the form comes back, nothing stored.
		bad := url.Values{"version": {version}, "action": {"save"}, "n-" + n83: {"bảy mươi"}}
		if r := tc.post(t, path, bad, true); r.status != 400 || !strings.Contains(string(r.body), "Không phải là số.") || !strings.Contains(string(r.body), `value="bảy mươi"`) {
			t.Errorf("a bad number: %d", r.status)
		}
		// Out of range: the domain's message in the page's language, the field marked.
		over := url.Values{"version": {version}, "action": {"save"}, "n-" + n83: {"150"}}
		if r := tc.post(t, path, over, true); r.status != 400 || !strings.Contains(string(r.body), "lớn hơn 100.") || !strings.Contains(string(r.body), `aria-invalid="true"`) {
			t.Errorf("a percentage over 100: %d %s", r.status, clip(r.body))
		}
		r := tc.post(t, path, fill, true)
		if r.status != 303 || r.header.Get("Location") != path+"?done=saved" {
			t.Fatalf("save: %d %s", r.status, clip(r.body))
		}
		got := tc.do(t, "GET", "/api/v1/submissions/"+id, nil).json(t)
		if v := got["values"].([]any); len(v) != 1 || v[0].(map[string]any)["number"] != 72.5 || v[0].(map[string]any)["note"] != evil {
			t.Errorf("saved values: %v", got["values"])
		}
		page = string(tc.get(t, path+"?done=saved").body)
		if !strings.Contains(page, "Đã lưu bản nháp.") || !strings.Contains(page, `value="72.5"`) {
			t.Errorf("the saved form does not show the value")
		}
		if strings.Contains(page, evil) || !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("the note is not shown as text")
		}
		// Submit.
		version = versionRe.FindStringSubmatch(page)[1]
		fill.Set("version", version)
		fill.Set("action", "submit")
		if r := tc.post(t, path, fill, true); r.status != 303 || r.header.Get("Location") != path+"?done=submitted" {
			t.Fatalf("submit: %d %s", r.status, clip(r.body))
		}
		if st := tc.do(t, "GET", "/api/v1/submissions/"+id, nil).json(t)["status"]; st != "submitted" {
			t.Fatalf("status after submit: %v", st)
		}

		// Another unit's reporter: not found, to read and to write.
		if r := nv.get(t, path); r.status != 404 {
			t.Errorf("another unit's submission page: %d", r.status)
		}
		if r := nv.post(t, path, url.Values{"action": {"save"}}, true); r.status != 404 {
			t.Errorf("another unit's submission post: %d", r.status)
		}
		if r := nv.get(t, "/units/so-tai-chinh/board"); r.status != 404 {
			t.Errorf("another unit's board: %d", r.status)
		}
		// A reporter cannot open the reviewer's or the administrator's pages.
		for _, p := range []string{"/review", "/admin/users", "/admin/periods", "/admin/org-units/import", "/admin/users/1"} {
			r := tc.get(t, p)
			if r.status != 403 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.body), "Không có quyền truy cập") {
				t.Errorf("a reporter at %s: %d", p, r.status)
			}
		}
		for _, p := range []string{"/review/" + id + "/approve", "/admin/users", "/admin/periods"} {
			if r := tc.post(t, p, url.Values{"username": {"x"}}, true); r.status != 403 {
				t.Errorf("a reporter posting %s: %d", p, r.status)
			}
		}

		// The reviewer's queue; return with a reason, HTML in it.
		q := string(rv.get(t, "/review").body)
		if !strings.Contains(q, `data-submission="`+id+`"`) || !strings.Contains(q, `action="/review/`+id+`/approve"`) {
			t.Fatalf("the queue does not hold the submission")
		}
		if r := rv.post(t, "/review/"+id+"/return", url.Values{"reason": {""}}, true); r.status != 400 {
			t.Errorf("a return without a reason: %d", r.status)
		}
		reason := `Chỉ tiêu 8.3 chưa khớp <b onmouseover=alert(1)>báo cáo tháng 3</b>`
		if r := rv.post(t, "/review/"+id+"/return", url.Values{"reason": {reason}}, true); r.status != 303 || r.header.Get("Location") != "/review?done=returned" {
			t.Fatalf("return: %d %s", r.status, clip(r.body))
		}
		page = string(tc.get(t, path).body)
		m := regexp.MustCompile(`(?s)<div class="alert" role="alert" id="return-reason">.*?</div>`).FindString(page)
		if !strings.Contains(m, "Chỉ tiêu 8.3 chưa khớp &lt;b onmouseover=alert(1)&gt;báo cáo tháng 3&lt;/b&gt;") {
			t.Errorf("the returned reason is not shown (escaped) prominently: %q", m)
		}
		if strings.Contains(page, "<b onmouseover") {
			t.Errorf("the reason is not escaped")
		}
		board := a.page(t, "/", "vi", 200)
		if strings.Contains(board, "<strong>72,5</strong>") {
			t.Errorf("the board shows a figure before approval")
		}
		// Correct and resubmit, then approve from the queue.
		version = versionRe.FindStringSubmatch(page)[1]
		fill.Set("version", version)
		if r := tc.post(t, path, fill, true); r.status != 303 {
			t.Fatalf("resubmit: %d %s", r.status, clip(r.body))
		}
		q = string(rv.get(t, "/review").body)
		version = regexp.MustCompile(`action="/review/` + id + `/approve"><input type="hidden" name="csrf_token" value="[^"]+"><input type="hidden" name="version" value="(\d+)"`).FindStringSubmatch(q)[1]
		if r := rv.post(t, "/review/"+id+"/approve", url.Values{"version": {version}}, true); r.status != 303 || r.header.Get("Location") != "/review?done=approved" {
			t.Fatalf("approve: %d %s", r.status, clip(r.body))
		}
		if r := rv.get(t, "/review?done=approved"); !strings.Contains(string(r.body), "Đã phê duyệt báo cáo") || strings.Contains(string(r.body), `data-submission="`+id+`"`) {
			t.Errorf("the queue after approval")
		}
		board = a.page(t, "/", "vi", 200)
		if !strings.Contains(board, "<strong>72,5</strong>") {
			t.Errorf("the board does not show the approved 72,5 of 8.3")
		}
		ub := string(tc.get(t, "/units/so-tai-chinh/board").body)
		if !regexp.MustCompile(`id="unit-figure-8.3" href="[^"]+"><strong>72,5</strong>`).MatchString(ub) || !strings.Contains(ub, "Đúng hạn") {
			t.Errorf("the unit's board does not show its figure and punctuality")
		}
		audit := string(rv.get(t, path).body)
		for _, act := range []string{"submission.save", "submission.submit", "submission.return", "submission.approve"} {
			if !strings.Contains(audit, "<code>"+act+"</code>") {
				t.Errorf("the reviewer's view of the submission lacks the audit record %s", act)
			}
		}
	})
}

// Evidence and the spreadsheet form upload from the page; a forged upload is refused
// before anything is stored.
func TestUIUploads(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		period := setUpQ1(t, a)
		mustUser(t, a, "nv.baocao", "reporter", "so-noi-vu")
		nv := mustLogin(t, a, "nv.baocao", testPassword)
		id := fmt.Sprint(mySubmission(t, nv, period)["id"])
		path := "/reporting/" + id
		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
		if r := nv.upload(t, path+"/evidence", nil, "bien-ban.pdf", pdf); r.status != 403 {
			t.Errorf("an upload without the token: %d", r.status)
		}
		if r := nv.upload(t, path+"/evidence", [][2]string{{"csrf_token", "wrong"}}, "bien-ban.pdf", pdf); r.status != 403 {
			t.Errorf("an upload with a wrong token: %d", r.status)
		}
		if ev := nv.do(t, "GET", "/api/v1/submissions/"+id, nil).json(t)["evidence"].([]any); len(ev) != 0 {
			t.Fatalf("a refused upload stored a file")
		}
		if r := nv.upload(t, path+"/evidence", [][2]string{{"csrf_token", nv.csrf}}, `<img src=x onerror=alert(1)>.pdf`, pdf); r.status != 303 {
			t.Fatalf("evidence upload: %d %s", r.status, clip(r.body))
		}
		if r := nv.upload(t, path+"/evidence", [][2]string{{"csrf_token", nv.csrf}}, "virus.pdf", []byte("MZ\x90\x00not a pdf")); r.status != 400 || !strings.Contains(string(r.body), "không được nhận") {
			t.Errorf("an executable named .pdf: %d", r.status)
		}
		page := string(nv.get(t, path).body)
		if !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;.pdf") || strings.Contains(page, "<img src=x") {
			t.Errorf("the file name is not shown as text")
		}
		form := nv.do(t, "GET", "/api/v1/submissions/"+id+"/form.xlsx?lang=vi", nil)
		filled := fillForm(t, form.body, map[string]any{"25-kh-ubnd/8.3": 80})
		version := versionRe.FindStringSubmatch(page)[1]
		if r := nv.upload(t, path+"/form.xlsx", [][2]string{{"csrf_token", nv.csrf}, {"version", version}}, "bao-cao.xlsx", filled); r.status != 303 || r.header.Get("Location") != path+"?done=form_uploaded" {
			t.Fatalf("form upload: %d %s", r.status, clip(r.body))
		}
		got := nv.do(t, "GET", "/api/v1/submissions/"+id, nil).json(t)
		if v := got["values"].([]any); len(v) != 1 || v[0].(map[string]any)["number"] != 80.0 {
			t.Errorf("values from the uploaded form: %v", got["values"])
		}
		// A bad spreadsheet: the problems listed by cell, nothing changed.
		bad := fillForm(t, form.body, map[string]any{"25-kh-ubnd/8.3": "nhiều"})
		r := nv.upload(t, path+"/form.xlsx", [][2]string{{"csrf_token", nv.csrf}}, "bao-cao.xlsx", bad)
		if r.status != 400 || !strings.Contains(string(r.body), "Chỉ tiêu!") {
			t.Errorf("a bad spreadsheet: %d %s", r.status, clip(r.body))
		}
	})
}

// Administration: accounts with a one-time password shown once, a reset, a disabled
// account; tokens shown once and revoked; the org-unit CSV import. Names typed with
// HTML show as text.
func TestUIAdmin(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		mustUser(t, a, "quantri", "admin", "")
		ad := mustLogin(t, a, "quantri", testPassword)
		const evil = `<script>alert(1)</script>`
		r := ad.post(t, "/admin/users", url.Values{"username": {"moi.baocao"}, "name": {evil}, "role": {"reporter"}, "org_unit": {"so-tai-chinh"}}, false)
		if r.status != 403 {
			t.Errorf("creating a user without the token: %d", r.status)
		}
		if n := total(t, a.admin(t, "GET", "/api/v1/users?role=reporter", nil)); n != 0 {
			t.Fatalf("a refused post created a user")
		}
		r = ad.post(t, "/admin/users", url.Values{"username": {"moi.baocao"}, "name": {evil}, "role": {"reporter"}, "org_unit": {"so-tai-chinh"}}, true)
		otp := regexp.MustCompile(`id="one-time-password">([A-Za-z0-9]{20})<`).FindStringSubmatch(string(r.body))
		if r.status != 201 || otp == nil || r.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("create user: %d %v %s", r.status, r.header, clip(r.body))
		}
		if strings.Contains(string(r.body), evil) {
			t.Errorf("the user's name is not escaped")
		}
		// A reporter without a unit is refused with the reason.
		if r := ad.post(t, "/admin/users", url.Values{"username": {"khong-don-vi"}, "name": {"X"}, "role": {"reporter"}}, true); r.status != 400 || !strings.Contains(string(r.body), "phải gắn với đơn vị") {
			t.Errorf("a reporter without a unit: %d", r.status)
		}
		// The new user signs in with it, must change it; their name is shown as text.
		_, cookie := formLogin(t, a, "moi.baocao", otp[1], "")
		nb := &browser{a: a, cookie: cookie}
		if p := nb.get(t, "/password"); !strings.Contains(string(p.body), "&lt;script&gt;alert(1)&lt;/script&gt;") || strings.Contains(string(p.body), evil) {
			t.Errorf("the account bar does not show the name as text")
		}
		list := string(ad.get(t, "/admin/users?q=moi").body)
		uid := regexp.MustCompile(`<a href="/admin/users/(\d+)">moi.baocao</a>`).FindStringSubmatch(list)
		if uid == nil {
			t.Fatalf("the user list lacks the new user")
		}
		up := "/admin/users/" + uid[1]
		// Reset: a new one-time password; the old sessions end.
		r = ad.post(t, up+"/password-reset", url.Values{}, true)
		otp2 := regexp.MustCompile(`id="one-time-password">([A-Za-z0-9]{20})<`).FindStringSubmatch(string(r.body))
		if r.status != 200 || otp2 == nil || otp2[1] == otp[1] {
			t.Fatalf("reset: %d", r.status)
		}
		if s := a.do(t, "GET", "/api/v1/session", nil, "Cookie", "tinhso_session="+cookie); s.status != 401 {
			t.Errorf("a reset left the user's session")
		}
		// Role, unit and disable.
		page := string(ad.get(t, up).body)
		version := versionRe.FindStringSubmatch(page)[1]
		if r := ad.post(t, up, url.Values{"version": {version}, "name": {"Chị Lan"}, "role": {"reporter"}, "org_unit": {"so-noi-vu"}, "disabled": {"1"}}, true); r.status != 303 {
			t.Fatalf("update user: %d %s", r.status, clip(r.body))
		}
		u := a.admin(t, "GET", "/api/v1/users/"+uid[1], nil).json(t)
		if u["org_unit"] != "so-noi-vu" || u["disabled"] != true || u["name"] != "Chị Lan" {
			t.Errorf("user after update: %v", u)
		}
		if r, c := formLogin(t, a, "moi.baocao", otp2[1], ""); r.status != 403 || c != "" {
			t.Errorf("a disabled account signed in: %d", r.status)
		}
		// The last admin cannot be disabled.
		me := regexp.MustCompile(`<a href="/admin/users/(\d+)">quantri</a>`).FindStringSubmatch(string(ad.get(t, "/admin/users").body))
		page = string(ad.get(t, "/admin/users/"+me[1]).body)
		version = versionRe.FindStringSubmatch(page)[1]
		if r := ad.post(t, "/admin/users/"+me[1], url.Values{"version": {version}, "name": {"Q"}, "role": {"admin"}, "disabled": {"1"}}, true); r.status == 303 || !strings.Contains(string(r.body), `id="user-error"`) {
			t.Errorf("disabling the only admin: %d", r.status)
		}
		if n := total(t, a.admin(t, "GET", "/api/v1/users?role=admin", nil)); n != 1 {
			t.Errorf("admins: %d", n)
		}
		if u := a.admin(t, "GET", "/api/v1/users/"+me[1], nil).json(t); u["disabled"] != false {
			t.Errorf("the only admin was disabled")
		}

		// Tokens: shown once, work, are revoked.
		mustUser(t, a, "lanh-dao", "leader", "")
		ld := mustLogin(t, a, "lanh-dao", testPassword)
		if r := ld.post(t, "/admin/tokens", url.Values{"name": {"x"}, "scopes": {"plan:write"}}, true); r.status != 400 {
			t.Errorf("a leader's token with plan:write: %d", r.status)
		}
		r = ld.post(t, "/admin/tokens", url.Values{"name": {evil}, "scopes": {"submissions:read-own"}}, true)
		tok := regexp.MustCompile(`id="new-token">(tsk_[A-Za-z0-9_-]+)<`).FindStringSubmatch(string(r.body))
		if r.status != 201 || tok == nil || strings.Contains(string(r.body), evil) {
			t.Fatalf("create token: %d", r.status)
		}
		if r := a.do(t, "GET", "/api/v1/submissions", nil, bearer(tok[1])...); r.status != 200 {
			t.Errorf("the token does not work: %d", r.status)
		}
		tp := string(ld.get(t, "/admin/tokens").body)
		if strings.Contains(tp, tok[1]) {
			t.Errorf("the token is shown again")
		}
		tid := regexp.MustCompile(`action="/admin/tokens/(\d+)/revoke"`).FindStringSubmatch(tp)[1]
		if r := ad.post(t, "/admin/tokens/"+tid+"/revoke", url.Values{}, true); r.status != 404 {
			t.Errorf("revoking another's token from the page: %d", r.status)
		}
		if r := ld.post(t, "/admin/tokens/"+tid+"/revoke", url.Values{}, true); r.status != 303 {
			t.Errorf("revoke: %d", r.status)
		}
		if r := a.do(t, "GET", "/api/v1/submissions", nil, bearer(tok[1])...); r.status != 401 {
			t.Errorf("a revoked token works: %d", r.status)
		}
		if r := ld.get(t, "/admin/users"); r.status != 403 {
			t.Errorf("a leader at /admin/users: %d", r.status)
		}

		// The org-unit import, all or nothing.
		csv := "code,name,kind,parent,synthetic\nmau-xa-ui-1,Xã Mẫu UI " + evil + ",commune,ubnd-tinh-thai-nguyen,true\n"
		if r := ad.upload(t, "/admin/org-units/import", nil, "xa.csv", []byte(csv)); r.status != 403 {
			t.Errorf("an import without the token: %d", r.status)
		}
		r = ad.upload(t, "/admin/org-units/import", [][2]string{{"csrf_token", ad.csrf}}, "xa.csv", []byte(csv+"bad code!,X,commune,,\n"))
		if r.status != 400 {
			t.Errorf("a bad CSV: %d %s", r.status, clip(r.body))
		}
		if r := a.do(t, "GET", "/api/v1/org-units/mau-xa-ui-1", nil); r.status != 404 {
			t.Errorf("a refused import stored a row")
		}
		r = ad.upload(t, "/admin/org-units/import", [][2]string{{"csrf_token", ad.csrf}}, "xa.csv", []byte(csv))
		if r.status != 200 || !strings.Contains(string(r.body), `id="import-done"`) {
			t.Errorf("import: %d %s", r.status, clip(r.body))
		}
		if r := a.do(t, "GET", "/api/v1/org-units/mau-xa-ui-1", nil); r.status != 200 {
			t.Errorf("the imported unit is not there")
		}
	})
}

// Every new page answers in Vietnamese and English, with every message translated,
// labels on every control, no outside URL and the CSRF token in every form.
func TestUIAccountPages(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		period := setUpQ1(t, a)
		mustUser(t, a, "quantri", "admin", "")
		mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
		mustUser(t, a, "khcn.thamdinh", "reviewer", "so-khoa-hoc-va-cong-nghe")
		mustUser(t, a, "lanh-dao", "leader", "")
		ad := mustLogin(t, a, "quantri", testPassword)
		tc := mustLogin(t, a, "tc.baocao", testPassword)
		rv := mustLogin(t, a, "khcn.thamdinh", testPassword)
		ld := mustLogin(t, a, "lanh-dao", testPassword)
		id := fmt.Sprint(mySubmission(t, tc, period)["id"])
		if r := tc.do(t, "POST", "/api/v1/submissions/"+id+"/submit", nil); r.status != 200 {
			t.Fatalf("submit: %d", r.status)
		}
		uid := regexp.MustCompile(`<a href="/admin/users/(\d+)">tc.baocao</a>`).FindStringSubmatch(string(ad.get(t, "/admin/users").body))[1]
		pages := []struct {
			b     *browser
			paths []string
		}{
			{nil, []string{"/login", "/login?done=logout"}},
			{tc, []string{"/reporting", "/reporting/" + id, "/notifications", "/admin/tokens", "/units/so-tai-chinh/board", "/password", "/review"}},
			{rv, []string{"/review", "/reporting", "/reporting/" + id, "/admin/periods", "/admin/periods?regime=kh25-quy&year=2026&number=2", "/notifications"}},
			{ad, []string{"/admin/users", "/admin/users/" + uid, "/admin/tokens", "/admin/org-units/import", "/admin/periods", "/reporting?period=" + fmt.Sprint(period) + "&status=submitted", "/units/so-noi-vu/board", "/units/mau-phuong-vi-du-1/board"}},
			{ld, []string{"/reporting", "/units/so-khoa-hoc-va-cong-nghe/board", "/admin/users"}},
		}
		for _, pg := range pages {
			for _, p := range pg.paths {
				for _, lang := range []string{"vi", "en"} {
					sep := "?"
					if strings.Contains(p, "?") {
						sep = "&"
					}
					var r response
					if pg.b == nil {
						r = a.send(t, "GET", p+sep+"lang="+lang, "", nil)
					} else {
						r = pg.b.get(t, p+sep+"lang="+lang)
					}
					want := 200
					if (pg.b == tc && p == "/review") || (pg.b == ld && p == "/admin/users") {
						want = 403
					}
					if r.status != want {
						t.Errorf("%s (%s): %d, want %d %s", p, lang, r.status, want, clip(r.body))
						continue
					}
					checkPage(t, p, lang, string(r.body))
					if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
						t.Errorf("%s: CSP %q", p, csp)
					}
				}
			}
		}
		// Navigation: each role sees its pages.
		for _, c := range []struct {
			b          *browser
			has, hasnt []string
		}{
			{tc, []string{`href="/reporting"`, `href="/units/so-tai-chinh/board"`, `href="/notifications"`}, []string{`href="/review"`, `href="/admin/users"`}},
			{rv, []string{`href="/review"`, `href="/admin/periods"`}, []string{`href="/admin/users"`}},
			{ad, []string{`href="/admin/users"`, `href="/admin/periods"`, `href="/admin/org-units/import"`, `href="/review"`}, nil}, // an admin follows the queue
		} {
			body := string(c.b.get(t, "/tasks").body)
			for _, h := range c.has {
				if !strings.Contains(body, h) {
					t.Errorf("the menu lacks %s", h)
				}
			}
			for _, h := range c.hasnt {
				if strings.Contains(body, h) {
					t.Errorf("the menu shows %s", h)
				}
			}
		}
		if b := a.page(t, "/tasks", "vi", 200); !strings.Contains(b, `href="/login?next=`) {
			t.Errorf("the public menu has no sign-in link")
		}
		// The English pages are English.
		if b := string(rv.get(t, "/review?lang=en").body); !strings.Contains(b, "Review reports") || !strings.Contains(b, ">Approve<") {
			t.Errorf("the English queue is not in English")
		}
		// Period administration: preview lists units; a blocked period does not open.
		p := string(ad.get(t, "/admin/periods?regime=kh25-quy&year=2026&number=2").body)
		if !strings.Contains(p, "Mở kỳ Q2/2026") || !strings.Contains(p, "Sở Tài chính") {
			t.Errorf("the preview of Q2/2026 has no open button or units")
		}
		if r := ad.post(t, "/admin/periods", url.Values{"regime": {"kh25-quy"}, "year": {"2026"}, "number": {"1"}}, true); r.status != 409 {
			t.Errorf("opening Q1/2026 again: %d", r.status)
		}
		if r := ad.post(t, "/admin/periods", url.Values{"regime": {"kh25-quy"}, "year": {"2026"}, "number": {"2"}}, true); r.status != 303 {
			t.Errorf("open Q2/2026: %d %s", r.status, clip(r.body))
		}
		if r := ad.post(t, "/admin/regimes", url.Values{"key": {"Bad Key"}, "name": {"x"}, "document": {"25-kh-ubnd"}, "frequency": {"yearly"}, "cutoff_day": {"14"}, "deadline_days": {"10"}}, true); r.status != 400 {
			t.Errorf("a bad regime key: %d", r.status)
		}
		if r := ad.post(t, "/admin/regimes", url.Values{"key": {"kh25-nam"}, "name": {"Báo cáo năm"}, "document": {"25-kh-ubnd"}, "frequency": {"yearly"}, "cutoff_day": {"14"}, "deadline_days": {"10"}}, true); r.status != 303 {
			t.Errorf("create regime: %d %s", r.status, clip(r.body))
		}
	})
}
