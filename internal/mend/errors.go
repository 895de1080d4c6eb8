// Package mend holds Mend's domain types and errors, shared by the service,
// store and HTTP layers. It imports nothing of the project.
package mend

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies an error for the person who caused it. The HTTP layer maps
// each code to one status in one table (internal/server/errors.go).
type Code string

const (
	// Invalid: the input is wrong; Fields says where. The form is shown
	// again with the input kept.
	Invalid Code = "invalid"
	// NotFound: nothing there, or nothing the caller may know exists.
	NotFound Code = "not_found"
	// Conflict: the request clashes with the current state.
	Conflict Code = "conflict"
	// Gone: it existed but can no longer be used (an expired invite).
	Gone Code = "gone"
	// Unauthorized: the caller must log in (again).
	Unauthorized Code = "unauthorized"
	// Forbidden: the caller is known but may not do this.
	Forbidden Code = "forbidden"
	// Throttled: too many attempts; try again later.
	Throttled Code = "throttled"
	// Unavailable: the database did not answer in time.
	Unavailable Code = "unavailable"
	// Internal: anything unexpected. Its message is never shown.
	Internal Code = "internal"
)

// Error is an error whose Message is safe to show to the person who caused it.
type Error struct {
	Code    Code
	Message string
	// Fields maps a form field's name to a message shown beside it.
	Fields map[string]string
	// Err is the underlying cause, for logs only.
	Err error
	// RetryAfter is how long a Throttled caller should wait (the
	// throttle's window); zero means the log-in throttle's.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with code and a formatted, showable message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, or Internal.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// RetryAfter returns the wait of the first *Error in err's chain (zero
// when it names none).
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// ErrorMessage returns the showable message of err ("" for an error of the
// store, which carries a code and no words), or a generic one.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "Something went wrong on our side."
}

// FieldErrors collects messages per form field while validating.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns an Invalid *Error carrying the messages, or nil when empty.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "Please check the highlighted fields.", Fields: f}
}

// ErrNotFound is the store's answer when there is nothing the caller may
// see: it says nothing more, so the page shows its own words. The store
// returns codes and the sentinels of this package, never sentences of its
// own.
var ErrNotFound = &Error{Code: NotFound}

// The store's refusals that a person may read, each with its own words.
var (
	// ErrNotInThisSpace: the partner leaving is not (or no longer) in it.
	ErrNotInThisSpace = &Error{Code: NotFound, Message: "You are not in this couple space."}
	// ErrPartnerNotInSpace: a commitment's keeper is not a partner of the space.
	ErrPartnerNotInSpace = &Error{Code: NotFound, Message: "Your partner is not in your space."}
	// ErrNoCheckinToAnswer: no check-in of the other partner's that the
	// reader may read that day.
	ErrNoCheckinToAnswer = &Error{Code: NotFound, Message: "There is no check-in of your partner's to answer for that day."}
	// ErrNoCheckinToDelete: the reader wrote no check-in that day.
	ErrNoCheckinToDelete = &Error{Code: NotFound, Message: "You have no check-in for that day."}
	// ErrNoAckToDelete: the reader wrote no answer to the partner's
	// check-in that day.
	ErrNoAckToDelete = &Error{Code: NotFound, Message: "You have not answered a check-in that day."}
	// ErrNoLogToAnswer: no log the reader may answer (their own, or unseen).
	ErrNoLogToAnswer = &Error{Code: NotFound, Message: "There is no such entry to answer."}
	// ErrNoTriggerToRespond: no trigger the reader may respond to.
	ErrNoTriggerToRespond = &Error{Code: NotFound, Message: "There is no such trigger to respond to."}
	// ErrNoHardDate: no such hard date in the reader's space.
	ErrNoHardDate = &Error{Code: NotFound, Message: "There is no such hard date."}
	// ErrLeaveSpaceFirst: a partner cannot become a therapist while in a space.
	ErrLeaveSpaceFirst = &Error{Code: Conflict, Message: "Leave your couple space before you become a therapist on Mend."}
)

// ErrLogAnswered refuses an edit to a log the other partner has answered.
var ErrLogAnswered = &Error{Code: Conflict, Message: "Your partner has already answered this entry, so it stays as it is."}

// ErrLogOld refuses an edit to a log of an occurrence before the edit window.
var ErrLogOld = &Error{Code: Conflict, Message: "This entry is more than a week old, so it stays as it is."}

// ErrAlreadyInSpace is returned when a user who is a partner in a space
// tries to start or join another.
var ErrAlreadyInSpace = &Error{Code: Conflict, Message: "You are already in a couple space. To start or join another, leave yours first (in Our space)."}

// ErrEmailTaken is returned by CreateUser when the email is in use.
var ErrEmailTaken = &Error{Code: Conflict, Message: "An account with this email already exists. Use another email, or log in if it is yours."}

// ErrFormUsed is returned when a create form's key was already used: the
// first submission made the record.
var ErrFormUsed = errors.New("form already submitted")
