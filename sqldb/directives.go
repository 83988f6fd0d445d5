package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/tinhso/tinhso"
)

// Directives and their tasks (migration 0016).

const directiveCols = `d.id, d.source_kind, d.source_number, d.source_date, d.source_signer, d.text, d.leader, d.issued_by, d.version, d.created_at`

func scanDirective(s scanner) (*tinhso.Directive, error) {
	d := &tinhso.Directive{}
	var ca string
	if err := s.Scan(&d.ID, &d.Source.Kind, &d.Source.Number, &d.Source.Date, &d.Source.Signer, &d.Text, &d.Leader, &d.IssuedBy, &d.Version, &ca); err != nil {
		return nil, err
	}
	d.CreatedAt = parseStamp(ca)
	return d, nil
}

const directiveTaskCols = `t.id, t.directive_id, d.leader, d.text, t.lead, t.co_operating, t.deadline, t.original_deadline, t.product, t.stage,
	t.progress, t.acknowledged_at, t.extension_reason, t.extension_date, t.extensions, t.product_note, t.submitted_at, t.confirmed_at,
	t.return_reason, t.on_time, t.version, t.updated_at`
const directiveTaskFrom = ` FROM directive_tasks t JOIN directives d ON d.id = t.directive_id`

func scanDirectiveTask(s scanner) (*tinhso.DirectiveTask, error) {
	t := &tinhso.DirectiveTask{}
	var co, ua string
	var ack, sub, conf sql.NullString
	var onTime sql.NullInt64
	if err := s.Scan(&t.ID, &t.Directive, &t.Leader, &t.Text, &t.Lead, &co, &t.Deadline, &t.Original, &t.Product, &t.Stage,
		&t.Progress, &ack, &t.ExtensionReason, &t.ExtensionDate, &t.Extensions, &t.ProductNote, &sub, &conf,
		&t.ReturnReason, &onTime, &t.Version, &ua); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(co), &t.CoOperating); err != nil || t.CoOperating == nil {
		t.CoOperating = []string{}
	}
	t.AcknowledgedAt, t.SubmittedAt, t.ConfirmedAt = scanNullStamp(ack), scanNullStamp(sub), scanNullStamp(conf)
	if onTime.Valid {
		b := onTime.Int64 == 1
		t.OnTime = &b
	}
	t.Status = t.Stage
	t.UpdatedAt = parseStamp(ua)
	return t, nil
}

// unitCond narrows directive tasks to those a unit leads or co-operates on.
func unitCond(w *where, unit string) {
	co, _ := json.Marshal(unit)
	w.add("(t.lead = ? OR t.co_operating LIKE ?)", unit, "%"+string(co)+"%")
}

// CreateDirective stores a directive and its tasks as assigned, and records it in the
// audit log.
func (db *DB) CreateDirective(ctx context.Context, d *tinhso.Directive, now time.Time) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		var role string
		if err := tx.queryRow(ctx, `SELECT role FROM users WHERE username = ? AND disabled = 0`, d.Leader).Scan(&role); err != nil || role != tinhso.RoleLeader {
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			return tinhso.Invalid("leader", "steering.err.leader", tinhso.Clip(d.Leader, 64))
		}
		for i, t := range d.Tasks {
			at := "tasks[" + strconv.Itoa(i) + "]."
			for j, code := range append([]string{t.Lead}, t.CoOperating...) {
				field := at + "lead"
				if j > 0 {
					field = at + "co_operating[" + strconv.Itoa(j-1) + "]"
				}
				var dissolved string
				err := tx.queryRow(ctx, `SELECT dissolved FROM org_units WHERE code = ?`, code).Scan(&dissolved)
				if errors.Is(err, sql.ErrNoRows) {
					return tinhso.Invalid(field, "steering.err.unit", tinhso.Clip(code, 100))
				} else if err != nil {
					return err
				}
				// A unit dissolved by today (a date, month or year) takes no new task.
				if dissolved != "" && dissolved <= now.In(tinhso.Location).Format("2006-01-02") {
					return tinhso.Invalid(field, "steering.err.unit_gone", code, tinhso.Date(dissolved))
				}
			}
		}
		stamp := authStamp(now)
		id, err := tx.insert(ctx, `INSERT INTO directives (source_kind, source_number, source_date, source_signer, text, leader, issued_by,
			version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
			d.Source.Kind, d.Source.Number, d.Source.Date, d.Source.Signer, d.Text, d.Leader, d.IssuedBy, stamp, stamp)
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("steering.what.directive"))
		}
		for _, t := range d.Tasks {
			co := t.CoOperating
			if co == nil {
				co = []string{}
			}
			cj, _ := json.Marshal(co)
			if _, err := tx.insert(ctx, `INSERT INTO directive_tasks (directive_id, lead, co_operating, deadline, original_deadline, product, stage,
				version, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)`,
				id, t.Lead, string(cj), t.Deadline, t.Deadline, t.Product, tinhso.DirectiveAssigned, stamp); err != nil {
				return db.dialect.mapError(err, tinhso.M("steering.what.directive"))
			}
		}
		stored, err := findDirective(ctx, tx, id)
		if err != nil {
			return err
		}
		*d = *stored
		return appendAudit(ctx, tx, "directive.create", "directive", strconv.FormatInt(id, 10), nil, d)
	})
}

func findDirective(ctx context.Context, tx *Tx, id int64) (*tinhso.Directive, error) {
	d, err := scanDirective(tx.queryRow(ctx, `SELECT `+directiveCols+` FROM directives d WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "steering.err.not_found", id)
	}
	if err != nil {
		return nil, err
	}
	if d.Tasks, err = queryAll(ctx, tx, scanDirectiveTask, `SELECT `+directiveTaskCols+directiveTaskFrom+` WHERE t.directive_id = ? ORDER BY t.id`, id); err != nil {
		return nil, err
	}
	if d.Tasks == nil {
		d.Tasks = []*tinhso.DirectiveTask{}
	}
	return d, nil
}

// FindDirectives lists directives, newest first, with their tasks (a unit's only,
// when the filter names a unit).
func (db *DB) FindDirectives(ctx context.Context, f tinhso.DirectiveFilter) ([]*tinhso.Directive, int, error) {
	var out []*tinhso.Directive
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if f.Leader != "" {
			w.add("d.leader = ?", f.Leader)
		}
		if f.Unit != "" {
			var tw where
			unitCond(&tw, f.Unit)
			w.add("EXISTS (SELECT 1 FROM directive_tasks t WHERE t.directive_id = d.id AND "+tw.conds[0]+")", tw.args...)
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM directives d`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(f.Page)
		list, err := queryAll(ctx, tx, scanDirective, `SELECT `+directiveCols+` FROM directives d`+w.String()+` ORDER BY d.id DESC`+lim, append(w.args, largs...)...)
		if err != nil {
			return err
		}
		for _, d := range list {
			var tw where
			tw.add("t.directive_id = ?", d.ID)
			if f.Unit != "" {
				unitCond(&tw, f.Unit)
			}
			if d.Tasks, err = queryAll(ctx, tx, scanDirectiveTask, `SELECT `+directiveTaskCols+directiveTaskFrom+tw.String()+` ORDER BY t.id`, tw.args...); err != nil {
				return err
			}
		}
		out = list
		return nil
	})
	return out, total, err
}

// FindDirective returns a directive with all its tasks.
func (db *DB) FindDirective(ctx context.Context, id int64) (*tinhso.Directive, error) {
	var d *tinhso.Directive
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		d, err = findDirective(ctx, tx, id)
		return err
	})
	return d, err
}

// FindDirectiveTasks lists the tasks of the filter's directives by deadline (the page
// of the filter is not applied: the callers sum over all of them).
func (db *DB) FindDirectiveTasks(ctx context.Context, f tinhso.DirectiveFilter) ([]*tinhso.DirectiveTask, error) {
	var out []*tinhso.DirectiveTask
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if f.Leader != "" {
			w.add("d.leader = ?", f.Leader)
		}
		if f.Unit != "" {
			unitCond(&w, f.Unit)
		}
		var err error
		out, err = queryAll(ctx, tx, scanDirectiveTask, `SELECT `+directiveTaskCols+directiveTaskFrom+w.String()+` ORDER BY t.deadline, t.id`, w.args...)
		return err
	})
	return out, err
}

// DirectiveTx runs fn in one write transaction (the context's, when it carries one).
func (db *DB) DirectiveTx(ctx context.Context, fn func(tx tinhso.DirectiveTx) error) error {
	return db.writeTx(ctx, func(tx *Tx) error { return fn(directiveTx{tx}) })
}

type directiveTx struct{ tx *Tx }

func (d directiveTx) FindDirectiveTask(ctx context.Context, id int64) (*tinhso.DirectiveTask, error) {
	t, err := scanDirectiveTask(d.tx.queryRow(ctx, `SELECT `+directiveTaskCols+directiveTaskFrom+` WHERE t.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "steering.err.task_not_found", id)
	}
	return t, err
}

func (d directiveTx) UpdateDirectiveTask(ctx context.Context, t *tinhso.DirectiveTask, version int) error {
	tx := d.tx
	var onTime any
	if t.OnTime != nil {
		onTime = 0
		if *t.OnTime {
			onTime = 1
		}
	}
	q := `UPDATE directive_tasks SET deadline = ?, stage = ?, progress = ?, acknowledged_at = ?, extension_reason = ?, extension_date = ?,
		extensions = ?, product_note = ?, submitted_at = ?, confirmed_at = ?, return_reason = ?, on_time = ?, version = version + 1, updated_at = ?
		WHERE id = ?`
	args := []any{t.Deadline, t.Stage, t.Progress, nullStamp(t.AcknowledgedAt), t.ExtensionReason, t.ExtensionDate, t.Extensions, t.ProductNote,
		nullStamp(t.SubmittedAt), nullStamp(t.ConfirmedAt), t.ReturnReason, onTime, tx.stamp(), t.ID}
	if version != 0 {
		q, args = q+` AND version = ?`, append(args, version)
	}
	res, err := tx.exec(ctx, q, args...)
	if err != nil {
		return tx.db.dialect.mapError(err, tinhso.M("steering.what.task"))
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		if err := checkVersion(ctx, tx, "directive_tasks", t.ID, version, tinhso.M("steering.what.task")); err != nil {
			return err
		}
		return tinhso.Errorf(tinhso.ECONFLICT, "err.db.retry")
	}
	return nil
}

func (d directiveTx) Audit(ctx context.Context, action, entity, id string, before, after any) error {
	return appendAudit(ctx, d.tx, action, entity, id, before, after)
}
