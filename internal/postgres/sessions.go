package postgres

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/jackc/pgx/v5"
)

// SessionStore is scs's pgxstore (table, queries) with context-aware
// methods added, so that loading and saving a session is bounded by the
// request's deadline like all other database work. Expired sessions are
// removed by the store's own goroutine, not pgxstore's: pgxstore's
// StopCleanup reads a channel its cleanup goroutine is still assigning
// (a data race), and stops nothing when called before that assignment.
type SessionStore struct {
	*pgxstore.PostgresStore
	db   *DB
	log  *slog.Logger
	stop context.CancelFunc
	done chan struct{}
}

// NewSessionStore returns the store. Every cleanup interval (never when it
// is 0) it removes expired sessions, logging a failure to log, until
// StopCleanup is called.
func (db *DB) NewSessionStore(cleanup time.Duration, log *slog.Logger) *SessionStore {
	ctx, stop := context.WithCancel(context.Background())
	s := &SessionStore{PostgresStore: pgxstore.NewWithCleanupInterval(db.Pool, 0), db: db, log: log,
		stop: stop, done: make(chan struct{})}
	go s.cleanup(ctx, cleanup)
	return s
}

func (s *SessionStore) cleanup(ctx context.Context, every time.Duration) {
	defer close(s.done)
	if every <= 0 {
		return
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := s.DeleteExpired(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("session cleanup", slog.String("error", err.Error()))
			}
		}
	}
}

// StopCleanup stops the removal of expired sessions and waits for a removal
// in progress to end. It may be called more than once.
func (s *SessionStore) StopCleanup() {
	s.stop()
	<-s.done
}

// DeleteExpired removes the sessions whose expiry has passed.
func (s *SessionStore) DeleteExpired(ctx context.Context) error {
	_, err := s.db.Pool.Exec(ctx, `DELETE FROM sessions WHERE expiry < current_timestamp`)
	return mapErr(err)
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
