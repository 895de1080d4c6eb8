package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// Time together is the two partners' alone: each reads both notes, nobody
// outside the space reads a word; bad input is refused beside its field
// with the words kept; numbers are counts, never streaks.
func TestTogether_HTTP(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	res := ben.get("/time-together")
	wantStatus(t, res, http.StatusOK)
	for _, want := range []string{"walked by the river", "Zelphine felt close again", "Connected: 8 of 10", "Seen by you and Quorrin", ": 1 time"} {
		if !strings.Contains(res.body, want) && !strings.Contains(ana.get("/time-together").body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(strings.ToLower(res.body), "streak") {
		t.Error("the page speaks of a streak")
	}
	// Time together is one of the places under More: its back link goes there.
	if !strings.Contains(res.body, `<a href="/more">Back to More</a>`) || strings.Contains(res.body, "Back to prompts") {
		t.Error("the page's back link does not lead to More")
	}
	res = ana.post("/time-together", url.Values{"day": {"2999-01-01"}, "what": {"Kept words"}, "rating": {"12"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "Kept words") || !strings.Contains(res.body, "still to come") || !strings.Contains(res.body, "from 0 to 10") {
		t.Fatalf("the refused log:\n%s", res.body)
	}
	path := "/time-together/" + strconv.FormatInt(w.together, 10)
	res = ben.post(path+"/note", url.Values{"note": {strings.Repeat("x", 501)}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantStatus(t, ben.post(path+"/note", url.Values{"note": {"Quorrin enjoyed the quiet"}}), http.StatusSeeOther)
	if !strings.Contains(ana.get("/time-together").body, "Quorrin enjoyed the quiet") {
		t.Fatal("Ana does not read Ben's note")
	}
	for name, b := range w.outsiders(t) {
		if body := b.get("/time-together").body; strings.Contains(body, "river") || strings.Contains(body, "Quorrin") {
			t.Errorf("%s reads the couple's time together", name)
		}
		// A therapist may never write (403); anyone else finds nothing (404).
		if res := b.post(path+"/note", url.Values{"note": {"x"}}); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
			t.Errorf("%s notes the couple's time together: %d", name, res.StatusCode)
		}
	}
	// Only Ana, who logged it, deletes it.
	wantStatus(t, ben.get(path+"/delete"), http.StatusNotFound)
	wantStatus(t, ben.post(path+"/delete", nil), http.StatusNotFound)
	wantStatus(t, ana.post(path+"/delete", nil), http.StatusSeeOther)
	if strings.Contains(ben.get("/time-together").body, "walked by the river") {
		t.Fatal("the deleted time together is still listed")
	}
}
