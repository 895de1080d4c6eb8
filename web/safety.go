package web

import (
	"strconv"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// flagDonePath is where a therapist marks a flag as dealt with.
func flagDonePath(f mend.TherapistFlag) templ.SafeURL {
	return CouplePath(f.CoupleID, "/flags/"+strconv.FormatInt(f.ID, 10)+"/done")
}

// answered lists a check's questions with their answers, for its taker.
func answered(c *mend.SafetyCheck) [][2]string {
	out := make([][2]string, 0, len(mend.SafetyQuestions))
	for _, q := range mend.SafetyQuestions {
		a := "I'd rather not say"
		if l := mend.Label(q.Options, c.Answers[q.Key]); l != "" {
			a = l
		}
		out = append(out, [2]string{q.Text, a})
	}
	return out
}

// isPartner reports whether u is logged in and not a therapist.
func isPartner(u *mend.User) bool { return u != nil && !u.IsTherapist() }
