package server

import (
	"net/http"
	"net/url"
	"testing"
)

// The invite form sent twice shows the same link, which works; a new form
// (the page opened again) makes a new link and the old one stops working;
// the first form sent again after its link was cancelled makes a new one.
func TestHTTP_InviteFormSentTwiceShowsTheSameLink(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	key := formKeyOf(t, ana.get("/couple/invite").body, "/couple/invite")
	send := func(key string) string {
		t.Helper()
		res := ana.post("/couple/invite", url.Values{"form_key": {key}})
		wantStatus(t, res, http.StatusOK)
		return inviteLinkOn(t, res.body)
	}
	first := send(key)
	if again := send(key); again != first || first == "" {
		t.Fatalf("the same form sent twice shows %q, then %q", first, again)
	}
	if n := app.count(`SELECT count(*) FROM invites WHERE revoked_at IS NULL`); n != 1 {
		t.Fatalf("%d open invites, want 1", n)
	}
	other := send(formKeyOf(t, ana.get("/couple/invite").body, "/couple/invite"))
	if other == first {
		t.Fatal("a new form showed the old link")
	}
	stranger := app.browser()
	stranger.signUp("Sol", "sol@example.org")
	wantStatus(t, stranger.get(pathOf(first)), http.StatusGone)
	wantStatus(t, ana.post("/couple/invite/revoke", nil), http.StatusSeeOther)
	if again := send(key); again == first || again == other || again == "" {
		t.Fatalf("after cancelling, the first form showed %q", again)
	}
	wantStatus(t, stranger.get(pathOf(other)), http.StatusGone)
	ben := app.browser()
	ben.signUp("Ben", "ben@example.org")
	wantStatus(t, ben.post(pathOf(send(key)), nil), http.StatusSeeOther)
}
