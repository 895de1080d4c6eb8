package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// The decisions partners make about a commitment. Each checks its form,
// then, under the commitment's lock, asks the state machine (mend.Decide)
// what the decision does.

// decision is what a partner decides, once the commitment and its versions
// are read under lock and the owner's today is known.
type decision func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion, today time.Time) (*mend.CommitmentChange, error)

// decide runs one decision of u on commitment id under its lock. Its day
// is the owner's local date, whoever decides: the periods read from the
// decisions are counted in the owner's days, as are logs and reviews.
func (s *Commitments) decide(ctx context.Context, u *mend.User, id int64, f decision) error {
	return s.decideOnce(ctx, u, id, nil, f)
}

// decideOnce is decide for a form with a key (nil: none): the same form
// sent again decides nothing more.
func (s *Commitments) decideOnce(ctx context.Context, u *mend.User, id int64, formKey []byte, f decision) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	err = s.Store.DecideCommitmentOnce(ctx, a, id, formKey, func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion) (*mend.CommitmentChange, error) {
		owner := mend.Member{UserID: c.OwnerID, TimeZone: c.OwnerTimeZone}
		return f(c, versions, mend.Date(s.Now(), owner.Location()))
	})
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return err
}

// by is the decision of kind by u, as the state machine reads it.
func by(u *mend.User, kind mend.DecisionKind, d mend.Decision) decision {
	return func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion, today time.Time) (*mend.CommitmentChange, error) {
		d.Kind, d.By, d.Today, d.Latest = kind, u.ID, today, mend.LatestVersion(versions)
		return mend.Decide(c, d)
	}
}

func note(fe mend.FieldErrors, v string, required bool) string {
	v = strings.TrimSpace(v)
	if v == "" && required {
		fe.Add("note", "Say what you would like changed, so your partner can change it.")
	}
	mend.LimitDecisionNote.Check(fe, mend.FieldNote, v)
	return v
}

// Answer gives u's answer (agree, change or decline) to the pending
// version of commitment id, with a note.
func (s *Commitments) Answer(ctx context.Context, u *mend.User, id int64, answer mend.Answer, msg string) error {
	switch answer {
	case mend.AnswerAgree:
		return s.Agree(ctx, u, id, msg)
	case mend.AnswerChange:
		return s.AskChange(ctx, u, id, msg)
	case mend.AnswerDecline:
		return s.Decline(ctx, u, id, msg)
	}
	// Looked up first, so that a commitment that is not u's is a 404.
	return s.decide(ctx, u, id, func(*mend.Commitment, map[int]*mend.CommitmentVersion, time.Time) (*mend.CommitmentChange, error) {
		return nil, &mend.Error{Code: mend.Invalid, Message: "Choose to agree, ask for a change, or decline."}
	})
}

// answer runs u's answer of kind to the pending version of commitment id,
// with a note (required when asking for a change).
func (s *Commitments) answer(ctx context.Context, u *mend.User, id int64, kind mend.DecisionKind, msg string) error {
	fe := mend.FieldErrors{}
	msg = note(fe, msg, kind == mend.DecideAskChange)
	if err := fe.Err(); err != nil {
		return err
	}
	return s.decide(ctx, u, id, by(u, kind, mend.Decision{Note: msg}))
}

// Agree makes the pending version of commitment id the one in force. Only
// the partner who did not propose it may agree.
func (s *Commitments) Agree(ctx context.Context, u *mend.User, id int64, msg string) error {
	return s.answer(ctx, u, id, mend.DecideAgree, msg)
}

// AskChange asks the proposer to change the pending version, saying what.
func (s *Commitments) AskChange(ctx context.Context, u *mend.User, id int64, msg string) error {
	return s.answer(ctx, u, id, mend.DecideAskChange, msg)
}

// Decline turns the pending version down: a proposal ends there, a change
// to a commitment in force is dropped and the commitment goes on as it was.
func (s *Commitments) Decline(ctx context.Context, u *mend.User, id int64, msg string) error {
	return s.answer(ctx, u, id, mend.DecideDecline, msg)
}

// Withdraw takes back what u proposed on commitment id while it waits for
// the other partner's answer: a proposal ends, kept to be read as
// withdrawn; a change is dropped and the agreed version goes on. Only its
// proposer may (Forbidden for the other partner); NotFound when u may not
// see it; Conflict when nothing waits. The same form (formKey) sent again
// withdraws nothing more.
func (s *Commitments) Withdraw(ctx context.Context, u *mend.User, id int64, formKey string) error {
	return s.decideOnce(ctx, u, id, FormKeyHash(formKey), by(u, mend.DecideWithdraw, mend.Decision{}))
}

// Revise writes a new version of commitment id for agreement: the proposer
// changes their pending proposal, or either partner proposes a change to a
// commitment in force (or paused). The version in force stays until the
// other partner agrees. The owner does not change. Terms the same as the
// version they would replace (the proposal waiting, else the one in force)
// are refused as Invalid: no version is written that says nothing new.
func (s *Commitments) Revise(ctx context.Context, u *mend.User, id int64, in CommitmentInput) error {
	fe := mend.FieldErrors{}
	myToday := s.today(u)
	v := terms(fe, in, myToday)
	if err := fe.Err(); err != nil {
		return err
	}
	return s.decideOnce(ctx, u, id, FormKeyHash(in.FormKey), by(u, mend.DecideRevise, mend.Decision{Terms: &v, TermsFrom: myToday}))
}

// reviewDecisions are the decisions of the review form.
var reviewDecisions = map[mend.ReviewAction]mend.DecisionKind{
	mend.ReviewKeep: mend.DecideKeep, mend.ReviewPause: mend.DecidePause,
	mend.ReviewResume: mend.DecideResume, mend.ReviewComplete: mend.DecideComplete,
}

// Review keeps commitment id with a new review date (once its review is
// due), pauses or completes it (while in force), or resumes it (while
// paused). Either partner may; both see who did.
func (s *Commitments) Review(ctx context.Context, u *mend.User, id int64, action mend.ReviewAction, reviewOn string) error {
	today := s.today(u)
	var next time.Time
	if action == mend.ReviewKeep {
		fe := mend.FieldErrors{}
		d, err := mend.ParseDate(strings.TrimSpace(reviewOn))
		switch {
		case err != nil:
			fe.Add("review_on", "Choose the date of the next review.")
		case !d.After(today):
			fe.Add("review_on", "Choose a review date after today.")
		case d.After(today.AddDate(1, 0, 0)):
			fe.Add("review_on", "Choose a review date within the next year.")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		next = d
	}
	// An action that is none of these decides nothing: the state machine
	// refuses it, after the lookup (a commitment that is not u's is a 404).
	return s.decide(ctx, u, id, by(u, reviewDecisions[action], mend.Decision{ReviewOn: next}))
}
