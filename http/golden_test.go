package http_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// compareGolden compares got with testdata/name, or rewrites the file under -update.
func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got); if the change is intended, run go test -update:\n%s", path, diff)
	}
}

// tookPattern matches took in seconds to the millisecond.
var tookPattern = regexp.MustCompile(`"took":[0-9]+(\.[0-9]{1,3})?,`)

func TestSearchGolden(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{requireKey: true})
	jazz := addJazzShow(t, b.store)
	b.reindex(t)

	for _, tt := range []struct{ name, query string }{
		{"search_episodes.golden", "/api/v2/search?q=jazz&page_size=2"},
		{"search_podcasts.golden", "/api/v2/search?q=jazz&type=podcast"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := b.get(t, tt.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			// IDs are random per run and took is however long the index took; name them by role
			// so the file is stable.
			body := rec.Body.String()
			if !tookPattern.MatchString(body) {
				t.Fatalf("no took in seconds: %s", body)
			}
			body = tookPattern.ReplaceAllString(body, `"took":"SECONDS",`)
			body = strings.ReplaceAll(body, jazz.podcast.ID, "PODCAST_ID")
			for i, e := range jazz.episodes {
				body = strings.ReplaceAll(body, e.ID, fmt.Sprintf("EPISODE_%d_ID", i))
			}
			var out bytes.Buffer
			if err := json.Indent(&out, []byte(body), "", "  "); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, tt.name, out.Bytes())
		})
	}
}
