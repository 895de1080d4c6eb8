// Package postgres is Mend's store: handwritten SQL over a pgx connection
// pool, with PostgreSQL errors mapped to domain errors (internal/mend).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
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
	Pool *pgxpool.Pool
}

// Open connects a pool to url and checks that the database answers.
func Open(ctx context.Context, url string, opts ...Option) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, errors.New("invalid database URL")
	}
	// Fail fast when the server is gone, so a request gets a 503 page in
	// seconds rather than hanging; requests bound their own work further.
	cfg.ConnConfig.ConnectTimeout = 3 * time.Second
	cfg.ConnConfig.RuntimeParams["application_name"] = "mend"
	// A last line of defence for statements that run outside a request
	// context (session store, cleanup): nothing runs longer than this.
	cfg.ConnConfig.RuntimeParams["statement_timeout"] = "30000"
	cfg.ConnConfig.RuntimeParams["idle_in_transaction_session_timeout"] = "60000"
	for _, o := range opts {
		o(cfg)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database does not answer: %w", err)
	}
	return &DB{Pool: pool}, nil
}

// Close closes every connection.
func (db *DB) Close() { db.Pool.Close() }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return mapErr(db.Pool.Ping(ctx)) }

// InTx runs fn in one transaction, committed when fn returns nil.
func (db *DB) InTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return mapErr(pgx.BeginFunc(ctx, db.Pool, fn))
}

// PostgreSQL error codes Mend reacts to.
const (
	codeUniqueViolation = "23505"
	codeQueryCanceled   = "57014"
	// Class 57P: the server is going away or not ready (admin_shutdown,
	// crash_shutdown, cannot_connect_now, database_dropped).
	classOperatorIntervention = "57P"
	// Class 08: connection exceptions.
	classConnection = "08"
)

// mapErr turns driver errors into domain errors: no rows → NotFound (with
// no message: the page has its own words), a timeout or a lost server →
// Unavailable. Other errors pass through as they are (Internal to the
// HTTP layer).
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
	}
	return err
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
		return pgErr.Code == codeQueryCanceled || strings.HasPrefix(pgErr.Code, classOperatorIntervention) ||
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
