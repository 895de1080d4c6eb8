package e2e

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/mend-app/mend/internal/mend"
)

// The commitment Ana proposes, her note on the day she missed it, and
// Ben's answer to that note.
const (
	promise   = "I call if I am late"
	missNote  = "Stuck at work, I should have called"
	benAnswer = "Thank you for telling me straight away"
)

// checked reports whether the radio or checkbox name=value is selected.
func checked(t *testing.T, ctx context.Context, name, value string) bool {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`!!document.querySelector('input[name="`+name+`"][value="`+value+`"]')?.checked`))
	must(t, "read "+name, err)
	return ok
}

// wantText fails unless the text of css is exactly want.
func wantText(t *testing.T, ctx context.Context, who, css, want string) {
	t.Helper()
	if got := text(t, ctx, css); got != want {
		t.Errorf("%s: %s reads %q, want %q", who, css, got, want)
	}
}

// TestBrowser_CommitmentProposedAgreedLoggedAnswered: Ana proposes a daily
// commitment of her own; Ben sees it waiting on Today and agrees; Ana logs
// today as an owned miss with a note; Ben answers the note, which locks
// Ana's entry; the consistency reads one owned miss of one due.
func TestBrowser_CommitmentProposedAgreedLoggedAnswered(t *testing.T) {
	base := startMend(t)
	ana := newBrowser(t)
	ben := newPerson(t, ana)
	pairAnaAndBen(t, base, ana, ben)
	for _, ctx := range []context.Context{ana, ben} {
		must(t, "phone size", chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)))
	}
	// Both chose UTC, so the commitment's first day is the UTC date of
	// Mend's clock.
	today := now().UTC()

	// 1. Ana proposes a commitment she keeps herself.
	must(t, "Ana opens commitments", chromedp.Do(ana, chromedp.Navigate(base+"/commitments")))
	if h1 := text(t, ana, "h1"); h1 != "Commitments" {
		t.Fatalf("Ana's commitments h1 = %q", h1)
	}
	// (Asking Ben instead shows what keeps an ask fair, and a sooner review.)
	follow(t, ana, `a.button[href="/commitments/new?for=partner"]`)
	wantIn(t, ana, "Ana asking Ben", "main", "Ask Ben to keep a commitment", "offered freely", "can become control")
	if got, want := value(t, ana, "review_on"), today.AddDate(0, 0, mend.AskReviewAfterDays).Format(time.DateOnly); got != want {
		t.Errorf("an ask's review is prefilled with %q, want %s (2 weeks)", got, want)
	}
	phoneFits(t, ana, "the ask form")
	screenshot(t, ana, "commitment-ask-phone.png")
	must(t, "Ana back to commitments", chromedp.Do(ana, chromedp.Navigate(base+"/commitments")))
	follow(t, ana, `a.button[href="/commitments/new"]`)
	if p := path(t, ana); p != "/commitments/new" {
		t.Fatalf("after \"Propose a commitment\", Ana is at %s", p)
	}
	if h1 := text(t, ana, "h1"); h1 != "Propose a commitment" {
		t.Fatalf("the form's h1 = %q", h1)
	}
	phoneFits(t, ana, "the new-commitment form")
	tapChoice(t, ana, "for", "me")
	fill(t, ana, "title", promise)
	tapChoice(t, ana, "rhythm", "daily")
	// The dates are prefilled: from today, reviewed four weeks on.
	if got, want := value(t, ana, "starts_on"), today.Format(time.DateOnly); got != want {
		t.Errorf("starts on is prefilled with %q, want today in UTC (%s)", got, want)
	}
	if got, want := value(t, ana, "review_on"), today.AddDate(0, 0, mend.ReviewAfterDays).Format(time.DateOnly); got != want {
		t.Errorf("review on is prefilled with %q, want %s", got, want)
	}
	if !checked(t, ana, "visibility", "partner") {
		t.Error(`"The two of us" is not preselected`)
	}
	screenshot(t, ana, "commitment-form.png")
	submit(t, ana, `form[action="/commitments"] button[type=submit]`)
	commitmentPath := path(t, ana)
	if !regexp.MustCompile(`^/commitments/[0-9]+$`).MatchString(commitmentPath) {
		t.Fatalf("after proposing, Ana is at %s, want the commitment's page", commitmentPath)
	}
	wantText(t, ana, "Ana's commitment", "h1", promise)
	wantText(t, ana, "Ana's commitment", "p.meta .tag", "Waiting for Ben to agree")
	wantIn(t, ana, "Ana's commitment", `section[aria-labelledby=pending-heading]`, "Proposed by you", "Every day", "Waiting for Ben to agree.")
	if t.Failed() {
		t.FailNow()
	}

	// 2. Ben sees on Today that it waits for him, follows the link and agrees.
	must(t, "Ben opens Today", chromedp.Do(ben, chromedp.Navigate(base+"/today")))
	wantIn(t, ben, "Ben's Today", `section[aria-labelledby=waiting-heading]`,
		"Ana proposed “"+promise+"”: it waits for your answer.")
	follow(t, ben, `section[aria-labelledby=waiting-heading] a[href="`+commitmentPath+`"]`)
	if p := path(t, ben); p != commitmentPath {
		t.Fatalf("Ben followed the link to %s, want %s", p, commitmentPath)
	}
	wantText(t, ben, "Ben's commitment", "p.meta .tag", "Waiting for your answer")
	wantText(t, ben, "Ben's commitment", "p.meta span", "Ana keeps this")
	submit(t, ben, `form[action="`+commitmentPath+`/answer"] button[name=answer][value=agree]`)
	if p := path(t, ben); p != commitmentPath {
		t.Fatalf("after agreeing, Ben is at %s", p)
	}
	wantText(t, ben, "Ben's commitment", "p.meta .tag", "Agreed")
	if t.Failed() {
		t.FailNow()
	}

	// 3. Ana logs today as an owned miss, with a note.
	must(t, "Ana opens the commitment", chromedp.Do(ana, chromedp.Navigate(base+commitmentPath)))
	wantText(t, ana, "Ana's commitment", "p.meta .tag", "Agreed")
	if !checked(t, ana, "day", today.Format(time.DateOnly)) {
		t.Error(`the log form does not preselect "Today"`)
	}
	tapChoice(t, ana, "status", "missed")
	fill(t, ana, "note", missNote)
	submit(t, ana, `form[action="`+commitmentPath+`/log"] button[type=submit]`)
	if p := path(t, ana); p != commitmentPath {
		t.Fatalf("after logging, Ana is at %s", p)
	}
	wantIn(t, ana, "Ana's log", `ol.log-entries > li`, "Owned miss", missNote)
	// Until Ben answers, Ana may still change her entry.
	wantIn(t, ana, "Ana's log", `ol.log-entries > li`, "Change this entry")
	if t.Failed() {
		t.FailNow()
	}

	// 4. Ben reads the miss and the note, and answers it.
	must(t, "Ben opens the commitment", chromedp.Do(ben, chromedp.Navigate(base+commitmentPath)))
	wantIn(t, ben, "Ben's log", `ol.log-entries > li`, "Owned miss", missNote)
	must(t, "Ben writes his answer", chromedp.Do(ben, chromedp.SendKeys(chromedp.CSS(`ol.log-entries > li input[name=response]`), benAnswer)))
	submit(t, ben, `ol.log-entries > li form[action$="/respond"] button:not([name])`)
	if p := path(t, ben); p != commitmentPath {
		t.Fatalf("after answering, Ben is at %s", p)
	}
	wantIn(t, ben, "Ben's log", `ol.log-entries > li .ack`, benAnswer)

	// Ana sees his answer, and her entry is locked.
	must(t, "Ana opens the commitment", chromedp.Do(ana, chromedp.Navigate(base+commitmentPath)))
	wantIn(t, ana, "Ana's log", `ol.log-entries > li`, "Owned miss", missNote)
	wantIn(t, ana, "Ana's log", `ol.log-entries > li .ack`, benAnswer)
	if entry := text(t, ana, `ol.log-entries > li`); strings.Contains(entry, "Change this entry") {
		t.Errorf("after Ben answered, Ana's entry still offers a change:\n%s", entry)
	}
	n, err := chromedp.Run(ana, chromedp.Evaluate[int](`document.querySelectorAll('ol.log-entries form').length`))
	must(t, "count entry forms", err)
	if n != 0 {
		t.Errorf("after Ben answered, Ana's entry has %d forms, want none", n)
	}

	// 5. One owned miss of one due: counts, not "0%", and once for the
	// three windows that hold the same occurrence.
	wantText(t, ana, "Ana's consistency", `section[aria-labelledby^=consistency-heading] .stats li:only-child`, "0 kept and 1 owned miss, of 1 due\nlast 7, 30 and 90 days")
	wantIn(t, ana, "Ana's consistency", `section[aria-labelledby^=consistency-heading]`,
		"Over the last 30 days: 0 kept and 1 owned miss, of 1 due.",
		"Since it started: 0 kept, 0 partly, 1 owned miss, 0 not logged.")

	// 6. The page on a phone, then the list and the page in dark mode.
	phoneFits(t, ana, "the commitment page")
	screenshot(t, ana, "commitment-page.png")
	must(t, "Ana opens commitments", chromedp.Do(ana, chromedp.Navigate(base+"/commitments")))
	wantIn(t, ana, "Ana's commitments", `section[aria-labelledby=active-heading]`,
		promise, "You keep this", "Every day", "Agreed", "Over the last 30 days: 0 kept and 1 owned miss, of 1 due.")
	phoneFits(t, ana, "the commitments list")
	screenshot(t, ana, "commitment-list.png")
	must(t, "dark mode", chromedp.Do(ana, darkMode()))
	must(t, "Ana opens the commitment", chromedp.Do(ana, chromedp.Navigate(base+commitmentPath)))
	phoneFits(t, ana, "the commitment page in dark mode")
	screenshot(t, ana, "commitment-page-dark.png")
}
