package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// pendingLinkOn is the link id that the sharing page's Agree form carries.
func pendingLinkOn(t *testing.T, body string) string {
	t.Helper()
	form := find(doc(t, body), func(n *htmlNode) bool { return n.Data == "form" && attr(n, "action") == "/sharing/agree" })
	if form == nil {
		return ""
	}
	return attr(find(form, func(n *htmlNode) bool { return attr(n, "name") == "link" }), "value")
}

// historyOn is the text of the sharing page's history of choices.
func historyOn(t *testing.T, b *browser) string {
	t.Helper()
	return text(find(doc(t, b.get("/sharing").body), byID("history-heading")).Parent)
}

func flashOn(t *testing.T, b *browser, path string) string {
	t.Helper()
	return text(find(doc(t, b.get(path).body), func(n *htmlNode) bool { return attr(n, "class") == "flash" }))
}

func TestHTTP_TherapistLinkWaitsForTheOtherPartner(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	var coupleID int64
	app.db.Pool.QueryRow(context.Background(), `SELECT id FROM couples`).Scan(&coupleID)
	overview := "/caseload/" + strconv.FormatInt(coupleID, 10)
	wantStatus(t, ana.post("/sharing/defaults", url.Values{"share": {"checkins"}}), http.StatusSeeOther)
	tess := therapistSignUp(t, app, "Tess", "tess@example.org", "Dr Tess Lee")
	inviteTherapist(t, ben, tess)

	// Tess sees who invited her, and nothing else of the couple.
	res := tess.get("/caseload")
	if !strings.Contains(res.body, "Ben invited you") || strings.Contains(res.body, "Ana") || strings.Contains(res.body, `href="/caseload/`) {
		t.Fatalf("Tess's caseload while the link waits:\n%s", res.body)
	}
	if f := text(find(doc(t, res.body), func(n *htmlNode) bool { return attr(n, "class") == "flash" })); !strings.Contains(f, "once both partners have agreed") {
		t.Fatalf("flash after accepting = %q", f)
	}
	for _, path := range []string{overview, overview + "/checkins", overview + "/commitments", overview + "/triggers"} {
		if res := tess.get(path); res.StatusCode != http.StatusNotFound || strings.Contains(res.body, "Ana") {
			t.Fatalf("GET %s while pending: %d\n%s", path, res.StatusCode, res.body)
		}
	}
	wantStatus(t, tess.post(overview+"/step-away", nil), http.StatusNotFound)

	// Ben, who invited, sees that it waits for Ana; he cannot agree for her.
	body := ben.get("/sharing").body
	if !strings.Contains(body, "You invited <strong>Dr Tess Lee</strong>") || !strings.Contains(body, "until Ana agrees") ||
		pendingLinkOn(t, body) != "" || !strings.Contains(body, "End this link") {
		t.Fatalf("Ben's sharing page while it waits:\n%s", body)
	}
	var linkID string
	app.db.Pool.QueryRow(context.Background(), `SELECT id::text FROM therapist_links`).Scan(&linkID)
	wantStatus(t, ben.post("/sharing/agree", url.Values{"link": {linkID}}), http.StatusSeeOther)
	if f := flashOn(t, ben, "/sharing"); !strings.Contains(f, "no therapist waiting for your agreement") {
		t.Fatalf("Ben agreeing to his own invitation: flash %q", f)
	}
	wantStatus(t, tess.get(overview), http.StatusNotFound)
	if h := historyOn(t, ben); !strings.Contains(h, "Tess accepted your invitation") {
		t.Fatalf("Ben's history: %s", h)
	}

	// Ana is told on Today, and answers on Sharing.
	if body := ana.get("/today").body; !strings.Contains(body, "Waiting for your answer") || !strings.Contains(body, "Ben invited Dr Tess Lee") {
		t.Fatalf("Ana's Today while a therapist waits:\n%s", body)
	}
	if body := ben.get("/today").body; strings.Contains(body, "Waiting for your answer") || strings.Contains(body, "invited Dr Tess Lee") {
		t.Fatal("Ben, who invited, is asked to answer")
	}
	body = ana.get("/sharing").body
	if !strings.Contains(body, "Ben invited <strong>Dr Tess Lee</strong>") || !strings.Contains(body, "not even your name") || pendingLinkOn(t, body) != linkID ||
		!strings.Contains(body, `action="/sharing/decline"`) {
		t.Fatalf("Ana's sharing page while it waits:\n%s", body)
	}
	if h := historyOn(t, ana); !strings.Contains(h, "Tess accepted Ben's invitation") {
		t.Fatalf("Ana's history: %s", h)
	}
	agreeTo(t, ana)
	if f := flashOn(t, ana, "/sharing"); !strings.Contains(f, "You agreed") {
		t.Fatalf("flash after agreeing = %q", f)
	}
	if res := tess.get("/caseload"); !strings.Contains(res.body, "Ana and Ben") || !strings.Contains(res.body, `href="`+overview+`"`) {
		t.Fatalf("Tess's caseload once both agreed:\n%s", res.body)
	}
	if res := tess.get(overview); res.StatusCode != http.StatusOK || !strings.Contains(res.body, "Ana: check-ins") {
		t.Fatalf("overview once both agreed: %d\n%s", res.StatusCode, res.body)
	}
	if h := historyOn(t, ana); !strings.Contains(h, "You agreed: Tess was linked as your therapist") {
		t.Fatalf("Ana's history: %s", h)
	}
	if h := historyOn(t, ben); !strings.Contains(h, "Ana agreed: Tess was linked as your therapist") {
		t.Fatalf("Ben's history: %s", h)
	}
	if body := ana.get("/today").body; strings.Contains(body, "waits for your answer") {
		t.Fatal("Ana is still asked to answer")
	}
	// Either can still end it at once.
	wantStatus(t, ben.post("/sharing/end", nil), http.StatusSeeOther)
	wantStatus(t, tess.get(overview), http.StatusNotFound)
}

func TestHTTP_APendingLinkIsDeclinedWithdrawnOrEnded(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	tess := therapistSignUp(t, app, "Tess", "tess@example.org", "Dr Tess Lee")
	dev := therapistSignUp(t, app, "Dev", "dev@example.org", "Dev Rao, MFT")

	// Ana declines: it ends at once, for everyone.
	inviteTherapist(t, ben, tess)
	stale := pendingLinkOn(t, ana.get("/sharing").body)
	wantStatus(t, ana.post("/sharing/decline", url.Values{"link": {stale}}), http.StatusSeeOther)
	if f := flashOn(t, ana, "/sharing"); !strings.Contains(f, "You declined") {
		t.Fatalf("flash after declining = %q", f)
	}
	if res := tess.get("/caseload"); !strings.Contains(res.body, "No couples yet") {
		t.Fatalf("Tess's caseload after Ana declined:\n%s", res.body)
	}
	if h := historyOn(t, ana); !strings.Contains(h, "You declined Tess") {
		t.Fatalf("Ana's history: %s", h)
	}
	if h := historyOn(t, ben); !strings.Contains(h, "Ana declined Tess") {
		t.Fatalf("Ben's history: %s", h)
	}
	if body := ana.get("/sharing").body; !strings.Contains(body, `action="/sharing/invite"`) {
		t.Fatalf("no way to invite again after declining:\n%s", body)
	}

	// Tess withdraws from the next one, before Ana answers.
	inviteTherapist(t, ben, tess)
	res := tess.get("/caseload")
	withdraw := attr(find(doc(t, res.body), func(n *htmlNode) bool {
		return n.Data == "form" && strings.HasPrefix(attr(n, "action"), "/caseload/invitations/")
	}), "action")
	if withdraw == "" {
		t.Fatalf("no way to withdraw on the caseload:\n%s", res.body)
	}
	wantStatus(t, dev.post(withdraw, nil), http.StatusNotFound) // not Dev's
	wantStatus(t, ana.post(withdraw, nil), http.StatusNotFound) // not a partner's route
	wantStatus(t, tess.post(withdraw, nil), http.StatusSeeOther)
	if res := tess.get("/caseload"); !strings.Contains(res.body, "No couples yet") {
		t.Fatalf("Tess's caseload after withdrawing:\n%s", res.body)
	}
	if h := historyOn(t, ana); !strings.Contains(h, "Tess withdrew before it was agreed") {
		t.Fatalf("Ana's history: %s", h)
	}

	// Ben, who invited, ends the next one himself.
	inviteTherapist(t, ben, tess)
	wantStatus(t, ben.post("/sharing/end", nil), http.StatusSeeOther)
	if h := historyOn(t, ana); !strings.Contains(h, "Ben withdrew the invitation to Tess") {
		t.Fatalf("Ana's history: %s", h)
	}
	if h := historyOn(t, ben); !strings.Contains(h, "You withdrew the invitation to Tess") {
		t.Fatalf("Ben's history: %s", h)
	}

	// Ben invites Dev instead. An old Agree form never lands on Dev's link.
	inviteTherapist(t, ben, dev)
	wantStatus(t, ana.post("/sharing/agree", url.Values{"link": {stale}}), http.StatusSeeOther)
	if f := flashOn(t, ana, "/sharing"); !strings.Contains(f, "no therapist waiting for your agreement") {
		t.Fatalf("a stale Agree: flash %q", f)
	}
	if res := dev.get("/caseload"); !strings.Contains(res.body, "Ben invited you") {
		t.Fatalf("Dev's caseload after a stale Agree:\n%s", res.body)
	}
	// While Dev waits, nobody can invite a second therapist.
	res = ana.post("/sharing/invite", nil)
	wantStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.body, "waiting for both of you to agree") {
		t.Fatalf("inviting while one waits:\n%s", res.body)
	}
}
