package mend

import "time"

// TriggersPage is the trigger log as a partner sees it.
type TriggersPage struct {
	Space    *Space
	Who      string
	Triggers []Trigger
	Next     string // before, for the next (older) page; "" when none
	Today    time.Time
	// PartnerPlan is what helps the other partner, as shared with the
	// reader (see ComfortPlans).
	PartnerPlan ComfortPlans
	// NextTalk is the couple's next talk time (nil: none agreed), which
	// the answer "Let's talk at our talk time" links to.
	NextTalk *NextTalk
}

// Dashboard is the trigger part of a partner's Today page.
type TriggerDashboard struct {
	Partners []Trigger // the partner's shared triggers of the last RecentTrigger, newest first
	Upcoming []UpcomingDate
}

// RecentTrigger is how long a partner's trigger leads the other's Today.
const RecentTrigger = 24 * time.Hour

// UpcomingDate is a hard date on its next day, with how far off it is.
type UpcomingDate struct {
	HardDate
	Next time.Time
	Days int // 0 today, 1 tomorrow
}

// HardDatesPage lists the couple's hard dates with their next days.
type HardDatesPage struct {
	Space *Space
	Dates []UpcomingDate // every date; Days is -1 for a one-off in the past
	// CameToLight is the day it came to light, from the reader's own
	// starting words or their partner's shared with them, when it is not a
	// hard date yet.
	CameToLight *time.Time
	Today       time.Time
}

// PatternsPage is the patterns of the triggers a partner may see.
type PatternsPage struct {
	Space   *Space
	Who     string
	Weeks   int
	From    time.Time
	To      time.Time
	Series  []WeekStat // every week from From, gaps as zero counts
	Total   int
	Average float64 // intensity; NaN when none
	Cats    []Count
	Heat    [7][4]int
	HeatMax int
	Words   []Count
	Reading []string
}

// TherapistTriggersPage is what a linked therapist sees of a couple's
// triggers.
type TherapistTriggersPage struct {
	Access  TherapistAccess
	Members []Member
	// Days, when Chosen, are the days whose triggers are listed, all of
	// them; otherwise Triggers are the latest TriggerPage.
	Days     Days
	Triggers []Trigger     // newest first
	Patterns *PatternsPage // over the weeks chosen, whatever the Days
}
