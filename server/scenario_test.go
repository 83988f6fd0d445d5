package server_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// setUpQ1 does the admin's part: a quarterly regime for 25/KH-UBND, the blockers of
// Q1/2026 resolved (synthetic communes loaded; the gone district-level UBNDs given a
// successor), the period opened. It returns the period id.
func setUpQ1(t *testing.T, a *testAPI) int {
	t.Helper()
	r := a.admin(t, "POST", "/api/v1/regimes", map[string]any{"key": "kh25-quy", "name": "Báo cáo quý thực hiện Kế hoạch 25/KH-UBND",
		"document": "25/KH-UBND", "receiver": "so-khoa-hoc-va-cong-nghe", "frequency": "quarterly"})
	if r.status != 201 {
		t.Fatalf("regime: %d %s", r.status, r.body)
	}
	r = a.admin(t, "POST", "/api/v1/regimes/kh25-quy/periods", map[string]any{"year": 2026, "number": 1})
	if r.status != 409 || !strings.Contains(string(r.body), "ubnd-cap-xa") {
		t.Fatalf("Q1/2026 should be blocked by the empty commune group: %d %s", r.status, clip(r.body))
	}
	csv, err := os.ReadFile(filepath.Join("..", "seed", "examples", "communes-example.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if r := a.admin(t, "POST", "/api/v1/org-units/import", string(csv), "Content-Type", "text/csv"); r.status != 200 {
		t.Fatalf("communes: %d %s", r.status, r.body)
	}
	for _, gone := range []string{"ubnd-thanh-pho-thai-nguyen", "ubnd-thanh-pho-song-cong", "ubnd-thanh-pho-pho-yen", "ubnd-huyen-phu-binh"} {
		r := a.admin(t, "POST", "/api/v1/successions", map[string]any{"from": []string{gone}, "to": []string{"mau-phuong-vi-du-1"},
			"kind": "transfer", "effective": "2025-07-01", "citation": "Kiểm thử: quyết định giả định (không phải dữ liệu thật)"})
		if r.status != 201 {
			t.Fatalf("succession %s: %d %s", gone, r.status, r.body)
		}
	}
	r = a.admin(t, "POST", "/api/v1/regimes/kh25-quy/periods", map[string]any{"year": 2026, "number": 1})
	if r.status != 201 {
		t.Fatalf("open Q1/2026: %d %s", r.status, r.body)
	}
	p := r.json(t)
	if p["label"] != "Q1/2026" || p["data_from"] != "2025-12-15" || p["data_to"] != "2026-03-14" {
		t.Errorf("period: %v", p)
	}
	return int(p["id"].(float64))
}

// mySubmission finds the one submission a reporter sees in a period.
func mySubmission(t *testing.T, b *browser, period int) map[string]any {
	t.Helper()
	list := items(t, b.do(t, "GET", fmt.Sprintf("/api/v1/submissions?period=%d", period), nil))
	if len(list) != 1 {
		t.Fatalf("a reporter should see exactly its own submission, sees %d", len(list))
	}
	return b.do(t, "GET", fmt.Sprintf("/api/v1/submissions/%v", list[0]["id"]), nil).json(t)
}

// libreOfficeResave opens an .xlsx in LibreOffice (headless) and saves it again.
func libreOfficeResave(t *testing.T, in []byte) []byte {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("soffice (Debian's libreoffice-calc) is needed in CI")
		}
		t.Skip("soffice not installed: apt-get install libreoffice-calc")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "in", "bao-cao.xlsx")
	os.MkdirAll(filepath.Dir(src), 0o755)
	if err := os.WriteFile(src, in, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	out := filepath.Join(dir, "out")
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--calc",
		"--convert-to", "xlsx", "--outdir", out, src)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice: %v\n%s", err, b)
	}
	b, err := os.ReadFile(filepath.Join(out, "bao-cao.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fillForm writes values into the form's value column, by indicator key.
func fillForm(t *testing.T, form []byte, values map[string]any) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Chỉ tiêu")
	filled := 0
	for i, row := range rows {
		if len(row) == 0 {
			continue
		}
		if v, ok := values[row[0]]; ok {
			cell := fmt.Sprintf("F%d", i+1)
			if s, isText := v.(string); isText {
				cell = fmt.Sprintf("G%d", i+1)
				f.SetCellStr("Chỉ tiêu", cell, s)
			} else {
				f.SetCellValue("Chỉ tiêu", cell, v)
			}
			filled++
		}
	}
	if filled != len(values) {
		t.Fatalf("filled %d of %d cells: rows %v", filled, len(values), rows)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The scenario, end to end through the HTTP API.
func TestReportingScenario(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		period := setUpQ1(t, a)
		mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
		mustUser(t, a, "nv.baocao", "reporter", "so-noi-vu")
		mustUser(t, a, "khcn.thamdinh", "reviewer", "so-khoa-hoc-va-cong-nghe")
		tc := mustLogin(t, a, "tc.baocao", testPassword)
		nv := mustLogin(t, a, "nv.baocao", testPassword)
		rv := mustLogin(t, a, "khcn.thamdinh", testPassword)

		// Sở Tài chính reports through the JSON API.
		subTC := mySubmission(t, tc, period)
		idTC := fmt.Sprint(subTC["id"])
		if subTC["org_unit"] != "so-tai-chinh" || !contains(toStrings(subTC["indicators"]), "25-kh-ubnd/8.3") || !contains(toStrings(subTC["indicators"]), "25-kh-ubnd/13") {
			t.Fatalf("Sở Tài chính's submission: %v", subTC)
		}
		task := toStrings(subTC["tasks"])[0]
		r := tc.do(t, "PUT", "/api/v1/submissions/"+idTC, map[string]any{
			"values": []map[string]any{
				{"indicator": "25-kh-ubnd/8.3", "number": 60, "unit": "%"},
				{"indicator": "25-kh-ubnd/8.4", "number": 90},
				{"indicator": "25-kh-ubnd/13", "number": 152300, "note": "Dự toán giao năm 2026"},
			},
			"progress": []map[string]any{{"task": task, "percent": 40, "note": "Đang dự thảo"}},
		})
		if r.status != 200 {
			t.Fatalf("save: %d %s", r.status, r.body)
		}
		if r := tc.do(t, "POST", "/api/v1/submissions/"+idTC+"/submit", nil); r.status != 200 || r.json(t)["status"] != "submitted" {
			t.Fatalf("submit: %d %s", r.status, r.body)
		}

		// Sở Nội vụ downloads its form, fills it, has LibreOffice open and save it, uploads it.
		subNV := mySubmission(t, nv, period)
		idNV := fmt.Sprint(subNV["id"])
		form := nv.do(t, "GET", "/api/v1/submissions/"+idNV+"/form.xlsx", nil, "Accept-Language", "vi-VN,vi;q=0.9")
		if form.status != 200 || !strings.Contains(form.header.Get("Content-Type"), "spreadsheetml") {
			t.Fatalf("form: %d %s", form.status, clip(form.body))
		}
		filled := libreOfficeResave(t, fillForm(t, form.body, map[string]any{"25-kh-ubnd/8.3": 80, "25-kh-ubnd/8.4": 70, "25-kh-ubnd/8.11": 100}))
		r = nv.do(t, "PUT", "/api/v1/submissions/"+idNV+"/form.xlsx", filled, "Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		if r.status != 200 {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
		if r := nv.do(t, "POST", "/api/v1/submissions/"+idNV+"/submit", nil); r.status != 200 {
			t.Fatalf("submit: %d %s", r.status, r.body)
		}

		// The reviewer returns Sở Nội vụ's; it is corrected and resubmitted.
		if r := rv.do(t, "POST", "/api/v1/submissions/"+idNV+"/return", map[string]any{"reason": "Chỉ tiêu 8.4: số liệu chưa khớp báo cáo tháng 3"}); r.status != 200 || r.json(t)["status"] != "returned" {
			t.Fatalf("return: %d %s", r.status, r.body)
		}
		got := nv.do(t, "GET", "/api/v1/submissions/"+idNV, nil).json(t)
		if got["return_reason"] != "Chỉ tiêu 8.4: số liệu chưa khớp báo cáo tháng 3" {
			t.Errorf("reason not shown to the unit: %v", got["return_reason"])
		}
		values := got["values"].([]any)
		for i, v := range values {
			v := v.(map[string]any)
			if v["indicator"] == "25-kh-ubnd/8.4" {
				v["number"] = 75
			}
			values[i] = v
		}
		if r := nv.do(t, "PUT", "/api/v1/submissions/"+idNV, map[string]any{"values": values, "progress": got["progress"]}); r.status != 200 {
			t.Fatalf("correct: %d %s", r.status, r.body)
		}
		if r := nv.do(t, "POST", "/api/v1/submissions/"+idNV+"/submit", nil); r.status != 200 || r.json(t)["resubmitted"] != 1.0 {
			t.Fatalf("resubmit: %d %s", r.status, r.body)
		}
		// Nothing is official before approval.
		if figs := items(t, rv.do(t, "GET", fmt.Sprintf("/api/v1/periods/%d/figures", period), nil)); len(figs) != 0 {
			t.Errorf("figures before approval: %v", figs)
		}
		for _, id := range []string{idTC, idNV} {
			if r := rv.do(t, "POST", "/api/v1/submissions/"+id+"/approve", nil); r.status != 200 || r.json(t)["status"] != "approved" {
				t.Fatalf("approve %s: %d %s", id, r.status, r.body)
			}
		}

		// The province figures, exactly, each with the submissions it came from.
		figs := items(t, rv.do(t, "GET", fmt.Sprintf("/api/v1/periods/%d/figures", period), nil))
		want := map[string]struct {
			value float64
			subs  string
		}{
			"25-kh-ubnd/8.3":  {70, idTC + "," + idNV},
			"25-kh-ubnd/8.4":  {82.5, idTC + "," + idNV},
			"25-kh-ubnd/8.11": {100, idNV},
			"25-kh-ubnd/13":   {152300, idTC},
		}
		if len(figs) != len(want) {
			t.Errorf("%d figures: %v", len(figs), figs)
		}
		for _, f := range figs {
			w, ok := want[f["indicator"].(string)]
			var subs []string
			for _, s := range f["submissions"].([]any) {
				subs = append(subs, fmt.Sprint(s))
			}
			sort.Strings(subs)
			ws := strings.Split(w.subs, ",")
			sort.Strings(ws)
			if !ok || f["value"] != w.value || strings.Join(subs, ",") != strings.Join(ws, ",") {
				t.Errorf("figure %v = %v from %v; want %v from %v", f["indicator"], f["value"], subs, w.value, ws)
			}
		}

		// The audit log, exactly, and its chain.
		for id, wantActs := range map[string]string{
			idTC: "submission.save tc.baocao|submission.submit tc.baocao|submission.approve khcn.thamdinh",
			idNV: "submission.save nv.baocao|submission.submit nv.baocao|submission.return khcn.thamdinh|submission.save nv.baocao|submission.submit nv.baocao|submission.approve khcn.thamdinh",
		} {
			recs := items(t, a.admin(t, "GET", "/api/v1/audit?entity=submission&entity_id="+id, nil))
			var acts []string
			for i := len(recs) - 1; i >= 0; i-- {
				acts = append(acts, fmt.Sprint(recs[i]["action"], " ", recs[i]["actor"]))
			}
			if strings.Join(acts, "|") != wantActs {
				t.Errorf("audit of %s:\n%s\nwant\n%s", id, strings.Join(acts, "|"), wantActs)
			}
		}
		v := a.admin(t, "GET", "/api/v1/audit/verify", nil).json(t)
		if v["intact"] != true || v["records"].(float64) < 10 {
			t.Errorf("audit chain: %v", v)
		}
		// The approved figures are open data, as CSV and JSON.
		csvBody := string(a.do(t, "GET", "/portal/data/figures.csv", nil).body)
		if n := strings.Count(csvBody, "\n"); n != 5 || !strings.Contains(csvBody, "25-kh-ubnd/8.4") || !strings.Contains(csvBody, "82.5") {
			t.Errorf("figures.csv (%d lines):\n%s", n, csvBody)
		}
		// The catalogue links to the configured address, whatever Host a client sends.
		a.cfg.PublicURL = "https://ioc.example.vn"
		cat := string(a.do(t, "GET", "/portal/data/catalog.json", nil, "Host", "evil.example").body)
		if strings.Contains(cat, "evil.example") || !strings.Contains(cat, "https://ioc.example.vn/portal/data/figures.csv") {
			t.Errorf("catalogue links: %s", clip([]byte(cat)))
		}
		// The consolidated report downloads as a spreadsheet.
		if r := rv.do(t, "GET", fmt.Sprintf("/api/v1/periods/%d/report.xlsx", period), nil); r.status != 200 || len(r.body) < 1000 {
			t.Errorf("consolidated report: %d", r.status)
		}
	})
}
