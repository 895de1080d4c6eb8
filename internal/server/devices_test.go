package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mend-app/mend/internal/service"
)

// deviceCookie returns the browser's device cookie, or nil.
func (b *browser) deviceCookie() *http.Cookie {
	u, _ := url.Parse(b.app.ts.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "mend_device" {
			return c
		}
	}
	return nil
}

// setDevice puts a device cookie with value into the browser.
func (b *browser) setDevice(value string) {
	u, _ := url.Parse(b.app.ts.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "mend_device", Value: value, Path: "/"}})
}

// lockAccount spends the account's allowance for browsers without a device
// cookie and checks that the right password is then refused there.
func lockAccount(t *testing.T, app *testApp, email string) {
	t.Helper()
	stranger := app.browser()
	for i := range service.MaxAccountFailures {
		wantStatus(t, stranger.logIn(email, "guess "+strconv.Itoa(i)), http.StatusUnprocessableEntity)
	}
	res := stranger.logIn(email, testPassword)
	wantStatus(t, res, http.StatusTooManyRequests)
	if !strings.Contains(res.body, "wait 15 minutes") {
		t.Fatalf("429 page:\n%s", res.body)
	}
}

func TestHTTP_DeviceCookieLetsTheOwnerInWhileAStrangerLocksTheAccount(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	owner := app.browser()
	owner.signUp("Noor", "noor@example.org")
	wantStatus(t, owner.post("/logout", nil), http.StatusSeeOther)
	if owner.deviceCookie() == nil {
		t.Fatal("sign-up set no device cookie")
	}
	res := owner.logIn("noor@example.org", testPassword)
	wantStatus(t, res, http.StatusSeeOther)
	set := res.Cookies()
	var c *http.Cookie
	for _, sc := range set {
		if sc.Name == "mend_device" {
			c = sc
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge < 300*24*3600 || c.Secure {
		t.Fatalf("device cookie after log-in over http: %+v", c)
	}
	if strings.Contains(c.Value, "noor") {
		t.Fatal("the device cookie must not name the account")
	}
	wantStatus(t, owner.post("/logout", nil), http.StatusSeeOther)

	lockAccount(t, app, "noor@example.org")
	res = owner.logIn("noor@example.org", testPassword)
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, owner.get("/today"), http.StatusOK)
}

func TestHTTP_DeviceCookieIsSecureOverHTTPS(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, map[string]string{"MEND_BASE_URL": "https://mend.example.org"})
	b := app.browser()
	wantStatus(t, b.post("/signup", url.Values{"name": {"Noor"}, "email": {"noor@example.org"}, "password": {testPassword}, "time_zone": {"UTC"}}), http.StatusSeeOther)
	res := b.confirm("noor@example.org")
	wantStatus(t, res, http.StatusSeeOther)
	for _, c := range res.Cookies() {
		if c.Name == "__Host-mend_device" {
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
				t.Fatalf("device cookie over https: %+v", c)
			}
			return
		}
	}
	t.Fatalf("no __Host-mend_device cookie: %v", res.Header.Values("Set-Cookie"))
}

func TestHTTP_AlteredOrAnotherAccountsDeviceCookieDoesNotHelp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	noor, sami := app.browser(), app.browser()
	noor.signUp("Noor", "noor@example.org")
	sami.signUp("Sami", "sami@example.org")
	genuine := noor.deviceCookie().Value
	lockAccount(t, app, "noor@example.org")

	altered := []byte(genuine)
	altered[3] ^= 1
	for name, value := range map[string]string{
		"altered":           string(altered),
		"another account's": sami.deviceCookie().Value,
		"made up":           "AAAAAAAAAAAAAAAAAAAAAA.AAAA",
	} {
		b := app.browser()
		b.setDevice(value)
		if res := b.logIn("noor@example.org", testPassword); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("%s device cookie: status %d, want 429", name, res.StatusCode)
		}
	}
	// The genuine cookie, copied into another browser, is the device.
	b := app.browser()
	b.setDevice(genuine)
	wantStatus(t, b.logIn("noor@example.org", testPassword), http.StatusSeeOther)
}

func TestHTTP_ADeviceLocksItselfAfterTooManyFailures(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	owner := app.browser()
	owner.signUp("Noor", "noor@example.org")
	wantStatus(t, owner.post("/logout", nil), http.StatusSeeOther)
	for i := range service.MaxDeviceFailures {
		wantStatus(t, owner.logIn("noor@example.org", "guess "+strconv.Itoa(i)), http.StatusUnprocessableEntity)
	}
	res := owner.logIn("noor@example.org", testPassword)
	wantStatus(t, res, http.StatusTooManyRequests)
	if !strings.Contains(res.body, "wait 15 minutes") {
		t.Fatalf("429 page:\n%s", res.body)
	}
	// The account is not locked: another browser logs in.
	wantStatus(t, app.browser().logIn("noor@example.org", testPassword), http.StatusSeeOther)
}

func TestHTTP_SignUpsPerAddressAreLimited(t *testing.T) {
	t.Parallel()
	if app := newTestApp(t, nil); app.srv.accounts.SignUpsPerWindow != 100 {
		t.Fatalf("default sign-up limit %d, want 100", app.srv.accounts.SignUpsPerWindow)
	}
	app := newTestApp(t, map[string]string{"MEND_SIGNUP_LIMIT": "2"})
	app.browser().signUp("Ana", "ana@example.org")
	app.browser().signUp("Ben", "ben@example.org")
	res := app.browser().post("/signup", url.Values{"name": {"Cleo"}, "email": {"cleo@example.org"}, "password": {testPassword},
		"time_zone": {"America/Bogota"}, "role": {"therapist"}, "professional_name": {"Cleo R., LMFT"}})
	wantStatus(t, res, http.StatusTooManyRequests)
	if res.Header.Get("Retry-After") != "3600" {
		t.Fatalf("Retry-After %q, want the sign-up window's 3600", res.Header.Get("Retry-After"))
	}
	d := doc(t, res.body)
	if msg := text(d); !strings.Contains(msg, "Many accounts have been created from your network in the last hour") {
		t.Fatalf("429 sign-up page:\n%s", res.body)
	}
	for id, want := range map[string]string{"name": "Cleo", "email": "cleo@example.org", "professional_name": "Cleo R., LMFT"} {
		if got := attr(find(d, byID(id)), "value"); got != want {
			t.Errorf("%s not kept: %q", id, got)
		}
	}
	if attr(find(d, byID("password")), "value") != "" {
		t.Fatal("the password must never be sent back in the page")
	}
	tz := find(d, func(n *htmlNode) bool { return n.Data == "option" && attr(n, "value") == "America/Bogota" })
	if tz == nil || !hasAttr(tz, "selected") {
		t.Fatal("chosen time zone not kept")
	}
	wantStatus(t, app.browser().logIn("cleo@example.org", testPassword), http.StatusUnprocessableEntity)
	var made int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM users WHERE email_key = 'cleo@example.org'`).Scan(&made)
	if made != 0 {
		t.Fatal("the refused sign-up made an account")
	}
}
