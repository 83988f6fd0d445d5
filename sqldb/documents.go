package sqldb

import (
	"context"
	"database/sql"
	"errors"

	"github.com/tinhso/tinhso"
)

const documentCols = "id, slug, kind, number, title, issued, issued_after, issued_after_text, issuer, note, " + sourceCols + ", version, created_at, updated_at"

func scanDocument(s interface{ Scan(...any) error }) (*tinhso.Document, error) {
	d := &tinhso.Document{}
	var sf, ss, st, ca, ua string
	if err := s.Scan(&d.ID, &d.Slug, &d.Kind, &d.Number, &d.Title, &d.Date, &d.IssuedAfter, &d.IssuedAfterText, &d.Issuer, &d.Note, &sf, &ss, &st, &d.Version, &ca, &ua); err != nil {
		return nil, err
	}
	d.Source = scanSource(sf, ss, st)
	d.CreatedAt, d.UpdatedAt = parseStamp(ca), parseStamp(ua)
	return d, nil
}

// FindDocuments lists documents by id.
func (db *DB) FindDocuments(ctx context.Context, f tinhso.DocumentFilter) ([]*tinhso.Document, int, error) {
	var out []*tinhso.Document
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if f.Kind != "" {
			w.add("kind = ?", f.Kind)
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM documents`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(f.Page)
		list, err := queryAll(ctx, tx, scanDocument, `SELECT `+documentCols+` FROM documents`+w.String()+` ORDER BY id`+lim, append(w.args, largs...)...)
		out = list
		return err
	})
	return out, total, err
}

// FindDocument finds a document by id, slug or number.
func (db *DB) FindDocument(ctx context.Context, ref string) (*tinhso.Document, error) {
	var d *tinhso.Document
	err := db.readTx(ctx, func(tx *Tx) error {
		id, err := documentID(ctx, tx, ref)
		if err != nil {
			return err
		}
		d, err = scanDocument(tx.queryRow(ctx, `SELECT `+documentCols+` FROM documents WHERE id = ?`, id))
		return err
	})
	return d, err
}

// CreateDocument stores a new document and sets its id.
func (db *DB) CreateDocument(ctx context.Context, d *tinhso.Document) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := documentRefsFree(ctx, tx, d); err != nil {
			return err
		}
		args := append([]any{d.Slug, d.Kind, d.Number, d.Title, d.Date, d.IssuedAfter, d.IssuedAfterText, d.Issuer, d.Note}, sourceArgs(d.Source)...)
		args = append(args, tx.stamp(), tx.stamp())
		id, err := tx.insert(ctx, `INSERT INTO documents (slug, kind, number, title, issued, issued_after, issued_after_text, issuer, note, `+sourceCols+`, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("what.document_slug", d.Slug))
		}
		d.ID, d.Version, d.CreatedAt, d.UpdatedAt = id, 1, tx.now, tx.now
		tx.audit(ctx, "document.create", "document", d.Slug, nil, d)
		return nil
	})
}

// UpdateDocument replaces a document's fields (its source stays).
func (db *DB) UpdateDocument(ctx context.Context, d *tinhso.Document, version int) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := claimVersion(ctx, tx, "documents", d.ID, version, tinhso.M("what.document")); err != nil {
			return err
		}
		if err := documentRefsFree(ctx, tx, d); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE documents SET slug = ?, kind = ?, number = ?, title = ?, issued = ?, issued_after = ?, issued_after_text = ?, issuer = ?, note = ? WHERE id = ?`,
			d.Slug, d.Kind, d.Number, d.Title, d.Date, d.IssuedAfter, d.IssuedAfterText, d.Issuer, d.Note, d.ID); err != nil {
			return db.dialect.mapError(err, tinhso.M("what.document_slug", d.Slug))
		}
		nd, err := scanDocument(tx.queryRow(ctx, `SELECT `+documentCols+` FROM documents WHERE id = ?`, d.ID))
		if err != nil {
			return err
		}
		tx.audit(ctx, "document.update", "document", nd.Slug, d, nd)
		*d = *nd
		return nil
	})
}

// DeleteDocument deletes a document nothing refers to.
func (db *DB) DeleteDocument(ctx context.Context, id int64, version int) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := claimVersion(ctx, tx, "documents", id, version, tinhso.M("what.document")); err != nil {
			return err
		}
		refs, err := referrers(ctx, tx, []refCheck{
			{"ref.indicators", `SELECT COUNT(*) FROM indicators WHERE document_id = ?`, []any{id}},
			{"ref.tasks", `SELECT COUNT(*) FROM tasks WHERE document_id = ?`, []any{id}},
			{"ref.problems", `SELECT COUNT(*) FROM problems WHERE document_id = ?`, []any{id}},
			{"funding lines", `SELECT COUNT(*) FROM funding_lines WHERE document_id = ?`, []any{id}},
			{"reporting regimes", `SELECT COUNT(*) FROM regimes WHERE document_id = ?`, []any{id}},
		})
		if err != nil {
			return err
		}
		if len(refs) > 0 {
			return tinhso.Errorf(tinhso.ECONFLICT, "err.document.referred").With(refs...)
		}
		tx.audit(ctx, "document.delete", "document", itoa(int(id)), nil, nil)
		_, err = tx.exec(ctx, `DELETE FROM documents WHERE id = ?`, id)
		return err
	})
}

func documentSlug(ctx context.Context, tx *Tx, id int64) (string, error) {
	var s string
	err := tx.queryRow(ctx, `SELECT slug FROM documents WHERE id = ?`, id).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", tinhso.Errorf(tinhso.ENOTFOUND, "err.db.not_found", tinhso.M("what.document"))
	}
	return s, err
}

// documentRefsFree refuses a slug or number that another document answers to, since
// documents are found by either.
func documentRefsFree(ctx context.Context, tx *Tx, d *tinhso.Document) error {
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM documents WHERE id <> ? AND (number = ? OR (slug = ? AND ? <> ''))`,
		d.ID, d.Slug, d.Number, d.Number).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		e := tinhso.Errorf(tinhso.ECONFLICT, "err.document.ambiguous")
		e.Field = "number"
		return e
	}
	return nil
}
