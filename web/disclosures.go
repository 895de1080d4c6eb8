package web

import (
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// DisclosureFields are the fields of the disclosure form, in page order.
var DisclosureFields = []string{"how", "topic", "day", "body", "visibility"}

// DisclosureFormValues fills the disclosure form from draft d (nil for a
// new one, told, happened today, reaching the partner, or the therapist
// too when the writer shares disclosures with one).
func DisclosureFormValues(d *mend.Disclosure, sp *mend.Space, today time.Time, formKey string) Form {
	f := Form{Values: map[string]string{"form_key": formKey, "how": mend.Told, "day": DateValue(today),
		"visibility": string(sp.DefaultVisibility(mend.KindDisclosures))}}
	if d != nil {
		f.Values["how"], f.Values["topic"], f.Values["day"] = d.How, d.Topic, DateValue(d.HappenedOn)
		f.Values["body"], f.Values["visibility"] = d.Body, string(d.Visibility)
	}
	return f
}

// DisclosurePath is the address of disclosure id's pages.
func DisclosurePath(id int64, rest string) templ.SafeURL {
	return templ.SafeURL("/disclosures/" + strconv.FormatInt(id, 10) + rest)
}

func disclosureAction(id int64) templ.SafeURL {
	if id == 0 {
		return "/disclosures"
	}
	return DraftPath(id, "/edit")
}

// DraftPath is the address of draft id's pages.
func DraftPath(id int64, rest string) templ.SafeURL {
	return templ.SafeURL("/disclosures/drafts/" + strconv.FormatInt(id, 10) + rest)
}

func topicWords(t string) string { return mend.Label(mend.DisclosureTopics, t) }

// disclosureTitle says who told or found out, from the reader's side.
func disclosureTitle(sp *mend.Space, d *mend.Disclosure) string {
	who := whoName(sp, d.UserID)
	switch {
	case d.How == mend.Discovered:
		return who + " found out"
	case d.UserID == sp.Me.UserID && d.Draft():
		return "Draft: something you want to tell " + partnerName(sp)
	case d.UserID == sp.Me.UserID:
		if sp.Partner == nil {
			return "You told your partner"
		}
		return "You told " + sp.Partner.Name
	}
	return who + " told you"
}

// therapistDisclosureTitle names the writer and what the writer did, for
// the therapist: "Ana told Ben", "Ben found out".
func therapistDisclosureTitle(names map[int64]string, d *mend.Disclosure) string {
	who := names[d.UserID]
	if who == "" {
		who = "A former partner"
	}
	if d.How == mend.Discovered {
		return who + " found out"
	}
	for id, other := range names {
		if id != d.UserID {
			return who + " told " + other
		}
	}
	return who + " told the other partner"
}

// disclosureSeenBy says who can read the reader's own disclosure d: while
// it is a draft, only the reader, and whom it would reach once sent.
func disclosureSeenBy(sp *mend.Space, d *mend.Disclosure) string {
	if d.Draft() {
		return "Only you can see this until you send it. Once sent: " + lowerFirst(draftSeenBy(sp, mend.KindDisclosures, string(d.Visibility), time.Time{}))
	}
	return seenBy(sp, mend.KindDisclosures, sp.DisclosureReaders(d))
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

// disclosureVisibilities are whom a disclosure can reach once sent: the
// therapist too only while one can read the couple's entries, or when the
// draft is marked for them already.
func disclosureVisibilities(sp *mend.Space, current string) []Choice {
	if sp.Therapist != "" || current == string(mend.PartnerAndTherapist) {
		return mend.DisclosureVisibilities
	}
	return mend.DisclosureVisibilities[:1]
}

// happenedWords is the day on a card: when it happened or was found out.
func happenedWords(d *mend.Disclosure) string {
	if d.How == mend.Discovered {
		return "Found out on " + LongDay(d.HappenedOn)
	}
	return "Happened on " + LongDay(d.HappenedOn)
}

// answerFor is the answer form of disclosure id: the one shown again with
// its problems, or a fresh one with its own key.
func answerFor(f Form, formFor, id int64, keys map[int64]string) Form {
	if formFor == id && f.Values != nil {
		return f
	}
	return Form{Values: map[string]string{"form_key": keys[id]}}
}

// zeroTime is a new entry's first save, for draftSeenBy.
var zeroTime time.Time

// answeredBy reports whether userID wrote an answer to d.
func answeredBy(d *mend.Disclosure, userID int64) bool { return answersBy(d, userID) > 0 }

func answersBy(d *mend.Disclosure, userID int64) int {
	n := 0
	for _, a := range d.Answers {
		if a.UserID == userID {
			n++
		}
	}
	return n
}

// myAnswersWords names the button that deletes the reader's answers to d.
func myAnswersWords(d *mend.Disclosure, userID int64) string {
	if answersBy(d, userID) == 1 {
		return "Delete my answer"
	}
	return "Delete my answers"
}
