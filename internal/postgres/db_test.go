package postgres_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// show returns a setting as one of db's pool connections has it.
func show(t *testing.T, db *postgres.DB, name string) string {
	t.Helper()
	var v string
	if err := db.Pool.QueryRow(context.Background(), "SELECT current_setting($1)", name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpen_PoolSizedFromTheCPUsWithTimeoutsWithinTheRequestDeadline(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := pgtest.URL(t)

	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if want := int32(max(4, 4*runtime.GOMAXPROCS(0))); db.Pool.Config().MaxConns != want || postgres.DefaultMaxConns() != want {
		t.Fatalf("default pool: %d connections, want %d", db.Pool.Config().MaxConns, want)
	}
	// The default request deadline is 5s.
	if lock, stmt := show(t, db, "lock_timeout"), show(t, db, "statement_timeout"); lock != "2500ms" || stmt != "4s" {
		t.Fatalf("default: lock_timeout %s, statement_timeout %s; want 2500ms and 4s", lock, stmt)
	}

	db2, err := postgres.OpenWith(ctx, url, postgres.Options{MaxConns: 3, Timeout: 1200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if db2.Pool.Config().MaxConns != 3 {
		t.Fatalf("MaxConns 3: %d", db2.Pool.Config().MaxConns)
	}
	if lock, stmt := show(t, db2, "lock_timeout"), show(t, db2, "statement_timeout"); lock != "600ms" || stmt != "960ms" {
		t.Fatalf("1.2s deadline: lock_timeout %s, statement_timeout %s; want 600ms and 960ms", lock, stmt)
	}

	// Never 0 (no limit), never past the deadline, a lock wait shorter than
	// a statement.
	for _, d := range []time.Duration{time.Millisecond, 3 * time.Millisecond, time.Second, time.Minute} {
		lock, stmt := postgres.SessionTimeouts(d)
		if lock < time.Millisecond || stmt > d || lock > stmt || (d >= 3*time.Millisecond && lock == stmt) {
			t.Errorf("deadline %v: lock %v, statement %v", d, lock, stmt)
		}
	}
}

// TestInTx_ValuesPostgreSQLCannotStoreAreInvalid: a NUL byte in text, an
// integer out of range or an impossible date, refused by PostgreSQL itself
// (class 22), are the sender's to fix (Invalid), not a server fault.
func TestInTx_ValuesPostgreSQLCannotStoreAreInvalid(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	for _, c := range []struct {
		sql string
		arg any
	}{
		{`SELECT $1::text`, "a\x00b"},
		{`SELECT $1::text::int`, "99999999999999999999"},
		{`SELECT $1::text::date`, "2026-02-30"},
	} {
		err := db.InTx(context.Background(), func(tx pgx.Tx) error {
			var s string
			return tx.QueryRow(context.Background(), c.sql+`::text`, c.arg).Scan(&s)
		})
		if mend.ErrorCode(err) != mend.Invalid {
			t.Errorf("%s with %q: %v (code %s), want Invalid", c.sql, c.arg, err, mend.ErrorCode(err))
		}
	}
}
