package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// Who may see a check-in c, for the reading partner $2 of couple $1.
const (
	// checkinScope is the check-ins the reader knows exist: their own, and
	// the other partner's that are not private and were written in both
	// partners' current membership (nothing of an earlier pair). The
	// reader's membership is the guard: someone who is not a partner of $1
	// gets no rows. The memberships are read once per statement
	// (bothJoined, currentPartners), not joined, so that the planner sees
	// one table: it can walk the (couple_id, day) index in order, stop at a
	// LIMIT, and read the columns a chart needs from the index alone
	// (migration 0014). As a join, it expected one row for a couple and a
	// user (the two go together) and read a year and sorted it.
	checkinScope = `FROM checkins c
WHERE c.couple_id = $1 AND ` + guardPartner + `
  AND (c.user_id = $2 OR (c.visibility <> 'private'
    AND c.created_at >= ` + bothJoined + ` AND c.user_id IN ` + currentPartners + `))`

	// checkinRevealed: the reader may read a check-in they know of. Reveal
	// together: the other partner's check-in for a day shows once the
	// reader has shared theirs for that day (a private one does not count:
	// it would let one read without giving, and an answer would then show
	// that it exists), or once the day is more than one day past the
	// reader's today ($3), when they can no longer write it. The reader's
	// shared days are read only from the days not yet past ($3 - 1 on), a
	// row or two whatever the range, so that even a cached generic plan
	// reads them once rather than once per check-in.
	checkinRevealed = `(c.user_id = $2 OR c.day < $3::date - 1 OR c.day IN (SELECT o.day FROM checkins o
  WHERE o.couple_id = $1 AND o.user_id = $2 AND o.day >= $3::date - 1 AND o.visibility <> 'private'))`

	// checkinCols reads a check-in whose content is blank unless revealed.
	checkinCols = `c.id, c.couple_id, c.user_id, c.day,
  CASE WHEN ` + checkinRevealed + ` THEN c.mood ELSE 0 END, CASE WHEN ` + checkinRevealed + ` THEN c.connection ELSE 0 END,
  CASE WHEN ` + checkinRevealed + ` THEN c.feel ELSE '' END, CASE WHEN ` + checkinRevealed + ` THEN c.need ELSE '' END,
  CASE WHEN ` + checkinRevealed + ` THEN c.worry ELSE '' END, CASE WHEN ` + checkinRevealed + ` THEN c.appreciate ELSE '' END,
  c.visibility, c.late, c.created_at, c.updated_at, ` + checkinRevealed
)

func scanCheckin(r pgx.Row) (mend.Checkin, error) {
	var c mend.Checkin
	err := r.Scan(&c.ID, &c.CoupleID, &c.UserID, &c.Day, &c.Mood, &c.Connection, &c.Feel, &c.Need, &c.Worry, &c.Appreciate,
		&c.Visibility, &c.Late, &c.CreatedAt, &c.UpdatedAt, &c.Revealed)
	return c, err
}

func collectCheckins(rows pgx.Rows, err error) ([]mend.Checkin, error) {
	if err != nil {
		return nil, mapErr(err)
	}
	cs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Checkin, error) { return scanCheckin(r) })
	return cs, mapErr(err)
}

const myCheckinForUpdateSQL = `
SELECT c.id, c.couple_id, c.user_id, c.day, c.mood, c.connection, c.feel, c.need, c.worry, c.appreciate,
  c.visibility, c.late, c.created_at, c.updated_at, true
FROM checkins c WHERE c.couple_id = $1 AND c.user_id = $2 AND c.day = $3 FOR UPDATE`

const insertCheckinSQL = `
INSERT INTO checkins (couple_id, user_id, day, mood, connection, feel, need, worry, appreciate, visibility, late)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`

const keepVersionSQL = `
INSERT INTO checkin_versions (couple_id, checkin_id, mood, connection, feel, need, worry, appreciate, visibility, saved_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`

const updateCheckinSQL = `
UPDATE checkins SET mood = $4, connection = $5, feel = $6, need = $7, worry = $8, appreciate = $9, visibility = $10,
  updated_at = greatest(now(), updated_at + interval '1 microsecond')
WHERE couple_id = $1 AND user_id = $2 AND day = $3`

// SaveCheckin writes partner a's check-in for c.Day, or, when one exists
// and mayEdit allows it, keeps its previous version and updates it. It
// runs under a lock on a's membership, so a double tap makes one check-in.
// The same content saved again saves nothing and keeps no version, whether
// its formKey (may be nil) was used already (a double tap) or not; other
// content is an edit, even from a used form (sent again after going back).
// It returns whether anything was saved. One batch locks, records the key
// and reads the day's check-in (each statement after the lock sees what
// the writer before committed); one more writes.
func (db *DB) SaveCheckin(ctx context.Context, a mend.PartnerAccess, c mend.Checkin, formKey []byte, mayEdit func(old *mend.Checkin) error) (bool, error) {
	saved := false
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		var old mend.Checkin
		found := false
		b := &pgx.Batch{}
		queueLockMembership(b, a)
		if formKey != nil {
			b.Queue(recordFormSQL, formKey, a.UserID())
		}
		b.Queue(myCheckinForUpdateSQL, a.CoupleID(), a.UserID(), c.Day).QueryRow(func(r pgx.Row) error {
			var err error
			old, err = scanCheckin(r)
			found = err == nil
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			return err
		})
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		args := []any{a.CoupleID(), a.UserID(), c.Day, c.Mood, c.Connection, c.Feel, c.Need, c.Worry, c.Appreciate, c.Visibility}
		switch {
		case !found:
			_, err := tx.Exec(ctx, insertCheckinSQL, append(args, c.Late)...)
			saved = err == nil
			return err
		case sameCheckin(&old, &c):
			return nil
		}
		if err := mayEdit(&old); err != nil {
			return err
		}
		w := &pgx.Batch{}
		w.Queue(keepVersionSQL, a.CoupleID(), old.ID, old.Mood, old.Connection, old.Feel, old.Need, old.Worry,
			old.Appreciate, old.Visibility, old.UpdatedAt)
		w.Queue(updateCheckinSQL, args...)
		err := tx.SendBatch(ctx, w).Close()
		saved = err == nil
		return err
	})
	return saved, err
}

// sameCheckin reports whether a and b say the same.
func sameCheckin(a, b *mend.Checkin) bool {
	return a.Mood == b.Mood && a.Connection == b.Connection && a.Feel == b.Feel && a.Need == b.Need &&
		a.Worry == b.Worry && a.Appreciate == b.Appreciate && a.Visibility == b.Visibility
}

const dayCheckinsSQL = `SELECT ` + checkinCols + ` ` + checkinScope + ` AND c.day = $4
ORDER BY c.user_id = $2 DESC`

// Answers the reader wrote, and answers to the reader's own check-ins from
// the other partner in their current membership.
const dayAcksSQL = `
SELECT a.checkin_id, c.day, a.user_id, a.body, a.updated_at
FROM checkin_acks a JOIN checkins c ON c.id = a.checkin_id AND c.couple_id = a.couple_id
WHERE a.couple_id = $1 AND ` + guardPartner + ` AND c.day = $3 AND ` + ackVisible

const ackVisible = `(a.user_id = $2 OR (c.user_id = $2 AND c.visibility <> 'private' AND a.updated_at >= ` + readerJoined + `
  AND EXISTS (SELECT 1 FROM couple_members w WHERE w.couple_id = a.couple_id AND w.user_id = a.user_id AND w.left_at IS NULL AND a.created_at >= w.joined_at)))`

const myVersionsSQL = `
SELECT v.mood, v.connection, v.feel, v.need, v.worry, v.appreciate, v.visibility, v.saved_at
FROM checkin_versions v JOIN checkins c ON c.id = v.checkin_id AND c.couple_id = v.couple_id
WHERE v.couple_id = $1 AND c.user_id = $2 AND c.day = $3 AND ` + guardPartner + `
ORDER BY v.saved_at DESC, v.id DESC`

// CheckinDay loads day for partner a, whose own today is today, in one
// round trip.
func (db *DB) CheckinDay(ctx context.Context, a mend.PartnerAccess, today, day time.Time) (*mend.CheckinDay, error) {
	b := &pgx.Batch{}
	b.Queue(dayCheckinsSQL, a.CoupleID(), a.UserID(), today, day)
	b.Queue(dayAcksSQL, a.CoupleID(), a.UserID(), day)
	b.Queue(myVersionsSQL, a.CoupleID(), a.UserID(), day)
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	d := &mend.CheckinDay{}
	var err error
	if d.Checkins, err = collectCheckins(res.Query()); err != nil {
		return nil, err
	}
	if d.Acks, err = collectAcks(res.Query()); err != nil {
		return nil, err
	}
	rows, err := res.Query()
	if err != nil {
		return nil, mapErr(err)
	}
	d.Versions, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.CheckinVersion, error) {
		var v mend.CheckinVersion
		err := r.Scan(&v.Mood, &v.Connection, &v.Feel, &v.Need, &v.Worry, &v.Appreciate, &v.Visibility, &v.SavedAt)
		return v, err
	})
	return d, mapErr(err)
}

func collectAcks(rows pgx.Rows, err error) ([]mend.Ack, error) {
	if err != nil {
		return nil, mapErr(err)
	}
	acks, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Ack, error) {
		var k mend.Ack
		err := r.Scan(&k.CheckinID, &k.Day, &k.UserID, &k.Body, &k.At)
		return k, err
	})
	return acks, mapErr(err)
}

// The answer goes on the other partner's check-in for day $4, and only
// when the reader may read it.
const saveAckSQL = `
INSERT INTO checkin_acks (couple_id, checkin_id, user_id, body)
SELECT $1, c.id, $2, $5 ` + checkinScope + ` AND ` + checkinRevealed + ` AND c.user_id <> $2 AND c.day = $4
ON CONFLICT (couple_id, checkin_id, user_id) DO UPDATE SET body = excluded.body, updated_at = now()`

// SaveAck writes partner a's answer to the other partner's check-in for
// day, replacing a's earlier answer to it. NotFound when there is no such
// check-in that a may read.
func (db *DB) SaveAck(ctx context.Context, a mend.PartnerAccess, today, day time.Time, body string) error {
	tag, err := db.Pool.Exec(ctx, saveAckSQL, a.CoupleID(), a.UserID(), today, day, body)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoCheckinToAnswer
	}
	return mapErr(err)
}

// History lists, newest first, the days before $4 on which the filter $5
// (” both, 'me', 'partner') has a check-in the reader knows of, and the
// check-ins of those days; $6 bounds the number of days.
const historySQL = `
WITH days AS (
  SELECT DISTINCT c.day ` + checkinScope + ` AND c.day < $4
    AND ($5 = '' OR ($5 = 'me') = (c.user_id = $2))
  ORDER BY c.day DESC LIMIT $6)
SELECT ` + checkinCols + ` ` + checkinScope + ` AND c.day IN (SELECT day FROM days)
  AND ($5 = '' OR ($5 = 'me') = (c.user_id = $2))
ORDER BY c.day DESC, c.user_id = $2 DESC`

const calendarSQL = `
SELECT c.day, c.user_id = $2 ` + checkinScope + ` AND c.day BETWEEN $3 AND $4
ORDER BY c.day`

// CheckinHistory returns up to days days of check-ins before before that
// partner a knows of, filtered by who (” for both, "me", "partner"), and
// the calendar marks between from and to, in one round trip.
func (db *DB) CheckinHistory(ctx context.Context, a mend.PartnerAccess, today, before time.Time, who mend.Who, days int, from, to time.Time) ([]mend.Checkin, []mend.Mark, error) {
	b := &pgx.Batch{}
	b.Queue(historySQL, a.CoupleID(), a.UserID(), today, before, string(who), days)
	b.Queue(calendarSQL, a.CoupleID(), a.UserID(), from, to)
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	cs, err := collectCheckins(res.Query())
	if err != nil {
		return nil, nil, err
	}
	rows, err := res.Query()
	if err != nil {
		return nil, nil, mapErr(err)
	}
	marks, err := pgx.CollectRows(rows, pgx.RowToStructByPos[mend.Mark])
	return cs, marks, mapErr(err)
}

const pointsSQL = `
SELECT c.day, c.user_id, c.mood, c.connection ` + checkinScope + ` AND ` + checkinRevealed + `
  AND c.day BETWEEN $4 AND $5
ORDER BY c.day`

// CheckinPoints returns the scores partner a may read between from and to.
func (db *DB) CheckinPoints(ctx context.Context, a mend.PartnerAccess, today, from, to time.Time) ([]mend.Point, error) {
	rows, err := db.Pool.Query(ctx, pointsSQL, a.CoupleID(), a.UserID(), today, from, to)
	return collectPoints(rows, err)
}

func collectPoints(rows pgx.Rows, err error) ([]mend.Point, error) {
	if err != nil {
		return nil, mapErr(err)
	}
	ps, err := pgx.CollectRows(rows, pgx.RowToStructByPos[mend.Point])
	return ps, mapErr(err)
}

// latestAcksSQL walks the couple's answers newest first and stops at the
// mend.SinceMax-th one to the reader: the check-in is a lateral subquery with LIMIT so
// that the planner cannot start from the reader's check-ins instead (it
// expects one row for a couple and a user, and there are a year of them).
var latestAcksSQL = `
SELECT a.checkin_id, c.day, a.user_id, a.body, a.updated_at
FROM checkin_acks a CROSS JOIN LATERAL (SELECT c.day, c.user_id, c.visibility FROM checkins c
  WHERE c.couple_id = a.couple_id AND c.id = a.checkin_id LIMIT 1) c
WHERE a.couple_id = $1 AND ` + guardPartner + ` AND c.user_id = $2 AND a.user_id <> $2 AND ` + ackVisible + `
ORDER BY a.updated_at DESC LIMIT ` + sinceMax

// queueCheckinDashboard queues the queries of the check-in part of partner
// a's Today page: today's and yesterday's check-ins, the latest answers and
// the scores since from. Sending b fills the dashboard.
func queueCheckinDashboard(b *batch, a mend.PartnerAccess, today, from time.Time) *mend.CheckinDashboard {
	b.Queue(dayCheckinsSQL, a.CoupleID(), a.UserID(), today, today)
	b.Queue(dayCheckinsSQL, a.CoupleID(), a.UserID(), today, today.AddDate(0, 0, -1))
	b.Queue(latestAcksSQL, a.CoupleID(), a.UserID())
	b.Queue(pointsSQL, a.CoupleID(), a.UserID(), today, from, today)
	d := &mend.CheckinDashboard{}
	b.then(func(res pgx.BatchResults) error {
		var err error
		if d.Today, err = collectCheckins(res.Query()); err != nil {
			return err
		}
		if d.Yesterday, err = collectCheckins(res.Query()); err != nil {
			return err
		}
		if d.Acks, err = collectAcks(res.Query()); err != nil {
			return err
		}
		d.Points, err = collectPoints(res.Query())
		return err
	})
	return d
}

// A therapist reads check-ins marked for them, written in their writer's
// current membership and after the last time a partner left (nothing of an
// earlier pair, as for triggers), while the writer shares check-ins with the
// therapist: withdrawing that consent hides what was shared before.
const (
	therapistCheckinsWith = `
WITH shared AS (
  SELECT DISTINCT ON (e.user_id) e.user_id, e.shared
  FROM consent_events e ` + currentEra + `
  WHERE e.couple_id = $1 AND e.kind = 'checkins'
  ORDER BY e.user_id, e.at DESC, e.id DESC)`
	// therapistCheckinScope is the check-ins of days $3 to $4 that
	// therapist $2 of couple $1 may read (after therapistCheckinsWith).
	therapistCheckinScope = `
FROM checkins c
JOIN couple_members w ON w.couple_id = c.couple_id AND w.user_id = c.user_id AND w.left_at IS NULL AND c.created_at >= w.joined_at
JOIN shared s ON s.user_id = c.user_id AND s.shared
WHERE c.couple_id = $1 AND ` + guardTherapist + ` AND c.visibility = 'therapist' AND c.day BETWEEN $3 AND $4
  AND c.created_at >= ` + sinceLastLeft

	therapistCheckinsSQL = therapistCheckinsWith + `
SELECT c.id, c.couple_id, c.user_id, c.day, c.mood, c.connection, c.feel, c.need, c.worry, c.appreciate,
  c.visibility, c.late, c.created_at, c.updated_at, true` + therapistCheckinScope + `
ORDER BY c.day DESC, w.joined_at, c.user_id`

	// therapistPointsSQL is the scores of the same check-ins.
	therapistPointsSQL = therapistCheckinsWith + `
SELECT c.day, c.user_id, c.mood, c.connection` + therapistCheckinScope + `
ORDER BY c.day`
)
