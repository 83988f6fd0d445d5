package server_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// /documents: a search box that finds documents by number, title (as written or as
// read) and issuer, diacritics and case aside; titles the source writes in capitals
// read as sentences with the source form kept; a document without a number says so
// (issue 9).
func TestUIDocuments(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	rowRe := regexp.MustCompile(`<tr data-document="([^"]+)">`)
	slugs := func(body string) []string {
		var out []string
		for _, m := range rowRe.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		sort.Strings(out)
		return out
	}
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"", []string{"1893-qd-ubnd", "25-kh-ubnd", "bai-toan-lang-son-2025", "bai-toan-thai-nguyen-2025", "de-an-2026-2030"}},
		{"1893", []string{"1893-qd-ubnd"}},
		{"kh-ubnd", []string{"25-kh-ubnd"}},
		{"chien+luoc+chuyen+doi+so", []string{"1893-qd-ubnd"}},            // folded, in the title written in capitals
		{"CHI%E1%BA%BEN+L%C6%AF%E1%BB%A2C", []string{"1893-qd-ubnd"}},     // CHIẾN LƯỢC
		{"lang+son", []string{"bai-toan-lang-son-2025"}},                  // Lạng Sơn
		{"ban+chap+hanh+dang+bo", []string{"de-an-2026-2030"}},            // the issuer
		{"ubnd+tinh+thai+nguyen", []string{"1893-qd-ubnd", "25-kh-ubnd"}}, // the issuer
		{"zzzqqq", nil},
	} {
		body := a.page(t, "/documents?q="+c.q, "vi", 200)
		if got := slugs(body); strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("/documents?q=%s lists %v, want %v", c.q, got, c.want)
		}
		if !strings.Contains(body, `<input id="f-q" type="search" name="q"`) {
			t.Errorf("/documents?q=%s has no search box", c.q)
		}
		if c.want == nil && !strings.Contains(body, `id="documents-none"`) {
			t.Errorf("/documents?q=%s says nothing when nothing matches", c.q)
		}
		checkPage(t, "/documents?q="+c.q, "vi", body)
	}

	list := html.UnescapeString(a.page(t, "/documents", "vi", 200))
	for _, want := range []string{
		// Read as a sentence, the source's capitals kept in the link's title.
		`title="Tên như văn bản ghi: THỰC HIỆN NGHỊ QUYẾT SỐ 03/NQ-CP NGÀY 09/01/2025 CỦA CHÍNH PHỦ`,
		`>Thực hiện Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ và Chương trình hành động của Ban Thường vụ Tỉnh ủy thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia</a>`,
		`>Phê duyệt Chiến lược chuyển đổi số tỉnh Thái Nguyên đến năm 2030</a>`,
		`>Danh mục bài toán lớn về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số tỉnh Lạng Sơn năm 2025</a>`,
		// A title written in sentence case stays as it is.
		`>Phát triển khoa học công nghệ, đổi mới sáng tạo, chuyển đổi số tỉnh Thái Nguyên giai đoạn 2026-2030</a>`,
	} {
		if !strings.Contains(list, want) {
			t.Errorf("/documents does not hold %q", want)
		}
	}
	scheme := regexp.MustCompile(`(?s)<tr data-document="de-an-2026-2030">.*?</tr>`).FindString(list)
	if !strings.Contains(scheme, "Không có số hiệu") {
		t.Errorf("the Scheme's row does not say it has no number: %s", scheme)
	}

	doc := html.UnescapeString(a.page(t, "/documents/1893-qd-ubnd", "vi", 200))
	if !strings.Contains(doc, "<h1>Phê duyệt Chiến lược chuyển đổi số tỉnh Thái Nguyên đến năm 2030</h1>") ||
		!strings.Contains(doc, `<dd id="doc-title-source" class="written">PHÊ DUYỆT CHIẾN LƯỢC CHUYỂN ĐỔI SỐ TỈNH THÁI NGUYÊN ĐẾN NĂM 2030</dd>`) {
		t.Errorf("the 1893 page is not headed with its readable title, the source form beside it")
	}
	sd := html.UnescapeString(a.page(t, "/documents/de-an-2026-2030", "vi", 200))
	if !regexp.MustCompile(`<dd id="doc-number"><span class="muted">Không có số hiệu</span></dd>`).MatchString(sd) {
		t.Errorf("the Scheme's page does not say it has no number")
	}
	if en := a.page(t, "/documents/de-an-2026-2030", "en", 200); !strings.Contains(en, "No number") {
		t.Errorf("the English Scheme page does not say it has no number")
	}
}

// /admin/successions offers the suggested successions with their evidence passages; an
// admin confirms one with the decision it comes from, and the tasks of the department
// it ends resolve to its successor; another is dismissed with a reason. Forms carry the
// CSRF token; a refused form changes nothing and says why (issue 9).
func TestUISuggestedSuccessions(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		mustUser(t, a, "quantri", "admin", "")
		ad := mustLogin(t, a, "quantri", testPassword)
		const khdt, nnmt = "1893-qd-ubnd/s-khdt-vao-tai-chinh", "1893-qd-ubnd/s-nong-nghiep-va-moi-truong"
		ids := map[string]string{}
		for _, s := range items(t, a.do(t, "GET", "/api/v1/succession-suggestions", nil)) {
			ids[s["key"].(string)] = fmt.Sprint(s["id"])
		}
		// resolved: tasks naming Sở Kế hoạch và Đầu tư that now resolve to Sở Tài chính.
		resolved := func() int {
			n := 0
			for _, x := range items(t, a.do(t, "GET", "/api/v1/tasks?limit=1000", nil)) {
				for _, f := range []string{"lead", "cooperating"} {
					refs, _ := x[f].([]any)
					for _, r := range refs {
						r := r.(map[string]any)
						if r["code"] == "so-ke-hoach-va-dau-tu" && r["exists"] == false && contains(toStrings(r["successors"]), "so-tai-chinh") {
							n++
						}
					}
				}
			}
			return n
		}
		if n := resolved(); n != 0 {
			t.Fatalf("before confirming, %d tasks resolve to Sở Tài chính", n)
		}

		page := html.UnescapeString(string(ad.get(t, "/admin/successions").body))
		checkPage(t, "/admin/successions", "vi", page)
		if n := strings.Count(page, `<article class="suggestion" data-suggestion="`); n != 3 {
			t.Errorf("/admin/successions offers %d suggestions, want 3", n)
		}
		article := regexp.MustCompile(`(?s)<article class="suggestion" data-suggestion="` + regexp.QuoteMeta(khdt) + `".*?</article>`).FindString(page)
		for _, want := range []string{"Sở Kế hoạch và Đầu tư, Sở Tài chính → Sở Tài chính", `<blockquote lang="vi" class="evidence">3. Sở Tài chính`, "Luật Đầu tư công",
			`action="/admin/successions/suggestions/` + ids[khdt] + `/confirm"`, `action="/admin/successions/suggestions/` + ids[khdt] + `/dismiss"`, "1893/QĐ-UBND, Điều 2 §3"} {
			if !strings.Contains(article, want) {
				t.Errorf("the suggestion %s does not show %q", khdt, want)
			}
		}

		confirm := "/admin/successions/suggestions/" + ids[khdt] + "/confirm"
		good := url.Values{"decision": {"Quyết định số 01/QĐ-UBND (kiểm thử: số giả định)"}, "decision_date": {"2025-02-28"}, "effective": {"2025-03-01"}}
		// Refused: no CSRF token, a leader, a date that is no date, an empty reason.
		if r := ad.post(t, confirm, url.Values{"decision": good["decision"], "decision_date": good["decision_date"]}, false); r.status != 403 {
			t.Errorf("a confirmation without the CSRF token: %d", r.status)
		}
		mustUser(t, a, "lanh.dao", "leader", "")
		if r := mustLogin(t, a, "lanh.dao", testPassword).post(t, confirm, url.Values{"decision": good["decision"], "decision_date": good["decision_date"]}, true); r.status != 403 {
			t.Errorf("a leader's confirmation: %d", r.status)
		}
		r := ad.post(t, confirm, url.Values{"decision": good["decision"], "decision_date": {"28/02/2025"}}, true)
		body := html.UnescapeString(string(r.body))
		if r.status != 400 || !strings.Contains(body, `id="suggestion-error"`) || !strings.Contains(body, `value="28/02/2025"`) || !strings.Contains(body, `value="Quyết định số 01/QĐ-UBND (kiểm thử: số giả định)"`) {
			t.Errorf("a confirmation with the date 28/02/2025: %d, error shown %v, form kept %v", r.status, strings.Contains(body, `id="suggestion-error"`), strings.Contains(body, `value="28/02/2025"`))
		} else {
			checkPage(t, confirm, "vi", body)
			t.Logf("refused: %s", regexp.MustCompile(`(?s)id="suggestion-error"><p>(.*?)</p>`).FindStringSubmatch(body)[1])
		}
		if r := ad.post(t, "/admin/successions/suggestions/"+ids[nnmt]+"/dismiss", url.Values{"reason": {"  "}}, true); r.status != 400 {
			t.Errorf("a dismissal without a reason: %d", r.status)
		}
		if n := total(t, a.do(t, "GET", "/api/v1/succession-suggestions?state=suggested", nil)); n != 3 || resolved() != 0 {
			t.Fatalf("refused forms changed something: %d open, %d tasks resolved", n, resolved())
		}

		// Confirmed with its decision: the tasks resolve.
		r = ad.post(t, confirm, good, true)
		if r.status != 303 || r.header.Get("Location") != "/admin/successions?done=w9.suggestion_confirmed#suggested" {
			t.Fatalf("confirm: %d %s %s", r.status, r.header.Get("Location"), clip(r.body))
		}
		if n := resolved(); n == 0 {
			t.Errorf("after confirming, no task of Sở Kế hoạch và Đầu tư resolves to Sở Tài chính")
		} else {
			t.Logf("after confirming on the page, %d task refs of Sở Kế hoạch và Đầu tư resolve to Sở Tài chính", n)
		}
		sg := a.do(t, "GET", "/api/v1/succession-suggestions/"+ids[khdt], nil).json(t)
		if sg["state"] != "confirmed" || sg["decision"] != good["decision"][0] || sg["decision_date"] != "2025-02-28" || sg["decided_by"] != "quantri" {
			t.Errorf("the confirmed suggestion: %v", sg)
		}
		// Dismissed with a reason.
		if r := ad.post(t, "/admin/successions/suggestions/"+ids[nnmt]+"/dismiss", url.Values{"reason": {"Đã ghi nhận bằng tay"}}, true); r.status != 303 {
			t.Errorf("dismiss: %d %s", r.status, clip(r.body))
		}
		page = html.UnescapeString(string(ad.get(t, "/admin/successions?done=w9.suggestion_confirmed").body))
		checkPage(t, "/admin/successions", "vi", page)
		if n := strings.Count(page, `<article class="suggestion" data-suggestion="`); n != 1 {
			t.Errorf("after deciding two, %d suggestions are still offered", n)
		}
		if !strings.Contains(page, `<li data-suggestion="`+khdt+`" data-state="confirmed">`) || !strings.Contains(page, `<li data-suggestion="`+nnmt+`" data-state="dismissed">`) ||
			!strings.Contains(page, "Đã xác nhận") || !strings.Contains(page, "Đã bỏ qua") || !strings.Contains(page, "Đã xác nhận việc sắp xếp đơn vị") {
			t.Errorf("the page does not list the decided suggestions with their states and the flash")
		}
		if !strings.Contains(page, "Quyết định số 01/QĐ-UBND (kiểm thử: số giả định) (2025-02-28); 1893/QĐ-UBND, Điều 2 §3") {
			t.Errorf("the recorded succession does not cite the decision and the evidence")
		}
	})
}
