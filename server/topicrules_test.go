package server_test

import (
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/server"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// An admin's topic rules map topics of the sensors' own to series: mosquitto_pub
// publishes on sensors/phong-hop/temp (JSON at a path) and on city/.../lights/...
// (a plain number), and the points are in the series the templates name. Bad rules are
// refused naming the field, and a payload the rule cannot read is refused in the
// PUBACK with nothing stored.
func TestMQTTTopicRules(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		_, host, port := mustLiveMQTT(t, a, server.LiveOptions{})
		rep := mustUser(t, a, "cam-bien", "reporter", "van-phong-ubnd-tinh")
		tok, _ := mustToken(t, a, rep, tinhso.ActWriteSeries)
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"pattern": "tinhso/series/+", "key_template": "x.{1}", "payload": "number"}, "pattern"},
			{map[string]any{"pattern": "sensors/#/temp", "key_template": "x", "payload": "number"}, "pattern"},
			{map[string]any{"pattern": "sensors/+/temp", "key_template": "x.{2}", "payload": "number"}, "key_template"},
			{map[string]any{"pattern": "sensors/+/temp", "key_template": "nhiệt độ", "payload": "number"}, "key_template"},
			{map[string]any{"pattern": "sensors/+/temp", "key_template": "x.{1}", "payload": "json"}, "value_path"},
			{map[string]any{"pattern": "sensors/+/temp", "key_template": "x.{1}", "payload": "csv"}, "payload"},
		} {
			r := a.admin(t, "POST", "/api/v1/mqtt/topic-rules", c.body)
			if r.status != 400 || r.json(t)["field"] != c.field {
				t.Errorf("%v: %d %s, want 400 naming %s", c.body, r.status, r.body, c.field)
			}
		}
		if n := total(t, a.admin(t, "GET", "/api/v1/mqtt/topic-rules", nil)); n != 0 {
			t.Fatalf("%d rules stored after refusals", n)
		}
		r := a.admin(t, "POST", "/api/v1/mqtt/topic-rules", map[string]any{"pattern": "sensors/+/temp", "key_template": "cam-bien.{1}.nhiet-do",
			"payload": "json", "value_path": "data.temp", "time_path": "data.ts", "enabled": true, "note": "Cảm biến nhiệt độ các phòng"})
		if r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "POST", "/api/v1/mqtt/topic-rules", map[string]any{"pattern": "sensors/+/temp", "key_template": "y.{1}", "payload": "number", "enabled": true}); r.status != 400 || r.json(t)["field"] != "pattern" {
			t.Errorf("a second rule for the same pattern: %d %s", r.status, r.body)
		}
		if r := a.admin(t, "POST", "/api/v1/mqtt/topic-rules", map[string]any{"pattern": "city/+/lights/#", "key_template": "den.{1}", "payload": "number", "enabled": true}); r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		// The rules can be tried through the API.
		tr := a.admin(t, "POST", "/api/v1/mqtt/topic-rules/test", map[string]any{"topic": "sensors/kho/temp", "payload": `{"data": {"temp": 4.5}}`}).json(t)
		if tr["matched"] != true || tr["key"] != "cam-bien.kho.nhiet-do" || tr["payload"] != `{"value":4.5}` {
			t.Errorf("test: %v", tr)
		}

		at := time.Now().Add(-time.Minute).Truncate(time.Millisecond).UTC()
		for _, v := range []string{"mqttv311", "mqttv5"} {
			if out, err := pub(t, host, port, tok, "-V", v, "-q", "1", "-t", "sensors/phong-hop/temp", "-m", fmt.Sprintf(`{"data": {"temp": 21.5, "ts": %d}}`, at.UnixMilli())); err != nil {
				t.Fatalf("%s: %v %s", v, err, out)
			}
		}
		if out, err := pub(t, host, port, tok, "-V", "mqttv5", "-q", "1", "-t", "city/lang-son/lights/pho-1/den-3", "-m", "1"); err != nil {
			t.Fatalf("lights: %v %s", err, out)
		}
		from, to := at.Add(-time.Hour), time.Now().Add(time.Minute)
		if got := rawPoints(t, a, "cam-bien.phong-hop.nhiet-do", from, to); len(got) != 1 || got[0] != (tinhso.Point{T: at.UnixNano(), V: 21.5}) {
			t.Errorf("mapped points: %v", got)
		}
		if got := rawPoints(t, a, "den.lang-son", from, to); len(got) != 1 || got[0].V != 1 {
			t.Errorf("lights: %v", got)
		}
		// A payload without the value, and a topic no rule maps: refused, nothing stored.
		out, err := pub(t, host, port, tok, "-V", "mqttv5", "-q", "1", "-t", "sensors/san/temp", "-m", `{"data": {"humidity": 80}}`, "-d")
		if !strings.Contains(out, "data.temp") && err == nil {
			t.Errorf("a payload without the value: %v %s", err, out)
		}
		out, err = pub(t, host, port, tok, "-V", "mqttv5", "-q", "1", "-t", "other/thing", "-m", "1", "-d")
		if !strings.Contains(out, "topic rule") && err == nil {
			t.Errorf("an unmapped topic: %v %s", err, out)
		}
		if r := a.admin(t, "GET", "/api/v1/series/cam-bien.san.nhiet-do", nil); r.status != 404 {
			t.Errorf("a refused payload made a series: %d", r.status)
		}
		// The admin page lists the rules and refuses a bad one naming the field, in
		// Vietnamese.
		mustUser(t, a, "qt.mqtt", "admin", "")
		adm := mustLogin(t, a, "qt.mqtt", testPassword)
		if pg := adm.get(t, "/admin/mqtt-topics?lang=vi"); pg.status != 200 || !strings.Contains(html.UnescapeString(string(pg.body)), "sensors/+/temp") ||
			!strings.Contains(string(pg.body), "Cảm biến nhiệt độ các phòng") {
			t.Errorf("topic rules page: %d", pg.status)
		}
		bad := adm.post(t, "/admin/mqtt-topics?lang=vi", url.Values{"pattern": {"sensors/+/hum"}, "key_template": {"do-am.{2}"}, "payload": {"number"}}, true)
		if bad.status != 400 || !strings.Contains(html.UnescapeString(string(bad.body)), "Mẫu mã dùng {2}, nhưng mẫu chủ đề chỉ có 1 cấp +.") ||
			!strings.Contains(string(bad.body), `id="f-key" type="text" name="key_template" value="do-am.{2}" required spellcheck="false" aria-invalid="true"`) {
			t.Errorf("a bad rule through the page: %d %s", bad.status, bad.body)
		}
		good := adm.post(t, "/admin/mqtt-topics", url.Values{"pattern": {"sensors/+/hum"}, "key_template": {"do-am.{1}"}, "payload": {"number"}, "enabled": {"1"}}, true)
		if good.status != 303 {
			t.Errorf("a rule through the page: %d %s", good.status, good.body)
		}
		if n := total(t, a.admin(t, "GET", "/api/v1/mqtt/topic-rules", nil)); n != 3 {
			t.Errorf("%d rules after the page's", n)
		}

		// Disabling a rule stops it.
		rules := items(t, a.admin(t, "GET", "/api/v1/mqtt/topic-rules", nil))
		var lights map[string]any
		for _, x := range rules {
			if x["pattern"] == "city/+/lights/#" {
				lights = x
			}
		}
		id := fmt.Sprint(lights["id"])
		lights["enabled"] = false
		for _, k := range []string{"id", "version", "created_by", "created_at", "updated_at"} {
			delete(lights, k)
		}
		if r := a.admin(t, "PUT", "/api/v1/mqtt/topic-rules/"+id, lights, "If-Match", "1"); r.status != 200 {
			t.Fatalf("disable: %d %s", r.status, r.body)
		}
		if out, err := pub(t, host, port, tok, "-V", "mqttv5", "-q", "1", "-t", "city/lang-son/lights/pho-2", "-m", "2", "-d"); err == nil && !strings.Contains(out, "topic rule") {
			t.Errorf("a disabled rule still maps: %s", out)
		}
		if got := rawPoints(t, a, "den.lang-son", from, to); len(got) != 1 {
			t.Errorf("lights after disabling: %v", got)
		}
	})
}
