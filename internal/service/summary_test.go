package service_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// TestSummary_Arithmetic: a summary of days 20–33 against known data. Ana
// checks in on 10 of its days (moods 1 to 5 twice: average 3) and on 7 of
// the 14 days before (mood 2); she keeps her daily commitment on 9 of its
// days, owns 3 misses and leaves 2 unlogged; Ben logs three triggers (one
// private, which is his alone) and Ana answers one of them; each marks a
// setback (Ben's before these days), and what was told and what was
// discovered are kept apart.
func TestSummary_Arithmetic(t *testing.T) {
	t.Parallel()
	e := newProgress(t)
	ctx := context.Background()
	ce := &commitmentsEnv{spaceEnv: e.spaceEnv, s: e.co}
	te := &triggersEnv{spaceEnv: e.spaceEnv, tr: e.tr}
	ds := service.NewDisclosures(e.db, e.c)
	ds.Now = e.clk.now
	e.day(19)
	id := ce.active(t, e.ana, e.ben, promise("Home by seven", e.dayValue(90)))
	for d := 6; d <= 33; d++ {
		e.day(d)
		switch {
		case d < 20 && d%2 == 0: // days 6, 8, … 18: 7 check-ins of mood 2
			if _, err := e.ci.Save(ctx, e.ana, entry("", 2, mend.MyPartner)); err != nil {
				t.Fatal(err)
			}
		case d >= 20 && d < 30: // days 20–29: moods 1–5, 1–5
			if _, err := e.ci.Save(ctx, e.ana, entry("", 1+(d-20)%5, mend.MyPartner)); err != nil {
				t.Fatal(err)
			}
		}
		if d >= 20 {
			switch {
			case d < 29:
				ce.log(t, e.ana, id, "", mend.Kept, "")
			case d < 32:
				ce.log(t, e.ana, id, "", mend.Missed, "")
			}
		}
	}
	// Ben's triggers on days 21, 25 and 30 (the private one on 30), and
	// one before the summary's days.
	when := func(d int) string { return e.start.AddDate(0, 0, d).Add(12 * 3600e9).Format("2006-01-02T15:04") }
	te.log(t, e.ben, quick("place", 4, mend.MyPartner, when(12)))
	t21 := te.log(t, e.ben, quick("person", 7, mend.MyPartner, when(21)))
	te.log(t, e.ben, quick("person", 5, mend.MyPartner, when(25)))
	te.log(t, e.ben, quick("date", 9, mend.JustMe, when(30)))
	if err := e.tr.Respond(ctx, e.ana, t21, "here", "", ""); err != nil {
		t.Fatal(err)
	}
	e.day(33)
	if err := e.pr.AddSetback(ctx, e.ana, service.SetbackInput{Day: e.dayValue(24), Note: "A long silence", Visibility: "partner"}); err != nil {
		t.Fatal(err)
	}
	if err := e.pr.AddSetback(ctx, e.ben, service.SetbackInput{Day: e.dayValue(10), Visibility: "partner"}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []service.DisclosureInput{
		{How: mend.Told, Topic: "contact", Day: e.dayValue(22), Body: "A message came", Visibility: "partner", Send: true},
		{How: mend.Discovered, Topic: "slip", Day: e.dayValue(26), Body: "I found the receipt", Visibility: "partner", Send: true},
	} {
		u := e.ben
		if in.How == mend.Discovered {
			u = e.ana
		}
		if _, err := ds.Write(ctx, u, in); err != nil {
			t.Fatal(err)
		}
	}
	p, err := e.pr.Summary(ctx, e.ana, service.SummaryRange{From: e.dayValue(20), To: e.dayValue(33)})
	if err != nil {
		t.Fatal(err)
	}
	s := p.Summary
	if s.Days() != 14 || len(s.People) != 2 || s.People[0].UserID != e.ana.ID {
		t.Fatalf("summary of %d days for %+v", s.Days(), s.People)
	}
	ana, ben := s.People[0], s.People[1]
	if ana.Now.CheckinDays != 10 || ana.Now.Mood() != 3 || ana.Before.CheckinDays != 7 || ana.Before.Mood() != 2 || !ana.Before.Whole {
		t.Errorf("Ana's check-ins: %+v, before %+v", ana.Now, ana.Before)
	}
	// Days 20–28 kept (9), 29–31 missed (3), 32 not logged, 33 still open.
	if got := fmt.Sprintf("%d/%d/%d/%d", ana.Now.Counted, ana.Now.Kept, ana.Now.Missed, ana.Now.NotLogged); got != "13/9/3/1" {
		t.Errorf("Ana's commitments counted/kept/missed/not logged %s, want 13/9/3/1", got)
	}
	if len(s.Commitments) != 1 || s.Commitments[0].Title != "Home by seven" || math.Round(s.Commitments[0].Tally.Percent()) != 69 {
		t.Errorf("commitments %+v", s.Commitments)
	}
	// Ana reads Ben's two shared triggers of the days, not the private one.
	if ben.Now.Triggers != 2 || ben.Now.Intensity() != 6 || ben.Now.TopIntensity != 7 || ben.Before.Triggers != 1 {
		t.Errorf("Ben's triggers %+v, before %+v", ben.Now, ben.Before)
	}
	if got := fmt.Sprint(s.Categories); got != "[{person 2}]" {
		t.Errorf("categories %s", got)
	}
	if len(s.Intense) != 2 || s.Intense[0].Intensity != 7 || s.Intense[1].Intensity != 5 {
		t.Errorf("most intense %+v", s.Intense)
	}
	if ana.Answers["triggers"] != 1 || len(ben.Answers) != 0 {
		t.Errorf("answers: Ana %v, Ben %v", ana.Answers, ben.Answers)
	}
	if len(s.Setbacks) != 1 || s.Setbacks[0].Note != "A long silence" {
		t.Errorf("setbacks %+v", s.Setbacks)
	}
	if len(s.Told) != 1 || s.Told[0].UserID != e.ben.ID || len(s.Discovered) != 1 || s.Discovered[0].UserID != e.ana.ID {
		t.Errorf("told %+v, discovered %+v", s.Told, s.Discovered)
	}
	// Ben's own summary counts his private trigger too.
	bp, err := e.pr.Summary(ctx, e.ben, service.SummaryRange{From: e.dayValue(20), To: e.dayValue(33)})
	if err != nil {
		t.Fatal(err)
	}
	if n := bp.Summary.People[0].Now.Triggers; bp.Summary.People[0].UserID != e.ben.ID || n != 3 {
		t.Errorf("Ben's own summary counts %d of his triggers, want 3", n)
	}
}

// TestSummary_TherapistSeesOnlyWhatIsSharedSinceTheLastSession: Tess's
// summary defaults to the days since the last session she recorded, is
// logged before it reads, and counts only entries marked for her while
// each partner shares that kind.
func TestSummary_TherapistSeesOnlyWhatIsSharedSinceTheLastSession(t *testing.T) {
	t.Parallel()
	e := newProgress(t)
	ctx := context.Background()
	tess := newTherapist(t, e.acc, "Tess", "Dr Tess")
	link(t, e.c, e.ana, tess)
	if _, err := e.c.SetDefaults(ctx, e.ana, map[string]bool{mend.KindCheckins: true, mend.KindTriggers: true}); err != nil {
		t.Fatal(err)
	}
	th := service.NewTherapy(e.db, e.c)
	th.Now = e.clk.now
	e.day(10)
	if err := th.AddSession(ctx, tess, e.couple, e.dayValue(10), ""); err != nil {
		t.Fatal(err)
	}
	te := &triggersEnv{spaceEnv: e.spaceEnv, tr: e.tr}
	for d := 11; d <= 17; d++ {
		e.day(d)
		vis := mend.PartnerAndTherapist
		if d%2 == 0 {
			vis = mend.MyPartner
		}
		e.checkIn(t, e.ana, vis) // 11, 13, 15, 17 for Tess
		te.log(t, e.ana, quick("place", d-10, vis, ""))
		e.checkIn(t, e.ben, mend.PartnerAndTherapist) // Ben does not share check-ins
	}
	p, err := e.pr.TherapistSummary(ctx, tess, e.couple, service.SummaryRange{})
	if err != nil {
		t.Fatal(err)
	}
	s := p.Summary
	if !s.From.Equal(e.start.AddDate(0, 0, 11)) || !s.To.Equal(e.start.AddDate(0, 0, 17)) {
		t.Errorf("the summary covers %v to %v, want the days since the session on day 10", s.From, s.To)
	}
	var ana, ben mend.SummaryPerson
	for _, pp := range s.People {
		if pp.UserID == e.ana.ID {
			ana = pp
		} else {
			ben = pp
		}
	}
	if ana.Now.CheckinDays != 4 || ana.Now.Triggers != 4 || ana.Now.TopIntensity != 7 || ben.Now.CheckinDays != 0 {
		t.Errorf("Tess counts Ana %+v and Ben %+v", ana.Now, ben.Now)
	}
	var views int
	if err := e.db.Pool.QueryRow(ctx, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'summary'`, e.couple).Scan(&views); err != nil || views != 1 {
		t.Errorf("%d summary views logged (%v), want 1", views, err)
	}
	other := newTherapist(t, e.acc, "Uma", "Uma Other")
	if _, err := e.pr.TherapistSummary(ctx, other, e.couple, service.SummaryRange{}); mend.ErrorCode(err) != mend.NotFound {
		t.Errorf("another therapist's summary of the couple: %v", err)
	}
}

// TestSummary_DaysThatCannotBeSummedUp are refused beside their field.
func TestSummary_DaysThatCannotBeSummedUp(t *testing.T) {
	t.Parallel()
	e := newProgress(t)
	e.day(100)
	for _, c := range []struct {
		in    service.SummaryRange
		field string
	}{
		{service.SummaryRange{From: "last week"}, "from"},
		{service.SummaryRange{To: e.dayValue(101)}, "to"},
		{service.SummaryRange{From: e.dayValue(50), To: e.dayValue(40)}, "to"},
		{service.SummaryRange{From: e.dayValue(10), To: e.dayValue(100)}, "from"},
	} {
		_, err := e.pr.Summary(context.Background(), e.ana, c.in)
		wantOnly(t, err, c.field, fmt.Sprintf("%+v", c.in))
	}
	// 84 days is the longest.
	if _, err := e.pr.Summary(context.Background(), e.ana, service.SummaryRange{From: e.dayValue(17), To: e.dayValue(100)}); err != nil {
		t.Errorf("84 days: %v", err)
	}
}
