package http

import (
	"time"

	"github.com/go-chi/chi/v5"
)

// Router exposes the server's router to tests that walk its routes.
func (s *Server) Router() chi.Routes { return s.router }

// PodcastPath and EpisodePath build the canonical page paths, for tests that follow links.
var (
	PodcastPath = podcastPath
	EpisodePath = episodePath
)

// SimilarTTL is how long episode pages keep a show's "You may also like" list.
const SimilarTTL = similarTTL

// AgeSimilarLists makes the "You may also like" lists s keeps d older, for tests of their
// expiry.
func AgeSimilarLists(s *Server, d time.Duration) {
	for _, id := range s.similar.Keys() {
		if l, ok := s.similar.Peek(id); ok {
			l.read = l.read.Add(-d)
			s.similar.Add(id, l)
		}
	}
}
