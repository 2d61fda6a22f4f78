package http

import "github.com/go-chi/chi/v5"

// Router exposes the server's router to tests that walk its routes.
func (s *Server) Router() chi.Routes { return s.router }

// PodcastPath and EpisodePath build the canonical page paths, for tests that follow links.
var (
	PodcastPath = podcastPath
	EpisodePath = episodePath
)
