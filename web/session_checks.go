package web

import (
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// SessionDay is a session's day in a sentence: "Thursday 26 November".
func SessionDay(d time.Time) string { return d.Format("Monday 2 January") }

// SessionCheckPath is the check about the session of day.
func SessionCheckPath(day time.Time) templ.SafeURL {
	return templ.SafeURL("/sessions/" + DateValue(day) + "/check")
}

// SessionCheckValues are a saved check's answers as form values, to show
// them again on its form.
func SessionCheckValues(c *mend.SessionCheck) map[string]string {
	v := map[string]string{}
	if c == nil {
		return v
	}
	v["went"], v["heard"] = strconv.Itoa(c.Went), strconv.Itoa(c.Heard)
	v["connected"], v["hopeful"] = strconv.Itoa(c.Connected), strconv.Itoa(c.Hopeful)
	v["note"] = c.Note
	if c.Shared {
		v["share"] = "on"
	}
	return v
}

// SessionCheckFields are the check's fields, in the order of the form.
var SessionCheckFields = []string{"went", "heard", "connected", "hopeful", "note"}

// partnerNameOr is the other partner's name, or "your partner".
func partnerNameOr(sp *mend.Space) string {
	if sp != nil && sp.Partner != nil {
		return sp.Partner.Name
	}
	return "your partner"
}

// wentText and heardText say a 1–5 answer with its word: "4 (useful)".
func wentText(n int) string {
	return strconv.Itoa(n) + " (" + Label(mend.SessionWent, strconv.Itoa(n)) + ")"
}

func heardText(n int) string {
	return strconv.Itoa(n) + " (" + Label(mend.SessionHeard, strconv.Itoa(n)) + ")"
}

// checksBy are the checks of userID, in their order.
func checksBy(cs []mend.SessionCheck, userID int64) []mend.SessionCheck {
	var out []mend.SessionCheck
	for _, c := range cs {
		if c.UserID == userID {
			out = append(out, c)
		}
	}
	return out
}

// checkUntil is the last day a check about the session of day may be
// changed.
func checkUntil(day time.Time) time.Time { return day.AddDate(0, 0, mend.SessionCheckDays) }
