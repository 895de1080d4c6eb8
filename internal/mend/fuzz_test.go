package mend_test

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mend-app/mend/internal/mend"
)

// FuzzParseDate: a date Mend reads is midnight UTC and writes back as the
// very text it came from; anything else is a *time.ParseError.
func FuzzParseDate(f *testing.F) {
	for _, seed := range []string{"2026-11-30", "2024-02-29", "2026-02-29", "2026-02-30", "2026-13-01", "0000-01-01",
		"9999-12-31", "99999999-12-31", "2026-1-5", " 2026-11-30", "2026-11-30T00:00", "", "-001-01-01", "２０２６-11-30"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := mend.ParseDate(s)
		if err != nil {
			var pe *time.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseDate(%q): %T %v, want a *time.ParseError", s, err, err)
			}
			return
		}
		if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q) = %v, not midnight UTC", s, d)
		}
		if back := d.Format(time.DateOnly); back != s {
			t.Fatalf("ParseDate(%q) writes back as %q", s, back)
		}
		if again, err := mend.ParseDate(d.Format(time.DateOnly)); err != nil || !again.Equal(d) {
			t.Fatalf("%v does not round-trip: %v %v", d, again, err)
		}
	})
}

// FuzzLimitCheck: a text fits its limit exactly when it has at most Max
// characters (not bytes); one that does not gets the limit's words, with
// both numbers where they ask for them, on its field only.
func FuzzLimitCheck(f *testing.F) {
	for _, seed := range []string{"", "short", strings.Repeat("é", 280), strings.Repeat("é", 281), "\xff\xfe", "a\x00b", strings.Repeat("😀", 300)} {
		f.Add(seed, 280)
	}
	f.Add("abc", 0)
	f.Fuzz(func(t *testing.T, v string, max int) {
		if max < 0 || max > 1<<16 {
			return
		}
		l := mend.Limit{Max: max, Say: mend.LimitAck.Say}
		fe := mend.FieldErrors{}
		fits := l.Check(fe, "ack", v)
		n := utf8.RuneCountInString(v)
		if fits != (n <= max) {
			t.Fatalf("%d characters, limit %d: fits = %v", n, max, fits)
		}
		if fits != (len(fe) == 0) {
			t.Fatalf("fits = %v with messages %v", fits, fe)
		}
		if !fits {
			msg := fe["ack"]
			if len(fe) != 1 || !strings.Contains(msg, "characters") || strings.Contains(msg, "%!") {
				t.Fatalf("message for %d > %d: %v", n, max, fe)
			}
			if err := fe.Err(); mend.ErrorCode(err) != mend.Invalid {
				t.Fatalf("fe.Err() = %v, want Invalid", err)
			}
		}
	})
}
