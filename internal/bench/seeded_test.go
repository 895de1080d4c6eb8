package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/seed"
	"github.com/mend-app/mend/internal/server"
	"github.com/mend-app/mend/internal/service"
)

// BenchmarkSeededYear seeds a year of Mend (MEND_BENCH_COUPLES couples,
// 2,000 by default; nine in ten see a therapist, each therapist 60 of
// them, the caseload the issue asks to load within budget), serves it with the real server on
// a real listener beside the baseline, loads each page with
// MEND_BENCH_WORKERS connections (64) as seeded users, interleaved over
// MEND_BENCH_ROUNDS rounds (5) of MEND_BENCH_DURATION each (2s), and
// prints one Markdown table. MEND_BENCH_ONLY (a regular expression) keeps
// only the pages it names, beside the baseline: for a CPU profile of one
// page (go test -cpuprofile). `make bench` runs it; plain `go test` does not
// (it is a benchmark), and it runs once whatever -benchtime says.
func BenchmarkSeededYear(b *testing.B) {
	couples := envInt(b, "MEND_BENCH_COUPLES", 2000)
	workers := envInt(b, "MEND_BENCH_WORKERS", 64)
	rounds := envInt(b, "MEND_BENCH_ROUNDS", 5)
	duration := envDuration(b, "MEND_BENCH_DURATION", 2*time.Second)
	ctx := context.Background()

	tracer := pgtest.NewTracer()
	db := pgtest.NewDBWith(b, postgres.Options{Tracer: tracer})
	therapists := max(1, (couples*9/10+perTherapist-1)/perTherapist)
	rep, err := seed.Run(ctx, db.Pool, seed.Options{Couples: couples, Therapists: therapists, PerTherapist: perTherapist, Seed: 1, Prefix: "seed"})
	if err != nil {
		b.Fatalf("seed: %v", err)
	}
	// As autovacuum would soon after such a load.
	if _, err := db.Pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d couples: %d rows in %s", couples, rep.Total(), rep.Took.Round(time.Second))

	base := startServer(b, db, tracer)
	client := &http.Client{
		Transport: &http.Transport{
			MaxIdleConns:        4 * workers,
			MaxIdleConnsPerHost: 4 * workers,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true, // the requests name their own Accept-Encoding
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
	b.Cleanup(client.CloseIdleConnections)
	pages := pagesFor(b, ctx, db, client, base.url, couples, workers)
	if only := os.Getenv("MEND_BENCH_ONLY"); only != "" {
		re, err := regexp.Compile(only)
		if err != nil {
			b.Fatalf("MEND_BENCH_ONLY: %v", err)
		}
		// The baseline stays: every ratio is to it.
		pages = slices.DeleteFunc(pages, func(p Page) bool { return p.Target != "" && !re.MatchString(p.Name) })
	}

	load := &Load{Client: client, Workers: workers, Duration: duration, Trips: base}
	// A short pass first, not counted: statement caches and the pool
	// fill up as on a server that has been running.
	warm := &Load{Client: client, Workers: workers, Duration: duration / 4}
	for _, p := range pages {
		warm.Run(ctx, p)
	}
	var measured [][]Round
	for r := range rounds {
		var round []Round
		for _, p := range pages {
			round = append(round, load.Run(ctx, p))
		}
		b.Logf("round %d of %d done", r+1, rounds)
		measured = append(measured, round)
	}
	if s := tracer.Strays(); len(s) > 0 {
		b.Logf("%d statements ran outside any request's context (not counted), such as %q", len(s), s[0])
	}
	fmt.Printf("\nMend on a seeded year: %d couples, %d therapists; %d connections, %d rounds of %s per page; GOMAXPROCS %d, %d CPUs (PostgreSQL on the same machine)\n\n",
		couples, therapists, workers, rounds, duration, runtime.GOMAXPROCS(0), runtime.NumCPU())
	Table(os.Stdout, pages, measured, true)
	fmt.Println()
	b.ReportMetric(measured[len(measured)-1][0].RPS(), "baseline-req/s")
}

// perTherapist is the size of each seeded therapist's caseload.
const perTherapist = 60

// front is the listener's handler: the baseline at /baseline, Mend
// everywhere else, each request with a round-trip counter in its context.
type front struct {
	url    string
	mend   http.Handler
	bare   http.Handler
	tracer *pgtest.Tracer
	trips  atomic.Int64
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, c := f.tracer.Start(r.Context())
	r = r.WithContext(ctx)
	if r.URL.Path == "/baseline" {
		f.bare.ServeHTTP(w, r)
	} else {
		f.mend.ServeHTTP(w, r)
	}
	c.Stop()
	f.trips.Add(int64(c.Count()))
}

// Reset returns the round trips counted since the last Reset.
func (f *front) Reset() int64 { return f.trips.Swap(0) }

// startServer serves Mend as cmd/mend wires it (default configuration, the
// access log formatted and thrown away) and the baseline, on a real
// listener.
func startServer(b *testing.B, db *postgres.DB, tracer *pgtest.Tracer) *front {
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(server.NewLogHandler(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: cfg.LogLevel})))
	sessions := db.NewSessionStore(10*time.Minute, log)
	f := &front{
		mend:   server.New(cfg, log, service.New(db), sessions, db.Ping),
		bare:   Baseline(db.Pool),
		tracer: tracer,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := server.HTTPServer(ln.Addr().String(), f, log)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			b.Error(err)
		}
	}()
	b.Cleanup(func() { srv.Close(); sessions.StopCleanup() })
	f.url = "http://" + ln.Addr().String()
	return f
}

// worker is who one connection acts as.
type worker struct {
	partner, therapist string // session cookies
	couple, commitment int64  // the partner's couple and one of its commitments
	caseCouple         int64  // a couple in the therapist's caseload
}

// pagesFor picks, with a fixed seed, a random partner and a random
// therapist's couple for each worker, logs each person in once, and returns
// the pages with each worker's URL and cookie, the baseline first.
func pagesFor(b *testing.B, ctx context.Context, db *postgres.DB, client *http.Client, base string, couples, workers int) []Page {
	rng := rand.New(rand.NewPCG(2026, 11))
	type link struct {
		couple    int64
		therapist string
	}
	var links []link
	rows, err := db.Pool.Query(ctx, `
		SELECT tl.couple_id, u.email FROM therapist_links tl JOIN users u ON u.id = tl.therapist_id
		WHERE tl.ended_at IS NULL ORDER BY tl.couple_id`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var l link
		if err := rows.Scan(&l.couple, &l.therapist); err != nil {
			b.Fatal(err)
		}
		links = append(links, l)
	}
	if rows.Err() != nil || len(links) == 0 {
		b.Fatalf("no therapist links seeded: %v", rows.Err())
	}

	ws := make([]worker, workers)
	emails := make([][2]string, workers)
	for i := range ws {
		side := []string{"a", "b"}[rng.IntN(2)]
		email := seed.PartnerEmail("seed", 1+rng.IntN(couples), side)
		err := db.Pool.QueryRow(ctx, `
			SELECT cm.couple_id, COALESCE(
			  (SELECT c.id FROM commitments c WHERE c.couple_id = cm.couple_id
			   ORDER BY (c.owner_id = u.id) DESC, (c.state = 'active') DESC, c.id LIMIT 1), 0)
			FROM users u JOIN couple_members cm ON cm.user_id = u.id AND cm.left_at IS NULL
			WHERE u.email = $1`, email).Scan(&ws[i].couple, &ws[i].commitment)
		if err != nil {
			b.Fatalf("%s: %v", email, err)
		}
		l := links[rng.IntN(len(links))]
		ws[i].caseCouple = l.couple
		emails[i] = [2]string{email, l.therapist}
	}
	cookies := logIn(b, client, base, emails)
	for i := range ws {
		ws[i].partner, ws[i].therapist = cookies[emails[i][0]], cookies[emails[i][1]]
	}

	page := func(name, target string, therapist bool, path func(w worker) string) Page {
		p := Page{Name: name, Target: target}
		for _, w := range ws {
			p.URLs = append(p.URLs, base+path(w))
			if therapist {
				p.Cookie = append(p.Cookie, w.therapist)
			} else if target != "" {
				p.Cookie = append(p.Cookie, w.partner)
			}
		}
		return p
	}
	fixed := func(s string) func(worker) string { return func(worker) string { return s } }
	caseload := func(suffix string) func(worker) string {
		return func(w worker) string { return fmt.Sprintf("/caseload/%d%s", w.caseCouple, suffix) }
	}
	return []Page{
		page("baseline (1 indexed query, templ table)", "", false, func(w worker) string { return fmt.Sprintf("/baseline?c=%d", w.couple) }),
		page("Today", "default", false, fixed("/today")),
		page("check-in form", "default", false, fixed("/checkin")),
		page("history", "default", false, fixed("/checkins")),
		page("trends 4 weeks", "default", false, fixed("/checkins/trends?weeks=4")),
		page("trends 52 weeks", "52w", false, fixed("/checkins/trends?weeks=52")),
		page("commitments", "default", false, fixed("/commitments")),
		page("one commitment", "default", false, func(w worker) string { return fmt.Sprintf("/commitments/%d", w.commitment) }),
		page("trigger feed", "default", false, fixed("/triggers")),
		page("patterns 4 weeks", "default", false, fixed("/triggers/patterns?weeks=4")),
		page("patterns 52 weeks", "52w", false, fixed("/triggers/patterns?weeks=52")),
		page("sharing", "default", false, fixed("/sharing")),
		page("progress 4 weeks", "default", false, fixed("/progress?weeks=4")),
		page("progress 52 weeks", "52w", false, fixed("/progress?weeks=52")),
		page("summary (2 weeks)", "default", false, fixed("/progress/summary")),
		page("therapist: caseload (60 couples)", "default", true, fixed("/caseload")),
		page("therapist: progress", "default", true, caseload("/progress")),
		page("therapist: summary", "default", true, caseload("/summary")),
		page("therapist: couple overview", "default", true, caseload("")),
		page("therapist: check-ins", "default", true, caseload("/checkins")),
		page("therapist: commitments", "default", true, caseload("/commitments")),
		page("therapist: triggers", "default", true, caseload("/triggers")),
	}
}

// logIn logs each distinct person in once (a few at a time: each log-in
// hashes a password) and returns their session cookies by email.
func logIn(b *testing.B, client *http.Client, base string, emails [][2]string) map[string]string {
	cookies := map[string]string{}
	var people []string
	for _, pair := range emails {
		for _, e := range pair {
			if _, ok := cookies[e]; !ok {
				cookies[e] = ""
				people = append(people, e)
			}
		}
	}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		sem  = make(chan struct{}, 4)
		errs []error
	)
	for _, email := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res, err := client.PostForm(base+"/login", url.Values{"email": {email}, "password": {seed.DemoPassword}})
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			var cookie string
			for _, c := range res.Cookies() {
				if strings.HasSuffix(c.Name, "mend_session") {
					cookie = c.Name + "=" + c.Value
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if res.StatusCode != http.StatusSeeOther || cookie == "" {
				errs = append(errs, fmt.Errorf("log in %s: %d, cookie %q", email, res.StatusCode, cookie))
				return
			}
			cookies[email] = cookie
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		b.Fatal(errors.Join(errs...))
	}
	return cookies
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a whole number above 0", name, v)
	}
	return n
}

func envDuration(b *testing.B, name string, def time.Duration) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		b.Fatalf("%s=%q: want a duration such as 2s", name, v)
	}
	return d
}
