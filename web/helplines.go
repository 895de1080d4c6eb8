package web

import (
	"strings"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// Line is one help line, reachable by a call, a text, or both.
type Line struct {
	Name, About string
	Call, Tel   string // the number as written, and for tel:
	Text, SMS   string // what to text ("START to 88788") and to which number, for sms:
}

// TelURL is the line's tel: link.
func (l Line) TelURL() templ.SafeURL { return templ.SafeURL("tel:" + l.Tel) }

// SMSURL is the line's sms: link.
func (l Line) SMSURL() templ.SafeURL { return templ.SafeURL("sms:" + l.SMS) }

// Country is where a person may be, with its help lines.
type Country struct {
	Code, Name string
	In         string // "in the United States"
	Emergency  string // the emergency number as written
	Crisis     []Line // suicide and crisis lines
	Abuse      []Line // domestic abuse lines
}

// Lines are the country's help lines, the crisis lines first or last.
func (c Country) Lines(crisisFirst bool) []Line {
	if crisisFirst {
		return append(append([]Line{}, c.Crisis...), c.Abuse...)
	}
	return append(append([]Line{}, c.Abuse...), c.Crisis...)
}

// EmergencyURL is the tel: link of the emergency number.
func (c Country) EmergencyURL() templ.SafeURL { return templ.SafeURL("tel:" + c.Emergency) }

// Countries are the countries whose help lines Mend lists, in the order
// shown to someone whose country is not guessed.
var Countries = []Country{
	{Code: "us", Name: "United States", In: "in the United States", Emergency: "911",
		Crisis: []Line{{Name: "988 Suicide & Crisis Lifeline", About: "for anyone in emotional distress or thinking about suicide, day and night",
			Call: "988", Tel: "988", Text: "988", SMS: "988"}},
		Abuse: []Line{{Name: "National Domestic Violence Hotline", About: "confidential, day and night",
			Call: "1-800-799-7233", Tel: "+18007997233", Text: "START to 88788", SMS: "88788"}}},
	{Code: "uk", Name: "United Kingdom", In: "in the United Kingdom", Emergency: "999",
		Crisis: []Line{{Name: "Samaritans", About: "for anyone who is struggling, free, day and night", Call: "116 123", Tel: "116123"}},
		Abuse: []Line{
			{Name: "National Domestic Abuse Helpline", About: "free, day and night", Call: "0808 2000 247", Tel: "08082000247"},
			{Name: "Men's Advice Line", About: "for men experiencing domestic abuse", Call: "0808 801 0327", Tel: "08088010327"},
		}},
	{Code: "ie", Name: "Ireland", In: "in Ireland", Emergency: "112",
		Crisis: []Line{{Name: "Samaritans", About: "for anyone who is struggling, free, day and night", Call: "116 123", Tel: "116123"}},
		Abuse: []Line{
			{Name: "Women's Aid", About: "free, day and night", Call: "1800 341 900", Tel: "1800341900"},
			{Name: "Male Advice Line", About: "for men experiencing domestic abuse, free", Call: "1800 816 588", Tel: "1800816588"},
		}},
	{Code: "au", Name: "Australia", In: "in Australia", Emergency: "000",
		Crisis: []Line{{Name: "Lifeline", About: "crisis support and suicide prevention, day and night",
			Call: "13 11 14", Tel: "131114", Text: "0477 13 11 14", SMS: "0477131114"}},
		Abuse: []Line{{Name: "1800RESPECT", About: "domestic, family and sexual violence counselling, day and night",
			Call: "1800 737 732", Tel: "1800737732"}}},
}

// usZones are the time zones of the United States and Puerto Rico. Most
// America/* zones are other countries' (Canada, Mexico, the Caribbean,
// South America), so the list is explicit.
var usZones = map[string]bool{
	"America/New_York": true, "America/Detroit": true, "America/Chicago": true, "America/Menominee": true,
	"America/Denver": true, "America/Boise": true, "America/Phoenix": true, "America/Los_Angeles": true,
	"America/Anchorage": true, "America/Juneau": true, "America/Sitka": true, "America/Metlakatla": true,
	"America/Yakutat": true, "America/Nome": true, "America/Adak": true, "America/Puerto_Rico": true,
	"Pacific/Honolulu": true,
}

// CountryFor guesses a person's country from their time zone: "us", "uk",
// "ie", "au", or "" when Mend lists no lines for it.
func CountryFor(timeZone string) string {
	switch {
	case usZones[timeZone] || strings.HasPrefix(timeZone, "America/Indiana/") ||
		strings.HasPrefix(timeZone, "America/Kentucky/") || strings.HasPrefix(timeZone, "America/North_Dakota/"):
		return "us"
	case timeZone == "Europe/London":
		return "uk"
	case timeZone == "Europe/Dublin":
		return "ie"
	case strings.HasPrefix(timeZone, "Australia/"):
		return "au"
	}
	return ""
}

// HelpFor returns the guessed country of u (nil for a visitor, or when
// none is guessed) and the others, in the order of Countries.
func HelpFor(u *mend.User) (mine *Country, others []Country) {
	code := ""
	if u != nil {
		code = CountryFor(u.TimeZone)
	}
	for i, c := range Countries {
		if c.Code == code {
			mine = &Countries[i]
		} else {
			others = append(others, c)
		}
	}
	return mine, others
}

// footerLine is one crisis line of the footer on every page.
type footerLine struct {
	Where string // "US", "UK and Ireland"
	Line  Line
}

// footerLines are the crisis lines of the footer: the guessed country's
// first. The UK and Ireland share Samaritans' number.
func footerLines(u *mend.User) []footerLine {
	us, ukie, au := Countries[0].Crisis[0], Countries[1].Crisis[0], Countries[3].Crisis[0]
	us.Name, ukie.Name, au.Name = "", "Samaritans", "Lifeline"
	lines := []footerLine{{"US", us}, {"UK and Ireland", ukie}, {"Australia", au}}
	first := 0
	if u != nil {
		switch CountryFor(u.TimeZone) {
		case "uk", "ie":
			first = 1
		case "au":
			first = 2
		}
	}
	return append([]footerLine{lines[first]}, append(lines[:first:first], lines[first+1:]...)...)
}
