package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mail"
	"github.com/mend-app/mend/internal/mail/mailtest"
)

const newPassword = "a fresh start, honest talk"

// resetWorld is a test app whose outbox is delivered, when the test says,
// to an SMTP server inside the test process.
type resetWorld struct {
	app    *testApp
	smtp   *mailtest.Server
	sender *mail.Sender
}

func newResetWorld(t *testing.T, env map[string]string) *resetWorld {
	t.Helper()
	app := newTestApp(t, env)
	srv := mailtest.Start(t)
	s := mail.NewSender(app.db, mail.NewSMTP(srv.Config()), slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Now = app.clock
	return &resetWorld{app: app, smtp: srv, sender: s}
}

// signUp signs a person up and delivers the confirmation email, so that
// the outbox holds only what the test does next.
func (w *resetWorld) signUp(t *testing.T, name, email string) {
	t.Helper()
	w.app.browser().signUp(name, email)
	if n := w.deliver(t); n != 1 {
		t.Fatalf("sign-up sent %d emails, want 1", n)
	}
}

// deliver sends what the outbox holds and returns how many went.
func (w *resetWorld) deliver(t *testing.T) int {
	t.Helper()
	n, err := w.sender.SendDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

var resetLink = regexp.MustCompile(`http://localhost:8080(/password/reset/[A-Za-z0-9_-]{43})\n`)

// lastLink is the path of the reset link in the latest email to to.
func (w *resetWorld) lastLink(t *testing.T, to string) string {
	t.Helper()
	msgs := w.smtp.Messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].To[0] == to {
			m := resetLink.FindStringSubmatch(msgs[i].Body)
			if m == nil {
				t.Fatalf("no reset link in the email:\n%s", msgs[i].Body)
			}
			return m[1]
		}
	}
	t.Fatalf("no email to %s", to)
	return ""
}

func (b *browser) askReset(email string, headers ...string) *response {
	b.t.Helper()
	return b.post("/password/forgot", url.Values{"email": {email}}, headers...)
}

func TestReset_KnownAndUnknownEmailsGetTheSameAnswer(t *testing.T) {
	t.Parallel()
	w := newResetWorld(t, nil)
	w.signUp(t, "Ana", "ana@example.org")

	known := w.app.browser().askReset("ana@example.org")
	unknown := w.app.browser().askReset("nobody@example.org")
	wantStatus(t, known, http.StatusOK)
	if known.StatusCode != unknown.StatusCode || known.body != unknown.body {
		t.Fatalf("the answers differ:\n%d %s\n---\n%d %s", known.StatusCode, known.body, unknown.StatusCode, unknown.body)
	}
	if !strings.Contains(known.body, "If an account uses this email, we sent a link") {
		t.Errorf("the answer does not say what happens:\n%s", known.body)
	}
	if n := w.deliver(t); n != 1 {
		t.Fatalf("sent %d emails, want 1 (to the known address only)", n)
	}
	msgs := w.smtp.Messages()
	m := msgs[len(msgs)-1] // after the confirmation of Ana's sign-up
	if len(msgs) != 2 || m.To[0] != "ana@example.org" || m.Subject != "Reset your Mend password" ||
		!strings.HasPrefix(m.Body, "Someone asked to reset the password of your Mend account.") {
		t.Fatalf("email: %+v", m)
	}
	if strings.Contains(m.Body, "Ana") {
		t.Errorf("the email says more than needed:\n%s", m.Body)
	}
	w.lastLink(t, "ana@example.org")

	// The log-in page leads here.
	if res := w.app.browser().get("/login"); !strings.Contains(res.body, `href="/password/forgot"`) {
		t.Error("the log-in page has no link to reset the password")
	}
	wantStatus(t, w.app.browser().get("/password/forgot"), http.StatusOK)
	// A malformed email is a form error, whoever asks.
	wantStatus(t, w.app.browser().askReset("not an email"), http.StatusUnprocessableEntity)
}

func TestReset_TheLinkSetsANewPasswordOnceAndEndsEverySession(t *testing.T) {
	t.Parallel()
	w := newResetWorld(t, nil)
	w.signUp(t, "Ana", "ana@example.org")
	other := w.app.browser()
	wantStatus(t, other.logIn("ana@example.org", testPassword), http.StatusSeeOther)
	wantStatus(t, other.get("/settings"), http.StatusOK)

	visitor := w.app.browser()
	visitor.askReset("ANA@example.org ")
	w.deliver(t)
	link := w.lastLink(t, "ana@example.org")

	page := visitor.get(link)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, `name="new"`) {
		t.Fatalf("no new-password form:\n%s", page.body)
	}
	// The same rules as sign-up.
	wantStatus(t, visitor.post(link, url.Values{"new": {"short"}, "confirm": {"short"}}), http.StatusUnprocessableEntity)
	wantStatus(t, visitor.post(link, url.Values{"new": {newPassword}, "confirm": {"something else"}}), http.StatusUnprocessableEntity)

	res := visitor.post(link, url.Values{"new": {newPassword}, "confirm": {newPassword}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/login" {
		t.Fatalf("after the reset: Location %q, want /login", loc)
	}
	// Not logged in by it.
	if res := visitor.get("/settings"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("the reset logged the visitor in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// The session that was open ends.
	if res := other.get("/settings"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("an open session survived the reset: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// The old password no longer works; the new one does.
	if res := w.app.browser().logIn("ana@example.org", testPassword); res.StatusCode == http.StatusSeeOther {
		t.Fatal("the old password still works")
	}
	wantStatus(t, w.app.browser().logIn("ana@example.org", newPassword), http.StatusSeeOther)

	// The link works once.
	again := visitor.get(link)
	wantStatus(t, again, http.StatusNotFound)
	if !strings.Contains(again.body, "expired or was already used") {
		t.Errorf("a used link does not say so:\n%s", again.body)
	}
	wantStatus(t, visitor.post(link, url.Values{"new": {"another good passphrase"}, "confirm": {"another good passphrase"}}), http.StatusNotFound)
	wantStatus(t, w.app.browser().logIn("ana@example.org", newPassword), http.StatusSeeOther)
	// A made-up token is no better.
	wantStatus(t, visitor.get("/password/reset/abc"), http.StatusNotFound)
}

func TestReset_TheLinkExpiresAfter30Minutes(t *testing.T) {
	t.Parallel()
	w := newResetWorld(t, nil)
	w.signUp(t, "Ana", "ana@example.org")
	visitor := w.app.browser()
	visitor.askReset("ana@example.org")
	w.deliver(t)
	link := w.lastLink(t, "ana@example.org")

	w.app.advance(29 * time.Minute)
	wantStatus(t, visitor.get(link), http.StatusOK)
	w.app.advance(time.Minute)
	wantStatus(t, visitor.get(link), http.StatusNotFound)
	wantStatus(t, visitor.post(link, url.Values{"new": {newPassword}, "confirm": {newPassword}}), http.StatusNotFound)
	wantStatus(t, w.app.browser().logIn("ana@example.org", testPassword), http.StatusSeeOther)
}

func TestReset_ThrottledPerAccountAndPerAddress(t *testing.T) {
	t.Parallel()
	w := newResetWorld(t, map[string]string{"MEND_TRUST_PROXY": "true"})
	w.signUp(t, "Ana", "ana@example.org")
	b := w.app.browser()
	first := b.askReset("ana@example.org", "X-Forwarded-For", "203.0.113.1")

	// Per account: three links an hour, from anywhere.
	for i := 2; i <= 5; i++ {
		res := b.askReset("ana@example.org", "X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
		if res.StatusCode != first.StatusCode || res.body != first.body {
			t.Fatalf("request %d answers differently when throttled:\n%s", i, res.body)
		}
	}
	if n := w.deliver(t); n != 3 {
		t.Fatalf("sent %d links to one account within the hour, want 3", n)
	}
	w.app.advance(time.Hour)
	b.askReset("ana@example.org", "X-Forwarded-For", "203.0.113.9")
	if n := w.deliver(t); n != 1 {
		t.Fatalf("an hour later sent %d, want 1", n)
	}

	// Per address: twenty requests an hour, whatever the emails.
	for i := range 20 {
		b.askReset(fmt.Sprintf("someone%d@example.org", i), "X-Forwarded-For", "198.51.100.7")
	}
	b.askReset("ana@example.org", "X-Forwarded-For", "198.51.100.7")
	if n := w.deliver(t); n != 0 {
		t.Fatalf("a throttled address got %d emails sent", n)
	}
	b.askReset("ana@example.org", "X-Forwarded-For", "198.51.100.8")
	if n := w.deliver(t); n != 1 {
		t.Fatalf("another address got %d emails sent, want 1", n)
	}
}

// lastResetPath is the path of the link in the latest email to to still
// in the outbox (not yet delivered).
func lastResetPath(t *testing.T, app *testApp, to string) string {
	t.Helper()
	var body string
	if err := app.db.Pool.QueryRow(context.Background(),
		`SELECT body FROM outbox WHERE to_address = $1 ORDER BY id DESC LIMIT 1`, to).Scan(&body); err != nil {
		t.Fatal(err)
	}
	m := resetLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no reset link in the outbox's email:\n%s", body)
	}
	return m[1]
}

func TestDevOutbox_ListsLoggedEmailsOnlyInLocalDevelopment(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	l := mail.NewLog(slog.New(slog.NewTextHandler(io.Discard, nil)))
	app.srv.SetMail(nil, l.Emails)
	s := mail.NewSender(app.db, l, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Now = app.clock
	app.browser().signUp("Ana", "ana@example.org")
	app.browser().askReset("ana@example.org")
	// The confirmation of her sign-up, and the reset link.
	if n, err := s.SendDue(context.Background()); err != nil || n != 2 {
		t.Fatalf("sent %d, %v", n, err)
	}
	res := app.browser().get("/dev/outbox")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "ana@example.org") || !strings.Contains(res.body, "http://localhost:8080/password/reset/") {
		t.Fatalf("the page does not list the email with its link:\n%s", res.body)
	}
	if res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
	}

	for _, env := range []map[string]string{
		{"MEND_BASE_URL": "https://mend.example.org"},
		{"MEND_SMTP_HOST": "127.0.0.1", "MEND_SMTP_FROM": "no-reply@mend.test", "MEND_SMTP_TLS": "none"},
	} {
		other := newTestApp(t, env)
		other.srv.SetMail(nil, l.Emails)
		if res := other.browser().get("/dev/outbox"); res.StatusCode != http.StatusNotFound || strings.Contains(res.body, "ana@example.org") {
			t.Errorf("with %v: status %d", env, res.StatusCode)
		}
	}
}
