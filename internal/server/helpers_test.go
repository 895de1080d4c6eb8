package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/service"
	"golang.org/x/net/html"
)

const testPassword = "slow mornings, honest words"

// testApp is a Mend server on its own database, reached through httptest.
type testApp struct {
	t   testing.TB
	srv *Server
	db  *postgres.DB
	ts  *httptest.Server

	mu  sync.Mutex
	now time.Time
}

func testConfig(t testing.TB, env map[string]string) *config.Config {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func newTestApp(t testing.TB, env map[string]string) *testApp {
	t.Helper()
	return newTestAppOn(t, pgtest.NewDB(t), env)
}

func newTestAppOn(t testing.TB, db *postgres.DB, env map[string]string) *testApp {
	t.Helper()
	return newTestAppLogging(t, db, env, io.Discard)
}

// newTestAppLogging is a test app whose log, at debug level, goes to out.
func newTestAppLogging(t testing.TB, db *postgres.DB, env map[string]string, out io.Writer) *testApp {
	t.Helper()
	a := &testApp{t: t, db: db, now: time.Now()}
	log := slog.New(NewLogHandler(slog.NewTextHandler(io.Discard, nil)))
	if out != io.Discard {
		log = slog.New(NewLogHandler(slog.NewJSONHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug})))
	}
	svc := service.New(db)
	svc.SetClock(a.clock)
	sessions := db.NewSessionStore(10*time.Minute, log)
	a.srv = New(testConfig(t, env), log, svc, sessions, db.Ping)
	a.srv.now = a.clock
	a.ts = httptest.NewServer(a.srv)
	t.Cleanup(func() { a.ts.Close(); sessions.StopCleanup() })
	return a
}

func (a *testApp) clock() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.now
}

// advance moves the server's clock forward.
func (a *testApp) advance(d time.Duration) {
	a.mu.Lock()
	a.now = a.now.Add(d)
	a.mu.Unlock()
}

// browser is a client with its own cookies that does not follow redirects,
// so tests see each status.
type browser struct {
	t   testing.TB
	app *testApp
	c   *http.Client
}

func (a *testApp) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: a.t, app: a, c: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is a finished response with its body read.
type response struct {
	*http.Response
	body string
}

func (b *browser) do(req *http.Request) *response {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return &response{res, string(body)}
}

func (b *browser) get(path string) *response {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.app.ts.URL+path, nil)
	return b.do(req)
}

// post sends a form as a browser on the same site would.
func (b *browser) post(path string, form url.Values, headers ...string) *response {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.app.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

func (b *browser) signUp(name, email string) {
	b.t.Helper()
	b.signUpWith(url.Values{"name": {name}, "email": {email}, "password": {testPassword}, "time_zone": {"Europe/Berlin"}}, "/today")
}

// signUpWith sends the sign-up form, then opens the confirmation link from
// the outbox and confirms, and wants to land on want.
func (b *browser) signUpWith(form url.Values, want string) {
	b.t.Helper()
	res := b.post("/signup", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signup/check-email" {
		b.t.Fatalf("sign up: %d %s\n%.2000s", res.StatusCode, res.Header.Get("Location"), res.body)
	}
	res = b.confirm(form.Get("email"))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		b.t.Fatalf("confirm sign-up: %d %s, want %s\n%.2000s", res.StatusCode, res.Header.Get("Location"), want, res.body)
	}
}

// confirm opens the latest confirmation link in the outbox for email and
// presses its button, as a person would; it returns the answer.
func (b *browser) confirm(email string) *response {
	b.t.Helper()
	path, _ := pgtest.ConfirmLink(b.t, b.app.db, email)
	page := b.get(path)
	wantStatus(b.t, page, http.StatusOK)
	form := find(doc(b.t, page.body), func(n *htmlNode) bool {
		return n.Data == "form" && strings.HasPrefix(attr(n, "action"), "/signup/confirm/")
	})
	if form == nil {
		b.t.Fatalf("no confirmation form on %s:\n%.2000s", path, page.body)
	}
	values := url.Values{}
	var walk func(n *htmlNode)
	walk = func(n *htmlNode) {
		if n.Type == html.ElementNode && n.Data == "input" && attr(n, "type") == "hidden" {
			values.Add(attr(n, "name"), attr(n, "value"))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	return b.post(attr(form, "action"), values)
}

func (b *browser) logIn(email, pw string) *response {
	b.t.Helper()
	return b.post("/login", url.Values{"email": {email}, "password": {pw}})
}

func (b *browser) sessionCookie() *http.Cookie {
	u, _ := url.Parse(b.app.ts.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if strings.HasSuffix(c.Name, "mend_session") {
			return c
		}
	}
	return nil
}

func wantStatus(t testing.TB, res *response, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d\n%.2000s", res.Request.Method, res.Request.URL.Path, res.StatusCode, want, res.body)
	}
}

type htmlNode = html.Node

// doc parses a page.
func doc(t testing.TB, body string) *html.Node {
	t.Helper()
	n, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// find returns the first element for which match is true.
func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && match(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, match); f != nil {
			return f
		}
	}
	return nil
}

func byID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attr(n, "id") == id }
}

func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(sb.String()), " ")
}

// sessionRows returns every session row's token hash and row version.
func (a *testApp) sessionRows() map[string]string {
	a.t.Helper()
	rows, err := a.db.Pool.Query(context.Background(), `SELECT token, xmin::text FROM sessions`)
	if err != nil {
		a.t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var tok, xmin string
		if err := rows.Scan(&tok, &xmin); err != nil {
			a.t.Fatal(err)
		}
		m[tok] = xmin
	}
	return m
}

// request sends method to path as this browser, with a same-site origin.
func (b *browser) request(method, path string) *response {
	b.t.Helper()
	if method == http.MethodGet {
		return b.get(path)
	}
	req, _ := http.NewRequest(method, b.app.ts.URL+path, strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

func hasAttr(n *htmlNode, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}
