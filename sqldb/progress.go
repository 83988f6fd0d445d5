package sqldb

import (
	"context"
	"database/sql"

	"github.com/tinhso/tinhso"
)

// ApprovedProgress reads the approved progress reports of tasks (keys; none: every
// task's), by task, period end and approval: what a task's deadline state is judged
// on once units report it done.
func (db *DB) ApprovedProgress(ctx context.Context, tasks []string) ([]tinhso.ProgressReport, error) {
	var out []tinhso.ProgressReport
	err := db.readTx(ctx, func(tx *Tx) error {
		where, args := "", []any{tinhso.StatusApproved}
		if len(tasks) > 0 {
			where = " AND t.key IN (" + placeholders(len(tasks)) + ")"
			for _, k := range tasks {
				args = append(args, k)
			}
		}
		rows, err := tx.query(ctx, `SELECT t.key, u.code, p.label, p.end_date, tp.percent, tp.done, tp.deliverable_link, tp.deliverable_file, s.id, s.approved_at
			FROM task_progress tp JOIN submissions s ON s.id = tp.submission_id JOIN periods p ON p.id = s.period_id
			JOIN tasks t ON t.id = tp.task_id JOIN org_units u ON u.id = s.org_unit_id
			WHERE s.status = ? AND s.approved_at IS NOT NULL`+where+`
			ORDER BY `+tx.db.dialect.byteOrder("t.key")+`, p.end_date, s.approved_at, s.id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r tinhso.ProgressReport
			var pct sql.NullInt64
			var done int
			var link, file, at string
			if err := rows.Scan(&r.Task, &r.OrgUnit, &r.Period, &r.PeriodEnd, &pct, &done, &link, &file, &r.Submission, &at); err != nil {
				return err
			}
			if pct.Valid {
				p := int(pct.Int64)
				r.Percent = &p
			}
			r.Done = done != 0 || (pct.Valid && pct.Int64 >= 100 && (link != "" || file != ""))
			r.ApprovedAt = parseStamp(at)
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}
