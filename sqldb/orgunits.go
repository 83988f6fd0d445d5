package sqldb

import (
	"context"
	"strconv"

	"github.com/tinhso/tinhso"
)

const orgUnitCols = "u.id, u.code, u.name, u.kind, COALESCE(p.code, ''), u.member_kind, u.dissolved, u.note, u.synthetic, u.version, u.created_at, u.updated_at"
const orgUnitFrom = " FROM org_units u LEFT JOIN org_units p ON p.id = u.parent_id"

func scanOrgUnit(s interface{ Scan(...any) error }) (*tinhso.OrgUnit, error) {
	u := &tinhso.OrgUnit{}
	var syn int
	var ca, ua string
	if err := s.Scan(&u.ID, &u.Code, &u.Name, &u.Kind, &u.ParentCode, &u.MemberKind, &u.Dissolved, &u.Note, &syn, &u.Version, &ca, &ua); err != nil {
		return nil, err
	}
	u.Synthetic = syn != 0
	u.CreatedAt, u.UpdatedAt = parseStamp(ca), parseStamp(ua)
	return u, nil
}

// attachOrgUnitLists loads aliases and members of the given units in two queries.
func attachOrgUnitLists(ctx context.Context, tx *Tx, units []*tinhso.OrgUnit) error {
	if len(units) == 0 {
		return nil
	}
	byID := map[int64]*tinhso.OrgUnit{}
	ids := make([]any, len(units))
	for i, u := range units {
		byID[u.ID] = u
		u.Aliases = []string{}
		ids[i] = u.ID
	}
	rows, err := tx.query(ctx, `SELECT org_unit_id, alias FROM org_unit_aliases WHERE org_unit_id IN (`+placeholders(len(ids))+`) ORDER BY org_unit_id, `+tx.db.dialect.byteOrder("alias"), ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var a string
		if err := rows.Scan(&id, &a); err != nil {
			rows.Close()
			return err
		}
		byID[id].Aliases = append(byID[id].Aliases, a)
	}
	rows.Close()
	rows, err = tx.query(ctx, `SELECT m.group_id, u.code FROM org_unit_members m JOIN org_units u ON u.id = m.member_id
		WHERE m.group_id IN (`+placeholders(len(ids))+`) ORDER BY m.group_id, `+tx.db.dialect.byteOrder("u.code"), ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c string
		if err := rows.Scan(&id, &c); err != nil {
			return err
		}
		byID[id].Members = append(byID[id].Members, c)
	}
	return rows.Err()
}

// FindOrgUnits lists org units by code.
func (db *DB) FindOrgUnits(ctx context.Context, f tinhso.OrgUnitFilter) ([]*tinhso.OrgUnit, int, error) {
	var out []*tinhso.OrgUnit
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if f.Kind != "" {
			w.add("u.kind = ?", f.Kind)
		}
		if f.Parent != "" {
			w.add("p.code = ?", f.Parent)
		}
		if f.Codes != nil {
			cond, args := keysIn("u.code", f.Codes)
			w.add(cond, args...)
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*)`+orgUnitFrom+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(f.Page)
		list, err := queryAll(ctx, tx, scanOrgUnit, `SELECT `+orgUnitCols+orgUnitFrom+w.String()+` ORDER BY `+tx.db.dialect.byteOrder("u.code")+lim, append(w.args, largs...)...)
		if err != nil {
			return err
		}
		out = list
		return attachOrgUnitLists(ctx, tx, out)
	})
	return out, total, err
}

// FindOrgUnit finds an org unit by id or code.
func (db *DB) FindOrgUnit(ctx context.Context, ref string) (*tinhso.OrgUnit, error) {
	var u *tinhso.OrgUnit
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		u, err = findOrgUnit(ctx, tx, ref)
		return err
	})
	return u, err
}

func findOrgUnit(ctx context.Context, tx *Tx, ref string) (*tinhso.OrgUnit, error) {
	q := `SELECT ` + orgUnitCols + orgUnitFrom + ` WHERE u.code = ?`
	args := []any{ref}
	if n, err := strconv.ParseInt(ref, 10, 64); err == nil {
		q += ` OR u.id = ?`
		args = append(args, n)
	}
	u, err := scanOrgUnit(tx.queryRow(ctx, q+` ORDER BY u.id LIMIT 1`, args...))
	if err != nil {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.orgunit.not_found", ref)
	}
	return u, attachOrgUnitLists(ctx, tx, []*tinhso.OrgUnit{u})
}

// CreateOrgUnit stores a new org unit and sets its id.
func (db *DB) CreateOrgUnit(ctx context.Context, u *tinhso.OrgUnit) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := createOrgUnit(ctx, tx, u); err != nil {
			return err
		}
		nu, err := findOrgUnit(ctx, tx, u.Code)
		if err != nil {
			return err
		}
		*u = *nu
		tx.audit(ctx, "org_unit.create", "org_unit", u.Code, nil, u)
		return nil
	})
}

func createOrgUnit(ctx context.Context, tx *Tx, u *tinhso.OrgUnit) error {
	parent, err := parentID(ctx, tx, u.ParentCode)
	if err != nil {
		return err
	}
	id, err := tx.insert(ctx, `INSERT INTO org_units (code, name, kind, parent_id, member_kind, dissolved, note, synthetic, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Code, u.Name, u.Kind, parent, u.MemberKind, u.Dissolved, u.Note, boolInt(u.Synthetic), tx.stamp(), tx.stamp())
	if err != nil {
		return tx.db.dialect.mapError(err, tinhso.M("what.orgunit_code", u.Code))
	}
	u.ID, u.Version, u.CreatedAt, u.UpdatedAt = id, 1, tx.now, tx.now
	return writeOrgUnitLists(ctx, tx, u)
}

func writeOrgUnitLists(ctx context.Context, tx *Tx, u *tinhso.OrgUnit) error {
	if _, err := tx.exec(ctx, `DELETE FROM org_unit_aliases WHERE org_unit_id = ?`, u.ID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM org_unit_members WHERE group_id = ?`, u.ID); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, a := range u.Aliases {
		if seen[a] {
			continue
		}
		seen[a] = true
		if _, err := tx.exec(ctx, `INSERT INTO org_unit_aliases (org_unit_id, alias) VALUES (?, ?)`, u.ID, a); err != nil {
			return err
		}
	}
	ids, err := orgUnitIDs(ctx, tx, "members", u.Members)
	if err != nil {
		return err
	}
	seenID := map[int64]bool{}
	for _, m := range ids {
		if m == u.ID {
			return tinhso.Invalid("members", "err.orgunit.own_member")
		}
		if seenID[m] {
			continue
		}
		seenID[m] = true
		if _, err := tx.exec(ctx, `INSERT INTO org_unit_members (group_id, member_id) VALUES (?, ?)`, u.ID, m); err != nil {
			return err
		}
	}
	return nil
}

func parentID(ctx context.Context, tx *Tx, code string) (any, error) {
	if code == "" {
		return nil, nil
	}
	ids, err := orgUnitIDs(ctx, tx, "parent", []string{code})
	if err != nil {
		return nil, tinhso.Invalid("parent", "err.orgunit.parent", code)
	}
	return ids[0], nil
}

// checkParentCycle refuses a parent that descends from the unit itself.
func checkParentCycle(ctx context.Context, tx *Tx, id, parent int64, parentCode string) error {
	for p, depth := parent, 0; depth < 1000; depth++ {
		if p == id {
			return tinhso.Invalid("parent", "err.orgunit.cycle", parentCode)
		}
		var next *int64
		if err := tx.queryRow(ctx, `SELECT parent_id FROM org_units WHERE id = ?`, p).Scan(&next); err != nil || next == nil {
			return nil
		}
		p = *next
	}
	return tinhso.Invalid("parent", "err.orgunit.deep", parentCode)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// UpdateOrgUnit replaces an org unit's fields, aliases and members.
func (db *DB) UpdateOrgUnit(ctx context.Context, u *tinhso.OrgUnit, version int) error {
	if err := u.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := claimVersion(ctx, tx, "org_units", u.ID, version, tinhso.M("what.orgunit")); err != nil {
			return err
		}
		before, err := findOrgUnit(ctx, tx, itoa(int(u.ID)))
		if err != nil {
			return err
		}
		if err := updateOrgUnit(ctx, tx, u); err != nil {
			return err
		}
		tx.audit(ctx, "org_unit.update", "org_unit", u.Code, before, u)
		return nil
	})
}

func updateOrgUnit(ctx context.Context, tx *Tx, u *tinhso.OrgUnit) error {
	parent, err := parentID(ctx, tx, u.ParentCode)
	if err != nil {
		return err
	}
	if parent != nil {
		if err := checkParentCycle(ctx, tx, u.ID, parent.(int64), u.ParentCode); err != nil {
			return err
		}
	}
	if _, err := tx.exec(ctx, `UPDATE org_units SET code = ?, name = ?, kind = ?, parent_id = ?, member_kind = ?, dissolved = ?, note = ?, synthetic = ? WHERE id = ?`,
		u.Code, u.Name, u.Kind, parent, u.MemberKind, u.Dissolved, u.Note, boolInt(u.Synthetic), u.ID); err != nil {
		return tx.db.dialect.mapError(err, tinhso.M("what.orgunit_code", u.Code))
	}
	if err := writeOrgUnitLists(ctx, tx, u); err != nil {
		return err
	}
	nu, err := findOrgUnit(ctx, tx, strconv.FormatInt(u.ID, 10))
	if err != nil {
		return err
	}
	*u = *nu
	return nil
}

// DeleteOrgUnit deletes an org unit nothing refers to.
func (db *DB) DeleteOrgUnit(ctx context.Context, id int64, version int) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := claimVersion(ctx, tx, "org_units", id, version, tinhso.M("what.orgunit")); err != nil {
			return err
		}
		refs, err := referrers(ctx, tx, []refCheck{
			{"ref.child_units", `SELECT COUNT(*) FROM org_units WHERE parent_id = ?`, []any{id}},
			{"ref.groups", `SELECT COUNT(*) FROM org_unit_members WHERE member_id = ?`, []any{id}},
			{"ref.monitored_indicators", `SELECT COUNT(*) FROM indicator_agencies WHERE org_unit_id = ?`, []any{id}},
			{"ref.unit_tasks", `SELECT COUNT(*) FROM task_agencies WHERE org_unit_id = ?`, []any{id}},
			{"ref.successions", `SELECT COUNT(*) FROM succession_units WHERE org_unit_id = ?`, []any{id}},
			{"ref.users", `SELECT COUNT(*) FROM users WHERE org_unit_id = ?`, []any{id}},
			{"ref.submissions", `SELECT COUNT(*) FROM submissions WHERE org_unit_id = ?`, []any{id}},
			{"ref.regimes", `SELECT COUNT(*) FROM regimes WHERE receiver_id = ?`, []any{id}},
			{"ref.notifications", `SELECT COUNT(*) FROM notifications WHERE org_unit_id = ?`, []any{id}},
		})
		if err != nil {
			return err
		}
		if len(refs) > 0 {
			return tinhso.Errorf(tinhso.ECONFLICT, "err.orgunit.referred").With(refs...)
		}
		tx.audit(ctx, "org_unit.delete", "org_unit", itoa(int(id)), nil, nil)
		_, err = tx.exec(ctx, `DELETE FROM org_units WHERE id = ?`, id)
		return err
	})
}

// inImport says which unit of an import (the i-th, 0-based, with its code) an
// application error is about, keeping its code and field.
func inImport(err error, row int, code string) error {
	e := err.(*tinhso.Error)
	w := tinhso.Errorf(e.Code, "err.orgunit.import", row, code, e)
	w.Field = e.Field
	return w
}

// ImportOrgUnits creates units by code, all in one transaction; with opt.Update it
// updates those whose code exists (auditing each with before and after), and without
// it refuses the import, naming every such row. Parents may come later in the list
// than their children.
func (db *DB) ImportOrgUnits(ctx context.Context, units []*tinhso.OrgUnit, opt tinhso.OrgUnitImport) (created, updated int, err error) {
	for i, u := range units {
		if err := u.Validate(); err != nil {
			return 0, 0, inImport(err, opt.Row(i), u.Code)
		}
	}
	befores := map[int]*tinhso.OrgUnit{}
	err = db.writeTx(ctx, func(tx *Tx) error {
		if !opt.Update {
			var exists []tinhso.Message
			for i, u := range units {
				if existing, ferr := findOrgUnit(ctx, tx, u.Code); ferr == nil {
					exists = append(exists, tinhso.M("err.orgimport.exists_row", opt.Row(i), u.Code, existing.Name))
				} else if tinhso.ErrorCode(ferr) != tinhso.ENOTFOUND {
					return ferr
				}
			}
			if len(exists) > 0 {
				first := exists[0]
				return tinhso.Errorf(tinhso.ECONFLICT, "err.orgimport.exists", len(exists), first.Args[0], first.Args[1], first.Args[2]).With(exists...)
			}
		}
		// First pass without parents, so that order does not matter; second sets them.
		for i, u := range units {
			cp := *u
			cp.ParentCode = ""
			existing, ferr := findOrgUnit(ctx, tx, u.Code)
			if ferr == nil {
				// An import updates what it names (name, kind, parent, aliases when
				// given) and keeps the rest: end dates, notes, members.
				before := *existing
				befores[i] = &before
				cp = *existing
				cp.Name, cp.Kind = u.Name, u.Kind
				if u.Aliases != nil {
					cp.Aliases = u.Aliases
				}
				if err := cp.Validate(); err != nil {
					return inImport(err, opt.Row(i), u.Code)
				}
				if err := claimVersion(ctx, tx, "org_units", cp.ID, 0, tinhso.M("what.orgunit")); err != nil {
					return err
				}
				if err := updateOrgUnit(ctx, tx, &cp); err != nil {
					return err
				}
				updated++
			} else if tinhso.ErrorCode(ferr) != tinhso.ENOTFOUND {
				return ferr
			} else {
				if err := createOrgUnit(ctx, tx, &cp); err != nil {
					return err
				}
				created++
			}
			u.ID = cp.ID
		}
		for i, u := range units {
			if u.ParentCode == "" {
				continue
			}
			parent, err := parentID(ctx, tx, u.ParentCode)
			if err == nil {
				err = checkParentCycle(ctx, tx, u.ID, parent.(int64), u.ParentCode)
			}
			if err != nil {
				return inImport(err, opt.Row(i), u.Code)
			}
			if _, err := tx.exec(ctx, `UPDATE org_units SET parent_id = ? WHERE id = ?`, parent, u.ID); err != nil {
				return err
			}
		}
		for i, u := range units {
			if before := befores[i]; before != nil {
				after, err := findOrgUnit(ctx, tx, u.Code)
				if err != nil {
					return err
				}
				tx.audit(ctx, "org_unit.update", "org_unit", u.Code, before, after)
			}
		}
		codes := make([]string, len(units))
		for i, u := range units {
			codes[i] = u.Code
		}
		tx.audit(ctx, "org_unit.import", "org_unit", "", nil, map[string]any{"created": created, "updated": updated, "codes": codes})
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return created, updated, nil
}
