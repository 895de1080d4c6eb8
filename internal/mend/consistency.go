package mend

import (
	"math"
	"sort"
	"time"
)

// Period is a stretch of days in which one rhythm of a commitment was in
// force: from From up to (not including) Until; Until is zero while open.
type Period struct {
	From, Until time.Time
	Rhythm      Rhythm
	Weekdays    uint8
}

// Periods reads a commitment's decisions, in order, into the periods in
// which it was in force. versions maps a version number to its terms. A
// version is in force from the later of its start and the day it was
// agreed (or kept), and ends every period from then on; a new version with
// the same rhythm goes on in the same period (a weekly one keeps its
// weeks). Pausing and completing end what is in force at the end of the
// day they are decided, so that day's occurrence stays due; resuming
// starts a period with the version in force.
func Periods(events []CommitmentEvent, versions map[int]*CommitmentVersion) []Period {
	var ps []Period
	open := false
	current := 0
	// cut ends every period at day: those starting on or after it go.
	cut := func(day time.Time) {
		kept := ps[:0]
		for _, p := range ps {
			if !p.From.Before(day) {
				continue
			}
			if p.Until.IsZero() || p.Until.After(day) {
				p.Until = day
			}
			kept = append(kept, p)
		}
		ps = kept
	}
	start := func(day time.Time, v int) {
		terms := versions[v]
		if terms == nil {
			return
		}
		day = laterOf(day, terms.StartsOn)
		if n := len(ps); open && n > 0 && ps[n-1].Until.IsZero() && ps[n-1].Rhythm == terms.Rhythm &&
			ps[n-1].Weekdays == terms.Weekdays && !ps[n-1].From.After(day) {
			return // the same rhythm goes on
		}
		cut(day)
		ps = append(ps, Period{From: day, Rhythm: terms.Rhythm, Weekdays: terms.Weekdays})
		open = true
	}
	for _, e := range events {
		switch e.Action {
		case ActAgreed, ActKept:
			if open || current == 0 {
				start(e.OnDay, e.Version)
			}
			current = e.Version
		case ActPaused, ActCompleted:
			if open {
				cut(e.OnDay.AddDate(0, 0, 1))
				open = false
			}
		case ActResumed:
			if !open && current != 0 {
				start(e.OnDay, current)
			}
		}
	}
	return ps
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// InForce returns the period in force on day, or nil.
func InForce(ps []Period, day time.Time) *Period {
	for i := range ps {
		p := &ps[i]
		if !day.Before(p.From) && (p.Until.IsZero() || day.Before(p.Until)) {
			return p
		}
	}
	return nil
}

// Occurrence returns the day an occurrence on day is recorded under, and
// whether one is due then: the day itself for daily and weekday rhythms,
// the first day of its 7-day window for a weekly one. For "each time it
// applies" every day may have occurrences, recorded under their own day.
func Occurrence(ps []Period, day time.Time) (time.Time, bool) {
	p := InForce(ps, day)
	if p == nil {
		return time.Time{}, false
	}
	switch p.Rhythm {
	case Daily, EachTime:
		return day, true
	case Weekdays:
		return day, p.Weekdays&WeekdayBit(day) != 0
	case Weekly:
		n := DayIndex(p.From, day) / 7
		return p.From.AddDate(0, 0, 7*n), true
	}
	return time.Time{}, false
}

// dueOccurrence is one occurrence that was due, and the last day it could
// be kept on.
type dueOccurrence struct{ Day, Last time.Time }

// dueIn lists the occurrences of rhythmic periods between from and to
// (inclusive), in order: daily and weekday ones on their day, weekly ones
// whose window ends on or after from and starts by to. "Each time it
// applies" has none: it counts only what was logged.
func dueIn(ps []Period, from, to time.Time) []dueOccurrence {
	var out []dueOccurrence
	for _, p := range ps {
		lo := laterOf(from, p.From)
		hi := to
		if !p.Until.IsZero() && !p.Until.After(hi) {
			hi = p.Until.AddDate(0, 0, -1)
		}
		switch p.Rhythm {
		case Daily, Weekdays:
			for d := lo; !d.After(hi); d = d.AddDate(0, 0, 1) {
				if p.Rhythm == Daily || p.Weekdays&WeekdayBit(d) != 0 {
					out = append(out, dueOccurrence{d, d})
				}
			}
		case Weekly:
			// The windows that end on or after lo and start by hi: a week
			// counts in the days where it ends, as it can be kept until then.
			n := 0
			if k := DayIndex(p.From, lo) - 6; k > 0 {
				n = (k + 6) / 7
			}
			for d := p.From.AddDate(0, 0, 7*n); !d.After(hi); d = d.AddDate(0, 0, 7) {
				last := d.AddDate(0, 0, 6)
				if !p.Until.IsZero() && !last.Before(p.Until) {
					last = p.Until.AddDate(0, 0, -1)
				}
				out = append(out, dueOccurrence{d, last})
			}
		}
	}
	return out
}

// Consistency is how a commitment was kept over some days.
type Consistency struct {
	Days      int // the length of the window: 7, 30 or 90
	Counted   int // occurrences counted
	Kept      int
	Partly    int
	Missed    int // owned: logged as missed by the owner
	NotLogged int // due and past, with no log
	// Percent is (kept + ½ partly) / counted × 100; NaN when nothing counted.
	Percent float64
}

// Tally is c as a Tally, for the words that count a tally's commitments.
func (c Consistency) Tally() Tally {
	return Tally{Days: c.Days, Counted: c.Counted, Kept: c.Kept, Partly: c.Partly, Missed: c.Missed, NotLogged: c.NotLogged}
}

// ShowsPercent reports whether c counts enough due occurrences
// (PercentFrom) for a percentage to mean something; until then, counts.
func (c Consistency) ShowsPercent() bool { return c.Counted >= PercentFrom }

// ConsistencyOver scores the days days ending today. Rhythmic commitments
// count every due occurrence whose last day has passed, and those still
// open that were logged; "each time it applies" counts logged occurrences
// only. Kept is 1, partly ½, missed and not logged 0: no streaks, a slip
// lowers the percentage a little.
func ConsistencyOver(ps []Period, logs []CommitmentLog, today time.Time, days int) Consistency {
	from := today.AddDate(0, 0, 1-days)
	c := Consistency{Days: days}
	// Every log by its day: a weekly occurrence counted here may be
	// recorded under a day before from.
	byDay := map[time.Time][]CommitmentLog{}
	for _, l := range logs {
		byDay[l.OccursOn] = append(byDay[l.OccursOn], l)
	}
	count := func(status string) {
		c.Counted++
		switch status {
		case Kept:
			c.Kept++
		case Partly:
			c.Partly++
		case Missed:
			c.Missed++
		default:
			c.NotLogged++
		}
	}
	rhythmic := map[time.Time]bool{}
	for _, o := range dueIn(ps, from, today) {
		rhythmic[o.Day] = true
		switch ls := byDay[o.Day]; {
		case len(ls) > 0:
			count(ls[0].Status)
		case o.Last.Before(today):
			count("")
		}
	}
	// Logs of "each time it applies", and any log outside a rhythmic
	// occurrence (written under an earlier rhythm), count as logged.
	for day, ls := range byDay {
		if rhythmic[day] || day.Before(from) || day.After(today) {
			continue
		}
		for _, l := range ls {
			count(l.Status)
		}
	}
	c.Percent = math.NaN()
	if c.Counted > 0 {
		c.Percent = (float64(c.Kept) + float64(c.Partly)/2) / float64(c.Counted) * 100
	}
	return c
}

// Outcome is one occurrence of a commitment as consistency counts it: on
// the last day it could be kept (today, for one still open that was
// logged), with its log's status ("" when it was due, is past and was not
// logged).
type Outcome struct {
	Day    time.Time
	Status string
}

// Outcomes lists, oldest first, the occurrences of ps that ConsistencyOver
// counts from from to today, each on the day it is counted: a window's
// occurrences are its outcomes that fall in it, so weeks add up.
func Outcomes(ps []Period, logs []CommitmentLog, from, today time.Time) []Outcome {
	// Logs by day, as seconds (a time.Time hashes slowly, and a year of
	// logs is looked up once per occurrence).
	byDay := make(map[int64][]CommitmentLog, len(logs))
	for _, l := range logs {
		k := l.OccursOn.Unix()
		byDay[k] = append(byDay[k], l)
	}
	var out []Outcome
	for _, o := range dueIn(ps, from, today) {
		day := o.Last
		if day.After(today) {
			day = today
		}
		k := o.Day.Unix()
		switch ls, ok := byDay[k]; {
		case ok:
			out = append(out, Outcome{day, ls[0].Status})
			// A rhythmic occurrence's logs are counted here; what stays
			// in byDay is logged outside one.
			delete(byDay, k)
		case o.Last.Before(today):
			out = append(out, Outcome{day, ""})
		}
	}
	if len(byDay) == 0 {
		return out // in order: dueIn's occurrences come in order
	}
	for _, ls := range byDay {
		day := ls[0].OccursOn
		if day.Before(from) || day.After(today) {
			continue
		}
		for _, l := range ls {
			out = append(out, Outcome{day, l.Status})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Day.Before(out[j].Day) })
	return out
}

// StripDay is one day of a commitment's calendar strip.
type StripDay struct {
	Day    time.Time
	Due    bool   // an occurrence is recorded under this day
	Status string // the log's status; "" when none; "open" for today or a week still running
	Logs   int    // for "each time it applies": how many were logged
}

// Strip returns the weeks weeks of days ending today, oldest first.
func Strip(ps []Period, logs []CommitmentLog, today time.Time, weeks int) []StripDay {
	from := today.AddDate(0, 0, 1-7*weeks)
	days := make([]StripDay, 7*weeks)
	index := map[time.Time]int{}
	for i := range days {
		days[i].Day = from.AddDate(0, 0, i)
		index[days[i].Day] = i
	}
	for _, o := range dueIn(ps, from, today) {
		i, ok := index[o.Day]
		if !ok {
			continue // a week that began before the strip
		}
		days[i].Due = true
		if !o.Last.Before(today) {
			days[i].Status = "open"
		}
	}
	for _, l := range logs {
		i, ok := index[l.OccursOn]
		if !ok {
			continue
		}
		days[i].Logs++
		if days[i].Status == "" || days[i].Status == "open" {
			days[i].Status = l.Status
		}
	}
	return days
}
