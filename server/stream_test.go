package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/server"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// sseEvent is one server-sent event.
type sseEvent struct {
	id, name, data string
}

// sseClient reads a stream with a real HTTP client.
type sseClient struct {
	resp   *http.Response
	events chan sseEvent
}

func openStream(tb testing.TB, a *testAPI, path, token, lastID string) (*sseClient, *http.Response) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	tb.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, "GET", a.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != 200 {
		return nil, resp
	}
	c := &sseClient{resp: resp, events: make(chan sseEvent, 1000)}
	go func() {
		defer close(c.events)
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					c.events <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				ev.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.name = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.data = line[6:]
			}
		}
	}()
	return c, resp
}

func (c *sseClient) next(tb testing.TB, within time.Duration) sseEvent {
	tb.Helper()
	t := time.NewTimer(within)
	defer t.Stop()
	select {
	case ev, ok := <-c.events:
		if !ok {
			tb.Fatal("the stream ended")
		}
		return ev
	case <-t.C:
		tb.Fatalf("no event within %s", within)
	}
	return sseEvent{}
}

type streamPoint struct {
	Series string  `json:"series"`
	Time   string  `json:"time"`
	Value  float64 `json:"value"`
}

func (c *sseClient) point(tb testing.TB, within time.Duration) (streamPoint, string) {
	tb.Helper()
	ev := c.next(tb, within)
	if ev.name != "point" {
		tb.Fatalf("event %+v, want a point", ev)
	}
	var p streamPoint
	if err := json.Unmarshal([]byte(ev.data), &p); err != nil {
		tb.Fatalf("point %q: %v", ev.data, err)
	}
	return p, ev.id
}

// A point published with mosquitto_pub, and one sent over HTTP, reach a stream of
// several series within 1 s; a reconnection with Last-Event-ID gets what it missed,
// and one with an id the server does not know gets "reset". Refusals name the problem.
func TestSeriesStream(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		_, host, port := mustLiveMQTT(t, a, server.LiveOptions{})
		rep := mustUser(t, a, "cam-bien", "reporter", "van-phong-ubnd-tinh")
		tok, _ := mustToken(t, a, rep, tinhso.ActWriteSeries)
		reader := mustUser(t, a, "lanh-dao", "leader", "van-phong-ubnd-tinh")
		readTok, _ := mustToken(t, a, reader, tinhso.ActReadSeries)
		for _, k := range []string{"air.pm25", "river.level", "other"} {
			if r := a.admin(t, "POST", "/api/v1/series", map[string]any{"key": k, "name": k}); r.status != 201 {
				t.Fatalf("register %s: %d %s", k, r.status, r.body)
			}
		}
		s, _ := openStream(t, a, "/api/v1/series/stream?key=air.pm25&key=river.level", readTok, "")
		ready := s.next(t, 5*time.Second)
		if ready.name != "ready" || ready.id == "" {
			t.Fatalf("first event %+v, want ready with an id", ready)
		}
		one, _ := openStream(t, a, "/api/v1/series/river.level/stream", readTok, "")
		one.next(t, 5*time.Second)

		start := time.Now()
		if out, err := pub(t, host, port, tok, "-V", "mqttv5", "-q", "1", "-t", "tinhso/series/other", "-m", "1"); err != nil {
			t.Fatal(err, out)
		}
		if out, err := pub(t, host, port, tok, "-V", "mqttv5", "-q", "1", "-t", "tinhso/series/air.pm25", "-m", "35.5"); err != nil {
			t.Fatal(err, out)
		}
		p, _ := s.point(t, time.Second)
		if p.Series != "air.pm25" || p.Value != 35.5 {
			t.Errorf("first point %+v", p)
		}
		t.Logf("MQTT publish to SSE event: %s", time.Since(start))
		at := time.Now().Add(-time.Minute).UTC().Truncate(time.Millisecond)
		if r := a.do(t, "POST", "/api/v1/write?precision=ms", []byte(fmt.Sprintf("river.level value=2.25 %d\nother value=3", at.UnixMilli())), "Authorization", "Bearer "+tok, "Content-Type", "text/plain"); r.status != 204 {
			t.Fatalf("HTTP write: %d %s", r.status, r.body)
		}
		p, lastID := s.point(t, time.Second)
		if p.Series != "river.level" || p.Value != 2.25 || p.Time != at.Format(time.RFC3339Nano) {
			t.Errorf("second point %+v", p)
		}
		if p1, _ := one.point(t, time.Second); p1 != p {
			t.Errorf("single-series stream: %+v, want %+v", p1, p)
		}

		// Missed while away: resumed from Last-Event-ID, in order.
		s.resp.Body.Close()
		for _, v := range []string{"1", "2", "3"} {
			if out, err := pub(t, host, port, tok, "-V", "mqttv311", "-q", "1", "-t", "tinhso/series/air.pm25", "-m", v); err != nil {
				t.Fatal(err, out)
			}
		}
		back, _ := openStream(t, a, "/api/v1/series/stream?key=air.pm25&key=river.level", readTok, lastID)
		if ev := back.next(t, 5*time.Second); ev.name != "ready" {
			t.Fatalf("resumed stream starts with %+v", ev)
		}
		for _, want := range []float64{1, 2, 3} {
			if p, _ := back.point(t, time.Second); p.Series != "air.pm25" || p.Value != want {
				t.Errorf("resumed: %+v, want air.pm25 %v", p, want)
			}
		}
		gone, _ := openStream(t, a, "/api/v1/series/air.pm25/stream", readTok, "deadbeef-12")
		if ev := gone.next(t, 5*time.Second); ev.name != "reset" {
			t.Errorf("unknown Last-Event-ID: %+v, want reset", ev)
		}

		for _, tc := range []struct {
			path, token string
			status      int
			want        string
		}{
			{"/api/v1/series/nope/stream", readTok, 404, ""},
			{"/api/v1/series/stream", readTok, 400, "key="},
			{"/api/v1/series/stream?key=air.pm25&keys=x", readTok, 400, "keys"},
			{"/api/v1/series/stream?" + strings.Repeat("key=a&", 101), readTok, 400, "at most 100"},
			{"/api/v1/series/air.pm25/stream", "", 401, ""},
			{"/api/v1/series/air.pm25/stream", "wrong-token-000000000000", 401, ""},
		} {
			_, resp := openStream(t, a, tc.path, tc.token, "")
			if resp.StatusCode != tc.status {
				t.Errorf("%s: %d, want %d", tc.path, resp.StatusCode, tc.status)
				continue
			}
			var body map[string]any
			_ = json.NewDecoder(resp.Body).Decode(&body)
			if msg, _ := body["error"].(string); !strings.Contains(msg, tc.want) {
				t.Errorf("%s: %q, want %q", tc.path, msg, tc.want)
			}
		}
	})
}
