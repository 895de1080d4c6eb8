package mend_test

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/mend-app/mend/internal/mend"
)

func TestSessionCodec_RoundTrip(t *testing.T) {
	deadline := time.Date(2026, 12, 1, 10, 30, 0, 123, time.UTC)
	values := map[string]any{mend.SessionUserKey: int64(42), "auth_at": int64(-7), "flash": "Saved. Ünïcode too.", "empty": ""}
	b, err := mend.SessionCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	if b[0] != 0 {
		t.Fatalf("first byte %#x, want Mend's format", b[0])
	}
	again, _ := mend.SessionCodec{}.Encode(deadline, values)
	if !bytes.Equal(b, again) {
		t.Error("the same values encode to different bytes")
	}
	gotDeadline, got, err := mend.SessionCodec{}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !gotDeadline.Equal(deadline) || !reflect.DeepEqual(got, values) {
		t.Errorf("decoded %v %#v, want %v %#v", gotDeadline, got, deadline, values)
	}
	if _, got, err := (mend.SessionCodec{}).Decode(mustEncode(t, time.Now(), map[string]any{})); err != nil || len(got) != 0 {
		t.Errorf("an empty session: %v %v", got, err)
	}
}

// Sessions written with gob before (and values of other types) still read.
func TestSessionCodec_ReadsAndWritesGob(t *testing.T) {
	deadline := time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)
	old, err := scs.GobCodec{}.Encode(deadline, map[string]any{mend.SessionUserKey: int64(7), "flash": "hi"})
	if err != nil {
		t.Fatal(err)
	}
	gotDeadline, got, err := mend.SessionCodec{}.Decode(old)
	if err != nil || !gotDeadline.Equal(deadline) || got[mend.SessionUserKey] != int64(7) || got["flash"] != "hi" {
		t.Errorf("gob session: %v %#v %v", gotDeadline, got, err)
	}
	withBool := map[string]any{"remember": true, "n": int64(1)}
	b := mustEncode(t, deadline, withBool)
	if b[0] == 0 {
		t.Fatal("a bool was written in Mend's format, which has no bool")
	}
	if _, got, err := (mend.SessionCodec{}).Decode(b); err != nil || !reflect.DeepEqual(got, withBool) {
		t.Errorf("bool session: %#v %v", got, err)
	}
}

// Malformed data is an error, not a panic or a half-read session.
func TestSessionCodec_Malformed(t *testing.T) {
	good := mustEncode(t, time.Now(), map[string]any{"k": "value", "n": int64(300)})
	for i := 1; i < len(good); i++ {
		if _, _, err := (mend.SessionCodec{}).Decode(good[:i]); err == nil {
			t.Errorf("cut at %d of %d bytes: no error", i, len(good))
		}
	}
	for _, b := range [][]byte{
		append(append([]byte{}, good...), 1),             // bytes left over
		{0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, // a count larger than the data
		{0, 2, 1, 1, 'k', 'x', 1},                        // an unknown tag
	} {
		if _, _, err := (mend.SessionCodec{}).Decode(b); err == nil {
			t.Errorf("%v: no error", b)
		}
	}
}

func mustEncode(t *testing.T, deadline time.Time, values map[string]any) []byte {
	t.Helper()
	b, err := mend.SessionCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
