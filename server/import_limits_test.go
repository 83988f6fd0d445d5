package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// An org-unit import does not rename or re-kind an existing unit unless asked to, and
// then audits each change; it has its own limit, and says it (issue 9).
func TestImportOrgUnitsExistingAndLimits(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		csv := "code,name,kind,parent\nmau-xa-1,Xã Mẫu Một,commune,ubnd-tinh-thai-nguyen\nso-noi-vu,Overwritten,commune,\n"
		r := a.admin(t, "POST", "/api/v1/org-units/import", csv, "Content-Type", "text/csv")
		if r.status != 409 || !strings.Contains(string(r.body), "row 3") || !strings.Contains(string(r.body), `so-noi-vu`) || !strings.Contains(string(r.body), "update=true") {
			t.Errorf("an existing code without update: %d %s", r.status, r.body)
		}
		if u := a.do(t, "GET", "/api/v1/org-units/so-noi-vu", nil).json(t); u["name"] != "Sở Nội vụ" || u["kind"] != "department" {
			t.Errorf("the refused import changed so-noi-vu: %v %v", u["name"], u["kind"])
		}
		if r := a.do(t, "GET", "/api/v1/org-units/mau-xa-1", nil); r.status != 404 {
			t.Error("the refused import created mau-xa-1")
		}
		if r := a.admin(t, "POST", "/api/v1/org-units/import?update=maybe", csv, "Content-Type", "text/csv"); r.status != 400 {
			t.Errorf("update=maybe: %d %s", r.status, r.body)
		}
		r = a.admin(t, "POST", "/api/v1/org-units/import?update=true", csv, "Content-Type", "text/csv")
		if m := r.json(t); r.status != 200 || m["created"] != 1.0 || m["updated"] != 1.0 {
			t.Fatalf("import with update=true: %d %s", r.status, r.body)
		}
		recs := items(t, a.admin(t, "GET", "/api/v1/audit?entity=org_unit&entity_id=so-noi-vu", nil))
		if len(recs) == 0 || recs[0]["action"] != "org_unit.update" || fmt.Sprint(recs[0]["before"].(map[string]any)["name"]) != "Sở Nội vụ" ||
			fmt.Sprint(recs[0]["after"].(map[string]any)["name"]) != "Overwritten" || fmt.Sprint(recs[0]["after"].(map[string]any)["kind"]) != "commune" {
			t.Errorf("the update's audit: %v", recs)
		}

		// The page: the first button refuses, the second (?update=1) updates.
		mustUser(t, a, "quan-tri", "admin", "")
		ad := mustLogin(t, a, "quan-tri", testPassword)
		again := "code,name,kind,parent\nso-noi-vu,Sở Nội vụ,department,\n"
		r = ad.upload(t, "/admin/org-units/import?lang=vi", [][2]string{{"csrf_token", ad.csrf}}, "xa.csv", []byte(again))
		if r.status != 409 || !strings.Contains(string(r.body), "dòng 2: mã") || !strings.Contains(string(r.body), `formaction="/admin/org-units/import?update=1"`) {
			t.Errorf("the page's import of an existing code: %d %s", r.status, clip(r.body))
		}
		r = ad.upload(t, "/admin/org-units/import?update=1", [][2]string{{"csrf_token", ad.csrf}}, "xa.csv", []byte(again))
		if r.status != 200 || !strings.Contains(string(r.body), `id="import-done"`) {
			t.Errorf("the page's import with update: %d %s", r.status, clip(r.body))
		}
		if u := a.do(t, "GET", "/api/v1/org-units/so-noi-vu", nil).json(t); u["name"] != "Sở Nội vụ" || u["kind"] != "department" {
			t.Errorf("the page's update: %v %v", u["name"], u["kind"])
		}

		// Its own limits: 1 MiB and 5,000 rows, said in the error.
		var big strings.Builder
		big.WriteString("code,name,kind,parent\n")
		for i := 0; big.Len() <= 1<<20; i++ {
			fmt.Fprintf(&big, "xa-lon-%d,Xã có tên rất dài để tệp vượt giới hạn số %d,commune,\n", i, i)
		}
		r = a.admin(t, "POST", "/api/v1/org-units/import", big.String(), "Content-Type", "text/csv")
		if r.status != 413 || !strings.Contains(string(r.body), "1 MiB") || !strings.Contains(string(r.body), "5000 rows") {
			t.Errorf("a file over 1 MiB: %d %s", r.status, clip(r.body))
		}
		var many strings.Builder
		many.WriteString("code,name,kind\n")
		for i := range 5001 {
			fmt.Fprintf(&many, "x%d,X,commune\n", i)
		}
		r = a.admin(t, "POST", "/api/v1/org-units/import", many.String(), "Content-Type", "text/csv")
		if r.status != 413 || !strings.Contains(string(r.body), "5000 rows") {
			t.Errorf("5,001 rows: %d %s", r.status, clip(r.body))
		}
		if n := total(t, a.do(t, "GET", "/api/v1/org-units?kind=commune", nil)); n != 1 {
			t.Errorf("communes after the refused imports: %d, want 1", n)
		}
	})
}
