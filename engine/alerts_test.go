package engine_test

import (
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, tinhso.Location)
	if err != nil {
		panic(err)
	}
	return t
}

func builtin(kind string) *tinhso.AlertRule {
	for _, r := range engine.BuiltinRules() {
		if r.Kind == kind {
			return &r
		}
	}
	panic(kind)
}

func TestEvaluateTasks(t *testing.T) {
	t.Parallel()
	tasks := []*tinhso.Task{
		{Key: "d/1", Document: "d", Number: "1", Title: "Late task", DueDate: "2026-03-01",
			Lead: []tinhso.AgencyRef{{Code: "so-a", Exists: true}, {Code: "old", Exists: false, Successors: []string{"so-b"}}}},
		{Key: "d/2", Document: "d", Number: "2", Title: "Soon task", DueDate: "2026-03-20", Lead: []tinhso.AgencyRef{{Code: "so-a", Exists: true}}},
		{Key: "d/3", Document: "d", Number: "3", Title: "Far task", DueDate: "2027-01-01", Lead: []tinhso.AgencyRef{{Code: "so-a", Exists: true}}},
		{Key: "d/4", Document: "d", Number: "4", Title: "Orphan", DueDate: "2027-01-01", Lead: []tinhso.AgencyRef{{Code: "gone", Exists: false}}},
		{Key: "e/1", Document: "e", Number: "1", Title: "Other document", DueDate: "2026-01-01", Lead: []tinhso.AgencyRef{{Code: "so-a", Exists: true}}},
	}
	now := at("2026-03-10 09:00")
	scoped := builtin(tinhso.RuleTaskOverdue)
	scoped.Key, scoped.Builtin, scoped.Document, scoped.OrgUnit = "mine", false, "d", "so-b"
	disabled := builtin(tinhso.RuleTaskDueSoon)
	disabled.Key, disabled.Enabled = "off", false
	ten := 5.0
	narrow := builtin(tinhso.RuleTaskDueSoon)
	narrow.Key, narrow.Threshold = "narrow", &ten
	cases := []struct {
		name  string
		rules []*tinhso.AlertRule
		want  []string
	}{
		{"overdue per lead unit, successors answer for a gone unit", []*tinhso.AlertRule{builtin(tinhso.RuleTaskOverdue)},
			[]string{"builtin.task_overdue|task:d/1|so-a", "builtin.task_overdue|task:d/1|so-b", "builtin.task_overdue|task:e/1|so-a"}},
		{"due soon within 30 days", []*tinhso.AlertRule{builtin(tinhso.RuleTaskDueSoon)}, []string{"builtin.task_due_soon|task:d/2|so-a"}},
		{"due soon within a rule's 5 days: none", []*tinhso.AlertRule{narrow}, nil},
		{"owner gone without successor: the province's", []*tinhso.AlertRule{builtin(tinhso.RuleOwnerGone)}, []string{"builtin.owner_gone|task:d/4|"}},
		{"scoped by document and unit", []*tinhso.AlertRule{scoped}, []string{"mine|task:d/1|so-b"}},
		{"disabled rules find nothing", []*tinhso.AlertRule{disabled}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := engine.Evaluate(c.rules, engine.RuleFacts{Tasks: tasks}, now)
			var keys []string
			for _, f := range got {
				keys = append(keys, f.Key)
				if f.Message.Key == "" || f.Subject.Kind != "task" || len(f.Reasons) == 0 {
					t.Errorf("%s: message %q, subject %+v, reasons %d", f.Key, f.Message.Key, f.Subject, len(f.Reasons))
				}
			}
			if !equal(keys, c.want) {
				t.Errorf("got %q, want %q", keys, c.want)
			}
		})
	}
}

func TestEvaluateMissingAndThreshold(t *testing.T) {
	t.Parallel()
	v1, v2 := 40.0, 20.0
	inds := []*tinhso.Indicator{{Key: "d/i1", Code: "1", Document: "d", Name: "Share online", Agencies: []tinhso.AgencyRef{{Code: "so-a", Exists: true}}}}
	figs := []tinhso.IndicatorFigure{{Indicator: "d/i1", Date: "2025-12-31", Value: &v1, Source: "report"}, {Indicator: "d/i1", Date: "2026-03-31", Value: &v2, Source: "report"}}
	th := 30.0
	rule := &tinhso.AlertRule{Key: "low", Kind: tinhso.RuleIndicatorThreshold, Severity: tinhso.SeverityCritical, Enabled: true, Indicator: "d/i1", Op: "lt", Threshold: &th}
	missing := []tinhso.MissingReport{{Submission: 7, OrgUnit: "xa-b", Period: "Q1/2026", Regime: "quy", Due: "2026-04-10"}}
	got := engine.Evaluate([]*tinhso.AlertRule{rule, builtin(tinhso.RuleReportMissing)},
		engine.RuleFacts{Indicators: inds, Figures: figs, Missing: missing}, at("2026-04-15 08:00"))
	if len(got) != 2 || got[0].Key != "builtin.report_missing|submission:7|xa-b" || got[1].Key != "low|indicator:d/i1|so-a" {
		t.Fatalf("got %+v", got)
	}
	if got[1].Severity != tinhso.SeverityCritical || got[0].Message.Key != "alert.msg.report_missing" {
		t.Errorf("severity %s, message %s", got[1].Severity, got[0].Message.Key)
	}
	th = 10
	if got := engine.Evaluate([]*tinhso.AlertRule{rule}, engine.RuleFacts{Indicators: inds, Figures: figs}, at("2026-04-15 08:00")); len(got) != 0 {
		t.Errorf("20 is not below 10, got %+v", got)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// step runs Advance and applies its changes to the stored alerts, as the use-case does.
type world struct {
	alerts   map[string]*tinhso.Alert
	silences []*tinhso.Silence
	rules    []*tinhso.AlertRule
	nextID   int64
}

func (w *world) step(t *testing.T, now time.Time, findings ...engine.Finding) []engine.Change {
	t.Helper()
	ev := map[string]bool{}
	for _, r := range w.rules {
		ev[r.Key] = true
	}
	chs := engine.Advance(w.alerts, findings, w.rules, ev, w.silences, now)
	for _, c := range chs {
		if c.Alert.ID == 0 {
			w.nextID++
			c.Alert.ID = w.nextID
		}
		w.alerts[c.Alert.Key] = c.Alert
		for _, id := range c.EndSilences {
			for _, s := range w.silences {
				if s.ID == id {
					e := now
					s.EndedAt = &e
				}
			}
		}
	}
	return chs
}

func notices(chs []engine.Change) []string {
	var out []string
	for _, c := range chs {
		if c.Notice != nil {
			out = append(out, c.Notice.Event+":"+string(rune('0'+c.Notice.Level)))
		}
	}
	return out
}

func TestAdvanceLifecycle(t *testing.T) {
	t.Parallel()
	r := builtin(tinhso.RuleTaskOverdue) // escalation 72h, repeat 24h
	w := &world{alerts: map[string]*tinhso.Alert{}, rules: []*tinhso.AlertRule{r}}
	f := engine.Finding{Key: "k", Rule: r.Key, Kind: r.Kind, Severity: r.Severity, OrgUnit: "xa", Subject: tinhso.AlertSubject{Kind: "task", Key: "d/1"},
		Message: tinhso.M("alert.msg.overdue", map[string]any{"number": "1"})}
	t0 := at("2026-03-02 08:00")
	steps := []struct {
		name    string
		at      time.Time
		finding bool
		do      func()
		want    []string
		state   string
		level   int
	}{
		{"opens and notifies the unit", t0, true, nil, []string{"opened:0"}, tinhso.AlertOpen, 0},
		{"the same sweep again sends nothing", t0, true, nil, nil, tinhso.AlertOpen, 0},
		{"a day later: repeated", t0.Add(24 * time.Hour), true, nil, []string{"repeated:0"}, tinhso.AlertOpen, 0},
		{"72 h unanswered: the parent unit", t0.Add(72 * time.Hour), true, nil, []string{"escalated:1"}, tinhso.AlertOpen, 1},
		{"72 h more: the supervising leader", t0.Add(144 * time.Hour), true, nil, []string{"escalated:2"}, tinhso.AlertOpen, 2},
		{"no level above the leader: repeats", t0.Add(216 * time.Hour), true, nil, []string{"repeated:2"}, tinhso.AlertOpen, 2},
		{"the condition clears: resolved, told", t0.Add(217 * time.Hour), false, nil, []string{"resolved:2"}, tinhso.AlertResolved, 2},
		{"it returns: reopened at level 0", t0.Add(218 * time.Hour), true, nil, []string{"reopened:0"}, tinhso.AlertOpen, 0},
		{"acknowledged: no escalation, no repeat", t0.Add(400 * time.Hour), true, func() {
			a := w.alerts["k"]
			a.State = tinhso.AlertAcknowledged
		}, nil, tinhso.AlertAcknowledged, 0},
	}
	for _, s := range steps {
		if s.do != nil {
			s.do()
		}
		var fs []engine.Finding
		if s.finding {
			fs = append(fs, f)
		}
		got := notices(w.step(t, s.at, fs...))
		a := w.alerts["k"]
		if !equal(got, s.want) || a.State != s.state || a.EscalationLevel != s.level {
			t.Errorf("%s: notices %q state %s level %d; want %q %s %d", s.name, got, a.State, a.EscalationLevel, s.want, s.state, s.level)
		}
	}
	if w.alerts["k"].Reopened != 1 {
		t.Errorf("reopened %d times, want 1", w.alerts["k"].Reopened)
	}
}

func TestAdvanceSilenceAndInhibition(t *testing.T) {
	t.Parallel()
	crit, warn := builtin(tinhso.RuleTaskOverdue), builtin(tinhso.RuleTaskDueSoon)
	warn.Severity = tinhso.SeverityWarning
	w := &world{alerts: map[string]*tinhso.Alert{}, rules: []*tinhso.AlertRule{crit, warn}}
	t0 := at("2026-03-02 08:00")
	end := t0.Add(48 * time.Hour)
	w.silences = []*tinhso.Silence{{ID: 1, OrgUnit: "xa", EndsAt: &end, Reason: "đang xử lý"}}
	fa := engine.Finding{Key: "a", Rule: crit.Key, Severity: crit.Severity, OrgUnit: "xa", Subject: tinhso.AlertSubject{Kind: "task", Key: "d/1"}}
	fb := engine.Finding{Key: "b", Rule: warn.Key, Severity: warn.Severity, OrgUnit: "yb", Subject: tinhso.AlertSubject{Kind: "task", Key: "d/2"}}
	fc := engine.Finding{Key: "c", Rule: warn.Key, Severity: warn.Severity, OrgUnit: "yb", Subject: tinhso.AlertSubject{Kind: "task", Key: "d/2"}}
	fc.Key, fc.Severity = "c", tinhso.SeverityInfo
	if got := notices(w.step(t, t0, fa, fb, fc)); !equal(got, []string{"opened:0"}) {
		t.Fatalf("a silenced, c inhibited by b: want only b's notice, got %q", got)
	}
	if a := w.alerts["a"]; a.Silenced == nil || a.Silenced.Silence != 1 || a.NotifiedAt != nil {
		t.Errorf("a: silenced %+v notified %v", a.Silenced, a.NotifiedAt)
	}
	if !w.alerts["c"].Inhibited || w.alerts["b"].Inhibited {
		t.Errorf("inhibited: b %v c %v", w.alerts["b"].Inhibited, w.alerts["c"].Inhibited)
	}
	// 72 h later the silence has ended: a is sent at level 0 (it did not climb while
	// silenced), b climbs.
	got := notices(w.step(t, t0.Add(72*time.Hour), fa, fb, fc))
	if !equal(got, []string{"opened:0", "escalated:1"}) {
		t.Errorf("after the silence: %q", got)
	}
	// Mute until resolved: held while open, ended when resolved, nothing sent.
	w.silences = append(w.silences, &tinhso.Silence{ID: 2, Alert: w.alerts["b"].ID, UntilResolved: true, Reason: "chờ"})
	if got := notices(w.step(t, t0.Add(200*time.Hour), fa, fb, fc)); !equal(got, []string{"escalated:1"}) {
		t.Errorf("b muted, a climbs: %q", got)
	}
	chs := w.step(t, t0.Add(201*time.Hour), fa)
	if got := notices(chs); !equal(got, []string{}) && got != nil {
		t.Errorf("b resolves muted: no notice, got %q", got)
	}
	if w.alerts["b"].State != tinhso.AlertResolved || w.silences[1].EndedAt == nil {
		t.Errorf("b %s, silence ended %v", w.alerts["b"].State, w.silences[1].EndedAt)
	}
}

func TestRuleTimings(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                string
		eval, repeat, delay time.Duration
		field               string
	}{
		{"defaults", 15 * time.Minute, 24 * time.Hour, 72 * time.Hour, ""},
		{"never repeat nor escalate", time.Hour, 0, 0, ""},
		{"evaluation too often", 30 * time.Second, 0, 0, "eval_interval"},
		{"evaluation too rare", 48 * time.Hour, 0, 0, "eval_interval"},
		{"repeat shorter than evaluation", time.Hour, 30 * time.Minute, 0, "repeat_interval"},
		{"escalation shorter than evaluation", time.Hour, 0, 10 * time.Minute, "escalation_delay"},
		{"escalation beyond 90 days", time.Hour, 0, 91 * 24 * time.Hour, "escalation_delay"},
	}
	for _, c := range cases {
		r := builtin(tinhso.RuleTaskOverdue)
		r.EvalInterval, r.RepeatInterval, r.EscalationDelay = tinhso.Duration(c.eval), tinhso.Duration(c.repeat), tinhso.Duration(c.delay)
		err := r.Validate()
		var e *tinhso.Error
		if c.field == "" && err != nil || c.field != "" && (err == nil || !asError(err, &e) || e.Field != c.field) {
			t.Errorf("%s: %v, want field %q", c.name, err, c.field)
		}
	}
}

func asError(err error, e **tinhso.Error) bool {
	x, ok := err.(*tinhso.Error)
	*e = x
	return ok
}

func TestEscalationTarget(t *testing.T) {
	t.Parallel()
	parents := map[string]string{"xa-a": "tinh", "so-b": "tinh", "tinh": ""}
	leaders := map[string]int64{"tinh": 9, "so-b": 5}
	cases := []struct {
		unit  string
		level int
		units []string
		users []int64
	}{
		{"xa-a", 0, []string{"xa-a"}, nil},
		{"xa-a", 1, []string{"tinh"}, nil},
		{"xa-a", 2, nil, []int64{9}}, // the nearest leader up the parents
		{"so-b", 2, nil, []int64{5}},
		{"tinh", 1, nil, []int64{9}}, // no parent: the leader
		{"lone", 2, nil, []int64{1, 2}},
		{"", 0, nil, []int64{1, 2}},
	}
	for _, c := range cases {
		got := engine.EscalationTarget(c.unit, c.level, parents, leaders, []int64{1, 2})
		if !equal(got.Units, c.units) || len(got.Users) != len(c.users) || len(c.users) > 0 && got.Users[0] != c.users[0] {
			t.Errorf("%s level %d: %+v", c.unit, c.level, got)
		}
	}
}

func TestRulesDue(t *testing.T) {
	t.Parallel()
	now := at("2026-03-02 08:00")
	just, long := now.Add(-5*time.Minute), now.Add(-15*time.Minute)
	r := func(key string, enabled bool, last *time.Time, kind string) *tinhso.AlertRule {
		return &tinhso.AlertRule{Key: key, Kind: kind, Enabled: enabled, EvalInterval: tinhso.Duration(15 * time.Minute), EvaluatedAt: last}
	}
	rules := []*tinhso.AlertRule{
		r("never", true, nil, tinhso.RuleTaskOverdue),
		r("just", true, &just, tinhso.RuleTaskOverdue),
		r("long", true, &long, tinhso.RuleTaskDueSoon),
		r("off", false, nil, tinhso.RuleTaskOverdue),
		r("series", true, nil, tinhso.RuleSeriesThreshold), // evaluated with the live data
	}
	for _, c := range []struct {
		all  bool
		want []string
	}{{false, []string{"never", "long"}}, {true, []string{"never", "just", "long"}}} {
		due, keys := engine.RulesDue(rules, now, c.all)
		var got []string
		for _, d := range due {
			got = append(got, d.Key)
			if !keys[d.Key] {
				t.Errorf("%s due but not in the keys", d.Key)
			}
		}
		if !equal(got, c.want) || len(keys) != len(c.want) {
			t.Errorf("all=%v: %q, want %q", c.all, got, c.want)
		}
	}
}
