package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// A therapist's page of a couple opens with one statement that checks the
// link and writes the view log (OpenTherapistView), then reads everything
// it shows in one batch: the partners and the page's own part.

// openViewSQL logs therapist $2's view of kind $3 of couple $1 when, and
// only when, their link is active and agreed by both partners.
const openViewSQL = `
INSERT INTO therapist_views (couple_id, therapist_id, kind)
SELECT l.couple_id, l.therapist_id, $3 FROM therapist_links l
WHERE l.couple_id = $1 AND l.therapist_id = $2 AND l.ended_at IS NULL AND l.agreed_at IS NOT NULL
RETURNING couple_id`

// OpenTherapistView writes the audit record of therapist therapistID
// opening a page of kind about coupleID, in one statement with the check
// of their link, and returns their access. NotFound, writing nothing, when
// their link is not active and agreed by both partners (a pending link, an
// ended one, a couple that does not exist).
func (db *DB) OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error) {
	var linked int64
	if err := db.Pool.QueryRow(ctx, openViewSQL, coupleID, therapistID, kind).Scan(&linked); err != nil {
		return mend.TherapistAccess{}, mapErr(err)
	}
	return mend.StoreOnlyTherapistAccess(linked, therapistID), nil
}

// TherapistOverview reads the overview of therapist a's couple in one
// round trip: the partners, the active link, the sharing defaults and the
// open flags. NotFound when the link is no longer active.
func (db *DB) TherapistOverview(ctx context.Context, a mend.TherapistAccess) (*mend.TherapistOverview, error) {
	b := &batch{}
	ms := queueMembers(b, a)
	b.Queue(activeLinkSQL, a.CoupleID(), a.UserID())
	b.Queue(defaultsSQL, a.CoupleID(), a.UserID())
	b.Queue(coupleFlagsSQL, a.CoupleID(), a.UserID())
	o := &mend.TherapistOverview{Access: a}
	b.then(func(res pgx.BatchResults) error {
		l, err := scanLink(res.QueryRow())
		if err != nil {
			return err
		}
		o.Link = &l
		rows, err := res.Query()
		if err != nil {
			return err
		}
		if o.Defaults, err = collectDefaults(rows); err != nil {
			return err
		}
		o.Flags, err = collectFlags(res.Query())
		return err
	})
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	o.Members = *ms
	return o, nil
}

// TherapistCheckinsPage reads, in one round trip, the partners of therapist
// a's couple and the check-ins a may read between from and to, newest
// first (see therapistCheckinsSQL), and, unless listFrom is zero, those
// between listFrom and listTo as well (nil when it is).
func (db *DB) TherapistCheckinsPage(ctx context.Context, a mend.TherapistAccess, from, to, listFrom, listTo time.Time) ([]mend.Member, []mend.Checkin, []mend.Checkin, error) {
	b := &batch{}
	ms := queueMembers(b, a)
	var cs, list []mend.Checkin
	b.Queue(therapistCheckinsSQL, a.CoupleID(), a.UserID(), from, to)
	b.then(func(res pgx.BatchResults) (err error) {
		cs, err = collectCheckins(res.Query())
		return err
	})
	if !listFrom.IsZero() {
		b.Queue(therapistCheckinsSQL, a.CoupleID(), a.UserID(), listFrom, listTo)
		b.then(func(res pgx.BatchResults) (err error) {
			list, err = collectCheckins(res.Query())
			return err
		})
	}
	if err := db.send(ctx, b); err != nil {
		return nil, nil, nil, err
	}
	return *ms, cs, list, nil
}

// TherapistCommitmentsPage reads, in one round trip, the partners of
// therapist a's couple and the commitments shared with a, with their logs
// from logsFrom on (see Commitments), and, unless listFrom is zero, their
// logs from listFrom to listTo as well, by commitment (nil when it is; see
// therapistLogDaysSQL).
func (db *DB) TherapistCommitmentsPage(ctx context.Context, a mend.TherapistAccess, logsFrom, listFrom, listTo time.Time) ([]mend.Member, *mend.CommitmentSet, map[int64][]mend.CommitmentLog, error) {
	b := &batch{}
	ms := queueMembers(b, a)
	set := queueCommitmentSet(b, a, 0, logsFrom)
	var logs map[int64][]mend.CommitmentLog
	if !listFrom.IsZero() {
		b.Queue(therapistLogDaysSQL, a.CoupleID(), a.UserID(), listFrom, listTo)
		b.then(func(res pgx.BatchResults) error {
			rows, err := res.Query()
			if err != nil {
				return err
			}
			logs = map[int64][]mend.CommitmentLog{}
			var l mend.CommitmentLog
			_, err = pgx.ForEachRow(rows, []any{&l.ID, &l.CommitmentID, &l.OccursOn, &l.Status, &l.Late, &l.CreatedAt, &l.UpdatedAt}, func() error {
				logs[l.CommitmentID] = append(logs[l.CommitmentID], l)
				return nil
			})
			return err
		})
	}
	if err := db.send(ctx, b); err != nil {
		return nil, nil, nil, err
	}
	return *ms, *set, logs, nil
}

// therapistLogDaysSQL is the logs of days $3 to $4 of the commitments
// therapist $2 of couple $1 may see, newest first, without their notes
// (what the partners wrote to each other never leaves the database for a
// therapist). The commitments in scope are worked out once, as in queueSet.
const therapistLogDaysSQL = `SELECT l.id, l.commitment_id, l.occurs_on, l.status, l.late, l.created_at, l.updated_at
FROM (SELECT c.id ` + therapistCommitmentScope + ` OFFSET 0) s
JOIN commitment_logs l ON l.couple_id = $1 AND l.commitment_id = s.id
WHERE l.occurs_on BETWEEN $3 AND $4
ORDER BY l.commitment_id, l.occurs_on DESC, l.id DESC`

// TherapistTriggersPage reads, in one round trip, the partners of therapist
// a's couple, the latest limit triggers shared with a (see Triggers) or,
// unless listFrom is zero, all of those whose writers' days fall from
// listFrom to listTo (see therapistTriggerDaysSQL), and their patterns with
// local days from from to to (see Patterns).
func (db *DB) TherapistTriggersPage(ctx context.Context, a mend.TherapistAccess, limit int, from, to, today, listFrom, listTo time.Time) ([]mend.Member, []mend.Trigger, *mend.Patterns, error) {
	b := &batch{}
	ms := queueMembers(b, a)
	var ts *[]mend.Trigger
	if listFrom.IsZero() {
		ts = queueTriggers(b, a, mend.WhoBoth, 0, time.Time{}, 0, limit)
	} else {
		ts = queueTherapistTriggerDays(b, a, listFrom, listTo)
	}
	p := queuePatterns(b, a, mend.WhoBoth, from, to, today)
	if err := db.send(ctx, b); err != nil {
		return nil, nil, nil, err
	}
	return *ms, *ts, p, nil
}

// therapistTriggerDaysSQL is the triggers therapist $2 of couple $1 may see
// whose writers' local days fall from $3 to $4, newest first.
const therapistTriggerDaysSQL = `SELECT ` + triggerCols + ` ` + therapistTriggerScope + `
  AND t.local_day BETWEEN $3 AND $4
ORDER BY t.occurred_at DESC, t.id DESC`

// queueTherapistTriggerDays queues therapistTriggerDaysSQL; sending b
// fills the list.
func queueTherapistTriggerDays(b *batch, a mend.TherapistAccess, from, to time.Time) *[]mend.Trigger {
	b.Queue(therapistTriggerDaysSQL, a.CoupleID(), a.UserID(), from, to)
	ts := &[]mend.Trigger{}
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		*ts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Trigger, error) { return scanTrigger(r) })
		return err
	})
	return ts
}
