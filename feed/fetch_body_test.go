package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"testing"
	"time"
)

func TestFetchGzip(t *testing.T) {
	t.Parallel()
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	_, _ = zw.Write([]byte(testFeedBody))
	_ = zw.Close()
	tests := []struct{ name, encoding string }{
		{name: "declared", encoding: "gzip"},
		{name: "undeclared .gz file", encoding: ""},
	}
	f := loopbackFetcher(FetcherConfig{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				_, _ = w.Write(zipped.Bytes())
			})
			res, err := f.Fetch(context.Background(), FetchRequest{URL: srv.URL})
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			want(t, "body", string(res.Body), testFeedBody)
		})
	}
}

func TestFetchSizeLimits(t *testing.T) {
	t.Parallel()
	var bomb bytes.Buffer // 64 MiB of zeros, about 64 KiB compressed
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 64 {
		_, _ = zw.Write(zeros)
	}
	_ = zw.Close()
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(bomb.Bytes())
		case "/big":
			_, _ = w.Write(bytes.Repeat([]byte("x"), 2<<20))
		case "/fits":
			_, _ = w.Write(bytes.Repeat([]byte("x"), 1<<20))
		}
	})
	f := loopbackFetcher(FetcherConfig{MaxBodyBytes: 1 << 20})
	for _, path := range []string{"/bomb", "/big"} {
		fe := fetchError(t, f, srv.URL+path)
		want(t, path+" reason", fe.Reason, "body larger than 1 MiB")
		want(t, path+" temporary", fe.Temporary, false)
	}
	if res, err := f.Fetch(context.Background(), FetchRequest{URL: srv.URL + "/fits"}); err != nil || len(res.Body) != 1<<20 {
		t.Errorf("a body of exactly the limit: %v", err)
	}
}

func TestFetchTricklingServerTimesOut(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		for range 30 {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Second):
			}
		}
	})
	f := loopbackFetcher(FetcherConfig{ClientConfig: ClientConfig{Timeout: 500 * time.Millisecond}})
	start := time.Now()
	fe := fetchError(t, f, srv.URL)
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("the fetch took %v; want it cut off near 500ms", elapsed)
	}
	want(t, "reason", fe.Reason, "timed out after 500ms")
	want(t, "temporary", fe.Temporary, true)
}
