package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// The progress page reads, in one batch, everything its charts count: the
// check-in scores, the commitments with their logs, the triggers (without
// their words), the setbacks, and for a partner the hard dates. Each read
// has the scope of the reader: a partner's own space, or what is shared
// with a therapist.

// setbackScope is the setbacks partner $2 of couple $1 may see: their own,
// and the other partner's that are not private and were marked in both
// partners' current membership (as for triggers).
const setbackScope = `FROM setbacks s
WHERE s.couple_id = $1 AND ` + guardPartner + `
  AND (s.user_id = $2 OR (s.visibility <> 'private'
    AND s.created_at >= ` + bothJoined + ` AND s.user_id IN ` + currentPartners + `))`

// therapistSetbackScope is what therapist $2 of couple $1 may see: setbacks
// marked for them, in their writer's current membership and since the last
// time a partner left, while the link lasts. A setback is marked for the
// therapist one by one; no default share applies.
const therapistSetbackScope = `FROM setbacks s
JOIN couple_members w ON w.couple_id = s.couple_id AND w.user_id = s.user_id AND w.left_at IS NULL
WHERE s.couple_id = $1 AND ` + guardTherapist + ` AND s.visibility = 'therapist' AND s.created_at >= w.joined_at
  AND s.created_at >= ` + sinceLastLeft

const setbackCols = `s.id, s.couple_id, s.user_id, s.day, s.note, s.visibility, s.created_at`

// The setbacks of days $3 to $4, for a partner and for a therapist.
const (
	setbacksSQL          = `SELECT ` + setbackCols + ` ` + setbackScope + ` AND s.day BETWEEN $3 AND $4 ORDER BY s.day, s.id`
	therapistSetbacksSQL = `SELECT ` + setbackCols + ` ` + therapistSetbackScope + ` AND s.day BETWEEN $3 AND $4 ORDER BY s.day, s.id`
)

// The triggers of days $3 to $4, for a partner and for a therapist.
const (
	triggerPointsSQL          = `SELECT t.user_id, t.local_day, t.category, t.intensity ` + triggerScope + ` AND t.local_day BETWEEN $3 AND $4`
	therapistTriggerPointsSQL = `SELECT t.user_id, t.local_day, t.category, t.intensity ` + therapistTriggerScope + ` AND t.local_day BETWEEN $3 AND $4`
)

const coupleStartedSQL = `SELECT c.created_at FROM couples c WHERE c.id = $1 AND ` + guardTherapist

// queueProgress queues the reads of a progress page for a over q; sending
// b fills them in. A partner's hard dates and the space's start come with
// their space (see ProgressOf).
func queueProgress(b *batch, a mend.Reader, q mend.ProgressQuery) *mend.ProgressReads {
	r := &mend.ProgressReads{}
	triggers, setbacks := triggerPointsSQL, setbacksSQL
	points, pointArgs := pointsSQL, []any{a.CoupleID(), a.UserID(), q.Today, q.From, q.Today}
	if _, partner := a.(mend.PartnerAccess); !partner {
		triggers, setbacks = therapistTriggerPointsSQL, therapistSetbacksSQL
		// A partner far east of the therapist may be on a later date (up
		// to two days, between UTC−11 and UTC+14).
		points, pointArgs = therapistPointsSQL, []any{a.CoupleID(), a.UserID(), q.From, q.Today.AddDate(0, 0, 2)}
	}
	queueRows(b, &r.Points, points, pointArgs...)
	set := queueCommitmentSet(b, a, 0, q.From.AddDate(0, 0, -7))
	b.then(func(pgx.BatchResults) error {
		r.Commitments = *set
		return nil
	})
	queueRows(b, &r.Triggers, triggers, a.CoupleID(), a.UserID(), q.From, q.Today.AddDate(0, 0, 2))
	b.Queue(setbacks, a.CoupleID(), a.UserID(), q.From, q.Today.AddDate(0, 0, 2))
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		r.Setbacks, err = pgx.CollectRows(rows, scanSetbackRow)
		return err
	})
	ds := queueDisclosureMarks(b, a, q.From, q.Today.AddDate(0, 0, 2))
	b.then(func(pgx.BatchResults) error {
		r.Disclosures = *ds
		return nil
	})
	return r
}

func scanSetbackRow(row pgx.CollectableRow) (mend.Setback, error) {
	var s mend.Setback
	err := row.Scan(&s.ID, &s.CoupleID, &s.UserID, &s.Day, &s.Note, &s.Visibility, &s.CreatedAt)
	return s, err
}

// ProgressOf reads partner a's progress page over q, with a's space, in
// one round trip. NotFound when a is in no space.
func (db *DB) ProgressOf(ctx context.Context, a mend.PartnerAccess, q mend.ProgressQuery) (*mend.ProgressReads, error) {
	r, err := db.progressOf(ctx, a, q)
	if err == nil && r.Space.Access != a {
		// The membership changed since the request began: read again as
		// the space found says (see TodayOf).
		r, err = db.progressOf(ctx, r.Space.Access, q)
		if err == nil && r.Space.Access.IsZero() {
			return nil, mend.ErrNotFound
		}
	}
	return r, err
}

func (db *DB) progressOf(ctx context.Context, a mend.PartnerAccess, q mend.ProgressQuery) (*mend.ProgressReads, error) {
	b := &batch{}
	sp := queueSpace(b, a.UserID())
	r := queueProgress(b, a, q)
	ds := queueHardDates(b, a)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	r.Space, r.HardDates, r.Started = sp, *ds, sp.Created
	return r, nil
}

// TherapistProgress reads therapist a's progress page of their couple over
// q in one round trip: the partners, when the space began, and what each
// shares with a.
func (db *DB) TherapistProgress(ctx context.Context, a mend.TherapistAccess, q mend.ProgressQuery) (*mend.ProgressReads, error) {
	b := &batch{}
	ms := queueMembers(b, a)
	var started time.Time
	b.Queue(coupleStartedSQL, a.CoupleID(), a.UserID())
	b.then(func(res pgx.BatchResults) error { return res.QueryRow().Scan(&started) })
	r := queueProgress(b, a, q)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	r.Members, r.Started = *ms, started
	return r, nil
}

// addSetbackSQL records a setback ($4…) under the writer's lock, with its
// form's key: see lockedForm.
const addSetbackSQL = lockedForm + `,
s AS (INSERT INTO setbacks (couple_id, user_id, day, note, visibility)
  SELECT $1, $2, $4, $5, $6 WHERE ` + formFresh + `)
SELECT ` + lockedFormResult

// AddSetback records partner a's setback s in one round trip.
// mend.ErrFormUsed, recording nothing, when formKey was used already.
func (db *DB) AddSetback(ctx context.Context, a mend.PartnerAccess, s mend.Setback, formKey []byte) error {
	var partner, fresh bool
	err := db.Pool.QueryRow(ctx, addSetbackSQL, a.CoupleID(), a.UserID(), keyArg(formKey), s.Day, s.Note, s.Visibility).Scan(&partner, &fresh)
	return lockedFormErr(err, partner, fresh)
}

// RemoveSetback removes partner a's own setback id. NotFound when a has no
// such setback (their partner's included: nobody removes another's).
func (db *DB) RemoveSetback(ctx context.Context, a mend.PartnerAccess, id int64) error {
	tag, err := db.Pool.Exec(ctx, `DELETE FROM setbacks s WHERE s.couple_id = $1 AND s.id = $3 AND s.user_id = $2 AND `+guardPartner,
		a.CoupleID(), a.UserID(), id)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNotFound
	}
	return mapErr(err)
}
