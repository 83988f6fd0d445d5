package server_test

import (
	"strings"
	"testing"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// Account and security events are in the audit log, with no password in them.
func TestAccountEventsAudited(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		id := mustUser(t, a, "kiem-toan", "leader", "")
		mustLogin(t, a, "kiem-toan", testPassword)
		_, tok := mustToken(t, a, id, "session")
		a.admin(t, "DELETE", "/api/v1/tokens/"+itoa(tok), nil)
		if r := a.admin(t, "PATCH", "/api/v1/users/"+itoa(id), `{"disabled":true}`); r.status != 200 {
			t.Fatalf("disable: %d %s", r.status, r.body)
		}
		r := a.admin(t, "GET", "/api/v1/audit?limit=1000", nil)
		var acts []string
		for _, rec := range items(t, r) {
			acts = append(acts, rec["action"].(string))
		}
		got := strings.Join(acts, " ")
		for _, want := range []string{"user.create", "session.login", "user.update", "token.create", "token.revoke"} {
			if !strings.Contains(got, want) {
				t.Errorf("audit lacks %s: %s", want, got)
			}
		}
		if strings.Contains(string(r.body), "argon2") || strings.Contains(string(r.body), testPassword) {
			t.Errorf("a password or its hash is in the audit log")
		}
	})
}
