package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/server"
	"github.com/mend-app/mend/internal/service"
)

// auditPage is one page of the audit: a name for its files, whose tab
// opens it, its address, and what else to do once it is open.
type auditPage struct {
	name, who, path string
	status          int64                                   // the answer expected (0: 200)
	open            func(t *testing.T, ctx context.Context) // instead of opening path, when set
}

// auditSizes are a small phone and a desktop, 800 px high.
var auditSizes = []int64{360, 1280}

// auditSchemes are the two colour schemes Mend follows.
var auditSchemes = []string{"light", "dark"}

// axeAt says at which size axe runs: on the phone, in both colour
// schemes. Its rules read the document and the colours, which are the same
// at any width, but for target size, which the test measures itself at both
// widths; running it at 1280 too would add a third to the run for nothing.
func axeAt(width int64) bool { return width == 360 }

// TestBrowser_EveryPage opens every page a visitor, a partner or a
// therapist can open (every GET page route of the router), with a couple
// three weeks into Mend, at 360 and 1280 px wide in light and dark, and
// checks on each, with what is folded away unfolded, that nothing scrolls
// sideways, every link and button is inside the screen, tap targets are
// at least 44 × 44 px and do not overlap, a 0–10 scale is one row, and axe
// finds nothing serious against WCAG 2.2 AA. Every page is saved as a
// full-page screenshot, listed in pages-index.md.
func TestBrowser_EveryPage(t *testing.T) {
	began := time.Now()
	base, svc, db := startMendWith(t, nil)
	axe := axeSource(t)
	d := seedAudit(t, svc, db)
	// Maren is logged in on her phone too, so her sessions page shows a
	// Sign out button and Sign out everywhere else.
	if _, err := db.Pool.Exec(context.Background(), `INSERT INTO sessions (token, data, expiry, user_id, device, started_at, seen_at)
		VALUES ('audit-phone', '\x00', now() + interval '1 hour', $1, 'Firefox on Android', $2, $3)`, d.maren.ID, now().Add(-time.Hour), now().Add(-5*time.Minute)); err != nil {
		t.Fatal(err)
	}
	seeded := time.Since(began)

	couple := "/caseload/" + id(d.coupleID)
	pages := []auditPage{
		{name: "landing", who: "visitor", path: "/"},
		{name: "login", who: "visitor", path: "/login"},
		{name: "signup", who: "visitor", path: "/signup"},
		{name: "safety-public", who: "visitor", path: "/safety"},
		{name: "logged-out", who: "visitor", path: "/logged-out"},
		{name: "account-deleted", who: "visitor", path: "/account-deleted"},
		{name: "join-visitor", who: "visitor", path: "/join/" + d.inviteToken},
		{name: "password-forgot", who: "visitor", path: "/password/forgot"},
		{name: "password-reset", who: "visitor", path: d.resetPath},
		{name: "password-reset-invalid", who: "visitor", path: "/password/reset/used-or-made-up", status: http.StatusNotFound},
		{name: "signup-check-email", who: "visitor", path: "/signup/check-email"},
		{name: "signup-confirm", who: "visitor", path: d.confirmPath},
		{name: "signup-confirm-invalid", who: "visitor", path: "/signup/confirm/used-or-made-up", status: http.StatusNotFound},
		{name: "dev-outbox", who: "visitor", path: "/dev/outbox"},
		{name: "unsubscribe", who: "visitor", path: unsubscribePath(svc, d.maren)},
		{name: "unsubscribe-invalid", who: "visitor", path: "/unsubscribe/made-up", status: http.StatusNotFound},
		{name: "not-found", who: "visitor", path: "/no-such-page", status: http.StatusNotFound},

		{name: "today-no-space", who: "wren", path: "/today"},
		{name: "no-space", who: "wren", path: "/checkin"},
		{name: "start", who: "wren", path: "/couple/start"},
		{name: "join-code", who: "wren", path: "/join"},
		{name: "join-signed-in", who: "wren", path: "/join/" + d.inviteToken},
		{name: "more-no-space", who: "wren", path: "/more"},
		{name: "invite-partner", who: "odile", path: "/couple/invite"},

		{name: "today", who: "maren", path: "/today"},
		{name: "more", who: "maren", path: "/more"},
		{name: "couple", who: "maren", path: "/couple"},
		{name: "couple-context", who: "maren", path: "/couple/context"},
		{name: "couple-invite", who: "maren", path: "/couple/invite"},
		{name: "sharing", who: "maren", path: "/sharing"},
		{name: "checkin-done", who: "maren", path: "/checkin?day=" + londonDay(0)},
		{name: "checkins", who: "maren", path: "/checkins"},
		{name: "checkins-trends", who: "maren", path: "/checkins/trends"},
		{name: "checkin-day", who: "maren", path: "/checkins/" + londonDay(-1)},
		{name: "checkin-delete", who: "maren", path: "/checkins/" + londonDay(-1) + "/delete"},
		{name: "commitments", who: "maren", path: "/commitments"},
		{name: "commitment-new", who: "maren", path: "/commitments/new"},
		{name: "commitment", who: "maren", path: "/commitments/" + id(d.commitment)},
		{name: "commitment-proposed", who: "maren", path: "/commitments/" + id(d.proposal)},
		{name: "commitment-paused", who: "maren", path: "/commitments/" + id(d.paused)},
		{name: "commitment-edit", who: "maren", path: "/commitments/" + id(d.commitment) + "/edit"},
		{name: "triggers", who: "maren", path: "/triggers"},
		{name: "trigger-new", who: "maren", path: "/triggers/new"},
		{name: "trigger-patterns", who: "maren", path: "/triggers/patterns"},
		{name: "trigger-edit", who: "maren", path: "/triggers/" + id(d.trigger) + "/edit"},
		{name: "trigger-delete", who: "maren", path: "/triggers/" + id(d.trigger) + "/delete"},
		{name: "trigger-minute", who: "maren", path: "/triggers/" + id(d.trigger) + "/minute"},
		{name: "comfort", who: "maren", path: "/comfort"},
		{name: "comfort-partner", who: "tobias", path: "/comfort"},
		{name: "comfort-delete", who: "maren", path: "/comfort/delete"},
		{name: "progress", who: "maren", path: "/progress"},
		{name: "progress-summary", who: "maren", path: "/progress/summary"},
		{name: "hard-dates", who: "maren", path: "/hard-dates"},
		{name: "session-checks", who: "maren", path: "/sessions/checks"},
		{name: "session-check", who: "maren", path: "/sessions/" + d.lastSession + "/check"},
		{name: "session-check-done", who: "maren", path: "/sessions/" + d.checkedSession + "/check"},
		{name: "disclosures", who: "maren", path: "/disclosures"},
		{name: "disclosure-new", who: "maren", path: "/disclosures/new"},
		{name: "statement", who: "maren", path: "/statement"},
		{name: "prompts", who: "maren", path: "/prompts"},
		{name: "journal", who: "maren", path: "/journal"},
		{name: "journal-delete", who: "maren", path: "/journal/entries/" + id(d.journalEntry) + "/delete"},
		{name: "journal-answer-delete", who: "maren", path: "/journal/answers/" + id(d.answer) + "/delete"},
		{name: "time-together", who: "maren", path: "/time-together"},
		{name: "together-delete", who: "maren", path: "/time-together/" + id(d.together) + "/delete"},
		{name: "talk", who: "maren", path: "/talk"},
		{name: "talk-questions", who: "maren", path: "/talk/questions"},
		{name: "topic-delete", who: "maren", path: "/talk/topics/" + id(d.topic) + "/delete"},
		{name: "question-delete", who: "maren", path: "/talk/questions/" + id(d.question) + "/delete"},
		{name: "safety", who: "maren", path: "/safety"},
		{name: "safety-check", who: "maren", path: "/safety/check"},
		{name: "safety-result", who: "maren", path: "/safety/check/result"},
		{name: "settings", who: "maren", path: "/settings"},
		// The form only: nobody is deleted here.
		{name: "settings-delete", who: "maren", path: "/settings/delete"},
		{name: "sessions", who: "maren", path: "/settings/sessions"},

		{name: "today-tobias", who: "tobias", path: "/today"},
		{name: "checkin", who: "tobias", path: "/checkin"},
		{name: "commitment-to-answer", who: "tobias", path: "/commitments/" + id(d.proposal)},
		{name: "disclosure-draft", who: "tobias", path: "/disclosures/drafts/" + id(d.draft) + "/edit"},
		{name: "disclosure-delete", who: "tobias", path: "/disclosures/" + id(d.draft) + "/delete"},
		{name: "statement-tobias", who: "tobias", path: "/statement"},
		{name: "statement-delete", who: "tobias", path: "/statement/delete"},
		{name: "prompts-tobias", who: "tobias", path: "/prompts"},
		{name: "prompt-delete", who: "tobias", path: "/prompts/own/" + id(d.ownPrompt) + "/delete"},
		{name: "talk-tobias", who: "tobias", path: "/talk"},
		{name: "talk-questions-tobias", who: "tobias", path: "/talk/questions"},
		{name: "session-check-errors", who: "tobias", path: "/sessions/" + d.lastSession + "/check",
			open: func(t *testing.T, ctx context.Context) {
				// Sent unanswered: the form again, each scale with its message.
				must(t, "open the session check", chromedp.Do(ctx, chromedp.Navigate(base+"/sessions/"+d.lastSession+"/check")))
				submit(t, ctx, `form[action$="/check"] button[type=submit]`)
				if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("fieldset[aria-invalid=true]").length`)); err != nil || n == 0 {
					t.Errorf("the session check sent unanswered shows no scale in error (%v)", err)
				}
			}},

		{name: "caseload", who: "helga", path: "/caseload"},
		{name: "overview", who: "helga", path: couple},
		{name: "therapist-progress", who: "helga", path: couple + "/progress"},
		{name: "therapist-summary", who: "helga", path: couple + "/summary"},
		{name: "therapist-checkins", who: "helga", path: couple + "/checkins"},
		{name: "therapist-commitments", who: "helga", path: couple + "/commitments"},
		{name: "therapist-triggers", who: "helga", path: couple + "/triggers"},
		{name: "therapist-disclosures", who: "helga", path: couple + "/disclosures"},
		{name: "therapist-session-checks", who: "helga", path: couple + "/session-checks"},
		{name: "therapist-questions", who: "helga", path: couple + "/questions"},
		{name: "therapist-statement", who: "helga", path: couple + "/statement"},
		{name: "therapist-journal", who: "helga", path: couple + "/journal"},
		{name: "therapy-sessions", who: "helga", path: couple + "/sessions"},
		{name: "therapist-note-edit", who: "helga", path: couple + "/notes/" + id(d.note) + "/edit"},
		{name: "therapist-suggestions", who: "helga", path: couple + "/suggestions"},
		{name: "therapist-settings", who: "helga", path: "/settings"},
		{name: "therapist-confirm-view", who: "helga", path: couple,
			open: func(t *testing.T, ctx context.Context) {
				// From a link on another site, a view of the couple asks first.
				must(t, "open the other site", chromedp.Do(ctx, chromedp.Navigate(linkSite(t, base+couple))))
				follow(t, ctx, "a")
				wantText(t, ctx, "a view from another site", "h1", "Open this page?")
			}},
	}
	everyRouteAudited(t, db, pages)
	logins := map[string]string{"wren": "wren@example.org", "odile": "odile@example.org", "maren": "maren@example.org",
		"tobias": "tobias@example.org", "helga": "helga@example.org"}

	// 104 pages × 4 shots take about 4 minutes on 2 busy cores (make test runs
	// the other packages beside this one); the limit leaves room for that.
	browser := newBrowserFor(t, 10*time.Minute)
	must(t, "start the browser", chromedp.Do(browser, chromedp.Navigate("about:blank")))
	out := outputDir(t)
	var mu sync.Mutex
	shots := map[string][]string{}
	var spent auditTimes
	// One tab per person, each in its own browser context; two people at
	// a time (the test's -parallel), the longest first, one page after
	// another in each tab.
	t.Run("pages", func(t *testing.T) {
		for _, who := range []string{"maren", "helga", "tobias", "visitor", "wren", "odile"} {
			ctx := newPerson(t, browser)
			t.Run(who, func(t *testing.T) {
				t.Parallel()
				must(t, "tab", chromedp.Do(ctx, chromedp.Navigate("about:blank"), bypassCSP()))
				if email := logins[who]; email != "" {
					logIn(t, ctx, base, email)
				}
				for _, p := range pages {
					if p.who != who {
						continue
					}
					files := auditOne(t, ctx, base, axe, out, p, &spent)
					mu.Lock()
					shots[p.name] = files
					mu.Unlock()
				}
			})
		}
	})
	writeIndex(t, out, pages, shots)
	t.Logf("seeded in %v; %d pages at %d sizes in %d schemes in %v (tab time: %v)", seeded.Round(time.Millisecond), len(pages),
		len(auditSizes), len(auditSchemes), time.Since(began).Round(time.Millisecond), &spent)
}

// everyRouteAudited fails for each page route of Mend's router that no
// audited page opens, so that a new page joins the audit.
func everyRouteAudited(t *testing.T, db *postgres.DB, pages []auditPage) {
	t.Helper()
	cfg, err := config.Load(func(k string) string { return map[string]string{"MEND_BASE_URL": "http://127.0.0.1"}[k] })
	must(t, "config", err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sessions := db.NewSessionStore(time.Hour, log)
	defer sessions.StopCleanup()
	param := regexp.MustCompile(`\{[^}]+\}`)
	// Services of its own: server.New configures the services it is given
	// (keys, base URL), and those of the server under audit must stay its.
	err = chi.Walk(server.New(cfg, log, service.New(db), sessions, db.Ping).Router(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method != http.MethodGet || route == "/healthz" || strings.HasPrefix(route, "/static/") || strings.Contains(route, ".") {
			return nil
		}
		re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(param.ReplaceAllString(route, "PARAM")), "PARAM", `[^/]+`) + "$")
		for _, p := range pages {
			if re.MatchString(p.path) {
				return nil
			}
		}
		t.Errorf("GET %s: no page of the audit opens it", route)
		return nil
	})
	must(t, "walk the routes", err)
}

// linkSite serves a page on another origin with one link, to target.
func linkSite(t *testing.T, target string) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>Notes</title><p><a href="%s">Open the couple</a></p>`, target)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// auditTimes adds up the time the tabs spent on each step.
type auditTimes struct{ open, measure, axe, shot atomic.Int64 }

// since adds the time since start to d.
func since(d *atomic.Int64, start time.Time) { d.Add(int64(time.Since(start))) }

func (a *auditTimes) String() string {
	r := func(d *atomic.Int64) time.Duration { return time.Duration(d.Load()).Round(100 * time.Millisecond) }
	return fmt.Sprintf("opening %v, measuring %v, axe %v, screenshots %v", r(&a.open), r(&a.measure), r(&a.axe), r(&a.shot))
}

// auditOne opens p in ctx and checks it at every size and scheme, saving
// a screenshot of each; it reports all of the page's problems in one
// error, each with the sizes and schemes it was seen at, and returns the
// screenshots' names.
func auditOne(t *testing.T, ctx context.Context, base, axe, out string, p auditPage, spent *auditTimes) []string {
	t.Helper()
	start := time.Now()
	if p.open != nil {
		p.open(t, ctx)
	} else {
		res, err := chromedp.RunResponse(ctx, chromedp.Navigate(base+p.path))
		must(t, "open "+p.path, err)
		want := p.status
		if want == 0 {
			want = http.StatusOK
		}
		if res == nil || res.Status != want {
			t.Errorf("%s (%s): answered %v, want %d", p.name, p.path, res, want)
			return nil
		}
		// A redirect would audit another page under this one's name.
		if at := path(t, ctx); at != p.path {
			t.Errorf("%s: opening %s led to %s", p.name, p.path, at)
			return nil
		}
	}
	since(&spent.open, start)
	var problems []string
	seen := map[string][]string{}
	var files []string
	for _, width := range auditSizes {
		for _, scheme := range auditSchemes {
			where := fmt.Sprintf("%d %s", width, scheme)
			must(t, "size and scheme", chromedp.Do(ctx, viewport(width), colourScheme(scheme)))
			note := func(problem string) {
				if _, ok := seen[problem]; !ok {
					problems = append(problems, problem)
				}
				seen[problem] = append(seen[problem], where)
			}
			// What is folded away (who sees an entry, more fields, other
			// countries' lines) is checked unfolded, and shot as people
			// first see it.
			start = time.Now()
			must(t, "unfold", chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](unfoldJS)))
			g, err := chromedp.Run(ctx, chromedp.Evaluate[geometry](fmt.Sprintf(geometryJS, width)))
			must(t, "measure "+p.name, err)
			for _, s := range g.problems(width) {
				note(s)
			}
			since(&spent.measure, start)
			if axeAt(width) {
				start = time.Now()
				vs, err := runAxe(ctx, axe)
				must(t, "axe on "+p.name, err)
				for _, v := range vs {
					note(v.String())
				}
				since(&spent.axe, start)
			}
			must(t, "fold", chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](foldJS)))
			start = time.Now()
			name := fmt.Sprintf("pages-%s-%d-%s.png", p.name, width, scheme)
			png, err := chromedp.Run(ctx, wholePage(width))
			must(t, "screenshot "+name, err)
			must(t, "save "+name, os.WriteFile(filepath.Join(out, name), png, 0o644))
			files = append(files, name)
			since(&spent.shot, start)
		}
	}
	must(t, "size", chromedp.Do(ctx, viewport(auditSizes[0])))
	if len(problems) > 0 {
		var b strings.Builder
		for _, s := range problems {
			fmt.Fprintf(&b, "\n  - [%s] %s", strings.Join(seen[s], ", "), s)
		}
		t.Errorf("%s (%s): %d problems:%s", p.name, p.path, len(problems), b.String())
	}
	return files
}

// viewport emulates a screen width px wide and 800 high: a phone's (touch,
// a mobile viewport) below 600 px, else a desktop's.
func viewport(width int64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		mobile := width < 600
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: width, Height: 800, DeviceScaleFactor: 1, Mobile: mobile}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: mobile})
		return err
	})
}

// wholePage shoots the whole page on a screen as tall as the page, so
// that what is fixed to the foot of the screen (a phone's tab bar) is
// shown at the foot of the page, where the page leaves room for it, and
// not across its middle. The screen stays that tall: set it back after.
func wholePage(width int64) chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		h, err := chromedp.Evaluate[int64](`Math.ceil(Math.max(document.documentElement.scrollHeight, 800))`)(ctx, t)
		if err != nil {
			return nil, err
		}
		mobile := width < 600
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: width, Height: min(h, 16000), DeviceScaleFactor: 1, Mobile: mobile}); err != nil {
			return nil, err
		}
		return chromedp.CaptureScreenshot()(ctx, t)
	}
}

// geometry is what geometryJS measures.
type geometry struct {
	ScrollWidth float64 `json:"scrollWidth"`
	Wide        []box   `json:"wide"`     // the deepest elements past the right edge
	Outside     []box   `json:"outside"`  // links and buttons not wholly inside the screen
	Small       []box   `json:"small"`    // tap targets below their minimum
	Scales      []box   `json:"scales"`   // 0–10 scales on more than one row
	Overlaps    [][]box `json:"overlaps"` // tap targets over one another
}

type box struct {
	El    string  `json:"el"`
	Left  float64 `json:"left"`
	Right float64 `json:"right"`
	W     float64 `json:"w"`
	H     float64 `json:"h"`
	MinW  float64 `json:"minW,omitempty"`
	MinH  float64 `json:"minH,omitempty"`
}

func (g geometry) problems(width int64) []string {
	var ps []string
	if g.ScrollWidth > float64(width) {
		var els []string
		for _, b := range g.Wide {
			els = append(els, fmt.Sprintf("%s (right edge %.0f)", b.El, b.Right))
		}
		ps = append(ps, fmt.Sprintf("scrolls sideways: %.0f px wide in %d; widest: %s", g.ScrollWidth, width, strings.Join(els, "; ")))
	}
	for _, b := range g.Outside {
		ps = append(ps, fmt.Sprintf("outside the screen: %s from %.1f to %.1f px", b.El, b.Left, b.Right))
	}
	for _, b := range g.Scales {
		ps = append(ps, fmt.Sprintf("a 0–10 scale on more than one row: %s", b.El))
	}
	for _, o := range g.Overlaps {
		ps = append(ps, fmt.Sprintf("tap targets overlap: %s from %.1f to %.1f px and %s from %.1f to %.1f px",
			o[0].El, o[0].Left, o[0].Right, o[1].El, o[1].Left, o[1].Right))
	}
	for _, b := range g.Small {
		ps = append(ps, fmt.Sprintf("tap target %.1f × %.1f px, below %.0f × %.0f: %s", b.W, b.H, b.MinW, b.MinH, b.El))
	}
	return ps
}

// unfoldJS opens every closed <details>, marking it; foldJS closes them.
const (
	unfoldJS = `document.querySelectorAll("details:not([open])").forEach(d => { d.open = true; d.dataset.unfolded = ""; })`
	foldJS   = `document.querySelectorAll("details[data-unfolded]").forEach(d => { d.open = false; delete d.dataset.unfolded; })`
)

// geometryJS measures the open page for a screen %d px wide.
const geometryJS = `(() => {
	const W = %d;
	const describe = el => {
		let s = el.tagName.toLowerCase();
		if (el.id) s += "#" + el.id;
		else if (el.classList.length) s += "." + [...el.classList].join(".");
		for (const a of ["href", "name", "value", "for"]) {
			const v = el.getAttribute(a);
			if (v !== null && !(a === "value" && el.tagName === "BUTTON")) s += "[" + a + "=\"" + v.slice(0, 60) + "\"]";
		}
		const text = (el.innerText || "").trim().replace(/\s+/g, " ");
		if (text) s += " \"" + (text.length > 40 ? text.slice(0, 40) + "…" : text) + "\"";
		const holder = el.parentElement && el.parentElement.closest("[id], section, form, nav, header, footer, li.card, .card");
		if (holder) s += " in " + holder.tagName.toLowerCase() + (holder.id ? "#" + holder.id : holder.classList.length ? "." + [...holder.classList].join(".") : "");
		return s;
	};
	// Shown: laid out with a size, not hidden, not only for screen readers.
	const shown = el => {
		const r = el.getBoundingClientRect();
		if (r.width === 0 || r.height === 0) return null;
		if (getComputedStyle(el).visibility === "hidden" || el.closest(".visually-hidden")) return null;
		return r;
	};
	const round = n => Math.round(n * 10) / 10;
	const out = {scrollWidth: document.documentElement.scrollWidth, wide: [], outside: [], small: [], scales: [], overlaps: []};

	if (out.scrollWidth > W) {
		const past = [...document.body.querySelectorAll("*")].filter(el => { const r = shown(el); return r && r.right > W + 0.5; });
		for (const el of past.filter(el => !past.some(o => o !== el && el.contains(o))).slice(0, 6)) {
			out.wide.push({el: describe(el), right: round(el.getBoundingClientRect().right)});
		}
	}

	for (const el of document.querySelectorAll("a[href], button, input[type=submit], input[type=button]")) {
		const r = shown(el);
		if (r && (r.left < -0.5 || r.right > W + 0.5)) out.outside.push({el: describe(el), left: round(r.left), right: round(r.right)});
	}

	// An inline link inside running text, a sentence of a <p> or an <li>
	// with other words beside it, is exempt from the size (WCAG 2.5.8's
	// inline exception): its height is the line's.
	const inlineInText = el => {
		if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
		const block = el.parentElement && el.parentElement.closest("p, li");
		if (!block) return false;
		let words = block.textContent;
		for (const a of block.querySelectorAll("a")) words = words.replace(a.textContent, "");
		return /[\p{L}\p{N}]/u.test(words);
	};
	// A 0–10 scale is one row of eleven choices on a phone: each must be a
	// full 44 px tall but may be 24 px wide (WCAG 2.5.8's minimum), which
	// eleven choices fit in 360 px with room between them.
	const scaleChoice = el => {
		if (!el.matches(".scale-choices.scale-11 > label.scale-choice")) return false;
		const row = [...el.parentElement.children];
		const top = row[0].getBoundingClientRect().top;
		return row.length === 11 && row.every(l => Math.abs(l.getBoundingClientRect().top - top) < 1);
	};
	// Mend's design: a 0–10 scale is one row, even on a phone.
	for (const row of document.querySelectorAll(".scale-choices.scale-11")) {
		const tops = new Set([...row.children].filter(shown).map(l => Math.round(l.getBoundingClientRect().top)));
		if (tops.size > 1) out.scales.push({el: describe(row.closest("fieldset") || row)});
	}
	// The tap area of a radio button or checkbox is its label.
	const targets = new Set();
	for (const el of document.querySelectorAll("a[href], button, summary, select, textarea, input:not([type=hidden])")) {
		if (el.matches("input[type=radio], input[type=checkbox]")) {
			targets.add(el.closest("label") || (el.id && document.querySelector("label[for=\"" + CSS.escape(el.id) + "\"]")) || el);
		} else {
			targets.add(el);
		}
	}
	for (const el of targets) {
		const r = shown(el);
		if (!r || inlineInText(el)) continue;
		const minW = scaleChoice(el) ? 24 : 44, minH = 44;
		if (r.width + 0.01 < minW || r.height + 0.01 < minH) {
			out.small.push({el: describe(el), w: round(r.width), h: round(r.height), minW, minH});
		}
	}
	// No two targets overlap, but what is fixed to the screen (a phone's tab
	// bar) and what scrolls under it.
	const fixedIn = el => { for (let e = el; e; e = e.parentElement) if (getComputedStyle(e).position === "fixed") return e; return null; };
	const placed = [...targets].map(el => ({el, r: shown(el), fixed: fixedIn(el)})).filter(x => x.r);
	for (let i = 0; i < placed.length; i++) {
		for (let j = i + 1; j < placed.length; j++) {
			const a = placed[i], b = placed[j];
			if (a.fixed !== b.fixed || a.el.contains(b.el) || b.el.contains(a.el)) continue;
			const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
			const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
			if (w > 0.5 && h > 0.5) out.overlaps.push([a, b].map(x => ({el: describe(x.el), left: round(x.r.left), right: round(x.r.right)})));
		}
	}
	return out;
})()`

// writeIndex lists the screenshots by page in pages-index.md.
func writeIndex(t *testing.T, out string, pages []auditPage, shots map[string][]string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("# Every page of Mend, at 360 and 1280 px, light and dark\n\n")
	b.WriteString("Written by TestBrowser_EveryPage (internal/e2e/pages_test.go).\n\n")
	for _, p := range pages {
		fmt.Fprintf(&b, "- %s — %s `%s`\n", p.name, p.who, p.path)
		for _, f := range shots[p.name] {
			fmt.Fprintf(&b, "  - [%s](%s)\n", f, f)
		}
	}
	must(t, "write the index", os.WriteFile(filepath.Join(out, "pages-index.md"), []byte(b.String()), 0o644))
}
