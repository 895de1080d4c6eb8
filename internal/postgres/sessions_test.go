package postgres_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// TestSessionStore_CleanupRemovesExpiredSessionsUntilStopped: the store's
// cleanup removes expired sessions and keeps live ones; once stopped (twice
// is fine) it removes nothing more.
func TestSessionStore_CleanupRemovesExpiredSessionsUntilStopped(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	store := db.NewSessionStore(10*time.Millisecond, slog.New(slog.NewTextHandler(io.Discard, nil)))
	stored := func(token string) bool {
		t.Helper()
		var n int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM sessions WHERE token = $1`, token).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	commit := func(token string, expiry time.Time) {
		t.Helper()
		if err := store.CommitCtx(ctx, token, []byte(token), expiry); err != nil {
			t.Fatal(err)
		}
	}
	commit("expired", time.Now().Add(-time.Minute))
	commit("live", time.Now().Add(time.Hour))
	for deadline := time.Now().Add(5 * time.Second); stored("expired"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the cleanup did not remove an expired session")
		}
	}
	if b, found, err := store.FindCtx(ctx, "live"); err != nil || !found || string(b) != "live" {
		t.Fatalf("the live session: %q, found %v, %v", b, found, err)
	}

	store.StopCleanup()
	store.StopCleanup()
	commit("expired after stop", time.Now().Add(-time.Minute))
	time.Sleep(100 * time.Millisecond) // ten cleanup intervals
	if !stored("expired after stop") {
		t.Error("a stopped cleanup still removed a session")
	}
	if !stored("live") {
		t.Error("the cleanup removed a live session")
	}
}
