package postgres_test

import (
	"bytes"
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
// migrating processes started by TestMigrate_FiveProcessesAtOnce.
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

// Five Mend processes starting at once on an empty database (a deploy of
// five replicas) apply each migration once, under the advisory lock.
func TestMigrate_FiveProcessesAtOnce(t *testing.T) {
	t.Parallel()
	url := pgtest.EmptyURL(t)
	const processes = 5
	var wg sync.WaitGroup
	outs := make([][]byte, processes)
	errs := make([]error, processes)
	for i := range processes {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "MEND_MIGRATE_HELPER_URL="+url)
			outs[i], errs[i] = cmd.CombinedOutput()
		})
	}
	wg.Wait()
	applied := 0
	for i := range processes {
		if errs[i] != nil {
			t.Fatalf("process %d: %v\n%s", i, errs[i], outs[i])
		}
		applied += strings.Count(string(outs[i]), "migration applied")
	}
	// Each migration was applied once, by whichever process held the lock;
	// the others found it done.
	files, _ := fs.Glob(migrations.FS, "*.sql")
	if applied != len(files) {
		t.Fatalf("migrations applied %d times in all, want %d:\n%s", applied, len(files), bytes.Join(outs, []byte("\n---\n")))
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
	ctx := context.Background()
	db := pgtest.NewDB(t) // already migrated from the template
	versions := func() (n int) {
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM goose_db_version`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := versions()
	var log bytes.Buffer
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(&log, nil))); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(log.String(), "migration applied") || versions() != before {
		t.Fatalf("a second run changed something: %d versions before, %d after\n%s", before, versions(), log.String())
	}
}
