package tsserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"testing"

	"hark/internal/sharedtest"
)

// Env returns the address and API key of the Typesense server of the environment
// (TYPESENSE_URL, TYPESENSE_API_KEY), which `make test` starts and tests share, each with a
// collection prefix of its own. Without them the test is skipped on a developer's run and fails
// under `make test` and CI (HARK_REQUIRE_SERVICES=1).
func Env(tb testing.TB) (url, apiKey string) {
	tb.Helper()
	url, apiKey = os.Getenv("TYPESENSE_URL"), os.Getenv("TYPESENSE_API_KEY")
	if url == "" || apiKey == "" {
		sharedtest.Missing(tb, "TYPESENSE_URL or TYPESENSE_API_KEY is not set; `make test` starts Typesense and sets them")
	}
	return url, apiKey
}

// Call sends a request to the Typesense API at url (node address and path) with apiKey, body
// encoded as JSON when not nil, and decodes a 200 answer into out when not nil. It returns the
// status; tests use it to look at or change the index behind Hark's back.
func Call(tb testing.TB, method, url, apiKey string, body, out any) int {
	tb.Helper()
	var r bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&r).Encode(body); err != nil {
			tb.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, url, &r)
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("X-TYPESENSE-API-KEY", apiKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			tb.Fatal(err)
		}
	}
	return resp.StatusCode
}
