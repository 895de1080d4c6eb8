package mend

import (
	"slices"
	"time"
)

// VisitGap is the longest pause between two pages of one visit: a page
// opened more than VisitGap after the therapist's previous one starts a new
// visit.
const VisitGap = 30 * time.Minute

// MaxVisits is how many visits the Sharing page lists.
const MaxVisits = 100

// Visit is a run of pages one therapist opened about a couple, each within
// VisitGap of the one before. Every page stays in the view log; a visit is
// only how the log is shown.
type Visit struct {
	TherapistID int64     // 0 once the therapist's account is deleted
	Therapist   string    // the therapist's own name, for sentences
	From, To    time.Time // the first and the last page's time
	Kinds       []string  // the kinds of pages opened, each once, in the order first opened
	Pages       int       // how many pages were opened, repeats included
}

// Visits groups views, newest first (as the store reads them), into
// visits, newest first: consecutive views of the same therapist, each
// within VisitGap of the previous one, form one visit. A view of another
// therapist in between ends a visit. Views are not reordered; an empty log
// has no visits.
func Visits(views []TherapistView) []Visit {
	var out []Visit // oldest first while building
	for i := len(views) - 1; i >= 0; i-- {
		v := views[i]
		if n := len(out); n > 0 {
			last := &out[n-1]
			if last.TherapistID == v.TherapistID && last.Therapist == v.TherapistName && v.At.Sub(last.To) <= VisitGap {
				last.To = v.At
				last.Pages++
				if !slices.Contains(last.Kinds, v.Kind) {
					last.Kinds = append(last.Kinds, v.Kind)
				}
				continue
			}
		}
		out = append(out, Visit{TherapistID: v.TherapistID, Therapist: v.TherapistName, From: v.At, To: v.At, Kinds: []string{v.Kind}, Pages: 1})
	}
	slices.Reverse(out)
	return out
}

// RecentVisits is what the Sharing page lists of views (newest first): at
// most MaxVisits visits, and whether older ones exist but are not listed.
// more says that views older than these exist; the oldest visit read may
// then be missing pages, so it is left out (unless it is the only one).
func RecentVisits(views []TherapistView, more bool) (visits []Visit, older bool) {
	visits = Visits(views)
	if more && len(visits) > 1 {
		visits = visits[:len(visits)-1]
	}
	if len(visits) > MaxVisits {
		return visits[:MaxVisits], true
	}
	return visits, more
}
