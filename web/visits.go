package web

import (
	"slices"
	"strconv"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// viewWords names, for the couple, what a therapist's page of kind showed
// them. A kind without words of its own still reads as a sentence.
func viewWords(kind string) string {
	switch kind {
	case "overview":
		return "your overview"
	case "checkins":
		return "your shared check-ins"
	case "commitments":
		return "your shared commitments"
	case "triggers":
		return "your shared triggers"
	case "progress":
		return "your progress"
	case "sessions":
		return "the dates of your sessions"
	case "suggestions":
		return "the suggestions sent to you"
	case "disclosures":
		return "what you shared of things told or discovered"
	case "questions":
		return "the questions and answers shared with them"
	case "statement":
		return "the accountability statement shared with them"
	case "caseload":
		return "your line in the list of couples"
	case "summary":
		return "a pre-session summary"
	case "journal":
		return "your shared journal entries and answers to prompts"
	case "session-checks":
		return "your shared answers after sessions"
	}
	return "a page about you"
}

// visitWords says what the therapist looked at in visit v: "Tess Lee
// looked at your progress and a pre-session summary".
func visitWords(v mend.Visit) string {
	var parts []string
	for _, k := range v.Kinds {
		if w := viewWords(k); !slices.Contains(parts, w) {
			parts = append(parts, w)
		}
	}
	return v.Therapist + " looked at " + joinAnd(parts)
}

// visitWhen says when visit v was, in u's time zone, and how many pages it
// was: "Tue 1 Dec 2026, 10:02–10:15 (5 pages)"; one page, or pages all in
// one minute, have no range.
func visitWhen(v mend.Visit, u *mend.User) string {
	const day, clock = "Mon 2 Jan 2006", "15:04"
	from, to := v.From.In(u.Location()), v.To.In(u.Location())
	s := from.Format(day + ", " + clock)
	switch {
	case from.Format(day+clock) == to.Format(day+clock):
	case from.Format(day) == to.Format(day):
		s += "–" + to.Format(clock)
	default:
		s += " – " + to.Format(day+", "+clock)
	}
	if v.Pages > 1 {
		s += " (" + strconv.Itoa(v.Pages) + " pages)"
	}
	return s
}

// visitDatetime is the machine-readable start of visit v.
func visitDatetime(v mend.Visit) string { return v.From.UTC().Format(time.RFC3339) }
