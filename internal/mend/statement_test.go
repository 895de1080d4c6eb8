package mend_test

import (
	"testing"

	"github.com/mend-app/mend/internal/mend"
)

func TestSpace_RebuildingTrust(t *testing.T) {
	const me, partner = 1, 2
	for _, c := range []struct {
		name     string
		contexts []mend.CoupleContext
		me, them bool
	}{
		{"nobody said", nil, false, false},
		{"I said me", []mend.CoupleContext{{AuthorID: me, Rebuilding: "me"}}, true, false},
		{"I said my partner", []mend.CoupleContext{{AuthorID: me, Rebuilding: "partner"}}, false, true},
		{"they said my partner", []mend.CoupleContext{{AuthorID: partner, Rebuilding: "partner"}}, true, false},
		{"they said me", []mend.CoupleContext{{AuthorID: partner, Rebuilding: "me"}}, false, true},
		{"both", []mend.CoupleContext{{AuthorID: partner, Rebuilding: "both"}}, true, true},
		{"earlier words do not count", []mend.CoupleContext{{AuthorID: me, Rebuilding: "me", Earlier: true}}, false, false},
	} {
		sp := &mend.Space{Me: mend.Member{UserID: me}, Partner: &mend.Member{UserID: partner}, Contexts: c.contexts}
		if got := sp.RebuildingTrust(me); got != c.me {
			t.Errorf("%s: me %v, want %v", c.name, got, c.me)
		}
		if got := sp.RebuildingTrust(partner); got != c.them {
			t.Errorf("%s: partner %v, want %v", c.name, got, c.them)
		}
	}
}
