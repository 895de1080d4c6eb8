package postgres

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/mend-app/mend/migrations"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrate applies every pending migration. It holds a PostgreSQL session
// advisory lock while it works, so several processes starting at once apply
// each migration exactly once: the others wait, then find nothing to do.
// Its connections are its own, without the request limits of Pool's: a
// migration may wait for a table's lock or rewrite a table for longer than
// a request may take (up to 30s a statement, as before those limits). They
// go to Options.MigrateURL when it is set.
func (db *DB) Migrate(ctx context.Context, log *slog.Logger) error {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return err
	}
	cc := db.Pool.Config().ConnConfig.Copy()
	if db.migrate != nil {
		cc = db.migrate.Copy()
	}
	// Explicit values, not absent ones: behind PgBouncer the request limits
	// are set on the database role (see README.md), and a start-up
	// parameter overrides the role's setting.
	cc.RuntimeParams["lock_timeout"] = "0"
	cc.RuntimeParams["statement_timeout"] = "30000"
	sqlDB := stdlib.OpenDB(*cc)
	defer sqlDB.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS,
		goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "file", r.Source.Path, "took", r.Duration)
	}
	return nil
}
