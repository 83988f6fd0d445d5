package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The live data pages in the browser: the series list from the menu, a series with its
// chart and the resolution switch, and an ingest token made on its page that then
// sends points.
func TestBrowserLive(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	mustLive(t, a)
	mustUser(t, a, "quan-tri", "admin", "")
	now := time.Now().Truncate(time.Second)
	var lp strings.Builder
	for i := range 1080 { // three hours, a point every 10 s
		at := now.Add(-3 * time.Hour).Add(time.Duration(i) * 10 * time.Second)
		fmt.Fprintf(&lp, "khong_khi,tram=tn01 pm25=%.2f %d\n", 20+float64(i%60)/10, at.UnixNano())
	}
	if r := a.admin(t, "POST", "/api/v1/write", lp.String()); r.status != 204 {
		t.Fatalf("write: %d %s", r.status, r.body)
	}
	if r := a.admin(t, "PATCH", "/api/v1/series/khong_khi,tram=tn01.pm25", map[string]any{"name": "Bụi mịn PM2.5 — trạm TN01", "unit": "µg/m³",
		"location": map[string]any{"lat": 21.5942, "lon": 105.8482}, "retention_days": 730}); r.status != 200 {
		t.Fatalf("patch: %d %s", r.status, r.body)
	}
	// A refused line of a registered series becomes its last error.
	if r := a.admin(t, "POST", "/api/v1/write", "khong_khi,tram=tn01 pm25=NaN"); r.status != 400 {
		t.Fatalf("NaN: %d %s", r.status, r.body)
	}
	key := "khong_khi,tram=tn01.pm25"

	c := newChrome(t, a)
	signIn(c, "quan-tri")
	c.click(`nav a[href="/series"]`)
	if got := c.text(`tr[data-series="` + key + `"] td:nth-of-type(1)`); got != "Bụi mịn PM2.5 — trạm TN01" {
		t.Errorf("the list shows the name %q", got)
	}
	if got := c.text(`tr[data-series="` + key + `"] td:nth-of-type(6)`); !strings.Contains(got, "NaN") {
		t.Errorf("the list shows the last error %q", got)
	}
	if !c.has(`main a[href="/admin/connectors"]`) {
		t.Error("the series list offers an admin no link to the connectors")
	}
	c.checkPage("series-list")
	// The unknown-series setting, changed on the page, refuses new keys at once.
	c.do(chromedp.SetValue(chromedp.CSS("#f-unknown"), "refuse"))
	c.click(`form[action="/series/settings"] button[type=submit]`)
	if got := c.text("#unknown-policy"); !strings.Contains(got, "từ chối") {
		t.Errorf("the setting after saving: %q", got)
	}
	if r := a.admin(t, "POST", "/api/v1/write", "chua_dang_ky value=1"); r.status != 400 {
		t.Errorf("a new key after refuse was chosen: %d %s", r.status, r.body)
	}
	c.do(chromedp.SetValue(chromedp.CSS("#f-unknown"), "create"))
	c.click(`form[action="/series/settings"] button[type=submit]`)

	c.click(`tr[data-series="` + key + `"] th a`)
	if !c.has(`[data-chart="series"][data-drawn]`) {
		t.Errorf("no chart drawn on %s", c.path())
	}
	if got := c.text("#series-latest .big"); got == "" {
		t.Errorf("no latest value")
	}
	if got := c.text(`#resolution-switch a[aria-current]`); got != "tự động" {
		t.Errorf("the current resolution is %q", got)
	}
	c.checkPage("series")
	c.click(`#resolution-switch a[data-res="raw"]`)
	if n := eval[int](c, `document.querySelectorAll("#points-table tbody tr").length`); n != 50 {
		t.Errorf("raw: %d rows in the table, want the newest 50", n)
	}
	if !c.has(`[data-chart="series"][data-drawn]`) {
		t.Errorf("no chart drawn at raw resolution")
	}
	c.click(`#resolution-switch a[data-res="1h"]`)
	if n := eval[int](c, `document.querySelectorAll("#points-table thead th").length`); n != 6 {
		t.Errorf("1h: %d columns, want time, mean, min, max, count, last", n)
	}

	c.open("/admin/ingest-tokens")
	c.do(chromedp.SendKeys(chromedp.CSS("#f-t-name"), "Trạm TN01"))
	c.follow("create an ingest token", 201, chromedp.Click(chromedp.CSS(`form[action="/admin/ingest-tokens"] button[type=submit]`)))
	tok := c.text("#new-token")
	if !strings.HasPrefix(tok, "tsk_") {
		t.Fatalf("new token %q", tok)
	}
	if got := c.text(`#ingest-tokens td:nth-of-type(1)`); got != "series:write" {
		t.Errorf("the token's scopes: %q", got)
	}
	if r := a.do(t, "POST", "/api/v2/write?org=tinh&bucket=cam-bien&precision=s", fmt.Sprintf("khong_khi,tram=tn01 pm25=7 %d", now.Unix()), "Authorization", "Token "+tok); r.status != 204 {
		t.Errorf("the new token sends: %d %s", r.status, r.body)
	}
	if r := a.do(t, "GET", "/api/v1/series", nil, bearer(tok)...); r.status != 403 {
		t.Errorf("the new token reads the series: %d", r.status)
	}
	c.checkPage("ingest-tokens")
}
