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

// NewSignUp is a sign-up as the store writes it: an account for Email,
// unconfirmed, with its confirmation link (TokenHash, valid until
// ExpiresAt) and the email that carries it (Subject, Body), in one
// transaction; FormKey (nil: none) is the form's idempotency key. When
// EmailKey has an account already, nothing is written.
type NewSignUp struct {
	Email, EmailKey, Name, PasswordHash, TimeZone, ProfessionalName string
	FormKey                                                         []byte
	At, ExpiresAt                                                   time.Time
	TokenHash                                                       []byte
	Subject, Body                                                   string
}

// SignUpNotice is the email an account gets when someone signs up with its
// address: sent to the account's own address, unless one went after Since.
type SignUpNotice struct {
	EmailKey      string
	At, Since     time.Time
	Subject, Body string
}

// NewConfirmation is a fresh confirmation link for the unconfirmed account
// UserID and its email, written unless a link was made after Since.
type NewConfirmation struct {
	UserID        int64
	At, Since     time.Time
	TokenHash     []byte
	ExpiresAt     time.Time
	Subject, Body string
}
