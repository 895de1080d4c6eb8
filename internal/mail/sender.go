// Package mail delivers Mend's account emails from the outbox: a sender
// that runs inside the Mend process claims due emails, hands them to a
// Deliverer (an SMTP server, or the log in development) and marks them
// sent, retrying failures with an exponential backoff.
//
// Delivery is at least once. A claim moves an email's next attempt past a
// lease and is committed before the email is sent; the email is marked
// sent after the server accepted it. A process that dies between the two
// sends that email again when the lease ends, and nothing else is sent
// twice: an email marked sent is never claimed again, and a leased email
// is not claimed by another sender until its lease ends. Losing a password
// reset link would be worse than a second copy of it.
package mail

import (
	"context"
	"log/slog"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// Store is the outbox, as the sender needs it (internal/postgres.DB).
type Store interface {
	ClaimEmails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]mend.Email, error)
	MarkEmailSent(ctx context.Context, id int64, at time.Time) error
	RetryEmail(ctx context.Context, id int64, next time.Time, lastError string) error
	GiveUpEmail(ctx context.Context, id int64, at time.Time, lastError string) error
	DeleteEmailsBefore(ctx context.Context, before time.Time) (int64, error)
}

// Deliverer hands one email to its way out. An error means the email may
// not have been delivered; it should say what the server answered, never
// the message.
type Deliverer interface {
	Deliver(ctx context.Context, e mend.Email) error
}

// Defaults of a Sender's tuning.
const (
	DefaultPoll        = 5 * time.Second
	DefaultLease       = 10 * time.Minute
	DefaultBackoff     = 30 * time.Second
	DefaultMaxBackoff  = time.Hour
	DefaultMaxAttempts = 10 // about four hours of trying with the default backoff
	DefaultBatch       = 10
	DefaultKeep        = 7 * 24 * time.Hour
	maxErrorLength     = 300
)

// Sender moves emails from the outbox to a Deliverer. Zero fields take
// the defaults above; Log and Now are optional too.
type Sender struct {
	Store     Store
	Deliverer Deliverer
	Log       *slog.Logger
	Now       func() time.Time
	// Poll is how often the outbox is read when nothing wakes the sender.
	Poll time.Duration
	// Lease is how long a claimed email is left to its sender before
	// another may claim it; longer than any one delivery can take.
	Lease time.Duration
	// Backoff is the wait after a first failure, doubled after each
	// further one up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// MaxAttempts is how many attempts are made before giving up.
	MaxAttempts int
	// Batch is how many emails one claim takes.
	Batch int
	// Keep is how long sent emails are remembered (their body is emptied
	// when they are sent).
	Keep time.Duration

	wake chan struct{}
}

// NewSender returns a sender on store and d with the default tuning.
func NewSender(store Store, d Deliverer, log *slog.Logger) *Sender {
	return &Sender{Store: store, Deliverer: d, Log: log, wake: make(chan struct{}, 1)}
}

// Wake asks the sender to read the outbox now rather than at its next
// poll (after an action wrote an email). It never blocks.
func (s *Sender) Wake() {
	if s == nil || s.wake == nil {
		return
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run sends due emails until ctx ends, reading the outbox every Poll and
// whenever Wake is called. An email being delivered when ctx ends is left
// to its lease (another run sends it again).
func (s *Sender) Run(ctx context.Context) {
	if s.wake == nil {
		s.wake = make(chan struct{}, 1)
	}
	t := time.NewTicker(or(s.Poll, DefaultPoll))
	defer t.Stop()
	lastForget := time.Time{}
	for {
		if _, err := s.SendDue(ctx); err != nil && ctx.Err() == nil {
			s.log().Warn("send emails", "error", err)
		}
		if now := s.now(); now.Sub(lastForget) > time.Hour {
			lastForget = now
			if _, err := s.Store.DeleteEmailsBefore(ctx, now.Add(-or(s.Keep, DefaultKeep))); err != nil && ctx.Err() == nil {
				s.log().Warn("forget sent emails", "error", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.wake:
		}
	}
}

// SendDue claims and delivers due emails until none is due, and returns
// how many were delivered. A failed delivery is scheduled again (or given
// up after MaxAttempts); the error returned is the store's, if any.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	sent := 0
	for ctx.Err() == nil {
		es, err := s.Store.ClaimEmails(ctx, s.now(), or(s.Lease, DefaultLease), max(1, orInt(s.Batch, DefaultBatch)))
		if err != nil {
			return sent, err
		}
		if len(es) == 0 {
			return sent, nil
		}
		for _, e := range es {
			if ctx.Err() != nil {
				return sent, nil // the rest wait for their lease to end
			}
			ok, err := s.deliver(ctx, e)
			if err != nil {
				return sent, err
			}
			if ok {
				sent++
			}
		}
	}
	return sent, nil
}

// deliver sends one claimed email and records the outcome.
func (s *Sender) deliver(ctx context.Context, e mend.Email) (bool, error) {
	derr := s.Deliverer.Deliver(ctx, e)
	// Record the outcome even when ctx ended meanwhile: a delivered email
	// left unmarked would go out again.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	now := s.now()
	if derr == nil {
		s.log().Info("email sent", "email_id", e.ID, "attempt", e.Attempts)
		return true, s.Store.MarkEmailSent(rctx, e.ID, now)
	}
	msg := truncate(derr.Error(), maxErrorLength)
	if e.Attempts >= orInt(s.MaxAttempts, DefaultMaxAttempts) {
		s.log().Error("email given up", "email_id", e.ID, "attempts", e.Attempts, "error", msg)
		return false, s.Store.GiveUpEmail(rctx, e.ID, now, msg)
	}
	wait := s.backoff(e.Attempts)
	s.log().Warn("email not sent, will retry", "email_id", e.ID, "attempt", e.Attempts, "retry_in", wait, "error", msg)
	return false, s.Store.RetryEmail(rctx, e.ID, now.Add(wait), msg)
}

// backoff is the wait after the attempt-th failure: Backoff doubled for
// each earlier failure, at most MaxBackoff.
func (s *Sender) backoff(attempt int) time.Duration {
	d, top := or(s.Backoff, DefaultBackoff), or(s.MaxBackoff, DefaultMaxBackoff)
	for i := 1; i < attempt && d < top; i++ {
		d *= 2
	}
	return min(d, top)
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func orInt(n, def int) int {
	if n > 0 {
		return n
	}
	return def
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
