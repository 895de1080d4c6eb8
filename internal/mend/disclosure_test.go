package mend

import (
	"testing"
	"time"
)

func TestDisclosureReaders_ADraftIsTheWritersAloneAndASentOneFollowsItsSending(t *testing.T) {
	joined := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	sp := &Space{Me: Member{UserID: 1, JoinedAt: joined.AddDate(0, 0, -10)}, Partner: &Member{UserID: 2, JoinedAt: joined},
		Therapist: "Tess", Shares: Defaults{1: {KindDisclosures: true}}}
	at := func(d time.Time) *time.Time { return &d }
	for _, tc := range []struct {
		name string
		d    Disclosure
		want Readers
	}{
		{"a draft", Disclosure{UserID: 1, Visibility: PartnerAndTherapist}, Readers{}},
		{"sent to the partner", Disclosure{UserID: 1, Visibility: MyPartner, SentAt: at(joined.AddDate(0, 0, 1))}, Readers{Partner: true}},
		{"sent for the therapist too", Disclosure{UserID: 1, Visibility: PartnerAndTherapist, SentAt: at(joined.AddDate(0, 0, 1))},
			Readers{Partner: true, Therapist: true}},
		{"sent before the partner joined", Disclosure{UserID: 1, Visibility: MyPartner, SentAt: at(joined.AddDate(0, 0, -1))},
			Readers{PartnerWait: WaitBeforeJoin}},
		{"the partner's, who does not share", Disclosure{UserID: 2, Visibility: PartnerAndTherapist, SentAt: at(joined.AddDate(0, 0, 1))},
			Readers{Partner: true, TherapistWait: WaitNotShared}},
	} {
		if got := sp.DisclosureReaders(&tc.d); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
