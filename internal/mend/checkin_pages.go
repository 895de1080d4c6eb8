package mend

import "time"

// CheckinForm is what the check-in form starts from.
type CheckinForm struct {
	Day      time.Time
	Today    time.Time
	Existing *Checkin // the check-in already written for Day, if any
	Versions int      // how many earlier versions it has
	// Locked is set when Existing can no longer be changed.
	Locked bool
	// DefaultVisibility follows the writer's sharing default for check-ins.
	DefaultVisibility Visibility
	Space             *Space
}

// DayPage is one day of check-ins as a partner sees it.
type DayPage struct {
	Space    *Space
	Day      time.Time
	Today    time.Time
	Mine     *Checkin
	Partners *Checkin // nil when private, unwritten or from before
	Acks     []Ack
	Versions []CheckinVersion // Mine before each edit
	// CanWrite is set when the reader may still write or change theirs.
	CanWrite bool
	// PartnerReads is set when the partner may read the reader's check-in
	// of this day, by the rule of reveal together: they have shared theirs
	// (Partners), or the day is more than one day behind their today.
	PartnerReads bool
}

// BothIn reports whether both partners checked in on the day and the
// reader sees the other's.
func (p *DayPage) BothIn() bool { return p.Mine != nil && p.Partners != nil && p.Partners.Revealed }

// AckFor returns the answer userID wrote to the check-in id, or nil.
func (p *DayPage) AckFor(checkinID, userID int64) *Ack {
	for i := range p.Acks {
		if p.Acks[i].CheckinID == checkinID && p.Acks[i].UserID == userID {
			return &p.Acks[i]
		}
	}
	return nil
}

// HistoryPage is a page of the check-in history with a month calendar.
type HistoryPage struct {
	Space    *Space
	Today    time.Time
	Who      string
	Before   bool // an older page, not the newest
	Days     []HistoryDay
	Next     time.Time // Before for the next (older) page; zero when none
	Month    time.Time // the calendar's first day
	Calendar map[time.Time]DayMarks
	// Started is the reader's first day of the space: the calendar's days
	// before it are not days of the space.
	Started time.Time
}

// HistoryDay is one day of the history.
type HistoryDay struct {
	Day      time.Time
	Mine     *Checkin
	Partners *Checkin
}

// DayMarks says who checked in on a calendar day.
type DayMarks struct{ Mine, Partners bool }

// TrendsPage is the trends of both partners' check-ins over some weeks.
type TrendsPage struct {
	Space *Space
	Trend *Trend
}

// Dashboard is the check-in part of a partner's Today page.
type Dashboard struct {
	Today     time.Time
	Mine      *Checkin // today's
	Partners  *Checkin // today's, possibly not revealed yet
	Yesterday *Checkin // mine for yesterday; nil when there is none (it can still be added)
	Acks      []Ack    // the newest answers to the reader's check-ins, newest first
	Trend     *Trend   // the last 4 weeks
	// Started is the reader's first day of the space: no check-in is asked
	// for a day before it.
	Started time.Time
}

// LatestAck is the newest answer to one of the reader's check-ins, or nil.
func (d *Dashboard) LatestAck() *Ack {
	if len(d.Acks) == 0 {
		return nil
	}
	return &d.Acks[0]
}

// YesterdayOpen reports whether the reader may still add yesterday's
// check-in: none was written, and the space existed yesterday.
func (d *Dashboard) YesterdayOpen() bool {
	y := d.Today.AddDate(0, 0, -1)
	return d.Yesterday == nil && !y.Before(d.Started)
}

// BothIn reports whether both partners checked in today and the reader
// sees the other's.
func (d *Dashboard) BothIn() bool { return d.Mine != nil && d.Partners != nil && d.Partners.Revealed }

// TherapistCheckinsPage is what a linked therapist sees of a couple's
// check-ins.
type TherapistCheckinsPage struct {
	Access  TherapistAccess
	Members []Member
	// Days are the days listed: by default the weeks of the trend, or the
	// days the therapist chose.
	Days     Days
	Checkins []Checkin // of Days, newest first
	Trend    *Trend    // over the weeks chosen, whatever the Days
}
