package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// The short check after a session. A partner reads only their own answers;
// the therapist of the couple's active, agreed link reads an answer only
// when its writer shared it, wrote it during that link and in their current
// membership. The other partner never reads one: no statement here reads a
// partner's check for anyone but its writer or that therapist.

// currentTherapistSessions are the sessions s of couple $1 that the
// therapist of its active, agreed link l recorded.
const currentTherapistSessions = `FROM therapy_sessions s
JOIN therapist_links l ON l.couple_id = s.couple_id AND l.therapist_id = s.therapist_id AND l.ended_at IS NULL AND l.agreed_at IS NOT NULL
WHERE s.couple_id = $1`

// answeredDuringLink holds when partner $2 answered about session s during
// its therapist's link l (an answer from an earlier link about the same
// day does not count: see saveSessionCheckSQL).
const answeredDuringLink = `EXISTS (SELECT 1 FROM session_checks c
  WHERE c.couple_id = $1 AND c.user_id = $2 AND c.session_day = s.day AND c.created_at >= l.agreed_at)`

// openSessionsSQL is the days $3 to $4 of the sessions the current
// therapist of partner $2's couple $1 recorded, with the therapist's own
// name, latest first, at most $5.
const openSessionsSQL = `SELECT DISTINCT s.day, coalesce(u.name, '')
FROM therapy_sessions s
JOIN therapist_links l ON l.couple_id = s.couple_id AND l.therapist_id = s.therapist_id AND l.ended_at IS NULL AND l.agreed_at IS NOT NULL
JOIN users u ON u.id = l.therapist_id
WHERE s.couple_id = $1 AND ` + guardPartner + ` AND s.day BETWEEN $3 AND $4`

const openSessionsOrder = ` ORDER BY s.day DESC LIMIT $5`

// queueOpenSessions queues the sessions of partner a's current therapist
// from day from to day to, latest first (only those a has not answered
// about when unanswered), at most limit; sending b fills the list. Empty
// without an active therapist.
func queueOpenSessions(b *batch, a mend.PartnerAccess, from, to time.Time, unanswered bool, limit int) *[]mend.SessionToCheck {
	sql := openSessionsSQL
	if unanswered {
		sql += ` AND NOT ` + answeredDuringLink
	}
	b.Queue(sql+openSessionsOrder, a.CoupleID(), a.UserID(), from, to, limit)
	out := &[]mend.SessionToCheck{}
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		*out, err = pgx.CollectRows(rows, pgx.RowToStructByPos[mend.SessionToCheck])
		return err
	})
	return out
}

const sessionCheckCols = `c.id, c.user_id, c.session_day, c.went, c.heard, c.connected, c.hopeful, c.note, c.shared, c.created_at, c.updated_at`

// ownSessionChecksSQL is partner $2's own checks in couple $1 about the
// sessions of days $3 to $4.
const ownSessionChecksSQL = `SELECT ` + sessionCheckCols + ` FROM session_checks c
WHERE c.couple_id = $1 AND c.user_id = $2 AND ` + guardPartner + ` AND c.session_day BETWEEN $3 AND $4
ORDER BY c.session_day DESC LIMIT 500`

// sharedSessionChecksSQL is what therapist $2 of couple $1 reads of the
// checks about the sessions of days $3 to $4: those shared with the
// therapist, by a partner in their current membership, written since that
// partner joined, since the last time a partner left, and since the
// therapist's active link was agreed. Nothing unshared, ever.
const sharedSessionChecksSQL = `SELECT ` + sessionCheckCols + ` FROM session_checks c
JOIN couple_members w ON w.couple_id = c.couple_id AND w.user_id = c.user_id AND w.left_at IS NULL
WHERE c.couple_id = $1 AND ` + guardTherapist + ` AND c.shared AND c.session_day BETWEEN $3 AND $4
  AND c.created_at >= w.joined_at AND c.created_at >= ` + sinceLastLeft + `
  AND c.created_at >= (SELECT max(k.agreed_at) FROM therapist_links k
    WHERE k.couple_id = $1 AND k.therapist_id = $2 AND k.ended_at IS NULL AND k.agreed_at IS NOT NULL)
ORDER BY c.session_day DESC, c.user_id LIMIT 500`

// queueSessionChecks queues the session checks reader a may read about the
// sessions of days from to to, latest session first; sending b fills the
// list. A partner reads only their own answers (shared or not); a
// therapist only the shared answers of partners in their current
// membership, written during a's active link. Neither ever reads the
// other partner's unshared answers; a partner never reads the other
// partner's at all.
func queueSessionChecks(b *batch, a mend.Reader, from, to time.Time) *[]mend.SessionCheck {
	sql := sharedSessionChecksSQL
	if _, partner := a.(mend.PartnerAccess); partner {
		sql = ownSessionChecksSQL
	}
	out := &[]mend.SessionCheck{}
	queueRows(b, out, sql, a.CoupleID(), a.UserID(), from, to)
	return out
}

// SessionChecks returns, in one round trip, the session checks a may read
// about the sessions of days from to to (see queueSessionChecks), latest
// session first. For a therapist whose link ended: none (no error).
func (db *DB) SessionChecks(ctx context.Context, a mend.Reader, from, to time.Time) ([]mend.SessionCheck, error) {
	b := &batch{}
	cs := queueSessionChecks(b, a, from, to)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	return *cs, nil
}

// SessionCheckReads reads, with partner a's space, in one round trip: the
// sessions of a's current therapist from day from to day to (latest first)
// and a's own answers about sessions from day since to day to. NotFound
// when a is in no space.
func (db *DB) SessionCheckReads(ctx context.Context, a mend.PartnerAccess, from, to, since time.Time) (*mend.SessionCheckReads, error) {
	r, err := db.sessionCheckReads(ctx, a, from, to, since)
	if err == nil && r.Space.Access != a {
		// The membership changed since the request began (see TodayOf).
		r, err = db.sessionCheckReads(ctx, r.Space.Access, from, to, since)
		if err == nil && r.Space.Access.IsZero() {
			return nil, mend.ErrNotFound
		}
	}
	return r, err
}

func (db *DB) sessionCheckReads(ctx context.Context, a mend.PartnerAccess, from, to, since time.Time) (*mend.SessionCheckReads, error) {
	b := &batch{}
	sp := queueSpace(b, a.UserID())
	open := queueOpenSessions(b, a, from, to, false, mend.SessionCheckDays+1)
	mine := queueSessionChecks(b, a, since, to)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	return &mend.SessionCheckReads{Space: sp, Open: *open, Mine: *mine}, nil
}

// saveSessionCheckSQL saves partner $2's check about the session of day $4
// in couple $1, with its form's key $3: m locks the membership only when
// day $4 is a session of the couple's current therapist within days $5 to
// $6 (no row: nothing written, the key not used, NotFound); see lockedForm.
// Answering again changes the row in place. An answer left from an earlier
// therapist's link about the same day becomes a new answer of this link
// (its created_at moves on), so it is read as written now.
const saveSessionCheckSQL = `WITH m AS MATERIALIZED (SELECT id FROM couple_members
  WHERE couple_id = $1 AND user_id = $2 AND left_at IS NULL
    AND EXISTS (SELECT 1 ` + currentTherapistSessions + ` AND s.day = $4 AND $4 BETWEEN $5::date AND $6::date)
  FOR UPDATE),
f AS (INSERT INTO form_submissions (key_hash, user_id) SELECT $3::bytea, $2 WHERE $3::bytea IS NOT NULL AND EXISTS (SELECT 1 FROM m)
  ON CONFLICT (key_hash) DO NOTHING RETURNING 1),
k AS (SELECT max(l.agreed_at) AS agreed FROM therapist_links l WHERE l.couple_id = $1 AND l.ended_at IS NULL AND l.agreed_at IS NOT NULL),
w AS (INSERT INTO session_checks AS c (couple_id, user_id, session_day, went, heard, connected, hopeful, note, shared)
  SELECT $1, $2, $4, $7, $8, $9, $10, $11, $12 WHERE ` + formFresh + `
  ON CONFLICT (couple_id, user_id, session_day) DO UPDATE SET
    went = EXCLUDED.went, heard = EXCLUDED.heard, connected = EXCLUDED.connected, hopeful = EXCLUDED.hopeful,
    note = EXCLUDED.note, shared = EXCLUDED.shared,
    updated_at = greatest(now(), c.updated_at + interval '1 microsecond'),
    created_at = CASE WHEN c.created_at < (SELECT agreed FROM k) THEN now() ELSE c.created_at END)
SELECT ` + lockedFormResult

// SaveSessionCheck saves partner a's check c about the session of
// c.SessionDay, in one round trip; answering again changes the answer in
// place. mend.ErrNoSessionToCheck, writing nothing, when that day is not a
// session of the couple's current therapist between from and to (or a is
// no partner); mend.ErrFormUsed, writing nothing, when formKey was used.
func (db *DB) SaveSessionCheck(ctx context.Context, a mend.PartnerAccess, c mend.SessionCheck, from, to time.Time, formKey []byte) error {
	var found, fresh bool
	err := db.Pool.QueryRow(ctx, saveSessionCheckSQL, a.CoupleID(), a.UserID(), keyArg(formKey), c.SessionDay, from, to,
		c.Went, c.Heard, c.Connected, c.Hopeful, c.Note, c.Shared).Scan(&found, &fresh)
	if err == nil && !found {
		return mend.ErrNoSessionToCheck
	}
	return lockedFormErr(err, found, fresh)
}

// TherapistSessionChecks reads therapist a's page of the checks the
// partners shared with them, in one round trip: the partners and the
// shared answers about sessions from day from to day to.
func (db *DB) TherapistSessionChecks(ctx context.Context, a mend.TherapistAccess, from, to time.Time) (*mend.TherapistSessionChecksPage, error) {
	b := &batch{}
	ms := queueMembers(b, a)
	cs := queueSessionChecks(b, a, from, to)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	return &mend.TherapistSessionChecksPage{Access: a, Members: *ms, Checks: *cs}, nil
}
