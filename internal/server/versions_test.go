package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// formOn returns what a browser would send from the form on page whose
// action is action, as the page shows it: text and hidden inputs, ticked
// boxes and radios, text areas and chosen options.
func formOn(t *testing.T, page *response, action string) url.Values {
	t.Helper()
	form := find(doc(t, page.body), func(n *htmlNode) bool { return n.Data == "form" && attr(n, "action") == action })
	if form == nil {
		t.Fatalf("no form to %s on %s (%d):\n%s", action, page.Request.URL.Path, page.StatusCode, page.body)
	}
	v := url.Values{}
	var walk func(n *htmlNode)
	walk = func(n *htmlNode) {
		if n.Type == html.ElementNode {
			name := attr(n, "name")
			switch {
			case name == "":
			case n.Data == "input":
				switch attr(n, "type") {
				case "submit", "button", "reset":
				case "checkbox", "radio":
					if hasAttr(n, "checked") {
						v.Add(name, attr(n, "value"))
					}
				default:
					v.Add(name, attr(n, "value"))
				}
			case n.Data == "textarea":
				var sb strings.Builder
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					sb.WriteString(c.Data)
				}
				v.Add(name, sb.String())
			case n.Data == "select":
				if o := find(n, func(o *htmlNode) bool { return o.Data == "option" && hasAttr(o, "selected") }); o != nil {
					v.Add(name, attr(o, "value"))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	return v
}

func (a *testApp) count(query string, args ...any) int {
	a.t.Helper()
	var n int
	if err := a.db.Pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		a.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// Forms sent back as they were shown, with nothing changed, keep no earlier
// version: the check-in, a trigger's and a commitment's edit forms, and
// one's starting words. A change keeps one.
func TestHTTP_FormsSentBackUnchangedKeepNoVersion(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	ctx := context.Background()

	// The check-in.
	wantStatus(t, checkIn(t, ana, "", url.Values{"mood": {"3"}, "connection": {"5"}, "feel": {"Tired"}}), http.StatusSeeOther)
	for range 2 {
		wantStatus(t, ana.post("/checkin", formOn(t, ana.get("/checkin?day="+berlinToday(app)), "/checkin")), http.StatusSeeOther)
	}
	if n := app.count(`SELECT count(*) FROM checkin_versions`); n != 0 {
		t.Fatalf("check-in form sent back unchanged twice: %d versions, want 0", n)
	}
	f := formOn(t, ana.get("/checkin?day="+berlinToday(app)), "/checkin")
	if f.Get("feel") != "Tired" || f.Get("mood") != "3" {
		t.Fatalf("the check-in form does not show the check-in: %v", f)
	}
	f.Set("feel", "Rested")
	wantStatus(t, ana.post("/checkin", f), http.StatusSeeOther)
	if n := app.count(`SELECT count(*) FROM checkin_versions`); n != 1 {
		t.Fatalf("check-in changed: %d versions, want 1", n)
	}

	// A trigger's edit form.
	wantStatus(t, quickLog(t, ana, url.Values{"category": {"place"}, "intensity": {"7"}, "what_happened": {"The old café"}}), http.StatusSeeOther)
	var id string
	app.db.Pool.QueryRow(ctx, `SELECT id::text FROM triggers`).Scan(&id)
	app.advance(10 * time.Minute)
	edit := "/triggers/" + id + "/edit"
	// The page after each edit says what it did: nothing, or a new version.
	saidAfter := func(res *response) string {
		t.Helper()
		wantStatus(t, res, http.StatusSeeOther)
		return ana.get(res.Header.Get("Location")).body
	}
	for range 2 {
		if body := saidAfter(ana.post(edit, formOn(t, ana.get(edit), edit))); !strings.Contains(body, "Nothing changed, so nothing new was saved.") {
			t.Fatalf("after an edit that changed nothing:\n%s", body)
		}
	}
	if n := app.count(`SELECT count(*) FROM trigger_versions`); n != 0 {
		t.Fatalf("trigger form sent back unchanged twice: %d versions, want 0", n)
	}
	f = formOn(t, ana.get(edit), edit)
	f.Set("intensity", "4")
	if body := saidAfter(ana.post(edit, f)); !strings.Contains(body, "Saved. The earlier version is kept.") {
		t.Fatalf("after a change:\n%s", body)
	}
	if n := app.count(`SELECT count(*) FROM trigger_versions`); n != 1 {
		t.Fatalf("trigger changed: %d versions, want 1", n)
	}

	// A commitment in force, days after it started: its edit form sent
	// back unchanged proposes nothing and says so.
	res := ana.post("/commitments", proposeForm(t, ana, nil))
	wantStatus(t, res, http.StatusSeeOther)
	path := res.Header.Get("Location")
	wantStatus(t, ben.post(path+"/answer", url.Values{"answer": {"agree"}}), http.StatusSeeOther)
	app.advance(3 * 24 * time.Hour)
	for _, b := range []*browser{ana, ben} {
		wantStatus(t, b.logIn(map[*browser]string{ana: "ana@example.org", ben: "ben@example.org"}[b], testPassword), http.StatusSeeOther)
		res := b.post(path+"/edit", formOn(t, b.get(path+"/edit"), path+"/edit"))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(text(find(doc(t, res.body), byID("form-error"))), "This is the version you both agreed to") {
			t.Fatalf("the unchanged change does not say why:\n%s", res.body)
		}
	}
	if n := app.count(`SELECT count(*) FROM commitment_versions`); n != 1 {
		t.Fatalf("commitment form sent back unchanged: %d versions, want 1", n)
	}
	f = formOn(t, ben.get(path+"/edit"), path+"/edit")
	f.Set("title", "I call if I am late, before seven")
	wantStatus(t, ben.post(path+"/edit", f), http.StatusSeeOther)
	if n := app.count(`SELECT count(*) FROM commitment_versions`); n != 2 {
		t.Fatalf("commitment changed: %d versions, want 2", n)
	}

	// Starting words: the row is not written again.
	const row = `SELECT c.xmin::text FROM couple_context c JOIN users u ON u.id = c.author_id WHERE u.name = 'Ana'`
	var before, after string
	if err := app.db.Pool.QueryRow(ctx, row).Scan(&before); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, ana.post("/couple/context", formOn(t, ana.get("/couple/context"), "/couple/context")), http.StatusSeeOther)
	if err := app.db.Pool.QueryRow(ctx, row).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Fatalf("starting words sent back unchanged were written again (%q, %q)", before, after)
	}
}
