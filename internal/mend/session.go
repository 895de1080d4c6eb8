package mend

import "context"

// SessionUserKey is the session value holding the logged-in user's id. The
// session store reads it too, to keep each session's user beside it.
const SessionUserKey = "user_id"

// SessionUser is a slot in a request's context where the session store
// leaves the user it loaded with the session, so that a request finds its
// session and its user in one round trip.
type SessionUser struct{ User *User }

type sessionUserKey struct{}

// WithSessionUser returns ctx with an empty slot for the session's user.
func WithSessionUser(ctx context.Context) (context.Context, *SessionUser) {
	slot := &SessionUser{}
	return context.WithValue(ctx, sessionUserKey{}, slot), slot
}

// SessionUserOf returns the slot in ctx, or nil when there is none.
func SessionUserOf(ctx context.Context) *SessionUser {
	slot, _ := ctx.Value(sessionUserKey{}).(*SessionUser)
	return slot
}
