package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/connector"
	"github.com/tinhso/tinhso/netguard"
	"github.com/tinhso/tinhso/secret"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// TestConnectorsAPI: create with a secret that never comes back, a bad body refused
// naming the field with nothing stored, tinhso's own address refused, a dry run and
// the run history, in the OpenAPI document (every answer is checked against it).
func TestConnectorsAPI(t *testing.T) {
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer token-cua-he-thong-nganh" {
				http.Error(w, "no", http.StatusUnauthorized)
				return
			}
			fmt.Fprint(w, "Ngày;Tỷ lệ\n31/03/2026;61,5\n30/06/2026;64\n")
		}))
		defer src.Close()
		a := mustOpenAPI(t, engine)
		srcURL, _ := url.Parse(src.URL)
		g, err := netguard.New(netguard.Config{Allow: []string{srcURL.Host}, Listen: []string{a.Listener.Addr().String()}})
		if err != nil {
			t.Fatal(err)
		}
		kr, _ := secret.NewKeyring(secret.GenerateKey())
		a.app.SetConnectorOptions(app.ConnectorOptions{Fetcher: connector.New(g, ""), Secrets: kr})

		body := func(u string) map[string]any {
			return map[string]any{"name": "Cổng dịch vụ công", "enabled": true, "org_unit": "so-tai-chinh",
				"source":  map[string]any{"kind": "csv", "url": u, "auth": map[string]any{"kind": "bearer"}, "paging": map[string]any{"kind": ""}},
				"mapping": map[string]any{"target": "indicator", "indicator": "25-kh-ubnd/8.3", "period": "quarterly", "time": "Ngày", "value": "Tỷ lệ"},
				"secret":  "token-cua-he-thong-nganh"}
		}
		// Bad input: the field named, nothing stored.
		bad := body(src.URL)
		bad["mapping"].(map[string]any)["period"] = "weekly"
		if r := a.admin(t, "POST", "/api/v1/connectors", bad); r.status != 400 || !strings.Contains(string(r.body), "mapping.period") {
			t.Fatalf("bad: %d %s", r.status, r.body)
		}
		// tinhso's own address and the metadata address are refused.
		for _, u := range []string{"http://" + a.Listener.Addr().String() + "/api/v1/tasks", "http://169.254.169.254/latest/meta-data/"} {
			if r := a.admin(t, "POST", "/api/v1/connectors", body(u)); r.status != 400 || !strings.Contains(string(r.body), "source.url") {
				t.Fatalf("%s: %d %s", u, r.status, r.body)
			}
		}
		if r := a.admin(t, "GET", "/api/v1/connectors", nil); len(items(t, r)) != 0 {
			t.Fatalf("refused connectors stored: %s", r.body)
		}

		r := a.admin(t, "POST", "/api/v1/connectors", body(src.URL+"/dvc.csv"))
		if r.status != 201 || strings.Contains(string(r.body), "token-cua") || !strings.Contains(string(r.body), `"has_secret":true`) {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		id := int(r.json(t)["id"].(float64))
		path := fmt.Sprintf("/api/v1/connectors/%d", id)
		test := a.admin(t, "POST", path+"/test", nil)
		if test.status != 200 || !strings.Contains(string(test.body), `"outcome":"dry"`) || !strings.Contains(string(test.body), `"date":"2026-06-30"`) {
			t.Fatalf("test: %d %s", test.status, test.body)
		}
		run := a.admin(t, "POST", path+"/run", nil)
		if run.status != 200 || !strings.Contains(string(run.body), `"values_written":2`) {
			t.Fatalf("run: %d %s", run.status, run.body)
		}
		runs := a.admin(t, "GET", path+"/runs", nil)
		if list := items(t, runs); len(list) != 2 || list[0]["trigger"] != "manual" || list[1]["trigger"] != "test" {
			t.Fatalf("runs: %s", runs.body)
		}
		got := a.admin(t, "GET", path, nil)
		if strings.Contains(string(got.body), "token-cua") || !strings.Contains(string(got.body), `"outcome":"ok"`) {
			t.Fatalf("get: %s", got.body)
		}
		// Without a token: refused.
		if r := a.do(t, "GET", "/api/v1/connectors", nil); r.status != 401 {
			t.Fatalf("anonymous: %d", r.status)
		}
		if r := a.admin(t, "DELETE", path, nil); r.status != 204 {
			t.Fatalf("delete: %d %s", r.status, r.body)
		}
	})
}
