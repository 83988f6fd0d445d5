package server_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The whole path an admin and a department take the first time, in the browser and
// without the API: the admin creates a regime, sees the blockers grouped by cause,
// imports the communes, records a succession, opens the period, creates a reporter
// and a reviewer; the department reports partially, saves, completes and submits; the
// reviewer reviews and approves; the task is done and the figure is on the board, the
// unit board and the portal. Every page is checked in Vietnamese at both widths (no
// console error, axe-core), and saved as screenshots with TINHSO_SCREENSHOTS=1.
func TestBrowserFirstTime(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	newBoardClock(a, time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)) // Q1/2026 is the current period
	mustUser(t, a, "quan.tri", "admin", "")                       // the first admin (tinhso serve makes one)
	c := newChromeFor(t, a, 6*time.Minute)
	const newPassword = "Sở Tài chính báo cáo quý 1"
	vi := func(where string) {
		t.Helper()
		if lang := eval[string](c, `document.documentElement.lang`); lang != "vi" {
			t.Errorf("%s: the page is in %q", where, lang)
		}
		if m := missingRe.FindString(eval[string](c, `document.body.innerText`)); m != "" {
			t.Errorf("%s: untranslated %s", where, m)
		}
		for _, en := range []string{"no longer exists", "named by", "give a number", "must be", "No ", "page not found"} {
			if strings.Contains(eval[string](c, `document.querySelector("main").innerText`), en) {
				t.Errorf("%s: English on the page: %q", where, en)
			}
		}
	}
	check := func(name string) { t.Helper(); vi(name); c.checkPage("first-" + name) }
	signOut := func() {
		t.Helper()
		c.follow("sign out", 200, chromedp.Click(chromedp.CSS(`.account form[action="/logout"] button`)))
	}
	tick := func(sel string) {
		t.Helper()
		if !eval[bool](c, fmt.Sprintf(`(function (e) { if (!e) return false; var d = e.closest("details"); if (d) d.open = true; e.scrollIntoView(); return true; })(document.querySelector(%q))`, sel)) {
			t.Fatalf("no %s on %s", sel, c.path())
		}
		c.do(chromedp.Click(chromedp.CSS(sel)))
	}

	// The admin creates a regime.
	signIn(c, "quan.tri")
	c.open("/admin/periods")
	if !eval[bool](c, `(function () { try { new RegExp(document.querySelector("#f-r-key").pattern, "v"); return true; } catch (e) { return false; } })()`) {
		t.Errorf("the regime key's pattern is invalid under the v flag")
	}
	check("periods")
	c.do(chromedp.Click(chromedp.CSS(`section[aria-labelledby="h-regimes"] details > summary`))) // "Tạo chế độ báo cáo mới"
	c.do(chromedp.SendKeys(chromedp.CSS("#f-r-key"), "kh25-quy"),
		chromedp.SendKeys(chromedp.CSS("#f-r-name"), "Báo cáo quý thực hiện Kế hoạch 25/KH-UBND"),
		chromedp.SetValue(chromedp.CSS("#f-r-document"), "25-kh-ubnd"),
		chromedp.SetValue(chromedp.CSS("#f-r-receiver"), "so-khoa-hoc-va-cong-nghe"),
		chromedp.SetValue(chromedp.CSS("#f-r-frequency"), "quarterly"))
	c.follow("create the regime", 200, chromedp.Click(chromedp.CSS(`form[action="/admin/regimes"] button[type=submit]`)))
	if got := c.text("main .flash"); got != "Đã tạo chế độ báo cáo." {
		t.Errorf("after creating the regime the page says %q", got)
	}

	// The blockers of Q1/2026, grouped by cause.
	causes := eval[[]string](c, `Array.from(document.querySelectorAll("#blockers .blocker-group")).map(function (g) { return g.dataset.cause; })`)
	if strings.Join(causes, ",") != "gone,empty_group" {
		t.Fatalf("the blockers come grouped as %v, want gone and empty_group", causes)
	}
	check("blockers")

	// The communes through the import page the blocker links to.
	c.click(`#blockers .blocker-group[data-cause="empty_group"] a.button`)
	check("import")
	csv, _ := filepath.Abs(filepath.Join("..", "seed", "examples", "communes-example.csv"))
	c.do(chromedp.SetUploadFiles(chromedp.CSS("#f-csv"), []string{csv}))
	c.follow("import the communes", 200, chromedp.Click(chromedp.CSS(`form[action="/admin/org-units/import"] button[type=submit]`)))
	check("import-done")

	// Back to the preview: the gone units remain; record their successor.
	c.open("/admin/periods?regime=kh25-quy&year=2026&number=1")
	if c.has(`#blockers .blocker-group[data-cause="empty_group"]`) {
		t.Errorf("after importing the communes the commune group still blocks")
	}
	c.click(`#blockers .blocker-group[data-cause="gone"] a.button`)
	check("succession")
	tick(`#f-s-to-mau-phuong-vi-du-1`)
	c.do(chromedp.SetValue(chromedp.CSS("#f-s-kind"), "transfer"),
		chromedp.SendKeys(chromedp.CSS("#f-s-effective"), "2025-07-01"),
		chromedp.SendKeys(chromedp.CSS("#f-s-citation"), "Kiểm thử: quyết định giả định (không phải dữ liệu thật)"))
	c.follow("record the succession", 200, chromedp.Click(chromedp.CSS(`form[action="/admin/successions"] button[type=submit]`)))
	if c.has("#succession-error") {
		t.Fatalf("recording the succession: %s", c.text("#succession-error"))
	}
	if c.has("#blockers") {
		t.Fatalf("after the succession the preview still has blockers: %s", c.text("#blockers"))
	}
	check("preview-ready")
	c.follow("open the period", 200, chromedp.Click(chromedp.CSS(`#preview form[action="/admin/periods"] button`)))
	if got := c.text("main .flash"); got != "Đã mở kỳ báo cáo." {
		t.Errorf("after opening the period the page says %q", got)
	}
	check("period-opened")

	// A reporter of Sở Tài chính and a reviewer of Sở Khoa học và Công nghệ.
	for _, u := range []struct{ name, full, role, unit string }{
		{"tc.baocao", "Nguyễn Văn Báo Cáo", "reporter", "so-tai-chinh"},
		{"khcn.thamdinh", "Trần Thị Thẩm Định", "reviewer", "so-khoa-hoc-va-cong-nghe"},
	} {
		c.open("/admin/users")
		c.do(chromedp.SendKeys(chromedp.CSS("#f-n-username"), u.name), chromedp.SendKeys(chromedp.CSS("#f-n-name"), u.full),
			chromedp.SetValue(chromedp.CSS("#f-n-role"), u.role), chromedp.SetValue(chromedp.CSS("#f-n-unit"), u.unit),
			chromedp.SendKeys(chromedp.CSS("#f-n-password"), testPassword))
		c.follow("create "+u.name, 201, chromedp.Click(chromedp.CSS(`form[method="post"][action="/admin/users"] button[type=submit]`)))
		if c.has("main .alert") {
			t.Fatalf("creating %s: %s", u.name, c.text("main .alert"))
		}
		if u.role == "reporter" {
			check("user-created")
		}
	}
	signOut()

	// The department signs in (and sets its own password), reports partially, saves.
	if home := signIn(c, "tc.baocao"); strings.HasPrefix(home, "/password") {
		check("password")
		c.do(chromedp.SendKeys(chromedp.CSS("#f-current"), testPassword), chromedp.SendKeys(chromedp.CSS("#f-new"), newPassword),
			chromedp.SendKeys(chromedp.CSS("#f-confirm"), newPassword))
		c.follow("change the password", 200, chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	}
	c.open("/reporting")
	check("reporting")
	c.click(`tr[data-submission] a`)
	id := regexp.MustCompile(`^/reporting/(\d+)$`).FindStringSubmatch(c.path())
	if id == nil {
		t.Fatalf("the reporter's submission is at %s", c.path())
	}
	check("form")
	ind := `fieldset[data-indicator="25-kh-ubnd/8.3"]`
	task := eval[string](c, `document.querySelector("fieldset[data-task]").dataset.task`)
	tf := fmt.Sprintf(`fieldset[data-task=%q]`, task)
	c.do(chromedp.SendKeys(chromedp.CSS(ind+` input[name^="note-"]`), "Số liệu đang tổng hợp từ các phòng"),
		chromedp.SendKeys(chromedp.CSS(tf+` input[name^="pct-"]`), "100"))
	tick(tf + ` input[name^="done-"]`)
	c.follow("save the partial draft", 200, chromedp.Click(chromedp.CSS(`#submission-form button[value=save]`)))
	if c.has("#form-error") {
		t.Fatalf("saving the partial draft: %s", c.text("#form-error"))
	}
	check("draft-saved")
	// Submitting it says what is missing, naming the item.
	c.follow("submit the incomplete form", 400, chromedp.Click(chromedp.CSS(`#submission-form button[value=submit]`)))
	if msg := c.text("#form-error"); !strings.Contains(msg, "Chỉ tiêu 8.3") {
		t.Errorf("submitting the incomplete form says %q", msg)
	}
	c.forget("status of 400") // the page answers 400, as it should
	check("submit-incomplete")
	// Complete, submit.
	c.do(chromedp.SendKeys(chromedp.CSS(ind+` input[name^="n-"]`), "60"),
		chromedp.SendKeys(chromedp.CSS(tf+` input[name^="link-"]`), "https://stc.thainguyen.gov.vn/bao-cao-quy-1"))
	c.follow("submit the completed form", 200, chromedp.Click(chromedp.CSS(`#submission-form button[value=submit]`)))
	if c.has("#form-error") {
		t.Fatalf("submitting the completed form: %s", c.text("#form-error"))
	}
	check("submitted")
	signOut()

	// The reviewer reviews what was filled and approves.
	if home := signIn(c, "khcn.thamdinh"); strings.HasPrefix(home, "/password") {
		c.do(chromedp.SendKeys(chromedp.CSS("#f-current"), testPassword), chromedp.SendKeys(chromedp.CSS("#f-new"), newPassword+" duyệt"),
			chromedp.SendKeys(chromedp.CSS("#f-confirm"), newPassword+" duyệt"))
		c.follow("change the password", 200, chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	}
	c.open("/review")
	check("review")
	c.click(fmt.Sprintf(`tr[data-submission="%s"] th a`, id[1]))
	if c.has(`input[name^="n-"]`) {
		t.Errorf("the reviewer sees inputs")
	}
	if got := c.text(`tr[data-indicator="25-kh-ubnd/8.3"] td strong`); got != "60" {
		t.Errorf("the reviewer sees %q for 8.3", got)
	}
	check("review-submission")
	c.follow("approve", 200, chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="/review/%s/approve"] button`, id[1]))))
	check("approved")

	// The task is done, the figure is on the board, the unit board and the portal.
	c.open("/")
	if got := boardFigure(c, "8.3"); !strings.HasPrefix(got, "60 ") {
		t.Errorf("the board shows %q for 8.3", got)
	}
	done := eval[int](c, `(function (e) { return e ? parseInt(e.textContent, 10) : -1; })(document.querySelector("#count-all-done") || null)`) +
		eval[int](c, `(function (e) { return e ? parseInt(e.textContent, 10) : 0; })(document.querySelector("#count-all-done_late"))`)
	if done < 1 {
		t.Errorf("the board counts no finished task")
	}
	check("board")
	c.open("/units/so-tai-chinh/board")
	if st := c.text(fmt.Sprintf(`tr[data-task=%q] .cls`, task)); !strings.HasPrefix(st, "Đã hoàn thành") && !strings.HasPrefix(st, "Hoàn thành") {
		t.Errorf("the unit board shows the task as %q", st)
	}
	if got := c.text(`#unit-figure-8\.3 strong`); got != "60" {
		t.Errorf("the unit board shows %q for 8.3", got)
	}
	check("unit-board")
	c.click(fmt.Sprintf(`tr[data-task=%q] th a`, task))
	if cls := eval[string](c, `(document.querySelector("main .cls") || {className: ""}).className`); !strings.Contains(cls, "cls-done") {
		t.Errorf("the task page shows the task as %s", cls)
	}
	check("task-done")
	c.open("/portal")
	if !strings.Contains(eval[string](c, `document.querySelector("#h-progress").parentElement.innerText`), "60") {
		t.Errorf("the portal does not show the approved 60")
	}
	check("portal")
}

// On a phone the menu folds behind a button, so the page starts on the first screen;
// the button opens it. An unknown path shows the error page with a way back.
func TestBrowserPhoneMenu(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	c := newChrome(t, a)
	c.do(chromedp.EmulateViewport(phoneW, phoneH, chromedp.EmulateMobile, chromedp.EmulateTouch))
	c.open("/tasks")
	c.settle()
	if eval[bool](c, `document.querySelector(".menu-toggle").hidden`) {
		t.Fatal("no menu button at phone width")
	}
	if h := eval[float64](c, `document.querySelector("header.top").getBoundingClientRect().height`); h > 0.2*phoneH {
		t.Errorf("at phone width the header takes %.0f px of %d", h, phoneH)
	}
	c.do(chromedp.Click(chromedp.CSS(".menu-toggle")))
	if !eval[bool](c, `document.querySelector("#site-nav").getBoundingClientRect().height > 100 && document.querySelector(".menu-toggle").getAttribute("aria-expanded") === "true"`) {
		t.Errorf("the menu button does not open the menu")
	}
	c.do(chromedp.EmulateViewport(desktopW, desktopH))
	c.settle()
	if !eval[bool](c, `document.querySelector(".menu-toggle").hidden && document.querySelector("#site-nav").getBoundingClientRect().height > 0`) {
		t.Errorf("at desktop width the menu is not shown in full")
	}
	c.follow("an unknown path", 404, chromedp.Navigate(a.URL+"/khong-co-trang-nay"))
	c.forget("status of 404")
	if !strings.Contains(c.text("main"), "Không có trang nào ở địa chỉ") {
		t.Errorf("the 404 page: %q", c.text("main"))
	}
	c.checkPage("not-found")
	c.open("/tasks")
	c.checkPage("tasks-menu")
}
