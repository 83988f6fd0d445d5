package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// --unknown-series refuse makes ingest refuse points of series the registry does not
// hold (the setting stays for later starts); a bad value stops serve with a clear
// error; the ingest routes are served with the API.
func TestServeUnknownSeriesFlag(t *testing.T) {
	t.Setenv("TINHSO_ADMIN_TOKEN", "cmd-test-admin-token-0123456789")
	data := filepath.Join(t.TempDir(), "data")
	err := run(context.Background(), []string{"serve", "--mqtt-addr", "", "--addr", "127.0.0.1:0", "--data", data, "--no-seed", "--unknown-series", "maybe"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--unknown-series must be create or refuse") {
		t.Fatalf("a bad --unknown-series: %v", err)
	}
	send := func(addr, line string) (int, string) {
		req, _ := http.NewRequest("POST", "http://"+addr+"/api/v2/write?org=o&bucket=b", strings.NewReader(line))
		req.Header.Set("Authorization", "Token cmd-test-admin-token-0123456789")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	addr, _, stop := startServe(t, data, "--no-seed")
	if st, body := send(addr, "da_co value=1"); st != 204 {
		t.Errorf("created by default: %d %s", st, body)
	}
	stop()
	addr, _, stop = startServe(t, data, "--no-seed", "--unknown-series", "refuse")
	if st, body := send(addr, "da_co value=2\nchua_co value=1"); st != 400 || !strings.Contains(body, "line 2") {
		t.Errorf("refused: %d %s", st, body)
	}
	stop()
	addr, _, stop = startServe(t, data, "--no-seed")
	defer stop()
	if st, body := send(addr, "moi value=1"); st != 400 {
		t.Errorf("the stored setting holds at the next start: %d %s", st, body)
	}
	if st, body := send(addr, "da_co value=3"); st != 204 {
		t.Errorf("a known series: %d %s", st, body)
	}
}
