package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// progressEnv is a couple (Ana and Ben, both in UTC) whose space began at
// the env's first instant, with every service the progress page reads on
// one settable clock.
type progressEnv struct {
	spaceEnv
	ana, ben *mend.User
	couple   int64
	start    time.Time // the day the space began
	ci       *service.Checkins
	co       *service.Commitments
	tr       *service.Triggers
	pr       *service.Progress
}

func newProgress(t *testing.T) *progressEnv {
	t.Helper()
	e := &progressEnv{spaceEnv: newSpaceEnv(t, "Ana", "Ben")}
	e.setNow(t, "2026-03-02T09:00:00Z")
	e.start = mustDate("2026-03-02")
	e.ana, e.ben, e.couple = e.pairIn(t, "UTC", "UTC")
	// The database stamps the space with its own clock: it began on the
	// service clock's day, as it would have in use.
	if _, err := e.db.Pool.Exec(context.Background(), `UPDATE couples SET created_at = $2 WHERE id = $1`, e.couple, e.clk.t); err != nil {
		t.Fatal(err)
	}
	e.ci, e.co, e.tr, e.pr = service.NewCheckins(e.db, e.c), service.NewCommitments(e.db, e.c), service.NewTriggers(e.db, e.c), service.NewProgress(e.db, e.c)
	e.ci.Now, e.co.Now, e.tr.Now, e.pr.Now = e.clk.now, e.clk.now, e.clk.now, e.clk.now
	return e
}

// day moves the clock to the evening of the space's day n (0 is the first).
func (e *progressEnv) day(n int) {
	e.clk.t = e.start.AddDate(0, 0, n).Add(20 * time.Hour)
}

// dayValue is the space's day n as a form value.
func (e *progressEnv) dayValue(n int) string { return e.start.AddDate(0, 0, n).Format(time.DateOnly) }

func (e *progressEnv) checkIn(t *testing.T, u *mend.User, vis mend.Visibility) {
	t.Helper()
	if _, err := e.ci.Save(context.Background(), u, entry("", 3, vis)); err != nil {
		t.Fatalf("%s checks in: %v", u.Name, err)
	}
}

func (e *progressEnv) page(t *testing.T, u *mend.User, weeks int) *mend.ProgressPage {
	t.Helper()
	p, err := e.pr.Page(context.Background(), u, weeks)
	if err != nil {
		t.Fatalf("%s's progress: %v", u.Name, err)
	}
	return p
}

func (e *progressEnv) therapistPage(t *testing.T, th *mend.User, weeks int) *mend.TherapistProgressPage {
	t.Helper()
	p, err := e.pr.ForTherapist(context.Background(), th, e.couple, weeks)
	if err != nil {
		t.Fatalf("%s's progress of the couple: %v", th.Name, err)
	}
	return p
}

// rules lists the rules of ws with whose data, e.g. "checkins:Ana".
func (e *progressEnv) rules(ws []mend.Warning) []string {
	var out []string
	for _, w := range ws {
		who := "couple"
		switch w.UserID {
		case e.ana.ID:
			who = "Ana"
		case e.ben.ID:
			who = "Ben"
		}
		out = append(out, w.Rule+":"+who)
	}
	return out
}

func wantRules(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: warnings %v, want %v", what, got, want)
	}
}

// TestWarnings_CheckinsDroppingOff: the rule fires when a partner checked
// in on fewer than half of the last 14 days after at least half of the 28
// before, and not one day either side of either bound; each partner sees
// only their own, and a space younger than six weeks has no baseline.
func TestWarnings_CheckinsDroppingOff(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name           string
		before, recent int // days checked in, of the 28 before and of the last 14
		want           bool
	}{
		{"half before, 6 of 14 now", 14, 6, true},
		{"every day before, none now", 28, 0, true},
		{"half before, half now", 14, 7, false},
		{"13 of 28 before", 13, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newProgress(t)
			// Days 0–27 are the 28 days before, days 28–41 the last 14.
			for d := range 42 {
				e.day(d)
				if (d < 28 && d < c.before) || (d >= 28 && d-28 < c.recent) {
					e.checkIn(t, e.ana, mend.MyPartner)
				}
				e.checkIn(t, e.ben, mend.MyPartner) // Ben every day: never warned
			}
			var want []string
			if c.want {
				want = []string{"checkins:Ana"}
			}
			ana := e.page(t, e.ana, 4)
			wantRules(t, "Ana", e.rules(ana.Warnings), want...)
			if c.want && (ana.Warnings[0].Recent != c.recent || ana.Warnings[0].Before != c.before) {
				t.Errorf("figures %d of 14 and %d of 28, want %d and %d", ana.Warnings[0].Recent, ana.Warnings[0].Before, c.recent, c.before)
			}
			// Ana's warning is about her own data: Ben's page does not have it.
			wantRules(t, "Ben", e.rules(e.page(t, e.ben, 4).Warnings))
		})
	}
	t.Run("a space younger than six weeks", func(t *testing.T) {
		t.Parallel()
		e := newProgress(t)
		// Day 40: the 28 days before the last 14 began before the space.
		for d := range 41 {
			e.day(d)
			if d < 26 {
				e.checkIn(t, e.ana, mend.MyPartner)
			}
		}
		wantRules(t, "Ana", e.rules(e.page(t, e.ana, 4).Warnings))
	})
}

// TestWarnings_CommitmentConsistencyDown: 20 points or more lower over the
// last 4 weeks than the 4 before fires; 18 does not; and neither with too
// few due occurrences for a percentage.
func TestWarnings_CommitmentConsistencyDown(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		recentKept int // of the last 28 days' occurrences (all 28 before are kept)
		want       bool
		recentPct  int
	}{
		{"22 of 28 kept: 21 points down", 22, true, 79},
		{"23 of 28 kept: 18 points down", 23, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newProgress(t)
			ce := &commitmentsEnv{spaceEnv: e.spaceEnv, s: e.co}
			e.day(0)
			id := ce.active(t, e.ana, e.ben, promise("Home by seven", e.dayValue(90)))
			// Today is day 56: the 4 weeks before are days 1–28, all kept;
			// of the last 4 (days 29–56, today logged too), the first
			// recentKept are kept and the rest owned as missed.
			for d := range 57 {
				e.day(d)
				status := mend.Kept
				if d >= 29 && d-29 >= c.recentKept {
					status = mend.Missed
				}
				ce.log(t, e.ana, id, "", status, "")
			}
			ana := e.page(t, e.ana, 4)
			if !c.want {
				wantRules(t, "Ana", e.rules(ana.Warnings))
				return
			}
			wantRules(t, "Ana", e.rules(ana.Warnings), "consistency:Ana")
			w := ana.Warnings[0]
			if w.Before != 100 || w.Recent != c.recentPct || w.Counted != 28 || w.BeforeCounted != 28 {
				t.Errorf("figures %+v, want 100%% of 28 and %d%% of 28", w, c.recentPct)
			}
			wantRules(t, "Ben", e.rules(e.page(t, e.ben, 4).Warnings))
		})
	}
	t.Run("too few due for a percentage", func(t *testing.T) {
		t.Parallel()
		e := newProgress(t)
		ce := &commitmentsEnv{spaceEnv: e.spaceEnv, s: e.co}
		e.day(0)
		// Mondays only: 4 occurrences in each 4 weeks, all kept before, all
		// missed now: 100 points down, but from 4 due each.
		id := ce.active(t, e.ana, e.ben, onDays(promise("Our Monday walk", e.dayValue(90)), "0"))
		for d := range 56 {
			e.day(d)
			if e.start.AddDate(0, 0, d).Weekday() != time.Monday {
				continue
			}
			status := mend.Kept
			if d >= 28 {
				status = mend.Missed
			}
			ce.log(t, e.ana, id, "", status, "")
		}
		e.day(56)
		wantRules(t, "Ana", e.rules(e.page(t, e.ana, 4).Warnings))
	})
}

// TestWarnings_TriggerIntensityRising: four weeks each more intense than
// the one before fire; a level week, or a week without triggers, does not.
func TestWarnings_TriggerIntensityRising(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		weeks [4][]int // intensities of each week, oldest first
		want  bool
	}{
		{"rising three weeks running", [4][]int{{3}, {4, 4}, {5}, {6, 7}}, true},
		{"level for a week", [4][]int{{3}, {4}, {4}, {6}}, false},
		{"a week without triggers", [4][]int{{3}, {}, {5}, {6}}, false},
		{"falling", [4][]int{{7}, {6}, {5}, {4}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newProgress(t)
			te := &triggersEnv{spaceEnv: e.spaceEnv, tr: e.tr}
			e.day(40)
			// The weeks end on days 19, 26, 33 and 40 (today).
			for w, intensities := range c.weeks {
				for i, n := range intensities {
					when := e.start.AddDate(0, 0, 14+7*w+i).Add(12 * time.Hour).Format("2006-01-02T15:04")
					te.log(t, e.ben, quick("place", n, mend.MyPartner, when))
				}
			}
			ben := e.page(t, e.ben, 4)
			if !c.want {
				wantRules(t, "Ben", e.rules(ben.Warnings))
				return
			}
			wantRules(t, "Ben", e.rules(ben.Warnings), "intensity:Ben")
			if got := fmt.Sprint(ben.Warnings[0].Series); got != "[3 4 5 6.5]" {
				t.Errorf("weekly averages %s, want [3 4 5 6.5]", got)
			}
			wantRules(t, "Ana", e.rules(e.page(t, e.ana, 4).Warnings))
		})
	}
}

// TestWarnings_HardDateWithinAWeek: a hard date 7 days ahead is a warning
// for both partners; 8 days ahead is not; a therapist never sees one (hard
// dates are the couple's own).
func TestWarnings_HardDateWithinAWeek(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		ahead int
		want  bool
	}{{0, true}, {7, true}, {8, false}} {
		t.Run(fmt.Sprintf("%d days ahead", c.ahead), func(t *testing.T) {
			t.Parallel()
			e := newProgress(t)
			tess := newTherapist(t, e.acc, "Tess", "Dr Tess")
			link(t, e.c, e.ana, tess)
			e.day(10)
			if err := e.tr.AddHardDate(context.Background(), e.ana, "The day I found out", e.dayValue(10+c.ahead), true, ""); err != nil {
				t.Fatal(err)
			}
			var want []string
			if c.want {
				want = []string{"hard-date:couple"}
			}
			for _, u := range []*mend.User{e.ana, e.ben} {
				p := e.page(t, u, 4)
				wantRules(t, u.Name, e.rules(p.Warnings), want...)
				if c.want && (p.Warnings[0].Days != c.ahead || p.Warnings[0].Label != "The day I found out") {
					t.Errorf("%s: %+v", u.Name, p.Warnings[0])
				}
			}
			wantRules(t, "Tess", e.rules(e.therapistPage(t, tess, 4).Warnings))
		})
	}
}

// TestWarnings_TherapistReadsOnlySharedData: Ana's check-ins drop off. Tess
// is warned only when those check-ins were marked for her and Ana shares
// check-ins; otherwise her shared data says nothing.
func TestWarnings_TherapistReadsOnlySharedData(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		vis    mend.Visibility
		shares bool
		want   bool
	}{{mend.PartnerAndTherapist, true, true}, {mend.PartnerAndTherapist, false, false}, {mend.MyPartner, true, false}, {mend.JustMe, true, false}} {
		t.Run(fmt.Sprintf("%s, sharing %v", c.vis, c.shares), func(t *testing.T) {
			t.Parallel()
			e := newProgress(t)
			tess := newTherapist(t, e.acc, "Tess", "Dr Tess")
			link(t, e.c, e.ana, tess)
			if _, err := e.c.SetDefaults(context.Background(), e.ana, map[string]bool{mend.KindCheckins: c.shares}); err != nil {
				t.Fatal(err)
			}
			for d := range 42 {
				e.day(d)
				if d < 30 {
					e.checkIn(t, e.ana, c.vis)
				}
			}
			var want []string
			if c.want {
				want = []string{"checkins:Ana"}
			}
			tp := e.therapistPage(t, tess, 4)
			wantRules(t, "Tess", e.rules(tp.Warnings), want...)
			// Ana's own page warns her whatever she shares.
			wantRules(t, "Ana", e.rules(e.page(t, e.ana, 4).Warnings), "checkins:Ana")
		})
	}
}

// TestProgress_PrivacyMatrix: Ana writes a check-in, a trigger, a setback,
// a commitment log and something told, of each visibility, sharing each
// kind with Tess or not. Her own progress and summary count them all (but a
// draft, which is not yet told); Ben's count what is not private; Tess's
// progress, summary and caseload row count only what is marked for her,
// and only while Ana shares that kind (a setback is marked for Tess one by
// one: no default applies). Other people's pages are not there at all.
func TestProgress_PrivacyMatrix(t *testing.T) {
	t.Parallel()
	for _, shares := range []bool{true, false} {
		t.Run(fmt.Sprintf("sharing %v", shares), func(t *testing.T) {
			t.Parallel()
			e := newProgress(t)
			ctx := context.Background()
			tess := newTherapist(t, e.acc, "Tess", "Dr Tess")
			link(t, e.c, e.ana, tess)
			kinds := map[string]bool{mend.KindCheckins: shares, mend.KindCommitments: shares, mend.KindTriggers: shares, mend.KindDisclosures: shares}
			if _, err := e.c.SetDefaults(ctx, e.ana, kinds); err != nil {
				t.Fatal(err)
			}
			ce := &commitmentsEnv{spaceEnv: e.spaceEnv, s: e.co}
			te := &triggersEnv{spaceEnv: e.spaceEnv, tr: e.tr}
			e.day(0)
			ids := map[mend.Visibility]int64{
				mend.MyPartner:           ce.active(t, e.ana, e.ben, promise("Call at lunch", e.dayValue(60))),
				mend.PartnerAndTherapist: ce.active(t, e.ana, e.ben, forTherapist(promise("Home by seven", e.dayValue(60)))),
			}
			for i, v := range []mend.Visibility{mend.JustMe, mend.MyPartner, mend.PartnerAndTherapist} {
				e.day(1 + i)
				e.checkIn(t, e.ana, v)
				te.log(t, e.ana, quick("place", 5, v, ""))
				if err := e.pr.AddSetback(ctx, e.ana, service.SetbackInput{Note: "Setback " + string(v), Visibility: string(v)}); err != nil {
					t.Fatal(err)
				}
				if id, ok := ids[v]; ok {
					ce.log(t, e.ana, id, "", mend.Kept, "")
				}
				// Something told, for each reader it may reach, and a draft
				// marked for Tess that is never sent.
				ds := service.NewDisclosures(e.db, e.c)
				ds.Now = e.clk.now
				in := service.DisclosureInput{How: mend.Told, Topic: "slip", Day: e.dayValue(1 + i), Body: "Told " + string(v), Visibility: string(v), Send: true}
				if v == mend.JustMe {
					in.Visibility, in.Send = string(mend.PartnerAndTherapist), false
				}
				if _, err := ds.Write(ctx, e.ana, in); err != nil {
					t.Fatal(err)
				}
			}
			e.day(10)
			type seen struct{ checkins, triggers, setbacks, logs, told int }
			count := func(p *mend.Progress) seen {
				a := p.Person(e.ana.ID)
				if a == nil {
					return seen{}
				}
				s := seen{checkins: a.Now.CheckinDays, triggers: a.Now.Triggers, logs: a.Now.Kept}
				for _, sb := range p.Setbacks {
					if sb.UserID == e.ana.ID {
						s.setbacks++
					}
				}
				for _, m := range p.Markers {
					if m.UserID == e.ana.ID && m.Kind == mend.MarkTold {
						s.told++
					}
				}
				return s
			}
			days := service.SummaryRange{From: e.dayValue(1), To: e.dayValue(10)}
			countSummary := func(v *mend.SummaryPage, err error) seen {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
				var s seen
				for _, p := range v.Summary.People {
					if p.UserID == e.ana.ID {
						s.checkins, s.triggers = p.Now.CheckinDays, p.Now.Triggers
					}
				}
				for _, c := range v.Summary.Commitments {
					if c.OwnerID == e.ana.ID {
						s.logs += c.Tally.Kept
					}
				}
				for _, sb := range v.Summary.Setbacks {
					if sb.UserID == e.ana.ID {
						s.setbacks++
					}
				}
				for _, d := range v.Summary.Told {
					if d.UserID == e.ana.ID {
						s.told++
					}
				}
				return s
			}
			// Ana's own: every one (two commitment logs: there is no private one).
			if got, want := count(e.page(t, e.ana, 4).Progress), (seen{3, 3, 3, 2, 2}); got != want {
				t.Errorf("Ana sees %+v, want %+v", got, want)
			}
			if got, want := countSummary(e.pr.Summary(ctx, e.ana, days)), (seen{3, 3, 3, 2, 2}); got != want {
				t.Errorf("Ana's summary counts %+v, want %+v", got, want)
			}
			if got, want := count(e.page(t, e.ben, 4).Progress), (seen{2, 2, 2, 2, 2}); got != want {
				t.Errorf("Ben sees %+v, want %+v", got, want)
			}
			if got, want := countSummary(e.pr.Summary(ctx, e.ben, days)), (seen{2, 2, 2, 2, 2}); got != want {
				t.Errorf("Ben's summary counts %+v, want %+v", got, want)
			}
			want := seen{0, 0, 1, 0, 0}
			if shares {
				want = seen{1, 1, 1, 1, 1}
			}
			tp := e.therapistPage(t, tess, 4)
			if got := count(tp.Progress); got != want {
				t.Errorf("Tess sees %+v, want %+v", got, want)
			}
			if got := countSummary(e.pr.TherapistSummary(ctx, tess, e.couple, days)); got != want {
				t.Errorf("Tess's summary counts %+v, want %+v", got, want)
			}
			for _, sb := range tp.Progress.Setbacks {
				if sb.Visibility != mend.PartnerAndTherapist {
					t.Errorf("Tess reads a setback marked %s: %q", sb.Visibility, sb.Note)
				}
			}
			// The caseload row reads the same: Ana's last shared check-in,
			// her shared triggers and her shared commitments' logs.
			list, err := e.c.Caseload(ctx, tess)
			if err != nil || len(list) != 1 || len(list[0].People) != 2 {
				t.Fatalf("Tess's caseload: %+v %v", list, err)
			}
			row := list[0].People[0]
			if row.UserID != e.ana.ID {
				row = list[0].People[1]
			}
			var last *time.Time
			if shares {
				d := e.start.AddDate(0, 0, 3)
				last = &d
			}
			if fmt.Sprint(row.LastCheckin) != fmt.Sprint(last) || row.Triggers.Triggers != want.triggers || row.Consistency.Kept != want.logs {
				t.Errorf("Ana's caseload row: last check-in %v, %d triggers, %d kept; want %v, %d, %d",
					row.LastCheckin, row.Triggers.Triggers, row.Consistency.Kept, last, want.triggers, want.logs)
			}
			// Another couple, another therapist, and Tess once the link ends.
			other := newTherapist(t, e.acc, "Uma", "Uma Other")
			if _, err := e.pr.ForTherapist(ctx, other, e.couple, 4); mend.ErrorCode(err) != mend.NotFound {
				t.Errorf("another therapist reads the couple's progress: %v", err)
			}
			if _, err := e.c.EndTherapistLink(ctx, e.ben); err != nil {
				t.Fatal(err)
			}
			if _, err := e.pr.ForTherapist(ctx, tess, e.couple, 4); mend.ErrorCode(err) != mend.NotFound {
				t.Errorf("Tess reads the progress after the link ended: %v", err)
			}
			cara, dan, _ := pair(t, e.c, e.acc, "Cara", "Dan")
			for _, u := range []*mend.User{cara, dan} {
				if got := count(e.page(t, u, 4).Progress); got != (seen{}) {
					t.Errorf("%s's page counts Ana's entries: %+v", u.Name, got)
				}
			}
		})
	}
}

// TestProgress_SetbacksAreMarkersNotResets: a setback is a marker on the
// progress of the days shown, for its readers; the check-ins around it
// count as before, and removing it is its writer's alone.
func TestProgress_SetbacksAreMarkersNotResets(t *testing.T) {
	t.Parallel()
	e := newProgress(t)
	ctx := context.Background()
	for d := range 10 {
		e.day(d)
		e.checkIn(t, e.ana, mend.MyPartner)
	}
	before := e.page(t, e.ana, 4).Progress.Person(e.ana.ID).Now
	key := service.NewFormKey()
	if err := e.pr.AddSetback(ctx, e.ben, service.SetbackInput{Day: e.dayValue(5), Note: "We stopped talking", Visibility: string(mend.MyPartner), FormKey: key}); err != nil {
		t.Fatal(err)
	}
	// The same form sent twice marks once.
	if err := e.pr.AddSetback(ctx, e.ben, service.SetbackInput{Day: e.dayValue(5), Note: "We stopped talking", Visibility: string(mend.MyPartner), FormKey: key}); err != nil {
		t.Fatal(err)
	}
	p := e.page(t, e.ana, 4).Progress
	if len(p.Markers) != 1 || p.Markers[0].Kind != mend.MarkSetback || !p.Markers[0].Day.Equal(e.start.AddDate(0, 0, 5)) || p.Markers[0].UserID != e.ben.ID {
		t.Fatalf("markers %+v, want Ben's setback on day 5", p.Markers)
	}
	if after := p.Person(e.ana.ID).Now; after != before {
		t.Errorf("a setback changed the counts: %+v, was %+v", after, before)
	}
	// The trend's line carries on: every day still has its check-in.
	if n := p.Trend.Line(e.ana.ID).Connection.Count; n != 10 {
		t.Errorf("%d check-ins on the trend, want 10", n)
	}
	id := p.Setbacks[0].ID
	if err := e.pr.RemoveSetback(ctx, e.ana, id); mend.ErrorCode(err) != mend.NotFound {
		t.Errorf("Ana removes Ben's setback: %v", err)
	}
	if err := e.pr.RemoveSetback(ctx, e.ben, id); err != nil {
		t.Fatal(err)
	}
	if p := e.page(t, e.ana, 4).Progress; len(p.Markers) != 0 {
		t.Errorf("markers after removal: %+v", p.Markers)
	}
}

// TestProgress_SetbackFormKeepsItsWords: a setback on a day to come, or a
// note past its limit, is refused with a message beside the field.
func TestProgress_SetbackFormRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := newProgress(t)
	ctx := context.Background()
	e.day(3)
	long := make([]byte, mend.MaxSetbackNote+1)
	for i := range long {
		long[i] = 'a'
	}
	for _, c := range []struct {
		in    service.SetbackInput
		field string
	}{
		{service.SetbackInput{Day: e.dayValue(4), Visibility: "partner"}, "day"},
		{service.SetbackInput{Day: "yesterday", Visibility: "partner"}, "day"},
		{service.SetbackInput{Day: e.dayValue(-400), Visibility: "partner"}, "day"},
		{service.SetbackInput{Note: string(long), Visibility: "partner"}, "note"},
		{service.SetbackInput{Visibility: "everyone"}, "visibility"},
	} {
		wantOnly(t, e.pr.AddSetback(ctx, e.ana, c.in), c.field, fmt.Sprintf("%+v", c.in.Day))
	}
}

// TestWarnings_SomethingDiscovered: something Ana discovered and sent in
// the last 2 weeks is a warning on her page (her record), not Ben's; 14
// days ago is not; a draft is not (it is not yet told to anyone); what was
// told warns no one, and both are markers of their own kind. Tess is
// warned only of what is shared with her.
func TestWarnings_SomethingDiscovered(t *testing.T) {
	t.Parallel()
	e := newProgress(t)
	ctx := context.Background()
	tess := newTherapist(t, e.acc, "Tess", "Dr Tess")
	link(t, e.c, e.ana, tess)
	ds := service.NewDisclosures(e.db, e.c)
	ds.Now = e.clk.now
	e.day(30)
	write := func(u *mend.User, how string, day int, vis mend.Visibility, send bool) {
		t.Helper()
		if _, err := ds.Write(ctx, u, service.DisclosureInput{How: how, Topic: "other", Day: e.dayValue(day), Body: "Words " + how,
			Visibility: string(vis), Send: send}); err != nil {
			t.Fatalf("%s writes: %v", u.Name, err)
		}
	}
	write(e.ana, mend.Discovered, 16, mend.MyPartner, true)  // 14 days ago: outside
	write(e.ana, mend.Discovered, 25, mend.MyPartner, false) // a draft
	write(e.ben, mend.Told, 26, mend.MyPartner, true)
	wantRules(t, "Ana, before", e.rules(e.page(t, e.ana, 4).Warnings))
	write(e.ana, mend.Discovered, 17, mend.MyPartner, true) // 13 days ago: inside
	ana := e.page(t, e.ana, 4)
	wantRules(t, "Ana", e.rules(ana.Warnings), "discovered:Ana")
	if !ana.Warnings[0].Day.Equal(e.start.AddDate(0, 0, 17)) {
		t.Errorf("discovered on %v", ana.Warnings[0].Day)
	}
	wantRules(t, "Ben", e.rules(e.page(t, e.ben, 4).Warnings))
	kinds := map[string]int{}
	for _, m := range e.page(t, e.ben, 4).Progress.Markers {
		kinds[m.Kind]++
	}
	if kinds[mend.MarkDiscovered] != 2 || kinds[mend.MarkTold] != 1 || len(kinds) != 2 {
		t.Errorf("Ben's markers by kind %v, want 2 discovered and 1 told (no draft)", kinds)
	}
	// Marked for the partner only: Tess hears nothing of it.
	wantRules(t, "Tess", e.rules(e.therapistPage(t, tess, 4).Warnings))
	if _, err := e.c.SetDefaults(ctx, e.ana, map[string]bool{mend.KindDisclosures: true}); err != nil {
		t.Fatal(err)
	}
	write(e.ana, mend.Discovered, 29, mend.PartnerAndTherapist, true)
	wantRules(t, "Tess, shared", e.rules(e.therapistPage(t, tess, 4).Warnings), "discovered:Ana")
}

// TestCaseload_AttentionFirstAndEveryCoupleLogged: a couple with a request
// to talk alone comes first, then one with warnings, then the rest; each
// couple shown gets one "caseload" row in its view log per opening, and a
// couple whose link waits is listed last with nothing of theirs.
func TestCaseload_AttentionFirstAndEveryCoupleLogged(t *testing.T) {
	t.Parallel()
	e := newProgress(t)
	ctx := context.Background()
	tess := newTherapist(t, e.acc, "Tess", "Dr Tess")
	cara, dan, _ := pair(t, e.c, e.acc, "Cara", "Dan")
	link(t, e.c, cara, tess)
	fay, gil, _ := pair(t, e.c, e.acc, "Fay", "Gil")
	link(t, e.c, fay, tess)
	// Ana and Ben are linked last, so the list would show them first (the
	// newest link first): the order below is the attention's.
	link(t, e.c, e.ana, tess)
	hal, _, _ := pair(t, e.c, e.acc, "Hal", "Ivy")
	accept(t, e.c, tess, invite(t, e.c, hal, mend.InviteTherapist)) // waits for Ivy
	if _, err := e.db.Pool.Exec(ctx, `UPDATE couples SET created_at = $1`, e.clk.t.AddDate(0, 0, -60)); err != nil {
		t.Fatal(err)
	}
	// Ana and Ben have a hard date tomorrow: a warning only they see, so
	// nothing moves them up. Fay's shared trigger intensity rises for
	// four weeks: a warning Tess sees. Dan asks to talk alone.
	if err := e.tr.AddHardDate(ctx, e.ana, "The day I found out", e.clk.t.AddDate(0, 0, 1).Format(time.DateOnly), true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.SetDefaults(ctx, fay, map[string]bool{mend.KindTriggers: true}); err != nil {
		t.Fatal(err)
	}
	te := &triggersEnv{spaceEnv: e.spaceEnv, tr: e.tr}
	now := e.clk.t
	for w, n := range []int{2, 4, 6, 8} {
		when := now.AddDate(0, 0, 7*w-27).Format("2006-01-02T15:04")
		te.log(t, fay, quick("place", n, mend.PartnerAndTherapist, when))
	}
	sa := service.NewSafety(e.db, e.c)
	sa.Now = e.clk.now
	if err := sa.SendFlag(ctx, dan); err != nil {
		t.Fatal(err)
	}
	_ = gil
	list, err := e.c.Caseload(ctx, tess)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, c := range list {
		if c.Pending {
			order = append(order, "pending")
			if c.CoupleID != 0 || len(c.People) != 0 || len(c.Names) != 0 {
				t.Errorf("a pending couple shows %+v", c)
			}
			continue
		}
		order = append(order, c.Names[0])
	}
	if got := fmt.Sprint(order); got != "[Cara Fay Ana pending]" {
		t.Errorf("caseload order %s, want [Cara Fay Ana pending]", got)
	}
	if got := e.rules(list[1].Warnings); len(got) != 1 || list[1].Warnings[0].Rule != mend.WarnIntensity {
		t.Errorf("Fay and Gil's warnings %+v", list[1].Warnings)
	}
	if len(list[2].Warnings) != 0 {
		t.Errorf("Ana and Ben's hard date reached Tess: %+v", list[2].Warnings)
	}
	// Each row reads its own couple: Fay's four triggers are on her row
	// alone.
	for i, want := range []int{0, 4, 0} {
		n := 0
		for _, p := range list[i].People {
			n += p.Triggers.Triggers
		}
		if n != want || len(list[i].People) != 2 {
			t.Errorf("%s's row: %d triggers among %d people, want %d among 2", list[i].Names[0], n, len(list[i].People), want)
		}
	}
	if _, err := e.c.Caseload(ctx, tess); err != nil {
		t.Fatal(err)
	}
	rows, err := e.db.Pool.Query(ctx, `SELECT couple_id, count(*) FROM therapist_views WHERE therapist_id = $1 AND kind = 'caseload' GROUP BY couple_id`, tess.ID)
	if err != nil {
		t.Fatal(err)
	}
	logged := map[int64]int{}
	var id int64
	var n int
	for rows.Next() {
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		logged[id] = n
	}
	if len(logged) != 3 || logged[e.couple] != 2 {
		t.Errorf("caseload views by couple %v, want 2 for each of the 3 linked couples and none for the pending one", logged)
	}
}
