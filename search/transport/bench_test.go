package transport

import (
	"context"
	"testing"
	"time"

	"hark/search/internal/tsserver"
)

// BenchmarkGet is the transport's own cost per search: a Get of /health, which Typesense answers
// without looking at an index, from the server of the environment.
func BenchmarkGet(b *testing.B) {
	url, key := tsserver.Env(b)
	c, err := New(Config{Nodes: []string{url}, APIKey: key, QueryTimeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background()) // a context that can be cancelled, as a request's is
	defer cancel()
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := health(ctx, c); err != nil || !ok {
			b.Fatalf("Get: ok %v, %v", ok, err)
		}
	}
}
