package tinhso

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// Alert severities, least severe first.
const (
	SeverityInfo     = "info"
	SeverityWarning  = "warning"
	SeverityCritical = "critical"
)

// Severities lists the severities, least severe first.
var Severities = []string{SeverityInfo, SeverityWarning, SeverityCritical}

// SeverityRank orders severities: info 0, warning 1, critical 2; -1 for anything else.
func SeverityRank(s string) int {
	for i, x := range Severities {
		if x == s {
			return i
		}
	}
	return -1
}

// Alert states. An open alert climbs the escalation path until someone acknowledges it;
// it is resolved when its condition clears (or by hand), and opens again if the
// condition returns.
const (
	AlertOpen         = "open"
	AlertAcknowledged = "acknowledged"
	AlertResolved     = "resolved"
)

// AlertStates lists the states.
var AlertStates = []string{AlertOpen, AlertAcknowledged, AlertResolved}

// Kinds of alert rules. The built-in rules are one of each of the first five; the live
// series and connector kinds are evaluated by the issues that bring those facts.
const (
	RuleTaskOverdue        = "task_overdue"
	RuleTaskDueSoon        = "task_due_soon"
	RuleIndicatorOffTrack  = "indicator_off_track" // off track, or forecast to miss
	RuleReportMissing      = "report_missing"      // a unit's report not in after its deadline
	RuleOwnerGone          = "owner_gone"          // a task's owners gone without successor
	RuleIndicatorThreshold = "indicator_threshold" // the latest figure beyond a threshold
	RuleSeriesThreshold    = "series_threshold"
	RuleConnectorFailing   = "connector_failing"
	// RuleDirectiveLate: a directive task past its deadline in force, nothing submitted
	// (issue 15).
	RuleDirectiveLate = "directive_late"
)

// RuleKinds lists the rule kinds.
var RuleKinds = []string{RuleTaskOverdue, RuleTaskDueSoon, RuleIndicatorOffTrack, RuleReportMissing, RuleOwnerGone,
	RuleIndicatorThreshold, RuleSeriesThreshold, RuleConnectorFailing, RuleDirectiveLate}

// Duration is a length of time written as Go writes durations ("15m", "24h", "0s") in
// JSON and forms.
type Duration time.Duration

// String writes the duration as ParseDuration reads it, briefly: "15m", "1h30m", "3d".
func (d Duration) String() string {
	t := time.Duration(d)
	if t != 0 && t%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(t/(24*time.Hour)), 10) + "d"
	}
	s := t.String()
	s, _ = strings.CutSuffix(s, "m0s")
	if strings.HasSuffix(t.String(), "m0s") {
		s += "m"
	}
	if x, ok := strings.CutSuffix(s, "h0m"); ok {
		s = x + "h"
	}
	return s
}

// MarshalJSON writes the duration as a string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "15m" (or a number of seconds).
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n float64
		if err := json.Unmarshal(b, &n); err != nil {
			return Errorf(EINVALID, "err.alert.duration", string(b))
		}
		*d = Duration(n * float64(time.Second))
		return nil
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseDuration reads a duration such as "15m", "2h30m"; "" is 0. Days may be written
// "7d".
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if v, err := time.ParseDuration(n + "h"); err == nil {
			return Duration(24 * v), nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return 0, Errorf(EINVALID, "err.alert.duration", s)
	}
	return Duration(v), nil
}

// OpenAPISchema describes the duration in the API's document: a string as
// ParseDuration reads it.
func (Duration) OpenAPISchema() map[string]any {
	return map[string]any{"type": "string", "description": "a duration: 15m, 1h30m, 7d"}
}

// D is the duration as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Limits of rule timings.
const (
	MinEvalInterval = Duration(time.Minute)
	MaxEvalInterval = Duration(24 * time.Hour)
	MaxRuleDelay    = Duration(90 * 24 * time.Hour)
)

// AlertRule says when an alert opens, how severe it is and how it is timed. Built-in
// rules exist from the start (their kind, scope and key cannot change; their severity,
// timings and whether they are enabled can); admins add their own, scoped by document,
// org unit or indicator, or with a threshold.
type AlertRule struct {
	ID       int64  `json:"id"`
	Key      string `json:"key"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Severity string `json:"severity"`
	Builtin  bool   `json:"builtin"`
	Enabled  bool   `json:"enabled"`
	// The scope: only tasks or indicators of the document, of the org unit (as lead or
	// reporter), the indicator, the series or connector ("" : all).
	Document  string `json:"document,omitempty"`
	OrgUnit   string `json:"org_unit,omitempty"`
	Indicator string `json:"indicator,omitempty"`
	Subject   string `json:"subject,omitempty"`
	// Op and Threshold: a threshold rule fires when the value is Op Threshold (lt, le,
	// gt, ge). A due-soon rule reads Threshold as days ahead (default 30).
	Op        string   `json:"op,omitempty"`
	Threshold *float64 `json:"threshold,omitempty"`
	// ClearMargin and ClearAfter are a series threshold's hysteresis, so that a noisy
	// sensor does not open and close alerts every second: an open alert closes only
	// once the value is back past the threshold by ClearMargin (in the series' unit;
	// none: merely back) and has stayed back for ClearAfter (0: at once).
	ClearMargin *float64 `json:"clear_margin,omitempty"`
	ClearAfter  Duration `json:"clear_after"`
	// EvalInterval: how often the rule is evaluated; RepeatInterval: how long until an
	// alert nobody answered is sent again (0: never); EscalationDelay: how long an open
	// alert waits for an acknowledgement before it climbs a level (0: never).
	EvalInterval    Duration `json:"eval_interval"`
	RepeatInterval  Duration `json:"repeat_interval"`
	EscalationDelay Duration `json:"escalation_delay"`
	// EvaluatedAt is when the rule was last evaluated; null before the first time.
	EvaluatedAt *time.Time `json:"evaluated_at"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

var ruleKeyRe = codeRe

// Validate checks a rule, its timings together.
func (r *AlertRule) Validate() error {
	if !ruleKeyRe.MatchString(r.Key) {
		return Invalid("key", "err.alert.rule_key")
	}
	if err := validText("name", r.Name, 200, true); err != nil {
		return err
	}
	if !contains(RuleKinds, r.Kind) {
		return Invalid("kind", "err.field.one_of", Field("kind"), strings.Join(RuleKinds, ", "))
	}
	if !contains(Severities, r.Severity) {
		return Invalid("severity", "err.field.one_of", Field("severity"), strings.Join(Severities, ", "))
	}
	switch r.Kind {
	case RuleIndicatorThreshold, RuleSeriesThreshold:
		if r.Threshold == nil {
			return Invalid("threshold", "err.alert.threshold_required")
		}
		if !contains([]string{"lt", "le", "gt", "ge"}, r.Op) {
			return Invalid("op", "err.field.one_of", Field("op"), "lt, le, gt, ge")
		}
		if r.Kind == RuleIndicatorThreshold && r.Indicator == "" {
			return Invalid("indicator", "err.alert.indicator_required")
		}
		if r.Kind == RuleSeriesThreshold {
			if r.Subject != "" {
				if err := ValidSeriesKey(r.Subject); err != nil {
					return Invalid("subject", "live2.err.subject_series", r.Subject)
				}
			}
			if m := r.ClearMargin; m != nil && (math.IsNaN(*m) || math.IsInf(*m, 0) || *m < 0) {
				return Invalid("clear_margin", "live2.err.clear_margin")
			}
			if r.ClearAfter < 0 || r.ClearAfter > MaxRuleDelay {
				return Invalid("clear_after", "live2.err.clear_after", MaxRuleDelay.String())
			}
		}
	case RuleTaskDueSoon:
		if r.Op != "" {
			return Invalid("op", "err.alert.op_unused")
		}
		if r.Threshold != nil && (*r.Threshold < 1 || *r.Threshold > 365) {
			return Invalid("threshold", "err.alert.due_soon_days")
		}
	default:
		if r.Op != "" || r.Threshold != nil {
			return Invalid("threshold", "err.alert.threshold_unused", r.Kind)
		}
	}
	if r.Kind != RuleSeriesThreshold {
		if r.ClearMargin != nil {
			return Invalid("clear_margin", "live2.err.hysteresis_unused", r.Kind)
		}
		if r.ClearAfter != 0 {
			return Invalid("clear_after", "live2.err.hysteresis_unused", r.Kind)
		}
	}
	for _, f := range []struct{ name, v string }{{"document", r.Document}, {"org_unit", r.OrgUnit}, {"indicator", r.Indicator}, {"subject", r.Subject}} {
		if err := validText(f.name, f.v, 200, false); err != nil {
			return err
		}
	}
	return r.ValidateTimings()
}

// ValidateTimings checks the timings together: each within its bounds, and the repeat
// and escalation delays no shorter than the evaluation interval, since nothing can
// happen between two evaluations.
func (r *AlertRule) ValidateTimings() error {
	if r.EvalInterval < MinEvalInterval || r.EvalInterval > MaxEvalInterval {
		return Invalid("eval_interval", "err.alert.eval_interval", MinEvalInterval.String(), MaxEvalInterval.String())
	}
	for _, f := range []struct {
		name, label string
		d           Duration
	}{{"repeat_interval", "alerts.repeat_interval", r.RepeatInterval}, {"escalation_delay", "alerts.escalation_delay", r.EscalationDelay}} {
		if f.d < 0 || f.d > MaxRuleDelay {
			return Invalid(f.name, "err.alert.delay_range", M(f.label), "90d")
		}
		if f.d != 0 && f.d < r.EvalInterval {
			return Invalid(f.name, "err.alert.delay_below_eval", M(f.label), f.d.String(), r.EvalInterval.String())
		}
	}
	return nil
}

// AlertSubject is what an alert is about.
type AlertSubject struct {
	Kind  string `json:"kind"` // task, indicator, submission, series, connector
	Key   string `json:"key"`  // the task's or indicator's key, the submission's id, …
	Title string `json:"title,omitempty"`
}

// AlertSilenced says that an alert's notifications are held back, until when and why.
type AlertSilenced struct {
	Silence int64 `json:"silence"`
	// Until is the silence's end; null with UntilResolved.
	Until         *time.Time `json:"until"`
	UntilResolved bool       `json:"until_resolved"`
	Reason        string     `json:"reason"`
	By            string     `json:"by"`
}

// Alert is one condition a rule found, for one org unit and subject: opened once,
// de-duplicated by its key, resolved when the condition clears and reopened if it
// returns.
type Alert struct {
	ID int64 `json:"id"`
	// Key de-duplicates: the rule, the subject and the unit.
	Key      string         `json:"key"`
	Rule     string         `json:"rule"`
	Kind     string         `json:"kind"`
	Severity string         `json:"severity"`
	State    string         `json:"state"`
	Silenced *AlertSilenced `json:"silenced"`
	// Inhibited: a more severe open alert of the same subject and unit holds this one's
	// notifications back.
	Inhibited bool         `json:"inhibited"`
	OrgUnit   string       `json:"org_unit"`
	Subject   AlertSubject `json:"subject"`
	// Message says what is wrong, in the reader's language at the edge; Reasons are the
	// status reasons it rests on.
	Message         Message    `json:"message"`
	Reasons         []Reason   `json:"reasons"`
	OpenedAt        time.Time  `json:"opened_at"`
	AcknowledgedAt  *time.Time `json:"acknowledged_at"`
	AcknowledgedBy  string     `json:"acknowledged_by,omitempty"`
	ResolvedAt      *time.Time `json:"resolved_at"`
	ResolvedBy      string     `json:"resolved_by,omitempty"`
	EscalationLevel int        `json:"escalation_level"`
	// EscalatedAt is when it reached its level (OpenedAt at level 0).
	EscalatedAt time.Time `json:"escalated_at"`
	// NotifiedAt is when it was last sent to anyone; null while held back.
	NotifiedAt *time.Time `json:"notified_at"`
	Reopened   int        `json:"reopened"`
	Version    int        `json:"version"`
}

// Escalation levels: the unit, its parent unit, the supervising leader.
const (
	LevelUnit   = 0
	LevelParent = 1
	LevelLeader = 2
	MaxLevel    = LevelLeader
)

// AlertEvent is one step in an alert's history.
type AlertEvent struct {
	ID    int64     `json:"id"`
	Alert int64     `json:"alert"`
	At    time.Time `json:"at"`
	// Kind: opened, reopened, notified, escalated, acknowledged, resolved, silenced,
	// unsilenced.
	Kind  string `json:"kind"`
	Actor string `json:"actor,omitempty"`
	Level int    `json:"level"`
	Note  string `json:"note,omitempty"`
}

// Alert event kinds.
const (
	EventAlertOpened       = "opened"
	EventAlertReopened     = "reopened"
	EventAlertNotified     = "notified"
	EventAlertEscalated    = "escalated"
	EventAlertAcknowledged = "acknowledged"
	EventAlertResolved     = "resolved"
	EventAlertSilenced     = "silenced"
	EventAlertUnsilenced   = "unsilenced"
)

// Silence holds back the notifications of the alerts it matches: one alert (Alert), or
// every alert of a rule, an org unit and a subject key ("" : any), until EndsAt, or
// for one alert until it is resolved ("mute until resolved"). Silences are stored, so
// they survive restarts.
type Silence struct {
	ID            int64      `json:"id"`
	Alert         int64      `json:"alert,omitempty"`
	Rule          string     `json:"rule,omitempty"`
	OrgUnit       string     `json:"org_unit,omitempty"`
	Subject       string     `json:"subject,omitempty"`
	EndsAt        *time.Time `json:"ends_at"`
	UntilResolved bool       `json:"until_resolved"`
	Reason        string     `json:"reason"`
	CreatedBy     string     `json:"created_by"`
	CreatedAt     time.Time  `json:"created_at"`
	// EndedAt is when it was lifted before its end, by hand or by its alert resolving.
	EndedAt *time.Time `json:"ended_at"`
}

// Validate checks a silence made at now.
func (s *Silence) Validate(now time.Time) error {
	if err := validText("reason", s.Reason, 1000, true); err != nil {
		return err
	}
	switch {
	case s.UntilResolved && s.EndsAt != nil:
		return Invalid("ends_at", "err.silence.both_ends")
	case s.UntilResolved && s.Alert == 0:
		return Invalid("until_resolved", "err.silence.until_resolved_alert")
	case !s.UntilResolved && s.EndsAt == nil:
		return Invalid("ends_at", "err.silence.no_end")
	case s.EndsAt != nil && !s.EndsAt.After(now):
		return Invalid("ends_at", "err.silence.past")
	case s.EndsAt != nil && s.EndsAt.Sub(now) > MaxRuleDelay.D():
		return Invalid("ends_at", "err.silence.too_long", "90d")
	case s.Alert == 0 && s.Rule == "" && s.OrgUnit == "" && s.Subject == "":
		return Invalid("rule", "err.silence.matches_all")
	}
	return nil
}

// Active reports whether the silence holds at now.
func (s *Silence) Active(now time.Time) bool {
	if s.EndedAt != nil {
		return false
	}
	return s.UntilResolved || s.EndsAt != nil && now.Before(*s.EndsAt)
}

// Matches reports whether the silence covers an alert.
func (s *Silence) Matches(a *Alert) bool {
	if s.Alert != 0 {
		return s.Alert == a.ID
	}
	return (s.Rule == "" || s.Rule == a.Rule) && (s.OrgUnit == "" || s.OrgUnit == a.OrgUnit) &&
		(s.Subject == "" || s.Subject == a.Subject.Key)
}

// Webhook is an endpoint alerts are posted to, signed with its secret (stored
// encrypted, never shown: SecretSet says whether it has one).
type Webhook struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	URL         string    `json:"url"`
	SecretSet   bool      `json:"secret_set"`
	MinSeverity string    `json:"min_severity"`
	OrgUnit     string    `json:"org_unit,omitempty"` // only alerts of this unit ("" : all)
	Enabled     bool      `json:"enabled"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks a webhook (the outbound guard checks its URL separately).
func (h *Webhook) Validate() error {
	if err := validText("name", h.Name, 200, true); err != nil {
		return err
	}
	if !strings.HasPrefix(h.URL, "https://") && !strings.HasPrefix(h.URL, "http://") || len(h.URL) > 2000 {
		return Invalid("url", "err.webhook.url")
	}
	if !contains(Severities, h.MinSeverity) {
		return Invalid("min_severity", "err.field.one_of", Field("min_severity"), strings.Join(Severities, ", "))
	}
	return nil
}

// NotifyPrefs is what reaches a user and how: in-app and by email, from a severity up.
type NotifyPrefs struct {
	UserID      int64  `json:"user_id"`
	InApp       bool   `json:"inapp"`
	Email       bool   `json:"email"`
	MinSeverity string `json:"min_severity"`
}

// DefaultNotifyPrefs is what a user who chose nothing gets: everything in-app, email
// from warnings up.
var DefaultNotifyPrefs = NotifyPrefs{InApp: true, Email: true, MinSeverity: SeverityWarning}

// Validate checks the preferences.
func (p *NotifyPrefs) Validate() error {
	if !contains(Severities, p.MinSeverity) {
		return Invalid("min_severity", "err.field.one_of", Field("min_severity"), strings.Join(Severities, ", "))
	}
	return nil
}

// Delivery channels of the outbox.
const (
	ChannelInApp   = "inapp"
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
)

// Outbox is one notification waiting for its digest: for one recipient ("user:12",
// "webhook:3") on one channel. Its key makes writing it twice write it once.
type Outbox struct {
	ID        int64     `json:"id"`
	Key       string    `json:"key"`
	Alert     int64     `json:"alert"`
	Event     string    `json:"event"` // opened, escalated, repeated, resolved
	Level     int       `json:"level"`
	Recipient string    `json:"recipient"`
	Channel   string    `json:"channel"`
	Severity  string    `json:"severity"`
	Message   Message   `json:"message"`
	Link      string    `json:"link"`
	CreatedAt time.Time `json:"created_at"`
	Delivery  int64     `json:"delivery,omitempty"`
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryDead      = "dead"
)

// Delivery is one digest sent (or to be sent) to one recipient on one channel, with
// the attempts so far: what the dead-letter list shows and replays.
type Delivery struct {
	ID          int64      `json:"id"`
	Channel     string     `json:"channel"`
	Recipient   string     `json:"recipient"`
	Items       []int64    `json:"items"`
	State       string     `json:"state"`
	Attempts    int        `json:"attempts"`
	NextAt      time.Time  `json:"next_at"`
	LastStatus  int        `json:"last_status,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	DeliveredAt *time.Time `json:"delivered_at"`
}

// AlertFilter selects alerts.
type AlertFilter struct {
	State    string // "" : all; "active": open and acknowledged
	Severity string
	Rule     string
	// OrgUnits: alerts of any of these units (nil: all).
	OrgUnits []string
	Subject  string
	Page
}

// DeliveryFilter selects deliveries.
type DeliveryFilter struct {
	State     string
	Channel   string
	Recipient string
	Page
}

// SMTPSettings are the email settings an admin keeps; the password is stored sealed
// (PasswordSealed) and never shown back.
type SMTPSettings struct {
	Host           string `json:"host"`
	Port           int    `json:"port"`
	TLS            string `json:"tls"`
	Auth           string `json:"auth"`
	Username       string `json:"username"`
	PasswordSet    bool   `json:"password_set"`
	From           string `json:"from"`
	FromName       string `json:"from_name"`
	PasswordSealed string `json:"-"`
}

// AlertFacts are the facts the rules are evaluated on that the plan's lists do not
// give: approved progress reports, the province's report figures and the reports
// missing after their deadline.
type AlertFacts struct {
	Reports        []ProgressReport
	Figures        []IndicatorFigure
	MissingReports []MissingReport
}

// MissingReport is a unit's submission of an open period not submitted by its
// deadline.
type MissingReport struct {
	Submission int64  `json:"submission"`
	OrgUnit    string `json:"org_unit"`
	Period     string `json:"period"`
	Regime     string `json:"regime"` // the regime's name
	Due        string `json:"due"`
}

// AlertStore keeps alert rules, alerts and their history, silences, webhooks, the
// users' preferences, the outbox and its deliveries, the SMTP settings and leases.
type AlertStore interface {
	FindAlertRules(ctx context.Context) ([]*AlertRule, error)
	FindAlertRule(ctx context.Context, ref string) (*AlertRule, error)
	CreateAlertRule(ctx context.Context, r *AlertRule) error
	UpdateAlertRule(ctx context.Context, r *AlertRule, version int) error
	DeleteAlertRule(ctx context.Context, id int64, version int) error
	// MarkRulesEvaluated records that the rules of keys were evaluated at at.
	MarkRulesEvaluated(ctx context.Context, keys []string, at time.Time) error

	// AlertFacts reads the facts the rules need beyond the plan.
	AlertFacts(ctx context.Context, now time.Time) (*AlertFacts, error)
	FindAlerts(ctx context.Context, f AlertFilter) ([]*Alert, int, error)
	FindAlert(ctx context.Context, id int64) (*Alert, error)
	// ActiveAlerts returns every alert that is not resolved, and the resolved ones of
	// keys, in one read.
	AlertsByKey(ctx context.Context, keys []string) (map[string]*Alert, error)
	// SaveAlert creates (ID 0) or updates an alert, with its new history events, in the
	// context's transaction or its own; an update fails with EPRECONDITION when the
	// stored version is no longer a.Version.
	SaveAlert(ctx context.Context, a *Alert, events ...AlertEvent) error
	FindAlertEvents(ctx context.Context, alert int64) ([]AlertEvent, error)
	CountOpenAlerts(ctx context.Context, orgUnits []string) (map[string]int, error)

	FindSilences(ctx context.Context, activeAt *time.Time) ([]*Silence, error)
	FindSilence(ctx context.Context, id int64) (*Silence, error)
	CreateSilence(ctx context.Context, s *Silence) error
	EndSilence(ctx context.Context, id int64, at time.Time) error

	FindWebhooks(ctx context.Context) ([]*Webhook, error)
	FindWebhook(ctx context.Context, id int64) (*Webhook, error)
	// WebhookSecret returns the stored (sealed) secret of a webhook.
	WebhookSecret(ctx context.Context, id int64) (string, error)
	// SaveWebhook creates or updates a webhook; sealed "" keeps the stored secret.
	SaveWebhook(ctx context.Context, h *Webhook, sealed string, version int) error
	DeleteWebhook(ctx context.Context, id int64) error

	FindNotifyPrefs(ctx context.Context, userIDs []int64) (map[int64]NotifyPrefs, error)
	SaveNotifyPrefs(ctx context.Context, p NotifyPrefs) error

	// Enqueue stores outbox items, skipping those whose key is stored already; it
	// returns how many it stored.
	Enqueue(ctx context.Context, items []Outbox) (int, error)
	// PendingOutbox returns the items not yet in a delivery, oldest first.
	PendingOutbox(ctx context.Context, limit int) ([]Outbox, error)
	FindOutbox(ctx context.Context, ids []int64) ([]Outbox, error)
	// CreateDelivery stores a delivery of items and marks them taken.
	CreateDelivery(ctx context.Context, d *Delivery) error
	// DueDeliveries returns pending deliveries due at now.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]*Delivery, error)
	FindDeliveries(ctx context.Context, f DeliveryFilter) ([]*Delivery, int, error)
	FindDelivery(ctx context.Context, id int64) (*Delivery, error)
	// RecordAttempt writes an attempt's outcome: the state, attempts, next time and last
	// status and error.
	RecordAttempt(ctx context.Context, d *Delivery) error

	SMTPSettings(ctx context.Context) (*SMTPSettings, error)
	SaveSMTPSettings(ctx context.Context, s *SMTPSettings, keepPassword bool) error
	// SupervisingLeaders returns each org unit's supervising leader's user id.
	SupervisingLeaders(ctx context.Context) (map[string]int64, error)
	SetSupervisingLeader(ctx context.Context, orgUnit string, userID int64) error

	// TakeLease takes or renews the named lease for holder until until, if it is free
	// at now or held by holder already; it reports whether holder has it.
	TakeLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error)
}

// Dispatch is one digest to send: every new notification for one recipient on one
// channel, with what is needed to reach it.
type Dispatch struct {
	Delivery int64
	Channel  string
	// To: the email address, or the webhook's URL.
	To        string
	Recipient string
	// Secret is the webhook's secret, opened; SMTP the email settings, the password
	// opened.
	Secret   string
	SMTP     *SMTPSettings
	Password string
	Lang     string
	Items    []Outbox
}

// DispatchResult is what an attempt came to.
type DispatchResult struct {
	// Outcome: delivered, retry, failed.
	Outcome    string
	Status     int
	Error      string
	RetryAfter time.Duration
}

// Dispatcher sends digests (the notify package's): signed webhooks and email.
type Dispatcher interface {
	Dispatch(ctx context.Context, d Dispatch) DispatchResult
	// Backoff says how long to wait after the attempts-th failure of a delivery, or
	// dead when no attempt is left.
	Backoff(attempts int, key string) (wait time.Duration, dead bool)
	// CheckURL is the outbound guard's check of a webhook URL.
	CheckURL(ctx context.Context, url string) error
}
