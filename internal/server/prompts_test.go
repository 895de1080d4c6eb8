package server

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
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
