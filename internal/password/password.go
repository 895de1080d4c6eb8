// Package password hashes and checks passwords and applies Mend's password
// rules: 8 to 256 characters of any kind, no composition rules, and none of
// the most common passwords (see common-passwords.NOTICE for the list's
// source and licence).
package password

import (
	"bufio"
	"context"
	_ "embed"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
	"github.com/mend-app/mend/internal/mend"
	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// MinLength and MaxLength bound a password, in characters (not bytes).
const (
	MinLength = 8
	MaxLength = 256
)

// params are argon2id settings at OWASP's recommended minimum
// (m=19 MiB, t=2, p=1); about 100 ms per hash on a small server.
var params = &argon2id.Params{Memory: 19456, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// UseCheapHashesInTests makes the hashes made from now on cheap (1 MiB, one
// pass). Only test binaries call it, from TestMain before any test runs:
// under the race detector one hash at the real cost takes about 160 ms of
// CPU, and nearly every test signs people up and logs them in. A hash keeps its own
// parameters, so checking works whatever made it.
func UseCheapHashesInTests() {
	params = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
}

// slots bounds how many hashes run at once: each takes 19 MiB and a core,
// so a burst of log-ins waits its turn instead of exhausting memory.
var slots = make(chan struct{}, max(2, 2*runtime.NumCPU()))

// ErrBusy is returned when no hashing slot frees up before ctx ends.
var ErrBusy = &mend.Error{Code: mend.Unavailable, Message: "Mend is busy right now. Please try again in a minute."}

func withSlot[T any](ctx context.Context, f func() (T, error)) (T, error) {
	select {
	case slots <- struct{}{}:
		defer func() { <-slots }()
		return f()
	case <-ctx.Done():
		var zero T
		return zero, ErrBusy
	}
}

// Hash returns an encoded argon2id hash of pw (PHC string format). It
// returns ErrBusy if ctx ends while waiting for a hashing slot.
func Hash(ctx context.Context, pw string) (string, error) {
	return withSlot(ctx, func() (string, error) { return argon2id.CreateHash(normalize(pw), params) })
}

// Check reports whether pw matches the encoded hash. It returns ErrBusy if
// ctx ends while waiting for a slot, or an error for a malformed hash.
func Check(ctx context.Context, pw, hash string) (bool, error) {
	return withSlot(ctx, func() (bool, error) { return argon2id.ComparePasswordAndHash(normalize(pw), hash) })
}

// dummyHash is checked against when there is no account, so that a log-in
// for an unknown email takes as long as one for a known email.
var dummyHash = sync.OnceValue(func() string {
	h, err := argon2id.CreateHash("mend-dummy-password-for-timing", params)
	if err != nil {
		panic(err)
	}
	return h
})

// Prepare computes the dummy hash ahead of the first log-in for an unknown
// email, which would otherwise take twice as long as the others.
func Prepare() { dummyHash() }

// CheckNothing spends the time Check would, and always fails.
func CheckNothing(ctx context.Context, pw string) {
	_, _ = Check(ctx, pw, dummyHash())
}

// Problem returns why pw cannot be used, in words for the person choosing
// it, or "" when it is fine. personal holds the user's own words (email,
// name) that must not be the password either.
func Problem(pw string, personal ...string) string {
	n := utf8.RuneCountInString(normalize(pw))
	switch {
	case pw == "":
		return "Choose a password."
	case n < MinLength:
		return "Use at least 8 characters. A short sentence works well."
	case n > MaxLength:
		return "Use at most 256 characters."
	}
	lower := strings.ToLower(normalize(pw))
	if common()[lower] {
		return "This password is one of the most common ones, so it is easy to guess. Please choose another."
	}
	for _, p := range personal {
		if p = strings.ToLower(strings.TrimSpace(p)); p != "" && lower == p {
			return "Your password should not be your email or name."
		}
	}
	return ""
}

// normalize applies Unicode NFKC, so that a password typed on another
// keyboard or device with the same characters still matches (NIST 800-63B).
func normalize(pw string) string { return norm.NFKC.String(pw) }

//go:embed common-passwords.txt
var commonList string

var common = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 18000)
	sc := bufio.NewScanner(strings.NewReader(commonList))
	for sc.Scan() {
		m[sc.Text()] = true
	}
	return m
})

// HashWithSalt returns the argon2id hash of pw with the given salt, in the
// same format and with the same settings as Hash. It is for seeded data
// only, where one hash is computed once, reused for every seeded user, and
// must come out the same on every run; accounts people make use Hash, whose
// salt is random.
func HashWithSalt(pw string, salt []byte) string {
	key := argon2.IDKey([]byte(normalize(pw)), salt, params.Iterations, params.Memory, params.Parallelism, params.KeyLength)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, params.Memory, params.Iterations, params.Parallelism,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}
