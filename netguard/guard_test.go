package netguard_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tinhso/tinhso"
	"github.com/tinhso/tinhso/locale"
	"github.com/tinhso/tinhso/netguard"
)

// resolver answers from a table and never asks the network, so that no test sends a
// DNS query or can be fooled by the machine's /etc/hosts.
type resolver map[string][]string

func (r resolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	as, ok := r[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host (test resolver)", Name: host, IsNotFound: true}
	}
	var out []netip.Addr
	for _, a := range as {
		out = append(out, netip.MustParseAddr(a))
	}
	return out, nil
}

var names = resolver{
	"evil.test":  {"127.0.0.1"},
	"evil6.test": {"::1"},
	"meta.test":  {"169.254.169.254"},
	"zero.test":  {"0.0.0.0"},
	// Loopback first: should a broken guard dial, it reaches the canary, never the
	// public address.
	"mixed.test": {"127.0.0.1", "198.51.100.7"},
	// Checked with CheckURL only, which never connects.
	"mixed2.test": {"198.51.100.7", "127.0.0.1"},
	"hook.test":   {"127.0.0.1"},
	"lgsp.test":   {"10.20.30.40"},
	"ula.test":    {"fd12:3456::1"},
	"localhost":   {"127.0.0.1"},
}

// canary is a loopback server that counts requests: a refused destination that points
// at it must leave the count at zero.
func canary(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "reached")
	}))
	t.Cleanup(s.Close)
	return s, &hits
}

func port(t *testing.T, s *httptest.Server) string {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Port()
}

func mustGuard(t *testing.T, cfg netguard.Config) *netguard.Guard {
	t.Helper()
	if cfg.Resolver == nil {
		cfg.Resolver = names
	}
	g, err := netguard.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Client().CloseIdleConnections)
	return g
}

type refusal struct {
	url    string
	reason netguard.Reason
}

// refusals lists destinations that must be refused; P is replaced by the canary's port.
var refusals = []refusal{
	{"http://127.0.0.1:P/", netguard.ReasonLoopback},
	{"http://127.0.0.2:P/", netguard.ReasonLoopback},
	{"http://[::1]:P/", netguard.ReasonLoopback},
	{"http://localhost:P/", netguard.ReasonLoopback},
	{"http://LocalHost.:P/", netguard.ReasonLoopback},
	{"http://app.localhost:P/", netguard.ReasonLoopback},
	{"http://evil.test:P/", netguard.ReasonLoopback},
	{"http://evil6.test:P/", netguard.ReasonLoopback},
	{"http://mixed.test:P/", netguard.ReasonLoopback},
	{"http://[::ffff:127.0.0.1]:P/", netguard.ReasonLoopback},
	{"http://[::ffff:7f00:1]:P/", netguard.ReasonLoopback},
	{"http://[64:ff9b::127.0.0.1]:P/", netguard.ReasonLoopback},
	{"http://127.0.0.1.:P/", netguard.ReasonLoopback},
	{"http://0.0.0.0:P/", netguard.ReasonUnspecified},
	{"http://0:P/", netguard.ReasonIPForm},
	{"http://[::]:P/", netguard.ReasonUnspecified},
	{"http://zero.test:P/", netguard.ReasonUnspecified},
	{"http://2130706433:P/", netguard.ReasonIPForm},
	{"http://0177.0.0.1:P/", netguard.ReasonIPForm},
	{"http://0x7f.0.0.1:P/", netguard.ReasonIPForm},
	{"http://0x7f000001:P/", netguard.ReasonIPForm},
	{"http://127.1:P/", netguard.ReasonIPForm},
	{"http://169.254.169.254/latest/meta-data/", netguard.ReasonMetadata},
	{"http://[::ffff:169.254.169.254]/", netguard.ReasonMetadata},
	{"http://meta.test/computeMetadata/v1/", netguard.ReasonMetadata},
	{"http://[fd00:ec2::254]/", netguard.ReasonMetadata},
	{"http://100.100.100.200/", netguard.ReasonMetadata},
	{"http://169.254.10.1/", netguard.ReasonLinkLocal},
	{"http://[fe80::1%25eth0]/", netguard.ReasonLinkLocal},
	{"http://224.0.0.1/", netguard.ReasonMulticast},
	{"http://[ff02::1]/", netguard.ReasonMulticast},
	{"http://255.255.255.255/", netguard.ReasonReserved},
	{"ftp://127.0.0.1:P/", netguard.ReasonScheme},
	{"file:///etc/passwd", netguard.ReasonScheme},
	{"gopher://evil.test:P/", netguard.ReasonScheme},
}

func checkRefusal(t *testing.T, err error, want netguard.Reason) {
	t.Helper()
	var re *netguard.RefusedError
	if !errors.As(err, &re) {
		t.Fatalf("got %v, want a refusal (%s)", err, want)
	}
	if re.Reason != want {
		t.Fatalf("reason %q, want %q (%v)", re.Reason, want, err)
	}
	wantCode := tinhso.EFORBIDDEN
	switch want {
	case netguard.ReasonScheme, netguard.ReasonIPForm, netguard.ReasonURL, netguard.ReasonRedirects:
		wantCode = tinhso.EINVALID
	}
	if got := tinhso.ErrorCode(err); got != wantCode {
		t.Errorf("code %q, want %q", got, wantCode)
	}
	var te *tinhso.Error
	if !errors.As(err, &te) || te.Key != "netguard.refused."+string(want) {
		t.Errorf("key %v, want netguard.refused.%s", te, want)
	}
	msg := locale.For(locale.EN).Error(err)
	if !strings.HasPrefix(msg, "Refused") {
		t.Errorf("message %q does not say what was refused", msg)
	}
	if wantCode == tinhso.EFORBIDDEN && !strings.Contains(msg, "An admin can allow") {
		t.Errorf("message %q does not say how to allow it", msg)
	}
}

func TestRefusesDestinations(t *testing.T) {
	t.Parallel()
	srv, hits := canary(t)
	p := port(t, srv)
	g := mustGuard(t, netguard.Config{})
	for _, tc := range refusals {
		u := strings.ReplaceAll(tc.url, ":P/", ":"+p+"/")
		t.Run(u, func(t *testing.T) {
			resp, err := g.Client().Get(u)
			if err == nil {
				resp.Body.Close()
				t.Fatalf("%s: got %s, want a refusal", u, resp.Status)
			}
			checkRefusal(t, err, tc.reason)
			if err := g.CheckURL(context.Background(), u); err == nil {
				t.Errorf("CheckURL(%s) passed", u)
			} else {
				checkRefusal(t, err, tc.reason)
			}
		})
	}
	t.Cleanup(func() {
		if n := hits.Load(); n != 0 {
			t.Errorf("the canary was reached %d times", n)
		}
	})
}

// TestRefusesRedirects follows a redirect from an allowed server to each refused
// destination.
func TestRefusesRedirects(t *testing.T) {
	t.Parallel()
	srv, hits := canary(t)
	p := port(t, srv)
	var chain atomic.Int64
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
			io.WriteString(w, "ok")
		case "/loop":
			chain.Add(1)
			http.Redirect(w, r, "/loop", http.StatusFound)
		default:
			http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusTemporaryRedirect)
		}
	}))
	t.Cleanup(redirector.Close)
	rp := port(t, redirector)
	g := mustGuard(t, netguard.Config{Allow: []string{"127.0.0.1:" + rp}, MaxRedirects: 3})

	for _, tc := range refusals {
		to := strings.ReplaceAll(tc.url, ":P/", ":"+p+"/")
		t.Run(to, func(t *testing.T) {
			resp, err := g.Client().Post(redirector.URL+"/?to="+url.QueryEscape(to), "text/plain", strings.NewReader("x"))
			if err == nil {
				resp.Body.Close()
				t.Fatalf("redirect to %s: got %s, want a refusal", to, resp.Status)
			}
			checkRefusal(t, err, tc.reason)
		})
	}
	t.Run("allowed", func(t *testing.T) {
		resp, err := g.Client().Get(redirector.URL + "/?to=" + url.QueryEscape(redirector.URL+"/ok"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if b, _ := io.ReadAll(resp.Body); string(b) != "ok" {
			t.Fatalf("got %q", b)
		}
	})
	t.Run("too many", func(t *testing.T) {
		_, err := g.Client().Get(redirector.URL + "/loop")
		checkRefusal(t, err, netguard.ReasonRedirects)
		if n := chain.Load(); n != 4 { // the first request and three redirects
			t.Errorf("%d requests, want 4", n)
		}
	})
	t.Cleanup(func() {
		if n := hits.Load(); n != 0 {
			t.Errorf("the canary was reached %d times", n)
		}
	})
}

func TestAllowList(t *testing.T) {
	t.Parallel()
	srv, hits := canary(t)
	p := port(t, srv)
	other := fmt.Sprint(mustAtoi(t, p) + 1)
	cases := []struct {
		allow []string
		url   string
		want  netguard.Reason // "" for allowed
	}{
		{nil, "http://127.0.0.1:P/", netguard.ReasonLoopback},
		{[]string{"127.0.0.1:P"}, "http://127.0.0.1:P/", ""},
		{[]string{"127.0.0.1"}, "http://127.0.0.1:P/", ""},
		{[]string{" 127.0.0.1 "}, "http://[::ffff:127.0.0.1]:P/", ""},
		{[]string{"127.0.0.1:" + other}, "http://127.0.0.1:P/", netguard.ReasonLoopback},
		{[]string{"hook.test"}, "http://HOOK.test:P/", ""},
		{[]string{"hook.test:P"}, "http://hook.test:P/", ""},
		{[]string{"hook.test"}, "http://evil.test:P/", netguard.ReasonLoopback},
		{[]string{"localhost:P"}, "http://localhost:P/", ""},
		{[]string{"localhost"}, "http://localhost:" + other + "/", "dial"}, // allowed, nothing listens
		{[]string{"127.0.0.1"}, "http://2130706433:P/", netguard.ReasonIPForm},
	}
	for _, tc := range cases {
		for i := range tc.allow {
			tc.allow[i] = strings.ReplaceAll(tc.allow[i], ":P", ":"+p)
		}
		u := strings.ReplaceAll(tc.url, ":P/", ":"+p+"/")
		t.Run(fmt.Sprint(tc.allow, u), func(t *testing.T) {
			t.Parallel()
			g := mustGuard(t, netguard.Config{Allow: tc.allow})
			before := hits.Load()
			resp, err := g.Client().Get(u)
			switch tc.want {
			case "":
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if hits.Load() == before {
					t.Error("the server was not reached")
				}
			case "dial":
				var re *netguard.RefusedError
				if err == nil || errors.As(err, &re) {
					t.Fatalf("got %v, want a connection error", err)
				}
			default:
				if err == nil {
					resp.Body.Close()
					t.Fatalf("got %s, want a refusal", resp.Status)
				}
				checkRefusal(t, err, tc.want)
			}
		})
	}
}

func mustAtoi(t *testing.T, s string) int {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSelf refuses tinhso's own addresses, even on a host the admin allowed, unless the
// admin allowed that very host and port.
func TestSelf(t *testing.T) {
	t.Parallel()
	srv, _ := canary(t)
	p := port(t, srv)
	self := "127.0.0.1:" + p

	g := mustGuard(t, netguard.Config{Allow: []string{"127.0.0.1", "hook.test"}, Listen: []string{self}})
	for _, u := range []string{"http://" + self + "/", "http://hook.test:" + p + "/", "http://[::ffff:127.0.0.1]:" + p + "/"} {
		_, err := g.Client().Get(u)
		checkRefusal(t, err, netguard.ReasonSelf)
	}

	g = mustGuard(t, netguard.Config{Allow: []string{self}, Listen: []string{self}})
	resp, err := g.Client().Get("http://" + self + "/")
	if err != nil {
		t.Fatalf("allowed by host and port: %v", err)
	}
	resp.Body.Close()

	// A listen address with no host is every address of this machine on that port.
	g = mustGuard(t, netguard.Config{
		Listen:         []string{":8080"},
		PublicURL:      "https://IOC.thainguyen.example.vn/",
		InterfaceAddrs: func() ([]netip.Addr, error) { return []netip.Addr{netip.MustParseAddr("10.9.8.7")}, nil },
	})
	ctx := context.Background()
	for _, u := range []string{"http://10.9.8.7:8080/", "https://ioc.thainguyen.example.vn/api", "http://ioc.thainguyen.example.vn.:9000/"} {
		checkRefusal(t, g.CheckURL(ctx, u), netguard.ReasonSelf)
	}
	if err := g.CheckURL(ctx, "http://10.9.8.7:8081/"); err != nil {
		t.Errorf("another port of this machine: %v", err)
	}
}

// TestPrivateAllowed checks, without connecting (nothing of ours listens there), that
// private ranges pass.
func TestPrivateAllowed(t *testing.T) {
	t.Parallel()
	g := mustGuard(t, netguard.Config{})
	checkRefusal(t, g.CheckURL(context.Background(), "http://mixed2.test/"), netguard.ReasonLoopback)
	for _, u := range []string{
		"http://10.1.2.3/", "https://172.16.0.1:8443/", "http://192.168.1.10/", "http://100.64.0.1/",
		"http://[fd12:3456::1]/", "http://lgsp.test/api", "https://ula.test/", "http://198.51.100.7/",
	} {
		if err := g.CheckURL(context.Background(), u); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
}

// TestResolvedOnce shows that a check made earlier is not trusted: the name is resolved
// again when connecting, and that answer is the one checked and dialled.
func TestResolvedOnce(t *testing.T) {
	t.Parallel()
	srv, hits := canary(t)
	p := port(t, srv)
	var calls atomic.Int64
	r := resolverFunc(func(host string) []string {
		if calls.Add(1) == 1 {
			return []string{"198.51.100.7"}
		}
		return []string{"127.0.0.1"}
	})
	g := mustGuard(t, netguard.Config{Resolver: r})
	u := "http://rebind.test:" + p + "/"
	if err := g.CheckURL(context.Background(), u); err != nil {
		t.Fatalf("first answer: %v", err)
	}
	_, err := g.Client().Get(u)
	checkRefusal(t, err, netguard.ReasonLoopback)
	if n := calls.Load(); n != 2 {
		t.Errorf("%d lookups, want 2 (one per check)", n)
	}
	if hits.Load() != 0 {
		t.Error("the canary was reached")
	}
}

type resolverFunc func(host string) []string

func (f resolverFunc) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, a := range f(host) {
		out = append(out, netip.MustParseAddr(a))
	}
	return out, nil
}

func TestDialContext(t *testing.T) {
	t.Parallel()
	srv, hits := canary(t)
	p := port(t, srv)
	g := mustGuard(t, netguard.Config{})
	for _, addr := range []string{"127.0.0.1:" + p, "localhost:" + p, "evil.test:" + p, "[::ffff:127.0.0.1]:" + p} {
		c, err := g.DialContext(context.Background(), "tcp", addr)
		if err == nil {
			c.Close()
			t.Fatalf("%s: connected", addr)
		}
		checkRefusal(t, err, netguard.ReasonLoopback)
	}
	if hits.Load() != 0 {
		t.Error("the canary was reached")
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	cases := map[string]netguard.Reason{
		"127.0.0.1": netguard.ReasonLoopback, "127.255.255.254": netguard.ReasonLoopback, "::1": netguard.ReasonLoopback,
		"::ffff:127.0.0.1": netguard.ReasonLoopback, "::127.0.0.1": netguard.ReasonLoopback, "64:ff9b::7f00:1": netguard.ReasonLoopback,
		"0.0.0.0": netguard.ReasonUnspecified, "0.1.2.3": netguard.ReasonUnspecified, "::": netguard.ReasonUnspecified,
		"169.254.0.1": netguard.ReasonLinkLocal, "fe80::abcd": netguard.ReasonLinkLocal, "fe80::1%eth0": netguard.ReasonLinkLocal,
		"169.254.169.254": netguard.ReasonMetadata, "fd00:ec2::254": netguard.ReasonMetadata, "100.100.100.200": netguard.ReasonMetadata,
		"::ffff:169.254.169.254": netguard.ReasonMetadata, "169.254.170.2": netguard.ReasonMetadata,
		"224.0.0.251": netguard.ReasonMulticast, "239.1.2.3": netguard.ReasonMulticast, "ff02::1": netguard.ReasonMulticast,
		"255.255.255.255": netguard.ReasonReserved, "240.0.0.1": netguard.ReasonReserved,
		"10.0.0.1": "", "172.16.5.4": "", "172.31.255.255": "", "192.168.0.1": "", "100.64.1.1": "", "fd12::1": "",
		"fc00::1": "", "8.8.8.8": "", "2001:db8::1": "", "::ffff:10.0.0.1": "", "1.0.0.0": "",
	}
	for s, want := range cases {
		if got := netguard.Classify(netip.MustParseAddr(s)); got != want {
			t.Errorf("Classify(%s) = %q, want %q", s, got, want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	for _, cfg := range []netguard.Config{
		{Allow: []string{"http://host/"}},
		{Allow: []string{"host:99999"}},
		{Listen: []string{"8080"}},
		{PublicURL: "::"},
	} {
		if _, err := netguard.New(cfg); tinhso.ErrorCode(err) != tinhso.EINVALID {
			t.Errorf("%+v: got %v, want invalid", cfg, err)
		}
	}
}

func TestTimeout(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) })
	g := mustGuard(t, netguard.Config{Allow: []string{"127.0.0.1"}, Timeout: 200 * time.Millisecond})
	start := time.Now()
	_, err := g.Client().Get(srv.URL)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("got %v, want a timeout", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestReadAll(t *testing.T) {
	t.Parallel()
	b, err := netguard.ReadAll(strings.NewReader("12345"), 5)
	if err != nil || string(b) != "12345" {
		t.Fatalf("at the limit: %q %v", b, err)
	}
	_, err = netguard.ReadAll(strings.NewReader("123456"), 5)
	if tinhso.ErrorCode(err) != tinhso.ETOOLARGE {
		t.Fatalf("over the limit: %v", err)
	}
}
