package netguard

import "net/netip"

// Reason says why a destination was refused. It is stable: message keys and API
// answers are built from it.
type Reason string

// Reasons for refusing a destination.
const (
	ReasonScheme      Reason = "scheme"      // not http or https
	ReasonURL         Reason = "url"         // no host, or not a URL at all
	ReasonIPForm      Reason = "ip_form"     // a numeric host in octal, hexadecimal or one number
	ReasonLoopback    Reason = "loopback"    // 127.0.0.0/8, ::1, the name localhost
	ReasonUnspecified Reason = "unspecified" // 0.0.0.0/8, ::
	ReasonLinkLocal   Reason = "link_local"  // 169.254.0.0/16, fe80::/10
	ReasonMetadata    Reason = "metadata"    // a cloud provider's instance metadata service
	ReasonMulticast   Reason = "multicast"   // 224.0.0.0/4, ff00::/8
	ReasonReserved    Reason = "reserved"    // 240.0.0.0/4, including the broadcast 255.255.255.255
	ReasonSelf        Reason = "self"        // tinhso's own listen address or public URL
	ReasonRedirects   Reason = "redirects"   // too many redirects
)

// metadata lists the instance metadata services of the clouds a province may rent from.
// They answer any process on the machine with its credentials, so a URL someone typed
// must never reach them. Most sit in 169.254.0.0/16 (refused as link-local anyway); these
// are named so that the error says what they are, and the others lie in ranges that are
// otherwise allowed.
var metadata = map[netip.Addr]bool{
	netip.MustParseAddr("169.254.169.254"): true, // AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean
	netip.MustParseAddr("169.254.170.2"):   true, // AWS ECS task credentials
	netip.MustParseAddr("fd00:ec2::254"):   true, // AWS over IPv6 (inside fc00::/7, otherwise allowed)
	netip.MustParseAddr("100.100.100.200"): true, // Alibaba Cloud (inside 100.64.0.0/10, otherwise allowed)
	netip.MustParseAddr("168.63.129.16"):   true, // Azure WireServer (a public address)
	netip.MustParseAddr("192.0.0.192"):     true, // Oracle Cloud, older instances
}

var (
	thisNetwork = netip.MustParsePrefix("0.0.0.0/8")
	reserved4   = netip.MustParsePrefix("240.0.0.0/4")
	nat64       = netip.MustParsePrefix("64:ff9b::/96")
	compat4     = netip.MustParsePrefix("::/96")
)

// Classify returns why ip must not be dialled, or "" when it may. Private ranges
// (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) may: provincial systems live there.
// An IPv4 address written inside an IPv6 one (::ffff:a.b.c.d, the NAT64 prefix
// 64:ff9b::/96, the old ::a.b.c.d) is judged as the IPv4 address it carries, since that
// is where the packets end up.
func Classify(ip netip.Addr) Reason {
	ip = ip.WithZone("")
	if !ip.IsValid() {
		return ReasonURL
	}
	ip = embedded4(ip)
	switch {
	case metadata[ip]:
		return ReasonMetadata
	case ip.IsLoopback():
		return ReasonLoopback
	case ip.IsUnspecified(), ip.Is4() && thisNetwork.Contains(ip):
		// Linux connects 0.0.0.0 to the machine itself.
		return ReasonUnspecified
	case ip.IsLinkLocalUnicast():
		return ReasonLinkLocal
	case ip.IsMulticast():
		return ReasonMulticast
	case ip.Is4() && reserved4.Contains(ip):
		return ReasonReserved
	}
	return ""
}

// embedded4 returns the IPv4 address an IPv6 address carries, or ip itself.
func embedded4(ip netip.Addr) netip.Addr {
	if ip.Is4In6() {
		return ip.Unmap()
	}
	if ip.Is6() && (nat64.Contains(ip) || compat4.Contains(ip) && ip != netip.IPv6Unspecified() && ip != netip.IPv6Loopback()) {
		b := ip.As16()
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	return ip
}
