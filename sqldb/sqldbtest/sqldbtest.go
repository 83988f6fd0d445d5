// Package sqldbtest opens fresh databases for tests on every engine available: SQLite
// always, PostgreSQL when TINHSO_TEST_DATABASE_URL names a server tests may create
// databases on.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/tinhso/tinhso/sqldb"
)

// EnvURL is the variable that names the PostgreSQL server for tests.
const EnvURL = "TINHSO_TEST_DATABASE_URL"

// Engines lists the engines tests run on.
func Engines() []string {
	if os.Getenv(EnvURL) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Run runs f once per engine, as subtests named after the engine.
func Run(t *testing.T, f func(t *testing.T, engine string)) {
	for _, e := range Engines() {
		t.Run(e, func(t *testing.T) { f(t, e) })
	}
}

// Open opens a new, empty, migrated database of the engine, removed after the test.
func Open(tb testing.TB, engine string) *sqldb.DB {
	tb.Helper()
	cfg := Config(tb, engine)
	db, err := sqldb.Open(context.Background(), cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Config returns the configuration of a new, empty database of the engine: a file in a
// temporary folder, or a PostgreSQL database created for the test and dropped after it.
func Config(tb testing.TB, engine string) sqldb.Config {
	tb.Helper()
	if engine == "sqlite" {
		return sqldb.Config{Path: filepath.Join(tb.TempDir(), "tinhso.db")}
	}
	base := os.Getenv(EnvURL)
	if base == "" {
		tb.Skip(EnvURL + " is not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "tinhso_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return sqldb.Config{URL: u.String(), MaxConns: 8}
}
