package engine

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tinhso/tinhso"
)

// Alert rules: the facts and a clock give findings (BuiltinRules, Evaluate); findings,
// the stored alerts, the silences and the clock give the alerts' next states
// (Advance). Both are pure: the use-cases load the facts and store the outcome.

// Default timings of the built-in rules.
const (
	DefaultEvalInterval    = tinhso.Duration(15 * time.Minute)
	DefaultRepeatInterval  = tinhso.Duration(24 * time.Hour)
	DefaultEscalationDelay = tinhso.Duration(72 * time.Hour)
)

// BuiltinRules are the rules every installation has, enabled, with their default
// severities and timings.
func BuiltinRules() []tinhso.AlertRule {
	mk := func(kind, sev string) tinhso.AlertRule {
		return tinhso.AlertRule{Key: "builtin." + kind, Name: RuleNames[kind], Kind: kind, Severity: sev, Builtin: true,
			Enabled: true, EvalInterval: DefaultEvalInterval, RepeatInterval: DefaultRepeatInterval, EscalationDelay: DefaultEscalationDelay}
	}
	return []tinhso.AlertRule{
		mk(tinhso.RuleTaskOverdue, tinhso.SeverityCritical),
		mk(tinhso.RuleTaskDueSoon, tinhso.SeverityInfo),
		mk(tinhso.RuleIndicatorOffTrack, tinhso.SeverityWarning),
		mk(tinhso.RuleReportMissing, tinhso.SeverityWarning),
		mk(tinhso.RuleOwnerGone, tinhso.SeverityWarning),
		mk(tinhso.RuleDirectiveLate, tinhso.SeverityWarning),
	}
}

// RuleNames are the message keys of the built-in rules' names (the stored name of a
// built-in rule is its key; pages show it in the reader's language).
var RuleNames = map[string]string{
	tinhso.RuleTaskOverdue:       "alert.rule.task_overdue",
	tinhso.RuleTaskDueSoon:       "alert.rule.task_due_soon",
	tinhso.RuleIndicatorOffTrack: "alert.rule.indicator_off_track",
	tinhso.RuleReportMissing:     "alert.rule.report_missing",
	tinhso.RuleOwnerGone:         "alert.rule.owner_gone",
	tinhso.RuleDirectiveLate:     "steering.rule_late",
}

// messageKeys are the keys of the findings' messages, by the status class found.
var messageKeys = map[string]string{
	tinhso.TaskOverdue:       "alert.msg.task_overdue",
	tinhso.TaskDueSoon:       "alert.msg.task_due_soon",
	tinhso.TaskUnowned:       "alert.msg.task_unowned",
	tinhso.IndicatorOffTrack: "alert.msg.indicator_off_track",
	tinhso.IndicatorMissed:   "alert.msg.indicator_missed",
}

// RuleFacts are what the rules are evaluated on.
type RuleFacts struct {
	Tasks []*tinhso.Task
	// Reports and PeriodsByDocument are the tasks' status facts (see TaskStatuses).
	Reports           []tinhso.ProgressReport
	PeriodsByDocument map[string][]tinhso.Period
	Indicators        []*tinhso.Indicator
	// Figures are the indicators' figures, every source.
	Figures []tinhso.IndicatorFigure
	Missing []tinhso.MissingReport
	// Directives are the directive tasks (their stages and deadlines in force).
	Directives []*tinhso.DirectiveTask
}

// Finding is a condition a rule found now: an alert that should be open.
type Finding struct {
	Key      string
	Rule     string
	Kind     string
	Severity string
	OrgUnit  string
	Subject  tinhso.AlertSubject
	Message  tinhso.Message
	Reasons  []tinhso.Reason
}

// AlertKey is the de-duplication key of a rule's alert of a subject for a unit.
func AlertKey(rule, subjectKind, subjectKey, orgUnit string) string {
	return rule + "|" + subjectKind + ":" + subjectKey + "|" + orgUnit
}

// Evaluate applies the enabled rules to the facts at now and returns what they find,
// ordered by key. A task is found once per lead unit that exists (or the successors of
// one that does not), so that each unit answers for its part; a task without a unit,
// and an indicator without a monitoring agency, is the province's ("").
func Evaluate(rules []*tinhso.AlertRule, f RuleFacts, now time.Time) []Finding {
	var out []Finding
	statuses := map[int]map[string]tinhso.TaskStatus{}
	taskStatuses := func(days int) map[string]tinhso.TaskStatus {
		if st, ok := statuses[days]; ok {
			return st
		}
		st := TaskStatuses(f.Tasks, f.Reports, f.PeriodsByDocument, now, TaskRules{DueSoonDays: days})
		statuses[days] = st
		return st
	}
	var indStatuses map[SeriesKey]tinhso.IndicatorStatus
	latest := map[string]*tinhso.IndicatorFigure{}
	for _, r := range rules {
		if !r.Enabled {
			continue
		}
		switch r.Kind {
		case tinhso.RuleTaskOverdue, tinhso.RuleTaskDueSoon, tinhso.RuleOwnerGone:
			days := 0
			if r.Kind == tinhso.RuleTaskDueSoon && r.Threshold != nil {
				days = int(*r.Threshold)
			}
			st := taskStatuses(days)
			class := map[string]string{tinhso.RuleTaskOverdue: tinhso.TaskOverdue, tinhso.RuleTaskDueSoon: tinhso.TaskDueSoon,
				tinhso.RuleOwnerGone: tinhso.TaskUnowned}[r.Kind]
			for _, t := range f.Tasks {
				if r.Document != "" && t.Document != r.Document {
					continue
				}
				s, ok := st[t.Key]
				if !ok || !hasClass(s.Status, class) {
					continue
				}
				units := []string{""}
				if r.Kind != tinhso.RuleOwnerGone {
					units = taskUnits(t)
				}
				for _, u := range units {
					if r.OrgUnit != "" && u != r.OrgUnit {
						continue
					}
					out = append(out, taskFinding(r, t, u, s.Status, class))
				}
			}
		case tinhso.RuleIndicatorOffTrack:
			if indStatuses == nil {
				indStatuses = IndicatorStatuses(f.Indicators, f.Figures, nil, nil, now)
			}
			for _, ind := range f.Indicators {
				if !indicatorInScope(r, ind) {
					continue
				}
				s, ok := indStatuses[SeriesKey{ind.Key, ""}]
				if !ok || s.Class != tinhso.IndicatorOffTrack && s.Class != tinhso.IndicatorMissed {
					continue
				}
				for _, u := range indicatorUnits(ind) {
					if r.OrgUnit != "" && u != r.OrgUnit {
						continue
					}
					args := map[string]any{"code": ind.Code, "document": ind.Document, "name": short(ind.Name), "target": ind.TargetText}
					out = append(out, Finding{Key: AlertKey(r.Key, "indicator", ind.Key, u), Rule: r.Key, Kind: r.Kind, Severity: r.Severity,
						OrgUnit: u, Subject: tinhso.AlertSubject{Kind: "indicator", Key: ind.Key, Title: short(ind.Name)},
						Message: tinhso.M(messageKeys[s.Class], args), Reasons: reasonsOf(s.Status, s.Class)})
				}
			}
		case tinhso.RuleIndicatorThreshold:
			if len(latest) == 0 {
				for i := range f.Figures {
					fg := &f.Figures[i]
					if fg.OrgUnit != "" || fg.Value == nil {
						continue
					}
					if old, ok := latest[fg.Indicator]; !ok || fg.Date > old.Date {
						latest[fg.Indicator] = fg
					}
				}
			}
			for _, ind := range f.Indicators {
				if !indicatorInScope(r, ind) {
					continue
				}
				fg := latest[ind.Key]
				if fg == nil || !compare(*fg.Value, r.Op, *r.Threshold) {
					continue
				}
				for _, u := range indicatorUnits(ind) {
					if r.OrgUnit != "" && u != r.OrgUnit {
						continue
					}
					args := map[string]any{"code": ind.Code, "document": ind.Document, "name": short(ind.Name),
						"value": tinhso.Number(*fg.Value), "op": opSign(r.Op), "threshold": tinhso.Number(*r.Threshold), "date": tinhso.Date(fg.Date)}
					out = append(out, Finding{Key: AlertKey(r.Key, "indicator", ind.Key, u), Rule: r.Key, Kind: r.Kind, Severity: r.Severity,
						OrgUnit: u, Subject: tinhso.AlertSubject{Kind: "indicator", Key: ind.Key, Title: short(ind.Name)},
						Message: tinhso.M("alert.msg.indicator_threshold", args),
						Reasons: []tinhso.Reason{{Class: "threshold", Rule: "alert.indicator_threshold", Key: "alert.msg.indicator_threshold", Args: args,
							Figures: []tinhso.IndicatorFigure{*fg}}}})
				}
			}
		case tinhso.RuleReportMissing:
			for _, m := range f.Missing {
				if r.OrgUnit != "" && m.OrgUnit != r.OrgUnit {
					continue
				}
				id := strconv.FormatInt(m.Submission, 10)
				args := map[string]any{"period": m.Period, "regime": m.Regime, "due": tinhso.Date(m.Due),
					"days": daysBetween(m.Due, now)}
				out = append(out, Finding{Key: AlertKey(r.Key, "submission", id, m.OrgUnit), Rule: r.Key, Kind: r.Kind, Severity: r.Severity,
					OrgUnit: m.OrgUnit, Subject: tinhso.AlertSubject{Kind: "submission", Key: id, Title: m.Regime + " " + m.Period},
					Message: tinhso.M("alert.msg.report_missing", args),
					Reasons: []tinhso.Reason{{Class: "missing", Rule: "alert.report_missing", Key: "alert.msg.report_missing", Args: args}}})
			}
		case tinhso.RuleDirectiveLate:
			today := Today(now)
			for _, t := range f.Directives {
				if DirectiveTaskStatus(t, today) != tinhso.DirectiveLate || r.OrgUnit != "" && t.Lead != r.OrgUnit {
					continue
				}
				id := strconv.FormatInt(t.ID, 10)
				args := map[string]any{"lead": t.Lead, "due": tinhso.Date(t.Deadline), "text": short(t.Text), "days": daysBetween(t.Deadline, now)}
				out = append(out, Finding{Key: AlertKey(r.Key, "directive_task", id, t.Lead), Rule: r.Key, Kind: r.Kind, Severity: r.Severity,
					OrgUnit: t.Lead, Subject: tinhso.AlertSubject{Kind: "directive", Key: strconv.FormatInt(t.Directive, 10), Title: short(t.Text)},
					Message: tinhso.M("steering.msg_late", args),
					Reasons: []tinhso.Reason{{Class: tinhso.DirectiveLate, Rule: "steering.directive_late", Key: "steering.msg_late", Args: args}}})
			}
			// Series thresholds and failing connectors are evaluated by the live-data and
			// connector issues, which bring their facts.
		}
	}
	slices.SortFunc(out, func(a, b Finding) int { return cmp.Compare(a.Key, b.Key) })
	return slices.CompactFunc(out, func(a, b Finding) bool { return a.Key == b.Key })
}

func taskFinding(r *tinhso.AlertRule, t *tinhso.Task, unit string, st tinhso.Status, class string) Finding {
	args := map[string]any{"number": t.Number, "document": t.Document, "title": short(t.Title)}
	if t.DueDate != "" {
		args["due"] = tinhso.Date(t.DueDate)
	}
	for _, rs := range st.Reasons {
		if rs.Class == class {
			if d, ok := rs.Args["due"].(string); ok {
				args["due"] = tinhso.Date(d)
			}
			if p, ok := rs.Args["period"].(string); ok {
				args["period"] = p
			}
			break
		}
	}
	msg := messageKeys[class]
	if _, ok := args["due"]; !ok && class != tinhso.TaskUnowned {
		args["due"] = "—"
	}
	return Finding{Key: AlertKey(r.Key, "task", t.Key, unit), Rule: r.Key, Kind: r.Kind, Severity: r.Severity, OrgUnit: unit,
		Subject: tinhso.AlertSubject{Kind: "task", Key: t.Key, Title: short(t.Title)},
		Message: tinhso.M(msg, args), Reasons: reasonsOf(st, class)}
}

func hasClass(s tinhso.Status, class string) bool {
	return s.Class == class || slices.Contains(s.Flags, class)
}

func reasonsOf(s tinhso.Status, class string) []tinhso.Reason {
	var out []tinhso.Reason
	for _, r := range s.Reasons {
		if r.Class == class {
			out = append(out, r)
		}
	}
	return out
}

// taskUnits are the units answering for a task: its lead units that exist, and the
// successors of those that do not; the province's ("") when that leaves none.
func taskUnits(t *tinhso.Task) []string {
	var out []string
	for _, l := range t.Lead {
		if l.Kind == tinhso.KindGroup {
			continue
		}
		if l.Exists {
			out = append(out, l.Code)
		} else {
			out = append(out, l.Successors...)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

func indicatorUnits(ind *tinhso.Indicator) []string {
	var out []string
	for _, a := range ind.Agencies {
		if a.Exists && a.Kind != tinhso.KindGroup {
			out = append(out, a.Code)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

func indicatorInScope(r *tinhso.AlertRule, ind *tinhso.Indicator) bool {
	return (r.Document == "" || r.Document == ind.Document) && (r.Indicator == "" || r.Indicator == ind.Key || r.Indicator == ind.Code)
}

func compare(v float64, op string, t float64) bool {
	switch op {
	case "lt":
		return v < t
	case "le":
		return v <= t
	case "gt":
		return v > t
	case "ge":
		return v >= t
	}
	return false
}

func opSign(op string) string {
	return map[string]string{"lt": "<", "le": "≤", "gt": ">", "ge": "≥"}[op]
}

func daysBetween(date string, now time.Time) int {
	d, err := time.ParseInLocation("2006-01-02", date, tinhso.Location)
	if err != nil {
		return 0
	}
	return int(dayOf(now)) - int(dayOf(d))
}

// short cuts a title to 160 characters for messages and lists.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= 160 {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:159])) + "…"
}

// RulesDue returns the enabled rules whose evaluation interval has passed since their
// last evaluation at now (all enabled rules with all), and the set of their keys, for
// Advance.
func RulesDue(rules []*tinhso.AlertRule, now time.Time, all bool) ([]*tinhso.AlertRule, map[string]bool) {
	var due []*tinhso.AlertRule
	keys := map[string]bool{}
	for _, r := range rules {
		if !r.Enabled || r.Kind == tinhso.RuleSeriesThreshold || r.Kind == tinhso.RuleConnectorFailing {
			continue
		}
		if all || r.EvaluatedAt == nil || !now.Before(r.EvaluatedAt.Add(r.EvalInterval.D())) {
			due = append(due, r)
			keys[r.Key] = true
		}
	}
	return due, keys
}

// Notice is a notification an alert's change calls for: to the recipients of its
// level, on every channel they chose.
type Notice struct {
	Event string // opened, reopened, escalated, repeated, resolved
	Level int
}

// Change is what Advance decided for one alert: its new state (Alert, a copy; ID 0
// for a new one), the history events to record, and the notice to send, if any.
type Change struct {
	Alert  *tinhso.Alert
	Events []tinhso.AlertEvent
	Notice *Notice
	// EndSilences are "until resolved" silences the alert's resolution ends.
	EndSilences []int64
}

// Advance moves the alerts one step at now:
//
//   - a finding without an alert opens one (level 0); with a resolved alert, reopens it
//     (level 0, acknowledgement cleared);
//   - an open or acknowledged alert of a rule evaluated now (evaluated) whose finding
//     is gone is resolved, and "until resolved" silences of it end;
//   - an open alert that nobody acknowledged within its rule's escalation delay climbs
//     one level (unit → parent unit → supervising leader), the delay counted from when
//     it reached its level; a silenced alert waits;
//   - an open alert last notified more than its rule's repeat interval ago is sent
//     again; one never notified (held back by a silence since ended) is sent now;
//   - an alert is silenced while an active silence matches it, and inhibited while a
//     more severe active alert of the same subject and unit exists; neither sends.
//
// existing maps keys to the stored alerts (active ones, and resolved ones of the
// findings' keys); alerts of rules not in rules are left as they are, but resolve if
// their rule was deleted or disabled. Advance returns the changes, ordered by key.
// Running it twice at the same time with the same facts changes nothing the second
// time.
func Advance(existing map[string]*tinhso.Alert, findings []Finding, rules []*tinhso.AlertRule, evaluated map[string]bool,
	silences []*tinhso.Silence, now time.Time) []Change {
	ruleOf := map[string]*tinhso.AlertRule{}
	for _, r := range rules {
		ruleOf[r.Key] = r
	}
	found := map[string]*Finding{}
	for i := range findings {
		found[findings[i].Key] = &findings[i]
	}
	keys := make([]string, 0, len(existing)+len(findings))
	for k := range existing {
		keys = append(keys, k)
	}
	for k := range found {
		if existing[k] == nil {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)

	// The alerts as they will be, before notices: inhibition needs all of them.
	next := map[string]*tinhso.Alert{}
	changes := map[string]*Change{}
	for _, k := range keys {
		old, f := existing[k], found[k]
		var a *tinhso.Alert
		if old != nil {
			c := *old
			a = &c
		}
		ch := &Change{}
		event := func(kind string, level int) {
			ch.Events = append(ch.Events, tinhso.AlertEvent{At: now, Kind: kind, Level: level})
		}
		r := ruleOf[k2rule(k, old, f)]
		active := r != nil && r.Enabled
		switch {
		case f != nil && a == nil:
			a = &tinhso.Alert{Key: k, Rule: f.Rule, Kind: f.Kind, State: tinhso.AlertOpen, OpenedAt: now, EscalatedAt: now}
			event(tinhso.EventAlertOpened, 0)
			ch.Notice = &Notice{Event: tinhso.EventAlertOpened}
		case f != nil && a.State == tinhso.AlertResolved:
			a.State, a.OpenedAt, a.EscalatedAt, a.EscalationLevel = tinhso.AlertOpen, now, now, 0
			a.AcknowledgedAt, a.AcknowledgedBy, a.ResolvedAt, a.ResolvedBy, a.NotifiedAt = nil, "", nil, "", nil
			a.Reopened++
			event(tinhso.EventAlertReopened, 0)
			ch.Notice = &Notice{Event: tinhso.EventAlertReopened}
		case a != nil && a.State != tinhso.AlertResolved && f == nil && (evaluated[a.Rule] || !active):
			t := now
			a.State, a.ResolvedAt = tinhso.AlertResolved, &t
			event(tinhso.EventAlertResolved, a.EscalationLevel)
			if a.NotifiedAt != nil && a.Silenced == nil {
				ch.Notice = &Notice{Event: tinhso.EventAlertResolved, Level: a.EscalationLevel}
			}
			for _, s := range silences {
				if s.UntilResolved && s.Alert == a.ID && s.EndedAt == nil {
					ch.EndSilences = append(ch.EndSilences, s.ID)
				}
			}
		}
		if a == nil {
			continue
		}
		if f != nil {
			a.Severity, a.OrgUnit, a.Subject, a.Message, a.Reasons = f.Severity, f.OrgUnit, f.Subject, f.Message, f.Reasons
		}
		// Silences.
		var sil *tinhso.AlertSilenced
		if a.State != tinhso.AlertResolved {
			for _, s := range silences {
				if s.Active(now) && s.Matches(a) && (a.ID != 0 || s.Alert == 0) {
					sil = &tinhso.AlertSilenced{Silence: s.ID, Until: s.EndsAt, UntilResolved: s.UntilResolved, Reason: s.Reason, By: s.CreatedBy}
					break
				}
			}
		}
		switch {
		case sil != nil && a.Silenced == nil:
			event(tinhso.EventAlertSilenced, a.EscalationLevel)
		case sil == nil && a.Silenced != nil:
			event(tinhso.EventAlertUnsilenced, a.EscalationLevel)
		}
		a.Silenced = sil
		next[k], changes[k] = a, ch
	}

	// Inhibition, then timers and notices.
	strongest := map[string]int{}
	for _, a := range next {
		if a.State == tinhso.AlertResolved {
			continue
		}
		sk := a.Subject.Kind + ":" + a.Subject.Key + "|" + a.OrgUnit
		strongest[sk] = max(strongest[sk], tinhso.SeverityRank(a.Severity))
	}
	var out []Change
	for _, k := range keys {
		a, ch := next[k], changes[k]
		if a == nil {
			continue
		}
		old := existing[k]
		a.Inhibited = a.State != tinhso.AlertResolved &&
			tinhso.SeverityRank(a.Severity) < strongest[a.Subject.Kind+":"+a.Subject.Key+"|"+a.OrgUnit]
		r := ruleOf[a.Rule]
		held := a.Silenced != nil || a.Inhibited
		if a.State == tinhso.AlertOpen && r != nil && ch.Notice == nil && !held {
			switch {
			case a.NotifiedAt == nil:
				// Held back until now: the unit hears of it first, and the escalation
				// delay counts from then.
				a.EscalatedAt = now
				ch.Notice = &Notice{Event: tinhso.EventAlertOpened, Level: a.EscalationLevel}
			case r.EscalationDelay > 0 && a.EscalationLevel < tinhso.MaxLevel && !now.Before(a.EscalatedAt.Add(r.EscalationDelay.D())):
				a.EscalationLevel++
				a.EscalatedAt = now
				ch.Events = append(ch.Events, tinhso.AlertEvent{At: now, Kind: tinhso.EventAlertEscalated, Level: a.EscalationLevel})
				ch.Notice = &Notice{Event: tinhso.EventAlertEscalated, Level: a.EscalationLevel}
			case r.RepeatInterval > 0 && !now.Before(a.NotifiedAt.Add(r.RepeatInterval.D())):
				ch.Notice = &Notice{Event: "repeated", Level: a.EscalationLevel}
			}
		}
		if ch.Notice != nil && ch.Notice.Event != tinhso.EventAlertResolved && held {
			ch.Notice = nil // held back: sent when the silence ends
		}
		if ch.Notice != nil {
			t := now
			a.NotifiedAt = &t
			ch.Events = append(ch.Events, tinhso.AlertEvent{At: now, Kind: tinhso.EventAlertNotified, Level: ch.Notice.Level, Note: ch.Notice.Event})
		}
		if old != nil && len(ch.Events) == 0 && ch.Notice == nil && sameAlert(old, a) {
			continue
		}
		ch.Alert = a
		out = append(out, *ch)
	}
	return out
}

// k2rule is the rule of an alert or finding.
func k2rule(_ string, a *tinhso.Alert, f *Finding) string {
	if f != nil {
		return f.Rule
	}
	return a.Rule
}

// sameAlert reports whether nothing stored of an alert changed.
func sameAlert(a, b *tinhso.Alert) bool {
	return a.Severity == b.Severity && a.OrgUnit == b.OrgUnit && a.Subject == b.Subject && a.Inhibited == b.Inhibited &&
		a.Message.Key == b.Message.Key && messageArgsEqual(a.Message, b.Message) && len(a.Reasons) == len(b.Reasons)
}

func messageArgsEqual(a, b tinhso.Message) bool {
	x, _ := a.Args.MarshalJSON()
	y, _ := b.Args.MarshalJSON()
	return string(x) == string(y)
}

// Target is who an alert's level reaches: the users of org units, and users by id.
type Target struct {
	Units []string
	Users []int64
}

// EscalationTarget says who an alert of unit reaches at level: the unit itself (0),
// its parent unit (1: commune → province, department → the province's committee), its
// supervising leader (2, the nearest one up the unit's parents). A level with nobody
// falls to the next one up; the province's own alerts ("") reach the leaders of
// fallback at every level.
func EscalationTarget(unit string, level int, parents map[string]string, leaders map[string]int64, fallback []int64) Target {
	if unit == "" {
		return Target{Users: fallback}
	}
	switch level {
	case tinhso.LevelUnit:
		return Target{Units: []string{unit}}
	case tinhso.LevelParent:
		if p := parents[unit]; p != "" {
			return Target{Units: []string{p}}
		}
	}
	seen := map[string]bool{}
	for u := unit; u != "" && !seen[u]; u = parents[u] {
		seen[u] = true
		if id := leaders[u]; id != 0 {
			return Target{Users: []int64{id}}
		}
	}
	return Target{Users: fallback}
}
