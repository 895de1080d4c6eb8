package password

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestPassword_HashThenCheck(t *testing.T) {
	h, err := Hash(context.Background(), "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not use argon2id at OWASP parameters", h)
	}
	if ok, err := Check(context.Background(), "correct horse battery staple", h); err != nil || !ok {
		t.Fatalf("right password: ok=%v err=%v", ok, err)
	}
	if ok, _ := Check(context.Background(), "correct horse battery stapl", h); ok {
		t.Fatal("wrong password matched")
	}
}

func TestPassword_UnicodeIsNormalised(t *testing.T) {
	// "é" precomposed versus "e" + combining acute: the same to the person.
	h, err := Hash(context.Background(), "caf\u00e9 au lait tous les jours")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := Check(context.Background(), "cafe\u0301 au lait tous les jours", h); !ok {
		t.Fatal("canonically equal passwords should match")
	}
}

func TestPassword_Rules(t *testing.T) {
	cases := []struct {
		pw      string
		wantBad bool
	}{
		{"", true},
		{"short", true},
		{"1234567", true},
		{"password", true},   // most common
		{"PassWord1", true},  // common, any case
		{"iloveyou", true},   // common
		{"qwertyuiop", true}, // common
		{"kintsugi-repairs-with-gold", false},
		{"日本語のパスワードです", false}, // 11 characters, any script
		{"🙂🙂🙂🙂🙂🙂🙂🙂", false},    // 8 characters though 32 bytes
		{strings.Repeat("a", 256), false},
		{strings.Repeat("a", 257), true},
	}
	for _, c := range cases {
		if got := Problem(c.pw); (got != "") != c.wantBad {
			t.Errorf("Problem(%q) = %q, want bad=%v", c.pw, got, c.wantBad)
		}
	}
	if Problem("Sam@Example.org", "sam@example.org", "Sam") == "" {
		t.Error("a password equal to the email should be refused")
	}
}

func TestPassword_BusyWhenNoSlotFreesInTime(t *testing.T) {
	for range cap(slots) {
		slots <- struct{}{}
	}
	defer func() {
		for range cap(slots) {
			<-slots
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := Hash(ctx, "a perfectly fine passphrase"); err != ErrBusy {
		t.Fatalf("with every slot taken: %v, want ErrBusy", err)
	}
}

func TestHashWithSalt_ChecksLikeHash(t *testing.T) {
	salt := []byte("sixteen byte slt")
	h := HashWithSalt("a calm demo password", salt)
	if h != HashWithSalt("a calm demo password", salt) {
		t.Fatal("the same password and salt gave two hashes")
	}
	for pw, want := range map[string]bool{"a calm demo password": true, "another password": false} {
		if ok, err := Check(context.Background(), pw, h); err != nil || ok != want {
			t.Errorf("Check(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
}
