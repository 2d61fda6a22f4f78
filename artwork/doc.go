// Package artwork turns podcast cover art into the copies Hark serves: it names a source image
// by a key derived from its URL, decodes JPEG, PNG, GIF and WebP, crops it square and scales it
// to the served sizes as JPEG, and draws the placeholder shown when there is no image or it
// could not be fetched. It does no I/O: package jobs fetches and stores, package http serves.
package artwork
