package feed

import (
	"strings"
	"testing"
	"time"

	"hark"
)

// Small assertion helpers for the parse tests; brokenCheck builders compose them per fixture.

func mustParse(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
}

func want[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %#v; want %#v", what, got, want)
	}
}

func wantContains(t *testing.T, what, got string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(got, p) {
			t.Errorf("%s = %q; want it to contain %q", what, got, p)
		}
	}
}

func wantWarning(t *testing.T, f *hark.Feed, part string) {
	t.Helper()
	for _, w := range f.Warnings {
		if strings.Contains(w, part) {
			return
		}
	}
	t.Errorf("warnings %q: want one containing %q", f.Warnings, part)
}

func date(y int, m time.Month, d, hh, mm, ss int) time.Time {
	return time.Date(y, m, d, hh, mm, ss, 0, time.UTC)
}

func both(checks ...brokenCheck) brokenCheck {
	return func(t *testing.T, f *hark.Feed, err error) {
		t.Helper()
		for _, c := range checks {
			c(t, f, err)
		}
	}
}

func notFeed(part string) brokenCheck {
	return func(t *testing.T, f *hark.Feed, err error) {
		t.Helper()
		if err == nil {
			t.Fatalf("Parse gave a feed titled %q; want a not-a-feed error", f.Podcast.Title)
		}
		wantContains(t, "error", hark.ErrorMessage(err), part)
	}
}

func podcast(check func(*testing.T, hark.Podcast)) brokenCheck {
	return func(t *testing.T, f *hark.Feed, err error) {
		t.Helper()
		mustParse(t, err)
		check(t, f.Podcast)
	}
}

func episode(i int, check func(*testing.T, hark.Episode)) brokenCheck {
	return func(t *testing.T, f *hark.Feed, err error) {
		t.Helper()
		mustParse(t, err)
		if len(f.Episodes) <= i {
			t.Fatalf("%d episodes; want episode %d", len(f.Episodes), i)
		}
		check(t, f.Episodes[i])
	}
}

func title(s string) brokenCheck {
	return podcast(func(t *testing.T, p hark.Podcast) { want(t, "title", p.Title, s) })
}

func episodeCount(n int) brokenCheck {
	return func(t *testing.T, f *hark.Feed, err error) {
		t.Helper()
		mustParse(t, err)
		want(t, "episodes", len(f.Episodes), n)
	}
}

func episodeTitle(s string) brokenCheck {
	return episode(0, func(t *testing.T, e hark.Episode) { want(t, "episode title", e.Title, s) })
}

func episodeDescription(s string) brokenCheck {
	return episode(0, func(t *testing.T, e hark.Episode) { want(t, "episode description", e.Description, s) })
}

func episodeAudio(s string) brokenCheck {
	return episode(0, func(t *testing.T, e hark.Episode) { want(t, "audio URL", e.AudioURL, s) })
}

func guidIs(s string) brokenCheck {
	return episode(0, func(t *testing.T, e hark.Episode) { want(t, "guid", e.GUID, s) })
}

func episodeDuration(sec int) brokenCheck {
	return episode(0, func(t *testing.T, e hark.Episode) { want(t, "duration", e.AudioLengthSec, sec) })
}
