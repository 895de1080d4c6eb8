package postgres_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// Attempts begun at the same moment for one account are counted one after
// the other: no more than the limit are let through, whatever the timing.
func TestBeginAttempt_ParallelAttemptsStopAtTheLimit(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	const n, limit = 40, 5
	now := time.Now()
	key := []byte("an account")
	var wg sync.WaitGroup
	var mu sync.Mutex
	begun := 0
	for i := range n {
		wg.Go(func() {
			_, throttled, err := db.BeginAttempt(ctx, mend.PasswordOf{EmailKey: "nobody@example.org"}, key,
				"198.51.100."+strconv.Itoa(i), now, now.Add(-time.Minute), limit, 1000)
			if err != nil {
				t.Error(err)
				return
			}
			if !throttled {
				mu.Lock()
				begun++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	account, _, err := db.CountLoginFailures(ctx, key, "", now.Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if begun != limit || account != limit {
		t.Fatalf("%d attempts begun, %d recorded; want %d of each", begun, account, limit)
	}
}

// An attempt finds the account it checks, by email or by id, and an
// unknown email finds none but is recorded all the same.
func TestBeginAttempt_FindsTheAccountItChecks(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	u, err := db.CreateUser(ctx, "Kai@example.org", "kai@example.org", "Kai", "the hash", "UTC", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, of := range []mend.PasswordOf{{EmailKey: "kai@example.org"}, {UserID: u.ID}} {
		a, throttled, err := db.BeginAttempt(ctx, of, []byte("kai"), "192.0.2.1", now, now.Add(-time.Minute), 10, 10)
		if err != nil || throttled {
			t.Fatalf("%+v: throttled %v, %v", of, throttled, err)
		}
		if a.ID == 0 || a.User == nil || a.User.ID != u.ID || a.Hash != "the hash" {
			t.Fatalf("%+v: %+v", of, a)
		}
	}
	a, _, err := db.BeginAttempt(ctx, mend.PasswordOf{EmailKey: "ghost@example.org"}, []byte("ghost"), "192.0.2.1", now, now.Add(-time.Minute), 10, 10)
	if err != nil || a.ID == 0 || a.User != nil || a.Hash != "" {
		t.Fatalf("unknown email: %+v, %v", a, err)
	}
}
