package postgres

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mend-app/mend/internal/mend"
)

// TestMapErr_CodesWithoutWords: the store's errors carry a code and no
// sentence; the words people read are the page's or mend's own.
func TestMapErr_CodesWithoutWords(t *testing.T) {
	for _, c := range []struct {
		err  error
		code mend.Code
	}{
		{pgx.ErrNoRows, mend.NotFound},
		{fmt.Errorf("scan: %w", pgx.ErrNoRows), mend.NotFound},
		{context.DeadlineExceeded, mend.Unavailable},
		{mend.ErrNotFound, mend.NotFound},
		{&pgconn.PgError{Code: "22021"}, mend.Invalid},
		{fmt.Errorf("insert: %w", &pgconn.PgError{Code: "22003"}), mend.Invalid},
	} {
		err := mapErr(c.err)
		if mend.ErrorCode(err) != c.code || mend.ErrorMessage(err) != "" {
			t.Errorf("mapErr(%v) = code %s, message %q; want %s and no message", c.err, mend.ErrorCode(err), mend.ErrorMessage(err), c.code)
		}
		if !errors.Is(err, c.err) {
			t.Errorf("mapErr(%v) lost its cause", c.err)
		}
	}
}
