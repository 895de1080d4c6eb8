package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// anaSpace is Ana's space with Ben, and Tess Moreau as the therapist.
func anaSpace() *mend.Space {
	return &mend.Space{Me: mend.Member{UserID: 1, Name: "Ana"}, Partner: &mend.Member{UserID: 2, Name: "Ben"},
		Therapist: "Tess Moreau, couples therapist", TherapistName: "Tess Moreau"}
}

// TestTriggerHeading_TheWritersQuestionForItsReader: "What I felt" is the
// writer's own question; anyone else reads it with the writer's name.
func TestTriggerHeading_TheWritersQuestionForItsReader(t *testing.T) {
	sp := anaSpace()
	for _, c := range []struct {
		writer      int64
		name, label string
		want        string
	}{
		{1, "felt", "What I felt", "What I felt"},
		{1, "need", "What I need from my partner", "What I need from my partner"},
		{2, "felt", "What I felt", "What Ben felt"},
		{2, "need", "What I need from my partner", "What Ben needs from you"},
		{2, "helped", "What helped", "What helped"},
		{3, "felt", "What I felt", "What a former partner felt"},
	} {
		if got := triggerHeading(sp, c.writer, c.name, c.label); got != c.want {
			t.Errorf("writer %d, %s: %q, want %q", c.writer, c.name, got, c.want)
		}
	}
	names := map[int64]string{1: "Ana", 2: "Ben"}
	if got := therapistTriggerHeading(names, 1, "need", "What I need from my partner"); got != "What Ana needs from Ben" {
		t.Errorf("the therapist reads %q", got)
	}
	if got := therapistTriggerHeading(map[int64]string{1: "Ana"}, 1, "need", "What I need from my partner"); got != "What Ana needs" {
		t.Errorf("the therapist, with Ana alone in the couple, reads %q", got)
	}
}

// TestSharingSentences_NameTheTherapistByName: sentences use the
// therapist's own name, never the professional one, and no pronoun.
func TestSharingSentences_NameTheTherapistByName(t *testing.T) {
	sp := anaSpace()
	if got := seenBy(sp, mend.KindTriggers, mend.Readers{Partner: true, Therapist: true}); got != "Seen by you, Ben and Tess Moreau" {
		t.Errorf("seenBy = %q", got)
	}
	sp.Shares = mend.Defaults{1: {mend.KindTriggers: true}}
	if got := visibilityHint(sp, mend.KindTriggers); got != "Tess Moreau sees only entries marked for your therapist." {
		t.Errorf("visibilityHint = %q", got)
	}
	ended := func(by int64) string {
		l := mend.TherapistLink{TherapistID: 9, TherapistName: "Tess Moreau", EndedBy: &by}
		return endedWords(&mend.User{ID: 1}, SharingPageProps{Space: sp}, l)
	}
	for by, want := range map[int64]string{1: "You ended Tess Moreau's access", 2: "Ben ended Tess Moreau's access", 9: "Tess Moreau stepped away", 5: "Tess Moreau's access ended"} {
		if got := ended(by); got != want {
			t.Errorf("ended by %d: %q, want %q", by, got, want)
		}
	}
	if got := visitWords(mend.Visit{Therapist: "Tess Moreau", Kinds: []string{"suggestions"}, From: time.Now()}); got != "Tess Moreau looked at the suggestions sent to you" {
		t.Errorf("visitWords = %q", got)
	}
}

// TestTodayCards_SayWhatWaitsForTheReaderByName: Today's prompt card says
// whether the reader has answered, and the talk card names the partner
// whose talk time waits.
func TestTodayCards_SayWhatWaitsForTheReaderByName(t *testing.T) {
	render := func(c templ.Component) string {
		var b strings.Builder
		if err := c.Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	pr := &mend.Prompt{Key: "x", Mode: mend.Talk, Text: "What made you laugh this week?"}
	if got := render(TodayPrompt(pr, true)); !strings.Contains(got, "You answered today's prompt.") || !strings.Contains(got, "Read your answer") || strings.Contains(got, "Answer it") {
		t.Errorf("the answered prompt:\n%s", got)
	}
	if got := render(TodayPrompt(pr, false)); strings.Contains(got, "You answered") || !strings.Contains(got, "Answer it") {
		t.Errorf("the prompt not answered yet:\n%s", got)
	}
	sp := anaSpace()
	u := &mend.User{ID: 1, Name: "Ana"}
	if got := render(TalkCard(u, sp, &mend.TalkWaiting{Proposals: 1})); !strings.Contains(got, "A talk time Ben proposed waits for your answer.") || strings.Contains(got, "your partner") {
		t.Errorf("one proposal:\n%s", got)
	}
	if got := render(TalkCard(u, sp, &mend.TalkWaiting{Proposals: 2})); !strings.Contains(got, "2 talk times Ben proposed wait for your answer.") {
		t.Errorf("two proposals:\n%s", got)
	}
}

// TestVisibilityHint_TheJournalKindNamesPromptAnswersToo: the journal and
// prompts pages say the therapist reads answers as well as entries.
func TestVisibilityHint_TheJournalKindNamesPromptAnswersToo(t *testing.T) {
	sp := anaSpace()
	sp.Shares = mend.Defaults{1: {mend.KindJournal: true}}
	if got := visibilityHint(sp, mend.KindJournal); got != "Tess Moreau sees only the journal entries and prompt answers marked for your therapist." {
		t.Errorf("visibilityHint = %q", got)
	}
	sp.Therapist, sp.TherapistName = "", ""
	if got := visibilityHint(sp, mend.KindJournal); !strings.Contains(got, "you can also share an entry or an answer with your therapist") {
		t.Errorf("with no therapist: %q", got)
	}
}

// TestTogetherWords_ForTheirReader: the Together pages name the partner
// and the therapist where they are known, and say only what is true.
func TestTogetherWords_ForTheirReader(t *testing.T) {
	sp := anaSpace()
	ms := []mend.Member{{UserID: 1, Name: "Ana"}, {UserID: 2, Name: "Ben"}}
	titles := map[string]string{}
	for _, part := range mend.StatementParts {
		titles[part.Key] = therapistPartTitle(ms, part, 2)
	}
	if titles[mend.PartDid] != "What Ben did" || titles[mend.PartImpact] != "The impact Ben understands it had on Ana" {
		t.Errorf("the therapist's titles: %q", titles)
	}
	for _, part := range mend.StatementParts {
		if g := partGuide(sp, part); strings.Contains(g, "your partner") {
			t.Errorf("the guide of %s says %q", part.Key, g)
		}
	}
	v := &mend.StatementVersion{UserID: 1}
	if got := notAnsweredWords(sp, v); got != "Ben has not answered this version yet." {
		t.Errorf("Ana's unanswered version: %q", got)
	}
	if got := notAnsweredWords(sp, &mend.StatementVersion{UserID: 2}); got != "You have not answered this version." {
		t.Errorf("Ben's version Ana did not answer: %q", got)
	}
	if title, tips := questionGuidance(sp, false); title != "Before you answer" || !strings.Contains(strings.Join(tips, " "), "These are Ben's questions") ||
		!strings.Contains(strings.Join(tips, " "), "with Tess Moreau in the room") {
		t.Errorf("the guide for the one who answers: %q %q", title, tips)
	}
	if got := questionsHint(sp); !strings.HasPrefix(got, "Questions and answers are seen by the two of you. Tess Moreau reads one") {
		t.Errorf("questionsHint = %q", got)
	}
	if got := waitingWords(&mend.TalkWaiting{Proposals: 1}); got != "" {
		t.Errorf("no talk time and nothing waiting: %q", got)
	}
	if got := journalIntro(sp); !strings.Contains(got, "with the entries Ben shares with you") {
		t.Errorf("journalIntro = %q", got)
	}
	sp.Therapist, sp.TherapistName = "", ""
	if got := questionsHint(sp); got != "Questions and answers are seen by the two of you only." {
		t.Errorf("questionsHint with no therapist = %q", got)
	}
}
