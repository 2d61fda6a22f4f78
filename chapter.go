package hark

// Chapter is one chapter of an episode, read from its podcast:chapters file.
type Chapter struct {
	Start float64 `json:"start"` // seconds from the start of the audio
	Title string  `json:"title"`
	URL   string  `json:"url,omitempty"` // a page about the chapter, http(s) only
	Image string  `json:"img,omitempty"` // the chapter's artwork as the file gives it
}

// Cue is a timed piece of an episode's transcript.
type Cue struct {
	Start float64 `json:"start"` // seconds from the start of the audio
	Text  string  `json:"text"`
}
