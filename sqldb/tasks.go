package sqldb

import (
	"context"
	"encoding/json"

	"github.com/tinhso/tinhso"
)

const taskCols = `t.id, t.key, d.slug, t.number, t.section, t.section_title, t.title, t.lead_text, t.cooperating_text, t.deliverable,
	t.deadline_text, COALESCE(t.due_date, ''), t.recurrence, t.unassigned, t.note, t.flags, t.spans, t.source_file, t.source_span, t.source_text,
	t.version, t.created_at, t.updated_at`
const taskFrom = ` FROM tasks t JOIN documents d ON d.id = t.document_id`

func scanTask(s interface{ Scan(...any) error }, withSpans bool) (*tinhso.Task, error) {
	t := &tinhso.Task{}
	var rec, flags, spans, sf, ss, st, ca, ua string
	var unassigned int
	if err := s.Scan(&t.ID, &t.Key, &t.Document, &t.Number, &t.Section, &t.SectionTitle, &t.Title, &t.LeadText, &t.CooperatingText,
		&t.Deliverable, &t.DeadlineText, &t.DueDate, &rec, &unassigned, &t.Note, &flags, &spans, &sf, &ss, &st, &t.Version, &ca, &ua); err != nil {
		return nil, err
	}
	if rec != "" {
		t.Recurrence = &tinhso.Recurrence{}
		_ = json.Unmarshal([]byte(rec), t.Recurrence)
	}
	t.Unassigned = unassigned != 0
	t.Flags, t.Spans, t.Source = scanFlags(flags), nil, scanSource(sf, ss, st)
	t.CreatedAt, t.UpdatedAt = parseStamp(ca), parseStamp(ua)
	if withSpans {
		t.Spans = scanSpans(spans)
	}
	return t, nil
}

func attachTaskAgencies(ctx context.Context, tx *Tx, list []*tinhso.Task) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[int64]*tinhso.Task{}
	ids := make([]int64, len(list))
	for i, t := range list {
		byID[t.ID], ids[i] = t, t.ID
		t.Lead, t.Cooperating = []tinhso.AgencyRef{}, []tinhso.AgencyRef{}
	}
	type link struct {
		task       int64
		role, code string
		unit       int64
	}
	var links []link
	var unitIDs []int64
	for part := ids; len(part) > 0; {
		n := min(len(part), 500)
		rows, err := tx.query(ctx, `SELECT a.task_id, a.role, a.org_unit_id, u.code FROM task_agencies a JOIN org_units u ON u.id = a.org_unit_id
			WHERE a.task_id IN (`+placeholders(n)+`) ORDER BY a.task_id, a.role, a.position`, int64Args(part[:n])...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var l link
			if err := rows.Scan(&l.task, &l.role, &l.unit, &l.code); err != nil {
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
		t := byID[l.task]
		if l.role == "lead" {
			t.Lead = append(t.Lead, r.ref(l.code))
		} else {
			t.Cooperating = append(t.Cooperating, r.ref(l.code))
		}
	}
	return nil
}

// FindTasks lists tasks in document and number order, or as f.Sort says.
func (db *DB) FindTasks(ctx context.Context, f tinhso.TaskFilter) ([]*tinhso.Task, int, error) {
	var out []*tinhso.Task
	var total int
	err := db.readTx(ctx, func(tx *Tx) error {
		w, err := taskWhere(ctx, tx, f)
		if err != nil {
			return err
		}
		// Every task has its document (NOT NULL, a foreign key): the count reads the
		// tasks alone.
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM tasks t`+w.String(), w.args...).Scan(&total); err != nil {
			return err
		}
		lim, largs := limitClause(f.Page)
		list, err := queryAll(ctx, tx, func(s scanner) (*tinhso.Task, error) { return scanTask(s, false) },
			`SELECT `+taskCols+taskFrom+w.String()+db.dialect.readOrder("t", f.Sort, taskSorts)+lim, append(w.args, largs...)...)
		if err != nil {
			return err
		}
		out = list
		return attachTaskAgencies(ctx, tx, out)
	})
	return out, total, err
}

// taskWhere is the condition of a task filter.
func taskWhere(ctx context.Context, tx *Tx, f tinhso.TaskFilter) (where, error) {
	var w where
	if f.Document != "" {
		id, err := documentID(ctx, tx, f.Document)
		if err != nil {
			return w, err
		}
		w.add("t.document_id = ?", id)
	}
	if f.Section != "" {
		w.add("t.section = ?", f.Section)
	}
	if f.Lead != "" {
		w.add(`t.id IN (SELECT a.task_id FROM task_agencies a JOIN org_units u ON u.id = a.org_unit_id WHERE a.role = 'lead' AND u.code = ?)`, f.Lead)
	}
	if f.DueBefore != "" {
		w.add("t.due_date <= ?", f.DueBefore)
	}
	if f.DueAfter != "" {
		w.add("t.due_date >= ?", f.DueAfter)
	}
	if f.Dated != nil {
		if *f.Dated {
			w.add("t.due_date IS NOT NULL")
		} else {
			w.add("t.due_date IS NULL")
		}
	}
	if f.Recurring != nil {
		if *f.Recurring {
			w.add("t.recurrence <> ''")
		} else {
			w.add("t.recurrence = ''")
		}
	}
	if f.Unassigned != nil {
		w.add("t.unassigned = ?", boolInt(*f.Unassigned))
	}
	if f.Key != "" {
		w.add("t.key = ?", f.Key)
	}
	if f.Keys != nil {
		cond, args := keysIn("t.key", f.Keys)
		w.add(cond, args...)
	}
	if len(f.ExceptKeys) > 0 {
		cond, args := keysIn("t.key", f.ExceptKeys)
		w.add("NOT ("+cond+")", args...)
	}
	return w, addRead(ctx, tx, &w, "t", f.ReadFilter)
}

// FindTask finds a task by id.
func (db *DB) FindTask(ctx context.Context, id int64) (*tinhso.Task, error) {
	var t *tinhso.Task
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		t, err = findTask(ctx, tx, id)
		return err
	})
	return t, err
}

func findTask(ctx context.Context, tx *Tx, id int64) (*tinhso.Task, error) {
	t, err := scanTask(tx.queryRow(ctx, `SELECT `+taskCols+taskFrom+` WHERE t.id = ?`, id), true)
	if err != nil {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "err.task.not_found", id)
	}
	return t, attachTaskAgencies(ctx, tx, []*tinhso.Task{t})
}

func recurrenceText(r *tinhso.Recurrence) string {
	if r == nil {
		return ""
	}
	return jsonText(r)
}

func nullDate(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateTask stores a new task; its deadline is parsed and its key made from document and number.
func (db *DB) CreateTask(ctx context.Context, t *tinhso.Task) error {
	if err := t.Validate(); err != nil {
		return err
	}
	t.ApplyDeadline()
	t.Unassigned = len(t.Lead) == 0
	return db.writeTx(ctx, func(tx *Tx) error {
		docID, err := documentID(ctx, tx, t.Document)
		if err != nil {
			return err
		}
		if t.Document, err = documentSlug(ctx, tx, docID); err != nil {
			return err
		}
		if t.Key == "" {
			t.Key = t.Document + "/t" + t.Number
		}
		args := []any{t.Key, docID, t.Number, t.Section, t.SectionTitle, t.Title, t.LeadText, t.CooperatingText, t.Deliverable, t.DeadlineText,
			nullDate(t.DueDate), recurrenceText(t.Recurrence), boolInt(t.Unassigned), t.Note, flagsText(t.Flags), spansText(t.Spans)}
		args = append(args, sourceArgs(t.Source)...)
		args = append(args, tx.stamp(), tx.stamp())
		id, err := tx.insert(ctx, `INSERT INTO tasks (key, document_id, number, section, section_title, title, lead_text, cooperating_text, deliverable,
			deadline_text, due_date, recurrence, unassigned, note, flags, spans, `+sourceCols+`, created_at, updated_at)
			VALUES (`+placeholders(21)+`)`, args...)
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("what.task_number_in", t.Number, t.Document))
		}
		t.ID = id
		if err := writeTaskAgencies(ctx, tx, t); err != nil {
			return err
		}
		if err := writeTaskKeys(ctx, tx, t); err != nil {
			return err
		}
		nt, err := findTask(ctx, tx, id)
		if err != nil {
			return err
		}
		*t = *nt
		tx.audit(ctx, "task.create", "task", t.Key, nil, t)
		return nil
	})
}

func writeTaskAgencies(ctx context.Context, tx *Tx, t *tinhso.Task) error {
	if _, err := tx.exec(ctx, `DELETE FROM task_agencies WHERE task_id = ?`, t.ID); err != nil {
		return err
	}
	for _, role := range []struct {
		name string
		refs []tinhso.AgencyRef
	}{{"lead", t.Lead}, {"cooperating", t.Cooperating}} {
		ids, err := orgUnitIDs(ctx, tx, role.name, codesOf(role.refs))
		if err != nil {
			return err
		}
		for i, u := range ids {
			if _, err := tx.exec(ctx, `INSERT INTO task_agencies (task_id, role, position, org_unit_id) VALUES (?, ?, ?, ?)`, t.ID, role.name, i, u); err != nil {
				return err
			}
		}
	}
	return nil
}

// UpdateTask replaces a task's fields; its key, document and source stay.
func (db *DB) UpdateTask(ctx context.Context, t *tinhso.Task, version int) error {
	if err := t.Validate(); err != nil {
		return err
	}
	t.ApplyDeadline()
	t.Unassigned = len(t.Lead) == 0
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := claimVersion(ctx, tx, "tasks", t.ID, version, tinhso.M("what.task")); err != nil {
			return err
		}
		before, err := findTask(ctx, tx, t.ID)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE tasks SET number = ?, section = ?, section_title = ?, title = ?, lead_text = ?, cooperating_text = ?,
			deliverable = ?, deadline_text = ?, due_date = ?, recurrence = ?, unassigned = ?, note = ?, flags = ?
			WHERE id = ?`, t.Number, t.Section, t.SectionTitle, t.Title, t.LeadText, t.CooperatingText, t.Deliverable, t.DeadlineText,
			nullDate(t.DueDate), recurrenceText(t.Recurrence), boolInt(t.Unassigned), t.Note, flagsText(t.Flags), t.ID); err != nil {
			return db.dialect.mapError(err, tinhso.M("what.task_number", t.Number))
		}
		if err := writeTaskAgencies(ctx, tx, t); err != nil {
			return err
		}
		if err := writeTaskKeys(ctx, tx, t); err != nil {
			return err
		}
		nt, err := findTask(ctx, tx, t.ID)
		if err != nil {
			return err
		}
		*t = *nt
		tx.audit(ctx, "task.update", "task", t.Key, before, t)
		return nil
	})
}

// DeleteTask deletes a task.
func (db *DB) DeleteTask(ctx context.Context, id int64, version int) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		if err := claimVersion(ctx, tx, "tasks", id, version, tinhso.M("what.task")); err != nil {
			return err
		}
		refs, err := referrers(ctx, tx, []refCheck{{"ref.task_submissions", `SELECT COUNT(*) FROM submission_tasks WHERE task_id = ?`, []any{id}}})
		if err != nil {
			return err
		}
		if len(refs) > 0 {
			return tinhso.Errorf(tinhso.ECONFLICT, "err.task.referred").With(refs...)
		}
		tx.audit(ctx, "task.delete", "task", itoa(int(id)), nil, nil)
		_, err = tx.exec(ctx, `DELETE FROM tasks WHERE id = ?`, id)
		return err
	})
}
