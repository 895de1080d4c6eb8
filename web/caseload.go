package web

import (
	"fmt"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// The caseload's sentences: each partner's figures from what they share
// with the therapist, in counts while there is little to count.

// lastCheckinWords says when a partner last shared a check-in.
func lastCheckinWords(p mend.CaseloadPerson, today time.Time) string {
	if p.LastCheckin == nil {
		return "no shared check-in in the last 8 weeks"
	}
	switch n := mend.DayIndex(*p.LastCheckin, today); {
	case n <= 0:
		return "last shared check-in today"
	case n == 1:
		return "last shared check-in yesterday"
	default:
		return fmt.Sprintf("last shared check-in %d days ago (%s)", n, p.LastCheckin.Format("2 Jan"))
	}
}

// consistency30Words is the last 30 days of a partner's shared commitments.
func consistency30Words(t mend.Tally) string {
	switch {
	case t.Counted == 0:
		return "no shared commitments due in 30 days"
	case t.Counted < mend.PercentFrom:
		return "commitments, 30 days: " + keptCounts(t)
	}
	return fmt.Sprintf("commitments, 30 days: %.0f%% kept (of %d due)", t.Percent(), t.Counted)
}

// triggerTrendWords compares a partner's shared triggers of the last 4
// weeks with the 4 before, in count and intensity.
func triggerTrendWords(p mend.CaseloadPerson) string {
	now, before := p.Triggers, p.TriggersBefore
	if now.Triggers == 0 && before.Triggers == 0 {
		return "no shared triggers in 8 weeks"
	}
	s := fmt.Sprintf("triggers: %d in the last 4 weeks", now.Triggers)
	if before.Whole {
		s += fmt.Sprintf(", %d the 4 before", before.Triggers)
	}
	if now.Triggers > 0 {
		s += fmt.Sprintf("; intensity %.1f", now.Intensity())
		if before.Whole && before.Triggers > 0 {
			s += fmt.Sprintf(", was %.1f", before.Intensity())
		}
	}
	return s
}
