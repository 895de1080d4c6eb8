package service_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

type promptsEnv struct {
	spaceEnv
	ps *service.Prompts
}

func newPrompts(t *testing.T) *promptsEnv {
	t.Helper()
	base := newSpaceEnv(t, "Ada", "Ben")
	ps := service.NewPrompts(base.db, base.c)
	ps.Now = base.clk.now
	return &promptsEnv{spaceEnv: base, ps: ps}
}

func (e *promptsEnv) page(t *testing.T, u *mend.User) *mend.PromptsPage {
	t.Helper()
	p, err := e.ps.Page(context.Background(), u)
	if err != nil {
		t.Fatalf("%s's prompts: %v", u.Name, err)
	}
	return p
}

// today is the prompt of the day both partners see, after checking that
// they see the same.
func (e *promptsEnv) today(t *testing.T, a, b *mend.User) mend.PromptDay {
	t.Helper()
	pa, pb := e.page(t, a), e.page(t, b)
	if pa.Today.Prompt.Key != pb.Today.Prompt.Key || !pa.Today.Day.Equal(pb.Today.Day) || pa.Today.Seq != pb.Today.Seq {
		t.Fatalf("the partners see different prompts: %+v and %+v", pa.Today, pb.Today)
	}
	return pa.Today
}

func TestPrompts_RotationNeverRepeatsWithin60Days(t *testing.T) {
	e := newPrompts(t)
	ctx := context.Background()
	// Far apart: Ada (who made the space) in Lisbon, Ben in Tokyo.
	ada, ben, _ := e.pairIn(t, "Europe/Lisbon", "Asia/Tokyo")
	start := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1).Add(23 * time.Hour) // 23:00 UTC: Ben's next day
	shown := map[string]time.Time{}                                                       // key: the couple's day it was last shown
	see := func(d mend.PromptDay) {
		t.Helper()
		if at, ok := shown[d.Prompt.Key]; ok && d.Day.Sub(at) <= 60*24*time.Hour {
			t.Fatalf("%s: prompt %s again, shown on %s", d.Day.Format(time.DateOnly), d.Prompt.Key, at.Format(time.DateOnly))
		}
		shown[d.Prompt.Key] = d.Day
	}
	var prev mend.PromptDay
	for i := range 75 {
		e.clk.t = start.AddDate(0, 0, i)
		d := e.today(t, ada, ben)
		// The couple's day is Ada's: Lisbon is still on the day before Tokyo.
		if want := mend.Date(e.clk.t, ada.Location()); !d.Day.Equal(want) {
			t.Fatalf("the couple's day is %s, want Ada's %s", d.Day.Format(time.DateOnly), want.Format(time.DateOnly))
		}
		if i > 0 && d.Prompt.Key == prev.Prompt.Key {
			t.Fatalf("day %d keeps yesterday's prompt", i)
		}
		// Later the same day it stays put.
		e.clk.t = e.clk.t.Add(20 * time.Minute)
		if again := e.today(t, ben, ada); again.Prompt.Key != d.Prompt.Key {
			t.Fatalf("day %d: the prompt changed within the day", i)
		}
		see(d)
		if i%5 == 0 {
			// Skipping shows another to both; the skipped one counts as shown.
			if err := e.ps.Skip(ctx, ben, d.Seq); err != nil {
				t.Fatal(err)
			}
			// The same form sent again (or by Ada, who saw the same) skips once.
			if err := e.ps.Skip(ctx, ada, d.Seq); err != nil {
				t.Fatal(err)
			}
			next := e.today(t, ada, ben)
			if next.Seq != d.Seq+1 || next.Prompt.Key == d.Prompt.Key {
				t.Fatalf("after a skip: %+v, was %+v", next, d)
			}
			see(next)
			d = next
		}
		prev = d
	}
	if len(shown) < 80 {
		t.Fatalf("only %d prompts in 75 days with skips", len(shown))
	}
}

func TestPrompts_OwnPromptsJoinTheRotation(t *testing.T) {
	e := newPrompts(t)
	ctx := context.Background()
	ada, ben, _ := e.pairIn(t, "Europe/Lisbon", "Europe/Lisbon")
	if err := e.ps.AddPrompt(ctx, ben, service.PromptInput{Category: "fun", Mode: mend.Talk, Text: "  Where  shall we  walk on Sunday? "}); err != nil {
		t.Fatal(err)
	}
	err := e.ps.AddPrompt(ctx, ada, service.PromptInput{Category: "nope", Mode: mend.Talk, Text: ""})
	if fe := fieldsOf(err); fe["category"] == "" || fe["text"] == "" {
		t.Fatalf("a bad prompt: %v", err)
	}
	own := e.page(t, ada).Own
	if len(own) != 1 || own[0].Text != "Where shall we walk on Sunday?" || own[0].AddedBy != ben.ID {
		t.Fatalf("Ada sees own prompts %+v", own)
	}
	for range 100 {
		d := e.today(t, ada, ben)
		if d.Prompt.Own {
			return
		}
		if err := e.ps.Skip(ctx, ada, d.Seq); err != nil {
			e.clk.t = e.clk.t.Add(24 * time.Hour)
		}
	}
	t.Fatal("the couple's own prompt never came up")
}

// The partner who added an own prompt removes it: it leaves the rotation;
// when it is the day's prompt another takes its place for both; the
// answers written to it stay, without its words. Nobody else removes it.
func TestPrompts_RemovingAnOwnPrompt(t *testing.T) {
	e := newPrompts(t)
	ctx := context.Background()
	ada, ben, _ := e.pairIn(t, "Europe/Lisbon", "Europe/Lisbon")
	if err := e.ps.AddPrompt(ctx, ben, service.PromptInput{Category: "fun", Mode: mend.Write, Text: "Where shall we walk on Sunday?"}); err != nil {
		t.Fatal(err)
	}
	own := e.page(t, ada).Own
	if len(own) != 1 {
		t.Fatalf("own prompts: %+v", own)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(own[0].Key, "own-"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	var d mend.PromptDay
	for range 100 {
		if d = e.today(t, ada, ben); d.Prompt.Own {
			break
		}
		if err := e.ps.Skip(ctx, ada, d.Seq); err != nil {
			e.clk.t = e.clk.t.Add(24 * time.Hour)
		}
	}
	if !d.Prompt.Own {
		t.Fatal("the couple's own prompt never came up")
	}
	if err := e.ps.Answer(ctx, ada, service.AnswerInput{Day: d.Day.Format(time.DateOnly), Key: d.Prompt.Key, Body: "By the river",
		Visibility: string(mend.MyPartner)}); err != nil {
		t.Fatal(err)
	}
	if v, err := e.ps.OwnPrompt(ctx, ben, id); err != nil || !v.Today || v.Prompt.Text != "Where shall we walk on Sunday?" {
		t.Fatalf("Ben's confirmation: %+v %v", v, err)
	}
	if _, err := e.ps.OwnPrompt(ctx, ada, id); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Ada reads the confirmation of Ben's prompt: %v", err)
	}
	if err := e.ps.DeleteOwnPrompt(ctx, ada, id); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Ada removes Ben's prompt: %v", err)
	}
	if err := e.ps.DeleteOwnPrompt(ctx, ben, id); err != nil {
		t.Fatal(err)
	}
	if err := e.ps.DeleteOwnPrompt(ctx, ben, id); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("removing it twice: %v", err)
	}
	after := e.today(t, ada, ben)
	if after.Prompt.Own || after.Seq != d.Seq+1 || !after.Day.Equal(d.Day) || after.Prompt.Text == "" {
		t.Fatalf("today's prompt after the removal: %+v (before: seq %d)", after, d.Seq)
	}
	p := e.page(t, ada)
	if len(p.Own) != 0 {
		t.Fatalf("own prompts after the removal: %+v", p.Own)
	}
	var kept *mend.PromptDay
	for i := range p.Recent {
		if p.Recent[i].Prompt.Key == d.Prompt.Key {
			kept = &p.Recent[i]
		}
	}
	if kept == nil || kept.Mine == nil || kept.Mine.Body != "By the river" || kept.Prompt.Text != "" {
		t.Fatalf("Ada's answer to the removed prompt: %+v", kept)
	}
}

// todayOf skips until the prompt of the day has mode.
func (e *promptsEnv) todayOf(t *testing.T, a, b *mend.User, mode string) mend.PromptDay {
	t.Helper()
	for range 20 {
		d := e.today(t, a, b)
		if d.Prompt.Mode == mode {
			return d
		}
		if err := e.ps.Skip(context.Background(), a, d.Seq); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("no %s prompt", mode)
	return mend.PromptDay{}
}

func TestPrompts_TalkTogetherAnswersRevealOnceBothShared(t *testing.T) {
	e := newPrompts(t)
	ctx := context.Background()
	ada, ben, _ := e.pairIn(t, "Europe/Lisbon", "America/New_York")
	e.clk.t = time.Now().Add(time.Hour)
	d := e.todayOf(t, ada, ben, mend.Talk)
	answer := func(u *mend.User, body string, vis mend.Visibility) {
		t.Helper()
		in := service.AnswerInput{Day: d.Day.Format(time.DateOnly), Key: d.Prompt.Key, Body: body, Visibility: string(vis)}
		if err := e.ps.Answer(ctx, u, in); err != nil {
			t.Fatalf("%s answers: %v", u.Name, err)
		}
	}
	answer(ada, "The walk by the river on Tuesday.", mend.MyPartner)
	b := e.page(t, ben).Today
	if b.Theirs != nil || !b.TheyAnswered || b.Mine != nil {
		t.Fatalf("before answering, Ben sees %+v", b)
	}
	if a := e.page(t, ada).Today; a.Mine == nil || a.Mine.Body != "The walk by the river on Tuesday." || a.Theirs != nil || a.TheyAnswered {
		t.Fatalf("Ada sees %+v", a)
	}
	// A private answer does not open the partner's.
	answer(ben, "Cooking together.", mend.JustMe)
	b = e.page(t, ben).Today
	if b.Theirs != nil || !b.TheyAnswered || b.Mine == nil {
		t.Fatalf("after a private answer, Ben sees %+v", b)
	}
	if a := e.page(t, ada).Today; a.Theirs != nil || a.TheyAnswered {
		t.Fatalf("Ada sees Ben's private answer: %+v", a)
	}
	// Shared, it does; rewriting replaces the answer.
	answer(ben, "Cooking together on Sunday.", mend.MyPartner)
	b = e.page(t, ben).Today
	if b.Theirs == nil || b.Theirs.Body != "The walk by the river on Tuesday." || b.Mine.Body != "Cooking together on Sunday." {
		t.Fatalf("after sharing, Ben sees %+v", b)
	}
	if a := e.page(t, ada).Today; a.Theirs == nil || a.Theirs.Body != "Cooking together on Sunday." {
		t.Fatalf("Ada sees %+v", a)
	}
	// Not a prompt of the couple's day: not found.
	err := e.ps.Answer(ctx, ada, service.AnswerInput{Day: d.Day.AddDate(0, 0, -3).Format(time.DateOnly), Key: d.Prompt.Key,
		Body: "x", Visibility: string(mend.MyPartner)})
	if mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("answering another day's prompt: %v", err)
	}
	// Bad input names the field.
	err = e.ps.Answer(ctx, ada, service.AnswerInput{Day: d.Day.Format(time.DateOnly), Key: d.Prompt.Key, Body: " ", Visibility: "everyone"})
	if fe := fieldsOf(err); fe["body"] == "" || fe["visibility"] == "" {
		t.Fatalf("an empty answer: %v", err)
	}
}

func TestPrompts_WriteAloneAnswersFollowTheirVisibility(t *testing.T) {
	e := newPrompts(t)
	ctx := context.Background()
	ada, ben, _ := e.pairIn(t, "Europe/Lisbon", "Europe/Lisbon")
	e.clk.t = time.Now().Add(time.Hour)
	d := e.todayOf(t, ada, ben, mend.Write)
	in := service.AnswerInput{Day: d.Day.Format(time.DateOnly), Key: d.Prompt.Key, Body: "Only for me.", Visibility: string(mend.JustMe)}
	if err := e.ps.Answer(ctx, ada, in); err != nil {
		t.Fatal(err)
	}
	if b := e.page(t, ben).Today; b.Theirs != nil || b.TheyAnswered {
		t.Fatalf("Ben sees Ada's private answer: %+v", b)
	}
	in.Body, in.Visibility = "For both of us.", string(mend.MyPartner)
	if err := e.ps.Answer(ctx, ada, in); err != nil {
		t.Fatal(err)
	}
	// Written alone: shared, it shows without an answer of Ben's.
	if b := e.page(t, ben).Today; b.Theirs == nil || b.Theirs.Body != "For both of us." {
		t.Fatalf("Ben sees %+v", b)
	}
}

// Today shows the couple's prompt of the day once it was chosen, and
// never chooses one itself.
func TestPrompts_TodayShowsThePromptOfTheDay(t *testing.T) {
	e := newPrompts(t)
	ctx := context.Background()
	ada, ben, _ := e.pairIn(t, "Europe/Lisbon", "Asia/Tokyo")
	e.clk.t = time.Now().Add(time.Hour)
	td := e.newToday()
	if p := todayPage(t, td, ben).Prompt; p != nil {
		t.Fatalf("Today chose a prompt: %+v", p)
	}
	d := e.today(t, ada, ben)
	if p := todayPage(t, td, ben).Prompt; p == nil || p.Key != d.Prompt.Key || p.Text == "" {
		t.Fatalf("Ben's Today shows %+v, want %+v", p, d.Prompt)
	}
	if err := e.ps.AddPrompt(ctx, ada, service.PromptInput{Category: "future", Mode: mend.Talk, Text: "What should next spring hold?"}); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		d = e.today(t, ada, ben)
		if d.Prompt.Own {
			break
		}
		if err := e.ps.Skip(ctx, ada, d.Seq); err != nil {
			e.clk.t = e.clk.t.Add(24 * time.Hour)
		}
	}
	if p := todayPage(t, td, ada).Prompt; p == nil || p.Text != "What should next spring hold?" || p.Mode != mend.Talk {
		t.Fatalf("Ada's Today shows %+v, want her own prompt", p)
	}
}

// Services.SetClock moves the prompt of the day and time together too:
// across midnight of the couple's day the prompt changes for both.
func TestPrompts_SetClockMovesTheDay(t *testing.T) {
	e := newPrompts(t)
	ctx := context.Background()
	ada, ben, _ := e.pairIn(t, "Europe/Lisbon", "Europe/Lisbon")
	svc := service.New(e.db)
	at := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 2).Add(22 * time.Hour) // 22:00 in Lisbon (winter) or 23:00
	svc.SetClock(func() time.Time { return at })
	first, err := svc.Prompts.Page(ctx, ada)
	if err != nil {
		t.Fatal(err)
	}
	at = at.Add(3 * time.Hour) // past midnight in Lisbon
	next, err := svc.Prompts.Page(ctx, ben)
	if err != nil {
		t.Fatal(err)
	}
	if !next.Today.Day.Equal(first.Today.Day.AddDate(0, 0, 1)) || next.Today.Prompt.Key == first.Today.Prompt.Key {
		t.Fatalf("after midnight: %+v, before: %+v", next.Today, first.Today)
	}
	tp, err := svc.Together.Page(ctx, ada)
	if err != nil || !tp.Today.Equal(next.Today.Day) {
		t.Fatalf("time together's today: %v %v, want %v", tp, err, next.Today.Day)
	}
}
