package http

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// client is who sent a request, as far as Hark can trust what it was told.
type client struct {
	addr netip.Addr // the client's address; the zero Addr when unknown
	// tls says the client reached Hark over TLS: directly, or through a trusted proxy that
	// said so in X-Forwarded-Proto.
	tls bool
	// forwarded says the request came through a proxy Hark does not trust: addr is then
	// that proxy's, and the client behind it is unknown.
	forwarded bool
}

const clientKey ctxKey = iota + 100

// hstsMaxAge is how long browsers keep to https once told: a year, as the HSTS preload list
// asks. Subdomains are left alone: they may be other people's sites.
const hstsMaxAge = "31536000"

// clientOf returns the client of a request that went through identifyClient.
func clientOf(r *http.Request) client {
	c, _ := r.Context().Value(clientKey).(client)
	return c
}

// identifyClient works out the client's address and scheme once per request, for the rate
// limits, the operator views' guard, HSTS and the access log.
func (s *Server) identifyClient(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := resolveClient(r, s.cfg.TrustedProxies)
		c.tls = c.tls || s.cfg.TLS
		if c.tls {
			w.Header().Set("Strict-Transport-Security", "max-age="+hstsMaxAge)
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey, c)))
	})
}

// resolveClient believes X-Forwarded-For and X-Forwarded-Proto only from a peer in trusted.
// It walks X-Forwarded-For from the right, past every trusted proxy, to the first address
// that is not one: entries left of it are whatever the client chose to send.
func resolveClient(r *http.Request, trusted []netip.Prefix) client {
	peer := remoteAddr(r)
	c := client{addr: peer, tls: r.TLS != nil}
	if !isTrusted(peer, trusted) {
		c.forwarded = forwardingHeaders(r)
		return c
	}
	if proto := lastListItem(r.Header.Values("X-Forwarded-Proto")); proto != "" {
		c.tls = strings.EqualFold(proto, "https")
	}
	hops := listItems(r.Header.Values("X-Forwarded-For"))
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			break // a garbled hop: the last good one is as far as the chain can be believed
		}
		c.addr = a.Unmap()
		if !isTrusted(c.addr, trusted) {
			break
		}
	}
	return c
}

// remoteAddr is the address of the connection's peer.
func remoteAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// forwardingHeaders reports whether a proxy seems to stand between the peer and the client.
func forwardingHeaders(r *http.Request) bool {
	return r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-IP") != ""
}

// listItems splits comma-separated header values into trimmed items, in order.
func listItems(values []string) []string {
	var items []string
	for _, v := range values {
		for item := range strings.SplitSeq(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				items = append(items, item)
			}
		}
	}
	return items
}

// lastListItem is the item the nearest proxy added.
func lastListItem(values []string) string {
	items := listItems(values)
	if len(items) == 0 {
		return ""
	}
	return items[len(items)-1]
}

// limitKey is the key a client address is rate-limited under. An IPv6 client gets a /64 to
// itself, so one host cannot escape its limit by walking its subnet.
func limitKey(a netip.Addr) string {
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}
