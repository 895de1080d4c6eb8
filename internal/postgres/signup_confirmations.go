package postgres

import (
	"context"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// signUpSQL makes an unconfirmed account ($1 email, $2 email key, $3 name,
// $4 password hash, $5 time zone, $6 professional name or empty), unless the
// email key has one already; for a new account it records the form's key
// ($7, may be NULL), the confirmation link ($8 token hash, made at $9,
// valid until $10) and its email ($11 subject, $12 body) to the address
// typed. It returns the new account's id, or no row.
const signUpSQL = `
WITH u AS (
  INSERT INTO users (email, email_key, name, password_hash, time_zone, professional_name, email_confirmed_at)
  VALUES ($1, $2, $3, $4, $5, nullif($6, ''), NULL)
  ON CONFLICT (email_key) DO NOTHING
  RETURNING id, email
), f AS (
  INSERT INTO form_submissions (key_hash, user_id)
  SELECT $7::bytea, id FROM u WHERE $7::bytea IS NOT NULL
  ON CONFLICT (key_hash) DO NOTHING
), c AS (
  INSERT INTO signup_confirmations (user_id, token_hash, created_at, expires_at)
  SELECT id, $8, $9, $10 FROM u
), e AS (
  INSERT INTO outbox (user_id, to_address, subject, body, created_at, next_attempt_at)
  SELECT id, email, $11, $12, $9, $9 FROM u
)
SELECT id FROM u`

// SignUp writes s: an unconfirmed account with its confirmation link and
// the email carrying it, in one statement (one transaction). created is
// false, and nothing is written, when s.EmailKey has an account already.
func (db *DB) SignUp(ctx context.Context, s mend.NewSignUp) (created bool, err error) {
	var formKey any
	if s.FormKey != nil {
		formKey = s.FormKey
	}
	rows, err := db.Pool.Query(ctx, signUpSQL, s.Email, s.EmailKey, s.Name, s.PasswordHash, s.TimeZone, s.ProfessionalName,
		formKey, s.TokenHash, s.At, s.ExpiresAt, s.Subject, s.Body)
	if err != nil {
		return false, mapErr(err)
	}
	for rows.Next() {
		created = true
	}
	return created, mapErr(rows.Err())
}

// signUpNoticeSQL notes a notice to the account with email key $1 at $2,
// unless one went after $3, and writes it ($4 subject, $5 body) to the
// account's own address. It returns how many it wrote (0 or 1).
const signUpNoticeSQL = `
WITH n AS (
  UPDATE users SET signup_notice_at = $2
  WHERE email_key = $1 AND (signup_notice_at IS NULL OR signup_notice_at <= $3)
  RETURNING id, email
), e AS (
  INSERT INTO outbox (user_id, to_address, subject, body, created_at, next_attempt_at)
  SELECT id, email, $4, $5, $2, $2 FROM n
)
SELECT count(*) FROM n`

// SendSignUpNotice writes n's email to the account with n.EmailKey, unless
// it had one after n.Since. sent reports whether it wrote one.
func (db *DB) SendSignUpNotice(ctx context.Context, n mend.SignUpNotice) (sent bool, err error) {
	var count int
	err = db.Pool.QueryRow(ctx, signUpNoticeSQL, n.EmailKey, n.At, n.Since, n.Subject, n.Body).Scan(&count)
	return count > 0, mapErr(err)
}

// resendConfirmationSQL writes a new confirmation link ($3 token hash,
// made at $2, valid until $4) and its email ($5 subject, $6 body) for the
// unconfirmed account $1, unless it had a link made after $7.
const resendConfirmationSQL = `
WITH u AS (
  SELECT id, email FROM users
  WHERE id = $1 AND email_confirmed_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM signup_confirmations WHERE user_id = $1 AND created_at > $7)
), c AS (
  INSERT INTO signup_confirmations (user_id, token_hash, created_at, expires_at)
  SELECT id, $3, $2, $4 FROM u
), e AS (
  INSERT INTO outbox (user_id, to_address, subject, body, created_at, next_attempt_at)
  SELECT id, email, $5, $6, $2, $2 FROM u
)
SELECT count(*) FROM u`

// ResendConfirmation writes c: a new confirmation link for an unconfirmed
// account and its email, unless the account had a link made after
// c.Since, or is confirmed. sent reports whether it wrote one.
func (db *DB) ResendConfirmation(ctx context.Context, c mend.NewConfirmation) (sent bool, err error) {
	var count int
	err = db.Pool.QueryRow(ctx, resendConfirmationSQL, c.UserID, c.At, c.TokenHash, c.ExpiresAt, c.Subject, c.Body, c.Since).Scan(&count)
	return count > 0, mapErr(err)
}

const confirmationValidSQL = `
SELECT EXISTS (SELECT 1 FROM signup_confirmations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2)`

// SignUpConfirmationValid reports whether an unused confirmation link with
// tokenHash is still valid at now.
func (db *DB) SignUpConfirmationValid(ctx context.Context, tokenHash []byte, now time.Time) (bool, error) {
	var ok bool
	err := db.Pool.QueryRow(ctx, confirmationValidSQL, tokenHash, now).Scan(&ok)
	return ok, mapErr(err)
}

// confirmSignUpSQL uses the confirmation link with token hash $1 if it is
// unused and valid at $2, and the account's other links with it, and marks
// the account's email confirmed (if it was not already).
const confirmSignUpSQL = `
WITH used AS (
  UPDATE signup_confirmations SET used_at = $2
  WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
  RETURNING user_id
), others AS (
  UPDATE signup_confirmations SET used_at = $2
  WHERE user_id = (SELECT user_id FROM signup_confirmations WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2)
    AND token_hash <> $1 AND used_at IS NULL
)
UPDATE users u SET email_confirmed_at = coalesce(u.email_confirmed_at, $2), updated_at = now()
FROM used WHERE u.id = used.user_id
RETURNING ` + prefixedUserColumns

// prefixedUserColumns is userColumns of the table aliased u.
const prefixedUserColumns = `u.id, u.email, u.name, u.time_zone, coalesce(u.professional_name, ''), u.sessions_valid_after, u.created_at, u.discreet_titles`

// ConfirmSignUp uses the confirmation link with tokenHash, if it is unused
// and valid at now (a link works once; the account's other links end with
// it), and marks the account's email confirmed. It returns the account.
// Errors: NotFound (unknown, used or expired).
func (db *DB) ConfirmSignUp(ctx context.Context, tokenHash []byte, now time.Time) (*mend.User, error) {
	return scanUser(db.Pool.QueryRow(ctx, confirmSignUpSQL, tokenHash, now))
}

const deleteUnconfirmedSQL = `DELETE FROM users WHERE email_confirmed_at IS NULL AND created_at <= $1`
const deleteOldConfirmationsSQL = `DELETE FROM signup_confirmations WHERE expires_at <= $1`

// DeleteUnconfirmedBefore deletes the accounts never confirmed that were
// made before accountsBefore (with their links and mail), and the
// confirmation links that expired before linksBefore. It returns how many
// rows it removed.
func (db *DB) DeleteUnconfirmedBefore(ctx context.Context, accountsBefore, linksBefore time.Time) (int64, error) {
	t1, err := db.Pool.Exec(ctx, deleteUnconfirmedSQL, accountsBefore)
	if err != nil {
		return 0, mapErr(err)
	}
	t2, err := db.Pool.Exec(ctx, deleteOldConfirmationsSQL, linksBefore)
	return t1.RowsAffected() + t2.RowsAffected(), mapErr(err)
}
