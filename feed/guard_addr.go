package feed

import (
	"fmt"
	"net/netip"

	"code.dny.dev/ssrf"
)

// The address tables are code.dny.dev/ssrf's, generated from IANA's IPv4 and IPv6
// special-purpose address registries: every IPv4 prefix there is refused, and of IPv6 only
// global unicast (2000::/3) outside the registry's prefixes is allowed. This file adds what the
// tables leave to their user: the IPv6 forms that embed an IPv4 address, and words for errors.
var (
	ipv4Mapped  = netip.MustParsePrefix("::ffff:0:0/96")
	ipv4Compat  = netip.MustParsePrefix("::/96")
	nat64       = ssrf.IPv6NAT64Prefix // 64:ff9b::/96, globally reachable when what it embeds is
	nat64Local  = netip.MustParsePrefix("64:ff9b:1::/48")
	sixToFour   = netip.MustParsePrefix("2002::/16")
	teredo      = netip.MustParsePrefix("2001::/32")
	sharedSpace = netip.MustParsePrefix("100.64.0.0/10")
)

// metadataAddrs are the cloud instance metadata services, named apart in errors because they
// are what an attacker most wants to reach (and hold credentials).
var metadataAddrs = map[netip.Addr]bool{
	netip.MustParseAddr("169.254.169.254"): true, // AWS, GCP, Azure, OpenStack
	netip.MustParseAddr("fd00:ec2::254"):   true, // AWS over IPv6
	netip.MustParseAddr("100.100.100.200"): true, // Alibaba Cloud
}

// blockedAddrError is the guard's refusal of an address; its message names the address and the
// reason.
type blockedAddrError struct {
	refused
	addr netip.Addr
	kind string
}

func (e *blockedAddrError) Error() string {
	return fmt.Sprintf("address %s is %s, and Hark does not connect to it", e.addr, e.kind)
}

// checkAddr returns a *blockedAddrError when Hark must not connect to addr. With allowLoopback,
// 127.0.0.0/8 and ::1 (also IPv4-mapped) pass, for tests and the demo; nothing else does.
func checkAddr(addr netip.Addr, allowLoopback bool) error {
	addr = addr.WithZone("")
	if kind := blockedKind(addr, allowLoopback); kind != "" {
		return &blockedAddrError{addr: addr, kind: kind}
	}
	return nil
}

// blockedKind says why addr is refused, or "" when it is allowed.
func blockedKind(addr netip.Addr, allowLoopback bool) string {
	if ipv4Mapped.Contains(addr) { // the kernel connects to the IPv4 address itself
		addr = addr.Unmap()
	}
	if allowLoopback && addr.IsLoopback() {
		return ""
	}
	if metadataAddrs[addr] {
		return "a cloud metadata address"
	}
	if addr.Is4() {
		return ipv4Kind(addr)
	}
	if kind := embeddedKind(addr); kind != "" || nat64.Contains(addr) {
		return kind
	}
	return ipv6Kind(addr)
}

// ipv4Kind names the special-purpose range that holds addr, or "" when it is global.
func ipv4Kind(addr netip.Addr) string {
	for _, p := range ssrf.IPv4DeniedPrefixes {
		if p.Contains(addr) {
			return commonKind(addr, p)
		}
	}
	return ""
}

// ipv6Kind names why an IPv6 address that embeds no IPv4 address is refused, or "".
func ipv6Kind(addr netip.Addr) string {
	if !ssrf.IPv6GlobalUnicast.Contains(addr) {
		return commonKind(addr, netip.Prefix{})
	}
	for _, p := range ssrf.IPv6DeniedPrefixes {
		if p.Contains(addr) {
			return commonKind(addr, p)
		}
	}
	return ""
}

// embeddedKind refuses the IPv6 forms that carry an IPv4 address, naming it. A NAT64 address
// (64:ff9b::/96) of a global IPv4 address is allowed, as IANA lists that prefix as globally
// reachable: it returns "" for it. 6to4 and Teredo are refused whatever they embed (IANA
// deprecated the 6to4 relays; a Teredo address reaches a tunnel, not a feed host), and the
// IPv4-compatible form has been deprecated since RFC 4291.
func embeddedKind(addr netip.Addr) string {
	b := addr.As16()
	switch {
	case addr.IsUnspecified() || addr.IsLoopback():
		return ""
	case ipv4Compat.Contains(addr):
		return "the IPv4-compatible form (deprecated) of " + netip.AddrFrom4([4]byte(b[12:16])).String()
	case nat64.Contains(addr):
		inner := netip.AddrFrom4([4]byte(b[12:16]))
		if kind := blockedKind(inner, false); kind != "" {
			return fmt.Sprintf("the NAT64 form of %s, which is %s", inner, kind)
		}
	case nat64Local.Contains(addr):
		return "a local-use NAT64 address (64:ff9b:1::/48)"
	case sixToFour.Contains(addr):
		return "a 6to4 address (2002::/16) embedding " + netip.AddrFrom4([4]byte(b[2:6])).String()
	case teredo.Contains(addr):
		client := [4]byte{^b[12], ^b[13], ^b[14], ^b[15]} // Teredo stores the client's address inverted
		return "a Teredo address (2001::/32) embedding " + netip.AddrFrom4(client).String()
	}
	return ""
}

// commonKind names a refused address by its best-known kind, else by the registry's prefix p.
func commonKind(addr netip.Addr, p netip.Prefix) string {
	switch {
	case addr.IsUnspecified() || addr.Is4() && addr.As4()[0] == 0:
		return "unspecified (this network)"
	case addr.IsLoopback():
		return "loopback"
	case addr.IsPrivate():
		return "private"
	case addr.IsLinkLocalUnicast():
		return "link-local"
	case addr.IsMulticast():
		return "multicast"
	case sharedSpace.Contains(addr):
		return "carrier-grade NAT (shared, 100.64.0.0/10)"
	case !p.IsValid():
		return "outside IPv6 global unicast (2000::/3)"
	}
	return "special-purpose (IANA registry: " + p.String() + ")"
}
