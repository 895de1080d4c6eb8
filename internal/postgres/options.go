package postgres

import (
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Option changes the pool's configuration before Open connects.
type Option func(*pgxpool.Config)

// WithTracer installs t on every connection of the pool. pgx also calls
// whichever of its other tracer interfaces t implements (BatchTracer,
// CopyFromTracer, PrepareTracer, and pgxpool's AcquireTracer and
// ReleaseTracer). Tests use it to count round trips.
func WithTracer(t pgx.QueryTracer) Option {
	return func(c *pgxpool.Config) { c.ConnConfig.Tracer = t }
}
