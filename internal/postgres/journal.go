package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// journalSQL is a page of partner $2's journal, newest first: their own
// answers to prompts (each with the words of an own prompt, and whether the
// other partner shared an answer to it), their own journal entries, and
// the other partner's shared with them ($3 rows from $4 on; $5 a kind and
// $6 an id to read one of the reader's own).
const journalSQL = `SELECT * FROM (
SELECT 'answer' AS kind, x.id, x.user_id, x.body, x.visibility, x.created_at, x.day, x.prompt_key, x.mode, coalesce(p.body, ''),
  EXISTS (SELECT 1 FROM prompt_answers o WHERE o.couple_id = $1 AND o.day = x.day AND o.prompt_key = x.prompt_key
    AND o.user_id <> $2 AND o.visibility <> 'private' AND o.created_at >= ` + bothJoined + ` AND o.user_id IN ` + currentPartners + `)
FROM prompt_answers x
LEFT JOIN couple_prompts p ON p.couple_id = x.couple_id
  AND p.id = CASE WHEN x.prompt_key LIKE 'own-%' THEN substr(x.prompt_key, 5)::bigint END
WHERE x.couple_id = $1 AND x.user_id = $2 AND ` + guardPartner + ` AND ($5 = '' OR ($5 = 'answer' AND x.id = $6))
UNION ALL
SELECT 'entry', x.id, x.user_id, x.body, x.visibility, x.created_at, NULL, '', '', '', false
FROM journal_entries x
WHERE x.couple_id = $1 AND ` + guardPartner + ` AND ` + partnerShared + `
  AND ($5 = '' OR ($5 = 'entry' AND x.id = $6 AND x.user_id = $2))
) j ORDER BY j.created_at DESC, j.id DESC LIMIT $3 OFFSET $4`

// JournalOf reads, in one round trip, partner a's space and up to limit
// items of a's journal from offset on (one of a's own when kind is not "":
// mend.JournalAnswer or mend.JournalEntry, with its id).
func (db *DB) JournalOf(ctx context.Context, a mend.PartnerAccess, limit, offset int, kind string, id int64) (*mend.Space, []mend.JournalItem, error) {
	b := &batch{}
	sp := queueSpace(b, a.UserID())
	var items []mend.JournalItem
	queueScan(b, &items, scanJournalItem, journalSQL, a.CoupleID(), a.UserID(), limit, offset, kind, id)
	if err := db.send(ctx, b); err != nil {
		return nil, nil, err
	}
	if sp.Access != a {
		return nil, nil, mend.ErrNotFound
	}
	return sp, items, nil
}

func scanJournalItem(r pgx.CollectableRow) (mend.JournalItem, error) {
	var it mend.JournalItem
	err := r.Scan(&it.Kind, &it.ID, &it.UserID, &it.Body, &it.Visibility, &it.CreatedAt, &it.Day, &it.Key, &it.Mode,
		&it.OwnText, &it.PartnerShared)
	return it, err
}

// writeJournalSQL records a journal entry under the writer's lock, with
// its form's key.
const writeJournalSQL = lockedForm + `,
j AS (INSERT INTO journal_entries (couple_id, user_id, body, visibility)
  SELECT $1, $2, $4, $5 WHERE ` + formFresh + ` RETURNING id)
SELECT ` + lockedFormResult + `, coalesce((SELECT id FROM j), 0)`

// WriteJournal records partner a's journal entry. mend.ErrFormUsed,
// recording nothing, when formKey was used already.
func (db *DB) WriteJournal(ctx context.Context, a mend.PartnerAccess, body string, v mend.Visibility, formKey []byte) (int64, error) {
	var id int64
	var partner, fresh bool
	err := db.Pool.QueryRow(ctx, writeJournalSQL, a.CoupleID(), a.UserID(), keyArg(formKey), body, v).Scan(&partner, &fresh, &id)
	return id, lockedFormErr(err, partner, fresh)
}

const (
	deleteMyJournalEntrySQL = `DELETE FROM journal_entries WHERE couple_id = $1 AND user_id = $2 AND id = $3`
	deleteMyPromptAnswerSQL = `DELETE FROM prompt_answers WHERE couple_id = $1 AND user_id = $2 AND id = $3`
)

// DeleteJournalItem deletes partner a's own journal entry or answer to a
// prompt (kind mend.JournalEntry or mend.JournalAnswer) for good, under
// the lock on a's membership. mend.ErrNoJournalItem when it is not a's.
func (db *DB) DeleteJournalItem(ctx context.Context, a mend.PartnerAccess, kind string, id int64) error {
	q := deleteMyJournalEntrySQL
	if kind == mend.JournalAnswer {
		q = deleteMyPromptAnswerSQL
	}
	return db.deleteMine(ctx, a, q, id, mend.ErrNoJournalItem)
}

// therapistJournalShared is whether writer x.user_id of couple $1 shares
// the journal with the therapist now (the latest of their consent events
// of this link's era).
const therapistJournalShared = `(SELECT e.shared FROM consent_events e ` + currentEra + `
       WHERE e.couple_id = x.couple_id AND e.user_id = x.user_id AND e.kind = 'journal'
       ORDER BY e.at DESC, e.id DESC LIMIT 1)`

// therapistJournalSQL is a page of what therapist $2 of couple $1 reads of
// the journal, newest first ($3 rows from $4 on): the answers to prompts
// and journal entries marked for the therapist, written in the writer's
// current membership and the current pair, while the writer shares the
// journal and the link lasts. As for check-ins and disclosures, the
// therapist reads it whatever the talk-together reveal between partners.
const therapistJournalSQL = `SELECT * FROM (
SELECT 'answer' AS kind, x.id, x.user_id, x.body, x.visibility, x.created_at, x.day, x.prompt_key, x.mode, coalesce(p.body, ''), false
FROM prompt_answers x
JOIN couple_members w ON w.couple_id = x.couple_id AND w.user_id = x.user_id AND w.left_at IS NULL
LEFT JOIN couple_prompts p ON p.couple_id = x.couple_id
  AND p.id = CASE WHEN x.prompt_key LIKE 'own-%' THEN substr(x.prompt_key, 5)::bigint END
WHERE x.couple_id = $1 AND ` + guardTherapist + ` AND x.visibility = 'therapist' AND x.created_at >= w.joined_at
  AND x.created_at >= ` + sinceLastLeft + ` AND ` + therapistJournalShared + `
UNION ALL
SELECT 'entry', x.id, x.user_id, x.body, x.visibility, x.created_at, NULL, '', '', '', false
FROM journal_entries x
JOIN couple_members w ON w.couple_id = x.couple_id AND w.user_id = x.user_id AND w.left_at IS NULL
WHERE x.couple_id = $1 AND ` + guardTherapist + ` AND x.visibility = 'therapist' AND x.created_at >= w.joined_at
  AND x.created_at >= ` + sinceLastLeft + ` AND ` + therapistJournalShared + `
) j ORDER BY j.created_at DESC, j.id DESC LIMIT $3 OFFSET $4`

// TherapistJournalPage reads, in one round trip, the partners of therapist
// a's couple and up to limit items from offset on of the journal shared
// with a.
func (db *DB) TherapistJournalPage(ctx context.Context, a mend.TherapistAccess, limit, offset int) ([]mend.Member, []mend.JournalItem, error) {
	b := &batch{}
	ms := queueMembers(b, a)
	var items []mend.JournalItem
	queueScan(b, &items, scanJournalItem, therapistJournalSQL, a.CoupleID(), a.UserID(), limit, offset)
	if err := db.send(ctx, b); err != nil {
		return nil, nil, err
	}
	return *ms, items, nil
}
