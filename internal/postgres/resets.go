package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// Advisory lock namespaces of the reset throttle (see throttle.go).
const (
	lockAccountResets = 7314
	lockClientResets  = 7315
)

// requestResetSQL records the request when the account key ($1) and the
// client key ($2) are below their limits ($5, $6) since $3; only then, if
// the email key ($7) names an account, writes a reset ($8 token hash, $9
// expiry) and its email ($10 subject, $11 body) to the account's own
// address. It returns whether the request was allowed and whether an
// account was found.
const requestResetSQL = `
WITH allowed AS (
  INSERT INTO reset_requests (account_key, client_key, requested_at)
  SELECT $1, $2, $4
  WHERE (SELECT count(*) FROM reset_requests WHERE account_key = $1 AND requested_at > $3) < $5
    AND (SELECT count(*) FROM reset_requests WHERE client_key = $2 AND requested_at > $3) < $6
  RETURNING id
), account AS (
  SELECT id, email FROM users WHERE email_key = $7 AND EXISTS (SELECT 1 FROM allowed)
), reset AS (
  INSERT INTO password_resets (user_id, token_hash, created_at, expires_at)
  SELECT id, $8, $4, $9 FROM account
  RETURNING id
), email AS (
  INSERT INTO outbox (user_id, to_address, subject, body, created_at, next_attempt_at)
  SELECT id, email, $10, $11, $4, $4 FROM account
  RETURNING id
)
SELECT EXISTS (SELECT 1 FROM allowed), EXISTS (SELECT 1 FROM reset), EXISTS (SELECT 1 FROM email)`

// RequestPasswordReset records r and, unless throttled, writes the reset
// and its email when r.EmailKey names an account (sent reports that). One
// round trip: a batch that PostgreSQL runs as one transaction, its first
// statement taking the advisory locks that serialise requests for one
// account or client (as BeginAttempt does).
func (db *DB) RequestPasswordReset(ctx context.Context, r mend.ResetRequest) (throttled, sent bool, err error) {
	b := &pgx.Batch{}
	b.Queue(lockAttemptsSQL, lockAccountResets, lockKey(r.AccountKey), lockClientResets, lockKey([]byte(r.ClientKey)))
	b.Queue(requestResetSQL, r.AccountKey, r.ClientKey, r.Since, r.At, r.MaxAccount, r.MaxClient, r.EmailKey,
		r.TokenHash, r.ExpiresAt, r.Subject, r.Body)
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	if _, err := res.Exec(); err != nil {
		return false, false, mapErr(err)
	}
	var allowed, reset, email bool
	if err := res.QueryRow().Scan(&allowed, &reset, &email); err != nil {
		return false, false, mapErr(err)
	}
	return !allowed, reset && email, mapErr(res.Close())
}

const resetUserSQL = `
SELECT u.id, u.email, u.name, u.time_zone, coalesce(u.professional_name, ''), u.sessions_valid_after, u.created_at, u.discreet_titles
FROM password_resets r JOIN users u ON u.id = r.user_id
WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2`

// PasswordResetUser returns the account whose unused reset has tokenHash
// and is still valid at now. Errors: NotFound (unknown, used or expired).
func (db *DB) PasswordResetUser(ctx context.Context, tokenHash []byte, now time.Time) (*mend.User, error) {
	return scanUser(db.Pool.QueryRow(ctx, resetUserSQL, tokenHash, now))
}

// useResetSQL marks the reset used (only if it is unused and valid at $2),
// and the account's other unused resets with it, and sets the account's
// password hash ($3), ending every session begun before now (the later of
// the database's clock and $2). A reset proves the mailbox, so it confirms
// an account's email not yet confirmed. One statement: the two updates of
// password_resets touch different rows.
const useResetSQL = `
WITH used AS (
  UPDATE password_resets SET used_at = $2
  WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
  RETURNING user_id
), others AS (
  UPDATE password_resets SET used_at = $2
  WHERE user_id = (SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2)
    AND token_hash <> $1 AND used_at IS NULL
)
UPDATE users u SET password_hash = $3, sessions_valid_after = greatest(now(), $2), updated_at = now(),
  email_confirmed_at = coalesce(u.email_confirmed_at, $2)
FROM used WHERE u.id = used.user_id
RETURNING u.id`

// UsePasswordReset sets the password hash of the account whose reset has
// tokenHash, if that reset is unused and valid at now, and marks it (and
// the account's other resets) used: a link works once. Every session of
// the account ends. It returns the account's id. Errors: NotFound
// (unknown, used or expired).
func (db *DB) UsePasswordReset(ctx context.Context, tokenHash []byte, now time.Time, hash string) (int64, error) {
	var id int64
	err := db.Pool.QueryRow(ctx, useResetSQL, tokenHash, now, hash).Scan(&id)
	return id, mapErr(err)
}

const deleteOldResetsSQL = `DELETE FROM password_resets WHERE expires_at <= $1`
const deleteOldResetRequestsSQL = `DELETE FROM reset_requests WHERE requested_at <= $1`

// DeleteResetsBefore forgets resets that expired before before and reset
// requests made before it. It returns how many rows it removed.
func (db *DB) DeleteResetsBefore(ctx context.Context, before time.Time) (int64, error) {
	t1, err := db.Pool.Exec(ctx, deleteOldResetsSQL, before)
	if err != nil {
		return 0, mapErr(err)
	}
	t2, err := db.Pool.Exec(ctx, deleteOldResetRequestsSQL, before)
	return t1.RowsAffected() + t2.RowsAffected(), mapErr(err)
}
