package postgres

import (
	"context"
	"time"
)

const countFailuresSQL = `
SELECT
  (SELECT count(*) FROM login_failures WHERE account_key = $1 AND failed_at > $3),
  (SELECT count(*) FROM login_failures WHERE client_key = $2 AND failed_at > $3)`

// CountLoginFailures returns how many log-ins failed since since for the
// account key and for the client key.
func (db *DB) CountLoginFailures(ctx context.Context, accountKey []byte, clientKey string, since time.Time) (account, client int, err error) {
	err = db.Pool.QueryRow(ctx, countFailuresSQL, accountKey, clientKey, since).Scan(&account, &client)
	return account, client, mapErr(err)
}

const recordFailureSQL = `INSERT INTO login_failures (account_key, client_key, failed_at) VALUES ($1, $2, $3)`

// RecordLoginFailure notes one failed log-in at time at.
func (db *DB) RecordLoginFailure(ctx context.Context, accountKey []byte, clientKey string, at time.Time) error {
	_, err := db.Pool.Exec(ctx, recordFailureSQL, accountKey, clientKey, at)
	return mapErr(err)
}

const clearAccountFailuresSQL = `DELETE FROM login_failures WHERE account_key = $1`

// ClearLoginFailures forgets an account's failures after a good log-in.
func (db *DB) ClearLoginFailures(ctx context.Context, accountKey []byte) error {
	_, err := db.Pool.Exec(ctx, clearAccountFailuresSQL, accountKey)
	return mapErr(err)
}

const deleteOldFailuresSQL = `DELETE FROM login_failures WHERE failed_at <= $1`

// DeleteLoginFailuresBefore removes failures older than the window, so the
// table holds only what the throttle needs. It returns how many it removed.
func (db *DB) DeleteLoginFailuresBefore(ctx context.Context, before time.Time) (int64, error) {
	tag, err := db.Pool.Exec(ctx, deleteOldFailuresSQL, before)
	return tag.RowsAffected(), mapErr(err)
}
