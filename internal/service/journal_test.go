package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// bodies lists the words of a journal page's items, newest first.
func bodies(p *mend.JournalPage) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Body)
	}
	return out
}

func TestJournal_MineAndWhatMyPartnerShares(t *testing.T) {
	e := newPrompts(t)
	ctx := context.Background()
	ada, ben, _ := e.pairIn(t, "Europe/Lisbon", "Europe/Lisbon")
	j := &service.Journal{Store: e.db, Couples: e.c}
	e.clk.t = time.Now().Add(time.Hour)
	d := e.today(t, ada, ben)
	if err := e.ps.Answer(ctx, ada, service.AnswerInput{Day: d.Day.Format(time.DateOnly), Key: d.Prompt.Key, Body: "Ada's answer",
		Visibility: string(mend.JustMe)}); err != nil {
		t.Fatal(err)
	}
	if err := e.ps.Answer(ctx, ben, service.AnswerInput{Day: d.Day.Format(time.DateOnly), Key: d.Prompt.Key, Body: "Ben's answer",
		Visibility: string(mend.MyPartner)}); err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct {
		u         *mend.User
		body, vis string
	}{{ada, "Ada alone", string(mend.JustMe)}, {ada, "Ada for Ben", string(mend.MyPartner)}, {ben, "Ben alone", string(mend.JustMe)}} {
		if err := j.Write(ctx, w.u, service.JournalInput{Body: w.body, Visibility: w.vis}); err != nil {
			t.Fatal(err)
		}
	}
	err := j.Write(ctx, ada, service.JournalInput{Body: " ", Visibility: "everyone"})
	if fe := fieldsOf(err); fe["body"] == "" || fe["visibility"] == "" {
		t.Fatalf("an empty entry: %v", err)
	}
	page := func(u *mend.User, n int) *mend.JournalPage {
		t.Helper()
		p, err := j.Page(ctx, u, n)
		if err != nil {
			t.Fatalf("%s's journal page %d: %v", u.Name, n, err)
		}
		return p
	}
	if got := fmt.Sprint(bodies(page(ada, 1))); got != "[Ada for Ben Ada alone Ada's answer]" {
		t.Fatalf("Ada's journal: %s", got)
	}
	// Ben: his own, and what Ada shared with him; never her private words
	// nor her answer (that is on the prompts page, by its own rule).
	bp := page(ben, 1)
	if got := fmt.Sprint(bodies(bp)); got != "[Ben alone Ada for Ben Ben's answer]" {
		t.Fatalf("Ben's journal: %s", got)
	}
	// Ben's talk-together answer reaches Ada only once she shares one.
	for _, it := range bp.Items {
		if it.Kind != mend.JournalAnswer {
			continue
		}
		r := bp.Space.JournalReaders(&it)
		if want := !d.Prompt.Together(); r.Partner != want {
			t.Fatalf("Ben's answer reaches Ada: %v, want %v (%s)", r.Partner, want, d.Prompt.Mode)
		}
	}
	// Ben cannot open or delete Ada's entry.
	ap := page(ada, 1)
	adas := ap.Items[0].ID
	if _, _, err := j.Mine(ctx, ben, mend.JournalEntry, adas); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Ben opens Ada's entry: %v", err)
	}
	if err := j.Delete(ctx, ben, mend.JournalEntry, adas); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Ben deletes Ada's entry: %v", err)
	}
	// Ada deletes her answer and her entry.
	if _, it, err := j.Mine(ctx, ada, mend.JournalAnswer, ap.Items[2].ID); err != nil || it.Prompt.Text == "" {
		t.Fatalf("Ada opens her answer: %+v %v", it, err)
	}
	if err := j.Delete(ctx, ada, mend.JournalAnswer, ap.Items[2].ID); err != nil {
		t.Fatal(err)
	}
	if err := j.Delete(ctx, ada, mend.JournalEntry, adas); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(bodies(page(ada, 1))); got != "[Ada alone]" {
		t.Fatalf("after deleting, Ada's journal: %s", got)
	}
	// Pages of mend.JournalPageSize, newest first.
	for i := range mend.JournalPageSize + 2 {
		if err := j.Write(ctx, ben, service.JournalInput{Body: fmt.Sprintf("note %02d", i), Visibility: string(mend.JustMe)}); err != nil {
			t.Fatal(err)
		}
	}
	p1, p2 := page(ben, 1), page(ben, 2)
	if !p1.More || p2.More || len(p1.Items) != mend.JournalPageSize || p1.Items[0].Body != fmt.Sprintf("note %02d", mend.JournalPageSize+1) {
		t.Fatalf("page 1: %v (more %v); page 2: %v", bodies(p1), p1.More, bodies(p2))
	}
	if _, err := j.Page(ctx, ben, 3); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("page 3: %v", err)
	}
}
