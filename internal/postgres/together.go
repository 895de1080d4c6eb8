package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// togetherScope is the times together partner $2 of couple $1 sees: their
// own, and the other partner's logged while both current partners were in
// the space. Nothing here is private, and none of it reaches the therapist.
const togetherScope = `FROM time_together t
WHERE t.couple_id = $1 AND ` + guardPartner + `
  AND (t.user_id = $2 OR (t.created_at >= ` + bothJoined + ` AND t.user_id IN ` + currentPartners + `))`

// togetherNotes are the notes on a time together p the reader sees: their
// own, and the other partner's written in their current membership.
const togetherNotes = `LEFT JOIN LATERAL (
  SELECT coalesce(array_agg(n.user_id ORDER BY n.user_id), '{}'), coalesce(array_agg(n.note ORDER BY n.user_id), '{}'),
         coalesce(array_agg(coalesce(n.rating, -1) ORDER BY n.user_id), '{}')
  FROM time_together_notes n
  WHERE n.couple_id = $1 AND n.together_id = p.id
    AND (n.user_id = $2 OR (n.created_at >= ` + bothJoined + ` AND n.user_id IN ` + currentPartners + `))
) ns ON true`

const togetherSQL = `SELECT p.*, ns.* FROM (SELECT t.id, t.user_id, t.on_day, t.what, t.created_at ` + togetherScope + `
  AND ($3::bigint = 0 OR t.id = $3) ORDER BY t.on_day DESC, t.id DESC LIMIT $4) p ` + togetherNotes + `
ORDER BY p.on_day DESC, p.id DESC`

// TogetherOf reads, in one round trip, partner a's space and the times
// together a sees (one when id is not 0), newest day first, with notes.
func (db *DB) TogetherOf(ctx context.Context, a mend.PartnerAccess, id int64) (*mend.Space, []mend.Together, error) {
	b := &batch{}
	sp := queueSpace(b, a.UserID())
	var ts []mend.Together
	b.Queue(togetherSQL, a.CoupleID(), a.UserID(), id, mend.TogetherList)
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		ts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Together, error) {
			var t mend.Together
			var users []int64
			var notes []string
			var ratings []int
			err := r.Scan(&t.ID, &t.UserID, &t.Day, &t.What, &t.CreatedAt, &users, &notes, &ratings)
			for i := range users {
				n := mend.TogetherNote{UserID: users[i], Note: notes[i]}
				if ratings[i] >= 0 {
					n.Rating = &ratings[i]
				}
				t.Notes = append(t.Notes, n)
			}
			return t, err
		})
		return err
	})
	if err := db.send(ctx, b); err != nil {
		return nil, nil, err
	}
	if sp.Access != a {
		return nil, nil, mend.ErrNotFound
	}
	return sp, ts, nil
}

// logTogetherSQL logs a time together ($4 day, $5 what) and the writer's
// note on it ($6, $7 a rating or NULL; no note when both are empty), under
// the writer's lock with the form's key.
const logTogetherSQL = lockedForm + `,
t AS (INSERT INTO time_together (couple_id, user_id, on_day, what)
  SELECT $1, $2, $4, $5 WHERE ` + formFresh + ` RETURNING id),
n AS (INSERT INTO time_together_notes (couple_id, together_id, user_id, note, rating)
  SELECT $1, t.id, $2, $6, $7 FROM t WHERE $6 <> '' OR $7::smallint IS NOT NULL)
SELECT ` + lockedFormResult + `, coalesce((SELECT id FROM t), 0)`

// LogTogether records partner a's time together on day, with a's note and
// rating (nil for none). mend.ErrFormUsed, recording nothing, when formKey
// was used already.
func (db *DB) LogTogether(ctx context.Context, a mend.PartnerAccess, day time.Time, what, note string, rating *int, formKey []byte) (int64, error) {
	var id int64
	var partner, fresh bool
	err := db.Pool.QueryRow(ctx, logTogetherSQL, a.CoupleID(), a.UserID(), keyArg(formKey), day, what, note, rating).
		Scan(&partner, &fresh, &id)
	return id, lockedFormErr(err, partner, fresh)
}

// noteTogetherSQL writes, replaces or (both empty) deletes partner $2's own
// note on time together $3, one they see, under their lock.
const noteTogetherSQL = `WITH m AS MATERIALIZED (` + lockMembershipSQL + `),
t AS MATERIALIZED (SELECT t.id ` + togetherScope + ` AND t.id = $3 AND EXISTS (SELECT 1 FROM m)),
d AS (DELETE FROM time_together_notes n USING t WHERE n.couple_id = $1 AND n.together_id = t.id AND n.user_id = $2
  AND $4 = '' AND $5::smallint IS NULL),
w AS (INSERT INTO time_together_notes (couple_id, together_id, user_id, note, rating)
  SELECT $1, t.id, $2, $4, $5 FROM t WHERE $4 <> '' OR $5::smallint IS NOT NULL
  ON CONFLICT (couple_id, together_id, user_id) DO UPDATE SET note = excluded.note, rating = excluded.rating, updated_at = now())
SELECT EXISTS (SELECT 1 FROM m), EXISTS (SELECT 1 FROM t)`

// NoteTogether writes partner a's own note and rating on time together id
// (both empty: removes a's note). mend.ErrNoTogether when a does not see it.
func (db *DB) NoteTogether(ctx context.Context, a mend.PartnerAccess, id int64, note string, rating *int) error {
	var partner, found bool
	err := db.Pool.QueryRow(ctx, noteTogetherSQL, a.CoupleID(), a.UserID(), id, note, rating).Scan(&partner, &found)
	switch {
	case err != nil:
		return mapErr(err)
	case !partner:
		return mapErr(pgx.ErrNoRows)
	case !found:
		return mend.ErrNoTogether
	}
	return nil
}

const deleteMyTogetherSQL = `DELETE FROM time_together WHERE couple_id = $1 AND user_id = $2 AND id = $3`

// DeleteTogether deletes the time together id partner a logged, with both
// notes on it, under the lock on a's membership. mend.ErrNoTogether when a
// did not log it.
func (db *DB) DeleteTogether(ctx context.Context, a mend.PartnerAccess, id int64) error {
	return db.deleteMine(ctx, a, deleteMyTogetherSQL, id, mend.ErrNoTogether)
}
