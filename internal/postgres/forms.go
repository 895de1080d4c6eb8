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
