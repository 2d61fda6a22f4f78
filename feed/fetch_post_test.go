package feed

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestPostForm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var got url.Values
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.ParseForm() != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		got = r.PostForm
		if r.PostForm.Get("hub.topic") == "" {
			http.Error(w, "hub.topic is required\nmore detail", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	})

	form := url.Values{"hub.mode": {"subscribe"}, "hub.topic": {"https://example.com/feed"}}
	status, err := loopbackFetcher(FetcherConfig{}).PostForm(ctx, srv.URL+"/hub", form)
	if err != nil || status != http.StatusAccepted || got.Get("hub.topic") != "https://example.com/feed" {
		t.Fatalf("PostForm = %d, %v, hub got %v; want 202 and the form", status, err, got)
	}

	var fe *FetchError
	_, err = loopbackFetcher(FetcherConfig{}).PostForm(ctx, srv.URL+"/hub", url.Values{"hub.mode": {"subscribe"}})
	if !errors.As(err, &fe) || fe.StatusCode != 400 || fe.Temporary || fe.Reason != "HTTP 400 Bad Request: hub.topic is required" {
		t.Fatalf("PostForm refused = %v; want a permanent FetchError saying why", err)
	}

	// The guard applies as it does to feeds.
	_, err = NewFetcher(FetcherConfig{}).PostForm(ctx, srv.URL+"/hub", form)
	if !errors.As(err, &fe) || fe.Temporary || !strings.Contains(fe.Reason, "loopback") {
		t.Fatalf("PostForm to loopback without AllowLoopback = %v; want refused", err)
	}
	if _, err := loopbackFetcher(FetcherConfig{}).PostForm(ctx, "ftp://example.com/hub", form); !errors.As(err, &fe) {
		t.Fatalf("PostForm to ftp = %v; want refused", err)
	}
}

func TestWithMaxBodyBytes(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("x", 2000)))
	})
	f := loopbackFetcher(FetcherConfig{})
	small := f.WithMaxBodyBytes(1000)
	var fe *FetchError
	if _, err := small.Fetch(context.Background(), FetchRequest{URL: srv.URL}); !errors.As(err, &fe) || fe.Reason != "body larger than 1000 bytes" {
		t.Fatalf("Fetch with a 1000-byte limit = %v; want body too large", err)
	}
	if res, err := f.Fetch(context.Background(), FetchRequest{URL: srv.URL}); err != nil || len(res.Body) != 2000 {
		t.Fatalf("original Fetcher = %v; want its own limit kept", err)
	}
}
