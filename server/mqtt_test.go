package server_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/server"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// mustLiveMQTT starts the ingest path with the MQTT broker on a free loopback port and
// returns the broker's host and port.
func mustLiveMQTT(tb testing.TB, a *testAPI, o server.LiveOptions) (*server.Live, string, string) {
	tb.Helper()
	o.PolicyCache = -1
	o.MQTTAddr = "127.0.0.1:0"
	live, err := a.srv.StartLive(context.Background(), o)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := live.Close(); err != nil {
			tb.Error(err)
		}
	})
	host, port, err := net.SplitHostPort(live.MQTT.Addr().String())
	if err != nil {
		tb.Fatal(err)
	}
	return live, host, port
}

// pub runs Debian's mosquitto_pub; it returns its exit error and what it printed.
func pub(tb testing.TB, host, port, token string, args ...string) (string, error) {
	tb.Helper()
	if _, err := exec.LookPath("mosquitto_pub"); err != nil {
		tb.Fatal("mosquitto_pub is needed (apt-get install mosquitto-clients)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "mosquitto_pub", append([]string{"-h", host, "-p", port, "-u", "cam-bien", "-P", token}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// waitPoints reads a series through the API until it has n points or within deadline.
func waitPoints(tb testing.TB, a *testAPI, key string, n int, from, to time.Time, within time.Duration) []tinhso.Point {
	tb.Helper()
	end := time.Now().Add(within)
	for {
		r := a.admin(tb, "GET", "/api/v1/series/"+key, nil)
		if r.status == 200 {
			if got := rawPoints(tb, a, key, from, to); len(got) >= n || time.Now().After(end) {
				return got
			}
		} else if time.Now().After(end) {
			return nil
		}
		time.Sleep(10 * time.Millisecond) // polling the API, as a client would
	}
}

// Points published by mosquitto_pub over MQTT 3.1.1 and 5, QoS 0 and 1, as a plain
// number and as JSON, are readable through the API: at once after a QoS 1 publish
// returns (its PUBACK came after the point was durable), within 1 s for QoS 0.
func TestMQTTPublish(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		_, host, port := mustLiveMQTT(t, a, server.LiveOptions{})
		rep := mustUser(t, a, "cam-bien", "reporter", "van-phong-ubnd-tinh")
		tok, _ := mustToken(t, a, rep, tinhso.ActWriteSeries)
		at := time.Now().Add(-time.Hour).Truncate(time.Millisecond).UTC()
		from, to := at.Add(-2*time.Hour), time.Now().Add(time.Minute)
		for _, v := range []string{"mqttv311", "mqttv5"} {
			for _, q := range []string{"0", "1"} {
				key := "mqtt." + v + ".q" + q
				out, err := pub(t, host, port, tok, "-V", v, "-q", q, "-t", "tinhso/series/"+key, "-m", "21.5")
				if err != nil {
					t.Fatalf("%s QoS %s: %v %s", v, q, err, out)
				}
				// JSON with a time, in milliseconds since 1970 and in RFC 3339.
				out, err = pub(t, host, port, tok, "-V", v, "-q", q, "-t", "tinhso/series/"+key, "-m", fmt.Sprintf(`{"time": %d, "value": -3e2}`, at.UnixMilli()))
				if err != nil {
					t.Fatalf("%s QoS %s: %v %s", v, q, err, out)
				}
				out, err = pub(t, host, port, tok, "-V", v, "-q", q, "-t", "tinhso/series/"+key, "-m", `{"value": 7, "time": "`+at.Add(-time.Minute).In(tinhso.Location).Format(time.RFC3339Nano)+`"}`)
				if err != nil {
					t.Fatalf("%s QoS %s: %v %s", v, q, err, out)
				}
				within := time.Duration(0)
				if q == "0" {
					within = time.Second
				}
				got := waitPoints(t, a, key, 3, from, to, within)
				if len(got) != 3 {
					t.Fatalf("%s QoS %s: %d points %v, want 3", v, q, len(got), got)
				}
				if got[0] != (tinhso.Point{T: at.Add(-time.Minute).UnixNano(), V: 7}) || got[1] != (tinhso.Point{T: at.UnixNano(), V: -300}) || got[2].V != 21.5 || time.Since(time.Unix(0, got[2].T)) > time.Minute {
					t.Errorf("%s QoS %s: points %v", v, q, got)
				}
			}
		}
	})
}

// A wrong token, a token without the ingest scope, and none at all are refused at
// CONNECT, and nothing is stored.
func TestMQTTRefusesTokens(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		_, host, port := mustLiveMQTT(t, a, server.LiveOptions{})
		rep := mustUser(t, a, "cam-bien", "reporter", "van-phong-ubnd-tinh")
		readOnly, _ := mustToken(t, a, rep, tinhso.ActReadSeries)
		for _, tc := range []struct{ name, token, version, want string }{
			{"wrong 3.1.1", "tsk_wrong-token-0000000000", "mqttv311", "not authorised"},
			{"wrong 5", "tsk_wrong-token-0000000000", "mqttv5", "Bad User Name or Password"},
			{"read scope 3.1.1", readOnly, "mqttv311", "not authorised"},
			{"read scope 5", readOnly, "mqttv5", "Bad User Name or Password"},
			{"empty 5", "", "mqttv5", "Connection error"},
		} {
			out, err := pub(t, host, port, tc.token, "-V", tc.version, "-q", "1", "-t", "tinhso/series/refused", "-m", "1")
			if err == nil || !strings.Contains(out, tc.want) {
				t.Errorf("%s: %v %q, want a refusal %q", tc.name, err, out, tc.want)
			}
		}
		if r := a.admin(t, "GET", "/api/v1/series/refused", nil); r.status != 404 {
			t.Errorf("series after refused connections: %d %s", r.status, r.body)
		}
	})
}

// Bad publishes are refused, each with its reason in MQTT 5's PUBACK (mosquitto_pub
// prints it) and by closing the connection in 3.1.1; nothing of them is stored, and a
// good point on the same connection afterwards goes in.
func TestMQTTRefusesBadPublishes(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		_, host, port := mustLiveMQTT(t, a, server.LiveOptions{})
		rep := mustUser(t, a, "cam-bien", "reporter", "van-phong-ubnd-tinh")
		tok, _ := mustToken(t, a, rep, tinhso.ActWriteSeries)
		big := strings.Repeat("1", 2000)
		huge := strings.Repeat("1", 200_000)
		for _, tc := range []struct{ name, topic, payload, want string }{
			{"text", "tinhso/series/bad", "abc", "Value abc is not a finite number."},
			{"NaN", "tinhso/series/bad", "NaN", "Value NaN is not a finite number."},
			{"Inf", "tinhso/series/bad", "+Inf", "Value +Inf is not a finite number."},
			{"hex", "tinhso/series/bad", "0x10", "Value 0x10 is not a finite number."},
			{"overflow", "tinhso/series/bad", "1e999", "Value 1e999 is not a finite number."},
			{"empty", "tinhso/series/bad", " ", "The payload is empty"},
			{"json value", "tinhso/series/bad", `{"value": "1"}`, `Value "1" is not a finite number.`},
			{"json field", "tinhso/series/bad", `{"value": 1, "unit": "C"}`, "has the field “unit”"},
			{"json no value", "tinhso/series/bad", `{"time": 1}`, "has no “value”"},
			{"json broken", "tinhso/series/bad", `{"value": 1`, "is not a JSON object"},
			{"json two", "tinhso/series/bad", `{"value": 1} {"value": 2}`, "trailing data"},
			{"time", "tinhso/series/bad", `{"time": "yesterday", "value": 1}`, `Time "yesterday" is neither RFC 3339`},
			{"before 1970", "tinhso/series/bad", `{"time": -5, "value": 1}`, "is before 1970"},
			{"ahead", "tinhso/series/bad", fmt.Sprintf(`{"time": %d, "value": 1}`, time.Now().Add(48*time.Hour).UnixMilli()), "ahead of the server's clock"},
			{"large", "tinhso/series/bad", big, "The payload has 2000 bytes; a point's payload is at most 1024 bytes."},
			{"other topic", "sensors/bad", "1", `topic "sensors/bad" is not tinhso/series/{key}`},
			{"deeper topic", "tinhso/series/bad/x", "1", `is not tinhso/series/{key}`},
			{"bad key", "tinhso/series/bad key", "1", "the series key is not valid"},
			{"accented key", "tinhso/series/nhiệt-độ", "1", "the series key is not valid"},
		} {
			out, err := pub(t, host, port, tok, "-V", "mqttv5", "-q", "1", "-t", tc.topic, "-m", tc.payload)
			if !strings.Contains(out, "Publish 1 failed") || !strings.Contains(out, tc.want) {
				t.Errorf("%s (MQTT 5): %v %q, want %q", tc.name, err, out, tc.want)
			}
			out, err = pub(t, host, port, tok, "-V", "mqttv311", "-q", "1", "-t", tc.topic, "-m", tc.payload)
			if err == nil {
				t.Errorf("%s (MQTT 3.1.1): taken: %q", tc.name, out)
			}
		}
		// A packet over the broker's limit closes the connection (MQTT 5: reason 0x95).
		if out, err := pub(t, host, port, tok, "-V", "mqttv5", "-q", "1", "-t", "tinhso/series/bad", "-m", huge); err == nil {
			t.Errorf("a 200 kB packet was taken: %q", out)
		}
		if r := a.admin(t, "GET", "/api/v1/series/bad", nil); r.status != 404 {
			t.Errorf("series after refused publishes: %d %s", r.status, r.body)
		}
		// Refused, then a good one in the same session (mosquitto_pub -l: one message per line).
		cmd := exec.Command("mosquitto_pub", "-h", host, "-p", port, "-u", "x", "-P", tok, "-V", "mqttv5", "-q", "1", "-t", "tinhso/series/good", "-l")
		cmd.Stdin = strings.NewReader("abc\n42\n")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "not a finite number") {
			t.Errorf("refused then good: %v %s", err, out)
		}
		if got := rawPoints(t, a, "good", time.Now().Add(-time.Hour), time.Now().Add(time.Minute)); len(got) != 1 || got[0].V != 42 {
			t.Errorf("good after refused: %v", got)
		}
	})
}
