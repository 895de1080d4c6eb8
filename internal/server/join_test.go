package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestHTTP_ACraftedLinkPullsNobodyIn: Mallory starts a space and sends Ben a
// log-in link that returns to her invite. Logging in (or signing up) through
// it shows the invite and changes nothing; only pressing Join does. The
// same for a therapist and a therapist invite.
func TestHTTP_ACraftedLinkPullsNobodyIn(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ctx := context.Background()
	mallory := startSpace(t, app, "Mallory")
	partnerLink := pathOf(invite(t, mallory))
	res := mallory.post("/sharing/invite", nil)
	wantStatus(t, res, http.StatusOK)
	therapistLink := pathOf(inviteLinkOn(t, res.body))

	ben := app.browser()
	ben.signUp("Ben", "ben@example.org")
	wantStatus(t, ben.post("/logout", nil), http.StatusSeeOther)
	tess := app.browser()
	tess.signUpWith(url.Values{"name": {"Tess"}, "email": {"tess@example.org"}, "password": {testPassword},
		"time_zone": {"UTC"}, "role": {"therapist"}, "professional_name": {"Dr Tess Lee"}}, "/caseload")
	wantStatus(t, tess.post("/logout", nil), http.StatusSeeOther)

	counts := func() (members, links int) {
		t.Helper()
		app.db.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM couple_members WHERE left_at IS NULL),
			(SELECT count(*) FROM therapist_links)`).Scan(&members, &links)
		return members, links
	}
	// Through the crafted links: log in, and a newcomer signs up.
	for _, tc := range []struct {
		who   string
		b     *browser
		login url.Values
		link  string
		press string
	}{
		{"Ben logging in", ben, url.Values{"email": {"ben@example.org"}}, partnerLink, "Join Mallory&#39;s space</button>"},
		{"Tess logging in", tess, url.Values{"email": {"tess@example.org"}}, therapistLink, "Accept as Dr Tess Lee</button>"},
	} {
		tc.login.Set("password", testPassword)
		tc.login.Set("next", tc.link)
		res := tc.b.post("/login", tc.login)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != tc.link {
			t.Fatalf("%s through the link: %d to %s, want the invite page", tc.who, res.StatusCode, res.Header.Get("Location"))
		}
		if m, l := counts(); m != 1 || l != 0 {
			t.Fatalf("after %s through the link: %d partners, %d therapist links; want Mallory alone", tc.who, m, l)
		}
		page := tc.b.get(tc.link)
		wantStatus(t, page, http.StatusOK)
		if !strings.Contains(page.body, tc.press) {
			t.Fatalf("%s sees no button on the invite:\n%s", tc.who, page.body)
		}
	}
	carl := app.browser()
	// The link survives the confirmation email.
	carl.signUpWith(url.Values{"name": {"Carl"}, "email": {"carl@example.org"}, "password": {testPassword},
		"time_zone": {"UTC"}, "next": {partnerLink}}, partnerLink)
	if m, l := counts(); m != 1 || l != 0 {
		t.Fatalf("after Carl signed up through the link: %d partners, %d links", m, l)
	}
	if body := carl.get("/today").body; !strings.Contains(body, "Start our space") {
		t.Fatalf("Carl should be in no space:\n%s", body)
	}
	// Pressing the button is what joins, and what links.
	wantStatus(t, ben.post(partnerLink, nil), http.StatusSeeOther)
	wantStatus(t, tess.post(therapistLink, nil), http.StatusSeeOther)
	if m, l := counts(); m != 2 || l != 1 {
		t.Fatalf("after pressing: %d partners, %d links", m, l)
	}
}
