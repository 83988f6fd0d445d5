package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// An admin's password reset revokes the owner's API tokens as it ends the sessions; a
// self-change revokes them when asked (revoke_tokens, the page's box); easy passwords
// are refused with the rule they break (issue 9).
func TestPasswordChangesAndTokens(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		works := func(tok string) bool {
			return a.do(t, "GET", "/api/v1/session", nil, "Authorization", "Bearer "+tok).status == 200
		}

		// The admin's reset.
		id := mustUser(t, a, "tc.baocao", "reporter", "so-tai-chinh")
		tok, tokID := mustToken(t, a, id, "all")
		b := mustLogin(t, a, "tc.baocao", testPassword)
		if !works(tok) || b.do(t, "GET", "/api/v1/session", nil).status != 200 {
			t.Fatal("the token or the session does not work before the reset")
		}
		if r := a.admin(t, "POST", fmt.Sprintf("/api/v1/users/%d/password-reset", id), nil); r.status != 200 {
			t.Fatalf("reset: %d %s", r.status, r.body)
		}
		if works(tok) {
			t.Error("the token still works after an admin reset the password")
		}
		if r := b.do(t, "GET", "/api/v1/session", nil); r.status != 401 {
			t.Errorf("the session after the reset: %d", r.status)
		}
		list := items(t, a.admin(t, "GET", fmt.Sprintf("/api/v1/tokens?user_id=%d", id), nil))
		if len(list) != 1 || int(list[0]["id"].(float64)) != tokID || list[0]["revoked_at"] == nil {
			t.Errorf("the token list after the reset: %v", list)
		}
		audit := items(t, a.admin(t, "GET", fmt.Sprintf("/api/v1/audit?entity=user&entity_id=%d", id), nil))
		if len(audit) == 0 || !strings.Contains(fmt.Sprint(audit[0]["after"]), "tokens_revoked:1") {
			t.Errorf("the reset's audit record: %v", audit)
		}

		// One's own change: the tokens stay unless asked.
		id2 := mustUser(t, a, "nv.baocao", "reporter", "so-noi-vu")
		tok2, _ := mustToken(t, a, id2, "all")
		b2 := mustLogin(t, a, "nv.baocao", testPassword)
		second := "một câu mật khẩu mới dài"
		if r := b2.do(t, "POST", "/api/v1/password", map[string]any{"current": testPassword, "new": second}); r.status != 200 {
			t.Fatalf("change: %d %s", r.status, r.body)
		}
		if !works(tok2) {
			t.Error("a change without revoke_tokens revoked the token")
		}
		third := "câu thứ ba còn dài hơn nữa"
		if r := b2.do(t, "POST", "/api/v1/password", map[string]any{"current": second, "new": third, "revoke_tokens": true}); r.status != 200 {
			t.Fatalf("change with revoke_tokens: %d %s", r.status, r.body)
		}
		if works(tok2) {
			t.Error("the token still works after a change with revoke_tokens")
		}
		if b2.do(t, "GET", "/api/v1/session", nil).status != 200 {
			t.Error("the session that changed the password was ended")
		}

		// The page's box does the same.
		tok3, _ := mustToken(t, a, id2, "all")
		r := b2.post(t, "/password", url.Values{"current": {third}, "new": {testPassword}, "confirm": {testPassword}, "revoke_tokens": {"1"}}, true)
		if r.status != 303 || works(tok3) {
			t.Errorf("the page's change with the box ticked: %d, token works %v", r.status, works(tok3))
		}
		if page := b2.get(t, "/password"); !strings.Contains(string(page.body), `name="revoke_tokens"`) {
			t.Error("the password page has no box to revoke the tokens")
		}

		// Easy passwords, through the API and the page, refused with what is wrong.
		for _, c := range []struct{ pw, want string }{
			{"123456789012", "common"},
			{"adminadminadmin", "again and again"},
			{"nv.baocao-2026-mới", "username"},
			{"Thainguyen@2025", "common"},
		} {
			r := b2.do(t, "POST", "/api/v1/password", map[string]any{"current": testPassword, "new": c.pw})
			if r.status != 400 || r.json(t)["field"] != "new" || !strings.Contains(fmt.Sprint(r.json(t)["error"]), c.want) {
				t.Errorf("new password %q: %d %s", c.pw, r.status, r.body)
			}
		}
		page := b2.post(t, "/password?lang=vi", url.Values{"current": {testPassword}, "new": {"adminadminadmin"}, "confirm": {"adminadminadmin"}}, true)
		if page.status != 400 || !strings.Contains(string(page.body), "lặp đi lặp lại") {
			t.Errorf("the page with a repeated password: %d %s", page.status, clip(page.body))
		}
		if r := a.admin(t, "POST", "/api/v1/users", map[string]any{"username": "x.moi", "name": "X", "role": "leader", "password": "qwertyuiop[]"}); r.status != 400 {
			t.Errorf("an account created with a keyboard walk: %d %s", r.status, r.body)
		}
	})
}
