package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestHTTP_TodayLeadsWithWhatNeedsTheReader: Ana logs her commitment from
// Today in one tap and lands back on Today; Ben's Today then leads with
// Ana's trigger, then her log waiting for "I saw this", before the
// check-in; one tap on "I saw this" brings him back to Today without it.
func TestHTTP_TodayLeadsWithWhatNeedsTheReader(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	res := ana.post("/commitments", proposeForm(t, ana, nil))
	wantStatus(t, res, http.StatusSeeOther)
	path := res.Header.Get("Location")
	wantStatus(t, ben.post(path+"/answer", url.Values{"answer": {"agree"}}), http.StatusSeeOther)

	// Ana's Today: the commitment due today, with Kept, Partly and Missed.
	d := doc(t, ana.get("/today").body)
	form := find(d, func(n *html.Node) bool { return attr(n, "class") == "one-tap" })
	if form == nil || attr(form, "action") != path+"/log" {
		t.Fatalf("no one-tap form for %s on Ana's Today", path)
	}
	values := url.Values{}
	var statuses []string
	walk(form, func(n *html.Node) {
		switch {
		case n.Data == "input" && attr(n, "type") == "hidden":
			values.Set(attr(n, "name"), attr(n, "value"))
		case n.Data == "button":
			statuses = append(statuses, attr(n, "value"))
		}
	})
	if strings.Join(statuses, " ") != "kept partly missed" || values.Get("form_key") == "" || values.Get("back") != "today" {
		t.Fatalf("the one-tap form: statuses %v, values %v", statuses, values)
	}
	values.Set("status", "kept")
	res = ana.post(path+"/log", values)
	wantStatus(t, res, http.StatusSeeOther)
	if to := res.Header.Get("Location"); to != "/today" {
		t.Fatalf("a one-tap log lands on %q, want /today", to)
	}
	wantStatus(t, ana.post(path+"/log", values), http.StatusSeeOther) // a double tap logs once
	var n int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM commitment_logs`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d logs from one tap sent twice", n)
	}
	if body := ana.get("/today").body; strings.Contains(body, "Your commitments today") {
		t.Fatal("Ana's Today still asks for the commitment she logged")
	}
	wantStatus(t, ana.post("/triggers", url.Values{"category": {"place"}, "intensity": {"7"}, "visibility": {"partner"}}), http.StatusSeeOther)

	// Ben's Today, in order: Ana's trigger, what waits for him, the check-in.
	body := ben.get("/today").body
	order := []string{"Ana logged a trigger", "Waiting for your answer", "Ana logged", "Kept", "I saw this", "Today's check-in"}
	at := 0
	for _, want := range order {
		i := strings.Index(body[at:], want)
		if i < 0 {
			t.Fatalf("Ben's Today: %q missing or out of order (want %v):\n%s", want, order, body)
		}
		at += i + len(want)
	}
	// No two cards share a title.
	titles := map[string]bool{}
	walk(doc(t, body), func(n *html.Node) {
		if n.Data == "h2" {
			if title := text(n); titles[title] {
				t.Errorf("two cards on Ben's Today are titled %q", title)
			} else {
				titles[title] = true
			}
		}
	})
	var logID string
	app.db.Pool.QueryRow(context.Background(), `SELECT id::text FROM commitment_logs`).Scan(&logID)
	res = ben.post(path+"/logs/"+logID+"/respond", url.Values{"confirmed": {"yes"}, "back": {"today"}})
	wantStatus(t, res, http.StatusSeeOther)
	if to := res.Header.Get("Location"); to != "/today" {
		t.Fatalf("I saw this on Today lands on %q", to)
	}
	if body := ben.get("/today").body; strings.Contains(body, "I saw this") || !strings.Contains(body, "From Ana, the last 14 days") {
		t.Fatalf("Ben's Today after I saw this:\n%s", body)
	}
	// Only "today" returns to Today: any other value lands on the commitment.
	res = ben.post(path+"/logs/"+logID+"/respond", url.Values{"confirmed": {"yes"}, "back": {"https://example.com"}})
	if to := res.Header.Get("Location"); to != path {
		t.Fatalf("back=elsewhere lands on %q", to)
	}
}

// walk calls f on n and every node under it.
func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

// TestHTTP_MoreBeforeASpaceOffersToStartOrJoin: More lists the places of
// a space only inside one; before, it offers to start or join.
func TestHTTP_MoreBeforeASpaceOffersToStartOrJoin(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	cy := app.browser()
	cy.signUp("Cy", "cy@example.org")
	body := cy.get("/more").body
	if !strings.Contains(body, "You are not in a couple space yet") || !strings.Contains(body, `href="/couple/start"`) ||
		strings.Contains(body, `href="/progress"`) || !strings.Contains(body, `href="/settings"`) {
		t.Fatalf("More before a space:\n%s", body)
	}
	ana, _ := pairUp(t, app)
	body = ana.get("/more").body
	if strings.Contains(body, "You are not in a couple space yet") || !strings.Contains(body, `href="/progress"`) {
		t.Fatalf("More in a space:\n%s", body)
	}
}
