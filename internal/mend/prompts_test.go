package mend_test

import (
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

func TestLibrary_IsWholeAndUnique(t *testing.T) {
	lib := mend.Library()
	if len(lib) < 80 {
		t.Fatalf("the library has %d prompts, want at least 80", len(lib))
	}
	ids, texts := map[string]bool{}, map[string]bool{}
	cats, modes := map[string]int{}, map[string]int{}
	for _, p := range lib {
		if p.Key == "" || p.Text == "" {
			t.Fatalf("a prompt without id or words: %+v", p)
		}
		if ids[p.Key] || texts[p.Text] {
			t.Fatalf("prompt %s repeats an id or words", p.Key)
		}
		ids[p.Key], texts[p.Text] = true, true
		if mend.Label(mend.PromptCategories, p.Category) == "" || mend.Label(mend.PromptModes, p.Mode) == "" {
			t.Fatalf("prompt %s: unknown category %q or mode %q", p.Key, p.Category, p.Mode)
		}
		if len(p.Text) > mend.MaxPromptText {
			t.Fatalf("prompt %s is longer than a couple's own may be", p.Key)
		}
		cats[p.Category]++
		modes[p.Mode]++
	}
	for _, c := range mend.PromptCategories {
		if cats[c.Value] < 5 {
			t.Errorf("category %s has %d prompts", c.Value, cats[c.Value])
		}
	}
	if modes[mend.Talk] == 0 || modes[mend.Write] == 0 {
		t.Errorf("modes: %v", modes)
	}
}

func TestChoosePrompt_FreshFirstThenOldest(t *testing.T) {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	ps := []mend.Prompt{{Key: "a"}, {Key: "b"}, {Key: "c"}}
	last := map[string]time.Time{"a": day.AddDate(0, 0, -1), "b": day.AddDate(0, 0, -59)}
	for seq := range 5 {
		if p, _ := mend.ChoosePrompt(7, day, seq, ps, last); p.Key != "c" {
			t.Fatalf("seq %d: chose %s, want the only fresh one", seq, p.Key)
		}
	}
	// Shown 60 days ago still rests; 61 days ago is fresh again.
	last["c"] = day.AddDate(0, 0, -60)
	withD := append(ps[:3:3], mend.Prompt{Key: "d"})
	for seq := range 10 {
		if p, _ := mend.ChoosePrompt(7, day, seq, withD, last); p.Key != "d" {
			t.Fatalf("seq %d: chose %s, want d (c was shown 60 days ago)", seq, p.Key)
		}
	}
	last["c"] = day.AddDate(0, 0, -61)
	if p, _ := mend.ChoosePrompt(7, day, 0, ps, last); p.Key != "c" {
		t.Fatalf("chose %s, want c (shown 61 days ago)", p.Key)
	}
	last["c"] = day.AddDate(0, 0, -2)
	if p, _ := mend.ChoosePrompt(7, day, 0, ps, last); p.Key != "b" {
		t.Fatalf("all shown lately: chose %s, want b, shown longest ago", p.Key)
	}
	// The order of the candidates does not matter.
	all := map[string]time.Time{}
	a, _ := mend.ChoosePrompt(9, day, 3, ps, all)
	b, _ := mend.ChoosePrompt(9, day, 3, []mend.Prompt{ps[2], ps[0], ps[1]}, all)
	if a.Key != b.Key {
		t.Fatalf("order changed the choice: %s, %s", a.Key, b.Key)
	}
}
