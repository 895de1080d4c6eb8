package e2e

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	parkedTitle = "Christmas at my sister's"
	parkedNote  = "Whether she knows, and what we say if she asks."
)

// TestBrowser_TopicParkedOnAPhoneIsOnBothAgendasAtTheTalkTime: Ana
// proposes a talk time for this evening and Ben agrees; on her phone Ana
// parks a topic, which stays hers alone (Ben's talk page and Today show
// nothing of it); when the talk time comes (the clock moved on), both see
// it on the agenda, and Ben marks it talked through.
func TestBrowser_TopicParkedOnAPhoneIsOnBothAgendasAtTheTalkTime(t *testing.T) {
	base, svc, _ := startMendWith(t, nil)
	var ahead atomic.Int64 // how far the clock is moved on
	svc.SetClock(func() time.Time { return now().Add(time.Duration(ahead.Load())) })
	ana := newBrowser(t)
	ben := newPerson(t, ana)
	pairAnaAndBen(t, base, ana, ben)

	// 1. Ana proposes today at 18:00 (UTC, her zone; the clock says 06:00),
	// for 45 minutes; Ben agrees.
	must(t, "Ana opens Talk times", chromedp.Do(ana, chromedp.Navigate(base+"/talk")))
	weekday := strconv.Itoa(int(now().Weekday()))
	must(t, "choose the day", chromedp.Do(ana, chromedp.SetValue(chromedp.ID("weekday"), weekday)))
	must(t, "choose the time", chromedp.Do(ana, chromedp.SetValue(chromedp.ID("start"), "18:00")))
	submit(t, ana, `form[action="/talk/times"] button[type=submit]`)
	wantIn(t, ana, "Ana's talk times", `section[aria-labelledby=times-heading]`, "at 18:00, for 45 minutes", "waits for Ben to agree")
	must(t, "Ben opens Talk times", chromedp.Do(ben, chromedp.Navigate(base+"/talk")))
	submit(t, ben, `button[name=decision][value=agree]`)
	wantIn(t, ben, "Ben's talk times", `section[aria-labelledby=times-heading]`, "Agreed by both of you")
	if t.Failed() {
		t.FailNow()
	}

	// 2. On her phone, Ana parks a topic for the talk time.
	must(t, "phone size", chromedp.Do(ana, chromedp.EmulateViewport(360, 740)))
	must(t, "Ana opens Talk times", chromedp.Do(ana, chromedp.Navigate(base+"/talk")))
	fill(t, ana, "title", parkedTitle, "note", parkedNote)
	submit(t, ana, `form[action="/talk/topics"] button[value=park]`)
	must(t, "flash announced", announced(ana))
	wantIn(t, ana, "Ana's agenda", `#agenda`, "Next talk time:", parkedTitle, parkedNote, "Seen by you only, until the talk time starts")
	phoneFits(t, ana, "Ana's talk page")
	screenshot(t, ana, "talk-parked-360.png")

	// Ben sees nothing of it before the talk time: not on his talk page,
	// not on Today.
	for _, page := range []string{"/talk", "/today"} {
		must(t, "Ben opens "+page, chromedp.Do(ben, chromedp.Navigate(base+page)))
		if src := html(t, ben); strings.Contains(src, "sister") || strings.Contains(src, "1 topic") {
			t.Errorf("before the talk time, Ben's %s shows Ana's topic:\n%s", page, src)
		}
	}
	wantIn(t, ben, "Ben's Today", `section[aria-labelledby=talk-heading]`, "Next talk time:", "18:00")
	if t.Failed() {
		t.FailNow()
	}

	// 3. The talk time comes: 18:05.
	ahead.Store(int64(12*time.Hour + 5*time.Minute))
	for who, ctx := range map[string]context.Context{"Ana": ana, "Ben": ben} {
		must(t, who+" opens Talk times", chromedp.Do(ctx, chromedp.Navigate(base+"/talk")))
		wantIn(t, ctx, who+"'s agenda", `#agenda`, "Your talk time is now, until 18:45", parkedTitle, parkedNote)
	}
	screenshot(t, ana, "talk-agenda-ana-360.png")
	screenshot(t, ben, "talk-agenda-ben.png")
	if t.Failed() {
		t.FailNow()
	}

	// 4. Ben marks it talked through; Ana sees it so.
	submit(t, ben, `#agenda form[action$="/talked"] button`)
	wantIn(t, ben, "Ben's agenda", `#agenda`, "Nothing is parked.")
	must(t, "Ana reloads", chromedp.Do(ana, chromedp.Navigate(base+"/talk")))
	wantIn(t, ana, "Ana's page", `section[aria-labelledby=talked-heading]`, parkedTitle, "Talked through")
}
