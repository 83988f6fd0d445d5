package server_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/seed"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// loadDemo loads the seed's history and the synthetic demo data into a test server's
// store, as serve --demo does.
func loadDemo(tb testing.TB, a *testAPI) {
	tb.Helper()
	ctx := context.Background()
	if _, err := seed.LoadHistory(ctx, a.db); err != nil {
		tb.Fatal(err)
	}
	if _, err := seed.LoadDemo(ctx, a.db, a.app); err != nil {
		tb.Fatal(err)
	}
}

// Task and indicator records carry their computed status in lists and alone, with the
// names independent checks use; the seed's DTI history gives the forecast computed by
// hand (engine/forecast_test.go), with its citation.
func TestStatusInAPI(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		loadDemo(t, a)
		r := a.do(t, "GET", "/api/v1/indicators/1893-qd-ubnd%2Fb.1", nil)
		if r.status != 200 {
			t.Fatalf("GET indicator: %d %s", r.status, r.body)
		}
		var ind tinhso.Indicator
		if err := json.Unmarshal(r.body, &ind); err != nil {
			t.Fatal(err)
		}
		st := ind.Status
		if st == nil || st.Class != tinhso.IndicatorOnTrack || st.Forecast == nil || st.Forecast.At != "2030-12-31" || st.Forecast.LowConfidence {
			t.Fatalf("DTI status %s", r.body)
		}
		if d := st.Forecast.Value - 1.237973; d > 1e-6 || d < -1e-6 || *st.Forecast.Low-1.175464 > 1e-6 || *st.Forecast.High-1.300481 > 1e-6 {
			t.Errorf("DTI forecast %v [%v, %v]", st.Forecast.Value, *st.Forecast.Low, *st.Forecast.High)
		}
		if st.Latest == nil || st.Latest.Source != tinhso.FigureHistory || !strings.Contains(st.Latest.Citation, "chú thích 7") {
			t.Errorf("DTI latest %+v", st.Latest)
		}
		raw := map[string]any{}
		_ = json.Unmarshal(r.body, &raw)
		fc := raw["status"].(map[string]any)["forecast"].(map[string]any)
		for _, k := range []string{"value", "low", "high", "at", "low_confidence"} {
			if _, ok := fc[k]; !ok {
				t.Errorf("status.forecast has no %q: %v", k, fc)
			}
		}
		// Every class of indicator is there with the demo data.
		classes := map[string]int{}
		for _, it := range items(t, a.do(t, "GET", "/api/v1/indicators?limit=1000", nil)) {
			s := it["status"].(map[string]any)
			classes[s["class"].(string)]++
			for _, k := range []string{"flags", "reasons"} {
				if _, ok := s[k].([]any); !ok {
					t.Fatalf("%s: status.%s is %v", it["key"], k, s[k])
				}
			}
		}
		for _, c := range tinhso.IndicatorClasses {
			if classes[c] == 0 {
				t.Errorf("no indicator is %s: %v", c, classes)
			}
		}
		// Tasks: status with class, flags, reasons and periods, in lists and alone.
		list := items(t, a.do(t, "GET", "/api/v1/tasks?limit=1000", nil))
		tc := map[string]int{}
		for _, it := range list {
			s := it["status"].(map[string]any)
			tc[s["class"].(string)]++
			for _, k := range []string{"flags", "reasons", "periods"} {
				if _, ok := s[k].([]any); !ok {
					t.Fatalf("%s: status.%s is %v", it["key"], k, s[k])
				}
			}
		}
		if tc[tinhso.TaskOverdue] == 0 || tc[tinhso.TaskUnassigned] == 0 {
			t.Errorf("task classes %v", tc)
		}
		one := a.do(t, "GET", "/api/v1/tasks/"+jsonNum(list[0]["id"]), nil)
		if !strings.Contains(string(one.body), `"status":{"class":`) {
			t.Errorf("GET task has no status: %s", one.body)
		}
		// The figure path answers every source.
		figs := items(t, a.do(t, "GET", "/api/v1/figures?indicator=1893-qd-ubnd/b.1&source=history", nil))
		if len(figs) != 3 || figs[0]["date"] != "2022-12-31" || figs[0]["source"] != "history" {
			t.Errorf("figures %v", figs)
		}
	})
}

func jsonNum(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// History imports: a good file in both separators is stored and moves the status; a
// bad one is refused with every wrong row and column named, and nothing stored.
func TestHistoryImport(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		auth := []string{"Authorization", "Bearer " + adminToken}
		count := func() int {
			return total(t, a.do(t, "GET", "/api/v1/figures?source=history&limit=1", nil))
		}
		before := count()
		bad := []struct{ name, file, want string }{
			{"unknown indicator", "document,code,date,value,source\n25-kh-ubnd,99.9,2024-12-31,1,x\n", "Row 2, column code"},
			{"unknown document", "document,code,date,value,source\nno-such-doc,1,2024-12-31,1,x\n", "Row 2, column document"},
			{"text for a number", "document,code,date,value,source\n25-kh-ubnd,8.1,2024-12-31,70,x\n25-kh-ubnd,8.1,2025-12-31,nhiều,x\n", "Row 3, column value"},
			{"bad date", "document,code,date,value,source\n25-kh-ubnd,8.1,31/12/2024,70,x\n", "Row 2, column date"},
			{"impossible date", "document,code,date,value,source\n25-kh-ubnd,8.1,2024-02-30,70,x\n", "Row 2, column date"},
			{"duplicate", "document,code,date,value,source\n25-kh-ubnd,8.1,2024-12-31,70,x\n25-kh-ubnd,8.1,2024-12-31,71,y\n", "Row 3, column date"},
			{"decimal comma with commas", "document,code,date,value,source\n25-kh-ubnd,8.1,2024-12-31,\"70,5\",x\n", "Row 2, column value"},
			{"no source", "document,code,date,value,source\n25-kh-ubnd,8.1,2024-12-31,70,\n", "Row 2, column source"},
			{"header", "doc,code,date,value\n25-kh-ubnd,8.1,2024-12-31,70\n", "first row"},
		}
		for _, b := range bad {
			r := a.send(t, "POST", "/api/v1/history", "text/csv", []byte(b.file), auth...)
			if r.status != 400 || !strings.Contains(string(r.body), b.want) {
				t.Errorf("%s: %d %s, want 400 naming %q", b.name, r.status, r.body, b.want)
			}
		}
		// Several problems at once: each named, and the good rows not stored either.
		r := a.send(t, "POST", "/api/v1/history", "text/csv", []byte("document,code,date,value,source\n25-kh-ubnd,8.1,2023-12-31,60,ok\n25-kh-ubnd,8.1,2024-13-31,70,x\n25-kh-ubnd,xx,2024-12-31,70,x\n"), auth...)
		if r.status != 400 || !strings.Contains(string(r.body), "Row 3, column date") || !strings.Contains(string(r.body), "Row 4, column code") {
			t.Errorf("two problems: %d %s", r.status, r.body)
		}
		if n := count(); n != before {
			t.Fatalf("a refused file stored figures: %d → %d", before, n)
		}
		if r := a.send(t, "POST", "/api/v1/history", "text/csv", []byte("document,code,date,value,source\n25-kh-ubnd,8.1,2023-12-31,60,x\n")); r.status != 401 {
			t.Errorf("anonymous import: %d", r.status)
		}
		// A Vietnamese spreadsheet's export: ";" and decimal commas.
		vi := "document;code;date;value;source\n25-kh-ubnd;8.1;2023-12-31;60,5;Báo cáo năm 2023\n25-kh-ubnd;8.1;2024-12-31;1.234,5;Báo cáo năm 2024\n"
		r = a.send(t, "POST", "/api/v1/history", "text/csv; charset=utf-8", []byte(vi), auth...)
		if r.status != 201 {
			t.Fatalf("import: %d %s", r.status, r.body)
		}
		figs := items(t, a.do(t, "GET", "/api/v1/figures?indicator=25-kh-ubnd/8.1&source=history", nil))
		if len(figs) != 2 || figs[0]["value"] != 60.5 || figs[1]["value"] != 1234.5 || figs[1]["citation"] != "Báo cáo năm 2024" {
			t.Errorf("stored %v", figs)
		}
		// The status follows at once: 1234.5 meets ≥ 85.
		ind := a.do(t, "GET", "/api/v1/indicators/25-kh-ubnd%2F8.1", nil).json(t)
		if c := ind["status"].(map[string]any)["class"]; c != tinhso.IndicatorAchieved {
			t.Errorf("8.1 after the import: %v", c)
		}
	})
}
