package app

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// Directives: a leader (or the standing agency on a leader's behalf) issues them; the
// lead units answer; the leader decides extensions and confirms or returns products.

// IssueDirective records a directive of u's: a leader's own, or, by the standing
// agency, on behalf of the leader d.Leader names. It is stored with its tasks
// assigned, in one transaction, audited.
func (a *App) IssueDirective(ctx context.Context, u *tinhso.User, d *tinhso.Directive, now time.Time) error {
	if !u.Can(tinhso.ActIssueDirectives) {
		return tinhso.Errorf(tinhso.EFORBIDDEN, "steering.err.issue_forbidden")
	}
	if u.Role == tinhso.RoleLeader {
		if d.Leader != "" && d.Leader != u.Username {
			return tinhso.Invalid("leader", "steering.err.leader_self")
		}
		d.Leader = u.Username
	}
	d.IssuedBy = u.Username
	if err := a.store.CreateDirective(ctx, d, now); err != nil {
		return err
	}
	setStatuses(d.Tasks, now)
	return nil
}

// setStatuses sets the tasks' statuses at now.
func setStatuses(tasks []*tinhso.DirectiveTask, now time.Time) {
	today := engine.Today(now)
	for _, t := range tasks {
		t.Status = engine.DirectiveTaskStatus(t, today)
	}
}

// DirectiveScope is the filter a user reads directives through: a unit's account its
// own unit's tasks only; officials who read everything every one.
func DirectiveScope(u *tinhso.User, f tinhso.DirectiveFilter) (tinhso.DirectiveFilter, error) {
	if !u.Can(tinhso.ActReadDirectives) {
		return f, tinhso.Errorf(tinhso.EFORBIDDEN, "steering.err.read_forbidden")
	}
	if !u.Can(tinhso.ActReadAll) {
		if u.OrgUnit == "" {
			return f, tinhso.Errorf(tinhso.EFORBIDDEN, "steering.err.read_forbidden")
		}
		f.Unit = u.OrgUnit
	}
	return f, nil
}

// Directives lists the directives u may read, with their tasks' statuses at now.
func (a *App) Directives(ctx context.Context, u *tinhso.User, f tinhso.DirectiveFilter, now time.Time) ([]*tinhso.Directive, int, error) {
	f, err := DirectiveScope(u, f)
	if err != nil {
		return nil, 0, err
	}
	list, total, err := a.store.FindDirectives(ctx, f)
	for _, d := range list {
		setStatuses(d.Tasks, now)
	}
	return list, total, err
}

// Directive returns a directive u may read (a unit's account: with its own tasks only;
// another unit's directive is not there for it).
func (a *App) Directive(ctx context.Context, u *tinhso.User, id int64, now time.Time) (*tinhso.Directive, error) {
	f, err := DirectiveScope(u, tinhso.DirectiveFilter{})
	if err != nil {
		return nil, err
	}
	d, err := a.store.FindDirective(ctx, id)
	if err != nil {
		return nil, err
	}
	if f.Unit != "" {
		d.Tasks = slices.DeleteFunc(d.Tasks, func(t *tinhso.DirectiveTask) bool {
			return t.Lead != f.Unit && !slices.Contains(t.CoOperating, f.Unit)
		})
		if len(d.Tasks) == 0 {
			return nil, tinhso.Errorf(tinhso.ENOTFOUND, "steering.err.not_found", id)
		}
	}
	setStatuses(d.Tasks, now)
	return d, nil
}

// LeaderDirectives is u's own list (a leader's, or a named leader's for the standing
// agency): what the leader asked for, what is late, what waits for the leader.
func (a *App) LeaderDirectives(ctx context.Context, u *tinhso.User, leader string, now time.Time) (engine.LeaderView, error) {
	if !u.Can(tinhso.ActIssueDirectives) {
		return engine.LeaderView{}, tinhso.Errorf(tinhso.EFORBIDDEN, "steering.err.issue_forbidden")
	}
	if u.Role == tinhso.RoleLeader || leader == "" {
		leader = u.Username
	}
	tasks, err := a.store.FindDirectiveTasks(ctx, tinhso.DirectiveFilter{Leader: leader})
	if err != nil {
		return engine.LeaderView{}, err
	}
	return engine.LeaderList(tasks, engine.Today(now)), nil
}

// DirectiveStep takes a step on a directive task at version (0: any): the lead unit's
// steps by an account of that unit, the leader's by the leader whose directive it is
// or by the standing agency on the leader's behalf. One transaction, audited.
func (a *App) DirectiveStep(ctx context.Context, u *tinhso.User, id int64, step string, in engine.StepInput, version int, now time.Time) (*tinhso.DirectiveTask, error) {
	var out *tinhso.DirectiveTask
	err := a.store.DirectiveTx(ctx, func(tx tinhso.DirectiveTx) error {
		before, err := tx.FindDirectiveTask(ctx, id)
		if err != nil {
			return err
		}
		if slices.Contains(tinhso.UnitSteps, step) {
			if !u.Can(tinhso.ActAnswerDirectives) || u.OrgUnit != before.Lead {
				if u.Can(tinhso.ActReadAll) || u.OrgUnit != "" && slices.Contains(before.CoOperating, u.OrgUnit) {
					return tinhso.Errorf(tinhso.EFORBIDDEN, "steering.err.not_lead", before.Lead)
				}
				return tinhso.Errorf(tinhso.ENOTFOUND, "steering.err.task_not_found", id)
			}
		} else if !u.Can(tinhso.ActIssueDirectives) || u.Role == tinhso.RoleLeader && u.Username != before.Leader {
			if u.Can(tinhso.ActReadAll) {
				return tinhso.Errorf(tinhso.EFORBIDDEN, "steering.err.not_leader", before.Leader)
			}
			return tinhso.Errorf(tinhso.ENOTFOUND, "steering.err.task_not_found", id)
		}
		next, err := engine.DirectiveStep(before, step, in, now)
		if err != nil {
			return err
		}
		if err := tx.UpdateDirectiveTask(ctx, next, version); err != nil {
			return err
		}
		if out, err = tx.FindDirectiveTask(ctx, id); err != nil {
			return err
		}
		setStatuses([]*tinhso.DirectiveTask{before, out}, now)
		return tx.Audit(ctx, "directive."+step, "directive_task", strconv.FormatInt(id, 10),
			map[string]any{"stage": before.Stage, "deadline": before.Deadline, "version": before.Version},
			map[string]any{"stage": out.Stage, "deadline": out.Deadline, "note": in.Note, "date": in.Date, "version": out.Version})
	})
	return out, err
}
