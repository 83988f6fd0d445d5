package engine

import (
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tinhso/tinhso"
)

// The rules of a submission's workflow (draft → submitted → returned / approved), as
// functions of the submission, its period and the time.

// PeriodOpen refuses a change to a submission of a closed period: a closed period's
// submissions are frozen.
func PeriodOpen(s *tinhso.Submission, p *tinhso.Period) error {
	if p.Status != "open" {
		return tinhso.Errorf(tinhso.ECONFLICT, "err.period.closed", s.Label)
	}
	return nil
}

// CanSave says whether a unit may change a submission's values and progress: only a
// draft or a returned one, of an open period.
func CanSave(s *tinhso.Submission, p *tinhso.Period) error {
	if s.Status != tinhso.StatusDraft && s.Status != tinhso.StatusReturned {
		return tinhso.Errorf(tinhso.ECONFLICT, "err.submission.frozen", tinhso.M("word.submission."+s.Status))
	}
	return PeriodOpen(s, p)
}

// CanAttach says whether a file may be attached to a submission: a draft or a returned
// one, of an open period.
func CanAttach(s *tinhso.Submission, p *tinhso.Period) error {
	if s.Status != tinhso.StatusDraft && s.Status != tinhso.StatusReturned {
		return tinhso.Errorf(tinhso.ECONFLICT, "err.submission.no_files", tinhso.M("word.submission."+s.Status))
	}
	return PeriodOpen(s, p)
}

// MaxReturnReason bounds the reason a submission is returned with, in characters.
const MaxReturnReason = 5000

// Transition works out a submission's state after a transition taken at now: submit
// (from draft or returned; a returned one counts as resubmitted), return (from
// submitted, with a reason the unit can read) or approve (from submitted); never in a
// closed period.
func Transition(s *tinhso.Submission, p *tinhso.Period, transition, reason string, now time.Time) (tinhso.SubmissionState, error) {
	st := tinhso.SubmissionState{Status: s.Status, ReturnReason: s.ReturnReason, Resubmitted: s.Resubmitted, SubmittedAt: s.SubmittedAt, ApprovedAt: s.ApprovedAt}
	next, err := tinhso.Next(s.Status, transition)
	if err != nil {
		return st, err
	}
	if err := PeriodOpen(s, p); err != nil {
		return st, err
	}
	if transition == tinhso.TransReturn && !hasVisible(reason) {
		return st, tinhso.Invalid("reason", "err.submission.reason_required")
	}
	if utf8.RuneCountInString(reason) > MaxReturnReason {
		return st, tinhso.Invalid("reason", "err.submission.reason_long")
	}
	st.Status = next
	switch transition {
	case tinhso.TransSubmit:
		st.SubmittedAt = &now
		if s.Status == tinhso.StatusReturned {
			st.Resubmitted++
		}
	case tinhso.TransReturn:
		st.ReturnReason = reason
	case tinhso.TransApprove:
		st.ApprovedAt = &now
	}
	return st, nil
}

// TransitionEvent is the event a transition publishes.
func TransitionEvent(transition string) string {
	switch transition {
	case tinhso.TransSubmit:
		return tinhso.EventSubmissionSubmitted
	case tinhso.TransReturn:
		return tinhso.EventSubmissionReturned
	}
	return tinhso.EventSubmissionApproved
}

// CanClose says whether a period may be closed: only an open one.
func CanClose(p *tinhso.Period) error {
	if p.Status != "open" {
		return tinhso.Errorf(tinhso.ECONFLICT, "err.period.already_closed", p.Label)
	}
	return nil
}

// CanOpen says whether a period with this plan may open: nobody the plan names may be
// unable to report (a blocker), and somebody must report.
func CanOpen(plan *tinhso.PeriodPlan) error {
	if len(plan.Blockers) > 0 {
		e := tinhso.Errorf(tinhso.ECONFLICT, "err.opening.blocked").With(plan.Blockers...)
		e.Field = "blockers"
		return e
	}
	if len(plan.Units) == 0 {
		return tinhso.Errorf(tinhso.EINVALID, "err.period.nobody")
	}
	return nil
}

// hasVisible reports whether s holds a letter, digit, mark or symbol (not only spaces
// and invisible format characters such as U+200B).
func hasVisible(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return true
		}
	}
	return false
}

// Progress statuses: what a task's reported progress shows.
const (
	ProgressDone        = "done"        // claimed done, with its deliverable
	ProgressInProgress  = "in_progress" // a percentage, a note or a link reported
	ProgressNotReported = "not_reported"
)

// ProgressStatus is the status a task's reported progress shows: computed from the
// progress, never typed.
func ProgressStatus(p tinhso.TaskProgress) string {
	switch {
	case p.Done:
		return ProgressDone
	case p.Percent != nil || p.Note != "" || p.DeliverableLink != "":
		return ProgressInProgress
	}
	return ProgressNotReported
}
