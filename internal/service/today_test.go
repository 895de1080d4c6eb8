package service_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// TestToday_PageShowsEachPartForEachPartner reads Today in one go, for
// each partner: their own and their partner's check-ins of the day and the
// four-week trend (the trends page's), the commitments as the commitments
// page sorts them, the partner's latest triggers, the hard dates of the
// coming week and the safety offer.
func TestToday_PageShowsEachPartForEachPartner(t *testing.T) {
	t.Parallel()
	e := newSpaceEnv(t, "Ada", "Ben")
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "Pacific/Auckland")
	today := e.newToday()
	ci, co, tr, sa := today.Checkins, today.Commitments, today.Triggers, today.Safety
	e.setNow(t, "2027-03-10T09:00:00Z") // 22:00 the same day in Auckland

	if _, err := ci.Save(ctx, a, entry("", 3, mend.MyPartner)); err != nil {
		t.Fatal(err)
	}
	if _, err := ci.Save(ctx, b, entry("", 4, mend.JustMe)); err != nil {
		t.Fatal(err)
	}
	bens, err := tr.Log(ctx, b, quick("place", 6, mend.MyPartner, ""))
	if err != nil {
		t.Fatal(err)
	}
	adas, err := tr.Log(ctx, a, quick("person", 2, mend.MyPartner, ""))
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.AddHardDate(ctx, a, "The day it came out", "2027-03-14", false, ""); err != nil {
		t.Fatal(err)
	}
	proposal, err := co.Propose(ctx, a, promise("I call if I am late", "2027-04-29"))
	if err != nil {
		t.Fatal(err)
	}
	if err := sa.Dismiss(ctx, b); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		u, other          *mend.User
		mood              int   // of u's own check-in
		partnersTrigger   int64 // the other's trigger u sees
		forMe, forPartner []int64
		safetyDue         bool
	}{
		{a, b, 3, bens, nil, []int64{proposal}, true},
		{b, a, 4, adas, []int64{proposal}, nil, false},
	} {
		u := c.u
		p, err := today.Page(ctx, u)
		if err != nil {
			t.Fatalf("%s's Today: %v", u.Name, err)
		}
		sp := space(t, e.c, u)
		if !reflect.DeepEqual(p.Space, sp) {
			t.Errorf("%s's Today space = %+v, want %+v", u.Name, p.Space, sp)
		}

		// Check-ins: u's own, revealed to u; the other's, if u may know of
		// it; nothing from yesterday, no answer yet; the four-week trend.
		d := p.Checkins
		if !d.Today.Equal(mustDate("2027-03-10")) || d.Yesterday != nil || d.LatestAck() != nil {
			t.Errorf("%s's Today check-ins: today %v, yesterday %+v, latest answer %+v", u.Name, d.Today, d.Yesterday, d.LatestAck())
		}
		wantRevealed(t, d.Mine, c.mood, u.Name+"'s Today: own check-in")
		if d.Mine.UserID != u.ID {
			t.Errorf("%s's Today shows %d's check-in as theirs", u.Name, d.Mine.UserID)
		}
		if u == b {
			// Ada's check-in exists, but Ben's is private: nothing is revealed.
			wantUnrevealed(t, d.Partners, "Ben's Today: Ada's check-in")
			if d.Partners.UserID != a.ID {
				t.Errorf("Ben's Today shows %d's check-in as Ada's", d.Partners.UserID)
			}
		}
		trend := d.Trend
		if trend == nil || trend.Weeks != 4 || !trend.From.Equal(mustDate("2027-02-11")) || !trend.To.Equal(d.Today) || trend.Days() != 28 ||
			len(trend.Lines) != 2 || trend.Lines[0].UserID != u.ID || trend.Lines[1].UserID != c.other.ID {
			t.Fatalf("%s's Today trend = %+v", u.Name, trend)
		}
		own, others := trend.Line(u.ID), trend.Line(c.other.ID)
		for _, m := range []mend.Measure{own.Mood, own.Connection} {
			if m.Count != 1 || m.Average != float64(c.mood) || m.Daily[27] != float64(c.mood) || m.Rolling[27] != float64(c.mood) || !math.IsNaN(m.Previous) {
				t.Errorf("%s's Today trend of their own = %+v", u.Name, m)
			}
		}
		for _, m := range []mend.Measure{others.Mood, others.Connection} {
			// Ben's check-in is private; Ada's is not revealed to Ben yet.
			if m.Count != 0 || !math.IsNaN(m.Average) || !math.IsNaN(m.Daily[27]) {
				t.Errorf("%s's Today trend of %s's = %+v", u.Name, c.other.Name, m)
			}
		}
		if page, err := ci.Trends(ctx, u, 4); err != nil || dump(trend) != dump(page.Trend) {
			t.Errorf("%s's Today trend = %s, the trends page's = %+v (%v)", u.Name, dump(trend), page, err)
		}

		// Commitments: sorted as on the commitments page.
		wantIDs(t, p.Commitments.ForMe, u.Name+"'s Today: waiting for "+u.Name, c.forMe...)
		wantIDs(t, p.Commitments.ForPartner, u.Name+"'s Today: waiting for "+c.other.Name, c.forPartner...)
		for what, l := range map[string][]mend.CommitmentView{"review due": p.Commitments.ReviewDue, "active": p.Commitments.Active,
			"paused": p.Commitments.Paused, "ended": p.Commitments.Ended, "due today": p.Commitments.DueToday} {
			wantIDs(t, l, u.Name+"'s Today: "+what)
		}
		if page, err := co.List(ctx, u); err != nil || dump(p.Commitments) != dump(page) {
			t.Errorf("%s's Today commitments = %+v, the commitments page's = %+v (%v)", u.Name, p.Commitments, page, err)
		}

		// Triggers: the other's latest, and the hard date in four days.
		if !sameIDs(p.Triggers.Partners, c.partnersTrigger) || p.Triggers.Partners[0].UserID != c.other.ID {
			t.Errorf("%s's Today triggers = %+v", u.Name, p.Triggers.Partners)
		}
		if l, err := tr.List(ctx, u, "partner", ""); err != nil || dump(p.Triggers.Partners) != dump(l.Triggers) {
			t.Errorf("%s's Today triggers = %+v, the list of the partner's = %+v (%v)", u.Name, p.Triggers.Partners, l, err)
		}
		if up := p.Triggers.Upcoming; len(up) != 1 || up[0].Label != "The day it came out" || up[0].Yearly ||
			!up[0].Next.Equal(mustDate("2027-03-14")) || up[0].Days != 4 {
			t.Errorf("%s's Today hard dates = %+v", u.Name, up)
		}

		// The safety check: offered to Ada; Ben set it aside.
		if p.SafetyDue != c.safetyDue {
			t.Errorf("%s's Today offers the safety check: %v, want %v", u.Name, p.SafetyDue, c.safetyDue)
		}
	}
	// A partner's private check-in stays theirs on Today too.
	if p, err := today.Page(ctx, a); err != nil || p.Checkins.Partners != nil {
		t.Fatalf("Ada's Today shows Ben's private check-in: %+v (%v)", p.Checkins.Partners, err)
	}

	lone := partnerIn(t, e.acc, "Cy", "UTC")
	th := newTherapist(t, e.acc, "Tess", "Tess Lee")
	for _, u := range []*mend.User{lone, th} {
		if _, err := today.Page(ctx, u); !errors.Is(err, service.ErrNoSpace) {
			t.Errorf("%s's Today: %v, want ErrNoSpace", u.Name, err)
		}
	}
}

// dump prints v with the values pointers point to, so that two results read
// separately compare equal when they say the same (NaN included).
func dump(v any) string { return dumpValue(reflect.ValueOf(v)) }

func dumpValue(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "nil"
		}
		return "&" + dumpValue(v.Elem())
	case reflect.Struct:
		if v.Type().PkgPath() != "" && v.Type().Name() == "Time" {
			return fmt.Sprint(v.Interface())
		}
		s := v.Type().Name() + "{"
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				s += v.Type().Field(i).Name + ":" + dumpValue(v.Field(i)) + " "
			}
		}
		return s + "}"
	case reflect.Slice, reflect.Array:
		s := "["
		for i := range v.Len() {
			s += dumpValue(v.Index(i)) + " "
		}
		return s + "]"
	case reflect.Map:
		return fmt.Sprint(v.Interface())
	}
	return fmt.Sprint(v.Interface())
}

// TestToday_WhatWaitsAndWhatHappenedSinceTheLastVisit follows Ben's Today:
// Ada's fresh trigger leads it for a day; Ada's commitment log waits for
// Ben's "I saw this"; Ada's answers to Ben's check-in and trigger appear
// since Ben's last visit, a visit being Today pages each within an hour of
// the one before. The database stamps entries and visits with its own
// clock, so the test moves those stamps back to let time pass.
func TestToday_WhatWaitsAndWhatHappenedSinceTheLastVisit(t *testing.T) {
	t.Parallel()
	e := newSpaceEnv(t, "Ada", "Ben")
	ctx := context.Background()
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	today := e.newToday()
	ci, co, tr := today.Checkins, today.Commitments, today.Triggers
	ago := func(sql string, args ...any) {
		t.Helper()
		if _, err := e.db.Pool.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	lastVisit := func() time.Time {
		t.Helper()
		var at time.Time
		if err := e.db.Pool.QueryRow(ctx, `SELECT today_seen_at FROM users WHERE id = $1`, b.ID).Scan(&at); err != nil {
			t.Fatal(err)
		}
		return at
	}
	e.setNow(t, "2027-03-09T08:00:00Z")
	id, err := co.Propose(ctx, a, promise("Home by 7 or I call", "2027-04-29"))
	if err != nil {
		t.Fatal(err)
	}
	if err := co.Answer(ctx, b, id, mend.AnswerAgree, ""); err != nil {
		t.Fatal(err)
	}
	e.setNow(t, "2027-03-10T08:00:00Z")

	// The first visit lists the last two weeks: nothing yet.
	p := todayPage(t, today, b)
	if !p.Since.From.IsZero() || !p.Since.Empty() || len(p.Waiting) != 0 || len(p.Triggers.Partners) != 0 {
		t.Fatalf("Ben's first Today: since %+v, waiting %+v, triggers %+v", p.Since, p.Waiting, p.Triggers.Partners)
	}
	if d := todayPage(t, today, a).Commitments.DueToday; len(d) != 1 || d[0].ID != id {
		t.Fatalf("Ada's commitments due today = %+v", d)
	}
	// Ben's visit was two hours ago.
	ago(`UPDATE users SET today_seen_at = today_seen_at - interval '2 hours' WHERE id = $1`, b.ID)
	ended := lastVisit()

	// Ada logs a trigger and keeps her commitment; Ben checks in and logs
	// a trigger of his own. Ada answers both of Ben's.
	e.setNow(t, "2027-03-10T09:00:00Z")
	adas, err := tr.Log(ctx, a, quick("place", 7, mend.MyPartner, ""))
	if err != nil {
		t.Fatal(err)
	}
	if err := co.Log(ctx, a, id, service.LogInput{Day: "2027-03-09", Status: mend.Partly, Note: "Late, but I called"}); err != nil {
		t.Fatal(err)
	}
	if err := co.Log(ctx, a, id, service.LogInput{Status: mend.Kept, Note: "Called at six"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ci.Save(ctx, b, entry("", 2, mend.MyPartner)); err != nil {
		t.Fatal(err)
	}
	bens, err := tr.Log(ctx, b, quick("date", 8, mend.MyPartner, ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ci.Save(ctx, a, entry("", 4, mend.MyPartner)); err != nil {
		t.Fatal(err)
	}
	if err := ci.Acknowledge(ctx, a, "2027-03-10", "I hear you."); err != nil {
		t.Fatal(err)
	}
	if err := tr.Respond(ctx, a, bens, "here", "I am home tonight.", ""); err != nil {
		t.Fatal(err)
	}

	// A new visit: Ada's trigger leads, her log waits for Ben, and her two
	// answers happened since his last visit.
	e.setNow(t, "2027-03-10T10:30:00Z")
	p = todayPage(t, today, b)
	if ts := p.Triggers.Partners; len(ts) != 1 || ts[0].ID != adas {
		t.Errorf("Ben's Today triggers = %+v, want Ada's %d", ts, adas)
	}
	// The newest log stands for the commitment's other one.
	if len(p.Waiting) != 1 || p.Waiting[0].CommitmentID != id || p.Waiting[0].Title != "Home by 7 or I call" ||
		p.Waiting[0].Log.Status != mend.Kept || p.Waiting[0].Log.Note != "Called at six" || p.Waiting[0].More != 1 {
		t.Fatalf("Ben's Today waiting = %+v", p.Waiting)
	}
	if !p.Since.From.Equal(ended) {
		t.Errorf("Ben's last visit ended %v, want %v", p.Since.From, ended)
	}
	if s := p.Since; len(s.Acks) != 1 || s.Acks[0].Body != "I hear you." || len(s.Triggers) != 1 ||
		s.Triggers[0].Trigger.ID != bens || s.Triggers[0].Response.Body != "I am home tonight." || len(s.Logs) != 0 {
		t.Errorf("Ben's Today since the last visit = %+v", s)
	}
	if !p.Checkins.BothIn() {
		t.Errorf("Ben's Today: both checked in, but BothIn is false")
	}
	// Ada's own Today: her log does not wait for her, and nothing she did
	// is "since" for her.
	if pa := todayPage(t, today, a); len(pa.Waiting) != 0 || !pa.Since.Empty() {
		t.Errorf("Ada's Today: waiting %+v, since %+v", pa.Waiting, pa.Since)
	}

	// The same visit: the list stays. Ben says he saw the newest log: the
	// earlier one waits on its own now, and the one he saw counts as
	// happened since his last visit. Then he sees the earlier one too.
	if err := co.Respond(ctx, b, id, p.Waiting[0].Log.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	seen := lastVisit()
	p = todayPage(t, today, b)
	if again := lastVisit(); !again.Equal(seen) {
		t.Errorf("a reload within a minute wrote the visit again: %v, then %v", seen, again)
	}
	if len(p.Waiting) != 1 || p.Waiting[0].Log.Note != "Late, but I called" || p.Waiting[0].More != 0 ||
		!p.Since.From.Equal(ended) || len(p.Since.Acks) != 1 || len(p.Since.Logs) != 1 || p.Since.Logs[0].Log.Note != "Called at six" {
		t.Errorf("Ben's Today in the same visit: waiting %+v, since %+v", p.Waiting, p.Since)
	}
	if err := co.Respond(ctx, b, id, p.Waiting[0].Log.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if p = todayPage(t, today, b); len(p.Waiting) != 0 || len(p.Since.Logs) != 2 {
		t.Errorf("Ben's Today after seeing both logs: waiting %+v, since %+v", p.Waiting, p.Since.Logs)
	}

	// The next morning, a new visit: what Ben saw yesterday is not new, and
	// Ada's trigger no longer leads (more than a day old).
	for _, table := range []string{"checkin_acks", "trigger_responses", "commitment_logs", "commitment_responses"} {
		ago(`UPDATE ` + table + ` SET updated_at = updated_at - interval '20 hours'`)
	}
	ago(`UPDATE users SET today_seen_at = today_seen_at - interval '19 hours' WHERE id = $1`, b.ID)
	ended = lastVisit()
	e.setNow(t, "2027-03-11T09:30:00Z")
	p = todayPage(t, today, b)
	if !p.Since.From.Equal(ended) || !p.Since.Empty() || len(p.Triggers.Partners) != 0 {
		t.Errorf("Ben's Today the next day: since %+v (want from %v), triggers %+v", p.Since, ended, p.Triggers.Partners)
	}
}

// TestToday_NoMissedYesterdayBeforeTheSpace: on the space's first day,
// Today does not offer yesterday's check-in. The space is stamped by the
// database's clock, so the test's clock starts at the real time.
func TestToday_NoMissedYesterdayBeforeTheSpace(t *testing.T) {
	t.Parallel()
	e := newSpaceEnv(t, "Ada", "Ben")
	a, _, _ := e.pairIn(t, "UTC", "UTC")
	now := time.Now().UTC()
	e.setNow(t, now.Format(time.RFC3339))
	today := e.newToday()
	if d := todayPage(t, today, a).Checkins; d.YesterdayOpen() {
		t.Errorf("the first day offers yesterday: started %v, today %v", d.Started, d.Today)
	}
	e.setNow(t, now.AddDate(0, 0, 1).Format(time.RFC3339))
	if d := todayPage(t, today, a).Checkins; !d.YesterdayOpen() {
		t.Errorf("the second day does not offer the first: started %v, today %v", d.Started, d.Today)
	}
}
