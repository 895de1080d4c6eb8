package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

const (
	uaFirefoxAndroid = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
	uaSafariIPhone   = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
	uaChromeWindows  = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)

// logInWith logs a new browser in as email, from a browser that names
// itself ua, and returns it with its session's id.
func logInWith(t *testing.T, app *testApp, email, ua string) (*browser, int64) {
	t.Helper()
	b := app.browser()
	res := b.post("/login", url.Values{"email": {email}, "password": {testPassword}}, "User-Agent", ua)
	wantStatus(t, res, http.StatusSeeOther)
	var id int64
	if err := app.db.Pool.QueryRow(context.Background(), `SELECT max(id) FROM sessions WHERE user_id IS NOT NULL`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return b, id
}

// loggedIn says whether b's next request is a logged-in person's.
func loggedIn(t *testing.T, b *browser) bool {
	t.Helper()
	res := b.get("/settings")
	switch {
	case res.StatusCode == http.StatusOK:
		return true
	case res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/login"):
		return false
	}
	t.Fatalf("GET /settings: %d %s", res.StatusCode, res.Header.Get("Location"))
	return false
}

func TestSessions_ListShowsMyBrowsersWithDevicesAndNotAnothersPeople(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	// Drop the world's own sessions, so the list is only these.
	if _, err := app.db.Pool.Exec(context.Background(), `DELETE FROM sessions`); err != nil {
		t.Fatal(err)
	}
	laptop, laptopID := logInWith(t, app, w.ana.Email, uaChromeWindows)
	_, phoneID := logInWith(t, app, w.ana.Email, uaFirefoxAndroid)
	_, caraID := logInWith(t, app, w.cara.Email, uaSafariIPhone)

	// Each logged-in row names its user, when it began and the device.
	var owner int64
	var device string
	if err := app.db.Pool.QueryRow(context.Background(), `SELECT user_id, device FROM sessions WHERE id = $1`, phoneID).Scan(&owner, &device); err != nil {
		t.Fatal(err)
	}
	if owner != w.ana.ID || device != "Firefox on Android" {
		t.Fatalf("Ana's phone session: user_id %d, device %q", owner, device)
	}

	res := laptop.get("/settings/sessions")
	wantStatus(t, res, http.StatusOK)
	page := text(doc(t, res.body))
	for _, s := range []string{"Chrome on Windows This browser", "Firefox on Android", "Sign out everywhere else"} {
		if !strings.Contains(page, s) {
			t.Errorf("Ana's sessions page does not show %q:\n%s", s, page)
		}
	}
	if strings.Contains(page, "Safari on iPhone") {
		t.Errorf("Ana's sessions page shows Cara's session:\n%s", page)
	}
	// The phone has a Sign out form by its id; this browser has none.
	if !strings.Contains(res.body, `action="/settings/sessions/`+strconv.FormatInt(phoneID, 10)+`/sign-out"`) ||
		strings.Contains(res.body, `/settings/sessions/`+strconv.FormatInt(laptopID, 10)+`/sign-out`) ||
		strings.Contains(res.body, `/settings/sessions/`+strconv.FormatInt(caraID, 10)+`/sign-out`) {
		t.Errorf("sign-out forms:\n%s", res.body)
	}
	// No token is ever on the page.
	if c := laptop.sessionCookie(); c == nil || strings.Contains(res.body, c.Value) {
		t.Error("the session token is on the page (or there is no cookie)")
	}
	// Settings links to it.
	if res := laptop.get("/settings"); !strings.Contains(res.body, `href="/settings/sessions"`) {
		t.Error("Settings does not link to the sessions page")
	}
}

func TestSessions_SignOutEndsExactlyThatSession(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	laptop, _ := logInWith(t, app, w.ana.Email, uaChromeWindows)
	phone, phoneID := logInWith(t, app, w.ana.Email, uaFirefoxAndroid)
	tablet, _ := logInWith(t, app, w.ana.Email, uaSafariIPhone)
	cara, _ := logInWith(t, app, w.cara.Email, uaSafariIPhone)

	path := "/settings/sessions/" + strconv.FormatInt(phoneID, 10) + "/sign-out"
	// Not Cara's to end: 404, and the phone stays logged in.
	wantStatus(t, cara.post(path, nil), http.StatusNotFound)
	if !loggedIn(t, phone) {
		t.Fatal("Cara's request ended Ana's session")
	}

	res := laptop.post(path, nil)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/settings/sessions" {
		t.Fatalf("after signing out: %s", loc)
	}
	if res := laptop.get("/settings/sessions"); !strings.Contains(res.body, "Signed out.") || strings.Contains(res.body, "Firefox on Android") {
		t.Errorf("after signing the phone out, the page:\n%s", res.body)
	}
	if loggedIn(t, phone) {
		t.Error("the phone is still logged in")
	}
	for name, b := range map[string]*browser{"laptop": laptop, "tablet": tablet, "Cara": cara} {
		if !loggedIn(t, b) {
			t.Errorf("the %s was logged out too", name)
		}
	}
	// Twice is fine; an id nobody has is a 404.
	wantStatus(t, laptop.post(path, nil), http.StatusSeeOther)
	wantStatus(t, laptop.post("/settings/sessions/"+strconv.FormatInt(phoneID+1000, 10)+"/sign-out", nil), http.StatusNotFound)
}

func TestSessions_SignOutEverywhereElseKeepsThisOne(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	laptop, _ := logInWith(t, app, w.ana.Email, uaChromeWindows)
	phone, _ := logInWith(t, app, w.ana.Email, uaFirefoxAndroid)
	tablet, _ := logInWith(t, app, w.ana.Email, uaSafariIPhone)
	ben, _ := logInWith(t, app, w.ben.Email, uaSafariIPhone)

	res := phone.post("/settings/sessions/sign-out-others", nil)
	wantStatus(t, res, http.StatusSeeOther)
	page := phone.get("/settings/sessions")
	if !strings.Contains(page.body, "Signed out everywhere else.") || !strings.Contains(page.body, "This is the only browser where you are logged in.") {
		t.Errorf("after signing out everywhere else:\n%s", page.body)
	}
	if !loggedIn(t, phone) || !loggedIn(t, ben) {
		t.Error("this browser, or Ben's, was logged out")
	}
	if loggedIn(t, laptop) || loggedIn(t, tablet) {
		t.Error("another of Ana's browsers is still logged in")
	}
}

// TestSessions_ChangingThePasswordStillEndsTheOthers: the sessions page
// lists only what still works after a password change.
func TestSessions_ChangingThePasswordStillEndsTheOthers(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	laptop, _ := logInWith(t, app, w.ana.Email, uaChromeWindows)
	phone, _ := logInWith(t, app, w.ana.Email, uaFirefoxAndroid)
	app.advance(2e9) // the change is dated after both log-ins
	const pw = "quiet evenings, kept promises"
	wantStatus(t, laptop.post("/settings/password", url.Values{"current": {testPassword}, "new": {pw}, "confirm": {pw}}, "User-Agent", uaChromeWindows), http.StatusSeeOther)
	if res := laptop.get("/settings/sessions"); strings.Contains(res.body, "Firefox on Android") || !strings.Contains(res.body, "Chrome on Windows") {
		t.Errorf("after the password change:\n%s", res.body)
	}
	if loggedIn(t, phone) {
		t.Error("the phone is still logged in after the password change")
	}
}
