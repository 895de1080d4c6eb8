package mend_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// The partners of the table below: ana proposes, ben answers.
const ana, ben = int64(1), int64(2)

func version(n int, by int64, review string) *mend.CommitmentVersion {
	return &mend.CommitmentVersion{Version: n, ProposedBy: by, Title: "Home by 7", Rhythm: mend.Daily,
		StartsOn: day("2027-03-01"), ReviewOn: day(review), Visibility: mend.MyPartner}
}

// proposal is a commitment ana proposed and nobody answered yet.
func proposal() mend.Commitment {
	return mend.Commitment{ID: 9, OwnerID: ana, State: mend.Proposed, Pending: 1, Proposal: version(1, ana, "2027-03-29")}
}

// inForce is an agreed commitment (version 1) with its review on review.
func inForce(review string) mend.Commitment {
	return mend.Commitment{ID: 9, OwnerID: ana, State: mend.Active, Version: 1, Current: version(1, ana, review)}
}

// changed is inForce with a change (version 2) proposed by by.
func changed(by int64) mend.Commitment {
	c := inForce("2027-03-29")
	c.Pending, c.Proposal = 2, version(2, by, "2027-04-29")
	return c
}

// startingOn is v starting on d, as a form sent on d says it.
func startingOn(v *mend.CommitmentVersion, d time.Time) *mend.CommitmentVersion {
	w := *v
	w.StartsOn = d
	return &w
}

func with(c mend.Commitment, f func(*mend.Commitment)) mend.Commitment { f(&c); return c }

func TestDecide_Transitions(t *testing.T) {
	today := day("2027-03-10")
	newTerms := version(0, 0, "2027-05-01")
	for _, tc := range []struct {
		name string
		c    mend.Commitment
		d    mend.Decision
		want *mend.CommitmentChange
		err  error
	}{
		{"the other partner agrees to a proposal: in force", proposal(),
			mend.Decision{Kind: mend.DecideAgree, By: ben, Note: "yes"},
			&mend.CommitmentChange{State: mend.Active, Version: 1, Event: mend.CommitmentEvent{Version: 1, Action: mend.ActAgreed, Note: "yes"}}, nil},
		{"agreeing to a change brings it into force, the state stays", with(changed(ben), func(c *mend.Commitment) { c.ChangesAsked = true }),
			mend.Decision{Kind: mend.DecideAgree, By: ana},
			&mend.CommitmentChange{State: mend.Active, Version: 2, Event: mend.CommitmentEvent{Version: 2, Action: mend.ActAgreed}}, nil},
		{"agreeing to a change of a paused commitment keeps it paused", with(changed(ben), func(c *mend.Commitment) { c.State = mend.Paused }),
			mend.Decision{Kind: mend.DecideAgree, By: ana},
			&mend.CommitmentChange{State: mend.Paused, Version: 2, Event: mend.CommitmentEvent{Version: 2, Action: mend.ActAgreed}}, nil},
		{"the proposer cannot agree", proposal(), mend.Decision{Kind: mend.DecideAgree, By: ana}, nil, mend.ErrNotTheOther},
		{"the proposer cannot ask for a change", proposal(), mend.Decision{Kind: mend.DecideAskChange, By: ana, Note: "hm"}, nil, mend.ErrNotTheOther},
		{"the proposer cannot decline", changed(ben), mend.Decision{Kind: mend.DecideDecline, By: ben}, nil, mend.ErrNotTheOther},
		{"nothing pending: nothing to agree to", inForce("2027-03-29"), mend.Decision{Kind: mend.DecideAgree, By: ben}, nil, mend.ErrNothingPending},
		{"a declined proposal waits for nothing", with(proposal(), func(c *mend.Commitment) { c.State = mend.Declined }),
			mend.Decision{Kind: mend.DecideAgree, By: ben}, nil, mend.ErrNothingPending},
		{"a completed commitment waits for nothing", with(changed(ben), func(c *mend.Commitment) { c.State = mend.Completed }),
			mend.Decision{Kind: mend.DecideDecline, By: ana}, nil, mend.ErrNothingPending},
		{"asking for a change keeps the proposal pending", proposal(),
			mend.Decision{Kind: mend.DecideAskChange, By: ben, Note: "weekdays only"},
			&mend.CommitmentChange{State: mend.Proposed, Pending: 1, ChangesAsked: true, Event: mend.CommitmentEvent{Version: 1, Action: mend.ActAskedChange, Note: "weekdays only"}}, nil},
		{"a declined proposal ends, keeping its terms to be read", with(proposal(), func(c *mend.Commitment) { c.ChangesAsked = true }),
			mend.Decision{Kind: mend.DecideDecline, By: ben, Note: "no"},
			&mend.CommitmentChange{State: mend.Declined, Pending: 1, Event: mend.CommitmentEvent{Version: 1, Action: mend.ActDeclined, Note: "no"}}, nil},
		{"a declined change is dropped; the commitment goes on", changed(ben),
			mend.Decision{Kind: mend.DecideDecline, By: ana},
			&mend.CommitmentChange{State: mend.Active, Version: 1, Event: mend.CommitmentEvent{Version: 2, Action: mend.ActDeclined}}, nil},
		{"the proposer revises their proposal after a change was asked", with(proposal(), func(c *mend.Commitment) { c.ChangesAsked = true }),
			mend.Decision{Kind: mend.DecideRevise, By: ana, Terms: newTerms, Latest: 1},
			&mend.CommitmentChange{State: mend.Proposed, Pending: 2, NewVersion: with2(newTerms, 2, ana), Event: mend.CommitmentEvent{Version: 2, Action: mend.ActRevised}}, nil},
		{"either partner proposes a change to a commitment in force", inForce("2027-03-29"),
			mend.Decision{Kind: mend.DecideRevise, By: ben, Terms: newTerms, Latest: 3},
			&mend.CommitmentChange{State: mend.Active, Version: 1, Pending: 4, NewVersion: with2(newTerms, 4, ben), Event: mend.CommitmentEvent{Version: 4, Action: mend.ActRevised}}, nil},
		{"no revising over the partner's proposal", changed(ben), mend.Decision{Kind: mend.DecideRevise, By: ana, Terms: newTerms, Latest: 2}, nil, mend.ErrAnswerChangeFirst},
		{"terms the same as those in force write nothing", inForce("2027-03-29"),
			mend.Decision{Kind: mend.DecideRevise, By: ben, Terms: startingOn(version(0, 0, "2027-03-29"), today), TermsFrom: today, Latest: 1}, nil, mend.ErrSameAsInForce},
		{"the same terms with another review date are a change", inForce("2027-03-29"),
			mend.Decision{Kind: mend.DecideRevise, By: ben, Terms: startingOn(version(0, 0, "2027-04-29"), today), TermsFrom: today, Latest: 1},
			&mend.CommitmentChange{State: mend.Active, Version: 1, Pending: 2, NewVersion: with2(startingOn(version(0, 0, "2027-04-29"), today), 2, ben),
				Event: mend.CommitmentEvent{Version: 2, Action: mend.ActRevised}}, nil},
		{"the waiting proposal sent unchanged writes nothing", proposal(),
			mend.Decision{Kind: mend.DecideRevise, By: ana, Terms: version(0, 0, "2027-03-29"), TermsFrom: day("2027-03-01"), Latest: 1}, nil, mend.ErrSameAsWaiting},
		{"the proposal asked to change, sent unchanged, writes nothing", with(changed(ana), func(c *mend.Commitment) { c.ChangesAsked = true }),
			mend.Decision{Kind: mend.DecideRevise, By: ana, Terms: version(0, 0, "2027-04-29"), TermsFrom: day("2027-03-01"), Latest: 2}, nil, mend.ErrSameAsAsked},
		{"no revising an ended commitment", with(inForce("2027-03-29"), func(c *mend.Commitment) { c.State = mend.Completed }),
			mend.Decision{Kind: mend.DecideRevise, By: ana, Terms: newTerms, Latest: 1}, nil, mend.ErrCommitmentEnded},
		{"no revising a declined proposal", with(proposal(), func(c *mend.Commitment) { c.State = mend.Declined }),
			mend.Decision{Kind: mend.DecideRevise, By: ana, Terms: newTerms, Latest: 1}, nil, mend.ErrCommitmentEnded},
		{"kept at its review, with a new review date", inForce("2027-03-10"),
			mend.Decision{Kind: mend.DecideKeep, By: ben, ReviewOn: day("2027-06-01"), Latest: 1},
			&mend.CommitmentChange{State: mend.Active, Version: 2, NewVersion: with2(reviewed(version(1, ana, "2027-03-10"), "2027-06-01"), 2, ben),
				Event: mend.CommitmentEvent{Version: 2, Action: mend.ActKept}}, nil},
		{"not kept before its review is due", inForce("2027-03-11"), mend.Decision{Kind: mend.DecideKeep, By: ben, ReviewOn: day("2027-06-01"), Latest: 1}, nil, mend.ErrNotPossibleNow},
		{"not kept while a change waits", with(changed(ben), func(c *mend.Commitment) { c.Current.ReviewOn = today }),
			mend.Decision{Kind: mend.DecideKeep, By: ana, ReviewOn: day("2027-06-01"), Latest: 2}, nil, mend.ErrChangeWaits},
		{"not kept while paused", with(inForce("2027-03-01"), func(c *mend.Commitment) { c.State = mend.Paused }),
			mend.Decision{Kind: mend.DecideKeep, By: ana, ReviewOn: day("2027-06-01"), Latest: 1}, nil, mend.ErrNotPossibleNow},
		{"paused while in force", inForce("2027-03-29"), mend.Decision{Kind: mend.DecidePause, By: ben},
			&mend.CommitmentChange{State: mend.Paused, Version: 1, Event: mend.CommitmentEvent{Version: 1, Action: mend.ActPaused}}, nil},
		{"not paused twice", with(inForce("2027-03-29"), func(c *mend.Commitment) { c.State = mend.Paused }), mend.Decision{Kind: mend.DecidePause, By: ben}, nil, mend.ErrNotPossibleNow},
		{"resumed while paused", with(inForce("2027-03-29"), func(c *mend.Commitment) { c.State = mend.Paused }), mend.Decision{Kind: mend.DecideResume, By: ana},
			&mend.CommitmentChange{State: mend.Active, Version: 1, Event: mend.CommitmentEvent{Version: 1, Action: mend.ActResumed}}, nil},
		{"not resumed while in force", inForce("2027-03-29"), mend.Decision{Kind: mend.DecideResume, By: ana}, nil, mend.ErrNotPossibleNow},
		{"completing drops a waiting change", with(changed(ben), func(c *mend.Commitment) { c.ChangesAsked = true }), mend.Decision{Kind: mend.DecideComplete, By: ana},
			&mend.CommitmentChange{State: mend.Completed, Version: 1, Event: mend.CommitmentEvent{Version: 1, Action: mend.ActCompleted}}, nil},
		{"a paused commitment can be completed", with(inForce("2027-03-29"), func(c *mend.Commitment) { c.State = mend.Paused }), mend.Decision{Kind: mend.DecideComplete, By: ben},
			&mend.CommitmentChange{State: mend.Completed, Version: 1, Event: mend.CommitmentEvent{Version: 1, Action: mend.ActCompleted}}, nil},
		{"a proposal cannot be completed", proposal(), mend.Decision{Kind: mend.DecideComplete, By: ana}, nil, mend.ErrNotPossibleNow},
		{"a proposal cannot be paused", proposal(), mend.Decision{Kind: mend.DecidePause, By: ana}, nil, mend.ErrNotPossibleNow},
		{"the proposer withdraws a proposal: it ends, keeping its terms to be read", proposal(),
			mend.Decision{Kind: mend.DecideWithdraw, By: ana},
			&mend.CommitmentChange{State: mend.Withdrawn, Pending: 1, Event: mend.CommitmentEvent{Version: 1, Action: mend.ActWithdrawn}}, nil},
		{"a proposal asked to change can be withdrawn instead", with(proposal(), func(c *mend.Commitment) { c.ChangesAsked = true }),
			mend.Decision{Kind: mend.DecideWithdraw, By: ana},
			&mend.CommitmentChange{State: mend.Withdrawn, Pending: 1, Event: mend.CommitmentEvent{Version: 1, Action: mend.ActWithdrawn}}, nil},
		{"a withdrawn change is dropped; the agreed version goes on", changed(ben),
			mend.Decision{Kind: mend.DecideWithdraw, By: ben},
			&mend.CommitmentChange{State: mend.Active, Version: 1, Event: mend.CommitmentEvent{Version: 2, Action: mend.ActWithdrawn}}, nil},
		{"a withdrawn change of a paused commitment leaves it paused", with(changed(ana), func(c *mend.Commitment) { c.State, c.ChangesAsked = mend.Paused, true }),
			mend.Decision{Kind: mend.DecideWithdraw, By: ana},
			&mend.CommitmentChange{State: mend.Paused, Version: 1, Event: mend.CommitmentEvent{Version: 2, Action: mend.ActWithdrawn}}, nil},
		{"only the proposer withdraws", proposal(), mend.Decision{Kind: mend.DecideWithdraw, By: ben}, nil, mend.ErrNotTheProposer},
		{"only the proposer withdraws a change", changed(ben), mend.Decision{Kind: mend.DecideWithdraw, By: ana}, nil, mend.ErrNotTheProposer},
		{"nothing pending: nothing to withdraw", inForce("2027-03-29"), mend.Decision{Kind: mend.DecideWithdraw, By: ana}, nil, mend.ErrNothingPending},
		{"not withdrawn twice", with(proposal(), func(c *mend.Commitment) { c.State = mend.Withdrawn }),
			mend.Decision{Kind: mend.DecideWithdraw, By: ana}, nil, mend.ErrNothingPending},
		{"not withdrawn once declined", with(proposal(), func(c *mend.Commitment) { c.State = mend.Declined }),
			mend.Decision{Kind: mend.DecideWithdraw, By: ana}, nil, mend.ErrNothingPending},
		{"a withdrawn proposal waits for no answer", with(proposal(), func(c *mend.Commitment) { c.State = mend.Withdrawn }),
			mend.Decision{Kind: mend.DecideAgree, By: ben}, nil, mend.ErrNothingPending},
		{"no revising a withdrawn proposal", with(proposal(), func(c *mend.Commitment) { c.State = mend.Withdrawn }),
			mend.Decision{Kind: mend.DecideRevise, By: ana, Terms: newTerms, Latest: 1}, nil, mend.ErrCommitmentEnded},
		{"an unknown decision is not possible", inForce("2027-03-29"), mend.Decision{By: ana}, nil, mend.ErrNotPossibleNow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			before := deepCopy(c)
			tc.d.Today = today
			got, err := mend.Decide(&c, tc.d)
			if !reflect.DeepEqual(c, before) {
				t.Errorf("Decide changed the commitment: %+v", c)
			}
			if tc.err != nil {
				if !errors.Is(err, tc.err) || got != nil {
					t.Fatalf("Decide = %+v, %v; want %v", got, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decide: %v", err)
			}
			tc.want.Event.OnDay = today
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Decide =\n  %+v (new %+v)\nwant\n  %+v (new %+v)", got, got.NewVersion, tc.want, tc.want.NewVersion)
			}
		})
	}
}

// with2 is v numbered n and proposed by by.
func with2(v *mend.CommitmentVersion, n int, by int64) *mend.CommitmentVersion {
	cp := *v
	cp.Version, cp.ProposedBy = n, by
	return &cp
}

func reviewed(v *mend.CommitmentVersion, on string) *mend.CommitmentVersion {
	v.ReviewOn = day(on)
	return v
}

func deepCopy(c mend.Commitment) mend.Commitment {
	if c.Current != nil {
		cur := *c.Current
		c.Current = &cur
	}
	if c.Proposal != nil {
		p := *c.Proposal
		c.Proposal = &p
	}
	return c
}

func TestLatestVersion(t *testing.T) {
	if n := mend.LatestVersion(nil); n != 0 {
		t.Errorf("no versions: %d", n)
	}
	if n := mend.LatestVersion(map[int]*mend.CommitmentVersion{1: nil, 4: nil, 2: nil}); n != 4 {
		t.Errorf("latest = %d, want 4", n)
	}
}
