package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// batch gathers the statements of one page into one pgx.Batch, so that a
// page reads everything it shows in one round trip. Statements are queued
// with the batch's Queue; then adds how to read the results of the
// statements queued since the last then, in order.
type batch struct {
	pgx.Batch
	reads []func(pgx.BatchResults) error
}

// then adds read, which reads the results of the statements queued just
// before it.
func (b *batch) then(read func(pgx.BatchResults) error) { b.reads = append(b.reads, read) }

// send runs the batch in one round trip and reads its results in order.
// The first error stops the reading; the batch is closed either way.
func (db *DB) send(ctx context.Context, b *batch) error {
	res := db.Pool.SendBatch(ctx, &b.Batch)
	for _, read := range b.reads {
		if err := read(res); err != nil {
			_ = res.Close() // the read's error is the one to report
			return mapErr(err)
		}
	}
	return mapErr(res.Close())
}

// queueRows queues sql with args; sending b collects its rows into *dst,
// each column into the field of T in the same place.
func queueRows[T any](b *batch, dst *[]T, sql string, args ...any) {
	queueScan(b, dst, pgx.RowToStructByPos[T], sql, args...)
}

// queueScan queues sql with args; sending b collects its rows into *dst,
// each made by scan.
func queueScan[T any](b *batch, dst *[]T, scan pgx.RowToFunc[T], sql string, args ...any) {
	b.Queue(sql, args...)
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		*dst, err = pgx.CollectRows(rows, scan)
		return err
	})
}
