package engine

import (
	"slices"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
)

// Directive tasks: their status at a clock and the steps of their workflow. Dates are
// the province's (tinhso.Location).

// DirectiveTaskStatus is a task's status on a day (yyyy-mm-dd): its stage, or late
// when the deadline in force has passed with no product submitted or confirmed.
func DirectiveTaskStatus(t *tinhso.DirectiveTask, today string) string {
	switch t.Stage {
	case tinhso.DirectiveSubmitted, tinhso.DirectiveConfirmed:
		return t.Stage
	}
	if today > t.Deadline {
		return tinhso.DirectiveLate
	}
	return t.Stage
}

// DirectiveDone reports whether a task was completed on time: confirmed, with its
// product submitted by the deadline in force then.
func DirectiveDone(t *tinhso.DirectiveTask) (done, onTime bool) {
	if t.Stage != tinhso.DirectiveConfirmed || t.SubmittedAt == nil {
		return false, false
	}
	return true, Today(*t.SubmittedAt) <= t.Deadline
}

// StepInput is what a step brings: a note (progress, the product, the reason of an
// extension or of a return) and a date (the extension asked for or granted).
type StepInput struct {
	Note string
	Date string
}

// opens are the stages from which the unit may still work on a task.
var opens = []string{tinhso.DirectiveAssigned, tinhso.DirectiveAcknowledged, tinhso.DirectiveInProgress,
	tinhso.DirectiveExtensionGranted, tinhso.DirectiveExtensionRefused, tinhso.DirectiveReturned}

// DirectiveStep applies a step to a task at now and returns the task as it becomes, or
// an error naming the field at fault (nothing of t is changed). An extension, asked
// or granted, must move the deadline later and not into the past.
func DirectiveStep(t *tinhso.DirectiveTask, step string, in StepInput, now time.Time) (*tinhso.DirectiveTask, error) {
	n := *t
	n.CoOperating = slices.Clone(t.CoOperating)
	today := Today(now)
	at := now.UTC()
	from := func(stages ...string) error {
		if slices.Contains(stages, t.Stage) {
			return nil
		}
		return tinhso.Errorf(tinhso.ECONFLICT, "steering.err.step", tinhso.M("steering.step."+step), tinhso.M("steering.status."+t.Stage))
	}
	note := func(field string, required bool) error {
		if required && strings.TrimSpace(in.Note) == "" {
			return tinhso.Invalid(field, "err.text.required", tinhso.Field(field))
		}
		return tinhso.CheckText(field, in.Note, tinhso.MaxDirectiveNote)
	}
	newDate := func() error {
		if !tinhso.ValidDate(in.Date) {
			return tinhso.Invalid("date", "steering.err.date", tinhso.Field("date"), tinhso.Clip(in.Date, 40))
		}
		if in.Date < today {
			return tinhso.Invalid("date", "steering.err.date_past", tinhso.Date(in.Date), tinhso.Date(today))
		}
		if in.Date <= t.Deadline {
			return tinhso.Invalid("date", "steering.err.date_not_later", tinhso.Date(in.Date), tinhso.Date(t.Deadline))
		}
		return nil
	}
	switch step {
	case tinhso.StepAcknowledge:
		if err := from(tinhso.DirectiveAssigned); err != nil {
			return nil, err
		}
		n.Stage, n.AcknowledgedAt = tinhso.DirectiveAcknowledged, &at
	case tinhso.StepProgress:
		if err := from(opens...); err != nil {
			return nil, err
		}
		if err := note("note", true); err != nil {
			return nil, err
		}
		if n.AcknowledgedAt == nil {
			n.AcknowledgedAt = &at
		}
		n.Stage, n.Progress = tinhso.DirectiveInProgress, in.Note
	case tinhso.StepExtension:
		if err := from(opens...); err != nil {
			return nil, err
		}
		if err := note("reason", true); err != nil {
			return nil, err
		}
		if err := newDate(); err != nil {
			return nil, err
		}
		if n.AcknowledgedAt == nil {
			n.AcknowledgedAt = &at
		}
		n.Stage, n.ExtensionReason, n.ExtensionDate = tinhso.DirectiveExtensionAsked, in.Note, in.Date
	case tinhso.StepGrant:
		if err := from(tinhso.DirectiveExtensionAsked); err != nil {
			return nil, err
		}
		if in.Date == "" {
			in.Date = t.ExtensionDate
		}
		if err := newDate(); err != nil {
			return nil, err
		}
		n.Stage, n.Deadline, n.ExtensionDate, n.Extensions = tinhso.DirectiveExtensionGranted, in.Date, in.Date, t.Extensions+1
	case tinhso.StepRefuse:
		if err := from(tinhso.DirectiveExtensionAsked); err != nil {
			return nil, err
		}
		if err := note("reason", false); err != nil {
			return nil, err
		}
		n.Stage = tinhso.DirectiveExtensionRefused
	case tinhso.StepSubmit:
		if err := from(append(slices.Clone(opens), tinhso.DirectiveExtensionAsked)...); err != nil {
			return nil, err
		}
		if err := note("product", true); err != nil {
			return nil, err
		}
		if n.AcknowledgedAt == nil {
			n.AcknowledgedAt = &at
		}
		n.Stage, n.ProductNote, n.SubmittedAt, n.ReturnReason = tinhso.DirectiveSubmitted, in.Note, &at, ""
	case tinhso.StepConfirm:
		if err := from(tinhso.DirectiveSubmitted); err != nil {
			return nil, err
		}
		n.Stage, n.ConfirmedAt = tinhso.DirectiveConfirmed, &at
		_, ok := DirectiveDone(&n)
		n.OnTime = &ok
	case tinhso.StepReturn:
		if err := from(tinhso.DirectiveSubmitted); err != nil {
			return nil, err
		}
		if err := note("reason", true); err != nil {
			return nil, err
		}
		n.Stage, n.ReturnReason = tinhso.DirectiveReturned, in.Note
	default:
		return nil, tinhso.Invalid("step", "err.field.one_of", tinhso.Field("step"),
			strings.Join([]string{tinhso.StepAcknowledge, tinhso.StepProgress, tinhso.StepExtension, tinhso.StepSubmit,
				tinhso.StepGrant, tinhso.StepRefuse, tinhso.StepConfirm, tinhso.StepReturn}, ", "))
	}
	n.Status = DirectiveTaskStatus(&n, today)
	return &n, nil
}

// LeaderView is a leader's own list: the tasks of the directives the leader gave,
// those late, and those waiting for the leader's confirmation or decision.
type LeaderView struct {
	Asked   []*tinhso.DirectiveTask `json:"asked"`
	Late    []*tinhso.DirectiveTask `json:"late"`
	Waiting []*tinhso.DirectiveTask `json:"waiting"`
}

// LeaderList sorts a leader's tasks (their statuses set at today) into the list.
func LeaderList(tasks []*tinhso.DirectiveTask, today string) LeaderView {
	v := LeaderView{Asked: []*tinhso.DirectiveTask{}, Late: []*tinhso.DirectiveTask{}, Waiting: []*tinhso.DirectiveTask{}}
	for _, t := range tasks {
		t.Status = DirectiveTaskStatus(t, today)
		v.Asked = append(v.Asked, t)
		if t.Status == tinhso.DirectiveLate {
			v.Late = append(v.Late, t)
		}
		if t.Stage == tinhso.DirectiveSubmitted || t.Stage == tinhso.DirectiveExtensionAsked {
			v.Waiting = append(v.Waiting, t)
		}
	}
	return v
}

// DirectiveShare is the share (a percentage) of the directive tasks a unit leads whose
// deadline in force falls in [from, to] and has come by today (or that are confirmed),
// completed on time; none such: missing, saying so.
func DirectiveShare(tasks []*tinhso.DirectiveTask, unit, from, to, today string) tinhso.CriterionValue {
	onTime, counted := DirectiveCounts(tasks, unit, from, to, today)
	if counted == 0 {
		m := tinhso.M("steering.share_none", unit)
		return tinhso.CriterionValue{Source: tinhso.SourceDirectives, Missing: &m}
	}
	pct := 100 * float64(onTime) / float64(counted)
	src := tinhso.M("steering.share_from", onTime, counted)
	return tinhso.CriterionValue{Number: &pct, Source: tinhso.SourceDirectives, From: &src}
}

// DirectiveCounts counts the tasks DirectiveShare weighs: those of the unit ("" : every
// unit) due in [from, to] by today or confirmed, and of them those done on time.
func DirectiveCounts(tasks []*tinhso.DirectiveTask, unit, from, to, today string) (onTime, counted int) {
	for _, t := range tasks {
		if unit != "" && t.Lead != unit || t.Deadline < from || t.Deadline > to {
			continue
		}
		done, ok := DirectiveDone(t)
		if !done && t.Deadline >= today {
			continue // not due yet, nor done
		}
		counted++
		if ok {
			onTime++
		}
	}
	return onTime, counted
}
