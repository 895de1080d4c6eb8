package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// loginSessionsSQL lists a user's live sessions (by sessions_user_idx):
// not expired, not signed out, begun since validAfter (the user's
// sessions_valid_after) and seen since seenAfter; the current one always.
const loginSessionsSQL = `
SELECT id, device, started_at, seen_at, id = $4 AS current
FROM sessions
WHERE user_id = $1 AND ended_at IS NULL AND current_timestamp < expiry
  AND (id = $4 OR (started_at >= $2 AND seen_at >= $3))
ORDER BY id = $4 DESC, seen_at DESC, id DESC`

// LoginSessions returns userID's live sessions, the one with id current
// first, then the most recently seen.
func (db *DB) LoginSessions(ctx context.Context, userID, current int64, validAfter, seenAfter time.Time) ([]mend.LoginSession, error) {
	rows, err := db.Pool.Query(ctx, loginSessionsSQL, userID, validAfter, seenAfter, current)
	if err != nil {
		return nil, mapErr(err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[mend.LoginSession])
	return list, mapErr(err)
}

// endLoginSessionSQL signs one of a user's sessions out. The row stays,
// marked, until it expires (see migration 0022); its data goes at once.
const endLoginSessionSQL = `
UPDATE sessions SET ended_at = coalesce(ended_at, current_timestamp), data = '\x'::bytea
WHERE user_id = $1 AND id = $2`

// EndLoginSession signs out userID's session id. It returns NotFound when
// userID has no such session (another person's id included); a session
// already signed out is signed out again, without error.
func (db *DB) EndLoginSession(ctx context.Context, userID, id int64) error {
	tag, err := db.Pool.Exec(ctx, endLoginSessionSQL, userID, id)
	if err != nil {
		return mapErr(err)
	}
	if tag.RowsAffected() == 0 {
		return mend.ErrNotFound
	}
	return nil
}

// EndOtherLoginSessions signs out every session of userID but keep, and
// returns how many it signed out.
func (db *DB) EndOtherLoginSessions(ctx context.Context, userID, keep int64) (int64, error) {
	tag, err := db.Pool.Exec(ctx, `
UPDATE sessions SET ended_at = current_timestamp, data = '\x'::bytea
WHERE user_id = $1 AND id <> $2 AND ended_at IS NULL`, userID, keep)
	if err != nil {
		return 0, mapErr(err)
	}
	return tag.RowsAffected(), nil
}
