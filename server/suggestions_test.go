package server_test

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// The three 2025 reorganisations the seeds point at are suggested successions with
// their evidence, which change nothing until an admin confirms each with the decision
// that made it; then the tasks and the indicator of the departments they end resolve to
// their successors (issue 9).
func TestSuggestedSuccessions(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		src, err := os.ReadFile(filepath.Join("..", "seed", "sources", "003_quyet-dinh-1893-chien-luoc-cds.txt"))
		if err != nil {
			t.Fatal(err)
		}
		list := items(t, a.do(t, "GET", "/api/v1/succession-suggestions?state=suggested", nil))
		want := map[string]string{
			"1893-qd-ubnd/s-khdt-vao-tai-chinh":               "3. Sở Tài chính\n- Trên cơ sở đề xuất nhu cầu nguồn vốn đầu tư công",
			"1893-qd-ubnd/s-nong-nghiep-va-moi-truong":        "đ) Chuyển đổi số trong lĩnh vực Nông nghiệp và Môi trường",
			"1893-qd-ubnd/s-bao-chi-tuyen-truyen-sang-vhttdl": "4. Sở Văn hóa, Thể thao và Du lịch\nTổ chức triển khai các công tác tuyên truyền",
		}
		ids := map[string]string{}
		for _, s := range list {
			key := s["key"].(string)
			ev := s["evidence"].([]any)[0].(map[string]any)["text"].(string)
			if !strings.HasPrefix(ev, want[key]) || !strings.Contains(string(src), ev) || s["state"] != "suggested" {
				t.Errorf("suggestion %s: evidence %q, state %v", key, clip([]byte(ev)), s["state"])
			}
			ids[key] = fmt.Sprint(s["id"])
		}
		if len(list) != 3 || len(ids) != 3 {
			t.Fatalf("%d suggested successions, want 3: %v", len(list), ids)
		}
		if n := total(t, a.do(t, "GET", "/api/v1/succession-suggestions?state=confirmed", nil)); n != 0 {
			t.Errorf("%d confirmed before any confirmation", n)
		}

		gone := map[string]bool{"so-ke-hoach-va-dau-tu": true, "so-tai-nguyen-va-moi-truong": true, "so-nong-nghiep-va-phat-trien-nong-thon": true}
		// resolved counts the records naming one of the units whose refs show it gone
		// with a successor in want.
		resolved := func(path, field string, units map[string]bool, successor string) (n int, keys []string) {
			for _, x := range items(t, a.do(t, "GET", path, nil)) {
				hit := false
				for _, f := range strings.Split(field, ",") {
					refs, _ := x[f].([]any)
					for _, r := range refs {
						r := r.(map[string]any)
						if units[r["code"].(string)] && r["exists"] == false && (successor == "" && len(toStrings(r["successors"])) > 0 || contains(toStrings(r["successors"]), successor)) {
							hit = true
						}
					}
				}
				if hit {
					n++
					keys = append(keys, x["key"].(string))
				}
			}
			return n, keys
		}
		tasksPath, indsPath := "/api/v1/tasks?limit=1000", "/api/v1/indicators?limit=1000"
		if n, keys := resolved(tasksPath, "lead,cooperating", gone, ""); n != 0 {
			t.Errorf("before confirmation %d tasks resolve to successors: %v", n, keys)
		}

		// Confirming needs an admin and the decision.
		path := func(key string) string { return "/api/v1/succession-suggestions/" + url.PathEscape(key) + "/confirm" }
		decision := map[string]any{"decision": "Quyết định số 01/QĐ-UBND (kiểm thử: số giả định)", "decision_date": "2025-02-28", "effective": "2025-03-01"}
		if r := a.do(t, "POST", path(ids["1893-qd-ubnd/s-khdt-vao-tai-chinh"]), decision); r.status != 401 {
			t.Errorf("an anonymous confirmation: %d", r.status)
		}
		mustUser(t, a, "lanh.dao", "leader", "")
		if r := mustLogin(t, a, "lanh.dao", testPassword).do(t, "POST", path(ids["1893-qd-ubnd/s-khdt-vao-tai-chinh"]), decision); r.status != 403 {
			t.Errorf("a leader's confirmation: %d", r.status)
		}
		for _, bad := range []map[string]any{{"decision": "", "decision_date": "2025-02-28"}, {"decision": "QĐ 01", "decision_date": "2025"}, {"decision": "QĐ 01", "decision_date": "2025-02-28", "effective": "03/2025"}} {
			if r := a.admin(t, "POST", path(ids["1893-qd-ubnd/s-khdt-vao-tai-chinh"]), bad); r.status != 400 {
				t.Errorf("confirmation with %v: %d %s", bad, r.status, r.body)
			}
		}
		if n := total(t, a.do(t, "GET", "/api/v1/succession-suggestions?state=suggested", nil)); n != 3 {
			t.Errorf("refused confirmations changed the suggestions: %d open", n)
		}

		// The admin confirms each, by id or by key.
		for _, ref := range []string{ids["1893-qd-ubnd/s-khdt-vao-tai-chinh"], "1893-qd-ubnd/s-nong-nghiep-va-moi-truong", ids["1893-qd-ubnd/s-bao-chi-tuyen-truyen-sang-vhttdl"]} {
			r := a.admin(t, "POST", path(ref), decision)
			if r.status != 200 {
				t.Fatalf("confirm %s: %d %s", ref, r.status, r.body)
			}
			m := r.json(t)
			sg, sc := m["suggestion"].(map[string]any), m["succession"].(map[string]any)
			if sg["state"] != "confirmed" || sg["decision"] != decision["decision"] || sc["effective"] != "2025-03-01" || !strings.HasPrefix(sc["citation"].(string), "Quyết định số 01/QĐ-UBND") {
				t.Errorf("confirmed %s: %v / %v", ref, sg, sc)
			}
		}
		if r := a.admin(t, "POST", path(ids["1893-qd-ubnd/s-khdt-vao-tai-chinh"]), decision); r.status != 409 {
			t.Errorf("a second confirmation: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "POST", "/api/v1/succession-suggestions/"+ids["1893-qd-ubnd/s-khdt-vao-tai-chinh"]+"/dismiss", map[string]any{"reason": "nhầm"}); r.status != 409 {
			t.Errorf("dismissing a confirmed suggestion: %d %s", r.status, r.body)
		}
		if n := total(t, a.do(t, "GET", "/api/v1/succession-suggestions?state=confirmed", nil)); n != 3 {
			t.Errorf("%d confirmed, want 3", n)
		}
		if u := a.do(t, "GET", "/api/v1/org-units/so-ke-hoach-va-dau-tu", nil).json(t); u["dissolved"] != "2025-03-01" {
			t.Errorf("Sở Kế hoạch và Đầu tư after the merger: dissolved %v", u["dissolved"])
		}

		// What resolves now: the tasks and the indicator of the three departments, and
		// the propaganda of Sở Thông tin và Truyền thông.
		n, keys := resolved(tasksPath, "lead,cooperating", gone, "")
		if n != 14 {
			t.Errorf("%d tasks of the three departments resolve to successors, want 14: %v", n, keys)
		}
		withT1, _ := resolved("/api/v1/tasks?key=25-kh-ubnd/t1", "lead", map[string]bool{"so-thong-tin-va-truyen-thong": true}, "so-van-hoa-the-thao-va-du-lich")
		if withT1 == 0 {
			t.Error("the propaganda task of Sở Thông tin và Truyền thông does not resolve to Sở Văn hóa, Thể thao và Du lịch")
		}
		ni, ikeys := resolved(indsPath, "agencies", gone, "")
		if ni != 1 || ikeys[0] != "25-kh-ubnd/5" {
			t.Errorf("indicators of the three departments that resolve: %v, want 25-kh-ubnd/5", ikeys)
		}
		nr, _ := resolved(tasksPath, "lead,cooperating", map[string]bool{"so-thong-tin-va-truyen-thong": true}, "so-van-hoa-the-thao-va-du-lich")
		t.Logf("resolved after confirmation: %d tasks of the three departments (%v), indicator %v; %d tasks of Sở Thông tin và Truyền thông now also name Sở Văn hóa, Thể thao và Du lịch", n, keys, ikeys, nr)
	})
}

// Seed document 000 writes Sở Khoa học và Công nghệ as "Sở KH&CN": an alias of the unit
// (issue 9).
func TestSeedAliasKHCN(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	u := a.do(t, "GET", "/api/v1/org-units/so-khoa-hoc-va-cong-nghe", nil).json(t)
	if !contains(toStrings(u["aliases"]), "Sở KH&CN") {
		t.Errorf("aliases of Sở Khoa học và Công nghệ: %v", u["aliases"])
	}
}
