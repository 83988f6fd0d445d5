package sqldb_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// A record changed or removed behind tinhso's back breaks the chain, and verify says
// which.
func TestAuditTamperEvident(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		ctx := context.Background()
		cfg := sqldbtest.Config(t, engine)
		db, err := sqldb.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		mustCreateDocument(t, db)
		for i, key := range []string{"a", "b", "c", "d"} {
			if err := db.CreateRegime(ctx, &tinhso.Regime{Key: "r-" + key, Name: "Chế độ " + key, Document: "kh-thu", Frequency: tinhso.FreqYearly,
				CutoffDay: 14, DeadlineDays: i}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := db.VerifyAudit(ctx); err != nil || n != 4 {
			t.Fatalf("intact chain: %d %v", n, err)
		}
		raw := rawDB(t, engine, cfg)
		defer raw.Close()
		exec := func(q string) {
			if _, err := raw.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		exec(`UPDATE audit_log SET actor = 'ke-gian' WHERE seq = 2`)
		if _, err := db.VerifyAudit(ctx); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("changed record not caught: %v", err)
		}
		exec(`UPDATE audit_log SET actor = 'system' WHERE seq = 2`)
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Errorf("restored record: %v", err)
		}
		exec(`DELETE FROM audit_log WHERE seq = 3`)
		if _, err := db.VerifyAudit(ctx); tinhso.ErrorCode(err) != tinhso.ECONFLICT {
			t.Errorf("removed record not caught: %v", err)
		}
	})
}

func rawDB(t *testing.T, engine string, cfg sqldb.Config) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", "file:"+cfg.Path
	if engine == "postgres" {
		driver, dsn = "pgx", cfg.URL
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// Plan edits made by a person are audited with before and after; the system's (the
// seed load) are not.
func TestPlanEditsAudited(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		db := sqldbtest.Open(t, engine)
		ctx := tinhso.WithActor(context.Background(), tinhso.Actor{Username: "quan-tri", Address: "10.0.0.9"})
		mustCreateDocument(t, db) // as the system
		tk := &tinhso.Task{Document: "kh-thu", Number: "1", Title: "Trước"}
		if err := db.CreateTask(ctx, tk); err != nil {
			t.Fatal(err)
		}
		tk.Title = "Sau"
		if err := db.UpdateTask(ctx, tk, 0); err != nil {
			t.Fatal(err)
		}
		recs, n, _ := db.FindAudit(ctx, tinhso.AuditFilter{Entity: "task"})
		if n != 2 || recs[0].Action != "task.update" || recs[1].Action != "task.create" || recs[0].Actor != "quan-tri" || recs[0].Address != "10.0.0.9" {
			t.Fatalf("audit: %d %+v", n, recs)
		}
		if !strings.Contains(string(recs[0].Before), `"title":"Trước"`) || !strings.Contains(string(recs[0].After), `"title":"Sau"`) {
			t.Errorf("before/after: %s → %s", recs[0].Before, recs[0].After)
		}
		if _, n, _ := db.FindAudit(ctx, tinhso.AuditFilter{Entity: "document"}); n != 0 {
			t.Errorf("the system's document creation was audited")
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Error(err)
		}
	})
}
