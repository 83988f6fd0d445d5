package server_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"golang.org/x/text/unicode/norm"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// page fetches a page in a language and fails the test unless it answers status.
func (a *testAPI) page(tb testing.TB, path, lang string, status int) string {
	tb.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	r := a.do(tb, "GET", path+sep+"lang="+lang, nil)
	if r.status != status {
		tb.Fatalf("GET %s (%s): status %d, want %d\n%s", path, lang, r.status, status, clip(r.body))
	}
	return string(r.body)
}

// uiPages lists a page of every route, with records of the seed.
func uiPages(tb testing.TB, a *testAPI) []string {
	tb.Helper()
	task := items(tb, a.do(tb, "GET", "/api/v1/tasks?document=25-kh-ubnd&limit=1", nil))[0]["id"]
	ind := items(tb, a.do(tb, "GET", "/api/v1/indicators?key=25-kh-ubnd/8.1", nil))[0]["id"]
	prob := items(tb, a.do(tb, "GET", "/api/v1/problems?limit=1", nil))[0]["id"]
	return []string{
		"/",
		"/?document=25-kh-ubnd&section=III&agency=so-khoa-hoc-va-cong-nghe",
		"/tasks", "/tasks?page=3", "/tasks?q=chuyen+doi+so&sort=due", "/tasks?state=overdue", "/tasks?unassigned=1",
		fmt.Sprintf("/tasks/%v", task),
		"/indicators", "/indicators?document=1893-qd-ubnd&sort=name", fmt.Sprintf("/indicators/%v", ind),
		"/measures", "/measures?disagree=1", "/measures/chi-so-chuyen-doi-so-cap-tinh",
		"/problems", "/problems?province=L%E1%BA%A1ng+S%C6%A1n", fmt.Sprintf("/problems/%v", prob),
		"/org-units", "/org-units?kind=department", "/org-units/so-thong-tin-va-truyen-thong",
		"/documents", "/documents/25-kh-ubnd", "/documents/de-an-2026-2030",
		"/portal", "/portal/problems", "/portal/problems?status=open", "/portal/data",
	}
}

var (
	missingRe = regexp.MustCompile(`\?\?[a-z_.-]+\?\?`)
	urlAttrRe = regexp.MustCompile(`(?i)\b(src|href|action|srcset|poster|data)\s*=\s*["']?([^"'\s>]+)`)
)

// Every page answers 200 with the seed data, in Vietnamese and English, with every
// message translated, nothing loaded from outside the server, and its time logged.
func TestUIPages(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		a.cfg.PublicBoard = true // what this test reads on the board, as a province that publishes it shows it to all
		for _, p := range uiPages(t, a) {
			for _, lang := range []string{"vi", "en"} {
				start := time.Now()
				body := a.page(t, p, lang, 200)
				t.Logf("%-70s %s %6.1f ms", p, lang, float64(time.Since(start).Microseconds())/1000)
				if !strings.Contains(body, `<html lang="`+lang+`">`) {
					t.Errorf("%s (%s): no lang attribute %q", p, lang, lang)
				}
				if m := missingRe.FindString(body); m != "" {
					t.Errorf("%s (%s): untranslated message %s", p, lang, m)
				}
				for _, m := range urlAttrRe.FindAllStringSubmatch(body, -1) {
					if u := m[2]; !strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "#") && !strings.HasPrefix(u, "?") {
						t.Errorf("%s (%s): %s=%q points outside the server", p, lang, m[1], u)
					}
				}
				if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
					i := strings.Index(body, "http")
					t.Errorf("%s (%s): holds an absolute URL: %s", p, lang, body[max(0, i-80):min(len(body), i+80)])
				}
				if !strings.Contains(body, `class="skip" href="#main"`) || !strings.Contains(body, `<main id="main"`) {
					t.Errorf("%s: no skip link to main", p)
				}
				for _, id := range regexp.MustCompile(`<(?:input|select|textarea) [^>]*id="([^"]+)"`).FindAllStringSubmatch(body, -1) {
					if !strings.Contains(body, `<label for="`+id[1]+`"`) {
						t.Errorf("%s: control %s has no label", p, id[1])
					}
				}
				if strings.Contains(body, "<th>") {
					t.Errorf("%s: a table header without scope", p)
				}
			}
		}
		// English is English.
		if b := a.page(t, "/", "en", 200); !strings.Contains(b, "Operations board") || strings.Contains(b, "Bảng điều hành</h1>") {
			t.Errorf("the English board is not in English")
		}
		// The language sticks in a cookie.
		r := a.do(t, "GET", "/tasks?lang=en", nil)
		if !strings.Contains(r.header.Get("Set-Cookie"), "lang=en") {
			t.Errorf("?lang=en set no cookie: %v", r.header)
		}
		r = a.do(t, "GET", "/tasks", nil, "Cookie", "lang=en")
		if !strings.Contains(string(r.body), `<html lang="en">`) {
			t.Errorf("the lang cookie is not followed")
		}
		// Missing records are 404 pages, not JSON.
		for _, p := range []string{"/tasks/999999", "/tasks/abc", "/indicators/999999", "/measures/nope", "/problems/999999", "/org-units/nope", "/documents/nope"} {
			r := a.do(t, "GET", p, nil)
			if r.status != 404 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Errorf("GET %s: %d %s", p, r.status, r.header.Get("Content-Type"))
			}
		}
	})
}

var idCountRe = func(id string) *regexp.Regexp {
	return regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `" href="([^"]*)">(?:<span class="n">)?([\d.,]+)[<\s]`)
}

// count reads the figure an element with id shows, and where it links.
func count(tb testing.TB, body, id string) (int, string) {
	tb.Helper()
	m := idCountRe(id).FindStringSubmatch(body)
	if m == nil {
		tb.Fatalf("no figure with id %q on the page", id)
	}
	var n int
	fmt.Sscan(strings.NewReplacer(".", "", ",", "").Replace(m[2]), &n)
	return n, strings.ReplaceAll(m[1], "&amp;", "&")
}

// The board shows the seed plan: 68 tasks of 25/KH-UBND, and as many overdue as have
// a parsed due date before today in the province, each figure linking to its records.
func TestUIBoard(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		a.cfg.PublicBoard = true // what this test reads on the board, as a province that publishes it shows it to all
		body := a.page(t, "/", "vi", 200)
		n, link := count(t, body, "count-25-kh-ubnd-total")
		if n != 68 {
			t.Errorf("board: %d tasks of 25/KH-UBND, want 68", n)
		}
		if link != "/tasks?document=25-kh-ubnd" {
			t.Errorf("the 68 link to %q", link)
		}
		// Overdue, computed here independently.
		today := time.Now().In(tinhso.Location).Format("2006-01-02")
		overdue := map[string]int{}
		all := 0
		for _, tk := range items(t, a.do(t, "GET", "/api/v1/tasks?limit=1000", nil)) {
			if d, _ := tk["due_date"].(string); d != "" && d < today {
				overdue[tk["document"].(string)]++
				all++
			}
		}
		if overdue["25-kh-ubnd"] == 0 {
			t.Fatalf("no overdue task of 25/KH-UBND by %s: the test proves nothing", today)
		}
		n, link = count(t, body, "count-25-kh-ubnd-overdue")
		if n != overdue["25-kh-ubnd"] {
			t.Errorf("board: %d overdue tasks of 25/KH-UBND, want %d", n, overdue["25-kh-ubnd"])
		}
		// The figure links to exactly the records it counts.
		list := a.page(t, link, "vi", 200)
		if got := strings.Count(list, `<tr data-task="25-kh-ubnd/`); got != min(n, 50) {
			t.Errorf("%s lists %d tasks, want %d", link, got, min(n, 50))
		}
		if n, _ := count(t, body, "task-class-overdue"); n != all {
			t.Errorf("board: %d overdue in all, want %d", n, all)
		}
		// Strategy items nobody owns; owners gone (Sở Thông tin và Truyền thông merged).
		if n, _ := count(t, body, "unowned-1893-qd-ubnd"); n < 100 {
			t.Errorf("unowned tasks of 1893: %d", n)
		}
		if !strings.Contains(body, "Sở Thông tin và Truyền thông") || !strings.Contains(body, "Sở Khoa học và Công nghệ") {
			t.Errorf("the board does not show the merged Sở Thông tin và Truyền thông and its successor")
		}
		if !strings.Contains(body, "chưa có số liệu") {
			t.Errorf("the board does not say there is no figure yet")
		}
		if n, _ := count(t, body, "indicators-25-kh-ubnd"); n != 42 {
			t.Errorf("indicators of 25/KH-UBND: %d, want 42", n)
		}
		// Filters: a document and a section.
		body = a.page(t, "/?document=25/KH-UBND&section=III", "vi", 200)
		n, _ = count(t, body, "count-25-kh-ubnd-total")
		want := total(t, a.do(t, "GET", "/api/v1/tasks?document=25-kh-ubnd&section=III", nil))
		if n != want || want == 0 {
			t.Errorf("board filtered by section III: %d, want %d", n, want)
		}
		if strings.Contains(body, `id="count-1893-qd-ubnd-total"`) {
			t.Errorf("the filtered board shows another document")
		}
	})
}

// Search finds Vietnamese with or without diacritics, in any case.
func TestUISearch(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		rows := func(body string) int { return strings.Count(body, "<tr data-task=") }
		with := a.page(t, "/tasks?q=chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91", "vi", 200) // chuyển đổi số
		without := a.page(t, "/tasks?q=chuyen+doi+so", "vi", 200)
		upper := a.page(t, "/tasks?q=CHUYEN+DOI+SO", "vi", 200)
		if rows(with) == 0 || rows(with) != rows(without) || rows(with) != rows(upper) {
			t.Errorf("chuyển đổi số: %d, chuyen doi so: %d, CHUYEN DOI SO: %d", rows(with), rows(without), rows(upper))
		}
		if !strings.Contains(without, "chuyển đổi số") {
			t.Errorf("chuyen doi so does not find chuyển đổi số")
		}
		// đ folds to d.
		if b := a.page(t, "/indicators?q=doanh+nghiep", "vi", 200); !strings.Contains(b, "data-indicator=") {
			t.Errorf("doanh nghiep finds no indicator")
		}
		if b := a.page(t, "/problems?q=cong+dan+so", "vi", 200); !strings.Contains(b, "Mô hình công dân số") {
			t.Errorf("cong dan so does not find Mô hình công dân số")
		}
		if b := a.page(t, "/tasks?q=zzzzqqq", "vi", 200); rows(b) != 0 {
			t.Errorf("nonsense finds tasks")
		}
		// Pagination: 50 a page.
		b := a.page(t, "/tasks", "vi", 200)
		if rows(b) != 50 || !strings.Contains(b, `href="/tasks?page=2"`) {
			t.Errorf("page 1 of tasks: %d rows", rows(b))
		}
	})
}

// A task's page quotes its source passage and says where it is.
func TestUITaskSource(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		tk := items(t, a.do(t, "GET", "/api/v1/tasks?key=25-kh-ubnd/t1", nil))[0]
		path := fmt.Sprintf("/tasks/%v", tk["id"])
		body := a.page(t, path, "vi", 200)
		src := tk["source"].(map[string]any)
		span := src["span"].(map[string]any)
		loc := fmt.Sprintf("Nguồn: <code>%s, dòng %v–%v</code>", span["file"], span["line"], span["end_line"])
		// Officials read the passage, composed (NFC) so that its marks sit on their
		// letters; the source file and line are for admins, behind a detail.
		if strings.Contains(body, loc) || strings.Contains(body, fmt.Sprint(span["file"])) {
			t.Errorf("the public task page names its source file")
		}
		quote := templateEscape(norm.NFC.String(src["text"].(string)))
		if !strings.Contains(body, `<blockquote lang="vi">`+quote+"</blockquote>") {
			t.Errorf("task page does not quote its passage %q", quote)
		}
		for _, want := range []string{"Tháng 7/2025", "31/07/2025", "Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"} {
			if !strings.Contains(body, want) {
				t.Errorf("task page lacks %q", want)
			}
		}
		mustUser(t, a, "quan.tri", "admin", "")
		adm := mustLogin(t, a, "quan.tri", testPassword)
		ab := string(adm.get(t, path).body)
		if !regexp.MustCompile(`(?s)<details class="admin-only"><summary>Chi tiết trích xuất \(quản trị\)</summary>\s*<p class="loc">` + regexp.QuoteMeta(loc)).MatchString(ab) {
			t.Errorf("the admin's task page does not say where its source is, behind a detail")
		}
		en := string(adm.get(t, path+"?lang=en").body)
		if !strings.Contains(en, fmt.Sprintf("Source: <code>%s, lines %v–%v</code>", span["file"], span["line"], span["end_line"])) {
			t.Errorf("the English task page does not say where its source is")
		}
	})
}

func templateEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&#34;")
		case '\'':
			b.WriteString("&#39;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// The open data downloads parse, count right, carry a BOM and block formulas; the
// catalogue is DCAT.
func TestUIOpenData(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		for _, c := range []struct {
			path string
			want int
		}{{"/portal/data/tasks.csv?document=25-kh-ubnd", 68}, {"/portal/data/tasks.json?document=25/KH-UBND", 68},
			{"/portal/data/indicators.csv", 150}, {"/portal/data/indicators.json", 150},
			{"/portal/data/problems.csv", 23}, {"/portal/data/problems.json", 23},
			{"/portal/data/tasks.csv", 262}} {
			r := a.do(t, "GET", c.path, nil)
			if r.status != 200 {
				t.Fatalf("%s: %d %s", c.path, r.status, clip(r.body))
			}
			if strings.Contains(c.path, ".csv") {
				if !bytes.HasPrefix(r.body, []byte("\xEF\xBB\xBF")) {
					t.Errorf("%s: no UTF-8 BOM", c.path)
				}
				recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\xEF\xBB\xBF")))).ReadAll()
				if err != nil {
					t.Fatalf("%s: %v", c.path, err)
				}
				if len(recs)-1 != c.want {
					t.Errorf("%s: %d rows, want %d", c.path, len(recs)-1, c.want)
				}
				if recs[0][0] != "key" || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
					t.Errorf("%s: header %v, type %s", c.path, recs[0], r.header.Get("Content-Type"))
				}
				for _, rec := range recs[1:] {
					for _, cell := range rec {
						if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
							t.Errorf("%s: cell %q could run as a formula", c.path, cell)
						}
					}
				}
			} else {
				var list []map[string]any
				if err := json.Unmarshal(r.body, &list); err != nil {
					t.Fatalf("%s: %v", c.path, err)
				}
				if len(list) != c.want {
					t.Errorf("%s: %d records, want %d", c.path, len(list), c.want)
				}
			}
		}
		// Formula injection: a task whose title starts with "=".
		doc := "25-kh-ubnd"
		r := a.admin(t, "POST", "/api/v1/tasks", map[string]any{"document": doc, "number": "9001", "title": "=HYPERLINK(\"x\")", "deliverable": "@SUM(A1)", "lead_text": "+1", "note": "-2"})
		if r.status != 201 {
			t.Fatalf("create task: %d %s", r.status, r.body)
		}
		r = a.do(t, "GET", "/portal/data/tasks.csv?document="+doc, nil)
		if !strings.Contains(string(r.body), `'=HYPERLINK(""x"")`) || !strings.Contains(string(r.body), "'@SUM(A1)") || !strings.Contains(string(r.body), "'+1") {
			t.Errorf("formula cells are not defused:\n%s", clip(r.body[len(r.body)-400:]))
		}
		if r := a.do(t, "GET", "/portal/data/nope.csv", nil); r.status != 404 {
			t.Errorf("unknown dataset: %d", r.status)
		}
		// The catalogue: without a configured public address its links are relative,
		// whatever Host the client sends (issue 9).
		r = a.do(t, "GET", "/portal/data/catalog.json", nil, "Host", "evil.example")
		if strings.Contains(string(r.body), "evil.example") || strings.Contains(string(r.body), a.URL) {
			t.Errorf("the catalogue builds links from the request's Host: %s", clip(r.body))
		}
		var cat map[string]any
		if err := json.Unmarshal(r.body, &cat); err != nil {
			t.Fatalf("catalog.json: %v", err)
		}
		if cat["@type"] != "dcat:Catalog" {
			t.Errorf("catalog type %v", cat["@type"])
		}
		ds, _ := cat["dcat:dataset"].([]any)
		if len(ds) != 5 { // indicators, tasks, figures, problems, assessment results
			t.Fatalf("datasets: %d", len(ds))
		}
		for _, x := range ds {
			d := x.(map[string]any)
			titles := d["dct:title"].([]any)
			if d["@type"] != "dcat:Dataset" || len(titles) != 2 || d["dct:license"] == nil || d["dct:modified"] == "" || d["dct:description"] == nil {
				t.Errorf("dataset %v", d)
			}
			for _, y := range d["dcat:distribution"].([]any) {
				dist := y.(map[string]any)
				u := dist["dcat:downloadURL"].(map[string]any)["@id"].(string)
				if dist["dcat:mediaType"] == nil || !strings.HasPrefix(u, "/portal/data/") {
					t.Errorf("distribution %v", dist)
				}
				if r := a.do(t, "GET", u, nil); r.status != 200 {
					t.Errorf("%s: %d", u, r.status)
				}
			}
		}
	})
}

// Text users type is shown as text everywhere.
func TestUIEscapes(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		a.cfg.PublicBoard = true // what this test reads on the board, as a province that publishes it shows it to all
		const evil = `<script>alert(1)</script>`
		const evilAttr = `"><img src=x onerror=alert(1)>`
		r := a.admin(t, "POST", "/api/v1/org-units", map[string]any{"code": "evil-unit", "name": evil, "kind": "department", "aliases": []string{evilAttr}, "note": evil})
		if r.status != 201 {
			t.Fatalf("create org unit: %d %s", r.status, r.body)
		}
		r = a.admin(t, "POST", "/api/v1/tasks", map[string]any{"document": "25-kh-ubnd", "number": "9002", "section": "I", "title": evil,
			"lead_text": evil, "lead": []string{"evil-unit"}, "deliverable": evilAttr, "deadline_text": evil, "note": evil})
		if r.status != 201 {
			t.Fatalf("create task: %d %s", r.status, r.body)
		}
		task := r.json(t)["id"]
		r = a.admin(t, "POST", "/api/v1/indicators", map[string]any{"document": "25-kh-ubnd", "code": "99", "name": evil, "unit": evil,
			"target_text": evil, "agencies_text": evil, "agencies": []string{"evil-unit"}, "baseline": evilAttr})
		if r.status != 201 {
			t.Fatalf("create indicator: %d %s", r.status, r.body)
		}
		ind := r.json(t)["id"]
		r = a.admin(t, "POST", "/api/v1/problems", map[string]any{"document": "bai-toan-thai-nguyen-2025", "province": evil, "number": 99,
			"title": evil, "basis": evil, "expected_results": evilAttr, "status": "open"})
		if r.status != 201 {
			t.Fatalf("create problem: %d %s", r.status, r.body)
		}
		prob := r.json(t)["id"]
		pages := []string{"/", "/?agency=evil-unit", "/tasks", "/tasks?q=script", "/tasks?agency=evil-unit", fmt.Sprintf("/tasks/%v", task),
			"/indicators?q=script", fmt.Sprintf("/indicators/%v", ind), "/org-units", "/org-units?q=script", "/org-units/evil-unit",
			"/problems", fmt.Sprintf("/problems/%v", prob), "/portal/problems", "/portal/problems?province=" + "%3Cscript%3E",
			"/tasks?q=" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/tasks?q=%22%3E%3Cimg%20src%3Dx%3E"}
		for _, p := range pages {
			for _, lang := range []string{"vi", "en"} {
				body := a.page(t, p, lang, 200)
				if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || strings.Contains(body, `"><img`) {
					t.Errorf("%s (%s): typed text is not escaped", p, lang)
				}
				if strings.Contains(p, "q=") || strings.Contains(p, "evil") || strings.Contains(p, "/tasks/") || strings.Contains(p, "/problems/") {
					if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
						t.Errorf("%s (%s): the typed text is not shown as text", p, lang)
					}
				}
			}
		}
	})
}

// Assets are served under checksummed URLs with long cache headers; pages load only them.
func TestUIAssets(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	body := a.page(t, "/", "vi", 200)
	m := regexp.MustCompile(`href="(/assets/app\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no checksummed stylesheet link")
	}
	r := a.do(t, "GET", m[1], nil)
	if r.status != 200 || !strings.Contains(r.header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") {
		t.Errorf("%s: %d %v", m[1], r.status, r.header)
	}
	if r := a.do(t, "GET", m[1], nil, "If-None-Match", r.header.Get("ETag")); r.status != 304 {
		t.Errorf("If-None-Match: %d", r.status)
	}
	if r := a.do(t, "GET", "/assets/app.css", nil); r.status != 404 {
		t.Errorf("an unversioned asset URL: %d", r.status)
	}
	res, err := http.Get(a.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("CSP: %q", csp)
	}
}

// BenchmarkPages measures the server time of each page with the seed data.
func BenchmarkPages(b *testing.B) {
	a := mustOpenAPI(b, "sqlite")
	for _, p := range uiPages(b, a) {
		name := strings.TrimPrefix(p, "/")
		if name == "" || strings.HasPrefix(name, "?") {
			name = "board" + name
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				r := a.do(b, "GET", p, nil)
				if r.status != 200 {
					b.Fatalf("%s: %d", p, r.status)
				}
			}
		})
	}
}

// Once a figure is approved, the board, the indicator and the portal show it, with a
// chart drawn from it and its period named.
func TestUIFigures(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		a.cfg.PublicBoard = true // what this test reads on the board, as a province that publishes it shows it to all
		ctx := tinhso.WithActor(context.Background(), tinhso.Actor{Username: "ui-test", Address: "127.0.0.1"})
		db := a.db
		if err := db.CreateRegime(ctx, &tinhso.Regime{Key: "kh25-quy", Name: "Báo cáo quý KH 25", Document: "25/KH-UBND", Receiver: "so-khoa-hoc-va-cong-nghe",
			Frequency: tinhso.FreqQuarterly, CutoffDay: 14, DeadlineDays: 10}); err != nil {
			t.Fatal(err)
		}
		// The blockers an admin resolves before a period opens: communes, and successors
		// of the former city UBNDs (synthetic).
		if _, _, err := db.ImportOrgUnits(ctx, []*tinhso.OrgUnit{
			{Code: "mau-phuong-1", Name: "Phường Mẫu Một (dữ liệu mẫu)", Kind: tinhso.KindCommune, ParentCode: "ubnd-tinh-thai-nguyen", Synthetic: true},
		}, tinhso.OrgUnitImport{}); err != nil {
			t.Fatal(err)
		}
		units, _, _ := db.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Kind: tinhso.KindDistrict, Page: tinhso.Page{Limit: 100}})
		for _, u := range units {
			if err := db.CreateSuccession(ctx, &tinhso.Succession{From: []string{u.Code}, To: []string{"mau-phuong-1"}, Kind: "merge", Effective: "2025-07-01",
				Citation: "Nghị quyết sắp xếp đơn vị hành chính (ví dụ kiểm thử)"}); err != nil {
				t.Fatal(err)
			}
		}
		p, err := a.app.OpenPeriod(ctx, "kh25-quy", 2026, 1)
		if err != nil {
			t.Fatal(err)
		}
		subs, _, _ := db.FindSubmissions(ctx, tinhso.SubmissionFilter{Period: p.ID, OrgUnit: "so-tai-chinh"})
		if len(subs) != 1 {
			t.Fatalf("so-tai-chinh: %d submissions", len(subs))
		}
		v := 72.5
		s, err := a.app.SaveSubmission(ctx, subs[0].ID, []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/8.3", Number: &v, Unit: "%"}}, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.app.Transition(ctx, s.ID, tinhso.TransSubmit, "", s.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := a.app.Transition(ctx, s.ID, tinhso.TransApprove, "", 0); err != nil {
			t.Fatal(err)
		}
		board := a.page(t, "/", "vi", 200)
		if !strings.Contains(board, "<strong>72,5</strong></a>") || !strings.Contains(board, "kỳ Q1/2026") {
			t.Errorf("the board does not show the approved 72,5 of Q1/2026")
		}
		if en := a.page(t, "/", "en", 200); !strings.Contains(en, "<strong>72.5</strong>") {
			t.Errorf("the English board does not write 72.5")
		}
		ind := items(t, a.do(t, "GET", "/api/v1/indicators?key=25-kh-ubnd/8.3", nil))[0]["id"]
		page := a.page(t, fmt.Sprintf("/indicators/%v", ind), "vi", 200)
		if !strings.Contains(page, `data-chart="forecast"`) || !strings.Contains(page, `"values":[72.5]`) || !regexp.MustCompile(`src="/assets/vendor/uPlot\.iife\.min\.[0-9a-f]{12}\.js"`).MatchString(page) {
			t.Errorf("the indicator page draws no chart of its figure")
		}
		portal := a.page(t, "/portal", "vi", 200)
		if strings.Contains(portal, `id="portal-empty"`) || !strings.Contains(portal, "72,5") || !strings.Contains(portal, `id="portal-bars"`) {
			t.Errorf("the portal does not show the approved figure")
		}
		// Pages without figures load no chart script (only the phone menu's).
		if b := a.page(t, "/tasks", "vi", 200); strings.Count(b, "<script") != 1 || !strings.Contains(b, `<script src="/assets/menu.`) {
			t.Errorf("the task list loads a script besides the menu's")
		}
	})
}
