package hark

import "time"

// APIKey is a developer's key to the API. Only a hash of the key is stored; the key itself is
// shown once, when it is created.
type APIKey struct {
	ID           int64
	Prefix       string // first characters of the key, to tell keys apart in listings
	Name         string
	MonthlyQuota int // requests per calendar month; 0 means unlimited
	// RateLimit is the requests per second the key may send; 0 takes the server's default
	// (RATE_KEY_PER_SECOND). A plan may set it.
	RateLimit int
	// Plan names the key's plan (a hark.Plans entry); its own MonthlyQuota and RateLimit, when
	// not 0, take precedence over the plan's.
	Plan      string
	CreatedAt time.Time
	RevokedAt time.Time
}
