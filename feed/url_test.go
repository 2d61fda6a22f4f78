package feed

import (
	"errors"
	"testing"

	"hark"
)

func TestNormalizeURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{name: "already normal", in: "https://example.com/feed.xml", want: "https://example.com/feed.xml"},
		{name: "space trimmed", in: "  https://example.com/feed \n", want: "https://example.com/feed"},
		{name: "scheme added", in: "example.com/feed", want: "http://example.com/feed"},
		{name: "scheme-relative", in: "//example.com/feed", want: "http://example.com/feed"},
		{name: "scheme and host lower-cased", in: "HTTPS://Example.COM/Feed", want: "https://example.com/Feed"},
		{name: "root slash dropped", in: "http://a.com/", want: "http://a.com"},
		{name: "trailing slash dropped", in: "https://example.com/feed/", want: "https://example.com/feed"},
		{name: "default http port dropped", in: "http://example.com:80/feed", want: "http://example.com/feed"},
		{name: "default https port dropped", in: "https://example.com:443/feed", want: "https://example.com/feed"},
		{name: "other port kept", in: "https://example.com:8443/feed", want: "https://example.com:8443/feed"},
		{name: "fragment dropped", in: "https://example.com/feed#top", want: "https://example.com/feed"},
		{name: "query kept", in: "https://example.com/feed/?format=rss&b=2", want: "https://example.com/feed?format=rss&b=2"},
		{name: "escaped path kept", in: "https://example.com/a%20b/feed", want: "https://example.com/a%20b/feed"},
		{name: "feed scheme", in: "feed://example.com/rss", want: "http://example.com/rss"},
		{name: "feed scheme wrapping https", in: "feed:https://example.com/rss", want: "https://example.com/rss"},
		{name: "itpc scheme", in: "itpc://example.com/rss", want: "http://example.com/rss"},
		{name: "pcast scheme", in: "PCAST://example.com/rss", want: "http://example.com/rss"},
		{name: "idn host", in: "https://bücher.example/feed", want: "https://xn--bcher-kva.example/feed"},
		{name: "ipv6 host", in: "http://[2001:DB8::1]:80/feed", want: "http://[2001:db8::1]/feed"},
		{name: "ftp refused", in: "ftp://example.com/feed", wantErr: true},
		{name: "javascript refused", in: "javascript:alert(1)", wantErr: true},
		{name: "empty refused", in: "   ", wantErr: true},
		{name: "no host refused", in: "http:///feed", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := NormalizeURL(tt.in)
			if tt.wantErr {
				if !errors.Is(err, hark.ErrInvalid) {
					t.Fatalf("NormalizeURL(%q) = %q, %v; want an error matching hark.ErrInvalid", tt.in, got, err)
				}
				if hark.ErrorMessage(err) == "" {
					t.Errorf("NormalizeURL(%q) error %v has no user message", tt.in, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("NormalizeURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestIdentityKey(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{name: "www and https and slash", in: "https://www.example.com/feed/", want: "example.com/feed"},
		{name: "plain http", in: "http://example.com/feed", want: "example.com/feed"},
		{name: "no scheme", in: "www.Example.com/feed", want: "example.com/feed"},
		{name: "query kept", in: "https://example.com/feed?id=1", want: "example.com/feed?id=1"},
		{name: "only a leading www", in: "https://www2.example.com/www.feed", want: "www2.example.com/www.feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got, err := IdentityKey(tt.in); err != nil || got != tt.want {
				t.Errorf("IdentityKey(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
	a, _ := IdentityKey("https://www.example.com/feed/")
	b, _ := IdentityKey("http://example.com/feed")
	if a != b {
		t.Errorf("the two spellings of one feed give different keys %q and %q", a, b)
	}
	if _, err := IdentityKey("mailto:someone@example.com"); !errors.Is(err, hark.ErrInvalid) {
		t.Errorf("IdentityKey(mailto) error = %v; want hark.ErrInvalid", err)
	}
}

func TestPodcastGUID(t *testing.T) {
	t.Parallel()
	const spec = "917393e3-1b1e-5cef-ace4-edaa54e1f810" // the Podcasting 2.0 spec's example
	tests := []struct{ name, in, want string }{
		{name: "spec example", in: "https://mp3s.nashownotes.com/pc20rss.xml", want: spec},
		{name: "scheme does not matter", in: "http://mp3s.nashownotes.com/pc20rss.xml", want: spec},
		{name: "trailing slashes removed", in: "https://mp3s.nashownotes.com/pc20rss.xml//", want: spec},
		{name: "no scheme", in: "mp3s.nashownotes.com/pc20rss.xml", want: spec},
		{name: "podnews", in: "https://podnews.net/rss", want: "9b024349-ccf0-5f69-a609-6b82873eab3c"},
		// The podcast:guid Podigee declares in real/podigee-heiter-bis-holprig-de.xml.
		{name: "podigee feed", in: "https://heiter-bis-holprig.podigee.io/feed/mp3", want: "ef9c4183-301f-5dc9-993d-d26de88919df"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := PodcastGUID(tt.in); got != tt.want {
				t.Errorf("PodcastGUID(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestResolveURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, base, ref, want string }{
		{name: "absolute", base: "https://a.com/feed", ref: " https://b.com/x.mp3 ", want: "https://b.com/x.mp3"},
		{name: "relative", base: "https://a.com/pod/feed.xml", ref: "ep1.mp3", want: "https://a.com/pod/ep1.mp3"},
		{name: "root relative", base: "https://a.com/pod/feed.xml", ref: "/ep1.mp3", want: "https://a.com/ep1.mp3"},
		{name: "relative without base", base: "", ref: "ep1.mp3", want: ""},
		{name: "other scheme", base: "https://a.com/", ref: "javascript:alert(1)", want: ""},
		{name: "empty", base: "https://a.com/", ref: "  ", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := resolveURL(tt.base, tt.ref); got != tt.want {
				t.Errorf("resolveURL(%q, %q) = %q; want %q", tt.base, tt.ref, got, tt.want)
			}
		})
	}
}
