package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// Each partner's own starting words, with their own visibility.

func setContext(t *testing.T, c *service.Couples, u *mend.User, in service.ContextInput) {
	t.Helper()
	if err := c.SetContext(context.Background(), u, in); err != nil {
		t.Fatalf("%s's words: %v", u.Name, err)
	}
}

func TestContext_EachPartnerWritesTheirOwnWithItsOwnVisibility(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Ada", "Ben") // Ada wrote at the start, for Ben
	if s := space(t, c, b); s.MyContext() != nil || s.PartnerContext() == nil {
		t.Fatalf("Ben before writing: %+v", s.Contexts)
	}
	// Ben writes his, for himself only: Ada sees nothing of it.
	setContext(t, c, b, service.ContextInput{WhatHappened: "lying", Details: "Ben's side", Rebuilding: "me", Visibility: string(mend.JustMe)})
	if s := space(t, c, a); s.PartnerContext() != nil || s.MyContext() == nil || s.MyContext().Details != "Started by Ada" {
		t.Fatalf("Ada sees %+v", s.Contexts)
	}
	s := space(t, c, b)
	if mine := s.MyContext(); mine == nil || mine.Details != "Ben's side" || mine.Visibility != mend.JustMe || mine.Earlier {
		t.Fatalf("Ben's own words: %+v", mine)
	}
	if s.PartnerContext() == nil || s.PartnerContext().Details != "Started by Ada" {
		t.Fatalf("Ben no longer sees Ada's words: %+v", s.Contexts)
	}
	// He shares them; Ada keeps hers to herself from now on.
	setContext(t, c, b, service.ContextInput{WhatHappened: "lying", Details: "Ben's side", Visibility: string(mend.MyPartner)})
	setContext(t, c, a, service.ContextInput{WhatHappened: "affair", Details: "Only for me now", Visibility: string(mend.JustMe)})
	if pc := space(t, c, a).PartnerContext(); pc == nil || pc.Details != "Ben's side" || pc.Rebuilding != "" {
		t.Fatalf("Ada sees Ben's words as %+v", pc)
	}
	if s := space(t, c, b); s.PartnerContext() != nil || len(s.Contexts) != 1 {
		t.Fatalf("Ben still sees Ada's words: %+v", s.Contexts)
	}
	if n := count(t, db, `SELECT count(*) FROM couple_context WHERE couple_id = $1`, access.CoupleID()); n != 2 {
		t.Fatalf("%d rows, want one per partner", n)
	}
	// An empty form removes one's own words, and only one's own.
	setContext(t, c, b, service.ContextInput{Details: "   ", Visibility: string(mend.MyPartner)})
	if s := space(t, c, b); s.MyContext() != nil {
		t.Fatalf("Ben's words after emptying them: %+v", s.MyContext())
	}
	if s := space(t, c, a); s.MyContext() == nil {
		t.Fatal("Ada's words went with Ben's")
	}
	// Therapists and people without a space write nothing.
	th := newTherapist(t, acc, "Tess", "Tess Lee")
	wantCode(t, c.SetContext(ctx, th, service.ContextInput{Details: "x"}), mend.NotFound, "a therapist writing")
	loner := newPartner(t, acc, "Lou")
	wantCode(t, c.SetContext(ctx, loner, service.ContextInput{Details: "x"}), mend.NotFound, "no space")
}

func TestContext_WordsAreCheckedAndNothingChangesOnAMistake(t *testing.T) {
	t.Parallel()
	c, acc, _, clk := newCouples(t)
	ctx := context.Background()
	_, b, _ := pair(t, c, acc, "Ada", "Ben")
	setContext(t, c, b, service.ContextInput{Details: "First words"})
	tomorrow := clk.t.AddDate(0, 0, 2).Format(time.DateOnly)
	for _, tc := range []struct {
		in    service.ContextInput
		field string
	}{
		{service.ContextInput{WhatHappened: "betrayal"}, "what_happened"},
		{service.ContextInput{Rebuilding: "nobody"}, "rebuilding"},
		{service.ContextInput{CameToLight: tomorrow}, "came_to_light"},
		{service.ContextInput{CameToLight: "14/03/2026"}, "came_to_light"},
		{service.ContextInput{Details: strings.Repeat("é", mend.MaxContextDetails+1)}, "details"},
		{service.ContextInput{Details: "ok", Visibility: string(mend.PartnerAndTherapist)}, "visibility"},
		{service.ContextInput{Details: "ok", Visibility: "everyone"}, "visibility"},
	} {
		fieldRefused(t, c.SetContext(ctx, b, tc.in), tc.field, tc.field)
	}
	if mine := space(t, c, b).MyContext(); mine == nil || mine.Details != "First words" || mine.Visibility != mend.MyPartner {
		t.Fatalf("a refused form changed Ben's words: %+v", mine)
	}
	// A start form asking for a therapist is refused too.
	_, err := c.Start(ctx, newPartner(t, acc, "Cy"), service.StartInput{Details: "x", Visibility: string(mend.PartnerAndTherapist)})
	fieldRefused(t, err, "visibility", "start for a therapist")
}

func TestContext_StartingWordsKeptPrivateAreNotShownToTheJoiner(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	a := newPartner(t, acc, "Ada")
	start(t, c, a, service.StartInput{WhatHappened: "affair", Details: "Mine alone", Visibility: string(mend.JustMe)})
	b := newPartner(t, acc, "Ben")
	accept(t, c, b, invite(t, c, a, mend.InvitePartner))
	if s := space(t, c, b); len(s.Contexts) != 0 {
		t.Fatalf("Ben sees words Ada kept to herself: %+v", s.Contexts)
	}
	// Shared later, Ben sees them: they were written about this pair.
	setContext(t, c, a, service.ContextInput{WhatHappened: "affair", Details: "Now for Ben too"})
	if pc := space(t, c, b).PartnerContext(); pc == nil || pc.Details != "Now for Ben too" {
		t.Fatalf("Ben sees %+v", pc)
	}
}

func TestContext_ALaterPartnerNeverSeesWordsAboutAnEarlierPair(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	a, b, _ := pair(t, c, acc, "Ada", "Ben")
	setContext(t, c, b, service.ContextInput{Details: "Ben about Ada"})
	if err := c.Leave(ctx, a, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	// Ben's words were about Ada: his alone now, marked as earlier.
	if mine := space(t, c, b).MyContext(); mine == nil || !mine.Earlier {
		t.Fatalf("Ben's words after Ada left: %+v", mine)
	}
	cal := newPartner(t, acc, "Cal")
	accept(t, c, cal, invite(t, c, b, mend.InvitePartner))
	if s := space(t, c, cal); len(s.Contexts) != 0 {
		t.Fatalf("Cal sees words about an earlier pair: %+v", s.Contexts)
	}
	if mine := space(t, c, b).MyContext(); mine == nil || !mine.Earlier {
		t.Fatalf("Ben's earlier words once Cal joined: %+v", mine)
	}
	// New words from Ben are about Ben and Cal.
	setContext(t, c, b, service.ContextInput{Details: "Ben about Cal"})
	if pc := space(t, c, cal).PartnerContext(); pc == nil || pc.Details != "Ben about Cal" {
		t.Fatalf("Cal does not see Ben's new words: %+v", pc)
	}
	if mine := space(t, c, b).MyContext(); mine == nil || mine.Earlier {
		t.Fatalf("Ben's new words: %+v", mine)
	}
}

func TestContext_HardDatesOfferTheDayFromWordsTheReaderMaySee(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	tr := service.NewTriggers(db, c)
	tr.Now = c.Now
	a, b, _ := pair(t, c, acc, "Ada", "Ben") // Ada gave no date
	offered := func(u *mend.User) string {
		t.Helper()
		p, err := tr.HardDates(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if p.CameToLight == nil {
			return ""
		}
		return p.CameToLight.Format(time.DateOnly)
	}
	// Ben's date, kept to himself, is offered to him and never to Ada.
	setContext(t, c, b, service.ContextInput{CameToLight: "2026-03-14", Visibility: string(mend.JustMe)})
	if got := offered(b); got != "2026-03-14" {
		t.Fatalf("offered to Ben: %q", got)
	}
	if got := offered(a); got != "" {
		t.Fatalf("Ben's private date offered to Ada: %q", got)
	}
	// Shared, it is offered to Ada too; her own date comes first for her.
	setContext(t, c, b, service.ContextInput{CameToLight: "2026-03-14"})
	if got := offered(a); got != "2026-03-14" {
		t.Fatalf("Ben's shared date offered to Ada: %q", got)
	}
	setContext(t, c, a, service.ContextInput{CameToLight: "2026-02-01", Visibility: string(mend.JustMe)})
	if got := offered(a); got != "2026-02-01" {
		t.Fatalf("Ada's own date should come first: %q", got)
	}
	// Once a hard date, the next one is offered.
	if err := tr.AddHardDate(ctx, a, "The day it came to light", "2026-02-01", true, ""); err != nil {
		t.Fatal(err)
	}
	if got := offered(a); got != "2026-03-14" {
		t.Fatalf("after adding her own: %q", got)
	}
}
