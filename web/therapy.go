package web

import (
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// NoteFormValues starts the form to change note n.
func NoteFormValues(n *mend.TherapistNote) Form {
	f := Form{Values: map[string]string{"body": n.Body, "session": ""}}
	if n.SessionID != 0 {
		f.Values["session"] = strconv.FormatInt(n.SessionID, 10)
	}
	return f
}

// sessionPath is the address of an action on a session date.
func sessionPath(coupleID, id int64, rest string) templ.SafeURL {
	return CouplePath(coupleID, "/sessions/"+strconv.FormatInt(id, 10)+rest)
}

// notePath is the address of an action on a note.
func notePath(coupleID, id int64, rest string) templ.SafeURL {
	return CouplePath(coupleID, "/notes/"+strconv.FormatInt(id, 10)+rest)
}

// sessionWhen says where a session date stands from today: "Next",
// "Coming", "Today" or "Past".
func sessionWhen(s mend.TherapySession, i int, today time.Time) string {
	switch {
	case s.Day.Equal(today):
		return "Today"
	case s.Day.Before(today):
		return "Past"
	case i == 0:
		return "Next"
	}
	return "Coming"
}

// sessionDays maps a couple's session ids to their dates, for the notes.
func sessionDays(ss []mend.TherapySession) map[int64]time.Time {
	m := make(map[int64]time.Time, len(ss))
	for _, s := range ss {
		m[s.ID] = s.Day
	}
	return m
}

// suggestionSentence is a suggestion as the couple reads it, with the
// therapist's name: "Tess suggests a commitment to consider".
func suggestionSentence(s mend.Suggestion) string {
	who := s.Therapist
	if who == "" {
		who = "Your therapist at the time"
	}
	if s.Kind == mend.SuggestCommitment {
		return who + " suggests a commitment to consider"
	}
	return who + " suggests something to talk about"
}

// proposalPath opens the new-commitment form filled in from suggestion s.
func proposalPath(s mend.Suggestion) templ.SafeURL {
	q := url.Values{"title": {s.Title}}
	if s.Body != "" {
		q.Set("details", s.Body)
	}
	return templ.SafeURL("/commitments/new?" + q.Encode())
}

// suggestionDonePath is where a partner sets suggestion s aside.
func suggestionDonePath(s mend.Suggestion) templ.SafeURL {
	return templ.SafeURL("/suggestions/" + strconv.FormatInt(s.ID, 10) + "/done")
}
