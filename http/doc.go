// Package http serves Hark over HTTP: server-rendered pages, a Listen API v2 compatible JSON API,
// health checks and Prometheus metrics, all on one chi router built by NewServer.
//
// Routes:
//
//	GET  /                          home: search box, newest episodes, new shows, best per genre
//	GET  /search                    results page (q, type=episode|podcast, sort=date, page, and
//	                                the filters genre, language, len_min, len_max, after, before, podcast)
//	GET  /podcasts/{id}             podcast page with crawl state and episodes (before=<ms> pages)
//	GET  /episodes/{id}             episode page: player (t=<s> starts there), notes, transcript,
//	                                more episodes, recommendations, embed snippet
//	GET  /genres, /genres/{id}      genres; a genre's best podcasts (page=N)
//	GET  /publishers/{name}         a publisher's podcasts
//	GET  /embed/episodes/{id}       bare player that any site may frame
//	GET  /embed/podcasts/{id}       the same for a show's latest episodes
//	GET  /submit, POST /submit      add a feed
//	GET  /docs/api                  API reference
//	GET  /api/v2/search             Listen API: full-text search
//	GET  /api/v2/typeahead          Listen API: suggestions
//	GET  /api/v2/podcasts/{id}      Listen API: PodcastFull
//	POST /api/v2/podcasts           Listen API: podcasts by ids
//	POST /api/v2/podcasts/submit    Listen API: add a feed
//	POST /api/v2/podcasts/{id}/refresh  Hark extension: crawl now
//	GET  /api/v2/episodes/{id}      Listen API: EpisodeFull
//	POST /api/v2/episodes           Listen API: episodes by ids
//	GET  /api/v2/genres, /api/v2/languages, /api/v2/regions
//	     and the rest of the Listen API's 31 operations: routes.go
//	GET  /api/v2/lookup, /api/v2/changes, GET|POST /api/v2/alerts, DELETE /api/v2/alerts/{id}
//	                                Hark extensions (routes.go harkRoutes)
//	GET  /api/v2/openapi.json       the OpenAPI 3.1 document of all of the above (public)
//	GET  /healthz, /readyz, /metrics, /static/* (fingerprinted names: static.go)
//
// Handlers return errors; one adapter (Server.handle) maps them with errors.Is to 400, 401, 404,
// 409, 429 (quota), 503 (hark.ErrUnavailable) or 500, as JSON under /api/ and as an HTML page
// elsewhere. The package reaches the search index and the job queue only through the Searcher
// and Submitter interfaces, which cmd/hark fills with *search.Index and the jobs service.
//
// Everything that comes from a feed is HTML written by strangers: it goes through a bluemonday
// policy (sanitize.go) before it reaches a page or an API client.
package http
