package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestHTTP_TriggerQuickLogRespondAndPatterns(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	// "Log a trigger" is on every partner page.
	if !strings.Contains(ana.get("/couple").body, `href="/triggers/new"`) {
		t.Fatal("no quick-log link in the top bar")
	}
	// Category, intensity, Save: nothing else is needed.
	form := url.Values{"category": {"place"}, "intensity": {"7"}}
	res := quickLog(t, ana, form)
	wantStatus(t, res, http.StatusSeeOther)
	var n int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM triggers`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d triggers", n)
	}
	if body := ana.get("/triggers").body; !strings.Contains(body, "You: A place, 7 out of 10") {
		t.Fatalf("Ana's feed:\n%s", body)
	}
	body := ben.get("/today").body
	if !strings.Contains(body, "Ana logged a trigger") || !strings.Contains(body, "A place, 7 out of 10") {
		t.Fatalf("Ben's Today:\n%s", body)
	}
	var id string
	app.db.Pool.QueryRow(context.Background(), `SELECT id::text FROM triggers`).Scan(&id)
	// Ana cannot respond to her own; Ben can, and his answer replaces.
	wantStatus(t, ana.post("/triggers/"+id+"/respond", url.Values{"choice": {"here"}}), http.StatusNotFound)
	wantStatus(t, ben.post("/triggers/"+id+"/respond", url.Values{"choice": {"here"}}), http.StatusSeeOther)
	wantStatus(t, ben.post("/triggers/"+id+"/respond", url.Values{"response": {"I'll be home early"}, "did": {"Cancelled my evening"}}), http.StatusSeeOther)
	body = ana.get("/triggers").body
	if !strings.Contains(body, "I&#39;ll be home early") || !strings.Contains(body, "Cancelled my evening") {
		t.Fatalf("Ana does not see Ben's response:\n%s", body)
	}
	// An empty response is refused by the field, on Ben's feed.
	res = ben.post("/triggers/"+id+"/respond", url.Values{})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "Choose one of the answers") {
		t.Fatalf("no message:\n%s", res.body)
	}
	// A private trigger of Ana's shows nowhere for Ben.
	wantStatus(t, quickLog(t, ana, url.Values{"category": {"person"}, "intensity": {"9"}, "visibility": {"private"},
		"helped": {"Zebrafish breathing"}}), http.StatusSeeOther)
	for _, path := range []string{"/triggers", "/triggers?who=partner", "/triggers/patterns?who=partner", "/triggers/patterns", "/today"} {
		if b := ben.get(path).body; strings.Contains(b, "A person") || strings.Contains(strings.ToLower(b), "zebrafish") || strings.Contains(b, "9 out of 10") {
			t.Fatalf("Ben's %s shows Ana's private trigger:\n%s", path, b)
		}
	}
	// Her own phrase, as she wrote it, not its words.
	if b := ana.get("/triggers/patterns?who=me").body; !strings.Contains(b, "“Zebrafish breathing”") || !strings.Contains(b, "A person: 1") {
		t.Fatalf("Ana's own patterns leave out her private trigger:\n%s", b)
	}
	// On the space's first day nothing is compared with the weeks before it.
	if b := ana.get("/triggers/patterns?who=me").body; strings.Contains(b, "weeks before") || !strings.Contains(b, "logged today, the first day.") {
		t.Fatalf("Ana's day-one reading compares:\n%s", b)
	}
}

func TestHTTP_TriggerFormKeepsInputAndExplains(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, _ := pairUp(t, app)
	res := quickLog(t, ana, url.Values{"intensity": {"11"}, "need": {"Hold my hand"}, "when": {"2999-01-01T10:00"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := doc(t, res.body)
	for id, want := range map[string]string{
		"category-error":  "Choose what it was about",
		"intensity-error": "from 0 to 10",
		"when-error":      "still to come",
	} {
		if got := text(find(d, byID(id))); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if text(find(d, byID("need"))) != "Hold my hand" || !hasAttr(find(d, func(n *htmlNode) bool { return n.Data == "details" && attr(n, "class") == "more" }), "open") {
		t.Errorf("the optional part lost its input or stays closed:\n%s", res.body)
	}
	// A double tap logs once.
	form := url.Values{"category": {"media"}, "intensity": {"4"}}
	page := ana.get("/triggers/new")
	// One Save, after the optional part, and a hint that says what empty means.
	if n := strings.Count(page.body, `type="submit">Save</button>`); n != 1 {
		t.Errorf("the trigger form has %d Save buttons, want one", n)
	}
	if !strings.Contains(page.body, "Leave it empty if it is happening now.") {
		t.Errorf("the hint for when is missing")
	}
	form.Set("form_key", formKeyOn(t, page.body))
	form.Set("visibility", "partner")
	wantStatus(t, ana.post("/triggers", form), http.StatusSeeOther)
	wantStatus(t, ana.post("/triggers", form), http.StatusSeeOther)
	var n int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM triggers`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d triggers from one form sent twice", n)
	}
}

func TestHTTP_HardDatesAreAnnouncedAWeekAhead(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	loc, _ := time.LoadLocation("Europe/Berlin")
	in := func(days int) string { return app.clock().In(loc).AddDate(0, 0, days).Format(time.DateOnly) }
	page := ana.get("/hard-dates")
	key := formKeyOn(t, page.body)
	// The start of the space offered the day it came to light.
	if !strings.Contains(page.body, "The day it came to light") {
		t.Fatalf("the day it came to light is not offered:\n%s", page.body)
	}
	wantStatus(t, ana.post("/hard-dates", url.Values{"form_key": {key}, "label": {"Our anniversary"}, "date": {in(7)}, "yearly": {"on"}}), http.StatusSeeOther)
	wantStatus(t, ana.post("/hard-dates", url.Values{"form_key": {key + "2"}, "label": {"Her birthday"}, "date": {in(8)}}), http.StatusSeeOther)
	for _, b := range []*browser{ana, ben} {
		body := b.get("/today").body
		if !strings.Contains(body, "Our anniversary") || strings.Contains(body, "Her birthday") {
			t.Fatalf("Today's coming dates:\n%s", body)
		}
	}
	res := ana.post("/hard-dates", url.Values{"form_key": {key + "3"}, "label": {""}, "date": {"not a date"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "Give it a name") || !strings.Contains(res.body, "Enter a date like") {
		t.Fatalf("no messages:\n%s", res.body)
	}
}

func TestHTTP_TriggerEditsKeepTheirTimeAndPagesKeepEveryTrigger(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, _ := pairUp(t, app)
	ctx := context.Background()
	// 21 triggers at the same minute: paging must not skip one.
	when := app.clock().Add(-time.Hour).In(time.UTC).Format("2006-01-02T15:04")
	for range 21 {
		wantStatus(t, quickLog(t, ana, url.Values{"category": {"time"}, "intensity": {"3"}, "when": {when}}), http.StatusSeeOther)
	}
	first := ana.get("/triggers")
	next := attr(find(doc(t, first.body), func(n *htmlNode) bool { return n.Data == "a" && strings.Contains(attr(n, "href"), "before=") }), "href")
	second := ana.get(next)
	if got := strings.Count(first.body, "A time of day, 3 out of 10") + strings.Count(second.body, "A time of day, 3 out of 10"); got != 21 {
		t.Fatalf("two pages show %d of 21 triggers", got)
	}
	// A trigger from more than a year ago can still be made private, and
	// keeps its time.
	var id, at string
	app.db.Pool.QueryRow(ctx, `UPDATE triggers SET occurred_at = occurred_at - interval '13 months'
		WHERE id = (SELECT min(id) FROM triggers) RETURNING id::text, occurred_at::text`).Scan(&id, &at)
	page := ana.get("/triggers/" + id + "/edit")
	wantStatus(t, page, http.StatusOK)
	d := doc(t, page.body)
	form := url.Values{"category": {"time"}, "intensity": {"3"}, "visibility": {"private"},
		"when": {attr(find(d, byID("when")), "value")}}
	wantStatus(t, ana.post("/triggers/"+id+"/edit", form), http.StatusSeeOther)
	var after, vis string
	app.db.Pool.QueryRow(ctx, `SELECT occurred_at::text, visibility FROM triggers WHERE id = $1::bigint`, id).Scan(&after, &vis)
	if after != at || vis != "private" {
		t.Fatalf("after the edit: %s %s, want %s private", after, vis, at)
	}
}

func TestHTTP_AHardDateAddedBeforeThePartnerJoinsStays(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana := startSpace(t, app, "Ana")
	key := formKeyOn(t, ana.get("/hard-dates").body)
	wantStatus(t, ana.post("/hard-dates", url.Values{"form_key": {key}, "label": {"Zebra day"}, "date": {"2026-01-15"}, "yearly": {"on"}}), http.StatusSeeOther)
	link := invite(t, ana)
	ben := app.browser()
	ben.signUp("Ben", "ben@example.org")
	wantStatus(t, ben.post(pathOf(link), nil), http.StatusSeeOther)
	for _, b := range []*browser{ana, ben} {
		if !strings.Contains(b.get("/hard-dates").body, "Zebra day") {
			t.Fatal("the hard date added before Ben joined is gone")
		}
	}
}

func TestHTTP_TalkTimeAnswerIsOfferedOnlyWithAnAgreedTalkTime(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	wantStatus(t, quickLog(t, ana, url.Values{"category": {"place"}, "intensity": {"6"}}), http.StatusSeeOther)
	var id string
	app.db.Pool.QueryRow(context.Background(), `SELECT id::text FROM triggers`).Scan(&id)
	feed := ben.get("/triggers").body
	if strings.Contains(feed, `value="talk"`) || strings.Contains(feed, "talk time") || !strings.Contains(feed, `value="here"`) {
		t.Fatalf("Ben's answers should leave out the talk time:\n%s", feed)
	}
	// Without an agreed talk time, a form that sends it (from before, or
	// typed by hand) is refused with a clear reason, and nothing is stored.
	for _, form := range []url.Values{{"choice": {"talk"}}, {"choice": {"talk"}, "response": {"Tonight?"}}} {
		res := ben.post("/triggers/"+id+"/respond", form)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if msg := text(find(doc(t, res.body), byID("response-"+id+"-error"))); !strings.Contains(msg, "no agreed talk time") {
			t.Fatalf("message beside the answer = %q\n%s", msg, res.body)
		}
	}
	if n := app.count(`SELECT count(*) FROM trigger_responses`); n != 0 {
		t.Fatalf("%d responses stored", n)
	}
	// Once a talk time is agreed, it is offered and links to the next one.
	agreeTalkTime(t, ana, ben, "0", "19:00")
	feed = ben.get("/triggers").body
	if !strings.Contains(feed, `value="talk"`) || !strings.Contains(feed, "Your next talk time:") || !strings.Contains(feed, `href="/talk#agenda"`) {
		t.Fatalf("Ben's answers should offer the talk time:\n%s", feed)
	}
	wantStatus(t, ben.post("/triggers/"+id+"/respond", url.Values{"choice": {"talk"}}), http.StatusSeeOther)
	for who, b := range map[string]*browser{"Ana": ana, "Ben": ben} {
		body := b.get("/triggers").body
		if !strings.Contains(body, `<a href="/talk#agenda">Let&#39;s talk at our talk time</a> (next: `) {
			t.Fatalf("%s's feed does not show the answer with its link:\n%s", who, body)
		}
	}
}
