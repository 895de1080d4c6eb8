package mend_test

import (
	"strings"
	"testing"

	"github.com/mend-app/mend/internal/mend"
)

func TestLimit_CheckCountsCharactersAndSaysSo(t *testing.T) {
	for _, c := range []struct {
		l    mend.Limit
		v    string
		want string
	}{
		{mend.LimitAck, strings.Repeat("é", mend.MaxAck), ""},
		{mend.LimitAck, strings.Repeat("é", mend.MaxAck+1), "Please keep this to 280 characters (it is 281 now)."},
		{mend.LimitHardLabel, strings.Repeat("a", 81), "Please keep the name to 80 characters."},
		{mend.LimitContextDetails, strings.Repeat("a", 1001), "Please keep this to 1,000 characters. You can say more later, in your own time."},
	} {
		fe := mend.FieldErrors{}
		fits := c.l.Check(fe, "f", c.v)
		if fits != (c.want == "") || fe["f"] != c.want {
			t.Errorf("Check(%d runes) = %v, %q; want %q", len([]rune(c.v)), fits, fe["f"], c.want)
		}
	}
	fe := mend.FieldErrors{"f": "first"}
	mend.LimitAck.Check(fe, "f", strings.Repeat("a", 300))
	if fe["f"] != "first" {
		t.Errorf("Check replaced the field's first message: %q", fe["f"])
	}
}

func TestParseWho(t *testing.T) {
	for in, want := range map[string]mend.Who{"": mend.WhoBoth, "me": mend.WhoMe, "partner": mend.WhoPartner, "both": mend.WhoBoth, "ME": mend.WhoBoth} {
		if got := mend.ParseWho(in); got != want {
			t.Errorf("ParseWho(%q) = %q, want %q", in, got, want)
		}
	}
}
