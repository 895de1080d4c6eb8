// Package pgtest gives each test a database of its own on a real, throwaway
// PostgreSQL cluster: the cluster is started once (shared by every test
// process of a run), a template database is migrated once, and each test gets
// a clone of it (CREATE DATABASE … TEMPLATE …), so tests run in parallel.
//
// The cluster lives in $MEND_TEST_PGDIR, or in <tmp>/mend-test-postgres when
// that is unset. `make test` points it at a fresh folder and stops the cluster
// afterwards; a plain `go test` reuses a running one.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/mend-app/mend/internal/pglocal"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/migrations"
)

type state struct {
	cluster  *pglocal.Cluster
	admin    *pgxpool.Pool
	template string
}

var setup = sync.OnceValues(func() (*state, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dir := os.Getenv("MEND_TEST_PGDIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "mend-test-postgres")
	}
	c, _, err := pglocal.Start(ctx, pglocal.Options{Dir: dir, Throwaway: true})
	if err != nil {
		return nil, fmt.Errorf("start test cluster: %w", err)
	}
	cfg, err := pgxpool.ParseConfig(c.URL("postgres"))
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = 4
	admin, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	s := &state{cluster: c, admin: admin}
	if s.template, err = s.ensureTemplate(ctx); err != nil {
		return nil, err
	}
	return s, nil
})

// ensureTemplate creates the migrated template database once per version of
// the migrations. Processes take turns under an advisory lock; the template
// is built under a temporary name and renamed when complete, so a crash
// never leaves a half-migrated template behind.
func (s *state) ensureTemplate(ctx context.Context) (string, error) {
	name := "mend_template_" + migrationsHash()[:12]
	conn, err := s.admin.Acquire(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(7311)`); err != nil {
		return "", err
	}
	defer conn.Exec(context.Background(), `SELECT pg_advisory_unlock(7311)`)

	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+ident(building)); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+ident(building)); err != nil {
		return "", err
	}
	db, err := postgres.Open(ctx, s.cluster.URL(building))
	if err != nil {
		return "", err
	}
	err = db.Migrate(ctx, slog.New(slog.DiscardHandler))
	db.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, `ALTER DATABASE `+ident(building)+` RENAME TO `+ident(name)); err != nil {
		return "", err
	}
	return name, nil
}

func migrationsHash() string {
	h := sha256.New()
	_ = fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		fmt.Fprintf(h, "%s\x00%s\x00", path, b)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))
}

func ident(s string) string { return pgx.Identifier{s}.Sanitize() }

func mustSetup(t testing.TB) *state {
	t.Helper()
	s, err := setup()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return s
}

// createDB makes a new database from template and drops it when t ends.
func createDB(t testing.TB, template string) string {
	t.Helper()
	s := mustSetup(t)
	var b [8]byte
	_, _ = rand.Read(b[:])
	name := "test_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	if _, err := s.admin.Exec(ctx, `CREATE DATABASE `+ident(name)+` TEMPLATE `+ident(template)); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := s.admin.Exec(context.Background(), `DROP DATABASE IF EXISTS `+ident(name)+` WITH (FORCE)`); err != nil {
			t.Logf("pgtest: drop %s: %v", name, err)
		}
	})
	return s.cluster.URL(name)
}

// URL returns the connection URL of a new, migrated database for t.
func URL(t testing.TB) string {
	t.Helper()
	return createDB(t, mustSetup(t).template)
}

// EmptyURL returns the connection URL of a new database with no schema.
func EmptyURL(t testing.TB) string {
	t.Helper()
	return createDB(t, "template0")
}

// NewDB returns a store on a new, migrated database for t, closed when t
// ends.
func NewDB(t testing.TB) *postgres.DB {
	t.Helper()
	return NewDBWith(t, postgres.Options{})
}

// NewDBWith is NewDB with options for the store (such as a Tracer).
func NewDBWith(t testing.TB, opts postgres.Options) *postgres.DB {
	t.Helper()
	db, err := postgres.OpenWith(context.Background(), URL(t), opts)
	if err != nil {
		t.Fatalf("pgtest: open: %v", err)
	}
	t.Cleanup(db.Close)
	return db
}
