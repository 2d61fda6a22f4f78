package feed_test

import (
	"reflect"
	"testing"

	"hark"
	"hark/feed"
)

func TestParseChapters(t *testing.T) {
	body := []byte(`{"version":"1.2.0","chapters":[
		{"startTime":120,"title":"Second","url":"../notes#2","img":"https://img.example/2.jpg"},
		{"startTime":0,"title":" First\u0007 ","url":"javascript:alert(1)"},
		{"startTime":60,"title":"Artwork only","toc":false},
		{"startTime":-5,"title":"Negative"},
		{"title":"No start"}]}`)
	got, err := feed.ParseChapters(body, "https://cdn.example/ep/1/chapters.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []hark.Chapter{{Start: 0, Title: "First"},
		{Start: 120, Title: "Second", URL: "https://cdn.example/ep/notes#2", Image: "https://img.example/2.jpg"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ParseChapters = %+v; want %+v", got, want)
	}
	for _, bad := range []string{`{"version":"1.2.0"}`, `{"chapters":[`, `[1,2]`, `<html></html>`} {
		if got, err := feed.ParseChapters([]byte(bad), "https://cdn.example/c.json"); err == nil {
			t.Errorf("feed.ParseChapters(%q) = %+v; want an error", bad, got)
		}
	}
}

func TestTranscriptCues(t *testing.T) {
	cases := []struct {
		name, mime, body string
		want             []hark.Cue
	}{
		{"srt as text/plain", "text/plain", "1\n00:00:01,250 --> 00:00:03,000\nHello\nthere\n\n2\n01:00:02,000 --> 01:00:04,000\n<i>Later</i>\n",
			[]hark.Cue{{Start: 1.25, Text: "Hello there"}, {Start: 3602, Text: "Later"}}},
		{"vtt without hours", "text/vtt", "WEBVTT\n\n00:05.000 --> 00:07.000\nShort form\n",
			[]hark.Cue{{Start: 5, Text: "Short form"}}},
		{"json runs per speaker", "application/json", `{"version":"1.0","segments":[
			{"speaker":"A","startTime":0.5,"endTime":1,"body":"Hi"},{"speaker":"A","startTime":1,"body":"all."},
			{"speaker":"B","startTime":2.25,"body":"Hello."}]}`,
			[]hark.Cue{{Start: 0.5, Text: "Hi all."}, {Start: 2.25, Text: "Hello."}}},
		{"plain text has no times", "text/plain", "Just words.\nMore words.", nil},
		{"html has no times", "text/html", "<p>Words</p>", nil},
	}
	for _, c := range cases {
		if got := feed.TranscriptCues([]byte(c.body), c.mime); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: TranscriptCues = %+v; want %+v", c.name, got, c.want)
		}
	}
}
