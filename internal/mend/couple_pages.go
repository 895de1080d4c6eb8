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
}

// TodayQuery is what the store reads for a partner's Today page: the
// check-ins of Today and the scores from TrendFrom, the commitments with
// their logs from LogsFrom, and the other partner's PartnerTriggers latest
// triggers, and the sessions from ChecksFrom to Today the reader may
// answer the short check about.
type TodayQuery struct {
	Today, TrendFrom, LogsFrom, ChecksFrom time.Time
	PartnerTriggers                        int
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
}
