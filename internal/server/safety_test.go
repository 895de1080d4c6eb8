package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

const offerForm = `action="/safety/check/dismiss"`

// takeCheck takes the safety check as b and returns the result page.
func takeCheck(t *testing.T, b *browser, answers url.Values) *response {
	t.Helper()
	answers.Set("form_key", formKeyOn(t, b.get("/safety/check").body))
	res := b.post("/safety/check", answers)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/safety/check/result" {
		t.Fatalf("after the check sent to %q", loc)
	}
	res = b.get("/safety/check/result")
	wantStatus(t, res, http.StatusOK)
	return res
}

// setZone moves u to zone.
func setZone(t *testing.T, b *browser, name, zone string) {
	t.Helper()
	wantStatus(t, b.post("/settings/profile", url.Values{"name": {name}, "time_zone": {zone}}), http.StatusSeeOther)
}

func TestSafety_TodayOffersTheCheckAtMostOnceAMonth(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	lone := app.browser()
	lone.signUp("Noor", "noor@example.org")
	if strings.Contains(lone.get("/today").body, offerForm) {
		t.Fatal("the check is offered before joining a space")
	}
	ana := startSpace(t, app, "Ana")
	res := ana.get("/today")
	if !strings.Contains(res.body, offerForm) || !strings.Contains(res.body, `href="/safety/check"`) {
		t.Fatalf("no offer on Today after starting a space:\n%s", res.body)
	}
	// Not now: gone for the month, and a second Not now records nothing more.
	wantStatus(t, ana.post("/safety/check/dismiss", nil), http.StatusSeeOther)
	wantStatus(t, ana.post("/safety/check/dismiss", nil), http.StatusSeeOther)
	var rows int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM safety_checks`).Scan(&rows)
	if rows != 1 {
		t.Fatalf("%d rows after two Not nows, want 1", rows)
	}
	if strings.Contains(ana.get("/today").body, offerForm) {
		t.Fatal("still offered after Not now")
	}
	// A month later it is back (log in again: the session idled out).
	app.advance(31 * 24 * time.Hour)
	ana.logIn("ana@example.org", testPassword)
	if !strings.Contains(ana.get("/today").body, offerForm) {
		t.Fatal("not offered again a month later")
	}
	// Taking it sets the next offer a month away too.
	takeCheck(t, ana, url.Values{"afraid": {"no"}})
	if strings.Contains(ana.get("/today").body, offerForm) {
		t.Fatal("still offered after taking the check")
	}
	// It can be taken any time from Safety and help, even so.
	if res := ana.get("/safety"); !strings.Contains(res.body, `href="/safety/check"`) {
		t.Fatal("the safety page does not lead to the check")
	}
	wantStatus(t, ana.get("/safety/check"), http.StatusOK)
}

func TestSafety_FormKeepsInputAndShowsErrorsBesideFields(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	page := ana.get("/safety/check")
	d := doc(t, page.body)
	for _, q := range mend.SafetyQuestions {
		fs := find(d, byID(q.Key))
		if fs == nil || fs.Data != "fieldset" || !strings.Contains(text(fs), q.Text) || !strings.Contains(text(fs), "I'd rather not say") {
			t.Fatalf("question %s: %v", q.Key, text(fs))
		}
	}
	key := formKeyOn(t, page.body)
	res := ana.post("/safety/check", url.Values{"form_key": {key}, "afraid": {"sometimes"}, "harmed": {"maybe"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d = doc(t, res.body)
	if msg := text(find(d, byID("harmed-error"))); !strings.Contains(msg, "Choose one of the answers") {
		t.Fatalf("harmed error = %q", msg)
	}
	kept := find(d, func(n *htmlNode) bool { return attr(n, "name") == "afraid" && attr(n, "value") == "sometimes" })
	if kept == nil || !hasAttr(kept, "checked") {
		t.Fatal("the answer given was not kept")
	}
	if title := text(find(d, func(n *htmlNode) bool { return n.Data == "title" })); !strings.HasPrefix(title, "Error:") {
		t.Fatalf("title = %q", title)
	}
	var rows int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM safety_checks`).Scan(&rows)
	if rows != 0 {
		t.Fatalf("a refused check stored %d rows", rows)
	}
	// The same form sent twice (a double tap) records one check.
	form := url.Values{"form_key": {key}, "afraid": {"no"}}
	wantStatus(t, ana.post("/safety/check", form), http.StatusSeeOther)
	wantStatus(t, ana.post("/safety/check", form), http.StatusSeeOther)
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM safety_checks`).Scan(&rows)
	if rows != 1 {
		t.Fatalf("a form sent twice stored %d checks", rows)
	}
}

func TestSafety_WorryingAnswersLeadToHelpForThePersonsCountry(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	setZone(t, ana, "Ana", "Europe/London")
	res := takeCheck(t, ana, url.Values{"afraid": {"sometimes"}})
	d := doc(t, res.body)
	if h1 := text(find(d, func(n *htmlNode) bool { return n.Data == "h1" })); h1 != "You do not have to face this alone" {
		t.Fatalf("h1 = %q", h1)
	}
	// The UK's lines first, in a card: domestic abuse before the crisis
	// line for an answer about the partner; the other countries below.
	card := text(find(d, func(n *htmlNode) bool { return strings.Contains(attr(n, "class"), "help-card") }))
	if !strings.HasPrefix(card, "United Kingdom") || !strings.Contains(card, "0808 2000 247") || !strings.Contains(card, "Samaritans") ||
		strings.Index(card, "Domestic Abuse") > strings.Index(card, "Samaritans") || !strings.Contains(card, "999") {
		t.Fatalf("the first card is not the UK's, abuse lines first: %q", card)
	}
	others := text(find(d, func(n *htmlNode) bool { return n.Data == "details" && attr(n, "class") == "other-countries" }))
	for _, want := range []string{"United States", "988", "Ireland", "1800 341 900", "Australia", "13 11 14"} {
		if !strings.Contains(others, want) {
			t.Errorf("other countries lack %q: %q", want, others)
		}
	}
	for _, want := range []string{`href="tel:08082000247"`, `href="tel:116123"`, `href="/couple#leave"`, "Pause the work on your relationship",
		"Your partner sees at once that you have left", "talk to someone on your own first"} {
		if !strings.Contains(strings.ToLower(res.body), strings.ToLower(want)) {
			t.Errorf("the result page lacks %q", want)
		}
	}
	// No therapist is linked: no line to send.
	if strings.Contains(res.body, `action="/safety/flag"`) {
		t.Error("a line to a therapist is offered without a therapist")
	}
	wantStatus(t, ana.post("/safety/flag", nil), http.StatusSeeOther)
	if n := countRows(t, app, `SELECT count(*) FROM therapist_flags`); n != 0 {
		t.Fatalf("a flag was stored without a therapist: %d", n)
	}

	// Thoughts of ending one's life put the crisis line first.
	res = takeCheck(t, ana, url.Values{"ending_life": {"sometimes"}})
	card = text(find(doc(t, res.body), func(n *htmlNode) bool { return strings.Contains(attr(n, "class"), "help-card") }))
	if strings.Index(card, "Samaritans") > strings.Index(card, "Domestic Abuse") {
		t.Fatalf("crisis line not first: %q", card)
	}
	// An Australian sees Lifeline's call and text lines first.
	setZone(t, ana, "Ana", "Australia/Perth")
	res = ana.get("/safety/check/result")
	card = text(find(doc(t, res.body), func(n *htmlNode) bool { return strings.Contains(attr(n, "class"), "help-card") }))
	if !strings.HasPrefix(card, "Australia") || !strings.Contains(res.body, `href="sms:0477131114"`) {
		t.Fatalf("Australian card: %q", card)
	}

	// A calm check thanks, and keeps the answers for their taker only.
	res = takeCheck(t, ana, url.Values{"afraid": {"no"}, "harmed": {"no"}, "safe_home": {"yes"}, "ending_life": {"no"}})
	if !strings.Contains(res.body, "<h1>Thank you</h1>") || strings.Contains(res.body, "face this alone") {
		t.Fatalf("calm result:\n%s", res.body)
	}
	if !strings.Contains(res.body, "<dt>Do you feel safe at home right now?</dt><dd>Yes</dd>") {
		t.Fatalf("answers not shown:\n%s", res.body)
	}
	// And the check page says when it was last taken.
	if !strings.Contains(ana.get("/safety/check").body, "You last answered on") {
		t.Fatal("the check page does not show the last check")
	}
}

func countRows(t *testing.T, app *testApp, q string) int {
	t.Helper()
	var n int
	if err := app.db.Pool.QueryRow(context.Background(), q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSafety_TheLineReachesOnlyTheTherapistAndEndsWithTheLink(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ana, ben, tess := w.as(t, w.ana), w.as(t, w.ben), w.as(t, w.therapist)
	overview := "/caseload/" + strconv.FormatInt(w.coupleA, 10)
	res := takeCheck(t, ana, url.Values{"harmed": {"unsure"}})
	if !strings.Contains(res.body, "Zelphine would like to talk to you alone") || !strings.Contains(res.body, "Talk to Tess alone") {
		t.Fatalf("no line to Tess on the result page:\n%s", res.body)
	}
	wantStatus(t, ana.post("/safety/flag", nil), http.StatusSeeOther)
	wantStatus(t, ana.post("/safety/flag", nil), http.StatusSeeOther) // twice: one line
	if n := countRows(t, app, `SELECT count(*) FROM therapist_flags WHERE done_at IS NULL`); n != 2 {
		t.Fatalf("%d open flags, want Ben's seeded one and Ana's", n)
	}
	if res := ana.get("/safety/check/result"); !strings.Contains(res.body, "you asked Tess to talk with you alone") ||
		strings.Contains(res.body, `action="/safety/flag"`) {
		t.Fatalf("the sent line is not shown to Ana:\n%s", res.body)
	}
	for _, p := range []string{"/caseload", overview} {
		if body := tess.get(p).body; !strings.Contains(body, "Zelphine would like to talk to you alone") {
			t.Fatalf("Tess's %s lacks the line", p)
		}
	}
	// Ben's own result page shows his own line, never Ana's.
	if body := ben.get("/safety/check/result").body; strings.Contains(body, "Zelphine") && strings.Contains(body, "alone") {
		t.Fatal("Ben's result page shows Ana's line")
	}
	// Another therapist sees nothing of it.
	if body := w.as(t, w.other).get("/caseload").body; strings.Contains(body, "Zelphine") {
		t.Fatal("another therapist sees the line")
	}
	// Tess marks Ana's line done; Ben's stays.
	var anaFlag int64
	app.db.Pool.QueryRow(context.Background(), `SELECT id FROM therapist_flags WHERE user_id = $1`, w.ana.ID).Scan(&anaFlag)
	wantStatus(t, tess.post(overview+"/flags/"+strconv.FormatInt(anaFlag, 10)+"/done", nil), http.StatusSeeOther)
	body := tess.get(overview).body
	if strings.Contains(body, "Zelphine would like") || !strings.Contains(body, "Quorrin would like") {
		t.Fatalf("after marking Ana's done:\n%s", body)
	}
	// Ana may ask again; then the link ends, and the line with it.
	wantStatus(t, ana.post("/safety/flag", nil), http.StatusSeeOther)
	wantStatus(t, ben.post("/sharing/end", nil), http.StatusSeeOther)
	w.link(t, w.ana, w.ben, w.therapist)
	for _, p := range []string{"/caseload", overview} {
		if body := tess.get(p).body; strings.Contains(body, "would like to talk to you alone") {
			t.Fatalf("a line of the ended link shows on Tess's %s", p)
		}
	}
	if res := ana.get("/safety/check/result"); !strings.Contains(res.body, `action="/safety/flag"`) {
		t.Fatal("with a new link Ana cannot send the line again")
	}
}

func TestHTTP_LogOutLandsOnANeutralPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	res := ana.post("/logout", nil)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/logged-out" {
		t.Fatalf("log-out sends to %q", loc)
	}
	res = ana.get("/logged-out")
	wantStatus(t, res, http.StatusOK)
	d := doc(t, res.body)
	title := text(find(d, func(n *htmlNode) bool { return n.Data == "title" }))
	main := text(find(d, func(n *htmlNode) bool { return n.Data == "main" }))
	if title != "Logged out · Mend" || !strings.Contains(main, "You have logged out") {
		t.Fatalf("title %q, main %q", title, main)
	}
	for _, word := range []string{"betray", "trust", "couple", "partner", "affair", "Ana"} {
		if strings.Contains(strings.ToLower(title+" "+main), strings.ToLower(word)) {
			t.Errorf("the logged-out page says %q", word)
		}
	}
	if find(d, func(n *htmlNode) bool { return n.Data == "a" && attr(n, "href") == "/login" }) == nil {
		t.Fatal("no way to log in again")
	}
	// A logged-in person who opens it goes home.
	ana.logIn("ana@example.org", testPassword)
	if res := ana.get("/logged-out"); res.Header.Get("Location") != "/today" {
		t.Fatalf("logged in, /logged-out answers %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

// Quick exit's JavaScript sends navigator.sendBeacon("/logout"): a
// same-origin POST with no body or form type. It must end the session.
func TestHTTP_QuickExitBeaconEndsTheSession(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, map[string]string{"MEND_QUICK_EXIT_URL": "http://127.0.0.1:9/weather"})
	ana := startSpace(t, app, "Ana")
	d := doc(t, ana.get("/today").body)
	exit := find(d, func(n *htmlNode) bool { return attr(n, "class") == "quick-exit" })
	if exit == nil || exit.Data != "a" || attr(exit, "href") != "http://127.0.0.1:9/weather" || attr(exit, "data-log-out") != "/logout" {
		t.Fatalf("quick exit: %v", exit)
	}
	// A visitor's Quick exit only leaves.
	if v := find(doc(t, app.browser().get("/").body), func(n *htmlNode) bool { return attr(n, "class") == "quick-exit" }); v == nil || hasAttr(v, "data-log-out") {
		t.Fatal("a visitor's quick exit would log out")
	}
	req, _ := http.NewRequest("POST", app.ts.URL+"/logout", nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Sec-Fetch-Mode", "no-cors")
	res := ana.do(req)
	if res.StatusCode >= 400 {
		t.Fatalf("the beacon was refused: %d", res.StatusCode)
	}
	if n := countRows(t, app, `SELECT count(*) FROM sessions`); n != 0 {
		t.Fatalf("%d sessions left after the beacon", n)
	}
	if res := ana.get("/today"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the beacon /today answers %d", res.StatusCode)
	}
	// Another site cannot log a person out this way.
	ana.logIn("ana@example.org", testPassword)
	req, _ = http.NewRequest("POST", app.ts.URL+"/logout", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	wantStatus(t, ana.do(req), http.StatusForbidden)
	wantStatus(t, ana.get("/today"), http.StatusOK)
}

func TestHTTP_FooterGivesCrisisLinesOnEveryPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	visitor := app.browser()
	links := []string{`href="tel:988"`, `href="sms:988"`, `href="tel:116123"`, `href="tel:131114"`, `href="sms:0477131114"`, `href="/safety"`}
	for _, c := range []struct {
		b    *browser
		path string
	}{{visitor, "/"}, {visitor, "/login"}, {visitor, "/signup"}, {visitor, "/signup/check-email"}, {visitor, "/no-such-page"}, {visitor, "/logged-out"},
		{ana, "/today"}, {ana, "/triggers/new"}, {ana, "/couple"}, {ana, "/settings"}, {ana, "/safety/check"}} {
		res := c.b.get(c.path)
		footer := find(doc(t, res.body), func(n *htmlNode) bool { return n.Data == "footer" })
		if footer == nil || !strings.Contains(text(footer), "your local emergency number") {
			t.Errorf("%s: no crisis lines in the footer", c.path)
			continue
		}
		for _, l := range links {
			if !strings.Contains(res.body[strings.Index(res.body, "<footer"):], l) {
				t.Errorf("%s: footer lacks %s", c.path, l)
			}
		}
	}
	// A person in the UK finds Samaritans first.
	setZone(t, ana, "Ana", "Europe/London")
	footer := text(find(doc(t, ana.get("/today").body), func(n *htmlNode) bool { return n.Data == "footer" }))
	if !strings.HasPrefix(footer, "Need to talk to someone now? UK and Ireland: Samaritans 116 123") {
		t.Fatalf("footer for the UK: %q", footer)
	}
	// The safety page lists every line, each a link to call or text.
	body := visitor.get("/safety").body
	for _, l := range append(links, `href="tel:+18007997233"`, `href="sms:88788"`, `href="tel:08082000247"`, `href="tel:08088010327"`,
		`href="tel:1800341900"`, `href="tel:1800816588"`, `href="tel:1800737732"`, `href="tel:911"`, `href="tel:999"`, `href="tel:000"`, `href="tel:112"`) {
		if !strings.Contains(body, l) {
			t.Errorf("/safety lacks %s", l)
		}
	}
}

func TestHTTP_DeviceSafetyOnSignUpAndSafetyPages(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	for _, p := range []string{"/signup", "/safety"} {
		body := b.get(p).body
		for _, want := range []string{"can be watched", "can itself be noticed", "private (incognito) window"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", p, want)
			}
		}
	}
}

func TestHTTP_DiscreetTitlesSayOnlyMend(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	title := func(path string) string {
		return text(find(doc(t, ana.get(path).body), func(n *htmlNode) bool { return n.Data == "title" }))
	}
	if got := title("/triggers/new"); got != "Log a trigger · Mend" {
		t.Fatalf("title before = %q", got)
	}
	settings := ana.get("/settings").body
	box := find(doc(t, settings), func(n *htmlNode) bool { return attr(n, "name") == "discreet_titles" })
	if box == nil || attr(box, "type") != "checkbox" || hasAttr(box, "checked") {
		t.Fatalf("no unchecked discreet titles box:\n%s", settings)
	}
	wantStatus(t, ana.post("/settings/privacy", url.Values{"discreet_titles": {"on"}}), http.StatusSeeOther)
	for _, p := range []string{"/today", "/triggers/new", "/checkin", "/settings", "/safety", "/no-such-page"} {
		if got := title(p); got != "Mend" {
			t.Errorf("%s: title %q with discreet titles", p, got)
		}
	}
	// A form shown again with errors too.
	res := ana.post("/triggers", url.Values{"form_key": {formKeyOn(t, ana.get("/triggers/new").body)}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if got := text(find(doc(t, res.body), func(n *htmlNode) bool { return n.Data == "title" })); got != "Mend" {
		t.Errorf("422 title %q", got)
	}
	if box := find(doc(t, ana.get("/settings").body), func(n *htmlNode) bool { return attr(n, "name") == "discreet_titles" }); !hasAttr(box, "checked") {
		t.Fatal("the setting is not shown as on")
	}
	wantStatus(t, ana.post("/settings/privacy", nil), http.StatusSeeOther)
	if got := title("/triggers/new"); got != "Log a trigger · Mend" {
		t.Fatalf("title after turning it off = %q", got)
	}
}

func TestHTTP_LeavingSaysThePartnerSeesItAndGivesHelpFirst(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	setZone(t, ana, "Ana", "America/Chicago")
	body := ana.get("/couple").body
	section := body[strings.Index(body, `id="leave"`):]
	form := strings.Index(section, `action="/couple/leave"`)
	for _, want := range []string{"Your partner will see at once that you have left", `href="tel:988"`, `href="tel:+18007997233"`, `href="/safety"`} {
		if i := strings.Index(section, want); i < 0 || i > form {
			t.Errorf("the leave section lacks %q before its form", want)
		}
	}
}

func TestHTTP_PagesOfALoggedInPersonAreNeverStored(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	for _, p := range []string{"/today", "/couple", "/safety/check", "/safety/check/result", "/safety", "/logged-out"} {
		if cc := ana.get(p).Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", p, cc)
		}
	}
}
