package web

import (
	"fmt"
	"math"
	"net/url"
	"strconv"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// TriggerFields are the trigger form's fields in page order.
var TriggerFields = []string{"category", "intensity", "when", "what_happened", "felt", "helped", "need", "visibility"}

// triggerQuestions are the optional texts of a trigger, in form order.
var triggerQuestions = []struct{ Name, Label string }{
	{"what_happened", "What happened"},
	{"felt", "What I felt"},
	{"helped", "What helped"},
	{"need", "What I need from my partner"},
}

// triggerHeading is question name (its form label, label) as a heading on
// a partner's page: the writer's own question on their own trigger ("What
// I felt"), the writer's name on anyone else's ("What Ben felt", "What Ben
// needs from you").
func triggerHeading(sp *mend.Space, writer int64, name, label string) string {
	if writer == sp.Me.UserID {
		return label
	}
	return questionFor(name, label, inSentence(whoName(sp, writer)), "you")
}

// therapistTriggerHeading is question name as a heading for the therapist:
// "What Ana felt", "What Ana needs from Ben".
func therapistTriggerHeading(names map[int64]string, writer int64, name, label string) string {
	who, other := names[writer], ""
	if who == "" {
		who = "a former partner"
	}
	for id, n := range names {
		if id != writer {
			other = n
		}
	}
	return questionFor(name, label, who, other)
}

// questionFor words a trigger's question about who wrote it, addressed
// from their partner (from, "" when unknown); the questions about no one
// in particular keep their label.
func questionFor(name, label, who, from string) string {
	switch name {
	case "felt":
		return "What " + who + " felt"
	case "need":
		if from == "" {
			return "What " + who + " needs"
		}
		return "What " + who + " needs from " + from
	}
	return label
}

// helpedHeading names whose words the patterns' "what helped" shows, by
// the page's filter of whose triggers.
func helpedHeading(p *mend.PatternsPage) string {
	switch {
	case p.Who == string(mend.WhoMe) || p.Space.Partner == nil:
		return "What helped, in your words"
	case p.Who == string(mend.WhoPartner):
		return "What helped, in " + Possessive(p.Space.Partner.Name) + " words"
	}
	return "What helped, in your words and " + Possessive(p.Space.Partner.Name)
}

func triggerText(t *mend.Trigger, name string) string {
	switch name {
	case "what_happened":
		return t.WhatHappened
	case "felt":
		return t.Felt
	case "helped":
		return t.Helped
	case "need":
		return t.Need
	}
	return ""
}

// TriggerFormValues starts the form from t (nil for a new one).
func TriggerFormValues(t *mend.Trigger, u *mend.User, visibility mend.Visibility, formKey string) Form {
	f := Form{Values: map[string]string{"form_key": formKey, "visibility": string(visibility)}}
	if t != nil {
		f.Values["category"], f.Values["intensity"] = t.Category, strconv.Itoa(t.Intensity)
		f.Values["when"] = t.OccurredAt.In(u.Location()).Format("2006-01-02T15:04")
		for _, q := range triggerQuestions {
			f.Values[q.Name] = triggerText(t, q.Name)
		}
		f.Values["visibility"] = string(t.Visibility)
	}
	return f
}

// TriggerPath is the address of trigger id's pages.
func TriggerPath(id int64, rest string) templ.SafeURL {
	return templ.SafeURL("/triggers/" + strconv.FormatInt(id, 10) + rest)
}

func categoryWords(c string) string { return mend.Label(mend.TriggerCategories, c) }

func choiceWords(c string) string { return mend.TriggerChoiceLabel(c) }

var intensityScale = func() []Choice {
	c := make([]Choice, 11)
	for i := range c {
		c[i] = Choice{Value: strconv.Itoa(i)}
	}
	return c
}()

// hardDateLink turns a trigger about a date into the hard-date form.
func hardDateLink(t *mend.Trigger) templ.SafeURL {
	label := t.WhatHappened
	if r := []rune(label); len(r) > mend.MaxHardLabel {
		label = string(r[:mend.MaxHardLabel])
	}
	return templ.SafeURL("/hard-dates?date=" + DateValue(t.LocalDay) + "&label=" + queryEscape(label) + "#add-heading")
}

func triggerFilters(sp *mend.Space) []historyFilter {
	return []historyFilter{{"", "Both of us"}, {"me", "Mine"}, {"partner", Possessive(partnerName(sp))}}
}

func triggersURL(who, before string) templ.SafeURL {
	u := "/triggers?who=" + who
	if before != "" {
		u += "&before=" + queryEscape(before)
	}
	return templ.SafeURL(u)
}

func patternsURL(who string, weeks int) templ.SafeURL {
	return templ.SafeURL("/triggers/patterns?who=" + who + "&weeks=" + strconv.Itoa(weeks))
}

// upcomingWords says when a hard date comes: "today", "tomorrow", "in 5 days".
func upcomingWords(u mend.UpcomingDate) string {
	switch u.Days {
	case 0:
		return "today"
	case 1:
		return "tomorrow"
	}
	return "in " + strconv.Itoa(u.Days) + " days, on " + u.Next.Format("Monday 2 January")
}

// bandNames are the four parts of the day in the heatmap.
var bandNames = []struct{ Short, Long string }{
	{"Night", "Night, 0 to 6"}, {"Morn.", "Morning, 6 to 12"}, {"After.", "Afternoon, 12 to 18"}, {"Even.", "Evening, 18 to 24"},
}

// heatClass shades a heatmap cell in five steps (with the number shown, so
// nothing depends on colour alone).
func heatClass(n, max int) string {
	if n == 0 || max == 0 {
		return "heat-0"
	}
	return "heat-" + strconv.Itoa(1+int(math.Min(3, math.Floor(float64(n)*4/float64(max+1)))))
}

// WeekBars is a bar chart of triggers per week, with the average intensity
// as a line.
type WeekBars struct {
	Width, Height int
	Bars          []Bar
	Line          string      // average intensity, scaled to 0–10
	Dots          string      // the same weeks as points, so a lone week shows
	Weeks         []ChartTick // labels of some weeks, under their bars
	MaxCount      int
	Title         string
	Summary       string
}

// Bar is one week.
type Bar struct {
	X, Y, W, H float64
	Label      string
}

// TriggerWeeks draws p's weeks.
func TriggerWeeks(p *mend.PatternsPage) WeekBars {
	c := WeekBars{Width: 400, Height: 160, Title: fmt.Sprintf("Triggers per week, last %d weeks", p.Weeks)}
	// The count's scale is on the left, the intensity's (0–10) on the right.
	left, right, top, bottom := 26.0, 26.0, 8.0, 22.0
	for _, w := range p.Series {
		c.MaxCount = max(c.MaxCount, w.Count)
	}
	scaleMax := float64(max(c.MaxCount, 1))
	n := float64(len(p.Series))
	slot := (float64(c.Width) - left - right) / n
	plot := float64(c.Height) - top - bottom
	var line, dots []byte
	pen := false
	for i, w := range p.Series {
		h := float64(w.Count) / scaleMax * plot
		x := left + float64(i)*slot
		c.Bars = append(c.Bars, Bar{X: x + slot*0.15, Y: top + plot - h, W: slot * 0.7, H: h, Label: w.Week.Format("2 Jan") + ": " + strconv.Itoa(w.Count)})
		if step := max(1, len(p.Series)/4); i%step == 0 {
			c.Weeks = append(c.Weeks, ChartTick{x + slot/2, w.Week.Format("2 Jan")})
		}
		if w.Count > 0 {
			dots = append(appendPoint(append(dots, 'M'), x+slot/2, top+plot-w.Intensity/10*plot), "h0"...)
			op := byte('L')
			if !pen {
				op = 'M'
			}
			line = appendPoint(append(line, op), x+slot/2, top+plot-w.Intensity/10*plot)
			pen = true
		} else {
			pen = false
		}
	}
	c.Line, c.Dots = string(line), string(dots)
	if p.Total == 0 {
		c.Summary = fmt.Sprintf("No triggers in the last %d weeks.", p.Weeks)
	} else {
		c.Summary = fmt.Sprintf("%s in the last %d weeks, %.1f a week on average; average intensity %.1f out of 10.",
			plural(p.Total, "trigger"), p.Weeks, float64(p.Total)/float64(p.Weeks), p.Average)
	}
	return c
}

// catWidth is a category bar's length in a 100-wide row.
func catWidth(n, total int) string {
	if total == 0 {
		return "0"
	}
	return f1(float64(n) / float64(total) * 100)
}

func queryEscape(s string) string { return url.QueryEscape(s) }

// listedTriggerPath is a trigger in the list of whose it is (who: "me"
// or "partner").
func listedTriggerPath(who string, id int64) templ.SafeURL {
	return templ.SafeURL("/triggers?who=" + who + "#trigger-" + strconv.FormatInt(id, 10))
}
