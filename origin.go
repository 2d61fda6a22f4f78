package hark

// Origin says who submitted a feed, for the daily caps on submissions.
type Origin struct {
	APIKeyID int64  // the API key the request carried; 0 for the web form and keyless requests
	Addr     string // the client's address, as the rate limits key it
}
