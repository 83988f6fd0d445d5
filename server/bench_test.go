package server_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// The plan registry's read paths, through the HTTP handler on a real SQLite file with
// the seed plan. Run: go test ./http -run '^$' -bench . -benchmem
func BenchmarkAPI(b *testing.B) {
	for _, engine := range sqldbtest.Engines() {
		b.Run(engine, func(b *testing.B) { benchmarkAPI(b, engine) })
	}
}

func benchmarkAPI(b *testing.B, engine string) {
	a := mustOpenAPI(b, engine)
	h := a.srv.Handler()
	for _, c := range []struct{ name, path string }{
		{"ListTasks50", "/api/v1/tasks"},
		{"ListTasksAll", "/api/v1/tasks?limit=1000"},
		{"FilterTasksDocSection", "/api/v1/tasks?document=25%2FKH-UBND&section=III"},
		{"FilterTasksLeadDue", "/api/v1/tasks?lead=so-khoa-hoc-va-cong-nghe&due_before=2025-12-31"},
		{"ListIndicators50", "/api/v1/indicators"},
		{"ListIndicatorsAll", "/api/v1/indicators?limit=1000"},
		{"FilterIndicatorsAgencyHorizon", "/api/v1/indicators?agency=so-thong-tin-va-truyen-thong&horizon=2030"},
		{"GetTask", "/api/v1/tasks/150"},
		{"Measures", "/api/v1/measures"},
	} {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", c.path, nil)
			for b.Loop() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", c.path, w.Code, w.Body.String())
				}
			}
		})
	}
}
