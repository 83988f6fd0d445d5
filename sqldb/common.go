package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/tinhso/tinhso"
)

// sourceCols are the columns that hold a record's Source; the span is "line:col-end_line:end_col".
const sourceCols = "source_file, source_span, source_text"

func sourceArgs(s *tinhso.Source) []any {
	if s == nil || s.Span.IsZero() {
		return []any{"", "", ""}
	}
	sp := s.Span
	return []any{sp.File, fmt.Sprintf("%d:%d-%d:%d", sp.Line, sp.Col, sp.EndLine, sp.EndCol), s.Text}
}

func scanSource(file, span, text string) *tinhso.Source {
	if file == "" {
		return nil
	}
	s := &tinhso.Source{Text: text, Span: tinhso.Span{File: file}}
	// "line:col-end_line:end_col", read by hand: lists read many of them.
	var n [4]int
	i := 0
	for _, c := range span {
		switch {
		case c >= '0' && c <= '9':
			n[i] = n[i]*10 + int(c-'0')
		case i < 3:
			i++
		}
	}
	s.Span.Line, s.Span.Col, s.Span.EndLine, s.Span.EndCol = n[0], n[1], n[2], n[3]
	return s
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func scanFlags(s string) []string {
	var f []string
	_ = json.Unmarshal([]byte(s), &f)
	return f
}

func scanSpans(s string) map[string]tinhso.Span {
	var m map[string]tinhso.Span
	_ = json.Unmarshal([]byte(s), &m)
	if len(m) == 0 {
		return nil
	}
	return m
}

func flagsText(f []string) string {
	if f == nil {
		f = []string{}
	}
	return jsonText(f)
}

func spansText(m map[string]tinhso.Span) string {
	if m == nil {
		return "{}"
	}
	return jsonText(m)
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// where builds a WHERE clause from conditions.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// keysIn is the condition "col is one of keys" (none: nothing matches).
func keysIn(col string, keys []string) (string, []any) {
	if len(keys) == 0 {
		return "1 = 0", nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	return col + ` IN (` + placeholders(len(keys)) + `)`, args
}

// limitClause pages a list; a zero limit means the default.
func limitClause(p tinhso.Page) (string, []any) {
	limit := p.Limit
	if limit <= 0 {
		limit = 50
	}
	return " LIMIT ? OFFSET ?", []any{limit, p.Offset}
}

// documentID resolves a document reference (id, slug or number) to its id.
func documentID(ctx context.Context, tx *Tx, ref string) (int64, error) {
	if ref == "" {
		return 0, tinhso.Invalid("document", "err.text.required", tinhso.Field("document"))
	}
	var id int64
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil {
		if err := tx.queryRow(ctx, `SELECT id FROM documents WHERE id = ?`, n).Scan(&id); err == nil {
			return id, nil
		}
	}
	err := tx.queryRow(ctx, `SELECT id FROM documents WHERE slug = ? OR (number = ? AND number <> '') ORDER BY id LIMIT 1`, ref, ref).Scan(&id)
	if err != nil {
		e := tinhso.Errorf(tinhso.ENOTFOUND, "err.document.not_found", ref)
		e.Field = "document"
		return 0, e
	}
	return id, nil
}

// orgUnitIDs resolves org-unit codes to ids, naming the field of a code that is unknown.
func orgUnitIDs(ctx context.Context, tx *Tx, field string, codes []string) ([]int64, error) {
	ids := make([]int64, len(codes))
	for i, c := range codes {
		if err := tx.queryRow(ctx, `SELECT id FROM org_units WHERE code = ?`, c).Scan(&ids[i]); err != nil {
			return nil, tinhso.Invalid(field, "err.orgunit.unknown_in", field, i, c)
		}
	}
	return ids, nil
}

// agencyResolver turns org-unit codes into AgencyRefs, with current successors for
// units that no longer exist. It reads only the units it is asked about.
type agencyResolver struct {
	units map[string]*tinhso.AgencyRef
	succ  []*tinhso.Succession
	today string
	// gone memoises the refs of units that no longer exist (their successors take a
	// walk over the successions).
	gone map[string]tinhso.AgencyRef
}

func newAgencyResolver(ctx context.Context, tx *Tx, unitIDs []int64) (*agencyResolver, error) {
	r := &agencyResolver{units: map[string]*tinhso.AgencyRef{}, today: tx.now.In(tinhso.Location).Format("2006-01-02")}
	if len(unitIDs) > 0 {
		if err := r.load(ctx, tx, "id", int64Args(unitIDs)); err != nil {
			return nil, err
		}
	}
	// Successions matter only for the units that no longer exist: those naming them,
	// and on from their successors that no longer exist either (loaded too, so that
	// their own existence is known).
	var frontier []string
	for code := range r.units {
		if !r.exists(code) {
			frontier = append(frontier, code)
		}
	}
	seen, have := map[string]bool{}, map[int64]bool{}
	for depth := 0; len(frontier) > 0 && depth <= 20; depth++ {
		for _, c := range frontier {
			seen[c] = true
		}
		list, err := findSuccessionsIn(ctx, tx, frontier)
		if err != nil {
			return nil, err
		}
		var more []any
		for _, s := range list {
			if !have[s.ID] {
				have[s.ID] = true
				r.succ = append(r.succ, s)
			}
			for _, c := range s.To {
				if _, ok := r.units[c]; !ok {
					more = append(more, c)
				}
			}
		}
		if len(more) > 0 {
			if err := r.load(ctx, tx, "code", more); err != nil {
				return nil, err
			}
		}
		frontier = nil
		for _, s := range list {
			for _, c := range s.To {
				if !seen[c] && !r.exists(c) {
					seen[c] = true
					frontier = append(frontier, c)
				}
			}
		}
	}
	return r, nil
}

// newAllAgencyResolver is an agencyResolver that knows every org unit (one query),
// for reads of the whole plan.
func newAllAgencyResolver(ctx context.Context, tx *Tx) (*agencyResolver, error) {
	r := &agencyResolver{units: map[string]*tinhso.AgencyRef{}, today: tx.now.In(tinhso.Location).Format("2006-01-02")}
	rows, err := tx.query(ctx, `SELECT code, name, kind, dissolved FROM org_units`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		a := &tinhso.AgencyRef{}
		if err := rows.Scan(&a.Code, &a.Name, &a.Kind, &a.Dissolved); err != nil {
			return nil, err
		}
		r.units[a.Code] = a
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	var gone []string
	for code := range r.units {
		if !r.exists(code) {
			gone = append(gone, code)
		}
	}
	if len(gone) > 0 {
		// Every unit is known: every succession is all there is to read (few).
		if r.succ, err = findSuccessionsIn(ctx, tx, nil); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (r *agencyResolver) load(ctx context.Context, tx *Tx, col string, args []any) error {
	for len(args) > 0 {
		n := len(args)
		if n > 500 {
			n = 500
		}
		rows, err := tx.query(ctx, `SELECT code, name, kind, dissolved FROM org_units WHERE `+col+` IN (`+placeholders(n)+`)`, args[:n]...)
		if err != nil {
			return err
		}
		for rows.Next() {
			a := &tinhso.AgencyRef{}
			if err := rows.Scan(&a.Code, &a.Name, &a.Kind, &a.Dissolved); err != nil {
				rows.Close()
				return err
			}
			r.units[a.Code] = a
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		args = args[n:]
	}
	return nil
}

func (r *agencyResolver) exists(code string) bool {
	u, ok := r.units[code]
	return ok && (u.Dissolved == "" || tinhso.PartialDateStart(u.Dissolved) > r.today)
}

func (r *agencyResolver) ref(code string) tinhso.AgencyRef {
	u, ok := r.units[code]
	if !ok {
		return tinhso.AgencyRef{Code: code}
	}
	if a, ok := r.gone[code]; ok {
		return a
	}
	a := *u
	a.Exists = r.exists(code)
	if !a.Exists {
		a.Successors = tinhso.CurrentSuccessors(code, r.today, r.succ, r.exists)
		if r.gone == nil {
			r.gone = map[string]tinhso.AgencyRef{}
		}
		r.gone[code] = a
	}
	return a
}

func int64Args(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

func codesOf(refs []tinhso.AgencyRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Code
	}
	return out
}

// checkVersion reports ENOTFOUND when the row is gone. what names the record: a
// message (tinhso.M("what.task")), or English text from the callers not yet converted
// (reporting.go; phase 2 of issue 8).
func checkVersion(ctx context.Context, tx *Tx, table string, id int64, version int, what tinhso.Message) error {
	var cur int
	if err := tx.queryRow(ctx, `SELECT version FROM `+table+` WHERE id = ?`, id).Scan(&cur); err != nil {
		return tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", what)
	}
	if version != 0 && cur != version {
		return tinhso.Errorf(tinhso.EPRECONDITION, "err.db.changed", what, version, cur)
	}
	return nil
}

// claimVersion moves a row to its next version if it is still at the version the
// caller saw (0: any). The UPDATE takes the row's write lock first, so of two writers
// that saw the same version exactly one wins, whatever the isolation level; the other
// gets EPRECONDITION.
func claimVersion(ctx context.Context, tx *Tx, table string, id int64, version int, what tinhso.Message) error {
	q, args := `UPDATE `+table+` SET version = version + 1, updated_at = ? WHERE id = ?`, []any{tx.stamp(), id}
	if version != 0 {
		q, args = q+` AND version = ?`, append(args, version)
	}
	res, err := tx.exec(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 1 {
		return nil
	}
	return checkVersion(ctx, tx, table, id, version, what)
}

// referrers counts rows that refer to a record and describes them for a 409, each as
// its message key with the count.
func referrers(ctx context.Context, tx *Tx, checks []refCheck) ([]tinhso.Message, error) {
	var out []tinhso.Message
	for _, c := range checks {
		var n int
		if err := tx.queryRow(ctx, c.query, c.args...).Scan(&n); err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, tinhso.M(c.key, n))
		}
	}
	return out, nil
}

type refCheck struct {
	key   string // "ref.tasks": "tasks: %d"
	query string
	args  []any
}

// scanner is a row to scan: *sql.Row or *sql.Rows.
type scanner = interface{ Scan(...any) error }

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, tx *Tx, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
