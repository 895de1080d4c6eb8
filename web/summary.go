package web

import (
	"fmt"
	"math"
	"strings"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// The pre-session summary in words: the same figures for a partner and a
// therapist, each sentence for its reader.

// summaryNames is who the people of a summary are for its reader: "You"
// for a partner reading their own.
func summaryNames(v *mend.SummaryPage, reader int64) progressNames {
	if v.Space == nil {
		reader = 0
	}
	return progressNames{reader: reader, names: memberNameMap(v.Members)}
}

// rangeWords is "17 Nov – 30 Nov 2026 (14 days)".
func rangeWords(s *mend.Summary) string {
	from := s.From.Format("2 Jan")
	if s.From.Year() != s.To.Year() {
		from = s.From.Format("2 Jan 2006")
	}
	return fmt.Sprintf("%s – %s (%s)", from, s.To.Format("2 Jan 2006"), plural(s.Days(), "day"))
}

// averageChange is "6.2 (5.8 before)", "6.2", or "no check-ins".
func averageChange(now, before float64, whole bool) string {
	if math.IsNaN(now) {
		return "none"
	}
	s := fmt.Sprintf("%.1f", now)
	if whole && !math.IsNaN(before) {
		s += fmt.Sprintf(" (%.1f before)", before)
	}
	return s
}

// checkinDaysWords is "11 of 14 days (9 before)".
func checkinDaysWords(p mend.SummaryPerson) string {
	s := fmt.Sprintf("%d of %d days", p.Now.CheckinDays, p.Now.Days)
	if p.Before.Whole {
		s += fmt.Sprintf(" (%d before)", p.Before.CheckinDays)
	}
	return s
}

// triggerWords is "4, average 5.2, strongest 8 (6 before)".
func triggerWords(p mend.SummaryPerson) string {
	if p.Now.Triggers == 0 {
		s := "none"
		if p.Before.Whole && p.Before.Triggers > 0 {
			s += fmt.Sprintf(" (%d before)", p.Before.Triggers)
		}
		return s
	}
	s := fmt.Sprintf("%d, average %.1f, strongest %d", p.Now.Triggers, p.Now.Intensity(), p.Now.TopIntensity)
	if p.Before.Whole {
		s += fmt.Sprintf(" (%d before)", p.Before.Triggers)
	}
	return s
}

// answerWords is "5 to check-ins, 2 to triggers, 1 to commitment logs".
func answerWords(p mend.SummaryPerson) string {
	var parts []string
	for _, k := range []struct{ kind, label string }{{"checkins", "check-ins"}, {"triggers", "triggers"}, {"commitments", "commitment logs"}} {
		if n := p.Answers[k.kind]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", n, k.label))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// summaryConsistency is a commitment's days: counts while few are due.
func summaryConsistency(t mend.Tally) string {
	if t.Counted < mend.PercentFrom {
		return keptCounts(t)
	}
	return fmt.Sprintf("%.0f%% kept (%s)", t.Percent(), keptCounts(t))
}

// summaryURL is the summary's address for the reader, with its days.
func summaryURL(v *mend.SummaryPage) templ.SafeURL {
	if v.Space == nil {
		return CouplePath(v.Access.CoupleID(), "/summary")
	}
	return "/progress/summary"
}

// summaryWarnings words the summary's warnings for its reader.
func summaryWarnings(v *mend.SummaryPage, reader int64) []Warning {
	if v.Space == nil {
		return warningsFor(v.Summary.Warnings, 0, v.Access.CoupleID(), memberNameMap(v.Members))
	}
	return warningsFor(v.Summary.Warnings, reader, 0, memberNameMap(v.Members))
}

// categoryCounts is "a person 3, a place 1": triggers by category, most first.
func categoryCounts(cs []mend.Count) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		l := categoryWords(c.Key)
		if l == "" {
			l = c.Key
		}
		parts[i] = strings.ToLower(l[:1]) + l[1:] + " (" + fmt.Sprint(c.Count) + ")"
	}
	return strings.Join(parts, ", ")
}

// noteAfter is a setback's note after its day and author: ": " and the
// note, or nothing when it has none.
func noteAfter(note string) string {
	if note == "" {
		return ""
	}
	return ": " + note
}
