package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hark/demo"
	"hark/feed"
	"hark/jobs"
)

// hostileClients is how many clients submit at once in the hostile section.
const hostileClients = 8

// hostileTargets are what an attacker submits as feeds: internal addresses in every spelling,
// names whose DNS answers are internal, and other schemes and ports. Each submission adds a
// path of its own, so that each is a new podcast with a crawl of its own.
var hostileTargets = []string{
	"http://10.0.0.1", "http://192.168.1.1", "http://172.16.0.1", "http://169.254.169.254/latest/meta-data",
	"http://100.100.100.200", "http://100.64.0.1", "http://0.0.0.0", "http://192.88.99.1", "http://198.18.0.1",
	"http://2130706433", "http://0177.0.0.1", "http://0x7f.1", "http://10.1", "http://0xa9fea9fe",
	"http://[::127.0.0.1]", "http://[::ffff:10.0.0.1]", "http://[64:ff9b::a00:1]", "http://[2002:a00:1::]",
	"http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "http://[2001:10::1]", "http://[2001:2::1]",
	"http://[fd00:ec2::254]", "http://[fe80::1]", "http://[fc00::1]",
	"http://metadata.google.internal", "http://printer.local", "http://evil.example", "http://rebind.example",
	"http://meta.example", "http://public.example:22", "https://public.example:6379", "ftp://public.example",
}

// hostileDNS answers for the section's names: internal addresses, a public one next to an
// internal one, and nothing else (no query leaves the machine).
var hostileDNS = map[string]string{
	"evil.example": "10.0.0.1", "meta.example": "169.254.169.254", "rebind.example": "93.184.215.14,10.0.0.1",
	"public.example": "93.184.215.14",
}

func hostileLookup(_ context.Context, host string) ([]netip.Addr, error) {
	var addrs []netip.Addr
	for _, a := range strings.Split(hostileDNS[strings.ToLower(host)], ",") {
		if addr, err := netip.ParseAddr(a); err == nil {
			addrs = append(addrs, addr)
		}
	}
	if addrs == nil {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	return addrs, nil
}

// dialCounter counts, at the dialer, the connections the guard let through: allowed ones (to
// the section's own loopback servers) and forbidden ones, which it refuses, so that none
// leaves even if the guard were wrong.
type dialCounter struct {
	allowed   map[netip.AddrPort]bool
	conns     atomic.Int64
	forbidden atomic.Int64
}

var errFenced = errors.New("bench fence: connection to a forbidden address refused")

func (d *dialCounter) control(ap netip.AddrPort) error {
	d.conns.Add(1)
	if !d.allowed[netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())] {
		d.forbidden.Add(1)
		return errFenced
	}
	return nil
}

// benchHostile: submissions of hostile URLs mixed with good feeds through POST
// /api/v2/podcasts/submit at 8 clients, while podcasts crawled before fall due. Hark's guarded
// Fetcher crawls them all, as serve configures it but with loopback open to the section's
// servers and names resolved by hostileLookup. It counts connections at the dialer (none to a
// forbidden address), 5xx answers (none), good feeds crawled (all) and how late the scheduled
// crawls ran.
func (e *env) benchHostile(ctx context.Context) error {
	n := e.opts.hostileSubmissions
	good, scheduled := max(n/10, 2), max(n/100, 2)
	cat := demo.New(demo.Config{Seed: 5, Shows: good + scheduled, MinEpisodes: 1, MaxEpisodes: 20})
	feeds := httptest.NewServer(cat.Handler())
	defer feeds.Close()
	cat.SetBaseURL(feeds.URL)
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	defer redirector.Close()
	dc := &dialCounter{allowed: map[netip.AddrPort]bool{serverAddr(feeds): true, serverAddr(redirector): true}}

	cfg := e.jobsConfig(nil, 16)
	// Each refused crawl logs a warning: the section's hundreds would drown the bench's log.
	cfg.Logger = slog.New(minLevel{cfg.Logger.Handler(), slog.LevelError})
	cfg.Fetcher = feed.NewFetcher(feed.FetcherConfig{ClientConfig: feed.ClientConfig{
		AllowLoopback: true, Timeout: 10 * time.Second, PerHostLimit: 16, Ports: e.app.Config.OutboundPorts,
		LookupFunc: hostileLookup, DialControlFunc: dc.control,
	}})
	client, stop, err := e.startWorkers(ctx, e.pool, cfg)
	if err != nil {
		return err
	}
	defer stop()
	urls := cat.FeedURLs()
	due, err := e.crawlBeforeFlood(ctx, jobs.NewService(e.store, client), urls[good:])
	if err != nil {
		return err
	}
	api, err := e.startAPI(ctx)
	if err != nil {
		return err
	}
	defer api.Close()
	key, _, err := e.store.CreateAPIKey(ctx, "hostile", 0)
	if err != nil {
		return err
	}
	submissions := hostileMix(n, urls[:good], redirector.URL)

	schedCtx, stopSched := context.WithCancel(ctx)
	defer stopSched()
	go e.scheduleLoop(schedCtx, client, cfg)
	start := time.Now()
	codes, err := submitAll(ctx, api.URL, key, submissions)
	if err != nil {
		return err
	}
	took := time.Since(start)
	// The scheduler ticks every half second: past this, the due crawls are enqueued.
	time.Sleep(time.Until(due) + 1500*time.Millisecond)
	if err := e.waitJobs(ctx, "crawl_feed", "crawl_feeds"); err != nil {
		return err
	}
	stopSched()
	return e.hostileResults(ctx, n, took, codes, dc, urls[:good], urls[good:], due)
}

// serverAddr is the loopback address and port an httptest server listens on.
func serverAddr(s *httptest.Server) netip.AddrPort {
	return netip.MustParseAddrPort(s.Listener.Addr().String())
}

// hostileMix returns n submissions: every good feed once, the rest hostile targets and
// redirects from a loopback server to them, each with a path of its own.
func hostileMix(n int, good []string, redirector string) []string {
	out := make([]string, 0, n)
	for i := 0; len(out) < n; i++ {
		if i%10 == 0 && i/10 < len(good) {
			out = append(out, good[i/10])
			continue
		}
		target := fmt.Sprintf("%s/feed%d.xml", hostileTargets[i%len(hostileTargets)], i)
		if i%3 == 0 {
			target = redirector + "/r" + fmt.Sprint(i) + "?to=" + url.QueryEscape(target)
		}
		out = append(out, target)
	}
	return out
}

// submitAll POSTs every URL to the submit endpoint from hostileClients clients and counts the
// answers by status code.
func submitAll(ctx context.Context, apiURL, key string, urls []string) (map[int]int, error) {
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: hostileClients}}
	codes := map[int]int{}
	var mu sync.Mutex
	var firstErr error
	work := make(chan string)
	var wg sync.WaitGroup
	for range hostileClients {
		wg.Go(func() {
			for u := range work {
				code, err := submitOne(ctx, hc, apiURL, key, u)
				mu.Lock()
				codes[code]++
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		})
	}
	for _, u := range urls {
		work <- u
	}
	close(work)
	wg.Wait()
	return codes, firstErr
}

func submitOne(ctx context.Context, hc *http.Client, apiURL, key, feedURL string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, apiURL+"/api/v2/podcasts/submit",
		strings.NewReader(url.Values{"rss": {feedURL}}.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-ListenAPI-Key", key)
	resp, err := hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("submit: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}
