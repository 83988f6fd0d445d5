package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/sqldb"
)

// mustPeriod makes an instance with one unit that reports monthly, T1/2026 open.
func mustPeriod(t *testing.T, dir string) *sqldb.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqldb.Open(ctx, sqldb.Config{Path: filepath.Join(dir, "tinhso.db")})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error {
			return db.CreateDocument(ctx, &tinhso.Document{Slug: "kh-thu", Kind: "plan", Title: "Kế hoạch thử"})
		},
		func() error {
			return db.CreateOrgUnit(ctx, &tinhso.OrgUnit{Code: "so-thu", Name: "Sở Thử", Kind: tinhso.KindDepartment})
		},
		func() error {
			return db.CreateTask(ctx, &tinhso.Task{Document: "kh-thu", Number: "1", Title: "Việc", Lead: []tinhso.AgencyRef{{Code: "so-thu"}}})
		},
		func() error {
			return db.CreateRegime(ctx, &tinhso.Regime{Key: "thang", Name: "Tháng", Document: "kh-thu", Frequency: tinhso.FreqMonthly, CutoffDay: 14, DeadlineDays: 5})
		},
		func() error { _, err := app.New(db, app.Options{}).OpenPeriod(ctx, "thang", 2026, 1); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// `tinhso audit verify` says intact, then names a record changed behind its back.
func TestAuditVerifyCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	mustPeriod(t, dir).Close()
	var out bytes.Buffer
	if err := run(ctx, []string{"audit", "verify", "--data", dir}, &out, &out); err != nil || !strings.Contains(out.String(), "audit log intact: 2 records") {
		t.Fatalf("verify: %v %s", err, out.String())
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "tinhso.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE audit_log SET after = '{}' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	err = run(ctx, []string{"audit", "verify", "--data", dir}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "record 2") {
		t.Errorf("tampered log: %v", err)
	}
}
