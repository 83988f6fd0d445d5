package server_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/credential"
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
	n := eval[int](c, fmt.Sprintf(`document.querySelector(%q).getAttribute("points").split(" ").length`, tile+" .lt-spark polyline"))
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

	// The unit board shows the unit's series.
	if r := a.admin(t, "PATCH", "/api/v1/series/"+key, map[string]any{"org_unit": "van-phong-ubnd-tinh"}); r.status != 200 {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	c.open("/units/van-phong-ubnd-tinh/board?lang=vi")
	c.do(chromedp.WaitReady(chromedp.CSS(tile + `[data-value="40"]`)))
	c.do(chromedp.WaitVisible(chromedp.CSS(`.live-tiles.connected`)))
	c.screenshot("unit-board-live")

	// The wall screen, signed out, through a display link: its own stream.
	wall := "tsd_" + credential.RandomToken(24)
	if err := a.db.CreateDisplayLink(context.Background(), &tinhso.DisplayLink{Name: "Phòng IOC", CreatedBy: "admin"}, credential.HashToken(wall)); err != nil {
		t.Fatal(err)
	}
	if r := a.do(t, "GET", "/wall/tsd_khong-co-lien-ket-nay-0000/stream?key="+key, nil); r.status != 404 {
		t.Errorf("a stream of a wrong display link: %d", r.status)
	}
	c.follow("sign out", 200, chromedp.Click(chromedp.CSS(`header .account form[action="/logout"] button`)))
	c.do(chromedp.EmulateViewport(1920, 1080))
	c.open("/wall/" + wall)
	c.do(chromedp.WaitVisible(chromedp.CSS(`.live-tiles.connected`)))
	pubLines(t, host, port, tok, topic, "63")
	c.do(chromedp.WaitReady(chromedp.CSS(tile + `[data-value="63"][data-state="open"]`)))
	c.screenshot("wall-live")
}
