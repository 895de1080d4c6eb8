package service_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// Patterns of the trigger log: the heatmap, the weekly series, the words of
// what helped and the plain reading of the last weeks.

func TestTriggers_HeatmapBandIsTheWritersHourAcrossDST(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "Europe/Berlin", "America/Los_Angeles")
	e.setNow(t, "2027-04-05T12:00:00Z")
	// Summer time starts in Berlin on Sunday 28 March 2027 at 02:00.
	sat := e.log(t, a, quick("time", 5, mend.MyPartner, "2027-03-27T05:30"))
	mon := e.log(t, a, quick("time", 5, mend.MyPartner, "2027-03-29T05:30"))
	sunEarly := e.log(t, a, quick("time", 5, mend.MyPartner, "2027-03-28T01:30"))
	sunLate := e.log(t, a, quick("time", 5, mend.MyPartner, "2027-03-28T23:30"))
	want := map[int64]struct {
		utc           string
		day           string
		weekday, hour int
	}{
		sat:      {"2027-03-27T04:30:00Z", "2027-03-27", 5, 5},
		mon:      {"2027-03-29T03:30:00Z", "2027-03-29", 0, 5},
		sunEarly: {"2027-03-28T00:30:00Z", "2027-03-28", 6, 1},
		sunLate:  {"2027-03-28T21:30:00Z", "2027-03-28", 6, 23},
	}
	for _, tr := range e.list(t, a, "me").Triggers {
		w := want[tr.ID]
		if tr.OccurredAt.UTC().Format(time.RFC3339) != w.utc || tr.LocalDay.Format(time.DateOnly) != w.day || tr.LocalWeekday != w.weekday || tr.LocalHour != w.hour {
			t.Fatalf("trigger %d: %v, day %s, weekday %d, hour %d; want %+v", tr.ID, tr.OccurredAt.UTC(), tr.LocalDay, tr.LocalWeekday, tr.LocalHour, w)
		}
	}
	var heat [7][4]int
	heat[5][0], heat[0][0], heat[6][0], heat[6][3] = 1, 1, 1, 1
	for _, p := range []*mend.PatternsPage{e.patterns(t, a, "me", 4), e.patterns(t, b, "partner", 4), e.patterns(t, b, "", 12)} {
		// b, in Los Angeles, sees the same cells: the writer's hours.
		if p.Heat != heat || p.HeatMax != 1 || p.Total != 4 {
			t.Fatalf("heat %v (max %d, total %d), want %v", p.Heat, p.HeatMax, p.Total, heat)
		}
	}

	// Winter time comes back on Sunday 31 October 2027 at 03:00.
	e.setNow(t, "2027-11-03T12:00:00Z")
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-10-30T17:30")) // 15:30 UTC, afternoon
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-11-01T17:30")) // 16:30 UTC, afternoon
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-10-30T18:00")) // 16:00 UTC, evening
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-11-01T06:00")) // 05:00 UTC, morning
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-10-31T11:59")) // 10:59 UTC, morning
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-10-31T12:00")) // 11:00 UTC, afternoon
	e.log(t, a, quick("time", 5, mend.MyPartner, "2027-11-01T00:00")) // 23:00 UTC on Sunday, night on Monday
	heat = [7][4]int{}
	heat[5][2], heat[0][2], heat[5][3], heat[0][1], heat[6][1], heat[6][2], heat[0][0] = 1, 1, 1, 1, 1, 1, 1
	if p := e.patterns(t, b, "partner", 4); p.Heat != heat || p.Total != 7 {
		t.Fatalf("October heat %v (total %d), want %v", p.Heat, p.Total, heat)
	}
}

func TestTriggers_HeatmapSameInstantInAucklandAndLosAngeles(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "Pacific/Auckland", "America/Los_Angeles")
	e.setNow(t, "2027-06-20T00:00:00Z")
	// 2027-06-15T20:00Z is Wednesday 08:00 in Auckland and Tuesday 13:00
	// in Los Angeles.
	ia := e.log(t, a, quick("place", 4, mend.MyPartner, "2027-06-16T08:00"))
	ib := e.log(t, b, quick("place", 6, mend.MyPartner, "2027-06-15T13:00"))
	// Logged now, without "when": the same instant again, by the clock.
	e.setNow(t, "2027-06-15T20:00:00Z")
	na := e.log(t, a, quick("person", 4, mend.MyPartner, ""))
	nb := e.log(t, b, quick("person", 6, mend.MyPartner, ""))
	e.setNow(t, "2027-06-20T00:00:00Z")

	at := map[int64]mend.Trigger{}
	for _, tr := range e.list(t, a, "").Triggers {
		at[tr.ID] = tr
	}
	for _, id := range []int64{ia, ib, na, nb} {
		if !at[id].OccurredAt.Equal(time.Date(2027, 6, 15, 20, 0, 0, 0, time.UTC)) {
			t.Fatalf("trigger %d occurred at %v", id, at[id].OccurredAt)
		}
	}
	for _, id := range []int64{ia, na} {
		if tr := at[id]; tr.LocalDay.Format(time.DateOnly) != "2027-06-16" || tr.LocalWeekday != 2 || tr.LocalHour != 8 {
			t.Fatalf("Auckland trigger: %+v", tr)
		}
	}
	for _, id := range []int64{ib, nb} {
		if tr := at[id]; tr.LocalDay.Format(time.DateOnly) != "2027-06-15" || tr.LocalWeekday != 1 || tr.LocalHour != 13 {
			t.Fatalf("Los Angeles trigger: %+v", tr)
		}
	}
	var heat [7][4]int
	heat[2][1], heat[1][2] = 2, 2
	for _, u := range []*mend.User{a, b} {
		if p := e.patterns(t, u, "", 4); p.Heat != heat || p.HeatMax != 2 || p.Total != 4 {
			t.Fatalf("%s's heat %v, want %v", u.Name, p.Heat, heat)
		}
	}
	var mine [7][4]int
	mine[2][1] = 2
	if p := e.patterns(t, a, "me", 4); p.Heat != mine {
		t.Fatalf("a's own heat %v", p.Heat)
	}
	mine = [7][4]int{}
	mine[1][2] = 2
	if p := e.patterns(t, a, "partner", 4); p.Heat != mine {
		t.Fatalf("a's heat of b %v", p.Heat)
	}
}

func TestTriggers_SeriesHasEveryWeekFromMonday(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-06-16T12:00:00Z") // a Wednesday; the week began on Monday 14 June
	e.log(t, a, quick("place", 2, mend.MyPartner, "2027-06-14T00:00"))
	e.log(t, a, quick("place", 6, mend.MyPartner, "2027-06-16T11:00"))
	e.log(t, a, quick("person", 7, mend.MyPartner, "2027-06-13T23:59")) // Sunday: the week before
	e.log(t, a, quick("date", 9, mend.MyPartner, "2027-05-31T08:00"))
	e.log(t, a, quick("date", 1, mend.MyPartner, "2027-05-24T08:00"))  // first day of 4 weeks
	e.log(t, a, quick("date", 1, mend.MyPartner, "2027-05-23T08:00"))  // before them
	e.log(t, a, quick("other", 4, mend.MyPartner, "2026-06-22T08:00")) // first day of 52 weeks
	e.log(t, a, quick("other", 4, mend.MyPartner, "2026-06-21T08:00")) // before them

	for _, tc := range []struct {
		weeks  int
		from   string
		counts string
		total  int
		avg    float64
	}{
		{4, "2027-05-24", "[1 1 1 2]", 5, 25.0 / 5},
		{12, "2027-03-29", "[0 0 0 0 0 0 0 1 1 1 1 2]", 6, 26.0 / 6},
		{52, "2026-06-22", "", 7, 30.0 / 7},
		{5, "2027-05-24", "[1 1 1 2]", 5, 25.0 / 5}, // not a period: 4 weeks
	} {
		for _, p := range []*mend.PatternsPage{e.patterns(t, b, "partner", tc.weeks), e.patterns(t, a, "", tc.weeks)} {
			want := tc.weeks
			if want == 5 {
				want = 4
			}
			if p.Weeks != want || len(p.Series) != want || p.From.Format(time.DateOnly) != tc.from || p.To.Format(time.DateOnly) != "2027-06-20" {
				t.Fatalf("%d weeks: %s", tc.weeks, summary(p))
			}
			var counts []int
			for i, w := range p.Series {
				if !w.Week.Equal(p.From.AddDate(0, 0, 7*i)) || w.Week.Weekday() != time.Monday {
					t.Fatalf("%d weeks: week %d is %v", tc.weeks, i, w.Week)
				}
				counts = append(counts, w.Count)
			}
			if tc.counts != "" && fmt.Sprint(counts) != tc.counts {
				t.Fatalf("%d weeks: counts %v, want %s", tc.weeks, counts, tc.counts)
			}
			if p.Total != tc.total || !sameFloat(p.Average, tc.avg) {
				t.Fatalf("%d weeks: total %d average %v, want %d %v", tc.weeks, p.Total, p.Average, tc.total, tc.avg)
			}
		}
	}
	p := e.patterns(t, b, "partner", 4)
	last := p.Series[3]
	if last.Count != 2 || !sameFloat(last.Intensity, 4) || p.Series[2].Intensity != 7 {
		t.Fatalf("series %v", p.Series)
	}
	p52 := e.patterns(t, b, "partner", 52)
	if p52.Series[0].Count != 1 || p52.Series[51].Count != 2 || p52.Series[1].Count != 0 {
		t.Fatalf("52 weeks: %v", p52.Series)
	}
	if p := e.patterns(t, b, "me", 52); p.Total != 0 || !math.IsNaN(p.Average) || len(p.Series) != 52 || p.HeatMax != 0 {
		t.Fatalf("b's own, none: %s", summary(p))
	}
}

func TestTriggers_CategoryCountsAndHeatTotals(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-06-16T12:00:00Z")
	for i, c := range []string{"place", "person", "place", "media", "person", "place", "other"} {
		e.log(t, a, quick(c, 5, mend.MyPartner, fmt.Sprintf("2027-06-%02dT%02d:00", 8+i, i*3)))
	}
	p := e.patterns(t, b, "", 4)
	if fmt.Sprint(p.Cats) != "[{place 3} {person 2} {media 1} {other 1}]" {
		t.Fatalf("categories %v", p.Cats)
	}
	sum := 0
	for _, row := range p.Heat {
		for _, n := range row {
			sum += n
		}
	}
	if sum != p.Total || p.Total != 7 {
		t.Fatalf("heat sums to %d, total %d", sum, p.Total)
	}
	// 8 June is a Tuesday: hours 0, 3, 6, 9, 12, 15, 18 on the days after.
	var heat [7][4]int
	heat[1][0], heat[2][0], heat[3][1], heat[4][1], heat[5][2], heat[6][2], heat[0][3] = 1, 1, 1, 1, 1, 1, 1
	if p.Heat != heat {
		t.Fatalf("heat %v, want %v", p.Heat, heat)
	}
}

func TestTriggers_HelpedShowsTheirOwnPhrases(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2027-06-16T12:00:00Z")
	for i, h := range []string{
		"Breathing slowly and a walk around the block",
		"  A cup of tea  ",
		"Talking it through",
		"a cup of  tea",
		"",
		"   ",
		"Breathing slowly and a walk around the block",
		"Music",
		"Sleep",
		"A CUP OF TEA",
	} {
		e.log(t, a, helped(quick("place", 5, mend.MyPartner, fmt.Sprintf("2027-06-%02dT10:00", 2+i)), h))
	}
	// Private to a: never among b's phrases.
	e.log(t, a, helped(quick("place", 5, mend.JustMe, "2027-06-14T10:00"), "Something private"))
	p := e.patterns(t, b, "partner", 4)
	want := "[{A CUP OF TEA 3} {Breathing slowly and a walk around the block 2} {Sleep 1} {Music 1} {Talking it through 1}]"
	if got := fmt.Sprint(p.Words); got != want {
		t.Fatalf("phrases %s\nwant    %s", got, want)
	}
	if got := fmt.Sprint(e.patterns(t, a, "me", 4).Words); !strings.Contains(got, "{Something private 1}") {
		t.Fatalf("a's own phrases %s", got)
	}
}

func TestTriggers_HelpedPhrases(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		texts []string
		n     int
		want  string
	}{
		{nil, 5, "[]"},
		{[]string{" ", "Breathing slowly and a walk around the block"}, 5, "[{Breathing slowly and a walk around the block 1}]"},
		{[]string{"Tea", "walk", "tea", "Walk ", "a nap"}, 2, "[{Tea 2} {walk 2}]"},
	} {
		if got := fmt.Sprint(service.HelpedPhrases(tc.texts, tc.n)); got != tc.want {
			t.Errorf("HelpedPhrases(%q, %d) = %s, want %s", tc.texts, tc.n, got, tc.want)
		}
	}
}

func TestTriggers_ReadingComparesTheLastFourWeeksWithTheFourBefore(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	// The last 4 weeks run to today, Wednesday 16 June: 20 May to 16 June;
	// the 4 before them 22 April to 19 May.
	e.setNow(t, "2027-06-16T12:00:00Z")
	if got := e.patterns(t, b, "partner", 4).Reading; fmt.Sprint(got) != "[No triggers logged in the last 8 weeks.]" {
		t.Fatalf("reading with none: %q", got)
	}
	for _, when := range []string{"2027-04-22T00:00", "2027-05-05T08:00", "2027-05-19T23:59"} {
		e.log(t, a, quick("place", 4, mend.MyPartner, when))
	}
	e.log(t, a, quick("place", 10, mend.MyPartner, "2027-04-21T23:59")) // older than 8 weeks
	e.log(t, a, quick("place", 8, mend.MyPartner, "2027-05-20T00:00"))
	e.log(t, a, quick("place", 8, mend.MyPartner, "2027-06-16T08:00"))
	want := []string{"Fewer triggers than the 4 weeks before (2, was 3).", "More intense this month: average intensity 8.0 out of 10, was 4.0."}
	if got := e.patterns(t, b, "partner", 4).Reading; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("reading %q, want %q", got, want)
	}
	// The reading is the same whatever the period shown.
	if got := e.patterns(t, b, "partner", 52).Reading; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("52-week reading %q", got)
	}
	e.log(t, a, quick("place", 0, mend.MyPartner, "2027-06-01T08:00"))
	e.log(t, a, quick("place", 0, mend.MyPartner, "2027-06-02T08:00"))
	want = []string{"More triggers than the 4 weeks before (4, was 3).", "About as intense as before: average intensity 4.0 out of 10."}
	if got := e.patterns(t, b, "partner", 4).Reading; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("reading %q, want %q", got, want)
	}
	e.log(t, a, quick("place", 0, mend.MyPartner, "2027-06-03T08:00"))
	e.log(t, a, quick("place", 0, mend.MyPartner, "2027-06-04T08:00"))
	want = []string{"More triggers than the 4 weeks before (6, was 3).", "Less intense this month: average intensity 2.7 out of 10, was 4.0."}
	if got := e.patterns(t, b, "partner", 4).Reading; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("reading %q, want %q", got, want)
	}
	// A day on, 20 May moves to the 4 weeks before and 22 April leaves them.
	e.setNow(t, "2027-06-17T12:00:00Z")
	want = []string{"More triggers than the 4 weeks before (5, was 3).", "Less intense this month: average intensity 1.6 out of 10, was 5.3."}
	if got := e.patterns(t, b, "partner", 4).Reading; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("a day on, reading %q, want %q", got, want)
	}
	// b's own reading counts nothing of a's.
	if got := e.patterns(t, b, "me", 4).Reading; fmt.Sprint(got) != "[No triggers logged in the last 8 weeks.]" {
		t.Fatalf("b's own reading %q", got)
	}
}

// On the space's first day there are no 4 weeks before to compare with:
// the reading says the figures alone, for the partner and the therapist.
func TestTriggers_ReadingOnDayOneComparesNothing(t *testing.T) {
	t.Parallel()
	e := newTriggers(t)
	a, b, _ := e.pairIn(t, "UTC", "UTC")
	// The space began now, on the database's clock.
	now := time.Now().UTC()
	e.setNow(t, now.Format(time.RFC3339))
	e.log(t, a, quick("place", 4, mend.MyPartner, now.Add(-time.Minute).Format("2006-01-02T15:04")))
	e.log(t, a, quick("place", 6, mend.MyPartner, now.Add(-time.Minute).Format("2006-01-02T15:04")))
	want := []string{"2 triggers logged today, the first day.", "Average intensity 5.0 out of 10."}
	if now.Hour() == 0 && now.Minute() < 2 {
		t.Skip("too near midnight for one day")
	}
	if got := e.patterns(t, b, "partner", 4).Reading; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("day-one reading %q, want %q", got, want)
	}
}

func TestTriggers_ReadingArithmetic(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		recent   int
		ri       float64
		before   int
		bi       float64
		days     int
		want     string
		contains string
	}{
		{0, 0, 0, 0, 56, "No triggers logged in the last 8 weeks.", ""},
		{0, 0, 3, 5, 56, "Fewer triggers than the 4 weeks before (0, was 3).", ""},
		{3, 5, 0, 0, 400, "More triggers than the 4 weeks before (3, was 0).", ""},
		{2, 5, 2, 5, 56, "As many triggers as the 4 weeks before (2).", "About as intense as before: average intensity 5.0 out of 10."},
		{2, 5.5, 2, 5, 56, "As many triggers as the 4 weeks before (2).", "More intense this month: average intensity 5.5 out of 10, was 5.0."},
		{2, 5.49, 2, 5, 56, "As many triggers as the 4 weeks before (2).", "About as intense as before"},
		{1, 4.5, 5, 5, 56, "Fewer triggers than the 4 weeks before (1, was 5).", "Less intense this month: average intensity 4.5 out of 10, was 5.0."},
		{5, 4.6, 1, 5, 56, "More triggers than the 4 weeks before (5, was 1).", "About as intense as before: average intensity 4.6 out of 10."},
		// The weeks before are not wholly inside the space's life: the
		// figures alone.
		{2, 5, 0, 0, 1, "2 triggers logged today, the first day.", "Average intensity 5.0 out of 10."},
		{1, 4, 0, 0, 9, "1 trigger logged in the 9 days since the start.", "Average intensity 4.0 out of 10."},
		{3, 4, 2, 6, 55, "3 triggers logged in the last 4 weeks.", "Average intensity 4.0 out of 10."},
		{0, 0, 0, 0, 30, "No triggers logged in the last 4 weeks.", ""},
		{0, 0, 0, 0, 1, "No triggers logged today, the first day.", ""},
	} {
		got := service.Reading(tc.recent, tc.ri, tc.before, tc.bi, tc.days)
		if len(got) == 0 || got[0] != tc.want || (tc.contains == "") != (len(got) == 1) || (tc.contains != "" && !strings.HasPrefix(got[1], tc.contains)) {
			t.Errorf("Reading(%d, %v, %d, %v, %d) = %q", tc.recent, tc.ri, tc.before, tc.bi, tc.days, got)
		}
		for _, s := range got {
			for _, judging := range []string{"bad", "good", "better", "worse", "fault", "should"} {
				if strings.Contains(strings.ToLower(s), judging) {
					t.Errorf("a judgemental reading: %q", s)
				}
			}
		}
	}
}
