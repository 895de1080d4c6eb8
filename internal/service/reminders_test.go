package service_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// remindersEnv is a couple (Ana, Ben) with the reminders and check-ins on
// the env's clock.
type remindersEnv struct {
	spaceEnv
	r  *service.Reminders
	ci *service.Checkins
	tr *service.Triggers
	co *service.Commitments
	ds *service.Disclosures
}

func newReminders(t *testing.T) *remindersEnv {
	t.Helper()
	base := newSpaceEnv(t, "Ana", "Ben")
	r := service.NewReminders(base.db)
	r.Now, r.Key, r.BaseURL = base.clk.now, []byte("a test key of thirty-two bytes!!"), "https://mend.example.org"
	ci := service.NewCheckins(base.db, base.c)
	tr, co, ds := service.NewTriggers(base.db, base.c), service.NewCommitments(base.db, base.c), service.NewDisclosures(base.db, base.c)
	ci.Now, tr.Now, co.Now, ds.Now = base.clk.now, base.clk.now, base.clk.now, base.clk.now
	return &remindersEnv{spaceEnv: base, r: r, ci: ci, tr: tr, co: co, ds: ds}
}

func (e *remindersEnv) set(t *testing.T, u *mend.User, in service.ReminderInput) {
	t.Helper()
	if _, err := e.r.SaveSettings(context.Background(), u, in); err != nil {
		t.Fatalf("%s's reminders: %v", u.Name, err)
	}
}

// remindAt runs the reminder pass at instant at (RFC 3339) and returns how
// many emails of kind went to u in that pass.
func (e *remindersEnv) remindAt(t *testing.T, at string, u *mend.User, kind string) int {
	t.Helper()
	e.setNow(t, at)
	before := e.emails(t, u, kind)
	if _, err := e.r.QueueDue(context.Background()); err != nil {
		t.Fatalf("reminders at %s: %v", at, err)
	}
	return e.emails(t, u, kind) - before
}

// passAt runs the reminder pass at instant at and returns how many emails
// whose subject contains subject each of users got in it.
func (e *remindersEnv) passAt(t *testing.T, at, subject string, users ...*mend.User) []int {
	t.Helper()
	e.setNow(t, at)
	before := make([]int, len(users))
	for i, u := range users {
		before[i] = e.emails(t, u, subject)
	}
	if _, err := e.r.QueueDue(context.Background()); err != nil {
		t.Fatalf("reminders at %s: %v", at, err)
	}
	for i, u := range users {
		before[i] = e.emails(t, u, subject) - before[i]
	}
	return before
}

// emails counts the outbox's emails to u whose subject contains kind.
func (e *remindersEnv) emails(t *testing.T, u *mend.User, subject string) int {
	t.Helper()
	var n int
	if err := e.db.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM outbox WHERE user_id = $1 AND strpos(subject, $2) > 0`, u.ID, subject).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

const checkinSubject = "daily check-in"

// longBefore is when the time tests turn reminders on: before every step.
const longBefore = "2026-01-01T00:00:00Z"

// expect runs the pass at each instant and checks how many check-in
// reminders u got in it.
func (e *remindersEnv) expect(t *testing.T, u *mend.User, steps ...step) {
	t.Helper()
	for _, s := range steps {
		if got := e.remindAt(t, s.at, u, checkinSubject); got != s.want {
			t.Errorf("%s at %s (%s): %d reminders, want %d", u.Name, s.at, s.why, got, s.want)
		}
	}
}

type step struct {
	at   string
	want int
	why  string
}

func TestReminders_BerlinEveningAcrossDaylightSaving(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, _, _ := e.pairIn(t, "Europe/Berlin", "America/New_York")
	e.setNow(t, longBefore)
	e.set(t, ana, service.ReminderInput{Checkin: true, CheckinAt: "20:00"})
	e.expect(t, ana,
		// Winter (UTC+1): 20:00 is 19:00 UTC.
		step{"2026-03-27T18:59:00Z", 0, "19:59 in Berlin"},
		step{"2026-03-27T19:00:00Z", 1, "20:00 in Berlin"},
		step{"2026-03-27T19:01:00Z", 0, "already reminded today"},
		step{"2026-03-28T19:00:00Z", 1, "the day before the change"},
		// 29 March: clocks go forward at 01:00 UTC; 20:00 is 18:00 UTC.
		step{"2026-03-29T17:59:00Z", 0, "19:59 summer time"},
		step{"2026-03-29T18:00:00Z", 1, "20:00 summer time"},
		step{"2026-03-29T19:00:00Z", 0, "once a day"},
		step{"2026-03-30T18:00:00Z", 1, "the day after the change"},
		// 25 October: clocks go back at 01:00 UTC; 20:00 is 19:00 UTC again.
		step{"2026-10-24T18:00:00Z", 1, "the day before the change, summer time"},
		step{"2026-10-25T18:00:00Z", 0, "19:00 winter time"},
		step{"2026-10-25T18:59:00Z", 0, "19:59 winter time"},
		step{"2026-10-25T19:00:00Z", 1, "20:00 winter time"},
		step{"2026-10-26T19:00:00Z", 1, "the day after the change"},
	)
}

func TestReminders_NewYork(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ny, _, _ := e.pairIn(t, "America/New_York", "Europe/Berlin")
	e.setNow(t, longBefore)
	e.set(t, ny, service.ReminderInput{Checkin: true, CheckinAt: "08:00"})
	// New York: clocks go forward on 8 March 2026 (UTC−5 → UTC−4).
	e.expect(t, ny,
		step{"2026-03-07T12:59:00Z", 0, "07:59 EST"},
		step{"2026-03-07T13:00:00Z", 1, "08:00 EST"},
		step{"2026-03-08T11:59:00Z", 0, "07:59 EDT"},
		step{"2026-03-08T12:00:00Z", 1, "08:00 EDT"},
		step{"2026-03-09T12:00:00Z", 1, "08:00 EDT, the next day"},
	)
}

func TestReminders_Kolkata(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	kolkata, _, _ := e.pairIn(t, "Asia/Kolkata", "Europe/Berlin")
	e.setNow(t, longBefore)
	e.set(t, kolkata, service.ReminderInput{Checkin: true, CheckinAt: "07:30"})
	// Kolkata (UTC+5:30, no daylight saving): 07:30 is 02:00 UTC; its day
	// starts at 18:30 UTC the evening before.
	e.expect(t, kolkata,
		step{"2026-03-07T01:59:00Z", 0, "07:29 in Kolkata"},
		step{"2026-03-07T02:00:00Z", 1, "07:30 in Kolkata"},
		step{"2026-03-07T18:29:00Z", 0, "23:59, still 7 March in Kolkata"},
		step{"2026-03-07T18:31:00Z", 0, "00:01 on 8 March, before 07:30"},
		step{"2026-03-08T02:00:00Z", 1, "07:30 on 8 March"},
	)
}

func TestReminders_AucklandCatchUpEndsWithTheLocalDay(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	akl, _, _ := e.pairIn(t, "Pacific/Auckland", "Europe/Berlin")
	e.setNow(t, longBefore)
	e.set(t, akl, service.ReminderInput{Checkin: true, CheckinAt: "21:00"})
	e.expect(t, akl,
		// NZDT (UTC+13) until 5 April 2026: 21:00 is 08:00 UTC.
		step{"2026-04-03T07:59:00Z", 0, "20:59 NZDT"},
		// Mend was down at 21:00: it catches up at 23:30, still that day.
		step{"2026-04-03T10:30:00Z", 1, "23:30 NZDT, caught up"},
		// Down all evening of 4 April: back at 00:30 on the 5th, too late
		// for the 4th, too early for the 5th.
		step{"2026-04-04T11:30:00Z", 0, "00:30 on 5 April"},
		// 5 April: clocks go back at 03:00 NZDT; 21:00 NZST is 09:00 UTC.
		step{"2026-04-05T08:00:00Z", 0, "20:00 NZST"},
		step{"2026-04-05T09:00:00Z", 1, "21:00 NZST"},
	)
}

func TestReminders_TimeMissingOnSpringForwardDayStillSent(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, _, _ := e.pairIn(t, "Europe/Berlin", "Europe/Berlin")
	e.setNow(t, longBefore)
	e.set(t, ana, service.ReminderInput{Checkin: true, CheckinAt: "02:30"})
	e.expect(t, ana,
		step{"2026-03-28T01:30:00Z", 1, "02:30 CET the day before"},
		// On 29 March 02:00 jumps to 03:00: 02:30 never happens.
		step{"2026-03-29T00:59:00Z", 0, "01:59 CET"},
		step{"2026-03-29T01:00:00Z", 1, "03:00 CEST, past 02:30"},
		step{"2026-03-29T01:30:00Z", 0, "03:30 CEST"},
		step{"2026-03-30T00:29:00Z", 0, "02:29 CEST on the 30th"},
		step{"2026-03-30T00:30:00Z", 1, "02:30 CEST on the 30th"},
	)
}

func TestReminders_TimeTwiceOnFallBackDaySentOnce(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, _, _ := e.pairIn(t, "Europe/Berlin", "Europe/Berlin")
	e.setNow(t, longBefore)
	e.set(t, ana, service.ReminderInput{Checkin: true, CheckinAt: "02:30"})
	e.expect(t, ana,
		// On 25 October 02:00–03:00 happens twice (CEST, then CET).
		step{"2026-10-25T00:29:00Z", 0, "02:29 CEST"},
		step{"2026-10-25T00:30:00Z", 1, "02:30 CEST"},
		step{"2026-10-25T01:30:00Z", 0, "02:30 CET, the second time"},
		step{"2026-10-25T22:59:00Z", 0, "23:59 CET"},
		step{"2026-10-26T01:30:00Z", 1, "02:30 CET the next day"},
	)
}

func TestReminders_NotAfterCheckingIn(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, _, _ := e.pairIn(t, "Europe/Berlin", "Europe/Berlin")
	e.setNow(t, longBefore)
	e.set(t, ana, service.ReminderInput{Checkin: true, CheckinAt: "20:00"})
	// Ana checks in at 09:00 on 2 December (08:00 UTC): no reminder that
	// evening; the next evening, without a check-in, one.
	e.setNow(t, "2026-12-02T08:00:00Z")
	if _, err := e.ci.Save(context.Background(), ana, entry("", 3, mend.MyPartner)); err != nil {
		t.Fatal(err)
	}
	e.expect(t, ana,
		step{"2026-12-02T19:00:00Z", 0, "checked in today"},
		step{"2026-12-03T19:00:00Z", 1, "not checked in on the 3rd"},
	)
}

func TestReminders_OffSendsNothing(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, ben, _ := e.pairIn(t, "Europe/Berlin", "Europe/Berlin")
	// Ana never chose reminders; Ben turned his off after having it on.
	e.setNow(t, longBefore)
	e.set(t, ben, service.ReminderInput{Checkin: true, CheckinAt: "20:00"})
	e.set(t, ben, service.ReminderInput{Checkin: false, CheckinAt: "20:00"})
	for _, u := range []*mend.User{ana, ben} {
		e.expect(t, u, step{"2026-12-02T22:00:00Z", 0, "off"})
	}
	s, err := e.r.Settings(context.Background(), ana)
	if err != nil || s.Checkin || s.Partner || s.HardDates || s.CheckinAt != "20:00" {
		t.Errorf("default settings: %+v, %v; want all off at 20:00", s, err)
	}
}

func TestReminders_SeveralProcessesSendOnce(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, ben, _ := e.pairIn(t, "Europe/Berlin", "America/New_York")
	e.set(t, ana, service.ReminderInput{Checkin: true, CheckinAt: "20:00"})
	e.set(t, ben, service.ReminderInput{Checkin: true, CheckinAt: "14:00"})
	e.setNow(t, "2026-12-02T19:30:00Z")
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			if _, err := e.r.QueueDue(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for _, u := range []*mend.User{ana, ben} {
		if n := e.emails(t, u, checkinSubject); n != 1 {
			t.Errorf("%s: %d reminders from six processes at once, want 1", u.Name, n)
		}
	}
}

func TestReminders_SettingsValidated(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, _, _ := e.pairIn(t, "Europe/Berlin", "Europe/Berlin")
	for _, at := range []string{"25:00", "8pm", "20:00:00x", "2000"} {
		_, err := e.r.SaveSettings(context.Background(), ana, service.ReminderInput{Checkin: true, CheckinAt: at})
		if fe := fieldsOf(err); fe["checkin_at"] == "" {
			t.Errorf("time %q: %v, want a message beside the time", at, err)
		}
	}
	if _, err := e.r.SaveSettings(context.Background(), ana, service.ReminderInput{Checkin: true, CheckinAt: ""}); fieldsOf(err)["checkin_at"] == "" {
		t.Errorf("no time: %v, want a message", err)
	}
	s, err := e.r.SaveSettings(context.Background(), ana, service.ReminderInput{Checkin: true, CheckinAt: "07:05:00", HardDates: true})
	if err != nil || s.CheckinAt != "07:05" {
		t.Fatalf("07:05:00: %+v, %v", s, err)
	}
	got, _ := e.r.Settings(context.Background(), ana)
	if got != (mend.ReminderSettings{Checkin: true, CheckinAt: "07:05", HardDates: true}) {
		t.Errorf("stored %+v", got)
	}
}

// fieldsOf returns an Invalid error's field messages (nil otherwise).
func fieldsOf(err error) map[string]string {
	var e *mend.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

const hardDateSubject = "A date you marked is coming up in Mend"

func TestReminders_HardDateNoticeThreeDaysBefore(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, ben, _ := e.pairIn(t, "Europe/Berlin", "America/New_York")
	ctx := context.Background()
	// A yearly date (first marked in 2025), a one-off one, and 29 February.
	for _, d := range []struct {
		label, date string
		yearly      bool
	}{{"The lake house", "2025-03-15", true}, {"Court hearing", "2026-06-10", false}, {"Leap day", "2024-02-29", true}} {
		if err := e.tr.AddHardDate(ctx, ana, d.label, d.date, d.yearly, ""); err != nil {
			t.Fatal(err)
		}
	}
	e.set(t, ana, service.ReminderInput{HardDates: true})
	e.set(t, ben, service.ReminderInput{HardDates: true})
	// Each pass is for everyone: the instants go forward, and each says
	// how many notices Ana (Berlin) and Ben (New York) get in it.
	for _, c := range []struct {
		at       string
		ana, ben int
		why      string
	}{
		// 2026 has no 29 February: it falls on the 28th.
		{"2026-02-25T12:00:00Z", 1, 1, "three days before 28 February 2026"},
		{"2026-03-11T10:00:00Z", 0, 0, "four days before 15 March"},
		// In New York it is still 11 March until 04:00 UTC on the 12th.
		{"2026-03-12T03:59:00Z", 1, 0, "12 March in Berlin, 11 March in New York"},
		{"2026-03-12T04:00:00Z", 0, 1, "12 March in New York"},
		{"2026-03-12T20:00:00Z", 0, 0, "one notice a day"},
		{"2026-03-13T12:00:00Z", 0, 0, "two days before"},
		{"2026-06-07T12:00:00Z", 1, 1, "three days before the one-off date"},
		{"2027-03-12T12:00:00Z", 1, 1, "the yearly date comes back"},
		{"2027-06-07T12:00:00Z", 0, 0, "the one-off date does not come back"},
		{"2028-02-25T12:00:00Z", 0, 0, "four days before 29 February 2028"},
		{"2028-02-26T12:00:00Z", 1, 1, "three days before 29 February 2028"},
	} {
		got := e.passAt(t, c.at, hardDateSubject, ana, ben)
		if got[0] != c.ana || got[1] != c.ben {
			t.Errorf("at %s (%s): Ana %d, Ben %d notices; want %d, %d", c.at, c.why, got[0], got[1], c.ana, c.ben)
		}
	}
	// The email names no date: its title could be private.
	var body string
	if err := e.db.Pool.QueryRow(ctx, `SELECT subject || body FROM outbox WHERE user_id = $1 LIMIT 1`, ana.ID).Scan(&body); err != nil {
		t.Fatal(err)
	}
	for _, word := range []string{"lake", "Court", "Leap", "March"} {
		if strings.Contains(body, word) {
			t.Errorf("the notice says %q:\n%s", word, body)
		}
	}
}

func TestReminders_HardDateNoticeOnlyWhenOn(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, ben, _ := e.pairIn(t, "Europe/Berlin", "Europe/Berlin")
	if err := e.tr.AddHardDate(context.Background(), ana, "The lake house", "2026-03-15", false, ""); err != nil {
		t.Fatal(err)
	}
	// Ben asked for check-in reminders only; Ana for nothing.
	e.set(t, ben, service.ReminderInput{Checkin: true, CheckinAt: "23:00"})
	for _, u := range []*mend.User{ana, ben} {
		if got := e.remindAt(t, "2026-03-12T12:00:00Z", u, hardDateSubject); got != 0 {
			t.Errorf("%s: %d notices with hard-date notices off", u.Name, got)
		}
	}
}

// now moves the env's clock to the real time: partner notices compare it
// with when the partner's rows were written (the database's clock).
func (e *remindersEnv) now() { e.clk.t = time.Now() }

// pass runs the reminder pass now and returns how many emails whose
// subject contains subject each of users got.
func (e *remindersEnv) pass(t *testing.T, subject string, users ...*mend.User) []int {
	t.Helper()
	e.now()
	return e.passAt(t, e.clk.t.UTC().Format(time.RFC3339Nano), subject, users...)
}

func TestReminders_PartnerNoticesNameThePartnerOnly(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, ben, _ := e.pairIn(t, "Europe/Berlin", "Europe/Berlin")
	ctx := context.Background()
	e.set(t, ana, service.ReminderInput{Partner: true})
	if got := e.pass(t, "Ben", ana); got[0] != 0 {
		t.Fatalf("%d notices before Ben did anything", got[0])
	}

	// Ben proposes a commitment: one notice to Ana, however many he proposes.
	review := mend.Date(time.Now(), ana.Location()).AddDate(0, 1, 0).Format(time.DateOnly)
	e.co.Now = time.Now
	if _, err := e.co.Propose(ctx, ben, promise("Phone home by seven", review)); err != nil {
		t.Fatal(err)
	}
	if got := e.pass(t, "Ben proposed a commitment in Mend", ana, ben); got[0] != 1 || got[1] != 0 {
		t.Errorf("after Ben's proposal: Ana %d, Ben %d notices; want 1, 0", got[0], got[1])
	}
	if _, err := e.co.Propose(ctx, ben, promise("Share the calendar", review)); err != nil {
		t.Fatal(err)
	}
	if got := e.pass(t, "proposed a commitment", ana); got[0] != 0 {
		t.Errorf("a second proposal the same day: %d more notices", got[0])
	}

	// Ben responds to Ana's trigger.
	e.now()
	tid, err := e.tr.Log(ctx, ana, quick("place", 6, mend.MyPartner, ""))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.tr.Respond(ctx, ben, tid, "here", "", ""); err != nil {
		t.Fatal(err)
	}
	if got := e.pass(t, "Ben responded to you in Mend", ana); got[0] != 1 {
		t.Errorf("after Ben's response: %d notices, want 1", got[0])
	}

	// Ben answers Ana's check-in.
	e.now()
	for _, u := range []*mend.User{ana, ben} {
		if _, err := e.ci.Save(ctx, u, entry("", 3, mend.MyPartner)); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.ci.Acknowledge(ctx, ben, e.ci.Today(ana).Format(time.DateOnly), "Thank you"); err != nil {
		t.Fatal(err)
	}
	if got := e.pass(t, "Ben answered you in Mend", ana); got[0] != 1 {
		t.Errorf("after Ben's answer: %d notices, want 1", got[0])
	}

	// Ana's own doings tell nobody: Ben has notices off.
	if _, err := e.co.Propose(ctx, ana, promise("Walk on Sundays", review)); err != nil {
		t.Fatal(err)
	}
	if got := e.pass(t, "Ana", ben); got[0] != 0 {
		t.Errorf("Ben, with notices off: %d notices", got[0])
	}
}

func TestReminders_PartnerNoticesOnlyOfWhatCameAfterTurningThemOn(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, ben, _ := e.pairIn(t, "Europe/Berlin", "Europe/Berlin")
	ctx := context.Background()
	e.co.Now = time.Now
	review := mend.Date(time.Now(), ana.Location()).AddDate(0, 1, 0).Format(time.DateOnly)
	if _, err := e.co.Propose(ctx, ben, promise("Phone home by seven", review)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	e.now()
	e.set(t, ana, service.ReminderInput{Partner: true})
	if got := e.pass(t, "Ben", ana); got[0] != 0 {
		t.Errorf("%d notices of what Ben did before Ana turned them on", got[0])
	}
}

// A scripted day in which both partners write with words nobody else
// uses, with every reminder on: emails go out, and none holds any of the
// words.
func TestReminders_NoEmailHoldsEntryText(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, ben, _ := e.pairIn(t, "Europe/Berlin", "America/New_York")
	ctx := context.Background()
	e.now()
	e.co.Now = time.Now
	for _, u := range []*mend.User{ana, ben} {
		e.set(t, u, service.ReminderInput{Checkin: true, CheckinAt: "00:00", Partner: true, HardDates: true})
	}
	words := []string{"quillfeather", "marrowlight", "zanzibarine", "plumbago", "thistlewick", "oxbowmoon",
		"corvidrain", "saffronoak", "lanternfjord", "brindlepeak", "cobaltmoss"}
	today := mend.Date(time.Now(), ana.Location())
	review := today.AddDate(0, 1, 0).Format(time.DateOnly)

	// Both check in for the day it is in New York: from 23:00 to 05:00 UTC
	// it is already the next day in Berlin, and reveal together opens a
	// check-in only to a partner who wrote one for the same day.
	day := e.ci.Today(ben).Format(time.DateOnly)

	steps := []func() error{
		func() error {
			in := entry(day, 2, mend.MyPartner)
			in.Feel, in.Need, in.Worry, in.Appreciate = words[0], words[1], words[2], words[3]
			_, err := e.ci.Save(ctx, ana, in)
			return err
		},
		func() error { _, err := e.ci.Save(ctx, ben, entry(day, 4, mend.MyPartner)); return err },
		func() error { return e.ci.Acknowledge(ctx, ben, day, words[4]) },
		func() error { return e.ci.Acknowledge(ctx, ana, day, words[4]) },
		func() error {
			in := quick("person", 8, mend.MyPartner, "")
			in.WhatHappened, in.Felt = words[5], words[5]
			id, err := e.tr.Log(ctx, ana, in)
			if err != nil {
				return err
			}
			return e.tr.Respond(ctx, ben, id, "here", words[6], words[6])
		},
		func() error {
			in := promise(words[7]+" every evening", review)
			in.Details = words[7]
			_, err := e.co.Propose(ctx, ben, in)
			return err
		},
		func() error {
			id, err := e.ds.Write(ctx, ben, service.DisclosureInput{How: "told", Topic: "contact", Day: e.ci.Today(ben).Format(time.DateOnly),
				Body: words[8], Visibility: string(mend.MyPartner), Send: true})
			if err != nil {
				return err
			}
			return e.ds.Answer(ctx, ana, id, words[9], "")
		},
		func() error {
			return e.tr.AddHardDate(ctx, ben, words[10], today.AddDate(0, 0, 3).Format(time.DateOnly), false, "")
		},
	}
	for i, step := range steps {
		e.now()
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		e.pass(t, "", ana, ben)
	}

	rows, err := e.db.Pool.Query(ctx, `SELECT subject, body FROM outbox WHERE user_id IN ($1, $2)`, ana.ID, ben.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var subject, body string
		if err := rows.Scan(&subject, &body); err != nil {
			t.Fatal(err)
		}
		n++
		for _, w := range words {
			if strings.Contains(strings.ToLower(subject+body), w) {
				t.Errorf("an email holds %q:\n%s\n%s", w, subject, body)
			}
		}
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	// Ana: proposal, trigger response, answer, hard date; Ben: answer,
	// hard date; and a check-in reminder to whoever had not checked in at
	// the first pass.
	if n < 6 {
		t.Errorf("only %d emails written: the scan proves little", n)
	}
	t.Logf("%d emails scanned", n)
}

func TestReminders_TurnedOnAfterTheTimeWaitsForTomorrow(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, _, _ := e.pairIn(t, "Europe/Berlin", "Europe/Berlin")
	// Ana turns the 20:00 reminder on at 21:00: not tonight, tomorrow.
	e.setNow(t, "2026-12-02T20:00:00Z")
	e.set(t, ana, service.ReminderInput{Checkin: true, CheckinAt: "20:00"})
	// Then moves it to 22:30, still that evening: it comes at 22:30.
	e.expect(t, ana, step{"2026-12-02T20:01:00Z", 0, "turned on after 20:00"})
	e.setNow(t, "2026-12-02T20:05:00Z")
	e.set(t, ana, service.ReminderInput{Checkin: true, CheckinAt: "22:30"})
	e.expect(t, ana,
		step{"2026-12-02T21:29:00Z", 0, "22:29"},
		step{"2026-12-02T21:30:00Z", 1, "22:30, set before it came"},
		step{"2026-12-03T21:30:00Z", 1, "the next day"},
	)
	// Saving again unchanged does not move the day the reminder counts from.
	e.setNow(t, "2026-12-04T22:00:00Z")
	e.set(t, ana, service.ReminderInput{Checkin: true, CheckinAt: "22:30", HardDates: true})
	e.expect(t, ana, step{"2026-12-04T22:01:00Z", 1, "23:01, settings saved unchanged at 23:00"})
}

func TestReminders_RunWritesAtOnceAndWakesTheSender(t *testing.T) {
	t.Parallel()
	e := newReminders(t)
	ana, _, _ := e.pairIn(t, "Europe/Berlin", "Europe/Berlin")
	e.setNow(t, longBefore)
	e.set(t, ana, service.ReminderInput{Checkin: true, CheckinAt: "20:00"})
	e.setNow(t, "2026-12-02T21:00:00Z")
	ctx, cancel := context.WithCancel(context.Background())
	woken := make(chan struct{}, 1)
	done := make(chan struct{})
	go func() {
		e.r.Run(ctx, func() { woken <- struct{}{} }, slog.New(slog.DiscardHandler))
		close(done)
	}()
	select {
	case <-woken:
	case <-time.After(10 * time.Second):
		t.Fatal("the sender was not woken")
	}
	cancel()
	<-done
	if n := e.emails(t, ana, checkinSubject); n != 1 {
		t.Errorf("%d reminders written, want 1", n)
	}
}
