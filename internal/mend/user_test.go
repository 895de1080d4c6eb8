package mend_test

import (
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// A zone is loaded once and then shared; an unknown one reads as UTC.
func TestUser_LocationIsLoadedOnceAndUnknownIsUTC(t *testing.T) {
	a := (&mend.User{TimeZone: "Pacific/Auckland"}).Location()
	b := (&mend.Member{TimeZone: "Pacific/Auckland"}).Location()
	if a.String() != "Pacific/Auckland" || a != b {
		t.Fatalf("Auckland: %v and %v (same: %v)", a, b, a == b)
	}
	if loc := (&mend.User{TimeZone: "Nowhere/Atlantis"}).Location(); loc != time.UTC {
		t.Fatalf("unknown zone: %v, want UTC", loc)
	}
}
