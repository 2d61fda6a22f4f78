package feed

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// errBodyTooLarge reports a body over the limit, counted after decompression.
var errBodyTooLarge = errors.New("body too large")

// readBody reads the response body, decompressing gzip (declared, or recognised by its magic
// bytes when a server sends a .gz file as is) and deflate, and stops past MaxBodyBytes. The
// body is read into a recycled buffer, returned with it for FetchResult.Release.
func (f *Fetcher) readBody(resp *http.Response) ([]byte, *[]byte, error) {
	br := bufio.NewReaderSize(resp.Body, 32<<10)
	r, err := decoder(br, resp.Header.Get("Content-Encoding"))
	if err != nil {
		return nil, nil, err
	}
	buf := bodyBuffers.Get().(*[]byte)
	b := (*buf)[:0]
	if n := resp.ContentLength; n > 0 && n <= f.cfg.MaxBodyBytes && resp.Header.Get("Content-Encoding") == "" {
		b = slices.Grow(b, int(n)+1) // +1: the read that finds the end needs room
	}
	lr := io.LimitReader(r, f.cfg.MaxBodyBytes+1)
	for {
		if len(b) == cap(b) {
			b = slices.Grow(b, max(len(b), 32<<10))
		}
		n, err := lr.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			*buf = b[:0]
			bodyBuffers.Put(buf)
			return nil, nil, fmt.Errorf("read body: %w", err)
		}
	}
	if int64(len(b)) > f.cfg.MaxBodyBytes {
		*buf = b[:0]
		bodyBuffers.Put(buf)
		return nil, nil, errBodyTooLarge
	}
	return b, buf, nil
}

// bodyBuffers recycles body buffers: a re-crawl reads thousands of bodies of up to megabytes,
// most of them only to find their hash unchanged, and allocating (and zeroing) each anew cost a
// fifth of the crawler's CPU time in `make bench`.
var bodyBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBody is the largest buffer kept for reuse; rarer giants go to the garbage collector.
const maxPooledBody = 8 << 20

// Release hands the body's memory back for reuse by later fetches. Body must not be used
// afterwards, nor anything that aliases it; strings made from it are copies and stay valid.
// Calling Release is optional and a second call does nothing.
func (r *FetchResult) Release() {
	if r == nil || r.buf == nil {
		return
	}
	if cap(r.Body) <= maxPooledBody {
		*r.buf = r.Body[:0]
		bodyBuffers.Put(r.buf)
	}
	r.buf, r.Body = nil, nil
}

// gzipMagic starts every gzip stream.
var gzipMagic = []byte{0x1f, 0x8b}

// decoder returns a reader of br's decoded content.
func decoder(br *bufio.Reader, contentEncoding string) (io.Reader, error) {
	enc := strings.ToLower(strings.TrimSpace(contentEncoding))
	magic, _ := br.Peek(2)
	switch {
	case enc == "gzip" || enc == "x-gzip" || (enc == "" || enc == "identity") && bytes.Equal(magic, gzipMagic):
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		return zr, nil
	case enc == "deflate":
		zr, err := zlib.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("deflate body: %w", err)
		}
		return zr, nil
	case enc == "" || enc == "identity":
		return br, nil
	}
	return nil, fmt.Errorf("content encoding %q: %w", contentEncoding, errors.ErrUnsupported)
}

// maxAge returns the max-age of a Cache-Control header; 0 when absent or when caching is off.
func maxAge(cacheControl string) time.Duration {
	var age time.Duration
	for _, d := range strings.Split(strings.ToLower(cacheControl), ",") {
		d = strings.TrimSpace(d)
		if d == "no-store" || d == "no-cache" {
			return 0
		}
		if v, ok := strings.CutPrefix(d, "max-age="); ok {
			if n, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64); err == nil && n > 0 && n < 1<<31 {
				age = time.Duration(n) * time.Second
			}
		}
	}
	return age
}

// retryAfter parses Retry-After (seconds or an HTTP date) and clamps it to [1m, 24h]; 0 when
// absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		d = time.Duration(min(max(n, 0), 1<<31)) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0
	}
	return min(max(d, time.Minute), 24*time.Hour)
}

// formatBytes writes a size the way limits are usually set: "25 MiB", "512 KiB", "100 bytes".
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
