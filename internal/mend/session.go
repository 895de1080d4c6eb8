package mend

import "context"

// SessionUserKey is the session value holding the logged-in user's id. The
// session store reads it too, to keep each session's user beside it.
const SessionUserKey = "user_id"

// Session values the session store also keeps in columns of their own, for
// the owner's sessions page: when the person logged in (Unix microseconds),
// when they were last seen (Unix seconds), and DeviceSummary's words.
const (
	SessionAuthAtKey = "auth_at"
	SessionSeenAtKey = "seen_at"
	SessionDeviceKey = "device"
)

// SessionUser is a slot in a request's context where the session store
// leaves the user it loaded with the session, and that user's current
// membership, so that a request finds its session, its user and a
// partner's access in one round trip. Only the store reads Membership, and
// it forgets it when a membership changes.
type SessionUser struct {
	User       *User
	Membership *Membership
	// SessionID is the session's opaque handle (LoginSession.ID).
	SessionID int64
}

// Membership is the couple a user was a partner of when the request began
// (CoupleID 0: none).
type Membership struct{ UserID, CoupleID int64 }

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
