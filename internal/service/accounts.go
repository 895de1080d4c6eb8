// Package service holds Mend's rules: validation, who may do what, and which
// store calls make one change. Handlers call it; it calls the store.
package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/mail"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/password"
	"golang.org/x/sync/singleflight"
)

// AccountStore is what Accounts needs from the database.
type AccountStore interface {
	LoginSessionStore
	BecomeTherapist(ctx context.Context, id int64, professional string) (*mend.User, error)
	UserByFormKey(ctx context.Context, formKey []byte) (*mend.User, string, error)
	DeleteFormSubmissionsBefore(ctx context.Context, before time.Time) (int64, error)
	UserByID(ctx context.Context, id int64) (*mend.User, error)
	SetPassword(ctx context.Context, id int64, hash string) (time.Time, error)
	UpdateProfile(ctx context.Context, id int64, name, tz string) (*mend.User, error)
	SetDiscreetTitles(ctx context.Context, id int64, on bool) (*mend.User, error)
	SetEmail(ctx context.Context, id int64, email, emailKey string) (*mend.User, error)
	SetProfessionalName(ctx context.Context, id int64, professional string) (*mend.User, error)
	PartnerAccess(ctx context.Context, userID int64) (mend.PartnerAccess, error)
	BeginAttempt(ctx context.Context, of mend.PasswordOf, accountKey []byte, clientKey string, at, since time.Time, maxAccount, maxClient int) (mend.LoginAttempt, bool, error)
	EndAttempt(ctx context.Context, a mend.LoginAttempt, clearAccount bool) error
	CountLoginFailures(ctx context.Context, accountKey []byte, clientKey string, since time.Time) (int, int, error)
	RecordLoginFailure(ctx context.Context, accountKey []byte, clientKey string, at time.Time) error
	DeleteLoginFailuresBefore(ctx context.Context, before time.Time) (int64, error)
	BeginDeviceAttempt(ctx context.Context, of mend.PasswordOf, accountKey, deviceKey []byte, clientKey string, at, since time.Time, maxDevice int) (mend.LoginAttempt, bool, error)
	BeginSignUp(ctx context.Context, clientKey string, at time.Time, l mend.SignUpLimits) (tooManyFailures, tooManySignUps bool, err error)
	DeleteSignUpsBefore(ctx context.Context, before time.Time) (int64, error)
	DeleteAccount(ctx context.Context, id int64, accountKey []byte, emailKey string) error
	SignUpStore
}

// Throttle limits: failures allowed within ThrottleWindow before log-in
// answers "too many attempts" without checking the password.
const (
	ThrottleWindow       = 15 * time.Minute
	MaxAccountFailures   = 10  // per account (by email, known or not)
	MaxClientFailures    = 100 // per client address; higher, for shared offices
	MaxNameLength        = 100
	MaxEmailLength       = 254
	DefaultTimeZone      = "UTC"
	msgThrottled         = "Too many attempts to log in. For your safety, please wait 15 minutes and try again."
	msgSignUpsThrottled  = "Many accounts have been created from your network in the last hour. For everyone's safety, please wait an hour and try again."
	msgWrongCredentials  = "That email and password do not match an account. Please check them and try again."
	msgWrongCurrent      = "That is not your current password."
	msgEmailTakenHere    = "An account with this email already exists. Use another email."
	msgEmailSame         = "This is already your email."
	msgNameMissing       = "Tell us what to call you."
	msgNameTooLong       = "Use at most 100 characters."
	msgEmailMissing      = "Enter your email address."
	msgEmailInvalid      = "Enter an email address like name@example.com."
	msgTimeZoneInvalid   = "Choose your time zone from the list."
	msgPasswordMissing   = "Enter your password."
	msgNewPasswordSame   = "Choose a password different from your current one."
	msgPasswordsMismatch = "The two new passwords are not the same."
)

// SignUpWindow is the time over which sign-ups from one client address are
// counted; DefaultSignUpsPerWindow is how many it may make in that time.
const (
	SignUpWindow            = time.Hour
	DefaultSignUpsPerWindow = 100
)

// Accounts signs people up and in and keeps their account details.
type Accounts struct {
	Store AccountStore
	Now   func() time.Time
	// DeviceKey signs device cookies (see LogInWithDevice). Tokens signed
	// under another key are treated as none.
	DeviceKey []byte
	// SignUpsPerWindow is how many sign-ups one client address may make
	// within SignUpWindow.
	SignUpsPerWindow int
	// BaseURL is how people reach Mend, for the links in account emails.
	BaseURL string

	signUps singleflight.Group // sign-up forms being handled, by form key and input
}

// NewAccounts returns Accounts on store with the real clock, a random
// device key (device cookies then last as long as the process) and the
// default sign-up limit.
func NewAccounts(store AccountStore) *Accounts {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return &Accounts{Store: store, Now: time.Now, DeviceKey: key, SignUpsPerWindow: DefaultSignUpsPerWindow}
}

// resubmitted returns the account created by an earlier submission of the
// same sign-up form, when the email and password are the same too.
func (a *Accounts) resubmitted(ctx context.Context, formKey []byte, email, pw string) (*mend.User, bool) {
	if formKey == nil {
		return nil, false
	}
	u, hash, err := a.Store.UserByFormKey(ctx, formKey)
	if err != nil || EmailKey(u.Email) != EmailKey(email) {
		return nil, false
	}
	ok, err := password.Check(ctx, pw, hash)
	return u, ok && err == nil
}

// FormKeyHash returns the stored form of a create form's idempotency key, or
// nil when key is not one that NewFormKey could have made.
func FormKeyHash(key string) []byte {
	raw, err := base64.RawURLEncoding.DecodeString(key)
	if err != nil || len(raw) != 16 {
		return nil
	}
	sum := sha256.Sum256(raw)
	return sum[:]
}

// NewFormKey returns a fresh idempotency key for a create form: 128 random
// bits, base64url.
func NewFormKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// LogIn checks email and password from client (an address key, see
// ClientKey). It never says whether the email exists: unknown email and
// wrong password give the same Unauthorized error. After too many recent
// failures for the account or the client it returns Throttled without
// checking the password. (LogInWithDevice is the same from a browser that
// may carry a device cookie.)
func (a *Accounts) LogIn(ctx context.Context, email, pw, client string) (*mend.User, error) {
	return a.logIn(ctx, strings.TrimSpace(email), pw, client, nil, "")
}

// logIn checks a password for email; device is the key of a valid device
// cookie (nil for none), whose own failures then decide the throttle. The
// right password of an account whose email is not confirmed logs nobody
// in: a new confirmation link leading to next is sent (see
// confirmFirstErr), and the error says so.
func (a *Accounts) logIn(ctx context.Context, email, pw, client string, device []byte, next string) (*mend.User, error) {
	var att mend.LoginAttempt
	var err error
	if device != nil {
		now := a.Now()
		var throttled bool
		att, throttled, err = a.Store.BeginDeviceAttempt(ctx, mend.PasswordOf{EmailKey: EmailKey(email)}, accountKey(email), device, client, now, now.Add(-ThrottleWindow), MaxDeviceFailures)
		if err == nil && throttled {
			err = &mend.Error{Code: mend.Throttled, Message: msgThrottled}
		}
	} else {
		att, err = a.beginAttempt(ctx, mend.PasswordOf{EmailKey: EmailKey(email)}, accountKey(email), client)
	}
	if err != nil {
		return nil, err
	}
	ok := false
	if att.User != nil {
		if ok, err = password.Check(ctx, pw, att.Hash); err != nil {
			return nil, err
		}
	} else {
		password.CheckNothing(ctx, pw) // same time as a real check
	}
	if !ok {
		return nil, &mend.Error{Code: mend.Unauthorized, Message: msgWrongCredentials}
	}
	if err := a.Store.EndAttempt(ctx, att, true); err != nil {
		return nil, err
	}
	if att.Unconfirmed {
		return nil, a.confirmFirstErr(ctx, att.User, next)
	}
	return att.User, nil
}

// beginAttempt records a password check as a failure until it succeeds,
// and finds the account of whose password it is, or returns Throttled when
// the account or client has failed too often.
func (a *Accounts) beginAttempt(ctx context.Context, of mend.PasswordOf, key []byte, client string) (mend.LoginAttempt, error) {
	now := a.Now()
	att, throttled, err := a.Store.BeginAttempt(ctx, of, key, client, now, now.Add(-ThrottleWindow), MaxAccountFailures, MaxClientFailures)
	if err == nil && throttled {
		err = &mend.Error{Code: mend.Throttled, Message: msgThrottled}
	}
	return att, err
}

// User returns the user with id, or NotFound.
func (a *Accounts) User(ctx context.Context, id int64) (*mend.User, error) {
	return a.Store.UserByID(ctx, id)
}

// ChangePasswordInput is the change-password form.
type ChangePasswordInput struct {
	Current, New, Confirm string
}

// ChangePassword replaces the password of u after checking the current one.
// Every other session of u ends; the returned time is the new
// SessionsValidAfter, which the caller's own renewed session must postdate.
// Wrong current passwords count towards the log-in throttle, so a borrowed,
// unlocked phone cannot be used to guess the password. Errors: Invalid with
// Fields, Throttled.
func (a *Accounts) ChangePassword(ctx context.Context, u *mend.User, in ChangePasswordInput, client string) (time.Time, error) {
	fe := mend.FieldErrors{}
	if in.Current == "" {
		fe.Add("current", msgPasswordMissing)
	}
	if p := password.Problem(in.New, u.Email, u.Name); p != "" {
		fe.Add("new", p)
	} else if in.New == in.Current {
		fe.Add("new", msgNewPasswordSame)
	}
	if in.Confirm != in.New {
		fe.Add("confirm", msgPasswordsMismatch)
	}
	if in.Current != "" {
		ok, err := a.CheckPassword(ctx, u, in.Current, client)
		if err != nil {
			return time.Time{}, err
		}
		if !ok {
			fe["current"] = msgWrongCurrent
		}
	}
	if err := fe.Err(); err != nil {
		return time.Time{}, err
	}
	hash, err := password.Hash(ctx, in.New)
	if err != nil {
		return time.Time{}, err
	}
	return a.Store.SetPassword(ctx, u.ID, hash)
}

// CheckPassword reports whether pw is u's password, for actions that ask for
// it again (changing it, leaving a couple space). Wrong guesses count
// towards the log-in throttle; past it the error is Throttled.
func (a *Accounts) CheckPassword(ctx context.Context, u *mend.User, pw, client string) (bool, error) {
	att, err := a.beginAttempt(ctx, mend.PasswordOf{UserID: u.ID}, accountKey(u.Email), client)
	if err != nil {
		return false, err
	}
	if att.User == nil {
		return false, mend.ErrNotFound
	}
	ok, err := password.Check(ctx, pw, att.Hash)
	if err != nil || !ok {
		return false, err
	}
	return true, a.Store.EndAttempt(ctx, att, true)
}

// ProfileInput is the profile form.
type ProfileInput struct {
	Name, TimeZone string
}

// UpdateProfile changes u's name and time zone. Errors: Invalid with Fields.
func (a *Accounts) UpdateProfile(ctx context.Context, u *mend.User, in ProfileInput) (*mend.User, error) {
	fe := mend.FieldErrors{}
	name := validName(fe, in.Name)
	tz := validTimeZone(fe, in.TimeZone)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return a.Store.UpdateProfile(ctx, u.ID, name, tz)
}

// SetDiscreetTitles turns u's discreet page titles on or off: when on,
// every page's title is just "Mend".
func (a *Accounts) SetDiscreetTitles(ctx context.Context, u *mend.User, on bool) (*mend.User, error) {
	return a.Store.SetDiscreetTitles(ctx, u.ID, on)
}

// BecomeTherapist turns u's account into a therapist's, with the name their
// couples will see. Errors: Invalid with Fields; Conflict while u is a
// partner in a couple space.
func (a *Accounts) BecomeTherapist(ctx context.Context, u *mend.User, professional string) (*mend.User, error) {
	fe := mend.FieldErrors{}
	professional = validProfessionalName(fe, professional)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	return a.Store.BecomeTherapist(ctx, u.ID, professional)
}

// InSpace reports whether u is a partner in a couple space now. The
// membership found with the request's session answers it without a
// round trip.
func (a *Accounts) InSpace(ctx context.Context, u *mend.User) (bool, error) {
	_, err := a.Store.PartnerAccess(ctx, u.ID)
	if err != nil && mend.ErrorCode(err) == mend.NotFound {
		return false, nil
	}
	return err == nil, err
}

// ChangeEmailInput is the change-email form: the new email and the
// current password.
type ChangeEmailInput struct {
	Email, Password string
}

// ChangeEmail gives u a new email after checking their password. The email
// is checked as at sign-up; one in use by another account is refused with
// sign-up's words, and counts as a failed attempt from client, so that the
// form cannot be used to test many emails. Wrong passwords count towards
// the log-in throttle. Errors: Invalid with Fields, Throttled.
func (a *Accounts) ChangeEmail(ctx context.Context, u *mend.User, in ChangeEmailInput, client string) (*mend.User, error) {
	fe := mend.FieldErrors{}
	email := validEmail(fe, in.Email)
	if _, bad := fe["email"]; !bad && email == u.Email {
		fe.Add("email", msgEmailSame)
	}
	if in.Password == "" {
		fe.Add("password", msgPasswordMissing)
	} else {
		ok, err := a.CheckPassword(ctx, u, in.Password, client)
		if err != nil {
			return nil, err
		}
		if !ok {
			fe.Add("password", msgWrongCurrent)
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	nu, err := a.Store.SetEmail(ctx, u.ID, email, EmailKey(email))
	if mend.ErrorCode(err) == mend.Conflict {
		if err := a.Store.RecordLoginFailure(ctx, accountKey(email), client, a.Now()); err != nil {
			return nil, err
		}
		fe.Add("email", msgEmailTakenHere)
		return nil, fe.Err()
	}
	return nu, err
}

// ChangeProfessionalName gives therapist u a new professional name, the
// name couples read in sentences. Errors: Invalid with Fields; Forbidden
// for a partner's account.
func (a *Accounts) ChangeProfessionalName(ctx context.Context, u *mend.User, professional string) (*mend.User, error) {
	if !u.IsTherapist() {
		return nil, &mend.Error{Code: mend.Forbidden, Message: "Only a therapist's account has a professional name."}
	}
	fe := mend.FieldErrors{}
	professional = validProfessionalName(fe, professional)
	if err := fe.Err(); err != nil {
		return nil, err
	}
	nu, err := a.Store.SetProfessionalName(ctx, u.ID, professional)
	if mend.ErrorCode(err) == mend.NotFound {
		return nil, &mend.Error{Code: mend.Forbidden, Message: "Only a therapist's account has a professional name."}
	}
	return nu, err
}

// ForgetExpired removes log-in failures older than the longest window they
// serve (exports count in the same table, over ExportWindow), sign-ups
// older than SignUpWindow, form keys older than a day, accounts left
// unconfirmed for UnconfirmedKeptFor and expired confirmation links: rows
// kept only as long as they serve.
func (a *Accounts) ForgetExpired(ctx context.Context) (int64, error) {
	n, err := a.Store.DeleteLoginFailuresBefore(ctx, a.Now().Add(-max(ThrottleWindow, ExportWindow)))
	if err != nil {
		return n, err
	}
	m, err := a.Store.DeleteFormSubmissionsBefore(ctx, a.Now().Add(-24*time.Hour))
	if err != nil {
		return n + m, err
	}
	k, err := a.Store.DeleteSignUpsBefore(ctx, a.Now().Add(-SignUpWindow))
	if err != nil {
		return n + m + k, err
	}
	u, err := a.Store.DeleteUnconfirmedBefore(ctx, a.Now().Add(-UnconfirmedKeptFor), a.Now().Add(-ConfirmValidFor))
	return n + m + k + u, err
}

// EmailKey is the form of an email that makes it unique: lower case.
func EmailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// accountKey identifies an account in the throttle without storing the email.
func accountKey(email string) []byte {
	sum := sha256.Sum256([]byte("mend-login:" + EmailKey(email)))
	return sum[:]
}

func validName(fe mend.FieldErrors, s string) string {
	return validShortText(fe, "name", s, msgNameMissing)
}

func validProfessionalName(fe mend.FieldErrors, s string) string {
	return validShortText(fe, "professional_name", s, "Tell couples the name you practise under, for example \"Sam Lee, couples therapist\".")
}

// validShortText folds runs of spaces and checks that field is filled in
// and at most MaxNameLength characters long.
func validShortText(fe mend.FieldErrors, field, s, missing string) string {
	s = strings.Join(strings.Fields(s), " ")
	switch {
	case s == "":
		fe.Add(field, missing)
	default:
		mend.Limit{Max: MaxNameLength, Say: msgNameTooLong}.Check(fe, field, s)
	}
	return s
}
func validEmail(fe mend.FieldErrors, s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		fe.Add("email", msgEmailMissing)
		return s
	}
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || len(s) > MaxEmailLength || !strings.Contains(s[strings.LastIndex(s, "@"):], ".") {
		fe.Add("email", msgEmailInvalid)
	}
	return s
}

func validTimeZone(fe mend.FieldErrors, s string) string {
	s = strings.TrimSpace(s)
	if !IsTimeZone(s) {
		fe.Add("time_zone", msgTimeZoneInvalid)
	}
	return s
}

// IsTimeZone reports whether name is an IANA time zone Mend offers.
func IsTimeZone(name string) bool {
	if name == "" || name == "Local" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}
