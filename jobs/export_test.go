package jobs

// NewCrawlFeedWorker returns a crawl_feed worker as NewClient makes it, for tests that work one
// job at a time with rivertest.Worker.
func NewCrawlFeedWorker(cfg Config) *CrawlFeedWorker {
	return &CrawlFeedWorker{crawler: newCrawler(cfg, newMetrics(cfg.Registry))}
}

// NewFetchArtworkWorker returns a fetch_artwork worker as NewClient makes it.
func NewFetchArtworkWorker(cfg Config) *FetchArtworkWorker { return &FetchArtworkWorker{cfg: cfg} }

func NewBuildSitemapsWorker(cfg Config) *BuildSitemapsWorker { return &BuildSitemapsWorker{cfg: cfg} }
