package server_test

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	influxdb2 "github.com/influxdata/influxdb-client-go/v2"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/ingest"
	"github.com/tinhso/tinhso/server"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// mustLive starts the ingest path of a test server (the unknown-series setting read for
// every batch).
func mustLive(tb testing.TB, a *testAPI) { mustLiveWith(tb, a, server.LiveOptions{}) }

func mustLiveWith(tb testing.TB, a *testAPI, o server.LiveOptions) {
	tb.Helper()
	o.PolicyCache = -1
	live, err := a.srv.StartLive(context.Background(), o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := live.Close(); err != nil {
			tb.Error(err)
		}
	})
}

// rawPoints reads a series' raw points in [from, to) through the API.
func rawPoints(tb testing.TB, a *testAPI, key string, from, to time.Time) []tinhso.Point {
	tb.Helper()
	r := a.admin(tb, "GET", "/api/v1/series/"+url.PathEscape(key)+"/points?resolution=raw&from="+url.QueryEscape(from.Format(time.RFC3339Nano))+"&to="+url.QueryEscape(to.Format(time.RFC3339Nano)), nil)
	if r.status != 200 {
		tb.Fatalf("points of %s: %d %s", key, r.status, r.body)
	}
	var out []tinhso.Point
	for _, it := range items(tb, r) {
		at, err := time.Parse(time.RFC3339Nano, it["time"].(string))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, tinhso.Point{T: at.UnixNano(), V: it["value"].(float64)})
	}
	return out
}

func samePoints(got, want []tinhso.Point) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d points, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			return fmt.Sprintf("point %d is %+v, want %+v", i, got[i], want[i])
		}
	}
	return ""
}

// Points sent through every ingest endpoint of the composed server, with a token of
// the ingest scope made by the token API, read back exactly through the series API;
// the real influxdb-client-go/v2 library is one of the senders.
func TestLiveIngestRoundTrip(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		mustLive(t, a)
		rep := mustUser(t, a, "cam-bien", "reporter", "van-phong-ubnd-tinh")
		tok, _ := mustToken(t, a, rep, tinhso.ActWriteSeries)
		base := time.Now().Add(-3 * time.Hour).Truncate(time.Millisecond).UTC()
		from, to := base.Add(-time.Minute), base.Add(2*time.Hour)

		// influxdb-client-go: the blocking write API, milliseconds, gzip.
		client := influxdb2.NewClientWithOptions(a.URL, tok, influxdb2.DefaultOptions().SetPrecision(time.Millisecond).SetUseGZip(true))
		defer client.Close()
		w := client.WriteAPIBlocking("tinh-thai-nguyen", "cam-bien")
		var temp, pm []tinhso.Point
		for i := range 300 {
			at := base.Add(time.Duration(i) * 10 * time.Second).Add(time.Duration(i) * time.Millisecond)
			v := float64(2500+i%41) / 100
			if err := w.WritePoint(context.Background(),
				influxdb2.NewPoint("nhiet_do", nil, map[string]any{"value": v}, at),
				influxdb2.NewPoint("khong_khi", map[string]string{"tram": "tn01", "loai": "bui"}, map[string]any{"pm25": int64(i)}, at)); err != nil {
				t.Fatal(err)
			}
			temp = append(temp, tinhso.Point{T: at.UnixNano(), V: v})
			pm = append(pm, tinhso.Point{T: at.UnixNano(), V: float64(i)})
		}
		if d := samePoints(rawPoints(t, a, "nhiet_do", from, to), temp); d != "" {
			t.Errorf("influxdb-client-go, nhiet_do: %s", d)
		}
		if d := samePoints(rawPoints(t, a, "khong_khi,loai=bui,tram=tn01.pm25", from, to), pm); d != "" {
			t.Errorf("influxdb-client-go, khong_khi: %s", d)
		}

		// The 1.x path (token as the password), tinhso's line protocol and JSON, in
		// nanoseconds, seconds and milliseconds.
		ns := base.Add(time.Hour).Add(123456789)
		if r := a.do(t, "POST", "/write?db=x&u=telegraf&p="+url.QueryEscape(tok), fmt.Sprintf("muc_nuoc value=1.25 %d\nmuc_nuoc value=-3e-7 %d\n", ns.UnixNano(), ns.UnixNano()+1)); r.status != 204 {
			t.Fatalf("/write: %d %s", r.status, r.body)
		}
		if d := samePoints(rawPoints(t, a, "muc_nuoc", from, to), []tinhso.Point{{T: ns.UnixNano(), V: 1.25}, {T: ns.UnixNano() + 1, V: -3e-7}}); d != "" {
			t.Errorf("/write: %s", d)
		}
		sec := base.Add(90 * time.Minute).Truncate(time.Second)
		if r := a.do(t, "POST", "/api/v1/write?precision=s", fmt.Sprintf("den,duong=ql1 dong_dien=4i %d", sec.Unix()), bearer(tok)...); r.status != 204 {
			t.Fatalf("/api/v1/write: %d %s", r.status, r.body)
		}
		if d := samePoints(rawPoints(t, a, "den,duong=ql1.dong_dien", from, to), []tinhso.Point{{T: sec.UnixNano(), V: 4}}); d != "" {
			t.Errorf("/api/v1/write: %s", d)
		}
		ms := base.Add(100 * time.Minute)
		body := fmt.Sprintf(`{"points": [{"series": "bai_do_xe", "time": %q, "value": 17}, {"series": "bai_do_xe", "time": %d, "value": 18.5}, {"series": "bai_do_xe", "tags": {"khu": "a"}, "time": %d, "value": 0.1}]}`,
			ms.Format(time.RFC3339Nano), ms.UnixMilli()+1, ms.UnixMilli())
		if r := a.do(t, "POST", "/api/v1/ingest", body, bearer(tok)...); r.status != 204 {
			t.Fatalf("/api/v1/ingest: %d %s", r.status, r.body)
		}
		if d := samePoints(rawPoints(t, a, "bai_do_xe", from, to), []tinhso.Point{{T: ms.UnixNano(), V: 17}, {T: ms.UnixNano() + 1e6, V: 18.5}}); d != "" {
			t.Errorf("/api/v1/ingest: %s", d)
		}
		if d := samePoints(rawPoints(t, a, "bai_do_xe,khu=a", from, to), []tinhso.Point{{T: ms.UnixNano(), V: 0.1}}); d != "" {
			t.Errorf("/api/v1/ingest with tags: %s", d)
		}

		// Rollups: the mean as value, min, max, count and last alongside.
		r := a.admin(t, "GET", "/api/v1/series/nhiet_do/points?resolution=1m&from="+url.QueryEscape(base.Truncate(time.Minute).Format(time.RFC3339))+"&to="+url.QueryEscape(base.Truncate(time.Minute).Add(time.Minute).Format(time.RFC3339)), nil)
		its := items(t, r)
		if len(its) != 1 {
			t.Fatalf("1m: %s", r.body)
		}
		var n int
		var sum, lo, hi, last float64 = 0, math.Inf(1), math.Inf(-1), 0
		for _, p := range temp {
			if p.T >= base.Truncate(time.Minute).UnixNano() && p.T < base.Truncate(time.Minute).Add(time.Minute).UnixNano() {
				n, sum, lo, hi, last = n+1, sum+p.V, min(lo, p.V), max(hi, p.V), p.V
			}
		}
		it := its[0]
		if it["count"].(float64) != float64(n) || math.Abs(it["value"].(float64)-sum/float64(n)) > 1e-9 || it["min"] != lo || it["max"] != hi || it["last"] != last {
			t.Errorf("1m bucket %v, want count %d mean %v min %v max %v last %v", it, n, sum/float64(n), lo, hi, last)
		}
		if got := r.json(t)["resolution"]; got != "1m" {
			t.Errorf("resolution %v", got)
		}

		// The ingest scope sends points and nothing else; another scope sends none.
		if r := a.do(t, "GET", "/api/v1/series", nil, bearer(tok)...); r.status != 403 {
			t.Errorf("series list with the ingest scope only: %d", r.status)
		}
		other, _ := mustToken(t, a, rep, tinhso.ActReadSeries)
		if r := a.do(t, "POST", "/api/v2/write?org=x&bucket=y", "nhiet_do value=1", "Authorization", "Token "+other); r.status != 403 || !strings.Contains(string(r.body), tinhso.ActWriteSeries) {
			t.Errorf("a token without the ingest scope: %d %s", r.status, r.body)
		}
		if r := a.do(t, "GET", "/api/v1/series?limit=1000", nil, bearer(other)...); r.status != 200 || total(t, r) != 6 {
			t.Errorf("series list with series:read: %d %s", r.status, r.body)
		}
		paths := a.do(t, "GET", "/api/v1/openapi.json", nil).json(t)["paths"].(map[string]any)
		for _, p := range []string{"/api/v2/write", "/api/v1/write", "/api/v1/ingest", "/api/v1/series", "/api/v1/series/{key}/points"} {
			if paths[p] == nil {
				t.Errorf("the OpenAPI document has no %s", p)
			}
		}
	})
}

// Bad batches are refused whole, naming the line, and nothing is stored; the
// unknown-series setting refuses new keys when set so through the API.
func TestLiveRefusals(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		mustLive(t, a)
		now := time.Now()
		at := now.Add(-time.Hour).UnixNano()
		send := func(body string) response {
			return a.admin(t, "POST", "/api/v1/write", body)
		}
		if r := send(fmt.Sprintf("co_san value=1 %d", at)); r.status != 204 {
			t.Fatalf("%d %s", r.status, r.body)
		}
		for _, c := range []struct{ name, body, want string }{
			{"malformed", fmt.Sprintf("co_san value=2 %d\nco_san value= %d", at+1, at+2), "line 2"},
			{"NaN", fmt.Sprintf("co_san value=2 %d\nco_san value=NaN %d", at+1, at+2), "line 2"},
			{"+Inf", fmt.Sprintf("co_san value=+Inf %d", at+1), "line 1"},
			{"before 1970", fmt.Sprintf("co_san value=2 %d\nco_san value=2 -5", at+1), "line 2"},
			{"more than a day ahead", fmt.Sprintf("co_san value=2 %d\nco_san value=2 %d", at+1, now.Add(25*time.Hour).UnixNano()), "line 2"},
			{"string field", fmt.Sprintf("co_san value=2 %d\nco_san value=\"hai\" %d", at+1, at+2), "line 2"},
			{"bad key", fmt.Sprintf("co_san value=2 %d\nnhiệt value=2 %d", at+1, at+2), "line 2"},
		} {
			r := send(c.body)
			if r.status != 400 || !strings.Contains(string(r.body), c.want) {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
			}
		}
		if r := a.admin(t, "PUT", "/api/v1/ingest/settings", map[string]any{"unknown_series": "refuse"}); r.status != 200 {
			t.Fatalf("settings: %d %s", r.status, r.body)
		}
		r := send(fmt.Sprintf("co_san value=3 %d\nchua_co value=1 %d", at+1, at+1))
		if r.status != 400 || !strings.Contains(string(r.body), "line 2") || !strings.Contains(string(r.body), "chua_co") {
			t.Errorf("unknown series refused: %d %s", r.status, r.body)
		}
		r = a.admin(t, "POST", "/api/v1/ingest", fmt.Sprintf(`{"points": [{"series": "co_san", "time": %d, "value": 3}, {"series": "chua_co", "time": %d, "value": 1}]}`, at/1e6+1, at/1e6+1))
		if r.status != 400 || !strings.Contains(string(r.body), "chua_co") {
			t.Errorf("unknown series refused (JSON): %d %s", r.status, r.body)
		}
		if r := a.admin(t, "PUT", "/api/v1/ingest/settings", map[string]any{"unknown_series": "maybe"}); r.status != 400 {
			t.Errorf("a bad setting: %d %s", r.status, r.body)
		}
		// Nothing of the refused batches is stored.
		if d := samePoints(rawPoints(t, a, "co_san", now.Add(-2*time.Hour), now), []tinhso.Point{{T: at, V: 1}}); d != "" {
			t.Errorf("after the refusals: %s", d)
		}
		if r := a.admin(t, "GET", "/api/v1/series/chua_co", nil); r.status != 404 {
			t.Errorf("refused series registered: %d", r.status)
		}
		// The last refusal of a line of co_san is its last error, in the reader's language.
		for lang, want := range map[string]string{"en": "only numbers are taken", "vi": "chỉ nhận giá trị số"} {
			r := a.admin(t, "GET", "/api/v1/series/co_san", nil, "Accept-Language", lang)
			st, _ := r.json(t)["ingest"].(map[string]any)
			if msg, _ := st["last_error"].(string); !strings.Contains(msg, want) || !strings.Contains(msg, "2") {
				t.Errorf("last error (%s): %s", lang, r.body)
			}
		}
		if r := a.admin(t, "GET", "/api/v1/ingest/settings", nil); r.json(t)["unknown_series"] != "refuse" {
			t.Errorf("settings: %s", r.body)
		}
	})
}

// The registry through the API: create, list with pagination and a prefix, read with
// the latest point, change with If-Match, delete with its points.
func TestSeriesRegistryAPI(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		mustLive(t, a)
		for _, k := range []string{"kk.pm25", "kk.pm10", "nuoc.ph"} {
			r := a.admin(t, "POST", "/api/v1/series", map[string]any{"key": k, "name": "Chỉ số " + k, "unit": "µg/m³", "tags": map[string]string{"tram": "tn01"},
				"org_unit": "van-phong-ubnd-tinh", "location": map[string]any{"lat": 21.59, "lon": 105.84}, "retention_days": 365})
			if r.status != 201 || r.header.Get("Location") != "/api/v1/series/"+k || r.header.Get("ETag") != `"1"` {
				t.Fatalf("create %s: %d %v %s", k, r.status, r.header, r.body)
			}
		}
		for _, c := range []struct {
			name string
			body map[string]any
		}{
			{"bad key", map[string]any{"key": "kk/pm", "name": "x"}},
			{"no key", map[string]any{"name": "x"}},
			{"latitude", map[string]any{"key": "x", "location": map[string]any{"lat": 91, "lon": 0}}},
			{"retention", map[string]any{"key": "x", "retention_days": -1}},
			{"unknown field", map[string]any{"key": "x", "colour": "red"}},
			{"unknown org unit", map[string]any{"key": "x", "org_unit": "khong-co-don-vi-nay"}},
		} {
			if r := a.admin(t, "POST", "/api/v1/series", c.body); r.status != 400 {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
			}
		}
		if r := a.admin(t, "POST", "/api/v1/series", map[string]any{"key": "kk.pm25"}); r.status != 409 {
			t.Errorf("duplicate: %d %s", r.status, r.body)
		}
		r := a.admin(t, "GET", "/api/v1/series?prefix=kk.&limit=1&offset=1", nil)
		its := items(t, r)
		if total(t, r) != 2 || len(its) != 1 || its[0]["key"] == nil {
			t.Fatalf("page: %s", r.body)
		}
		at := time.Now().Add(-time.Minute).Truncate(time.Microsecond).UTC()
		if r := a.admin(t, "POST", "/api/v1/write", fmt.Sprintf("kk.pm25 value=12.5 %d", at.UnixNano())); r.status != 204 {
			t.Fatalf("write: %d %s", r.status, r.body)
		}
		r = a.admin(t, "GET", "/api/v1/series/kk.pm25", nil)
		m := r.json(t)
		latest, _ := m["latest"].(map[string]any)
		if r.status != 200 || m["key"] != "kk.pm25" || latest == nil || latest["value"] != 12.5 || latest["time"] != at.Format(time.RFC3339Nano) {
			t.Errorf("get: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "PATCH", "/api/v1/series/kk.pm25", map[string]any{"unit": "ppm"}, "If-Match", `"1"`); r.status != 200 || r.json(t)["unit"] != "ppm" || r.json(t)["name"] != "Chỉ số kk.pm25" || r.header.Get("ETag") != `"2"` {
			t.Errorf("patch: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "PATCH", "/api/v1/series/kk.pm25", map[string]any{"unit": "x"}, "If-Match", `"1"`); r.status != 412 {
			t.Errorf("stale If-Match: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "PATCH", "/api/v1/series/kk.pm25", map[string]any{"key": "kk.other"}); r.status != 400 {
			t.Errorf("key change: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "PUT", "/api/v1/series/kk.pm10", map[string]any{"name": "Bụi PM10"}); r.status != 200 || r.json(t)["unit"] != "" || r.json(t)["retention_days"] != 0.0 {
			t.Errorf("put: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "DELETE", "/api/v1/series/kk.pm25", nil); r.status != 204 {
			t.Errorf("delete: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "GET", "/api/v1/series/kk.pm25/points", nil); r.status != 404 {
			t.Errorf("points of a deleted series: %d %s", r.status, r.body)
		}
		for _, q := range []string{"resolution=5m", "from=yesterday", "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "colour=red"} {
			if r := a.admin(t, "GET", "/api/v1/series/nuoc.ph/points?"+q, nil); r.status != 400 {
				t.Errorf("%s: %d %s", q, r.status, r.body)
			}
		}
		if r := a.admin(t, "GET", "/api/v1/series/nuoc.ph/points", nil); r.status != 200 || r.json(t)["resolution"] != "1m" {
			t.Errorf("points by default (the last day, auto): %d %s", r.status, r.body)
		}
	})
}

// Per series and time the last write wins, within a batch (the later line) and across
// batches, whatever the order of times; a batch over the limit is refused whole (413)
// and nothing of it is stored.
func TestLiveLastWriteWinsAndOversize(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		mustLiveWith(t, a, server.LiveOptions{Ingest: ingest.Config{MaxPoints: 5}})
		base := time.Now().Add(-time.Hour).Truncate(time.Second)
		ts := func(s int) int64 { return base.Add(time.Duration(s) * time.Second).UnixNano() }
		for _, body := range []string{
			fmt.Sprintf("thu_tu value=3 %d\nthu_tu value=1 %d\nthu_tu value=2 %d\nthu_tu value=9 %d", ts(30), ts(10), ts(20), ts(10)),
			fmt.Sprintf("thu_tu value=5 %d\nthu_tu value=0.5 %d", ts(5), ts(20)),
		} {
			if r := a.admin(t, "POST", "/api/v1/write", body); r.status != 204 {
				t.Fatalf("%d %s", r.status, r.body)
			}
		}
		want := []tinhso.Point{{T: ts(5), V: 5}, {T: ts(10), V: 9}, {T: ts(20), V: 0.5}, {T: ts(30), V: 3}}
		if d := samePoints(rawPoints(t, a, "thu_tu", base, base.Add(time.Minute)), want); d != "" {
			t.Errorf("last write wins: %s", d)
		}
		var big strings.Builder
		for i := range 6 {
			fmt.Fprintf(&big, "thu_tu value=7 %d\n", ts(40+i))
		}
		if r := a.admin(t, "POST", "/api/v2/write?org=o&bucket=b", big.String()); r.status != 413 {
			t.Errorf("6 points over a limit of 5: %d %s", r.status, r.body)
		}
		if d := samePoints(rawPoints(t, a, "thu_tu", base, base.Add(time.Minute)), want); d != "" {
			t.Errorf("after the oversized batch: %s", d)
		}
	})
}
