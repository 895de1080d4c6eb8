package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

// Ana takes back her answers to Ben's statement: they go for both of them,
// the version stays, and she may answer it again. Ben, who wrote it, and
// partners of other couples cannot take them back.
func TestHTTP_DeleteOwnStatementAnswers(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ctx := context.Background()
	answer := func() {
		t.Helper()
		if err := app.srv.statements.Answer(ctx, w.ana, w.statement, map[string]service.StatementAnswerInput{
			mend.PartDid: {Choice: "lands"}, mend.PartImpact: {Choice: "lands"}, mend.PartRegret: {Choice: "more", Note: "Zelphine needs more here"},
			mend.PartChanging: {Choice: "lands"}}, ""); err != nil {
			t.Fatal(err)
		}
	}
	answer()
	answers := func() int {
		return app.count(`SELECT count(*) FROM statement_answers WHERE version_id = $1`, w.statement)
	}
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	path := "/statement/versions/" + strconv.FormatInt(w.statement, 10) + "/answer/delete"
	formOn(t, ana.get("/statement"), path)
	if strings.Contains(ben.get("/statement").body, `action="`+path+`"`) {
		t.Error("Ben is offered to take back Ana's answers")
	}
	for who, b := range map[string]*browser{"Ben": ben, "partner of another couple": w.as(t, w.cara), "stranger": w.as(t, w.stranger)} {
		if res := b.post(path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s takes back Ana's answers: %d, want 404", who, res.StatusCode)
		}
	}
	if answers() != 4 {
		t.Fatal("someone else took back Ana's answers")
	}
	res := ana.post(path, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/statement#version-"+strconv.FormatInt(w.statement, 10) {
		t.Fatalf("Ana takes back her answers: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := answers(); n != 0 {
		t.Errorf("%d answers remain", n)
	}
	if n := app.count(`SELECT count(*) FROM statement_versions WHERE id = $1`, w.statement); n != 1 {
		t.Error("the version went with the answers")
	}
	for who, b := range map[string]*browser{"Ana": ana, "Ben": ben} {
		page := b.get("/statement")
		if strings.Contains(page.body, "Zelphine needs more here") {
			t.Errorf("%s's statement page still shows Ana's answer", who)
		}
		if !strings.Contains(page.body, "Quorrin regrets every lie about the lake house") {
			t.Errorf("%s's statement page lost the version", who)
		}
	}
	// The version waits for her answer again.
	formOn(t, ana.get("/statement"), "/statement/versions/"+strconv.FormatInt(w.statement, 10)+"/answer")
	answer()
	if answers() != 4 {
		t.Error("Ana could not answer again")
	}
}

// Ana deletes her parked topic from a confirmation page that says who
// could read it; Ben, who can read it once shared, and other couples get
// 404.
func TestHTTP_DeleteTopicConfirms(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	path := "/talk/topics/" + strconv.FormatInt(w.topic, 10) + "/delete"
	list := ana.get("/talk")
	if !strings.Contains(list.body, `href="`+path+`"`) || strings.Contains(list.body, `action="`+path+`"`) {
		t.Error("the agenda does not link to the confirmation, or still deletes with one button")
	}
	page := ana.get(path)
	wantStatus(t, page, http.StatusOK)
	for _, want := range []string{"Delete this topic?", "Zelphine&#39;s topic about the lake house", "Seen by you only, until the talk time starts",
		"cannot be undone", `href="/talk#agenda"`, `action="` + path + `"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("confirmation page does not say %q", want)
		}
	}
	// Shared now, Ben reads it, and the page says so.
	if err := app.srv.talk.Share(context.Background(), w.ana, w.topic); err != nil {
		t.Fatal(err)
	}
	if page := ana.get(path); !strings.Contains(page.body, "Seen by you and Quorrin") {
		t.Error("the confirmation of a shared topic does not name Ben")
	}
	if strings.Contains(ben.get("/talk").body, `href="`+path+`"`) {
		t.Error("Ben is offered to delete Ana's topic")
	}
	for who, b := range map[string]*browser{"Ben": ben, "partner of another couple": w.as(t, w.cara), "stranger": w.as(t, w.stranger)} {
		if res := b.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s opens the confirmation: %d, want 404", who, res.StatusCode)
		}
		if res := b.post(path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s deletes: %d, want 404", who, res.StatusCode)
		}
	}
	rows := func() int { return app.count(`SELECT count(*) FROM parked_topics WHERE id = $1`, w.topic) }
	if rows() != 1 {
		t.Fatal("someone else deleted Ana's topic")
	}
	res := ana.post(path, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/talk#agenda" {
		t.Fatalf("Ana deletes: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if rows() != 0 {
		t.Error("the topic remains")
	}
	if res := ana.get(path); res.StatusCode != http.StatusNotFound {
		t.Errorf("the confirmation of a deleted topic: %d, want 404", res.StatusCode)
	}
}

// Ana deletes her question, which Ben answered: the confirmation says his
// answer goes too and who could read them; only Ana may.
func TestHTTP_DeleteQuestionConfirms(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	if err := app.srv.talk.Answer(context.Background(), w.ben, w.question, "Quorrin answers about the lake house", false, ""); err != nil {
		t.Fatal(err)
	}
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	path := "/talk/questions/" + strconv.FormatInt(w.question, 10) + "/delete"
	list := ana.get("/talk/questions")
	if !strings.Contains(list.body, `href="`+path+`"`) || strings.Contains(list.body, `action="`+path+`"`) {
		t.Error("the questions do not link to the confirmation, or still delete with one button")
	}
	page := ana.get(path)
	wantStatus(t, page, http.StatusOK)
	for _, want := range []string{"Delete this question?", "Zelphine asks about the lake house", "Quorrin&#39;s answer to it",
		"Seen by you, Quorrin and Tess", "cannot be undone", `href="/talk/questions"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("confirmation page does not say %q", want)
		}
	}
	if strings.Contains(ben.get("/talk/questions").body, `href="`+path+`"`) {
		t.Error("Ben is offered to delete Ana's question")
	}
	for who, b := range map[string]*browser{"Ben": ben, "partner of another couple": w.as(t, w.cara), "stranger": w.as(t, w.stranger)} {
		if res := b.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s opens the confirmation: %d, want 404", who, res.StatusCode)
		}
		if res := b.post(path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s deletes: %d, want 404", who, res.StatusCode)
		}
	}
	rows := func() int {
		return app.count(`SELECT (SELECT count(*) FROM questions WHERE id = $1) + (SELECT count(*) FROM question_answers WHERE question_id = $1)`, w.question)
	}
	if rows() != 2 {
		t.Fatalf("before Ana deletes: %d rows, want 2", rows())
	}
	res := ana.post(path, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/talk/questions" {
		t.Fatalf("Ana deletes: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if n := rows(); n != 0 {
		t.Errorf("%d rows of the question remain", n)
	}
}

// Each partner deletes their own comfort plan from a confirmation page:
// Ben's, shared, was read by Ana; Ana's, kept to herself, by nobody else.
func TestHTTP_DeleteComfortConfirms(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ana, ben := w.as(t, w.ana), w.as(t, w.ben)
	list := ben.get("/comfort")
	if !strings.Contains(list.body, `href="/comfort/delete"`) || strings.Contains(list.body, `action="/comfort/delete"`) {
		t.Error("the comfort page does not link to the confirmation, or still deletes with one button")
	}
	page := ben.get("/comfort/delete")
	wantStatus(t, page, http.StatusOK)
	for _, want := range []string{"Delete your comfort plan?", "sit with me, no lake house talk yet", "Seen by you and Zelphine",
		"cannot be undone", `href="/comfort"`, `action="/comfort/delete"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("Ben's confirmation page does not say %q", want)
		}
	}
	if page := ana.get("/comfort/delete"); !strings.Contains(page.body, "Seen by you only") || strings.Contains(page.body, "lake house") {
		t.Error("Ana's confirmation does not say only she read hers, or shows Ben's")
	}
	// Dan, of another couple, has no plan.
	if res := w.as(t, w.dan).get("/comfort/delete"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a partner without a plan opens the confirmation: %d, want 404", res.StatusCode)
	}
	plans := func(u *mend.User) int {
		return app.count(`SELECT count(*) FROM comfort_plans WHERE couple_id = $1 AND user_id = $2`, w.coupleA, u.ID)
	}
	res := ben.post("/comfort/delete", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/comfort" {
		t.Fatalf("Ben deletes: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	if plans(w.ben) != 0 || plans(w.ana) == 0 {
		t.Errorf("after Ben deletes his plan: %d of his rows, %d of Ana's", plans(w.ben), plans(w.ana))
	}
	if res := ben.get("/comfort/delete"); res.StatusCode != http.StatusNotFound {
		t.Errorf("the confirmation without a plan: %d, want 404", res.StatusCode)
	}
}
