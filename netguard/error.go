package netguard

import (
	"fmt"
	"net/netip"

	"github.com/tinhso/tinhso"
)

// RefusedError says which destination was refused and why. It is shown to admins, so
// it names the host as typed and the address it resolved to. errors.As finds it, and
// also a *tinhso.Error (code invalid or forbidden) built from it, so the HTTP edge maps
// it like any application error.
type RefusedError struct {
	Reason Reason
	Host   string     // the host as written in the URL (or the scheme, for ReasonScheme)
	Addr   netip.Addr // the address it resolved to, when the refusal is about an address
	Port   string
	Max    int // the redirect limit, for ReasonRedirects
}

// Code returns the tinhso error code: invalid for a URL that is malformed or written in a
// form tinhso does not accept, forbidden for a well-formed destination tinhso refuses.
func (e *RefusedError) Code() string {
	switch e.Reason {
	case ReasonScheme, ReasonURL, ReasonIPForm, ReasonRedirects:
		return tinhso.EINVALID
	}
	return tinhso.EFORBIDDEN
}

// Key returns the message key of the refusal ("netguard.refused.<reason>"); Args holds
// its arguments.
func (e *RefusedError) Key() string { return "netguard.refused." + string(e.Reason) }

// Args returns the arguments of the message key: host, addr, port, max.
func (e *RefusedError) Args() map[string]any {
	a := map[string]any{"host": e.Host, "port": e.Port}
	if e.Addr.IsValid() {
		a["addr"] = e.Addr.String()
	}
	if e.Max > 0 {
		a["max"] = e.Max
	}
	return a
}

var reasonText = map[Reason]string{
	ReasonLoopback:    "it is a loopback address, which reaches this server itself",
	ReasonUnspecified: "it is the unspecified address (0.0.0.0 or ::), which reaches this server itself",
	ReasonLinkLocal:   "it is a link-local address (169.254.0.0/16 or fe80::/10)",
	ReasonMetadata:    "it is a cloud metadata service, which hands out this server's credentials",
	ReasonMulticast:   "it is a multicast address",
	ReasonReserved:    "it is a reserved or broadcast address",
	ReasonSelf:        "it is tinhso itself (its own listen address or public URL)",
}

func (e *RefusedError) Error() string {
	switch e.Reason {
	case ReasonScheme:
		return fmt.Sprintf("refused the URL: only http and https URLs are allowed, not %q", e.Host)
	case ReasonURL:
		if e.Host == "" {
			return "refused the URL: it cannot be read or has no host"
		}
		return fmt.Sprintf("refused the URL %q: it has no valid host", e.Host)
	case ReasonIPForm:
		return fmt.Sprintf("refused the host %q: it is a numeric address in a non-standard form (octal, hexadecimal or a single number); write it as dotted decimal, such as 10.0.0.1", e.Host)
	case ReasonRedirects:
		return fmt.Sprintf("refused to follow more than %d redirects (last to %q)", e.Max, e.Host)
	}
	dest := e.Host
	if e.Port != "" {
		dest = joinHostPort(e.Host, e.Port)
	}
	if e.Addr.IsValid() && e.Addr.String() != e.Host {
		dest += " (" + e.Addr.String() + ")"
	}
	return fmt.Sprintf("refused to connect to %s: %s; an admin can allow this host explicitly", dest, reasonText[e.Reason])
}

// As lets errors.As find a *tinhso.Error in a refusal.
func (e *RefusedError) As(target any) bool {
	if t, ok := target.(**tinhso.Error); ok {
		*t = &tinhso.Error{Code: e.Code(), Key: e.Key(), Args: tinhso.Args{e.Args()}}
		return true
	}
	return false
}
