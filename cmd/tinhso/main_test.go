package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `tinhso serve` until the returned stop is called; it waits for /healthz.
func startServe(t *testing.T, data string, extra ...string) (addr string, out *syncBuffer, stop func()) {
	t.Helper()
	addr = freeAddr(t)
	out = &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	args := append([]string{"serve", "--mqtt-addr", "", "--addr", addr, "--data", data}, extra...)
	go func() { done <- run(ctx, args, out, out) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no /healthz within 30 s\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return addr, out, func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("serve did not shut down")
		}
	}
}

func totals(t *testing.T, addr string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, p := range []string{"documents", "org-units", "indicators", "tasks", "problems", "measures", "successions"} {
		res, err := http.Get("http://" + addr + "/api/v1/" + p)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Total int }
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		out[p] = body.Total
	}
	return out
}

// A first start loads the seed; a restart adds nothing; a deleted data file is recreated.
func TestServeSeedsOnceAndRestarts(t *testing.T) {
	sqldbtest.RunSerial(t, func(t *testing.T, engine string) {
		testServeSeedsOnceAndRestarts(t, engine)
	})
}

func testServeSeedsOnceAndRestarts(t *testing.T, engine string) {
	t.Setenv("TINHSO_ADMIN_TOKEN", "")
	data := filepath.Join(t.TempDir(), "data")
	var extra []string
	if engine == "postgres" {
		extra = []string{"--database-url", sqldbtest.Config(t, engine).URL}
	}
	addr, out, stop := startServe(t, data, extra...)
	first := totals(t, addr)
	stop()
	if first["tasks"] < 68 || first["problems"] != 23 {
		t.Fatalf("first start: %v", first)
	}
	if !strings.Contains(out.String(), "one-time password (shown once") {
		t.Errorf("first start printed no admin password:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "shutting down") {
		t.Errorf("no graceful shutdown logged:\n%s", out.String())
	}

	addr, out, stop = startServe(t, data, extra...)
	second := totals(t, addr)
	stop()
	if !equal(first, second) {
		t.Errorf("restart changed the counts: %v then %v", first, second)
	}
	if strings.Contains(out.String(), "Admin account created") || strings.Contains(out.String(), "seed data loaded") {
		t.Errorf("restart created an admin or loaded seed again:\n%s", out.String())
	}

	if engine != "sqlite" {
		return // resetting PostgreSQL is dropping the database: nothing of ours to test
	}
	if err := os.RemoveAll(data); err != nil {
		t.Fatal(err)
	}
	addr, _, stop = startServe(t, data)
	third := totals(t, addr)
	stop()
	if !equal(first, third) {
		t.Errorf("after deleting the data: %v, want %v", third, first)
	}
	if _, err := os.Stat(filepath.Join(data, "tinhso.db")); err != nil {
		t.Errorf("database file not recreated: %v", err)
	}
}

func equal(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Environment variables set what flags set; flags win.
func TestSettingsFromEnvironment(t *testing.T) {
	var c config
	env := map[string]string{"TINHSO_ADDR": "127.0.0.1:9999", "TINHSO_DATA": "/srv/tinhso", "TINHSO_LOG_LEVEL": "debug", "TINHSO_MAX_BODY_BYTES": "2048"}
	fs := newFlagSet()
	c.flags(fs, func(k string) string { return env[k] })
	if err := fs.Parse([]string{"--data", "/tmp/x"}); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9999" || c.Data != "/tmp/x" || c.LogLevel != "debug" || c.MaxBodyBytes != 2048 {
		t.Errorf("config: %+v", c)
	}
}

// `tinhso import org-units` loads the synthetic example communes, all or nothing.
func TestImportOrgUnitsCommand(t *testing.T) {
	data := t.TempDir()
	var out bytes.Buffer
	example := filepath.Join("..", "..", "seed", "examples", "communes-example.csv")
	if err := run(context.Background(), []string{"import", "org-units", "--data", data, example}, &out, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "8 org units created") {
		t.Errorf("output: %s", out.String())
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("code,name,kind,parent\nx-1,Xã X,commune,khong-co\n"), 0o644)
	err := run(context.Background(), []string{"import", "org-units", "--data", data, bad}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "khong-co") {
		t.Errorf("bad parent: %v", err)
	}
}

// `tinhso export`, then `tinhso import` into each engine, then export again: the two
// exports are identical.
func TestExportImportCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var out bytes.Buffer
	// A first import of org units also loads the seed plan into the SQLite file.
	example := filepath.Join("..", "..", "seed", "examples", "communes-example.csv")
	if err := run(ctx, []string{"import", "org-units", "--data", dir, example}, &out, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	first := filepath.Join(dir, "first.json")
	if err := run(ctx, []string{"export", "--data", dir, "--out", first}, &out, &out); err != nil {
		t.Fatalf("export: %v\n%s", err, out.String())
	}
	for _, engine := range sqldbtest.Engines() {
		t.Run(engine, func(t *testing.T) {
			target := []string{"--data", t.TempDir()}
			if engine == "postgres" {
				target = []string{"--database-url", sqldbtest.Config(t, engine).URL}
			}
			var out bytes.Buffer
			if err := run(ctx, append(append([]string{"import"}, target...), first), &out, &out); err != nil {
				t.Fatalf("import: %v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "every row read back equal") {
				t.Errorf("import output: %s", out.String())
			}
			second := filepath.Join(t.TempDir(), "second.json")
			if err := run(ctx, append(append([]string{"export"}, target...), "--out", second), &out, &out); err != nil {
				t.Fatalf("export again: %v", err)
			}
			a, _ := os.ReadFile(first)
			b, _ := os.ReadFile(second)
			if len(a) < 100000 || !bytes.Equal(a, b) {
				t.Errorf("exports differ: %d and %d bytes", len(a), len(b))
			}
			// A second import into the same database is refused.
			err := run(ctx, append(append([]string{"import"}, target...), first), &out, &out)
			if err == nil || !strings.Contains(err.Error(), "not empty") {
				t.Errorf("import into a full database: %v", err)
			}
		})
	}
}

// The server serve builds has its evidence store, in the data folder.
func TestServeWiresEvidenceStore(t *testing.T) {
	dir := t.TempDir()
	c := config{Data: dir, MaxBodyBytes: 1 << 20}
	srv, err := newServer(c, newApp(c, nil, nil), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if srv.Blobs == nil {
		t.Fatal("no evidence store")
	}
	b, err := srv.Blobs.Put(context.Background(), strings.NewReader("%PDF-1.4\n%%EOF\n"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "blobs", b.Hash[:2], b.Hash[2:])); err != nil {
		t.Errorf("blob not under the data folder: %v", err)
	}
}
