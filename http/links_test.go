package http

import (
	"testing"
)

func TestRefID(t *testing.T) {
	t.Parallel()
	id := "0123456789abcdef0123456789abcdef"
	tests := []struct{ ref, want string }{
		{id, id},
		{"the-jazz-hour-" + id, id},
		{"wrong-" + id, id},
		{"x" + id, ""},
		{"the-jazz-hour", ""},
		{"0123456789ABCDEF0123456789ABCDEF", ""},
	}
	for _, tt := range tests {
		if got := refID(tt.ref); got != tt.want {
			t.Errorf("refID(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
	if got := podcastPath(id, "日本語"); got != "/podcasts/"+id {
		t.Errorf("path of a title without ASCII = %q, want the bare ID", got)
	}
}
