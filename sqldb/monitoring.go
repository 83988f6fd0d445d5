package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"

	"github.com/tinhso/tinhso"
)

// The one figure path: every source of an indicator's figures (approved reports of the
// province and of each unit, imported history; later series and connectors) is read
// here, into tinhso.IndicatorFigure, ordered by indicator, unit and date, so that the
// statuses, the charts and the API see one list.

// MonitoringFacts reads every fact of the statuses in one read transaction.
func (db *DB) MonitoringFacts(ctx context.Context) (*tinhso.MonitoringFacts, error) {
	f := &tinhso.MonitoringFacts{Periods: map[string][]tinhso.Period{}}
	err := db.readTx(ctx, func(tx *Tx) error {
		ctx := context.WithValue(ctx, txKey{}, tx)
		var err error
		res, err := newAllAgencyResolver(ctx, tx)
		if err != nil {
			return err
		}
		if f.Tasks, err = monitoringTasks(ctx, tx, res); err != nil {
			return err
		}
		if f.Indicators, err = monitoringIndicators(ctx, tx, res); err != nil {
			return err
		}
		if f.Reports, err = progressReports(ctx, tx); err != nil {
			return err
		}
		rows, err := tx.query(ctx, `SELECT d.slug, `+periodCols+` FROM periods p JOIN regimes r ON r.id = p.regime_id
			JOIN documents d ON d.id = r.document_id ORDER BY p.end_date, p.id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var slug string
			p := tinhso.Period{}
			var oa string
			if err := rows.Scan(&slug, &p.ID, &p.Regime, &p.Label, &p.Year, &p.Number, &p.Start, &p.End, &p.DataFrom, &p.DataTo, &p.Due, &p.Status, &oa); err != nil {
				rows.Close()
				return err
			}
			p.OpenedAt = parseStamp(oa)
			f.Periods[slug] = append(f.Periods[slug], p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if f.Figures, err = indicatorFigures(ctx, tx, tinhso.FigureFilter{}); err != nil {
			return err
		}
		if f.References, err = referenceValues(ctx, tx); err != nil {
			return err
		}
		f.Reviews, err = indicatorReviews(ctx, tx)
		return err
	})
	return f, err
}

// monitoringTasks reads every task as FindTasks lists them (document and id order)
// with their agencies, in two queries, without what no status reads (the source
// passage and its spans).
func monitoringTasks(ctx context.Context, tx *Tx, res *agencyResolver) ([]*tinhso.Task, error) {
	cols := strings.Replace(taskCols, "t.spans, t.source_file, t.source_span, t.source_text", "'', '', '', ''", 1)
	list, err := queryAll(ctx, tx, func(s scanner) (*tinhso.Task, error) { return scanTask(s, false) },
		`SELECT `+cols+taskFrom+tx.db.dialect.readOrder("t", "", taskSorts))
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*tinhso.Task, len(list))
	for _, t := range list {
		byID[t.ID] = t
		t.Lead, t.Cooperating = []tinhso.AgencyRef{}, []tinhso.AgencyRef{}
	}
	rows, err := tx.query(ctx, `SELECT a.task_id, a.role, u.code FROM task_agencies a JOIN org_units u ON u.id = a.org_unit_id
		ORDER BY a.task_id, a.role, a.position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var role, code string
		if err := rows.Scan(&id, &role, &code); err != nil {
			return nil, err
		}
		t := byID[id]
		if t == nil {
			continue
		}
		if role == "lead" {
			t.Lead = append(t.Lead, res.ref(code))
		} else {
			t.Cooperating = append(t.Cooperating, res.ref(code))
		}
	}
	return list, rows.Err()
}

// monitoringIndicators reads every indicator as FindIndicators lists them, with their
// agencies, in two queries, without the source passage; each target text is parsed
// once however many indicators share it.
func monitoringIndicators(ctx context.Context, tx *Tx, res *agencyResolver) ([]*tinhso.Indicator, error) {
	cols := strings.Replace(indicatorCols, "i.spans, i.source_file, i.source_span, i.source_text", "'', '', '', ''", 1)
	type targetKey struct{ text, unit string }
	parsed := map[targetKey]tinhso.Target{}
	list, err := queryAll(ctx, tx, func(s scanner) (*tinhso.Indicator, error) {
		return scanIndicatorWith(s, false, func(text, unit string) tinhso.Target {
			k := targetKey{text, unit}
			t, ok := parsed[k]
			if !ok {
				t = tinhso.ParseTarget(text, unit)
				parsed[k] = t
			}
			return t
		})
	}, `SELECT `+cols+indicatorFrom+tx.db.dialect.readOrder("i", "", indicatorSorts))
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*tinhso.Indicator, len(list))
	for _, x := range list {
		byID[x.ID] = x
		x.Agencies = []tinhso.AgencyRef{}
	}
	rows, err := tx.query(ctx, `SELECT a.indicator_id, u.code FROM indicator_agencies a JOIN org_units u ON u.id = a.org_unit_id
		ORDER BY a.indicator_id, a.position`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, err
		}
		if x := byID[id]; x != nil {
			x.Agencies = append(x.Agencies, res.ref(code))
		}
	}
	return list, rows.Err()
}

// DataVersion reads the data version (migration 0014: every change of the plan, the
// reporting or the figures moves it on, from triggers, whoever writes).
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var n int64
	err := db.read.QueryRowContext(ctx, `SELECT n FROM data_version WHERE id = 1`).Scan(&n)
	return n, err
}

// TextValues lists the approved results in words (the index of migration 0014 holds
// the values with a text, few among the numbers).
func (db *DB) TextValues(ctx context.Context) ([]tinhso.TextValue, error) {
	var out []tinhso.TextValue
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, func(s scanner) (tinhso.TextValue, error) {
			var x tinhso.TextValue
			err := s.Scan(&x.Indicator, &x.OrgUnit, &x.UnitName, &x.Period, &x.PeriodEnd, &x.Text)
			return x, err
		}, `SELECT i.key, u.code, u.name, p.label, p.end_date, v.text FROM indicator_values v
			JOIN submissions s ON s.id = v.submission_id JOIN periods p ON p.id = s.period_id
			JOIN indicators i ON i.id = v.indicator_id JOIN org_units u ON u.id = s.org_unit_id
			WHERE v.text <> '' AND s.status = 'approved'`)
		return err
	})
	return out, err
}

// progressReports reads the approved progress reports, by task, period end, approval.
// A report of 100% with its deliverable counts as done, as a report that says done.
func progressReports(ctx context.Context, tx *Tx) ([]tinhso.ProgressReport, error) {
	d := tx.db.dialect
	rows, err := tx.query(ctx, `SELECT t.key, u.code, p.label, p.end_date, tp.percent, tp.done, tp.deliverable_link, tp.deliverable_file, s.id, s.approved_at
		FROM task_progress tp CROSS JOIN submissions s CROSS JOIN periods p CROSS JOIN tasks t CROSS JOIN org_units u
		WHERE s.id = tp.submission_id AND p.id = s.period_id AND t.id = tp.task_id AND u.id = s.org_unit_id
		AND s.status = 'approved' AND s.approved_at IS NOT NULL
		ORDER BY `+d.byteOrder("t.key")+`, p.end_date, s.approved_at, s.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tinhso.ProgressReport
	for rows.Next() {
		var r tinhso.ProgressReport
		var pct sql.NullInt64
		var done int
		var link, file, at string
		if err := rows.Scan(&r.Task, &r.OrgUnit, &r.Period, &r.PeriodEnd, &pct, &done, &link, &file, &r.Submission, &at); err != nil {
			return nil, err
		}
		if pct.Valid {
			p := int(pct.Int64)
			r.Percent = &p
		}
		r.Done = done != 0 || (pct.Valid && pct.Int64 >= 100 && (link != "" || file != ""))
		r.ApprovedAt = parseStamp(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// IndicatorFigures returns figures of every source, ordered by indicator, unit, date.
func (db *DB) IndicatorFigures(ctx context.Context, f tinhso.FigureFilter) ([]tinhso.IndicatorFigure, error) {
	var out []tinhso.IndicatorFigure
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = indicatorFigures(ctx, tx, f)
		return err
	})
	return out, err
}

func indicatorFigures(ctx context.Context, tx *Tx, f tinhso.FigureFilter) ([]tinhso.IndicatorFigure, error) {
	d := tx.db.dialect
	want := func(src string) bool { return len(f.Sources) == 0 || contains(f.Sources, src) }
	keyCond := func(col string) (string, []any) {
		if len(f.Indicators) == 0 {
			return "", nil
		}
		c, args := keysIn(col, f.Indicators)
		return " AND " + c, args
	}
	var lists [][]tinhso.IndicatorFigure
	if want(tinhso.FigureReport) {
		// The province's figures of each period, as approvals computed them.
		c, args := keyCond("i.key")
		list, err := queryAll(ctx, tx, func(s scanner) (tinhso.IndicatorFigure, error) {
			var x tinhso.IndicatorFigure
			var v float64
			var subs string
			err := s.Scan(&x.Indicator, &x.Period, &x.Date, &v, &subs)
			x.Value, x.Source = &v, tinhso.FigureReport
			_ = json.Unmarshal([]byte(subs), &x.Submissions)
			return x, err
		}, `SELECT i.key, p.label, p.end_date, f.value, f.submissions FROM figures f JOIN indicators i ON i.id = f.indicator_id
			JOIN periods p ON p.id = f.period_id WHERE 1 = 1`+c+` ORDER BY `+d.byteOrder("i.key")+`, p.end_date, p.id`, args...)
		if err != nil {
			return nil, err
		}
		lists = append(lists, list)
		if !f.Province {
			// Each unit's approved values: read as ids (no text to sort or allocate per
			// row), named from small maps, and sorted here.
			list, err := unitFigures(ctx, tx, f.Indicators)
			if err != nil {
				return nil, err
			}
			lists = append(lists, list)
		}
	}
	if want(tinhso.FigureHistory) {
		c, args := keyCond("i.key")
		list, err := queryAll(ctx, tx, func(s scanner) (tinhso.IndicatorFigure, error) {
			var x tinhso.IndicatorFigure
			var v sql.NullFloat64
			var syn int
			err := s.Scan(&x.Indicator, &x.Date, &v, &x.Text, &x.Citation, &syn)
			if v.Valid {
				x.Value = &v.Float64
			}
			x.Source, x.Synthetic = tinhso.FigureHistory, syn != 0
			return x, err
		}, `SELECT i.key, h.date, h.value, h.text, h.source, h.synthetic FROM history_figures h JOIN indicators i ON i.id = h.indicator_id
			WHERE 1 = 1`+c+` ORDER BY `+d.byteOrder("i.key")+`, h.date`, args...)
		if err != nil {
			return nil, err
		}
		lists = append(lists, list)
	}
	if want(tinhso.FigureSeries) {
		c, args := keyCond("i.key")
		list, err := seriesFigures(ctx, tx, c, args)
		if err != nil {
			return nil, err
		}
		lists = append(lists, list)
	}
	return mergeFigures(lists), nil
}

// unitFigures reads each unit's approved values of the indicators (keys; none: all),
// ordered by indicator key, unit code, date and submission.
func unitFigures(ctx context.Context, tx *Tx, keys []string) ([]tinhso.IndicatorFigure, error) {
	indKey := map[int64]string{}
	rows, err := tx.query(ctx, `SELECT id, key FROM indicators`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			rows.Close()
			return nil, err
		}
		indKey[id] = k
	}
	rows.Close()
	unitCode := map[int64]string{}
	rows, err = tx.query(ctx, `SELECT id, code FROM org_units`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var c string
		if err := rows.Scan(&id, &c); err != nil {
			rows.Close()
			return nil, err
		}
		unitCode[id] = c
	}
	rows.Close()
	type period struct{ label, end string }
	periods := map[int64]period{}
	rows, err = tx.query(ctx, `SELECT id, label, end_date FROM periods`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var p period
		if err := rows.Scan(&id, &p.label, &p.end); err != nil {
			rows.Close()
			return nil, err
		}
		periods[id] = p
	}
	rows.Close()
	var w string
	var args []any
	if len(keys) > 0 {
		want := map[string]bool{}
		for _, k := range keys {
			want[k] = true
		}
		var ids []int64
		for id, k := range indKey {
			if want[k] {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return nil, nil
		}
		w = ` AND v.indicator_id IN (` + placeholders(len(ids)) + `)`
		args = int64Args(ids)
	}
	rows, err = tx.query(ctx, `SELECT v.indicator_id, s.org_unit_id, s.period_id, v.number, v.text, s.id FROM indicator_values v
		CROSS JOIN submissions s WHERE s.id = v.submission_id AND s.status = 'approved' AND (v.number IS NOT NULL OR v.text <> '')`+w, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []tinhso.IndicatorFigure
	var nums []float64
	var subs []int64
	for rows.Next() {
		var ind, unit, per, sub int64
		var v sql.NullFloat64
		var text string
		if err := rows.Scan(&ind, &unit, &per, &v, &text, &sub); err != nil {
			return nil, err
		}
		if len(nums) == cap(nums) {
			nums = make([]float64, 0, 8192)
		}
		if len(subs) == cap(subs) {
			subs = make([]int64, 0, 8192)
		}
		p := periods[per]
		x := tinhso.IndicatorFigure{Indicator: indKey[ind], OrgUnit: unitCode[unit], Period: p.label, Date: p.end, Text: text, Source: tinhso.FigureReport}
		if v.Valid {
			nums = append(nums, v.Float64)
			x.Value = &nums[len(nums)-1]
		}
		subs = append(subs, sub)
		x.Submissions = subs[len(subs)-1 : len(subs) : len(subs)]
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b tinhso.IndicatorFigure) int {
		return cmp.Or(compareFigures(&a, &b), cmp.Compare(a.Submissions[0], b.Submissions[0]))
	})
	return out, nil
}

// mergeFigures merges lists each ordered by indicator, unit and date into one.
func mergeFigures(lists [][]tinhso.IndicatorFigure) []tinhso.IndicatorFigure {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	out := make([]tinhso.IndicatorFigure, 0, n)
	at := make([]int, len(lists))
	for len(out) < n {
		best := -1
		for i, l := range lists {
			if at[i] >= len(l) {
				continue
			}
			if best < 0 || compareFigures(&l[at[i]], &lists[best][at[best]]) < 0 {
				best = i
			}
		}
		out = append(out, lists[best][at[best]])
		at[best]++
	}
	return out
}

func compareFigures(a, b *tinhso.IndicatorFigure) int {
	return cmp.Or(strings.Compare(a.Indicator, b.Indicator), strings.Compare(a.OrgUnit, b.OrgUnit), strings.Compare(a.Date, b.Date))
}

func referenceValues(ctx context.Context, tx *Tx) ([]tinhso.ReferenceValue, error) {
	return queryAll(ctx, tx, func(s scanner) (tinhso.ReferenceValue, error) {
		var r tinhso.ReferenceValue
		var at string
		err := s.Scan(&r.Indicator, &r.Year, &r.Value, &r.Source, &r.EnteredBy, &at)
		r.EnteredAt = parseStamp(at)
		return r, err
	}, `SELECT i.key, r.year, r.value, r.source, r.entered_by, r.entered_at FROM reference_values r JOIN indicators i ON i.id = r.indicator_id
		ORDER BY `+tx.db.dialect.byteOrder("i.key")+`, r.year`)
}

func indicatorReviews(ctx context.Context, tx *Tx) ([]tinhso.IndicatorReview, error) {
	return queryAll(ctx, tx, func(s scanner) (tinhso.IndicatorReview, error) {
		var r tinhso.IndicatorReview
		var at string
		err := s.Scan(&r.Indicator, &r.OrgUnit, &r.Class, &r.Reviewer, &r.Reason, &at)
		r.At = parseStamp(at)
		return r, err
	}, `SELECT i.key, COALESCE(u.code, ''), r.class, r.reviewer, r.reason, r.at FROM indicator_reviews r
		JOIN indicators i ON i.id = r.indicator_id LEFT JOIN org_units u ON u.id = r.org_unit_id ORDER BY r.at, r.id`)
}

// indicatorIDsByKey maps indicator keys to ids.
func indicatorIDsByKey(ctx context.Context, tx *Tx, keys []string) (map[string]int64, error) {
	out := map[string]int64{}
	for part := keys; len(part) > 0; {
		n := min(len(part), 500)
		c, args := keysIn("key", part[:n])
		rows, err := tx.query(ctx, `SELECT key, id FROM indicators WHERE `+c, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			var id int64
			if err := rows.Scan(&k, &id); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		part = part[n:]
	}
	return out, nil
}

// ImportHistory stores history figures, all or nothing, replacing those of the same
// indicator and date.
func (db *DB) ImportHistory(ctx context.Context, figs []tinhso.HistoryFigure) (int, error) {
	keys := make([]string, 0, len(figs))
	for _, f := range figs {
		keys = append(keys, f.Indicator)
	}
	actor := tinhso.ActorFrom(ctx).Username
	err := db.writeTx(ctx, func(tx *Tx) error {
		ids, err := indicatorIDsByKey(ctx, tx, keys)
		if err != nil {
			return err
		}
		for _, f := range figs {
			id, ok := ids[f.Indicator]
			if !ok {
				return tinhso.Invalid("indicator", "err.history.no_indicator", f.Indicator)
			}
			var v any
			if f.Value != nil {
				v = *f.Value
			}
			if _, err := tx.exec(ctx, `DELETE FROM history_figures WHERE indicator_id = ? AND date = ?`, id, f.Date); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO history_figures (indicator_id, date, value, text, source, synthetic, imported_by, imported_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, f.Date, v, f.Text, f.Source, boolInt(f.Synthetic), actor, tx.stamp()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(figs), nil
}

// PutReferenceValue stores the reference value of an indicator for a year.
func (db *DB) PutReferenceValue(ctx context.Context, r *tinhso.ReferenceValue) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		ids, err := indicatorIDsByKey(ctx, tx, []string{r.Indicator})
		if err != nil {
			return err
		}
		id, ok := ids[r.Indicator]
		if !ok {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.history.no_indicator", r.Indicator)
		}
		r.EnteredBy, r.EnteredAt = tinhso.ActorFrom(ctx).Username, tx.now
		if _, err := tx.exec(ctx, `DELETE FROM reference_values WHERE indicator_id = ? AND year = ?`, id, r.Year); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO reference_values (indicator_id, year, value, source, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, r.Year, r.Value, r.Source, r.EnteredBy, tx.stamp())
		return err
	})
}

// AddIndicatorReview stores a reviewer's class of a qualitative indicator.
func (db *DB) AddIndicatorReview(ctx context.Context, r *tinhso.IndicatorReview) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		ids, err := indicatorIDsByKey(ctx, tx, []string{r.Indicator})
		if err != nil {
			return err
		}
		id, ok := ids[r.Indicator]
		if !ok {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.history.no_indicator", r.Indicator)
		}
		var unit any
		if r.OrgUnit != "" {
			var uid int64
			if err := tx.queryRow(ctx, `SELECT id FROM org_units WHERE code = ?`, r.OrgUnit).Scan(&uid); err != nil {
				return tinhso.Errorf(tinhso.ENOTFOUND, "err.review.no_unit", r.OrgUnit)
			}
			unit = uid
		}
		r.At = tx.now
		_, err = tx.insert(ctx, `INSERT INTO indicator_reviews (indicator_id, org_unit_id, class, reviewer, reason, at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, unit, r.Class, r.Reviewer, r.Reason, tx.stamp())
		return err
	})
}

// CreateDisplayLink stores a display link with its token's hash.
func (db *DB) CreateDisplayLink(ctx context.Context, l *tinhso.DisplayLink, tokenHash string) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		l.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO display_links (name, token_hash, created_by, created_at) VALUES (?, ?, ?, ?)`,
			l.Name, tokenHash, l.CreatedBy, tx.stamp())
		l.ID = id
		return err
	})
}

func scanDisplayLink(s scanner) (*tinhso.DisplayLink, error) {
	l := &tinhso.DisplayLink{}
	var ca string
	var ra sql.NullString
	if err := s.Scan(&l.ID, &l.Name, &l.CreatedBy, &ca, &ra); err != nil {
		return nil, err
	}
	l.CreatedAt = parseStamp(ca)
	if ra.Valid {
		t := parseStamp(ra.String)
		l.RevokedAt = &t
	}
	return l, nil
}

// FindDisplayLinks lists display links, newest first.
func (db *DB) FindDisplayLinks(ctx context.Context) ([]*tinhso.DisplayLink, error) {
	var out []*tinhso.DisplayLink
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, scanDisplayLink, `SELECT id, name, created_by, created_at, revoked_at FROM display_links ORDER BY id DESC`)
		return err
	})
	return out, err
}

// DisplayLinkByHash finds a display link that is not revoked.
func (db *DB) DisplayLinkByHash(ctx context.Context, tokenHash string) (*tinhso.DisplayLink, error) {
	var l *tinhso.DisplayLink
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		l, err = scanDisplayLink(tx.queryRow(ctx, `SELECT id, name, created_by, created_at, revoked_at FROM display_links
			WHERE token_hash = ? AND revoked_at IS NULL`, tokenHash))
		if err != nil {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.display.not_found")
		}
		return nil
	})
	return l, err
}

// RevokeDisplayLink revokes a display link; revoking it again changes nothing.
func (db *DB) RevokeDisplayLink(ctx context.Context, id int64) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE display_links SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, tx.now.Format(timeFormat), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.display.not_found")
		}
		return nil
	})
}

var _ tinhso.MonitoringStore = (*DB)(nil)
