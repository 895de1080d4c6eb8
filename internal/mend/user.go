package mend

import (
	"sync"
	"time"
)

// User is a person with a Mend login.
type User struct {
	ID       int64
	Email    string
	Name     string
	TimeZone string
	// ProfessionalName is set for therapists, and only for them.
	ProfessionalName string
	// SessionsValidAfter: sessions begun before this are signed out.
	SessionsValidAfter time.Time
	CreatedAt          time.Time
	// DiscreetTitles makes every page's title just "Mend", so that tabs
	// and the browser's history say nothing of what the person did.
	DiscreetTitles bool
}

// IsTherapist reports whether the user signed up, or upgraded, as a therapist.
func (u *User) IsTherapist() bool { return u.ProfessionalName != "" }

// Location returns the user's time zone, or UTC if it no longer loads.
func (u *User) Location() *time.Location { return location(u.TimeZone) }

// locations caches each time zone once loaded: time.LoadLocation reads and
// parses the zone's data on every call, and a page asks several times.
var locations sync.Map // name → *time.Location

// location returns the named zone (UTC if it cannot be loaded).
func location(name string) *time.Location {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.UTC
	}
	locations.Store(name, loc)
	return loc
}

// LoginAttempt is a password check in progress. The store counts it as a
// failed attempt until it is ended as a success.
type LoginAttempt struct {
	ID         int64
	AccountKey []byte
	// User is the account whose password the attempt checks, found as the
	// attempt began, and Hash its password hash; User is nil when no
	// account has the email.
	User *User
	Hash string
	// Unconfirmed: the account's email is not confirmed yet (see
	// Accounts.SignUp); the right password does not log it in.
	Unconfirmed bool
	// DeviceKey is the trusted device the attempt came from (the hash of
	// its device cookie's nonce), or nil for an untrusted client.
	DeviceKey []byte
}

// PasswordOf names the account whose password an attempt checks: the one
// with EmailKey (log-in), or else the user with UserID (a password asked
// for again).
type PasswordOf struct {
	EmailKey string
	UserID   int64
}

// SignUpLimits are what a sign-up from one client address is checked
// against: fewer than MaxFailures log-in failures since FailuresSince (so
// sign-up cannot test emails for an account past the log-in throttle), and
// fewer than MaxSignUps sign-ups since SignUpsSince.
type SignUpLimits struct {
	FailuresSince, SignUpsSince time.Time
	MaxFailures, MaxSignUps     int
}
