package server_test

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tinhso/tinhso"
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
		{"%C4%91%E1%BB%81+%C3%A1n", []string{"de-an-2026-2030"}},          // đề án: the kind, not in the title
		{"ke+hoach", []string{"25-kh-ubnd"}},                              // the kind, folded
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
	// The Scheme gives no date: its own text shows it was adopted after 27/10/2025.
	if !strings.Contains(scheme, "Không ghi ngày; thông qua sau 27/10/2025") {
		t.Errorf("the Scheme's row does not say when it was adopted: %s", scheme)
	}
	if !strings.Contains(sd, "theo chính văn bản, văn bản được thông qua sau ngày 27/10/2025:<blockquote lang=\"vi\" class=\"evidence\">Chương trình hành động số 04-CTr/TU, ngày 27/10/2025") {
		t.Errorf("the Scheme's page does not give the date it was adopted after, with its passage")
	}
	if d := a.do(t, "GET", "/api/v1/documents/de-an-2026-2030", nil).json(t); d["issued_after"] != "2025-10-27" || !strings.HasPrefix(fmt.Sprint(d["issued_after_text"]), "Chương trình hành động số 04-CTr/TU") {
		t.Errorf("the Scheme in the API: issued_after %v", d["issued_after"])
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

// approvedFigures opens a quarterly period of 25/KH-UBND (after recording the
// successions and the commune its blockers ask for, synthetic) and has each unit's
// value approved: unit → indicator → value.
func approvedFigures(t *testing.T, a *testAPI, values map[string]map[string]float64) {
	t.Helper()
	ctx := tinhso.WithActor(context.Background(), tinhso.Actor{Username: "w9-test", Address: "127.0.0.1"})
	db := a.db
	if err := db.CreateRegime(ctx, &tinhso.Regime{Key: "kh25-quy", Name: "Báo cáo quý KH 25", Document: "25/KH-UBND", Receiver: "so-khoa-hoc-va-cong-nghe",
		Frequency: tinhso.FreqQuarterly, CutoffDay: 14, DeadlineDays: 10}); err != nil {
		t.Fatal(err)
	}
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
	for unit, vals := range values {
		subs, _, _ := db.FindSubmissions(ctx, tinhso.SubmissionFilter{Period: p.ID, OrgUnit: unit})
		if len(subs) != 1 {
			t.Fatalf("%s: %d submissions", unit, len(subs))
		}
		var items []tinhso.IndicatorValue
		for ind, v := range vals {
			items = append(items, tinhso.IndicatorValue{Indicator: ind, Number: &v})
		}
		s, err := a.app.SaveSubmission(ctx, subs[0].ID, items, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.app.Transition(ctx, s.ID, tinhso.TransSubmit, "", s.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := a.app.Transition(ctx, s.ID, tinhso.TransApprove, "", 0); err != nil {
			t.Fatal(err)
		}
	}
}

// canvasInk counts the pixels of a chart's canvas near each colour the chart draws
// with: the figures' points (#0b5394), their value labels (#0b3a66), the target's line
// (#1d5e20).
const canvasInk = `(function (sel) {
	var c = document.querySelector(sel + " canvas");
	if (!c) return {points: -1, labels: -1, goal: -1};
	var d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data, n = {points: 0, labels: 0, goal: 0};
	var near = function (i, r, g, b) { return Math.abs(d[i] - r) < 10 && Math.abs(d[i + 1] - g) < 10 && Math.abs(d[i + 2] - b) < 10 && d[i + 3] > 200; };
	for (var i = 0; i < d.length; i += 4) {
		if (near(i, 11, 83, 148)) n.points++;
		if (near(i, 11, 58, 102)) n.labels++;
		if (near(i, 29, 94, 32)) n.goal++;
	}
	return n;
})(%q)`

// The charts (issue 9): the portal shows progress toward each target as labelled bars
// (value, target, share reached) with each indicator's status class (issue 10), a rank
// with its direction, and the classes counted per document; the indicator page draws a
// single figure as a visible, labelled point with the target's line, a legend in the
// page's language and a rank's direction; the chart redraws at the new width when the
// window is resized or a phone turned (issue 10).
func TestBrowserCharts(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	approvedFigures(t, a, map[string]map[string]float64{
		"so-tai-chinh":             {"25-kh-ubnd/8.3": 72.5},
		"so-khoa-hoc-va-cong-nghe": {"25-kh-ubnd/27": 16},
	})
	c := newChrome(t, a)

	c.open("/portal")
	bar := func(key string) string { return fmt.Sprintf(`#portal-bars li[data-indicator=%q]`, key) }
	pct := c.text(bar("25-kh-ubnd/8.3") + " .pbar-t")
	if !strings.Contains(pct, "72,5 %") || !strings.Contains(pct, "chỉ tiêu = 100%") || !strings.Contains(pct, "đạt 72,5% chỉ tiêu") {
		t.Errorf("the bar of 8.3 says %q", pct)
	}
	// The bar ends at 72.5% of the way to the target's line.
	if r := eval[float64](c, `(function (li) { return parseFloat(li.querySelector("rect.fill").getAttribute("width")) / parseFloat(li.querySelector("line.goal").getAttribute("x1")); })(document.querySelector('`+bar("25-kh-ubnd/8.3")+`'))`); r < 0.72 || r > 0.73 {
		t.Errorf("the bar of 8.3 reaches %.3f of the target's line, want 0.725", r)
	}
	rank := c.text(bar("25-kh-ubnd/27") + " .pbar-t")
	if !strings.Contains(rank, "16") || !strings.Contains(rank, "≤ 10") || !strings.Contains(rank, "đạt 62,5% chỉ tiêu") || !strings.Contains(rank, "thứ hạng: số càng nhỏ càng tốt") {
		t.Errorf("the bar of the rank 27 says %q", rank)
	}
	for _, key := range []string{"25-kh-ubnd/8.3", "25-kh-ubnd/27"} {
		if cl := c.text(bar(key) + " .cls"); cl == "" {
			t.Errorf("the bar of %s shows no class", key)
		}
		if cl := c.text(fmt.Sprintf(`#portal-table tr[data-indicator=%q] .cls`, key)); cl == "" {
			t.Errorf("the portal's table shows no class for %s", key)
		}
	}
	// The classes per document add up to the document's indicators.
	sums := eval[map[string]int](c, `(function () {
		var out = {};
		document.querySelectorAll("#portal-classes .portal-doc").forEach(function (d) {
			var n = 0;
			d.querySelectorAll(".classtiles li .n").forEach(function (e) { n += parseInt(e.textContent.replace(/\./g, ""), 10); });
			out[d.getAttribute("data-document")] = n;
		});
		return out;
	})()`)
	if sums["25-kh-ubnd"] != 42 || sums["1893-qd-ubnd"] == 0 || sums["de-an-2026-2030"] == 0 {
		t.Errorf("the portal's classes per document: %v (25/KH-UBND: 42 indicators)", sums)
	}
	c.checkPage("charts-portal")

	// One figure: a point with its label and the target's line, a legend in Vietnamese.
	ind := func(key string) string {
		return fmt.Sprintf("/indicators/%v", items(t, a.do(t, "GET", "/api/v1/indicators?key="+key, nil))[0]["id"])
	}
	c.open(ind("25-kh-ubnd/8.3"))
	c.settle()
	ink := eval[map[string]int](c, fmt.Sprintf(canvasInk, "#indicator-chart"))
	if ink["points"] < 20 || ink["labels"] < 10 || ink["goal"] < 50 {
		t.Errorf("the chart of one figure draws %v pixels (want a point, its label and the target's line)", ink)
	}
	legend := c.text("#chart-legend")
	if !strings.Contains(legend, "Số liệu đã có") || !strings.Contains(legend, "Vùng đạt chỉ tiêu (= 100%)") {
		t.Errorf("the chart's legend says %q", legend)
	}
	if got := eval[string](c, `document.querySelector("#indicator-chart [data-chart]").getAttribute("aria-label")`); !strings.Contains(got, "72,5") {
		t.Errorf("the chart's name says %q", got)
	}
	c.checkPage("charts-indicator-one")

	// Resized and turned: the chart is drawn again at its box's width.
	width := func() int {
		return eval[int](c, `parseInt(document.querySelector("#indicator-chart [data-chart]").getAttribute("data-width"), 10)`)
	}
	waitWidth := func(what string, ok func(int) bool) int {
		t.Helper()
		w := eval[int](c, `new Promise(function (done) {
			var el = document.querySelector("#indicator-chart [data-chart]"), t0 = Date.now(), last = el.getAttribute("data-width");
			(function check() {
				var w = el.getAttribute("data-width"), box = el.clientWidth, canvas = el.querySelector("canvas").getBoundingClientRect().width;
				if (w !== last || Date.now() - t0 > 3000) return done(Math.round(canvas));
				setTimeout(check, 50);
			})();
		})`)
		if !ok(w) {
			t.Errorf("%s: the chart's canvas is %d px wide", what, w)
		}
		return w
	}
	desk := width()
	if desk < 600 {
		t.Errorf("at %d px the chart is %d px wide", desktopW, desk)
	}
	c.do(chromedp.EmulateViewport(phoneW, phoneH, chromedp.EmulateMobile, chromedp.EmulateTouch))
	portrait := waitWidth("turned to a phone", func(w int) bool { return w > 200 && w <= phoneW-20 })
	c.do(chromedp.EmulateViewport(phoneH, phoneW, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateLandscape))
	waitWidth("turned to landscape", func(w int) bool { return w > portrait+200 && w <= phoneH })
	c.screenshot("charts-indicator-landscape")
	c.do(chromedp.EmulateViewport(desktopW, desktopH))
	waitWidth("back at desktop width", func(w int) bool { return w == desk })
	c.flush("resize")

	// A rank says which way is better.
	c.open(ind("25-kh-ubnd/27"))
	if got := c.text("#chart-direction"); !strings.Contains(got, "số càng nhỏ càng tốt") {
		t.Errorf("the rank's chart says %q", got)
	}
	if ink := eval[map[string]int](c, fmt.Sprintf(canvasInk, "#indicator-chart")); ink["points"] < 20 || ink["goal"] < 50 {
		t.Errorf("the rank's chart draws %v pixels", ink)
	}
	c.checkPage("charts-indicator-rank")
}

// The documents list and an admin's suggested successions in the browser: the search
// box finds the Strategy by words of its title written in capitals, the Scheme's page
// says it has no number; on /admin/successions the admin confirms a suggestion with
// its decision through the form and sees it confirmed; every page checked at both
// widths (issue 9).
func TestBrowserDocumentsAndSuggestions(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	mustUser(t, a, "quantri", "admin", "")
	c := newChrome(t, a)

	c.open("/documents")
	c.checkPage("documents")
	c.do(chromedp.SendKeys(chromedp.CSS("#f-q"), "chien luoc"))
	c.follow("search the documents", 200, chromedp.Click(chromedp.CSS(`main form.filters button[type=submit]`)))
	if n := eval[int](c, `document.querySelectorAll("tr[data-document]").length`); n != 1 || !c.has(`tr[data-document="1893-qd-ubnd"]`) {
		t.Errorf("searching “chien luoc” lists %d documents", n)
	}
	c.checkPage("documents-search")
	c.open("/documents/de-an-2026-2030")
	if got := c.text("#doc-number"); got != "Không có số hiệu" {
		t.Errorf("the Scheme's number says %q", got)
	}
	c.checkPage("document-scheme")

	signIn(c, "quantri")
	c.open("/admin/successions")
	const key = "1893-qd-ubnd/s-khdt-vao-tai-chinh"
	art := fmt.Sprintf(`article[data-suggestion=%q]`, key)
	if !strings.Contains(c.text(art+" blockquote.evidence"), "Luật Đầu tư công") {
		t.Errorf("the suggestion does not quote its evidence")
	}
	c.checkPage("successions-suggested")
	c.do(chromedp.SendKeys(chromedp.CSS(art+` input[name=decision]`), "Quyết định số 01/QĐ-UBND (kiểm thử: số giả định)"),
		chromedp.SendKeys(chromedp.CSS(art+` input[name=decision_date]`), "2025-02-28"),
		chromedp.SendKeys(chromedp.CSS(art+` input[name=effective]`), "2025-03-01"))
	c.follow("confirm the suggestion", 200, chromedp.Click(chromedp.CSS(art+` form.suggestion-confirm button[type=submit]`)))
	if c.has(art) || !c.has(fmt.Sprintf(`#suggestions-decided li[data-suggestion=%q][data-state="confirmed"]`, key)) {
		t.Errorf("after confirming, the page still offers %s or does not list it confirmed", key)
	}
	c.checkPage("successions-confirmed")
	if u := a.do(t, "GET", "/api/v1/org-units/so-ke-hoach-va-dau-tu", nil).json(t); u["dissolved"] != "2025-03-01" {
		t.Errorf("Sở Kế hoạch và Đầu tư after confirming: dissolved %v", u["dissolved"])
	}
}
