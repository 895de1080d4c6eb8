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

// CheckinFields are the check-in form's fields in page order, for the
// summary of errors.
var CheckinFields = []string{"day", "mood", "connection", "feel", "need", "worry", "appreciate", "visibility"}

// checkinQuestions are the four optional texts, in form order: the
// writer's question (Label), and the same about the writer by name for
// other readers (About, with %s for the name).
var checkinQuestions = []struct{ Name, Label, About string }{
	{"feel", "What I feel", "What %s feels"},
	{"need", "What I need", "What %s needs"},
	{"worry", "What worries me", "What worries %s"},
	{"appreciate", "One thing I appreciated", "One thing %s appreciated"},
}

// checkinQuestionFor is question q as read by someone other than its writer
// (writer names them), or the writer's own question (writer "").
func checkinQuestionFor(q struct{ Name, Label, About string }, writer string) string {
	if writer == "" {
		return q.Label
	}
	return fmt.Sprintf(q.About, writer)
}

// answer returns the text of question name in c.
func answer(c *mend.Checkin, name string) string {
	switch name {
	case "feel":
		return c.Feel
	case "need":
		return c.Need
	case "worry":
		return c.Worry
	case "appreciate":
		return c.Appreciate
	}
	return ""
}

func versionAnswer(v mend.CheckinVersion, name string) string {
	c := mend.Checkin{Feel: v.Feel, Need: v.Need, Worry: v.Worry, Appreciate: v.Appreciate}
	return answer(&c, name)
}

// CheckinFormValues fills the check-in form from what was saved, or from
// the writer's default visibility for a new one.
func CheckinFormValues(v *mend.CheckinForm, formKey string) Form {
	f := Form{Values: map[string]string{"form_key": formKey, "day": DateValue(v.Day), "visibility": string(v.DefaultVisibility)}}
	if c := v.Existing; c != nil {
		f.Values["mood"] = strconv.Itoa(c.Mood)
		f.Values["connection"] = strconv.Itoa(c.Connection)
		for _, q := range checkinQuestions {
			f.Values[q.Name] = answer(c, q.Name)
		}
		f.Values["visibility"] = string(c.Visibility)
	}
	return f
}

// DateValue is a day as a form or URL value: 2026-11-23.
func DateValue(d time.Time) string { return d.Format(time.DateOnly) }

// LongDay is a day for a heading: "Monday 23 November 2026".
func LongDay(d time.Time) string { return d.Format("Monday 2 January 2006") }

// ShortDay is a day in a list: "Mon 23 Nov".
func ShortDay(d time.Time) string { return d.Format("Mon 2 Jan") }

// relativeDay names a day from the reader's today.
func relativeDay(d, today time.Time) string {
	switch {
	case d.Equal(today):
		return "Today, " + d.Format("2 January")
	case d.Equal(today.AddDate(0, 0, -1)):
		return "Yesterday, " + d.Format("2 January")
	}
	return LongDay(d)
}

// DayPath is the page of one day's check-ins.
func DayPath(d time.Time) templ.SafeURL { return templ.SafeURL("/checkins/" + DateValue(d)) }

func moodText(m int) string { return strconv.Itoa(m) + " — " + mend.MoodWord(m) }

func connectionText(s int) string { return strconv.Itoa(s) + " out of 10" }

// partnerName is the partner's name, or "Your partner".
func partnerName(sp *mend.Space) string {
	if sp == nil || sp.Partner == nil {
		return "Your partner"
	}
	return sp.Partner.Name
}

// CheckinSubnav is the small menu of the check-in section.
type subnavItem struct{ Href, Label, Key string }

var checkinSubnav = []subnavItem{
	{"/checkin", "Check in", "form"},
	{"/checkins", "History", "history"},
	{"/checkins/trends", "Trends", "trends"},
}

var connectionScale = func() []Choice {
	c := make([]Choice, 11)
	for i := range c {
		c[i] = Choice{Value: strconv.Itoa(i)}
	}
	return c
}()

// scaleEnd is the spoken end label of a scale's first and last values.
func scaleEnd(options []Choice, i int, low, high string) string {
	switch i {
	case 0:
		return low
	case len(options) - 1:
		return high
	}
	return ""
}

// historyFilter is a link of the history's partner filter.
type historyFilter struct{ Who, Label string }

func historyFilters(sp *mend.Space) []historyFilter {
	return []historyFilter{{"", "Both of us"}, {"me", "Just me"}, {"partner", partnerName(sp)}}
}

// historyURL builds a history link keeping the filter.
func historyURL(who, before, month string) templ.SafeURL {
	q := []string{}
	if who != "" {
		q = append(q, "who="+who)
	}
	if before != "" {
		q = append(q, "before="+before)
	}
	if month != "" {
		q = append(q, "month="+month)
	}
	if len(q) == 0 {
		return "/checkins"
	}
	return templ.SafeURL("/checkins?" + strings.Join(q, "&"))
}

// calendarWeeks returns the weeks (Monday first) of the month starting at
// first; days outside the month are zero.
func calendarWeeks(first time.Time) [][]time.Time {
	var weeks [][]time.Time
	week := make([]time.Time, 7)
	offset := (int(first.Weekday()) + 6) % 7
	for d := first; d.Month() == first.Month(); d = d.AddDate(0, 0, 1) {
		i := (offset + d.Day() - 1) % 7
		if i == 0 && d.Day() != 1 {
			weeks = append(weeks, week)
			week = make([]time.Time, 7)
		}
		week[i] = d
	}
	return append(weeks, week)
}

var weekdayNames = []struct{ Short, Long string }{
	{"Mo", "Monday"}, {"Tu", "Tuesday"}, {"We", "Wednesday"}, {"Th", "Thursday"}, {"Fr", "Friday"}, {"Sa", "Saturday"}, {"Su", "Sunday"},
}

func dayMarksWords(m mend.DayMarks, partner string) string {
	switch {
	case m.Mine && m.Partners:
		return "you and " + partner + " checked in"
	case m.Mine:
		return "you checked in"
	case m.Partners:
		return partner + " checked in"
	}
	return "no check-ins"
}

func monthValue(m time.Time) string { return m.Format("2006-01") }

// --- Charts: inline SVG drawn on the server ---

// Chart is one measure of a trend, ready to draw.
type Chart struct {
	ID, Title string
	Width     int
	Height    int
	Lines     []ChartLine
	YTicks    []ChartTick
	XTicks    []ChartTick
	Summary   []string // one sentence per partner
	Small     bool     // a sparkline: no axes
	Markers   []ChartMarker
	// Bare: too few points to draw (one or two); the reading alone.
	Bare bool
}

// ChartLine is one partner's daily points and rolling average.
type ChartLine struct {
	Class   string // "line-a" or "line-b": colour, marker and line style differ
	Name    string
	Dots    string // an SVG path of zero-length segments, one per check-in
	Average string // an SVG path of the rolling average, broken at gaps
}

// ChartTick is a labelled position on an axis.
type ChartTick struct {
	Pos   float64
	Label string
}

const (
	chartLeft, chartRight, chartTop, chartBottom = 26.0, 6.0, 8.0, 22.0
)

// TrendChart draws measure ("mood" or "connection") of t. names maps a user id
// to the name to show; the reader's own line is "You". The first line (the
// reader's, on a partner's page) is solid with round dots, the second
// dashed with square ones. With fewer than three check-ins in its days it
// is Bare: its reading alone.
func TrendChart(t *mend.Trend, measure string, reader int64, names map[int64]string, small bool) Chart {
	// About as wide as a phone, so that labels keep their size there.
	c := Chart{ID: measure, Width: 400, Height: 180, Small: small}
	lo, hi, what := 1.0, 5.0, "Mood"
	if measure == "connection" {
		lo, hi, what = 0, 10, "Closeness and connection"
	}
	c.Title = fmt.Sprintf("%s, last %d weeks", what, t.Weeks)
	left, right, top, bottom := chartLeft, chartRight, chartTop, chartBottom
	if small {
		c.Width, c.Height = 240, 56
		left, right, top, bottom = 4, 4, 6, 6
	}
	days := t.Days()
	step := (float64(c.Width) - left - right) / float64(max(days-1, 1))
	x := func(i int) float64 { return left + float64(i)*step }
	y := func(v float64) float64 { return top + (hi-v)/(hi-lo)*(float64(c.Height)-top-bottom) }
	for i, l := range t.Lines {
		m := l.Mood
		if measure == "connection" {
			m = l.Connection
		}
		line := ChartLine{Class: "line-a", Name: names[l.UserID]}
		if i > 0 {
			line.Class = "line-b"
		}
		if l.UserID == reader {
			line.Name = "You"
		}
		// strconv rather than fmt: a year is some 1,500 numbers per chart.
		dots, avg := make([]byte, 0, 16*days), make([]byte, 0, 14*days)
		pen := false
		for i := range days {
			if v := m.Daily[i]; !math.IsNaN(v) {
				dots = appendPoint(append(dots, 'M'), x(i), y(v))
				dots = append(dots, "h0"...)
			}
			if v := m.Rolling[i]; !math.IsNaN(v) {
				op := byte('L')
				if !pen {
					op = 'M'
				}
				avg = appendPoint(append(avg, op), x(i), y(v))
				pen = true
			} else {
				pen = false
			}
		}
		line.Dots, line.Average = string(dots), string(avg)
		c.Lines = append(c.Lines, line)
		c.Summary = append(c.Summary, trendSentence(line.Name, measure, m, t.Weeks))
	}
	// One or two check-ins are a sentence, not specks.
	points := 0
	for _, l := range t.Lines {
		points += l.Mood.Count
	}
	c.Bare = points < 3
	if !small {
		for v := lo; v <= hi; v += math.Max(1, (hi-lo)/2) {
			c.YTicks = append(c.YTicks, ChartTick{y(v), strconv.Itoa(int(v))})
		}
		for _, i := range []int{0, days / 2, days - 1} {
			c.XTicks = append(c.XTicks, ChartTick{x(i), t.From.AddDate(0, 0, i).Format("2 Jan")})
		}
	}
	return c
}

// appendPoint appends "x y" with one decimal each.
func appendPoint(b []byte, x, y float64) []byte {
	return appendTenths(append(appendTenths(b, x), ' '), y)
}

// appendTenths appends v ≥ 0 rounded to one decimal: a chart draws
// thousands of these, and this is several times faster than AppendFloat.
func appendTenths(b []byte, v float64) []byte {
	n := int64(math.Round(v * 10))
	b = strconv.AppendInt(b, n/10, 10)
	return append(b, '.', byte('0'+n%10))
}

// trendSentence reads one partner's measure ("mood" or "connection") in
// words, saying what it averages: "You: average closeness 6.2 out of 10
// over the last 4 weeks (18 check-ins), up from 5.1 the 4 weeks before."
// The weeks before are compared only when they lie inside the space's
// life (Previous is NaN otherwise). Someone else's check-ins are those
// shared with the reader, and the sentence says so.
func trendSentence(name, measure string, m mend.Measure, weeks int) string {
	if m.Count == 0 {
		return fmt.Sprintf("%s: no check-ins to show in the last %d weeks.", name, weeks)
	}
	counted := "check-in"
	if name != "You" {
		counted = "shared check-in"
	}
	s := fmt.Sprintf("%s: %s over the last %d weeks (%s)", name, averageWords(measure, m.Average), weeks, plural(m.Count, counted))
	switch p := m.Previous; {
	case math.IsNaN(p):
		return s + "."
	case m.Average-p >= 0.05:
		return s + fmt.Sprintf(", up from %.1f the %d weeks before.", p, weeks)
	case p-m.Average >= 0.05:
		return s + fmt.Sprintf(", down from %.1f the %d weeks before.", p, weeks)
	}
	return s + fmt.Sprintf(", about the same as the %d weeks before.", weeks)
}

// averageWords says an average with what it averages and on what scale:
// "average closeness 6.0 out of 10", "average mood 3.2 (1–5)".
func averageWords(measure string, v float64) string {
	if measure == "connection" {
		return fmt.Sprintf("average closeness %.1f out of 10", v)
	}
	return fmt.Sprintf("average mood %.1f (1–5)", v)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// trendEmpty reports whether t has no check-in at all, not even one
// counting towards an average.
func trendEmpty(t *mend.Trend) bool {
	for _, l := range t.Lines {
		for _, v := range l.Connection.Rolling {
			if !math.IsNaN(v) {
				return false
			}
		}
	}
	return true
}

// xAnchor keeps the first and last date labels inside the chart.
func xAnchor(i, n int) string {
	switch i {
	case 0:
		return "start"
	case n - 1:
		return "end"
	}
	return "middle"
}

func viewBox(c Chart) string { return fmt.Sprintf("0 0 %d %d", c.Width, c.Height) }

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func chartRightEdge(c Chart) string { return f1(float64(c.Width) - chartRight) }

func weeksURL(base string, w int) templ.SafeURL {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return templ.SafeURL(base + sep + "weeks=" + strconv.Itoa(w))
}

// Names maps the partners' ids to their names.
func memberNameMap(ms []mend.Member) map[int64]string {
	m := make(map[int64]string, len(ms))
	for _, x := range ms {
		m[x.UserID] = x.Name
	}
	return m
}

// spaceNames maps the ids of a space's partners to their names.
func spaceNames(sp *mend.Space) map[int64]string {
	m := map[int64]string{sp.Me.UserID: sp.Me.Name}
	if sp.Partner != nil {
		m[sp.Partner.UserID] = sp.Partner.Name
	}
	return m
}

// checkinWaits says, to a reader who has checked in (mine) on a day the
// partner has not, what waits for the partner's check-in (no pronouns:
// Mend knows nobody's). A check-in marked "Just me" is never revealed.
func checkinWaits(sp *mend.Space, mine *mend.Checkin) string {
	n := sp.Partner.Name
	if mine.Visibility == mend.JustMe {
		return "Yours is marked “Just me”, so only you read it. You see " + Possessive(n) + " once " + n + " has checked in and you share yours."
	}
	return n + " sees yours, and you see " + Possessive(n) + ", once " + n + " has checked in."
}
