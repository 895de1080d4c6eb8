package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/pglocal"
)

// getStatus fetches target and returns its status; err when no response came.
func getStatus(c *http.Client, target string) (int, error) {
	res, err := c.Get(target)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// PostgreSQL goes away under steady load, twice: its connections are
// terminated, then it is stopped and started again. While it is away Mend
// answers 503 pages within the request deadline, never a 500 or a hang,
// and /healthz says 503; it serves again within 2 s of PostgreSQL's
// return, without a restart; every write it acknowledged is in the
// database once, and no write is half-saved.
func TestDrill_DatabaseLossGives503sAndMendRecovers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, pgDir := drillCluster(t, 4)
	dbURL := c.URL("mend")
	const deadline = 2 * time.Second
	var stderr processLog
	cmd := mendProcess(t, "DATABASE_URL="+dbURL, "MEND_DB_TIMEOUT="+deadline.String())
	base := serveUntilHealthy(t, cmd, &stderr)
	const workers = 8
	clients := make([]*http.Client, workers)
	for i := range workers {
		clients[i] = drillLogIn(t, base, i)
	}

	// The load: each partner alternately logs a trigger and opens Today.
	phases := []string{"up", "connections terminated", "stopping", "down", "starting", "back"}
	tallies := map[string]*tally{}
	for _, p := range phases {
		tallies[p] = &tally{}
	}
	var phase atomic.Value
	phase.Store("up")
	var mu sync.Mutex
	var sent, acked []triggerWrite
	var broken []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				ph, start := phase.Load().(string), time.Now()
				var status int
				var err error
				what := "GET /today"
				if n%2 == 0 {
					what = "POST /triggers"
					w := newTriggerWrite(i, n, "database")
					status, err = w.post(clients[i], base)
					mu.Lock()
					sent = append(sent, w)
					if status == http.StatusSeeOther {
						acked = append(acked, w)
					}
					mu.Unlock()
				} else {
					status, err = getStatus(clients[i], base+"/today")
				}
				if err != nil {
					mu.Lock()
					broken = append(broken, fmt.Sprintf("%s (%s): %v", what, ph, err))
					mu.Unlock()
				}
				tallies[ph].add(status, time.Since(start), deadline+time.Second, what)
			}
		})
	}
	finish := func() {
		select {
		case <-stop:
		default:
			close(stop)
			wg.Wait()
		}
	}
	defer finish()

	admin, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second)

	// 1. Every connection of Mend's pool terminated.
	phase.Store("connections terminated")
	var terminated int
	if err := admin.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'mend'`).Scan(&terminated); err != nil {
		t.Fatal(err)
	}
	admin.Close(ctx)
	if terminated == 0 {
		t.Fatal("no connection of Mend's to terminate")
	}
	time.Sleep(time.Second)
	probe := clients[0]
	if status, err := getStatus(probe, base+"/today"); err != nil || status != http.StatusOK {
		t.Fatalf("a second after its connections were terminated, Today answers %d %v", status, err)
	}

	// 2. PostgreSQL stopped: 503s, and /healthz says so, in time.
	phase.Store("stopping")
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	phase.Store("down")
	healthz := &tally{}
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		start := time.Now()
		status, err := getStatus(noRedirects(), base+"/healthz")
		if err != nil {
			t.Fatalf("/healthz with PostgreSQL down: %v", err)
		}
		healthz.add(status, time.Since(start), deadline, "GET /healthz")
	}

	// 3. PostgreSQL back: Mend serves again without a restart.
	phase.Store("starting")
	if _, _, err := pglocal.Start(ctx, pglocal.Options{Dir: pgDir, Throwaway: true}); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	var recovered time.Duration
	for time.Since(back) < 10*time.Second {
		if status, _ := getStatus(probe, base+"/today"); status == http.StatusOK {
			recovered = time.Since(back)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	phase.Store("back")
	if recovered == 0 || recovered > 2*time.Second {
		t.Errorf("Today answered 200 %v after PostgreSQL was back (0: not within 10 s), want within 2 s", recovered)
	}
	if status, err := getStatus(noRedirects(), base+"/healthz"); err != nil || status != http.StatusOK {
		t.Errorf("/healthz with PostgreSQL back: %d %v", status, err)
	}
	time.Sleep(time.Second)
	finish()

	// What the load saw, phase by phase.
	for _, b := range broken {
		t.Errorf("no response (a hang or a dropped connection): %s", b)
	}
	for _, p := range phases {
		ta := tallies[p]
		for status, n := range ta.counts {
			switch {
			case status >= 500 && status != http.StatusServiceUnavailable:
				t.Errorf("%s: %d responses with status %d", p, n, status)
			case p == "down" && status != http.StatusServiceUnavailable:
				t.Errorf("with PostgreSQL down: %d responses with status %d, want 503", n, status)
			case p == "back" && status == http.StatusServiceUnavailable:
				t.Errorf("after Mend recovered: %d responses with status 503", n)
			}
		}
		if len(ta.slow) > 0 {
			t.Errorf("%s: %d responses slower than the deadline and a second: %v", p, len(ta.slow), ta.slow)
		}
	}
	if tallies["down"].counts[http.StatusServiceUnavailable] == 0 {
		t.Error("no page was asked for while PostgreSQL was down")
	}
	if healthz.counts[http.StatusServiceUnavailable] == 0 || len(healthz.counts) != 1 || len(healthz.slow) > 0 {
		t.Errorf("/healthz with PostgreSQL down: %v, slow: %v; want 503s in time", healthz.counts, healthz.slow)
	}

	// Every acknowledged write is there once; none of the others is half there.
	triggers, keys := savedTimes(t, dbURL, sent)
	isAcked := map[string]bool{}
	for _, w := range acked {
		isAcked[w.words] = true
	}
	for _, w := range sent {
		if isAcked[w.words] && (triggers[w.words] != 1 || keys[w.words] != 1) || triggers[w.words] != keys[w.words] || triggers[w.words] > 1 {
			t.Errorf("%q (acknowledged: %v): %d triggers and %d form keys in the database", w.words, isAcked[w.words], triggers[w.words], keys[w.words])
		}
	}
	requests := 0
	for _, p := range phases {
		for _, n := range tallies[p].counts {
			requests += n
		}
	}
	t.Logf("DRILL database loss: %d requests (%d workers); %d connections terminated; by phase %s; /healthz while down %v; Today served again %v after PostgreSQL was back; %d of %d writes acknowledged, all present once",
		requests, workers, terminated, phaseCounts(phases, tallies), healthz.counts, recovered.Round(time.Millisecond), len(acked), len(sent))

	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if strings.Contains(stderr.String(), "level=ERROR") {
		t.Errorf("an error was logged (a 500?):\n%s", stderr.String())
	}
}

func phaseCounts(phases []string, tallies map[string]*tally) string {
	var b strings.Builder
	for _, p := range phases {
		fmt.Fprintf(&b, "%s %s; ", p, tallies[p])
	}
	return strings.TrimSuffix(b.String(), "; ")
}
