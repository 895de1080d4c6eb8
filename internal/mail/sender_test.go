package mail_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/mail"
	"github.com/mend-app/mend/internal/mail/mailtest"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// clock is a time the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func setup(t *testing.T) (*postgres.DB, *mailtest.Server, *mail.Sender, *clock) {
	t.Helper()
	t.Parallel()
	db := pgtest.NewDB(t)
	srv := mailtest.Start(t)
	clk := &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	s := mail.NewSender(db, mail.NewSMTP(srv.Config()), quiet)
	s.Now, s.Backoff, s.MaxBackoff, s.Lease = clk.Now, time.Minute, 10*time.Minute, 5*time.Minute
	return db, srv, s, clk
}

func enqueue(t *testing.T, db *postgres.DB, at time.Time, to, subject, body string) {
	t.Helper()
	if err := db.EnqueueEmail(context.Background(), mend.Email{To: to, Subject: subject, Body: body}, at); err != nil {
		t.Fatal(err)
	}
}

func sendDue(t *testing.T, s *mail.Sender) int {
	t.Helper()
	n, err := s.SendDue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// outboxRow is what the outbox remembers of one email.
type outboxRow struct {
	Attempts  int
	LastError string
	Sent      bool
	Failed    bool
	Body      string
}

func rows(t *testing.T, db *postgres.DB) []outboxRow {
	t.Helper()
	rs, err := db.Pool.Query(context.Background(),
		`SELECT attempts, coalesce(last_error, ''), sent_at IS NOT NULL, failed_at IS NOT NULL, body FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var out []outboxRow
	for rs.Next() {
		var r outboxRow
		if err := rs.Scan(&r.Attempts, &r.LastError, &r.Sent, &r.Failed, &r.Body); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

const resetBody = "Someone asked to reset the password of your Mend account.\n\nhttps://mend.test/reset/abcdefghijklmnopqrstuvwxyz0123456789-_ABCDEFGHIJKLMNOP\n"

func TestSender_DeliversOverSMTPOnce(t *testing.T) {
	db, srv, s, clk := setup(t)
	enqueue(t, db, clk.Now(), "ana@example.org", "Reset your Mend password", resetBody)

	if n := sendDue(t, s); n != 1 {
		t.Fatalf("sent %d, want 1", n)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("server got %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if len(m.To) != 1 || m.To[0] != "ana@example.org" || m.From != "no-reply@mend.test" {
		t.Errorf("envelope: from %q to %q", m.From, m.To)
	}
	if m.Subject != "Reset your Mend password" {
		t.Errorf("subject %q", m.Subject)
	}
	if !strings.Contains(m.Body, "https://mend.test/reset/abcdefghijklmnopqrstuvwxyz0123456789-_ABCDEFGHIJKLMNOP") {
		t.Errorf("the body lacks the link whole:\n%s", m.Body)
	}
	r := rows(t, db)
	if len(r) != 1 || !r[0].Sent || r[0].Attempts != 1 || r[0].Body != "" || r[0].LastError != "" {
		t.Fatalf("outbox after sending: %+v (want sent, one attempt, body emptied)", r)
	}

	clk.Add(24 * time.Hour)
	if n := sendDue(t, s); n != 0 || len(srv.Messages()) != 1 {
		t.Fatalf("a sent email went again: sent %d, server has %d", n, len(srv.Messages()))
	}
}

func TestSender_RetriesWithBackoffUntilTheServerRecovers(t *testing.T) {
	db, srv, s, clk := setup(t)
	for i := range 3 {
		enqueue(t, db, clk.Now(), fmt.Sprintf("p%d@example.org", i), "Reset your Mend password", resetBody)
	}
	// The first two attempts of each email are refused.
	srv.Refuse(6)

	if n := sendDue(t, s); n != 0 {
		t.Fatalf("sent %d while the server refuses", n)
	}
	for _, r := range rows(t, db) {
		if r.Sent || r.Attempts != 1 || !strings.Contains(r.LastError, "451") || r.Body != resetBody {
			t.Fatalf("after a refusal: %+v", r)
		}
		if strings.Contains(r.LastError, "reset") || strings.Contains(r.LastError, "mend.test/") {
			t.Fatalf("last_error carries the message: %q", r.LastError)
		}
	}
	// Not due before the backoff ends (one minute), then due.
	clk.Add(59 * time.Second)
	if n := sendDue(t, s); n != 0 || srv.Refused() != 3 {
		t.Fatalf("retried before the backoff ended: sent %d, refused %d", n, srv.Refused())
	}
	clk.Add(time.Second)
	if n := sendDue(t, s); n != 0 || srv.Refused() != 6 {
		t.Fatalf("second attempt: sent %d, refused %d", n, srv.Refused())
	}
	// The backoff doubles: two minutes now.
	clk.Add(119 * time.Second)
	if n := sendDue(t, s); n != 0 {
		t.Fatalf("retried before the doubled backoff ended: sent %d", n)
	}
	clk.Add(time.Second)
	if n := sendDue(t, s); n != 3 {
		t.Fatalf("after recovery sent %d, want 3", n)
	}
	got := map[string]int{}
	for _, m := range srv.Messages() {
		got[m.To[0]]++
	}
	if len(got) != 3 || got["p0@example.org"] != 1 || got["p1@example.org"] != 1 || got["p2@example.org"] != 1 {
		t.Fatalf("delivered %v, want each of the three once", got)
	}
	for _, r := range rows(t, db) {
		if !r.Sent || r.Attempts != 3 || r.LastError != "" {
			t.Fatalf("after recovery: %+v", r)
		}
	}
	clk.Add(time.Hour)
	if n := sendDue(t, s); n != 0 || len(srv.Messages()) != 3 {
		t.Fatal("an email went twice")
	}
}

func TestSender_ServerDownThenUp(t *testing.T) {
	db, srv, s, clk := setup(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := srv.Config()
	down.Port = ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there now
	s.Deliverer = mail.NewSMTP(down)
	enqueue(t, db, clk.Now(), "ana@example.org", "Reset your Mend password", resetBody)

	if n := sendDue(t, s); n != 0 {
		t.Fatalf("sent %d to a server that is down", n)
	}
	if r := rows(t, db); r[0].Sent || r[0].Attempts != 1 || r[0].LastError == "" {
		t.Fatalf("after a failed connection: %+v", r[0])
	}
	s.Deliverer = mail.NewSMTP(srv.Config())
	clk.Add(time.Minute)
	if n := sendDue(t, s); n != 1 || len(srv.Messages()) != 1 {
		t.Fatalf("after the server came up: sent %d, server has %d", n, len(srv.Messages()))
	}
}

func TestSender_GivesUpAfterMaxAttempts(t *testing.T) {
	db, srv, s, clk := setup(t)
	s.MaxAttempts = 3
	srv.Refuse(100)
	enqueue(t, db, clk.Now(), "ana@example.org", "Reset your Mend password", resetBody)
	for range 5 {
		sendDue(t, s)
		clk.Add(time.Hour)
	}
	r := rows(t, db)
	if srv.Refused() != 3 || !r[0].Failed || r[0].Sent || r[0].Body != "" {
		t.Fatalf("refused %d, row %+v: want three attempts, then given up with the body emptied", srv.Refused(), r[0])
	}
}

// A sender that claimed an email and died (before or after the server took
// it) leaves it leased: nobody sends it until the lease ends, then it goes.
func TestSender_ClaimOfADeadSenderEndsWithItsLease(t *testing.T) {
	db, srv, s, clk := setup(t)
	enqueue(t, db, clk.Now(), "ana@example.org", "Reset your Mend password", resetBody)
	claimed, err := db.ClaimEmails(context.Background(), clk.Now(), 5*time.Minute, 10)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v, %v", claimed, err)
	}
	if n := sendDue(t, s); n != 0 {
		t.Fatalf("sent %d leased to another sender", n)
	}
	clk.Add(5 * time.Minute)
	if n := sendDue(t, s); n != 1 || len(srv.Messages()) != 1 {
		t.Fatalf("after the lease: sent %d, server has %d", n, len(srv.Messages()))
	}
	if r := rows(t, db); r[0].Attempts != 2 || !r[0].Sent {
		t.Fatalf("row: %+v", r[0])
	}
}

func TestSender_TwoSendersSendEachEmailOnce(t *testing.T) {
	db, srv, s, clk := setup(t)
	const n = 20
	for i := range n {
		enqueue(t, db, clk.Now(), fmt.Sprintf("p%d@example.org", i), "Reset your Mend password", resetBody)
	}
	other := mail.NewSender(db, mail.NewSMTP(srv.Config()), quiet)
	other.Now, other.Batch = clk.Now, 3
	s.Batch = 3
	var wg sync.WaitGroup
	var total [2]int
	for i, x := range []*mail.Sender{s, other} {
		wg.Go(func() {
			k, err := x.SendDue(context.Background())
			if err != nil {
				t.Error(err)
			}
			total[i] = k
		})
	}
	wg.Wait()
	got := map[string]int{}
	for _, m := range srv.Messages() {
		got[m.To[0]]++
	}
	if total[0]+total[1] != n || len(got) != n {
		t.Fatalf("senders sent %v, server got %d distinct of %d messages", total, len(got), len(srv.Messages()))
	}
	for to, k := range got {
		if k != 1 {
			t.Errorf("%s got %d copies", to, k)
		}
	}
}

func TestSender_RunStopsWithItsContext(t *testing.T) {
	db, srv, s, clk := setup(t)
	s.Poll = time.Hour // only Wake reads the outbox after the first pass
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	enqueue(t, db, clk.Now(), "ana@example.org", "Reset your Mend password", resetBody)
	s.Wake()
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.Messages()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if len(srv.Messages()) != 1 {
		t.Fatalf("Wake did not send the email: server has %d", len(srv.Messages()))
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
}

func TestLog_WritesLinksAndKeepsTheLatest(t *testing.T) {
	t.Parallel()
	var buf strings.Builder
	l := mail.NewLog(slog.New(slog.NewTextHandler(&buf, nil)))
	for i := range 60 {
		if err := l.Deliver(context.Background(), mend.Email{To: fmt.Sprintf("p%d@example.org", i), Subject: "Reset", Body: resetBody}); err != nil {
			t.Fatal(err)
		}
	}
	if !strings.Contains(buf.String(), "https://mend.test/reset/") {
		t.Errorf("the log lacks the link:\n%s", buf.String()[:200])
	}
	es := l.Emails()
	if len(es) != 50 || es[0].To != "p59@example.org" || es[49].To != "p10@example.org" {
		t.Fatalf("kept %d, first %q", len(es), es[0].To)
	}
}

// STARTTLS (the default mode) is used when offered, and required: a
// server that does not offer it gets nothing.
func TestSMTP_StartTLSIsRequired(t *testing.T) {
	t.Parallel()
	e := mend.Email{To: "ana@example.org", Subject: "Reset your Mend password", Body: resetBody}

	srv, client := mailtest.StartTLS(t)
	cfg := srv.Config()
	cfg.TLS = config.SMTPStartTLS
	d := mail.NewSMTP(cfg)
	d.TLSConfig = client
	if err := d.Deliver(context.Background(), e); err != nil {
		t.Fatalf("over STARTTLS: %v", err)
	}
	if len(srv.Messages()) != 1 {
		t.Fatalf("server got %d messages", len(srv.Messages()))
	}

	plain := mailtest.Start(t)
	cfg = plain.Config()
	cfg.TLS = config.SMTPStartTLS
	d = mail.NewSMTP(cfg)
	d.TLSConfig = client
	if err := d.Deliver(context.Background(), e); err == nil || len(plain.Messages()) != 0 {
		t.Fatalf("a server without STARTTLS got the email (err %v)", err)
	}
	// Nor does an untrusted certificate pass.
	cfg = srv.Config()
	cfg.TLS = config.SMTPStartTLS
	if err := mail.NewSMTP(cfg).Deliver(context.Background(), e); err == nil {
		t.Fatal("delivered to a server whose certificate is not trusted")
	}
}
