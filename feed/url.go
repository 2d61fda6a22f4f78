package feed

import (
	"errors"
	"net/url"
	"regexp"
	"strings"

	"github.com/google/uuid"
	"golang.org/x/net/idna"

	"hark"
)

// podcastGUIDNamespace is the UUIDv5 namespace the Podcasting 2.0 spec fixes for podcast:guid.
var podcastGUIDNamespace = uuid.MustParse("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

// otherScheme matches a URL that starts with a scheme other than a host:port ("mailto:",
// "javascript:"), so that it is not mistaken for a host without a scheme.
var otherScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:(?:[^0-9]|$|[0-9]+[^0-9/?#])`)

// errNoHost reports a URL without a host.
var errNoHost = errors.New("no host")

// NormalizeURL returns raw in the canonical form Hark stores feed URLs in: surrounding space
// trimmed, http:// added when there is no scheme, feed://, itpc:// and pcast:// mapped to http,
// scheme and host lower-cased (IDN hosts in their ASCII form), the default port, the fragment and
// trailing slashes dropped; the query is kept as it is. Returns an error matching hark.ErrInvalid
// when raw is not an http or https URL with a host.
func NormalizeURL(raw string) (string, error) {
	s := mapPodcastScheme(strings.TrimSpace(raw))
	if s == "" {
		return "", hark.Errorf(hark.ErrInvalid, "the feed URL is empty")
	}
	if !strings.Contains(s, "://") {
		if otherScheme.MatchString(s) {
			return "", hark.Errorf(hark.ErrInvalid, "%q is not an http or https URL", raw)
		}
		s = "http://" + strings.TrimPrefix(s, "//")
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", hark.Errorf(hark.ErrInvalid, "%q is not a valid URL", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", hark.Errorf(hark.ErrInvalid, "%q is not an http or https URL", raw)
	}
	host, err := normalizeHost(u)
	if err != nil {
		return "", hark.Errorf(hark.ErrInvalid, "%q has no valid host", raw)
	}
	return buildURL(u, host), nil
}

// IdentityKey returns the key under which two URLs of the same show collide: the normalised URL
// without its scheme and without a leading "www.", e.g. "example.com/feed". Returns an error
// matching hark.ErrInvalid when raw is not a valid feed URL.
func IdentityKey(raw string) (string, error) {
	n, err := NormalizeURL(raw)
	if err != nil {
		return "", err
	}
	_, rest, _ := strings.Cut(n, "://")
	return strings.TrimPrefix(rest, "www."), nil
}

// PodcastGUID computes the podcast:guid of a feed URL as the Podcasting 2.0 namespace specifies:
// a UUIDv5 in namespace ead4c236-bf58-58c6-a2c6-a6b28d128cb6 over the URL with its scheme and
// "://" removed and trailing slashes removed. Nothing else of the URL is changed.
func PodcastGUID(feedURL string) string {
	s := strings.TrimSpace(feedURL)
	if _, rest, ok := strings.Cut(s, "://"); ok {
		s = rest
	}
	s = strings.TrimRight(s, "/")
	return uuid.NewSHA1(podcastGUIDNamespace, []byte(s)).String()
}

// mapPodcastScheme turns the podcast-app schemes (feed:, itpc:, pcast:, podcast:) into http(s).
func mapPodcastScheme(s string) string {
	lower := strings.ToLower(s)
	for _, p := range []string{"feed:", "itpc:", "pcast:", "podcast:"} {
		if !strings.HasPrefix(lower, p) {
			continue
		}
		rest := strings.TrimPrefix(s[len(p):], "//")
		if l := strings.ToLower(rest); strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
			return rest
		}
		return "http://" + rest
	}
	return s
}

// normalizeHost returns u's host lower-cased, in ASCII (punycode) form, without the scheme's
// default port.
func normalizeHost(u *url.URL) (string, error) {
	hostname := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if hostname == "" {
		return "", errNoHost
	}
	if strings.Contains(hostname, ":") { // IPv6 literal
		hostname = "[" + hostname + "]"
	} else {
		ascii, err := idna.Lookup.ToASCII(hostname)
		if err != nil {
			return "", err
		}
		hostname = ascii
	}
	port := u.Port()
	if port == "" || (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		return hostname, nil
	}
	return hostname + ":" + port, nil
}

// buildURL writes u back with the given host, no fragment and no trailing slashes on the path.
func buildURL(u *url.URL, host string) string {
	var b strings.Builder
	b.WriteString(u.Scheme)
	b.WriteString("://")
	if u.User != nil {
		b.WriteString(u.User.String())
		b.WriteByte('@')
	}
	b.WriteString(host)
	b.WriteString(strings.TrimRight(u.EscapedPath(), "/"))
	if u.RawQuery != "" {
		b.WriteByte('?')
		b.WriteString(u.RawQuery)
	}
	return b.String()
}

// resolveURL trims ref and resolves it against base. It returns "" unless the result is an
// absolute http or https URL. Spaces around the URL are trimmed also when the XML layer already
// escaped them as %20 (gofeed does that to attribute URLs).
func resolveURL(base, ref string) string {
	ref = strings.TrimSpace(ref)
	for strings.HasSuffix(ref, "%20") {
		ref = strings.TrimSpace(strings.TrimSuffix(ref, "%20"))
	}
	for strings.HasPrefix(ref, "%20") {
		ref = strings.TrimSpace(strings.TrimPrefix(ref, "%20"))
	}
	if ref == "" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if !r.IsAbs() {
		b, err := url.Parse(strings.TrimSpace(base))
		if err != nil || !b.IsAbs() {
			return ""
		}
		r = b.ResolveReference(r)
	}
	if s := strings.ToLower(r.Scheme); (s != "http" && s != "https") || r.Host == "" {
		return ""
	}
	return r.String()
}
