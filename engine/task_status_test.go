package engine_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/seed"
)

// vn is a moment in Vietnam.
func vn(y, m, d, h int) time.Time { return time.Date(y, time.Month(m), d, h, 0, 0, 0, tinhso.Location) }

var jan2026 = vn(2026, 1, 15, 9) // the clock of most task cases

// task makes a task led by one existing unit, with its deadline parsed from the text.
func task(deadline string) *tinhso.Task {
	t := &tinhso.Task{Key: "doc/t1", Document: "doc", Number: "1", DeadlineText: deadline,
		Lead: []tinhso.AgencyRef{{Code: "so-a", Name: "Sở A", Exists: true}}}
	t.ApplyDeadline()
	return t
}

func pct(n int) *int { return &n }

// report is an approved report of unit so-a for a period, approved at a moment.
func report(period string, percent int, done bool, approved time.Time) tinhso.ProgressReport {
	end, err := engine.PeriodEnd(period)
	if err != nil {
		panic(err)
	}
	return tinhso.ProgressReport{Task: "doc/t1", OrgUnit: "so-a", Period: period, PeriodEnd: end, Percent: pct(percent), Done: done,
		Submission: int64(len(period) * 100), ApprovedAt: approved}
}

// periods opens the periods of a regime (data window closing on the 14th, reports due
// 10 days later, as Nghị định 09/2019 has it) for the given years.
func periods(freq string, years ...int) []tinhso.Period {
	r := &tinhso.Regime{Key: "r", Frequency: freq, CutoffDay: 14, DeadlineDays: 10}
	n := map[string]int{tinhso.FreqMonthly: 12, tinhso.FreqQuarterly: 4, tinhso.FreqYearly: 1}[freq]
	var out []tinhso.Period
	for _, y := range years {
		for i := 1; i <= n; i++ {
			p, err := tinhso.PeriodOf(r, y, i)
			if err != nil {
				panic(err)
			}
			out = append(out, p)
		}
	}
	return out
}

type taskCase struct {
	name     string
	task     *tinhso.Task
	reports  []tinhso.ProgressReport
	periods  []tinhso.Period
	now      time.Time // jan2026 when zero
	rules    engine.TaskRules
	class    string
	flags    []string
	rules1   string   // the rule of the first reason
	states   []string // "Q1/2025:on_time", …
	argsDays int      // the days of the first reason, when it has them
}

func runTaskCases(t *testing.T, cases []taskCase) {
	t.Helper()
	for _, c := range cases {
		now := c.now
		if now.IsZero() {
			now = jan2026
		}
		st := engine.TaskStatus(engine.TaskFacts{Task: c.task, Reports: c.reports, Periods: c.periods}, now, c.rules)
		if c.flags == nil {
			c.flags = []string{}
		}
		if st.Class != c.class || !slices.Equal(st.Flags, c.flags) {
			t.Errorf("%s: %s %v, want %s %v (%s)", c.name, st.Class, st.Flags, c.class, c.flags, reasonKeys(st.Status))
			continue
		}
		if c.rules1 != "" && st.Reasons[0].Rule != c.rules1 {
			t.Errorf("%s: rule %s, want %s", c.name, st.Reasons[0].Rule, c.rules1)
		}
		// One reason for the class and each flag, in order (a class with two readings
		// may carry two).
		classes := []string{st.Class}
		classes = append(classes, st.Flags...)
		var reasonClasses []string
		for _, r := range st.Reasons {
			if len(reasonClasses) == 0 || reasonClasses[len(reasonClasses)-1] != r.Class {
				reasonClasses = append(reasonClasses, r.Class)
			}
			if !strings.HasPrefix(r.Key, "status.task.") {
				t.Errorf("%s: key %q", c.name, r.Key)
			}
		}
		if !slices.Equal(classes, reasonClasses) {
			t.Errorf("%s: reasons for %v, classes %v", c.name, reasonClasses, classes)
		}
		var states []string
		for _, p := range st.Periods {
			states = append(states, p.Period+":"+p.State)
		}
		if !slices.Equal(states, c.states) {
			t.Errorf("%s: periods %v, want %v", c.name, states, c.states)
		}
		if c.argsDays != 0 && st.Reasons[0].Args["days"] != c.argsDays {
			t.Errorf("%s: days %v, want %d", c.name, st.Reasons[0].Args["days"], c.argsDays)
		}
	}
}

// TestTaskDeadlineForms judges a task under every deadline form the seed data holds
// (TestSeedDeadlinesCovered keeps this list complete), on 15 January 2026.
func TestTaskDeadlineForms(t *testing.T) {
	t.Parallel()
	q2025 := periods(tinhso.FreqQuarterly, 2025)
	y2425 := periods(tinhso.FreqYearly, 2024, 2025)
	m2025 := periods(tinhso.FreqMonthly, 2025)
	runTaskCases(t, []taskCase{
		// A month: due on its last day.
		{name: "Tháng 7/2025, nothing reported", task: task("Tháng 7/2025"),
			class: tinhso.TaskOverdue, flags: []string{tinhso.TaskNotStarted}, rules1: "task.overdue.due_date", argsDays: 168},
		{name: "Tháng 07/2025, done in July", task: task("Tháng 07/2025"), reports: []tinhso.ProgressReport{report("Q3/2025", 100, true, vn(2025, 7, 20, 10))},
			class: tinhso.TaskDone, rules1: "task.done"},
		{name: "Tháng 8/2025, done in October", task: task("Tháng 8/2025"), reports: []tinhso.ProgressReport{report("Q3/2025", 100, true, vn(2025, 10, 2, 10))},
			class: tinhso.TaskDoneLate, rules1: "task.done_late", argsDays: 32},
		{name: "Tháng 4/2025, half done", task: task("Tháng 4/2025"), reports: []tinhso.ProgressReport{report("Q2/2025", 50, false, vn(2025, 6, 30, 10))},
			class: tinhso.TaskOverdue, flags: []string{tinhso.TaskInProgress}, argsDays: 260},
		{name: "Tháng 10/2025", task: task("Tháng 10/2025"), reports: []tinhso.ProgressReport{report("Q4/2025", 100, true, vn(2025, 10, 30, 10))},
			class: tinhso.TaskDone},
		{name: "Tháng 12/2025, done on the last day, late at night", task: task("Tháng 12/2025"),
			reports: []tinhso.ProgressReport{report("Q4/2025", 100, true, vn(2025, 12, 31, 23))}, class: tinhso.TaskDone},
		{name: "Tháng 01/2026, due in 16 days", task: task("Tháng 01/2026"), reports: []tinhso.ProgressReport{report("Q4/2025", 40, false, vn(2025, 12, 28, 10))},
			class: tinhso.TaskDueSoon, flags: []string{tinhso.TaskInProgress}, rules1: "task.due_soon.due_date", argsDays: 16},
		{name: "Tháng 02/2026, due in 44 days", task: task("Tháng 02/2026"), class: tinhso.TaskNotStarted, rules1: "task.not_started"},
		{name: "Tháng 4/2026", task: task("Tháng 4/2026"), reports: []tinhso.ProgressReport{report("Q4/2025", 0, false, vn(2025, 12, 28, 10))},
			class: tinhso.TaskNotStarted, rules1: "task.not_started.reported"},
		{name: "Tháng 01/2027", task: task("Tháng 01/2027"), class: tinhso.TaskNotStarted},
		{name: "Tháng 10/2027", task: task("Tháng 10/2027"), reports: []tinhso.ProgressReport{report("Q4/2025", 5, false, vn(2025, 12, 28, 10))},
			class: tinhso.TaskInProgress, rules1: "task.in_progress"},
		{name: "Tháng 01/2029", task: task("Tháng 01/2029"), class: tinhso.TaskNotStarted},
		// A year: due on 31 December; a span of years: on the last one's.
		{name: "Năm 2025, 80% done", task: task("Năm 2025"), reports: []tinhso.ProgressReport{report("Q4/2025", 80, false, vn(2025, 12, 26, 10))},
			class: tinhso.TaskOverdue, flags: []string{tinhso.TaskInProgress}, argsDays: 15},
		{name: "Năm 2026", task: task("Năm 2026"), reports: []tinhso.ProgressReport{report("Q4/2025", 10, false, vn(2025, 12, 26, 10))},
			class: tinhso.TaskInProgress},
		{name: "Năm 2030", task: task("Năm 2030"), class: tinhso.TaskNotStarted},
		{name: "2025 - 2026", task: task("2025 - 2026"), class: tinhso.TaskNotStarted},
		{name: "Năm 2025- 2026, done", task: task("Năm 2025- 2026"), reports: []tinhso.ProgressReport{report("Q4/2025", 100, true, vn(2025, 12, 26, 10))},
			class: tinhso.TaskDone},
		// Ongoing: every period of the regime is due.
		{name: "Thường xuyên, one period late, one missing, the latest on time", task: task("Thường xuyên"), periods: q2025,
			reports: []tinhso.ProgressReport{report("Q1/2025", 20, false, vn(2025, 3, 20, 10)), report("Q2/2025", 40, false, vn(2025, 7, 2, 10)),
				report("Q4/2025", 60, false, vn(2025, 12, 20, 10))},
			class: tinhso.TaskInProgress, states: []string{"Q1/2025:on_time", "Q2/2025:late", "Q3/2025:missing", "Q4/2025:on_time"}},
		{name: "Nhiệm vụ thường xuyên, the latest period missing", task: task("Nhiệm vụ thường xuyên"), periods: q2025,
			reports: []tinhso.ProgressReport{report("Q1/2025", 20, false, vn(2025, 3, 20, 10)), report("Q2/2025", 40, false, vn(2025, 6, 20, 10)),
				report("Q3/2025", 100, true, vn(2025, 9, 20, 10))},
			class: tinhso.TaskOverdue, flags: []string{tinhso.TaskInProgress}, rules1: "task.overdue.period", argsDays: 22,
			states: []string{"Q1/2025:on_time", "Q2/2025:on_time", "Q3/2025:on_time", "Q4/2025:missing"}},
		{name: "Thường xuyên, done this period", task: task("Thường xuyên"), periods: q2025[2:],
			reports: []tinhso.ProgressReport{report("Q3/2025", 100, true, vn(2025, 9, 20, 10)), report("Q4/2025", 100, true, vn(2025, 12, 20, 10))},
			class:   tinhso.TaskDone, rules1: "task.done", states: []string{"Q3/2025:on_time", "Q4/2025:on_time"}},
		{name: "Thường xuyên without a regime: never overdue", task: task("Thường xuyên"), class: tinhso.TaskNotStarted},
		// Yearly: due in the period that holds 31 December (or the month given).
		{name: "Hằng năm, quarterly regime: Q4 is due, done late", task: task("Hằng năm"), periods: q2025,
			reports: []tinhso.ProgressReport{report("Q2/2025", 50, false, vn(2025, 6, 20, 10)), report("Q4/2025", 100, true, vn(2026, 1, 5, 10))},
			class:   tinhso.TaskDoneLate, states: []string{"Q4/2025:late"}, argsDays: 12},
		{name: "Hằng năm, yearly regime, missing", task: task("Hằng năm"), periods: y2425,
			reports: []tinhso.ProgressReport{report("2024", 100, true, vn(2024, 12, 20, 10))},
			class:   tinhso.TaskOverdue, flags: []string{tinhso.TaskInProgress}, states: []string{"2024:on_time", "2025:missing"}},
		{name: "Tháng 11 của năm trước, monthly regime: T11 is due", task: task("Tháng 11 của năm trước"), periods: m2025,
			reports: []tinhso.ProgressReport{report("T11/2025", 100, true, vn(2025, 11, 20, 10))},
			class:   tinhso.TaskDone, states: []string{"T11/2025:on_time"}},
		{name: "Tháng 11 của năm trước, missing", task: task("Tháng 11 của năm trước"), periods: m2025,
			class: tinhso.TaskOverdue, flags: []string{tinhso.TaskNotStarted}, states: []string{"T11/2025:missing"}, argsDays: 52},
		{name: "Năm 2025 và những năm tiếp theo: 2024 is not due", task: task("Năm 2025 và những năm tiếp theo"), periods: y2425,
			reports: []tinhso.ProgressReport{report("2025", 100, true, vn(2026, 1, 5, 10))},
			class:   tinhso.TaskDoneLate, states: []string{"2025:late"}},
		{name: "Từ năm 2025 và các năm tiếp theo, missing", task: task("Từ năm 2025 và các năm tiếp theo"), periods: y2425,
			class: tinhso.TaskOverdue, flags: []string{tinhso.TaskNotStarted}, states: []string{"2025:missing"}},
		// A due date and a recurrence: the 2025 deliverable by its date, 2026–2030 by periods.
		{name: "Năm 2025 và giai đoạn 2026 - 2030, 2025 not delivered", task: task("Năm 2025 và giai đoạn 2026 - 2030"), periods: y2425,
			reports: []tinhso.ProgressReport{report("2025", 70, false, vn(2025, 12, 20, 10))},
			class:   tinhso.TaskOverdue, flags: []string{tinhso.TaskInProgress}, rules1: "task.overdue.due_date", states: nil},
		{name: "Năm 2025 và giai đoạn 2026 - 2030, 2025 delivered", task: task("Năm 2025 và giai đoạn 2026 - 2030"), periods: y2425,
			reports: []tinhso.ProgressReport{report("2025", 100, true, vn(2025, 12, 20, 10))},
			class:   tinhso.TaskDone},
		{name: "Năm 2025 và giai đoạn 2026 - 2030, the 2026 report missing in 2027", task: task("Năm 2025 và giai đoạn 2026 - 2030"),
			periods: periods(tinhso.FreqYearly, 2025, 2026), now: vn(2027, 1, 10, 9),
			reports: []tinhso.ProgressReport{report("2025", 100, true, vn(2025, 12, 20, 10))},
			class:   tinhso.TaskOverdue, flags: []string{tinhso.TaskInProgress}, rules1: "task.overdue.period", states: []string{"2026:missing"}},
		// No deadline: never overdue, however late it is.
		{name: "no deadline", task: task(""), now: vn(2040, 1, 1, 9), class: tinhso.TaskNotStarted},
		{name: "no deadline, done", task: task(""), reports: []tinhso.ProgressReport{report("Q4/2025", 100, true, vn(2025, 12, 20, 10))},
			class: tinhso.TaskDone, rules1: "task.done.no_deadline"},
	})
}

// TestTaskPrecedence: the first class that applies is the class, the others are flags.
func TestTaskPrecedence(t *testing.T) {
	t.Parallel()
	unassigned := func(deadline string) *tinhso.Task { x := task(deadline); x.Lead, x.Unassigned = nil, true; return x }
	gone := func(deadline string, successors ...string) *tinhso.Task {
		x := task(deadline)
		x.Lead = []tinhso.AgencyRef{{Code: "so-cu", Name: "Sở Cũ", Exists: false, Dissolved: "2025-07-01", Successors: successors}}
		return x
	}
	q := periods(tinhso.FreqQuarterly, 2025, 2026)
	runTaskCases(t, []taskCase{
		{name: "done before unassigned", task: unassigned("Năm 2025"), reports: []tinhso.ProgressReport{report("Q4/2025", 100, true, vn(2025, 12, 1, 9))},
			class: tinhso.TaskDone, flags: []string{tinhso.TaskUnassigned}},
		{name: "unassigned before overdue", task: unassigned("Năm 2025"),
			class: tinhso.TaskUnassigned, flags: []string{tinhso.TaskOverdue, tinhso.TaskNotStarted}},
		{name: "unassigned, no deadline", task: unassigned(""), class: tinhso.TaskUnassigned, flags: []string{tinhso.TaskNotStarted}},
		{name: "unowned before due soon", task: gone("Tháng 01/2026"),
			class: tinhso.TaskUnowned, flags: []string{tinhso.TaskDueSoon, tinhso.TaskNotStarted}},
		{name: "a gone owner with a successor is an owner", task: gone("Tháng 01/2026", "so-moi"),
			class: tinhso.TaskDueSoon, flags: []string{tinhso.TaskNotStarted}},
		{name: "one owner of two gone: still owned", task: func() *tinhso.Task {
			x := gone("Tháng 01/2026")
			x.Lead = append(x.Lead, tinhso.AgencyRef{Code: "so-a", Exists: true})
			return x
		}(), class: tinhso.TaskDueSoon, flags: []string{tinhso.TaskNotStarted}},
		{name: "done_late before unowned", task: gone("Tháng 7/2025"), reports: []tinhso.ProgressReport{report("Q3/2025", 100, true, vn(2025, 9, 1, 9))},
			class: tinhso.TaskDoneLate, flags: []string{tinhso.TaskUnowned}},
		{name: "overdue before due soon (a recurring task: Q4 missing, Q1 due in 4 days)", task: task("Thường xuyên"), periods: q,
			now: vn(2026, 3, 20, 9), reports: []tinhso.ProgressReport{report("Q3/2025", 30, false, vn(2025, 9, 20, 9))},
			class: tinhso.TaskOverdue, flags: []string{tinhso.TaskDueSoon, tinhso.TaskInProgress},
			states: []string{"Q1/2025:missing", "Q2/2025:missing", "Q3/2025:on_time", "Q4/2025:missing"}},
		{name: "due soon before in progress", task: task("Tháng 01/2026"), reports: []tinhso.ProgressReport{report("Q4/2025", 90, false, vn(2025, 12, 20, 9))},
			class: tinhso.TaskDueSoon, flags: []string{tinhso.TaskInProgress}},
		{name: "a recurring period reported early is not due soon", task: task("Thường xuyên"), periods: q[4:5], now: vn(2026, 3, 10, 9),
			reports: []tinhso.ProgressReport{report("Q1/2026", 30, false, vn(2026, 3, 5, 9))},
			class:   tinhso.TaskInProgress, states: []string{"Q1/2026:on_time"}},
		{name: "a recurring period not reported is due soon", task: task("Thường xuyên"), periods: q[4:5], now: vn(2026, 3, 10, 9),
			class: tinhso.TaskDueSoon, flags: []string{tinhso.TaskNotStarted}, rules1: "task.due_soon.period", argsDays: 14},
	})
}

// TestTaskEdges: the boundaries of each rule, and reports from several units.
func TestTaskEdges(t *testing.T) {
	t.Parallel()
	two := func(deadline string) *tinhso.Task {
		x := task(deadline)
		x.Lead = append(x.Lead, tinhso.AgencyRef{Code: "so-b", Exists: true})
		return x
	}
	byB := func(r tinhso.ProgressReport) tinhso.ProgressReport { r.OrgUnit = "so-b"; return r }
	runTaskCases(t, []taskCase{
		{name: "due today: not overdue, due soon", task: task("Tháng 01/2026"), now: vn(2026, 1, 31, 23),
			class: tinhso.TaskDueSoon, flags: []string{tinhso.TaskNotStarted}, argsDays: 0},
		{name: "the day after: overdue (Vietnamese days, whatever the server's zone)", task: task("Tháng 01/2026"),
			now: time.Date(2026, 1, 31, 17, 30, 0, 0, time.UTC), class: tinhso.TaskOverdue, flags: []string{tinhso.TaskNotStarted}, argsDays: 1},
		{name: "30 days ahead: due soon", task: task("Tháng 01/2026"), now: vn(2026, 1, 1, 9),
			class: tinhso.TaskDueSoon, flags: []string{tinhso.TaskNotStarted}, argsDays: 30},
		{name: "31 days ahead: not yet", task: task("Tháng 01/2026"), now: vn(2025, 12, 31, 9), class: tinhso.TaskNotStarted},
		{name: "the window is configurable", task: task("Tháng 01/2026"), rules: engine.TaskRules{DueSoonDays: 10}, class: tinhso.TaskNotStarted},
		{name: "approved on the due day in Vietnam: on time", task: task("Tháng 7/2025"),
			reports: []tinhso.ProgressReport{report("Q3/2025", 100, true, time.Date(2025, 7, 31, 16, 30, 0, 0, time.UTC))}, class: tinhso.TaskDone},
		{name: "approved at 17:00 UTC, already 1 August in Vietnam: late", task: task("Tháng 7/2025"),
			reports: []tinhso.ProgressReport{report("Q3/2025", 100, true, time.Date(2025, 7, 31, 17, 0, 0, 0, time.UTC))},
			class:   tinhso.TaskDoneLate, argsDays: 1},
		{name: "done, then reported undone: not done", task: task("Năm 2026"),
			reports: []tinhso.ProgressReport{report("Q3/2025", 100, true, vn(2025, 9, 20, 9)), report("Q4/2025", 90, false, vn(2025, 12, 20, 9))},
			class:   tinhso.TaskInProgress},
		{name: "reports in any order: the latest period counts", task: task("Năm 2026"),
			reports: []tinhso.ProgressReport{report("Q4/2025", 100, true, vn(2025, 12, 20, 9)), report("Q3/2025", 60, false, vn(2025, 12, 22, 9))},
			class:   tinhso.TaskDone},
		{name: "two leads, one done: in progress", task: two("Năm 2025"),
			reports: []tinhso.ProgressReport{report("Q4/2025", 100, true, vn(2025, 12, 20, 9)), byB(report("Q4/2025", 50, false, vn(2025, 12, 20, 9)))},
			class:   tinhso.TaskOverdue, flags: []string{tinhso.TaskInProgress}},
		{name: "two leads, both done, the second late", task: two("Năm 2025"),
			reports: []tinhso.ProgressReport{report("Q4/2025", 100, true, vn(2025, 12, 20, 9)), byB(report("Q4/2025", 50, false, vn(2025, 12, 20, 9))),
				byB(report("Q1/2026", 100, true, vn(2026, 1, 10, 9)))},
			class: tinhso.TaskDoneLate, argsDays: 10},
		{name: "no percent, not done: not started", task: task("Năm 2026"),
			reports: []tinhso.ProgressReport{{Task: "doc/t1", OrgUnit: "so-a", Period: "Q4/2025", ApprovedAt: vn(2025, 12, 20, 9)}},
			class:   tinhso.TaskNotStarted, rules1: "task.not_started.reported"},
	})
}

// TestSeedDeadlinesCovered: every deadline written in the seed's tasks is a case of
// TestTaskDeadlineForms (by its text), and parses.
func TestSeedDeadlinesCovered(t *testing.T) {
	t.Parallel()
	set, err := seed.Read()
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{"": true}
	for _, text := range []string{"Tháng 7/2025", "Tháng 07/2025", "Tháng 8/2025", "Tháng 4/2025", "Tháng 10/2025", "Tháng 12/2025",
		"Tháng 01/2026", "Tháng 02/2026", "Tháng 4/2026", "Tháng 01/2027", "Tháng 10/2027", "Tháng 01/2029", "Năm 2025", "Năm 2026",
		"Năm 2030", "2025 - 2026", "Năm 2025- 2026", "Thường xuyên", "Nhiệm vụ thường xuyên", "Hằng năm", "Tháng 11 của năm trước",
		"Năm 2025 và những năm tiếp theo", "Từ năm 2025 và các năm tiếp theo", "Năm 2025 và giai đoạn 2026 - 2030"} {
		covered[text] = true
	}
	seen := map[string]bool{}
	for _, st := range set.Tasks {
		if seen[st.DeadlineText] {
			continue
		}
		seen[st.DeadlineText] = true
		if !covered[st.DeadlineText] {
			t.Errorf("task %s: deadline %q is not a case of TestTaskDeadlineForms", st.ID, st.DeadlineText)
		}
		if d := tinhso.ParseDeadline(st.DeadlineText); slices.Contains(d.Flags, tinhso.FlagUnparsed) {
			t.Errorf("task %s: deadline %q does not parse", st.ID, st.DeadlineText)
		}
	}
	if len(seen) < 20 {
		t.Errorf("only %d deadline forms in the seed", len(seen))
	}
}

// TestTaskStatusJSON pins the names independent checks read.
func TestTaskStatusJSON(t *testing.T) {
	t.Parallel()
	st := engine.TaskStatus(engine.TaskFacts{Task: task("Thường xuyên"), Periods: periods(tinhso.FreqQuarterly, 2025)}, jan2026, engine.TaskRules{})
	b, _ := json.Marshal(st)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"class", "flags", "reasons", "periods"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, b)
		}
	}
	p := m["periods"].([]any)[3].(map[string]any)
	if p["period"] != "Q4/2025" || p["state"] != "missing" || p["due"] != "2025-12-24" {
		t.Errorf("period %v", p)
	}
	r := m["reasons"].([]any)[0].(map[string]any)
	if r["class"] != "overdue" || r["key"] != "status.task.overdue_period" || r["rule"] != "task.overdue.period" {
		t.Errorf("reason %v", r)
	}
	plain, _ := json.Marshal(engine.TaskStatus(engine.TaskFacts{Task: task("")}, jan2026, engine.TaskRules{}))
	if !strings.Contains(string(plain), `"flags":[]`) || !strings.Contains(string(plain), `"periods":[]`) {
		t.Errorf("no deadline: %s", plain)
	}
}

// TestTaskStatuses judges a batch as the app loads it.
func TestTaskStatuses(t *testing.T) {
	t.Parallel()
	a, b, c := task("Năm 2025"), task("Thường xuyên"), task("")
	b.Key, c.Key, c.Document = "doc/t2", "other/t1", "other"
	rs := []tinhso.ProgressReport{report("Q4/2025", 100, true, vn(2025, 12, 20, 9))}
	r2 := report("Q4/2025", 10, false, vn(2025, 12, 20, 9))
	r2.Task = "doc/t2"
	got := engine.TaskStatuses([]*tinhso.Task{a, b, c}, append(rs, r2), map[string][]tinhso.Period{"doc": periods(tinhso.FreqQuarterly, 2025)},
		jan2026, engine.TaskRules{})
	for key, want := range map[string]string{"doc/t1": tinhso.TaskDone, "doc/t2": tinhso.TaskInProgress, "other/t1": tinhso.TaskNotStarted} {
		if got[key].Class != want {
			t.Errorf("%s: %s (%s), want %s", key, got[key].Class, reasonKeys(got[key].Status), want)
		}
	}
	if n := len(got["doc/t2"].Periods); n != 4 {
		t.Errorf("doc/t2: %d periods", n)
	}
}

func TestPeriodEnd(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"Q1/2026": "2026-03-31", "Q4/2024": "2024-12-31", "2024": "2024-12-31",
		"T2/2024": "2024-02-29", "T2/2025": "2025-02-28", "T11/2025": "2025-11-30", "6T/2026": "2026-06-30", "9T/2026": "2026-09-30",
		"2026-05-17": "2026-05-17"} {
		if got, err := engine.PeriodEnd(in); err != nil || got != want {
			t.Errorf("PeriodEnd(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "Q5/2026", "T13/2026", "2026-02-30", "năm 2026", "Q1/26"} {
		if got, err := engine.PeriodEnd(bad); err == nil {
			t.Errorf("PeriodEnd(%q) = %q", bad, got)
		}
	}
}

func ExampleTaskStatus() {
	t := &tinhso.Task{Key: "25-kh-ubnd/t1", DeadlineText: "Tháng 7/2025", Lead: []tinhso.AgencyRef{{Code: "so-a", Exists: true}}}
	t.ApplyDeadline()
	st := engine.TaskStatus(engine.TaskFacts{Task: t}, time.Date(2025, 8, 10, 9, 0, 0, 0, tinhso.Location), engine.TaskRules{})
	fmt.Println(st.Class, st.Flags, st.Reasons[0].Key, st.Reasons[0].Args)
	// Output: overdue [not_started] status.task.overdue map[days:10 due:2025-07-31]
}
