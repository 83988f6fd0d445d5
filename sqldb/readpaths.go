package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
)

// The read paths of the pages' lists: the search and sort keys stored beside tasks and
// indicators (migration 0008), the filters of a tinhso.ReadFilter in SQL, and the
// tallies the board counts with. Folding diacritics and natural order are made in Go
// (app.Fold, natKey) when a row is written, so both engines search and sort alike.

// searchText is what a list's search words are looked for in: the texts folded, one
// field a line (a word never holds a line break, so it never spans two fields).
func searchText(texts ...string) string { return app.Fold(strings.Join(texts, " \n ")) }

// natKey orders text as app.NaturalCmp does when compared byte by byte: every run of
// digits zero-padded to nine.
func natKey(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' && j-i < 9 {
			j++
		}
		if j > i {
			b.WriteString(strings.Repeat("0", 9-(j-i)))
			b.WriteString(s[i:j])
			i = j
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func taskKeys(t *tinhso.Task) []any {
	return []any{searchText(t.Number, t.Title, t.SectionTitle, t.LeadText, t.CooperatingText, t.Deliverable, t.DeadlineText, t.Note),
		natKey(t.Number), app.Fold(t.Title), app.Fold(t.LeadText)}
}

func indicatorKeys(ind *tinhso.Indicator) []any {
	return []any{searchText(ind.Code, ind.Name, ind.Unit, ind.TargetText, ind.AgenciesText, ind.Baseline, ind.Note),
		natKey(ind.Code), app.Fold(ind.Name), app.Fold(ind.AgenciesText)}
}

func writeTaskKeys(ctx context.Context, tx *Tx, t *tinhso.Task) error {
	_, err := tx.exec(ctx, `UPDATE tasks SET search = ?, sort_number = ?, sort_title = ?, sort_lead = ? WHERE id = ?`, append(taskKeys(t), t.ID)...)
	return err
}

func writeIndicatorKeys(ctx context.Context, tx *Tx, ind *tinhso.Indicator) error {
	_, err := tx.exec(ctx, `UPDATE indicators SET search = ?, sort_code = ?, sort_name = ?, sort_agency = ? WHERE id = ?`, append(indicatorKeys(ind), ind.ID)...)
	return err
}

// fillReadKeys makes the keys of rows written without them (before migration 0008,
// or imported from a dump): a row's search text is never empty once made.
func (db *DB) fillReadKeys(ctx context.Context) error {
	return db.writeTx(ctx, func(tx *Tx) error {
		tasks, err := queryAll(ctx, tx, func(s scanner) (*tinhso.Task, error) {
			t := &tinhso.Task{}
			return t, s.Scan(&t.ID, &t.Number, &t.Title, &t.SectionTitle, &t.LeadText, &t.CooperatingText, &t.Deliverable, &t.DeadlineText, &t.Note)
		}, `SELECT id, number, title, section_title, lead_text, cooperating_text, deliverable, deadline_text, note FROM tasks WHERE search = ''`)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			if err := writeTaskKeys(ctx, tx, t); err != nil {
				return err
			}
		}
		inds, err := queryAll(ctx, tx, func(s scanner) (*tinhso.Indicator, error) {
			x := &tinhso.Indicator{}
			return x, s.Scan(&x.ID, &x.Code, &x.Name, &x.Unit, &x.TargetText, &x.AgenciesText, &x.Baseline, &x.Note)
		}, `SELECT id, code, name, unit, target_text, agencies_text, baseline, note FROM indicators WHERE search = ''`)
		if err != nil {
			return err
		}
		for _, x := range inds {
			if err := writeIndicatorKeys(ctx, tx, x); err != nil {
				return err
			}
		}
		ms, err := queryAll(ctx, tx, scanMeasure, `SELECT id, key, name, unit, note FROM measures WHERE disagree IS NULL`)
		if err != nil || len(ms) == 0 {
			return err
		}
		return storeDisagree(ctx, tx, ms)
	})
}

// likeWord is the LIKE pattern of a word found anywhere.
func likeWord(w string) string {
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(w) + "%"
}

// today is the day in the province by the transaction's clock, as the agency
// resolver judges whether a unit exists.
func (tx *Tx) today() string { return tx.now.In(tinhso.Location).Format("2006-01-02") }

// agencyCodes lists the org units a filter on code selects: code, and every unit no
// longer existing whose current successors include it (as AgencyRef.Successors).
func agencyCodes(ctx context.Context, tx *Tx, code string) ([]string, error) {
	out := []string{code}
	succ, err := findSuccessions(ctx, tx, "")
	if err != nil || len(succ) == 0 {
		return out, err
	}
	// Only the units a succession hands on to code, and back from them, may have their
	// work carried on by it: those are judged (in the order the successions name them),
	// with the units their successions lead to loaded to know which exist.
	cand, order := map[string]bool{code: true}, []string{}
	for frontier := []string{code}; len(frontier) > 0; {
		var next []string
		for _, s := range succ {
			if !slices.ContainsFunc(s.To, func(c string) bool { return slices.Contains(frontier, c) }) {
				continue
			}
			for _, f := range s.From {
				if !cand[f] {
					cand[f] = true
					order = append(order, f)
					next = append(next, f)
				}
			}
		}
		frontier = next
	}
	if len(order) == 0 {
		return out, nil
	}
	need, seen := []any{}, map[string]bool{}
	for frontier := order; len(frontier) > 0; {
		var next []string
		for _, c := range frontier {
			if !seen[c] {
				seen[c] = true
				need = append(need, c)
			}
		}
		for _, s := range succ {
			if slices.ContainsFunc(s.From, func(c string) bool { return slices.Contains(frontier, c) }) {
				for _, t := range s.To {
					if !seen[t] {
						next = append(next, t)
					}
				}
			}
		}
		frontier = next
	}
	r := &agencyResolver{units: map[string]*tinhso.AgencyRef{}, today: tx.today(), succ: succ}
	if err := r.load(ctx, tx, "code", need); err != nil {
		return nil, err
	}
	for _, c := range order {
		if r.exists(c) {
			continue
		}
		if slices.Contains(tinhso.CurrentSuccessors(c, r.today, succ, r.exists), code) {
			out = append(out, c)
		}
	}
	return out, nil
}

// addRead adds a ReadFilter's conditions on a list of alias (t: tasks, i: indicators).
func addRead(ctx context.Context, tx *Tx, w *where, alias string, f tinhso.ReadFilter) error {
	for _, word := range app.NewMatcher(f.Q) {
		w.add(alias+`.search LIKE ? ESCAPE '\'`, likeWord(word))
	}
	role := "lead"
	if f.Cooperating {
		role = "cooperating"
	}
	links := `SELECT a.task_id FROM task_agencies a JOIN org_units u ON u.id = a.org_unit_id WHERE a.role = '` + role + `' AND `
	if alias == "i" {
		links = `SELECT a.indicator_id FROM indicator_agencies a JOIN org_units u ON u.id = a.org_unit_id WHERE `
	}
	if f.AgencyOf != "" {
		codes, err := agencyCodes(ctx, tx, f.AgencyOf)
		if err != nil {
			return err
		}
		cond, args := keysIn("u.code", append(codes, f.Groups...))
		w.add(alias+`.id IN (`+links+cond+`)`, args...)
	}
	if f.Gone {
		w.add(alias+`.id IN (`+links+`u.dissolved <> '' AND u.dissolved <= ?)`, tx.today())
	}
	return nil
}

// readOrder is the ORDER BY of a list sorted by a key of keys (column by name), then
// in document order; "-key" sorts descending. An unknown key is document order.
func (d dialect) readOrder(alias, by string, keys map[string]string) string {
	def := " ORDER BY " + alias + ".document_id, " + alias + ".id"
	desc := strings.HasPrefix(by, "-")
	col, ok := keys[strings.TrimPrefix(by, "-")]
	if !ok {
		return def
	}
	dir := ""
	if desc {
		dir = " DESC"
	}
	var parts []string
	for _, c := range strings.Split(col, ",") {
		c = strings.TrimSpace(c)
		if strings.HasPrefix(c, "#") { // a number or a NULL-last flag: no collation
			parts = append(parts, strings.TrimPrefix(c, "#")+dir)
			continue
		}
		parts = append(parts, d.byteOrder(c)+dir)
	}
	return " ORDER BY " + strings.Join(parts, ", ") + ", " + alias + ".document_id, " + alias + ".id"
}

var taskSorts = map[string]string{
	"number": "t.sort_number, t.number",
	"title":  "t.sort_title, t.title",
	// Tasks without a due date come last, either way.
	"due":  "#(CASE WHEN t.due_date IS NULL THEN 1 ELSE 0 END), t.due_date",
	"lead": "t.sort_lead, t.lead_text",
}

var indicatorSorts = map[string]string{
	"code":    "i.sort_code, i.code",
	"name":    "i.sort_name, i.name",
	"horizon": "#i.horizon",
	"agency":  "i.sort_agency, i.agencies_text",
}

// TallyTasks counts the tasks the filter keeps by document, due date, recurrence and
// whether they are unassigned (the filter's page is ignored).
func (db *DB) TallyTasks(ctx context.Context, f tinhso.TaskFilter) ([]tinhso.TaskTally, error) {
	var out []tinhso.TaskTally
	err := db.readTx(ctx, func(tx *Tx) error {
		w, err := taskWhere(ctx, tx, f)
		if err != nil {
			return err
		}
		out, err = queryAll(ctx, tx, func(s scanner) (tinhso.TaskTally, error) {
			var x tinhso.TaskTally
			var rec, un int
			err := s.Scan(&x.Document, &x.DueDate, &rec, &un, &x.N)
			x.Recurring, x.Unassigned = rec != 0, un != 0
			return x, err
		}, `SELECT d.slug, x.due, x.rec, x.unassigned, x.n FROM (SELECT t.document_id, COALESCE(t.due_date, '') AS due,
			CASE WHEN t.recurrence <> '' THEN 1 ELSE 0 END AS rec, t.unassigned, COUNT(*) AS n FROM tasks t`+w.String()+
			` GROUP BY t.document_id, t.due_date, CASE WHEN t.recurrence <> '' THEN 1 ELSE 0 END, t.unassigned) x
			JOIN documents d ON d.id = x.document_id ORDER BY d.id`, w.args...)
		return err
	})
	return out, err
}

// CountGoneAgencies counts, per org unit that no longer exists, the tasks it leads and
// the indicators it is named by among those the filters keep.
func (db *DB) CountGoneAgencies(ctx context.Context, tf tinhso.TaskFilter, inf tinhso.IndicatorFilter) ([]tinhso.GoneAgency, error) {
	var out []tinhso.GoneAgency
	err := db.readTx(ctx, func(tx *Tx) error {
		today := tx.today()
		byCode := map[string]*tinhso.GoneAgency{}
		var order []string
		count := func(q string, args []any, tasks bool) error {
			rows, err := tx.query(ctx, q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var code string
				var n int
				if err := rows.Scan(&code, &n); err != nil {
					return err
				}
				g, ok := byCode[code]
				if !ok {
					g = &tinhso.GoneAgency{Code: code}
					byCode[code] = g
					order = append(order, code)
				}
				if tasks {
					g.Tasks = n
				} else {
					g.Indicators = n
				}
			}
			return rows.Err()
		}
		w, err := taskWhere(ctx, tx, tf)
		if err != nil {
			return err
		}
		w.add(`a.role = 'lead' AND u.dissolved <> '' AND u.dissolved <= ?`, today)
		if err := count(`SELECT u.code, COUNT(DISTINCT t.id) FROM task_agencies a JOIN org_units u ON u.id = a.org_unit_id JOIN tasks t ON t.id = a.task_id
			JOIN documents d ON d.id = t.document_id`+w.String()+` GROUP BY u.code`, w.args, true); err != nil {
			return err
		}
		wi, err := indicatorWhere(ctx, tx, inf)
		if err != nil {
			return err
		}
		wi.add(`u.dissolved <> '' AND u.dissolved <= ?`, today)
		if err := count(`SELECT u.code, COUNT(DISTINCT i.id) FROM indicator_agencies a JOIN org_units u ON u.id = a.org_unit_id JOIN indicators i ON i.id = a.indicator_id
			LEFT JOIN measures m ON m.id = i.measure_id`+wi.String()+` GROUP BY u.code`, wi.args, false); err != nil {
			return err
		}
		for _, c := range order {
			out = append(out, *byCode[c])
		}
		return nil
	})
	return out, err
}

// TaskSections lists the sections of the tasks of a document, or of every document.
func (db *DB) TaskSections(ctx context.Context, document string) ([]tinhso.TaskSection, error) {
	var out []tinhso.TaskSection
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		w.add("t.section <> ''")
		if document != "" {
			id, err := documentID(ctx, tx, document)
			if err != nil {
				return err
			}
			w.add("t.document_id = ?", id)
		}
		var err error
		out, err = queryAll(ctx, tx, func(s scanner) (tinhso.TaskSection, error) {
			var x tinhso.TaskSection
			return x, s.Scan(&x.Document, &x.Section)
		}, `SELECT d.slug, x.section FROM (SELECT t.document_id, t.section, MIN(t.id) AS first FROM tasks t`+w.String()+
			` GROUP BY t.document_id, t.section) x JOIN documents d ON d.id = x.document_id ORDER BY d.id, x.first`, w.args...)
		return err
	})
	return out, err
}

// CountIndicators counts the indicators the filter keeps per document slug.
func (db *DB) CountIndicators(ctx context.Context, f tinhso.IndicatorFilter) (map[string]int, error) {
	out := map[string]int{}
	err := db.readTx(ctx, func(tx *Tx) error {
		w, err := indicatorWhere(ctx, tx, f)
		if err != nil {
			return err
		}
		join := ""
		if f.Measure != "" {
			join = " LEFT JOIN measures m ON m.id = i.measure_id"
		}
		rows, err := tx.query(ctx, `SELECT d.slug, x.n FROM (SELECT i.document_id, COUNT(*) AS n FROM indicators i`+join+
			w.String()+` GROUP BY i.document_id) x JOIN documents d ON d.id = x.document_id`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var slug string
			var n int
			if err := rows.Scan(&slug, &n); err != nil {
				return err
			}
			out[slug] = n
		}
		return rows.Err()
	})
	return out, err
}

// IndicatorHorizons lists the indicators' horizon years, ascending.
func (db *DB) IndicatorHorizons(ctx context.Context) ([]int, error) {
	var out []int
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, func(s scanner) (int, error) {
			var n int
			return n, s.Scan(&n)
		}, `SELECT DISTINCT horizon FROM indicators WHERE horizon <> 0 ORDER BY horizon`)
		return err
	})
	return out, err
}

// CountByDocument counts each document's indicators, tasks and big problems.
func (db *DB) CountByDocument(ctx context.Context) (map[string]tinhso.DocumentCounts, error) {
	out := map[string]tinhso.DocumentCounts{}
	err := db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT d.slug, x.kind, x.n FROM (
			SELECT document_id, 0 AS kind, COUNT(*) AS n FROM indicators GROUP BY document_id
			UNION ALL SELECT document_id, 1, COUNT(*) FROM tasks GROUP BY document_id
			UNION ALL SELECT document_id, 2, COUNT(*) FROM problems GROUP BY document_id) x JOIN documents d ON d.id = x.document_id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var slug string
			var kind, n int
			if err := rows.Scan(&slug, &kind, &n); err != nil {
				return err
			}
			c := out[slug]
			switch kind {
			case 0:
				c.Indicators = n
			case 1:
				c.Tasks = n
			default:
				c.Problems = n
			}
			out[slug] = c
		}
		return rows.Err()
	})
	return out, err
}

// TallyProblems counts the big problems by province and status.
func (db *DB) TallyProblems(ctx context.Context) ([]tinhso.ProblemTally, error) {
	var out []tinhso.ProblemTally
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, func(s scanner) (tinhso.ProblemTally, error) {
			var x tinhso.ProblemTally
			return x, s.Scan(&x.Province, &x.Status, &x.N)
		}, `SELECT p.province, p.status, COUNT(*) FROM problems p GROUP BY p.province, p.status ORDER BY MIN(p.id)`)
		return err
	})
	return out, err
}

// FindFiguresOf returns the figures of the indicators keys (nil: all) in the periods.
func (db *DB) FindFiguresOf(ctx context.Context, periods []int64, keys []string) (map[int64][]tinhso.Figure, error) {
	out := map[int64][]tinhso.Figure{}
	if len(periods) == 0 || keys != nil && len(keys) == 0 {
		return out, nil
	}
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		w.add(`f.period_id IN (`+placeholders(len(periods))+`)`, int64Args(periods)...)
		if keys != nil {
			cond, args := keysIn("i.key", keys)
			w.add(cond, args...)
		}
		rows, err := tx.query(ctx, `SELECT f.period_id, i.key, i.code, i.name, i.unit, i.target_text, p.label, f.aggregation, f.value, f.count, f.submissions
			FROM figures f JOIN indicators i ON i.id = f.indicator_id JOIN periods p ON p.id = f.period_id`+w.String()+` ORDER BY f.period_id, i.id`, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f tinhso.Figure
			var pid int64
			var target, subs string
			if err := rows.Scan(&pid, &f.Indicator, &f.Code, &f.Name, &f.Unit, &target, &f.Period, &f.Aggregation, &f.Value, &f.Count, &subs); err != nil {
				return err
			}
			f.Target = tinhso.ParseTarget(target, f.Unit)
			_ = json.Unmarshal([]byte(subs), &f.Submissions)
			out[pid] = append(out[pid], f)
		}
		return rows.Err()
	})
	return out, err
}

// CountSubmissions counts each period's submissions by status.
func (db *DB) CountSubmissions(ctx context.Context) (map[int64]map[string]int, error) {
	out := map[int64]map[string]int{}
	err := db.readTx(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT period_id, status, COUNT(*) FROM submissions GROUP BY period_id, status`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p int64
			var st string
			var n int
			if err := rows.Scan(&p, &st, &n); err != nil {
				return err
			}
			if out[p] == nil {
				out[p] = map[string]int{}
			}
			out[p][st] = n
		}
		return rows.Err()
	})
	return out, err
}

// FindSubmissionStates lists every submission's id, period, unit, status and time of
// submission (nothing else), unordered: what punctuality is judged on.
func (db *DB) FindSubmissionStates(ctx context.Context) ([]*tinhso.Submission, error) {
	var out []*tinhso.Submission
	err := db.readTx(ctx, func(tx *Tx) error {
		var err error
		out, err = queryAll(ctx, tx, func(s scanner) (*tinhso.Submission, error) {
			x := &tinhso.Submission{}
			var sub sql.NullString
			if err := s.Scan(&x.ID, &x.Period, &x.OrgUnit, &x.UnitName, &x.Status, &sub); err != nil {
				return nil, err
			}
			if sub.Valid {
				t := parseStamp(sub.String)
				x.SubmittedAt = &t
			}
			return x, nil
		}, `SELECT s.id, s.period_id, u.code, u.name, s.status, s.submitted_at FROM submissions s JOIN org_units u ON u.id = s.org_unit_id`)
		return err
	})
	return out, err
}
