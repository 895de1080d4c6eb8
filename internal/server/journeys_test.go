package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// Journeys shared by the feature tests: a couple starting and joining a
// space, checking in, proposing, logging a trigger, linking a therapist.

// inviteLinkOn returns the invite link shown on a page, or "".
func inviteLinkOn(t *testing.T, body string) string {
	t.Helper()
	return attr(find(doc(t, body), byID("invite-link")), "value")
}

func formKeyOn(t *testing.T, body string) string {
	t.Helper()
	return attr(find(doc(t, body), func(n *htmlNode) bool { return attr(n, "name") == "form_key" }), "value")
}

// startSpace signs up name and starts a space; it returns the browser.
func startSpace(t *testing.T, app *testApp, name string) *browser {
	t.Helper()
	b := app.browser()
	b.signUp(name, strings.ToLower(name)+"@example.org")
	key := formKeyOn(t, b.get("/couple/start").body)
	res := b.post("/couple/start", url.Values{"form_key": {key}, "what_happened": {"lying"}, "details": {name + " wrote this"},
		"came_to_light": {"2026-01-15"}, "rebuilding": {"me"}})
	wantStatus(t, res, http.StatusSeeOther)
	return b
}

// invite makes a partner invite as b and returns its link.
func invite(t *testing.T, b *browser) string {
	t.Helper()
	res := b.post("/couple/invite", nil)
	wantStatus(t, res, http.StatusOK)
	link := inviteLinkOn(t, res.body)
	if !strings.Contains(link, "/join/") {
		t.Fatalf("no invite link on the page:\n%s", res.body)
	}
	return link
}

func pathOf(link string) string {
	u, _ := url.Parse(link)
	return u.Path
}

// pairUp starts a space for Ana and lets Ben join it through the invite
// link; both browsers are logged in (time zone Europe/Berlin).
func pairUp(t *testing.T, app *testApp) (ana, ben *browser) {
	t.Helper()
	ana = startSpace(t, app, "Ana")
	link := invite(t, ana)
	ben = app.browser()
	ben.signUp("Ben", "ben@example.org")
	wantStatus(t, ben.post(pathOf(link), nil), http.StatusSeeOther)
	return ana, ben
}

// checkIn posts a check-in form taken fresh from the form page, with
// fields set on top of it, and returns the response.
func checkIn(t *testing.T, b *browser, day string, fields url.Values) *response {
	t.Helper()
	path := "/checkin"
	if day != "" {
		path += "?day=" + day
	}
	page := b.get(path)
	if day == "" && page.StatusCode == http.StatusSeeOther {
		// Checked in today already: the tab opens the day, and the form to
		// change it is the day's link.
		page = b.get("/checkin?day=" + strings.TrimPrefix(page.Header.Get("Location"), "/checkins/"))
	}
	wantStatus(t, page, http.StatusOK)
	form := url.Values{"form_key": {formKeyOn(t, page.body)}, "visibility": {"partner"},
		"day": {attr(find(doc(t, page.body), func(n *htmlNode) bool { return attr(n, "name") == "day" }), "value")}}
	for k, v := range fields {
		form[k] = v
	}
	return b.post("/checkin", form)
}

// berlinToday is the test clock's date in Europe/Berlin, the partners' zone.
func berlinToday(app *testApp) string {
	loc, _ := time.LoadLocation("Europe/Berlin")
	return mend.Date(app.clock(), loc).Format(time.DateOnly)
}

// proposeForm is a filled commitment form taken from the new-commitment
// page, with fields set on top.
func proposeForm(t *testing.T, b *browser, fields url.Values) url.Values {
	t.Helper()
	page := b.get("/commitments/new")
	wantStatus(t, page, http.StatusOK)
	d := doc(t, page.body)
	form := url.Values{"form_key": {formKeyOn(t, page.body)}, "for": {"me"}, "title": {"I call if I am late"}, "rhythm": {"daily"},
		"starts_on": {attr(find(d, byID("starts_on")), "value")}, "review_on": {attr(find(d, byID("review_on")), "value")},
		"visibility": {"partner"}}
	for k, v := range fields {
		form[k] = v
	}
	return form
}

// therapistSignUp signs a therapist up directly (not through an invite).
func therapistSignUp(t *testing.T, app *testApp, name, email, professional string) *browser {
	t.Helper()
	b := app.browser()
	b.signUpWith(url.Values{"name": {name}, "email": {email}, "password": {testPassword},
		"time_zone": {"UTC"}, "role": {"therapist"}, "professional_name": {professional}}, "/caseload")
	return b
}

// inviteTherapist has partner p invite the therapist th, who opens the
// link and presses Accept; it checks where that leads.
func inviteTherapist(t *testing.T, p, th *browser) {
	t.Helper()
	res := p.post("/sharing/invite", nil)
	wantStatus(t, res, http.StatusOK)
	link := pathOf(inviteLinkOn(t, res.body))
	if page := th.get(link); !strings.Contains(page.body, "you see nothing of the couple until the other partner agrees") {
		t.Fatalf("the therapist's invite does not say that both agree:\n%s", page.body)
	}
	res = th.post(link, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/caseload" {
		t.Fatalf("accepting: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

// agreeTo presses Agree on b's sharing page.
func agreeTo(t *testing.T, b *browser) {
	t.Helper()
	id := pendingLinkOn(t, b.get("/sharing").body)
	if id == "" {
		t.Fatal("no Agree button on the sharing page")
	}
	wantStatus(t, b.post("/sharing/agree", url.Values{"link": {id}}), http.StatusSeeOther)
}

// quickLog posts the quick-log form as taken from its page, with fields set.
func quickLog(t *testing.T, b *browser, fields url.Values) *response {
	t.Helper()
	page := b.get("/triggers/new")
	wantStatus(t, page, http.StatusOK)
	d := doc(t, page.body)
	vis := attr(find(d, func(n *htmlNode) bool { return attr(n, "name") == "visibility" && hasAttr(n, "checked") }), "value")
	form := url.Values{"form_key": {formKeyOn(t, page.body)}, "visibility": {vis}}
	for k, v := range fields {
		form[k] = v
	}
	return b.post("/triggers", form)
}

// section is the text of the section a heading with id opens.
func section(t *testing.T, body, id string) string {
	t.Helper()
	h := find(doc(t, body), byID(id))
	if h == nil {
		return ""
	}
	return text(h.Parent)
}
