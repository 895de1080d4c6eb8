package web

import (
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

func TestTalk_LabelsSayWhoReadsATopicOrAQuestion(t *testing.T) {
	joined := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	sp := &mend.Space{Me: mend.Member{UserID: 1, Name: "Ana", JoinedAt: joined.Add(-time.Hour)},
		Partner: &mend.Member{UserID: 2, Name: "Ben", JoinedAt: joined}}
	now := joined.Add(48 * time.Hour)
	opens, later := joined.Add(24*time.Hour), joined.Add(72*time.Hour)
	for _, c := range []struct {
		what string
		t    mend.ParkedTopic
		want string
	}{
		{"waiting", mend.ParkedTopic{UserID: 1, CreatedAt: now, OpensAt: &later}, "Seen by you only, until the talk time starts"},
		{"no talk time", mend.ParkedTopic{UserID: 1, CreatedAt: now}, "Seen by you only, until your first agreed talk time starts"},
		{"opened", mend.ParkedTopic{UserID: 1, CreatedAt: joined.Add(time.Hour), OpensAt: &opens}, "Seen by you and Ben"},
		{"shared", mend.ParkedTopic{UserID: 1, CreatedAt: now, OpensAt: &later, SharedAt: &now}, "Seen by you and Ben"},
		{"before Ben joined", mend.ParkedTopic{UserID: 1, CreatedAt: joined.Add(-time.Minute), OpensAt: &opens}, "Seen by you only (written before Ben joined)"},
		{"Ben's", mend.ParkedTopic{UserID: 2, CreatedAt: now}, "Parked by Ben. Seen by both of you"},
	} {
		if got := topicSeenBy(sp, &c.t, now); got != c.want {
			t.Errorf("%s: %q, want %q", c.what, got, c.want)
		}
	}
	if got := questionSeenBy(sp, &mend.Question{UserID: 1, CreatedAt: joined.Add(-time.Minute)}); !strings.HasPrefix(got, "Seen by you only") {
		t.Errorf("a question asked before Ben joined: %q", got)
	}
	if got := questionSeenBy(sp, &mend.Question{UserID: 1, CreatedAt: now}); got != "Seen by you and Ben" {
		t.Errorf("a question asked since: %q", got)
	}
}

func TestTalk_TimesInTheReadersZone(t *testing.T) {
	tt := &mend.TalkTime{Weekday: time.Sunday, Start: 19 * 60, Minutes: 45, Zone: "Europe/Berlin", Status: mend.TalkAgreed}
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	berlin := &mend.User{TimeZone: "Europe/Berlin"}
	ny := &mend.User{TimeZone: "America/New_York"}
	if got := talkTimeWords(tt, now, berlin); got != "Sundays at 19:00, for 45 minutes" {
		t.Errorf("in Berlin: %q", got)
	}
	if got := talkTimeWords(tt, now, ny); got != "Sundays at 13:00, for 45 minutes (your time; 19:00 in Europe/Berlin, where it was proposed)" {
		t.Errorf("in New York: %q", got)
	}
	n := mend.NextTalkOf([]mend.TalkTime{*tt}, now)
	if got := NextTalkShort(n, ny); got != "Sunday 13:00" {
		t.Errorf("Today in New York: %q", got)
	}
	w := &mend.TalkWaiting{Next: n, Topics: 2, Questions: 1}
	if got := waitingWords(w); got != "2 topics and 1 question wait." {
		t.Errorf("waiting: %q", got)
	}
}
