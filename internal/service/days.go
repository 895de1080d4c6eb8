package service

import (
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// dayRange is the days a therapist asked to see on a page of a couple's
// entries (see askedDays).
type dayRange struct {
	mend.Days
	// Through is the last day to read: To, or two days on when To is the
	// therapist's today, since a partner far east of the therapist may be
	// on a later date already (up to two, between UTC−11 and UTC+14).
	Through time.Time
}

// askedDays reads the days a therapist asked for, from and to
// ("2006-01-02"; either may be empty for def's end) on the therapist's
// today. It returns def (ending today, not Chosen) when both are empty,
// and also, with an Invalid error with Fields "from" and "to", when a day
// is not a date or is still to come, the first is after the last, or the
// days span more than a year: the caller draws the page of def with the
// messages beside the fields. The pages of check-ins, commitments,
// triggers and disclosures share it.
func askedDays(today time.Time, from, to string, def mend.Days) (dayRange, error) {
	d, err := readDays(today, from, to, def, 0, "")
	return dayRange{Days: d, Through: throughOf(d.To, today)}, err
}

// readDays reads days asked for as askedDays does, at most longest days
// long (0: a year), saying tooLong (and the first day allowed) when they
// are longer. It returns def with the error.
func readDays(today time.Time, from, to string, def mend.Days, longest int, tooLong string) (mend.Days, error) {
	fe := mend.FieldErrors{}
	asked := mend.Days{From: def.From, To: def.To}
	parse := func(field, v string, dst *time.Time, example time.Time, what string) {
		if v = strings.TrimSpace(v); v == "" {
			return
		}
		asked.Chosen = true
		d, err := mend.ParseDate(v)
		switch {
		case err != nil:
			fe.Add(field, "Enter the "+what+" day as a date, for example "+example.Format(time.DateOnly)+".")
		case d.After(today):
			fe.Add(field, "This day is still to come. Choose today or a day before it.")
		default:
			*dst = d
		}
	}
	parse("from", from, &asked.From, today.AddDate(0, 0, -28), "first")
	parse("to", to, &asked.To, today, "last")
	first := asked.To.AddDate(-1, 0, 1)
	if longest > 0 {
		first = asked.To.AddDate(0, 0, 1-longest)
	} else {
		tooLong = "These days span more than a year."
	}
	switch {
	case len(fe) > 0:
	case asked.From.After(asked.To):
		fe.Add("to", "The last day is before the first. Choose a last day on or after the first.")
	case asked.From.Before(first):
		fe.Add("from", tooLong+" Choose a first day on or after "+first.Format("2 January 2006")+".")
	}
	if err := fe.Err(); err != nil {
		return def, err
	}
	return asked, nil
}

// throughOf is the last day to read for days ending to: see dayRange.
func throughOf(to, today time.Time) time.Time {
	if to.Equal(today) {
		return today.AddDate(0, 0, 2)
	}
	return to
}
