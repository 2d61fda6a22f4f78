package http

import (
	"context"
	"fmt"

	"hark"
)

// chapterLine is one chapter of an episode page: where it starts, in seconds and as a clock.
type chapterLine struct {
	Start int
	At    string // "12:34"
	Title string
	URL   string
}

// clock formats seconds as "m:ss", or "h:mm:ss" from an hour on, as show notes write times.
func clock(sec int) string {
	if sec >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}

// addTimeline fills the page's chapters and transcript from the episode's stored timeline:
// transcript lines with the cues' real start times when the transcript has them, estimated
// from the text's position otherwise. It also points the notes' images at Hark's copies.
func (s *Server) addTimeline(ctx context.Context, ep *episodePage) error {
	if err := s.localizeNotesImages(ctx, &ep.Episode); err != nil {
		return err
	}
	tl, err := s.store.FindTimeline(ctx, ep.Episode.ID)
	if err != nil {
		return err
	}
	for _, c := range tl.Chapters {
		start := int(c.Start)
		ep.Chapters = append(ep.Chapters, chapterLine{Start: start, At: clock(start), Title: c.Title, URL: c.URL})
	}
	if tl.Cues == nil {
		ep.Transcript = transcriptLines(ep.Episode.Transcript, ep.Episode.AudioLengthSec)
		return nil
	}
	ep.Transcript = cueLines(tl.Cues)
	return nil
}

// cueLines turns a transcript's cues into the page's lines, each linking its start.
func cueLines(cues []hark.Cue) []transcriptLine {
	out := make([]transcriptLine, 0, len(cues))
	for _, c := range cues {
		start := int(c.Start)
		out = append(out, transcriptLine{Start: start, At: clock(start), Text: c.Text})
	}
	return out
}
