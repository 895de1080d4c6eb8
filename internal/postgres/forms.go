package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// Create forms carry a key, recorded in the transaction that creates: the
// same form sent twice creates once.

// A key already used (a form sent again with another email) keeps pointing
// at its first account.
const recordFormSQL = `INSERT INTO form_submissions (key_hash, user_id) VALUES ($1, $2) ON CONFLICT (key_hash) DO NOTHING`

// recordForm records a create form's key (nil: none) for userID inside tx:
// mend.ErrFormUsed when the key was recorded before.
func recordForm(ctx context.Context, tx pgx.Tx, formKey []byte, userID int64) error {
	if formKey == nil {
		return nil
	}
	tag, err := tx.Exec(ctx, recordFormSQL, formKey, userID)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrFormUsed
	}
	return err
}

// lockedFormFor is lockedForm that also draws the id (n) the new record of
// table will take, and keeps it with the key (f), so that a second
// submission of the form finds the record the first one made (formRecord).
// The record is inserted with OVERRIDING SYSTEM VALUE and id n.
func lockedFormFor(table string) string {
	return `WITH m AS MATERIALIZED (` + lockMembershipSQL + `),
n AS MATERIALIZED (SELECT nextval(pg_get_serial_sequence('` + table + `', 'id')) AS id),
f AS (INSERT INTO form_submissions (key_hash, user_id, record_id) SELECT $3::bytea, $2, (SELECT id FROM n)
  WHERE $3::bytea IS NOT NULL AND EXISTS (SELECT 1 FROM m)
  ON CONFLICT (key_hash) DO NOTHING RETURNING 1)`
}

const formRecordSQL = `SELECT coalesce(record_id, 0) FROM form_submissions WHERE key_hash = $1 AND user_id = $2`

// formRecord returns the id of the record the form with formKey made for
// userID, once that form was used (mend.ErrFormUsed); 0 when it kept none
// or on any error (the caller then lands the person on a list).
func (db *DB) formRecord(ctx context.Context, formKey []byte, userID int64) int64 {
	var id int64
	if formKey == nil || db.Pool.QueryRow(ctx, formRecordSQL, formKey, userID).Scan(&id) != nil {
		return 0
	}
	return id
}

// keyArg is a form's key as a statement's argument: NULL when there is none.
func keyArg(formKey []byte) any {
	if formKey == nil {
		return nil
	}
	return formKey
}

const formKeyOwnerSQL = `SELECT user_id FROM form_submissions WHERE key_hash = $1 AND created_at > now() - interval '1 day'`

// FormKeyUsedBy reports whether userID recorded formKey in the last day.
func (db *DB) FormKeyUsedBy(ctx context.Context, formKey []byte, userID int64) (bool, error) {
	var owner int64
	err := db.Pool.QueryRow(ctx, formKeyOwnerSQL, formKey).Scan(&owner)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil && owner == userID, mapErr(err)
}
