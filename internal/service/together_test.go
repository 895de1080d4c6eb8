package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

func TestTogether_LogNotesAndMonths(t *testing.T) {
	e := newPrompts(t)
	ctx := context.Background()
	ada, ben, _ := e.pairIn(t, "Europe/Lisbon", "Europe/Lisbon")
	tt := &service.TimeTogether{Store: e.db, Couples: e.c, Now: e.clk.now}
	e.setNow(t, "2027-03-10T12:00:00Z")
	for _, in := range []service.TogetherInput{
		{Day: "2027-03-08", What: "A walk by the river", Note: "It felt easy", Rating: "7"},
		{Day: "2027-03-02", What: "Cooked together"},
		{Day: "2027-01-20", What: "A day at the coast", Rating: "0"},
	} {
		if err := tt.Log(ctx, ada, in); err != nil {
			t.Fatal(err)
		}
	}
	err := tt.Log(ctx, ada, service.TogetherInput{Day: "2027-03-11", What: " ", Rating: "11"})
	if fe := fieldsOf(err); fe["day"] == "" || fe["what"] == "" || fe["rating"] == "" {
		t.Fatalf("a bad log: %v", err)
	}
	p, err := tt.Page(ctx, ben)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 3 || p.Items[0].What != "A walk by the river" || len(p.Months) != 2 ||
		p.Months[0].Count != 2 || p.Months[1].Count != 1 || p.Months[1].Month.Month() != time.January {
		t.Fatalf("Ben sees %+v, months %+v", p.Items, p.Months)
	}
	walk := p.Items[0]
	if n := walk.NoteBy(ada.ID); n == nil || n.Note != "It felt easy" || n.Rating == nil || *n.Rating != 7 {
		t.Fatalf("Ada's note: %+v", n)
	}
	if n := p.Items[1].NoteBy(ada.ID); n != nil {
		t.Fatalf("an empty note was kept: %+v", n)
	}
	if n := p.Items[2].NoteBy(ada.ID); n == nil || n.Rating == nil || *n.Rating != 0 {
		t.Fatalf("a rating of 0 is a rating: %+v", n)
	}
	// Each writes only their own note.
	if err := tt.Note(ctx, ben, walk.ID, "I want more of these", ""); err != nil {
		t.Fatal(err)
	}
	if err := tt.Note(ctx, ben, walk.ID, "I want more of these evenings", "8"); err != nil {
		t.Fatal(err)
	}
	_, w, err := tt.One(ctx, ada, walk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := w.NoteBy(ben.ID); n == nil || n.Note != "I want more of these evenings" || *n.Rating != 8 || w.NoteBy(ada.ID).Note != "It felt easy" {
		t.Fatalf("the notes: %+v", w.Notes)
	}
	// Both empty: Ben's note is gone.
	if err := tt.Note(ctx, ben, walk.ID, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, w, _ = tt.One(ctx, ada, walk.ID); w.NoteBy(ben.ID) != nil {
		t.Fatalf("Ben's note stays: %+v", w.Notes)
	}
	// Only the one who logged it deletes it.
	if err := tt.Delete(ctx, ben, walk.ID); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Ben deletes Ada's log: %v", err)
	}
	if err := tt.Delete(ctx, ada, walk.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := tt.One(ctx, ben, walk.ID); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("after deleting: %v", err)
	}
	// Another couple sees none of it.
	cara := newPartner(t, e.acc, "Cara")
	start(t, e.c, cara, service.StartInput{})
	if err := tt.Note(ctx, cara, p.Items[1].ID, "x", ""); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("a stranger's note: %v", err)
	}
}
