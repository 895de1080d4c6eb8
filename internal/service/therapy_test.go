package service_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// therapyEnv is a linked couple (Ana and Ben) and their therapist Tess,
// with the therapy service on the env's clock.
type therapyEnv struct {
	spaceEnv
	s        *service.Therapy
	ana, ben *mend.User
	tess     *mend.User
	coupleID int64
}

func newTherapy(t *testing.T) *therapyEnv {
	t.Helper()
	base := newSpaceEnv(t, "Ana", "Ben")
	e := &therapyEnv{spaceEnv: base, s: service.NewTherapy(base.db, base.c)}
	e.s.Now = base.clk.now
	e.ana, e.ben, e.coupleID = e.pairIn(t, "UTC", "UTC")
	e.tess = newTherapist(t, e.acc, "Tess", "Tess")
	link(t, e.c, e.ana, e.tess)
	return e
}

func (e *therapyEnv) today(t *testing.T) time.Time {
	t.Helper()
	return mend.Date(e.clk.now(), time.UTC)
}

func (e *therapyEnv) addSession(t *testing.T, th *mend.User, day time.Time) {
	t.Helper()
	if err := e.s.AddSession(context.Background(), th, e.coupleID, day.Format(time.DateOnly), service.NewFormKey()); err != nil {
		t.Fatalf("%s adds a session on %s: %v", th.Name, day.Format(time.DateOnly), err)
	}
}

func (e *therapyEnv) sessions(t *testing.T, th *mend.User) *mend.TherapySessionsPage {
	t.Helper()
	p, err := e.s.Sessions(context.Background(), th, e.coupleID, 0)
	if err != nil {
		t.Fatalf("%s's sessions page: %v", th.Name, err)
	}
	return p
}

func days(ss []mend.TherapySession) string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Day.Format(time.DateOnly))
	}
	return strings.Join(out, " ")
}

func dayOf(d *time.Time) string {
	if d == nil {
		return "none"
	}
	return d.Format(time.DateOnly)
}

func wantNotFound(t *testing.T, err error, what string) {
	t.Helper()
	if mend.ErrorCode(err) != mend.NotFound {
		t.Errorf("%s: want NotFound, got %v", what, err)
	}
}

func TestTherapy_SessionsComeNextFirstWithTheLastAndNextDates(t *testing.T) {
	t.Parallel()
	e := newTherapy(t)
	ctx := context.Background()
	today := e.today(t)
	for _, d := range []int{-14, 7, 0, -7, 14} {
		e.addSession(t, e.tess, today.AddDate(0, 0, d))
	}
	p := e.sessions(t, e.tess)
	want := []string{today.Format(time.DateOnly), today.AddDate(0, 0, 7).Format(time.DateOnly), today.AddDate(0, 0, 14).Format(time.DateOnly),
		today.AddDate(0, 0, -7).Format(time.DateOnly), today.AddDate(0, 0, -14).Format(time.DateOnly)}
	if got := days(p.Sessions); got != strings.Join(want, " ") {
		t.Fatalf("sessions %s, want %s", got, strings.Join(want, " "))
	}
	d, err := e.s.SessionDates(ctx, e.tess, e.coupleID)
	if err != nil {
		t.Fatal(err)
	}
	if dayOf(d.Last) != want[3] || dayOf(d.Next) != want[0] {
		t.Fatalf("last %s next %s, want %s and %s (today's session is the next)", dayOf(d.Last), dayOf(d.Next), want[3], want[0])
	}
	next, err := e.s.NextSessions(ctx, e.tess)
	if err != nil || len(next) != 1 || next[e.coupleID].Format(time.DateOnly) != want[0] {
		t.Fatalf("next sessions %v %v", next, err)
	}

	// Removing the last past session makes the one before it the last.
	var last int64
	for _, s := range p.Sessions {
		if s.Day.Format(time.DateOnly) == want[3] {
			last = s.ID
		}
	}
	if err := e.s.RemoveSession(ctx, e.tess, e.coupleID, last); err != nil {
		t.Fatal(err)
	}
	if d, _ = e.s.SessionDates(ctx, e.tess, e.coupleID); dayOf(d.Last) != want[4] {
		t.Fatalf("after removing %s the last is %s, want %s", want[3], dayOf(d.Last), want[4])
	}
	wantNotFound(t, e.s.RemoveSession(ctx, e.tess, e.coupleID, last), "removing it again")

	// Another couple's therapist sees none of them, and has no next session.
	uma := newTherapist(t, e.acc, "Uma", "Uma")
	if next, err := e.s.NextSessions(ctx, uma); err != nil || len(next) != 0 {
		t.Fatalf("Uma's next sessions %v %v", next, err)
	}
}

func TestTherapy_ASessionDateIsCheckedAndKeptOnce(t *testing.T) {
	t.Parallel()
	e := newTherapy(t)
	ctx := context.Background()
	today := e.today(t)
	for _, in := range []string{"", "next tuesday", "2026-02-30", today.AddDate(3, 0, 0).Format(time.DateOnly), today.AddDate(-2, 0, -1).Format(time.DateOnly)} {
		wantOnly(t, e.s.AddSession(ctx, e.tess, e.coupleID, in, ""), "day", fmt.Sprintf("session on %q", in))
	}
	key := service.NewFormKey()
	for range 2 {
		if err := e.s.AddSession(ctx, e.tess, e.coupleID, today.Format(time.DateOnly), key); err != nil {
			t.Fatal(err)
		}
	}
	if got := days(e.sessions(t, e.tess).Sessions); got != today.Format(time.DateOnly) {
		t.Fatalf("a form sent twice gave sessions %q", got)
	}
}

func TestTherapy_NotesAreReadOnlyByTheirWriter(t *testing.T) {
	t.Parallel()
	e := newTherapy(t)
	ctx := context.Background()
	today := e.today(t)
	e.addSession(t, e.tess, today)
	session := e.sessions(t, e.tess).Sessions[0].ID
	const secret = "Tess wonders whether Ben feels heard"
	key := service.NewFormKey()
	for range 2 {
		if err := e.s.AddNote(ctx, e.tess, e.coupleID, secret, strconv.FormatInt(session, 10), key); err != nil {
			t.Fatal(err)
		}
	}
	p := e.sessions(t, e.tess)
	if len(p.Notes) != 1 || p.Notes[0].Body != secret || p.Notes[0].SessionID != session {
		t.Fatalf("Tess's notes after a form sent twice: %+v", p.Notes)
	}
	note := p.Notes[0].ID
	wantOnly(t, e.s.AddNote(ctx, e.tess, e.coupleID, "  ", "", ""), "body", "an empty note")
	wantOnly(t, e.s.AddNote(ctx, e.tess, e.coupleID, "About no session", "999999", ""), "session", "a note about another session")
	if changed, err := e.s.EditNote(ctx, e.tess, e.coupleID, note, secret+", and Ana too", ""); err != nil || !changed {
		t.Fatalf("Tess edits her note: %v %v", changed, err)
	}
	if changed, err := e.s.EditNote(ctx, e.tess, e.coupleID, note, secret+", and Ana too", ""); err != nil || changed {
		t.Fatalf("the same words again: changed %v %v", changed, err)
	}

	// Neither partner reads it: not as a page, not on Today.
	for _, u := range []*mend.User{e.ana, e.ben} {
		_, err := e.s.Sessions(ctx, u, e.coupleID, 0)
		wantNotFound(t, err, u.Name+" opens the notes")
		_, err = e.s.EditNote(ctx, u, e.coupleID, note, "changed", "")
		wantNotFound(t, err, u.Name+" edits the note")
		if page := fmt.Sprintf("%+v", todayPage(t, e.newToday(), u)); strings.Contains(page, "Tess wonders") {
			t.Fatalf("%s's Today shows the note", u.Name)
		}
	}

	// Ben ends Tess's link; Ana invites Uma and Ben agrees. Uma sees no
	// note or session of Tess's, and cannot change one; Tess reads and
	// writes nothing any more.
	if _, err := e.c.EndTherapistLink(ctx, e.ben); err != nil {
		t.Fatal(err)
	}
	uma := newTherapist(t, e.acc, "Uma", "Uma")
	link(t, e.c, e.ana, uma)
	if p := e.sessions(t, uma); len(p.Notes) != 0 || len(p.Sessions) != 0 {
		t.Fatalf("Uma sees Tess's records: %+v %+v", p.Notes, p.Sessions)
	}
	_, err := e.s.Sessions(ctx, uma, e.coupleID, note)
	wantNotFound(t, err, "Uma opens Tess's note")
	_, err = e.s.EditNote(ctx, uma, e.coupleID, note, "Uma's words", "")
	wantNotFound(t, err, "Uma edits Tess's note")
	_, err = e.s.Sessions(ctx, e.tess, e.coupleID, 0)
	wantNotFound(t, err, "Tess opens the page after her link ended")
	wantNotFound(t, e.s.AddNote(ctx, e.tess, e.coupleID, "Still here", "", ""), "Tess writes a note after her link ended")
	wantNotFound(t, e.s.AddSession(ctx, e.tess, e.coupleID, today.Format(time.DateOnly), ""), "Tess adds a session after her link ended")
	_, err = e.s.EditNote(ctx, e.tess, e.coupleID, note, "changed", "")
	wantNotFound(t, err, "Tess edits her note after her link ended")
	_, err = e.s.SessionDates(ctx, e.tess, e.coupleID)
	wantNotFound(t, err, "Tess's session dates after her link ended")
	if next, err := e.s.NextSessions(ctx, e.tess); err != nil || len(next) != 0 {
		t.Fatalf("Tess's next sessions after her link ended: %v %v", next, err)
	}
}

func TestTherapy_APendingTherapistReadsAndWritesNothing(t *testing.T) {
	t.Parallel()
	e := newTherapy(t)
	ctx := context.Background()
	if _, err := e.c.EndTherapistLink(ctx, e.ana); err != nil {
		t.Fatal(err)
	}
	pia := newTherapist(t, e.acc, "Pia", "Pia")
	accept(t, e.c, pia, invite(t, e.c, e.ben, mend.InviteTherapist)) // Ana has not agreed
	_, err := e.s.Sessions(ctx, pia, e.coupleID, 0)
	wantNotFound(t, err, "Pia opens the sessions")
	_, err = e.s.Suggestions(ctx, pia, e.coupleID)
	wantNotFound(t, err, "Pia opens the suggestions")
	wantNotFound(t, e.s.AddSession(ctx, pia, e.coupleID, e.today(t).Format(time.DateOnly), ""), "Pia adds a session")
	wantNotFound(t, e.s.AddNote(ctx, pia, e.coupleID, "A note", "", ""), "Pia writes a note")
	wantNotFound(t, e.s.Suggest(ctx, pia, e.coupleID, service.SuggestionInput{Kind: "talk", Title: "Hello"}), "Pia suggests")
	var views, rows int
	e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM therapist_views WHERE therapist_id = $1`, pia.ID).Scan(&views)
	e.db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM therapy_sessions) + (SELECT count(*) FROM therapist_notes) + (SELECT count(*) FROM suggestions)`).Scan(&rows)
	if views != 0 || rows != 0 {
		t.Fatalf("a pending therapist left %d views and %d rows", views, rows)
	}
}

func TestTherapy_SuggestionsReachBothPartnersAndSettingAsideIsPersonal(t *testing.T) {
	t.Parallel()
	e := newTherapy(t)
	ctx := context.Background()
	wantOnly(t, e.s.Suggest(ctx, e.tess, e.coupleID, service.SuggestionInput{Title: "No kind"}), "kind", "a suggestion of no kind")
	wantOnly(t, e.s.Suggest(ctx, e.tess, e.coupleID, service.SuggestionInput{Kind: "talk", Title: " "}), "title", "a suggestion without a title")
	wantOnly(t, e.s.Suggest(ctx, e.tess, e.coupleID, service.SuggestionInput{Kind: "talk", Title: strings.Repeat("x", mend.MaxSuggestionTitle+1)}),
		"title", "a long title")
	key := service.NewFormKey()
	in := service.SuggestionInput{Kind: "commitment", Title: "A phone-free dinner", Body: "Once a week", FormKey: key}
	for range 2 {
		if err := e.s.Suggest(ctx, e.tess, e.coupleID, in); err != nil {
			t.Fatal(err)
		}
	}
	td := e.newToday()
	for _, u := range []*mend.User{e.ana, e.ben} {
		ss := todayPage(t, td, u).Suggestions
		if len(ss) != 1 || ss[0].Title != "A phone-free dinner" || ss[0].Kind != mend.SuggestCommitment || ss[0].Therapist != "Tess" {
			t.Fatalf("%s's Today suggestions after a form sent twice: %+v", u.Name, ss)
		}
	}
	p, err := e.s.Suggestions(ctx, e.tess, e.coupleID)
	if err != nil || len(p.Suggestions) != 1 {
		t.Fatalf("Tess's sent suggestions: %+v %v", p, err)
	}
	id := p.Suggestions[0].ID

	// Ana sets it aside: gone from her Today, still on Ben's.
	if err := e.s.SetAside(ctx, e.ana, id); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetAside(ctx, e.ana, id); err != nil {
		t.Fatalf("setting it aside again: %v", err)
	}
	if ss := todayPage(t, td, e.ana).Suggestions; len(ss) != 0 {
		t.Fatalf("Ana still sees %+v", ss)
	}
	if ss := todayPage(t, td, e.ben).Suggestions; len(ss) != 1 {
		t.Fatalf("Ben's suggestions after Ana set hers aside: %+v", ss)
	}
	// Sent to the couple, it stays after the link ends.
	if _, err := e.c.EndTherapistLink(ctx, e.ben); err != nil {
		t.Fatal(err)
	}
	if ss := todayPage(t, td, e.ben).Suggestions; len(ss) != 1 {
		t.Fatalf("Ben's suggestions after the link ended: %+v", ss)
	}
	wantNotFound(t, e.s.Suggest(ctx, e.tess, e.coupleID, service.SuggestionInput{Kind: "talk", Title: "After"}), "Tess suggests after her link ended")

	// Someone of another couple cannot set it aside.
	cara, _, _ := pair(t, e.c, e.acc, "Cara", "Dan")
	wantNotFound(t, e.s.SetAside(ctx, cara, id), "Cara sets Ana and Ben's suggestion aside")
	if ss := todayPage(t, td, e.ben).Suggestions; len(ss) != 1 {
		t.Fatalf("Ben's suggestions after Cara tried: %+v", ss)
	}
}
