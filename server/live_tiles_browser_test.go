package server_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/server"
)

// The board's live tiles move while points are published over MQTT: the value, the
// sparkline and, past the threshold rule, the state; the page passes the browser checks
// (axe, phone width, Vietnamese) with them.
func TestBrowserLiveTiles(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	_, host, port := mustLiveMQTT(t, a, server.LiveOptions{})
	mustUser(t, a, "quan-tri", "admin", "")
	rep := mustUser(t, a, "cam-bien", "reporter", "van-phong-ubnd-tinh")
	tok, _ := mustToken(t, a, rep, tinhso.ActWriteSeries)
	const key = "mo-phong.pm25"
	topic := "tinhso/series/" + key
	if r := a.admin(t, "POST", "/api/v1/series", map[string]any{"key": key, "name": "Cảm biến mô phỏng bụi mịn PM2.5", "unit": "µg/m³"}); r.status != 201 {
		t.Fatalf("series: %d %s", r.status, r.body)
	}
	if r := a.admin(t, "POST", "/api/v1/alert-rules", map[string]any{"key": "pm25-tile", "name": "PM2.5 cao", "kind": "series_threshold",
		"severity": "warning", "enabled": true, "subject": key, "op": "gt", "threshold": 50, "clear_margin": 5}); r.status != 201 {
		t.Fatalf("rule: %d %s", r.status, r.body)
	}
	pubLines(t, host, port, tok, topic, "30", "32", "31.5")

	c := newChrome(t, a)
	signIn(c, "quan-tri")
	c.open("/?lang=vi")
	tile := fmt.Sprintf(`.lt-tile[data-key=%q]`, key)
	if !c.has(tile) {
		t.Fatalf("no tile: %s", eval[string](c, `document.body.innerHTML.slice(0, 3000)`))
	}
	c.do(chromedp.WaitReady(chromedp.CSS(tile + `[data-state="ok"]`)))
	if got := c.text(tile + " .v"); got != "31,5" {
		t.Errorf("the tile shows %q, want 31,5", got)
	}
	c.do(chromedp.WaitVisible(chromedp.CSS(`.live-tiles.connected`)))
	c.checkPage("board-live")

	// New points move the tile while the page stays.
	pubLines(t, host, port, tok, topic, "41.25")
	c.do(chromedp.WaitReady(chromedp.CSS(tile + `[data-value="41.25"]`)))
	if got := c.text(tile + " .v"); got != "41,25" {
		t.Errorf("after a point the tile shows %q", got)
	}
	n := eval[int](c, fmt.Sprintf(`document.querySelector(%q).getAttribute("points").split(" ").length`, tile+" .spark polyline"))
	if n < 2 {
		t.Errorf("the sparkline has %d points", n)
	}
	pubLines(t, host, port, tok, topic, "72.5")
	c.do(chromedp.WaitReady(chromedp.CSS(tile + `[data-state="open"]`)))
	if got := c.text(tile + " .state"); got != "vượt ngưỡng" {
		t.Errorf("the state reads %q", got)
	}
	c.screenshot("board-live-open")
	// Back in the band: still open (hysteresis); below 45: ok again.
	pubLines(t, host, port, tok, topic, "47")
	c.do(chromedp.WaitReady(chromedp.CSS(tile + `[data-value="47"]`)))
	pubLines(t, host, port, tok, topic, "40")
	c.do(chromedp.WaitReady(chromedp.CSS(tile + `[data-state="ok"][data-value="40"]`)))
	c.screenshot("board-live-ok")
}
