package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// lockSignUps is the advisory lock namespace of sign-ups from one client
// (7312 to 7315 are the log-in and reset throttles').
const lockSignUps = 7316

const lockSignUpsSQL = `SELECT pg_advisory_xact_lock($1, $2)`

// beginSignUpSQL counts the log-in failures of client $1 since $5 and its
// sign-ups since $3 and, below both limits ($6, $4), records a sign-up at
// $2. It returns both counts and whether it recorded.
const beginSignUpSQL = `
WITH c AS (
  SELECT (SELECT count(*) FROM login_failures WHERE client_key = $1 AND failed_at > $5) AS failures,
         (SELECT count(*) FROM signup_attempts WHERE client_key = $1 AND attempted_at > $3) AS signups
), recorded AS (
  INSERT INTO signup_attempts (client_key, attempted_at)
  SELECT $1, $2 FROM c WHERE c.signups < $4 AND c.failures < $6
  RETURNING id
)
SELECT c.failures, c.signups FROM c`

// BeginSignUp records a sign-up from clientKey at at, unless the client has
// had too many log-in failures or sign-ups (see mend.SignUpLimits): then it
// records nothing and says which limit it met. One round trip; an advisory
// lock per client makes parallel sign-ups count one after the other.
func (db *DB) BeginSignUp(ctx context.Context, clientKey string, at time.Time, l mend.SignUpLimits) (tooManyFailures, tooManySignUps bool, err error) {
	b := &pgx.Batch{}
	b.Queue(lockSignUpsSQL, lockSignUps, lockKey([]byte(clientKey)))
	b.Queue(beginSignUpSQL, clientKey, at, l.SignUpsSince, l.MaxSignUps, l.FailuresSince, l.MaxFailures)
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	if _, err := res.Exec(); err != nil {
		return false, false, mapErr(err)
	}
	var failures, signups int
	if err := res.QueryRow().Scan(&failures, &signups); err != nil {
		return false, false, mapErr(err)
	}
	return failures >= l.MaxFailures, failures < l.MaxFailures && signups >= l.MaxSignUps, mapErr(res.Close())
}

const deleteOldSignUpsSQL = `DELETE FROM signup_attempts WHERE attempted_at <= $1`

// DeleteSignUpsBefore removes sign-ups recorded at or before before, which
// the throttle no longer counts. It returns how many it removed.
func (db *DB) DeleteSignUpsBefore(ctx context.Context, before time.Time) (int64, error) {
	tag, err := db.Pool.Exec(ctx, deleteOldSignUpsSQL, before)
	return tag.RowsAffected(), mapErr(err)
}
