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
