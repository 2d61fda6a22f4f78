package feed

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode"
)

// WithMaxBodyBytes returns a Fetcher like f whose bodies are limited to n bytes (after
// decompression), for fetches smaller than feeds, such as transcripts. It shares f's
// connections, guard and per-host limit.
func (f *Fetcher) WithMaxBodyBytes(n int64) *Fetcher {
	g := *f
	if n > 0 {
		g.cfg.MaxBodyBytes = n
	}
	return &g
}

// PostForm POSTs form to rawURL as application/x-www-form-urlencoded, under the same guard,
// per-host limit and total timeout as Fetch; it is for talking to WebSub hubs. It returns the
// status code of a 2xx answer, and a *FetchError for everything else: other statuses (with the
// start of the body, where hubs say why, in Reason), refused addresses and network errors.
func (f *Fetcher) PostForm(ctx context.Context, rawURL string, form url.Values) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSpace(rawURL), strings.NewReader(form.Encode()))
	if err != nil {
		return 0, &FetchError{URL: rawURL, Reason: "the URL is not valid", Err: err}
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := f.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	excerpt := bodyExcerpt(resp.Body)
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp.StatusCode, nil
	}
	fe := statusError(rawURL, resp)
	if excerpt != "" {
		fe.Reason += ": " + excerpt
	}
	return resp.StatusCode, fe
}

// bodyExcerpt returns the first line of a small answer body, printable and at most 200 bytes,
// and drains a little more so the connection can be reused.
func bodyExcerpt(body io.Reader) string {
	br := bufio.NewReader(io.LimitReader(body, 64<<10))
	line, _ := br.ReadString('\n')
	_, _ = io.Copy(io.Discard, br)
	line = strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return -1
	}, strings.TrimSpace(line))
	if len(line) > 200 {
		line = strings.ToValidUTF8(line[:200], "") + "…"
	}
	return line
}
