package postgres_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// Sign-ups sent at the same moment from one address are counted one after
// the other: no more than the limit are let through.
func TestBeginSignUp_ParallelSignUpsStopAtTheLimit(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	const n, limit = 30, 4
	now := time.Now()
	l := mend.SignUpLimits{FailuresSince: now.Add(-time.Minute), MaxFailures: 100, SignUpsSince: now.Add(-time.Hour), MaxSignUps: limit}
	var wg sync.WaitGroup
	var mu sync.Mutex
	begun := 0
	for range n {
		wg.Go(func() {
			failures, signUps, err := db.BeginSignUp(ctx, "192.0.2.1", now, l)
			if err != nil || failures {
				t.Errorf("sign-up: failures %v, %v", failures, err)
				return
			}
			if !signUps {
				mu.Lock()
				begun++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	var recorded int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM signup_attempts WHERE client_key = '192.0.2.1'`).Scan(&recorded); err != nil {
		t.Fatal(err)
	}
	if begun != limit || recorded != limit {
		t.Fatalf("%d sign-ups let through, %d recorded; want %d of each", begun, recorded, limit)
	}
	// Another address has its own count; an address with too many log-in
	// failures is refused for that reason, and nothing is recorded.
	if failures, signUps, err := db.BeginSignUp(ctx, "192.0.2.2", now, l); err != nil || failures || signUps {
		t.Fatalf("another address: %v %v %v", failures, signUps, err)
	}
	l.MaxFailures = 1
	if err := db.RecordLoginFailure(ctx, []byte("someone"), "192.0.2.3", now); err != nil {
		t.Fatal(err)
	}
	if failures, signUps, err := db.BeginSignUp(ctx, "192.0.2.3", now, l); err != nil || !failures || signUps {
		t.Fatalf("address with failures: %v %v %v", failures, signUps, err)
	}
	if n, err := db.DeleteSignUpsBefore(ctx, now); err != nil || n != limit+1 {
		t.Fatalf("deleted %d, %v; want %d", n, err, limit+1)
	}
}
