package service_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// The day rules read the service clock, set freely below (to days in
// 2027); the era rules compare the database's own timestamps, which follow
// the real order of the calls.

// ---- One a day, edits and versions ----

func TestCheckins_SavingAgainTheSameDayEditsAndKeepsVersions(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")

	e.setNow(t, "2027-03-10T08:00:00Z")
	first := entry("", 2, mend.MyPartner)
	first.Feel = "first"
	if c := e.save(t, a, first); !c.Day.Equal(mustDate("2027-03-10")) || c.Late {
		t.Fatalf("saved %+v, want today's, on time", c)
	}
	e.clk.t = e.clk.t.Add(time.Hour)
	second := entry("", 4, mend.MyPartner)
	second.Feel = "second"
	e.save(t, a, second)
	e.clk.t = e.clk.t.Add(time.Hour)
	e.save(t, a, entry("", 5, mend.MyPartner))

	if n := count(t, e.db, `SELECT count(*) FROM checkins WHERE user_id = $1`, a.ID); n != 1 {
		t.Fatalf("%d check-ins after three saves on one day, want 1", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM checkin_versions`); n != 2 {
		t.Fatalf("%d versions after two edits, want 2", n)
	}
	p := e.day(t, a, "2027-03-10")
	wantRevealed(t, p.Mine, 5, "the writer's own check-in")
	if !p.Mine.Edited() || p.Mine.Late || !p.CanWrite {
		t.Fatalf("own check-in: edited %v, late %v; can write %v", p.Mine.Edited(), p.Mine.Late, p.CanWrite)
	}
	if len(p.Versions) != 2 || p.Versions[0].Feel != "second" || p.Versions[0].Mood != 4 ||
		p.Versions[1].Feel != "first" || p.Versions[1].Mood != 2 || p.Versions[0].SavedAt.Before(p.Versions[1].SavedAt) {
		t.Fatalf("versions, newest first = %+v", p.Versions)
	}
	if f, err := e.ci.Form(ctx, a, ""); err != nil || f.Existing == nil || f.Existing.Mood != 5 || f.Versions != 2 || f.Locked {
		t.Fatalf("form = %+v (%v)", f, err)
	}

	// The partner sees the latest check-in, never its earlier versions.
	e.save(t, b, entry("", 3, mend.MyPartner))
	pb := e.day(t, b, "2027-03-10")
	wantRevealed(t, pb.Partners, 5, "the partner's view")
	if len(pb.Versions) != 0 {
		t.Fatalf("the partner sees the writer's versions: %+v", pb.Versions)
	}
	// Each sees only the versions of their own.
	e.save(t, b, entry("", 1, mend.MyPartner))
	if pb := e.day(t, b, "2027-03-10"); len(pb.Versions) != 1 || pb.Versions[0].Mood != 3 {
		t.Fatalf("b's own versions = %+v", pb.Versions)
	}
	if p := e.day(t, a, "2027-03-10"); len(p.Versions) != 2 || p.Versions[0].Mood != 4 {
		t.Fatalf("a's versions after b edited = %+v", p.Versions)
	}

	// Made private by an edit, it disappears for the partner.
	e.save(t, a, entry("", 5, mend.JustMe))
	if pb := e.day(t, b, "2027-03-10"); pb.Partners != nil {
		t.Fatalf("made private, the check-in still shows to the partner: %+v", pb.Partners)
	}
}

func TestCheckins_LateEntryOnlyForYesterday(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, _, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")

	c := e.save(t, a, entry("2027-03-09", 3, mend.MyPartner))
	if !c.Day.Equal(mustDate("2027-03-09")) || !c.Late {
		t.Fatalf("yesterday's check-in = %+v, want late", c)
	}
	p := e.day(t, a, "2027-03-09")
	if p.Mine == nil || !p.Mine.Late || !p.CanWrite {
		t.Fatalf("yesterday's page: mine %+v, can write %v", p.Mine, p.CanWrite)
	}
	if c := e.save(t, a, entry(" 2027-03-10 ", 4, mend.MyPartner)); !c.Day.Equal(mustDate("2027-03-10")) || c.Late {
		t.Fatalf("today named by its date = %+v, want on time", c)
	}
	for _, d := range []string{"2027-03-08", "2026-03-10", "2027-03-11", "2028-01-01", "yesterday", "2027-02-30", "10/03/2027"} {
		_, err := e.ci.Save(ctx, a, entry(d, 2, mend.MyPartner))
		fieldRefused(t, err, "day", "day "+d)
	}
	if got := strings.Join(storedDays(t, e.db, a.ID), ","); got != "2027-03-09,2027-03-10" {
		t.Fatalf("stored days = %s", got)
	}
}

func TestCheckins_EditWindows(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, _, _ := e.pairIn(t, "UTC", "UTC")

	// Today's check-in can be changed all day.
	e.setNow(t, "2027-03-10T00:00:05Z")
	e.save(t, a, entry("", 2, mend.MyPartner))
	e.setNow(t, "2027-03-10T23:59:59Z")
	e.save(t, a, entry("", 3, mend.MyPartner))

	// Written on its own day, it is locked from the next day.
	e.setNow(t, "2027-03-11T00:00:01Z")
	_, err := e.ci.Save(ctx, a, entry("2027-03-10", 4, mend.MyPartner))
	fieldRefused(t, err, "day", "changing yesterday's on-time check-in")
	p := e.day(t, a, "2027-03-10")
	if p.Mine == nil || p.Mine.Mood != 3 || p.CanWrite {
		t.Fatalf("after the refused edit: mine %+v, can write %v", p.Mine, p.CanWrite)
	}
	if n := count(t, e.db, `SELECT count(*) FROM checkin_versions`); n != 1 {
		t.Fatalf("%d versions, want the 1 of the edit on its day", n)
	}
	if f, err := e.ci.Form(ctx, a, "2027-03-10"); err != nil || !f.Day.Equal(mustDate("2027-03-10")) || f.Existing == nil || !f.Locked {
		t.Fatalf("form for yesterday = %+v (%v), want locked", f, err)
	}

	// A late check-in can be changed on the day it was written…
	e.setNow(t, "2027-03-12T08:00:00Z")
	e.save(t, a, entry("2027-03-11", 2, mend.MyPartner))
	e.setNow(t, "2027-03-12T23:30:00Z")
	if c := e.save(t, a, entry("2027-03-11", 5, mend.MyPartner)); !c.Late {
		t.Fatalf("edited late check-in = %+v", c)
	}
	p = e.day(t, a, "2027-03-11")
	if p.Mine == nil || p.Mine.Mood != 5 || !p.Mine.Late || len(p.Versions) != 1 || p.Versions[0].Mood != 2 || !p.CanWrite {
		t.Fatalf("late check-in after its edit: %+v, versions %+v, can write %v", p.Mine, p.Versions, p.CanWrite)
	}
	if f, err := e.ci.Form(ctx, a, "2027-03-11"); err != nil || f.Existing == nil || f.Locked {
		t.Fatalf("form for the late check-in = %+v (%v), want open", f, err)
	}
	// …but not later.
	e.setNow(t, "2027-03-13T00:30:00Z")
	_, err = e.ci.Save(ctx, a, entry("2027-03-11", 1, mend.MyPartner))
	fieldRefused(t, err, "day", "changing a late check-in the day after")
	if p := e.day(t, a, "2027-03-11"); p.Mine.Mood != 5 || p.CanWrite {
		t.Fatalf("late check-in changed the day after: %+v", p.Mine)
	}
	if got := strings.Join(storedDays(t, e.db, a.ID), ","); got != "2027-03-10,2027-03-11" {
		t.Fatalf("stored days = %s", got)
	}
}

// ---- Validation ----

func TestCheckins_ValidationNamesEachField(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, _, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")

	long := strings.Repeat("é", mend.MaxCheckinText+1)
	cases := []struct {
		field string
		edit  func(*service.CheckinInput)
	}{
		{"mood", func(in *service.CheckinInput) { in.Mood = "0" }},
		{"mood", func(in *service.CheckinInput) { in.Mood = "6" }},
		{"mood", func(in *service.CheckinInput) { in.Mood = "" }},
		{"mood", func(in *service.CheckinInput) { in.Mood = "three" }},
		{"connection", func(in *service.CheckinInput) { in.Connection = "-1" }},
		{"connection", func(in *service.CheckinInput) { in.Connection = "11" }},
		{"connection", func(in *service.CheckinInput) { in.Connection = "" }},
		{"connection", func(in *service.CheckinInput) { in.Connection = "4.5" }},
		{"feel", func(in *service.CheckinInput) { in.Feel = long }},
		{"need", func(in *service.CheckinInput) { in.Need = long }},
		{"worry", func(in *service.CheckinInput) { in.Worry = long }},
		{"appreciate", func(in *service.CheckinInput) { in.Appreciate = long }},
		{"visibility", func(in *service.CheckinInput) { in.Visibility = "" }},
		{"visibility", func(in *service.CheckinInput) { in.Visibility = "everyone" }},
		{"visibility", func(in *service.CheckinInput) { in.Visibility = "Private" }},
	}
	for _, tc := range cases {
		in := entry("", 3, mend.MyPartner)
		tc.edit(&in)
		_, err := e.ci.Save(ctx, a, in)
		fieldRefused(t, err, tc.field, tc.field)
		var me *mend.Error
		if errors.As(err, &me) && len(me.Fields) != 1 {
			t.Errorf("%s: messages on other fields too: %v", tc.field, me.Fields)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM checkins`); n != 0 {
		t.Fatalf("%d check-ins stored from refused forms", n)
	}

	// Every field wrong at once: every field named.
	_, err := e.ci.Save(ctx, a, service.CheckinInput{Day: "someday", Mood: "9", Connection: "x", Feel: long, Need: long, Worry: long, Appreciate: long, Visibility: "all"})
	for _, f := range []string{"day", "mood", "connection", "feel", "need", "worry", "appreciate", "visibility"} {
		fieldRefused(t, err, f, "all wrong: "+f)
	}

	// The limits themselves are accepted; texts are counted in characters.
	atLimit := strings.Repeat("💛", mend.MaxCheckinText)
	for _, in := range []service.CheckinInput{
		{Mood: "1", Connection: "0", Visibility: string(mend.JustMe)},
		{Mood: " 5 ", Connection: "10", Feel: atLimit, Need: atLimit, Worry: atLimit, Appreciate: atLimit, Visibility: string(mend.PartnerAndTherapist)},
		{Mood: "3", Connection: "5", Feel: "  spaces around  ", Visibility: string(mend.MyPartner)},
	} {
		e.save(t, a, in)
	}
	p := e.day(t, a, "2027-03-10")
	if p.Mine.Mood != 3 || p.Mine.Connection != 5 || p.Mine.Feel != "spaces around" || p.Mine.Visibility != mend.MyPartner {
		t.Fatalf("stored %+v", p.Mine)
	}
	if len(p.Versions) != 2 || p.Versions[0].Feel != atLimit || p.Versions[0].Connection != 10 || p.Versions[1].Connection != 0 {
		t.Fatalf("versions of the limit values: %d", len(p.Versions))
	}
}

// ---- Time zones ----

func TestCheckins_DayIsTheWritersLocalDate(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	// Honolulu is UTC−10, Kiritimati UTC+14: the same time of day, a day apart.
	h, k, _ := e.pairIn(t, "Pacific/Honolulu", "Pacific/Kiritimati")

	e.setNow(t, "2027-03-10T09:59:00Z") // 23:59 on the 9th in Honolulu, on the 10th in Kiritimati
	if got, want := e.ci.Today(h), mustDate("2027-03-09"); !got.Equal(want) {
		t.Fatalf("Honolulu today = %v", got)
	}
	if got, want := e.ci.Today(k), mustDate("2027-03-10"); !got.Equal(want) {
		t.Fatalf("Kiritimati today = %v", got)
	}
	e.save(t, h, entry("", 1, mend.MyPartner))
	e.save(t, k, entry("", 2, mend.MyPartner))

	e.setNow(t, "2027-03-10T10:01:00Z") // two minutes later: past midnight for both
	e.save(t, h, entry("", 3, mend.MyPartner))
	// Kiritimati's "yesterday" is Honolulu's today; Honolulu's today is Kiritimati's yesterday.
	_, err := e.ci.Save(ctx, h, entry("2027-03-11", 3, mend.MyPartner))
	fieldRefused(t, err, "day", "Honolulu writing for Kiritimati's today")
	_, err = e.ci.Save(ctx, k, entry("2027-03-09", 3, mend.MyPartner))
	fieldRefused(t, err, "day", "Kiritimati writing for Honolulu's yesterday")
	// Each one's yesterday was written on time: locked in each one's zone.
	_, err = e.ci.Save(ctx, h, entry("2027-03-09", 3, mend.MyPartner))
	fieldRefused(t, err, "day", "Honolulu changing its on-time yesterday")
	_, err = e.ci.Save(ctx, k, entry("2027-03-10", 3, mend.MyPartner))
	fieldRefused(t, err, "day", "Kiritimati changing its on-time yesterday")

	if got := strings.Join(storedDays(t, e.db, h.ID), ","); got != "2027-03-09,2027-03-10" {
		t.Fatalf("Honolulu's days = %s", got)
	}
	if got := strings.Join(storedDays(t, e.db, k.ID), ","); got != "2027-03-10" {
		t.Fatalf("Kiritimati's days = %s", got)
	}
	// The same date is the same day for reveal: Kiritimati's 10th was
	// written in its morning of the 10th, Honolulu wrote its 10th just now.
	wantRevealed(t, e.day(t, h, "2027-03-10").Partners, 2, "Honolulu reads Kiritimati's 10th")
	wantRevealed(t, e.day(t, k, "2027-03-10").Partners, 3, "Kiritimati reads Honolulu's 10th")
	// Kiritimati's 9th is empty; Honolulu's 9th is more than a day behind
	// Kiritimati's today (the 11th): revealed though Kiritimati never wrote one.
	wantRevealed(t, e.day(t, k, "2027-03-09").Partners, 1, "Kiritimati reads Honolulu's 9th")

	// Late entries, each computed in the writer's own zone.
	e.setNow(t, "2027-03-12T10:30:00Z") // the 12th, 00:30 in Honolulu; the 13th, 00:30 in Kiritimati
	if c := e.save(t, h, entry("2027-03-11", 4, mend.MyPartner)); !c.Late {
		t.Fatalf("Honolulu's yesterday = %+v, want late", c)
	}
	if c := e.save(t, k, entry("2027-03-12", 4, mend.MyPartner)); !c.Late {
		t.Fatalf("Kiritimati's yesterday = %+v, want late", c)
	}
	_, err = e.ci.Save(ctx, k, entry("2027-03-11", 4, mend.MyPartner))
	fieldRefused(t, err, "day", "Kiritimati writing two days back")
	if c := e.save(t, h, entry("", 5, mend.MyPartner)); !c.Day.Equal(mustDate("2027-03-12")) || c.Late {
		t.Fatalf("Honolulu's today = %+v", c)
	}
	if c := e.save(t, k, entry("", 5, mend.MyPartner)); !c.Day.Equal(mustDate("2027-03-13")) || c.Late {
		t.Fatalf("Kiritimati's today = %+v", c)
	}
	if got := strings.Join(storedDays(t, e.db, h.ID), ","); got != "2027-03-09,2027-03-10,2027-03-11,2027-03-12" {
		t.Fatalf("Honolulu's days = %s", got)
	}
	if got := strings.Join(storedDays(t, e.db, k.ID), ","); got != "2027-03-10,2027-03-12,2027-03-13" {
		t.Fatalf("Kiritimati's days = %s", got)
	}
	// Kiritimati's 13th is a day ahead of Honolulu: known, not readable, and
	// Honolulu cannot write for it yet.
	wantUnrevealed(t, e.day(t, h, "2027-03-13").Partners, "Honolulu reads Kiritimati's 13th")
	if p := e.day(t, h, "2027-03-13"); p.CanWrite {
		t.Fatal("Honolulu may write for a day that has not begun there")
	}
}

func TestCheckins_TongaAndHonoluluNearMidnight(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	// Tongatapu is UTC+13, Honolulu UTC−10: 23 hours apart.
	tg, h, _ := e.pairIn(t, "Pacific/Tongatapu", "Pacific/Honolulu")
	cases := []struct {
		now             string
		tonga, honolulu string // each one's today
	}{
		{"2027-06-20T10:59:00Z", "2027-06-20", "2027-06-20"}, // 23:59 in Tonga, 00:59 in Honolulu
		{"2027-06-20T11:01:00Z", "2027-06-21", "2027-06-20"}, // 00:01 in Tonga, 01:01 in Honolulu
		{"2027-06-21T09:59:00Z", "2027-06-21", "2027-06-20"}, // 22:59 in Tonga, 23:59 in Honolulu
		{"2027-06-21T10:01:00Z", "2027-06-21", "2027-06-21"}, // 23:01 in Tonga, 00:01 in Honolulu
	}
	for _, tc := range cases {
		e.setNow(t, tc.now)
		for _, w := range []struct {
			u     *mend.User
			today string
		}{{tg, tc.tonga}, {h, tc.honolulu}} {
			what := tc.now + ", " + w.u.Name
			if got := e.ci.Today(w.u).Format(time.DateOnly); got != w.today {
				t.Fatalf("%s: today = %s, want %s", what, got, w.today)
			}
			if c := e.save(t, w.u, entry("", 3, mend.MyPartner)); c.Day.Format(time.DateOnly) != w.today || c.Late {
				t.Fatalf("%s: saved %+v, want on %s", what, c, w.today)
			}
			// The day before yesterday, and tomorrow, in the writer's zone.
			for _, d := range []int{-2, 1} {
				day := mustDate(w.today).AddDate(0, 0, d).Format(time.DateOnly)
				_, err := e.ci.Save(ctx, w.u, entry(day, 3, mend.MyPartner))
				fieldRefused(t, err, "day", what+" writing for "+day)
			}
		}
	}
	if got := strings.Join(storedDays(t, e.db, tg.ID), ","); got != "2027-06-20,2027-06-21" {
		t.Fatalf("Tonga's days = %s", got)
	}
	if got := strings.Join(storedDays(t, e.db, h.ID), ","); got != "2027-06-20,2027-06-21" {
		t.Fatalf("Honolulu's days = %s", got)
	}

	// At 00:01 on the 21st in Tonga (01:01 on the 20th in Honolulu), each
	// one's yesterday: Tonga's 20th, written on time, is locked; Honolulu's
	// 19th may be written late; the 19th is too old for Tonga.
	e.setNow(t, "2027-06-20T11:01:00Z")
	_, err := e.ci.Save(ctx, tg, entry("2027-06-20", 1, mend.MyPartner))
	fieldRefused(t, err, "day", "Tonga changing its on-time yesterday")
	_, err = e.ci.Save(ctx, tg, entry("2027-06-19", 1, mend.MyPartner))
	fieldRefused(t, err, "day", "Tonga writing for Honolulu's yesterday")
	if c := e.save(t, h, entry("2027-06-19", 1, mend.MyPartner)); !c.Late {
		t.Fatalf("Honolulu's yesterday = %+v, want late", c)
	}
	if p := e.day(t, tg, "2027-06-20"); p.CanWrite || !p.Today.Equal(mustDate("2027-06-21")) {
		t.Fatalf("Tonga's page of its yesterday: can write %v, today %v", p.CanWrite, p.Today)
	}
	if p := e.day(t, h, "2027-06-19"); !p.CanWrite || !p.Today.Equal(mustDate("2027-06-20")) || p.Mine == nil || !p.Mine.Late {
		t.Fatalf("Honolulu's page of its yesterday: can write %v, today %v, mine %+v", p.CanWrite, p.Today, p.Mine)
	}
}

// ---- Reveal together ----

func TestCheckins_RevealAfterBothSubmit(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")

	// b writes first: a sees that it exists, nothing of it.
	e.save(t, b, entry("", 2, mend.MyPartner))
	p := e.day(t, a, "2027-03-10")
	wantUnrevealed(t, p.Partners, "a's day page before writing")
	if p.Mine != nil || !p.CanWrite {
		t.Fatalf("a's page: mine %+v, can write %v", p.Mine, p.CanWrite)
	}
	wantUnrevealed(t, e.dashboard(t, a).Partners, "a's dashboard before writing")
	h := e.history(t, a, service.HistoryQuery{})
	if len(h.Days) != 1 || h.Days[0].Mine != nil {
		t.Fatalf("a's history: %+v", h.Days)
	}
	wantUnrevealed(t, h.Days[0].Partners, "a's history before writing")
	if tr := e.trends(t, a, 4); !math.IsNaN(pointAt(tr, tr.Line(b.ID).Mood.Daily, "2027-03-10")) || tr.Line(b.ID).Mood.Count != 0 {
		t.Fatalf("a's trends show b's unrevealed mood: %+v", tr.Line(b.ID).Mood)
	}
	if tr := e.dashboard(t, a).Trend; tr.Line(b.ID).Mood.Count != 0 {
		t.Fatal("a's dashboard trend counts b's unrevealed check-in")
	}
	// b reads their own fully, and nothing of a's.
	pb := e.day(t, b, "2027-03-10")
	wantRevealed(t, pb.Mine, 2, "b's own")
	if pb.Partners != nil {
		t.Fatalf("b sees a check-in a has not written: %+v", pb.Partners)
	}

	// a writes: both are revealed to both.
	e.save(t, a, entry("", 4, mend.MyPartner))
	wantRevealed(t, e.day(t, a, "2027-03-10").Partners, 2, "a's day page after writing")
	wantRevealed(t, e.day(t, b, "2027-03-10").Partners, 4, "b's day page")
	wantRevealed(t, e.dashboard(t, a).Partners, 2, "a's dashboard after writing")
	wantRevealed(t, e.history(t, a, service.HistoryQuery{}).Days[0].Partners, 2, "a's history after writing")
	if tr := e.trends(t, a, 4); pointAt(tr, tr.Line(b.ID).Mood.Daily, "2027-03-10") != 2 {
		t.Fatalf("a's trends after writing: %+v", tr.Line(b.ID).Mood)
	}

	// The other way round, the next day: a first, b sees it exists.
	e.setNow(t, "2027-03-11T07:00:00Z")
	e.save(t, a, entry("", 5, mend.PartnerAndTherapist))
	wantUnrevealed(t, e.day(t, b, "2027-03-11").Partners, "b's day page before writing")
	wantUnrevealed(t, e.dashboard(t, b).Partners, "b's dashboard before writing")
	if p := e.day(t, a, "2027-03-11"); p.Partners != nil {
		t.Fatalf("a sees b's unwritten check-in: %+v", p.Partners)
	}
	// A private check-in of b's does not reveal a's: b would read without
	// giving, and b's answer would show a that b checked in.
	e.save(t, b, entry("", 1, mend.JustMe))
	wantUnrevealed(t, e.day(t, b, "2027-03-11").Partners, "b's day page after a private check-in")
	if err := e.ci.Acknowledge(context.Background(), b, "2027-03-11", "I hear you."); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("b answered a's check-in after a private one: %v", err)
	}
	if p := e.day(t, a, "2027-03-11"); p.Partners != nil {
		t.Fatalf("a sees b's private check-in: %+v", p.Partners)
	}
	// Shared, it does.
	e.save(t, b, entry("", 1, mend.MyPartner))
	wantRevealed(t, e.day(t, b, "2027-03-11").Partners, 5, "b's day page after sharing")
}

func TestCheckins_RevealOnceTheDayIsPast(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")

	e.setNow(t, "2027-03-10T20:00:00Z")
	e.save(t, b, entry("", 2, mend.MyPartner))
	e.setNow(t, "2027-03-11T20:00:00Z") // a could still write the 10th, late
	// a's check-in of another day does not reveal b's of the 10th.
	e.save(t, a, entry("", 3, mend.MyPartner))
	wantUnrevealed(t, e.day(t, a, "2027-03-10").Partners, "b's check-in on a's yesterday")
	wantUnrevealed(t, historyDay(t, e.history(t, a, service.HistoryQuery{}), "2027-03-10").Partners, "history on a's yesterday")
	e.setNow(t, "2027-03-12T00:00:00Z") // now a cannot
	wantRevealed(t, e.day(t, a, "2027-03-10").Partners, 2, "b's check-in two days back")
	wantRevealed(t, historyDay(t, e.history(t, a, service.HistoryQuery{}), "2027-03-10").Partners, 2, "history two days back")
	if tr := e.trends(t, a, 4); pointAt(tr, tr.Line(b.ID).Mood.Daily, "2027-03-10") != 2 {
		t.Fatal("b's check-in two days back is not in a's trends")
	}

	// The same for b reading a's.
	e.save(t, a, entry("", 4, mend.MyPartner))
	e.setNow(t, "2027-03-13T12:00:00Z")
	wantUnrevealed(t, e.day(t, b, "2027-03-12").Partners, "a's check-in on b's yesterday")
	// Writing late for that day reveals it at once.
	e.save(t, b, entry("2027-03-12", 3, mend.MyPartner))
	wantRevealed(t, e.day(t, b, "2027-03-12").Partners, 4, "a's check-in after b wrote late")
	e.save(t, a, entry("", 1, mend.MyPartner))
	e.setNow(t, "2027-03-15T00:00:00Z")
	wantRevealed(t, e.day(t, b, "2027-03-13").Partners, 1, "a's check-in two days back")
}

func TestCheckins_RevealFollowsTheReadersOwnToday(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	// a is a day ahead of b at every instant.
	a, b, _ := e.pairIn(t, "Pacific/Kiritimati", "Pacific/Honolulu")
	e.setNow(t, "2027-03-10T12:00:00Z") // the 11th for a, the 10th for b
	e.save(t, b, entry("", 3, mend.MyPartner))
	// For a the 10th is yesterday: still writable, so still hidden.
	wantUnrevealed(t, e.day(t, a, "2027-03-10").Partners, "a's yesterday")
	e.setNow(t, "2027-03-11T12:00:00Z") // the 12th for a, the 11th for b
	wantRevealed(t, e.day(t, a, "2027-03-10").Partners, 3, "a's day before yesterday")
	// b's own yesterday: a's check-ins for it remain hidden to b.
	e.save(t, a, entry("", 4, mend.MyPartner)) // a's 12th
	e.setNow(t, "2027-03-13T12:00:00Z")        // the 14th for a, the 13th for b
	wantUnrevealed(t, e.day(t, b, "2027-03-12").Partners, "b's yesterday")
	e.setNow(t, "2027-03-14T12:00:00Z")
	wantRevealed(t, e.day(t, b, "2027-03-12").Partners, 4, "b's day before yesterday")
}

// ---- Private check-ins ----

func TestCheckins_PrivateNeverReachesThePartner(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tal", "Tal Noor")
	link(t, e.c, a, th)
	if _, err := e.c.SetDefaults(ctx, b, map[string]bool{mend.KindCheckins: true}); err != nil {
		t.Fatal(err)
	}

	e.setNow(t, "2027-03-10T12:00:00Z")
	e.save(t, a, entry("", 4, mend.MyPartner))
	e.save(t, b, entry("", 1, mend.JustMe))

	for _, now := range []string{"2027-03-10T13:00:00Z", "2027-03-20T13:00:00Z"} {
		e.setNow(t, now)
		if p := e.day(t, a, "2027-03-10"); p.Partners != nil {
			t.Fatalf("%s: a's day page shows b's private check-in: %+v", now, p.Partners)
		}
		h := e.history(t, a, service.HistoryQuery{Month: "2027-03"})
		if len(h.Days) != 1 || h.Days[0].Partners != nil {
			t.Fatalf("%s: a's history = %+v", now, h.Days)
		}
		if m := h.Calendar[mustDate("2027-03-10")]; !m.Mine || m.Partners {
			t.Fatalf("%s: a's calendar marks = %+v", now, m)
		}
		if h := e.history(t, a, service.HistoryQuery{Who: "partner"}); len(h.Days) != 0 {
			t.Fatalf("%s: a's history of b = %+v", now, h.Days)
		}
		if tr := e.trends(t, a, 4); tr.Line(b.ID).Mood.Count != 0 || !math.IsNaN(tr.Line(b.ID).Mood.Average) {
			t.Fatalf("%s: a's trends of b = %+v", now, tr.Line(b.ID).Mood)
		}
		err := e.ci.Acknowledge(ctx, a, "2027-03-10", "I hear you.")
		wantCode(t, err, mend.NotFound, now+": acknowledging a private check-in")
	}
	e.setNow(t, "2027-03-10T13:00:00Z")
	if d := e.dashboard(t, a); d.Partners != nil || d.Trend.Line(b.ID).Mood.Count != 0 {
		t.Fatalf("a's dashboard shows b's private check-in: %+v", d.Partners)
	}
	if p := e.therapistView(t, th, coupleID, 4); len(p.Checkins) != 0 {
		t.Fatalf("the therapist sees a private check-in: %+v", p.Checkins)
	}
	// b sees their own everywhere.
	wantRevealed(t, e.day(t, b, "2027-03-10").Mine, 1, "b's own private check-in")
	wantRevealed(t, e.dashboard(t, b).Mine, 1, "b's dashboard")
	if tr := e.trends(t, b, 4); tr.Line(b.ID).Mood.Count != 1 {
		t.Fatal("b's own trends leave out b's private check-in")
	}
}

func TestCheckins_PrivateEntriesNeverLeakIntoCountsAndCharts(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")

	e.setNow(t, "2027-03-05T12:00:00Z")
	e.save(t, b, entry("", 1, mend.JustMe))
	e.setNow(t, "2027-03-06T12:00:00Z")
	e.save(t, b, entry("", 5, mend.MyPartner))
	e.setNow(t, "2027-03-07T12:00:00Z")
	e.save(t, a, entry("", 3, mend.MyPartner))
	e.setNow(t, "2027-03-10T12:00:00Z")

	tr := e.trends(t, a, 4)
	if len(tr.Lines) != 2 || tr.Lines[0].UserID != a.ID || tr.Lines[1].UserID != b.ID {
		t.Fatalf("lines = %+v", tr.Lines)
	}
	mb := tr.Line(b.ID).Mood
	if mb.Count != 1 || mb.Average != 5 || !math.IsNaN(pointAt(tr, mb.Daily, "2027-03-05")) || pointAt(tr, mb.Daily, "2027-03-06") != 5 {
		t.Fatalf("a's line of b: count %d, average %v", mb.Count, mb.Average)
	}
	if v := pointAt(tr, mb.Rolling, "2027-03-06"); v != 5 {
		t.Fatalf("a's rolling average of b on the 6th = %v, want 5 (the private 1 left out)", v)
	}
	if s := tr.Line(b.ID).Connection; s.Count != 1 || s.Average != 5 {
		t.Fatalf("a's connection line of b: %+v", s)
	}
	if d := e.dashboard(t, a).Trend.Line(b.ID).Mood; d.Count != 1 || d.Average != 5 {
		t.Fatalf("a's dashboard line of b: count %d, average %v", d.Count, d.Average)
	}
	h := e.history(t, a, service.HistoryQuery{})
	if len(h.Days) != 2 || !h.Days[0].Day.Equal(mustDate("2027-03-07")) || !h.Days[1].Day.Equal(mustDate("2027-03-06")) {
		t.Fatalf("a's history days = %+v", h.Days)
	}
	wantRevealed(t, h.Days[1].Partners, 5, "a's history of the 6th")
	if len(h.Calendar) != 2 || h.Calendar[mustDate("2027-03-05")] != (mend.DayMarks{}) ||
		h.Calendar[mustDate("2027-03-06")] != (mend.DayMarks{Partners: true}) ||
		h.Calendar[mustDate("2027-03-07")] != (mend.DayMarks{Mine: true}) {
		t.Fatalf("a's calendar = %+v", h.Calendar)
	}

	// b's own views count both.
	mine := e.trends(t, b, 4).Line(b.ID).Mood
	if mine.Count != 2 || mine.Average != 3 {
		t.Fatalf("b's own line: count %d, average %v", mine.Count, mine.Average)
	}
	hb := e.history(t, b, service.HistoryQuery{Who: "me"})
	if len(hb.Days) != 2 || hb.Days[1].Mine == nil || hb.Days[1].Mine.Mood != 1 {
		t.Fatalf("b's own history = %+v", hb.Days)
	}
	if hb.Calendar[mustDate("2027-03-05")] != (mend.DayMarks{Mine: true}) || hb.Calendar[mustDate("2027-03-07")] != (mend.DayMarks{Partners: true}) {
		t.Fatalf("b's calendar = %+v", hb.Calendar)
	}
}

// ---- Acknowledgements ----

func TestCheckins_AcknowledgeARevealedCheckin(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	e.save(t, a, entry("", 3, mend.MyPartner))
	e.save(t, b, entry("", 2, mend.MyPartner))

	if err := e.ci.Acknowledge(ctx, a, "2027-03-10", "  I hear you.  "); err != nil {
		t.Fatal(err)
	}
	pb := e.day(t, b, "2027-03-10")
	ack := pb.AckFor(pb.Mine.ID, a.ID)
	if len(pb.Acks) != 1 || ack == nil || ack.Body != "I hear you." || !ack.Day.Equal(mustDate("2027-03-10")) {
		t.Fatalf("b's acks = %+v", pb.Acks)
	}
	if d := e.dashboard(t, b); d.LatestAck() == nil || d.LatestAck().Body != "I hear you." || d.LatestAck().UserID != a.ID {
		t.Fatalf("b's latest ack = %+v", d.LatestAck())
	}
	pa := e.day(t, a, "2027-03-10")
	if k := pa.AckFor(pa.Partners.ID, a.ID); k == nil || k.Body != "I hear you." {
		t.Fatalf("a does not see the answer a wrote: %+v", pa.Acks)
	}
	if e.dashboard(t, a).LatestAck() != nil {
		t.Fatal("a's own answer shows as an answer to a")
	}

	// Again: the answer is replaced, still one row.
	e.clk.t = e.clk.t.Add(time.Minute)
	if err := e.ci.Acknowledge(ctx, a, "2027-03-10", "Thank you for telling me."); err != nil {
		t.Fatal(err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM checkin_acks`); n != 1 {
		t.Fatalf("%d acks after answering twice, want 1", n)
	}
	pb = e.day(t, b, "2027-03-10")
	if len(pb.Acks) != 1 || pb.Acks[0].Body != "Thank you for telling me." {
		t.Fatalf("b's acks after the change = %+v", pb.Acks)
	}
	if d := e.dashboard(t, b); d.LatestAck() == nil || d.LatestAck().Body != "Thank you for telling me." {
		t.Fatalf("b's latest ack after the change = %+v", d.LatestAck())
	}

	// Limits: 280 characters, counted as characters.
	if err := e.ci.Acknowledge(ctx, a, "2027-03-10", strings.Repeat("ü", mend.MaxAck)); err != nil {
		t.Fatalf("an answer of %d characters: %v", mend.MaxAck, err)
	}
	for _, body := range []string{"", "   \n\t", strings.Repeat("a", mend.MaxAck+1)} {
		fieldRefused(t, e.ci.Acknowledge(ctx, a, "2027-03-10", body), "ack", "answer of "+body[:min(len(body), 5)])
	}
	if pb := e.day(t, b, "2027-03-10"); pb.Acks[0].Body != strings.Repeat("ü", mend.MaxAck) {
		t.Fatalf("a refused answer replaced the last one: %+v", pb.Acks)
	}
	// And the other way round.
	e.setNow(t, "2027-03-11T12:00:00Z")
	e.save(t, a, entry("", 3, mend.MyPartner))
	e.save(t, b, entry("", 4, mend.MyPartner))
	if err := e.ci.Acknowledge(ctx, b, "2027-03-11", "I'm here for you."); err != nil {
		t.Fatal(err)
	}
	if d := e.dashboard(t, a); d.LatestAck() == nil || d.LatestAck().Body != "I'm here for you." || !d.LatestAck().Day.Equal(mustDate("2027-03-11")) {
		t.Fatalf("a's latest ack = %+v", d.LatestAck())
	}
}

func TestCheckins_AcknowledgeOnlyWhatOneMayRead(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")

	e.setNow(t, "2027-03-08T12:00:00Z")
	e.save(t, a, entry("", 3, mend.MyPartner)) // only a wrote on the 8th
	e.setNow(t, "2027-03-09T12:00:00Z")
	e.save(t, a, entry("", 3, mend.MyPartner))
	e.save(t, b, entry("", 1, mend.JustMe)) // b's 9th is private
	e.setNow(t, "2027-03-10T12:00:00Z")
	e.save(t, b, entry("", 2, mend.MyPartner)) // a has not written the 10th

	for _, tc := range []struct{ who, day, what string }{
		{"a", "2027-03-10", "an unrevealed check-in"},
		{"a", "2027-03-09", "a private check-in"},
		{"a", "2027-03-08", "a day only a wrote (a's own check-in)"},
		{"a", "2027-03-07", "a day nobody wrote"},
		{"a", "not-a-day", "no day at all"},
		{"b", "2027-03-10", "b's own check-in"},
	} {
		u := a
		if tc.who == "b" {
			u = b
		}
		err := e.ci.Acknowledge(ctx, u, tc.day, "I hear you.")
		wantCode(t, err, mend.NotFound, tc.what)
	}
	if n := count(t, e.db, `SELECT count(*) FROM checkin_acks`); n != 0 {
		t.Fatalf("%d acks stored", n)
	}
	th := newTherapist(t, e.acc, "Tam", "Tam Ola")
	link(t, e.c, b, th)
	err := e.ci.Acknowledge(ctx, th, "2027-03-10", "I hear you.")
	wantCode(t, err, mend.NotFound, "a therapist answering")
	// Once a writes the 10th, a may answer it.
	e.save(t, a, entry("", 4, mend.MyPartner))
	if err := e.ci.Acknowledge(ctx, a, "2027-03-10", "I hear you."); err != nil {
		t.Fatal(err)
	}
}

// ---- Idempotency and races ----

func TestCheckins_SameFormSentTwentyTimesAtOnceSavesOnce(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, _, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	in := entry("", 3, mend.MyPartner)
	in.FormKey = service.NewFormKey()

	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := e.ci.Save(ctx, a, in); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := count(t, e.db, `SELECT count(*) FROM checkins`); n != 1 {
		t.Fatalf("%d check-ins, want 1", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM checkin_versions`); n != 0 {
		t.Fatalf("%d versions, want 0", n)
	}
	// The same form sent again later with other content (Back, change,
	// send) is an edit, not lost: the first version is kept.
	again := entry("", 5, mend.MyPartner)
	again.FormKey = in.FormKey
	if _, err := e.ci.Save(ctx, a, again); err != nil {
		t.Fatal(err)
	}
	if p := e.day(t, a, "2027-03-10"); p.Mine.Mood != 5 || len(p.Versions) != 1 || p.Versions[0].Mood != 3 {
		t.Fatalf("a form sent again with changes: %+v, versions %+v", p.Mine, p.Versions)
	}
}

func TestCheckins_TwentyDifferentFormsAtOnceMakeOneCheckin(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, _, _ := e.pairIn(t, "UTC", "UTC")
	// A few days over, as a race shows itself only now and then.
	for round := range 3 {
		e.clk.t = mustDate("2027-03-10").AddDate(0, 0, round).Add(12 * time.Hour)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				in := entry("", 1+i%5, mend.MyPartner)
				in.Feel = fmt.Sprintf("form %d", i) // each form says something else
				in.FormKey = service.NewFormKey()
				if _, err := e.ci.Save(ctx, a, in); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := count(t, e.db, `SELECT count(*) FROM checkins`); n != round+1 {
			t.Fatalf("%d check-ins after round %d, want %d", n, round, round+1)
		}
		if n := count(t, e.db, `SELECT count(*) FROM checkin_versions`); n != 19*(round+1) {
			t.Fatalf("%d versions after round %d, want %d", n, round, 19*(round+1))
		}
	}
}

// ---- Eras ----

func TestCheckins_APartnerWhoJoinsLaterSeesNothingFromBefore(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a := partnerIn(t, e.acc, "Ada", "UTC")
	b := partnerIn(t, e.acc, "Ben", "UTC")
	start(t, e.c, a, service.StartInput{})
	e.save(t, a, entry("", 2, mend.MyPartner)) // today by the real clock, before b joins
	accept(t, e.c, b, invite(t, e.c, a, mend.InvitePartner))
	today := e.ci.Today(a).Format(time.DateOnly)
	e.save(t, b, entry("", 4, mend.MyPartner))

	if p := e.day(t, b, today); p.Partners != nil {
		t.Fatalf("b sees a's check-in from before b joined: %+v", p.Partners)
	}
	wantRevealed(t, e.day(t, a, today).Partners, 4, "a reads b's")
	if h := e.history(t, b, service.HistoryQuery{}); len(h.Days) != 1 || h.Days[0].Partners != nil || h.Calendar[mustDate(today)].Partners {
		t.Fatalf("b's history = %+v, calendar %+v", h.Days, h.Calendar)
	}
	if tr := e.trends(t, b, 4); tr.Line(a.ID) == nil || tr.Line(a.ID).Mood.Count != 0 {
		t.Fatalf("b's trends of a = %+v", tr.Line(a.ID))
	}
	if d := e.dashboard(t, b); d.Partners != nil {
		t.Fatalf("b's dashboard shows a's check-in from before: %+v", d.Partners)
	}
	wantCode(t, e.ci.Acknowledge(ctx, b, today, "I hear you."), mend.NotFound, "b answering a's check-in from before")
	// Nor later, once the day is past.
	e.clk.t = e.clk.t.Add(72 * time.Hour)
	if p := e.day(t, b, today); p.Partners != nil {
		t.Fatalf("three days on, b sees a's check-in from before: %+v", p.Partners)
	}
	// a's own edit after b joined does not bring it in either.
	e.clk.t = e.clk.t.Add(-72 * time.Hour)
	e.save(t, a, entry("", 5, mend.MyPartner))
	if p := e.day(t, b, today); p.Partners != nil {
		t.Fatalf("after a's edit, b sees a's check-in from before: %+v", p.Partners)
	}
	// What a writes now, b sees.
	e.clk.t = e.clk.t.Add(24 * time.Hour)
	e.save(t, a, entry("", 3, mend.MyPartner))
	tomorrow := e.ci.Today(a).Format(time.DateOnly)
	e.save(t, b, entry("", 3, mend.MyPartner))
	wantRevealed(t, e.day(t, b, tomorrow).Partners, 3, "b reads a's check-in from after")
}

func TestCheckins_AfterLeavingTheStayerNoLongerSeesTheLeaver(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	e.save(t, a, entry("", 3, mend.MyPartner))
	e.save(t, b, entry("", 2, mend.MyPartner))
	if err := e.ci.Acknowledge(ctx, b, "2027-03-10", "I'm here for you."); err != nil {
		t.Fatal(err)
	}
	wantRevealed(t, e.day(t, a, "2027-03-10").Partners, 2, "before leaving")

	if err := e.c.Leave(ctx, b, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	p := e.day(t, a, "2027-03-10")
	if p.Partners != nil || len(p.Acks) != 0 {
		t.Fatalf("a still sees the leaver's check-in %+v or answer %+v", p.Partners, p.Acks)
	}
	wantRevealed(t, p.Mine, 3, "a's own after b left")
	h := e.history(t, a, service.HistoryQuery{})
	if len(h.Days) != 1 || h.Days[0].Partners != nil || h.Calendar[mustDate("2027-03-10")] != (mend.DayMarks{Mine: true}) {
		t.Fatalf("a's history after b left: %+v, %+v", h.Days, h.Calendar)
	}
	if tr := e.trends(t, a, 4); len(tr.Lines) != 1 || tr.Line(b.ID) != nil {
		t.Fatalf("a's trends after b left: %+v", tr.Lines)
	}
	if d := e.dashboard(t, a); d.Partners != nil || d.LatestAck() != nil {
		t.Fatalf("a's dashboard after b left: %+v, %+v", d.Partners, d.LatestAck())
	}
	_, err := e.ci.Day(ctx, b, "2027-03-10")
	wantCode(t, err, mend.NotFound, "the leaver reading")
	_, err = e.ci.Save(ctx, b, entry("", 2, mend.MyPartner))
	wantCode(t, err, mend.NotFound, "the leaver writing")
	if n := count(t, e.db, `SELECT count(*) FROM checkins WHERE user_id = $1`, b.ID); n != 1 {
		t.Fatalf("the leaver's check-ins: %d rows, want 1 kept", n)
	}

	// A newcomer sees neither the leaver's nor a's from before.
	c := partnerIn(t, e.acc, "Cal", "UTC")
	e.clk.t = time.Now() // invites expire by the service clock
	accept(t, e.c, c, invite(t, e.c, a, mend.InvitePartner))
	e.setNow(t, "2027-03-10T13:00:00Z")
	e.save(t, c, entry("", 5, mend.MyPartner))
	if p := e.day(t, c, "2027-03-10"); p.Partners != nil {
		t.Fatalf("the newcomer sees a's check-in from before: %+v", p.Partners)
	}
	wantRevealed(t, e.day(t, a, "2027-03-10").Partners, 5, "a reads the newcomer's")
}

func TestCheckins_RejoiningShowsNothingOfTheEarlierPair(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	e.save(t, a, entry("", 3, mend.MyPartner))
	e.save(t, b, entry("", 2, mend.MyPartner))
	if err := e.ci.Acknowledge(ctx, a, "2027-03-10", "I hear you."); err != nil {
		t.Fatal(err)
	}
	if err := e.c.Leave(ctx, b, goodPassword, client); err != nil {
		t.Fatal(err)
	}
	e.setNow(t, "2027-03-12T12:00:00Z")
	accept(t, e.c, b, invite(t, e.c, a, mend.InvitePartner))

	pb := e.day(t, b, "2027-03-10")
	wantRevealed(t, pb.Mine, 2, "b's own from before leaving")
	if pb.Partners != nil || len(pb.Acks) != 0 {
		t.Fatalf("b, back, sees the earlier pair's check-in %+v or answer %+v", pb.Partners, pb.Acks)
	}
	if p := e.day(t, a, "2027-03-10"); p.Partners != nil {
		t.Fatalf("a sees b's check-in from before b came back: %+v", p.Partners)
	}
	if d := e.dashboard(t, b); d.LatestAck() != nil {
		t.Fatalf("b, back, sees an answer from before: %+v", d.LatestAck())
	}
	if tr := e.trends(t, a, 4); tr.Line(b.ID).Mood.Count != 0 {
		t.Fatal("a's trends count b's check-in from before b came back")
	}
	if tr := e.trends(t, b, 4); tr.Line(a.ID).Mood.Count != 0 || tr.Line(b.ID).Mood.Count != 1 {
		t.Fatal("b's trends: a's from before, or b's own, wrong")
	}
	// What both write now, both see.
	e.save(t, a, entry("", 4, mend.MyPartner))
	e.save(t, b, entry("", 5, mend.MyPartner))
	wantRevealed(t, e.day(t, a, "2027-03-12").Partners, 5, "a reads b's new check-in")
	wantRevealed(t, e.day(t, b, "2027-03-12").Partners, 4, "b reads a's new check-in")
}

// ---- Therapist ----

func TestCheckins_TherapistSeesOnlyWhatIsSharedWithConsent(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindCheckins: true}); err != nil {
		t.Fatal(err)
	}

	e.setNow(t, "2027-03-08T12:00:00Z")
	e.save(t, a, entry("", 3, mend.PartnerAndTherapist))
	e.save(t, b, entry("", 2, mend.PartnerAndTherapist)) // b does not share check-ins
	e.setNow(t, "2027-03-09T12:00:00Z")
	e.save(t, a, entry("", 4, mend.MyPartner))
	e.save(t, b, entry("", 1, mend.PartnerAndTherapist))
	e.setNow(t, "2027-03-10T12:00:00Z")
	e.save(t, a, entry("", 5, mend.JustMe))
	e.setNow(t, "2027-03-10T13:00:00Z")

	ids := func(p *mend.TherapistCheckinsPage) string {
		var s []string
		for _, c := range p.Checkins {
			who := "a"
			if c.UserID == b.ID {
				who = "b"
			}
			s = append(s, who+c.Day.Format("02"))
		}
		return strings.Join(s, ",")
	}
	p := e.therapistView(t, th, coupleID, 4)
	if got := ids(p); got != "a08" {
		t.Fatalf("therapist sees %s, want a08", got)
	}
	wantRevealed(t, &p.Checkins[0], 3, "the shared check-in")
	if len(p.Members) != 2 || p.Trend.Line(a.ID).Mood.Count != 1 || p.Trend.Line(b.ID).Mood.Count != 0 || p.Trend.Weeks != 4 {
		t.Fatalf("therapist page: members %+v, trend %+v", p.Members, p.Trend)
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND therapist_id = $2 AND kind = 'checkins'`, coupleID, th.ID); n != 1 {
		t.Fatalf("%d views recorded, want 1", n)
	}

	// b starts sharing: b's therapist check-ins show, newest first.
	if _, err := e.c.SetDefaults(ctx, b, map[string]bool{mend.KindCheckins: true}); err != nil {
		t.Fatal(err)
	}
	if got := ids(e.therapistView(t, th, coupleID, 4)); got != "b09,a08,b08" {
		t.Fatalf("after b shares: %s", got)
	}
	// a withdraws: a's disappear, including what was shared before.
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{}); err != nil {
		t.Fatal(err)
	}
	if got := ids(e.therapistView(t, th, coupleID, 4)); got != "b09,b08" {
		t.Fatalf("after a withdrew: %s", got)
	}
	// Sharing again brings them back.
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindCheckins: true}); err != nil {
		t.Fatal(err)
	}
	if got := ids(e.therapistView(t, th, coupleID, 12)); got != "b09,a08,b08" {
		t.Fatalf("after a shared again: %s", got)
	}
	// Only the weeks asked for are listed; the trend still counts the weeks before.
	e.setNow(t, "2027-04-20T12:00:00Z")
	p = e.therapistView(t, th, coupleID, 4)
	if len(p.Checkins) != 0 || p.Trend.Line(a.ID).Mood.Count != 0 || p.Trend.Line(a.ID).Mood.Previous != 3 {
		t.Fatalf("six weeks on: %s, trend of a %+v", ids(p), p.Trend.Line(a.ID).Mood)
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'checkins'`, coupleID); n != 5 {
		t.Fatalf("%d views recorded, want one per look (5)", n)
	}
}

func TestCheckins_TherapistAccessIsChecked(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, b, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	other := newTherapist(t, e.acc, "Omar", "Omar Said")
	link(t, e.c, b, th)
	if _, err := e.c.SetDefaults(ctx, a, map[string]bool{mend.KindCheckins: true}); err != nil {
		t.Fatal(err)
	}
	e.setNow(t, "2027-03-10T12:00:00Z")
	e.save(t, a, entry("", 3, mend.PartnerAndTherapist))
	if p := e.therapistView(t, th, coupleID, 4); len(p.Checkins) != 1 {
		t.Fatalf("linked therapist sees %d check-ins", len(p.Checkins))
	}
	views := func() int {
		return count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1`, coupleID)
	}

	// A therapist of other couples, and the partners themselves: NotFound.
	for _, u := range []*mend.User{other, a, b} {
		_, err := e.ci.ForTherapist(ctx, u, coupleID, 4, "", "")
		wantCode(t, err, mend.NotFound, u.Name+" reading as the therapist")
	}
	// A partner's own access cannot reach the store's therapist reads (the
	// types say so: TestStore_OnlyAPartnersAccessWrites), and a partner
	// pretending to be the therapist, with their own ids, finds nothing.
	from, to := mustDate("2027-01-01"), mustDate("2027-12-31")
	own := mustAccess(t, e.c, a)
	forged := mend.StoreOnlyTherapistAccess(own.CoupleID(), own.UserID())
	if _, cs, list, err := e.db.TherapistCheckinsPage(ctx, forged, from, to, from, to); err != nil || len(cs) != 0 || len(list) != 0 {
		t.Fatalf("a forged therapist access read %d check-ins (%v)", len(cs), err)
	}
	wantCode(t, errOfView(e.db.OpenTherapistView(ctx, forged.UserID(), forged.CoupleID(), "checkins")), mend.NotFound, "a forged therapist access recording a view")
	if n := views(); n != 1 {
		t.Fatalf("%d views recorded, want only the linked therapist's 1", n)
	}

	// The link ends: NotFound, and no view recorded.
	if ended, err := e.c.EndTherapistLink(ctx, a); err != nil || !ended {
		t.Fatalf("end link: %v %v", ended, err)
	}
	_, err := e.ci.ForTherapist(ctx, th, coupleID, 4, "", "")
	wantCode(t, err, mend.NotFound, "a therapist whose link ended")
	if n := views(); n != 1 {
		t.Fatalf("%d views recorded after the link ended, want 1", n)
	}
}

func TestCheckins_TherapistSeesTodayInEachWritersZone(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	// a is a day ahead of the therapist, b is in the therapist's day.
	a, b, coupleID := e.pairIn(t, "Pacific/Kiritimati", "UTC")
	th := signUpUser(t, e.acc, service.SignUpInput{Name: "Hana", TimeZone: "Pacific/Honolulu", Therapist: true, ProfessionalName: "Hana Kai"})
	link(t, e.c, a, th)
	for _, u := range []*mend.User{a, b} {
		if _, err := e.c.SetDefaults(ctx, u, map[string]bool{mend.KindCheckins: true}); err != nil {
			t.Fatal(err)
		}
	}
	e.setNow(t, "2027-03-10T12:00:00Z") // the 11th for a, the 10th for b and the therapist
	e.save(t, a, entry("", 4, mend.PartnerAndTherapist))
	e.save(t, b, entry("", 2, mend.PartnerAndTherapist))
	p := e.therapistView(t, th, coupleID, 4)
	if len(p.Checkins) != 2 || p.Checkins[0].UserID != a.ID || !p.Checkins[0].Day.Equal(mustDate("2027-03-11")) ||
		p.Checkins[1].UserID != b.ID || !p.Checkins[1].Day.Equal(mustDate("2027-03-10")) {
		t.Fatalf("therapist sees %+v", p.Checkins)
	}
	if !p.Trend.To.Equal(mustDate("2027-03-10")) || p.Trend.Line(b.ID).Mood.Count != 1 || pointAt(p.Trend, p.Trend.Line(b.ID).Mood.Daily, "2027-03-10") != 2 {
		t.Fatalf("therapist's trend to %v, b's mood %+v", p.Trend.To, p.Trend.Line(b.ID).Mood)
	}
}

func TestCheckins_TherapistViewIsRecordedBeforeReading(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	ctx := context.Background()
	a, _, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	store := &orderCheckinStore{CheckinStore: e.db}
	e.ci.Store = store

	if _, err := e.ci.ForTherapist(ctx, th, coupleID, 4, "", ""); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(store.calls, ","); got != "view checkins,members,checkins" {
		t.Fatalf("calls = %s", got)
	}
	store.calls, store.failView = nil, true
	if _, err := e.ci.ForTherapist(ctx, th, coupleID, 4, "", ""); err == nil {
		t.Fatal("read although the view could not be recorded")
	}
	if got := strings.Join(store.calls, ","); got != "view checkins" {
		t.Fatalf("calls when the view is not recorded = %s", got)
	}
}

// ---- Today, history, trends ----

func TestCheckins_TodayPart(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	d := e.dashboard(t, a)
	if !d.Today.Equal(mustDate("2027-03-10")) || d.Mine != nil || d.Partners != nil || d.Yesterday != nil || d.LatestAck() != nil {
		t.Fatalf("empty dashboard = %+v", d)
	}
	if d.Trend == nil || d.Trend.Weeks != 4 || d.Trend.Days() != 28 || !d.Trend.To.Equal(d.Today) || len(d.Trend.Lines) != 2 {
		t.Fatalf("empty dashboard trend = %+v", d.Trend)
	}
	e.save(t, a, entry("2027-03-09", 2, mend.MyPartner))
	e.save(t, a, entry("", 3, mend.MyPartner))
	e.save(t, b, entry("", 4, mend.MyPartner))
	d = e.dashboard(t, a)
	wantRevealed(t, d.Mine, 3, "dashboard: mine")
	wantRevealed(t, d.Partners, 4, "dashboard: partner's")
	if d.Yesterday == nil || d.Yesterday.Mood != 2 || !d.Yesterday.Late {
		t.Fatalf("dashboard: yesterday = %+v", d.Yesterday)
	}
	if d := e.dashboard(t, b); d.Yesterday != nil {
		t.Fatalf("b's dashboard shows a's yesterday as b's: %+v", d.Yesterday)
	}
}

func TestCheckins_TodayTrendIsTheFourWeekTrend(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	// Check-ins spread over eight weeks, both partners, some days apart.
	day := mustDate("2027-01-10")
	for i := range 56 {
		e.clk.t = day.AddDate(0, 0, i).Add(12 * time.Hour)
		if i%3 != 0 {
			e.save(t, a, entry("", 1+i%5, mend.MyPartner))
		}
		if i%4 != 1 {
			e.save(t, b, entry("", 1+(i/7)%5, mend.MyPartner))
		}
	}
	got, want := e.dashboard(t, a).Trend, e.trends(t, a, 4)
	if !got.From.Equal(want.From) || !got.To.Equal(want.To) || len(got.Lines) != len(want.Lines) {
		t.Fatalf("dashboard trend %v–%v, trends page %v–%v", got.From, got.To, want.From, want.To)
	}
	for i, l := range want.Lines {
		for _, m := range []struct {
			name      string
			got, want mend.Measure
		}{{"mood", got.Lines[i].Mood, l.Mood}, {"connection", got.Lines[i].Connection, l.Connection}} {
			if !sameFloats(m.got.Daily, m.want.Daily) || !sameFloats(m.got.Rolling, m.want.Rolling) ||
				!sameFloat(m.got.Average, m.want.Average) || !sameFloat(m.got.Previous, m.want.Previous) || m.got.Count != m.want.Count {
				t.Errorf("user %d %s: dashboard average %v previous %v count %d; trends page average %v previous %v count %d",
					l.UserID, m.name, m.got.Average, m.got.Previous, m.got.Count, m.want.Average, m.want.Previous, m.want.Count)
			}
		}
	}
}

func TestCheckins_HistoryPagesAndCalendar(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	// 17 days with a check-in of a's, from 2027-02-20 to 2027-03-08; b
	// writes on the even days.
	first := mustDate("2027-02-20")
	for i := range 17 {
		e.clk.t = first.AddDate(0, 0, i).Add(12 * time.Hour)
		e.save(t, a, entry("", 1+i%5, mend.MyPartner))
		if i%2 == 0 {
			e.save(t, b, entry("", 3, mend.MyPartner))
		}
	}
	e.setNow(t, "2027-03-10T12:00:00Z")
	p := e.history(t, a, service.HistoryQuery{})
	if len(p.Days) != mend.HistoryDays || !p.Days[0].Day.Equal(mustDate("2027-03-08")) ||
		!p.Days[13].Day.Equal(mustDate("2027-02-23")) || !p.Next.Equal(mustDate("2027-02-23")) {
		t.Fatalf("first page: %d days, from %v, next %v", len(p.Days), p.Days[0].Day, p.Next)
	}
	if !p.Month.Equal(mustDate("2027-03-01")) || len(p.Calendar) != 8 || p.Calendar[mustDate("2027-03-08")] != (mend.DayMarks{Mine: true, Partners: true}) ||
		p.Calendar[mustDate("2027-03-07")] != (mend.DayMarks{Mine: true}) {
		t.Fatalf("first page calendar: month %v, %+v", p.Month, p.Calendar)
	}
	for _, d := range p.Days {
		if d.Mine == nil || d.Mine.UserID != a.ID || (d.Partners != nil && d.Partners.UserID != b.ID) {
			t.Fatalf("day %v: mine %+v, partner's %+v", d.Day, d.Mine, d.Partners)
		}
	}
	p = e.history(t, a, service.HistoryQuery{Before: p.Next.Format(time.DateOnly)})
	if len(p.Days) != 3 || !p.Days[2].Day.Equal(first) || !p.Next.IsZero() {
		t.Fatalf("second page: %+v, next %v", p.Days, p.Next)
	}
	if !p.Month.Equal(mustDate("2027-02-01")) || len(p.Calendar) != 9 {
		t.Fatalf("second page calendar: month %v, %d days", p.Month, len(p.Calendar))
	}
	if p := e.history(t, a, service.HistoryQuery{Who: "partner"}); len(p.Days) != 9 || p.Days[0].Mine != nil || p.Days[0].Partners == nil {
		t.Fatalf("only b's: %d days", len(p.Days))
	}
	if p := e.history(t, a, service.HistoryQuery{Month: "2027-04"}); !p.Month.Equal(mustDate("2027-03-01")) {
		t.Fatalf("a month in the future gives %v", p.Month)
	}
}

func TestCheckins_TrendsWeeks(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	a, _, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-03-10T12:00:00Z")
	for _, tc := range []struct{ ask, weeks int }{{4, 4}, {12, 12}, {52, 52}, {0, 4}, {5, 4}, {-12, 4}} {
		tr := e.trends(t, a, tc.ask)
		if tr.Weeks != tc.weeks || tr.Days() != 7*tc.weeks || !tr.To.Equal(mustDate("2027-03-10")) {
			t.Errorf("weeks %d: got %d weeks, %d days, to %v", tc.ask, tr.Weeks, tr.Days(), tr.To)
		}
		if l := tr.Line(a.ID); l == nil || len(l.Mood.Daily) != tr.Days() || len(l.Connection.Rolling) != tr.Days() {
			t.Errorf("weeks %d: line %+v", tc.ask, l)
		}
	}
}

// ---- BuildTrend ----

func TestCheckins_BuildTrendArithmetic(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	pt := func(day string, user int64, mood, connection int) mend.Point {
		return mend.Point{Day: mustDate(day), UserID: user, Mood: mood, Connection: connection}
	}
	from, to := mustDate("2027-03-01"), mustDate("2027-03-07")
	// One week; the previous week is 2027-02-22 to 2027-02-28.
	points := []mend.Point{
		pt("2027-02-21", 1, 5, 10), // before the previous week: left out
		pt("2027-02-24", 1, 2, 4),
		pt("2027-02-28", 1, 1, 2),
		pt("2027-03-01", 1, 3, 6),
		pt("2027-03-02", 2, 4, 8),
		pt("2027-03-03", 1, 5, 0), // a connection of 0 is a score, not a gap
		pt("2027-03-04", 3, 1, 1), // not asked for
		pt("2027-03-07", 2, 2, 2), // the last day counts
		pt("2027-03-08", 1, 1, 1), // after to: left out
	}
	tr := mend.BuildTrend(points, []int64{2, 1, 9}, from, to, time.Time{}, 1)
	if tr.Weeks != 1 || !tr.From.Equal(from) || !tr.To.Equal(to) || tr.Days() != 7 {
		t.Fatalf("trend %d weeks %v–%v, %d days", tr.Weeks, tr.From, tr.To, tr.Days())
	}
	if len(tr.Lines) != 3 || tr.Lines[0].UserID != 2 || tr.Lines[1].UserID != 1 || tr.Lines[2].UserID != 9 || tr.Line(3) != nil {
		t.Fatalf("lines = %+v", tr.Lines)
	}
	check := func(name string, m mend.Measure, daily, rolling []float64, avg, prev float64, n int) {
		t.Helper()
		if !sameFloats(m.Daily, daily) {
			t.Errorf("%s daily = %v, want %v", name, m.Daily, daily)
		}
		if !sameFloats(m.Rolling, rolling) {
			t.Errorf("%s rolling = %v, want %v", name, m.Rolling, rolling)
		}
		if !sameFloat(m.Average, avg) || !sameFloat(m.Previous, prev) || m.Count != n {
			t.Errorf("%s average %v previous %v count %d, want %v %v %d", name, m.Average, m.Previous, m.Count, avg, prev, n)
		}
	}
	// User 1's mood: the rolling average of 1 March takes 24 and 28 February
	// (2, 1) with 1 March (3); on 7 March the window starts on 1 March.
	one := tr.Line(1)
	check("user 1 mood", one.Mood,
		[]float64{3, nan, 5, nan, nan, nan, nan},
		[]float64{2, 2, 3, 3, 3, 3, 4},
		4, 1.5, 2)
	check("user 1 connection", one.Connection,
		[]float64{6, nan, 0, nan, nan, nan, nan},
		[]float64{4, 4, 8.0 / 3, 8.0 / 3, 8.0 / 3, 8.0 / 3, 3},
		3, 3, 2)
	two := tr.Line(2)
	check("user 2 mood", two.Mood,
		[]float64{nan, 4, nan, nan, nan, nan, 2},
		[]float64{nan, 4, 4, 4, 4, 4, 3},
		3, nan, 2)
	check("user 2 connection", two.Connection,
		[]float64{nan, 8, nan, nan, nan, nan, 2},
		[]float64{nan, 8, 8, 8, 8, 8, 5},
		5, nan, 2)
	nine := tr.Line(9)
	all := []float64{nan, nan, nan, nan, nan, nan, nan}
	check("user 9 mood", nine.Mood, all, all, nan, nan, 0)
	check("user 9 connection", nine.Connection, all, all, nan, nan, 0)

	// Only points before from: no check-in in range, the previous period and
	// the first rolling averages still count them.
	tr = mend.BuildTrend([]mend.Point{pt("2027-02-27", 1, 2, 2)}, []int64{1}, from, to, time.Time{}, 1)
	check("only before", tr.Line(1).Mood,
		all, []float64{2, 2, 2, 2, 2, nan, nan}, nan, 2, 0)

	// Four weeks: the previous period is the four weeks before from.
	from4 := mustDate("2027-02-08")
	tr = mend.BuildTrend([]mend.Point{pt("2027-01-11", 1, 1, 1), pt("2027-01-10", 1, 5, 5), pt("2027-02-07", 1, 3, 3), pt("2027-02-08", 1, 4, 4)},
		[]int64{1}, from4, to, mustDate("2027-01-11"), 4)
	m := tr.Line(1).Mood
	if tr.Days() != 28 || len(m.Daily) != 28 || m.Count != 1 || m.Average != 4 || m.Previous != 2 || m.Rolling[0] != 3.5 || m.Rolling[6] != 4 || !math.IsNaN(m.Rolling[7]) {
		t.Fatalf("four weeks: days %d, count %d, average %v, previous %v, rolling %v", tr.Days(), m.Count, m.Average, m.Previous, m.Rolling[:8])
	}
	// A space that began a day after the four weeks before began: they are
	// not wholly inside its life, so nothing is compared.
	tr = mend.BuildTrend([]mend.Point{pt("2027-01-12", 1, 1, 1), pt("2027-02-08", 1, 4, 4)}, []int64{1}, from4, to, mustDate("2027-01-12"), 4)
	if m := tr.Line(1).Mood; !math.IsNaN(m.Previous) || !math.IsNaN(tr.Line(1).Connection.Previous) || m.Average != 4 {
		t.Fatalf("a young space: average %v, previous %v", m.Average, m.Previous)
	}
}

// TestCheckins_TrendsCompareOnlyWeeksInsideTheSpace: five weeks into a
// space, the 4 weeks before the last 4 began before it did: the trends
// page, Today and the therapist's page say the average without "up from".
func TestCheckins_TrendsCompareOnlyWeeksInsideTheSpace(t *testing.T) {
	t.Parallel()
	e := newCheckins(t)
	a, _, coupleID := e.pairIn(t, "UTC", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, a, th)
	if _, err := e.c.SetDefaults(context.Background(), a, map[string]bool{mend.KindCheckins: true}); err != nil {
		t.Fatal(err)
	}
	// The space began now, on the database's clock; day 2 of its life.
	began := time.Now().UTC()
	e.setNow(t, began.AddDate(0, 0, 1).Format(time.RFC3339))
	e.save(t, a, entry("", 2, mend.PartnerAndTherapist))
	// Day 36: the last 4 weeks start on day 9, the 4 before on day -19.
	e.setNow(t, began.AddDate(0, 0, 35).Format(time.RFC3339))
	e.save(t, a, entry("", 4, mend.PartnerAndTherapist))
	lines := map[string]*mend.TrendLine{"trends": e.trends(t, a, 4).Line(a.ID), "Today": e.dashboard(t, a).Trend.Line(a.ID),
		"the therapist's page": e.therapistView(t, th, coupleID, 4).Trend.Line(a.ID)}
	for page, l := range lines {
		if l == nil || l.Mood.Average != 4 || !math.IsNaN(l.Mood.Previous) || !math.IsNaN(l.Connection.Previous) {
			t.Errorf("%s compares with weeks before the space: %+v", page, l)
		}
	}
}
