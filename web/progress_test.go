package web

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

func progressOf(t *testing.T, markers ...mend.Marker) *mend.Progress {
	t.Helper()
	today := time.Date(2026, 6, 28, 0, 0, 0, 0, time.UTC)
	r := &mend.ProgressReads{Started: today.AddDate(0, -3, 0)}
	for d := range 28 {
		day := today.AddDate(0, 0, -d)
		r.Points = append(r.Points, mend.Point{Day: day, UserID: 1, Mood: 3, Connection: 6}, mend.Point{Day: day, UserID: 2, Mood: 4, Connection: 7})
		r.Triggers = append(r.Triggers, mend.TriggerPoint{UserID: 1, Day: day, Intensity: 4})
	}
	ts := mend.NewTallies(r, today.AddDate(0, 0, -55), r.Started, func(int64) time.Time { return today })
	p := mend.BuildProgress(r, ts, []int64{1, 2}, today, 4)
	p.Markers = append(p.Markers, markers...)
	return p
}

// TestProgressCharts_MarkEveryChartOnTheSameDay: a setback, something told
// and something discovered are drawn on every chart, each by its own shape,
// at the same place along the days; and listed in words.
func TestProgressCharts_MarkEveryChartOnTheSameDay(t *testing.T) {
	day := time.Date(2026, 6, 14, 0, 0, 0, 0, time.UTC)
	p := progressOf(t, mend.Marker{Day: day, UserID: 1, Kind: mend.MarkSetback}, mend.Marker{Day: day.AddDate(0, 0, 3), UserID: 2, Kind: mend.MarkTold},
		mend.Marker{Day: day.AddDate(0, 0, 5), UserID: 1, Kind: mend.MarkDiscovered})
	charts := ProgressCharts(p, 1, map[int64]string{1: "Ana", 2: "Ben"})
	drawn := 0
	for _, c := range charts {
		if c.ID == "progress-consistency" {
			continue // no commitments: a sentence, not a chart
		}
		drawn++
		if c.Bare || len(c.Markers) != 3 {
			t.Fatalf("%s: bare %v, markers %+v", c.ID, c.Bare, c.Markers)
		}
		if c.Markers[0].X != charts[0].Markers[0].X || c.Markers[2].X != charts[0].Markers[2].X {
			t.Errorf("%s: markers at %v, the closeness chart's at %v", c.ID, c.Markers, charts[0].Markers)
		}
		var html bytes.Buffer
		if err := ChartFigure(c).Render(context.Background(), &html); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`class="marker marker-setback"`, `class="marker-head marker-told"`, `class="marker-head marker-discovered"`} {
			if !strings.Contains(html.String(), want) {
				t.Errorf("%s: no %s", c.ID, want)
			}
		}
	}
	if drawn != 5 {
		t.Errorf("%d charts drawn, want 5", drawn)
	}
	words := strings.Join(markerWords(p, 1, map[int64]string{1: "Ana", 2: "Ben"}), " ")
	for _, want := range []string{"Setbacks: 14 Jun (you).", "Told: 17 Jun (Ben).", "Discovered: 19 Jun (you)."} {
		if !strings.Contains(words, want) {
			t.Errorf("marker words %q lack %q", words, want)
		}
	}
}

// TestProgressCharts_LittleDataIsASentence: with two check-ins the mood
// chart is its reading alone, and a few due commitments read as counts.
func TestProgressCharts_LittleDataIsASentence(t *testing.T) {
	today := time.Date(2026, 6, 28, 0, 0, 0, 0, time.UTC)
	r := &mend.ProgressReads{Started: today.AddDate(0, 0, -2), Points: []mend.Point{{Day: today, UserID: 1, Mood: 3, Connection: 6}, {Day: today.AddDate(0, 0, -1), UserID: 1, Mood: 2, Connection: 5}}}
	ts := mend.NewTallies(r, today.AddDate(0, 0, -55), r.Started, func(int64) time.Time { return today })
	p := mend.BuildProgress(r, ts, []int64{1}, today, 4)
	mood := ProgressTrendChart(p, "mood", progressNames{reader: 1})
	if !mood.Bare {
		t.Error("two check-ins drawn as a chart")
	}
	var html bytes.Buffer
	if err := ChartFigure(mood).Render(context.Background(), &html); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html.String(), "<svg") || !strings.Contains(html.String(), "You: average mood 2.5 (1–5)") {
		t.Errorf("a bare chart: %s", html.String())
	}
	reg := RegularityChart(p, progressNames{reader: 1})
	if got := reg.Summary[0]; got != "You: checked in on 2 of the 3 days since the start." {
		t.Errorf("regularity reads %q", got)
	}
	few := mend.PersonProgress{Now: mend.Tally{Counted: 2, Kept: 1, Missed: 1}}
	if got := consistencySentence("You", few, 4); got != "You: 1 kept and 1 owned miss, of 2 due." {
		t.Errorf("a few due read %q", got)
	}
	one := mend.PersonProgress{Now: mend.Tally{Counted: 1, Kept: 1}}
	if got := consistencySentence("Ben", one, 4); got != "Ben: 1 kept of 1 due." {
		t.Errorf("one due reads %q", got)
	}
	enough := mend.PersonProgress{Now: mend.Tally{Counted: 8, Kept: 6, Partly: 2}, Before: mend.Tally{Counted: 10, Kept: 5, Missed: 5}}
	if got := consistencySentence("Ben", enough, 4); got != "Ben: 88% kept over the last 4 weeks (6 kept and 2 partly, of 8 due); 50% the 4 weeks before." {
		t.Errorf("enough due reads %q", got)
	}
}
