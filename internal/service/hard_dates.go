package service

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// Hard dates: the days of the year that hurt, kept by the two partners, and
// announced on Today in the week before they come.

// NextOccurrence returns the first day on or after today on which d falls:
// its date, or for a yearly one its day this year or next. 29 February
// falls on 28 February in other years. ok is false for a one-off date that
// has passed.
func NextOccurrence(d mend.HardDate, today time.Time) (time.Time, bool) {
	if !d.Yearly {
		return d.Date, !d.Date.Before(today)
	}
	// Not before its own year: a yearly date set in a future year starts then.
	first := max(today.Year(), d.Date.Year())
	for _, y := range []int{first, first + 1} {
		if day := onYear(d.Date, y); !day.Before(today) {
			return day, true
		}
	}
	return time.Time{}, false
}

// onYear is date's month and day in year y (29 February → 28 in other years).
func onYear(date time.Time, y int) time.Time {
	m, day := date.Month(), date.Day()
	if m == time.February && day == 29 && !isLeap(y) {
		day = 28
	}
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// Upcoming returns the dates falling within days days from today (today
// included), soonest first.
func Upcoming(dates []mend.HardDate, today time.Time, days int) []mend.UpcomingDate {
	var out []mend.UpcomingDate
	for _, d := range dates {
		next, ok := NextOccurrence(d, today)
		if n := mend.DayIndex(today, next); ok && n <= days {
			out = append(out, mend.UpcomingDate{HardDate: d, Next: next, Days: n})
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Next.Before(out[j-1].Next); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// HardDates returns u's hard dates page.
func (s *Triggers) HardDates(ctx context.Context, u *mend.User) (*mend.HardDatesPage, error) {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	today := mend.Date(s.Now(), u.Location())
	dates, err := s.Store.HardDates(ctx, sp.Access)
	if err != nil {
		return nil, err
	}
	p := &mend.HardDatesPage{Space: sp, Today: today}
	for _, d := range dates {
		next, ok := NextOccurrence(d, today)
		u := mend.UpcomingDate{HardDate: d, Next: next, Days: -1}
		if ok {
			u.Days = mend.DayIndex(today, next)
		}
		p.Dates = append(p.Dates, u)
	}
	sortByNext(p.Dates)
	p.CameToLight = cameToLight(sp, dates)
	return p, nil
}

// sortByNext orders dates by their next day, soonest first; one-off dates
// that have passed (Days -1) come last, the most recent of them first.
func sortByNext(dates []mend.UpcomingDate) {
	slices.SortStableFunc(dates, func(a, b mend.UpcomingDate) int {
		switch aPast, bPast := a.Days < 0, b.Days < 0; {
		case aPast != bPast:
			if aPast {
				return 1
			}
			return -1
		case aPast:
			return b.Date.Compare(a.Date)
		}
		return a.Next.Compare(b.Next)
	})
}

// cameToLight is the day it came to light to offer as a hard date: from
// the reader's own starting words, then from their partner's shared with
// them, unless it is a hard date already. Words about an earlier pair are
// not offered: the couple's hard dates are for the two of them.
func cameToLight(sp *mend.Space, dates []mend.HardDate) *time.Time {
	for _, c := range []*mend.CoupleContext{sp.MyContext(), sp.PartnerContext()} {
		if c == nil || c.CameToLight == nil || c.Earlier {
			continue
		}
		if !slices.ContainsFunc(dates, func(d mend.HardDate) bool { return d.Date.Equal(*c.CameToLight) }) {
			return c.CameToLight
		}
	}
	return nil
}

// AddHardDate adds a hard date for u's couple. Errors: Invalid with Fields
// ("label", "date"). A form sent twice adds once.
func (s *Triggers) AddHardDate(ctx context.Context, u *mend.User, label, date string, yearly bool, formKey string) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	fe := mend.FieldErrors{}
	d := mend.HardDate{Label: strings.TrimSpace(label), Yearly: yearly}
	if d.Label == "" {
		fe.Add("label", "Give it a name only the two of you will understand.")
	}
	mend.LimitHardLabel.Check(fe, "label", d.Label)
	day, err := mend.ParseDate(strings.TrimSpace(date))
	switch {
	case err != nil:
		fe.Add("date", "Enter a date like 2026-03-14.")
	case day.Year() < 1900 || day.Year() > 2200:
		fe.Add("date", "Enter a date between 1900 and 2200.")
	default:
		d.Date = day
	}
	if err := fe.Err(); err != nil {
		return err
	}
	err = s.Store.AddHardDate(ctx, a, d, FormKeyHash(formKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return err
}

// SetHardDatePlan writes or changes the plan for the day of hard date id
// of u's couple; either partner may. An empty plan clears it. Errors:
// Invalid with Fields ("plan"); NotFound for a date u may not see.
func (s *Triggers) SetHardDatePlan(ctx context.Context, u *mend.User, id int64, plan string) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	plan = strings.TrimSpace(plan)
	fe := mend.FieldErrors{}
	mend.LimitHardPlan.Check(fe, "plan", plan)
	if err := fe.Err(); err != nil {
		return err
	}
	return s.Store.SetHardDatePlan(ctx, a, id, plan)
}

// RemoveHardDate removes hard date id of u's couple.
func (s *Triggers) RemoveHardDate(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.RemoveHardDate(ctx, a, id)
}
