package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/password"
)

// ResetStore is what password reset needs from the database.
type ResetStore interface {
	RequestPasswordReset(ctx context.Context, r mend.ResetRequest) (throttled, sent bool, err error)
	PasswordResetUser(ctx context.Context, tokenHash []byte, now time.Time) (*mend.User, error)
	UsePasswordReset(ctx context.Context, tokenHash []byte, now time.Time, hash string) (int64, error)
	DeleteResetsBefore(ctx context.Context, before time.Time) (int64, error)
}

// Password reset limits.
const (
	// ResetValidFor is how long a reset link works.
	ResetValidFor = 30 * time.Minute
	// ResetWindow is the stretch over which requests are counted.
	ResetWindow = time.Hour
	// MaxAccountResets is how many links one email may be sent per window.
	MaxAccountResets = 3
	// MaxClientResets is how many requests one address may make per window.
	MaxClientResets = 20
	// ResetPath is where a reset link leads; the token follows it.
	ResetPath = "/password/reset/"

	resetSubject = "Reset your Mend password"
)

// ErrResetLinkInvalid is the answer to a reset link that is unknown, used
// or expired.
var ErrResetLinkInvalid = &mend.Error{Code: mend.NotFound,
	Message: "This link has expired or was already used. Ask for a new one below."}

// Resets sends password reset links and sets new passwords with them.
type Resets struct {
	Store ResetStore
	Now   func() time.Time
}

// RequestPasswordReset sends a reset link to the account that uses email,
// if any, through the outbox; baseURL is how people reach Mend. The answer
// is the same whether an account uses the email or not, and when the
// request is throttled (too many for the email or from client), nothing is
// sent and no error says so. sent reports whether an email was written,
// for the caller to wake the sender; never show it. Errors: Invalid (with
// Fields) for an email that is not one.
func (r *Resets) RequestPasswordReset(ctx context.Context, email, client, baseURL string) (sent bool, err error) {
	email = strings.TrimSpace(email)
	fe := mend.FieldErrors{}
	validEmail(fe, email)
	if err := fe.Err(); err != nil {
		return false, err
	}
	token, hash, err := newResetToken()
	if err != nil {
		return false, err
	}
	now := r.Now()
	key := sha256.Sum256([]byte("mend-reset:" + EmailKey(email)))
	_, sent, err = r.Store.RequestPasswordReset(ctx, mend.ResetRequest{
		AccountKey: key[:], ClientKey: client, EmailKey: EmailKey(email), At: now, Since: now.Add(-ResetWindow),
		MaxAccount: MaxAccountResets, MaxClient: MaxClientResets, TokenHash: hash, ExpiresAt: now.Add(ResetValidFor),
		Subject: resetSubject, Body: resetBody(strings.TrimRight(baseURL, "/") + ResetPath + token),
	})
	return sent, err
}

// resetBody says no more than needed: no name, nothing of the account.
func resetBody(link string) string {
	return "Someone asked to reset the password of your Mend account. To choose a new password, open this link within 30 minutes:\n\n" +
		link + "\n\n" +
		"If it was not you, ignore this email: your password stays as it is.\n"
}

// CheckResetLink returns nil when token is a reset link that still works.
// Errors: ErrResetLinkInvalid.
func (r *Resets) CheckResetLink(ctx context.Context, token string) error {
	_, err := r.userOf(ctx, token)
	return err
}

func (r *Resets) userOf(ctx context.Context, token string) (*mend.User, error) {
	hash, ok := resetTokenHash(token)
	if !ok {
		return nil, ErrResetLinkInvalid
	}
	u, err := r.Store.PasswordResetUser(ctx, hash, r.Now())
	if mend.ErrorCode(err) == mend.NotFound {
		return nil, ErrResetLinkInvalid
	}
	return u, err
}

// ResetPasswordInput is the new-password form of a reset link.
type ResetPasswordInput struct {
	New, Confirm string
}

// ResetPassword sets a new password with a reset link, under the same
// rules as sign-up. The link then no longer works, nor do the account's
// other links, and every session of the account ends; nobody is logged in.
// Errors: ErrResetLinkInvalid, Invalid with Fields.
func (r *Resets) ResetPassword(ctx context.Context, token string, in ResetPasswordInput) error {
	u, err := r.userOf(ctx, token)
	if err != nil {
		return err
	}
	fe := mend.FieldErrors{}
	if p := password.Problem(in.New, u.Email, u.Name); p != "" {
		fe.Add("new", p)
	}
	if in.Confirm != in.New {
		fe.Add("confirm", msgPasswordsMismatch)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	hash, err := password.Hash(ctx, in.New)
	if err != nil {
		return err
	}
	th, _ := resetTokenHash(token)
	_, err = r.Store.UsePasswordReset(ctx, th, r.Now(), hash)
	if mend.ErrorCode(err) == mend.NotFound {
		return ErrResetLinkInvalid // used meanwhile, or expired
	}
	return err
}

// ForgetExpired removes resets and requests older than the window.
func (r *Resets) ForgetExpired(ctx context.Context) (int64, error) {
	return r.Store.DeleteResetsBefore(ctx, r.Now().Add(-ResetWindow))
}

// resetTokenBytes is the token's length: 256 bits.
const resetTokenBytes = 32

// newResetToken returns a random token for a link and its hash, the only
// form stored.
func newResetToken() (token string, hash []byte, err error) {
	b := make([]byte, resetTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	h, _ := resetTokenHash(token)
	return token, h, nil
}

// resetTokenHash is the SHA-256 of a well-formed token; ok is false for
// anything else.
func resetTokenHash(token string) ([]byte, bool) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != resetTokenBytes {
		return nil, false
	}
	sum := sha256.Sum256(b)
	return sum[:], true
}
