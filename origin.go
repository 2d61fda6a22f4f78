package hark

// Origin says who submitted a feed, for the daily caps on submissions, and whom to tell how its
// first crawl went.
type Origin struct {
	APIKeyID int64  // the API key the request carried; 0 for the web form and keyless requests
	Addr     string // the client's address, as the rate limits key it
	// WebhookURL, when set, is told how the first crawl of a new feed went (the Listen API's
	// podcastsSubmitAccepted and podcastsSubmitRejected), signed with WebhookSecret.
	WebhookURL    string
	WebhookSecret string
}
