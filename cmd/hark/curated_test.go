package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"hark/db"
	"hark/db/dbtest"
)

// TestCuratedCommands: an operator makes a curated list of known podcasts, sees it listed and
// deletes it; unknown podcasts are refused by name.
func TestCuratedCommands(t *testing.T) {
	t.Parallel()
	pool, dbURL := dbtest.NewSchemaURL(t)
	ctx := context.Background()
	p, _, err := db.New(pool).CreatePodcast(ctx, "https://feeds.example.com/a.xml", "feeds.example.com/a.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DATABASE_URL": dbURL, "TYPESENSE_API_KEY": "unused-by-curated"}
	hark := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, args, func(n string) string { return env[n] }, &out, &out)
		return out.String(), err
	}

	out, err := hark("curated", "create", "-description", "Shows we like", "Staff picks", p.ID)
	if err != nil {
		t.Fatal(err)
	}
	id := strings.Fields(out)[2]
	if len(id) != 11 {
		t.Fatalf("created %q, want an 11-character id: %s", id, out)
	}
	if out, err = hark("curated", "list"); err != nil || !strings.Contains(out, id) || !strings.Contains(out, "1 podcasts  Staff picks") {
		t.Fatalf("list: %v\n%s", err, out)
	}
	unknown := "0123456789abcdef0123456789abcdef"
	if _, err := hark("curated", "create", "Bad", p.ID, unknown); err == nil || !strings.Contains(userMessage(err), unknown) {
		t.Errorf("a list with an unknown podcast: %v; want an error naming it", err)
	}
	if _, err := hark("curated", "delete", id); err != nil {
		t.Fatal(err)
	}
	if out, _ := hark("curated", "list"); strings.Contains(out, id) {
		t.Errorf("deleted list still listed:\n%s", out)
	}
	if _, err := hark("curated", "delete", id); err == nil {
		t.Error("deleting a deleted list succeeded")
	}
}
