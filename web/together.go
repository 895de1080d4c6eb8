package web

import (
	"strconv"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// TogetherFields are the fields of the form that logs a time together.
var TogetherFields = []string{"day", "what", "note", "rating"}

// TogetherNoteFields are the fields of a partner's note on one.
var TogetherNoteFields = []string{"note", "rating"}

// TogetherPath is the address of time together id's pages.
func TogetherPath(id int64, rest string) templ.SafeURL {
	return templ.SafeURL("/time-together/" + strconv.FormatInt(id, 10) + rest)
}

// TogetherNoteValues fills the reader's note form on t with their note.
func TogetherNoteValues(t *mend.Together, userID int64) Form {
	f := Form{Values: map[string]string{}}
	if n := t.NoteBy(userID); n != nil {
		f.Values["note"] = n.Note
		if n.Rating != nil {
			f.Values["rating"] = strconv.Itoa(*n.Rating)
		}
	}
	return f
}

// togetherNoteFormOf is the note form of t: the one shown again with its
// problems, or the reader's note.
func togetherNoteFormOf(f Form, formFor int64, t *mend.Together, userID int64) Form {
	if formFor == t.ID && f.Values != nil {
		return f
	}
	return TogetherNoteValues(t, userID)
}

// togetherSeenBy says who reads a time together: both partners, never the
// therapist.
func togetherSeenBy(sp *mend.Space, t *mend.Together) string {
	return seenBy(sp, mend.KindTogether, sp.TogetherReaders(t))
}

// ratingWords is a note's rating in words, "" when none was given.
func ratingWords(n *mend.TogetherNote) string {
	if n.Rating == nil {
		return ""
	}
	return "Connected: " + strconv.Itoa(*n.Rating) + " of 10"
}

// timesWords counts times together: "1 time", "3 times".
func timesWords(n int) string {
	if n == 1 {
		return "1 time"
	}
	return strconv.Itoa(n) + " times"
}

// togetherWhat names a time together: what, and the day.
func togetherWhat(t *mend.Together) string { return t.What + ", " + LongDay(t.Day) }

// noteID is the element id of a field of the note form of time together
// id (its problems are shown beside each field).
func noteID(field string, id int64) string { return field + "-" + strconv.FormatInt(id, 10) }
