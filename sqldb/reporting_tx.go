package sqldb

import (
	"context"
	"time"

	"github.com/tinhso/tinhso"
)

// WriteTx runs fn in one write transaction (the context's, when it carries one): the
// reporting workflows of app read and change through it.
func (db *DB) WriteTx(ctx context.Context, fn func(tx tinhso.ReportingTx) error) error {
	return db.writeTx(ctx, func(tx *Tx) error { return fn(reportingTx{tx}) })
}

// Exclusive runs fn in one write transaction holding a named lock: store calls made
// with the context fn gets join it.
func (db *DB) Exclusive(ctx context.Context, lock string, fn func(ctx context.Context) error) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		if err := db.Lock(ctx, lock); err != nil {
			return err
		}
		return fn(ctx)
	})
}

// reportingTx is a write transaction as the reporting workflows see it: it only stores
// and queries; every rule is the caller's.
type reportingTx struct{ tx *Tx }

func (r reportingTx) Now() time.Time { return r.tx.now }

func (r reportingTx) PeriodFacts(ctx context.Context, regime string) (*tinhso.PeriodFacts, error) {
	return periodFacts(ctx, r.tx, regime)
}

func (r reportingTx) FindPeriod(ctx context.Context, id int64) (*tinhso.Period, error) {
	return findPeriod(ctx, r.tx, id)
}

func (r reportingTx) FindSubmission(ctx context.Context, id int64) (*tinhso.Submission, error) {
	return findSubmission(ctx, r.tx, id)
}

func (r reportingTx) FindIndicatorsByKey(ctx context.Context, keys []string) (map[string]*tinhso.Indicator, error) {
	return indicatorsByKey(ctx, r.tx, keys)
}

// indicatorsByKey reads indicators by key, 500 keys a query.
func indicatorsByKey(ctx context.Context, tx *Tx, keys []string) (map[string]*tinhso.Indicator, error) {
	out := make(map[string]*tinhso.Indicator, len(keys))
	for len(keys) > 0 {
		n := min(len(keys), 500)
		args := make([]any, n)
		for i, k := range keys[:n] {
			args[i] = k
		}
		list, err := queryAll(ctx, tx, func(s interface{ Scan(...any) error }) (*tinhso.Indicator, error) { return scanIndicator(s, false) },
			`SELECT `+indicatorCols+indicatorFrom+` WHERE i.key IN (`+placeholders(n)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for _, x := range list {
			out[x.Key] = x
		}
		keys = keys[n:]
	}
	return out, nil
}

func (r reportingTx) ApprovedValues(ctx context.Context, period int64, indicators []string) ([]tinhso.ApprovedValue, error) {
	if len(indicators) == 0 {
		return nil, nil
	}
	args := []any{period, tinhso.StatusApproved}
	for _, k := range indicators {
		args = append(args, k)
	}
	rows, err := r.tx.query(ctx, `SELECT s.id, i.key, v.number, v.weight FROM indicator_values v JOIN submissions s ON s.id = v.submission_id
		JOIN indicators i ON i.id = v.indicator_id
		WHERE s.period_id = ? AND s.status = ? AND v.number IS NOT NULL AND i.key IN (`+placeholders(len(indicators))+`)
		ORDER BY s.approved_at, s.id, i.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tinhso.ApprovedValue
	for rows.Next() {
		var v tinhso.ApprovedValue
		var w *float64
		if err := rows.Scan(&v.Submission, &v.Indicator, &v.Number, &w); err != nil {
			return nil, err
		}
		v.Weight = w
		out = append(out, v)
	}
	return out, rows.Err()
}

func (r reportingTx) CreatePeriod(ctx context.Context, rg *tinhso.Regime, p *tinhso.Period, units []tinhso.PlannedUnit) error {
	tx := r.tx
	actor := tinhso.ActorFrom(ctx)
	pid, err := tx.insert(ctx, `INSERT INTO periods (regime_id, label, year, number, start_date, end_date, data_from, data_to, due, status, opened_at, opened_by)
		VALUES (`+placeholders(12)+`)`, rg.ID, p.Label, p.Year, p.Number, p.Start, p.End, p.DataFrom, p.DataTo, p.Due, "open", tx.stamp(), actor.Username)
	if err != nil {
		if tx.db.dialect.mapError(err, tinhso.Message{}) != err {
			return tinhso.Errorf(tinhso.ECONFLICT, "err.period.opened_already", p.Label, rg.Key)
		}
		return err
	}
	for _, pu := range units {
		uid, err := orgUnitIDs(ctx, tx, "org_unit", []string{pu.Code})
		if err != nil {
			return err
		}
		sid, err := tx.insert(ctx, `INSERT INTO submissions (period_id, org_unit_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			pid, uid[0], tinhso.StatusDraft, tx.stamp(), tx.stamp())
		if err != nil {
			return err
		}
		for _, k := range pu.Indicators {
			if _, err := tx.exec(ctx, `INSERT INTO submission_indicators (submission_id, indicator_id) SELECT ?, id FROM indicators WHERE key = ?`, sid, k); err != nil {
				return err
			}
		}
		for _, k := range pu.Tasks {
			if _, err := tx.exec(ctx, `INSERT INTO submission_tasks (submission_id, task_id) SELECT ?, id FROM tasks WHERE key = ?`, sid, k); err != nil {
				return err
			}
		}
	}
	p.ID, p.OpenedAt, p.Status = pid, tx.now, "open"
	return nil
}

func (r reportingTx) SetPeriodStatus(ctx context.Context, id int64, status string) error {
	_, err := r.tx.exec(ctx, `UPDATE periods SET status = ? WHERE id = ?`, status, id)
	return err
}

func (r reportingTx) ClaimSubmission(ctx context.Context, id int64, version int) error {
	return claimVersion(ctx, r.tx, "submissions", id, version, tinhso.M("what.the_submission"))
}

func (r reportingTx) SetSubmissionState(ctx context.Context, id int64, st tinhso.SubmissionState) error {
	_, err := r.tx.exec(ctx, `UPDATE submissions SET status = ?, return_reason = ?, resubmitted = ?, submitted_at = ?, approved_at = ? WHERE id = ?`,
		st.Status, st.ReturnReason, st.Resubmitted, stampOrNull(st.SubmittedAt), stampOrNull(st.ApprovedAt), id)
	return err
}

// stampOrNull is how an optional time is stored.
func stampOrNull(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC().Format(timeFormat)
}

func (r reportingTx) ReplaceItems(ctx context.Context, id int64, values []tinhso.IndicatorValue, progress []tinhso.TaskProgress) error {
	tx := r.tx
	for _, q := range []string{`DELETE FROM indicator_values WHERE submission_id = ?`, `DELETE FROM task_progress WHERE submission_id = ?`} {
		if _, err := tx.exec(ctx, q, id); err != nil {
			return err
		}
	}
	for _, v := range values {
		var n, w any
		if v.Number != nil {
			n = *v.Number
		}
		if v.Weight != nil {
			w = *v.Weight
		}
		if _, err := tx.exec(ctx, `INSERT INTO indicator_values (submission_id, indicator_id, number, unit, text, note, weight)
			SELECT ?, id, ?, ?, ?, ?, ? FROM indicators WHERE key = ?`, id, n, v.Unit, v.Text, v.Note, w, v.Indicator); err != nil {
			return err
		}
	}
	for _, p := range progress {
		var pct any
		if p.Percent != nil {
			pct = *p.Percent
		}
		if _, err := tx.exec(ctx, `INSERT INTO task_progress (submission_id, task_id, percent, done, deliverable_link, deliverable_file, note)
			SELECT ?, id, ?, ?, ?, ?, ? FROM tasks WHERE key = ?`, id, pct, boolInt(p.Done), p.DeliverableLink, p.DeliverableFile, p.Note, p.Task); err != nil {
			return err
		}
	}
	return nil
}

func (r reportingTx) PutEvidence(ctx context.Context, id int64, e tinhso.Evidence) error {
	tx := r.tx
	if _, err := tx.exec(ctx, `DELETE FROM evidence WHERE submission_id = ? AND hash = ?`, id, e.Hash); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO evidence (submission_id, hash, name, media_type, size, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, e.Hash, e.Name, e.MediaType, e.Size, e.UploadedBy, e.UploadedAt.UTC().Format(timeFormat))
	return err
}

func (r reportingTx) ReplaceFigures(ctx context.Context, period int64, indicators []string, figs []tinhso.Figure) error {
	tx := r.tx
	if len(indicators) == 0 {
		return nil
	}
	args := []any{period}
	for _, k := range indicators {
		args = append(args, k)
	}
	if _, err := tx.exec(ctx, `DELETE FROM figures WHERE period_id = ? AND indicator_id IN (SELECT id FROM indicators WHERE key IN (`+placeholders(len(indicators))+`))`, args...); err != nil {
		return err
	}
	for _, f := range figs {
		if _, err := tx.exec(ctx, `INSERT INTO figures (period_id, indicator_id, value, aggregation, count, submissions, computed_at)
			SELECT ?, id, ?, ?, ?, ?, ? FROM indicators WHERE key = ?`, period, f.Value, f.Aggregation, f.Count, jsonText(f.Submissions), tx.stamp(), f.Indicator); err != nil {
			return err
		}
	}
	return nil
}

func (r reportingTx) AnswerNotifications(ctx context.Context, keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	args := []any{r.tx.stamp()}
	for _, k := range keys {
		args = append(args, k)
	}
	_, err := r.tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE read_at IS NULL AND key IN (`+placeholders(len(keys))+`)`, args...)
	return err
}

func (r reportingTx) Audit(ctx context.Context, action, entity, id string, before, after any) error {
	return appendAudit(ctx, r.tx, action, entity, id, before, after)
}

var _ tinhso.ReportingTx = reportingTx{}
