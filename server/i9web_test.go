package server_test

import (
	"fmt"
	"html/template"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// The issue-9 page tests: each fails on main before its fix.

// newAdmin makes an admin account and signs it in.
func newAdmin(t *testing.T, a *testAPI) *browser {
	t.Helper()
	mustUser(t, a, "quan.tri", "admin", "")
	return mustLogin(t, a, "quan.tri", testPassword)
}

// Opening reporting from the pages: creating a regime lands on the preview of the
// current period (200, no "year must be"), the key's pattern is valid under the v flag,
// reporting units are picked, blockers come grouped by cause in Vietnamese with a link
// to their remedy, and the succession page records a successor that resolves them.
func TestPeriodsFirstTime(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		a.cfg.Now = func() time.Time { return time.Date(2026, 2, 2, 3, 0, 0, 0, time.UTC) }
		adm := newAdmin(t, a)

		form := string(adm.get(t, "/admin/periods").body)
		if strings.Contains(form, `pattern="[a-z0-9-]+"`) {
			t.Errorf("the key's pattern [a-z0-9-]+ is invalid under the browser's v flag")
		}
		if strings.Contains(form, `id="f-r-reporters" type="text"`) {
			t.Errorf("reporting units are typed as codes, not picked")
		}
		if !regexp.MustCompile(`<input type="checkbox" id="f-r-rep-ubnd-cap-xa" name="reporters" value="ubnd-cap-xa">`).MatchString(form) {
			t.Errorf("the regime form offers no group to pick as reporting units")
		}
		checkPage(t, "/admin/periods", "vi", form)

		r := adm.post(t, "/admin/regimes", url.Values{"key": {"kh25-quy"}, "name": {"Báo cáo quý 25/KH-UBND"}, "document": {"25-kh-ubnd"},
			"receiver": {"so-khoa-hoc-va-cong-nghe"}, "frequency": {"quarterly"}, "cutoff_day": {"14"}, "deadline_days": {"10"}}, true)
		if r.status != 303 {
			t.Fatalf("create regime: %d %s", r.status, clip(r.body))
		}
		loc := r.header.Get("Location")
		page := adm.get(t, loc)
		body := string(page.body)
		if page.status != 200 || strings.Contains(body, "year must be") || strings.Contains(body, "Năm phải") {
			t.Fatalf("after creating a regime %s answers %d: %s", loc, page.status, clip(page.body))
		}
		if !strings.Contains(body, "Đã tạo chế độ báo cáo") || !strings.Contains(body, "Xem trước kỳ Q1/2026") {
			t.Errorf("after creating a regime the page does not say so and preview Q1/2026")
		}
		checkPage(t, loc, "vi", body)

		// Blockers grouped by cause, once per unit, linked to the remedy.
		groups := regexp.MustCompile(`<section class="blocker-group" data-cause="([a-z_]+)"`).FindAllStringSubmatch(body, -1)
		if len(groups) != 2 || groups[0][1] != "gone" || groups[1][1] != "empty_group" {
			t.Fatalf("blocker groups: %v, want gone and empty_group", groups)
		}
		if strings.Contains(body, "no longer exists") || strings.Contains(body, "named by") {
			t.Errorf("the blockers are in English")
		}
		if n := strings.Count(body, `<li data-unit="ubnd-cap-xa">`); n != 1 {
			t.Errorf("the empty commune group is listed %d times, want once", n)
		}
		if !strings.Contains(body, `href="/admin/org-units/import"`) {
			t.Errorf("the empty group's blocker does not link to the import")
		}
		fix := regexp.MustCompile(`href="(/admin/successions\?[^"]+)"`).FindStringSubmatch(body)
		if fix == nil {
			t.Fatalf("the gone units' blocker does not link to the succession page")
		}
		fixURL := strings.ReplaceAll(fix[1], "&amp;", "&")
		sp := adm.get(t, fixURL)
		if sp.status != 200 {
			t.Fatalf("%s: %d", fixURL, sp.status)
		}
		sbody := string(sp.body)
		checkPage(t, fixURL, "vi", sbody)
		for _, gone := range []string{"ubnd-thanh-pho-thai-nguyen", "ubnd-thanh-pho-pho-yen"} {
			if !strings.Contains(sbody, `value="`+gone+`" checked`) {
				t.Errorf("the succession form does not tick %s, which the blocker named", gone)
			}
		}
		next := regexp.MustCompile(`name="next" value="([^"]+)"`).FindStringSubmatch(sbody)
		if next == nil {
			t.Fatal("the succession form does not lead back to the preview")
		}

		// The communes, then the successions, through the pages.
		csv, err := os.ReadFile(filepath.Join("..", "seed", "examples", "communes-example.csv"))
		if err != nil {
			t.Fatal(err)
		}
		if r := adm.upload(t, "/admin/org-units/import", [][2]string{{"csrf_token", adm.csrf}}, "communes.csv", csv); r.status != 200 && r.status != 303 {
			t.Fatalf("import communes: %d %s", r.status, clip(r.body))
		}
		before := len(items(t, a.admin(t, "GET", "/api/v1/successions", nil)))
		// A succession without its decision is refused, naming the field, and stores nothing.
		vals := url.Values{"from": {"ubnd-thanh-pho-thai-nguyen", "ubnd-thanh-pho-song-cong", "ubnd-thanh-pho-pho-yen", "ubnd-huyen-phu-binh"},
			"to": {"mau-phuong-vi-du-1"}, "kind": {"transfer"}, "effective": {"2025-07-01"}, "next": {strings.ReplaceAll(next[1], "&amp;", "&")}}
		if r := adm.post(t, "/admin/successions", vals, true); r.status != 400 || !strings.Contains(string(r.body), `id="succession-error"`) {
			t.Errorf("a succession without a citation: %d", r.status)
		}
		if n := len(items(t, a.admin(t, "GET", "/api/v1/successions", nil))); n != before {
			t.Errorf("a refused succession stored something: %d, then %d", before, n)
		}
		vals.Set("citation", "Kiểm thử: quyết định giả định")
		r = adm.post(t, "/admin/successions", vals, true)
		if r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/admin/periods?") {
			t.Fatalf("record a succession: %d → %s %s", r.status, r.header.Get("Location"), clip(r.body))
		}
		after := string(adm.get(t, r.header.Get("Location")).body)
		if strings.Contains(after, `id="blockers"`) || !strings.Contains(after, "Đã ghi nhận việc sắp xếp đơn vị") {
			t.Errorf("after the succession the preview still has blockers or no message")
		}
		if !strings.Contains(after, `Mở kỳ Q1/2026`) {
			t.Errorf("after resolving the blockers the preview offers no button to open Q1/2026")
		}
	})
}

// A draft saves as it is (a note without its number, a task ticked done before its
// deliverable); submitting it checks completeness and says, in Vietnamese, which item
// lacks what, and the draft stays saved and a draft.
func TestUIDraftIncomplete(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	period := setUpQ1(t, a)
	mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
	tc := mustLogin(t, a, "tc.baocao", testPassword)
	sub := mySubmission(t, tc, period)
	id := fmt.Sprint(sub["id"])
	path := "/reporting/" + id
	page := string(tc.get(t, path).body)
	n83 := fieldIndex(t, page, "indicator", "25-kh-ubnd/8.3")
	task := toStrings(sub["tasks"])[0]
	tk := fieldIndex(t, page, "task", task)
	fill := url.Values{"version": {versionRe.FindStringSubmatch(page)[1]}, "action": {"save"}, "note-" + n83: {"Số liệu đang tổng hợp"},
		"pct-" + tk: {"100"}, "done-" + tk: {"1"}}
	r := tc.post(t, path, fill, true)
	if r.status != 303 || r.header.Get("Location") != path+"?done=saved" {
		t.Fatalf("saving an incomplete draft: %d %s", r.status, clip(r.body))
	}
	got := tc.do(t, "GET", "/api/v1/submissions/"+id, nil).json(t)
	if len(got["values"].([]any)) != 1 || len(got["progress"].([]any)) != 1 {
		t.Fatalf("the incomplete draft was not stored as it is: %v %v", got["values"], got["progress"])
	}
	page = string(tc.get(t, path).body)
	fill.Set("version", versionRe.FindStringSubmatch(page)[1])
	fill.Set("action", "submit")
	r = tc.post(t, path, fill, true)
	body := string(r.body)
	if r.status != 400 || !strings.Contains(body, "Chỉ tiêu 8.3 (") || !strings.Contains(body, "chưa có số liệu; hãy nhập số liệu trước khi nộp") {
		t.Errorf("submitting a note without its number: %d %s", r.status, clip(r.body))
	}
	if strings.Contains(body, "give a number") || strings.Contains(body, "values[0]") {
		t.Errorf("the submit error is in English or names a field index")
	}
	checkPage(t, path, "vi", body)
	if st := tc.do(t, "GET", "/api/v1/submissions/"+id, nil).json(t)["status"]; st != "draft" {
		t.Errorf("an incomplete submission was submitted: %v", st)
	}
	// The number given, the task's deliverable still missing: the task is named.
	page = string(tc.get(t, path).body)
	fill.Set("version", versionRe.FindStringSubmatch(page)[1])
	fill.Set("n-"+n83, "60")
	r = tc.post(t, path, fill, true)
	num := regexp.MustCompile(`/t(.+)$`).FindStringSubmatch(task)[1]
	if r.status != 400 || !strings.Contains(string(r.body), "Nhiệm vụ "+num+": đã báo cáo hoàn thành nhưng chưa có sản phẩm") {
		t.Errorf("submitting a task done without its deliverable: %d %s", r.status, clip(r.body))
	}
	page = string(tc.get(t, path).body)
	fill.Set("version", versionRe.FindStringSubmatch(page)[1])
	fill.Set("link-"+tk, "https://stc.thainguyen.gov.vn/bao-cao")
	if r := tc.post(t, path, fill, true); r.status != 303 || r.header.Get("Location") != path+"?done=submitted" {
		t.Fatalf("submitting the completed form: %d %s", r.status, clip(r.body))
	}
}

// Approved progress of 100% with its deliverable finishes the task on its page, the
// board and the unit board, and the board no longer counts it overdue; the unit board
// shows the unit's approved value, and claims no punctuality for a period not due yet.
func TestUITaskDoneAndUnitBoard(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	clock := newBoardClock(a, time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC))
	period := setUpQ1(t, a)
	mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
	mustUser(t, a, "khcn.thamdinh", "reviewer", "so-khoa-hoc-va-cong-nghe")
	tc := mustLogin(t, a, "tc.baocao", testPassword)
	rv := mustLogin(t, a, "khcn.thamdinh", testPassword)
	sub := mySubmission(t, tc, period)
	id := fmt.Sprint(sub["id"])

	// A task of the unit that is overdue on 2026-03-02.
	var task map[string]any
	for _, x := range items(t, a.do(t, "GET", "/api/v1/tasks?limit=1000", nil)) {
		if due, _ := x["due_date"].(string); due != "" && due < "2026-03-02" && contains(toStrings(sub["tasks"]), fmt.Sprint(x["key"])) {
			task = x
			break
		}
	}
	if task == nil {
		t.Fatal("so-tai-chinh reports no task overdue on 2026-03-02")
	}
	taskPage := fmt.Sprintf("/tasks/%v", task["id"])
	if p := a.page(t, taskPage, "vi", 200); !strings.Contains(p, `cls-overdue`) {
		t.Fatalf("before the report %s is not overdue", taskPage)
	}
	overdue := func(board string) int {
		n, _ := count(t, board, "count-all-overdue")
		return n
	}
	board := string(tc.get(t, "/").body)
	before := overdue(board)
	ub := string(tc.get(t, "/units/so-tai-chinh/board").body)
	if !strings.Contains(unitTaskRow(ub, fmt.Sprint(task["key"])), "cls-overdue") {
		t.Fatalf("the unit board does not show the task overdue before the report")
	}

	if r := tc.do(t, "PUT", "/api/v1/submissions/"+id, map[string]any{
		"values":   []map[string]any{{"indicator": "25-kh-ubnd/8.3", "number": 60}},
		"progress": []map[string]any{{"task": task["key"], "percent": 100, "deliverable_link": "https://stc.thainguyen.gov.vn/bao-cao"}}}); r.status != 200 {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	if r := tc.do(t, "POST", "/api/v1/submissions/"+id+"/submit", nil); r.status != 200 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	// Submitted before the period is due: no on-time rate claimed yet.
	ub = string(tc.get(t, "/units/so-tai-chinh/board").body)
	if strings.Contains(ub, `<span class="n">100%</span>`) {
		t.Errorf("the unit board claims 100%% on time for Q1/2026 on 2026-03-02, before it is due")
	}
	if r := rv.do(t, "POST", "/api/v1/submissions/"+id+"/approve", nil); r.status != 200 {
		t.Fatalf("approve: %d %s", r.status, r.body)
	}
	if p := a.page(t, taskPage, "vi", 200); strings.Contains(p, `cls-overdue`) || !strings.Contains(p, `cls-done_late`) || !strings.Contains(p, "Hoàn thành chậm") {
		t.Errorf("after the approved 100%% with its deliverable %s is not done late", taskPage)
	}
	board = string(tc.get(t, "/").body)
	if n := overdue(board); n != before-1 {
		t.Errorf("the board counts %d overdue after the task was finished, want %d", n, before-1)
	}
	if n, _ := count(t, board, "count-all-done_late"); n != 1 {
		t.Errorf("the board counts %d tasks done late, want 1", n)
	}
	ub = string(tc.get(t, "/units/so-tai-chinh/board").body)
	if row := unitTaskRow(ub, fmt.Sprint(task["key"])); !strings.Contains(row, "cls-done_late") {
		t.Errorf("the unit board does not show the task done late: %s", row)
	}
	if row := regexp.MustCompile(`(?s)<tr data-indicator="25-kh-ubnd/8.3">.*?</tr>`).FindString(ub); !strings.Contains(row, "<strong>60</strong>") || strings.Count(row, "chưa có số liệu") > 0 {
		t.Errorf("the unit board's own value of 8.3 is not the approved 60: %s", row)
	}
	// Once the period is due, the rate counts it.
	clock.set(t, fmt.Sprint(a.admin(t, "GET", fmt.Sprintf("/api/v1/periods/%d", period), nil).json(t)["due"]), 1)
	tc = mustLogin(t, a, "tc.baocao", testPassword) // the session has ended meanwhile
	ub = string(tc.get(t, "/units/so-tai-chinh/board").body)
	if !strings.Contains(ub, `<span class="n">100%</span>`) {
		t.Errorf("after Q1/2026 is due the unit board does not show 100%% on time: %s", regexp.MustCompile(`id="unit-punctuality"[^\n]*`).FindString(ub))
	}
}

// unitTaskRow is a task's row on a unit board.
func unitTaskRow(page, key string) string {
	return regexp.MustCompile(`(?s)<tr data-task="` + regexp.QuoteMeta(key) + `">.*?</tr>`).FindString(page)
}

// The reviewer sees what a unit filled, read only, the empty items counted apart; an
// admin and the standing agency's leader open the queue (no 403) without the
// reviewer's buttons; a unit that never opened its form and the board say one word
// for its state.
func TestUIReviewReadOnly(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	period := setUpQ1(t, a)
	mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
	mustUser(t, a, "khcn.thamdinh", "reviewer", "so-khoa-hoc-va-cong-nghe")
	mustUser(t, a, "lanh.dao", "leader", "")
	tc := mustLogin(t, a, "tc.baocao", testPassword)
	rv := mustLogin(t, a, "khcn.thamdinh", testPassword)
	leader := mustLogin(t, a, "lanh.dao", testPassword)
	adm := newAdmin(t, a)
	sub := mySubmission(t, tc, period)
	id := fmt.Sprint(sub["id"])

	// Before anyone opened the form: one word on the reporting list and the board.
	list := string(adm.get(t, fmt.Sprintf("/reporting?period=%d", period)).body)
	board := string(adm.get(t, "/").body)
	if strings.Contains(list, "Đang soạn") || !strings.Contains(list, "Chưa nộp") || !strings.Contains(board, "Chưa nộp") {
		t.Errorf("a form never opened is not “Chưa nộp” on both the list and the board")
	}

	if r := tc.do(t, "PUT", "/api/v1/submissions/"+id, map[string]any{"values": []map[string]any{{"indicator": "25-kh-ubnd/8.3", "number": 60, "note": "ước tính"}}}); r.status != 200 {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	if r := tc.do(t, "POST", "/api/v1/submissions/"+id+"/submit", nil); r.status != 200 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	nInds, nTasks := len(toStrings(sub["indicators"])), len(toStrings(sub["tasks"]))
	page := string(rv.get(t, "/reporting/"+id).body)
	checkPage(t, "/reporting/"+id, "vi", page)
	if regexp.MustCompile(`<input[^>]+name="(n|t|note|pct|link)-\d+"`).MatchString(page) {
		t.Errorf("the reviewer sees the expected items as inputs")
	}
	row := regexp.MustCompile(`(?s)<tr data-indicator="25-kh-ubnd/8.3">.*?</tr>`).FindString(page)
	if !strings.Contains(row, "<strong>60</strong>") || !strings.Contains(row, "ước tính") {
		t.Errorf("the reviewer does not see the value given: %q", row)
	}
	if !strings.Contains(page, fmt.Sprintf("Đã nhập 1/%d chỉ tiêu.", nInds)) ||
		!strings.Contains(page, fmt.Sprintf("%d chỉ tiêu chưa nhập", nInds-1)) || !strings.Contains(page, fmt.Sprintf("%d nhiệm vụ chưa báo cáo", nTasks)) {
		t.Errorf("the empty items are not counted apart (%d indicators, %d tasks)", nInds, nTasks)
	}
	if !strings.Contains(page, `action="/review/`+id+`/approve"`) {
		t.Errorf("the reviewer cannot decide from the submission page")
	}
	for who, b := range map[string]*browser{"an admin": adm, "the leader": leader} {
		r := b.get(t, "/review")
		body := string(r.body)
		if r.status != 200 || !strings.Contains(body, `data-submission="`+id+`"`) {
			t.Errorf("%s opening /review: %d", who, r.status)
			continue
		}
		if strings.Contains(body, `action="/review/`+id+`/approve"`) {
			t.Errorf("%s is offered to approve", who)
		}
		checkPage(t, "/review", "vi", body)
		if r := b.post(t, "/review/"+id+"/approve", url.Values{}, true); r.status != 403 {
			t.Errorf("%s approving: %d", who, r.status)
		}
	}
}

// An unknown path answers a page in the reader's language with a way back (404), the
// API's unknown paths stay JSON, and a record page's "not found" is in Vietnamese.
func TestUINotFound(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	for _, c := range []struct{ path, lang, want, heading string }{
		{"/khong-co-trang-nay", "vi", "Không có trang nào ở địa chỉ /khong-co-trang-nay", "Không tìm thấy trang"},
		{"/khong-co-trang-nay", "en", "There is no page at /khong-co-trang-nay", "Page not found"},
		{"/tasks/99999", "vi", "Không có nhiệm vụ nào có id 99999.", "Không tìm thấy trang"},
		{"/indicators/99999", "vi", "99999", "Không tìm thấy trang"},
	} {
		r := a.do(t, "GET", c.path+"?lang="+c.lang, nil)
		body := string(r.body)
		if r.status != 404 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(body, c.want) {
			t.Errorf("%s (%s): %d %s: %s", c.path, c.lang, r.status, r.header.Get("Content-Type"), clip(r.body))
			continue
		}
		// Headed as what it is, not the generic "Có lỗi" of other errors.
		if !strings.Contains(body, "<h1>"+c.heading+"</h1>") || !strings.Contains(body, "<title>"+c.heading+" · tinhso</title>") {
			t.Errorf("%s (%s): not headed %q: %s", c.path, c.lang, c.heading, regexp.MustCompile(`<h1>[^<]*</h1>`).FindString(body))
		}
		if !strings.Contains(body, `href="/portal"`) || strings.Contains(body, "No task with") {
			t.Errorf("%s (%s): no way back, or English", c.path, c.lang)
		}
		checkPage(t, c.path, c.lang, body)
	}
	if r := a.do(t, "GET", "/api/v1/khong-co", nil); r.status != 404 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/") {
		t.Errorf("an unknown API path: %d %s", r.status, r.header.Get("Content-Type"))
	}
}

// A qualitative indicator's approved result in words ("Đạt mức khá") shows wherever
// figures show: the board, the indicator list and page, the portal.
func TestUITextResults(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	a.cfg.PublicBoard = true
	period := setUpQ1(t, a)
	// A unit that reports a qualitative indicator this period.
	byKey := map[string]map[string]any{}
	for _, x := range items(t, a.do(t, "GET", "/api/v1/indicators?limit=1000", nil)) {
		byKey[fmt.Sprint(x["key"])] = x
	}
	var qual, sub map[string]any
	for _, s := range items(t, a.admin(t, "GET", fmt.Sprintf("/api/v1/submissions?period=%d&limit=1000", period), nil)) {
		full := a.admin(t, "GET", fmt.Sprintf("/api/v1/submissions/%v", s["id"]), nil).json(t)
		for _, k := range toStrings(full["indicators"]) {
			if x := byKey[k]; x != nil && x["target"].(map[string]any)["kind"] == "qualitative" {
				qual, sub = x, full
			}
		}
		if qual != nil {
			break
		}
	}
	if qual == nil {
		t.Fatal("no unit reports a qualitative indicator in Q1/2026")
	}
	unit := fmt.Sprint(sub["org_unit"])
	mustUser(t, a, "don.vi", "reporter", unit)
	mustUser(t, a, "khcn.thamdinh", "reviewer", "so-khoa-hoc-va-cong-nghe")
	tc := mustLogin(t, a, "don.vi", testPassword)
	rv := mustLogin(t, a, "khcn.thamdinh", testPassword)
	id := fmt.Sprint(sub["id"])
	if r := tc.do(t, "PUT", "/api/v1/submissions/"+id, map[string]any{"values": []map[string]any{
		{"indicator": qual["key"], "text": "Đạt mức khá"}}}); r.status != 200 {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	if r := tc.do(t, "POST", "/api/v1/submissions/"+id+"/submit", nil); r.status != 200 {
		t.Fatalf("submit: %d %s", r.status, r.body)
	}
	if r := rv.do(t, "POST", "/api/v1/submissions/"+id+"/approve", nil); r.status != 200 {
		t.Fatalf("approve: %d %s", r.status, r.body)
	}
	want := `<strong>Đạt mức khá</strong> <span class="muted">(` + template.HTMLEscapeString(fmt.Sprint(sub["org_unit_name"])) + `, Q1/2026)</span>`
	for _, p := range []string{"/", fmt.Sprintf("/indicators/%v", qual["id"]), "/indicators?agency=" + unit, "/portal"} {
		if body := a.page(t, p, "vi", 200); !strings.Contains(body, want) {
			i := strings.Index(body, "Đạt mức khá")
			t.Errorf("%s does not show the approved result in words (%d): %s", p, i, want+" ≠ "+body[max(0, i-20):min(len(body), max(0, i)+200)])
		}
	}
}

// The portal, the board and the API count a document's indicators alike.
func TestUIIndicatorCounts(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	a.cfg.PublicBoard = true
	want := total(t, a.do(t, "GET", "/api/v1/indicators?document=25-kh-ubnd&limit=1", nil))
	portal := a.page(t, "/portal", "vi", 200)
	board := a.page(t, "/", "vi", 200)
	if !strings.Contains(portal, fmt.Sprintf("25/KH-UBND: %d chỉ tiêu", want)) {
		t.Errorf("the portal does not count %d indicators of 25/KH-UBND: %s", want, regexp.MustCompile(`25/KH-UBND: \d+ chỉ tiêu`).FindString(portal))
	}
	if !strings.Contains(board, fmt.Sprintf(">%d chỉ tiêu trong danh sách đầy đủ<", want)) {
		t.Errorf("the board does not count %d indicators of 25/KH-UBND", want)
	}
}
