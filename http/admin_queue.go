package http

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"hark/db"
)

// chartHTML is an SVG drawn on the server from numbers and escaped text.
type chartHTML = template.HTML

// queueStates are the parts of a queue bar, in order, with their colours in admin.css.
var queueStates = []struct{ name, class string }{
	{"running", "ok"}, {"available", "c0"}, {"retryable", "bad"}, {"scheduled", "calm"},
}

// queueChart draws River's unfinished jobs as a bar per kind, split by state.
func queueChart(qs []db.QueueDepth) chartHTML {
	const rowH, labelW, barW, numW = 22.0, 150.0, 330.0, 70.0
	if len(qs) == 0 {
		return `<p class="empty-note">The queue is empty: no job waits or runs.</p>`
	}
	var top int64
	for _, q := range qs {
		top = max(top, q.Available+q.Scheduled+q.Retryable+q.Running)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart queue" viewBox="0 0 %.0f %.0f" role="img" aria-label="Jobs by kind">`,
		labelW+barW+numW, rowH*float64(len(qs))+4)
	for i, q := range qs {
		y := rowH*float64(i) + 2
		fmt.Fprintf(&b, `<text class="kind" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, labelW-8, y+rowH*0.62, html.EscapeString(q.Kind))
		x := labelW
		values := []int64{q.Running, q.Available, q.Retryable, q.Scheduled}
		var tip []string
		for j, st := range queueStates {
			tip = append(tip, fmt.Sprintf("%s: %d", st.name, values[j]))
		}
		for j, st := range queueStates {
			if values[j] == 0 {
				continue
			}
			w := max(barW*float64(values[j])/float64(top), 2)
			fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect>`,
				st.class, x, y+3, w, rowH-8, html.EscapeString(q.Kind+"\n"+strings.Join(tip, "\n")))
			x += w
		}
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f">%s</text>`, x+6, y+rowH*0.62,
			formatCount(float64(q.Available+q.Scheduled+q.Retryable+q.Running)))
	}
	b.WriteString(`</svg>`)
	return chartHTML(b.String()) //nolint:gosec // numbers and escaped text only
}

// stateBar draws the podcasts by crawl state as one bar split in proportion.
func stateBar(h db.CrawlHealth) chartHTML {
	const w, barH = 800.0, 28.0
	parts := []struct {
		name, class string
		n           int64
	}{{"crawling fine", "ok", h.OK}, {"failing", "warn", h.Failing}, {"dead", "bad", h.Dead}, {"never crawled", "calm", h.NeverCrawled}}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart states" viewBox="0 0 %.0f %.0f" preserveAspectRatio="none" role="img" aria-label="Podcasts by crawl state">`, w, barH)
	if h.Podcasts == 0 {
		fmt.Fprintf(&b, `<rect class="grid" x="0" y="0" width="%.0f" height="%.0f"/></svg>`, w, barH)
		return chartHTML(b.String()) //nolint:gosec // numbers only
	}
	x := 0.0
	for _, p := range parts {
		if p.n == 0 {
			continue
		}
		pw := w * float64(p.n) / float64(h.Podcasts)
		fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="0" width="%.1f" height="%.0f"><title>%s: %d</title></rect>`,
			p.class, x, pw, barH, p.name, p.n)
		x += pw
	}
	b.WriteString(`</svg>`)
	return chartHTML(b.String()) //nolint:gosec // numbers and fixed text only
}
