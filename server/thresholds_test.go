package server_test

import (
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/server"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// pubLines publishes each line as a message (mosquitto_pub -l), QoS 1: it returns once
// every message is acknowledged, that is durable.
func pubLines(tb testing.TB, host, port, token, topic string, lines ...string) {
	tb.Helper()
	cmd := exec.Command("mosquitto_pub", "-h", host, "-p", port, "-u", "cam-bien", "-P", token, "-V", "mqttv5", "-q", "1", "-t", topic, "-l")
	cmd.Stdin = strings.NewReader(strings.Join(lines, "\n") + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("mosquitto_pub -l: %v %s", err, out)
	}
}

// thresholdState polls GET /api/v1/series/{key}/thresholds until the rule has been
// evaluated on the point at last (the evaluation follows the durable write), and
// returns its state.
func thresholdState(tb testing.TB, a *testAPI, key, rule string, last time.Time) string {
	tb.Helper()
	end := time.Now().Add(10 * time.Second)
	for {
		r := a.admin(tb, "GET", "/api/v1/series/"+key+"/thresholds", nil)
		for _, it := range items(tb, r) {
			if it["rule"] != rule {
				continue
			}
			if at, _ := it["last_at"].(string); at != "" {
				if t, err := time.Parse(time.RFC3339Nano, at); err == nil && !t.Before(last) {
					return it["state"].(string)
				}
			}
		}
		if time.Now().After(end) {
			tb.Fatalf("rule %s was not evaluated on the point at %s: %s", rule, last, r.body)
		}
		time.Sleep(5 * time.Millisecond) // polling the API, as a client would
	}
}

func seriesAlerts(tb testing.TB, a *testAPI, rule string) []map[string]any {
	tb.Helper()
	return items(tb, a.admin(tb, "GET", "/api/v1/alerts?rule="+rule, nil))
}

// A noisy sensor published over MQTT (and a second one over HTTP) around a threshold
// with hysteresis: exactly one alert opens on the spike, none flaps while the value
// hovers in the band, and it is resolved once the value has stayed back past the
// margin for the rule's wait.
func TestSeriesThresholdEndToEnd(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		_, host, port := mustLiveMQTT(t, a, server.LiveOptions{})
		rep := mustUser(t, a, "cam-bien", "reporter", "van-phong-ubnd-tinh")
		tok, _ := mustToken(t, a, rep, tinhso.ActWriteSeries)
		// Bad rules are refused naming the field, and nothing is stored.
		for field, body := range map[string]map[string]any{
			"clear_margin": {"key": "pm25-bad", "name": "x", "kind": "series_threshold", "severity": "warning", "op": "gt", "threshold": 50, "clear_margin": -1},
			"clear_after":  {"key": "pm25-bad", "name": "x", "kind": "series_threshold", "severity": "warning", "op": "gt", "threshold": 50, "clear_after": "100d"},
			"subject":      {"key": "pm25-bad", "name": "x", "kind": "series_threshold", "severity": "warning", "op": "gt", "threshold": 50, "subject": "không/hợp lệ"},
		} {
			r := a.admin(t, "POST", "/api/v1/alert-rules", body)
			if r.status != 400 || r.json(t)["field"] != field {
				t.Errorf("rule with a bad %s: %d %s", field, r.status, r.body)
			}
		}
		for _, rule := range items(t, a.admin(t, "GET", "/api/v1/alert-rules", nil)) {
			if rule["key"] == "pm25-bad" {
				t.Errorf("a refused rule was stored: %v", rule)
			}
		}
		r := a.admin(t, "POST", "/api/v1/alert-rules", map[string]any{"key": "pm25-cao", "name": "Bụi mịn PM2.5 cao", "kind": "series_threshold",
			"severity": "warning", "enabled": true, "op": "gt", "threshold": 50, "clear_margin": 5, "clear_after": "30s"})
		if r.status != 201 {
			t.Fatalf("create rule: %d %s", r.status, r.body)
		}
		if m := r.json(t); m["clear_after"] != "30s" || m["clear_margin"] != 5.0 {
			t.Errorf("rule as stored: %s", r.body)
		}

		const key = "moi-truong.pm25"
		topic := "tinhso/series/" + key
		t0 := time.Now().Add(-10 * time.Minute).Truncate(time.Second).UTC()
		point := func(sec int, v float64) string {
			return fmt.Sprintf(`{"time": %d, "value": %g}`, t0.Add(time.Duration(sec)*time.Second).UnixMilli(), v)
		}
		at := func(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

		// Calm, then a spike: one alert opens.
		pubLines(t, host, port, tok, topic, point(0, 30), point(1, 32), point(2, 31))
		if st := thresholdState(t, a, key, "pm25-cao", at(2)); st != "ok" {
			t.Fatalf("calm: %s", st)
		}
		pubLines(t, host, port, tok, topic, point(3, 70))
		if st := thresholdState(t, a, key, "pm25-cao", at(3)); st != "open" {
			t.Fatalf("spike: %s", st)
		}
		// Hovering around the threshold, in the band above 45: nothing new.
		pubLines(t, host, port, tok, topic, point(4, 48), point(5, 53), point(6, 46), point(7, 52), point(8, 47), point(9, 51), point(10, 49))
		if st := thresholdState(t, a, key, "pm25-cao", at(10)); st != "open" {
			t.Fatalf("hovering: %s", st)
		}
		// Back below 45, but back up within 30 s: the wait starts again.
		for _, p := range []struct {
			sec  int
			v    float64
			want string
		}{{11, 40, "clearing"}, {20, 52, "open"}, {21, 40, "clearing"}, {40, 41, "clearing"}, {52, 39, "ok"}} {
			pubLines(t, host, port, tok, topic, point(p.sec, p.v))
			if st := thresholdState(t, a, key, "pm25-cao", at(p.sec)); st != p.want {
				t.Fatalf("at +%ds (%g): %s, want %s", p.sec, p.v, st, p.want)
			}
		}
		alerts := seriesAlerts(t, a, "pm25-cao")
		if len(alerts) != 1 {
			t.Fatalf("%d alerts, want 1: %v", len(alerts), alerts)
		}
		al := alerts[0]
		if al["state"] != "resolved" || al["reopened"] != 0.0 || al["subject"].(map[string]any)["key"] != key {
			t.Errorf("alert: %v", al)
		}
		var kinds []string
		evs, _ := a.admin(t, "GET", fmt.Sprintf("/api/v1/alerts/%v", al["id"]), nil).json(t)["events"].([]any)
		for _, e := range evs {
			if k := e.(map[string]any)["kind"]; k != "notified" {
				kinds = append(kinds, k.(string))
			}
		}
		if strings.Join(kinds, ",") != "opened,resolved" {
			t.Errorf("events: %v", kinds)
		}
		msg, _ := al["message"].(map[string]any)
		if text, _ := al["text"].(string); !strings.Contains(fmt.Sprint(msg, text), "70") {
			t.Errorf("the alert should say which value opened it: %v %v", msg, al)
		}

		// The HTTP path goes through the same watch.
		const hkey = "moi-truong.pm25-http"
		ingest := func(sec int, v float64) {
			t.Helper()
			r := a.do(t, "POST", "/api/v1/ingest", map[string]any{"points": []map[string]any{{"series": hkey, "time": at(sec).UnixMilli(), "value": v}}},
				"Authorization", "Bearer "+tok)
			if r.status != 204 {
				t.Fatalf("ingest: %d %s", r.status, r.body)
			}
		}
		for _, p := range []struct {
			sec  int
			v    float64
			want string
		}{{0, 80, "open"}, {1, 10, "clearing"}, {40, 10, "ok"}} {
			ingest(p.sec, p.v)
			if st := thresholdState(t, a, hkey, "pm25-cao", at(p.sec)); st != p.want {
				t.Fatalf("http at +%ds: %s, want %s", p.sec, st, p.want)
			}
		}
		if n := len(seriesAlerts(t, a, "pm25-cao")); n != 2 {
			t.Errorf("%d alerts after the HTTP series, want 2", n)
		}
	})
}

// The rule form takes a series threshold with its hysteresis, and refuses a bad margin
// naming it.
func TestUISeriesThresholdRule(t *testing.T) {
	t.Parallel()
	a := mustOpenAPI(t, "sqlite")
	mustUser(t, a, "qt.nguong", "admin", "")
	adm := mustLogin(t, a, "qt.nguong", testPassword)
	if pg := adm.get(t, "/alert-rules/new?lang=vi"); pg.status != 200 || !strings.Contains(string(pg.body), "Chuỗi số liệu trực tuyến vượt ngưỡng") {
		t.Fatalf("rule form: %d", pg.status)
	}
	form := url.Values{"key": {"muc-nuoc-thap"}, "name": {"Mực nước hồ thấp"}, "kind": {"series_threshold"}, "severity": {"critical"},
		"enabled": {"1"}, "subject": {"thuy-loi.muc-ho"}, "op": {"lt"}, "threshold": {"10,5"}, "clear_margin": {"-1"}, "clear_after": {"5m"},
		"eval_interval": {"15m"}, "repeat_interval": {"0"}, "escalation_delay": {"0"}}
	if r := adm.post(t, "/alert-rules?lang=vi", form, true); r.status != 422 || !strings.Contains(string(r.body), "Biên đóng cảnh báo (clear_margin) phải là một số không âm.") {
		t.Errorf("a bad margin: %d", r.status)
	}
	form.Set("clear_margin", "0,5")
	if r := adm.post(t, "/alert-rules", form, true); r.status != 303 {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	for _, rule := range items(t, a.admin(t, "GET", "/api/v1/alert-rules", nil)) {
		if rule["key"] == "muc-nuoc-thap" {
			if rule["clear_margin"] != 0.5 || rule["clear_after"] != "5m" || rule["threshold"] != 10.5 || rule["subject"] != "thuy-loi.muc-ho" {
				t.Errorf("stored: %v", rule)
			}
			return
		}
	}
	t.Error("the rule was not stored")
}
