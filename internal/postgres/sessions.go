package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/jackc/pgx/v5"
)

// SessionStore is scs's pgxstore (table, cleanup) with context-aware
// methods added, so that loading and saving a session is bounded by the
// request's deadline like all other database work. The queries are
// pgxstore's own.
type SessionStore struct {
	*pgxstore.PostgresStore
	db *DB
}

// NewSessionStore returns the store; expired sessions are removed every
// cleanup interval until StopCleanup is called.
func (db *DB) NewSessionStore(cleanup time.Duration) *SessionStore {
	return &SessionStore{PostgresStore: pgxstore.NewWithCleanupInterval(db.Pool, cleanup), db: db}
}

// FindCtx returns the session data for token, found=false when absent or expired.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	err := s.db.Pool.QueryRow(ctx, `SELECT data FROM sessions WHERE token = $1 AND current_timestamp < expiry`, token).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, mapErr(err)
	}
	return b, true, nil
}

// CommitCtx stores the session data for token until expiry.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, err := s.db.Pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry`, token, b, expiry)
	return mapErr(err)
}

// DeleteCtx removes the session for token.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.Pool.Exec(ctx, `DELETE FROM sessions WHERE token = $1`, token)
	return mapErr(err)
}
