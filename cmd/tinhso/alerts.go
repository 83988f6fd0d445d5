package main

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/netguard"
	"github.com/tinhso/tinhso/notify"
	"github.com/tinhso/tinhso/secret"
)

// alertOptions wires the alerts' delivery: the outbound guard (TINHSO_OUTBOUND_ALLOW:
// hosts an admin allows past it, separated by commas), the key of stored secrets
// (TINHSO_SECRET_KEY) and the dispatcher of webhooks and email.
func alertOptions(c config, log *slog.Logger) app.AlertOptions {
	var allow []string
	for _, h := range strings.Split(os.Getenv("TINHSO_OUTBOUND_ALLOW"), ",") {
		if h = strings.TrimSpace(h); h != "" {
			allow = append(allow, h)
		}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var listen []string
	if c.Addr != "" {
		listen = []string{c.Addr}
	}
	g, err := netguard.New(netguard.Config{Allow: allow, Listen: listen, PublicURL: c.PublicURL})
	if err != nil {
		log.Error("outbound guard: TINHSO_OUTBOUND_ALLOW cannot be read; webhooks and email are off", "error", err)
		return app.AlertOptions{}
	}
	kr, err := secret.FromEnv(os.Getenv)
	if err != nil {
		log.Warn("no key for stored secrets: webhooks and the SMTP password cannot be stored", "error", err)
	}
	host, _ := os.Hostname()
	return app.AlertOptions{Secrets: kr, Node: host, Kick: make(chan struct{}, 1),
		Dispatcher: &notify.Dispatcher{Client: g.Client(), Check: g.CheckURL, Dial: g.DialContext,
			Options: notify.RenderOptions{BaseURL: c.PublicURL, SettingsPath: "/account/notifications"}}}
}

// scheduleAlerts evaluates the alert rules and delivers what they queued every
// interval (TINHSO_ALERT_INTERVAL, default 1 minute; 0 turns alerts off), and after the
// writes that change the rules' facts (kick), until ctx ends.
func scheduleAlerts(ctx context.Context, a *app.App, log *slog.Logger, kick <-chan struct{}) {
	interval := time.Minute
	if v, err := time.ParseDuration(os.Getenv("TINHSO_ALERT_INTERVAL")); err == nil {
		interval = v
	}
	if interval <= 0 {
		return
	}
	sweep := func(all bool) {
		now := time.Now()
		evaluate := a.EvaluateAlerts
		if all {
			evaluate = a.ReevaluateAlerts
		}
		if sw, err := evaluate(ctx, now); err != nil && ctx.Err() == nil {
			log.Error("alerts", "error", err)
		} else if sw.Opened+sw.Resolved+sw.Notices > 0 {
			log.Info("alerts evaluated", "findings", sw.Findings, "opened", sw.Opened, "resolved", sw.Resolved, "queued", sw.Queued)
		}
		if ds, err := a.DeliverNotifications(ctx, now); err != nil && ctx.Err() == nil {
			log.Error("notifications", "error", err)
		} else if ds.Delivered+ds.Retrying+ds.DeadLetter > 0 {
			log.Info("notifications delivered", "delivered", ds.Delivered, "retrying", ds.Retrying, "dead", ds.DeadLetter)
		}
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	all := true
	for {
		sweep(all)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			all = false
		case <-kick:
			all = true
		}
	}
}
