package sqldb

import (
	"context"

	"github.com/tinhso/tinhso"
)

const indicatorCols = `i.id, i.key, d.slug, i.code, i.parent_code, i.name, i.unit, i.unit_cell, i.target_text, i.horizon, i.agencies_text,
	COALESCE(m.key, ''), i.baseline, i.aggregation, i.note, i.flags, i.spans, i.source_file, i.source_span, i.source_text, i.version, i.created_at, i.updated_at`
const indicatorFrom = ` FROM indicators i JOIN documents d ON d.id = i.document_id LEFT JOIN measures m ON m.id = i.measure_id`

func scanIndicator(s interface{ Scan(...any) error }, withSpans bool) (*tinhso.Indicator, error) {
	return scanIndicatorWith(s, withSpans, tinhso.ParseTarget)
}

// scanIndicatorWith scans an indicator, its target parsed by parse (a memo of
// tinhso.ParseTarget when many are read).
func scanIndicatorWith(s scanner, withSpans bool, parse func(text, unit string) tinhso.Target) (*tinhso.Indicator, error) {
	x := &tinhso.Indicator{}
	var flags, spans, sf, ss, st, ca, ua string
	if err := s.Scan(&x.ID, &x.Key, &x.Document, &x.Code, &x.ParentCode, &x.Name, &x.Unit, &x.UnitCell, &x.TargetText, &x.Horizon,
		&x.AgenciesText, &x.Measure, &x.Baseline, &x.Aggregation, &x.Note, &flags, &spans, &sf, &ss, &st, &x.Version, &ca, &ua); err != nil {
		return nil, err
	}
	x.Flags, x.Spans, x.Source = scanFlags(flags), nil, scanSource(sf, ss, st)
	x.CreatedAt, x.UpdatedAt = parseStamp(ca), parseStamp(ua)
	x.Target = parse(x.TargetText, x.Unit)
	if withSpans {
		x.Spans = scanSpans(spans)
	}
	return x, nil
}

// attachIndicatorAgencies loads the agencies of the given indicators, resolved.
func attachIndicatorAgencies(ctx context.Context, tx *Tx, list []*tinhso.Indicator) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[int64]*tinhso.Indicator{}
	ids := make([]int64, len(list))
	for i, x := range list {
		byID[x.ID], ids[i] = x, x.ID
		x.Agencies = []tinhso.AgencyRef{}
	}
	type link struct {
		ind  int64
		unit int64
		code string
	}
	var links []link
	var unitIDs []int64
	for part := ids; len(part) > 0; {
		n := min(len(part), 500)
		rows, err := tx.query(ctx, `SELECT a.indicator_id, a.org_unit_id, u.code FROM indicator_agencies a JOIN org_units u ON u.id = a.org_unit_id
			WHERE a.indicator_id IN (`+placeholders(n)+`) ORDER BY a.indicator_id, a.position`, int64Args(part[:n])...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var l link
			if err := rows.Scan(&l.ind, &l.unit, &l.code); err != nil {
				rows.Close()
				return err
			}
			links = append(links, l)
			unitIDs = append(unitIDs, l.unit)
		}
		rows.Close()
		part = part[n:]
	}
	r, err := newAgencyResolver(ctx, tx, unitIDs)
	if err != nil {
		return err
	}
	for _, l := range links {
		byID[l.ind].Agencies = append(byID[l.ind].Agencies, r.ref(l.code))
	}
	return nil
}

// FindIndicators lists indicators by document and code order.
func (db *DB) FindIndicators(ctx context.Context, f tinhso.IndicatorFilter) ([]*tinhso.Indicator, int, error) {
	var out []*tinhso.Indicator
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		w, err := indicatorWhere(ctx, tx, f)
		if err != nil {
			return err
		}
		// Every indicator has its document, and the measure matters only to a filter by
		// it: the count reads the indicators alone (an index) otherwise.
		from := ` FROM indicators i`
		if f.Measure != "" {
			from = indicatorFrom
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*)`+from+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(f.Page)
		list, err := queryAll(ctx, tx, func(s scanner) (*tinhso.Indicator, error) { return scanIndicator(s, false) },
			`SELECT `+indicatorCols+indicatorFrom+w.String()+db.dialect.readOrder("i", f.Sort, indicatorSorts)+lim, append(w.args, largs...)...)
		if err != nil {
			return err
		}
		out = list
		return attachIndicatorAgencies(ctx, tx, out)
	})
	return out, total, err
}

// indicatorWhere is the condition of an indicator filter.
func indicatorWhere(ctx context.Context, tx *Tx, f tinhso.IndicatorFilter) (where, error) {
	var w where
	if f.Document != "" {
		id, err := documentID(ctx, tx, f.Document)
		if err != nil {
			return w, err
		}
		w.add("i.document_id = ?", id)
	}
	if f.Agency != "" {
		w.add(`i.id IN (SELECT a.indicator_id FROM indicator_agencies a JOIN org_units u ON u.id = a.org_unit_id WHERE u.code = ?)`, f.Agency)
	}
	if f.Horizon != 0 {
		w.add("i.horizon = ?", f.Horizon)
	}
	if f.Measure != "" {
		w.add("m.key = ?", f.Measure)
	}
	if f.Key != "" {
		w.add("i.key = ?", f.Key)
	}
	if f.Keys != nil {
		cond, args := keysIn("i.key", f.Keys)
		w.add(cond, args...)
	}
	if f.Targeted {
		w.add("TRIM(i.target_text) <> ''")
	}
	return w, addRead(ctx, tx, &w, "i", f.ReadFilter)
}

// FindIndicator finds an indicator by id.
func (db *DB) FindIndicator(ctx context.Context, id int64) (*tinhso.Indicator, error) {
	var x *tinhso.Indicator
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		x, err = findIndicator(ctx, tx, id)
		return err
	})
	return x, err
}

func findIndicator(ctx context.Context, tx *Tx, id int64) (*tinhso.Indicator, error) {
	x, err := scanIndicator(tx.queryRow(ctx, `SELECT `+indicatorCols+indicatorFrom+` WHERE i.id = ?`, id), true)
	if err != nil {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.indicator.not_found", id)
	}
	return x, attachIndicatorAgencies(ctx, tx, []*tinhso.Indicator{x})
}

func measureID(ctx context.Context, tx *Tx, key string) (any, error) {
	if key == "" {
		return nil, nil
	}
	var id int64
	if err := tx.queryRow(ctx, `SELECT id FROM measures WHERE key = ?`, key).Scan(&id); err != nil {
		return nil, tinhso.Invalid("measure", "err.measure.unknown", key)
	}
	return id, nil
}

// CreateIndicator stores a new indicator; its key is made from document and code.
func (db *DB) CreateIndicator(ctx context.Context, x *tinhso.Indicator) error {
	if err := x.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		docID, err := documentID(ctx, tx, x.Document)
		if err != nil {
			return err
		}
		if x.Document, err = documentSlug(ctx, tx, docID); err != nil {
			return err
		}
		if x.Key == "" {
			x.Key = tinhso.IndicatorKey(x.Document, x.Code)
		}
		if err := parentIndicatorExists(ctx, tx, docID, x.ParentCode); err != nil {
			return err
		}
		mid, err := measureID(ctx, tx, x.Measure)
		if err != nil {
			return err
		}
		args := []any{x.Key, docID, x.Code, x.ParentCode, x.Name, x.Unit, x.UnitCell, x.TargetText, x.Horizon, x.AgenciesText, mid,
			x.Baseline, x.Aggregation, x.Note, flagsText(x.Flags), spansText(x.Spans)}
		args = append(args, sourceArgs(x.Source)...)
		args = append(args, tx.stamp(), tx.stamp())
		id, err := tx.insert(ctx, `INSERT INTO indicators (key, document_id, code, parent_code, name, unit, unit_cell, target_text, horizon, agencies_text,
			measure_id, baseline, aggregation, note, flags, spans, `+sourceCols+`, created_at, updated_at)
			VALUES (`+placeholders(21)+`)`, args...)
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("what.indicator_code_in", x.Code, x.Document))
		}
		x.ID = id
		if err := writeIndicatorAgencies(ctx, tx, x); err != nil {
			return err
		}
		if err := writeIndicatorKeys(ctx, tx, x); err != nil {
			return err
		}
		if err := refreshMeasures(ctx, tx, x.Measure); err != nil {
			return err
		}
		nx, err := findIndicator(ctx, tx, id)
		if err != nil {
			return err
		}
		*x = *nx
		tx.audit(ctx, "indicator.create", "indicator", x.Key, nil, x)
		return nil
	})
}

func writeIndicatorAgencies(ctx context.Context, tx *Tx, x *tinhso.Indicator) error {
	if _, err := tx.exec(ctx, `DELETE FROM indicator_agencies WHERE indicator_id = ?`, x.ID); err != nil {
		return err
	}
	ids, err := orgUnitIDs(ctx, tx, "agencies", codesOf(x.Agencies))
	if err != nil {
		return err
	}
	for i, u := range ids {
		if _, err := tx.exec(ctx, `INSERT INTO indicator_agencies (indicator_id, position, org_unit_id) VALUES (?, ?, ?)`, x.ID, i, u); err != nil {
			return err
		}
	}
	return nil
}

// UpdateIndicator replaces an indicator's fields; its key, document and source stay.
func (db *DB) UpdateIndicator(ctx context.Context, x *tinhso.Indicator, version int) error {
	if err := x.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := claimVersion(ctx, tx, "indicators", x.ID, version, tinhso.M("what.indicator")); err != nil {
			return err
		}
		before, err := findIndicator(ctx, tx, x.ID)
		if err != nil {
			return err
		}
		mid, err := measureID(ctx, tx, x.Measure)
		if err != nil {
			return err
		}
		var docID int64
		if err := tx.queryRow(ctx, `SELECT document_id FROM indicators WHERE id = ?`, x.ID).Scan(&docID); err != nil {
			return err
		}
		if err := parentIndicatorExists(ctx, tx, docID, x.ParentCode); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE indicators SET code = ?, parent_code = ?, name = ?, unit = ?, unit_cell = ?, target_text = ?, horizon = ?,
			agencies_text = ?, measure_id = ?, baseline = ?, aggregation = ?, note = ?, flags = ? WHERE id = ?`,
			x.Code, x.ParentCode, x.Name, x.Unit, x.UnitCell, x.TargetText, x.Horizon, x.AgenciesText, mid, x.Baseline, x.Aggregation, x.Note,
			flagsText(x.Flags), x.ID); err != nil {
			return db.dialect.mapError(err, tinhso.M("what.indicator_code", x.Code))
		}
		if err := writeIndicatorAgencies(ctx, tx, x); err != nil {
			return err
		}
		if err := writeIndicatorKeys(ctx, tx, x); err != nil {
			return err
		}
		if err := refreshMeasures(ctx, tx, before.Measure, x.Measure); err != nil {
			return err
		}
		nx, err := findIndicator(ctx, tx, x.ID)
		if err != nil {
			return err
		}
		*x = *nx
		tx.audit(ctx, "indicator.update", "indicator", x.Key, before, x)
		return nil
	})
}

// DeleteIndicator deletes an indicator that has no sub-indicators.
func (db *DB) DeleteIndicator(ctx context.Context, id int64, version int) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := claimVersion(ctx, tx, "indicators", id, version, tinhso.M("what.indicator")); err != nil {
			return err
		}
		x, err := findIndicator(ctx, tx, id)
		if err != nil {
			return err
		}
		refs, err := referrers(ctx, tx, []refCheck{{"ref.sub_indicators", `SELECT COUNT(*) FROM indicators i JOIN documents d ON d.id = i.document_id
			WHERE d.slug = ? AND i.parent_code = ?`, []any{x.Document, x.Code}},
			{"ref.indicator_submissions", `SELECT COUNT(*) FROM submission_indicators WHERE indicator_id = ?`, []any{id}}})
		if err != nil {
			return err
		}
		if len(refs) > 0 {
			return tinhso.Errorf(tinhso.ECONFLICT, "err.indicator.referred", x.Code).With(refs...)
		}
		tx.audit(ctx, "indicator.delete", "indicator", x.Key, x, nil)
		if _, err = tx.exec(ctx, `DELETE FROM indicators WHERE id = ?`, id); err != nil {
			return err
		}
		return refreshMeasures(ctx, tx, x.Measure)
	})
}

func parentIndicatorExists(ctx context.Context, tx *Tx, docID int64, code string) error {
	if code == "" {
		return nil
	}
	var n int
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM indicators WHERE document_id = ? AND code = ?`, docID, code).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return tinhso.Invalid("parent_code", "err.indicator.parent", code)
	}
	return nil
}
