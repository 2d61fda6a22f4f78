package artwork

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
)

// The sizes Hark serves, in pixels a side: every copy is square and exactly this size, so pages
// and OpenGraph tags can state width and height without reading the image.
const (
	Small = 300 // thumbnails: lists, search results, the API's thumbnail field
	Large = 600 // a show's or an episode's own page, OpenGraph and Twitter cards
)

// Sizes are the sizes Hark stores and serves, smallest first.
var Sizes = [...]int{Small, Large}

// ValidSize reports whether Hark serves copies of this size.
func ValidSize(size int) bool { return size == Small || size == Large }

// Key names the artwork fetched from sourceURL: the first 32 hex characters of its SHA-256.
// A feed that changes its image URL gets a new key, hence new artwork URLs that browsers and
// proxies have never cached, while the bytes under one key never change once fetched. Postgres
// computes the same key (db.artworkKeySQL), so the two must stay in step.
func Key(sourceURL string) string {
	sum := sha256.Sum256([]byte(sourceURL))
	return hex.EncodeToString(sum[:16])
}

var keyPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// ValidKey reports whether key has the shape Key gives.
func ValidKey(key string) bool { return keyPattern.MatchString(key) }
