package service

import (
	"context"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// The short check after a session: each partner answers four questions
// about a recent session with the couple's current therapist. A partner
// reads only their own answers; the therapist reads an answer only when
// its writer chose to share it.

// SessionCheckStore is what the session check needs from the database.
type SessionCheckStore interface {
	SessionCheckReads(ctx context.Context, a mend.PartnerAccess, from, to, since time.Time) (*mend.SessionCheckReads, error)
	SaveSessionCheck(ctx context.Context, a mend.PartnerAccess, c mend.SessionCheck, from, to time.Time, formKey []byte) error
	TherapistSessionChecks(ctx context.Context, a mend.TherapistAccess, from, to time.Time) (*mend.TherapistSessionChecksPage, error)
	// SessionChecks is for other pages (the pre-session summary): a
	// partner's own answers, or the answers shared with a therapist.
	SessionChecks(ctx context.Context, a mend.Reader, from, to time.Time) ([]mend.SessionCheck, error)
}

// checkHistoryYears is how far back a page of answers reads.
const checkHistoryYears = 5

// sessionCheckFrom is the first session day a partner whose today is
// today may answer about.
func sessionCheckFrom(today time.Time) time.Time {
	return today.AddDate(0, 0, -mend.SessionCheckDays)
}

// checkDay is the session day in a path, when it may be answered about by
// a partner whose today is today: a real date from sessionCheckFrom to
// today. mend.ErrNoSessionToCheck otherwise.
func checkDay(day string, today time.Time) (time.Time, error) {
	d, err := mend.ParseDate(day)
	if err != nil || d.After(today) || d.Before(sessionCheckFrom(today)) {
		return time.Time{}, mend.ErrNoSessionToCheck
	}
	return d, nil
}

// SessionChecks returns partner u's own answers after sessions, latest
// session first, and the recent sessions of the couple's current
// therapist they may answer about (none without an active therapist).
// ErrNoSpace when u is in no space.
func (s *Therapy) SessionChecks(ctx context.Context, u *mend.User) (*mend.SessionCheckPage, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, err
	}
	today := s.today(u)
	r, err := s.Store.SessionCheckReads(ctx, a, sessionCheckFrom(today), today, today.AddDate(-checkHistoryYears, 0, 0))
	if mend.ErrorCode(err) == mend.NotFound {
		return nil, ErrNoSpace
	}
	if err != nil {
		return nil, err
	}
	return &mend.SessionCheckPage{Space: r.Space, Today: today, Open: r.Open, Earlier: r.Mine}, nil
}

// SessionCheck returns partner u's check about the session of day
// (YYYY-MM-DD), with their answer so far and their earlier answers.
// mend.ErrNoSessionToCheck when day is not a session of the couple's
// current therapist from mend.SessionCheckDays ago to today; ErrNoSpace.
func (s *Therapy) SessionCheck(ctx context.Context, u *mend.User, day string) (*mend.SessionCheckPage, error) {
	d, err := checkDay(day, s.today(u))
	if err != nil {
		return nil, err
	}
	p, err := s.SessionChecks(ctx, u)
	if err != nil {
		return nil, err
	}
	for i := range p.Open {
		if p.Open[i].Day.Equal(d) {
			p.Session = &p.Open[i]
		}
	}
	if p.Session == nil {
		return nil, mend.ErrNoSessionToCheck
	}
	for i := range p.Earlier {
		if p.Earlier[i].SessionDay.Equal(d) {
			p.Existing = &p.Earlier[i]
		}
	}
	return p, nil
}

// SessionCheckInput is the form of the check after a session.
type SessionCheckInput struct {
	Went, Heard, Connected, Hopeful, Note string
	Share                                 bool
	FormKey                               string
}

// SaveSessionCheck saves partner u's answers about the session of day;
// answering again changes them. A form sent twice saves once. The answers
// reach the therapist only when in.Share. Errors: Invalid with Fields
// ("went", "heard", "connected", "hopeful", "note");
// mend.ErrNoSessionToCheck as SessionCheck; ErrNoSpace.
func (s *Therapy) SaveSessionCheck(ctx context.Context, u *mend.User, day string, in SessionCheckInput) error {
	today := s.today(u)
	d, err := checkDay(day, today)
	if err != nil {
		return err
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	fe := mend.FieldErrors{}
	c := mend.SessionCheck{SessionDay: d, Note: strings.TrimSpace(in.Note), Shared: in.Share}
	c.Went = scale(fe, "went", in.Went, 1, 5, "Choose how the session went for you, from 1 (hard) to 5 (helpful).")
	c.Heard = scale(fe, "heard", in.Heard, 1, 5, "Choose how much you felt heard, from 1 (not at all) to 5 (completely).")
	c.Connected = scale(fe, "connected", in.Connected, 0, 10, "Choose how close and connected you feel, from 0 to 10.")
	c.Hopeful = scale(fe, "hopeful", in.Hopeful, 0, 10, "Choose how hopeful you feel, from 0 to 10.")
	mend.LimitSessionCheckNote.Check(fe, "note", c.Note)
	if err := fe.Err(); err != nil {
		return err
	}
	return ignoreUsed(s.Store.SaveSessionCheck(ctx, a, c, sessionCheckFrom(today), today, FormKeyHash(in.FormKey)))
}

// TherapistSessionChecks returns therapist u's page of the answers the
// partners of coupleID shared with them after sessions, logging the view
// first. Only shared answers, written during u's link, of partners in
// their current membership. NotFound without an active, agreed link.
func (s *Therapy) TherapistSessionChecks(ctx context.Context, u *mend.User, coupleID int64) (*mend.TherapistSessionChecksPage, error) {
	a, err := openView(ctx, s.Store, u, coupleID, "session-checks")
	if err != nil {
		return nil, err
	}
	today := s.today(u)
	// A partner far east of the therapist may be a day or two ahead.
	return s.Store.TherapistSessionChecks(ctx, a, today.AddDate(-checkHistoryYears, 0, 0), today.AddDate(0, 0, 2))
}
