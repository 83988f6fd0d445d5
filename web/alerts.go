package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/httpx"
)

// The alert pages: the list with its filters and actions, an alert with its history,
// the rules, the silences; the admin's webhooks with the dead-letter list and SMTP
// settings; each user's notification settings.

func (u *Web) alertRoutes() []route {
	return []route{
		{"GET /alerts", u.guard(tinhso.ActReadAlerts, u.alerts)},
		{"GET /alerts/{id}", u.guard(tinhso.ActReadAlerts, u.alert)},
		{"POST /alerts/{id}/ack", u.guard(tinhso.ActAckAlerts, u.alertAction)},
		{"POST /alerts/{id}/resolve", u.guard(tinhso.ActAckAlerts, u.alertAction)},
		{"POST /alerts/{id}/silence", u.guard(tinhso.ActAckAlerts, u.alertSilence)},
		{"GET /alerts/rules", u.guard(tinhso.ActReadAlerts, u.alertRules)},
		{"GET /alert-rules/new", u.guard(tinhso.ActManageAlerts, u.alertRule)},
		{"GET /alert-rules/{id}", u.guard(tinhso.ActManageAlerts, u.alertRule)},
		{"POST /alert-rules", u.guard(tinhso.ActManageAlerts, u.alertRulePost)},
		{"POST /alert-rules/{id}", u.guard(tinhso.ActManageAlerts, u.alertRulePost)},
		{"GET /alerts/silences", u.guard(tinhso.ActManageAlerts, u.alertSilences)},
		{"POST /alerts/silences/{id}/end", u.guard(tinhso.ActAckAlerts, u.endSilence)},
		{"GET /admin/webhooks", u.guard(tinhso.ActManageDelivery, u.webhooks)},
		{"POST /admin/webhooks", u.guard(tinhso.ActManageDelivery, u.webhookPost)},
		{"POST /admin/webhooks/{id}/delete", u.guard(tinhso.ActManageDelivery, u.webhookDelete)},
		{"POST /admin/deliveries/{id}/replay", u.guard(tinhso.ActManageDelivery, u.replay)},
		{"GET /admin/smtp", u.guard(tinhso.ActManageDelivery, u.smtp)},
		{"POST /admin/smtp", u.guard(tinhso.ActManageDelivery, u.smtpPost)},
		{"POST /admin/smtp/test", u.guard(tinhso.ActManageDelivery, u.smtpTest)},
		{"GET /account/notifications", u.guard(tinhso.ActSignedIn, u.notifyPrefs)},
		{"POST /account/notifications", u.guard(tinhso.ActSignedIn, u.notifyPrefsPost)},
	}
}

// severityKeys name the severities.
var severityKeys = map[string]string{
	tinhso.SeverityInfo:     "notify.severity.info",
	tinhso.SeverityWarning:  "notify.severity.warning",
	tinhso.SeverityCritical: "notify.severity.critical",
}

// Severity names a severity in the page's language.
func (v *view) Severity(s string) string { return v.TOr(severityKeys[s], s) }

// AlertState names an alert's state.
func (v *view) AlertState(s string) string { return v.TOr(app.StateKey(s), s) }

// RuleName is a rule's name: a built-in one's in the page's language.
func (v *view) RuleName(r *tinhso.AlertRule) string {
	if k, ok := engine.RuleNames[r.Kind]; ok && r.Builtin {
		return v.T(k)
	}
	return r.Name
}

// eventKeys name the events of an alert's history.
var eventKeys = map[string]string{
	tinhso.EventAlertOpened:       "alerts.event.opened",
	tinhso.EventAlertReopened:     "alerts.event.reopened",
	tinhso.EventAlertNotified:     "alerts.event.notified",
	tinhso.EventAlertEscalated:    "alerts.event.escalated",
	tinhso.EventAlertAcknowledged: "alerts.event.acknowledged",
	tinhso.EventAlertResolved:     "alerts.event.resolved",
	tinhso.EventAlertSilenced:     "alerts.event.silenced",
	tinhso.EventAlertUnsilenced:   "alerts.event.unsilenced",
	"repeated":                    "alerts.event.repeated",
}

// RuleKind names a kind of rule.
func (v *view) RuleKind(kind string) string { return v.TOr(ruleKindKeys[kind], kind) }

var ruleKindKeys = map[string]string{
	tinhso.RuleTaskOverdue:        "alert.rule.task_overdue",
	tinhso.RuleTaskDueSoon:        "alert.rule.task_due_soon",
	tinhso.RuleIndicatorOffTrack:  "alert.rule.indicator_off_track",
	tinhso.RuleReportMissing:      "alert.rule.report_missing",
	tinhso.RuleOwnerGone:          "alert.rule.owner_gone",
	tinhso.RuleIndicatorThreshold: "alerts.kind_indicator_threshold",
	tinhso.RuleDirectiveLate:      "steering.rule_late",
	tinhso.RuleSeriesThreshold:    "live2.rules.kind_series_threshold",
}

// AlertEvent names an event of an alert's history.
func (v *view) AlertEvent(kind string) string { return v.TOr(eventKeys[kind], kind) }

// okKeys are the notes a page shows after a form succeeded (?ok=…).
var okKeys = map[string]string{
	"ack": "alerts.ok.ack", "resolve": "alerts.ok.resolve", "silence": "alerts.ok.silence", "unsilence": "alerts.ok.unsilence",
	"webhook": "alerts.ok.webhook", "deleted": "alerts.ok.deleted", "replay": "alerts.ok.replay", "smtp": "alerts.ok.smtp",
	"test": "alerts.ok.test", "prefs": "alerts.ok.prefs", "rule": "alerts.ok.rule",
}

func okNote(r *http.Request) string { return okKeys[r.URL.Query().Get("ok")] }

type alertsData struct {
	Alerts   []*tinhso.Alert
	Total    int
	Counts   map[string]int
	State    string
	Severity string
	Pager    pager
	Units    map[string]string
	Ok       string
	Manage   bool
}

// unitNames maps org unit codes to names.
func (u *Web) unitNames(r *http.Request) map[string]string {
	out := map[string]string{"": ""}
	units, _, err := u.store.FindOrgUnits(r.Context(), tinhso.OrgUnitFilter{Page: tinhso.Page{Limit: 1 << 30}})
	if err == nil {
		for _, x := range units {
			out[x.Code] = x.Name
		}
	}
	return out
}

func (u *Web) alerts(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "alerts")
	v.Title = v.T("alerts.title")
	me := user(r)
	q := r.URL.Query()
	d := &alertsData{State: q.Get("state"), Severity: q.Get("severity"), Ok: okNote(r), Manage: me.Can(tinhso.ActManageAlerts)}
	if d.State == "" {
		d.State = "active"
	}
	if d.State != "active" && d.State != "all" && app.StateKey(d.State) == "" {
		d.State = "active"
	}
	if severityKeys[d.Severity] == "" {
		d.Severity = ""
	}
	state := d.State
	if state == "all" {
		state = ""
	}
	pg, _ := strconv.Atoi(q.Get("page"))
	pg = max(pg, 1)
	f := tinhso.AlertFilter{State: state, Severity: d.Severity, OrgUnits: app.AlertUnits(me), Page: tinhso.Page{Limit: perPage, Offset: (pg - 1) * perPage}}
	var err error
	if d.Alerts, d.Total, err = u.store.FindAlerts(r.Context(), f); err != nil {
		u.fail(w, r, v, err)
		return
	}
	if d.Counts, err = u.store.CountOpenAlerts(r.Context(), app.AlertUnits(me)); err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.Pager, d.Units = paginate(r, d.Total), u.unitNames(r)
	v.D = d
	u.render(w, r, http.StatusOK, "alerts", v)
}

type alertData struct {
	A      *tinhso.Alert
	Events []tinhso.AlertEvent
	Rule   *tinhso.AlertRule
	Unit   string
	Ok     string
	Error  string
	Reason string
	Until  string
	// Link is the subject's page.
	Link string
}

func (u *Web) alert(w http.ResponseWriter, r *http.Request) {
	u.renderAlert(w, r, http.StatusOK, &alertData{Ok: okNote(r)})
}

func (u *Web) renderAlert(w http.ResponseWriter, r *http.Request, status int, d *alertData) {
	v := u.newView(w, r, "alerts")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		d.A, err = u.store.FindAlert(r.Context(), id)
	}
	if err == nil && !app.AlertVisible(user(r), d.A) {
		err = tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("alert.what.alert", id))
	}
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	if d.Events, err = u.store.FindAlertEvents(r.Context(), id); err != nil {
		u.fail(w, r, v, err)
		return
	}
	d.Rule, _ = u.store.FindAlertRule(r.Context(), d.A.Rule)
	switch d.A.Subject.Kind {
	case "task":
		if ts, _, err := u.store.FindTasks(r.Context(), tinhso.TaskFilter{Key: d.A.Subject.Key, Page: tinhso.Page{Limit: 1}}); err == nil && len(ts) == 1 {
			d.Link = "/tasks/" + strconv.FormatInt(ts[0].ID, 10)
		}
	case "indicator":
		if is, _, err := u.store.FindIndicators(r.Context(), tinhso.IndicatorFilter{Key: d.A.Subject.Key, Page: tinhso.Page{Limit: 1}}); err == nil && len(is) == 1 {
			d.Link = "/indicators/" + strconv.FormatInt(is[0].ID, 10)
		}
	case "submission":
		d.Link = "/reporting/" + d.A.Subject.Key
	}
	d.Unit = u.unitNames(r)[d.A.OrgUnit]
	v.Title = v.T("alerts.numbered", d.A.ID)
	v.D = d
	u.render(w, r, status, "alert", v)
}

// alertAction acknowledges or resolves an alert, then shows it again.
func (u *Web) alertAction(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		u.fail(w, r, nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("alert.what.alert", r.PathValue("id"))))
		return
	}
	ctx, now, ok := u.auth.ActorCtx(r), u.cfg.Now(), "ack"
	if strings.HasSuffix(r.URL.Path, "/resolve") {
		ok = "resolve"
		_, err = u.app.ResolveAlert(ctx, user(r), id, now)
	} else {
		_, err = u.app.AcknowledgeAlert(ctx, user(r), id, now)
	}
	if err != nil {
		u.renderAlert(w, r, httpx.StatusOf(tinhso.ErrorCode(err)), &alertData{Error: u.newView(w, r, "").printer().Error(err)})
		return
	}
	back := safeNext(r.URL.Query().Get("next"))
	if back == "" {
		back = "/alerts/" + strconv.FormatInt(id, 10)
	}
	http.Redirect(w, r, withOk(back, ok), http.StatusSeeOther)
}

func withOk(path, ok string) string {
	pu, err := url.Parse(path)
	if err != nil {
		return path
	}
	q := pu.Query()
	q.Set("ok", ok)
	pu.RawQuery = q.Encode()
	return pu.String()
}

// alertSilence silences an alert until a day or until it is resolved.
func (u *Web) alertSilence(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d := &alertData{Reason: formValue(r, "reason"), Until: formValue(r, "until")}
	s := &tinhso.Silence{Alert: id, Reason: d.Reason, UntilResolved: d.Until == "" || formValue(r, "until_resolved") == "1"}
	var err error
	if d.Until != "" && formValue(r, "until_resolved") != "1" {
		day, perr := time.ParseInLocation("2006-01-02", d.Until, tinhso.Location)
		if perr != nil {
			err = tinhso.Invalid("ends_at", "err.silence.no_end")
		} else {
			end := day.Add(24*time.Hour - time.Second)
			s.EndsAt, s.UntilResolved = &end, false
		}
	}
	if err == nil {
		err = u.app.CreateSilence(u.auth.ActorCtx(r), user(r), s, u.cfg.Now())
	}
	if err != nil {
		d.Error = u.newView(w, r, "").printer().Error(err)
		u.renderAlert(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	http.Redirect(w, r, "/alerts/"+strconv.FormatInt(id, 10)+"?ok=silence", http.StatusSeeOther)
}

type rulesData struct {
	Rules  []*tinhso.AlertRule
	Manage bool
	Ok     string
}

// ruleForm is the form of one rule, as typed.
type ruleForm struct {
	R                   *tinhso.AlertRule
	Eval, Repeat, Escal string
	Threshold           string
	// Margin and After are a series threshold's hysteresis, as typed.
	Margin, After string
	Kinds, Ops    []string
	Error         string
}

func (u *Web) alertRules(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "alerts")
	v.Title = v.T("alerts.rules")
	rules, err := u.app.EnsureAlertRules(r.Context())
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	v.D = &rulesData{Rules: rules, Manage: user(r).Can(tinhso.ActManageAlerts), Ok: okNote(r)}
	u.render(w, r, http.StatusOK, "alert_rules", v)
}

// userKinds are the kinds of rule an admin may make here.
var userKinds = []string{tinhso.RuleTaskOverdue, tinhso.RuleTaskDueSoon, tinhso.RuleIndicatorOffTrack, tinhso.RuleReportMissing,
	tinhso.RuleOwnerGone, tinhso.RuleIndicatorThreshold, tinhso.RuleSeriesThreshold}

func (u *Web) renderRule(w http.ResponseWriter, r *http.Request, status int, f *ruleForm) {
	v := u.newView(w, r, "alerts")
	v.Title = v.T("alerts.rule_new")
	if f.R.ID != 0 {
		v.Title = v.T("alerts.rule_edit", v.RuleName(f.R))
	}
	f.Kinds, f.Ops = userKinds, []string{"lt", "le", "gt", "ge"}
	v.D = f
	u.render(w, r, status, "alert_rule", v)
}

func (u *Web) alertRule(w http.ResponseWriter, r *http.Request) {
	f := &ruleForm{R: &tinhso.AlertRule{Severity: tinhso.SeverityWarning, Enabled: true, Kind: tinhso.RuleTaskOverdue,
		EvalInterval: engine.DefaultEvalInterval, RepeatInterval: engine.DefaultRepeatInterval, EscalationDelay: engine.DefaultEscalationDelay}}
	if id := r.PathValue("id"); id != "" {
		rule, err := u.store.FindAlertRule(r.Context(), id)
		if err != nil {
			u.fail(w, r, nil, err)
			return
		}
		f.R = rule
	}
	f.Eval, f.Repeat, f.Escal = f.R.EvalInterval.String(), f.R.RepeatInterval.String(), f.R.EscalationDelay.String()
	if f.R.Threshold != nil {
		f.Threshold = strconv.FormatFloat(*f.R.Threshold, 'f', -1, 64)
	}
	if f.R.ClearMargin != nil {
		f.Margin = strconv.FormatFloat(*f.R.ClearMargin, 'f', -1, 64)
	}
	if f.R.ClearAfter != 0 {
		f.After = f.R.ClearAfter.String()
	}
	u.renderRule(w, r, http.StatusOK, f)
}

func (u *Web) alertRulePost(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	f := &ruleForm{R: &tinhso.AlertRule{Key: formValue(r, "key"), Name: formValue(r, "name"), Kind: formValue(r, "kind"),
		Severity: formValue(r, "severity"), Enabled: formValue(r, "enabled") == "1", Document: formValue(r, "document"),
		OrgUnit: formValue(r, "org_unit"), Indicator: formValue(r, "indicator"), Subject: formValue(r, "subject"), Op: formValue(r, "op")},
		Eval: formValue(r, "eval_interval"), Repeat: formValue(r, "repeat_interval"), Escal: formValue(r, "escalation_delay"), Threshold: formValue(r, "threshold"),
		Margin: formValue(r, "clear_margin"), After: formValue(r, "clear_after")}
	version, _ := strconv.Atoi(formValue(r, "version"))
	if id := r.PathValue("id"); id != "" {
		f.R.ID, _ = strconv.ParseInt(id, 10, 64)
	}
	err := func() error {
		var err error
		for _, d := range []struct {
			field, text string
			to          *tinhso.Duration
		}{{"eval_interval", f.Eval, &f.R.EvalInterval}, {"repeat_interval", f.Repeat, &f.R.RepeatInterval}, {"escalation_delay", f.Escal, &f.R.EscalationDelay}} {
			if *d.to, err = tinhso.ParseDuration(d.text); err != nil {
				return tinhso.Invalid(d.field, "err.alert.duration", d.text)
			}
		}
		if f.Threshold != "" {
			x, err := strconv.ParseFloat(strings.ReplaceAll(f.Threshold, ",", "."), 64)
			if err != nil {
				return tinhso.Invalid("threshold", "err.alert.threshold_required")
			}
			f.R.Threshold = &x
		}
		if f.Margin != "" {
			x, err := strconv.ParseFloat(strings.ReplaceAll(f.Margin, ",", "."), 64)
			if err != nil {
				return tinhso.Invalid("clear_margin", "live2.err.clear_margin")
			}
			f.R.ClearMargin = &x
		}
		if f.R.ClearAfter, err = tinhso.ParseDuration(f.After); err != nil {
			return tinhso.Invalid("clear_after", "live2.err.clear_after", tinhso.MaxRuleDelay.String())
		}
		return u.app.SaveAlertRule(u.auth.ActorCtx(r), f.R, version)
	}()
	if err != nil {
		f.Error = u.newView(w, r, "").printer().Error(err)
		if f.R.ID != 0 {
			if old, e := u.store.FindAlertRule(r.Context(), strconv.FormatInt(f.R.ID, 10)); e == nil {
				f.R.Builtin, f.R.Version = old.Builtin, old.Version
			}
		}
		u.renderRule(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	http.Redirect(w, r, "/alerts/rules?ok=rule", http.StatusSeeOther)
}

type silencesData struct {
	Silences []*tinhso.Silence
	Now      time.Time
	Ok       string
}

func (u *Web) alertSilences(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "alerts")
	v.Title = v.T("alerts.silences")
	list, err := u.store.FindSilences(r.Context(), nil)
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	v.D = &silencesData{Silences: list, Now: u.cfg.Now(), Ok: okNote(r)}
	u.render(w, r, http.StatusOK, "alert_silences", v)
}

func (u *Web) endSilence(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := u.app.EndSilence(u.auth.ActorCtx(r), user(r), id, u.cfg.Now()); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	back := safeNext(r.URL.Query().Get("next"))
	if back == "" {
		back = "/alerts/silences"
	}
	http.Redirect(w, r, withOk(back, "unsilence"), http.StatusSeeOther)
}

type webhooksData struct {
	Hooks     []*tinhso.Webhook
	Dead      []*tinhso.Delivery
	Recent    []*tinhso.Delivery
	Ok, Error string
	Name, URL string
	Severity  string
}

func (u *Web) webhooks(w http.ResponseWriter, r *http.Request) {
	u.renderWebhooks(w, r, http.StatusOK, &webhooksData{Ok: okNote(r), Severity: tinhso.SeverityWarning})
}

func (u *Web) renderWebhooks(w http.ResponseWriter, r *http.Request, status int, d *webhooksData) {
	v := u.newView(w, r, "webhooks")
	v.Title = v.T("alerts.webhooks")
	var err error
	if d.Hooks, err = u.store.FindWebhooks(r.Context()); err == nil {
		d.Dead, _, err = u.store.FindDeliveries(r.Context(), tinhso.DeliveryFilter{State: tinhso.DeliveryDead, Page: tinhso.Page{Limit: 100}})
	}
	if err == nil {
		d.Recent, _, err = u.store.FindDeliveries(r.Context(), tinhso.DeliveryFilter{Page: tinhso.Page{Limit: 20}})
	}
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	v.D = d
	u.render(w, r, status, "webhooks", v)
}

func (u *Web) webhookPost(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	d := &webhooksData{Name: formValue(r, "name"), URL: formValue(r, "url"), Severity: formValue(r, "min_severity")}
	h := &tinhso.Webhook{Name: d.Name, URL: d.URL, MinSeverity: d.Severity, OrgUnit: formValue(r, "org_unit"), Enabled: true}
	// The secret is read as typed (no trimming: it is compared byte for byte) and never
	// shown again, not even on a refused form.
	if err := u.app.SaveWebhook(u.auth.ActorCtx(r), h, r.PostForm.Get("secret"), 0); err != nil {
		d.Error = u.newView(w, r, "").printer().Error(err)
		u.renderWebhooks(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	http.Redirect(w, r, "/admin/webhooks?ok=webhook", http.StatusSeeOther)
}

func (u *Web) webhookDelete(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := u.store.DeleteWebhook(u.auth.ActorCtx(r), id); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/admin/webhooks?ok=deleted", http.StatusSeeOther)
}

func (u *Web) replay(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if _, err := u.app.ReplayDelivery(u.auth.ActorCtx(r), id, u.cfg.Now()); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/admin/webhooks?ok=replay", http.StatusSeeOther)
}

type smtpData struct {
	S         *tinhso.SMTPSettings
	Ok, Error string
	To        string
}

func (u *Web) smtp(w http.ResponseWriter, r *http.Request) {
	u.renderSMTP(w, r, http.StatusOK, &smtpData{Ok: okNote(r), To: user(r).Email})
}

func (u *Web) renderSMTP(w http.ResponseWriter, r *http.Request, status int, d *smtpData) {
	v := u.newView(w, r, "smtp")
	v.Title = v.T("alerts.smtp")
	if d.S == nil {
		var err error
		if d.S, err = u.store.SMTPSettings(r.Context()); err != nil {
			u.fail(w, r, v, err)
			return
		}
	}
	v.D = d
	u.render(w, r, status, "smtp", v)
}

func (u *Web) smtpPost(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	port, _ := strconv.Atoi(formValue(r, "port"))
	s := &tinhso.SMTPSettings{Host: formValue(r, "host"), Port: port, TLS: formValue(r, "tls"), Auth: formValue(r, "auth"),
		Username: formValue(r, "username"), From: formValue(r, "from"), FromName: formValue(r, "from_name")}
	if err := u.app.SaveSMTPSettings(u.auth.ActorCtx(r), s, r.PostForm.Get("password")); err != nil {
		u.renderSMTP(w, r, http.StatusUnprocessableEntity, &smtpData{S: s, Error: u.newView(w, r, "").printer().Error(err)})
		return
	}
	http.Redirect(w, r, "/admin/smtp?ok=smtp", http.StatusSeeOther)
}

func (u *Web) smtpTest(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	to := formValue(r, "to")
	if err := u.app.SendTestEmail(r.Context(), user(r), to); err != nil {
		u.renderSMTP(w, r, http.StatusUnprocessableEntity, &smtpData{To: to, Error: u.newView(w, r, "").printer().Error(err)})
		return
	}
	http.Redirect(w, r, "/admin/smtp?ok=test", http.StatusSeeOther)
}

type prefsData struct {
	P     tinhso.NotifyPrefs
	Email string
	Ok    string
	Error string
}

func (u *Web) notifyPrefs(w http.ResponseWriter, r *http.Request) {
	v := u.newView(w, r, "notify-prefs")
	v.Title = v.T("alerts.prefs")
	me := user(r)
	m, err := u.store.FindNotifyPrefs(r.Context(), []int64{me.ID})
	if err != nil {
		u.fail(w, r, v, err)
		return
	}
	v.D = &prefsData{P: m[me.ID], Email: me.Email, Ok: okNote(r)}
	u.render(w, r, http.StatusOK, "notify_prefs", v)
}

func (u *Web) notifyPrefsPost(w http.ResponseWriter, r *http.Request) {
	if err := u.parseForm(w, r); err != nil {
		u.fail(w, r, nil, err)
		return
	}
	me := user(r)
	p := tinhso.NotifyPrefs{UserID: me.ID, InApp: formValue(r, "inapp") == "1", Email: formValue(r, "email") == "1", MinSeverity: formValue(r, "min_severity")}
	err := p.Validate()
	if err == nil {
		err = u.store.SaveNotifyPrefs(r.Context(), p)
	}
	if err != nil {
		v := u.newView(w, r, "notify-prefs")
		v.Title = v.T("alerts.prefs")
		v.D = &prefsData{P: p, Email: me.Email, Error: v.printer().Error(err)}
		u.render(w, r, http.StatusUnprocessableEntity, "notify_prefs", v)
		return
	}
	http.Redirect(w, r, "/account/notifications?ok=prefs", http.StatusSeeOther)
}

// Reasons renders the status reasons an alert rests on that the catalogues can say.
func (v *view) Reasons(rs []tinhso.Reason) []string {
	var out []string
	for _, r := range rs {
		switch {
		case !v.has(r.Key):
		case len(r.Args) == 0:
			out = append(out, v.T(r.Key))
		default:
			out = append(out, v.T(r.Key, r.Args))
		}
	}
	return out
}

// Dur writes a rule's timing: "15m", "24h", "3d"; "–" for none.
func (v *view) Dur(d tinhso.Duration) string {
	if d == 0 {
		return "–"
	}
	return d.String()
}
