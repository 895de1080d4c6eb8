package web

import (
	"testing"

	"github.com/mend-app/mend/internal/mend"
)

func TestResponseWordsJoinWhatWasSaidAndDone(t *testing.T) {
	for _, c := range []struct {
		r    mend.TriggerResponse
		want string
	}{
		{mend.TriggerResponse{Choice: "here", Body: "Tell me when.", Did: "Made tea"}, mend.TriggerChoiceLabel("here") + " — “Tell me when.” — Made tea"},
		{mend.TriggerResponse{Body: "Tell me when."}, "“Tell me when.”"},
		{mend.TriggerResponse{Choice: "space"}, mend.TriggerChoiceLabel("space")},
	} {
		if got := responseWords(c.r); got != c.want {
			t.Errorf("responseWords(%+v) = %q, want %q", c.r, got, c.want)
		}
	}
	if earlierWaiting(1) != "One earlier log waits too" || earlierWaiting(3) != "3 earlier logs wait too" {
		t.Errorf("earlierWaiting: %q, %q", earlierWaiting(1), earlierWaiting(3))
	}
}
