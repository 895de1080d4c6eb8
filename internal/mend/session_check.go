package mend

import "time"

// A short check after a session: each partner's own answers about how a
// session with the couple's therapist went for them. A partner reads only
// their own; the therapist reads one only when its writer shared it.

// SessionCheck is one partner's answers about one session.
type SessionCheck struct {
	ID         int64
	UserID     int64     // the writer
	SessionDay time.Time // the day of the session, midnight UTC
	Went       int       // 1–5: how the session went for them
	Heard      int       // 1–5: whether they felt heard
	Connected  int       // 0–10: how close and connected to their partner
	Hopeful    int       // 0–10: how hopeful about the two of them
	Note       string    // optional
	Shared     bool      // with the therapist
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// SessionToCheck is a session a partner may answer the check about: a
// date the couple's current therapist recorded, from SessionCheckDays ago
// to today.
type SessionToCheck struct {
	Day       time.Time
	Therapist string // the therapist's own name, for sentences
}

// Limits of the check.
const (
	// SessionCheckDays is how many days after a session its check is
	// offered (and may be changed).
	SessionCheckDays = 14
	// MaxSessionCheckNote is the most characters of the optional note.
	MaxSessionCheckNote = 500
	// TodaySessionChecks is how many sessions to answer about Today offers
	// at most.
	TodaySessionChecks = 3
)

// LimitSessionCheckNote is the note's limit, with its words.
var LimitSessionCheckNote = Limit{MaxSessionCheckNote, "Please keep the note to %[1]d characters (it is %[2]d now)."}

// SessionWent are the answers to "How did the session go for you?".
var SessionWent = []struct{ Value, Label string }{
	{"1", "hard"},
	{"2", "uneasy"},
	{"3", "mixed"},
	{"4", "useful"},
	{"5", "helpful"},
}

// SessionHeard are the answers to "Did you feel heard?".
var SessionHeard = []struct{ Value, Label string }{
	{"1", "not at all"},
	{"2", "a little"},
	{"3", "partly"},
	{"4", "mostly"},
	{"5", "completely"},
}

// SessionCheckPage is a partner's check about one session, with their own
// earlier answers.
type SessionCheckPage struct {
	Space *Space
	// Session is the one asked about; nil on the list of earlier answers.
	Session  *SessionToCheck
	Today    time.Time
	Existing *SessionCheck // nil before the first answer
	// Open are the sessions the reader may answer now, latest first.
	Open []SessionToCheck
	// Earlier are the reader's own answers, latest session first.
	Earlier []SessionCheck
}

// SessionCheckReads is what the store found for a partner's check pages.
type SessionCheckReads struct {
	Space   *Space
	Open    []SessionToCheck // latest first, answered or not
	Mine    []SessionCheck   // latest session first
	Session *SessionToCheck  // the one asked about, nil when it is not open
}

// TherapistSessionChecksPage is a therapist's page of the checks the
// partners shared with them.
type TherapistSessionChecksPage struct {
	Access  TherapistAccess
	Members []Member
	Checks  []SessionCheck // latest session first
}

// ErrNoSessionToCheck: the day is not a session the reader may answer about.
var ErrNoSessionToCheck = &Error{Code: NotFound, Message: "There is no session on that day to answer about."}
