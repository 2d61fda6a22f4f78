// Package migrations embeds Hark's SQL migrations (goose format) so `hark migrate` needs no
// files on disk. River's own tables come from rivermigrate, not from here.
package migrations

import "embed"

// FS holds the numbered migration files.
//
//go:embed *.sql
var FS embed.FS
