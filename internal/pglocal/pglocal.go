// Package pglocal creates, starts and stops a private PostgreSQL cluster in a
// folder, for `make run` without DATABASE_URL and for the test suite.
//
// The cluster listens on a unix socket inside its folder only (no TCP), so it
// never clashes with another PostgreSQL on the machine. PostgreSQL refuses to
// run as root; when Mend runs as root the cluster runs as the `postgres`
// system user, which Debian's postgresql package creates.
package pglocal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoServer means the PostgreSQL server binaries are not installed.
var ErrNoServer = errors.New("PostgreSQL server not found: install the postgresql package (apt-get install postgresql) or set DATABASE_URL")

// port is the socket's port number; it only names the socket file, as the
// cluster does not listen on TCP.
const port = 5432

// Options say where the cluster lives and how it runs.
type Options struct {
	// Dir holds the cluster: data/ inside it, the socket and server.log beside.
	Dir string
	// Throwaway turns off durability (fsync and friends) for test clusters,
	// whose data nobody needs after a crash. Never for `make run`'s data.
	Throwaway bool
}

// Cluster is a running local cluster.
type Cluster struct {
	Dir    string
	binDir string
	cred   *syscall.Credential // nil unless running as root
	// inUse holds a shared lock on Dir/in-use.lock from Start to Release:
	// each process using the cluster holds one, and the kernel drops it
	// when the process dies, even by kill -9.
	inUse *os.File
}

// BinDir finds the PostgreSQL server binaries (initdb, pg_ctl). It returns
// ErrNoServer when they are not installed.
func BinDir() (string, error) {
	if d := os.Getenv("MEND_PG_BINDIR"); d != "" {
		if hasServer(d) {
			return d, nil
		}
		return "", fmt.Errorf("MEND_PG_BINDIR=%s has no initdb and pg_ctl: %w", d, ErrNoServer)
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if d := strings.TrimSpace(string(out)); hasServer(d) {
			return d, nil
		}
	}
	// Debian installs each major version under /usr/lib/postgresql/<ver>/bin
	// and puts only client wrappers on PATH: take the newest version.
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return majorOf(dirs[i]) > majorOf(dirs[j]) })
	for _, d := range dirs {
		if hasServer(d) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil && hasServer(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	return "", ErrNoServer
}

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.IsDir() { // #nosec G703 -- the folder comes from Mend's own configuration
			return false
		}
	}
	return true
}

// Start creates the cluster on first use and starts it unless it is already
// running, in which case it adopts it (a cluster left running by a process
// that was killed, or one another process is using). started reports
// whether this call started the server. Either way the caller uses the
// cluster until it calls Release, which stops it when no other process
// uses it. Concurrent callers, even in different processes, are
// serialised by a lock file in Dir.
func Start(ctx context.Context, opts Options) (c *Cluster, started bool, err error) {
	binDir, err := BinDir()
	if err != nil {
		return nil, false, err
	}
	dir, err := Dir(opts.Dir)
	if err != nil {
		return nil, false, err
	}
	c = &Cluster{Dir: dir, binDir: binDir}
	// Parents open to others (the postgres user must pass through them);
	// the cluster's own folder closed to everyone but its owner.
	// #nosec G301 -- the postgres user, who runs the cluster when Mend runs as root, must pass through
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, false, err
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, false, err
	}
	if os.Geteuid() == 0 {
		if c.cred, err = postgresUser(); err != nil {
			return nil, false, err
		}
		if err := reachable(dir); err != nil {
			return nil, false, err
		}
	}
	if c.cred != nil {
		if err := os.Chown(dir, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return nil, false, err
		}
	}

	unlock, err := lockFile(ctx, filepath.Join(dir, "start.lock"))
	if err != nil {
		return nil, false, err
	}
	defer unlock()
	if err := c.use(); err != nil {
		return nil, false, err
	}
	defer func() {
		if err != nil {
			_ = c.inUse.Close() // start failed: that error is the one to report
			c.inUse = nil
		}
	}()

	if c.running() {
		return c, false, nil
	}
	if _, err := os.Stat(filepath.Join(dir, "data", "PG_VERSION")); err != nil {
		// initdb writes into a temporary folder that is renamed when it is
		// complete, so an interrupted first start never leaves a half-made
		// cluster behind for the next start to trip over.
		tmp := filepath.Join(dir, "data.initdb")
		if err := os.RemoveAll(tmp); err != nil {
			return nil, false, err
		}
		if err := c.run("initdb", "-D", tmp, "-U", "postgres",
			"--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
			return nil, false, fmt.Errorf("initdb: %w", err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, "data")); err != nil {
			return nil, false, err
		}
	}
	serverOpts := fmt.Sprintf("-k %s -p %d -c listen_addresses=", quoteOpt(dir), port)
	if opts.Throwaway {
		serverOpts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
	}
	if err := c.run("pg_ctl", "-D", filepath.Join(dir, "data"), "-l", filepath.Join(dir, "server.log"),
		"-w", "-t", "60", "-o", serverOpts, "start"); err != nil {
		return nil, false, fmt.Errorf("pg_ctl start (see %s): %w", filepath.Join(dir, "server.log"), err)
	}
	return c, true, nil
}

// use takes this process's shared lock on the cluster (see inUse).
func (c *Cluster) use() error {
	f, err := os.OpenFile(filepath.Join(c.Dir, "in-use.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil {
		_ = f.Close() // the lock's error is the one to report
		return fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	c.inUse = f
	return nil
}

// Release ends this process's use of a cluster from Start, and stops the
// server when no other process uses it, whether this process started it or
// adopted it. stopped reports whether it stopped the server. Release on a
// cluster from Open, or called twice, does nothing.
func (c *Cluster) Release() (stopped bool, err error) {
	if c.inUse == nil {
		return false, nil
	}
	// Under the start lock, so that no other process starts using the
	// cluster between the check and the stop.
	unlock, err := lockFile(context.Background(), filepath.Join(c.Dir, "start.lock"))
	if err != nil {
		return false, err
	}
	defer unlock()
	f := c.inUse
	c.inUse = nil
	defer f.Close()
	// Converting our shared lock to an exclusive one succeeds only when no
	// other process holds one.
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return false, nil
		}
		return false, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	if !c.running() {
		return false, nil
	}
	return true, c.Stop()
}

// Stop stops the server quickly and waits for it to exit.
func (c *Cluster) Stop() error {
	if !c.running() {
		return nil
	}
	return c.run("pg_ctl", "-D", filepath.Join(c.Dir, "data"), "-m", "fast", "-w", "stop")
}

// Open returns a cluster handle for Dir without starting anything, so that a
// cluster started by another process can be stopped.
func Open(dir string) (*Cluster, error) {
	binDir, err := BinDir()
	if err != nil {
		return nil, err
	}
	abs, err := Dir(dir)
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: abs, binDir: binDir}
	if os.Geteuid() == 0 {
		if c.cred, err = postgresUser(); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// URL is the connection string for database name on this cluster.
func (c *Cluster) URL(name string) string {
	q := url.Values{"host": {c.Dir}, "port": {strconv.Itoa(port)}, "user": {"postgres"}}
	return (&url.URL{Scheme: "postgres", Path: "/" + name, RawQuery: q.Encode()}).String()
}

// EnsureDatabase creates database name if it does not exist yet.
func (c *Cluster) EnsureDatabase(ctx context.Context, name string) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return err
}

func (c *Cluster) running() bool {
	cmd := exec.Command(filepath.Join(c.binDir, "pg_isready"), "-q", "-h", c.Dir, "-p", strconv.Itoa(port), "-t", "5") // #nosec G204 -- PostgreSQL's own program, from its install folder
	return cmd.Run() == nil
}

// run runs a PostgreSQL program, as the postgres user when we are root.
// It is never killed half-way (initdb and pg_ctl bound their own time), so
// a Ctrl-C during start-up leaves a cluster that stops cleanly afterwards.
func (c *Cluster) run(prog string, args ...string) error {
	cmd := exec.Command(filepath.Join(c.binDir, prog), args...) // #nosec G204 -- PostgreSQL's own programs (initdb, pg_ctl), from its install folder
	// Own process group: a Ctrl-C in the terminal reaches Mend, which then
	// stops the server in order, rather than reaching the server directly.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.cred}
	cmd.Dir = c.Dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%w: %s", err, strings.TrimSpace(string(out)))
	}
	return nil
}

func postgresUser() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root needs the postgres system user (install the postgresql package): %w", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// Dir returns the absolute folder for a cluster asked for at dir. As root,
// when a parent folder is closed to other users (a clone under /root, say),
// the postgres user could not reach dir, so the cluster lives instead in
// /var/lib/mend/<name>-<hash of dir>, one per asked-for folder.
func Dir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if os.Geteuid() != 0 || reachable(abs) == nil {
		return abs, nil
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join("/var/lib/mend", filepath.Base(abs)+"-"+hex.EncodeToString(sum[:4])), nil
}

// reachable checks that the postgres user can reach dir: every existing
// parent folder must be open to others (root owns them, not postgres).
func reachable(dir string) error {
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		if fi, err := os.Stat(p); err == nil && fi.Mode().Perm()&0o001 == 0 {
			return fmt.Errorf("the postgres user cannot reach %s because %s is closed to other users: set MEND_PG_DIR to a folder it can reach (for example /var/lib/mend)", dir, p)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

func quoteOpt(s string) string {
	if !strings.ContainsAny(s, " '\"\\") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func lockFile(ctx context.Context, path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600) // #nosec G304 -- a lock file in the cluster's folder
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			_ = f.Close() // the lock's error is the one to report
			return nil, fmt.Errorf("waiting for %s: %w", path, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Closing the file drops the lock anyway: neither error changes anything.
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); _ = f.Close() }, nil
}
