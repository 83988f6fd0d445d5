package engine_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

func TestTransition(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 20, 3, 0, 0, 0, time.UTC)
	before := now.Add(-48 * time.Hour)
	open, closed := &tinhso.Period{Status: "open"}, &tinhso.Period{Status: "closed"}
	for _, c := range []struct {
		name       string
		s          tinhso.Submission
		p          *tinhso.Period
		transition string
		reason     string
		code       string
		want       tinhso.SubmissionState
	}{
		{"submit a draft", tinhso.Submission{Status: tinhso.StatusDraft}, open, tinhso.TransSubmit, "", "",
			tinhso.SubmissionState{Status: tinhso.StatusSubmitted, SubmittedAt: &now}},
		{"resubmit a returned one", tinhso.Submission{Status: tinhso.StatusReturned, ReturnReason: "sai", Resubmitted: 1, SubmittedAt: &before}, open, tinhso.TransSubmit, "", "",
			tinhso.SubmissionState{Status: tinhso.StatusSubmitted, ReturnReason: "sai", Resubmitted: 2, SubmittedAt: &now}},
		{"return with a reason", tinhso.Submission{Status: tinhso.StatusSubmitted, SubmittedAt: &before}, open, tinhso.TransReturn, "Số liệu chưa khớp", "",
			tinhso.SubmissionState{Status: tinhso.StatusReturned, ReturnReason: "Số liệu chưa khớp", SubmittedAt: &before}},
		{"approve", tinhso.Submission{Status: tinhso.StatusSubmitted, SubmittedAt: &before}, open, tinhso.TransApprove, "", "",
			tinhso.SubmissionState{Status: tinhso.StatusApproved, SubmittedAt: &before, ApprovedAt: &now}},
		{"return without a reason", tinhso.Submission{Status: tinhso.StatusSubmitted}, open, tinhso.TransReturn, " \u200b ", tinhso.EINVALID, tinhso.SubmissionState{}},
		{"approve a draft", tinhso.Submission{Status: tinhso.StatusDraft}, open, tinhso.TransApprove, "", tinhso.ECONFLICT, tinhso.SubmissionState{}},
		{"approve twice", tinhso.Submission{Status: tinhso.StatusApproved}, open, tinhso.TransApprove, "", tinhso.ECONFLICT, tinhso.SubmissionState{}},
		{"submit in a closed period", tinhso.Submission{Status: tinhso.StatusDraft}, closed, tinhso.TransSubmit, "", tinhso.ECONFLICT, tinhso.SubmissionState{}},
		// The state is judged before the period: a wrong transition says so first.
		{"return a draft of a closed period", tinhso.Submission{Status: tinhso.StatusDraft}, closed, tinhso.TransReturn, "", tinhso.ECONFLICT, tinhso.SubmissionState{}},
	} {
		got, err := engine.Transition(&c.s, c.p, c.transition, c.reason, now)
		if tinhso.ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want code %q", c.name, err, c.code)
			continue
		}
		if err == nil && !sameState(got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	_, err := engine.Transition(&tinhso.Submission{Status: tinhso.StatusDraft, Label: "Q1/2026"}, closed, tinhso.TransSubmit, "", now)
	if e, ok := err.(*tinhso.Error); !ok || e.Key != "err.period.closed" || len(e.Args) != 1 || e.Args[0] != "Q1/2026" {
		t.Errorf("closed period's error names no period: %v", err)
	}
}

func sameState(a, b tinhso.SubmissionState) bool {
	eq := func(x, y *time.Time) bool { return x == nil && y == nil || x != nil && y != nil && x.Equal(*y) }
	return a.Status == b.Status && a.ReturnReason == b.ReturnReason && a.Resubmitted == b.Resubmitted && eq(a.SubmittedAt, b.SubmittedAt) && eq(a.ApprovedAt, b.ApprovedAt)
}

func TestCanSaveAttachCloseOpen(t *testing.T) {
	t.Parallel()
	open, closed := &tinhso.Period{Status: "open", Label: "Q1"}, &tinhso.Period{Status: "closed", Label: "Q1"}
	for _, c := range []struct {
		name string
		err  error
		code string
	}{
		{"save a draft", engine.CanSave(&tinhso.Submission{Status: tinhso.StatusDraft}, open), ""},
		{"save a returned one", engine.CanSave(&tinhso.Submission{Status: tinhso.StatusReturned}, open), ""},
		{"save a submitted one", engine.CanSave(&tinhso.Submission{Status: tinhso.StatusSubmitted}, open), tinhso.ECONFLICT},
		{"save in a closed period", engine.CanSave(&tinhso.Submission{Status: tinhso.StatusDraft}, closed), tinhso.ECONFLICT},
		{"attach to a draft", engine.CanAttach(&tinhso.Submission{Status: tinhso.StatusDraft}, open), ""},
		{"attach to an approved one", engine.CanAttach(&tinhso.Submission{Status: tinhso.StatusApproved}, open), tinhso.ECONFLICT},
		{"close an open period", engine.CanClose(open), ""},
		{"close a closed period", engine.CanClose(closed), tinhso.ECONFLICT},
		{"open with blockers", engine.CanOpen(&tinhso.PeriodPlan{Blockers: []tinhso.Message{tinhso.M("blocker.no_unit", "x")}, Units: []tinhso.PlannedUnit{{Code: "a"}}}), tinhso.ECONFLICT},
		{"open without units", engine.CanOpen(&tinhso.PeriodPlan{}), tinhso.EINVALID},
		{"open", engine.CanOpen(&tinhso.PeriodPlan{Units: []tinhso.PlannedUnit{{Code: "a"}}}), ""},
	} {
		if tinhso.ErrorCode(c.err) != c.code {
			t.Errorf("%s: %v, want code %q", c.name, c.err, c.code)
		}
	}
}

func TestReminderKeys(t *testing.T) {
	t.Parallel()
	got := strings.Join(engine.ReminderKeys(4, "so-a"), " ")
	if got != "reminder_before:4:so-a reminder_overdue:4:so-a" {
		t.Errorf("keys: %s", got)
	}
	// The keys a submission answers are those the reminders carry.
	n := engine.Reminders("2026-03-25", []*tinhso.Period{{ID: 4, Due: "2026-03-24", Status: "open"}}, []*tinhso.Submission{{ID: 1, Period: 4, OrgUnit: "so-a", Status: tinhso.StatusDraft}}, 3)
	if len(n) != 1 || !strings.Contains(got, n[0].Key) {
		t.Errorf("reminder %v is not among the keys %s", n, got)
	}
}

func TestProgressStatus(t *testing.T) {
	t.Parallel()
	pct := 40
	for _, c := range []struct {
		p    tinhso.TaskProgress
		want string
	}{
		{tinhso.TaskProgress{Done: true, DeliverableLink: "https://x.vn"}, engine.ProgressDone},
		{tinhso.TaskProgress{Percent: &pct}, engine.ProgressInProgress},
		{tinhso.TaskProgress{Note: "đang làm"}, engine.ProgressInProgress},
		{tinhso.TaskProgress{DeliverableLink: "https://x.vn"}, engine.ProgressInProgress},
		{tinhso.TaskProgress{}, engine.ProgressNotReported},
	} {
		if got := engine.ProgressStatus(c.p); got != c.want {
			t.Errorf("%+v: %s, want %s", c.p, got, c.want)
		}
	}
}
