package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// Each partner's starting words: one row per author in a couple
// (couple_context). shown_to is the partner they were written about: the
// other partner when they are written or changed, or — written alone —
// the first partner to join after. A partner who joins later never sees
// words written about an earlier pair.

// setContextSQL writes partner $2's words about the pair as it is now. The
// row keeps no earlier versions; words saved again unchanged (and still
// about the same partner) leave it untouched, updated_at included.
const setContextSQL = `
INSERT INTO couple_context AS c (couple_id, author_id, shown_to, what_happened, details, came_to_light, rebuilding, visibility)
SELECT $1, $2,
       (SELECT o.user_id FROM couple_members o WHERE o.couple_id = $1 AND o.left_at IS NULL AND o.user_id <> $2),
       nullif($3, ''), nullif($4, ''), $5, nullif($6, ''), $7
WHERE ` + guardPartner + `
ON CONFLICT (couple_id, author_id) DO UPDATE SET
  shown_to = EXCLUDED.shown_to, what_happened = EXCLUDED.what_happened, details = EXCLUDED.details,
  came_to_light = EXCLUDED.came_to_light, rebuilding = EXCLUDED.rebuilding, visibility = EXCLUDED.visibility,
  updated_at = now()
WHERE (c.shown_to, c.what_happened, c.details, c.came_to_light, c.rebuilding, c.visibility)
  IS DISTINCT FROM (EXCLUDED.shown_to, EXCLUDED.what_happened, EXCLUDED.details, EXCLUDED.came_to_light, EXCLUDED.rebuilding, EXCLUDED.visibility)`

const removeContextSQL = `DELETE FROM couple_context WHERE couple_id = $1 AND author_id = $2 AND ` + guardPartner

// lockMyContextSQL locks couple $1 and partner $2's membership of it, in
// the lock order (couple, then user); no row when $2 is no partner of $1.
const lockMyContextSQL = `
SELECT m.id FROM couples c JOIN couple_members m ON m.couple_id = c.id
WHERE c.id = $1 AND m.user_id = $2 AND m.left_at IS NULL
FOR UPDATE`

// SetContext writes partner a's own starting words, replacing any they
// wrote before (nil removes them). The words are about the pair as it is
// now: the other partner, or the next to join when a is alone. Under a
// lock on the couple, as joining takes, so a join cannot slip between.
// NotFound when a is no partner of the couple.
//
// One round trip: a batch, which PostgreSQL runs as one transaction: the
// locks, then the write, which starts once they are held.
func (db *DB) SetContext(ctx context.Context, a mend.PartnerAccess, c *mend.CoupleContext) error {
	b := &pgx.Batch{}
	b.Queue(lockMyContextSQL, a.CoupleID(), a.UserID())
	if c == nil {
		b.Queue(removeContextSQL, a.CoupleID(), a.UserID())
	} else {
		b.Queue(setContextSQL, a.CoupleID(), a.UserID(), c.WhatHappened, c.Details, c.CameToLight, c.Rebuilding, c.Visibility)
	}
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	// Without the membership the write's guard finds nothing to write.
	var id int64
	if err := res.QueryRow().Scan(&id); err != nil {
		return mapErr(err)
	}
	return mapErr(res.Close())
}
