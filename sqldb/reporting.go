package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/tinhso/tinhso"
)

// CreateRegime stores a reporting regime.
func (db *DB) CreateRegime(ctx context.Context, r *tinhso.Regime) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		docID, err := documentID(ctx, tx, r.Document)
		if err != nil {
			return err
		}
		if r.Document, err = documentSlug(ctx, tx, docID); err != nil {
			return err
		}
		if _, err := orgUnitIDs(ctx, tx, "reporters", r.Reporters); err != nil {
			return err
		}
		var receiver any
		if r.Receiver != "" {
			ids, err := orgUnitIDs(ctx, tx, "receiver", []string{r.Receiver})
			if err != nil {
				return err
			}
			receiver = ids[0]
		}
		if r.Reporters == nil {
			r.Reporters = []string{}
		}
		id, err := tx.insert(ctx, `INSERT INTO regimes (key, name, content, document_id, reporters, receiver_id, frequency, cutoff_day, deadline_days, created_at, updated_at)
			VALUES (`+placeholders(11)+`)`, r.Key, r.Name, r.Content, docID, jsonText(r.Reporters), receiver, r.Frequency, r.CutoffDay, r.DeadlineDays, tx.stamp(), tx.stamp())
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("what.regime_key", r.Key))
		}
		r.ID, r.Version, r.CreatedAt = id, 1, tx.now
		return appendAudit(ctx, tx, "regime.create", "regime", r.Key, nil, r)
	})
}

const regimeCols = `r.id, r.key, r.name, r.content, d.slug, r.reporters, COALESCE(u.code, ''), r.frequency, r.cutoff_day, r.deadline_days, r.version, r.created_at`
const regimeFrom = ` FROM regimes r JOIN documents d ON d.id = r.document_id LEFT JOIN org_units u ON u.id = r.receiver_id`

func scanRegime(s interface{ Scan(...any) error }) (*tinhso.Regime, error) {
	r := &tinhso.Regime{}
	var reporters, ca string
	if err := s.Scan(&r.ID, &r.Key, &r.Name, &r.Content, &r.Document, &reporters, &r.Receiver, &r.Frequency, &r.CutoffDay, &r.DeadlineDays, &r.Version, &ca); err != nil {
		return nil, err
	}
	r.Reporters = scanFlags(reporters)
	if r.Reporters == nil {
		r.Reporters = []string{}
	}
	r.CreatedAt = parseStamp(ca)
	return r, nil
}

// FindRegimes lists the regimes.
func (db *DB) FindRegimes(ctx context.Context) ([]*tinhso.Regime, error) {
	var out []*tinhso.Regime
	err := db.readTx(ctx, func(tx *Tx) error {
		list, err := queryAll(ctx, tx, scanRegime, `SELECT `+regimeCols+regimeFrom+` ORDER BY r.id`)
		out = list
		return err
	})
	return out, err
}

// FindRegime finds a regime by id or key.
func (db *DB) FindRegime(ctx context.Context, ref string) (*tinhso.Regime, error) {
	var r *tinhso.Regime
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		r, err = findRegime(ctx, tx, ref)
		return err
	})
	return r, err
}

func findRegime(ctx context.Context, tx *Tx, ref string) (*tinhso.Regime, error) {
	id, _ := strconv.ParseInt(ref, 10, 64)
	r, err := scanRegime(tx.queryRow(ctx, `SELECT `+regimeCols+regimeFrom+` WHERE r.key = ? OR r.id = ? ORDER BY r.id LIMIT 1`, ref, id))
	if err != nil {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.reporting.regime", ref)
	}
	return r, nil
}

// loadOrg reads every org unit with its members, and the successions.
func loadOrg(ctx context.Context, tx *Tx) (*tinhso.Org, error) {
	org := &tinhso.Org{Units: map[string]*tinhso.OrgUnit{}}
	rows, err := tx.query(ctx, `SELECT `+orgUnitCols+orgUnitFrom)
	if err != nil {
		return nil, err
	}
	var list []*tinhso.OrgUnit
	for rows.Next() {
		u, err := scanOrgUnit(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		org.Units[u.Code] = u
		list = append(list, u)
	}
	rows.Close()
	for len(list) > 0 {
		n := min(len(list), 500)
		if err := attachOrgUnitLists(ctx, tx, list[:n]); err != nil {
			return nil, err
		}
		list = list[n:]
	}
	org.Successions, err = findSuccessions(ctx, tx, "")
	return org, err
}

// periodFacts reads what opening a period of a regime is judged on.
func periodFacts(ctx context.Context, tx *Tx, regime string) (*tinhso.PeriodFacts, error) {
	r, err := findRegime(ctx, tx, regime)
	if err != nil {
		return nil, err
	}
	org, err := loadOrg(ctx, tx)
	if err != nil {
		return nil, err
	}
	inds, tasks, err := documentItems(ctx, tx, r.Document)
	if err != nil {
		return nil, err
	}
	return &tinhso.PeriodFacts{Regime: r, Org: org, Indicators: inds, Tasks: tasks}, nil
}

// documentItems reads a document's indicators and tasks with their agencies.
func documentItems(ctx context.Context, tx *Tx, doc string) ([]*tinhso.Indicator, []*tinhso.Task, error) {
	docID, err := documentID(ctx, tx, doc)
	if err != nil {
		return nil, nil, err
	}
	rows, err := tx.query(ctx, `SELECT `+indicatorCols+indicatorFrom+` WHERE i.document_id = ? ORDER BY i.id`, docID)
	if err != nil {
		return nil, nil, err
	}
	var inds []*tinhso.Indicator
	for rows.Next() {
		x, err := scanIndicator(rows, false)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		inds = append(inds, x)
	}
	rows.Close()
	if err := attachIndicatorAgencies(ctx, tx, inds); err != nil {
		return nil, nil, err
	}
	rows, err = tx.query(ctx, `SELECT `+taskCols+taskFrom+` WHERE t.document_id = ? ORDER BY t.id`, docID)
	if err != nil {
		return nil, nil, err
	}
	var tasks []*tinhso.Task
	for rows.Next() {
		t, err := scanTask(rows, false)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		tasks = append(tasks, t)
	}
	rows.Close()
	return inds, tasks, attachTaskAgencies(ctx, tx, tasks)
}

// PeriodFacts reads what opening a period of a regime is judged on.
func (db *DB) PeriodFacts(ctx context.Context, regime string) (*tinhso.PeriodFacts, error) {
	var out *tinhso.PeriodFacts
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = periodFacts(ctx, tx, regime)
		return err
	})
	return out, err
}

const periodCols = `p.id, r.key, p.label, p.year, p.number, p.start_date, p.end_date, p.data_from, p.data_to, p.due, p.status, p.opened_at`

func scanPeriod(s interface{ Scan(...any) error }) (*tinhso.Period, error) {
	p := &tinhso.Period{}
	var oa string
	err := s.Scan(&p.ID, &p.Regime, &p.Label, &p.Year, &p.Number, &p.Start, &p.End, &p.DataFrom, &p.DataTo, &p.Due, &p.Status, &oa)
	p.OpenedAt = parseStamp(oa)
	return p, err
}

// FindPeriods lists periods, of one regime or all, newest first.
func (db *DB) FindPeriods(ctx context.Context, regime string) ([]*tinhso.Period, error) {
	var out []*tinhso.Period
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if regime != "" {
			w.add("r.key = ?", regime)
		}
		list, err := queryAll(ctx, tx, scanPeriod, `SELECT `+periodCols+` FROM periods p JOIN regimes r ON r.id = p.regime_id`+w.String()+` ORDER BY p.start_date DESC, p.id DESC`, w.args...)
		out = list
		return err
	})
	return out, err
}

// FindPeriod finds a period by id.
func (db *DB) FindPeriod(ctx context.Context, id int64) (*tinhso.Period, error) {
	var p *tinhso.Period
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		p, err = findPeriod(ctx, tx, id)
		return err
	})
	return p, err
}

func findPeriod(ctx context.Context, tx *Tx, id int64) (*tinhso.Period, error) {
	p, err := scanPeriod(tx.queryRow(ctx, `SELECT `+periodCols+` FROM periods p JOIN regimes r ON r.id = p.regime_id WHERE p.id = ?`, id))
	if err != nil {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.reporting.period", id)
	}
	return p, nil
}

const submissionCols = `s.id, s.period_id, p.label, u.code, u.name, s.status, s.resubmitted, s.return_reason, s.submitted_at, s.approved_at, s.version, s.updated_at`
const submissionFrom = ` FROM submissions s JOIN periods p ON p.id = s.period_id JOIN org_units u ON u.id = s.org_unit_id`

func scanSubmission(s interface{ Scan(...any) error }) (*tinhso.Submission, error) {
	x := &tinhso.Submission{Indicators: []string{}, Tasks: []string{}, Values: []tinhso.IndicatorValue{}, Progress: []tinhso.TaskProgress{}, Evidence: []tinhso.Evidence{}}
	var sub, app sql.NullString
	var ua string
	if err := s.Scan(&x.ID, &x.Period, &x.Label, &x.OrgUnit, &x.UnitName, &x.Status, &x.Resubmitted, &x.ReturnReason, &sub, &app, &x.Version, &ua); err != nil {
		return nil, err
	}
	if sub.Valid {
		t := parseStamp(sub.String)
		x.SubmittedAt = &t
	}
	if app.Valid {
		t := parseStamp(app.String)
		x.ApprovedAt = &t
	}
	x.UpdatedAt = parseStamp(ua)
	return x, nil
}

// FindSubmissions lists submissions (without their values) by period and unit.
func (db *DB) FindSubmissions(ctx context.Context, f tinhso.SubmissionFilter) ([]*tinhso.Submission, int, error) {
	var out []*tinhso.Submission
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if f.Period != 0 {
			w.add("s.period_id = ?", f.Period)
		}
		if f.OrgUnit != "" {
			w.add("u.code = ?", f.OrgUnit)
		}
		if f.Status != "" {
			w.add("s.status = ?", f.Status)
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*)`+submissionFrom+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(f.Page)
		list, err := queryAll(ctx, tx, scanSubmission, `SELECT `+submissionCols+submissionFrom+w.String()+` ORDER BY p.start_date DESC, `+db.dialect.byteOrder("u.code")+lim, append(w.args, largs...)...)
		if err == nil && f.Items {
			err = attachSubmissionItems(ctx, tx, list)
		}
		out = list
		return err
	})
	return out, total, err
}

// FindSubmission finds a submission with everything in it.
func (db *DB) FindSubmission(ctx context.Context, id int64) (*tinhso.Submission, error) {
	var x *tinhso.Submission
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		x, err = findSubmission(ctx, tx, id)
		return err
	})
	return x, err
}

func findSubmission(ctx context.Context, tx *Tx, id int64) (*tinhso.Submission, error) {
	x, err := scanSubmission(tx.queryRow(ctx, `SELECT `+submissionCols+submissionFrom+` WHERE s.id = ?`, id))
	if err != nil {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.reporting.submission", id)
	}
	return x, attachSubmissionItems(ctx, tx, []*tinhso.Submission{x})
}

// attachSubmissionItems reads the expected indicators and tasks, values, progress and
// evidence of submissions: five queries for up to 500 submissions at a time.
func attachSubmissionItems(ctx context.Context, tx *Tx, subs []*tinhso.Submission) error {
	for len(subs) > 0 {
		n := min(len(subs), 500)
		if err := attachItems(ctx, tx, subs[:n]); err != nil {
			return err
		}
		subs = subs[n:]
	}
	return nil
}

func attachItems(ctx context.Context, tx *Tx, subs []*tinhso.Submission) error {
	if len(subs) == 0 {
		return nil
	}
	byID := make(map[int64]*tinhso.Submission, len(subs))
	ids := make([]any, len(subs))
	for i, x := range subs {
		byID[x.ID], ids[i] = x, x.ID
	}
	in := ` IN (` + placeholders(len(ids)) + `)`
	for _, q := range []struct {
		sql string
		dst func(*tinhso.Submission) *[]string
	}{
		{`SELECT si.submission_id, i.key FROM submission_indicators si JOIN indicators i ON i.id = si.indicator_id WHERE si.submission_id` + in + ` ORDER BY si.submission_id, i.id`,
			func(x *tinhso.Submission) *[]string { return &x.Indicators }},
		{`SELECT st.submission_id, t.key FROM submission_tasks st JOIN tasks t ON t.id = st.task_id WHERE st.submission_id` + in + ` ORDER BY st.submission_id, t.id`,
			func(x *tinhso.Submission) *[]string { return &x.Tasks }},
	} {
		rows, err := tx.query(ctx, q.sql, ids...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var sid int64
			var k string
			if err := rows.Scan(&sid, &k); err != nil {
				rows.Close()
				return err
			}
			dst := q.dst(byID[sid])
			*dst = append(*dst, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	rows, err := tx.query(ctx, `SELECT v.submission_id, i.key, v.number, v.unit, v.text, v.note, v.weight FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id
		WHERE v.submission_id`+in+` ORDER BY v.submission_id, i.id`, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var sid int64
		var v tinhso.IndicatorValue
		var n, wt sql.NullFloat64
		if err := rows.Scan(&sid, &v.Indicator, &n, &v.Unit, &v.Text, &v.Note, &wt); err != nil {
			rows.Close()
			return err
		}
		if n.Valid {
			f := n.Float64
			v.Number = &f
		}
		if wt.Valid {
			f := wt.Float64
			v.Weight = &f
		}
		byID[sid].Values = append(byID[sid].Values, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.query(ctx, `SELECT p.submission_id, t.key, p.percent, p.done, p.deliverable_link, p.deliverable_file, p.note FROM task_progress p JOIN tasks t ON t.id = p.task_id
		WHERE p.submission_id`+in+` ORDER BY p.submission_id, t.id`, ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var sid int64
		var p tinhso.TaskProgress
		var pct sql.NullInt64
		var done int
		if err := rows.Scan(&sid, &p.Task, &pct, &done, &p.DeliverableLink, &p.DeliverableFile, &p.Note); err != nil {
			rows.Close()
			return err
		}
		if pct.Valid {
			n := int(pct.Int64)
			p.Percent = &n
		}
		p.Done = done != 0
		byID[sid].Progress = append(byID[sid].Progress, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.query(ctx, `SELECT submission_id, hash, name, media_type, size, uploaded_by, uploaded_at FROM evidence WHERE submission_id`+in+` ORDER BY submission_id, uploaded_at, hash`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var sid int64
		var e tinhso.Evidence
		var at string
		if err := rows.Scan(&sid, &e.Hash, &e.Name, &e.MediaType, &e.Size, &e.UploadedBy, &at); err != nil {
			return err
		}
		e.UploadedAt = parseStamp(at)
		byID[sid].Evidence = append(byID[sid].Evidence, e)
	}
	return rows.Err()
}

// FindFigures lists a period's province figures with the submissions behind them.
func (db *DB) FindFigures(ctx context.Context, period int64) ([]tinhso.Figure, error) {
	var out []tinhso.Figure
	err := db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT i.key, i.code, i.name, i.unit, i.target_text, p.label, f.aggregation, f.value, f.count, f.submissions
			FROM figures f JOIN indicators i ON i.id = f.indicator_id JOIN periods p ON p.id = f.period_id WHERE f.period_id = ? ORDER BY i.id`, period)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f tinhso.Figure
			var target, subs string
			if err := rows.Scan(&f.Indicator, &f.Code, &f.Name, &f.Unit, &target, &f.Period, &f.Aggregation, &f.Value, &f.Count, &subs); err != nil {
				return err
			}
			f.Target = tinhso.ParseTarget(target, f.Unit)
			_ = json.Unmarshal([]byte(subs), &f.Submissions)
			out = append(out, f)
		}
		return rows.Err()
	})
	if out == nil {
		out = []tinhso.Figure{}
	}
	return out, err
}

// Notify stores a notification unless its key is taken.
func (db *DB) Notify(ctx context.Context, n *tinhso.Notification) (bool, error) {
	stored := false
	err := db.writeTx(ctx, func(tx *Tx) error {
		var c int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM notifications WHERE key = ?`, n.Key).Scan(&c); err != nil || c > 0 {
			return err
		}
		var unit any
		if n.OrgUnit != "" {
			ids, err := orgUnitIDs(ctx, tx, "org_unit", []string{n.OrgUnit})
			if err != nil {
				return err
			}
			unit = ids[0]
		}
		args := n.MessageArgs
		if args == nil {
			args = tinhso.Args{}
		}
		argsJSON, err := json.Marshal(args)
		if err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO notifications (key, org_unit_id, kind, message, message_key, message_args, link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			n.Key, unit, n.Kind, n.Message, n.MessageKey, string(argsJSON), n.Link, tx.stamp())
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("what.notification_key", n.Key))
		}
		n.ID, n.CreatedAt, stored = id, tx.now, true
		return nil
	})
	var e *tinhso.Error
	if errors.As(err, &e) && e.Code == tinhso.ECONFLICT {
		return false, nil // another node stored it first
	}
	return stored, err
}

// FindNotifications lists an org unit's notifications (all when orgUnit is ""), newest first.
func (db *DB) FindNotifications(ctx context.Context, orgUnit string, p tinhso.Page) ([]*tinhso.Notification, int, error) {
	var out []*tinhso.Notification
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if orgUnit != "" {
			w.add("u.code = ?", orgUnit)
		}
		from := ` FROM notifications n LEFT JOIN org_units u ON u.id = n.org_unit_id`
		if err := tx.queryRow(ctx, `SELECT COUNT(*)`+from+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(p)
		rows, err := tx.query(ctx, `SELECT n.id, n.key, COALESCE(u.code, ''), n.kind, n.message, n.message_key, n.message_args, n.link, n.created_at, n.read_at`+from+w.String()+
			` ORDER BY n.id DESC`+lim, append(w.args, largs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			n := &tinhso.Notification{}
			var ca, args string
			var ra sql.NullString
			if err := rows.Scan(&n.ID, &n.Key, &n.OrgUnit, &n.Kind, &n.Message, &n.MessageKey, &args, &n.Link, &ca, &ra); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(args), &n.MessageArgs); err != nil {
				return fmt.Errorf("sqldb: notification %d: message_args: %w", n.ID, err)
			}
			n.CreatedAt = parseStamp(ca)
			if ra.Valid {
				t := parseStamp(ra.String)
				n.ReadAt = &t
			}
			out = append(out, n)
		}
		return rows.Err()
	})
	return out, total, err
}

// MarkNotificationRead marks a notification read, once.
func (db *DB) MarkNotificationRead(ctx context.Context, id int64, orgUnit string) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		var w where
		w.add("n.id = ?", id)
		if orgUnit != "" {
			w.add("u.code = ?", orgUnit)
		}
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM notifications n LEFT JOIN org_units u ON u.id = n.org_unit_id`+w.String(), w.args...).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.reporting.notification", id)
		}
		_, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL`, tx.stamp(), id)
		return err
	})
}
