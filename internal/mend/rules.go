package mend

import "time"

// The limits and choices of Mend's forms, defined once for every layer.

// Limits of a check-in's texts and of an answer to one.
const (
	MaxCheckinText = 500
	MaxAck         = 280
	// HistoryDays is how many days one page of the history shows.
	HistoryDays = 14
)

// TrendWeeks are the periods the trends can show.
var TrendWeeks = []int{4, 12, 52}

// AckPresets are the answers offered in one tap.
var AckPresets = []string{"Thank you for telling me.", "I hear you.", "I'm here for you."}

// Limits of a commitment's texts.
const (
	MaxCommitmentTitle   = 120
	MaxCommitmentDetails = 1000
	MaxCommitmentNote    = 500
	// ReviewAfterDays is the default time from a start to its review.
	ReviewAfterDays = 28
	// AskReviewAfterDays is the default for a commitment asked of the
	// other partner: an ask is looked at again sooner.
	AskReviewAfterDays = 14
	// StripWeeks is how many weeks a commitment's strip shows.
	StripWeeks = 12
)

// StatDays are the windows consistency is shown over.
var StatDays = []int{7, 30, 90}

// EditWindowDays is how long after its day an entry can still be changed:
// a log is a record, not something to rewrite months later.
const EditWindowDays = 7

// Answers to a proposal.
const (
	AnswerAgree   = "agree"
	AnswerChange  = "change"
	AnswerDecline = "decline"
)

// Review actions.
const (
	ReviewKeep     = "keep"
	ReviewPause    = "pause"
	ReviewResume   = "resume"
	ReviewComplete = "complete"
)

// Limits of the trigger log.
const (
	MaxTriggerText = 500
	MaxHardLabel   = 80
	TriggerPage    = 20
	// HardDateNotice is how many days ahead a hard date is announced.
	HardDateNotice = 7
)

// InviteLifetime is how long an invite link works.
const InviteLifetime = 7 * 24 * time.Hour

// MaxContextDetails bounds the free text about what happened.
const MaxContextDetails = 1000
