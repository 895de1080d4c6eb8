package service_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// TestStatements_TherapistReadsOnlyAStatementItsWriterShares: a therapist
// reads the sent versions of a statement, with the answers, only when its
// writer chose to share it, while the writer shares the kind "statement"
// and the link lasts; never a draft; another couple's therapist and an
// ended link get NotFound; each view is logged; the labels follow the
// same rule.
func TestStatements_TherapistReadsOnlyAStatementItsWriterShares(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ce := newCommitments(t)
	e := &ce.spaceEnv
	s := service.NewStatements(e.db, e.c)
	ana, ben, coupleID := e.pairIn(t, "UTC", "UTC")
	cara, _, cID := pair(t, e.c, e.acc, "Cara", "Dan")
	tess := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, ben, tess)
	uma := newTherapist(t, e.acc, "Uma", "Uma Other")
	link(t, e.c, cara, uma)
	if err := e.c.SetContext(ctx, ben, service.ContextInput{Rebuilding: "me", Visibility: string(mend.MyPartner)}); err != nil {
		t.Fatal(err)
	}
	// Nothing to share yet.
	wantCode(t, s.Share(ctx, ben, true), mend.NotFound, "sharing no statement")
	v1, err := s.Save(ctx, ben, service.StatementInput{Parts: statementParts("v1"), Send: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Answer(ctx, ana, v1, allAnswers(map[string]string{mend.PartRegret: "more"}, map[string]string{mend.PartRegret: "Ana's note on v1"}), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, ben, service.StatementInput{Parts: statementParts("v2"), Send: true}); err != nil {
		t.Fatal(err)
	}
	// A draft, never the therapist's.
	if _, err := s.Save(ctx, ben, service.StatementInput{Parts: statementParts("draft")}); err != nil {
		t.Fatal(err)
	}
	views := 0
	seen := func(what string, want ...string) *mend.TherapistStatementPage {
		t.Helper()
		p, err := s.ForTherapist(ctx, tess, coupleID)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		views++
		var got []string
		for _, v := range p.Versions {
			if v.Draft() {
				t.Fatalf("%s: Tess reads a draft: %+v", what, v)
			}
			got = append(got, v.Did)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: Tess reads %q, want %q", what, got, want)
		}
		return p
	}
	readers := func(what string, partner, therapist bool) {
		t.Helper()
		sp, err := e.c.Space(ctx, ben)
		if err != nil {
			t.Fatal(err)
		}
		p := statementPage(t, s, ben)
		r := sp.StatementReaders(p.Mine.Latest())
		if r.Partner != partner || r.Therapist != therapist {
			t.Fatalf("%s: readers of Ben's latest version %+v", what, r)
		}
		if d := sp.StatementReaders(p.Mine.Draft); d.Partner || d.Therapist {
			t.Fatalf("%s: readers of the draft %+v", what, d)
		}
	}
	v1Did, v2Did := statementParts("v1")[mend.PartDid], statementParts("v2")[mend.PartDid]

	// Ben shares statements by default, but has not shared his: nothing.
	if _, err := e.c.SetDefaults(ctx, ben, map[string]bool{mend.KindStatement: true}); err != nil {
		t.Fatal(err)
	}
	seen("before Ben shares his statement")
	readers("not shared", true, false)
	// Only the writer shares it: Ana has no statement of hers.
	wantCode(t, s.Share(ctx, ana, true), mend.NotFound, "Ana sharing")
	if err := s.Share(ctx, ben, true); err != nil {
		t.Fatal(err)
	}
	p := seen("shared", v1Did, v2Did)
	if a := p.Versions[0].Answers; len(a) != 4 || p.Versions[0].Number != 1 || p.Versions[1].Number != 2 {
		t.Fatalf("Tess reads v1 with answers %+v", p.Versions[0])
	}
	found := false
	for _, a := range p.Versions[0].Answers {
		found = found || (a.Part == mend.PartRegret && !a.Lands && a.Note == "Ana's note on v1")
	}
	if !found || len(p.Versions[1].Answers) != 0 {
		t.Fatalf("answers Tess reads: %+v / %+v", p.Versions[0].Answers, p.Versions[1].Answers)
	}
	readers("shared", true, true)
	// Withdrawing the kind hides it, whatever the statement's choice.
	if _, err := e.c.SetDefaults(ctx, ben, map[string]bool{}); err != nil {
		t.Fatal(err)
	}
	seen("after Ben stops sharing the kind")
	readers("kind withdrawn", true, false)
	if _, err := e.c.SetDefaults(ctx, ben, map[string]bool{mend.KindStatement: true}); err != nil {
		t.Fatal(err)
	}
	seen("the kind shared again", v1Did, v2Did)
	if err := s.Share(ctx, ben, false); err != nil {
		t.Fatal(err)
	}
	seen("after Ben stops sharing his statement")
	// The form's box is the same choice: a draft kept with it ticked
	// shares the statement again, one kept without unshares it.
	if _, err := s.Save(ctx, ben, service.StatementInput{Parts: statementParts("draft"), Share: true}); err != nil {
		t.Fatal(err)
	}
	seen("a draft kept with the box ticked", v1Did, v2Did)
	if _, err := s.Save(ctx, ben, service.StatementInput{Parts: statementParts("draft")}); err != nil {
		t.Fatal(err)
	}
	seen("a draft kept without it")
	if err := s.Share(ctx, ben, true); err != nil {
		t.Fatal(err)
	}
	// Another couple's therapist, and a partner, are refused, and nothing
	// is logged for them.
	if _, err := s.ForTherapist(ctx, uma, coupleID); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Uma opens the couple's statement: %v", err)
	}
	if _, err := s.ForTherapist(ctx, ana, coupleID); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("a partner opens the therapist's page: %v", err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'statement'`, coupleID); n != views {
		t.Fatalf("%d views logged, want %d", n, views)
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'statement'`, cID.CoupleID()); n != 0 {
		t.Fatalf("%d views of Cara's couple", n)
	}
	// An ended link: nothing, and nothing logged.
	if _, err := e.c.EndTherapistLink(ctx, ana); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ForTherapist(ctx, tess, coupleID); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Tess opens it after the link ended: %v", err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'statement'`, coupleID); n != views {
		t.Fatalf("%d views logged after the link ended, want %d", n, views)
	}
}
