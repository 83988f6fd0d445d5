package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/locale"
	"github.com/tinhso/tinhso/secret"
)

// Alerts: the sweep that evaluates the rules and moves the alerts on (EvaluateAlerts),
// the delivery of what it queued (DeliverNotifications), and what people do with
// alerts: acknowledge, resolve, silence; the rules, webhooks, SMTP settings and
// preferences behind them.

// AlertOptions are the parts the alerts need besides the store.
type AlertOptions struct {
	// Dispatcher sends webhooks and email (package notify's); nil: nothing is sent
	// but in-app notifications, and deliveries wait.
	Dispatcher tinhso.Dispatcher
	// Secrets seals and opens webhook secrets and the SMTP password.
	Secrets *secret.Keyring
	// Node names this node for leases (default "node").
	Node string
	// Lease is how long a sweep's lease lasts (default 2 minutes).
	Lease time.Duration
	// Kick, when set, is signalled (without waiting) after a write that changes the
	// rules' facts (a period opened or closed, a submission approved or returned), so
	// that the command sweeps then rather than at the next tick.
	Kick chan struct{}
}

// alertFactsChanged signals Kick after an event that changes the rules' facts.
func (a *App) alertFactsChanged(kind string) {
	if a.alertOpts.Kick == nil {
		return
	}
	switch kind {
	case tinhso.EventPeriodOpened, tinhso.EventPeriodClosed, tinhso.EventSubmissionApproved, tinhso.EventSubmissionReturned:
		select {
		case a.alertOpts.Kick <- struct{}{}:
		default: // a sweep is due already
		}
	}
}

// Events of alerts, published after their sweep or change commits.
const (
	EventAlertChanged   = "alert.changed"
	EventAlertDelivered = "alert.delivered"
)

// AlertSweep says what one sweep did.
type AlertSweep struct {
	// Skipped: another node holds the lease.
	Skipped  bool
	Findings int
	Opened   int
	Resolved int
	Notices  int
	Queued   int
}

func (a *App) alertNode() string { return cmp.Or(a.alertOpts.Node, "node") }

// EnsureAlertRules stores the built-in rules that are missing.
func (a *App) EnsureAlertRules(ctx context.Context) ([]*tinhso.AlertRule, error) {
	rules, err := a.store.FindAlertRules(ctx)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, r := range rules {
		have[r.Key] = true
	}
	added := false
	for _, r := range engine.BuiltinRules() {
		if !have[r.Key] {
			if err := a.store.CreateAlertRule(tinhso.WithActor(ctx, tinhso.Actor{Username: "system"}), &r); err != nil && tinhso.ErrorCode(err) != tinhso.ECONFLICT {
				return nil, err
			}
			added = true
		}
	}
	if added {
		return a.store.FindAlertRules(ctx)
	}
	return rules, nil
}

// EvaluateAlerts evaluates the rules due at now (each every its evaluation interval)
// and moves the alerts on: opens, resolves, reopens, escalates, repeats, and queues the
// notifications that calls for, in one transaction. It holds the sweep's lease, so
// nodes sharing a database do not sweep together; a second sweep at the same time
// with the same facts changes nothing.
func (a *App) EvaluateAlerts(ctx context.Context, now time.Time) (AlertSweep, error) {
	return a.sweepAlerts(ctx, now, false)
}

// ReevaluateAlerts is EvaluateAlerts with every enabled rule evaluated, due or not:
// after a write that changed the rules' facts.
func (a *App) ReevaluateAlerts(ctx context.Context, now time.Time) (AlertSweep, error) {
	return a.sweepAlerts(ctx, now, true)
}

func (a *App) sweepAlerts(ctx context.Context, now time.Time, all bool) (AlertSweep, error) {
	var sw AlertSweep
	ok, err := a.store.TakeLease(ctx, "alerts.sweep", a.alertNode(), now, now.Add(cmp.Or(a.alertOpts.Lease, 2*time.Minute)))
	if err != nil || !ok {
		sw.Skipped = !ok
		return sw, err
	}
	rules, err := a.EnsureAlertRules(ctx)
	if err != nil {
		return sw, err
	}
	due, evaluated := engine.RulesDue(rules, now, all)
	var findings []engine.Finding
	if len(due) > 0 {
		facts, err := a.ruleFacts(ctx, now)
		if err != nil {
			return sw, err
		}
		findings = engine.Evaluate(due, facts, now)
	}
	sw.Findings = len(findings)
	keys := make([]string, len(findings))
	for i, f := range findings {
		keys[i] = f.Key
	}
	dueKeys := make([]string, 0, len(due))
	for _, r := range due {
		dueKeys = append(dueKeys, r.Key)
	}
	var changed []*tinhso.Alert
	err = a.store.Exclusive(ctx, "alerts.sweep", func(ctx context.Context) error {
		existing, err := a.store.AlertsByKey(ctx, keys)
		if err != nil {
			return err
		}
		silences, err := a.store.FindSilences(ctx, &now)
		if err != nil {
			return err
		}
		aud, err := a.audience(ctx)
		if err != nil {
			return err
		}
		if err := a.store.MarkRulesEvaluated(ctx, dueKeys, now); err != nil {
			return err
		}
		changed, err = a.applyAlertChanges(ctx, engine.Advance(existing, findings, rules, evaluated, silences, now), aud, now, &sw)
		return err
	})
	if err != nil {
		return sw, err
	}
	for _, al := range changed {
		a.publish(ctx, EventAlertChanged, "alert", strconv.FormatInt(al.ID, 10), now, al)
	}
	return sw, nil
}

// applyAlertChanges stores what Advance decided, in the context's transaction: the
// alerts and their events, the silences they end, and the notifications they call for.
func (a *App) applyAlertChanges(ctx context.Context, changes []engine.Change, aud *audience, now time.Time, sw *AlertSweep) ([]*tinhso.Alert, error) {
	var changed []*tinhso.Alert
	for _, ch := range changes {
		if err := a.store.SaveAlert(ctx, ch.Alert, ch.Events...); err != nil {
			return nil, err
		}
		for _, id := range ch.EndSilences {
			if err := a.store.EndSilence(ctx, id, now); err != nil && tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
				return nil, err
			}
		}
		for _, e := range ch.Events {
			switch e.Kind {
			case tinhso.EventAlertOpened, tinhso.EventAlertReopened:
				sw.Opened++
			case tinhso.EventAlertResolved:
				sw.Resolved++
			}
		}
		if ch.Notice != nil {
			sw.Notices++
			n, err := a.queue(ctx, ch.Alert, *ch.Notice, aud, now)
			if err != nil {
				return nil, err
			}
			sw.Queued += n
		}
		changed = append(changed, ch.Alert)
	}
	return changed, nil
}

// ruleFacts loads what the rules are evaluated on.
func (a *App) ruleFacts(ctx context.Context, now time.Time) (engine.RuleFacts, error) {
	var f engine.RuleFacts
	// The tasks and indicators as the kept statuses read them (monitoring.go): read
	// again only when the data changed, not at every sweep.
	m, err := a.Monitor(ctx)
	if err != nil {
		return f, err
	}
	f.Tasks, f.Indicators = m.Facts.Tasks, m.Facts.Indicators
	regimes, err := a.store.FindRegimes(ctx)
	if err != nil {
		return f, err
	}
	docOf := map[string]string{}
	for _, r := range regimes {
		docOf[r.Key] = r.Document
	}
	periods, err := a.store.FindPeriods(ctx, "")
	if err != nil {
		return f, err
	}
	f.PeriodsByDocument = map[string][]tinhso.Period{}
	for _, p := range periods {
		if d := docOf[p.Regime]; d != "" {
			f.PeriodsByDocument[d] = append(f.PeriodsByDocument[d], *p)
		}
	}
	facts, err := a.store.AlertFacts(ctx, now)
	if err != nil {
		return f, err
	}
	f.Reports, f.Figures, f.Missing = facts.Reports, facts.Figures, facts.MissingReports
	if f.Directives, err = a.store.FindDirectiveTasks(ctx, tinhso.DirectiveFilter{}); err != nil {
		return f, err
	}
	return f, nil
}

// audience is who notifications can reach: the units' parents and users, the
// supervising leaders, the leaders, the webhooks, everyone's preferences.
type audience struct {
	parents  map[string]string
	leaders  map[string]int64
	fallback []int64
	users    map[int64]*tinhso.User
	byUnit   map[string][]*tinhso.User
	prefs    map[int64]tinhso.NotifyPrefs
	webhooks []*tinhso.Webhook
}

func (a *App) audience(ctx context.Context) (*audience, error) {
	au := &audience{parents: map[string]string{}, users: map[int64]*tinhso.User{}, byUnit: map[string][]*tinhso.User{}}
	units, _, err := a.store.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Page: tinhso.Page{Limit: 1 << 30}})
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		au.parents[u.Code] = u.ParentCode
	}
	if au.leaders, err = a.store.SupervisingLeaders(ctx); err != nil {
		return nil, err
	}
	users, _, err := a.store.FindUsers(ctx, tinhso.UserFilter{Page: tinhso.Page{Limit: 1 << 30}})
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, u := range users {
		if u.Disabled {
			continue
		}
		au.users[u.ID] = u
		ids = append(ids, u.ID)
		if u.OrgUnit != "" {
			au.byUnit[u.OrgUnit] = append(au.byUnit[u.OrgUnit], u)
		}
		if u.Role == tinhso.RoleLeader {
			au.fallback = append(au.fallback, u.ID)
		}
	}
	if au.prefs, err = a.store.FindNotifyPrefs(ctx, ids); err != nil {
		return nil, err
	}
	if au.webhooks, err = a.store.FindWebhooks(ctx); err != nil {
		return nil, err
	}
	return au, nil
}

// noticeKeys are the message keys of a notice's first line, by its event.
var noticeKeys = map[string]string{
	tinhso.EventAlertOpened:    "alert.notice.opened",
	tinhso.EventAlertReopened:  "alert.notice.reopened",
	tinhso.EventAlertEscalated: "alert.notice.escalated",
	"repeated":                 "alert.notice.repeated",
	tinhso.EventAlertResolved:  "alert.notice.resolved",
}

// queue writes the notifications of a notice: in-app for the level's units (or, for
// users, the province's list that leaders read), email for the users of the level who
// chose it, and every webhook that takes the alert.
func (a *App) queue(ctx context.Context, al *tinhso.Alert, n engine.Notice, au *audience, now time.Time) (int, error) {
	target := engine.EscalationTarget(al.OrgUnit, n.Level, au.parents, au.leaders, au.fallback)
	msg := tinhso.M(noticeKeys[n.Event], map[string]any{"text": al.Message, "level": n.Level})
	link := "/alerts/" + strconv.FormatInt(al.ID, 10)
	stamp := strconv.FormatInt(now.Unix(), 10)
	base := fmt.Sprintf("%d:%s:%d:%s", al.ID, n.Event, n.Level, stamp)
	inApp := target.Units
	if len(target.Users) > 0 {
		inApp = []string{""}
	}
	for _, u := range inApp {
		if _, err := a.store.Notify(ctx, &tinhso.Notification{Key: "alert:" + base + ":" + u, OrgUnit: u, Kind: "alert",
			MessageKey: msg.Key, MessageArgs: msg.Args, Link: link}); err != nil {
			return 0, err
		}
	}
	var items []tinhso.Outbox
	add := func(recipient, channel string) {
		items = append(items, tinhso.Outbox{Key: base + ":" + recipient + ":" + channel, Alert: al.ID, Event: n.Event, Level: n.Level,
			Recipient: recipient, Channel: channel, Severity: al.Severity, Message: msg, Link: link, CreatedAt: now})
	}
	var users []*tinhso.User
	for _, u := range target.Units {
		users = append(users, au.byUnit[u]...)
	}
	for _, id := range target.Users {
		if u := au.users[id]; u != nil {
			users = append(users, u)
		}
	}
	for _, u := range users {
		p := au.prefs[u.ID]
		if p.Email && u.Email != "" && tinhso.SeverityRank(al.Severity) >= tinhso.SeverityRank(p.MinSeverity) {
			add("user:"+strconv.FormatInt(u.ID, 10), tinhso.ChannelEmail)
		}
	}
	for _, h := range au.webhooks {
		if h.Enabled && tinhso.SeverityRank(al.Severity) >= tinhso.SeverityRank(h.MinSeverity) && (h.OrgUnit == "" || within(al.OrgUnit, h.OrgUnit, au.parents)) {
			add("webhook:"+strconv.FormatInt(h.ID, 10), tinhso.ChannelWebhook)
		}
	}
	return a.store.Enqueue(ctx, items)
}

// within reports whether unit is ancestor or one of its descendants.
func within(unit, ancestor string, parents map[string]string) bool {
	seen := map[string]bool{}
	for u := unit; u != "" && !seen[u]; u = parents[u] {
		if u == ancestor {
			return true
		}
		seen[u] = true
	}
	return false
}

// DeliverySweep says what one delivery run did.
type DeliverySweep struct {
	Skipped    bool
	Digests    int // deliveries made from the outbox
	Delivered  int
	Retrying   int
	DeadLetter int
}

// DeliverNotifications groups what the outbox holds into one digest per recipient and
// channel, and sends the digests that are due: a failure that may pass is tried again
// with exponential back-off (the Dispatcher's), the last failure goes to the
// dead-letter list. Each delivery's attempts are stored, so a restart resumes them.
func (a *App) DeliverNotifications(ctx context.Context, now time.Time) (DeliverySweep, error) {
	var sw DeliverySweep
	ok, err := a.store.TakeLease(ctx, "alerts.deliver", a.alertNode(), now, now.Add(cmp.Or(a.alertOpts.Lease, 2*time.Minute)))
	if err != nil || !ok {
		sw.Skipped = !ok
		return sw, err
	}
	pending, err := a.store.PendingOutbox(ctx, 10000)
	if err != nil {
		return sw, err
	}
	type rc struct{ r, c string }
	groups := map[rc][]int64{}
	var order []rc
	for _, it := range pending {
		k := rc{it.Recipient, it.Channel}
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], it.ID)
	}
	for _, k := range order {
		d := &tinhso.Delivery{Channel: k.c, Recipient: k.r, Items: groups[k], State: tinhso.DeliveryPending, NextAt: now, CreatedAt: now}
		if err := a.store.CreateDelivery(ctx, d); err != nil {
			return sw, err
		}
		sw.Digests++
	}
	if a.alertOpts.Dispatcher == nil {
		return sw, nil
	}
	due, err := a.store.DueDeliveries(ctx, now, 500)
	if err != nil {
		return sw, err
	}
	for _, d := range due {
		res := a.attempt(ctx, d)
		d.Attempts++
		d.LastStatus, d.LastError = res.Status, res.Error
		switch res.Outcome {
		case "delivered":
			t := now
			d.State, d.DeliveredAt, d.LastError = tinhso.DeliveryDelivered, &t, ""
			sw.Delivered++
		case "retry":
			wait, dead := a.alertOpts.Dispatcher.Backoff(d.Attempts, strconv.FormatInt(d.ID, 10))
			if dead {
				d.State = tinhso.DeliveryDead
				sw.DeadLetter++
			} else {
				d.NextAt = now.Add(max(wait, res.RetryAfter))
				sw.Retrying++
			}
		default:
			d.State = tinhso.DeliveryDead
			sw.DeadLetter++
		}
		if err := a.store.RecordAttempt(ctx, d); err != nil {
			return sw, err
		}
		a.publish(ctx, EventAlertDelivered, "delivery", strconv.FormatInt(d.ID, 10), now, d)
	}
	return sw, nil
}

// attempt sends a delivery once.
func (a *App) attempt(ctx context.Context, d *tinhso.Delivery) tinhso.DispatchResult {
	fail := func(err error) tinhso.DispatchResult {
		return tinhso.DispatchResult{Outcome: "failed", Error: locale.For(locale.EN).Error(err)}
	}
	items, err := a.store.FindOutbox(ctx, d.Items)
	if err != nil {
		return tinhso.DispatchResult{Outcome: "retry", Error: err.Error()}
	}
	dp := tinhso.Dispatch{Delivery: d.ID, Channel: d.Channel, Recipient: d.Recipient, Lang: string(locale.VI), Items: items}
	kind, idText, _ := strings.Cut(d.Recipient, ":")
	id, _ := strconv.ParseInt(idText, 10, 64)
	switch {
	case d.Channel == tinhso.ChannelWebhook && kind == "webhook":
		h, err := a.store.FindWebhook(ctx, id)
		if err != nil {
			return fail(err)
		}
		sealed, err := a.store.WebhookSecret(ctx, id)
		if err != nil {
			return fail(err)
		}
		s, err := a.alertOpts.Secrets.Open(sealed)
		if err != nil {
			return fail(err)
		}
		dp.To, dp.Secret = h.URL, s.Reveal()
	case d.Channel == tinhso.ChannelEmail && kind == "user":
		u, err := a.store.FindUser(ctx, id)
		if err != nil {
			return fail(err)
		}
		if u.Email == "" || u.Disabled {
			return fail(tinhso.Errorf(tinhso.EINVALID, "err.alert.no_email", u.Username))
		}
		smtp, err := a.store.SMTPSettings(ctx)
		if err != nil {
			return tinhso.DispatchResult{Outcome: "retry", Error: err.Error()}
		}
		if smtp.Host == "" {
			// Not set up yet: wait for the admin rather than give up.
			return tinhso.DispatchResult{Outcome: "retry", Error: "SMTP is not set up"}
		}
		pw, err := a.alertOpts.Secrets.Open(smtp.PasswordSealed)
		if err != nil {
			return fail(err)
		}
		dp.To, dp.SMTP, dp.Password = u.Email, smtp, pw.Reveal()
	default:
		return fail(tinhso.Errorf(tinhso.EINVALID, "err.alert.recipient", d.Recipient))
	}
	return a.alertOpts.Dispatcher.Dispatch(ctx, dp)
}

// AlertVisible reports whether u may see an alert: a reporter its own unit's only.
func AlertVisible(u *tinhso.User, al *tinhso.Alert) bool {
	if u.Can(tinhso.ActReadAll) {
		return true
	}
	return u.Can(tinhso.ActReadAlerts) && u.OrgUnit != "" && al.OrgUnit == u.OrgUnit
}

// AlertUnits is the filter of the units whose alerts u sees (nil: all).
func AlertUnits(u *tinhso.User) []string {
	if u.Can(tinhso.ActReadAll) {
		return nil
	}
	return []string{u.OrgUnit}
}

// visibleAlert reads an alert u may see; others' are not found.
func (a *App) visibleAlert(ctx context.Context, u *tinhso.User, id int64) (*tinhso.Alert, error) {
	al, err := a.store.FindAlert(ctx, id)
	if err == nil && !AlertVisible(u, al) {
		err = tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("alert.what.alert", id))
	}
	return al, err
}

// stateKeys are the message keys of the alert states.
var stateKeys = map[string]string{
	tinhso.AlertOpen:         "alert.state.open",
	tinhso.AlertAcknowledged: "alert.state.acknowledged",
	tinhso.AlertResolved:     "alert.state.resolved",
}

// StateKey is the message key of an alert state's name.
func StateKey(state string) string { return stateKeys[state] }

// AcknowledgeAlert records that u answers for an open alert: it stops climbing and
// repeating. An acknowledged or resolved alert is refused with ECONFLICT.
func (a *App) AcknowledgeAlert(ctx context.Context, u *tinhso.User, id int64, now time.Time) (*tinhso.Alert, error) {
	al, err := a.visibleAlert(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if al.State != tinhso.AlertOpen {
		return nil, tinhso.Errorf(tinhso.ECONFLICT, "err.alert.not_open", id, tinhso.M(stateKeys[al.State]))
	}
	t := now
	al.State, al.AcknowledgedAt, al.AcknowledgedBy = tinhso.AlertAcknowledged, &t, u.Username
	if err := a.store.SaveAlert(ctx, al, tinhso.AlertEvent{At: now, Kind: tinhso.EventAlertAcknowledged, Actor: u.Username, Level: al.EscalationLevel}); err != nil {
		return nil, err
	}
	a.publish(ctx, EventAlertChanged, "alert", strconv.FormatInt(id, 10), now, al)
	return al, nil
}

// ResolveAlert resolves an alert by hand; it opens again if its condition is still
// there at the next evaluation.
func (a *App) ResolveAlert(ctx context.Context, u *tinhso.User, id int64, now time.Time) (*tinhso.Alert, error) {
	al, err := a.visibleAlert(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if al.State == tinhso.AlertResolved {
		return nil, tinhso.Errorf(tinhso.ECONFLICT, "err.alert.not_open", id, tinhso.M(stateKeys[al.State]))
	}
	t := now
	al.State, al.ResolvedAt, al.ResolvedBy = tinhso.AlertResolved, &t, u.Username
	if err := a.store.SaveAlert(ctx, al, tinhso.AlertEvent{At: now, Kind: tinhso.EventAlertResolved, Actor: u.Username, Level: al.EscalationLevel}); err != nil {
		return nil, err
	}
	a.publish(ctx, EventAlertChanged, "alert", strconv.FormatInt(id, 10), now, al)
	return al, nil
}

// CreateSilence stores a silence made by u at now. A reporter may silence only one
// alert of its own unit; matching silences are for those who manage alerts. An alert
// it names is silenced at once.
func (a *App) CreateSilence(ctx context.Context, u *tinhso.User, s *tinhso.Silence, now time.Time) error {
	s.CreatedBy, s.CreatedAt, s.EndedAt = u.Username, now, nil
	if err := s.Validate(now); err != nil {
		return err
	}
	var al *tinhso.Alert
	if s.Alert != 0 {
		var err error
		if al, err = a.visibleAlert(ctx, u, s.Alert); err != nil {
			return tinhso.Invalid("alert", "err.silence.alert", s.Alert)
		}
		if al.State == tinhso.AlertResolved {
			return tinhso.Invalid("alert", "err.silence.resolved", s.Alert)
		}
	} else if !u.Can(tinhso.ActManageAlerts) {
		return tinhso.Errorf(tinhso.EFORBIDDEN, "err.silence.matchers")
	}
	return a.store.Exclusive(ctx, "alerts.sweep", func(ctx context.Context) error {
		if err := a.store.CreateSilence(a.actorCtx(ctx, u), s); err != nil {
			return err
		}
		if al == nil {
			return nil
		}
		al.Silenced = &tinhso.AlertSilenced{Silence: s.ID, Until: s.EndsAt, UntilResolved: s.UntilResolved, Reason: s.Reason, By: s.CreatedBy}
		return a.store.SaveAlert(ctx, al, tinhso.AlertEvent{At: now, Kind: tinhso.EventAlertSilenced, Actor: u.Username, Level: al.EscalationLevel, Note: s.Reason})
	})
}

// EndSilence lifts a silence; the alerts it held are sent at the next sweep.
func (a *App) EndSilence(ctx context.Context, u *tinhso.User, id int64, now time.Time) error {
	s, err := a.store.FindSilence(ctx, id)
	if err != nil {
		return err
	}
	if !u.Can(tinhso.ActManageAlerts) {
		al, err := a.store.FindAlert(ctx, s.Alert)
		if s.Alert == 0 || err != nil || !AlertVisible(u, al) || s.CreatedBy != u.Username {
			return tinhso.Errorf(tinhso.EFORBIDDEN, "err.silence.matchers")
		}
	}
	return a.store.EndSilence(a.actorCtx(ctx, u), id, now)
}

func (a *App) actorCtx(ctx context.Context, u *tinhso.User) context.Context {
	if tinhso.ActorFrom(ctx).Username != "" {
		return ctx
	}
	return tinhso.WithActor(ctx, tinhso.Actor{Username: u.Username})
}

// SaveAlertRule validates and stores a rule (ID 0: a new one). A built-in rule keeps
// its key, kind and scope: only its severity, timings and enabled flag change.
func (a *App) SaveAlertRule(ctx context.Context, r *tinhso.AlertRule, version int) error {
	if r.EvalInterval == 0 {
		r.EvalInterval = engine.DefaultEvalInterval
	}
	if r.ID != 0 {
		old, err := a.store.FindAlertRule(ctx, strconv.FormatInt(r.ID, 10))
		if err != nil {
			return err
		}
		if old.Builtin {
			old.Severity, old.Enabled = r.Severity, r.Enabled
			old.EvalInterval, old.RepeatInterval, old.EscalationDelay = r.EvalInterval, r.RepeatInterval, r.EscalationDelay
			*r = *old
		}
		r.Key = old.Key
	}
	if err := r.Validate(); err != nil {
		return err
	}
	if r.ID == 0 {
		r.Builtin = false
		return a.store.CreateAlertRule(ctx, r)
	}
	return a.store.UpdateAlertRule(ctx, r, version)
}

// SaveWebhook validates and stores a webhook: its URL must pass the outbound guard, and
// a new one needs a secret, sealed with TINHSO_SECRET_KEY ("" on an update keeps the
// stored one). Nothing is stored when anything is refused.
func (a *App) SaveWebhook(ctx context.Context, h *tinhso.Webhook, secretValue string, version int) error {
	if err := h.Validate(); err != nil {
		return err
	}
	if secretValue == secret.Redacted {
		return tinhso.Invalid("secret", "secret.placeholder")
	}
	if h.ID == 0 && secretValue == "" {
		return tinhso.Invalid("secret", "err.webhook.secret_required")
	}
	if len(secretValue) > 0 && len(secretValue) < 16 {
		return tinhso.Invalid("secret", "err.webhook.secret_short", 16)
	}
	if a.alertOpts.Dispatcher != nil {
		if err := a.alertOpts.Dispatcher.CheckURL(ctx, h.URL); err != nil {
			return refusedOn("url", err)
		}
	}
	sealed := ""
	if secretValue != "" {
		var err error
		if sealed, err = a.alertOpts.Secrets.Seal(secret.New(secretValue)); err != nil {
			return err
		}
	}
	return a.store.SaveWebhook(ctx, h, sealed, version)
}

// refusedOn is the outbound guard's refusal as an invalid field, with the guard's own
// message key and named arguments (netguard.RefusedError) when it gives them.
func refusedOn(field string, err error) error {
	var keyed interface {
		Key() string
		Args() map[string]any
	}
	if errors.As(err, &keyed) {
		return &tinhso.Error{Code: tinhso.EINVALID, Field: field, Key: keyed.Key(), Args: tinhso.Args{keyed.Args()}}
	}
	if tinhso.ErrorCode(err) == tinhso.EINTERNAL {
		// A name that does not resolve, a resolver that does not answer.
		return tinhso.Invalid(field, "err.webhook.unreachable", err.Error())
	}
	var te *tinhso.Error
	if errors.As(err, &te) {
		return &tinhso.Error{Code: tinhso.EINVALID, Field: field, Key: te.Key, Args: te.Args}
	}
	return tinhso.Invalid(field, "err.webhook.unreachable", err.Error())
}

// SaveSMTPSettings validates and stores the SMTP settings; password "" keeps the
// stored one, sealed with TINHSO_SECRET_KEY.
func (a *App) SaveSMTPSettings(ctx context.Context, s *tinhso.SMTPSettings, password string) error {
	if strings.TrimSpace(s.Host) == "" {
		return tinhso.Invalid("host", "err.smtp.host")
	}
	if s.Port < 0 || s.Port > 65535 {
		return tinhso.Invalid("port", "err.smtp.port")
	}
	if !slices.Contains([]string{"", "mandatory", "opportunistic", "off", "implicit"}, s.TLS) {
		return tinhso.Invalid("tls", "err.field.one_of", tinhso.Field("tls"), "mandatory, opportunistic, off, implicit")
	}
	if !slices.Contains([]string{"", "plain", "login"}, s.Auth) {
		return tinhso.Invalid("auth", "err.field.one_of", tinhso.Field("auth"), "plain, login")
	}
	if s.Auth != "" && s.Username == "" {
		return tinhso.Invalid("username", "err.smtp.username")
	}
	if !strings.Contains(s.From, "@") || strings.ContainsAny(s.From, " <>\n") {
		return tinhso.Invalid("from", "err.smtp.from")
	}
	if password == secret.Redacted {
		return tinhso.Invalid("password", "secret.placeholder")
	}
	keep := password == ""
	if !keep {
		sealed, err := a.alertOpts.Secrets.Seal(secret.New(password))
		if err != nil {
			return err
		}
		s.PasswordSealed = sealed
	}
	return a.store.SaveSMTPSettings(ctx, s, keep)
}

// SendTestEmail sends a test email to the user u with the stored settings, now.
func (a *App) SendTestEmail(ctx context.Context, u *tinhso.User, to string) error {
	if a.alertOpts.Dispatcher == nil {
		return tinhso.Errorf(tinhso.EINVALID, "err.smtp.no_dispatcher")
	}
	s, err := a.store.SMTPSettings(ctx)
	if err != nil {
		return err
	}
	if s.Host == "" {
		return tinhso.Invalid("host", "err.smtp.host")
	}
	pw, err := a.alertOpts.Secrets.Open(s.PasswordSealed)
	if err != nil {
		return err
	}
	to = cmp.Or(to, u.Email)
	if to == "" {
		return tinhso.Invalid("to", "err.smtp.to")
	}
	res := a.alertOpts.Dispatcher.Dispatch(ctx, tinhso.Dispatch{Channel: "email_test", To: to, Recipient: u.Username, SMTP: s, Password: pw.Reveal(), Lang: string(locale.VI)})
	if res.Outcome != "delivered" {
		return tinhso.Errorf(tinhso.EINVALID, "err.smtp.test_failed", res.Error)
	}
	return nil
}

// ReplayDelivery puts a dead-lettered delivery back to be sent at now, its attempts
// counted afresh.
func (a *App) ReplayDelivery(ctx context.Context, id int64, now time.Time) (*tinhso.Delivery, error) {
	d, err := a.store.FindDelivery(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.State != tinhso.DeliveryDead {
		return nil, tinhso.Errorf(tinhso.ECONFLICT, "err.delivery.not_dead", id)
	}
	d.State, d.Attempts, d.NextAt = tinhso.DeliveryPending, 0, now
	return d, a.store.RecordAttempt(ctx, d)
}

// SetSupervisingLeader names the leader an org unit's alerts climb to last (0: none);
// the account must have the leader role.
func (a *App) SetSupervisingLeader(ctx context.Context, orgUnit string, userID int64) error {
	if _, err := a.store.FindOrgUnit(ctx, orgUnit); err != nil {
		return tinhso.Invalid("org_unit", "err.alert.unit", orgUnit)
	}
	if userID != 0 {
		u, err := a.store.FindUser(ctx, userID)
		if err != nil || u.Role != tinhso.RoleLeader {
			return tinhso.Invalid("user_id", "err.alert.leader", userID)
		}
	}
	return a.store.SetSupervisingLeader(ctx, orgUnit, userID)
}
