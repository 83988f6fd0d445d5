package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tinhso/tinhso/app"
	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

func postJSON(t *testing.T, url string, body any, headers ...string) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

var otpRe = regexp.MustCompile(`one-time password \(shown once[^)]*\): (\S+)`)

// The first start creates the account admin with a one-time password printed once (or
// TINHSO_ADMIN_PASSWORD), which must be changed; a restart creates nothing;
// TINHSO_ADMIN_TOKEN acts as the admin.
func TestFirstStartAdmin(t *testing.T) {
	sqldbtest.RunSerial(t, func(t *testing.T, engine string) {
		dbArgs := func() []string {
			if engine == "postgres" {
				return []string{"--no-seed", "--database-url", sqldbtest.Config(t, engine).URL}
			}
			return []string{"--no-seed"}
		}
		t.Setenv("TINHSO_ADMIN_TOKEN", "")
		t.Setenv("TINHSO_ADMIN_PASSWORD", "")
		data := filepath.Join(t.TempDir(), "data")
		args := dbArgs()
		addr, out, stop := startServe(t, data, args...)
		m := otpRe.FindStringSubmatch(out.String())
		if m == nil {
			stop()
			t.Fatalf("no one-time password printed:\n%s", out.String())
		}
		otp := m[1]
		status, body := postJSON(t, "http://"+addr+"/api/v1/login", map[string]any{"username": "admin", "password": otp})
		if status != 200 || body["must_change_password"] != true {
			t.Errorf("login with the printed password: %d %v", status, body)
		}
		if status, _ := postJSON(t, "http://"+addr+"/api/v1/login", map[string]any{"username": "admin", "password": "admin"}); status != 401 {
			t.Errorf("admin/admin: %d", status)
		}
		stop()
		addr, out, stop = startServe(t, data, args...)
		if strings.Contains(out.String(), "Admin account created") {
			t.Errorf("restart created an admin again:\n%s", out.String())
		}
		if status, _ := postJSON(t, "http://"+addr+"/api/v1/login", map[string]any{"username": "admin", "password": otp}); status != 200 {
			t.Errorf("login after restart: %d", status)
		}
		stop()

		// From the environment: the password is not printed, and must change; the token
		// acts as the admin account.
		const pw, token = "mật khẩu quản trị 2026", "env-admin-token-0123456789"
		t.Setenv("TINHSO_ADMIN_PASSWORD", pw)
		t.Setenv("TINHSO_ADMIN_TOKEN", token)
		addr, out, stop = startServe(t, filepath.Join(t.TempDir(), "data"), dbArgs()...)
		defer stop()
		if strings.Contains(out.String(), pw) || !strings.Contains(out.String(), "TINHSO_ADMIN_PASSWORD") {
			t.Errorf("output:\n%s", out.String())
		}
		if status, body := postJSON(t, "http://"+addr+"/api/v1/login", map[string]any{"username": "admin", "password": pw}); status != 200 || body["must_change_password"] != true {
			t.Errorf("login with TINHSO_ADMIN_PASSWORD: %d %v", status, body)
		}
		req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/session", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var sess map[string]any
		json.NewDecoder(res.Body).Decode(&sess)
		res.Body.Close()
		if u, _ := sess["user"].(map[string]any); res.StatusCode != 200 || u["username"] != "admin" || u["id"] == float64(0) {
			t.Errorf("session of the admin token: %d %v", res.StatusCode, sess)
		}
	})
}

// A TINHSO_ADMIN_PASSWORD that breaks the password rules stops the start.
func TestAdminPasswordRules(t *testing.T) {
	t.Setenv("TINHSO_ADMIN_TOKEN", "")
	t.Setenv("TINHSO_ADMIN_PASSWORD", "admin")
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := run(ctx, []string{"serve", "--no-seed", "--mqtt-addr", "", "--addr", freeAddr(t), "--data", t.TempDir()}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "TINHSO_ADMIN_PASSWORD") {
		t.Errorf("short admin password: %v", err)
	}
}

// Session and proxy settings come from flags or TINHSO_* variables.
func TestAuthSettings(t *testing.T) {
	var c config
	env := map[string]string{"TINHSO_SESSION_IDLE": "2h", "TINHSO_TRUST_PROXY": "true"}
	fs := newFlagSet()
	c.flags(fs, func(k string) string { return env[k] })
	if err := fs.Parse([]string{"--session-max", "24h"}); err != nil {
		t.Fatal(err)
	}
	if c.SessionIdle != 2*time.Hour || c.SessionMax != 24*time.Hour || !c.TrustProxy {
		t.Errorf("config: %+v", c)
	}
}

// The operations board is behind sign-in unless --public-board or TINHSO_PUBLIC_BOARD
// publishes it, and the server gets the setting (issue 9).
func TestPublicBoardSetting(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		args []string
		want bool
	}{
		{nil, nil, false},
		{map[string]string{"TINHSO_PUBLIC_BOARD": "true"}, nil, true},
		{nil, []string{"--public-board"}, true},
		{map[string]string{"TINHSO_PUBLIC_BOARD": "1"}, []string{"--public-board=false"}, false},
	} {
		var cfg config
		fs := newFlagSet()
		cfg.flags(fs, func(k string) string { return c.env[k] })
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		if cfg.PublicBoard != c.want {
			t.Errorf("env %v, args %v: PublicBoard %v", c.env, c.args, cfg.PublicBoard)
		}
		cfg.Data = t.TempDir()
		srv, err := newServer(cfg, app.New(nil, app.Options{}), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		if srv.Config.PublicBoard != c.want {
			t.Errorf("env %v, args %v: the server's PublicBoard %v", c.env, c.args, srv.Config.PublicBoard)
		}
	}
}
