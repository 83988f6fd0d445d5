package sqldb_test

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// mustOpenDB opens a new, empty database of the engine.
func mustOpenDB(tb testing.TB, engine string) *sqldb.DB {
	tb.Helper()
	return sqldbtest.Open(tb, engine)
}

func mustCreateDocument(tb testing.TB, db *sqldb.DB) *tinhso.Document {
	tb.Helper()
	d := &tinhso.Document{Slug: "kh-thu", Kind: "plan", Number: "1/KH-THU", Title: "Kế hoạch thử", Date: "2026-01"}
	if err := db.CreateDocument(context.Background(), d); err != nil {
		tb.Fatal(err)
	}
	return d
}

func mustCreateUnit(tb testing.TB, db *sqldb.DB, code, kind string) *tinhso.OrgUnit {
	tb.Helper()
	u := &tinhso.OrgUnit{Code: code, Name: "Đơn vị " + code, Kind: kind}
	if err := db.CreateOrgUnit(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
	return u
}

// Migrations are applied once and recorded; opening again applies nothing.
func TestMigrationsRecorded(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		cfg := sqldbtest.Config(t, engine)
		db, err := sqldb.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		first, _ := db.Migrations(ctx)
		db.Close()
		db, err = sqldb.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		second, _ := db.Migrations(ctx)
		if len(first) == 0 || len(first) != len(second) || first[0] != "0001_plan.sql" {
			t.Errorf("migrations: %v then %v", first, second)
		}
	})
}

func TestDocumentsCRUD(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := mustOpenDB(t, engine)
		now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		d := mustCreateDocument(t, db)
		if d.ID == 0 || d.Version != 1 || !d.CreatedAt.Equal(now) {
			t.Fatalf("created: %+v", d)
		}
		for _, ref := range []string{"kh-thu", "1/KH-THU", itoa(d.ID)} {
			got, err := db.FindDocument(ctx, ref)
			if err != nil || got.ID != d.ID || got.Title != "Kế hoạch thử" {
				t.Errorf("find %q: %v %+v", ref, err, got)
			}
		}
		if _, err := db.FindDocument(ctx, "nothing"); tinhso.ErrorCode(err) != tinhso.ENOTFOUND || tinhso.ErrorKey(err) != "err.document.not_found" {
			t.Errorf("missing document: %v", err)
		}
		// A driver's constraint error becomes a keyed conflict naming the record.
		dup := &tinhso.Document{Slug: "kh-thu", Kind: "plan", Title: "Trùng"}
		if err := db.CreateDocument(ctx, dup); tinhso.ErrorCode(err) != tinhso.ECONFLICT || tinhso.ErrorKey(err) != "err.db.exists" ||
			!reflect.DeepEqual(err.(*tinhso.Error).Args, tinhso.Args{tinhso.M("what.document_slug", "kh-thu")}) {
			t.Errorf("duplicate slug: %v", err)
		}
		d.Title = "Kế hoạch sửa"
		if err := db.UpdateDocument(ctx, d, 1); err != nil || d.Version != 2 {
			t.Fatalf("update: %v %+v", err, d)
		}
		d.Title = "Lần nữa"
		if err := db.UpdateDocument(ctx, d, 1); tinhso.ErrorCode(err) != tinhso.EPRECONDITION || tinhso.ErrorKey(err) != "err.db.changed" {
			t.Errorf("stale update: %v", err)
		}
		if err := db.DeleteDocument(ctx, d.ID, 0); err != nil {
			t.Errorf("delete: %v", err)
		}
	})
}

func TestTasksAndAgencies(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := mustOpenDB(t, engine)
		db.Now = func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
		d := mustCreateDocument(t, db)
		mustCreateUnit(t, db, "so-a", tinhso.KindDepartment)
		mustCreateUnit(t, db, "so-b", tinhso.KindDepartment)
		old := &tinhso.OrgUnit{Code: "so-cu", Name: "Sở cũ", Kind: tinhso.KindDepartment, Dissolved: "2025-03"}
		if err := db.CreateOrgUnit(ctx, old); err != nil {
			t.Fatal(err)
		}
		gone := &tinhso.OrgUnit{Code: "ubnd-huyen", Name: "UBND huyện", Kind: tinhso.KindDistrict, Dissolved: "2025-07-01"}
		if err := db.CreateOrgUnit(ctx, gone); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateSuccession(ctx, &tinhso.Succession{From: []string{"so-cu"}, To: []string{"so-a"}, Kind: "merge", Effective: "2025-03", Citation: "Quyết định thử"}); err != nil {
			t.Fatal(err)
		}
		tk := &tinhso.Task{Document: d.Slug, Number: "1", Title: "Nhiệm vụ", Lead: []tinhso.AgencyRef{{Code: "so-cu"}, {Code: "ubnd-huyen"}},
			Cooperating: []tinhso.AgencyRef{{Code: "so-b"}}, DeadlineText: "Tháng 7/2025"}
		if err := db.CreateTask(ctx, tk); err != nil {
			t.Fatal(err)
		}
		if tk.DueDate != "2025-07-31" || tk.Key != "kh-thu/t1" || len(tk.Lead) != 2 || len(tk.Cooperating) != 1 {
			t.Fatalf("task: %+v", tk)
		}
		if l := tk.Lead[0]; l.Exists || len(l.Successors) != 1 || l.Successors[0] != "so-a" {
			t.Errorf("dissolved lead with successor: %+v", l)
		}
		if l := tk.Lead[1]; l.Exists || len(l.Successors) != 0 {
			t.Errorf("dissolved lead without successor: %+v", l)
		}
		for _, c := range []struct {
			f    tinhso.TaskFilter
			want int
		}{
			{tinhso.TaskFilter{Lead: "so-cu"}, 1},
			{tinhso.TaskFilter{Lead: "so-b"}, 0}, // cooperating, not lead
			{tinhso.TaskFilter{DueBefore: "2025-07-31"}, 1},
			{tinhso.TaskFilter{DueBefore: "2025-07-30"}, 0},
			{tinhso.TaskFilter{DueAfter: "2025-08-01"}, 0},
			{tinhso.TaskFilter{Document: "1/KH-THU", Section: ""}, 1},
		} {
			_, n, err := db.FindTasks(ctx, c.f)
			if err != nil || n != c.want {
				t.Errorf("%+v: %d %v, want %d", c.f, n, err, c.want)
			}
		}
		// A unit others refer to cannot be deleted; the error lists the referrers.
		err := db.DeleteOrgUnit(ctx, old.ID, 0)
		var e *tinhso.Error
		if tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Fatalf("delete referenced unit: %v", err)
		} else if e = err.(*tinhso.Error); len(e.Items) == 0 || e.Key != "err.orgunit.referred" {
			t.Errorf("no referrers listed: %v", e)
		} else {
			for _, it := range e.Items {
				if !strings.HasPrefix(it.Key, "ref.") || len(it.Args) != 1 {
					t.Errorf("referrer %v: want a ref. key with the count", it)
				}
			}
		}
		// An unknown org unit in a write is refused, and nothing is stored.
		bad := &tinhso.Task{Document: d.Slug, Number: "2", Title: "x", Lead: []tinhso.AgencyRef{{Code: "khong-co"}}}
		if err := db.CreateTask(ctx, bad); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("unknown lead: %v", err)
		}
		if _, n, _ := db.FindTasks(ctx, tinhso.TaskFilter{}); n != 1 {
			t.Errorf("a refused task was stored: %d tasks", n)
		}
	})
}

// Import is all or nothing, and parents may come after their children.
func TestImportOrgUnits(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := mustOpenDB(t, engine)
		units := []*tinhso.OrgUnit{
			{Code: "xa-1", Name: "Xã Một", Kind: tinhso.KindCommune, ParentCode: "tinh"},
			{Code: "tinh", Name: "Tỉnh", Kind: tinhso.KindProvince},
		}
		created, updated, err := db.ImportOrgUnits(ctx, units, tinhso.OrgUnitImport{})
		if err != nil || created != 2 || updated != 0 {
			t.Fatalf("import: %d %d %v", created, updated, err)
		}
		u, _ := db.FindOrgUnit(ctx, "xa-1")
		if u.ParentCode != "tinh" {
			t.Errorf("parent: %q", u.ParentCode)
		}
		again := []*tinhso.OrgUnit{
			{Code: "xa-1", Name: "Xã Một (đổi tên)", Kind: tinhso.KindCommune, ParentCode: "tinh"},
			{Code: "xa-2", Name: "Xã Hai", Kind: tinhso.KindCommune, ParentCode: "khong-co"},
		}
		_, _, err = db.ImportOrgUnits(ctx, again, tinhso.OrgUnitImport{Update: true})
		if tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Fatalf("bad parent: %v", err)
		}
		// The error says which unit, and why: unit 2 (xa-2), no parent khong-co.
		if e := err.(*tinhso.Error); e.Key != "err.orgunit.import" || e.Field != "parent" || len(e.Args) != 3 || e.Args[0] != 2 || e.Args[1] != "xa-2" ||
			tinhso.ErrorKey(e.Args[2].(error)) != "err.orgunit.parent" {
			t.Errorf("bad parent: %s %s %v", e.Key, e.Field, e.Args)
		}
		u, _ = db.FindOrgUnit(ctx, "xa-1")
		if u.Name != "Xã Một" {
			t.Errorf("a failed import renamed xa-1 to %q", u.Name)
		}
		if _, err := db.FindOrgUnit(ctx, "xa-2"); err == nil {
			t.Errorf("a failed import created xa-2")
		}

		// A code that exists is refused unless updates are asked for (issue 9: an
		// import renamed Sở Nội vụ and made it a commune), naming the row and code.
		rename := []*tinhso.OrgUnit{
			{Code: "xa-3", Name: "Xã Ba", Kind: tinhso.KindCommune, ParentCode: "tinh"},
			{Code: "xa-1", Name: "Overwritten", Kind: tinhso.KindDistrict},
		}
		_, _, err = db.ImportOrgUnits(ctx, rename, tinhso.OrgUnitImport{FirstRow: 2})
		if e, ok := err.(*tinhso.Error); !ok || e.Code != tinhso.ECONFLICT || e.Key != "err.orgimport.exists" || e.Args[1] != 3 || e.Args[2] != "xa-1" || len(e.Items) != 1 {
			t.Fatalf("an existing code without update: %v", err)
		}
		if u, _ := db.FindOrgUnit(ctx, "xa-1"); u.Name != "Xã Một" || u.Kind != tinhso.KindCommune {
			t.Errorf("a refused import changed xa-1: %q %s", u.Name, u.Kind)
		}
		if _, err := db.FindOrgUnit(ctx, "xa-3"); err == nil {
			t.Errorf("a refused import created xa-3")
		}
		actx := tinhso.WithActor(ctx, tinhso.Actor{Username: "quan-tri", Address: "127.0.0.1"})
		created, updated, err = db.ImportOrgUnits(actx, rename, tinhso.OrgUnitImport{Update: true, FirstRow: 2})
		if err != nil || created != 1 || updated != 1 {
			t.Fatalf("import with update: %d %d %v", created, updated, err)
		}
		recs, _, err := db.FindAudit(ctx, tinhso.AuditFilter{Entity: "org_unit", EntityID: "xa-1", Page: tinhso.Page{Limit: 10}})
		if err != nil || len(recs) == 0 || recs[0].Action != "org_unit.update" ||
			!strings.Contains(string(recs[0].Before), `"Xã Một"`) || !strings.Contains(string(recs[0].After), `"Overwritten"`) ||
			!strings.Contains(string(recs[0].After), `"district"`) {
			t.Errorf("the update's audit record: %v %v", recs, err)
		}
	})
}

// Concurrent writers through the one write connection neither lose nor duplicate rows.
func TestConcurrentWrites(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		db := mustOpenDB(t, engine)
		d := mustCreateDocument(t, db)
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				errs <- db.CreateTask(ctx, &tinhso.Task{Document: d.Slug, Number: itoa(int64(i + 1)), Title: "Song song"})
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		if _, n, _ := db.FindTasks(ctx, tinhso.TaskFilter{}); n != 40 {
			t.Errorf("tasks: %d, want 40", n)
		}
		// Two updates from the same version: exactly one wins.
		tk, _ := db.FindTask(ctx, 1)
		results := make(chan error, 2)
		for i := 0; i < 2; i++ {
			go func(i int) {
				c := *tk
				c.Title = "Sửa " + itoa(int64(i))
				results <- db.UpdateTask(ctx, &c, tk.Version)
			}(i)
		}
		var ok, stale int
		for i := 0; i < 2; i++ {
			switch err := <-results; tinhso.ErrorCode(err) {
			case "":
				ok++
			case tinhso.EPRECONDITION:
				stale++
			default:
				t.Error(err)
			}
		}
		if ok != 1 || stale != 1 {
			t.Errorf("same-version updates: %d won, %d stale; want 1 and 1", ok, stale)
		}
	})
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
