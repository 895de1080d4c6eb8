package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mail"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/service"
)

// formKeys are the per-request values of a page: each form's idempotency key.
var formKeys = regexp.MustCompile(`name="form_key" value="[^"]*"`)

// signUpAnswer sends the sign-up form as a new visitor and follows the
// answer to the page it leads to: what a person sees, per-request values
// blanked.
func signUpAnswer(t *testing.T, app *testApp, form url.Values) string {
	t.Helper()
	b := app.browser()
	page := b.get("/signup")
	form.Set("form_key", attr(find(doc(t, page.body), func(n *htmlNode) bool { return attr(n, "name") == "form_key" }), "value"))
	res := b.post("/signup", form)
	next := b.get(res.Header.Get("Location"))
	return strings.Join([]string{res.Status, res.Header.Get("Location"), res.Header.Get("Content-Type"), res.body,
		next.Status, next.Header.Get("Cache-Control"), formKeys.ReplaceAllString(next.body, "")}, "\n---\n")
}

// The same email typed into sign-up on two sites, one where it has an
// account and one where it has none: the answers are the same, byte for
// byte; only the emails differ.
func TestSignUp_NewAndTakenEmailsGetTheSameAnswer(t *testing.T) {
	t.Parallel()
	taken, fresh := newTestApp(t, nil), newTestApp(t, nil)
	taken.browser().signUp("Ana", "ana@example.org")
	form := func() url.Values {
		return url.Values{"name": {"Anna"}, "email": {"Ana@example.org"}, "password": {"another long passphrase"}, "time_zone": {"UTC"},
			"next": {"/join/abc"}}
	}
	a, b := signUpAnswer(t, taken, form()), signUpAnswer(t, fresh, form())
	if a != b {
		t.Fatalf("the answers differ:\n%s\n=====\n%s", a, b)
	}
	if !strings.Contains(a, "303 See Other\n---\n/signup/check-email") || !strings.Contains(a, "Check your email") ||
		!strings.Contains(a, "We sent a link to <strong>Ana@example.org</strong> to finish creating your account.") ||
		!strings.Contains(a, "The link works for 24 hours") || !strings.Contains(a, "Check your spam folder, or <a href=\"/signup\">sign up again</a>") {
		t.Fatalf("the answer:\n%s", a)
	}

	// What went: a notice to the account, a link to the new address.
	subjects, bodies := pgtest.Bodies(t, taken.db, "ana@example.org")
	if len(bodies) != 2 || subjects[1] != "About your Mend account" ||
		!strings.Contains(bodies[1], "You already have one") || !strings.Contains(bodies[1], "http://localhost:8080/login") ||
		!strings.Contains(bodies[1], "http://localhost:8080/password/forgot") || strings.Contains(bodies[1], "/signup/confirm/") {
		t.Fatalf("emails where the email is taken: %q\n%q", subjects, bodies)
	}
	var users int
	taken.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM users`).Scan(&users)
	if users != 1 {
		t.Fatalf("%d accounts where the email was taken", users)
	}
	// Nothing in either email but fixed words and the links: no name, no
	// password, nothing else typed.
	if bodies[1] != "Someone, perhaps you, tried to create a Mend account with this email address. You already have one, so nothing new was made.\n\n"+
		"To log in: http://localhost:8080/login\n"+
		"Forgot your password? Choose a new one here: http://localhost:8080/password/forgot\n\n"+
		"If it was not you, you need not do anything: nothing has changed in your account.\n" {
		t.Fatalf("notice:\n%s", bodies[1])
	}
	subjects, bodies = pgtest.Bodies(t, fresh.db, "ana@example.org")
	if len(subjects) != 1 || subjects[0] != "Finish creating your Mend account" {
		t.Fatalf("emails where the email is new: %q", subjects)
	}
	link := regexp.MustCompile(`http://localhost:8080/signup/confirm/[A-Za-z0-9_-]{43}\?next=%2Fjoin%2Fabc\n`)
	if got := link.ReplaceAllString(bodies[0], "LINK\n"); got != "Someone, we hope you, used this email address to create a Mend account. To finish, open this link within 24 hours and confirm:\n\n"+
		"LINK\n\nIf it was not you, ignore this email. The account is not used until someone confirms it, and is removed after a week.\n" {
		t.Fatalf("confirmation email:\n%s", bodies[0])
	}
	// The account's owner still logs in with their own password; the other
	// one opens nothing.
	wantStatus(t, taken.browser().logIn("ana@example.org", testPassword), http.StatusSeeOther)
	wantStatus(t, taken.browser().logIn("ana@example.org", "another long passphrase"), http.StatusUnprocessableEntity)
}

func TestSignUp_ConfirmationLogsInAndFollowsNext(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	wantStatus(t, b.post("/signup", url.Values{"name": {"Noor"}, "email": {"noor@example.org"}, "password": {testPassword},
		"time_zone": {"UTC"}, "next": {"/join/some-token"}}), http.StatusSeeOther)
	// Not logged in yet.
	if res := b.get("/today"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("before confirming: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	path, token := pgtest.ConfirmLink(t, app.db, "noor@example.org")
	if path != "/signup/confirm/"+token+"?next=%2Fjoin%2Fsome-token" {
		t.Fatalf("link %q", path)
	}
	// Another browser (the phone's mail app) opens it: a page with a
	// button; opening it changes nothing, however often.
	phone := app.browser()
	for range 2 {
		page := phone.get(path)
		wantStatus(t, page, http.StatusOK)
		if !strings.Contains(page.body, "Confirm and continue</button>") ||
			!strings.Contains(page.body, `<input type="hidden" name="next" value="/join/some-token">`) {
			t.Fatalf("confirmation page:\n%s", page.body)
		}
	}
	// A next that leads off the site is dropped.
	if page := phone.get("/signup/confirm/" + token + "?next=//evil.example"); strings.Contains(page.body, "evil") {
		t.Fatalf("off-site next kept:\n%s", page.body)
	}
	res := phone.confirm("noor@example.org")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/join/some-token" {
		t.Fatalf("confirm: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if today := phone.get("/today"); !strings.Contains(today.body, "Welcome to Mend. Your account is ready.") {
		t.Fatalf("today after confirming:\n%s", today.body)
	}
	// Used: both the page and the button say so, kindly, with a way on.
	for _, res := range []*response{phone.get(path), app.browser().post("/signup/confirm/"+token, nil),
		app.browser().get("/signup/confirm/not-a-token")} {
		wantStatus(t, res, http.StatusNotFound)
		if !strings.Contains(res.body, "This link has expired or was already used.") || !strings.Contains(res.body, `href="/login"`) ||
			!strings.Contains(res.body, `href="/signup"`) || strings.Contains(res.body, "Confirm and continue") {
			t.Fatalf("used link:\n%s", res.body)
		}
	}
	// The log-in works with the password chosen.
	wantStatus(t, app.browser().logIn("noor@example.org", testPassword), http.StatusSeeOther)
}

func TestSignUp_ExpiredLinkAndLogInBeforeConfirming(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	wantStatus(t, b.post("/signup", url.Values{"name": {"Noor"}, "email": {"noor@example.org"}, "password": {testPassword},
		"time_zone": {"UTC"}}), http.StatusSeeOther)
	path, first := pgtest.ConfirmLink(t, app.db, "noor@example.org")
	app.advance(service.ConfirmValidFor + time.Minute)
	res := b.get(path)
	wantStatus(t, res, http.StatusNotFound)
	if !strings.Contains(res.body, "This link has expired or was already used.") {
		t.Fatalf("expired link:\n%s", res.body)
	}

	// The right password: not logged in, told why, and a new link.
	res = b.post("/login", url.Values{"email": {"noor@example.org"}, "password": {testPassword}, "next": {"/settings"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "Confirm your email address first: we&#39;ve sent a new link to noor@example.org.") {
		t.Fatalf("log-in before confirming:\n%s", res.body)
	}
	if attr(find(doc(t, res.body), byID("email")), "value") != "noor@example.org" {
		t.Fatal("the email typed is not kept")
	}
	if res := b.get("/today"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logged in before confirming: %d", res.StatusCode)
	}
	newPath, second := pgtest.ConfirmLink(t, app.db, "noor@example.org")
	if second == first || !strings.HasSuffix(newPath, "?next=%2Fsettings") {
		t.Fatalf("new link %q", newPath)
	}
	// A wrong password is any wrong password, and sends nothing.
	wrong := app.browser().post("/login", url.Values{"email": {"noor@example.org"}, "password": {"not the password"}})
	wantStatus(t, wrong, http.StatusUnprocessableEntity)
	if !strings.Contains(wrong.body, "That email and password do not match an account.") {
		t.Fatalf("wrong password:\n%s", wrong.body)
	}
	if _, bodies := pgtest.Bodies(t, app.db, "noor@example.org"); len(bodies) != 2 {
		t.Fatalf("%d emails, want 2", len(bodies))
	}
	res = b.confirm("noor@example.org")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/settings" {
		t.Fatalf("confirm with the new link: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestSignUp_DoubleTapMakesOneAccountAndOneEmail(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	page := b.get("/signup")
	key := attr(find(doc(t, page.body), func(n *htmlNode) bool { return attr(n, "name") == "form_key" }), "value")
	if len(key) < 22 {
		t.Fatalf("sign-up form has no idempotency key: %q", key)
	}
	form := url.Values{"name": {"Noor"}, "email": {"noor@example.org"}, "password": {testPassword}, "time_zone": {"UTC"}, "form_key": {key}}
	first := b.post("/signup", form)
	second := app.browser().post("/signup", form)
	for _, res := range []*response{first, second} {
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signup/check-email" {
			t.Fatalf("submission: %d %s", res.StatusCode, res.Header.Get("Location"))
		}
	}
	var users int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM users`).Scan(&users)
	if _, bodies := pgtest.Bodies(t, app.db, "noor@example.org"); users != 1 || len(bodies) != 1 {
		t.Fatalf("%d accounts, %d emails after a double tap", users, len(bodies))
	}
	res := b.confirm("noor@example.org")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/today" {
		t.Fatalf("confirm: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

// In local development the confirmation link is on /dev/outbox.
func TestSignUp_LinkOnTheDevOutbox(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	l := mail.NewLog(slog.New(slog.NewTextHandler(io.Discard, nil)))
	app.srv.SetMail(nil, l.Emails)
	s := mail.NewSender(app.db, l, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s.Now = app.clock
	wantStatus(t, app.browser().post("/signup", url.Values{"name": {"Noor"}, "email": {"noor@example.org"}, "password": {testPassword},
		"time_zone": {"UTC"}}), http.StatusSeeOther)
	if n, err := s.SendDue(context.Background()); err != nil || n != 1 {
		t.Fatalf("sent %d, %v", n, err)
	}
	res := app.browser().get("/dev/outbox")
	if !strings.Contains(res.body, "noor@example.org") || !strings.Contains(res.body, "http://localhost:8080/signup/confirm/") {
		t.Fatalf("the confirmation link is not on the page:\n%s", res.body)
	}
}
