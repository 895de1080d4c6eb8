package service_test

import (
	"context"
	"fmt"
	"math"
	"sync"
	"testing"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// Decisions about commitments, through the service and the store: agreeing,
// changing, declining, reviewing.

func TestCommitments_ProposeForMeThenTheOtherPartnerAgrees(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")

	in := promise("  Home by 7 or I call  ", "2027-03-29")
	in.Details = "  If I am late, I call before 7.  "
	id := e.propose(t, a, in)
	v := e.view(t, b, id)
	if v.OwnerID != a.ID || v.CoupleID != coupleID || v.State != mend.Proposed || v.Version != 0 || v.Pending != 1 ||
		v.ChangesAsked || v.Current != nil || v.Proposal == nil || v.Terms() != v.Proposal {
		t.Fatalf("proposal = %+v", v.Commitment)
	}
	p := v.Proposal
	if p.Version != 1 || p.ProposedBy != a.ID || p.Title != "Home by 7 or I call" || p.Details != "If I am late, I call before 7." ||
		p.Rhythm != mend.Daily || p.Weekdays != 0 || !p.StartsOn.Equal(mustDate("2027-03-01")) ||
		!p.ReviewOn.Equal(mustDate("2027-03-29")) || p.Visibility != mend.MyPartner {
		t.Fatalf("proposed terms = %+v", p)
	}
	if got := decisions(v, a, b); got != "proposed 1 Ana" {
		t.Fatalf("history = %s", got)
	}
	if !v.Events[0].OnDay.Equal(mustDate("2027-03-01")) || v.Events[0].At.IsZero() {
		t.Fatalf("proposal event = %+v", v.Events[0])
	}
	if len(v.Periods) != 0 || v.DueToday || v.ReviewDue || !math.IsNaN(v.Stat(30).Percent) {
		t.Fatalf("a proposal is already in force: periods %v, due %v, stat %+v", v.Periods, v.DueToday, v.Stat(30))
	}
	la, lb := e.list(t, a), e.list(t, b)
	wantIDs(t, la.ForPartner, "Ana's list, waiting for Ben", id)
	wantIDs(t, la.ForMe, "Ana's list, waiting for Ana")
	wantIDs(t, lb.ForMe, "Ben's list, waiting for Ben", id)
	wantIDs(t, lb.ForPartner, "Ben's list, waiting for Ana")
	wantIDs(t, la.Active, "Ana's active list")

	if err := e.s.Agree(context.Background(), b, id, "  Yes, let's.  "); err != nil {
		t.Fatal(err)
	}
	v = e.view(t, a, id)
	if v.State != mend.Active || v.Version != 1 || v.Pending != 0 || v.ChangesAsked || v.Proposal != nil ||
		v.Current == nil || v.Current.Title != "Home by 7 or I call" || v.Terms() != v.Current {
		t.Fatalf("agreed = %+v", v.Commitment)
	}
	if got := decisions(v, a, b); got != "proposed 1 Ana, agreed 1 Ben" {
		t.Fatalf("history = %s", got)
	}
	if v.Events[1].Note != "Yes, let's." || !v.Events[1].OnDay.Equal(mustDate("2027-03-01")) {
		t.Fatalf("agreement event = %+v", v.Events[1])
	}
	if !v.DueToday || v.ReviewDue {
		t.Fatalf("just agreed: due today %v, review due %v", v.DueToday, v.ReviewDue)
	}
	la, lb = e.list(t, a), e.list(t, b)
	wantIDs(t, la.Active, "Ana's active list", id)
	wantIDs(t, lb.Active, "Ben's active list", id)
	wantIDs(t, la.ForPartner, "Ana's list, waiting for Ben")
	wantIDs(t, lb.ForMe, "Ben's list, waiting for Ben")
	wantIDs(t, la.DueToday, "due for Ana", id)
	wantIDs(t, lb.DueToday, "due for Ben (not his)")
}

func TestCommitments_AskingThePartnerMakesThemTheOwner(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")

	in := promise("Would you tell me about purchases over $50 first?", "2027-03-29")
	in.For = "partner"
	id := e.propose(t, a, in)
	v := e.view(t, a, id)
	if v.OwnerID != b.ID || v.Proposal.ProposedBy != a.ID {
		t.Fatalf("asked of the partner: owner %d, proposed by %d; want owner %d, proposed by %d", v.OwnerID, v.Proposal.ProposedBy, b.ID, a.ID)
	}
	wantCode(t, e.s.Agree(ctx, a, id, ""), mend.Forbidden, "the asker agreeing")
	e.agree(t, b, id)
	if p := e.detail(t, b, id); !p.Mine() {
		t.Fatal("the asked partner does not keep the commitment")
	}
	if p := e.detail(t, a, id); p.Mine() {
		t.Fatal("the asker keeps the commitment")
	}
	wantCode(t, e.s.Log(ctx, a, id, service.LogInput{Status: mend.Kept}), mend.NotFound, "the asker logging")
	e.log(t, b, id, "", mend.Kept, "")
	wantIDs(t, e.list(t, a).DueToday, "due for the asker")
}

func TestCommitments_AskForAChangeThenReviseThenAgree(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.propose(t, a, promise("Home by 7 or I call", "2027-03-29"))

	// A request for a change says what.
	for _, n := range []string{"", "   "} {
		wantOnly(t, e.s.AskChange(ctx, b, id, n), "note", fmt.Sprintf("asking for a change with note %q", n))
	}
	e.setNow(t, "2027-03-02T09:00:00Z")
	if err := e.s.AskChange(ctx, b, id, "  Could it be 8 on Fridays?  "); err != nil {
		t.Fatal(err)
	}
	v := e.view(t, a, id)
	if v.State != mend.Proposed || !v.ChangesAsked || v.Pending != 1 || v.Version != 0 {
		t.Fatalf("after asking for a change = %+v", v.Commitment)
	}
	if ev := v.Events[1]; ev.Action != mend.ActAskedChange || ev.Version != 1 || ev.ActorID != b.ID || ev.Note != "Could it be 8 on Fridays?" ||
		!ev.OnDay.Equal(mustDate("2027-03-02")) {
		t.Fatalf("change request = %+v", ev)
	}
	// Now it is Ana's turn: it waits for her, not for Ben.
	wantIDs(t, e.list(t, a).ForMe, "Ana's list while Ben asks for a change", id)
	wantIDs(t, e.list(t, b).ForPartner, "Ben's list while he asks for a change", id)

	// Only the proposer changes their proposal; the other answers it.
	wantCode(t, e.s.Revise(ctx, b, id, promise("Home by 8", "2027-03-29")), mend.Conflict, "the other partner rewriting the proposal")
	wantCode(t, e.s.Agree(ctx, a, id, ""), mend.Forbidden, "the proposer agreeing")

	e.revise(t, a, id, promise("Home by 7, by 8 on Fridays, or I call", "2027-03-30"))
	v = e.view(t, b, id)
	if v.State != mend.Proposed || v.ChangesAsked || v.Pending != 2 || v.Version != 0 || v.Current != nil ||
		v.Proposal == nil || v.Proposal.Title != "Home by 7, by 8 on Fridays, or I call" || v.Proposal.ProposedBy != a.ID ||
		!v.Proposal.StartsOn.Equal(mustDate("2027-03-02")) || !v.Proposal.ReviewOn.Equal(mustDate("2027-03-30")) {
		t.Fatalf("after the revision = %+v, proposal %+v", v.Commitment, v.Proposal)
	}
	wantIDs(t, e.list(t, b).ForMe, "Ben's list after the revision", id)

	e.agree(t, b, id)
	v = e.view(t, a, id)
	if v.State != mend.Active || v.Version != 2 || v.Pending != 0 || v.ChangesAsked || v.Current.Title != "Home by 7, by 8 on Fridays, or I call" {
		t.Fatalf("agreed = %+v", v.Commitment)
	}
	if got := titles(v); got != "1:Home by 7 or I call, 2:Home by 7, by 8 on Fridays, or I call" {
		t.Fatalf("versions = %s", got)
	}
	if got := decisions(v, a, b); got != "proposed 1 Ana, asked_change 1 Ben, revised 2 Ana, agreed 2 Ben" {
		t.Fatalf("history = %s", got)
	}
	// Both partners see the whole history.
	if vb := e.view(t, b, id); titles(vb) != titles(v) || decisions(vb, a, b) != decisions(v, a, b) {
		t.Fatalf("Ben sees versions %s and history %s", titles(vb), decisions(vb, a, b))
	}
}

func TestCommitments_ProposerMayReviseAgainBeforeAnAnswer(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.propose(t, a, promise("Walk together", "2027-03-29"))
	e.revise(t, a, id, promise("Walk together after dinner", "2027-03-29"))
	e.revise(t, a, id, onDays(promise("Walk together on weekends", "2027-03-29"), "5", "6"))
	v := e.view(t, b, id)
	if v.Pending != 3 || v.Proposal.Rhythm != mend.Weekdays || v.Proposal.Weekdays != 1<<5|1<<6 {
		t.Fatalf("after two revisions: pending %d, proposal %+v", v.Pending, v.Proposal)
	}
	e.agree(t, b, id)
	v = e.view(t, a, id)
	if v.Version != 3 || v.Current.Title != "Walk together on weekends" {
		t.Fatalf("agreed %d %+v", v.Version, v.Current)
	}
	if got := decisions(v, a, b); got != "proposed 1 Ana, revised 2 Ana, revised 3 Ana, agreed 3 Ben" {
		t.Fatalf("history = %s", got)
	}
}

func TestCommitments_DeclineAFirstProposalEndsIt(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.propose(t, a, promise("No phone at dinner", "2027-03-29"))

	wantCode(t, e.s.Decline(ctx, a, id, ""), mend.Forbidden, "the proposer declining")
	if err := e.s.Decline(ctx, b, id, "Not like this, let's talk first."); err != nil {
		t.Fatal(err)
	}
	v := e.view(t, a, id)
	// A declined proposal keeps its terms, to be read; nothing waits.
	if v.State != mend.Declined || v.Version != 0 || v.Terms() == nil || v.Terms().Title != "No phone at dinner" || v.Current != nil || v.ChangesAsked {
		t.Fatalf("declined = %+v", v.Commitment)
	}
	if got := decisions(v, a, b); got != "proposed 1 Ana, declined 1 Ben" || v.Events[1].Note != "Not like this, let's talk first." {
		t.Fatalf("history = %s (%+v)", got, v.Events)
	}
	if got := titles(v); got != "1:No phone at dinner" {
		t.Fatalf("the declined version is not kept: %s", got)
	}
	for _, u := range []*mend.User{a, b} {
		l := e.list(t, u)
		wantIDs(t, l.Ended, u.Name+"'s ended list", id)
		wantIDs(t, l.ForMe, u.Name+"'s list, waiting")
		wantIDs(t, l.ForPartner, u.Name+"'s list, waiting for the other")
	}
	// It has ended: nothing more can be decided, and it is never due.
	wantMessage(t, e.s.Agree(ctx, b, id, ""), mend.Conflict, "There is nothing waiting for an answer on this commitment now.", "agreeing after declining")
	wantCode(t, e.s.AskChange(ctx, b, id, "please"), mend.Conflict, "asking for a change after declining")
	wantCode(t, e.s.Decline(ctx, b, id, ""), mend.Conflict, "declining twice")
	wantCode(t, e.s.Revise(ctx, a, id, promise("No phone at dinner, mostly", "2027-03-29")), mend.Conflict, "revising a declined proposal")
	for _, act := range []mend.ReviewAction{mend.ReviewPause, mend.ReviewResume, mend.ReviewComplete} {
		wantCode(t, e.s.Review(ctx, a, id, act, ""), mend.Conflict, string(act)+" a declined proposal")
	}
	fieldRefused(t, e.s.Log(ctx, a, id, service.LogInput{Status: mend.Kept}), "day", "logging a declined proposal")
	if n := count(t, e.db, `SELECT count(*) FROM commitment_events WHERE commitment_id = $1`, id); n != 2 {
		t.Fatalf("%d events after the refusals, want 2", n)
	}
}

func TestCommitments_WithdrawAProposalEndsIt(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.propose(t, a, promise("No phone at dinner", "2027-03-29"))
	if err := e.s.AskChange(ctx, b, id, "Weekdays only?"); err != nil {
		t.Fatal(err)
	}

	wantCode(t, e.s.Withdraw(ctx, b, id, ""), mend.Forbidden, "the other partner withdrawing")
	key := service.NewFormKey()
	if err := e.s.Withdraw(ctx, a, id, key); err != nil {
		t.Fatal(err)
	}
	// The same form again withdraws nothing more, and says nothing of it.
	if err := e.s.Withdraw(ctx, a, id, key); err != nil {
		t.Fatalf("the same form sent again: %v", err)
	}
	v := e.view(t, b, id)
	// A withdrawn proposal keeps its terms, to be read; nothing waits.
	if v.State != mend.Withdrawn || v.Version != 0 || v.Terms() == nil || v.Terms().Title != "No phone at dinner" || v.Current != nil || v.ChangesAsked {
		t.Fatalf("withdrawn = %+v", v.Commitment)
	}
	if got := decisions(v, a, b); got != "proposed 1 Ana, asked_change 1 Ben, withdrawn 1 Ana" {
		t.Fatalf("history = %s", got)
	}
	for _, u := range []*mend.User{a, b} {
		l := e.list(t, u)
		wantIDs(t, l.Ended, u.Name+"'s ended list", id)
		wantIDs(t, l.ForMe, u.Name+"'s list, waiting")
		wantIDs(t, l.ForPartner, u.Name+"'s list, waiting for the other")
	}
	wantCode(t, e.s.Agree(ctx, b, id, ""), mend.Conflict, "agreeing after it was withdrawn")
	wantCode(t, e.s.Withdraw(ctx, a, id, ""), mend.Conflict, "withdrawing twice")
	wantCode(t, e.s.Revise(ctx, a, id, promise("No phone at dinner, mostly", "2027-03-29")), mend.Conflict, "revising a withdrawn proposal")
	if n := count(t, e.db, `SELECT count(*) FROM commitment_events WHERE commitment_id = $1`, id); n != 3 {
		t.Fatalf("%d events after the refusals, want 3", n)
	}
}

func TestCommitments_WithdrawAChangeKeepsTheAgreedVersion(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	e.setNow(t, "2027-03-03T10:00:00Z")
	e.revise(t, b, id, promise("Home by 7 on weekdays", "2027-03-31"))

	wantCode(t, e.s.Withdraw(ctx, a, id, ""), mend.Forbidden, "the owner withdrawing the partner's change")
	if err := e.s.Withdraw(ctx, b, id, ""); err != nil {
		t.Fatal(err)
	}
	v := e.view(t, a, id)
	if v.State != mend.Active || v.Version != 1 || v.Pending != 0 || v.Proposal != nil || v.Current.Title != "Home by 7 or I call" || v.ChangesAsked {
		t.Fatalf("after withdrawing the change = %+v", v.Commitment)
	}
	if got := decisions(v, a, b); got != "proposed 1 Ana, agreed 1 Ben, revised 2 Ben, withdrawn 2 Ben" {
		t.Fatalf("history = %s", got)
	}
	if len(v.Periods) != 1 || !v.Periods[0].Until.IsZero() {
		t.Fatalf("periods after a withdrawn change = %s", periodsString(v.Periods))
	}
	wantIDs(t, e.list(t, a).ForMe, "Ana's list after Ben withdrew his change")
	wantIDs(t, e.list(t, b).ForPartner, "Ben's list after he withdrew his change")
	wantIDs(t, e.list(t, a).Active, "Ana's active list", id)
	// Nothing waits now: either may propose a change again.
	e.revise(t, a, id, promise("Home by 7:30 or I call", "2027-03-31"))
}

func TestCommitments_DeclineAChangeKeepsTheVersionInForce(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))

	// Either partner may propose a change; the version in force stays.
	e.setNow(t, "2027-03-03T10:00:00Z")
	e.revise(t, b, id, onDays(promise("Home by 7 on weekdays", "2027-03-31"), "0", "1", "2", "3", "4"))
	v := e.view(t, a, id)
	if v.State != mend.Active || v.Version != 1 || v.Pending != 2 || v.Current.Title != "Home by 7 or I call" ||
		v.Proposal.Title != "Home by 7 on weekdays" || v.Proposal.ProposedBy != b.ID || v.Terms() != v.Current {
		t.Fatalf("a change waiting = %+v", v.Commitment)
	}
	wantIDs(t, e.list(t, a).ForMe, "Ana's list with Ben's change", id)
	wantIDs(t, e.list(t, a).Active, "Ana's active list with Ben's change", id)
	wantIDs(t, e.list(t, b).ForPartner, "Ben's list with his change", id)
	// The version in force is still logged while the change waits.
	e.log(t, a, id, "", mend.Kept, "")
	wantCode(t, e.s.Agree(ctx, b, id, ""), mend.Forbidden, "the partner agreeing to their own change")
	wantCode(t, e.s.Revise(ctx, a, id, promise("Home by 6", "2027-03-31")), mend.Conflict, "a counter-change before answering")

	if err := e.s.Decline(ctx, a, id, "I'd rather keep every day."); err != nil {
		t.Fatal(err)
	}
	v = e.view(t, b, id)
	if v.State != mend.Active || v.Version != 1 || v.Pending != 0 || v.Proposal != nil || v.Current.Title != "Home by 7 or I call" ||
		v.Current.Rhythm != mend.Daily || v.ChangesAsked {
		t.Fatalf("after declining the change = %+v", v.Commitment)
	}
	if got := titles(v); got != "1:Home by 7 or I call, 2:Home by 7 on weekdays" {
		t.Fatalf("versions = %s", got)
	}
	if got := decisions(v, a, b); got != "proposed 1 Ana, agreed 1 Ben, revised 2 Ben, declined 2 Ana" {
		t.Fatalf("history = %s", got)
	}
	if len(v.Periods) != 1 || v.Periods[0].Rhythm != mend.Daily || !v.Periods[0].Until.IsZero() {
		t.Fatalf("periods after a declined change = %s", periodsString(v.Periods))
	}

	// A later change, agreed, takes over; the owner stays the owner.
	e.revise(t, a, id, promise("Home by 7:30 or I call", "2027-03-31"))
	e.agree(t, b, id)
	v = e.view(t, a, id)
	if v.Version != 3 || v.Current.Title != "Home by 7:30 or I call" || v.OwnerID != a.ID || v.State != mend.Active {
		t.Fatalf("after an agreed change = %+v", v.Commitment)
	}
	if got := decisions(v, a, b); got != "proposed 1 Ana, agreed 1 Ben, revised 2 Ben, declined 2 Ana, revised 3 Ana, agreed 3 Ben" {
		t.Fatalf("history = %s", got)
	}
}

func TestCommitments_AskForAChangeToACommitmentInForce(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	e.revise(t, a, id, promise("Home by 8 or I call", "2027-03-29"))
	if err := e.s.AskChange(ctx, b, id, "8 is late for dinner; 7:30?"); err != nil {
		t.Fatal(err)
	}
	if v := e.view(t, a, id); v.State != mend.Active || !v.ChangesAsked || v.Version != 1 || v.Pending != 2 {
		t.Fatalf("change to a change = %+v", v.Commitment)
	}
	e.revise(t, a, id, promise("Home by 7:30 or I call", "2027-03-29"))
	if v := e.view(t, a, id); v.ChangesAsked || v.Pending != 3 || v.Version != 1 {
		t.Fatalf("after revising the change = %+v", v.Commitment)
	}
	e.agree(t, b, id)
	if v := e.view(t, a, id); v.Version != 3 || v.Pending != 0 || v.Current.Title != "Home by 7:30 or I call" {
		t.Fatalf("after agreeing = %+v", v.Commitment)
	}
}

func TestCommitments_ReviewKeepOnlyOnceTheReviewDateHasCome(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Share my calendar", "2027-03-15"))

	e.setNow(t, "2027-03-14T22:00:00Z")
	wantMessage(t, e.s.Review(ctx, b, id, mend.ReviewKeep, "2027-04-12"), mend.Conflict,
		"That is not possible for this commitment now. Please reload the page.", "keeping before the review date")
	if v := e.view(t, a, id); v.ReviewDue {
		t.Fatal("review due before its date")
	}
	wantIDs(t, e.list(t, a).ReviewDue, "reviews due the day before")

	e.setNow(t, "2027-03-15T08:00:00Z")
	if v := e.view(t, a, id); !v.ReviewDue {
		t.Fatal("review not due on its date")
	}
	for _, u := range []*mend.User{a, b} {
		l := e.list(t, u)
		wantIDs(t, l.ReviewDue, u.Name+"'s reviews due", id)
		wantIDs(t, l.Active, u.Name+"'s active list while the review is due")
	}
	// Keeping it asks for the next review date, within the next year.
	for _, d := range []string{"", "  ", "soon", "2027-03-15", "2027-03-10", "2028-03-16"} {
		wantOnly(t, e.s.Review(ctx, b, id, mend.ReviewKeep, d), "review_on", fmt.Sprintf("keeping with review date %q", d))
	}
	e.review(t, b, id, mend.ReviewKeep, " 2027-04-12 ")
	v := e.view(t, a, id)
	if v.State != mend.Active || v.Version != 2 || v.Pending != 0 || v.ReviewDue || !v.Current.ReviewOn.Equal(mustDate("2027-04-12")) ||
		v.Current.Title != "Share my calendar" || v.Current.Rhythm != mend.Daily || !v.Current.StartsOn.Equal(mustDate("2027-03-01")) ||
		v.Current.ProposedBy != b.ID {
		t.Fatalf("kept = %+v, current %+v", v.Commitment, v.Current)
	}
	if got := decisions(v, a, b); got != "proposed 1 Ana, agreed 1 Ben, kept 2 Ben" {
		t.Fatalf("history = %s", got)
	}
	if got := len(v.Versions); got != 2 || !v.Versions[0].ReviewOn.Equal(mustDate("2027-03-15")) {
		t.Fatalf("versions after keeping = %+v", v.Versions)
	}
	wantIDs(t, e.list(t, a).Active, "Ana's active list after keeping", id)
	// The kept commitment goes on without a break: yesterday is still due.
	if len(v.Periods) == 0 || !v.Periods[0].From.Equal(mustDate("2027-03-01")) {
		t.Fatalf("periods after keeping = %s", periodsString(v.Periods))
	}
	if err := e.s.Log(ctx, a, id, service.LogInput{Day: "2027-03-14", Status: mend.Kept}); err != nil {
		t.Fatalf("logging the day before the review: %v", err)
	}
	wantStat(t, statOf(e.view(t, a, id), 30), 30, stat{14, 1, 0, 0, 13}, 100.0/14, "30 days after keeping")
	// Not due again until the new date.
	wantCode(t, e.s.Review(ctx, a, id, mend.ReviewKeep, "2027-05-10"), mend.Conflict, "keeping again at once")
}

func TestCommitments_ChangeAtReview(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Share my calendar", "2027-03-15"))
	e.setNow(t, "2027-03-15T10:00:00Z")
	e.revise(t, b, id, onDays(promise("Share my calendar on Sundays", "2027-04-30"), "6"))
	if v := e.view(t, a, id); !v.ReviewDue || v.Pending != 2 {
		t.Fatalf("a change proposed at review: review due %v, pending %d", v.ReviewDue, v.Pending)
	}
	e.agree(t, a, id)
	v := e.view(t, b, id)
	if v.ReviewDue || v.Version != 2 || v.Current.Rhythm != mend.Weekdays || v.Current.Weekdays != 1<<6 {
		t.Fatalf("changed at review = %+v %+v", v.Commitment, v.Current)
	}
	if got := periodsString(v.Periods); got != "2027-03-01–2027-03-15 daily/0, 2027-03-15–open weekdays/64" {
		t.Fatalf("periods = %s", got)
	}
}

func TestCommitments_ReviewPauseResumeComplete(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Walk together", "2027-03-29"))
	impossible := func(u *mend.User, action mend.ReviewAction, what string) {
		t.Helper()
		wantCode(t, e.s.Review(ctx, u, id, action, "2027-06-01"), mend.Conflict, what)
	}
	impossible(a, mend.ReviewResume, "resuming an active commitment")
	impossible(a, "delete", "an unknown review action")
	impossible(a, "", "no review action")

	e.setNow(t, "2027-03-04T10:00:00Z")
	e.review(t, b, id, mend.ReviewPause, "")
	if v := e.view(t, a, id); v.State != mend.Paused || v.Version != 1 || v.DueToday {
		t.Fatalf("paused = %+v, due today %v", v.Commitment, v.DueToday)
	}
	wantIDs(t, e.list(t, a).Paused, "paused list", id)
	wantIDs(t, e.list(t, a).Active, "active list while paused")
	wantIDs(t, e.list(t, a).DueToday, "due while paused")
	impossible(a, mend.ReviewPause, "pausing twice")
	impossible(a, mend.ReviewKeep, "keeping a paused commitment")

	e.setNow(t, "2027-03-08T10:00:00Z")
	e.review(t, a, id, mend.ReviewResume, "")
	v := e.view(t, b, id)
	if v.State != mend.Active || !v.DueToday {
		t.Fatalf("resumed = %+v, due today %v", v.Commitment, v.DueToday)
	}
	if got := periodsString(v.Periods); got != "2027-03-01–2027-03-05 daily/0, 2027-03-08–open daily/0" {
		t.Fatalf("periods = %s", got)
	}
	// The paused days are not due: 1–4 March (paused at the end of the 4th)
	// and 8 March count, 5–7 do not.
	e.setNow(t, "2027-03-09T10:00:00Z")
	wantStat(t, statOf(e.view(t, a, id), 7), 7, stat{3, 0, 0, 0, 3}, 0, "7 days after the pause")
	wantStat(t, statOf(e.view(t, a, id), 30), 30, stat{5, 0, 0, 0, 5}, 0, "30 days after the pause")

	// A change can wait while paused; completing drops it.
	e.review(t, a, id, mend.ReviewPause, "")
	e.revise(t, a, id, promise("Walk together twice a week", "2027-04-30"))
	e.review(t, b, id, mend.ReviewComplete, "")
	v = e.view(t, a, id)
	if v.State != mend.Completed || v.Pending != 0 || v.Proposal != nil || v.ChangesAsked || v.Version != 1 {
		t.Fatalf("completed = %+v", v.Commitment)
	}
	if got := decisions(v, a, b); got != "proposed 1 Ana, agreed 1 Ben, paused 1 Ben, resumed 1 Ana, paused 1 Ana, revised 2 Ana, completed 1 Ben" {
		t.Fatalf("history = %s", got)
	}
	wantIDs(t, e.list(t, a).Ended, "ended list", id)
	wantIDs(t, e.list(t, a).Paused, "paused list after completing")
	for _, act := range []mend.ReviewAction{mend.ReviewPause, mend.ReviewResume, mend.ReviewComplete, mend.ReviewKeep} {
		impossible(a, act, string(act)+" after completing")
	}
	wantCode(t, e.s.Agree(ctx, b, id, ""), mend.Conflict, "agreeing to a dropped change")
	wantCode(t, e.s.Revise(ctx, a, id, promise("Walk again", "2027-04-30")), mend.Conflict, "changing a completed commitment")
	// The day it was completed can still be logged; the next cannot.
	e.log(t, a, id, "", mend.Kept, "")
	e.setNow(t, "2027-03-10T10:00:00Z")
	fieldRefused(t, e.s.Log(ctx, a, id, service.LogInput{Status: mend.Kept}), "day", "logging a completed commitment")
}

func TestCommitments_CompleteAnActiveCommitment(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Walk together", "2027-03-29"))
	e.setNow(t, "2027-03-05T10:00:00Z")
	e.review(t, a, id, mend.ReviewComplete, "")
	v := e.view(t, b, id)
	if v.State != mend.Completed || v.DueToday {
		t.Fatalf("completed = %+v", v.Commitment)
	}
	if got := periodsString(v.Periods); got != "2027-03-01–2027-03-06 daily/0" {
		t.Fatalf("periods = %s", got)
	}
	e.setNow(t, "2027-03-20T10:00:00Z")
	// 1–5 March: the day it was completed was still due.
	wantStat(t, statOf(e.view(t, a, id), 30), 30, stat{5, 0, 0, 0, 5}, 0, "30 days after completing")
}

func TestCommitments_OnlyTheOtherPartnerAgrees(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	forMe := e.propose(t, a, promise("Home by 7 or I call", "2027-03-29"))
	asked := promise("Tell me before any purchase over $50", "2027-03-29")
	asked.For = "partner"
	forBen := e.propose(t, a, asked)
	events := func() int { return count(t, e.db, `SELECT count(*) FROM commitment_events`) }
	before := events()
	for _, id := range []int64{forMe, forBen} {
		wantCode(t, e.s.Agree(ctx, a, id, ""), mend.Forbidden, "the proposer agreeing")
		wantCode(t, e.s.AskChange(ctx, a, id, "hmm"), mend.Forbidden, "the proposer asking for a change")
		wantCode(t, e.s.Decline(ctx, a, id, ""), mend.Forbidden, "the proposer declining")
	}
	if n := events(); n != before {
		t.Fatalf("refused answers wrote %d events", n-before)
	}
	if v := e.view(t, a, forMe); v.State != mend.Proposed || v.ChangesAsked {
		t.Fatalf("after the refusals = %+v", v.Commitment)
	}
	e.agree(t, b, forMe)
	e.agree(t, b, forBen)

	// A change to a commitment in force is answered by the partner who did
	// not propose it, whoever owns it.
	e.revise(t, b, forMe, promise("Home by 7:30 or I call", "2027-03-29"))
	wantCode(t, e.s.Agree(ctx, b, forMe, ""), mend.Forbidden, "Ben agreeing to his change of Ana's commitment")
	e.agree(t, a, forMe)
	e.revise(t, b, forBen, promise("Tell you before any purchase over $100", "2027-03-29"))
	wantCode(t, e.s.Decline(ctx, b, forBen, ""), mend.Forbidden, "Ben declining his change of his commitment")
	if err := e.s.Decline(ctx, a, forBen, "Let's keep 50."); err != nil {
		t.Fatal(err)
	}
	// Nothing waiting: nothing to answer.
	wantCode(t, e.s.Agree(ctx, a, forMe, ""), mend.Conflict, "agreeing with nothing waiting")
	wantCode(t, e.s.AskChange(ctx, b, forMe, "hmm"), mend.Conflict, "asking for a change with nothing waiting")
}

func TestCommitments_TwentyAnswersAtOnceDecideOnce(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.propose(t, a, promise("Home by 7 or I call", "2027-03-29"))
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := range 20 {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				err = e.s.Agree(ctx, b, id, "")
			} else {
				err = e.s.Decline(ctx, b, id, "")
			}
			switch {
			case err == nil:
				mu.Lock()
				ok++
				mu.Unlock()
			case mend.ErrorCode(err) != mend.Conflict:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d answers taken, want 1", ok)
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_events WHERE action IN ('agreed', 'declined')`); n != 1 {
		t.Fatalf("%d answers recorded, want 1", n)
	}
	// Twenty different changes at once each make their own version, in order.
	e.setNow(t, "2027-03-02T10:00:00Z")
	other := e.active(t, a, b, promise("Walk together", "2027-03-29"))
	for i := range 20 {
		wg.Go(func() {
			if err := e.s.Revise(ctx, a, other, promise(fmt.Sprintf("Walk together after dinner, %d minutes", 10+i), "2027-03-29")); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	v := e.view(t, b, other)
	if v.Pending != 21 || len(v.Versions) != 21 || v.Version != 1 || v.Proposal.Version != 21 {
		t.Fatalf("after twenty changes: pending %d, %d versions, version %d", v.Pending, len(v.Versions), v.Version)
	}
}

func TestCommitments_AnswerIsAgreeChangeOrDecline(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	x := partnerIn(t, e.acc, "Xan", "UTC")
	start(t, e.c, x, service.StartInput{})
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.propose(t, a, promise("Home by 7 or I call", "2027-03-29"))
	events := func() int { return count(t, e.db, `SELECT count(*) FROM commitment_events`) }
	before := events()

	wantOnly(t, e.s.Answer(ctx, b, id, mend.AnswerChange, " "), "note", "asking for a change without a note")
	wantMessage(t, e.s.Answer(ctx, b, id, "maybe", ""), mend.Invalid, "Choose to agree, ask for a change, or decline.", "an unknown answer")
	wantCode(t, e.s.Answer(ctx, b, id, "", ""), mend.Invalid, "no answer")
	for _, ans := range []mend.Answer{mend.AnswerAgree, mend.AnswerChange, mend.AnswerDecline} {
		wantCode(t, e.s.Answer(ctx, a, id, ans, "a note"), mend.Forbidden, "the proposer answering "+string(ans))
	}
	for _, u := range []*mend.User{x, th} {
		for _, ans := range []mend.Answer{mend.AnswerAgree, mend.AnswerDecline, "maybe"} {
			wantCode(t, e.s.Answer(ctx, u, id, ans, "a note"), mend.NotFound, u.Name+" answering "+string(ans))
		}
	}
	if n := events(); n != before {
		t.Fatalf("refused answers wrote %d events", n-before)
	}
	if err := e.s.Answer(ctx, b, id, mend.AnswerChange, "8 on Fridays?"); err != nil {
		t.Fatal(err)
	}
	if v := e.view(t, a, id); !v.ChangesAsked || v.State != mend.Proposed {
		t.Fatalf("after answering change = %+v", v.Commitment)
	}
	if err := e.s.Answer(ctx, b, id, mend.AnswerAgree, "Fine as it is."); err != nil {
		t.Fatal(err)
	}
	if v := e.view(t, a, id); v.ChangesAsked || v.State != mend.Active || v.Version != 1 {
		t.Fatalf("after answering agree = %+v", v.Commitment)
	}
	other := e.propose(t, a, promise("No phone at dinner", "2027-03-29"))
	if err := e.s.Answer(ctx, b, other, mend.AnswerDecline, ""); err != nil {
		t.Fatal(err)
	}
	if v := e.view(t, a, other); v.State != mend.Declined {
		t.Fatalf("after answering decline = %+v", v.Commitment)
	}
	if got := decisions(e.view(t, b, id), a, b); got != "proposed 1 Ana, asked_change 1 Ben, agreed 1 Ben" {
		t.Fatalf("history = %s", got)
	}
}

func TestCommitments_KeepWaitsForAPendingChange(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T09:00:00Z")
	id := e.active(t, a, b, forTherapist(promise("I call if I am late", "2027-03-15")))
	e.setNow(t, "2027-03-15T09:00:00Z")
	e.revise(t, b, id, forTherapist(promise("I call if I am late, or text", "2027-04-15")))
	wantCode(t, e.s.Review(ctx, a, id, mend.ReviewKeep, "2027-04-30"), mend.Conflict, "keeping while a change waits")
	// The therapist sees the agreed version and nothing of the change.
	th := newTherapist(t, e.acc, "Tess", "Dr Tess")
	link(t, e.c, a, th)
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindCommitments: true}); err != nil {
		t.Fatal(err)
	}
	p := e.therapistView(t, th, coupleID)
	if len(p.Commitments) != 1 || p.Commitments[0].Pending != 0 || p.Commitments[0].ChangesAsked || p.Commitments[0].Proposal != nil ||
		p.Commitments[0].Terms().Title != "I call if I am late" {
		t.Fatalf("the therapist's view: %+v", p.Commitments)
	}
}
