package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

func TestGuidance_CardsByRoleAndPhase_DismissedForGood(t *testing.T) {
	t.Parallel()
	e := newSpaceEnv(t, "Ada", "Ben")
	ctx := context.Background()
	ada := partnerIn(t, e.acc, "Ada", "UTC")
	ben := partnerIn(t, e.acc, "Ben", "UTC")
	// Ada's starting words, shared with Ben: Ben is rebuilding trust.
	start(t, e.c, ada, service.StartInput{Rebuilding: "partner", Visibility: string(mend.MyPartner)})
	accept(t, e.c, ben, invite(t, e.c, ada, mend.InvitePartner))
	g := service.NewGuidance(e.db)
	now := time.Now()
	g.Now = func() time.Time { return now }
	card := func(u *mend.User, place string) string {
		t.Helper()
		sp, err := e.c.Space(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		c, err := g.Card(ctx, u, sp, place)
		if err != nil {
			t.Fatal(err)
		}
		if c == nil {
			return ""
		}
		return c.Key
	}
	// The first weeks: each sees a card for their role.
	if got := card(ada, mend.PlaceToday); got != "hurt-valid" {
		t.Errorf("Ada's Today in the first weeks: %q", got)
	}
	if got := card(ben, mend.PlaceToday); got != "rebuilding-pace" {
		t.Errorf("Ben's Today in the first weeks: %q", got)
	}
	if got := card(ben, mend.PlaceCommitments); got != "rebuilding-consistency" {
		t.Errorf("Ben's commitments in the first weeks: %q", got)
	}
	// Set aside, a card never comes back; the next one shows. Setting it
	// aside twice is once; Ben's cards are his own.
	for range 2 {
		if err := g.Dismiss(ctx, ada, "hurt-valid"); err != nil {
			t.Fatal(err)
		}
	}
	if got := card(ada, mend.PlaceToday); got != "hurt-needs" {
		t.Errorf("Ada's Today after setting the first aside: %q", got)
	}
	if got := card(ada, mend.PlaceMinute); got != "hurt-worth" {
		t.Errorf("Ada's minute after setting the first aside: %q", got)
	}
	if got := card(ben, mend.PlaceToday); got != "rebuilding-pace" {
		t.Errorf("Ada's dismissal changed Ben's card: %q", got)
	}
	wantCode(t, g.Dismiss(ctx, ada, "no-such-card"), mend.Invalid, "an unknown card")

	// Months later, then after six months, the cards change.
	now = now.AddDate(0, 2, 0)
	if got := card(ben, mend.PlaceToday); got != "rebuilding-pace" {
		t.Errorf("Ben's Today after two months: %q", got)
	}
	if err := g.Dismiss(ctx, ben, "rebuilding-consistency"); err != nil {
		t.Fatal(err)
	}
	if got := card(ben, mend.PlaceCommitments); got != "rebuilding-no-thanks" {
		t.Errorf("Ben's commitments after two months, one set aside: %q", got)
	}
	now = now.AddDate(0, 5, 0)
	if got := card(ben, mend.PlaceToday); got != "rebuilding-no-thanks" {
		t.Errorf("Ben's Today after seven months: %q", got)
	}
	if got := card(ada, mend.PlaceMinute); got != "hurt-worth" {
		t.Errorf("Ada's minute after seven months: %q", got)
	}
	if err := g.Dismiss(ctx, ada, "hurt-worth"); err != nil {
		t.Fatal(err)
	}
	if got := card(ada, mend.PlaceMinute); got != "hurt-waves" {
		t.Errorf("Ada's minute after seven months, one set aside: %q", got)
	}
	// Every card set aside: none is left.
	for _, c := range mend.GuidanceCards {
		if err := g.Dismiss(ctx, ada, c.Key); err != nil {
			t.Fatal(err)
		}
	}
	if got := card(ada, mend.PlaceToday); got != "" {
		t.Errorf("a card after all were set aside: %q", got)
	}
}
