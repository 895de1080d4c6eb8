package mend

import "time"

// KindTogether is the kind of time together, for Space.Readers: kept
// between the partners, never shared with the therapist.
const KindTogether = "together"

// Limits of time together.
const (
	MaxTogetherWhat = 200
	MaxTogetherNote = 500
	// TogetherList bounds how many times together the page lists.
	TogetherList = 200
)

var (
	LimitTogetherWhat = Limit{MaxTogetherWhat, "Please keep this to %[1]d characters (it is %[2]d now); your note can say more."}
	LimitTogetherNote = Limit{MaxTogetherNote, "Please keep your note to %[1]d characters (it is %[2]d now)."}
)

// Together is a time the two partners spent together, or a new memory.
type Together struct {
	ID        int64
	UserID    int64     // who logged it
	Day       time.Time // the day, as midnight UTC
	What      string
	CreatedAt time.Time
	Notes     []TogetherNote // each partner's own, at most one each
}

// TogetherNote is one partner's own note on a time together and, if they
// gave one, how connected it felt (0 to 10).
type TogetherNote struct {
	UserID int64
	Note   string
	Rating *int
}

// NoteBy returns userID's note on t, or nil.
func (t *Together) NoteBy(userID int64) *TogetherNote {
	for i := range t.Notes {
		if t.Notes[i].UserID == userID {
			return &t.Notes[i]
		}
	}
	return nil
}

// MonthCount is how many times together fall in a month.
type MonthCount struct {
	Month time.Time // its first day
	Count int
}

// TogetherPage is the list of times together, newest first, with a count
// per month and a few ideas.
type TogetherPage struct {
	Space  *Space
	Items  []Together
	Months []MonthCount // newest first, months with none left out
	Today  time.Time
}

// TogetherIdeas are a few ideas for time together.
var TogetherIdeas = []string{
	"A walk with no destination, phones left at home",
	"Something new to both of you: a class, a dish, a place",
	"A day trip, or a night somewhere else",
	"A regular evening that is yours: same day each week, planned by turns",
	"Cooking a meal together from start to finish",
	"Looking through old photos and telling each other the stories",
}

// ErrNoTogether: not a time together of the reader's space.
var ErrNoTogether = &Error{Code: NotFound, Message: "This is not among your times together."}

// TogetherReaders is who besides its writer can read t: the partner, when
// it was written while both current partners were in the space.
func (s *Space) TogetherReaders(t *Together) Readers {
	return s.Readers(t.UserID, KindTogether, MyPartner, t.CreatedAt, false)
}
