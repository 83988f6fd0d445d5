package sqldb

import (
	"context"
	"strconv"

	"github.com/tinhso/tinhso"
)

// FindMeasures lists measures with their targets and how they differ.
func (db *DB) FindMeasures(ctx context.Context, p tinhso.Page) ([]*tinhso.Measure, int, error) {
	var out []*tinhso.Measure
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM measures`).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(p)
		rows, err := tx.query(ctx, `SELECT id, key, name, unit, note FROM measures ORDER BY `+tx.db.dialect.byteOrder("key")+lim, largs...)
		if err != nil {
			return err
		}
		for rows.Next() {
			m := &tinhso.Measure{}
			if err := rows.Scan(&m.ID, &m.Key, &m.Name, &m.Unit, &m.Note); err != nil {
				rows.Close()
				return err
			}
			out = append(out, m)
		}
		rows.Close()
		return attachMeasureTargets(ctx, tx, out)
	})
	return out, total, err
}

// FindMeasure finds a measure by id or key.
func (db *DB) FindMeasure(ctx context.Context, ref string) (*tinhso.Measure, error) {
	var m *tinhso.Measure
	err := db.readTx(ctx, func(tx *Tx) error {
		m = &tinhso.Measure{}
		id, _ := strconv.ParseInt(ref, 10, 64)
		if err := tx.queryRow(ctx, `SELECT id, key, name, unit, note FROM measures WHERE key = ? OR id = ? ORDER BY id LIMIT 1`, ref, id).
			Scan(&m.ID, &m.Key, &m.Name, &m.Unit, &m.Note); err != nil {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.measure.not_found", ref)
		}
		return attachMeasureTargets(ctx, tx, []*tinhso.Measure{m})
	})
	return m, err
}

func attachMeasureTargets(ctx context.Context, tx *Tx, list []*tinhso.Measure) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[int64]*tinhso.Measure{}
	ids := make([]any, len(list))
	for i, m := range list {
		byID[m.ID], ids[i] = m, m.ID
		m.Targets = []tinhso.MeasureTarget{}
	}
	rows, err := tx.query(ctx, `SELECT i.measure_id, i.id, i.key, d.slug, i.code, i.name, i.horizon, i.target_text, i.unit
		FROM indicators i JOIN documents d ON d.id = i.document_id WHERE i.measure_id IN (`+placeholders(len(ids))+`) ORDER BY i.measure_id, i.document_id, i.id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var mid int64
		var t tinhso.MeasureTarget
		var text, unit string
		if err := rows.Scan(&mid, &t.Indicator, &t.Key, &t.Document, &t.Code, &t.Name, &t.Horizon, &text, &unit); err != nil {
			return err
		}
		t.Target = tinhso.ParseTarget(text, unit)
		byID[mid].Targets = append(byID[mid].Targets, t)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, m := range list {
		m.CompareTargets()
	}
	return nil
}

// CreateMeasure stores a measure and links the indicators named in its targets (by key).
func (db *DB) CreateMeasure(ctx context.Context, m *tinhso.Measure) error {
	if !codeRe(m.Key) {
		return tinhso.Invalid("key", "err.measure.key")
	}
	if m.Name == "" {
		return tinhso.Invalid("name", "err.text.required", tinhso.Field("name"))
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO measures (key, name, unit, note, created_at) VALUES (?, ?, ?, ?, ?)`, m.Key, m.Name, m.Unit, m.Note, tx.stamp())
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("what.measure_key", m.Key))
		}
		m.ID = id
		for i, t := range m.Targets {
			res, err := tx.exec(ctx, `UPDATE indicators SET measure_id = ? WHERE key = ?`, id, t.Key)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return tinhso.Invalid("targets", "err.measure.target", i, t.Key)
			}
		}
		return refreshMeasures(ctx, tx, m.Key)
	})
}

// refreshMeasures judges again whether the targets of the measures keys disagree
// (keys "" are skipped), for the lists that select the disagreeing.
func refreshMeasures(ctx context.Context, tx *Tx, keys ...string) error {
	var args []any
	for _, k := range keys {
		if k != "" {
			args = append(args, k)
		}
	}
	if len(args) == 0 {
		return nil
	}
	list, err := queryAll(ctx, tx, scanMeasure, `SELECT id, key, name, unit, note FROM measures WHERE key IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return err
	}
	return storeDisagree(ctx, tx, list)
}

func storeDisagree(ctx context.Context, tx *Tx, list []*tinhso.Measure) error {
	if err := attachMeasureTargets(ctx, tx, list); err != nil {
		return err
	}
	for _, m := range list {
		if _, err := tx.exec(ctx, `UPDATE measures SET disagree = ? WHERE id = ?`, boolInt(m.Disagree), m.ID); err != nil {
			return err
		}
	}
	return nil
}

func scanMeasure(s scanner) (*tinhso.Measure, error) {
	m := &tinhso.Measure{}
	return m, s.Scan(&m.ID, &m.Key, &m.Name, &m.Unit, &m.Note)
}

// FindDisagreeingMeasures lists the measures whose targets disagree, by key.
func (db *DB) FindDisagreeingMeasures(ctx context.Context, p tinhso.Page) ([]*tinhso.Measure, int, error) {
	var out []*tinhso.Measure
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM measures WHERE disagree = 1`).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(p)
		var err error
		out, err = queryAll(ctx, tx, scanMeasure, `SELECT id, key, name, unit, note FROM measures WHERE disagree = 1 ORDER BY `+tx.db.dialect.byteOrder("key")+lim, largs...)
		if err != nil {
			return err
		}
		return attachMeasureTargets(ctx, tx, out)
	})
	return out, total, err
}

func codeRe(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_') {
			return false
		}
	}
	return true
}

func itoa(n int) string { return strconv.Itoa(n) }
