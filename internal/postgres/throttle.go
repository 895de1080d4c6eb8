package postgres

import (
	"context"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// Advisory lock namespaces (the first key of the two-key form, which does
// not share a space with the one-key form goose uses for migrations).
const (
	lockAccountAttempts = 7312
	lockClientAttempts  = 7313
)

const lockAttemptsSQL = `SELECT pg_advisory_xact_lock($1, $2), pg_advisory_xact_lock($3, $4)`

const countFailuresSQL = `
SELECT
  (SELECT count(*) FROM login_failures WHERE account_key = $1 AND failed_at > $3),
  (SELECT count(*) FROM login_failures WHERE client_key = $2 AND failed_at > $3)`

const recordFailureSQL = `INSERT INTO login_failures (account_key, client_key, failed_at) VALUES ($1, $2, $3) RETURNING id`

// BeginAttempt records a password attempt for the account and client keys,
// counted as a failure until it ends well. It returns throttled=true, and
// records nothing, when either already has too many failures since since.
// Attempts for one account or client are serialised by advisory locks for
// the few milliseconds this takes, so parallel requests cannot all slip in
// under the limit before any of them is counted.
func (db *DB) BeginAttempt(ctx context.Context, accountKey []byte, clientKey string, at, since time.Time, maxAccount, maxClient int) (a mend.LoginAttempt, throttled bool, err error) {
	err = db.InTx(ctx, func(tx pgx.Tx) error {
		// Locks are taken in one fixed order (account, then client).
		if _, err := tx.Exec(ctx, lockAttemptsSQL, lockAccountAttempts, lockKey(accountKey), lockClientAttempts, lockKey([]byte(clientKey))); err != nil {
			return err
		}
		var nAccount, nClient int
		if err := tx.QueryRow(ctx, countFailuresSQL, accountKey, clientKey, since).Scan(&nAccount, &nClient); err != nil {
			return err
		}
		if nAccount >= maxAccount || nClient >= maxClient {
			throttled = true
			return nil
		}
		a.AccountKey = accountKey
		return tx.QueryRow(ctx, recordFailureSQL, accountKey, clientKey, at).Scan(&a.ID)
	})
	return a, throttled, err
}

// CountLoginFailures returns how many failures the account and the client
// keys have had since since.
func (db *DB) CountLoginFailures(ctx context.Context, accountKey []byte, clientKey string, since time.Time) (account, client int, err error) {
	err = db.Pool.QueryRow(ctx, countFailuresSQL, accountKey, clientKey, since).Scan(&account, &client)
	return account, client, mapErr(err)
}

// RecordLoginFailure notes one failure (used where no password is checked,
// such as a sign-up for an email already in use).
func (db *DB) RecordLoginFailure(ctx context.Context, accountKey []byte, clientKey string, at time.Time) error {
	_, err := db.Pool.Exec(ctx, recordFailureSQL, accountKey, clientKey, at)
	return mapErr(err)
}

const endAttemptSQL = `DELETE FROM login_failures WHERE id = $1`
const clearAccountFailuresSQL = `DELETE FROM login_failures WHERE account_key = $1`

// EndAttempt removes a successful attempt from the failures. With
// clearAccount, the account's earlier failures are forgotten too (after a
// good log-in).
func (db *DB) EndAttempt(ctx context.Context, a mend.LoginAttempt, clearAccount bool) error {
	if clearAccount {
		_, err := db.Pool.Exec(ctx, clearAccountFailuresSQL, a.AccountKey)
		return mapErr(err)
	}
	_, err := db.Pool.Exec(ctx, endAttemptSQL, a.ID)
	return mapErr(err)
}

const deleteOldFailuresSQL = `DELETE FROM login_failures WHERE failed_at <= $1`

// DeleteLoginFailuresBefore removes failures older than the window, so the
// table holds only what the throttle needs. It returns how many it removed.
func (db *DB) DeleteLoginFailuresBefore(ctx context.Context, before time.Time) (int64, error) {
	tag, err := db.Pool.Exec(ctx, deleteOldFailuresSQL, before)
	return tag.RowsAffected(), mapErr(err)
}

// lockKey folds a key into the 32 bits of an advisory lock's second key.
// Two keys that collide only share a lock, which is harmless.
func lockKey(b []byte) int32 {
	h := fnv.New32a()
	h.Write(b)
	return int32(h.Sum32())
}
