package web

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

func TestAppendTenths(t *testing.T) {
	for v, want := range map[float64]string{0: "0.0", 7: "7.0", 12.34: "12.3", 12.35: "12.4", 0.04: "0.0", 399.96: "400.0"} {
		if got := string(appendTenths(nil, v)); got != want {
			t.Errorf("appendTenths(%v) = %q, want %q", v, got, want)
		}
	}
}

// A gap in the rolling average starts a new piece of line, and days without
// a check-in draw no dot.
func TestTrendChart_GapsBreakTheLine(t *testing.T) {
	nan := math.NaN()
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	tr := &mend.Trend{Weeks: 4, From: from, To: from.AddDate(0, 0, 4), Lines: []mend.TrendLine{{
		UserID: 1,
		Connection: mend.Measure{
			Daily:   []float64{5, nan, nan, nan, 10},
			Rolling: []float64{5, 5, nan, nan, 10},
			Count:   2, Average: 7.5, Previous: nan,
		},
	}}}
	c := TrendChart(tr, "connection", 1, map[int64]string{1: "Ana"}, false)
	l := c.Lines[0]
	if got := strings.Count(l.Dots, "M"); got != 2 {
		t.Errorf("%d dots for 2 check-ins: %s", got, l.Dots)
	}
	if got := strings.Count(l.Average, "M"); got != 2 || strings.Count(l.Average, "L") != 1 {
		t.Errorf("the average should be two pieces: %s", l.Average)
	}
	if l.Name != "You" || c.Summary[0] != "You: average closeness 7.5 out of 10 over the last 4 weeks (2 check-ins)." {
		t.Errorf("reading: %q %q", l.Name, c.Summary)
	}
}

// TestTrendChart_FewCheckinsAreASentence: two check-ins, on Today's small
// chart or a trends page, are a reading that says what it averages, not
// two specks; a third draws the chart.
func TestTrendChart_FewCheckinsAreASentence(t *testing.T) {
	nan := math.NaN()
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	m := mend.Measure{Daily: []float64{3, nan, 4}, Rolling: []float64{3, 3, 3.5}, Count: 2, Average: 3.5, Previous: nan}
	tr := &mend.Trend{Weeks: 4, From: from, To: from.AddDate(0, 0, 2), Lines: []mend.TrendLine{{UserID: 1, Mood: m, Connection: m}}}
	for _, small := range []bool{true, false} {
		c := TrendChart(tr, "mood", 1, nil, small)
		var html strings.Builder
		if err := ChartFigure(c).Render(context.Background(), &html); err != nil {
			t.Fatal(err)
		}
		if !c.Bare || strings.Contains(html.String(), "<svg") || !strings.Contains(html.String(), "You: average mood 3.5 (1–5) over the last 4 weeks (2 check-ins).") {
			t.Errorf("two check-ins, small %v: %s", small, html.String())
		}
	}
	m.Daily[1], m.Count = 5, 3
	tr.Lines[0].Mood = m
	if c := TrendChart(tr, "mood", 1, nil, true); c.Bare {
		t.Error("three check-ins not drawn")
	}
	// Before the space began there is nothing to compare with; after, the
	// weeks before are said with their average.
	if got := trendSentence("Ben", "connection", mend.Measure{Count: 4, Average: 6, Previous: 5}, 4); got != "Ben: average closeness 6.0 out of 10 over the last 4 weeks (4 shared check-ins), up from 5.0 the 4 weeks before." {
		t.Errorf("with the weeks before: %q", got)
	}
}

func TestCheckinWaitsSaysWhatWaitsWithoutPronouns(t *testing.T) {
	sp := &mend.Space{Partner: &mend.Member{Name: "Ben"}}
	shared := checkinWaits(sp, &mend.Checkin{Visibility: mend.MyPartner})
	if shared != "Ben sees yours, and you see Ben's, once Ben has checked in." {
		t.Errorf("shared: %q", shared)
	}
	private := checkinWaits(sp, &mend.Checkin{Visibility: mend.JustMe})
	if strings.Contains(private, "Ben sees yours") || !strings.Contains(private, "only you read it") {
		t.Errorf("private: %q", private)
	}
}
