package mend

import "time"

// The therapist's workspace: session dates, private notes and suggestions
// to the couple.

// TherapySession is the date of a session a therapist recorded for a
// couple. Only that therapist reads the list; each partner sees a date
// from the day itself to SessionCheckDays later, while that therapist is
// linked, when asked how the session went for them.
type TherapySession struct {
	ID        int64
	Day       time.Time // midnight UTC
	CreatedAt time.Time
}

// SessionDates are a therapist's last session with a couple before today
// and the next one from today on (today's session is the next one); nil
// when there is none.
type SessionDates struct {
	Last, Next *time.Time
}

// TherapistNote is a therapist's private note about a couple, perhaps about
// one session. Nobody but its writer reads it.
type TherapistNote struct {
	ID        int64
	SessionID int64 // 0: about the couple, not one session
	Body      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Edited reports whether the note was changed after it was written.
func (n *TherapistNote) Edited() bool { return n.UpdatedAt.After(n.CreatedAt) }

// SuggestionKind is what a therapist suggests to a couple.
type SuggestionKind string

// Suggestion kinds.
const (
	SuggestCommitment SuggestionKind = "commitment"
	SuggestTalk       SuggestionKind = "talk"
)

// SuggestionKinds are the kinds offered on the therapist's form.
var SuggestionKinds = []struct{ Value, Label string }{
	{string(SuggestCommitment), "A commitment to consider"},
	{string(SuggestTalk), "Something to talk about"},
}

// Suggestion is something a therapist sent the couple.
type Suggestion struct {
	ID    int64
	Kind  SuggestionKind
	Title string
	Body  string
	// Therapist is the sender's own name, for the sentence that introduces
	// the suggestion; "" when their account is gone.
	Therapist string
	CreatedAt time.Time
}

// Limits of the therapist's texts.
const (
	MaxNote            = 5000
	MaxSuggestionTitle = MaxCommitmentTitle
	MaxSuggestionBody  = MaxCommitmentDetails
	// SessionYears is how far from today a session date may be, either side.
	SessionYears = 2
	// TodaySuggestions is how many suggestions Today shows at most.
	TodaySuggestions = 5
)

// The limits of the therapist's texts, with their words.
var (
	LimitNote            = Limit{MaxNote, "Please keep the note to %[1]d characters (it is %[2]d now)."}
	LimitSuggestionTitle = Limit{MaxSuggestionTitle, "Please keep the title to %[1]d characters (it is %[2]d now); the details can say more."}
	LimitSuggestionBody  = Limit{MaxSuggestionBody, "Please keep the details to %[1]d characters (they are %[2]d now)."}
)

// TherapySessionsPage is a therapist's page of one couple's sessions and
// their own notes.
type TherapySessionsPage struct {
	Access   TherapistAccess
	Members  []Member
	Today    time.Time        // the therapist's
	Sessions []TherapySession // the next one first, then the rest to come, then the past, latest first
	Notes    []TherapistNote  // newest first
}

// SuggestionsPage is a therapist's page of what they sent one couple.
type SuggestionsPage struct {
	Access      TherapistAccess
	Members     []Member
	Suggestions []Suggestion // newest first
}

// Errors of the workspace, in words a person may read.
var (
	// ErrNoSession: no such session date of the therapist's.
	ErrNoSession = &Error{Code: NotFound, Message: "There is no such session date."}
	// ErrNoNote: no such note of the therapist's.
	ErrNoNote = &Error{Code: NotFound, Message: "There is no such note."}
	// ErrNoSuggestion: no such suggestion for the reader.
	ErrNoSuggestion = &Error{Code: NotFound, Message: "There is no such suggestion."}
)
