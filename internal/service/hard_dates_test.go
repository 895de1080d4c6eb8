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

// Hard dates: when they fall, when they are announced, and who keeps them.

func TestTriggers_NextOccurrence(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		date   string
		yearly bool
		today  string
		want   string // "" when none
	}{
		{"2027-03-10", false, "2027-03-10", "2027-03-10"},
		{"2027-03-10", false, "2027-03-11", ""},
		{"2027-03-10", false, "2026-03-11", "2027-03-10"},
		{"2020-03-10", true, "2027-03-10", "2027-03-10"},
		{"2020-03-10", true, "2027-03-11", "2028-03-10"},
		{"2020-03-10", true, "2027-01-01", "2027-03-10"},
		{"2020-02-29", true, "2027-01-15", "2027-02-28"},
		{"2020-02-29", true, "2027-02-28", "2027-02-28"},
		{"2020-02-29", true, "2027-03-01", "2028-02-29"},
		{"2020-02-29", true, "2028-02-28", "2028-02-29"},
		{"2020-02-29", true, "2028-02-29", "2028-02-29"},
		{"2020-02-29", true, "2028-03-01", "2029-02-28"},
		{"2096-02-29", true, "2100-02-01", "2100-02-28"}, // 2100 is no leap year
		{"1996-02-29", true, "2000-02-01", "2000-02-29"}, // 2000 is one
		// A yearly date set in a future year starts in that year.
		{"2030-05-01", true, "2027-04-28", "2030-05-01"},
		{"2019-01-02", true, "2027-12-28", "2028-01-02"},
		{"2019-12-31", true, "2027-12-31", "2027-12-31"},
		{"2019-12-31", true, "2028-01-01", "2028-12-31"},
		{"2028-01-03", false, "2027-12-28", "2028-01-03"},
	} {
		next, ok := service.NextOccurrence(mend.HardDate{Date: mustDate(tc.date), Yearly: tc.yearly}, mustDate(tc.today))
		got := ""
		if ok {
			got = next.Format(time.DateOnly)
		}
		if got != tc.want {
			t.Errorf("%s (yearly %v) on %s: next %q, want %q", tc.date, tc.yearly, tc.today, got, tc.want)
		}
	}
}

func TestTriggers_UpcomingWindow(t *testing.T) {
	t.Parallel()
	d := func(id int64, date string, yearly bool) mend.HardDate {
		return mend.HardDate{ID: id, Label: fmt.Sprint(id), Date: mustDate(date), Yearly: yearly}
	}
	upcoming := func(today string, dates ...mend.HardDate) string {
		var s []string
		for _, u := range service.Upcoming(dates, mustDate(today), mend.HardDateNotice) {
			s = append(s, fmt.Sprintf("%d:%s:%d", u.ID, u.Next.Format(time.DateOnly), u.Days))
		}
		return strings.Join(s, " ")
	}
	for _, tc := range []struct {
		today string
		dates []mend.HardDate
		want  string
	}{
		{"2027-03-03", []mend.HardDate{d(1, "2027-03-10", false)}, "1:2027-03-10:7"},
		{"2027-03-02", []mend.HardDate{d(1, "2027-03-10", false)}, ""},
		{"2027-03-10", []mend.HardDate{d(1, "2027-03-10", false)}, "1:2027-03-10:0"},
		{"2027-03-11", []mend.HardDate{d(1, "2027-03-10", false)}, ""},
		{"2027-03-03", []mend.HardDate{d(1, "2019-03-10", true)}, "1:2027-03-10:7"},
		{"2027-03-02", []mend.HardDate{d(1, "2019-03-10", true)}, ""},
		{"2027-03-10", []mend.HardDate{d(1, "2019-03-10", true)}, "1:2027-03-10:0"},
		{"2027-03-11", []mend.HardDate{d(1, "2019-03-10", true)}, ""}, // next year now
		{"2027-02-21", []mend.HardDate{d(1, "2020-02-29", true)}, "1:2027-02-28:7"},
		{"2027-02-20", []mend.HardDate{d(1, "2020-02-29", true)}, ""},
		{"2027-03-01", []mend.HardDate{d(1, "2020-02-29", true)}, ""},
		{"2028-02-22", []mend.HardDate{d(1, "2020-02-29", true)}, "1:2028-02-29:7"},
		{"2028-02-28", []mend.HardDate{d(1, "2020-02-29", true)}, "1:2028-02-29:1"},
		{"2027-12-28", []mend.HardDate{d(1, "2019-01-02", true)}, "1:2028-01-02:5"},
		{"2027-12-28", []mend.HardDate{d(1, "2028-01-04", false)}, "1:2028-01-04:7"},
		{"2027-12-28", []mend.HardDate{d(1, "2028-01-05", false)}, ""},
		{"2027-12-31", []mend.HardDate{d(1, "2027-12-31", false), d(2, "2028-01-01", false), d(3, "2019-01-07", true)}, "1:2027-12-31:0 2:2028-01-01:1 3:2028-01-07:7"},
		// Soonest first, whatever the order given.
		{"2027-06-01", []mend.HardDate{d(1, "2027-06-07", false), d(2, "2010-06-02", true), d(3, "2027-06-05", false), d(4, "2027-06-20", false)}, "2:2027-06-02:1 3:2027-06-05:4 1:2027-06-07:6"},
	} {
		if got := upcoming(tc.today, tc.dates...); got != tc.want {
			t.Errorf("on %s: %q, want %q", tc.today, got, tc.want)
		}
	}
}

func TestTriggers_HardDatesOnBothDashboards(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "Pacific/Auckland", "America/Los_Angeles")
	e.setNow(t, "2027-03-03T12:00:00Z") // Thursday 4 March 01:00 in Auckland, Wednesday 3 March 04:00 in Los Angeles
	if err := e.tr.AddHardDate(ctx, a, "  The day it came to light  ", "2027-03-11", false, ""); err != nil {
		t.Fatal(err)
	}
	if err := e.tr.AddHardDate(ctx, b, "Her birthday", "1990-03-04", true, ""); err != nil {
		t.Fatal(err)
	}
	upcoming := func(u *mend.User) string {
		var s []string
		for _, d := range e.dashboard(t, u).Upcoming {
			s = append(s, fmt.Sprintf("%s:%d", d.Label, d.Days))
		}
		return strings.Join(s, ", ")
	}
	if got := upcoming(a); got != "Her birthday:0, The day it came to light:7" {
		t.Fatalf("a's dashboard: %q", got)
	}
	if got := upcoming(b); got != "Her birthday:1" { // 8 days before in Los Angeles
		t.Fatalf("b's dashboard: %q", got)
	}
	e.setNow(t, "2027-03-05T12:00:00Z")
	if got := upcoming(a); got != "The day it came to light:5" { // the birthday has passed
		t.Fatalf("a's dashboard two days on: %q", got)
	}
	if got := upcoming(b); got != "The day it came to light:6" {
		t.Fatalf("b's dashboard two days on: %q", got)
	}
	e.setNow(t, "2027-03-11T23:00:00Z") // 12 March in Auckland, 11 March in Los Angeles
	if got := upcoming(a); got != "" {
		t.Fatalf("a's dashboard after the day: %q", got)
	}
	if got := upcoming(b); got != "The day it came to light:0" {
		t.Fatalf("b's dashboard on the day: %q", got)
	}
	p, err := e.tr.HardDates(ctx, a)
	if err != nil || len(p.Dates) != 2 {
		t.Fatalf("a's hard dates page: %+v %v", p, err)
	}
	for _, d := range p.Dates {
		switch d.Label {
		case "The day it came to light":
			if d.Days != -1 || d.Yearly {
				t.Fatalf("passed one-off: %+v", d)
			}
		case "Her birthday":
			if d.Next.Format(time.DateOnly) != "2028-03-04" || d.CreatedBy != b.ID {
				t.Fatalf("birthday: %+v", d)
			}
		default:
			t.Fatalf("unexpected %+v", d)
		}
	}
	// Either partner removes one.
	for _, d := range p.Dates {
		if d.Label == "Her birthday" {
			if err := e.tr.RemoveHardDate(ctx, a, d.ID); err != nil {
				t.Fatal(err)
			}
			wantCode(t, e.tr.RemoveHardDate(ctx, b, d.ID), mend.NotFound, "removing it again")
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM hard_dates`); n != 1 {
		t.Fatalf("%d hard dates left", n)
	}
}

func TestTriggers_HardDateValidationAndFormKey(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, _, coupleID := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-03T12:00:00Z")
	for _, tc := range []struct{ label, date, field string }{
		{"", "2027-03-10", "label"},
		{"   ", "2027-03-10", "label"},
		{strings.Repeat("é", mend.MaxHardLabel+1), "2027-03-10", "label"},
		{"Ok", "", "date"},
		{"Ok", "10/03/2027", "date"},
		{"Ok", "2027-02-30", "date"},
		{"Ok", "1899-12-31", "date"},
		{"Ok", "2201-01-01", "date"},
	} {
		fieldRefused(t, e.tr.AddHardDate(ctx, a, tc.label, tc.date, true, ""), tc.field, fmt.Sprintf("%q on %q", tc.label, tc.date))
	}
	if err := e.tr.AddHardDate(ctx, a, strings.Repeat("é", mend.MaxHardLabel), "1900-01-01", true, ""); err != nil {
		t.Fatal(err)
	}
	key := service.NewFormKey()
	for range 2 {
		if err := e.tr.AddHardDate(ctx, a, "Twice", "2027-05-01", false, key); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM hard_dates WHERE couple_id = $1`, coupleID); n != 2 {
		t.Fatalf("%d hard dates, want 2", n)
	}
}

func TestTriggers_HardDatesAddedBeforeThePartnerJoinedStay(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a := partnerIn(t, e.acc, "Ada", "UTC")
	b := partnerIn(t, e.acc, "Ben", "UTC")
	c := partnerIn(t, e.acc, "Cal", "UTC")
	start(t, e.c, a, service.StartInput{CameToLight: "2026-03-12"})
	if err := e.tr.AddHardDate(ctx, a, "The day it came to light", "2026-03-12", true, ""); err != nil {
		t.Fatal(err)
	}
	accept(t, e.c, b, invite(t, e.c, a, mend.InvitePartner))
	e.setNow(t, "2027-03-10T12:00:00Z")
	for _, u := range []*mend.User{a, b} {
		if d := e.dashboard(t, u); len(d.Upcoming) != 1 || d.Upcoming[0].Days != 2 {
			t.Fatalf("%s's dashboard: %+v", u.Name, d.Upcoming)
		}
	}
	if p, err := e.tr.HardDates(ctx, a); err != nil || len(p.Dates) != 1 || p.CameToLight != nil {
		t.Fatalf("a's page once added: %+v %v", p, err)
	}
	// Once b has left, the dates of that pair go.
	if err := e.c.Leave(ctx, b, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	if d := e.dashboard(t, a); len(d.Upcoming) != 0 {
		t.Fatalf("after b left: %+v", d.Upcoming)
	}
	e.clk.t = time.Now()
	accept(t, e.c, c, invite(t, e.c, a, mend.InvitePartner))
	e.setNow(t, "2027-03-10T12:00:00Z")
	if d := e.dashboard(t, c); len(d.Upcoming) != 0 {
		t.Fatalf("the newcomer sees the earlier pair's dates: %+v", d.Upcoming)
	}
}

func TestTriggers_HardDatesSortByNextAndCarryAPlan(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	c, _, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-06-01T12:00:00Z")
	for _, d := range []struct {
		label, date string
		yearly      bool
	}{
		{"Long ago", "2025-02-01", false},
		{"New year", "2020-01-01", true},
		{"Passed lately", "2027-05-20", false},
		{"Soon", "2027-06-03", false},
		{"Summer", "2019-07-14", true},
	} {
		if err := e.tr.AddHardDate(ctx, a, d.label, d.date, d.yearly, ""); err != nil {
			t.Fatal(err)
		}
	}
	page := func(u *mend.User) *mend.HardDatesPage {
		t.Helper()
		p, err := e.tr.HardDates(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	var order []string
	for _, d := range page(b).Dates {
		order = append(order, d.Label)
	}
	if got := strings.Join(order, ", "); got != "Soon, Summer, New year, Passed lately, Long ago" {
		t.Fatalf("order: %s", got)
	}
	soon := page(a).Dates[0]

	// Either partner writes the plan, or changes it; empty clears it.
	if err := e.tr.SetHardDatePlan(ctx, a, soon.ID, "  A walk in the morning.  "); err != nil {
		t.Fatal(err)
	}
	if got := page(b).Dates[0].Plan; got != "A walk in the morning." {
		t.Fatalf("b reads the plan %q", got)
	}
	if err := e.tr.SetHardDatePlan(ctx, b, soon.ID, "Phones away at dinner."); err != nil {
		t.Fatal(err)
	}
	if got := page(a).Dates[0].Plan; got != "Phones away at dinner." {
		t.Fatalf("a reads the plan %q", got)
	}
	// On Today, the notice carries it.
	if d := e.dashboard(t, a); len(d.Upcoming) != 1 || d.Upcoming[0].Plan != "Phones away at dinner." {
		t.Fatalf("a's dashboard: %+v", d.Upcoming)
	}
	fieldRefused(t, e.tr.SetHardDatePlan(ctx, a, soon.ID, strings.Repeat("é", mend.MaxHardPlan+1)), "plan", "a plan too long")
	if err := e.tr.SetHardDatePlan(ctx, a, soon.ID, strings.Repeat("é", mend.MaxHardPlan)); err != nil {
		t.Fatal(err)
	}
	if err := e.tr.SetHardDatePlan(ctx, a, soon.ID, " "); err != nil {
		t.Fatal(err)
	}
	if got := page(b).Dates[0].Plan; got != "" {
		t.Fatalf("a cleared plan reads %q", got)
	}
	// Another couple's date is not there for them.
	wantCode(t, e.tr.SetHardDatePlan(ctx, c, soon.ID, "Mine now"), mend.NotFound, "another couple's date")
	wantCode(t, e.tr.SetHardDatePlan(ctx, a, soon.ID+1000, "Nowhere"), mend.NotFound, "no such date")
}
