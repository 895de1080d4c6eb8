package service

import (
	"errors"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mend-app/mend/internal/mend"
)

// Fuzz tests of the service's validators of forms: what they accept is
// what the rules say, and what they refuse is an Invalid error with a
// message on the field it is about. `make fuzz` runs each for a while;
// plain `go test` runs the seeds here and in testdata/fuzz.

var fuzzToday = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// wantInvalid fails unless fe has a message on each field, and only on
// fields among allowed, and turns into an Invalid error.
func wantInvalid(t *testing.T, fe mend.FieldErrors, allowed ...string) {
	t.Helper()
	if len(fe) == 0 {
		t.Fatal("refused without a message")
	}
	for field, msg := range fe {
		if !slices.Contains(allowed, field) || strings.TrimSpace(msg) == "" {
			t.Fatalf("message %q on field %q (allowed: %v)", msg, field, allowed)
		}
	}
	if err := fe.Err(); mend.ErrorCode(err) != mend.Invalid {
		t.Fatalf("fe.Err() = %v, want Invalid", err)
	}
}

// FuzzValidEmail: an address accepted is trimmed, one plain address (as
// net/mail reads it) with a dot after its @, at most MaxEmailLength long.
func FuzzValidEmail(f *testing.F) {
	for _, s := range []string{"ana@example.org", " ana@example.org ", "ana@localhost", "Ana <ana@example.org>", "", "@", "a@b.c",
		"a\x00@example.org", "\xff@example.org", strings.Repeat("a", 250) + "@x.org", "\"a b\"@example.org", "ana@exa mple.org"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fe := mend.FieldErrors{}
		got := validEmail(fe, s)
		if got != strings.TrimSpace(s) {
			t.Fatalf("validEmail(%q) = %q, want it trimmed", s, got)
		}
		if len(fe) > 0 {
			wantInvalid(t, fe, "email")
			return
		}
		addr, err := mail.ParseAddress(got)
		if err != nil || addr.Address != got || len(got) > MaxEmailLength || !strings.Contains(got[strings.LastIndex(got, "@"):], ".") {
			t.Fatalf("validEmail accepted %q (%v)", got, err)
		}
	})
}

// FuzzValidName: a name is kept with its runs of spaces folded; it is
// accepted when it has 1 to MaxNameLength characters.
func FuzzValidName(f *testing.F) {
	for _, s := range []string{"Ana", "  Ana   Lee ", "", "   ", "\t\n", strings.Repeat("é", 100), strings.Repeat("é", 101), "A\u00a0B", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fe := mend.FieldErrors{}
		got := validName(fe, s)
		if got != strings.Join(strings.Fields(got), " ") {
			t.Fatalf("validName(%q) = %q: spaces not folded", s, got)
		}
		n := utf8.RuneCountInString(got)
		if ok := len(fe) == 0; ok != (n >= 1 && n <= MaxNameLength) {
			t.Fatalf("validName(%q) = %q (%d characters): accepted %v", s, got, n, ok)
		}
		if len(fe) > 0 {
			wantInvalid(t, fe, "name")
		}
	})
}

// FuzzScale: a number on a scale is accepted exactly when it reads as an
// integer from lo to hi.
func FuzzScale(f *testing.F) {
	for _, s := range []string{"3", " 3 ", "0", "-1", "11", "99999999999999999999", "3.0", "+3", "", "٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fe := mend.FieldErrors{}
		got := scale(fe, "mood", s, 1, 5, "Choose how you feel.")
		want, err := strconv.Atoi(strings.TrimSpace(s))
		if ok := err == nil && want >= 1 && want <= 5; ok != (len(fe) == 0) || (ok && got != want) || (!ok && got != 0) {
			t.Fatalf("scale(%q) = %d with %v", s, got, fe)
		}
		if len(fe) > 0 {
			wantInvalid(t, fe, "mood")
		}
	})
}

// FuzzCommitmentTerms: the terms of a commitment accepted have a title of
// 3 to MaxCommitmentTitle characters, a known rhythm (with days when it
// is weekdays), a start from today to a year on, a review after the start
// and within a year of it, and a visibility partners may choose.
func FuzzCommitmentTerms(f *testing.F) {
	f.Add("No visits alone", "", "daily", "", "", "2026-12-28", "partner")
	f.Add("Call at six", "Every evening", "weekdays", "0,4,6", "2026-12-01", "2027-01-01", "therapist")
	f.Add("ab", "\xff", "weekdays", "7,-1,x", "2026-11-29", "2026-11-30", "private")
	f.Add("Walk", "", "weekly", "", "2027-12-01", "2028-12-02", "partner")
	f.Add("Walk", "", "never", "", "99999999-01-01", "2026-02-30", "")
	f.Fuzz(func(t *testing.T, title, details, rhythm, weekdays, startsOn, reviewOn, visibility string) {
		in := CommitmentInput{Title: title, Details: details, Rhythm: rhythm, StartsOn: startsOn, ReviewOn: reviewOn,
			Visibility: visibility, Weekdays: strings.Split(weekdays, ",")}
		fe := mend.FieldErrors{}
		v := terms(fe, in, fuzzToday)
		if len(fe) > 0 {
			wantInvalid(t, fe, "title", mend.FieldDetails, "rhythm", "weekdays", "starts_on", "review_on", "visibility")
			return
		}
		if n := utf8.RuneCountInString(v.Title); n < 3 || n > mend.MaxCommitmentTitle || v.Title != strings.TrimSpace(v.Title) {
			t.Fatalf("title %q accepted", v.Title)
		}
		switch v.Rhythm {
		case mend.Daily, mend.Weekly, mend.EachTime:
		case mend.Weekdays:
			if v.Weekdays == 0 || v.Weekdays >= 1<<7 {
				t.Fatalf("weekdays %b accepted from %q", v.Weekdays, weekdays)
			}
		default:
			t.Fatalf("rhythm %q accepted", v.Rhythm)
		}
		if v.StartsOn.Before(fuzzToday) || v.StartsOn.After(fuzzToday.AddDate(1, 0, 0)) {
			t.Fatalf("start %v accepted", v.StartsOn)
		}
		if !v.ReviewOn.After(v.StartsOn) || v.ReviewOn.After(v.StartsOn.AddDate(1, 0, 0)) {
			t.Fatalf("review %v accepted for a start on %v", v.ReviewOn, v.StartsOn)
		}
		if v.Visibility != mend.MyPartner && v.Visibility != mend.PartnerAndTherapist {
			t.Fatalf("visibility %q accepted", v.Visibility)
		}
	})
}

// FuzzReadDays: days asked for are accepted as a range from its first day
// to its last, no later than today and at most a year long; refused, the
// default comes back with an Invalid error on "from" or "to".
func FuzzReadDays(f *testing.F) {
	for _, s := range [][2]string{{"", ""}, {"2026-11-01", "2026-11-30"}, {"2026-12-01", ""}, {"2025-11-30", "2026-11-30"},
		{"2025-11-29", "2026-11-30"}, {"2026-11-30", "2026-11-01"}, {"2026-02-30", "x"}, {"99999999-01-01", "-1"}} {
		f.Add(s[0], s[1])
	}
	def := mend.Days{From: fuzzToday.AddDate(0, 0, -27), To: fuzzToday}
	f.Fuzz(func(t *testing.T, from, to string) {
		d, err := readDays(fuzzToday, from, to, def, 0, "")
		if err != nil {
			var me *mend.Error
			if !errors.As(err, &me) || me.Code != mend.Invalid || len(me.Fields) == 0 || d != def {
				t.Fatalf("readDays(%q, %q) = %+v, %v", from, to, d, err)
			}
			wantInvalid(t, me.Fields, "from", "to")
			return
		}
		if d.From.After(d.To) || d.To.After(fuzzToday) || d.From.Before(d.To.AddDate(-1, 0, 1)) {
			t.Fatalf("readDays(%q, %q) accepted %v to %v", from, to, d.From, d.To)
		}
	})
}

// FuzzNoteAndRating: a rating is none, or an integer from 0 to 10; a note
// is kept trimmed, refused past its limit.
func FuzzNoteAndRating(f *testing.F) {
	for _, s := range [][2]string{{"", ""}, {" close again ", "8"}, {"", "-1"}, {"", "11"}, {"", "99999999999999999999"}, {"x", " 5"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, note, rating string) {
		fe := mend.FieldErrors{}
		gotNote, r := noteAndRating(fe, note, rating)
		if gotNote != strings.TrimSpace(note) {
			t.Fatalf("note %q kept as %q", note, gotNote)
		}
		n, err := strconv.Atoi(rating)
		ratingOK := rating == "" || (err == nil && n >= 0 && n <= 10)
		if _, bad := fe["rating"]; bad == ratingOK {
			t.Fatalf("rating %q: messages %v", rating, fe)
		}
		if r != nil && (rating == "" || *r != n || !ratingOK) {
			t.Fatalf("rating %q read as %d", rating, *r)
		}
		if len(fe) > 0 {
			wantInvalid(t, fe, "note", "rating")
		}
	})
}

// FuzzParseTimeOfDay: a time of day read is "15:04" and reads back as
// itself.
func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"20:00", "07:30:15", "7:30", "24:00", "23:60", "25:61", "", "20:00:00:00", "20:00 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseTimeOfDay(s)
		if !ok {
			if got != "" {
				t.Fatalf("parseTimeOfDay(%q) = %q, false", s, got)
			}
			return
		}
		if len(got) != 5 || !strings.HasPrefix(s, got) {
			t.Fatalf("parseTimeOfDay(%q) = %q", s, got)
		}
		if again, ok := parseTimeOfDay(got); !ok || again != got {
			t.Fatalf("%q does not read back: %q %v", got, again, ok)
		}
	})
}

// FuzzCheckDay: the day of a session check is a real date from
// SessionCheckDays ago to today; any other is ErrNoSessionToCheck.
func FuzzCheckDay(f *testing.F) {
	for _, s := range []string{"2026-11-30", "2026-12-01", "2026-10-01", "2026-02-30", "", "99999999-12-31", "-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := checkDay(s, fuzzToday)
		if err != nil {
			if !errors.Is(err, mend.ErrNoSessionToCheck) || !d.IsZero() {
				t.Fatalf("checkDay(%q) = %v, %v", s, d, err)
			}
			return
		}
		if d.After(fuzzToday) || d.Before(sessionCheckFrom(fuzzToday)) || d.Format(time.DateOnly) != s {
			t.Fatalf("checkDay(%q) accepted %v", s, d)
		}
	})
}

// FuzzUnsubscribeToken: a token Mend signed reads back as the person and
// setting it names; anything else is ErrUnsubscribeInvalid — and a token
// accepted is exactly the one Mend would sign for what it names.
func FuzzUnsubscribeToken(f *testing.F) {
	r := &Reminders{Key: []byte("fuzz key, fixed so seeds stay valid")}
	f.Add(r.unsubscribeToken(42, mend.SettingCheckin))
	f.Add(r.unsubscribeToken(1, mend.SettingHardDates))
	// The same signature with a stray low bit in its last character: it
	// decodes to the same bytes, but is not how Mend writes it.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	tok := r.unsubscribeToken(42, mend.SettingCheckin)
	f.Add(tok[:len(tok)-1] + string(alphabet[strings.IndexByte(alphabet, tok[len(tok)-1])^1]))
	for _, s := range []string{"", "1.checkin.", "042.checkin.AAAA", "-1.partner.x", "1.everything.AAAA", "1.checkin.AAAA.extra",
		"99999999999999999999.checkin.AAAA", strings.Repeat("1", 201)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		id, setting, err := r.parseUnsubscribe(token)
		if err != nil {
			if !errors.Is(err, ErrUnsubscribeInvalid) || id != 0 || setting != "" {
				t.Fatalf("parseUnsubscribe(%q) = %d, %q, %v", token, id, setting, err)
			}
			return
		}
		if id <= 0 || r.unsubscribeToken(id, setting) != token {
			t.Fatalf("parseUnsubscribe accepted %q for %d %q, which Mend signs otherwise", token, id, setting)
		}
		// Another key never accepts it.
		other := &Reminders{Key: []byte("another key")}
		if _, _, err := other.parseUnsubscribe(token); !errors.Is(err, ErrUnsubscribeInvalid) {
			t.Fatalf("a token signed with one key is accepted with another: %v", err)
		}
	})
}
