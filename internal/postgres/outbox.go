package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

const enqueueEmailSQL = `
INSERT INTO outbox (user_id, to_address, subject, body, unsubscribe_url, created_at, next_attempt_at)
VALUES (nullif($1, 0::bigint), $2, $3, $4, nullif($6, ''), $5, $5)`

// enqueueEmail writes e to the outbox in tx, due at once: the email exists
// exactly when the transaction that causes it commits.
func enqueueEmail(ctx context.Context, tx pgx.Tx, e mend.Email, at time.Time) error {
	_, err := tx.Exec(ctx, enqueueEmailSQL, e.UserID, e.To, e.Subject, e.Body, at, e.UnsubscribeURL)
	return mapErr(err)
}

// EnqueueEmail writes e to the outbox on its own, due at at. Actions that
// cause an email write it in their own transaction instead.
func (db *DB) EnqueueEmail(ctx context.Context, e mend.Email, at time.Time) error {
	return db.InTx(ctx, func(tx pgx.Tx) error { return enqueueEmail(ctx, tx, e, at) })
}

// claimEmailsSQL takes up to $3 due emails ($1: now) and leases them until
// $2 by moving next_attempt_at there, counting the attempt. Rows another
// sender holds locked are skipped; a row leased by a sender that died
// becomes due again when its lease ends. The ids are taken as an array so
// the update reads the rows by key: joined to the subquery, the planner
// may read the whole outbox to hash it.
const claimEmailsSQL = `
UPDATE outbox o SET next_attempt_at = $2, attempts = o.attempts + 1
WHERE o.id = ANY(ARRAY(
  SELECT id FROM outbox
  WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
  ORDER BY next_attempt_at
  LIMIT $3
  FOR UPDATE SKIP LOCKED
))
RETURNING o.id, coalesce(o.user_id, 0), o.to_address, o.subject, o.body, coalesce(o.unsubscribe_url, ''), o.attempts, o.created_at`

// ClaimEmails leases up to limit emails due at now, those due longest, until
// now+lease and returns them. The claim is committed before anything
// is sent, so no two senders hold one email at once.
func (db *DB) ClaimEmails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]mend.Email, error) {
	rows, err := db.Pool.Query(ctx, claimEmailsSQL, now, now.Add(lease), limit)
	if err != nil {
		return nil, mapErr(err)
	}
	es, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Email, error) {
		var e mend.Email
		err := r.Scan(&e.ID, &e.UserID, &e.To, &e.Subject, &e.Body, &e.UnsubscribeURL, &e.Attempts, &e.CreatedAt)
		return e, err
	})
	return es, mapErr(err)
}

// The body is emptied once sent: it may carry a link with a token.
const markEmailSentSQL = `UPDATE outbox SET sent_at = $2, body = '', last_error = NULL WHERE id = $1 AND sent_at IS NULL`

// MarkEmailSent records that the email was delivered at at.
func (db *DB) MarkEmailSent(ctx context.Context, id int64, at time.Time) error {
	_, err := db.Pool.Exec(ctx, markEmailSentSQL, id, at)
	return mapErr(err)
}

const retryEmailSQL = `UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1 AND sent_at IS NULL`

// RetryEmail makes a failed email due again at next, keeping the server's
// answer (never the message) in last_error.
func (db *DB) RetryEmail(ctx context.Context, id int64, next time.Time, lastError string) error {
	_, err := db.Pool.Exec(ctx, retryEmailSQL, id, next, lastError)
	return mapErr(err)
}

const giveUpEmailSQL = `UPDATE outbox SET failed_at = $2, body = '', last_error = $3 WHERE id = $1 AND sent_at IS NULL`

// GiveUpEmail stops trying to deliver the email (too many attempts).
func (db *DB) GiveUpEmail(ctx context.Context, id int64, at time.Time, lastError string) error {
	_, err := db.Pool.Exec(ctx, giveUpEmailSQL, id, at, lastError)
	return mapErr(err)
}

const deleteOldEmailsSQL = `DELETE FROM outbox WHERE created_at <= $1 AND (sent_at IS NOT NULL OR failed_at IS NOT NULL)`

// DeleteEmailsBefore forgets emails created before before that were sent
// or given up on. It returns how many it removed.
func (db *DB) DeleteEmailsBefore(ctx context.Context, before time.Time) (int64, error) {
	tag, err := db.Pool.Exec(ctx, deleteOldEmailsSQL, before)
	return tag.RowsAffected(), mapErr(err)
}
