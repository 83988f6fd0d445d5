// Package sqldb stores tinhso's data in SQLite (embedded, the default) or PostgreSQL,
// through one adapter with portable SQL. Migrations are embedded, numbered and recorded.
package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/tinhso/tinhso"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL through pgx
	_ "modernc.org/sqlite"             // the pure-Go SQLite driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is the storage adapter. SQLite gets a pool of readers and one writer, so writes
// never wait on SQLITE_BUSY.
type DB struct {
	read, write *sql.DB
	dialect     dialect
	// Now is the clock of every write; tests set it.
	Now func() time.Time
	// series is the live-data state: key cache, heads to fold (series.go).
	series seriesState
}

// OpenSQLite opens (creating when missing) the SQLite database at path with WAL,
// foreign keys and a busy timeout, and applies pending migrations.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create data folder: %w", err)
		}
	}
	// A page of 16 KB (it takes effect when the file is created) keeps time-series
	// blocks and head chunks inline and writes a quarter of the WAL frames a 4 KB page
	// would; the writer's page cache of 64 MB holds the hot pages of ingest.
	pragmas := "_pragma=page_size(16384)&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	write, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=cache_size(-65536)&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(4)
	read.SetMaxIdleConns(2)
	db := &DB{read: read, write: write, dialect: dialectSQLite, Now: time.Now}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	return db, nil
}

// Config says which database to open.
type Config struct {
	// URL is a postgres:// URL; empty means the SQLite file at Path.
	URL  string
	Path string
	// MaxConns bounds PostgreSQL's connection pool (default 10).
	MaxConns int
}

// Open opens the database the config names and applies pending migrations.
func Open(ctx context.Context, c Config) (*DB, error) {
	if c.URL == "" {
		return OpenSQLite(ctx, c.Path)
	}
	if !strings.HasPrefix(c.URL, "postgres://") && !strings.HasPrefix(c.URL, "postgresql://") {
		return nil, fmt.Errorf("database URL must start with postgres:// (got %q)", redact(c.URL))
	}
	return OpenPostgres(ctx, c.URL, c.MaxConns)
}

// OpenPostgres opens a PostgreSQL database through pgx with a pool of at most maxConns
// connections, and applies pending migrations.
func OpenPostgres(ctx context.Context, url string, maxConns int) (*DB, error) {
	if maxConns <= 0 {
		maxConns = 10
	}
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact(url), err)
	}
	pool.SetMaxOpenConns(maxConns)
	pool.SetMaxIdleConns(min(maxConns, 4))
	pool.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := pool.PingContext(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to %s: %w", redact(url), err)
	}
	db := &DB{read: pool, write: pool, dialect: dialectPostgres, Now: time.Now}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s: %w", redact(url), err)
	}
	return db, nil
}

// redact hides the password of a database URL in messages.
func redact(url string) string {
	if at := strings.LastIndex(url, "@"); at > 0 {
		if scheme := strings.Index(url, "://"); scheme > 0 && scheme < at {
			creds := url[scheme+3 : at]
			if user, _, ok := strings.Cut(creds, ":"); ok {
				return url[:scheme+3] + user + ":***" + url[at:]
			}
		}
	}
	return url
}

// Engine names the database engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return string(db.dialect) }

// Close closes the database.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		if e := db.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var n int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&n)
}

// migrate applies the embedded migrations not yet recorded, each in its own
// transaction, on one connection that holds a lock against other nodes migrating.
func (db *DB) migrate(ctx context.Context) error {
	if err := db.migrateSchema(ctx); err != nil {
		return err
	}
	return db.fillReadKeys(ctx)
}

func (db *DB) migrateSchema(ctx context.Context) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if db.dialect == dialectPostgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext('tinhso-migrate'))`); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(hashtext('tinhso-migrate'))`)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		var version int
		if _, err := fmt.Sscanf(base, "%04d_", &version); err != nil {
			return fmt.Errorf("migration %s: name must start with a 4-digit number", base)
		}
		var n int
		if err := conn.QueryRowContext(ctx, db.dialect.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n); err != nil {
			return err
		} else if n > 0 {
			continue
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return err
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for _, stmt := range splitStatements(db.dialect.ddl(string(body))) {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				tx.Rollback()
				return fmt.Errorf("migration %s: %w", base, err)
			}
		}
		if _, err := tx.ExecContext(ctx, db.dialect.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
			version, base, db.Now().UTC().Format(time.RFC3339)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// splitStatements splits a migration on semicolons that end a line; comments go.
func splitStatements(body string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "--") || t == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// Migrations lists the applied migrations, oldest first.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Tx is a transaction with its dialect and the time it started at.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
	// audits wait for the end of the transaction, then go into the audit log in it.
	audits []pendingAudit
}

type pendingAudit struct {
	action, entity, id string
	before, after      any
}

// audit notes a change made by a person (not the system: the seed load and migrations
// are not audited) for the audit log, written when the transaction ends.
func (tx *Tx) audit(ctx context.Context, action, entity, id string, before, after any) {
	if tinhso.ActorFrom(ctx).Username == "system" {
		return
	}
	// Marshalled now: the caller may change the records after noting them.
	tx.audits = append(tx.audits, pendingAudit{action, entity, id, rawJSON(before), rawJSON(after)})
}

// finish writes the noted audit records and commits.
func (tx *Tx) finish(ctx context.Context) error {
	for _, a := range tx.audits {
		if err := appendAudit(ctx, tx, a.action, a.entity, a.id, a.before, a.after); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

type txKey struct{}

// InTx runs fn in one write transaction: every store call made with the context fn gets
// joins it, and it commits only if fn returns nil.
func (db *DB) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := ctx.Value(txKey{}).(*Tx); ok {
		return fn(ctx)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	if err := fn(context.WithValue(ctx, txKey{}, tx)); err != nil {
		tx.Rollback()
		return err
	}
	return tx.finish(ctx)
}

// Lock takes a named lock for the rest of the context's transaction (see InTx), so that
// nodes sharing a PostgreSQL database do one-time work once.
func (db *DB) Lock(ctx context.Context, name string) error {
	tx, ok := ctx.Value(txKey{}).(*Tx)
	if !ok {
		return fmt.Errorf("lock %s: no transaction in context", name)
	}
	return db.dialect.lock(ctx, tx, name)
}

// writeTx runs fn in the context's transaction or a new write transaction.
func (db *DB) writeTx(ctx context.Context, fn func(tx *Tx) error) error {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok {
		return fn(tx)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.finish(ctx)
}

// readTx runs fn in the context's transaction or a new read-only one, so a list and its
// count see the same snapshot.
func (db *DB) readTx(ctx context.Context, fn func(tx *Tx) error) error {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok {
		return fn(tx)
	}
	stx, err := db.read.BeginTx(ctx, db.dialect.readOptions())
	if err != nil {
		return err
	}
	defer stx.Rollback()
	return fn(&Tx{Tx: stx, db: db, now: db.Now().UTC()})
}

func (db *DB) beginWrite(ctx context.Context) (*Tx, error) {
	stx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &Tx{Tx: stx, db: db, now: db.Now().UTC()}, nil
}

func (tx *Tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.ExecContext(ctx, tx.db.dialect.rebind(q), args...)
}

func (tx *Tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.QueryContext(ctx, tx.db.dialect.rebind(q), args...)
}

func (tx *Tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.QueryRowContext(ctx, tx.db.dialect.rebind(q), args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (tx *Tx) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, q+" RETURNING id", args...).Scan(&id)
	return id, err
}

// timeFormat is how times are stored: text both engines sort and compare alike.
const timeFormat = time.RFC3339Nano

func (tx *Tx) stamp() string { return tx.now.Format(timeFormat) }

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
