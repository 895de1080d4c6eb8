package web

import (
	"net/url"
	"strconv"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// daysFilter is the small GET form on a therapist's page of a couple's
// entries that chooses the days listed: the same labels, button and
// messages on every such page.
type daysFilter struct {
	// Path is the page's own path, without a query.
	Path templ.SafeURL
	// Form is from and to as typed, with their problems.
	Form Form
	// Days are the days the page shows.
	Days mend.Days
	// Prefill shows Days in the fields when nothing was typed; otherwise
	// they stay empty until the reader chooses days.
	Prefill bool
	// Weeks, when not 0, is kept as a hidden field, so that choosing days
	// keeps the weeks of the charts.
	Weeks int
	// Reset, when set, names the link back to the page's own view, shown
	// while days are chosen.
	Reset string
}

// values are the fields' values: as typed, else (when Prefill, or once
// chosen) the days shown.
func (d daysFilter) values() (from, to string) {
	from, to = d.Form.Get("from"), d.Form.Get("to")
	if d.Prefill || d.Days.Chosen {
		if from == "" && d.Form.Err("from") == "" {
			from = DateValue(d.Days.From)
		}
		if to == "" && d.Form.Err("to") == "" {
			to = DateValue(d.Days.To)
		}
	}
	return from, to
}

// resetURL is the page without chosen days, keeping the weeks.
func (d daysFilter) resetURL() templ.SafeURL {
	if d.Weeks == 0 {
		return d.Path
	}
	return templ.SafeURL(string(d.Path) + "?weeks=" + strconv.Itoa(d.Weeks))
}

// daysQuery is the query that keeps chosen days in a link ("?from=…&to=…"),
// or "" while the page shows its own days.
func daysQuery(d mend.Days) string {
	if !d.Chosen {
		return ""
	}
	return "?" + url.Values{"from": {DateValue(d.From)}, "to": {DateValue(d.To)}}.Encode()
}

// spanWords names the days d for the start of a sentence: "From Monday
// 4 January 2027 to Thursday 7 January 2027", or "On Monday 4 January
// 2027" for one day.
func spanWords(d mend.Days) string {
	if d.From.Equal(d.To) {
		return "On " + LongDay(d.From)
	}
	return "From " + LongDay(d.From) + " to " + LongDay(d.To)
}
