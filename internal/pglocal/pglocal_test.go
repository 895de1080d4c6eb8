package pglocal

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestDir_FallsBackWhenPostgresCannotReachTheFolder(t *testing.T) {
	closed := t.TempDir() // mode 0700: closed to the postgres user
	want := filepath.Join(closed, "project", ".mend", "postgres")
	got, err := Dir(want)
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() != 0 {
		if got != want {
			t.Fatalf("as a normal user the folder is used as it is: got %s", got)
		}
		return
	}
	if !strings.HasPrefix(got, "/var/lib/mend/postgres-") {
		t.Fatalf("as root behind a closed folder: got %s, want a folder under /var/lib/mend", got)
	}
	again, _ := Dir(want)
	other, _ := Dir(filepath.Join(closed, "other", ".mend", "postgres"))
	if again != got || other == got {
		t.Fatalf("fallback must be stable per folder and differ between folders: %s %s %s", got, again, other)
	}
	open := filepath.Join(os.TempDir(), "mend-open", "postgres")
	if got, _ := Dir(open); got != open {
		t.Fatalf("a reachable folder is used as it is: %s", got)
	}
}

func TestBinDir_MissingServerSaysInstallPostgresql(t *testing.T) {
	t.Setenv("MEND_PG_BINDIR", t.TempDir())
	_, err := BinDir()
	if err == nil || !strings.Contains(err.Error(), "install the postgresql package") {
		t.Fatalf("err = %v", err)
	}
}

// With MEND_PGLOCAL_HELPER_DIR set, the test binary starts (or adopts) the
// cluster in that folder, says so on stdout, and waits to be killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("MEND_PGLOCAL_HELPER_DIR"); dir != "" {
		c, started, err := Start(context.Background(), Options{Dir: dir, Throwaway: true})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("using", c.Dir, "started", started)
		select {}
	}
	os.Exit(m.Run())
}

// clusterFolder is a folder the postgres user can reach when the tests run
// as root; the cluster in it is stopped and removed when t ends.
func clusterFolder(t *testing.T) string {
	t.Helper()
	if _, err := BinDir(); err != nil {
		t.Fatal(err)
	}
	parent, err := os.MkdirTemp("", "mend-pglocal-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(parent, 0o755)
	dir := filepath.Join(parent, "pg")
	t.Cleanup(func() {
		if c, err := Open(dir); err == nil {
			c.Stop()
		}
		os.RemoveAll(parent)
	})
	return dir
}

func TestRelease_StopsAClusterAdoptedAfterTheStarterWasKilled(t *testing.T) {
	t.Parallel()
	dir := clusterFolder(t)
	ctx := context.Background()

	// A process starts the cluster and is killed with SIGKILL: it cannot
	// stop anything, and the server runs on.
	helper := exec.Command(os.Args[0], "-test.run=^$")
	helper.Env = append(os.Environ(), "MEND_PGLOCAL_HELPER_DIR="+dir)
	out, _ := helper.StdoutPipe()
	helper.Stderr = os.Stderr
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasSuffix(strings.TrimSpace(line), "started true") {
		helper.Process.Kill()
		t.Fatalf("helper: %q %v", line, err)
	}
	helper.Process.Signal(syscall.SIGKILL)
	helper.Wait()

	// The next process adopts it, and so does another.
	first, started, err := Start(ctx, Options{Dir: dir, Throwaway: true})
	if err != nil || started {
		t.Fatalf("after kill -9: started %v, %v; want the running cluster adopted", started, err)
	}
	second, started, err := Start(ctx, Options{Dir: dir, Throwaway: true})
	if err != nil || started {
		t.Fatalf("second user: started %v, %v", started, err)
	}
	// The first to leave leaves it to the other; the last stops it.
	if stopped, err := first.Release(); err != nil || stopped || !first.running() {
		t.Fatalf("release with another user: stopped %v, %v, running %v", stopped, err, first.running())
	}
	if stopped, err := first.Release(); err != nil || stopped {
		t.Fatalf("second release of the same handle: stopped %v, %v", stopped, err)
	}
	if stopped, err := second.Release(); err != nil || !stopped || second.running() {
		t.Fatalf("release by the last user: stopped %v, %v, running %v", stopped, err, second.running())
	}
	if _, err := os.Stat(filepath.Join(second.Dir, "data", "postmaster.pid")); !os.IsNotExist(err) {
		t.Fatalf("postmaster.pid after the stop: %v", err)
	}

	// Started afresh, it is stopped the same way.
	c, started, err := Start(ctx, Options{Dir: dir, Throwaway: true})
	if err != nil || !started {
		t.Fatalf("start after the stop: started %v, %v", started, err)
	}
	if stopped, err := c.Release(); err != nil || !stopped || c.running() {
		t.Fatalf("release of a started cluster: stopped %v, %v, running %v", stopped, err, c.running())
	}
}
