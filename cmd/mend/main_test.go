package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// With MEND_TEST_RUN_MAIN set, the test binary is the mend command itself.
func TestMain(m *testing.M) {
	if os.Getenv("MEND_TEST_RUN_MAIN") == "1" {
		os.Args = append([]string{"mend"}, strings.Fields(os.Getenv("MEND_TEST_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// mendProcess runs the command with env added to a clean environment.
func mendProcess(t *testing.T, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "MEND_TEST_RUN_MAIN=1", "MEND_ADDR=127.0.0.1:0"}, env...)
	return cmd
}

// processLog collects a process's output; it may be read while the
// process runs (os/exec writes to it from a goroutine of its own).
type processLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *processLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *processLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serveUntilSIGTERM starts Mend, checks its first line and health, then
// stops it with SIGTERM and returns what it logged.
func serveUntilSIGTERM(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	var stderr processLog
	serveUntilHealthy(t, cmd, &stderr)
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("did not stop after SIGTERM\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "msg=stopped") {
		t.Fatalf("no graceful stop logged:\n%s", stderr.String())
	}
	return stderr.String()
}

// serveUntilHealthy starts Mend with its log going to stderr, checks its
// first line, its health and its landing page, and returns its base URL.
func serveUntilHealthy(t *testing.T, cmd *exec.Cmd, stderr *processLog) string {
	t.Helper()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	lines := bufio.NewReader(stdout)
	first, err := lines.ReadString('\n')
	if err != nil {
		t.Fatalf("no first line: %v\n%s", err, stderr.String())
	}
	const prefix = "Mend is listening on http://127.0.0.1:"
	if !strings.HasPrefix(first, prefix) {
		t.Fatalf("first line = %q", first)
	}
	base := strings.TrimSpace(strings.TrimPrefix(first, "Mend is listening on "))

	// The listener is up at once; the page answers when the database is ready.
	var res *http.Response
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if res, err = http.Get(base + "/healthz"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("healthz: %v\n%s", err, stderr.String())
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %d %s", res.StatusCode, body)
	}
	if res, err := http.Get(base + "/"); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("landing page: %v %v", res, err)
	}
	return base
}

func TestMain_ServesOnDatabaseURLAndStopsOnSIGTERM(t *testing.T) {
	t.Parallel()
	log := serveUntilSIGTERM(t, mendProcess(t, "DATABASE_URL="+pgtest.EmptyURL(t)))
	if !strings.Contains(log, "migration applied") {
		t.Fatalf("migrations not applied at start:\n%s", log)
	}
	if strings.Contains(log, "started local PostgreSQL") {
		t.Fatal("started a cluster although DATABASE_URL was set")
	}
}

func TestMain_StartsItsOwnPostgresWhenDatabaseURLIsUnset(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	// As root the cluster runs as the postgres user, who must pass through.
	os.Chmod(tmp, 0o755)
	os.Chmod(filepath.Dir(tmp), 0o755)
	dir := filepath.Join(tmp, "pg")
	log := serveUntilSIGTERM(t, mendProcess(t, "MEND_PG_DIR="+dir))
	if !strings.Contains(log, "started local PostgreSQL") {
		t.Fatalf("no local cluster started:\n%s", log)
	}
	// It stopped the cluster it started.
	if _, err := os.Stat(filepath.Join(dir, "data", "postmaster.pid")); !os.IsNotExist(err) {
		t.Fatalf("cluster still running after Mend stopped (postmaster.pid: %v)", err)
	}
	// A second start reuses the cluster: no new initdb, data kept.
	log = serveUntilSIGTERM(t, mendProcess(t, "MEND_PG_DIR="+dir))
	if strings.Contains(log, "migration applied") {
		t.Fatalf("second start re-applied migrations: the cluster was not reused\n%s", log)
	}
}

func TestMain_StopsTheClusterItAdoptedAfterAKill(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	os.Chmod(tmp, 0o755)
	os.Chmod(filepath.Dir(tmp), 0o755)
	dir := filepath.Join(tmp, "pg")
	pid := filepath.Join(dir, "data", "postmaster.pid")

	// Mend starts its cluster and is killed with SIGKILL: the cluster runs on.
	var stderr processLog
	killed := mendProcess(t, "MEND_PG_DIR="+dir)
	serveUntilHealthy(t, killed, &stderr)
	killed.Process.Signal(syscall.SIGKILL)
	killed.Wait()
	if _, err := os.Stat(pid); err != nil {
		t.Fatalf("the cluster stopped with the killed Mend (postmaster.pid: %v)", err)
	}
	t.Cleanup(func() { mendProcess(t, "MEND_TEST_ARGS=pg stop "+dir).Run() })

	// The next Mend adopts it, and stops it when it stops.
	log := serveUntilSIGTERM(t, mendProcess(t, "MEND_PG_DIR="+dir))
	if _, err := os.Stat(pid); !os.IsNotExist(err) {
		t.Fatalf("the adopted cluster still runs after Mend stopped (postmaster.pid: %v)\n%s", err, log)
	}
	if strings.Contains(log, "started local PostgreSQL") || !strings.Contains(log, "using local PostgreSQL already running") {
		t.Fatalf("the running cluster was not adopted:\n%s", log)
	}
	if !strings.Contains(log, "stopped local PostgreSQL") {
		t.Fatalf("no stop logged:\n%s", log)
	}
}

func TestMain_MissingPostgresSaysSoInOneLine(t *testing.T) {
	t.Parallel()
	cmd := mendProcess(t, "MEND_PG_BINDIR="+t.TempDir())
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err == nil {
		t.Fatal("started without PostgreSQL")
	}
	out := strings.TrimSpace(stderr.String())
	if strings.Count(out, "\n") != 0 || !strings.Contains(out, "install the postgresql package") || stdout.Len() != 0 {
		t.Fatalf("stdout=%q stderr=%q", stdout.String(), out)
	}
}

func TestMain_BadConfigurationNamesEachValue(t *testing.T) {
	t.Parallel()
	cmd := mendProcess(t, "MEND_LOG_LEVEL=loud", "MEND_BASE_URL=mend.example.org", "MEND_COOKIE_SECURE=maybe")
	cmd.Env = append(cmd.Env, "MEND_ADDR=localhost")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatal("started with a bad configuration")
	}
	for _, name := range []string{"MEND_ADDR", "MEND_LOG_LEVEL", "MEND_BASE_URL", "MEND_COOKIE_SECURE"} {
		if !strings.Contains(string(out), name+"=") {
			t.Errorf("no message for %s in:\n%s", name, out)
		}
	}
}

// `mend demo` seeds the demo once; run again it adds nothing, says so and
// prints the logins again, without failing.
func TestDemo_TwiceAddsNothingTheSecondTime(t *testing.T) {
	url := pgtest.URL(t)
	var outs []string
	for range 2 {
		cmd := mendProcess(t, "DATABASE_URL="+url, "MEND_TEST_ARGS=demo")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("mend demo: %v\n%s", err, out)
		}
		outs = append(outs, string(out))
	}
	for i, out := range outs {
		for _, want := range []string{"demo-1a@mend.test", "demo-1b@mend.test", "demo-therapist-1@mend.test", "gentle steps every day"} {
			if !strings.Contains(out, want) {
				t.Errorf("run %d does not print %q:\n%s", i+1, want, out)
			}
		}
	}
	if !strings.Contains(outs[0], "Seeded the demo") || !strings.Contains(outs[1], "already in this database") {
		t.Errorf("outputs:\n%s\n---\n%s", outs[0], outs[1])
	}
}
