package mail

import (
	"context"
	"log/slog"
	"sync"

	"github.com/mend-app/mend/internal/mend"
)

// Log "delivers" emails by writing them to the log, for development with
// no SMTP server: account emails are short and carry no entry text, so
// the body (with its link) is logged whole. It keeps the last few in
// memory for the development outbox page.
type Log struct {
	log  *slog.Logger
	mu   sync.Mutex
	last []mend.Email // newest first
}

// logKept is how many emails the development page lists.
const logKept = 50

// NewLog returns a deliverer that writes to log.
func NewLog(log *slog.Logger) *Log { return &Log{log: log} }

// Deliver writes e to the log and keeps it; it never fails.
func (l *Log) Deliver(ctx context.Context, e mend.Email) error {
	l.log.InfoContext(ctx, "email (no SMTP server configured: written here instead)",
		"to", e.To, "subject", e.Subject, "body", e.Body)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.last = append([]mend.Email{e}, l.last[:min(len(l.last), logKept-1)]...)
	return nil
}

// Emails returns the emails written lately, newest first.
func (l *Log) Emails() []mend.Email {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]mend.Email(nil), l.last...)
}
