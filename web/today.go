package web

import (
	"strconv"
	"strings"

	"github.com/mend-app/mend/internal/mend"
)

// earlierWaiting says how many earlier logs of a commitment wait for the
// reader besides the one shown: "One earlier log waits too" or "3 earlier
// logs wait too".
func earlierWaiting(n int) string {
	if n == 1 {
		return "One earlier log waits too"
	}
	return strconv.Itoa(n) + " earlier logs wait too"
}

// responseWords is a response to a trigger in one line: the choice, the
// words, and what was done, each after a dash: "I'm here — “Tell me when
// you want to talk.” — Made tea".
func responseWords(r mend.TriggerResponse) string {
	var parts []string
	if r.Choice != "" {
		parts = append(parts, choiceWords(r.Choice))
	}
	if r.Body != "" {
		parts = append(parts, "“"+r.Body+"”")
	}
	if r.Did != "" {
		parts = append(parts, r.Did)
	}
	return strings.Join(parts, " — ")
}

// hardDateWhen is a hard date's day, and "every year" for a yearly one.
func hardDateWhen(d mend.HardDate) string {
	if d.Yearly {
		return LongDay(d.Date) + ", every year"
	}
	return LongDay(d.Date)
}
