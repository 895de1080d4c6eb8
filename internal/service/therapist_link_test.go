package service_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// The therapist link seen from the couple: inviting, agreeing, stepping
// away, the overview, and what each partner shares by default.

func TestCouples_TherapistAcceptsInviteAndGetsAccess(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Ada", "Ben")
	th := newTherapist(t, acc, "Cora", "Dr. Cora Lind")
	token := invite(t, c, b, mend.InviteTherapist)
	if p := sharing(t, c, a); p.TherapistInvite == nil || p.Link != nil {
		t.Fatalf("sharing page before acceptance: invite %+v, link %+v", p.TherapistInvite, p.Link)
	}
	info, err := c.Invite(ctx, token)
	if err != nil || info.InviterName != "Ben" || info.Invite.Kind != mend.InviteTherapist {
		t.Fatalf("therapist invite info = %+v (%v)", info, err)
	}
	if got := accept(t, c, th, token); got != (mend.PartnerAccess{}) {
		t.Fatalf("accepting gave access before Ada agreed: %+v", got)
	}
	// Ada, who did not invite, agrees: only now does Cora have access.
	pending := sharing(t, c, a).Pending
	if pending == nil || !pending.WaitsFor(a.ID) || pending.TherapistID != th.ID {
		t.Fatalf("Ada's pending link = %+v", pending)
	}
	if err := c.AgreeToTherapist(ctx, a, pending.ID); err != nil {
		t.Fatal(err)
	}
	ta := mend.StoreOnlyTherapistAccess(access.CoupleID(), th.ID)
	if got, err := c.TherapistAccess(ctx, th, access.CoupleID()); err != nil || got != ta {
		t.Fatalf("TherapistAccess = %+v (%v)", got, err)
	}
	list, err := c.Caseload(ctx, th)
	if err != nil || len(list) != 1 {
		t.Fatalf("caseload = %+v (%v)", list, err)
	}
	if list[0].CoupleID != access.CoupleID() || strings.Join(list[0].Names, ",") != "Ada,Ben" || list[0].Since.IsZero() {
		t.Fatalf("caseload entry = %+v", list[0])
	}
	p := sharing(t, c, a)
	if p.Link == nil || p.Link.TherapistID != th.ID || p.Link.ProfessionalName != "Dr. Cora Lind" || p.TherapistInvite != nil || p.Pending != nil {
		t.Fatalf("sharing page after agreement: link %+v, invite %+v, pending %+v", p.Link, p.TherapistInvite, p.Pending)
	}
	if p.Link.InvitedBy != b.ID || p.Link.AgreedBy != a.ID || p.Link.AgreedAt == nil {
		t.Fatalf("who invited and who agreed: %+v", p.Link)
	}
	// A therapist is never a partner.
	_, err = c.Space(ctx, th)
	wantCode(t, err, mend.NotFound, "therapist's own space")
	_, err = c.Accept(ctx, th, token)
	wantErr(t, err, mend.ErrInviteUsed, "therapist invite used twice")
}

func TestCouples_AtMostOneTherapistPerCouple(t *testing.T) {
	t.Parallel()
	c, acc, db, clk := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Dan", "Ela")
	first := newTherapist(t, acc, "Finn", "Finn Ode, PhD")
	second := newTherapist(t, acc, "Gia", "Gia Moss, LCSW")
	link(t, c, a, first)
	// A therapist invite still open beside the link, as a CreateInvite racing
	// the acceptance could leave (it checks for a link outside any lock).
	spare := extraInvite(t, db, access.CoupleID(), a.ID, mend.InviteTherapist, clk.t.Add(time.Hour))

	for _, u := range []*mend.User{a, b} {
		_, _, err := c.CreateInvite(ctx, u, mend.InviteTherapist)
		wantErr(t, err, mend.ErrHasTherapist, u.Name+" invites a second therapist")
	}
	_, err := c.Accept(ctx, second, spare)
	wantErr(t, err, mend.ErrHasTherapist, "second therapist with a spare invite")
	if n := count(t, db, `SELECT count(*) FROM therapist_links WHERE couple_id = $1 AND ended_at IS NULL`, access.CoupleID()); n != 1 {
		t.Fatalf("%d active links", n)
	}
	_, err = c.TherapistAccess(ctx, second, access.CoupleID())
	wantCode(t, err, mend.NotFound, "second therapist's access")

	// After ending the link the couple may invite another.
	if _, err := c.EndTherapistLink(ctx, b); err != nil {
		t.Fatal(err)
	}
	link(t, c, b, second)
	if _, err := c.TherapistAccess(ctx, second, access.CoupleID()); err != nil {
		t.Fatalf("new therapist: %v", err)
	}
	if p := sharing(t, c, a); len(p.Links) != 2 || p.Link == nil || p.Link.TherapistID != second.ID {
		t.Fatalf("links = %+v, active %+v", p.Links, p.Link)
	}
}

func TestCouples_OneTherapistSeveralCouples(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	th := newTherapist(t, acc, "Hugo", "Hugo Vance, MFT")
	a1, _, c1 := pair(t, c, acc, "Ines", "Jon")
	a2, _, c2 := pair(t, c, acc, "Kay", "Leo")
	link(t, c, a1, th)
	link(t, c, a2, th)
	for _, id := range []int64{c1.CoupleID(), c2.CoupleID()} {
		if _, err := c.TherapistAccess(ctx, th, id); err != nil {
			t.Fatalf("access to couple %d: %v", id, err)
		}
	}
	list, err := c.Caseload(ctx, th)
	if err != nil || len(list) != 2 {
		t.Fatalf("caseload = %+v (%v)", list, err)
	}
	got := map[int64]string{}
	for _, e := range list {
		got[e.CoupleID] = strings.Join(e.Names, ",")
	}
	if got[c1.CoupleID()] != "Ines,Jon" || got[c2.CoupleID()] != "Kay,Leo" {
		t.Fatalf("caseload names = %v", got)
	}
}

func TestCouples_EitherPartnerEndsTherapistLinkAtOnce(t *testing.T) {
	t.Parallel()
	for _, who := range []string{"starter", "joiner"} {
		t.Run(who, func(t *testing.T) {
			t.Parallel()
			c, acc, _, _ := newCouples(t)
			ctx := context.Background()
			a, b, access := pair(t, c, acc, "Mia", "Noa")
			th := newTherapist(t, acc, "Oren", "Oren Hale, PsyD")
			link(t, c, a, th)
			if _, err := c.Overview(ctx, th, access.CoupleID()); err != nil {
				t.Fatalf("overview while linked: %v", err)
			}
			ender := a
			if who == "joiner" {
				ender = b
			}
			if _, err := c.EndTherapistLink(ctx, ender); err != nil {
				t.Fatal(err)
			}
			_, err := c.TherapistAccess(ctx, th, access.CoupleID())
			wantCode(t, err, mend.NotFound, "therapist access after the link ended")
			_, err = c.Overview(ctx, th, access.CoupleID())
			wantCode(t, err, mend.NotFound, "overview after the link ended")
			if list, err := c.Caseload(ctx, th); err != nil || len(list) != 0 {
				t.Fatalf("caseload after the link ended = %+v (%v)", list, err)
			}
			p := sharing(t, c, a)
			if p.Link != nil || len(p.Links) != 1 || p.Links[0].EndedAt == nil || p.Links[0].EndedBy == nil || *p.Links[0].EndedBy != ender.ID {
				t.Fatalf("link history = %+v", p.Links)
			}
			err = c.StepAway(ctx, th, access.CoupleID())
			wantCode(t, err, mend.NotFound, "stepping away from an ended link")
		})
	}
}

func TestCouples_TherapistStepsAway(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Pia", "Quy")
	th := newTherapist(t, acc, "Rosa", "Rosa Lund, LMFT")
	link(t, c, a, th)
	if err := c.StepAway(ctx, th, access.CoupleID()); err != nil {
		t.Fatal(err)
	}
	_, err := c.TherapistAccess(ctx, th, access.CoupleID())
	wantCode(t, err, mend.NotFound, "access after stepping away")
	_, err = c.Overview(ctx, th, access.CoupleID())
	wantCode(t, err, mend.NotFound, "overview after stepping away")
	p := sharing(t, c, b)
	if p.Link != nil || len(p.Links) != 1 || p.Links[0].EndedBy == nil || *p.Links[0].EndedBy != th.ID {
		t.Fatalf("links after stepping away: active %+v, history %+v", p.Link, p.Links)
	}
	// A partner cannot "step away" for the therapist.
	err = c.StepAway(ctx, a, access.CoupleID())
	wantCode(t, err, mend.NotFound, "partner steps away")
}

func TestCouples_OverviewIsNotFoundForEveryoneOutside(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Sam", "Tea")
	current := newTherapist(t, acc, "Uli", "Uli Brandt, PhD")
	revoked := newTherapist(t, acc, "Vera", "Vera Kim, LCSW")
	otherTherapist := newTherapist(t, acc, "Walt", "Walt Ng, MFT")
	stranger := newPartner(t, acc, "Xiu")
	otherA, _, otherCouple := pair(t, c, acc, "Yara", "Zain")

	link(t, c, a, revoked)
	if _, err := c.EndTherapistLink(ctx, b); err != nil {
		t.Fatal(err)
	}
	link(t, c, a, current)
	link(t, c, otherA, otherTherapist)

	outsiders := map[string]*mend.User{
		"therapist of another couple": otherTherapist,
		"revoked therapist":           revoked,
		"partner":                     a,
		"other partner":               b,
		"partner of another couple":   otherA,
		"stranger":                    stranger,
	}
	for who, u := range outsiders {
		o, err := c.Overview(ctx, u, access.CoupleID())
		if o != nil {
			t.Errorf("%s got an overview", who)
		}
		wantCode(t, err, mend.NotFound, who+": overview")
		_, err = c.TherapistAccess(ctx, u, access.CoupleID())
		wantCode(t, err, mend.NotFound, who+": therapist access")
	}
	// A couple that does not exist looks the same.
	_, err := c.Overview(ctx, current, access.CoupleID()+otherCouple.CoupleID()+1000)
	wantCode(t, err, mend.NotFound, "unknown couple")
	if n := count(t, db, `SELECT count(*) FROM therapist_views`); n != 0 {
		t.Fatalf("%d views recorded for refused requests", n)
	}
	// The linked therapist does get it.
	if _, err := c.Overview(ctx, current, access.CoupleID()); err != nil {
		t.Fatalf("linked therapist: %v", err)
	}
}

func TestCouples_OverviewRecordsTheViewBeforeReturning(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Ari", "Bex")
	th := newTherapist(t, acc, "Cleo", "Cleo Hart, LMFT")
	link(t, c, a, th)
	if _, err := c.SetDefaults(ctx, b, map[string]bool{mend.KindTriggers: true}); err != nil {
		t.Fatal(err)
	}

	store := &orderStore{DB: db}
	oc := service.NewCouples(store, acc)
	oc.Now = c.Now
	o, err := oc.Overview(ctx, th, access.CoupleID())
	if err != nil {
		t.Fatal(err)
	}
	if len(store.calls) == 0 || store.calls[0] != "RecordView" {
		t.Fatalf("store calls %v: the view must be recorded before anything is read", store.calls)
	}
	if o.Access.CoupleID() != access.CoupleID() || len(o.Members) != 2 || o.Members[0].UserID != a.ID || o.Members[1].UserID != b.ID {
		t.Fatalf("overview = %+v", o)
	}
	if o.Link == nil || o.Link.TherapistID != th.ID || !o.Shares(b.ID, mend.KindTriggers) || o.Shares(a.ID, mend.KindTriggers) {
		t.Fatalf("overview link %+v, defaults %v", o.Link, o.Defaults)
	}
	if n := count(t, db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND therapist_id = $2 AND kind = 'overview'`, access.CoupleID(), th.ID); n != 1 {
		t.Fatalf("%d view rows after one overview", n)
	}
	for _, p := range []*mend.User{a, b} {
		v := sharing(t, c, p).Views
		if len(v) != 1 || v[0].TherapistName != "Cleo" || v[0].Kind != "overview" || v[0].At.IsZero() {
			t.Fatalf("%s sees views %+v", p.Name, v)
		}
	}

	// When the view cannot be recorded, nothing is shown.
	failing := &orderStore{DB: db, failOn: "RecordView"}
	fc := service.NewCouples(failing, acc)
	if o, err := fc.Overview(ctx, th, access.CoupleID()); err == nil || o != nil {
		t.Fatalf("overview without an audit record: %+v (%v)", o, err)
	}
	if len(failing.calls) != 1 {
		t.Fatalf("store read after a failed audit record: %v", failing.calls)
	}
}

func TestCouples_CaseloadIsForTherapistsOnly(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	a, _, _ := pair(t, c, acc, "Dora", "Eli")
	lone := newPartner(t, acc, "Fox")
	for _, u := range []*mend.User{a, lone} {
		list, err := c.Caseload(ctx, u)
		wantCode(t, err, mend.Forbidden, u.Name+"'s caseload")
		if list != nil {
			t.Fatalf("%s got a caseload: %+v", u.Name, list)
		}
	}
	th := newTherapist(t, acc, "Gwen", "Gwen Ito, MFT")
	if list, err := c.Caseload(ctx, th); err != nil || len(list) != 0 {
		t.Fatalf("new therapist's caseload = %+v (%v)", list, err)
	}
}

func TestCouples_BecomeTherapistOnlyOutsideASpace(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	a, b, _ := pair(t, c, acc, "Hope", "Ike")
	_, err := acc.BecomeTherapist(ctx, a, "Hope Day, LMFT")
	wantCode(t, err, mend.Conflict, "partner in a space becomes a therapist")
	if u, err := acc.User(ctx, a.ID); err != nil || u.IsTherapist() {
		t.Fatalf("partner turned therapist: %+v (%v)", u, err)
	}

	lone := newPartner(t, acc, "Jude")
	th, err := acc.BecomeTherapist(ctx, lone, "  Jude   Quill, PhD ")
	if err != nil {
		t.Fatal(err)
	}
	if !th.IsTherapist() || th.ProfessionalName != "Jude Quill, PhD" || th.ID != lone.ID {
		t.Fatalf("became %+v", th)
	}
	// Now a therapist: no space of their own, but can be linked.
	_, err = c.Start(ctx, th, service.StartInput{})
	wantCode(t, err, mend.Forbidden, "new therapist starts a space")
	link(t, c, b, th)

	// A partner who leaves may become a therapist.
	if err := c.Leave(ctx, a, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	if _, err := acc.BecomeTherapist(ctx, a, "Hope Day, LMFT"); err != nil {
		t.Fatalf("after leaving: %v", err)
	}
}

func TestCouples_SetDefaultsRecordsOnlyChanges(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a, _, access := pair(t, c, acc, "Kim", "Lux")
	rows := func() int {
		return count(t, db, `SELECT count(*) FROM consent_events WHERE couple_id = $1`, access.CoupleID())
	}
	steps := []struct {
		shared      map[string]bool
		changed     int
		rowsInTotal int
	}{
		{map[string]bool{}, 0, 0}, // nothing shared is the starting point
		{map[string]bool{mend.KindCheckins: true}, 1, 1},
		{map[string]bool{mend.KindCheckins: true}, 0, 1}, // the same choice again
		{map[string]bool{mend.KindCheckins: true, mend.KindTriggers: true, mend.KindCommitments: false}, 1, 2},
		{map[string]bool{mend.KindCheckins: true, mend.KindTriggers: true, "diary": true}, 0, 2}, // unknown kinds ignored
		{map[string]bool{}, 2, 4}, // both withdrawn
		{nil, 0, 4},
	}
	for i, s := range steps {
		n, err := c.SetDefaults(ctx, a, s.shared)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if n != s.changed || rows() != s.rowsInTotal {
			t.Fatalf("step %d: changed %d, rows %d; want %d, %d", i, n, rows(), s.changed, s.rowsInTotal)
		}
	}
	if shares, err := sharesByDefault(ctx, c, a, mend.KindCheckins); err != nil || shares {
		t.Fatalf("checkins shared after withdrawal: %v (%v)", shares, err)
	}
}

func TestCouples_SameDefaultsSentTwiceAtOnceRecordOneGrant(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a, _, access := pair(t, c, acc, "Moe", "Nel")
	// A double tap on a slow phone: the same settings form sent twice at once.
	const n = 2
	mc := service.NewCouples(&meetStore{DB: db, arrived: make(chan struct{}, n)}, acc)
	mc.Now = c.Now
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if _, err := mc.SetDefaults(ctx, a, map[string]bool{mend.KindCheckins: true}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if k := count(t, db, `SELECT count(*) FROM consent_events WHERE couple_id = $1`, access.CoupleID()); k != 1 {
		t.Fatalf("%d consent rows (grants of check-ins) from one choice sent %d times at once; only changes may be recorded", k, n)
	}
	if h := sharing(t, c, a).History; len(h) != 1 {
		t.Fatalf("history shows %d grants for one choice", len(h))
	}
}

func TestCouples_ConsentHistoryNewestFirst(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	a, b, _ := pair(t, c, acc, "Oda", "Pip")
	before := time.Now().Add(-time.Minute)
	if _, err := c.SetDefaults(ctx, a, map[string]bool{mend.KindCommitments: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetDefaults(ctx, a, map[string]bool{}); err != nil {
		t.Fatal(err)
	}
	for _, viewer := range []*mend.User{a, b} {
		h := sharing(t, c, viewer).History
		if len(h) != 2 {
			t.Fatalf("%s sees %d history rows, want 2: %+v", viewer.Name, len(h), h)
		}
		withdrawal, grant := h[0], h[1]
		if withdrawal.Shared || withdrawal.Kind != mend.KindCommitments || withdrawal.UserID != a.ID || withdrawal.Name != "Oda" {
			t.Fatalf("%s: newest row %+v, want Oda's withdrawal", viewer.Name, withdrawal)
		}
		if !grant.Shared || grant.Kind != mend.KindCommitments || grant.UserID != a.ID || grant.Name != "Oda" {
			t.Fatalf("%s: older row %+v, want Oda's grant", viewer.Name, grant)
		}
		if grant.At.Before(before) || withdrawal.At.Before(grant.At) {
			t.Fatalf("%s: times grant %v, withdrawal %v", viewer.Name, grant.At, withdrawal.At)
		}
	}
}

func TestCouples_EachPartnersDefaultsShowForBoth(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	a, b, _ := pair(t, c, acc, "Quo", "Ria")
	if _, err := c.SetDefaults(ctx, a, map[string]bool{mend.KindCheckins: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetDefaults(ctx, b, map[string]bool{mend.KindTriggers: true, mend.KindCommitments: true}); err != nil {
		t.Fatal(err)
	}
	want := map[int64]map[string]bool{
		a.ID: {mend.KindCheckins: true, mend.KindCommitments: false, mend.KindTriggers: false},
		b.ID: {mend.KindCheckins: false, mend.KindCommitments: true, mend.KindTriggers: true},
	}
	for _, viewer := range []*mend.User{a, b} {
		p := sharing(t, c, viewer)
		for user, kinds := range want {
			for kind, shared := range kinds {
				if p.Shares(user, kind) != shared {
					t.Errorf("%s's page: user %d shares %s = %v, want %v", viewer.Name, user, kind, !shared, shared)
				}
			}
		}
	}
	for user, kinds := range want {
		u := a
		if user == b.ID {
			u = b
		}
		for kind, shared := range kinds {
			if got, err := sharesByDefault(ctx, c, u, kind); err != nil || got != shared {
				t.Errorf("shares by default (%s, %s) = %v (%v), want %v", u.Name, kind, got, err, shared)
			}
		}
	}
}

func TestCouples_PartnerCannotChangeTheOthersDefaults(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Sky", "Tor")
	if _, err := c.SetDefaults(ctx, a, map[string]bool{mend.KindCheckins: true, mend.KindTriggers: true}); err != nil {
		t.Fatal(err)
	}
	// b's own choices start at "nothing shared", whatever a chose.
	if n, err := c.SetDefaults(ctx, b, map[string]bool{}); err != nil || n != 0 {
		t.Fatalf("b clears own defaults: changed %d (%v), want 0", n, err)
	}
	if n, err := c.SetDefaults(ctx, b, map[string]bool{mend.KindCommitments: true}); err != nil || n != 1 {
		t.Fatalf("b shares commitments: changed %d (%v), want 1", n, err)
	}
	if n := count(t, db, `SELECT count(*) FROM consent_events WHERE couple_id = $1 AND user_id = $2`, access.CoupleID(), a.ID); n != 2 {
		t.Fatalf("%d rows for a, want a's own 2", n)
	}
	if n := count(t, db, `SELECT count(*) FROM consent_events WHERE couple_id = $1 AND user_id = $2`, access.CoupleID(), b.ID); n != 1 {
		t.Fatalf("%d rows for b, want 1", n)
	}
	if n := count(t, db, `SELECT count(*) FROM consent_events WHERE user_id NOT IN ($1, $2)`, a.ID, b.ID); n != 0 {
		t.Fatalf("%d rows for someone else", n)
	}
	p := sharing(t, c, a)
	if !p.Shares(a.ID, mend.KindCheckins) || !p.Shares(a.ID, mend.KindTriggers) || p.Shares(a.ID, mend.KindCommitments) {
		t.Fatalf("a's defaults changed by b: %v", p.Defaults[a.ID])
	}
	// A therapist has no defaults to set.
	th := newTherapist(t, acc, "Uma", "Uma Rey, MFT")
	link(t, c, a, th)
	_, err := c.SetDefaults(ctx, th, map[string]bool{mend.KindCheckins: true})
	wantCode(t, err, mend.NotFound, "therapist sets defaults")
	if n := count(t, db, `SELECT count(*) FROM consent_events WHERE user_id = $1`, th.ID); n != 0 {
		t.Fatal("a therapist recorded consent")
	}
}
