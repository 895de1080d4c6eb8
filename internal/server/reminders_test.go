package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// saveReminders posts the reminders form as b.
func (b *browser) saveReminders(form url.Values) *response {
	b.t.Helper()
	return b.post("/settings/reminders", form)
}

func TestReminders_SettingsFormKeepsInputAndSaves(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	ana, _ := pairUp(t, app)

	page := doc(t, ana.get("/settings").body)
	for _, id := range []string{"checkin_at"} {
		in := find(page, byID(id))
		if in == nil || attr(in, "type") != "time" {
			t.Fatalf("no time input %s", id)
		}
	}
	if !strings.Contains(text(page), "never what either of you wrote") {
		t.Error("the settings do not say what the emails contain")
	}

	res := ana.saveReminders(url.Values{"checkin": {"on"}, "checkin_at": {"8pm"}, "hard_dates": {"on"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := doc(t, res.body)
	if e := find(d, byID("checkin_at-error")); e == nil || !strings.Contains(text(e), "20:00") {
		t.Errorf("no message beside the time:\n%s", res.body)
	}
	if in := find(d, byID("checkin_at")); in == nil || attr(in, "value") != "8pm" {
		t.Error("the time typed was not kept")
	}

	res = ana.saveReminders(url.Values{"checkin": {"on"}, "checkin_at": {"21:15"}, "hard_dates": {"on"}})
	wantStatus(t, res, http.StatusSeeOther)
	body := ana.get("/settings").body
	if !strings.Contains(body, "Saved.") {
		t.Error("no confirmation after saving")
	}
	d = doc(t, body)
	if in := find(d, byID("checkin_at")); in == nil || attr(in, "value") != "21:15" {
		t.Error("the saved time is not shown")
	}
	checked := map[string]bool{}
	find(d, func(n *htmlNode) bool {
		if n.Data == "input" && attr(n, "type") == "checkbox" && hasAttr(n, "checked") {
			checked[attr(n, "name")] = true
		}
		return false
	})
	if !checked["checkin"] || checked["partner"] || !checked["hard_dates"] {
		t.Errorf("ticked after saving: %v", checked)
	}
}

func TestReminders_EmailCarriesOneClickUnsubscribe(t *testing.T) {
	t.Parallel()
	w := newResetWorld(t, nil)
	ana, _ := pairUp(t, w.app)
	w.deliver(t) // the sign-up emails
	// Midnight: the reminder is due from the next day's start (a time past
	// when the reminder is turned on waits for the next day).
	wantStatus(t, ana.saveReminders(url.Values{"checkin": {"on"}, "checkin_at": {"00:00"}}), http.StatusSeeOther)
	w.app.advance(24 * time.Hour)
	if n, err := w.app.srv.reminders.QueueDue(context.Background()); err != nil || n != 1 {
		t.Fatalf("reminders written: %d, %v", n, err)
	}
	if n := w.deliver(t); n != 1 {
		t.Fatalf("%d emails sent, want 1", n)
	}
	msgs := w.smtp.Messages()
	m := msgs[len(msgs)-1]
	lu := m.Header.Get("List-Unsubscribe")
	if !strings.HasPrefix(lu, "<http://localhost:8080/unsubscribe/") || !strings.HasSuffix(lu, ">") {
		t.Fatalf("List-Unsubscribe: %q", lu)
	}
	if p := m.Header.Get("List-Unsubscribe-Post"); p != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post: %q", p)
	}
	link := strings.Trim(lu, "<>")
	if !strings.Contains(m.Body, "Turn it off: "+link) || !strings.Contains(m.Body, "http://localhost:8080/checkin") {
		t.Errorf("the body lacks its links:\n%s", m.Body)
	}
	path := strings.TrimPrefix(link, "http://localhost:8080")

	// Opening the link (a mail scanner does) changes nothing.
	mailClient := w.app.browser()
	res := mailClient.get(path)
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "daily check-in reminder") {
		t.Errorf("the page does not say what it turns off:\n%s", res.body)
	}
	if !checkinReminderOn(t, w.app, "ana@example.org") {
		t.Fatal("opening the link turned the reminder off")
	}

	// A bad or altered token: not found.
	for _, bad := range []string{path + "x", "/unsubscribe/1.checkin.AAAA", strings.Replace(path, ".checkin.", ".partner.", 1)} {
		wantStatus(t, mailClient.post(bad, url.Values{"List-Unsubscribe": {"One-Click"}}, "Sec-Fetch-Site", "cross-site"), http.StatusNotFound)
		wantStatus(t, mailClient.get(bad), http.StatusNotFound)
	}

	// The mail client's one-click POST, from elsewhere, with no session.
	res = mailClient.post(path, url.Values{"List-Unsubscribe": {"One-Click"}}, "Sec-Fetch-Site", "cross-site", "Origin", "https://mail.example.com")
	wantStatus(t, res, http.StatusOK)
	if checkinReminderOn(t, w.app, "ana@example.org") {
		t.Error("the one-click POST left the reminder on")
	}
	// Off: nothing more is written, even on a new day.
	w.app.advance(24 * time.Hour)
	if n, err := w.app.srv.reminders.QueueDue(context.Background()); err != nil || n != 0 {
		t.Errorf("reminders written after unsubscribing: %d, %v", n, err)
	}
}

// checkinReminderOn reports whether the person with email has the daily
// check-in reminder on.
func checkinReminderOn(t *testing.T, app *testApp, email string) bool {
	t.Helper()
	var on bool
	if err := app.db.Pool.QueryRow(context.Background(), `SELECT s.checkin FROM reminder_settings s JOIN users u ON u.id = s.user_id
		WHERE u.email = $1`, email).Scan(&on); err != nil {
		t.Fatal(err)
	}
	return on
}
