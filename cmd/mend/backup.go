package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/pglocal"
)

// backupCmd writes Mend's database to a pg_dump custom-format file: the
// database DATABASE_URL names (MEND_MIGRATE_URL when set, since a dump
// must reach PostgreSQL itself, not PgBouncer's transaction pooling), or
// the local cluster's, started for the dump when it is not running. The
// file appears whole or not at all: pg_dump writes beside it first.
// README.md says how to restore it.
func backupCmd(ctx context.Context, cfg *config.Config, log *slog.Logger, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(out)
	file := fs.String("o", "", "file to write (default mend-YYYYMMDD-HHMMSS.dump in this folder)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("usage: mend backup [-o FILE]")
	}
	if *file == "" {
		*file = "mend-" + time.Now().UTC().Format("20060102-150405") + ".dump"
	}
	url, release, err := databaseURL(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer release()
	if cfg.DatabaseURL != "" && cfg.MigrateURL != "" {
		url = cfg.MigrateURL
	}
	dump, err := pgDump()
	if err != nil {
		return err
	}
	tmp := *file + ".partial"
	start := time.Now()
	cmd := exec.CommandContext(ctx, dump, "--format=custom", "--no-owner", "--no-privileges", "--file="+tmp, "--dbname="+libpqURL(url)) // #nosec G204 -- pg_dump, found beside PostgreSQL or on PATH; the URL is the operator's own
	if msg, err := cmd.CombinedOutput(); err != nil {
		_ = os.Remove(tmp) // whatever pg_dump left; its error is the one to report
		return fmt.Errorf("pg_dump: %w: %s", err, strings.TrimSpace(string(msg)))
	}
	if err := os.Rename(tmp, *file); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	st, err := os.Stat(*file)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Wrote %s (%d bytes) in %s.\n", *file, st.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}

// pgDump finds pg_dump: beside the server binaries the local cluster uses
// (it must be as new as the server), else on PATH (the postgresql-client
// package, for a database elsewhere).
func pgDump() (string, error) {
	if dir, err := pglocal.BinDir(); err == nil {
		if p := filepath.Join(dir, "pg_dump"); fileExists(p) {
			return p, nil
		}
	}
	p, err := exec.LookPath("pg_dump")
	if err != nil {
		return "", errors.New("pg_dump not found: install the postgresql-client package")
	}
	return p, nil
}

// libpqURL drops the settings only pgx knows (pool_max_conns,
// default_query_exec_mode, …) from a connection URL: pg_dump refuses
// unknown ones.
func libpqURL(s string) string {
	u, err := neturl.Parse(s)
	if err != nil || u.RawQuery == "" {
		return s
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "pool_") || k == "default_query_exec_mode" || k == "statement_cache_capacity" || k == "description_cache_capacity" {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
