package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestStatement_HTTP_SharedWithTheTherapist: Ben shares his statement with
// Tess (the world shares the kind): she reads what he sent, never his
// draft; the labels say who reads it; unsharing hides it from her.
func TestStatement_HTTP_SharedWithTheTherapist(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ana, ben, tess := w.as(t, w.ana), w.as(t, w.ben), w.as(t, w.therapist)
	couple := "/caseload/" + strconv.FormatInt(w.coupleA, 10)
	if body := tess.get(couple).body; !strings.Contains(body, `href="`+couple+`/statement"`) {
		t.Fatalf("Tess's page of the couple has no link to the statement:\n%s", body)
	}
	res := tess.get(couple + "/statement")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "Quorrin regrets every lie about the lake house") || strings.Contains(res.body, "Quorrin&#39;s draft") {
		t.Fatalf("Tess's statement page:\n%s", res.body)
	}
	if body := ben.get("/statement").body; !strings.Contains(body, "Stop sharing my statement with") ||
		strings.Contains(body, "never your therapist") || !strings.Contains(body, "Seen by the two of you and") {
		t.Fatalf("Ben's page while he shares:\n%s", body)
	}
	if body := ana.get("/statement").body; !strings.Contains(body, "Seen by both of you and") || strings.Contains(body, "Stop sharing my statement") {
		t.Fatalf("Ana's page while Ben shares:\n%s", body)
	}
	// Ana has no statement of her own to share.
	wantStatus(t, ana.post("/statement/share", url.Values{"share": {"on"}}), http.StatusNotFound)
	wantStatus(t, ben.post("/statement/share", url.Values{}), http.StatusSeeOther)
	if body := tess.get(couple + "/statement").body; strings.Contains(body, "lake house") || !strings.Contains(body, "No statement is shared with you.") {
		t.Fatalf("Tess's page after Ben stops sharing:\n%s", body)
	}
	if body := ben.get("/statement").body; !strings.Contains(body, "Share my statement and its answers with") || !strings.Contains(body, "Seen by the two of you only") {
		t.Fatalf("Ben's page after he stops sharing:\n%s", body)
	}
	// The box on the form is the same choice: ticked when shared, and
	// saving a draft with it ticked shares the statement again.
	if body := ben.get("/statement").body; strings.Contains(body, `name="share" value="on" checked`) {
		t.Fatalf("the box is ticked while not shared:\n%s", body)
	}
	wantStatus(t, ben.post("/statement", url.Values{"did": {"Quorrin's second draft"}, "action": {"draft"}, "share": {"on"}}), http.StatusSeeOther)
	if body := tess.get(couple + "/statement").body; !strings.Contains(body, "Quorrin regrets every lie about the lake house") || strings.Contains(body, "second draft") {
		t.Fatalf("Tess's page after Ben ticks the box:\n%s", body)
	}
	if body := ben.get("/statement").body; !strings.Contains(body, `name="share" value="on" checked`) {
		t.Fatalf("the box is not ticked while shared:\n%s", body)
	}
	// Every view is in the couple's log.
	var n int
	if err := app.db.Pool.QueryRow(t.Context(), `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'statement'`, w.coupleA).Scan(&n); err != nil || n != 3 {
		t.Fatalf("%d views logged (%v), want 3", n, err)
	}
}
