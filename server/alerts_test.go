package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/blob"
	"github.com/tinhso/tinhso/credential"
	"github.com/tinhso/tinhso/inmem"
	"github.com/tinhso/tinhso/netguard"
	"github.com/tinhso/tinhso/notify"
	"github.com/tinhso/tinhso/secret"
	"github.com/tinhso/tinhso/server"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// names resolves hooks.example.vn to a private address and evil.example.vn to loopback,
// as a DNS server an attacker controls might.
type names map[string]string

func (n names) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := n[host]; ok {
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
	return nil, fmt.Errorf("no such host %s", host)
}

// syncBuffer is a log everyone writes to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// alertsNow is when the tests evaluate the seed plan: many of its tasks are due by the
// end of 2025, so alerts are open.
var alertsNow = time.Date(2026, 4, 1, 9, 0, 0, 0, tinhso.Location)

// mustOpenAlertsAPI is mustOpenAPI with the alerts' delivery wired: the outbound guard
// (with a resolver the test controls), a key for secrets, and the log kept.
func mustOpenAlertsAPI(tb testing.TB, engine string) (*testAPI, *syncBuffer) {
	tb.Helper()
	db := sqldbtest.OpenSeeded(tb, engine)
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	g, err := netguard.New(netguard.Config{Resolver: names{"hooks.example.vn": "10.20.30.40", "evil.example.vn": "127.0.0.1"}})
	if err != nil {
		tb.Fatal(err)
	}
	kr, err := secret.NewKeyring(secret.GenerateKey())
	if err != nil {
		tb.Fatal(err)
	}
	uc := app.New(db, app.Options{Throttle: inmem.NewThrottle(), Quota: inmem.NewQuota(), Events: &inmem.Bus{Log: log}, Log: log,
		Passwords: credential.NewHasher(64, 1, 1),
		Alerts:    app.AlertOptions{Dispatcher: &notify.Dispatcher{Client: g.Client(), Check: g.CheckURL}, Secrets: kr}})
	blobs, err := blob.NewFolder(filepath.Join(tb.TempDir(), "blobs"))
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := server.New(uc, credential.HashToken(adminToken), blobs, log)
	if err != nil {
		tb.Fatal(err)
	}
	srv.Config.Now = func() time.Time { return alertsNow.Add(time.Hour) }
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	if _, err := uc.EvaluateAlerts(context.Background(), alertsNow); err != nil {
		tb.Fatal(err)
	}
	return &testAPI{Server: ts, db: db, app: uc, srv: srv, cfg: srv.Config}, logs
}

// The alerts' API: a reporter sees and acknowledges only its unit's alerts; only admins
// manage webhooks and SMTP; webhook URLs are guarded; secrets never come back, in
// answers, pages, logs or the export.
func TestAlertsAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a, logs := mustOpenAlertsAPI(t, engine)
		mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
		mustUser(t, a, "ld.tinh", "leader", "")
		mustUser(t, a, "khcn.thamdinh", "reviewer", "so-khoa-hoc-va-cong-nghe")
		rep := mustLogin(t, a, "tc.baocao", testPassword)
		lead := mustLogin(t, a, "ld.tinh", testPassword)
		cookie := func(b *browser) []string {
			return []string{"Cookie", "tinhso_session=" + b.cookie, "X-CSRF-Token", b.csrf}
		}

		all := a.admin(t, "GET", "/api/v1/alerts?state=open&limit=1000", nil)
		n := total(t, all)
		mine := a.do(t, "GET", "/api/v1/alerts?limit=1000", nil, cookie(rep)...)
		own := items(t, mine)
		if n < 10 || len(own) == 0 || len(own) >= n {
			t.Fatalf("alerts: %d in all, %d the reporter's", n, len(own))
		}
		for _, x := range own {
			if x["org_unit"] != "so-tai-chinh" {
				t.Fatalf("the reporter sees an alert of %v", x["org_unit"])
			}
		}
		var other map[string]any
		for _, x := range items(t, all) {
			if x["org_unit"] != "so-tai-chinh" {
				other = x
				break
			}
		}
		otherID := fmt.Sprint(other["id"])
		if r := a.do(t, "GET", "/api/v1/alerts/"+otherID, nil, cookie(rep)...); r.status != 404 {
			t.Errorf("another unit's alert: %d", r.status)
		}
		if r := a.do(t, "POST", "/api/v1/alerts/"+otherID+"/acknowledge", nil, cookie(rep)...); r.status != 404 {
			t.Errorf("acknowledge another unit's alert: %d", r.status)
		}
		if r := a.do(t, "GET", "/api/v1/alerts?org_unit=so-noi-vu", nil, cookie(rep)...); total(t, r) != 0 {
			t.Errorf("a reporter filtering by another unit sees %d", total(t, r))
		}
		ownID := fmt.Sprint(own[0]["id"])
		if r := a.do(t, "POST", "/api/v1/alerts/"+ownID+"/acknowledge", nil, cookie(rep)...); r.status != 200 || r.json(t)["state"] != "acknowledged" || r.json(t)["acknowledged_by"] != "tc.baocao" {
			t.Errorf("acknowledge: %d %s", r.status, r.body)
		}
		if r := a.do(t, "POST", "/api/v1/alerts/"+ownID+"/acknowledge", nil, cookie(rep)...); r.status != 409 {
			t.Errorf("acknowledge twice: %d", r.status)
		}
		detail := a.do(t, "GET", "/api/v1/alerts/"+ownID, nil, cookie(rep)...).json(t)
		if ev, _ := detail["events"].([]any); len(ev) < 2 {
			t.Errorf("history: %v", detail["events"])
		}
		// Silences: one alert until resolved by its unit's reporter; matchers are for
		// managers.
		if r := a.do(t, "POST", "/api/v1/alerts/"+ownID+"/silence", map[string]any{"until_resolved": true, "reason": "Đang xử lý"}, cookie(rep)...); r.status != 201 {
			t.Errorf("silence: %d %s", r.status, r.body)
		}
		if r := a.do(t, "POST", "/api/v1/alerts/"+ownID+"/silence", map[string]any{"reason": "không có hạn"}, cookie(rep)...); r.status != 422 && r.status != 400 {
			t.Errorf("a silence without an end: %d %s", r.status, r.body)
		}
		if r := a.do(t, "POST", "/api/v1/silences", map[string]any{"org_unit": "so-tai-chinh", "ends_at": alertsNow.Add(48 * time.Hour), "reason": "x"}, cookie(rep)...); r.status != 403 {
			t.Errorf("a reporter's matching silence: %d", r.status)
		}
		if r := a.do(t, "GET", "/api/v1/alert-rules", nil, cookie(rep)...); total(t, r) != 6 { // the five of Monitoring II and the late directive task (issue 15)
			t.Errorf("rules: %s", r.body)
		}
		bad := map[string]any{"key": "x", "name": "X", "kind": "task_overdue", "severity": "warning", "eval_interval": "1h", "escalation_delay": "10m", "enabled": true}
		if r := a.admin(t, "POST", "/api/v1/alert-rules", bad); r.status != 422 && r.status != 400 || !strings.Contains(string(r.body), "escalation_delay") {
			t.Errorf("timings validated together: %d %s", r.status, r.body)
		}

		// Webhooks and SMTP: admins only.
		const hookSecret, smtpPassword = "webhook-secret-3f9a1c7e5b2d", "smtp-password-9c2e7a1f"
		hook := map[string]any{"name": "IOC", "url": "https://hooks.example.vn/tinhso", "secret": hookSecret, "min_severity": "warning"}
		for _, b := range []*browser{rep, lead, mustLogin(t, a, "khcn.thamdinh", testPassword)} {
			if r := a.do(t, "POST", "/api/v1/webhooks", hook, cookie(b)...); r.status != 403 {
				t.Errorf("a non-admin adds a webhook: %d", r.status)
			}
			if r := a.do(t, "GET", "/api/v1/smtp", nil, cookie(b)...); r.status != 403 {
				t.Errorf("a non-admin reads SMTP: %d", r.status)
			}
		}
		for _, u := range []string{"http://127.0.0.1/x", "http://[::1]/x", "http://169.254.169.254/latest/meta-data/", "http://evil.example.vn/x"} {
			h := map[string]any{"name": "x", "url": u, "secret": hookSecret}
			if r := a.admin(t, "POST", "/api/v1/webhooks", h); r.status < 400 || r.status >= 500 {
				t.Errorf("%s: %d %s", u, r.status, r.body)
			}
		}
		if r := a.admin(t, "GET", "/api/v1/webhooks", nil); total(t, r) != 0 {
			t.Fatalf("refused webhooks were stored: %s", r.body)
		}
		created := a.admin(t, "POST", "/api/v1/webhooks", hook)
		if created.status != 201 || created.json(t)["secret_set"] != true {
			t.Fatalf("create a webhook: %d %s", created.status, created.body)
		}
		if r := a.admin(t, "PUT", "/api/v1/smtp", map[string]any{"host": "smtp.example.vn", "port": 587, "auth": "plain", "username": "ioc", "password": smtpPassword, "from": "ioc@example.vn"}); r.status != 200 || r.json(t)["password_set"] != true {
			t.Fatalf("smtp: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "PUT", "/api/v1/smtp", map[string]any{"host": "smtp.example.vn", "port": 587, "password": "***", "from": "ioc@example.vn"}); r.status < 400 {
			t.Errorf("the placeholder as a password: %d", r.status)
		}
		admin := a.admin(t, "GET", "/api/v1/webhooks", nil)
		smtpAnswer := a.admin(t, "GET", "/api/v1/smtp", nil)
		mustUser(t, a, "quan-tri", "admin", "")
		adm := mustLogin(t, a, "quan-tri", testPassword)
		page := adm.get(t, "/admin/webhooks")
		smtpPage := adm.get(t, "/admin/smtp")
		dump, err := a.db.Export(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		exported, _ := json.Marshal(dump)
		for what, body := range map[string]string{"the webhook answer": string(created.body), "the webhooks list": string(admin.body),
			"the SMTP answer": string(smtpAnswer.body), "the webhooks page": string(page.body), "the SMTP page": string(smtpPage.body),
			"the log": logs.String(), "the export": string(exported)} {
			for _, s := range []string{hookSecret, smtpPassword} {
				if strings.Contains(body, s) {
					t.Errorf("%s shows a secret", what)
				}
			}
		}
		if page.status != 200 || !strings.Contains(string(page.body), "hooks.example.vn") {
			t.Errorf("webhooks page: %d", page.status)
		}
		// Notification settings are one's own.
		if r := a.do(t, "PUT", "/api/v1/me/notifications", map[string]any{"inapp": true, "email": false, "min_severity": "critical"}, cookie(rep)...); r.status != 200 {
			t.Errorf("prefs: %d %s", r.status, r.body)
		}
		if r := a.do(t, "GET", "/api/v1/me/notifications", nil, cookie(rep)...).json(t); r["email"] != false || r["min_severity"] != "critical" {
			t.Errorf("prefs read back: %v", r)
		}
	})
}

// The alert pages in Chromium: the list → acknowledge → silence; the notification
// settings; the admin's webhooks and SMTP pages.
func TestBrowserAlerts(t *testing.T) {
	t.Parallel()
	a, _ := mustOpenAlertsAPI(t, "sqlite")
	mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
	mustUser(t, a, "quan-tri", "admin", "")
	c := newChrome(t, a)
	signIn(c, "tc.baocao")
	if !c.has(`nav a[href="/alerts"]`) {
		t.Fatal("the menu has no link to the alerts")
	}
	c.click(`nav a[href="/alerts"]`)
	c.checkPage("alerts")
	first := eval[string](c, `(document.querySelector("tr[data-state=open]") || {dataset: {}}).dataset.alert || ""`)
	if first == "" {
		t.Fatal("no open alert in the list")
	}
	c.follow("acknowledge", 200, chromedp.Click(chromedp.CSS(`tr[data-alert="`+first+`"] form button`)))
	if !c.has("#alerts-ok") || eval[string](c, `document.querySelector('tr[data-alert="`+first+`"]').dataset.state`) != "acknowledged" {
		t.Errorf("after acknowledging: %s", c.text("main"))
	}
	c.open("/alerts/" + first)
	c.do(chromedp.SendKeys(chromedp.CSS("#f-reason"), "Đang chờ quyết định điều chỉnh hạn"))
	c.follow("silence", 200, chromedp.Click(chromedp.CSS("#btn-silence")))
	if !c.has("#alert-silenced") || !strings.Contains(c.text("#alert-history"), "Tạm ẩn") {
		t.Errorf("after silencing: %s", c.text("main"))
	}
	c.checkPage("alert")
	c.open("/alerts/rules")
	c.checkPage("alert-rules")
	c.open("/account/notifications")
	c.do(chromedp.Click(chromedp.CSS("#f-p-email")))
	c.follow("save the settings", 200, chromedp.Click(chromedp.CSS("#btn-prefs")))
	if !c.has("#prefs-ok") || eval[bool](c, `document.querySelector("#f-p-email").checked`) {
		t.Errorf("after saving the settings: %s", c.text("main"))
	}
	c.checkPage("notify-prefs")

	c.follow("sign out", 200, chromedp.Click(chromedp.CSS(`.account form[action="/logout"] button`)))
	signIn(c, "quan-tri")
	c.open("/admin/webhooks")
	c.do(chromedp.SendKeys(chromedp.CSS("#f-h-name"), "Trục tích hợp tỉnh"), chromedp.SendKeys(chromedp.CSS("#f-h-url"), "http://169.254.169.254/latest/meta-data/"),
		chromedp.SendKeys(chromedp.CSS("#f-h-secret"), "một-khóa-bí-mật-đủ-dài"))
	c.follow("a refused webhook", 422, chromedp.Click(chromedp.CSS(`form[action="/admin/webhooks"] button[type=submit]`)))
	c.forget("status of 422")
	if !c.has("#webhook-error") || c.has("tr[data-webhook]") {
		t.Errorf("the metadata address was not refused: %s", c.text("main"))
	}
	c.checkPage("webhooks")
	c.open("/admin/smtp")
	c.checkPage("smtp")

	// A rule of one's own, its timings checked together: an escalation shorter than the
	// evaluation interval is refused, then corrected.
	c.open("/alerts/rules")
	c.click("#new-rule")
	c.do(chromedp.SendKeys(chromedp.CSS("#f-r-key"), "tc-qua-han"), chromedp.SendKeys(chromedp.CSS("#f-r-name"), "Nhiệm vụ của Sở Tài chính quá hạn"),
		chromedp.SendKeys(chromedp.CSS("#f-r-unit"), "so-tai-chinh"), chromedp.SetValue(chromedp.CSS("#f-r-eval"), "1h"),
		chromedp.SetValue(chromedp.CSS("#f-r-esc"), "10m"))
	c.follow("a rule with timings that do not fit", 422, chromedp.Click(chromedp.CSS("#btn-rule")))
	c.forget("status of 422")
	if !strings.Contains(c.text("#rule-error"), "10m") {
		t.Errorf("the timings error: %q", c.text("main"))
	}
	c.checkPage("alert-rule")
	c.do(chromedp.SetValue(chromedp.CSS("#f-r-esc"), "2d"))
	c.follow("the corrected rule", 200, chromedp.Click(chromedp.CSS("#btn-rule")))
	if !c.has("#rules-ok") || !c.has(`tr[data-rule="tc-qua-han"]`) {
		t.Errorf("the rule was not saved: %s", c.text("main"))
	}
	c.open("/alerts/silences")
	c.checkPage("alert-silences")
}
