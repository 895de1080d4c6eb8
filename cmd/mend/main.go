// Command mend runs the Mend web app.
//
//	mend [serve]         serve Mend (the default)
//	mend migrate         apply database migrations and exit
//	mend demo            seed a demo couple and therapist, and print their logins
//	mend seed [flags]    seed many couples (benchmarks; -couples 2000 is the full scale)
//	mend backup [-o F]   write the database to a pg_dump custom-format file
//	mend pg stop [DIR]   stop the local PostgreSQL cluster in DIR (default MEND_PG_DIR)
//
// Configuration comes from the environment; see README.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/mail"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/password"
	"github.com/mend-app/mend/internal/pglocal"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/server"
	"github.com/mend-app/mend/internal/service"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mend:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return fmt.Errorf("configuration:\n  %s", strings.ReplaceAll(err.Error(), "\n", "\n  "))
	}
	log := slog.New(server.NewLogHandler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel})))

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	switch cmd {
	case "serve":
		return serve(ctx, cfg, log)
	case "migrate":
		db, cleanup, err := openDB(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer cleanup()
		return db.Migrate(ctx, log)
	case "demo":
		return demo(ctx, cfg, log, os.Stdout)
	case "seed":
		return seedCmd(ctx, cfg, log, args, os.Stdout)
	case "backup":
		return backupCmd(ctx, cfg, log, args, os.Stdout)
	case "pg":
		if len(args) == 0 || args[0] != "stop" {
			return errors.New("usage: mend pg stop [DIR]")
		}
		dir := cfg.PGDir
		if len(args) > 1 {
			dir = args[1]
		}
		c, err := pglocal.Open(dir)
		if err != nil {
			return err
		}
		return c.Stop()
	default:
		return fmt.Errorf("unknown command %q (want serve, migrate, demo, seed, backup or pg stop)", cmd)
	}
}

func serve(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	if cfg.DatabaseURL == "" {
		// Say so at once, before anything else, when PostgreSQL is missing.
		if _, err := pglocal.BinDir(); err != nil {
			return err
		}
	}
	// Listen first, so the first line of output can say where Mend is; the
	// kernel queues early connections until the database is ready.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	fmt.Printf("Mend is listening on http://%s\n", displayAddr(cfg.Addr, ln.Addr()))

	db, cleanup, err := openDB(ctx, cfg, log)
	if err != nil {
		_ = ln.Close() // not serving: the database error is the one to report
		return err
	}
	defer cleanup()
	if err := db.Migrate(ctx, log); err != nil {
		_ = ln.Close()
		return err
	}

	go password.Prepare() // so the first unknown-email log-in is not slower
	svc := service.New(db)
	sessions := db.NewSessionStore(10*time.Minute, log)
	defer sessions.StopCleanup()
	app := server.New(cfg, log, svc, sessions, db.Ping)
	if cfg.SecretKeyRandom {
		log.Warn("MEND_SECRET_KEY is not set: device cookies are signed with a key made at this start, so browsers lose their own log-in allowance, and unsubscribe links already sent stop working, at each restart and across processes")
	}
	go forgetExpired(ctx, svc, log)
	sender, devOutbox, stopSender := startSender(ctx, cfg, db, log)
	defer stopSender()
	app.SetMail(sender.Wake, devOutbox)
	stopReminders := startReminders(ctx, svc, sender.Wake, log)
	defer stopReminders()

	srv := server.HTTPServer(cfg.Addr, app, log)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	log.Info("ready", "base_url", cfg.BaseURL.String())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// openDB connects to DATABASE_URL, or starts the local cluster when it is
// unset (see databaseURL). cleanup closes the pool and releases the
// cluster.
func openDB(ctx context.Context, cfg *config.Config, log *slog.Logger) (*postgres.DB, func(), error) {
	url, release, err := databaseURL(ctx, cfg, log)
	if err != nil {
		return nil, nil, err
	}
	db, err := postgres.OpenWith(ctx, url, postgres.Options{MaxConns: cfg.DBMaxConns, Timeout: cfg.DBTimeout, MigrateURL: cfg.MigrateURL})
	if err != nil {
		release()
		return nil, nil, err
	}
	return db, func() { db.Close(); release() }, nil
}

// databaseURL is DATABASE_URL, or, when it is unset, the local cluster's
// database "mend", starting the cluster (or adopting one already running,
// say after Mend was killed). release stops the local cluster, started or
// adopted, unless another Mend process is still using it.
func databaseURL(ctx context.Context, cfg *config.Config, log *slog.Logger) (string, func(), error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, func() {}, nil
	}
	start := time.Now()
	c, started, err := pglocal.Start(ctx, pglocal.Options{Dir: cfg.PGDir})
	if err != nil {
		return "", nil, err
	}
	if started {
		log.Info("started local PostgreSQL", "dir", c.Dir, "took", time.Since(start).Round(time.Millisecond))
	} else {
		log.Info("using local PostgreSQL already running", "dir", c.Dir)
	}
	release := func() {
		switch stopped, err := c.Release(); {
		case err != nil:
			log.Warn("stop local PostgreSQL", "error", err)
		case stopped:
			log.Info("stopped local PostgreSQL", "dir", c.Dir)
		default:
			log.Info("left local PostgreSQL running for another Mend process", "dir", c.Dir)
		}
	}
	if err := c.EnsureDatabase(ctx, "mend"); err != nil {
		release()
		return "", nil, err
	}
	return c.URL("mend"), release, nil
}

// forgetExpired keeps the throttle and form-key tables small.
func forgetExpired(ctx context.Context, svc *service.Services, log *slog.Logger) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := svc.Accounts.ForgetExpired(ctx); err != nil && ctx.Err() == nil {
				log.Warn("forget expired rows", "error", err)
			}
			if _, err := svc.Resets.ForgetExpired(ctx); err != nil && ctx.Err() == nil {
				log.Warn("forget expired password resets", "error", err)
			}
		}
	}
}

// startSender runs the outbox's sender until ctx ends or the returned
// function is called (which waits for it to stop). With no SMTP server
// configured, emails are written to the log, and devOutbox lists them.
func startSender(ctx context.Context, cfg *config.Config, db *postgres.DB, log *slog.Logger) (sender *mail.Sender, devOutbox func() []mend.Email, stop func()) {
	var d mail.Deliverer
	if cfg.SMTP.Configured() {
		d = mail.NewSMTP(cfg.SMTP)
	} else {
		l := mail.NewLog(log)
		d, devOutbox = l, l.Emails
		log.Info("no SMTP server configured (MEND_SMTP_HOST): account emails are written to the log")
	}
	sender = mail.NewSender(db, d, log)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { sender.Run(ctx); close(done) }()
	return sender, devOutbox, func() { cancel(); <-done }
}

// startReminders writes due reminder emails to the outbox every minute
// until ctx ends or the returned function is called (which waits for it to
// stop), waking the sender after it wrote some.
func startReminders(ctx context.Context, svc *service.Services, wake func(), log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { svc.Reminders.Run(ctx, wake, log); close(done) }()
	return func() { cancel(); <-done }
}

// displayAddr shows the configured host name (localhost stays localhost)
// with the port actually bound.
func displayAddr(configured string, bound net.Addr) string {
	host, _, _ := net.SplitHostPort(configured)
	_, port, _ := net.SplitHostPort(bound.String())
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
