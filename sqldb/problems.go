package sqldb

import (
	"context"

	"github.com/tinhso/tinhso"
)

const problemCols = `p.id, p.key, d.slug, p.province, p.number, p.title, p.basis, p.expected_results, p.status, p.note, p.spans,
	p.source_file, p.source_span, p.source_text, p.version, p.created_at, p.updated_at`
const problemFrom = ` FROM problems p JOIN documents d ON d.id = p.document_id`

func scanProblem(s interface{ Scan(...any) error }) (*tinhso.Problem, error) {
	p := &tinhso.Problem{}
	var spans, sf, ss, st, ca, ua string
	if err := s.Scan(&p.ID, &p.Key, &p.Document, &p.Province, &p.Number, &p.Title, &p.Basis, &p.ExpectedResults, &p.Status, &p.Note,
		&spans, &sf, &ss, &st, &p.Version, &ca, &ua); err != nil {
		return nil, err
	}
	p.Spans, p.Source = scanSpans(spans), scanSource(sf, ss, st)
	p.CreatedAt, p.UpdatedAt = parseStamp(ca), parseStamp(ua)
	return p, nil
}

// FindProblems lists big problems by province and number.
func (db *DB) FindProblems(ctx context.Context, f tinhso.ProblemFilter) ([]*tinhso.Problem, int, error) {
	var out []*tinhso.Problem
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if f.Province != "" {
			w.add("p.province = ?", f.Province)
		}
		if f.Status != "" {
			w.add("p.status = ?", f.Status)
		}
		if f.Document != "" {
			id, err := documentID(ctx, tx, f.Document)
			if err != nil {
				return err
			}
			w.add("p.document_id = ?", id)
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*)`+problemFrom+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(f.Page)
		list, err := queryAll(ctx, tx, scanProblem, `SELECT `+problemCols+problemFrom+w.String()+` ORDER BY p.document_id, p.number`+lim, append(w.args, largs...)...)
		out = list
		return err
	})
	return out, total, err
}

// FindProblem finds a big problem by id.
func (db *DB) FindProblem(ctx context.Context, id int64) (*tinhso.Problem, error) {
	var p *tinhso.Problem
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		p, err = scanProblem(tx.queryRow(ctx, `SELECT `+problemCols+problemFrom+` WHERE p.id = ?`, id))
		if err != nil {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.problem.not_found", id)
		}
		return nil
	})
	return p, err
}

// CreateProblem stores a new big problem.
func (db *DB) CreateProblem(ctx context.Context, p *tinhso.Problem) error {
	if p.Status == "" {
		p.Status = "open"
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		docID, err := documentID(ctx, tx, p.Document)
		if err != nil {
			return err
		}
		if p.Document, err = documentSlug(ctx, tx, docID); err != nil {
			return err
		}
		if p.Key == "" {
			p.Key = p.Document + "/" + itoa(p.Number)
		}
		args := []any{p.Key, docID, p.Province, p.Number, p.Title, p.Basis, p.ExpectedResults, p.Status, p.Note, spansText(p.Spans)}
		args = append(args, sourceArgs(p.Source)...)
		args = append(args, tx.stamp(), tx.stamp())
		id, err := tx.insert(ctx, `INSERT INTO problems (key, document_id, province, number, title, basis, expected_results, status, note, spans,
			`+sourceCols+`, created_at, updated_at) VALUES (`+placeholders(15)+`)`, args...)
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("what.problem_number_in", p.Number, p.Document))
		}
		p.ID, p.Version, p.CreatedAt, p.UpdatedAt = id, 1, tx.now, tx.now
		tx.audit(ctx, "problem.create", "problem", p.Key, nil, p)
		return nil
	})
}

// UpdateProblem replaces a big problem's fields.
func (db *DB) UpdateProblem(ctx context.Context, p *tinhso.Problem, version int) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := claimVersion(ctx, tx, "problems", p.ID, version, tinhso.M("what.problem")); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE problems SET province = ?, number = ?, title = ?, basis = ?, expected_results = ?, status = ?, note = ? WHERE id = ?`, p.Province, p.Number, p.Title, p.Basis, p.ExpectedResults, p.Status, p.Note,
			p.ID); err != nil {
			return db.dialect.mapError(err, tinhso.M("what.problem_number", p.Number))
		}
		np, err := scanProblem(tx.queryRow(ctx, `SELECT `+problemCols+problemFrom+` WHERE p.id = ?`, p.ID))
		if err != nil {
			return err
		}
		tx.audit(ctx, "problem.update", "problem", np.Key, p, np)
		*p = *np
		return nil
	})
}

// DeleteProblem deletes a big problem.
func (db *DB) DeleteProblem(ctx context.Context, id int64, version int) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := claimVersion(ctx, tx, "problems", id, version, tinhso.M("what.problem")); err != nil {
			return err
		}
		refs, err := referrers(ctx, tx, []refCheck{{"ref.proposals", `SELECT COUNT(*) FROM proposals WHERE problem_id = ?`, []any{id}}})
		if err != nil {
			return err
		}
		if len(refs) > 0 {
			return tinhso.Errorf(tinhso.ECONFLICT, "err.problem.referred").With(refs...)
		}
		tx.audit(ctx, "problem.delete", "problem", itoa(int(id)), nil, nil)
		_, err = tx.exec(ctx, `DELETE FROM problems WHERE id = ?`, id)
		return err
	})
}
