package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// keyExpr is the SQL of renamer.key: "doc/rest" becomes "doc<sfx>/rest" (?1 is sfx).
func keyExpr(col string) string {
	return `CASE WHEN instr(` + col + `, '/') > 0 THEN substr(` + col + `, 1, instr(` + col + `, '/') - 1) || ?1 || substr(` + col + `, instr(` + col + `, '/')) ELSE ` + col + ` || ?1 END`
}

// clonePlan adds copies 1..scale-1 of the seed plan in SQL, one transaction per copy,
// as growPlan does through the store (the same codes, keys, names and numbers; the
// store's write path, one record at a time with its checks and audit, takes most of
// an hour at 100× on a loaded machine). The copies' search and sort keys are made
// when tinhso opens the database.
func clonePlan(ctx context.Context, path string, scale int, progress func(int)) error {
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(20000)&_pragma=foreign_keys(1)")
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	seedMax := map[string]int64{}
	for _, t := range []string{"documents", "org_units", "successions", "measures", "indicators", "tasks", "funding_lines", "problems"} {
		var n sql.NullInt64
		if err := raw.QueryRowContext(ctx, `SELECT MAX(id) FROM `+t).Scan(&n); err != nil {
			return err
		}
		seedMax[t] = n.Int64
	}
	for k := 1; k < scale; k++ {
		r := newRenamer(k)
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		c := &cloner{ctx: ctx, tx: tx}
		sfx, prov := r.sfx, r.name
		seed := func(alias, table string) string { return fmt.Sprintf(" WHERE %s.id <= %d", alias, seedMax[table]) }
		mapOf := func(name, table, key string) {
			c.exec(`DROP TABLE IF EXISTS temp.` + name)
			c.exec(`CREATE TEMP TABLE `+name+` AS SELECT a.id AS old, b.id AS new FROM `+table+` a JOIN `+table+` b ON b.`+key+` = `+
				strings.ReplaceAll(keyExprFor(table, key), "COL", "a."+key)+fmt.Sprintf(` WHERE a.id <= %d`, seedMax[table]), sfx)
		}
		c.clone("documents", "d", `FROM documents d`+seed("d", "documents"), map[string]string{
			"slug":   "d.slug || ?1",
			"number": "CASE WHEN d.number = '' THEN '' WHEN instr(d.number, '/') > 0 THEN substr(d.number, 1, instr(d.number, '/') - 1) || '-' || ?3 || substr(d.number, instr(d.number, '/')) ELSE d.number || '-' || ?3 END",
			"title":  "replace(d.title, 'Thái Nguyên', ?2) || ' — ' || ?2", "issuer": "replace(d.issuer, 'Thái Nguyên', ?2)",
		}, sfx, prov, k)
		mapOf("dmap", "documents", "slug")
		c.clone("org_units", "u", `FROM org_units u`+seed("u", "org_units"), map[string]string{
			"code": "u.code || ?1", "name": "replace(u.name, 'Thái Nguyên', ?2) || ' (' || ?2 || ')'", "parent_id": "NULL",
		}, sfx, prov)
		mapOf("umap", "org_units", "code")
		c.exec(`UPDATE org_units SET parent_id = (SELECT p.new FROM umap m JOIN org_units o ON o.id = m.old JOIN umap p ON p.old = o.parent_id WHERE m.new = org_units.id)
			WHERE id IN (SELECT new FROM umap)`)
		c.clone("org_unit_aliases", "a", `FROM org_unit_aliases a JOIN umap ON umap.old = a.org_unit_id`, map[string]string{
			"org_unit_id": "umap.new", "alias": "replace(a.alias, 'Thái Nguyên', ?1) || ' (' || ?1 || ')'"}, prov)
		c.clone("org_unit_members", "x", `FROM org_unit_members x JOIN umap g ON g.old = x.group_id JOIN umap m ON m.old = x.member_id`, map[string]string{
			"group_id": "g.new", "member_id": "m.new"})
		c.clone("successions", "s", `FROM successions s`+seed("s", "successions"), map[string]string{"key": keyExpr("s.key")}, sfx)
		mapOf("xmap", "successions", "key")
		c.clone("succession_units", "x", `FROM succession_units x JOIN xmap ON xmap.old = x.succession_id JOIN umap ON umap.old = x.org_unit_id`, map[string]string{
			"succession_id": "xmap.new", "org_unit_id": "umap.new"})
		c.clone("measures", "m", `FROM measures m`+seed("m", "measures"), map[string]string{"key": "m.key || ?1", "name": "m.name || ' (' || ?2 || ')'"}, sfx, prov)
		mapOf("mmap", "measures", "key")
		c.clone("indicators", "i", `FROM indicators i LEFT JOIN mmap ON mmap.old = i.measure_id JOIN dmap ON dmap.old = i.document_id`+seed("i", "indicators"), map[string]string{
			"key": keyExpr("i.key"), "document_id": "dmap.new", "measure_id": "mmap.new", "agencies_text": "replace(i.agencies_text, 'Thái Nguyên', ?2)"}, sfx, prov)
		mapOf("imap", "indicators", "key")
		c.clone("indicator_agencies", "x", `FROM indicator_agencies x JOIN imap ON imap.old = x.indicator_id JOIN umap ON umap.old = x.org_unit_id`, map[string]string{
			"indicator_id": "imap.new", "org_unit_id": "umap.new"})
		c.clone("tasks", "t", `FROM tasks t JOIN dmap ON dmap.old = t.document_id`+seed("t", "tasks"), map[string]string{
			"key": keyExpr("t.key"), "document_id": "dmap.new", "title": "replace(t.title, 'Thái Nguyên', ?2)",
			"lead_text": "replace(t.lead_text, 'Thái Nguyên', ?2)", "cooperating_text": "replace(t.cooperating_text, 'Thái Nguyên', ?2)"}, sfx, prov)
		mapOf("tmap", "tasks", "key")
		c.clone("task_agencies", "x", `FROM task_agencies x JOIN tmap ON tmap.old = x.task_id JOIN umap ON umap.old = x.org_unit_id`, map[string]string{
			"task_id": "tmap.new", "org_unit_id": "umap.new"})
		c.clone("funding_lines", "f", `FROM funding_lines f JOIN dmap ON dmap.old = f.document_id`+seed("f", "funding_lines"), map[string]string{
			"key": keyExpr("f.key"), "document_id": "dmap.new", "parent_id": "NULL"}, sfx)
		mapOf("fmap", "funding_lines", "key")
		c.exec(`UPDATE funding_lines SET parent_id = (SELECT p.new FROM fmap m JOIN funding_lines o ON o.id = m.old JOIN fmap p ON p.old = o.parent_id WHERE m.new = funding_lines.id)
			WHERE id IN (SELECT new FROM fmap)`)
		c.clone("problems", "p", `FROM problems p JOIN dmap ON dmap.old = p.document_id`+seed("p", "problems"), map[string]string{
			"key": keyExpr("p.key"), "document_id": "dmap.new",
			"status": "CASE (?2 + p.number) % 5 WHEN 2 THEN 'proposals' WHEN 3 THEN 'commissioned' WHEN 4 THEN 'solved' ELSE 'open' END"}, sfx, k)
		if c.err != nil {
			tx.Rollback()
			return fmt.Errorf("copy %d: %w", k, c.err)
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		progress(k)
	}
	return nil
}

// keyExprFor is the SQL of a copy's key of table's column (COL stands for it).
func keyExprFor(table, key string) string {
	switch table {
	case "documents", "measures", "org_units":
		return "COL || ?1"
	}
	return keyExpr("COL")
}

// cloner runs the statements of one copy, keeping the first error.
type cloner struct {
	ctx context.Context
	tx  *sql.Tx
	err error
}

func (c *cloner) exec(q string, args ...any) {
	if c.err == nil {
		if _, err := c.tx.ExecContext(c.ctx, q, args...); err != nil {
			c.err = fmt.Errorf("%.80s…: %w", strings.Join(strings.Fields(q), " "), err)
		}
	}
}

// clone inserts the rows of table selected by from, every column copied but those set
// names an expression for.
func (c *cloner) clone(table, alias, from string, set map[string]string, args ...any) {
	if c.err != nil {
		return
	}
	rows, err := c.tx.QueryContext(c.ctx, `SELECT name FROM pragma_table_info(?)`, table)
	if err != nil {
		c.err = err
		return
	}
	var cs []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			c.err = err
			rows.Close()
			return
		}
		if n != "id" {
			cs = append(cs, n)
		}
	}
	rows.Close()
	exprs := make([]string, len(cs))
	for i, col := range cs {
		if e, ok := set[col]; ok {
			exprs[i] = e
		} else {
			exprs[i] = alias + "." + col
		}
	}
	if _, err := c.tx.ExecContext(c.ctx, `INSERT INTO `+table+` (`+strings.Join(cs, ", ")+`) SELECT `+strings.Join(exprs, ", ")+` `+from, args...); err != nil {
		c.err = fmt.Errorf("%s: %w", table, err)
	}
}
