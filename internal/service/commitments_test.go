package service_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// The day rules read the service clock, set freely below (to days in
// 2027); the rules about who joined when compare the database's own
// timestamps, which follow the real order of the calls.

// ---- Who may do what ----

func TestCommitments_AnotherCouplesPartnerFindsNothing(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	x := partnerIn(t, e.acc, "Xan", "UTC")
	y := partnerIn(t, e.acc, "Yul", "UTC")
	start(t, e.c, x, service.StartInput{})
	accept(t, e.c, y, invite(t, e.c, x, mend.InvitePartner))
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-15"))
	e.log(t, a, id, "", mend.Kept, "")
	logID := e.view(t, a, id).Logs[0].ID
	pending := e.propose(t, a, promise("Walk together", "2027-03-29"))
	e.setNow(t, "2027-03-15T10:00:00Z") // the review is due
	before := count(t, e.db, `SELECT count(*) FROM commitment_events`) + count(t, e.db, `SELECT count(*) FROM commitment_logs`) +
		count(t, e.db, `SELECT count(*) FROM commitment_responses`)

	for _, u := range []*mend.User{x, y} {
		for _, cid := range []int64{id, pending} {
			_, err := e.s.Detail(ctx, u, cid, false)
			wantCode(t, err, mend.NotFound, u.Name+" reading")
			_, err = e.s.Detail(ctx, u, cid, true)
			wantCode(t, err, mend.NotFound, u.Name+" reading all")
			wantCode(t, e.s.Agree(ctx, u, cid, ""), mend.NotFound, u.Name+" agreeing")
			wantCode(t, e.s.AskChange(ctx, u, cid, "please"), mend.NotFound, u.Name+" asking for a change")
			wantCode(t, e.s.Decline(ctx, u, cid, ""), mend.NotFound, u.Name+" declining")
			wantCode(t, e.s.Withdraw(ctx, u, cid, ""), mend.NotFound, u.Name+" withdrawing")
			wantCode(t, e.s.Revise(ctx, u, cid, promise("Mine now", "2027-04-30")), mend.NotFound, u.Name+" revising")
			wantCode(t, e.s.Review(ctx, u, cid, mend.ReviewKeep, "2027-04-30"), mend.NotFound, u.Name+" keeping")
			for _, act := range []mend.ReviewAction{mend.ReviewPause, mend.ReviewResume, mend.ReviewComplete} {
				wantCode(t, e.s.Review(ctx, u, cid, act, ""), mend.NotFound, u.Name+" "+string(act))
			}
			wantCode(t, e.s.Log(ctx, u, cid, service.LogInput{Status: mend.Kept}), mend.NotFound, u.Name+" logging")
			wantCode(t, errOf(e.s.EditLog(ctx, u, cid, logID, mend.Missed, "")), mend.NotFound, u.Name+" editing a log")
			wantCode(t, e.s.Respond(ctx, u, cid, logID, true, "seen"), mend.NotFound, u.Name+" answering a log")
		}
		l := e.list(t, u)
		if len(l.ForMe)+len(l.ForPartner)+len(l.Active)+len(l.ReviewDue)+len(l.Paused)+len(l.Ended)+len(l.DueToday) != 0 {
			t.Fatalf("%s's list shows another couple's commitments: %+v", u.Name, l)
		}
	}
	after := count(t, e.db, `SELECT count(*) FROM commitment_events`) + count(t, e.db, `SELECT count(*) FROM commitment_logs`) +
		count(t, e.db, `SELECT count(*) FROM commitment_responses`)
	if after != before {
		t.Fatalf("another couple's partners wrote %d rows", after-before)
	}
	if v := e.view(t, a, id); v.State != mend.Active || v.Version != 1 || v.Logs[0].Status != mend.Kept {
		t.Fatalf("after the attempts = %+v", v.Commitment)
	}
}

func TestCommitments_TherapistsCannotAct(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	if _, err := e.c.PartnerAccess(ctx, th); err == nil {
		t.Fatal("a therapist has a partner's access")
	}
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, forTherapist(promise("Home by 7 or I call", "2027-03-29")))
	e.log(t, a, id, "", mend.Missed, "")
	logID := e.view(t, a, id).Logs[0].ID
	pending := e.propose(t, a, forTherapist(promise("Walk together", "2027-03-29")))

	_, err := e.s.Propose(ctx, th, promise("Do your homework", "2027-03-29"))
	wantCode(t, err, mend.NotFound, "a therapist proposing")
	_, err = e.s.List(ctx, th)
	wantCode(t, err, mend.NotFound, "a therapist listing as a partner")
	for _, cid := range []int64{id, pending} {
		_, err := e.s.Detail(ctx, th, cid, false)
		wantCode(t, err, mend.NotFound, "a therapist reading as a partner")
		wantCode(t, e.s.Agree(ctx, th, cid, ""), mend.NotFound, "a therapist agreeing")
		wantCode(t, e.s.AskChange(ctx, th, cid, "please"), mend.NotFound, "a therapist asking for a change")
		wantCode(t, e.s.Decline(ctx, th, cid, ""), mend.NotFound, "a therapist declining")
		wantCode(t, e.s.Withdraw(ctx, th, cid, ""), mend.NotFound, "a therapist withdrawing")
		wantCode(t, e.s.Revise(ctx, th, cid, promise("Better", "2027-04-30")), mend.NotFound, "a therapist revising")
		wantCode(t, e.s.Review(ctx, th, cid, mend.ReviewPause, ""), mend.NotFound, "a therapist pausing")
		wantCode(t, e.s.Log(ctx, th, cid, service.LogInput{Status: mend.Kept}), mend.NotFound, "a therapist logging")
		wantCode(t, errOf(e.s.EditLog(ctx, th, cid, logID, mend.Kept, "")), mend.NotFound, "a therapist editing a log")
		wantCode(t, e.s.Respond(ctx, th, cid, logID, true, "Good"), mend.NotFound, "a therapist answering")
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_responses`); n != 0 {
		t.Fatalf("%d responses", n)
	}
}

func TestCommitments_StoreRefusesForgedAccess(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	x := partnerIn(t, e.acc, "Xan", "UTC")
	start(t, e.c, x, service.StartInput{})
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, forTherapist(promise("Home by 7 or I call", "2027-03-29")))
	e.log(t, a, id, "", mend.Kept, "")
	logID := e.view(t, a, id).Logs[0].ID
	day := mustDate("2027-03-01")
	never := func(*mend.Commitment, map[int]*mend.CommitmentVersion) (*mend.CommitmentChange, error) {
		t.Error("a decision ran with forged access")
		return nil, errors.New("forged")
	}
	logAs := func(status string) func(*mend.CommitmentSet) (*mend.OccurrenceLog, error) {
		return func(*mend.CommitmentSet) (*mend.OccurrenceLog, error) {
			return &mend.OccurrenceLog{OccursOn: day, Status: status, One: true}, nil
		}
	}

	// The linked therapist's own access does not write: the store's writes
	// take only a partner's access (TestStore_OnlyAPartnersAccessWrites), and
	// the therapist's ids forged into one find nothing to write to.
	ta := mend.StoreOnlyPartnerAccess(coupleID, th.ID)
	_, err := e.db.ProposeCommitment(ctx, ta, a.ID, mend.CommitmentVersion{Title: "x", Rhythm: mend.Daily, StartsOn: day, ReviewOn: day.AddDate(0, 0, 7), Visibility: mend.MyPartner}, day, nil)
	wantCode(t, err, mend.NotFound, "the store: a therapist proposing")
	wantCode(t, e.db.DecideCommitmentOnce(ctx, ta, id, nil, never), mend.NotFound, "the store: a therapist deciding")
	wantCode(t, e.db.LogOccurrence(ctx, ta, id, day, nil, logAs(mend.Kept)), mend.NotFound, "the store: a therapist logging")
	wantCode(t, errOf(e.db.EditLog(ctx, ta, id, logID, mend.Missed, "", time.Time{})), mend.NotFound, "the store: a therapist editing")
	wantCode(t, e.db.Respond(ctx, ta, id, logID, true, ""), mend.NotFound, "the store: a therapist answering")

	// The other partner's own access does not log or edit the owner's.
	ba := mustAccess(t, e.c, b)
	wantCode(t, e.db.LogOccurrence(ctx, ba, id, day, nil, logAs(mend.Missed)), mend.NotFound, "the store: the partner logging")
	wantCode(t, errOf(e.db.EditLog(ctx, ba, id, logID, mend.Missed, "", time.Time{})), mend.NotFound, "the store: the partner editing")
	wantCode(t, e.db.Respond(ctx, mustAccess(t, e.c, a), id, logID, true, ""), mend.NotFound, "the store: the owner answering")
	// A partner's access made up for another couple finds nothing.
	forged := mend.StoreOnlyPartnerAccess(coupleID, x.ID)
	set, err := e.db.Commitments(ctx, forged, 0, time.Time{})
	if err != nil || len(set.Commitments) != 0 {
		t.Fatalf("a forged access read %d commitments (%v)", len(set.Commitments), err)
	}
	wantCode(t, e.db.DecideCommitmentOnce(ctx, forged, id, nil, never), mend.NotFound, "the store: a forged access deciding")
	wantCode(t, e.db.LogOccurrence(ctx, forged, id, day, nil, logAs(mend.Missed)), mend.NotFound, "the store: a forged access logging")
	wantCode(t, errOf(e.db.EditLog(ctx, forged, id, logID, mend.Missed, "", time.Time{})), mend.NotFound, "the store: a forged access editing")
	wantCode(t, e.db.Respond(ctx, forged, id, logID, true, ""), mend.NotFound, "the store: a forged access answering")
	_, err = e.db.ProposeCommitment(ctx, forged, x.ID, mend.CommitmentVersion{Title: "x", Rhythm: mend.Daily, StartsOn: day, ReviewOn: day.AddDate(0, 0, 7), Visibility: mend.MyPartner}, day, nil)
	wantCode(t, err, mend.NotFound, "the store: a forged access proposing")
	// A partner's own access does not read as the therapist.
	pa := mend.StoreOnlyTherapistAccess(coupleID, a.ID)
	if set, err := e.db.Commitments(ctx, pa, 0, time.Time{}); err != nil || len(set.Commitments) != 0 {
		t.Fatalf("a partner posing as the therapist read %d commitments (%v)", len(set.Commitments), err)
	}
	if l := e.view(t, a, id).Logs; len(l) != 1 || l[0].Status != mend.Kept || len(l[0].Responses) != 0 {
		t.Fatalf("logs after the forged calls = %+v", l)
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitments`); n != 1 {
		t.Fatalf("%d commitments, want 1", n)
	}
}

func TestCommitments_ProposalsWaitForThePartnerToJoin(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a := partnerIn(t, e.acc, "Ana", "UTC")
	b := partnerIn(t, e.acc, "Ben", "UTC")
	start(t, e.c, a, service.StartInput{})
	token := invite(t, e.c, a, mend.InvitePartner)
	e.setNow(t, "2027-03-01T10:00:00Z")
	for _, who := range []string{"me", "partner"} {
		in := promise("Home by 7 or I call", "2027-03-29")
		in.For = who
		in.FormKey = service.NewFormKey()
		id, err := e.s.Propose(ctx, a, in)
		wantMessage(t, err, mend.Conflict, "Commitments are made between the two of you: invite your partner first.", "proposing alone, for "+who)
		if id != 0 {
			t.Fatalf("proposing alone gave id %d", id)
		}
	}
	// Invalid input is explained first.
	_, err := e.s.Propose(ctx, a, promise("", "2027-03-29"))
	wantOnly(t, err, "title", "an empty title, alone")
	if n := count(t, e.db, `SELECT count(*) FROM commitments`); n != 0 {
		t.Fatalf("%d commitments made alone", n)
	}
	// Someone without a space has no commitments.
	_, err = e.s.Propose(ctx, b, promise("Home by 7 or I call", "2027-03-29"))
	wantCode(t, err, mend.NotFound, "proposing without a space")
	_, err = e.s.List(ctx, b)
	wantCode(t, err, mend.NotFound, "listing without a space")

	e.clk.t = time.Now() // invites expire by the service clock
	accept(t, e.c, b, token)
	e.setNow(t, "2027-03-01T10:00:00Z")
	e.propose(t, a, promise("Home by 7 or I call", "2027-03-29"))
}

// ---- Validation ----

func TestCommitments_ValidationNamesEachField(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, _, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")

	cases := []struct {
		field string
		edit  func(*service.CommitmentInput)
	}{
		{"for", func(in *service.CommitmentInput) { in.For = "" }},
		{"for", func(in *service.CommitmentInput) { in.For = "both" }},
		{"title", func(in *service.CommitmentInput) { in.Title = "" }},
		{"title", func(in *service.CommitmentInput) { in.Title = "     " }},
		{"title", func(in *service.CommitmentInput) { in.Title = " ok " }},
		{"title", func(in *service.CommitmentInput) { in.Title = strings.Repeat("é", mend.MaxCommitmentTitle+1) }},
		{"details", func(in *service.CommitmentInput) { in.Details = strings.Repeat("é", mend.MaxCommitmentDetails+1) }},
		{"rhythm", func(in *service.CommitmentInput) { in.Rhythm = "" }},
		{"rhythm", func(in *service.CommitmentInput) { in.Rhythm = "monthly" }},
		{"rhythm", func(in *service.CommitmentInput) { in.Rhythm = "Daily" }},
		{"weekdays", func(in *service.CommitmentInput) { in.Rhythm = string(mend.Weekdays) }},
		{"weekdays", func(in *service.CommitmentInput) { *in = onDays(*in, "7", "-1", "monday", "") }},
		{"starts_on", func(in *service.CommitmentInput) { in.StartsOn = "2027-03-09" }},
		{"starts_on", func(in *service.CommitmentInput) { in.StartsOn = "2026-12-31" }},
		{"starts_on", func(in *service.CommitmentInput) { in.StartsOn = "soon" }},
		{"starts_on", func(in *service.CommitmentInput) { in.StartsOn = "2027-02-30" }},
		{"starts_on", func(in *service.CommitmentInput) { in.StartsOn, in.ReviewOn = "2028-03-11", "2028-03-10" }},
		{"review_on", func(in *service.CommitmentInput) { in.ReviewOn = "" }},
		{"review_on", func(in *service.CommitmentInput) { in.ReviewOn = "   " }},
		{"review_on", func(in *service.CommitmentInput) { in.ReviewOn = "never" }},
		{"review_on", func(in *service.CommitmentInput) { in.ReviewOn = "2027-03-10" }},
		{"review_on", func(in *service.CommitmentInput) { in.ReviewOn = "2027-03-01" }},
		{"review_on", func(in *service.CommitmentInput) { in.StartsOn, in.ReviewOn = "2027-03-20", "2027-03-15" }},
		{"review_on", func(in *service.CommitmentInput) { in.StartsOn, in.ReviewOn = "2027-03-20", "2027-03-20" }},
		{"review_on", func(in *service.CommitmentInput) { in.StartsOn, in.ReviewOn = "2027-03-20", "2028-03-21" }},
		{"visibility", func(in *service.CommitmentInput) { in.Visibility = string(mend.JustMe) }},
		{"visibility", func(in *service.CommitmentInput) { in.Visibility = "" }},
		{"visibility", func(in *service.CommitmentInput) { in.Visibility = "Therapist" }},
		{"visibility", func(in *service.CommitmentInput) { in.Visibility = "everyone" }},
	}
	for i, tc := range cases {
		in := promise("Home by 7 or I call", "2027-04-07")
		tc.edit(&in)
		id, err := e.s.Propose(ctx, a, in)
		wantOnly(t, err, tc.field, fmt.Sprintf("case %d (%s)", i, tc.field))
		if id != 0 {
			t.Fatalf("case %d gave id %d", i, id)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitments`); n != 0 {
		t.Fatalf("%d commitments stored from refused forms", n)
	}
	// The review date is required: commitments are reviewed, not forever.
	_, err := e.s.Propose(ctx, a, promise("Share my calendar", ""))
	if msg := fieldErr(t, err, "review_on"); !strings.Contains(msg, "not forever") {
		t.Fatalf("an empty review date is refused with %q", msg)
	}
	// Private commitments do not exist: a commitment involves both.
	_, err = e.s.Propose(ctx, a, service.CommitmentInput{For: "me", Title: "A secret", Rhythm: "daily", ReviewOn: "2027-04-07", Visibility: "private"})
	wantOnly(t, err, "visibility", "a private commitment")

	// Every field wrong at once: every field named.
	_, err = e.s.Propose(ctx, a, service.CommitmentInput{For: "x", Title: "", Details: strings.Repeat("d", mend.MaxCommitmentDetails+1),
		Rhythm: "hourly", StartsOn: "yesterday", ReviewOn: "", Visibility: "private"})
	for _, f := range []string{"for", "title", "details", "rhythm", "starts_on", "review_on", "visibility"} {
		fieldRefused(t, err, f, "all wrong: "+f)
	}
	_, err = e.s.Propose(ctx, a, onDays(promise("Home by 7 or I call", "2027-04-07"), "9"))
	wantOnly(t, err, "weekdays", "weekdays all out of range")
}

func TestCommitments_LimitsAreAccepted(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")

	in := onDays(promise(strings.Repeat("💛", mend.MaxCommitmentTitle), "2028-03-10"), "0", "2", "4", "4", "9")
	in.Details = strings.Repeat("é", mend.MaxCommitmentDetails)
	in.StartsOn = " 2027-03-10 "
	in.Visibility = string(mend.PartnerAndTherapist)
	id := e.propose(t, a, in)
	p := e.view(t, b, id).Proposal
	if p.Rhythm != mend.Weekdays || p.Weekdays != monWedFri || !p.StartsOn.Equal(mustDate("2027-03-10")) ||
		!p.ReviewOn.Equal(mustDate("2028-03-10")) || p.Visibility != mend.PartnerAndTherapist {
		t.Fatalf("terms at the limits = %+v", p)
	}
	// The latest start, and a review a year after it.
	far := promise("Abc", "2029-03-10")
	far.StartsOn = "2028-03-10"
	if v := e.view(t, b, e.propose(t, a, far)).Proposal; !v.StartsOn.Equal(mustDate("2028-03-10")) || v.Title != "Abc" {
		t.Fatalf("far start = %+v", v)
	}
	for _, r := range []mend.Rhythm{mend.Weekly, mend.EachTime} {
		if v := e.view(t, b, e.propose(t, a, withRhythm(promise("Tell you first", "2027-04-07"), r))).Proposal; v.Rhythm != r || v.Weekdays != 0 {
			t.Fatalf("rhythm %s = %+v", r, v)
		}
	}
	// Days chosen for another rhythm are not kept.
	daily := promise("Daily, really", "2027-04-07")
	daily.Weekdays = []string{"1", "2"}
	if v := e.view(t, b, e.propose(t, a, daily)).Proposal; v.Rhythm != mend.Daily || v.Weekdays != 0 {
		t.Fatalf("daily with days = %+v", v)
	}
	// Notes at their limit.
	note := strings.Repeat("é", mend.MaxCommitmentNote)
	if err := e.s.AskChange(ctx, b, id, note); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Agree(ctx, b, id, note); err != nil {
		t.Fatal(err)
	}
	if v := e.view(t, a, id); v.Events[len(v.Events)-1].Note != note {
		t.Fatal("the note at its limit was not kept whole")
	}
	// Agreeing after asking for a change settles it.
	if v := e.view(t, a, id); v.ChangesAsked || v.State != mend.Active {
		t.Fatalf("agreed after asking for a change = %+v", v.Commitment)
	}
}

func TestCommitments_ValidationOfChangesAndAnswers(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-04-07"))

	// A change is checked like a proposal.
	wantOnly(t, e.s.Revise(ctx, a, id, promise("Home by 8", "")), "review_on", "a change without a review date")
	private := promise("Home by 8", "2027-04-07")
	private.Visibility = string(mend.JustMe)
	wantOnly(t, e.s.Revise(ctx, a, id, private), "visibility", "a private change")
	past := promise("Home by 8", "2027-04-07")
	past.StartsOn = "2027-03-09"
	wantOnly(t, e.s.Revise(ctx, a, id, past), "starts_on", "a change starting in the past")
	if v := e.view(t, a, id); v.Pending != 0 || len(v.Versions) != 1 {
		t.Fatalf("refused changes left %+v", v.Commitment)
	}
	wantOnly(t, e.s.Revise(ctx, a, id, service.CommitmentInput{For: "me", Title: "Home by 8", Rhythm: "weekdays", ReviewOn: "2027-04-07", Visibility: "partner"}), "weekdays", "a change to no days")

	// Notes on answers.
	e.revise(t, a, id, promise("Home by 8 or I call", "2027-04-07"))
	long := strings.Repeat("é", mend.MaxCommitmentNote+1)
	wantOnly(t, e.s.Agree(ctx, b, id, long), "note", "agreeing with a long note")
	wantOnly(t, e.s.AskChange(ctx, b, id, long), "note", "asking for a change with a long note")
	wantOnly(t, e.s.Decline(ctx, b, id, long), "note", "declining with a long note")
	if v := e.view(t, a, id); v.Pending != 2 || v.ChangesAsked || v.Version != 1 {
		t.Fatalf("refused answers changed %+v", v.Commitment)
	}

	// Logs.
	for _, tc := range []struct {
		field string
		in    service.LogInput
	}{
		{"status", service.LogInput{}},
		{"status", service.LogInput{Status: "done"}},
		{"status", service.LogInput{Status: "Kept"}},
		{"note", service.LogInput{Status: mend.Kept, Note: long}},
		{"day", service.LogInput{Status: mend.Kept, Day: "today"}},
	} {
		wantOnly(t, e.s.Log(ctx, a, id, tc.in), tc.field, fmt.Sprintf("log %+v", tc.in))
	}
	e.log(t, a, id, "", mend.Kept, strings.Repeat("é", mend.MaxCommitmentNote))
	logID := e.view(t, a, id).Logs[0].ID
	wantOnly(t, errOf(e.s.EditLog(ctx, a, id, logID, "", "")), "status", "editing to no status")
	wantOnly(t, errOf(e.s.EditLog(ctx, a, id, logID, mend.Kept, long)), "note", "editing to a long note")
	if l := e.view(t, a, id).Logs[0]; len(l.Versions) != 0 || l.Status != mend.Kept {
		t.Fatalf("refused edits changed the log: %+v", l)
	}
}

// ---- Idempotency and races ----

func TestCommitments_SameProposalSentTwentyTimesAtOnceProposesOnce(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	in := promise("Home by 7 or I call", "2027-03-29")
	in.FormKey = service.NewFormKey()
	var mu sync.Mutex
	var ids []int64
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			id, err := e.s.Propose(ctx, a, in)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			ids = append(ids, id)
			mu.Unlock()
		})
	}
	wg.Wait()
	// Each send reports the one commitment, so each lands on it.
	if slices.Sort(ids); len(ids) != 20 || ids[0] == 0 || ids[0] != ids[19] {
		t.Fatalf("ids = %v, want the one commitment's id from each send", ids)
	}
	for table, want := range map[string]int{"commitments": 1, "commitment_versions": 1, "commitment_events": 1} {
		if n := count(t, e.db, `SELECT count(*) FROM `+table); n != want {
			t.Fatalf("%d rows in %s, want %d", n, table, want)
		}
	}
	wantIDs(t, e.list(t, b).ForMe, "Ben's list", slices.Max(ids))
	// The same key later, from the partner too, makes nothing.
	if id, err := e.s.Propose(ctx, b, in); err != nil || id != 0 {
		t.Fatalf("the key used again: %d, %v", id, err)
	}
}

// ---- Lists ----

func TestCommitments_ListGroups(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	mineDue := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	bensDue := e.active(t, b, a, promise("Call my sponsor", "2027-03-29"))
	reviewed := e.active(t, a, b, promise("Share my calendar", "2027-03-08"))
	paused := e.active(t, a, b, promise("Walk together", "2027-03-29"))
	e.review(t, b, paused, mend.ReviewPause, "")
	declined := e.propose(t, b, promise("No phone at dinner", "2027-03-29"))
	if err := e.s.Decline(context.Background(), a, declined, ""); err != nil {
		t.Fatal(err)
	}
	forBen := e.propose(t, a, promise("Tell you first", "2027-03-29"))
	forAna := e.propose(t, b, promise("Cook on Sundays", "2027-03-29"))
	changing := e.active(t, b, a, withRhythm(promise("Tell you before any purchase over $50", "2027-03-29"), mend.EachTime))
	e.revise(t, b, changing, withRhythm(promise("Tell you before any purchase over $100", "2027-03-29"), mend.EachTime))
	e.log(t, a, mineDue, "", mend.Kept, "")

	e.setNow(t, "2027-03-08T10:00:00Z")
	e.log(t, a, mineDue, "", mend.Kept, "")
	la := e.list(t, a)
	wantIDs(t, la.ForMe, "Ana: waiting for Ana", forAna, changing)
	wantIDs(t, la.ForPartner, "Ana: waiting for Ben", forBen)
	wantIDs(t, la.ReviewDue, "Ana: review due", reviewed)
	wantIDs(t, la.Active, "Ana: active", mineDue, bensDue, changing)
	wantIDs(t, la.Paused, "Ana: paused", paused)
	wantIDs(t, la.Ended, "Ana: ended", declined)
	wantIDs(t, la.DueToday, "Ana: due today", reviewed)
	lb := e.list(t, b)
	wantIDs(t, lb.ForMe, "Ben: waiting for Ben", forBen)
	wantIDs(t, lb.ForPartner, "Ben: waiting for Ana", forAna, changing)
	wantIDs(t, lb.DueToday, "Ben: due today", bensDue)
	if lb.Space == nil || lb.Space.Me.UserID != b.ID {
		t.Fatalf("Ben's list space = %+v", lb.Space)
	}
	td := e.newToday()
	td.Commitments = e.s
	d := todayPage(t, td, a).Commitments
	wantIDs(t, d.DueToday, "Ana's dashboard: due today", reviewed)
	wantIDs(t, d.ForMe, "Ana's dashboard: waiting for Ana", forAna, changing)
	wantIDs(t, d.ReviewDue, "Ana's dashboard: review due", reviewed)
	// 30 days in the list: 1–7 March, two kept (1st, and today, the 8th).
	for _, v := range la.Active {
		if v.ID == mineDue {
			wantStat(t, v.Stat(30), 30, stat{8, 2, 0, 0, 6}, 25, "the list's 30 days")
		}
	}
}

// ---- Privacy ----

func TestCommitments_APartnerWhoJoinsLaterSeesNothingFromBefore(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	anas := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	bens := e.active(t, b, a, promise("Call my sponsor", "2027-03-29"))
	asked := promise("Tell me before any purchase over $50", "2027-03-29")
	asked.For = "partner"
	pending := e.propose(t, b, asked) // for Ana, waiting for her
	e.log(t, a, anas, "", mend.Missed, "stuck at work")
	e.log(t, b, bens, "", mend.Kept, "")
	anasLog := e.view(t, a, anas).Logs[0].ID
	bensLog := e.view(t, b, bens).Logs[0].ID

	if err := e.c.Leave(ctx, b, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	// The leaver sees nothing; the stayer no longer sees the leaver's.
	_, err := e.s.List(ctx, b)
	wantCode(t, err, mend.NotFound, "the leaver listing")
	_, err = e.s.Detail(ctx, b, bens, false)
	wantCode(t, err, mend.NotFound, "the leaver reading their own")
	wantCode(t, e.s.Log(ctx, b, bens, service.LogInput{Status: mend.Kept}), mend.NotFound, "the leaver logging")
	_, err = e.s.Detail(ctx, a, bens, false)
	wantCode(t, err, mend.NotFound, "the stayer reading the leaver's")
	wantCode(t, e.s.Respond(ctx, a, bens, bensLog, true, ""), mend.NotFound, "the stayer answering the leaver's log")

	// A newcomer sees nothing of the previous pair.
	c := partnerIn(t, e.acc, "Cal", "UTC")
	e.clk.t = time.Now() // invites expire by the service clock
	accept(t, e.c, c, invite(t, e.c, a, mend.InvitePartner))
	e.setNow(t, "2027-03-02T10:00:00Z")
	l := e.list(t, c)
	if n := len(l.ForMe) + len(l.ForPartner) + len(l.Active) + len(l.ReviewDue) + len(l.Paused) + len(l.Ended) + len(l.DueToday); n != 0 {
		t.Fatalf("the newcomer's list shows %d commitments of the previous pair", n)
	}
	for _, id := range []int64{anas, bens, pending} {
		_, err := e.s.Detail(ctx, c, id, true)
		wantCode(t, err, mend.NotFound, "the newcomer reading")
		wantCode(t, e.s.Agree(ctx, c, id, ""), mend.NotFound, "the newcomer agreeing")
		wantCode(t, e.s.Decline(ctx, c, id, ""), mend.NotFound, "the newcomer declining")
		wantCode(t, e.s.Review(ctx, c, id, mend.ReviewPause, ""), mend.NotFound, "the newcomer pausing")
		wantCode(t, e.s.Revise(ctx, c, id, promise("Ours now", "2027-03-29")), mend.NotFound, "the newcomer revising")
	}
	wantCode(t, e.s.Respond(ctx, c, anas, anasLog, true, "seen"), mend.NotFound, "the newcomer answering the stayer's old log")
	if n := count(t, e.db, `SELECT count(*) FROM commitment_responses`); n != 0 {
		t.Fatalf("%d responses", n)
	}
	// What the new pair agrees, both see.
	id := e.active(t, a, c, promise("Walk together", "2027-03-29"))
	wantIDs(t, e.list(t, c).Active, "the newcomer's active list", id)
}

func TestCommitments_TherapistSeesOnlyAgreedAndSharedCommitments(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	e.setNow(t, "2027-03-01T10:00:00Z")
	shared := e.active(t, a, b, forTherapist(promise("Share my calendar", "2027-03-29")))
	e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))           // just the two of them: never
	e.propose(t, a, forTherapist(promise("No contact with X", "2027-03-29"))) // not agreed: never
	bens := e.active(t, b, a, forTherapist(promise("Tell you before any purchase over $50", "2027-03-29")))
	goingShared := e.active(t, a, b, promise("Phone stays on the table", "2027-03-29"))
	goingPrivate := e.active(t, a, b, forTherapist(promise("Counselling every Tuesday", "2027-03-29")))
	e.revise(t, a, goingShared, forTherapist(promise("Phone stays on the table", "2027-03-29")))
	e.revise(t, a, goingPrivate, promise("Counselling on Tuesdays, just us", "2027-03-29"))
	e.log(t, a, shared, "", mend.Kept, "shared it")
	if err := e.s.Respond(ctx, b, shared, e.view(t, a, shared).Logs[0].ID, true, "Thank you, that helped."); err != nil {
		t.Fatal(err)
	}
	views := func() int {
		return count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND therapist_id = $2 AND kind = 'commitments'`, coupleID, th.ID)
	}
	seen := func(what string, want ...int64) *mend.TherapistCommitmentsPage {
		t.Helper()
		p := e.therapistView(t, th, coupleID)
		wantIDs(t, p.Commitments, what, want...)
		return p
	}

	// Nobody shares commitments yet: nothing, and the look is recorded.
	p := seen("before sharing")
	if len(p.Members) != 2 || p.Access.CoupleID() != coupleID || p.Access.Role() != mend.RoleTherapist {
		t.Fatalf("page = %+v", p)
	}
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindCommitments: true}); err != nil {
		t.Fatal(err)
	}
	p = seen("Ana shares", shared, goingPrivate)
	for _, v := range p.Commitments {
		if v.Proposal != nil || len(v.Events) != 0 || len(v.Versions) != 1 || v.Versions[0] != v.Current || v.Current == nil ||
			v.Current.Visibility != mend.PartnerAndTherapist {
			t.Fatalf("the therapist sees drafts or notes of %d: proposal %+v, events %+v, versions %+v", v.ID, v.Proposal, v.Events, v.Versions)
		}
		if v.ID == goingPrivate && (v.Current.Title != "Counselling every Tuesday" || v.Version != 1) {
			t.Fatalf("the therapist sees the pending change: %+v", v.Current)
		}
		if v.ID == shared {
			if len(v.Logs) != 1 || v.Logs[0].Status != mend.Kept || len(v.Logs[0].Responses) != 0 || len(v.Stats) != 3 {
				t.Fatalf("the shared commitment's log = %+v, stats %+v", v.Logs, v.Stats)
			}
			wantStat(t, v.Stat(7), 7, stat{1, 1, 0, 0, 0}, 100, "the therapist's figure")
		}
	}
	// Sharing is each owner's: Ben's is seen once Ben shares.
	if _, err := e.c.SetDefaults(ctx, b, map[string]bool{mend.KindCommitments: true}); err != nil {
		t.Fatal(err)
	}
	seen("both share", shared, bens, goingPrivate)
	// Agreed changes of visibility take effect; proposals never show.
	e.agree(t, b, goingShared)
	e.agree(t, b, goingPrivate)
	seen("after the changes", shared, bens, goingShared)
	// Sharing other kinds does not share commitments.
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindCheckins: true}); err != nil {
		t.Fatal(err)
	}
	seen("Ana withdrew", bens)
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindCommitments: true}); err != nil {
		t.Fatal(err)
	}
	seen("Ana shares again", shared, bens, goingShared)
	// Completed commitments stay visible, read-only; the pending one never.
	e.review(t, b, shared, mend.ReviewComplete, "")
	p = seen("after completing", shared, bens, goingShared)
	if p.Commitments[0].State != mend.Completed {
		t.Fatalf("completed shows as %s", p.Commitments[0].State)
	}
	if n := views(); n != 7 {
		t.Fatalf("%d views recorded, want one per look (7)", n)
	}
}

func TestCommitments_TherapistAccessIsChecked(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	other := newTherapist(t, e.acc, "Omar", "Omar Said")
	link(t, e.c, b, th)
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindCommitments: true}); err != nil {
		t.Fatal(err)
	}
	e.setNow(t, "2027-03-01T10:00:00Z")
	e.active(t, a, b, forTherapist(promise("Share my calendar", "2027-03-29")))
	if p := e.therapistView(t, th, coupleID); len(p.Commitments) != 1 {
		t.Fatalf("the linked therapist sees %d commitments", len(p.Commitments))
	}
	views := func() int {
		return count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1`, coupleID)
	}
	for _, u := range []*mend.User{other, a, b} {
		_, err := e.s.ForTherapist(ctx, u, coupleID, "", "")
		wantCode(t, err, mend.NotFound, u.Name+" reading as the therapist")
	}
	if n := views(); n != 1 {
		t.Fatalf("%d views recorded, want only the linked therapist's 1", n)
	}
	if ended, err := e.c.EndTherapistLink(ctx, a); err != nil || !ended {
		t.Fatalf("end link: %v %v", ended, err)
	}
	_, err := e.s.ForTherapist(ctx, th, coupleID, "", "")
	wantCode(t, err, mend.NotFound, "a therapist whose link ended")
	if n := views(); n != 1 {
		t.Fatalf("%d views recorded after the link ended, want 1", n)
	}
}

func TestCommitments_TherapistViewIsRecordedBeforeReading(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, _, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	store := &orderCommitmentStore{CommitmentStore: e.db}
	e.s.Store = store
	if _, err := e.s.ForTherapist(ctx, th, coupleID, "", ""); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(store.calls, ","); got != "view commitments,members,commitments" {
		t.Fatalf("calls = %s", got)
	}
	store.calls, store.failView = nil, true
	if _, err := e.s.ForTherapist(ctx, th, coupleID, "", ""); err == nil {
		t.Fatal("read although the view could not be recorded")
	}
	if got := strings.Join(store.calls, ","); got != "view commitments" {
		t.Fatalf("calls when the view is not recorded = %s", got)
	}
}

func TestCommitments_WhenAPartnerLeavesThePairsCommitmentsLeaveToo(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T09:00:00Z")
	id := e.active(t, a, b, promise("I call if I am late", "2027-03-29"))
	asked := e.propose(t, b, service.CommitmentInput{For: "partner", Title: "Would you share your calendar", Rhythm: "daily",
		ReviewOn: "2027-03-29", Visibility: "partner"})
	if err := e.c.Leave(ctx, b, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	// A commitment is between two people: Ana alone sees none of theirs,
	// and cannot act on them.
	if l := e.list(t, a); len(l.Active)+len(l.ForMe)+len(l.Ended) != 0 {
		t.Fatalf("Ana still sees the pair's commitments: %+v", l)
	}
	for _, c := range []int64{id, asked} {
		if _, err := e.s.Detail(ctx, a, c, false); mend.ErrorCode(err) != mend.NotFound {
			t.Fatalf("Ana reads commitment %d after Ben left: %v", c, err)
		}
	}
	wantCode(t, e.s.Agree(ctx, a, asked, ""), mend.NotFound, "agreeing to a proposal of a partner who left")
	wantCode(t, e.s.Log(ctx, a, id, service.LogInput{Status: mend.Kept}), mend.NotFound, "logging after the partner left")
}

func TestCommitments_TherapistFiguresFollowEveryAgreedVersion(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Dr Tess")
	link(t, e.c, a, th)
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindCommitments: true}); err != nil {
		t.Fatal(err)
	}
	e.setNow(t, "2027-03-01T09:00:00Z")
	id := e.active(t, a, b, forTherapist(promise("I call if I am late", "2027-04-29")))
	e.log(t, a, id, "", mend.Missed, "A note for Ben only")
	e.setNow(t, "2027-03-03T09:00:00Z")
	e.revise(t, b, id, forTherapist(promise("I call or text if I am late", "2027-04-29")))
	e.agree(t, a, id)
	e.log(t, a, id, "", mend.Kept, "")
	p := e.therapistView(t, th, coupleID)
	if len(p.Commitments) != 1 {
		t.Fatalf("the therapist sees %d commitments", len(p.Commitments))
	}
	v := p.Commitments[0]
	// The same figures as the couple's, across both versions.
	if got, want := v.Stat(30), statOf(e.view(t, a, id), 30); got != want {
		t.Fatalf("therapist %+v, couple %+v", got, want)
	}
	for _, l := range v.Logs {
		if l.Note != "" {
			t.Fatalf("a note reached the therapist: %+v", l)
		}
	}
}
