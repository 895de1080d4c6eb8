package main

// The drills run Mend as a process and break things around it: a SIGTERM
// with requests in flight, PostgreSQL going away under load, a kill -9
// during writes. Each drill has a cluster of its own (it stops and
// restarts it), seeded with a year of couples by internal/seed, and checks
// in the database that every write Mend acknowledged is there, once.

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/pglocal"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/seed"
	"github.com/mend-app/mend/internal/service"
)

const drillPrefix = "drill"

// drillCluster starts a local cluster for one drill in a folder of its own
// (pgDir) with a migrated database "mend" holding couples seeded couples
// and one therapist. The cluster is stopped and removed after the test.
func drillCluster(t *testing.T, couples int) (c *pglocal.Cluster, pgDir string) {
	t.Helper()
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "mend-drill-")
	if err != nil {
		t.Fatal(err)
	}
	// #nosec G302 -- the postgres user, who runs the cluster when tests run as root, must pass through
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	pgDir = filepath.Join(dir, "pg")
	c, _, err = pglocal.Start(ctx, pglocal.Options{Dir: pgDir, Throwaway: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if c, err := pglocal.Open(pgDir); err == nil {
			_ = c.Stop()
		}
		_ = os.RemoveAll(dir)
	})
	if err := c.EnsureDatabase(ctx, "mend"); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, c.URL("mend"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if _, err := seed.Run(ctx, db.Pool, seed.Options{Couples: couples, Therapists: 1, Seed: 17, Prefix: drillPrefix}); err != nil {
		t.Fatal(err)
	}
	return c, pgDir
}

// drillPartner is the login of the i-th seeded partner (0, 1 are couple 1's).
func drillPartner(i int) string {
	return seed.PartnerEmail(drillPrefix, i/2+1, string(rune('a'+i%2)))
}

// drillLogIn logs the i-th seeded partner in and returns their client.
func drillLogIn(t *testing.T, base string, i int) *http.Client {
	t.Helper()
	c := noRedirects()
	status, loc, body := send(t, c, "POST", base+"/login", url.Values{"email": {drillPartner(i)}, "password": {seed.DemoPassword}})
	if status != http.StatusSeeOther || loc != "/today" {
		t.Fatalf("log in as %s: %d %s\n%.300s", drillPartner(i), status, loc, body)
	}
	return c
}

// cookieHeader is the Cookie header c sends to base.
func cookieHeader(c *http.Client, base string) string {
	u, _ := url.Parse(base)
	var parts []string
	for _, ck := range c.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

// triggerWrite is one trigger sent by a drill: its words are unique, so the
// database says whether it was saved, and how often.
type triggerWrite struct {
	client int
	key    string // the form key
	words  string // what_happened
}

func newTriggerWrite(client, n int, drill string) triggerWrite {
	return triggerWrite{client: client, key: service.NewFormKey(), words: fmt.Sprintf("%s drill write %d-%d %s", drill, client, n, service.NewFormKey()[:8])}
}

func (w triggerWrite) form() url.Values {
	return url.Values{"category": {"place"}, "intensity": {"4"}, "when": {""}, "what_happened": {w.words},
		"visibility": {"partner"}, "form_key": {w.key}}
}

// post sends w with client c; err is set when no response came.
func (w triggerWrite) post(c *http.Client, base string) (status int, err error) {
	req, _ := http.NewRequest("POST", base+"/triggers", strings.NewReader(w.form().Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

// savedTimes counts the triggers in the database with each write's words,
// and the form keys recorded for them.
func savedTimes(t *testing.T, dbURL string, writes []triggerWrite) (triggers, keys map[string]int) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	triggers, keys = map[string]int{}, map[string]int{}
	for _, w := range writes {
		var n, k int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM triggers WHERE what_happened = $1`, w.words).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM form_submissions WHERE key_hash = $1`, service.FormKeyHash(w.key)).Scan(&k); err != nil {
			t.Fatal(err)
		}
		triggers[w.words], keys[w.words] = n, k
	}
	return triggers, keys
}

// tally counts responses by status, safely from many goroutines.
type tally struct {
	mu     sync.Mutex
	counts map[int]int
	slow   []string
}

func (ta *tally) add(status int, took time.Duration, limit time.Duration, what string) {
	ta.mu.Lock()
	defer ta.mu.Unlock()
	if ta.counts == nil {
		ta.counts = map[int]int{}
	}
	ta.counts[status]++
	if took > limit {
		ta.slow = append(ta.slow, fmt.Sprintf("%s took %v", what, took.Round(time.Millisecond)))
	}
}

func (ta *tally) String() string {
	ta.mu.Lock()
	defer ta.mu.Unlock()
	return fmt.Sprint(ta.counts)
}
