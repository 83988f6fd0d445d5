package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/credential"
)

// A leader reads the board at a glance with the demo data: every indicator class
// counted, the forecast charts drawn; follows the DTI chart to the indicator with its
// forecast band and reasons, and an overdue task to its reasons. The wall screen opens
// through a display link without a sign-in, at 1920×1080, and refreshes itself; a
// revoked link opens nothing.
func TestBrowserMonitoring(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	loadDemo(t, a)
	c := newChrome(t, a)
	mustUser(t, a, "lanh.dao", "leader", "")
	signIn(c, "lanh.dao")

	c.open("/")
	for _, cl := range tinhso.IndicatorClasses {
		n := c.text("#ind-class-" + cl + " .n")
		if n == "" || n == "0" {
			t.Errorf("the board counts %q indicators %s", n, cl)
		}
	}
	if !c.has("#synthetic-note") {
		t.Errorf("the board shows synthetic figures without saying so")
	}
	drawn := eval[int](c, `document.querySelectorAll('.fcharts div[data-chart="forecast"][data-drawn="1"] canvas').length`)
	if drawn < 5 {
		t.Errorf("%d forecast charts drawn on the board", drawn)
	}
	if !c.has(`table.urgent tr[data-class="overdue"]`) || !c.has(`table.urgent tr[data-class="missed"]`) {
		t.Errorf("overdue and at risk lists no overdue task or missed indicator")
	}
	c.checkPage("monitoring-board")

	// Board → the DTI indicator with its forecast band.
	c.follow("DTI chart", 200, chromedp.Click(chromedp.CSS(`figure[data-indicator="1893-qd-ubnd/b.1"] figcaption a`)))
	if got := c.text("#forecast"); !strings.Contains(got, "31/12/2030") || !strings.Contains(got, "1,238") || !strings.Contains(got, "1,175 – 1,3") {
		t.Errorf("DTI forecast says %q", got)
	}
	if !strings.Contains(c.text("#status .reasons"), "Đúng hướng") || !strings.Contains(c.text("#h-allfigures + .table-wrap"), "chú thích 7") {
		t.Errorf("DTI reasons %q", c.text("#status"))
	}
	if !eval[bool](c, `!!document.querySelector('#status div[data-chart="forecast"][data-drawn="1"] canvas')`) {
		t.Errorf("the DTI forecast chart is not drawn")
	}
	c.checkPage("monitoring-indicator")

	// Board → an overdue task with its reasons.
	c.open("/")
	c.follow("overdue task", 200, chromedp.Click(chromedp.CSS(`table.urgent tr[data-class="overdue"] th a`)))
	if got := c.text("#status .reasons"); !strings.Contains(got, "Quá hạn") || !strings.Contains(got, "ngày") {
		t.Errorf("the overdue task's reasons say %q", got)
	}
	c.checkPage("monitoring-task")

	// The wall screen through a display link, signed out.
	tok := "tsd_" + credential.RandomToken(24)
	l := &tinhso.DisplayLink{Name: "Phòng IOC", CreatedBy: "admin"}
	if err := a.db.CreateDisplayLink(context.Background(), l, credential.HashToken(tok)); err != nil {
		t.Fatal(err)
	}
	c.follow("sign out", 200, chromedp.Click(chromedp.CSS(`header .account form[action="/logout"] button`)))
	w := c
	w.do(chromedp.EmulateViewport(1920, 1080))
	w.open("/wall/" + tok + "?refresh=2")
	w.settle()
	if n := w.text("#wall-ind-total"); n == "" || n == "0" {
		t.Errorf("the wall counts %q indicators", n)
	}
	if !w.has("#wall-synthetic") {
		t.Errorf("the wall shows synthetic figures without saying so")
	}
	// It fits one 1920×1080 screen without scrolling (it was 1306 px high): the page
	// is no higher nor wider than the screen, and every chart, tile and urgent item
	// drawn ends on it.
	size := eval[[]int](w, `[document.documentElement.scrollWidth, document.documentElement.scrollHeight, document.body.scrollHeight]`)
	t.Logf("wall screen at 1920×1080: %d × %d px", size[0], size[1])
	if size[0] > 1920 || size[1] > 1080 || size[2] > 1080 {
		t.Errorf("the wall screen is %d × %d px (body %d px high) at 1920×1080: it scrolls", size[0], size[1], size[2])
	}
	if n := eval[int](w, `document.querySelectorAll("#wall-charts canvas").length`); n < 8 {
		t.Errorf("the wall draws %d charts", n)
	}
	if low := eval[[]string](w, `Array.from(document.querySelectorAll("#wall-charts figure, .wt, #wall-urgent > li, #wall-agencies > li, .docbar")).filter(function (e) {
		return e.getBoundingClientRect().bottom > innerHeight + 0.5;
	}).map(function (e) { return e.tagName.toLowerCase() + "." + e.className + " bottom=" + Math.round(e.getBoundingClientRect().bottom); })`); len(low) > 0 {
		t.Errorf("parts of the wall end below the screen: %v", low)
	}
	w.screenshot("monitoring-wall-1920")
	// It refreshes itself without a reload: the page's data is drawn at load, then
	// fetched again every 2 s.
	refreshed := eval[bool](w, `new Promise(function (done) {
		window.__notReloaded = true;
		var first = document.getElementById("main").getAttribute("data-refreshed"), t0 = Date.now();
		(function check() {
			var now = document.getElementById("main").getAttribute("data-refreshed");
			if (now && now !== first) return done(window.__notReloaded === true);
			if (Date.now() - t0 > 8000) return done(false);
			setTimeout(check, 100);
		})();
	})`)
	if !refreshed {
		t.Errorf("the wall screen did not refresh itself within 8 s")
	}
	w.checkAxe("wall screen at 1920×1080", false)
	w.do(chromedp.EmulateViewport(phoneW, phoneH, chromedp.EmulateMobile))
	w.settle()
	if sw := eval[int](w, `document.documentElement.scrollWidth`); sw > phoneW {
		t.Errorf("the wall screen at %d px scrolls sideways: %d px wide", phoneW, sw)
	}
	w.screenshot("monitoring-wall-phone")
	w.flush("wall screen")
	if err := a.db.RevokeDisplayLink(context.Background(), l.ID); err != nil {
		t.Fatal(err)
	}
	if r := a.do(t, "GET", "/wall/"+tok+"/data", nil); r.status != 404 {
		t.Errorf("a revoked link's data: %d", r.status)
	}
}
