package feed_test

import (
	"fmt"

	"hark/feed"
)

func ExampleParse() {
	body := []byte(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel>
  <title>Hark Demo &amp; Friends</title>
  <itunes:author>Hark</itunes:author>
  <language>en-US</language>
  <itunes:category text="Technology"/>
  <item>
    <title>Episode 1</title>
    <guid>hark-demo-1</guid>
    <pubDate>Tue, 02 Jan 2024 10:00:00 -0500</pubDate>
    <enclosure url="/audio/ep1.mp3" length="1234" type="audio/mpeg"/>
    <itunes:duration>1:02:03</itunes:duration>
  </item>
</channel>
</rss>`)
	f, err := feed.Parse(body, "https://example.com/podcasts/feed.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	p, e := f.Podcast, f.Episodes[0]
	fmt.Println(p.Title, "|", p.Publisher, "|", p.Language, "|", p.Categories, p.GenreIDs)
	fmt.Println(e.Title, "|", e.GUID, "|", e.PublishedAt, "|", e.AudioLengthSec, "s")
	fmt.Println(e.AudioURL)
	// Output:
	// Hark Demo & Friends | Hark | en-us | [Technology] [1318]
	// Episode 1 | hark-demo-1 | 2024-01-02 15:00:00 +0000 UTC | 3723 s
	// https://example.com/audio/ep1.mp3
}

func ExampleParse_notAFeed() {
	_, err := feed.Parse([]byte("<html><head><title>Page Moved</title></head></html>"), "https://example.com/feed")
	fmt.Println(err)
	// Output:
	// not a feed: the server returned an HTML page (title "Page Moved")
}
