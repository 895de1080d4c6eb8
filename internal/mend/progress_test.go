package mend_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// TestOutcomes_AddUpToConsistencyOver: for daily, weekday and weekly
// rhythms with random logs, the outcomes that fall in a window are exactly
// what ConsistencyOver counts for it, so weekly tallies add up to the
// percentages the commitment pages show.
func TestOutcomes_AddUpToConsistencyOver(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	today := day("2026-06-30")
	statuses := []string{mend.Kept, mend.Partly, mend.Missed, ""}
	for _, p := range []mend.Period{
		{From: day("2026-03-01"), Rhythm: mend.Daily},
		{From: day("2026-03-04"), Rhythm: mend.Weekdays, Weekdays: 0b0010101},
		{From: day("2026-03-03"), Rhythm: mend.Weekly},
		{From: day("2026-05-20"), Rhythm: mend.EachTime},
	} {
		ps := []mend.Period{p}
		for trial := range 20 {
			var logs []mend.CommitmentLog
			for d := p.From; !d.After(today); d = d.AddDate(0, 0, 1) {
				occurs, due := mend.Occurrence(ps, d)
				if !due || (p.Rhythm != mend.EachTime && len(logs) > 0 && logs[len(logs)-1].OccursOn.Equal(occurs)) {
					continue
				}
				if s := statuses[rng.IntN(len(statuses))]; s != "" {
					logs = append(logs, mend.CommitmentLog{OccursOn: occurs, Status: s})
				}
			}
			outs := mend.Outcomes(ps, logs, day("2026-03-01"), today)
			for _, days := range []int{7, 30, 90} {
				want := mend.ConsistencyOver(ps, logs, today, days)
				from := today.AddDate(0, 0, 1-days)
				var got mend.Consistency
				for _, o := range outs {
					if o.Day.Before(from) {
						continue
					}
					got.Counted++
					switch o.Status {
					case mend.Kept:
						got.Kept++
					case mend.Partly:
						got.Partly++
					case mend.Missed:
						got.Missed++
					default:
						got.NotLogged++
					}
				}
				if got.Counted != want.Counted || got.Kept != want.Kept || got.Partly != want.Partly || got.Missed != want.Missed || got.NotLogged != want.NotLogged {
					t.Fatalf("%s, trial %d, %d days: outcomes %+v, ConsistencyOver %+v", p.Rhythm, trial, days, got, want)
				}
			}
		}
	}
}

// TestMonthOf counts months from the day the space began, the first month
// being Month 1, and never a countdown.
func TestMonthOf(t *testing.T) {
	for _, c := range []struct {
		started, day string
		want         int
	}{
		{"2026-05-03", "2026-05-03", 1},
		{"2026-05-03", "2026-06-02", 1},
		{"2026-05-03", "2026-06-03", 2},
		{"2026-01-31", "2026-02-28", 1},
		{"2025-11-27", "2026-12-01", 13},
	} {
		if got := mend.MonthOf(day(c.started), day(c.day)); got != c.want {
			t.Errorf("MonthOf(%s, %s) = %d, want %d", c.started, c.day, got, c.want)
		}
	}
}

// TestTallies_CountOnlyTheSpacesDays: a stretch reaching before the space
// began counts only its days inside, and says it is not whole.
func TestTallies_CountOnlyTheSpacesDays(t *testing.T) {
	r := &mend.ProgressReads{Points: []mend.Point{
		{Day: day("2026-04-28"), UserID: 1, Mood: 2, Connection: 4}, // back-dated before the space
		{Day: day("2026-05-02"), UserID: 1, Mood: 4, Connection: 6},
		{Day: day("2026-05-03"), UserID: 1, Mood: 5, Connection: 8},
		{Day: day("2026-05-03"), UserID: 2, Mood: 1, Connection: 1},
	}, Triggers: []mend.TriggerPoint{{UserID: 1, Day: day("2026-05-03"), Intensity: 6}, {UserID: 1, Day: day("2026-05-02"), Intensity: 3}}}
	ts := mend.NewTallies(r, day("2026-04-01"), day("2026-05-01"), func(int64) time.Time { return day("2026-05-03") })
	got := ts.Of(1, day("2026-04-27"), day("2026-05-03"))
	if got.Whole || got.Days != 3 || got.CheckinDays != 2 || got.Mood() != 4.5 || got.Connection() != 7 || got.Triggers != 2 || got.Intensity() != 4.5 || got.TopIntensity != 6 {
		t.Errorf("tally %+v", got)
	}
	if all := ts.Of(1, day("2026-05-01"), day("2026-05-03")); !all.Whole || all.Days != 3 {
		t.Errorf("a stretch inside the space: %+v", all)
	}
}
