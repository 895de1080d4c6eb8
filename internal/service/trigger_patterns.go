package service

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mend-app/mend/internal/mend"
)

// Patterns of the trigger log: how often and how strong, about what and
// when, and the words of what helped, in plain, neutral words.

// TopWords returns the n words used most in texts (ties by the word), lower
// case, leaving out words of two letters or fewer and common small words.
func TopWords(texts []string, n int) []mend.Count {
	counts := map[string]int{}
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
			w = strings.Trim(w, "'")
			if utf8.RuneCountInString(w) > 2 && !stopWord[w] {
				counts[w]++
			}
		}
	}
	out := make([]mend.Count, 0, len(counts))
	for w, c := range counts {
		out = append(out, mend.Count{Key: w, Count: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out[:min(n, len(out))]
}

var stopWord = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range stopWords {
		m[w] = true
	}
	return m
}()

// stopWords are left out of the words of what helped.
var stopWords = strings.Fields(`the and for with that this was were you your yours are but not have has had our ours they them
their what when then than just very really about into from some more most much can could would should will did does
him her his hers she its it's i'm i've we we're me my mine all out who how got get let too also being been`)

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
}

func (s *Triggers) patternRange(loc *time.Location, weeks int) patternWeeks {
	weeks = trendWeeks(weeks)
	today := mend.Date(s.Now(), loc)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	return patternWeeks{weeks: weeks, from: monday.AddDate(0, 0, -7*(weeks-1)), to: monday.AddDate(0, 0, 6), today: today}
}

// patternsPage builds the patterns page of the aggregates pt over r.
func patternsPage(sp *mend.Space, who mend.Who, r patternWeeks, pt *mend.Patterns) *mend.PatternsPage {
	weeks, from, to := r.weeks, r.from, r.to
	p := &mend.PatternsPage{Space: sp, Who: string(who), Weeks: weeks, From: from, To: to, Cats: pt.Categories, Words: TopWords(pt.Helped, 10)}
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
	p.Reading = Reading(pt.Recent.Count, pt.Recent.Intensity, pt.Before.Count, pt.Before.Intensity)
	return p
}

// Reading says in plain, neutral words how the last 4 weeks compare with
// the 4 before them: counts and average intensity.
func Reading(recent int, recentIntensity float64, before int, beforeIntensity float64) []string {
	var out []string
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
			out = append(out, fmt.Sprintf("More intense this month: %.1f on average, was %.1f.", recentIntensity, beforeIntensity))
		case d <= -0.5:
			out = append(out, fmt.Sprintf("Less intense this month: %.1f on average, was %.1f.", recentIntensity, beforeIntensity))
		default:
			out = append(out, fmt.Sprintf("About as intense as before: %.1f on average.", recentIntensity))
		}
	}
	return out
}
