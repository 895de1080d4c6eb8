// Package e2e drives Mend's main journeys in a real headless Chromium
// (Debian's /usr/bin/chromium, or $MEND_CHROMIUM) against a real server and
// database. Screenshots go to .mend/test-output/browser/ (or $MEND_TEST_OUTPUT).
package e2e

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/server"
	"github.com/mend-app/mend/internal/service"
)

// started is when the browser tests began.
var started = time.Now()

// now is Mend's clock in every browser test: 06:00 UTC on the day the tests
// began, moving on with real time. That is morning in UTC and London and
// evening in Auckland (the zones the tests' people live in), hours from
// midnight in each, so the journeys and their dates are the same whatever
// the hour they run.
func now() time.Time {
	y, m, d := started.UTC().Date()
	return time.Date(y, m, d, 6, 0, 0, 0, time.UTC).Add(time.Since(started))
}

// startMend serves Mend on a real port with its own database.
func startMend(t *testing.T) string {
	t.Helper()
	base, _, _ := startMendWith(t, nil)
	return base
}

// startMendWith serves Mend, on the clock now, with env added to its
// configuration, and returns its address, its services (to seed data) and
// its database.
func startMendWith(t *testing.T, env map[string]string) (string, *service.Services, *postgres.DB) {
	t.Helper()
	db := pgtest.NewDB(t)
	ts := httptest.NewUnstartedServer(nil)
	all := map[string]string{"MEND_BASE_URL": "http://" + ts.Listener.Addr().String()}
	for k, v := range env {
		all[k] = v
	}
	cfg, err := config.Load(func(k string) string { return all[k] })
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(server.NewLogHandler(slog.NewTextHandler(io.Discard, nil)))
	svc := service.New(db)
	svc.SetClock(now)
	sessions := db.NewSessionStore(10*time.Minute, log)
	app := server.New(cfg, log, svc, sessions, db.Ping)
	app.SetClock(now)
	ts.Config.Handler = app
	ts.Start()
	t.Cleanup(func() { ts.Close(); sessions.StopCleanup(); mendDBs.Delete(ts.URL) })
	mendDBs.Store(ts.URL, db)
	return ts.URL, svc, db
}

// mendDBs holds the database of each Mend started, by its address.
var mendDBs sync.Map

// confirmEmail goes on from sign-up's "Check your email" page as a person
// would: it opens the link of the latest confirmation email to email (read
// from the outbox) in the same browser and presses "Confirm and continue".
func confirmEmail(t *testing.T, ctx context.Context, email string) {
	t.Helper()
	if p := path(t, ctx); p != "/signup/check-email" {
		t.Fatalf("after sign-up at %s, want /signup/check-email", p)
	}
	if h1 := text(t, ctx, "h1"); h1 != "Check your email" {
		t.Fatalf("after sign-up the h1 is %q", h1)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, "location", err)
	u, err := url.Parse(loc)
	must(t, "parse location", err)
	base := u.Scheme + "://" + u.Host
	db, ok := mendDBs.Load(base)
	if !ok {
		t.Fatalf("no database for %s", base)
	}
	link, _ := pgtest.ConfirmLink(t, db.(*postgres.DB), email)
	must(t, "open the confirmation link", chromedp.Do(ctx, chromedp.Navigate(base+link)))
	if h1 := text(t, ctx, "h1"); h1 != "Confirm your email" {
		t.Fatalf("the confirmation link's h1 is %q", h1)
	}
	submit(t, ctx, `form[action^="/signup/confirm/"] button[type=submit]`)
}

// newBrowser starts a headless Chromium with a fresh profile, for at most
// 90 seconds. Its temporary files go to a folder of the test, removed when
// the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserFor(t, 90*time.Second)
}

// newBrowserFor is newBrowser, for at most limit.
func newBrowserFor(t *testing.T, limit time.Duration) context.Context {
	t.Helper()
	exe := os.Getenv("MEND_CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("Chromium not found at %s (apt-get install chromium, or set MEND_CHROMIUM): %v", exe, err)
	}
	// Not t.TempDir: Chromium's SingletonSocket lives in $TMPDIR, a Unix
	// socket path has at most 107 bytes, and t.TempDir carries the test's name.
	tmp, err := os.MkdirTemp("", "mend-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(tmp, "profile")),
		// A zone other than the server's, so the test sees JavaScript pick it.
		chromedp.Env("TMPDIR="+tmp, "TZ=Pacific/Auckland"),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc(); os.RemoveAll(tmp) })
	return ctx
}

// newPerson opens a separate browser context (its own cookies, like
// another person's phone) in the browser of first.
func newPerson(t *testing.T, first context.Context) context.Context {
	t.Helper()
	must(t, "start browser", chromedp.Do(first, chromedp.Navigate("about:blank")))
	ctx, cancel := chromedp.NewContext(first, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	return ctx
}

// outputDir is where screenshots are kept for people to look at.
func outputDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("MEND_TEST_OUTPUT")
	if dir == "" {
		wd, _ := os.Getwd()
		for d := wd; d != filepath.Dir(d); d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dir = filepath.Join(d, ".mend", "test-output")
				break
			}
		}
	}
	dir = filepath.Join(dir, "browser")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	must(t, "read "+css, err)
	return strings.TrimSpace(s)
}

// submit clicks a button and waits for the page it leads to.
func submit(t *testing.T, ctx context.Context, css string) {
	t.Helper()
	// Into the middle of the screen first, as a person would scroll: on a
	// phone the tab bar covers the foot of the screen, and a click there
	// would land on a tab.
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const el = document.querySelector(`+strconv.Quote(css)+`);
		if (el) el.scrollIntoView({block: "center"}); return !!el; })()`))
	must(t, "scroll to "+css, err)
	_, err = chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(css)))
	must(t, "submit "+css, err)
}

func path(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(t, "location", err)
	i := strings.Index(loc[len("http://"):], "/")
	p, _, _ := strings.Cut(loc[len("http://")+i:], "#")
	return p
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	must(t, "screenshot", err)
	must(t, "save screenshot", os.WriteFile(filepath.Join(outputDir(t), name), png, 0o644))
}

// fitsWidth reports whether the page needs no sideways scrolling.
func fitsWidth(t *testing.T, ctx context.Context) bool {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	must(t, "measure width", err)
	return ok
}

func TestBrowser_SignUpLogOutLogIn(t *testing.T) {
	base := startMend(t)
	ctx := newBrowser(t)

	// Sign up. With JavaScript on, the time zone comes from the browser.
	must(t, "open sign-up", chromedp.Do(ctx, chromedp.Navigate(base+"/signup")))
	if h1 := text(t, ctx, "h1"); h1 != "Create your account" {
		t.Fatalf("sign-up h1 = %q", h1)
	}
	tz, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("time_zone")))
	must(t, "time zone", err)
	if tz != "Pacific/Auckland" {
		t.Fatalf("time zone preselected = %q, want the browser's Pacific/Auckland", tz)
	}
	must(t, "fill sign-up", chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("name"), "Ana"),
		chromedp.SendKeys(chromedp.ID("email"), "ana@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), "we are learning to talk again"),
	))
	submit(t, ctx, `form[action="/signup"] button[type=submit]`)
	confirmEmail(t, ctx, "ana@example.org")
	if p := path(t, ctx); p != "/today" {
		t.Fatalf("after sign-up at %s", p)
	}
	if h1 := text(t, ctx, "h1"); h1 != "Hello, Ana" {
		t.Fatalf("dashboard h1 = %q", h1)
	}
	// The welcome is announced again for screen readers without leaving
	// its place: nothing on the page moves under a finger as it arrives.
	flashHeight := func() float64 {
		h, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelector('.flash').getBoundingClientRect().height`))
		must(t, "measure the welcome", err)
		return h
	}
	first := flashHeight()
	must(t, "welcome announced", announced(ctx))
	if later := flashHeight(); first == 0 || later != first {
		t.Errorf("the welcome's height went from %v to %v px as the page arrived, so the page moved", first, later)
	}
	if flash := text(t, ctx, ".flash"); flash != "Welcome to Mend. Your account is ready." {
		t.Errorf("welcome = %q", flash)
	}

	// Log out, under More: a neutral page, not the landing page.
	follow(t, ctx, `nav a[href="/more"]`)
	submit(t, ctx, `form[action="/logout"] button`)
	if p := path(t, ctx); p != "/logged-out" {
		t.Fatalf("after log-out at %s", p)
	}
	if h1 := text(t, ctx, "h1"); h1 != "You have logged out" {
		t.Fatalf("log-out page h1 = %q", h1)
	}

	// Log in again: a wrong password first keeps the email and explains.
	must(t, "open log-in", chromedp.Do(ctx, chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.ID("email"), "ana@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), "not quite right"),
	))
	submit(t, ctx, `form[action="/login"] button[type=submit]`)
	if alert := text(t, ctx, ".alert"); !strings.Contains(alert, "do not match") {
		t.Fatalf("alert = %q", alert)
	}
	email, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("email")))
	must(t, "email kept", err)
	if email != "ana@example.org" {
		t.Fatalf("email not kept: %q", email)
	}
	must(t, "type password", chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("password"), "we are learning to talk again")))
	submit(t, ctx, `form[action="/login"] button[type=submit]`)
	if p := path(t, ctx); p != "/today" {
		t.Fatalf("after log-in at %s", p)
	}
	if h1 := text(t, ctx, "h1"); h1 != "Hello, Ana" {
		t.Fatalf("dashboard h1 = %q", h1)
	}
	screenshot(t, ctx, "dashboard-desktop.png")

	// On a 360 px phone the dashboard and sign-up page need no sideways scroll.
	must(t, "phone size", chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)))
	if !fitsWidth(t, ctx) {
		t.Error("dashboard is wider than a 360 px phone")
	}
	screenshot(t, ctx, "dashboard-phone.png")
	must(t, "settings", chromedp.Do(ctx, chromedp.Navigate(base+"/settings")))
	if !fitsWidth(t, ctx) {
		t.Error("settings is wider than a 360 px phone")
	}
	screenshot(t, ctx, "settings-phone.png")

	// Dark mode follows the system setting.
	must(t, "dark mode", chromedp.Do(ctx, darkMode()))
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`))
	must(t, "read background", err)
	if bg != "rgb(23, 21, 19)" {
		t.Fatalf("dark mode background = %s", bg)
	}
	screenshot(t, ctx, "settings-phone-dark.png")
}

// darkMode makes the page see prefers-color-scheme: dark.
func darkMode() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
		})
		return err
	})
}

func TestBrowser_WorksWithoutJavaScript(t *testing.T) {
	base := startMend(t)
	ctx := newBrowser(t)
	must(t, "disable JS", chromedp.Do(ctx, chromedp.Navigate("about:blank"), disableJavaScript()))
	must(t, "open sign-up", chromedp.Do(ctx, chromedp.Navigate(base+"/signup"),
		chromedp.SendKeys(chromedp.ID("name"), "Ben"),
		chromedp.SendKeys(chromedp.ID("email"), "ben@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), "we are learning to talk again"),
	))
	// Without JavaScript nothing preselects the browser's zone: UTC stands.
	tz, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("time_zone")))
	must(t, "time zone", err)
	if tz != "UTC" {
		t.Fatalf("time zone without JS = %q, want UTC", tz)
	}
	submit(t, ctx, `form[action="/signup"] button[type=submit]`)
	confirmEmail(t, ctx, "ben@example.org")
	if h1 := text(t, ctx, "h1"); h1 != "Hello, Ben" {
		t.Fatalf("dashboard h1 without JS = %q", h1)
	}
}

// disableJavaScript turns script execution off in the current tab.
func disableJavaScript() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
}

// announced waits until the page's flash message has been said again in
// the live region, as app.js does soon after load.
func announced(ctx context.Context) error {
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById("announce").textContent !== ""`))
	return err
}
