package postgres_test

import (
	"context"
	"crypto/sha256"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// Two requests with one link at once: one sets the password, the other
// finds the link used.
func TestResets_ALinkWorksOnceEvenAtOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	u, err := db.CreateUser(ctx, "ana@example.org", "ana@example.org", "Ana", "old-hash", "UTC", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	hash := sha256.Sum256([]byte("token"))
	throttled, sent, err := db.RequestPasswordReset(ctx, mend.ResetRequest{AccountKey: []byte("k"), ClientKey: "c", EmailKey: u.Email,
		At: now, Since: now.Add(-time.Hour), MaxAccount: 3, MaxClient: 20, TokenHash: hash[:], ExpiresAt: now.Add(30 * time.Minute),
		Subject: "s", Body: "b"})
	if err != nil || throttled || !sent {
		t.Fatalf("request: %v %v %v", throttled, sent, err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() { _, errs[i] = db.UsePasswordReset(ctx, hash[:], now, "new-hash") })
	}
	wg.Wait()
	ok, used := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case mend.ErrorCode(err) == mend.NotFound:
			used++
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || used != 1 {
		t.Fatalf("%d succeeded, %d found the link used: want one each", ok, used)
	}
	if _, err := db.PasswordResetUser(ctx, hash[:], now); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("a used link still finds its account: %v", err)
	}
}
