package service_test

import (
	"context"
	"slices"
	"testing"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// A therapist who opens several pages in a row shows on both partners'
// Sharing pages as one visit, each kind named once in the order opened; a
// partner who joins later sees none of the visits from before.
func TestSharing_PagesOpenedInARowShowAsOneVisit(t *testing.T) {
	t.Parallel()
	e := newSpaceEnv(t, "Ana", "Ben")
	ctx := context.Background()
	ana, ben, coupleID := e.pairIn(t, "UTC", "Europe/Paris")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, ana, th)
	ci, co, pr := service.NewCheckins(e.db, e.c), service.NewCommitments(e.db, e.c), service.NewProgress(e.db, e.c)
	ci.Now, co.Now, pr.Now = e.clk.now, e.clk.now, e.clk.now
	openAll := func() {
		t.Helper()
		if _, err := pr.ForTherapist(ctx, th, coupleID, 4); err != nil {
			t.Fatal(err)
		}
		if _, err := ci.ForTherapist(ctx, th, coupleID, 4, "", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := co.ForTherapist(ctx, th, coupleID, "", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := pr.ForTherapist(ctx, th, coupleID, 12); err != nil {
			t.Fatal(err)
		}
	}
	openAll()

	wantKinds := []string{"progress", "checkins", "commitments"}
	for _, p := range []*mend.User{ana, ben} {
		page := sharing(t, e.c, p)
		if len(page.Visits) != 1 || page.OlderVisits {
			t.Fatalf("%s sees visits %+v (older %v), want one", p.Name, page.Visits, page.OlderVisits)
		}
		v := page.Visits[0]
		if v.TherapistID != th.ID || v.Therapist != "Tess" || v.Pages != 4 || !slices.Equal(v.Kinds, wantKinds) || v.From.After(v.To) {
			t.Fatalf("%s sees visit %+v, want Tess's 4 pages of %v", p.Name, v, wantKinds)
		}
	}
	// Every page stays in the record.
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1`, coupleID); n != 4 {
		t.Fatalf("%d view rows, want 4", n)
	}

	// That visit was hours ago; Ben leaves and Cal joins, and after the
	// new pair agrees, Tess visits again.
	mustExecIn(t, e, `UPDATE therapist_views SET viewed_at = viewed_at - interval '2 hours' WHERE couple_id = $1`, coupleID)
	mustExecIn(t, e, `UPDATE couple_members SET joined_at = joined_at - interval '3 hours' WHERE couple_id = $1`, coupleID)
	if err := e.c.Leave(ctx, ben, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	cal := newPartner(t, e.acc, "Cal")
	accept(t, e.c, cal, invite(t, e.c, ana, mend.InvitePartner))
	link(t, e.c, ana, th)
	if _, err := ci.ForTherapist(ctx, th, coupleID, 4, "", ""); err != nil {
		t.Fatal(err)
	}

	if page := sharing(t, e.c, cal); len(page.Visits) != 1 || page.Visits[0].Pages != 1 || !slices.Equal(page.Visits[0].Kinds, []string{"checkins"}) {
		t.Fatalf("Cal, who joined later, sees visits %+v; want only the one since", page.Visits)
	}
	page := sharing(t, e.c, ana)
	if len(page.Visits) != 2 || page.Visits[0].Pages != 1 || page.Visits[1].Pages != 4 || !slices.Equal(page.Visits[1].Kinds, wantKinds) {
		t.Fatalf("Ana sees visits %+v; want the new one, then the earlier one", page.Visits)
	}
}

func mustExecIn(t *testing.T, e spaceEnv, sql string, args ...any) {
	t.Helper()
	if _, err := e.db.Pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
