package sqldb_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// Alerts, silences, the outbox, deliveries and leases are stored alike on both engines
// and survive closing and reopening the database.
func TestAlertStorage(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, eng string) {
		ctx := context.Background()
		cfg := sqldbtest.Config(t, eng)
		db, err := sqldb.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

		// Rules: built-in ones cannot be deleted; a stale version is refused.
		for _, r := range engine.BuiltinRules() {
			if err := db.CreateAlertRule(ctx, &r); err != nil {
				t.Fatal(err)
			}
		}
		th := 30.0
		mine := &tinhso.AlertRule{Key: "low-share", Name: "Tỷ lệ thấp", Kind: tinhso.RuleIndicatorThreshold, Severity: tinhso.SeverityCritical,
			Enabled: true, Indicator: "d/i1", Op: "lt", Threshold: &th, EvalInterval: tinhso.Duration(time.Hour)}
		if err := db.CreateAlertRule(ctx, mine); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateAlertRule(ctx, mine); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("duplicate key: %v", err)
		}
		rules, err := db.FindAlertRules(ctx)
		// Six built-in rules (the late directive task of issue 15 the sixth), then mine.
		if err != nil || len(rules) != 7 || !rules[0].Builtin || rules[6].Key != "low-share" || *rules[6].Threshold != 30 ||
			rules[6].EvalInterval != tinhso.Duration(time.Hour) {
			t.Fatalf("rules: %v %+v", err, rules)
		}
		if err := db.DeleteAlertRule(ctx, rules[0].ID, 0); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("delete a built-in rule: %v", err)
		}
		mine.Severity = tinhso.SeverityWarning
		if err := db.UpdateAlertRule(ctx, mine, 1); err != nil || mine.Version != 2 {
			t.Fatalf("update: %v v%d", err, mine.Version)
		}
		if err := db.UpdateAlertRule(ctx, mine, 1); tinhso.ErrorCode(err) != tinhso.EPRECONDITION {
			t.Errorf("stale update: %v", err)
		}

		// An alert and its history.
		a := &tinhso.Alert{Key: "k1", Rule: "builtin.task_overdue", Kind: tinhso.RuleTaskOverdue, Severity: tinhso.SeverityCritical,
			State: tinhso.AlertOpen, OrgUnit: "so-a", Subject: tinhso.AlertSubject{Kind: "task", Key: "d/1", Title: "Nhiệm vụ"},
			Message: tinhso.M("alert.msg.task_overdue", map[string]any{"number": "1", "due": tinhso.Date("2026-03-01")}), OpenedAt: now, EscalatedAt: now}
		if err := db.SaveAlert(ctx, a, tinhso.AlertEvent{At: now, Kind: tinhso.EventAlertOpened}); err != nil || a.ID == 0 {
			t.Fatal(err)
		}
		stale := *a
		a.State = tinhso.AlertAcknowledged
		ack := now.Add(time.Hour)
		a.AcknowledgedAt, a.AcknowledgedBy = &ack, "lanhdao"
		if err := db.SaveAlert(ctx, a, tinhso.AlertEvent{At: ack, Kind: tinhso.EventAlertAcknowledged, Actor: "lanhdao"}); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveAlert(ctx, &stale); tinhso.ErrorCode(err) != tinhso.EPRECONDITION {
			t.Errorf("a stale alert: %v", err)
		}
		// Silences: one until a time, one until resolved.
		end := now.Add(48 * time.Hour)
		s1 := &tinhso.Silence{OrgUnit: "so-a", EndsAt: &end, Reason: "Bảo trì", CreatedBy: "admin", CreatedAt: now}
		s2 := &tinhso.Silence{Alert: a.ID, UntilResolved: true, Reason: "Đang xử lý", CreatedBy: "admin", CreatedAt: now}
		for _, s := range []*tinhso.Silence{s1, s2} {
			if err := db.CreateSilence(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		// The outbox: a key written twice is stored once.
		items := []tinhso.Outbox{
			{Key: "a1:opened:0:user:1:email", Alert: a.ID, Event: "opened", Recipient: "user:1", Channel: tinhso.ChannelEmail, Severity: a.Severity, Message: a.Message, Link: "/alerts/1", CreatedAt: now},
			{Key: "a1:opened:0:webhook:1:webhook", Alert: a.ID, Event: "opened", Recipient: "webhook:1", Channel: tinhso.ChannelWebhook, Severity: a.Severity, Message: a.Message, CreatedAt: now},
		}
		if n, err := db.Enqueue(ctx, items); err != nil || n != 2 {
			t.Fatalf("enqueue: %d %v", n, err)
		}
		if n, err := db.Enqueue(ctx, items); err != nil || n != 0 {
			t.Fatalf("enqueue again: %d %v", n, err)
		}
		pending, err := db.PendingOutbox(ctx, 100)
		if err != nil || len(pending) != 2 || pending[0].Message.Key != "alert.msg.task_overdue" {
			t.Fatalf("pending: %v %+v", err, pending)
		}
		d := &tinhso.Delivery{Channel: tinhso.ChannelEmail, Recipient: "user:1", Items: []int64{pending[0].ID}, State: tinhso.DeliveryPending, NextAt: now, CreatedAt: now}
		if err := db.CreateDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateDelivery(ctx, &tinhso.Delivery{Channel: tinhso.ChannelEmail, Recipient: "user:1", Items: []int64{pending[0].ID},
			State: tinhso.DeliveryPending, NextAt: now, CreatedAt: now}); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("an item taken twice: %v", err)
		}
		d.Attempts, d.NextAt, d.LastStatus, d.LastError = 1, now.Add(30*time.Second), 500, "the endpoint answered 500"
		if err := db.RecordAttempt(ctx, d); err != nil {
			t.Fatal(err)
		}
		if due, err := db.DueDeliveries(ctx, now.Add(29*time.Second), 10); err != nil || len(due) != 0 {
			t.Errorf("due before its time: %v %d", err, len(due))
		}
		// Webhooks: the secret is kept, not shown.
		h := &tinhso.Webhook{Name: "IOC", URL: "https://ioc.example/hook", MinSeverity: tinhso.SeverityWarning, Enabled: true}
		if err := db.SaveWebhook(ctx, h, "v1:k:sealed", 0); err != nil || !h.SecretSet {
			t.Fatalf("webhook: %v %+v", err, h)
		}
		h.Name = "IOC tỉnh"
		if err := db.SaveWebhook(ctx, h, "", h.Version); err != nil {
			t.Fatal(err)
		}
		if sealed, err := db.WebhookSecret(ctx, h.ID); err != nil || sealed != "v1:k:sealed" {
			t.Errorf("secret kept: %q %v", sealed, err)
		}
		hs, _ := db.FindWebhooks(ctx)
		if b, _ := json.Marshal(hs); strings.Contains(string(b), "sealed") || len(hs) != 1 || !hs[0].SecretSet {
			t.Errorf("webhooks show %s", b)
		}
		// SMTP: the password is kept when not given again.
		if err := db.SaveSMTPSettings(ctx, &tinhso.SMTPSettings{Host: "smtp.example", Port: 587, From: "ioc@example.vn", PasswordSealed: "v1:k:pw"}, false); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveSMTPSettings(ctx, &tinhso.SMTPSettings{Host: "smtp2.example", Port: 587, From: "ioc@example.vn"}, true); err != nil {
			t.Fatal(err)
		}
		// Leases: one holder at a time until it lapses.
		if ok, err := db.TakeLease(ctx, "alerts", "node-a", now, now.Add(time.Minute)); !ok || err != nil {
			t.Fatalf("take: %v %v", ok, err)
		}
		if ok, _ := db.TakeLease(ctx, "alerts", "node-b", now.Add(30*time.Second), now.Add(90*time.Second)); ok {
			t.Error("node-b took a held lease")
		}
		if ok, _ := db.TakeLease(ctx, "alerts", "node-b", now.Add(61*time.Second), now.Add(2*time.Minute)); !ok {
			t.Error("node-b could not take a lapsed lease")
		}
		db.Close()

		// After a restart.
		db, err = sqldb.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		at := now.Add(time.Hour)
		active, err := db.FindSilences(ctx, &at)
		if err != nil || len(active) != 2 || !active[0].UntilResolved || active[1].EndsAt == nil || !active[1].EndsAt.Equal(end) {
			t.Fatalf("silences after a restart: %v %+v", err, active)
		}
		later := now.Add(49 * time.Hour)
		if active, _ := db.FindSilences(ctx, &later); len(active) != 1 {
			t.Errorf("after its end a silence is not active: %d", len(active))
		}
		got, err := db.FindAlert(ctx, a.ID)
		if err != nil || got.State != tinhso.AlertAcknowledged || got.AcknowledgedBy != "lanhdao" || got.Message.Key != a.Message.Key ||
			got.Version != 2 || !got.OpenedAt.Equal(now) {
			t.Fatalf("alert after a restart: %v %+v", err, got)
		}
		if args := got.Message.Args[0].(map[string]any); args["due"] != tinhso.Date("2026-03-01") {
			t.Errorf("message args: %#v", got.Message.Args)
		}
		if ev, _ := db.FindAlertEvents(ctx, a.ID); len(ev) != 2 || ev[1].Actor != "lanhdao" {
			t.Errorf("events: %+v", ev)
		}
		if due, err := db.DueDeliveries(ctx, now.Add(31*time.Second), 10); err != nil || len(due) != 1 || due[0].Attempts != 1 || due[0].LastStatus != 500 {
			t.Errorf("a retry survives a restart: %v %+v", err, due)
		}
		if s, err := db.SMTPSettings(ctx); err != nil || s.Host != "smtp2.example" || s.PasswordSealed != "v1:k:pw" || !s.PasswordSet {
			t.Errorf("smtp: %v %+v", err, s)
		}
		if n, err := db.CountOpenAlerts(ctx, nil); err != nil || n[tinhso.SeverityCritical] != 1 {
			t.Errorf("count: %v %v", n, err)
		}
		if m, err := db.AlertsByKey(ctx, []string{"k1", "none"}); err != nil || len(m) != 1 {
			t.Errorf("by key: %v %d", err, len(m))
		}
	})
}
