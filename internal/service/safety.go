package service

import (
	"context"
	"errors"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// SafetyStore is what Safety needs from the database. The checks are keyed
// by the person alone; the flag by the couple's therapist link.
type SafetyStore interface {
	LastSafetyCheck(ctx context.Context, userID int64) (*mend.SafetyCheck, error)
	RecordSafetyCheck(ctx context.Context, userID int64, c *mend.SafetyCheck, formKey []byte) error
	DismissSafetyCheck(ctx context.Context, userID int64, at, since time.Time) error
	ActiveLink(ctx context.Context, a mend.Reader) (*mend.TherapistLink, error)
	SafetyResult(ctx context.Context, a mend.PartnerAccess) (*mend.SafetyResult, error)
	SendFlag(ctx context.Context, a mend.PartnerAccess, linkID int64, at time.Time) error
	OpenFlag(ctx context.Context, a mend.PartnerAccess, linkID int64) (*mend.TherapistFlag, error)
	FlagDone(ctx context.Context, a mend.TherapistAccess, flagID int64, at time.Time) error
}

// Safety runs each partner's private safety check and the one line they
// may send their therapist. Nothing here is ever shown to the other
// partner, and only the line, if sent, to the therapist.
type Safety struct {
	Store   SafetyStore
	Couples *Couples
	Now     func() time.Time
}

// NewSafety returns Safety on store with the real clock.
func NewSafety(store SafetyStore, couples *Couples) *Safety {
	return &Safety{Store: store, Couples: couples, Now: time.Now}
}

// offerAgainAfter is how long after a check, or a "Not now", Mend waits
// before offering the check again.
func offerAgainAfter(t time.Time) time.Time { return t.AddDate(0, 1, 0) }

var errSafetyNotForTherapists = &mend.Error{Code: mend.Forbidden, Message: "The safety check is for partners."}

// offerDue reports whether the check is offered again after the last time
// it was taken or set aside (nil: never, so it is offered).
func (s *Safety) offerDue(last *time.Time) bool {
	return last == nil || !s.Now().Before(offerAgainAfter(*last))
}

// Dismiss sets this month's offer aside ("Not now"). Doing it twice in a
// month records it once.
func (s *Safety) Dismiss(ctx context.Context, u *mend.User) error {
	if u.IsTherapist() {
		return errSafetyNotForTherapists
	}
	now := s.Now()
	return s.Store.DismissSafetyCheck(ctx, u.ID, now, now.AddDate(0, -1, 0))
}

// Take records u's answers, keyed by question (an empty answer: "I'd
// rather not say"). The same form sent twice records one check. Errors:
// Invalid with Fields for an answer that is not one of the options.
func (s *Safety) Take(ctx context.Context, u *mend.User, answers map[string]string, formKey string) (*mend.SafetyCheck, error) {
	if u.IsTherapist() {
		return nil, errSafetyNotForTherapists
	}
	c := &mend.SafetyCheck{At: s.Now(), Answers: map[string]string{}}
	fe := mend.FieldErrors{}
	for _, q := range mend.SafetyQuestions {
		a := answers[q.Key]
		switch {
		case a == "":
		case mend.Label(q.Options, a) == "":
			fe.Add(q.Key, "Choose one of the answers, or \"I'd rather not say\".")
		default:
			c.Answers[q.Key] = a
		}
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	err := s.Store.RecordSafetyCheck(ctx, u.ID, c, FormKeyHash(formKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return s.Store.LastSafetyCheck(ctx, u.ID)
	}
	return c, err
}

// Last returns u's last check, or NotFound when they have taken none.
func (s *Safety) Last(ctx context.Context, u *mend.User) (*mend.SafetyCheck, error) {
	return s.Store.LastSafetyCheck(ctx, u.ID)
}

// Result returns u's last check with what they can do next: for a partner
// in a space, the couple's therapist and u's own open flag to them, read
// with the check in one round trip.
func (s *Safety) Result(ctx context.Context, u *mend.User) (*mend.SafetyResult, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	switch {
	case mend.ErrorCode(err) == mend.NotFound:
		r := &mend.SafetyResult{}
		if r.Check, err = s.Last(ctx, u); err != nil && mend.ErrorCode(err) != mend.NotFound {
			return nil, err
		}
		return r, nil
	case err != nil:
		return nil, err
	}
	return s.Store.SafetyResult(ctx, a)
}

var errNoTherapist = &mend.Error{Code: mend.Conflict, Message: "Your space has no therapist linked now, so there is nobody to send this to."}

// SendFlag tells the couple's therapist, and only them, that u would like
// to talk to them alone — nothing else. Errors: NotFound without a space;
// Conflict when no therapist is linked.
func (s *Safety) SendFlag(ctx context.Context, u *mend.User) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	l, err := s.Store.ActiveLink(ctx, a)
	if mend.ErrorCode(err) == mend.NotFound {
		return errNoTherapist
	}
	if err != nil {
		return err
	}
	if err := s.Store.SendFlag(ctx, a, l.ID, s.Now()); err != nil {
		return err
	}
	// The link may have ended between the two statements.
	if _, err := s.Store.OpenFlag(ctx, a, l.ID); mend.ErrorCode(err) == mend.NotFound {
		return errNoTherapist
	} else if err != nil {
		return err
	}
	return nil
}

// FlagDone lets therapist u mark a flag about coupleID as dealt with.
// Errors: NotFound for anything not theirs.
func (s *Safety) FlagDone(ctx context.Context, u *mend.User, coupleID, flagID int64) error {
	a, err := s.Couples.TherapistAccess(ctx, u, coupleID)
	if err != nil {
		return err
	}
	return s.Store.FlagDone(ctx, a, flagID, s.Now())
}
