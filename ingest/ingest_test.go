package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	influxdb2 "github.com/influxdata/influxdb-client-go/v2"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/bus"
	"github.com/tinhso/tinhso/ingest"
	"github.com/tinhso/tinhso/sqldb"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
	"github.com/tinhso/tinhso/tsdb"
)

// The tokens of the harness: one per scope.
const (
	tokAll    = "tsk_all_0123456789abcdef"
	tokWrite  = "tsk_write_0123456789abcdef"
	tokPlan   = "tsk_plan_0123456789abcdef"
	tokLeader = "tsk_leader_0123456789abcdef"
)

// now is the harness's clock: points are judged against it.
var now = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

type harness struct {
	db     *sqldb.DB
	bus    *bus.Memory
	srv    *httptest.Server
	policy string
	mu     sync.Mutex
}

type option func(*ingest.Config)

func newHarness(tb testing.TB, engine string, writer bool, opts ...option) *harness {
	tb.Helper()
	ctx := context.Background()
	h := &harness{db: sqldbtest.Open(tb, engine), policy: tinhso.UnknownSeriesCreate}
	h.db.Now = func() time.Time { return now }
	for _, u := range []struct {
		name, role, tok string
		scopes          []string
	}{{"admin", tinhso.RoleAdmin, tokAll, []string{"all"}}, {"sensor", tinhso.RoleAdmin, tokWrite, []string{tinhso.ActWriteSeries}},
		{"planner", tinhso.RoleAdmin, tokPlan, []string{tinhso.ActWritePlan}}, {"leader", tinhso.RoleLeader, tokLeader, []string{"all"}}} {
		user := &tinhso.User{Username: u.name, Name: u.name, Role: u.role}
		if err := h.db.CreateUser(ctx, user, ""); err != nil {
			tb.Fatal(err)
		}
		sum := sha256.Sum256([]byte(u.tok))
		if err := h.db.CreateAPIToken(ctx, &tinhso.APIToken{UserID: user.ID, Name: u.name, Scopes: u.scopes, Hash: hex.EncodeToString(sum[:])}); err != nil {
			tb.Fatal(err)
		}
	}
	h.bus = bus.NewMemory(bus.Limits{MaxMessages: 1000, MaxPoints: 5_000_000, MaxBytes: 128 << 20})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := ingest.Config{
		Bus: h.bus, Registry: h.db, Auth: &ingest.UserTokens{Users: h.db, Now: func() time.Time { return now }},
		UnknownSeries: func(context.Context) string { h.mu.Lock(); defer h.mu.Unlock(); return h.policy },
		Now:           func() time.Time { return now }, Logger: log, Timeout: 10 * time.Second,
	}
	for _, o := range opts {
		o(&cfg)
	}
	mux := http.NewServeMux()
	ingest.New(cfg).Register(mux)
	h.srv = httptest.NewServer(mux)
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	if writer {
		go func() {
			defer close(done)
			w := ingest.NewWriter(h.db, h.bus, ingest.WriterConfig{Logger: log, Now: func() time.Time { return now }})
			if err := w.Run(wctx); err != nil {
				tb.Error(err)
			}
		}()
	} else {
		close(done)
	}
	tb.Cleanup(func() {
		h.srv.Close()
		cancel()
		<-done
		h.bus.Close()
	})
	return h
}

func (h *harness) setPolicy(p string) {
	h.mu.Lock()
	h.policy = p
	h.mu.Unlock()
}

type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (h *harness) post(tb testing.TB, path string, body []byte, headers ...string) reply {
	tb.Helper()
	req, err := http.NewRequest("POST", h.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &r.body); err != nil {
			tb.Fatalf("%s: body %q is not JSON: %v", path, raw, err)
		}
	}
	return r
}

// points reads back every raw point of a series.
func (h *harness) points(tb testing.TB, key string) []tinhso.Point {
	tb.Helper()
	res, err := h.db.QueryPoints(context.Background(), tinhso.PointQuery{Key: key, From: time.Unix(0, 0), To: now.Add(48 * time.Hour), Resolution: "raw"})
	if tinhso.ErrorCode(err) == tinhso.ENOTFOUND {
		return nil
	}
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]tinhso.Point, len(res.Items))
	for i, it := range res.Items {
		out[i] = tinhso.Point{T: it.Time.UnixNano(), V: it.Value}
	}
	return out
}

func samePoints(got, want []tinhso.Point) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i].T != want[i].T || math.Float64bits(got[i].V) != math.Float64bits(want[i].V) {
			return false
		}
	}
	return true
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func basic(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

// Points sent through every endpoint, at every precision, plain and gzipped, come back
// exactly: the same times to the nanosecond and the same float64 bits.
func TestRoundTripEveryEndpoint(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		h := newHarness(t, engine, true)
		base := now.Add(-time.Hour).Truncate(time.Hour)
		values := []float64{21.5, -0.0, 0, 1e-300, 123456789.123, -42, 9007199254740992, 0.1 + 0.2}
		type tc struct {
			name, path string
			unit       time.Duration
			headers    []string
			gzip       bool
		}
		cases := []tc{
			{"v2 ns", "/api/v2/write?org=o&bucket=b&precision=ns", time.Nanosecond, []string{"Authorization", "Token " + tokAll}, false},
			{"v2 default", "/api/v2/write?org=o&bucket=b", time.Nanosecond, []string{"Authorization", "Token " + tokWrite}, false},
			{"v2 us gzip", "/api/v2/write?org=o&bucket=b&precision=us", time.Microsecond, []string{"Authorization", "Token " + tokAll, "Content-Encoding", "gzip"}, true},
			{"v2 ms", "/api/v2/write?org=o&bucket=b&precision=ms", time.Millisecond, []string{"Authorization", "Token " + tokAll}, false},
			{"v2 s", "/api/v2/write?org=o&bucket=b&precision=s", time.Second, []string{"Authorization", "Token " + tokAll}, false},
			{"v1 n p", "/write?db=tinhso&precision=n&u=x&p=" + tokAll, time.Nanosecond, nil, false},
			{"v1 u basic", "/write?db=tinhso&precision=u", time.Microsecond, []string{"Authorization", basic("telegraf", tokAll)}, false},
			{"v1 ms gzip", "/write?db=tinhso&precision=ms", time.Millisecond, []string{"Authorization", basic("telegraf", tokAll), "Content-Encoding", "gzip"}, true},
			{"v1 s token", "/write?db=tinhso&precision=s", time.Second, []string{"Authorization", "Token " + tokAll}, false},
			{"v1 m", "/write?db=tinhso&precision=m&p=" + tokAll, time.Minute, nil, false},
			{"v1 h", "/write?db=tinhso&precision=h&p=" + tokAll, time.Hour, nil, false},
			{"native ns", "/api/v1/write?precision=ns", time.Nanosecond, []string{"Authorization", "Bearer " + tokAll}, false},
			{"native ms gzip", "/api/v1/write?precision=ms", time.Millisecond, []string{"Authorization", "Bearer " + tokAll, "Content-Encoding", "gzip"}, true},
		}
		for i, c := range cases {
			// Each case writes its own series: a plain one, a tagged field and a
			// "value" field with tags; times at the precision, with sub-unit offsets
			// only where the unit allows them.
			m := fmt.Sprintf("rt%d", i)
			var body bytes.Buffer
			want := map[string][]tinhso.Point{}
			for j, v := range values {
				ts := base.Add(time.Duration(j) * max(c.unit, 15*time.Minute)).UnixNano()
				if c.unit == time.Nanosecond {
					ts += int64(j*7919 + 1)
				}
				ts -= ts % int64(c.unit)
				fmt.Fprintf(&body, "%s value=%s %d\n", m, formatLP(v), ts/int64(c.unit))
				fmt.Fprintf(&body, "%s,site=hn,kind=pm pm25=%s,pm10=%di %d\n", m, formatLP(v), j, ts/int64(c.unit))
				want[m] = append(want[m], tinhso.Point{T: ts, V: v})
				want[m+",kind=pm,site=hn.pm25"] = append(want[m+",kind=pm,site=hn.pm25"], tinhso.Point{T: ts, V: v})
				want[m+",kind=pm,site=hn.pm10"] = append(want[m+",kind=pm,site=hn.pm10"], tinhso.Point{T: ts, V: float64(j)})
			}
			b := body.Bytes()
			if c.gzip {
				b = gz(b)
			}
			r := h.post(t, c.path, b, c.headers...)
			if r.status != http.StatusNoContent || r.raw != "" {
				t.Fatalf("%s: %d %s", c.name, r.status, r.raw)
			}
			for key, pts := range want {
				if got := h.points(t, key); !samePoints(got, pts) {
					t.Errorf("%s: %s read back %v, want %v", c.name, key, got, pts)
				}
			}
		}
		// JSON: RFC 3339 with and without a fraction and a zone, epoch milliseconds
		// with and without decimals, tags joined to the key.
		js := `{"points": [
			{"series": "js.a", "time": "2026-12-01T08:00:00Z", "value": 21.5},
			{"series": "js.a", "time": "2026-12-01T15:00:00.000000001+07:00", "value": -0.0},
			{"series": "js.a", "time": 1796112000123, "value": 1e-300},
			{"series": "js.a", "time": 1796112000123.456789, "value": 9007199254740992},
			{"series": "air", "tags": {"site": "hn", "kind": "pm"}, "time": "2026-12-01T08:30:00.5Z", "value": 12},
			{"value": 7, "time": "2026-12-01T08:40:00Z", "series": "key,with=commas"}
		]}`
		r := h.post(t, "/api/v1/ingest", []byte(js), "Authorization", "Bearer "+tokAll)
		if r.status != http.StatusNoContent {
			t.Fatalf("json: %d %s", r.status, r.raw)
		}
		at := func(s string) int64 { tm, _ := time.Parse(time.RFC3339Nano, s); return tm.UnixNano() }
		wantJS := map[string][]tinhso.Point{
			"js.a": {{T: at("2026-12-01T08:00:00Z"), V: 21.5}, {T: at("2026-12-01T08:00:00.000000001Z"), V: math.Copysign(0, -1)},
				{T: 1796112000123_000000, V: 1e-300}, {T: 1796112000123_456789, V: 9007199254740992}},
			"air,kind=pm,site=hn": {{T: at("2026-12-01T08:30:00.5Z"), V: 12}},
			"key,with=commas":     {{T: at("2026-12-01T08:40:00Z"), V: 7}},
		}
		for key, pts := range wantJS {
			if got := h.points(t, key); !samePoints(got, pts) {
				t.Errorf("json: %s read back %v, want %v", key, got, pts)
			}
		}
		// A gzipped JSON batch.
		r = h.post(t, "/api/v1/ingest", gz([]byte(`{"points":[{"series":"js.gz","time":1796112000000,"value":3.25}]}`)), "Authorization", "Bearer "+tokAll, "Content-Encoding", "gzip")
		if r.status != http.StatusNoContent {
			t.Fatalf("json gzip: %d %s", r.status, r.raw)
		}
		if got := h.points(t, "js.gz"); !samePoints(got, []tinhso.Point{{T: 1796112000000_000000, V: 3.25}}) {
			t.Errorf("json gzip: %v", got)
		}
		// The latest point and the registry entries created on the way.
		s, err := h.db.FindSeriesByKey(context.Background(), "air,kind=pm,site=hn")
		if err != nil || s.Name != s.Key {
			t.Errorf("created series: %+v %v", s, err)
		}
	})
}

// formatLP writes a float as line protocol reads it back to the same bits.
func formatLP(v float64) string {
	if v == 0 && math.Signbit(v) {
		return "-0.0"
	}
	return fmt.Sprint(v)
}

// Out-of-order and duplicate points, within a batch and across batches: the last write
// of each time wins, through the HTTP path and the writer's group commits.
func TestLastWriteWinsOverHTTP(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		h := newHarness(t, engine, true)
		send := func(body string) {
			t.Helper()
			r := h.post(t, "/api/v2/write?bucket=b&precision=s", []byte(body), "Authorization", "Token "+tokAll)
			if r.status != 204 {
				t.Fatalf("%d %s", r.status, r.raw)
			}
		}
		t0 := now.Add(-time.Hour).Unix()
		send(fmt.Sprintf("lww value=3 %d\nlww value=1 %d\nlww value=2 %d\nlww value=9 %d\n", t0+30, t0+10, t0+20, t0+10))
		send(fmt.Sprintf("lww value=5 %d\nlww value=0.5 %d\n", t0+20, t0+5))
		want := []tinhso.Point{{T: (t0 + 5) * 1e9, V: 0.5}, {T: (t0 + 10) * 1e9, V: 9}, {T: (t0 + 20) * 1e9, V: 5}, {T: (t0 + 30) * 1e9, V: 3}}
		if got := h.points(t, "lww"); !samePoints(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		if _, err := h.db.Compact(context.Background(), 0, true); err != nil {
			t.Fatal(err)
		}
		send(fmt.Sprintf("lww value=7 %d\n", t0+5))
		want[0].V = 7
		if got := h.points(t, "lww"); !samePoints(got, want) {
			t.Errorf("after folding: got %v, want %v", got, want)
		}
		latest, _ := h.db.LatestPoints(context.Background(), []string{"lww"})
		if len(latest) != 1 || latest[0].Value != 3 || latest[0].Time.Unix() != t0+30 {
			t.Errorf("latest %+v", latest)
		}
	})
}

// Bad batches are refused whole with 400 (413 when too big) naming each offending line
// or point, and nothing of them is stored.
func TestRefusals(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		h := newHarness(t, engine, true, func(c *ingest.Config) { c.MaxPoints = 10; c.MaxBodyBytes = 4096 })
		ctx := context.Background()
		if err := h.db.CreateSeries(ctx, &tinhso.Series{Key: "known", Name: "Known"}); err != nil {
			t.Fatal(err)
		}
		ts := now.Add(-time.Minute).UnixNano()
		lp := func(lines ...string) []byte { return []byte(strings.Join(lines, "\n")) }
		ok := fmt.Sprintf("known value=1 %d", ts)
		v2 := "/api/v2/write?bucket=b"
		auth := []string{"Authorization", "Token " + tokAll}
		type tc struct {
			name, path string
			body       []byte
			policy     string
			status     int
			lines      []int  // offending lines named, in order
			key        string // message key of the first
		}
		big := strings.Repeat("x", 5000)
		cases := []tc{
			{"malformed", v2, lp(ok, "known value=", ok), "", 400, []int{2}, "ingest.line.malformed"},
			{"NaN", v2, lp(ok, fmt.Sprintf("known value=NaN %d", ts)), "", 400, []int{2}, "ingest.line.not_finite"},
			{"+Inf", v2, lp(fmt.Sprintf("known value=+Inf %d", ts), ok), "", 400, []int{1}, "ingest.line.not_finite"},
			{"-Inf and NaN", v2, lp(ok, fmt.Sprintf("known value=-Inf %d", ts), ok, fmt.Sprintf("known value=nan %d", ts)), "", 400, []int{2, 4}, "ingest.line.not_finite"},
			{"before 1970", v2, lp(ok, "known value=1 -1000000000"), "", 400, []int{2}, "ingest.line.before_1970"},
			{"a day ahead", v2, lp(ok, fmt.Sprintf("known value=1 %d", now.Add(25*time.Hour).UnixNano())), "", 400, []int{2}, "ingest.line.too_far_ahead"},
			{"string field", v2, lp(ok, fmt.Sprintf(`known value="x" %d`, ts)), "", 400, []int{2}, "ingest.line.wrong_type"},
			{"boolean field", v2, lp(fmt.Sprintf(`known value=true %d`, ts)), "", 400, []int{1}, "ingest.line.wrong_type"},
			{"unknown series refused", v2, lp(ok, fmt.Sprintf("ghost value=1 %d", ts), ok, fmt.Sprintf("ghost,a=b value=1 %d", ts)), tinhso.UnknownSeriesRefuse, 400, []int{2, 4}, "ingest.series.unknown"},
			{"too many points", v2, lp(ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, ok), "", 413, nil, "ingest.batch.too_many_points"},
			{"body too large", v2, lp(ok, "# "+big), "", 413, nil, ""},
			{"gzip too large", v2 + "&gz", gz(lp(ok, "# "+big)), "", 413, nil, ""},
			{"bad precision", v2 + "&precision=m", lp(ok), "", 400, nil, ""},
			{"v1 malformed", "/write?db=d&p=" + tokAll, lp("known value=1 1 2 3"), "", 400, []int{1}, "ingest.line.malformed"},
			{"native NaN", "/api/v1/write", lp(ok, ok, fmt.Sprintf("known value=NaN %d", ts)), "", 400, []int{3}, "ingest.line.not_finite"},
			{"json not a number", "/api/v1/ingest", []byte(`{"points":[{"series":"known","value":1},{"series":"known","value":"1"}]}`), "", 400, []int{1}, "ingest.json.bad_value"},
			{"json before 1970", "/api/v1/ingest", []byte("{\"points\":[\n{\"series\":\"known\",\"value\":1,\"time\":\"1969-12-31T23:59:59Z\"},\n{\"series\":\"known\",\"value\":1,\"time\":-5}]}"), "", 400, []int{2, 3}, "ingest.line.before_1970"},
			{"json ahead", "/api/v1/ingest", []byte(fmt.Sprintf(`{"points":[{"series":"known","value":1,"time":%d}]}`, now.Add(48*time.Hour).UnixMilli())), "", 400, []int{1}, "ingest.line.too_far_ahead"},
			{"json unknown field", "/api/v1/ingest", []byte(`{"points":[{"series":"known","value":1,"unit":"x"}]}`), "", 400, []int{1}, "ingest.json.unknown_field"},
			{"json bad key", "/api/v1/ingest", []byte(`{"points":[{"series":"có dấu","value":1}]}`), "", 400, []int{1}, "ingest.json.bad_series"},
			{"json bad time", "/api/v1/ingest", []byte(`{"points":[{"series":"known","value":1,"time":"yesterday"}]}`), "", 400, []int{1}, "ingest.json.bad_time"},
			{"json missing value", "/api/v1/ingest", []byte(`{"points":[{"series":"known"}]}`), "", 400, []int{1}, "ingest.json.missing"},
			{"json syntax", "/api/v1/ingest", []byte(`{"points":[{"series":"known","value":1},]}`), "", 400, []int{1}, "ingest.json.malformed"},
			{"json shape", "/api/v1/ingest", []byte(`[1,2]`), "", 400, []int{1}, "ingest.json.malformed"},
			{"json unknown series", "/api/v1/ingest", []byte(`{"points":[{"series":"known","value":1},{"series":"ghost","value":1}]}`), tinhso.UnknownSeriesRefuse, 400, nil, "ingest.series.unknown_point"},
			{"json too many", "/api/v1/ingest", []byte(`{"points":[` + strings.TrimSuffix(strings.Repeat(`{"series":"known","value":1},`, 11), ",") + `]}`), "", 413, nil, "ingest.batch.too_many_points"},
			{"unknown encoding", v2 + "&br", lp(ok), "", 415, nil, ""},
		}
		for _, c := range cases {
			h.setPolicy(c.policy)
			headers := auth
			if strings.HasPrefix(c.path, "/api/v1/") {
				headers = []string{"Authorization", "Bearer " + tokAll}
			}
			if strings.HasSuffix(c.path, "&gz") {
				headers = append(headers, "Content-Encoding", "gzip")
			}
			if strings.HasSuffix(c.path, "&br") {
				headers = append(headers, "Content-Encoding", "br")
			}
			before, _ := h.db.StoredSize(ctx)
			r := h.post(t, c.path, c.body, headers...)
			if r.status != c.status {
				t.Errorf("%s: status %d, want %d: %s", c.name, r.status, c.status, r.raw)
				continue
			}
			if r.body["code"] == nil || (r.body["message"] == nil && r.body["error"] == nil) {
				t.Errorf("%s: body %s has no code and message", c.name, r.raw)
			}
			lines, _ := r.body["lines"].([]any)
			if c.key != "" && (len(lines) == 0 || lines[0].(map[string]any)["key"] != c.key) {
				t.Errorf("%s: lines %v, want key %s", c.name, lines, c.key)
			}
			if c.lines != nil {
				var got []int
				for _, l := range lines {
					got = append(got, int(l.(map[string]any)["line"].(float64)))
				}
				if fmt.Sprint(got) != fmt.Sprint(c.lines) {
					t.Errorf("%s: lines %v, want %v: %s", c.name, got, c.lines, r.raw)
				}
				for _, n := range c.lines {
					if !strings.Contains(r.raw, fmt.Sprintf("line %d", n)) && !strings.Contains(r.raw, "points[") {
						t.Errorf("%s: the message does not name line %d: %s", c.name, n, r.raw)
					}
				}
			}
			after, _ := h.db.StoredSize(ctx)
			if after.Points != before.Points {
				t.Errorf("%s: %d points stored by a refused batch", c.name, after.Points-before.Points)
			}
			if _, err := h.db.FindSeriesByKey(ctx, "ghost"); err == nil {
				t.Fatalf("%s: an unknown series was created by a refused batch", c.name)
			}
		}
		// An error on a registered series is its last error, stored as its message.
		st, _ := h.db.IngestStats(ctx, []string{"known"})
		if len(st) != 1 || tinhso.IngestErrorMessage(st[0].LastError).Key != tsdb.KeyNotFinite || !strings.Contains(tinhso.IngestErrorMessage(st[0].LastError).String(), "not a finite number") || st[0].LastErrorAt == nil {
			t.Errorf("last error of known: %+v", st)
		}
		// The unknown series is created when the policy says so.
		h.setPolicy(tinhso.UnknownSeriesCreate)
		if r := h.post(t, v2, lp(fmt.Sprintf("ghost value=1 %d", ts)), auth...); r.status != 204 {
			t.Errorf("create policy: %d %s", r.status, r.raw)
		}
	})
}

// Who may write: a token with series:write or all, of a role that may; others get 401
// or 403 in InfluxDB's error shape, and nothing is stored.
func TestIngestAuth(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "sqlite", true)
	body := []byte(fmt.Sprintf("auth value=1 %d", now.Add(-time.Minute).UnixNano()))
	for _, c := range []struct {
		name, path string
		headers    []string
		status     int
		code       string
	}{
		{"no token", "/api/v2/write?bucket=b", nil, 401, "unauthorized"},
		{"wrong token", "/api/v2/write?bucket=b", []string{"Authorization", "Token tsk_nope"}, 401, "unauthorized"},
		{"plan scope", "/api/v2/write?bucket=b", []string{"Authorization", "Token " + tokPlan}, 403, "forbidden"},
		{"leader role", "/api/v2/write?bucket=b", []string{"Authorization", "Token " + tokLeader}, 403, "forbidden"},
		{"v1 wrong password", "/write?db=d&u=x&p=wrong", nil, 401, "unauthorized"},
		{"native without bearer", "/api/v1/write", []string{"Authorization", "Token " + tokAll}, 401, tinhso.EUNAUTHORIZED},
		{"json leader", "/api/v1/ingest", []string{"Authorization", "Bearer " + tokLeader}, 403, tinhso.EFORBIDDEN},
		{"missing bucket", "/api/v2/write", []string{"Authorization", "Token " + tokAll}, 400, "invalid"},
		{"missing db", "/write?p=" + tokAll, nil, 400, "invalid"},
	} {
		r := h.post(t, c.path, body, c.headers...)
		if r.status != c.status || r.body["code"] != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.status, r.raw, c.status, c.code)
		}
	}
	if pts := h.points(t, "auth"); len(pts) != 0 {
		t.Errorf("refused writes stored %v", pts)
	}
	if r := h.post(t, "/api/v2/write?bucket=b", body, "Authorization", "Token "+tokWrite); r.status != 204 {
		t.Errorf("series:write: %d %s", r.status, r.raw)
	}
}

// When the writer falls behind, the bus's stream is full and a batch is refused with
// 429 and Retry-After, taking nothing; the batches already accepted are not lost.
func TestBackPressure(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "sqlite", false, func(c *ingest.Config) { c.RetryAfter = 2 * time.Second })
	// No writer runs: fill the stream to its limit of messages.
	for range 1000 {
		if _, err := h.bus.Publish(context.Background(), bus.Message{Subject: ingest.SubjectPoints, Data: []byte{1, 0}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, path := range []string{"/api/v2/write?bucket=b", "/api/v1/ingest"} {
		body := []byte(fmt.Sprintf("bp value=1 %d", now.Add(-time.Minute).UnixNano()))
		headers := []string{"Authorization", "Token " + tokAll}
		if path == "/api/v1/ingest" {
			body = []byte(`{"points":[{"series":"bp","value":1}]}`)
			headers = []string{"Authorization", "Bearer " + tokAll}
		}
		r := h.post(t, path, body, headers...)
		if r.status != 429 || r.header.Get("Retry-After") != "2" {
			t.Errorf("%s: %d Retry-After %q: %s", path, r.status, r.header.Get("Retry-After"), r.raw)
		}
	}
	if st := h.bus.Stats(ingest.SubjectPoints); st.Messages != 1000 {
		t.Errorf("the stream holds %d messages, want the 1000 accepted", st.Messages)
	}
}

// The in-flight body budget refuses a body with 429 when other requests hold it all.
func TestInflightBudget(t *testing.T) {
	t.Parallel()
	h := newHarness(t, "sqlite", true, func(c *ingest.Config) { c.MaxInflightBytes = 1000 })
	body := []byte(fmt.Sprintf("budget value=1 %d\n# %s", now.Add(-time.Minute).UnixNano(), strings.Repeat("x", 2000)))
	r := h.post(t, "/api/v2/write?bucket=b", body, "Authorization", "Token "+tokAll)
	if r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Errorf("%d %s", r.status, r.raw)
	}
}

// A real client: influxdb-client-go's blocking write API, as collectors use it.
func TestInfluxDBClient(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		h := newHarness(t, engine, true)
		client := influxdb2.NewClientWithOptions(h.srv.URL, tokAll, influxdb2.DefaultOptions().SetPrecision(time.Millisecond).SetUseGZip(true))
		defer client.Close()
		api := client.WriteAPIBlocking("tinhso", "sensors")
		base := now.Add(-2 * time.Hour).Truncate(time.Second)
		var want []tinhso.Point
		var wantPM []tinhso.Point
		for i := range 500 {
			at := base.Add(time.Duration(i) * 10 * time.Second).Add(time.Duration(i%1000) * time.Millisecond)
			v := float64(2000+i%37) / 100
			p := influxdb2.NewPoint("temp", nil, map[string]any{"value": v}, at)
			q := influxdb2.NewPoint("air", map[string]string{"site": "tn"}, map[string]any{"pm25": int64(i)}, at)
			if err := api.WritePoint(context.Background(), p, q); err != nil {
				t.Fatal(err)
			}
			want = append(want, tinhso.Point{T: at.UnixNano(), V: v})
			wantPM = append(wantPM, tinhso.Point{T: at.UnixNano(), V: float64(i)})
		}
		if got := h.points(t, "temp"); !samePoints(got, want) {
			t.Errorf("temp: %d points read back, want %d", len(got), len(want))
		}
		if got := h.points(t, "air,site=tn.pm25"); !samePoints(got, wantPM) {
			t.Errorf("air: %d points read back, want %d", len(got), len(wantPM))
		}
		// Line protocol as text, and an error as the client reports it.
		if err := api.WriteRecord(context.Background(), fmt.Sprintf("temp value=NaN %d", base.UnixMilli())); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("a NaN: %v", err)
		}
	})
}

// The registry's key rule is tsdb's: every byte at every position, and the length.
func TestKeyRuleAgrees(t *testing.T) {
	t.Parallel()
	for c := range 256 {
		for _, k := range []string{string([]byte{byte(c)}), "a" + string([]byte{byte(c)}) + "b"} {
			if (tinhso.ValidSeriesKey(k) == nil) != (tsdb.ValidKey(k) == nil) {
				t.Errorf("%q: registry %v, tsdb %v", k, tinhso.ValidSeriesKey(k), tsdb.ValidKey(k))
			}
		}
	}
	for _, n := range []int{0, 1, 200, 201} {
		k := strings.Repeat("k", n)
		if (tinhso.ValidSeriesKey(k) == nil) != (tsdb.ValidKey(k) == nil) {
			t.Errorf("length %d disagrees", n)
		}
	}
}

// The writer broadcasts what it committed to live subscribers, and stores the ingest
// statistics when it stops.
func TestWriterLiveAndStats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := sqldbtest.Open(t, "sqlite")
	db.Now = func() time.Time { return now }
	ids, err := db.SeriesIDs(ctx, []string{"live.a", "live.b"}, true)
	if err != nil {
		t.Fatal(err)
	}
	b := bus.NewMemory(bus.Limits{})
	defer b.Close()
	live, cancelLive := b.Subscribe(ingest.SubjectLive, 10)
	defer cancelLive()
	wctx, stop := context.WithCancel(ctx)
	done := make(chan error)
	go func() {
		done <- ingest.NewWriter(db, b, ingest.WriterConfig{Live: true, Now: func() time.Time { return now }}).Run(wctx)
	}()
	series := []tinhso.SeriesPoints{{SeriesID: ids[0], Points: []tinhso.Point{{T: 1, V: 1}, {T: 2, V: 2}}}, {SeriesID: ids[1], Points: []tinhso.Point{{T: 3, V: 3}}}}
	rc, err := b.Publish(ctx, bus.Message{Subject: ingest.SubjectPoints, Data: ingest.EncodeBatch(nil, series), Points: 3})
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := ingest.DecodeBatch(nil, <-live)
	if err != nil || len(got) != 2 || got[0].SeriesID != ids[0] || len(got[0].Points) != 2 || got[1].Points[0] != (tinhso.Point{T: 3, V: 3}) {
		t.Errorf("live: %+v %v", got, err)
	}
	stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	st, err := db.IngestStats(ctx, []string{"live.a", "live.b"})
	if err != nil || len(st) != 2 || st[0].Total != 2 || st[1].Total != 1 || st[0].LastWrite == nil {
		t.Errorf("stats %+v %v", st, err)
	}
}

// A cached token is refused within CacheFor of its revocation, and at once without a
// cache.
func TestTokenCache(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := newHarness(t, "sqlite", false)
	clock := now
	cached := &ingest.UserTokens{Users: h.db, Now: func() time.Time { return clock }, CacheFor: time.Second}
	plain := &ingest.UserTokens{Users: h.db, Now: func() time.Time { return clock }}
	for _, a := range []*ingest.UserTokens{cached, plain} {
		if _, _, err := a.ResolveToken(ctx, tokWrite); err != nil {
			t.Fatal(err)
		}
	}
	toks, _ := h.db.FindAPITokens(ctx, 2)
	if err := h.db.RevokeAPIToken(ctx, toks[0].ID, now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := plain.ResolveToken(ctx, tokWrite); tinhso.ErrorCode(err) != tinhso.EUNAUTHORIZED {
		t.Errorf("uncached after revocation: %v", err)
	}
	if _, _, err := cached.ResolveToken(ctx, tokWrite); err != nil {
		t.Errorf("cached within its second: %v", err)
	}
	clock = clock.Add(time.Second)
	if _, _, err := cached.ResolveToken(ctx, tokWrite); tinhso.ErrorCode(err) != tinhso.EUNAUTHORIZED {
		t.Errorf("cached after its second: %v", err)
	}
}
