package mend

import "time"

// CommitmentView is one commitment with what pages show of it.
type CommitmentView struct {
	Commitment
	Periods     []Period
	Stats       []Consistency // over StatDays
	OwnedMisses int           // in the last 90 days
	DueToday    bool          // a rhythmic occurrence is due today and not logged
	ReviewDue   bool
	Strip       []StripDay
	Logs        []CommitmentLog // newest first
	Events      []CommitmentEvent
	Versions    []*CommitmentVersion // oldest first
	OwnerToday  time.Time
	// OpenDays are the days (today, yesterday) the owner may still log: due,
	// and for a rhythmic commitment not logged yet.
	OpenDays []time.Time
	// LoggedToday is set when today's occurrence is logged already.
	LoggedToday bool
}

// Stat returns the consistency over days.
func (v *CommitmentView) Stat(days int) Consistency {
	for _, c := range v.Stats {
		if c.Days == days {
			return c
		}
	}
	return Consistency{Days: days}
}

// CommitmentsPage is the couple's list of commitments, grouped.
type CommitmentsPage struct {
	Space        *Space
	ForMe        []CommitmentView // waiting for my agreement
	ForPartner   []CommitmentView // waiting for my partner's agreement
	ReviewDue    []CommitmentView
	Active       []CommitmentView
	Paused       []CommitmentView
	Ended        []CommitmentView // completed, declined or withdrawn
	DueToday     []CommitmentView // mine, due today, not logged yet
	PartnerToday time.Time
}

// CommitmentPage is one commitment with its history and log.
type CommitmentPage struct {
	Space *Space
	View  CommitmentView
	Today time.Time // the reader's
	All   bool      // the whole log, not the last 90 days
}

// Mine reports whether the reader keeps this commitment.
func (p *CommitmentPage) Mine() bool { return p.View.OwnerID == p.Space.Me.UserID }

// TherapistCommitmentsPage is what a linked therapist sees of a couple's
// commitments.
type TherapistCommitmentsPage struct {
	Access      TherapistAccess
	Members     []Member
	Commitments []CommitmentView // their figures over the last days, whatever the Days
	// Days, when Chosen, are the days whose logs DayLogs lists.
	Days Days
	// DayLogs are each commitment's logs of Days, by its id, newest first;
	// nil unless Days are Chosen.
	DayLogs map[int64][]CommitmentLog
}
