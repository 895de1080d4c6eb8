package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// The row locks that serialise writes, shared by every file of the store.
// Lock order everywhere: invite, couple, user (and a partner's membership).

const lockMembershipSQL = `
SELECT id FROM couple_members WHERE couple_id = $1 AND user_id = $2 AND left_at IS NULL FOR UPDATE`

// lockMembership locks partner a's membership row inside tx, serialising
// a's writes to their couple; NotFound (no rows) when a is no partner of it.
func lockMembership(ctx context.Context, tx pgx.Tx, a mend.PartnerAccess) error {
	var id int64
	return tx.QueryRow(ctx, lockMembershipSQL, a.CoupleID(), a.UserID()).Scan(&id)
}

// queueLockMembership queues lockMembership in b: the batch fails with
// NotFound (no rows) when a is no partner of the couple, and the
// statements after it run under the lock.
func queueLockMembership(b *pgx.Batch, a mend.PartnerAccess) {
	b.Queue(lockMembershipSQL, a.CoupleID(), a.UserID()).QueryRow(func(r pgx.Row) error {
		var id int64
		return r.Scan(&id)
	})
}

// lockUserSQL locks a user's row for the rest of the transaction and reads
// their professional name: partnerNow checks, after the lock, that they are
// not a therapist. Becoming a therapist takes the same lock first, so an
// upgrade and a join at the same moment cannot both succeed.
const lockUserSQL = `SELECT coalesce(professional_name, '') FROM users WHERE id = $1 FOR UPDATE`

// lockCoupleSQL locks a couple: joining, leaving, inviting, agreeing to a
// therapist and writing one's starting words take it first.
const lockCoupleSQL = `SELECT id FROM couples WHERE id = $1 FOR UPDATE`

// membershipChanged forgets the membership found with the request's
// session: whoever starts, joins or leaves a space is looked up afresh.
func membershipChanged(ctx context.Context) {
	if slot := mend.SessionUserOf(ctx); slot != nil {
		slot.Membership = nil
	}
}

// lockedForm opens a statement that writes for partner $2 of couple $1 in
// one round trip: m locks their membership (no row: no partner of it), and
// f records the create form's key $3 (NULL: none) for a partner only. The
// statement's own write goes on where formFresh holds: a partner, whose
// key, if any, was not used before. Rolled back with the statement, f
// records nothing when the write fails.
const lockedForm = `WITH m AS MATERIALIZED (` + lockMembershipSQL + `),
f AS (INSERT INTO form_submissions (key_hash, user_id) SELECT $3::bytea, $2 WHERE $3::bytea IS NOT NULL AND EXISTS (SELECT 1 FROM m)
  ON CONFLICT (key_hash) DO NOTHING RETURNING 1)`

// formFresh: see lockedForm.
const formFresh = `EXISTS (SELECT 1 FROM m) AND ($3::bytea IS NULL OR EXISTS (SELECT 1 FROM f))`

// lockedFormResult reads what a lockedForm statement found: a partner
// (false: NotFound) and a fresh key (false for a partner: mend.ErrFormUsed).
const lockedFormResult = `EXISTS (SELECT 1 FROM m), ` + formFresh

// lockedFormErr turns the result of a lockedForm statement into its error.
func lockedFormErr(err error, partner, fresh bool) error {
	switch {
	case err != nil:
		return mapErr(err)
	case !partner:
		return mapErr(pgx.ErrNoRows)
	case !fresh:
		return mend.ErrFormUsed
	}
	return nil
}
