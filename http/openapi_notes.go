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
}
