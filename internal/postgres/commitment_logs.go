package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// The owner's logs of a commitment, and the other partner's answers.

// lockOwnCommitmentSQL locks a commitment partner $2 may see and keeps.
const lockOwnCommitmentSQL = `SELECT ` + commitmentCols + ` ` + commitmentScope + ` AND c.id = $3 AND c.owner_id = $2 FOR UPDATE OF c`

// commitmentEventsSQL reads the events of commitment $3, in order.
const commitmentEventsSQL = `
SELECT e.version, coalesce(e.actor_id, 0), e.action, e.note, e.on_day, e.at
FROM commitment_events e WHERE e.couple_id = $1 AND e.commitment_id = $3 AND ` + guardPartner + `
ORDER BY e.id`

// lockLogsSQL locks the logs of commitment $3 from $4 on, newest first, and
// says whether each was answered.
const lockLogsSQL = `
SELECT l.id, l.commitment_id, l.occurs_on, l.status, l.note, l.late, l.created_at, l.updated_at,
  EXISTS (SELECT 1 FROM commitment_responses r WHERE r.couple_id = l.couple_id AND r.log_id = l.id)
FROM commitment_logs l WHERE l.couple_id = $1 AND l.commitment_id = $3 AND l.occurs_on >= $4 AND ` + guardPartner + `
ORDER BY l.occurs_on DESC, l.id DESC FOR UPDATE OF l`

const insertLogSQL = `
INSERT INTO commitment_logs (couple_id, commitment_id, occurs_on, status, note, late) VALUES ($1, $2, $3, $4, $5, $6)`

const keepLogVersionSQL = `
INSERT INTO commitment_log_versions (couple_id, log_id, status, note, saved_at) VALUES ($1, $2, $3, $4, $5)`

const updateLogSQL = `
UPDATE commitment_logs SET status = $3, note = $4, updated_at = greatest(now(), updated_at + interval '1 microsecond')
WHERE couple_id = $1 AND id = $2`

// LogOccurrence records owner a's log of commitment id. Under the
// commitment's lock it reads the commitment, its versions and events, and
// its logs from logsFrom on (locked too), and asks plan what to log (plan's
// error ends it, writing nothing). When the entry is One (rhythmic
// commitments: one log per occurrence) an existing log of that occurrence
// is changed instead, keeping its earlier version, unless the partner
// answered it (mend.ErrLogAnswered); the same status and note again change
// nothing and keep no version. mend.ErrFormUsed (after plan) when formKey
// was used already; NotFound when a is not the owner or may not see the
// commitment. Inside its transaction, one batch locks and reads, one
// writes.
func (db *DB) LogOccurrence(ctx context.Context, a mend.PartnerAccess, id int64, logsFrom time.Time, formKey []byte, plan func(set *mend.CommitmentSet) (*mend.OccurrenceLog, error)) error {
	return db.InTx(ctx, func(tx pgx.Tx) error {
		set := newSet()
		versions := map[int]*mend.CommitmentVersion{}
		answered := map[int64]bool{}
		var fresh bool
		b := &pgx.Batch{}
		b.Queue(lockOwnCommitmentSQL, a.CoupleID(), a.UserID(), id).QueryRow(func(r pgx.Row) error {
			c, err := scanCommitment(r)
			set.Commitments = append(set.Commitments, c)
			return err
		})
		queueFormKey(b, formKey, a.UserID(), &fresh)
		queueVersions(b, a, id, versions)
		b.Queue(commitmentEventsSQL, a.CoupleID(), a.UserID(), id).Query(func(rows pgx.Rows) error {
			var e mend.CommitmentEvent
			_, err := pgx.ForEachRow(rows, []any{&e.Version, &e.ActorID, &e.Action, &e.Note, &e.OnDay, &e.At}, func() error {
				set.Events[id] = append(set.Events[id], e)
				return nil
			})
			return err
		})
		b.Queue(lockLogsSQL, a.CoupleID(), a.UserID(), id, logsFrom).Query(func(rows pgx.Rows) error {
			var l mend.CommitmentLog
			var was bool
			_, err := pgx.ForEachRow(rows, []any{&l.ID, &l.CommitmentID, &l.OccursOn, &l.Status, &l.Note, &l.Late, &l.CreatedAt, &l.UpdatedAt, &was}, func() error {
				set.Logs[id] = append(set.Logs[id], l)
				answered[l.ID] = was
				return nil
			})
			return err
		})
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		set.Versions[id] = versions
		c := &set.Commitments[0]
		c.Current, c.Proposal = versions[c.Version], versions[c.Pending]
		entry, err := plan(set)
		switch {
		case err != nil:
			return err
		case !fresh:
			return mend.ErrFormUsed
		case entry.One && entry.OccursOn.Before(logsFrom):
			return errors.New("postgres: an occurrence before the logs read")
		}
		// The first log of the occurrence, as the occurrence's one log.
		var old *mend.CommitmentLog
		for i, l := range set.Logs[id] {
			if entry.One && l.OccursOn.Equal(entry.OccursOn) && (old == nil || l.ID < old.ID) {
				old = &set.Logs[id][i]
			}
		}
		switch {
		case old == nil:
			_, err = tx.Exec(ctx, insertLogSQL, a.CoupleID(), id, entry.OccursOn, entry.Status, entry.Note, entry.Late)
			return err
		case answered[old.ID]:
			return mend.ErrLogAnswered
		case old.Status == entry.Status && old.Note == entry.Note:
			return nil
		}
		return changeLog(ctx, tx, a, old.ID, old.Status, old.Note, old.UpdatedAt, entry.Status, entry.Note)
	})
}

// changeLog keeps log logID's earlier version and writes the new one, in
// one batch.
func changeLog(ctx context.Context, tx pgx.Tx, a mend.PartnerAccess, logID int64, oldStatus, oldNote string, saved time.Time, status, note string) error {
	b := &pgx.Batch{}
	b.Queue(keepLogVersionSQL, a.CoupleID(), logID, oldStatus, oldNote, saved)
	b.Queue(updateLogSQL, a.CoupleID(), logID, status, note)
	return tx.SendBatch(ctx, b).Close()
}

const lockLogSQL = `
SELECT l.status, l.note, l.updated_at, EXISTS (SELECT 1 FROM commitment_responses r WHERE r.couple_id = l.couple_id AND r.log_id = l.id), l.occurs_on
FROM commitment_logs l JOIN (SELECT c.id ` + commitmentScope + ` AND c.owner_id = $2) s ON s.id = l.commitment_id
WHERE l.couple_id = $1 AND l.id = $3 AND l.commitment_id = $4 FOR UPDATE OF l`

// EditLog changes owner a's log logID of commitment id, keeping its earlier
// version; the same status and note again change nothing (changed false).
// mend.ErrLogAnswered once the partner answered it; mend.ErrLogOld for an
// occurrence before since; NotFound when it is not a's. Inside its
// transaction, one statement locks and reads, one batch writes.
func (db *DB) EditLog(ctx context.Context, a mend.PartnerAccess, id, logID int64, status, note string, since time.Time) (changed bool, err error) {
	err = db.InTx(ctx, func(tx pgx.Tx) error {
		var oldStatus, oldNote string
		var saved time.Time
		var answered bool
		var occurs time.Time
		if err := tx.QueryRow(ctx, lockLogSQL, a.CoupleID(), a.UserID(), logID, id).Scan(&oldStatus, &oldNote, &saved, &answered, &occurs); err != nil {
			return err
		}
		switch {
		case answered:
			return mend.ErrLogAnswered
		case occurs.Before(since):
			return mend.ErrLogOld
		case oldStatus == status && oldNote == note:
			return nil
		}
		changed = true
		return changeLog(ctx, tx, a, logID, oldStatus, oldNote, saved, status, note)
	})
	return changed && err == nil, err
}

// The other partner (never the owner) answers a log of a commitment they see.
const respondSQL = `
INSERT INTO commitment_responses (couple_id, log_id, user_id, confirmed, body)
SELECT $1, l.id, $2, $5, $6
FROM commitment_logs l JOIN (SELECT c.id ` + commitmentScope + ` AND c.owner_id <> $2 AND c.id = $4) s ON s.id = l.commitment_id
WHERE l.couple_id = $1 AND l.id = $3
ON CONFLICT (couple_id, log_id, user_id) DO UPDATE SET confirmed = excluded.confirmed OR commitment_responses.confirmed,
  body = CASE WHEN excluded.body <> '' THEN excluded.body ELSE commitment_responses.body END, updated_at = now()`

// Respond records partner a's confirmation and answer to log logID of
// commitment id. NotFound when a owns it or may not see it.
func (db *DB) Respond(ctx context.Context, a mend.PartnerAccess, id, logID int64, confirmed bool, body string) error {
	// Under the log row's lock, so an edit cannot land after an answer.
	return db.InTx(ctx, func(tx pgx.Tx) error {
		var lock int64
		if err := tx.QueryRow(ctx, `SELECT id FROM commitment_logs WHERE couple_id = $1 AND id = $2 AND commitment_id = $3 FOR UPDATE`,
			a.CoupleID(), logID, id).Scan(&lock); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, respondSQL, a.CoupleID(), a.UserID(), logID, id, confirmed, body)
		if err == nil && tag.RowsAffected() == 0 {
			return mend.ErrNoLogToAnswer
		}
		return err
	})
}
