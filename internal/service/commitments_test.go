package service_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/service"
)

// The day rules read the service clock, set freely below (to days in
// 2027); the rules about who joined when compare the database's own
// timestamps, which follow the real order of the calls.

// commitmentsEnv is a database of the test's own with the commitments
// service and the services it stands on, all reading one settable clock.
type commitmentsEnv struct {
	spaceEnv
	s *service.Commitments
}

func newCommitments(t *testing.T) *commitmentsEnv {
	t.Helper()
	base := newSpaceEnv(t, "Ana", "Ben")
	s := service.NewCommitments(base.db, base.c)
	s.Now = base.clk.now
	return &commitmentsEnv{spaceEnv: base, s: s}
}

// promise is a valid proposal of a daily commitment kept by the proposer,
// seen by the two partners, starting today and reviewed on review.
func promise(title, review string) service.CommitmentInput {
	return service.CommitmentInput{For: "me", Title: title, Rhythm: string(mend.Daily), ReviewOn: review, Visibility: string(mend.MyPartner)}
}

// onDays turns in into a commitment for the weekdays given ("0" Monday).
func onDays(in service.CommitmentInput, days ...string) service.CommitmentInput {
	in.Rhythm, in.Weekdays = string(mend.Weekdays), days
	return in
}

func withRhythm(in service.CommitmentInput, r mend.Rhythm) service.CommitmentInput {
	in.Rhythm = string(r)
	return in
}

func forTherapist(in service.CommitmentInput) service.CommitmentInput {
	in.Visibility = string(mend.PartnerAndTherapist)
	return in
}

func (e *commitmentsEnv) propose(t *testing.T, u *mend.User, in service.CommitmentInput) int64 {
	t.Helper()
	id, err := e.s.Propose(context.Background(), u, in)
	if err != nil || id == 0 {
		t.Fatalf("%s proposes %q: id %d, %v", u.Name, in.Title, id, err)
	}
	return id
}

func (e *commitmentsEnv) agree(t *testing.T, u *mend.User, id int64) {
	t.Helper()
	if err := e.s.Agree(context.Background(), u, id, ""); err != nil {
		t.Fatalf("%s agrees to %d: %v", u.Name, id, err)
	}
}

// active has proposer propose in and other agree to it.
func (e *commitmentsEnv) active(t *testing.T, proposer, other *mend.User, in service.CommitmentInput) int64 {
	t.Helper()
	id := e.propose(t, proposer, in)
	e.agree(t, other, id)
	return id
}

func (e *commitmentsEnv) revise(t *testing.T, u *mend.User, id int64, in service.CommitmentInput) {
	t.Helper()
	if err := e.s.Revise(context.Background(), u, id, in); err != nil {
		t.Fatalf("%s revises %d: %v", u.Name, id, err)
	}
}

func (e *commitmentsEnv) review(t *testing.T, u *mend.User, id int64, action, reviewOn string) {
	t.Helper()
	if err := e.s.Review(context.Background(), u, id, action, reviewOn); err != nil {
		t.Fatalf("%s: %s %d: %v", u.Name, action, id, err)
	}
}

// log records u's log of commitment id on day ("" for today).
func (e *commitmentsEnv) log(t *testing.T, u *mend.User, id int64, day, status, note string) {
	t.Helper()
	if err := e.s.Log(context.Background(), u, id, service.LogInput{Day: day, Status: status, Note: note}); err != nil {
		t.Fatalf("%s logs %s %s on %q: %v", u.Name, status, note, day, err)
	}
}

func (e *commitmentsEnv) detail(t *testing.T, u *mend.User, id int64) *service.CommitmentPage {
	t.Helper()
	p, err := e.s.Detail(context.Background(), u, id, false)
	if err != nil {
		t.Fatalf("%s reads commitment %d: %v", u.Name, id, err)
	}
	return p
}

func (e *commitmentsEnv) view(t *testing.T, u *mend.User, id int64) service.CommitmentView {
	t.Helper()
	return e.detail(t, u, id).View
}

func (e *commitmentsEnv) list(t *testing.T, u *mend.User) *service.CommitmentsPage {
	t.Helper()
	p, err := e.s.List(context.Background(), u)
	if err != nil {
		t.Fatalf("commitments of %s: %v", u.Name, err)
	}
	return p
}

func (e *commitmentsEnv) therapistView(t *testing.T, th *mend.User, coupleID int64) *service.TherapistCommitmentsPage {
	t.Helper()
	p, err := e.s.ForTherapist(context.Background(), th, coupleID)
	if err != nil {
		t.Fatalf("therapist view: %v", err)
	}
	return p
}

// logOn returns the log of v for day, failing the test when there is none.
func logOn(t *testing.T, v service.CommitmentView, day string) mend.CommitmentLog {
	t.Helper()
	for _, l := range v.Logs {
		if l.OccursOn.Equal(mustDate(day)) {
			return l
		}
	}
	t.Fatalf("no log on %s in %+v", day, v.Logs)
	return mend.CommitmentLog{}
}

// idsOf lists the ids of vs, in order.
func idsOf(vs []service.CommitmentView) []int64 {
	out := []int64{}
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

func wantIDs(t *testing.T, got []service.CommitmentView, what string, want ...int64) {
	t.Helper()
	if want == nil {
		want = []int64{}
	}
	if g := idsOf(got); !slices.Equal(g, want) {
		t.Fatalf("%s = %v, want %v", what, g, want)
	}
}

// decisions writes the history of v as "action version actor, …".
func decisions(v service.CommitmentView, people ...*mend.User) string {
	var out []string
	for _, ev := range v.Events {
		who := fmt.Sprint(ev.ActorID)
		for _, p := range people {
			if p.ID == ev.ActorID {
				who = p.Name
			}
		}
		out = append(out, fmt.Sprintf("%s %d %s", ev.Action, ev.Version, who))
	}
	return strings.Join(out, ", ")
}

// titles lists the versions of v as "number:title".
func titles(v service.CommitmentView) string {
	var out []string
	for _, ver := range v.Versions {
		out = append(out, fmt.Sprintf("%d:%s", ver.Version, ver.Title))
	}
	return strings.Join(out, ", ")
}

// wantOnly fails unless err is Invalid with a message on field and no other.
func wantOnly(t *testing.T, err error, field, what string) {
	t.Helper()
	fieldRefused(t, err, field, what)
	var me *mend.Error
	if errors.As(err, &me) && len(me.Fields) != 1 {
		t.Errorf("%s: messages on other fields too: %v", what, me.Fields)
	}
}

// wantMessage fails unless err is a *mend.Error with code and message.
func wantMessage(t *testing.T, err error, code mend.Code, msg, what string) {
	t.Helper()
	var me *mend.Error
	if !errors.As(err, &me) || me.Code != code || me.Message != msg {
		t.Fatalf("%s: want %s %q, got %v", what, code, msg, err)
	}
}

// statOf is v's consistency over days.
func statOf(v service.CommitmentView, days int) service.Consistency { return v.Stat(days) }

// stat is what a Consistency should count.
type stat struct{ counted, kept, partly, missed, notLogged int }

func wantStat(t *testing.T, got service.Consistency, days int, want stat, percent float64, what string) {
	t.Helper()
	g := stat{got.Counted, got.Kept, got.Partly, got.Missed, got.NotLogged}
	if got.Days != days || g != want || !sameFloat(got.Percent, percent) {
		t.Errorf("%s: got %d days %+v %v%%, want %d days %+v %v%%", what, got.Days, g, got.Percent, days, want, percent)
	}
	if got.Counted != got.Kept+got.Partly+got.Missed+got.NotLogged {
		t.Errorf("%s: counted %d is not the sum of %+v", what, got.Counted, g)
	}
}

// ver is one version of a commitment, for the pure functions.
func ver(n int, r mend.Rhythm, weekdays uint8, starts string) *mend.CommitmentVersion {
	return &mend.CommitmentVersion{Version: n, Rhythm: r, Weekdays: weekdays, StartsOn: mustDate(starts), ReviewOn: mustDate(starts).AddDate(0, 0, 28)}
}

func event(action string, version int, day string) mend.CommitmentEvent {
	return mend.CommitmentEvent{Action: action, Version: version, OnDay: mustDate(day)}
}

func versions(vs ...*mend.CommitmentVersion) map[int]*mend.CommitmentVersion {
	m := map[int]*mend.CommitmentVersion{}
	for _, v := range vs {
		m[v.Version] = v
	}
	return m
}

// logged makes logs from entries like "2027-03-01 kept".
func logged(entries ...string) []mend.CommitmentLog {
	var ls []mend.CommitmentLog
	for _, s := range entries {
		day, status, _ := strings.Cut(s, " ")
		ls = append(ls, mend.CommitmentLog{OccursOn: mustDate(day), Status: status})
	}
	return ls
}

// periodsString writes periods as "from–until rhythm/weekdays, …".
func periodsString(ps []service.Period) string {
	var out []string
	for _, p := range ps {
		until := "open"
		if !p.Until.IsZero() {
			until = p.Until.Format(time.DateOnly)
		}
		out = append(out, fmt.Sprintf("%s–%s %s/%d", p.From.Format(time.DateOnly), until, p.Rhythm, p.Weekdays))
	}
	return strings.Join(out, ", ")
}

// Mondays, Wednesdays and Fridays as a weekday set (bit 0 is Monday).
const monWedFri = 1<<0 | 1<<2 | 1<<4

// ---- Agreeing ----

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
	for _, act := range []string{service.ReviewPause, service.ReviewResume, service.ReviewComplete} {
		wantCode(t, e.s.Review(ctx, a, id, act, ""), mend.Conflict, act+" a declined proposal")
	}
	fieldRefused(t, e.s.Log(ctx, a, id, service.LogInput{Status: mend.Kept}), "day", "logging a declined proposal")
	if n := count(t, e.db, `SELECT count(*) FROM commitment_events WHERE commitment_id = $1`, id); n != 2 {
		t.Fatalf("%d events after the refusals, want 2", n)
	}
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
	wantMessage(t, e.s.Review(ctx, b, id, service.ReviewKeep, "2027-04-12"), mend.Conflict,
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
		wantOnly(t, e.s.Review(ctx, b, id, service.ReviewKeep, d), "review_on", fmt.Sprintf("keeping with review date %q", d))
	}
	e.review(t, b, id, service.ReviewKeep, " 2027-04-12 ")
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
	wantCode(t, e.s.Review(ctx, a, id, service.ReviewKeep, "2027-05-10"), mend.Conflict, "keeping again at once")
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
	impossible := func(u *mend.User, action, what string) {
		t.Helper()
		wantCode(t, e.s.Review(ctx, u, id, action, "2027-06-01"), mend.Conflict, what)
	}
	impossible(a, service.ReviewResume, "resuming an active commitment")
	impossible(a, "delete", "an unknown review action")
	impossible(a, "", "no review action")

	e.setNow(t, "2027-03-04T10:00:00Z")
	e.review(t, b, id, service.ReviewPause, "")
	if v := e.view(t, a, id); v.State != mend.Paused || v.Version != 1 || v.DueToday {
		t.Fatalf("paused = %+v, due today %v", v.Commitment, v.DueToday)
	}
	wantIDs(t, e.list(t, a).Paused, "paused list", id)
	wantIDs(t, e.list(t, a).Active, "active list while paused")
	wantIDs(t, e.list(t, a).DueToday, "due while paused")
	impossible(a, service.ReviewPause, "pausing twice")
	impossible(a, service.ReviewKeep, "keeping a paused commitment")

	e.setNow(t, "2027-03-08T10:00:00Z")
	e.review(t, a, id, service.ReviewResume, "")
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
	e.review(t, a, id, service.ReviewPause, "")
	e.revise(t, a, id, promise("Walk together twice a week", "2027-04-30"))
	e.review(t, b, id, service.ReviewComplete, "")
	v = e.view(t, a, id)
	if v.State != mend.Completed || v.Pending != 0 || v.Proposal != nil || v.ChangesAsked || v.Version != 1 {
		t.Fatalf("completed = %+v", v.Commitment)
	}
	if got := decisions(v, a, b); got != "proposed 1 Ana, agreed 1 Ben, paused 1 Ben, resumed 1 Ana, paused 1 Ana, revised 2 Ana, completed 1 Ben" {
		t.Fatalf("history = %s", got)
	}
	wantIDs(t, e.list(t, a).Ended, "ended list", id)
	wantIDs(t, e.list(t, a).Paused, "paused list after completing")
	for _, act := range []string{service.ReviewPause, service.ReviewResume, service.ReviewComplete, service.ReviewKeep} {
		impossible(a, act, act+" after completing")
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
	e.review(t, a, id, service.ReviewComplete, "")
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

// ---- Who may do what ----

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

func TestCommitments_OnlyTheOwnerLogs(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	wantMessage(t, e.s.Log(ctx, b, id, service.LogInput{Status: mend.Kept}), mend.NotFound,
		"Only the partner who keeps a commitment logs it.", "the partner logging")
	wantCode(t, e.s.Log(ctx, b, id, service.LogInput{Status: "bogus", Day: "never"}), mend.NotFound, "the partner logging nonsense")
	e.log(t, a, id, "", mend.Kept, "home at 6:40")
	logID := e.view(t, a, id).Logs[0].ID
	wantCode(t, e.s.EditLog(ctx, b, id, logID, mend.Missed, "no you weren't"), mend.NotFound, "the partner editing the log")
	l := e.view(t, b, id).Logs[0]
	if l.Status != mend.Kept || l.Note != "home at 6:40" || len(l.Versions) != 0 {
		t.Fatalf("the log after the partner's attempt = %+v", l)
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_logs`); n != 1 {
		t.Fatalf("%d logs, want 1", n)
	}
}

func TestCommitments_OnlyTheOtherPartnerResponds(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	e.log(t, a, id, "", mend.Missed, "Stuck at work, I should have called")
	logID := e.view(t, a, id).Logs[0].ID

	wantMessage(t, e.s.Respond(ctx, a, id, logID, true, "I saw my own"), mend.NotFound, "There is no such entry to answer.", "the owner responding")
	wantOnly(t, e.s.Respond(ctx, b, id, logID, false, "   "), "response", "an empty answer")
	wantOnly(t, e.s.Respond(ctx, b, id, logID, true, strings.Repeat("a", service.MaxAck+1)), "response", "a long answer")
	if err := e.s.Respond(ctx, b, id, logID, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Respond(ctx, b, id, logID, false, "  Thank you for telling me.  "); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*mend.User{a, b} {
		l := e.view(t, u, id).Logs[0]
		if len(l.Responses) != 1 {
			t.Fatalf("%s sees responses %+v", u.Name, l.Responses)
		}
		r := l.Responses[0]
		if r.UserID != b.ID || !r.Confirmed || r.Body != "Thank you for telling me." || r.LogID != logID {
			t.Fatalf("%s sees response %+v", u.Name, r)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_responses`); n != 1 {
		t.Fatalf("%d responses, want one per partner and log", n)
	}
	// A log of another commitment is not answered through this one.
	other := e.active(t, a, b, promise("Call my sponsor", "2027-03-29"))
	wantCode(t, e.s.Respond(ctx, b, other, logID, true, ""), mend.NotFound, "answering through another commitment")
	wantCode(t, e.s.EditLog(ctx, a, other, logID, mend.Kept, ""), mend.NotFound, "editing through another commitment")
}

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
			wantCode(t, e.s.Revise(ctx, u, cid, promise("Mine now", "2027-04-30")), mend.NotFound, u.Name+" revising")
			wantCode(t, e.s.Review(ctx, u, cid, service.ReviewKeep, "2027-04-30"), mend.NotFound, u.Name+" keeping")
			for _, act := range []string{service.ReviewPause, service.ReviewResume, service.ReviewComplete} {
				wantCode(t, e.s.Review(ctx, u, cid, act, ""), mend.NotFound, u.Name+" "+act)
			}
			wantCode(t, e.s.Log(ctx, u, cid, service.LogInput{Status: mend.Kept}), mend.NotFound, u.Name+" logging")
			wantCode(t, e.s.EditLog(ctx, u, cid, logID, mend.Missed, ""), mend.NotFound, u.Name+" editing a log")
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
		wantCode(t, e.s.Revise(ctx, th, cid, promise("Better", "2027-04-30")), mend.NotFound, "a therapist revising")
		wantCode(t, e.s.Review(ctx, th, cid, service.ReviewPause, ""), mend.NotFound, "a therapist pausing")
		wantCode(t, e.s.Log(ctx, th, cid, service.LogInput{Status: mend.Kept}), mend.NotFound, "a therapist logging")
		wantCode(t, e.s.EditLog(ctx, th, cid, logID, mend.Kept, ""), mend.NotFound, "a therapist editing a log")
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
	never := func(*mend.Commitment, map[int]*mend.CommitmentVersion) (*postgres.CommitmentChange, error) {
		t.Error("a decision ran with forged access")
		return nil, errors.New("forged")
	}

	// The linked therapist's own access does not write.
	ta := mend.Access{CoupleID: coupleID, UserID: th.ID, Role: mend.RoleTherapist}
	_, err := e.db.ProposeCommitment(ctx, ta, a.ID, mend.CommitmentVersion{Title: "x", Rhythm: mend.Daily, StartsOn: day, ReviewOn: day.AddDate(0, 0, 7), Visibility: mend.MyPartner}, day, nil)
	wantCode(t, err, mend.Forbidden, "the store: a therapist proposing")
	wantCode(t, e.db.DecideCommitment(ctx, ta, id, never), mend.Forbidden, "the store: a therapist deciding")
	wantCode(t, e.db.LogOccurrence(ctx, ta, id, day, mend.Kept, "", false, true, nil), mend.Forbidden, "the store: a therapist logging")
	wantCode(t, e.db.EditLog(ctx, ta, id, logID, mend.Missed, "", time.Time{}), mend.Forbidden, "the store: a therapist editing")
	wantCode(t, e.db.Respond(ctx, ta, id, logID, true, ""), mend.Forbidden, "the store: a therapist answering")

	// The other partner's own access does not log or edit the owner's.
	ba := mustAccess(t, e.c, b)
	wantCode(t, e.db.LogOccurrence(ctx, ba, id, day, mend.Missed, "", false, true, nil), mend.NotFound, "the store: the partner logging")
	wantCode(t, e.db.EditLog(ctx, ba, id, logID, mend.Missed, "", time.Time{}), mend.NotFound, "the store: the partner editing")
	wantCode(t, e.db.Respond(ctx, mustAccess(t, e.c, a), id, logID, true, ""), mend.NotFound, "the store: the owner answering")
	// A partner's access made up for another couple finds nothing.
	forged := mend.Access{CoupleID: coupleID, UserID: x.ID, Role: mend.RolePartner}
	set, err := e.db.Commitments(ctx, forged, 0, time.Time{})
	if err != nil || len(set.Commitments) != 0 {
		t.Fatalf("a forged access read %d commitments (%v)", len(set.Commitments), err)
	}
	wantCode(t, e.db.DecideCommitment(ctx, forged, id, never), mend.NotFound, "the store: a forged access deciding")
	wantCode(t, e.db.LogOccurrence(ctx, forged, id, day, mend.Missed, "", false, true, nil), mend.NotFound, "the store: a forged access logging")
	wantCode(t, e.db.EditLog(ctx, forged, id, logID, mend.Missed, "", time.Time{}), mend.NotFound, "the store: a forged access editing")
	wantCode(t, e.db.Respond(ctx, forged, id, logID, true, ""), mend.NotFound, "the store: a forged access answering")
	_, err = e.db.ProposeCommitment(ctx, forged, x.ID, mend.CommitmentVersion{Title: "x", Rhythm: mend.Daily, StartsOn: day, ReviewOn: day.AddDate(0, 0, 7), Visibility: mend.MyPartner}, day, nil)
	wantCode(t, err, mend.NotFound, "the store: a forged access proposing")
	// A partner's own access does not read as the therapist.
	pa := mend.Access{CoupleID: coupleID, UserID: a.ID, Role: mend.RoleTherapist}
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
		{"title", func(in *service.CommitmentInput) { in.Title = strings.Repeat("é", service.MaxCommitmentTitle+1) }},
		{"details", func(in *service.CommitmentInput) { in.Details = strings.Repeat("é", service.MaxCommitmentDetails+1) }},
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
	_, err = e.s.Propose(ctx, a, service.CommitmentInput{For: "x", Title: "", Details: strings.Repeat("d", service.MaxCommitmentDetails+1),
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

	in := onDays(promise(strings.Repeat("💛", service.MaxCommitmentTitle), "2028-03-10"), "0", "2", "4", "4", "9")
	in.Details = strings.Repeat("é", service.MaxCommitmentDetails)
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
	note := strings.Repeat("é", service.MaxCommitmentNote)
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
	long := strings.Repeat("é", service.MaxCommitmentNote+1)
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
	e.log(t, a, id, "", mend.Kept, strings.Repeat("é", service.MaxCommitmentNote))
	logID := e.view(t, a, id).Logs[0].ID
	wantOnly(t, e.s.EditLog(ctx, a, id, logID, "", ""), "status", "editing to no status")
	wantOnly(t, e.s.EditLog(ctx, a, id, logID, mend.Kept, long), "note", "editing to a long note")
	if l := e.view(t, a, id).Logs[0]; len(l.Versions) != 0 || l.Status != mend.Kept {
		t.Fatalf("refused edits changed the log: %+v", l)
	}
}

// ---- Consistency arithmetic ----

func TestCommitments_ConsistencyOverSevenThirtyAndNinetyDays(t *testing.T) {
	t.Parallel()
	// Daily from Monday 1 February 2027, agreed a few days before; today is
	// Saturday 10 April.
	ps := service.Periods([]mend.CommitmentEvent{event(mend.ActProposed, 1, "2027-01-25"), event(mend.ActAgreed, 1, "2027-01-28")},
		versions(ver(1, mend.Daily, 0, "2027-02-01")))
	if got := periodsString(ps); got != "2027-02-01–open daily/0" {
		t.Fatalf("periods = %s", got)
	}
	var ls []mend.CommitmentLog
	for d := mustDate("2027-02-01"); d.Before(mustDate("2027-04-03")); d = d.AddDate(0, 0, 1) {
		ls = append(ls, mend.CommitmentLog{OccursOn: d, Status: mend.Kept})
	}
	ls = append(ls, logged("2027-04-03 missed", "2027-04-04 partly" /* 5 April not logged */, "2027-04-06 kept", "2027-04-07 kept",
		"2027-04-08 partly", "2027-04-09 missed", "2027-04-11 kept" /* after today: not counted */)...)
	today := mustDate("2027-04-10")

	// 4–9 April; today is not counted before it is logged.
	wantStat(t, service.ConsistencyOver(ps, ls, today, 7), 7, stat{6, 2, 2, 1, 1}, 50, "7 days")
	// 12 March – 9 April: 22 kept days before.
	wantStat(t, service.ConsistencyOver(ps, ls, today, 30), 30, stat{29, 24, 2, 2, 1}, 25.0/29*100, "30 days")
	// From 1 February only: the 9 days of January before the start are not due.
	wantStat(t, service.ConsistencyOver(ps, ls, today, 90), 90, stat{68, 63, 2, 2, 1}, 64.0/68*100, "90 days")

	// Logged today, today counts.
	ls = append(ls, logged("2027-04-10 partly")...)
	wantStat(t, service.ConsistencyOver(ps, ls, today, 7), 7, stat{7, 2, 3, 1, 1}, 3.5/7*100, "7 days with today")
	wantStat(t, service.ConsistencyOver(ps, ls, today, 90), 90, stat{69, 63, 3, 2, 1}, 64.5/69*100, "90 days with today")

	// A slip lowers a percentage a little; nothing resets to zero.
	allKept := logged()
	for d := mustDate("2027-02-01"); !d.After(today); d = d.AddDate(0, 0, 1) {
		allKept = append(allKept, mend.CommitmentLog{OccursOn: d, Status: mend.Kept})
	}
	allKept[len(allKept)-2].Status = mend.Missed // yesterday
	wantStat(t, service.ConsistencyOver(ps, allKept, today, 30), 30, stat{30, 29, 0, 1, 0}, 29.0/30*100, "one slip in 30 days")
}

func TestCommitments_ConsistencyCountsTodayOnlyIfLogged(t *testing.T) {
	t.Parallel()
	ps := service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01")}, versions(ver(1, mend.Daily, 0, "2027-03-01")))
	today := mustDate("2027-03-01")
	wantStat(t, service.ConsistencyOver(ps, nil, today, 7), 7, stat{}, math.NaN(), "the first day, not logged")
	for status, want := range map[string]stat{mend.Kept: {1, 1, 0, 0, 0}, mend.Partly: {1, 0, 1, 0, 0}, mend.Missed: {1, 0, 0, 1, 0}} {
		pct := map[string]float64{mend.Kept: 100, mend.Partly: 50, mend.Missed: 0}[status]
		wantStat(t, service.ConsistencyOver(ps, logged("2027-03-01 "+status), today, 7), 7, want, pct, "today "+status)
	}
	// The day after, the unlogged first day is not logged.
	wantStat(t, service.ConsistencyOver(ps, nil, today.AddDate(0, 0, 1), 7), 7, stat{1, 0, 0, 0, 1}, 0, "the day after")
	// Before the start, nothing is due and nothing counts.
	wantStat(t, service.ConsistencyOver(ps, nil, mustDate("2027-02-20"), 90), 90, stat{}, math.NaN(), "before the start")
}

func TestCommitments_ConsistencyOfWeekdayRhythms(t *testing.T) {
	t.Parallel()
	if mend.WeekdayBit(mustDate("2027-03-01")) != 1 || mend.WeekdayBit(mustDate("2027-03-07")) != 1<<6 {
		t.Fatal("1 March 2027 is a Monday, 7 March a Sunday")
	}
	// Mondays, Wednesdays and Fridays from Monday 1 March.
	ps := service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01")}, versions(ver(1, mend.Weekdays, monWedFri, "2027-03-01")))
	for day, due := range map[string]bool{"2027-03-01": true, "2027-03-02": false, "2027-03-03": true, "2027-03-04": false,
		"2027-03-05": true, "2027-03-06": false, "2027-03-07": false, "2027-03-08": true, "2027-02-26": false} {
		occ, ok := service.Occurrence(ps, mustDate(day))
		if ok != due || (ok && !occ.Equal(mustDate(day))) {
			t.Errorf("occurrence on %s = %v %v, want due %v", day, occ, ok, due)
		}
	}
	ls := logged("2027-03-01 kept", "2027-03-03 kept", "2027-03-05 partly", "2027-03-08 missed" /* 10 March not logged */, "2027-03-12 kept")
	today := mustDate("2027-03-14") // a Sunday
	wantStat(t, service.ConsistencyOver(ps, ls, today, 7), 7, stat{3, 1, 0, 1, 1}, 100.0/3, "7 days: 8, 10, 12 March")
	wantStat(t, service.ConsistencyOver(ps, ls, today, 30), 30, stat{6, 3, 1, 1, 1}, 3.5/6*100, "30 days")
	// On Monday the 15th, the day itself counts once logged.
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-03-15"), 7), 7, stat{2, 1, 0, 0, 1}, 50, "Monday, not logged yet")
	wantStat(t, service.ConsistencyOver(ps, append(ls, logged("2027-03-15 kept")...), mustDate("2027-03-15"), 7), 7, stat{3, 2, 0, 0, 1}, 200.0/3, "Monday, logged")
	// Tuesday: Monday unlogged counts as not logged; Tuesday is not due.
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-03-16"), 7), 7, stat{3, 1, 0, 0, 2}, 100.0/3, "Tuesday")
}

func TestCommitments_ConsistencyOfWeeklyRhythms(t *testing.T) {
	t.Parallel()
	// Once a week from Wednesday 3 March: windows start on the 3rd, 10th,
	// 17th, 24th and 31st.
	ps := service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-03")}, versions(ver(1, mend.Weekly, 0, "2027-03-03")))
	for day, want := range map[string]string{"2027-03-03": "2027-03-03", "2027-03-09": "2027-03-03", "2027-03-10": "2027-03-10",
		"2027-03-16": "2027-03-10", "2027-03-23": "2027-03-17", "2027-03-24": "2027-03-24"} {
		if occ, ok := service.Occurrence(ps, mustDate(day)); !ok || !occ.Equal(mustDate(want)) {
			t.Errorf("occurrence on %s = %v %v, want %s", day, occ, ok, want)
		}
	}
	if _, ok := service.Occurrence(ps, mustDate("2027-03-02")); ok {
		t.Error("due before the start")
	}
	ls := logged("2027-03-03 kept", "2027-03-10 partly")
	// On the last day of the third window it is still open: not counted.
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-03-23"), 30), 30, stat{2, 1, 1, 0, 0}, 75, "the third week still open")
	// Once it ended unlogged, it counts as not logged; the fourth is open.
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-03-24"), 30), 30, stat{3, 1, 1, 0, 1}, 50, "the third week ended")
	// Logged during its window, an open week counts at once.
	ls = append(ls, logged("2027-03-24 kept")...)
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-03-24"), 30), 30, stat{4, 2, 1, 0, 1}, 62.5, "the fourth week logged")
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-03-29"), 30), 30, stat{4, 2, 1, 0, 1}, 62.5, "the fourth week, later")
	// A week counts in the days where it ends, as it can be kept until then:
	// 7 days from the 20th hold the end of the 17th's week (not logged) and
	// the 24th's (kept).
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-03-26"), 7), 7, stat{2, 1, 0, 0, 1}, 50, "7 days from the 20th")
	// 10 March – 8 April: the weeks of the 10th (partly), 17th (not logged),
	// 24th (kept) and 31st (ended, not logged); not the 3rd's; the 7th's is open.
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-04-08"), 30), 30, stat{4, 1, 1, 0, 2}, 37.5, "30 days from 10 March")
	// A missed week owned.
	ls = append(ls, logged("2027-03-31 missed")...)
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-04-01"), 30), 30, stat{5, 2, 1, 1, 1}, 50, "the fifth week missed")
}

func TestCommitments_ConsistencyOfEachTimeCountsOnlyLogged(t *testing.T) {
	t.Parallel()
	ps := service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01")}, versions(ver(1, mend.EachTime, 0, "2027-03-01")))
	today := mustDate("2027-03-06")
	wantStat(t, service.ConsistencyOver(ps, nil, today, 30), 30, stat{}, math.NaN(), "nothing logged")
	ls := logged("2027-03-02 kept", "2027-03-02 kept", "2027-03-04 missed", "2027-03-05 partly", "2027-03-06 kept")
	wantStat(t, service.ConsistencyOver(ps, ls, today, 30), 30, stat{5, 3, 1, 1, 0}, 70, "five times")
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-03-10"), 7), 7, stat{3, 1, 1, 1, 0}, 50, "7 days: 4–6 March")
	if occ, ok := service.Occurrence(ps, today); !ok || !occ.Equal(today) {
		t.Fatalf("each time: occurrence %v %v", occ, ok)
	}
}

func TestCommitments_PausedDaysAreNotDue(t *testing.T) {
	t.Parallel()
	vs := versions(ver(1, mend.Daily, 0, "2027-03-01"))
	evs := []mend.CommitmentEvent{event(mend.ActProposed, 1, "2027-02-27"), event(mend.ActAgreed, 1, "2027-03-01"),
		event(mend.ActPaused, 1, "2027-03-04"), event(mend.ActResumed, 1, "2027-03-08")}
	ps := service.Periods(evs, vs)
	// A pause takes effect at the end of its day: that day stays due.
	if got := periodsString(ps); got != "2027-03-01–2027-03-05 daily/0, 2027-03-08–open daily/0" {
		t.Fatalf("periods = %s", got)
	}
	for _, d := range []string{"2027-03-05", "2027-03-06", "2027-03-07"} {
		if _, due := service.Occurrence(ps, mustDate(d)); due {
			t.Errorf("%s is due while paused", d)
		}
	}
	ls := logged("2027-03-01 kept", "2027-03-02 kept", "2027-03-03 partly", "2027-03-04 kept", "2027-03-08 missed")
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-03-10"), 30), 30, stat{6, 3, 1, 1, 1}, 3.5/6*100, "around a pause")
	// Completed on the 10th: nothing is due after it.
	ps = service.Periods(append(evs, event(mend.ActCompleted, 1, "2027-03-10")), vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-05 daily/0, 2027-03-08–2027-03-11 daily/0" {
		t.Fatalf("periods after completing = %s", got)
	}
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-03-20"), 30), 30, stat{7, 3, 1, 1, 2}, 3.5/7*100, "after completing")
	// Paused on the day it was agreed: that day was still due.
	ps = service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActPaused, 1, "2027-03-01"),
		event(mend.ActResumed, 1, "2027-03-03")}, vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-02 daily/0, 2027-03-03–open daily/0" {
		t.Fatalf("periods paused on the first day = %s", got)
	}
}

func TestCommitments_PeriodsFollowAgreedChanges(t *testing.T) {
	t.Parallel()
	// Daily from 1 March; on 3 March a change to Mondays only from 8 March
	// is agreed.
	vs := versions(ver(1, mend.Daily, 0, "2027-03-01"), ver(2, mend.Weekdays, 1, "2027-03-08"))
	ps := service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActRevised, 2, "2027-03-02"),
		event(mend.ActAgreed, 2, "2027-03-03")}, vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-08 daily/0, 2027-03-08–open weekdays/1" {
		t.Fatalf("periods = %s", got)
	}
	// 1–7 March daily, then Mondays 8 and 15 March; Wednesday 17th is today.
	wantStat(t, service.ConsistencyOver(ps, logged("2027-03-02 kept", "2027-03-15 kept"), mustDate("2027-03-17"), 30), 30,
		stat{9, 2, 0, 0, 7}, 200.0/9, "across the change")
	// A change agreed after its start takes over from the day it was agreed.
	vs[2].StartsOn = mustDate("2027-03-02")
	ps = service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActAgreed, 2, "2027-03-05")}, vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-05 daily/0, 2027-03-05–open weekdays/1" {
		t.Fatalf("periods of a late agreement = %s", got)
	}
	// A change agreed while paused applies from the resumption.
	ps = service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActPaused, 1, "2027-03-03"),
		event(mend.ActAgreed, 2, "2027-03-04"), event(mend.ActResumed, 2, "2027-03-10")}, vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-04 daily/0, 2027-03-10–open weekdays/1" {
		t.Fatalf("periods of a change agreed while paused = %s", got)
	}
	// A first version starting later is in force from its start.
	ps = service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-02-20")}, vs)
	if got := periodsString(ps); got != "2027-03-01–open daily/0" {
		t.Fatalf("periods of a later start = %s", got)
	}
	// Keeping at a review goes on in the same period (a weekly one keeps
	// its weeks).
	vs[3] = ver(3, mend.Daily, 0, "2027-03-01")
	ps = service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActKept, 3, "2027-03-29")}, vs)
	if got := periodsString(ps); got != "2027-03-01–open daily/0" {
		t.Fatalf("periods after keeping = %s", got)
	}
	// Proposals, requests and declines change nothing.
	ps = service.Periods([]mend.CommitmentEvent{event(mend.ActProposed, 1, "2027-03-01"), event(mend.ActAskedChange, 1, "2027-03-01"),
		event(mend.ActRevised, 2, "2027-03-02"), event(mend.ActDeclined, 2, "2027-03-03")}, vs)
	if len(ps) != 0 {
		t.Fatalf("periods never agreed = %s", periodsString(ps))
	}
}

func TestCommitments_StripOfTwelveWeeks(t *testing.T) {
	t.Parallel()
	ps := service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01")}, versions(ver(1, mend.Daily, 0, "2027-03-01")))
	ls := logged("2027-03-01 kept", "2027-03-02 partly", "2027-03-03 missed", "2027-03-06 kept")
	s := service.Strip(ps, ls, mustDate("2027-03-07"), 12)
	if len(s) != 84 || !s[0].Day.Equal(mustDate("2026-12-14")) || !s[83].Day.Equal(mustDate("2027-03-07")) {
		t.Fatalf("strip of %d days from %v to %v", len(s), s[0].Day, s[len(s)-1].Day)
	}
	for _, d := range s[:77] {
		if d.Due || d.Status != "" || d.Logs != 0 {
			t.Fatalf("before the start: %+v", d)
		}
	}
	var got []string
	for _, d := range s[77:] {
		got = append(got, fmt.Sprintf("%v:%s", d.Due, d.Status))
	}
	if g := strings.Join(got, " "); g != "true:kept true:partly true:missed true: true: true:kept true:open" {
		t.Fatalf("last week = %s", g)
	}

	// Weekly: the window's first day carries it; a running window is open.
	ps = service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-02-24")}, versions(ver(1, mend.Weekly, 0, "2027-02-24")))
	s = service.Strip(ps, logged("2027-02-24 kept"), mustDate("2027-03-07"), 2)
	got = nil
	for _, d := range s {
		got = append(got, fmt.Sprintf("%v:%s", d.Due, d.Status))
	}
	// 22 Feb – 7 March: windows on 24 February (kept) and 3 March (open).
	if g := strings.Join(got, " "); g != "false: false: true:kept false: false: false: false: false: false: true:open false: false: false: false:" {
		t.Fatalf("weekly strip = %s", g)
	}

	// Each time it applies: how many were logged each day.
	ps = service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01")}, versions(ver(1, mend.EachTime, 0, "2027-03-01")))
	s = service.Strip(ps, logged("2027-03-02 kept", "2027-03-02 missed", "2027-03-05 kept"), mustDate("2027-03-07"), 1)
	if s[1].Logs != 2 || s[1].Status != mend.Kept || s[4].Logs != 1 || s[0].Logs != 0 || s[0].Due || s[6].Status != "" {
		t.Fatalf("each-time strip = %+v", s)
	}
}

func TestCommitments_ConsistencyThroughTheService(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-05-31"))
	// Five weeks: kept mostly, a few owned misses, some days not logged.
	plan := map[int]string{3: mend.Missed, 4: mend.Partly, 9: "", 10: "", 17: mend.Missed, 22: mend.Partly, 30: mend.Missed, 31: "", 33: mend.Partly}
	for i := range 35 {
		e.clk.t = mustDate("2027-03-01").AddDate(0, 0, i).Add(20 * time.Hour)
		status, ok := plan[i]
		if !ok {
			status = mend.Kept
		}
		if status != "" {
			e.log(t, a, id, "", status, "")
		}
	}
	// 35 days logged from 1 March; it is now 5 April, not logged yet.
	e.setNow(t, "2027-04-05T09:00:00Z")
	for _, u := range []*mend.User{a, b} {
		v := e.view(t, u, id)
		// 29 March – 4 April: days 28–34.
		wantStat(t, v.Stat(7), 7, stat{6, 3, 1, 1, 1}, 3.5/6*100, u.Name+": 7 days")
		// 7 March – 4 April: days 6–34.
		wantStat(t, v.Stat(30), 30, stat{29, 22, 2, 2, 3}, 23.0/29*100, u.Name+": 30 days")
		// Everything since 1 March.
		wantStat(t, v.Stat(90), 90, stat{35, 26, 3, 3, 3}, 27.5/35*100, u.Name+": 90 days")
		if v.OwnedMisses != 3 || !v.DueToday {
			t.Fatalf("%s: owned misses %d, due today %v", u.Name, v.OwnedMisses, v.DueToday)
		}
		// The strip starts on the first day in force, 1 March.
		s := v.Strip
		n := len(s)
		if n != 36 || !s[0].Day.Equal(mustDate("2027-03-01")) || s[0].Status != mend.Kept || !s[n-1].Day.Equal(mustDate("2027-04-05")) ||
			s[n-1].Status != "open" || s[n-2].Status != mend.Kept || s[n-3].Status != mend.Partly || s[n-4].Status != mend.Kept ||
			s[n-5].Status != "" || !s[n-5].Due || s[n-6].Status != mend.Missed {
			t.Fatalf("%s: strip of %d days: %+v … %+v", u.Name, n, s[0], s[max(n-6, 0):])
		}
	}
	// The list shows the same 30-day figure.
	l := e.list(t, b)
	wantIDs(t, l.Active, "Ben's active list", id)
	if got, want := l.Active[0].Stat(30), statOf(e.view(t, a, id), 30); got != want && !(math.IsNaN(got.Percent) && math.IsNaN(want.Percent)) {
		t.Fatalf("list %+v, detail %+v", got, want)
	}
	if len(l.Active[0].Stats) != 1 {
		t.Fatalf("the list computes %d windows", len(l.Active[0].Stats))
	}
	// Logged now, today counts.
	e.log(t, a, id, "", mend.Kept, "")
	wantStat(t, statOf(e.view(t, b, id), 7), 7, stat{7, 4, 1, 1, 1}, 4.5/7*100, "7 days, a day on, logged") // 30 March – 5 April
	if v := e.view(t, a, id); v.DueToday {
		t.Fatal("still due today once logged")
	}
	wantIDs(t, e.list(t, a).DueToday, "due for Ana once logged")
	// The whole log, or the last 90 days.
	e.setNow(t, "2027-07-01T09:00:00Z")
	p, err := e.s.Detail(ctx, a, id, true)
	// Owned misses are counted over the last 90 days: none since April.
	if err != nil || len(p.View.Logs) != 33 || p.View.OwnedMisses != 0 {
		t.Fatalf("the whole log: %d logs, %d owned misses (%v)", len(p.View.Logs), p.View.OwnedMisses, err)
	}
	// The page loads 90 days and a week (for a weekly occurrence ending in
	// them): from 26 March.
	if v := e.view(t, a, id); len(v.Logs) != 10 || !v.Logs[0].OccursOn.Equal(mustDate("2027-04-05")) || v.OwnedMisses != 0 {
		t.Fatalf("the last 90 days: %d logs, newest %v, owned misses %d", len(v.Logs), v.Logs[0].OccursOn, v.OwnedMisses)
	}
}

func TestCommitments_WeekdayRhythmThroughTheService(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z") // a Monday
	id := e.active(t, a, b, onDays(promise("Gym before work", "2027-03-29"), "0", "2", "4"))
	for i := range 14 {
		e.clk.t = mustDate("2027-03-01").AddDate(0, 0, i).Add(18 * time.Hour)
		due := i%7 == 0 || i%7 == 2 || i%7 == 4
		switch {
		case !due:
			fieldRefused(t, e.s.Log(ctx, a, id, service.LogInput{Status: mend.Kept}), "day", fmt.Sprintf("logging day %d, not chosen", i))
		case i != 9: // Wednesday 10 March goes unlogged
			e.log(t, a, id, "", mend.Kept, "")
		}
		if v := e.view(t, a, id); v.DueToday != (due && i == 9) {
			t.Fatalf("day %d: due today %v", i, v.DueToday)
		}
	}
	// Sunday 14 March: six days were due, one (Wednesday 10th) not logged.
	v := e.view(t, b, id)
	wantStat(t, v.Stat(30), 30, stat{6, 5, 0, 0, 1}, 500.0/6, "30 days")
	wantStat(t, v.Stat(7), 7, stat{3, 2, 0, 0, 1}, 200.0/3, "7 days")
}

// At any instant Kiritimati (UTC+14) is one calendar day ahead of Honolulu
// (UTC−10), at the same time of day; both change day at 10:00 UTC.
func TestCommitments_TheOwnersLocalDateDecidesTheDay(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	h, k, _ := e.pairIn(t, "Pacific/Honolulu", "Pacific/Kiritimati")
	e.setNow(t, "2027-03-01T12:00:00Z") // Monday 1 March in Honolulu, Tuesday 2 March in Kiritimati
	hid := e.propose(t, h, promise("Walk the dog", "2027-04-01"))
	kid := e.propose(t, k, promise("Call at lunch", "2027-04-01"))
	if v := e.view(t, k, hid); !v.Proposal.StartsOn.Equal(mustDate("2027-03-01")) {
		t.Fatalf("Honolulu's proposal starts on %v", v.Proposal.StartsOn)
	}
	if v := e.view(t, h, kid); !v.Proposal.StartsOn.Equal(mustDate("2027-03-02")) {
		t.Fatalf("Kiritimati's proposal starts on %v", v.Proposal.StartsOn)
	}
	// Each agrees to the other's at once: each commitment is in force from
	// its owner's today, whatever day it is for the partner who agreed.
	e.agree(t, k, hid)
	e.agree(t, h, kid)
	for _, u := range []*mend.User{h, k} {
		if v := e.view(t, u, hid); !v.OwnerToday.Equal(mustDate("2027-03-01")) || !v.DueToday {
			t.Fatalf("%s reads Honolulu's: owner's today %v, due %v, periods %s", u.Name, v.OwnerToday, v.DueToday, periodsString(v.Periods))
		}
		if v := e.view(t, u, kid); !v.OwnerToday.Equal(mustDate("2027-03-02")) || !v.DueToday {
			t.Fatalf("%s reads Kiritimati's: owner's today %v, due %v, periods %s", u.Name, v.OwnerToday, v.DueToday, periodsString(v.Periods))
		}
	}
	e.log(t, h, hid, "", mend.Kept, "")
	e.log(t, k, kid, "", mend.Kept, "")
	if l := logOn(t, e.view(t, k, hid), "2027-03-01"); l.Late {
		t.Fatalf("Honolulu's log = %+v", l)
	}
	if l := logOn(t, e.view(t, h, kid), "2027-03-02"); l.Late {
		t.Fatalf("Kiritimati's log = %+v", l)
	}
	// Tomorrow for one is today for the other.
	fieldRefused(t, e.s.Log(ctx, h, hid, service.LogInput{Day: "2027-03-02", Status: mend.Kept}), "day", "Honolulu logging tomorrow")

	e.setNow(t, "2027-03-05T12:00:00Z") // 5 March in Honolulu, 6 March in Kiritimati
	e.log(t, h, hid, "2027-03-04", mend.Kept, "")
	e.log(t, k, kid, "2027-03-05", mend.Partly, "")
	fieldRefused(t, e.s.Log(ctx, h, hid, service.LogInput{Day: "2027-03-06", Status: mend.Kept}), "day", "Honolulu logging Kiritimati's today")
	fieldRefused(t, e.s.Log(ctx, h, hid, service.LogInput{Day: "2027-03-03", Status: mend.Kept}), "day", "Honolulu logging two days back")
	fieldRefused(t, e.s.Log(ctx, k, kid, service.LogInput{Day: "2027-03-04", Status: mend.Kept}), "day", "Kiritimati logging Honolulu's yesterday")
	if l := logOn(t, e.view(t, k, hid), "2027-03-04"); !l.Late {
		t.Fatalf("Honolulu's yesterday = %+v", l)
	}
	if l := logOn(t, e.view(t, h, kid), "2027-03-05"); !l.Late {
		t.Fatalf("Kiritimati's yesterday = %+v", l)
	}
	// Each reads both in the owner's days: Honolulu's 1–4 March (2 and 3
	// not logged), Kiritimati's 2–5 March (3 and 4 not logged).
	for _, u := range []*mend.User{h, k} {
		wantStat(t, statOf(e.view(t, u, hid), 7), 7, stat{4, 2, 0, 0, 2}, 50, u.Name+" reads Honolulu's")
		wantStat(t, statOf(e.view(t, u, kid), 7), 7, stat{4, 1, 1, 0, 2}, 37.5, u.Name+" reads Kiritimati's")
	}
	// The day turns at 10:00 UTC for both.
	e.setNow(t, "2027-03-06T09:59:00Z")
	e.log(t, h, hid, "", mend.Kept, "late evening")
	e.setNow(t, "2027-03-06T10:01:00Z")
	e.log(t, h, hid, "", mend.Missed, "just after midnight")
	v := e.view(t, k, hid)
	if logOn(t, v, "2027-03-05").Note != "late evening" || logOn(t, v, "2027-03-06").Note != "just after midnight" {
		t.Fatalf("logs around midnight in Honolulu: %+v", v.Logs)
	}
	// Pausing and resuming by the partner a day ahead count in the owner's days too.
	e.review(t, k, hid, service.ReviewPause, "")
	e.setNow(t, "2027-03-08T12:00:00Z") // 8 March in Honolulu, 9 March in Kiritimati
	e.review(t, k, hid, service.ReviewResume, "")
	if got := periodsString(e.view(t, h, hid).Periods); got != "2027-03-01–2027-03-07 daily/0, 2027-03-08–open daily/0" {
		t.Fatalf("Honolulu's periods after Kiritimati paused and resumed = %s", got)
	}
	e.log(t, h, hid, "", mend.Kept, "")
	fieldRefused(t, e.s.Log(ctx, h, hid, service.LogInput{Day: "2027-03-07", Status: mend.Kept}), "day", "Honolulu logging a paused day")
}

func TestCommitments_WeekdaysAreTheOwnersWeekdays(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	h, k, _ := e.pairIn(t, "Pacific/Honolulu", "Pacific/Kiritimati")
	e.setNow(t, "2027-03-01T12:00:00Z") // Monday in Honolulu, Tuesday in Kiritimati
	mondays := onDays(promise("Plan the week together", "2027-04-01"), "0")
	hid := e.active(t, h, k, mondays)
	kid := e.active(t, k, h, mondays)
	e.log(t, h, hid, "", mend.Kept, "")
	fieldRefused(t, e.s.Log(ctx, k, kid, service.LogInput{Status: mend.Kept}), "day", "Kiritimati logging on its Tuesday")

	// Sunday 7 March 22:00 in Honolulu is Monday 8 March in Kiritimati.
	e.setNow(t, "2027-03-08T08:00:00Z")
	fieldRefused(t, e.s.Log(ctx, h, hid, service.LogInput{Status: mend.Kept}), "day", "Honolulu logging on its Sunday")
	e.log(t, k, kid, "", mend.Kept, "")
	if v := e.view(t, k, hid); !v.OwnerToday.Equal(mustDate("2027-03-07")) || v.DueToday {
		t.Fatalf("Honolulu's Sunday: owner's today %v, due %v", v.OwnerToday, v.DueToday)
	}
	// Monday 8 March 02:00 in Honolulu is Tuesday 9 March in Kiritimati.
	e.setNow(t, "2027-03-08T12:00:00Z")
	if v := e.view(t, k, hid); !v.DueToday {
		t.Fatal("Honolulu's Monday is not due")
	}
	if v := e.view(t, h, kid); v.DueToday {
		t.Fatal("Kiritimati's Tuesday is due")
	}
	wantStat(t, statOf(e.view(t, k, hid), 30), 30, stat{1, 1, 0, 0, 0}, 100, "Honolulu's Mondays, the second one open")
	wantStat(t, statOf(e.view(t, h, kid), 30), 30, stat{1, 1, 0, 0, 0}, 100, "Kiritimati's Mondays")
}

// ---- Late logging ----

func TestCommitments_LateLoggingOnlyYesterday(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	e.setNow(t, "2027-03-10T12:00:00Z")

	e.log(t, a, id, "2027-03-09", mend.Missed, "forgot to call")
	e.log(t, a, id, " 2027-03-10 ", mend.Kept, "")
	v := e.view(t, b, id)
	if l := logOn(t, v, "2027-03-09"); !l.Late || l.Status != mend.Missed || l.Note != "forgot to call" {
		t.Fatalf("yesterday's log = %+v", l)
	}
	if l := logOn(t, v, "2027-03-10"); l.Late {
		t.Fatalf("today's log = %+v", l)
	}
	for _, d := range []string{"2027-03-08", "2027-03-01", "2026-03-10", "2027-03-11", "2028-01-01", "yesterday", "2027-02-30", "10/03/2027"} {
		fieldRefused(t, e.s.Log(ctx, a, id, service.LogInput{Day: d, Status: mend.Kept}), "day", "logging "+d)
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_logs`); n != 2 {
		t.Fatalf("%d logs, want 2", n)
	}
	// Editing yesterday's log keeps it late.
	e.log(t, a, id, "2027-03-09", mend.Partly, "called at 7:30")
	if l := logOn(t, e.view(t, a, id), "2027-03-09"); !l.Late || l.Status != mend.Partly || len(l.Versions) != 1 {
		t.Fatalf("yesterday's log edited = %+v", l)
	}
}

func TestCommitments_LoggingOnlyWhenDue(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	notDue := func(id int64, day, what string) {
		t.Helper()
		err := e.s.Log(ctx, a, id, service.LogInput{Day: day, Status: mend.Kept})
		if msg := fieldErr(t, err, "day"); msg != "This commitment is not due on that day." {
			t.Fatalf("%s: %q", what, msg)
		}
	}
	e.setNow(t, "2027-03-01T10:00:00Z") // a Monday
	pending := e.propose(t, a, promise("Walk together", "2027-03-29"))
	notDue(pending, "", "before agreement")
	later := promise("Start after the holiday", "2027-04-01")
	later.StartsOn = "2027-03-03"
	starting := e.active(t, a, b, later)
	notDue(starting, "", "before its start")
	weekdays := e.active(t, a, b, onDays(promise("Gym before work", "2027-03-29"), "0", "2", "4"))
	daily := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	notDue(daily, "2027-02-28", "the day before it was agreed")

	e.setNow(t, "2027-03-02T10:00:00Z") // Tuesday
	notDue(weekdays, "", "a day not chosen")
	e.log(t, a, weekdays, "2027-03-01", mend.Kept, "") // yesterday, chosen
	notDue(starting, "2027-03-01", "yesterday, before its start")

	e.setNow(t, "2027-03-03T10:00:00Z")
	e.log(t, a, starting, "", mend.Kept, "")
	e.review(t, b, daily, service.ReviewPause, "")
	// A pause takes effect at the end of its day: today can still be logged.
	e.log(t, a, daily, "", mend.Kept, "")
	e.setNow(t, "2027-03-04T10:00:00Z")
	notDue(daily, "", "while paused")
	e.setNow(t, "2027-03-05T10:00:00Z")
	notDue(daily, "2027-03-04", "yesterday, while paused")
	e.review(t, b, daily, service.ReviewResume, "")
	notDue(daily, "2027-03-04", "yesterday, a paused day")
	e.log(t, a, daily, "", mend.Kept, "")
}

// ---- Edit locks ----

func TestCommitments_LoggingAgainEditsAndKeepsHistory(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))

	e.log(t, a, id, "", mend.Kept, "first")
	e.clk.t = e.clk.t.Add(time.Hour)
	e.log(t, a, id, "", mend.Missed, "second")
	e.clk.t = e.clk.t.Add(time.Hour)
	e.log(t, a, id, "2027-03-01", mend.Partly, "third")
	if n := count(t, e.db, `SELECT count(*) FROM commitment_logs`); n != 1 {
		t.Fatalf("%d logs of one occurrence, want 1", n)
	}
	v := e.view(t, b, id)
	l := v.Logs[0]
	if l.Status != mend.Partly || l.Note != "third" || l.Late || len(l.Versions) != 2 {
		t.Fatalf("log = %+v", l)
	}
	if l.Versions[0].Status != mend.Missed || l.Versions[0].Note != "second" || l.Versions[1].Status != mend.Kept || l.Versions[1].Note != "first" ||
		l.Versions[0].SavedAt.Before(l.Versions[1].SavedAt) || l.Versions[0].LogID != l.ID {
		t.Fatalf("versions, newest first = %+v", l.Versions)
	}
	if !l.UpdatedAt.After(l.CreatedAt) {
		t.Fatalf("an edited log: created %v, updated %v", l.CreatedAt, l.UpdatedAt)
	}
	if v.OwnedMisses != 0 {
		t.Fatalf("an edited-away miss still counts as owned: %d", v.OwnedMisses)
	}
	// EditLog does the same.
	if err := e.s.EditLog(ctx, a, id, l.ID, mend.Kept, "  fourth  "); err != nil {
		t.Fatal(err)
	}
	l = e.view(t, a, id).Logs[0]
	if l.Status != mend.Kept || l.Note != "fourth" || len(l.Versions) != 3 || l.Versions[0].Note != "third" {
		t.Fatalf("after EditLog = %+v", l)
	}
	wantStat(t, statOf(e.view(t, a, id), 7), 7, stat{1, 1, 0, 0, 0}, 100, "one kept day after the edits")
}

func TestCommitments_NoEditsAfterThePartnerResponds(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	e.setNow(t, "2027-03-02T10:00:00Z")
	e.log(t, a, id, "", mend.Missed, "Stuck at work")
	e.log(t, a, id, "", mend.Missed, "Stuck at work, I should have called")
	logID := e.view(t, a, id).Logs[0].ID
	if err := e.s.Respond(ctx, b, id, logID, true, "Thank you for telling me."); err != nil {
		t.Fatal(err)
	}
	wantErr(t, e.s.Log(ctx, a, id, service.LogInput{Status: mend.Kept}), postgres.ErrLogAnswered, "logging the answered occurrence again")
	wantErr(t, e.s.EditLog(ctx, a, id, logID, mend.Kept, ""), postgres.ErrLogAnswered, "editing the answered log")
	l := e.view(t, b, id).Logs[0]
	if l.Status != mend.Missed || l.Note != "Stuck at work, I should have called" || len(l.Versions) != 1 || len(l.Responses) != 1 {
		t.Fatalf("the answered log = %+v", l)
	}
	// A confirmation alone locks too, and other occurrences stay open.
	e.log(t, a, id, "2027-03-01", mend.Kept, "")
	first := logOn(t, e.view(t, a, id), "2027-03-01")
	e.log(t, a, id, "2027-03-01", mend.Partly, "")
	if err := e.s.Respond(ctx, b, id, first.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.s.Log(ctx, a, id, service.LogInput{Day: "2027-03-01", Status: mend.Kept}), mend.Conflict, "logging a confirmed occurrence again")
	wantCode(t, e.s.EditLog(ctx, a, id, first.ID, mend.Kept, ""), mend.Conflict, "editing a confirmed log")
	if got := logOn(t, e.view(t, a, id), "2027-03-01"); got.Status != mend.Partly || len(got.Versions) != 1 {
		t.Fatalf("the confirmed log = %+v", got)
	}
	// The partner may still add to an answer.
	if err := e.s.Respond(ctx, b, id, logID, false, "Let's talk tonight."); err != nil {
		t.Fatal(err)
	}
	if r := e.view(t, a, id).Logs[0].Responses; len(r) != 1 || !r[0].Confirmed || r[0].Body != "Let's talk tonight." {
		t.Fatalf("answer after adding = %+v", r)
	}
}

func TestCommitments_EachTimeLogsAddRows(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, withRhythm(promise("Tell you before any purchase over $50", "2027-03-29"), mend.EachTime))
	if v := e.view(t, a, id); v.DueToday {
		t.Fatal("each time it applies is never due today")
	}
	e.log(t, a, id, "", mend.Kept, "shoes")
	e.log(t, a, id, "", mend.Missed, "groceries, told you after")
	first := e.view(t, a, id).Logs[1]
	if err := e.s.Respond(ctx, b, id, first.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	e.log(t, a, id, "", mend.Kept, "train tickets")
	e.setNow(t, "2027-03-02T10:00:00Z")
	e.log(t, a, id, "2027-03-01", mend.Partly, "forgot one")
	v := e.view(t, b, id)
	if len(v.Logs) != 4 {
		t.Fatalf("%d logs, want 4 rows", len(v.Logs))
	}
	for _, l := range v.Logs {
		if len(l.Versions) != 0 || !l.OccursOn.Equal(mustDate("2027-03-01")) {
			t.Fatalf("each-time log = %+v", l)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_log_versions`); n != 0 {
		t.Fatalf("%d log versions", n)
	}
	wantStat(t, v.Stat(7), 7, stat{4, 2, 1, 1, 0}, 62.5, "four times on one day")
	if v.OwnedMisses != 1 || v.DueToday {
		t.Fatalf("owned misses %d, due today %v", v.OwnedMisses, v.DueToday)
	}
	// Each one is edited by its id, until answered.
	if err := e.s.EditLog(ctx, a, id, v.Logs[0].ID, mend.Kept, "all told"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.s.EditLog(ctx, a, id, first.ID, mend.Kept, ""), mend.Conflict, "editing an answered each-time log")
}

func TestCommitments_WeeklyLogsOneOccurrencePerWindow(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-03T10:00:00Z") // Wednesday
	id := e.active(t, a, b, withRhythm(promise("A date night", "2027-04-28"), mend.Weekly))
	if v := e.view(t, a, id); !v.DueToday {
		t.Fatal("a new week is not due")
	}
	e.setNow(t, "2027-03-05T10:00:00Z")
	e.log(t, a, id, "", mend.Partly, "only an hour")
	if v := e.view(t, a, id); v.DueToday {
		t.Fatal("a logged week is still due")
	}
	e.setNow(t, "2027-03-08T10:00:00Z")
	e.log(t, a, id, "", mend.Kept, "dinner out")
	e.setNow(t, "2027-03-10T10:00:00Z")                    // the second week
	e.log(t, a, id, "2027-03-09", mend.Kept, "and a walk") // yesterday: still the first week
	v := e.view(t, b, id)
	if len(v.Logs) != 1 {
		t.Fatalf("%d logs in one week: %+v", len(v.Logs), v.Logs)
	}
	l := logOn(t, v, "2027-03-03")
	if l.Note != "and a walk" || l.Status != mend.Kept || len(l.Versions) != 2 {
		t.Fatalf("the week's log = %+v", l)
	}
	if !v.DueToday {
		t.Fatal("the second week is not due")
	}
	wantStat(t, v.Stat(30), 30, stat{1, 1, 0, 0, 0}, 100, "one week kept, the second open")
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
	made := 0
	for _, id := range ids {
		if id != 0 {
			made++
		}
	}
	if made != 1 {
		t.Fatalf("ids = %v, want one made", ids)
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

func TestCommitments_SameLogSentTwentyTimesAtOnceLogsOnce(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	for _, r := range []mend.Rhythm{mend.Daily, mend.EachTime} {
		id := e.active(t, a, b, withRhythm(promise("Home by 7 or I call", "2027-03-29"), r))
		in := service.LogInput{Status: mend.Missed, Note: "late", FormKey: service.NewFormKey()}
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				if err := e.s.Log(ctx, a, id, in); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := count(t, e.db, `SELECT count(*) FROM commitment_logs WHERE commitment_id = $1`, id); n != 1 {
			t.Fatalf("%s: %d logs, want 1", r, n)
		}
		if n := count(t, e.db, `SELECT count(*) FROM commitment_log_versions`); n != 0 {
			t.Fatalf("%s: %d log versions, want 0", r, n)
		}
		// Sent again later with other content, it changes nothing.
		in.Status = mend.Kept
		if err := e.s.Log(ctx, a, id, in); err != nil {
			t.Fatal(err)
		}
		if l := e.view(t, a, id).Logs; len(l) != 1 || l[0].Status != mend.Missed {
			t.Fatalf("%s: a form sent again changed the log: %+v", r, l)
		}
	}
}

func TestCommitments_TwentyDifferentLogsAtOnceMakeOneOccurrence(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	daily := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	each := e.active(t, a, b, withRhythm(promise("Tell you before any purchase over $50", "2027-03-29"), mend.EachTime))
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			status := mend.LogStatuses[i%3].Value
			for _, id := range []int64{daily, each} {
				// Each log says something else, so each later one is an edit.
				if err := e.s.Log(ctx, a, id, service.LogInput{Status: status, Note: fmt.Sprintf("log %d", i), FormKey: service.NewFormKey()}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := count(t, e.db, `SELECT count(*) FROM commitment_logs WHERE commitment_id = $1`, daily); n != 1 {
		t.Fatalf("%d daily logs of one day, want 1", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_log_versions`); n != 19 {
		t.Fatalf("%d log versions, want 19", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_logs WHERE commitment_id = $1`, each); n != 20 {
		t.Fatalf("%d each-time logs, want 20", n)
	}
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

	wantOnly(t, e.s.Answer(ctx, b, id, service.AnswerChange, " "), "note", "asking for a change without a note")
	wantMessage(t, e.s.Answer(ctx, b, id, "maybe", ""), mend.Invalid, "Choose to agree, ask for a change, or decline.", "an unknown answer")
	wantCode(t, e.s.Answer(ctx, b, id, "", ""), mend.Invalid, "no answer")
	for _, ans := range []string{service.AnswerAgree, service.AnswerChange, service.AnswerDecline} {
		wantCode(t, e.s.Answer(ctx, a, id, ans, "a note"), mend.Forbidden, "the proposer answering "+ans)
	}
	for _, u := range []*mend.User{x, th} {
		for _, ans := range []string{service.AnswerAgree, service.AnswerDecline, "maybe"} {
			wantCode(t, e.s.Answer(ctx, u, id, ans, "a note"), mend.NotFound, u.Name+" answering "+ans)
		}
	}
	if n := events(); n != before {
		t.Fatalf("refused answers wrote %d events", n-before)
	}
	if err := e.s.Answer(ctx, b, id, service.AnswerChange, "8 on Fridays?"); err != nil {
		t.Fatal(err)
	}
	if v := e.view(t, a, id); !v.ChangesAsked || v.State != mend.Proposed {
		t.Fatalf("after answering change = %+v", v.Commitment)
	}
	if err := e.s.Answer(ctx, b, id, service.AnswerAgree, "Fine as it is."); err != nil {
		t.Fatal(err)
	}
	if v := e.view(t, a, id); v.ChangesAsked || v.State != mend.Active || v.Version != 1 {
		t.Fatalf("after answering agree = %+v", v.Commitment)
	}
	other := e.propose(t, a, promise("No phone at dinner", "2027-03-29"))
	if err := e.s.Answer(ctx, b, other, service.AnswerDecline, ""); err != nil {
		t.Fatal(err)
	}
	if v := e.view(t, a, other); v.State != mend.Declined {
		t.Fatalf("after answering decline = %+v", v.Commitment)
	}
	if got := decisions(e.view(t, b, id), a, b); got != "proposed 1 Ana, asked_change 1 Ben, agreed 1 Ben" {
		t.Fatalf("history = %s", got)
	}
}

func TestCommitments_OpenDaysAreTheOwnersTodayAndYesterdayWhileUnlogged(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z") // a Monday
	daily := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	weekly := e.active(t, a, b, withRhythm(promise("A date night", "2027-03-29"), mend.Weekly))
	each := e.active(t, a, b, withRhythm(promise("Tell you before any purchase over $50", "2027-03-29"), mend.EachTime))
	mwf := e.active(t, a, b, onDays(promise("Gym before work", "2027-03-29"), "0", "2", "4"))
	pending := e.propose(t, a, promise("Walk together", "2027-03-29"))
	open := func(id int64, what string, want ...string) {
		t.Helper()
		for _, u := range []*mend.User{a, b} {
			var got []string
			for _, d := range e.view(t, u, id).OpenDays {
				got = append(got, d.Format(time.DateOnly))
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s, read by %s: open days %v, want %v", what, u.Name, got, want)
			}
		}
	}
	// The first day: the day before was not in force.
	open(daily, "daily, the first day", "2027-03-01")
	open(weekly, "weekly, the first day", "2027-03-01")
	open(each, "each time, the first day", "2027-03-01")
	open(mwf, "Mondays, Wednesdays and Fridays, on a Monday", "2027-03-01")
	open(pending, "not agreed")

	e.setNow(t, "2027-03-02T10:00:00Z") // Tuesday
	open(daily, "daily, nothing logged", "2027-03-02", "2027-03-01")
	open(weekly, "weekly, one window for both days", "2027-03-02")
	open(mwf, "Mondays, Wednesdays and Fridays, on a Tuesday", "2027-03-01")
	e.log(t, a, daily, "", mend.Kept, "")
	open(daily, "daily, today logged", "2027-03-01")
	e.log(t, a, daily, "2027-03-01", mend.Missed, "")
	open(daily, "daily, both logged")
	e.log(t, a, weekly, "2027-03-01", mend.Kept, "")
	open(weekly, "weekly, logged")
	e.log(t, a, each, "", mend.Kept, "")
	open(each, "each time, logged: still open", "2027-03-02", "2027-03-01")
	e.log(t, a, mwf, "2027-03-01", mend.Kept, "")
	open(mwf, "Monday logged")
	// A new week opens its own window; the last one was logged.
	e.setNow(t, "2027-03-08T10:00:00Z")
	open(weekly, "weekly, a new week", "2027-03-08")
	e.review(t, b, daily, service.ReviewPause, "")
	// A pause takes effect at the end of its day: today is still open.
	open(daily, "paused today", "2027-03-08", "2027-03-07")
	e.setNow(t, "2027-03-09T10:00:00Z")
	open(daily, "paused since yesterday", "2027-03-08")
	e.setNow(t, "2027-03-10T10:00:00Z")
	open(daily, "paused")
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
	e.review(t, b, paused, service.ReviewPause, "")
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
	d, err := e.s.Dashboard(context.Background(), a, space(t, e.c, a))
	if err != nil {
		t.Fatal(err)
	}
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
		wantCode(t, e.s.Review(ctx, c, id, service.ReviewPause, ""), mend.NotFound, "the newcomer pausing")
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
	seen := func(what string, want ...int64) *service.TherapistCommitmentsPage {
		t.Helper()
		p := e.therapistView(t, th, coupleID)
		wantIDs(t, p.Commitments, what, want...)
		return p
	}

	// Nobody shares commitments yet: nothing, and the look is recorded.
	p := seen("before sharing")
	if len(p.Members) != 2 || p.Access.CoupleID != coupleID || p.Access.Role != mend.RoleTherapist {
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
	e.review(t, b, shared, service.ReviewComplete, "")
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
		_, err := e.s.ForTherapist(ctx, u, coupleID)
		wantCode(t, err, mend.NotFound, u.Name+" reading as the therapist")
	}
	if n := views(); n != 1 {
		t.Fatalf("%d views recorded, want only the linked therapist's 1", n)
	}
	if ended, err := e.c.EndTherapistLink(ctx, a); err != nil || !ended {
		t.Fatalf("end link: %v %v", ended, err)
	}
	_, err := e.s.ForTherapist(ctx, th, coupleID)
	wantCode(t, err, mend.NotFound, "a therapist whose link ended")
	if n := views(); n != 1 {
		t.Fatalf("%d views recorded after the link ended, want 1", n)
	}
}

// orderCommitmentStore notes the order in which ForTherapist uses the store.
type orderCommitmentStore struct {
	service.CommitmentStore
	mu       sync.Mutex
	calls    []string
	failView bool
}

func (s *orderCommitmentStore) note(call string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, call)
}

func (s *orderCommitmentStore) RecordView(ctx context.Context, a mend.Access, kind string) error {
	s.note("view " + kind)
	if s.failView {
		return errors.New("audit log unavailable")
	}
	return s.CommitmentStore.RecordView(ctx, a, kind)
}

func (s *orderCommitmentStore) Members(ctx context.Context, a mend.Access) ([]mend.Member, error) {
	s.note("members")
	return s.CommitmentStore.Members(ctx, a)
}

func (s *orderCommitmentStore) Commitments(ctx context.Context, a mend.Access, id int64, logsFrom time.Time) (*postgres.CommitmentSet, error) {
	s.note("commitments")
	return s.CommitmentStore.Commitments(ctx, a, id, logsFrom)
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
	if _, err := e.s.ForTherapist(ctx, th, coupleID); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(store.calls, ","); got != "view commitments,members,commitments" {
		t.Fatalf("calls = %s", got)
	}
	store.calls, store.failView = nil, true
	if _, err := e.s.ForTherapist(ctx, th, coupleID); err == nil {
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

func TestCommitments_EntriesOlderThanAWeekStayAsTheyAre(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T09:00:00Z")
	id := e.active(t, a, b, promise("I call if I am late", "2027-05-29"))
	e.log(t, a, id, "", mend.Missed, "Forgot")
	logID := logOn(t, e.view(t, a, id), "2027-03-01").ID
	e.setNow(t, "2027-03-08T09:00:00Z") // a week on: still open
	if err := e.s.EditLog(ctx, a, id, logID, mend.Partly, "Called late"); err != nil {
		t.Fatal(err)
	}
	e.setNow(t, "2027-03-09T09:00:00Z")
	wantCode(t, e.s.EditLog(ctx, a, id, logID, mend.Kept, "It was fine"), mend.Conflict, "editing an entry older than a week")
	if l := logOn(t, e.view(t, a, id), "2027-03-01"); l.Status != mend.Partly || len(l.Versions) != 1 {
		t.Fatalf("the entry: %+v", l)
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
	wantCode(t, e.s.Review(ctx, a, id, service.ReviewKeep, "2027-04-30"), mend.Conflict, "keeping while a change waits")
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

func TestCommitments_PeriodsNeverOverlapAndPausesEndFutureChanges(t *testing.T) {
	t.Parallel()
	vs := versions(ver(1, mend.Daily, 0, "2027-03-01"), ver(2, mend.Weekdays, 1, "2027-03-20"), ver(3, mend.Weekly, 0, "2027-03-15"))
	// A change starting on the 20th agreed on the 5th, then a pause on the
	// 10th: the change never comes into force, the pause ends the 10th.
	ps := service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActAgreed, 2, "2027-03-05"),
		event(mend.ActPaused, 2, "2027-03-10")}, vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-11 daily/0" {
		t.Fatalf("a pause before a change began = %s", got)
	}
	ls := logged("2027-03-01 kept", "2027-03-02 kept", "2027-03-03 kept", "2027-03-04 kept", "2027-03-05 kept",
		"2027-03-06 kept", "2027-03-07 kept", "2027-03-08 kept", "2027-03-09 kept", "2027-03-10 kept")
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-03-18"), 30), 30, stat{10, 10, 0, 0, 0}, 100, "paused days are not counted")
	// Two changes agreed, the second starting before the first: no overlap.
	ps = service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActAgreed, 2, "2027-03-05"),
		event(mend.ActAgreed, 3, "2027-03-06")}, vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-15 daily/0, 2027-03-15–open weekly/0" {
		t.Fatalf("changes starting out of order = %s", got)
	}
}

func TestCommitments_KeepingAWeeklyCommitmentKeepsItsWeeks(t *testing.T) {
	t.Parallel()
	vs := versions(ver(1, mend.Weekly, 0, "2027-03-01"), ver(2, mend.Weekly, 0, "2027-03-01"))
	ps := service.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActKept, 2, "2027-03-31")}, vs)
	if occ, _ := service.Occurrence(ps, mustDate("2027-04-01")); !occ.Equal(mustDate("2027-03-29")) {
		t.Fatalf("the week of 1 April starts %v, want 29 March", occ)
	}
	ls := logged("2027-03-08 kept", "2027-03-15 kept", "2027-03-22 kept", "2027-03-29 kept")
	wantStat(t, service.ConsistencyOver(ps, ls, mustDate("2027-04-07"), 30), 30, stat{4, 4, 0, 0, 0}, 100, "kept every week across a review")
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
