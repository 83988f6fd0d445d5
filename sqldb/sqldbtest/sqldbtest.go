// Package sqldbtest opens databases for tests on every engine available: SQLite
// always, PostgreSQL when TINHSO_TEST_DATABASE_URL names a server tests may create
// databases on.
//
// Most tests want the seed plan loaded. Loading it takes about half a second on SQLite
// and more on PostgreSQL, so OpenSeeded does it once per engine and test binary, into a
// template, and gives each test a copy: a file copy on SQLite, CREATE DATABASE …
// TEMPLATE on PostgreSQL. A test binary that uses OpenSeeded runs its tests through
// Main, which removes the templates at the end:
//
//	func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) }
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/seed"
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

// Run runs f once per engine, as parallel subtests named after the engine (f must not
// use t.Setenv or other process-wide state).
func Run(t *testing.T, f func(t *testing.T, engine string)) {
	for _, e := range Engines() {
		t.Run(e, func(t *testing.T) {
			t.Parallel()
			f(t, e)
		})
	}
}

// RunSerial is Run for tests that change process-wide state: the engines one after
// the other.
func RunSerial(t *testing.T, f func(t *testing.T, engine string)) {
	for _, e := range Engines() {
		t.Run(e, func(t *testing.T) { f(t, e) })
	}
}

// Open opens a new, empty, migrated database of the engine, removed after the test.
func Open(tb testing.TB, engine string) *sqldb.DB {
	tb.Helper()
	return mustOpen(tb, Config(tb, engine))
}

// OpenSeeded opens a new database of the engine holding the seed plan (a copy of the
// binary's template), removed after the test.
func OpenSeeded(tb testing.TB, engine string) *sqldb.DB {
	tb.Helper()
	return mustOpen(tb, SeededConfig(tb, engine))
}

func mustOpen(tb testing.TB, cfg sqldb.Config) *sqldb.DB {
	tb.Helper()
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
	return newPostgres(tb, "")
}

// SeededConfig is Config for a database that holds the seed plan already.
func SeededConfig(tb testing.TB, engine string) sqldb.Config {
	tb.Helper()
	if !mainRuns.Load() {
		tb.Fatal("sqldbtest: seeded databases need the test binary to run through sqldbtest.Main (func TestMain(m *testing.M) { os.Exit(sqldbtest.Main(m)) })")
	}
	tmpl, err := template(engine)
	if err != nil {
		tb.Fatalf("seeded %s template: %v", engine, err)
	}
	if engine == "sqlite" {
		path := filepath.Join(tb.TempDir(), "tinhso.db")
		if err := copyFile(tmpl, path); err != nil {
			tb.Fatal(err)
		}
		return sqldb.Config{Path: path}
	}
	return newPostgres(tb, tmpl)
}

// mainRuns is set while Main runs the tests.
var mainRuns atomic.Bool

// Main runs a test binary's tests (m.Run) and then removes the seeded templates made
// for them; it returns the exit code. Unless -test.parallel is given, it lets at least
// four parallel tests run at once however few the cores: they spend much of their time
// waiting on the database and on HTTP round trips.
func Main(m *testing.M) int {
	flag.Parse()
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if n := max(4, 2*runtime.GOMAXPROCS(0)); !given {
		flag.Set("test.parallel", strconv.Itoa(n))
	}
	mainRuns.Store(true)
	code := m.Run()
	mainRuns.Store(false)
	removeTemplates()
	return code
}

// templates are the seeded templates of this binary, made on first use: a file path
// for SQLite, a database name for PostgreSQL.
var templates struct {
	sync.Mutex
	made map[string]*templateOnce
	dir  string   // the SQLite template's folder
	pg   []string // the PostgreSQL templates' names
}

type templateOnce struct {
	once sync.Once
	ref  string
	err  error
}

func template(engine string) (string, error) {
	templates.Lock()
	if templates.made == nil {
		templates.made = map[string]*templateOnce{}
	}
	t, ok := templates.made[engine]
	if !ok {
		t = &templateOnce{}
		templates.made[engine] = t
	}
	templates.Unlock()
	t.once.Do(func() { t.ref, t.err = makeTemplate(engine) })
	return t.ref, t.err
}

func makeTemplate(engine string) (string, error) {
	ctx := context.Background()
	if engine == "sqlite" {
		dir, err := os.MkdirTemp("", "tinhso-template-")
		if err != nil {
			return "", err
		}
		templates.Lock()
		templates.dir = dir
		templates.Unlock()
		path := filepath.Join(dir, "tinhso.db")
		db, err := sqldb.Open(ctx, sqldb.Config{Path: path})
		if err != nil {
			return "", err
		}
		if _, err := seed.Load(ctx, db); err != nil {
			db.Close()
			return "", err
		}
		if _, err := seed.LoadTemplates(ctx, db, app.New(db, app.Options{})); err != nil {
			db.Close()
			return "", err
		}
		if err := db.Close(); err != nil {
			return "", err
		}
		// The copies are of the main file alone: everything must be in it, none in a
		// write-ahead log.
		if err := checkpoint(path); err != nil {
			return "", err
		}
		return path, nil
	}
	base := os.Getenv(EnvURL)
	if base == "" {
		return "", fmt.Errorf("%s is not set", EnvURL)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	dropStaleTemplates(admin)
	name := fmt.Sprintf("tinhso_tmpl_%d_%s", time.Now().Unix(), randomHex(4))
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		return "", err
	}
	templates.Lock()
	templates.pg = append(templates.pg, name)
	templates.Unlock()
	db, err := sqldb.Open(ctx, sqldb.Config{URL: dbURL(base, name), MaxConns: 4})
	if err != nil {
		return "", err
	}
	if _, err := seed.Load(ctx, db); err != nil {
		db.Close()
		return "", err
	}
	if _, err := seed.LoadTemplates(ctx, db, app.New(db, app.Options{})); err != nil {
		db.Close()
		return "", err
	}
	// CREATE DATABASE … TEMPLATE needs nobody connected to the template.
	if err := db.Close(); err != nil {
		return "", err
	}
	return name, nil
}

// checkpoint moves a SQLite file's write-ahead log into the file.
func checkpoint(path string) error {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// dropStaleTemplates removes templates that test binaries killed before the end left
// behind (their names carry the time they were made).
func dropStaleTemplates(admin *sql.DB) {
	rows, err := admin.Query(`SELECT datname FROM pg_database WHERE datname LIKE 'tinhso_tmpl_%'`)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) != nil {
			continue
		}
		parts := strings.Split(name, "_")
		if len(parts) != 4 {
			continue
		}
		if at, err := strconv.ParseInt(parts[2], 10, 64); err == nil && time.Since(time.Unix(at, 0)) > 6*time.Hour {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	}
}

func removeTemplates() {
	templates.Lock()
	defer templates.Unlock()
	if templates.dir != "" {
		os.RemoveAll(templates.dir)
	}
	names := templates.pg
	if len(names) == 0 {
		return
	}
	admin, err := sql.Open("pgx", os.Getenv(EnvURL))
	if err != nil {
		return
	}
	defer admin.Close()
	for _, name := range names {
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	}
}

// newPostgres creates a database for the test (a copy of template, when given) and
// drops it after the test.
func newPostgres(tb testing.TB, template string) sqldb.Config {
	tb.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		tb.Skip(EnvURL + " is not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	name := "tinhso_test_" + randomHex(6)
	stmt := `CREATE DATABASE ` + name
	if template != "" {
		stmt += ` TEMPLATE ` + template
	}
	if _, err := admin.Exec(stmt); err != nil {
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
	return sqldb.Config{URL: dbURL(base, name), MaxConns: 8}
}

func dbURL(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
