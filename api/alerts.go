package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/httpx"
)

// Alerts, their rules and silences, and their delivery: webhooks, the dead-letter
// list, SMTP, each user's notification settings, supervising leaders.

// alertDetail answers GET /api/v1/alerts/{id}: the alert and its history.
type alertDetail struct {
	*tinhso.Alert
	Events []tinhso.AlertEvent `json:"events"`
}

// silenceInput is the body of POST /api/v1/alerts/{id}/silence.
type silenceInput struct {
	EndsAt        *time.Time `json:"ends_at"`
	UntilResolved bool       `json:"until_resolved"`
	Reason        string     `json:"reason"`
}

// webhookInput is the body of POST /api/v1/webhooks and PUT /api/v1/webhooks/{id}.
type webhookInput struct {
	Name        string `json:"name"`
	URL         string `json:"url"`
	Secret      string `json:"secret"` // write-only; "" on an update keeps the stored one
	MinSeverity string `json:"min_severity"`
	OrgUnit     string `json:"org_unit"`
	Enabled     *bool  `json:"enabled"`
}

// smtpInput is the body of PUT /api/v1/smtp.
type smtpInput struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	TLS      string `json:"tls"`
	Auth     string `json:"auth"`
	Username string `json:"username"`
	Password string `json:"password"` // write-only; "" keeps the stored one
	From     string `json:"from"`
	FromName string `json:"from_name"`
}

type testEmailInput struct {
	To string `json:"to"`
}

type leaderInput struct {
	OrgUnit string `json:"org_unit"`
	UserID  int64  `json:"user_id"`
}

func (a *API) alertRoutes() []httpx.Route {
	filters := []httpx.Param{
		{Name: "state", Type: "string", Desc: "open, acknowledged, resolved, or active (open and acknowledged)"},
		{Name: "severity", Type: "string", Desc: "info, warning, critical"},
		{Name: "rule", Type: "string", Desc: "a rule's key"},
		{Name: "org_unit", Type: "string", Desc: "an org unit's code"},
		{Name: "subject", Type: "string", Desc: "a task's or indicator's key, a submission's id"},
	}
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/alerts", Summary: "Alerts, most severe first (a reporter: its own unit's)", Action: tinhso.ActReadAlerts,
			Query: filters, Resp: tinhso.Alert{}, List: true, Handler: a.listAlerts},
		{Method: "GET", Path: "/api/v1/alerts/{id}", Summary: "An alert and its history", Action: tinhso.ActReadAlerts, Resp: alertDetail{}, Handler: a.getAlert},
		{Method: "POST", Path: "/api/v1/alerts/{id}/acknowledge", Summary: "Acknowledge an open alert: it stops escalating", Action: tinhso.ActAckAlerts,
			Resp: tinhso.Alert{}, Handler: a.ackAlert},
		{Method: "POST", Path: "/api/v1/alerts/{id}/resolve", Summary: "Resolve an alert by hand (it reopens if its condition remains)", Action: tinhso.ActAckAlerts,
			Resp: tinhso.Alert{}, Handler: a.resolveAlert},
		{Method: "POST", Path: "/api/v1/alerts/{id}/silence", Summary: "Silence an alert until a time or until it is resolved", Action: tinhso.ActAckAlerts,
			Body: silenceInput{}, Resp: tinhso.Silence{}, Status: 201, Handler: a.silenceAlert},
		{Method: "GET", Path: "/api/v1/silences", Summary: "Silences, newest first (active=true: only those holding now)", Action: tinhso.ActManageAlerts,
			Query: []httpx.Param{{Name: "active", Type: "boolean", Desc: "only the silences holding now"}}, Resp: tinhso.Silence{}, List: true, Handler: a.listSilences},
		{Method: "POST", Path: "/api/v1/silences", Summary: "Silence the alerts of a rule, an org unit or a subject until a time", Action: tinhso.ActManageAlerts,
			Body: tinhso.Silence{}, Resp: tinhso.Silence{}, Status: 201, Handler: a.createSilence},
		{Method: "DELETE", Path: "/api/v1/silences/{id}", Summary: "Lift a silence", Action: tinhso.ActAckAlerts, Status: 204, Handler: a.endSilence},
		{Method: "GET", Path: "/api/v1/alert-rules", Summary: "Alert rules, built-in first", Action: tinhso.ActReadAlerts, Resp: tinhso.AlertRule{}, List: true, Handler: a.listRules},
		{Method: "POST", Path: "/api/v1/alert-rules", Summary: "Create an alert rule (timings validated together)", Action: tinhso.ActManageAlerts,
			Body: tinhso.AlertRule{}, Resp: tinhso.AlertRule{}, Status: 201, Handler: a.createRule},
		{Method: "PUT", Path: "/api/v1/alert-rules/{id}", Summary: "Change an alert rule (a built-in one: severity, timings, enabled)", Action: tinhso.ActManageAlerts,
			Body: tinhso.AlertRule{}, Resp: tinhso.AlertRule{}, Handler: a.updateRule},
		{Method: "GET", Path: "/api/v1/webhooks", Summary: "Webhook endpoints (secrets never shown)", Action: tinhso.ActManageDelivery, Resp: tinhso.Webhook{}, List: true, Handler: a.listWebhooks},
		{Method: "POST", Path: "/api/v1/webhooks", Summary: "Add a webhook endpoint; its URL must pass the outbound guard", Action: tinhso.ActManageDelivery,
			Body: webhookInput{}, Resp: tinhso.Webhook{}, Status: 201, Handler: a.createWebhook},
		{Method: "DELETE", Path: "/api/v1/webhooks/{id}", Summary: "Delete a webhook endpoint", Action: tinhso.ActManageDelivery, Status: 204, Handler: a.deleteWebhook},
		{Method: "GET", Path: "/api/v1/deliveries", Summary: "Deliveries of notifications (state=dead: the dead-letter list)", Action: tinhso.ActManageDelivery,
			Query: []httpx.Param{{Name: "state", Type: "string", Desc: "pending, delivered, dead"}, {Name: "channel", Type: "string", Desc: "email, webhook"}},
			Resp:  tinhso.Delivery{}, List: true, Handler: a.listDeliveries},
		{Method: "POST", Path: "/api/v1/deliveries/{id}/replay", Summary: "Send a dead-lettered delivery again", Action: tinhso.ActManageDelivery,
			Resp: tinhso.Delivery{}, Handler: a.replayDelivery},
		{Method: "GET", Path: "/api/v1/smtp", Summary: "The SMTP settings (the password never shown)", Action: tinhso.ActManageDelivery, Resp: tinhso.SMTPSettings{}, Handler: a.getSMTP},
		{Method: "PUT", Path: "/api/v1/smtp", Summary: "Change the SMTP settings", Action: tinhso.ActManageDelivery, Body: smtpInput{}, Resp: tinhso.SMTPSettings{}, Handler: a.putSMTP},
		{Method: "POST", Path: "/api/v1/smtp/test", Summary: "Send a test email with the stored settings", Action: tinhso.ActManageDelivery,
			Body: testEmailInput{}, Status: 204, Handler: a.testSMTP},
		{Method: "PUT", Path: "/api/v1/supervising-leaders", Summary: "Name an org unit's supervising leader (user_id 0: none)", Action: tinhso.ActManageUsers,
			Body: leaderInput{}, Status: 204, Handler: a.putLeader},
		{Method: "GET", Path: "/api/v1/me/notifications", Summary: "What reaches the caller, and how", Action: tinhso.ActSignedIn, Resp: tinhso.NotifyPrefs{}, Handler: a.getPrefs},
		{Method: "PUT", Path: "/api/v1/me/notifications", Summary: "Choose what reaches the caller, and how", Action: tinhso.ActSignedIn,
			Body: tinhso.NotifyPrefs{}, Resp: tinhso.NotifyPrefs{}, Handler: a.putPrefs},
	}
}

func (a *API) listAlerts(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.AlertFilter{State: q.OneOf("state", append([]string{"active"}, tinhso.AlertStates...)), Severity: q.OneOf("severity", tinhso.Severities),
		Rule: q.Str("rule"), Subject: q.Str("subject"), OrgUnits: app.AlertUnits(user(r)), Page: q.Page()}
	if u := q.Str("org_unit"); u != "" {
		if f.OrgUnits != nil && f.OrgUnits[0] != u {
			f.OrgUnits = []string{}
		} else {
			f.OrgUnits = []string{u}
		}
	}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	list, total, err := a.store.FindAlerts(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	if list == nil {
		list = []*tinhso.Alert{}
	}
	httpx.WriteList(w, list, total, f.Page)
}

// visible reads the alert of the path that the caller may see.
func (a *API) visible(r *http.Request) (*tinhso.Alert, error) {
	id, err := httpx.IDParam(r)
	if err != nil {
		return nil, err
	}
	al, err := a.store.FindAlert(r.Context(), id)
	if err == nil && !app.AlertVisible(user(r), al) {
		err = tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("alert.what.alert", id))
	}
	return al, err
}

func (a *API) getAlert(w http.ResponseWriter, r *http.Request) {
	al, err := a.visible(r)
	if failed(w, r, err) {
		return
	}
	ev, err := a.store.FindAlertEvents(r.Context(), al.ID)
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, alertDetail{Alert: al, Events: ev})
}

func (a *API) ackAlert(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	al, err := a.app.AcknowledgeAlert(a.actor(r), user(r), id, a.cfg.Now())
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, al)
}

func (a *API) resolveAlert(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	al, err := a.app.ResolveAlert(a.actor(r), user(r), id, a.cfg.Now())
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, al)
}

func (a *API) silenceAlert(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	var in silenceInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	s := &tinhso.Silence{Alert: id, EndsAt: in.EndsAt, UntilResolved: in.UntilResolved, Reason: in.Reason}
	if failed(w, r, a.app.CreateSilence(a.actor(r), user(r), s, a.cfg.Now())) {
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, s)
}

func (a *API) listSilences(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	active := q.Bool("active")
	p := q.Page()
	if err := q.Done(); failed(w, r, err) {
		return
	}
	var at *time.Time
	if active != nil && *active {
		now := a.cfg.Now()
		at = &now
	}
	list, err := a.store.FindSilences(r.Context(), at)
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, httpx.PageOf(list, p), len(list), p)
}

func (a *API) createSilence(w http.ResponseWriter, r *http.Request) {
	var s tinhso.Silence
	if err := a.decode(w, r, &s, map[string]string{"id": "", "created_by": "", "created_at": "", "ended_at": ""}); failed(w, r, err) {
		return
	}
	if failed(w, r, a.app.CreateSilence(a.actor(r), user(r), &s, a.cfg.Now())) {
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, s)
}

func (a *API) endSilence(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	if failed(w, r, a.app.EndSilence(a.actor(r), user(r), id, a.cfg.Now())) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) listRules(w http.ResponseWriter, r *http.Request) {
	p := httpx.NewQuery(r).Page()
	list, err := a.app.EnsureAlertRules(r.Context())
	if failed(w, r, err) {
		return
	}
	httpx.WriteList(w, httpx.PageOf(list, p), len(list), p)
}

var ruleComputed = map[string]string{"id": "", "builtin": "", "version": "", "created_at": "", "updated_at": ""}

func (a *API) createRule(w http.ResponseWriter, r *http.Request) {
	var rule tinhso.AlertRule
	if err := a.decode(w, r, &rule, ruleComputed); failed(w, r, err) {
		return
	}
	rule.ID = 0
	if failed(w, r, a.app.SaveAlertRule(a.actor(r), &rule, 0)) {
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, rule)
}

func (a *API) updateRule(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	var rule tinhso.AlertRule
	if err := a.decode(w, r, &rule, ruleComputed); failed(w, r, err) {
		return
	}
	rule.ID = id
	version, _ := strconv.Atoi(r.Header.Get("If-Match"))
	if failed(w, r, a.app.SaveAlertRule(a.actor(r), &rule, version)) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, rule)
}

func (a *API) listWebhooks(w http.ResponseWriter, r *http.Request) {
	p := httpx.NewQuery(r).Page()
	list, err := a.store.FindWebhooks(r.Context())
	if failed(w, r, err) {
		return
	}
	if list == nil {
		list = []*tinhso.Webhook{}
	}
	httpx.WriteList(w, httpx.PageOf(list, p), len(list), p)
}

func (a *API) createWebhook(w http.ResponseWriter, r *http.Request) {
	var in webhookInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	h := &tinhso.Webhook{Name: in.Name, URL: in.URL, MinSeverity: in.MinSeverity, OrgUnit: in.OrgUnit, Enabled: in.Enabled == nil || *in.Enabled}
	if h.MinSeverity == "" {
		h.MinSeverity = tinhso.SeverityWarning
	}
	if failed(w, r, a.app.SaveWebhook(a.actor(r), h, in.Secret, 0)) {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	httpx.WriteJSON(w, http.StatusCreated, h)
}

func (a *API) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	if failed(w, r, a.store.DeleteWebhook(a.actor(r), id)) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) listDeliveries(w http.ResponseWriter, r *http.Request) {
	q := httpx.NewQuery(r)
	f := tinhso.DeliveryFilter{State: q.OneOf("state", []string{tinhso.DeliveryPending, tinhso.DeliveryDelivered, tinhso.DeliveryDead}),
		Channel: q.OneOf("channel", []string{tinhso.ChannelEmail, tinhso.ChannelWebhook}), Page: q.Page()}
	if err := q.Done(); failed(w, r, err) {
		return
	}
	list, total, err := a.store.FindDeliveries(r.Context(), f)
	if failed(w, r, err) {
		return
	}
	if list == nil {
		list = []*tinhso.Delivery{}
	}
	httpx.WriteList(w, list, total, f.Page)
}

func (a *API) replayDelivery(w http.ResponseWriter, r *http.Request) {
	id, err := httpx.IDParam(r)
	if failed(w, r, err) {
		return
	}
	d, err := a.app.ReplayDelivery(a.actor(r), id, a.cfg.Now())
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, d)
}

func (a *API) getSMTP(w http.ResponseWriter, r *http.Request) {
	s, err := a.store.SMTPSettings(r.Context())
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, s)
}

func (a *API) putSMTP(w http.ResponseWriter, r *http.Request) {
	var in smtpInput
	if err := a.decode(w, r, &in, map[string]string{"password_set": ""}); failed(w, r, err) {
		return
	}
	s := &tinhso.SMTPSettings{Host: in.Host, Port: in.Port, TLS: in.TLS, Auth: in.Auth, Username: in.Username, From: in.From, FromName: in.FromName}
	if failed(w, r, a.app.SaveSMTPSettings(a.actor(r), s, in.Password)) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, s)
}

func (a *API) testSMTP(w http.ResponseWriter, r *http.Request) {
	var in testEmailInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	if failed(w, r, a.app.SendTestEmail(r.Context(), user(r), in.To)) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) putLeader(w http.ResponseWriter, r *http.Request) {
	var in leaderInput
	if err := a.decode(w, r, &in, nil); failed(w, r, err) {
		return
	}
	if failed(w, r, a.app.SetSupervisingLeader(a.actor(r), in.OrgUnit, in.UserID)) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) getPrefs(w http.ResponseWriter, r *http.Request) {
	u := user(r)
	m, err := a.store.FindNotifyPrefs(r.Context(), []int64{u.ID})
	if failed(w, r, err) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, m[u.ID])
}

func (a *API) putPrefs(w http.ResponseWriter, r *http.Request) {
	var p tinhso.NotifyPrefs
	if err := a.decode(w, r, &p, map[string]string{"user_id": ""}); failed(w, r, err) {
		return
	}
	p.UserID = user(r).ID
	if err := p.Validate(); failed(w, r, err) {
		return
	}
	if failed(w, r, a.store.SaveNotifyPrefs(r.Context(), p)) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, p)
}
