package mend

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

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

// PercentFrom is how many due occurrences a window needs before its
// consistency is shown as a percentage; until then it is counts ("1 kept
// of 1 due"), as a percentage of very little judges.
const PercentFrom = 7

// StatDays are the windows consistency is shown over.
var StatDays = []int{7, 30, 90}

// EditWindowDays is how long after its day an entry can still be changed:
// a log is a record, not something to rewrite months later.
const EditWindowDays = 7

// Answer is a partner's answer to a proposal.
type Answer string

// Answers to a proposal.
const (
	AnswerAgree   Answer = "agree"
	AnswerChange  Answer = "change"
	AnswerDecline Answer = "decline"
)

// ReviewAction is what a partner does with a commitment at its review.
type ReviewAction string

// Review actions.
const (
	ReviewKeep     ReviewAction = "keep"
	ReviewPause    ReviewAction = "pause"
	ReviewResume   ReviewAction = "resume"
	ReviewComplete ReviewAction = "complete"
)

// IsLogStatus reports whether s is one of the statuses of a log (Kept,
// Partly, Missed).
func IsLogStatus(s string) bool { return Label(LogStatuses, s) != "" }

// Who narrows a list of entries by who wrote them, as the reader sees it.
type Who string

const (
	WhoBoth    Who = ""
	WhoMe      Who = "me"
	WhoPartner Who = "partner"
)

// ParseWho reads a who filter from a form or address; anything else is
// WhoBoth.
func ParseWho(s string) Who {
	switch w := Who(s); w {
	case WhoMe, WhoPartner:
		return w
	}
	return WhoBoth
}

// Names of the form fields whose length is checked in more than one place.
const (
	FieldNote     = "note"
	FieldResponse = "response"
	FieldDetails  = "details"
)

// Limit is the most characters a text may hold, and the words that say so:
// Say is a format of the limit (%[1]d) and, where it shows it, the text's
// own length (%[2]d).
type Limit struct {
	Max int
	Say string
}

// The limits of Mend's texts, with their words.
var (
	LimitCheckinText       = Limit{MaxCheckinText, "Please keep this to %[1]d characters (it is %[2]d now)."}
	LimitAck               = Limit{MaxAck, "Please keep this to %[1]d characters (it is %[2]d now)."}
	LimitCommitmentTitle   = Limit{MaxCommitmentTitle, "Please keep the title to %[1]d characters (it is %[2]d now); the details can say more."}
	LimitCommitmentDetails = Limit{MaxCommitmentDetails, "Please keep the details to %[1]d characters (they are %[2]d now)."}
	LimitDecisionNote      = Limit{MaxCommitmentNote, "Please keep this to %[1]d characters (it is %[2]d now)."}
	LimitLogNote           = Limit{MaxCommitmentNote, "Please keep the note to %[1]d characters (it is %[2]d now)."}
	LimitTriggerText       = Limit{MaxTriggerText, "Please keep this to %[1]d characters (it is %[2]d now)."}
	LimitTriggerResponse   = Limit{MaxAck, "Please keep this to %[1]d characters."}
	LimitHardLabel         = Limit{MaxHardLabel, "Please keep the name to %[1]d characters."}
	LimitHardPlan          = Limit{MaxHardPlan, "Please keep the plan to %[1]d characters (it is %[2]d now)."}
	LimitContextDetails    = Limit{MaxContextDetails, "Please keep this to 1,000 characters. You can say more later, in your own time."}
)

// Check records on field of fe (unless it has a message already) that text
// v is too long, and reports whether it fits.
func (l Limit) Check(fe FieldErrors, field, v string) bool {
	n := utf8.RuneCountInString(v)
	if n <= l.Max {
		return true
	}
	msg := l.Say
	if strings.Contains(msg, "%[") {
		msg = fmt.Sprintf(msg, l.Max, n)
	}
	fe.Add(field, msg)
	return false
}

// Limits of the trigger log.
const (
	MaxTriggerText = 500
	MaxHardLabel   = 80
	MaxHardPlan    = 300 // the plan for a hard date; the database checks it too
	TriggerPage    = 20
	// HardDateNotice is how many days ahead a hard date is announced.
	HardDateNotice = 7
)

// InviteLifetime is how long an invite link works.
const InviteLifetime = 7 * 24 * time.Hour

// MaxContextDetails bounds the free text about what happened.
const MaxContextDetails = 1000
