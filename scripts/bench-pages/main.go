// Command bench-pages measures what every page and JSON list costs as the plan grows:
// it loads the seed plan and a plan grown 100× (documents, org units, indicators,
// tasks, measures, funding, big problems, successions, and quarterly reporting with
// submissions, most approved, so that figures exist), on SQLite and on PostgreSQL,
// and prints each page's and list's server time (median and p95 over -runs requests
// through the HTTP handler) and response size at each scale against the targets:
// every page under 100 ms and the board under 200 KB at 100×, JSON lists of 50 under
// 10 ms. Then it starts the tinhso binary on the grown database and has -clients
// clients (1,000 by default) open the board and the task list at once over loopback,
// and prints the server's peak resident memory (target: under 256 MiB) and the errors
// (target: none). Not run in CI:
//
//	go run ./scripts/bench-pages                        # SQLite, and PostgreSQL when $TINHSO_TEST_DATABASE_URL is set
//	go run ./scripts/bench-pages -pg postgres://…       # PostgreSQL at that server (it creates databases there)
//	go run ./scripts/bench-pages -engines sqlite -scales 1,100 -runs 20 -clients 1000
//
// The grown databases take many minutes to build (each submission goes through the
// workflow); they are kept in -dir (SQLite files) and as databases named
// bench_pages_<scale> (PostgreSQL), stamped with the data set, and reused by later
// runs (-fresh builds them again). An empty PostgreSQL database is filled from the
// SQLite one of the same scale when there is one (-pg-from-sqlite, on by default).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/blob"
	"github.com/tinhso/tinhso/credential"
	"github.com/tinhso/tinhso/inmem"
	"github.com/tinhso/tinhso/seed"
	"github.com/tinhso/tinhso/server"
	"github.com/tinhso/tinhso/sqldb"
)

// dataVersion stamps a grown database: a change of what growing makes changes it, so
// that an older database is built again.
const dataVersion = "bench-pages-v1"

const (
	benchUser     = "bench-admin"
	benchPassword = "Bench-pages-2026!"
	adminToken    = "bench-pages-admin-token-0123456789"
)

type options struct {
	engines  []string
	scales   []int
	runs     int
	clients  int
	rounds   int
	pg       string
	dir      string
	fresh    bool
	only     string
	copy     bool
	viaStore bool
	cpuProf  string
	dump     string
	memLimit string
	logLevel string
}

func main() {
	var o options
	engines := flag.String("engines", "", "engines to measure, comma-separated (default: sqlite, and postgres when -pg is set)")
	scales := flag.String("scales", "1,100", "plan sizes, comma-separated, as multiples of the seed")
	flag.IntVar(&o.runs, "runs", 20, "requests per page and scale (median and p95 over them), after one that warms caches; 0: one request only")
	flag.IntVar(&o.clients, "clients", 1000, "concurrent clients of the load run on the largest scale (0: none)")
	flag.IntVar(&o.rounds, "rounds", 1, "board + task list requests per client in the load run")
	flag.StringVar(&o.pg, "pg", os.Getenv("TINHSO_TEST_DATABASE_URL"), "PostgreSQL server URL where databases may be created (default $TINHSO_TEST_DATABASE_URL)")
	flag.StringVar(&o.dir, "dir", filepath.Join(os.TempDir(), "tinhso-bench-pages"), "folder of the SQLite databases and the built binary")
	flag.BoolVar(&o.fresh, "fresh", false, "build the grown databases again even when a stamped one exists")
	flag.StringVar(&o.only, "only", "", "measure only the pages whose name contains this")
	flag.BoolVar(&o.viaStore, "via-store", false, "grow the plan through the store, record by record (slow), rather than in SQL")
	flag.BoolVar(&o.copy, "pg-from-sqlite", true, "fill an empty PostgreSQL database from the SQLite one of the same scale when there is one (tinhso's dump and import: the same rows, much faster than growing again)")
	flag.StringVar(&o.cpuProf, "cpuprofile", "", "write a CPU profile of the measured requests at the largest scale to this file (one per engine: the engine's name is added)")
	flag.StringVar(&o.dump, "dump", "", "write each measured page's body at the largest scale into this folder")
	flag.StringVar(&o.memLimit, "gomemlimit", "200MiB", "GOMEMLIMIT of the server in the load run (\"\": Go's default, none)")
	flag.StringVar(&o.logLevel, "log-level", "info", "the server's log level in the load run (debug: every request with its time, into load-ENGINE.log)")
	flag.Parse()
	o.engines = []string{"sqlite"}
	if o.pg != "" {
		o.engines = append(o.engines, "postgres")
	}
	if *engines != "" {
		o.engines = strings.Split(*engines, ",")
	}
	for _, s := range strings.Split(*scales, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fatal(fmt.Errorf("-scales: %q is not a positive number", s))
		}
		o.scales = append(o.scales, n)
	}
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		fatal(err)
	}
	if err := run(context.Background(), o); err != nil {
		fatal(err)
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench-pages:", err)
	os.Exit(1)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}

// result is one page measured at one scale on one engine.
type result struct {
	status        int
	median, p95   time.Duration
	size          int
	kind          string // page, list
	limit         time.Duration
	sizeLimit     int
	failedMessage string
}

func run(ctx context.Context, o options) error {
	results := map[string]map[string]map[int]result{} // engine → page → scale
	var order []string
	var loads []string
	for _, engine := range o.engines {
		results[engine] = map[string]map[int]result{}
		for i, scale := range o.scales {
			cfg, err := databaseFor(ctx, o, engine, scale)
			if err != nil {
				return err
			}
			if err := ensureGrown(ctx, o, cfg, scale); err != nil {
				return fmt.Errorf("%s ×%d: %w", engine, scale, err)
			}
			pages, err := measure(ctx, o, cfg, engine, scale)
			if err != nil {
				return fmt.Errorf("%s ×%d: %w", engine, scale, err)
			}
			for _, p := range pages {
				if results[engine][p.name] == nil {
					results[engine][p.name] = map[int]result{}
					if !slices.Contains(order, p.name) {
						order = append(order, p.name)
					}
				}
				results[engine][p.name][scale] = p.result
			}
			if i == len(o.scales)-1 && o.clients > 0 {
				line, err := loadRun(ctx, o, cfg, engine, scale)
				if err != nil {
					return fmt.Errorf("%s ×%d load: %w", engine, scale, err)
				}
				loads = append(loads, line)
				fmt.Println(line)
			}
		}
	}
	printTable(o, results, order)
	for _, l := range loads {
		fmt.Println(l)
	}
	return nil
}

func printTable(o options, results map[string]map[string]map[int]result, order []string) {
	big := o.scales[len(o.scales)-1]
	fmt.Printf("\n%-52s %-8s", "page", "engine")
	for _, s := range o.scales {
		fmt.Printf(" %10s %10s %9s", fmt.Sprintf("×%d med", s), fmt.Sprintf("×%d p95", s), fmt.Sprintf("×%d KB", s))
	}
	fmt.Printf("  %s\n", "target at ×"+strconv.Itoa(big))
	fails := 0
	for _, name := range order {
		for _, engine := range o.engines {
			rs, ok := results[engine][name]
			if !ok {
				continue
			}
			fmt.Printf("%-52s %-8s", name, engine)
			for _, s := range o.scales {
				r := rs[s]
				if r.status != 200 {
					fmt.Printf(" %32s", fmt.Sprintf("status %d", r.status))
					continue
				}
				fmt.Printf(" %10s %10s %9.1f", ms(r.median), ms(r.p95), float64(r.size)/1024)
			}
			r := rs[big]
			verdict := "ok"
			switch {
			case r.status != 200:
				verdict = "FAIL status " + strconv.Itoa(r.status)
			case r.median > r.limit:
				verdict = "FAIL over " + ms(r.limit)
			case r.sizeLimit > 0 && r.size > r.sizeLimit:
				verdict = fmt.Sprintf("FAIL over %d KB", r.sizeLimit/1024)
			}
			if verdict != "ok" {
				fails++
			}
			fmt.Printf("  %s\n", verdict)
		}
	}
	fmt.Printf("\n%d of the measurements miss their target\n", fails)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

// databaseFor names the database of an engine and scale.
func databaseFor(ctx context.Context, o options, engine string, scale int) (sqldb.Config, error) {
	switch engine {
	case "sqlite":
		dir := filepath.Join(o.dir, fmt.Sprintf("sqlite-%d", scale))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return sqldb.Config{}, err
		}
		return sqldb.Config{Path: filepath.Join(dir, "tinhso.db")}, nil
	case "postgres":
		if o.pg == "" {
			return sqldb.Config{}, errors.New("postgres: give -pg or set TINHSO_TEST_DATABASE_URL")
		}
		name := fmt.Sprintf("bench_pages_%d", scale)
		conn, err := pgx.Connect(ctx, o.pg)
		if err != nil {
			return sqldb.Config{}, err
		}
		defer conn.Close(ctx)
		var exists bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
			return sqldb.Config{}, err
		}
		if exists && o.fresh {
			if _, err := conn.Exec(ctx, `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
				return sqldb.Config{}, err
			}
			exists = false
		}
		if !exists {
			if _, err := conn.Exec(ctx, `CREATE DATABASE `+name); err != nil {
				return sqldb.Config{}, err
			}
		}
		u, err := url.Parse(o.pg)
		if err != nil {
			return sqldb.Config{}, err
		}
		u.Path = "/" + name
		return sqldb.Config{URL: u.String(), MaxConns: 10}, nil
	}
	return sqldb.Config{}, fmt.Errorf("unknown engine %q (sqlite, postgres)", engine)
}

func newApp(db *sqldb.DB) *app.App {
	return app.New(db, app.Options{Throttle: inmem.NewThrottle(), Quota: inmem.NewQuota(), Events: &inmem.Bus{},
		Passwords: credential.NewHasher(64, 1, 1)})
}

// ensureGrown builds the database of a scale unless one stamped with dataVersion is
// there already.
func ensureGrown(ctx context.Context, o options, cfg sqldb.Config, scale int) error {
	if cfg.Path != "" && o.fresh {
		for _, sfx := range []string{"", "-wal", "-shm"} {
			os.Remove(cfg.Path + sfx)
		}
	}
	db, err := sqldb.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if v, _, err := db.Setting(ctx, "bench_pages"); err != nil {
		return err
	} else if v == dataVersion+"/"+strconv.Itoa(scale) {
		logf("%s ×%d: reusing the grown database", db.Engine(), scale)
		return nil
	} else if v != "" || hasPlan(ctx, db) {
		return fmt.Errorf("the database holds another data set (%q); run with -fresh", v)
	}
	start := time.Now()
	if src := filepath.Join(o.dir, fmt.Sprintf("sqlite-%d", scale), "tinhso.db"); cfg.URL != "" && o.copy && fileExists(src) {
		sdb, err := sqldb.Open(ctx, sqldb.Config{Path: src})
		if err != nil {
			return err
		}
		v, _, err := sdb.Setting(ctx, "bench_pages")
		if err == nil && v == dataVersion+"/"+strconv.Itoa(scale) {
			logf("%s ×%d: copying the SQLite database", db.Engine(), scale)
			dump, err := sdb.Export(ctx)
			sdb.Close()
			if err != nil {
				return err
			}
			if err := db.Import(ctx, dump); err != nil {
				return fmt.Errorf("import the SQLite database: %w", err)
			}
			logf("%s ×%d: copied in %s", db.Engine(), scale, time.Since(start).Round(time.Second))
			return nil
		}
		sdb.Close()
	}
	if _, err := seed.Load(ctx, db); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	set, err := seed.Read()
	if err != nil {
		return err
	}
	ctx = tinhso.WithActor(ctx, tinhso.Actor{Username: "bench", Address: "127.0.0.1"})
	uc := newApp(db)
	rng := rand.New(rand.NewPCG(uint64(scale), 8))
	var st reportingStats
	if err := addReporting(ctx, db, uc, 0, rng, &st); err != nil {
		return fmt.Errorf("reporting of the seed: %w", err)
	}
	if st.Failed > 0 {
		logf("  %d reporting steps refused, the first: %v", st.Failed, st.FirstErr)
	}
	if st.ValueErr != nil {
		logf("  values refused (then saved without): %v", st.ValueErr)
	}
	logf("%s ×%d: growing the plan", db.Engine(), scale)
	grow := func(ctx context.Context, _ *sqldb.DB, _ *seed.Set, scale int, progress func(int)) error {
		return clonePlan(ctx, cfg.Path, scale, progress)
	}
	if o.viaStore || cfg.Path == "" {
		grow = growPlan
	}
	if err := grow(ctx, db, set, scale, func(k int) {
		if k%10 == 0 {
			logf("  copy %d of %d (%s)", k, scale-1, time.Since(start).Round(time.Second))
		}
	}); err != nil {
		return err
	}
	if cfg.Path != "" && scale > 1 {
		logf("%s ×%d: copying the reporting", db.Engine(), scale)
		if err := cloneReporting(ctx, cfg.Path, scale, func(k int) {
			if k%10 == 0 {
				logf("  reporting %d of %d (%s)", k, scale-1, time.Since(start).Round(time.Second))
			}
		}); err != nil {
			return err
		}
	} else if scale > 1 {
		return errors.New("a grown PostgreSQL database is filled from the SQLite one: measure sqlite at this scale first (-engines sqlite,postgres)")
	}
	if _, err := uc.CreateUser(ctx, &tinhso.User{Username: benchUser, Name: "Quản trị đo hiệu năng", Role: tinhso.RoleAdmin}, benchPassword); err != nil {
		return fmt.Errorf("user: %w", err)
	}
	logf("%s ×%d: built in %s; the seed's reporting: %d periods, %d submissions (%d approved, %d submitted), copied to every copy", db.Engine(), scale,
		time.Since(start).Round(time.Second), st.Periods, st.Submissions, st.Approved, st.Submitted)
	return db.SetSetting(ctx, "bench_pages", dataVersion+"/"+strconv.Itoa(scale))
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func hasPlan(ctx context.Context, db *sqldb.DB) bool {
	_, n, err := db.FindDocuments(ctx, tinhso.DocumentFilter{Page: tinhso.Page{Limit: 1}})
	return err == nil && n > 0
}

// page is a URL to measure, and its target.
type page struct {
	name, path string
	signedIn   bool
	kind       string
	result
}

// pages lists what is measured: the pages of every route with records of the seed
// (copy 0, at every scale), signed in or not as their readers are, and the JSON lists.
func pages(ctx context.Context, db *sqldb.DB) ([]page, error) {
	task, _, err := db.FindTasks(ctx, tinhso.TaskFilter{Key: "25-kh-ubnd/t4", Page: tinhso.Page{Limit: 1}})
	if err != nil || len(task) == 0 {
		return nil, fmt.Errorf("task 25-kh-ubnd/t4: %v", err)
	}
	ind, _, err := db.FindIndicators(ctx, tinhso.IndicatorFilter{Key: "25-kh-ubnd/8.1", Page: tinhso.Page{Limit: 1}})
	if err != nil || len(ind) == 0 {
		return nil, fmt.Errorf("indicator 25-kh-ubnd/8.1: %v", err)
	}
	prob, _, err := db.FindProblems(ctx, tinhso.ProblemFilter{Page: tinhso.Page{Limit: 1}})
	if err != nil || len(prob) == 0 {
		return nil, fmt.Errorf("a problem: %v", err)
	}
	subs, _, err := db.FindSubmissions(ctx, tinhso.SubmissionFilter{OrgUnit: "so-tai-chinh", Page: tinhso.Page{Limit: 1}})
	if err != nil || len(subs) == 0 {
		return nil, fmt.Errorf("a submission of so-tai-chinh: %v", err)
	}
	var out []page
	add := func(kind string, signedIn bool, name, path string) {
		out = append(out, page{name: name, path: path, signedIn: signedIn, kind: kind})
	}
	pg := func(name, path string) { add("page", false, name, path) }
	pg("board (public)", "/")
	add("page", true, "board (signed in, with reporting)", "/")
	pg("board filtered", "/?document=25-kh-ubnd&section=III&agency=so-khoa-hoc-va-cong-nghe")
	pg("tasks", "/tasks")
	add("page", true, "tasks (signed in)", "/tasks")
	pg("tasks page 3", "/tasks?page=3")
	pg("tasks search, by due date", "/tasks?q=chuyen+doi+so&sort=due")
	pg("tasks overdue", "/tasks?state=overdue")
	pg("tasks unassigned", "/tasks?unassigned=1")
	pg("task", fmt.Sprintf("/tasks/%d", task[0].ID))
	pg("indicators", "/indicators")
	pg("indicators of a document, by name", "/indicators?document=1893-qd-ubnd&sort=name")
	pg("indicator", fmt.Sprintf("/indicators/%d", ind[0].ID))
	pg("measures", "/measures")
	pg("measures disagreeing", "/measures?disagree=1")
	pg("measure", "/measures/chi-so-chuyen-doi-so-cap-tinh")
	pg("problems", "/problems")
	pg("problems of a province", "/problems?province=L%E1%BA%A1ng+S%C6%A1n")
	pg("problem", fmt.Sprintf("/problems/%d", prob[0].ID))
	pg("org units", "/org-units")
	pg("org units: departments", "/org-units?kind=department")
	pg("org unit", "/org-units/so-thong-tin-va-truyen-thong")
	pg("documents", "/documents")
	pg("document", "/documents/25-kh-ubnd")
	pg("portal", "/portal")
	pg("portal problems", "/portal/problems")
	pg("portal data", "/portal/data")
	sp := func(name, path string) { add("page", true, name, path) }
	sp("reporting (all units)", "/reporting")
	sp("periods", "/admin/periods")
	sp("unit board", "/units/so-tai-chinh/board")
	sp("submission", fmt.Sprintf("/reporting/%d", subs[0].ID))
	sp("users", "/admin/users")
	sp("notifications", "/notifications")
	api := func(name, path string) { add("list", true, name, path) }
	api("API tasks (50)", "/api/v1/tasks")
	api("API tasks of a lead, due before (50)", "/api/v1/tasks?lead=so-khoa-hoc-va-cong-nghe&due_before=2025-12-31")
	api("API indicators (50)", "/api/v1/indicators")
	api("API org units (50)", "/api/v1/org-units")
	api("API documents (50)", "/api/v1/documents")
	api("API problems (50)", "/api/v1/problems")
	api("API measures (50)", "/api/v1/measures")
	api("API submissions (50)", "/api/v1/submissions")
	api("API submissions of a period (50)", fmt.Sprintf("/api/v1/submissions?period=%d", subs[0].Period))
	api("API periods", "/api/v1/periods")
	api("API audit (50)", "/api/v1/audit")
	return out, nil
}

// measure times every page through the server's handler, in process: the time is the
// server's own (no network), the size the body's.
func measure(ctx context.Context, o options, cfg sqldb.Config, engine string, scale int) ([]page, error) {
	db, err := sqldb.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	uc := newApp(db)
	blobs, err := blob.NewFolder(filepath.Join(o.dir, "blobs"))
	if err != nil {
		return nil, err
	}
	srv, err := server.New(uc, credential.HashToken(adminToken), blobs, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return nil, err
	}
	// The pages read without signing in include the board, as a province that
	// publishes it (--public-board) shows it.
	srv.Config.PublicBoard = true
	h := srv.Handler()
	in, err := uc.SignIn(ctx, app.SignIn{Username: benchUser, Password: benchPassword, Address: "127.0.0.1", Now: time.Now()})
	if err != nil {
		return nil, fmt.Errorf("sign in: %w", err)
	}
	list, err := pages(ctx, db)
	if err != nil {
		return nil, err
	}
	logf("%s ×%d: measuring %d pages, %d requests each", engine, scale, len(list), o.runs)
	if o.cpuProf != "" && scale == o.scales[len(o.scales)-1] {
		f, err := os.Create(o.cpuProf + "." + engine)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}
	var out []page
	for _, p := range list {
		if o.only != "" && !strings.Contains(p.name, o.only) {
			continue
		}
		req := httptest.NewRequest("GET", p.path, nil)
		req.RemoteAddr = "127.0.0.1:1234"
		req.Header.Set("Accept-Language", "vi")
		if p.signedIn {
			req.AddCookie(&http.Cookie{Name: "tinhso_session", Value: in.Token})
		}
		times := make([]time.Duration, 0, o.runs)
		var status, size int
		// The first request warms caches and is not counted, unless -runs 0 asks for a
		// single (cold) request: for slow pages.
		n := o.runs + 1
		if o.runs == 0 {
			n = 1
		}
		for i := 0; i < n; i++ {
			w := httptest.NewRecorder()
			start := time.Now()
			h.ServeHTTP(w, req.WithContext(ctx))
			d := time.Since(start)
			status, size = w.Code, w.Body.Len()
			if status != 200 {
				break
			}
			if i > 0 || n == 1 {
				times = append(times, d)
			}
		}
		if o.dump != "" && scale == o.scales[len(o.scales)-1] {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req.WithContext(ctx))
			name := strings.Map(func(r rune) rune {
				if r == ' ' || r == '/' || r == '(' || r == ')' || r == ',' || r == ':' {
					return '_'
				}
				return r
			}, p.name)
			if err := os.WriteFile(filepath.Join(o.dump, engine+"-"+name+".html"), w.Body.Bytes(), 0o644); err != nil {
				return nil, err
			}
		}
		slices.Sort(times)
		r := result{status: status, size: size, kind: p.kind, limit: 100 * time.Millisecond}
		if p.kind == "list" {
			r.limit = 10 * time.Millisecond
		}
		if strings.HasPrefix(p.name, "board") {
			r.sizeLimit = 200 << 10
		}
		if len(times) > 0 {
			r.median, r.p95 = times[len(times)/2], times[min(len(times)-1, len(times)*95/100)]
		}
		p.result = r
		logf("  %-44s %4d %9s %9s %8.1f KB", p.name, status, ms(r.median), ms(r.p95), float64(size)/1024)
		out = append(out, p)
	}
	return out, nil
}

// loadRun starts the tinhso binary on the database and has o.clients clients each open
// the board and the task list, all at once, each on its own connection, signed in; it
// reports the server's peak resident memory and the errors (the server's log goes to
// load-ENGINE.log in o.dir).
func loadRun(ctx context.Context, o options, cfg sqldb.Config, engine string, scale int) (string, error) {
	bin := filepath.Join(o.dir, "tinhso")
	build := exec.Command("go", "build", "-o", bin, "./cmd/tinhso")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("go build ./cmd/tinhso (run from the repository's root): %w", err)
	}
	// The clients read the board as a signed-in reader does (the board asks for sign-in
	// unless the province publishes it): one session for all, made before the server
	// starts.
	db, err := sqldb.Open(ctx, cfg)
	if err != nil {
		return "", err
	}
	in, err := newApp(db).SignIn(ctx, app.SignIn{Username: benchUser, Password: benchPassword, Address: "127.0.0.1", Now: time.Now()})
	db.Close()
	if err != nil {
		return "", fmt.Errorf("sign in: %w", err)
	}
	cmd := exec.CommandContext(ctx, bin, "serve", "-mqtt-addr", "", "-addr", "127.0.0.1:0", "-reminder-interval", "0")
	cmd.Env = append(os.Environ(), "TINHSO_NO_SEED=1", "TINHSO_ADMIN_TOKEN="+adminToken, "TINHSO_DATABASE_URL="+cfg.URL)
	// The server runs as the README advises for a host with little memory: Go's soft
	// memory limit below the target (the collector works harder as the heap nears it).
	if o.memLimit != "" {
		cmd.Env = append(cmd.Env, "GOMEMLIMIT="+o.memLimit)
	}
	if cfg.Path != "" {
		cmd.Args = append(cmd.Args, "-data", filepath.Dir(cfg.Path))
	}
	cmd.Args = append(cmd.Args, "-log-level", o.logLevel)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return "", err
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		return "", err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	addr := make(chan string, 1)
	serverLog, err := os.Create(filepath.Join(o.dir, "load-"+engine+".log"))
	if err != nil {
		return "", err
	}
	defer serverLog.Close()
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(serverLog, line)
			if i := strings.Index(line, "addr="); i >= 0 && strings.Contains(line, "listening") {
				addr <- strings.Fields(line[i+5:])[0]
			}
		}
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + strings.Trim(a, `"`)
	case <-time.After(60 * time.Second):
		return "", errors.New("the server did not start listening in 60 s")
	}
	idle := rss(cmd.Process.Pid)
	var peak atomic.Int64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Add(1)
	go func() {
		defer sampler.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			if r := rss(cmd.Process.Pid); r > peak.Load() {
				peak.Store(r)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	var errs, done atomic.Int64
	var firstErr atomic.Value
	var lat []time.Duration
	var latMu sync.Mutex
	start := time.Now()
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := 0; i < o.clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr := &http.Transport{DialContext: (&net.Dialer{Timeout: 30 * time.Second}).DialContext, MaxIdleConnsPerHost: 1, DisableCompression: true}
			c := &http.Client{Transport: tr, Timeout: 120 * time.Second}
			defer tr.CloseIdleConnections()
			<-gate
			for r := 0; r < o.rounds; r++ {
				for _, path := range []string{"/", "/tasks"} {
					t0 := time.Now()
					req, err := http.NewRequest("GET", base+path, nil)
					if err != nil {
						panic(err)
					}
					req.AddCookie(&http.Cookie{Name: "tinhso_session", Value: in.Token})
					res, err := c.Do(req)
					if err == nil {
						_, err = io.Copy(io.Discard, res.Body)
						res.Body.Close()
						if err == nil && res.StatusCode != 200 {
							err = fmt.Errorf("%s: status %d", path, res.StatusCode)
						}
					}
					if err != nil {
						errs.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
						continue
					}
					done.Add(1)
					latMu.Lock()
					lat = append(lat, time.Since(t0))
					latMu.Unlock()
				}
			}
		}()
	}
	close(gate)
	wg.Wait()
	wall := time.Since(start)
	close(stop)
	sampler.Wait()
	hwm := hwm(cmd.Process.Pid)
	slices.Sort(lat)
	p50, p99 := time.Duration(0), time.Duration(0)
	if len(lat) > 0 {
		p50, p99 = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	}
	line := fmt.Sprintf("load %s ×%d (GOMEMLIMIT=%s): %d clients × %d rounds of board + task list: %d answered, %d errors, wall %s, p50 %s, p99 %s; server RSS idle %d MiB, peak sampled %d MiB, VmHWM %d MiB (target < 256 MiB)",
		engine, scale, o.memLimit, o.clients, o.rounds, done.Load(), errs.Load(), wall.Round(time.Millisecond), ms(p50), ms(p99), idle>>20, peak.Load()>>20, hwm>>20)
	if e := firstErr.Load(); e != nil {
		line += "; first error: " + e.(string)
	}
	return line, nil
}

// rss reads a process's resident memory in bytes.
func rss(pid int) int64 { return statusKB(pid, "VmRSS:") << 10 }

// hwm reads a process's peak resident memory in bytes.
func hwm(pid int) int64 { return statusKB(pid, "VmHWM:") << 10 }

func statusKB(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field) {
			f := strings.Fields(line)
			if len(f) >= 2 {
				n, _ := strconv.ParseInt(f[1], 10, 64)
				return n
			}
		}
	}
	return 0
}
