package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

func fill(t *testing.T, ctx context.Context, fields ...string) {
	t.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		must(t, "fill "+fields[i], chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID(fields[i]), fields[i+1])))
	}
}

func value(t *testing.T, ctx context.Context, id string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID(id)))
	must(t, "value of "+id, err)
	return v
}

// follow clicks a link and waits for the page it opens.
func follow(t *testing.T, ctx context.Context, css string) {
	t.Helper()
	submit(t, ctx, css)
}

// TestBrowser_CoupleAndTherapistSetUp: Ana starts a space and invites Ben,
// who signs up through the link in his own browser and presses Join; Ana
// invites Tess, a therapist, who signs up through hers and accepts: she
// sees only that Ana invited her until Ben agrees on his phone; Ben then
// ends Tess's access, and her next page load is refused.
func TestBrowser_CoupleAndTherapistSetUp(t *testing.T) {
	base := startMend(t)
	ana := newBrowser(t)
	ben := newPerson(t, ana)
	tess := newPerson(t, ana)
	began := time.Now()

	// Ana signs up and starts the space.
	must(t, "Ana opens sign-up", chromedp.Do(ana, chromedp.Navigate(base+"/signup")))
	fill(t, ana, "name", "Ana", "email", "ana@example.org", "password", "we are learning to talk again")
	submit(t, ana, `form[action="/signup"] button[type=submit]`)
	confirmEmail(t, ana, "ana@example.org")
	follow(t, ana, `a[href="/couple/start"]`)
	must(t, "phone size", chromedp.Do(ana, chromedp.EmulateViewport(360, 740)))
	if !fitsWidth(t, ana) {
		t.Error("the start form is wider than a 360 px phone")
	}
	must(t, "choose", chromedp.Do(ana, chromedp.Click(chromedp.CSS(`input[name=what_happened][value=lying]`))))
	screenshot(t, ana, "start-phone.png")
	must(t, "desktop size", chromedp.Do(ana, chromedp.EmulateViewport(1280, 900)))
	submit(t, ana, `form[action="/couple/start"] button[type=submit]`)
	if p := path(t, ana); p != "/couple/invite" {
		t.Fatalf("after starting, Ana is at %s", p)
	}
	submit(t, ana, `form[action="/couple/invite"] button`)
	partnerLink := value(t, ana, "invite-link")
	screenshot(t, ana, "invite-link.png")

	// Ben, in his own browser, opens the link, signs up and joins.
	must(t, "Ben opens the link", chromedp.Do(ben, chromedp.Navigate(partnerLink)))
	if h1 := text(t, ben, "h1"); h1 != "Join your partner on Mend" {
		t.Fatalf("Ben's join page h1 = %q", h1)
	}
	follow(t, ben, `a[href^="/signup"]`)
	fill(t, ben, "name", "Ben", "email", "ben@example.org", "password", "one honest day at a time")
	submit(t, ben, `form[action="/signup"] button[type=submit]`)
	confirmEmail(t, ben, "ben@example.org")
	// Back at the invite: nothing has happened until Ben presses Join.
	if h1 := text(t, ben, "h1"); h1 != "Join your partner on Mend" {
		t.Fatalf("after signing up through the link Ben sees %q", h1)
	}
	screenshot(t, ben, "ben-invite-after-sign-up.png")
	submit(t, ben, `form[action^="/join/"] button`)
	if lead := text(t, ben, "p.lead"); lead != "You and Ana" {
		t.Fatalf("Ben's dashboard says %q", lead)
	}
	screenshot(t, ben, "ben-joined.png")

	// Ben reads Ana's starting words from his side and adds his own.
	must(t, "Ben opens Our space", chromedp.Do(ben, chromedp.Navigate(base+"/couple"), chromedp.EmulateViewport(360, 740)))
	if h := text(t, ben, "#partner-context-heading"); h != "What Ana said at the start" {
		t.Fatalf("Ben reads Ana's words under %q", h)
	}
	follow(t, ben, `a[href="/couple/context"]`)
	if !fitsWidth(t, ben) {
		t.Error("the starting-words form is wider than a 360 px phone")
	}
	must(t, "choose", chromedp.Do(ben, chromedp.Click(chromedp.CSS(`input[name=rebuilding][value=partner]`))))
	fill(t, ben, "details", "I found the messages in March.")
	screenshot(t, ben, "context-form-phone.png")
	submit(t, ben, `form[action="/couple/context"] button[type=submit]`)
	screenshot(t, ben, "couple-ben-phone.png")
	must(t, "Ana opens Our space", chromedp.Do(ana, chromedp.Navigate(base+"/couple"), chromedp.EmulateViewport(360, 740), colourScheme("dark")))
	if h := text(t, ana, "#partner-context-heading"); h != "What Ben said at the start" {
		t.Fatalf("Ana reads Ben's words under %q", h)
	}
	screenshot(t, ana, "couple-ana-phone-dark.png")
	must(t, "Ana back to desktop", chromedp.Do(ana, chromedp.EmulateViewport(1280, 900), colourScheme("light")))
	must(t, "Ben back to desktop", chromedp.Do(ben, chromedp.EmulateViewport(1280, 900)))

	// Ana invites their therapist.
	must(t, "Ana opens sharing", chromedp.Do(ana, chromedp.Navigate(base+"/sharing")))
	submit(t, ana, `form[action="/sharing/invite"] button`)
	therapistLink := value(t, ana, "invite-link")

	// Tess signs up as a therapist through the link and accepts.
	must(t, "Tess opens the link", chromedp.Do(tess, chromedp.Navigate(therapistLink)))
	follow(t, tess, `a[href^="/signup"]`)
	checked, err := chromedp.Run(tess, chromedp.Evaluate[bool](`document.querySelector("input[name=role][value=therapist]").checked`))
	must(t, "role", err)
	if !checked {
		t.Fatal("signing up from a therapist invite should preselect the therapist role")
	}
	fill(t, tess, "name", "Tess", "email", "tess@example.org", "password", "listening is most of it", "professional_name", "Dr Tess Lee")
	submit(t, tess, `form[action="/signup"] button[type=submit]`)
	confirmEmail(t, tess, "tess@example.org")
	submit(t, tess, `form[action^="/join/"] button`) // back at the invite: Accept
	// The link waits for Ben: Tess sees only who invited her.
	if p := path(t, tess); p != "/caseload" {
		t.Fatalf("after accepting Tess is at %s", p)
	}
	if card := text(t, tess, "ul.cards"); !strings.Contains(card, "Ana invited you") || strings.Contains(card, "Ben") {
		t.Fatalf("Tess's caseload while the link waits: %q", card)
	}
	screenshot(t, tess, "caseload-pending.png")

	// Ben is told on Today, and agrees on his Sharing page (on his phone).
	must(t, "Ben opens Today", chromedp.Do(ben, chromedp.Navigate(base+"/today")))
	follow(t, ben, `a[href="/sharing#therapist-heading"]`)
	must(t, "phone size", chromedp.Do(ben, chromedp.EmulateViewport(360, 740)))
	if !fitsWidth(t, ben) {
		t.Error("the sharing page with a waiting therapist is wider than a 360 px phone")
	}
	screenshot(t, ben, "sharing-pending-phone.png")
	must(t, "dark mode", chromedp.Do(ben, colourScheme("dark")))
	screenshot(t, ben, "sharing-pending-phone-dark.png")
	must(t, "light mode", chromedp.Do(ben, colourScheme("light")))
	must(t, "Ana opens sharing", chromedp.Do(ana, chromedp.Navigate(base+"/sharing")))
	screenshot(t, ana, "sharing-pending-inviter.png")
	submit(t, ben, `form[action="/sharing/agree"] button`)
	must(t, "Tess opens her caseload", chromedp.Do(tess, chromedp.Navigate(base+"/caseload")))
	follow(t, tess, `ul.cards a[href^="/caseload/"]`)
	if h1 := text(t, tess, "h1"); h1 != "Ana and Ben" {
		t.Fatalf("Tess's overview h1 = %q", h1)
	}
	overview := path(t, tess)
	setUp := time.Since(began)

	// Ben sees Tess's visit and ends her access; her next request fails.
	must(t, "Ben opens sharing", chromedp.Do(ben, chromedp.Navigate(base+"/sharing")))
	if log := text(t, ben, "#views-heading + ul"); !strings.Contains(log, "Tess looked at your line in the list of couples and your overview") {
		t.Fatalf("Ben's view log: %q", log)
	}
	screenshot(t, ben, "sharing-phone.png")
	must(t, "dark mode", chromedp.Do(ben, colourScheme("dark")))
	screenshot(t, ben, "sharing-phone-dark.png")
	must(t, "desktop size", chromedp.Do(ben, chromedp.EmulateViewport(1280, 900), colourScheme("light")))
	screenshot(t, ben, "sharing.png")
	submit(t, ben, `form[action="/sharing/end"] button`)
	resp, err := chromedp.RunResponse(tess, chromedp.Navigate(base+overview))
	must(t, "Tess reloads", err)
	if resp.Status != 404 {
		t.Fatalf("after revocation Tess gets %d, want 404", resp.Status)
	}
	if strings.Contains(text(t, tess, "main"), "Ana") {
		t.Fatal("the refused page still names the couple")
	}
	t.Logf("two partners and a therapist set up in %v of browser time", setUp.Round(time.Millisecond))
}

// colourScheme makes the page see prefers-color-scheme: scheme.
func colourScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	})
}
