package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/web"
)

func TestHTTP_CookieFlagsOverHTTPS(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, map[string]string{"MEND_BASE_URL": "https://mend.example.org"})
	b := app.browser()
	wantStatus(t, b.post("/signup", url.Values{"name": {"Ana"}, "email": {"ana@example.org"}, "password": {testPassword}, "time_zone": {"UTC"}}), http.StatusSeeOther)
	// Confirming logs in: the session and the device cookie (see
	// devices_test.go), nothing else.
	res := b.confirm("ana@example.org")
	wantStatus(t, res, http.StatusSeeOther)
	cookies := res.Cookies()
	if len(cookies) != 2 {
		t.Fatalf("want two cookies, got %v", res.Header.Values("Set-Cookie"))
	}
	c := cookieNamed(res, "__Host-mend_session")
	if c == nil || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
		t.Fatalf("cookie flags wrong: %s", res.Header.Values("Set-Cookie"))
	}
	if hsts := res.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Fatalf("no HSTS over https: %q", hsts)
	}
}

// cookieNamed returns the cookie the response sets with name, or nil.
func cookieNamed(res *response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestHTTP_CookieFlagsOverHTTP(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	res := b.post("/signup", url.Values{"name": {"Ana"}, "email": {"ana@example.org"}, "password": {testPassword}, "time_zone": {"UTC"}})
	wantStatus(t, res, http.StatusSeeOther)
	c := cookieNamed(res, "mend_session")
	if c == nil || c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("cookie flags wrong: %s", res.Header.Values("Set-Cookie"))
	}
	if !c.Expires.IsZero() || c.MaxAge != 0 {
		t.Fatalf("session cookie should end with the browser: %s", res.Header.Get("Set-Cookie"))
	}
	if res.Header.Get("Strict-Transport-Security") != "" {
		t.Fatal("HSTS sent over plain http")
	}
}

func TestHTTP_SecurityHeadersOnEveryPage(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	b.signUp("Ana", "ana@example.org")
	for _, path := range []string{"/today", "/settings", "/safety", "/no-such-page"} {
		res := b.get(path)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") ||
			strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: nosniff=%q referrer=%q", path, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
		}
		if !strings.Contains(h.Get("Cache-Control"), "no-store") {
			t.Errorf("%s: Cache-Control %q, want no-store for a logged-in page", path, h.Get("Cache-Control"))
		}
		if h.Get("X-Request-Id") == "" {
			t.Errorf("%s: no request ID", path)
		}
		// No inline script anywhere: every <script> has a src.
		if s := find(doc(t, res.body), func(n *htmlNode) bool { return n.Data == "script" && attr(n, "src") == "" }); s != nil {
			t.Errorf("%s: inline script found", path)
		}
	}
}

func TestHTTP_StaticFilesAreCachedByVersion(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	res := b.get(web.Asset("app.css"))
	wantStatus(t, res, http.StatusOK)
	if !strings.Contains(res.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("static headers: %v", res.Header)
	}
	if res := b.get("/static/app.css?v=old"); strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Fatal("a stale version must not be cached for a year")
	}
	wantStatus(t, b.get("/static/"), http.StatusNotFound)
}

func TestHTTP_CrossOriginPostIsRefused(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	form := url.Values{"name": {"Ana"}, "email": {"ana@example.org"}, "password": {testPassword}, "time_zone": {"UTC"}}

	res := b.post("/signup", form, "Sec-Fetch-Site", "cross-site")
	wantStatus(t, res, http.StatusForbidden)
	if !strings.Contains(res.body, "from another site") || !strings.Contains(res.body, "Quick exit") {
		t.Fatalf("403 page should explain, in the layout:\n%s", res.body)
	}
	// An old browser without Sec-Fetch-Site, but with a foreign Origin.
	req, _ := http.NewRequest("POST", app.ts.URL+"/signup", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	wantStatus(t, b.do(req), http.StatusForbidden)

	var n int
	app.db.Pool.QueryRow(context.Background(), `SELECT count(*) FROM users`).Scan(&n)
	if n != 0 {
		t.Fatalf("a refused request created %d users", n)
	}
	// The same form from the same site works.
	wantStatus(t, b.post("/signup", form), http.StatusSeeOther)
}

func TestHTTP_OversizeBodyGets413(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	big := url.Values{"name": {strings.Repeat("a", MaxBodyBytes)}, "email": {"a@example.org"}}
	res := b.post("/signup", big)
	wantStatus(t, res, http.StatusRequestEntityTooLarge)
	if !strings.Contains(res.body, "too much to send") {
		t.Fatalf("413 page:\n%s", res.body)
	}
	// Without a declared length (chunked), the limit still holds while reading.
	req, _ := http.NewRequest("POST", app.ts.URL+"/login", io.MultiReader(strings.NewReader("email="), strings.NewReader(strings.Repeat("b", 2*MaxBodyBytes))))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	wantStatus(t, b.do(req), http.StatusRequestEntityTooLarge)
}

func TestHTTP_MalformedInputGets4xxNot500(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	b := app.browser()
	req, _ := http.NewRequest("POST", app.ts.URL+"/signup", strings.NewReader("name=%zz&email=%"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	wantStatus(t, b.do(req), http.StatusBadRequest)

	// Invalid UTF-8 and NUL bytes are refused with a page that says so,
	// never passed to PostgreSQL.
	res := b.post("/signup", url.Values{"name": {"A\x00n\xffa"}, "email": {"bad\x00@example.org"}, "password": {testPassword}, "time_zone": {"UTC"}})
	wantStatus(t, res, http.StatusBadRequest)
	if !strings.Contains(res.body, "was not text Mend can keep") {
		t.Fatalf("odd bytes: no words for the person\n%.2000s", res.body)
	}
	wantStatus(t, app.browser().get("/login?next=%zz"), http.StatusOK)
}

func TestHTTP_NotFoundPageInLayout(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	res := app.browser().get("/nothing/here")
	wantStatus(t, res, http.StatusNotFound)
	d := doc(t, res.body)
	if h1 := text(find(d, func(n *htmlNode) bool { return n.Data == "h1" })); h1 != "Page not found" {
		t.Fatalf("h1 = %q", h1)
	}
	if find(d, func(n *htmlNode) bool { return attr(n, "class") == "quick-exit" }) == nil {
		t.Fatal("404 page lacks the quick-exit control")
	}
	// A logged-in person keeps their navigation on the 404 page.
	member := app.browser()
	member.signUp("Ana", "ana@example.org")
	if !strings.Contains(member.get("/nothing/here").body, `href="/more"`) {
		t.Fatal("404 page lost the logged-in navigation")
	}
	res = app.browser().post("/today", nil)
	if res.StatusCode != http.StatusMethodNotAllowed && res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /today: %d", res.StatusCode)
	}
}

func TestHTTP_DatabaseUnreachableGives503(t *testing.T) {
	t.Parallel()
	pool, err := pgxpool.New(context.Background(), "postgres:///mend?host=/nonexistent-mend-socket&user=postgres&connect_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	app := newTestAppOn(t, &postgres.DB{Pool: pool}, nil)
	b := app.browser()

	res := b.get("/healthz")
	wantStatus(t, res, http.StatusServiceUnavailable)

	// A page that needs the session (and so the database) shows a calm 503
	// page, not a 500 or a hang. A visitor with no cookie needs no database.
	wantStatus(t, b.get("/"), http.StatusOK)
	req, _ := http.NewRequest("GET", app.ts.URL+"/today", nil)
	req.AddCookie(&http.Cookie{Name: "mend_session", Value: "some-token"})
	res = b.do(req)
	wantStatus(t, res, http.StatusServiceUnavailable)
	if !strings.Contains(res.body, "try again in a minute") {
		t.Fatalf("503 page:\n%s", res.body)
	}
}

func TestHTTP_SlowQueryTimesOutWith503(t *testing.T) {
	t.Parallel()
	// Ana signs up without the short deadline (hashing a password on a busy
	// machine may take longer than it), then uses her session on a server
	// whose database deadline is 300 ms.
	db := pgtest.NewDB(t)
	signedUp := newTestAppOn(t, db, nil).browser()
	signedUp.signUp("Ana", "ana@example.org")
	app := newTestAppOn(t, db, map[string]string{"MEND_DB_TIMEOUT": "300ms"})
	b := app.browser()

	// Hold a lock that every user lookup must wait for.
	ctx := context.Background()
	tx, err := app.db.Pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE users IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	req, _ := http.NewRequest("GET", app.ts.URL+"/today", nil)
	req.AddCookie(signedUp.sessionCookie())
	res := b.do(req)
	wantStatus(t, res, http.StatusServiceUnavailable)
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("the request hung for %v", took)
	}
	if !strings.Contains(res.body, "Mend is taking a moment") {
		t.Fatalf("503 page:\n%s", res.body)
	}
}

func TestHTTP_PanicGives500WithRequestIDOnly(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	app.srv.router.Get("/boom", func(http.ResponseWriter, *http.Request) { panic("secret internal detail") })
	res := app.browser().get("/boom")
	wantStatus(t, res, http.StatusInternalServerError)
	id := res.Header.Get("X-Request-Id")
	if id == "" || !strings.Contains(res.body, id) {
		t.Fatalf("500 page should show request ID %q:\n%s", id, res.body)
	}
	if strings.Contains(res.body, "secret internal detail") {
		t.Fatal("500 page leaks the internal message")
	}
}

func TestHTTP_ServerTimeoutsAreSet(t *testing.T) {
	srv := HTTPServer(":0", http.NotFoundHandler(), slog.New(slog.DiscardHandler))
	if srv.ReadHeaderTimeout == 0 || srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 || srv.MaxHeaderBytes == 0 {
		t.Fatalf("unset timeout in %+v", srv)
	}
}

func TestHTTP_HealthzAnswersWhenDatabaseDoes(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	res := app.browser().get("/healthz")
	wantStatus(t, res, http.StatusOK)
}
