package feed

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// declPattern finds the encoding in an XML declaration.
var declPattern = regexp.MustCompile(`^<\?xml[^>]*?encoding\s*=\s*["']\s*([^"'\s]*)\s*["']`)

// toUTF8 returns body as UTF-8 without a byte order mark. It trusts, in order: a byte order mark
// (or the zero-byte pattern of UTF-16/32), valid UTF-8, the declared encoding, then a guess from
// the bytes and the feed's language. Every departure from the declaration is noted in w.
func toUTF8(body []byte, w *warnings) []byte {
	if enc, name, n := sniffUnicode(body); enc != nil {
		out, err := enc.NewDecoder().Bytes(body[n:])
		if err == nil {
			return out
		}
		w.addf("the body looked like %s but did not decode as it", name)
	}
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	declared := declaredEncoding(body)
	if utf8.Valid(body) {
		if declared != "" && !isUTF8Label(declared) && hasNonASCII(body) {
			w.addf("the feed declares %s but is UTF-8; read it as UTF-8", declared)
		}
		return body
	}
	return decodeLegacy(body, declared, w)
}

// decodeLegacy decodes a body that is not valid UTF-8: a UTF-8 body with stray bytes is
// repaired whatever it declares, else the declared encoding is trusted, else guessed.
func decodeLegacy(body []byte, declared string, w *warnings) []byte {
	if mostlyUTF8(body) {
		w.addf("invalid UTF-8 bytes were read as windows-1252")
		return repairUTF8(body)
	}
	if declared != "" && !isUTF8Label(declared) && !isUnicodeLabel(declared) {
		if enc, _ := charset.Lookup(declared); enc != nil {
			if out, err := enc.NewDecoder().Bytes(body); err == nil {
				return out
			}
		}
		w.addf("the feed declares the unknown encoding %q", declared)
	}
	enc, name := guessEncoding(body)
	if declared == "" {
		w.addf("the feed declares no encoding and is not UTF-8; guessed %s", name)
	} else {
		w.addf("the feed is not %s; guessed %s", declared, name)
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return repairUTF8(body)
	}
	return out
}

// sniffUnicode recognises UTF-16 and UTF-32 by byte order mark or by the zero bytes around the
// first "<", and returns the encoding and the length of the mark.
func sniffUnicode(b []byte) (encoding.Encoding, string, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0, 0, 0xfe, 0xff}):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "UTF-32BE", 4
	case bytes.HasPrefix(b, []byte{0xff, 0xfe, 0, 0}):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "UTF-32LE", 4
	case bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "UTF-16BE", 2
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "UTF-16LE", 2
	case bytes.HasPrefix(b, []byte{0, 0, 0, '<'}):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "UTF-32BE", 0
	case bytes.HasPrefix(b, []byte{'<', 0, 0, 0}):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "UTF-32LE", 0
	case len(b) >= 4 && b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "UTF-16BE", 0
	case len(b) >= 4 && b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "UTF-16LE", 0
	}
	return nil, "", 0
}

// declaredEncoding returns the encoding named in the XML declaration, which may follow junk
// such as blank lines or PHP warnings; "" when there is none.
func declaredEncoding(b []byte) string {
	head := b[:min(len(b), 64<<10)]
	i := bytes.Index(head, []byte("<?xml"))
	if i < 0 {
		return ""
	}
	m := declPattern.FindSubmatch(head[i:min(len(head), i+512)])
	if m == nil {
		return ""
	}
	return strings.ToLower(string(m[1]))
}

// isUTF8Label reports whether label names UTF-8 (or its ASCII subset).
func isUTF8Label(label string) bool {
	switch label {
	case "utf-8", "utf8", "unicode-1-1-utf-8", "us-ascii", "ascii":
		return true
	}
	return false
}

// isUnicodeLabel reports whether label names UTF-16 or UTF-32, which a body without zero bytes
// cannot be: such a declaration is a lie left over from a conversion.
func isUnicodeLabel(label string) bool {
	return strings.HasPrefix(label, "utf-16") || strings.HasPrefix(label, "utf-32") ||
		strings.HasPrefix(label, "ucs-") || label == "unicode"
}

// mostlyUTF8 reports whether b looks like a UTF-8 document with some stray bytes rather than a
// legacy-encoded one: its valid multi-byte sequences are not rare next to its invalid bytes
// (legacy CJK text forms a valid sequence now and then by chance).
func mostlyUTF8(b []byte) bool {
	valid, invalid := 0, 0
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n == 1:
			invalid++
		case n > 1:
			valid++
		}
		b = b[n:]
	}
	return valid > 0 && valid*4 >= invalid
}

// hasNonASCII reports whether b has a byte above 0x7f.
func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// repairUTF8 keeps the valid UTF-8 in b and reads each invalid byte as windows-1252, the
// encoding stray bytes in UTF-8 feeds nearly always come from (text pasted from Word).
func repairUTF8(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			r = charmap.Windows1252.DecodeByte(b[0])
		}
		out = utf8.AppendRune(out, r)
		b = b[n:]
	}
	return out
}

// warnings collects the repairs Parse made, without duplicates.
type warnings struct{ list []string }

func (w *warnings) addf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, m := range w.list {
		if m == msg {
			return
		}
	}
	w.list = append(w.list, msg)
}
