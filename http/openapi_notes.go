package http

// harkNotes are what Hark says, by path and method, about how it answers a Listen API
// operation from its own data; the OpenAPI document and the reference page carry them.
var harkNotes = map[string]map[string]string{
	"/podcasts/{id}/audience": {"get": "Hark: the share of the plays started in Hark's own " +
		"player over the last 90 days that came from each region. The player reports a play with " +
		"POST /api/plays (no key); Hark counts it per podcast, UTC day and region and keeps nothing " +
		"else (no address, no agent). The region is the country a CDN in front of Hark names " +
		"(COUNTRY_HEADER, such as CF-IPCountry) or else the region of the listener's first " +
		"Accept-Language with one; crawlers and HTTP libraries are not counted, and each address " +
		"may report a play every 30 s (a burst of 20). by_regions stays empty until a podcast has " +
		"AUDIENCE_MIN_PLAYS (50) plays of known region in the window: Hark shows no ratios it " +
		"cannot back with plays."},
	"/genres": {"get": "Hark: Apple Podcasts' categories and subcategories with Apple's ids; " +
		"parent_id is 0 at the top level. Wherever a genre id is taken, Listen Notes' own ids work " +
		"too, each as the Apple genre of the same name or its parent's (144 Personal Finance is " +
		"Business, 1321); 67 (Podcasts) and 151 (Locally Focused) mean every genre."},
	"/podcasts/{id}": {"get": "Hark: listen_score is the podcast's percentile of Hark's quality " +
		"score (episode count, recency, cadence, crawl health) among its live podcasts with " +
		"episodes; listen_score_global_rank is the share of them that score as high."},
}
