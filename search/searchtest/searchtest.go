// Package searchtest helps tests, and the bench, that use a search.Index. It starts Typesense
// servers that belong to one test, for tests that stop, freeze, kill or cluster them; finds the
// shared server `make test` starts, which tests that only need an index use with a collection
// prefix of their own (Env); and reaches into an Index for what only tests and the bench need:
// dropping its collections, and the Typesense requests behind a search or a suggestion.
//
// The binary is $TYPESENSE_BIN, else whatever scripts/install-typesense.sh prints (a
// typesense-server on PATH, or the cached official 0.24.1 build). When there is none the test
// skips on a developer's own run and fails under `make test` and CI (HARK_REQUIRE_SERVICES=1).
package searchtest

import (
	"testing"

	"hark/search/internal/tsserver"
)

// Timeouts for a server to answer. A node alone is healthy in well under a second; a cluster
// elects its first leader after Raft's election timeout, 5-10s in Typesense 0.24.
const (
	StartTimeout  = tsserver.StartTimeout
	LeaderTimeout = tsserver.LeaderTimeout
)

// Server is one Typesense process with a data folder, ports and API key of its own. It is
// stopped when the test ends, and its log is shown when the test failed.
type Server = tsserver.Server

// Cluster is a Typesense Raft cluster whose nodes run on loopback.
type Cluster = tsserver.Cluster

// Start starts a Typesense node alone and waits until it is healthy.
func Start(tb testing.TB) *Server {
	tb.Helper()
	return tsserver.Start(tb)
}

// StartCluster starts n nodes as one Raft cluster and waits until one is leader and all are
// healthy.
func StartCluster(tb testing.TB, n int) Cluster {
	tb.Helper()
	return tsserver.StartCluster(tb, n)
}

// Env returns the address and API key of the Typesense server of the environment
// (TYPESENSE_URL, TYPESENSE_API_KEY), which `make test` starts and tests share. Without them the
// test is skipped on a developer's run and fails under `make test` and CI.
func Env(tb testing.TB) (url, apiKey string) {
	tb.Helper()
	return tsserver.Env(tb)
}

// Call sends a request to the Typesense API at url (node address and path) with apiKey, body
// encoded as JSON when not nil, and decodes a 200 answer into out when not nil. It returns the
// status; tests use it to look at or change the index behind Hark's back.
func Call(tb testing.TB, method, url, apiKey string, body, out any) int {
	tb.Helper()
	return tsserver.Call(tb, method, url, apiKey, body, out)
}
