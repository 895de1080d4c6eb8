package pgtest_test

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

func TestTracer_CountsEachKindOfRoundTrip(t *testing.T) {
	t.Parallel()
	tr := pgtest.NewTracer()
	pool := pgtest.NewDBWith(t, postgres.Options{Tracer: tr}).Pool
	ctx, trips := tr.Start(context.Background())
	defer trips.Stop()

	step := func(name string, want int, fn func() error) {
		t.Helper()
		before := trips.Count()
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := trips.Count() - before; got != want {
			t.Errorf("%s: %d round trips counted, want %d; all so far: %q", name, got, want, trips.Statements())
		}
	}
	step("Exec without arguments", 1, func() error {
		_, err := pool.Exec(ctx, `CREATE TABLE trip_probe (n int)`)
		return err
	})
	// The first run of a statement on a connection also prepares it (the
	// statement cache): that is not counted, so cold and warm count alike.
	for range 2 {
		step("Exec with arguments", 1, func() error {
			_, err := pool.Exec(ctx, `INSERT INTO trip_probe (n) VALUES ($1)`, 1)
			return err
		})
		step("QueryRow", 1, func() error {
			var n int
			return pool.QueryRow(ctx, `SELECT count(*) FROM trip_probe WHERE n = $1`, 1).Scan(&n)
		})
	}
	step("Query", 1, func() error {
		rows, _ := pool.Query(ctx, `SELECT n FROM trip_probe WHERE n > $1`, 0)
		_, err := pgx.CollectRows(rows, pgx.RowTo[int])
		return err
	})
	step("a batch of three", 1, func() error {
		b := &pgx.Batch{}
		b.Queue(`SELECT 1`)
		b.Queue(`SELECT n FROM trip_probe WHERE n = $1`, 1)
		b.Queue(`INSERT INTO trip_probe (n) VALUES ($1)`, 2)
		return pool.SendBatch(ctx, b).Close()
	})
	step("begin, one statement, commit", 3, func() error {
		return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO trip_probe (n) VALUES ($1)`, 3)
			return err
		})
	})
	step("begin, rollback", 2, func() error {
		tx, err := pool.Begin(ctx)
		if err != nil {
			return err
		}
		return tx.Rollback(ctx)
	})
	step("CopyFrom", 1, func() error {
		_, err := pool.CopyFrom(ctx, pgx.Identifier{"trip_probe"}, []string{"n"}, pgx.CopyFromRows([][]any{{4}, {5}}))
		return err
	})
	step("Ping", 1, func() error { return pool.Ping(ctx) })
	step("an explicit Prepare, then the same again (no round trip)", 1, func() error {
		c, err := pool.Acquire(ctx)
		if err != nil {
			return err
		}
		defer c.Release()
		for range 2 {
			if _, err := c.Conn().Prepare(ctx, "probe", `SELECT n FROM trip_probe`); err != nil {
				return err
			}
		}
		return nil
	})
	if s := tr.Strays(); len(s) > 0 {
		t.Errorf("strays: %q", s)
	}
}

func TestTracer_CountsByContext(t *testing.T) {
	t.Parallel()
	tr := pgtest.NewTracer()
	pool := pgtest.NewDBWith(t, postgres.Options{Tracer: tr}).Pool
	exec := func(ctx context.Context, sql string) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	bg := context.Background()
	exec(bg, `SELECT 'before any counter'`) // neither counted nor a stray

	ctxA, a := tr.Start(bg)
	ctxB, b := tr.Start(bg)
	inA, cancel := context.WithCancel(ctxA) // a context derived from A's
	defer cancel()
	exec(ctxA, `SELECT 'a'`)
	exec(inA, `SELECT 'derived from a'`)
	exec(ctxB, `SELECT 'b'`)
	exec(bg, `SELECT 'without a counter'`)
	a.Stop()
	exec(ctxA, `SELECT 'a, late'`)
	b.Stop()
	exec(bg, `SELECT 'after every counter'`)

	if a.Count() != 2 || b.Count() != 1 {
		t.Errorf("counted a=%d %q, b=%d %q; want 2 and 1", a.Count(), a.Statements(), b.Count(), b.Statements())
	}
	if late := a.Late(); !slices.Equal(late, []string{`SELECT 'a, late'`}) {
		t.Errorf("late: %q", late)
	}
	if s := tr.Strays(); !slices.Equal(s, []string{`SELECT 'without a counter'`}) {
		t.Errorf("strays: %q", s)
	}
}
