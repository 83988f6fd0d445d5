package sqldb_test

import (
	"context"
	"database/sql"
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
