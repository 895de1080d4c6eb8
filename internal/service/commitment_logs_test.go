package service_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// Logging a commitment and answering a log: whose day, when, how often,
// and the edits that stay possible.

func TestCommitments_OnlyTheOwnerLogs(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	wantMessage(t, e.s.Log(ctx, b, id, service.LogInput{Status: mend.Kept}), mend.NotFound,
		"Only the partner who keeps a commitment logs it.", "the partner logging")
	wantCode(t, e.s.Log(ctx, b, id, service.LogInput{Status: "bogus", Day: "never"}), mend.NotFound, "the partner logging nonsense")
	e.log(t, a, id, "", mend.Kept, "home at 6:40")
	logID := e.view(t, a, id).Logs[0].ID
	wantCode(t, errOf(e.s.EditLog(ctx, b, id, logID, mend.Missed, "no you weren't")), mend.NotFound, "the partner editing the log")
	l := e.view(t, b, id).Logs[0]
	if l.Status != mend.Kept || l.Note != "home at 6:40" || len(l.Versions) != 0 {
		t.Fatalf("the log after the partner's attempt = %+v", l)
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_logs`); n != 1 {
		t.Fatalf("%d logs, want 1", n)
	}
}

func TestCommitments_OnlyTheOtherPartnerResponds(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	e.log(t, a, id, "", mend.Missed, "Stuck at work, I should have called")
	logID := e.view(t, a, id).Logs[0].ID

	wantMessage(t, e.s.Respond(ctx, a, id, logID, true, "I saw my own"), mend.NotFound, "There is no such entry to answer.", "the owner responding")
	wantOnly(t, e.s.Respond(ctx, b, id, logID, false, "   "), "response", "an empty answer")
	wantOnly(t, e.s.Respond(ctx, b, id, logID, true, strings.Repeat("a", mend.MaxAck+1)), "response", "a long answer")
	if err := e.s.Respond(ctx, b, id, logID, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Respond(ctx, b, id, logID, false, "  Thank you for telling me.  "); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*mend.User{a, b} {
		l := e.view(t, u, id).Logs[0]
		if len(l.Responses) != 1 {
			t.Fatalf("%s sees responses %+v", u.Name, l.Responses)
		}
		r := l.Responses[0]
		if r.UserID != b.ID || !r.Confirmed || r.Body != "Thank you for telling me." || r.LogID != logID {
			t.Fatalf("%s sees response %+v", u.Name, r)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_responses`); n != 1 {
		t.Fatalf("%d responses, want one per partner and log", n)
	}
	// A log of another commitment is not answered through this one.
	other := e.active(t, a, b, promise("Call my sponsor", "2027-03-29"))
	wantCode(t, e.s.Respond(ctx, b, other, logID, true, ""), mend.NotFound, "answering through another commitment")
	wantCode(t, errOf(e.s.EditLog(ctx, a, other, logID, mend.Kept, "")), mend.NotFound, "editing through another commitment")
}

// At any instant Kiritimati (UTC+14) is one calendar day ahead of Honolulu
// (UTC−10), at the same time of day; both change day at 10:00 UTC.
func TestCommitments_TheOwnersLocalDateDecidesTheDay(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	h, k, _ := e.pairIn(t, "Pacific/Honolulu", "Pacific/Kiritimati")
	e.setNow(t, "2027-03-01T12:00:00Z") // Monday 1 March in Honolulu, Tuesday 2 March in Kiritimati
	hid := e.propose(t, h, promise("Walk the dog", "2027-04-01"))
	kid := e.propose(t, k, promise("Call at lunch", "2027-04-01"))
	if v := e.view(t, k, hid); !v.Proposal.StartsOn.Equal(mustDate("2027-03-01")) {
		t.Fatalf("Honolulu's proposal starts on %v", v.Proposal.StartsOn)
	}
	if v := e.view(t, h, kid); !v.Proposal.StartsOn.Equal(mustDate("2027-03-02")) {
		t.Fatalf("Kiritimati's proposal starts on %v", v.Proposal.StartsOn)
	}
	// Each agrees to the other's at once: each commitment is in force from
	// its owner's today, whatever day it is for the partner who agreed.
	e.agree(t, k, hid)
	e.agree(t, h, kid)
	for _, u := range []*mend.User{h, k} {
		if v := e.view(t, u, hid); !v.OwnerToday.Equal(mustDate("2027-03-01")) || !v.DueToday {
			t.Fatalf("%s reads Honolulu's: owner's today %v, due %v, periods %s", u.Name, v.OwnerToday, v.DueToday, periodsString(v.Periods))
		}
		if v := e.view(t, u, kid); !v.OwnerToday.Equal(mustDate("2027-03-02")) || !v.DueToday {
			t.Fatalf("%s reads Kiritimati's: owner's today %v, due %v, periods %s", u.Name, v.OwnerToday, v.DueToday, periodsString(v.Periods))
		}
	}
	e.log(t, h, hid, "", mend.Kept, "")
	e.log(t, k, kid, "", mend.Kept, "")
	if l := logOn(t, e.view(t, k, hid), "2027-03-01"); l.Late {
		t.Fatalf("Honolulu's log = %+v", l)
	}
	if l := logOn(t, e.view(t, h, kid), "2027-03-02"); l.Late {
		t.Fatalf("Kiritimati's log = %+v", l)
	}
	// Tomorrow for one is today for the other.
	fieldRefused(t, e.s.Log(ctx, h, hid, service.LogInput{Day: "2027-03-02", Status: mend.Kept}), "day", "Honolulu logging tomorrow")

	e.setNow(t, "2027-03-05T12:00:00Z") // 5 March in Honolulu, 6 March in Kiritimati
	e.log(t, h, hid, "2027-03-04", mend.Kept, "")
	e.log(t, k, kid, "2027-03-05", mend.Partly, "")
	fieldRefused(t, e.s.Log(ctx, h, hid, service.LogInput{Day: "2027-03-06", Status: mend.Kept}), "day", "Honolulu logging Kiritimati's today")
	fieldRefused(t, e.s.Log(ctx, h, hid, service.LogInput{Day: "2027-03-03", Status: mend.Kept}), "day", "Honolulu logging two days back")
	fieldRefused(t, e.s.Log(ctx, k, kid, service.LogInput{Day: "2027-03-04", Status: mend.Kept}), "day", "Kiritimati logging Honolulu's yesterday")
	if l := logOn(t, e.view(t, k, hid), "2027-03-04"); !l.Late {
		t.Fatalf("Honolulu's yesterday = %+v", l)
	}
	if l := logOn(t, e.view(t, h, kid), "2027-03-05"); !l.Late {
		t.Fatalf("Kiritimati's yesterday = %+v", l)
	}
	// Each reads both in the owner's days: Honolulu's 1–4 March (2 and 3
	// not logged), Kiritimati's 2–5 March (3 and 4 not logged).
	for _, u := range []*mend.User{h, k} {
		wantStat(t, statOf(e.view(t, u, hid), 7), 7, stat{4, 2, 0, 0, 2}, 50, u.Name+" reads Honolulu's")
		wantStat(t, statOf(e.view(t, u, kid), 7), 7, stat{4, 1, 1, 0, 2}, 37.5, u.Name+" reads Kiritimati's")
	}
	// The day turns at 10:00 UTC for both.
	e.setNow(t, "2027-03-06T09:59:00Z")
	e.log(t, h, hid, "", mend.Kept, "late evening")
	e.setNow(t, "2027-03-06T10:01:00Z")
	e.log(t, h, hid, "", mend.Missed, "just after midnight")
	v := e.view(t, k, hid)
	if logOn(t, v, "2027-03-05").Note != "late evening" || logOn(t, v, "2027-03-06").Note != "just after midnight" {
		t.Fatalf("logs around midnight in Honolulu: %+v", v.Logs)
	}
	// Pausing and resuming by the partner a day ahead count in the owner's days too.
	e.review(t, k, hid, mend.ReviewPause, "")
	e.setNow(t, "2027-03-08T12:00:00Z") // 8 March in Honolulu, 9 March in Kiritimati
	e.review(t, k, hid, mend.ReviewResume, "")
	if got := periodsString(e.view(t, h, hid).Periods); got != "2027-03-01–2027-03-07 daily/0, 2027-03-08–open daily/0" {
		t.Fatalf("Honolulu's periods after Kiritimati paused and resumed = %s", got)
	}
	e.log(t, h, hid, "", mend.Kept, "")
	fieldRefused(t, e.s.Log(ctx, h, hid, service.LogInput{Day: "2027-03-07", Status: mend.Kept}), "day", "Honolulu logging a paused day")
}

func TestCommitments_WeekdaysAreTheOwnersWeekdays(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	h, k, _ := e.pairIn(t, "Pacific/Honolulu", "Pacific/Kiritimati")
	e.setNow(t, "2027-03-01T12:00:00Z") // Monday in Honolulu, Tuesday in Kiritimati
	mondays := onDays(promise("Plan the week together", "2027-04-01"), "0")
	hid := e.active(t, h, k, mondays)
	kid := e.active(t, k, h, mondays)
	e.log(t, h, hid, "", mend.Kept, "")
	fieldRefused(t, e.s.Log(ctx, k, kid, service.LogInput{Status: mend.Kept}), "day", "Kiritimati logging on its Tuesday")

	// Sunday 7 March 22:00 in Honolulu is Monday 8 March in Kiritimati.
	e.setNow(t, "2027-03-08T08:00:00Z")
	fieldRefused(t, e.s.Log(ctx, h, hid, service.LogInput{Status: mend.Kept}), "day", "Honolulu logging on its Sunday")
	e.log(t, k, kid, "", mend.Kept, "")
	if v := e.view(t, k, hid); !v.OwnerToday.Equal(mustDate("2027-03-07")) || v.DueToday {
		t.Fatalf("Honolulu's Sunday: owner's today %v, due %v", v.OwnerToday, v.DueToday)
	}
	// Monday 8 March 02:00 in Honolulu is Tuesday 9 March in Kiritimati.
	e.setNow(t, "2027-03-08T12:00:00Z")
	if v := e.view(t, k, hid); !v.DueToday {
		t.Fatal("Honolulu's Monday is not due")
	}
	if v := e.view(t, h, kid); v.DueToday {
		t.Fatal("Kiritimati's Tuesday is due")
	}
	wantStat(t, statOf(e.view(t, k, hid), 30), 30, stat{1, 1, 0, 0, 0}, 100, "Honolulu's Mondays, the second one open")
	wantStat(t, statOf(e.view(t, h, kid), 30), 30, stat{1, 1, 0, 0, 0}, 100, "Kiritimati's Mondays")
}

func TestCommitments_LateLoggingOnlyYesterday(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	e.setNow(t, "2027-03-10T12:00:00Z")

	e.log(t, a, id, "2027-03-09", mend.Missed, "forgot to call")
	e.log(t, a, id, " 2027-03-10 ", mend.Kept, "")
	v := e.view(t, b, id)
	if l := logOn(t, v, "2027-03-09"); !l.Late || l.Status != mend.Missed || l.Note != "forgot to call" {
		t.Fatalf("yesterday's log = %+v", l)
	}
	if l := logOn(t, v, "2027-03-10"); l.Late {
		t.Fatalf("today's log = %+v", l)
	}
	for _, d := range []string{"2027-03-08", "2027-03-01", "2026-03-10", "2027-03-11", "2028-01-01", "yesterday", "2027-02-30", "10/03/2027"} {
		fieldRefused(t, e.s.Log(ctx, a, id, service.LogInput{Day: d, Status: mend.Kept}), "day", "logging "+d)
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_logs`); n != 2 {
		t.Fatalf("%d logs, want 2", n)
	}
	// Editing yesterday's log keeps it late.
	e.log(t, a, id, "2027-03-09", mend.Partly, "called at 7:30")
	if l := logOn(t, e.view(t, a, id), "2027-03-09"); !l.Late || l.Status != mend.Partly || len(l.Versions) != 1 {
		t.Fatalf("yesterday's log edited = %+v", l)
	}
}

func TestCommitments_LoggingOnlyWhenDue(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	notDue := func(id int64, day, what string) {
		t.Helper()
		err := e.s.Log(ctx, a, id, service.LogInput{Day: day, Status: mend.Kept})
		if msg := fieldErr(t, err, "day"); msg != "This commitment is not due on that day." {
			t.Fatalf("%s: %q", what, msg)
		}
	}
	e.setNow(t, "2027-03-01T10:00:00Z") // a Monday
	pending := e.propose(t, a, promise("Walk together", "2027-03-29"))
	notDue(pending, "", "before agreement")
	later := promise("Start after the holiday", "2027-04-01")
	later.StartsOn = "2027-03-03"
	starting := e.active(t, a, b, later)
	notDue(starting, "", "before its start")
	weekdays := e.active(t, a, b, onDays(promise("Gym before work", "2027-03-29"), "0", "2", "4"))
	daily := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	notDue(daily, "2027-02-28", "the day before it was agreed")

	e.setNow(t, "2027-03-02T10:00:00Z") // Tuesday
	notDue(weekdays, "", "a day not chosen")
	e.log(t, a, weekdays, "2027-03-01", mend.Kept, "") // yesterday, chosen
	notDue(starting, "2027-03-01", "yesterday, before its start")

	e.setNow(t, "2027-03-03T10:00:00Z")
	e.log(t, a, starting, "", mend.Kept, "")
	e.review(t, b, daily, mend.ReviewPause, "")
	// A pause takes effect at the end of its day: today can still be logged.
	e.log(t, a, daily, "", mend.Kept, "")
	e.setNow(t, "2027-03-04T10:00:00Z")
	notDue(daily, "", "while paused")
	e.setNow(t, "2027-03-05T10:00:00Z")
	notDue(daily, "2027-03-04", "yesterday, while paused")
	e.review(t, b, daily, mend.ReviewResume, "")
	notDue(daily, "2027-03-04", "yesterday, a paused day")
	e.log(t, a, daily, "", mend.Kept, "")
}

func TestCommitments_LoggingAgainEditsAndKeepsHistory(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))

	e.log(t, a, id, "", mend.Kept, "first")
	e.clk.t = e.clk.t.Add(time.Hour)
	e.log(t, a, id, "", mend.Missed, "second")
	e.clk.t = e.clk.t.Add(time.Hour)
	e.log(t, a, id, "2027-03-01", mend.Partly, "third")
	if n := count(t, e.db, `SELECT count(*) FROM commitment_logs`); n != 1 {
		t.Fatalf("%d logs of one occurrence, want 1", n)
	}
	v := e.view(t, b, id)
	l := v.Logs[0]
	if l.Status != mend.Partly || l.Note != "third" || l.Late || len(l.Versions) != 2 {
		t.Fatalf("log = %+v", l)
	}
	if l.Versions[0].Status != mend.Missed || l.Versions[0].Note != "second" || l.Versions[1].Status != mend.Kept || l.Versions[1].Note != "first" ||
		l.Versions[0].SavedAt.Before(l.Versions[1].SavedAt) || l.Versions[0].LogID != l.ID {
		t.Fatalf("versions, newest first = %+v", l.Versions)
	}
	if !l.UpdatedAt.After(l.CreatedAt) {
		t.Fatalf("an edited log: created %v, updated %v", l.CreatedAt, l.UpdatedAt)
	}
	if v.OwnedMisses != 0 {
		t.Fatalf("an edited-away miss still counts as owned: %d", v.OwnedMisses)
	}
	// EditLog does the same.
	if err := errOf(e.s.EditLog(ctx, a, id, l.ID, mend.Kept, "  fourth  ")); err != nil {
		t.Fatal(err)
	}
	l = e.view(t, a, id).Logs[0]
	if l.Status != mend.Kept || l.Note != "fourth" || len(l.Versions) != 3 || l.Versions[0].Note != "third" {
		t.Fatalf("after EditLog = %+v", l)
	}
	wantStat(t, statOf(e.view(t, a, id), 7), 7, stat{1, 1, 0, 0, 0}, 100, "one kept day after the edits")
}

func TestCommitments_NoEditsAfterThePartnerResponds(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	e.setNow(t, "2027-03-02T10:00:00Z")
	e.log(t, a, id, "", mend.Missed, "Stuck at work")
	e.log(t, a, id, "", mend.Missed, "Stuck at work, I should have called")
	logID := e.view(t, a, id).Logs[0].ID
	if err := e.s.Respond(ctx, b, id, logID, true, "Thank you for telling me."); err != nil {
		t.Fatal(err)
	}
	wantErr(t, e.s.Log(ctx, a, id, service.LogInput{Status: mend.Kept}), mend.ErrLogAnswered, "logging the answered occurrence again")
	wantErr(t, errOf(e.s.EditLog(ctx, a, id, logID, mend.Kept, "")), mend.ErrLogAnswered, "editing the answered log")
	l := e.view(t, b, id).Logs[0]
	if l.Status != mend.Missed || l.Note != "Stuck at work, I should have called" || len(l.Versions) != 1 || len(l.Responses) != 1 {
		t.Fatalf("the answered log = %+v", l)
	}
	// A confirmation alone locks too, and other occurrences stay open.
	e.log(t, a, id, "2027-03-01", mend.Kept, "")
	first := logOn(t, e.view(t, a, id), "2027-03-01")
	e.log(t, a, id, "2027-03-01", mend.Partly, "")
	if err := e.s.Respond(ctx, b, id, first.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.s.Log(ctx, a, id, service.LogInput{Day: "2027-03-01", Status: mend.Kept}), mend.Conflict, "logging a confirmed occurrence again")
	wantCode(t, errOf(e.s.EditLog(ctx, a, id, first.ID, mend.Kept, "")), mend.Conflict, "editing a confirmed log")
	if got := logOn(t, e.view(t, a, id), "2027-03-01"); got.Status != mend.Partly || len(got.Versions) != 1 {
		t.Fatalf("the confirmed log = %+v", got)
	}
	// The partner may still add to an answer.
	if err := e.s.Respond(ctx, b, id, logID, false, "Let's talk tonight."); err != nil {
		t.Fatal(err)
	}
	if r := e.view(t, a, id).Logs[0].Responses; len(r) != 1 || !r[0].Confirmed || r[0].Body != "Let's talk tonight." {
		t.Fatalf("answer after adding = %+v", r)
	}
}

func TestCommitments_EachTimeLogsAddRows(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, withRhythm(promise("Tell you before any purchase over $50", "2027-03-29"), mend.EachTime))
	if v := e.view(t, a, id); v.DueToday {
		t.Fatal("each time it applies is never due today")
	}
	e.log(t, a, id, "", mend.Kept, "shoes")
	e.log(t, a, id, "", mend.Missed, "groceries, told you after")
	first := e.view(t, a, id).Logs[1]
	if err := e.s.Respond(ctx, b, id, first.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	e.log(t, a, id, "", mend.Kept, "train tickets")
	e.setNow(t, "2027-03-02T10:00:00Z")
	e.log(t, a, id, "2027-03-01", mend.Partly, "forgot one")
	v := e.view(t, b, id)
	if len(v.Logs) != 4 {
		t.Fatalf("%d logs, want 4 rows", len(v.Logs))
	}
	for _, l := range v.Logs {
		if len(l.Versions) != 0 || !l.OccursOn.Equal(mustDate("2027-03-01")) {
			t.Fatalf("each-time log = %+v", l)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_log_versions`); n != 0 {
		t.Fatalf("%d log versions", n)
	}
	wantStat(t, v.Stat(7), 7, stat{4, 2, 1, 1, 0}, 62.5, "four times on one day")
	if v.OwnedMisses != 1 || v.DueToday {
		t.Fatalf("owned misses %d, due today %v", v.OwnedMisses, v.DueToday)
	}
	// Each one is edited by its id, until answered.
	if err := errOf(e.s.EditLog(ctx, a, id, v.Logs[0].ID, mend.Kept, "all told")); err != nil {
		t.Fatal(err)
	}
	wantCode(t, errOf(e.s.EditLog(ctx, a, id, first.ID, mend.Kept, "")), mend.Conflict, "editing an answered each-time log")
}

func TestCommitments_WeeklyLogsOneOccurrencePerWindow(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-03T10:00:00Z") // Wednesday
	id := e.active(t, a, b, withRhythm(promise("A date night", "2027-04-28"), mend.Weekly))
	if v := e.view(t, a, id); !v.DueToday {
		t.Fatal("a new week is not due")
	}
	e.setNow(t, "2027-03-05T10:00:00Z")
	e.log(t, a, id, "", mend.Partly, "only an hour")
	if v := e.view(t, a, id); v.DueToday {
		t.Fatal("a logged week is still due")
	}
	e.setNow(t, "2027-03-08T10:00:00Z")
	e.log(t, a, id, "", mend.Kept, "dinner out")
	e.setNow(t, "2027-03-10T10:00:00Z")                    // the second week
	e.log(t, a, id, "2027-03-09", mend.Kept, "and a walk") // yesterday: still the first week
	v := e.view(t, b, id)
	if len(v.Logs) != 1 {
		t.Fatalf("%d logs in one week: %+v", len(v.Logs), v.Logs)
	}
	l := logOn(t, v, "2027-03-03")
	if l.Note != "and a walk" || l.Status != mend.Kept || len(l.Versions) != 2 {
		t.Fatalf("the week's log = %+v", l)
	}
	if !v.DueToday {
		t.Fatal("the second week is not due")
	}
	wantStat(t, v.Stat(30), 30, stat{1, 1, 0, 0, 0}, 100, "one week kept, the second open")
}

func TestCommitments_SameLogSentTwentyTimesAtOnceLogsOnce(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	for _, r := range []mend.Rhythm{mend.Daily, mend.EachTime} {
		id := e.active(t, a, b, withRhythm(promise("Home by 7 or I call", "2027-03-29"), r))
		in := service.LogInput{Status: mend.Missed, Note: "late", FormKey: service.NewFormKey()}
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				if err := e.s.Log(ctx, a, id, in); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := count(t, e.db, `SELECT count(*) FROM commitment_logs WHERE commitment_id = $1`, id); n != 1 {
			t.Fatalf("%s: %d logs, want 1", r, n)
		}
		if n := count(t, e.db, `SELECT count(*) FROM commitment_log_versions`); n != 0 {
			t.Fatalf("%s: %d log versions, want 0", r, n)
		}
		// Sent again later with other content, it changes nothing.
		in.Status = mend.Kept
		if err := e.s.Log(ctx, a, id, in); err != nil {
			t.Fatal(err)
		}
		if l := e.view(t, a, id).Logs; len(l) != 1 || l[0].Status != mend.Missed {
			t.Fatalf("%s: a form sent again changed the log: %+v", r, l)
		}
	}
}

func TestCommitments_TwentyDifferentLogsAtOnceMakeOneOccurrence(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	daily := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	each := e.active(t, a, b, withRhythm(promise("Tell you before any purchase over $50", "2027-03-29"), mend.EachTime))
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			status := mend.LogStatuses[i%3].Value
			for _, id := range []int64{daily, each} {
				// Each log says something else, so each later one is an edit.
				if err := e.s.Log(ctx, a, id, service.LogInput{Status: status, Note: fmt.Sprintf("log %d", i), FormKey: service.NewFormKey()}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := count(t, e.db, `SELECT count(*) FROM commitment_logs WHERE commitment_id = $1`, daily); n != 1 {
		t.Fatalf("%d daily logs of one day, want 1", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_log_versions`); n != 19 {
		t.Fatalf("%d log versions, want 19", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM commitment_logs WHERE commitment_id = $1`, each); n != 20 {
		t.Fatalf("%d each-time logs, want 20", n)
	}
}

func TestCommitments_OpenDaysAreTheOwnersTodayAndYesterdayWhileUnlogged(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z") // a Monday
	daily := e.active(t, a, b, promise("Home by 7 or I call", "2027-03-29"))
	weekly := e.active(t, a, b, withRhythm(promise("A date night", "2027-03-29"), mend.Weekly))
	each := e.active(t, a, b, withRhythm(promise("Tell you before any purchase over $50", "2027-03-29"), mend.EachTime))
	mwf := e.active(t, a, b, onDays(promise("Gym before work", "2027-03-29"), "0", "2", "4"))
	pending := e.propose(t, a, promise("Walk together", "2027-03-29"))
	open := func(id int64, what string, want ...string) {
		t.Helper()
		for _, u := range []*mend.User{a, b} {
			var got []string
			for _, d := range e.view(t, u, id).OpenDays {
				got = append(got, d.Format(time.DateOnly))
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s, read by %s: open days %v, want %v", what, u.Name, got, want)
			}
		}
	}
	// The first day: the day before was not in force.
	open(daily, "daily, the first day", "2027-03-01")
	open(weekly, "weekly, the first day", "2027-03-01")
	open(each, "each time, the first day", "2027-03-01")
	open(mwf, "Mondays, Wednesdays and Fridays, on a Monday", "2027-03-01")
	open(pending, "not agreed")

	e.setNow(t, "2027-03-02T10:00:00Z") // Tuesday
	open(daily, "daily, nothing logged", "2027-03-02", "2027-03-01")
	open(weekly, "weekly, one window for both days", "2027-03-02")
	open(mwf, "Mondays, Wednesdays and Fridays, on a Tuesday", "2027-03-01")
	e.log(t, a, daily, "", mend.Kept, "")
	open(daily, "daily, today logged", "2027-03-01")
	e.log(t, a, daily, "2027-03-01", mend.Missed, "")
	open(daily, "daily, both logged")
	e.log(t, a, weekly, "2027-03-01", mend.Kept, "")
	open(weekly, "weekly, logged")
	e.log(t, a, each, "", mend.Kept, "")
	open(each, "each time, logged: still open", "2027-03-02", "2027-03-01")
	e.log(t, a, mwf, "2027-03-01", mend.Kept, "")
	open(mwf, "Monday logged")
	// A new week opens its own window; the last one was logged.
	e.setNow(t, "2027-03-08T10:00:00Z")
	open(weekly, "weekly, a new week", "2027-03-08")
	e.review(t, b, daily, mend.ReviewPause, "")
	// A pause takes effect at the end of its day: today is still open.
	open(daily, "paused today", "2027-03-08", "2027-03-07")
	e.setNow(t, "2027-03-09T10:00:00Z")
	open(daily, "paused since yesterday", "2027-03-08")
	e.setNow(t, "2027-03-10T10:00:00Z")
	open(daily, "paused")
}

func TestCommitments_EntriesOlderThanAWeekStayAsTheyAre(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T09:00:00Z")
	id := e.active(t, a, b, promise("I call if I am late", "2027-05-29"))
	e.log(t, a, id, "", mend.Missed, "Forgot")
	logID := logOn(t, e.view(t, a, id), "2027-03-01").ID
	e.setNow(t, "2027-03-08T09:00:00Z") // a week on: still open
	if err := errOf(e.s.EditLog(ctx, a, id, logID, mend.Partly, "Called late")); err != nil {
		t.Fatal(err)
	}
	e.setNow(t, "2027-03-09T09:00:00Z")
	wantCode(t, errOf(e.s.EditLog(ctx, a, id, logID, mend.Kept, "It was fine")), mend.Conflict, "editing an entry older than a week")
	if l := logOn(t, e.view(t, a, id), "2027-03-01"); l.Status != mend.Partly || len(l.Versions) != 1 {
		t.Fatalf("the entry: %+v", l)
	}
}
