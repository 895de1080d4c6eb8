package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// facts are the terms and descriptions of the list in the section a
// heading with id opens.
func facts(t *testing.T, body, id string) map[string]string {
	t.Helper()
	m := map[string]string{}
	h := find(doc(t, body), byID(id))
	if h == nil {
		return m
	}
	dl := find(h.Parent, func(n *htmlNode) bool { return n.Data == "dl" })
	if dl == nil {
		return m
	}
	var term string
	for n := dl.FirstChild; n != nil; n = n.NextSibling {
		switch n.Data {
		case "dt":
			term = text(n)
		case "dd":
			m[term] = text(n)
		}
	}
	return m
}

// TestHTTP_EachPartnerHasTheirOwnStartingWords: Ana's words (from the start)
// and Ben's (added from Our space) each read for their reader: "What Ana
// said at the start" on Ben's page, "What you said at the start" on Ana's,
// and who is rebuilding trust from each author's side.
func TestHTTP_EachPartnerHasTheirOwnStartingWords(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app) // Ana: "lying", "Ana wrote this", 2026-01-15, rebuilding "me"

	body := ben.get("/couple").body
	if got, f := section(t, body, "partner-context-heading"), facts(t, body, "partner-context-heading"); !strings.HasPrefix(got, "What Ana said at the start") ||
		f["In Ana's words"] != "Ana wrote this" || f["Rebuilding trust"] != "Ana" || f["What happened"] != "Lying" {
		t.Fatalf("Ana's words on Ben's page: %q %v", got, f)
	}
	if strings.Contains(body, "What you said at the start") {
		t.Fatal("Ben's page calls Ana's words his own")
	}
	if got := section(t, body, "my-context-heading"); !strings.Contains(got, "Add your words") {
		t.Fatalf("Ben has no way to add his own words: %q", got)
	}
	body = ana.get("/couple").body
	if got, f := section(t, body, "my-context-heading"), facts(t, body, "my-context-heading"); !strings.HasPrefix(got, "What you said at the start") ||
		!strings.Contains(got, "Seen by you and Ben. Never a therapist.") || f["Rebuilding trust"] != "You" || f["In your words"] != "Ana wrote this" {
		t.Fatalf("Ana's own words on her page: %q %v", got, f)
	}

	// Ben's form keeps what he typed and explains beside each field.
	page := ben.get("/couple/context")
	wantStatus(t, page, http.StatusOK)
	if v := attr(find(doc(t, page.body), func(n *htmlNode) bool { return attr(n, "name") == "visibility" && hasAttr(n, "checked") }), "value"); v != "partner" {
		t.Fatalf("the form should start as shared with Ana, as the page says: %q", v)
	}
	res := ben.post("/couple/context", url.Values{"what_happened": {"lying"}, "details": {"Ben's side of it"},
		"came_to_light": {"2999-01-01"}, "rebuilding": {"me"}, "visibility": {"therapist"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := doc(t, res.body)
	for _, id := range []string{"came_to_light-error", "visibility-error"} {
		if text(find(d, byID(id))) == "" {
			t.Errorf("no message beside %s", id)
		}
	}
	if text(find(d, byID("details"))) != "Ben's side of it" || attr(find(d, byID("came_to_light")), "value") != "2999-01-01" {
		t.Fatal("Ben's input was not kept")
	}
	// Kept to himself first: Ana sees nothing of it.
	wantStatus(t, ben.post("/couple/context", url.Values{"what_happened": {"lying"}, "details": {"Ben's side of it"},
		"rebuilding": {"me"}, "visibility": {"private"}}), http.StatusSeeOther)
	if body := ana.get("/couple").body; strings.Contains(body, "Ben's side of it") || strings.Contains(body, "What Ben said") {
		t.Fatalf("Ana sees words Ben kept to himself:\n%s", body)
	}
	body = ben.get("/couple").body
	if got, f := section(t, body, "my-context-heading"), facts(t, body, "my-context-heading"); !strings.HasPrefix(got, "What you said at the start") ||
		!strings.Contains(got, "Seen only by you.") || f["Rebuilding trust"] != "You" {
		t.Fatalf("Ben's own words on his page: %q %v", got, f)
	}
	// Shared: Ana reads them from her side.
	wantStatus(t, ben.post("/couple/context", url.Values{"what_happened": {"lying"}, "details": {"Ben's side of it"},
		"rebuilding": {"me"}, "visibility": {"partner"}}), http.StatusSeeOther)
	body = ana.get("/couple").body
	if got, f := section(t, body, "partner-context-heading"), facts(t, body, "partner-context-heading"); !strings.HasPrefix(got, "What Ben said at the start") ||
		f["In Ben's words"] != "Ben's side of it" || f["Rebuilding trust"] != "Ben" {
		t.Fatalf("Ben's words on Ana's page: %q %v", got, f)
	}
	// Neither partner's words reach the therapist: no page of hers shows them.
	tess := therapistSignUp(t, app, "Tess", "tess@example.org", "Dr Tess Lee")
	inviteTherapist(t, ana, tess)
	agreeTo(t, ben)
	overview := attr(find(doc(t, tess.get("/caseload").body), func(n *htmlNode) bool { return strings.HasPrefix(attr(n, "href"), "/caseload/") }), "href")
	if overview == "" {
		t.Fatal("Tess is not linked")
	}
	for _, path := range []string{"/caseload", overview, overview + "/checkins", overview + "/commitments", overview + "/triggers"} {
		res := tess.get(path)
		wantStatus(t, res, http.StatusOK)
		if strings.Contains(res.body, "wrote this") || strings.Contains(res.body, "side of it") || strings.Contains(res.body, "2026-01-15") {
			t.Fatalf("the therapist's %s shows the couple's starting words", path)
		}
	}
}

func TestHTTP_StartPageSaysWhoSeesTheAnswers(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	b.signUp("Ana", "ana@example.org")
	page := b.get("/couple/start").body
	if !strings.Contains(page, "You choose whether your partner sees your answers; a therapist never does.") {
		t.Fatalf("the start page does not say who sees the answers:\n%s", page)
	}
	d := doc(t, page)
	if v := attr(find(d, func(n *htmlNode) bool { return attr(n, "name") == "visibility" && hasAttr(n, "checked") }), "value"); v != "partner" {
		t.Fatalf("visibility preselected = %q", v)
	}
	if find(d, func(n *htmlNode) bool { return attr(n, "name") == "visibility" && attr(n, "value") == "therapist" }) != nil {
		t.Fatal("a therapist is offered as a reader of the starting words")
	}
	key := formKeyOn(t, page)
	wantStatus(t, b.post("/couple/start", url.Values{"form_key": {key}, "details": {"For me alone"}, "visibility": {"private"}}), http.StatusSeeOther)
	if got := section(t, b.get("/couple").body, "my-context-heading"); !strings.Contains(got, "Seen only by you.") {
		t.Fatalf("Ana's private words: %q", got)
	}
}
