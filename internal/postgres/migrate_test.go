package postgres_test

import (
	"context"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/migrations"
)

// When MEND_MIGRATE_HELPER_URL is set, this test binary is one of the
// migrating processes started by TestMigrate_TwoProcessesAtOnce.
func TestMain(m *testing.M) {
	if url := os.Getenv("MEND_MIGRATE_HELPER_URL"); url != "" {
		ctx := context.Background()
		db, err := postgres.Open(ctx, url)
		if err == nil {
			err = db.Migrate(ctx, slog.New(slog.NewTextHandler(os.Stderr, nil)))
			db.Close()
		}
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestMigrate_TwoProcessesAtOnce(t *testing.T) {
	t.Parallel()
	url := pgtest.EmptyURL(t)
	var wg sync.WaitGroup
	outs := make([][]byte, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "MEND_MIGRATE_HELPER_URL="+url)
			outs[i], errs[i] = cmd.CombinedOutput()
		})
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("process %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	// Exactly one process applied each migration; the other found none to do.
	applied := strings.Count(string(outs[0]), "migration applied") + strings.Count(string(outs[1]), "migration applied")
	files, _ := fs.Glob(migrations.FS, "*.sql")
	if applied != len(files) {
		t.Fatalf("migrations applied %d times in all, want %d:\n%s\n---\n%s", applied, len(files), outs[0], outs[1])
	}

	ctx := context.Background()
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows, distinct int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*), count(DISTINCT version_id) FROM goose_db_version WHERE version_id > 0`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != len(files) || distinct != len(files) {
		t.Fatalf("goose_db_version has %d rows (%d distinct), want %d", rows, distinct, len(files))
	}
	var users bool
	db.Pool.QueryRow(ctx, `SELECT to_regclass('users') IS NOT NULL`).Scan(&users)
	if !users {
		t.Fatal("schema not applied")
	}
}

func TestMigrate_SecondRunDoesNothing(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t) // already migrated from the template
	if err := db.Migrate(context.Background(), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
}
