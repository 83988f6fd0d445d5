// Command tinhso runs the tinhso operations center: `tinhso serve` serves the web API
// from an embedded SQLite store loaded with the seed plan; `tinhso import org-units`
// loads org units from CSV. Settings come from flags, then TINHSO_* variables.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/blob"
	"github.com/tinhso/tinhso/credential"
	"github.com/tinhso/tinhso/inmem"
	"github.com/tinhso/tinhso/locale"
	"github.com/tinhso/tinhso/orgcsv"
	"github.com/tinhso/tinhso/seed"
	"github.com/tinhso/tinhso/server"
	"github.com/tinhso/tinhso/sqldb"
)

const usage = `tinhso — the operations center for a province's science, technology, innovation
and digital transformation programme.

Usage:
  tinhso serve [flags]                    serve the web API (loads the seed plan on first start)
  tinhso serve --demo [flags]             the same, with the synthetic demo history of seed/examples
  tinhso import org-units [flags] FILE    create org units from CSV (code,name,kind,parent); --update changes existing ones
  tinhso import history [flags] FILE      import indicator history (CSV or .xlsx: document,code,date,value,source)
  tinhso export [flags] [--out FILE]      write the whole instance as JSON (default: standard output)
  tinhso import [flags] FILE              load an export into an empty database, checking every row
  tinhso audit verify [flags]             check the audit log's hash chain (exit 1 when broken)
  tinhso help                             this text

The database is the SQLite file tinhso.db in --data, or PostgreSQL when --database-url
(TINHSO_DATABASE_URL) is a postgres:// URL.

Every flag can also be set by the TINHSO_* variable named in its help.
`

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "tinhso:", err)
		os.Exit(1)
	}
}

// config holds every setting; each has a flag and a TINHSO_* variable.
type config struct {
	Addr string
	// MQTTAddr is where the MQTT broker listens; empty: no broker.
	MQTTAddr     string
	Data         string
	LogLevel     string
	LogFormat    string
	MaxBodyBytes int64
	NoSeed       bool
	AdminToken   string
	// AdminPassword is the first admin's password (TINHSO_ADMIN_PASSWORD only: a flag
	// would show it in the process list).
	AdminPassword string
	SessionIdle   time.Duration
	SessionMax    time.Duration
	TrustProxy    bool
	DatabaseURL   string
	DBMaxConns    int
	// PublicURL is the address people reach tinhso at (for absolute links).
	PublicURL string
	// PublicBoard shows the operations board to anonymous visitors.
	PublicBoard bool
	// Reminders run every ReminderInterval; the first comes ReminderDays before a deadline.
	ReminderInterval time.Duration
	ReminderDays     int
	// UnknownSeries, when set, is stored as the unknown-series policy of ingest:
	// create or refuse.
	UnknownSeries string
}

// database is the storage configuration the settings name.
func (c *config) database() sqldb.Config {
	return sqldb.Config{URL: c.DatabaseURL, Path: filepath.Join(c.Data, "tinhso.db"), MaxConns: c.DBMaxConns}
}

// flags defines the settings on fs, with defaults from the environment.
func (c *config) flags(fs *flag.FlagSet, env func(string) string) {
	str := func(p *string, name, envName, def, help string) {
		if v := env(envName); v != "" {
			def = v
		}
		fs.StringVar(p, name, def, help+" ("+envName+")")
	}
	str(&c.Addr, "addr", "TINHSO_ADDR", ":8080", "address to listen on")
	mqttDef := ":1883"
	if v, ok := os.LookupEnv("TINHSO_MQTT_ADDR"); ok && env("TINHSO_MQTT_ADDR") == v {
		mqttDef = v // set, even empty: empty turns the broker off
	}
	fs.StringVar(&c.MQTTAddr, "mqtt-addr", mqttDef, "address of the MQTT broker (points on tinhso/series/{key}); empty turns it off (TINHSO_MQTT_ADDR)")
	str(&c.Data, "data", "TINHSO_DATA", "data", "data folder; the database is tinhso.db in it")
	str(&c.LogLevel, "log-level", "TINHSO_LOG_LEVEL", "info", "debug, info, warn or error")
	str(&c.LogFormat, "log-format", "TINHSO_LOG_FORMAT", "text", "text or json")
	str(&c.PublicURL, "public-url", "TINHSO_PUBLIC_URL", "", "the address people reach tinhso at, e.g. https://ioc.thainguyen.gov.vn (links in the open-data catalogue); empty: relative links")
	str(&c.UnknownSeries, "unknown-series", "TINHSO_UNKNOWN_SERIES", "", "what ingest does with points of a series the registry does not hold: create (register it) or refuse (the whole batch); stored as the setting ingest.unknown_series; empty: keep the stored one (create when none)")
	str(&c.DatabaseURL, "database-url", "TINHSO_DATABASE_URL", "", "postgres:// URL of a PostgreSQL database; empty: the SQLite file in --data")
	maxConns := 10
	if v, err := strconv.Atoi(env("TINHSO_DB_MAX_CONNS")); err == nil && v > 0 {
		maxConns = v
	}
	fs.IntVar(&c.DBMaxConns, "db-max-conns", maxConns, "most PostgreSQL connections this node opens (TINHSO_DB_MAX_CONNS)")
	interval := 15 * time.Minute
	if v, err := time.ParseDuration(env("TINHSO_REMINDER_INTERVAL")); err == nil {
		interval = v
	}
	fs.DurationVar(&c.ReminderInterval, "reminder-interval", interval, "how often reminders are checked; 0 turns them off (TINHSO_REMINDER_INTERVAL)")
	days := 3
	if v, err := strconv.Atoi(env("TINHSO_REMINDER_DAYS")); err == nil && v >= 0 {
		days = v
	}
	fs.IntVar(&c.ReminderDays, "reminder-days", days, "days before a deadline the first reminder goes (TINHSO_REMINDER_DAYS)")
	maxBody := int64(1 << 20)
	if v, err := strconv.ParseInt(env("TINHSO_MAX_BODY_BYTES"), 10, 64); err == nil && v > 0 {
		maxBody = v
	}
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", maxBody, "largest request body accepted (TINHSO_MAX_BODY_BYTES)")
	noSeed := env("TINHSO_NO_SEED") == "1" || env("TINHSO_NO_SEED") == "true"
	fs.BoolVar(&c.NoSeed, "no-seed", noSeed, "do not load the seed plan into an empty database (TINHSO_NO_SEED)")
	c.AdminToken = env("TINHSO_ADMIN_TOKEN")
	c.AdminPassword = env("TINHSO_ADMIN_PASSWORD")
	dur := func(p *time.Duration, name, envName string, def time.Duration, help string) {
		if v, err := time.ParseDuration(env(envName)); err == nil && v > 0 {
			def = v
		}
		fs.DurationVar(p, name, def, help+" ("+envName+")")
	}
	dur(&c.SessionIdle, "session-idle", "TINHSO_SESSION_IDLE", app.DefaultSignInPolicy.SessionIdle, "end a session unused for this long")
	dur(&c.SessionMax, "session-max", "TINHSO_SESSION_MAX", app.DefaultSignInPolicy.SessionMax, "end every session this long after sign-in")
	publicBoard := env("TINHSO_PUBLIC_BOARD") == "1" || env("TINHSO_PUBLIC_BOARD") == "true"
	fs.BoolVar(&c.PublicBoard, "public-board", publicBoard, "show the operations board to anonymous visitors; off: it needs sign-in, the portal stays public (TINHSO_PUBLIC_BOARD)")
	trust := env("TINHSO_TRUST_PROXY") == "1" || env("TINHSO_TRUST_PROXY") == "true"
	fs.BoolVar(&c.TrustProxy, "trust-proxy", trust, "believe X-Forwarded-Proto and X-Forwarded-For from a reverse proxy (TINHSO_TRUST_PROXY)")
}

func newFlagSet() *flag.FlagSet { return flag.NewFlagSet("tinhso", flag.ContinueOnError) }

// parseConfig reads the settings from args and the environment; extra adds a command's
// own flags.
func parseConfig(args []string, stderr io.Writer, extra func(*flag.FlagSet)) (config, *flag.FlagSet, error) {
	var c config
	fs := newFlagSet()
	fs.SetOutput(stderr)
	c.flags(fs, os.Getenv)
	if extra != nil {
		extra(fs)
	}
	err := fs.Parse(args)
	return c, fs, err
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		args = []string{"serve"}
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], stdout, stderr)
	case "import":
		if len(args) >= 2 && args[1] == "org-units" {
			return importOrgUnits(ctx, args[2:], stdout, stderr)
		}
		if len(args) >= 2 && args[1] == "history" {
			return importHistory(ctx, args[2:], stdout, stderr)
		}
		return importDump(ctx, args[1:], stdout, stderr)
	case "export":
		return exportDump(ctx, args[1:], stdout, stderr)
	case "audit":
		if len(args) < 2 || args[1] != "verify" {
			return errors.New("usage: tinhso audit verify [flags]")
		}
		return auditVerify(ctx, args[2:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", args[0], usage)
}

func newLogger(c *config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var demo *bool
	c, _, err := parseConfig(args, stderr, func(fs *flag.FlagSet) {
		demo = fs.Bool("demo", false, "also load the synthetic demo data (seed/examples/history-demo.csv); pages say the figures are synthetic")
	})
	if err != nil {
		return err
	}
	log, err := newLogger(&c, stderr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	db, err := sqldb.Open(ctx, c.database())
	if err != nil {
		return err
	}
	defer db.Close()
	if db.Engine() == "sqlite" {
		log.Info("database open", "engine", "sqlite", "path", c.database().Path)
	} else {
		log.Info("database open", "engine", "postgres", "max_conns", c.DBMaxConns)
	}

	if !c.NoSeed {
		loaded, err := seed.Load(ctx, db)
		if err != nil {
			return fmt.Errorf("load seed data: %w", err)
		}
		if loaded {
			log.Info("seed data loaded", "set", seed.Name)
		}
		if loaded, err := seed.LoadHistory(ctx, db); err != nil {
			return fmt.Errorf("load seed history: %w", err)
		} else if loaded {
			log.Info("seed history loaded", "set", seed.HistoryName)
		}
	}
	hash, err := adminTokenHash(ctx, db, c.AdminToken, stdout)
	if err != nil {
		return err
	}
	alerts := alertOptions(c, log)
	uc := newAppWith(c, db, log, alerts)
	if err := ensureAdmin(ctx, uc, c.AdminPassword, stdout); err != nil {
		return err
	}
	if !c.NoSeed {
		if loaded, err := seed.LoadTemplates(ctx, db, uc); err != nil {
			return fmt.Errorf("load assessment templates: %w", err)
		} else if loaded {
			log.Info("assessment templates loaded", "set", seed.TemplatesName)
		}
	}
	if *demo {
		if c.NoSeed {
			return errors.New("--demo needs the seed plan (drop --no-seed)")
		}
		if loaded, err := seed.LoadDemo(ctx, db, uc); err != nil {
			return fmt.Errorf("load demo data: %w", err)
		} else if loaded {
			log.Info("demo data loaded (synthetic)", "set", seed.DemoName)
		}
	}

	if err := storeUnknownSeries(ctx, db, c.UnknownSeries); err != nil {
		return err
	}
	srv, err := newServer(c, uc, hash, log)
	if err != nil {
		return err
	}
	live, err := srv.StartLive(ctx, server.LiveOptions{MQTTAddr: c.MQTTAddr})
	if err != nil {
		return err
	}
	defer live.Close()
	if live.MQTT != nil {
		log.Info("mqtt listening", "addr", live.MQTT.Addr().String())
	}
	if *demo {
		if err := seed.EnsureDemoSensors(ctx, db, uc); err != nil {
			return fmt.Errorf("demo sensors: %w", err)
		}
		go seed.RunDemoSensors(ctx, 2*time.Second, live.PublishValue)
		log.Info("demo sensors publishing (synthetic)", "series", len(seed.DemoSensors))
	}
	go sweepSessions(ctx, uc, log)
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	log.Info("listening", "addr", ln.Addr().String())
	go scheduleReminders(ctx, uc, log, c.ReminderInterval, c.ReminderDays)
	go scheduleAlerts(ctx, uc, log, alerts.Kick)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	// Nothing comes in any more: the writer finishes what the bus holds.
	if err := live.Close(); err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}

// adminTokenHash returns the hash of the bootstrap admin token, an API token of the
// account "admin" with every scope, for scripts: TINHSO_ADMIN_TOKEN when set (its hash
// is stored), else the one stored by an earlier start, else none.
func adminTokenHash(ctx context.Context, db *sqldb.DB, token string, stdout io.Writer) (string, error) {
	if token != "" {
		if len(token) < 16 {
			return "", errors.New("TINHSO_ADMIN_TOKEN must be at least 16 characters long")
		}
		h := credential.HashToken(token)
		return h, db.SetSetting(ctx, "admin_token_sha256", h)
	}
	h, _, err := db.Setting(ctx, "admin_token_sha256")
	return h, err
}

// storeUnknownSeries stores the unknown-series policy of --unknown-series, when given.
func storeUnknownSeries(ctx context.Context, db *sqldb.DB, policy string) error {
	switch policy {
	case "":
		return nil
	case tinhso.UnknownSeriesCreate, tinhso.UnknownSeriesRefuse:
		return db.SetSetting(ctx, tinhso.SettingUnknownSeries, policy)
	}
	return fmt.Errorf("--unknown-series must be create or refuse, not %q", policy)
}

// ensureAdmin creates the account "admin" when there is no account (app.EnsureAdmin):
// with the password of TINHSO_ADMIN_PASSWORD, or a one-time password printed once.
func ensureAdmin(ctx context.Context, a *app.App, password string, stdout io.Writer) error {
	created, oneTime, err := a.EnsureAdmin(ctx, password)
	if err != nil {
		if tinhso.ErrorCode(err) == tinhso.EINVALID {
			return fmt.Errorf("TINHSO_ADMIN_PASSWORD: %s", errText(err))
		}
		return err
	}
	switch {
	case !created:
	case oneTime != "":
		fmt.Fprintf(stdout, "\nAdmin account created: username admin, one-time password (shown once; change it at first sign-in): %s\n\n", oneTime)
	default:
		fmt.Fprintf(stdout, "\nAdmin account created: username admin, with the password of TINHSO_ADMIN_PASSWORD (change it at first sign-in).\n\n")
	}
	return nil
}

func importOrgUnits(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var update bool
	c, fs, err := parseConfig(args, stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&update, "update", false, "update the org units whose code exists (without it, such a row refuses the import)")
	})
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: tinhso import org-units [flags] FILE.csv")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	units, err := orgcsv.Read(f)
	if err != nil {
		return fmt.Errorf("%s: %s", fs.Arg(0), errText(err))
	}
	db, err := sqldb.Open(ctx, c.database())
	if err != nil {
		return err
	}
	defer db.Close()
	if !c.NoSeed {
		if _, err := seed.Load(ctx, db); err != nil {
			return fmt.Errorf("load seed data: %w", err)
		}
	}
	created, updated, err := db.ImportOrgUnits(ctx, units, tinhso.OrgUnitImport{Update: update, FirstRow: 2})
	if err != nil {
		return fmt.Errorf("%s: %s", fs.Arg(0), strings.TrimSpace(errText(err)))
	}
	fmt.Fprintf(stdout, "%d org units created, %d updated\n", created, updated)
	return nil
}

// importHistory imports indicator history from CSV or .xlsx, all rows or none.
func importHistory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var synthetic *bool
	c, fs, err := parseConfig(args, stderr, func(fs *flag.FlagSet) {
		synthetic = fs.Bool("synthetic", false, "mark the figures synthetic (demo data); pages say so")
	})
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: tinhso import history [flags] FILE.csv|FILE.xlsx")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := sqldb.Open(ctx, c.database())
	if err != nil {
		return err
	}
	defer db.Close()
	if !c.NoSeed {
		if _, err := seed.Load(ctx, db); err != nil {
			return fmt.Errorf("load seed data: %w", err)
		}
	}
	log, _ := newLogger(&c, stderr)
	out, err := newApp(c, db, log).ImportHistory(tinhso.WithActor(ctx, tinhso.Actor{Username: "cli"}), f, app.HistoryFormatOf(fs.Arg(0)), *synthetic)
	if err != nil {
		msg := errText(err)
		for _, d := range locale.For(locale.EN).Items(err) {
			msg += "\n  " + d
		}
		return fmt.Errorf("%s: %s", fs.Arg(0), msg)
	}
	fmt.Fprintf(stdout, "%d history figures imported for %d indicators\n", out.Rows, len(out.Indicators))
	return nil
}

func exportDump(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var out *string
	c, _, err := parseConfig(args, stderr, func(fs *flag.FlagSet) {
		out = fs.String("out", "", "file to write (default: standard output)")
	})
	if err != nil {
		return err
	}
	if c.DatabaseURL == "" {
		if _, err := os.Stat(c.database().Path); err != nil {
			return fmt.Errorf("no database at %s: %w", c.database().Path, err)
		}
	}
	db, err := sqldb.Open(ctx, c.database())
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := db.Export(ctx)
	if err != nil {
		return err
	}
	if *out == "" {
		return sqldb.WriteDump(stdout, d)
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	if err := sqldb.WriteDump(f, d); err != nil {
		f.Close()
		return err
	}
	rows := 0
	for _, t := range d.Tables {
		rows += len(t.Rows)
	}
	fmt.Fprintf(stderr, "exported %d tables, %d rows to %s\n", len(d.Tables), rows, *out)
	return f.Close()
}

func importDump(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, fs, err := parseConfig(args, stderr, nil)
	if err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: tinhso import [flags] FILE (an export), or tinhso import org-units [flags] FILE.csv")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	d, err := sqldb.ReadDump(f)
	if err != nil {
		return fmt.Errorf("%s: %w", fs.Arg(0), err)
	}
	db, err := sqldb.Open(ctx, c.database())
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Import(ctx, d); err != nil {
		if tinhso.ErrorCode(err) != tinhso.EINTERNAL {
			return errors.New(errText(err))
		}
		return err
	}
	rows := 0
	for _, t := range d.Tables {
		rows += len(t.Rows)
	}
	fmt.Fprintf(stdout, "imported %d tables, %d rows; every row read back equal\n", len(d.Tables), rows)
	return nil
}

// newApp wires the use-cases: storage, the sign-in policy of the settings, and the
// in-process throttle, proposal quota and event bus.
func newApp(c config, db *sqldb.DB, log *slog.Logger) *app.App {
	return newAppWith(c, db, log, alertOptions(c, log))
}

// newAppWith is newApp with the alerts' delivery wired already.
func newAppWith(c config, db *sqldb.DB, log *slog.Logger, alerts app.AlertOptions) *app.App {
	policy := app.DefaultSignInPolicy
	policy.SessionIdle, policy.SessionMax = c.SessionIdle, c.SessionMax
	return app.New(db, app.Options{Events: &inmem.Bus{Log: log}, Throttle: inmem.NewThrottle(), Quota: inmem.NewQuota(), Log: log, SignIn: policy,
		Alerts: alerts})
}

// newServer wires the web server: the use-cases, the evidence store in the data
// folder, and the settings.
func newServer(c config, a *app.App, adminTokenHash string, log *slog.Logger) (*server.Server, error) {
	blobs, err := blob.NewFolder(filepath.Join(c.Data, "blobs"))
	if err != nil {
		return nil, fmt.Errorf("evidence folder: %w", err)
	}
	srv, err := server.New(a, adminTokenHash, blobs, log)
	if err != nil {
		return nil, err
	}
	srv.Config.MaxBodyBytes = c.MaxBodyBytes
	srv.Config.PublicURL = c.PublicURL
	srv.Config.TrustProxy = c.TrustProxy
	srv.Config.PublicBoard = c.PublicBoard
	return srv, nil
}

// errText is an application error in English, for the command line (an internal
// error as the generic message: its own text is logged where it happened).
func errText(err error) string { return locale.For(locale.EN).Error(err) }
