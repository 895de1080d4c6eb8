package postgres

import (
	"context"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// The therapist's own records about a couple (session dates, notes,
// suggestions) are written only while their link is active and agreed.

// lockedLink opens a statement that writes for therapist $2 of couple $1
// in one round trip, as lockedForm does for a partner: l takes a share lock
// on their active, agreed link (no row: no access; ending the link waits
// for the write, and a write after the end finds nothing), and f records
// the create form's key $3 (NULL: none) for a linked therapist only. The
// statement's own write goes on where linkFresh holds.
const lockedLink = `WITH l AS MATERIALIZED (SELECT id FROM therapist_links
  WHERE couple_id = $1 AND therapist_id = $2 AND ended_at IS NULL AND agreed_at IS NOT NULL FOR SHARE),
f AS (INSERT INTO form_submissions (key_hash, user_id) SELECT $3::bytea, $2 WHERE $3::bytea IS NOT NULL AND EXISTS (SELECT 1 FROM l)
  ON CONFLICT (key_hash) DO NOTHING RETURNING 1)`

// linkFresh: see lockedLink.
const linkFresh = `EXISTS (SELECT 1 FROM l) AND ($3::bytea IS NULL OR EXISTS (SELECT 1 FROM f))`

// linkedFormResult reads what a lockedLink statement found: a linked
// therapist (false: NotFound) and a fresh key (false: mend.ErrFormUsed).
const linkedFormResult = `EXISTS (SELECT 1 FROM l), ` + linkFresh

// sessionsOf is therapist $2's session dates with couple $1, while linked.
const sessionsOf = `FROM therapy_sessions s WHERE s.couple_id = $1 AND s.therapist_id = $2 AND ` + guardTherapist

const addSessionSQL = lockedLink + `,
s AS (INSERT INTO therapy_sessions (couple_id, therapist_id, day) SELECT $1, $2, $4 WHERE ` + linkFresh + `)
SELECT ` + linkedFormResult

// AddTherapySession records the date of a session of therapist a with
// a's couple, in one round trip. NotFound when a's link is no longer
// active; mend.ErrFormUsed, recording nothing, when formKey was used.
func (db *DB) AddTherapySession(ctx context.Context, a mend.TherapistAccess, day time.Time, formKey []byte) error {
	var linked, fresh bool
	err := db.Pool.QueryRow(ctx, addSessionSQL, a.CoupleID(), a.UserID(), keyArg(formKey), day).Scan(&linked, &fresh)
	return lockedFormErr(err, linked, fresh)
}

// RemoveTherapySession removes therapist a's session date id; notes about
// it stay, about the couple. mend.ErrNoSession when it is not a's or a's
// link is no longer active.
func (db *DB) RemoveTherapySession(ctx context.Context, a mend.TherapistAccess, id int64) error {
	tag, err := db.Pool.Exec(ctx, `DELETE FROM therapy_sessions s WHERE s.couple_id = $1 AND s.therapist_id = $2 AND s.id = $3 AND `+guardTherapist,
		a.CoupleID(), a.UserID(), id)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoSession
	}
	return mapErr(err)
}

// sessionDatesSQL is the last session date of therapist $2 with couple $1
// before $3 and the next from $3 on; no row when $2 is not linked.
const sessionDatesSQL = `SELECT
  (SELECT max(s.day) FROM therapy_sessions s WHERE s.couple_id = $1 AND s.therapist_id = $2 AND s.day < $3),
  (SELECT min(s.day) FROM therapy_sessions s WHERE s.couple_id = $1 AND s.therapist_id = $2 AND s.day >= $3)
WHERE ` + guardTherapist

// SessionDates returns therapist a's last session with a's couple before
// today and the next from today on (today's is the next), in one round
// trip. NotFound when a's link is no longer active.
func (db *DB) SessionDates(ctx context.Context, a mend.TherapistAccess, today time.Time) (mend.SessionDates, error) {
	b := &batch{}
	d := queueSessionDates(b, a, today)
	if err := db.send(ctx, b); err != nil {
		return mend.SessionDates{}, err
	}
	return *d, nil
}

// queueSessionDates queues the query of SessionDates in b, for a page that
// reads them with others in one round trip; sending b fills the dates (or
// fails with NotFound when a's link is no longer active).
func queueSessionDates(b *batch, a mend.TherapistAccess, today time.Time) *mend.SessionDates {
	b.Queue(sessionDatesSQL, a.CoupleID(), a.UserID(), today)
	d := &mend.SessionDates{}
	b.then(func(res pgx.BatchResults) error { return res.QueryRow().Scan(&d.Last, &d.Next) })
	return d
}

// nextSessionsSQL is, for each couple of therapist $1's active agreed
// links, the first of their session dates from $2 on. The couples come
// from therapist_links (a reference table); each couple's dates are read
// by its own index. Under Citus this runs on every shard that holds one
// of the couples; pass the caseload's ids as couple_id = ANY(...) then.
const nextSessionsSQL = `
SELECT l.couple_id, n.day FROM therapist_links l
CROSS JOIN LATERAL (SELECT min(s.day) AS day FROM therapy_sessions s
  WHERE s.couple_id = l.couple_id AND s.therapist_id = l.therapist_id AND s.day >= $2) n
WHERE l.therapist_id = $1 AND l.ended_at IS NULL AND l.agreed_at IS NOT NULL AND n.day IS NOT NULL`

// NextSessions returns, in one statement, the next session date (from
// today on) of each couple therapist therapistID is linked to now, by
// couple id; couples without one are left out.
func (db *DB) NextSessions(ctx context.Context, therapistID int64, today time.Time) (map[int64]time.Time, error) {
	rows, err := db.Pool.Query(ctx, nextSessionsSQL, therapistID, today)
	if err != nil {
		return nil, mapErr(err)
	}
	next := map[int64]time.Time{}
	var coupleID int64
	var day time.Time
	_, err = pgx.ForEachRow(rows, []any{&coupleID, &day}, func() error {
		next[coupleID] = day
		return nil
	})
	return next, mapErr(err)
}

// TherapySessionsPage reads, in one round trip, the partners of therapist
// a's couple, a's session dates with them and a's own notes about them
// (only note noteID when it is not 0). The sessions come the next one
// first, then the rest to come, then the past, latest first.
func (db *DB) TherapySessionsPage(ctx context.Context, a mend.TherapistAccess, today time.Time, noteID int64) (*mend.TherapySessionsPage, error) {
	b := &batch{}
	ms := queueMembers(b, a)
	p := &mend.TherapySessionsPage{Access: a, Today: today}
	b.Queue(`SELECT s.id, s.day, s.created_at `+sessionsOf+` ORDER BY s.day DESC, s.id DESC LIMIT 500`, a.CoupleID(), a.UserID())
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		p.Sessions, err = pgx.CollectRows(rows, pgx.RowToStructByPos[mend.TherapySession])
		return err
	})
	ns := queueNotes(b, a, noteID)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	p.Members, p.Notes = *ms, *ns
	sortSessions(p.Sessions, today)
	return p, nil
}

// sortSessions puts the sessions to come first, soonest first, then the
// past ones, latest first.
func sortSessions(ss []mend.TherapySession, today time.Time) {
	sort.SliceStable(ss, func(i, j int) bool {
		ci, cj := !ss[i].Day.Before(today), !ss[j].Day.Before(today)
		switch {
		case ci != cj:
			return ci
		case ci:
			return ss[i].Day.Before(ss[j].Day)
		}
		return ss[i].Day.After(ss[j].Day)
	})
}
