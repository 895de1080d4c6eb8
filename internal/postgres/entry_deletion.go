package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mend-app/mend/internal/mend"
)

// Deleting an entry removes its rows for good: the entry, and by the
// foreign keys' ON DELETE CASCADE its earlier versions and the partner's
// answers to it. Nothing is flagged.

const deleteMyCheckinSQL = `DELETE FROM checkins WHERE couple_id = $1 AND user_id = $2 AND day = $3`

// The reader's own answer to the other partner's check-in of day $3.
const deleteMyAckSQL = `
DELETE FROM checkin_acks a USING checkins c
WHERE a.couple_id = $1 AND a.user_id = $2 AND c.couple_id = a.couple_id AND c.id = a.checkin_id
  AND c.day = $3 AND c.user_id <> $2`

const deleteMyTriggerSQL = `DELETE FROM triggers WHERE couple_id = $1 AND user_id = $2 AND id = $3`

const deleteMyTriggerResponseSQL = `DELETE FROM trigger_responses WHERE couple_id = $1 AND user_id = $2 AND trigger_id = $3`

const deleteMyDisclosureSQL = `DELETE FROM disclosures WHERE couple_id = $1 AND user_id = $2 AND id = $3`

// The reader's answers to disclosure $3, never one of their own.
const deleteMyDisclosureAnswersSQL = `
DELETE FROM disclosure_answers r USING disclosures d
WHERE r.couple_id = $1 AND r.user_id = $2 AND r.disclosure_id = $3
  AND d.couple_id = r.couple_id AND d.id = r.disclosure_id AND d.user_id <> $2`

// DeleteCheckin deletes partner a's own check-in of day, with its earlier
// versions and the answers to it, under the lock on a's membership, in one
// round trip. ErrNoCheckinToDelete when a wrote none that day; NotFound
// when a is no partner of the couple.
func (db *DB) DeleteCheckin(ctx context.Context, a mend.PartnerAccess, day time.Time) error {
	return db.deleteMine(ctx, a, deleteMyCheckinSQL, day, mend.ErrNoCheckinToDelete)
}

// DeleteAck deletes partner a's own answer to the other partner's
// check-in of day, under the lock on a's membership. ErrNoAckToDelete when
// there is none.
func (db *DB) DeleteAck(ctx context.Context, a mend.PartnerAccess, day time.Time) error {
	return db.deleteMine(ctx, a, deleteMyAckSQL, day, mend.ErrNoAckToDelete)
}

// deleteMine runs the delete q (parameters: the couple, the writer, arg)
// in one transaction after locking a's membership; none is the error when
// it deletes nothing.
func (db *DB) deleteMine(ctx context.Context, a mend.PartnerAccess, q string, arg any, none error) error {
	return db.InTx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		queueLockMembership(b, a)
		b.Queue(q, a.CoupleID(), a.UserID(), arg).Exec(func(ct pgconn.CommandTag) error {
			if ct.RowsAffected() == 0 {
				return none
			}
			return nil
		})
		return tx.SendBatch(ctx, b).Close()
	})
}

// DeleteTrigger deletes partner a's own trigger id, with its earlier
// versions and the responses to it, under the lock on a's membership.
// NotFound when it is not a's.
func (db *DB) DeleteTrigger(ctx context.Context, a mend.PartnerAccess, id int64) error {
	return db.deleteMine(ctx, a, deleteMyTriggerSQL, id, mend.ErrNotFound)
}

// DeleteTriggerResponse deletes partner a's own response to trigger id,
// under the lock on a's membership. NotFound when a has none.
func (db *DB) DeleteTriggerResponse(ctx context.Context, a mend.PartnerAccess, id int64) error {
	return db.deleteMine(ctx, a, deleteMyTriggerResponseSQL, id, mend.ErrNotFound)
}

// DeleteDisclosure deletes partner a's own disclosure id, sent or a
// draft, with the answers to it, under the lock on a's membership.
// NotFound when it is not a's.
func (db *DB) DeleteDisclosure(ctx context.Context, a mend.PartnerAccess, id int64) error {
	return db.deleteMine(ctx, a, deleteMyDisclosureSQL, id, mend.ErrNotFound)
}

// DeleteDisclosureAnswers deletes partner a's own answers to the other
// partner's disclosure id, under the lock on a's membership. NotFound when
// a has none.
func (db *DB) DeleteDisclosureAnswers(ctx context.Context, a mend.PartnerAccess, id int64) error {
	return db.deleteMine(ctx, a, deleteMyDisclosureAnswersSQL, id, mend.ErrNotFound)
}
