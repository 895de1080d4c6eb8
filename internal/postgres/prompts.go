package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// partnerShared: partner $2 of couple $1 reads their own answers and
// journal entries and the other partner's that are not private and were written while both
// current partners were in the space. What the therapist reads is in
// therapistJournalSQL.
const partnerShared = `(x.user_id = $2 OR (x.visibility <> 'private'
    AND x.created_at >= ` + bothJoined + ` AND x.user_id IN ` + currentPartners + `))`

// answerScope is the prompt answers the reader knows exist.
const answerScope = `FROM prompt_answers x WHERE x.couple_id = $1 AND ` + guardPartner + ` AND ` + partnerShared

// answerRevealed: a talk-together answer of the other partner shows once
// the reader has shared one of their own for the same prompt and day (a
// private one does not count: it would let one read without giving).
const answerRevealed = `(x.user_id = $2 OR x.mode = 'write' OR EXISTS (SELECT 1 FROM prompt_answers o
  WHERE o.couple_id = $1 AND o.day = x.day AND o.prompt_key = x.prompt_key AND o.user_id = $2 AND o.visibility <> 'private'))`

const answerCols = `x.id, x.user_id, x.prompt_key, x.mode, x.day,
  CASE WHEN ` + answerRevealed + ` THEN x.body ELSE '' END, x.visibility, x.created_at, x.updated_at, ` + answerRevealed

func scanAnswer(r pgx.CollectableRow) (mend.PromptAnswer, error) {
	var a mend.PromptAnswer
	err := r.Scan(&a.ID, &a.UserID, &a.Key, &a.Mode, &a.Day, &a.Body, &a.Visibility, &a.CreatedAt, &a.UpdatedAt, &a.Revealed)
	return a, err
}

const (
	ownPromptsSQL = `SELECT p.id, p.user_id, p.category, p.mode, p.body, p.created_at FROM couple_prompts p
WHERE p.couple_id = $1 AND ` + guardPartner + ` ORDER BY p.id LIMIT $3`
	shownPromptsSQL = `SELECT d.day, d.seq, d.prompt_key FROM prompt_days d
WHERE d.couple_id = $1 AND ` + guardPartner + ` AND d.day BETWEEN $3 AND $4 ORDER BY d.day, d.seq`
	dayAnswersSQL = `SELECT ` + answerCols + ` ` + answerScope + ` AND x.day BETWEEN $3 AND $4 ORDER BY x.day DESC, x.id`
)

// PromptsOf reads, in one round trip, partner a's space, the couple's own
// prompts, the prompts shown on the couple's days from shownFrom to to and
// the answers a may know of for days from answersFrom to to.
func (db *DB) PromptsOf(ctx context.Context, a mend.PartnerAccess, shownFrom, answersFrom, to time.Time) (*mend.Space, *mend.PromptData, error) {
	b := &batch{}
	sp := queueSpace(b, a.UserID())
	d := &mend.PromptData{}
	b.Queue(ownPromptsSQL, a.CoupleID(), a.UserID(), mend.OwnPromptList)
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		d.Own, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Prompt, error) {
			var id int64
			p := mend.Prompt{Own: true}
			err := r.Scan(&id, &p.AddedBy, &p.Category, &p.Mode, &p.Text, &p.Added)
			p.Key = mend.OwnPromptKey(id)
			return p, err
		})
		return err
	})
	b.Queue(shownPromptsSQL, a.CoupleID(), a.UserID(), shownFrom, to)
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		d.Shown, err = pgx.CollectRows(rows, pgx.RowToStructByPos[mend.PromptShown])
		return err
	})
	b.Queue(dayAnswersSQL, a.CoupleID(), a.UserID(), answersFrom, to)
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		d.Answers, err = pgx.CollectRows(rows, scanAnswer)
		return err
	})
	if err := db.send(ctx, b); err != nil {
		return nil, nil, err
	}
	if sp.Access != a {
		return nil, nil, mend.ErrNotFound
	}
	return sp, d, nil
}

// showPromptSQL records prompt $5 as the couple's prompt $4 of day $3
// unless one is there already, and returns the one that is.
const showPromptSQL = `WITH i AS (INSERT INTO prompt_days (couple_id, day, seq, prompt_key)
  SELECT $1, $3, $4, $5 WHERE ` + guardPartner + `
  ON CONFLICT (couple_id, day, seq) DO NOTHING RETURNING prompt_key)
SELECT prompt_key FROM i`

const shownPromptSQL = `SELECT d.prompt_key FROM prompt_days d WHERE d.couple_id = $1 AND d.day = $3 AND d.seq = $4 AND ` + guardPartner

// ShowPrompt makes key partner a's couple's prompt seq of day, unless the
// other partner made another one first: the key returned is the one shown.
func (db *DB) ShowPrompt(ctx context.Context, a mend.PartnerAccess, day time.Time, seq int, key string) (string, error) {
	var shown string
	err := db.Pool.QueryRow(ctx, showPromptSQL, a.CoupleID(), a.UserID(), day, seq, key).Scan(&shown)
	if err == pgx.ErrNoRows {
		err = db.Pool.QueryRow(ctx, shownPromptSQL, a.CoupleID(), a.UserID(), day, seq).Scan(&shown)
	}
	return shown, mapErr(err)
}

// answerPromptSQL writes or rewrites partner $2's answer to prompt $5 of
// day $4, which must have been shown to the couple that day, under $2's
// lock with the form's key $3 (spent only when the prompt is there).
const answerPromptSQL = `WITH m AS MATERIALIZED (` + lockMembershipSQL + `),
t AS MATERIALIZED (SELECT 1 FROM prompt_days d WHERE d.couple_id = $1 AND d.day = $4 AND d.prompt_key = $5 LIMIT 1),
f AS (INSERT INTO form_submissions (key_hash, user_id) SELECT $3::bytea, $2
  WHERE $3::bytea IS NOT NULL AND EXISTS (SELECT 1 FROM m) AND EXISTS (SELECT 1 FROM t)
  ON CONFLICT (key_hash) DO NOTHING RETURNING 1),
x AS (INSERT INTO prompt_answers (couple_id, user_id, day, prompt_key, mode, body, visibility)
  SELECT $1, $2, $4, $5, $6, $7, $8 FROM t WHERE ` + formFresh + `
  ON CONFLICT (couple_id, day, prompt_key, user_id) DO UPDATE SET body = excluded.body, visibility = excluded.visibility,
    updated_at = greatest(now(), prompt_answers.updated_at + interval '1 microsecond'))
SELECT ` + lockedFormResult + `, EXISTS (SELECT 1 FROM t)`

// AnswerPrompt writes partner a's answer ans (Day, Key, Mode, Body,
// Visibility), replacing the one a wrote before for the same prompt and
// day, in one round trip. mend.ErrNoPrompt when the prompt was not shown
// to the couple that day; mend.ErrFormUsed, changing nothing, when formKey
// was used already.
func (db *DB) AnswerPrompt(ctx context.Context, a mend.PartnerAccess, ans mend.PromptAnswer, formKey []byte) error {
	var partner, fresh, found bool
	err := db.Pool.QueryRow(ctx, answerPromptSQL, a.CoupleID(), a.UserID(), keyArg(formKey), ans.Day, ans.Key, ans.Mode,
		ans.Body, ans.Visibility).Scan(&partner, &fresh, &found)
	if err == nil && partner && !found {
		return mend.ErrNoPrompt
	}
	return lockedFormErr(err, partner, fresh)
}

// addPromptSQL adds a couple's own prompt, under the writer's lock with
// the form's key.
const addPromptSQL = lockedForm + `,
p AS (INSERT INTO couple_prompts (couple_id, user_id, category, mode, body)
  SELECT $1, $2, $4, $5, $6 WHERE ` + formFresh + ` RETURNING id)
SELECT ` + lockedFormResult + `, coalesce((SELECT id FROM p), 0)`

// AddPrompt adds partner a's own prompt p to the couple's rotation.
// mend.ErrFormUsed, adding nothing, when formKey was used already.
func (db *DB) AddPrompt(ctx context.Context, a mend.PartnerAccess, p mend.Prompt, formKey []byte) (int64, error) {
	var id int64
	var partner, fresh bool
	err := db.Pool.QueryRow(ctx, addPromptSQL, a.CoupleID(), a.UserID(), keyArg(formKey), p.Category, p.Mode, p.Text).
		Scan(&partner, &fresh, &id)
	return id, lockedFormErr(err, partner, fresh)
}

// todayPromptsSQL is the prompts of the couple's days $3 to $4, with the
// words of the couple's own and whether partner $2 answered each that day.
const todayPromptsSQL = `SELECT d.day, d.seq, d.prompt_key, coalesce(p.body, ''), coalesce(p.mode, 'write'),
  EXISTS (SELECT 1 FROM prompt_answers a WHERE a.couple_id = d.couple_id AND a.day = d.day AND a.prompt_key = d.prompt_key AND a.user_id = $2)
FROM prompt_days d
LEFT JOIN couple_prompts p ON p.couple_id = d.couple_id
  AND p.id = CASE WHEN d.prompt_key LIKE 'own-%' THEN substr(d.prompt_key, 5)::bigint END
WHERE d.couple_id = $1 AND ` + guardPartner + ` AND d.day BETWEEN $3 AND $4 ORDER BY d.day, d.seq`

// deleteMyPromptSQL deletes the couple's own prompt $3 that partner $2
// added. The answers written to it and the days it was shown stay (they
// keep its key, not a reference): they read as a prompt no longer in the
// space.
const deleteMyPromptSQL = `DELETE FROM couple_prompts WHERE couple_id = $1 AND user_id = $2 AND id = $3`

// DeleteOwnPrompt deletes the couple's own prompt id that partner a added,
// under the lock on a's membership; it no longer comes up as a prompt of
// the day. NotFound when a did not add it.
func (db *DB) DeleteOwnPrompt(ctx context.Context, a mend.PartnerAccess, id int64) error {
	return db.deleteMine(ctx, a, deleteMyPromptSQL, id, mend.ErrNotFound)
}
