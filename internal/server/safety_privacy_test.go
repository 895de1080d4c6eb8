package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// formKeyRE finds the one thing on a page that is random per render: a
// create form's idempotency key. Mend has no CSRF tokens (it checks the
// browser's Sec-Fetch-Site and Origin instead), and the test's clock stands
// still, so nothing else differs between two renders of the same state.
var formKeyRE = regexp.MustCompile(`name="form_key" value="[^"]*"`)

// crawl opens every GET page of the router as b, the path parameters
// filled with the seeded couple's real ids, and returns each page's status,
// redirect and body by path, with form keys normalised.
func (w *world) crawl(t *testing.T, b *browser) map[string]string {
	t.Helper()
	pages := map[string]string{}
	params := w.params()
	err := chi.Walk(w.app.srv.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method != http.MethodGet || strings.Contains(route, "*") {
			return nil
		}
		path, missing := fillParams(route, params)
		if missing != "" {
			t.Fatalf("route %s: no seeded value for {%s}", route, missing)
		}
		res := b.get(path)
		pages[path] = strconv.Itoa(res.StatusCode) + " " + res.Header.Get("Location") + "\n" +
			formKeyRE.ReplaceAllString(res.body, `name="form_key" value="(key)"`)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 25 {
		t.Fatalf("crawled only %d pages", len(pages))
	}
	return pages
}

// crawlBoth crawls the partner's pages, then the therapist's. The view log
// rows the therapist's own crawl writes are removed again, so that the
// partner's Sharing page compares like with like.
func (w *world) crawlBoth(t *testing.T, ben, tess *browser) (map[string]string, map[string]string) {
	t.Helper()
	ctx := context.Background()
	var last int64
	w.app.db.Pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) FROM therapist_views`).Scan(&last)
	partner := w.crawl(t, ben)
	therapist := w.crawl(t, tess)
	if _, err := w.app.db.Pool.Exec(ctx, `DELETE FROM therapist_views WHERE id > $1`, last); err != nil {
		t.Fatal(err)
	}
	return partner, therapist
}

// samePages fails for every page whose status or HTML changed, showing the
// first line that differs.
func samePages(t *testing.T, who, when string, before, after map[string]string, except ...string) {
	t.Helper()
	paths := make([]string, 0, len(before))
	for p := range before {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		if before[p] == after[p] || slicesContains(except, p) {
			continue
		}
		b, a := strings.Split(before[p], "\n"), strings.Split(after[p], "\n")
		for i := 0; i < len(b) || i < len(a); i++ {
			var lb, la string
			if i < len(b) {
				lb = b[i]
			}
			if i < len(a) {
				la = a[i]
			}
			if lb != la {
				t.Errorf("%s: %s's page %s changed at line %d:\n  before: %.300s\n  after:  %.300s", when, who, p, i+1, lb, la)
				break
			}
		}
	}
}

func slicesContains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestSafety_NothingThePartnerOrTherapistSeesChanges: Ben and Tess's every
// page is the same before and after Ana sets the offer aside and after she
// answers the check in the most worrying way. Only the line Ana chooses to
// send Tess changes Tess's caseload and overview, and nothing of Ben's.
func TestSafety_NothingThePartnerOrTherapistSeesChanges(t *testing.T) {
	t.Parallel()
	app := newTestApp(t, nil)
	w := seedWorld(t, app)
	ben, tess, ana := w.as(t, w.ben), w.as(t, w.therapist), w.as(t, w.ana)
	partnerBefore, therapistBefore := w.crawlBoth(t, ben, tess)

	// Ana sets this month's offer aside.
	if res := ana.get("/today"); !strings.Contains(res.body, `action="/safety/check/dismiss"`) {
		t.Fatalf("Ana's Today page does not offer the check:\n%s", res.body)
	}
	wantStatus(t, ana.post("/safety/check/dismiss", nil), http.StatusSeeOther)
	if res := ana.get("/today"); strings.Contains(res.body, `action="/safety/check/dismiss"`) {
		t.Fatal("the offer is still on Today after Not now")
	}
	partner, therapist := w.crawlBoth(t, ben, tess)
	samePages(t, "Ben", "after Ana set the check aside", partnerBefore, partner)
	samePages(t, "Tess", "after Ana set the check aside", therapistBefore, therapist)

	// Ana answers every question in the most worrying way.
	key := formKeyOn(t, ana.get("/safety/check").body)
	res := ana.post("/safety/check", url.Values{"form_key": {key}, "afraid": {"often"}, "harmed": {"yes"},
		"safe_home": {"no"}, "ending_life": {"often"}})
	wantStatus(t, res, http.StatusSeeOther)
	res = ana.get(res.Header.Get("Location"))
	if !strings.Contains(res.body, "You do not have to face this alone") || !strings.Contains(res.body, `action="/safety/flag"`) {
		t.Fatalf("Ana's result page:\n%s", res.body)
	}
	partner, therapist = w.crawlBoth(t, ben, tess)
	samePages(t, "Ben", "after Ana's worrying answers", partnerBefore, partner)
	samePages(t, "Tess", "after Ana's worrying answers", therapistBefore, therapist)

	// Ana sends Tess the one line. Ben's pages stay the same; Tess's
	// caseload and overview gain that line, and say nothing else new.
	wantStatus(t, ana.post("/safety/flag", nil), http.StatusSeeOther)
	partner, therapist = w.crawlBoth(t, ben, tess)
	samePages(t, "Ben", "after Ana sent Tess the line", partnerBefore, partner)
	overview := "/caseload/" + strconv.FormatInt(w.coupleA, 10)
	samePages(t, "Tess", "after Ana sent Tess the line", therapistBefore, therapist, "/caseload", overview)
	for _, p := range []string{"/caseload", overview} {
		if strings.Contains(therapistBefore[p], "Zelphine would like to talk to you alone") ||
			!strings.Contains(therapist[p], "Zelphine would like to talk to you alone") {
			t.Errorf("Tess's %s does not show Ana's line only after she sent it:\n%s", p, therapist[p])
		}
		for _, word := range []string{"afraid", "hurt", "ending", "safety check", "worr"} {
			if strings.Contains(strings.ToLower(text(doc(t, therapist[p]))), word) {
				t.Errorf("Tess's %s says %q", p, word)
			}
		}
	}
	for p, body := range partner {
		if strings.Contains(body, "talk to you alone") || strings.Contains(body, "Zelphine would like") {
			t.Errorf("Ben's %s mentions Ana's line to Tess", p)
		}
	}
	t.Logf("compared %d of Ben's pages and %d of Tess's, four times", len(partner), len(therapist))
}

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// takeCheckLogged takes a check as b with answers and reads the result; it
// returns the log lines written meanwhile, without their time, request ID
// and duration.
func takeCheckLogged(t *testing.T, b *browser, logs *syncBuffer, answers url.Values) []string {
	t.Helper()
	start := len(logs.String())
	key := formKeyOn(t, b.get("/safety/check").body)
	answers.Set("form_key", key)
	res := b.post("/safety/check", answers)
	wantStatus(t, res, http.StatusSeeOther)
	wantStatus(t, b.get(res.Header.Get("Location")), http.StatusOK)
	wantStatus(t, b.post("/safety/check/dismiss", nil), http.StatusSeeOther)
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(logs.String()[start:]))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		delete(rec, "time")
		delete(rec, "request_id")
		delete(rec, "took")
		line, _ := json.Marshal(rec)
		lines = append(lines, string(line))
	}
	return lines
}

// TestSafety_LogsSayNothingOfTheCheck: the log lines of a worrying check
// and of a calm one are the same, and no line names an answer or a safety
// route.
func TestSafety_LogsSayNothingOfTheCheck(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	app := newTestAppLogging(t, pgtest.NewDB(t), nil, logs)
	ana, cara := startSpace(t, app, "Ana"), startSpace(t, app, "Cara")
	ana.get("/today")
	cara.get("/today")
	worrying := takeCheckLogged(t, ana, logs, url.Values{"afraid": {"often"}, "harmed": {"yes"}, "safe_home": {"no"}, "ending_life": {"often"}})
	calm := takeCheckLogged(t, cara, logs, url.Values{"afraid": {"no"}, "harmed": {"no"}, "safe_home": {"yes"}, "ending_life": {"no"}})
	if strings.Join(worrying, "\n") != strings.Join(calm, "\n") {
		t.Errorf("a worrying check logs differently from a calm one:\n%s\n---\n%s", strings.Join(worrying, "\n"), strings.Join(calm, "\n"))
	}
	if len(worrying) != 4 {
		t.Errorf("want one access line per request (4), got:\n%s", strings.Join(worrying, "\n"))
	}
	all := logs.String()
	for _, word := range []string{"often", "sometimes", "unsure", "afraid", "harmed", "safe_home", "ending_life", "/safety/check", "dismiss", "flag"} {
		if strings.Contains(all, word) {
			t.Errorf("the log mentions %q:\n%s", word, all)
		}
	}
	for _, l := range worrying {
		if !strings.Contains(l, `"route":"(private)"`) || strings.Contains(l, "bytes") {
			t.Errorf("a safety request is logged with its route or size: %s", l)
		}
	}
}
