// Package migrations holds Mend's SQL schema migrations, embedded into the
// binary and applied at start by internal/postgres.Migrate.
//
// Files are named NNNN_name.sql and are never edited after they land: a
// change to the schema is always a new file.
package migrations

import "embed"

// FS holds every migration file.
//
//go:embed *.sql
var FS embed.FS
