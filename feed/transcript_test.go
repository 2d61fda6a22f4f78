package feed_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"hark/feed"
)

func TestTranscriptText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		file     string // in testdata/transcripts; body used when empty
		body     string
		mimeType string
		want     string
	}{
		{
			name: "webvtt", file: "episode.vtt", mimeType: "text/vtt",
			want: "Welcome to Harbour Lights & the sea.\nTonight: the Skerryvore light.\nFoghorns moan.",
		},
		{
			name: "srt", file: "episode.srt", mimeType: "application/x-subrip",
			want: "Welcome back to the\nlighthouse hour.\nKEEPER: The lamp is lit.\nA line before a blank line\nand the rest of the cue.",
		},
		{
			name: "srt served as text/plain", file: "episode.srt", mimeType: "text/plain; charset=utf-8",
			want: "Welcome back to the\nlighthouse hour.\nKEEPER: The lamp is lit.\nA line before a blank line\nand the rest of the cue.",
		},
		{
			name: "json", file: "episode.json", mimeType: "application/json",
			want: "Welcome to Skerryvore.\nThanks, Mara.",
		},
		{
			name: "html", file: "episode.html", mimeType: "text/html",
			want: "Mara:\nWelcome to Harbour Lights & friends.\nAlan:\nThe keeper's log\nends here.",
		},
		{
			name: "plain", file: "episode.txt", mimeType: "text/plain",
			want: "Welcome to Harbour Lights.\nThe keeper speaks.",
		},
		{
			name: "vtt with a wrong type and a BOM, in windows-1252", file: "latin1-bom.vtt", mimeType: "text/html",
			want: "Café on the rock.",
		},
		{name: "unknown type sniffs vtt", file: "episode.vtt", want: "Welcome to Harbour Lights & the sea.\nTonight: the Skerryvore light.\nFoghorns moan."},
		{name: "unknown type sniffs json", file: "episode.json", mimeType: "application/octet-stream", want: "Welcome to Skerryvore.\nThanks, Mara."},
		{name: "unknown type sniffs html", body: "<p>One</p><p>Two</p>", want: "One\nTwo"},
		{name: "empty", body: "", mimeType: "text/vtt", want: ""},
		{name: "NUL and control bytes", body: "a\x00b\x07c", mimeType: "text/plain", want: "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := []byte(tt.body)
			if tt.file != "" {
				var err error
				if body, err = os.ReadFile("testdata/transcripts/" + tt.file); err != nil {
					t.Fatal(err)
				}
			}
			got, err := feed.TranscriptText(body, tt.mimeType)
			if err != nil {
				t.Fatalf("TranscriptText: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("TranscriptText (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTranscriptTextBadJSON(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"segments": 3}`, `not json`, `{"version": "1.0.0"}`} {
		if got, err := feed.TranscriptText([]byte(body), "application/json"); err == nil {
			t.Errorf("TranscriptText(%q) = %q, nil; want an error", body, got)
		}
	}
}

func TestTranscriptTextCapped(t *testing.T) {
	t.Parallel()
	line := strings.Repeat("é ", 40) // 120 bytes
	var b strings.Builder
	for b.Len() < 3*feed.TranscriptMaxTextBytes {
		b.WriteString(line + "\n")
	}
	got, err := feed.TranscriptText([]byte(b.String()), "text/plain")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) > feed.TranscriptMaxTextBytes || len(got) < feed.TranscriptMaxTextBytes-200 {
		t.Errorf("len = %d; want just under %d", len(got), feed.TranscriptMaxTextBytes)
	}
	if !strings.HasSuffix(got, "é") {
		t.Errorf("text ends %q; want it cut between words", got[len(got)-10:])
	}

	one := strings.Repeat("x", 2*feed.TranscriptMaxTextBytes) // one long word
	if got, _ := feed.TranscriptText([]byte(one), "text/plain"); len(got) != feed.TranscriptMaxTextBytes {
		t.Errorf("len of one long line = %d; want %d", len(got), feed.TranscriptMaxTextBytes)
	}
}
