package service_test

import (
	"context"
	"errors"
	"testing"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

type safetyEnv struct {
	spaceEnv
	s *service.Safety
}

func newSafety(t *testing.T) *safetyEnv {
	t.Helper()
	e := &safetyEnv{spaceEnv: newSpaceEnv(t, "Ana", "Ben")}
	e.s = service.NewSafety(e.db, e.c)
	e.s.Now = e.clk.now
	return e
}

// due reports whether u's Today page, read by Today with e.s, offers the
// safety check. Outside a space (a therapist included) Today has no page
// of a space, so nothing offers it.
func (e *safetyEnv) due(t *testing.T, u *mend.User) bool {
	t.Helper()
	td := e.newToday()
	td.Safety = e.s
	p, err := td.Page(context.Background(), u)
	if errors.Is(err, service.ErrNoSpace) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	return p.SafetyDue
}

func TestSafety_OfferedAfterJoiningThenAtMostOnceAMonth(t *testing.T) {
	t.Parallel()
	e := newSafety(t)
	ctx := context.Background()
	lone := partnerIn(t, e.acc, "Noor", "UTC")
	if e.due(t, lone) {
		t.Fatal("offered to someone in no space")
	}
	ana, ben, _ := e.pairIn(t, "Europe/London", "America/Chicago")
	e.setNow(t, "2026-03-10T09:00:00Z")
	if !e.due(t, ana) || !e.due(t, ben) {
		t.Fatal("not offered to the partners of a new space")
	}
	// Ana sets it aside: nothing for a month, for her only.
	if err := e.s.Dismiss(ctx, ana); err != nil {
		t.Fatal(err)
	}
	if e.due(t, ana) || !e.due(t, ben) {
		t.Fatal("Not now should hide it for Ana only")
	}
	e.setNow(t, "2026-04-09T09:00:00Z")
	if e.due(t, ana) {
		t.Fatal("offered again within the month")
	}
	e.setNow(t, "2026-04-10T09:00:00Z")
	if !e.due(t, ana) {
		t.Fatal("not offered again a month later")
	}
	// Ben takes it: the next offer is a month from then.
	if _, err := e.s.Take(ctx, ben, map[string]string{"afraid": "no"}, ""); err != nil {
		t.Fatal(err)
	}
	if e.due(t, ben) {
		t.Fatal("offered right after the check")
	}
	e.setNow(t, "2026-05-10T09:00:00Z")
	if !e.due(t, ben) {
		t.Fatal("not offered a month after the check")
	}
	// Taking it any time, even when not offered, is fine; two Not nows in
	// one month record one row.
	if _, err := e.s.Take(ctx, ana, nil, ""); err != nil {
		t.Fatal(err)
	}
	e.setNow(t, "2026-07-01T09:00:00Z")
	for range 2 {
		if err := e.s.Dismiss(ctx, ana); err != nil {
			t.Fatal(err)
		}
	}
	var rows int
	e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM safety_checks WHERE user_id = $1`, ana.ID).Scan(&rows)
	if rows != 3 {
		t.Fatalf("Ana has %d rows, want March's Not now, a check and one Not now in July", rows)
	}
	// Therapists are never offered it, and cannot take it.
	th := newTherapist(t, e.acc, "Tess", "Dr Tess")
	if e.due(t, th) {
		t.Fatal("offered to a therapist")
	}
	if _, err := e.s.Take(ctx, th, nil, ""); mend.ErrorCode(err) != mend.Forbidden {
		t.Fatalf("a therapist's check: %v", err)
	}
}

func TestSafety_AnswersAreValidatedKeptAndReadOnlyByTheirTaker(t *testing.T) {
	t.Parallel()
	e := newSafety(t)
	ctx := context.Background()
	ana, ben, _ := e.pairIn(t, "UTC", "UTC")
	_, err := e.s.Take(ctx, ana, map[string]string{"afraid": "always", "harmed": "yes", "ending_life": "no"}, "")
	if msg := fieldErr(t, err, "afraid"); msg == "" {
		t.Fatal("an unknown answer was accepted")
	}
	if _, err := e.s.Last(ctx, ana); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("a refused check was stored: %v", err)
	}
	key := service.NewFormKey()
	answers := map[string]string{"afraid": "sometimes", "harmed": "", "safe_home": "unsure", "ending_life": "no"}
	for range 2 { // the same form twice: one check
		c, err := e.s.Take(ctx, ana, answers, key)
		if err != nil || !c.Worrying() || c.Crisis() || !c.Abuse() {
			t.Fatalf("take: %+v %v", c, err)
		}
	}
	last, err := e.s.Last(ctx, ana)
	if err != nil || last.Answers["afraid"] != "sometimes" || last.Answers["safe_home"] != "unsure" || last.Answers["ending_life"] != "no" {
		t.Fatalf("last = %+v %v", last, err)
	}
	if _, said := last.Answers["harmed"]; said {
		t.Fatal("a skipped question has an answer")
	}
	var rows int
	e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM safety_checks`).Scan(&rows)
	if rows != 1 {
		t.Fatalf("%d checks stored for one form", rows)
	}
	// Ben reads nothing of Ana's: his own "last" is none.
	if _, err := e.s.Last(ctx, ben); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Ben's last check: %v", err)
	}
	r, err := e.s.Result(ctx, ben)
	if err != nil || r.Check != nil {
		t.Fatalf("Ben's result shows a check: %+v %v", r, err)
	}
	// A calm check and a crisis answer.
	c, _ := e.s.Take(ctx, ben, map[string]string{"afraid": "no", "harmed": "no", "safe_home": "yes", "ending_life": "no"}, "")
	if c.Worrying() {
		t.Fatal("a calm check counts as worrying")
	}
	c, _ = e.s.Take(ctx, ben, map[string]string{"ending_life": "sometimes"}, "")
	if !c.Worrying() || !c.Crisis() || c.Abuse() {
		t.Fatalf("crisis answer: worrying %v crisis %v abuse %v", c.Worrying(), c.Crisis(), c.Abuse())
	}
	// No table with a couple id holds anything of a check.
	var coupleCols int
	e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM information_schema.columns WHERE table_name = 'safety_checks' AND column_name = 'couple_id'`).Scan(&coupleCols)
	if coupleCols != 0 {
		t.Fatal("safety_checks is keyed by a couple")
	}
}

func TestSafety_TheLineGoesOnlyToTheActiveTherapistAndEndsWithTheLink(t *testing.T) {
	t.Parallel()
	e := newSafety(t)
	ctx := context.Background()
	ana, ben, coupleID := e.pairIn(t, "UTC", "UTC")
	tess := newTherapist(t, e.acc, "Tess", "Dr Tess")
	other := newTherapist(t, e.acc, "Uma", "Uma PhD")
	e.setNow(t, "2026-03-10T09:00:00Z")

	// No therapist: nothing to send.
	if err := e.s.SendFlag(ctx, ana); mend.ErrorCode(err) != mend.Conflict {
		t.Fatalf("a line without a therapist: %v", err)
	}
	link(t, e.c, ana, tess)
	r, err := e.s.Result(ctx, ana)
	if err != nil || !r.InSpace || r.Therapist == nil || r.Therapist.ProfessionalName != "Dr Tess" || r.Flag != nil {
		t.Fatalf("result before the line: %+v %v", r, err)
	}
	if err := e.s.SendFlag(ctx, ana); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SendFlag(ctx, ana); err != nil { // again: still one
		t.Fatal(err)
	}
	if r, _ := e.s.Result(ctx, ana); r.Flag == nil || !r.Flag.SentAt.Equal(e.clk.t) {
		t.Fatalf("Ana does not see her line: %+v", r.Flag)
	}
	if r, _ := e.s.Result(ctx, ben); r.Flag != nil {
		t.Fatal("Ben sees a line he did not send")
	}
	flags := func(th *mend.User) []string {
		t.Helper()
		list, err := e.c.Caseload(ctx, th)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, c := range list {
			for _, f := range c.Flags {
				names = append(names, f.Name)
			}
		}
		o, err := e.c.Overview(ctx, th, coupleID)
		if err == nil && len(o.Flags) != len(names) {
			t.Fatalf("caseload shows %v, overview %+v", names, o.Flags)
		}
		return names
	}
	if got := flags(tess); len(got) != 1 || got[0] != "Ana" {
		t.Fatalf("Tess's lines: %v", got)
	}
	if got := flags(other); len(got) != 0 {
		t.Fatalf("another therapist sees %v", got)
	}
	// Only Tess may mark it done, and only for this couple.
	o, _ := e.c.Overview(ctx, tess, coupleID)
	if err := e.s.FlagDone(ctx, other, coupleID, o.Flags[0].ID); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("another therapist marked it: %v", err)
	}
	if err := e.s.FlagDone(ctx, tess, coupleID, o.Flags[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := flags(tess); len(got) != 0 {
		t.Fatalf("after done: %v", got)
	}
	// Sent again, then the link ends: the line ends with it, and a new link
	// to the same therapist starts with none.
	if err := e.s.SendFlag(ctx, ana); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.EndTherapistLink(ctx, ben); err != nil {
		t.Fatal(err)
	}
	link(t, e.c, ben, tess)
	if got := flags(tess); len(got) != 0 {
		t.Fatalf("a line outlived its link: %v", got)
	}
	// A partner who leaves takes their line with them.
	if err := e.s.SendFlag(ctx, ben); err != nil {
		t.Fatal(err)
	}
	if err := e.c.Leave(ctx, ben, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	if r, err := e.s.Result(ctx, ben); err != nil || r.InSpace || r.Therapist != nil {
		t.Fatalf("Ben after leaving: %+v %v", r, err)
	}
	if err := e.s.SendFlag(ctx, ben); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("a line from outside any space: %v", err)
	}
	// Every row stays reachable from its sender, for export and deletion.
	var mine int
	e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM therapist_flags WHERE user_id = $1`, ana.ID).Scan(&mine)
	if mine != 2 {
		t.Fatalf("Ana's lines by her id: %d", mine)
	}
}
