package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// ChartMarker is a day marked on a chart: a thin line across it, and a
// shape at its top that differs by kind (not only by colour).
type ChartMarker struct {
	X     float64
	Class string // "marker-setback", "marker-told", "marker-discovered"
}

// progressNames is who the progress's people are for its reader: "You"
// for the reader (0 for a therapist, who is none of them).
type progressNames struct {
	reader int64
	names  map[int64]string
}

// of names person id: "You" for the reader, their name, or "A former
// partner" for someone no longer in the couple.
func (n progressNames) of(id int64) string {
	if id == n.reader {
		return "You"
	}
	if s, ok := n.names[id]; ok {
		return s
	}
	return "A former partner"
}

// possessive is "Your" for the reader, "Ana’s" for anyone else.
func (n progressNames) possessive(id int64) string {
	if id == n.reader {
		return "Your"
	}
	return n.of(id) + "’s"
}

// inSentence is of or possessive within a sentence: "you", "your",
// "a former partner’s".
func (n progressNames) inSentence(id int64, s string) string {
	if _, known := n.names[id]; id == n.reader || !known {
		return strings.ToLower(s)
	}
	return s
}

// markersOn places the markers of p on chart c, whose days run from p.From
// along x.
func markersOn(c *Chart, p *mend.Progress, x func(day int) float64) {
	for _, m := range p.Markers {
		c.Markers = append(c.Markers, ChartMarker{X: x(mend.DayIndex(p.From, m.Day)), Class: "marker-" + m.Kind})
	}
}

// dayScale is the x of day i of days on a chart of width w with the
// default margins.
func dayScale(w float64, days int) func(int) float64 {
	step := (w - chartLeft - chartRight) / float64(max(days-1, 1))
	return func(i int) float64 { return chartLeft + float64(i)*step }
}

// ProgressTrendChart is TrendChart with the progress's markers (a sentence
// alone, as TrendChart, while there are fewer than three check-ins).
func ProgressTrendChart(p *mend.Progress, measure string, n progressNames) Chart {
	c := TrendChart(p.Trend, measure, n.reader, n.names, false)
	c.ID = "progress-" + measure
	markersOn(&c, p, dayScale(float64(c.Width), p.Trend.Days()))
	return c
}

// weeklyChart draws one value per week for each person of p (NaN: a gap),
// each at the last day of its week, with the markers.
func weeklyChart(p *mend.Progress, n progressNames, id, title string, lo, hi float64, value func(mend.Tally) float64, ticks []float64, tickLabel func(float64) string) Chart {
	c := Chart{ID: id, Title: fmt.Sprintf("%s, last %d weeks", title, p.Weeks), Width: 400, Height: 180}
	days := mend.DayIndex(p.From, p.To) + 1
	x := dayScale(float64(c.Width), days)
	y := func(v float64) float64 { return chartTop + (hi-v)/(hi-lo)*(float64(c.Height)-chartTop-chartBottom) }
	points := 0
	for i, pp := range p.People {
		line := ChartLine{Class: "line-a", Name: n.of(pp.UserID)}
		if i > 0 {
			line.Class = "line-b"
		}
		var dots, path []byte
		pen := false
		for w, t := range pp.Weeks {
			v := value(t)
			if math.IsNaN(v) {
				pen = false
				continue
			}
			points++
			px, py := x(7*w+6), y(math.Min(math.Max(v, lo), hi))
			dots = appendPoint(append(dots, 'M'), px, py)
			dots = append(dots, "h0"...)
			op := byte('L')
			if !pen {
				op = 'M'
			}
			path = appendPoint(append(path, op), px, py)
			pen = true
		}
		line.Dots, line.Average = string(dots), string(path)
		c.Lines = append(c.Lines, line)
	}
	c.Bare = points < 3
	for _, v := range ticks {
		c.YTicks = append(c.YTicks, ChartTick{y(v), tickLabel(v)})
	}
	for _, i := range []int{0, days / 2, days - 1} {
		c.XTicks = append(c.XTicks, ChartTick{x(i), p.From.AddDate(0, 0, i).Format("2 Jan")})
	}
	markersOn(&c, p, x)
	return c
}

func intLabel(v float64) string { return strconv.Itoa(int(v)) }

// RegularityChart is how many days of each week each partner checked in.
func RegularityChart(p *mend.Progress, n progressNames) Chart {
	c := weeklyChart(p, n, "progress-regularity", "Days with a check-in, each week", 0, 7,
		func(t mend.Tally) float64 {
			if t.Days == 0 {
				return math.NaN()
			}
			return float64(t.CheckinDays)
		}, []float64{0, 7}, intLabel)
	for _, pp := range p.People {
		c.Summary = append(c.Summary, regularitySentence(n.of(pp.UserID), pp, p.Weeks))
	}
	return c
}

func regularitySentence(name string, pp mend.PersonProgress, weeks int) string {
	now, before := pp.Now, pp.Before
	if now.Days == 0 {
		return name + ": nothing to count yet."
	}
	// Someone else's days are those with a check-in shared with the reader.
	did := "checked in"
	if name != "You" {
		did = "shared a check-in"
	}
	s := fmt.Sprintf("%s: %s on %d of %s", name, did, now.CheckinDays, daysSpan(now.Days, weeks))
	if before.Whole {
		return s + fmt.Sprintf(", and on %d of the %d days before.", before.CheckinDays, before.Days)
	}
	return s + "."
}

// daysSpan names a tally's days: "the last 28 days", or "the 9 days since
// the start" when the space is younger than the weeks shown (true for the
// partners and their therapist alike).
func daysSpan(days, weeks int) string {
	if days < 7*weeks {
		return fmt.Sprintf("the %s since the start", plural(days, "day"))
	}
	return fmt.Sprintf("the last %d days", days)
}

// ConsistencyChart is how consistently each partner's commitments were
// kept, week by week: a percentage of the week's due occurrences.
func ConsistencyChart(p *mend.Progress, n progressNames) Chart {
	c := weeklyChart(p, n, "progress-consistency", "Commitments kept, each week", 0, 100,
		func(t mend.Tally) float64 { return t.Percent() }, []float64{0, 50, 100}, func(v float64) string { return intLabel(v) + "%" })
	enough := false
	for _, pp := range p.People {
		enough = enough || pp.Now.Counted >= mend.PercentFrom
		c.Summary = append(c.Summary, consistencySentence(n.of(pp.UserID), pp, p.Weeks))
	}
	// Counts, not a chart of percentages, while there is little to count.
	c.Bare = c.Bare || !enough
	return c
}

func consistencySentence(name string, pp mend.PersonProgress, weeks int) string {
	now, before := pp.Now, pp.Before
	switch {
	case now.Counted == 0:
		return fmt.Sprintf("%s: no commitments were due in the last %d weeks.", name, weeks)
	case now.Counted < mend.PercentFrom:
		return fmt.Sprintf("%s: %s.", name, keptCounts(now))
	}
	s := fmt.Sprintf("%s: %.0f%% kept over the last %d weeks (%s)", name, now.Percent(), weeks, keptCounts(now))
	if before.Counted >= mend.PercentFrom {
		return s + fmt.Sprintf("; %.0f%% the %d weeks before.", before.Percent(), weeks)
	}
	return s + "."
}

// keptCounts is "5 kept, 1 partly and 1 owned miss, of 8 due".
func keptCounts(t mend.Tally) string {
	var parts []string
	parts = append(parts, fmt.Sprintf("%d kept", t.Kept))
	if t.Partly > 0 {
		parts = append(parts, fmt.Sprintf("%d partly", t.Partly))
	}
	if t.Missed > 0 {
		misses := "owned misses"
		if t.Missed == 1 {
			misses = "owned miss"
		}
		parts = append(parts, fmt.Sprintf("%d %s", t.Missed, misses))
	}
	if t.NotLogged > 0 {
		parts = append(parts, fmt.Sprintf("%d not logged", t.NotLogged))
	}
	if len(parts) == 1 {
		return parts[0] + fmt.Sprintf(" of %d due", t.Counted)
	}
	return joinAnd(parts) + fmt.Sprintf(", of %d due", t.Counted)
}

// joinAnd joins "a", "b" and "c" as "a, b and c".
func joinAnd(parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// TriggerCountChart is how many triggers each partner logged each week.
func TriggerCountChart(p *mend.Progress, n progressNames) Chart {
	top := 4
	for _, pp := range p.People {
		for _, w := range pp.Weeks {
			top = max(top, w.Triggers)
		}
	}
	top = (top + 3) / 4 * 4
	c := weeklyChart(p, n, "progress-triggers", "Triggers, each week", 0, float64(top),
		func(t mend.Tally) float64 {
			if t.Days == 0 {
				return math.NaN()
			}
			return float64(t.Triggers)
		}, []float64{0, float64(top / 2), float64(top)}, intLabel)
	for _, pp := range p.People {
		now, before := pp.Now, pp.Before
		s := fmt.Sprintf("%s: %s in the last %d weeks", n.of(pp.UserID), plural(now.Triggers, "trigger"), p.Weeks)
		if before.Whole {
			s += fmt.Sprintf(", %d the %d weeks before", before.Triggers, p.Weeks)
		}
		c.Summary = append(c.Summary, s+".")
	}
	return c
}

// IntensityChart is the average intensity of each week's triggers.
func IntensityChart(p *mend.Progress, n progressNames) Chart {
	c := weeklyChart(p, n, "progress-intensity", "Average trigger intensity, each week", 0, 10,
		func(t mend.Tally) float64 { return t.Intensity() }, []float64{0, 5, 10}, intLabel)
	for _, pp := range p.People {
		now, before := pp.Now, pp.Before
		name := n.of(pp.UserID)
		if now.Triggers == 0 {
			c.Summary = append(c.Summary, fmt.Sprintf("%s: no triggers in the last %d weeks.", name, p.Weeks))
			continue
		}
		s := fmt.Sprintf("%s: %.1f out of 10 on average over the last %d weeks (%s)", name, now.Intensity(), p.Weeks, plural(now.Triggers, "trigger"))
		if before.Whole && before.Triggers > 0 {
			s += fmt.Sprintf("; %.1f the %d weeks before", before.Intensity(), p.Weeks)
		}
		c.Summary = append(c.Summary, s+".")
	}
	return c
}

// ProgressCharts are the charts of the progress page, in page order.
func ProgressCharts(p *mend.Progress, reader int64, names map[int64]string) []Chart {
	n := progressNames{reader: reader, names: names}
	return []Chart{
		ProgressTrendChart(p, "connection", n),
		ProgressTrendChart(p, "mood", n),
		RegularityChart(p, n),
		ConsistencyChart(p, n),
		TriggerCountChart(p, n),
		IntensityChart(p, n),
	}
}

// monthWords frames how long the couple has been at it: "Month 7".
func monthWords(p *mend.Progress) string {
	return "Month " + strconv.Itoa(mend.MonthOf(p.Started, p.To))
}

// markerWords lists the markers of the charts in words, for everyone who
// cannot see the shapes: "Setbacks: 3 Nov (you), 20 Nov (Ben)."
func markerWords(p *mend.Progress, reader int64, names map[int64]string) []string {
	n := progressNames{reader: reader, names: names}
	var out []string
	for _, kind := range []struct{ kind, label string }{
		{mend.MarkSetback, "Setbacks"}, {mend.MarkTold, "Told"}, {mend.MarkDiscovered, "Discovered"},
	} {
		var days []string
		for _, m := range p.Markers {
			if m.Kind == kind.kind {
				days = append(days, m.Day.Format("2 Jan")+" ("+n.inSentence(m.UserID, n.of(m.UserID))+")")
			}
		}
		if len(days) > 0 {
			out = append(out, kind.label+": "+strings.Join(days, ", ")+".")
		}
	}
	return out
}

// Warning is an early warning in words, for its reader, with a link to the
// data it read.
type Warning struct {
	Text, Source string
	Href         templ.SafeURL
}

// warningsFor words ws for the reader (0 for a therapist, whose links go to
// the couple's pages).
func warningsFor(ws []mend.Warning, reader, coupleID int64, names map[int64]string) []Warning {
	n := progressNames{reader: reader, names: names}
	therapist := reader == 0
	link := func(partner, rest string) templ.SafeURL {
		if therapist {
			return CouplePath(coupleID, rest)
		}
		return templ.SafeURL(partner)
	}
	shared := ""
	if therapist {
		shared = "shared "
	}
	var out []Warning
	for _, w := range ws {
		who := n.of(w.UserID)
		switch w.Rule {
		case mend.WarnCheckins:
			verb := "checked in"
			if therapist {
				verb = "shared a check-in"
			}
			out = append(out, Warning{
				Text:   fmt.Sprintf("%s %s on %d of the last 14 days, against %d of the 28 days before.", who, verb, w.Recent, w.Before),
				Source: "Read from " + n.inSentence(w.UserID, n.possessive(w.UserID)) + " " + shared + "check-ins of the last 6 weeks.",
				Href:   link("/checkins", "/checkins?weeks=12")})
		case mend.WarnConsistency:
			out = append(out, Warning{
				Text: fmt.Sprintf("%s %scommitments were kept %d%% of the time in the last 4 weeks (of %d due), down from %d%% in the 4 weeks before (of %d due).",
					n.possessive(w.UserID), shared, w.Recent, w.Counted, w.Before, w.BeforeCounted),
				Source: "Read from the logs of " + n.inSentence(w.UserID, n.possessive(w.UserID)) + " " + shared + "commitments over 8 weeks.",
				Href:   link("/commitments", "/commitments")})
		case mend.WarnIntensity:
			vals := make([]string, len(w.Series))
			for i, v := range w.Series {
				vals[i] = strconv.FormatFloat(v, 'f', 1, 64)
			}
			out = append(out, Warning{
				Text:   fmt.Sprintf("%s %striggers have grown more intense three weeks running: on average %s, then %s this week.", n.possessive(w.UserID), shared, strings.Join(vals[:3], ", "), vals[3]),
				Source: "Read from " + n.inSentence(w.UserID, n.possessive(w.UserID)) + " " + shared + "triggers of the last 4 weeks.",
				Href:   link("/triggers/patterns", "/triggers")})
		case mend.WarnHardDate:
			when := "on " + LongDay(w.Day)
			switch w.Days {
			case 0:
				when = "today"
			case 1:
				when = "tomorrow"
			}
			out = append(out, Warning{Text: fmt.Sprintf("%s is %s. It may help to plan the day together.", w.Label, when),
				Source: "Read from your hard dates.", Href: "/hard-dates"})
		case mend.WarnDiscovered:
			out = append(out, Warning{Text: fmt.Sprintf("%s recorded something discovered on %s.", who, LongDay(w.Day)),
				Source: "Read from what was told and discovered in the last 2 weeks.", Href: link("/disclosures", "/disclosures")})
		}
	}
	return out
}

// setbackAuthor is who marked a setback, for the reader.
func setbackAuthor(sp *mend.Space, s mend.Setback) string {
	if s.UserID == sp.Me.UserID {
		return "you"
	}
	return partnerName(sp)
}

// markerHead is the shape at the top of a marker: a diamond for a setback,
// a circle for something told, a triangle for something discovered.
func markerHead(m ChartMarker) string {
	x, y := m.X, chartTop
	switch m.Class {
	case "marker-told":
		return fmt.Sprintf("M%s %sa4 4 0 1 0 8 0a4 4 0 1 0 -8 0z", f1(x-4), f1(y))
	case "marker-discovered":
		return fmt.Sprintf("M%s %sl4.5 -8h-9z", f1(x), f1(y+2))
	}
	return fmt.Sprintf("M%s %sl4 -5l4 5l-4 5z", f1(x-4), f1(y))
}

// timeZero is a new entry's "first written": not yet.
var timeZero time.Time
