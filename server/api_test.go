package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/blob"
	"github.com/tinhso/tinhso/credential"
	"github.com/tinhso/tinhso/httpx"
	"github.com/tinhso/tinhso/inmem"
	"github.com/tinhso/tinhso/server"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

const adminToken = "test-admin-token-0123456789"

// testAPI is a running server (the API and the pages) over a real database loaded
// with the seed plan.
type testAPI struct {
	*httptest.Server
	db  *sqldb.DB
	app *app.App
	srv *server.Server
	// cfg is the settings the API and the pages share (the clock, the proxy, …).
	cfg *httpx.Config
}

func mustOpenAPI(tb testing.TB, engine string) *testAPI {
	tb.Helper()
	db := sqldbtest.OpenSeeded(tb, engine)
	// Passwords hashed at a small cost: the tests sign in hundreds of times, and what
	// they check does not depend on argon2's parameters (the stored hash carries them).
	uc := app.New(db, app.Options{Throttle: inmem.NewThrottle(), Quota: inmem.NewQuota(), Events: &inmem.Bus{},
		Passwords: credential.NewHasher(64, 1, 1)})
	blobs, err := blob.NewFolder(filepath.Join(tb.TempDir(), "blobs"))
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := server.New(uc, credential.HashToken(adminToken), blobs, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(validateResponses(tb, srv.Handler()))
	tb.Cleanup(ts.Close)
	return &testAPI{Server: ts, db: db, app: uc, srv: srv, cfg: srv.Config}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(tb testing.TB) map[string]any {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		tb.Fatalf("response is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

func (a *testAPI) do(tb testing.TB, method, path string, body any, headers ...string) response {
	tb.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	case io.Reader:
		rd = b
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, a.URL+path, rd)
	if err != nil {
		tb.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1] // the client sends req.Host, not a Host header
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, b}
}

func (a *testAPI) admin(tb testing.TB, method, path string, body any, headers ...string) response {
	tb.Helper()
	return a.do(tb, method, path, body, append([]string{"Authorization", "Bearer " + adminToken}, headers...)...)
}

func items(tb testing.TB, r response) []map[string]any {
	tb.Helper()
	m := r.json(tb)
	raw, _ := m["items"].([]any)
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		out[i] = x.(map[string]any)
	}
	return out
}

func total(tb testing.TB, r response) int {
	tb.Helper()
	if r.status != 200 {
		tb.Fatalf("status %d: %s", r.status, r.body)
	}
	return int(r.json(tb)["total"].(float64))
}

// The seed plan is served as the issue asks.
func TestSeedPlanServed(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		// The 68 tasks of 25/KH-UBND, with their lead agencies, by number or slug.
		for _, doc := range []string{"25/KH-UBND", "25-kh-ubnd", "25%2FKH-UBND"} {
			if n := total(t, a.do(t, "GET", "/api/v1/tasks?document="+doc, nil)); n != 68 {
				t.Errorf("tasks of %s: %d, want 68", doc, n)
			}
		}
		tasks := items(t, a.do(t, "GET", "/api/v1/tasks?document=25-kh-ubnd&limit=1000", nil))
		for _, tk := range tasks {
			if len(tk["lead"].([]any)) == 0 || tk["lead_text"] == "" {
				t.Errorf("task %v has no lead", tk["number"])
			}
			if tk["due_date"] == nil && tk["recurrence"] == nil {
				t.Errorf("task %v: deadline %q parsed to neither a date nor a recurrence", tk["number"], tk["deadline_text"])
			}
		}
		// Task 1: "Tháng 7/2025"? Whatever it is, task numbers run 1..68 in order.
		for i, tk := range tasks {
			if tk["number"] != itoa(i+1) {
				t.Fatalf("task %d has number %v", i+1, tk["number"])
			}
		}
		// Phụ lục I with parsed targets: 8.1 is ≥ 85 %, 16 a range 16–18.
		ind := items(t, a.do(t, "GET", "/api/v1/indicators?key=25-kh-ubnd/8.1", nil))
		if len(ind) != 1 || ind[0]["target"].(map[string]any)["comparator"] != ">=" || ind[0]["target"].(map[string]any)["value"] != 85.0 {
			t.Errorf("indicator 8.1: %v", ind)
		}
		ind = items(t, a.do(t, "GET", "/api/v1/indicators?key=25-kh-ubnd/16", nil))
		if tg := ind[0]["target"].(map[string]any); tg["comparator"] != "range" || tg["value"] != 16.0 || tg["upper"] != 18.0 {
			t.Errorf("indicator 16: %v", tg)
		}
		if n := total(t, a.do(t, "GET", "/api/v1/indicators?document=25-kh-ubnd&horizon=2045", nil)); n != 3 {
			t.Errorf("2045 indicators of 25/KH-UBND: %d, want 3", n)
		}
		// The 1893 and Scheme targets.
		for _, doc := range []string{"1893/QĐ-UBND", "de-an-2026-2030"} {
			if n := total(t, a.do(t, "GET", "/api/v1/indicators?document="+doc, nil)); n < 30 {
				t.Errorf("targets of %s: %d", doc, n)
			}
		}
		// Unassigned strategy tasks.
		if n := total(t, a.do(t, "GET", "/api/v1/tasks?unassigned=true&document=1893-qd-ubnd", nil)); n < 100 {
			t.Errorf("unassigned tasks of 1893: %d", n)
		}
		if n := total(t, a.do(t, "GET", "/api/v1/tasks?unassigned=true&document=25-kh-ubnd", nil)); n != 0 {
			t.Errorf("unassigned tasks of 25/KH-UBND: %d, want 0", n)
		}
		// The 23 big problems, 13 and 10.
		if n := total(t, a.do(t, "GET", "/api/v1/problems", nil)); n != 23 {
			t.Errorf("problems: %d, want 23", n)
		}
		if n := total(t, a.do(t, "GET", "/api/v1/problems?province=L%E1%BA%A1ng%20S%C6%A1n", nil)); n != 10 {
			t.Errorf("Lạng Sơn problems: %d, want 10", n)
		}
		// The funding tree adds up.
		f := a.do(t, "GET", "/api/v1/funding?document=de-an-2026-2030", nil).json(t)
		root := f["items"].([]any)[0].(map[string]any)
		if root["amount_million_vnd"] != 16303827.0 || root["balanced"] != true || len(root["children"].([]any)) == 0 {
			t.Errorf("funding root: %v", root)
		}
	})
}

// The measures endpoint shows the disagreements the issue lists.
func TestMeasureDisagreements(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		ms := items(t, a.do(t, "GET", "/api/v1/measures?limit=1000", nil))
		byKey := map[string]map[string]any{}
		for _, m := range ms {
			byKey[m["key"].(string)] = m
		}
		for _, key := range []string{"xuat-khau-cong-nghe-cao", "nhan-luc-nghien-cuu-tren-van-dan", "doanh-nghiep-co-hoat-dong-dmst",
			"ho-so-suc-khoe-dien-tu", "chi-so-chuyen-doi-so-cap-tinh", "kinh-te-so-grdp"} {
			m, ok := byKey[key]
			if !ok {
				t.Errorf("measure %s missing", key)
				continue
			}
			if m["disagree"] != true {
				t.Errorf("measure %s: documents should disagree: %v", key, m["differences"])
			}
		}
		// ≥ 40 by 2030 and ≥ 50 by 2045 differ only in horizon: not a disagreement.
		for _, d := range byKey["kinh-te-so-grdp"]["differences"].([]any) {
			d := d.(map[string]any)
			if (d["a"] == "25-kh-ubnd/7" && d["b"] == "25-kh-ubnd/26") && d["disagreement"] != false {
				t.Errorf("7 vs 26 differ only by horizon, yet: %v", d)
			}
		}
		// Digital signature "or electronic signature" (002) is not "digital signature" (003).
		for _, m := range ms {
			var docs []string
			for _, tg := range m["targets"].([]any) {
				docs = append(docs, tg.(map[string]any)["indicator"].(string))
			}
			if contains(docs, "25-kh-ubnd/22") && len(docs) > 1 {
				t.Errorf("25-kh-ubnd/22 (chữ ký số hoặc chữ ký điện tử) is linked with %v", docs)
			}
		}
		if n := total(t, a.do(t, "GET", "/api/v1/measures?disagree=true", nil)); n < 6 {
			t.Errorf("disagreeing measures: %d", n)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// Agencies show as written and with their current successors.
func TestSuccessorsShown(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		tasks := items(t, a.do(t, "GET", "/api/v1/tasks?lead=so-thong-tin-va-truyen-thong&limit=1000", nil))
		if len(tasks) == 0 {
			t.Fatal("no task led by Sở Thông tin và Truyền thông")
		}
		lead := tasks[0]["lead"].([]any)[0].(map[string]any)
		if lead["exists"] != false || !contains(toStrings(lead["successors"]), "so-khoa-hoc-va-cong-nghe") {
			t.Errorf("Sở TT&TT should be shown as gone, succeeded by Sở KH&CN: %v", lead)
		}
		if tasks[0]["lead_text"] != "Sở Thông tin và Truyền thông" {
			t.Errorf("lead as written: %v", tasks[0]["lead_text"])
		}
		// The three city UBNDs of indicator 19 no longer exist and have no known successor.
		ind := items(t, a.do(t, "GET", "/api/v1/indicators?key=25-kh-ubnd/19", nil))[0]
		gone := 0
		for _, ag := range ind["agencies"].([]any) {
			ag := ag.(map[string]any)
			if ag["kind"] == "district" {
				gone++
				if ag["exists"] != false || len(toStrings(ag["successors"])) != 0 {
					t.Errorf("%v should be gone without successor", ag["code"])
				}
			}
		}
		if gone != 3 {
			t.Errorf("indicator 19 names %d city UBNDs, want 3", gone)
		}
	})
}

func toStrings(v any) []string {
	raw, _ := v.([]any)
	var out []string
	for _, x := range raw {
		out = append(out, x.(string))
	}
	return out
}

// Every registered route is in the OpenAPI document and every path of the document is
// served; list responses carry exactly the fields their schema declares.
func TestOpenAPIMatchesHandlers(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		r := a.do(t, "GET", "/api/v1/openapi.json", nil)
		doc := r.json(t)
		if doc["openapi"] != "3.0.3" {
			t.Fatalf("openapi: %v", doc["openapi"])
		}
		paths := doc["paths"].(map[string]any)
		var documented []string
		for p, ops := range paths {
			for m := range ops.(map[string]any) {
				documented = append(documented, strings.ToUpper(m)+" "+p)
			}
		}
		routes := a.srv.API.Routes()
		sort.Strings(documented)
		sort.Strings(routes)
		if strings.Join(documented, "\n") != strings.Join(routes, "\n") {
			t.Errorf("documented:\n%s\nrouted:\n%s", strings.Join(documented, "\n"), strings.Join(routes, "\n"))
		}
		schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
		for path, schema := range map[string]string{"/api/v1/tasks": "Task", "/api/v1/indicators": "Indicator", "/api/v1/documents": "Document",
			"/api/v1/org-units": "OrgUnit", "/api/v1/problems": "Problem", "/api/v1/measures": "Measure", "/api/v1/successions": "Succession"} {
			sc := schemas[schema].(map[string]any)
			props := sc["properties"].(map[string]any)
			req := toStrings(sc["required"])
			for _, it := range items(t, a.do(t, "GET", path+"?limit=1000", nil)) {
				for k := range it {
					if _, ok := props[k]; !ok {
						t.Errorf("%s: field %q not in schema %s", path, k, schema)
					}
				}
				for _, k := range req {
					if _, ok := it[k]; !ok {
						t.Errorf("%s: required field %q missing", path, k)
					}
				}
			}
		}
	})
}
