package service

import (
	"context"
	"errors"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// LoginSessionStore is what the sessions page needs from the database.
type LoginSessionStore interface {
	LoginSessions(ctx context.Context, userID, current int64, validAfter, seenAfter time.Time) ([]mend.LoginSession, error)
	EndLoginSession(ctx context.Context, userID, id int64) error
	EndOtherLoginSessions(ctx context.Context, userID, keep int64) (int64, error)
}

// Sessions returns u's live sessions: begun since u's password last
// changed and seen since seenAfter (the idle limit). current, the session
// of the request, is always first and marked Current.
func (a *Accounts) Sessions(ctx context.Context, u *mend.User, current int64, seenAfter time.Time) ([]mend.LoginSession, error) {
	return a.Store.LoginSessions(ctx, u.ID, current, u.SessionsValidAfter, seenAfter)
}

// EndSession signs out u's session id; its next request is a visitor's.
// Errors: NotFound when u has no such session (another person's included).
func (a *Accounts) EndSession(ctx context.Context, u *mend.User, id int64) error {
	return a.Store.EndLoginSession(ctx, u.ID, id)
}

// EndOtherSessions signs out every session of u's but current, and returns
// how many it signed out.
// Without a current session (0) it signs out nothing and fails, rather
// than sign out this one too.
func (a *Accounts) EndOtherSessions(ctx context.Context, u *mend.User, current int64) (int64, error) {
	if current <= 0 {
		return 0, errors.New("sign out other sessions: no current session")
	}
	return a.Store.EndOtherLoginSessions(ctx, u.ID, current)
}
