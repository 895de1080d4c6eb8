package mend_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// views builds a log newest first, as the store reads it, from lines
// oldest first: "therapist minute kind".
func views(lines ...string) []mend.TherapistView {
	start := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	var out []mend.TherapistView
	for _, l := range lines {
		var id int64
		var minute int
		var kind string
		if _, err := fmt.Sscan(l, &id, &minute, &kind); err != nil {
			panic(l)
		}
		out = append(out, mend.TherapistView{TherapistID: id, TherapistName: fmt.Sprint("Therapist ", id), Kind: kind, At: start.Add(time.Duration(minute) * time.Minute)})
	}
	slices.Reverse(out)
	return out
}

func at(minute int) time.Time {
	return time.Date(2026, 12, 1, 10, minute, 0, 0, time.UTC)
}

func TestVisits_PagesWithin30MinutesOfEachOtherAreOneVisit(t *testing.T) {
	v := mend.Visits(views("1 2 overview", "1 5 progress", "1 20 checkins", "1 50 progress", "1 80 summary"))
	if len(v) != 1 {
		t.Fatalf("visits = %+v", v)
	}
	got := v[0]
	if got.TherapistID != 1 || got.Therapist != "Therapist 1" || !got.From.Equal(at(2)) || !got.To.Equal(at(80)) || got.Pages != 5 {
		t.Fatalf("visit = %+v", got)
	}
	if want := []string{"overview", "progress", "checkins", "summary"}; !slices.Equal(got.Kinds, want) {
		t.Fatalf("kinds = %v, want %v (each once, in the order first opened)", got.Kinds, want)
	}
}

func TestVisits_AGapOfMoreThan30MinutesStartsANewVisit(t *testing.T) {
	v := mend.Visits(views("1 0 overview", "1 30 progress", "1 61 checkins", "1 62 checkins"))
	if len(v) != 2 {
		t.Fatalf("visits = %+v", v)
	}
	// Newest first.
	if !v[0].From.Equal(at(61)) || !v[0].To.Equal(at(62)) || v[0].Pages != 2 || !slices.Equal(v[0].Kinds, []string{"checkins"}) {
		t.Fatalf("later visit = %+v", v[0])
	}
	if !v[1].From.Equal(at(0)) || !v[1].To.Equal(at(30)) || v[1].Pages != 2 || !slices.Equal(v[1].Kinds, []string{"overview", "progress"}) {
		t.Fatalf("earlier visit = %+v", v[1])
	}
}

func TestVisits_AnotherTherapistInBetweenEndsAVisit(t *testing.T) {
	v := mend.Visits(views("1 0 overview", "2 1 overview", "1 2 checkins", "1 3 triggers"))
	if len(v) != 3 {
		t.Fatalf("visits = %+v", v)
	}
	for i, want := range []struct {
		id    int64
		from  int
		pages int
	}{{1, 2, 2}, {2, 1, 1}, {1, 0, 1}} {
		if v[i].TherapistID != want.id || !v[i].From.Equal(at(want.from)) || v[i].Pages != want.pages {
			t.Errorf("visit %d = %+v, want therapist %d from minute %d, %d pages", i, v[i], want.id, want.from, want.pages)
		}
	}
}

func TestVisits_ADeletedTherapistIsNotMergedWithAnother(t *testing.T) {
	log := views("0 0 overview", "0 1 checkins")
	log[0].TherapistName = "A therapist"
	if v := mend.Visits(log); len(v) != 2 {
		t.Fatalf("two names under id 0 as one visit: %+v", v)
	}
	if v := mend.Visits(nil); len(v) != 0 {
		t.Fatalf("no views, visits %+v", v)
	}
}

func TestRecentVisits_LeavesOutAVisitThatMayBeMissingPages(t *testing.T) {
	log := views("1 0 overview", "1 5 checkins", "1 100 progress")
	if v, older := mend.RecentVisits(log, false); len(v) != 2 || older {
		t.Fatalf("all views read: %d visits, older %v", len(v), older)
	}
	// Older views exist: the oldest visit read may have begun earlier.
	v, older := mend.RecentVisits(log, true)
	if len(v) != 1 || !older || !v[0].From.Equal(at(100)) {
		t.Fatalf("views cut: %+v, older %v", v, older)
	}
	// One visit alone is still shown.
	if v, older := mend.RecentVisits(log[:1], true); len(v) != 1 || !older {
		t.Fatalf("one visit cut: %+v, older %v", v, older)
	}
}

func TestRecentVisits_ListsAtMostMaxVisits(t *testing.T) {
	var lines []string
	for i := range mend.MaxVisits + 1 {
		lines = append(lines, fmt.Sprintf("1 %d overview", i*31))
	}
	v, older := mend.RecentVisits(views(lines...), false)
	if len(v) != mend.MaxVisits || !older || !v[0].From.Equal(at(mend.MaxVisits*31)) {
		t.Fatalf("%d visits, older %v, newest from %v", len(v), older, v[0].From)
	}
}
