package mend

import (
	"math"
	"sort"
	"time"
)

// Progress is a couple's trends side by side: closeness and mood, how
// commitments were kept, triggers, and how regularly each partner checked
// in, over some weeks, with the days marked as setbacks (and, later, what
// was told or discovered) as markers on every chart. Nothing here resets:
// a setback is a marker, and the lines carry on through it.

// KindSetbacks names setbacks where a rule needs an entry's kind. A setback
// is not among the kinds shared by default (SharedKinds): it reaches the
// therapist when its writer marks it for them.
const KindSetbacks = "setbacks"

// The kinds of markers on the progress charts.
const (
	MarkSetback    = "setback"
	MarkTold       = "told"
	MarkDiscovered = "discovered"
)

// MaxSetbackNote bounds a setback's note: a line, not an entry.
const MaxSetbackNote = 280

// LimitSetbackNote is the setback note's limit, with its words.
var LimitSetbackNote = Limit{MaxSetbackNote, "Please keep the note to %[1]d characters (it is %[2]d now)."}

// Setback is a day a partner marked as a setback.
type Setback struct {
	ID, CoupleID, UserID int64
	Day                  time.Time
	Note                 string
	Visibility           Visibility
	CreatedAt            time.Time
}

// TriggerPoint is one trigger as the progress charts count it: who, which
// day (the writer's), what about and how strong. No words.
type TriggerPoint struct {
	UserID    int64
	Day       time.Time
	Category  string
	Intensity int
}

// Marker is something marked on a day, drawn on every chart.
type Marker struct {
	Day    time.Time
	UserID int64  // who marked or wrote it
	Kind   string // MarkSetback, MarkTold or MarkDiscovered
}

// ProgressQuery is what the store reads for a progress page: the days from
// From to Today (the reader's), and commitment logs from a week earlier.
type ProgressQuery struct {
	From, Today time.Time
}

// ProgressReads is what the store found for a ProgressQuery, as the reader
// may see it: a partner's own space, or a therapist's shared entries.
type ProgressReads struct {
	Space       *Space   // a partner's space; nil for a therapist
	Members     []Member // the current partners, for a therapist
	Started     time.Time
	Points      []Point
	Commitments *CommitmentSet
	Triggers    []TriggerPoint
	Setbacks    []Setback // oldest first
	// Disclosures are the sent disclosures the reader may see, as marks
	// (no words): told and discovered, kept apart by How.
	Disclosures []DisclosureMark
	HardDates   []HardDate
}

// Tally is what one partner did over a stretch of days, counting only days
// inside the space's life.
type Tally struct {
	From, To time.Time
	// Days is how many of the stretch's days fall in the space's life;
	// Whole reports whether all of them do (a comparison needs that).
	Days  int
	Whole bool
	// Check-ins: days with one, and their scores' sums.
	CheckinDays, MoodSum, ConnectionSum int
	// Commitments owned by the partner, as consistency counts them.
	Counted, Kept, Partly, Missed, NotLogged int
	// Triggers the partner logged.
	Triggers, IntensitySum, TopIntensity int
}

// Percent is (kept + ½ partly) / counted × 100, as ConsistencyOver; NaN
// when nothing was counted.
func (t Tally) Percent() float64 {
	if t.Counted == 0 {
		return math.NaN()
	}
	return (float64(t.Kept) + float64(t.Partly)/2) / float64(t.Counted) * 100
}

// Intensity is the triggers' average intensity; NaN without triggers.
func (t Tally) Intensity() float64 { return ratio(t.IntensitySum, t.Triggers) }

// Mood is the average mood of the check-ins; NaN without check-ins.
func (t Tally) Mood() float64 { return ratio(t.MoodSum, t.CheckinDays) }

// Connection is the average closeness of the check-ins; NaN without any.
func (t Tally) Connection() float64 { return ratio(t.ConnectionSum, t.CheckinDays) }

func ratio(sum, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return float64(sum) / float64(n)
}

// PersonProgress is one partner's tallies.
type PersonProgress struct {
	UserID int64
	// Weeks are the 7-day stretches shown, oldest first, the last ending
	// on the progress's To.
	Weeks []Tally
	// Now is all the weeks shown; Before the same number of weeks before.
	Now, Before Tally
}

// Progress is the progress of a couple over Weeks weeks.
type Progress struct {
	Weeks    int
	From, To time.Time // the days shown
	Started  time.Time // the day the space began
	Trend    *Trend    // mood and closeness, day by day
	People   []PersonProgress
	Markers  []Marker  // in the days shown, oldest first
	Setbacks []Setback // in the days shown, newest first
}

// Person returns the progress of userID, or nil.
func (p *Progress) Person(userID int64) *PersonProgress {
	for i := range p.People {
		if p.People[i].UserID == userID {
			return &p.People[i]
		}
	}
	return nil
}

// MonthOf is which month of their work together day is, counting the month
// that began on started as the first.
func MonthOf(started, day time.Time) int {
	n := (day.Year()-started.Year())*12 + int(day.Month()) - int(started.Month())
	if day.Day() < started.Day() {
		n--
	}
	return max(n, 0) + 1
}

// Tallies counts a partner's entries over any stretch of days: built once
// from a ProgressReads, each partner's entries bucketed by day, then asked
// many times (a year of weeks, the warnings' windows) at the cost of the
// days asked, not of the entries.
type Tallies struct {
	started time.Time
	first   time.Time            // the day of index 0
	days    map[int64][]dayTally // by partner, one per day from first
	// outcomes are each commitment's, by its id, with its owner.
	outcomes map[int64][]Outcome
	owners   map[int64]int64
}

// dayTally is one partner's entries of one day.
type dayTally struct {
	checkins, mood, connection               int
	counted, kept, partly, missed, notLogged int
	triggers, intensity, top                 int
}

// NewTallies prepares r, read from from on, for tallies of days from
// started on. ownerToday is each commitment owner's today: an occurrence
// still open is not counted until it is past for its owner.
func NewTallies(r *ProgressReads, from, started time.Time, ownerToday func(userID int64) time.Time) *Tallies {
	ts := &Tallies{started: started, first: from, days: map[int64][]dayTally{}, outcomes: map[int64][]Outcome{}, owners: map[int64]int64{}}
	day := func(userID int64, d time.Time) *dayTally {
		i := DayIndex(from, d)
		if i < 0 {
			return nil // before what was read: never counted
		}
		ds := ts.days[userID]
		if i >= len(ds) {
			ds = append(ds, make([]dayTally, i+1-len(ds))...)
			ts.days[userID] = ds
		}
		return &ds[i]
	}
	for _, p := range r.Points {
		if t := day(p.UserID, p.Day); t != nil {
			t.checkins++
			t.mood += p.Mood
			t.connection += p.Connection
		}
	}
	if set := r.Commitments; set != nil {
		for _, c := range set.Commitments {
			ps := Periods(set.Events[c.ID], set.Versions[c.ID])
			if len(ps) == 0 {
				continue
			}
			outs := Outcomes(ps, set.Logs[c.ID], from, ownerToday(c.OwnerID))
			ts.outcomes[c.ID], ts.owners[c.ID] = outs, c.OwnerID
			for _, o := range outs {
				if t := day(c.OwnerID, o.Day); t != nil {
					t.add(o.Status)
				}
			}
		}
	}
	for _, p := range r.Triggers {
		if t := day(p.UserID, p.Day); t != nil {
			t.triggers++
			t.intensity += p.Intensity
			t.top = max(t.top, p.Intensity)
		}
	}
	return ts
}

func (t *dayTally) add(status string) {
	t.counted++
	switch status {
	case Kept:
		t.kept++
	case Partly:
		t.partly++
	case Missed:
		t.missed++
	default:
		t.notLogged++
	}
}

// Of tallies userID's entries from from to to (both included).
func (ts *Tallies) Of(userID int64, from, to time.Time) Tally {
	t := Tally{From: from, To: to, Whole: !from.Before(ts.started)}
	lo := laterOf(from, ts.started)
	if lo.After(to) {
		return t
	}
	t.Days = DayIndex(lo, to) + 1
	ds := ts.days[userID]
	for i := max(DayIndex(ts.first, lo), 0); i <= DayIndex(ts.first, to) && i < len(ds); i++ {
		d := &ds[i]
		t.CheckinDays += d.checkins
		t.MoodSum += d.mood
		t.ConnectionSum += d.connection
		t.Counted += d.counted
		t.Kept += d.kept
		t.Partly += d.partly
		t.Missed += d.missed
		t.NotLogged += d.notLogged
		t.Triggers += d.triggers
		t.IntensitySum += d.intensity
		t.TopIntensity = max(t.TopIntensity, d.top)
	}
	return t
}

// OfCommitment tallies commitment id's occurrences from from to to, as Of
// counts its owner's: its own consistency over those days.
func (ts *Tallies) OfCommitment(id int64, from, to time.Time) Tally {
	t := Tally{From: from, To: to, Whole: !from.Before(ts.started)}
	lo := laterOf(from, ts.started)
	var d dayTally
	for _, o := range ts.outcomes[id] {
		if !o.Day.Before(lo) && !o.Day.After(to) {
			d.add(o.Status)
		}
	}
	t.Counted, t.Kept, t.Partly, t.Missed, t.NotLogged = d.counted, d.kept, d.partly, d.missed, d.notLogged
	return t
}

// BuildProgress builds the progress of ids (in that order) over weeks
// weeks ending today from r, read from the weeks before them on. ts
// tallies r.
func BuildProgress(r *ProgressReads, ts *Tallies, ids []int64, today time.Time, weeks int) *Progress {
	from := today.AddDate(0, 0, 1-7*weeks)
	p := &Progress{Weeks: weeks, From: from, To: today, Started: r.Started}
	p.Trend = BuildTrend(r.Points, ids, from, today, r.Started, weeks)
	for _, id := range ids {
		pp := PersonProgress{UserID: id, Now: ts.Of(id, from, today), Before: ts.Of(id, from.AddDate(0, 0, -7*weeks), from.AddDate(0, 0, -1))}
		for i := range weeks {
			start := from.AddDate(0, 0, 7*i)
			pp.Weeks = append(pp.Weeks, ts.Of(id, start, start.AddDate(0, 0, 6)))
		}
		p.People = append(p.People, pp)
	}
	for i := len(r.Setbacks) - 1; i >= 0; i-- {
		if s := r.Setbacks[i]; !s.Day.Before(from) && !s.Day.After(today) {
			p.Setbacks = append(p.Setbacks, s)
			p.Markers = append(p.Markers, Marker{Day: s.Day, UserID: s.UserID, Kind: MarkSetback})
		}
	}
	for _, d := range r.Disclosures {
		if !d.Day.Before(from) && !d.Day.After(today) {
			kind := MarkTold
			if d.How == Discovered {
				kind = MarkDiscovered
			}
			p.Markers = append(p.Markers, Marker{Day: d.Day, UserID: d.UserID, Kind: kind})
		}
	}
	sort.SliceStable(p.Markers, func(i, j int) bool { return p.Markers[i].Day.Before(p.Markers[j].Day) })
	return p
}

// The rules of the early warnings.
const (
	// WarnCheckins: check-ins dropping off.
	WarnCheckins = "checkins"
	// WarnConsistency: commitment consistency down 20 points or more.
	WarnConsistency = "consistency"
	// WarnIntensity: trigger intensity rising three weeks running.
	WarnIntensity = "intensity"
	// WarnHardDate: a hard date within a week.
	WarnHardDate = "hard-date"
	// WarnDiscovered: something discovered in the last two weeks.
	WarnDiscovered = "discovered"
)

// Warning is one early warning: a rule that fired on someone's data, with
// the figures it read, for a sentence that says so.
type Warning struct {
	Rule   string
	UserID int64 // whose data; 0 for the couple's (a hard date)
	// Recent and Before are the figures compared: days checked in (of 14
	// and of 28), or consistency in percent (of Counted and BeforeCounted
	// occurrences).
	Recent, Before         int
	Counted, BeforeCounted int
	Series                 []float64 // weekly average intensity, oldest first
	Day                    time.Time // the hard date's next day, or the day discovered
	Label                  string    // the hard date's name
	Days                   int       // days until the hard date
}

// ProgressPage is a partner's progress page.
type ProgressPage struct {
	Space    *Space
	Progress *Progress
	// Warnings are about the reader's own data and the couple's hard dates.
	Warnings []Warning
}

// TherapistProgressPage is a therapist's progress page of a couple: only
// what each partner shares with them.
type TherapistProgressPage struct {
	Access   TherapistAccess
	Members  []Member
	Progress *Progress
	Warnings []Warning
}

// CaseloadPerson is one partner's figures on a therapist's caseload, from
// what they share with the therapist.
type CaseloadPerson struct {
	UserID int64
	Name   string
	// LastCheckin is the day of their last shared check-in; nil when none
	// in the weeks read.
	LastCheckin *time.Time
	// Consistency is their commitments over the last 30 days; Triggers
	// the last 4 weeks and TriggersBefore the 4 before.
	Consistency, Triggers, TriggersBefore Tally
}
