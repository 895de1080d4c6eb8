package service

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/password"
)

// SignUpStore is what sign-up and its confirmation need from the database.
type SignUpStore interface {
	SignUp(ctx context.Context, s mend.NewSignUp) (created bool, err error)
	SendSignUpNotice(ctx context.Context, n mend.SignUpNotice) (sent bool, err error)
	ResendConfirmation(ctx context.Context, c mend.NewConfirmation) (sent bool, err error)
	SignUpConfirmationValid(ctx context.Context, tokenHash []byte, now time.Time) (bool, error)
	ConfirmSignUp(ctx context.Context, tokenHash []byte, now time.Time) (*mend.User, error)
	DeleteUnconfirmedBefore(ctx context.Context, accountsBefore, linksBefore time.Time) (int64, error)
}

// Sign-up confirmation.
const (
	// ConfirmValidFor is how long a confirmation link works.
	ConfirmValidFor = 24 * time.Hour
	// ConfirmResendAfter is the least time between two confirmation links
	// sent to one account when its owner tries to log in.
	ConfirmResendAfter = 10 * time.Minute
	// NoticeEvery is the least time between two notices to one account that
	// someone tried to sign up with its email.
	NoticeEvery = time.Hour
	// UnconfirmedKeptFor is how long an account never confirmed is kept.
	UnconfirmedKeptFor = 7 * 24 * time.Hour
	// ConfirmPath is where a confirmation link leads; the token follows it.
	ConfirmPath = "/signup/confirm/"

	confirmSubject = "Finish creating your Mend account"
	noticeSubject  = "About your Mend account"
)

// ErrConfirmLinkInvalid is the answer to a confirmation link that is
// unknown, used or expired.
var ErrConfirmLinkInvalid = &mend.Error{Code: mend.NotFound,
	Message: "This link has expired or was already used."}

// SignUpInput is the sign-up form. FormKey is the form's idempotency key
// (see FormKeyHash); it may be empty. Next is where the person goes once
// the account is confirmed: a path on this site, already checked by the
// caller, or "".
type SignUpInput struct {
	Name, Email, Password, TimeZone string
	FormKey                         string
	// Therapist signs up a couples therapist, who gives a ProfessionalName.
	Therapist        bool
	ProfessionalName string
	Next             string
}

// SignUp validates in and answers the same whether or not an account uses
// the email, so that the form cannot tell who has one:
//
//   - a new email gets an unconfirmed account and a confirmation link by
//     email (one transaction); the account is used once the link is
//     opened (ConfirmSignUp);
//   - an email with an account (confirmed or not) creates nothing: the
//     account gets a notice instead, at most one per NoticeEvery;
//   - a second submission of the same form (same FormKey, email and
//     password: a double tap) writes nothing more.
//
// The password is hashed in every case, so the time taken does not tell
// either. sent reports whether an email was written, for the caller to wake
// the sender; never show it. Each valid sign-up counts towards the
// client's SignUpsPerWindow (client is the caller's address key, see
// LogIn); past it, or past the client's log-in failures, the error is
// Throttled. Errors: Invalid (with Fields) for bad input, Throttled.
func (a *Accounts) SignUp(ctx context.Context, in SignUpInput, client string) (sent bool, err error) {
	if FormKeyHash(in.FormKey) == nil {
		return a.signUp(ctx, in, client)
	}
	// The same form sent again while it is handled waits for that and
	// shares its answer: a burst of them hashes the password once, not
	// once each (each waiting for a hashing slot, the last past the
	// request's deadline).
	sum := sha256.Sum256([]byte(in.FormKey + "\x00" + in.Email + "\x00" + in.Password + "\x00" + in.Name + "\x00" + in.TimeZone +
		"\x00" + in.ProfessionalName + "\x00" + strconv.FormatBool(in.Therapist) + "\x00" + in.Next + "\x00" + client))
	// Only the call that ran signUp reports sent; the others leave it false.
	_, err, _ = a.signUps.Do(string(sum[:]), func() (any, error) {
		var err error
		sent, err = a.signUp(ctx, in, client)
		return nil, err
	})
	return sent, err
}

func (a *Accounts) signUp(ctx context.Context, in SignUpInput, client string) (sent bool, err error) {
	fe := mend.FieldErrors{}
	name := validName(fe, in.Name)
	email := validEmail(fe, in.Email)
	tz := validTimeZone(fe, in.TimeZone)
	if p := password.Problem(in.Password, email, name); p != "" {
		fe.Add("password", p)
	}
	professional := ""
	if in.Therapist {
		professional = validProfessionalName(fe, in.ProfessionalName)
	}
	if err := fe.Err(); err != nil {
		return false, err
	}
	now := a.Now()
	failures, signUps, err := a.Store.BeginSignUp(ctx, client, now, mend.SignUpLimits{
		FailuresSince: now.Add(-ThrottleWindow), MaxFailures: MaxClientFailures,
		SignUpsSince: now.Add(-SignUpWindow), MaxSignUps: a.SignUpsPerWindow,
	})
	switch {
	case err != nil:
		return false, err
	case failures:
		return false, &mend.Error{Code: mend.Throttled, Message: msgThrottled}
	case signUps:
		return false, &mend.Error{Code: mend.Throttled, Message: msgSignUpsThrottled, RetryAfter: SignUpWindow}
	}
	hash, err := password.Hash(ctx, in.Password)
	if err != nil {
		return false, err
	}
	token, tokenHash, err := newResetToken()
	if err != nil {
		return false, err
	}
	formKey := FormKeyHash(in.FormKey)
	created, err := a.Store.SignUp(ctx, mend.NewSignUp{
		Email: email, EmailKey: EmailKey(email), Name: name, PasswordHash: hash, TimeZone: tz, ProfessionalName: professional,
		FormKey: formKey, At: now, ExpiresAt: now.Add(ConfirmValidFor), TokenHash: tokenHash,
		Subject: confirmSubject, Body: confirmBody(a.confirmLink(token, in.Next)),
	})
	if err != nil || created {
		return created, err
	}
	if _, same := a.resubmitted(ctx, formKey, email, in.Password); same {
		return false, nil
	}
	base := strings.TrimRight(a.BaseURL, "/")
	return a.Store.SendSignUpNotice(ctx, mend.SignUpNotice{EmailKey: EmailKey(email), At: now, Since: now.Add(-NoticeEvery),
		Subject: noticeSubject, Body: noticeBody(base+"/login", base+"/password/forgot")})
}

// confirmLink is the confirmation link of token, with next (a path on this
// site, or "") in its query.
func (a *Accounts) confirmLink(token, next string) string {
	link := strings.TrimRight(a.BaseURL, "/") + ConfirmPath + token
	if next != "" {
		link += "?" + url.Values{"next": {next}}.Encode()
	}
	return link
}

// confirmBody and noticeBody say no more than needed: no name, nothing of
// the account, nothing typed into the form but the address it goes to.
func confirmBody(link string) string {
	return "Someone, we hope you, used this email address to create a Mend account. To finish, open this link within 24 hours and confirm:\n\n" +
		link + "\n\n" +
		"If it was not you, ignore this email. The account is not used until someone confirms it, and is removed after a week.\n"
}

func noticeBody(login, forgot string) string {
	return "Someone, perhaps you, tried to create a Mend account with this email address. You already have one, so nothing new was made.\n\n" +
		"To log in: " + login + "\n" +
		"Forgot your password? Choose a new one here: " + forgot + "\n\n" +
		"If it was not you, you need not do anything: nothing has changed in your account.\n"
}

// CheckSignUpLink returns nil when token is a confirmation link that still
// works. Errors: ErrConfirmLinkInvalid.
func (a *Accounts) CheckSignUpLink(ctx context.Context, token string) error {
	hash, ok := resetTokenHash(token)
	if !ok {
		return ErrConfirmLinkInvalid
	}
	valid, err := a.Store.SignUpConfirmationValid(ctx, hash, a.Now())
	if err == nil && !valid {
		err = ErrConfirmLinkInvalid
	}
	return err
}

// ConfirmSignUp confirms the email of the account whose link has token and
// returns the account, for the caller to log it in. The link then no
// longer works, nor do the account's other links. Errors:
// ErrConfirmLinkInvalid (unknown, used or expired).
func (a *Accounts) ConfirmSignUp(ctx context.Context, token string) (*mend.User, error) {
	hash, ok := resetTokenHash(token)
	if !ok {
		return nil, ErrConfirmLinkInvalid
	}
	u, err := a.Store.ConfirmSignUp(ctx, hash, a.Now())
	if mend.ErrorCode(err) == mend.NotFound {
		return nil, ErrConfirmLinkInvalid
	}
	return u, err
}

// confirmFirst is the answer to the right password of an account whose
// email is not confirmed yet.
type confirmFirst struct{ err *mend.Error }

func (e confirmFirst) Error() string { return e.err.Error() }
func (e confirmFirst) Unwrap() error { return e.err }

// IsConfirmFirst reports whether err says that the account's email must be
// confirmed first (and that a new link may have been written to the
// outbox).
func IsConfirmFirst(err error) bool {
	var c confirmFirst
	return errors.As(err, &c)
}

// confirmFirstErr writes a fresh confirmation link for u (unless one went
// within ConfirmResendAfter) and returns the error that says so, an
// Unauthorized error with the email in its message.
func (a *Accounts) confirmFirstErr(ctx context.Context, u *mend.User, next string) error {
	token, tokenHash, err := newResetToken()
	if err != nil {
		return err
	}
	now := a.Now()
	if _, err := a.Store.ResendConfirmation(ctx, mend.NewConfirmation{UserID: u.ID, At: now, Since: now.Add(-ConfirmResendAfter),
		TokenHash: tokenHash, ExpiresAt: now.Add(ConfirmValidFor), Subject: confirmSubject, Body: confirmBody(a.confirmLink(token, next))}); err != nil {
		return err
	}
	return confirmFirst{err: &mend.Error{Code: mend.Unauthorized,
		Message: "Confirm your email address first: we've sent a new link to " + u.Email + "."}}
}
