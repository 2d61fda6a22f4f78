package app

import (
	"net/url"
	"strings"
)

// passwordMask stands for a password in a logged connection string.
const passwordMask = "xxxxx"

// redactDSN masks the passwords of a Postgres connection string in either of the forms pgx
// takes: a URL, with user:password@ and ?password= or ?sslpassword= parameters, or a key=value
// string (host=… password=…). Where the string is ambiguous it masks more, never less.
func redactDSN(s string) string {
	if strings.Contains(s, "://") {
		return redactDSNURL(s)
	}
	return redactKeywords(s)
}

// redactDSNURL masks a URL's userinfo password and its password parameters. It splits the
// string by hand rather than with net/url, which refuses some strings pgx takes (several
// hosts, a password with an unescaped '@' or '/').
func redactDSNURL(s string) string {
	scheme, rest, _ := strings.Cut(s, "://")
	// The userinfo ends at the last '@': a password may hold an unescaped one. An '@' further
	// on (in a parameter) makes the host and more count as userinfo, masked with it.
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		if user, _, ok := strings.Cut(rest[:at], ":"); ok {
			rest = user + ":" + passwordMask + rest[at:]
		}
	}
	base, query, ok := strings.Cut(rest, "?")
	if !ok {
		return scheme + "://" + rest
	}
	params := strings.Split(query, "&")
	for i, p := range params {
		key, _, _ := strings.Cut(p, "=")
		if isPasswordKey(key) {
			params[i] = key + "=" + passwordMask
		}
	}
	return scheme + "://" + base + "?" + strings.Join(params, "&")
}

// redactKeywords masks the password values of a libpq key=value string, whose values are
// plain words or single-quoted with backslash escapes. A string it cannot read is masked whole.
func redactKeywords(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := skipSpace(s, i)
		b.WriteString(s[i:j])
		if i = j; i == len(s) {
			break
		}
		eq := strings.IndexByte(s[i:], '=')
		if eq < 0 {
			return passwordMask
		}
		key := strings.TrimSpace(s[i : i+eq])
		j = skipSpace(s, i+eq+1)
		b.WriteString(s[i:j])
		i = j
		end := valueEnd(s, i)
		if end < 0 {
			return passwordMask
		}
		if isPasswordKey(key) {
			b.WriteString(passwordMask)
		} else {
			b.WriteString(s[i:end])
		}
		i = end
	}
	return b.String()
}

// valueEnd returns where the key=value value starting at i ends, or -1 for an unclosed quote.
func valueEnd(s string, i int) int {
	quoted := i < len(s) && s[i] == '\''
	if quoted {
		i++
	}
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++ // the next byte is escaped
		case quoted && c == '\'':
			return i + 1
		case !quoted && isSpace(c):
			return i
		}
	}
	if quoted {
		return -1
	}
	return len(s)
}

// isPasswordKey reports whether a connection parameter named key (percent-encoded in a URL)
// holds a password.
func isPasswordKey(key string) bool {
	if k, err := url.QueryUnescape(key); err == nil {
		key = k
	}
	key = strings.ToLower(strings.TrimSpace(key))
	return key == "password" || key == "sslpassword"
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
