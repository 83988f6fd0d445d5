// Command bench-ingest measures tinhso's live-data path against plain baselines, in
// one run on one machine, and prints each figure beside its baseline:
//
//   - baselines: one row per point into SQLite (modernc, prepared statement,
//     synchronous=FULL, 10,000 rows per transaction, a WITHOUT ROWID table keyed by
//     (series, time)) and PostgreSQL COPY through pgx into a table keyed alike;
//   - line protocol and JSON over HTTP with durable acknowledgement, sustained, on
//     SQLite and PostgreSQL, by a load generator in a child process (so that the
//     server's CPU and memory are its own);
//   - what durability costs on SQLite: synchronous=FULL, no fsync at all, and an
//     fsynced log in front of synchronous=NORMAL;
//   - stored bytes per point (raw blocks), and the p99 of a one-day query at 1-minute
//     resolution over 100 million stored points in 1,000 series, written directly
//     through the store;
//   - resident memory throughout.
//
// The data is the issue's: 1,000 series, one point every 10 s, values with two
// decimals varying slowly. Every rate is also given per CPU-second of the server, as
// the machine may be shared. Not run in CI:
//
//	go run ./scripts/bench-ingest                   # the full run (about 10 minutes)
//	go run ./scripts/bench-ingest -short            # a quick look (about 2 minutes)
//	go run ./scripts/bench-ingest -pg postgres://…  # PostgreSQL too (default: $TINHSO_TEST_DATABASE_URL)
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/blob"
	"github.com/tinhso/tinhso/bus"
	"github.com/tinhso/tinhso/ingest"
	"github.com/tinhso/tinhso/inmem"
	"github.com/tinhso/tinhso/server"
	"github.com/tinhso/tinhso/sqldb"
)

const (
	nSeries  = 1000
	interval = int64(10 * time.Second)
	token    = "tsk_bench_0123456789abcdef"
)

var (
	short     = flag.Bool("short", false, "a short run: 10 s per ingest figure, 10 million points for the query")
	duration  = flag.Duration("duration", 60*time.Second, "how long each ingest figure is sustained")
	pgURL     = flag.String("pg", os.Getenv("TINHSO_TEST_DATABASE_URL"), "a PostgreSQL server to create databases on (empty: SQLite only)")
	queryPts  = flag.Int64("query-points", 100_000_000, "points stored for the query figure")
	clients   = flag.Int("clients", 8, "concurrent HTTP clients")
	batch     = flag.Int("batch", 5000, "points per HTTP request")
	dir       = flag.String("dir", "", "folder for the databases (default: a temporary one, removed)")
	only      = flag.String("only", "", "comma-separated figures to run (baseline,lp,json,durability,pg,query); empty: all")
	role      = flag.String("role", "", "internal: client")
	addr      = flag.String("addr", "", "internal: the server's address")
	kind      = flag.String("kind", "lp", "internal: lp or json")
	startTime = flag.Int64("start", 0, "internal: the first timestamp (ns)")
	cpuProf   = flag.String("cpuprofile", "", "write a CPU profile of the server process to this file")
)

func main() {
	flag.Parse()
	if *role == "client" {
		runClient()
		return
	}
	if *short {
		if !flagSet("duration") {
			*duration = 10 * time.Second
		}
		if !flagSet("query-points") {
			*queryPts = 10_000_000
		}
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "bench-ingest-")
		check(err)
		defer os.RemoveAll(d)
		*dir = d
	}
	go sampleRSS()
	if *cpuProf != "" {
		f, err := os.Create(*cpuProf)
		check(err)
		check(pprof.StartCPUProfile(f))
		defer pprof.StopCPUProfile()
	}
	fmt.Printf("bench-ingest: %d series, a point every 10 s, two decimals; %d clients, %d points per request, %v per ingest figure; GOMAXPROCS %d on %d CPUs\n",
		nSeries, *clients, *batch, *duration, runtimeProcs(), numCPU())
	fmt.Printf("load average at start: %s\n", loadavg())
	fmt.Println("Rates per CPU-second count the server process alone (the load generator is a child process).")
	fmt.Println()

	var sqliteBase, copyBase float64
	if want("baseline") {
		sqliteBase = baselineSQLite()
		if *pgURL != "" {
			copyBase = baselineCopy()
		}
	}
	if want("lp") {
		r := ingestRun("line protocol, SQLite", "lp", sqldb.Config{Path: filepath.Join(*dir, "lp.db")}, nil, true)
		compare(r, sqliteBase, 500_000, 3, "raw SQLite insert")
		storedSize(r)
		r.close()
	}
	if want("json") {
		r := ingestRun("JSON, SQLite", "json", sqldb.Config{Path: filepath.Join(*dir, "json.db")}, nil, true)
		compare(r, sqliteBase, 400_000, 3, "raw SQLite insert")
		r.close()
	}
	if want("durability") {
		durability()
	}
	if want("pg") && *pgURL != "" {
		for _, k := range []string{"lp", "json"} {
			cfg, drop := pgDatabase()
			name := map[string]string{"lp": "line protocol", "json": "JSON"}[k]
			r := ingestRun(name+", PostgreSQL", k, cfg, nil, true)
			compareCopy(r, copyBase)
			r.close()
			drop()
		}
	}
	if want("query") {
		queryBench()
	}
	fmt.Printf("\nresident memory: peak %s over the whole run (aim < 512 MiB); load average at end: %s\n", mib(peakRSS.Load()), loadavg())
}

func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func want(fig string) bool {
	return *only == "" || slices.Contains(strings.Split(*only, ","), fig)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-ingest:", err)
		os.Exit(1)
	}
}

// --- the data ---------------------------------------------------------------------

// walker makes the values of one series: hundredths on a slow random walk.
type walker struct {
	r *rand.Rand
	m int64
}

func newWalker(seed uint64) *walker {
	r := rand.New(rand.NewPCG(seed, 0x7475))
	return &walker{r: r, m: 1000 + r.Int64N(9000)}
}

func (w *walker) next() int64 {
	m := w.m
	u := w.r.Float64()
	var step int64
	switch {
	case u < 0.5:
	case u < 0.8:
		step = 1
	case u < 0.95:
		step = 2
	default:
		step = 3 + w.r.Int64N(3)
	}
	if w.r.IntN(2) == 0 {
		step = -step
	}
	w.m += step
	return m
}

// appendHundredths writes m/100 with two decimals.
func appendHundredths(b []byte, m int64) []byte {
	if m < 0 {
		b = append(b, '-')
		m = -m
	}
	b = strconv.AppendInt(b, m/100, 10)
	b = append(b, '.', byte('0'+m%100/10), byte('0'+m%10))
	return b
}

// --- resources --------------------------------------------------------------------

var peakRSS, phaseRSS atomic.Int64

func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.ParseInt(f[1], 10, 64)
	return n * int64(os.Getpagesize())
}

func sampleRSS() {
	for {
		r := rss()
		for p := peakRSS.Load(); r > p && !peakRSS.CompareAndSwap(p, r); p = peakRSS.Load() {
		}
		for p := phaseRSS.Load(); r > p && !phaseRSS.CompareAndSwap(p, r); p = phaseRSS.Load() {
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func numCPU() int {
	n := 0
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "processor") {
			n++
		}
	}
	return n
}

func runtimeProcs() int {
	if v, err := strconv.Atoi(os.Getenv("GOMAXPROCS")); err == nil {
		return v
	}
	return numCPU()
}

func rate(n float64, d time.Duration) float64 { return n / d.Seconds() }

func human(x float64) string {
	switch {
	case x >= 1e6:
		return fmt.Sprintf("%.2f M", x/1e6)
	case x >= 1e3:
		return fmt.Sprintf("%.0f k", x/1e3)
	}
	return fmt.Sprintf("%.0f", x)
}

// --- baselines --------------------------------------------------------------------

// baselineSQLite inserts one row per point, as a minimal program would.
func baselineSQLite() float64 {
	path := filepath.Join(*dir, "baseline.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	check(err)
	defer db.Close()
	db.SetMaxOpenConns(1)
	_, err = db.Exec(`CREATE TABLE points (series INTEGER NOT NULL, t INTEGER NOT NULL, v REAL NOT NULL, PRIMARY KEY (series, t)) WITHOUT ROWID`)
	check(err)
	walkers := make([]*walker, nSeries)
	for i := range walkers {
		walkers[i] = newWalker(uint64(i))
	}
	t0 := time.Now().Add(-30 * 24 * time.Hour).UnixNano()
	n := 0
	limit := *duration / 3
	cpu0, start := cpuSeconds(), time.Now()
	for step := int64(0); time.Since(start) < limit; {
		tx, err := db.Begin()
		check(err)
		st, err := tx.Prepare(`INSERT INTO points (series, t, v) VALUES (?, ?, ?)`)
		check(err)
		for range 10 {
			for s := range nSeries {
				_, err := st.Exec(s, t0+step*interval, float64(walkers[s].next())/100)
				check(err)
				n++
			}
			step++
		}
		st.Close()
		check(tx.Commit())
	}
	el, cpu := time.Since(start), cpuSeconds()-cpu0
	r := rate(float64(n), el)
	fmt.Printf("baseline  SQLite, a row per point (prepared, synchronous=FULL, 10,000 rows/tx, WITHOUT ROWID): %s points/s (%s per CPU-second), %d rows in %v\n",
		human(r), human(float64(n)/cpu), n, el.Round(time.Millisecond))
	return r
}

// pgDatabase creates a fresh PostgreSQL database and returns its config and its drop.
func pgDatabase() (sqldb.Config, func()) {
	admin, err := sql.Open("pgx", *pgURL)
	check(err)
	name := fmt.Sprintf("bench_ingest_%d", time.Now().UnixNano())
	_, err = admin.Exec(`CREATE DATABASE ` + name)
	check(err)
	u := *pgURL
	if i := strings.Index(u, "?"); i >= 0 {
		u = u[:strings.LastIndex(u[:i], "/")] + "/" + name + u[i:]
	} else {
		u = u[:strings.LastIndex(u, "/")] + "/" + name
	}
	return sqldb.Config{URL: u, MaxConns: 8}, func() {
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		admin.Close()
	}
}

// baselineCopy copies one row per point into PostgreSQL, 10,000 rows per COPY.
func baselineCopy() float64 {
	cfg, drop := pgDatabase()
	defer drop()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, cfg.URL)
	check(err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `CREATE TABLE points (series INTEGER NOT NULL, t BIGINT NOT NULL, v DOUBLE PRECISION NOT NULL, PRIMARY KEY (series, t))`)
	check(err)
	walkers := make([]*walker, nSeries)
	for i := range walkers {
		walkers[i] = newWalker(uint64(i))
	}
	t0 := time.Now().Add(-30 * 24 * time.Hour).UnixNano()
	n := 0
	rows := make([][]any, 0, 10*nSeries)
	limit := *duration / 3
	start := time.Now()
	for step := int64(0); time.Since(start) < limit; {
		rows = rows[:0]
		for range 10 {
			for s := range nSeries {
				rows = append(rows, []any{int32(s), t0 + step*interval, float64(walkers[s].next()) / 100})
			}
			step++
		}
		c, err := conn.CopyFrom(ctx, pgx.Identifier{"points"}, []string{"series", "t", "v"}, pgx.CopyFromRows(rows))
		check(err)
		n += int(c)
	}
	el := time.Since(start)
	r := rate(float64(n), el)
	fmt.Printf("baseline  PostgreSQL COPY through pgx (10,000 rows per COPY, keyed by (series, t)): %s rows/s, %d rows in %v\n", human(r), n, el.Round(time.Millisecond))
	return r
}

// --- ingest over HTTP ---------------------------------------------------------------

type run struct {
	name       string
	points     int64
	elapsed    time.Duration
	cpu        float64
	clientCPU  float64
	p50, p99   time.Duration
	rss        int64
	refused    int64
	db         *sqldb.DB
	stop       func()
	server     *http.Server
	bus        *bus.Memory
	writerDone chan error
	live       *server.Live
	cleanup    func()
}

func (r *run) rate() float64 { return rate(float64(r.points), r.elapsed) }

// serve starts tinhso on a fresh database: the server as `tinhso serve` composes it
// (server.New and StartLive: the API, the pages and the ingest path, behind the same
// middleware), or, when wrap is set (the durability variants), the ingest path alone
// over the wrapped store: receivers, the memory bus, the writer.
func serve(cfg sqldb.Config, wrap func(tinhso.SeriesStore) tinhso.SeriesStore) (*run, string) {
	ctx := context.Background()
	db, err := sqldb.Open(ctx, cfg)
	check(err)
	check(ensureToken(ctx, db))
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	limits := bus.Limits{MaxMessages: 4096, MaxPoints: 2_000_000, MaxBytes: 64 << 20}
	r := &run{db: db}
	var handler http.Handler
	if wrap == nil {
		uc := app.New(db, app.Options{Events: &inmem.Bus{Log: log}, Throttle: inmem.NewThrottle(), Quota: inmem.NewQuota(), Log: log})
		dir, err := os.MkdirTemp("", "bench-blobs-")
		check(err)
		blobs, err := blob.NewFolder(dir)
		check(err)
		srv, err := server.New(uc, "", blobs, log)
		check(err)
		live, err := srv.StartLive(ctx, server.LiveOptions{Limits: limits})
		check(err)
		r.live = live
		r.cleanup = func() { os.RemoveAll(dir) }
		handler = srv.Handler()
	} else {
		b := bus.NewMemory(limits)
		w := ingest.NewWriter(wrap(db), b, ingest.WriterConfig{Logger: log})
		wctx, cancel := context.WithCancel(ctx)
		r.bus, r.writerDone, r.stop = b, make(chan error, 1), cancel
		go func() { r.writerDone <- w.Run(wctx) }()
		mux := http.NewServeMux()
		ingest.New(ingest.Config{Bus: b, Registry: db, Auth: &ingest.UserTokens{Users: db, CacheFor: time.Second}, Logger: log}).Register(mux)
		handler = mux
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	r.server = &http.Server{Handler: handler}
	go r.server.Serve(ln)
	return r, ln.Addr().String()
}

func (r *run) close() {
	r.server.Close()
	if r.live != nil {
		check(r.live.Close())
		r.cleanup()
	} else {
		r.stop()
		<-r.writerDone
		r.bus.Close()
	}
	r.db.Close()
}

func ensureToken(ctx context.Context, db *sqldb.DB) error {
	u := &tinhso.User{Username: "bench", Name: "Bench", Role: tinhso.RoleAdmin}
	if err := db.CreateUser(ctx, u, ""); err != nil {
		return err
	}
	return db.CreateAPIToken(ctx, &tinhso.APIToken{UserID: u.ID, Name: "bench", Scopes: []string{tinhso.ScopeAll}, Hash: sha256hex(token)})
}

// clientResult is what the load generator reports.
type clientResult struct {
	Points  int64   `json:"points"`
	Refused int64   `json:"refused"`
	Seconds float64 `json:"seconds"`
	CPU     float64 `json:"cpu"`
	P99ms   float64 `json:"p99ms"`
	P50ms   float64 `json:"p50ms"`
	Errors  int64   `json:"errors"`
}

// ingestRun sustains ingest of kind for the duration and reports it.
func ingestRun(name, k string, cfg sqldb.Config, wrap func(tinhso.SeriesStore) tinhso.SeriesStore, print bool) *run {
	r, a := serve(cfg, wrap)
	r.name = name
	self, err := os.Executable()
	check(err)
	start := time.Now().Add(-30 * 24 * time.Hour).Truncate(time.Hour).UnixNano()
	cmd := exec.Command(self, "-role", "client", "-addr", a, "-kind", k, "-duration", duration.String(),
		"-clients", strconv.Itoa(*clients), "-batch", strconv.Itoa(*batch), "-start", strconv.FormatInt(start, 10))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	check(err)
	phaseRSS.Store(0)
	cpu0 := cpuSeconds()
	check(cmd.Start())
	var res clientResult
	check(json.NewDecoder(bufio.NewReader(out)).Decode(&res))
	check(cmd.Wait())
	r.cpu = cpuSeconds() - cpu0
	r.points, r.elapsed, r.clientCPU, r.refused = res.Points, time.Duration(res.Seconds*float64(time.Second)), res.CPU, res.Refused
	r.p50, r.p99 = time.Duration(res.P50ms*1e6), time.Duration(res.P99ms*1e6)
	r.rss = phaseRSS.Load()
	if print {
		fmt.Printf("tinhso    %s over HTTP, durable: %s points/s (%s per server CPU-second, server %.0f%% of a core, load generator %.0f%%), request p50 %v p99 %v, %d refused with 429, %d errors, RSS max %s\n",
			name, human(r.rate()), human(float64(r.points)/r.cpu), 100*r.cpu/r.elapsed.Seconds(), 100*r.clientCPU/r.elapsed.Seconds(),
			r.p50.Round(time.Microsecond*100), r.p99.Round(time.Microsecond*100), r.refused, res.Errors, mib(r.rss))
	}
	return r
}

func compare(r *run, base float64, aim float64, times float64, what string) {
	if base == 0 {
		fmt.Printf("          aim ≥ %s points/s: %s\n", human(aim), met(r.rate() >= aim))
		return
	}
	fmt.Printf("          aim ≥ %s points/s and ≥ %.0f× the %s (%s/s): %.1f× — %s\n", human(aim), times, what, human(base), r.rate()/base,
		met(r.rate() >= aim && r.rate() >= times*base))
}

func compareCopy(r *run, base float64) {
	if base == 0 {
		return
	}
	fmt.Printf("          aim ≥ 50%% of COPY (%s rows/s): %.0f%% — %s\n", human(base), 100*r.rate()/base, met(r.rate() >= base/2))
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// storedSize folds every head and measures the raw blocks.
func storedSize(r *run) {
	ctx := context.Background()
	start := time.Now()
	_, err := r.db.Compact(ctx, 0, true)
	check(err)
	sz, err := r.db.StoredSize(ctx)
	check(err)
	if sz.Points == 0 {
		return
	}
	fmt.Printf("          stored: %.2f bytes per point in raw blocks (aim ≤ 2), rollups %.2f more; %d points (folding the rest took %v)\n",
		float64(sz.BlockBytes)/float64(sz.Points), float64(sz.Rollup)/float64(sz.Points), sz.Points, time.Since(start).Round(time.Millisecond))
}

// runClient is the load generator: clients each sending their share of the series,
// batch after batch, for the duration.
func runClient() {
	n := *clients
	var points, refused, errs atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	transport := &http.Transport{MaxIdleConnsPerHost: n, MaxConnsPerHost: n}
	hc := &http.Client{Transport: transport, Timeout: 60 * time.Second}
	deadline := time.Now().Add(*duration)
	cpu0 := cpuSeconds()
	start := time.Now()
	var wg sync.WaitGroup
	for c := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []int
			for s := c; s < nSeries; s += n {
				mine = append(mine, s)
			}
			walkers := make([]*walker, len(mine))
			for i, s := range mine {
				walkers[i] = newWalker(uint64(s))
			}
			step := int64(0)
			var body []byte
			var local []time.Duration
			for time.Now().Before(deadline) {
				body = body[:0]
				count := 0
				if *kind == "json" {
					body = append(body, `{"points":[`...)
				}
				for count+len(mine) <= *batch || count == 0 {
					ts := *startTime + step*interval
					for i, s := range mine {
						m := walkers[i].next()
						if *kind == "json" {
							if count > 0 {
								body = append(body, ',')
							}
							body = append(body, `{"series":"sensor_`...)
							body = strconv.AppendInt(body, int64(s), 10)
							body = append(body, `","time":`...)
							body = strconv.AppendInt(body, ts/1e6, 10)
							body = append(body, `,"value":`...)
							body = appendHundredths(body, m)
							body = append(body, '}')
						} else {
							body = append(body, "sensor_"...)
							body = strconv.AppendInt(body, int64(s), 10)
							body = append(body, " value="...)
							body = appendHundredths(body, m)
							body = append(body, ' ')
							body = strconv.AppendInt(body, ts/1e9, 10)
							body = append(body, '\n')
						}
						count++
					}
					step++
				}
				path := "/api/v2/write?org=tinhso&bucket=bench&precision=s"
				auth := "Token " + token
				if *kind == "json" {
					body = append(body, "]}"...)
					path, auth = "/api/v1/ingest", "Bearer "+token
				}
				for {
					req, _ := http.NewRequest("POST", "http://"+*addr+path, bytes.NewReader(body))
					req.Header.Set("Authorization", auth)
					t0 := time.Now()
					resp, err := hc.Do(req)
					if err != nil {
						errs.Add(1)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode == http.StatusTooManyRequests {
						refused.Add(1)
						time.Sleep(100 * time.Millisecond)
						continue
					}
					if resp.StatusCode != http.StatusNoContent {
						errs.Add(1)
						fmt.Fprintln(os.Stderr, "bench-ingest client: status", resp.StatusCode)
						return
					}
					local = append(local, time.Since(t0))
					points.Add(int64(count))
					break
				}
			}
			mu.Lock()
			lat = append(lat, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	slices.Sort(lat)
	res := clientResult{Points: points.Load(), Refused: refused.Load(), Errors: errs.Load(), Seconds: el.Seconds(), CPU: cpuSeconds() - cpu0}
	if len(lat) > 0 {
		res.P50ms = float64(lat[len(lat)/2]) / 1e6
		res.P99ms = float64(lat[len(lat)*99/100]) / 1e6
	}
	check(json.NewEncoder(os.Stdout).Encode(res))
}

// --- durability ---------------------------------------------------------------------

// durability measures line protocol on SQLite with each way of making a write durable.
func durability() {
	fmt.Println()
	fmt.Println("durability on SQLite, line protocol over HTTP (each for a third of the duration):")
	saved := *duration
	*duration = max(saved/3, 5*time.Second)
	defer func() { *duration = saved }()
	full := ingestRun("synchronous=FULL (chosen)", "lp", sqldb.Config{Path: filepath.Join(*dir, "d-full.db")}, nil, false)
	full.close()
	none := ingestRun("no fsync", "lp", sqldb.Config{Path: filepath.Join(*dir, "d-none.db")}, func(s tinhso.SeriesStore) tinhso.SeriesStore {
		s.(*sqldb.DB).SetDurableIngest(false)
		return s
	}, false)
	none.close()
	logPath := filepath.Join(*dir, "d-log.wal")
	withLog := ingestRun("fsynced log + synchronous=NORMAL", "lp", sqldb.Config{Path: filepath.Join(*dir, "d-log.db")}, func(s tinhso.SeriesStore) tinhso.SeriesStore {
		s.(*sqldb.DB).SetDurableIngest(false)
		f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		check(err)
		return &loggedStore{SeriesStore: s, f: f}
	}, false)
	withLog.close()
	for _, r := range []*run{full, none, withLog} {
		fmt.Printf("          %-34s %s points/s, %s per server CPU-second, request p99 %v\n", r.name, human(r.rate()), human(float64(r.points)/r.cpu), r.p99.Round(100*time.Microsecond))
	}
	fmt.Printf("          FULL costs %.0f%% of the rate without fsync; the log %.0f%%\n", 100*(1-full.rate()/none.rate()), 100*(1-withLog.rate()/none.rate()))
}

// loggedStore appends each write to a log file and fsyncs it before the (unsynced)
// commit: the other way to make acknowledged writes durable, measured against FULL.
type loggedStore struct {
	tinhso.SeriesStore
	f   *os.File
	buf []byte
}

func (l *loggedStore) WritePoints(ctx context.Context, w *tinhso.PointWrite) error {
	l.buf = ingest.EncodeBatch(l.buf[:0], w.Series)
	if _, err := l.f.Write(l.buf); err != nil {
		return err
	}
	if err := l.f.Sync(); err != nil {
		return err
	}
	return l.SeriesStore.WritePoints(ctx, w)
}

// --- query --------------------------------------------------------------------------

// queryBench stores the points directly through the store, folds them, then asks
// one-day queries at 1 minute of random series and days.
func queryBench() {
	ctx := context.Background()
	fmt.Println()
	db, err := sqldb.Open(ctx, sqldb.Config{Path: filepath.Join(*dir, "query.db")})
	check(err)
	defer db.Close()
	ids := make([]int64, nSeries)
	keys := make([]string, nSeries)
	for i := range keys {
		keys[i] = fmt.Sprintf("sensor_%d", i)
	}
	ids, err = db.SeriesIDs(ctx, keys, true)
	check(err)
	perSeries := *queryPts / nSeries
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, tinhso.Location).UnixNano()
	walkers := make([]*walker, nSeries)
	for i := range walkers {
		walkers[i] = newWalker(uint64(i))
	}
	// Writes of 100 points per series (100,000 points), folded as the writer folds.
	const stepPer = 100
	phaseRSS.Store(0)
	start, cpu0 := time.Now(), cpuSeconds()
	var written int64
	for step := int64(0); step < perSeries; step += stepPer {
		w := &tinhso.PointWrite{Series: make([]tinhso.SeriesPoints, nSeries)}
		n := min(stepPer, perSeries-step)
		for s := range nSeries {
			pts := make([]tinhso.Point, n)
			for i := range pts {
				pts[i] = tinhso.Point{T: t0 + (step+int64(i))*interval, V: float64(walkers[s].next()) / 100}
			}
			w.Series[s] = tinhso.SeriesPoints{SeriesID: ids[s], Points: pts}
		}
		check(db.WritePoints(ctx, w))
		written += n * nSeries
		if (step/stepPer)%20 == 19 {
			_, err := db.Compact(ctx, 0, true)
			check(err)
		}
		if (step/stepPer)%200 == 199 {
			fmt.Fprintf(os.Stderr, "\r  generating: %d of %d points…", written, perSeries*nSeries)
		}
	}
	_, err = db.Compact(ctx, 0, true)
	check(err)
	fmt.Fprint(os.Stderr, "\r\033[K")
	el := time.Since(start)
	sz, err := db.StoredSize(ctx)
	check(err)
	fi, _ := os.Stat(filepath.Join(*dir, "query.db"))
	fmt.Printf("query     %d points in %d series written through the store and folded in %v (%s points/s, %s per CPU-second); %.2f bytes per point in raw blocks, database file %.2f bytes per point\n",
		sz.Points, nSeries, el.Round(time.Second), human(rate(float64(sz.Points), el)), human(float64(sz.Points)/(cpuSeconds()-cpu0)),
		float64(sz.BlockBytes)/float64(sz.Points), float64(fi.Size())/float64(sz.Points))
	days := perSeries * interval / int64(24*time.Hour)
	if days < 1 {
		fmt.Println("          too few points for a one-day query")
		return
	}
	r := rand.New(rand.NewPCG(9, 9))
	var lat []time.Duration
	const queries = 2000
	cpu1 := cpuSeconds()
	qstart := time.Now()
	items := 0
	for range queries {
		s := r.IntN(nSeries)
		d := r.Int64N(days)
		from := time.Unix(0, t0).In(tinhso.Location).AddDate(0, 0, int(d))
		q0 := time.Now()
		res, err := db.QueryPoints(ctx, tinhso.PointQuery{Key: keys[s], From: from, To: from.AddDate(0, 0, 1), Resolution: "1m"})
		check(err)
		lat = append(lat, time.Since(q0))
		items += len(res.Items)
	}
	qel := time.Since(qstart)
	slices.Sort(lat)
	p := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))].Round(10 * time.Microsecond) }
	fmt.Printf("          one-day queries at 1 minute (%d, one client, random series and day): p50 %v, p99 %v (aim < 10 ms: %s), max %v; %.0f buckets each; %.0f queries per CPU-second; RSS max %s\n",
		queries, p(0.5), p(0.99), met(p(0.99) < 10*time.Millisecond), lat[len(lat)-1].Round(10*time.Microsecond), float64(items)/queries,
		queries/(cpuSeconds()-cpu1), mib(phaseRSS.Load()))
	_ = qel
}

func sha256hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
