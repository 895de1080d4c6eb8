package server

import (
	"context"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/seed"
	"github.com/mend-app/mend/internal/service"
)

// BenchmarkExport measures one partner's export of a seeded year (the demo
// couple's: a year of check-ins, commitments with their logs, triggers and
// answers) as a ZIP of CSV files and as JSON, each written to nowhere,
// against a bare baseline in the same run: the same statements, their rows
// read and counted with no file made. Besides time and allocations it
// reports the rows, the file's size and the peak of live heap during one
// export, which stays flat as the year grows because rows are written as
// they are read (MEND_BENCH_DAYS seeds more or fewer days than 365, to see
// it). `make bench-pages` runs it.
func BenchmarkExport(b *testing.B) {
	ctx := context.Background()
	days := 365
	if v := os.Getenv("MEND_BENCH_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("MEND_BENCH_DAYS=%q: a number of days, at least 1", v)
		}
		days = n
	}
	db := pgtest.NewDB(b)
	if _, err := seed.Run(ctx, db.Pool, seed.Options{Couples: 1, Therapists: 1, Seed: 1, Prefix: "demo", Days: days}); err != nil {
		b.Fatal(err)
	}
	var id int64
	if err := db.Pool.QueryRow(ctx, `SELECT id FROM users WHERE email = 'demo-1a@mend.test'`).Scan(&id); err != nil {
		b.Fatal(err)
	}
	u, err := db.UserByID(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	access, err := service.New(db).Couples.PartnerAccess(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	today := mend.Date(time.Now(), u.Location())

	run := func(b *testing.B, file func(w io.Writer) exportFile) {
		var rows, size int64
		for b.Loop() {
			out := &countingWriter{}
			var w mend.ExportWriter
			var f exportFile
			if file == nil {
				w = &rowCounter{}
			} else {
				f = file(out)
				w = f
			}
			counted := &rowCounter{next: w}
			if err := db.ExportPartner(ctx, access, today, counted); err != nil {
				b.Fatal(err)
			}
			if f != nil {
				if err := f.Close(); err != nil {
					b.Fatal(err)
				}
			}
			rows, size = counted.rows, out.n
		}
		b.ReportMetric(float64(rows), "rows/op")
		b.ReportMetric(float64(size), "file-bytes/op")
		b.ReportMetric(peakHeap(func() {
			f := io.Writer(io.Discard)
			var w mend.ExportWriter = &rowCounter{}
			var ef exportFile
			if file != nil {
				ef = file(f)
				w = ef
			}
			if err := db.ExportPartner(ctx, access, today, w); err != nil {
				b.Fatal(err)
			}
			if ef != nil {
				_ = ef.Close()
			}
		})/(1<<20), "peak-heap-MB")
	}
	b.Run("bare", func(b *testing.B) { run(b, nil) })
	b.Run("zip", func(b *testing.B) {
		run(b, func(w io.Writer) exportFile { return newZipExport(w, time.Now()) })
	})
	b.Run("json", func(b *testing.B) {
		run(b, func(w io.Writer) exportFile { return newJSONExport(w, time.Now()) })
	})
}

// rowCounter counts the rows it passes on to next (nil: to nowhere).
type rowCounter struct {
	next mend.ExportWriter
	rows int64
}

func (c *rowCounter) Table(t mend.ExportTable) error {
	if c.next == nil {
		return nil
	}
	return c.next.Table(t)
}

func (c *rowCounter) Row(values []string) error {
	c.rows++
	if c.next == nil {
		return nil
	}
	return c.next.Row(values)
}

// countingWriter counts the bytes written to it and keeps none.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

// peakHeap runs f once and returns the most heap in use (live objects and garbage not yet
// collected), in bytes, seen while
// it ran (sampled every 200 µs, after a collection before it began).
func peakHeap(f func()) float64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	runtime.GC()
	var peak atomic.Uint64
	peak.Store(read())
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(200 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if v := read(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	return float64(peak.Load())
}
