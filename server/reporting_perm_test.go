package server_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// Role × endpoint × status: who may read and change which submission, who may review,
// who may administer reporting; refused requests change nothing.
func TestReportingPermissions(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		period := setUpQ1(t, a)
		mustUser(t, a, "tc", "reporter", "so-tai-chinh")
		mustUser(t, a, "nv", "reporter", "so-noi-vu")
		mustUser(t, a, "tham-dinh", "reviewer", "so-khoa-hoc-va-cong-nghe")
		mustUser(t, a, "lanh-dao", "leader", "")
		mustUser(t, a, "cong-ty", "business", "")
		as := map[string]*browser{
			"reporter": mustLogin(t, a, "tc", testPassword), "other-reporter": mustLogin(t, a, "nv", testPassword),
			"reviewer": mustLogin(t, a, "tham-dinh", testPassword), "leader": mustLogin(t, a, "lanh-dao", testPassword),
			"business": mustLogin(t, a, "cong-ty", testPassword), "public": {a: a},
		}
		sub := mySubmission(t, as["reporter"], period)
		id := fmt.Sprint(sub["id"])
		save := `{"values":[{"indicator":"25-kh-ubnd/8.3","number":50}]}`
		before := a.admin(t, "GET", "/api/v1/submissions/"+id, nil)
		auditBefore := total(t, a.admin(t, "GET", "/api/v1/audit", nil))
		cases := []struct {
			method, path, body string
			want               map[string]int
		}{
			{"GET", "/api/v1/submissions/" + id, "", map[string]int{"reporter": 200, "other-reporter": 404, "reviewer": 200, "leader": 200, "business": 403, "public": 401}},
			{"GET", "/api/v1/submissions/" + id + "/form.xlsx", "", map[string]int{"reporter": 200, "other-reporter": 404, "leader": 200, "business": 403, "public": 401}},
			{"PUT", "/api/v1/submissions/" + id, save, map[string]int{"other-reporter": 404, "reviewer": 403, "leader": 403, "business": 403, "public": 401}},
			{"POST", "/api/v1/submissions/" + id + "/submit", "", map[string]int{"other-reporter": 404, "reviewer": 403, "leader": 403, "public": 401}},
			{"POST", "/api/v1/submissions/" + id + "/approve", "", map[string]int{"reporter": 403, "other-reporter": 403, "leader": 403, "reviewer": 409, "public": 401}},
			{"POST", "/api/v1/submissions/" + id + "/return", `{"reason":"x"}`, map[string]int{"reporter": 403, "leader": 403, "reviewer": 409}},
			{"POST", "/api/v1/regimes", `{"key":"r2","name":"x","document":"25-kh-ubnd","frequency":"yearly"}`, map[string]int{"reporter": 403, "leader": 403, "business": 403, "public": 401}},
			{"POST", "/api/v1/regimes/kh25-quy/periods", `{"year":2026,"number":2}`, map[string]int{"reporter": 403, "leader": 403, "public": 401}},
			{"GET", "/api/v1/regimes/kh25-quy/plan?year=2026&number=2", "", map[string]int{"reporter": 403, "leader": 403, "reviewer": 200}},
			{"GET", fmt.Sprintf("/api/v1/periods/%d/figures", period), "", map[string]int{"reporter": 403, "business": 403, "leader": 200, "reviewer": 200, "public": 401}},
			{"GET", fmt.Sprintf("/api/v1/periods/%d/report.xlsx", period), "", map[string]int{"reporter": 403, "leader": 200}},
			{"GET", "/api/v1/audit", "", map[string]int{"reporter": 403, "leader": 403, "business": 403, "reviewer": 200, "public": 401}},
			{"GET", "/api/v1/audit/verify", "", map[string]int{"reporter": 403, "reviewer": 200}},
			{"GET", "/api/v1/users", "", map[string]int{"reporter": 403, "reviewer": 403, "leader": 403}},
			{"POST", "/api/v1/users", `{"username":"x1","name":"x","role":"admin"}`, map[string]int{"reporter": 403, "reviewer": 403}},
			{"POST", "/api/v1/org-units", `{"code":"x-1","name":"x","kind":"other"}`, map[string]int{"reporter": 403, "reviewer": 403, "leader": 403, "public": 401}},
			{"DELETE", "/api/v1/tasks/150", "", map[string]int{"reporter": 403, "leader": 403}},
			{"GET", "/api/v1/notifications", "", map[string]int{"reporter": 200, "leader": 200, "business": 403, "public": 401}},
		}
		for _, c := range cases {
			for role, want := range c.want {
				var body any
				if c.body != "" {
					body = c.body
				} else if c.method != "GET" {
					body = "{}"
				}
				if r := as[role].do(t, c.method, c.path, body); r.status != want {
					t.Errorf("%s %s as %s: %d, want %d: %s", c.method, c.path, role, r.status, want, clip(r.body))
				}
			}
		}
		// Listing another unit's submissions shows nothing.
		if n := total(t, as["other-reporter"].do(t, "GET", "/api/v1/submissions?org_unit=so-tai-chinh", nil)); n != 0 {
			t.Errorf("another unit's list: %d items", n)
		}
		if after := a.admin(t, "GET", "/api/v1/submissions/"+id, nil); string(after.body) != string(before.body) {
			t.Errorf("refused requests changed the submission")
		}
		if n := total(t, a.admin(t, "GET", "/api/v1/audit", nil)); n != auditBefore {
			t.Errorf("refused requests wrote %d audit records", n-auditBefore)
		}
	})
}

// zeros is an endless body.
type zeros struct{ n int64 }

func (z *zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0
	}
	z.n += int64(len(p))
	return len(p), nil
}

// Bad reports get a clear error naming the field or cell, and store nothing.
func TestReportingBadInput(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		period := setUpQ1(t, a)
		mustUser(t, a, "tc", "reporter", "so-tai-chinh")
		tc := mustLogin(t, a, "tc", testPassword)
		sub := mySubmission(t, tc, period)
		id := fmt.Sprint(sub["id"])
		task := toStrings(sub["tasks"])[0]
		before := a.admin(t, "GET", "/api/v1/submissions/"+id, nil)

		for _, c := range []struct {
			name, body, field string
		}{
			{"value in the wrong unit", `{"values":[{"indicator":"25-kh-ubnd/8.3","number":50,"unit":"người"}]}`, "values[0].unit"},
			{"percentage out of range", `{"values":[{"indicator":"25-kh-ubnd/8.3","number":150}]}`, "values[0].number"},
			{"negative", `{"values":[{"indicator":"25-kh-ubnd/8.3","number":-5}]}`, "values[0].number"},
			{"text where a number belongs", `{"values":[{"indicator":"25-kh-ubnd/8.3","text":"khoảng năm mươi"}]}`, "values[0].text"},
			{"number as a string", `{"values":[{"indicator":"25-kh-ubnd/8.3","number":"50"}]}`, "values.number"},
			{"an indicator not its own", `{"values":[{"indicator":"25-kh-ubnd/14","number":5}]}`, "values[0].indicator"},
			{"the same indicator twice", `{"values":[{"indicator":"25-kh-ubnd/8.3","number":5},{"indicator":"25-kh-ubnd/8.3","number":6}]}`, "values[1].indicator"},
			{"percent over 100", `{"progress":[{"task":"` + task + `","percent":101}]}`, "progress[0].percent"},
			{"a link that is not http", `{"progress":[{"task":"` + task + `","done":true,"deliverable_link":"javascript:alert(1)"}]}`, "progress[0].deliverable_link"},
			{"a file not attached", `{"progress":[{"task":"` + task + `","done":true,"deliverable_file":"` + strings.Repeat("a", 64) + `"}]}`, "progress[0].deliverable_file"},
			{"status typed in", `{"values":[],"status":"approved"}`, "status"},
		} {
			r := tc.do(t, "PUT", "/api/v1/submissions/"+id, c.body)
			if r.status != 400 || r.json(t)["field"] != c.field {
				t.Errorf("%s: %d %s, want 400 naming %s", c.name, r.status, clip(r.body), c.field)
			}
		}

		upload := func(name string, body io.Reader, size int64) response {
			return tc.do(t, "POST", "/api/v1/submissions/"+id+"/evidence?name="+name, body, "Content-Type", "application/octet-stream")
		}
		// A 200 MB upload is refused without being read whole.
		z := &zeros{}
		if r := upload("lon.pdf", io.LimitReader(z, 200<<20), 200<<20); r.status != 413 {
			t.Errorf("200 MB upload: %d %s", r.status, clip(r.body))
		}
		if r := upload("chuong-trinh.pdf", strings.NewReader("MZ\x90\x00\x03\x00\x00\x00this program cannot be run in DOS mode"), 0); r.status != 400 || r.json(t)["field"] != "file" {
			t.Errorf("executable named .pdf: %d %s", r.status, clip(r.body))
		}
		if r := upload("trang.pdf", strings.NewReader("<html><script>alert(1)</script></html>"), 0); r.status != 400 {
			t.Errorf("HTML named .pdf: %d", r.status)
		}
		if after := a.admin(t, "GET", "/api/v1/submissions/"+id, nil); string(after.body) != string(before.body) {
			t.Fatalf("refused input changed the submission:\n%s\n%s", before.body, after.body)
		}
		// A hostile name is kept for display only, cut to its last part.
		pdf := "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
		r := upload("..%2F..%2Fetc%2Fpasswd", strings.NewReader(pdf), 0)
		if r.status != 201 {
			t.Fatalf("PDF upload: %d %s", r.status, r.body)
		}
		ev := r.json(t)["evidence"].([]any)[0].(map[string]any)
		if ev["name"] != "passwd.pdf" || ev["media_type"] != "application/pdf" {
			t.Errorf("stored evidence: %v", ev)
		}
		if d := tc.do(t, "GET", "/api/v1/submissions/"+id+"/evidence/"+ev["hash"].(string), nil); d.status != 200 || string(d.body) != pdf ||
			!strings.Contains(d.header.Get("Content-Disposition"), `filename=passwd`) {
			t.Errorf("download: %d %q %s", d.status, d.header.Get("Content-Disposition"), clip(d.body))
		}
		before = a.admin(t, "GET", "/api/v1/submissions/"+id, nil)

		// Spreadsheets: formulas, macros, merged and missing cells.
		form := tc.do(t, "GET", "/api/v1/submissions/"+id+"/form.xlsx?lang=vi", nil).body
		edit := func(f func(x *excelize.File)) []byte {
			x, err := excelize.OpenReader(bytes.NewReader(form))
			if err != nil {
				t.Fatal(err)
			}
			f(x)
			var b bytes.Buffer
			x.Write(&b)
			return b.Bytes()
		}
		for _, c := range []struct {
			name, want string
			file       []byte
		}{
			{"a formula", "Chỉ tiêu!F5", edit(func(x *excelize.File) { x.SetCellFormula("Chỉ tiêu", "F5", "=1+1") })},
			{"merged cells", "Chỉ tiêu!F5", edit(func(x *excelize.File) { x.MergeCell("Chỉ tiêu", "F5", "G5") })},
			{"a deleted row", "Chỉ tiêu!A", edit(func(x *excelize.File) { x.RemoveRow("Chỉ tiêu", 5) })},
			{"text in a number cell", "Chỉ tiêu!F5", edit(func(x *excelize.File) { x.SetCellStr("Chỉ tiêu", "F5", "năm mươi") })},
			{"macros", "vbaProject", withMacros(t, form)},
		} {
			r := tc.do(t, "PUT", "/api/v1/submissions/"+id+"/form.xlsx", c.file, "Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			if r.status != 400 || !strings.Contains(string(r.body), c.want) {
				t.Errorf("%s: %d %s, want 400 naming %s", c.name, r.status, clip(r.body), c.want)
			}
		}
		if after := a.admin(t, "GET", "/api/v1/submissions/"+id, nil); string(after.body) != string(before.body) {
			t.Errorf("a refused spreadsheet changed the submission")
		}
	})
}

// withMacros adds a VBA project to an xlsx, as an .xlsm carries.
func withMacros(t *testing.T, xlsx []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		w, _ := zw.Create(f.Name)
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	w, _ := zw.Create("xl/vbaProject.bin")
	w.Write([]byte("\xd0\xcf\x11\xe0 macro"))
	zw.Close()
	return b.Bytes()
}
