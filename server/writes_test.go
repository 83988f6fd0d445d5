package server_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// Bad input gets a 4xx with a JSON error naming the field, and changes nothing.
func TestBadInput(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		task := items(t, a.do(t, "GET", "/api/v1/tasks?key=25-kh-ubnd/t12", nil))[0]
		id := itoa(int(task["id"].(float64)))
		before := string(a.do(t, "GET", "/api/v1/tasks/"+id, nil).body)
		countBefore := total(t, a.do(t, "GET", "/api/v1/tasks", nil))
		valid := `{"document":"25-kh-ubnd","number":"99","title":"Nhiệm vụ thử","lead":["so-khoa-hoc-va-cong-nghe"],"deadline_text":"Tháng 7/2025"}`
		huge := `{"document":"25-kh-ubnd","number":"100","title":"` + strings.Repeat("a", 2<<20) + `"}`
		cases := []struct {
			name, method, path, body string
			status                   int
			field                    string
		}{
			{"malformed JSON", "POST", "/api/v1/tasks", `{"document": "25-kh-ubnd", "title": }`, 400, "body"},
			{"truncated JSON", "POST", "/api/v1/tasks", `{"document": "25-kh-ubnd"`, 400, "body"},
			{"empty body", "POST", "/api/v1/tasks", ``, 400, "body"},
			{"array instead of object", "POST", "/api/v1/tasks", `[1,2]`, 400, "body"},
			{"two objects", "POST", "/api/v1/tasks", valid + valid, 400, "body"},
			{"wrong type: number as string", "POST", "/api/v1/tasks", `{"document":"25-kh-ubnd","number":12,"title":"x"}`, 400, "number"},
			{"wrong type: lead as string", "POST", "/api/v1/tasks", `{"document":"25-kh-ubnd","number":"101","title":"x","lead":"so-tai-chinh"}`, 400, "lead"},
			{"wrong type: horizon as string", "POST", "/api/v1/indicators", `{"document":"25-kh-ubnd","code":"99","name":"x","horizon":"2030"}`, 400, "horizon"},
			{"unknown field", "POST", "/api/v1/tasks", `{"document":"25-kh-ubnd","number":"102","title":"x","owner":"me"}`, 400, "owner"},
			{"computed field", "POST", "/api/v1/tasks", `{"document":"25-kh-ubnd","number":"103","title":"x","due_date":"2025-01-01"}`, 400, "due_date"},
			{"body over the limit", "POST", "/api/v1/tasks", huge, 413, ""},
			{"invalid UTF-8", "POST", "/api/v1/tasks", "{\"document\":\"25-kh-ubnd\",\"number\":\"104\",\"title\":\"\xff\xfe\"}", 400, "body"},
			{"missing title", "POST", "/api/v1/tasks", `{"document":"25-kh-ubnd","number":"105"}`, 400, "title"},
			{"unknown document", "POST", "/api/v1/tasks", `{"document":"no-such","number":"106","title":"x"}`, 404, "document"},
			{"unknown lead", "POST", "/api/v1/tasks", `{"document":"25-kh-ubnd","number":"107","title":"x","lead":["so-khong-co"]}`, 400, "lead"},
			{"duplicate number", "POST", "/api/v1/tasks", `{"document":"25-kh-ubnd","number":"12","title":"x"}`, 409, ""},
			{"control character", "POST", "/api/v1/tasks", `{"document":"25-kh-ubnd","number":"108","title":"a\u0000b"}`, 400, "title"},
			{"bad org-unit kind", "POST", "/api/v1/org-units", `{"code":"x-1","name":"X","kind":"planet"}`, 400, "kind"},
			{"bad org-unit code", "POST", "/api/v1/org-units", `{"code":"../../etc/passwd","name":"X","kind":"other"}`, 400, "code"},
			{"bad dissolved date", "POST", "/api/v1/org-units", `{"code":"x-2","name":"X","kind":"other","dissolved":"hôm qua"}`, 400, "dissolved"},
			{"problem number negative", "POST", "/api/v1/problems", `{"document":"bai-toan-lang-son-2025","province":"Lạng Sơn","number":-1,"title":"x"}`, 400, "number"},
			{"bad status", "POST", "/api/v1/problems", `{"document":"bai-toan-lang-son-2025","province":"Lạng Sơn","number":11,"title":"x","status":"maybe"}`, 400, "status"},
			{"move a task to another document", "PATCH", "/api/v1/tasks/" + id, `{"document":"1893-qd-ubnd"}`, 400, "document"},
			{"PATCH wrong type", "PATCH", "/api/v1/tasks/" + id, `{"title":false}`, 400, "title"},
			{"PATCH with stale If-Match", "PATCH", "/api/v1/tasks/" + id, `{"title":"x"}`, 412, ""},
			{"non-JSON content type", "POST", "/api/v1/tasks", valid, 400, "Content-Type"},
			{"limit too large", "GET", "/api/v1/tasks?limit=1001", "", 400, "limit"},
			{"limit zero", "GET", "/api/v1/tasks?limit=0", "", 400, "limit"},
			{"limit not a number", "GET", "/api/v1/tasks?limit=abc", "", 400, "limit"},
			{"negative offset", "GET", "/api/v1/tasks?offset=-1", "", 400, "offset"},
			{"bad date filter", "GET", "/api/v1/tasks?due_before=31/12/2025", "", 400, "due_before"},
			{"unknown filter", "GET", "/api/v1/tasks?sectoin=I", "", 400, "sectoin"},
			{"bad horizon", "GET", "/api/v1/indicators?horizon=soon", "", 400, "horizon"},
			{"unknown document filter", "GET", "/api/v1/indicators?document=99/XX", "", 404, "document"},
			{"bad id", "GET", "/api/v1/tasks/abc", "", 400, "id"},
			{"missing id", "GET", "/api/v1/tasks/999999", "", 404, ""},
			{"unknown endpoint", "GET", "/api/v1/nothing", "", 404, ""},
			{"NUL in a filter", "GET", "/api/v1/tasks?section=%00", "", 400, "query"},
			{"NUL in a path", "GET", "/api/v1/documents/a%00b", "", 400, "path"},
			{"invalid UTF-8 in a filter", "GET", "/api/v1/problems?province=%FF%FE", "", 400, "query"},
			{"invalid UTF-8 in a path", "GET", "/api/v1/org-units/%C3%28", "", 400, "path"},
			{"bad escape in the query", "GET", "/api/v1/tasks?section=%zz", "", 400, "query"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				headers := []string{}
				if c.name == "PATCH with stale If-Match" {
					headers = append(headers, "If-Match", `"999"`)
				}
				var r response
				if c.name == "non-JSON content type" {
					headers = append(headers, "Content-Type", "text/plain")
				}
				var body any
				if c.body != "" || c.method != "GET" {
					body = c.body
				}
				r = a.admin(t, c.method, c.path, body, headers...)
				if r.status != c.status {
					t.Fatalf("status %d, want %d: %s", r.status, c.status, clip(r.body))
				}
				e := r.json(t)
				if e["error"] == "" || e["error"] == nil {
					t.Errorf("no error message: %s", r.body)
				}
				if c.field != "" && e["field"] != c.field {
					t.Errorf("field %v, want %q: %s", e["field"], c.field, clip(r.body))
				}
			})
		}
		if after := string(a.do(t, "GET", "/api/v1/tasks/"+id, nil).body); after != before {
			t.Errorf("a rejected request changed task 12")
		}
		if n := total(t, a.do(t, "GET", "/api/v1/tasks", nil)); n != countBefore {
			t.Errorf("tasks: %d after rejected requests, %d before", n, countBefore)
		}
	})
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// Writes need the admin token.
func TestWritesNeedToken(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		body := `{"code":"x-1","name":"X","kind":"other"}`
		for _, h := range [][]string{nil, {"Authorization", "Bearer wrong-token"}, {"Authorization", "Basic YWRtaW46YWRtaW4="}, {"Authorization", "Bearer "}} {
			r := a.do(t, "POST", "/api/v1/org-units", body, h...)
			if r.status != 401 || r.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%v: status %d, want 401 with WWW-Authenticate", h, r.status)
			}
		}
		for _, m := range []string{"PUT", "PATCH", "DELETE"} {
			if r := a.do(t, m, "/api/v1/tasks/1", `{}`); r.status != 401 {
				t.Errorf("%s without token: %d", m, r.status)
			}
		}
		if r := a.do(t, "GET", "/api/v1/org-units/x-1", nil); r.status != 404 {
			t.Errorf("a refused write created the unit: %d", r.status)
		}
	})
}

// Create, read, replace, patch with ETags, delete; 409 when others refer to a row.
func TestWriteLifecycle(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		r := a.admin(t, "POST", "/api/v1/org-units", map[string]any{"code": "so-thu-nghiem", "name": "Sở Thử nghiệm <b>", "kind": "department", "parent": "ubnd-tinh-thai-nguyen"})
		if r.status != 201 || r.header.Get("Location") == "" || r.header.Get("ETag") != `"1"` {
			t.Fatalf("create org unit: %d %s %v", r.status, r.body, r.header)
		}
		r = a.admin(t, "POST", "/api/v1/tasks", map[string]any{"document": "25/KH-UBND", "number": "69", "title": "Nhiệm vụ bổ sung",
			"lead": []string{"so-thu-nghiem"}, "deadline_text": "Tháng 11 của năm trước"})
		if r.status != 201 {
			t.Fatalf("create task: %d %s", r.status, r.body)
		}
		task := r.json(t)
		path := "/api/v1/tasks/" + itoa(int(task["id"].(float64)))
		if task["key"] != "25-kh-ubnd/t69" || task["recurrence"].(map[string]any)["due_month"] != 11.0 || task["unassigned"] != false {
			t.Errorf("created task: %v", task)
		}
		// The org unit is referred to: 409 naming the referrer.
		r = a.admin(t, "DELETE", "/api/v1/org-units/so-thu-nghiem", nil)
		if r.status != 409 || !strings.Contains(string(r.body), "tasks") {
			t.Errorf("delete referenced unit: %d %s", r.status, r.body)
		}
		// Two PATCHes with the same ETag: the first wins, the second gets 412.
		r1 := a.admin(t, "PATCH", path, `{"deadline_text":"Năm 2026"}`, "If-Match", `"1"`)
		r2 := a.admin(t, "PATCH", path, `{"deadline_text":"Năm 2027"}`, "If-Match", `"1"`)
		if r1.status != 200 || r2.status != 412 {
			t.Fatalf("concurrent PATCHes: %d then %d", r1.status, r2.status)
		}
		got := r1.json(t)
		if got["due_date"] != "2026-12-31" || got["recurrence"] != nil || got["title"] != "Nhiệm vụ bổ sung" || r1.header.Get("ETag") != `"2"` {
			t.Errorf("patched task: %v", got)
		}
		// PUT replaces: fields left out are emptied, required ones refused.
		if r := a.admin(t, "PUT", path, `{"number":"69"}`); r.status != 400 {
			t.Errorf("PUT without title: %d", r.status)
		}
		r = a.admin(t, "PUT", path, `{"number":"69","title":"Thay thế","lead":[]}`)
		if r.status != 200 || r.json(t)["unassigned"] != true || r.json(t)["deliverable"] != "" {
			t.Errorf("PUT: %d %s", r.status, r.body)
		}
		// Deleting the document the task belongs to: 409.
		if r := a.admin(t, "DELETE", "/api/v1/documents/25-kh-ubnd", nil); r.status != 409 {
			t.Errorf("delete referenced document: %d", r.status)
		}
		if r := a.admin(t, "DELETE", path, nil); r.status != 204 {
			t.Errorf("delete task: %d %s", r.status, r.body)
		}
		if r := a.do(t, "GET", path, nil); r.status != 404 {
			t.Errorf("deleted task still there: %d", r.status)
		}
		if r := a.admin(t, "DELETE", "/api/v1/org-units/so-thu-nghiem", nil); r.status != 204 {
			t.Errorf("delete free unit: %d %s", r.status, r.body)
		}
		// An indicator with sub-indicators cannot go.
		ind := items(t, a.do(t, "GET", "/api/v1/indicators?key=25-kh-ubnd/8", nil))[0]
		if r := a.admin(t, "DELETE", "/api/v1/indicators/"+itoa(int(ind["id"].(float64))), nil); r.status != 409 {
			t.Errorf("delete indicator 8 with children: %d", r.status)
		}
		// Text is stored as written, HTML and all; JSON escapes it for the browser.
		u := a.do(t, "GET", "/api/v1/org-units?kind=department&limit=1000", nil)
		if strings.Contains(string(u.body), "<b>") {
			t.Errorf("HTML not escaped in JSON")
		}
	})
}

// Org units load from CSV, all or nothing, with errors naming the row.
func TestImportOrgUnitsCSV(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		good := "code,name,kind,parent\nmau-xa-1,Xã Mẫu Một (dữ liệu mẫu),commune,ubnd-tinh-thai-nguyen\nmau-phuong-2,Phường Mẫu Hai,commune,ubnd-tinh-thai-nguyen\n"
		r := a.admin(t, "POST", "/api/v1/org-units/import", good, "Content-Type", "text/csv")
		if r.status != 200 || r.json(t)["created"] != 2.0 {
			t.Fatalf("import: %d %s", r.status, r.body)
		}
		bad := "code,name,kind,parent\nmau-xa-3,Xã Ba,commune,ubnd-tinh-thai-nguyen\nmau-xa-4,Xã Bốn,village,\n"
		r = a.admin(t, "POST", "/api/v1/org-units/import", bad, "Content-Type", "text/csv")
		if r.status != 400 || !strings.Contains(string(r.body), "row 3") {
			t.Errorf("bad import: %d %s", r.status, r.body)
		}
		if r := a.do(t, "GET", "/api/v1/org-units/mau-xa-3", nil); r.status != 404 {
			t.Errorf("a rejected import stored row 2")
		}
		if n := total(t, a.do(t, "GET", "/api/v1/org-units?kind=commune", nil)); n != 2 {
			t.Errorf("communes: %d, want 2", n)
		}
	})
}

// Many clients PATCH one task at once with the same ETag: exactly one wins, the others
// get 412; and concurrent creations are neither lost nor doubled.
func TestConcurrentPatches(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		task := items(t, a.do(t, "GET", "/api/v1/tasks?key=25-kh-ubnd/t30", nil))[0]
		path := "/api/v1/tasks/" + itoa(int(task["id"].(float64)))
		etag := a.do(t, "GET", path, nil).header.Get("ETag")
		const n = 16
		statuses := make(chan int, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				statuses <- a.admin(t, "PATCH", path, `{"note":"bản sửa `+itoa(i)+`"}`, "If-Match", etag).status
			}(i)
		}
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[200] != 1 || count[412] != n-1 {
			t.Errorf("statuses %v, want one 200 and %d 412", count, n-1)
		}
		if v := a.do(t, "GET", path, nil).header.Get("ETag"); v != `"2"` {
			t.Errorf("ETag after one winning PATCH: %s", v)
		}
		// Concurrent creations: each lands once.
		before := total(t, a.do(t, "GET", "/api/v1/tasks", nil))
		var wg2 sync.WaitGroup
		for i := 0; i < n; i++ {
			wg2.Add(1)
			go func(i int) {
				defer wg2.Done()
				r := a.admin(t, "POST", "/api/v1/tasks", `{"document":"25-kh-ubnd","number":"c`+itoa(i)+`","title":"Song song"}`)
				if r.status != 201 {
					t.Errorf("create %d: %d %s", i, r.status, r.body)
				}
			}(i)
		}
		wg2.Wait()
		if after := total(t, a.do(t, "GET", "/api/v1/tasks", nil)); after != before+n {
			t.Errorf("tasks after %d concurrent creations: %d, want %d", n, after, before+n)
		}
	})
}
