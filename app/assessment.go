package app

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/engine"
)

// Assessment (issue 14): frameworks edited as drafts and frozen when published, rounds
// over a published version, self-assessment by each subject, review per criterion by
// the standing agency, approval (which stores the results) and publication. Every
// use-case is one transaction of the store's AssessmentTx; scores come from
// engine.ScoreRound over the facts, data-fed criteria filled from Monitoring I.

// CreateFramework stores a framework with its first version as a draft.
func (a *App) CreateFramework(ctx context.Context, f *tinhso.Framework, v *tinhso.FrameworkVersion) (*tinhso.Framework, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	var out *tinhso.Framework
	err := a.store.AssessmentTx(ctx, func(tx tinhso.AssessmentTx) error {
		if err := tx.CreateFramework(ctx, f); err != nil {
			return err
		}
		v.Framework = f.Slug
		if err := tx.CreateVersion(ctx, v); err != nil {
			return err
		}
		var err error
		if out, err = tx.FindFramework(ctx, f.Slug); err != nil {
			return err
		}
		return tx.Audit(ctx, "framework.create", "framework", f.Slug, nil, out)
	})
	return out, err
}

// NewFrameworkVersion starts a draft of a framework from a copy of its latest version
// (a published one stays as it was).
func (a *App) NewFrameworkVersion(ctx context.Context, slug string) (*tinhso.FrameworkVersion, error) {
	var out *tinhso.FrameworkVersion
	err := a.store.AssessmentTx(ctx, func(tx tinhso.AssessmentTx) error {
		f, err := tx.FindFramework(ctx, slug)
		if err != nil {
			return err
		}
		last := f.Versions[len(f.Versions)-1]
		if last.Status == tinhso.VersionDraft {
			return tinhso.Errorf(tinhso.ECONFLICT, "assessment.err.draft_exists", slug, last.Number)
		}
		v := &tinhso.FrameworkVersion{Framework: slug, Total: last.Total, Nodes: slices.Clone(last.Nodes), Note: last.Note}
		if err := tx.CreateVersion(ctx, v); err != nil {
			return err
		}
		if out, err = tx.FindFrameworkVersion(ctx, v.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, "framework.version", "framework_version", strconv.FormatInt(v.ID, 10), nil, map[string]any{"framework": slug, "number": v.Number})
	})
	return out, err
}

// SaveFrameworkVersion replaces a draft's tree at version (0: any); a published version
// is frozen (ECONFLICT), a tree that does not add up is refused naming the node.
func (a *App) SaveFrameworkVersion(ctx context.Context, id int64, in *tinhso.FrameworkVersion, version int) (*tinhso.FrameworkVersion, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var out *tinhso.FrameworkVersion
	err := a.store.AssessmentTx(ctx, func(tx tinhso.AssessmentTx) error {
		before, err := tx.FindFrameworkVersion(ctx, id)
		if err != nil {
			return err
		}
		if before.Status != tinhso.VersionDraft {
			return tinhso.Errorf(tinhso.ECONFLICT, "assessment.err.frozen", before.Framework, before.Number)
		}
		in.ID = id
		if err := tx.UpdateVersion(ctx, in, version); err != nil {
			return err
		}
		if out, err = tx.FindFrameworkVersion(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, "framework.edit", "framework_version", strconv.FormatInt(id, 10), before, out)
	})
	return out, err
}

// PublishFrameworkVersion freezes a draft version after checking its tree once more.
func (a *App) PublishFrameworkVersion(ctx context.Context, id int64, version int) (*tinhso.FrameworkVersion, error) {
	var out *tinhso.FrameworkVersion
	err := a.store.AssessmentTx(ctx, func(tx tinhso.AssessmentTx) error {
		v, err := tx.FindFrameworkVersion(ctx, id)
		if err != nil {
			return err
		}
		if v.Status != tinhso.VersionDraft {
			return tinhso.Errorf(tinhso.ECONFLICT, "assessment.err.frozen", v.Framework, v.Number)
		}
		if version != 0 && v.Version != version {
			return tinhso.Errorf(tinhso.EPRECONDITION, "err.db.changed", tinhso.M("assessment.what.record"), version, v.Version)
		}
		if _, err := engine.CompileFramework(v); err != nil {
			return err
		}
		if err := tx.PublishVersion(ctx, id); err != nil {
			return err
		}
		if out, err = tx.FindFrameworkVersion(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, "framework.publish", "framework_version", strconv.FormatInt(id, 10), nil, map[string]any{"framework": v.Framework, "number": v.Number})
	})
	return out, err
}

// subjectGroup is the group of subject kinds a framework may assess together: public
// bodies (departments and communes, ranked apart), people, businesses.
func subjectGroup(kind string) string {
	switch {
	case kind == tinhso.SubjectDepartment || kind == tinhso.SubjectCommune:
		return "bodies"
	case tinhso.IsPersonKind(kind):
		return "people"
	}
	return kind
}

// OpenRound opens a round over a published version for its subjects (resolved to their
// records: names are taken from them).
func (a *App) OpenRound(ctx context.Context, r *tinhso.Round) (*tinhso.Round, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out *tinhso.Round
	err := a.store.AssessmentTx(ctx, func(tx tinhso.AssessmentTx) error {
		v, err := tx.FindFrameworkVersion(ctx, r.VersionID)
		if err != nil {
			return err
		}
		if v.Status != tinhso.VersionPublished {
			return tinhso.Invalid("version_id", "assessment.err.not_published", v.Framework, v.Number)
		}
		f, err := tx.FindFramework(ctx, v.Framework)
		if err != nil {
			return err
		}
		for i, s := range r.Subjects {
			if subjectGroup(s.Kind) != subjectGroup(f.SubjectKind) {
				return tinhso.Invalid("subjects["+strconv.Itoa(i)+"].kind", "assessment.err.subject_group", s.Ref(), f.Slug)
			}
		}
		if err := tx.ResolveSubjects(ctx, r.Subjects); err != nil {
			return err
		}
		if err := tx.CreateRound(ctx, r); err != nil {
			return err
		}
		if out, err = tx.FindRound(ctx, r.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, "round.open", "round", strconv.FormatInt(r.ID, 10), nil, out)
	})
	return out, err
}

// MayAssess reports whether u fills in subject s's self-assessment: a reporter of the
// subject's unit (for a person, the person's unit, whose admin keeps the record), or
// the business account itself.
func MayAssess(u *tinhso.User, s *tinhso.Subject) bool {
	if u == nil || !u.Can(tinhso.ActSelfAssess) {
		return false
	}
	if s.Kind == tinhso.SubjectBusiness {
		return u.Role == tinhso.RoleBusiness && u.ID == s.Business
	}
	return u.Role == tinhso.RoleReporter && u.OrgUnit != "" && u.OrgUnit == s.OrgUnit
}

// MaySee reports whether u reads subject s's self-assessment: its own subject always,
// the readers of every round once it is submitted (a draft is the subject's own).
func MaySee(u *tinhso.User, s *tinhso.Subject) bool {
	if MayAssess(u, s) {
		return true
	}
	return u != nil && u.Can(tinhso.ActReadAssessment) && s.Status != tinhso.SelfDraft
}

// EntryInput is a subject's answer to a criterion.
type EntryInput struct {
	Criterion string   `json:"criterion"`
	Value     *float64 `json:"value"`
	Note      string   `json:"note"`
}

// assessmentFor reads the round, version, subject and self-assessment of a subject and
// checks that u may fill it in now: its own, open round, before the deadline, a draft
// or returned.
func (a *App) assessmentFor(ctx context.Context, tx tinhso.AssessmentTx, u *tinhso.User, subject int64) (*tinhso.Round, *tinhso.FrameworkVersion, *tinhso.SelfAssessment, error) {
	s, err := tx.FindSubject(ctx, subject)
	if err != nil {
		return nil, nil, nil, err
	}
	if !MayAssess(u, s) {
		return nil, nil, nil, tinhso.Errorf(tinhso.EFORBIDDEN, "assessment.err.not_yours")
	}
	r, err := tx.FindRound(ctx, s.Round)
	if err != nil {
		return nil, nil, nil, err
	}
	if r.Status != tinhso.RoundOpen {
		return nil, nil, nil, tinhso.Errorf(tinhso.ECONFLICT, "assessment.err.round_closed", r.Name)
	}
	if today := engine.Today(tx.Now()); today > r.Deadline {
		return nil, nil, nil, tinhso.Errorf(tinhso.ECONFLICT, "assessment.err.past_deadline", r.Name, tinhso.Date(r.Deadline))
	}
	sa, err := tx.FindSelfAssessment(ctx, subject)
	if err != nil {
		return nil, nil, nil, err
	}
	if sa.Status != tinhso.SelfDraft && sa.Status != tinhso.SelfReturned {
		return nil, nil, nil, tinhso.Errorf(tinhso.ECONFLICT, "assessment.err.not_editable", tinhso.M("assessment.status."+sa.Status))
	}
	v, err := tx.FindFrameworkVersion(ctx, r.VersionID)
	return r, v, sa, err
}

// SaveSelfAssessment writes a subject's answers (values and notes) at version (0: any):
// only its own, while it may be edited. A criterion answered anew loses the review it
// had; the others keep theirs. Data-fed criteria are not typed in.
func (a *App) SaveSelfAssessment(ctx context.Context, u *tinhso.User, subject int64, entries []EntryInput, version int) (*tinhso.SelfAssessment, error) {
	var out *tinhso.SelfAssessment
	err := a.store.AssessmentTx(ctx, func(tx tinhso.AssessmentTx) error {
		_, v, sa, err := a.assessmentFor(ctx, tx, u, subject)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for i, in := range entries {
			f := "entries[" + strconv.Itoa(i) + "]"
			n := v.Node(in.Criterion)
			if n == nil || n.Rule == nil {
				return tinhso.Invalid(f+".criterion", "assessment.err.no_criterion", in.Criterion)
			}
			if seen[in.Criterion] {
				return tinhso.Invalid(f+".criterion", "assessment.err.criterion_twice", in.Criterion)
			}
			seen[in.Criterion] = true
			if err := tinhso.ValidEntryValue(f+".value", n, in.Value); err != nil {
				return err
			}
			if len([]rune(in.Note)) > tinhso.MaxEntryNote {
				return tinhso.Invalid(f+".note", "assessment.err.note_long", in.Criterion, tinhso.MaxEntryNote)
			}
		}
		before := *sa
		for _, in := range entries {
			e := sa.Entry(in.Criterion)
			if e == nil {
				sa.Entries = append(sa.Entries, tinhso.Entry{Criterion: in.Criterion})
				e = &sa.Entries[len(sa.Entries)-1]
			}
			if !sameValue(e.Value, in.Value) || e.Note != in.Note {
				*e = tinhso.Entry{Criterion: in.Criterion, Value: in.Value, Note: in.Note}
			}
		}
		if err := tx.SaveSelfAssessment(ctx, sa, version); err != nil {
			return err
		}
		if out, err = tx.FindSelfAssessment(ctx, subject); err != nil {
			return err
		}
		return tx.Audit(ctx, "assessment.save", "assessment", strconv.FormatInt(subject, 10), before.Entries, out.Entries)
	})
	return out, err
}

func sameValue(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

// AddAssessmentEvidence attaches a stored file to a criterion of the subject's own
// self-assessment while it may be edited.
func (a *App) AddAssessmentEvidence(ctx context.Context, u *tinhso.User, subject int64, criterion string, e tinhso.Evidence) (*tinhso.SelfAssessment, error) {
	var out *tinhso.SelfAssessment
	err := a.store.AssessmentTx(ctx, func(tx tinhso.AssessmentTx) error {
		_, v, sa, err := a.assessmentFor(ctx, tx, u, subject)
		if err != nil {
			return err
		}
		if n := v.Node(criterion); n == nil || n.Rule == nil {
			return tinhso.Invalid("criterion", "assessment.err.no_criterion", criterion)
		}
		e.UploadedBy, e.UploadedAt = tinhso.ActorFrom(ctx).Username, tx.Now()
		if err := tx.PutAssessmentEvidence(ctx, subject, tinhso.EvidenceOf{Criterion: criterion, Evidence: e}); err != nil {
			return err
		}
		// The self-assessment moves to its next version: an edit seen by others.
		if err := tx.SaveSelfAssessment(ctx, sa, sa.Version); err != nil {
			return err
		}
		if out, err = tx.FindSelfAssessment(ctx, subject); err != nil {
			return err
		}
		return tx.Audit(ctx, "assessment.evidence", "assessment", strconv.FormatInt(subject, 10), nil, map[string]any{"criterion": criterion, "hash": e.Hash, "name": e.Name})
	})
	return out, err
}

// SubmitSelfAssessment sends a subject's self-assessment for review: every manual score
// must have its evidence (refused naming the criteria otherwise).
func (a *App) SubmitSelfAssessment(ctx context.Context, u *tinhso.User, subject int64, version int) (*tinhso.SelfAssessment, error) {
	var out *tinhso.SelfAssessment
	err := a.store.AssessmentTx(ctx, func(tx tinhso.AssessmentTx) error {
		_, v, sa, err := a.assessmentFor(ctx, tx, u, subject)
		if err != nil {
			return err
		}
		var lacking []string
		for _, n := range v.Criteria() {
			if e := sa.Entry(n.Code); n.Rule.Kind == tinhso.RuleManual && e != nil && e.Value != nil && sa.EvidenceCount(n.Code) == 0 {
				lacking = append(lacking, n.Code)
			}
		}
		if len(lacking) > 0 {
			return tinhso.Invalid("evidence", "assessment.err.needs_evidence", strings.Join(lacking, ", "))
		}
		from := sa.Status
		now := tx.Now()
		sa.Status, sa.SubmittedAt = tinhso.SelfSubmitted, &now
		if err := tx.SaveSelfAssessment(ctx, sa, version); err != nil {
			return err
		}
		if out, err = tx.FindSelfAssessment(ctx, subject); err != nil {
			return err
		}
		return tx.Audit(ctx, "assessment.submit", "assessment", strconv.FormatInt(subject, 10), map[string]any{"status": from}, map[string]any{"status": out.Status})
	})
	return out, err
}

// Decision is a reviewer's decision on one criterion.
type Decision struct {
	Criterion string   `json:"criterion"`
	Decision  string   `json:"decision"`
	Value     *float64 `json:"value,omitempty"` // the adjusted value
	Reason    string   `json:"reason,omitempty"`
}

// ReviewSelfAssessment records the reviewer's decisions on a submitted
// self-assessment's criteria at version (0: any). Adjusting needs the new value and a
// reason, returning a reason. Then, if any criterion is returned, the self-assessment
// goes back to the subject; if every criterion the subject answers has a decision, it
// is approved; else it stays submitted.
func (a *App) ReviewSelfAssessment(ctx context.Context, subject int64, decisions []Decision, version int) (*tinhso.SelfAssessment, error) {
	var out *tinhso.SelfAssessment
	err := a.store.AssessmentTx(ctx, func(tx tinhso.AssessmentTx) error {
		s, err := tx.FindSubject(ctx, subject)
		if err != nil {
			return err
		}
		r, err := tx.FindRound(ctx, s.Round)
		if err != nil {
			return err
		}
		if r.Status == tinhso.RoundApproved || r.Status == tinhso.RoundPublished {
			return tinhso.Errorf(tinhso.ECONFLICT, "assessment.err.round_final", r.Name)
		}
		sa, err := tx.FindSelfAssessment(ctx, subject)
		if err != nil {
			return err
		}
		if sa.Status != tinhso.SelfSubmitted {
			return tinhso.Errorf(tinhso.ECONFLICT, "assessment.err.not_submitted", tinhso.M("assessment.status."+sa.Status))
		}
		v, err := tx.FindFrameworkVersion(ctx, r.VersionID)
		if err != nil {
			return err
		}
		if len(decisions) == 0 {
			return tinhso.Invalid("decisions", "assessment.err.no_decisions")
		}
		reviewer := tinhso.ActorFrom(ctx).Username
		returned := false
		for i, d := range decisions {
			f := "decisions[" + strconv.Itoa(i) + "]"
			n := v.Node(d.Criterion)
			if n == nil || n.Rule == nil {
				return tinhso.Invalid(f+".criterion", "assessment.err.no_criterion", d.Criterion)
			}
			if tinhso.DataFed(n.Rule.Kind) {
				return tinhso.Invalid(f+".criterion", "assessment.err.review_data_fed", d.Criterion)
			}
			reason := strings.TrimSpace(d.Reason)
			if len([]rune(reason)) > tinhso.MaxEntryNote {
				return tinhso.Invalid(f+".reason", "assessment.err.note_long", d.Criterion, tinhso.MaxEntryNote)
			}
			e := sa.Entry(d.Criterion)
			if e == nil {
				sa.Entries = append(sa.Entries, tinhso.Entry{Criterion: d.Criterion})
				e = &sa.Entries[len(sa.Entries)-1]
			}
			switch d.Decision {
			case tinhso.DecisionAccept:
				e.Reviewed, e.Reason = nil, reason
			case tinhso.DecisionAdjust:
				if d.Value == nil {
					return tinhso.Invalid(f+".value", "assessment.err.adjust_value", d.Criterion)
				}
				if err := tinhso.ValidEntryValue(f+".value", n, d.Value); err != nil {
					return err
				}
				if reason == "" {
					return tinhso.Invalid(f+".reason", "assessment.err.reason", d.Criterion)
				}
				e.Reviewed, e.Reason = d.Value, reason
			case tinhso.DecisionReturn:
				if reason == "" {
					return tinhso.Invalid(f+".reason", "assessment.err.reason", d.Criterion)
				}
				e.Reviewed, e.Reason = nil, reason
				returned = true
			default:
				return tinhso.Invalid(f+".decision", "err.field.one_of", tinhso.Field("decision"), strings.Join(tinhso.Decisions, ", "))
			}
			e.Decision, e.ReviewedBy = d.Decision, reviewer
		}
		from := sa.Status
		switch {
		case returned:
			sa.Status, sa.Returns = tinhso.SelfReturned, sa.Returns+1
		case allDecided(v, sa):
			now := tx.Now()
			sa.Status, sa.ApprovedAt = tinhso.SelfApproved, &now
		}
		if err := tx.SaveSelfAssessment(ctx, sa, version); err != nil {
			return err
		}
		if out, err = tx.FindSelfAssessment(ctx, subject); err != nil {
			return err
		}
		return tx.Audit(ctx, "assessment.review", "assessment", strconv.FormatInt(subject, 10), map[string]any{"status": from},
			map[string]any{"status": out.Status, "decisions": decisions})
	})
	return out, err
}

// allDecided reports whether every criterion the subject answers (all but the data-fed)
// has an accept or adjust decision.
func allDecided(v *tinhso.FrameworkVersion, sa *tinhso.SelfAssessment) bool {
	for _, n := range v.Criteria() {
		if tinhso.DataFed(n.Rule.Kind) {
			continue
		}
		e := sa.Entry(n.Code)
		if e == nil || e.Decision != tinhso.DecisionAccept && e.Decision != tinhso.DecisionAdjust {
			return false
		}
	}
	return true
}

// roundValues makes every subject's criterion values: a self-assessment's only once it
// was submitted (a draft is the subject's own), the adjusted value where the reviewer
// adjusted one, and the data-fed criteria from the statuses (tasks) and figures
// (indicators) of m.
func roundValues(facts *tinhso.RoundFacts, m *Monitor, directives []*tinhso.DirectiveTask, today string) []engine.SubjectValues {
	v, r := facts.Version, facts.Round
	crit := v.Criteria()
	out := make([]engine.SubjectValues, 0, len(r.Subjects))
	notShared := tinhso.M("assessment.missing.not_submitted")
	for _, s := range r.Subjects {
		sa := facts.Assessments[s.ID]
		vals := make(map[string]tinhso.CriterionValue, len(crit))
		for _, n := range crit {
			switch n.Rule.Kind {
			case tinhso.RuleTaskShare:
				if s.Kind == tinhso.SubjectBusiness || m == nil {
					continue
				}
				vals[n.Code] = engine.TaskShare(m.Facts.Tasks, m.Tasks, s.OrgUnit)
				continue
			case tinhso.RuleIndicator:
				if s.Kind == tinhso.SubjectBusiness || m == nil {
					continue
				}
				vals[n.Code] = engine.IndicatorValue(n.Rule.Indicator, m.Figures(n.Rule.Indicator, s.OrgUnit), r.PeriodStart(), r.PeriodEnd())
				continue
			case tinhso.RuleDirectiveShare:
				if s.Kind == tinhso.SubjectBusiness || directives == nil {
					continue
				}
				vals[n.Code] = engine.DirectiveShare(directives, s.OrgUnit, r.PeriodStart(), r.PeriodEnd(), today)
				continue
			}
			if sa == nil || sa.Status == tinhso.SelfDraft {
				vals[n.Code] = tinhso.CriterionValue{Missing: &notShared}
				continue
			}
			e := sa.Entry(n.Code)
			if e == nil {
				continue
			}
			cv := tinhso.CriterionValue{Number: e.Value, Source: tinhso.SourceSelf, Evidence: sa.EvidenceCount(n.Code)}
			if e.Decision == tinhso.DecisionAdjust && e.Reviewed != nil {
				cv.Number, cv.Source = e.Reviewed, tinhso.SourceReview
			}
			vals[n.Code] = cv
		}
		out = append(out, engine.SubjectValues{Subject: s, Values: vals})
	}
	return out
}

// scoreRound scores a round from its facts now (provisional until approval).
func (a *App) scoreRound(ctx context.Context, facts *tinhso.RoundFacts) (*tinhso.Ranking, []engine.SubjectValues, error) {
	f, err := engine.CompileFramework(facts.Version)
	if err != nil {
		return nil, nil, err
	}
	m, err := a.Monitor(ctx)
	if err != nil {
		return nil, nil, err
	}
	directives, err := a.store.FindDirectiveTasks(ctx, tinhso.DirectiveFilter{})
	if err != nil {
		return nil, nil, err
	}
	values := roundValues(facts, m, directives, engine.Today(a.Now()))
	scores := engine.ScoreRound(f, values, true)
	if facts.PrevResults != nil {
		engine.Compare(scores, facts.PrevResults.Scores)
	}
	return &tinhso.Ranking{Round: facts.Round.ID, Status: facts.Round.Status, Scores: scores, Ties: engine.TiesNote}, values, nil
}

// RoundRanking is a round's ranking: the stored results once it is approved, else the
// scores computed now from what was submitted (provisional).
func (a *App) RoundRanking(ctx context.Context, round int64) (*tinhso.Ranking, error) {
	r, err := a.store.FindRound(ctx, round)
	if err != nil {
		return nil, err
	}
	if r.Status == tinhso.RoundApproved || r.Status == tinhso.RoundPublished {
		res, err := a.store.RoundResults(ctx, round)
		if err != nil {
			return nil, err
		}
		res.Status = r.Status
		return res, nil
	}
	facts, err := a.store.RoundFacts(ctx, round)
	if err != nil {
		return nil, err
	}
	res, _, err := a.scoreRound(ctx, facts)
	return res, err
}

// PublicRanking is what the public sees of a round: only a published one, and never
// people's individual results.
func (a *App) PublicRanking(ctx context.Context, round int64) (*tinhso.Round, *tinhso.Ranking, error) {
	r, err := a.store.FindRound(ctx, round)
	if err != nil {
		return nil, nil, err
	}
	if r.Status != tinhso.RoundPublished {
		return nil, nil, tinhso.Errorf(tinhso.ENOTFOUND, "assessment.err.round_not_found", round)
	}
	res, err := a.store.RoundResults(ctx, round)
	if err != nil {
		return nil, nil, err
	}
	res.Status = r.Status
	res.Scores = PublicScores(res.Scores)
	return r, res, nil
}

// PublicScores leaves out people's results: they are never public.
func PublicScores(scores []tinhso.Score) []tinhso.Score {
	out := make([]tinhso.Score, 0, len(scores))
	for _, s := range scores {
		if !tinhso.IsPersonKind(s.Kind) {
			out = append(out, s)
		}
	}
	return out
}

// WhatIfRound scores a round again with changed values or points, storing nothing.
func (a *App) WhatIfRound(ctx context.Context, round int64, w engine.WhatIf) (*tinhso.Ranking, error) {
	facts, err := a.store.RoundFacts(ctx, round)
	if err != nil {
		return nil, err
	}
	_, values, err := a.scoreRound(ctx, facts)
	if err != nil {
		return nil, err
	}
	scores, err := engine.TryWhatIf(facts.Version, values, w)
	if err != nil {
		return nil, err
	}
	if facts.PrevResults != nil {
		engine.Compare(scores, facts.PrevResults.Scores)
	}
	return &tinhso.Ranking{Round: round, Status: facts.Round.Status, Scores: scores, Ties: engine.TiesNote}, nil
}

// ApproveRound makes a round's results final at version (0: any): no self-assessment
// may still wait for review; the scores are computed now (data-fed criteria as the
// facts stand) and stored, so what is published does not move afterwards. Subjects
// that never submitted are scored on data-fed criteria alone, their others missing.
func (a *App) ApproveRound(ctx context.Context, round int64, version int) (*tinhso.Round, error) {
	var out *tinhso.Round
	err := a.store.AssessmentTx(ctx, func(tx tinhso.AssessmentTx) error {
		facts, err := tx.RoundFacts(ctx, round)
		if err != nil {
			return err
		}
		r := facts.Round
		if r.Status != tinhso.RoundOpen && r.Status != tinhso.RoundReviewing {
			return tinhso.Errorf(tinhso.ECONFLICT, "assessment.err.round_final", r.Name)
		}
		var waiting []string
		for _, s := range r.Subjects {
			if sa := facts.Assessments[s.ID]; sa != nil && sa.Status == tinhso.SelfSubmitted {
				waiting = append(waiting, s.Name)
			}
		}
		if len(waiting) > 0 {
			return tinhso.Errorf(tinhso.ECONFLICT, "assessment.err.waiting", len(waiting), strings.Join(waiting, "; "))
		}
		res, _, err := a.scoreRound(ctx, facts)
		if err != nil {
			return err
		}
		res.Status = tinhso.RoundApproved
		if err := tx.SetRoundStatus(ctx, round, tinhso.RoundApproved, res, version); err != nil {
			return err
		}
		if out, err = tx.FindRound(ctx, round); err != nil {
			return err
		}
		return tx.Audit(ctx, "round.approve", "round", strconv.FormatInt(round, 10), map[string]any{"status": r.Status}, map[string]any{"status": out.Status})
	})
	return out, err
}

// PublishRound publishes an approved round's results (people's results stay private).
func (a *App) PublishRound(ctx context.Context, round int64, version int) (*tinhso.Round, error) {
	return a.moveRound(ctx, round, version, tinhso.RoundApproved, tinhso.RoundPublished, "round.publish")
}

// CloseSelfAssessment ends a round's self-assessment early (open → reviewing).
func (a *App) CloseSelfAssessment(ctx context.Context, round int64, version int) (*tinhso.Round, error) {
	return a.moveRound(ctx, round, version, tinhso.RoundOpen, tinhso.RoundReviewing, "round.close")
}

func (a *App) moveRound(ctx context.Context, round int64, version int, from, to, action string) (*tinhso.Round, error) {
	var out *tinhso.Round
	err := a.store.AssessmentTx(ctx, func(tx tinhso.AssessmentTx) error {
		r, err := tx.FindRound(ctx, round)
		if err != nil {
			return err
		}
		if r.Status != from {
			return tinhso.Errorf(tinhso.ECONFLICT, "assessment.err.round_status", r.Name, tinhso.M("assessment.status."+r.Status), tinhso.M("assessment.status."+to))
		}
		if err := tx.SetRoundStatus(ctx, round, to, nil, version); err != nil {
			return err
		}
		if out, err = tx.FindRound(ctx, round); err != nil {
			return err
		}
		return tx.Audit(ctx, action, "round", strconv.FormatInt(round, 10), map[string]any{"status": from}, map[string]any{"status": to})
	})
	return out, err
}

// InstallTemplate stores a shipped framework template with its version published,
// unless a framework of its slug exists; it reports whether it stored it.
func (a *App) InstallTemplate(ctx context.Context, f tinhso.Framework, v tinhso.FrameworkVersion) (bool, error) {
	f.Template = true
	if err := f.Validate(); err != nil {
		return false, err
	}
	if _, err := engine.CompileFramework(&v); err != nil {
		return false, err
	}
	stored := false
	err := a.store.AssessmentTx(ctx, func(tx tinhso.AssessmentTx) error {
		if _, err := tx.FindFramework(ctx, f.Slug); err == nil {
			return nil
		} else if tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			return err
		}
		if err := tx.CreateFramework(ctx, &f); err != nil {
			return err
		}
		v.Framework = f.Slug
		if err := tx.CreateVersion(ctx, &v); err != nil {
			return err
		}
		if err := tx.PublishVersion(ctx, v.ID); err != nil {
			return err
		}
		stored = true
		return nil
	})
	return stored, err
}

// PublicRounds lists the published rounds whose results the public may see: every
// published round but those of frameworks assessing people.
func (a *App) PublicRounds(ctx context.Context) ([]*tinhso.Round, error) {
	rounds, err := a.store.FindRounds(ctx, tinhso.RoundFilter{Status: tinhso.RoundPublished})
	if err != nil {
		return nil, err
	}
	fws, err := a.store.FindFrameworks(ctx)
	if err != nil {
		return nil, err
	}
	people := map[string]bool{}
	for _, f := range fws {
		people[f.Slug] = tinhso.IsPersonKind(f.SubjectKind)
	}
	var out []*tinhso.Round
	for _, r := range rounds {
		if !people[r.Framework] {
			out = append(out, r)
		}
	}
	return out, nil
}

// HistoryPoint is a subject's published result in one round.
type HistoryPoint struct {
	Round int64
	Name  string
	Year  int
	Score tinhso.Score
}

// PublicHistory is a subject's published results across the rounds of a framework,
// oldest first (none for a person).
func (a *App) PublicHistory(ctx context.Context, framework, ref string) ([]HistoryPoint, error) {
	rounds, err := a.PublicRounds(ctx)
	if err != nil {
		return nil, err
	}
	var out []HistoryPoint
	for i := len(rounds) - 1; i >= 0; i-- {
		r := rounds[i]
		if r.Framework != framework {
			continue
		}
		res, err := a.store.RoundResults(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		for _, s := range PublicScores(res.Scores) {
			if s.Ref == ref {
				out = append(out, HistoryPoint{Round: r.ID, Name: r.Name, Year: r.Year, Score: s})
			}
		}
	}
	return out, nil
}

// SendAssessmentReminders sends the self-assessment reminders due at now
// (engine.AssessmentReminders), once each; it returns how many it sent.
func (a *App) SendAssessmentReminders(ctx context.Context, now time.Time, daysBefore int) (int, error) {
	list, err := a.store.FindRounds(ctx, tinhso.RoundFilter{Status: tinhso.RoundOpen})
	if err != nil {
		return 0, err
	}
	rounds := make([]*tinhso.Round, 0, len(list))
	for _, r := range list {
		full, err := a.store.FindRound(ctx, r.ID)
		if err != nil {
			return 0, err
		}
		rounds = append(rounds, full)
	}
	sent := 0
	for _, n := range engine.AssessmentReminders(now.In(tinhso.Location).Format(time.DateOnly), rounds, daysBefore) {
		stored, err := a.store.Notify(ctx, &n)
		if err != nil {
			return sent, err
		}
		if stored {
			sent++
		}
	}
	return sent, nil
}
