package service

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// Patterns of the trigger log: how often and how strong, about what and
// when, and what helped in the person's own words, in plain, neutral
// words.

// HelpedPhrases returns up to n of texts (what helped, newest first) as
// the person wrote them, trimmed: the same phrase (whatever its case and
// spacing) once, with how often it was written, most often first, then
// most recent. Each keeps its most recent spelling.
func HelpedPhrases(texts []string, n int) []mend.Count {
	var out []mend.Count
	index := map[string]int{}
	for _, t := range texts {
		phrase := strings.Join(strings.Fields(t), " ")
		if phrase == "" {
			continue
		}
		key := strings.ToLower(phrase)
		if i, ok := index[key]; ok {
			out[i].Count++
			continue
		}
		index[key] = len(out)
		out = append(out, mend.Count{Key: phrase, Count: 1})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Count > out[j].Count })
	return out[:min(n, len(out))]
}

// HelpedShown is how many phrases of what helped a patterns page shows.
const HelpedShown = 5

// Patterns returns u's patterns page over weeks (4, 12 or 52) of the
// triggers by who ("me" or "partner"; "" is both).
func (s *Triggers) Patterns(ctx context.Context, u *mend.User, who string, weeks int) (*mend.PatternsPage, error) {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	return s.patterns(ctx, sp.Access, u.Location(), sp, mend.ParseWho(who), weeks)
}

func (s *Triggers) patterns(ctx context.Context, a mend.Reader, loc *time.Location, sp *mend.Space, who mend.Who, weeks int) (*mend.PatternsPage, error) {
	r := s.patternRange(loc, weeks)
	pt, err := s.Store.Patterns(ctx, a, who, r.from, r.to, r.today)
	if err != nil {
		return nil, err
	}
	return patternsPage(sp, who, r, pt), nil
}

// patternWeeks is the range of a patterns page: whole weeks, Monday to
// Sunday, ending with this one in loc.
type patternWeeks struct {
	weeks           int
	from, to, today time.Time
	loc             *time.Location
}

func (s *Triggers) patternRange(loc *time.Location, weeks int) patternWeeks {
	weeks = trendWeeks(weeks)
	today := mend.Date(s.Now(), loc)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	return patternWeeks{weeks: weeks, from: monday.AddDate(0, 0, -7*(weeks-1)), to: monday.AddDate(0, 0, 6), today: today, loc: loc}
}

// patternsPage builds the patterns page of the aggregates pt over r.
func patternsPage(sp *mend.Space, who mend.Who, r patternWeeks, pt *mend.Patterns) *mend.PatternsPage {
	weeks, from, to := r.weeks, r.from, r.to
	p := &mend.PatternsPage{Space: sp, Who: string(who), Weeks: weeks, From: from, To: to, Cats: pt.Categories, Words: HelpedPhrases(pt.Helped, HelpedShown)}
	byWeek := map[time.Time]mend.WeekStat{}
	sum := 0.0
	for _, w := range pt.Weeks {
		byWeek[w.Week] = w
		p.Total += w.Count
		sum += w.Intensity * float64(w.Count)
	}
	for i := range weeks {
		wk := from.AddDate(0, 0, 7*i)
		st := byWeek[wk]
		st.Week = wk
		p.Series = append(p.Series, st)
	}
	p.Average = math.NaN()
	if p.Total > 0 {
		p.Average = sum / float64(p.Total)
	}
	for _, c := range pt.Heat {
		if c.Weekday >= 0 && c.Weekday < 7 && c.Band >= 0 && c.Band < 4 {
			p.Heat[c.Weekday][c.Band] += c.Count
			p.HeatMax = max(p.HeatMax, p.Heat[c.Weekday][c.Band])
		}
	}
	p.Reading = Reading(pt.Recent.Count, pt.Recent.Intensity, pt.Before.Count, pt.Before.Intensity,
		mend.DayIndex(mend.Date(pt.Started, r.loc), r.today)+1)
	return p
}

// Reading says in plain, neutral words how the last 4 weeks compare with
// the 4 before them: counts and average intensity. days is how many days
// the space has lived, today included: the weeks before are compared only
// when they lie wholly inside its life (56 days or more); until then the
// figures are said alone.
func Reading(recent int, recentIntensity float64, before int, beforeIntensity float64, days int) []string {
	var out []string
	if days < 56 {
		span := "in the last 4 weeks"
		if days < 28 {
			span = "in the " + plural(days, "day") + " since the start"
			if days <= 1 {
				span = "today, the first day"
			}
		}
		if recent == 0 {
			return []string{"No triggers logged " + span + "."}
		}
		return []string{fmt.Sprintf("%s logged %s.", capital(plural(recent, "trigger")), span),
			fmt.Sprintf("Average intensity %.1f out of 10.", recentIntensity)}
	}
	switch {
	case recent == 0 && before == 0:
		return []string{"No triggers logged in the last 8 weeks."}
	case recent < before:
		out = append(out, "Fewer triggers than the 4 weeks before ("+strconv.Itoa(recent)+", was "+strconv.Itoa(before)+").")
	case recent > before:
		out = append(out, "More triggers than the 4 weeks before ("+strconv.Itoa(recent)+", was "+strconv.Itoa(before)+").")
	default:
		out = append(out, "As many triggers as the 4 weeks before ("+strconv.Itoa(recent)+").")
	}
	if recent > 0 && before > 0 {
		switch d := recentIntensity - beforeIntensity; {
		case d >= 0.5:
			out = append(out, fmt.Sprintf("More intense this month: average intensity %.1f out of 10, was %.1f.", recentIntensity, beforeIntensity))
		case d <= -0.5:
			out = append(out, fmt.Sprintf("Less intense this month: average intensity %.1f out of 10, was %.1f.", recentIntensity, beforeIntensity))
		default:
			out = append(out, fmt.Sprintf("About as intense as before: average intensity %.1f out of 10.", recentIntensity))
		}
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func capital(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
