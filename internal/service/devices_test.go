package service_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// lockOut sends wrong passwords for email without a device cookie, from
// many addresses, until the account's allowance for untrusted clients is
// spent; it checks that the right password is then refused too.
func lockOut(t *testing.T, a *service.Accounts, email string) {
	t.Helper()
	ctx := context.Background()
	for i := range service.MaxAccountFailures {
		if _, _, err := a.LogInWithDevice(ctx, email, "a guess", "198.51.100."+strconv.Itoa(i), ""); mend.ErrorCode(err) != mend.Unauthorized {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	if _, _, err := a.LogInWithDevice(ctx, email, goodPassword, "203.0.113.1", ""); mend.ErrorCode(err) != mend.Throttled {
		t.Fatalf("right password without a device cookie after %d guesses: %v", service.MaxAccountFailures, err)
	}
}

// deviceOf logs in as email from a fresh browser and returns its device
// token.
func deviceOf(t *testing.T, a *service.Accounts, email string) string {
	t.Helper()
	u, token, err := a.LogInWithDevice(context.Background(), email, goodPassword, "192.0.2.9", "")
	if err != nil || u == nil || token == "" {
		t.Fatalf("log in as %s: %v", email, err)
	}
	return token
}

func TestDevices_OwnerLogsInWhileAStrangerLocksTheAccount(t *testing.T) {
	t.Parallel()
	a, _, _ := newAccounts(t)
	ctx := context.Background()
	signUp(t, a, "sam@example.org")
	token := deviceOf(t, a, "sam@example.org")
	lockOut(t, a, "sam@example.org")

	u, next, err := a.LogInWithDevice(ctx, "Sam@example.org", goodPassword, "203.0.113.1", token)
	if err != nil || u == nil || u.Email != "sam@example.org" {
		t.Fatalf("the owner's browser, under attack: %v", err)
	}
	if next == "" || next == token {
		t.Fatalf("a good log-in should hand the browser a new device token, got %q", next)
	}
	// The stranger is still locked out, and the new token works as well.
	if _, _, err := a.LogInWithDevice(ctx, "sam@example.org", goodPassword, "198.51.100.1", ""); mend.ErrorCode(err) != mend.Throttled {
		t.Fatalf("without a cookie after the owner's log-in: %v", err)
	}
	if _, _, err := a.LogInWithDevice(ctx, "sam@example.org", goodPassword, "203.0.113.1", next); err != nil {
		t.Fatalf("the new token: %v", err)
	}
	// A wrong password from the trusted device is an ordinary wrong password.
	if _, _, err := a.LogInWithDevice(ctx, "sam@example.org", "not it", "203.0.113.1", next); mend.ErrorCode(err) != mend.Unauthorized {
		t.Fatalf("wrong password with the cookie: %v", err)
	}
}

func TestDevices_AlteredForgedOrOtherAccountsCookieCountsAsNone(t *testing.T) {
	t.Parallel()
	a, db, _ := newAccounts(t)
	ctx := context.Background()
	signUp(t, a, "ira@example.org")
	signUp(t, a, "vic@example.org")
	ira := deviceOf(t, a, "ira@example.org")
	vic := deviceOf(t, a, "vic@example.org")
	lockOut(t, a, "ira@example.org")

	// The same store under another server key: its tokens are forgeries here.
	other := service.NewAccounts(db)
	forged := other.NewDeviceToken("ira@example.org")
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	for name, token := range map[string]string{
		"another account's":    vic,
		"signed elsewhere":     forged,
		"altered nonce":        flip(ira, 0),
		"altered signature":    flip(ira, len(ira)-2),
		"signature alone":      ira[len(ira)-43:],
		"no dot":               "abc",
		"the nonce of another": vic[:22] + ira[22:],
		"too long":             ira + string(make([]byte, 200)),
	} {
		if _, _, err := a.LogInWithDevice(ctx, "ira@example.org", goodPassword, "203.0.113.2", token); mend.ErrorCode(err) != mend.Throttled {
			t.Errorf("%s token: want it treated as none (Throttled), got %v", name, err)
		}
	}
	// Another account's token does not spend or help that account either.
	if _, _, err := a.LogInWithDevice(ctx, "vic@example.org", goodPassword, "203.0.113.2", vic); err != nil {
		t.Fatalf("vic's own token: %v", err)
	}
	// The genuine one still works.
	if _, _, err := a.LogInWithDevice(ctx, "ira@example.org", goodPassword, "203.0.113.2", ira); err != nil {
		t.Fatalf("ira's own token: %v", err)
	}
}

func TestDevices_ADeviceThatFailsTooOftenLocksItselfNotTheAccount(t *testing.T) {
	t.Parallel()
	a, _, clk := newAccounts(t)
	ctx := context.Background()
	signUp(t, a, "noa@example.org")
	stolen := deviceOf(t, a, "noa@example.org")
	own := deviceOf(t, a, "noa@example.org")

	for i := range service.MaxDeviceFailures {
		if _, _, err := a.LogInWithDevice(ctx, "noa@example.org", "guess "+strconv.Itoa(i), "198.51.100.7", stolen); mend.ErrorCode(err) != mend.Unauthorized {
			t.Fatalf("guess %d with the cookie: %v", i, err)
		}
	}
	_, _, err := a.LogInWithDevice(ctx, "noa@example.org", goodPassword, "198.51.100.7", stolen)
	if mend.ErrorCode(err) != mend.Throttled {
		t.Fatalf("the device after %d failures: %v", service.MaxDeviceFailures, err)
	}
	if me := err.(*mend.Error); me.Message == "" {
		t.Fatal("a locked device should be told kindly to wait")
	}
	// Its failures were not the account's: other browsers, trusted or not, log in.
	if _, _, err := a.LogInWithDevice(ctx, "noa@example.org", goodPassword, "192.0.2.30", own); err != nil {
		t.Fatalf("another trusted browser: %v", err)
	}
	if _, _, err := a.LogInWithDevice(ctx, "noa@example.org", goodPassword, "192.0.2.31", ""); err != nil {
		t.Fatalf("a browser without a cookie: %v", err)
	}
	// The lock on the device lasts the window, then it may try again.
	clk.t = clk.t.Add(service.ThrottleWindow + time.Second)
	if _, _, err := a.LogInWithDevice(ctx, "noa@example.org", goodPassword, "198.51.100.7", stolen); err != nil {
		t.Fatalf("the device after the window: %v", err)
	}
}

// An account that does not exist behaves like one that does: its
// guesses are throttled the same, with the same words, cookie or not.
func TestDevices_UnknownEmailAnswersAsAKnownOne(t *testing.T) {
	t.Parallel()
	a, _, _ := newAccounts(t)
	ctx := context.Background()
	signUp(t, a, "kit@example.org")
	token := deviceOf(t, a, "kit@example.org")
	_, _, errKnown := a.LogInWithDevice(ctx, "kit@example.org", "wrong", "192.0.2.40", token)
	_, _, errUnknown := a.LogInWithDevice(ctx, "nobody@example.org", "wrong", "192.0.2.40", token)
	if errKnown == nil || errUnknown == nil || errKnown.Error() != errUnknown.Error() {
		t.Fatalf("known %v, unknown %v", errKnown, errUnknown)
	}
}

func TestAccounts_SignUpsAreLimitedPerAddressPerHour(t *testing.T) {
	t.Parallel()
	a, db, clk := newAccounts(t)
	ctx := context.Background()
	if a.SignUpsPerWindow != service.DefaultSignUpsPerWindow || service.DefaultSignUpsPerWindow != 100 {
		t.Fatalf("default limit %d", a.SignUpsPerWindow)
	}
	a.SignUpsPerWindow = 2
	in := func(n int) service.SignUpInput {
		return service.SignUpInput{Name: "Pat", Email: "pat" + strconv.Itoa(n) + "@example.org", Password: goodPassword, TimeZone: "UTC"}
	}
	for i := range 2 {
		if _, err := a.SignUp(ctx, in(i), "192.0.2.60"); err != nil {
			t.Fatalf("sign-up %d: %v", i, err)
		}
	}
	_, err := a.SignUp(ctx, in(2), "192.0.2.60")
	if mend.ErrorCode(err) != mend.Throttled {
		t.Fatalf("third sign-up from one address: %v", err)
	}
	if _, err := a.LogIn(ctx, "pat2@example.org", goodPassword, "192.0.2.61"); mend.ErrorCode(err) != mend.Unauthorized || service.IsConfirmFirst(err) {
		t.Fatalf("the refused sign-up made an account: %v", err)
	}
	// Invalid forms are not counted: they are answered before.
	if _, err := a.SignUp(ctx, service.SignUpInput{Email: "bad"}, "192.0.2.60"); mend.ErrorCode(err) != mend.Invalid {
		t.Fatalf("invalid form: %v", err)
	}
	if _, err := a.SignUp(ctx, in(3), "192.0.2.62"); err != nil {
		t.Fatalf("another address: %v", err)
	}
	clk.t = clk.t.Add(service.SignUpWindow + time.Second)
	if n, err := a.ForgetExpired(ctx); err != nil || n < 3 {
		t.Fatalf("forget expired: %d, %v", n, err)
	}
	var left int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM signup_attempts`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("sign-ups left after an hour: %d, %v", left, err)
	}
	if _, err := a.SignUp(ctx, in(2), "192.0.2.60"); err != nil {
		t.Fatalf("after an hour: %v", err)
	}
}
