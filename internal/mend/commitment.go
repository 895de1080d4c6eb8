package mend

import "time"

// Rhythm says when a commitment is due.
type Rhythm string

const (
	Daily    Rhythm = "daily"
	Weekdays Rhythm = "weekdays" // certain days of the week
	Weekly   Rhythm = "weekly"   // once in each 7 days from its start
	EachTime Rhythm = "each_time"
)

// Rhythms lists the rhythms in the order forms show them.
var Rhythms = []struct{ Value, Label string }{
	{string(Daily), "Every day"},
	{string(Weekdays), "On certain days of the week"},
	{string(Weekly), "Once a week"},
	{string(EachTime), "Each time it applies"},
}

// WeekdayNames are the days of the week, Monday first, as the bits of a
// weekday set (bit 0 is Monday).
var WeekdayNames = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// WeekdayBit is d's bit in a weekday set.
func WeekdayBit(d time.Time) uint8 { return 1 << ((int(d.Weekday()) + 6) % 7) }

// CommitmentState is where a commitment stands.
type CommitmentState string

const (
	Proposed  CommitmentState = "proposed" // waiting for the other partner
	Active    CommitmentState = "active"
	Paused    CommitmentState = "paused"
	Completed CommitmentState = "completed"
	Declined  CommitmentState = "declined"
	Withdrawn CommitmentState = "withdrawn" // a proposal its proposer took back before it was agreed
)

// Commitment is a promise one partner (the owner) keeps.
type Commitment struct {
	ID           int64
	CoupleID     int64
	OwnerID      int64
	State        CommitmentState
	Version      int // the agreed version in force; 0 before agreement
	Pending      int // the version waiting for agreement; 0 when none
	ChangesAsked bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Current is the agreed version (nil before agreement), Proposal the
	// pending one (nil when none).
	Current  *CommitmentVersion
	Proposal *CommitmentVersion
	// OwnerTimeZone is the owner's time zone, read with the commitment
	// under a decision's lock (empty elsewhere).
	OwnerTimeZone string
}

// Ended reports whether nothing more can happen to c: it was completed,
// or its proposal was declined or withdrawn.
func (c *Commitment) Ended() bool {
	return c.State == Completed || c.State == Declined || c.State == Withdrawn
}

// Terms is the version the commitment is known by: the agreed one, or the
// proposal before there is one.
func (c *Commitment) Terms() *CommitmentVersion {
	if c.Current != nil {
		return c.Current
	}
	return c.Proposal
}

// CommitmentVersion is one wording of a commitment.
type CommitmentVersion struct {
	Version    int
	ProposedBy int64
	Title      string
	Details    string
	Rhythm     Rhythm
	Weekdays   uint8 // for Weekdays: bit 0 Monday … bit 6 Sunday
	StartsOn   time.Time
	ReviewOn   time.Time
	Visibility Visibility
	CreatedAt  time.Time
}

// Commitment decisions, as recorded in its history.
const (
	ActProposed    = "proposed"
	ActAgreed      = "agreed"
	ActAskedChange = "asked_change"
	ActRevised     = "revised"
	ActDeclined    = "declined"
	ActKept        = "kept" // kept at a review, with a new review date
	ActPaused      = "paused"
	ActResumed     = "resumed"
	ActCompleted   = "completed"
	ActWithdrawn   = "withdrawn" // the proposer took back what waited for an answer
)

// CommitmentEvent is one decision about a commitment.
type CommitmentEvent struct {
	Version int
	ActorID int64
	Action  string
	Note    string
	OnDay   time.Time // the owner's local date on which it was made
	At      time.Time
}

// Log statuses.
const (
	Kept   = "kept"
	Partly = "partly"
	Missed = "missed"
)

// LogStatuses lists the statuses in the order forms show them.
var LogStatuses = []struct{ Value, Label string }{
	{Kept, "Kept"},
	{Partly, "Partly"},
	{Missed, "Missed"},
}

// CommitmentLog is the owner's record of one occurrence.
type CommitmentLog struct {
	ID           int64
	CommitmentID int64
	OccursOn     time.Time
	Status       string
	Note         string
	Late         bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Responses    []LogResponse
	Versions     []LogVersion
}

// LogResponse is the other partner's confirmation or answer to a log.
type LogResponse struct {
	LogID     int64
	UserID    int64
	Confirmed bool
	Body      string
	At        time.Time
}

// LogVersion is what a log said before an edit.
type LogVersion struct {
	LogID   int64
	Status  string
	Note    string
	SavedAt time.Time
}

// CommitmentSet is a set of commitments with all their versions, their
// decisions and the logs asked for.
type CommitmentSet struct {
	Commitments []Commitment
	Versions    map[int64]map[int]*CommitmentVersion
	Events      map[int64][]CommitmentEvent
	Logs        map[int64][]CommitmentLog // newest first
}

// OccurrenceLog is what the owner's log of one occurrence writes.
type OccurrenceLog struct {
	OccursOn     time.Time
	Status, Note string
	Late         bool // logged after the occurrence could be kept
	// One: one log per occurrence (a rhythmic commitment); a log of it
	// that exists is changed instead.
	One bool
}

// CommitmentChange is what a decision does to a commitment.
type CommitmentChange struct {
	State        CommitmentState
	Version      int
	Pending      int // 0: none
	ChangesAsked bool
	NewVersion   *CommitmentVersion // inserted when not nil
	Event        CommitmentEvent
}
