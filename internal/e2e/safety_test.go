package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/service"
)

const couplePassword = "we are learning to talk again"

// The seeded couple's words: none may show once Quick exit has been pressed.
var coupleSecrets = []string{"Zelphine", "Quorrin", "Drove past the lake house", "worried about the lake house"}

// seedCouple makes Zelphine (in London) and Quorrin a couple with a
// check-in and a trigger each can see, and links their therapist Tess.
func seedCouple(t *testing.T, svc *service.Services) (ana, ben, tess *mend.User) {
	t.Helper()
	ctx := context.Background()
	user := func(name, zone, professional string) *mend.User {
		return signUpConfirmed(t, svc, service.SignUpInput{Name: name, Email: strings.ToLower(name) + "@example.org",
			Password: couplePassword, TimeZone: zone, Therapist: professional != "", ProfessionalName: professional})
	}
	ana, ben, tess = user("Zelphine", "Europe/London", ""), user("Quorrin", "Europe/London", ""), user("Tess", "Europe/London", "Dr Tess Lee")
	_, err := svc.Couples.Start(ctx, ana, service.StartInput{WhatHappened: "affair"})
	must(t, "start", err)
	token, _, err := svc.Couples.CreateInvite(ctx, ana, mend.InvitePartner)
	must(t, "invite", err)
	_, err = svc.Couples.Accept(ctx, ben, token)
	must(t, "join", err)
	token, _, err = svc.Couples.CreateInvite(ctx, ben, mend.InviteTherapist)
	must(t, "invite Tess", err)
	_, err = svc.Couples.Accept(ctx, tess, token)
	must(t, "Tess accepts", err)
	sp, err := svc.Couples.Space(ctx, ana)
	must(t, "space", err)
	if sp.PendingLink == nil {
		t.Fatal("no link waits for Zelphine's agreement")
	}
	must(t, "Zelphine agrees to Tess", svc.Couples.AgreeToTherapist(ctx, ana, sp.PendingLink.ID))
	_, err = svc.Checkins.Save(ctx, ben, service.CheckinInput{Mood: "2", Connection: "4", Worry: "I am worried about the lake house",
		Visibility: string(mend.MyPartner)})
	must(t, "Quorrin checks in", err)
	_, err = svc.Checkins.Save(ctx, ana, service.CheckinInput{Mood: "3", Connection: "5", Visibility: string(mend.MyPartner)})
	must(t, "Zelphine checks in", err)
	_, err = svc.Triggers.Log(ctx, ana, service.TriggerInput{Category: "place", Intensity: "7",
		WhatHappened: "Drove past the lake house", Visibility: string(mend.MyPartner)})
	must(t, "trigger", err)
	return ana, ben, tess
}

// logIn logs email in through the log-in form.
func logIn(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	must(t, "open log-in", chromedp.Do(ctx, chromedp.Navigate(base+"/login")))
	fill(t, ctx, "email", email, "password", couplePassword)
	submit(t, ctx, `form[action="/login"] button[type=submit]`)
}

// neutralSite stands in for the weather site Quick exit opens.
func neutralSite(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>Weather</title><h1>Weather today</h1><p>Mild, with sunny spells.</p>`)
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/weather"
}

// showsNothingOfTheCouple fails if the open page shows the couple's names
// or words, or anything of a logged-in Mend.
func showsNothingOfTheCouple(t *testing.T, ctx context.Context, when string) {
	t.Helper()
	src := html(t, ctx)
	for _, s := range coupleSecrets {
		if strings.Contains(src, s) {
			t.Errorf("%s, the page at %s shows %q", when, path(t, ctx), s)
		}
	}
	if strings.Contains(src, `action="/logout"`) || strings.Contains(src, "data-signed-in") {
		t.Errorf("%s, the page at %s is of a logged-in Mend", when, path(t, ctx))
	}
}

// sessions counts the live sessions in the database.
func sessions(t *testing.T, db *postgres.DB) int {
	t.Helper()
	var n int
	must(t, "count sessions", db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions WHERE expiry > now()`).Scan(&n))
	return n
}

// TestBrowser_QuickExitThenBackShowsNothingOfTheCouple: Zelphine opens two
// pages of the couple, presses Quick exit and lands on the neutral site;
// her session has ended; Back, and Back again, show only the log-in page.
// Without JavaScript, Quick exit still leaves at once.
func TestBrowser_QuickExitThenBackShowsNothingOfTheCouple(t *testing.T) {
	neutral := neutralSite(t)
	base, svc, db := startMendWith(t, map[string]string{"MEND_QUICK_EXIT_URL": neutral})
	seedCouple(t, svc)
	ctx := newBrowser(t)
	logIn(t, ctx, base, "zelphine@example.org")
	must(t, "open Today", chromedp.Do(ctx, chromedp.Navigate(base+"/today")))
	wantIn(t, ctx, "Zelphine's Today", "main", "Quorrin")
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.restoredFromCache = true`))
	must(t, "mark the page", err)
	must(t, "open triggers", chromedp.Do(ctx, chromedp.Navigate(base+"/triggers")))
	wantIn(t, ctx, "Zelphine's triggers", "main", "Drove past the lake house")

	// Chromium keeps even no-store pages in its back-forward cache; a
	// logged-in page that comes back from it reloads itself from Mend.
	bctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	must(t, "back to Today", chromedp.Do(bctx, chromedp.NavigateBack()))
	cancel()
	if cached, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.restoredFromCache === true`)); err != nil || cached {
		t.Fatalf("Back showed Today from the browser's cache (%v)", err)
	}
	must(t, "open triggers again", chromedp.Do(ctx, chromedp.Navigate(base+"/triggers")))
	if n := sessions(t, db); n != 1 {
		t.Fatalf("%d sessions before Quick exit", n)
	}

	follow(t, ctx, "a.quick-exit")
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || loc != neutral {
		t.Fatalf("Quick exit led to %q (%v), want %s", loc, err, neutral)
	}
	for deadline := time.Now().Add(5 * time.Second); sessions(t, db) != 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("Quick exit did not end the session")
		}
	}

	for i, when := range []string{"after Quick exit and Back", "after one more Back"} {
		must(t, "back", chromedp.Do(ctx, chromedp.NavigateBack()))
		showsNothingOfTheCouple(t, ctx, when)
		if p := path(t, ctx); !strings.HasPrefix(p, "/login") {
			t.Errorf("%s the browser shows %s, want the log-in page", when, p)
		}
		screenshot(t, ctx, fmt.Sprintf("quick-exit-back-%d.png", i+1))
	}

	// Without JavaScript the link still leaves at once.
	plain := newPerson(t, ctx)
	must(t, "open log-in", chromedp.Do(plain, chromedp.Navigate("about:blank"), disableJavaScript()))
	logIn(t, plain, base, "quorrin@example.org")
	follow(t, plain, "a.quick-exit")
	if loc, err := chromedp.Run(plain, chromedp.Location()); err != nil || loc != neutral {
		t.Fatalf("without JavaScript Quick exit led to %q (%v)", loc, err)
	}
}

// lightMode undoes darkMode.
func lightMode() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "light"}},
		})
		return err
	})
}

// shoot saves the open page at phone and desktop widths, light and dark,
// and checks that it fits a 360 px phone.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 360, 740}, {"desktop", 1280, 900}} {
		must(t, "size", chromedp.Do(ctx, chromedp.EmulateViewport(size.w, size.h)))
		if size.name == "phone" && !fitsWidth(t, ctx) {
			t.Errorf("%s is wider than a 360 px phone", name)
		}
		screenshot(t, ctx, name+"-"+size.name+".png")
		must(t, "dark", chromedp.Do(ctx, darkMode()))
		screenshot(t, ctx, name+"-"+size.name+"-dark.png")
		must(t, "light", chromedp.Do(ctx, lightMode()))
	}
	must(t, "phone size", chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)))
}

// TestBrowser_SafetyCheckLeadsToHelpAndTheLineToTheTherapist: Zelphine, in
// London, finds the check offered on Today, answers that she is afraid,
// lands on a calm page with the UK's lines first and sends Tess the one
// line, which Tess sees on her caseload. Screenshots of every safety page.
func TestBrowser_SafetyCheckLeadsToHelpAndTheLineToTheTherapist(t *testing.T) {
	base, svc, _ := startMendWith(t, nil)
	seedCouple(t, svc)
	ana := newBrowser(t)
	tess := newPerson(t, ana)
	must(t, "phone size", chromedp.Do(ana, chromedp.EmulateViewport(360, 740)))
	logIn(t, ana, base, "zelphine@example.org")
	wantIn(t, ana, "Zelphine's Today", "#safety-offer-heading", "A moment just for you")
	must(t, "scroll to the offer", chromedp.Do(ana, chromedp.ScrollIntoView(chromedp.ID("safety-offer-heading"))))
	screenshot(t, ana, "safety-offer-phone.png")

	follow(t, ana, `a[href="/safety/check"]`)
	shoot(t, ana, "safety-check")
	tapChoice(t, ana, "afraid", "often")
	tapChoice(t, ana, "harmed", "unsure")
	submit(t, ana, `form[action="/safety/check"] button[type=submit]`)
	if p := path(t, ana); p != "/safety/check/result" {
		t.Fatalf("after the check Zelphine is at %s", p)
	}
	wantText(t, ana, "Zelphine's result", "h1", "You do not have to face this alone")
	wantIn(t, ana, "Zelphine's result", ".help-card", "United Kingdom", "0808 2000 247", "116 123", "999")
	shoot(t, ana, "safety-result")

	submit(t, ana, `form[action="/safety/flag"] button`)
	must(t, "flash shown", chromedp.Do(ana, chromedp.WaitVisible(chromedp.CSS(".flash"))))
	wantIn(t, ana, "Zelphine's result", "#flag-heading + p", "you asked Tess to talk with you alone")

	logIn(t, tess, base, "tess@example.org")
	must(t, "Tess's caseload", chromedp.Do(tess, chromedp.Navigate(base+"/caseload")))
	wantIn(t, tess, "Tess's caseload", "main", "Zelphine would like to talk to you alone")
	shoot(t, tess, "caseload-line")
	follow(t, tess, `.cards a`)
	wantIn(t, tess, "Tess's overview", ".flag-card", "Zelphine would like to talk to you alone")
	shoot(t, tess, "overview-line")

	must(t, "safety page", chromedp.Do(ana, chromedp.Navigate(base+"/safety")))
	shoot(t, ana, "safety")
	must(t, "our space", chromedp.Do(ana, chromedp.Navigate(base+"/couple#leave")))
	shoot(t, ana, "leave")
	must(t, "settings", chromedp.Do(ana, chromedp.Navigate(base+"/settings")))
	must(t, "discreet titles", chromedp.Do(ana, chromedp.Click(chromedp.CSS(`input[name=discreet_titles]`))))
	submit(t, ana, `form[action="/settings/privacy"] button`)
	must(t, "trigger form", chromedp.Do(ana, chromedp.Navigate(base+"/triggers/new")))
	if title, err := chromedp.Run(ana, chromedp.Title()); err != nil || title != "Mend" {
		t.Errorf("with discreet titles the trigger form's title is %q (%v)", title, err)
	}
	follow(t, ana, `nav a[href="/more"]`)
	submit(t, ana, `form[action="/logout"] button`)
	shoot(t, ana, "logged-out")
	must(t, "sign-up", chromedp.Do(ana, chromedp.Navigate(base+"/signup")))
	shoot(t, ana, "signup")
}
