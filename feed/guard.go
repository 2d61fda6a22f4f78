package feed

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// ErrRefused matches (errors.Is) every refusal of the outbound guard: a URL, redirect or
// address that Hark does not connect to.
var ErrRefused = errors.New("refused by the outbound guard")

// refused marks the guard's error types: their messages are the reasons FetchErrors give.
type refused struct{}

// Is makes a refusal match ErrRefused.
func (refused) Is(target error) bool { return target == ErrRefused }

func (refused) isRefusal() {}

// refusal is an error of the guard.
type refusal interface {
	error
	isRefusal()
}

// PortsDefault are the ports the outbound client connects to on hosts other than loopback.
var PortsDefault = []uint16{80, 443}

// guard is what the outbound client may connect to (see ClientConfig). It checks a URL before
// any DNS lookup, so that most refusals send nothing at all, and then every address a host name
// resolves to, and every connection the dialer opens, so that DNS answers and redirects cannot
// get around it.
type guard struct {
	allowLoopback bool
	loopbackOnly  bool
	ports         []uint16 // for every address but loopback under allowLoopback or loopbackOnly
}

// loopback reports whether the guard lets loopback addresses through.
func (g guard) loopback() bool { return g.allowLoopback || g.loopbackOnly }

// checkURL refuses a URL (the first one or a redirect's) that is not http(s), whose host is a
// refused address or a name that is local by definition, or whose port is not allowed.
func (g guard) checkURL(u *url.URL) error {
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return &badSchemeError{scheme: u.Scheme}
	}
	host := u.Hostname()
	if host == "" {
		return &refusedHostError{host: u.Host, why: "is empty"}
	}
	isLoopback, err := g.checkHost(host)
	if err != nil {
		return err
	}
	port, err := urlPort(u)
	if err != nil {
		return err
	}
	if !(isLoopback && g.loopback()) && !slices.Contains(g.ports, port) {
		return &refusedPortError{port: port, ports: g.ports}
	}
	return nil
}

// checkHost checks a URL's host name or IP literal, and says whether it is loopback by its
// very form (a loopback literal, localhost or a name under .localhost).
func (g guard) checkHost(host string) (isLoopback bool, err error) {
	if addr, err := netip.ParseAddr(host); err == nil {
		isLoopback = addr.Unmap().IsLoopback()
		if g.loopbackOnly && !isLoopback {
			return false, &notLoopbackError{host: host}
		}
		return isLoopback, checkAddr(addr, g.loopback())
	}
	if endsInNumber(host) {
		addr, ok := legacyIPv4(host)
		if !ok {
			return false, &refusedHostError{host: host, why: "ends in a number but is not a valid IPv4 address"}
		}
		return false, &refusedHostError{host: host, why: "is the IPv4 address " + addr.String() + " written in a non-standard form (" + nonStandardKind(addr) + ")"}
	}
	name := strings.TrimSuffix(strings.ToLower(host), ".")
	isLoopback = name == "localhost" || strings.HasSuffix(name, ".localhost")
	switch {
	case g.loopbackOnly && !isLoopback:
		return false, &notLoopbackError{host: host}
	case isLoopback && !g.loopback():
		return false, &refusedHostError{host: host, why: "is a loopback name"}
	case !isLoopback && localName(name):
		return false, &refusedHostError{host: host, why: "is a local name, not one on the internet"}
	}
	return isLoopback, nil
}

// checkDial checks an address the dialer is about to connect to, after DNS resolution.
func (g guard) checkDial(ap netip.AddrPort) error {
	addr := ap.Addr().WithZone("")
	isLoopback := addr.Unmap().IsLoopback()
	if g.loopbackOnly && !isLoopback {
		return &notLoopbackError{host: addr.String()}
	}
	if err := checkAddr(addr, g.loopback()); err != nil {
		return err
	}
	if !(isLoopback && g.loopback()) && !slices.Contains(g.ports, ap.Port()) {
		return &refusedPortError{port: ap.Port(), ports: g.ports}
	}
	return nil
}

// localName reports whether a host name can only mean a host of the local network: a single
// label (completed by the resolver's search domains) or a special-use or private-use domain.
func localName(name string) bool {
	if !strings.Contains(name, ".") {
		return true
	}
	for _, suffix := range []string{".local", ".internal", ".home.arpa", ".lan", ".intranet", ".corp", ".private"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// urlPort returns u's port, or the scheme's default.
func urlPort(u *url.URL) (uint16, error) {
	p := u.Port()
	if p == "" {
		if strings.EqualFold(u.Scheme, "https") {
			return 443, nil
		}
		return 80, nil
	}
	n, err := strconv.ParseUint(p, 10, 16)
	if err != nil {
		return 0, &refusedHostError{host: u.Host, why: "has a port that is not a number from 0 to 65535"}
	}
	return uint16(n), nil
}

// nonStandardKind names what a legacy-form IPv4 address is, for the refusal that names it.
func nonStandardKind(addr netip.Addr) string {
	if kind := blockedKind(addr, false); kind != "" {
		return kind
	}
	return "which Hark takes in dotted decimal only"
}

// refusedHostError is the guard's refusal of a URL's host by its form.
type refusedHostError struct {
	refused
	host, why string
}

func (e *refusedHostError) Error() string {
	return fmt.Sprintf("the host %s %s, and Hark does not connect to it", e.host, e.why)
}

// refusedPortError is the guard's refusal of a port that the configuration does not list.
type refusedPortError struct {
	refused
	port  uint16
	ports []uint16
}

func (e *refusedPortError) Error() string {
	s := make([]string, len(e.ports))
	for i, p := range e.ports {
		s[i] = strconv.Itoa(int(p))
	}
	return fmt.Sprintf("port %d is not one Hark connects to (OUTBOUND_PORTS is %s)", e.port, strings.Join(s, ","))
}

// notLoopbackError is a loopback-only guard's refusal of any other host.
type notLoopbackError struct {
	refused
	host string
}

func (e *notLoopbackError) Error() string {
	return fmt.Sprintf("host %s is not loopback, and this client reaches loopback hosts only", e.host)
}

// badSchemeError refuses a scheme other than http and https.
type badSchemeError struct {
	refused
	scheme string
}

func (e *badSchemeError) Error() string { return fmt.Sprintf("the scheme %q is not allowed", e.scheme) }

// resolvedError refuses a host name that resolves to a refused address.
type resolvedError struct {
	refused
	host string
	addr netip.Addr
	err  error
}

func (e *resolvedError) Error() string {
	return fmt.Sprintf("host %s resolves to %s: %v", e.host, e.addr, e.err)
}

func (e *resolvedError) Unwrap() error { return e.err }
