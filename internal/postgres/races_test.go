package postgres_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// Writes that lock rows and then check and write in the statement after
// the lock, called at the same moment with no password hashing between
// them, so that they really meet at the lock.

func newUser(t *testing.T, db *postgres.DB, name string) *mend.User {
	t.Helper()
	email := name + "@example.org"
	u, err := db.CreateUser(context.Background(), email, email, name, "hash", "UTC", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Becoming a therapist and starting a space at once: exactly one wins.
func TestBecomeTherapistAndCreateCouple_AtOnceOnlyOneWins(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	for i := range 10 {
		u := newUser(t, db, "both"+strconv.Itoa(i))
		var errTherapist, errCouple error
		var wg sync.WaitGroup
		wg.Go(func() { _, errTherapist = db.BecomeTherapist(ctx, u.ID, "Dr. Both") })
		wg.Go(func() { _, errCouple = db.CreateCouple(ctx, u.ID, nil, nil) })
		wg.Wait()
		if (errTherapist == nil) == (errCouple == nil) {
			t.Fatalf("round %d: becoming a therapist: %v; starting a space: %v; want exactly one to succeed", i, errTherapist, errCouple)
		}
	}
}

// Both partners leaving at once end the link and cancel every open
// invite, including one made by nobody who is still there.
func TestLeave_BothAtOnceEndEverything(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	ctx := context.Background()
	now := time.Now()
	for i := range 5 {
		n := strconv.Itoa(i)
		a, b := newUser(t, db, "a"+n), newUser(t, db, "b"+n)
		access, err := db.CreateCouple(ctx, a.ID, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateInvite(ctx, access, mend.InvitePartner, []byte("join"+n), now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		joined, err := db.JoinCouple(ctx, b.ID, []byte("join"+n), now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Pool.Exec(ctx, `INSERT INTO invites (couple_id, kind, token_hash, expires_at) VALUES ($1, 'therapist', $2, $3)`,
			access.CoupleID(), []byte("orphan"+n), now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for _, p := range []mend.PartnerAccess{access, joined} {
			wg.Go(func() {
				if err := db.Leave(ctx, p); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		var open int
		if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM invites WHERE couple_id = $1 AND used_at IS NULL AND revoked_at IS NULL`,
			access.CoupleID()).Scan(&open); err != nil {
			t.Fatal(err)
		}
		if open != 0 {
			t.Fatalf("round %d: %d invites still open after both left at once", i, open)
		}
	}
}
