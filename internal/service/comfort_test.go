package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

type comfortEnv struct {
	triggersEnv
	cf *service.Comfort
}

func newComfort(t *testing.T) *comfortEnv {
	t.Helper()
	tr := newTriggers(t)
	return &comfortEnv{triggersEnv: *tr, cf: service.NewComfort(tr.db, tr.c)}
}

func (e *comfortEnv) page(t *testing.T, u *mend.User) *mend.ComfortPage {
	t.Helper()
	p, err := e.cf.Page(context.Background(), u)
	if err != nil {
		t.Fatalf("%s's comfort page: %v", u.Name, err)
	}
	return p
}

func (e *comfortEnv) write(t *testing.T, u *mend.User, body string, share bool) {
	t.Helper()
	if err := e.cf.Write(context.Background(), u, service.ComfortInput{Body: body, Share: share, FormKey: service.NewFormKey()}); err != nil {
		t.Fatalf("%s writes %q: %v", u.Name, body, err)
	}
}

// triggersPlan is the other partner's plan as u's triggers page shows it.
func (e *comfortEnv) triggersPlan(t *testing.T, u *mend.User) mend.ComfortPlans {
	t.Helper()
	p, err := e.tr.List(context.Background(), u, "", "")
	if err != nil {
		t.Fatalf("%s's triggers page: %v", u.Name, err)
	}
	return p.PartnerPlan
}

func body(p *mend.ComfortPlan) string {
	if p == nil {
		return "<none>"
	}
	return p.Body
}

func TestComfortPlan_AgreementAndVersions(t *testing.T) {
	t.Parallel()
	e := newComfort(t)
	ada, ben, _ := e.pairIn(t, "UTC", "UTC")
	ctx := context.Background()

	// A private plan is Ada's alone: Ben sees nothing and cannot agree.
	e.write(t, ada, "Sit with me, no explanations yet.", false)
	mine := e.page(t, ada).Mine
	if len(mine.Versions) != 1 || mine.Current().Shared() || mine.Agreed() != nil {
		t.Fatalf("Ada's plan after writing privately: %+v", mine)
	}
	private := mine.Current().ID
	if p := e.page(t, ben).Partner; len(p.Versions) != 0 {
		t.Fatalf("Ben sees Ada's private plan: %+v", p)
	}
	if p := e.triggersPlan(t, ben); len(p.Versions) != 0 {
		t.Fatalf("Ben's triggers page sees Ada's private plan: %+v", p)
	}
	wantErr(t, e.cf.Agree(ctx, ben, private), mend.ErrNoComfortPlan, "Ben agrees to a private plan")

	// Sharing the same words shares that version: no new one.
	e.write(t, ada, "Sit with me, no explanations yet.", true)
	mine = e.page(t, ada).Mine
	if len(mine.Versions) != 1 || !mine.Current().Shared() || mine.Waiting() == nil {
		t.Fatalf("Ada's plan after sharing: %+v", mine)
	}
	theirs := e.page(t, ben).Partner
	if theirs.Waiting() == nil || theirs.Waiting().ID != private || theirs.Agreed() != nil {
		t.Fatalf("Ben's view of Ada's shared plan: %+v", theirs)
	}
	// Only the other partner agrees.
	wantErr(t, e.cf.Agree(ctx, ada, private), mend.ErrNoComfortPlan, "Ada agrees to her own plan")
	if err := e.cf.Agree(ctx, ben, private); err != nil {
		t.Fatalf("Ben agrees: %v", err)
	}
	wantErr(t, e.cf.Agree(ctx, ben, private), mend.ErrNoComfortPlan, "Ben agrees twice")
	if a := e.page(t, ada).Mine.Agreed(); a == nil || a.ID != private || e.page(t, ada).Mine.Waiting() != nil {
		t.Fatalf("Ada's plan after Ben agreed: %+v", e.page(t, ada).Mine)
	}

	// A change is a new version that needs agreeing again; the agreed one
	// stays the agreed plan meanwhile.
	e.write(t, ada, "Give me twenty minutes, then check on me.", true)
	mine = e.page(t, ada).Mine
	if len(mine.Versions) != 2 || body(mine.Agreed()) != "Sit with me, no explanations yet." ||
		body(mine.Waiting()) != "Give me twenty minutes, then check on me." {
		t.Fatalf("Ada's plan after a change: agreed %q, waiting %q, %d versions", body(mine.Agreed()), body(mine.Waiting()), len(mine.Versions))
	}
	theirs = e.page(t, ben).Partner
	if body(theirs.Agreed()) != "Sit with me, no explanations yet." || body(theirs.Waiting()) != "Give me twenty minutes, then check on me." {
		t.Fatalf("Ben's view after Ada's change: agreed %q, waiting %q", body(theirs.Agreed()), body(theirs.Waiting()))
	}
	changed := theirs.Waiting().ID

	// A newer private version does not reach Ben, and the shared change
	// still waits for him.
	e.write(t, ada, "Just a hand on my shoulder.", false)
	theirs = e.page(t, ben).Partner
	if len(theirs.Versions) != 2 || body(theirs.Current()) != "Give me twenty minutes, then check on me." {
		t.Fatalf("Ben's view after Ada's private draft: %+v", theirs)
	}
	for _, v := range theirs.Versions {
		if v.Body == "Just a hand on my shoulder." {
			t.Fatal("Ben sees Ada's private version")
		}
	}
	if err := e.cf.Agree(ctx, ben, changed); err != nil {
		t.Fatalf("Ben agrees to the change: %v", err)
	}
	if p := e.triggersPlan(t, ben); body(p.Agreed()) != "Give me twenty minutes, then check on me." {
		t.Fatalf("Ben's triggers page shows %q", body(p.Agreed()))
	}
	// Once a newer version is shared, the older one can no longer be agreed.
	e.write(t, ada, "Just a hand on my shoulder.", true)
	wantErr(t, e.cf.Agree(ctx, ben, private), mend.ErrNoComfortPlan, "Ben agrees to a replaced version")
	if n := len(e.page(t, ada).Mine.Versions); n != 3 {
		t.Fatalf("Ada keeps %d versions, want 3", n)
	}

	// Another couple's partner cannot agree, and sees nothing.
	x, _, _ := e.spaceEnvPair(t)
	wantErr(t, e.cf.Agree(ctx, x, e.page(t, ada).Mine.Current().ID), mend.ErrNoComfortPlan, "a stranger agrees")

	// Deleting takes every version away, from both.
	if err := e.cf.Delete(ctx, ada); err != nil {
		t.Fatal(err)
	}
	if len(e.page(t, ada).Mine.Versions) != 0 || len(e.page(t, ben).Partner.Versions) != 0 {
		t.Fatal("versions remain after deleting the plan")
	}
	wantCode(t, e.cf.Delete(ctx, ada), mend.NotFound, "deleting a plan that is gone")
}

// spaceEnvPair makes another couple in the same database.
func (e *comfortEnv) spaceEnvPair(t *testing.T) (a, b *mend.User, coupleID int64) {
	t.Helper()
	other := spaceEnv{c: e.c, acc: e.acc, db: e.db, clk: e.clk, names: [2]string{"Cora", "Dev"}}
	return other.pairIn(t, "UTC", "UTC")
}

func TestComfortPlan_Validation(t *testing.T) {
	t.Parallel()
	e := newComfort(t)
	ada, _, _ := e.pairIn(t, "UTC", "UTC")
	for _, b := range []string{"", "   ", strings.Repeat("é", mend.MaxComfortPlan+1)} {
		err := e.cf.Write(context.Background(), ada, service.ComfortInput{Body: b, Share: true})
		wantCode(t, err, mend.Invalid, "plan "+b[:min(len(b), 5)])
		var me *mend.Error
		if !errors.As(err, &me) || me.Fields["body"] == "" {
			t.Fatalf("no message beside the plan for %q: %v", b[:min(len(b), 5)], err)
		}
	}
	if n := len(e.page(t, ada).Mine.Versions); n != 0 {
		t.Fatalf("%d versions after refused writes", n)
	}
}

func TestTriggerMinute_HelpedBeforePlanAndHelpLines(t *testing.T) {
	t.Parallel()
	e := newComfort(t)
	ada, ben, _ := e.pairIn(t, "UTC", "UTC")
	ctx := context.Background()
	e.setNow(t, "2027-03-01T08:00:00Z")
	e.log(t, ada, helped(quick("place", 4, mend.MyPartner, "2027-02-20T10:00"), "A walk"))
	e.log(t, ada, helped(quick("place", 4, mend.JustMe, "2027-02-21T10:00"), "Tea with my sister"))
	e.log(t, ada, helped(quick("place", 4, mend.MyPartner, "2027-02-22T10:00"), " A walk "))
	e.log(t, ada, helped(quick("place", 4, mend.MyPartner, "2027-02-23T10:00"), ""))
	e.log(t, ada, helped(quick("place", 4, mend.MyPartner, "2027-02-24T10:00"), "Music"))
	e.log(t, ada, helped(quick("place", 4, mend.MyPartner, "2027-02-25T10:00"), "Writing it down"))
	e.log(t, ben, helped(quick("place", 4, mend.MyPartner, "2027-02-26T10:00"), "Ben's run"))
	first := e.log(t, ada, helped(quick("person", 5, mend.MyPartner, "2027-03-01T07:10"), "This one's own words"))

	m, err := e.cf.Minute(ctx, ada, first)
	if err != nil {
		t.Fatal(err)
	}
	// Ada's own, distinct, newest first, without this trigger's, at most 3.
	if got := strings.Join(m.HelpedBefore, "|"); got != "Writing it down|Music|A walk" {
		t.Fatalf("what helped before: %q", got)
	}
	if m.ShowHelpLines() || m.InHour != 1 {
		t.Fatalf("a first trigger of intensity 5 offers the help lines (in the hour: %d)", m.InHour)
	}
	// Only the writer opens the minute of their trigger.
	_, err = e.cf.Minute(ctx, ben, first)
	wantCode(t, err, mend.NotFound, "Ben opens Ada's minute")

	// The second in the hour does not offer the lines; the third does.
	second := e.log(t, ada, quick("person", 6, mend.MyPartner, "2027-03-01T07:40"))
	if m, _ := e.cf.Minute(ctx, ada, second); m.InHour != 2 || m.ShowHelpLines() {
		t.Fatalf("second in the hour: %d, lines %v", m.InHour, m.ShowHelpLines())
	}
	third := e.log(t, ada, quick("person", 6, mend.MyPartner, "2027-03-01T08:00"))
	if m, _ := e.cf.Minute(ctx, ada, third); m.InHour != 3 || !m.ShowHelpLines() {
		t.Fatalf("third in the hour: %d, lines %v", m.InHour, m.ShowHelpLines())
	}
	// A trigger more than an hour after the first counts only the later two.
	e.setNow(t, "2027-03-01T08:30:00Z")
	fourth := e.log(t, ada, quick("person", 6, mend.MyPartner, "2027-03-01T08:15"))
	if m, _ := e.cf.Minute(ctx, ada, fourth); m.InHour != 3 {
		t.Fatalf("fourth: %d in the hour, want 3 (07:40, 08:00, 08:15)", m.InHour)
	}
	// Intensity 9 offers the lines on its own; 8 does not.
	e.setNow(t, "2027-03-02T12:00:00Z")
	if m, _ := e.cf.Minute(ctx, ada, e.log(t, ada, quick("date", 8, mend.MyPartner, ""))); m.ShowHelpLines() {
		t.Fatal("intensity 8 alone offers the help lines")
	}
	e.setNow(t, "2027-03-03T12:00:00Z")
	if m, _ := e.cf.Minute(ctx, ada, e.log(t, ada, quick("date", 9, mend.MyPartner, ""))); !m.ShowHelpLines() {
		t.Fatal("intensity 9 does not offer the help lines")
	}

	// The minute shows the writer's agreed plan, not one merely written.
	e.write(t, ada, "Sit with me.", true)
	if m, _ := e.cf.Minute(ctx, ada, first); m.Plan.Agreed() != nil || body(m.Plan.Current()) != "Sit with me." {
		t.Fatalf("plan before agreement: %+v", m.Plan)
	}
	if err := e.cf.Agree(ctx, ben, e.page(t, ada).Mine.Current().ID); err != nil {
		t.Fatal(err)
	}
	if m, _ := e.cf.Minute(ctx, ada, first); body(m.Plan.Agreed()) != "Sit with me." {
		t.Fatalf("plan after agreement: %+v", m.Plan)
	}
}

// A plan agreed by a partner who left is no agreed plan for the next pair:
// the new partner never saw it, and is asked to agree when it is shared again.
func TestComfortPlan_ANewPartnerAgreesAfresh(t *testing.T) {
	t.Parallel()
	e := newComfort(t)
	ada, ben, _ := e.pairIn(t, "UTC", "UTC")
	ctx := context.Background()
	e.write(t, ada, "Sit with me.", true)
	if err := e.cf.Agree(ctx, ben, e.page(t, ada).Mine.Current().ID); err != nil {
		t.Fatal(err)
	}
	if err := e.c.Leave(ctx, ben, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	cal := partnerIn(t, e.acc, "Cal", "UTC")
	accept(t, e.c, cal, invite(t, e.c, ada, mend.InvitePartner))
	mine := e.page(t, ada).Mine
	if mine.Agreed() != nil || mine.Current().Shared() {
		t.Fatalf("Ada's plan with Cal reads as shared or agreed: %+v", mine.Current())
	}
	if p := e.page(t, cal).Partner; len(p.Versions) != 0 {
		t.Fatalf("Cal sees the plan shared before he joined: %+v", p)
	}
	// Sharing the same words again asks Cal.
	e.write(t, ada, "Sit with me.", true)
	w := e.page(t, cal).Partner.Waiting()
	if w == nil || len(e.page(t, ada).Mine.Versions) != 1 {
		t.Fatalf("Cal is not asked to agree: %+v", e.page(t, cal).Partner)
	}
	if err := e.cf.Agree(ctx, cal, w.ID); err != nil {
		t.Fatal(err)
	}
	if m := e.page(t, ada).Mine; m.Agreed() == nil {
		t.Fatalf("Cal's agreement does not count: %+v", m)
	}
}

// A plan "shared" before anyone joined (a form from a page that offered
// sharing) is kept private: shared then, it would reach nobody and read
// as private once the partner came. Sharing it once they are there works.
func TestComfortPlan_SharedBeforeAPartnerJoinedIsKeptPrivate(t *testing.T) {
	t.Parallel()
	e := newComfort(t)
	ctx := context.Background()
	ada := partnerIn(t, e.acc, "Ada", "UTC")
	start(t, e.c, ada, service.StartInput{})
	e.write(t, ada, "Sit with me.", true)
	if cur := e.page(t, ada).Mine.Current(); cur == nil || cur.Shared() {
		t.Fatalf("Ada's plan, shared with nobody there: %+v", cur)
	}
	ben := partnerIn(t, e.acc, "Ben", "UTC")
	accept(t, e.c, ben, invite(t, e.c, ada, mend.InvitePartner))
	if p := e.page(t, ben).Partner; len(p.Versions) != 0 {
		t.Fatalf("Ben sees a plan Ada never shared with him: %+v", p)
	}
	e.write(t, ada, "Sit with me.", true)
	w := e.page(t, ben).Partner.Waiting()
	if w == nil {
		t.Fatalf("Ben is not asked to agree: %+v", e.page(t, ben).Partner)
	}
	if err := e.cf.Agree(ctx, ben, w.ID); err != nil {
		t.Fatal(err)
	}
}
