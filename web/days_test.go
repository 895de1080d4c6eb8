package web

import (
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

func TestDays_WordsAndQueryOfChosenDays(t *testing.T) {
	day := func(s string) time.Time { d, _ := mend.ParseDate(s); return d }
	one := mend.Days{From: day("2027-01-04"), To: day("2027-01-04"), Chosen: true}
	two := mend.Days{From: day("2027-01-04"), To: day("2027-01-07"), Chosen: true}
	if got := spanWords(one); got != "On Monday 4 January 2027" {
		t.Errorf("one day: %q", got)
	}
	if got := spanWords(two); got != "From Monday 4 January 2027 to Thursday 7 January 2027" {
		t.Errorf("two days: %q", got)
	}
	if got := daysQuery(two); got != "?from=2027-01-04&to=2027-01-07" {
		t.Errorf("the query of chosen days: %q", got)
	}
	two.Chosen = false
	if got := daysQuery(two); got != "" {
		t.Errorf("the query of a page's own days: %q", got)
	}
	// The fields: as typed; else the days shown, when prefilled or chosen.
	f := daysFilter{Form: Form{Values: map[string]string{"from": "soon"}, Errors: map[string]string{"from": "Enter…"}}, Days: two, Prefill: true}
	if from, to := f.values(); from != "soon" || to != "2027-01-07" {
		t.Errorf("prefilled: %q %q", from, to)
	}
	f.Prefill = false
	if from, to := f.values(); from != "soon" || to != "" {
		t.Errorf("not prefilled: %q %q", from, to)
	}
}
