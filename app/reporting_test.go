package app_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/inmem"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// world is the use-cases over a database with the seed plan and a quarterly regime
// for 25/KH-UBND, and the events they publish.
type world struct {
	*app.App
	db     *sqldb.DB
	mu     sync.Mutex
	events []tinhso.Event
}

func (w *world) kinds() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, e := range w.events {
		out = append(out, e.Kind+" "+e.ID)
	}
	return strings.Join(out, ", ")
}

// mustOpenPlan opens a database with the seed plan and a quarterly regime for 25/KH-UBND.
func mustOpenPlan(t *testing.T, engine string) *world {
	t.Helper()
	ctx := context.Background()
	db := sqldbtest.OpenSeeded(t, engine)
	db.Now = func() time.Time { return time.Date(2026, 4, 2, 3, 0, 0, 0, time.UTC) }
	if err := db.CreateRegime(ctx, &tinhso.Regime{Key: "kh25-quy", Name: "Báo cáo quý KH 25", Document: "25/KH-UBND", Receiver: "so-khoa-hoc-va-cong-nghe",
		Frequency: tinhso.FreqQuarterly, CutoffDay: 14, DeadlineDays: 10}); err != nil {
		t.Fatal(err)
	}
	w := &world{db: db}
	bus := &inmem.Bus{}
	bus.Subscribe(func(_ context.Context, e tinhso.Event) {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.events = append(w.events, e)
	})
	w.App = app.New(db, app.Options{Events: bus})
	return w
}

// resolveBlockers does what an admin does before Q1/2026 can open: the communes are
// loaded (synthetic here), and the three former city UBNDs get successors.
func resolveBlockers(t *testing.T, w *world) {
	db := w.db
	t.Helper()
	ctx := context.Background()
	if _, _, err := db.ImportOrgUnits(ctx, []*tinhso.OrgUnit{
		{Code: "mau-phuong-1", Name: "Phường Mẫu Một (dữ liệu mẫu)", Kind: tinhso.KindCommune, ParentCode: "ubnd-tinh-thai-nguyen", Synthetic: true},
		{Code: "mau-xa-2", Name: "Xã Mẫu Hai (dữ liệu mẫu)", Kind: tinhso.KindCommune, ParentCode: "ubnd-tinh-thai-nguyen", Synthetic: true},
	}, tinhso.OrgUnitImport{}); err != nil {
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
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		w := mustOpenPlan(t, engine)
		db := w.db
		plan, err := w.PlanPeriod(ctx, "kh25-quy", 2026, 1)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Period.DataFrom != "2025-12-15" || plan.Period.DataTo != "2026-03-14" || plan.Period.Due != "2026-03-24" || plan.Period.Label != "Q1/2026" {
			t.Errorf("period: %+v", plan.Period)
		}
		var blockers []string
		for _, b := range plan.Blockers {
			blockers = append(blockers, b.String())
		}
		joined := strings.Join(blockers, "\n")
		if !strings.Contains(joined, "ubnd-cap-xa") || !strings.Contains(joined, "ubnd-thanh-pho") {
			t.Errorf("blockers should name the empty commune group and the gone city UBNDs:\n%s", joined)
		}
		if _, err := w.OpenPeriod(ctx, "kh25-quy", 2026, 1); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Fatalf("open with blockers: %v", err)
		}
		if ps, _ := db.FindPeriods(ctx, ""); len(ps) != 0 {
			t.Fatalf("a blocked open stored a period")
		}
		resolveBlockers(t, w)
		p, err := w.OpenPeriod(ctx, "kh25-quy", 2026, 1)
		if err != nil {
			t.Fatalf("%v\n%v", err, err.(*tinhso.Error).Items)
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
		if _, err := w.OpenPeriod(ctx, "kh25-quy", 2026, 1); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("opening twice: %v", err)
		}
		if got := w.kinds(); got != "period.opened "+itoa(p.ID) {
			t.Errorf("events: %s", got)
		}
	})
}

func TestSubmissionLifecycleFiguresAndAudit(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := tinhso.WithActor(context.Background(), tinhso.Actor{Username: "bao-cao", Address: "127.0.0.1"})
		w := mustOpenPlan(t, engine)
		db := w.db
		resolveBlockers(t, w)
		p, err := w.OpenPeriod(ctx, "kh25-quy", 2026, 1)
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
		if _, err := w.SaveSubmission(ctx, ids[0], bad, nil, 0); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("101%%: %v", err)
		}
		if _, err := w.SaveSubmission(ctx, ids[0], []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/8.3", Number: num(50), Unit: "người"}}, nil, 0); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("wrong unit: %v", err)
		}
		if _, err := w.SaveSubmission(ctx, ids[0], []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/14", Number: num(5)}}, nil, 0); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("an indicator the unit does not report: %v", err)
		}
		for i, v := range []float64{60, 80} {
			s, err := w.SaveSubmission(ctx, ids[i], []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/8.3", Number: num(v), Unit: "%"}}, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Transition(ctx, ids[i], tinhso.TransSubmit, "", s.Version); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.SaveSubmission(ctx, ids[0], nil, nil, 0); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("editing a submitted submission: %v", err)
		}
		if _, err := w.Transition(ctx, ids[0], tinhso.TransReturn, "", 0); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("return without reason: %v", err)
		}
		if _, err := w.Transition(ctx, ids[0], tinhso.TransReturn, "Số liệu 8.3 chưa khớp", 0); err != nil {
			t.Fatal(err)
		}
		if _, err := w.SaveSubmission(ctx, ids[0], []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/8.3", Number: num(70), Unit: "%"}}, nil, 0); err != nil {
			t.Fatal(err)
		}
		if s, err := w.Transition(ctx, ids[0], tinhso.TransSubmit, "", 0); err != nil || s.Resubmitted != 1 {
			t.Fatalf("resubmit: %v %+v", err, s)
		}
		for _, id := range ids {
			if _, err := w.Transition(ctx, id, tinhso.TransApprove, "", 0); err != nil {
				t.Fatal(err)
			}
		}
		figs, _ := db.FindFigures(ctx, p.ID)
		if len(figs) != 1 || figs[0].Value != 75 || figs[0].Count != 2 || len(figs[0].Submissions) != 2 {
			t.Fatalf("figures: %+v", figs)
		}
		if _, err := w.Transition(ctx, ids[0], tinhso.TransApprove, "", 0); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
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
		// What happened is published once committed, refusals not.
		a, b := itoa(ids[0]), itoa(ids[1])
		wantEvents := "period.opened " + itoa(p.ID) + ", submission.submitted " + a + ", submission.submitted " + b + ", submission.returned " + a +
			", submission.submitted " + a + ", submission.approved " + a + ", submission.approved " + b
		if got := w.kinds(); got != wantEvents {
			t.Errorf("events:\n%s\nwant\n%s", got, wantEvents)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A weighted mean weighs each unit's number by the weight it reports with it: 60 % of
// 1,000 and 80 % of 3,000 make 75 %, where the plain mean would say 70 %.
func TestWeightedMeanFigures(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := tinhso.WithActor(context.Background(), tinhso.Actor{Username: "bao-cao", Address: "127.0.0.1"})
		w := mustOpenPlan(t, engine)
		db := w.db
		ind, _, err := db.FindIndicators(ctx, tinhso.IndicatorFilter{Key: "25-kh-ubnd/8.3", Page: tinhso.Page{Limit: 1}})
		if err != nil || len(ind) != 1 {
			t.Fatalf("indicator 8.3: %v", err)
		}
		ind[0].Aggregation = "weighted_mean"
		if err := db.UpdateIndicator(ctx, ind[0], 0); err != nil {
			t.Fatal(err)
		}
		resolveBlockers(t, w)
		p, err := w.OpenPeriod(ctx, "kh25-quy", 2026, 1)
		if err != nil {
			t.Fatal(err)
		}
		num := func(f float64) *float64 { return &f }
		for _, c := range []struct {
			unit          string
			value, weight float64
		}{{"so-tai-chinh", 60, 1000}, {"so-noi-vu", 80, 3000}} {
			subs, _, _ := db.FindSubmissions(ctx, tinhso.SubmissionFilter{Period: p.ID, OrgUnit: c.unit})
			if len(subs) != 1 {
				t.Fatalf("%s: %d submissions", c.unit, len(subs))
			}
			id := subs[0].ID
			// A draft may hold the number before its weight; submitting may not.
			if _, err := w.SaveSubmission(ctx, id, []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/8.3", Number: num(c.value)}}, nil, 0); err != nil {
				t.Errorf("%s: a draft with a weighted mean's number before its weight: %v", c.unit, err)
			}
			if _, err := w.Transition(ctx, id, tinhso.TransSubmit, "", 0); tinhso.ErrorCode(err) != tinhso.EINVALID {
				t.Errorf("%s: submitting a weighted mean's number without its weight: %v", c.unit, err)
			}
			s, err := w.SaveSubmission(ctx, id, []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/8.3", Number: num(c.value), Weight: num(c.weight)}}, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Values) != 1 || s.Values[0].Weight == nil || *s.Values[0].Weight != c.weight {
				t.Fatalf("%s: stored values %+v", c.unit, s.Values)
			}
			if _, err := w.Transition(ctx, id, tinhso.TransSubmit, "", 0); err != nil {
				t.Fatal(err)
			}
			if _, err := w.Transition(ctx, id, tinhso.TransApprove, "", 0); err != nil {
				t.Fatal(err)
			}
		}
		figs, _ := db.FindFigures(ctx, p.ID)
		if len(figs) != 1 || figs[0].Value != 75 || figs[0].Aggregation != "weighted_mean" || figs[0].Count != 2 {
			t.Fatalf("figures: %+v", figs)
		}
	})
}

// The review queue holds every submitted report with what it holds, read in one batch,
// oldest first; a closed period freezes its submissions.
func TestReviewQueueAndClose(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := tinhso.WithActor(context.Background(), tinhso.Actor{Username: "bao-cao", Address: "127.0.0.1"})
		w := mustOpenPlan(t, engine)
		db := w.db
		resolveBlockers(t, w)
		p, err := w.OpenPeriod(ctx, "kh25-quy", 2026, 1)
		if err != nil {
			t.Fatal(err)
		}
		num := func(f float64) *float64 { return &f }
		var ids []int64
		for i, unit := range []string{"so-noi-vu", "so-tai-chinh"} {
			subs, _, _ := db.FindSubmissions(ctx, tinhso.SubmissionFilter{Period: p.ID, OrgUnit: unit})
			id := subs[0].ID
			ids = append(ids, id)
			db.Now = func() time.Time { return time.Date(2026, 4, 2+i, 3, 0, 0, 0, time.UTC) }
			if _, err := w.SaveSubmission(ctx, id, []tinhso.IndicatorValue{{Indicator: "25-kh-ubnd/8.3", Number: num(50 + float64(i)), Unit: "%"}}, nil, 0); err != nil {
				t.Fatal(err)
			}
			if _, err := w.Transition(ctx, id, tinhso.TransSubmit, "", 0); err != nil {
				t.Fatal(err)
			}
		}
		q, err := w.ReviewQueue(ctx, "2026-04-10")
		if err != nil || len(q) != 2 {
			t.Fatalf("queue: %d rows, %v", len(q), err)
		}
		for i, row := range q {
			if row.S.ID != ids[i] || len(row.S.Values) != 1 || row.P == nil || row.P.ID != p.ID || row.Punct != "late" {
				t.Errorf("queue row %d: %+v %+v %s", i, row.S, row.P, row.Punct)
			}
		}
		if _, err := w.ClosePeriod(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := w.ClosePeriod(ctx, p.ID); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("closing twice: %v", err)
		}
		if _, err := w.Transition(ctx, ids[0], tinhso.TransApprove, "", 0); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("approving in a closed period: %v", err)
		}
	})
}
