package pgtest

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Tracer counts round trips to PostgreSQL per unit of work (in Mend's
// tests, one HTTP request). Install it as postgres.Options.Tracer; Start puts
// a counter in a context, and every statement run with that context, or
// one derived from it, is counted there.
//
// What counts as one round trip:
//   - each Query, QueryRow and Exec, on a pool, a connection or a
//     transaction. Begin, Commit and Rollback are Exec calls in pgx
//     ("begin", "commit", "rollback"; also savepoints), so each counts one;
//   - each SendBatch, however many statements it holds (pgx pipelines
//     them);
//   - each CopyFrom;
//   - each explicit Prepare that reaches the server;
//   - each connection acquired from the pool and released with no traced
//     statement in between: pgxpool's Pool.Ping, whose empty statement pgx
//     does not trace.
//
// Not counted: the preparation pgx's statement cache does the first time a
// connection runs a statement, the liveness ping pgxpool sends on acquiring
// a connection idle for over a second, and opening new connections. These
// depend on the state of the pool rather than on the code under test (a
// warm pool does none of them), so counting them would make the numbers
// change from run to run.
//
// A statement run with no counter in its context while a counter is open is
// a stray (see Strays): work for a request that escaped its context.
type Tracer struct {
	mu     sync.Mutex
	leases map[*pgx.Conn]*lease
	open   int
	strays []what
}

// Trips is the count of one unit of work. Its methods are safe for
// concurrent use (a page may query on several connections at once).
type Trips struct {
	tracer  *Tracer
	mu      sync.Mutex
	n       int
	stmts   []what
	stopped bool
	late    []what
}

// lease is a connection acquired from the pool, and by whom.
type lease struct {
	trips *Trips
	used  bool
}

type tripsKey struct{}

// inStatementKey marks the context pgx passes on inside a traced call, so
// that the statement cache's own Prepare is not counted a second time.
type inStatementKey struct{}

// NewTracer returns a tracer with no counters.
func NewTracer() *Tracer { return &Tracer{leases: map[*pgx.Conn]*lease{}} }

// Start returns ctx carrying a new counter. Call Stop when the work is done.
func (t *Tracer) Start(ctx context.Context) (context.Context, *Trips) {
	c := &Trips{tracer: t}
	t.mu.Lock()
	t.open++
	t.mu.Unlock()
	return context.WithValue(ctx, tripsKey{}, c), c
}

// Stop closes the count: statements that still arrive with its context are
// recorded as late (see Late) and not counted. Stop is idempotent.
func (c *Trips) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		return
	}
	c.stopped = true
	c.tracer.mu.Lock()
	c.tracer.open--
	c.tracer.mu.Unlock()
}

// Count returns the number of round trips counted.
func (c *Trips) Count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// Statements returns a short description of each round trip, in order.
func (c *Trips) Statements() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return describe(c.stmts)
}

// Late returns the statements that ran with this counter's context after
// Stop: work that outlived its request.
func (c *Trips) Late() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return describe(c.late)
}

// Strays returns the statements that ran without a counter in their
// context while some counter was open.
func (t *Tracer) Strays() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return describe(t.strays)
}

// count records one round trip made on conn with ctx.
func (t *Tracer) count(ctx context.Context, conn *pgx.Conn, what what) {
	t.mu.Lock()
	if l := t.leases[conn]; l != nil {
		l.used = true
	}
	c, _ := ctx.Value(tripsKey{}).(*Trips)
	if c == nil {
		if t.open > 0 {
			t.strays = append(t.strays, what)
		}
		t.mu.Unlock()
		return
	}
	t.mu.Unlock()
	c.add(what)
}

func (c *Trips) add(what what) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stopped {
		c.late = append(c.late, what)
		return
	}
	c.n++
	c.stmts = append(c.stmts, what)
}

func inStatement(ctx context.Context) bool { return ctx.Value(inStatementKey{}) != nil }

func markStatement(ctx context.Context) context.Context {
	return context.WithValue(ctx, inStatementKey{}, true)
}

// TraceQueryStart counts a Query, QueryRow or Exec (begin, commit and
// rollback included).
func (t *Tracer) TraceQueryStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	t.count(ctx, conn, func() string { return shortSQL(data.SQL) })
	return markStatement(ctx)
}

// TraceQueryEnd does nothing.
func (t *Tracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart counts a batch as one round trip.
func (t *Tracer) TraceBatchStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceBatchStartData) context.Context {
	t.count(ctx, conn, func() string {
		var parts []string
		if data.Batch != nil {
			for _, q := range data.Batch.QueuedQueries {
				parts = append(parts, shortSQL(q.SQL))
			}
		}
		return fmt.Sprintf("batch of %d [%s]", len(parts), strings.Join(parts, " | "))
	})
	return markStatement(ctx)
}

// TraceBatchQuery does nothing: the batch's statements travel together.
func (t *Tracer) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

// TraceBatchEnd does nothing.
func (t *Tracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// TraceCopyFromStart counts a CopyFrom.
func (t *Tracer) TraceCopyFromStart(ctx context.Context, conn *pgx.Conn, data pgx.TraceCopyFromStartData) context.Context {
	t.count(ctx, conn, func() string { return "COPY " + data.TableName.Sanitize() })
	return markStatement(ctx)
}

// TraceCopyFromEnd does nothing.
func (t *Tracer) TraceCopyFromEnd(context.Context, *pgx.Conn, pgx.TraceCopyFromEndData) {}

// TracePrepareStart does nothing: whether the Prepare reaches the server is
// known at its end.
func (t *Tracer) TracePrepareStart(ctx context.Context, _ *pgx.Conn, _ pgx.TracePrepareStartData) context.Context {
	return ctx
}

// TracePrepareEnd counts an explicit Prepare that reached the server; the
// statement cache's preparation inside a counted call is not counted again.
func (t *Tracer) TracePrepareEnd(ctx context.Context, conn *pgx.Conn, data pgx.TracePrepareEndData) {
	if inStatement(ctx) || data.AlreadyPrepared {
		return
	}
	t.count(ctx, conn, said("PREPARE"))
}

// TraceAcquireStart does nothing.
func (t *Tracer) TraceAcquireStart(ctx context.Context, _ *pgxpool.Pool, _ pgxpool.TraceAcquireStartData) context.Context {
	return ctx
}

// TraceAcquireEnd remembers who acquired the connection.
func (t *Tracer) TraceAcquireEnd(ctx context.Context, _ *pgxpool.Pool, data pgxpool.TraceAcquireEndData) {
	if data.Err != nil || data.Conn == nil {
		return
	}
	c, _ := ctx.Value(tripsKey{}).(*Trips)
	t.mu.Lock()
	t.leases[data.Conn] = &lease{trips: c}
	t.mu.Unlock()
}

// TraceRelease counts a connection released with no traced statement: the
// only such use is pgxpool's Ping, one round trip pgx does not trace.
func (t *Tracer) TraceRelease(_ *pgxpool.Pool, data pgxpool.TraceReleaseData) {
	t.mu.Lock()
	l := t.leases[data.Conn]
	delete(t.leases, data.Conn)
	t.mu.Unlock()
	if l == nil || l.used {
		return
	}
	if l.trips == nil {
		t.mu.Lock()
		if t.open > 0 {
			t.strays = append(t.strays, said("ping"))
		}
		t.mu.Unlock()
		return
	}
	l.trips.add(said("ping"))
}

// what describes a round trip when asked: counting stays cheap under load
// (the benchmark counts every request's round trips with this tracer).
type what func() string

func said(s string) what { return func() string { return s } }

func describe(ws []what) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w()
	}
	return out
}

// shortSQL is a statement on one line, cut to a readable length.
func shortSQL(sql string) string {
	s := strings.Join(strings.Fields(sql), " ")
	if r := []rune(s); len(r) > 90 {
		s = string(r[:87]) + "..."
	}
	return s
}

// The tracer interfaces pgx and pgxpool look for.
var _ interface {
	pgx.QueryTracer
	pgx.BatchTracer
	pgx.CopyFromTracer
	pgx.PrepareTracer
	pgxpool.AcquireTracer
	pgxpool.ReleaseTracer
} = (*Tracer)(nil)
