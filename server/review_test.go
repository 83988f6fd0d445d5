package server_test

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// Findings of an independent review, kept as regressions.
func TestReviewFindings(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		nfd := norm.NFD.String

		t.Run("decomposed text is stored composed and parses", func(t *testing.T) {
			r := a.admin(t, "POST", "/api/v1/tasks", `{"document":"25-kh-ubnd","number":"70","title":"`+nfd("Nhiệm vụ thử")+`","deadline_text":"`+nfd("Tháng 7/2026")+`"}`)
			if r.status != 201 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			tk := r.json(t)
			if tk["title"] != "Nhiệm vụ thử" || tk["due_date"] != "2026-07-31" {
				t.Errorf("stored %q due %v", tk["title"], tk["due_date"])
			}
			if n := total(t, a.do(t, "GET", "/api/v1/problems?province="+strings.ReplaceAll(nfd("Thái Nguyên"), " ", "%20"), nil)); n != 13 {
				t.Errorf("decomposed province filter found %d, want 13", n)
			}
		})
		t.Run("CSV import refuses a parent cycle", func(t *testing.T) {
			r := a.admin(t, "POST", "/api/v1/org-units/import", "code,name,kind,parent\nxa-9,A,commune,xa-10\nxa-10,B,commune,xa-9\n", "Content-Type", "text/csv")
			if r.status != 400 || a.do(t, "GET", "/api/v1/org-units/xa-9", nil).status != 404 {
				t.Errorf("cycle: %d %s", r.status, r.body)
			}
		})
		t.Run("CSV import keeps what it does not name", func(t *testing.T) {
			r := a.admin(t, "POST", "/api/v1/org-units/import?update=true", "code,name,kind,parent\nso-thong-tin-va-truyen-thong,Sở Thông tin và Truyền thông,department,\n", "Content-Type", "text/csv")
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			u := a.do(t, "GET", "/api/v1/org-units/so-thong-tin-va-truyen-thong", nil).json(t)
			if u["dissolved"] == nil || u["dissolved"] == "" || u["note"] == "" {
				t.Errorf("import wiped the end date or note: %v", u)
			}
		})
		t.Run("DELETE honours If-Match", func(t *testing.T) {
			a.admin(t, "POST", "/api/v1/org-units", `{"code":"etag-del","name":"X","kind":"other"}`)
			a.admin(t, "PATCH", "/api/v1/org-units/etag-del", `{"name":"Y"}`)
			if r := a.admin(t, "DELETE", "/api/v1/org-units/etag-del", nil, "If-Match", `"1"`); r.status != 412 {
				t.Errorf("stale DELETE: %d", r.status)
			}
			if r := a.admin(t, "DELETE", "/api/v1/org-units/etag-del", nil, "If-Match", `"2"`); r.status != 204 {
				t.Errorf("fresh DELETE: %d %s", r.status, r.body)
			}
		})
		t.Run("ids are not reused", func(t *testing.T) {
			r := a.admin(t, "POST", "/api/v1/tasks", `{"document":"25-kh-ubnd","number":"71","title":"x"}`)
			id := int(r.json(t)["id"].(float64))
			a.admin(t, "DELETE", "/api/v1/tasks/"+itoa(id), nil)
			r = a.admin(t, "POST", "/api/v1/tasks", `{"document":"25-kh-ubnd","number":"72","title":"y"}`)
			if again := int(r.json(t)["id"].(float64)); again == id {
				t.Errorf("id %d handed out again", id)
			}
		})
		t.Run("PUT takes the document by number", func(t *testing.T) {
			r := a.admin(t, "PATCH", "/api/v1/tasks/25-kh-ubnd%2Ft2", `{"document":"25/KH-UBND","note":"ghi chú"}`)
			if r.status != 200 {
				t.Errorf("%d %s", r.status, r.body)
			}
		})
		t.Run("wrong method: 405 with Allow", func(t *testing.T) {
			r := a.admin(t, "PUT", "/api/v1/tasks", `{}`)
			if r.status != 405 || !strings.Contains(r.header.Get("Allow"), "POST") {
				t.Errorf("%d Allow=%q", r.status, r.header.Get("Allow"))
			}
		})
		t.Run("identifiers", func(t *testing.T) {
			for body, field := range map[string]string{
				`{"code":"123","name":"X","kind":"other"}`:                       "code",
				`{"code":"x-dup","name":"X","kind":"other","aliases":["a","a"]}`: "aliases",
			} {
				if r := a.admin(t, "POST", "/api/v1/org-units", body); r.status != 400 || r.json(t)["field"] != field {
					t.Errorf("%s: %d %s", body, r.status, r.body)
				}
			}
			if r := a.admin(t, "POST", "/api/v1/tasks", `{"document":"25-kh-ubnd","number":"73","title":"x","lead":["so-tai-chinh","so-tai-chinh"]}`); r.status != 400 {
				t.Errorf("duplicate lead: %d", r.status)
			}
			if r := a.admin(t, "POST", "/api/v1/indicators", `{"document":"25-kh-ubnd","code":"99","name":"x","parent_code":"nope"}`); r.status != 400 {
				t.Errorf("unknown parent_code: %d", r.status)
			}
			if r := a.admin(t, "POST", "/api/v1/documents", `{"slug":"x-doc","kind":"plan","title":"x","number":"1893-qd-ubnd"}`); r.status != 409 {
				t.Errorf("number that is another's slug: %d", r.status)
			}
			if r := a.admin(t, "POST", "/api/v1/documents", `{"slug":"y-doc","kind":"plan","title":"x","number":" 25/KH "}`); r.status != 400 {
				t.Errorf("number with spaces: %d", r.status)
			}
			if r := a.do(t, "GET", "/api/v1/org-units?kind=bogus", nil); r.status != 400 {
				t.Errorf("kind=bogus: %d", r.status)
			}
		})
		t.Run("successions", func(t *testing.T) {
			a.admin(t, "POST", "/api/v1/org-units", `{"code":"so-cu-x","name":"Sở cũ","kind":"department"}`)
			if r := a.admin(t, "POST", "/api/v1/successions", `{"from":["so-cu-x"],"to":["so-cu-x"],"kind":"merge","effective":"2025","citation":"x"}`); r.status != 400 {
				t.Errorf("self-succession: %d", r.status)
			}
			r := a.admin(t, "POST", "/api/v1/successions", `{"from":["so-cu-x"],"to":["so-tai-chinh"],"kind":"merge","effective":"2025-03","citation":"Quyết định số 1/QĐ-UBND"}`)
			if r.status != 201 || r.header.Get("Location") == "" {
				t.Fatalf("%d %s", r.status, r.body)
			}
			if u := a.do(t, "GET", "/api/v1/org-units/so-cu-x", nil).json(t); u["dissolved"] != "2025-03" {
				t.Errorf("merged unit not ended: %v", u["dissolved"])
			}
			if g := a.do(t, "GET", r.header.Get("Location"), nil); g.status != 200 {
				t.Errorf("GET succession: %d", g.status)
			}
			if d := a.admin(t, "DELETE", r.header.Get("Location"), nil); d.status != 204 {
				t.Errorf("DELETE succession: %d", d.status)
			}
		})
	})
}
