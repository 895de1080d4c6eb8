package mend

import "time"

// The commitment state machine: every decision a partner makes about a
// commitment, as one pure function of the commitment and the decision.
//
//	proposed --agree--> active <--resume-- paused
//	proposed --decline--> declined       active --pause--> paused
//	proposed --withdraw--> withdrawn     active, paused --complete--> completed
//
// Beside the state, a commitment may carry one pending version (a proposal,
// or a change to the terms in force): the other partner agrees to it (it
// comes into force), asks for a change (the proposer revises it) or
// declines it (a proposal ends; a change is dropped); until it is agreed,
// its proposer may withdraw it (a proposal ends; a change is dropped, and
// the agreed terms go on). Declined, withdrawn and completed are the end.

// DecisionKind is what a partner decides about a commitment.
type DecisionKind int

const (
	// DecideAgree brings the pending version into force.
	DecideAgree DecisionKind = iota + 1
	// DecideAskChange asks the proposer to change the pending version.
	DecideAskChange
	// DecideDecline turns the pending version down.
	DecideDecline
	// DecideRevise writes new terms to be agreed.
	DecideRevise
	// DecideKeep keeps a commitment whose review is due, with a new review date.
	DecideKeep
	// DecidePause pauses a commitment in force.
	DecidePause
	// DecideResume brings a paused commitment back into force.
	DecideResume
	// DecideComplete ends a commitment in force or paused, as done.
	DecideComplete
	// DecideWithdraw takes back the pending version, by its proposer.
	DecideWithdraw
)

// Decision is one partner's decision about a commitment.
type Decision struct {
	Kind DecisionKind
	By   int64  // the partner deciding
	Note string // for an answer: what they say with it
	// Terms are the new terms of a revision; Decide numbers them and marks
	// who proposed them.
	Terms *CommitmentVersion
	// ReviewOn is the next review of a commitment kept at its review.
	ReviewOn time.Time
	// Today is the owner's local date: a review is due by it, and the
	// decision is recorded on it.
	Today time.Time
	// Latest is the highest version number the commitment has.
	Latest int
	// TermsFrom is the earliest start the reviser's form offers (their
	// own today): terms that started before it read as starting on it.
	TermsFrom time.Time
}

// Refusals of the state machine, each with the words a person reads.
var (
	ErrNothingPending    = &Error{Code: Conflict, Message: "There is nothing waiting for an answer on this commitment now."}
	ErrNotTheOther       = &Error{Code: Forbidden, Message: "Only your partner can answer what you proposed."}
	ErrNotTheProposer    = &Error{Code: Forbidden, Message: "Only the partner who proposed it can withdraw it. You can decline it instead."}
	ErrCommitmentEnded   = &Error{Code: Conflict, Message: "This commitment has ended. You can propose a new one."}
	ErrAnswerChangeFirst = &Error{Code: Conflict, Message: "Your partner has proposed a change. Please answer it first."}
	ErrChangeWaits       = &Error{Code: Conflict, Message: "A change to this commitment waits for an answer first: agreeing to it sets its own review date."}
	ErrNotPossibleNow    = &Error{Code: Conflict, Message: "That is not possible for this commitment now. Please reload the page."}
)

// LatestVersion is the highest version number among versions.
func LatestVersion(versions map[int]*CommitmentVersion) int {
	latest := 0
	for n := range versions {
		latest = max(latest, n)
	}
	return latest
}

// Decide returns what decision d does to commitment c, or the error that
// refuses it (one of the Err… of the state machine above). It reads
// nothing but its arguments and changes neither.
func Decide(c *Commitment, d Decision) (*CommitmentChange, error) {
	ch := &CommitmentChange{State: c.State, Version: c.Version, Pending: c.Pending, ChangesAsked: c.ChangesAsked,
		Event: CommitmentEvent{OnDay: d.Today}}
	switch d.Kind {
	case DecideAgree, DecideAskChange, DecideDecline:
		if err := answerable(c, d.By); err != nil {
			return nil, err
		}
		ch.Event.Version, ch.Event.Note = c.Pending, d.Note
	}
	switch d.Kind {
	case DecideAgree:
		ch.Version, ch.Pending, ch.ChangesAsked = c.Pending, 0, false
		if c.State == Proposed {
			ch.State = Active
		}
		ch.Event.Action = ActAgreed
	case DecideAskChange:
		ch.ChangesAsked = true
		ch.Event.Action = ActAskedChange
	case DecideDecline:
		ch.ChangesAsked = false
		if c.State == Proposed {
			// A declined proposal keeps its terms (as Pending) to be read.
			ch.State = Declined
		} else {
			ch.Pending = 0
		}
		ch.Event.Action = ActDeclined
	case DecideRevise:
		switch {
		case c.Ended():
			return nil, ErrCommitmentEnded
		case c.Proposal != nil && c.Proposal.ProposedBy != d.By:
			return nil, ErrAnswerChangeFirst
		case d.Terms == nil:
			return nil, ErrNotPossibleNow
		case c.Proposal != nil && SameTerms(c.Proposal, d.Terms, d.TermsFrom):
			if c.ChangesAsked {
				return nil, ErrSameAsAsked
			}
			return nil, ErrSameAsWaiting
		case c.Proposal == nil && c.Current != nil && SameTerms(c.Current, d.Terms, d.TermsFrom):
			return nil, ErrSameAsInForce
		}
		v := *d.Terms
		v.Version, v.ProposedBy = d.Latest+1, d.By
		ch.Pending, ch.ChangesAsked, ch.NewVersion = v.Version, false, &v
		ch.Event.Version, ch.Event.Action = v.Version, ActRevised
	case DecideKeep:
		switch {
		case c.Pending != 0:
			return nil, ErrChangeWaits
		case c.State != Active || c.Current == nil || c.Current.ReviewOn.After(d.Today):
			return nil, ErrNotPossibleNow
		}
		v := *c.Current
		v.Version, v.ProposedBy, v.ReviewOn = d.Latest+1, d.By, d.ReviewOn
		ch.Version, ch.NewVersion = v.Version, &v
		ch.Event.Version, ch.Event.Action = v.Version, ActKept
	case DecideWithdraw:
		switch {
		case c.Proposal == nil || c.Ended():
			return nil, ErrNothingPending
		case c.Proposal.ProposedBy != d.By:
			return nil, ErrNotTheProposer
		}
		ch.ChangesAsked = false
		if c.State == Proposed {
			// A withdrawn proposal keeps its terms (as Pending) to be read.
			ch.State = Withdrawn
		} else {
			// A withdrawn change is dropped: the agreed terms go on.
			ch.Pending = 0
		}
		ch.Event.Version, ch.Event.Action = c.Pending, ActWithdrawn
	case DecidePause, DecideResume, DecideComplete:
		ch.Event.Version = c.Version
		switch {
		case d.Kind == DecidePause && c.State == Active:
			ch.State, ch.Event.Action = Paused, ActPaused
		case d.Kind == DecideResume && c.State == Paused:
			ch.State, ch.Event.Action = Active, ActResumed
		case d.Kind == DecideComplete && (c.State == Active || c.State == Paused):
			ch.State, ch.Event.Action = Completed, ActCompleted
			ch.Pending, ch.ChangesAsked = 0, false
		default:
			return nil, ErrNotPossibleNow
		}
	default:
		return nil, ErrNotPossibleNow
	}
	return ch, nil
}

// answerable refuses an answer when nothing waits for one, or when the one
// answering proposed what waits.
func answerable(c *Commitment, by int64) error {
	switch {
	case c.Proposal == nil || c.Ended():
		return ErrNothingPending
	case c.Proposal.ProposedBy == by:
		return ErrNotTheOther
	}
	return nil
}

// Terms that say nothing new are refused: no version is written for them.
var (
	ErrSameAsWaiting = &Error{Code: Invalid, Message: "This is the version already waiting for your partner's answer. Change something to propose a new one."}
	ErrSameAsAsked   = &Error{Code: Invalid, Message: "This is the version your partner asked you to change. Change something to propose a new one."}
	ErrSameAsInForce = &Error{Code: Invalid, Message: "This is the version you both agreed to. Change something to propose a new one."}
)

// SameTerms reports whether v, read from a form whose earliest start is
// from, says what base says. A base that started before from counts as
// starting on it, as the form cannot say otherwise.
func SameTerms(base, v *CommitmentVersion, from time.Time) bool {
	start := base.StartsOn
	if from.After(start) {
		start = from
	}
	return base.Title == v.Title && base.Details == v.Details && base.Rhythm == v.Rhythm && base.Weekdays == v.Weekdays &&
		start.Format(time.DateOnly) == v.StartsOn.Format(time.DateOnly) &&
		base.ReviewOn.Format(time.DateOnly) == v.ReviewOn.Format(time.DateOnly) && base.Visibility == v.Visibility
}
