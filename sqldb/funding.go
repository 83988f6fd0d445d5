package sqldb

import (
	"context"

	"github.com/tinhso/tinhso"
)

// FindFunding returns a document's funding lines, or every document's when document is "".
func (db *DB) FindFunding(ctx context.Context, document string) ([]*tinhso.FundingLine, error) {
	var out []*tinhso.FundingLine
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if document != "" {
			id, err := documentID(ctx, tx, document)
			if err != nil {
				return err
			}
			w.add("f.document_id = ?", id)
		}
		rows, err := tx.query(ctx, `SELECT f.id, f.key, d.slug, COALESCE(p.key, ''), f.label, f.amount_million_vnd, f.amount_text,
			f.source_file, f.source_span, f.source_text FROM funding_lines f JOIN documents d ON d.id = f.document_id
			LEFT JOIN funding_lines p ON p.id = f.parent_id`+w.String()+` ORDER BY f.id`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			l := &tinhso.FundingLine{}
			var sf, ss, st string
			if err := rows.Scan(&l.ID, &l.Key, &l.Document, &l.Parent, &l.Label, &l.AmountMillionVND, &l.AmountText, &sf, &ss, &st); err != nil {
				return err
			}
			l.Source = scanSource(sf, ss, st)
			out = append(out, l)
		}
		return rows.Err()
	})
	return out, err
}

// CreateFundingLine stores a funding line; its parent must exist already.
func (db *DB) CreateFundingLine(ctx context.Context, l *tinhso.FundingLine) error {
	if l.Label == "" {
		return tinhso.Invalid("label", "err.text.required", tinhso.Field("label"))
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		docID, err := documentID(ctx, tx, l.Document)
		if err != nil {
			return err
		}
		var parent any
		if l.Parent != "" {
			var pid int64
			if err := tx.queryRow(ctx, `SELECT id FROM funding_lines WHERE key = ?`, l.Parent).Scan(&pid); err != nil {
				return tinhso.Invalid("parent", "err.funding.parent", l.Parent)
			}
			parent = pid
		}
		args := append([]any{l.Key, docID, parent, l.Label, l.AmountMillionVND, l.AmountText}, sourceArgs(l.Source)...)
		args = append(args, tx.stamp())
		id, err := tx.insert(ctx, `INSERT INTO funding_lines (key, document_id, parent_id, label, amount_million_vnd, amount_text, `+sourceCols+`, created_at)
			VALUES (`+placeholders(10)+`)`, args...)
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("what.funding_key", l.Key))
		}
		l.ID = id
		return nil
	})
}
