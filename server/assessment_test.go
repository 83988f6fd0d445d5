package server_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// scenarioFramework has three pillars and a rule of each kind a subject answers, with
// one data-fed criterion (the share of led tasks done on time).
func scenarioFramework(slug, kind string) map[string]any {
	return map[string]any{"slug": slug, "name": "Bộ tiêu chí chuyển đổi số thử nghiệm " + slug, "subject_kind": kind, "total": 1000,
		"nodes": []map[string]any{
			{"code": "1", "name": "Nhận thức số", "max_points": 300},
			{"code": "1.1", "name": "Ban hành kế hoạch chuyển đổi số năm", "max_points": 100, "rule": map[string]any{"kind": "yes_no"}},
			{"code": "1.2", "name": "Tỷ lệ cán bộ được tập huấn", "max_points": 200, "rule": map[string]any{"kind": "linear", "low": 0, "high": 100, "unit": "%"}},
			{"code": "2", "name": "Chính quyền số", "max_points": 400},
			{"code": "2.1", "name": "Tỷ lệ hồ sơ trực tuyến toàn trình", "max_points": 250,
				"rule": map[string]any{"kind": "thresholds", "steps": []map[string]any{{"from": 50, "share": 0.5}, {"from": 80, "share": 1}}}},
			{"code": "2.2", "name": "Nhiệm vụ chủ trì hoàn thành đúng hạn", "max_points": 150, "rule": map[string]any{"kind": "task_share"}},
			{"code": "3", "name": "An toàn thông tin", "max_points": 300},
			{"code": "3.1", "name": "Phương án bảo đảm an toàn thông tin", "max_points": 300, "rule": map[string]any{"kind": "manual"}},
		}}
}

// scenarioPoints scores the scenario framework independently of the engine: values by
// criterion (3.1 counts only with evidence) and the task share in percent (nil: none).
func scenarioPoints(v map[string]float64, evidence bool, taskShare *float64) float64 {
	p := v["1.1"] * 100
	p += math.Max(0, math.Min(1, v["1.2"]/100)) * 200
	switch x := v["2.1"]; {
	case x >= 80:
		p += 250
	case x >= 50:
		p += 125
	}
	if taskShare != nil {
		p += *taskShare / 100 * 150
	}
	if evidence {
		p += math.Min(v["3.1"], 300)
	}
	return p
}

const testPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

func mustStatus(t *testing.T, r response, want int, what string) map[string]any {
	t.Helper()
	if r.status != want {
		t.Fatalf("%s: %d %s", what, r.status, clip(r.body))
	}
	if len(r.body) == 0 || r.body[0] != '{' {
		return nil
	}
	return r.json(t)
}

func etag(r response) string { return r.header.Get("ETag") }

// The scenario of issue 14: a framework with three pillars is published; a round over
// seed departments and synthetic communes runs through self-assessment with evidence,
// a return and correction, review and approval; the ranking equals one computed here;
// the portal and open data show it; a person's result is not public.
func TestAssessmentScenario(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		csv, err := os.ReadFile(filepath.Join("..", "seed", "examples", "communes-example.csv"))
		if err != nil {
			t.Fatal(err)
		}
		mustStatus(t, a.admin(t, "POST", "/api/v1/org-units/import", string(csv), "Content-Type", "text/csv"), 200, "communes")
		mustUser(t, a, "tham-dinh.cds", "reviewer", "")
		rev := mustLogin(t, a, "tham-dinh.cds", testPassword)

		// The shipped templates are public; a framework the agency makes is a draft
		// until published, and a tree that does not add up is refused naming the node.
		list := items(t, a.do(t, "GET", "/api/v1/frameworks", nil))
		templates := 0
		for _, f := range list {
			if f["template"] == true {
				templates++
			}
		}
		if templates != 2 {
			t.Fatalf("templates among the public frameworks: %d of %d", templates, len(list))
		}
		bad := scenarioFramework("cds-tinh", "department")
		bad["nodes"].([]map[string]any)[2]["max_points"] = 150
		r := rev.do(t, "POST", "/api/v1/frameworks", bad)
		if r.status != 400 || !strings.Contains(string(r.body), "nodes[0].max_points") {
			t.Fatalf("points that do not add up: %d %s", r.status, r.body)
		}
		fw := mustStatus(t, rev.do(t, "POST", "/api/v1/frameworks", scenarioFramework("cds-tinh", "department")), 201, "framework")
		ver := fw["versions"].([]any)[0].(map[string]any)
		verID := int(ver["id"].(float64))
		if r := a.do(t, "GET", "/api/v1/frameworks/cds-tinh", nil); r.status != 404 {
			t.Fatalf("a draft framework is public: %d", r.status)
		}
		mustStatus(t, rev.do(t, "POST", fmt.Sprintf("/api/v1/framework-versions/%d/publish", verID), nil), 200, "publish")
		if r := rev.do(t, "PUT", fmt.Sprintf("/api/v1/framework-versions/%d", verID), map[string]any{"total": 1000, "nodes": scenarioFramework("x", "department")["nodes"]}); r.status != 409 {
			t.Fatalf("a published version changed: %d %s", r.status, r.body)
		}

		// The round is over every seed department and every synthetic commune; five of
		// them answer, the others are scored on their data-fed criterion alone.
		units := []string{"so-khoa-hoc-va-cong-nghe", "so-tai-chinh", "so-y-te", "mau-xa-vi-du-1", "mau-xa-vi-du-2"}
		kindOf := map[string]string{}
		var all []string
		var subjects []map[string]any
		for _, kind := range []string{"department", "commune"} {
			for _, u := range items(t, a.do(t, "GET", "/api/v1/org-units?kind="+kind+"&limit=1000", nil)) {
				if d, _ := u["dissolved"].(string); d != "" {
					continue
				}
				code := u["code"].(string)
				kindOf[code] = kind
				all = append(all, code)
				subjects = append(subjects, map[string]any{"kind": kind, "org_unit": code})
			}
		}
		if len(all) < 20 || kindOf["mau-phuong-vi-du-3"] != "commune" || kindOf["so-y-te"] != "department" {
			t.Fatalf("subjects: %v", all)
		}
		for _, u := range units {
			mustUser(t, a, u+".bc", "reporter", u)
		}
		round := mustStatus(t, rev.do(t, "POST", "/api/v1/rounds", map[string]any{"name": "Đánh giá chuyển đổi số năm 2026", "year": 2026,
			"version_id": verID, "deadline": "2027-01-31", "subjects": subjects}), 201, "open round")
		roundID := int(round["id"].(float64))
		subjectOf, nameOf := map[string]int{}, map[string]string{}
		for _, s := range round["subjects"].([]any) {
			m := s.(map[string]any)
			subjectOf[m["org_unit"].(string)] = int(m["id"].(float64))
			nameOf[m["org_unit"].(string)] = m["name"].(string)
		}
		reporters := map[string]*browser{}
		for _, u := range units {
			reporters[u] = mustLogin(t, a, u+".bc", testPassword)
		}
		khcn, tc := reporters["so-khoa-hoc-va-cong-nghe"], reporters["so-tai-chinh"]
		// A unit sees its own subject only, and not another's self-assessment.
		seen := mustStatus(t, khcn.do(t, "GET", fmt.Sprintf("/api/v1/rounds/%d", roundID), nil), 200, "own round")
		if n := len(seen["subjects"].([]any)); n != 1 {
			t.Fatalf("a unit sees %d subjects of an unpublished round", n)
		}
		if r := khcn.do(t, "GET", fmt.Sprintf("/api/v1/subjects/%d/self-assessment", subjectOf["so-tai-chinh"]), nil); r.status != 404 {
			t.Fatalf("another unit's self-assessment: %d", r.status)
		}
		if r := khcn.do(t, "PUT", fmt.Sprintf("/api/v1/subjects/%d/self-assessment", subjectOf["so-tai-chinh"]),
			map[string]any{"entries": []map[string]any{{"criterion": "1.1", "value": 1}}}); r.status != 403 {
			t.Fatalf("writing another unit's self-assessment: %d", r.status)
		}
		if r := rev.do(t, "GET", fmt.Sprintf("/api/v1/subjects/%d/self-assessment", subjectOf["so-tai-chinh"]), nil); r.status != 404 {
			t.Fatalf("the agency reads a draft: %d", r.status)
		}

		values := map[string]map[string]float64{
			"so-khoa-hoc-va-cong-nghe": {"1.1": 1, "1.2": 80, "2.1": 85, "3.1": 250},
			"so-tai-chinh":             {"1.1": 1, "1.2": 60, "2.1": 50, "3.1": 200},
			"so-y-te":                  {"1.1": 0, "1.2": 100, "2.1": 90},
			"mau-xa-vi-du-1":           {"1.1": 1, "1.2": 50, "2.1": 40, "3.1": 100},
			"mau-xa-vi-du-2":           {"1.1": 1, "1.2": 50, "2.1": 40, "3.1": 100},
		}
		for _, u := range units {
			b, id := reporters[u], subjectOf[u]
			var entries []map[string]any
			for c, x := range values[u] {
				entries = append(entries, map[string]any{"criterion": c, "value": x, "note": "Số liệu của " + u})
			}
			// A data-fed criterion is not typed in; nothing is stored then.
			r := b.do(t, "PUT", fmt.Sprintf("/api/v1/subjects/%d/self-assessment", id), map[string]any{"entries": append(entries, map[string]any{"criterion": "2.2", "value": 100})})
			if r.status != 400 || !strings.Contains(string(r.body), "entries[") {
				t.Fatalf("%s: a data-fed value typed in: %d %s", u, r.status, r.body)
			}
			mustStatus(t, b.do(t, "PUT", fmt.Sprintf("/api/v1/subjects/%d/self-assessment", id), map[string]any{"entries": entries}), 200, "save "+u)
			if _, ok := values[u]["3.1"]; ok {
				r := b.do(t, "POST", fmt.Sprintf("/api/v1/subjects/%d/submit", id), nil)
				if r.status != 400 || !strings.Contains(string(r.body), "3.1") {
					t.Fatalf("%s: submitted a manual score without evidence: %d %s", u, r.status, r.body)
				}
				mustStatus(t, b.do(t, "POST", fmt.Sprintf("/api/v1/subjects/%d/evidence?criterion=3.1&name=phuong-an-attt.pdf", id), testPDF,
					"Content-Type", "application/pdf"), 201, "evidence "+u)
			}
			mustStatus(t, b.do(t, "POST", fmt.Sprintf("/api/v1/subjects/%d/submit", id), nil), 200, "submit "+u)
		}
		// After submitting, the unit cannot change it; the agency reads it and its evidence.
		if r := khcn.do(t, "PUT", fmt.Sprintf("/api/v1/subjects/%d/self-assessment", subjectOf["so-khoa-hoc-va-cong-nghe"]),
			map[string]any{"entries": []map[string]any{{"criterion": "1.1", "value": 0}}}); r.status != 409 {
			t.Fatalf("edit after submitting: %d %s", r.status, r.body)
		}
		sa := mustStatus(t, rev.do(t, "GET", fmt.Sprintf("/api/v1/subjects/%d/self-assessment", subjectOf["so-khoa-hoc-va-cong-nghe"]), nil), 200, "read submitted")
		ev := sa["evidence"].([]any)[0].(map[string]any)
		if r := rev.do(t, "GET", fmt.Sprintf("/api/v1/subjects/%d/evidence/%s", subjectOf["so-khoa-hoc-va-cong-nghe"], ev["hash"]), nil); r.status != 200 || string(r.body) != testPDF {
			t.Fatalf("evidence download: %d", r.status)
		}
		// Only the standing agency reviews.
		review := func(b *browser, unit string, decisions []map[string]any) response {
			return b.do(t, "POST", fmt.Sprintf("/api/v1/subjects/%d/review", subjectOf[unit]), map[string]any{"decisions": decisions})
		}
		acceptAll := func(except ...string) []map[string]any {
			var out []map[string]any
			for _, c := range []string{"1.1", "1.2", "2.1", "3.1"} {
				if !contains(except, c) {
					out = append(out, map[string]any{"criterion": c, "decision": "accept"})
				}
			}
			return out
		}
		if r := review(khcn, "so-tai-chinh", acceptAll()); r.status != 403 {
			t.Fatalf("a unit reviews: %d", r.status)
		}
		// Sở Tài chính's 1.2 is returned, corrected to 70 and accepted.
		got := mustStatus(t, review(rev, "so-tai-chinh", append(acceptAll("1.2"), map[string]any{"criterion": "1.2", "decision": "return", "reason": "Thiếu danh sách cán bộ"})), 200, "return")
		if got["status"] != "returned" {
			t.Fatalf("returned: %v", got["status"])
		}
		mustStatus(t, tc.do(t, "PUT", fmt.Sprintf("/api/v1/subjects/%d/self-assessment", subjectOf["so-tai-chinh"]),
			map[string]any{"entries": []map[string]any{{"criterion": "1.2", "value": 70, "note": "Kèm danh sách 70 cán bộ"}}}), 200, "correct")
		values["so-tai-chinh"]["1.2"] = 70
		mustStatus(t, tc.do(t, "POST", fmt.Sprintf("/api/v1/subjects/%d/submit", subjectOf["so-tai-chinh"]), nil), 200, "resubmit")
		// Sở KHCN's 2.1 is adjusted to 75 with a reason.
		mustStatus(t, review(rev, "so-khoa-hoc-va-cong-nghe", append(acceptAll("2.1"),
			map[string]any{"criterion": "2.1", "decision": "adjust", "value": 75, "reason": "Số liệu của Trung tâm phục vụ hành chính công: 75%"})), 200, "adjust")
		values["so-khoa-hoc-va-cong-nghe"]["2.1"] = 75
		for _, u := range units[1:] {
			got := mustStatus(t, review(rev, u, acceptAll()), 200, "review "+u)
			if got["status"] != "approved" {
				t.Fatalf("%s after review: %v", u, got["status"])
			}
		}
		if r := a.do(t, "GET", fmt.Sprintf("/api/v1/rounds/%d/ranking", roundID), nil); r.status != 404 {
			t.Fatalf("an unpublished ranking is public: %d", r.status)
		}
		if r := khcn.do(t, "POST", fmt.Sprintf("/api/v1/rounds/%d/approve", roundID), nil); r.status != 403 {
			t.Fatalf("a unit approves: %d", r.status)
		}
		mustStatus(t, rev.do(t, "POST", fmt.Sprintf("/api/v1/rounds/%d/approve", roundID), nil), 200, "approve")
		mustStatus(t, rev.do(t, "POST", fmt.Sprintf("/api/v1/rounds/%d/publish", roundID), nil), 200, "publish")

		// The ranking, computed here from the test's values and the tasks' statuses.
		taskShare := map[string]*float64{}
		onTime, counted := map[string]int{}, map[string]int{}
		for _, task := range items(t, a.do(t, "GET", "/api/v1/tasks?limit=1000", nil)) {
			st, _ := task["status"].(map[string]any)
			class, _ := st["class"].(string)
			leads, _ := task["lead"].([]any)
			for _, l := range leads {
				code := l.(map[string]any)["code"].(string)
				switch class {
				case "done":
					onTime[code]++
					counted[code]++
				case "done_late", "overdue":
					counted[code]++
				}
			}
		}
		for _, u := range all {
			if counted[u] > 0 {
				x := 100 * float64(onTime[u]) / float64(counted[u])
				taskShare[u] = &x
			}
		}
		type want struct {
			unit, kind string
			points     float64
		}
		var wants []want
		for _, u := range all {
			_, ev := values[u]["3.1"]
			wants = append(wants, want{u, kindOf[u], scenarioPoints(values[u], ev, taskShare[u])})
		}
		sort.SliceStable(wants, func(i, j int) bool {
			if wants[i].kind != wants[j].kind {
				return wants[i].kind == "department"
			}
			if math.Abs(wants[i].points-wants[j].points) > 1e-6 {
				return wants[i].points > wants[j].points
			}
			return nameOf[wants[i].unit] < nameOf[wants[j].unit] // ties are listed by name
		})
		pub := mustStatus(t, a.do(t, "GET", fmt.Sprintf("/api/v1/rounds/%d/ranking", roundID), nil), 200, "public ranking")
		scores := pub["scores"].([]any)
		if len(scores) != len(wants) {
			t.Fatalf("%d scores, want %d", len(scores), len(wants))
		}
		rank := 0
		for i, w := range wants {
			s := scores[i].(map[string]any)
			if i == 0 || w.kind != wants[i-1].kind {
				rank = 1
			} else if math.Abs(w.points-wants[i-1].points) > 1e-6 {
				rank = i + 1 - firstIndexOfKind(wants, i, func(x want) string { return x.kind })
			}
			if s["org_unit"] != w.unit || math.Abs(s["points"].(float64)-w.points) > 1e-6 || int(s["rank"].(float64)) != rank {
				t.Errorf("rank %d: %v %v #%v, want %s %v #%d", i, s["org_unit"], s["points"], s["rank"], w.unit, w.points, rank)
			}
			if idx := s["index"].(float64); math.Abs(idx-w.points/1000) > 1e-9 {
				t.Errorf("%s index %v, want %v", w.unit, idx, w.points/1000)
			}
		}
		// The two communes that answered alike tie: same rank, stated.
		byUnit := map[string]map[string]any{}
		for _, x := range scores {
			m := x.(map[string]any)
			byUnit[m["org_unit"].(string)] = m
		}
		x1, x2 := byUnit["mau-xa-vi-du-1"], byUnit["mau-xa-vi-du-2"]
		if x1["tied"] != true || x2["tied"] != true || x1["rank"] != x2["rank"] || x1["rank"] != 1.0 {
			t.Errorf("the communes' tie: %v %v", x1["rank"], x2["rank"])
		}
		// Those that did not answer are scored zero on what they did not answer, and say so.
		if m := byUnit["so-noi-vu"]; m == nil || m["missing"].(float64) < 4 {
			t.Errorf("a department that never answered: %v", m)
		}
		if ties := pub["ties"].(map[string]any); ties["key"] != "assessment.ties" {
			t.Errorf("ties not stated: %v", ties)
		}
		// The data-fed criterion shows its source.
		for _, n := range scores[0].(map[string]any)["nodes"].([]any) {
			m := n.(map[string]any)
			if m["code"] == "2.2" && (m["source"] != "tasks" || (m["from"] == nil && m["reason"] == nil)) {
				t.Errorf("the task-share criterion does not say where it came from: %v", m)
			}
		}

		// What-if: Sở Y tế's 1.1 as yes gives it 100 more points; nothing is stored.
		wi := mustStatus(t, rev.do(t, "POST", fmt.Sprintf("/api/v1/rounds/%d/what-if", roundID),
			map[string]any{"values": map[string]any{"unit:so-y-te": map[string]any{"1.1": 1}}}), 200, "what-if")
		for _, x := range wi["scores"].([]any) {
			m := x.(map[string]any)
			if m["org_unit"] == "so-y-te" && math.Abs(m["points"].(float64)-byUnit["so-y-te"]["points"].(float64)-100) > 1e-6 {
				t.Errorf("what-if for Sở Y tế: %v, published %v", m["points"], byUnit["so-y-te"]["points"])
			}
		}
		again := mustStatus(t, a.do(t, "GET", fmt.Sprintf("/api/v1/rounds/%d/ranking", roundID), nil), 200, "ranking after what-if")
		if fmt.Sprint(again["scores"]) != fmt.Sprint(pub["scores"]) {
			t.Error("the what-if changed the published ranking")
		}
		if r := rev.do(t, "POST", fmt.Sprintf("/api/v1/rounds/%d/what-if", roundID), map[string]any{"points": map[string]any{"9": 10}}); r.status != 400 {
			t.Errorf("a what-if on a node that does not exist: %d", r.status)
		}

		// The export: one sheet per level.
		xr := rev.do(t, "GET", fmt.Sprintf("/api/v1/rounds/%d/export.xlsx", roundID), nil, "Accept-Language", "vi")
		if xr.status != 200 {
			t.Fatalf("export: %d %s", xr.status, clip(xr.body))
		}
		x, err := excelize.OpenReader(bytes.NewReader(xr.body))
		if err != nil {
			t.Fatal(err)
		}
		if sheets := x.GetSheetList(); strings.Join(sheets, ",") != "Xếp hạng,Trụ cột,Tiêu chí" {
			t.Errorf("sheets: %v", sheets)
		}
		rows, _ := x.GetRows("Xếp hạng")
		if len(rows) != 3+len(wants) || rows[3][3] != "Sở Khoa học và Công nghệ" && rows[3][3] != scores[0].(map[string]any)["name"] {
			t.Errorf("overall sheet: %v", rows)
		}

		// A person's result is never public.
		mustStatus(t, rev.do(t, "POST", "/api/v1/frameworks", scenarioFramework("cds-nguoi-dung-dau", "agency_head")), 201, "people's framework")
		pf := mustStatus(t, a.do(t, "GET", "/api/v1/frameworks?limit=100", nil, "Cookie", "tinhso_session="+rev.cookie), 200, "frameworks")
		var pver int
		for _, f := range pf["items"].([]any) {
			m := f.(map[string]any)
			if m["slug"] == "cds-nguoi-dung-dau" {
				pver = int(m["versions"].([]any)[0].(map[string]any)["id"].(float64))
			}
		}
		mustStatus(t, rev.do(t, "POST", fmt.Sprintf("/api/v1/framework-versions/%d/publish", pver), nil), 200, "publish people's")
		person := mustStatus(t, rev.do(t, "POST", "/api/v1/people", map[string]any{"org_unit": "so-tai-chinh", "name": "Nguyễn Văn Giám Đốc",
			"position": "Giám đốc Sở", "kind": "agency_head"}), 201, "person")
		pr := mustStatus(t, rev.do(t, "POST", "/api/v1/rounds", map[string]any{"name": "Đánh giá người đứng đầu năm 2026", "year": 2026, "version_id": pver,
			"deadline": "2027-01-31", "subjects": []map[string]any{{"kind": "agency_head", "person_id": person["id"]}}}), 201, "people's round")
		prID := int(pr["id"].(float64))
		psub := int(pr["subjects"].([]any)[0].(map[string]any)["id"].(float64))
		mustStatus(t, tc.do(t, "PUT", fmt.Sprintf("/api/v1/subjects/%d/self-assessment", psub), map[string]any{"entries": []map[string]any{{"criterion": "1.1", "value": 1}}}), 200, "person's answers")
		mustStatus(t, tc.do(t, "POST", fmt.Sprintf("/api/v1/subjects/%d/submit", psub), nil), 200, "person's submit")
		mustStatus(t, rev.do(t, "POST", fmt.Sprintf("/api/v1/subjects/%d/review", psub), map[string]any{"decisions": acceptAll()}), 200, "person's review")
		mustStatus(t, rev.do(t, "POST", fmt.Sprintf("/api/v1/rounds/%d/approve", prID), nil), 200, "approve people's")
		mustStatus(t, rev.do(t, "POST", fmt.Sprintf("/api/v1/rounds/%d/publish", prID), nil), 200, "publish people's")
		if got := mustStatus(t, a.do(t, "GET", fmt.Sprintf("/api/v1/rounds/%d/ranking", prID), nil), 200, "people's public ranking"); len(got["scores"].([]any)) != 0 {
			t.Errorf("a person's result is public: %v", got["scores"])
		}
		if got := mustStatus(t, a.do(t, "GET", fmt.Sprintf("/api/v1/rounds/%d", prID), nil), 200, "people's public round"); got["subjects"] != nil && len(got["subjects"].([]any)) != 0 {
			t.Errorf("a person is listed publicly: %v", got["subjects"])
		}
		if got := mustStatus(t, rev.do(t, "GET", fmt.Sprintf("/api/v1/rounds/%d/ranking", prID), nil), 200, "people's ranking"); len(got["scores"].([]any)) != 1 {
			t.Errorf("the agency does not see the person's result: %v", got["scores"])
		}
		checkPublished(t, a, roundID, prID, psub, nameOf[wants[0].unit])

		// The signed-in pages render, in Vietnamese, without a missing message.
		pages := []struct {
			b    *browser
			path string
			want string
		}{
			{rev, "/assessment", "cds-tinh"},
			{rev, "/assessment/frameworks/cds-tinh", "Nhận thức số"},
			{rev, "/assessment/frameworks/mau-dti-cap-tinh", "Nhóm chỉ số nền tảng chung"},
			{rev, fmt.Sprintf("/assessment/rounds/%d", roundID), "<meter"},
			{rev, fmt.Sprintf("/assessment/rounds/%d/what-if?subject=unit:so-y-te&v.3.1=300", roundID), "Kết quả giả định"},
			{rev, fmt.Sprintf("/assessment/subjects/%d", subjectOf["so-khoa-hoc-va-cong-nghe"]), "phuong-an-attt.pdf"},
			{rev, fmt.Sprintf("/assessment/subjects/%d/scorecard", subjectOf["so-khoa-hoc-va-cong-nghe"]), "Số liệu của Trung tâm phục vụ hành chính công"},
			{rev, "/assessment/review", "Thẩm định tự đánh giá"},
			{khcn, "/assessment", "Bản tự đánh giá của đơn vị"},
			{khcn, fmt.Sprintf("/assessment/subjects/%d", subjectOf["so-khoa-hoc-va-cong-nghe"]), "đã duyệt"},
		}
		for _, pg := range pages {
			r := pg.b.do(t, "GET", pg.path, nil)
			if r.status != 200 || !strings.Contains(string(r.body), pg.want) || strings.Contains(string(r.body), "??") {
				t.Errorf("%s: %d, wants %q: %s", pg.path, r.status, pg.want, clip(r.body))
			}
			// And in English, every text from the catalogue too.
			sep := "?"
			if strings.Contains(pg.path, "?") {
				sep = "&"
			}
			if r := pg.b.do(t, "GET", pg.path+sep+"lang=en", nil); r.status != 200 || strings.Contains(string(r.body), "??") || !strings.Contains(string(r.body), `lang="en"`) {
				t.Errorf("%s in English: %d %s", pg.path, r.status, clip(r.body))
			}
		}
		if r := khcn.do(t, "GET", fmt.Sprintf("/assessment/subjects/%d", subjectOf["so-tai-chinh"]), nil); r.status != 404 {
			t.Errorf("another unit's self-assessment page: %d", r.status)
		}
	})
}

func firstIndexOfKind[T any](list []T, i int, kind func(T) string) int {
	j := i
	for j > 0 && kind(list[j-1]) == kind(list[i]) {
		j--
	}
	return j
}

// checkPublished checks the portal and open data once a round and a people's round are
// published: the round's ranking shows, the person's does not.
func checkPublished(t *testing.T, a *testAPI, round, peopleRound, personSubject int, first string) {
	t.Helper()
	const person = "Nguyễn Văn Giám Đốc"
	page := func(path string) string {
		t.Helper()
		r := a.do(t, "GET", path, nil)
		if r.status != 200 {
			t.Fatalf("%s: %d %s", path, r.status, clip(r.body))
		}
		return string(r.body)
	}
	list := page("/portal/rankings")
	if !strings.Contains(list, fmt.Sprintf("/portal/rankings/%d", round)) || strings.Contains(list, fmt.Sprintf("/portal/rankings/%d\"", peopleRound)) {
		t.Errorf("the portal's list of rounds: %s", clip([]byte(list)))
	}
	rk := page(fmt.Sprintf("/portal/rankings/%d", round))
	for _, want := range []string{"Sở Khoa học và Công nghệ", "Xã Ví Dụ Một", "<meter", "Sở, ban, ngành", "UBND xã, phường"} {
		if !strings.Contains(rk, want) {
			t.Errorf("the portal's ranking lacks %q", want)
		}
	}
	if strings.Contains(page(fmt.Sprintf("/portal/rankings/%d", peopleRound)), person) {
		t.Error("a person's result is on the portal")
	}
	if r := a.do(t, "GET", fmt.Sprintf("/portal/rankings/%d/subjects/%d", peopleRound, personSubject), nil); r.status != 404 || strings.Contains(string(r.body), person) {
		t.Errorf("a person's scorecard on the portal: %d", r.status)
	}
	csv := page("/portal/data/assessment.csv")
	if !strings.Contains(csv, first) || !strings.Contains(csv, "Xã Ví Dụ Hai") || strings.Contains(csv, person) || strings.Contains(csv, "person:") {
		t.Errorf("open data CSV: %s", clip([]byte(csv)))
	}
	js := page("/portal/data/assessment.json")
	if !strings.Contains(js, first) || strings.Contains(js, person) {
		t.Errorf("open data JSON: %s", clip([]byte(js)))
	}
	if cat := page("/portal/data/catalog.json"); !strings.Contains(cat, "/portal/data/assessment.csv") || !strings.Contains(cat, "Kết quả đánh giá, xếp hạng chuyển đổi số") {
		t.Errorf("the DCAT catalogue lacks the assessment dataset")
	}
}

// Businesses self-assess through their accounts on the shipped businesses' template:
// a business account sees and edits only its own business's self-assessment, and sees
// only the rounds it is in until they are published.
func TestAssessmentBusinessOwnOnly(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		mustUser(t, a, "tham-dinh.dn", "reviewer", "")
		rev := mustLogin(t, a, "tham-dinh.dn", testPassword)
		ids := map[string]int{}
		for _, u := range []string{"cong-ty-a", "cong-ty-b", "cong-ty-c"} {
			ids[u] = mustUser(t, a, u, "business", "")
		}
		fw := mustStatus(t, a.do(t, "GET", "/api/v1/frameworks/mau-cds-doanh-nghiep", nil), 200, "the businesses' template")
		if fw["template"] != true || fw["subject_kind"] != "business" {
			t.Fatalf("template: %v", fw)
		}
		ver := int(fw["versions"].([]any)[0].(map[string]any)["id"].(float64))
		round := mustStatus(t, rev.do(t, "POST", "/api/v1/rounds", map[string]any{"name": "Đánh giá chuyển đổi số doanh nghiệp 2026", "year": 2026,
			"version_id": ver, "deadline": "2027-01-31", "subjects": []map[string]any{{"kind": "business", "business_id": ids["cong-ty-a"]},
				{"kind": "business", "business_id": ids["cong-ty-b"]}}}), 201, "round")
		roundID := int(round["id"].(float64))
		subj := map[string]int{}
		for _, s := range round["subjects"].([]any) {
			m := s.(map[string]any)
			subj[m["name"].(string)] = int(m["id"].(float64))
		}
		sa, sb := subj["Người dùng cong-ty-a"], subj["Người dùng cong-ty-b"]
		if sa == 0 || sb == 0 {
			t.Fatalf("subjects: %v", subj)
		}
		ca, cc := mustLogin(t, a, "cong-ty-a", testPassword), mustLogin(t, a, "cong-ty-c", testPassword)
		entries := map[string]any{"entries": []map[string]any{{"criterion": "1.1", "value": 1}, {"criterion": "3.2", "value": 1}}}
		mustStatus(t, ca.do(t, "PUT", fmt.Sprintf("/api/v1/subjects/%d/self-assessment", sa), entries), 200, "own business")
		if r := ca.do(t, "PUT", fmt.Sprintf("/api/v1/subjects/%d/self-assessment", sb), entries); r.status != 403 {
			t.Errorf("another business's self-assessment written: %d", r.status)
		}
		if r := ca.do(t, "GET", fmt.Sprintf("/api/v1/subjects/%d/self-assessment", sb), nil); r.status != 404 {
			t.Errorf("another business's self-assessment read: %d", r.status)
		}
		if got := items(t, ca.do(t, "GET", "/api/v1/rounds", nil)); len(got) != 1 {
			t.Errorf("business A sees %d rounds, want its one", len(got))
		}
		if got := items(t, cc.do(t, "GET", "/api/v1/rounds", nil)); len(got) != 0 {
			t.Errorf("business C, in no round, sees %d rounds", len(got))
		}
		if r := cc.do(t, "GET", fmt.Sprintf("/api/v1/rounds/%d", roundID), nil); r.status != 404 {
			t.Errorf("business C reads a round it is not in: %d", r.status)
		}
		seen := mustStatus(t, ca.do(t, "GET", fmt.Sprintf("/api/v1/rounds/%d", roundID), nil), 200, "own round")
		if n := len(seen["subjects"].([]any)); n != 1 {
			t.Errorf("business A sees %d subjects of the open round", n)
		}
		if r := ca.do(t, "GET", fmt.Sprintf("/api/v1/rounds/%d/ranking", roundID), nil); r.status != 404 {
			t.Errorf("a business reads the unpublished ranking: %d", r.status)
		}
		if r := ca.do(t, "POST", fmt.Sprintf("/api/v1/subjects/%d/review", sa), map[string]any{"decisions": []map[string]any{{"criterion": "1.1", "decision": "accept"}}}); r.status != 403 {
			t.Errorf("a business reviews: %d", r.status)
		}
	})
}
