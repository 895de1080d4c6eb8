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

// InForce reports whether any of ps, a commitment's periods in force, has
// a day in d.
func (d Days) InForce(ps []Period) bool {
	for _, p := range ps {
		if !p.From.After(d.To) && (p.Until.IsZero() || p.Until.After(d.From)) {
			return true
		}
	}
	return false
}
