package mend_test

import (
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

func TestGuidancePhase(t *testing.T) {
	start := time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{start, mend.PhaseFirstWeeks},
		{start.AddDate(0, 0, 29), mend.PhaseFirstWeeks},
		{start.AddDate(0, 0, 30), mend.PhaseMonths},
		{start.AddDate(0, 6, 0).Add(-time.Minute), mend.PhaseMonths},
		{start.AddDate(0, 6, 0), mend.PhaseLater},
		{start.AddDate(2, 0, 0), mend.PhaseLater},
	} {
		if got := mend.GuidancePhase(start, tc.at); got != tc.want {
			t.Errorf("%s after the start: %s, want %s", tc.at.Sub(start), got, tc.want)
		}
	}
}

func TestGuidanceRole_FromTheStartingWords(t *testing.T) {
	me, partner := int64(1), int64(2)
	ctx := func(author int64, rebuilding string) mend.CoupleContext {
		return mend.CoupleContext{AuthorID: author, Rebuilding: rebuilding}
	}
	for _, tc := range []struct {
		name     string
		contexts []mend.CoupleContext
		want     string
	}{
		{"nobody said", nil, mend.RoleBoth},
		{"I said me", []mend.CoupleContext{ctx(me, "me")}, mend.RoleRebuilding},
		{"I said my partner", []mend.CoupleContext{ctx(me, "partner")}, mend.RoleHurt},
		{"my partner said me", []mend.CoupleContext{ctx(partner, "me")}, mend.RoleHurt},
		{"my partner said their partner", []mend.CoupleContext{ctx(partner, "partner")}, mend.RoleRebuilding},
		{"we agree", []mend.CoupleContext{ctx(me, "me"), ctx(partner, "partner")}, mend.RoleRebuilding},
		{"we disagree", []mend.CoupleContext{ctx(me, "me"), ctx(partner, "me")}, mend.RoleBoth},
		{"both of us", []mend.CoupleContext{ctx(me, "both")}, mend.RoleBoth},
		{"left empty", []mend.CoupleContext{ctx(me, "")}, mend.RoleBoth},
		{"earlier pair", []mend.CoupleContext{{AuthorID: me, Rebuilding: "me", Earlier: true}}, mend.RoleBoth},
	} {
		sp := &mend.Space{Me: mend.Member{UserID: me}, Partner: &mend.Member{UserID: partner}, Contexts: tc.contexts}
		if got := mend.GuidanceRole(sp); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestNextGuidance_ByRolePhasePlaceAndDismissal(t *testing.T) {
	// Each role sees its own cards and the cards for both, never the other role's.
	for _, role := range []string{mend.RoleRebuilding, mend.RoleHurt, mend.RoleBoth} {
		for _, phase := range []string{mend.PhaseFirstWeeks, mend.PhaseMonths, mend.PhaseLater} {
			for _, place := range []string{mend.PlaceToday, mend.PlaceCommitments, mend.PlaceMinute} {
				dismissed := map[string]bool{}
				seen := 0
				for c := mend.NextGuidance(role, phase, place, dismissed); c != nil; c = mend.NextGuidance(role, phase, place, dismissed) {
					if c.Role != role && c.Role != mend.RoleBoth {
						t.Fatalf("%s/%s/%s: card %s for %s", role, phase, place, c.Key, c.Role)
					}
					if len(c.Phases) > 0 && !strings.Contains(strings.Join(c.Phases, " "), phase) {
						t.Fatalf("%s/%s/%s: card %s is for %v", role, phase, place, c.Key, c.Phases)
					}
					if dismissed[c.Key] {
						t.Fatalf("dismissed card %s came back", c.Key)
					}
					// Dismissing shows the next one.
					dismissed[c.Key] = true
					seen++
				}
				if seen == 0 && place == mend.PlaceToday {
					t.Errorf("%s/%s: no card on Today", role, phase)
				}
			}
		}
	}
	// The first weeks and later differ for the partner who was hurt.
	early := mend.NextGuidance(mend.RoleHurt, mend.PhaseFirstWeeks, mend.PlaceMinute, nil)
	later := mend.NextGuidance(mend.RoleHurt, mend.PhaseLater, mend.PlaceMinute, nil)
	if early == nil || later == nil || early.Key != "hurt-valid" || later.Key != "hurt-worth" {
		t.Fatalf("the hurt partner's minute: %+v early, %+v later", early, later)
	}
	// The minute of help follows one's own trigger: the partner rebuilding
	// trust is not told there about the other's healing, only what is
	// said to both about triggers.
	for _, phase := range []string{mend.PhaseFirstWeeks, mend.PhaseMonths, mend.PhaseLater} {
		dismissed := map[string]bool{}
		for c := mend.NextGuidance(mend.RoleRebuilding, phase, mend.PlaceMinute, dismissed); c != nil; c = mend.NextGuidance(mend.RoleRebuilding, phase, mend.PlaceMinute, dismissed) {
			if c.Role != mend.RoleBoth {
				t.Errorf("%s: the minute after one's own trigger shows %q", phase, c.Title)
			}
			dismissed[c.Key] = true
		}
	}
	if c := mend.NextGuidance(mend.RoleRebuilding, mend.PhaseMonths, mend.PlaceCommitments, nil); c == nil || c.Key != "rebuilding-consistency" {
		t.Fatalf("commitments, rebuilding, months: %+v", c)
	}
	// Unclear roles see only cards for both.
	if c := mend.NextGuidance(mend.RoleBoth, mend.PhaseMonths, mend.PlaceToday, nil); c == nil || c.Role != mend.RoleBoth {
		t.Fatalf("unclear role: %+v", c)
	}
}

func TestGuidanceCards_AreShortKindAndUnlabelled(t *testing.T) {
	keys := map[string]bool{}
	for _, c := range mend.GuidanceCards {
		if keys[c.Key] || c.Key == "" || len(c.Key) > 60 {
			t.Errorf("card key %q is empty, too long or repeated", c.Key)
		}
		keys[c.Key] = true
		if c.Title == "" || len(c.Title) > 60 {
			t.Errorf("%s: title %q", c.Key, c.Title)
		}
		if n := strings.Count(c.Body, ". "); n < 1 || n > 2 || !strings.HasSuffix(c.Body, ".") {
			t.Errorf("%s: want two or three sentences, got %q", c.Key, c.Body)
		}
		words := strings.ToLower(c.Title + " " + c.Body)
		for _, label := range []string{"betray", "victim", "cheat", "offend", "injured party", "blame", "fault", "!"} {
			if strings.Contains(words, label) {
				t.Errorf("%s says %q", c.Key, label)
			}
		}
		if len(c.Places) == 0 || (c.Role != mend.RoleRebuilding && c.Role != mend.RoleHurt && c.Role != mend.RoleBoth) {
			t.Errorf("%s: role %q, places %v", c.Key, c.Role, c.Places)
		}
	}
}
