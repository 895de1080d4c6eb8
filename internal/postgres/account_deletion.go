package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// The statements below delete an account ($1: the user's id) and every row
// that holds what they wrote, in one batch (one implicit transaction). The
// rule, also in the README ("Deleting an account"):
//
//   - Rows that are theirs go with the users row by ON DELETE CASCADE:
//     sessions, memberships, consent records, entries and their versions,
//     answers, acknowledgements, responses, setbacks, disclosures,
//     statements (every version, and the answers to them), comfort plans,
//     guidance cards set aside, prompt answers, own prompts, journal
//     entries, times together they logged (with both notes) and their
//     notes on the others, talk times, parked topics, questions (with
//     their answers), session checks, safety checks, flags, outbox mail,
//     reset links, a therapist's sessions and notes, commitments they own
//     (with every version, event, log and answer under them).
//   - The columns that are ON DELETE SET NULL are cleared of their words
//     first: invites they made and hard dates they added are deleted; a
//     commitment the other partner owns whose terms in effect (or, before
//     any agreement, the terms proposed) they wrote is deleted; a pending
//     proposal they wrote is withdrawn; every other version they proposed is
//     deleted; the events they acted in stay as "a former partner agreed"
//     (actor NULL) with their note blanked.
//   - A therapist's suggestions are deleted and their open links end; the
//     link rows stay with therapist_id NULL so the couple sees that the
//     therapist left. The pair's own view log of them stays, anonymous.
//   - A partner's open therapist link ends as when they leave, and open
//     invites in a space where nobody stays are revoked.
//   - Rows keyed by their login (login failures, device lockouts, reset
//     requests) and mail to them or their address are deleted.

const lockDeletedUserSQL = `SELECT id FROM users WHERE id = $1 FOR UPDATE`

const lockDeletedUsersCouplesSQL = `
SELECT c.id FROM couples c
WHERE c.id IN (SELECT couple_id FROM couple_members WHERE user_id = $1 AND left_at IS NULL)
ORDER BY c.id FOR UPDATE`

// inTheirSpaces scopes a couple table to the spaces user $1 was ever in
// (its couple_id first, as every couple table's indexes are).
const inTheirSpaces = `couple_id IN (SELECT couple_id FROM couple_members WHERE user_id = $1)`

// inTheirCaseload scopes a couple table to the couples therapist $1 was
// ever linked to.
const inTheirCaseload = `couple_id IN (SELECT couple_id FROM therapist_links WHERE therapist_id = $1)`

var deleteAccountSQL = []string{
	// A therapist's links end.
	`UPDATE therapist_links SET ended_at = now(), ended_by = NULL
	 WHERE therapist_id = $1 AND ended_at IS NULL`,
	// A partner's open link ends as when they leave, and invites where
	// nobody stays are revoked.
	`UPDATE therapist_links SET ended_at = now(), ended_by = NULL
	 WHERE ended_at IS NULL AND couple_id IN (
	   SELECT couple_id FROM couple_members WHERE user_id = $1 AND left_at IS NULL)`,
	`UPDATE invites SET revoked_at = now()
	 WHERE used_at IS NULL AND revoked_at IS NULL
	   AND couple_id IN (SELECT couple_id FROM couple_members WHERE user_id = $1 AND left_at IS NULL)
	   AND NOT EXISTS (SELECT 1 FROM couple_members o
	     WHERE o.couple_id = invites.couple_id AND o.user_id <> $1 AND o.left_at IS NULL)`,
	`DELETE FROM invites WHERE ` + inTheirSpaces + ` AND created_by = $1`,
	`DELETE FROM hard_dates WHERE ` + inTheirSpaces + ` AND created_by = $1`,
	`DELETE FROM suggestions WHERE ` + inTheirCaseload + ` AND therapist_id = $1`,
	// The other partner's commitments whose terms are the deleted user's words.
	`DELETE FROM commitments c WHERE c.` + inTheirSpaces + ` AND c.owner_id <> $1 AND EXISTS (
	   SELECT 1 FROM commitment_versions v
	   WHERE v.couple_id = c.couple_id AND v.commitment_id = c.id AND v.proposed_by = $1
	     AND v.version = CASE WHEN c.version = 0 THEN c.pending ELSE c.version END)`,
	`UPDATE commitments c SET pending = NULL, changes_asked = false, updated_at = now()
	 WHERE c.` + inTheirSpaces + ` AND c.pending IS NOT NULL AND EXISTS (
	   SELECT 1 FROM commitment_versions v
	   WHERE v.couple_id = c.couple_id AND v.commitment_id = c.id AND v.version = c.pending AND v.proposed_by = $1)`,
	`DELETE FROM commitment_versions WHERE ` + inTheirSpaces + ` AND proposed_by = $1`,
	`UPDATE commitment_events SET note = '' WHERE ` + inTheirSpaces + ` AND actor_id = $1 AND note <> ''`,
	`DELETE FROM users WHERE id = $1`,
}

// deleteLoginSQL deletes what is keyed by the login ($1: the account key).
var deleteLoginSQL = []string{
	`DELETE FROM login_failures WHERE account_key = $1`,
	`DELETE FROM reset_requests WHERE account_key = $1`,
}

// deleteMailSQL deletes the mail to the user ($1) or their address ($2,
// the email key), sent or not.
const deleteMailSQL = `DELETE FROM outbox WHERE user_id = $1 OR (user_id IS NULL AND lower(to_address) = $2)`

// DeleteAccount deletes user userID and everything they wrote, by the rule
// above; accountKey is their log-in throttle key and emailKey their
// lower-cased email. NotFound when the user is gone already. One round
// trip.
func (db *DB) DeleteAccount(ctx context.Context, userID int64, accountKey []byte, emailKey string) error {
	defer membershipChanged(ctx)
	b := &pgx.Batch{}
	b.Queue(lockDeletedUserSQL, userID)
	b.Queue(lockDeletedUsersCouplesSQL, userID)
	for _, q := range deleteLoginSQL {
		b.Queue(q, accountKey)
	}
	b.Queue(deleteMailSQL, userID, emailKey)
	for _, q := range deleteAccountSQL {
		b.Queue(q, userID)
	}
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	var id int64
	if err := res.QueryRow().Scan(&id); err != nil {
		return mapErr(err)
	}
	if _, err := res.Exec(); err != nil {
		return mapErr(err)
	}
	for range len(deleteLoginSQL) + 1 + len(deleteAccountSQL) {
		if _, err := res.Exec(); err != nil {
			return mapErr(err)
		}
	}
	return mapErr(res.Close())
}
