package http

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/hashicorp/golang-lru/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"hark"
	"hark/db"
	"hark/jobs"
	"hark/ratelimit"
)

// BaseURLDefault is Config.BaseURL when it is empty.
const BaseURLDefault = "http://localhost:8080"

// GCPercent is the garbage collector target `hark serve` sets when GOGC is not set. A search
// allocates about 30 KB that is garbage once answered, over a live heap of a few tens of MB, so
// Go's default of 100 collected many times a second under load: 400 cut the API's CPU per search
// by about a fifth in `make bench` (query section, 0.45 to 0.35 ms). The heap may grow to five
// times what is live before a collection; GOMEMLIMIT caps it where memory is tight.
const GCPercent = 400

// Searcher is the search index (implemented by *search.Index). Search returns errors matching
// hark.ErrUnavailable when Typesense is down and hark.ErrInvalid for input it rejects.
type Searcher interface {
	Search(ctx context.Context, q hark.SearchQuery) (*hark.SearchResult, error)
	Suggest(ctx context.Context, prefix string, podcasts, genres bool) (*hark.Suggestions, error)
	Health(ctx context.Context) error
	// Spellcheck returns the words of text it thinks misspelled, with its suggestions.
	Spellcheck(text string) []hark.Correction
}

// Submitter adds feeds and refreshes podcasts (implemented by the jobs package).
type Submitter interface {
	// SubmitFeedFrom adds the feed at rawURL, or finds the podcast that already has it; created
	// says which. Returns ErrInvalid, with a message for the user, for a URL it cannot take, and
	// ErrTooMany, with hark.RetryAfter, when from is over its daily cap or the crawl queue full.
	SubmitFeedFrom(ctx context.Context, rawURL string, from hark.Origin) (p hark.Podcast, created bool, err error)
	// RefreshPodcast schedules a crawl of the podcast now. Returns ErrNotFound for an unknown ID.
	RefreshPodcast(ctx context.Context, id string) error
	// FindFeed returns the podcast Hark has for a feed URL, without adding it. Returns ErrNotFound
	// for a feed it does not have and ErrInvalid for a bad URL.
	FindFeed(ctx context.Context, rawURL string) (hark.Podcast, error)
}

// KeyAuthenticator checks API keys and meters them (implemented by *db.Store, which writes per
// request, and *db.APIKeyCache, which batches the writes). Both methods return errors matching
// hark.ErrUnauthorized for an unknown or revoked key.
type KeyAuthenticator interface {
	// FindAPIKey returns the key and its requests this month, counting nothing, so that a
	// request refused for its rate is not billed.
	FindAPIKey(ctx context.Context, key string) (hark.APIKey, int64, error)
	// MeterAPIKey counts one request against the key and returns its usage, unless quota is
	// above 0 and the key has used it: then it counts nothing and reports APIUsage.Spent.
	MeterAPIKey(ctx context.Context, key string, quota int) (hark.APIKey, db.APIUsage, error)
}

// Config is what the server needs to know about its deployment.
type Config struct {
	// BaseURL is the public base URL, without a trailing slash; listennotes_url fields and embed
	// snippets start with it. Default BaseURLDefault.
	BaseURL string
	// RequireAPIKey makes the API answer 401 to requests without a valid X-ListenAPI-Key header.
	// cmd/hark sets it in production. When false, a valid key is still metered and an unknown one
	// is ignored.
	RequireAPIKey bool
	// Registry receives the HTTP metrics and is served at /metrics. Default: Prometheus's default
	// registry, where other packages register their metrics.
	Registry *prometheus.Registry
	// Keys authenticates and meters API keys. Default: the store itself.
	Keys KeyAuthenticator
	// Plans are the plans API keys may be on (PLANS). Default: hark.PlansDefault.
	Plans hark.Plans
	// SignupDailyCap bounds the keys the sign-up page gives out each UTC day. Default
	// SignupDailyCapDefault.
	SignupDailyCap int

	// TLS says the site is served over https (BASE_URL starts with https://) even where the
	// request does not show it: HSTS and Secure cookies on every response.
	TLS bool
	// TrustedProxies are the proxies whose X-Forwarded-For and X-Forwarded-Proto are believed.
	// From any other peer they are ignored, and the peer is the client. Default none.
	TrustedProxies []netip.Prefix
	// AddrRate limits the keyless requests of each client address (pages, /suggest, the submit
	// form, the API without a key). The zero Rate is no limit.
	AddrRate ratelimit.Rate
	// KeyRate limits each API key whose RateLimit is 0. The zero Rate is no limit.
	KeyRate ratelimit.Rate
	// MaxBodyBytes bounds every request body (WebSub notifications excepted, which carry whole
	// feeds). Default MaxBodyBytesDefault.
	MaxBodyBytes int64
	// Tally counts API requests by plan and status and search latencies for the /admin
	// charts; nil counts none.
	Tally *db.Tally
	// MetricsToken lets Prometheus scrape /metrics with "Authorization: Bearer <token>".
	MetricsToken string

	// ChangesSettle is how far behind the present the change feed (GET /api/v2/changes) stays,
	// so that it does not step past a change still committing. Default ChangesSettleDefault.
	ChangesSettle time.Duration

	// CountryHeader names the request header in which a CDN in front of Hark gives the client's
	// country (CF-IPCountry, say), for the audience counts of POST /api/plays. Set it only when
	// every request comes through that CDN, which overwrites the header. Default none: the
	// region comes from Accept-Language.
	CountryHeader string
	// AudienceMinPlays is how many plays of known region a podcast needs in the audience window
	// before GET /podcasts/{id}/audience shows ratios. Default AudienceMinPlaysDefault.
	AudienceMinPlays int

	// Searches counts the searches asked, for trending_searches and related_searches (a
	// *db.SearchLog, which writes in batches). Default: each search is written to the store
	// as it is asked.
	Searches SearchRecorder

	// Errors records handler panics and 5xx answers for the errors page; nil records none.
	Errors *jobs.ErrorRecorder
	// Ops tells the operator's chat of sign-ups, deletion requests and exhausted quotas; nil
	// tells no one.
	Ops *jobs.Ops
}

// SearchRecorder counts a search of q (implemented by *db.SearchLog).
type SearchRecorder interface {
	RecordSearch(ctx context.Context, q string)
}

// Server serves Hark's web pages, its Listen API v2 compatible API, health checks and metrics.
type Server struct {
	cfg     Config
	store   *db.Store
	search  Searcher
	submit  Submitter
	logger  *slog.Logger
	router  chi.Router
	metrics *metrics
	pages   *pages
	limiter *ratelimit.Limiter
	// searches counts searches; see Config.Searches.
	searches SearchRecorder

	openapi openAPICache
	scores  listenScores

	countsMu sync.Mutex
	counts   siteCounts
	home     homeCache
	similar  *lru.Cache[string, similarList]

	quota quotaNotices

	// draining is set by Drain: /readyz then answers 503.
	draining atomic.Bool
}

// NewServer returns a Server with every route in place. Mount more handlers with Mount.
func NewServer(cfg Config, store *db.Store, search Searcher, submit Submitter, logger *slog.Logger) *Server {
	cfg.BaseURL = strings.TrimRight(cmp.Or(cfg.BaseURL, BaseURLDefault), "/")
	cfg.MaxBodyBytes = cmp.Or(cfg.MaxBodyBytes, MaxBodyBytesDefault)
	cfg.ChangesSettle = cmp.Or(cfg.ChangesSettle, ChangesSettleDefault)
	if cfg.Keys == nil {
		cfg.Keys = store
	}
	if cfg.Plans == nil {
		cfg.Plans, _ = hark.ParsePlans(hark.PlansDefault)
	}
	cfg.SignupDailyCap = cmp.Or(cfg.SignupDailyCap, SignupDailyCapDefault)
	cfg.AudienceMinPlays = cmp.Or(cfg.AudienceMinPlays, AudienceMinPlaysDefault)
	var reg prometheus.Registerer = prometheus.DefaultRegisterer
	var gather prometheus.Gatherer = prometheus.DefaultGatherer
	if cfg.Registry != nil {
		reg, gather = cfg.Registry, cfg.Registry
	}
	s := &Server{
		cfg:     cfg,
		store:   store,
		search:  search,
		submit:  submit,
		logger:  logger,
		router:  chi.NewRouter(),
		metrics: newMetrics(reg),
		pages:   newPages(),
		limiter: ratelimit.New(),
	}
	s.similar, _ = lru.New[string, similarList](similarShows)
	s.searches = cfg.Searches
	if s.searches == nil {
		s.searches = storeSearches{store, logger}
	}
	registerOpsCollector(reg, s)
	s.routes(promhttp.HandlerFor(gather, promhttp.HandlerOpts{}))
	return s
}

// Mount attaches h under pattern (River UI at /riverui, say). It gets the request ID, logging,
// metrics, panic recovery and the body limit, but not the page security headers, which would
// break its scripts. Guard operator views with OperatorOnly.
func (s *Server) Mount(pattern string, h http.Handler) { s.router.Mount(pattern, h) }

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// compress gzips text answers for clients that take gzip: pages, the API's JSON, styles and
// scripts shrink to a fifth or less. Answers that set their own Content-Encoding (the stored
// sitemaps, /metrics) pass as they are; images are already compressed.
var compress = middleware.NewCompressor(5, "text/html", "text/css", "text/plain", "text/javascript",
	"application/javascript", "application/json", "application/xml", "application/problem+json",
	"image/svg+xml").Handler

func (s *Server) routes(metricsHandler http.Handler) {
	r := s.router
	r.Use(requestID, s.identifyClient, s.observe, s.recoverPanic, s.limitBody, compress)
	r.NotFound(s.handleNotFound)
	r.MethodNotAllowed(s.handleMethodNotAllowed)

	r.Get("/healthz", s.handleHealthz)
	r.Get("/readyz", s.handleReadyz)
	r.Method(http.MethodGet, "/metrics", s.guardOperator(metricsHandler, true))
	r.Handle("/static/*", staticHandler())

	r.With(apiHeaders).Get("/api/v2/openapi.json", s.handle(s.handleOpenAPI)) // public, like /docs/api
	r.Route("/api/v2", s.apiRoutes)
	r.Route("/websub", s.webSubRoutes)
	r.Route("/admin", s.adminRoutes)

	// Form posts from other sites are refused: the submit form has no other CSRF token.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, http.StatusForbidden, "This form can only be sent from Hark's own pages.")
	}))
	// Hark's player reports plays here, without a key or a token; other sites may not.
	r.With(apiHeaders, csrf.Handler).Post("/api/plays", s.handle(s.handlePlayCreate))
	r.Group(func(r chi.Router) {
		r.Use(pageHeaders, csrf.Handler, s.limitClient)
		r.Get("/", s.handle(s.handleHome))
		r.Get("/search", s.handle(s.handleSearchPage))
		r.Get("/suggest", s.handle(s.handleSuggest))
		r.Get("/podcasts/{id}", withRefID(s.handle(s.handlePodcastPage)))
		r.Get("/episodes/{id}", withRefID(s.handle(s.handleEpisodePage)))
		s.browseRoutes(r)
		r.Get("/submit", s.handle(s.handleSubmitForm))
		r.With(s.requireCSRF).Post("/submit", s.handle(s.handleSubmitCreate))
		r.Get("/docs/api", s.handle(s.handleAPIDocs))
		r.Get("/signup", s.handle(s.handleSignupForm))
		r.With(s.requireCSRF).Post("/signup", s.handle(s.handleSignupCreate))
		r.Get("/account", s.handle(s.handleAccountForm))
		r.With(s.requireCSRF).Post("/account", s.handle(s.handleAccountShow))
	})
	s.seoRoutes(r)
	r.Group(func(r chi.Router) {
		r.Use(embedHeaders, s.limitClient)
		r.Get("/embed/episodes/{id}", s.handle(s.handleEmbedEpisode))
		r.Get("/embed/podcasts/{id}", s.handle(s.handleEmbedPodcast))
	})
}

func (s *Server) apiRoutes(r chi.Router) {
	r.Use(apiHeaders, s.authenticate)
	r.Get("/search", s.handle(s.handleSearch))
	r.Get("/typeahead", s.handle(s.handleTypeahead))
	r.Get("/podcasts/{id}", s.handle(s.handlePodcastShow))
	r.Post("/podcasts", s.handle(s.handlePodcastBatch))
	r.Post("/podcasts/submit", s.handle(s.handlePodcastSubmit))
	r.Post("/podcasts/{id}/refresh", s.handle(s.handlePodcastRefresh))
	r.Get("/episodes/{id}", s.handle(s.handleEpisodeShow))
	r.Post("/episodes", s.handle(s.handleEpisodeBatch))
	r.Get("/genres", s.handle(s.handleGenres))
	r.Get("/languages", s.handle(s.handleLanguages))
	r.Get("/regions", s.handle(s.handleRegions))
	s.listenRoutes(r)
}

// siteCounts are the figures on the home page, cached because count(*) reads the whole table.
type siteCounts struct {
	Podcasts int
	at       time.Time
}

const siteCountsTTL = time.Minute

func (s *Server) siteCounts(ctx context.Context) (siteCounts, error) {
	s.countsMu.Lock()
	defer s.countsMu.Unlock()
	if !s.counts.at.IsZero() && time.Since(s.counts.at) < siteCountsTTL {
		return s.counts, nil
	}
	n, err := s.store.CountPodcasts(ctx)
	if err != nil {
		return siteCounts{}, err
	}
	s.counts = siteCounts{Podcasts: n, at: time.Now()}
	return s.counts, nil
}
