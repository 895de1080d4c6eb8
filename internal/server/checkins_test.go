package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
)

func TestHTTP_CheckinsRevealTogetherAndAnswer(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, ben := pairUp(t, app)
	today := berlinToday(app)

	res := checkIn(t, ana, "", url.Values{"mood": {"2"}, "connection": {"4"}, "feel": {"Tired but hopeful"}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != "/checkins/"+today {
		t.Fatalf("after saving Ana went to %s", res.Header.Get("Location"))
	}
	page := ana.get("/checkins/" + today)
	if !strings.Contains(page.body, "Tired but hopeful") || !strings.Contains(page.body, "Saved.") {
		t.Fatalf("Ana's day:\n%s", page.body)
	}

	// Ben knows Ana checked in, and nothing more, until he writes his.
	for _, path := range []string{"/today", "/checkins/" + today, "/checkins", "/checkins/trends"} {
		body := ben.get(path).body
		if strings.Contains(body, "Tired but hopeful") || strings.Contains(body, "2 — low") || strings.Contains(body, "4 out of 10") {
			t.Fatalf("Ben sees Ana's check-in on %s before writing his:\n%s", path, body)
		}
	}
	if body := ben.get("/today").body; !strings.Contains(body, "Ana has checked in") {
		t.Fatalf("Ben's Today does not say Ana checked in:\n%s", body)
	}
	// Answering a check-in he cannot read yet is refused.
	wantStatus(t, ben.post("/checkins/"+today+"/ack", url.Values{"preset": {"I hear you."}}), http.StatusNotFound)

	wantStatus(t, checkIn(t, ben, "", url.Values{"mood": {"4"}, "connection": {"7"}}), http.StatusSeeOther)
	page = ben.get("/checkins/" + today)
	if !strings.Contains(page.body, "Tired but hopeful") || !strings.Contains(page.body, "2 — low") {
		t.Fatalf("Ben cannot read Ana's check-in after writing his:\n%s", page.body)
	}
	// Enter in the own-words field must send those words: its form has no
	// preset button that a browser would take as the default.
	own := find(doc(t, page.body), func(n *htmlNode) bool {
		return n.Data == "form" && find(n, func(m *htmlNode) bool { return attr(m, "name") == "ack" }) != nil
	})
	if own == nil || find(own, func(n *htmlNode) bool { return attr(n, "name") == "preset" }) != nil {
		t.Fatal("the own-words answer shares a form with the preset buttons")
	}
	wantStatus(t, ben.post("/checkins/"+today+"/ack", url.Values{"preset": {"Thank you for telling me."}}), http.StatusSeeOther)
	// A second answer replaces the first.
	wantStatus(t, ben.post("/checkins/"+today+"/ack", url.Values{"ack": {"I read it twice."}}), http.StatusSeeOther)

	page = ana.get("/checkins/" + today)
	if !strings.Contains(page.body, "Ben answered:") || !strings.Contains(page.body, "I read it twice.") ||
		strings.Contains(page.body, "Thank you for telling me.</span>") || !strings.Contains(page.body, "7 out of 10") {
		t.Fatalf("Ana's day after Ben's answer:\n%s", page.body)
	}
	if body := ana.get("/today").body; !strings.Contains(body, "I read it twice.") || !strings.Contains(body, "You both checked in today") || !strings.Contains(body, "Mood 4 — good") {
		t.Fatalf("Ana's Today:\n%s", body)
	}
	var acks int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM checkin_acks`).Scan(&acks)
	if acks != 1 {
		t.Fatalf("%d answers stored, want 1", acks)
	}
}

func TestHTTP_CheckinFormKeepsInputAndExplains(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, _ := pairUp(t, app)
	long := strings.Repeat("ü", 501)
	res := checkIn(t, ana, "", url.Values{"mood": {"9"}, "connection": {"7"}, "need": {"A quiet evening"}, "worry": {long},
		"visibility": {"everyone"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := doc(t, res.body)
	if title := text(find(d, func(n *htmlNode) bool { return n.Data == "title" })); !strings.HasPrefix(title, "Error:") {
		t.Errorf("title %q", title)
	}
	for id, want := range map[string]string{
		"mood-error":       "from 1 (very low) to 5",
		"worry-error":      "500 characters (it is 501 now)",
		"visibility-error": "Choose who can see",
	} {
		if got := text(find(d, byID(id))); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", id, got, want)
		}
	}
	// What was written is still there, and the valid choice still chosen.
	if got := text(find(d, byID("need"))); got != "A quiet evening" {
		t.Errorf("need kept as %q", got)
	}
	if got := text(find(d, byID("worry"))); got != long {
		t.Errorf("worry not kept")
	}
	checked := find(d, func(n *htmlNode) bool {
		return attr(n, "name") == "connection" && attr(n, "value") == "7" && hasAttr(n, "checked")
	})
	if checked == nil {
		t.Error("connection 7 is no longer chosen")
	}
	// A day that is not today or yesterday is refused, and what was
	// written is offered again as today's check-in.
	res = checkIn(t, ana, "", url.Values{"mood": {"3"}, "connection": {"5"}, "day": {"2020-01-01"}, "feel": {"Still here"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d = doc(t, res.body)
	if !strings.Contains(text(find(d, byID("form-error"))), "today or for yesterday") || text(find(d, byID("feel"))) != "Still here" ||
		attr(find(d, func(n *htmlNode) bool { return attr(n, "name") == "day" }), "value") != berlinToday(app) {
		t.Errorf("the refused day is not offered as today's:\n%s", res.body)
	}
	var n int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM checkins`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d check-ins saved from invalid forms", n)
	}
	// Browsers send line breaks as CRLF but count them once against
	// maxlength: 50 lines of 9 letters are 500 characters, and fit.
	lines := strings.TrimSuffix(strings.Repeat("abcdefghi\r\n", 50), "\r\n") + "j"
	wantStatus(t, checkIn(t, ana, "", url.Values{"mood": {"3"}, "connection": {"5"}, "feel": {lines}}), http.StatusSeeOther)
}

func TestHTTP_CheckinSentTwiceSavesOnceAndEditsKeepHistory(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, _ := pairUp(t, app)
	page := ana.get("/checkin")
	form := url.Values{"form_key": {formKeyOn(t, page.body)}, "mood": {"3"}, "connection": {"5"}, "visibility": {"partner"}}
	for range 3 {
		wantStatus(t, ana.post("/checkin", form), http.StatusSeeOther)
	}
	ctx := context.Background()
	count := func(table string) (n int) {
		app.db.Pool.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n)
		return n
	}
	if c, v := count("checkins"), count("checkin_versions"); c != 1 || v != 0 {
		t.Fatalf("one form sent three times: %d check-ins, %d versions", c, v)
	}
	// The Check-in tab now opens the day; the day links to the form, and
	// editing keeps the earlier version, which the form says and the day
	// shows.
	res := ana.get("/checkin")
	wantStatus(t, res, http.StatusSeeOther)
	if to := res.Header.Get("Location"); to != "/checkins/"+berlinToday(app) {
		t.Fatalf("the Check-in tab after checking in leads to %q", to)
	}
	page = ana.get("/checkin?day=" + berlinToday(app))
	if !strings.Contains(ana.get(res.Header.Get("Location")).body, `href="/checkin?day=`+berlinToday(app)+`"`) {
		t.Fatal("the day has no link to change the check-in")
	}
	if !strings.Contains(page.body, "already checked in") || attr(find(doc(t, page.body), func(n *htmlNode) bool {
		return attr(n, "name") == "mood" && hasAttr(n, "checked")
	}), "value") != "3" {
		t.Fatalf("the form does not start from the saved check-in:\n%s", page.body)
	}
	wantStatus(t, checkIn(t, ana, "", url.Values{"mood": {"4"}, "connection": {"6"}}), http.StatusSeeOther)
	if v := count("checkin_versions"); v != 1 {
		t.Fatalf("%d versions after one edit", v)
	}
	day := ana.get("/checkins/" + berlinToday(app)).body
	if !strings.Contains(day, "Earlier versions (1)") || !strings.Contains(day, "Mood 3 — okay") || !strings.Contains(day, "Edited") {
		t.Fatalf("day page after an edit:\n%s", day)
	}
}

func TestHTTP_YesterdayIsLateAndOlderDaysStayAsWritten(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, _ := pairUp(t, app)
	today := berlinToday(app)
	wantStatus(t, checkIn(t, ana, "", url.Values{"mood": {"3"}, "connection": {"5"}}), http.StatusSeeOther)

	app.advance(24 * time.Hour)
	ana.logIn("ana@example.org", testPassword) // a day idle ends a session
	// Yesterday's on-time check-in can no longer be changed.
	page := ana.get("/checkin?day=" + today)
	if !strings.Contains(page.body, "stays as you wrote it") || strings.Contains(page.body, `name="mood"`) {
		t.Fatalf("yesterday's form:\n%s", page.body)
	}
	// An edit sent after midnight is not lost: it is offered as today's.
	res := ana.post("/checkin", url.Values{"day": {today}, "mood": {"1"}, "connection": {"1"}, "visibility": {"partner"},
		"worry": {"Written just before midnight"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "can no longer be changed") || !strings.Contains(res.body, "Written just before midnight") {
		t.Fatalf("the late edit is lost:\n%s", res.body)
	}

	// A day missed can be added the day after, marked late.
	app.advance(24 * time.Hour)
	ana.logIn("ana@example.org", testPassword)
	yesterday := berlinToday(app)
	yesterdayTime, _ := time.Parse(time.DateOnly, yesterday)
	yesterday = yesterdayTime.AddDate(0, 0, -1).Format(time.DateOnly)
	wantStatus(t, checkIn(t, ana, yesterday, url.Values{"mood": {"2"}, "connection": {"2"}}), http.StatusSeeOther)
	if body := ana.get("/checkins/" + yesterday).body; !strings.Contains(body, "Late") || !strings.Contains(body, "Change my check-in") {
		t.Fatalf("late day:\n%s", body)
	}
	// Two days back is too late.
	res = ana.post("/checkin", url.Values{"day": {today}, "mood": {"1"}, "connection": {"1"}, "visibility": {"partner"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
}

func TestHTTP_CheckinPagesAnswerOddInputCalmly(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, _ := pairUp(t, app)
	for path, want := range map[string]int{
		"/checkins/not-a-date":                          http.StatusNotFound,
		"/checkins/2026-02-30":                          http.StatusNotFound,
		"/checkins/trends?weeks=abc":                    http.StatusOK,
		"/checkins/trends?weeks=9999999999999999999999": http.StatusOK,
		"/checkins?before=yesterday&month=13-2026":      http.StatusOK,
		"/checkins?who=<script>&month=0001-01":          http.StatusOK,
		"/checkin?day=1999-01-01":                       http.StatusOK,
	} {
		if res := ana.get(path); res.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, res.StatusCode, want)
		}
	}
	wantStatus(t, ana.post("/checkins/not-a-date/ack", url.Values{"ack": {"hi"}}), http.StatusNotFound)
	res := ana.post("/checkins/"+berlinToday(app)+"/ack", url.Values{"ack": {strings.Repeat("a", 281)}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	wantStatus(t, ana.post("/checkin", url.Values{"mood": {"3\x00"}, "connection": {"\xff"}}), http.StatusBadRequest)

	// Without a space, the check-in pages say why, and offer to begin.
	solo := app.browser()
	solo.signUp("Sol", "sol@example.org")
	for _, path := range []string{"/checkin", "/checkins", "/checkins/trends", "/checkins/" + berlinToday(app)} {
		if res := solo.get(path); res.StatusCode != http.StatusOK || !strings.Contains(res.body, "You are not in a couple space yet") {
			t.Errorf("GET %s without a space: %d\n%.300s", path, res.StatusCode, res.body)
		}
	}
	wantStatus(t, solo.post("/checkin", url.Values{"mood": {"3"}, "connection": {"3"}, "visibility": {"partner"}}), http.StatusNotFound)
}

func TestHTTP_TherapistSeesOnlyCheckinsMarkedForThemAndIsLogged(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app) // Ana and Ben checked in for the therapist today
	ctx := context.Background()
	// Ben withdraws sharing check-ins: his stop reaching the therapist.
	if _, err := app.srv.couples.SetDefaults(ctx, w.ben, map[string]bool{}); err != nil {
		t.Fatal(err)
	}
	tess := w.as(t, w.therapist)
	path := "/caseload/" + strconv.FormatInt(w.coupleA, 10) + "/checkins"
	res := tess.get(path)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "Zelphine worries about the lake house") || strings.Contains(res.body, "Quorrin worries") {
		t.Fatalf("therapist's check-ins:\n%s", res.body)
	}
	if body := w.as(t, w.ben).get("/sharing").body; !strings.Contains(body, "looked at your shared check-ins") {
		t.Fatalf("the view is not in the couple's log:\n%s", body)
	}
	// A check-in marked for the partner only never reaches the therapist.
	if _, err := app.srv.checkins.Save(ctx, w.ana, checkinInput("4", "8", "Only for Quorrin's eyes", mend.MyPartner)); err != nil {
		t.Fatal(err)
	}
	if body := tess.get(path).body; strings.Contains(body, "Only for Quorrin") || strings.Contains(body, "lake house") {
		t.Fatalf("an edit to partner-only still shows to the therapist:\n%s", body)
	}
}

func checkinInput(mood, connection, feel string, v mend.Visibility) service.CheckinInput {
	return service.CheckinInput{Mood: mood, Connection: connection, Feel: feel, Visibility: string(v)}
}
