package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
)

// Assessment frameworks, rounds, subjects and self-assessments (migration 0012).

var _ tinhso.AssessmentStore = (*DB)(nil)
var _ tinhso.AssessmentTx = assessmentTx{}

func scanFramework(s scanner) (*tinhso.Framework, error) {
	f := &tinhso.Framework{}
	var tpl int
	var ca, ua string
	if err := s.Scan(&f.ID, &f.Slug, &f.Name, &f.Description, &f.SubjectKind, &tpl, &ca, &ua); err != nil {
		return nil, err
	}
	f.Template, f.CreatedAt, f.UpdatedAt = tpl != 0, parseStamp(ca), parseStamp(ua)
	return f, nil
}

const frameworkCols = `id, slug, name, description, subject_kind, template, created_at, updated_at`

const versionCols = `v.id, f.slug, v.number, v.status, v.total, v.nodes, v.note, v.published_at, v.published_by, v.version`
const versionFrom = ` FROM framework_versions v JOIN frameworks f ON f.id = v.framework_id`

func scanVersion(s scanner) (*tinhso.FrameworkVersion, error) {
	v := &tinhso.FrameworkVersion{}
	var nodes string
	var pub sql.NullString
	if err := s.Scan(&v.ID, &v.Framework, &v.Number, &v.Status, &v.Total, &nodes, &v.Note, &pub, &v.PublishedBy, &v.Version); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(nodes), &v.Nodes); err != nil {
		return nil, err
	}
	v.PublishedAt = scanNullStamp(pub)
	return v, nil
}

func findFramework(ctx context.Context, tx *Tx, slug string) (*tinhso.Framework, error) {
	f, err := scanFramework(tx.queryRow(ctx, `SELECT `+frameworkCols+` FROM frameworks WHERE slug = ?`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.framework_not_found", slug)
	}
	if err != nil {
		return nil, err
	}
	f.Versions, err = queryAll(ctx, tx, scanVersion, `SELECT `+versionCols+versionFrom+` WHERE v.framework_id = ? ORDER BY v.number`, f.ID)
	return f, err
}

func findVersion(ctx context.Context, tx *Tx, id int64) (*tinhso.FrameworkVersion, error) {
	v, err := scanVersion(tx.queryRow(ctx, `SELECT `+versionCols+versionFrom+` WHERE v.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.version_not_found", id)
	}
	return v, err
}

const roundCols = `r.id, r.name, r.year, f.slug, r.version_id, v.number, r.deadline, r.status, r.approved_at, r.published_at, r.version, r.created_at`
const roundFrom = ` FROM assessment_rounds r JOIN framework_versions v ON v.id = r.version_id JOIN frameworks f ON f.id = v.framework_id`

func scanRound(s scanner) (*tinhso.Round, error) {
	r := &tinhso.Round{}
	var appr, pub sql.NullString
	var ca string
	if err := s.Scan(&r.ID, &r.Name, &r.Year, &r.Framework, &r.VersionID, &r.VersionNumber, &r.Deadline, &r.Status, &appr, &pub, &r.Version, &ca); err != nil {
		return nil, err
	}
	r.ApprovedAt, r.PublishedAt, r.CreatedAt = scanNullStamp(appr), scanNullStamp(pub), parseStamp(ca)
	return r, nil
}

const subjectCols = `id, round_id, kind, org_unit, person_id, business_id, name, position, status`

func scanSubject(s scanner) (*tinhso.Subject, error) {
	x := &tinhso.Subject{}
	var person, business sql.NullInt64
	if err := s.Scan(&x.ID, &x.Round, &x.Kind, &x.OrgUnit, &person, &business, &x.Name, &x.Position, &x.Status); err != nil {
		return nil, err
	}
	x.Person, x.Business = person.Int64, business.Int64
	return x, nil
}

func findRound(ctx context.Context, tx *Tx, id int64) (*tinhso.Round, error) {
	r, err := scanRound(tx.queryRow(ctx, `SELECT `+roundCols+roundFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.round_not_found", id)
	}
	if err != nil {
		return nil, err
	}
	r.Subjects, err = queryAll(ctx, tx, scanSubject, `SELECT `+subjectCols+` FROM assessment_subjects WHERE round_id = ? ORDER BY id`, id)
	return r, err
}

func findSubject(ctx context.Context, tx *Tx, id int64) (*tinhso.Subject, error) {
	x, err := scanSubject(tx.queryRow(ctx, `SELECT `+subjectCols+` FROM assessment_subjects WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.subject_not_found", id)
	}
	return x, err
}

// selfAssessments reads the self-assessments of subjects (one round's, or one).
func selfAssessments(ctx context.Context, tx *Tx, cond string, arg any) (map[int64]*tinhso.SelfAssessment, error) {
	out := map[int64]*tinhso.SelfAssessment{}
	rows, err := tx.query(ctx, `SELECT id, round_id, status, returns, submitted_at, approved_at, version, updated_at FROM assessment_subjects WHERE `+cond, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		s := &tinhso.SelfAssessment{Entries: []tinhso.Entry{}, Evidence: []tinhso.EvidenceOf{}}
		var sub, appr sql.NullString
		var ua string
		if err := rows.Scan(&s.Subject, &s.Round, &s.Status, &s.Returns, &sub, &appr, &s.Version, &ua); err != nil {
			return nil, err
		}
		s.SubmittedAt, s.ApprovedAt, s.UpdatedAt = scanNullStamp(sub), scanNullStamp(appr), parseStamp(ua)
		out[s.Subject] = s
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	sel := `SELECT e.subject_id, e.criterion, e.value, e.note, e.decision, e.reviewed, e.reason, e.reviewed_by FROM assessment_entries e
		JOIN assessment_subjects s ON s.id = e.subject_id WHERE s.` + cond + ` ORDER BY e.subject_id, e.criterion`
	erows, err := tx.query(ctx, sel, arg)
	if err != nil {
		return nil, err
	}
	defer erows.Close()
	for erows.Next() {
		var id int64
		var e tinhso.Entry
		var v, rv sql.NullFloat64
		if err := erows.Scan(&id, &e.Criterion, &v, &e.Note, &e.Decision, &rv, &e.Reason, &e.ReviewedBy); err != nil {
			return nil, err
		}
		e.Value, e.Reviewed = nullableFloat(v), nullableFloat(rv)
		if s := out[id]; s != nil {
			s.Entries = append(s.Entries, e)
		}
	}
	if err := erows.Err(); err != nil {
		return nil, err
	}
	erows.Close()
	vrows, err := tx.query(ctx, `SELECT e.subject_id, e.criterion, e.hash, e.name, e.media_type, e.size, e.uploaded_by, e.uploaded_at FROM assessment_evidence e
		JOIN assessment_subjects s ON s.id = e.subject_id WHERE s.`+cond+` ORDER BY e.subject_id, e.criterion, e.uploaded_at, e.hash`, arg)
	if err != nil {
		return nil, err
	}
	defer vrows.Close()
	for vrows.Next() {
		var id int64
		var e tinhso.EvidenceOf
		var at string
		if err := vrows.Scan(&id, &e.Criterion, &e.Hash, &e.Name, &e.MediaType, &e.Size, &e.UploadedBy, &at); err != nil {
			return nil, err
		}
		e.UploadedAt = parseStamp(at)
		if s := out[id]; s != nil {
			s.Evidence = append(s.Evidence, e)
		}
	}
	return out, vrows.Err()
}

func nullableFloat(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	x := v.Float64
	return &x
}

func findSelfAssessment(ctx context.Context, tx *Tx, subject int64) (*tinhso.SelfAssessment, error) {
	m, err := selfAssessments(ctx, tx, "id = ?", subject)
	if err != nil {
		return nil, err
	}
	s, ok := m[subject]
	if !ok {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.subject_not_found", subject)
	}
	return s, nil
}

func roundResults(ctx context.Context, tx *Tx, id int64) (*tinhso.Ranking, error) {
	var res sql.NullString
	if err := tx.queryRow(ctx, `SELECT results FROM assessment_rounds WHERE id = ?`, id).Scan(&res); errors.Is(err, sql.ErrNoRows) {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.round_not_found", id)
	} else if err != nil {
		return nil, err
	}
	if !res.Valid {
		return nil, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.no_results", id)
	}
	var out tinhso.Ranking
	if err := json.Unmarshal([]byte(res.String), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func roundFacts(ctx context.Context, tx *Tx, id int64) (*tinhso.RoundFacts, error) {
	r, err := findRound(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	f := &tinhso.RoundFacts{Round: r}
	if f.Version, err = findVersion(ctx, tx, r.VersionID); err != nil {
		return nil, err
	}
	if f.Assessments, err = selfAssessments(ctx, tx, "round_id = ?", id); err != nil {
		return nil, err
	}
	// The previous round: the latest approved or published one of the same framework
	// in an earlier year.
	var prev int64
	err = tx.queryRow(ctx, `SELECT r.id FROM assessment_rounds r JOIN framework_versions v ON v.id = r.version_id
		WHERE v.framework_id = (SELECT framework_id FROM framework_versions WHERE id = ?) AND r.year < ? AND r.results IS NOT NULL
		ORDER BY r.year DESC, r.id DESC LIMIT 1`, r.VersionID, r.Year).Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil
	} else if err != nil {
		return nil, err
	}
	if f.Previous, err = findRound(ctx, tx, prev); err != nil {
		return nil, err
	}
	f.PrevResults, err = roundResults(ctx, tx, prev)
	return f, err
}

// FindFrameworks lists frameworks with their versions.
func (db *DB) FindFrameworks(ctx context.Context) ([]*tinhso.Framework, error) {
	var out []*tinhso.Framework
	err := db.readTx(ctx, func(tx *Tx) error {
		list, err := queryAll(ctx, tx, scanFramework, `SELECT `+frameworkCols+` FROM frameworks ORDER BY `+db.dialect.byteOrder("slug"))
		if err != nil {
			return err
		}
		versions, err := queryAll(ctx, tx, scanVersion, `SELECT `+versionCols+versionFrom+` ORDER BY v.framework_id, v.number`)
		if err != nil {
			return err
		}
		by := map[string]*tinhso.Framework{}
		for _, f := range list {
			by[f.Slug] = f
		}
		for _, v := range versions {
			if f := by[v.Framework]; f != nil {
				f.Versions = append(f.Versions, v)
			}
		}
		out = list
		return nil
	})
	return out, err
}

// FindFramework returns a framework with its versions.
func (db *DB) FindFramework(ctx context.Context, slug string) (*tinhso.Framework, error) {
	var out *tinhso.Framework
	err := db.readTx(ctx, func(tx *Tx) (err error) { out, err = findFramework(ctx, tx, slug); return })
	return out, err
}

// FindFrameworkVersion returns a version with its tree.
func (db *DB) FindFrameworkVersion(ctx context.Context, id int64) (*tinhso.FrameworkVersion, error) {
	var out *tinhso.FrameworkVersion
	err := db.readTx(ctx, func(tx *Tx) (err error) { out, err = findVersion(ctx, tx, id); return })
	return out, err
}

// FindRounds lists rounds, newest year first (subjects not included).
func (db *DB) FindRounds(ctx context.Context, f tinhso.RoundFilter) ([]*tinhso.Round, error) {
	var out []*tinhso.Round
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if f.Framework != "" {
			w.add("f.slug = ?", f.Framework)
		}
		if f.Status != "" {
			w.add("r.status = ?", f.Status)
		}
		if f.Subject != "" {
			w.add("EXISTS (SELECT 1 FROM assessment_subjects s WHERE s.round_id = r.id AND s.ref = ?)", f.Subject)
		}
		var err error
		out, err = queryAll(ctx, tx, scanRound, `SELECT `+roundCols+roundFrom+w.String()+` ORDER BY r.year DESC, r.id DESC`, w.args...)
		return err
	})
	return out, err
}

// FindRound returns a round with its subjects.
func (db *DB) FindRound(ctx context.Context, id int64) (*tinhso.Round, error) {
	var out *tinhso.Round
	err := db.readTx(ctx, func(tx *Tx) (err error) { out, err = findRound(ctx, tx, id); return })
	return out, err
}

// FindSubject returns a round's subject.
func (db *DB) FindSubject(ctx context.Context, id int64) (*tinhso.Subject, error) {
	var out *tinhso.Subject
	err := db.readTx(ctx, func(tx *Tx) (err error) { out, err = findSubject(ctx, tx, id); return })
	return out, err
}

// FindSelfAssessment returns a subject's self-assessment with entries and evidence.
func (db *DB) FindSelfAssessment(ctx context.Context, subject int64) (*tinhso.SelfAssessment, error) {
	var out *tinhso.SelfAssessment
	err := db.readTx(ctx, func(tx *Tx) (err error) { out, err = findSelfAssessment(ctx, tx, subject); return })
	return out, err
}

// RoundFacts reads a round's scoring facts in one snapshot.
func (db *DB) RoundFacts(ctx context.Context, round int64) (*tinhso.RoundFacts, error) {
	var out *tinhso.RoundFacts
	err := db.readTx(ctx, func(tx *Tx) (err error) { out, err = roundFacts(ctx, tx, round); return })
	return out, err
}

// RoundResults returns an approved round's stored results.
func (db *DB) RoundResults(ctx context.Context, round int64) (*tinhso.Ranking, error) {
	var out *tinhso.Ranking
	err := db.readTx(ctx, func(tx *Tx) (err error) { out, err = roundResults(ctx, tx, round); return })
	return out, err
}

func scanPerson(s scanner) (*tinhso.Person, error) {
	p := &tinhso.Person{}
	var uid sql.NullInt64
	if err := s.Scan(&p.ID, &p.OrgUnit, &p.Name, &p.Position, &p.Kind, &uid); err != nil {
		return nil, err
	}
	p.UserID = uid.Int64
	return p, nil
}

// FindPeople lists a unit's person records ("" : all).
func (db *DB) FindPeople(ctx context.Context, unit string) ([]*tinhso.Person, error) {
	var out []*tinhso.Person
	err := db.readTx(ctx, func(tx *Tx) error {
		var w where
		if unit != "" {
			w.add("org_unit = ?", unit)
		}
		var err error
		out, err = queryAll(ctx, tx, scanPerson, `SELECT id, org_unit, name, position, kind, user_id FROM people`+w.String()+` ORDER BY id`, w.args...)
		return err
	})
	return out, err
}

// CreatePerson stores a person record of an existing unit, audited.
func (db *DB) CreatePerson(ctx context.Context, p *tinhso.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return db.writeTx(ctx, func(tx *Tx) error {
		var n int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM org_units WHERE code = ?`, p.OrgUnit).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			return tinhso.Invalid("org_unit", "assessment.err.no_unit", p.OrgUnit)
		}
		var uid any
		if p.UserID != 0 {
			uid = p.UserID
		}
		id, err := tx.insert(ctx, `INSERT INTO people (org_unit, name, position, kind, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			p.OrgUnit, p.Name, p.Position, p.Kind, uid, authStamp(tx.now))
		if err != nil {
			return db.dialect.mapError(err, tinhso.M("assessment.what.person"))
		}
		p.ID = id
		return appendAudit(ctx, tx, "person.create", "person", strconv.FormatInt(id, 10), nil, p)
	})
}

// AssessmentTx runs fn in one write transaction of the assessment workflows.
func (db *DB) AssessmentTx(ctx context.Context, fn func(tx tinhso.AssessmentTx) error) error {
	return db.writeTx(ctx, func(tx *Tx) error { return fn(assessmentTx{tx}) })
}

type assessmentTx struct{ tx *Tx }

func (a assessmentTx) Now() time.Time { return a.tx.now }

func (a assessmentTx) FindFramework(ctx context.Context, slug string) (*tinhso.Framework, error) {
	return findFramework(ctx, a.tx, slug)
}

func (a assessmentTx) FindFrameworkVersion(ctx context.Context, id int64) (*tinhso.FrameworkVersion, error) {
	return findVersion(ctx, a.tx, id)
}

func (a assessmentTx) FindRound(ctx context.Context, id int64) (*tinhso.Round, error) {
	return findRound(ctx, a.tx, id)
}

func (a assessmentTx) FindSubject(ctx context.Context, id int64) (*tinhso.Subject, error) {
	return findSubject(ctx, a.tx, id)
}

func (a assessmentTx) FindSelfAssessment(ctx context.Context, subject int64) (*tinhso.SelfAssessment, error) {
	return findSelfAssessment(ctx, a.tx, subject)
}

func (a assessmentTx) RoundFacts(ctx context.Context, round int64) (*tinhso.RoundFacts, error) {
	return roundFacts(ctx, a.tx, round)
}

func (a assessmentTx) CreateFramework(ctx context.Context, f *tinhso.Framework) error {
	tx := a.tx
	now := authStamp(tx.now)
	tpl := 0
	if f.Template {
		tpl = 1
	}
	id, err := tx.insert(ctx, `INSERT INTO frameworks (slug, name, description, subject_kind, template, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		f.Slug, f.Name, f.Description, f.SubjectKind, tpl, now, now)
	if err != nil {
		return tx.db.dialect.mapError(err, tinhso.M("assessment.what.framework", f.Slug))
	}
	f.ID, f.CreatedAt, f.UpdatedAt = id, parseStamp(now), parseStamp(now)
	return nil
}

func (a assessmentTx) CreateVersion(ctx context.Context, v *tinhso.FrameworkVersion) error {
	tx := a.tx
	var fid int64
	var last sql.NullInt64
	if err := tx.queryRow(ctx, `SELECT f.id, MAX(v.number) FROM frameworks f LEFT JOIN framework_versions v ON v.framework_id = f.id WHERE f.slug = ? GROUP BY f.id`,
		v.Framework).Scan(&fid, &last); errors.Is(err, sql.ErrNoRows) {
		return tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.framework_not_found", v.Framework)
	} else if err != nil {
		return err
	}
	nodes, err := json.Marshal(v.Nodes)
	if err != nil {
		return err
	}
	now := authStamp(tx.now)
	v.Number, v.Status, v.Version = int(last.Int64)+1, tinhso.VersionDraft, 1
	v.ID, err = tx.insert(ctx, `INSERT INTO framework_versions (framework_id, number, status, total, nodes, note, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`, fid, v.Number, v.Status, v.Total, string(nodes), v.Note, now, now)
	if err != nil {
		return tx.db.dialect.mapError(err, tinhso.M("assessment.what.version", v.Framework, v.Number))
	}
	_, err = tx.exec(ctx, `UPDATE frameworks SET updated_at = ? WHERE id = ?`, now, fid)
	return err
}

func (a assessmentTx) UpdateVersion(ctx context.Context, v *tinhso.FrameworkVersion, version int) error {
	tx := a.tx
	nodes, err := json.Marshal(v.Nodes)
	if err != nil {
		return err
	}
	// Only a draft changes: the condition keeps a published version frozen whoever calls.
	q, args := `UPDATE framework_versions SET total = ?, nodes = ?, note = ?, version = version + 1, updated_at = ? WHERE id = ? AND status = ?`,
		[]any{v.Total, string(nodes), v.Note, authStamp(tx.now), v.ID, tinhso.VersionDraft}
	if version != 0 {
		q, args = q+` AND version = ?`, append(args, version)
	}
	return a.oneRow(ctx, q, args, "framework_versions", v.ID, version)
}

// oneRow runs an UPDATE that must change the row id: if it did not, the row is gone,
// has moved past version, or is not in the state the UPDATE asked for.
func (a assessmentTx) oneRow(ctx context.Context, q string, args []any, table string, id int64, version int) error {
	res, err := a.tx.exec(ctx, q, args...)
	if err != nil {
		return a.tx.db.dialect.mapError(err, tinhso.M("assessment.what.record"))
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 1 {
		return nil
	}
	if err := checkVersion(ctx, a.tx, table, id, version, tinhso.M("assessment.what.record")); err != nil {
		return err
	}
	return tinhso.Errorf(tinhso.ECONFLICT, "err.db.retry")
}

func (a assessmentTx) PublishVersion(ctx context.Context, id int64) error {
	tx := a.tx
	now := authStamp(tx.now)
	return a.oneRow(ctx, `UPDATE framework_versions SET status = ?, published_at = ?, published_by = ?, version = version + 1, updated_at = ? WHERE id = ? AND status = ?`,
		[]any{tinhso.VersionPublished, now, tinhso.ActorFrom(ctx).Username, now, id, tinhso.VersionDraft}, "framework_versions", id, 0)
}

func (a assessmentTx) ResolveSubjects(ctx context.Context, subjects []*tinhso.Subject) error {
	tx := a.tx
	for i, s := range subjects {
		f := "subjects[" + strconv.Itoa(i) + "]"
		switch {
		case tinhso.IsPersonKind(s.Kind):
			var kind string
			err := tx.queryRow(ctx, `SELECT org_unit, name, position, kind FROM people WHERE id = ?`, s.Person).Scan(&s.OrgUnit, &s.Name, &s.Position, &kind)
			if errors.Is(err, sql.ErrNoRows) {
				return tinhso.Invalid(f+".person_id", "assessment.err.no_person", s.Person)
			} else if err != nil {
				return err
			}
			if kind != s.Kind {
				return tinhso.Invalid(f+".kind", "assessment.err.subject_kind", s.Ref(), s.Kind)
			}
		case s.Kind == tinhso.SubjectBusiness:
			var role string
			err := tx.queryRow(ctx, `SELECT name, role FROM users WHERE id = ?`, s.Business).Scan(&s.Name, &role)
			if errors.Is(err, sql.ErrNoRows) || err == nil && role != tinhso.RoleBusiness {
				return tinhso.Invalid(f+".business_id", "assessment.err.no_business", s.Business)
			} else if err != nil {
				return err
			}
		default:
			var kind string
			err := tx.queryRow(ctx, `SELECT name, kind FROM org_units WHERE code = ?`, s.OrgUnit).Scan(&s.Name, &kind)
			if errors.Is(err, sql.ErrNoRows) {
				return tinhso.Invalid(f+".org_unit", "assessment.err.no_unit", s.OrgUnit)
			} else if err != nil {
				return err
			}
			if kind != s.Kind {
				return tinhso.Invalid(f+".kind", "assessment.err.subject_kind", s.Ref(), s.Kind)
			}
		}
	}
	return nil
}

func (a assessmentTx) CreateRound(ctx context.Context, r *tinhso.Round) error {
	tx := a.tx
	now := authStamp(tx.now)
	r.Status, r.Version = tinhso.RoundOpen, 1
	id, err := tx.insert(ctx, `INSERT INTO assessment_rounds (name, year, version_id, deadline, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)`,
		r.Name, r.Year, r.VersionID, r.Deadline, r.Status, now, now)
	if err != nil {
		return tx.db.dialect.mapError(err, tinhso.M("assessment.what.record"))
	}
	r.ID, r.CreatedAt = id, parseStamp(now)
	for _, s := range r.Subjects {
		var person, business any
		if s.Person != 0 {
			person = s.Person
		}
		if s.Business != 0 {
			business = s.Business
		}
		s.Round, s.Status = id, tinhso.SelfDraft
		s.ID, err = tx.insert(ctx, `INSERT INTO assessment_subjects (round_id, kind, ref, org_unit, person_id, business_id, name, position, status, version, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`, id, s.Kind, s.Ref(), s.OrgUnit, person, business, s.Name, s.Position, s.Status, now)
		if err != nil {
			return tx.db.dialect.mapError(err, tinhso.M("assessment.what.subject", s.Ref()))
		}
	}
	return nil
}

func (a assessmentTx) SetRoundStatus(ctx context.Context, id int64, status string, results *tinhso.Ranking, version int) error {
	tx := a.tx
	now := authStamp(tx.now)
	set, args := []string{"status = ?", "version = version + 1", "updated_at = ?"}, []any{status, now}
	switch status {
	case tinhso.RoundApproved:
		res, err := json.Marshal(results)
		if err != nil {
			return err
		}
		set, args = append(set, "results = ?", "approved_at = ?"), append(args, string(res), now)
	case tinhso.RoundPublished:
		set, args = append(set, "published_at = ?"), append(args, now)
	}
	q := `UPDATE assessment_rounds SET ` + strings.Join(set, ", ") + ` WHERE id = ?`
	args = append(args, id)
	if version != 0 {
		q, args = q+` AND version = ?`, append(args, version)
	}
	return a.oneRow(ctx, q, args, "assessment_rounds", id, version)
}

func (a assessmentTx) SaveSelfAssessment(ctx context.Context, s *tinhso.SelfAssessment, version int) error {
	tx := a.tx
	q, args := `UPDATE assessment_subjects SET status = ?, returns = ?, submitted_at = ?, approved_at = ?, version = version + 1, updated_at = ? WHERE id = ?`,
		[]any{s.Status, s.Returns, nullStamp(s.SubmittedAt), nullStamp(s.ApprovedAt), authStamp(tx.now), s.Subject}
	if version != 0 {
		q, args = q+` AND version = ?`, append(args, version)
	}
	if err := a.oneRow(ctx, q, args, "assessment_subjects", s.Subject, version); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM assessment_entries WHERE subject_id = ?`, s.Subject); err != nil {
		return err
	}
	for _, e := range s.Entries {
		if _, err := tx.exec(ctx, `INSERT INTO assessment_entries (subject_id, criterion, value, note, decision, reviewed, reason, reviewed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			s.Subject, e.Criterion, nullFloat(e.Value), e.Note, e.Decision, nullFloat(e.Reviewed), e.Reason, e.ReviewedBy); err != nil {
			return tx.db.dialect.mapError(err, tinhso.M("assessment.what.entry", e.Criterion))
		}
	}
	return nil
}

func (a assessmentTx) PutAssessmentEvidence(ctx context.Context, subject int64, e tinhso.EvidenceOf) error {
	tx := a.tx
	if _, err := tx.exec(ctx, `DELETE FROM assessment_evidence WHERE subject_id = ? AND criterion = ? AND hash = ?`, subject, e.Criterion, e.Hash); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO assessment_evidence (subject_id, criterion, hash, name, media_type, size, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		subject, e.Criterion, e.Hash, e.Name, e.MediaType, e.Size, e.UploadedBy, authStamp(e.UploadedAt))
	return tx.db.dialect.mapError(err, tinhso.M("assessment.what.record"))
}

func (a assessmentTx) Audit(ctx context.Context, action, entity, id string, before, after any) error {
	return appendAudit(ctx, a.tx, action, entity, id, before, after)
}
