package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// timed is a GET with how long it took.
func (b *browser) timedGet(path string) (*response, time.Duration) {
	b.t.Helper()
	start := time.Now()
	res := b.get(path)
	return res, time.Since(start)
}

// With every connection of the pages' pool busy, /healthz still answers at
// once; a page that cannot get a connection, or waits for a lock held
// elsewhere, gets the 503 page within its deadline, and the lock wait is
// ended by PostgreSQL's lock_timeout rather than by the deadline.
//
// Not parallel: the pool of two and the one-second deadline leave no room
// for the load of the package's parallel tests.
func TestHTTP_BusyPoolOrHeldLockLeavesHealthzAndGives503InTime(t *testing.T) {
	ctx := context.Background()
	const maxConns = 2
	const deadline = time.Second
	url := pgtest.URL(t)
	db, err := postgres.OpenWith(ctx, url, postgres.Options{MaxConns: maxConns, Timeout: deadline})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	logs := &syncBuffer{}
	app := newTestAppLogging(t, db, map[string]string{"MEND_DB_TIMEOUT": deadline.String()}, logs)
	// The couple signs up through a Mend with the usual deadline on the same
	// database: password hashing on a busy machine may take longer than one
	// second, and it is not what this test is about. Ana's session carries over.
	ana, _ := pairUp(t, newTestAppOn(t, db, nil))
	ana.app = app
	visitor := app.browser()
	wantStatus(t, ana.get("/today"), http.StatusOK)

	// 1. Every connection of the pool held (by slow work elsewhere).
	var held []*pgxpool.Conn
	release := func() {
		for _, c := range held {
			c.Release()
		}
		held = nil
	}
	defer release() // before db.Close, which waits for them
	for range maxConns {
		c, err := db.Pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	res, took := visitor.timedGet("/healthz")
	wantStatus(t, res, http.StatusOK)
	if took > deadline/2 {
		t.Errorf("/healthz took %v with the pool busy", took)
	}
	res, took = ana.timedGet("/today")
	wantStatus(t, res, http.StatusServiceUnavailable)
	if !strings.Contains(res.body, "Mend is taking a moment") || took > deadline+time.Second {
		t.Errorf("a page with the pool busy: %v\n%.500s", took, res.body)
	}
	release()
	wantStatus(t, ana.get("/today"), http.StatusOK)

	// 2. A lock every page waits for (the sessions table), held by another
	// connection: each page connection waits on it.
	locker, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close(ctx)
	tx, err := locker.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var pages []time.Duration
	for range maxConns {
		wg.Go(func() {
			res, took := ana.timedGet("/today")
			if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(res.body, "Mend is taking a moment") {
				t.Errorf("a page waiting for the lock: %d\n%.500s", res.StatusCode, res.body)
			}
			mu.Lock()
			pages = append(pages, took)
			mu.Unlock()
		})
	}
	// Once both page connections wait for the lock, the health check still answers.
	waiting := 0
	for end := time.Now().Add(deadline); waiting < maxConns && time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		tx.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting)
	}
	if waiting < maxConns {
		t.Fatalf("%d page connections waited for the lock, want %d", waiting, maxConns)
	}
	res, took = visitor.timedGet("/healthz")
	wantStatus(t, res, http.StatusOK)
	if took > deadline/4 {
		t.Errorf("/healthz took %v while every page connection waited for a lock", took)
	}
	wg.Wait()
	for _, took := range pages {
		if took > deadline+time.Second {
			t.Errorf("a page waiting for the lock answered after %v (deadline %v)", took, deadline)
		}
	}
	// PostgreSQL ended the waits (lock_timeout, half the deadline), not the
	// request's deadline.
	timeouts := 0
	for _, line := range strings.Split(logs.String(), "\n") {
		var e struct{ Msg, Error string }
		if json.Unmarshal([]byte(line), &e) == nil && e.Msg == "database unavailable" && strings.Contains(e.Error, "SQLSTATE 55P03") {
			timeouts++
		}
	}
	if timeouts != maxConns {
		t.Errorf("%d pages ended by lock_timeout, want %d:\n%s", timeouts, maxConns, logs.String())
	}
	tx.Rollback(ctx)
	wantStatus(t, ana.get("/today"), http.StatusOK)
}
