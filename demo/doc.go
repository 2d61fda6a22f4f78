// Package demo generates a deterministic catalogue of plausible podcast RSS feeds and serves it
// over HTTP, so the crawler can fetch demo podcasts exactly as it fetches real ones.
//
// `hark demo` serves a small catalogue on a loopback port; end-to-end tests and benchmarks use
// larger ones (thousands of feeds, up to a million episodes). The same Config always yields the
// same catalogue, byte for byte: every show and every episode draws from its own pseudo-random
// stream seeded from Config.Seed, and dates count from Config.Reference instead of the clock.
//
// Episode n of a show depends only on the seed, the show and n. Publishing more episodes with
// AddEpisodes therefore adds items to the top of the feed without touching the older ones, the
// way a real show grows.
package demo
