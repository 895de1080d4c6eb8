package postgres

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
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
			// A removal once begun is not cancelled but waited for (up to
			// 30 s): a cancelled statement may still reach the server after
			// StopCleanup returned, and remove what was written since.
			dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			if err := s.DeleteExpired(dctx); err != nil {
				s.log.Warn("session cleanup", slog.String("error", err.Error()))
			}
			cancel()
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

// findSessionSQL loads a session and, in the same round trip, its user.
const findSessionSQL = `
SELECT s.data, s.id, u.id IS NOT NULL, coalesce(u.id, 0), coalesce(u.email, ''), coalesce(u.name, ''), coalesce(u.time_zone, ''),
       coalesce(u.professional_name, ''), coalesce(u.sessions_valid_after, 'epoch'), coalesce(u.created_at, 'epoch'),
       coalesce(u.discreet_titles, false), coalesce(m.couple_id, 0)
FROM sessions s LEFT JOIN users u ON u.id = s.user_id
LEFT JOIN couple_members m ON m.user_id = u.id AND m.left_at IS NULL
WHERE s.token = $1 AND current_timestamp < s.expiry AND s.ended_at IS NULL`

// FindCtx returns the session data for token, found=false when absent,
// expired or signed out. The session's user, if any, their current
// membership and the session's id are left in ctx's mend.SessionUser.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var b []byte
	var id int64
	var hasUser bool
	var u mend.User
	var coupleID int64
	err := s.db.Pool.QueryRow(ctx, findSessionSQL, token).Scan(&b, &id, &hasUser, &u.ID, &u.Email, &u.Name, &u.TimeZone,
		&u.ProfessionalName, &u.SessionsValidAfter, &u.CreatedAt, &u.DiscreetTitles, &coupleID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, mapErr(err)
	}
	if slot := mend.SessionUserOf(ctx); slot != nil && hasUser {
		slot.User = &u
		slot.Membership = &mend.Membership{UserID: u.ID, CoupleID: coupleID}
		slot.SessionID = id
	}
	return b, true, nil
}

// commitSessionSQL writes a session. A session its owner signed out from
// another browser (ended_at set) is not written back by a request of its
// own that was still in flight.
const commitSessionSQL = `
INSERT INTO sessions (token, data, expiry, user_id, started_at, seen_at, device)
VALUES ($1, $2, $3, $4, coalesce($5, current_timestamp), coalesce($6, current_timestamp), $7)
ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry, user_id = EXCLUDED.user_id,
  started_at = EXCLUDED.started_at, seen_at = EXCLUDED.seen_at, device = EXCLUDED.device
WHERE sessions.ended_at IS NULL`

// CommitCtx stores the session data for token until expiry, with the id of
// the user it belongs to, when they logged in and were last seen, and their
// browser's summary (read from the data, which mend.SessionCodec wrote).
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	var userID *int64
	var startedAt, seenAt *time.Time
	device := ""
	if _, values, err := (mend.SessionCodec{}).Decode(b); err == nil {
		if id, ok := values[mend.SessionUserKey].(int64); ok && id > 0 {
			userID = &id
		}
		if v, ok := values[mend.SessionAuthAtKey].(int64); ok && v > 0 {
			t := time.UnixMicro(v)
			startedAt = &t
		}
		if v, ok := values[mend.SessionSeenAtKey].(int64); ok && v > 0 {
			t := time.Unix(v, 0)
			seenAt = &t
		}
		device, _ = values[mend.SessionDeviceKey].(string)
	}
	_, err := s.db.Pool.Exec(ctx, commitSessionSQL, token, b, expiry, userID, startedAt, seenAt, device)
	return mapErr(err)
}

// DeleteCtx removes the session for token.
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	_, err := s.db.Pool.Exec(ctx, `DELETE FROM sessions WHERE token = $1`, token)
	return mapErr(err)
}
