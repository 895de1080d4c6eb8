package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

const dismissedGuidanceSQL = `SELECT card FROM guidance_dismissals WHERE user_id = $1`

// DismissedGuidance returns the keys of the guidance cards userID set
// aside.
func (db *DB) DismissedGuidance(ctx context.Context, userID int64) ([]string, error) {
	rows, _ := db.Pool.Query(ctx, dismissedGuidanceSQL, userID)
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return keys, mapErr(err)
}

const dismissGuidanceSQL = `INSERT INTO guidance_dismissals (user_id, card) VALUES ($1, $2) ON CONFLICT DO NOTHING`

// DismissGuidance records that userID set the card key aside, for good.
// Setting it aside twice is once.
func (db *DB) DismissGuidance(ctx context.Context, userID int64, key string) error {
	_, err := db.Pool.Exec(ctx, dismissGuidanceSQL, userID, key)
	return mapErr(err)
}
