package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// The journal shows its writer their entries and answers, the partner only
// what is shared with them; a bad entry is refused beside its field with
// the words kept; only the writer deletes, after confirming.
func TestJournal_HTTP(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	res := ana.get("/journal")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, anaJournalEntry) || !strings.Contains(res.body, "river walk") || !strings.Contains(res.body, "Seen by you only") {
		t.Fatalf("Ana's journal lacks her entry, her answer or a label:\n%s", res.body)
	}
	if strings.Contains(ben.get("/journal").body, anaJournalEntry) {
		t.Fatal("Ben reads Ana's private entry")
	}
	// Refused: the words kept, the message beside the field.
	res = ana.post("/journal", url.Values{"body": {"Kept words"}, "visibility": {"everyone"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "Kept words") || !strings.Contains(res.body, "Choose who can read it") {
		t.Fatalf("the refused entry:\n%s", res.body)
	}
	// Shared with Ben: he reads it, named as Ana's.
	wantStatus(t, ana.post("/journal", url.Values{"body": {"Zelphine shares a page"}, "visibility": {"partner"}}), http.StatusSeeOther)
	res = ben.get("/journal")
	if !strings.Contains(res.body, "Zelphine shares a page") || !strings.Contains(res.body, "Zelphine shared an entry with you") {
		t.Fatalf("Ben's journal:\n%s", res.body)
	}
	// Nobody outside reads a word.
	for name, b := range w.outsiders(t) {
		if body := b.get("/journal").body; strings.Contains(body, "Zelphine") {
			t.Errorf("%s reads Ana's journal", name)
		}
	}
	// Ben cannot delete hers; she can.
	path := "/journal/entries/" + strconv.FormatInt(w.journalEntry, 10) + "/delete"
	wantStatus(t, ben.get(path), http.StatusNotFound)
	wantStatus(t, ben.post(path, nil), http.StatusNotFound)
	wantStatus(t, ana.post(path, nil), http.StatusSeeOther)
	wantStatus(t, ana.get(path), http.StatusNotFound)
	if strings.Contains(ana.get("/journal").body, anaJournalEntry) {
		t.Fatal("the deleted entry is still listed")
	}
	apath := "/journal/answers/" + strconv.FormatInt(w.answer, 10) + "/delete"
	wantStatus(t, ben.post(apath, nil), http.StatusNotFound)
	wantStatus(t, ana.post(apath, nil), http.StatusSeeOther)
	if strings.Contains(ana.get("/prompts").body, "river walk") {
		t.Fatal("the deleted answer is still on the prompts page")
	}
	// A page out of range.
	wantStatus(t, ana.get("/journal?page=9"), http.StatusNotFound)
	wantStatus(t, ana.get("/journal?page=x"), http.StatusNotFound)
}

// TestJournal_HTTP_TherapistReadsWhatIsMarkedForThem: Tess reads on the
// couple's journal page the entry Ben marked for her, never Ana's private
// entry nor her answer for Ben; the view is logged; the label of Ben's
// entry names Tess, from the same rule; once Ben stops sharing the
// journal, Tess reads nothing and his label says why.
func TestJournal_HTTP_TherapistReadsWhatIsMarkedForThem(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ben, tess := w.as(t, w.ben), w.as(t, w.therapist)
	path := "/caseload/" + strconv.FormatInt(w.coupleA, 10) + "/journal"
	res := tess.get(path)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, benJournalEntry) || strings.Contains(res.body, anaJournalEntry) || strings.Contains(res.body, "river walk") {
		t.Fatalf("Tess's journal page:\n%s", res.body)
	}
	var views int
	app.db.Pool.QueryRow(t.Context(), `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'journal'`, w.coupleA).Scan(&views)
	if views != 1 {
		t.Fatalf("%d views of the journal logged, want 1", views)
	}
	if body := ben.get("/journal").body; !strings.Contains(body, "<span>Seen by you, Zelphine and Tess</span></p><p class=\"prewrap\">"+benJournalEntry) {
		t.Fatalf("Ben's label does not name Tess:\n%s", body)
	}
	if _, err := app.srv.couples.SetDefaults(t.Context(), w.ben, map[string]bool{}); err != nil {
		t.Fatal(err)
	}
	if body := tess.get(path).body; strings.Contains(body, benJournalEntry) {
		t.Fatal("Tess reads Ben's entry after he stopped sharing the journal")
	}
	if body := ben.get("/journal").body; !strings.Contains(body, "who sees it once you share journal and prompt answers") {
		t.Fatalf("Ben's label does not say why Tess does not read it:\n%s", body)
	}
}
