package mend

import "time"

// Days is a range of days a page shows, both ends included, as dates
// (midnight UTC, see Date).
type Days struct {
	From, To time.Time
	// Chosen is set when the reader chose the days; otherwise they are the
	// page's own.
	Chosen bool
}

// Has reports whether day falls in d.
func (d Days) Has(day time.Time) bool { return !day.Before(d.From) && !day.After(d.To) }
