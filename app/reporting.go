package app

import (
	"context"
	"strconv"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// The reporting workflows: periods open and close, units save and submit, reviewers
// return and approve. Each runs in one transaction of the store: the facts read, the
// rules applied, the outcome written and audited together.

// PlanPeriod works out who would report what in a period of a regime (id or key), and
// what blocks opening it, without storing anything.
func (a *App) PlanPeriod(ctx context.Context, regime string, year, number int) (*tinhso.PeriodPlan, error) {
	facts, err := a.store.PeriodFacts(ctx, regime)
	if err != nil {
		return nil, err
	}
	return planPeriod(facts, year, number)
}

func planPeriod(f *tinhso.PeriodFacts, year, number int) (*tinhso.PeriodPlan, error) {
	p, err := tinhso.PeriodOf(f.Regime, year, number)
	if err != nil {
		return nil, err
	}
	plan := f.Org.PlanPeriod(p, f.Indicators, f.Tasks, f.Regime.Reporters)
	return &plan, nil
}

// OpenPeriod opens a period and creates one draft submission per responsible unit;
// with blockers it fails with ECONFLICT listing them, and creates nothing.
func (a *App) OpenPeriod(ctx context.Context, regime string, year, number int) (*tinhso.Period, error) {
	var out *tinhso.Period
	err := a.store.WriteTx(ctx, func(tx tinhso.ReportingTx) error {
		facts, err := tx.PeriodFacts(ctx, regime)
		if err != nil {
			return err
		}
		plan, err := planPeriod(facts, year, number)
		if err != nil {
			return err
		}
		if err := engine.CanOpen(plan); err != nil {
			return err
		}
		p := plan.Period
		if err := tx.CreatePeriod(ctx, facts.Regime, &p, plan.Units); err != nil {
			return err
		}
		out = &p
		return tx.Audit(ctx, "period.open", "period", strconv.FormatInt(p.ID, 10), nil, map[string]any{"period": p, "submissions": len(plan.Units)})
	})
	if err != nil {
		return nil, err
	}
	a.publish(ctx, tinhso.EventPeriodOpened, "period", strconv.FormatInt(out.ID, 10), out.OpenedAt, out)
	return out, nil
}

// ClosePeriod closes an open period: no more reminders, and its submissions are
// frozen as they are.
func (a *App) ClosePeriod(ctx context.Context, id int64) (*tinhso.Period, error) {
	var out *tinhso.Period
	var at time.Time
	err := a.store.WriteTx(ctx, func(tx tinhso.ReportingTx) error {
		at = tx.Now()
		p, err := tx.FindPeriod(ctx, id)
		if err != nil {
			return err
		}
		if err := engine.CanClose(p); err != nil {
			return err
		}
		if err := tx.SetPeriodStatus(ctx, id, "closed"); err != nil {
			return err
		}
		p.Status = "closed"
		out = p
		return tx.Audit(ctx, "period.close", "period", strconv.FormatInt(id, 10), map[string]any{"status": "open"}, map[string]any{"status": "closed"})
	})
	if err != nil {
		return nil, err
	}
	a.publish(ctx, tinhso.EventPeriodClosed, "period", strconv.FormatInt(id, 10), at, out)
	return out, nil
}

// SaveSubmission replaces the values and progress of a draft or returned submission at
// version (0: any): every value checked against its indicator, every task against the
// submission's tasks; nothing is stored unless all is right.
func (a *App) SaveSubmission(ctx context.Context, id int64, values []tinhso.IndicatorValue, progress []tinhso.TaskProgress, version int) (*tinhso.Submission, error) {
	var out *tinhso.Submission
	err := a.store.WriteTx(ctx, func(tx tinhso.ReportingTx) error {
		before, p, err := submissionAndPeriod(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := engine.CanSave(before, p); err != nil {
			return err
		}
		inds, err := tx.FindIndicatorsByKey(ctx, before.Indicators)
		if err != nil {
			return err
		}
		if err := engine.CheckItems(before, values, progress, inds); err != nil {
			return err
		}
		if err := tx.ClaimSubmission(ctx, id, version); err != nil {
			return err
		}
		if err := tx.ReplaceItems(ctx, id, values, progress); err != nil {
			return err
		}
		if out, err = tx.FindSubmission(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, "submission.save", "submission", strconv.FormatInt(id, 10),
			map[string]any{"values": before.Values, "progress": before.Progress}, map[string]any{"values": out.Values, "progress": out.Progress})
	})
	return out, err
}

// Transition submits, returns (with a reason) or approves a submission at version (0:
// any). Approval recomputes the province figures of the submission's indicators from
// every approved submission of the period (one query); submitting answers the unit's
// reminders for the period. The step is audited, and published once committed.
func (a *App) Transition(ctx context.Context, id int64, transition, reason string, version int) (*tinhso.Submission, error) {
	var out *tinhso.Submission
	err := a.store.WriteTx(ctx, func(tx tinhso.ReportingTx) error {
		before, p, err := submissionAndPeriod(ctx, tx, id)
		if err != nil {
			return err
		}
		st, err := engine.Transition(before, p, transition, reason, tx.Now())
		if err != nil {
			return err
		}
		if transition == tinhso.TransSubmit {
			// A draft may be saved incomplete; what is submitted is complete.
			inds, err := tx.FindIndicatorsByKey(ctx, before.Indicators)
			if err != nil {
				return err
			}
			if err := engine.CheckComplete(before, inds); err != nil {
				return err
			}
		}
		if err := tx.ClaimSubmission(ctx, id, version); err != nil {
			return err
		}
		if err := tx.SetSubmissionState(ctx, id, st); err != nil {
			return err
		}
		switch transition {
		case tinhso.TransApprove:
			if err := recomputeFigures(ctx, tx, p.ID, before.Indicators); err != nil {
				return err
			}
		case tinhso.TransSubmit:
			if err := tx.AnswerNotifications(ctx, engine.ReminderKeys(p.ID, before.OrgUnit)); err != nil {
				return err
			}
		}
		if out, err = tx.FindSubmission(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, "submission."+transition, "submission", strconv.FormatInt(id, 10),
			map[string]any{"status": before.Status}, map[string]any{"status": st.Status, "reason": reason})
	})
	if err != nil {
		return nil, err
	}
	a.publish(ctx, engine.TransitionEvent(transition), "submission", strconv.FormatInt(id, 10), out.UpdatedAt, out)
	return out, nil
}

// recomputeFigures makes the province figures of indicators in a period from the
// approved values, in order of approval.
func recomputeFigures(ctx context.Context, tx tinhso.ReportingTx, period int64, keys []string) error {
	inds, err := tx.FindIndicatorsByKey(ctx, keys)
	if err != nil {
		return err
	}
	values, err := tx.ApprovedValues(ctx, period, keys)
	if err != nil {
		return err
	}
	return tx.ReplaceFigures(ctx, period, keys, engine.Figures(keys, inds, values))
}

// AddEvidence attaches a stored file to a draft or returned submission, as uploaded by
// the context's actor now.
func (a *App) AddEvidence(ctx context.Context, id int64, e tinhso.Evidence) (*tinhso.Submission, error) {
	var out *tinhso.Submission
	err := a.store.WriteTx(ctx, func(tx tinhso.ReportingTx) error {
		before, p, err := submissionAndPeriod(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := engine.CanAttach(before, p); err != nil {
			return err
		}
		if err := tx.ClaimSubmission(ctx, id, 0); err != nil {
			return err
		}
		e.UploadedBy, e.UploadedAt = tinhso.ActorFrom(ctx).Username, tx.Now()
		if err := tx.PutEvidence(ctx, id, e); err != nil {
			return err
		}
		if out, err = tx.FindSubmission(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, "submission.evidence", "submission", strconv.FormatInt(id, 10), nil, e)
	})
	return out, err
}

func submissionAndPeriod(ctx context.Context, tx tinhso.ReportingTx, id int64) (*tinhso.Submission, *tinhso.Period, error) {
	s, err := tx.FindSubmission(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	p, err := tx.FindPeriod(ctx, s.Period)
	return s, p, err
}
