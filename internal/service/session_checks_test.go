package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// answers is a valid check, shared with the therapist when share.
func answers(went int, note string, share bool) service.SessionCheckInput {
	return service.SessionCheckInput{Went: fmt.Sprint(went), Heard: "4", Connected: "6", Hopeful: "7", Note: note, Share: share,
		FormKey: service.NewFormKey()}
}

func (e *therapyEnv) check(t *testing.T, u *mend.User, day time.Time, in service.SessionCheckInput) {
	t.Helper()
	if err := e.s.SaveSessionCheck(context.Background(), u, day.Format(time.DateOnly), in); err != nil {
		t.Fatalf("%s answers about %s: %v", u.Name, day.Format(time.DateOnly), err)
	}
}

// sharedWith is the notes of the checks therapist th reads of the couple,
// through the page (which logs a view) and through the store read other
// pages use, which must agree.
func (e *therapyEnv) sharedWith(t *testing.T, th *mend.User) string {
	t.Helper()
	ctx := context.Background()
	p, err := e.s.TherapistSessionChecks(ctx, th, e.coupleID)
	if err != nil {
		t.Fatalf("%s's page of checks: %v", th.Name, err)
	}
	today := e.today(t)
	cs, err := e.db.SessionChecks(ctx, mend.StoreOnlyTherapistAccess(e.coupleID, th.ID), today.AddDate(-1, 0, 0), today)
	if err != nil {
		t.Fatal(err)
	}
	page, read := notes(p.Checks), notes(cs)
	if page != read {
		t.Fatalf("%s's page shows %q, the store read %q", th.Name, page, read)
	}
	return page
}

func notes(cs []mend.SessionCheck) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Note)
	}
	return strings.Join(out, ",")
}

// Who reads a check, for every reader: its writer always, the therapist
// of the active link only when shared, the other partner never, nor any
// other therapist, nor Tess once her link has ended.
func TestSessionChecks_OnlyTheWriterAndTheTherapistWhenShared(t *testing.T) {
	t.Parallel()
	e := newTherapy(t)
	ctx := context.Background()
	today := e.today(t)
	day := today.AddDate(0, 0, -2)
	e.addSession(t, e.tess, day)
	e.check(t, e.ana, day, answers(4, "ana-shared", true))
	e.check(t, e.ben, day, answers(2, "ben-private", false))

	// Each partner reads their own, shared or not, and never the other's.
	for _, u := range []*mend.User{e.ana, e.ben} {
		p, err := e.s.SessionChecks(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"Ana": "ana-shared", "Ben": "ben-private"}[u.Name]
		if got := notes(p.Earlier); got != want {
			t.Errorf("%s reads %q, want only %q", u.Name, got, want)
		}
		a, err := e.db.PartnerAccess(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := e.db.SessionChecks(ctx, a, today.AddDate(0, 0, -30), today)
		if err != nil || notes(cs) != want {
			t.Errorf("the store read gives %s %q (%v), want %q", u.Name, notes(cs), err, want)
		}
	}
	// Tess reads Ana's shared answer only.
	if got := e.sharedWith(t, e.tess); got != "ana-shared" {
		t.Fatalf("Tess reads %q, want only ana-shared", got)
	}
	// Ben shares his on a second thought; Ana stops sharing hers.
	e.check(t, e.ben, day, answers(2, "ben-shared", true))
	e.check(t, e.ana, day, answers(4, "ana-private", false))
	if got := e.sharedWith(t, e.tess); got != "ben-shared" {
		t.Fatalf("after the changes Tess reads %q, want only ben-shared", got)
	}

	// Another couple's therapist reads nothing, not even with a forged access.
	uma := newTherapist(t, e.acc, "Uma", "Uma")
	other := spaceEnv{c: e.c, acc: e.acc, db: e.db, clk: e.clk, names: [2]string{"Cleo", "Dan"}}
	cleo, _, _ := other.pairIn(t, "UTC", "UTC")
	link(t, e.c, cleo, uma)
	_, err := e.s.TherapistSessionChecks(ctx, uma, e.coupleID)
	wantNotFound(t, err, "Uma opens Ana and Ben's checks")
	if cs, err := e.db.SessionChecks(ctx, mend.StoreOnlyTherapistAccess(e.coupleID, uma.ID), today.AddDate(-1, 0, 0), today); err != nil || len(cs) != 0 {
		t.Fatalf("a forged access of Uma reads %v (%v)", notes(cs), err)
	}
	// Once the link has ended, Tess reads nothing either.
	if ended, err := e.c.EndTherapistLink(ctx, e.ana); err != nil || !ended {
		t.Fatalf("end the link: %v %v", ended, err)
	}
	_, err = e.s.TherapistSessionChecks(ctx, e.tess, e.coupleID)
	wantNotFound(t, err, "Tess opens the checks after the link ended")
	if cs, err := e.db.SessionChecks(ctx, mend.StoreOnlyTherapistAccess(e.coupleID, e.tess.ID), today.AddDate(-1, 0, 0), today); err != nil || len(cs) != 0 {
		t.Fatalf("Tess's old access reads %v (%v)", notes(cs), err)
	}
	// The partners still read their own answers, but are offered no check.
	p, err := e.s.SessionChecks(ctx, e.ben)
	if err != nil || notes(p.Earlier) != "ben-shared" || len(p.Open) != 0 {
		t.Fatalf("Ben without a therapist: %+v %v", p, err)
	}
	_, err = e.s.SessionCheck(ctx, e.ben, day.Format(time.DateOnly))
	wantNotFound(t, err, "the check without a therapist")
}

// Answers written during an earlier therapist's link are not the next
// therapist's, even shared and about a session of the same day; answering
// again during the new link makes it theirs.
func TestSessionChecks_ANewTherapistReadsOnlyAnswersFromTheirLink(t *testing.T) {
	t.Parallel()
	e := newTherapy(t)
	ctx := context.Background()
	day := e.today(t).AddDate(0, 0, -1)
	e.addSession(t, e.tess, day)
	e.check(t, e.ana, day, answers(4, "for-tess", true))
	if ended, err := e.c.EndTherapistLink(ctx, e.ben); err != nil || !ended {
		t.Fatalf("end the link: %v %v", ended, err)
	}
	uma := newTherapist(t, e.acc, "Uma", "Uma")
	link(t, e.c, e.ana, uma)
	if got := e.sharedWith(t, uma); got != "" {
		t.Fatalf("Uma reads %q, written before her link", got)
	}
	// Uma records a session on that same day: Ana is asked again.
	e.addSession(t, uma, day)
	if p := todayPage(t, e.newToday(), e.ana); len(p.SessionsToCheck) != 1 || p.SessionsToCheck[0].Therapist != "Uma" {
		t.Fatalf("Ana's Today offers %+v, want Uma's session", p.SessionsToCheck)
	}
	e.check(t, e.ana, day, answers(3, "for-uma", true))
	if got := e.sharedWith(t, uma); got != "for-uma" {
		t.Fatalf("Uma reads %q, want for-uma", got)
	}
}

// Today offers the check for a session of the current therapist from 14
// days ago to today that the reader has not answered about; not for one
// 15 days ago, not once answered (for them: their partner is still
// asked), and not without an active therapist.
func TestSessionChecks_TodayOffersRecentUnansweredSessions(t *testing.T) {
	t.Parallel()
	e := newTherapy(t)
	ctx := context.Background()
	today := e.today(t)
	td := e.newToday()
	if p := todayPage(t, td, e.ana); len(p.SessionsToCheck) != 0 {
		t.Fatalf("offered with no sessions: %+v", p.SessionsToCheck)
	}
	old, edge, recent, next := today.AddDate(0, 0, -15), today.AddDate(0, 0, -14), today.AddDate(0, 0, -3), today.AddDate(0, 0, 2)
	for _, d := range []time.Time{old, edge, recent, next} {
		e.addSession(t, e.tess, d)
	}
	days := func(ss []mend.SessionToCheck) string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Day.Format(time.DateOnly)+" "+s.Therapist)
		}
		return strings.Join(out, ",")
	}
	want := recent.Format(time.DateOnly) + " Tess," + edge.Format(time.DateOnly) + " Tess"
	if got := days(todayPage(t, td, e.ana).SessionsToCheck); got != want {
		t.Fatalf("Ana is offered %q, want %q", got, want)
	}
	for _, d := range []time.Time{old, next} {
		_, err := e.s.SessionCheck(ctx, e.ana, d.Format(time.DateOnly))
		wantNotFound(t, err, "the check of "+d.Format(time.DateOnly))
		err = e.s.SaveSessionCheck(ctx, e.ana, d.Format(time.DateOnly), answers(3, "", false))
		wantNotFound(t, err, "answering about "+d.Format(time.DateOnly))
	}
	for _, d := range []string{"2026-02-30", "yesterday", today.AddDate(0, 0, -1).Format(time.DateOnly)} {
		_, err := e.s.SessionCheck(ctx, e.ana, d)
		wantNotFound(t, err, "the check of a day without a session "+d)
	}

	e.check(t, e.ana, recent, answers(4, "", false))
	if got := days(todayPage(t, td, e.ana).SessionsToCheck); got != edge.Format(time.DateOnly)+" Tess" {
		t.Fatalf("after answering Ana is offered %q", got)
	}
	if got := days(todayPage(t, td, e.ben).SessionsToCheck); got != want {
		t.Fatalf("Ben is offered %q, want %q", got, want)
	}
	p, err := e.s.SessionCheck(ctx, e.ana, recent.Format(time.DateOnly))
	if err != nil || p.Existing == nil || p.Existing.Went != 4 || p.Session.Therapist != "Tess" {
		t.Fatalf("the answered check: %+v %v", p, err)
	}

	if ended, err := e.c.EndTherapistLink(ctx, e.ana); err != nil || !ended {
		t.Fatalf("end the link: %v %v", ended, err)
	}
	if got := days(todayPage(t, td, e.ben).SessionsToCheck); got != "" {
		t.Fatalf("without a therapist Ben is offered %q", got)
	}
}

func TestSessionChecks_AnswersAreCheckedAndAFormSavesOnce(t *testing.T) {
	t.Parallel()
	e := newTherapy(t)
	ctx := context.Background()
	day := e.today(t)
	e.addSession(t, e.tess, day)
	d := day.Format(time.DateOnly)
	for field, in := range map[string]service.SessionCheckInput{
		"went":      {Heard: "3", Connected: "5", Hopeful: "5"},
		"heard":     {Went: "3", Heard: "6", Connected: "5", Hopeful: "5"},
		"connected": {Went: "3", Heard: "3", Connected: "11", Hopeful: "5"},
		"hopeful":   {Went: "3", Heard: "3", Connected: "5", Hopeful: "-1"},
		"note":      {Went: "3", Heard: "3", Connected: "5", Hopeful: "5", Note: strings.Repeat("x", mend.MaxSessionCheckNote+1)},
	} {
		wantOnly(t, e.s.SaveSessionCheck(ctx, e.ana, d, in), field, "a check without a good "+field)
	}
	in := answers(5, "first", true)
	e.check(t, e.ana, day, in)
	again := in
	again.Note = "the same form again"
	e.check(t, e.ana, day, again)
	var n int
	var note string
	if err := e.db.Pool.QueryRow(ctx, `SELECT count(*), max(note) FROM session_checks WHERE couple_id = $1`, e.coupleID).Scan(&n, &note); err != nil {
		t.Fatal(err)
	}
	if n != 1 || note != "first" {
		t.Fatalf("%d rows, note %q: want one row saying first", n, note)
	}
	// A new form changes the answer in place.
	e.check(t, e.ana, day, answers(2, "changed", false))
	if err := e.db.Pool.QueryRow(ctx, `SELECT count(*), max(note) FROM session_checks WHERE couple_id = $1`, e.coupleID).Scan(&n, &note); err != nil {
		t.Fatal(err)
	}
	if n != 1 || note != "changed" {
		t.Fatalf("%d rows, note %q: want one row saying changed", n, note)
	}
	// A therapist cannot answer, nor can a partner of another couple.
	err := e.s.SaveSessionCheck(ctx, e.tess, d, answers(3, "", false))
	if err != service.ErrNoSpace {
		t.Fatalf("Tess answers: %v", err)
	}
}
