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
	// UnsubscribeURL, for a reminder, is its one-click unsubscribe link
	// (the List-Unsubscribe headers); "" for an account email.
	UnsubscribeURL string
	// Attempts counts delivery attempts, the one in progress included.
	Attempts  int
	CreatedAt time.Time
}

// ResetRequest is one request for a password reset link, as the store
// records it: throttled by AccountKey (a hash of the email typed) and
// ClientKey, each allowed MaxAccount and MaxClient requests since Since.
// When the email names an account, a reset with TokenHash valid until
// ExpiresAt is written with the email (Subject, Body) to that account's
// address, in one transaction.
type ResetRequest struct {
	AccountKey            []byte
	ClientKey             string
	EmailKey              string
	At, Since             time.Time
	MaxAccount, MaxClient int
	TokenHash             []byte
	ExpiresAt             time.Time
	Subject, Body         string
}
