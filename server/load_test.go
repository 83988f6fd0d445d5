package server_test

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// 100 org units submit at once, each with its own reporter's API token, over loopback:
// every submission lands once, the audit chain holds, and the test prints throughput
// and latency percentiles. Skipped with -short.
func TestLoad100UnitsSubmitting(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("load test: run without -short")
	}
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		const units = 100
		a := mustOpenAPI(t, engine)
		var csv strings.Builder
		csv.WriteString("code,name,kind,parent,synthetic\n")
		for i := 1; i <= units; i++ {
			fmt.Fprintf(&csv, "mau-tai-%03d,Xã Thử Tải %03d (dữ liệu mẫu),commune,ubnd-tinh-thai-nguyen,true\n", i, i)
		}
		if r := a.admin(t, "POST", "/api/v1/org-units/import", csv.String(), "Content-Type", "text/csv"); r.status != 200 {
			t.Fatalf("units: %d %s", r.status, r.body)
		}
		for _, step := range []struct{ path, body string }{
			{"/api/v1/documents", `{"slug":"ke-hoach-thu-tai","kind":"plan","title":"Kế hoạch thử tải (dữ liệu mẫu)"}`},
			{"/api/v1/indicators", `{"document":"ke-hoach-thu-tai","code":"1","name":"Tỷ lệ thử tải","unit":"%","target_text":"≥ 80","horizon":2030,"agencies":["ubnd-cap-xa"]}`},
			{"/api/v1/tasks", `{"document":"ke-hoach-thu-tai","number":"1","title":"Nhiệm vụ thử tải","lead":["ubnd-cap-xa"],"deadline_text":"Năm 2026"}`},
			{"/api/v1/regimes", `{"key":"thu-tai","name":"Báo cáo thử tải","document":"ke-hoach-thu-tai","frequency":"monthly","reporters":["ubnd-cap-xa"]}`},
			{"/api/v1/regimes/thu-tai/periods", `{"year":2026,"number":1}`},
		} {
			if r := a.admin(t, "POST", step.path, step.body); r.status != 201 {
				t.Fatalf("%s: %d %s", step.path, r.status, r.body)
			}
		}
		subs := items(t, a.admin(t, "GET", "/api/v1/submissions?limit=1000", nil))
		ids := map[string]string{}
		for _, s := range subs {
			ids[s["org_unit"].(string)] = fmt.Sprint(s["id"])
		}
		tokens := make([]string, units)
		var wg sync.WaitGroup
		for i := range tokens {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				uid := mustUser(t, a, fmt.Sprintf("tai%03d", i+1), "reporter", fmt.Sprintf("mau-tai-%03d", i+1))
				tokens[i], _ = mustToken(t, a, uid, "submissions:write", "submissions:read-own")
			}(i)
		}
		wg.Wait()

		type sample struct {
			what string
			d    time.Duration
		}
		samples := make(chan sample, units*3)
		start := make(chan struct{})
		var done sync.WaitGroup
		for i := 0; i < units; i++ {
			done.Add(1)
			go func(i int) {
				defer done.Done()
				<-start
				h := bearer(tokens[i])
				id := ids[fmt.Sprintf("mau-tai-%03d", i+1)]
				for _, req := range []struct{ what, method, path, body string }{
					{"GET submission", "GET", "/api/v1/submissions/" + id, ""},
					{"PUT values", "PUT", "/api/v1/submissions/" + id, fmt.Sprintf(`{"values":[{"indicator":"ke-hoach-thu-tai/1","number":%d,"unit":"%%"}],"progress":[{"task":"ke-hoach-thu-tai/t1","percent":%d}]}`, 50+i%50, i%101)},
					{"POST submit", "POST", "/api/v1/submissions/" + id + "/submit", ""},
				} {
					var body any
					if req.body != "" {
						body = req.body
					}
					t0 := time.Now()
					r := a.do(t, req.method, req.path, body, h...)
					samples <- sample{req.what, time.Since(t0)}
					if r.status != 200 {
						t.Errorf("%s for unit %d: %d %s", req.what, i+1, r.status, clip(r.body))
						return
					}
				}
			}(i)
		}
		t0 := time.Now()
		close(start)
		done.Wait()
		wall := time.Since(t0)
		close(samples)
		by := map[string][]time.Duration{}
		var all []time.Duration
		for s := range samples {
			by[s.what] = append(by[s.what], s.d)
			all = append(all, s.d)
		}
		pct := func(d []time.Duration, p float64) time.Duration {
			sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
			return d[int(float64(len(d)-1)*p)]
		}
		t.Logf("%s: %d units, %d requests in %v: %.0f requests/s, %.0f submissions/s; all p50 %v p99 %v",
			engine, units, len(all), wall.Round(time.Millisecond), float64(len(all))/wall.Seconds(), float64(units)/wall.Seconds(),
			pct(all, .5).Round(time.Microsecond*100), pct(all, .99).Round(time.Microsecond*100))
		for _, what := range []string{"GET submission", "PUT values", "POST submit"} {
			t.Logf("  %-15s p50 %v  p99 %v", what, pct(by[what], .5).Round(time.Microsecond*100), pct(by[what], .99).Round(time.Microsecond*100))
		}
		if n := total(t, a.admin(t, "GET", "/api/v1/submissions?status=submitted&limit=1000", nil)); n != units {
			t.Errorf("%d submitted, want %d", n, units)
		}
		if v := a.admin(t, "GET", "/api/v1/audit/verify", nil).json(t); v["intact"] != true {
			t.Errorf("audit chain after the load: %v", v)
		}
	})
}
