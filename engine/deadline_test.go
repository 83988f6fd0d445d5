package engine_test

import (
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

func TestDeadlineState(t *testing.T) {
	t.Parallel()
	yearly := &tinhso.Recurrence{Freq: tinhso.RecurYearly}
	d := engine.DeadlinesOn("2026-03-02")
	if d.Soon != "2026-04-01" {
		t.Fatalf("soon day of 2026-03-02: %s", d.Soon)
	}
	for _, c := range []struct {
		task tinhso.Task
		want string
	}{
		{tinhso.Task{DueDate: "2026-03-01"}, engine.DeadlineOverdue},
		{tinhso.Task{DueDate: "2026-03-02"}, engine.DeadlineSoon}, // due today is not late yet
		{tinhso.Task{DueDate: "2026-04-01"}, engine.DeadlineSoon},
		{tinhso.Task{DueDate: "2026-04-02"}, engine.DeadlineLater},
		{tinhso.Task{DueDate: "2025-12-31", Recurrence: yearly}, engine.DeadlineOverdue}, // the due date rules
		{tinhso.Task{Recurrence: yearly}, engine.DeadlineRecurring},
		{tinhso.Task{}, engine.DeadlineNone},
	} {
		if got := d.State(&c.task); got != c.want {
			t.Errorf("%+v on %s: %s, want %s", c.task, d.Today, got, c.want)
		}
	}
	if got := engine.SoonDay("not a date"); got != "not a date" {
		t.Errorf("soon day of a bad date: %q", got)
	}
}

func TestPunctuality(t *testing.T) {
	t.Parallel()
	p := &tinhso.Period{Due: "2026-03-24"}
	// 23:30 on the due day in Hà Nội is 16:30 UTC: on time.
	onTime := tinhso.Submission{Status: tinhso.StatusSubmitted, SubmittedAt: ptr(mustTime(t, "2026-03-24T16:30:00Z"))}
	late := tinhso.Submission{Status: tinhso.StatusApproved, SubmittedAt: ptr(mustTime(t, "2026-03-24T17:30:00Z"))}
	returnedLate := tinhso.Submission{Status: tinhso.StatusReturned, SubmittedAt: ptr(mustTime(t, "2026-03-25T01:00:00Z"))}
	for _, c := range []struct {
		name  string
		s     tinhso.Submission
		p     *tinhso.Period
		today string
		want  string
	}{
		{"submitted on the due day (province time)", onTime, p, "2026-04-10", engine.PunctOnTime},
		{"submitted the day after", late, p, "2026-04-10", engine.PunctLate},
		{"returned after a late submission", returnedLate, p, "2026-04-10", engine.PunctLate},
		{"draft, due today", tinhso.Submission{Status: tinhso.StatusDraft}, p, "2026-03-24", engine.PunctPending},
		{"draft, due yesterday", tinhso.Submission{Status: tinhso.StatusDraft}, p, "2026-03-25", engine.PunctOverdue},
		{"draft with an old submission time", tinhso.Submission{Status: tinhso.StatusDraft, SubmittedAt: onTime.SubmittedAt}, p, "2026-03-25", engine.PunctOverdue},
		{"no period", onTime, nil, "2026-03-25", engine.PunctPending},
	} {
		if got := engine.Punctuality(&c.s, c.p, c.today); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	for _, c := range []struct{ n, of, want int }{{0, 0, 0}, {1, 3, 33}, {2, 3, 67}, {1, 2, 50}, {3, 3, 100}} {
		if got := engine.Percent(c.n, c.of); got != c.want {
			t.Errorf("Percent(%d, %d) = %d, want %d", c.n, c.of, got, c.want)
		}
	}
}

// Approved progress finishes a task: done by its due date, done late after it, never
// overdue; a unit that has not said done, or said done and then less, keeps it open.
func TestStateOf(t *testing.T) {
	t.Parallel()
	dl := engine.DeadlinesOn("2026-04-01")
	task := &tinhso.Task{Key: "kh/t1", DueDate: "2026-03-31"}
	pct := func(n int) *int { return &n }
	at := func(day string) time.Time {
		d, _ := time.ParseInLocation("2006-01-02", day, tinhso.Location)
		return d.Add(10 * time.Hour)
	}
	done := func(unit, day string) tinhso.ProgressReport {
		return tinhso.ProgressReport{Task: "kh/t1", OrgUnit: unit, Percent: pct(100), Done: true, ApprovedAt: at(day)}
	}
	half := func(unit, day string) tinhso.ProgressReport {
		return tinhso.ProgressReport{Task: "kh/t1", OrgUnit: unit, Percent: pct(50), ApprovedAt: at(day)}
	}
	for _, c := range []struct {
		name    string
		reports []tinhso.ProgressReport
		want    string
	}{
		{"no report", nil, engine.DeadlineOverdue},
		{"half done", []tinhso.ProgressReport{half("a", "2026-03-20")}, engine.DeadlineOverdue},
		{"done on time", []tinhso.ProgressReport{done("a", "2026-03-20")}, engine.DeadlineDone},
		{"done on the due date", []tinhso.ProgressReport{done("a", "2026-03-31")}, engine.DeadlineDone},
		{"done late", []tinhso.ProgressReport{done("a", "2026-04-01")}, engine.DeadlineDoneLate},
		{"one of two units done", []tinhso.ProgressReport{done("a", "2026-03-20"), half("b", "2026-03-21")}, engine.DeadlineOverdue},
		{"both done, the second late", []tinhso.ProgressReport{done("a", "2026-03-20"), done("b", "2026-04-01")}, engine.DeadlineDoneLate},
		{"done, then less", []tinhso.ProgressReport{done("a", "2026-03-20"), half("a", "2026-03-25")}, engine.DeadlineOverdue},
	} {
		if got := dl.StateOf(task, c.reports); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if got := dl.StateOf(&tinhso.Task{Key: "kh/t2"}, []tinhso.ProgressReport{done("a", "2026-03-20")}); got != engine.DeadlineDone {
		t.Errorf("a task without a due date, done: %s", got)
	}
}
