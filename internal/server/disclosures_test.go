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

// disclose posts the disclosure form taken fresh from its page, with
// fields set on top of its defaults.
func disclose(t *testing.T, b *browser, fields url.Values) *response {
	t.Helper()
	page := b.get("/disclosures/new")
	wantStatus(t, page, http.StatusOK)
	d := doc(t, page.body)
	form := url.Values{"form_key": {formKeyOn(t, page.body)}}
	for _, name := range []string{"how", "visibility"} {
		form.Set(name, attr(find(d, func(n *htmlNode) bool { return attr(n, "name") == name && hasAttr(n, "checked") }), "value"))
	}
	form.Set("day", attr(find(d, byID("day")), "value"))
	for k, v := range fields {
		form[k] = v
	}
	return b.post("/disclosures", form)
}

func TestDisclosures_HTTP(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	ctx := context.Background()
	// Our space leads to it; Today and the top bar are as they were.
	if body := ana.get("/couple").body; !strings.Contains(body, `href="/disclosures"`) {
		t.Fatalf("Our space has no link to disclosures:\n%s", body)
	}
	// A first visit guides the next step.
	if body := ben.get("/disclosures").body; !strings.Contains(body, "Nothing told here yet") || !strings.Contains(body, `href="/disclosures/new"`) {
		t.Fatalf("empty page:\n%s", body)
	}
	// Enter (the first button) or "Keep as a private draft" keeps it private.
	wantStatus(t, disclose(t, ana, url.Values{"topic": {"contact"}, "body": {"She wrote to me on Sunday"}, "action": {"draft"}}), http.StatusSeeOther)
	var draftID string
	app.db.Pool.QueryRow(ctx, `SELECT id::text FROM disclosures`).Scan(&draftID)
	body := ana.get("/disclosures").body
	if !strings.Contains(body, "She wrote to me on Sunday") || !strings.Contains(body, "Only you can see this until you send it") {
		t.Fatalf("Ana's draft:\n%s", body)
	}
	for _, path := range []string{"/disclosures", "/today", "/couple"} {
		if strings.Contains(ben.get(path).body, "She wrote to me") {
			t.Fatalf("Ben's %s shows Ana's draft", path)
		}
	}
	wantStatus(t, ben.get("/disclosures/drafts/"+draftID+"/edit"), http.StatusNotFound)
	wantStatus(t, ben.post("/disclosures/drafts/"+draftID+"/send", nil), http.StatusNotFound)
	wantStatus(t, ben.post("/disclosures/"+draftID+"/answer", url.Values{"answer": {"I hear you."}}), http.StatusNotFound)
	// Ana changes the draft, then sends it.
	edit := ana.get("/disclosures/drafts/" + draftID + "/edit")
	wantStatus(t, edit, http.StatusOK)
	if !strings.Contains(edit.body, "She wrote to me on Sunday") {
		t.Fatalf("the draft's form lost its words:\n%s", edit.body)
	}
	day := app.clock().Format(time.DateOnly)
	wantStatus(t, ana.post("/disclosures/drafts/"+draftID+"/edit", url.Values{"how": {"told"}, "topic": {"contact"}, "day": {day},
		"body": {"She wrote to me on Sunday. I did not answer."}, "visibility": {"partner"}, "action": {"draft"}}), http.StatusSeeOther)
	wantStatus(t, ana.post("/disclosures/drafts/"+draftID+"/send", nil), http.StatusSeeOther)
	wantStatus(t, ana.post("/disclosures/drafts/"+draftID+"/send", nil), http.StatusNotFound)
	wantStatus(t, ana.get("/disclosures/drafts/"+draftID+"/edit"), http.StatusNotFound)
	body = ben.get("/disclosures").body
	if !strings.Contains(body, "Ana told you: Contact from the affair partner") || !strings.Contains(body, "I did not answer.") {
		t.Fatalf("Ben's page:\n%s", body)
	}
	// Ben answers, once for a form sent twice; Ana cannot answer her own.
	key := attr(find(doc(t, body), func(n *htmlNode) bool { return attr(n, "name") == "form_key" }), "value")
	for range 2 {
		wantStatus(t, ben.post("/disclosures/"+draftID+"/answer", url.Values{"form_key": {key}, "preset": {"Thank you for telling me."}}), http.StatusSeeOther)
	}
	wantStatus(t, ana.post("/disclosures/"+draftID+"/answer", url.Values{"answer": {"Me too"}}), http.StatusNotFound)
	var answers int
	app.db.Pool.QueryRow(ctx, `SELECT count(*) FROM disclosure_answers`).Scan(&answers)
	if answers != 1 {
		t.Fatalf("%d answers from one form sent twice", answers)
	}
	if body := ana.get("/disclosures").body; !strings.Contains(body, "Ben answered:") || !strings.Contains(body, "Seen by you and Ben") {
		t.Fatalf("Ana's page after Ben answered:\n%s", body)
	}
	// Ben notes something he found out: it is kept apart, under Discovered.
	wantStatus(t, disclose(t, ben, url.Values{"how": {"discovered"}, "topic": {"slip"}, "body": {"I saw the messages"}, "action": {"send"}}), http.StatusSeeOther)
	body = ana.get("/disclosures").body
	told, found := strings.Index(body, `id="told-heading"`), strings.Index(body, `id="found-heading"`)
	if i := strings.Index(body, "Ben found out: A slip"); told < 0 || found < told || i < found {
		t.Fatalf("the discovered one is not under Discovered:\n%s", body)
	}
	// A form sent twice writes once.
	page := ana.get("/disclosures/new")
	form := url.Values{"form_key": {formKeyOn(t, page.body)}, "how": {"told"}, "topic": {"temptation"}, "day": {day},
		"body": {"A temptation today"}, "visibility": {"partner"}, "action": {"send"}}
	wantStatus(t, ana.post("/disclosures", form), http.StatusSeeOther)
	wantStatus(t, ana.post("/disclosures", form), http.StatusSeeOther)
	var n int
	app.db.Pool.QueryRow(ctx, `SELECT count(*) FROM disclosures WHERE topic = 'temptation'`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d disclosures from one form sent twice", n)
	}
}

func TestDisclosures_FormKeepsInputAndExplains(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, _ := pairUp(t, app)
	future := app.clock().AddDate(0, 0, 3).Format(time.DateOnly)
	res := disclose(t, ana, url.Values{"topic": {"affair"}, "day": {future}, "body": {"  "}, "action": {"send"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := doc(t, res.body)
	for id, want := range map[string]string{
		"topic-error": "Choose what it is about",
		"day-error":   "still to come",
		"body-error":  "in your own words",
	} {
		if got := text(find(d, byID(id))); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if got := attr(find(d, byID("day")), "value"); got != future {
		t.Errorf("the day typed is not kept: %q", got)
	}
	if attr(find(d, byID("body")), "aria-describedby") == "" || find(d, byID("form-error")) == nil {
		t.Errorf("the errors are not tied to their fields:\n%s", res.body)
	}
	res = disclose(t, ana, url.Values{"topic": {"slip"}, "how": {"discovered"}, "body": {"Kept words"}, "day": {"not a day"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d = doc(t, res.body)
	if text(find(d, byID("body"))) != "Kept words" || !hasAttr(find(d, func(n *htmlNode) bool {
		return attr(n, "name") == "how" && attr(n, "value") == "discovered"
	}), "checked") {
		t.Errorf("the input is not kept:\n%s", res.body)
	}
	var n int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM disclosures`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d disclosures written from invalid forms", n)
	}
	// An empty answer says so beside the field.
	res = ana.post("/disclosures/1/answer", url.Values{"answer": {""}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
}

func TestDisclosures_TherapistPageFiltersAndExplainsBadDays(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	tess := w.as(t, w.therapist)
	base := "/caseload/" + strconv.FormatInt(w.coupleA, 10)
	if body := tess.get(base).body; !strings.Contains(body, base+"/disclosures") {
		t.Fatalf("the overview has no link to disclosures:\n%s", body)
	}
	res := tess.get(base + "/disclosures")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "Quorrin got a message about the lake house") || strings.Contains(res.body, "Zelphine&#39;s draft") {
		t.Fatalf("Tess's page:\n%s", res.body)
	}
	res = tess.get(base + "/disclosures?from=last+week&to=2020-01-01")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if d := doc(t, res.body); !strings.Contains(text(find(d, byID("from-error"))), "Enter the first day as a date") || attr(find(d, byID("from")), "value") != "last week" {
		t.Fatalf("a bad day is not explained:\n%s", res.body)
	}
	res = tess.get(base + "/disclosures?from=2000-01-01&to=2000-12-31")
	wantStatus(t, res, http.StatusOK)
	if strings.Contains(res.body, "lake house") || !strings.Contains(res.body, "0 told, 0 discovered") {
		t.Fatalf("a range without any:\n%s", res.body)
	}
}
