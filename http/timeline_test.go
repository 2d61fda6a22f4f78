package http_test

import (
	"context"
	podhttp "hark/http"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"hark"
)

func TestEpisodePageChaptersAndCues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	b := setup(t, setupOpts{})
	jazz := addJazzShow(t, b.store)
	bebop, modal := jazz.episodes[1], jazz.episodes[2]
	_, err := b.pool.Exec(ctx, `UPDATE episodes SET chapters_url = 'https://jazz.example/2.json',
		transcript_url = 'https://jazz.example/2.vtt', transcript_text = 'Take it away. The head. Trading fours.'
		WHERE id = $1`, bebop.ID)
	if err != nil {
		t.Fatal(err)
	}
	chapters := []hark.Chapter{{Start: 0, Title: "Intro"}, {Start: 754.9, Title: "Minton's <Playhouse>", URL: "https://jazz.example/mintons"},
		{Start: 3700, Title: "Outro"}}
	if err := b.store.SaveChapters(ctx, bebop.ID, "https://jazz.example/2.json", chapters, ""); err != nil {
		t.Fatal(err)
	}
	cues := []hark.Cue{{Start: 2.5, Text: "Take it away."}, {Start: 61, Text: "The head."}, {Start: 3601, Text: "Trading fours."}}
	if err := b.store.SaveTranscriptCues(ctx, bebop.ID, "https://jazz.example/2.vtt", cues); err != nil {
		t.Fatal(err)
	}

	doc := b.getPage(t, podhttp.EpisodePath(bebop.ID, bebop.Title), http.StatusOK)
	var got []string
	doc.Find("ol.chapters[data-follow] li").Each(func(_ int, li *goquery.Selection) {
		a := li.Find("a.ts")
		href, _ := a.Attr("href")
		start, _ := li.Attr("data-start")
		got = append(got, start+" "+href+" "+strings.Join(strings.Fields(li.Text()), " "))
	})
	want := []string{"0 ?t=0 0:00 Intro", "754 ?t=754 12:34 Minton's <Playhouse> link", "3700 ?t=3700 1:01:40 Outro"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("chapters = %q; want %q", got, want)
	}
	if href, _ := doc.Find("ol.chapters a.chapter-link").Attr("href"); href != "https://jazz.example/mintons" {
		t.Errorf("chapter link = %q", href)
	}
	got = nil
	doc.Find(".transcript[data-follow] p").Each(func(_ int, p *goquery.Selection) {
		href, _ := p.Find("a.ts").Attr("href")
		start, _ := p.Attr("data-start")
		got = append(got, start+" "+href+" "+p.Text())
	})
	want = []string{"2 ?t=2 0:02 Take it away.", "61 ?t=61 1:01 The head.", "3601 ?t=3601 1:00:01 Trading fours."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("transcript cues = %q; want %q", got, want)
	}

	// A transcript without cue times keeps the estimate and has no time links; no chapters, no list.
	if _, err := b.pool.Exec(ctx, `UPDATE episodes SET transcript_text = 'One line.
Another line.' WHERE id = $1`, modal.ID); err != nil {
		t.Fatal(err)
	}
	doc = b.getPage(t, podhttp.EpisodePath(modal.ID, modal.Title), http.StatusOK)
	if n := doc.Find(".transcript p[data-start]").Length(); n != 2 {
		t.Errorf("estimated transcript lines = %d; want 2", n)
	}
	if n := doc.Find(".transcript a.ts, ol.chapters").Length(); n != 0 {
		t.Errorf("page without cues or chapters has %d time links or chapter lists; want none", n)
	}
	if start, _ := doc.Find(".transcript p").Eq(1).Attr("data-start"); start == "0" || start == "" {
		t.Errorf("second estimated line starts at %q; want an estimate past 0", start)
	}
}
