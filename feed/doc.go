// Package feed fetches podcast feeds over HTTP and parses RSS and Atom into hark types.
//
// Fetching is a conditional GET with an SSRF guard, a per-host concurrency cap, a body size limit
// counted after decompression and one total timeout (see Fetcher). Parsing repairs what real feeds
// get wrong before handing the bytes to gofeed: byte order marks, wrong or missing charset
// declarations, junk before the root element, HTML entities, bare ampersands, illegal control
// characters, odd namespace spellings and truncated documents (see Parse). The package knows
// nothing of storage: it returns hark.Feed values and typed errors.
package feed
