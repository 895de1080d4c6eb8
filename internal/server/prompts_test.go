package server

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// The prompts page shows both partners the same prompt, each their own
// answer, the other's only as its visibility and the reveal rule allow, and
// never to anyone outside the space; a bad answer is refused beside its
// field with the words kept.
func TestPrompts_HTTP(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ctx := context.Background()
	pa, err := app.srv.prompts.Page(ctx, w.ana)
	if err != nil {
		t.Fatal(err)
	}
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	anas, bens := ana.get("/prompts"), ben.get("/prompts")
	wantStatus(t, anas, http.StatusOK)
	wantStatus(t, bens, http.StatusOK)
	text := html.EscapeString(pa.Today.Prompt.Text)
	if !strings.Contains(anas.body, text) || !strings.Contains(bens.body, text) {
		t.Fatalf("the partners do not both see today's prompt %q", pa.Today.Prompt.Text)
	}
	if !strings.Contains(anas.body, "Zelphine&#39;s answer about the river walk") || strings.Contains(anas.body, benPromptAnswer) {
		t.Fatalf("Ana's page: her answer, and never Ben's private one:\n%s", anas.body)
	}
	// Ben kept his answer to himself: for a talk-together prompt that does
	// not open Ana's; one to write alone, shared, he reads.
	if got, want := strings.Contains(bens.body, "river walk"), !pa.Today.Prompt.Together(); got != want {
		t.Fatalf("Ben reads Ana's answer: %v, want %v (mode %s)", got, want, pa.Today.Prompt.Mode)
	}
	if !strings.Contains(bens.body, benPromptAnswer) || !strings.Contains(bens.body, "Seen by you only") {
		t.Fatal("Ben's page lacks his answer, or its label")
	}
	// An empty answer: 422, the message beside the field, the choice kept.
	day := pa.Today.Day.Format(time.DateOnly)
	res := ana.post("/prompts/answer", url.Values{"day": {day}, "key": {pa.Today.Prompt.Key}, "body": {"  "}, "visibility": {"private"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "Write a few words") || !strings.Contains(res.body, `value="private" checked`) {
		t.Fatalf("the refused answer:\n%s", res.body)
	}
	// A prompt that was not the couple's: not found.
	res = ana.post("/prompts/answer", url.Values{"day": {day}, "key": {"fn99"}, "body": {"x"}, "visibility": {"private"}})
	wantStatus(t, res, http.StatusNotFound)
	// A bad own prompt keeps its words.
	res = ben.post("/prompts/own", url.Values{"text": {"What do we cook on Friday?"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "What do we cook on Friday?") || !strings.Contains(res.body, "Choose what it is about") {
		t.Fatalf("the refused prompt:\n%s", res.body)
	}
	// Today says Ana answered today's prompt, and links to her answer.
	if today := ana.get("/today"); !strings.Contains(today.body, "You answered today's prompt.") || !strings.Contains(today.body, "Read your answer") {
		t.Fatalf("Ana's Today does not say she answered today's prompt:\n%s", today.body)
	}
	// Skipping changes the prompt for both.
	wantStatus(t, ben.post("/prompts/skip", url.Values{"seq": {"0"}}), http.StatusSeeOther)
	wantStatus(t, ana.post("/prompts/skip", url.Values{"seq": {"0"}}), http.StatusSeeOther) // the same form: once
	pa2, err := app.srv.prompts.Page(ctx, w.ana)
	if err != nil {
		t.Fatal(err)
	}
	if pa2.Today.Seq != 1 || pa2.Today.Prompt.Key == pa.Today.Prompt.Key {
		t.Fatalf("after two skips of one prompt: %+v", pa2.Today)
	}
	// The new prompt waits for her answer.
	if today := ana.get("/today"); strings.Contains(today.body, "You answered today's prompt.") || !strings.Contains(today.body, "Answer it") {
		t.Fatalf("Ana's Today after the skip:\n%s", today.body)
	}
	// Nobody outside the space reads a word of it.
	for name, b := range w.outsiders(t) {
		res := b.get("/prompts")
		if strings.Contains(res.body, "river walk") || strings.Contains(res.body, benPromptAnswer) {
			t.Errorf("%s reads the couple's answers", name)
		}
	}
	// Ana's export holds her answer, not Ben's private one.
	files, _ := unzipCSVs(t, exportOf(t, ana, testPassword, "zip"))
	var all strings.Builder
	for _, r := range files["prompt_answers"] {
		all.WriteString(strings.Join(r, "|") + "\n")
	}
	if !strings.Contains(all.String(), "river walk") || strings.Contains(all.String(), benPromptAnswer) {
		t.Fatalf("Ana's prompt_answers.csv:\n%s", all.String())
	}
}

// Ana removes the prompt of their own she added, on the day it is the
// couple's prompt and Ben answered it: the confirmation says so and who
// could read it; another prompt takes today's place for both; Ben's answer
// stays. Ben, who did not add it, and other couples get 404.
func TestHTTP_RemoveOwnPrompt(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ctx := context.Background()
	key := "own-" + strconv.FormatInt(w.ownPrompt, 10)
	// It becomes today's prompt, as a skip to it would make it.
	pa, err := app.srv.prompts.Page(ctx, w.ana)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.db.Pool.Exec(ctx, `INSERT INTO prompt_days (couple_id, day, seq, prompt_key) VALUES ($1, $2, $3, $4)`,
		w.coupleA, pa.Today.Day, pa.Today.Seq+1, key); err != nil {
		t.Fatal(err)
	}
	day := pa.Today.Day.Format(time.DateOnly)
	if err := app.srv.prompts.Answer(ctx, w.ben, service.AnswerInput{Day: day, Key: key, Body: "Quorrin answers Zelphine's prompt",
		Visibility: string(mend.MyPartner)}); err != nil {
		t.Fatal(err)
	}
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	path := "/prompts/own/" + strconv.FormatInt(w.ownPrompt, 10) + "/delete"
	if !strings.Contains(ana.get("/prompts").body, `href="`+path+`"`) {
		t.Error("Ana's prompts have no link to remove hers")
	}
	if strings.Contains(ben.get("/prompts").body, `href="`+path+`"`) {
		t.Error("Ben is offered to remove Ana's prompt")
	}
	page := ana.get(path)
	wantStatus(t, page, http.StatusOK)
	for _, want := range []string{"Remove your prompt?", "where shall we walk next Sunday", "It is today's prompt", "for Quorrin too",
		"Seen by you and Quorrin", "Answers already written to it stay", "cannot be undone", `href="/prompts#own-heading"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("confirmation page does not say %q", want)
		}
	}
	for who, b := range map[string]*browser{"Ben": ben, "partner of another couple": w.as(t, w.cara), "stranger": w.as(t, w.stranger)} {
		if res := b.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s opens the confirmation: %d, want 404", who, res.StatusCode)
		}
		if res := b.post(path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s removes it: %d, want 404", who, res.StatusCode)
		}
	}
	rows := func() int { return app.count(`SELECT count(*) FROM couple_prompts WHERE id = $1`, w.ownPrompt) }
	if rows() != 1 {
		t.Fatal("someone else removed Ana's prompt")
	}
	res := ana.post(path, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/prompts#own-heading" {
		t.Fatalf("Ana removes it: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if rows() != 0 {
		t.Error("the prompt remains")
	}
	if n := app.count(`SELECT count(*) FROM prompt_answers WHERE couple_id = $1 AND prompt_key = $2`, w.coupleA, key); n != 1 {
		t.Errorf("%d answers to the removed prompt, want Ben's kept", n)
	}
	after := ben.get("/prompts")
	if strings.Contains(after.body, "where shall we walk next Sunday") {
		t.Error("Ben still sees the removed prompt")
	}
	if !strings.Contains(after.body, "Quorrin answers Zelphine&#39;s prompt") || !strings.Contains(after.body, "A prompt that is no longer in your space.") {
		t.Error("Ben's answer to the removed prompt is not kept, without its words")
	}
	for _, u := range []*mend.User{w.ana, w.ben} {
		p, err := app.srv.prompts.Page(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if p.Today.Prompt.Key == key || p.Today.Seq != pa.Today.Seq+2 || p.Today.Prompt.Text == "" {
			t.Errorf("%s's prompt of the day after the removal: %+v", u.Name, p.Today)
		}
	}
	if res := ana.get(path); res.StatusCode != http.StatusNotFound {
		t.Errorf("the confirmation of a removed prompt: %d, want 404", res.StatusCode)
	}
}
