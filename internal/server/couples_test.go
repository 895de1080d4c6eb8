package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestHTTP_PartnersPairThroughAnInviteLink(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := app.browser()
	ana.signUp("Ana", "ana@example.org")
	if res := ana.get("/today"); !strings.Contains(res.body, "Start our space") || !strings.Contains(res.body, "Join with an invite") {
		t.Fatalf("onboarding missing:\n%s", res.body)
	}
	before := ana.sessionCookie().Value
	key := formKeyOn(t, ana.get("/couple/start").body)
	res := ana.post("/couple/start", url.Values{"form_key": {key}, "what_happened": {"affair"}, "rebuilding": {"partner"}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != "/couple/invite" || ana.sessionCookie().Value == before {
		t.Fatalf("after start: %s (token renewed: %v)", res.Header.Get("Location"), ana.sessionCookie().Value != before)
	}
	link := invite(t, ana)
	// Shown once: the next visit to the page shows the expiry, not the link.
	if page := ana.get("/couple/invite"); inviteLinkOn(t, page.body) != "" || !strings.Contains(page.body, "works until") {
		t.Fatalf("the link should be shown only once:\n%s", page.body)
	}

	// Ben opens the link logged out, signs up through it and joins.
	ben := app.browser()
	res = ben.get(pathOf(link))
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "Ana invited you") {
		t.Fatalf("join page:\n%s", res.body)
	}
	signup := attr(find(doc(t, res.body), func(n *htmlNode) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/signup") }), "href")
	next, _ := url.Parse(signup)
	// Signing up through the invite leads back to it, once the email is
	// confirmed: joining is a tap of its own.
	ben.signUpWith(url.Values{"name": {"Ben"}, "email": {"ben@example.org"}, "password": {testPassword},
		"time_zone": {"UTC"}, "role": {"partner"}, "next": {next.Query().Get("next")}}, pathOf(link))
	if res := ana.get("/today"); strings.Contains(res.body, "You and Ben") {
		t.Fatal("Ben is in Ana's space before pressing Join")
	}
	page := ben.get(pathOf(link))
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, "Ana invited you") || !strings.Contains(page.body, "Join Ana&#39;s space</button>") {
		t.Fatalf("the invite after signing up:\n%s", page.body)
	}
	res = ben.post(pathOf(link), nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/today" {
		t.Fatalf("Join: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := ben.get("/today"); !strings.Contains(res.body, "You and Ana") ||
		text(find(doc(t, res.body), func(n *htmlNode) bool { return attr(n, "class") == "flash" })) != "You have joined Ana's space. Welcome." {
		t.Fatalf("Ben's dashboard:\n%s", res.body)
	}
	if res := ana.get("/today"); !strings.Contains(res.body, "You and Ben") {
		t.Fatalf("Ana's dashboard:\n%s", res.body)
	}
	// Ben sees what Ana said at the start, from his side.
	res = ben.get("/couple")
	if !strings.Contains(res.body, "An affair") || !strings.Contains(res.body, "<dd>You</dd>") {
		t.Fatalf("context from Ben's side:\n%s", res.body)
	}
	// The link is spent.
	wantStatus(t, app.browser().get(pathOf(link)), http.StatusGone)
}

func TestHTTP_InviteStatesEachHaveAClearPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	visitor := app.browser()

	res := visitor.get("/join/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	wantStatus(t, res, http.StatusNotFound)
	if !strings.Contains(res.body, "not valid") {
		t.Fatalf("unknown invite:\n%s", res.body)
	}
	revoked := invite(t, ana)
	wantStatus(t, ana.post("/couple/invite/revoke", nil), http.StatusSeeOther)
	res = visitor.get(pathOf(revoked))
	wantStatus(t, res, http.StatusGone)
	if !strings.Contains(res.body, "cancelled") {
		t.Fatalf("revoked invite:\n%s", res.body)
	}
	replaced := invite(t, ana)
	fresh := invite(t, ana) // a new link cancels the one before
	if res := visitor.get(pathOf(replaced)); res.StatusCode != http.StatusGone {
		t.Fatalf("replaced invite: %d", res.StatusCode)
	}
	app.advance(7*24*time.Hour + time.Minute)
	res = visitor.get(pathOf(fresh))
	wantStatus(t, res, http.StatusGone)
	if !strings.Contains(res.body, "expired") {
		t.Fatalf("expired invite:\n%s", res.body)
	}
	// A very long or odd token is just unknown.
	wantStatus(t, visitor.get("/join/"+strings.Repeat("x", 500)), http.StatusNotFound)
	wantStatus(t, visitor.get("/join/%00%ff"), http.StatusNotFound)
}

func TestHTTP_JoinIsRefusedClearlyWhenItCannotWork(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	link := invite(t, ana)
	cara := startSpace(t, app, "Cara") // already in her own space
	res := cara.get(pathOf(link))
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "already in a couple space") || strings.Contains(res.body, `type="submit">Join`) {
		t.Fatalf("join page for someone in a space:\n%s", res.body)
	}
	wantStatus(t, cara.post(pathOf(link), nil), http.StatusConflict)
	// A visitor posting is sent to log in first, and comes back.
	res = app.browser().post(pathOf(link), nil)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
		t.Fatalf("visitor accept: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// A third partner: Ben joins, then Dan tries a second link.
	ben := app.browser()
	ben.signUp("Ben", "ben@example.org")
	wantStatus(t, ben.post(pathOf(link), nil), http.StatusSeeOther)
	if res := ana.post("/couple/invite", nil); res.StatusCode != http.StatusConflict {
		t.Fatalf("inviting into a full space: %d", res.StatusCode)
	}
}

func TestHTTP_LeavingNeedsThePasswordAndTakesWhatYouWrote(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	link := invite(t, ana)
	ben := app.browser()
	ben.signUp("Ben", "ben@example.org")
	wantStatus(t, ben.post(pathOf(link), nil), http.StatusSeeOther)
	if !strings.Contains(ben.get("/couple").body, "Ana wrote this") {
		t.Fatal("Ben should see what Ana wrote at the start")
	}

	res := ana.post("/couple/leave", url.Values{"password": {"not mine"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := text(find(doc(t, res.body), byID("password-error"))); msg == "" {
		t.Fatal("no message beside the password")
	}
	before := ana.sessionCookie().Value
	wantStatus(t, ana.post("/couple/leave", url.Values{"password": {testPassword}}), http.StatusSeeOther)
	if ana.sessionCookie().Value == before {
		t.Fatal("token not renewed on leaving")
	}
	if res := ana.get("/today"); !strings.Contains(res.body, "Start our space") {
		t.Fatal("Ana should be back at onboarding")
	}
	res = ben.get("/couple")
	if strings.Contains(res.body, "Ana wrote this") || strings.Contains(res.body, "Ana") {
		t.Fatalf("what Ana wrote is still in Ben's view:\n%s", res.body)
	}
	// Ben stays and can invite again.
	invite(t, ben)
}

func TestHTTP_TherapistIsInvitedLinkedAndRevoked(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	wantStatus(t, ana.post("/sharing/defaults", url.Values{"share": {"checkins"}}), http.StatusSeeOther)
	res := ana.post("/sharing/invite", nil)
	wantStatus(t, res, http.StatusOK)
	link := inviteLinkOn(t, res.body)

	// A partner account cannot accept a therapist invite.
	ben := app.browser()
	ben.signUp("Ben", "ben@example.org")
	if res := ben.get(pathOf(link)); !strings.Contains(res.body, "therapist account") {
		t.Fatalf("partner opening a therapist invite:\n%s", res.body)
	}
	wantStatus(t, ben.post(pathOf(link), nil), http.StatusForbidden)

	// A therapist signs up through the link and accepts.
	tess := app.browser()
	page := tess.get(pathOf(link))
	signup := attr(find(doc(t, page.body), func(n *htmlNode) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/signup") }), "href")
	if !strings.Contains(signup, "as=therapist") {
		t.Fatalf("sign-up link should preselect therapist: %s", signup)
	}
	next, _ := url.Parse(signup)
	form := url.Values{"name": {"Tess"}, "email": {"tess@example.org"}, "password": {testPassword}, "time_zone": {"UTC"},
		"role": {"therapist"}, "next": {next.Query().Get("next")}}
	res = tess.post("/signup", form)
	wantStatus(t, res, http.StatusUnprocessableEntity) // no professional name yet
	if text(find(doc(t, res.body), byID("professional_name-error"))) == "" {
		t.Fatal("no message for the missing professional name")
	}
	form.Set("professional_name", "Dr Tess Lee")
	tess.signUpWith(form, pathOf(link))
	// Accepting makes a link that waits: Ana is alone, so for a partner
	// who joins and agrees. Tess sees nothing of the space until then.
	res = tess.post(pathOf(link), nil)
	wantStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != "/caseload" {
		t.Fatalf("after accepting: %s, want the caseload", res.Header.Get("Location"))
	}
	if res := tess.get("/caseload"); !strings.Contains(res.body, "Ana invited you") || strings.Contains(res.body, `href="/caseload/`) {
		t.Fatalf("Tess's caseload while the link waits:\n%s", res.body)
	}
	if res := ana.get("/sharing"); !strings.Contains(res.body, "until your partner joins and agrees") {
		t.Fatalf("Ana's sharing page while alone:\n%s", res.body)
	}
	// Ben joins; his invite says a therapist waits for him too.
	partnerLink := pathOf(invite(t, ana))
	if res := ben.get(partnerLink); !strings.Contains(res.body, "also invited a therapist, <strong>Dr Tess Lee</strong>, who sees nothing") {
		t.Fatalf("Ben's invite while a therapist waits:\n%s", res.body)
	}
	wantStatus(t, ben.post(partnerLink, nil), http.StatusSeeOther)
	agreeTo(t, ben)
	res = tess.get("/caseload")
	overview := attr(find(doc(t, res.body), func(n *htmlNode) bool { return strings.HasPrefix(attr(n, "href"), "/caseload/") }), "href")
	if overview == "" || !strings.Contains(res.body, "Ana and Ben") {
		t.Fatalf("Tess's caseload once Ben agreed:\n%s", res.body)
	}
	res = tess.get(overview)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "Ana: check-ins") {
		t.Fatalf("overview should show Ana's default sharing:\n%s", res.body)
	}
	if res := ana.get("/sharing"); !strings.Contains(res.body, "Dr Tess Lee") || !strings.Contains(res.body, "Tess looked at your line in the list of couples and your overview") ||
		!strings.Contains(res.body, "You started sharing check-ins") || !strings.Contains(res.body, "Ben agreed: Tess was linked as your therapist") {
		t.Fatalf("Ana's sharing page:\n%s", res.body)
	}
	// Ana ends the link: the therapist's next request is refused.
	wantStatus(t, ana.post("/sharing/end", nil), http.StatusSeeOther)
	wantStatus(t, tess.get(overview), http.StatusNotFound)
	if res := ana.get("/sharing"); !strings.Contains(res.body, "You ended Tess&#39; access") {
		t.Fatalf("link history:\n%s", res.body)
	}
}

func TestHTTP_BecomingATherapist(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	res := ana.post("/settings/therapist", url.Values{"professional_name": {"Ana R., MFT"}})
	wantStatus(t, res, http.StatusConflict)
	if !strings.Contains(text(find(doc(t, res.body), byID("professional_name-error"))), "Leave your couple space") {
		t.Fatalf("becoming a therapist while in a space:\n%s", res.body)
	}
	sam := app.browser()
	sam.signUp("Sam", "sam@example.org")
	wantStatus(t, sam.post("/settings/therapist", url.Values{"professional_name": {""}}), http.StatusUnprocessableEntity)
	res = sam.post("/settings/therapist", url.Values{"professional_name": {"Sam Lee, couples therapist"}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != "/caseload" {
		t.Fatalf("after becoming a therapist: %s", res.Header.Get("Location"))
	}
	if res := sam.get("/caseload"); !strings.Contains(res.body, "No couples yet") {
		t.Fatalf("empty caseload:\n%s", res.body)
	}
	// A therapist cannot start a couple space.
	wantStatus(t, sam.post("/couple/start", url.Values{}), http.StatusForbidden)
}

func TestHTTP_JoinWithAPastedLink(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ben := app.browser()
	ben.signUp("Ben", "ben@example.org")
	res := ben.get("/join?link=" + url.QueryEscape("https://mend.example.org/join/abcdefghijklmnopqrstuvwxyzABCDEF0123456789_-"))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/join/abcdefghijklmnopqrstuvwxyzABCDEF0123456789_-" {
		t.Fatalf("pasted link: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res = ben.get("/join?link=hello")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if attr(find(doc(t, res.body), byID("link")), "value") != "hello" {
		t.Fatal("the pasted text was not kept")
	}
}

func TestHTTP_StartValidatesAndKeepsInput(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	b.signUp("Ana", "ana@example.org")
	key := formKeyOn(t, b.get("/couple/start").body)
	res := b.post("/couple/start", url.Values{"form_key": {key}, "what_happened": {"affair"}, "details": {"kept words"},
		"came_to_light": {"2999-01-01"}, "rebuilding": {"nobody"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := doc(t, res.body)
	if text(find(d, byID("came_to_light-error"))) == "" || text(find(d, byID("rebuilding-error"))) == "" {
		t.Fatal("no messages beside the date and the choice")
	}
	if text(find(d, byID("details"))) != "kept words" || attr(find(d, byID("came_to_light")), "value") != "2999-01-01" {
		t.Fatal("input not kept")
	}
	checked := find(d, func(n *htmlNode) bool { return attr(n, "name") == "what_happened" && hasAttr(n, "checked") })
	if checked == nil || attr(checked, "value") != "affair" {
		t.Fatal("choice not kept")
	}
	// Sent twice (a double tap), the same form makes one space.
	good := url.Values{"form_key": {key}, "what_happened": {"affair"}}
	wantStatus(t, b.post("/couple/start", good), http.StatusSeeOther)
	wantStatus(t, b.post("/couple/start", good), http.StatusSeeOther)
	var n int
	app.db.Pool.QueryRow(t.Context(), `SELECT count(*) FROM couples`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d couples after a double tap", n)
	}
}

func TestHTTP_JoiningRenewsTheTokenAndLogInThroughALinkShowsTheInvite(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	ben := app.browser()
	ben.signUp("Ben", "ben@example.org")
	before := ben.sessionCookie().Value
	wantStatus(t, ben.post(pathOf(invite(t, ana)), nil), http.StatusSeeOther)
	if ben.sessionCookie().Value == before {
		t.Fatal("token not renewed on joining")
	}
	wantStatus(t, ben.post("/couple/leave", url.Values{"password": {testPassword}}), http.StatusSeeOther)
	wantStatus(t, ben.post("/logout", nil), http.StatusSeeOther)

	// Logged out, Ben opens a new link and logs in from it: he is back at
	// the invite, and in once he presses Join.
	link := invite(t, ana)
	res := ben.post("/login", url.Values{"email": {"ben@example.org"}, "password": {testPassword}, "next": {pathOf(link)}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != pathOf(link) || strings.Contains(ben.get("/today").body, "You and Ana") {
		t.Fatalf("log-in through the link went to %s", res.Header.Get("Location"))
	}
	wantStatus(t, ben.post(pathOf(link), nil), http.StatusSeeOther)
	if !strings.Contains(ben.get("/today").body, "You and Ana") {
		t.Fatal("Ben pressed Join and is not in")
	}
	// Through a spent link, log-in lands on the link's page, which explains.
	ben.post("/logout", nil)
	res = ben.post("/login", url.Values{"email": {"ben@example.org"}, "password": {testPassword}, "next": {pathOf(link)}})
	if res.Header.Get("Location") != pathOf(link) {
		t.Fatalf("spent link: log-in went to %s", res.Header.Get("Location"))
	}
	wantStatus(t, ben.get(pathOf(link)), http.StatusGone)
}

func TestHTTP_AnotherSiteCannotWriteTheViewLog(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	tess := w.as(t, w.therapist)
	path := "/caseload/" + strconv.FormatInt(w.coupleA, 10)
	req, _ := http.NewRequest("GET", app.ts.URL+path, nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res := tess.do(req)
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(res.body, "Zelphine") || !strings.Contains(res.body, "Open the page") {
		t.Fatalf("cross-site view:\n%s", res.body)
	}
	var views int
	app.db.Pool.QueryRow(t.Context(), `SELECT count(*) FROM therapist_views WHERE couple_id = $1`, w.coupleA).Scan(&views)
	if views != 0 {
		t.Fatalf("a cross-site link wrote %d views", views)
	}
	req, _ = http.NewRequest("GET", app.ts.URL+path, nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if res := tess.do(req); !strings.Contains(res.body, "Zelphine and Quorrin") {
		t.Fatal("the therapist's own click should open the page")
	}
}
