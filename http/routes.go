package http

import "github.com/go-chi/chi/v5"

// listenRoutes adds the Listen API operations beyond search, podcasts, episodes and directories.
func (s *Server) listenRoutes(r chi.Router) {
	r.Get("/search_episode_titles", s.handle(s.handleSearchEpisodeTitles))
	r.Get("/spellcheck", s.handle(s.handleSpellcheck))
	r.Get("/related_searches", s.handle(s.handleRelatedSearches))
	r.Get("/trending_searches", s.handle(s.handleTrendingSearches))
	r.Get("/best_podcasts", s.handle(s.handleBestPodcasts))
	r.Get("/curated_podcasts", s.handle(s.handleCuratedLists))
	r.Get("/curated_podcasts/{id}", s.handle(s.handleCuratedShow))
	r.Get("/just_listen", s.handle(s.handleJustListen))
	r.Delete("/podcasts/{id}", s.handle(s.handlePodcastDelete))
	r.Get("/podcasts/{id}/recommendations", s.handle(s.handlePodcastRecommendations))
	r.Get("/podcasts/{id}/audience", s.handle(s.handlePodcastAudience))
	r.Get("/podcasts/domains/{domain_name}", s.handle(s.handlePodcastsByDomain))
	r.Get("/episodes/{id}/recommendations", s.handle(s.handleEpisodeRecommendations))
	r.Get("/playlists", s.handle(s.handlePlaylistList))
	r.Post("/playlists", s.handle(s.handlePlaylistCreate))
	r.Get("/playlists/{id}", s.handle(s.handlePlaylistShow))
	r.Put("/playlists/{id}", s.handle(s.handlePlaylistUpdate))
	r.Delete("/playlists/{id}", s.handle(s.handlePlaylistDelete))
	r.Post("/playlists/{id}/items", s.handle(s.handlePlaylistItemAdd))
	r.Put("/playlists/{id}/items/{item_id}", s.handle(s.handlePlaylistItemUpdate))
	r.Delete("/playlists/{id}/items/{item_id}", s.handle(s.handlePlaylistItemDelete))
	s.harkRoutes(r)
}

// harkRoutes adds Hark's own operations beyond the Listen API.
func (s *Server) harkRoutes(r chi.Router) {
	r.Get("/lookup", s.handle(s.handleLookup))
	r.Get("/changes", s.handle(s.handleChanges))
	r.Get("/alerts", s.handle(s.handleAlertList))
	r.Post("/alerts", s.handle(s.handleAlertCreate))
	r.Delete("/alerts/{id}", s.handle(s.handleAlertDelete))
}

// browseRoutes adds the pages that browse the catalogue beyond search.
func (s *Server) browseRoutes(r chi.Router) {
	r.Get("/genres", s.handle(s.handleGenresPage))
	r.Get("/genres/{id}", s.handle(s.handleGenrePage))
	r.Get("/publishers/{name}", s.handle(s.handlePublisherPage))
}

// seoRoutes adds what search engines, card scrapers and embedding sites read: artwork, robots,
// sitemaps and oEmbed. Artwork skips the per-address limit, like /static: a page of results
// loads a dozen images at once, and browsers keep them for a year.
func (s *Server) seoRoutes(r chi.Router) {
	r.Get("/artwork/none/{file}", s.handle(s.handleArtworkPlaceholder))
	r.Get("/artwork/{key}/{file}", s.handle(s.handleArtwork))
	r.Group(func(r chi.Router) {
		r.Use(s.limitClient)
		r.Get("/robots.txt", s.handle(s.handleRobots))
		r.Get("/sitemap.xml", s.handle(s.handleSitemapIndex))
		r.Get("/sitemaps/{file}", s.handle(s.handleSitemap))
		r.Get("/oembed", s.handle(s.handleOEmbed))
	})
}
