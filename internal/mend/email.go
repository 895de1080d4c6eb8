package mend

import "time"

// Email is one account email in the outbox: a short plain-text message to
// one person (a password reset link, say). It never carries entry text.
type Email struct {
	ID      int64
	UserID  int64 // 0: the address names no account
	To      string
	Subject string
	Body    string
	// Attempts counts delivery attempts, the one in progress included.
	Attempts  int
	CreatedAt time.Time
}
