package service_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// statementParts is a whole statement, each part marked with word.
func statementParts(word string) map[string]string {
	return map[string]string{
		mend.PartDid:      "I lied to you for months " + word,
		mend.PartImpact:   "You stopped trusting your own memory " + word,
		mend.PartRegret:   "I regret every lie " + word,
		mend.PartChanging: "I show you my phone " + word,
	}
}

func allAnswers(choice map[string]string, notes map[string]string) map[string]service.StatementAnswerInput {
	in := map[string]service.StatementAnswerInput{}
	for _, p := range mend.StatementParts {
		c := choice[p.Key]
		if c == "" {
			c = "lands"
		}
		in[p.Key] = service.StatementAnswerInput{Choice: c, Note: notes[p.Key]}
	}
	return in
}

func statementPage(t *testing.T, s *service.Statements, u *mend.User) *mend.StatementPage {
	t.Helper()
	p, err := s.Page(context.Background(), u)
	if err != nil {
		t.Fatalf("%s's statement page: %v", u.Name, err)
	}
	return p
}

func TestStatements_VersionsAndTheAnswersToEachPart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ce := newCommitments(t)
	e := &ce.spaceEnv
	s := service.NewStatements(e.db, e.c)
	s.Now = e.clk.now
	ana, ben, _ := e.pairIn(t, "Europe/Berlin", "Europe/Berlin")
	cleo, _, _ := e.pairIn(t, "UTC", "UTC") // of another couple
	e.setNow(t, "2027-03-01T10:00:00Z")

	// Nobody is named yet: nobody writes.
	if _, err := s.Save(ctx, ben, service.StatementInput{Parts: statementParts("v0")}); !errors.Is(err, mend.ErrNotNamed) {
		t.Fatalf("Ben writes before anyone is named: %v", err)
	}
	// Ana's shared starting words name Ben as rebuilding trust.
	if err := e.c.SetContext(ctx, ana, service.ContextInput{Rebuilding: "partner", Visibility: string(mend.MyPartner)}); err != nil {
		t.Fatal(err)
	}
	if p := statementPage(t, s, ana); p.MayWrite {
		t.Error("Ana may write, though the words name only Ben")
	}
	if _, err := s.Save(ctx, ana, service.StatementInput{Parts: statementParts("ana")}); !errors.Is(err, mend.ErrNotNamed) {
		t.Fatalf("Ana writes a statement: %v", err)
	}
	phone := ce.active(t, ben, ana, promise("Phone open on the table", "2027-05-31"))
	anas := ce.active(t, ana, ben, promise("Ana's walk", "2027-05-31"))

	// A draft is Ben's alone.
	draft := map[string]string{mend.PartDid: "Only the first part so far"}
	if _, err := s.Save(ctx, ben, service.StatementInput{Parts: draft, FormKey: service.NewFormKey()}); err != nil {
		t.Fatal(err)
	}
	if p := statementPage(t, s, ana); p.Theirs != nil {
		t.Fatalf("Ana sees Ben's draft: %+v", p.Theirs)
	}
	td := e.newToday()
	waits := func(u *mend.User, want int) {
		t.Helper()
		if got := todayPage(t, td, u).StatementWaits; got != want {
			t.Errorf("%s's Today: version %d of a statement waits, want %d", u.Name, got, want)
		}
	}
	waits(ana, 0)
	if p := statementPage(t, s, ben); p.Mine == nil || p.Mine.Draft == nil || p.Mine.Draft.Did != "Only the first part so far" || len(p.Mine.Versions) != 0 {
		t.Fatalf("Ben's page: %+v", p.Mine)
	}
	// Sending needs every part, and links only Ben's own agreed commitments.
	_, err := s.Save(ctx, ben, service.StatementInput{Parts: draft, Send: true})
	if f := fieldsOf(err); f[mend.PartImpact] == "" || f[mend.PartRegret] == "" || f[mend.PartChanging] == "" || f[mend.PartDid] != "" {
		t.Fatalf("sending one part: %v", err)
	}
	_, err = s.Save(ctx, ben, service.StatementInput{Parts: statementParts("v1"), Commitments: []string{strconv.FormatInt(anas, 10)}, Send: true})
	if fieldsOf(err)["commitments"] == "" {
		t.Fatalf("linking Ana's commitment: %v", err)
	}
	key := service.NewFormKey()
	v1, err := s.Save(ctx, ben, service.StatementInput{Parts: statementParts("v1"), Commitments: []string{strconv.FormatInt(phone, 10)}, Send: true, FormKey: key})
	if err != nil || v1 == 0 {
		t.Fatal(v1, err)
	}
	if again, err := s.Save(ctx, ben, service.StatementInput{Parts: statementParts("v1"), Send: true, FormKey: key}); err != nil || again != 0 {
		t.Fatalf("the same form again: %d %v", again, err)
	}
	waits(ana, 1)
	waits(ben, 0)
	pa := statementPage(t, s, ana)
	if pa.Theirs == nil || len(pa.Theirs.Versions) != 1 || pa.Theirs.Draft != nil {
		t.Fatalf("Ana's view of Ben's statement: %+v", pa.Theirs)
	}
	if v := pa.Theirs.Versions[0]; v.ID != v1 || v.Number != 1 || v.Did != "I lied to you for months v1" {
		t.Fatalf("version 1 as Ana reads it: %+v", v)
	}
	if linked := pa.Linked(&pa.Theirs.Versions[0]); len(linked) != 1 || linked[0].Title != "Phone open on the table" {
		t.Fatalf("linked commitments: %+v", linked)
	}
	if r := pa.Space.StatementReaders(&pa.Theirs.Versions[0]); !r.Partner || r.Therapist {
		t.Errorf("readers of a sent version: %+v", r)
	}

	// Ana answers each part; every part needs a choice.
	in := allAnswers(map[string]string{mend.PartRegret: "more"}, map[string]string{mend.PartRegret: "Say what you regret, not that I found out."})
	missing := allAnswers(nil, nil)
	missing[mend.PartImpact] = service.StatementAnswerInput{}
	if f := fieldsOf(s.Answer(ctx, ana, v1, missing, "")); f["answer-"+mend.PartImpact] == "" || len(f) != 1 {
		t.Fatalf("an answer without a choice: %v", f)
	}
	if err := s.Answer(ctx, ben, v1, in, ""); !errors.Is(err, mend.ErrNoStatement) {
		t.Fatalf("Ben answers his own statement: %v", err)
	}
	akey := service.NewFormKey()
	if err := s.Answer(ctx, ana, v1, in, akey); err != nil {
		t.Fatal(err)
	}
	if err := s.Answer(ctx, ana, v1, in, akey); err != nil {
		t.Fatalf("the same answer form again: %v", err)
	}
	if err := s.Answer(ctx, ana, v1, in, ""); !errors.Is(err, mend.ErrNoStatement) {
		t.Fatalf("answering version 1 twice: %v", err)
	}
	waits(ana, 0)
	pb := statementPage(t, s, ben)
	mine := pb.Mine.Latest()
	if len(mine.Answers) != 4 {
		t.Fatalf("Ben reads %d answers, want 4: %+v", len(mine.Answers), mine.Answers)
	}
	if a := mine.Answer(ana.ID, mend.PartRegret); a == nil || a.Lands || a.Note != "Say what you regret, not that I found out." {
		t.Fatalf("the answer to what Ben regrets: %+v", a)
	}
	if a := mine.Answer(ana.ID, mend.PartDid); a == nil || !a.Lands {
		t.Fatalf("the answer to what Ben did: %+v", a)
	}

	// Ben revises: the new draft is his alone, and version 1 stays.
	if _, err := s.Save(ctx, ben, service.StatementInput{Parts: statementParts("v2 draft")}); err != nil {
		t.Fatal(err)
	}
	if pa := statementPage(t, s, ana); len(pa.Theirs.Versions) != 1 || pa.Theirs.Draft != nil {
		t.Fatalf("Ana sees Ben's revision before it is sent: %+v", pa.Theirs)
	}
	v2, err := s.Save(ctx, ben, service.StatementInput{Parts: statementParts("v2"), Send: true})
	if err != nil || v2 == v1 {
		t.Fatal(v2, err)
	}
	waits(ana, 2)
	pa = statementPage(t, s, ana)
	if len(pa.Theirs.Versions) != 2 || pa.Theirs.Versions[0].ID != v1 || pa.Theirs.Versions[1].ID != v2 || pa.Theirs.Versions[1].Number != 2 {
		t.Fatalf("versions after the revision: %+v", pa.Theirs.Versions)
	}
	if pa.Theirs.Versions[1].Regret != "I regret every lie v2" || pa.Theirs.Versions[0].Regret != "I regret every lie v1" {
		t.Fatalf("the versions' words: %+v", pa.Theirs.Versions)
	}
	if len(pa.Theirs.Versions[0].Answers) != 4 || len(pa.Theirs.Versions[1].Answers) != 0 {
		t.Fatalf("answers by version: %d, %d", len(pa.Theirs.Versions[0].Answers), len(pa.Theirs.Versions[1].Answers))
	}
	if err := s.Answer(ctx, ana, v1, in, ""); !errors.Is(err, mend.ErrNoStatement) {
		t.Fatalf("answering the older version: %v", err)
	}
	if err := s.Answer(ctx, ana, v2, allAnswers(nil, nil), ""); err != nil {
		t.Fatal(err)
	}
	if pb := statementPage(t, s, ben); len(pb.Mine.Versions) != 2 || len(pb.Mine.Versions[0].Answers) != 4 || len(pb.Mine.Versions[1].Answers) != 4 {
		t.Fatalf("Ben's versions and answers: %+v", pb.Mine.Versions)
	}

	// Ana takes back her answers to version 1: they go for both, the
	// version stays. Only she may: Ben wrote none, nor did another couple.
	for who, u := range map[string]*mend.User{"Ben": ben, "another couple's partner": cleo} {
		if err := s.DeleteAnswers(ctx, u, v1); mend.ErrorCode(err) != mend.NotFound {
			t.Fatalf("%s takes back Ana's answers: %v", who, err)
		}
	}
	if err := s.DeleteAnswers(ctx, ana, v1); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAnswers(ctx, ana, v1); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("taking back answers already gone: %v", err)
	}
	for who, u := range map[string]*mend.User{"Ana": ana, "Ben": ben} {
		p := statementPage(t, s, u)
		st := p.Theirs
		if u == ben {
			st = p.Mine
		}
		if len(st.Versions) != 2 || len(st.Versions[0].Answers) != 0 || len(st.Versions[1].Answers) != 4 {
			t.Fatalf("%s's page after Ana took back her answers to version 1: %+v", who, st.Versions)
		}
	}
	// Her answers to the latest version taken back, she answers it again.
	if err := s.DeleteAnswers(ctx, ana, v2); err != nil {
		t.Fatal(err)
	}
	waits(ana, 2)
	if err := s.Answer(ctx, ana, v2, allAnswers(nil, nil), ""); err != nil {
		t.Fatalf("answering again after taking back: %v", err)
	}

	// Another couple finds nothing of it.
	if p := statementPage(t, s, cleo); p.Theirs != nil || p.Mine != nil {
		t.Fatalf("another couple's partner sees %+v %+v", p.Theirs, p.Mine)
	}
	if err := s.Answer(ctx, cleo, v2, allAnswers(nil, nil), ""); !errors.Is(err, mend.ErrNoStatement) {
		t.Fatalf("another couple answers: %v", err)
	}

	// Ben deletes his statement: every version and answer goes.
	if err := s.Delete(ctx, ana); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Ana deletes a statement she has not: %v", err)
	}
	if err := s.Delete(ctx, ben); err != nil {
		t.Fatal(err)
	}
	if p := statementPage(t, s, ana); p.Theirs != nil {
		t.Fatalf("after deletion Ana sees %+v", p.Theirs)
	}
	var n int
	if err := e.db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM statement_versions) + (SELECT count(*) FROM statement_answers)`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("rows left after deletion: %d %v", n, err)
	}
}

// When the starting words name both partners, each writes their own
// statement and answers the other's; neither sees the other's draft.
func TestStatements_BothNamedWriteTheirOwn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newSpaceEnv(t, "Ana", "Ben")
	s := service.NewStatements(e.db, e.c)
	s.Now = e.clk.now
	ana, ben, _ := e.pairIn(t, "UTC", "UTC")
	if err := e.c.SetContext(ctx, ben, service.ContextInput{Rebuilding: "both", Visibility: string(mend.MyPartner)}); err != nil {
		t.Fatal(err)
	}
	va, err := s.Save(ctx, ana, service.StatementInput{Parts: statementParts("ana"), Send: true})
	if err != nil {
		t.Fatal(err)
	}
	vb, err := s.Save(ctx, ben, service.StatementInput{Parts: statementParts("ben"), Send: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, ben, service.StatementInput{Parts: statementParts("ben's draft")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Answer(ctx, ana, vb, allAnswers(nil, map[string]string{mend.PartDid: "ana answers ben"}), ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Answer(ctx, ben, va, allAnswers(map[string]string{mend.PartImpact: "more"}, nil), ""); err != nil {
		t.Fatal(err)
	}
	pa, pb := statementPage(t, s, ana), statementPage(t, s, ben)
	if !pa.MayWrite || !pb.MayWrite {
		t.Fatalf("may write: Ana %v, Ben %v", pa.MayWrite, pb.MayWrite)
	}
	if pa.Mine == nil || pa.Theirs == nil || pa.Mine.UserID != ana.ID || pa.Theirs.UserID != ben.ID || pa.Theirs.Draft != nil ||
		len(pa.Theirs.Versions) != 1 || pa.Theirs.Versions[0].Did != "I lied to you for months ben" {
		t.Fatalf("Ana's page: mine %+v, theirs %+v", pa.Mine, pa.Theirs)
	}
	if pb.Mine.Draft == nil || pb.Mine.Draft.Did != "I lied to you for months ben's draft" {
		t.Fatalf("Ben's draft: %+v", pb.Mine.Draft)
	}
	if a := pb.Mine.Latest().Answer(ana.ID, mend.PartDid); a == nil || a.Note != "ana answers ben" {
		t.Fatalf("Ana's answer on Ben's page: %+v", a)
	}
	if a := pa.Mine.Latest().Answer(ben.ID, mend.PartImpact); a == nil || a.Lands {
		t.Fatalf("Ben's answer on Ana's page: %+v", a)
	}
}
