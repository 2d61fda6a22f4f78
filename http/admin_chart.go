package http

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"
)

// span is a chart's time axis: n buckets of step from start.
type span struct {
	start time.Time
	step  time.Duration
	n     int
	daily bool
}

// last24h is the 24 hours up to and including the current one.
func last24h(now time.Time) span {
	end := now.UTC().Truncate(time.Hour)
	return span{start: end.Add(-23 * time.Hour), step: time.Hour, n: 24}
}

// last30d is the 30 UTC days up to and including today.
func last30d(now time.Time) span {
	y, m, d := now.UTC().Date()
	return span{start: time.Date(y, m, d-29, 0, 0, 0, 0, time.UTC), step: 24 * time.Hour, n: 30, daily: true}
}

// index is the bucket t falls in, or -1 outside the span.
func (sp span) index(t time.Time) int {
	if t.Before(sp.start) {
		return -1
	}
	i := int(t.Sub(sp.start) / sp.step)
	if i >= sp.n {
		return -1
	}
	return i
}

// label names bucket i on the x axis, or "" where no tick goes (every 6 hours, every 7 days).
func (sp span) label(i int) string {
	t := sp.start.Add(time.Duration(i) * sp.step)
	if sp.daily {
		if (sp.n-1-i)%7 != 0 {
			return ""
		}
		return t.Format("Jan 2")
	}
	if t.Hour()%6 != 0 {
		return ""
	}
	return t.Format("15:04")
}

// bucketName names bucket i in a bar's tooltip.
func (sp span) bucketName(i int) string {
	t := sp.start.Add(time.Duration(i) * sp.step)
	if sp.daily {
		return t.Format("Mon Jan 2")
	}
	return t.Format("Jan 2 15:00") + " UTC"
}

// series is one coloured quantity of a chart; Class picks its colour in admin.css.
type series struct {
	Name, Class string
	Values      []float64
}

// Total is the sum of the series' values.
func (s series) Total() string { return formatCount(sum(s.Values)) }

// chart is a server-drawn SVG chart over a span: stacked bars, or lines when Lines is set.
type chart struct {
	Title  string
	Unit   string // after values in tooltips: " ms"
	Lines  bool
	Span   span
	Series []series
	Gauge  bool // the values are levels, not counts: the legend shows no total
}

// Totals says whether the legend shows each series' total.
func (c chart) Totals() bool { return !c.Lines && !c.Gauge }

// Chart geometry, in SVG user units (the SVG scales to its box).
const (
	chartW, chartH             = 560.0, 170.0
	chartLeft, chartBottom     = 46.0, 20.0
	chartTop, chartRight       = 8.0, 6.0
	plotW                      = chartW - chartLeft - chartRight
	plotH                      = chartH - chartTop - chartBottom
	chartEmptyText             = "no data yet"
	chartBarGap                = 0.18
	chartGridLines             = 4
	chartDotRadius             = 2.2
	chartLineStrokeClassPrefix = "line "
)

// SVG draws the chart. Only numbers and escaped text go into it.
func (c chart) SVG() template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s">`, chartW, chartH, html.EscapeString(c.Title))
	top, step := c.yAxis()
	c.axes(&b, top, step)
	if top == 0 {
		fmt.Fprintf(&b, `<text class="empty" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, chartLeft+plotW/2, chartTop+plotH/2, chartEmptyText)
	} else if c.Lines {
		c.lines(&b, top)
	} else {
		c.bars(&b, top)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // built from numbers and escaped text only
}

// yAxis is the top of the y axis and its gridline step: a round step (1, 2 or 5 times a power
// of ten, at least 1) and as many steps as reach the highest stack (or point).
func (c chart) yAxis() (top, step float64) {
	var m float64
	for i := 0; i < c.Span.n; i++ {
		var stack float64
		for _, s := range c.Series {
			if c.Lines {
				m = math.Max(m, s.Values[i])
			} else {
				stack += s.Values[i]
			}
		}
		m = math.Max(m, stack)
	}
	if m == 0 {
		return 0, 0
	}
	step = math.Max(1, niceCeil(m/chartGridLines))
	return step * math.Ceil(m/step), step
}

func (c chart) axes(b *strings.Builder, top, step float64) {
	if top == 0 {
		top, step = 1, 1.0/chartGridLines
	}
	for v := 0.0; v <= top+step/2; v += step {
		y := chartTop + plotH - plotH*v/top
		fmt.Fprintf(b, `<line class="grid" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f"/>`, chartLeft, chartLeft+plotW, y, y)
		if len(c.Series) > 0 && step >= 1 {
			fmt.Fprintf(b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="end">%s</text>`, chartLeft-6, y+4, formatCount(v))
		}
	}
	bw := plotW / float64(c.Span.n)
	for i := 0; i < c.Span.n; i++ {
		if l := c.Span.label(i); l != "" {
			fmt.Fprintf(b, `<text class="tick" x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, chartLeft+bw*(float64(i)+0.5), chartH-5, l)
		}
	}
}

func (c chart) bars(b *strings.Builder, top float64) {
	bw := plotW / float64(c.Span.n)
	for i := 0; i < c.Span.n; i++ {
		y := chartTop + plotH
		x := chartLeft + bw*float64(i) + bw*chartBarGap/2
		tip := []string{c.Span.bucketName(i)}
		for _, s := range c.Series {
			v := s.Values[i]
			tip = append(tip, s.Name+": "+formatCount(v)+c.Unit)
			if v <= 0 {
				continue
			}
			h := plotH * v / top
			y -= h
			fmt.Fprintf(b, `<rect class="%s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect>`,
				s.Class, x, y, bw*(1-chartBarGap), h, html.EscapeString(strings.Join(tip, "\n")))
		}
	}
}

func (c chart) lines(b *strings.Builder, top float64) {
	bw := plotW / float64(c.Span.n)
	for _, s := range c.Series {
		var pts []string
		for i, v := range s.Values {
			if v <= 0 {
				continue
			}
			x, y := chartLeft+bw*(float64(i)+0.5), chartTop+plotH-plotH*v/top
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
			fmt.Fprintf(b, `<circle class="%s" cx="%.1f" cy="%.1f" r="%.1f"><title>%s</title></circle>`, s.Class, x, y,
				chartDotRadius, html.EscapeString(c.Span.bucketName(i)+"\n"+s.Name+": "+formatCount(v)+c.Unit))
		}
		if len(pts) > 1 {
			fmt.Fprintf(b, `<polyline class="%s" points="%s"/>`, chartLineStrokeClassPrefix+s.Class, strings.Join(pts, " "))
		}
	}
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// formatCount writes a figure short: 950, 1.2k, 3.4M; fractions below 10 keep one decimal.
func formatCount(v float64) string {
	switch {
	case v >= 1e6:
		return strconv.FormatFloat(v/1e6, 'f', 1, 64) + "M"
	case v >= 1e4:
		return strconv.FormatFloat(v/1e3, 'f', 0, 64) + "k"
	case v >= 1e3:
		return strconv.FormatFloat(v/1e3, 'f', 1, 64) + "k"
	case v > 0 && v < 10 && v != math.Trunc(v):
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func sum(vs []float64) float64 {
	var t float64
	for _, v := range vs {
		t += v
	}
	return t
}
