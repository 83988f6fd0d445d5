package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// proposalFixture is a database with one document, two problems (one open, one
// closed) and accounts of each kind that matters to proposals.
type proposalFixture struct {
	db                                   *sqldb.DB
	open, closed                         *tinhso.Problem
	company, unverified, reporter, other *tinhso.User
}

func mustProposalFixture(t *testing.T, engine string) *proposalFixture {
	t.Helper()
	ctx := context.Background()
	db := mustOpenDB(t, engine)
	db.Now = func() time.Time { return time.Date(2026, 5, 4, 2, 0, 0, 0, time.UTC) }
	doc := mustCreateDocument(t, db)
	f := &proposalFixture{db: db}
	f.open = &tinhso.Problem{Document: doc.Slug, Province: "Thái Nguyên", Number: 1, Title: "Bài toán giao thông thông minh"}
	f.closed = &tinhso.Problem{Document: doc.Slug, Province: "Lạng Sơn", Number: 2, Title: "Bài toán đã đóng", Status: "closed"}
	for _, p := range []*tinhso.Problem{f.open, f.closed} {
		if err := db.CreateProblem(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	mustCreateUnit(t, db, "so-a", tinhso.KindDepartment)
	f.company = &tinhso.User{Username: "cong-ty-a", Name: "Công ty Cổ phần A", Email: "lienhe@a.vn", Role: tinhso.RoleBusiness, Verified: true}
	f.other = &tinhso.User{Username: "cong-ty-b", Name: "Công ty B", Role: tinhso.RoleBusiness, Verified: true}
	f.unverified = &tinhso.User{Username: "cong-ty-moi", Name: "Công ty Mới", Role: tinhso.RoleBusiness}
	f.reporter = &tinhso.User{Username: "so-a.bc", Name: "Cán bộ", Role: tinhso.RoleReporter, OrgUnit: "so-a"}
	for _, u := range []*tinhso.User{f.company, f.other, f.unverified, f.reporter} {
		if err := db.CreateUser(ctx, u, ""); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *proposalFixture) proposal(u *tinhso.User, pr *tinhso.Problem) *tinhso.Proposal {
	return &tinhso.Proposal{Problem: pr.ID, UserID: u.ID, Company: u.Name, Title: "Nền tảng điều khiển đèn tín hiệu",
		Summary: "Dùng camera và AI để điều khiển đèn theo lưu lượng.", Approach: "Giai đoạn 1: thí điểm 10 nút giao.\nGiai đoạn 2: mở rộng.",
		ContactEmail: "lienhe@a.vn"}
}

func auditCount(t *testing.T, db *sqldb.DB) int {
	t.Helper()
	_, n, err := db.FindAudit(context.Background(), tinhso.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A verified company proposes; a moderator publishes or rejects with a reason; the first
// publication opens the problem for proposals; every change is audited.
func TestProposalLifecycle(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		f := mustProposalFixture(t, engine)
		db := f.db
		// Moderation is a use-case over the store's proposal transaction.
		mod := app.New(db, app.Options{})
		company := tinhso.WithActor(context.Background(), tinhso.Actor{Username: f.company.Username, Address: "203.0.113.5"})
		reviewer := tinhso.WithActor(context.Background(), tinhso.Actor{Username: "tham-dinh", Address: "10.0.0.2"})

		x := f.proposal(f.company, f.open)
		x.Title = `<script>alert("x")</script> Giải pháp "A" & B`
		if err := db.CreateProposal(company, x); err != nil {
			t.Fatal(err)
		}
		if x.ID == 0 || x.Status != tinhso.ProposalSubmitted || x.Version != 1 || x.ProblemKey != f.open.Key || x.SubmittedBy != "cong-ty-a" ||
			x.Title != `<script>alert("x")</script> Giải pháp "A" & B` || !x.CreatedAt.Equal(db.Now()) {
			t.Fatalf("created: %+v", x)
		}
		second := f.proposal(f.other, f.open)
		if err := db.CreateProposal(company, second); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindProposal(company, x.ID)
		if err != nil || got.Approach != x.Approach || got.ContactEmail != "lienhe@a.vn" || got.Company != "Công ty Cổ phần A" {
			t.Fatalf("read back: %+v %v", got, err)
		}
		recs, _, _ := db.FindAudit(company, tinhso.AuditFilter{Entity: "proposal", EntityID: itoa(x.ID)})
		if len(recs) != 1 || recs[0].Action != "proposal.create" || recs[0].Actor != "cong-ty-a" || recs[0].Address != "203.0.113.5" ||
			!strings.Contains(string(recs[0].After), "Giải pháp") {
			t.Errorf("audit of the creation: %+v", recs)
		}

		// Lists: by problem, by status, and what a company may see.
		if list, n, _ := db.FindProposals(company, tinhso.ProposalFilter{Problem: f.open.ID}); n != 2 || len(list) != 2 || list[0].ID != x.ID {
			t.Errorf("by problem: %d", n)
		}
		if _, n, _ := db.FindProposals(company, tinhso.ProposalFilter{Status: tinhso.ProposalPublished}); n != 0 {
			t.Errorf("published before moderation: %d", n)
		}
		if list, n, _ := db.FindProposals(company, tinhso.ProposalFilter{Problem: f.open.ID, Viewer: f.company.ID}); n != 1 || list[0].ID != x.ID {
			t.Errorf("a company sees its own unpublished proposal and no other: %d", n)
		}

		// Rejecting needs a reason; a stale version and a wrong transition are refused.
		n0 := auditCount(t, db)
		if _, err := mod.ModerateProposal(reviewer, x.ID, tinhso.TransReject, "  ", 0); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("reject without a reason: %v", err)
		}
		if _, err := mod.ModerateProposal(reviewer, x.ID, tinhso.TransPublish, "", 7); tinhso.ErrorCode(err) != tinhso.EPRECONDITION {
			t.Errorf("stale version: %v", err)
		}
		if _, err := mod.ModerateProposal(reviewer, x.ID, "approve", "", 0); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("unknown transition: %v", err)
		}
		if _, err := mod.ModerateProposal(reviewer, 99999, tinhso.TransPublish, "", 0); tinhso.ErrorCode(err) != tinhso.ENOTFOUND {
			t.Errorf("unknown proposal: %v", err)
		}
		if n := auditCount(t, db); n != n0 {
			t.Errorf("refused moderation wrote %d audit records", n-n0)
		}
		if got, _ := db.FindProposal(company, x.ID); got.Status != tinhso.ProposalSubmitted || got.Version != 1 {
			t.Errorf("refused moderation changed the proposal: %+v", got)
		}

		// Publishing the first proposal moves the open problem to "proposals".
		pub, err := mod.ModerateProposal(reviewer, x.ID, tinhso.TransPublish, "ignored", 1)
		if err != nil {
			t.Fatal(err)
		}
		if pub.Status != tinhso.ProposalPublished || pub.Version != 2 || pub.ModeratedBy != "tham-dinh" || pub.ModeratedAt == nil || pub.RejectReason != "" {
			t.Errorf("published: %+v", pub)
		}
		pr, _ := db.FindProblem(company, f.open.ID)
		if pr.Status != "proposals" || pr.Version != f.open.Version+1 {
			t.Errorf("problem after the first publication: %s v%d", pr.Status, pr.Version)
		}
		recs, _, _ = db.FindAudit(company, tinhso.AuditFilter{Entity: "problem", EntityID: itoa(f.open.ID)})
		if len(recs) != 1 || recs[0].Action != "problem.status" || recs[0].Actor != "tham-dinh" {
			t.Errorf("audit of the problem's status: %+v", recs)
		}
		if _, err := mod.ModerateProposal(reviewer, x.ID, tinhso.TransPublish, "", 0); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("publishing twice: %v", err)
		}
		// The second publication leaves the problem alone.
		if _, err := mod.ModerateProposal(reviewer, second.ID, tinhso.TransPublish, "", 0); err != nil {
			t.Fatal(err)
		}
		if pr2, _ := db.FindProblem(company, f.open.ID); pr2.Version != pr.Version {
			t.Errorf("a second publication touched the problem")
		}
		// A published proposal can be taken down, with a reason.
		rej, err := mod.ModerateProposal(reviewer, second.ID, tinhso.TransReject, "Trùng lặp với đề xuất khác.", 0)
		if err != nil || rej.Status != tinhso.ProposalRejected || rej.RejectReason != "Trùng lặp với đề xuất khác." {
			t.Fatalf("reject: %+v %v", rej, err)
		}
		if list, n, _ := db.FindProposals(company, tinhso.ProposalFilter{Problem: f.open.ID, Status: tinhso.ProposalPublished}); n != 1 || list[0].ID != x.ID {
			t.Errorf("published after a take-down: %d", n)
		}
		recs, _, _ = db.FindAudit(company, tinhso.AuditFilter{Entity: "proposal", EntityID: itoa(second.ID)})
		if len(recs) != 3 || recs[0].Action != "proposal.reject" || !strings.Contains(string(recs[0].After), "Trùng lặp") {
			t.Errorf("audit of the rejection: %+v", recs)
		}
		if n, err := db.VerifyAudit(company); err != nil || n == 0 {
			t.Errorf("audit chain: %d %v", n, err)
		}
	})
}

// Refused proposals (unverified company, other roles, closed or unknown problem, bad
// text) store nothing and write no audit record.
func TestProposalRefusals(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		f := mustProposalFixture(t, engine)
		db := f.db
		ctx := context.Background()
		long := func(n int) string { return strings.Repeat("ă", n) }
		cases := []struct {
			name  string
			edit  func(x *tinhso.Proposal)
			code  string
			field string
		}{
			{"unverified company", func(x *tinhso.Proposal) { x.UserID = f.unverified.ID }, tinhso.EFORBIDDEN, ""},
			{"a reporter", func(x *tinhso.Proposal) { x.UserID = f.reporter.ID }, tinhso.EFORBIDDEN, ""},
			{"unknown user", func(x *tinhso.Proposal) { x.UserID = 99999 }, tinhso.ENOTFOUND, ""},
			{"closed problem", func(x *tinhso.Proposal) { x.Problem = f.closed.ID }, tinhso.ECONFLICT, ""},
			{"unknown problem", func(x *tinhso.Proposal) { x.Problem = 99999 }, tinhso.ENOTFOUND, ""},
			{"no problem", func(x *tinhso.Proposal) { x.Problem = 0 }, tinhso.EINVALID, "problem_id"},
			{"huge title", func(x *tinhso.Proposal) { x.Title = long(tinhso.MaxProposalTitle + 1) }, tinhso.EINVALID, "title"},
			{"huge summary", func(x *tinhso.Proposal) { x.Summary = long(tinhso.MaxProposalSummary + 1) }, tinhso.EINVALID, "summary"},
			{"huge approach", func(x *tinhso.Proposal) { x.Approach = long(tinhso.MaxProposalApproach + 1) }, tinhso.EINVALID, "approach"},
			{"no title", func(x *tinhso.Proposal) { x.Title = " \n" }, tinhso.EINVALID, "title"},
			{"two-line title", func(x *tinhso.Proposal) { x.Title = "a\nb" }, tinhso.EINVALID, "title"},
			{"no summary", func(x *tinhso.Proposal) { x.Summary = "" }, tinhso.EINVALID, "summary"},
			{"invalid UTF-8", func(x *tinhso.Proposal) { x.Summary = "Gi\xffi pháp" }, tinhso.EINVALID, "summary"},
			{"NUL", func(x *tinhso.Proposal) { x.Approach = "a\x00b" }, tinhso.EINVALID, "approach"},
			{"not an email", func(x *tinhso.Proposal) { x.ContactEmail = "lienhe at a.vn" }, tinhso.EINVALID, "contact_email"},
			{"email with markup", func(x *tinhso.Proposal) { x.ContactEmail = "<a@b.vn>" }, tinhso.EINVALID, "contact_email"},
		}
		n0 := auditCount(t, db)
		for _, c := range cases {
			x := f.proposal(f.company, f.open)
			c.edit(x)
			err := db.CreateProposal(ctx, x)
			if tinhso.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %s", c.name, err, c.code)
				continue
			}
			if e, ok := err.(*tinhso.Error); c.field != "" && (!ok || e.Field != c.field) {
				t.Errorf("%s: field %q, want %q", c.name, e.Field, c.field)
			}
		}
		if _, n, _ := db.FindProposals(ctx, tinhso.ProposalFilter{}); n != 0 {
			t.Errorf("refused proposals stored %d rows", n)
		}
		if n := auditCount(t, db); n != n0 {
			t.Errorf("refused proposals wrote %d audit records", n-n0)
		}
	})
}

// Proposals move with an export and import, on every engine.
func TestProposalsExported(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		f := mustProposalFixture(t, engine)
		x := f.proposal(f.company, f.open)
		if err := f.db.CreateProposal(context.Background(), x); err != nil {
			t.Fatal(err)
		}
		dump := mustExport(t, f.db)
		if !strings.Contains(string(dump), `"name": "proposals"`) || !strings.Contains(string(dump), "Nền tảng điều khiển") {
			t.Fatalf("the dump holds no proposals")
		}
		dst := sqldbtest.Open(t, engine)
		mustImport(t, dst, dump)
		got, err := dst.FindProposal(context.Background(), x.ID)
		if err != nil || got.Title != x.Title || got.Company != x.Company || !got.CreatedAt.Equal(x.CreatedAt) {
			t.Errorf("after import: %+v %v", got, err)
		}
	})
}
