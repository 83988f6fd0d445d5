package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/connector"
	"github.com/tinhso/tinhso/engine"
	"github.com/tinhso/tinhso/netguard"
	"github.com/tinhso/tinhso/secret"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

const (
	connUnit      = "so-tai-chinh"
	connIndicator = "25-kh-ubnd/8.3"
)

type connEnv struct {
	app *app.App
	db  *sqldb.DB
	log *bytes.Buffer
	dir string
}

// newConnEnv makes an app whose connectors may reach the servers' hosts (the admin's
// allow-list: loopback is refused otherwise), with a real keyring and a file folder.
func newConnEnv(t *testing.T, engineName string, allow ...string) *connEnv {
	t.Helper()
	db := sqldbtest.OpenSeeded(t, engineName)
	g, err := netguard.New(netguard.Config{Allow: allow, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	kr, err := secret.NewKeyring(secret.GenerateKey())
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	var mu sync.Mutex
	a := app.New(db, app.Options{Log: slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	dir := t.TempDir()
	a.SetConnectorOptions(app.ConnectorOptions{Fetcher: connector.New(g, dir), Secrets: kr})
	return &connEnv{app: a, db: db, log: &logs, dir: dir}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func hostOf(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

func csvConnector(u string) *tinhso.Connector {
	return &tinhso.Connector{Name: "Cổng DVC — hồ sơ trực tuyến", Enabled: true, OrgUnit: connUnit,
		Source:  tinhso.ConnectorSource{Kind: tinhso.SourceCSV, URL: u},
		Mapping: tinhso.ConnectorMapping{Target: tinhso.TargetIndicator, Indicator: connIndicator, Period: tinhso.FreqQuarterly, AutoApprove: true, Time: "Ngày", Value: "Tỷ lệ"}}
}

func TestConnectorCSVToIndicator(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engineName string) {
		body := "Ngày;Tỷ lệ\n15/01/2026;61,5\n31/03/2026;63,25\n10/05/2026;70\n"
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.Header().Set("Content-Type", "text/csv")
			fmt.Fprint(w, body)
		}))
		defer srv.Close()
		env := newConnEnv(t, engineName, hostOf(t, srv.URL))
		ctx := context.Background()
		c := csvConnector(srv.URL + "/ho-so.csv")
		if err := env.app.SaveConnector(ctx, c, "", false, 0); err != nil {
			t.Fatal(err)
		}

		// A dry run reads and shows, writes nothing.
		dry, err := env.app.RunConnector(ctx, c.ID, tinhso.TriggerTest)
		if err != nil {
			t.Fatal(err)
		}
		if dry.Outcome != tinhso.RunDry || dry.RowsRead != 3 || len(dry.Values) != 2 || dry.Written != 0 {
			t.Fatalf("dry run: %+v", dry)
		}
		if dry.Values[0].Date != "2026-03-31" || dry.Values[0].Value != 63.25 || dry.Values[1].Date != "2026-06-30" || dry.Values[1].Value != 70 {
			t.Fatalf("dry values: %+v", dry.Values)
		}
		if figs, _ := env.db.FindConnectorFigures(ctx, connIndicator); len(figs) != 0 {
			t.Fatalf("a dry run wrote %v", figs)
		}

		run, err := env.app.RunConnector(ctx, c.ID, tinhso.TriggerManual)
		if err != nil {
			t.Fatal(err)
		}
		if run.Outcome != tinhso.RunOK || run.Written != 2 || len(run.Errors) != 0 || run.Digest == "" {
			t.Fatalf("run: %+v", run)
		}
		figs, err := env.db.FindConnectorFigures(ctx, connIndicator)
		if err != nil || len(figs) != 2 || figs[0].Run != run.ID || !figs[0].Approved {
			t.Fatalf("figures: %+v %v", figs, err)
		}
		// The figure path carries them with their trace to the run.
		path, err := env.db.IndicatorFigures(ctx, tinhso.FigureFilter{Indicators: []string{connIndicator}, Sources: []string{tinhso.FigureConnector}})
		if err != nil || len(path) != 2 {
			t.Fatalf("figure path: %+v %v", path, err)
		}
		if p := path[1]; p.Source != tinhso.FigureConnector || p.Date != "2026-06-30" || *p.Value != 70 || p.Run == nil ||
			p.Run.Run != run.ID || p.Run.Connector != c.Name || p.Period != "Q2/2026" {
			t.Fatalf("figure: %+v %+v", p, p.Run)
		}

		// The same data again writes nothing.
		again, err := env.app.RunConnector(ctx, c.ID, tinhso.TriggerManual)
		if err != nil || again.Outcome != tinhso.RunUnchanged || again.Written != 0 {
			t.Fatalf("unchanged: %+v %v", again, err)
		}
		runs, err := env.app.ConnectorRuns(ctx, c.ID, 10)
		if err != nil || len(runs) != 3 || runs[0].ID != again.ID || runs[2].Trigger != tinhso.TriggerTest {
			t.Fatalf("runs: %+v %v", runs, err)
		}
		if figs2, _ := env.db.FindConnectorFigures(ctx, connIndicator); figs2[0].Run != run.ID {
			t.Fatalf("an unchanged run rewrote the figures: %+v", figs2)
		}
		got, _ := env.app.Connector(ctx, c.ID)
		if got.LastRun == nil || got.LastRun.ID != again.ID || got.Failures != 0 {
			t.Fatalf("last run: %+v", got)
		}
		if hits.Load() != 3 {
			t.Fatalf("%d requests", hits.Load())
		}
	})
}

func TestConnectorFileAndXLSX(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engineName string) {
		env := newConnEnv(t, engineName)
		ctx := context.Background()
		if err := os.MkdirAll(filepath.Join(env.dir, "so-lieu"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(env.dir, "so-lieu", "dvc.csv"), []byte("\xef\xbb\xbfNgày,Tỷ lệ\n31/12/2025,\"1.234,5\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		c := csvConnector("")
		c.Source.File = "so-lieu/dvc.csv"
		c.Mapping.Period = tinhso.FreqYearly
		if err := env.app.SaveConnector(ctx, c, "", false, 0); err != nil {
			t.Fatal(err)
		}
		run, err := env.app.RunConnector(ctx, c.ID, tinhso.TriggerManual)
		if err != nil || run.Outcome != tinhso.RunOK || run.Written != 1 {
			t.Fatalf("%+v %v", run, err)
		}
		figs, _ := env.db.FindConnectorFigures(ctx, connIndicator)
		if len(figs) != 1 || figs[0].Value != 1234.5 || figs[0].Date != "2025-12-31" {
			t.Fatalf("%+v", figs)
		}
		// A path out of the folder is refused when saved.
		bad := csvConnector("")
		bad.Name, bad.Source.File = "ngoài thư mục", "../etc/passwd"
		if err := env.app.SaveConnector(ctx, bad, "", false, 0); tinhso.ErrorCode(err) != tinhso.EINVALID || !strings.Contains(fmt.Sprint(err), "") {
			t.Fatalf("outside the folder: %v", err)
		}
		var te *tinhso.Error
		if err := env.app.SaveConnector(ctx, bad, "", false, 0); !asErr(err, &te) || te.Field != "source.file" {
			t.Fatalf("field: %v", err)
		}
		// A symbolic link out of the folder fails the run, naming the file.
		if err := os.Symlink("/etc/hostname", filepath.Join(env.dir, "lien-ket.csv")); err != nil {
			t.Fatal(err)
		}
		ln := csvConnector("")
		ln.Name, ln.Source.File = "liên kết", "lien-ket.csv"
		if err := env.app.SaveConnector(ctx, ln, "", false, 0); err != nil {
			t.Fatal(err)
		}
		run, _ = env.app.RunConnector(ctx, ln.ID, tinhso.TriggerManual)
		if run.Outcome != tinhso.RunFailed || run.Errors[0].Message.Key != "connectors.err.file" {
			t.Fatalf("symlink: %+v", run)
		}
	})
}

func asErr(err error, te **tinhso.Error) bool {
	e, ok := err.(*tinhso.Error)
	if ok {
		*te = e
	}
	return ok
}

// tokenServer is an OAuth2 token endpoint (client credentials) and a paginated JSON
// API that takes only its tokens.
func tokenServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var tokens atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
		id, sec, ok := r.BasicAuth()
		if !ok {
			r.ParseForm()
			id, sec = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
		}
		if id != "tinhso" || sec != "bi-mat-cua-client-123" || r.FormValue("grant_type") != "client_credentials" {
			http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
			return
		}
		tokens.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"tok-42","token_type":"bearer","expires_in":3600}`)
	})
	mux.HandleFunc("GET /api/ho-so", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-42" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		page := r.URL.Query().Get("page")
		w.Header().Set("Content-Type", "application/json")
		switch page {
		case "", "1":
			fmt.Fprint(w, `{"data":[{"ngay":"2026-11-01T08:00:00+07:00","so_luong":12},{"ngay":"2026-11-01T09:00:00+07:00","so_luong":"13,5"}],"next":"/api/ho-so?page=2"}`)
		case "2":
			fmt.Fprint(w, `{"data":[{"ngay":"2026-11-01T10:00:00+07:00","so_luong":15}],"next":null}`)
		default:
			fmt.Fprint(w, `{"data":[],"next":null}`)
		}
	})
	return httptest.NewServer(mux), &tokens
}

func TestConnectorJSONPagedOAuth2ToSeries(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engineName string) {
		srv, tokens := tokenServer(t)
		defer srv.Close()
		env := newConnEnv(t, engineName, hostOf(t, srv.URL))
		ctx := context.Background()
		c := &tinhso.Connector{Name: "LGSP hồ sơ", Enabled: true, OrgUnit: connUnit,
			Source: tinhso.ConnectorSource{Kind: tinhso.SourceJSON, URL: srv.URL + "/api/ho-so", Items: "$.data[*]",
				Paging: tinhso.ConnectorPaging{Kind: tinhso.PageLink, Next: "$.next"},
				Auth:   tinhso.ConnectorAuth{Kind: tinhso.AuthOAuth2, TokenURL: srv.URL + "/oauth/token", ClientID: "tinhso"}},
			Mapping: tinhso.ConnectorMapping{Target: tinhso.TargetSeries, Series: "dvc.ho_so", Time: "ngay", Value: "$.so_luong"}}
		if err := env.app.SaveConnector(ctx, c, "bi-mat-cua-client-123", false, 0); err != nil {
			t.Fatal(err)
		}
		run, err := env.app.RunConnector(ctx, c.ID, tinhso.TriggerManual)
		if err != nil || run.Outcome != tinhso.RunOK || run.RowsRead != 3 || run.Written != 3 {
			t.Fatalf("%+v %v", run, err)
		}
		if tokens.Load() != 1 {
			t.Fatalf("%d tokens", tokens.Load())
		}
		from := time.Date(2026, 11, 1, 0, 0, 0, 0, tinhso.Location)
		res, err := env.db.QueryPoints(ctx, tinhso.PointQuery{Key: "dvc.ho_so", From: from, To: from.Add(24 * time.Hour), Resolution: "raw"})
		if err != nil || len(res.Items) != 3 || res.Items[1].Value != 13.5 || !res.Items[2].Time.Equal(from.Add(10*time.Hour)) {
			t.Fatalf("points: %+v %v", res, err)
		}
		// Page numbers read the same rows.
		c.Source.Paging = tinhso.ConnectorPaging{Kind: tinhso.PageNumber}
		c.Name = "LGSP theo số trang"
		c.ID = 0
		if err := env.app.SaveConnector(ctx, c, "bi-mat-cua-client-123", false, 0); err != nil {
			t.Fatal(err)
		}
		dry, err := env.app.RunConnector(ctx, c.ID, tinhso.TriggerTest)
		if err != nil || dry.Outcome != tinhso.RunDry || dry.RowsRead != 3 {
			t.Fatalf("pages: %+v %v", dry, err)
		}

		// The secret is never shown back, logged or exported in clear.
		got, _ := env.app.Connector(ctx, c.ID)
		b, _ := json.Marshal(got)
		if !got.HasSecret || strings.Contains(string(b), "bi-mat") {
			t.Fatalf("connector JSON: %s", b)
		}
		dump, err := env.db.Export(ctx)
		if err != nil {
			t.Fatal(err)
		}
		db, _ := json.Marshal(dump)
		if strings.Contains(string(db), "bi-mat-cua-client") || !strings.Contains(string(db), "LGSP hồ sơ") {
			t.Fatal("the export holds the secret in clear, or no connector")
		}
		if strings.Contains(env.log.String(), "bi-mat") || strings.Contains(env.log.String(), "tok-42") {
			t.Fatalf("log: %s", env.log.String())
		}
		// A wrong secret fails at the token endpoint, named.
		if err := env.app.SaveConnector(ctx, got, "sai-bi-mat-0000", false, got.Version); err != nil {
			t.Fatal(err)
		}
		bad, _ := env.app.RunConnector(ctx, c.ID, tinhso.TriggerManual)
		if bad.Outcome != tinhso.RunFailed || len(bad.Errors) != 1 || bad.Errors[0].Message.Key != "connectors.err.token" {
			t.Fatalf("wrong secret: %+v", bad)
		}
		if b, _ := json.Marshal(bad); strings.Contains(string(b), "sai-bi-mat") {
			t.Fatalf("run shows the secret: %s", b)
		}
	})
}

// TestConnectorFailures: each failing source stores nothing and records its error;
// three failures in a row open the connector's alert, and a good run resolves it.
func TestConnectorFailures(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engineName string) {
		var mode atomic.Value
		mode.Store("ok")
		release := make(chan struct{})
		defer close(release)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch mode.Load().(string) {
			case "slow":
				select {
				case <-r.Context().Done():
				case <-release:
				}
				return
			case "500":
				http.Error(w, "lỗi máy chủ", http.StatusInternalServerError)
			case "malformed":
				fmt.Fprint(w, `{"data":[{"ngay":"2026-11-01","so_luong":1},]}`)
			case "renamed":
				fmt.Fprint(w, `{"data":[{"ngay":"2026-11-01","soLuong":1}]}`)
			case "text":
				fmt.Fprint(w, `{"data":[{"ngay":"2026-11-01","so_luong":1},{"ngay":"2026-11-02","so_luong":"mười hai"}]}`)
			default:
				fmt.Fprint(w, `{"data":[{"ngay":"2026-11-01","so_luong":1},{"ngay":"2026-11-02","so_luong":2}]}`)
			}
		}))
		defer srv.Close()
		csvSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "Ngày;Số lượng\n01/11/2026;1\n")
		}))
		defer csvSrv.Close()
		env := newConnEnv(t, engineName, hostOf(t, srv.URL), hostOf(t, csvSrv.URL))
		ctx := context.Background()
		c := &tinhso.Connector{Name: "Hệ thống ngành", Enabled: true, OrgUnit: connUnit, Timeout: tinhso.Duration(time.Second),
			Source:  tinhso.ConnectorSource{Kind: tinhso.SourceJSON, URL: srv.URL, Items: "$.data[*]"},
			Mapping: tinhso.ConnectorMapping{Target: tinhso.TargetSeries, Series: "nganh.so_luong", Time: "ngay", Value: "so_luong"}}
		if err := env.app.SaveConnector(ctx, c, "", false, 0); err != nil {
			t.Fatal(err)
		}
		points := func() int {
			res, err := env.db.QueryPoints(ctx, tinhso.PointQuery{Key: "nganh.so_luong", From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
				To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Resolution: "raw"})
			if err != nil {
				return 0 // not registered: no point
			}
			return len(res.Items)
		}
		openAlerts := func() []*tinhso.Alert {
			list, _, err := env.db.FindAlerts(ctx, tinhso.AlertFilter{Page: tinhso.Page{Limit: 100}})
			if err != nil {
				t.Fatal(err)
			}
			var out []*tinhso.Alert
			for _, al := range list {
				if al.Subject.Kind == "connector" && al.State == tinhso.AlertOpen {
					out = append(out, al)
				}
			}
			return out
		}
		cases := []struct{ mode, key, path string }{
			{"slow", "connectors.err.timeout_run", ""},
			{"500", "connectors.err.status", srv.URL},
			{"malformed", "connectors.err.json", srv.URL},
			{"renamed", "connectors.err.missing_field", "$['data'][0]"},
			{"text", "connectors.err.bad_number", "$['data'][1]"},
		}
		for i, tc := range cases {
			mode.Store(tc.mode)
			run, err := env.app.RunConnector(ctx, c.ID, tinhso.TriggerManual)
			if err != nil {
				t.Fatal(err)
			}
			if run.Outcome != tinhso.RunFailed || run.Written != 0 || len(run.Errors) == 0 || run.Errors[0].Message.Key != tc.key || run.Errors[0].Path != tc.path {
				t.Fatalf("%s: %+v", tc.mode, run)
			}
			if n := points(); n != 0 {
				t.Fatalf("%s: %d points stored", tc.mode, n)
			}
			if want := i >= 2; (len(openAlerts()) == 1) != want {
				t.Fatalf("%s: after %d failures open alerts %v", tc.mode, i+1, openAlerts())
			}
		}
		got, _ := env.app.Connector(ctx, c.ID)
		if got.Failures != 5 || got.LastRun.Outcome != tinhso.RunFailed {
			t.Fatalf("state: %+v", got)
		}
		al := openAlerts()[0]
		if al.Rule != engine.ConnectorRuleKey || al.OrgUnit != connUnit || al.Subject.Key != c.Name {
			t.Fatalf("alert: %+v", al)
		}
		// A good run writes and resolves the alert.
		mode.Store("ok")
		run, _ := env.app.RunConnector(ctx, c.ID, tinhso.TriggerManual)
		if run.Outcome != tinhso.RunOK || points() != 2 || len(openAlerts()) != 0 {
			t.Fatalf("recovery: %+v, %d points, %v", run, points(), openAlerts())
		}

		// A missing CSV column names the columns there are.
		cc := csvConnector(csvSrv.URL)
		cc.Mapping.Value = "Tỷ lệ"
		if err := env.app.SaveConnector(ctx, cc, "", false, 0); err != nil {
			t.Fatal(err)
		}
		run, _ = env.app.RunConnector(ctx, cc.ID, tinhso.TriggerManual)
		if run.Outcome != tinhso.RunFailed || run.Errors[0].Message.Key != "connectors.err.missing_column" ||
			fmt.Sprint(run.Errors[0].Message.Args) != "[Tỷ lệ Ngày, Số lượng]" {
			t.Fatalf("missing column: %+v", run)
		}
		if figs, _ := env.db.FindConnectorFigures(ctx, connIndicator); len(figs) != 0 {
			t.Fatalf("figures: %v", figs)
		}
	})
}

// TestConnectorGuard: a connector pointed at tinhso itself or at the metadata address
// is refused unless an admin allowed that host.
func TestConnectorGuard(t *testing.T) {
	t.Parallel()
	self, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer self.Close()
	for _, tc := range []struct {
		url   string
		allow []string
		ok    bool
	}{
		{"http://" + self.Addr().String() + "/api/v1/tasks", nil, false},
		{"http://169.254.169.254/latest/meta-data/", nil, false},
		{"http://[::1]:8080/", nil, false},
		{"http://" + self.Addr().String() + "/x.csv", []string{self.Addr().String()}, true},
		{"http://169.254.169.254/latest/meta-data/", []string{"169.254.169.254"}, true},
	} {
		db := sqldbtest.OpenSeeded(t, "sqlite")
		g, err := netguard.New(netguard.Config{Allow: tc.allow, Listen: []string{self.Addr().String()}})
		if err != nil {
			t.Fatal(err)
		}
		kr, _ := secret.NewKeyring(secret.GenerateKey())
		a := app.New(db, app.Options{})
		a.SetConnectorOptions(app.ConnectorOptions{Fetcher: connector.New(g, ""), Secrets: kr})
		c := csvConnector(tc.url)
		err = a.SaveConnector(context.Background(), c, "", false, 0)
		var te *tinhso.Error
		if tc.ok != (err == nil) || (!tc.ok && (!asErr(err, &te) || te.Field != "source.url" || !strings.HasPrefix(te.Key, "netguard."))) {
			t.Errorf("%s allow %v: %v", tc.url, tc.allow, err)
		}
		if !tc.ok {
			if list, _ := a.Connectors(context.Background()); len(list) != 0 {
				t.Errorf("%s: a refused connector was stored", tc.url)
			}
		}
	}
}

// TestConnectorSQL runs a query against another PostgreSQL database as a read-only
// role; a query that tries to write fails and stores nothing.
func TestConnectorSQL(t *testing.T) {
	base := os.Getenv("TINHSO_TEST_DATABASE_URL")
	if base == "" {
		t.Skip("TINHSO_TEST_DATABASE_URL is not set")
	}
	t.Parallel()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	name := fmt.Sprintf("conn_src_%d", time.Now().UnixNano())
	role := name + "_ro"
	for _, q := range []string{`CREATE DATABASE ` + name, `CREATE ROLE ` + role + ` LOGIN PASSWORD 'doc-chi-9876'`} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		admin, _ := pgx.Connect(ctx, base)
		defer admin.Close(ctx)
		admin.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		admin.Exec(ctx, `DROP ROLE IF EXISTS `+role)
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	src, err := pgx.Connect(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE ho_so (ngay date, ty_le numeric(5,2))`,
		`INSERT INTO ho_so VALUES ('2026-03-31', 62.5), ('2026-06-30', 71.25)`,
		`GRANT SELECT, INSERT ON ho_so TO ` + role, // even a role that may write cannot
	} {
		if _, err := src.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	src.Close(ctx)
	ro := *u
	ro.User = url.User(role)
	env := newConnEnv(t, "postgres")
	c := &tinhso.Connector{Name: "CSDL ngành", Enabled: true, OrgUnit: connUnit,
		Source:  tinhso.ConnectorSource{Kind: tinhso.SourceSQL, DSN: ro.String(), Query: `SELECT ngay, ty_le FROM ho_so ORDER BY ngay`},
		Mapping: tinhso.ConnectorMapping{Target: tinhso.TargetIndicator, Indicator: connIndicator, Period: tinhso.FreqQuarterly, Time: "ngay", Value: "ty_le"}}
	if err := env.app.SaveConnector(ctx, c, "doc-chi-9876", false, 0); err != nil {
		t.Fatal(err)
	}
	run, err := env.app.RunConnector(ctx, c.ID, tinhso.TriggerManual)
	if err != nil || run.Outcome != tinhso.RunOK || run.Written != 2 {
		t.Fatalf("%+v %v", run, err)
	}
	figs, _ := env.db.FindConnectorFigures(ctx, connIndicator)
	if len(figs) != 2 || figs[1].Value != 71.25 || figs[0].Approved {
		t.Fatalf("%+v", figs)
	}
	// Not auto-approved: not on the figure path yet.
	if path, _ := env.db.IndicatorFigures(ctx, tinhso.FigureFilter{Indicators: []string{connIndicator}, Sources: []string{tinhso.FigureConnector}}); len(path) != 0 {
		t.Fatalf("unapproved figures on the path: %+v", path)
	}
	// A query that tries to write fails in the read-only transaction.
	c.Source.Query = `WITH x AS (INSERT INTO ho_so VALUES ('2026-09-30', 99) RETURNING ngay, ty_le) SELECT ngay, ty_le FROM x`
	if err := env.app.SaveConnector(ctx, c, "", false, c.Version); err != nil {
		t.Fatal(err)
	}
	run, _ = env.app.RunConnector(ctx, c.ID, tinhso.TriggerManual)
	if run.Outcome != tinhso.RunFailed || run.Errors[0].Message.Key != "connectors.err.sql" || !strings.Contains(fmt.Sprint(run.Errors[0].Message.Args), "read-only") {
		t.Fatalf("write: %+v", run)
	}
	src, _ = pgx.Connect(ctx, u.String())
	defer src.Close(ctx)
	var n int
	src.QueryRow(ctx, `SELECT count(*) FROM ho_so`).Scan(&n)
	if n != 2 {
		t.Fatalf("%d rows in the source", n)
	}
	// A statement slower than the timeout is cut.
	c.Source.Query, c.Timeout = `SELECT ngay, ty_le FROM ho_so, pg_sleep(3)`, tinhso.Duration(time.Second)
	if err := env.app.SaveConnector(ctx, c, "", false, 0); err != nil {
		t.Fatal(err)
	}
	run, _ = env.app.RunConnector(ctx, c.ID, tinhso.TriggerManual)
	if run.Outcome != tinhso.RunFailed || len(run.Errors) == 0 {
		t.Fatalf("timeout: %+v", run)
	}
	if strings.Contains(env.log.String(), "doc-chi") {
		t.Fatal("the password was logged")
	}
}

// TestConnectorSchedule: a clock the test controls; each connector runs once per due
// time, and a run slower than its interval is not started again while it runs.
func TestConnectorSchedule(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engineName string) {
		var requests atomic.Int32
		gate := make(chan struct{})
		started := make(chan struct{}, 10)
		var slow atomic.Bool
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			if slow.Load() {
				started <- struct{}{}
				<-gate
			}
			fmt.Fprintf(w, "Ngày;Tỷ lệ\n31/03/2026;%d\n", requests.Load())
		}))
		defer srv.Close()
		env := newConnEnv(t, engineName, hostOf(t, srv.URL))
		ctx := context.Background()
		c := csvConnector(srv.URL)
		c.Schedule.Every = tinhso.Duration(10 * time.Minute)
		if err := env.app.SaveConnector(ctx, c, "", false, 0); err != nil {
			t.Fatal(err)
		}
		cr := csvConnector(srv.URL + "/cron")
		cr.Name, cr.Schedule.Cron = "theo lịch cron", "30 7 * * 1-5" // 07:30 on weekdays, Vietnam time
		if err := env.app.SaveConnector(ctx, cr, "", false, 0); err != nil {
			t.Fatal(err)
		}
		s := env.app.NewConnectorScheduler()
		// Monday 30 November 2026, 07:00 in Hà Nội.
		t0 := time.Date(2026, 11, 30, 7, 0, 0, 0, tinhso.Location)
		tick := func(at time.Time) []int64 {
			ids, err := s.Tick(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			s.Wait()
			return ids
		}
		if ids := tick(t0); len(ids) != 1 || ids[0] != c.ID {
			t.Fatalf("first tick: %v", ids)
		}
		if ids := tick(t0.Add(5 * time.Minute)); len(ids) != 0 {
			t.Fatalf("not due: %v", ids)
		}
		if ids := tick(t0.Add(10 * time.Minute)); len(ids) != 1 {
			t.Fatalf("due again: %v", ids)
		}
		if ids := tick(t0.Add(30 * time.Minute)); len(ids) != 2 { // the interval, and 07:30
			t.Fatalf("07:30: %v", ids)
		}
		if ids := tick(t0.Add(31 * time.Minute)); len(ids) != 0 {
			t.Fatalf("07:31: %v", ids)
		}
		// Missed times are not caught up: one run at 08:05, the next due 08:10.
		if ids := tick(t0.Add(65 * time.Minute)); len(ids) != 1 {
			t.Fatalf("08:05: %v", ids)
		}
		if ids := tick(t0.Add(69 * time.Minute)); len(ids) != 0 {
			t.Fatalf("08:09: %v", ids)
		}
		// A slow run: the ticks while it runs start nothing.
		slow.Store(true)
		ids, err := s.Tick(ctx, t0.Add(70*time.Minute))
		if err != nil || len(ids) != 1 {
			t.Fatalf("08:10: %v %v", ids, err)
		}
		<-started
		for _, m := range []int{80, 90, 100} {
			if ids, _ := s.Tick(ctx, t0.Add(time.Duration(m)*time.Minute)); len(ids) != 0 {
				t.Fatalf("overlap at +%d min: %v", m, ids)
			}
		}
		close(gate)
		s.Wait()
		slow.Store(false)
		if ids := tick(t0.Add(101 * time.Minute)); len(ids) != 1 {
			t.Fatalf("after the slow run: %v", ids)
		}
		// Tuesday 07:30 runs the cron connector again. Wednesday to Friday are missed
		// (no tick): Saturday's tick runs it once, and the next is Monday's.
		if ids := tick(time.Date(2026, 12, 1, 7, 30, 0, 0, tinhso.Location)); len(ids) != 2 {
			t.Fatalf("Tuesday: %v", ids)
		}
		if ids := tick(time.Date(2026, 12, 5, 7, 30, 0, 0, tinhso.Location)); len(ids) != 2 {
			t.Fatalf("Saturday: %v", ids)
		}
		if ids := tick(time.Date(2026, 12, 5, 7, 35, 0, 0, tinhso.Location)); len(ids) != 0 {
			t.Fatalf("Saturday 07:35: %v", ids)
		}
		runs, _ := env.app.ConnectorRuns(ctx, cr.ID, 50)
		if len(runs) != 3 {
			t.Fatalf("cron runs: %d", len(runs))
		}
		runs, _ = env.app.ConnectorRuns(ctx, c.ID, 50)
		if len(runs) != 8 {
			t.Fatalf("interval runs: %d", len(runs))
		}
	})
}
