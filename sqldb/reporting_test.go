package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// mustOpenPlan opens a database with the seed plan and a quarterly regime for 25/KH-UBND.
func mustOpenPlan(t *testing.T, engine string) *sqldb.DB {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.OpenSeeded(t, engine)
	db.Now = func() time.Time { return time.Date(2026, 4, 2, 3, 0, 0, 0, time.UTC) }
	if err := db.CreateRegime(ctx, &tinhso.Regime{Key: "kh25-quy", Name: "Báo cáo quý KH 25", Document: "25/KH-UBND", Receiver: "so-khoa-hoc-va-cong-nghe",
		Frequency: tinhso.FreqQuarterly, CutoffDay: 14, DeadlineDays: 10}); err != nil {
		t.Fatal(err)
	}
	return db
}

// resolveBlockers does what an admin does before Q1/2026 can open: the communes are
// loaded (synthetic here), and the three former city UBNDs get successors.
func resolveBlockers(t *testing.T, db *sqldb.DB) {
	t.Helper()
	ctx := context.Background()
	if _, _, err := db.ImportOrgUnits(ctx, []*tinhso.OrgUnit{
		{Code: "mau-phuong-1", Name: "Phường Mẫu Một (dữ liệu mẫu)", Kind: tinhso.KindCommune, ParentCode: "ubnd-tinh-thai-nguyen", Synthetic: true},
		{Code: "mau-xa-2", Name: "Xã Mẫu Hai (dữ liệu mẫu)", Kind: tinhso.KindCommune, ParentCode: "ubnd-tinh-thai-nguyen", Synthetic: true},
	}); err != nil {
		t.Fatal(err)
	}
	units, _, _ := db.FindOrgUnits(ctx, tinhso.OrgUnitFilter{Kind: tinhso.KindDistrict, Page: tinhso.Page{Limit: 100}})
	for _, u := range units {
		if err := db.CreateSuccession(ctx, &tinhso.Succession{From: []string{u.Code}, To: []string{"mau-phuong-1"}, Kind: "merge", Effective: "2025-07-01",
			Citation: "Nghị quyết sắp xếp đơn vị hành chính (ví dụ kiểm thử)"}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenPeriodBlockersThenSubmissions(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := mustOpenPlan(t, engine)
		plan, err := db.PlanPeriod(ctx, "kh25-quy", 2026, 1)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Period.DataFrom != "2025-12-15" || plan.Period.DataTo != "2026-03-14" || plan.Period.Due != "2026-03-24" || plan.Period.Label != "Q1/2026" {
			t.Errorf("period: %+v", plan.Period)
		}
		joined := strings.Join(plan.Blockers, "\n")
		if !strings.Contains(joined, "ubnd-cap-xa") || !strings.Contains(joined, "ubnd-thanh-pho") {
			t.Errorf("blockers should name the empty commune group and the gone city UBNDs:\n%s", joined)
		}
		if _, err := db.OpenPeriod(ctx, "kh25-quy", 2026, 1); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Fatalf("open with blockers: %v", err)
		}
		if ps, _ := db.FindPeriods(ctx, ""); len(ps) != 0 {
			t.Fatalf("a blocked open stored a period")
		}
		resolveBlockers(t, db)
		p, err := db.OpenPeriod(ctx, "kh25-quy", 2026, 1)
		if err != nil {
			t.Fatalf("%v\n%s", err, strings.Join(err.(*tinhso.Error).Details, "\n"))
		}
		subs, n, _ := db.FindSubmissions(ctx, tinhso.SubmissionFilter{Period: p.ID, Page: tinhso.Page{Limit: 1000}})
		if n < 20 {
			t.Fatalf("%d submissions", n)
		}
		var khcn *tinhso.Submission
		for _, s := range subs {
			if s.OrgUnit == "so-thong-tin-va-truyen-thong" {
				t.Errorf("the dissolved Sở TT&TT got a submission")
			}
			if s.OrgUnit == "so-khoa-hoc-va-cong-nghe" {
				khcn, _ = db.FindSubmission(ctx, s.ID)
			}
		}
		// Sở KH&CN reports its own tasks and those it inherited from Sở TT&TT.
		if khcn == nil || len(khcn.Tasks) < 40 || len(khcn.Indicators) < 10 {
			t.Fatalf("Sở KH&CN submission: %v", khcn)
		}
		if _, err := db.OpenPeriod(ctx, "kh25-quy", 2026, 1); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("opening twice: %v", err)
		}
	})
}

func TestSubmissionLifecycleFiguresAndAudit(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := tinhso.WithActor(context.Background(), tinhso.Actor{Username: "bao-cao", Address: "127.0.0.1"})
		db := mustOpenPlan(t, engine)
		resolveBlockers(t, db)
		p, err := db.OpenPeriod(ctx, "kh25-quy", 2026, 1)
		if err != nil {
			t.Fatal(err)
		}
		// Two departments report indicator 8.3 (a percentage the group of all departments reports).
		var ids []int64
		for _, unit := range []string{"so-tai-chinh", "so-noi-vu"} {
			subs, _, _ := db.FindSubmissions(ctx, tinhso.SubmissionFilter{Period: p.ID, OrgUnit: unit})
			if len(subs) != 1 {
				t.Fatalf("%s: %d submissions", unit, len(subs))
			}
			ids = append(ids, subs[0].ID)
		}
		num := func(f float64) *float64 { return &f }
		bad := []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/8.3", Number: num(101)}}
		if _, err := db.SaveSubmission(ctx, ids[0], bad, nil, 0); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("101%%: %v", err)
		}
		if _, err := db.SaveSubmission(ctx, ids[0], []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/8.3", Number: num(50), Unit: "người"}}, nil, 0); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("wrong unit: %v", err)
		}
		if _, err := db.SaveSubmission(ctx, ids[0], []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/14", Number: num(5)}}, nil, 0); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("an indicator the unit does not report: %v", err)
		}
		for i, v := range []float64{60, 80} {
			s, err := db.SaveSubmission(ctx, ids[i], []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/8.3", Number: num(v), Unit: "%"}}, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Transition(ctx, ids[i], tinhso.TransSubmit, "", s.Version); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.SaveSubmission(ctx, ids[0], nil, nil, 0); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("editing a submitted submission: %v", err)
		}
		if _, err := db.Transition(ctx, ids[0], tinhso.TransReturn, "", 0); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("return without reason: %v", err)
		}
		if _, err := db.Transition(ctx, ids[0], tinhso.TransReturn, "Số liệu 8.3 chưa khớp", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveSubmission(ctx, ids[0], []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/8.3", Number: num(70), Unit: "%"}}, nil, 0); err != nil {
			t.Fatal(err)
		}
		if s, err := db.Transition(ctx, ids[0], tinhso.TransSubmit, "", 0); err != nil || s.Resubmitted != 1 {
			t.Fatalf("resubmit: %v %+v", err, s)
		}
		for _, id := range ids {
			if _, err := db.Transition(ctx, id, tinhso.TransApprove, "", 0); err != nil {
				t.Fatal(err)
			}
		}
		figs, _ := db.FindFigures(ctx, p.ID)
		if len(figs) != 1 || figs[0].Value != 75 || figs[0].Count != 2 || len(figs[0].Submissions) != 2 {
			t.Fatalf("figures: %+v", figs)
		}
		if _, err := db.Transition(ctx, ids[0], tinhso.TransApprove, "", 0); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("approving twice: %v", err)
		}
		n, err := db.VerifyAudit(ctx)
		if err != nil || n < 10 {
			t.Fatalf("audit: %d records, %v", n, err)
		}
		recs, _, _ := db.FindAudit(ctx, tinhso.AuditFilter{Entity: "submission", EntityID: itoa(ids[0])})
		var actions []string
		for i := len(recs) - 1; i >= 0; i-- {
			actions = append(actions, recs[i].Action)
			if recs[i].Actor != "bao-cao" || recs[i].Address != "127.0.0.1" {
				t.Errorf("audit actor: %+v", recs[i])
			}
		}
		want := "submission.save submission.submit submission.return submission.save submission.submit submission.approve"
		if strings.Join(actions, " ") != want {
			t.Errorf("audit of submission %d:\n%s\nwant\n%s", ids[0], strings.Join(actions, " "), want)
		}
	})
}
