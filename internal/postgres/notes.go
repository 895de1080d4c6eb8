package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// A therapist's notes are theirs alone: every statement names the writer
// ($2) beside the couple ($1) and the active link, so nobody else — not
// the couple, not another therapist of theirs — ever reads one.

// ownSession holds when $5 names no session (0) or one of therapist $2's
// session dates with couple $1.
const ownSession = `($5::bigint = 0 OR EXISTS (SELECT 1 FROM therapy_sessions x WHERE x.couple_id = $1 AND x.id = $5 AND x.therapist_id = $2))`

// addNoteSQL adds therapist $2's note $4 about couple $1 (and session $5,
// or none), with its form's key: see lockedLink. The key is recorded only
// when the session is theirs, so a refused note can be sent again.
const addNoteSQL = `WITH l AS MATERIALIZED (SELECT id FROM therapist_links
  WHERE couple_id = $1 AND therapist_id = $2 AND ended_at IS NULL AND agreed_at IS NOT NULL AND ` + ownSession + ` FOR SHARE),
f AS (INSERT INTO form_submissions (key_hash, user_id) SELECT $3::bytea, $2 WHERE $3::bytea IS NOT NULL AND EXISTS (SELECT 1 FROM l)
  ON CONFLICT (key_hash) DO NOTHING RETURNING 1),
n AS (INSERT INTO therapist_notes (couple_id, therapist_id, session_id, body) SELECT $1, $2, nullif($5::bigint, 0), $4 WHERE ` + linkFresh + `)
SELECT ` + linkedFormResult

// AddNote records therapist a's private note body about a's couple (and
// their session sessionID, or none for 0), in one round trip. NotFound
// when a's link is no longer active or the session is not a's;
// mend.ErrFormUsed, recording nothing, when formKey was used already.
func (db *DB) AddNote(ctx context.Context, a mend.TherapistAccess, sessionID int64, body string, formKey []byte) error {
	var linked, fresh bool
	err := db.Pool.QueryRow(ctx, addNoteSQL, a.CoupleID(), a.UserID(), keyArg(formKey), body, sessionID).Scan(&linked, &fresh)
	return lockedFormErr(err, linked, fresh)
}

const editNoteSQL = `
UPDATE therapist_notes n SET body = $4, session_id = nullif($5::bigint, 0),
  updated_at = greatest(now(), n.updated_at + interval '1 microsecond')
WHERE n.couple_id = $1 AND n.therapist_id = $2 AND n.id = $3 AND ` + guardTherapist + ` AND ` + ownSession + `
  AND (n.body <> $4 OR n.session_id IS DISTINCT FROM nullif($5::bigint, 0))`

// EditNote changes therapist a's own note id to say body, about session
// sessionID (0: none). Nothing changes when it says that already.
// mend.ErrNoNote when the note or the session is not a's, or a's link is
// no longer active.
func (db *DB) EditNote(ctx context.Context, a mend.TherapistAccess, id, sessionID int64, body string) (changed bool, err error) {
	b := &pgx.Batch{}
	b.Queue(editNoteSQL, a.CoupleID(), a.UserID(), id, body, sessionID)
	b.Queue(`SELECT count(*) FROM therapist_notes n WHERE n.couple_id = $1 AND n.therapist_id = $2 AND n.id = $3 AND `+guardTherapist+`
		AND ($4::bigint = 0 OR EXISTS (SELECT 1 FROM therapy_sessions x WHERE x.couple_id = $1 AND x.id = $4 AND x.therapist_id = $2))`,
		a.CoupleID(), a.UserID(), id, sessionID)
	res := db.Pool.SendBatch(ctx, b)
	tag, err := res.Exec()
	var found int
	if err == nil {
		err = res.QueryRow().Scan(&found)
	}
	if cerr := res.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return false, mapErr(err)
	case found == 0:
		return false, mend.ErrNoNote
	}
	return tag.RowsAffected() > 0, nil
}

// queueNotes queues therapist a's own notes about a's couple, newest
// first (only note id when it is not 0); sending b fills the list.
func queueNotes(b *batch, a mend.TherapistAccess, id int64) *[]mend.TherapistNote {
	b.Queue(`SELECT n.id, coalesce(n.session_id, 0), n.body, n.created_at, n.updated_at FROM therapist_notes n
		WHERE n.couple_id = $1 AND n.therapist_id = $2 AND `+guardTherapist+` AND ($3::bigint = 0 OR n.id = $3)
		ORDER BY n.created_at DESC, n.id DESC LIMIT 500`, a.CoupleID(), a.UserID(), id)
	ns := &[]mend.TherapistNote{}
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		*ns, err = pgx.CollectRows(rows, pgx.RowToStructByPos[mend.TherapistNote])
		return err
	})
	return ns
}
