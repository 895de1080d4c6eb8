package mend

import "time"

// Checkin is one partner's daily check-in. Day is the writer's local date,
// as midnight UTC.
type Checkin struct {
	ID         int64
	CoupleID   int64
	UserID     int64
	Day        time.Time
	Mood       int // 1–5
	Connection int // 0–10: how close and connected I feel
	Feel       string
	Need       string
	Worry      string
	Appreciate string
	Visibility Visibility
	Late       bool // written the day after its day
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Revealed is false for a partner's check-in the reader may know of but
	// not yet read (they have not written theirs for that day): every field
	// of its content is then empty.
	Revealed bool
}

// Edited reports whether the check-in was changed after it was first saved.
func (c *Checkin) Edited() bool { return c.UpdatedAt.After(c.CreatedAt) }

// CheckinVersion is what a check-in said before one of its edits.
type CheckinVersion struct {
	Mood, Connection              int
	Feel, Need, Worry, Appreciate string
	Visibility                    Visibility
	SavedAt                       time.Time
}

// Ack is a partner's short answer to the other's check-in.
type Ack struct {
	CheckinID int64
	Day       time.Time // the day of the check-in it answers
	UserID    int64     // who wrote the answer
	Body      string
	At        time.Time
}

// Point is one day's scores of one partner, for charts.
type Point struct {
	Day        time.Time
	UserID     int64
	Mood       int
	Connection int
}

// Mood scale: each score with its word.
var Moods = []struct{ Value, Label string }{
	{"1", "very low"},
	{"2", "low"},
	{"3", "okay"},
	{"4", "good"},
	{"5", "very good"},
}

// MoodWord is the plain word for a mood score, "" for none.
func MoodWord(m int) string {
	if m < 1 || m > len(Moods) {
		return ""
	}
	return Moods[m-1].Label
}

// Visibilities lists who an entry can be for, in the order forms show them.
var Visibilities = []struct{ Value, Label string }{
	{string(JustMe), "Just me"},
	{string(MyPartner), "My partner"},
	{string(PartnerAndTherapist), "My partner and our therapist"},
}

// Date returns the local calendar date of t in loc, as midnight UTC: the
// form every day in Mend takes.
func Date(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseDate reads a date like 2026-11-23 as midnight UTC.
func ParseDate(s string) (time.Time, error) {
	return time.ParseInLocation(time.DateOnly, s, time.UTC)
}

// CheckinDay is one day of a couple's check-ins as a partner sees it.
type CheckinDay struct {
	Checkins []Checkin // the reader's first
	Acks     []Ack
	Versions []CheckinVersion // the reader's own check-in before each edit
}

// Mark is one check-in on a calendar: who wrote it, on which day.
type Mark struct {
	Day  time.Time
	Mine bool
}

// CheckinDashboard is the check-in part of a partner's Today page.
type CheckinDashboard struct {
	Today     []Checkin // today's check-ins the reader knows of, theirs first
	Yesterday []Checkin
	Acks      []Ack // the newest answers to the reader's check-ins, newest first
	Points    []Point
}
