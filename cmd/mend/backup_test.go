package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/pglocal"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/seed"
)

// `mend backup` of a seeded database, restored as README.md says into a
// fresh cluster, holds the same rows: the same count in every table and
// the same checksum of every couple's rows in every table keyed by couple.
func TestBackup_RestoresIntoAFreshClusterWithEveryRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)
	src, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := seed.Run(ctx, src.Pool, seed.Options{Couples: 4, Therapists: 1, PerTherapist: 4, Seed: 1, Prefix: "backup"}); err != nil {
		t.Fatalf("seed: %v", err)
	}

	tmp := t.TempDir()
	os.Chmod(tmp, 0o755) // as root the fresh cluster runs as postgres, who must pass through
	os.Chmod(filepath.Dir(tmp), 0o755)
	file := filepath.Join(tmp, "mend.dump")
	cmd := mendProcess(t, "DATABASE_URL="+url, "MEND_TEST_ARGS=backup -o "+file)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Wrote "+file) {
		t.Fatalf("mend backup: %v\n%s", err, out)
	}
	if _, err := os.Stat(file + ".partial"); !os.IsNotExist(err) {
		t.Fatalf("the partial file is left behind: %v", err)
	}

	fresh, _, err := pglocal.Start(ctx, pglocal.Options{Dir: filepath.Join(tmp, "pg"), Throwaway: true})
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Stop()
	if err := fresh.EnsureDatabase(ctx, "mend"); err != nil {
		t.Fatal(err)
	}
	bin, err := pglocal.BinDir()
	if err != nil {
		t.Fatal(err)
	}
	restore := exec.Command(filepath.Join(bin, "pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--dbname="+fresh.URL("mend"), file)
	if out, err := restore.CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}

	want, got := contents(t, url), contents(t, fresh.URL("mend"))
	for _, table := range []string{"rows in checkins", "rows in triggers", "rows in commitment_logs", "rows in comfort_plans", "rows in therapy_sessions", "rows in users"} {
		if want[table] == "0" || want[table] == "" {
			t.Errorf("the seeded database has no %s: the comparison would prove little", table)
		}
	}
	if len(want) != len(got) {
		t.Errorf("%d figures before, %d after", len(want), len(got))
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %s before the backup, %s after the restore", k, v, got[k])
		}
	}

	// The restored database is Mend's, migrated: starting on it applies nothing.
	db, err := postgres.Open(ctx, fresh.URL("mend"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var log strings.Builder
	if err := db.Migrate(ctx, slog.New(slog.NewTextHandler(&log, nil))); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(log.String(), "migration applied") {
		t.Fatalf("migrations applied again on the restored database:\n%s", log.String())
	}
}

// contents is, for each table of the database at url, its row count
// ("rows in T"), and for each couple in each table keyed by couple_id, a
// checksum of that couple's rows ("T, couple N").
func contents(t *testing.T, url string) map[string]string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT t.table_name, EXISTS (SELECT 1 FROM information_schema.columns c
		WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'couple_id')
		FROM information_schema.tables t WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	type table struct {
		name    string
		coupled bool
	}
	var tables []table
	for rows.Next() {
		var tb table
		if err := rows.Scan(&tb.name, &tb.coupled); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, tb)
	}
	if rows.Err() != nil || len(tables) < 20 {
		t.Fatalf("tables: %v (%d)", rows.Err(), len(tables))
	}
	m := map[string]string{}
	for _, tb := range tables {
		id := pgx.Identifier{tb.name}.Sanitize()
		var n int64
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		m["rows in "+tb.name] = fmt.Sprint(n)
		if !tb.coupled {
			continue
		}
		rows, err := conn.Query(ctx, `SELECT x.couple_id, md5(string_agg(x::text, E'\n' ORDER BY x::text)) FROM `+id+` x GROUP BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		var couple int64
		var sum string
		_, err = pgx.ForEachRow(rows, []any{&couple, &sum}, func() error {
			m[fmt.Sprintf("%s, couple %d", tb.name, couple)] = sum
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func TestBackup_URLKeepsOnlyWhatLibpqKnows(t *testing.T) {
	got := libpqURL("postgres://mend@db:5432/mend?sslmode=require&pool_max_conns=20&default_query_exec_mode=exec")
	if got != "postgres://mend@db:5432/mend?sslmode=require" {
		t.Fatalf("got %s", got)
	}
}
