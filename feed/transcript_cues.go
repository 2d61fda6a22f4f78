package feed

import (
	"strings"

	"hark"
)

// jsonCueLen is the length at which a JSON transcript's run of one speaker ends at the next
// sentence end, so that long monologues still give cues to follow.
const jsonCueLen = 300

// TranscriptCues returns the cues of a podcast:transcript body that has times: WebVTT and SRT
// cues (the lines of one cue joined), and the runs of a JSON transcript's segments. Other
// formats, and bodies TranscriptText cannot read, give nil. The cues' texts add up to at most
// TranscriptMaxTextBytes, like TranscriptText's.
func TranscriptCues(body []byte, mimeType string) []hark.Cue {
	text := string(toUTF8(body, &warnings{}))
	var cues []hark.Cue
	switch transcriptFormat(mimeType, text) {
	case "cues":
		cues = joinSameStart(timedCueLines(text))
	case "json":
		cues, _ = jsonTranscriptRuns([]byte(text), jsonCueLen)
	}
	size := 0
	for i, c := range cues {
		if size += len(c.Text) + 1; size > TranscriptMaxTextBytes {
			return cues[:i]
		}
	}
	return cues
}

// joinSameStart joins the lines of one cue, which share its start.
func joinSameStart(lines []hark.Cue) []hark.Cue {
	var out []hark.Cue
	for _, l := range lines {
		if n := len(out); n > 0 && out[n-1].Start == l.Start {
			out[n-1].Text = strings.TrimSpace(out[n-1].Text + " " + l.Text)
			continue
		}
		out = append(out, l)
	}
	return out
}
