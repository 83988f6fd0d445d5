package server_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// Both engines serve the same answers: every list endpoint, with filters and pages,
// compared field by field (timestamps aside: they are when each database was filled).
func TestEnginesAnswerAlike(t *testing.T) {
	t.Parallel()
	if len(sqldbtest.Engines()) < 2 {
		t.Skip("needs PostgreSQL: set " + sqldbtest.EnvURL)
	}
	lite := mustOpenAPI(t, "sqlite")
	pg := mustOpenAPI(t, "postgres")
	paths := []string{
		"/api/v1/documents", "/api/v1/documents?kind=plan",
		"/api/v1/org-units?limit=1000", "/api/v1/org-units?kind=group", "/api/v1/org-units?parent=ubnd-tinh-thai-nguyen&limit=7&offset=3",
		"/api/v1/indicators?limit=1000", "/api/v1/indicators?document=25/KH-UBND&horizon=2045", "/api/v1/indicators?agency=so-khoa-hoc-va-cong-nghe",
		"/api/v1/indicators?measure=kinh-te-so-grdp", "/api/v1/indicators?limit=10&offset=140",
		"/api/v1/tasks?limit=1000", "/api/v1/tasks?document=25-kh-ubnd&section=V", "/api/v1/tasks?lead=so-thong-tin-va-truyen-thong",
		"/api/v1/tasks?due_before=2025-12-31&due_after=2025-07-01", "/api/v1/tasks?unassigned=true&limit=7&offset=100",
		"/api/v1/problems", "/api/v1/problems?province=Th%C3%A1i%20Nguy%C3%AAn",
		"/api/v1/measures?limit=1000", "/api/v1/measures?disagree=true",
		"/api/v1/funding", "/api/v1/successions", "/api/v1/successions?org_unit=ubnd-cac-huyen-thanh-pho",
		"/api/v1/tasks/150", "/api/v1/indicators/20", "/api/v1/org-units/so-khoa-hoc-va-cong-nghe", "/api/v1/documents/1893%2FQ%C4%90-UBND",
		"/api/v1/measures/chi-so-chuyen-doi-so-cap-tinh", "/api/v1/tasks?limit=1001", "/api/v1/tasks/999999",
	}
	for _, p := range paths {
		a, b := lite.do(t, "GET", p, nil), pg.do(t, "GET", p, nil)
		if a.status != b.status {
			t.Errorf("%s: status %d on SQLite, %d on PostgreSQL", p, a.status, b.status)
			continue
		}
		var x, y any
		json.Unmarshal(a.body, &x)
		json.Unmarshal(b.body, &y)
		stripTimes(x)
		stripTimes(y)
		if !reflect.DeepEqual(x, y) {
			t.Errorf("%s: the engines answer differently\nSQLite:     %s\nPostgreSQL: %s", p, clip(a.body), clip(b.body))
		}
	}
}

func stripTimes(v any) {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "created_at")
		delete(x, "updated_at")
		for _, e := range x {
			stripTimes(e)
		}
	case []any:
		for _, e := range x {
			stripTimes(e)
		}
	}
}
