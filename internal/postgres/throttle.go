package postgres

import (
	"context"
	"errors"
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
  (SELECT count(*) FROM login_failures WHERE account_key = $1 AND device_key IS NULL AND failed_at > $3),
  (SELECT count(*) FROM login_failures WHERE client_key = $2 AND failed_at > $3)`

const recordFailureSQL = `INSERT INTO login_failures (account_key, client_key, failed_at) VALUES ($1, $2, $3) RETURNING id`

// beginAttemptSQL counts the failures of the account ($1) from untrusted
// clients and of the client ($2) since $3 and, below both limits ($5, $6),
// records the attempt made at $4 as one. No row: throttled, nothing
// recorded.
const beginAttemptSQL = `
INSERT INTO login_failures (account_key, client_key, failed_at)
SELECT $1, $2, $4
WHERE (SELECT count(*) FROM login_failures WHERE account_key = $1 AND device_key IS NULL AND failed_at > $3) < $5
  AND (SELECT count(*) FROM login_failures WHERE client_key = $2 AND failed_at > $3) < $6
RETURNING id`

// beginDeviceAttemptSQL counts the failures of one trusted device ($5) for
// the account ($1) since $3 and, below its limit ($6), records the attempt
// made at $4 from client $2 as one. Neither the account's failures from
// untrusted clients nor the client address's stop it.
const beginDeviceAttemptSQL = `
INSERT INTO login_failures (account_key, client_key, device_key, failed_at)
SELECT $1, $2, $5, $4
WHERE (SELECT count(*) FROM login_failures WHERE account_key = $1 AND device_key = $5 AND failed_at > $3) < $6
RETURNING id`

// BeginAttempt records a password attempt for the account and client keys,
// counted as a failure until it ends well, and finds the account of whose
// password it is (of) with its hash. It returns throttled=true, and records
// nothing, when either key already has too many failures since since.
//
// One round trip: a batch, which PostgreSQL runs as one transaction. Its
// first statement takes advisory locks that serialise attempts for one
// account or client until the batch ends; the next statements start after
// the locks are held, so they see every attempt recorded before, and
// parallel requests cannot all slip in under the limit.
func (db *DB) BeginAttempt(ctx context.Context, of mend.PasswordOf, accountKey []byte, clientKey string, at, since time.Time, maxAccount, maxClient int) (a mend.LoginAttempt, throttled bool, err error) {
	return db.beginAttempt(ctx, of, accountKey, clientKey, func(b *pgx.Batch) {
		b.Queue(beginAttemptSQL, accountKey, clientKey, since, at, maxAccount, maxClient)
	})
}

// BeginDeviceAttempt is BeginAttempt from a trusted device (deviceKey, the
// hash of a valid device cookie's nonce): only that device's own failures
// for the account since since count, against maxDevice. The attempt is
// recorded with the device, so it does not count against the account's
// allowance for untrusted clients.
func (db *DB) BeginDeviceAttempt(ctx context.Context, of mend.PasswordOf, accountKey, deviceKey []byte, clientKey string, at, since time.Time, maxDevice int) (a mend.LoginAttempt, throttled bool, err error) {
	a, throttled, err = db.beginAttempt(ctx, of, accountKey, clientKey, func(b *pgx.Batch) {
		b.Queue(beginDeviceAttemptSQL, accountKey, clientKey, since, at, deviceKey, maxDevice)
	})
	if err == nil && !throttled {
		a.DeviceKey = deviceKey
	}
	return a, throttled, err
}

// beginAttempt sends the batch of an attempt, with the statement that
// records it queued by record.
func (db *DB) beginAttempt(ctx context.Context, of mend.PasswordOf, accountKey []byte, clientKey string, record func(*pgx.Batch)) (a mend.LoginAttempt, throttled bool, err error) {
	b := &pgx.Batch{}
	// Locks are taken in one fixed order (account, then client).
	b.Queue(lockAttemptsSQL, lockAccountAttempts, lockKey(accountKey), lockClientAttempts, lockKey([]byte(clientKey)))
	record(b)
	if of.EmailKey != "" {
		b.Queue(userByEmailSQL, of.EmailKey)
	} else {
		b.Queue(userWithHashByIDSQL, of.UserID)
	}
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	if _, err := res.Exec(); err != nil {
		return a, false, mapErr(err)
	}
	switch err := res.QueryRow().Scan(&a.ID); {
	case errors.Is(err, pgx.ErrNoRows):
		return mend.LoginAttempt{}, true, mapErr(res.Close())
	case err != nil:
		return a, false, mapErr(err)
	}
	a.AccountKey = accountKey
	switch u, err := scanUser(res.QueryRow(), &a.Hash, &a.Unconfirmed); {
	case err == nil:
		a.User = u
	case !IsNotFound(err):
		return mend.LoginAttempt{}, false, err
	}
	return a, false, mapErr(res.Close())
}

// CountLoginFailures returns how many failures the account (from untrusted
// clients) and the client keys have had since since.
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
const clearAccountFailuresSQL = `DELETE FROM login_failures WHERE account_key = $1 AND device_key IS NULL`
const clearDeviceFailuresSQL = `DELETE FROM login_failures WHERE account_key = $1 AND device_key = $2`

// EndAttempt removes a successful attempt from the failures. With
// clearAccount, the earlier failures it was counted with are forgotten too
// (after a good log-in): the device's own, for an attempt from a trusted
// device, or else the account's from untrusted clients.
func (db *DB) EndAttempt(ctx context.Context, a mend.LoginAttempt, clearAccount bool) error {
	if clearAccount && a.DeviceKey != nil {
		_, err := db.Pool.Exec(ctx, clearDeviceFailuresSQL, a.AccountKey, a.DeviceKey)
		return mapErr(err)
	}
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
	_, _ = h.Write(b)       // a hash.Hash never returns an error
	return int32(h.Sum32()) // #nosec G115 -- wrapping into int32 is the point: it is a lock key
}
