package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// pgbouncerPoolSize is the number of PostgreSQL connections PgBouncer
// keeps for the test's database: fewer than the two Mend processes'
// pools, so their transactions really share server connections.
const pgbouncerPoolSize = 2

// startPgBouncer runs Debian's PgBouncer in transaction pooling mode in
// front of the database at direct (a pgtest URL: a unix socket, trust
// authentication), listening on a unix socket of its own, and returns the
// URL through it and a function that stops it (also called when t ends).
// As root it runs as the postgres user, as PgBouncer refuses to run as
// root.
func startPgBouncer(t *testing.T, direct string) (pooled string, stop func()) {
	t.Helper()
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		bin = "/usr/sbin/pgbouncer"
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("PgBouncer is not installed (apt-get install pgbouncer): %v", err)
	}
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	db := strings.TrimPrefix(u.Path, "/")

	dir := t.TempDir()
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		pg, err := user.Lookup("postgres")
		if err != nil {
			t.Fatal(err)
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		os.Chmod(filepath.Dir(dir), 0o755)
		os.Chown(dir, uid, gid)
	}
	const port = "6432" // only names the socket file: no TCP listener
	ini := fmt.Sprintf(`[databases]
%[1]s = host=%[2]s port=%[3]s dbname=%[1]s

[pgbouncer]
unix_socket_dir = %[4]s
listen_port = %[5]s
auth_type = trust
auth_file = %[4]s/userlist.txt
pool_mode = transaction
default_pool_size = %[6]d
max_client_conn = 200
; Mend sends its request limits as start-up parameters, which PgBouncer
; cannot pass on: they are set on the role instead (see README.md).
ignore_startup_parameters = lock_timeout,statement_timeout,idle_in_transaction_session_timeout
`, db, q.Get("host"), q.Get("port"), dir, port, pgbouncerPoolSize)
	for name, text := range map[string]string{"pgbouncer.ini": ini, "userlist.txt": `"postgres" ""` + "\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var log strings.Builder
	cmd := exec.Command(bin, filepath.Join(dir, "pgbouncer.ini"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: cred}
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	stop = func() {
		cmd.Process.Kill()
		<-done
	}
	t.Cleanup(stop)

	pooled = (&url.URL{Scheme: "postgres", Path: "/" + db,
		RawQuery: url.Values{"host": {dir}, "port": {port}, "user": {"postgres"}}.Encode()}).String()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		conn, err := pgx.Connect(context.Background(), pooled)
		if err == nil {
			conn.Close(context.Background())
			return pooled, stop
		}
		select {
		case <-done:
			t.Fatalf("pgbouncer exited: %s", log.String())
		default:
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("pgbouncer does not answer: %v\n%s", err, log.String())
		}
	}
}

// noRedirects is a client with a cookie jar that shows redirects rather
// than following them. The jar keys cookies by host, not port, so one
// session cookie goes to both Mend processes, as behind a load balancer.
func noRedirects() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func send(t *testing.T, c *http.Client, method, target string, form url.Values) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(method, target, strings.NewReader(form.Encode()))
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(body)
}

// confirmLinkOn waits for the sign-up confirmation email, written to the
// log (no SMTP server) by whichever process sent it, and returns the
// link's path from that process's /dev/outbox.
func confirmLinkOn(t *testing.T, bases ...string) string {
	t.Helper()
	link := regexp.MustCompile(`/signup/confirm/[A-Za-z0-9_-]{43}`)
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		for _, base := range bases {
			if _, _, body := send(t, noRedirects(), "GET", base+"/dev/outbox", nil); link.MatchString(body) {
				return link.FindString(body)
			}
		}
	}
	t.Fatal("no confirmation link on either process's /dev/outbox")
	return ""
}

// Mend keeps no state of its own but PostgreSQL's, so two processes behind
// PgBouncer's transaction pooling serve the same people: a session and its
// flash message started on one process are seen on the other, and what one
// process writes the other reads.
func TestMain_TwoProcessesShareSessionsThroughPgBouncer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	direct := pgtest.EmptyURL(t)

	// Behind PgBouncer the request limits live on the role (README.md), set
	// before PgBouncer opens its first connection.
	conn, err := pgx.Connect(ctx, direct)
	if err != nil {
		t.Fatal(err)
	}
	db := conn.Config().Database
	for _, set := range []string{"lock_timeout = '2500ms'", "statement_timeout = '4s'", "idle_in_transaction_session_timeout = '60s'"} {
		if _, err := conn.Exec(ctx, `ALTER ROLE postgres IN DATABASE `+pgx.Identifier{db}.Sanitize()+` SET `+set); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close(ctx)
	pooled, stopBouncer := startPgBouncer(t, direct)

	env := []string{"DATABASE_URL=" + pooled + "&default_query_exec_mode=exec", "MEND_MIGRATE_URL=" + direct}
	var logA, logB processLog
	procA, procB := mendProcess(t, env...), mendProcess(t, env...)
	a := serveUntilHealthy(t, procA, &logA)
	b := serveUntilHealthy(t, procB, &logB)

	// The limits apply to connections through PgBouncer, although it drops
	// the start-up parameters that Mend sends.
	through, err := pgx.Connect(ctx, pooled+"&default_query_exec_mode=exec&statement_timeout=1")
	if err != nil {
		t.Fatal(err)
	}
	var timeout string
	if err := through.QueryRow(ctx, `SELECT current_setting('statement_timeout')`).Scan(&timeout); err != nil || timeout != "4s" {
		t.Fatalf("statement_timeout through PgBouncer = %q, %v; want the role's 4s", timeout, err)
	}
	through.Close(ctx)

	// Sign up on A, confirm on A with the link from the email; the next
	// page, on B, is the signed-in page with A's flash.
	c := noRedirects()
	status, loc, body := send(t, c, "POST", a+"/signup", url.Values{"name": {"Robin"}, "email": {"robin@example.org"},
		"password": {"a long and unusual passphrase"}, "time_zone": {"Europe/Berlin"}})
	if status != http.StatusSeeOther || loc != "/signup/check-email" {
		t.Fatalf("sign up on A: %d %s\n%s", status, loc, body)
	}
	confirm := confirmLinkOn(t, a, b)
	if status, _, body = send(t, c, "GET", b+confirm, nil); status != http.StatusOK || !strings.Contains(body, "Confirm and continue") {
		t.Fatalf("the link on B: %d\n%s", status, body)
	}
	if status, loc, body = send(t, c, "POST", a+confirm, nil); status != http.StatusSeeOther || loc != "/today" {
		t.Fatalf("confirm on A: %d %s\n%s", status, loc, body)
	}
	status, _, body = send(t, c, "GET", b+"/today", nil)
	if status != http.StatusOK || !strings.Contains(body, "Welcome to Mend. Your account is ready.") || !strings.Contains(body, "Robin") {
		t.Fatalf("B after sign-up on A: %d\n%s", status, body)
	}
	// B took the flash: neither process shows it again.
	for _, base := range []string{b, a} {
		if status, _, body = send(t, c, "GET", base+"/today", nil); status != http.StatusOK || strings.Contains(body, "Welcome to Mend") {
			t.Fatalf("%s/today shows the flash twice (or fails): %d\n%s", base, status, body)
		}
	}

	// A write on B (with B's flash) is read on A.
	status, loc, body = send(t, c, "POST", b+"/settings/profile", url.Values{"name": {"Robin Ash"}, "time_zone": {"Europe/Berlin"}})
	if status != http.StatusSeeOther || loc != "/settings" {
		t.Fatalf("profile on B: %d %s\n%s", status, loc, body)
	}
	status, _, body = send(t, c, "GET", a+"/settings", nil)
	if status != http.StatusOK || !strings.Contains(body, "Robin Ash") || !strings.Contains(body, "Saved.") {
		t.Fatalf("A after the write on B: %d\n%s", status, body)
	}

	// Logging in on A on another device is a session B knows.
	other := noRedirects()
	status, loc, body = send(t, other, "POST", a+"/login", url.Values{"email": {"robin@example.org"}, "password": {"a long and unusual passphrase"}})
	if status != http.StatusSeeOther || loc != "/today" {
		t.Fatalf("log in on A: %d %s\n%s", status, loc, body)
	}
	if status, _, body = send(t, other, "GET", b+"/today", nil); status != http.StatusOK || !strings.Contains(body, "Robin Ash") {
		t.Fatalf("B after log-in on A: %d\n%s", status, body)
	}

	// All of it went through PgBouncer: without it, B cannot reach the data.
	stopBouncer()
	if status, _, _ = send(t, c, "GET", b+"/healthz", nil); status != http.StatusServiceUnavailable {
		t.Fatalf("B's health with PgBouncer stopped: %d, want 503", status)
	}

	for _, p := range []*exec.Cmd{procA, procB} {
		p.Process.Signal(syscall.SIGTERM)
		p.Wait()
	}
	// Migrations ran directly against PostgreSQL, once: A applied them, B
	// found nothing to do.
	if !strings.Contains(logA.String(), "migration applied") || strings.Contains(logB.String(), "migration applied") {
		t.Fatalf("migrations: A logged\n%s\nB logged\n%s", logA.String(), logB.String())
	}
	for _, l := range []string{logA.String(), logB.String()} {
		if strings.Contains(l, "level=ERROR") {
			t.Fatalf("an error was logged:\n%s", l)
		}
	}
}
