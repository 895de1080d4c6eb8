package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Ben's own words in answer to Ana's trigger, and the hard date Ana adds.
const (
	benWords    = "I'll be home early tonight"
	anniversary = "Our anniversary"
)

// TestBrowser_TriggerLoggedInThreeActionsAndAnswered: Ana logs a trigger
// from the top bar in three actions (category, intensity, Save); Ben sees it
// on Today, answers "I'm here" and then in his own words, which replace his
// first answer; Ana reads his words, sees the trigger in her patterns, and
// adds a hard date that both then see coming up on Today.
func TestBrowser_TriggerLoggedInThreeActionsAndAnswered(t *testing.T) {
	base := startMend(t)
	ana := newBrowser(t)
	ben := newPerson(t, ana)
	pairAnaAndBen(t, base, ana, ben)
	for _, ctx := range []context.Context{ana, ben} {
		must(t, "phone size", chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)))
	}

	// 1. From Today, Ana logs a trigger: the top-bar link, a category, an
	// intensity and Save, timed from the first tap to the saved page.
	must(t, "Ana opens Today", chromedp.Do(ana, chromedp.Navigate(base+"/today")))
	began := time.Now()
	follow(t, ana, `header.topbar a.log-trigger`)
	if p := path(t, ana); p != "/triggers/new" {
		t.Fatalf("the top bar's \"Log a trigger\" took Ana to %s", p)
	}
	tapChoice(t, ana, "category", "place")
	tapChoice(t, ana, "intensity", "7")
	submit(t, ana, `form.trigger-form button.primary.big[type=submit]`)
	took := time.Since(began)
	t.Logf("Ana's trigger took %v from the first tap to the saved page", took.Round(time.Millisecond))
	if took > 15*time.Second {
		t.Errorf("logging took %v, the issue wants under 15 seconds", took)
	}
	// She lands on the optional minute of help, which one tap skips.
	if p := path(t, ana); !strings.HasPrefix(p, "/triggers/") || !strings.HasSuffix(p, "/minute") {
		t.Fatalf("after saving, Ana is at %s, want the minute of help", p)
	}
	must(t, "flash announced", announced(ana))
	wantText(t, ana, "Ana's minute", ".flash", "Saved. Take care of yourself.")
	wantText(t, ana, "Ana's minute", "h1", "A minute for you")
	follow(t, ana, `main a[href="/triggers"]`)
	if p := path(t, ana); p != "/triggers" {
		t.Fatalf("skipping the minute took Ana to %s, want /triggers", p)
	}
	wantIn(t, ana, "Ana's feed", `ol.cards > li.card:first-child .card-title`, "You: A place, 7 out of 10")
	if t.Failed() {
		t.FailNow()
	}

	// 2. Ben sees it on Today, follows it, and answers: first "I'm here",
	// then in his own words.
	must(t, "Ben opens Today", chromedp.Do(ben, chromedp.Navigate(base+"/today")))
	const fromAna = `section[aria-labelledby=partner-triggers-heading]`
	wantIn(t, ben, "Ben's Today", fromAna, "Ana logged a trigger", "A place, 7 out of 10")
	if t.Failed() {
		t.FailNow()
	}
	link, err := chromedp.Run(ben, chromedp.AttributeValue(chromedp.CSS(fromAna+` li a`), "href"))
	must(t, "read the link", err)
	href := link.Value
	i := strings.Index(href, "#")
	if i < 0 {
		t.Fatalf("Ben's link to the trigger has no fragment: %q", href)
	}
	card := href[i:] // #trigger-N
	follow(t, ben, fromAna+` li a`)
	if p := path(t, ben); !strings.HasPrefix(p, "/triggers?who=partner") {
		t.Fatalf("Ben followed the link to %s, want /triggers?who=partner", p)
	}
	wantIn(t, ben, "Ben's feed", card+` .card-title`, "Ana: A place, 7 out of 10")
	submit(t, ben, card+` form.actions button[name=choice][value=here]`)
	if p := path(t, ben); !strings.HasPrefix(p, "/triggers?who=partner") {
		t.Fatalf("after \"I'm here\", Ben is at %s", p)
	}
	wantIn(t, ben, "Ben's feed", card+` .ack`, "You:", "I'm here.")
	must(t, "open own words", chromedp.Do(ben, chromedp.Click(chromedp.CSS(card+` details > summary`))))
	must(t, "Ben writes", chromedp.Do(ben,
		chromedp.SendKeys(chromedp.ID("response-"+strings.TrimPrefix(card, "#trigger-")), benWords)))
	submit(t, ben, card+` details form button.primary[type=submit]`)
	if p := path(t, ben); !strings.HasPrefix(p, "/triggers?who=partner") {
		t.Fatalf("after sending, Ben is at %s", p)
	}
	wantIn(t, ben, "Ben's feed", card+` .ack`, benWords)
	if t.Failed() {
		t.FailNow()
	}

	// 3. Ana sees Ben's words, which replaced his first answer.
	must(t, "Ana opens her feed", chromedp.Do(ana, chromedp.Navigate(base+"/triggers")))
	wantIn(t, ana, "Ana's feed", card+` .ack`, "Ben:", benWords)
	n, err := chromedp.Run(ana, chromedp.Evaluate[int](`document.querySelectorAll('`+card+` .ack').length`))
	must(t, "count responses", err)
	if n != 1 {
		t.Errorf("Ana's card shows %d responses, want 1 (one per person)", n)
	}
	if got := text(t, ana, card+` .ack`); strings.Contains(got, "I'm here") {
		t.Errorf("Ben's later words should replace \"I'm here\"; Ana reads %q", got)
	}
	phoneFits(t, ana, "the trigger feed")
	screenshot(t, ana, "trigger-feed.png")

	// 4. Her patterns count the one trigger, with no weeks before the
	// space to compare with.
	must(t, "Ana opens patterns", chromedp.Do(ana, chromedp.Navigate(base+"/triggers/patterns")))
	wantIn(t, ana, "Ana's patterns", `section[aria-labelledby=reading-heading]`, "1 trigger logged today, the first day.")
	ok, err := chromedp.Run(ana, chromedp.Evaluate[bool](`!!document.querySelector('table.heatmap')`))
	must(t, "find the heatmap", err)
	if !ok {
		t.Error("Ana's patterns have no heatmap table")
	}
	wantIn(t, ana, "Ana's patterns", `ul.cat-bars`, "A place: 1")
	phoneFits(t, ana, "the patterns page")
	screenshot(t, ana, "trigger-patterns.png")

	// 5. Ana adds a hard date three days from today (UTC, on Mend's clock),
	// every year; both see it coming up on Today.
	soon := now().UTC().AddDate(0, 0, 3).Format(time.DateOnly)
	must(t, "Ana opens hard dates", chromedp.Do(ana, chromedp.Navigate(base+"/hard-dates")))
	fill(t, ana, "label", anniversary)
	must(t, "set the date", chromedp.Do(ana, chromedp.SetValue(chromedp.ID("date"), soon)))
	yearly := func() bool {
		ok, err := chromedp.Run(ana, chromedp.Evaluate[bool](`document.querySelector('input[name=yearly][type=checkbox]').checked`))
		must(t, "read every year", err)
		return ok
	}
	if !yearly() {
		must(t, "every year", chromedp.Do(ana, chromedp.Click(chromedp.CSS(`label.choice:has(input[name=yearly])`))))
	}
	if !yearly() {
		t.Fatal(`"Every year" is not ticked`)
	}
	submit(t, ana, `form[action="/hard-dates"]:has(input[name=label][type=text]) button.primary[type=submit]`)
	if p := path(t, ana); p != "/hard-dates" {
		t.Fatalf("after adding, Ana is at %s", p)
	}
	wantIn(t, ana, "Ana's hard dates", `ul.cards`, anniversary, "every year")
	for _, p := range []struct {
		who string
		ctx context.Context
	}{{"Ana's Today", ana}, {"Ben's Today", ben}} {
		must(t, p.who, chromedp.Do(p.ctx, chromedp.Navigate(base+"/today")))
		wantIn(t, p.ctx, p.who, `section[aria-labelledby=upcoming-heading]`, "Coming up", anniversary, "in 3 days")
	}

	// 6. The quick-log form on a phone, filled in, in light and dark mode.
	must(t, "Ana opens the form", chromedp.Do(ana, chromedp.Navigate(base+"/triggers/new")))
	phoneFits(t, ana, "the quick-log form")
	tapChoice(t, ana, "category", "place")
	tapChoice(t, ana, "intensity", "7")
	screenshot(t, ana, "trigger-form.png")
	must(t, "dark mode", chromedp.Do(ana, darkMode()))
	phoneFits(t, ana, "the quick-log form in dark mode")
	screenshot(t, ana, "trigger-form-dark.png")
}
