package server

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/service"
	"golang.org/x/net/html"
)

func TestHTTP_SignUpLogOutLogIn(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	b.signUp("Noor", "noor@example.org")
	res := b.get("/today")
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.body, "Hello, Noor") || !strings.Contains(res.body, "Your account is ready") {
		t.Fatalf("dashboard:\n%s", res.body)
	}

	res = b.post("/logout", nil)
	wantStatus(t, res, http.StatusSeeOther)
	res = b.get("/today")
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/login?next=%2Ftoday" {
		t.Fatalf("visitor sent to %q", loc)
	}

	res = b.post("/login", url.Values{"email": {"NOOR@example.org"}, "password": {testPassword}, "next": {"/settings"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/settings" {
		t.Fatalf("after log-in sent to %q, want /settings", loc)
	}
	wantStatus(t, b.get("/settings"), http.StatusOK)
}

func TestHTTP_LogInNeverRedirectsOffSite(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	app.browser().signUp("Noor", "noor@example.org")
	for _, next := range []string{"//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)",
		"/\t/evil.example", "/\n/evil.example", "/\x7f/evil.example"} {
		res := app.browser().post("/login", url.Values{"email": {"noor@example.org"}, "password": {testPassword}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/today" {
			t.Errorf("next=%q redirected to %q", next, loc)
		}
	}
}

func TestHTTP_SignUpErrorKeepsInputBesideTheField(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	res := b.post("/signup", url.Values{"name": {"Noor Q."}, "email": {"noor@"}, "password": {"password"}, "time_zone": {"America/Bogota"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := doc(t, res.body)
	name := find(d, byID("name"))
	if attr(name, "value") != "Noor Q." {
		t.Fatalf("name not kept: %q", attr(name, "value"))
	}
	email := find(d, byID("email"))
	if attr(email, "value") != "noor@" || attr(email, "aria-invalid") != "true" ||
		!strings.Contains(attr(email, "aria-describedby"), "email-error") {
		t.Fatalf("email input: %v", email.Attr)
	}
	if msg := text(find(d, byID("email-error"))); !strings.Contains(msg, "name@example.com") {
		t.Fatalf("email error = %q", msg)
	}
	if msg := text(find(d, byID("password-error"))); !strings.Contains(msg, "most common") {
		t.Fatalf("password error = %q", msg)
	}
	if attr(find(d, byID("password")), "value") != "" {
		t.Fatal("the password must never be sent back in the page")
	}
	if title := text(find(d, func(n *htmlNode) bool { return n.Data == "title" })); !strings.HasPrefix(title, "Error:") {
		t.Fatalf("title of a form with errors = %q", title)
	}
	// The summary at the top links each problem to its field.
	if link := find(d, func(n *htmlNode) bool { return n.Data == "a" && attr(n, "href") == "#email" }); link == nil ||
		!strings.Contains(text(link), "name@example.com") {
		t.Fatal("no summary link to the email field")
	}
	tz := find(d, func(n *htmlNode) bool { return n.Data == "option" && attr(n, "value") == "America/Bogota" })
	if tz == nil || !hasAttr(tz, "selected") {
		t.Fatal("chosen time zone not kept")
	}
	// Every input has a label.
	for _, id := range []string{"name", "email", "password", "time_zone"} {
		if find(d, func(n *htmlNode) bool { return n.Data == "label" && attr(n, "for") == id }) == nil {
			t.Errorf("no label for %s", id)
		}
	}
}

func TestHTTP_LogInLooksTheSameForUnknownEmailAndWrongPassword(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	app.browser().signUp("Noor", "noor@example.org")
	wrong := app.browser().logIn("noor@example.org", "not my password")
	unknown := app.browser().logIn("nobody@example.org", "not my password")
	if wrong.StatusCode != http.StatusUnprocessableEntity || unknown.StatusCode != wrong.StatusCode {
		t.Fatalf("statuses: wrong=%d unknown=%d", wrong.StatusCode, unknown.StatusCode)
	}
	d := doc(t, wrong.body)
	for _, id := range []string{"email", "password"} {
		in := find(d, byID(id))
		if attr(in, "aria-invalid") != "true" || !strings.Contains(attr(in, "aria-describedby"), "form-error") {
			t.Errorf("%s input is not tied to the log-in error: %v", id, in.Attr)
		}
	}
	// The pages differ only in the email typed, which is kept in the form.
	a := strings.ReplaceAll(wrong.body, "noor@example.org", "EMAIL")
	b := strings.ReplaceAll(unknown.body, "nobody@example.org", "EMAIL")
	if a != b {
		t.Fatalf("pages differ:\n%s\n---\n%s", a, b)
	}
}

func TestHTTP_ThrottleIgnoresRotatedForwardedFor(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	app.browser().signUp("Noor", "noor@example.org")
	b := app.browser()
	for i := 1; i <= service.MaxAccountFailures; i++ {
		res := b.post("/login", url.Values{"email": {"noor@example.org"}, "password": {"guess " + strconv.Itoa(i)}},
			"X-Forwarded-For", "10.9.8."+strconv.Itoa(i))
		wantStatus(t, res, http.StatusUnprocessableEntity)
	}
	res := b.post("/login", url.Values{"email": {"noor@example.org"}, "password": {testPassword}}, "X-Forwarded-For", "10.1.1.1")
	wantStatus(t, res, http.StatusTooManyRequests)
	if !strings.Contains(res.body, "wait 15 minutes") || res.Header.Get("Retry-After") == "" {
		t.Fatalf("429 page:\n%s", res.body)
	}
	// Without a trusted proxy every failure counted against the real address.
	var clients int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(DISTINCT client_key) FROM login_failures`).Scan(&clients)
	if clients != 1 {
		t.Fatalf("failures were spread over %d client keys; X-Forwarded-For must be ignored", clients)
	}
}

func TestHTTP_TrustedProxyAddressIsUsed(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, map[string]string{"MEND_TRUST_PROXY": "true"})
	b := app.browser()
	b.post("/login", url.Values{"email": {"x@example.org"}, "password": {"guess"}}, "X-Forwarded-For", "203.0.113.5, 198.51.100.7")
	b.post("/login", url.Values{"email": {"x@example.org"}, "password": {"guess"}}, "X-Forwarded-For", "2001:db8:1:2:3:4:5:6")
	rows, _ := app.db.Pool.Query(context.Background(), `SELECT client_key FROM login_failures ORDER BY id`)
	var keys []string
	for rows.Next() {
		var k string
		rows.Scan(&k)
		keys = append(keys, k)
	}
	if strings.Join(keys, " ") != "198.51.100.7 2001:db8:1:2::/64" {
		t.Fatalf("client keys = %v", keys)
	}
}

func TestHTTP_PageViewsDoNotWriteTheSession(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	b.signUp("Noor", "noor@example.org")
	wantStatus(t, b.get("/today"), http.StatusOK) // takes the welcome flash
	before := app.sessionRows()
	for range 20 {
		wantStatus(t, b.get("/today"), http.StatusOK)
		wantStatus(t, b.get("/settings"), http.StatusOK)
	}
	after := app.sessionRows()
	if len(before) != 1 || before[firstKey(before)] != after[firstKey(before)] || len(after) != 1 {
		t.Fatalf("40 page views rewrote the session: %v → %v", before, after)
	}

	// Activity is still recorded, at most once per few minutes.
	app.advance(seenEvery + time.Minute)
	wantStatus(t, b.get("/today"), http.StatusOK)
	if later := app.sessionRows(); later[firstKey(before)] == before[firstKey(before)] {
		t.Fatal("activity after several minutes was not recorded")
	}
}

func firstKey(m map[string]string) string {
	for k := range m {
		return k
	}
	return ""
}

func TestHTTP_IdleSessionEnds(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	b.signUp("Noor", "noor@example.org")
	// Active every 20 minutes for an hour: still logged in.
	for range 3 {
		app.advance(20 * time.Minute)
		wantStatus(t, b.get("/today"), http.StatusOK)
	}
	app.advance(idleTimeout + time.Minute)
	res := b.get("/today")
	wantStatus(t, res, http.StatusSeeOther)
	res = b.get("/login")
	if !strings.Contains(res.body, "30 minutes without activity") {
		t.Fatalf("no explanation after idle logout:\n%s", res.body)
	}
}

func TestHTTP_SessionEndsAfterTwelveHours(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	b.signUp("Noor", "noor@example.org")
	// The absolute lifetime is kept by scs in the stored row's expiry.
	var hours float64
	app.db.Pool.QueryRow(context.Background(), `SELECT extract(epoch FROM expiry - now()) / 3600 FROM sessions`).Scan(&hours)
	if hours < 11.9 || hours > 12.01 {
		t.Fatalf("session expires in %.2f hours, want 12", hours)
	}
	app.db.Pool.Exec(context.Background(), `UPDATE sessions SET expiry = now() - interval '1 second'`)
	wantStatus(t, b.get("/today"), http.StatusSeeOther)
}

func TestHTTP_TokenRenewedAtLogInAndLogOut(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	app.browser().signUp("Noor", "noor@example.org")
	b := app.browser()
	// A visitor with a session (a failed log-in or a log-out leaves none,
	// so take the anonymous session that the idle log-out's message makes).
	b.logIn("noor@example.org", testPassword)
	app.advance(idleTimeout + time.Minute)
	b.get("/today")
	anon := b.sessionCookie()
	if anon == nil {
		t.Fatal("no visitor session")
	}
	b.logIn("noor@example.org", testPassword)
	in := b.sessionCookie()
	if in == nil || in.Value == anon.Value {
		t.Fatal("log-in kept the visitor's session token")
	}
	// Log-out destroys the server-side session: replaying the old cookie
	// no longer works.
	b.post("/logout", nil)
	if out := b.sessionCookie(); out != nil {
		t.Fatalf("log-out left a session cookie: %v", out)
	}
	replay := app.browser()
	req, _ := http.NewRequest("GET", app.ts.URL+"/today", nil)
	req.AddCookie(&http.Cookie{Name: "mend_session", Value: in.Value})
	wantStatus(t, replay.do(req), http.StatusSeeOther)
}

func TestHTTP_PasswordChangeLogsOutOtherDevices(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	phone := app.browser()
	phone.signUp("Noor", "noor@example.org")
	laptop := app.browser()
	wantStatus(t, laptop.logIn("noor@example.org", testPassword), http.StatusSeeOther)
	before := phone.sessionCookie().Value

	// A wrong current password keeps the page and says why.
	res := phone.post("/settings/password", url.Values{"current": {"nope"}, "new": {"a fresh start, slowly"}, "confirm": {"a fresh start, slowly"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if msg := text(find(doc(t, res.body), byID("current-error"))); msg != "That is not your current password." {
		t.Fatalf("current-error = %q", msg)
	}

	res = phone.post("/settings/password", url.Values{"current": {testPassword}, "new": {"a fresh start, slowly"}, "confirm": {"a fresh start, slowly"}})
	wantStatus(t, res, http.StatusSeeOther)
	if phone.sessionCookie().Value == before {
		t.Fatal("token not renewed at password change")
	}
	wantStatus(t, phone.get("/settings"), http.StatusOK)
	wantStatus(t, laptop.get("/today"), http.StatusSeeOther)
	wantStatus(t, laptop.logIn("noor@example.org", "a fresh start, slowly"), http.StatusSeeOther)
	wantStatus(t, laptop.get("/today"), http.StatusOK)
}

func TestHTTP_UpdateProfileKeepsInputOnError(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	b.signUp("Noor", "noor@example.org")
	res := b.post("/settings/profile", url.Values{"name": {strings.Repeat("x", 101)}, "time_zone": {"Asia/Tokyo"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := doc(t, res.body)
	if attr(find(d, byID("name")), "value") != strings.Repeat("x", 101) || text(find(d, byID("name-error"))) == "" {
		t.Fatal("profile error lost the input or the message")
	}
	wantStatus(t, b.post("/settings/profile", url.Values{"name": {"Noor Q."}, "time_zone": {"Asia/Tokyo"}}), http.StatusSeeOther)
	res = b.get("/settings")
	if !strings.Contains(res.body, "Saved.") || attr(find(doc(t, res.body), byID("name")), "value") != "Noor Q." {
		t.Fatalf("settings after save:\n%s", res.body)
	}
}

func TestHTTP_QuickExitAndSafetyOnEveryPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	visitor := app.browser()
	member := app.browser()
	member.signUp("Noor", "noor@example.org")
	pages := map[*browser][]string{visitor: {"/", "/login", "/signup", "/safety"}, member: {"/today", "/settings", "/safety"}}
	for b, paths := range pages {
		for _, p := range paths {
			d := doc(t, b.get(p).body)
			exit := find(d, func(n *htmlNode) bool { return attr(n, "class") == "quick-exit" })
			if exit == nil || !strings.HasPrefix(attr(exit, "href"), "https://") {
				t.Errorf("%s: no quick exit link", p)
			}
			if find(d, func(n *htmlNode) bool { return n.Data == "a" && attr(n, "href") == "/safety" }) == nil {
				t.Errorf("%s: no link to the safety page", p)
			}
			if n := countH1(d); n != 1 {
				t.Errorf("%s: %d h1 elements", p, n)
			}
		}
	}
	res := visitor.get("/safety")
	if !strings.Contains(res.body, "Leaving may be the safe choice") || !strings.Contains(res.body, "emergency") {
		t.Fatal("safety page lacks its guidance")
	}
}

func countH1(n *htmlNode) int {
	c := 0
	if n.Data == "h1" {
		c++
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c += countH1(ch)
	}
	return c
}

// A session row names its user, so that loading it brings the user along
// and deleting the user deletes it; logging out leaves no row naming them.
func TestHTTP_SessionRowNamesItsUser(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	b.signUp("Noor", "noor@example.org")
	wantStatus(t, b.get("/today"), http.StatusOK)
	owned := func() int {
		var n int
		err := app.db.Pool.QueryRow(context.Background(),
			`SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'noor@example.org'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := owned(); n != 1 {
		t.Fatalf("sessions naming Noor after sign-up: %d, want 1", n)
	}
	wantStatus(t, b.post("/logout", nil), http.StatusSeeOther)
	if n := owned(); n != 0 {
		t.Fatalf("sessions naming Noor after log-out: %d, want 0", n)
	}
}

func TestHTTP_ChangeEmailKeepsInputOnError(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	other := app.browser()
	other.signUp("Rae", "rae@example.org")
	b := app.browser()
	b.signUp("Noor", "noor@example.org")

	// A wrong password: the email stays, the password does not come back.
	res := b.post("/settings/email", url.Values{"email": {"noor.q@example.org"}, "password": {"nope"}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := doc(t, res.body)
	if attr(find(d, byID("email")), "value") != "noor.q@example.org" || text(find(d, byID("password-error"))) != "That is not your current password." {
		t.Fatalf("wrong password lost the input or the message:\n%s", res.body)
	}
	if attr(find(d, byID("password")), "value") != "" {
		t.Fatal("the password was sent back in the page")
	}
	// Another account's email: sign-up's words.
	res = b.post("/settings/email", url.Values{"email": {"RAE@example.org"}, "password": {testPassword}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d = doc(t, res.body)
	if attr(find(d, byID("email")), "value") != "RAE@example.org" || !strings.Contains(text(find(d, byID("email-error"))), "already exists") {
		t.Fatalf("taken email:\n%s", res.body)
	}

	wantStatus(t, b.post("/settings/email", url.Values{"email": {"noor.q@example.org"}, "password": {testPassword}}), http.StatusSeeOther)
	if res := b.get("/settings"); !strings.Contains(res.body, "noor.q@example.org") {
		t.Fatalf("settings after the change:\n%s", res.body)
	}
	wantStatus(t, app.browser().logIn("noor.q@example.org", testPassword), http.StatusSeeOther)
}

func TestHTTP_TherapistQuestionHiddenInASpace(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	loner := app.browser()
	loner.signUp("Lee", "lee@example.org")
	if res := loner.get("/settings"); find(doc(t, res.body), byID("therapist-heading")) == nil {
		t.Fatalf("the therapist question is missing for someone without a space:\n%s", res.body)
	}
	ana := startSpace(t, app, "Ana")
	res := ana.get("/settings")
	wantStatus(t, res, http.StatusOK)
	if d := doc(t, res.body); find(d, byID("therapist-heading")) != nil || find(d, byID("email-heading")) == nil {
		t.Fatalf("a partner in a space is asked whether they are a therapist:\n%s", res.body)
	}
}

func TestHTTP_TherapistChangesProfessionalName(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	sam := app.browser()
	sam.signUp("Sam", "sam@example.org")
	if res := sam.get("/settings"); find(doc(t, res.body), byID("professional-heading")) != nil {
		t.Fatal("a partner is offered a professional name")
	}
	wantStatus(t, sam.post("/settings/professional-name", url.Values{"professional_name": {"Sam Lee"}}), http.StatusForbidden)
	wantStatus(t, sam.post("/settings/therapist", url.Values{"professional_name": {"Sam Lee, couples therapist"}}), http.StatusSeeOther)

	long := strings.Repeat("s", 101)
	res := sam.post("/settings/professional-name", url.Values{"professional_name": {long}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d := doc(t, res.body)
	if attr(find(d, byID("professional_name")), "value") != long || text(find(d, byID("professional_name-error"))) == "" {
		t.Fatalf("professional name error lost the input or the message:\n%s", res.body)
	}
	wantStatus(t, sam.post("/settings/professional-name", url.Values{"professional_name": {" Sam  Lee "}}), http.StatusSeeOther)
	res = sam.get("/settings")
	if attr(find(doc(t, res.body), byID("professional_name")), "value") != "Sam Lee" || !strings.Contains(res.body, "Saved.") {
		t.Fatalf("settings after the change:\n%s", res.body)
	}
}

func TestHTTP_SignUpProfessionalNameOnlyForTherapists(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	res := b.get("/signup?as=therapist")
	d := doc(t, res.body)
	field := find(d, byID("professional_name"))
	if field == nil || attr(field.Parent.Parent, "class") != "therapist-only" {
		t.Fatalf("the professional name is not in its therapist-only box:\n%s", res.body)
	}
	if r := find(d, func(n *html.Node) bool { return attr(n, "name") == "role" && attr(n, "value") == "therapist" }); r == nil || !hasAttr(r, "checked") {
		t.Fatal("a therapist's sign-up does not start as a therapist")
	}
	if find(d, func(n *html.Node) bool { return n.Data == "optgroup" && attr(n, "label") == "Americas" }) == nil {
		t.Fatal("time zones are not grouped by region")
	}
	// A therapist without a professional name: the page again, input kept.
	res = b.post("/signup", url.Values{"name": {"Tess"}, "email": {"tess@example.org"}, "password": {testPassword},
		"time_zone": {"America/New_York"}, "role": {"therapist"}, "professional_name": {"  "}})
	wantStatus(t, res, http.StatusUnprocessableEntity)
	d = doc(t, res.body)
	if text(find(d, byID("professional_name-error"))) == "" || attr(find(d, byID("email")), "value") != "tess@example.org" {
		t.Fatalf("sign-up error lost the input or the message:\n%s", res.body)
	}
	if opt := find(d, func(n *html.Node) bool { return n.Data == "option" && attr(n, "value") == "America/New_York" }); opt == nil || text(opt) != "New York" || !hasAttr(opt, "selected") {
		t.Fatalf("the chosen zone is not kept: %q", text(opt))
	}
}
