package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/connector"
	"github.com/tinhso/tinhso/netguard"
	"github.com/tinhso/tinhso/secret"
)

// TestBrowserConnectors: an admin creates a connector in the editor, dry-runs it (the
// values it would write, nothing written), runs it, and sees the run history.
func TestBrowserConnectors(t *testing.T) {
	t.Parallel()
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "Ngày;Tỷ lệ\n31/03/2026;61,5\n30/06/2026;64\n")
	}))
	defer src.Close()
	a := mustOpenAPI(t, "sqlite")
	su, _ := url.Parse(src.URL)
	g, err := netguard.New(netguard.Config{Allow: []string{su.Host}, Listen: []string{a.Listener.Addr().String()}})
	if err != nil {
		t.Fatal(err)
	}
	kr, _ := secret.NewKeyring(secret.GenerateKey())
	a.app.SetConnectorOptions(app.ConnectorOptions{Fetcher: connector.New(g, ""), Secrets: kr})
	mustUser(t, a, "quan-tri", "admin", "")
	c := newChrome(t, a)
	signIn(c, "quan-tri")
	c.open("/admin/connectors")
	c.checkPage("connectors-empty")
	c.click("#new-connector")
	c.checkPage("connector-new")
	c.do(chromedp.SendKeys(chromedp.CSS("#f-c-name"), "Cổng dịch vụ công"),
		chromedp.SendKeys(chromedp.CSS("#f-c-unit"), "so-tai-chinh"),
		chromedp.SetValue(chromedp.CSS("#f-c-kind"), "csv"),
		chromedp.SendKeys(chromedp.CSS("#f-c-url"), src.URL+"/dvc.csv"),
		chromedp.SendKeys(chromedp.CSS("#f-c-ind"), "25-kh-ubnd/8.3"),
		chromedp.SendKeys(chromedp.CSS("#f-c-time"), "Ngày"),
		chromedp.SendKeys(chromedp.CSS("#f-c-value"), "Tỷ lệ"),
		chromedp.SendKeys(chromedp.CSS("#f-c-secret"), "mat-khau-khong-hien-thi"))
	c.click("#save-connector")
	if strings.Contains(c.text("main"), "mat-khau") {
		t.Fatal("the page shows the secret")
	}
	c.click("#dry-run")
	if got := c.text("#dry-result"); !strings.Contains(got, "Đã đọc 2 dòng; sẽ ghi 2 giá trị") || !strings.Contains(got, "61,5") {
		t.Fatalf("dry run: %s", got)
	}
	c.checkPage("connector-dry-run")
	c.click("#run-now")
	runs := c.text("#runs")
	if !strings.Contains(runs, "chạy thử") || !strings.Contains(runs, "đã ghi") {
		t.Fatalf("run history: %s", runs)
	}
	c.checkPage("connector-runs")
	c.open("/admin/connectors")
	if got := c.text("#connectors"); !strings.Contains(got, "Cổng dịch vụ công") || !strings.Contains(got, "hoạt động tốt") {
		t.Fatalf("list: %s", got)
	}
	c.checkPage("connectors")
}
