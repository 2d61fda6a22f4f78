// Package hark holds Hark's domain types: podcasts, episodes, search queries and the sentinel
// errors that every other package speaks. It imports nothing from this module.
//
// Hark is a podcast search engine and podcast database with a Listen API v2 compatible developer
// API. Feeds are crawled by River jobs (package jobs) into Postgres (package db), indexed into
// Typesense (package search) and served by one chi server (package http).
package hark

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
)

// NewID returns a new random public ID: 32 lowercase hex characters, the shape Listen API IDs have.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never returns an error on Linux.
	return hex.EncodeToString(b[:])
}

var idPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// ValidID reports whether id has the shape of a Hark public ID.
func ValidID(id string) bool { return idPattern.MatchString(id) }
