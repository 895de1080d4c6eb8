package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// formKeyOf reads the form_key of the form posting to action on page.
func formKeyOf(t *testing.T, body, action string) string {
	t.Helper()
	form := find(doc(t, body), func(n *htmlNode) bool { return n.Data == "form" && attr(n, "action") == action })
	if form == nil {
		t.Fatalf("no form posting to %s:\n%s", action, body)
	}
	return attr(find(form, func(n *htmlNode) bool { return attr(n, "name") == "form_key" }), "value")
}

func TestHTTP_TherapistFormsRedrawWithTheirInputAndMessages(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	app := newTestAppLogging(t, pgtest.NewDB(t), nil, logs)
	w := seedWorld(t, app)
	defer func() {
		// Neither a note's words nor a suggestion's reach the log.
		for _, words := range []string{tessNote, tessSuggestion, "Evenings without phones", "How the evenings feel", "Calmer"} {
			if strings.Contains(logs.String(), words) {
				t.Errorf("the log holds %q", words)
			}
		}
	}()
	tess := w.as(t, w.therapist)
	base := "/caseload/" + strconv.FormatInt(w.coupleA, 10)

	page := tess.get(base + "/sessions")
	wantStatus(t, page, http.StatusOK)
	for _, want := range []string{"Only you can read your notes. The couple never sees them.", tessNote, "Back to Zelphine and Quorrin"} {
		if !strings.Contains(page.body, want) {
			t.Fatalf("the sessions page does not say %q:\n%s", want, page.body)
		}
	}
	far := app.clock().AddDate(5, 0, 0).Format(time.DateOnly)
	res := tess.post(base+"/sessions", url.Values{"day": {far}, "form_key": {formKeyOf(t, page.body, base+"/sessions")}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := doc(t, res.body)
	if msg := text(find(d, byID("day-error"))); !strings.Contains(msg, "within 2 years") {
		t.Errorf("message beside the date: %q", msg)
	}
	if got := attr(find(d, byID("day")), "value"); got != far {
		t.Errorf("the date sent was %q, the form shows %q", far, got)
	}

	wantStatus(t, tess.post(base+"/notes", url.Values{"body": {"Calmer after the walk"}, "form_key": {formKeyOf(t, page.body, base+"/notes")}}),
		http.StatusSeeOther)
	res = tess.post(base+"/notes", url.Values{"body": {"   "}, "form_key": {formKeyOf(t, page.body, base+"/notes")}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := text(find(doc(t, res.body), byID("body-error"))); !strings.Contains(msg, "Write the note") {
		t.Errorf("message beside the note: %q", msg)
	}

	sugg := tess.get(base + "/suggestions")
	wantStatus(t, sugg, http.StatusOK)
	res = tess.post(base+"/suggestions", url.Values{"title": {"Evenings without phones"}, "body": {"Try it for a week"},
		"form_key": {formKeyOf(t, sugg.body, base+"/suggestions")}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d = doc(t, res.body)
	if msg := text(find(d, byID("kind-error"))); !strings.Contains(msg, "Choose what you are suggesting") {
		t.Errorf("message beside the kind: %q", msg)
	}
	if got := attr(find(d, byID("title")), "value"); got != "Evenings without phones" {
		t.Errorf("the title was not kept: %q", got)
	}
	if got := text(find(d, byID("body"))); got != "Try it for a week" {
		t.Errorf("the details were not kept: %q", got)
	}

	// Sent twice with one key, the suggestion reaches the couple once.
	key := formKeyOf(t, sugg.body, base+"/suggestions")
	for range 2 {
		wantStatus(t, tess.post(base+"/suggestions", url.Values{"kind": {"talk"}, "title": {"How the evenings feel"}, "form_key": {key}}), http.StatusSeeOther)
	}
	var n int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM suggestions WHERE couple_id = $1 AND title = 'How the evenings feel'`, w.coupleA).Scan(&n)
	if n != 1 {
		t.Fatalf("%d suggestions from one form sent twice", n)
	}
}

func TestHTTP_SuggestionsOnTodayBecomeProposalsOrAreSetAside(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	for _, b := range []*browser{ana, ben} {
		res := b.get("/today")
		if !strings.Contains(res.body, "Tess suggests a commitment to consider") || !strings.Contains(res.body, tessSuggestion) {
			t.Fatalf("Today does not show Tess's suggestion:\n%s", res.body)
		}
	}
	// Turn into a proposal: the new-commitment form, filled in.
	link := find(doc(t, ana.get("/today").body), func(n *htmlNode) bool { return n.Data == "a" && text(n) == "Turn into a proposal" })
	if link == nil {
		t.Fatal("no Turn into a proposal link")
	}
	form := ana.get(attr(link, "href"))
	wantStatus(t, form, http.StatusOK)
	d := doc(t, form.body)
	if attr(find(d, byID("title")), "value") != tessSuggestion || text(find(d, byID("details"))) != "One evening a week" {
		t.Fatalf("the proposal form is not filled in from the suggestion:\n%s", form.body)
	}
	// Ana is done with it: gone from her Today, still on Ben's.
	wantStatus(t, ana.post("/suggestions/"+strconv.FormatInt(w.suggestion, 10)+"/done", nil), http.StatusSeeOther)
	if strings.Contains(ana.get("/today").body, tessSuggestion) {
		t.Fatal("Ana still sees the suggestion she set aside")
	}
	if !strings.Contains(ben.get("/today").body, tessSuggestion) {
		t.Fatal("Ben lost the suggestion Ana set aside")
	}
}

// TestPrivacy_TessNoteReachesNobodyElse opens every page, as both partners
// and every other therapist, with the seeded ids: Tess's note shows on none.
func TestPrivacy_TessNoteReachesNobodyElse(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	readers := map[string]*browser{"Ana": w.as(t, w.ana), "Ben": w.as(t, w.ben), "Rory": w.as(t, w.revoked), "Uma": w.as(t, w.other)}
	pages := 0
	err := chi.Walk(app.srv.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method != http.MethodGet || strings.Contains(route, "*") {
			return nil
		}
		path, _ := fillParams(route, w.params())
		for who, b := range readers {
			pages++
			if res := b.get(path); strings.Contains(res.body, "privately notes") {
				t.Errorf("%s sees Tess's note on %s", who, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res := w.as(t, w.therapist).get("/caseload/" + strconv.FormatInt(w.coupleA, 10) + "/sessions"); !strings.Contains(res.body, tessNote) {
		t.Fatal("Tess does not see her own note (the positive control)")
	}
	t.Logf("%d pages", pages)
}
