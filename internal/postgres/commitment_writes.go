package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mend-app/mend/internal/mend"
)

// Proposing a commitment and deciding about it. A proposal is one
// statement; a decision is one transaction: one batch locks the commitment
// and reads what the decision needs, one batch writes what it decided.

// proposeSQL proposes a commitment for partner $2 of couple $1 under the
// lock of their membership (m): kept by $4 (0: the other partner) when the
// keeper (o) is a partner of the couple and a is not alone in it. The
// form's key $3 (NULL: none) is recorded (f) only then; the commitment
// (c), its first version (v) and its event (e) are written when the key
// is new.
const proposeSQL = `WITH m AS MATERIALIZED (` + lockMembershipSQL + `),
o AS MATERIALIZED (
  SELECT o.user_id FROM couple_members o
  WHERE o.couple_id = $1 AND o.left_at IS NULL AND EXISTS (SELECT 1 FROM m)
    AND CASE WHEN $4::bigint = 0 THEN o.user_id <> $2 ELSE o.user_id = $4 END
    AND EXISTS (SELECT 1 FROM couple_members x WHERE x.couple_id = $1 AND x.user_id <> $2 AND x.left_at IS NULL)),
n AS MATERIALIZED (SELECT nextval(pg_get_serial_sequence('commitments', 'id')) AS id),
f AS (INSERT INTO form_submissions (key_hash, user_id, record_id) SELECT $3::bytea, $2, (SELECT id FROM n)
  WHERE $3::bytea IS NOT NULL AND EXISTS (SELECT 1 FROM o)
  ON CONFLICT (key_hash) DO NOTHING RETURNING 1),
c AS (INSERT INTO commitments (id, couple_id, owner_id, state, pending) OVERRIDING SYSTEM VALUE
  SELECT (SELECT id FROM n), $1, o.user_id, 'proposed', 1 FROM o WHERE $3::bytea IS NULL OR EXISTS (SELECT 1 FROM f) RETURNING id),
v AS (INSERT INTO commitment_versions (couple_id, commitment_id, version, proposed_by, title, details, rhythm, weekdays, starts_on, review_on, visibility)
  SELECT $1, c.id, 1, $2, $5, $6, $7, $8, $9, $10, $11 FROM c),
e AS (INSERT INTO commitment_events (couple_id, commitment_id, version, actor_id, action, note, on_day)
  SELECT $1, c.id, 1, $2, $12, '', $13 FROM c)
SELECT EXISTS (SELECT 1 FROM m), EXISTS (SELECT 1 FROM o), coalesce((SELECT id FROM c), 0)`

// ProposeCommitment records partner a's proposal of v, kept by ownerID (a,
// or 0 for the other partner), on a's local day, in one round trip.
// NotFound when a is no partner of the couple; mend.ErrPartnerNotInSpace
// when a has no partner in it yet, or ownerID is not a partner of it;
// mend.ErrFormUsed when formKey was used already, with the id of the
// commitment that form proposed (0 when not known).
func (db *DB) ProposeCommitment(ctx context.Context, a mend.PartnerAccess, ownerID int64, v mend.CommitmentVersion, day time.Time, formKey []byte) (int64, error) {
	var partner, owner bool
	var id int64
	err := db.Pool.QueryRow(ctx, proposeSQL, a.CoupleID(), a.UserID(), keyArg(formKey), ownerID, v.Title, v.Details, v.Rhythm, v.Weekdays,
		v.StartsOn, v.ReviewOn, v.Visibility, mend.ActProposed, day).Scan(&partner, &owner, &id)
	switch {
	case err != nil:
		return 0, mapErr(err)
	case !partner:
		return 0, mapErr(pgx.ErrNoRows)
	case !owner:
		return 0, mend.ErrPartnerNotInSpace
	case id == 0:
		return db.formRecord(ctx, formKey, a.UserID()), mend.ErrFormUsed
	}
	return id, nil
}

// lockCommitmentSQL locks a commitment partner $2 may see, with its
// owner's time zone.
const lockCommitmentSQL = `SELECT ` + commitmentCols + `, (SELECT u.time_zone FROM users u WHERE u.id = c.owner_id)
` + commitmentScope + ` AND c.id = $3 FOR UPDATE OF c`

// commitmentVersionsSQL reads the versions of commitment $3.
const commitmentVersionsSQL = `
SELECT v.version, coalesce(v.proposed_by, 0), v.title, v.details, v.rhythm, v.weekdays, v.starts_on, v.review_on, v.visibility, v.created_at
FROM commitment_versions v WHERE v.couple_id = $1 AND v.commitment_id = $3 AND ` + guardPartner

const insertVersionSQL = `
INSERT INTO commitment_versions (couple_id, commitment_id, version, proposed_by, title, details, rhythm, weekdays, starts_on, review_on, visibility)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`

const insertEventSQL = `
INSERT INTO commitment_events (couple_id, commitment_id, version, actor_id, action, note, on_day)
VALUES ($1, $2, $3, $4, $5, $6, $7)`

const updateCommitmentSQL = `
UPDATE commitments SET state = $3, version = $4, pending = nullif($5, 0), changes_asked = $6, updated_at = now()
WHERE couple_id = $1 AND id = $2`

// queueVersions queues the read of commitment id's versions into versions.
func queueVersions(b *pgx.Batch, a mend.PartnerAccess, id int64, versions map[int]*mend.CommitmentVersion) {
	b.Queue(commitmentVersionsSQL, a.CoupleID(), a.UserID(), id).Query(func(rows pgx.Rows) error {
		var v mend.CommitmentVersion
		_, err := pgx.ForEachRow(rows, []any{&v.Version, &v.ProposedBy, &v.Title, &v.Details, &v.Rhythm, &v.Weekdays,
			&v.StartsOn, &v.ReviewOn, &v.Visibility, &v.CreatedAt}, func() error {
			cp := v
			versions[v.Version] = &cp
			return nil
		})
		return err
	})
}

// queueFormKey queues the record of formKey (nil: nothing), noting in
// fresh whether it was new.
func queueFormKey(b *pgx.Batch, formKey []byte, userID int64, fresh *bool) {
	*fresh = true
	if formKey == nil {
		return
	}
	b.Queue(recordFormSQL, formKey, userID).Exec(func(ct pgconn.CommandTag) error {
		*fresh = ct.RowsAffected() == 1
		return nil
	})
}

// DecideCommitmentOnce locks commitment id of partner a's couple, loads it
// with its versions and its owner's time zone, and applies what decide
// returns (or its error). NotFound when a may not see it. With a form's key
// (may be nil): mend.ErrFormUsed, deciding nothing, when the key was used
// already.
// Inside its transaction, one batch locks and reads, one writes.
func (db *DB) DecideCommitmentOnce(ctx context.Context, a mend.PartnerAccess, id int64, formKey []byte, decide func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion) (*mend.CommitmentChange, error)) error {
	return db.InTx(ctx, func(tx pgx.Tx) error {
		var c mend.Commitment
		var fresh bool
		versions := map[int]*mend.CommitmentVersion{}
		b := &pgx.Batch{}
		b.Queue(lockCommitmentSQL, a.CoupleID(), a.UserID(), id).QueryRow(func(r pgx.Row) error {
			return r.Scan(&c.ID, &c.CoupleID, &c.OwnerID, &c.State, &c.Version, &c.Pending, &c.ChangesAsked, &c.CreatedAt, &c.UpdatedAt,
				&c.OwnerTimeZone)
		})
		queueFormKey(b, formKey, a.UserID(), &fresh)
		queueVersions(b, a, id, versions)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		if !fresh {
			return mend.ErrFormUsed
		}
		c.Current, c.Proposal = versions[c.Version], versions[c.Pending]
		ch, err := decide(&c, versions)
		if err != nil {
			return err
		}
		w := &pgx.Batch{}
		if nv := ch.NewVersion; nv != nil {
			w.Queue(insertVersionSQL, a.CoupleID(), id, nv.Version, a.UserID(), nv.Title, nv.Details, nv.Rhythm,
				nv.Weekdays, nv.StartsOn, nv.ReviewOn, nv.Visibility)
		}
		w.Queue(updateCommitmentSQL, a.CoupleID(), id, ch.State, ch.Version, ch.Pending, ch.ChangesAsked)
		e := ch.Event
		w.Queue(insertEventSQL, a.CoupleID(), id, e.Version, a.UserID(), e.Action, e.Note, e.OnDay)
		return tx.SendBatch(ctx, w).Close()
	})
}
