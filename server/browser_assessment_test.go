package server_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The assessment in Chromium (issue 14): the standing agency edits and publishes a
// framework (a tree that does not add up is refused, naming the node); a unit fills in
// its self-assessment with an evidence file and submits it; the agency reviews it from
// the queue, approves and publishes the round from its page; the portal shows the
// ranking and a subject's pillar profile. Every page is checked at desktop and phone
// width (checkPage).
func TestBrowserAssessment(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	csv, err := os.ReadFile(filepath.Join("..", "seed", "examples", "communes-example.csv"))
	if err != nil {
		t.Fatal(err)
	}
	mustStatus(t, a.admin(t, "POST", "/api/v1/org-units/import", string(csv), "Content-Type", "text/csv"), 200, "communes")
	mustUser(t, a, "cds.thamdinh", "reviewer", "so-khoa-hoc-va-cong-nghe")
	mustUser(t, a, "khcn.cds", "reporter", "so-khoa-hoc-va-cong-nghe")
	mustUser(t, a, "xa1.cds", "reporter", "mau-xa-vi-du-1")
	rev := mustLogin(t, a, "cds.thamdinh", testPassword)
	fw := mustStatus(t, rev.do(t, "POST", "/api/v1/frameworks", scenarioFramework("cds-2026", "department")), 201, "framework")
	verID := int(fw["versions"].([]any)[0].(map[string]any)["id"].(float64))
	pdf := filepath.Join(t.TempDir(), "phuong-an-attt-2026.pdf")
	if err := os.WriteFile(pdf, []byte(testPDF), 0o644); err != nil {
		t.Fatal(err)
	}
	c := newChromeFor(t, a, 8*time.Minute) // 16 pages, each checked twice with axe: ~80 s on a quiet machine
	signOut := func() {
		if c.has(`.account form[action="/logout"]`) {
			c.follow("sign out", 200, chromedp.Click(chromedp.CSS(`.account form[action="/logout"] button`)))
		}
	}
	setValue := func(sel, value string) {
		t.Helper()
		eval[bool](c, fmt.Sprintf(`(function (e) { e.value = %q; e.dispatchEvent(new Event("change")); return true; })(document.querySelector(%q))`, value, sel))
	}

	// The framework: the editor refuses a tree that does not add up, then saves and
	// publishes.
	signIn(c, "cds.thamdinh")
	c.open("/assessment")
	c.checkPage("assessment-hub")
	c.open("/assessment/frameworks/cds-2026")
	c.checkPage("assessment-framework-draft")
	setValue(`.as-editor tbody tr:nth-child(3) input[name="points"]`, "150")
	c.follow("save a tree that does not add up", 400, chromedp.Click(chromedp.CSS(`form[action^="/assessment/versions/"] button[type=submit]`)))
	if msg := c.text(".alert"); !strings.Contains(msg, "Mục 1 ") {
		t.Errorf("the refusal does not name node 1: %q", msg)
	}
	c.forget("status of 400") // the refusal was asked for
	c.checkPage("assessment-framework-refused")
	setValue(`.as-editor tbody tr:nth-child(3) input[name="points"]`, "200")
	setValue(`.as-editor tbody tr:nth-child(2) input[name="name"]`, "Ban hành kế hoạch chuyển đổi số năm 2026")
	c.follow("save the draft", 200, chromedp.Click(chromedp.CSS(`form[action^="/assessment/versions/"] button[type=submit]`)))
	c.follow("publish", 200, chromedp.Click(chromedp.CSS(`form[action$="/publish"] button`)))
	if !strings.Contains(c.text("main"), "Ban hành kế hoạch chuyển đổi số năm 2026") || c.has(".as-editor") {
		t.Fatalf("after publishing: %s", clipString(c.text("main"), 300))
	}
	c.checkPage("assessment-framework-published")
	signOut()

	round := mustStatus(t, rev.do(t, "POST", "/api/v1/rounds", map[string]any{"name": "Đánh giá chuyển đổi số năm 2026", "year": 2026, "version_id": verID,
		"deadline": "2027-01-31", "subjects": []map[string]any{{"kind": "department", "org_unit": "so-khoa-hoc-va-cong-nghe"},
			{"kind": "department", "org_unit": "so-y-te"}, {"kind": "commune", "org_unit": "mau-xa-vi-du-1"}}}), 201, "round")
	roundID := int(round["id"].(float64))
	sub := map[string]int{}
	for _, s := range round["subjects"].([]any) {
		m := s.(map[string]any)
		sub[m["org_unit"].(string)] = int(m["id"].(float64))
	}

	// The unit's self-assessment, with its evidence.
	signIn(c, "khcn.cds")
	c.open("/assessment")
	c.checkPage("assessment-hub-unit")
	c.click(fmt.Sprintf(`a[href="/assessment/subjects/%d"]`, sub["so-khoa-hoc-va-cong-nghe"]))
	c.checkPage("assessment-self-draft")
	setValue(`#v-1\.1`, "1")
	setValue(`#v-1\.2`, "80")
	setValue(`#v-2\.1`, "85")
	setValue(`#v-3\.1`, "250")
	setValue(`#n-3\.1`, "Phương án được phê duyệt tại Quyết định số 12/QĐ-SKHCN")
	c.follow("save", 200, chromedp.Click(chromedp.CSS(`#as-form button[value=save]`)))
	c.do(chromedp.SetUploadFiles(chromedp.CSS("#ev-file"), []string{pdf}))
	setValue("#ev-criterion", "3.1")
	c.follow("upload the evidence", 200, chromedp.Click(chromedp.CSS(`form[action$="/evidence"] button[type=submit]`)))
	if !strings.Contains(c.text("main"), "phuong-an-attt-2026.pdf") {
		t.Fatalf("the evidence is not listed")
	}
	c.follow("submit", 200, chromedp.Click(chromedp.CSS(`#as-form button[value=submit]`)))
	if c.has(".alert") {
		t.Fatalf("submitting: %s", c.text(".alert"))
	}
	c.checkPage("assessment-self-submitted")
	signOut()

	// Commune 1 answers through the API.
	xa := mustLogin(t, a, "xa1.cds", testPassword)
	mustStatus(t, xa.do(t, "PUT", fmt.Sprintf("/api/v1/subjects/%d/self-assessment", sub["mau-xa-vi-du-1"]),
		map[string]any{"entries": []map[string]any{{"criterion": "1.1", "value": 1}, {"criterion": "1.2", "value": 40}}}), 200, "commune")
	mustStatus(t, xa.do(t, "POST", fmt.Sprintf("/api/v1/subjects/%d/submit", sub["mau-xa-vi-du-1"]), nil), 200, "commune submits")

	// The agency reviews from the queue, then approves and publishes the round.
	signIn(c, "cds.thamdinh")
	c.open("/assessment/review")
	c.checkPage("assessment-queue")
	c.click(fmt.Sprintf(`a[href="/assessment/subjects/%d"]`, sub["so-khoa-hoc-va-cong-nghe"]))
	c.checkPage("assessment-review-form")
	setValue(`#d-2\.1`, "adjust")
	setValue(`#a-2\.1`, "75")
	setValue(`#r-2\.1`, "Số liệu của Trung tâm phục vụ hành chính công: 75%")
	c.follow("send the review", 200, chromedp.Click(chromedp.CSS(`#as-form button[type=submit]`)))
	if c.has(".alert") {
		t.Fatalf("the review: %s", c.text(".alert"))
	}
	if !strings.Contains(c.text("main"), "đã duyệt") {
		t.Errorf("after the review: %s", clipString(c.text("main"), 300))
	}
	c.open("/assessment/review")
	c.click(fmt.Sprintf(`a[href="/assessment/subjects/%d"]`, sub["mau-xa-vi-du-1"]))
	c.follow("accept the commune's", 200, chromedp.Click(chromedp.CSS(`#as-form button[type=submit]`)))
	c.open(fmt.Sprintf("/assessment/rounds/%d", roundID))
	c.checkPage("assessment-round-provisional")
	c.follow("approve", 200, chromedp.Click(chromedp.CSS(`form[action$="/approve"] button`)))
	if c.has(".alert") {
		t.Fatalf("approving: %s", c.text(".alert"))
	}
	c.follow("publish", 200, chromedp.Click(chromedp.CSS(`form[action$="/publish"] button`)))
	c.checkPage("assessment-round-published")
	c.open(fmt.Sprintf("/assessment/subjects/%d/scorecard", sub["so-khoa-hoc-va-cong-nghe"]))
	if !strings.Contains(c.text("main"), "Số liệu của Trung tâm phục vụ hành chính công") {
		t.Errorf("the scorecard does not show the review's reason")
	}
	c.checkPage("assessment-scorecard")
	c.open(fmt.Sprintf("/assessment/rounds/%d/what-if?subject=unit:so-y-te&v.1.1=1&v.3.1=300", roundID))
	c.checkPage("assessment-whatif")
	signOut()

	// The portal: the ranking and a subject's pillar profile.
	c.open("/portal/rankings")
	c.checkPage("portal-rankings")
	c.click(fmt.Sprintf(`a[href="/portal/rankings/%d"]`, roundID))
	first := c.text(".as-ranking tbody tr:first-child td:nth-child(2) a")
	if !strings.Contains(first, "Sở Khoa học và Công nghệ") {
		t.Errorf("the portal's first department is %q", first)
	}
	c.checkPage("portal-ranking")
	c.click(fmt.Sprintf(`a[href="/portal/rankings/%d/subjects/%d"]`, roundID, sub["so-khoa-hoc-va-cong-nghe"]))
	if n := eval[int](c, `document.querySelectorAll(".as-bars meter").length`); n < 3 {
		t.Errorf("the pillar profile has %d bars, want 3", n)
	}
	c.checkPage("portal-scorecard")
}
