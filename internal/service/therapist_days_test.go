package service_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/mend-app/mend/internal/mend"
)

// A therapist's pages of a couple's entries list the days chosen, and only
// what is shared with them in those days.

// wantDaysRefused checks that err is Invalid on field alone, with a
// message containing want.
func wantDaysRefused(t *testing.T, err error, field, want, what string) {
	t.Helper()
	var me *mend.Error
	if !errors.As(err, &me) || me.Code != mend.Invalid || len(me.Fields) != 1 || !strings.Contains(me.Fields[field], want) {
		t.Fatalf("%s: want Invalid on %s saying %q, got %v", what, field, want, err)
	}
}

func TestCheckins_TherapistChoosesDaysAndSeesOnlyTheSharedOnesOfThem(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	// a shares check-ins with Tess; b does not.
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindCheckins: true}); err != nil {
		t.Fatal(err)
	}
	write := func(day string, u *mend.User, mood int, vis mend.Visibility) {
		e.setNow(t, day+"T12:00:00Z")
		e.save(t, u, entry("", mood, vis))
	}
	write("2027-01-10", a, 1, mend.PartnerAndTherapist) // the day before
	write("2027-01-11", a, 2, mend.MyPartner)           // not marked for Tess
	write("2027-01-11", b, 2, mend.JustMe)              // private
	write("2027-01-12", a, 3, mend.PartnerAndTherapist) // shown
	write("2027-01-12", b, 3, mend.PartnerAndTherapist) // b does not share
	write("2027-01-14", a, 4, mend.PartnerAndTherapist) // shown
	write("2027-01-16", a, 5, mend.PartnerAndTherapist) // the day after
	write("2027-03-09", a, 4, mend.PartnerAndTherapist)
	write("2027-03-10", a, 5, mend.PartnerAndTherapist)
	days := func(p *mend.TherapistCheckinsPage) string {
		var s []string
		for _, c := range p.Checkins {
			if c.UserID != a.ID || c.Visibility != mend.PartnerAndTherapist {
				t.Fatalf("Tess sees a check-in not shared with her: %+v", c)
			}
			s = append(s, c.Day.Format("01-02"))
		}
		return strings.Join(s, ",")
	}

	// Days long before the weeks of the trend: read on their own.
	p, err := e.ci.ForTherapist(ctx, th, coupleID, 4, "2027-01-11", "2027-01-15")
	if err != nil || days(p) != "01-14,01-12" {
		t.Fatalf("11 to 15 January: %+v %v", p, err)
	}
	if !p.Days.Chosen || !p.Days.From.Equal(mustDate("2027-01-11")) || !p.Days.To.Equal(mustDate("2027-01-15")) {
		t.Fatalf("the days shown: %+v", p.Days)
	}
	// The trend keeps to its weeks: the last four, with the two March days.
	if p.Trend.Weeks != 4 || p.Trend.Line(a.ID).Mood.Count != 2 {
		t.Fatalf("the trend with chosen days: %+v", p.Trend.Line(a.ID).Mood)
	}
	// Days inside what the trend reads; one day alone.
	if p, err := e.ci.ForTherapist(ctx, th, coupleID, 12, "2027-03-10", "2027-03-10"); err != nil || days(p) != "03-10" {
		t.Fatalf("10 March: %+v %v", p, err)
	}
	if p, err := e.ci.ForTherapist(ctx, th, coupleID, 52, "2027-01-12", "2027-03-09"); err != nil || days(p) != "03-09,01-16,01-14,01-12" {
		t.Fatalf("12 January to 9 March, 52 weeks: %+v %v", p, err)
	}
	// Nothing chosen: the weeks of the trend.
	if p, err := e.ci.ForTherapist(ctx, th, coupleID, 4, "", ""); err != nil || p.Days.Chosen || days(p) != "03-10,03-09" {
		t.Fatalf("the last 4 weeks: %+v %v", p, err)
	}

	// Days that cannot be shown: the page of the weeks, and why.
	for _, bad := range []struct{ from, to, field, want string }{
		{"last week", "", "from", "Enter the first day as a date"},
		{"2027-01-15", "2027-01-11", "to", "The last day is before the first"},
		{"", "2027-03-11", "to", "still to come"},
		{"2026-01-10", "2027-01-15", "from", "more than a year"},
	} {
		p, err := e.ci.ForTherapist(ctx, th, coupleID, 4, bad.from, bad.to)
		wantDaysRefused(t, err, bad.field, bad.want, bad.from+" to "+bad.to)
		if p == nil || p.Days.Chosen || days(p) != "03-10,03-09" {
			t.Fatalf("%s to %s: the page of the weeks is not shown: %+v", bad.from, bad.to, p)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'checkins'`, coupleID); n != 8 {
		t.Fatalf("%d views recorded, want one per look (8)", n)
	}
}

func TestTriggers_TherapistChoosesDaysAndSeesEveryOneSharedOfThem(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	// Ada lives far east: a trigger falls on her own day.
	a, b, coupleID := e.pairIn(t, "Pacific/Auckland", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	// Ada shares triggers with Tess; Ben does not.
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindTriggers: true}); err != nil {
		t.Fatal(err)
	}
	e.setNow(t, "2027-03-10T12:00:00Z")
	e.log(t, a, quick("place", 3, mend.PartnerAndTherapist, "2027-01-11T20:00")) // the day before
	e.log(t, a, quick("place", 4, mend.PartnerAndTherapist, "2027-01-12T01:00")) // 11 January in UTC, 12th for Ada
	e.log(t, a, quick("place", 5, mend.MyPartner, "2027-01-13T09:00"))           // not marked for Tess
	e.log(t, a, quick("place", 5, mend.JustMe, "2027-01-13T10:00"))              // private
	e.log(t, b, quick("place", 6, mend.PartnerAndTherapist, "2027-01-13T11:00")) // Ben does not share
	for i := range mend.TriggerPage + 2 {
		e.log(t, a, quick("media", 1+i%10, mend.PartnerAndTherapist, fmt.Sprintf("2027-01-14T%02d:00", i)))
	}
	e.log(t, a, quick("place", 7, mend.PartnerAndTherapist, "2027-01-16T09:00")) // the day after
	e.log(t, a, quick("place", 2, mend.PartnerAndTherapist, "2027-03-09T09:00"))
	shown := func(p *mend.TherapistTriggersPage) map[string]int {
		n := map[string]int{}
		for _, tr := range p.Triggers {
			if tr.UserID != a.ID || tr.Visibility != mend.PartnerAndTherapist {
				t.Fatalf("Tess sees a trigger not shared with her: %+v", tr)
			}
			n[tr.LocalDay.Format("01-02")]++
		}
		return n
	}

	p, err := e.tr.ForTherapist(ctx, th, coupleID, 4, "2027-01-12", "2027-01-15")
	if err != nil {
		t.Fatal(err)
	}
	// All of those days, past the length of the latest.
	if n := shown(p); len(p.Triggers) != mend.TriggerPage+3 || n["01-12"] != 1 || n["01-14"] != mend.TriggerPage+2 {
		t.Fatalf("12 to 15 January: %d triggers, by day %v", len(p.Triggers), n)
	}
	if !p.Days.Chosen || !p.Days.From.Equal(mustDate("2027-01-12")) || p.Patterns.Weeks != 4 || p.Patterns.Total != 1 {
		t.Fatalf("the days %+v and the patterns' weeks %d (%d triggers)", p.Days, p.Patterns.Weeks, p.Patterns.Total)
	}
	for i := 1; i < len(p.Triggers); i++ {
		if p.Triggers[i].OccurredAt.After(p.Triggers[i-1].OccurredAt) {
			t.Fatalf("not newest first at %d", i)
		}
	}
	if p, err := e.tr.ForTherapist(ctx, th, coupleID, 4, "2027-01-16", ""); err != nil || len(p.Triggers) != 2 {
		t.Fatalf("16 January to today: %v %v", shown(p), err)
	}
	// Nothing chosen: the latest.
	if p, err := e.tr.ForTherapist(ctx, th, coupleID, 4, "", ""); err != nil || p.Days.Chosen || len(p.Triggers) != mend.TriggerPage {
		t.Fatalf("the latest: %+v %v", p, err)
	}
	for _, bad := range []struct{ from, to, field, want string }{
		{"", "14/01/2027", "to", "Enter the last day as a date"},
		{"2027-01-15", "2027-01-12", "to", "The last day is before the first"},
		{"2027-03-12", "", "from", "still to come"},
		{"2026-01-01", "2027-01-15", "from", "more than a year"},
	} {
		p, err := e.tr.ForTherapist(ctx, th, coupleID, 4, bad.from, bad.to)
		wantDaysRefused(t, err, bad.field, bad.want, bad.from+" to "+bad.to)
		if p == nil || p.Days.Chosen || len(p.Triggers) != mend.TriggerPage {
			t.Fatalf("%s to %s: the latest are not shown: %+v", bad.from, bad.to, p)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'triggers'`, coupleID); n != 7 {
		t.Fatalf("%d views recorded, want one per look (7)", n)
	}
}

func TestCommitments_TherapistChoosesDaysAndSeesTheSharedLogsOfThem(t *testing.T) {
	t.Parallel()
	e := newCommitments(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	// Ana shares commitments with Tess; Ben does not.
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindCommitments: true}); err != nil {
		t.Fatal(err)
	}
	e.setNow(t, "2027-01-01T10:00:00Z")
	shared := e.active(t, a, b, forTherapist(promise("Share my calendar", "2027-12-01")))
	private := e.active(t, a, b, promise("Home by 7 or I call", "2027-12-01")) // just the two of them
	bens := e.active(t, b, a, forTherapist(promise("Tell you before any purchase", "2027-12-01")))
	for day := 1; day <= 20; day++ {
		e.setNow(t, fmt.Sprintf("2027-01-%02dT20:00:00Z", day))
		status := mend.Kept
		switch day {
		case 5:
			status = mend.Missed
		case 6:
			status = mend.Partly
		}
		e.log(t, a, shared, "", status, "a note between the two of them")
		e.log(t, a, private, "", mend.Kept, "")
		e.log(t, b, bens, "", mend.Kept, "")
	}
	check := func(when string) {
		t.Helper()
		p, err := e.s.ForTherapist(ctx, th, coupleID, "2027-01-04", "2027-01-07")
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		wantIDs(t, p.Commitments, when, shared)
		if !p.Days.Chosen || len(p.DayLogs) != 1 {
			t.Fatalf("%s: the days %+v, logs of %d commitments", when, p.Days, len(p.DayLogs))
		}
		var got []string
		for _, l := range p.DayLogs[shared] {
			if l.Note != "" {
				t.Fatalf("%s: Tess reads a note: %+v", when, l)
			}
			got = append(got, l.OccursOn.Format("02")+" "+l.Status)
		}
		if want := "07 kept,06 partly,05 missed,04 kept"; strings.Join(got, ",") != want {
			t.Fatalf("%s: logs %s, want %s", when, strings.Join(got, ","), want)
		}
	}
	// Days inside the logs the figures read, and long before them.
	check("on 20 January")
	e.setNow(t, "2027-05-01T10:00:00Z")
	check("on 1 May")

	// Days before it was made: none, and not in force.
	p, err := e.s.ForTherapist(ctx, th, coupleID, "2026-12-01", "2026-12-31")
	if err != nil || len(p.DayLogs[shared]) != 0 || p.Days.InForce(p.Commitments[0].Periods) {
		t.Fatalf("December: %+v %v", p.DayLogs, err)
	}
	// Nothing chosen: no logs of days.
	if p, err := e.s.ForTherapist(ctx, th, coupleID, "", ""); err != nil || p.Days.Chosen || p.DayLogs != nil {
		t.Fatalf("no days: %+v %v", p, err)
	}
	for _, bad := range []struct{ from, to, field, want string }{
		{"2027-02-30", "", "from", "Enter the first day as a date"},
		{"2027-01-07", "2027-01-04", "to", "The last day is before the first"},
		{"", "2027-05-02", "to", "still to come"},
		{"2026-01-01", "2027-01-07", "from", "more than a year"},
	} {
		p, err := e.s.ForTherapist(ctx, th, coupleID, bad.from, bad.to)
		wantDaysRefused(t, err, bad.field, bad.want, bad.from+" to "+bad.to)
		if p == nil || p.Days.Chosen || p.DayLogs != nil || len(p.Commitments) != 1 {
			t.Fatalf("%s to %s: the page without days is not shown: %+v", bad.from, bad.to, p)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'commitments'`, coupleID); n != 8 {
		t.Fatalf("%d views recorded, want one per look (8)", n)
	}
}
