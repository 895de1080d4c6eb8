package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

type talkEnv struct {
	spaceEnv
	tk *service.Talk
}

func newTalk(t *testing.T) *talkEnv {
	t.Helper()
	base := newSpaceEnv(t, "Ada", "Ben")
	tk := service.NewTalk(base.db, base.c)
	tk.Now = base.clk.now
	return &talkEnv{spaceEnv: base, tk: tk}
}

func (e *talkEnv) page(t *testing.T, u *mend.User) *mend.TalkPage {
	t.Helper()
	p, err := e.tk.Page(context.Background(), u)
	if err != nil {
		t.Fatalf("%s's talk page: %v", u.Name, err)
	}
	return p
}

// titles lists the titles of the topics u sees, "+" marking those talked
// through.
func (e *talkEnv) titles(t *testing.T, u *mend.User) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	for _, tp := range e.page(t, u).Topics {
		title := tp.Title
		if tp.QuestionID != nil {
			title = "Q: " + tp.Question
		}
		got[title] = tp.TalkedAt != nil
	}
	return got
}

// agreeSunday has a propose Sunday 19:00 for 45 minutes and b agree; it
// returns the talk time's id.
func (e *talkEnv) agreeSunday(t *testing.T, a, b *mend.User) int64 {
	t.Helper()
	ctx := context.Background()
	if err := e.tk.Propose(ctx, a, service.TalkTimeInput{Weekday: "0", Start: "19:00", Minutes: "45"}); err != nil {
		t.Fatal(err)
	}
	ts := e.page(t, b).Times
	id := ts[len(ts)-1].ID
	if err := e.tk.Decide(ctx, b, id, "agree"); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestTalk_TimesAreProposedAndAgreedLikeCommitments(t *testing.T) {
	t.Parallel()
	e := newTalk(t)
	ctx := context.Background()
	ada, ben, _ := e.pairIn(t, "Europe/Berlin", "America/New_York")
	// Friday 4 December 2026, noon in Berlin.
	e.setNow(t, "2026-12-04T11:00:00Z")
	k1 := service.NewFormKey()
	wantCode(t, e.tk.Propose(ctx, ada, service.TalkTimeInput{Weekday: "9", Start: "7pm", Minutes: "5"}), mend.Invalid, "a bad proposal")
	if err := e.tk.Propose(ctx, ada, service.TalkTimeInput{Weekday: "0", Start: "19:00", Minutes: "45", FormKey: k1}); err != nil {
		t.Fatal(err)
	}
	// The same form again proposes once.
	if err := e.tk.Propose(ctx, ada, service.TalkTimeInput{Weekday: "0", Start: "19:00", Minutes: "45", FormKey: k1}); err != nil {
		t.Fatal(err)
	}
	if w := e.waiting(t, ben); w.Proposals != 1 || w.Next != nil {
		t.Fatalf("Ben's Today with Ada's proposal: %+v", w)
	}
	if w := e.waiting(t, ada); w.Proposals != 0 {
		t.Fatalf("Ada's Today with her own proposal: %+v", w)
	}
	p := e.page(t, ben)
	if len(p.Times) != 1 || p.Next != nil || p.Times[0].Zone != "Europe/Berlin" || p.Times[0].Status != mend.TalkProposed {
		t.Fatalf("Ben sees %+v, next %+v", p.Times, p.Next)
	}
	id := p.Times[0].ID
	wantCode(t, e.tk.Decide(ctx, ada, id, "agree"), mend.NotFound, "agreeing to one's own proposal")
	wantCode(t, e.tk.Decide(ctx, ben, id, "withdraw"), mend.NotFound, "withdrawing the other's proposal")
	wantCode(t, e.tk.Decide(ctx, ben, id, "end"), mend.NotFound, "ending a proposal")
	if err := e.tk.Decide(ctx, ben, id, "agree"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.tk.Decide(ctx, ben, id, "decline"), mend.NotFound, "declining once agreed")
	// The next one is Sunday 6 December, 19:00 in Berlin: 13:00 in New York.
	for _, u := range []*mend.User{ada, ben} {
		n := e.page(t, u).Next
		if n == nil || !n.Start.Equal(time.Date(2026, 12, 6, 18, 0, 0, 0, time.UTC)) || n.Now || n.End.Sub(n.Start) != 45*time.Minute {
			t.Fatalf("%s's next talk time: %+v", u.Name, n)
		}
	}
	// During it, it is the one going on.
	e.setNow(t, "2026-12-06T18:30:00Z")
	if n := e.page(t, ben).Next; n == nil || !n.Now {
		t.Fatalf("at 19:30 in Berlin: %+v", n)
	}
	// After it, the next Sunday.
	e.setNow(t, "2026-12-06T18:45:00Z")
	if n := e.page(t, ben).Next; n == nil || n.Now || !n.Start.Equal(time.Date(2026, 12, 13, 18, 0, 0, 0, time.UTC)) {
		t.Fatalf("after it: %+v", n)
	}
	// A second proposal, withdrawn by Ben who made it; then Ada ends the
	// agreed one.
	if err := e.tk.Propose(ctx, ben, service.TalkTimeInput{Weekday: "3", Start: "20:00", Minutes: "30"}); err != nil {
		t.Fatal(err)
	}
	second := e.page(t, ada).Times[1].ID
	wantCode(t, e.tk.Decide(ctx, ada, second, "withdraw"), mend.NotFound, "withdrawing the other's proposal")
	if err := e.tk.Decide(ctx, ben, second, "withdraw"); err != nil {
		t.Fatal(err)
	}
	if err := e.tk.Decide(ctx, ada, id, "end"); err != nil {
		t.Fatal(err)
	}
	if p := e.page(t, ben); len(p.Times) != 0 || p.Next != nil {
		t.Fatalf("after ending: %+v", p.Times)
	}
}

func TestTalk_ProposingNeedsAPartner(t *testing.T) {
	t.Parallel()
	e := newTalk(t)
	ada := partnerIn(t, e.acc, "Ada", "UTC")
	start(t, e.c, ada, service.StartInput{})
	err := e.tk.Propose(context.Background(), ada, service.TalkTimeInput{Weekday: "0", Start: "19:00", Minutes: "45"})
	fieldRefused(t, err, "weekday", "proposing alone")
}

func TestTalk_ParkedTopicsWaitPrivatelyForTheTalkTime(t *testing.T) {
	t.Parallel()
	e := newTalk(t)
	ctx := context.Background()
	ada, ben, _ := e.pairIn(t, "Europe/Berlin", "Europe/Berlin")
	cara, dan, _ := (&spaceEnv{c: e.c, acc: e.acc, db: e.db, clk: e.clk, names: [2]string{"Cara", "Dan"}}).pairIn(t, "UTC", "UTC")
	// Parked before any talk time is agreed: private until the first one.
	e.setNow(t, "2026-12-02T10:00:00Z")
	if err := e.tk.Park(ctx, ada, service.TopicInput{Title: "The phone bill", Note: "March"}); err != nil {
		t.Fatal(err)
	}
	fieldRefused(t, e.tk.Park(ctx, ada, service.TopicInput{Title: "  "}), "title", "title")
	e.agreeSunday(t, ada, ben)
	e.setNow(t, "2026-12-04T10:00:00Z") // Friday
	p1 := service.NewFormKey()
	if err := e.tk.Park(ctx, ada, service.TopicInput{Title: "Christmas with my sister", FormKey: p1}); err != nil {
		t.Fatal(err)
	}
	if err := e.tk.Park(ctx, ada, service.TopicInput{Title: "Christmas with my sister", FormKey: p1}); err != nil {
		t.Fatal(err)
	}
	if err := e.tk.Park(ctx, ben, service.TopicInput{Title: "Friday nights", Share: true}); err != nil {
		t.Fatal(err)
	}
	if got := e.titles(t, ada); len(got) != 3 {
		t.Fatalf("Ada sees %v", got)
	}
	// Before the talk time Ben sees his own and nothing of Ada's: not in
	// the list, not in Today's count.
	if got := e.titles(t, ben); len(got) != 1 || got["Friday nights"] {
		t.Fatalf("Ben sees before the talk time: %v", got)
	}
	if w := e.waiting(t, ben); w.Topics != 1 || w.Next == nil || w.Next.Now {
		t.Fatalf("Ben's Today before: %+v", w)
	}
	if w := e.waiting(t, ada); w.Topics != 3 {
		t.Fatalf("Ada's Today before: %+v", w)
	}
	var adas int64
	for _, tp := range e.page(t, ada).Topics {
		if tp.Title == "The phone bill" {
			adas = tp.ID
		}
	}
	wantCode(t, e.tk.Talked(ctx, ben, adas), mend.NotFound, "marking a topic Ben cannot see yet")
	wantCode(t, e.tk.Talked(ctx, cara, adas), mend.NotFound, "another couple marking it")
	wantCode(t, e.tk.DeleteTopic(ctx, ben, adas), mend.NotFound, "deleting the other's topic")
	// At the talk time both see all three on the agenda.
	e.setNow(t, "2026-12-06T18:05:00Z")
	for _, u := range []*mend.User{ada, ben} {
		if got := e.titles(t, u); len(got) != 3 {
			t.Fatalf("%s's agenda at the talk time: %v", u.Name, got)
		}
		if n := e.page(t, u).Next; n == nil || !n.Now {
			t.Fatalf("%s: not during the talk time: %+v", u.Name, n)
		}
	}
	if got := e.titles(t, cara); len(got) != 0 {
		t.Fatalf("Cara sees %v", got)
	}
	if w := e.waiting(t, dan); w.Topics != 0 || w.Next != nil {
		t.Fatalf("Dan's Today: %+v", w)
	}
	if err := e.tk.Talked(ctx, ben, adas); err != nil {
		t.Fatal(err)
	}
	wantCode(t, e.tk.Talked(ctx, ada, adas), mend.NotFound, "marking it twice")
	// After the talk time, what was not talked through waits for the next
	// one, still seen by both; a topic parked now is private again until
	// the next Sunday.
	e.setNow(t, "2026-12-07T09:00:00Z")
	if err := e.tk.Park(ctx, ada, service.TopicInput{Title: "Your mother"}); err != nil {
		t.Fatal(err)
	}
	got := e.titles(t, ben)
	if len(got) != 3 || !got["The phone bill"] || got["Christmas with my sister"] || got["Friday nights"] {
		t.Fatalf("Ben after the talk time: %v", got)
	}
	if w := e.waiting(t, ben); w.Topics != 2 {
		t.Fatalf("Ben's Today after: %+v", w)
	}
	e.setNow(t, "2026-12-13T18:00:00Z")
	if got := e.titles(t, ben); !contains(got, "Your mother") {
		t.Fatalf("Ben at the next talk time: %v", got)
	}
}

func contains(m map[string]bool, k string) bool { _, ok := m[k]; return ok }

// parkRace runs before its store parks a topic: after the service read the
// talk times, before the insert.
type parkRace struct {
	service.TalkStore
	before func()
}

func (r parkRace) ParkTopic(ctx context.Context, a mend.PartnerAccess, t mend.ParkedTopic, share bool, formKey []byte) error {
	if r.before != nil {
		r.before()
	}
	return r.TalkStore.ParkTopic(ctx, a, t, share, formKey)
}

// A talk time agreed while a topic is being parked, its move of the
// waiting topics done before the topic is in, still opens the topic at
// that talk time.
func TestTalk_ATopicParkedWhileTheTalkTimeIsAgreedOpensAtIt(t *testing.T) {
	t.Parallel()
	e := newTalk(t)
	ctx := context.Background()
	ada, ben, _ := e.pairIn(t, "UTC", "UTC")
	e.setNow(t, "2026-12-02T10:00:00Z") // Wednesday
	if err := e.tk.Propose(ctx, ada, service.TalkTimeInput{Weekday: "0", Start: "19:00", Minutes: "45"}); err != nil {
		t.Fatal(err)
	}
	id := e.page(t, ben).Times[0].ID
	racing := &service.Talk{Couples: e.c, Now: e.tk.Now, Store: parkRace{TalkStore: e.db, before: func() {
		if err := e.tk.Decide(ctx, ben, id, "agree"); err != nil {
			t.Error(err)
		}
	}}}
	if err := racing.Park(ctx, ada, service.TopicInput{Title: "The phone bill"}); err != nil {
		t.Fatal(err)
	}
	if got := e.titles(t, ben); len(got) != 0 {
		t.Fatalf("Ben sees before the talk time: %v", got)
	}
	e.setNow(t, "2026-12-06T19:05:00Z")
	if got := e.titles(t, ben); !contains(got, "The phone bill") {
		t.Fatalf("Ben at the talk time agreed while it was parked: %v", got)
	}
}

func TestTalk_EndingTheTalkTimeKeepsWaitingTopicsPrivate(t *testing.T) {
	t.Parallel()
	e := newTalk(t)
	ctx := context.Background()
	ada, ben, _ := e.pairIn(t, "UTC", "UTC")
	id := e.agreeSunday(t, ada, ben)
	e.setNow(t, "2026-12-04T10:00:00Z")
	if err := e.tk.Park(ctx, ada, service.TopicInput{Title: "Work trips"}); err != nil {
		t.Fatal(err)
	}
	if err := e.tk.Decide(ctx, ben, id, "end"); err != nil {
		t.Fatal(err)
	}
	// Sunday comes, but there is no talk time any more: it stays Ada's.
	e.setNow(t, "2026-12-06T19:10:00Z")
	if got := e.titles(t, ben); len(got) != 0 {
		t.Fatalf("Ben sees %v after the talk time ended", got)
	}
	// A new talk time is agreed after it: it waits for that one.
	e.setNow(t, "2026-12-06T20:00:00Z")
	e.agreeSunday(t, ben, ada)
	if got := e.titles(t, ben); len(got) != 0 {
		t.Fatalf("Ben sees %v before the new talk time", got)
	}
	e.setNow(t, "2026-12-13T19:10:00Z")
	if got := e.titles(t, ben); !contains(got, "Work trips") {
		t.Fatalf("Ben at the new talk time: %v", got)
	}
}

func (e *talkEnv) waiting(t *testing.T, u *mend.User) *mend.TalkWaiting {
	t.Helper()
	p := todayPage(t, e.newTodayOn(), u)
	return p.Talk
}

func (e *talkEnv) newTodayOn() *service.Today {
	td := e.newToday()
	td.Talk = e.tk
	return td
}

func TestTalk_QuestionsOfThePartnerWhoWasHurt(t *testing.T) {
	t.Parallel()
	e := newTalk(t)
	ctx := context.Background()
	ada := partnerIn(t, e.acc, "Ada", "UTC")
	ben := partnerIn(t, e.acc, "Ben", "UTC")
	start(t, e.c, ada, service.StartInput{Rebuilding: "partner", Visibility: string(mend.MyPartner)})
	accept(t, e.c, ben, invite(t, e.c, ada, mend.InvitePartner))
	cara, _, _ := (&spaceEnv{c: e.c, acc: e.acc, db: e.db, clk: e.clk, names: [2]string{"Cara", "Dan"}}).pairIn(t, "UTC", "UTC")
	// Ben is the one rebuilding trust: the list is Ada's.
	fieldRefused(t, e.tk.Ask(ctx, ben, service.QuestionInput{Body: "Why?", About: "meaning"}), "body", "body")
	fieldRefused(t, e.tk.Ask(ctx, ada, service.QuestionInput{Body: "", About: "meaning"}), "body", "body")
	fieldRefused(t, e.tk.Ask(ctx, ada, service.QuestionInput{Body: "Why?", About: "gossip"}), "about", "about")
	for _, q := range []string{"What did it mean to you?", "Where did you meet?"} {
		key := service.NewFormKey()
		about := "meaning"
		if q[0] == 'W' && q[1] == 'h' && q[2] == 'e' {
			about = "details"
		}
		if err := e.tk.Ask(ctx, ada, service.QuestionInput{Body: q, About: about, FormKey: key}); err != nil {
			t.Fatal(err)
		}
		if err := e.tk.Ask(ctx, ada, service.QuestionInput{Body: q, About: about, FormKey: key}); err != nil {
			t.Fatal(err)
		}
	}
	qp, err := e.tk.Questions(ctx, ben)
	if err != nil {
		t.Fatal(err)
	}
	if len(qp.Questions) != 2 || qp.MayAsk {
		t.Fatalf("Ben's page: %+v", qp)
	}
	meaning, details := qp.Questions[0].ID, qp.Questions[1].ID
	if p, _ := e.tk.Questions(ctx, cara); len(p.Questions) != 0 {
		t.Fatalf("Cara sees %+v", p.Questions)
	}
	wantCode(t, e.tk.Answer(ctx, ada, meaning, "I answer myself", false, ""), mend.NotFound, "answering one's own question")
	wantCode(t, e.tk.Answer(ctx, cara, meaning, "Hello", false, ""), mend.NotFound, "another couple answering")
	fieldRefused(t, e.tk.Answer(ctx, ben, meaning, " ", false, ""), "answer", "answer")
	if err := e.tk.Answer(ctx, ben, meaning, "It meant I was running from myself, not from you.", false, "a1"); err != nil {
		t.Fatal(err)
	}
	// "Talk about it" parks it for the talk time, on both agendas at once.
	if err := e.tk.Answer(ctx, ben, details, "", true, "a2"); err != nil {
		t.Fatal(err)
	}
	if err := e.tk.Answer(ctx, ben, details, "", true, "a3"); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*mend.User{ada, ben} {
		if got := e.titles(t, u); len(got) != 1 || !contains(got, "Q: Where did you meet?") {
			t.Fatalf("%s's agenda: %v", u.Name, got)
		}
		qp, _ := e.tk.Questions(ctx, u)
		a0, a1 := qp.Questions[0].Answer, qp.Questions[1].Answer
		if a0 == nil || a0.UserID != ben.ID || a0.Body == "" || a0.Talk || a1 == nil || !a1.Talk || a1.Body != "" {
			t.Fatalf("%s sees answers %+v %+v", u.Name, a0, a1)
		}
		if w := e.waiting(t, u); w.Questions != 0 || w.Topics != 1 {
			t.Fatalf("%s's Today: %+v", u.Name, w)
		}
	}
	// Words may follow the talk.
	if err := e.tk.Answer(ctx, ben, details, "At the conference in May.", false, "a4"); err != nil {
		t.Fatal(err)
	}
	qp, _ = e.tk.Questions(ctx, ada)
	if a := qp.Questions[1].Answer; a == nil || a.Body != "At the conference in May." || !a.Talk {
		t.Fatalf("after the talk: %+v", a)
	}
	// Ada deletes a question: its answer and its topic go with it.
	wantCode(t, e.tk.DeleteQuestion(ctx, ben, details), mend.NotFound, "deleting the other's question")
	if err := e.tk.DeleteQuestion(ctx, ada, details); err != nil {
		t.Fatal(err)
	}
	if got := e.titles(t, ben); len(got) != 0 {
		t.Fatalf("Ben's agenda after the deletion: %v", got)
	}
}

func TestTalk_EitherKeepsQuestionsWhenTheWordsSayBothOrNothing(t *testing.T) {
	t.Parallel()
	for _, rebuilding := range []string{"both", ""} {
		e := newTalk(t)
		ada := partnerIn(t, e.acc, "Ada", "UTC")
		ben := partnerIn(t, e.acc, "Ben", "UTC")
		start(t, e.c, ada, service.StartInput{Rebuilding: rebuilding})
		accept(t, e.c, ben, invite(t, e.c, ada, mend.InvitePartner))
		for _, u := range []*mend.User{ada, ben} {
			if err := e.tk.Ask(context.Background(), u, service.QuestionInput{Body: "What do you need from me?", About: "meaning"}); err != nil {
				t.Fatalf("%q: %s asks: %v", rebuilding, u.Name, err)
			}
		}
	}
}

// TestTalk_TherapistReadsOnlyTheQuestionsTheAskerShares: a therapist reads
// a question and its answer only when its asker chose to share it, while
// the asker shares questions and the link lasts; another couple's
// therapist never does; each view is logged.
func TestTalk_TherapistReadsOnlyTheQuestionsTheAskerShares(t *testing.T) {
	t.Parallel()
	e := newTalk(t)
	ctx := context.Background()
	ada, ben, coupleID := e.pairIn(t, "UTC", "UTC")
	c, _, cID := pair(t, e.c, e.acc, "Cara", "Dan")
	tess := newTherapist(t, e.acc, "Tess", "Tess Lee")
	link(t, e.c, ben, tess)
	uma := newTherapist(t, e.acc, "Uma", "Uma Other")
	link(t, e.c, c, uma)
	for _, q := range []service.QuestionInput{
		{Body: "Shared: what did it mean?", About: "meaning", Share: true},
		{Body: "Kept: where did you go?", About: "details"},
	} {
		if err := e.tk.Ask(ctx, ada, q); err != nil {
			t.Fatal(err)
		}
	}
	qp, err := e.tk.Questions(ctx, ben)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qp.Questions {
		if err := e.tk.Answer(ctx, ben, q.ID, "Ben's answer to "+q.Body, false, ""); err != nil {
			t.Fatal(err)
		}
	}
	shared := qp.Questions[0].ID
	seen := func(what string, want ...string) {
		t.Helper()
		p, err := e.tk.ForTherapist(ctx, tess, coupleID)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		var got []string
		for _, q := range p.Questions {
			if q.Answer == nil || q.Answer.Body != "Ben's answer to "+q.Body {
				t.Fatalf("%s: %q without its answer: %+v", what, q.Body, q.Answer)
			}
			got = append(got, q.Body)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: Tess reads %q, want %q", what, got, want)
		}
	}
	// Ada does not share questions yet: nothing, though one is marked.
	seen("before Ada shares questions")
	if _, err := e.c.SetDefaults(ctx, ada, map[string]bool{mend.KindQuestions: true}); err != nil {
		t.Fatal(err)
	}
	seen("while Ada shares questions", "Shared: what did it mean?")
	// The label says so, from the same rule.
	sp, err := e.c.Space(ctx, ada)
	if err != nil {
		t.Fatal(err)
	}
	if r := sp.QuestionReaders(&qp.Questions[0]); !r.Partner || !r.Therapist {
		t.Fatalf("readers of the shared one: %+v", r)
	}
	if r := sp.QuestionReaders(&qp.Questions[1]); !r.Partner || r.Therapist {
		t.Fatalf("readers of the kept one: %+v", r)
	}
	// Only the asker changes the choice.
	wantCode(t, e.tk.ShareQuestion(ctx, ben, shared, false), mend.NotFound, "the answerer unsharing")
	if err := e.tk.ShareQuestion(ctx, ada, shared, false); err != nil {
		t.Fatal(err)
	}
	seen("after Ada stops sharing it")
	if err := e.tk.ShareQuestion(ctx, ada, shared, true); err != nil {
		t.Fatal(err)
	}
	seen("shared again", "Shared: what did it mean?")
	// Withdrawing the kind hides it again.
	if _, err := e.c.SetDefaults(ctx, ada, map[string]bool{}); err != nil {
		t.Fatal(err)
	}
	seen("after Ada stops sharing questions")
	// Another couple's therapist, and a partner, are refused.
	if _, err := e.tk.ForTherapist(ctx, uma, coupleID); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("Uma opens the couple's questions: %v", err)
	}
	if _, err := e.tk.ForTherapist(ctx, ada, coupleID); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("a partner opens the therapist's page: %v", err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1 AND kind = 'questions'`, coupleID); n != 5 {
		t.Fatalf("%d views logged, want 5", n)
	}
	if n := count(t, e.db, `SELECT count(*) FROM therapist_views WHERE couple_id = $1`, cID.CoupleID()); n != 0 {
		t.Fatalf("%d views of Cara's couple", n)
	}
}
