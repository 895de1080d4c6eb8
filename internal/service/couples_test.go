package service_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// ---- Starting a space ----

func TestCouples_StartCreatesSpaceWithOnlyPartner(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	u := newPartner(t, acc, "Ana")
	a := start(t, c, u, service.StartInput{
		WhatHappened: "emotional_affair", Details: "  Months of messages.  ", CameToLight: "2025-11-02", Rebuilding: "both",
	})
	if a.CoupleID() == 0 || a.UserID() != u.ID || a.Role() != mend.RolePartner {
		t.Fatalf("access = %+v", a)
	}
	if got, err := c.PartnerAccess(ctx, u); err != nil || got != a {
		t.Fatalf("PartnerAccess = %+v (%v), want %+v", got, err, a)
	}
	s := space(t, c, u)
	if s.Access.CoupleID() != a.CoupleID() || s.Me.UserID != u.ID || s.Me.Name != "Ana" || s.Me.JoinedAt.IsZero() || s.Created.IsZero() {
		t.Fatalf("space = %+v", s)
	}
	if s.Partner != nil || s.Full() {
		t.Fatalf("new space has a partner: %+v", s.Partner)
	}
	cc := s.MyContext()
	if cc == nil {
		t.Fatal("context not shown")
	}
	if cc.AuthorID != u.ID || cc.WhatHappened != "emotional_affair" || cc.Details != "Months of messages." || cc.Rebuilding != "both" {
		t.Fatalf("context = %+v", cc)
	}
	if cc.CameToLight == nil || cc.CameToLight.Format(time.DateOnly) != "2025-11-02" {
		t.Fatalf("came to light = %v", cc.CameToLight)
	}
	if n := count(t, db, `SELECT count(*) FROM couple_members WHERE couple_id = $1`, a.CoupleID()); n != 1 {
		t.Fatalf("%d members in a new space", n)
	}
	if n := count(t, db, `SELECT count(*) FROM couples WHERE id = $1 AND created_by = $2`, a.CoupleID(), u.ID); n != 1 {
		t.Fatal("couple row not created by the user")
	}
}

func TestCouples_StartWithNothingSaidStoresNoContext(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	u := newPartner(t, acc, "Bo")
	a := start(t, c, u, service.StartInput{Details: "   "})
	if s := space(t, c, u); len(s.Contexts) != 0 {
		t.Fatalf("context for an empty form: %+v", s.Contexts)
	}
	if n := count(t, db, `SELECT count(*) FROM couple_context WHERE couple_id = $1`, a.CoupleID()); n != 0 {
		t.Fatalf("%d context rows for an empty form", n)
	}
}

func TestCouples_StartValidatesEachField(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	u := newPartner(t, acc, "Cy")
	cases := []struct {
		name  string
		in    service.StartInput
		field string
	}{
		{"unknown what happened", service.StartInput{WhatHappened: "betrayal"}, "what_happened"},
		{"unknown rebuilding", service.StartInput{Rebuilding: "them"}, "rebuilding"},
		{"details too long", service.StartInput{Details: strings.Repeat("é", mend.MaxContextDetails+1)}, "details"},
		{"malformed date", service.StartInput{CameToLight: "14/03/2025"}, "came_to_light"},
		{"impossible date", service.StartInput{CameToLight: "2025-02-30"}, "came_to_light"},
		{"date before 1900", service.StartInput{CameToLight: "1899-12-31"}, "came_to_light"},
		{"date in the future", service.StartInput{CameToLight: c.Now().AddDate(1, 0, 0).Format(time.DateOnly)}, "came_to_light"},
	}
	for _, tc := range cases {
		_, err := c.Start(ctx, u, tc.in)
		if fieldErr(t, err, tc.field) == "" {
			t.Errorf("%s: no message for %s (%v)", tc.name, tc.field, err)
		}
		if n := len(err.(*mend.Error).Fields); n != 1 {
			t.Errorf("%s: %d fields in error, want 1: %v", tc.name, n, err)
		}
	}
	_, err := c.Start(ctx, u, service.StartInput{WhatHappened: "x", Rebuilding: "y", Details: strings.Repeat("a", 1001), CameToLight: "soon"})
	for _, f := range []string{"what_happened", "rebuilding", "details", "came_to_light"} {
		if fieldErr(t, err, f) == "" {
			t.Errorf("all wrong: no message for %s", f)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM couples`); n != 0 {
		t.Fatalf("%d couples after refused forms", n)
	}
	// 1,000 characters (not bytes) is still fine.
	start(t, c, u, service.StartInput{Details: strings.Repeat("é", mend.MaxContextDetails)})
	if s := space(t, c, u); s.MyContext() == nil || len([]rune(s.MyContext().Details)) != mend.MaxContextDetails {
		t.Fatalf("1,000-character details not stored whole: %+v", s.Contexts)
	}
}

func TestCouples_CameToLightFutureIsJudgedInUsersOwnTimeZone(t *testing.T) {
	t.Parallel()
	c, acc, _, clk := newCouples(t)
	ctx := context.Background()
	// Noon UTC on 14 March: already the 15th at UTC+14, still the 14th at UTC-11.
	clk.t = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)
	ahead := signUpUser(t, acc, service.SignUpInput{Name: "Kiri", TimeZone: "Pacific/Kiritimati"})
	behind := signUpUser(t, acc, service.SignUpInput{Name: "Pago", TimeZone: "Pacific/Pago_Pago"})

	if _, err := c.Start(ctx, ahead, service.StartInput{CameToLight: "2026-03-16"}); fieldErr(t, err, "came_to_light") == "" {
		t.Fatal("UTC+14: the day after its today accepted")
	}
	if _, err := c.Start(ctx, ahead, service.StartInput{CameToLight: "2026-03-15"}); err != nil {
		t.Fatalf("UTC+14: its own today (15 March) refused: %v", err)
	}
	if _, err := c.Start(ctx, behind, service.StartInput{CameToLight: "2026-03-15"}); fieldErr(t, err, "came_to_light") == "" {
		t.Fatal("UTC-11: 15 March is tomorrow there, yet accepted")
	}
	if _, err := c.Start(ctx, behind, service.StartInput{CameToLight: "2026-03-14"}); err != nil {
		t.Fatalf("UTC-11: its own today (14 March) refused: %v", err)
	}
	if s := space(t, c, ahead); s.MyContext() == nil || s.MyContext().CameToLight.Format(time.DateOnly) != "2026-03-15" {
		t.Fatalf("stored date = %+v", s.Contexts)
	}
}

func TestCouples_StartWhileInSpaceIsConflict(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Di", "Ed")
	_, err := c.Start(ctx, a, service.StartInput{FormKey: service.NewFormKey()})
	wantCode(t, err, mend.Conflict, "starter starts again")
	_, err = c.Start(ctx, b, service.StartInput{})
	wantCode(t, err, mend.Conflict, "joiner starts a space")
	if n := count(t, db, `SELECT count(*) FROM couples`); n != 1 {
		t.Fatalf("%d couples, want 1", n)
	}
	if got, err := c.PartnerAccess(ctx, b); err != nil || got.CoupleID() != access.CoupleID() {
		t.Fatalf("joiner moved: %+v %v", got, err)
	}
}

func TestCouples_TherapistCannotStart(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	th := newTherapist(t, acc, "Fay", "Dr. Fay Ross")
	_, err := c.Start(context.Background(), th, service.StartInput{WhatHappened: "lying"})
	wantCode(t, err, mend.Forbidden, "therapist starts a space")
	if n := count(t, db, `SELECT count(*) FROM couples`); n != 0 {
		t.Fatalf("%d couples made by a therapist", n)
	}
}

func TestCouples_SameStartFormTwiceGivesOneCouple(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()

	u := newPartner(t, acc, "Gil")
	in := service.StartInput{WhatHappened: "lying", FormKey: service.NewFormKey()}
	first := start(t, c, u, in)
	again, err := c.Start(ctx, u, in)
	if err != nil || again != first {
		t.Fatalf("same form again: %+v (%v), want %+v", again, err, first)
	}
	// Another form (another key) is a real second start: refused.
	in.FormKey = service.NewFormKey()
	_, err = c.Start(ctx, u, in)
	wantCode(t, err, mend.Conflict, "another start form")

	// Ten sends of one form at once: one couple, and every send gets it.
	v := newPartner(t, acc, "Hal")
	in = service.StartInput{Rebuilding: "partner", FormKey: service.NewFormKey()}
	const n = 10
	got := make([]mend.PartnerAccess, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = c.Start(ctx, v, in) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("send %d: %v", i, errs[i])
		}
		if got[i].CoupleID() == 0 || got[i] != got[0] {
			t.Fatalf("send %d gave %+v, send 0 gave %+v", i, got[i], got[0])
		}
	}
	if k := count(t, db, `SELECT count(*) FROM couples WHERE created_by = $1`, v.ID); k != 1 {
		t.Fatalf("%d couples from one form sent %d times", k, n)
	}
	if k := count(t, db, `SELECT count(*) FROM couple_context WHERE author_id = $1`, v.ID); k != 1 {
		t.Fatalf("%d context rows from one form", k)
	}
}

// ---- Partner invites ----

func TestCouples_PartnerInviteTokenAndLookup(t *testing.T) {
	t.Parallel()
	c, acc, _, clk := newCouples(t)
	ctx := context.Background()
	u := newPartner(t, acc, "Ida")
	a := start(t, c, u, service.StartInput{})
	token, inv, err := c.CreateInvite(ctx, u, mend.InvitePartner)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < 16 {
		t.Fatalf("token %q is not at least 128 random bits (%v)", token, err)
	}
	if inv.CoupleID != a.CoupleID() || inv.CreatedBy != u.ID || inv.Kind != mend.InvitePartner || inv.State(clk.t) != mend.InviteOpen {
		t.Fatalf("invite = %+v", inv)
	}
	if d := inv.ExpiresAt.Sub(clk.t); d < mend.InviteLifetime-time.Second || d > mend.InviteLifetime+time.Second {
		t.Fatalf("invite lasts %v, want 7 days", d)
	}
	info, err := c.Invite(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if info.InviterName != "Ida" || info.Invite.ID != inv.ID || info.Invite.CoupleID != a.CoupleID() {
		t.Fatalf("invite info = %+v %+v", info, info.Invite)
	}
	page, err := c.PartnerInvite(ctx, u)
	if err != nil || page.Invite == nil || page.Invite.ID != inv.ID || page.Space.Access.CoupleID() != a.CoupleID() {
		t.Fatalf("invite page = %+v (%v)", page, err)
	}
	other, _, err := c.CreateInvite(ctx, u, mend.InvitePartner)
	if err != nil || other == token {
		t.Fatalf("second token %q equals the first (%v)", other, err)
	}
}

func TestCouples_InviteStoresOnlyAHashOfTheToken(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	u := newPartner(t, acc, "Jo")
	start(t, c, u, service.StartInput{})
	tokens := []string{invite(t, c, u, mend.InvitePartner), invite(t, c, u, mend.InviteTherapist)}

	rows, err := db.Pool.Query(ctx, `SELECT * FROM invites`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	nrows := 0
	for rows.Next() {
		nrows++
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			col := rows.FieldDescriptions()[i].Name
			for _, token := range tokens {
				raw, _ := base64.RawURLEncoding.DecodeString(token)
				switch x := v.(type) {
				case string:
					if strings.Contains(x, token) {
						t.Errorf("column %s holds the token", col)
					}
				case []byte:
					if bytes.Contains(x, []byte(token)) || bytes.Equal(x, raw) {
						t.Errorf("column %s holds the token", col)
					}
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if nrows != 2 {
		t.Fatalf("%d invite rows, want 2", nrows)
	}
	// Nor in any textual form of the rows.
	var text string
	if err := db.Pool.QueryRow(ctx, `SELECT string_agg(i::text, ' ') FROM invites i`).Scan(&text); err != nil {
		t.Fatal(err)
	}
	for _, token := range tokens {
		raw, _ := base64.RawURLEncoding.DecodeString(token)
		if strings.Contains(text, token) || strings.Contains(text, hex.EncodeToString(raw)) {
			t.Fatalf("token found in invites: %s", text)
		}
	}
}

func TestCouples_NewInviteCancelsThePreviousOne(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	u := newPartner(t, acc, "Kai")
	joiner := newPartner(t, acc, "Lou")
	start(t, c, u, service.StartInput{})
	old := invite(t, c, u, mend.InvitePartner)
	newer := invite(t, c, u, mend.InvitePartner)

	_, err := c.Invite(ctx, old)
	wantErr(t, err, mend.ErrInviteRevoked, "old token")
	wantCode(t, err, mend.Gone, "old token")
	_, err = c.Accept(ctx, joiner, old)
	wantErr(t, err, mend.ErrInviteRevoked, "accept old token")

	// A therapist invite does not cancel the partner invite.
	invite(t, c, u, mend.InviteTherapist)
	if _, err := c.Invite(ctx, newer); err != nil {
		t.Fatalf("partner invite cancelled by a therapist invite: %v", err)
	}
	accept(t, c, joiner, newer)
}

func TestCouples_InvitesCreatedAtOnceLeaveOneOpen(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	u := newPartner(t, acc, "Kip")
	access := start(t, c, u, service.StartInput{})
	// A double tap on "new link": each new invite must cancel the others,
	// or a link the partner never saw on the page keeps working.
	for round := range 5 {
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				if _, _, err := c.CreateInvite(ctx, u, mend.InvitePartner); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := count(t, db, `SELECT count(*) FROM invites WHERE couple_id = $1 AND revoked_at IS NULL AND used_at IS NULL`, access.CoupleID()); n != 1 {
			t.Fatalf("round %d: %d open partner invites after 10 made at once, want 1", round, n)
		}
	}
}

func TestCouples_RevokedInvite(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	u := newPartner(t, acc, "Mo")
	joiner := newPartner(t, acc, "Ned")
	start(t, c, u, service.StartInput{})
	token := invite(t, c, u, mend.InvitePartner)
	if err := c.RevokeInvite(ctx, u, mend.InvitePartner); err != nil {
		t.Fatal(err)
	}
	_, err := c.Invite(ctx, token)
	wantErr(t, err, mend.ErrInviteRevoked, "revoked invite")
	wantCode(t, err, mend.Gone, "revoked invite")
	_, err = c.Accept(ctx, joiner, token)
	wantErr(t, err, mend.ErrInviteRevoked, "accept revoked invite")
	if page, err := c.PartnerInvite(ctx, u); err != nil || page.Invite != nil {
		t.Fatalf("invite page still shows an invite: %+v (%v)", page, err)
	}
	if s := space(t, c, u); s.Partner != nil {
		t.Fatal("joined with a revoked invite")
	}
}

func TestCouples_UnknownInvite(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	u := newPartner(t, acc, "Oz")
	start(t, c, u, service.StartInput{})
	good := invite(t, c, u, mend.InvitePartner)
	joiner := newPartner(t, acc, "Pia")
	for _, token := range []string{"", "not-a-token", good + "x", good[:len(good)-1], strings.Repeat("a", 5000)} {
		_, err := c.Invite(ctx, token)
		wantErr(t, err, mend.ErrInviteUnknown, fmt.Sprintf("token %.20q", token))
		wantCode(t, err, mend.NotFound, "unknown token")
		_, err = c.Accept(ctx, joiner, token)
		wantErr(t, err, mend.ErrInviteUnknown, "accept unknown token")
	}
}

func TestCouples_InviteExpiresAfterSevenDays(t *testing.T) {
	t.Parallel()
	c, acc, _, clk := newCouples(t)
	ctx := context.Background()
	u := newPartner(t, acc, "Quin")
	joiner := newPartner(t, acc, "Rae")
	start(t, c, u, service.StartInput{})
	created := clk.t
	token := invite(t, c, u, mend.InvitePartner)

	clk.t = created.Add(mend.InviteLifetime - time.Second)
	if _, err := c.Invite(ctx, token); err != nil {
		t.Fatalf("a second before 7 days: %v", err)
	}
	clk.t = created.Add(mend.InviteLifetime)
	_, err := c.Invite(ctx, token)
	wantErr(t, err, mend.ErrInviteExpired, "after 7 days")
	wantCode(t, err, mend.Gone, "after 7 days")
	_, err = c.Accept(ctx, joiner, token)
	wantErr(t, err, mend.ErrInviteExpired, "accept after 7 days")
	if page, err := c.PartnerInvite(ctx, u); err != nil || page.Invite != nil {
		t.Fatalf("invite page still shows an expired invite: %+v (%v)", page, err)
	}
	if s := space(t, c, u); s.Partner != nil {
		t.Fatal("joined with an expired invite")
	}
	// A fresh invite works.
	accept(t, c, joiner, invite(t, c, u, mend.InvitePartner))
}

// ---- Joining ----

func TestCouples_JoinMakesTheSecondPartner(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	a := newPartner(t, acc, "Sol")
	b := newPartner(t, acc, "Tam")
	sa := start(t, c, a, service.StartInput{WhatHappened: "hidden_spending"})
	token := invite(t, c, a, mend.InvitePartner)
	sb := accept(t, c, b, token)
	if sb.CoupleID() != sa.CoupleID() || sb.UserID() != b.ID || sb.Role() != mend.RolePartner {
		t.Fatalf("joiner access = %+v", sb)
	}
	spA, spB := space(t, c, a), space(t, c, b)
	if spA.Partner == nil || spA.Partner.UserID != b.ID || spA.Partner.Name != "Tam" || !spA.Full() {
		t.Fatalf("starter sees partner %+v", spA.Partner)
	}
	if spB.Me.UserID != b.ID || spB.Partner == nil || spB.Partner.UserID != a.ID || spB.Partner.Name != "Sol" {
		t.Fatalf("joiner sees me %+v, partner %+v", spB.Me, spB.Partner)
	}
	// The starter's context is shown to both partners.
	if pc := spB.PartnerContext(); pc == nil || pc.WhatHappened != "hidden_spending" || pc.AuthorID != a.ID || len(spB.Contexts) != 1 {
		t.Fatalf("joiner sees context %+v", spB.Contexts)
	}
	if page, err := c.PartnerInvite(ctx, a); err != nil || page.Invite != nil {
		t.Fatalf("used invite still on the invite page: %+v (%v)", page, err)
	}
}

func TestCouples_InviteCannotBeUsedTwice(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a := newPartner(t, acc, "Uma")
	b := newPartner(t, acc, "Val")
	d := newPartner(t, acc, "Wes")
	access := start(t, c, a, service.StartInput{})
	token := invite(t, c, a, mend.InvitePartner)
	accept(t, c, b, token)

	_, err := c.Invite(ctx, token)
	wantErr(t, err, mend.ErrInviteUsed, "used invite")
	wantCode(t, err, mend.Gone, "used invite")
	_, err = c.Accept(ctx, d, token)
	wantErr(t, err, mend.ErrInviteUsed, "second use")
	if _, err := c.PartnerAccess(ctx, d); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("second user got a space: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM couple_members WHERE couple_id = $1`, access.CoupleID()); n != 2 {
		t.Fatalf("%d members", n)
	}

	// Two people with the same link at the same moment: one gets in.
	e := newPartner(t, acc, "Xia")
	f := newPartner(t, acc, "Yan")
	g := newPartner(t, acc, "Zed")
	start(t, c, e, service.StartInput{})
	token = invite(t, c, e, mend.InvitePartner)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, u := range []*mend.User{f, g} {
		wg.Go(func() { _, errs[i] = c.Accept(ctx, u, token) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, mend.ErrInviteUsed):
		default:
			t.Fatalf("racing join: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of 2 racing joins with one link succeeded", ok)
	}
}

func TestCouples_ThirdPartnerRefused(t *testing.T) {
	t.Parallel()
	c, acc, db, clk := newCouples(t)
	ctx := context.Background()
	a := newPartner(t, acc, "Abe")
	b := newPartner(t, acc, "Bea")
	third := newPartner(t, acc, "Cal")
	access := start(t, c, a, service.StartInput{})
	token := invite(t, c, a, mend.InvitePartner)
	// A second open partner invite of the same couple, made before anyone joined.
	spare := extraInvite(t, db, access.CoupleID(), a.ID, mend.InvitePartner, clk.t.Add(mend.InviteLifetime))
	accept(t, c, b, token)

	// Neither partner can invite a third.
	for _, u := range []*mend.User{a, b} {
		_, _, err := c.CreateInvite(ctx, u, mend.InvitePartner)
		wantErr(t, err, mend.ErrSpaceFull, u.Name+" invites a third partner")
	}
	// The spare invite is refused at the door too, and stays unused.
	_, err := c.Accept(ctx, third, spare)
	wantErr(t, err, mend.ErrSpaceFull, "third partner with a second invite")
	if n := count(t, db, `SELECT count(*) FROM couple_members WHERE couple_id = $1 AND left_at IS NULL`, access.CoupleID()); n != 2 {
		t.Fatalf("%d partners, want 2", n)
	}
	if n := count(t, db, `SELECT count(*) FROM invites WHERE couple_id = $1 AND used_at IS NOT NULL`, access.CoupleID()); n != 1 {
		t.Fatalf("%d used invites, want 1", n)
	}
	if _, err := c.PartnerAccess(ctx, third); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("third partner has a space: %v", err)
	}
}

func TestCouples_RacingJoinsWithDifferentInvitesMakeAtMostTwoPartners(t *testing.T) {
	t.Parallel()
	c, acc, db, clk := newCouples(t)
	ctx := context.Background()
	for round := range 3 {
		a := newPartner(t, acc, fmt.Sprintf("Starter%d", round))
		access := start(t, c, a, service.StartInput{})
		const n = 4
		tokens := []string{invite(t, c, a, mend.InvitePartner)}
		for len(tokens) < n {
			tokens = append(tokens, extraInvite(t, db, access.CoupleID(), a.ID, mend.InvitePartner, clk.t.Add(time.Hour)))
		}
		joiners := make([]*mend.User, n)
		for i := range joiners {
			joiners[i] = newPartner(t, acc, fmt.Sprintf("Joiner%d.%d", round, i))
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { _, errs[i] = c.Accept(ctx, joiners[i], tokens[i]) })
		}
		wg.Wait()
		ok := 0
		for i, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, mend.ErrSpaceFull):
			default:
				t.Fatalf("round %d, joiner %d: %v", round, i, err)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d of %d racing joins succeeded, want 1", round, ok, n)
		}
		if k := count(t, db, `SELECT count(*) FROM couple_members WHERE couple_id = $1 AND left_at IS NULL`, access.CoupleID()); k != 2 {
			t.Fatalf("round %d: %d partners", round, k)
		}
	}
}

func TestCouples_JoinWhileInAnotherSpaceIsConflict(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	a := newPartner(t, acc, "Dee")
	other := newPartner(t, acc, "Eve")
	b := newPartner(t, acc, "Flo")
	access := start(t, c, a, service.StartInput{})
	otherAccess := start(t, c, other, service.StartInput{})
	token := invite(t, c, a, mend.InvitePartner)

	_, err := c.Accept(ctx, other, token)
	wantCode(t, err, mend.Conflict, "partner of another space joins")
	_, err = c.Accept(ctx, a, token)
	wantCode(t, err, mend.Conflict, "inviter accepts own invite")
	if got, err := c.PartnerAccess(ctx, other); err != nil || got.CoupleID() != otherAccess.CoupleID() {
		t.Fatalf("the other partner moved: %+v %v", got, err)
	}
	// The refusals did not use up the invite.
	if got := accept(t, c, b, token); got.CoupleID() != access.CoupleID() {
		t.Fatalf("joined %d, want %d", got.CoupleID(), access.CoupleID())
	}
}

func TestCouples_TherapistCannotAcceptPartnerInvite(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a := newPartner(t, acc, "Gus")
	th := newTherapist(t, acc, "Hana", "Hana Obi, MFT")
	start(t, c, a, service.StartInput{})
	token := invite(t, c, a, mend.InvitePartner)
	_, err := c.Accept(ctx, th, token)
	wantCode(t, err, mend.Forbidden, "therapist accepts a partner invite")
	if n := count(t, db, `SELECT count(*) FROM couple_members WHERE user_id = $1`, th.ID); n != 0 {
		t.Fatal("therapist became a partner")
	}
	if n := count(t, db, `SELECT count(*) FROM therapist_links`); n != 0 {
		t.Fatal("a partner invite linked a therapist")
	}
	if _, err := c.Invite(ctx, token); err != nil {
		t.Fatalf("invite used up by a refused therapist: %v", err)
	}
}

func TestCouples_PartnerCannotAcceptTherapistInvite(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a, b, _ := pair(t, c, acc, "Ivy", "Jay")
	stranger := newPartner(t, acc, "Kit")
	token := invite(t, c, a, mend.InviteTherapist)
	for _, u := range []*mend.User{a, b, stranger} {
		_, err := c.Accept(ctx, u, token)
		wantCode(t, err, mend.Forbidden, u.Name+" accepts a therapist invite")
	}
	if n := count(t, db, `SELECT count(*) FROM therapist_links`); n != 0 {
		t.Fatal("a partner was linked as therapist")
	}
	if _, err := c.PartnerAccess(ctx, stranger); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("stranger got a space: %v", err)
	}
	if _, err := c.Invite(ctx, token); err != nil {
		t.Fatalf("therapist invite used up: %v", err)
	}
}

func TestCouples_AccountThatJustBecameTherapistCannotBecomePartner(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a := newPartner(t, acc, "Lea")
	start(t, c, a, service.StartInput{})
	token := invite(t, c, a, mend.InvitePartner)
	// Two requests of one person at the same moment: the settings upgrade to
	// therapist, and the join (or start) page, which loaded the account just
	// before the upgrade was stored.
	joiner := newPartner(t, acc, "Mac")
	starter := newPartner(t, acc, "Nix")
	for _, u := range []*mend.User{joiner, starter} {
		if _, err := acc.BecomeTherapist(ctx, u, u.Name+" Rowe, MFT"); err != nil {
			t.Fatal(err)
		}
	}
	_, errJoin := c.Accept(ctx, joiner, token)
	_, errStart := c.Start(ctx, starter, service.StartInput{})
	if n := count(t, db, `SELECT count(*) FROM couple_members m JOIN users u ON u.id = m.user_id WHERE u.professional_name IS NOT NULL AND m.left_at IS NULL`); n != 0 {
		t.Fatalf("therapist accounts are partners in %d space(s) (join: %v, start: %v)", n, errJoin, errStart)
	}
}

// ---- Leaving ----

func TestCouples_LeaveNeedsThePassword(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	a, b, _ := pair(t, c, acc, "Lia", "Max")
	if msg := fieldErr(t, c.Leave(ctx, a, "", client), "password"); msg == "" {
		t.Fatal("empty password: no message")
	}
	if msg := fieldErr(t, c.Leave(ctx, a, "not my password", client), "password"); msg == "" {
		t.Fatal("wrong password: no message")
	}
	if s := space(t, c, b); s.Partner == nil || s.Partner.UserID != a.ID {
		t.Fatal("left without the right password")
	}
	if err := c.Leave(ctx, a, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	err := c.Leave(ctx, a, goodPassword, client)
	wantCode(t, err, mend.NotFound, "leaving twice")
}

func TestCouples_LeaveTakesTheLeaverAndTheirContextOut(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Nia", "Oli") // a wrote the context
	if err := c.Leave(ctx, a, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	_, err := c.PartnerAccess(ctx, a)
	wantCode(t, err, mend.NotFound, "leaver's access")
	_, err = c.Space(ctx, a)
	wantCode(t, err, mend.NotFound, "leaver's space")

	s := space(t, c, b)
	if s.Access.CoupleID() != access.CoupleID() || s.Me.UserID != b.ID || s.Partner != nil || s.Full() {
		t.Fatalf("stayer's space = %+v, partner %+v", s, s.Partner)
	}
	if len(s.Contexts) != 0 {
		t.Fatalf("the leaver's context still shows: %+v", s.Contexts)
	}
	if n := count(t, db, `SELECT count(*) FROM couple_context WHERE couple_id = $1 AND author_id = $2`, access.CoupleID(), a.ID); n != 1 {
		t.Fatalf("the leaver's context row is gone (%d rows); it stays theirs", n)
	}

	// The stayer invites again and a new partner joins; the context stays hidden.
	newcomer := newPartner(t, acc, "Pat")
	if got := accept(t, c, newcomer, invite(t, c, b, mend.InvitePartner)); got.CoupleID() != access.CoupleID() {
		t.Fatalf("newcomer joined %d", got.CoupleID())
	}
	s = space(t, c, b)
	if s.Partner == nil || s.Partner.UserID != newcomer.ID || len(s.Contexts) != 0 {
		t.Fatalf("after re-inviting: partner %+v, context %+v", s.Partner, s.Contexts)
	}
	if s := space(t, c, newcomer); len(s.Contexts) != 0 {
		t.Fatalf("newcomer sees the leaver's context: %+v", s.Contexts)
	}

	// The leaver is free to start again.
	if got := start(t, c, a, service.StartInput{}); got.CoupleID() == access.CoupleID() {
		t.Fatal("leaver's new space is the old one")
	}
}

func TestCouples_ContextStaysWhenTheOtherPartnerLeaves(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	a, b, _ := pair(t, c, acc, "Rex", "Sia") // a wrote the context
	if err := c.Leave(ctx, b, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	if s := space(t, c, a); s.Partner != nil || s.MyContext() == nil || !s.MyContext().Earlier {
		t.Fatalf("author's space after the other left: partner %+v, context %+v", s.Partner, s.Contexts)
	}
}

func TestCouples_LeaverConsentHistoryNoLongerShows(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Tia", "Uri")
	if _, err := c.SetDefaults(ctx, a, map[string]bool{mend.KindCheckins: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetDefaults(ctx, b, map[string]bool{mend.KindTriggers: true, mend.KindCommitments: true}); err != nil {
		t.Fatal(err)
	}
	if h := sharing(t, c, a).History; len(h) != 3 {
		t.Fatalf("history before leaving has %d rows, want 3", len(h))
	}
	if err := c.Leave(ctx, b, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	page := sharing(t, c, a)
	if len(page.History) != 1 {
		t.Fatalf("history after the partner left has %d rows, want 1: %+v", len(page.History), page.History)
	}
	for _, e := range page.History {
		if e.UserID == b.ID {
			t.Fatalf("the leaver's consent still shows: %+v", e)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM consent_events WHERE couple_id = $1 AND user_id = $2`, access.CoupleID(), b.ID); n != 2 {
		t.Fatalf("the leaver's consent rows: %d, want 2 kept", n)
	}
}

func TestCouples_LeaveCancelsTheLeaversInvites(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	a, b, _ := pair(t, c, acc, "Vic", "Wyn")
	token := invite(t, c, b, mend.InviteTherapist)
	if err := c.Leave(ctx, b, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	_, err := c.Invite(ctx, token)
	wantErr(t, err, mend.ErrInviteRevoked, "the leaver's therapist invite")
	if sharing(t, c, a).TherapistInvite != nil {
		t.Fatal("the leaver's therapist invite still on the sharing page")
	}
}

func TestCouples_LeavingEndsTheTherapistLink(t *testing.T) {
	t.Parallel()
	c, acc, _, _ := newCouples(t)
	ctx := context.Background()
	a, b, access := pair(t, c, acc, "Xan", "Yul")
	th := newTherapist(t, acc, "Zoe", "Zoe Park, LMFT")
	link(t, c, a, th)

	if err := c.Leave(ctx, a, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	// The therapist was invited by this pair: when the pair changes, the
	// link ends at once, and the one who stays can invite again.
	_, err := c.TherapistAccess(ctx, th, access.CoupleID())
	wantCode(t, err, mend.NotFound, "therapist access after one partner left")
	if list, err := c.Caseload(ctx, th); err != nil || len(list) != 0 {
		t.Fatalf("caseload after a partner left = %+v (%v)", list, err)
	}
	// Re-invited by the one who stayed, alone: the link waits for a
	// partner who joins and agrees, and gives nothing until then.
	accept(t, c, th, invite(t, c, b, mend.InviteTherapist))
	_, err = c.TherapistAccess(ctx, th, access.CoupleID())
	wantCode(t, err, mend.NotFound, "therapist access while the one who stayed is alone")
	if list, err := c.Caseload(ctx, th); err != nil || len(list) != 1 || !list[0].Pending || list[0].CoupleID != 0 {
		t.Fatalf("caseload while pending = %+v (%v)", list, err)
	}
	// An open invite of the one who stays, soon the last to leave.
	partnerToken := invite(t, c, b, mend.InvitePartner)

	if err := c.Leave(ctx, b, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	_, err = c.TherapistAccess(ctx, th, access.CoupleID())
	wantCode(t, err, mend.NotFound, "therapist access after everyone left")
	if list, err := c.Caseload(ctx, th); err != nil || len(list) != 0 {
		t.Fatalf("caseload after everyone left = %+v (%v)", list, err)
	}
	_, err = c.Overview(ctx, th, access.CoupleID())
	wantCode(t, err, mend.NotFound, "overview after everyone left")
	_, err = c.Invite(ctx, partnerToken)
	wantErr(t, err, mend.ErrInviteRevoked, "invite into an empty space")
}

func TestCouples_BothLeavingAtOnceEndsEverything(t *testing.T) {
	t.Parallel()
	c, acc, db, _ := newCouples(t)
	ctx := context.Background()
	for range 5 {
		a, b, access := pair(t, c, acc, "Ola", "Pia")
		th := newTherapist(t, acc, "Quin", "Quin Rao")
		link(t, c, a, th)
		var wg sync.WaitGroup
		for _, u := range []*mend.User{a, b} {
			wg.Go(func() {
				if err := c.Leave(ctx, u, goodPassword, client); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		var active, open int
		db.Pool.QueryRow(ctx, `SELECT count(*) FROM therapist_links WHERE couple_id = $1 AND ended_at IS NULL`, access.CoupleID()).Scan(&active)
		db.Pool.QueryRow(ctx, `SELECT count(*) FROM invites WHERE couple_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, access.CoupleID()).Scan(&open)
		if active != 0 || open != 0 {
			t.Fatalf("after both left at once: %d active links, %d open invites", active, open)
		}
	}
}

func TestCouples_ANewPartnerSeesNothingOfThePreviousPair(t *testing.T) {
	t.Parallel()
	c, acc, _, clk := newCouples(t)
	ctx := context.Background()
	ana := newPartner(t, acc, "Ana")
	if _, err := c.Start(ctx, ana, service.StartInput{WhatHappened: "affair", Details: "about the colleague", Rebuilding: "partner"}); err != nil {
		t.Fatal(err)
	}
	ben := newPartner(t, acc, "Ben")
	accept(t, c, ben, invite(t, c, ana, mend.InvitePartner))
	th := newTherapist(t, acc, "Tess", "Tess Lee")
	link(t, c, ana, th)
	if _, err := c.Overview(ctx, th, mustAccess(t, c, ana).CoupleID()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetDefaults(ctx, ana, map[string]bool{mend.KindCheckins: true}); err != nil {
		t.Fatal(err)
	}
	if sp, _ := c.Space(ctx, ben); sp.PartnerContext() == nil || sp.PartnerContext().Details != "about the colleague" {
		t.Fatal("Ben, the partner it was about, should see the context")
	}
	if err := c.Leave(ctx, ben, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	clk.t = clk.t.Add(time.Minute)
	cal := newPartner(t, acc, "Cal")
	accept(t, c, cal, invite(t, c, ana, mend.InvitePartner))

	sp, err := c.Space(ctx, cal)
	if err != nil || sp.Partner == nil || sp.Partner.Name != "Ana" {
		t.Fatalf("Cal's space: %+v %v", sp, err)
	}
	if len(sp.Contexts) != 0 {
		t.Fatalf("Cal sees what Ana wrote about her previous partner: %+v", sp.Contexts)
	}
	if own, _ := c.Space(ctx, ana); own.MyContext() == nil || !own.MyContext().Earlier {
		t.Fatal("Ana, the author, should still see her context")
	}
	page, err := c.Sharing(ctx, cal)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Views) != 0 || len(page.Links) != 0 || len(page.History) != 0 {
		t.Fatalf("Cal sees the previous pair's history: views %v links %v consent %v", page.Views, page.Links, page.History)
	}
	// Ana's current choice is still hers to show.
	if !page.Shares(ana.ID, mend.KindCheckins) {
		t.Fatal("Ana's current default should show")
	}
	if page, _ := c.Sharing(ctx, ana); len(page.Views) != 1 || len(page.Links) != 1 {
		t.Fatalf("Ana keeps her own history: views %d links %d", len(page.Views), len(page.Links))
	}
}

func TestCouples_RejoiningStartsSharingFromNothing(t *testing.T) {
	t.Parallel()
	c, acc, _, clk := newCouples(t)
	ctx := context.Background()
	a, b, _ := pair(t, c, acc, "Ana", "Ben")
	all := map[string]bool{mend.KindCheckins: true, mend.KindCommitments: true, mend.KindTriggers: true}
	if _, err := c.SetDefaults(ctx, b, all); err != nil {
		t.Fatal(err)
	}
	if err := c.Leave(ctx, b, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	clk.t = clk.t.Add(time.Minute)
	accept(t, c, b, invite(t, c, a, mend.InvitePartner))
	for _, k := range mend.SharedKinds {
		if shared, err := sharesByDefault(ctx, c, b, k.Value); err != nil || shared {
			t.Fatalf("after rejoining, %s shared by default = %v (%v): an old choice came back", k.Value, shared, err)
		}
	}
	if page, _ := c.Sharing(ctx, a); len(page.History) != 0 {
		t.Fatalf("Ben's choices from before he left still listed: %v", page.History)
	}
}
