package service_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// Consistency: the periods a commitment was in force and how its logs
// count over 7, 30 and 90 days.

func TestCommitments_ConsistencyOverSevenThirtyAndNinetyDays(t *testing.T) {
	t.Parallel()
	// Daily from Monday 1 February 2027, agreed a few days before; today is
	// Saturday 10 April.
	ps := mend.Periods([]mend.CommitmentEvent{event(mend.ActProposed, 1, "2027-01-25"), event(mend.ActAgreed, 1, "2027-01-28")},
		versions(ver(1, mend.Daily, 0, "2027-02-01")))
	if got := periodsString(ps); got != "2027-02-01–open daily/0" {
		t.Fatalf("periods = %s", got)
	}
	var ls []mend.CommitmentLog
	for d := mustDate("2027-02-01"); d.Before(mustDate("2027-04-03")); d = d.AddDate(0, 0, 1) {
		ls = append(ls, mend.CommitmentLog{OccursOn: d, Status: mend.Kept})
	}
	ls = append(ls, logged("2027-04-03 missed", "2027-04-04 partly" /* 5 April not logged */, "2027-04-06 kept", "2027-04-07 kept",
		"2027-04-08 partly", "2027-04-09 missed", "2027-04-11 kept" /* after today: not counted */)...)
	today := mustDate("2027-04-10")

	// 4–9 April; today is not counted before it is logged.
	wantStat(t, mend.ConsistencyOver(ps, ls, today, 7), 7, stat{6, 2, 2, 1, 1}, 50, "7 days")
	// 12 March – 9 April: 22 kept days before.
	wantStat(t, mend.ConsistencyOver(ps, ls, today, 30), 30, stat{29, 24, 2, 2, 1}, 25.0/29*100, "30 days")
	// From 1 February only: the 9 days of January before the start are not due.
	wantStat(t, mend.ConsistencyOver(ps, ls, today, 90), 90, stat{68, 63, 2, 2, 1}, 64.0/68*100, "90 days")

	// Logged today, today counts.
	ls = append(ls, logged("2027-04-10 partly")...)
	wantStat(t, mend.ConsistencyOver(ps, ls, today, 7), 7, stat{7, 2, 3, 1, 1}, 3.5/7*100, "7 days with today")
	wantStat(t, mend.ConsistencyOver(ps, ls, today, 90), 90, stat{69, 63, 3, 2, 1}, 64.5/69*100, "90 days with today")

	// A slip lowers a percentage a little; nothing resets to zero.
	allKept := logged()
	for d := mustDate("2027-02-01"); !d.After(today); d = d.AddDate(0, 0, 1) {
		allKept = append(allKept, mend.CommitmentLog{OccursOn: d, Status: mend.Kept})
	}
	allKept[len(allKept)-2].Status = mend.Missed // yesterday
	wantStat(t, mend.ConsistencyOver(ps, allKept, today, 30), 30, stat{30, 29, 0, 1, 0}, 29.0/30*100, "one slip in 30 days")
}

func TestCommitments_ConsistencyCountsTodayOnlyIfLogged(t *testing.T) {
	t.Parallel()
	ps := mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01")}, versions(ver(1, mend.Daily, 0, "2027-03-01")))
	today := mustDate("2027-03-01")
	wantStat(t, mend.ConsistencyOver(ps, nil, today, 7), 7, stat{}, math.NaN(), "the first day, not logged")
	for status, want := range map[string]stat{mend.Kept: {1, 1, 0, 0, 0}, mend.Partly: {1, 0, 1, 0, 0}, mend.Missed: {1, 0, 0, 1, 0}} {
		pct := map[string]float64{mend.Kept: 100, mend.Partly: 50, mend.Missed: 0}[status]
		wantStat(t, mend.ConsistencyOver(ps, logged("2027-03-01 "+status), today, 7), 7, want, pct, "today "+status)
	}
	// The day after, the unlogged first day is not logged.
	wantStat(t, mend.ConsistencyOver(ps, nil, today.AddDate(0, 0, 1), 7), 7, stat{1, 0, 0, 0, 1}, 0, "the day after")
	// Before the start, nothing is due and nothing counts.
	wantStat(t, mend.ConsistencyOver(ps, nil, mustDate("2027-02-20"), 90), 90, stat{}, math.NaN(), "before the start")
}

func TestCommitments_ConsistencyOfWeekdayRhythms(t *testing.T) {
	t.Parallel()
	if mend.WeekdayBit(mustDate("2027-03-01")) != 1 || mend.WeekdayBit(mustDate("2027-03-07")) != 1<<6 {
		t.Fatal("1 March 2027 is a Monday, 7 March a Sunday")
	}
	// Mondays, Wednesdays and Fridays from Monday 1 March.
	ps := mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01")}, versions(ver(1, mend.Weekdays, monWedFri, "2027-03-01")))
	for day, due := range map[string]bool{"2027-03-01": true, "2027-03-02": false, "2027-03-03": true, "2027-03-04": false,
		"2027-03-05": true, "2027-03-06": false, "2027-03-07": false, "2027-03-08": true, "2027-02-26": false} {
		occ, ok := mend.Occurrence(ps, mustDate(day))
		if ok != due || (ok && !occ.Equal(mustDate(day))) {
			t.Errorf("occurrence on %s = %v %v, want due %v", day, occ, ok, due)
		}
	}
	ls := logged("2027-03-01 kept", "2027-03-03 kept", "2027-03-05 partly", "2027-03-08 missed" /* 10 March not logged */, "2027-03-12 kept")
	today := mustDate("2027-03-14") // a Sunday
	wantStat(t, mend.ConsistencyOver(ps, ls, today, 7), 7, stat{3, 1, 0, 1, 1}, 100.0/3, "7 days: 8, 10, 12 March")
	wantStat(t, mend.ConsistencyOver(ps, ls, today, 30), 30, stat{6, 3, 1, 1, 1}, 3.5/6*100, "30 days")
	// On Monday the 15th, the day itself counts once logged.
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-03-15"), 7), 7, stat{2, 1, 0, 0, 1}, 50, "Monday, not logged yet")
	wantStat(t, mend.ConsistencyOver(ps, append(ls, logged("2027-03-15 kept")...), mustDate("2027-03-15"), 7), 7, stat{3, 2, 0, 0, 1}, 200.0/3, "Monday, logged")
	// Tuesday: Monday unlogged counts as not logged; Tuesday is not due.
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-03-16"), 7), 7, stat{3, 1, 0, 0, 2}, 100.0/3, "Tuesday")
}

func TestCommitments_ConsistencyOfWeeklyRhythms(t *testing.T) {
	t.Parallel()
	// Once a week from Wednesday 3 March: windows start on the 3rd, 10th,
	// 17th, 24th and 31st.
	ps := mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-03")}, versions(ver(1, mend.Weekly, 0, "2027-03-03")))
	for day, want := range map[string]string{"2027-03-03": "2027-03-03", "2027-03-09": "2027-03-03", "2027-03-10": "2027-03-10",
		"2027-03-16": "2027-03-10", "2027-03-23": "2027-03-17", "2027-03-24": "2027-03-24"} {
		if occ, ok := mend.Occurrence(ps, mustDate(day)); !ok || !occ.Equal(mustDate(want)) {
			t.Errorf("occurrence on %s = %v %v, want %s", day, occ, ok, want)
		}
	}
	if _, ok := mend.Occurrence(ps, mustDate("2027-03-02")); ok {
		t.Error("due before the start")
	}
	ls := logged("2027-03-03 kept", "2027-03-10 partly")
	// On the last day of the third window it is still open: not counted.
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-03-23"), 30), 30, stat{2, 1, 1, 0, 0}, 75, "the third week still open")
	// Once it ended unlogged, it counts as not logged; the fourth is open.
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-03-24"), 30), 30, stat{3, 1, 1, 0, 1}, 50, "the third week ended")
	// Logged during its window, an open week counts at once.
	ls = append(ls, logged("2027-03-24 kept")...)
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-03-24"), 30), 30, stat{4, 2, 1, 0, 1}, 62.5, "the fourth week logged")
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-03-29"), 30), 30, stat{4, 2, 1, 0, 1}, 62.5, "the fourth week, later")
	// A week counts in the days where it ends, as it can be kept until then:
	// 7 days from the 20th hold the end of the 17th's week (not logged) and
	// the 24th's (kept).
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-03-26"), 7), 7, stat{2, 1, 0, 0, 1}, 50, "7 days from the 20th")
	// 10 March – 8 April: the weeks of the 10th (partly), 17th (not logged),
	// 24th (kept) and 31st (ended, not logged); not the 3rd's; the 7th's is open.
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-04-08"), 30), 30, stat{4, 1, 1, 0, 2}, 37.5, "30 days from 10 March")
	// A missed week owned.
	ls = append(ls, logged("2027-03-31 missed")...)
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-04-01"), 30), 30, stat{5, 2, 1, 1, 1}, 50, "the fifth week missed")
}

func TestCommitments_ConsistencyOfEachTimeCountsOnlyLogged(t *testing.T) {
	t.Parallel()
	ps := mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01")}, versions(ver(1, mend.EachTime, 0, "2027-03-01")))
	today := mustDate("2027-03-06")
	wantStat(t, mend.ConsistencyOver(ps, nil, today, 30), 30, stat{}, math.NaN(), "nothing logged")
	ls := logged("2027-03-02 kept", "2027-03-02 kept", "2027-03-04 missed", "2027-03-05 partly", "2027-03-06 kept")
	wantStat(t, mend.ConsistencyOver(ps, ls, today, 30), 30, stat{5, 3, 1, 1, 0}, 70, "five times")
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-03-10"), 7), 7, stat{3, 1, 1, 1, 0}, 50, "7 days: 4–6 March")
	if occ, ok := mend.Occurrence(ps, today); !ok || !occ.Equal(today) {
		t.Fatalf("each time: occurrence %v %v", occ, ok)
	}
}

func TestCommitments_PausedDaysAreNotDue(t *testing.T) {
	t.Parallel()
	vs := versions(ver(1, mend.Daily, 0, "2027-03-01"))
	evs := []mend.CommitmentEvent{event(mend.ActProposed, 1, "2027-02-27"), event(mend.ActAgreed, 1, "2027-03-01"),
		event(mend.ActPaused, 1, "2027-03-04"), event(mend.ActResumed, 1, "2027-03-08")}
	ps := mend.Periods(evs, vs)
	// A pause takes effect at the end of its day: that day stays due.
	if got := periodsString(ps); got != "2027-03-01–2027-03-05 daily/0, 2027-03-08–open daily/0" {
		t.Fatalf("periods = %s", got)
	}
	for _, d := range []string{"2027-03-05", "2027-03-06", "2027-03-07"} {
		if _, due := mend.Occurrence(ps, mustDate(d)); due {
			t.Errorf("%s is due while paused", d)
		}
	}
	ls := logged("2027-03-01 kept", "2027-03-02 kept", "2027-03-03 partly", "2027-03-04 kept", "2027-03-08 missed")
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-03-10"), 30), 30, stat{6, 3, 1, 1, 1}, 3.5/6*100, "around a pause")
	// Completed on the 10th: nothing is due after it.
	ps = mend.Periods(append(evs, event(mend.ActCompleted, 1, "2027-03-10")), vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-05 daily/0, 2027-03-08–2027-03-11 daily/0" {
		t.Fatalf("periods after completing = %s", got)
	}
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-03-20"), 30), 30, stat{7, 3, 1, 1, 2}, 3.5/7*100, "after completing")
	// Paused on the day it was agreed: that day was still due.
	ps = mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActPaused, 1, "2027-03-01"),
		event(mend.ActResumed, 1, "2027-03-03")}, vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-02 daily/0, 2027-03-03–open daily/0" {
		t.Fatalf("periods paused on the first day = %s", got)
	}
}

func TestCommitments_PeriodsFollowAgreedChanges(t *testing.T) {
	t.Parallel()
	// Daily from 1 March; on 3 March a change to Mondays only from 8 March
	// is agreed.
	vs := versions(ver(1, mend.Daily, 0, "2027-03-01"), ver(2, mend.Weekdays, 1, "2027-03-08"))
	ps := mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActRevised, 2, "2027-03-02"),
		event(mend.ActAgreed, 2, "2027-03-03")}, vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-08 daily/0, 2027-03-08–open weekdays/1" {
		t.Fatalf("periods = %s", got)
	}
	// 1–7 March daily, then Mondays 8 and 15 March; Wednesday 17th is today.
	wantStat(t, mend.ConsistencyOver(ps, logged("2027-03-02 kept", "2027-03-15 kept"), mustDate("2027-03-17"), 30), 30,
		stat{9, 2, 0, 0, 7}, 200.0/9, "across the change")
	// A change agreed after its start takes over from the day it was agreed.
	vs[2].StartsOn = mustDate("2027-03-02")
	ps = mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActAgreed, 2, "2027-03-05")}, vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-05 daily/0, 2027-03-05–open weekdays/1" {
		t.Fatalf("periods of a late agreement = %s", got)
	}
	// A change agreed while paused applies from the resumption.
	ps = mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActPaused, 1, "2027-03-03"),
		event(mend.ActAgreed, 2, "2027-03-04"), event(mend.ActResumed, 2, "2027-03-10")}, vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-04 daily/0, 2027-03-10–open weekdays/1" {
		t.Fatalf("periods of a change agreed while paused = %s", got)
	}
	// A first version starting later is in force from its start.
	ps = mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-02-20")}, vs)
	if got := periodsString(ps); got != "2027-03-01–open daily/0" {
		t.Fatalf("periods of a later start = %s", got)
	}
	// Keeping at a review goes on in the same period (a weekly one keeps
	// its weeks).
	vs[3] = ver(3, mend.Daily, 0, "2027-03-01")
	ps = mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActKept, 3, "2027-03-29")}, vs)
	if got := periodsString(ps); got != "2027-03-01–open daily/0" {
		t.Fatalf("periods after keeping = %s", got)
	}
	// Proposals, requests and declines change nothing.
	ps = mend.Periods([]mend.CommitmentEvent{event(mend.ActProposed, 1, "2027-03-01"), event(mend.ActAskedChange, 1, "2027-03-01"),
		event(mend.ActRevised, 2, "2027-03-02"), event(mend.ActDeclined, 2, "2027-03-03")}, vs)
	if len(ps) != 0 {
		t.Fatalf("periods never agreed = %s", periodsString(ps))
	}
}

func TestCommitments_StripOfTwelveWeeks(t *testing.T) {
	t.Parallel()
	ps := mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01")}, versions(ver(1, mend.Daily, 0, "2027-03-01")))
	ls := logged("2027-03-01 kept", "2027-03-02 partly", "2027-03-03 missed", "2027-03-06 kept")
	s := mend.Strip(ps, ls, mustDate("2027-03-07"), 12)
	if len(s) != 84 || !s[0].Day.Equal(mustDate("2026-12-14")) || !s[83].Day.Equal(mustDate("2027-03-07")) {
		t.Fatalf("strip of %d days from %v to %v", len(s), s[0].Day, s[len(s)-1].Day)
	}
	for _, d := range s[:77] {
		if d.Due || d.Status != "" || d.Logs != 0 {
			t.Fatalf("before the start: %+v", d)
		}
	}
	var got []string
	for _, d := range s[77:] {
		got = append(got, fmt.Sprintf("%v:%s", d.Due, d.Status))
	}
	if g := strings.Join(got, " "); g != "true:kept true:partly true:missed true: true: true:kept true:open" {
		t.Fatalf("last week = %s", g)
	}

	// Weekly: the window's first day carries it; a running window is open.
	ps = mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-02-24")}, versions(ver(1, mend.Weekly, 0, "2027-02-24")))
	s = mend.Strip(ps, logged("2027-02-24 kept"), mustDate("2027-03-07"), 2)
	got = nil
	for _, d := range s {
		got = append(got, fmt.Sprintf("%v:%s", d.Due, d.Status))
	}
	// 22 Feb – 7 March: windows on 24 February (kept) and 3 March (open).
	if g := strings.Join(got, " "); g != "false: false: true:kept false: false: false: false: false: false: true:open false: false: false: false:" {
		t.Fatalf("weekly strip = %s", g)
	}

	// Each time it applies: how many were logged each day.
	ps = mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01")}, versions(ver(1, mend.EachTime, 0, "2027-03-01")))
	s = mend.Strip(ps, logged("2027-03-02 kept", "2027-03-02 missed", "2027-03-05 kept"), mustDate("2027-03-07"), 1)
	if s[1].Logs != 2 || s[1].Status != mend.Kept || s[4].Logs != 1 || s[0].Logs != 0 || s[0].Due || s[6].Status != "" {
		t.Fatalf("each-time strip = %+v", s)
	}
}

func TestCommitments_ConsistencyThroughTheService(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z")
	id := e.active(t, a, b, promise("Home by 7 or I call", "2027-05-31"))
	// Five weeks: kept mostly, a few owned misses, some days not logged.
	plan := map[int]string{3: mend.Missed, 4: mend.Partly, 9: "", 10: "", 17: mend.Missed, 22: mend.Partly, 30: mend.Missed, 31: "", 33: mend.Partly}
	for i := range 35 {
		e.clk.t = mustDate("2027-03-01").AddDate(0, 0, i).Add(20 * time.Hour)
		status, ok := plan[i]
		if !ok {
			status = mend.Kept
		}
		if status != "" {
			e.log(t, a, id, "", status, "")
		}
	}
	// 35 days logged from 1 March; it is now 5 April, not logged yet.
	e.setNow(t, "2027-04-05T09:00:00Z")
	for _, u := range []*mend.User{a, b} {
		v := e.view(t, u, id)
		// 29 March – 4 April: days 28–34.
		wantStat(t, v.Stat(7), 7, stat{6, 3, 1, 1, 1}, 3.5/6*100, u.Name+": 7 days")
		// 7 March – 4 April: days 6–34.
		wantStat(t, v.Stat(30), 30, stat{29, 22, 2, 2, 3}, 23.0/29*100, u.Name+": 30 days")
		// Everything since 1 March.
		wantStat(t, v.Stat(90), 90, stat{35, 26, 3, 3, 3}, 27.5/35*100, u.Name+": 90 days")
		if v.OwnedMisses != 3 || !v.DueToday {
			t.Fatalf("%s: owned misses %d, due today %v", u.Name, v.OwnedMisses, v.DueToday)
		}
		// The strip starts on the first day in force, 1 March.
		s := v.Strip
		n := len(s)
		if n != 36 || !s[0].Day.Equal(mustDate("2027-03-01")) || s[0].Status != mend.Kept || !s[n-1].Day.Equal(mustDate("2027-04-05")) ||
			s[n-1].Status != "open" || s[n-2].Status != mend.Kept || s[n-3].Status != mend.Partly || s[n-4].Status != mend.Kept ||
			s[n-5].Status != "" || !s[n-5].Due || s[n-6].Status != mend.Missed {
			t.Fatalf("%s: strip of %d days: %+v … %+v", u.Name, n, s[0], s[max(n-6, 0):])
		}
	}
	// The list shows the same 30-day figure.
	l := e.list(t, b)
	wantIDs(t, l.Active, "Ben's active list", id)
	if got, want := l.Active[0].Stat(30), statOf(e.view(t, a, id), 30); got != want && !(math.IsNaN(got.Percent) && math.IsNaN(want.Percent)) {
		t.Fatalf("list %+v, detail %+v", got, want)
	}
	if len(l.Active[0].Stats) != 1 {
		t.Fatalf("the list computes %d windows", len(l.Active[0].Stats))
	}
	// Logged now, today counts.
	e.log(t, a, id, "", mend.Kept, "")
	wantStat(t, statOf(e.view(t, b, id), 7), 7, stat{7, 4, 1, 1, 1}, 4.5/7*100, "7 days, a day on, logged") // 30 March – 5 April
	if v := e.view(t, a, id); v.DueToday {
		t.Fatal("still due today once logged")
	}
	wantIDs(t, e.list(t, a).DueToday, "due for Ana once logged")
	// The whole log, or the last 90 days.
	e.setNow(t, "2027-07-01T09:00:00Z")
	p, err := e.s.Detail(ctx, a, id, true)
	// Owned misses are counted over the last 90 days: none since April.
	if err != nil || len(p.View.Logs) != 33 || p.View.OwnedMisses != 0 {
		t.Fatalf("the whole log: %d logs, %d owned misses (%v)", len(p.View.Logs), p.View.OwnedMisses, err)
	}
	// The page loads 90 days and a week (for a weekly occurrence ending in
	// them): from 26 March.
	if v := e.view(t, a, id); len(v.Logs) != 10 || !v.Logs[0].OccursOn.Equal(mustDate("2027-04-05")) || v.OwnedMisses != 0 {
		t.Fatalf("the last 90 days: %d logs, newest %v, owned misses %d", len(v.Logs), v.Logs[0].OccursOn, v.OwnedMisses)
	}
}

func TestCommitments_WeekdayRhythmThroughTheService(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-01T10:00:00Z") // a Monday
	id := e.active(t, a, b, onDays(promise("Gym before work", "2027-03-29"), "0", "2", "4"))
	for i := range 14 {
		e.clk.t = mustDate("2027-03-01").AddDate(0, 0, i).Add(18 * time.Hour)
		due := i%7 == 0 || i%7 == 2 || i%7 == 4
		switch {
		case !due:
			fieldRefused(t, e.s.Log(ctx, a, id, service.LogInput{Status: mend.Kept}), "day", fmt.Sprintf("logging day %d, not chosen", i))
		case i != 9: // Wednesday 10 March goes unlogged
			e.log(t, a, id, "", mend.Kept, "")
		}
		if v := e.view(t, a, id); v.DueToday != (due && i == 9) {
			t.Fatalf("day %d: due today %v", i, v.DueToday)
		}
	}
	// Sunday 14 March: six days were due, one (Wednesday 10th) not logged.
	v := e.view(t, b, id)
	wantStat(t, v.Stat(30), 30, stat{6, 5, 0, 0, 1}, 500.0/6, "30 days")
	wantStat(t, v.Stat(7), 7, stat{3, 2, 0, 0, 1}, 200.0/3, "7 days")
}

func TestCommitments_PeriodsNeverOverlapAndPausesEndFutureChanges(t *testing.T) {
	t.Parallel()
	vs := versions(ver(1, mend.Daily, 0, "2027-03-01"), ver(2, mend.Weekdays, 1, "2027-03-20"), ver(3, mend.Weekly, 0, "2027-03-15"))
	// A change starting on the 20th agreed on the 5th, then a pause on the
	// 10th: the change never comes into force, the pause ends the 10th.
	ps := mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActAgreed, 2, "2027-03-05"),
		event(mend.ActPaused, 2, "2027-03-10")}, vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-11 daily/0" {
		t.Fatalf("a pause before a change began = %s", got)
	}
	ls := logged("2027-03-01 kept", "2027-03-02 kept", "2027-03-03 kept", "2027-03-04 kept", "2027-03-05 kept",
		"2027-03-06 kept", "2027-03-07 kept", "2027-03-08 kept", "2027-03-09 kept", "2027-03-10 kept")
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-03-18"), 30), 30, stat{10, 10, 0, 0, 0}, 100, "paused days are not counted")
	// Two changes agreed, the second starting before the first: no overlap.
	ps = mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActAgreed, 2, "2027-03-05"),
		event(mend.ActAgreed, 3, "2027-03-06")}, vs)
	if got := periodsString(ps); got != "2027-03-01–2027-03-15 daily/0, 2027-03-15–open weekly/0" {
		t.Fatalf("changes starting out of order = %s", got)
	}
}

func TestCommitments_KeepingAWeeklyCommitmentKeepsItsWeeks(t *testing.T) {
	t.Parallel()
	vs := versions(ver(1, mend.Weekly, 0, "2027-03-01"), ver(2, mend.Weekly, 0, "2027-03-01"))
	ps := mend.Periods([]mend.CommitmentEvent{event(mend.ActAgreed, 1, "2027-03-01"), event(mend.ActKept, 2, "2027-03-31")}, vs)
	if occ, _ := mend.Occurrence(ps, mustDate("2027-04-01")); !occ.Equal(mustDate("2027-03-29")) {
		t.Fatalf("the week of 1 April starts %v, want 29 March", occ)
	}
	ls := logged("2027-03-08 kept", "2027-03-15 kept", "2027-03-22 kept", "2027-03-29 kept")
	wantStat(t, mend.ConsistencyOver(ps, ls, mustDate("2027-04-07"), 30), 30, stat{4, 4, 0, 0, 0}, 100, "kept every week across a review")
}
