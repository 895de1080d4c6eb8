package mend

import (
	"sort"
	"time"
)

// The pre-session summary: one printable page of a stretch of days, for
// the therapist from what each partner shares with them, or for a partner
// from what they may see, to bring to a session.

// AnswerCount is how many answers one partner gave to the other's entries
// of one kind ("checkins", "triggers", "commitments") in the summary's days.
type AnswerCount struct {
	Kind   string
	UserID int64
	Day    time.Time // the day of the entry answered
	Count  int
}

// SummaryReads is what the store found for a summary: the progress reads
// (from the weeks the warnings need and the stretch before the summary's,
// to its last day) and the answers counted.
type SummaryReads struct {
	*ProgressReads
	Answers  []AnswerCount
	Sessions SessionDates // a therapist's own session dates with the couple
}

// SummaryPerson is one partner in a summary.
type SummaryPerson struct {
	UserID int64
	Name   string
	// Now is the summary's days; Before as many days just before them.
	Now, Before Tally
	// Answers counts their answers to the other's entries, by kind.
	Answers map[string]int
}

// SummaryCommitment is one commitment's days in a summary.
type SummaryCommitment struct {
	ID      int64
	Title   string
	OwnerID int64
	Tally   Tally
}

// Summary is the pre-session summary of the days From to To.
type Summary struct {
	From, To    time.Time
	Started     time.Time
	People      []SummaryPerson
	Commitments []SummaryCommitment // with something due in the days, in order
	Categories  []Count             // triggers by category, most first
	Intense     []TriggerPoint      // the most intense triggers, strongest first
	Setbacks    []Setback           // oldest first
	Told        []DisclosureMark    // kept apart from Discovered, always
	Discovered  []DisclosureMark
	Warnings    []Warning
}

// Days is how many days the summary covers.
func (s *Summary) Days() int { return DayIndex(s.From, s.To) + 1 }

// MostIntense is how many of the strongest triggers a summary lists.
const MostIntense = 3

// BuildSummary sums up r, tallied by ts, over from to to for members.
func BuildSummary(r *SummaryReads, ts *Tallies, members []Member, from, to time.Time, warnings []Warning) *Summary {
	s := &Summary{From: from, To: to, Started: r.Started, Warnings: warnings}
	days := DayIndex(from, to) + 1
	in := func(d time.Time) bool { return !d.Before(from) && !d.After(to) }
	for _, m := range members {
		p := SummaryPerson{UserID: m.UserID, Name: m.Name, Now: ts.Of(m.UserID, from, to),
			Before: ts.Of(m.UserID, from.AddDate(0, 0, -days), from.AddDate(0, 0, -1)), Answers: map[string]int{}}
		for _, a := range r.Answers {
			if a.UserID == m.UserID && in(a.Day) {
				p.Answers[a.Kind] += a.Count
			}
		}
		s.People = append(s.People, p)
	}
	if set := r.Commitments; set != nil {
		for _, c := range set.Commitments {
			if c.Current == nil {
				continue
			}
			if t := ts.OfCommitment(c.ID, from, to); t.Counted > 0 {
				s.Commitments = append(s.Commitments, SummaryCommitment{ID: c.ID, Title: c.Current.Title, OwnerID: c.OwnerID, Tally: t})
			}
		}
	}
	byCat := map[string]int{}
	for _, t := range r.Triggers {
		if in(t.Day) && !t.Day.Before(r.Started) {
			byCat[t.Category]++
			s.Intense = append(s.Intense, t)
		}
	}
	for k, n := range byCat {
		s.Categories = append(s.Categories, Count{Key: k, Count: n})
	}
	sort.Slice(s.Categories, func(i, j int) bool {
		if s.Categories[i].Count != s.Categories[j].Count {
			return s.Categories[i].Count > s.Categories[j].Count
		}
		return s.Categories[i].Key < s.Categories[j].Key
	})
	sort.SliceStable(s.Intense, func(i, j int) bool { return s.Intense[i].Intensity > s.Intense[j].Intensity })
	s.Intense = s.Intense[:min(len(s.Intense), MostIntense)]
	for _, sb := range r.Setbacks {
		if in(sb.Day) {
			s.Setbacks = append(s.Setbacks, sb)
		}
	}
	for _, d := range r.Disclosures {
		switch {
		case !in(d.Day):
		case d.How == Discovered:
			s.Discovered = append(s.Discovered, d)
		default:
			s.Told = append(s.Told, d)
		}
	}
	return s
}

// SummaryPage is a summary as one reader sees it: a partner (Space set)
// or a therapist (Access set, with their session dates).
type SummaryPage struct {
	Space    *Space
	Access   TherapistAccess
	Members  []Member
	Sessions SessionDates
	Summary  *Summary
}
