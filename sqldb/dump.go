package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/tinhso/tinhso"
)

// DumpFormat names the format of a whole-instance dump.
const DumpFormat = "tinhso-dump"

// Dump is a whole instance: every table's rows, tables in dependency order, rows in
// key order, so that two dumps of the same data are byte for byte the same whatever
// the engine.
type Dump struct {
	Format     string      `json:"format"`
	Version    int         `json:"version"`
	Migrations []string    `json:"migrations"`
	Tables     []TableDump `json:"tables"`
}

// TableDump is one table of a dump.
type TableDump struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// dumpTables lists the tables in an order where every reference points backwards
// (but for the self-references in selfRefs), with their key order; a * marks a text
// column, compared byte by byte on both engines.
var dumpTables = []struct{ name, order string }{
	{"settings", "name*"},
	{"seed_loads", "name*"},
	{"documents", "id"},
	{"org_units", "id"},
	{"org_unit_aliases", "org_unit_id, alias*"},
	{"org_unit_members", "group_id, member_id"},
	{"successions", "id"},
	{"succession_units", "succession_id, side*, position"},
	{"measures", "id"},
	{"indicators", "id"},
	{"indicator_agencies", "indicator_id, position"},
	{"tasks", "id"},
	{"task_agencies", "task_id, role*, position"},
	{"problems", "id"},
	{"funding_lines", "id"},
	{"regimes", "id"},
	{"periods", "id"},
	{"submissions", "id"},
	{"submission_indicators", "submission_id, indicator_id"},
	{"submission_tasks", "submission_id, task_id"},
	{"indicator_values", "submission_id, indicator_id"},
	{"task_progress", "submission_id, task_id"},
	{"evidence", "submission_id, hash*"},
	{"figures", "period_id, indicator_id"},
	{"history_figures", "indicator_id, date*"},
	{"reference_values", "indicator_id, year"},
	{"indicator_reviews", "id"},
	{"display_links", "id"},
	{"audit_log", "seq"},
	{"notifications", "id"},
	{"users", "id"},
	{"api_tokens", "id"},
	{"proposals", "id"},
	{"alert_rules", "id"},
	{"alerts", "id"},
	{"alert_events", "id"},
	{"silences", "id"},
	{"webhooks", "id"},
	{"notify_prefs", "user_id"},
	{"outbox", "id"},
	{"deliveries", "id"},
	{"supervising_leaders", "org_unit*"},
	{"frameworks", "id"},
	{"framework_versions", "id"},
	{"people", "id"},
	{"assessment_rounds", "id"},
	{"assessment_subjects", "id"},
	{"assessment_entries", "subject_id, criterion*"},
	{"assessment_evidence", "subject_id, criterion*, hash*"},
}

// Sessions are not carried: they belong to the instance's running nodes, and signing
// in again is the safe way to move. Nor are leases. Webhook secrets and the SMTP
// password travel sealed: the new instance needs the same TINHSO_SECRET_KEY.

// selfRefs are columns that refer to rows of their own table: loaded after the table.
var selfRefs = map[string]string{"org_units": "parent_id", "funding_lines": "parent_id"}

// Export reads every table.
func (db *DB) Export(ctx context.Context) (*Dump, error) {
	d := &Dump{Format: DumpFormat, Version: 1}
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		d.Migrations, err = migrationsIn(ctx, tx)
		if err != nil {
			return err
		}
		d.Tables, err = exportTables(ctx, tx)
		return err
	})
	return d, err
}

func migrationsIn(ctx context.Context, tx *Tx) ([]string, error) {
	rows, err := tx.query(ctx, `SELECT name FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func exportTables(ctx context.Context, tx *Tx) ([]TableDump, error) {
	var out []TableDump
	for _, t := range dumpTables {
		order := make([]string, 0, 3)
		for _, c := range strings.Split(t.order, ", ") {
			if name, text := strings.CutSuffix(c, "*"); text {
				c = tx.db.dialect.byteOrder(name)
			}
			order = append(order, c)
		}
		rows, err := tx.query(ctx, `SELECT * FROM `+t.name+` ORDER BY `+strings.Join(order, ", "))
		if err != nil {
			return nil, err
		}
		cols, err := rows.Columns()
		if err != nil {
			rows.Close()
			return nil, err
		}
		td := TableDump{Name: t.name, Columns: cols, Rows: [][]any{}}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			for i, v := range vals {
				vals[i] = normalize(v)
			}
			td.Rows = append(td.Rows, vals)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out = append(out, td)
	}
	return out, nil
}

// normalize gives each value one Go type whatever the driver: int64, string or nil.
func normalize(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		return string(x)
	case string:
		return x
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	case float64:
		if x == float64(int64(x)) {
			return int64(x)
		}
		return x
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	}
	return fmt.Sprint(v)
}

// WriteDump writes a dump as indented JSON.
func WriteDump(w io.Writer, d *Dump) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(d)
}

// ReadDump reads a dump written by WriteDump.
func ReadDump(r io.Reader) (*Dump, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var d Dump
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("read dump: %w", err)
	}
	if d.Format != DumpFormat || d.Version != 1 {
		return nil, fmt.Errorf("not a tinhso dump of version 1 (format %q, version %d)", d.Format, d.Version)
	}
	for _, t := range d.Tables {
		for _, row := range t.Rows {
			for i, v := range row {
				row[i] = normalize(v)
			}
		}
	}
	return &d, nil
}

// Import loads a dump into this database, which must be empty and at the same
// migrations, in one transaction; it then reads every table back and compares every
// row with the dump, and commits only if all are equal.
func (db *DB) Import(ctx context.Context, d *Dump) error {
	return db.InTx(ctx, func(ctx context.Context) error {
		return db.writeTx(ctx, func(tx *Tx) error {
			mig, err := migrationsIn(ctx, tx)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(mig, d.Migrations) {
				return tinhso.Errorf(tinhso.EINVALID, "err.dump.migrations", fmt.Sprint(d.Migrations), fmt.Sprint(mig))
			}
			known := map[string]bool{}
			for _, t := range dumpTables {
				known[t.name] = true
				var n int
				if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
					return err
				}
				if n > 0 {
					return tinhso.Errorf(tinhso.ECONFLICT, "err.dump.not_empty", t.name, n)
				}
			}
			for _, t := range d.Tables {
				if !known[t.Name] {
					return tinhso.Errorf(tinhso.EINVALID, "err.dump.table", t.Name)
				}
				if err := importTable(ctx, tx, t); err != nil {
					return fmt.Errorf("table %s: %w", t.Name, err)
				}
			}
			back, err := exportTables(ctx, tx)
			if err != nil {
				return err
			}
			return compareTables(d.Tables, back)
		})
	})
}

func importTable(ctx context.Context, tx *Tx, t TableDump) error {
	for _, c := range t.Columns {
		if !isIdent(c) {
			return fmt.Errorf("bad column name %q", c)
		}
	}
	self := -1
	for i, c := range t.Columns {
		if c == selfRefs[t.Name] {
			self = i
		}
	}
	q := `INSERT INTO ` + t.Name + ` (` + strings.Join(t.Columns, ", ") + `) VALUES (` + placeholders(len(t.Columns)) + `)`
	for n, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("row %d has %d values for %d columns", n+1, len(row), len(t.Columns))
		}
		args := append([]any(nil), row...)
		if self >= 0 {
			args[self] = nil
		}
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("row %d: %w", n+1, err)
		}
	}
	if self >= 0 {
		for _, row := range t.Rows {
			if row[self] == nil {
				continue
			}
			if _, err := tx.exec(ctx, `UPDATE `+t.Name+` SET `+t.Columns[self]+` = ? WHERE id = ?`, row[self], row[0]); err != nil {
				return err
			}
		}
	}
	return tx.db.dialect.afterImport(ctx, tx, t.Name, t.Columns)
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// compareTables reports the first difference between two sets of tables.
func compareTables(want, got []TableDump) error {
	byName := map[string]TableDump{}
	for _, t := range got {
		byName[t.Name] = t
	}
	for _, w := range want {
		g := byName[w.Name]
		if !reflect.DeepEqual(w.Columns, g.Columns) {
			return fmt.Errorf("table %s: columns %v read back as %v", w.Name, w.Columns, g.Columns)
		}
		if len(w.Rows) != len(g.Rows) {
			return fmt.Errorf("table %s: %d rows written, %d read back", w.Name, len(w.Rows), len(g.Rows))
		}
		for i := range w.Rows {
			if !reflect.DeepEqual(w.Rows[i], g.Rows[i]) {
				return fmt.Errorf("table %s row %d: wrote %v, read back %v", w.Name, i+1, w.Rows[i], g.Rows[i])
			}
		}
	}
	return nil
}
