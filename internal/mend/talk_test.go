package mend

import (
	"testing"
	"time"
)

func TestTalk_OccurrenceIsLocalAcrossDaylightSaving(t *testing.T) {
	tt := TalkTime{Weekday: time.Sunday, Start: 19 * 60, Minutes: 45, Zone: "Europe/Berlin", Status: TalkAgreed}
	for _, c := range []struct{ now, start string }{
		// Summer time: 19:00 in Berlin is 17:00 UTC.
		{"2026-10-21T12:00:00Z", "2026-10-25T18:00:00Z"}, // the clocks go back that Sunday morning: 18:00 UTC
		{"2026-10-18T17:30:00Z", "2026-10-18T17:00:00Z"}, // going on: the one that started
		{"2026-10-18T17:45:00Z", "2026-10-25T18:00:00Z"}, // just ended: the next
		{"2027-03-27T12:00:00Z", "2027-03-28T17:00:00Z"}, // the clocks go forward that Sunday
	} {
		now, _ := time.Parse(time.RFC3339, c.now)
		want, _ := time.Parse(time.RFC3339, c.start)
		start, end := tt.Occurrence(now)
		if !start.Equal(want) || end.Sub(start) != 45*time.Minute {
			t.Errorf("at %s: %s to %s, want from %s", c.now, start.UTC(), end.UTC(), c.start)
		}
	}
}

func TestTalk_NextTalkIsTheAgreedOneGoingOnOrSoonest(t *testing.T) {
	now := time.Date(2026, 12, 2, 20, 10, 0, 0, time.UTC) // a Wednesday
	ts := []TalkTime{
		{ID: 1, Weekday: time.Sunday, Start: 19 * 60, Minutes: 45, Zone: "UTC", Status: TalkAgreed},
		{ID: 2, Weekday: time.Wednesday, Start: 20 * 60, Minutes: 30, Zone: "UTC", Status: TalkAgreed},
		{ID: 3, Weekday: time.Thursday, Start: 8 * 60, Minutes: 30, Zone: "UTC", Status: TalkProposed},
	}
	if n := NextTalkOf(ts, now); n == nil || n.Time.ID != 2 || !n.Now {
		t.Fatalf("at 20:10 on Wednesday: %+v", n)
	}
	if n := NextTalkOf(ts, now.Add(30*time.Minute)); n == nil || n.Time.ID != 1 || n.Now {
		t.Fatalf("after it: %+v", n)
	}
	if n := NextTalkOf(ts[2:], now); n != nil {
		t.Fatalf("a proposal is no talk time: %+v", n)
	}
}

func TestTalk_WhoKeepsTheQuestions(t *testing.T) {
	sp := func(words ...CoupleContext) *Space {
		return &Space{Me: Member{UserID: 1}, Partner: &Member{UserID: 2}, Contexts: words}
	}
	for _, c := range []struct {
		what   string
		sp     *Space
		mayAsk bool
	}{
		{"no words", sp(), true},
		{"I rebuild", sp(CoupleContext{AuthorID: 1, Rebuilding: "me"}), false},
		{"my partner says I rebuild", sp(CoupleContext{AuthorID: 2, Rebuilding: "partner"}), false},
		{"my partner rebuilds", sp(CoupleContext{AuthorID: 1, Rebuilding: "partner"}), true},
		{"both", sp(CoupleContext{AuthorID: 2, Rebuilding: "both"}), true},
	} {
		if got := c.sp.MayAsk(); got != c.mayAsk {
			t.Errorf("%s: may ask %v", c.what, got)
		}
	}
}
