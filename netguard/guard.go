// Package netguard is the one guard for every request tinhso makes to a URL someone
// typed: webhooks, connectors, Open311 media. It refuses loopback, unspecified,
// link-local, multicast and reserved addresses, cloud metadata services, IPv4-mapped and
// NAT64 forms of them, and tinhso itself, unless an admin allows a host explicitly.
// Private ranges are allowed, since provincial systems live there.
//
// The check runs on the address actually dialled: the guard resolves the name once,
// checks every address it got, and dials those addresses, never the name, so a DNS
// answer that changes between a check and a connect (rebinding) cannot slip through.
// The dialer's Control hook checks the socket's address again. Every redirect goes
// through the same checks, and the number of redirects is limited.
//
// Proxies from the environment (HTTP_PROXY) are not used: a proxy would connect on
// tinhso's behalf, past the guard.
package netguard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/tinhso/tinhso"
)

// Resolver looks names up; *net.Resolver is one. Tests give their own.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Config sets up a Guard. The zero value is usable: no host allowed, nothing known of
// tinhso itself, the system resolver, default timeouts.
type Config struct {
	// Allow lists the hosts an admin allowed explicitly, as "host" (any port) or
	// "host:port" (that port only); IPv6 as "::1" or "[::1]:8080". An allowed host skips
	// every address check. Only "host:port" also lifts the refusal of tinhso itself,
	// so allowing a loopback relay by host does not open tinhso's own port.
	Allow []string
	// Listen lists tinhso's own listen addresses ("host:port", ":8080"). A request to one
	// of them is refused; one with no host means every address of this machine.
	Listen []string
	// PublicURL is the address people reach tinhso at; its host is refused by name, on
	// any port.
	PublicURL string

	// Timeout bounds a whole request, body included (default 30 s). DialTimeout bounds
	// one connect (default 10 s), TLSHandshakeTimeout the handshake (default 10 s).
	Timeout, DialTimeout, TLSHandshakeTimeout time.Duration
	// MaxRedirects is the most redirects followed (default 5; -1: none).
	MaxRedirects int

	// Resolver looks names up (default net.DefaultResolver).
	Resolver Resolver
	// InterfaceAddrs returns this machine's addresses, used when a Listen address has no
	// host (default: from net.InterfaceAddrs).
	InterfaceAddrs func() ([]netip.Addr, error)
}

// Guard makes guarded outbound connections. It is safe for concurrent use and does not
// change after New: when an admin changes the allowed hosts, make a new Guard (and close
// the old client's idle connections).
type Guard struct {
	allowHost     map[string]bool
	allowHostPort map[string]bool
	selfNames     map[string]bool
	selfAddrs     map[netip.AddrPort]bool
	selfAnyPorts  map[string]bool // ports tinhso listens on, on every address
	resolver      Resolver
	ifaceAddrs    func() ([]netip.Addr, error)
	maxRedirects  int
	timeout       time.Duration

	guarded *net.Dialer // with the Control check
	open    *net.Dialer // for allowed hosts
	client  *http.Client
}

// New returns a guard for cfg. It fails on an allow-list entry or listen address that
// cannot be read.
func New(cfg Config) (*Guard, error) {
	g := &Guard{
		allowHost:     map[string]bool{},
		allowHostPort: map[string]bool{},
		selfNames:     map[string]bool{},
		selfAddrs:     map[netip.AddrPort]bool{},
		selfAnyPorts:  map[string]bool{},
		resolver:      cfg.Resolver,
		ifaceAddrs:    cfg.InterfaceAddrs,
		maxRedirects:  cfg.MaxRedirects,
		timeout:       cfg.Timeout,
	}
	if g.resolver == nil {
		g.resolver = net.DefaultResolver
	}
	if g.ifaceAddrs == nil {
		g.ifaceAddrs = interfaceAddrs
	}
	if g.maxRedirects == 0 {
		g.maxRedirects = 5
	}
	if g.timeout <= 0 {
		g.timeout = 30 * time.Second
	}
	dialTimeout := cfg.DialTimeout
	if dialTimeout <= 0 {
		dialTimeout = 10 * time.Second
	}
	tlsTimeout := cfg.TLSHandshakeTimeout
	if tlsTimeout <= 0 {
		tlsTimeout = 10 * time.Second
	}

	for _, a := range cfg.Allow {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		host, port, err := splitEntry(a)
		if err != nil || host == "" {
			return nil, tinhso.Invalid("allow", "err.netguard.allow", a)
		}
		if port == "" {
			g.allowHost[host] = true
		} else {
			g.allowHostPort[net.JoinHostPort(host, port)] = true
		}
	}
	for _, l := range cfg.Listen {
		if err := g.addListen(l); err != nil {
			return nil, err
		}
	}
	if cfg.PublicURL != "" {
		u, err := url.Parse(cfg.PublicURL)
		if err != nil || u.Hostname() == "" {
			return nil, tinhso.Invalid("public_url", "err.netguard.public_url", cfg.PublicURL)
		}
		host := canonicalHost(u.Hostname())
		g.selfNames[host] = true
		if ip, err := netip.ParseAddr(host); err == nil {
			g.selfAddrs[netip.AddrPortFrom(ip, portNumber(u.Port(), u.Scheme))] = true
		}
	}

	g.guarded = &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second, Control: g.control}
	g.open = &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           g.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   tlsTimeout,
		ExpectContinueTimeout: time.Second,
	}
	g.client = &http.Client{
		Transport:     &roundTripper{g: g, next: transport},
		CheckRedirect: g.checkRedirect,
		Timeout:       g.timeout,
	}
	return g, nil
}

func (g *Guard) addListen(l string) error {
	host, port, err := net.SplitHostPort(strings.TrimSpace(l))
	if err != nil || port == "" {
		return tinhso.Invalid("listen", "err.netguard.listen", l)
	}
	p := portNumber(port, "")
	if p == 0 {
		return tinhso.Invalid("listen", "err.netguard.listen_port", l)
	}
	host = canonicalHost(host)
	if host == "" {
		g.selfAnyPorts[port] = true
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.IsUnspecified() {
			g.selfAnyPorts[port] = true
		} else {
			g.selfAddrs[netip.AddrPortFrom(ip, p)] = true
		}
		return nil
	}
	g.selfNames[host] = true
	ips, err := g.resolver.LookupNetIP(context.Background(), "ip", host)
	if err != nil {
		return tinhso.Invalid("listen", "err.netguard.listen_resolve", l, err)
	}
	for _, ip := range ips {
		g.selfAddrs[netip.AddrPortFrom(ip.Unmap().WithZone(""), p)] = true
	}
	return nil
}

// Client returns the guarded HTTP client, shared by every caller.
func (g *Guard) Client() *http.Client { return g.client }

// Transport returns the guarded transport, for clients that need their own
// (e.g. an OAuth2 client). It checks the scheme and host of every request it carries.
func (g *Guard) Transport() http.RoundTripper { return g.client.Transport }

// CheckURL checks raw as a request would, resolving its host now, without connecting.
// It is for forms ("this URL will be refused"); the real check happens again on every
// connection, since a name may resolve differently later.
func (g *Guard) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		// The URL is not repeated: it may carry a password.
		return &RefusedError{Reason: ReasonURL}
	}
	if err := g.checkRequestURL(u); err != nil {
		return err
	}
	_, err = g.resolve(ctx, u.Hostname(), portString(u))
	return err
}

// DialContext connects to addr ("host:port") through the guard: the name is resolved
// once, every address is checked, and only checked addresses are dialled. It serves the
// HTTP transport and any other protocol that dials a host someone typed (SMTP).
func (g *Guard) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, &RefusedError{Reason: ReasonURL, Host: addr}
	}
	ips, err := g.resolve(ctx, host, port)
	if err != nil {
		return nil, err
	}
	d := g.guarded
	if g.allowed(host, port) {
		d = g.open
	}
	var errs []error
	for _, ip := range ips {
		if network == "tcp4" && !ip.Is4() || network == "tcp6" && !ip.Is6() {
			continue
		}
		c, err := d.DialContext(ctx, network, net.JoinHostPort(ip.String(), port))
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	if len(errs) == 0 {
		return nil, fmt.Errorf("netguard: %s has no %s address", host, network)
	}
	return nil, errors.Join(errs...)
}

// resolve returns the addresses to dial for host:port, each checked, or the refusal of
// the first that may not be dialled. A name with one bad address among good ones is
// refused whole: its owner controls which one a client picks.
func (g *Guard) resolve(ctx context.Context, host, port string) ([]netip.Addr, error) {
	host = canonicalHost(host)
	if err := g.checkHost(host, port); err != nil {
		return nil, err
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else {
		ips, err = g.resolver.LookupNetIP(ctx, "ip", host)
		if err != nil {
			return nil, err
		}
		if len(ips) == 0 {
			return nil, fmt.Errorf("netguard: %s has no address", host)
		}
	}
	exact := g.allowHostPort[net.JoinHostPort(host, port)]
	for i, ip := range ips {
		ip = ip.Unmap()
		ips[i] = ip
		if exact {
			continue
		}
		if err := g.checkSelfAddr(host, ip, port); err != nil {
			return nil, err
		}
		if g.allowHost[host] {
			continue
		}
		if r := Classify(ip); r != "" {
			return nil, &RefusedError{Reason: r, Host: host, Addr: ip.WithZone(""), Port: port}
		}
	}
	return ips, nil
}

// checkHost refuses, before any lookup, hosts that are refused by what they are written
// as: the name localhost, tinhso's own names, and numeric hosts in forms other than
// dotted decimal. net/url takes 2130706433, 0177.0.0.1, 0x7f.1 and 127.1 as host names
// and netip refuses to read them as addresses; Go's own resolver then asks DNS for them
// (whose answer anyone controlling that DNS chooses), while the C resolver
// (getaddrinfo, used with GODEBUG=netdns=cgo and some nsswitch set-ups) reads them as
// inet_aton does: 127.0.0.1. Neither is what an admin meant, so they are refused.
func (g *Guard) checkHost(host, port string) error {
	if host == "" {
		return &RefusedError{Reason: ReasonURL, Host: host}
	}
	if _, err := netip.ParseAddr(host); err != nil && endsInNumber(host) {
		return &RefusedError{Reason: ReasonIPForm, Host: host}
	}
	if g.allowHostPort[net.JoinHostPort(host, port)] {
		return nil
	}
	if g.selfNames[host] {
		return &RefusedError{Reason: ReasonSelf, Host: host, Port: port}
	}
	if g.allowHost[host] {
		return nil
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		// RFC 6761: always the machine itself, whatever a resolver says.
		return &RefusedError{Reason: ReasonLoopback, Host: host, Port: port}
	}
	return nil
}

func (g *Guard) checkSelfAddr(host string, ip netip.Addr, port string) error {
	p := portNumber(port, "")
	ip = ip.WithZone("")
	if g.selfAddrs[netip.AddrPortFrom(ip, p)] {
		return &RefusedError{Reason: ReasonSelf, Host: host, Addr: ip, Port: port}
	}
	if !g.selfAnyPorts[port] {
		return nil
	}
	if ip.IsLoopback() || ip.IsUnspecified() {
		return &RefusedError{Reason: ReasonSelf, Host: host, Addr: ip, Port: port}
	}
	local, err := g.ifaceAddrs()
	if err != nil {
		return fmt.Errorf("netguard: cannot list this machine's addresses: %w", err)
	}
	for _, a := range local {
		if a.Unmap().WithZone("") == ip {
			return &RefusedError{Reason: ReasonSelf, Host: host, Addr: ip, Port: port}
		}
	}
	return nil
}

func (g *Guard) allowed(host, port string) bool {
	host = canonicalHost(host)
	return g.allowHost[host] || g.allowHostPort[net.JoinHostPort(host, port)]
}

// control checks the address of the socket about to connect: a second line behind
// resolve, for the guarded dialer only.
func (g *Guard) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &RefusedError{Reason: ReasonURL, Host: address}
	}
	ip := ap.Addr().Unmap()
	if r := Classify(ip); r != "" {
		return &RefusedError{Reason: r, Host: ip.String(), Addr: ip.WithZone(""), Port: fmt.Sprint(ap.Port())}
	}
	return g.checkSelfAddr(ip.String(), ip, fmt.Sprint(ap.Port()))
}

// checkRequestURL checks what can be checked from the URL alone.
func (g *Guard) checkRequestURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return &RefusedError{Reason: ReasonScheme, Host: u.Scheme}
	}
	if u.Host == "" || u.Hostname() == "" {
		return &RefusedError{Reason: ReasonURL, Host: u.Redacted()}
	}
	return g.checkHost(canonicalHost(u.Hostname()), portString(u))
}

func (g *Guard) checkRedirect(req *http.Request, via []*http.Request) error {
	if g.maxRedirects < 0 || len(via) > g.maxRedirects {
		return &RefusedError{Reason: ReasonRedirects, Host: req.URL.Host, Max: max(g.maxRedirects, 0)}
	}
	return g.checkRequestURL(req.URL)
}

// roundTripper checks every request, the first and each redirect, before the transport
// dials; the dial checks the addresses.
type roundTripper struct {
	g    *Guard
	next *http.Transport
}

func (rt *roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := rt.g.checkRequestURL(req.URL); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	return rt.next.RoundTrip(req)
}

// CloseIdleConnections closes the transport's idle connections (http.Client calls it).
func (rt *roundTripper) CloseIdleConnections() { rt.next.CloseIdleConnections() }

// ReadAll reads r up to limit bytes and fails with a too_large error past it, so that a
// hostile or broken server cannot fill the memory.
func ReadAll(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > limit {
		return b[:limit], tinhso.Errorf(tinhso.ETOOLARGE, "err.netguard.too_large", limit)
	}
	return b, nil
}

// canonicalHost lowercases a host, drops a trailing dot and IPv6 brackets, and writes an
// IP address in its standard form.
func canonicalHost(h string) string {
	h = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if ip, err := netip.ParseAddr(h); err == nil {
		return ip.Unmap().String()
	}
	return h
}

// endsInNumber reports whether a host's last label is a number (decimal, or 0x hex), as
// the WHATWG URL standard decides that a host is meant as an IPv4 address.
func endsInNumber(host string) bool {
	host = strings.TrimSuffix(host, ".")
	last := host[strings.LastIndexByte(host, '.')+1:]
	if last == "" {
		return false
	}
	if strings.HasPrefix(last, "0x") || strings.HasPrefix(last, "0X") {
		last = last[2:]
		for _, c := range last {
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
		return true
	}
	for _, c := range last {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func splitEntry(a string) (host, port string, err error) {
	if h, p, err := net.SplitHostPort(a); err == nil {
		if portNumber(p, "") == 0 {
			return "", "", errors.New("bad port")
		}
		return canonicalHost(h), p, nil
	}
	if strings.Contains(a, "/") {
		return "", "", errors.New("not a host")
	}
	return canonicalHost(a), "", nil
}

func portString(u *url.URL) string {
	return fmt.Sprint(portNumber(u.Port(), u.Scheme))
}

func portNumber(port, scheme string) uint16 {
	if port == "" {
		switch scheme {
		case "http":
			return 80
		case "https":
			return 443
		}
		return 0
	}
	var n uint64
	for _, c := range port {
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + uint64(c-'0')
		if n > 65535 {
			return 0
		}
	}
	return uint16(n)
}

func joinHostPort(host, port string) string { return net.JoinHostPort(host, port) }

func interfaceAddrs() ([]netip.Addr, error) {
	as, err := net.InterfaceAddrs()
	if err != nil {
		return nil, err
	}
	var out []netip.Addr
	for _, a := range as {
		if p, err := netip.ParsePrefix(a.String()); err == nil {
			out = append(out, p.Addr())
		}
	}
	return out, nil
}
