package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

func TestHTTP_CommitmentFormKeepsInputAndExplains(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, _ := pairUp(t, app)
	form := proposeForm(t, ana, url.Values{"review_on": {""}, "details": {"Before seven, every evening"}, "rhythm": {"weekdays"},
		"weekday0": {"on"}, "weekday3": {"on"}, "visibility": {"private"}})
	res := ana.post("/commitments", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := doc(t, res.body)
	for id, want := range map[string]string{
		"review_on-error":  "Commitments are reviewed, not forever",
		"visibility-error": "Choose who can see this commitment",
	} {
		if got := text(find(d, byID(id))); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	if attr(find(d, byID("title")), "value") != "I call if I am late" || text(find(d, byID("details"))) != "Before seven, every evening" {
		t.Error("title or details lost")
	}
	for _, day := range []string{"weekday0", "weekday3"} {
		if !hasAttr(find(d, func(n *htmlNode) bool { return attr(n, "name") == day }), "checked") {
			t.Errorf("%s no longer ticked", day)
		}
	}
	var n int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM commitments`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d commitments from an invalid form", n)
	}
}

func TestHTTP_CommitmentProposedAgreedLoggedAnswered(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	form := proposeForm(t, ana, nil)
	// A double tap proposes once.
	res := ana.post("/commitments", form)
	wantStatus(t, res, http.StatusSeeOther)
	path := res.Header.Get("Location")
	wantStatus(t, ana.post("/commitments", form), http.StatusSeeOther)
	var n int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM commitments`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d commitments from one form sent twice", n)
	}
	if body := ana.get(path).body; !strings.Contains(body, "Waiting for Ben to agree") || strings.Contains(body, `value="agree"`) {
		t.Fatalf("the proposer's page:\n%s", body)
	}
	// Ana cannot agree to her own proposal.
	wantStatus(t, ana.post(path+"/answer", url.Values{"answer": {"agree"}}), http.StatusForbidden)
	if body := ben.get("/today").body; !strings.Contains(body, "I call if I am late") || !strings.Contains(body, "waits for your answer") {
		t.Fatalf("Ben's Today:\n%s", body)
	}
	// Asking for a change needs a note; the page says so by the field.
	res = ben.post(path+"/answer", url.Values{"answer": {"change"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(text(find(doc(t, res.body), byID("note-error"))), "Say what you would like changed") {
		t.Fatalf("no note message:\n%s", res.body)
	}
	wantStatus(t, ben.post(path+"/answer", url.Values{"answer": {"agree"}, "note": {"Yes, thank you"}}), http.StatusSeeOther)
	if body := ana.get(path).body; !strings.Contains(body, `<span class="tag">Agreed</span>`) || !strings.Contains(body, "Ben agreed to it: <span class=\"prewrap\">“Yes, thank you”") {
		t.Fatalf("after agreement:\n%s", body)
	}

	// Only Ana, the owner, logs; Ben cannot.
	page := ana.get(path)
	key := attr(find(doc(t, page.body), func(n *htmlNode) bool { return attr(n, "name") == "form_key" }), "value")
	wantStatus(t, ben.post(path+"/log", url.Values{"status": {"kept"}}), http.StatusNotFound)
	log := url.Values{"form_key": {key}, "status": {"missed"}, "note": {"Stuck at work, I should have called"}}
	wantStatus(t, ana.post(path+"/log", log), http.StatusSeeOther)
	wantStatus(t, ana.post(path+"/log", log), http.StatusSeeOther) // sent twice: one entry
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM commitment_logs`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d log entries from one form sent twice", n)
	}
	var logID string
	app.db.Pool.QueryRow(context.Background(), `SELECT id::text FROM commitment_logs`).Scan(&logID)
	body := ben.get(path).body
	if !strings.Contains(body, "Owned miss") || !strings.Contains(body, "Stuck at work") {
		t.Fatalf("Ben's view of the log:\n%s", body)
	}
	// Ana corrects it before Ben answers: the earlier version is kept.
	wantStatus(t, ana.post(path+"/logs/"+logID, url.Values{"status": {"partly"}, "note": {"Called, but late"}}), http.StatusSeeOther)
	wantStatus(t, ben.post(path+"/logs/"+logID+"/respond", url.Values{"confirmed": {"yes"}, "response": {"Thank you for telling me"}}), http.StatusSeeOther)
	body = ana.get(path).body
	if !strings.Contains(body, "Ben saw this.") || !strings.Contains(body, "Thank you for telling me") || !strings.Contains(body, "Earlier versions (1)") {
		t.Fatalf("Ana's view after Ben's answer:\n%s", body)
	}
	// Once answered, the entry stays as it is.
	if strings.Contains(body, "Change this entry") {
		t.Fatal("an answered entry can still be changed")
	}
	res = ana.post(path+"/logs/"+logID, url.Values{"status": {"kept"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "already answered this entry") {
		t.Fatalf("no message for the locked entry:\n%s", res.body)
	}
	// The owner cannot answer their own entry.
	wantStatus(t, ana.post(path+"/logs/"+logID+"/respond", url.Values{"confirmed": {"yes"}}), http.StatusNotFound)
}

func TestHTTP_CommitmentReviewPauseAndComplete(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	loc, _ := time.LoadLocation("Europe/Berlin")
	review := app.clock().In(loc).AddDate(0, 0, 7).Format(time.DateOnly)
	res := ana.post("/commitments", proposeForm(t, ana, url.Values{"for": {"partner"}, "title": {"Would you tell me about purchases over $50"},
		"rhythm": {"each_time"}, "review_on": {review}}))
	wantStatus(t, res, http.StatusSeeOther)
	path := res.Header.Get("Location")
	wantStatus(t, ben.post(path+"/answer", url.Values{"answer": {"agree"}}), http.StatusSeeOther)
	// Keeping it is for its review date; before then it is refused.
	wantStatus(t, ben.post(path+"/review", url.Values{"action": {"keep"}, "review_on": {"2099-01-01"}}), http.StatusUnprocessableEntity)

	app.advance(8 * 24 * time.Hour)
	ana.logIn("ana@example.org", testPassword)
	ben.logIn("ben@example.org", testPassword)
	if body := ana.get("/commitments").body; !strings.Contains(body, "Time to review") {
		t.Fatalf("no review on the list:\n%s", body)
	}
	next := app.clock().In(loc).AddDate(0, 0, 28).Format(time.DateOnly)
	wantStatus(t, ana.post(path+"/review", url.Values{"action": {"keep"}, "review_on": {next}}), http.StatusSeeOther)
	if body := ben.get(path).body; !strings.Contains(body, "Ana kept it at the review") || strings.Contains(body, "Time to review") {
		t.Fatalf("after keeping:\n%s", body)
	}
	wantStatus(t, ben.post(path+"/review", url.Values{"action": {"pause"}}), http.StatusSeeOther)
	if body := ana.get(path).body; !strings.Contains(body, "Paused") || !strings.Contains(body, `value="resume"`) {
		t.Fatalf("after pausing:\n%s", body)
	}
	wantStatus(t, ana.post(path+"/review", url.Values{"action": {"complete"}}), http.StatusSeeOther)
	if body := ben.get("/commitments").body; !strings.Contains(body, "Completed, declined or withdrawn") || !strings.Contains(body, "Show them (1)") {
		t.Fatalf("after completing:\n%s", body)
	}
}

func TestHTTP_DeclinedProposalsAndRefusedChangesReadCalmly(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	res := ana.post("/commitments", proposeForm(t, ana, url.Values{"title": {"No phone at dinner"}}))
	wantStatus(t, res, http.StatusSeeOther)
	declined := res.Header.Get("Location")
	wantStatus(t, ben.post(declined+"/answer", url.Values{"answer": {"decline"}, "note": {"Let's talk first"}}), http.StatusSeeOther)
	for _, b := range []*browser{ana, ben} {
		for _, path := range []string{"/commitments", declined, "/today"} {
			if res := b.get(path); res.StatusCode != http.StatusOK || !strings.Contains(res.body, "No phone at dinner") && path != "/today" {
				t.Fatalf("GET %s after a decline: %d\n%s", path, res.StatusCode, res.body)
			}
		}
	}
	// A change while the other's change waits: a message by the form, and
	// what was typed is still there.
	res = ana.post("/commitments", proposeForm(t, ana, url.Values{"title": {"I call if I am late"}}))
	path := res.Header.Get("Location")
	wantStatus(t, ben.post(path+"/answer", url.Values{"answer": {"agree"}}), http.StatusSeeOther)
	edit := func(b *browser, title string) *response {
		page := b.get(path + "/edit")
		d := doc(t, page.body)
		return b.post(path+"/edit", url.Values{"form_key": {formKeyOn(t, page.body)}, "title": {title}, "rhythm": {"daily"},
			"starts_on": {attr(find(d, byID("starts_on")), "value")}, "review_on": {attr(find(d, byID("review_on")), "value")},
			"visibility": {"partner"}})
	}
	wantStatus(t, edit(ana, "I call or text if I am late"), http.StatusSeeOther)
	res = edit(ben, "Home by seven")
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "Please answer it first") || attr(find(doc(t, res.body), byID("title")), "value") != "Home by seven" {
		t.Fatalf("the refused change:\n%s", res.body)
	}
}

func TestHTTP_AskingThePartnerShowsFairnessGuidanceAndAnEarlierReview(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	// Ana's days are Berlin's (startSpace signs up in Europe/Berlin).
	berlin, _ := time.LoadLocation("Europe/Berlin")
	today := app.clock().In(berlin)
	day := func(days int) string {
		return time.Date(today.Year(), today.Month(), today.Day()+days, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	ask := ana.get("/commitments/new?for=partner")
	wantStatus(t, ask, http.StatusOK)
	d := doc(t, ask.body)
	if got := attr(find(d, byID("review_on")), "value"); got != day(mend.AskReviewAfterDays) {
		t.Fatalf("an ask's review defaults to %s, want %s (2 weeks)", got, day(14))
	}
	picked := find(d, func(n *htmlNode) bool { return attr(n, "name") == "for" && hasAttr(n, "checked") })
	if attr(picked, "value") != "partner" {
		t.Fatal("the ask should be preselected as Ben's to keep")
	}
	guidance := text(find(d, byID("fair-heading")).Parent)
	for _, want := range []string{"offered freely", "specific and has an end", "limits where Ben goes or whom Ben sees", "can become control"} {
		if !strings.Contains(guidance, want) {
			t.Errorf("the guidance should say %q; it reads %q", want, guidance)
		}
	}
	if h1 := text(find(d, func(n *htmlNode) bool { return n.Data == "h1" })); h1 != "Ask Ben to keep a commitment" {
		t.Errorf("h1 = %q", h1)
	}
	// A promise of one's own keeps 4 weeks, and no guidance about asks.
	own := doc(t, ana.get("/commitments/new").body)
	if got := attr(find(own, byID("review_on")), "value"); got != day(mend.ReviewAfterDays) {
		t.Fatalf("a promise of one's own reviews on %s, want %s (4 weeks)", got, day(28))
	}
	if find(own, byID("fair-heading")) != nil {
		t.Error("guidance about asks on the form for one's own promise")
	}
	// The ask, as sent from its form, waits for Ben, who declines in one tap.
	form := url.Values{"form_key": {formKeyOn(t, ask.body)}, "for": {"partner"}, "title": {"Tell me if X gets in touch"},
		"rhythm": {"each_time"}, "starts_on": {attr(find(d, byID("starts_on")), "value")},
		"review_on": {attr(find(d, byID("review_on")), "value")}, "visibility": {"partner"}}
	res := ana.post("/commitments", form)
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, ben.post(res.Header.Get("Location")+"/answer", url.Values{"answer": {"decline"}}), http.StatusSeeOther)
	var state, review string
	app.db.Pool.QueryRow(context.Background(), `SELECT c.state, v.review_on::text FROM commitments c
		JOIN commitment_versions v ON v.commitment_id = c.id`).Scan(&state, &review)
	if state != "declined" || review != day(14) {
		t.Fatalf("after Ben declined: state %q, review %s", state, review)
	}
}

// withdrawForm is the withdrawal form on the commitment page body, as a
// browser would send it (its own form key).
func withdrawForm(t *testing.T, body string) url.Values {
	t.Helper()
	form := find(doc(t, body), func(n *htmlNode) bool {
		return n.Data == "form" && strings.HasSuffix(attr(n, "action"), "/withdraw")
	})
	if form == nil {
		t.Fatalf("no withdrawal form on the page:\n%s", body)
	}
	key := attr(find(form, func(n *htmlNode) bool { return attr(n, "name") == "form_key" }), "value")
	return url.Values{"form_key": {key}}
}

func TestHTTP_CommitmentWithdrawnByItsProposer(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	res := ana.post("/commitments", proposeForm(t, ana, url.Values{"title": {"No phone at dinner"}}))
	wantStatus(t, res, http.StatusSeeOther)
	path := res.Header.Get("Location")

	// Only Ana, who proposed it, is offered the withdrawal; Ben is refused.
	if strings.Contains(ben.get(path).body, "/withdraw") {
		t.Fatal("Ben is offered the withdrawal of Ana's proposal")
	}
	wantStatus(t, ben.post(path+"/withdraw", nil), http.StatusForbidden)
	page := ana.get(path)
	if !strings.Contains(page.body, "Withdraw the proposal") || !strings.Contains(page.body, "Withdrawing ends this proposal before it is agreed") {
		t.Fatalf("Ana's page offers no withdrawal:\n%s", page.body)
	}
	form := withdrawForm(t, page.body)
	wantStatus(t, ana.post(path+"/withdraw", form), http.StatusSeeOther)
	// A double tap withdraws once.
	wantStatus(t, ana.post(path+"/withdraw", form), http.StatusSeeOther)
	var n int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM commitment_events WHERE action = 'withdrawn'`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d withdrawals from one form sent twice", n)
	}

	body := ana.get(path).body
	for _, want := range []string{"Withdrawn.", "You withdrew this proposal before it was agreed", "You withdrew the proposal"} {
		if !strings.Contains(body, want) {
			t.Errorf("Ana's page after withdrawing should say %q", want)
		}
	}
	if strings.Contains(body, "/withdraw") || strings.Contains(body, "Waiting for Ben") {
		t.Errorf("Ana's page still offers or waits:\n%s", body)
	}
	body = ben.get(path).body
	for _, want := range []string{"Ana withdrew this proposal before it was agreed", "Ana withdrew the proposal"} {
		if !strings.Contains(body, want) {
			t.Errorf("Ben's page after the withdrawal should say %q", want)
		}
	}
	if strings.Contains(body, `value="agree"`) {
		t.Error("Ben can still agree to a withdrawn proposal")
	}
	// No longer waiting for anyone: it is listed with the ended ones.
	for _, b := range []*browser{ana, ben} {
		d := doc(t, b.get("/commitments").body)
		if find(d, byID("waiting-heading")) != nil || find(d, byID("answer-heading")) != nil {
			t.Error("a withdrawn proposal still waits on the list")
		}
		if !strings.Contains(text(find(d, byID("ended-heading")).Parent), "No phone at dinner") {
			t.Error("the withdrawn proposal is not among the ended ones")
		}
	}
	if body := ben.get("/today").body; strings.Contains(body, "No phone at dinner") {
		t.Errorf("Ben's Today still shows the withdrawn proposal:\n%s", body)
	}
	// Withdrawing again is refused on the page, with the reason.
	res = ana.post(path+"/withdraw", nil)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(text(find(doc(t, res.body), byID("form-error"))), "nothing waiting") {
		t.Errorf("no reason for the refusal:\n%s", res.body)
	}
}

func TestHTTP_CommitmentChangeWithdrawnKeepsTheAgreedVersion(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	res := ana.post("/commitments", proposeForm(t, ana, nil))
	path := res.Header.Get("Location")
	wantStatus(t, ben.post(path+"/answer", url.Values{"answer": {"agree"}}), http.StatusSeeOther)
	edit := ana.get(path + "/edit")
	d := doc(t, edit.body)
	wantStatus(t, ana.post(path+"/edit", url.Values{"form_key": {formKeyOn(t, edit.body)}, "title": {"I call or text if I am late"},
		"rhythm": {"daily"}, "starts_on": {attr(find(d, byID("starts_on")), "value")}, "review_on": {attr(find(d, byID("review_on")), "value")},
		"visibility": {"partner"}}), http.StatusSeeOther)

	wantStatus(t, ben.post(path+"/withdraw", nil), http.StatusForbidden)
	page := ana.get(path)
	if !strings.Contains(page.body, "Withdraw the change") || !strings.Contains(page.body, "the agreed version goes on as it is") {
		t.Fatalf("Ana's page offers no withdrawal of her change:\n%s", page.body)
	}
	wantStatus(t, ana.post(path+"/withdraw", withdrawForm(t, page.body)), http.StatusSeeOther)
	body := ben.get(path).body
	if h1 := text(find(doc(t, body), func(n *htmlNode) bool { return n.Data == "h1" })); h1 != "I call if I am late" {
		t.Errorf("after the change was withdrawn the commitment reads %q", h1)
	}
	if !strings.Contains(body, "Ana withdrew version 2") || strings.Contains(body, "pending-heading") || strings.Contains(body, `value="agree"`) {
		t.Errorf("Ben's page after Ana withdrew her change:\n%s", body)
	}
	var state string
	var pending *int
	app.db.Pool.QueryRow(context.Background(), `SELECT state, pending FROM commitments`).Scan(&state, &pending)
	if state != "active" || pending != nil {
		t.Fatalf("after withdrawing the change: state %q, pending %v", state, pending)
	}
}

func TestHTTP_AfterAskingForAChangeTheAskerSeesWhatTheyAsked(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	res := ana.post("/commitments", proposeForm(t, ana, nil))
	path := res.Header.Get("Location")
	wantStatus(t, ben.post(path+"/answer", url.Values{"answer": {"change"}, "note": {"Could it be weekdays only?"}}), http.StatusSeeOther)

	// Ben, who asked, reads his own request and waits: no answer form.
	d := doc(t, ben.get(path).body)
	pending := text(find(d, byID("pending-heading")).Parent)
	if !strings.Contains(pending, "You asked for a change: “Could it be weekdays only?”") || !strings.Contains(pending, "Waiting for Ana to change it.") {
		t.Errorf("Ben's pending section reads %q", pending)
	}
	if find(d, func(n *htmlNode) bool { return attr(n, "name") == "answer" }) != nil {
		t.Error("Ben is offered the answer form again after asking for a change")
	}
	// Ana, who proposed, reads what Ben asked, by name.
	pending = text(find(doc(t, ana.get(path).body), byID("pending-heading")).Parent)
	if !strings.Contains(pending, "Ben asked for a change: “Could it be weekdays only?”") || strings.Contains(pending, "their") {
		t.Errorf("Ana's pending section reads %q", pending)
	}
}

func TestHTTP_ISawThisGoesOncePressed(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	res := ana.post("/commitments", proposeForm(t, ana, nil))
	path := res.Header.Get("Location")
	wantStatus(t, ben.post(path+"/answer", url.Values{"answer": {"agree"}}), http.StatusSeeOther)
	page := ana.get(path)
	wantStatus(t, ana.post(path+"/log", url.Values{"form_key": {formKeyOn(t, page.body)}, "status": {"kept"}}), http.StatusSeeOther)
	var logID string
	app.db.Pool.QueryRow(context.Background(), `SELECT id::text FROM commitment_logs`).Scan(&logID)
	entry := func(b *browser) *htmlNode {
		t.Helper()
		n := find(doc(t, b.get(path).body), byID("log-"+logID))
		if n == nil {
			t.Fatal("no log entry on the page")
		}
		return n
	}
	seen := func(n *htmlNode) bool { return attr(n, "name") == "confirmed" }
	if find(entry(ben), seen) == nil {
		t.Fatal("Ben is not offered “I saw this” before pressing it")
	}
	wantStatus(t, ben.post(path+"/logs/"+logID+"/respond", url.Values{"confirmed": {"yes"}}), http.StatusSeeOther)

	// Pressed: the entry says so, for its reader, and the button is gone;
	// a few words can still be sent.
	e := entry(ben)
	if got := text(e); !strings.Contains(got, "You saw this.") || strings.Contains(got, "I saw this") {
		t.Errorf("Ben's entry after confirming reads %q", got)
	}
	if find(e, seen) != nil {
		t.Error("“I saw this” is still offered after it was pressed")
	}
	if find(e, func(n *htmlNode) bool { return attr(n, "name") == "response" }) == nil {
		t.Error("no answer field after confirming")
	}
	if got := text(entry(ana)); !strings.Contains(got, "Ben saw this.") {
		t.Errorf("Ana's entry reads %q", got)
	}
	// Once answered too, nothing is left to send.
	wantStatus(t, ben.post(path+"/logs/"+logID+"/respond", url.Values{"response": {"Thank you"}}), http.StatusSeeOther)
	if e := entry(ben); find(e, func(n *htmlNode) bool { return n.Data == "form" }) != nil || !strings.Contains(text(e), "You saw this.") {
		t.Errorf("Ben's entry after confirming and answering: %q", text(e))
	}
}

func TestHTTP_DateErrorsSayWhatToChoose(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, _ := pairUp(t, app)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	today := app.clock().In(berlin)
	day := func(days int) string {
		return time.Date(today.Year(), today.Month(), today.Day()+days, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	for _, tc := range []struct {
		start, review, field, want string
	}{
		{day(10), day(5), "review_on", "Choose a review date after the start date."},
		{day(10), day(10), "review_on", "Choose a review date after the start date."},
		{day(1), day(400), "review_on", "Choose a review date within a year of the start date."},
		{day(-1), day(20), "starts_on", "Choose a start date of today or later."},
		{day(400), day(420), "starts_on", "Choose a start date within the next year."},
	} {
		res := ana.post("/commitments", proposeForm(t, ana, url.Values{"starts_on": {tc.start}, "review_on": {tc.review}}))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		d := doc(t, res.body)
		if got := text(find(d, byID(tc.field+"-error"))); got != tc.want {
			t.Errorf("start %s, review %s: %s says %q, want %q", tc.start, tc.review, tc.field, got, tc.want)
		}
		// What was typed stays.
		if attr(find(d, byID("starts_on")), "value") != tc.start || attr(find(d, byID("review_on")), "value") != tc.review {
			t.Errorf("start %s, review %s: the dates typed are lost", tc.start, tc.review)
		}
	}
}
