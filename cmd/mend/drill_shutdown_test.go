package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/seed"
	"github.com/mend-app/mend/internal/service"
)

// slowRequest is a request written in two parts over its own connection:
// the first part before the SIGTERM, the rest after it.
type slowRequest struct {
	what       string
	first      string
	rest       string
	want       int
	wantPrefix string // of the Location header
	key, words string // a check-in's form key and words
}

// slowPost is a form POST whose body arrives in two halves.
func slowPost(addr, path, cookie string, form url.Values) (first, rest string) {
	body := form.Encode()
	head := "POST " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Sec-Fetch-Site: same-origin\r\nConnection: close\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n"
	if cookie != "" {
		head += "Cookie: " + cookie + "\r\n"
	}
	return head + "\r\n" + body[:len(body)/2], body[len(body)/2:]
}

// A SIGTERM arrives with 50 slow requests in flight: year-long trends
// pages waiting for the check-ins table (another connection holds a lock
// on it across the SIGTERM), log-ins and check-ins whose bodies are half
// uploaded. New connections are refused at once; all 50 are answered in
// full; every check-in sent during the shutdown is saved whole, with its
// form key, exactly once; and Mend then exits cleanly.
func TestDrill_SIGTERMFinishesTheFiftyRequestsInFlight(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _ := drillCluster(t, 10)
	var stderr processLog
	// A pool large enough for the 15 trends pages to wait on the lock at once.
	// A request's deadline starts when its headers arrive, and the drill holds
	// the requests open for seconds (more on a busy machine): the deadline is
	// longer than the default so that what is tested is the shutdown, not it.
	cmd := mendProcess(t, "DATABASE_URL="+c.URL("mend"), "MEND_DB_MAX_CONNS=24", "MEND_DB_TIMEOUT=20s")
	base := serveUntilHealthy(t, cmd, &stderr)
	addr := strings.TrimPrefix(base, "http://")

	const partners, trends = 20, 15
	cookies := make([]string, partners)
	for i := range partners {
		cookies[i] = cookieHeader(drillLogIn(t, base, i), base)
	}
	var reqs []slowRequest
	for i := range trends { // a year of trends, the heaviest page a partner opens
		reqs = append(reqs, slowRequest{what: "trends", want: http.StatusOK,
			first: "GET /checkins/trends?weeks=52 HTTP/1.1\r\nHost: " + addr + "\r\nCookie: " + cookies[i] + "\r\nConnection: close\r\n\r\n"})
	}
	for i := range 15 { // log-ins, each with a password hash to check
		first, rest := slowPost(addr, "/login", "", url.Values{"email": {drillPartner(i)}, "password": {seed.DemoPassword}})
		reqs = append(reqs, slowRequest{what: "log-in", first: first, rest: rest, want: http.StatusSeeOther, wantPrefix: "/today"})
	}
	for i := range partners { // every partner's check-in for today
		key, words := service.NewFormKey(), fmt.Sprintf("shutdown drill check-in %d %s", i, service.NewFormKey()[:8])
		first, rest := slowPost(addr, "/checkin", cookies[i], url.Values{"mood": {"3"}, "connection": {"6"}, "feel": {words},
			"visibility": {"partner"}, "form_key": {key}})
		reqs = append(reqs, slowRequest{what: "check-in", first: first, rest: rest, want: http.StatusSeeOther, wantPrefix: "/checkins/",
			key: key, words: words})
	}
	if len(reqs) != 50 {
		t.Fatalf("%d requests, want 50", len(reqs))
	}

	locker, err := pgx.Connect(ctx, c.URL("mend"))
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close(ctx)
	// A second connection watches: pg_stat_activity holds still within a transaction.
	watcher, err := pgx.Connect(ctx, c.URL("mend"))
	if err != nil {
		t.Fatal(err)
	}
	defer watcher.Close(ctx)
	tx, err := locker.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE checkins IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	conns := make([]net.Conn, len(reqs))
	for i, rq := range reqs {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
		if _, err := io.WriteString(conn, rq.first); err != nil {
			t.Fatal(err)
		}
		conns[i] = conn
	}
	// In flight: the trends pages wait for the lock, the forms for their bodies.
	waiting := 0
	for end := time.Now().Add(5 * time.Second); waiting < trends && time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if err := watcher.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
	}
	if waiting < trends {
		t.Fatalf("%d trends pages wait for the lock, want %d", waiting, trends)
	}
	time.Sleep(100 * time.Millisecond) // the log-ins' and check-ins' first halves have arrived
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	sent := time.Now()
	refused := time.Duration(0)
	for time.Since(sent) < 2*time.Second {
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			refused = time.Since(sent)
			break
		}
		conn.Close()
		time.Sleep(5 * time.Millisecond)
	}
	if refused == 0 {
		t.Errorf("new connections were still accepted 2 s after SIGTERM")
	}
	time.Sleep(200 * time.Millisecond) // shutting down, with all 50 still open
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	for i, rq := range reqs {
		if _, err := io.WriteString(conns[i], rq.rest); err != nil {
			t.Errorf("%s %d: the rest of the request: %v", rq.what, i, err)
		}
	}
	answered := 0
	for i, rq := range reqs {
		res, err := http.ReadResponse(bufio.NewReader(conns[i]), nil)
		if err != nil {
			t.Errorf("%s %d: no response: %v", rq.what, i, err)
			continue
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		switch {
		case err != nil:
			t.Errorf("%s %d: the response broke off: %v", rq.what, i, err)
		case res.StatusCode != rq.want || !strings.HasPrefix(res.Header.Get("Location"), rq.wantPrefix):
			t.Errorf("%s %d: %d %s, want %d %s…\n%.300s", rq.what, i, res.StatusCode, res.Header.Get("Location"), rq.want, rq.wantPrefix, body)
		case rq.want == http.StatusOK && !strings.HasSuffix(strings.TrimSpace(string(body)), "</html>"):
			t.Errorf("%s %d: the page is cut short (%d bytes)", rq.what, i, len(body))
		default:
			answered++
		}
	}

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil || !strings.Contains(stderr.String(), "msg=stopped") {
			t.Errorf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("Mend did not stop\n%s", stderr.String())
	}

	// Each check-in sent during the shutdown is saved whole: the record and
	// its form key, once (a half-saved one would have one without the other).
	saved := 0
	for _, rq := range reqs {
		if rq.key == "" {
			continue
		}
		var checkins, keys int
		if err := watcher.QueryRow(ctx, `SELECT (SELECT count(*) FROM checkins WHERE feel = $1), (SELECT count(*) FROM form_submissions WHERE key_hash = $2)`,
			rq.words, service.FormKeyHash(rq.key)).Scan(&checkins, &keys); err != nil {
			t.Fatal(err)
		}
		if checkins != 1 || keys != 1 {
			t.Errorf("%q: %d check-ins and %d form keys saved, want 1 and 1", rq.words, checkins, keys)
		} else {
			saved++
		}
	}
	t.Logf("DRILL shutdown: %d of %d requests in flight answered in full after SIGTERM (%d of them pages waiting in the database); new connections refused %v after it; %d of %d check-ins sent during the shutdown saved whole",
		answered, len(reqs), trends, refused.Round(time.Millisecond), saved, partners)
}
