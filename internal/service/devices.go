package service

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/mend-app/mend/internal/mend"
)

// Device cookies, after OWASP's "Slow Down Online Guessing Attacks with
// Device Cookies": a browser where someone logged in successfully carries a
// token naming a random nonce, signed together with the account (the hash
// of its email) under the server's key. The token holds no email: on a
// shared computer it says nothing about who uses Mend. A log-in attempt
// with a valid token for the email typed is throttled per device only, so
// a stranger who exhausts the account's allowance for untrusted clients
// does not lock its owner out of the browsers they use.

// MaxDeviceFailures is how many failures a trusted device may have within
// ThrottleWindow before that device (not the account) is locked.
const MaxDeviceFailures = 10

const (
	deviceNonceBytes = 16
	deviceMACBytes   = 32
)

// LogInWithDevice is LogIn from a browser that presents device, its device
// cookie's value ("" for none). A device token that is valid for this email
// makes the attempt count only against that device's own allowance; any
// other token (altered, forged, another account's, or signed under another
// key) is treated as none. On success it returns the user and a fresh device
// token to set in the cookie. Errors as LogIn.
func (a *Accounts) LogInWithDevice(ctx context.Context, email, pw, client, device string) (*mend.User, string, error) {
	return a.LogInWithDeviceNext(ctx, email, pw, client, device, "")
}

// LogInWithDeviceNext is LogInWithDevice from a log-in form that leads to
// next (a path on this site, already checked, or ""): a new confirmation
// link sent to an unconfirmed account leads there too.
func (a *Accounts) LogInWithDeviceNext(ctx context.Context, email, pw, client, device, next string) (*mend.User, string, error) {
	email = strings.TrimSpace(email)
	u, err := a.logIn(ctx, email, pw, client, a.deviceKeyOf(email, device), next)
	if err != nil {
		return nil, "", err
	}
	return u, a.NewDeviceToken(email), nil
}

// NewDeviceToken returns a fresh device token for the account with email:
// a random nonce and the signature binding it to the account.
func (a *Accounts) NewDeviceToken(email string) string {
	nonce := make([]byte, deviceNonceBytes)
	_, _ = rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(nonce) + "." +
		base64.RawURLEncoding.EncodeToString(a.deviceMAC(email, nonce))
}

// deviceKeyOf returns the key under which a trusted device's failures are
// counted (a SHA-256 of its nonce), or nil when token is not a valid device
// token for email.
func (a *Accounts) deviceKeyOf(email, token string) []byte {
	if token == "" || len(token) > 128 {
		return nil
	}
	n, m, ok := strings.Cut(token, ".")
	if !ok {
		return nil
	}
	nonce, err1 := base64.RawURLEncoding.DecodeString(n)
	mac, err2 := base64.RawURLEncoding.DecodeString(m)
	if err1 != nil || err2 != nil || len(nonce) != deviceNonceBytes || !hmac.Equal(mac, a.deviceMAC(email, nonce)) {
		return nil
	}
	sum := sha256.Sum256(nonce)
	return sum[:]
}

// deviceMAC signs nonce together with the account of email.
func (a *Accounts) deviceMAC(email string, nonce []byte) []byte {
	h := hmac.New(sha256.New, a.DeviceKey)
	h.Write([]byte("mend-device-cookie\x00"))
	h.Write(accountKey(email))
	h.Write(nonce)
	return h.Sum(nil)[:deviceMACBytes]
}
