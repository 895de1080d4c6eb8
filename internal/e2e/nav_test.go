package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowser_PhoneTabsReachEveryPlace: on a 360 px phone a partner's
// sections are five tabs at the foot of the screen, all inside it, the
// current one marked (More for the places under it), and every place under
// More is one tap further; on a desktop the header is one row.
func TestBrowser_PhoneTabsReachEveryPlace(t *testing.T) {
	base, svc, _ := startMendWith(t, nil)
	seedCouple(t, svc)
	ctx := newBrowser(t)
	logIn(t, ctx, base, "zelphine@example.org")
	must(t, "phone", chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)))
	for _, c := range []struct{ path, current string }{
		{"/today", "/today"}, {"/checkin", "/checkin"}, {"/triggers/patterns", "/triggers"}, {"/progress", "/more"}, {"/sharing", "/more"}, {"/settings", "/more"},
	} {
		must(t, "open "+c.path, chromedp.Do(ctx, chromedp.Navigate(base+c.path)))
		if !fitsWidth(t, ctx) {
			t.Errorf("%s is wider than the phone", c.path)
		}
		inside, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll("nav.tabs a")].every(a => {
			const r = a.getBoundingClientRect();
			return r.left >= 0 && r.right <= innerWidth && r.bottom <= innerHeight && r.top >= innerHeight - 80 && r.height >= 44;
		}) && document.querySelectorAll("nav.tabs a").length === 5`))
		must(t, "measure tabs", err)
		if !inside {
			t.Errorf("%s: the five tabs are not all at the foot of the screen, whole and 44 px high", c.path)
		}
		if cur := text(t, ctx, `nav.tabs a[aria-current="page"]`); cur == "" {
			t.Errorf("%s: no current tab", c.path)
		}
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('nav.tabs a[aria-current="page"]').getAttribute("href")`))
		must(t, "current tab", err)
		if href != c.current {
			t.Errorf("%s: the current tab is %s, want %s", c.path, href, c.current)
		}
	}
	shoot(t, ctx, "nav-more")
	follow(t, ctx, `nav a[href="/more"]`)
	for _, href := range []string{"/progress", "/couple", "/sharing", "/hard-dates", "/settings", "/safety"} {
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('main a[href="`+href+`"]').length`)); err != nil || n == 0 {
			t.Errorf("More has no link to %s (%v)", href, err)
		}
	}
	shoot(t, ctx, "nav-more-page")
	must(t, "desktop", chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)))
	oneRow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const top = el => document.querySelector(el).getBoundingClientRect();
		const b = top(".brand"), n = top("nav.tabs"), l = top(".log-trigger"), q = top(".quick-exit"), m = top("main h1");
		const same = Math.abs(b.top - n.top) < 20 && Math.abs(n.top - l.top) < 20 && Math.abs(l.top - q.top) < 20;
		const noOverlap = n.right <= l.left && l.right <= q.left;
		const aligned = Math.abs(b.left - m.left) < 2;
		return same && noOverlap && aligned;
	})()`))
	must(t, "measure header", err)
	if !oneRow {
		t.Error("on a desktop the header is not one row aligned with the content")
	}
}
