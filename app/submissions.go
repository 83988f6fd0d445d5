package app

import (
	"context"
	"fmt"

	"github.com/tinhso/tinhso"
)

// ReadableSubmission finds a submission u may see: every one for readers of all, their
// own unit's for a reporter; anything else is "not found", so that ids of other units'
// submissions reveal nothing.
func (a *App) ReadableSubmission(ctx context.Context, u *tinhso.User, id int64) (*tinhso.Submission, error) {
	sub, err := a.store.FindSubmission(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.Can(tinhso.ActReadAll) || OwnUnit(u, sub) {
		return sub, nil
	}
	return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.reporting.submission", id)
}

// OwnSubmission is ReadableSubmission for changes: only the unit's reporter.
func (a *App) OwnSubmission(ctx context.Context, u *tinhso.User, id int64) (*tinhso.Submission, error) {
	sub, err := a.ReadableSubmission(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !OwnUnit(u, sub) {
		return nil, tinhso.Errorf(tinhso.EFORBIDDEN, "err.reporter.only", sub.UnitName)
	}
	return sub, nil
}

// OwnUnit reports whether u reports for the submission's unit.
func OwnUnit(u *tinhso.User, sub *tinhso.Submission) bool {
	return u != nil && u.Role == tinhso.RoleReporter && u.OrgUnit == sub.OrgUnit
}

// NotificationsUnit is the org unit whose notifications u reads: "" (every unit's) for
// readers of all, its own for a reporter.
func NotificationsUnit(u *tinhso.User) string {
	if u.Can(tinhso.ActReadAll) {
		return ""
	}
	return u.OrgUnit
}

// SubmissionForm is what a submission's form shows: its period and the indicators and
// tasks it expects, in the submission's order.
type SubmissionForm struct {
	Period     *tinhso.Period
	Indicators []*tinhso.Indicator
	Tasks      []*tinhso.Task
}

// Form reads a submission's form: the period and the expected indicators and tasks, two
// queries for all of them.
func (a *App) Form(ctx context.Context, sub *tinhso.Submission) (*SubmissionForm, error) {
	p, err := a.store.FindPeriod(ctx, sub.Period)
	if err != nil {
		return nil, err
	}
	f := &SubmissionForm{Period: p}
	if len(sub.Indicators) > 0 {
		list, _, err := a.store.FindIndicators(ctx, tinhso.IndicatorFilter{Keys: sub.Indicators, Page: tinhso.Page{Limit: len(sub.Indicators)}})
		if err != nil {
			return nil, err
		}
		byKey := map[string]*tinhso.Indicator{}
		for _, x := range list {
			byKey[x.Key] = x
		}
		for _, k := range sub.Indicators {
			x, ok := byKey[k]
			if !ok {
				return nil, fmt.Errorf("indicator %s of submission %d: not found", k, sub.ID)
			}
			f.Indicators = append(f.Indicators, x)
		}
	}
	if len(sub.Tasks) > 0 {
		list, _, err := a.store.FindTasks(ctx, tinhso.TaskFilter{Keys: sub.Tasks, Page: tinhso.Page{Limit: len(sub.Tasks)}})
		if err != nil {
			return nil, err
		}
		byKey := map[string]*tinhso.Task{}
		for _, x := range list {
			byKey[x.Key] = x
		}
		for _, k := range sub.Tasks {
			x, ok := byKey[k]
			if !ok {
				return nil, fmt.Errorf("task %s of submission %d: not found", k, sub.ID)
			}
			f.Tasks = append(f.Tasks, x)
		}
	}
	return f, nil
}
