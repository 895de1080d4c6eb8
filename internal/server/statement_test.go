package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestStatement_HTTP(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	// More leads to it.
	if body := ana.get("/more").body; !strings.Contains(body, `href="/statement"`) {
		t.Fatalf("More has no link to the statement:\n%s", body)
	}
	// Nobody is named yet: the page says who writes, and Ben cannot.
	if body := ben.get("/statement").body; !strings.Contains(body, "rebuilding trust") || strings.Contains(body, `action="/statement"`) {
		t.Fatalf("Ben's page before anyone is named:\n%s", body)
	}
	parts := url.Values{"did": {"I lied about the weekends"}, "impact": {"You stopped sleeping"},
		"regret": {"I regret the lies"}, "changing": {"I tell you where I am"}, "action": {"send"}}
	res := ben.post("/statement", parts)
	wantStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.body, "Say who that is on Our space first") || !strings.Contains(res.body, "I lied about the weekends") {
		t.Fatalf("refused statement:\n%s", res.body)
	}
	wantStatus(t, ana.post("/couple/context", url.Values{"rebuilding": {"partner"}, "visibility": {"partner"}}), http.StatusSeeOther)

	// A part left empty is named beside its field, the words kept.
	missing := url.Values{"did": {"I lied about the weekends"}, "action": {"send"}}
	res = ben.post("/statement", missing)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, `id="regret-error"`) || !strings.Contains(res.body, "I lied about the weekends") {
		t.Fatalf("statement with empty parts:\n%s", res.body)
	}
	// A draft is Ben's alone.
	draft := url.Values{"did": {"Ben drafts quietly"}, "action": {"draft"}}
	wantStatus(t, ben.post("/statement", draft), http.StatusSeeOther)
	if body := ben.get("/statement").body; !strings.Contains(body, "Ben drafts quietly") || !strings.Contains(body, "Only you can see this draft") {
		t.Fatalf("Ben's draft:\n%s", body)
	}
	if body := ana.get("/statement").body; strings.Contains(body, "Ben drafts quietly") {
		t.Fatal("Ana sees Ben's draft")
	}
	wantStatus(t, ben.post("/statement", parts), http.StatusSeeOther)
	body := ana.get("/statement").body
	for _, want := range []string{"Ben’s statement", "What Ben did", "I lied about the weekends", "This lands", "I need more here", "Version 1"} {
		if !strings.Contains(body, want) {
			t.Fatalf("Ana's page lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "Ben drafts quietly") {
		t.Fatal("Ana sees the draft's words")
	}
	if body := ana.get("/today").body; !strings.Contains(body, "Ben sent you a statement") || !strings.Contains(body, `href="/statement"`) {
		t.Fatalf("Ana's Today has no card for Ben's statement:\n%s", body)
	}
	var version string
	app.db.Pool.QueryRow(t.Context(), `SELECT id::text FROM statement_versions`).Scan(&version)
	answer := url.Values{"answer-did": {"lands"}, "answer-impact": {"lands"}, "answer-regret": {"more"}, "answer-changing": {"lands"},
		"note-regret": {"Say what you regret, not being found out"}}
	wantStatus(t, ben.post("/statement/versions/"+version+"/answer", answer), http.StatusNotFound)
	half := url.Values{"answer-did": {"lands"}, "note-did": {"Thank you"}}
	res = ana.post("/statement/versions/"+version+"/answer", half)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, `id="answer-impact-error"`) || !strings.Contains(res.body, "Thank you") {
		t.Fatalf("half an answer:\n%s", res.body)
	}
	wantStatus(t, ana.post("/statement/versions/"+version+"/answer", answer), http.StatusSeeOther)
	if body := ana.get("/today").body; strings.Contains(body, "sent you a statement") {
		t.Fatal("Ana's Today still asks for answers she gave")
	}
	body = ben.get("/statement").body
	if !strings.Contains(body, "Ana: I need more here.") || !strings.Contains(body, "Say what you regret, not being found out") ||
		!strings.Contains(body, "Seen by you and Ana") {
		t.Fatalf("Ben's page after Ana answered:\n%s", body)
	}
	// The exports hold what the page shows each of them: Ben's revision,
	// kept as a draft, is his alone.
	wantStatus(t, ben.post("/statement", url.Values{"did": {"ben-revision-draft"}, "action": {"draft"}}), http.StatusSeeOther)
	anaFiles, _ := unzipCSVs(t, exportOf(t, ana, testPassword, "zip"))
	benFiles, _ := unzipCSVs(t, exportOf(t, ben, testPassword, "zip"))
	flat := func(rows [][]string) string {
		var sb strings.Builder
		for _, r := range rows {
			sb.WriteString(strings.Join(r, "|") + "\n")
		}
		return sb.String()
	}
	anaVersions, anaAnswers := flat(anaFiles["statement_versions"]), flat(anaFiles["statement_answers"])
	if !strings.Contains(anaVersions, "I lied about the weekends") || strings.Contains(anaVersions, "ben-revision-draft") ||
		!strings.Contains(anaAnswers, "Say what you regret, not being found out") {
		t.Errorf("Ana's export:\n%s\n%s", anaVersions, anaAnswers)
	}
	if v := flat(benFiles["statement_versions"]); !strings.Contains(v, "ben-revision-draft") || !strings.Contains(flat(benFiles["statement_answers"]), "Say what you regret") {
		t.Errorf("Ben's export:\n%s", v)
	}
	// Ben deletes it: gone for both.
	if body := ben.get("/statement/delete").body; !strings.Contains(body, "1 version sent, 4 answers") || !strings.Contains(body, "Seen by you and Ana") {
		t.Fatalf("delete page:\n%s", body)
	}
	wantStatus(t, ana.get("/statement/delete"), http.StatusNotFound)
	wantStatus(t, ben.post("/statement/delete", nil), http.StatusSeeOther)
	if body := ana.get("/statement").body; strings.Contains(body, "I lied about the weekends") {
		t.Fatal("Ana still reads the deleted statement")
	}
}
