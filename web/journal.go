package web

import (
	"strconv"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// JournalFields are the fields of the journal entry form, in page order.
var JournalFields = []string{"body", "visibility"}

// JournalFormValues is a fresh journal entry form: read by the writer
// alone unless they choose otherwise.
func JournalFormValues(formKey string) Form {
	return Form{Values: map[string]string{"form_key": formKey, "visibility": string(mend.JustMe)}}
}

// JournalItemPath is the address of a journal item's pages.
func JournalItemPath(it *mend.JournalItem, rest string) templ.SafeURL {
	kind := "entries"
	if it.Kind == mend.JournalAnswer {
		kind = "answers"
	}
	return templ.SafeURL("/journal/" + kind + "/" + strconv.FormatInt(it.ID, 10) + rest)
}

// JournalPagePath is the address of page n of the journal.
func JournalPagePath(n int) templ.SafeURL {
	if n <= 1 {
		return "/journal"
	}
	return templ.SafeURL("/journal?page=" + strconv.Itoa(n))
}

// journalTitle says what an item is, for its reader.
func journalTitle(sp *mend.Space, it *mend.JournalItem) string {
	switch {
	case it.Kind == mend.JournalAnswer:
		return "Your answer to a prompt"
	case it.UserID == sp.Me.UserID:
		return "Your journal entry"
	}
	return whoName(sp, it.UserID) + " shared an entry with you"
}

// journalSeenBy says who can read the reader's own item now.
func journalSeenBy(sp *mend.Space, it *mend.JournalItem) string {
	return audienceWords(sp, sp.JournalReaders(it))
}

// journalChoiceSeenBy says who would read a new entry with visibility v.
func journalChoiceSeenBy(sp *mend.Space, v string) string {
	return audienceWords(sp, sp.Readers(sp.Me.UserID, mend.KindPrompts, mend.Visibility(v), sp.Latest(), false))
}

// TherapistJournalPath is the address of page n of the journal shared
// with the therapist of coupleID.
func TherapistJournalPath(coupleID int64, n int) templ.SafeURL {
	if n <= 1 {
		return CouplePath(coupleID, "/journal")
	}
	return CouplePath(coupleID, "/journal?page="+strconv.Itoa(n))
}

// therapistJournalTitle says whose item it is and what, for the therapist.
func therapistJournalTitle(ms []mend.Member, it *mend.JournalItem) string {
	name := memberNameMap(ms)[it.UserID]
	if it.Kind == mend.JournalAnswer {
		return Possessive(name) + " answer to a prompt"
	}
	return Possessive(name) + " journal entry"
}

// journalIntro says what the journal lists for its reader: their answers
// and entries, and the partner's entries shared with them.
func journalIntro(sp *mend.Space) string {
	s := "Your answers to prompts and your own entries, newest first"
	if sp.Partner != nil {
		s += ", with the entries " + sp.Partner.Name + " shares with you"
	}
	return s + ". A new entry is yours alone unless you choose to share it."
}
