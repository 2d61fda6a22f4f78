package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"

	"hark"
)

// TranscriptMaxTextBytes caps the text TranscriptText returns: about 30 hours of speech, and a
// bound on what one episode adds to the search index.
const TranscriptMaxTextBytes = 200 << 10

// errNotJSONTranscript reports a body that is not a Podcasting 2.0 JSON transcript.
var errNotJSONTranscript = errors.New("not a JSON transcript with segments")

// TranscriptText returns the plain text of a podcast:transcript body, one line per cue, segment
// run or paragraph, at most TranscriptMaxTextBytes. mimeType is the type the feed gave (text/vtt,
// application/x-subrip, application/json, text/html, text/plain); the body decides when it is
// missing or unknown, and a body that starts with "WEBVTT" is read as WebVTT whatever the type.
// WebVTT and SRT lose their cue numbers, timings, NOTE, STYLE and REGION blocks and their tags
// (speaker tags <v Name> included); JSON keeps its segments' bodies; HTML loses its tags.
//
// The only error is for a body declared as JSON that is not a JSON transcript.
func TranscriptText(body []byte, mimeType string) (string, error) {
	text := string(toUTF8(body, &warnings{}))
	var lines []string
	switch transcriptFormat(mimeType, text) {
	case "cues":
		lines = cueLines(text)
	case "json":
		var err error
		if lines, err = jsonTranscriptLines([]byte(text)); err != nil {
			return "", err
		}
	case "html":
		lines = htmlLines(text)
	default:
		lines = plainLines(text)
	}
	return joinCapped(lines, TranscriptMaxTextBytes), nil
}

// transcriptFormat names the parser for a body: "cues" (WebVTT, SRT), "json", "html" or "plain".
func transcriptFormat(mimeType, text string) string {
	head := strings.TrimLeftFunc(text, unicode.IsSpace)
	if strings.HasPrefix(head, "WEBVTT") {
		return "cues"
	}
	mt, _, _ := strings.Cut(strings.ToLower(mimeType), ";")
	switch strings.TrimSpace(mt) {
	case "text/vtt", "application/x-subrip", "application/srt", "application/x-srt", "text/srt":
		return "cues"
	case "application/json", "text/json":
		return "json"
	case "text/html", "application/xhtml+xml":
		return "html"
	case "text/plain":
		if looksLikeSRT(head) {
			return "cues" // SRT files are often served as text/plain
		}
		return "plain"
	}
	switch {
	case looksLikeSRT(head):
		return "cues"
	case strings.HasPrefix(head, "{"):
		return "json"
	case strings.HasPrefix(head, "<"):
		return "html"
	}
	return "plain"
}

// timingPattern matches a WebVTT or SRT cue timing line: "00:01:02.500 --> 00:01:04.000".
var timingPattern = regexp.MustCompile(`^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->`)

// looksLikeSRT reports whether text starts like an SRT file: a cue number, then a timing line.
func looksLikeSRT(text string) bool {
	first, rest, _ := strings.Cut(text, "\n")
	second, _, _ := strings.Cut(rest, "\n")
	first = strings.TrimSpace(first)
	return first != "" && strings.Trim(first, "0123456789") == "" && timingPattern.MatchString(second)
}

// cueTagPattern matches WebVTT and SRT markup: <v Name>, <c.loud>, <i>, </b>, <00:00:01.000>,
// <font color="red"> and the {\an8} positioning codes SRT files borrow from SSA.
var cueTagPattern = regexp.MustCompile(`<[^>\n]*>|\{\\[^}\n]*\}`)

// cueLines returns the text lines of WebVTT or SRT cues; see timedCueLines.
func cueLines(text string) []string {
	return cueTexts(timedCueLines(text))
}

// timedCueLines returns the text lines of WebVTT or SRT cues, each with its cue's start time.
// Blocks are separated by blank lines; a cue's text is what follows its timing line. A block
// with no timing line right after a cue is taken as more of its text (some SRT files have blank
// lines inside cues); others (the header, NOTE, STYLE, REGION) are dropped. A line that repeats
// the one before, as in roll-up captions, is kept once.
func timedCueLines(text string) []hark.Cue {
	var lines []hark.Cue
	afterCue := false
	at := 0.0
	for _, block := range splitBlocks(text) {
		first := strings.TrimSpace(block[0])
		if isCueHeader(first) {
			afterCue = false
			continue
		}
		start := -1
		for i, l := range block {
			if timingPattern.MatchString(l) || strings.Contains(l, "-->") {
				start = i + 1
				at = cueStart(l)
				break
			}
		}
		switch {
		case start >= 0:
			afterCue = true
		case afterCue:
			start = 0
		default:
			continue
		}
		for _, l := range block[start:] {
			if start == 0 && strings.Trim(strings.TrimSpace(l), "0123456789") == "" {
				continue // a stray cue number
			}
			l = normalizeLine(html.UnescapeString(cueTagPattern.ReplaceAllString(l, " ")))
			if l != "" && (len(lines) == 0 || lines[len(lines)-1].Text != l) {
				lines = append(lines, hark.Cue{Start: at, Text: l})
			}
		}
	}
	return lines
}

// cueStart reads the start of a timing line, "01:02:03.500 --> ..." or "02:03,5 --> ...", in
// seconds; 0 when it cannot.
func cueStart(timing string) float64 {
	head, _, _ := strings.Cut(timing, "-->")
	sec := 0.0
	for _, part := range strings.Split(strings.TrimSpace(head), ":") {
		n, err := strconv.ParseFloat(strings.Replace(part, ",", ".", 1), 64)
		if err != nil || n < 0 {
			return 0
		}
		sec = sec*60 + n
	}
	return sec
}

// cueTexts returns the texts of cues.
func cueTexts(cues []hark.Cue) []string {
	out := make([]string, len(cues))
	for i, c := range cues {
		out[i] = c.Text
	}
	return out
}

// isCueHeader reports whether a block starting with line is one that holds no cue text.
func isCueHeader(line string) bool {
	for _, kw := range []string{"WEBVTT", "NOTE", "STYLE", "REGION"} {
		if rest, ok := strings.CutPrefix(line, kw); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t' || kw == "WEBVTT") {
			return true
		}
	}
	return false
}

// splitBlocks splits text into blocks of lines separated by blank lines.
func splitBlocks(text string) [][]string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	var blocks [][]string
	var cur []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "" {
			if len(cur) > 0 {
				blocks, cur = append(blocks, cur), nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		blocks = append(blocks, cur)
	}
	return blocks
}

// jsonTranscript is the Podcasting 2.0 JSON transcript format.
type jsonTranscript struct {
	Segments []struct {
		Speaker   string  `json:"speaker"`
		StartTime float64 `json:"startTime"`
		Body      string  `json:"body"`
	} `json:"segments"`
}

// jsonTranscriptLines returns the segments' bodies, joined with spaces (segments are often single
// words) into one line per run of one speaker.
func jsonTranscriptLines(body []byte) ([]string, error) {
	runs, err := jsonTranscriptRuns(body, 0)
	return cueTexts(runs), err
}

// jsonTranscriptRuns joins the segments' bodies into runs of one speaker, each with the start of
// its first segment. With maxLen > 0 a run also ends at the end of a sentence once it is maxLen
// bytes long, so that a monologue still gets cues to follow.
func jsonTranscriptRuns(body []byte, maxLen int) ([]hark.Cue, error) {
	var doc jsonTranscript
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("transcript: %w: %w", errNotJSONTranscript, err)
	}
	if doc.Segments == nil {
		return nil, fmt.Errorf("transcript: %w", errNotJSONTranscript)
	}
	var runs []hark.Cue
	var cur strings.Builder
	speaker, start := "", 0.0
	flush := func() {
		if cur.Len() > 0 {
			runs = append(runs, hark.Cue{Start: start, Text: cur.String()})
			cur.Reset()
		}
	}
	for _, s := range doc.Segments {
		text := normalizeLine(s.Body)
		if text == "" {
			continue
		}
		if s.Speaker != speaker {
			flush()
		}
		speaker = s.Speaker
		if cur.Len() == 0 {
			start = max(s.StartTime, 0)
		} else {
			cur.WriteByte(' ')
		}
		cur.WriteString(text)
		if maxLen > 0 && cur.Len() >= maxLen && strings.ContainsAny(text[len(text)-1:], ".?!") {
			flush()
		}
	}
	flush()
	return runs, nil
}

// htmlBlockTags end a line of text.
var htmlBlockTags = map[string]bool{
	"p": true, "br": true, "div": true, "li": true, "tr": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "blockquote": true, "section": true, "article": true,
	"cite": true, "dt": true, "dd": true, "pre": true, "hr": true, "table": true,
}

// htmlSkipTags hold no transcript text: scripts, styles, the title, and the <time> stamps of
// the Podcasting 2.0 HTML transcript format.
var htmlSkipTags = map[string]bool{"script": true, "style": true, "title": true, "time": true, "noscript": true, "template": true}

// htmlLines returns the text of an HTML transcript, one line per block element.
func htmlLines(text string) []string {
	z := xhtml.NewTokenizer(strings.NewReader(text))
	var b strings.Builder
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			return plainLines(b.String())
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch {
			case !htmlSkipTags[tag] || tt == xhtml.SelfClosingTagToken:
			case tt == xhtml.StartTagToken:
				skip++
			default:
				skip = max(skip-1, 0)
			}
			if htmlBlockTags[tag] {
				b.WriteByte('\n')
			}
		}
	}
}

// plainLines returns the non-blank lines of text, normalized.
func plainLines(text string) []string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = normalizeLine(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// normalizeLine collapses white space and drops control and direction-mark characters.
func normalizeLine(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t':
			return ' '
		case unicode.IsControl(r), r == '\u200e', r == '\u200f', r == '\ufeff', r == utf8.RuneError:
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// joinCapped joins lines with newlines, stopping at max bytes; a line cut short is cut at a
// space when there is one near the end.
func joinCapped(lines []string, max int) string {
	var b bytes.Buffer
	for _, l := range lines {
		if b.Len() > 0 {
			if b.Len()+1 >= max {
				break
			}
			b.WriteByte('\n')
		}
		if room := max - b.Len(); len(l) > room {
			cut := l[:room]
			if i := strings.LastIndexByte(cut, ' '); i > room-200 && i > 0 {
				cut = cut[:i]
			}
			b.WriteString(strings.ToValidUTF8(cut, ""))
			break
		}
		b.WriteString(l)
	}
	return strings.TrimSpace(b.String())
}
