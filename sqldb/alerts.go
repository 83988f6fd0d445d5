package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/tinhso/tinhso"
)

// Alerts: rules, alerts and history, silences, webhooks, preferences, the outbox and
// deliveries, SMTP settings, supervising leaders, leases (migration 0013).

var _ tinhso.AlertStore = (*DB)(nil)

func secs(d tinhso.Duration) int64     { return int64(d.D() / time.Second) }
func fromSecs(n int64) tinhso.Duration { return tinhso.Duration(time.Duration(n) * time.Second) }
func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}
func stampOf(t time.Time) string { return authStamp(t) }
func stampPtr(t *time.Time) any  { return nullStamp(t) }

const ruleCols = `id, key, name, kind, severity, builtin, enabled, document, org_unit, indicator, subject, op, threshold,
	eval_seconds, repeat_seconds, escalation_seconds, evaluated_at, version, created_at, updated_at, clear_margin,
	COALESCE(clear_after_seconds, 0)`

// ruleFrom is the rules with their hysteresis (migration 0011).
const ruleFrom = ` FROM alert_rules LEFT JOIN alert_rule_hysteresis ON rule_key = key`

func scanRule(s interface{ Scan(...any) error }) (*tinhso.AlertRule, error) {
	r := &tinhso.AlertRule{}
	var th, cm sql.NullFloat64
	var ev, rep, esc, ca2 int64
	var b, en int
	var ca, ua, evat string
	if err := s.Scan(&r.ID, &r.Key, &r.Name, &r.Kind, &r.Severity, &b, &en, &r.Document, &r.OrgUnit, &r.Indicator, &r.Subject,
		&r.Op, &th, &ev, &rep, &esc, &evat, &r.Version, &ca, &ua, &cm, &ca2); err != nil {
		return nil, err
	}
	if evat != "" {
		t := parseStamp(evat)
		r.EvaluatedAt = &t
	}
	r.Builtin, r.Enabled = b != 0, en != 0
	if th.Valid {
		r.Threshold = &th.Float64
	}
	if cm.Valid {
		r.ClearMargin = &cm.Float64
	}
	r.ClearAfter = fromSecs(ca2)
	r.EvalInterval, r.RepeatInterval, r.EscalationDelay = fromSecs(ev), fromSecs(rep), fromSecs(esc)
	r.CreatedAt, r.UpdatedAt = parseStamp(ca), parseStamp(ua)
	return r, nil
}

// FindAlertRules lists the rules, built-in first, then by key.
func (db *DB) FindAlertRules(ctx context.Context) ([]*tinhso.AlertRule, error) {
	var out []*tinhso.AlertRule
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, scanRule, `SELECT `+ruleCols+ruleFrom+` ORDER BY builtin DESC, `+db.dialect.byteOrder("key"))
		return err
	})
	return out, err
}

// FindAlertRule finds a rule by id or key.
func (db *DB) FindAlertRule(ctx context.Context, ref string) (*tinhso.AlertRule, error) {
	var r *tinhso.AlertRule
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		r, err = scanRule(tx.queryRow(ctx, `SELECT `+ruleCols+ruleFrom+` WHERE key = ? OR CAST(id AS TEXT) = ?`, ref, ref))
		if errors.Is(err, sql.ErrNoRows) {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("alert.what.rule", ref))
		}
		return err
	})
	return r, err
}

// CreateAlertRule stores a rule; a key in use is ECONFLICT.
func (db *DB) CreateAlertRule(ctx context.Context, r *tinhso.AlertRule) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO alert_rules (key, name, kind, severity, builtin, enabled, document, org_unit, indicator, subject, op,
			threshold, eval_seconds, repeat_seconds, escalation_seconds, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Key, r.Name, r.Kind, r.Severity, boolInt(r.Builtin), boolInt(r.Enabled), r.Document, r.OrgUnit, r.Indicator, r.Subject, r.Op,
			nullFloat(r.Threshold), secs(r.EvalInterval), secs(r.RepeatInterval), secs(r.EscalationDelay), tx.stamp(), tx.stamp())
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("alert.what.rule", r.Key))
		}
		r.ID, r.Version, r.CreatedAt, r.UpdatedAt = id, 1, tx.now, tx.now
		if err := saveHysteresis(ctx, tx, r); err != nil {
			return err
		}
		tx.audit(ctx, "create", "alert_rule", r.Key, nil, r)
		return nil
	})
}

// UpdateAlertRule writes a rule's fields (the key stays).
func (db *DB) UpdateAlertRule(ctx context.Context, r *tinhso.AlertRule, version int) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := claimVersion(ctx, tx, "alert_rules", r.ID, version, tinhso.M("alert.what.rule", r.Key)); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE alert_rules SET name = ?, kind = ?, severity = ?, enabled = ?, document = ?, org_unit = ?, indicator = ?,
			subject = ?, op = ?, threshold = ?, eval_seconds = ?, repeat_seconds = ?, escalation_seconds = ? WHERE id = ?`,
			r.Name, r.Kind, r.Severity, boolInt(r.Enabled), r.Document, r.OrgUnit, r.Indicator, r.Subject, r.Op, nullFloat(r.Threshold),
			secs(r.EvalInterval), secs(r.RepeatInterval), secs(r.EscalationDelay), r.ID)
		if err != nil {
			return err
		}
		if err := saveHysteresis(ctx, tx, r); err != nil {
			return err
		}
		tx.audit(ctx, "update", "alert_rule", r.Key, nil, r)
		return tx.queryRow(ctx, `SELECT version FROM alert_rules WHERE id = ?`, r.ID).Scan(&r.Version)
	})
}

// DeleteAlertRule deletes a user-defined rule; its alerts resolve at the next sweep.
func (db *DB) DeleteAlertRule(ctx context.Context, id int64, version int) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		var builtin int
		var key string
		if err := tx.queryRow(ctx, `SELECT builtin, key FROM alert_rules WHERE id = ?`, id).Scan(&builtin, &key); err != nil {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("alert.what.rule", id))
		}
		if builtin != 0 {
			return tinhso.Errorf(tinhso.ECONFLICT, "err.alert.builtin_delete")
		}
		if err := checkVersion(ctx, tx, "alert_rules", id, version, tinhso.M("alert.what.rule", key)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM alert_rule_hysteresis WHERE rule_key = ?`, key); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM alert_rules WHERE id = ?`, id)
		tx.audit(ctx, "delete", "alert_rule", key, nil, nil)
		return err
	})
}

// saveHysteresis keeps a rule's hysteresis beside it: a row while it has one.
func saveHysteresis(ctx context.Context, tx *Tx, r *tinhso.AlertRule) error {
	if _, err := tx.exec(ctx, `DELETE FROM alert_rule_hysteresis WHERE rule_key = ?`, r.Key); err != nil {
		return err
	}
	if r.ClearMargin == nil && r.ClearAfter == 0 {
		return nil
	}
	_, err := tx.exec(ctx, `INSERT INTO alert_rule_hysteresis (rule_key, clear_margin, clear_after_seconds) VALUES (?, ?, ?)`,
		r.Key, nullFloat(r.ClearMargin), secs(r.ClearAfter))
	return err
}

// MarkRulesEvaluated records when rules were evaluated.
func (db *DB) MarkRulesEvaluated(ctx context.Context, keys []string, at time.Time) error {
	if len(keys) == 0 {
		return nil
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		c, args := keysIn("key", keys)
		_, err := tx.exec(ctx, `UPDATE alert_rules SET evaluated_at = ? WHERE `+c, append([]any{stampOf(at)}, args...)...)
		return err
	})
}

// AlertFacts reads the approved progress reports, the province's report figures and the
// submissions not in after their deadline (today at now in the province).
func (db *DB) AlertFacts(ctx context.Context, now time.Time) (*tinhso.AlertFacts, error) {
	f := &tinhso.AlertFacts{}
	today := now.In(tinhso.Location).Format("2006-01-02")
	err := db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT t.key, o.code, p.label, p.end_date, tp.percent, tp.done, s.id, s.approved_at
			FROM task_progress tp JOIN submissions s ON s.id = tp.submission_id JOIN periods p ON p.id = s.period_id
			JOIN tasks t ON t.id = tp.task_id JOIN org_units o ON o.id = s.org_unit_id
			WHERE s.status = 'approved' ORDER BY t.key, p.end_date, s.approved_at`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r tinhso.ProgressReport
			var pct sql.NullInt64
			var done int
			var ap sql.NullString
			if err := rows.Scan(&r.Task, &r.OrgUnit, &r.Period, &r.PeriodEnd, &pct, &done, &r.Submission, &ap); err != nil {
				rows.Close()
				return err
			}
			if pct.Valid {
				n := int(pct.Int64)
				r.Percent = &n
			}
			r.Done = done != 0
			r.ApprovedAt = parseStamp(ap.String)
			f.Reports = append(f.Reports, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.query(ctx, `SELECT i.key, p.label, p.end_date, f.value FROM figures f JOIN periods p ON p.id = f.period_id
			JOIN indicators i ON i.id = f.indicator_id ORDER BY i.key, p.end_date`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var fg tinhso.IndicatorFigure
			var v float64
			if err := rows.Scan(&fg.Indicator, &fg.Period, &fg.Date, &v); err != nil {
				rows.Close()
				return err
			}
			fg.Value, fg.Source = &v, tinhso.FigureReport
			f.Figures = append(f.Figures, fg)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.query(ctx, `SELECT s.id, o.code, p.label, r.name, p.due FROM submissions s JOIN periods p ON p.id = s.period_id
			JOIN regimes r ON r.id = p.regime_id JOIN org_units o ON o.id = s.org_unit_id
			WHERE p.status = 'open' AND s.status IN ('draft', 'returned') AND p.due < ? ORDER BY s.id`, today)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m tinhso.MissingReport
			if err := rows.Scan(&m.Submission, &m.OrgUnit, &m.Period, &m.Regime, &m.Due); err != nil {
				return err
			}
			f.MissingReports = append(f.MissingReports, m)
		}
		return rows.Err()
	})
	return f, err
}

const alertCols = `id, key, rule, kind, severity, state, silenced, inhibited, org_unit, subject_kind, subject_key, subject_title, message, reasons,
	opened_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, escalation_level, escalated_at, notified_at, reopened, version`

func scanAlert(s interface{ Scan(...any) error }) (*tinhso.Alert, error) {
	a := &tinhso.Alert{}
	var sil, msg, reasons, oa, ea string
	var inh int
	var ack, res, notified sql.NullString
	if err := s.Scan(&a.ID, &a.Key, &a.Rule, &a.Kind, &a.Severity, &a.State, &sil, &inh, &a.OrgUnit, &a.Subject.Kind, &a.Subject.Key,
		&a.Subject.Title, &msg, &reasons, &oa, &ack, &a.AcknowledgedBy, &res, &a.ResolvedBy, &a.EscalationLevel, &ea, &notified,
		&a.Reopened, &a.Version); err != nil {
		return nil, err
	}
	a.Inhibited = inh != 0
	if sil != "" {
		a.Silenced = &tinhso.AlertSilenced{}
		if err := json.Unmarshal([]byte(sil), a.Silenced); err != nil {
			return nil, err
		}
	}
	if err := json.Unmarshal([]byte(msg), &a.Message); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(reasons), &a.Reasons); err != nil {
		return nil, err
	}
	if a.Reasons == nil {
		a.Reasons = []tinhso.Reason{}
	}
	a.OpenedAt, a.EscalatedAt = parseStamp(oa), parseStamp(ea)
	a.AcknowledgedAt, a.ResolvedAt, a.NotifiedAt = scanNullStamp(ack), scanNullStamp(res), scanNullStamp(notified)
	return a, nil
}

func alertWhere(f tinhso.AlertFilter) where {
	var w where
	switch f.State {
	case "":
	case "active":
		w.add("state <> ?", tinhso.AlertResolved)
	default:
		w.add("state = ?", f.State)
	}
	if f.Severity != "" {
		w.add("severity = ?", f.Severity)
	}
	if f.Rule != "" {
		w.add("rule = ?", f.Rule)
	}
	if f.Subject != "" {
		w.add("subject_key = ?", f.Subject)
	}
	if f.OrgUnits != nil {
		c, args := keysIn("org_unit", f.OrgUnits)
		w.add(c, args...)
	}
	return w
}

// FindAlerts lists alerts: the most severe first, then the newest.
func (db *DB) FindAlerts(ctx context.Context, f tinhso.AlertFilter) ([]*tinhso.Alert, int, error) {
	var out []*tinhso.Alert
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		w := alertWhere(f)
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM alerts`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(f.Page)
		rows, err := tx.query(ctx, `SELECT `+alertCols+` FROM alerts`+w.String()+
			` ORDER BY CASE state WHEN 'resolved' THEN 1 ELSE 0 END, CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, opened_at DESC, id DESC`+lim,
			append(w.args, largs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAlert(rows)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	return out, total, err
}

// FindAlert finds an alert by id.
func (db *DB) FindAlert(ctx context.Context, id int64) (*tinhso.Alert, error) {
	var a *tinhso.Alert
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		a, err = scanAlert(tx.queryRow(ctx, `SELECT `+alertCols+` FROM alerts WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("alert.what.alert", id))
		}
		return err
	})
	return a, err
}

// AlertsByKey returns every alert not resolved, and the resolved ones of keys.
func (db *DB) AlertsByKey(ctx context.Context, keys []string) (map[string]*tinhso.Alert, error) {
	out := map[string]*tinhso.Alert{}
	err := db.readTx(ctx, func(tx *Tx) error {
		read := func(q string, args ...any) error {
			rows, err := tx.query(ctx, `SELECT `+alertCols+` FROM alerts WHERE `+q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				a, err := scanAlert(rows)
				if err != nil {
					return err
				}
				out[a.Key] = a
			}
			return rows.Err()
		}
		if err := read(`state <> ?`, tinhso.AlertResolved); err != nil {
			return err
		}
		for len(keys) > 0 {
			n := min(len(keys), 500)
			c, args := keysIn("key", keys[:n])
			if err := read(`state = ? AND `+c, append([]any{tinhso.AlertResolved}, args...)...); err != nil {
				return err
			}
			keys = keys[n:]
		}
		return nil
	})
	return out, err
}

// SaveAlert creates or updates an alert and records its events.
func (db *DB) SaveAlert(ctx context.Context, a *tinhso.Alert, events ...tinhso.AlertEvent) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		sil := ""
		if a.Silenced != nil {
			sil = jsonText(a.Silenced)
		}
		reasons := a.Reasons
		if reasons == nil {
			reasons = []tinhso.Reason{}
		}
		args := []any{a.Rule, a.Kind, a.Severity, a.State, sil, boolInt(a.Inhibited), a.OrgUnit, a.Subject.Kind, a.Subject.Key, a.Subject.Title,
			jsonText(a.Message), jsonText(reasons), stampOf(a.OpenedAt), stampPtr(a.AcknowledgedAt), a.AcknowledgedBy, stampPtr(a.ResolvedAt),
			a.ResolvedBy, a.EscalationLevel, stampOf(a.EscalatedAt), stampPtr(a.NotifiedAt), a.Reopened}
		if a.ID == 0 {
			id, err := tx.insert(ctx, `INSERT INTO alerts (rule, kind, severity, state, silenced, inhibited, org_unit, subject_kind, subject_key,
				subject_title, message, reasons, opened_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, escalation_level,
				escalated_at, notified_at, reopened, key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, a.Key)...)
			if err != nil {
				return db.dialect.mapError(err, tinhso.M("alert.what.alert", a.Key))
			}
			a.ID, a.Version = id, 1
		} else {
			res, err := tx.exec(ctx, `UPDATE alerts SET rule = ?, kind = ?, severity = ?, state = ?, silenced = ?, inhibited = ?, org_unit = ?,
				subject_kind = ?, subject_key = ?, subject_title = ?, message = ?, reasons = ?, opened_at = ?, acknowledged_at = ?,
				acknowledged_by = ?, resolved_at = ?, resolved_by = ?, escalation_level = ?, escalated_at = ?, notified_at = ?, reopened = ?,
				version = version + 1 WHERE id = ? AND version = ?`, append(args, a.ID, a.Version)...)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return tinhso.Errorf(tinhso.EPRECONDITION, "err.alert.changed", a.ID)
			}
			a.Version++
		}
		for _, e := range events {
			if _, err := tx.exec(ctx, `INSERT INTO alert_events (alert_id, at, kind, actor, level, note) VALUES (?, ?, ?, ?, ?, ?)`,
				a.ID, stampOf(e.At), e.Kind, e.Actor, e.Level, e.Note); err != nil {
				return err
			}
		}
		return nil
	})
}

// FindAlertEvents returns an alert's history, oldest first.
func (db *DB) FindAlertEvents(ctx context.Context, alert int64) ([]tinhso.AlertEvent, error) {
	out := []tinhso.AlertEvent{}
	err := db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, alert_id, at, kind, actor, level, note FROM alert_events WHERE alert_id = ? ORDER BY id`, alert)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e tinhso.AlertEvent
			var at string
			if err := rows.Scan(&e.ID, &e.Alert, &at, &e.Kind, &e.Actor, &e.Level, &e.Note); err != nil {
				return err
			}
			e.At = parseStamp(at)
			out = append(out, e)
		}
		return rows.Err()
	})
	return out, err
}

// CountOpenAlerts counts the alerts not resolved by severity, of the units (nil: all).
func (db *DB) CountOpenAlerts(ctx context.Context, orgUnits []string) (map[string]int, error) {
	out := map[string]int{}
	err := db.readTx(ctx, func(tx *Tx) error {
		w := alertWhere(tinhso.AlertFilter{State: "active", OrgUnits: orgUnits})
		rows, err := tx.query(ctx, `SELECT severity, COUNT(*) FROM alerts`+w.String()+` GROUP BY severity`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			var n int
			if err := rows.Scan(&s, &n); err != nil {
				return err
			}
			out[s] = n
		}
		return rows.Err()
	})
	return out, err
}

const silenceCols = `id, COALESCE(alert_id, 0), rule, org_unit, subject, ends_at, until_resolved, reason, created_by, created_at, ended_at`

func scanSilence(s interface{ Scan(...any) error }) (*tinhso.Silence, error) {
	x := &tinhso.Silence{}
	var ends, ended sql.NullString
	var ur int
	var ca string
	if err := s.Scan(&x.ID, &x.Alert, &x.Rule, &x.OrgUnit, &x.Subject, &ends, &ur, &x.Reason, &x.CreatedBy, &ca, &ended); err != nil {
		return nil, err
	}
	x.EndsAt, x.EndedAt, x.UntilResolved, x.CreatedAt = scanNullStamp(ends), scanNullStamp(ended), ur != 0, parseStamp(ca)
	return x, nil
}

// FindSilences lists silences, newest first; with activeAt, only those active then.
func (db *DB) FindSilences(ctx context.Context, activeAt *time.Time) ([]*tinhso.Silence, error) {
	var out []*tinhso.Silence
	err := db.readTx(ctx, func(tx *Tx) error {
		q, args := `SELECT `+silenceCols+` FROM silences`, []any{}
		if activeAt != nil {
			q += ` WHERE ended_at IS NULL AND (until_resolved = 1 OR ends_at > ?)`
			args = append(args, stampOf(*activeAt))
		}
		var err error
		out, err = queryAll(ctx, tx, scanSilence, q+` ORDER BY id DESC`, args...)
		return err
	})
	return out, err
}

// FindSilence finds a silence by id.
func (db *DB) FindSilence(ctx context.Context, id int64) (*tinhso.Silence, error) {
	var s *tinhso.Silence
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		s, err = scanSilence(tx.queryRow(ctx, `SELECT `+silenceCols+` FROM silences WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("alert.what.silence", id))
		}
		return err
	})
	return s, err
}

// CreateSilence stores a silence.
func (db *DB) CreateSilence(ctx context.Context, s *tinhso.Silence) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		var alert any
		if s.Alert != 0 {
			alert = s.Alert
		}
		id, err := tx.insert(ctx, `INSERT INTO silences (alert_id, rule, org_unit, subject, ends_at, until_resolved, reason, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, alert, s.Rule, s.OrgUnit, s.Subject, stampPtr(s.EndsAt), boolInt(s.UntilResolved), s.Reason,
			s.CreatedBy, stampOf(s.CreatedAt))
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("alert.what.silence", s.Reason))
		}
		s.ID = id
		tx.audit(ctx, "create", "silence", jsonText(id), nil, s)
		return nil
	})
}

// EndSilence lifts a silence at at.
func (db *DB) EndSilence(ctx context.Context, id int64, at time.Time) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE silences SET ended_at = ? WHERE id = ? AND ended_at IS NULL`, stampOf(at), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("alert.what.silence", id))
		}
		tx.audit(ctx, "end", "silence", jsonText(id), nil, nil)
		return nil
	})
}

const webhookCols = `id, name, url, secret <> '', min_severity, org_unit, enabled, version, created_at, updated_at`

func scanWebhook(s interface{ Scan(...any) error }) (*tinhso.Webhook, error) {
	h := &tinhso.Webhook{}
	var en int
	var ca, ua string
	var setb any
	if err := s.Scan(&h.ID, &h.Name, &h.URL, &setb, &h.MinSeverity, &h.OrgUnit, &en, &h.Version, &ca, &ua); err != nil {
		return nil, err
	}
	switch v := setb.(type) {
	case bool:
		h.SecretSet = v
	case int64:
		h.SecretSet = v != 0
	}
	h.Enabled, h.CreatedAt, h.UpdatedAt = en != 0, parseStamp(ca), parseStamp(ua)
	return h, nil
}

// FindWebhooks lists the webhooks.
func (db *DB) FindWebhooks(ctx context.Context) ([]*tinhso.Webhook, error) {
	var out []*tinhso.Webhook
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, scanWebhook, `SELECT `+webhookCols+` FROM webhooks ORDER BY id`)
		return err
	})
	return out, err
}

// FindWebhook finds a webhook by id.
func (db *DB) FindWebhook(ctx context.Context, id int64) (*tinhso.Webhook, error) {
	var h *tinhso.Webhook
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		h, err = scanWebhook(tx.queryRow(ctx, `SELECT `+webhookCols+` FROM webhooks WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("alert.what.webhook", id))
		}
		return err
	})
	return h, err
}

// WebhookSecret returns a webhook's sealed secret.
func (db *DB) WebhookSecret(ctx context.Context, id int64) (string, error) {
	var s string
	err := db.readTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT secret FROM webhooks WHERE id = ?`, id).Scan(&s)
		if errors.Is(err, sql.ErrNoRows) {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("alert.what.webhook", id))
		}
		return err
	})
	return s, err
}

// SaveWebhook creates (ID 0) or updates a webhook; sealed "" keeps the stored secret.
// The audit log records it without its secret.
func (db *DB) SaveWebhook(ctx context.Context, h *tinhso.Webhook, sealed string, version int) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		if h.ID == 0 {
			id, err := tx.insert(ctx, `INSERT INTO webhooks (name, url, secret, min_severity, org_unit, enabled, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, h.Name, h.URL, sealed, h.MinSeverity, h.OrgUnit, boolInt(h.Enabled), tx.stamp(), tx.stamp())
			if err != nil {
				return err
			}
			h.ID, h.Version, h.CreatedAt, h.UpdatedAt, h.SecretSet = id, 1, tx.now, tx.now, sealed != ""
			tx.audit(ctx, "create", "webhook", jsonText(id), nil, h)
			return nil
		}
		if err := claimVersion(ctx, tx, "webhooks", h.ID, version, tinhso.M("alert.what.webhook", h.ID)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE webhooks SET name = ?, url = ?, min_severity = ?, org_unit = ?, enabled = ? WHERE id = ?`,
			h.Name, h.URL, h.MinSeverity, h.OrgUnit, boolInt(h.Enabled), h.ID); err != nil {
			return err
		}
		if sealed != "" {
			if _, err := tx.exec(ctx, `UPDATE webhooks SET secret = ? WHERE id = ?`, sealed, h.ID); err != nil {
				return err
			}
		}
		tx.audit(ctx, "update", "webhook", jsonText(h.ID), nil, h)
		return tx.queryRow(ctx, `SELECT version, secret <> '' FROM webhooks WHERE id = ?`, h.ID).Scan(&h.Version, new(any))
	})
}

// DeleteWebhook deletes a webhook.
func (db *DB) DeleteWebhook(ctx context.Context, id int64) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `DELETE FROM webhooks WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("alert.what.webhook", id))
		}
		tx.audit(ctx, "delete", "webhook", jsonText(id), nil, nil)
		return nil
	})
}

// FindNotifyPrefs returns the stored preferences of the users (the defaults for others).
func (db *DB) FindNotifyPrefs(ctx context.Context, userIDs []int64) (map[int64]tinhso.NotifyPrefs, error) {
	out := map[int64]tinhso.NotifyPrefs{}
	for _, id := range userIDs {
		p := tinhso.DefaultNotifyPrefs
		p.UserID = id
		out[id] = p
	}
	if len(userIDs) == 0 {
		return out, nil
	}
	err := db.readTx(ctx, func(tx *Tx) error {
		args := make([]any, len(userIDs))
		for i, id := range userIDs {
			args[i] = id
		}
		rows, err := tx.query(ctx, `SELECT user_id, inapp, email, min_severity FROM notify_prefs WHERE user_id IN (`+placeholders(len(args))+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p tinhso.NotifyPrefs
			var in, em int
			if err := rows.Scan(&p.UserID, &in, &em, &p.MinSeverity); err != nil {
				return err
			}
			p.InApp, p.Email = in != 0, em != 0
			out[p.UserID] = p
		}
		return rows.Err()
	})
	return out, err
}

// SaveNotifyPrefs stores a user's preferences.
func (db *DB) SaveNotifyPrefs(ctx context.Context, p tinhso.NotifyPrefs) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM notify_prefs WHERE user_id = ?`, p.UserID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO notify_prefs (user_id, inapp, email, min_severity) VALUES (?, ?, ?, ?)`,
			p.UserID, boolInt(p.InApp), boolInt(p.Email), p.MinSeverity)
		return db.dialect.mapError(err, tinhso.M("what.user"))
	})
}

// Enqueue stores outbox items whose keys are new.
func (db *DB) Enqueue(ctx context.Context, items []tinhso.Outbox) (int, error) {
	n := 0
	err := db.writeTx(ctx, func(tx *Tx) error {
		for i := range items {
			it := &items[i]
			var c int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE key = ?`, it.Key).Scan(&c); err != nil {
				return err
			}
			if c > 0 {
				continue
			}
			id, err := tx.insert(ctx, `INSERT INTO outbox (key, alert_id, event, level, recipient, channel, severity, message, link, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, it.Key, it.Alert, it.Event, it.Level, it.Recipient, it.Channel, it.Severity,
				jsonText(it.Message), it.Link, stampOf(it.CreatedAt))
			if err != nil {
				return db.dialect.mapError(err, tinhso.M("alert.what.alert", it.Alert))
			}
			it.ID = id
			n++
		}
		return nil
	})
	return n, err
}

const outboxCols = `id, key, alert_id, event, level, recipient, channel, severity, message, link, created_at, COALESCE(delivery_id, 0)`

func readOutbox(ctx context.Context, tx *Tx, q string, args ...any) ([]tinhso.Outbox, error) {
	rows, err := tx.query(ctx, `SELECT `+outboxCols+` FROM outbox `+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tinhso.Outbox
	for rows.Next() {
		var o tinhso.Outbox
		var msg, ca string
		if err := rows.Scan(&o.ID, &o.Key, &o.Alert, &o.Event, &o.Level, &o.Recipient, &o.Channel, &o.Severity, &msg, &o.Link, &ca, &o.Delivery); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(msg), &o.Message); err != nil {
			return nil, err
		}
		o.CreatedAt = parseStamp(ca)
		out = append(out, o)
	}
	return out, rows.Err()
}

// PendingOutbox returns the items no delivery took yet, oldest first.
func (db *DB) PendingOutbox(ctx context.Context, limit int) ([]tinhso.Outbox, error) {
	var out []tinhso.Outbox
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = readOutbox(ctx, tx, `WHERE delivery_id IS NULL ORDER BY id LIMIT ?`, limit)
		return err
	})
	return out, err
}

// FindOutbox returns outbox items by id.
func (db *DB) FindOutbox(ctx context.Context, ids []int64) ([]tinhso.Outbox, error) {
	var out []tinhso.Outbox
	if len(ids) == 0 {
		return out, nil
	}
	err := db.readTx(ctx, func(tx *Tx) error {
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		var err error
		out, err = readOutbox(ctx, tx, `WHERE id IN (`+placeholders(len(args))+`) ORDER BY id`, args...)
		return err
	})
	return out, err
}

// CreateDelivery stores a delivery and marks its items taken; an item another node
// took first fails it with ECONFLICT.
func (db *DB) CreateDelivery(ctx context.Context, d *tinhso.Delivery) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO deliveries (channel, recipient, items, state, attempts, next_at, created_at) VALUES (?, ?, ?, ?, 0, ?, ?)`,
			d.Channel, d.Recipient, jsonText(d.Items), d.State, stampOf(d.NextAt), stampOf(d.CreatedAt))
		if err != nil {
			return err
		}
		for _, it := range d.Items {
			res, err := tx.exec(ctx, `UPDATE outbox SET delivery_id = ? WHERE id = ? AND delivery_id IS NULL`, id, it)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return tinhso.Errorf(tinhso.ECONFLICT, "err.db.retry")
			}
		}
		d.ID = id
		return nil
	})
}

const deliveryCols = `id, channel, recipient, items, state, attempts, next_at, last_status, last_error, created_at, delivered_at`

func scanDelivery(s interface{ Scan(...any) error }) (*tinhso.Delivery, error) {
	d := &tinhso.Delivery{}
	var items, next, ca string
	var da sql.NullString
	if err := s.Scan(&d.ID, &d.Channel, &d.Recipient, &items, &d.State, &d.Attempts, &next, &d.LastStatus, &d.LastError, &ca, &da); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(items), &d.Items); err != nil {
		return nil, err
	}
	d.NextAt, d.CreatedAt, d.DeliveredAt = parseStamp(next), parseStamp(ca), scanNullStamp(da)
	return d, nil
}

func readDeliveries(ctx context.Context, tx *Tx, q string, args ...any) ([]*tinhso.Delivery, error) {
	rows, err := tx.query(ctx, `SELECT `+deliveryCols+` FROM deliveries `+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*tinhso.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DueDeliveries returns the pending deliveries due at now, the oldest due first.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]*tinhso.Delivery, error) {
	var out []*tinhso.Delivery
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = readDeliveries(ctx, tx, `WHERE state = ? AND next_at <= ? ORDER BY next_at, id LIMIT ?`, tinhso.DeliveryPending, stampOf(now), limit)
		return err
	})
	return out, err
}

// FindDeliveries lists deliveries, newest first.
func (db *DB) FindDeliveries(ctx context.Context, f tinhso.DeliveryFilter) ([]*tinhso.Delivery, int, error) {
	var out []*tinhso.Delivery
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if f.State != "" {
			w.add("state = ?", f.State)
		}
		if f.Channel != "" {
			w.add("channel = ?", f.Channel)
		}
		if f.Recipient != "" {
			w.add("recipient = ?", f.Recipient)
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM deliveries`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(f.Page)
		var err error
		out, err = readDeliveries(ctx, tx, w.String()+` ORDER BY id DESC`+lim, append(w.args, largs...)...)
		return err
	})
	return out, total, err
}

// FindDelivery finds a delivery by id.
func (db *DB) FindDelivery(ctx context.Context, id int64) (*tinhso.Delivery, error) {
	var d *tinhso.Delivery
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		d, err = scanDelivery(tx.queryRow(ctx, `SELECT `+deliveryCols+` FROM deliveries WHERE id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("alert.what.delivery", id))
		}
		return err
	})
	return d, err
}

// RecordAttempt writes a delivery's state after an attempt (or a replay).
func (db *DB) RecordAttempt(ctx context.Context, d *tinhso.Delivery) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE deliveries SET state = ?, attempts = ?, next_at = ?, last_status = ?, last_error = ?, delivered_at = ? WHERE id = ?`,
			d.State, d.Attempts, stampOf(d.NextAt), d.LastStatus, d.LastError, stampPtr(d.DeliveredAt), d.ID)
		return err
	})
}

const smtpSetting = "smtp"

// SMTPSettings returns the SMTP settings (empty when none are stored).
func (db *DB) SMTPSettings(ctx context.Context) (*tinhso.SMTPSettings, error) {
	v, ok, err := db.Setting(ctx, smtpSetting)
	s := &tinhso.SMTPSettings{}
	if err != nil || !ok {
		return s, err
	}
	var stored struct {
		tinhso.SMTPSettings
		Sealed string `json:"password_sealed"`
	}
	if err := json.Unmarshal([]byte(v), &stored); err != nil {
		return nil, err
	}
	*s = stored.SMTPSettings
	s.PasswordSealed = stored.Sealed
	s.PasswordSet = s.PasswordSealed != ""
	return s, nil
}

// SaveSMTPSettings stores the SMTP settings; keepPassword keeps the stored password.
func (db *DB) SaveSMTPSettings(ctx context.Context, s *tinhso.SMTPSettings, keepPassword bool) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		sealed := s.PasswordSealed
		if keepPassword {
			var v string
			err := tx.queryRow(ctx, `SELECT value FROM settings WHERE name = ?`, smtpSetting).Scan(&v)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			var old struct {
				Sealed string `json:"password_sealed"`
			}
			if v != "" {
				_ = json.Unmarshal([]byte(v), &old)
			}
			sealed = old.Sealed
		}
		s.PasswordSealed, s.PasswordSet = sealed, sealed != ""
		stored := struct {
			tinhso.SMTPSettings
			Sealed string `json:"password_sealed"`
		}{*s, sealed}
		if _, err := tx.exec(ctx, `DELETE FROM settings WHERE name = ?`, smtpSetting); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO settings (name, value) VALUES (?, ?)`, smtpSetting, jsonText(stored)); err != nil {
			return err
		}
		tx.audit(ctx, "update", "smtp", smtpSetting, nil, s)
		return nil
	})
}

// SupervisingLeaders returns each unit's supervising leader.
func (db *DB) SupervisingLeaders(ctx context.Context) (map[string]int64, error) {
	out := map[string]int64{}
	err := db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT org_unit, user_id FROM supervising_leaders`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var u string
			var id int64
			if err := rows.Scan(&u, &id); err != nil {
				return err
			}
			out[u] = id
		}
		return rows.Err()
	})
	return out, err
}

// SetSupervisingLeader names a unit's supervising leader (0: none).
func (db *DB) SetSupervisingLeader(ctx context.Context, orgUnit string, userID int64) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM supervising_leaders WHERE org_unit = ?`, orgUnit); err != nil {
			return err
		}
		if userID != 0 {
			if _, err := tx.exec(ctx, `INSERT INTO supervising_leaders (org_unit, user_id) VALUES (?, ?)`, orgUnit, userID); err != nil {
				return db.dialect.mapError(err, tinhso.M("what.user"))
			}
		}
		tx.audit(ctx, "update", "supervising_leader", orgUnit, nil, map[string]any{"user_id": userID})
		return nil
	})
}

// TakeLease takes or renews a named lease.
func (db *DB) TakeLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	ok := false
	err := db.writeTx(ctx, func(tx *Tx) error {
		if err := db.dialect.lock(ctx, tx, "lease:"+name); err != nil {
			return err
		}
		var h, u string
		err := tx.queryRow(ctx, `SELECT holder, until FROM leases WHERE name = ?`, name).Scan(&h, &u)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.exec(ctx, `INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)`, name, holder, stampOf(until))
		case err != nil:
			return err
		case h == holder || u <= stampOf(now):
			_, err = tx.exec(ctx, `UPDATE leases SET holder = ?, until = ? WHERE name = ?`, holder, stampOf(until), name)
		default:
			return nil
		}
		ok = err == nil
		return err
	})
	return ok, err
}
