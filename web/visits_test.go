package web

import (
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

func TestVisitWords_NamesEachPageOnceInTheOrderOpened(t *testing.T) {
	for _, c := range []struct {
		kinds []string
		want  string
	}{
		{[]string{"progress"}, "Tess Lee looked at your progress"},
		{[]string{"progress", "checkins", "summary"}, "Tess Lee looked at your progress, your shared check-ins and a pre-session summary"},
		{[]string{"caseload", "session-checks"}, "Tess Lee looked at your line in the list of couples and your shared answers after sessions"},
		// Kinds Mend has no words for read as a sentence, once.
		{[]string{"x-new", "sessions", "y-new"}, "Tess Lee looked at a page about you and the dates of your sessions"},
	} {
		if got := visitWords(mend.Visit{Therapist: "Tess Lee", Kinds: c.kinds}); got != c.want {
			t.Errorf("visitWords(%v) = %q, want %q", c.kinds, got, c.want)
		}
	}
}

func TestVisitWhen_InTheReadersZoneWithARangeOnlyWhenThereIsOne(t *testing.T) {
	reader := &mend.User{TimeZone: "Europe/Paris"}
	utc := func(s string) time.Time {
		t.Helper()
		at, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	for _, c := range []struct {
		from, to string
		pages    int
		want     string
	}{
		{"2026-12-01T09:02:00Z", "2026-12-01T09:02:00Z", 1, "Tue 1 Dec 2026, 10:02"},
		{"2026-12-01T09:02:00Z", "2026-12-01T09:15:00Z", 5, "Tue 1 Dec 2026, 10:02–10:15 (5 pages)"},
		{"2026-12-01T09:02:10Z", "2026-12-01T09:02:50Z", 2, "Tue 1 Dec 2026, 10:02 (2 pages)"},
		{"2026-12-01T22:50:00Z", "2026-12-01T23:10:00Z", 3, "Tue 1 Dec 2026, 23:50 – Wed 2 Dec 2026, 00:10 (3 pages)"},
	} {
		v := mend.Visit{From: utc(c.from), To: utc(c.to), Pages: c.pages}
		if got := visitWhen(v, reader); got != c.want {
			t.Errorf("visitWhen(%s–%s) = %q, want %q", c.from, c.to, got, c.want)
		}
	}
}
