package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// A backend terminated under a transaction (as by a failover, a restart or
// pg_terminate_backend) is Unavailable, a 503, not an internal error.
func TestInTx_TerminatedBackendIsUnavailable(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var pid int
		if err := tx.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
			t.Fatalf("backend pid: %v", err)
		}
		var ok bool
		if err := db.Pool.QueryRow(ctx, `SELECT pg_terminate_backend($1)`, pid).Scan(&ok); err != nil || !ok {
			t.Fatalf("terminate backend %d: %v %v", pid, ok, err)
		}
		_, err := tx.Exec(ctx, `SELECT 1`)
		return err
	})
	if code := mend.ErrorCode(err); code != mend.Unavailable {
		t.Fatalf("after the backend was terminated: %v (code %q), want %q", err, code, mend.Unavailable)
	}
	// The pool recovers: the next statement gets a new connection.
	if err := db.Ping(ctx); err != nil {
		t.Fatalf("ping after the termination: %v", err)
	}
}
