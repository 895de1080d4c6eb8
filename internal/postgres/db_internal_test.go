package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mend-app/mend/internal/mend"
)

func TestMapErr_ConnectionLossIsUnavailable(t *testing.T) {
	cases := map[string]error{
		"admin shutdown (terminated backend)": &pgconn.PgError{Severity: "FATAL", Code: "57P01", Message: "terminating connection due to administrator command"},
		"crash shutdown":                      &pgconn.PgError{Severity: "FATAL", Code: "57P02"},
		"cannot connect now":                  &pgconn.PgError{Severity: "FATAL", Code: "57P03", Message: "the database system is starting up"},
		"connection failure (class 08)":       &pgconn.PgError{Code: "08006"},
		"connection does not exist":           &pgconn.PgError{Code: "08003"},
		"statement cancelled":                 &pgconn.PgError{Code: "57014"},
		"deadline":                            fmt.Errorf("query: %w", context.DeadlineExceeded),
		"connection closed":                   fmt.Errorf("begin: %w", pgconn.ErrConnClosed),
		"unexpected EOF":                      fmt.Errorf("read: %w", io.ErrUnexpectedEOF),
		"EOF":                                 fmt.Errorf("receive message failed: %w", io.EOF),
		"broken pipe":                         &net.OpError{Op: "write", Net: "tcp", Err: syscall.EPIPE},
		"connection reset":                    &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET},
		"closed network connection":           fmt.Errorf("write: %w", net.ErrClosed),
		"pool cannot connect":                 &pgconn.ConnectError{Config: &pgconn.Config{}},
	}
	for name, err := range cases {
		got := mapErr(err)
		if code := mend.ErrorCode(got); code != mend.Unavailable {
			t.Errorf("%s: code %q, want %q", name, code, mend.Unavailable)
		}
		if !errors.Is(got, err) {
			t.Errorf("%s: the cause is lost: %v", name, got)
		}
	}
}

func TestMapErr_OtherErrors(t *testing.T) {
	if got := mapErr(fmt.Errorf("scan: %w", pgx.ErrNoRows)); mend.ErrorCode(got) != mend.NotFound || mend.ErrorMessage(got) != "" {
		t.Errorf("no rows: %v (message %q), want NotFound without a message", got, mend.ErrorMessage(got))
	}
	for name, err := range map[string]error{
		"unique violation": &pgconn.PgError{Code: "23505"},
		"syntax error":     &pgconn.PgError{Code: "42601"},
		"plain error":      errors.New("something else"),
	} {
		if got := mapErr(err); mend.ErrorCode(got) != mend.Internal || got != err {
			t.Errorf("%s: %v (code %q), want it passed through as Internal", name, got, mend.ErrorCode(got))
		}
	}
	kept := &mend.Error{Code: mend.Conflict, Message: "Taken."}
	if got := mapErr(kept); got != kept {
		t.Errorf("a domain error is changed: %v", got)
	}
	if mapErr(nil) != nil {
		t.Error("nil is not nil")
	}
}
