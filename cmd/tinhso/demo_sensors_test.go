package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso/seed"
)

// serve --demo registers the clearly synthetic sensors and publishes their points into
// the ingest path, so that the tiles move: points arrive every two seconds.
func TestServeDemoSensors(t *testing.T) {
	const tok = "demo-sensors-admin-token-0123456789"
	t.Setenv("TINHSO_ADMIN_TOKEN", tok)
	addr, out, stop := startServe(t, t.TempDir(), "--demo")
	defer stop()
	get := func(path string, v any) int {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		_ = json.NewDecoder(res.Body).Decode(v)
		return res.StatusCode
	}
	for _, d := range seed.DemoSensors {
		var s struct {
			Name string
			Tags map[string]string
		}
		if st := get("/api/v1/series/"+d.Key, &s); st != 200 || !strings.HasPrefix(s.Name, "Cảm biến mô phỏng") || s.Tags["synthetic"] != "true" {
			t.Fatalf("demo series %s: %d %+v\n%s", d.Key, st, s, out.String())
		}
	}
	key := seed.DemoSensors[0].Key
	q := url.Values{"from": {time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}, "to": {time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}, "resolution": {"raw"}}
	end := time.Now().Add(15 * time.Second)
	for {
		var res struct{ Items []struct{ Value float64 } }
		get("/api/v1/series/"+key+"/points?"+q.Encode(), &res)
		if len(res.Items) >= 3 {
			break
		}
		if time.Now().After(end) {
			t.Fatalf("%d demo points after 15 s\n%s", len(res.Items), out.String())
		}
		time.Sleep(100 * time.Millisecond) // polling the API, as a client would
	}
	var rules struct{ Items []struct{ Key string } }
	get("/api/v1/alert-rules", &rules)
	found := false
	for _, r := range rules.Items {
		found = found || r.Key == seed.DemoRuleKey
	}
	if !found {
		t.Errorf("the demo's threshold rule is missing: %+v", rules)
	}
}
