package http

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"hark"
	"hark/db"
)

// accountPage is the data of templates/account.html.
type accountPage struct {
	CSRF  string
	Error string
	Key   hark.APIKey
	Plan  hark.Plan
	Quota int   // 0 is unlimited
	Used  int64 // this billing month
	Left  int64
	Next  time.Time
	Chart usageChart
}

// handleAccountForm handles "GET /account": the form a key holder pastes the key into. The key
// is posted, never put in a URL, so it stays out of logs, history and Referer headers.
func (s *Server) handleAccountForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, http.StatusOK, accountPage{CSRF: s.csrfToken(w, r)})
}

func (s *Server) renderAccount(w http.ResponseWriter, status int, ap accountPage) error {
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, status, "account", page{Title: "Your API key", Data: ap})
}

// handleAccountShow handles "POST /account": this billing month's use of the key posted.
func (s *Server) handleAccountShow(w http.ResponseWriter, r *http.Request) error {
	p, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ap := accountPage{CSRF: s.csrfToken(w, r)}
	k, used, err := s.store.FindAPIKey(r.Context(), strings.TrimSpace(p.str("key")))
	if errors.Is(err, hark.ErrUnauthorized) {
		ap.Error = "Hark has no live key like that. Check that you pasted all of it."
		return s.renderAccount(w, http.StatusUnauthorized, ap)
	}
	if err != nil {
		return err
	}
	days, err := s.store.APIUsageThisMonth(r.Context(), k.ID)
	if err != nil {
		return err
	}
	ap.Key, ap.Plan, ap.Used = k, s.planOf(k), used
	ap.Quota = quotaOf(k, ap.Plan)
	if ap.Quota > 0 {
		ap.Left = max(0, int64(ap.Quota)-used)
	}
	ap.Next = nextBillingDate(time.Now())
	ap.Chart = newUsageChart(days)
	return s.renderAccount(w, http.StatusOK, ap)
}

// usageChart is a bar chart of requests by day, drawn as SVG by the server: the CSP allows no
// inline script or style, and SVG attributes are neither.
type usageChart struct {
	Width, Height int
	Max           int64
	Bars          []usageBar
}

// usageBar is one day's bar.
type usageBar struct {
	X, Y, W, H int
	Day        time.Time
	Requests   int64
}

const (
	chartBarWidth = 18
	chartGap      = 4
	chartHeight   = 120
)

func newUsageChart(days []db.DayUsage) usageChart {
	c := usageChart{Width: len(days) * (chartBarWidth + chartGap), Height: chartHeight}
	for _, d := range days {
		c.Max = max(c.Max, d.Requests)
	}
	for i, d := range days {
		h := 0
		if c.Max > 0 {
			h = int(d.Requests * chartHeight / c.Max)
		}
		if d.Requests > 0 {
			h = max(h, 1) // a day with requests shows, however few
		}
		c.Bars = append(c.Bars, usageBar{X: i * (chartBarWidth + chartGap), Y: chartHeight - h,
			W: chartBarWidth, H: h, Day: d.Day, Requests: d.Requests})
	}
	return c
}
