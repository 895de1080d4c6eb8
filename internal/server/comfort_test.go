package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// agreeAction finds the form that agrees to a comfort plan on a page.
var agreeAction = regexp.MustCompile(`action="(/comfort/\d+/agree)"`)

func TestHTTP_ComfortPlanIsSharedAgreedAndShownOnTheTriggersPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	const private, shared, changed = "Only for me: a cold glass of water", "Sit with me, no explanations yet", "Give me twenty minutes, then check on me"

	// Bad input is refused beside the field, with the words kept.
	long := strings.Repeat("a", 601)
	page := ana.get("/comfort")
	res := ana.post("/comfort", url.Values{"form_key": {formKeyOn(t, page.body)}, "body": {long}, "action": {"share"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "Please keep your plan to 600 characters") || !strings.Contains(res.body, long) {
		t.Fatalf("the refused plan is not shown again with its message:\n%s", res.body)
	}

	// A private plan stays Ana's.
	wantStatus(t, ana.post("/comfort", url.Values{"form_key": {formKeyOn(t, ana.get("/comfort").body)}, "body": {private}, "action": {"keep"}}), http.StatusSeeOther)
	if p := ana.get("/comfort").body; !strings.Contains(p, private) || !strings.Contains(p, "Seen by you only") {
		t.Fatalf("Ana's private plan and its label:\n%s", p)
	}
	for _, path := range []string{"/comfort", "/triggers", "/today"} {
		if strings.Contains(ben.get(path).body, private) {
			t.Fatalf("Ben sees Ana's private plan on %s", path)
		}
	}

	// Shared, it waits for Ben, who agrees; then it shows on his triggers page.
	wantStatus(t, ana.post("/comfort", url.Values{"form_key": {formKeyOn(t, ana.get("/comfort").body)}, "body": {shared}, "action": {"share"}}), http.StatusSeeOther)
	if p := ana.get("/comfort").body; !strings.Contains(p, "Waiting for Ben to agree.") || !strings.Contains(p, "Seen by you and Ben") {
		t.Fatalf("Ana's shared plan:\n%s", p)
	}
	if p := ben.get("/triggers").body; !strings.Contains(p, "Ana wrote what helps them when a trigger hits, and asks you to agree") {
		t.Fatalf("Ben's triggers page does not say Ana's plan waits:\n%s", p)
	}
	p := ben.get("/comfort").body
	m := agreeAction.FindStringSubmatch(p)
	if m == nil || !strings.Contains(p, shared) || strings.Contains(p, private) {
		t.Fatalf("Ben's comfort page:\n%s", p)
	}
	// Ana cannot agree to her own plan.
	wantStatus(t, ana.post(m[1], nil), http.StatusNotFound)
	wantStatus(t, ben.post(m[1], nil), http.StatusSeeOther)
	wantStatus(t, ben.post(m[1], nil), http.StatusNotFound)
	if p := ben.get("/triggers").body; !strings.Contains(p, "What helps Ana") || !strings.Contains(p, shared) {
		t.Fatalf("Ben's triggers page does not show Ana's agreed plan:\n%s", p)
	}
	if p := ana.get("/comfort").body; !strings.Contains(p, "Ben agreed to it on") {
		t.Fatalf("Ana's page does not say Ben agreed:\n%s", p)
	}

	// A change needs agreeing again; the agreed plan stays until then.
	wantStatus(t, ana.post("/comfort", url.Values{"form_key": {formKeyOn(t, ana.get("/comfort").body)}, "body": {changed}, "action": {"share"}}), http.StatusSeeOther)
	p = ben.get("/triggers").body
	if !strings.Contains(p, shared) || strings.Contains(p, changed) || !strings.Contains(p, "Ana changed it: see the new words") {
		t.Fatalf("Ben's triggers page after Ana's change:\n%s", p)
	}
	p = ben.get("/comfort").body
	if n := agreeAction.FindStringSubmatch(p); n == nil || n[1] == m[1] || !strings.Contains(p, changed) {
		t.Fatalf("Ben is not asked to agree to the change:\n%s", p)
	}
}

func TestHTTP_ATriggerLandsOnTheMinuteOfHelp(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	log := func(intensity, helped string) string {
		t.Helper()
		res := quickLog(t, ana, url.Values{"category": {"place"}, "intensity": {intensity}, "helped": {helped}})
		wantStatus(t, res, http.StatusSeeOther)
		to := res.Header.Get("Location")
		if !regexp.MustCompile(`^/triggers/\d+/minute$`).MatchString(to) {
			t.Fatalf("a saved trigger leads to %q, want its minute of help", to)
		}
		return to
	}
	first := log("5", "Cold water on my face")
	p := ana.get(first)
	wantStatus(t, p, http.StatusOK)
	for _, want := range []string{"A minute for you", "skip to your triggers", "Breathe", "Write your comfort plan"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the minute lacks %q", want)
		}
	}
	if strings.Contains(p.body, "What has helped you before") || strings.Contains(p.body, "Help lines you can call or text") {
		t.Errorf("the first minute shows what helped before or the help lines:\n%s", p.body)
	}
	// Only Ana opens it.
	wantStatus(t, ben.get(first), http.StatusNotFound)

	// Intensity 9: what helped before, and the help lines.
	p = ana.get(log("9", ""))
	if !strings.Contains(p.body, "What has helped you before") || !strings.Contains(p.body, "Cold water on my face") ||
		!strings.Contains(p.body, "Help lines you can call or text") {
		t.Fatalf("the minute after an intensity 9:\n%s", p.body)
	}
	// The third in the hour, at intensity 4, offers the lines too.
	if p := ana.get(log("4", "")); !strings.Contains(p.body, "Help lines you can call or text") {
		t.Fatalf("the third trigger in an hour does not offer the help lines:\n%s", p.body)
	}
}

// cardKey finds the guidance card on a page.
var cardKey = regexp.MustCompile(`name="card" value="([a-z-]+)"`)

func TestHTTP_GuidanceCardIsSetAsideForGood(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, _ := pairUp(t, app)
	p := ana.get("/today").body
	m := cardKey.FindStringSubmatch(p)
	if m == nil || !strings.Contains(p, "A thought for you") {
		t.Fatalf("no guidance card on Today:\n%s", p)
	}
	res := ana.post("/guidance/dismiss", url.Values{"card": {m[1]}, "back": {"/commitments/new"}})
	wantStatus(t, res, http.StatusSeeOther)
	if to := res.Header.Get("Location"); to != "/commitments/new" {
		t.Fatalf("setting a card aside leads to %q", to)
	}
	if n := cardKey.FindStringSubmatch(ana.get("/today").body); n != nil && n[1] == m[1] {
		t.Fatalf("card %s came back", m[1])
	}
	// Back goes only to the pages that show cards.
	res = ana.post("/guidance/dismiss", url.Values{"card": {m[1]}, "back": {"https://example.org/today"}})
	if to := res.Header.Get("Location"); to != "/today" {
		t.Fatalf("an outside back leads to %q", to)
	}
	if res := ana.post("/guidance/dismiss", url.Values{"card": {"no-such-card"}}); res.StatusCode < 400 || res.StatusCode >= 500 {
		t.Fatalf("an unknown card: %d", res.StatusCode)
	}
}
