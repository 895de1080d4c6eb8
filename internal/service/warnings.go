package service

import (
	"math"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// Early warnings: read from data, never guessed. Each rule names what it
// compares, so that its sentence can say which data it read. They are
// computed from what the reader may see: a therapist's from what is shared
// with them, so "check-ins dropping off" means shared check-ins there.

// Warnings returns the warnings that r, tallied by ts, raises on today for
// each of ids, then the couple's (hard dates, which only partners read).
func Warnings(r *mend.ProgressReads, ts *mend.Tallies, ids []int64, today time.Time) []mend.Warning {
	var out []mend.Warning
	day := func(n int) time.Time { return today.AddDate(0, 0, n) }
	for _, id := range ids {
		// Check-ins dropping off: fewer than half the last 14 days, after
		// at least half the 28 days before (all inside the space's life).
		recent, before := ts.Of(id, day(-13), today), ts.Of(id, day(-41), day(-14))
		if before.Whole && 2*recent.CheckinDays < 14 && 2*before.CheckinDays >= 28 {
			out = append(out, mend.Warning{Rule: mend.WarnCheckins, UserID: id, Recent: recent.CheckinDays, Before: before.CheckinDays})
		}
		// Commitment consistency down 20 points or more: the last 4 weeks
		// against the 4 before, each with enough due for a percentage.
		recent, before = ts.Of(id, day(-27), today), ts.Of(id, day(-55), day(-28))
		if recent.Counted >= mend.PercentFrom && before.Counted >= mend.PercentFrom && before.Percent()-recent.Percent() >= 20 {
			out = append(out, mend.Warning{Rule: mend.WarnConsistency, UserID: id,
				Recent: int(math.Round(recent.Percent())), Before: int(math.Round(before.Percent())),
				Counted: recent.Counted, BeforeCounted: before.Counted})
		}
		// Trigger intensity rising for 3 weeks: four weeks with triggers,
		// each week's average above the one before.
		var series []float64
		for k := 3; k >= 0; k-- {
			w := ts.Of(id, day(-7*k-6), day(-7*k))
			if w.Triggers == 0 || (len(series) > 0 && w.Intensity() <= series[len(series)-1]) {
				series = nil
				break
			}
			series = append(series, w.Intensity())
		}
		if len(series) == 4 {
			out = append(out, mend.Warning{Rule: mend.WarnIntensity, UserID: id, Series: series})
		}
	}
	// Something discovered in the last 2 weeks: the writer's record (told
	// and discovered are kept apart; only discovered warns).
	for _, d := range r.Disclosures {
		if d.How == mend.Discovered && !d.Day.Before(day(-13)) && !d.Day.After(today) {
			out = append(out, mend.Warning{Rule: mend.WarnDiscovered, UserID: d.UserID, Day: d.Day})
		}
	}
	// A hard date within a week, as Today announces it.
	for _, d := range Upcoming(r.HardDates, today, mend.HardDateNotice) {
		out = append(out, mend.Warning{Rule: mend.WarnHardDate, Day: d.Next, Label: d.Label, Days: d.Days})
	}
	return out
}
