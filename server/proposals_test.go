package server_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// proposalWorld is a server with accounts of each kind that matters to proposals,
// signed in, and the first big problem of the seed.
type proposalWorld struct {
	a                                            *testAPI
	company, other, unverified, reporter, review *browser
	public                                       *browser
	problem                                      string // its id
	companyID                                    int
}

func mustProposalWorld(t *testing.T, engine string) *proposalWorld {
	t.Helper()
	a := mustOpenAPI(t, engine)
	w := &proposalWorld{a: a, public: &browser{a: a}}
	for _, name := range []string{"cong-ty-a", "cong-ty-b"} {
		id := mustUser(t, a, name, "business", "")
		if w.companyID == 0 {
			w.companyID = id
		}
		if r := a.admin(t, "POST", fmt.Sprintf("/api/v1/users/%d/verify", id), nil); r.status != 200 {
			t.Fatalf("verify %s: %d %s", name, r.status, r.body)
		}
	}
	mustUser(t, a, "cong-ty-moi", "business", "")
	mustUser(t, a, "bao-cao", "reporter", "so-tai-chinh")
	mustUser(t, a, "tham-dinh", "reviewer", "so-khoa-hoc-va-cong-nghe")
	w.company, w.other = mustLogin(t, a, "cong-ty-a", testPassword), mustLogin(t, a, "cong-ty-b", testPassword)
	w.unverified, w.reporter = mustLogin(t, a, "cong-ty-moi", testPassword), mustLogin(t, a, "bao-cao", testPassword)
	w.review = mustLogin(t, a, "tham-dinh", testPassword)
	w.problem = fmt.Sprint(items(t, a.do(t, "GET", "/api/v1/problems?limit=1", nil))[0]["id"])
	return w
}

// counts are the numbers of proposals and audit records, to check a refusal changed
// nothing.
func (w *proposalWorld) counts(t *testing.T) [2]int {
	t.Helper()
	return [2]int{total(t, w.a.admin(t, "GET", "/api/v1/proposals?status=all", nil)), total(t, w.a.admin(t, "GET", "/api/v1/audit", nil))}
}

func proposalBody(title string) map[string]any {
	return map[string]any{"title": title, "summary": "Nền tảng dữ liệu dùng chung cho công dân số.\nThí điểm tại 3 phường.",
		"approach": "Bước 1: khảo sát.\nBước 2: triển khai.", "contact_email": "lienhe@cong-ty-a.vn"}
}

// A verified company proposes; the public sees nothing until a reviewer publishes;
// the first publication opens the problem for proposals; a rejection carries its reason
// to the company; every change is audited with its actor.
func TestProposalsAPI(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		w := mustProposalWorld(t, engine)
		a := w.a
		list := "/api/v1/problems/" + w.problem + "/proposals"
		r := w.company.do(t, "POST", list, proposalBody(`<b>Công dân số</b> & "ví điện tử"`))
		if r.status != 201 {
			t.Fatalf("propose: %d %s", r.status, r.body)
		}
		x := r.json(t)
		id := fmt.Sprint(x["id"])
		if x["status"] != "submitted" || x["company"] != "Người dùng cong-ty-a" || x["title"] != `<b>Công dân số</b> & "ví điện tử"` ||
			r.header.Get("Location") != "/api/v1/proposals/"+id || r.header.Get("ETag") != `"1"` || fmt.Sprint(x["problem_id"]) != w.problem {
			t.Errorf("created: %v %v", x, r.header)
		}
		second := fmt.Sprint(w.other.do(t, "POST", list, proposalBody("Đề xuất thứ hai")).json(t)["id"])

		// Before moderation only the company and moderators see it.
		if n := total(t, w.public.do(t, "GET", list, nil)); n != 0 {
			t.Errorf("the public sees %d unpublished proposals", n)
		}
		if r := w.public.do(t, "GET", list+"?status=submitted", nil); r.status != 403 {
			t.Errorf("the public asks for submitted ones: %d", r.status)
		}
		mine := items(t, w.company.do(t, "GET", list, nil))
		if len(mine) != 1 || mine[0]["contact_email"] != "lienhe@cong-ty-a.vn" {
			t.Errorf("the company's view: %v", mine)
		}
		if n := total(t, w.review.do(t, "GET", list+"?status=submitted", nil)); n != 2 {
			t.Errorf("the reviewer sees %d submitted", n)
		}
		for who, want := range map[*browser]int{w.public: 404, w.other: 404, w.reporter: 404, w.company: 200, w.review: 200} {
			if r := who.do(t, "GET", "/api/v1/proposals/"+id, nil); r.status != want {
				t.Errorf("GET an unpublished proposal: %d, want %d", r.status, want)
			}
		}
		queue := items(t, w.review.do(t, "GET", "/api/v1/proposals", nil))
		if len(queue) != 2 || fmt.Sprint(queue[0]["id"]) != id {
			t.Errorf("the queue: %v", queue)
		}

		// Who may do what; refusals change nothing. (The token is made first: making
		// it is audited.)
		tok, _ := mustToken(t, a, w.companyID, "session")
		before := w.counts(t)
		cases := []struct {
			who          *browser
			method, path string
			body         any
			want         int
		}{
			{w.unverified, "POST", list, proposalBody("x"), 403},
			{w.reporter, "POST", list, proposalBody("x"), 403},
			{w.review, "POST", list, proposalBody("x"), 403},
			{w.public, "POST", list, proposalBody("x"), 401},
			{w.company, "POST", "/api/v1/problems/999999/proposals", proposalBody("x"), 404},
			{w.public, "GET", "/api/v1/proposals", nil, 401},
			{w.company, "GET", "/api/v1/proposals", nil, 403},
			{w.reporter, "GET", "/api/v1/proposals", nil, 403},
			{w.company, "POST", "/api/v1/proposals/" + id + "/publish", nil, 403},
			{w.reporter, "POST", "/api/v1/proposals/" + id + "/reject", map[string]any{"reason": "x"}, 403},
			{w.public, "POST", "/api/v1/proposals/" + id + "/publish", nil, 401},
			{w.review, "POST", "/api/v1/proposals/" + id + "/reject", map[string]any{"reason": " "}, 400},
			{w.review, "POST", "/api/v1/proposals/" + id + "/reject", map[string]any{}, 400},
			{w.review, "POST", "/api/v1/proposals/999999/publish", nil, 404},
			{w.review, "POST", "/api/v1/proposals/" + id + "/publish", nil, 412}, // with a stale If-Match below
		}
		for i, c := range cases {
			var h []string
			if i == len(cases)-1 {
				h = []string{"If-Match", `"9"`}
			}
			if r := c.who.do(t, c.method, c.path, c.body, h...); r.status != c.want {
				t.Errorf("%s %s: %d, want %d: %s", c.method, c.path, r.status, c.want, clip(r.body))
			}
		}
		// A company's token without the proposals scope may not propose.
		if r := a.do(t, "POST", list, proposalBody("x"), bearer(tok)...); r.status != 403 {
			t.Errorf("a token without proposals:write: %d %s", r.status, r.body)
		}
		if after := w.counts(t); after != before {
			t.Errorf("refused requests changed proposals or audit: %v → %v", before, after)
		}

		// Publishing the first proposal moves the open problem to "proposals".
		if st := a.do(t, "GET", "/api/v1/problems/"+w.problem, nil).json(t)["status"]; st != "open" {
			t.Fatalf("the seed problem is %v", st)
		}
		r = w.review.do(t, "POST", "/api/v1/proposals/"+id+"/publish", nil, "If-Match", `"1"`)
		if r.status != 200 || r.json(t)["status"] != "published" || r.json(t)["moderated_by"] != "tham-dinh" {
			t.Fatalf("publish: %d %s", r.status, r.body)
		}
		if st := a.do(t, "GET", "/api/v1/problems/"+w.problem, nil).json(t)["status"]; st != "proposals" {
			t.Errorf("the problem after the first publication: %v", st)
		}
		if r := w.review.do(t, "POST", "/api/v1/proposals/"+id+"/publish", nil); r.status != 409 {
			t.Errorf("publishing twice: %d", r.status)
		}
		pub := items(t, w.public.do(t, "GET", list, nil))
		if len(pub) != 1 || pub[0]["title"] != `<b>Công dân số</b> & "ví điện tử"` {
			t.Fatalf("the public list: %v", pub)
		}
		for _, private := range []string{"contact_email", "submitted_by", "moderated_by"} {
			if _, ok := pub[0][private]; ok {
				t.Errorf("the public sees %s", private)
			}
		}
		if r := w.public.do(t, "GET", "/api/v1/proposals/"+id, nil); r.status != 200 || strings.Contains(string(r.body), "lienhe@") {
			t.Errorf("the public reads a published proposal: %d %s", r.status, r.body)
		}

		// A rejection's reason reaches the company, not the public.
		r = w.review.do(t, "POST", "/api/v1/proposals/"+second+"/reject", map[string]any{"reason": "Chưa nêu rõ giải pháp kỹ thuật."})
		if r.status != 200 || r.json(t)["status"] != "rejected" {
			t.Fatalf("reject: %d %s", r.status, r.body)
		}
		theirs := items(t, w.other.do(t, "GET", list, nil))
		if len(theirs) != 2 {
			t.Errorf("the other company sees %d (the published one and its own)", len(theirs))
		}
		for _, p := range theirs {
			if fmt.Sprint(p["id"]) == second && p["reject_reason"] != "Chưa nêu rõ giải pháp kỹ thuật." {
				t.Errorf("the company does not read why: %v", p)
			}
			if fmt.Sprint(p["id"]) == id && p["contact_email"] != nil {
				t.Errorf("a company reads another's contact: %v", p)
			}
		}
		if n := total(t, w.review.do(t, "GET", "/api/v1/proposals?status=rejected", nil)); n != 1 {
			t.Errorf("rejected in the queue: %d", n)
		}

		// The audit log has each change, with its actor.
		audit := items(t, a.admin(t, "GET", "/api/v1/audit?entity=proposal&limit=100", nil))
		var got []string
		for _, rec := range audit {
			got = append(got, fmt.Sprintf("%s %s %s", rec["action"], rec["entity_id"], rec["actor"]))
		}
		want := []string{"proposal.reject " + second + " tham-dinh", "proposal.publish " + id + " tham-dinh",
			"proposal.create " + second + " cong-ty-b", "proposal.create " + id + " cong-ty-a"}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if n := total(t, a.admin(t, "GET", "/api/v1/audit?entity=problem&entity_id="+w.problem, nil)); n != 1 {
			t.Errorf("the problem's status change is audited %d times", n)
		}
		// A closed problem takes no more.
		if r := a.admin(t, "PATCH", "/api/v1/problems/"+w.problem, map[string]any{"status": "closed"}); r.status != 200 {
			t.Fatalf("close: %d %s", r.status, r.body)
		}
		if r := w.company.do(t, "POST", list, proposalBody("Muộn")); r.status != 409 {
			t.Errorf("a proposal to a closed problem: %d %s", r.status, r.body)
		}
	})
}

// Bad input gets a clear error naming the field, and stores nothing.
func TestProposalsBadInput(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		w := mustProposalWorld(t, engine)
		list := "/api/v1/problems/" + w.problem + "/proposals"
		long := func(n int) string { return strings.Repeat("ư", n) }
		with := func(k, v string) map[string]any {
			b := proposalBody("Tiêu đề")
			b[k] = v
			return b
		}
		before := w.counts(t)
		for _, c := range []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"huge title", with("title", long(301)), 400, "title"},
			{"huge summary", with("summary", long(3001)), 400, "summary"},
			{"huge approach", with("approach", long(20001)), 400, "approach"},
			{"over the body limit", with("approach", strings.Repeat("a", 1<<20)), 413, ""},
			{"no title", with("title", "  "), 400, "title"},
			{"no summary", with("summary", ""), 400, "summary"},
			{"control character", with("summary", "a\u0007b"), 400, "summary"},
			{"NUL", with("approach", "a\u0000b"), 400, "approach"},
			{"bad email", with("contact_email", "không phải email"), 400, "contact_email"},
			{"invalid UTF-8", []byte("{\"title\":\"T\xffi\",\"summary\":\"s\",\"contact_email\":\"a@b.vn\"}"), 400, "body"},
			{"unknown field", `{"title":"t","summary":"s","contact_email":"a@b.vn","status":"published"}`, 400, "status"},
			{"not JSON", `title=x`, 400, "body"},
		} {
			r := w.company.do(t, "POST", list, c.body)
			if r.status != c.status {
				t.Errorf("%s: %d, want %d: %s", c.name, r.status, c.status, clip(r.body))
				continue
			}
			if c.field != "" && r.json(t)["field"] != c.field {
				t.Errorf("%s: field %v, want %s", c.name, r.json(t)["field"], c.field)
			}
		}
		if after := w.counts(t); after != before {
			t.Errorf("bad input stored something: %v → %v", before, after)
		}
		// The company's email is the contact when none is given; an account without one
		// must give it.
		b := proposalBody("Không có email")
		delete(b, "contact_email")
		if r := w.company.do(t, "POST", list, b); r.status != 400 || r.json(t)["field"] != "contact_email" {
			t.Errorf("no contact email: %d %s", r.status, r.body)
		}
	})
}

// Proposals are limited per company and per address within a window; the limit
// answers 429 with Retry-After, stores nothing, and lifts when the window passes.
// Refused proposals do not count.
func TestProposalsRateLimit(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		w := mustProposalWorld(t, engine)
		clock := newFakeClock(w.a)
		if l := w.a.app.ProposalLimits(); l != app.DefaultProposalLimits || l.PerCompany < 1 || l.Window != 24*time.Hour {
			t.Errorf("default limits: %+v", l)
		}
		w.a.app.SetProposalLimits(app.ProposalLimits{PerCompany: 2, PerAddress: 3, Window: 24 * time.Hour})
		list := "/api/v1/problems/" + w.problem + "/proposals"
		post := func(b *browser, title string) response {
			return b.do(t, "POST", list, proposalBody(title))
		}
		if r := post(w.company, ""); r.status != 400 {
			t.Fatalf("an invalid proposal: %d", r.status)
		}
		for i := 1; i <= 2; i++ {
			if r := post(w.company, "Đề xuất "+strconv.Itoa(i)); r.status != 201 {
				t.Fatalf("proposal %d: %d %s", i, r.status, r.body)
			}
			clock.advance(time.Hour)
		}
		before := w.counts(t)
		r := post(w.company, "Đề xuất 3")
		if r.status != 429 || r.json(t)["code"] != "too_many_requests" {
			t.Fatalf("over the company's limit: %d %s", r.status, r.body)
		}
		// The first of the two leaves the window 22 hours from now.
		if ra := r.header.Get("Retry-After"); ra != strconv.Itoa(22*3600) {
			t.Errorf("Retry-After %q, want %d", ra, 22*3600)
		}
		// Another company from the same address has the address's last place.
		if r := post(w.other, "Công ty B"); r.status != 201 {
			t.Fatalf("another company: %d %s", r.status, r.body)
		}
		if r := post(w.other, "Công ty B lần 2"); r.status != 429 || !strings.Contains(r.json(t)["error"].(string), "address") {
			t.Errorf("over the address's limit: %d %s", r.status, r.body)
		}
		if after := w.counts(t); after[0] != before[0]+1 || after[1] != before[1]+1 {
			t.Errorf("refused proposals were stored: %v → %v", before, after)
		}
		clock.advance(22 * time.Hour)
		if r := post(w.company, "Ngày hôm sau"); r.status != 201 {
			t.Errorf("after the window: %d %s", r.status, r.body)
		}
	})
}

// formPost sends a form as a browser does, without following the redirect.
func formPost(t *testing.T, b *browser, path string, vals url.Values) response {
	t.Helper()
	req, err := http.NewRequest("POST", b.a.URL+path, strings.NewReader(vals.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if b.cookie != "" {
		req.Header.Set("Cookie", "tinhso_session="+b.cookie)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, body}
}

// The portal's problem page: the problem and its published proposals for everyone, the
// form for a verified company only, text shown as text, and the form's refusals shown
// on the page with nothing stored.
func TestProposalPage(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		w := mustProposalWorld(t, engine)
		a := w.a
		page := "/portal/problems/" + w.problem
		form := `action="/portal/problems/` + w.problem + `/proposals"`
		for _, lang := range []string{"vi", "en"} {
			body := a.page(t, page, lang, 200)
			if m := missingRe.FindString(body); m != "" {
				t.Errorf("%s: untranslated %s", lang, m)
			}
			if strings.Contains(body, form) || !strings.Contains(body, `href="/login?next=`) {
				t.Errorf("%s: the public sees the form, or no way to sign in", lang)
			}
		}
		if r := a.do(t, "GET", "/portal/problems/999999", nil); r.status != 404 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Errorf("a missing problem: %d", r.status)
		}
		as := func(b *browser) string {
			r := b.do(t, "GET", page+"?lang=en", nil)
			if r.status != 200 {
				t.Fatalf("page: %d", r.status)
			}
			return string(r.body)
		}
		if b := as(w.unverified); strings.Contains(b, form) || !strings.Contains(b, "not verified yet") {
			t.Errorf("an unverified company's page")
		}
		if b := as(w.reporter); strings.Contains(b, form) || !strings.Contains(b, "Only a verified company") {
			t.Errorf("a reporter's page")
		}
		b := as(w.company)
		if !strings.Contains(b, form) || !strings.Contains(b, `name="csrf_token" value="`+w.company.csrf+`"`) {
			t.Fatalf("a verified company sees no form")
		}

		// Markup typed into every field is stored as typed and shown as text.
		evil := `<script>alert(1)</script><img src=x onerror=alert(2)>`
		vals := url.Values{"csrf_token": {w.company.csrf}, "title": {"Tiêu đề " + evil}, "summary": {"Tóm tắt " + evil},
			"approach": {"Cách làm " + evil}, "contact_email": {"lienhe@a.vn"}}
		r := formPost(t, w.company, page+"/proposals", vals)
		if r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), page+"?done=proposal_sent") {
			t.Fatalf("form: %d %s %s", r.status, r.header.Get("Location"), clip(r.body))
		}
		sent := w.company.do(t, "GET", r.header.Get("Location"), nil)
		if !strings.Contains(string(sent.body), `class="flash"`) || !strings.Contains(string(sent.body), `id="mine"`) {
			t.Errorf("no notice or own list after sending")
		}
		x := items(t, w.review.do(t, "GET", "/api/v1/proposals", nil))[0]
		if x["title"] != "Tiêu đề "+evil || x["approach"] != "Cách làm "+evil {
			t.Fatalf("stored: %v", x)
		}
		if r := w.review.do(t, "POST", fmt.Sprintf("/api/v1/proposals/%v/publish", x["id"]), nil); r.status != 200 {
			t.Fatal(r.status)
		}
		pub := a.page(t, page, "vi", 200)
		if strings.Contains(pub, "<script>alert") || strings.Contains(pub, "<img src=x") || strings.Count(pub, "&lt;script&gt;alert(1)&lt;/script&gt;") != 3 {
			t.Errorf("markup in a proposal is not shown as text:\n%s", clip([]byte(pub)))
		}
		if strings.Contains(pub, "lienhe@a.vn") || !strings.Contains(pub, "Người dùng cong-ty-a") {
			t.Errorf("the public page shows the contact, or not the company")
		}

		// Refusals: no CSRF token, bad text, invalid UTF-8, over the limit. Nothing stored.
		before := w.counts(t)
		noToken := url.Values{"title": {"x"}, "summary": {"y"}, "contact_email": {"a@b.vn"}}
		if r := formPost(t, w.company, page+"/proposals", noToken); r.status != 403 {
			t.Errorf("no CSRF token: %d", r.status)
		}
		bad := url.Values{"csrf_token": {w.company.csrf}, "title": {strings.Repeat("đ", 301)}, "summary": {"Giữ lại " + evil}, "contact_email": {"a@b.vn"}}
		r = formPost(t, w.company, page+"/proposals?lang=en", bad)
		body := string(r.body)
		if r.status != 400 || !strings.Contains(body, `role="alert"`) || !strings.Contains(body, "Title: ") || !strings.Contains(body, "Giữ lại &lt;script&gt;") {
			t.Errorf("a huge title: %d\n%s", r.status, clip(r.body))
		}
		utf := url.Values{"csrf_token": {w.company.csrf}, "title": {"T\xffi"}, "summary": {"s"}, "contact_email": {"a@b.vn"}}
		if r := formPost(t, w.company, page+"/proposals", utf); r.status != 400 || !strings.Contains(string(r.body), "UTF-8") {
			t.Errorf("invalid UTF-8: %d %s", r.status, clip(r.body))
		}
		if r := formPost(t, w.unverified, page+"/proposals", url.Values{"csrf_token": {w.unverified.csrf}, "title": {"x"}, "summary": {"y"},
			"contact_email": {"a@b.vn"}}); r.status != 403 {
			t.Errorf("an unverified company's form: %d", r.status)
		}
		if r := formPost(t, w.public, page+"/proposals", noToken); r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/login?next=") {
			t.Errorf("the public's form: %d %s", r.status, r.header.Get("Location"))
		}
		w.a.app.SetProposalLimits(app.ProposalLimits{PerCompany: 1, Window: time.Hour})
		ok := url.Values{"csrf_token": {w.company.csrf}, "title": {"x"}, "summary": {"y"}, "contact_email": {"a@b.vn"}}
		if r := formPost(t, w.company, page+"/proposals", ok); r.status != 429 || r.header.Get("Retry-After") == "" || !strings.Contains(string(r.body), `role="alert"`) {
			t.Errorf("over the limit: %d %v", r.status, r.header)
		}
		if after := w.counts(t); after != before {
			t.Errorf("refused forms stored something: %v → %v", before, after)
		}
		// A problem that takes no more proposals says so, and shows no form.
		if r := a.admin(t, "PATCH", "/api/v1/problems/"+w.problem, map[string]any{"status": "commissioned"}); r.status != 200 {
			t.Fatal(r.status)
		}
		if b := as(w.company); strings.Contains(b, form) || !strings.Contains(b, "no longer takes proposals") {
			t.Errorf("a commissioned problem still offers the form")
		}
	})
}
