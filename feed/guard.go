package feed

import (
	"fmt"
	"net/netip"
	"strings"
)

// blockedRange is an address range the crawler must not reach, with the word used in errors.
type blockedRange struct {
	prefix netip.Prefix
	kind   string
}

// blockedRanges lists loopback, private, link-local, shared, multicast and reserved addresses,
// which a feed URL could otherwise use to reach Hark's own network. Order matters: the first
// match names the reason, so the cloud metadata addresses come before their enclosing ranges.
var blockedRanges = []blockedRange{
	{netip.MustParsePrefix("169.254.169.254/32"), "a cloud metadata address"},
	{netip.MustParsePrefix("fd00:ec2::254/128"), "a cloud metadata address"},
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "carrier-grade NAT (shared)"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.0.0.0/24"), "reserved"},
	{netip.MustParsePrefix("192.0.2.0/24"), "reserved for documentation"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("198.18.0.0/15"), "reserved for benchmarks"},
	{netip.MustParsePrefix("198.51.100.0/24"), "reserved for documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "reserved for documentation"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("255.255.255.255/32"), "broadcast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("64:ff9b:1::/48"), "local NAT64"},
	{netip.MustParsePrefix("100::/64"), "reserved (discard)"},
	{netip.MustParsePrefix("2001:db8::/32"), "reserved for documentation"},
	{netip.MustParsePrefix("fc00::/7"), "private"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("fec0::/10"), "site-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
}

// nat64 and sixToFour are IPv6 prefixes that embed an IPv4 address, which is checked in turn.
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// blockedAddrError is the guard's refusal; its message names the address and the reason.
type blockedAddrError struct {
	addr netip.Addr
	kind string
}

func (e *blockedAddrError) Error() string {
	return fmt.Sprintf("address %s is %s and crawling it is not allowed", e.addr, e.kind)
}

// checkAddr returns a *blockedAddrError when the crawler must not connect to addr. With
// allowLoopback, 127.0.0.0/8 and ::1 pass (tests and the demo serve feeds locally); nothing else
// does.
func checkAddr(addr netip.Addr, allowLoopback bool) error {
	orig := addr
	addr = embeddedIPv4(addr.Unmap())
	if allowLoopback && addr.IsLoopback() {
		return nil
	}
	for _, r := range blockedRanges {
		if r.prefix.Contains(addr) {
			return &blockedAddrError{addr: orig, kind: r.kind}
		}
	}
	return nil
}

// embeddedIPv4 returns the IPv4 address inside a NAT64 or 6to4 address, else addr.
func embeddedIPv4(addr netip.Addr) netip.Addr {
	if !addr.Is6() {
		return addr
	}
	b := addr.As16()
	switch {
	case nat64.Contains(addr):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	case sixToFour.Contains(addr):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
	}
	return addr
}

// guard is what a Fetcher may connect to (see FetcherConfig).
type guard struct {
	allowLoopback bool
	loopbackOnly  bool
}

// checkHost refuses a URL host that is an IP literal the guard blocks, before any connection.
// Host names pass here, unless the guard is loopback-only; the dialer checks the addresses they
// resolve to (see Fetcher).
func (g guard) checkHost(hostname string) error {
	addr, err := netip.ParseAddr(hostname)
	if g.loopbackOnly && (err != nil || !addr.Unmap().IsLoopback()) && !strings.EqualFold(hostname, "localhost") {
		return &notLoopbackError{host: hostname}
	}
	if err != nil {
		return nil
	}
	return checkAddr(addr.WithZone(""), g.allowLoopback || g.loopbackOnly)
}

// checkDial checks an address the dialer is about to connect to, after DNS resolution.
func (g guard) checkDial(addr netip.Addr) error {
	if g.loopbackOnly && !addr.Unmap().IsLoopback() {
		return &notLoopbackError{host: addr.String()}
	}
	return checkAddr(addr, g.allowLoopback || g.loopbackOnly)
}

// notLoopbackError is a loopback-only guard's refusal of any other host.
type notLoopbackError struct{ host string }

func (e *notLoopbackError) Error() string {
	return fmt.Sprintf("host %s is not loopback, and this fetcher reaches loopback hosts only", e.host)
}
