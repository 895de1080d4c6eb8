package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// A person's safety checks are keyed by their user id alone: every query
// here names the person, and no query on couple data joins this table.

// lastSafetyActivitySQL is when user $1 last took a safety check or set
// one aside: NULL when they never did.
const lastSafetyActivitySQL = `SELECT max(at) FROM safety_checks WHERE user_id = $1`

const lastSafetyCheckSQL = `
SELECT id, at, afraid, harmed, safe_home, ending_life
FROM safety_checks
WHERE user_id = $1 AND NOT dismissed
ORDER BY at DESC, id DESC
LIMIT 1`

// LastSafetyCheck returns the last check userID took (not an offer set
// aside), or NotFound.
func (db *DB) LastSafetyCheck(ctx context.Context, userID int64) (*mend.SafetyCheck, error) {
	return scanSafetyCheck(db.Pool.QueryRow(ctx, lastSafetyCheckSQL, userID))
}

// scanSafetyCheck reads a row of lastSafetyCheckSQL; NotFound when none.
func scanSafetyCheck(r pgx.Row) (*mend.SafetyCheck, error) {
	c := &mend.SafetyCheck{Answers: map[string]string{}}
	var answers [4]*string
	if err := r.Scan(&c.ID, &c.At, &answers[0], &answers[1], &answers[2], &answers[3]); err != nil {
		return nil, mapErr(err)
	}
	for i, q := range mend.SafetyQuestions {
		if answers[i] != nil {
			c.Answers[q.Key] = *answers[i]
		}
	}
	return c, nil
}

// The answers' columns follow mend.SafetyQuestions.
const recordSafetyCheckSQL = `
INSERT INTO safety_checks (user_id, at, afraid, harmed, safe_home, ending_life)
VALUES ($1, $2, nullif($3, ''), nullif($4, ''), nullif($5, ''), nullif($6, ''))`

// RecordSafetyCheck stores a check userID took, with the create form's key
// (nil: none) in the same transaction: mend.ErrFormUsed when that key was used
// before, and then nothing is stored a second time.
func (db *DB) RecordSafetyCheck(ctx context.Context, userID int64, c *mend.SafetyCheck, formKey []byte) error {
	if len(mend.SafetyQuestions) != 4 {
		return errors.New("safety_checks has four answer columns")
	}
	args := []any{userID, c.At}
	for _, q := range mend.SafetyQuestions {
		args = append(args, c.Answers[q.Key])
	}
	return db.InTx(ctx, func(tx pgx.Tx) error {
		if err := recordForm(ctx, tx, formKey, userID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, recordSafetyCheckSQL, args...)
		return err
	})
}

// A second "Not now" in the same period changes nothing.
const dismissSafetyCheckSQL = `
INSERT INTO safety_checks (user_id, at, dismissed)
SELECT $1, $2, true
WHERE NOT EXISTS (SELECT 1 FROM safety_checks WHERE user_id = $1 AND at > $3)`

// DismissSafetyCheck records that userID set the offer aside at at, unless
// they took a check or set one aside after since.
func (db *DB) DismissSafetyCheck(ctx context.Context, userID int64, at, since time.Time) error {
	_, err := db.Pool.Exec(ctx, dismissSafetyCheckSQL, userID, at, since)
	return mapErr(err)
}

// The flag goes to the link named, which must be the couple's active link
// (agreed by both partners) and the sender one of its partners now.
const sendFlagSQL = `
INSERT INTO therapist_flags (couple_id, link_id, user_id, sent_at)
SELECT $1, l.id, $2, $4
FROM therapist_links l
WHERE l.id = $3 AND l.couple_id = $1 AND l.ended_at IS NULL AND l.agreed_at IS NOT NULL AND ` + guardPartner + `
ON CONFLICT (couple_id, link_id, user_id) WHERE done_at IS NULL DO NOTHING`

// SendFlag records that partner a would like to talk to the therapist of
// linkID alone. Sending it while one is open changes nothing.
func (db *DB) SendFlag(ctx context.Context, a mend.PartnerAccess, linkID int64, at time.Time) error {
	_, err := db.Pool.Exec(ctx, sendFlagSQL, a.CoupleID(), a.UserID(), linkID, at)
	return mapErr(err)
}

const openFlagSQL = `
SELECT f.id, f.couple_id, f.user_id, u.name, f.sent_at
FROM therapist_flags f JOIN users u ON u.id = f.user_id
WHERE f.couple_id = $1 AND f.user_id = $2 AND f.link_id = $3 AND f.done_at IS NULL AND ` + guardPartner

// OpenFlag returns partner a's own open flag to the therapist of linkID,
// or NotFound. Nobody else's flag is ever read for a partner.
func (db *DB) OpenFlag(ctx context.Context, a mend.PartnerAccess, linkID int64) (*mend.TherapistFlag, error) {
	f, err := scanFlag(db.Pool.QueryRow(ctx, openFlagSQL, a.CoupleID(), a.UserID(), linkID))
	if err != nil {
		return nil, mapErr(err)
	}
	return &f, nil
}

func scanFlag(r pgx.Row) (mend.TherapistFlag, error) {
	var f mend.TherapistFlag
	err := r.Scan(&f.ID, &f.CoupleID, &f.UserID, &f.Name, &f.SentAt)
	return f, err
}

// A therapist sees the open flags of their active (agreed) links, from
// partners who are still in the space.
const therapistFlagsFrom = `
FROM therapist_flags f
JOIN therapist_links l ON l.id = f.link_id AND l.ended_at IS NULL AND l.agreed_at IS NOT NULL
JOIN couple_members m ON m.couple_id = f.couple_id AND m.user_id = f.user_id AND m.left_at IS NULL
JOIN users u ON u.id = f.user_id
WHERE f.done_at IS NULL`

const coupleFlagsSQL = `
SELECT f.id, f.couple_id, f.user_id, u.name, f.sent_at ` + therapistFlagsFrom + `
  AND f.couple_id = $1 AND l.therapist_id = $2 AND ` + guardTherapist + `
ORDER BY f.sent_at, f.id`

const caseloadFlagsSQL = `
SELECT f.id, f.couple_id, f.user_id, u.name, f.sent_at ` + therapistFlagsFrom + `
  AND l.therapist_id = $1
ORDER BY f.sent_at, f.id`

func collectFlags(rows pgx.Rows, err error) ([]mend.TherapistFlag, error) {
	if err != nil {
		return nil, mapErr(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.TherapistFlag, error) { return scanFlag(r) })
	return list, mapErr(err)
}

const flagDoneSQL = `
UPDATE therapist_flags f SET done_at = $4
FROM therapist_links l
WHERE f.id = $3 AND f.couple_id = $1 AND f.done_at IS NULL
  AND l.id = f.link_id AND l.therapist_id = $2 AND l.ended_at IS NULL AND l.agreed_at IS NOT NULL`

// FlagDone marks therapist a's open flag flagID as dealt with, or returns
// NotFound.
func (db *DB) FlagDone(ctx context.Context, a mend.TherapistAccess, flagID int64, at time.Time) error {
	tag, err := db.Pool.Exec(ctx, flagDoneSQL, a.CoupleID(), a.UserID(), flagID, at)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNotFound
	}
	return mapErr(err)
}
