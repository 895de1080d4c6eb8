// Package postgres is Mend's store: handwritten SQL over a pgx connection
// pool, with PostgreSQL errors mapped to domain errors (internal/mend).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/mend-app/mend/internal/mend"
)

// DB is the store. Its methods are safe for concurrent use.
type DB struct {
	// Pool serves requests and background work.
	Pool *pgxpool.Pool
	// health is one connection of its own for Ping (the health check), so
	// that it never waits behind page work for a connection of Pool. A DB
	// made without OpenWith has none and pings on Pool.
	health *pgxpool.Pool
	// migrate is where Migrate connects (Options.MigrateURL); nil: Pool's
	// own configuration.
	migrate *pgx.ConnConfig
}

// Options tune a DB; zero values take the defaults.
type Options struct {
	// MaxConns bounds Pool (0: DefaultMaxConns). The health check's
	// connection comes on top.
	MaxConns int32
	// Timeout is the database deadline of one request (0: 5s, as
	// MEND_DB_TIMEOUT's default); each connection's lock_timeout and
	// statement_timeout are derived from it (see SessionTimeouts).
	Timeout time.Duration
	// Tracer, when set, sees every statement of Pool (tests count round
	// trips with it; pgx also calls its BatchTracer and other tracer
	// methods where it has them).
	Tracer pgx.QueryTracer
	// MigrateURL, when set, is where Migrate connects instead of the
	// pool's URL: PostgreSQL itself, when the pool goes through a
	// transaction pooler such as PgBouncer (goose's advisory lock is held
	// by a session, which such a pooler does not keep).
	MigrateURL string
}

// DefaultMaxConns sizes the pool from the CPUs Go may use: a request spends
// most of its time waiting on round trips, not on a CPU, so four
// connections per CPU (at least four) keep the CPUs busy while leaving
// PostgreSQL's connections (100 by default) to several processes.
func DefaultMaxConns() int32 { return int32(max(4, 4*runtime.GOMAXPROCS(0))) } // #nosec G115 -- four per CPU fits in int32

// defaultTimeout is MEND_DB_TIMEOUT's default.
const defaultTimeout = 5 * time.Second

// SessionTimeouts derives the per-connection limits from a request's
// database deadline: a statement waiting for a lock gives up at half of it
// and any statement at four fifths, so PostgreSQL ends a stuck statement
// itself (the connection stays usable, unlike a cancelled one) and the
// request still has time to answer with its 503 page. Each is at least 1ms
// (0 would mean no limit).
func SessionTimeouts(deadline time.Duration) (lock, statement time.Duration) {
	return max(time.Millisecond, deadline/2), max(time.Millisecond, deadline*4/5)
}

// Open is OpenWith the default Options.
func Open(ctx context.Context, url string) (*DB, error) { return OpenWith(ctx, url, Options{}) }

// OpenWith connects the pools to url and checks that the database answers.
func OpenWith(ctx context.Context, url string, opts Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, errors.New("invalid database URL")
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = DefaultMaxConns()
	}
	if opts.Timeout <= 0 {
		opts.Timeout = defaultTimeout
	}
	cfg.MaxConns = opts.MaxConns
	// Fail fast when the server is gone, so a request gets a 503 page in
	// seconds rather than hanging; requests bound their own work further.
	cfg.ConnConfig.ConnectTimeout = 3 * time.Second
	cfg.ConnConfig.RuntimeParams["application_name"] = "mend"
	lock, statement := SessionTimeouts(opts.Timeout)
	cfg.ConnConfig.RuntimeParams["lock_timeout"] = strconv.FormatInt(lock.Milliseconds(), 10)
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = strconv.FormatInt(statement.Milliseconds(), 10)
	cfg.ConnConfig.RuntimeParams["idle_in_transaction_session_timeout"] = "60000"
	if opts.Tracer != nil {
		cfg.ConnConfig.Tracer = opts.Tracer
	}
	var migrate *pgx.ConnConfig
	if opts.MigrateURL != "" {
		if migrate, err = pgx.ParseConfig(opts.MigrateURL); err != nil {
			return nil, errors.New("invalid migration database URL")
		}
		migrate.ConnectTimeout = cfg.ConnConfig.ConnectTimeout
		migrate.RuntimeParams["application_name"] = "mend migrate"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	hcfg := cfg.Copy()
	hcfg.MaxConns, hcfg.MinConns = 1, 0
	hcfg.ConnConfig.RuntimeParams["application_name"] = "mend health"
	health, err := pgxpool.NewWithConfig(ctx, hcfg)
	if err != nil {
		pool.Close()
		return nil, err
	}
	db := &DB{Pool: pool, health: health, migrate: migrate}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("database does not answer: %w", err)
	}
	return db, nil
}

// Close closes every connection.
func (db *DB) Close() {
	db.Pool.Close()
	if db.health != nil {
		db.health.Close()
	}
}

// Ping reports whether the database answers, on the health check's own
// connection: busy page work does not delay it.
func (db *DB) Ping(ctx context.Context) error {
	if db.health == nil {
		return mapErr(db.Pool.Ping(ctx))
	}
	return mapErr(db.health.Ping(ctx))
}

// InTx runs fn in one transaction, committed when fn returns nil.
func (db *DB) InTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return mapErr(pgx.BeginFunc(ctx, db.Pool, fn))
}

// PostgreSQL error codes Mend reacts to.
const (
	codeUniqueViolation  = "23505"
	codeQueryCanceled    = "57014" // statement_timeout, or a cancelled request
	codeLockNotAvailable = "55P03" // lock_timeout
	// Class 57P: the server is going away or not ready (admin_shutdown,
	// crash_shutdown, cannot_connect_now, database_dropped).
	classOperatorIntervention = "57P"
	// Class 08: connection exceptions.
	classConnection = "08"
	// Class 22: data exceptions (a NUL byte in text 22021, a character
	// not in the encoding 22P05, a number out of range 22003, an
	// impossible date 22008…): what was sent cannot be stored.
	classDataException = "22"
)

// mapErr turns driver errors into domain errors: no rows → NotFound (with
// no message: the page has its own words), a timeout or a lost server →
// Unavailable, a value PostgreSQL cannot store (class 22) → Invalid. Other
// errors pass through as they are (Internal to the HTTP layer).
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var me *mend.Error
	if errors.As(err, &me) {
		return err
	}
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return &mend.Error{Code: mend.NotFound, Err: err}
	case unavailable(err):
		return &mend.Error{Code: mend.Unavailable, Err: err}
	case dataException(err):
		return &mend.Error{Code: mend.Invalid, Err: err}
	}
	return err
}

// dataException reports whether PostgreSQL refused a value it cannot
// store (class 22).
func dataException(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && strings.HasPrefix(pgErr.Code, classDataException)
}

// unavailable reports whether err means the database could not be reached
// or did not answer in time: a deadline or cancellation, a pool that cannot
// connect, a statement cancelled by the server, a server that terminated
// the connection or is shutting down, or a connection that broke (closed,
// reset, broken pipe, EOF).
func unavailable(err error) bool {
	var pgErr *pgconn.PgError
	var connErr *pgconn.ConnectError
	if errors.As(err, &pgErr) {
		return pgErr.Code == codeQueryCanceled || pgErr.Code == codeLockNotAvailable || strings.HasPrefix(pgErr.Code, classOperatorIntervention) ||
			strings.HasPrefix(pgErr.Code, classConnection)
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		pgconn.Timeout(err) || errors.As(err, &connErr) ||
		errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED)
}

// isUnique reports whether err is a unique violation of constraint.
func isUnique(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == codeUniqueViolation && pgErr.ConstraintName == constraint
}
