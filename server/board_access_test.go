package server_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/tinhso/tinhso/sqldb/sqldbtest"
)

// The operations board needs sign-in unless the province publishes it
// (--public-board); the public portal is public either way (issue 9).
func TestBoardNeedsSignIn(t *testing.T) {
	t.Parallel()
	sqldbtest.Run(t, func(t *testing.T, engine string) {
		a := mustOpenAPI(t, engine)
		for _, p := range []string{"/", "/?document=25-kh-ubnd&section=III"} {
			r := a.send(t, "GET", p, "", nil)
			if r.status != 303 || r.header.Get("Location") != "/login?next="+url.QueryEscape(p) {
				t.Errorf("anonymous %s: %d, Location %q; want a redirect to sign-in", p, r.status, r.header.Get("Location"))
			}
			if strings.Contains(string(r.body), "count-25-kh-ubnd-total") {
				t.Errorf("anonymous %s: the redirect carries the board", p)
			}
		}
		if r := a.send(t, "GET", "/portal", "", nil); r.status != 200 || !strings.Contains(string(r.body), "<html") {
			t.Errorf("the portal for the public: %d", r.status)
		}
		mustUser(t, a, "lanh.dao", "leader", "")
		b := mustLogin(t, a, "lanh.dao", testPassword)
		if r := b.get(t, "/"); r.status != 200 || !strings.Contains(string(r.body), `id="count-25-kh-ubnd-total"`) {
			t.Errorf("the board for a signed-in leader: %d", r.status)
		}
		a.cfg.PublicBoard = true
		if r := a.send(t, "GET", "/", "", nil); r.status != 200 || !strings.Contains(string(r.body), `id="count-25-kh-ubnd-total"`) {
			t.Errorf("the published board for the public: %d", r.status)
		}
	})
}
