package drills

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// person is one simulated partner or therapist with their own cookies.
type person struct {
	id        int
	email     string
	therapist bool
	couples   []int64        // the partner's couple, or the therapist's linked couples
	may       map[int64]bool // the couples whose words they may read
	word      string         // the partner's couple's word
	base      string
	c         *http.Client
	st        *stats
	acked     string          // the day this partner last answered the other's check-in
	responded map[string]bool // the partner's triggers answered
}

func newClient(tr http.RoundTripper) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Transport: tr, Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// reply is one answer.
type reply struct {
	status         int
	location, body string
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func (p *person) get(path string) reply { return p.do("GET", path, nil) }

func (p *person) post(path string, f url.Values) reply { return p.do("POST", path, f) }

// do sends one request as p, times it, and checks the answer: no 5xx, and
// no word of a couple p may not read.
func (p *person) do(method, path string, f url.Values) reply {
	var body io.Reader
	if f != nil {
		body = strings.NewReader(f.Encode())
	}
	req, _ := http.NewRequest(method, p.base+path, body)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if f != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	route := method + " " + routeOf(path)
	start := time.Now()
	res, err := p.c.Do(req)
	var r reply
	if err == nil {
		b, rerr := io.ReadAll(res.Body)
		res.Body.Close()
		err = rerr
		r = reply{status: res.StatusCode, location: res.Header.Get("Location"), body: string(b)}
	}
	took := time.Since(start)
	var leak string
	own := false
	for _, m := range wordRE.FindAllStringSubmatch(r.body, -1) {
		if c, _ := strconv.ParseInt(m[1], 10, 64); !p.may[c] {
			leak = fmt.Sprintf("%s %s as %s: couple %d's word %s", method, path, p.email, c, m[0])
			break
		}
		own = true
	}
	p.st.add(route, took, r.status, err, own, leak, fmt.Sprintf("%s %s as %s: %d %v %.300s", method, path, p.email, r.status, err, r.body))
	return r
}

var (
	wordRE    = regexp.MustCompile(`cw(\d{6})q`)
	numberRE  = regexp.MustCompile(`/\d{4}-\d{2}-\d{2}|/\d+`)
	formKeyRE = regexp.MustCompile(`name="form_key" value="([^"]+)"`)
	dayRE     = regexp.MustCompile(`name="day" value="(\d{4}-\d{2}-\d{2})"`)
	respondRE = regexp.MustCompile(`action="/triggers/(\d+)/respond"`)
)

// routeOf is a path with its ids and days as placeholders, without query.
func routeOf(path string) string {
	path, _, _ = strings.Cut(path, "?")
	return numberRE.ReplaceAllStringFunc(path, func(s string) string {
		if strings.Contains(s, "-") {
			return "/{day}"
		}
		return "/{id}"
	})
}

// formKey is the key of the form posting to action on a page ("" if none).
func formKey(body, action string) string {
	i := strings.Index(body, `action="`+action+`"`)
	if i < 0 {
		return ""
	}
	m := formKeyRE.FindStringSubmatch(body[i:])
	if m == nil {
		return ""
	}
	return m[1]
}

// acknowledged: a form taken, answered with a redirect that is not to log in.
func acknowledged(r reply) bool {
	return r.status == http.StatusSeeOther && !strings.HasPrefix(r.location, "/login")
}

// partnerRoutine is one round of a partner's day: Today, a check-in, a
// trigger, the lists, answering the other partner, the Together pages and
// a journal entry. Each write carries the couple's word and a text of its
// own, kept when the answer acknowledges it.
func (p *person) partnerRoutine(iter int) {
	couple := p.couples[0]
	text := func(kind string) string { return fmt.Sprintf("%s-p%d-i%d-%s", p.word, p.id, iter, kind) }
	p.get("/today")

	// A check-in for today (after the first, a change to it).
	page := p.get("/checkin")
	if page.status == http.StatusSeeOther {
		page = p.get("/checkin?day=" + strings.TrimPrefix(page.location, "/checkins/"))
	}
	day := ""
	if m := dayRE.FindStringSubmatch(page.body); m != nil {
		day = m[1]
	}
	if key := formKey(page.body, "/checkin"); key != "" && day != "" {
		w := text("checkin")
		if r := p.post("/checkin", form("form_key", key, "day", day, "mood", strconv.Itoa(1+iter%5), "connection", "4",
			"worry", w, "visibility", "partner")); acknowledged(r) {
			p.st.wrote("checkin", w, couple)
		}
	}

	// A trigger.
	if key := formKey(p.get("/triggers/new").body, "/triggers"); key != "" {
		w := text("trigger")
		if r := p.post("/triggers", form("form_key", key, "category", "place", "intensity", "5", "what_happened", w,
			"visibility", "partner")); acknowledged(r) {
			p.st.wrote("trigger", w, couple)
		}
	}

	// Reading the lists; answering the other partner's check-in (once a
	// day) and their newest trigger.
	p.get("/checkins")
	feed := p.get("/triggers")
	p.get("/commitments")
	if day != "" && p.acked != day {
		if strings.Contains(p.get("/checkins/"+day).body, `action="/checkins/`+day+`/ack"`) {
			w := text("ack")
			if r := p.post("/checkins/"+day+"/ack", form("ack", w)); acknowledged(r) {
				p.st.wrote("ack", w, couple)
				p.acked = day
			}
		}
	}
	for _, m := range respondRE.FindAllStringSubmatch(feed.body, -1) {
		if p.responded[m[1]] {
			continue
		}
		p.responded[m[1]] = true
		w := text("response")
		if r := p.post("/triggers/"+m[1]+"/respond", form("response", w, "choice", "here")); acknowledged(r) {
			p.st.wrote("response", w, couple)
		}
		break
	}

	// Together: prompts, talk, time together, the journal.
	p.get("/prompts")
	p.get("/talk")
	p.get("/time-together")
	if key := formKey(p.get("/journal").body, "/journal"); key != "" {
		w := text("journal")
		if r := p.post("/journal", form("form_key", key, "body", w, "visibility", "partner")); acknowledged(r) {
			p.st.wrote("journal", w, couple)
		}
	}
}

// therapistRoutine is one round of a therapist's day: the caseload, then
// one linked couple's shared pages.
func (p *person) therapistRoutine(rng *rand.Rand) {
	p.get("/caseload")
	c := fmt.Sprintf("/caseload/%d", p.couples[rng.IntN(len(p.couples))])
	for _, suffix := range []string{"", "/checkins", "/triggers", "/commitments", "/journal", "/progress", "/questions", "/statement"} {
		p.get(c + suffix)
	}
}

// write is one acknowledged write: its kind, its text, its couple.
type write struct {
	kind, text string
	couple     int64
}

// stats gathers every answer of the drill.
type stats struct {
	mu                                 sync.Mutex
	took                               map[string][]time.Duration
	all                                []time.Duration
	requests, fivexx, transport, leaks int
	own                                int // answers showing words of the caller's own couples
	status                             map[int]int
	firstFail, firstLeak               string
	writes                             []write
}

func newStats() *stats {
	return &stats{took: map[string][]time.Duration{}, status: map[int]int{}}
}

func (s *stats) add(route string, took time.Duration, status int, err error, own bool, leak, what string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if own {
		s.own++
	}
	s.took[route] = append(s.took[route], took)
	s.all = append(s.all, took)
	s.status[status]++
	switch {
	case err != nil:
		s.transport++
		if s.firstFail == "" {
			s.firstFail = what
		}
	case status >= 500:
		s.fivexx++
		if s.firstFail == "" {
			s.firstFail = what
		}
	}
	if leak != "" {
		s.leaks++
		if s.firstLeak == "" {
			s.firstLeak = leak
		}
	}
}

func (s *stats) wrote(kind, text string, couple int64) {
	s.mu.Lock()
	s.writes = append(s.writes, write{kind, text, couple})
	s.mu.Unlock()
}

// pct is the p-th percentile of sorted durations.
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}

// report logs the answers by status and a table of latency per route.
func (s *stats) report(t *testing.T, d time.Duration) {
	t.Helper()
	slices.Sort(s.all)
	t.Logf("DRILL load: %d requests in %s (%.0f/s); statuses %v; p50 %s, p99 %s, max %s", s.requests, d, float64(s.requests)/d.Seconds(),
		s.status, pct(s.all, 0.50).Round(time.Microsecond), pct(s.all, 0.99).Round(time.Microsecond), s.all[len(s.all)-1].Round(time.Microsecond))
	routes := make([]string, 0, len(s.took))
	for r := range s.took {
		routes = append(routes, r)
	}
	slices.Sort(routes)
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n| route | requests | p50 | p99 |\n|---|---:|---:|---:|\n")
	for _, r := range routes {
		ds := s.took[r]
		slices.Sort(ds)
		fmt.Fprintf(&sb, "| %s | %d | %s | %s |\n", r, len(ds), pct(ds, 0.5).Round(time.Microsecond), pct(ds, 0.99).Round(time.Microsecond))
	}
	t.Log(sb.String())
}
