package pglocal

import (
	"os"
	"path/filepath"
	"strings"
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
