package mend

import "time"

// SharingPage is what a partner's sharing page shows.
type SharingPage struct {
	Space *Space
	*Sharing
	// Visits are the therapist's recent visits, newest first (see
	// RecentVisits); OlderVisits says that older ones are kept but not listed.
	Visits      []Visit
	OlderVisits bool
}

// Shares reports whether userID shares kind with the therapist by default.
func (p *SharingPage) Shares(userID int64, kind string) bool { return p.Defaults[userID][kind] }

// InvitePage is what the partner invite page shows.
type InvitePage struct {
	Space  *Space
	Invite *Invite // the open invite; nil when there is none
}

// TherapistOverview is what a linked therapist sees of a couple for now.
type TherapistOverview struct {
	Access   TherapistAccess
	Members  []Member
	Link     *TherapistLink
	Defaults Defaults
	// Flags are the partners' open requests to talk to the therapist alone.
	Flags []TherapistFlag
}

// Shares reports whether userID shares kind with the therapist by default.
func (o *TherapistOverview) Shares(userID int64, kind string) bool { return o.Defaults[userID][kind] }

// TodayPage is what a partner's Today page shows of their space.
type TodayPage struct {
	Space       *Space
	Checkins    *Dashboard
	Commitments *CommitmentsPage
	Triggers    *TriggerDashboard
	SafetyDue   bool // offer the private safety check
	// Suggestions are the therapist's suggestions the reader has not set
	// aside, newest first.
	Suggestions []Suggestion
	// SessionsToCheck are the recent sessions of the couple's current
	// therapist the reader has not answered the short check about yet,
	// latest first.
	SessionsToCheck []SessionToCheck
	// Prompt is the couple's prompt of the day once either partner has
	// opened it; nil before (Today only reads, it never chooses one).
	// PromptAnswered: the reader has answered it.
	Prompt         *Prompt
	PromptAnswered bool

	// PartnerTriggers are the partner's triggers of the last day shared
	// with the reader, newest first.
	PartnerTriggers []Trigger
	// Waiting are the partner's commitment logs of the last week the
	// reader has not answered: the newest of each commitment (with how
	// many more wait), newest first.
	Waiting []PartnerLog
	// Since is what happened since the reader's last visit.
	Since SinceVisit
	// StatementWaits is the number of the latest version of the other
	// partner's accountability statement when it waits for the reader's
	// answer (0: none waits).
	StatementWaits int
	// Talk is the next talk time and how many topics and questions wait.
	Talk *TalkWaiting
}

// PartnerLog is one of the other partner's commitment logs, with the
// commitment's title.
type PartnerLog struct {
	CommitmentID int64
	Title        string
	Log          CommitmentLog
	More         int // other logs of the commitment waiting too
}

// TriggerAnswer is the other partner's response to one of the reader's
// triggers.
type TriggerAnswer struct {
	Trigger  Trigger // without its responses
	Response TriggerResponse
}

// SinceVisit is what the other partner did for the reader since the
// reader's last visit to Today: their answers to the reader's check-ins,
// their responses to the reader's triggers and their own commitment logs
// (those not listed as waiting). From is when the last visit ended; zero
// on a first visit, when the last SinceWindow days are listed. Each list is
// newest first, at most SinceMax long.
type SinceVisit struct {
	From     time.Time
	Acks     []Ack
	Triggers []TriggerAnswer
	Logs     []PartnerLog
}

// Empty reports whether nothing happened.
func (s SinceVisit) Empty() bool { return len(s.Acks)+len(s.Triggers)+len(s.Logs) == 0 }

const (
	// TodayVisitGap is the longest pause between two Today pages of one
	// visit.
	TodayVisitGap = time.Hour
	// SinceWindow is how many days back "since your last visit" looks, at
	// most; SinceMax how many of each kind it lists.
	SinceWindow = 14
	SinceMax    = 5
	// WaitingLogDays is how many days a partner's log waits for "I saw
	// this" on Today (an owner can change a log for a week).
	WaitingLogDays = 7
)

// TodayQuery is what the store reads for a partner's Today page: the
// check-ins of Today and the scores from TrendFrom, the commitments with
// their logs from LogsFrom, and the other partner's PartnerTriggers latest
// triggers, and the sessions from ChecksFrom to Today the reader may
// answer the short check about.
type TodayQuery struct {
	Today, TrendFrom, LogsFrom, ChecksFrom time.Time
	PartnerTriggers                        int
	// Now is the time the talk times are read at.
	Now time.Time
}

// TodayReads is what the store found for a TodayQuery, with the reader's
// space.
type TodayReads struct {
	Space           *Space
	Checkins        *CheckinDashboard
	Commitments     *CommitmentSet
	PartnerTriggers []Trigger // newest first
	HardDates       []HardDate
	// LastSafety is when the reader last took a safety check or set one
	// aside; nil when they never did.
	LastSafety *time.Time
	// Suggestions are the latest suggestions from a therapist the reader
	// has not set aside, newest first.
	Suggestions []Suggestion
	// SessionsToCheck: see TodayPage.
	SessionsToCheck []SessionToCheck
	// Unanswered are the ids of the other partner's commitment logs changed
	// in the last WaitingLogDays that the reader has not answered, newest
	// first.
	Unanswered []int64
	// TriggerAnswers are the newest answers to the reader's triggers,
	// newest first (the trigger with its id, category and day only).
	TriggerAnswers []TriggerAnswer
	// Since is when the reader's previous visit to Today ended; nil on a
	// first visit. Seen is the time of this visit, on the database's clock
	// that stamps entries.
	Since *time.Time
	Seen  time.Time
	// StatementWaits: see TodayPage.
	StatementWaits int
	// Prompts are the prompts of the day recorded for the couple around
	// the reader's today (see TodayPage.Prompt).
	Prompts []TodayPrompt
	// Talk is the next talk time and what waits for it.
	Talk *TalkWaiting
}
