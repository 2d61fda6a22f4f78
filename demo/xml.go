package demo

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"time"
)

// xmlWriter appends XML to b. Text goes through encoding/xml's escaping, except text that has
// nothing to escape: most of a feed, copied as is.
type xmlWriter struct {
	b   []byte
	esc []byte // a copy of a string to escape: xml.EscapeText takes []byte
}

// Write lets xml.EscapeText append to w.
func (w *xmlWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

func (w *xmlWriter) raw(s string) { w.b = append(w.b, s...) }

// text appends s escaped for XML text or a quoted attribute value.
func (w *xmlWriter) text(s string) {
	if plain(s) {
		w.b = append(w.b, s...)
		return
	}
	w.esc = append(w.esc[:0], s...)
	_ = xml.EscapeText(w, w.esc) // Write never fails
}

func (w *xmlWriter) textBytes(p []byte) {
	if plain(p) {
		w.b = append(w.b, p...)
		return
	}
	_ = xml.EscapeText(w, p)
}

// elem appends <name>s</name> on a line of its own.
func (w *xmlWriter) elem(indent, name, s string) {
	w.open(indent, name)
	w.text(s)
	w.close(name)
}

func (w *xmlWriter) elemBytes(indent, name string, p []byte) {
	w.open(indent, name)
	w.textBytes(p)
	w.close(name)
}

func (w *xmlWriter) elemInt(indent, name string, n int64) {
	w.open(indent, name)
	w.b = strconv.AppendInt(w.b, n, 10)
	w.close(name)
}

func (w *xmlWriter) elemDate(indent, name string, t time.Time) {
	w.open(indent, name)
	w.b = appendRFC1123Z(w.b, t)
	w.close(name)
}

func (w *xmlWriter) open(indent, name string) {
	w.b = append(append(append(append(w.b, indent...), '<'), name...), '>')
}

func (w *xmlWriter) close(name string) {
	w.b = append(append(append(w.b, "</"...), name...), ">\n"...)
}

// cdata appends p as CDATA, splitting any "]]>" across two sections.
func (w *xmlWriter) cdata(p []byte) {
	w.raw("<![CDATA[")
	for {
		i := bytes.Index(p, []byte("]]>"))
		if i < 0 {
			break
		}
		w.b = append(w.b, p[:i+2]...)
		w.raw("]]><![CDATA[")
		p = p[i+2:]
	}
	w.b = append(w.b, p...)
	w.raw("]]>")
}

// needsEscape marks the bytes that send text through xml.EscapeText. Non-ASCII bytes are
// among them so that EscapeText also replaces invalid UTF-8, as it does for every writer.
var needsEscape = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c < 0x20 || c >= 0x7f || c == '&' || c == '<' || c == '>' || c == '"' || c == '\''
	}
	return t
}()

func plain[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if needsEscape[s[i]] {
			return false
		}
	}
	return true
}

// appendRFC1123Z appends t as time.RFC1123Z ("Mon, 02 Jan 2006 15:04:05 -0700"), the RSS
// pubDate form. It does what t.AppendFormat(dst, time.RFC1123Z) does, three times faster:
// a million-episode build formats a million dates.
func appendRFC1123Z(dst []byte, t time.Time) []byte {
	const days, months = "SunMonTueWedThuFriSat", "JanFebMarAprMayJunJulAugSepOctNovDec"
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	wd := int(t.Weekday()) * 3
	dst = append(append(dst, days[wd:wd+3]...), ", "...)
	dst = append(append2(dst, day), ' ')
	dst = append(append(dst, months[(month-1)*3:month*3]...), ' ')
	dst = append(strconv.AppendInt(dst, int64(year), 10), ' ')
	dst = append(append2(dst, hour), ':')
	dst = append(append2(dst, minute), ':')
	dst = append(append2(dst, sec), ' ')
	_, offset := t.Zone()
	sign := byte('+')
	if offset < 0 {
		sign, offset = '-', -offset
	}
	dst = append2(append(dst, sign), offset/3600)
	return append2(dst, offset/60%60)
}
