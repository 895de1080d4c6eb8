package postgres_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
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

// TestSessionStore_ASignedOutSessionIsNotWrittenBack: a session its owner
// signed out from another browser stays out, even when a request of its own
// that was in flight saves it afterwards; the row keeps its user, when it
// began and its device, read from the session's data.
func TestSessionStore_ASignedOutSessionIsNotWrittenBack(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	var userID int64
	if err := db.Pool.QueryRow(ctx, `INSERT INTO users (email, email_key, name, password_hash, time_zone)
		VALUES ('a@example.org', 'a@example.org', 'A', 'x', 'UTC') RETURNING id`).Scan(&userID); err != nil {
		t.Fatal(err)
	}
	store := db.NewSessionStore(0, slog.New(slog.NewTextHandler(io.Discard, nil)))
	began := time.Now().Add(-time.Hour).Truncate(time.Microsecond)
	data, err := (mend.SessionCodec{}).Encode(time.Now().Add(time.Hour), map[string]any{
		mend.SessionUserKey: userID, mend.SessionAuthAtKey: began.UnixMicro(), mend.SessionSeenAtKey: time.Now().Unix(),
		mend.SessionDeviceKey: "Firefox on Android"})
	if err != nil {
		t.Fatal(err)
	}
	expiry := time.Now().Add(time.Hour)
	if err := store.CommitCtx(ctx, "phone", data, expiry); err != nil {
		t.Fatal(err)
	}
	list, err := db.LoginSessions(ctx, userID, 0, began, time.Now().Add(-time.Minute))
	if err != nil || len(list) != 1 || list[0].Device != "Firefox on Android" || !list[0].StartedAt.Equal(began) {
		t.Fatalf("sessions: %+v, %v", list, err)
	}
	// Begun before the password changed: not listed.
	if l, _ := db.LoginSessions(ctx, userID, 0, began.Add(time.Microsecond), time.Now().Add(-time.Minute)); len(l) != 0 {
		t.Fatalf("a session from before the password change is listed: %+v", l)
	}
	if err := db.EndLoginSession(ctx, userID+1, list[0].ID); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("another user ending it: %v", err)
	}
	if err := db.EndLoginSession(ctx, userID, list[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := store.CommitCtx(ctx, "phone", data, expiry); err != nil {
		t.Fatal(err)
	}
	if _, found, err := store.FindCtx(ctx, "phone"); err != nil || found {
		t.Fatalf("the signed-out session after a late save: found %v, %v", found, err)
	}
	if l, _ := db.LoginSessions(ctx, userID, 0, began, time.Now().Add(-time.Minute)); len(l) != 0 {
		t.Fatalf("a signed-out session is listed: %+v", l)
	}
	// Deleting the user deletes the row (sessions.user_id cascades).
	if _, err := db.Pool.Exec(ctx, `DELETE FROM users WHERE id = $1`, userID); err != nil {
		t.Fatal(err)
	}
	var n int
	db.Pool.QueryRow(ctx, `SELECT count(*) FROM sessions`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d session rows left after deleting the user", n)
	}
}
