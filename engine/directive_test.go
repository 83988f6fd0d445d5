package engine_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

func onDay(day string) time.Time {
	d, _ := time.ParseInLocation("2006-01-02", day, tinhso.Location)
	return d.Add(10 * time.Hour)
}

func TestDirectiveSteps(t *testing.T) {
	t.Parallel()
	base := tinhso.DirectiveTask{ID: 1, Lead: "a", Deadline: "2026-03-20", Original: "2026-03-20", Stage: tinhso.DirectiveAssigned}
	with := func(stage string) *tinhso.DirectiveTask { c := base; c.Stage = stage; return &c }
	for _, c := range []struct {
		name       string
		task       *tinhso.DirectiveTask
		step       string
		in         engine.StepInput
		day        string
		wantStatus string
		wantErr    string // field, or "conflict"
		deadline   string
	}{
		{"acknowledge", with(tinhso.DirectiveAssigned), tinhso.StepAcknowledge, engine.StepInput{}, "2026-03-02", tinhso.DirectiveAcknowledged, "", "2026-03-20"},
		{"acknowledge twice", with(tinhso.DirectiveAcknowledged), tinhso.StepAcknowledge, engine.StepInput{}, "2026-03-02", "", "conflict", ""},
		{"progress needs a note", with(tinhso.DirectiveAcknowledged), tinhso.StepProgress, engine.StepInput{}, "2026-03-02", "", "note", ""},
		{"progress after the deadline is late", with(tinhso.DirectiveAcknowledged), tinhso.StepProgress, engine.StepInput{Note: "50%"}, "2026-03-21", tinhso.DirectiveLate, "", "2026-03-20"},
		{"extension into the past", with(tinhso.DirectiveInProgress), tinhso.StepExtension, engine.StepInput{Note: "r", Date: "2026-03-01"}, "2026-03-10", "", "date", ""},
		{"extension not later", with(tinhso.DirectiveInProgress), tinhso.StepExtension, engine.StepInput{Note: "r", Date: "2026-03-20"}, "2026-03-10", "", "date", ""},
		{"extension of a late task to before today", with(tinhso.DirectiveInProgress), tinhso.StepExtension, engine.StepInput{Note: "r", Date: "2026-03-24"}, "2026-03-25", "", "date", ""},
		{"extension without a reason", with(tinhso.DirectiveInProgress), tinhso.StepExtension, engine.StepInput{Date: "2026-03-30"}, "2026-03-10", "", "reason", ""},
		{"extension asked", with(tinhso.DirectiveInProgress), tinhso.StepExtension, engine.StepInput{Note: "r", Date: "2026-03-30"}, "2026-03-10", tinhso.DirectiveExtensionAsked, "", "2026-03-20"},
		{"grant without asking", with(tinhso.DirectiveInProgress), tinhso.StepGrant, engine.StepInput{Date: "2026-03-30"}, "2026-03-10", "", "conflict", ""},
		{"grant into the past", func() *tinhso.DirectiveTask {
			c := with(tinhso.DirectiveExtensionAsked)
			c.ExtensionDate = "2026-03-25"
			return c
		}(),
			tinhso.StepGrant, engine.StepInput{}, "2026-03-26", "", "date", ""},
		{"grant the date asked", func() *tinhso.DirectiveTask {
			c := with(tinhso.DirectiveExtensionAsked)
			c.ExtensionDate = "2026-03-25"
			return c
		}(),
			tinhso.StepGrant, engine.StepInput{}, "2026-03-21", tinhso.DirectiveExtensionGranted, "", "2026-03-25"},
		{"refuse", with(tinhso.DirectiveExtensionAsked), tinhso.StepRefuse, engine.StepInput{}, "2026-03-10", tinhso.DirectiveExtensionRefused, "", "2026-03-20"},
		{"submit without a product", with(tinhso.DirectiveInProgress), tinhso.StepSubmit, engine.StepInput{}, "2026-03-10", "", "product", ""},
		{"submit late stays submitted", with(tinhso.DirectiveInProgress), tinhso.StepSubmit, engine.StepInput{Note: "p"}, "2026-03-22", tinhso.DirectiveSubmitted, "", "2026-03-20"},
		{"confirm unsubmitted", with(tinhso.DirectiveInProgress), tinhso.StepConfirm, engine.StepInput{}, "2026-03-10", "", "conflict", ""},
		{"return needs a reason", with(tinhso.DirectiveSubmitted), tinhso.StepReturn, engine.StepInput{}, "2026-03-10", "", "reason", ""},
		{"returned after the deadline is late", with(tinhso.DirectiveSubmitted), tinhso.StepReturn, engine.StepInput{Note: "thiếu"}, "2026-03-21", tinhso.DirectiveLate, "", "2026-03-20"},
		{"unknown step", with(tinhso.DirectiveSubmitted), "approve", engine.StepInput{}, "2026-03-10", "", "step", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := *c.task
			got, err := engine.DirectiveStep(c.task, c.step, c.in, onDay(c.day))
			if !reflect.DeepEqual(*c.task, before) {
				t.Errorf("the task given was changed")
			}
			if c.wantErr != "" {
				if err == nil {
					t.Fatalf("no error, status %s", got.Status)
				}
				e, _ := err.(*tinhso.Error)
				if c.wantErr == "conflict" && tinhso.ErrorCode(err) != tinhso.ECONFLICT || c.wantErr != "conflict" && (e == nil || e.Field != c.wantErr) {
					t.Errorf("error %v (%s), want %s", err, tinhso.ErrorCode(err), c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != c.wantStatus || got.Deadline != c.deadline {
				t.Errorf("status %s deadline %s, want %s %s", got.Status, got.Deadline, c.wantStatus, c.deadline)
			}
		})
	}
}

func TestDirectiveOnTime(t *testing.T) {
	t.Parallel()
	task := &tinhso.DirectiveTask{Deadline: "2026-03-20", Stage: tinhso.DirectiveInProgress}
	for _, c := range []struct {
		day  string
		want bool
	}{{"2026-03-20", true}, {"2026-03-21", false}} {
		sub, err := engine.DirectiveStep(task, tinhso.StepSubmit, engine.StepInput{Note: "p"}, onDay(c.day))
		if err != nil {
			t.Fatal(err)
		}
		done, err := engine.DirectiveStep(sub, tinhso.StepConfirm, engine.StepInput{}, onDay("2026-03-25"))
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := engine.DirectiveDone(done); !d || ok != c.want || *done.OnTime != c.want {
			t.Errorf("submitted %s: done %v on time %v, want %v", c.day, d, ok, c.want)
		}
	}
}

func TestDirectiveShare(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	sub := onDay("2026-03-10")
	tasks := []*tinhso.DirectiveTask{
		{Lead: "a", Deadline: "2026-03-20", Stage: tinhso.DirectiveConfirmed, SubmittedAt: &sub, OnTime: &yes}, // on time
		{Lead: "a", Deadline: "2026-03-05", Stage: tinhso.DirectiveConfirmed, SubmittedAt: &sub, OnTime: &no},  // late
		{Lead: "a", Deadline: "2026-04-20", Stage: tinhso.DirectiveInProgress},                                 // late at today 2026-05-01
		{Lead: "a", Deadline: "2026-06-20", Stage: tinhso.DirectiveInProgress},                                 // not due yet
		{Lead: "a", Deadline: "2027-01-20", Stage: tinhso.DirectiveInProgress},                                 // outside the year
		{Lead: "b", Deadline: "2026-03-20", Stage: tinhso.DirectiveConfirmed, SubmittedAt: &sub, OnTime: &yes},
	}
	v := engine.DirectiveShare(tasks, "a", "2026-01-01", "2026-12-31", "2026-05-01")
	if v.Number == nil || *v.Number != 100.0/3 || v.Source != tinhso.SourceDirectives {
		t.Errorf("unit a: %+v", v)
	}
	if v := engine.DirectiveShare(tasks, "c", "2026-01-01", "2026-12-31", "2026-05-01"); v.Number != nil || v.Missing == nil {
		t.Errorf("unit c: %+v", v)
	}
	if on, n := engine.DirectiveCounts(tasks, "", "2026-01-01", "2026-12-31", "2026-05-01"); on != 2 || n != 4 {
		t.Errorf("province: %d of %d", on, n)
	}
}
