package sqldb

import (
	"context"

	"github.com/tinhso/tinhso"
)

// FindSuccessions lists successions, all or those that name an org unit, by effective date.
func (db *DB) FindSuccessions(ctx context.Context, orgUnit string) ([]*tinhso.Succession, error) {
	var out []*tinhso.Succession
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = findSuccessions(ctx, tx, orgUnit)
		return err
	})
	return out, err
}

func findSuccessions(ctx context.Context, tx *Tx, orgUnit string) ([]*tinhso.Succession, error) {
	var w where
	if orgUnit != "" {
		w.add(`s.id IN (SELECT su.succession_id FROM succession_units su JOIN org_units u ON u.id = su.org_unit_id WHERE u.code = ?)`, orgUnit)
	}
	rows, err := tx.query(ctx, `SELECT s.id, s.key, s.kind, s.effective, s.citation, s.note, s.source_file, s.source_span, s.source_text
		FROM successions s`+w.String()+` ORDER BY `+tx.db.dialect.byteOrder("s.effective")+`, s.id`, w.args...)
	if err != nil {
		return nil, err
	}
	var out []*tinhso.Succession
	byID := map[int64]*tinhso.Succession{}
	for rows.Next() {
		s := &tinhso.Succession{From: []string{}, To: []string{}}
		var sf, ss, st string
		if err := rows.Scan(&s.ID, &s.Key, &s.Kind, &s.Effective, &s.Citation, &s.Note, &sf, &ss, &st); err != nil {
			rows.Close()
			return nil, err
		}
		s.Source = scanSource(sf, ss, st)
		out = append(out, s)
		byID[s.ID] = s
	}
	rows.Close()
	if len(out) == 0 {
		return out, rows.Err()
	}
	ids := make([]any, 0, len(out))
	for _, s := range out {
		ids = append(ids, s.ID)
	}
	rows, err = tx.query(ctx, `SELECT su.succession_id, su.side, u.code FROM succession_units su JOIN org_units u ON u.id = su.org_unit_id
		WHERE su.succession_id IN (`+placeholders(len(ids))+`) ORDER BY su.succession_id, su.side, su.position`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var side, code string
		if err := rows.Scan(&id, &side, &code); err != nil {
			return nil, err
		}
		if side == "from" {
			byID[id].From = append(byID[id].From, code)
		} else {
			byID[id].To = append(byID[id].To, code)
		}
	}
	return out, rows.Err()
}

// CreateSuccession stores a succession between existing org units.
func (db *DB) CreateSuccession(ctx context.Context, s *tinhso.Succession) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error { return createSuccession(ctx, tx, s) })
}

// createSuccession stores a succession in tx and ends the units it ends.
func createSuccession(ctx context.Context, tx *Tx, s *tinhso.Succession) error {
	if s.Key == "" {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM successions`).Scan(&n); err != nil {
			return err
		}
		s.Key = "succession-" + itoa(n+1)
	}
	args := append([]any{s.Key, s.Kind, s.Effective, s.Citation, s.Note}, sourceArgs(s.Source)...)
	args = append(args, tx.stamp())
	id, err := tx.insert(ctx, `INSERT INTO successions (key, kind, effective, citation, note, `+sourceCols+`, created_at) VALUES (`+placeholders(9)+`)`, args...)
	if err != nil {
		return tx.db.dialect.mapError(err, tinhso.M("what.succession_key", s.Key))
	}
	s.ID = id
	for _, side := range []struct {
		name  string
		codes []string
	}{{"from", s.From}, {"to", s.To}} {
		ids, err := orgUnitIDs(ctx, tx, side.name, side.codes)
		if err != nil {
			return err
		}
		for i, u := range ids {
			if _, err := tx.exec(ctx, `INSERT INTO succession_units (succession_id, side, position, org_unit_id) VALUES (?, ?, ?, ?)`, id, side.name, i, u); err != nil {
				return err
			}
		}
	}
	tx.audit(ctx, "succession.create", "succession", s.Key, nil, s)
	// A merger, split or abolition ends the units it takes from, unless they go on
	// (Thái Nguyên + Bắc Kạn → Thái Nguyên) or already have an end date.
	if s.Ends() {
		for _, c := range s.From {
			if contains(s.To, c) {
				continue
			}
			if _, err := tx.exec(ctx, `UPDATE org_units SET dissolved = ?, version = version + 1, updated_at = ? WHERE code = ? AND dissolved = ''`,
				s.Effective, tx.stamp(), c); err != nil {
				return err
			}
		}
	}
	return nil
}

// FindSuccession finds a succession by id or key.
func (db *DB) FindSuccession(ctx context.Context, ref string) (*tinhso.Succession, error) {
	var out *tinhso.Succession
	err := db.readTx(ctx, func(tx *Tx) error {
		all, err := findSuccessions(ctx, tx, "")
		if err != nil {
			return err
		}
		for _, s := range all {
			if s.Key == ref || itoa(int(s.ID)) == ref {
				out = s
				return nil
			}
		}
		return tinhso.Errorf(tinhso.ENOTFOUND, "err.succession.not_found", ref)
	})
	return out, err
}

// DeleteSuccession deletes a succession recorded in error. The end dates it gave its
// units stay: change them on the units.
func (db *DB) DeleteSuccession(ctx context.Context, id int64) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		tx.audit(ctx, "succession.delete", "succession", itoa(int(id)), nil, nil)
		res, err := tx.exec(ctx, `DELETE FROM successions WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return tinhso.Errorf(tinhso.ENOTFOUND, "err.succession.not_found_id", id)
		}
		return nil
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
