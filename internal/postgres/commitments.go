package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// commitmentScope is the commitments partner $2 of couple $1 may see: those
// of the current pair. A commitment is between two people: it is made after
// both current partners joined, and while there are two of them; when one
// leaves, the pair's commitments leave with them. The join on the reader's
// membership is the guard.
const commitmentScope = `FROM commitments c
JOIN couple_members me ON me.couple_id = c.couple_id AND me.user_id = $2 AND me.left_at IS NULL
JOIN couple_members w ON w.couple_id = c.couple_id AND w.user_id = c.owner_id AND w.left_at IS NULL
WHERE c.couple_id = $1 AND c.created_at >= me.joined_at AND c.created_at >= w.joined_at
  AND (SELECT count(*) FROM couple_members x WHERE x.couple_id = c.couple_id AND x.left_at IS NULL AND x.joined_at <= c.created_at) = 2`

// therapistCommitmentScope is what therapist $2 of couple $1 may see: the
// commitments whose agreed version is marked for the therapist, while the
// owner shares commitments with them and the link lasts.
const therapistCommitmentScope = `FROM commitments c
JOIN couple_members w ON w.couple_id = c.couple_id AND w.user_id = c.owner_id AND w.left_at IS NULL
JOIN commitment_versions tv ON tv.commitment_id = c.id AND tv.version = c.version AND tv.visibility = 'therapist'
WHERE c.couple_id = $1 AND ` + guardTherapist + ` AND c.created_at >= w.joined_at
  AND (SELECT count(*) FROM couple_members x WHERE x.couple_id = c.couple_id AND x.left_at IS NULL AND x.joined_at <= c.created_at) = 2
  AND (SELECT e.shared FROM consent_events e ` + currentEra + `
       WHERE e.couple_id = c.couple_id AND e.user_id = c.owner_id AND e.kind = 'commitments'
       ORDER BY e.at DESC, e.id DESC LIMIT 1)`

const commitmentCols = `c.id, c.couple_id, c.owner_id, c.state, c.version, coalesce(c.pending, 0), c.changes_asked, c.created_at, c.updated_at`

func scanCommitment(r pgx.Row) (mend.Commitment, error) {
	var c mend.Commitment
	err := r.Scan(&c.ID, &c.CoupleID, &c.OwnerID, &c.State, &c.Version, &c.Pending, &c.ChangesAsked, &c.CreatedAt, &c.UpdatedAt)
	return c, err
}

func newSet() *mend.CommitmentSet {
	return &mend.CommitmentSet{Versions: map[int64]map[int]*mend.CommitmentVersion{},
		Events: map[int64][]mend.CommitmentEvent{}, Logs: map[int64][]mend.CommitmentLog{}}
}

// queueSet queues the four queries of a set of commitments in scope, with
// one commitment (id $3, or all when 0) and logs from $4 on. $3 is cast to
// bigint where it is first compared with 0: otherwise PostgreSQL infers
// integer from the literal, and an id from 2^31 on fails to encode. For a
// therapist, only versions that were agreed come back, and no notes: what the
// partners wrote to each other never leaves the database for them.
func queueSet(b *pgx.Batch, scope string, a mend.Reader, id int64, logsFrom time.Time) {
	only := ` AND ($3::bigint = 0 OR c.id = $3)`
	agreedOnly, eventNote, logNote := "", "e.note", "l.note"
	if _, therapist := a.(mend.TherapistAccess); therapist {
		agreedOnly = ` WHERE EXISTS (SELECT 1 FROM commitment_events ae WHERE ae.commitment_id = v.commitment_id
		  AND ae.version = v.version AND ae.action IN ('agreed', 'kept'))`
		eventNote, logNote = "''", "''"
	}
	b.Queue(`SELECT `+commitmentCols+` `+scope+only+` ORDER BY c.created_at, c.id`, a.CoupleID(), a.UserID(), id)
	b.Queue(`SELECT v.commitment_id, v.version, coalesce(v.proposed_by, 0), v.title, v.details, v.rhythm, v.weekdays,
	  v.starts_on, v.review_on, v.visibility, v.created_at
	FROM commitment_versions v JOIN (SELECT c.id `+scope+only+`) s ON s.id = v.commitment_id`+agreedOnly+`
	ORDER BY v.commitment_id, v.version`, a.CoupleID(), a.UserID(), id)
	b.Queue(`SELECT e.commitment_id, e.version, coalesce(e.actor_id, 0), e.action, `+eventNote+`, e.on_day, e.at
	FROM commitment_events e JOIN (SELECT c.id `+scope+only+`) s ON s.id = e.commitment_id
	ORDER BY e.commitment_id, e.id`, a.CoupleID(), a.UserID(), id)
	b.Queue(`SELECT l.id, l.commitment_id, l.occurs_on, l.status, `+logNote+`, l.late, l.created_at, l.updated_at
	FROM commitment_logs l JOIN (SELECT c.id `+scope+only+`) s ON s.id = l.commitment_id
	WHERE l.occurs_on >= $4
	ORDER BY l.commitment_id, l.occurs_on DESC, l.id DESC`, a.CoupleID(), a.UserID(), id, logsFrom)
}

func readSet(res pgx.BatchResults) (*mend.CommitmentSet, error) {
	s := newSet()
	rows, err := res.Query()
	if err != nil {
		return nil, mapErr(err)
	}
	if s.Commitments, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Commitment, error) { return scanCommitment(r) }); err != nil {
		return nil, mapErr(err)
	}
	if rows, err = res.Query(); err != nil {
		return nil, mapErr(err)
	}
	var id int64
	var v mend.CommitmentVersion
	if _, err := pgx.ForEachRow(rows, []any{&id, &v.Version, &v.ProposedBy, &v.Title, &v.Details, &v.Rhythm, &v.Weekdays,
		&v.StartsOn, &v.ReviewOn, &v.Visibility, &v.CreatedAt}, func() error {
		if s.Versions[id] == nil {
			s.Versions[id] = map[int]*mend.CommitmentVersion{}
		}
		cp := v
		s.Versions[id][v.Version] = &cp
		return nil
	}); err != nil {
		return nil, mapErr(err)
	}
	if rows, err = res.Query(); err != nil {
		return nil, mapErr(err)
	}
	var e mend.CommitmentEvent
	if _, err := pgx.ForEachRow(rows, []any{&id, &e.Version, &e.ActorID, &e.Action, &e.Note, &e.OnDay, &e.At}, func() error {
		s.Events[id] = append(s.Events[id], e)
		return nil
	}); err != nil {
		return nil, mapErr(err)
	}
	if rows, err = res.Query(); err != nil {
		return nil, mapErr(err)
	}
	var l mend.CommitmentLog
	if _, err := pgx.ForEachRow(rows, []any{&l.ID, &l.CommitmentID, &l.OccursOn, &l.Status, &l.Note, &l.Late, &l.CreatedAt, &l.UpdatedAt}, func() error {
		s.Logs[l.CommitmentID] = append(s.Logs[l.CommitmentID], l)
		return nil
	}); err != nil {
		return nil, mapErr(err)
	}
	for i := range s.Commitments {
		c := &s.Commitments[i]
		c.Current = s.Versions[c.ID][c.Version]
		c.Proposal = s.Versions[c.ID][c.Pending]
	}
	return s, nil
}

// Commitments returns the commitments a may see (one when id is not 0),
// with logs from logsFrom on, in one round trip: a partner's those of the
// current pair, with the answers and earlier versions of one commitment's
// logs; a therapist's those shared with them, without either.
func (db *DB) Commitments(ctx context.Context, a mend.Reader, id int64, logsFrom time.Time) (*mend.CommitmentSet, error) {
	partner, isPartner := a.(mend.PartnerAccess)
	scope := therapistCommitmentScope
	if isPartner {
		scope = commitmentScope
	}
	b := &pgx.Batch{}
	queueSet(b, scope, a, id, logsFrom)
	extras := isPartner && id != 0
	if extras {
		queueLogExtras(b, partner, id)
	}
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	s, err := readSet(res)
	if err != nil || !extras {
		return s, err
	}
	return s, readLogExtras(res, s, id)
}

// queueLogExtras queues the responses and earlier versions of one
// commitment's logs.
func queueLogExtras(b *pgx.Batch, a mend.PartnerAccess, id int64) {
	b.Queue(`SELECT r.log_id, r.user_id, r.confirmed, r.body, r.updated_at
	FROM commitment_responses r JOIN commitment_logs l ON l.id = r.log_id AND l.couple_id = r.couple_id
	JOIN (SELECT c.id `+commitmentScope+` AND c.id = $3) s ON s.id = l.commitment_id
	ORDER BY r.id`, a.CoupleID(), a.UserID(), id)
	b.Queue(`SELECT v.log_id, v.status, v.note, v.saved_at
	FROM commitment_log_versions v JOIN commitment_logs l ON l.id = v.log_id AND l.couple_id = v.couple_id
	JOIN (SELECT c.id `+commitmentScope+` AND c.id = $3) s ON s.id = l.commitment_id
	ORDER BY v.id DESC`, a.CoupleID(), a.UserID(), id)
}

func readLogExtras(res pgx.BatchResults, s *mend.CommitmentSet, id int64) error {
	logs := s.Logs[id]
	at := map[int64]int{}
	for i, l := range logs {
		at[l.ID] = i
	}
	rows, err := res.Query()
	if err != nil {
		return mapErr(err)
	}
	var r mend.LogResponse
	if _, err := pgx.ForEachRow(rows, []any{&r.LogID, &r.UserID, &r.Confirmed, &r.Body, &r.At}, func() error {
		if i, ok := at[r.LogID]; ok {
			logs[i].Responses = append(logs[i].Responses, r)
		}
		return nil
	}); err != nil {
		return mapErr(err)
	}
	if rows, err = res.Query(); err != nil {
		return mapErr(err)
	}
	var v mend.LogVersion
	_, err = pgx.ForEachRow(rows, []any{&v.LogID, &v.Status, &v.Note, &v.SavedAt}, func() error {
		if i, ok := at[v.LogID]; ok {
			logs[i].Versions = append(logs[i].Versions, v)
		}
		return nil
	})
	return mapErr(err)
}

const isMemberSQL = `SELECT EXISTS (SELECT 1 FROM couple_members WHERE couple_id = $1 AND user_id = $2 AND left_at IS NULL)`

const insertCommitmentSQL = `
INSERT INTO commitments (couple_id, owner_id, state, pending) VALUES ($1, $2, 'proposed', 1) RETURNING id`

const insertVersionSQL = `
INSERT INTO commitment_versions (couple_id, commitment_id, version, proposed_by, title, details, rhythm, weekdays, starts_on, review_on, visibility)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`

const insertEventSQL = `
INSERT INTO commitment_events (couple_id, commitment_id, version, actor_id, action, note, on_day)
VALUES ($1, $2, $3, $4, $5, $6, $7)`

// ProposeCommitment records partner a's proposal of v, kept by ownerID (a
// or the other partner), on a's local day. mend.ErrFormUsed when formKey was
// used already; NotFound when ownerID is not a partner of the couple.
func (db *DB) ProposeCommitment(ctx context.Context, a mend.PartnerAccess, ownerID int64, v mend.CommitmentVersion, day time.Time, formKey []byte) (int64, error) {
	var id int64
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		if err := lockMembership(ctx, tx, a); err != nil {
			return err
		}
		if err := recordForm(ctx, tx, formKey, a.UserID()); err != nil {
			return err
		}
		var member bool
		if err := tx.QueryRow(ctx, isMemberSQL, a.CoupleID(), ownerID).Scan(&member); err != nil || !member {
			return errors.Join(err, mend.ErrPartnerNotInSpace)
		}
		if err := tx.QueryRow(ctx, insertCommitmentSQL, a.CoupleID(), ownerID).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, insertVersionSQL, a.CoupleID(), id, 1, a.UserID(), v.Title, v.Details, v.Rhythm, v.Weekdays,
			v.StartsOn, v.ReviewOn, v.Visibility); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, insertEventSQL, a.CoupleID(), id, 1, a.UserID(), mend.ActProposed, "", day)
		return err
	})
	return id, err
}

const lockCommitmentSQL = `SELECT ` + commitmentCols + ` ` + commitmentScope + ` AND c.id = $3 FOR UPDATE OF c`

const updateCommitmentSQL = `
UPDATE commitments SET state = $3, version = $4, pending = nullif($5, 0), changes_asked = $6, updated_at = now()
WHERE couple_id = $1 AND id = $2`

// DecideCommitment locks commitment id of partner a's couple, loads it with
// its versions, and applies what decide returns (or its error). NotFound
// when a may not see it.
func (db *DB) DecideCommitment(ctx context.Context, a mend.PartnerAccess, id int64, decide func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion) (*mend.CommitmentChange, error)) error {
	return db.DecideCommitmentOnce(ctx, a, id, nil, decide)
}

// DecideCommitmentOnce is DecideCommitment for a form with a key (may be
// nil): mend.ErrFormUsed, deciding nothing, when the key was used already.
func (db *DB) DecideCommitmentOnce(ctx context.Context, a mend.PartnerAccess, id int64, formKey []byte, decide func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion) (*mend.CommitmentChange, error)) error {
	return db.InTx(ctx, func(tx pgx.Tx) error {
		c, err := scanCommitment(tx.QueryRow(ctx, lockCommitmentSQL, a.CoupleID(), a.UserID(), id))
		if err != nil {
			return err
		}
		if err := recordForm(ctx, tx, formKey, a.UserID()); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT version, coalesce(proposed_by, 0), title, details, rhythm, weekdays, starts_on, review_on, visibility, created_at
			FROM commitment_versions WHERE couple_id = $1 AND commitment_id = $2`, a.CoupleID(), id)
		if err != nil {
			return err
		}
		versions := map[int]*mend.CommitmentVersion{}
		var v mend.CommitmentVersion
		if _, err := pgx.ForEachRow(rows, []any{&v.Version, &v.ProposedBy, &v.Title, &v.Details, &v.Rhythm, &v.Weekdays,
			&v.StartsOn, &v.ReviewOn, &v.Visibility, &v.CreatedAt}, func() error {
			cp := v
			versions[v.Version] = &cp
			return nil
		}); err != nil {
			return err
		}
		c.Current, c.Proposal = versions[c.Version], versions[c.Pending]
		ch, err := decide(&c, versions)
		if err != nil {
			return err
		}
		if nv := ch.NewVersion; nv != nil {
			if _, err := tx.Exec(ctx, insertVersionSQL, a.CoupleID(), id, nv.Version, a.UserID(), nv.Title, nv.Details, nv.Rhythm,
				nv.Weekdays, nv.StartsOn, nv.ReviewOn, nv.Visibility); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, updateCommitmentSQL, a.CoupleID(), id, ch.State, ch.Version, ch.Pending, ch.ChangesAsked); err != nil {
			return err
		}
		e := ch.Event
		_, err = tx.Exec(ctx, insertEventSQL, a.CoupleID(), id, e.Version, a.UserID(), e.Action, e.Note, e.OnDay)
		return err
	})
}

const lockOwnCommitmentSQL = `SELECT c.id ` + commitmentScope + ` AND c.id = $3 AND c.owner_id = $2 FOR UPDATE OF c`

const findLogSQL = `
SELECT l.id, l.status, l.note, l.updated_at,
  EXISTS (SELECT 1 FROM commitment_responses r WHERE r.log_id = l.id)
FROM commitment_logs l WHERE l.couple_id = $1 AND l.commitment_id = $2 AND l.occurs_on = $3
ORDER BY l.id LIMIT 1 FOR UPDATE`

const insertLogSQL = `
INSERT INTO commitment_logs (couple_id, commitment_id, occurs_on, status, note, late) VALUES ($1, $2, $3, $4, $5, $6)`

const keepLogVersionSQL = `
INSERT INTO commitment_log_versions (couple_id, log_id, status, note, saved_at) VALUES ($1, $2, $3, $4, $5)`

const updateLogSQL = `
UPDATE commitment_logs SET status = $3, note = $4, updated_at = greatest(now(), updated_at + interval '1 microsecond')
WHERE couple_id = $1 AND id = $2`

// LogOccurrence records owner a's log of commitment id for the occurrence
// on day. When one is set (rhythmic commitments: one log per occurrence)
// an existing log of that occurrence is changed instead, keeping its
// earlier version, unless the partner answered it (mend.ErrLogAnswered); the
// same status and note again change nothing and keep no version.
// mend.ErrFormUsed when formKey was used already; NotFound when a is not the
// owner or may not see the commitment.
func (db *DB) LogOccurrence(ctx context.Context, a mend.PartnerAccess, id int64, day time.Time, status, note string, late, one bool, formKey []byte) error {
	return db.InTx(ctx, func(tx pgx.Tx) error {
		var lock int64
		if err := tx.QueryRow(ctx, lockOwnCommitmentSQL, a.CoupleID(), a.UserID(), id).Scan(&lock); err != nil {
			return err
		}
		if err := recordForm(ctx, tx, formKey, a.UserID()); err != nil {
			return err
		}
		if one {
			var logID int64
			var oldStatus, oldNote string
			var saved time.Time
			var answered bool
			err := tx.QueryRow(ctx, findLogSQL, a.CoupleID(), id, day).Scan(&logID, &oldStatus, &oldNote, &saved, &answered)
			switch {
			case err == nil:
				if answered {
					return mend.ErrLogAnswered
				}
				if oldStatus == status && oldNote == note {
					return nil
				}
				if _, err := tx.Exec(ctx, keepLogVersionSQL, a.CoupleID(), logID, oldStatus, oldNote, saved); err != nil {
					return err
				}
				_, err = tx.Exec(ctx, updateLogSQL, a.CoupleID(), logID, status, note)
				return err
			case !errors.Is(err, pgx.ErrNoRows):
				return err
			}
		}
		_, err := tx.Exec(ctx, insertLogSQL, a.CoupleID(), id, day, status, note, late)
		return err
	})
}

const lockLogSQL = `
SELECT l.status, l.note, l.updated_at, EXISTS (SELECT 1 FROM commitment_responses r WHERE r.log_id = l.id), l.occurs_on
FROM commitment_logs l JOIN (SELECT c.id ` + commitmentScope + ` AND c.owner_id = $2) s ON s.id = l.commitment_id
WHERE l.couple_id = $1 AND l.id = $3 AND l.commitment_id = $4 FOR UPDATE OF l`

// EditLog changes owner a's log logID of commitment id, keeping its earlier
// version; the same status and note again change nothing. mend.ErrLogAnswered once the partner answered it; mend.ErrLogOld for an
// occurrence before since; NotFound when it is not a's.
func (db *DB) EditLog(ctx context.Context, a mend.PartnerAccess, id, logID int64, status, note string, since time.Time) error {
	return db.InTx(ctx, func(tx pgx.Tx) error {
		var oldStatus, oldNote string
		var saved time.Time
		var answered bool
		var occurs time.Time
		if err := tx.QueryRow(ctx, lockLogSQL, a.CoupleID(), a.UserID(), logID, id).Scan(&oldStatus, &oldNote, &saved, &answered, &occurs); err != nil {
			return err
		}
		if answered {
			return mend.ErrLogAnswered
		}
		if occurs.Before(since) {
			return mend.ErrLogOld
		}
		if oldStatus == status && oldNote == note {
			return nil
		}
		if _, err := tx.Exec(ctx, keepLogVersionSQL, a.CoupleID(), logID, oldStatus, oldNote, saved); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, updateLogSQL, a.CoupleID(), logID, status, note)
		return err
	})
}

// The other partner (never the owner) answers a log of a commitment they see.
const respondSQL = `
INSERT INTO commitment_responses (couple_id, log_id, user_id, confirmed, body)
SELECT $1, l.id, $2, $5, $6
FROM commitment_logs l JOIN (SELECT c.id ` + commitmentScope + ` AND c.owner_id <> $2 AND c.id = $4) s ON s.id = l.commitment_id
WHERE l.couple_id = $1 AND l.id = $3
ON CONFLICT (log_id, user_id) DO UPDATE SET confirmed = excluded.confirmed OR commitment_responses.confirmed,
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
