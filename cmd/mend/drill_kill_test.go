package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// kill -9 in the middle of writes, with Mend on the local cluster it
// adopted. Restarted, Mend adopts the cluster again and the partners'
// sessions still hold; every write it acknowledged is there once; sending
// every write again with its form key (the unanswered ones are what a
// phone retries) makes no duplicate; and on SIGTERM Mend stops the cluster
// it adopted.
func TestDrill_KillDuringWritesLosesNoAcknowledgedWrite(t *testing.T) {
	t.Parallel()
	c, pgDir := drillCluster(t, 4)
	dbURL := c.URL("mend")
	var firstLog processLog
	first := mendProcess(t, "MEND_PG_DIR="+pgDir)
	base := serveUntilHealthy(t, first, &firstLog)
	if !strings.Contains(firstLog.String(), "using local PostgreSQL already running") {
		t.Fatalf("Mend did not adopt the running cluster:\n%s", firstLog.String())
	}
	// From here Mend is the cluster's only user.
	if stopped, err := c.Release(); err != nil || stopped {
		t.Fatalf("release: stopped %v, %v", stopped, err)
	}

	const workers = 8
	clients := make([]*http.Client, workers)
	for i := range workers {
		clients[i] = drillLogIn(t, base, i)
	}
	var mu sync.Mutex
	var sent, acked, unanswered []triggerWrite
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			for n := 0; ; n++ {
				w := newTriggerWrite(i, n, "kill")
				status, err := w.post(clients[i], base)
				mu.Lock()
				sent = append(sent, w)
				switch {
				case err != nil:
					unanswered = append(unanswered, w)
				case status == http.StatusSeeOther:
					acked = append(acked, w)
				default:
					t.Errorf("%q: status %d before the kill", w.words, status)
				}
				mu.Unlock()
				if err != nil {
					return // Mend is gone
				}
			}
		})
	}
	time.Sleep(1500 * time.Millisecond)
	if err := first.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	wg.Wait()
	if len(acked) == 0 || len(unanswered) == 0 {
		t.Fatalf("%d writes acknowledged and %d unanswered at the kill; the drill needs both", len(acked), len(unanswered))
	}

	var secondLog processLog
	second := mendProcess(t, "MEND_PG_DIR="+pgDir)
	base = serveUntilHealthy(t, second, &secondLog)
	if !strings.Contains(secondLog.String(), "using local PostgreSQL already running") {
		t.Fatalf("the restarted Mend did not adopt the cluster:\n%s", secondLog.String())
	}
	triggers, keys := savedTimes(t, dbURL, acked)
	for _, w := range acked {
		if triggers[w.words] != 1 || keys[w.words] != 1 {
			t.Errorf("acknowledged %q: %d triggers and %d form keys after the kill", w.words, triggers[w.words], keys[w.words])
		}
	}
	lostUnanswered := 0
	triggers, _ = savedTimes(t, dbURL, unanswered)
	for _, w := range unanswered {
		if triggers[w.words] == 0 {
			lostUnanswered++
		}
	}

	// Every write sent again, with its form key, by the same partner: the
	// sessions live in PostgreSQL, so the cookies still hold.
	for _, w := range sent {
		if status, err := w.post(clients[w.client], base); err != nil || status != http.StatusSeeOther {
			t.Errorf("%q sent again: %d %v", w.words, status, err)
		}
	}
	triggers, keys = savedTimes(t, dbURL, sent)
	for _, w := range sent {
		if triggers[w.words] != 1 || keys[w.words] != 1 {
			t.Errorf("%q after sending it again: %d triggers and %d form keys, want 1 and 1", w.words, triggers[w.words], keys[w.words])
		}
	}

	if err := second.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	_ = second.Wait()
	if !strings.Contains(secondLog.String(), "stopped local PostgreSQL") {
		t.Errorf("Mend did not stop the cluster it adopted:\n%s", secondLog.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if conn, err := pgx.Connect(ctx, dbURL); err == nil {
		conn.Close(ctx)
		t.Error("the cluster still answers after Mend stopped")
	}
	t.Logf("DRILL kill -9: %d writes sent, %d acknowledged before the kill (all present once after it), %d unanswered (%d of them not saved); all %d sent again with their form keys: each saved once",
		len(sent), len(acked), len(unanswered), lostUnanswered, len(sent))
}
