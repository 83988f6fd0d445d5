package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "modernc.org/sqlite"
)

// cloneReporting gives copies 1..scale-1 the reporting of the seed's copy (its regime,
// periods, submissions with their expected indicators and tasks, values and province
// figures), each copy's rows mapped to its own units, indicators and tasks by code,
// with the numbers varied a little. The seed's reporting went through the workflow;
// its copies are written directly (the workflow, a few transactions per submission,
// would take hours at 100×), so the rows have the shapes the workflow gives.
func cloneReporting(ctx context.Context, path string, scale int, progress func(int)) error {
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(20000)&_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	cols := func(tx *sql.Tx, table string) ([]string, error) {
		rows, err := tx.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return nil, err
			}
			if n != "id" {
				out = append(out, n)
			}
		}
		return out, rows.Err()
	}
	// clone inserts the rows of table selected by from, every column copied but those
	// set names an expression for.
	clone := func(tx *sql.Tx, table, alias, from string, set map[string]string, args ...any) error {
		cs, err := cols(tx, table)
		if err != nil {
			return err
		}
		exprs := make([]string, len(cs))
		for i, c := range cs {
			if e, ok := set[c]; ok {
				exprs[i] = e
			} else {
				exprs[i] = alias + "." + c
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO `+table+` (`+strings.Join(cs, ", ")+`) SELECT `+strings.Join(exprs, ", ")+` `+from, args...)
		if err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
		return nil
	}
	for k := 1; k < scale; k++ {
		r := newRenamer(k)
		sfx, rkey := r.sfx, "kh25-quy"+strings.TrimPrefix(r.sfx, "-")
		f := 0.85 + float64(k%7)*0.05 // the copy's numbers: the seed's, varied
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		steps := []func() error{
			func() error {
				return clone(tx, "regimes", "g", `FROM regimes g JOIN documents d ON d.id = g.document_id WHERE g.key = 'kh25-quy'`, map[string]string{
					"key": "?1", "name": "'Báo cáo quý Kế hoạch 25 — ' || ?2",
					"document_id": "(SELECT id FROM documents WHERE slug = d.slug || ?3)",
					"receiver_id": "(SELECT x.id FROM org_units x JOIN org_units y ON x.code = y.code || ?3 WHERE y.id = g.receiver_id)"}, rkey, r.name, sfx)
			},
			func() error {
				return clone(tx, "periods", "p", `FROM periods p JOIN regimes g ON g.id = p.regime_id WHERE g.key = 'kh25-quy'`, map[string]string{
					"regime_id": "(SELECT id FROM regimes WHERE key = ?1)"}, rkey)
			},
			func() error {
				_, err := tx.ExecContext(ctx, `DROP TABLE IF EXISTS temp.pmap`)
				if err == nil {
					_, err = tx.ExecContext(ctx, `CREATE TEMP TABLE pmap AS SELECT p.id AS old, pk.id AS new FROM periods p JOIN regimes g ON g.id = p.regime_id
						JOIN regimes gk ON gk.key = ?1 JOIN periods pk ON pk.regime_id = gk.id AND pk.year = p.year AND pk.number = p.number
						WHERE g.key = 'kh25-quy'`, rkey)
				}
				return err
			},
			func() error {
				return clone(tx, "submissions", "s", `FROM submissions s JOIN pmap ON pmap.old = s.period_id JOIN org_units u ON u.id = s.org_unit_id
					JOIN org_units uk ON uk.code = u.code || ?1`, map[string]string{"period_id": "pmap.new", "org_unit_id": "uk.id"}, sfx)
			},
			func() error {
				for _, q := range []string{
					`DROP TABLE IF EXISTS temp.smap`, `DROP TABLE IF EXISTS temp.imap`, `DROP TABLE IF EXISTS temp.tmap`,
					`CREATE TEMP TABLE smap AS SELECT s.id AS old, sk.id AS new FROM submissions s JOIN pmap ON pmap.old = s.period_id
						JOIN org_units u ON u.id = s.org_unit_id JOIN org_units uk ON uk.code = u.code || ?1
						JOIN submissions sk ON sk.period_id = pmap.new AND sk.org_unit_id = uk.id`,
					`CREATE TEMP TABLE imap AS SELECT i.id AS old, ik.id AS new FROM indicators i JOIN documents d ON d.id = i.document_id
						JOIN documents dk ON dk.slug = d.slug || ?1 JOIN indicators ik ON ik.document_id = dk.id AND ik.code = i.code`,
					`CREATE TEMP TABLE tmap AS SELECT t.id AS old, tk.id AS new FROM tasks t JOIN documents d ON d.id = t.document_id
						JOIN documents dk ON dk.slug = d.slug || ?1 JOIN tasks tk ON tk.document_id = dk.id AND tk.number = t.number`,
				} {
					if _, err := tx.ExecContext(ctx, q, sfx); err != nil {
						return err
					}
				}
				return nil
			},
			func() error {
				return clone(tx, "submission_indicators", "x", `FROM submission_indicators x JOIN smap ON smap.old = x.submission_id JOIN imap ON imap.old = x.indicator_id`,
					map[string]string{"submission_id": "smap.new", "indicator_id": "imap.new"})
			},
			func() error {
				return clone(tx, "submission_tasks", "x", `FROM submission_tasks x JOIN smap ON smap.old = x.submission_id JOIN tmap ON tmap.old = x.task_id`,
					map[string]string{"submission_id": "smap.new", "task_id": "tmap.new"})
			},
			func() error {
				return clone(tx, "indicator_values", "x", `FROM indicator_values x JOIN smap ON smap.old = x.submission_id JOIN imap ON imap.old = x.indicator_id`,
					map[string]string{"submission_id": "smap.new", "indicator_id": "imap.new", "number": "ROUND(x.number * ?1, 2)"}, f)
			},
			func() error {
				return clone(tx, "figures", "x", `FROM figures x JOIN pmap ON pmap.old = x.period_id JOIN imap ON imap.old = x.indicator_id`,
					map[string]string{"period_id": "pmap.new", "indicator_id": "imap.new", "value": "ROUND(x.value * ?1, 2)"}, f)
			},
		}
		for _, step := range steps {
			if err := step(); err != nil {
				tx.Rollback()
				return fmt.Errorf("copy %d: %w", k, err)
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		progress(k)
	}
	return nil
}
