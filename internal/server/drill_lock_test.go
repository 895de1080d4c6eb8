package server

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// Drill: another connection holds a lock on one table (time together's)
// for 10 s. The pages that do not read it keep answering in time; the page
// that does gets the 503 page within the request deadline, and its query is
// gone from pg_stat_activity as soon as the page is answered: PostgreSQL
// ended it, so nothing of Mend's is left waiting behind the lock.
//
// Not parallel, like TestHTTP_BusyPoolOrHeldLockLeavesHealthzAndGives503InTime:
// its one-second deadline leaves no room for the other tests' load.
func TestDrill_HeldLockOnOneTableStopsOnlyItsPages(t *testing.T) {
	ctx := context.Background()
	const deadline = time.Second
	const held = 10 * time.Second
	url := pgtest.URL(t)
	db, err := postgres.OpenWith(ctx, url, postgres.Options{Timeout: deadline})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	app := newTestAppOn(t, db, map[string]string{"MEND_DB_TIMEOUT": deadline.String()})
	// Signed up without the short deadline (hashing on a busy machine may take
	// longer); Ana's session carries over to the Mend under test.
	ana, _ := pairUp(t, newTestAppOn(t, db, nil))
	ana.app = app
	others := []string{"/today", "/checkins", "/checkins/trends", "/triggers", "/commitments", "/talk", "/prompts", "/journal", "/progress"}
	for _, p := range append(others, "/time-together") {
		wantStatus(t, ana.get(p), http.StatusOK)
	}

	locker, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close(ctx)
	watcher, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close(ctx)
	tx, err := locker.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE time_together IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	var lockerPID int
	if err := tx.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&lockerPID); err != nil {
		t.Fatal(err)
	}

	var answered, refused int
	var slowest, slowestRefusal time.Duration
	for start := time.Now(); time.Since(start) < held; {
		for _, p := range others {
			res, took := ana.timedGet(p)
			if res.StatusCode != http.StatusOK || took > deadline {
				t.Fatalf("%s with time together's table locked: %d in %v\n%.500s", p, res.StatusCode, took, res.body)
			}
			answered++
			slowest = max(slowest, took)
		}
		res, took := ana.timedGet("/time-together")
		if res.StatusCode != http.StatusServiceUnavailable || took > deadline+500*time.Millisecond {
			t.Fatalf("time together with its table locked: %d in %v, want 503 within %v\n%.500s", res.StatusCode, took, deadline, res.body)
		}
		refused++
		slowestRefusal = max(slowestRefusal, took)
		// Nothing of Mend's waits behind the lock, or runs, once answered.
		var left int
		if err := watcher.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid NOT IN ($1, pg_backend_pid())
			  AND (wait_event_type = 'Lock' OR (state = 'active' AND query ILIKE '%time_together%'))`, lockerPID).Scan(&left); err != nil {
			t.Fatal(err)
		}
		if left != 0 {
			t.Fatalf("%d queries of Mend's still wait or run after the 503", left)
		}
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, ana.get("/time-together"), http.StatusOK)
	t.Logf("DRILL held lock: for %v, %d pages without the locked table answered (slowest %v); %d visits to the page that reads it got 503 (slowest %v, deadline %v), none left in pg_stat_activity",
		held, answered, slowest.Round(time.Millisecond), refused, slowestRefusal.Round(time.Millisecond), deadline)
}
