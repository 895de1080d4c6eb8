package service_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/service"
)

// The therapist link needs both partners: one invites, the therapist
// accepts, and the link waits — giving the therapist nothing — until the
// other partner agrees.

// pendingLink has p invite th, who accepts; it returns the waiting link as
// p's partner (or p, when alone) sees it on the sharing page.
func pendingLink(t *testing.T, c *service.Couples, p, th *mend.User) *mend.TherapistLink {
	t.Helper()
	if a := accept(t, c, th, invite(t, c, p, mend.InviteTherapist)); a != (mend.PartnerAccess{}) {
		t.Fatalf("accepting gave access at once: %+v", a)
	}
	l := sharing(t, c, p).Pending
	if l == nil || l.TherapistID != th.ID || l.InvitedBy != p.ID || !l.Pending() || l.EndedAt != nil {
		t.Fatalf("%s's pending link = %+v", p.Name, l)
	}
	return l
}

// seesNothing fails unless therapist th has no access of any kind to
// coupleID: no access, no page of any service, no caseload entry with the
// couple's id or names, and no row in the couple's view log.
func seesNothing(t *testing.T, db *postgres.DB, c *service.Couples, th *mend.User, coupleID int64, what string) {
	t.Helper()
	ctx := context.Background()
	_, err := c.TherapistAccess(ctx, th, coupleID)
	wantCode(t, err, mend.NotFound, what+": TherapistAccess")
	_, err = c.Overview(ctx, th, coupleID)
	wantCode(t, err, mend.NotFound, what+": overview")
	_, err = service.NewCheckins(db, c).ForTherapist(ctx, th, coupleID, 4, "", "")
	wantCode(t, err, mend.NotFound, what+": check-ins")
	_, err = service.NewCommitments(db, c).ForTherapist(ctx, th, coupleID, "", "")
	wantCode(t, err, mend.NotFound, what+": commitments")
	_, err = service.NewTriggers(db, c).ForTherapist(ctx, th, coupleID, 4, "", "")
	wantCode(t, err, mend.NotFound, what+": triggers")
	wantCode(t, c.StepAway(ctx, th, coupleID), mend.NotFound, what+": step away by the couple's id")
	list, err := c.Caseload(ctx, th)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		if e.CoupleID == coupleID || (e.Pending && (e.CoupleID != 0 || len(e.Names) != 0)) {
			t.Fatalf("%s: caseload entry %+v", what, e)
		}
	}
	// An access made any other way still finds nothing: the SQL guards.
	forged := mend.StoreOnlyTherapistAccess(coupleID, th.ID)
	if o, err := db.TherapistOverview(ctx, forged); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("%s: the overview through a forged access: %+v %v", what, o, err)
	}
	if ms, cs, list, err := db.TherapistCheckinsPage(ctx, forged, time.Time{}, mustDate("9999-12-31"), mustDate("2000-01-01"), mustDate("9999-12-31")); err != nil || len(ms) != 0 || len(cs) != 0 || len(list) != 0 {
		t.Fatalf("%s: members and check-ins through a forged access: %+v %+v %v", what, ms, cs, err)
	}
	if ms, set, logs, err := db.TherapistCommitmentsPage(ctx, forged, time.Time{}, mustDate("2000-01-01"), mustDate("9999-12-31")); err != nil || len(ms) != 0 || len(set.Commitments) != 0 || len(logs) != 0 {
		t.Fatalf("%s: members and commitments through a forged access: %+v %+v %v", what, ms, set, err)
	}
	if ms, ts, _, err := db.TherapistTriggersPage(ctx, forged, mend.TriggerPage, time.Time{}, mustDate("9999-12-31"), mustDate("9999-12-31"), time.Time{}, time.Time{}); err != nil || len(ms) != 0 || len(ts) != 0 {
		t.Fatalf("%s: members and triggers through a forged access: %+v %+v %v", what, ms, ts, err)
	}
	if ms, ts, _, err := db.TherapistTriggersPage(ctx, forged, mend.TriggerPage, time.Time{}, mustDate("9999-12-31"), mustDate("9999-12-31"), mustDate("2000-01-01"), mustDate("9999-12-31")); err != nil || len(ms) != 0 || len(ts) != 0 {
		t.Fatalf("%s: members and triggers of days through a forged access: %+v %+v %v", what, ms, ts, err)
	}
	if _, err := db.OpenTherapistView(ctx, forged.UserID(), forged.CoupleID(), "overview"); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("%s: a view recorded through a forged access: %v", what, err)
	}
	if _, err := db.ActiveLink(ctx, forged); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("%s: ActiveLink through a forged access: %v", what, err)
	}
	if n := count(t, db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND therapist_id = $2`, coupleID, th.ID); n != 0 {
		t.Fatalf("%s: %d views in the couple's log", what, n)
	}
}

func TestConsent_APendingLinkGivesNothingUntilTheOtherPartnerAgrees(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Ada", "Ben")
	th := newTherapist(t, acc, "Cora", "Dr. Cora Lind")
	if _, err := c.SetDefaults(ctx, a, map[string]bool{mend.KindCheckins: true, mend.KindTriggers: true}); err != nil {
		t.Fatal(err)
	}
	l := pendingLink(t, c, b, th)
	seesNothing(t, db, c, th, access.CoupleID(), "pending")

	// The caseload shows only what the invite told Cora: who invited her.
	list, err := c.Caseload(ctx, th)
	if err != nil || len(list) != 1 {
		t.Fatalf("caseload = %+v (%v)", list, err)
	}
	if e := list[0]; !e.Pending || e.Inviter != "Ben" || e.LinkID != l.ID || e.CoupleID != 0 || len(e.Names) != 0 {
		t.Fatalf("pending caseload entry = %+v", e)
	}
	// ActiveLink keeps meaning "the therapist who can read now".
	_, err = db.ActiveLink(ctx, access)
	wantCode(t, err, mend.NotFound, "ActiveLink while pending")
	if p := sharing(t, c, a); p.Link != nil || p.Pending == nil || !p.Pending.WaitsFor(a.ID) {
		t.Fatalf("Ada's sharing page: link %+v, pending %+v", p.Link, p.Pending)
	}
	if p := sharing(t, c, b); p.Link != nil || p.Pending == nil || p.Pending.WaitsFor(b.ID) {
		t.Fatalf("Ben's sharing page: link %+v, pending %+v", p.Link, p.Pending)
	}
	if s := space(t, c, a); s.PendingLink == nil || s.PendingLink.ID != l.ID {
		t.Fatalf("Ada's space does not show the waiting link: %+v", s.PendingLink)
	}
	// Only the other partner agrees, and only to the link they saw.
	wantErr(t, c.AgreeToTherapist(ctx, b, l.ID), mend.ErrNothingToAgree, "the inviter agreeing")
	wantErr(t, c.AgreeToTherapist(ctx, a, l.ID+100), mend.ErrNothingToAgree, "agreeing to another link")
	wantErr(t, c.AgreeToTherapist(ctx, a, 0), mend.ErrNothingToAgree, "agreeing to no link")
	wantCode(t, c.AgreeToTherapist(ctx, th, l.ID), mend.NotFound, "the therapist agreeing")
	seesNothing(t, db, c, th, access.CoupleID(), "after refused agreements")

	if err := c.AgreeToTherapist(ctx, a, l.ID); err != nil {
		t.Fatal(err)
	}
	o, err := c.Overview(ctx, th, access.CoupleID())
	if err != nil || len(o.Members) != 2 || !o.Shares(a.ID, mend.KindCheckins) || o.Link.AgreedBy != a.ID {
		t.Fatalf("overview once both agreed: %+v (%v)", o, err)
	}
	list, _ = c.Caseload(ctx, th)
	if len(list) != 1 || list[0].Pending || list[0].CoupleID != access.CoupleID() || strings.Join(list[0].Names, ",") != "Ada,Ben" {
		t.Fatalf("caseload once both agreed = %+v", list)
	}
	if p := sharing(t, c, b); p.Link == nil || p.Pending != nil || p.Link.InvitedBy != b.ID || p.Link.AgreedBy != a.ID {
		t.Fatalf("Ben's sharing page once both agreed: link %+v, pending %+v", p.Link, p.Pending)
	}
	// Agreeing again changes nothing.
	wantErr(t, c.AgreeToTherapist(ctx, a, l.ID), mend.ErrNothingToAgree, "agreeing twice")
}

func TestConsent_DecliningOrEndingAPendingLinkEndsItAtOnce(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Ada", "Ben")
	th := newTherapist(t, acc, "Cora", "Dr. Cora Lind")

	// Ada declines what Ben asked.
	l := pendingLink(t, c, b, th)
	if ok, err := c.DeclineTherapist(ctx, a, l.ID); err != nil || !ok {
		t.Fatalf("decline: %v %v", ok, err)
	}
	seesNothing(t, db, c, th, access.CoupleID(), "declined")
	if list, _ := c.Caseload(ctx, th); len(list) != 0 {
		t.Fatalf("caseload after declining: %+v", list)
	}
	wantErr(t, c.AgreeToTherapist(ctx, a, l.ID), mend.ErrNothingToAgree, "agreeing after declining")
	if ok, err := c.DeclineTherapist(ctx, a, l.ID); err != nil || ok {
		t.Fatalf("declining twice: %v %v", ok, err)
	}
	hist := sharing(t, c, b).Links
	if len(hist) != 1 || hist[0].EndedAt == nil || hist[0].EndedBy == nil || *hist[0].EndedBy != a.ID || hist[0].AgreedAt != nil {
		t.Fatalf("link history after declining: %+v", hist)
	}

	// Ben, who invited, ends the next one before Ada answers.
	l = pendingLink(t, c, b, th)
	if ok, err := c.EndTherapistLink(ctx, b); err != nil || !ok {
		t.Fatalf("inviter ends: %v %v", ok, err)
	}
	wantErr(t, c.AgreeToTherapist(ctx, a, l.ID), mend.ErrNothingToAgree, "agreeing to an ended link")
	seesNothing(t, db, c, th, access.CoupleID(), "ended by the inviter")

	// Ada may also end it with the ordinary button.
	pendingLink(t, c, b, th)
	if ok, err := c.EndTherapistLink(ctx, a); err != nil || !ok {
		t.Fatalf("the other ends: %v %v", ok, err)
	}
	seesNothing(t, db, c, th, access.CoupleID(), "ended by the other partner")
	// Nothing was ever recorded as viewed.
	if n := count(t, db, `SELECT count(*) FROM therapist_views`); n != 0 {
		t.Fatalf("%d views while nothing was agreed", n)
	}
}

func TestConsent_OneLinkAtATimeEvenWhilePending(t *testing.T) {
	t.Parallel()
	c, acc, db, clk := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Ada", "Ben")
	first := newTherapist(t, acc, "Cora", "Dr. Cora Lind")
	second := newTherapist(t, acc, "Dev", "Dev Rao, MFT")
	pendingLink(t, c, b, first)
	// An open invite left over, as two taps at once could leave behind.
	spare := extraInvite(t, db, access.CoupleID(), b.ID, mend.InviteTherapist, clk.t.Add(time.Hour))
	for _, u := range []*mend.User{a, b} {
		_, _, err := c.CreateInvite(ctx, u, mend.InviteTherapist)
		wantErr(t, err, mend.ErrTherapistPending, u.Name+" inviting a second therapist while one waits")
	}
	_, err := c.Accept(ctx, second, spare)
	wantErr(t, err, mend.ErrHasTherapist, "a second therapist accepting while one waits")
	if n := count(t, db, `SELECT count(*) FROM therapist_links WHERE couple_id = $1 AND ended_at IS NULL`, access.CoupleID()); n != 1 {
		t.Fatalf("%d unended links", n)
	}
}

func TestConsent_TherapistWithdrawsBeforeTheCoupleAgrees(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Ada", "Ben")
	th := newTherapist(t, acc, "Cora", "Dr. Cora Lind")
	other := newTherapist(t, acc, "Dev", "Dev Rao, MFT")
	l := pendingLink(t, c, b, th)
	wantCode(t, c.WithdrawInvitation(ctx, other, l.ID), mend.NotFound, "another therapist withdrawing")
	wantCode(t, c.WithdrawInvitation(ctx, a, l.ID), mend.NotFound, "a partner withdrawing as a therapist")
	if err := c.WithdrawInvitation(ctx, th, l.ID); err != nil {
		t.Fatal(err)
	}
	wantErr(t, c.AgreeToTherapist(ctx, a, l.ID), mend.ErrNothingToAgree, "agreeing after the therapist withdrew")
	seesNothing(t, db, c, th, access.CoupleID(), "withdrawn")
	hist := sharing(t, c, a).Links
	if len(hist) != 1 || hist[0].EndedBy == nil || *hist[0].EndedBy != th.ID {
		t.Fatalf("history after withdrawing: %+v", hist)
	}
	// An agreed link is left by stepping away, never by withdrawing.
	l = pendingLink(t, c, b, th)
	if err := c.AgreeToTherapist(ctx, a, l.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, c.WithdrawInvitation(ctx, th, l.ID), mend.NotFound, "withdrawing from an agreed link")
	if _, err := c.TherapistAccess(ctx, th, access.CoupleID()); err != nil {
		t.Fatalf("access after a refused withdrawal: %v", err)
	}
}

func TestConsent_AlonePendingUntilTheSecondPartnerJoinsAndAgrees(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a := newPartner(t, acc, "Ada")
	access := start(t, c, a, service.StartInput{})
	th := newTherapist(t, acc, "Cora", "Dr. Cora Lind")
	l := pendingLink(t, c, a, th)
	wantErr(t, c.AgreeToTherapist(ctx, a, l.ID), mend.ErrNothingToAgree, "agreeing to one's own invitation")
	seesNothing(t, db, c, th, access.CoupleID(), "alone")

	// Ben's invite tells him a therapist waits for his agreement too.
	token := invite(t, c, a, mend.InvitePartner)
	info, err := c.Invite(ctx, token)
	if err != nil || info.Therapist != "Dr. Cora Lind" || !info.TherapistPending {
		t.Fatalf("partner invite while a therapist waits: %+v (%v)", info, err)
	}
	b := newPartner(t, acc, "Ben")
	accept(t, c, b, token)
	seesNothing(t, db, c, th, access.CoupleID(), "once Ben joined, before he agreed")
	s := space(t, c, b)
	if s.PendingLink == nil || !s.PendingLink.WaitsFor(b.ID) || s.PendingLink.ID != l.ID {
		t.Fatalf("Ben's space: pending %+v", s.PendingLink)
	}
	if err := c.AgreeToTherapist(ctx, b, l.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.TherapistAccess(ctx, th, access.CoupleID()); err != nil {
		t.Fatalf("access once Ben agreed: %v", err)
	}
}

func TestConsent_LeavingEndsAPendingLink(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	for _, inviterLeaves := range []bool{true, false} {
		a, b, access := pair(t, c, acc, "Ada", "Ben")
		th := newTherapist(t, acc, "Cora", "Dr. Cora Lind")
		l := pendingLink(t, c, b, th)
		leaver, stayer := a, b
		if inviterLeaves {
			leaver, stayer = b, a
		}
		if err := c.Leave(ctx, leaver, goodPassword, client); err != nil {
			t.Fatal(err)
		}
		wantErr(t, c.AgreeToTherapist(ctx, stayer, l.ID), mend.ErrNothingToAgree, "agreeing after a partner left")
		seesNothing(t, db, c, th, access.CoupleID(), "after a partner left")
		if list, _ := c.Caseload(ctx, th); len(list) != 0 {
			t.Fatalf("caseload after a partner left: %+v", list)
		}
		if p := sharing(t, c, stayer); p.Pending != nil || p.Link != nil {
			t.Fatalf("the one who stayed still sees a link: %+v %+v", p.Pending, p.Link)
		}
		// A partner who joins later finds no earlier pair's link waiting.
		newcomer := newPartner(t, acc, "Cal")
		accept(t, c, newcomer, invite(t, c, stayer, mend.InvitePartner))
		if s := space(t, c, newcomer); s.PendingLink != nil {
			t.Fatalf("the newcomer finds a link waiting: %+v", s.PendingLink)
		}
	}
}

func TestConsent_AgreeingWhileTheInviterLeavesNeverLeavesALink(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	for range 5 {
		a, b, access := pair(t, c, acc, "Ada", "Ben")
		th := newTherapist(t, acc, "Cora", "Dr. Cora Lind")
		l := pendingLink(t, c, b, th)
		var wg sync.WaitGroup
		var agreeErr, leaveErr error
		wg.Go(func() { agreeErr = c.AgreeToTherapist(ctx, a, l.ID) })
		wg.Go(func() { leaveErr = c.Leave(ctx, b, goodPassword, client) })
		wg.Wait()
		if leaveErr != nil || (agreeErr != nil && mend.ErrorCode(agreeErr) != mend.Conflict) {
			t.Fatalf("agree %v, leave %v", agreeErr, leaveErr)
		}
		// Whichever came first, the pair changed: the link has ended.
		if n := count(t, db, `SELECT count(*) FROM therapist_links WHERE couple_id = $1 AND ended_at IS NULL`, access.CoupleID()); n != 0 {
			t.Fatalf("%d links left after the inviter left (agree: %v)", n, agreeErr)
		}
	}
}
