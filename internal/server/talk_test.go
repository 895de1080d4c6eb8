package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// agreeTalkTime has a propose a weekly talk time (weekday as time.Weekday,
// start "15:04", 45 minutes) from the talk page's form and b agree to it.
func agreeTalkTime(t *testing.T, a, b *browser, weekday, start string) {
	t.Helper()
	wantStatus(t, postForm(t, a, "/talk", "/talk/times", url.Values{"weekday": {weekday}, "start": {start}, "minutes": {"45"}}),
		http.StatusSeeOther)
	m := regexp.MustCompile(`action="(/talk/times/\d+/answer)"`).FindStringSubmatch(b.get("/talk").body)
	if m == nil {
		t.Fatal("no proposal to answer on the partner's talk page")
	}
	wantStatus(t, b.post(m[1], url.Values{"decision": {"agree"}}), http.StatusSeeOther)
}

// postForm posts to action the form of page that posts there, hidden
// fields (the form key) included, with fields on top.
func postForm(t *testing.T, b *browser, page, action string, fields url.Values) *response {
	t.Helper()
	body := b.get(page).body
	form := url.Values{}
	i := strings.Index(body, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form posting to %s on %s:\n%s", action, page, body)
	}
	if m := regexp.MustCompile(`name="form_key" value="([^"]*)"`).FindStringSubmatch(body[i:]); m != nil {
		form.Set("form_key", m[1])
	}
	for k, v := range fields {
		form[k] = v
	}
	return b.post(action, form)
}

// soon is a talk time starting in four to five minutes in Berlin (where the test
// partners live): its weekday and start.
func soon(now time.Time) (weekday, start string) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	s := now.In(berlin).Add(5 * time.Minute)
	return string(rune('0' + int(s.Weekday()))), s.Format("15:04")
}

func TestTalk_HTTP_ParkedTopicIsPrivateUntilTheTalkTime(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	// A bad proposal is refused beside its field, with the input kept.
	res := postForm(t, ana, "/talk", "/talk/times", url.Values{"weekday": {"0"}, "start": {"late"}, "minutes": {"45"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := text(find(doc(t, res.body), byID("start-error"))); msg == "" || !strings.Contains(res.body, `value="late"`) {
		t.Fatalf("no message beside the start, or the input lost:\n%s", res.body)
	}
	wd, start := soon(app.clock())
	agreeTalkTime(t, ana, ben, wd, start)
	if body := ana.get("/talk").body; !strings.Contains(body, "Agreed by both of you") || !strings.Contains(body, "Next talk time:") {
		t.Fatalf("Ana's talk page:\n%s", body)
	}
	// Ana parks a topic; an empty one is refused beside the title.
	res = postForm(t, ana, "/talk", "/talk/topics", url.Values{"title": {""}, "note": {"kept"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := text(find(doc(t, res.body), byID("title-error"))); msg == "" || !strings.Contains(res.body, ">kept</textarea>") {
		t.Fatalf("no message beside the title, or the note lost:\n%s", res.body)
	}
	wantStatus(t, postForm(t, ana, "/talk", "/talk/topics", url.Values{"title": {"The weekend in Lyon"}, "note": {"Why it was a secret"}}),
		http.StatusSeeOther)
	body := ana.get("/talk").body
	if !strings.Contains(body, "The weekend in Lyon") || !strings.Contains(body, "Seen by you only, until the talk time starts") {
		t.Fatalf("Ana's topic and its label:\n%s", body)
	}
	for _, page := range []string{"/talk", "/today"} {
		if body := ben.get(page).body; strings.Contains(body, "Lyon") || strings.Contains(body, "1 topic") {
			t.Fatalf("Ben's %s shows Ana's private topic:\n%s", page, body)
		}
	}
	if body := ana.get("/today").body; !strings.Contains(body, "Next talk time:") || !strings.Contains(body, "1 topic waits.") {
		t.Fatalf("Ana's Today:\n%s", body)
	}
	// The talk time comes: both see it on the agenda, and Ben marks it
	// talked through.
	app.advance(6 * time.Minute)
	for who, b := range map[string]*browser{"Ana": ana, "Ben": ben} {
		body := b.get("/talk").body
		if !strings.Contains(body, "Your talk time is now") || !strings.Contains(body, "The weekend in Lyon") {
			t.Fatalf("%s's agenda at the talk time:\n%s", who, body)
		}
	}
	body = ben.get("/talk").body
	m := regexp.MustCompile(`action="(/talk/topics/\d+/talked)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("Ben cannot mark it talked through:\n%s", body)
	}
	wantStatus(t, ben.post(m[1], nil), http.StatusSeeOther)
	wantStatus(t, ben.post(m[1], nil), http.StatusNotFound)
	if body := ana.get("/talk").body; !strings.Contains(body, "Talked through") || !strings.Contains(body, "Nothing is parked.") {
		t.Fatalf("Ana's page after:\n%s", body)
	}
}

func TestTalk_HTTP_QuestionsAndAnswers(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	// Ana's starting words say she is rebuilding trust: the list is Ben's.
	ana, ben := pairUp(t, app)
	if body := ana.get("/talk/questions").body; strings.Contains(body, `action="/talk/questions"`) {
		t.Fatalf("Ana is offered the list:\n%s", body)
	}
	res := ana.post("/talk/questions", url.Values{"body": {"Why?"}, "about": {"meaning"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "here Ben asks the questions and you answer them") || !strings.Contains(res.body, "Why?</textarea>") {
		t.Fatalf("Ana's refused question does not say why beside it, by name, with her words kept:\n%s", res.body)
	}
	res = postForm(t, ben, "/talk/questions", "/talk/questions", url.Values{"body": {"What did you tell yourself?"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "What did you tell yourself?</textarea>") || text(find(doc(t, res.body), byID("about-error"))) == "" {
		t.Fatalf("the question lost, or no message beside the choice:\n%s", res.body)
	}
	wantStatus(t, postForm(t, ben, "/talk/questions", "/talk/questions",
		url.Values{"body": {"What did you tell yourself?"}, "about": {"meaning"}}), http.StatusSeeOther)
	body := ana.get("/talk/questions").body
	if !strings.Contains(body, "What did you tell yourself?") || !strings.Contains(body, "Questions and answers are seen by the two of you only.") {
		t.Fatalf("Ana's questions:\n%s", body)
	}
	if body := ana.get("/today").body; !strings.Contains(body, "1 question waits.") {
		t.Fatalf("Ana's Today:\n%s", body)
	}
	m := regexp.MustCompile(`action="(/talk/questions/\d+/answer)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no answer form for Ana:\n%s", body)
	}
	if strings.Contains(ben.get("/talk/questions").body, m[1]) {
		t.Fatal("Ben can answer his own question")
	}
	wantStatus(t, ben.post(m[1], url.Values{"answer": {"Myself"}}), http.StatusNotFound)
	res = ana.post(m[1], url.Values{"answer": {" "}, "action": {"write"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	// "Talk about it" puts it on both agendas, shared at once.
	wantStatus(t, postForm(t, ana, "/talk/questions", m[1], url.Values{"action": {"talk"}}), http.StatusSeeOther)
	for who, b := range map[string]*browser{"Ana": ana, "Ben": ben} {
		if body := b.get("/talk").body; !strings.Contains(body, "A question: What did you tell yourself?") {
			t.Fatalf("%s's agenda:\n%s", who, body)
		}
	}
	wantStatus(t, postForm(t, ana, "/talk/questions", m[1], url.Values{"answer": {"That it did not count."}, "action": {"write"}}),
		http.StatusSeeOther)
	if body := ben.get("/talk/questions").body; !strings.Contains(body, "Ana answered:") || !strings.Contains(body, "That it did not count.") {
		t.Fatalf("Ben's answered questions:\n%s", body)
	}
}
