package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// checked reports whether the radio button name=value on page is checked.
func checked(t *testing.T, body, name, value string) bool {
	t.Helper()
	n := find(doc(t, body), func(n *htmlNode) bool {
		return n.Data == "input" && attr(n, "name") == name && attr(n, "value") == value
	})
	if n == nil {
		t.Fatalf("no input %s=%s", name, value)
	}
	for _, a := range n.Attr {
		if a.Key == "checked" {
			return true
		}
	}
	return false
}

func TestHTTP_SessionCheckFromTodayToTheTherapist(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ctx := context.Background()
	ana, ben, tess := w.as(t, w.ana), w.as(t, w.ben), w.as(t, w.therapist)
	yesterday := app.clock().AddDate(0, 0, -1)
	day := yesterday.Format(time.DateOnly)
	if err := app.srv.therapy.AddSession(ctx, w.therapist, w.coupleA, day, ""); err != nil {
		t.Fatal(err)
	}
	old := app.clock().AddDate(0, 0, -15).Format(time.DateOnly)
	if err := app.srv.therapy.AddSession(ctx, w.therapist, w.coupleA, old, ""); err != nil {
		t.Fatal(err)
	}

	// Today asks about yesterday's session (today's is answered), not
	// about the one 15 days ago.
	today := ana.get("/today")
	offer := "How was your session with Tess on " + yesterday.Format("Monday 2 January") + "?"
	if !strings.Contains(today.body, offer) || strings.Count(today.body, "How was your session") != 1 {
		t.Fatalf("Ana's Today does not ask once %q:\n%s", offer, today.body)
	}
	wantStatus(t, ana.get("/sessions/"+old+"/check"), http.StatusNotFound)
	wantStatus(t, ana.get("/sessions/"+app.clock().AddDate(0, 0, -2).Format(time.DateOnly)+"/check"), http.StatusNotFound)
	wantStatus(t, ana.get("/sessions/not-a-day/check"), http.StatusNotFound)

	path := "/sessions/" + day + "/check"
	form := ana.get(path)
	wantStatus(t, form, http.StatusOK)
	for _, want := range []string{"How did the session go for you?", "Did you feel heard?", "How close and connected do you feel to Quorrin now?",
		"How hopeful do you feel about the two of you?", "Share these answers with Tess", "Quorrin never reads them", "Back to Today",
		anaCheckNote} {
		if !strings.Contains(strings.ReplaceAll(form.body, "&#39;", "'"), want) {
			t.Errorf("the check does not say %q", want)
		}
	}
	if checked(t, form.body, "share", "on") {
		t.Error("sharing is ticked before the partner chose it")
	}

	// An answer missing is asked for beside its scale, the rest kept.
	key := formKeyOf(t, form.body, path)
	res := ana.post(path, url.Values{"heard": {"2"}, "connected": {"5"}, "hopeful": {"8"}, "note": {"We talked about the evenings"},
		"share": {"on"}, "form_key": {key}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := text(find(doc(t, res.body), byID("went-error"))); !strings.Contains(msg, "how the session went") {
		t.Errorf("message beside the first question: %q", msg)
	}
	if text(find(doc(t, res.body), byID("note"))) != "We talked about the evenings" || !checked(t, res.body, "connected", "5") ||
		!checked(t, res.body, "hopeful", "8") || !checked(t, res.body, "share", "on") || !checked(t, res.body, "heard", "2") {
		t.Errorf("the answers were not kept:\n%s", res.body)
	}

	// Sent twice with one key: one answer. Today says so quietly and asks no more.
	key = formKeyOf(t, res.body, path)
	for range 2 {
		res = ana.post(path, url.Values{"went": {"4"}, "heard": {"3"}, "connected": {"5"}, "hopeful": {"8"},
			"note": {"Calmer after yesterday"}, "share": {"on"}, "form_key": {key}})
		wantStatus(t, res, http.StatusSeeOther)
	}
	var n int
	app.db.Pool.QueryRow(ctx, `SELECT count(*) FROM session_checks WHERE couple_id = $1 AND user_id = $2`, w.coupleA, w.ana.ID).Scan(&n)
	if n != 2 {
		t.Fatalf("Ana has %d answers, want 2 (today's and yesterday's)", n)
	}
	today = ana.get("/today")
	if !strings.Contains(today.body, "Saved. Thank you for taking a moment.") || strings.Contains(today.body, "How was your session") {
		t.Fatalf("Today after answering:\n%s", today.body)
	}

	// Tess reads Ana's shared answers, never Ben's; Ben never reads Ana's.
	page := tess.get("/caseload/" + strconv.FormatInt(w.coupleA, 10) + "/session-checks")
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, "Calmer after yesterday") || !strings.Contains(page.body, "gentle") || strings.Contains(page.body, benCheckNote) ||
		!strings.Contains(page.body, "Nothing shared by Quorrin yet.") {
		t.Fatalf("Tess's page of checks:\n%s", page.body)
	}
	for _, p := range []string{"/today", "/sessions/checks", "/sessions/" + w.day + "/check", path} {
		res := ben.get(p)
		if strings.Contains(res.body, "Calmer after yesterday") || strings.Contains(res.body, "gentle") {
			t.Errorf("Ben's %s shows Ana's answers", p)
		}
	}
	if !strings.Contains(ben.get("/sessions/checks").body, "wants to say why") {
		t.Error("Ben does not see his own answer")
	}
	// The couple's view log names the page.
	app.db.Pool.QueryRow(ctx, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'session-checks'`, w.coupleA).Scan(&n)
	if n != 1 {
		t.Fatalf("%d views of the checks logged, want 1", n)
	}
}
