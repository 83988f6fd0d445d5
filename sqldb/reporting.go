package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"unicode"

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
			return db.dialect.mapError(err, "A regime with key "+r.Key)
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
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "No reporting regime with id or key %q.", ref)
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

func planPeriod(ctx context.Context, tx *Tx, regime string, year, number int) (*tinhso.Regime, *tinhso.PeriodPlan, error) {
	r, err := findRegime(ctx, tx, regime)
	if err != nil {
		return nil, nil, err
	}
	p, err := tinhso.PeriodOf(r, year, number)
	if err != nil {
		return nil, nil, err
	}
	org, err := loadOrg(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	inds, tasks, err := documentItems(ctx, tx, r.Document)
	if err != nil {
		return nil, nil, err
	}
	plan := org.PlanPeriod(p, inds, tasks, r.Reporters)
	return r, &plan, nil
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

// PlanPeriod works out a period's expected submissions and blockers without storing.
func (db *DB) PlanPeriod(ctx context.Context, regime string, year, number int) (*tinhso.PeriodPlan, error) {
	var plan *tinhso.PeriodPlan
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		_, plan, err = planPeriod(ctx, tx, regime, year, number)
		return err
	})
	return plan, err
}

// OpenPeriod opens a period and creates one submission per responsible unit.
func (db *DB) OpenPeriod(ctx context.Context, regime string, year, number int) (*tinhso.Period, error) {
	var out *tinhso.Period
	err := db.writeTx(ctx, func(tx *Tx) error {
		r, plan, err := planPeriod(ctx, tx, regime, year, number)
		if err != nil {
			return err
		}
		if len(plan.Blockers) > 0 {
			return &tinhso.Error{Code: tinhso.ECONFLICT, Field: "blockers",
				Message: "The period cannot open: some agencies the plan names cannot be asked to report. Resolve each (record a succession, import a group's members) and try again.",
				Details: plan.Blockers}
		}
		if len(plan.Units) == 0 {
			return tinhso.Errorf(tinhso.EINVALID, "Nobody reports in this period: the document's indicators and tasks name no agency.")
		}
		p := plan.Period
		actor := tinhso.ActorFrom(ctx)
		pid, err := tx.insert(ctx, `INSERT INTO periods (regime_id, label, year, number, start_date, end_date, data_from, data_to, due, status, opened_at, opened_by)
			VALUES (`+placeholders(12)+`)`, r.ID, p.Label, p.Year, p.Number, p.Start, p.End, p.DataFrom, p.DataTo, p.Due, "open", tx.stamp(), actor.Username)
		if err != nil {
			if db.dialect.mapError(err, "") != err {
				return tinhso.Errorf(tinhso.ECONFLICT, "Period %s of %s was opened already (it may be closed now); see GET /api/v1/periods?regime=%s.", p.Label, r.Key, r.Key)
			}
			return err
		}
		for _, pu := range plan.Units {
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
		p.ID, p.OpenedAt = pid, tx.now
		out = &p
		return appendAudit(ctx, tx, "period.open", "period", strconv.FormatInt(pid, 10), nil, map[string]any{"period": p, "submissions": len(plan.Units)})
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
		p, err = scanPeriod(tx.queryRow(ctx, `SELECT `+periodCols+` FROM periods p JOIN regimes r ON r.id = p.regime_id WHERE p.id = ?`, id))
		if err != nil {
			return tinhso.Errorf(tinhso.ENOTFOUND, "No period with id %d.", id)
		}
		return nil
	})
	return p, err
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

// periodOpen refuses a change to a submission of a closed period.
func periodOpen(ctx context.Context, tx *Tx, s *tinhso.Submission) error {
	var status string
	if err := tx.queryRow(ctx, `SELECT status FROM periods WHERE id = ?`, s.Period).Scan(&status); err != nil {
		return err
	}
	if status != "open" {
		return tinhso.Errorf(tinhso.ECONFLICT, "Period %s is closed: its submissions can no longer change.", s.Label)
	}
	return nil
}

func findSubmission(ctx context.Context, tx *Tx, id int64) (*tinhso.Submission, error) {
	x, err := scanSubmission(tx.queryRow(ctx, `SELECT `+submissionCols+submissionFrom+` WHERE s.id = ?`, id))
	if err != nil {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "No submission with id %d.", id)
	}
	for _, q := range []struct {
		sql string
		dst *[]string
	}{
		{`SELECT i.key FROM submission_indicators si JOIN indicators i ON i.id = si.indicator_id WHERE si.submission_id = ? ORDER BY i.id`, &x.Indicators},
		{`SELECT t.key FROM submission_tasks st JOIN tasks t ON t.id = st.task_id WHERE st.submission_id = ? ORDER BY t.id`, &x.Tasks},
	} {
		rows, err := tx.query(ctx, q.sql, id)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, err
			}
			*q.dst = append(*q.dst, k)
		}
		rows.Close()
	}
	rows, err := tx.query(ctx, `SELECT i.key, v.number, v.unit, v.text, v.note FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id
		WHERE v.submission_id = ? ORDER BY i.id`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var v tinhso.IndicatorValue
		var n sql.NullFloat64
		if err := rows.Scan(&v.Indicator, &n, &v.Unit, &v.Text, &v.Note); err != nil {
			rows.Close()
			return nil, err
		}
		if n.Valid {
			f := n.Float64
			v.Number = &f
		}
		x.Values = append(x.Values, v)
	}
	rows.Close()
	rows, err = tx.query(ctx, `SELECT t.key, p.percent, p.done, p.deliverable_link, p.deliverable_file, p.note FROM task_progress p JOIN tasks t ON t.id = p.task_id
		WHERE p.submission_id = ? ORDER BY t.id`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p tinhso.TaskProgress
		var pct sql.NullInt64
		var done int
		if err := rows.Scan(&p.Task, &pct, &done, &p.DeliverableLink, &p.DeliverableFile, &p.Note); err != nil {
			rows.Close()
			return nil, err
		}
		if pct.Valid {
			n := int(pct.Int64)
			p.Percent = &n
		}
		p.Done = done != 0
		x.Progress = append(x.Progress, p)
	}
	rows.Close()
	rows, err = tx.query(ctx, `SELECT hash, name, media_type, size, uploaded_by, uploaded_at FROM evidence WHERE submission_id = ? ORDER BY uploaded_at, hash`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e tinhso.Evidence
		var at string
		if err := rows.Scan(&e.Hash, &e.Name, &e.MediaType, &e.Size, &e.UploadedBy, &at); err != nil {
			return nil, err
		}
		e.UploadedAt = parseStamp(at)
		x.Evidence = append(x.Evidence, e)
	}
	return x, rows.Err()
}

// SaveSubmission replaces a draft or returned submission's values and progress; every
// value is checked against its indicator, every task against the submission's tasks.
func (db *DB) SaveSubmission(ctx context.Context, id int64, values []tinhso.IndicatorValue, progress []tinhso.TaskProgress, version int) (*tinhso.Submission, error) {
	var out *tinhso.Submission
	err := db.writeTx(ctx, func(tx *Tx) error {
		before, err := findSubmission(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Status != tinhso.StatusDraft && before.Status != tinhso.StatusReturned {
			return tinhso.Errorf(tinhso.ECONFLICT, "A %s submission cannot be changed; only a draft or a returned one.", before.Status)
		}
		if err := periodOpen(ctx, tx, before); err != nil {
			return err
		}
		if err := checkItems(ctx, tx, before, values, progress); err != nil {
			return err
		}
		if err := claimVersion(ctx, tx, "submissions", id, version, "Submission"); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM indicator_values WHERE submission_id = ?`, `DELETE FROM task_progress WHERE submission_id = ?`} {
			if _, err := tx.exec(ctx, q, id); err != nil {
				return err
			}
		}
		for _, v := range values {
			var n any
			if v.Number != nil {
				n = *v.Number
			}
			if _, err := tx.exec(ctx, `INSERT INTO indicator_values (submission_id, indicator_id, number, unit, text, note)
				SELECT ?, id, ?, ?, ?, ? FROM indicators WHERE key = ?`, id, n, v.Unit, v.Text, v.Note, v.Indicator); err != nil {
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
		if out, err = findSubmission(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, "submission.save", "submission", strconv.FormatInt(id, 10),
			map[string]any{"values": before.Values, "progress": before.Progress}, map[string]any{"values": out.Values, "progress": out.Progress})
	})
	return out, err
}

// checkItems validates values and progress against what the submission covers.
func checkItems(ctx context.Context, tx *Tx, s *tinhso.Submission, values []tinhso.IndicatorValue, progress []tinhso.TaskProgress) error {
	expected := map[string]bool{}
	for _, k := range s.Indicators {
		expected[k] = true
	}
	seen := map[string]bool{}
	for i, v := range values {
		field := "values[" + strconv.Itoa(i) + "]"
		if !expected[v.Indicator] {
			return tinhso.Invalid(field+".indicator", "%s: indicator %q is not one this unit reports on in this period", field, v.Indicator)
		}
		if seen[v.Indicator] {
			return tinhso.Invalid(field+".indicator", "%s: indicator %q is given twice", field, v.Indicator)
		}
		seen[v.Indicator] = true
		ind, err := scanIndicator(tx.queryRow(ctx, `SELECT `+indicatorCols+indicatorFrom+` WHERE i.key = ?`, v.Indicator), false)
		if err != nil {
			return err
		}
		if err := tinhso.ValidateValue(field, v, ind); err != nil {
			return err
		}
	}
	tasks := map[string]bool{}
	for _, k := range s.Tasks {
		tasks[k] = true
	}
	files := map[string]bool{}
	for _, e := range s.Evidence {
		files[e.Hash] = true
	}
	seen = map[string]bool{}
	for i, p := range progress {
		field := "progress[" + strconv.Itoa(i) + "]"
		switch {
		case !tasks[p.Task]:
			return tinhso.Invalid(field+".task", "%s: task %q is not one this unit reports on in this period", field, p.Task)
		case seen[p.Task]:
			return tinhso.Invalid(field+".task", "%s: task %q is given twice", field, p.Task)
		case p.Percent != nil && (*p.Percent < 0 || *p.Percent > 100):
			return tinhso.Invalid(field+".percent", "%s: percent must be from 0 to 100, not %d", field, *p.Percent)
		case p.Done && p.DeliverableLink == "" && p.DeliverableFile == "":
			return tinhso.Invalid(field+".done", "%s: a task claimed done needs its deliverable: a link or an attached file", field)
		case p.DeliverableFile != "" && !files[p.DeliverableFile]:
			return tinhso.Invalid(field+".deliverable_file", "%s: %q is not a file attached to this submission", field, tinhso.Clip(p.DeliverableFile, 20))
		}
		if p.DeliverableLink != "" {
			u, err := url.Parse(p.DeliverableLink)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(p.DeliverableLink) > 2000 {
				return tinhso.Invalid(field+".deliverable_link", "%s: the deliverable link must be an http(s) address", field)
			}
		}
		if len([]rune(p.Note)) > 5000 || strings.ContainsRune(p.Note, 0) {
			return tinhso.Invalid(field+".note", "%s: the note is too long or holds a NUL", field)
		}
		seen[p.Task] = true
	}
	return nil
}

// Transition moves a submission along its states and records it.
func (db *DB) Transition(ctx context.Context, id int64, transition, reason string, version int) (*tinhso.Submission, error) {
	var out *tinhso.Submission
	err := db.writeTx(ctx, func(tx *Tx) error {
		before, err := findSubmission(ctx, tx, id)
		if err != nil {
			return err
		}
		next, err := tinhso.Next(before.Status, transition)
		if err != nil {
			return err
		}
		if err := periodOpen(ctx, tx, before); err != nil {
			return err
		}
		if transition == tinhso.TransReturn && !hasVisible(reason) {
			return tinhso.Invalid("reason", "a returned submission needs the reason, for the unit to correct it")
		}
		if err := claimVersion(ctx, tx, "submissions", id, version, "Submission"); err != nil {
			return err
		}
		switch transition {
		case tinhso.TransSubmit:
			resub := 0
			if before.Status == tinhso.StatusReturned {
				resub = 1
			}
			_, err = tx.exec(ctx, `UPDATE submissions SET status = ?, submitted_at = ?, resubmitted = resubmitted + ? WHERE id = ?`, next, tx.stamp(), resub, id)
		case tinhso.TransReturn:
			_, err = tx.exec(ctx, `UPDATE submissions SET status = ?, return_reason = ? WHERE id = ?`, next, reason, id)
		case tinhso.TransApprove:
			_, err = tx.exec(ctx, `UPDATE submissions SET status = ?, approved_at = ? WHERE id = ?`, next, tx.stamp(), id)
		}
		if err != nil {
			return err
		}
		if transition == tinhso.TransApprove {
			if err := recomputeFigures(ctx, tx, before.Period, before.Indicators); err != nil {
				return err
			}
		}
		if transition == tinhso.TransSubmit {
			// Its reminders for the period are answered.
			if _, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE read_at IS NULL AND key IN (?, ?)`, tx.stamp(),
				"reminder_before:"+itoa(int(before.Period))+":"+before.OrgUnit, "reminder_overdue:"+itoa(int(before.Period))+":"+before.OrgUnit); err != nil {
				return err
			}
		}
		if out, err = findSubmission(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, "submission."+transition, "submission", strconv.FormatInt(id, 10),
			map[string]any{"status": before.Status}, map[string]any{"status": next, "reason": reason})
	})
	return out, err
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

// recomputeFigures makes the province figures of indicators in a period from the
// approved values, in order of approval.
func recomputeFigures(ctx context.Context, tx *Tx, period int64, keys []string) error {
	for _, key := range keys {
		var indID int64
		var agg string
		if err := tx.queryRow(ctx, `SELECT id, aggregation FROM indicators WHERE key = ?`, key).Scan(&indID, &agg); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT s.id, v.number FROM indicator_values v JOIN submissions s ON s.id = v.submission_id
			WHERE s.period_id = ? AND s.status = ? AND v.indicator_id = ? AND v.number IS NOT NULL ORDER BY s.approved_at, s.id`,
			period, tinhso.StatusApproved, indID)
		if err != nil {
			return err
		}
		var ids []int64
		var vals, weights []float64
		for rows.Next() {
			var id int64
			var v float64
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return err
			}
			ids, vals, weights = append(ids, id), append(vals, v), append(weights, 1)
		}
		rows.Close()
		if _, err := tx.exec(ctx, `DELETE FROM figures WHERE period_id = ? AND indicator_id = ?`, period, indID); err != nil {
			return err
		}
		if agg == "" {
			agg = "mean"
		}
		fig, ok := tinhso.Aggregate(agg, vals, weights)
		if !ok {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO figures (period_id, indicator_id, value, aggregation, count, submissions, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			period, indID, fig, agg, len(vals), jsonText(ids), tx.stamp()); err != nil {
			return err
		}
	}
	return nil
}

// AddEvidence attaches a stored file to a draft or returned submission.
func (db *DB) AddEvidence(ctx context.Context, id int64, e tinhso.Evidence) (*tinhso.Submission, error) {
	var out *tinhso.Submission
	err := db.writeTx(ctx, func(tx *Tx) error {
		before, err := findSubmission(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Status != tinhso.StatusDraft && before.Status != tinhso.StatusReturned {
			return tinhso.Errorf(tinhso.ECONFLICT, "Files can be attached to a draft or returned submission, not a %s one.", before.Status)
		}
		if err := periodOpen(ctx, tx, before); err != nil {
			return err
		}
		if err := claimVersion(ctx, tx, "submissions", id, 0, "Submission"); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM evidence WHERE submission_id = ? AND hash = ?`, id, e.Hash); err != nil {
			return err
		}
		e.UploadedBy, e.UploadedAt = tinhso.ActorFrom(ctx).Username, tx.now
		if _, err := tx.exec(ctx, `INSERT INTO evidence (submission_id, hash, name, media_type, size, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, e.Hash, e.Name, e.MediaType, e.Size, e.UploadedBy, tx.stamp()); err != nil {
			return err
		}
		if out, err = findSubmission(ctx, tx, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, "submission.evidence", "submission", strconv.FormatInt(id, 10), nil, e)
	})
	return out, err
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
		id, err := tx.insert(ctx, `INSERT INTO notifications (key, org_unit_id, kind, message, link, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			n.Key, unit, n.Kind, n.Message, n.Link, tx.stamp())
		if err != nil {
			return db.dialect.mapError(err, "Notification "+n.Key)
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
		rows, err := tx.query(ctx, `SELECT n.id, n.key, COALESCE(u.code, ''), n.kind, n.message, n.link, n.created_at, n.read_at`+from+w.String()+
			` ORDER BY n.id DESC`+lim, append(w.args, largs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			n := &tinhso.Notification{}
			var ca string
			var ra sql.NullString
			if err := rows.Scan(&n.ID, &n.Key, &n.OrgUnit, &n.Kind, &n.Message, &n.Link, &ca, &ra); err != nil {
				return err
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

// ClosePeriod closes an open period.
func (db *DB) ClosePeriod(ctx context.Context, id int64) (*tinhso.Period, error) {
	var out *tinhso.Period
	err := db.writeTx(ctx, func(tx *Tx) error {
		p, err := scanPeriod(tx.queryRow(ctx, `SELECT `+periodCols+` FROM periods p JOIN regimes r ON r.id = p.regime_id WHERE p.id = ?`, id))
		if err != nil {
			return tinhso.Errorf(tinhso.ENOTFOUND, "No period with id %d.", id)
		}
		if p.Status != "open" {
			return tinhso.Errorf(tinhso.ECONFLICT, "Period %s is already closed.", p.Label)
		}
		if _, err := tx.exec(ctx, `UPDATE periods SET status = 'closed' WHERE id = ?`, id); err != nil {
			return err
		}
		p.Status = "closed"
		out = p
		return appendAudit(ctx, tx, "period.close", "period", itoa(int(id)), map[string]any{"status": "open"}, map[string]any{"status": "closed"})
	})
	return out, err
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
			return tinhso.Errorf(tinhso.ENOTFOUND, "No notification with id %d.", id)
		}
		_, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL`, tx.stamp(), id)
		return err
	})
}
