package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	eng "github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/seed"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

func fp(x float64) *float64 { return &x }

// smallFramework has two pillars: a yes/no, a percentage, a manual score with
// evidence.
func smallFramework() (*tinhso.Framework, *tinhso.FrameworkVersion) {
	return &tinhso.Framework{Slug: "thu-nghiem", Name: "Bộ tiêu chí thử nghiệm", SubjectKind: tinhso.SubjectDepartment},
		&tinhso.FrameworkVersion{Total: 100, Nodes: []tinhso.FrameworkNode{
			{Code: "1", Name: "Thể chế số", MaxPoints: 60},
			{Code: "1.1", Name: "Ban hành kế hoạch", MaxPoints: 20, Rule: &tinhso.Rule{Kind: tinhso.RuleYesNo}},
			{Code: "1.2", Name: "Tỷ lệ cán bộ được tập huấn", MaxPoints: 40, Rule: &tinhso.Rule{Kind: tinhso.RuleLinear, Low: fp(0), High: fp(100), Unit: "%"}},
			{Code: "2", Name: "An toàn thông tin", MaxPoints: 40},
			{Code: "2.1", Name: "Phương án ứng cứu sự cố", MaxPoints: 40, Rule: &tinhso.Rule{Kind: tinhso.RuleManual}},
		}}
}

// The shipped templates are there, published, labelled as templates, and add up.
func TestAssessmentTemplates(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		db := sqldbtest.OpenSeeded(t, engine)
		ctx := context.Background()
		list, err := db.FindFrameworks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]*tinhso.Framework{}
		for _, f := range list {
			got[f.Slug] = f
		}
		for _, tpl := range seed.Templates() {
			f := got[tpl.Framework.Slug]
			if f == nil || !f.Template || len(f.Versions) != 1 || f.Versions[0].Status != tinhso.VersionPublished || !strings.HasPrefix(f.Name, "MẪU") {
				t.Fatalf("template %s: %+v", tpl.Framework.Slug, f)
			}
			if len(f.Versions[0].Nodes) != len(tpl.Version.Nodes) || f.Versions[0].Total != tpl.Version.Total {
				t.Errorf("template %s read back: %d nodes, total %v", f.Slug, len(f.Versions[0].Nodes), f.Versions[0].Total)
			}
		}
		dti := got["mau-dti-cap-tinh"]
		if dti.Versions[0].Total != 1000 || !strings.Contains(dti.Description, "922/QĐ-BTTTT") || !strings.Contains(dti.Description, "405/QĐ-BKHCN") {
			t.Errorf("DTI template: %+v", dti)
		}
		// Loading again changes nothing.
		if loaded, err := seed.LoadTemplates(ctx, db, app.New(db, app.Options{})); err != nil || loaded {
			t.Errorf("second load: %v %v", loaded, err)
		}
	})
}

// A framework is edited as a draft, published and then frozen; a round over seed
// departments runs through self-assessment with evidence, a return and correction,
// review and approval; every rule of who may do what holds, and refused requests change
// nothing.
func TestAssessmentWorkflow(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		db := sqldbtest.OpenSeeded(t, engine)
		now := time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		a := app.New(db, app.Options{Clock: db.Now})
		ctx := tinhso.WithActor(context.Background(), tinhso.Actor{Username: "tham-dinh"})
		f, v := smallFramework()

		// A tree that does not add up is refused, naming the node; nothing is stored.
		bad := *v
		bad.Nodes = append([]tinhso.FrameworkNode(nil), v.Nodes...)
		bad.Nodes[2].MaxPoints = 30
		if _, err := a.CreateFramework(ctx, f, &bad); tinhso.ErrorKey(err) != "assessment.err.points_sum" || !strings.Contains(err.Error(), "1") {
			t.Fatalf("points that do not add up: %v", err)
		}
		if _, err := db.FindFramework(ctx, f.Slug); tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			t.Fatalf("a refused framework was stored: %v", err)
		}
		fw, err := a.CreateFramework(ctx, f, v)
		if err != nil {
			t.Fatal(err)
		}
		draft := fw.Versions[0]
		if draft.Number != 1 || draft.Status != tinhso.VersionDraft {
			t.Fatalf("draft: %+v", draft)
		}
		// A round needs a published version.
		depts := []*tinhso.Subject{{Kind: tinhso.SubjectDepartment, OrgUnit: "so-khoa-hoc-va-cong-nghe"}, {Kind: tinhso.SubjectDepartment, OrgUnit: "so-tai-chinh"},
			{Kind: tinhso.SubjectDepartment, OrgUnit: "so-y-te"}}
		round := &tinhso.Round{Name: "Đánh giá chuyển đổi số năm 2026", Year: 2026, VersionID: draft.ID, Deadline: "2026-12-15", Subjects: depts}
		if _, err := a.OpenRound(ctx, round); tinhso.ErrorKey(err) != "assessment.err.not_published" {
			t.Fatalf("round on a draft: %v", err)
		}
		// Edit the draft (a stale version refused), publish, then it is frozen.
		edited := *draft
		edited.Nodes = append([]tinhso.FrameworkNode(nil), draft.Nodes...)
		edited.Nodes[1].Name = "Ban hành kế hoạch chuyển đổi số năm 2026"
		if _, err := a.SaveFrameworkVersion(ctx, draft.ID, &edited, 9); tinhso.ErrorCode(err) != tinhso.EPRECONDITION {
			t.Fatalf("stale edit: %v", err)
		}
		saved, err := a.SaveFrameworkVersion(ctx, draft.ID, &edited, draft.Version)
		if err != nil || saved.Nodes[1].Name != edited.Nodes[1].Name {
			t.Fatalf("edit: %+v %v", saved, err)
		}
		pub, err := a.PublishFrameworkVersion(ctx, draft.ID, saved.Version)
		if err != nil || pub.Status != tinhso.VersionPublished || pub.PublishedBy != "tham-dinh" {
			t.Fatalf("publish: %+v %v", pub, err)
		}
		if _, err := a.SaveFrameworkVersion(ctx, draft.ID, &edited, 0); tinhso.ErrorKey(err) != "assessment.err.frozen" {
			t.Fatalf("edit of a published version: %v", err)
		}
		next, err := a.NewFrameworkVersion(ctx, f.Slug)
		if err != nil || next.Number != 2 || next.Status != tinhso.VersionDraft || len(next.Nodes) != 5 {
			t.Fatalf("new version: %+v %v", next, err)
		}

		// Subjects must exist and be of the framework's group.
		wrong := &tinhso.Round{Name: "x", Year: 2026, VersionID: draft.ID, Deadline: "2026-12-15",
			Subjects: []*tinhso.Subject{{Kind: tinhso.SubjectDepartment, OrgUnit: "khong-co"}}}
		if _, err := a.OpenRound(ctx, wrong); tinhso.ErrorKey(err) != "assessment.err.no_unit" || !strings.Contains(err.Error(), "subjects[0].org_unit") {
			t.Fatalf("unknown unit: %v", err)
		}
		wrong.Subjects = []*tinhso.Subject{{Kind: tinhso.SubjectBusiness, Business: 1}}
		if _, err := a.OpenRound(ctx, wrong); tinhso.ErrorKey(err) != "assessment.err.subject_group" {
			t.Fatalf("a business in a departments' round: %v", err)
		}
		if rs, _ := db.FindRounds(ctx, tinhso.RoundFilter{}); len(rs) != 0 {
			t.Fatalf("refused rounds were stored: %d", len(rs))
		}
		r, err := a.OpenRound(ctx, round)
		if err != nil || len(r.Subjects) != 3 || r.Subjects[0].Name != "Sở Khoa học và Công nghệ" || r.Status != tinhso.RoundOpen {
			t.Fatalf("open: %+v %v", r, err)
		}
		sKHCN, sTC := r.Subjects[0], r.Subjects[1]

		// Accounts: a reporter of each unit, one of another unit, a business.
		users := map[string]*tinhso.User{}
		for _, u := range []*tinhso.User{
			{Username: "khcn.bc", Name: "Cán bộ KHCN", Role: tinhso.RoleReporter, OrgUnit: "so-khoa-hoc-va-cong-nghe"},
			{Username: "tc.bc", Name: "Cán bộ Tài chính", Role: tinhso.RoleReporter, OrgUnit: "so-tai-chinh"},
			{Username: "cty", Name: "Công ty A", Role: tinhso.RoleBusiness, Verified: true},
		} {
			if err := db.CreateUser(ctx, u, ""); err != nil {
				t.Fatal(err)
			}
			users[u.Username] = u
		}
		khcn, tc, cty := users["khcn.bc"], users["tc.bc"], users["cty"]
		if !app.MayAssess(khcn, sKHCN) || app.MayAssess(tc, sKHCN) || app.MayAssess(cty, sKHCN) {
			t.Fatal("who may fill in Sở KHCN's self-assessment")
		}
		reviewer := &tinhso.User{Username: "tham-dinh", Role: tinhso.RoleReviewer}
		if app.MaySee(reviewer, sKHCN) || app.MaySee(tc, sKHCN) || !app.MaySee(khcn, sKHCN) {
			t.Fatal("a draft is the subject's own")
		}

		// Self-assessment: someone else's refused; bad values refused naming the field.
		entries := []app.EntryInput{{Criterion: "1.1", Value: fp(1)}, {Criterion: "1.2", Value: fp(50), Note: "50/100 cán bộ"}, {Criterion: "2.1", Value: fp(30)}}
		if _, err := a.SaveSelfAssessment(ctx, tc, sKHCN.ID, entries, 0); tinhso.ErrorCode(err) != tinhso.EFORBIDDEN {
			t.Fatalf("another unit's: %v", err)
		}
		for _, c := range []struct {
			in    app.EntryInput
			field string
		}{
			{app.EntryInput{Criterion: "1.1", Value: fp(2)}, "entries[0].value"},
			{app.EntryInput{Criterion: "2.1", Value: fp(41)}, "entries[0].value"},
			{app.EntryInput{Criterion: "9.9", Value: fp(1)}, "entries[0].criterion"},
			{app.EntryInput{Criterion: "1", Value: fp(1)}, "entries[0].criterion"},
		} {
			_, err := a.SaveSelfAssessment(ctx, khcn, sKHCN.ID, []app.EntryInput{c.in}, 0)
			if e, ok := err.(*tinhso.Error); !ok || e.Code != tinhso.EINVALID || e.Field != c.field {
				t.Errorf("%+v: %v, want invalid %s", c.in, err, c.field)
			}
		}
		sa, err := a.SaveSelfAssessment(ctx, khcn, sKHCN.ID, entries, 0)
		if err != nil || len(sa.Entries) != 3 || sa.Status != tinhso.SelfDraft {
			t.Fatalf("save: %+v %v", sa, err)
		}
		// A manual score needs its evidence before it is sent.
		if _, err := a.SubmitSelfAssessment(ctx, khcn, sKHCN.ID, sa.Version); tinhso.ErrorKey(err) != "assessment.err.needs_evidence" || !strings.Contains(err.Error(), "2.1") {
			t.Fatalf("submit without evidence: %v", err)
		}
		sa, err = a.AddAssessmentEvidence(ctx, khcn, sKHCN.ID, "2.1", tinhso.Evidence{Hash: strings.Repeat("ab", 32), Name: "phuong-an.pdf", MediaType: "application/pdf", Size: 1234})
		if err != nil || len(sa.Evidence) != 1 || sa.EvidenceCount("2.1") != 1 {
			t.Fatalf("evidence: %+v %v", sa, err)
		}
		sa, err = a.SubmitSelfAssessment(ctx, khcn, sKHCN.ID, sa.Version)
		if err != nil || sa.Status != tinhso.SelfSubmitted || sa.SubmittedAt == nil {
			t.Fatalf("submit: %+v %v", sa, err)
		}
		if _, err := a.SaveSelfAssessment(ctx, khcn, sKHCN.ID, entries, 0); tinhso.ErrorKey(err) != "assessment.err.not_editable" {
			t.Fatalf("edit after submitting: %v", err)
		}
		if !app.MaySee(reviewer, &tinhso.Subject{Kind: sKHCN.Kind, OrgUnit: sKHCN.OrgUnit, Status: sa.Status}) {
			t.Fatal("the reviewer sees a submitted self-assessment")
		}

		// Review: adjusting needs a reason; a return sends it back; correction; approval.
		if _, err := a.ReviewSelfAssessment(ctx, sKHCN.ID, []app.Decision{{Criterion: "1.2", Decision: tinhso.DecisionAdjust, Value: fp(40)}}, 0); tinhso.ErrorKey(err) != "assessment.err.reason" {
			t.Fatalf("adjust without a reason: %v", err)
		}
		sa, err = a.ReviewSelfAssessment(ctx, sKHCN.ID, []app.Decision{
			{Criterion: "1.1", Decision: tinhso.DecisionAccept},
			{Criterion: "1.2", Decision: tinhso.DecisionReturn, Reason: "Thiếu danh sách cán bộ được tập huấn"},
			{Criterion: "2.1", Decision: tinhso.DecisionAccept}}, 0)
		if err != nil || sa.Status != tinhso.SelfReturned || sa.Returns != 1 || sa.Entry("1.2").Reason == "" {
			t.Fatalf("return: %+v %v", sa, err)
		}
		sa, err = a.SaveSelfAssessment(ctx, khcn, sKHCN.ID, []app.EntryInput{{Criterion: "1.2", Value: fp(60), Note: "Kèm danh sách 60 cán bộ"}}, 0)
		if err != nil || sa.Entry("1.2").Decision != "" || sa.Entry("1.1").Decision != tinhso.DecisionAccept {
			t.Fatalf("correction: %+v %v", sa, err)
		}
		if sa, err = a.SubmitSelfAssessment(ctx, khcn, sKHCN.ID, 0); err != nil {
			t.Fatal(err)
		}
		// The round cannot be approved while a self-assessment waits for review.
		if _, err := a.ApproveRound(ctx, r.ID, 0); tinhso.ErrorKey(err) != "assessment.err.waiting" {
			t.Fatalf("approve with one waiting: %v", err)
		}
		sa, err = a.ReviewSelfAssessment(ctx, sKHCN.ID, []app.Decision{{Criterion: "1.2", Decision: tinhso.DecisionAdjust, Value: fp(55), Reason: "5 cán bộ tập huấn năm 2025"}}, 0)
		if err != nil || sa.Status != tinhso.SelfApproved {
			t.Fatalf("approve the self-assessment: %+v %v", sa, err)
		}
		// Sở Tài chính answers yes on 1.1 only and submits; accepted.
		if _, err := a.SaveSelfAssessment(ctx, tc, sTC.ID, []app.EntryInput{{Criterion: "1.1", Value: fp(1)}}, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := a.SubmitSelfAssessment(ctx, tc, sTC.ID, 0); err != nil {
			t.Fatal(err)
		}
		// Criteria it left empty need a decision too: accepted as missing.
		if sa, err := a.ReviewSelfAssessment(ctx, sTC.ID, []app.Decision{{Criterion: "1.1", Decision: tinhso.DecisionAccept}}, 0); err != nil || sa.Status != tinhso.SelfSubmitted {
			t.Fatalf("part of the review: %+v %v", sa, err)
		}
		if sa, err := a.ReviewSelfAssessment(ctx, sTC.ID, []app.Decision{{Criterion: "1.2", Decision: tinhso.DecisionAccept},
			{Criterion: "2.1", Decision: tinhso.DecisionAccept}}, 0); err != nil || sa.Status != tinhso.SelfApproved {
			t.Fatalf("the rest of the review: %+v %v", sa, err)
		}

		// Sở Y tế has not submitted: reminded once the deadline has passed, once.
		late := time.Date(2026, 12, 16, 2, 0, 0, 0, time.UTC)
		if n, err := a.SendReminders(ctx, late, 7); err != nil || n != 1 {
			t.Fatalf("reminders: %d %v", n, err)
		}
		if n, err := a.SendReminders(ctx, late, 7); err != nil || n != 0 {
			t.Fatalf("reminders again: %d %v", n, err)
		}
		if list, _, err := db.FindNotifications(ctx, "so-y-te", tinhso.Page{}); err != nil || len(list) != 1 || list[0].MessageKey != "assessment.reminder.overdue" {
			t.Fatalf("Sở Y tế's notifications: %+v %v", list, err)
		}

		// What-if changes nothing stored.
		wi, err := a.WhatIfRound(ctx, r.ID, eng.WhatIf{Values: map[string]map[string]*float64{"unit:so-tai-chinh": {"1.2": fp(100), "2.1": fp(40)}}})
		if err != nil || wi.Scores[0].OrgUnit != "so-tai-chinh" || wi.Scores[0].Points != 100 {
			t.Fatalf("what-if: %+v %v", wi, err)
		}
		// Approval stores the results: KHCN 20 + 22 + 30 = 72; Tài chính 20; Y tế 0 (not submitted).
		if _, err := a.ApproveRound(ctx, r.ID, 0); err != nil {
			t.Fatal(err)
		}
		res, err := db.RoundResults(ctx, r.ID)
		if err != nil || len(res.Scores) != 3 {
			t.Fatalf("results: %+v %v", res, err)
		}
		want := []struct {
			unit   string
			points float64
			rank   int
		}{{"so-khoa-hoc-va-cong-nghe", 72, 1}, {"so-tai-chinh", 20, 2}, {"so-y-te", 0, 3}}
		for i, w := range want {
			s := res.Scores[i]
			if s.OrgUnit != w.unit || s.Points != w.points || s.Rank != w.rank {
				t.Errorf("score %d: %s %v #%d, want %s %v #%d", i, s.OrgUnit, s.Points, s.Rank, w.unit, w.points, w.rank)
			}
		}
		if y := res.Scores[2]; y.Missing != 3 {
			t.Errorf("Sở Y tế's missing criteria: %d", y.Missing)
		}
		if _, err := a.ReviewSelfAssessment(ctx, sTC.ID, []app.Decision{{Criterion: "1.1", Decision: tinhso.DecisionAccept}}, 0); tinhso.ErrorKey(err) != "assessment.err.round_final" {
			t.Fatalf("review after approval: %v", err)
		}
		// Only a published round is public.
		if _, _, err := a.PublicRanking(ctx, r.ID); tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			t.Fatalf("public before publication: %v", err)
		}
		if _, err := a.PublishRound(ctx, r.ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, pr, err := a.PublicRanking(ctx, r.ID); err != nil || len(pr.Scores) != 3 {
			t.Fatalf("public: %v", err)
		}
		// The audit log holds the workflow.
		recs, _, _ := db.FindAudit(ctx, tinhso.AuditFilter{Entity: "assessment", EntityID: itoa(sKHCN.ID)})
		if len(recs) < 6 {
			t.Errorf("audit of Sở KHCN's self-assessment: %d records", len(recs))
		}
	})
}

// People are records of their unit; their results are never public.
func TestAssessmentPeopleNotPublic(t *testing.T) {
	t.Parallel()
	scores := []tinhso.Score{{Kind: tinhso.SubjectDepartment, Name: "Sở A"}, {Kind: tinhso.SubjectAgencyHead, Name: "Nguyễn Văn A"},
		{Kind: tinhso.SubjectOfficial, Name: "Trần Thị B"}, {Kind: tinhso.SubjectCommune, Name: "Xã C"}}
	got := app.PublicScores(scores)
	if len(got) != 2 || got[0].Name != "Sở A" || got[1].Name != "Xã C" {
		t.Errorf("public scores: %+v", got)
	}
}
