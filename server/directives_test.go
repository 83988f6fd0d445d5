package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// setDay puts the test clock at 09:00 in the province on a day.
func setDay(tb testing.TB, c *fakeClock, day string) time.Time {
	tb.Helper()
	d, err := time.ParseInLocation("2006-01-02", day, tinhso.Location)
	if err != nil {
		tb.Fatal(err)
	}
	t := d.Add(9 * time.Hour)
	c.ns.Store(t.UnixNano())
	return t
}

// ids lists the ids of a list of tasks in a leader's list.
func taskIDs(v any) []int {
	var out []int
	for _, x := range v.([]any) {
		out = append(out, int(x.(map[string]any)["id"].(float64)))
	}
	return out
}

// TestDirectiveScenario: a leader issues a directive to two units; one acknowledges
// and completes on time; the other asks for an extension, which is granted, and then
// misses it. The leader's list, the statuses, the alerts are as the test computes
// them at each step of a test clock; bad input and other units' accounts change
// nothing.
func TestDirectiveScenario(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		clock := newFakeClock(a)
		const unitA, unitB, unitC = "so-khoa-hoc-va-cong-nghe", "so-noi-vu", "so-tai-chinh"
		tok := func(name, role, unit string) []string {
			id := mustUser(t, a, name, role, unit)
			k, _ := mustToken(t, a, id, "all")
			return bearer(k)
		}
		leader, leader2 := tok("lanhdao", tinhso.RoleLeader, ""), tok("lanhdao2", tinhso.RoleLeader, "")
		agency := tok("thuongtruc", tinhso.RoleReviewer, "")
		repA, repB, repC := tok("donvi-a", tinhso.RoleReporter, unitA), tok("donvi-b", tinhso.RoleReporter, unitB), tok("donvi-c", tinhso.RoleReporter, unitC)

		setDay(t, clock, "2026-03-02")
		body := map[string]any{
			"source": map[string]any{"kind": "conclusion", "number": "12/TB-UBND", "date": "2026-03-02", "signer": "Chủ tịch UBND tỉnh"},
			"text":   "Hoàn thành nền tảng số dùng chung và báo cáo kết quả",
			"tasks": []map[string]any{
				{"lead": unitA, "deadline": "2026-03-20", "product": "Báo cáo kết quả triển khai"},
				{"lead": unitB, "co_operating": []string{unitC}, "deadline": "2026-03-20", "product": "Nền tảng vận hành chính thức"},
			},
		}
		// Only leaders and the standing agency issue; bad input names its field.
		if r := a.do(t, "POST", "/api/v1/directives", body, repA...); r.status != 403 {
			t.Fatalf("a unit issued a directive: %d %s", r.status, r.body)
		}
		for _, c := range []struct {
			name, field string
			change      func(m map[string]any)
		}{
			{"deadline not a date", "tasks[1].deadline", func(m map[string]any) { m["tasks"].([]map[string]any)[1]["deadline"] = "20/3/2026" }},
			{"unknown unit", "tasks[0].lead", func(m map[string]any) { m["tasks"].([]map[string]any)[0]["lead"] = "<script>alert(1)</script>" }},
			{"merged unit", "tasks[1].co_operating[0]", func(m map[string]any) {
				m["tasks"].([]map[string]any)[1]["co_operating"] = []string{"so-thong-tin-va-truyen-thong"}
			}},
			{"no tasks", "tasks", func(m map[string]any) { m["tasks"] = []map[string]any{} }},
			{"no text", "text", func(m map[string]any) { m["text"] = " " }},
			{"source kind", "source.kind", func(m map[string]any) { m["source"] = map[string]any{"kind": "rumour", "date": "2026-03-02"} }},
		} {
			m := map[string]any{"source": body["source"], "text": body["text"],
				"tasks": []map[string]any{{"lead": unitA, "deadline": "2026-03-20", "product": "x"}, {"lead": unitB, "deadline": "2026-03-20", "product": "y"}}}
			c.change(m)
			r := a.do(t, "POST", "/api/v1/directives", m, leader...)
			if r.status != 400 || r.json(t)["field"] != c.field {
				t.Errorf("%s: %d %s, want 400 on %s", c.name, r.status, r.body, c.field)
			}
		}
		if r := a.do(t, "POST", "/api/v1/directives", body, agency...); r.status != 400 || r.json(t)["field"] != "leader" {
			t.Errorf("the standing agency without a leader: %d %s", r.status, r.body)
		}
		if n := total(t, a.do(t, "GET", "/api/v1/directives", nil, leader...)); n != 0 {
			t.Fatalf("refused directives were stored: %d", n)
		}
		r := a.do(t, "POST", "/api/v1/directives", body, leader...)
		if r.status != 201 {
			t.Fatalf("issue: %d %s", r.status, r.body)
		}
		d := r.json(t)
		if d["leader"] != "lanhdao" || d["issued_by"] != "lanhdao" {
			t.Errorf("leader %v, issued by %v", d["leader"], d["issued_by"])
		}
		tasks := d["tasks"].([]any)
		ta, tb := tasks[0].(map[string]any), tasks[1].(map[string]any)
		idA, idB := int(ta["id"].(float64)), int(tb["id"].(float64))
		step := func(who []string, id int, path string, in map[string]any) response {
			t.Helper()
			return a.do(t, "POST", fmt.Sprintf("/api/v1/directive-tasks/%d/%s", id, path), in, who...)
		}
		status := func(id int, who []string) string {
			t.Helper()
			r := a.do(t, "GET", fmt.Sprintf("/api/v1/directives/%v", d["id"]), nil, who...)
			if r.status != 200 {
				t.Fatalf("read directive: %d %s", r.status, r.body)
			}
			for _, x := range r.json(t)["tasks"].([]any) {
				if m := x.(map[string]any); int(m["id"].(float64)) == id {
					return m["status"].(string)
				}
			}
			return "(not shown)"
		}
		mine := func(who ...string) map[string]any {
			t.Helper()
			if len(who) == 0 {
				who = leader
			}
			r := a.do(t, "GET", "/api/v1/directives/mine", nil, who...)
			if r.status != 200 {
				t.Fatalf("mine: %d %s", r.status, r.body)
			}
			return r.json(t)
		}
		// A unit sees only its own; a co-operating unit sees the task it helps on.
		if n := total(t, a.do(t, "GET", "/api/v1/directives", nil, repA...)); n != 1 {
			t.Errorf("unit A sees %d directives", n)
		}
		if s := status(idB, repA); s != "(not shown)" {
			t.Errorf("unit A sees B's task: %s", s)
		}
		if s := status(idB, repC); s != tinhso.DirectiveAssigned {
			t.Errorf("co-operating unit C sees B's task as %s", s)
		}
		if r := step(repC, idB, "acknowledge", nil); r.status != 403 {
			t.Errorf("co-operating unit acknowledged: %d %s", r.status, r.body)
		}
		if r := step(repA, idB, "acknowledge", nil); r.status != 404 {
			t.Errorf("another unit acknowledged: %d %s", r.status, r.body)
		}
		if r := step(leader2, idA, "confirm", nil); r.status != 403 {
			t.Errorf("another leader confirmed: %d %s", r.status, r.body)
		}

		// Unit A acknowledges the next day and submits on 18/3; the leader confirms on 19/3.
		setDay(t, clock, "2026-03-03")
		if r := step(repA, idA, "acknowledge", nil); r.status != 200 || r.json(t)["status"] != tinhso.DirectiveAcknowledged {
			t.Fatalf("acknowledge: %d %s", r.status, r.body)
		}
		if r := step(repA, idA, "acknowledge", nil); r.status != 409 {
			t.Errorf("acknowledged twice: %d %s", r.status, r.body)
		}
		// Unit B asks on 15/3 for 31/3; the past and a date not later are refused.
		setDay(t, clock, "2026-03-15")
		before := a.do(t, "GET", fmt.Sprintf("/api/v1/directives/%v", d["id"]), nil, leader...).body
		for _, c := range []struct{ date, note string }{{"2026-03-01", "lý do"}, {"2026-03-14", "lý do"}, {"2026-03-20", "lý do"}, {"2026-03-31", ""}, {"31/3", "lý do"}} {
			r := step(repB, idB, "extension", map[string]any{"date": c.date, "note": c.note})
			want := "date"
			if c.note == "" {
				want = "reason"
			}
			if r.status != 400 || r.json(t)["field"] != want {
				t.Errorf("extension to %s (%q): %d %s", c.date, c.note, r.status, r.body)
			}
		}
		if after := a.do(t, "GET", fmt.Sprintf("/api/v1/directives/%v", d["id"]), nil, leader...).body; string(after) != string(before) {
			t.Errorf("refused extensions changed the directive:\n%s\n%s", before, after)
		}
		if r := step(repB, idB, "extension", map[string]any{"date": "2026-03-31", "note": "Chờ kết quả thẩm định <b>an toàn</b> thông tin"}); r.status != 200 || r.json(t)["status"] != tinhso.DirectiveExtensionAsked {
			t.Fatalf("ask extension: %d %s", r.status, r.body)
		}
		if v := mine(); len(v["waiting"].([]any)) != 1 || taskIDs(v["waiting"])[0] != idB {
			t.Errorf("waiting on 15/3: %v", v["waiting"])
		}
		setDay(t, clock, "2026-03-16")
		if r := step(repB, idB, "extension/grant", nil); r.status != 403 {
			t.Errorf("a unit granted its own extension: %d", r.status)
		}
		r = step(leader, idB, "extension/grant", nil)
		if r.status != 200 || r.json(t)["deadline"] != "2026-03-31" || r.json(t)["original_deadline"] != "2026-03-20" || r.json(t)["status"] != tinhso.DirectiveExtensionGranted {
			t.Fatalf("grant: %d %s", r.status, r.body)
		}
		setDay(t, clock, "2026-03-18")
		if r := step(repA, idA, "submit", map[string]any{"note": "Báo cáo số 45/BC-SKHCN"}); r.status != 200 || r.json(t)["status"] != tinhso.DirectiveSubmitted {
			t.Fatalf("submit: %d %s", r.status, r.body)
		}
		v := mine()
		if fmt.Sprint(taskIDs(v["waiting"])) != fmt.Sprint([]int{idA}) || len(v["late"].([]any)) != 0 || len(v["asked"].([]any)) != 2 {
			t.Errorf("mine on 18/3: %v", v)
		}
		setDay(t, clock, "2026-03-19")
		r = step(leader, idA, "confirm", nil)
		if r.status != 200 || r.json(t)["status"] != tinhso.DirectiveConfirmed || r.json(t)["on_time"] != true {
			t.Fatalf("confirm: %d %s", r.status, r.body)
		}
		// 21/3: past the first deadline, within the extension: nobody is late.
		now := setDay(t, clock, "2026-03-21")
		if s := status(idB, leader); s != tinhso.DirectiveExtensionGranted {
			t.Errorf("B on 21/3: %s", s)
		}
		if _, err := a.app.EvaluateAlerts(context.Background(), now); err != nil {
			t.Fatal(err)
		}
		if n := total(t, a.admin(t, "GET", "/api/v1/alerts?rule=builtin.directive_late", nil)); n != 0 {
			t.Errorf("alerts on 21/3: %d", n)
		}
		// 1/4: B missed the extended deadline.
		now = setDay(t, clock, "2026-04-01")
		if s := status(idB, leader); s != tinhso.DirectiveLate {
			t.Errorf("B on 1/4: %s", s)
		}
		if s := status(idA, leader); s != tinhso.DirectiveConfirmed {
			t.Errorf("A on 1/4: %s", s)
		}
		v = mine()
		if fmt.Sprint(taskIDs(v["late"])) != fmt.Sprint([]int{idB}) || len(v["waiting"].([]any)) != 0 || fmt.Sprint(taskIDs(v["asked"])) != fmt.Sprint([]int{idA, idB}) {
			t.Errorf("mine on 1/4: %v", v)
		}
		if v := mine(leader2...); len(v["asked"].([]any)) != 0 {
			t.Errorf("another leader's list: %v", v)
		}
		if _, err := a.app.EvaluateAlerts(context.Background(), now); err != nil {
			t.Fatal(err)
		}
		alerts := items(t, a.admin(t, "GET", "/api/v1/alerts?rule=builtin.directive_late", nil))
		if len(alerts) != 1 || alerts[0]["org_unit"] != unitB || alerts[0]["state"] != "open" {
			t.Fatalf("alerts on 1/4: %v", alerts)
		}
		if n := total(t, a.do(t, "GET", "/api/v1/alerts?rule=builtin.directive_late", nil, repA...)); n != 0 {
			t.Errorf("unit A sees B's alert")
		}
		if n := total(t, a.do(t, "GET", "/api/v1/alerts?rule=builtin.directive_late", nil, repB...)); n != 1 {
			t.Errorf("unit B sees %d alerts", n)
		}
		// Every step is in the audit log.
		audit := items(t, a.admin(t, "GET", "/api/v1/audit?limit=1000", nil))
		seen := map[string]int{}
		for _, x := range audit {
			seen[fmt.Sprint(x["action"])]++
		}
		for _, act := range []string{"directive.create", "directive.acknowledge", "directive.extension", "directive.grant", "directive.submit", "directive.confirm"} {
			if seen[act] != 1 {
				t.Errorf("audit %s: %d records", act, seen[act])
			}
		}
	})
}
