package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// statementVersionScope is the statement versions partner $2 of couple $1
// may see (s the statement, v the version): all of their own, the draft
// included, and the other partner's once sent while both current partners
// were in the space. A draft (sent_at NULL) is its writer's alone; the
// therapist reads in therapistStatementVersionScope.
const statementVersionScope = `FROM statements s
JOIN statement_versions v ON v.couple_id = s.couple_id AND v.statement_id = s.id
WHERE s.couple_id = $1 AND ` + guardPartner + `
  AND (s.user_id = $2 OR (v.sent_at >= ` + bothJoined + ` AND s.user_id IN ` + currentPartners + `))`

const statementVersionCols = `v.id, v.statement_id, s.user_id, v.did, v.impact, v.regret, v.changing, v.commitment_ids, v.sent_at, s.share_therapist, v.created_at, v.updated_at`

// statementVersionsSQL reads the versions partner $2 may see, in the order
// written (a draft is always the last of its statement).
const statementVersionsSQL = `SELECT ` + statementVersionCols + ` ` + statementVersionScope + ` ORDER BY v.id`

// statementAnswersSQL reads the answers to the sent versions partner $2
// may see: their own, and the other partner's to the reader's statement
// while that partner is a current one and answered in their current
// membership (answerVisible, with p the statement).
const statementAnswersSQL = `SELECT r.version_id, r.user_id, r.part, r.lands, r.note, r.created_at
FROM (SELECT v.id, s.user_id ` + statementVersionScope + ` AND v.sent_at IS NOT NULL OFFSET 0) p
JOIN statement_answers r ON r.couple_id = $1 AND r.version_id = p.id AND ` + answerVisible + `
ORDER BY r.id`

// statementCommitmentsSQL reads the pair's agreed commitments with the
// title in force, for a statement's links.
const statementCommitmentsSQL = `SELECT c.id, c.owner_id, c.state,
  (SELECT t.title FROM commitment_versions t WHERE t.couple_id = c.couple_id AND t.commitment_id = c.id AND t.version = c.version)
` + commitmentScope + ` AND c.version > 0 ORDER BY c.id`

// StatementsOf reads partner a's statement page in one round trip: a's
// space, every statement version a may see with its answers, and the
// pair's agreed commitments. NotFound when a is in no space.
func (db *DB) StatementsOf(ctx context.Context, a mend.PartnerAccess) (*mend.Space, []mend.StatementVersion, []mend.StatementCommitment, error) {
	sp, vs, cs, err := db.statementsOf(ctx, a)
	if err == nil && sp.Access != a {
		// The membership changed since the request began: read again as
		// the space found says.
		if sp.Access.IsZero() {
			return nil, nil, nil, mend.ErrNotFound
		}
		sp, vs, cs, err = db.statementsOf(ctx, sp.Access)
	}
	return sp, vs, cs, err
}

// scanStatementVersion reads a row of statementVersionCols.
func scanStatementVersion(r pgx.CollectableRow) (mend.StatementVersion, error) {
	var v mend.StatementVersion
	err := r.Scan(&v.ID, &v.StatementID, &v.UserID, &v.Did, &v.Impact, &v.Regret, &v.Changing, &v.CommitmentIDs,
		&v.SentAt, &v.Shared, &v.CreatedAt, &v.UpdatedAt)
	return v, err
}

func (db *DB) statementsOf(ctx context.Context, a mend.PartnerAccess) (*mend.Space, []mend.StatementVersion, []mend.StatementCommitment, error) {
	b := &batch{}
	sp := queueSpace(b, a.UserID())
	vs := &[]mend.StatementVersion{}
	queueScan(b, vs, scanStatementVersion, statementVersionsSQL, a.CoupleID(), a.UserID())
	as := &[]mend.StatementAnswer{}
	queueRows(b, as, statementAnswersSQL, a.CoupleID(), a.UserID())
	cs := &[]mend.StatementCommitment{}
	queueRows(b, cs, statementCommitmentsSQL, a.CoupleID(), a.UserID())
	if err := db.send(ctx, b); err != nil {
		return nil, nil, nil, err
	}
	return sp, withAnswers(*vs, *as), *cs, nil
}

// withAnswers puts each answer under its version in vs.
func withAnswers(vs []mend.StatementVersion, as []mend.StatementAnswer) []mend.StatementVersion {
	at := map[int64]int{}
	for i := range vs {
		at[vs[i].ID] = i
	}
	for _, ans := range as {
		if i, ok := at[ans.VersionID]; ok {
			vs[i].Answers = append(vs[i].Answers, ans)
		}
	}
	return vs
}

// therapistStatementVersionScope is what therapist $2 of couple $1 reads
// (s the statement, v the version): the sent versions of the statements
// their writers chose to share, sent in the writer's current membership
// and the current pair, while the writer shares the kind "statement" and
// the link lasts. Never a draft.
const therapistStatementVersionScope = `FROM statements s
JOIN couple_members w ON w.couple_id = s.couple_id AND w.user_id = s.user_id AND w.left_at IS NULL
JOIN statement_versions v ON v.couple_id = s.couple_id AND v.statement_id = s.id
WHERE s.couple_id = $1 AND ` + guardTherapist + ` AND s.share_therapist AND v.sent_at IS NOT NULL
  AND v.sent_at >= w.joined_at AND v.sent_at >= ` + sinceLastLeft + `
  AND (SELECT e.shared FROM consent_events e ` + currentEra + `
       WHERE e.couple_id = s.couple_id AND e.user_id = s.user_id AND e.kind = 'statement'
       ORDER BY e.at DESC, e.id DESC LIMIT 1)`

// therapistStatementVersionsSQL reads the versions therapist $2 reads.
const therapistStatementVersionsSQL = `SELECT ` + statementVersionCols + ` ` + therapistStatementVersionScope + ` ORDER BY v.id`

// therapistStatementAnswersSQL reads the answers to the versions therapist
// $2 reads: those of a current partner, given in their current membership.
const therapistStatementAnswersSQL = `SELECT r.version_id, r.user_id, r.part, r.lands, r.note, r.created_at
FROM (SELECT v.id ` + therapistStatementVersionScope + ` OFFSET 0) p
JOIN statement_answers r ON r.couple_id = $1 AND r.version_id = p.id
JOIN couple_members x ON x.couple_id = r.couple_id AND x.user_id = r.user_id AND x.left_at IS NULL AND r.created_at >= x.joined_at
ORDER BY r.id`

// TherapistStatementPage reads, in one round trip, the partners of
// therapist a's couple and the statement versions shared with a, oldest
// first, with their answers.
func (db *DB) TherapistStatementPage(ctx context.Context, a mend.TherapistAccess) ([]mend.Member, []mend.StatementVersion, error) {
	b := &batch{}
	ms := queueMembers(b, a)
	vs := &[]mend.StatementVersion{}
	queueScan(b, vs, scanStatementVersion, therapistStatementVersionsSQL, a.CoupleID(), a.UserID())
	as := &[]mend.StatementAnswer{}
	queueRows(b, as, therapistStatementAnswersSQL, a.CoupleID(), a.UserID())
	if err := db.send(ctx, b); err != nil {
		return nil, nil, err
	}
	return *ms, withAnswers(*vs, *as), nil
}

// shareStatementSQL sets whether partner $2's own statement is shared with
// the therapist.
const shareStatementSQL = `UPDATE statements s SET share_therapist = $3
WHERE s.couple_id = $1 AND s.user_id = $2 AND ` + guardPartner

// ShareStatement sets whether partner a's own statement, its sent versions
// with their answers, is shared with the therapist. mend.ErrNotFound when
// a has none.
func (db *DB) ShareStatement(ctx context.Context, a mend.PartnerAccess, share bool) error {
	tag, err := db.Pool.Exec(ctx, shareStatementSQL, a.CoupleID(), a.UserID(), share)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNotFound
	}
	return mapErr(err)
}

// statementWaitsSQL is the number of the latest sent version of the other
// partner's statement, one partner $2 may see, when it waits for $2's
// answer (0: none waits): for Today. Versions are numbered in the order
// they were sent, as the statement page numbers them.
const statementWaitsSQL = `SELECT coalesce((SELECT (SELECT count(*) FROM statement_versions l
    WHERE l.couple_id = $1 AND l.statement_id = s.id AND l.sent_at IS NOT NULL AND l.id <= v.id) ` + statementVersionScope + ` AND s.user_id <> $2 AND v.sent_at IS NOT NULL
  AND v.id = (SELECT max(l.id) FROM statement_versions l WHERE l.couple_id = $1 AND l.statement_id = s.id AND l.sent_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM statement_answers x WHERE x.couple_id = $1 AND x.version_id = v.id AND x.user_id = $2)
  LIMIT 1), 0)`

// saveStatementSQL keeps partner $2's statement words ($4…$8) under their
// lock, with the form's key: it makes the statement on its first save,
// changes the draft when there is one and writes a new version otherwise;
// $9 sends it; $10 is the writer's choice to share the statement with the
// therapist. A sent version is never changed.
const saveStatementSQL = lockedForm + `,
s AS MATERIALIZED (INSERT INTO statements (couple_id, user_id, share_therapist) SELECT $1, $2, $10 WHERE ` + formFresh + `
  ON CONFLICT (couple_id, user_id) DO UPDATE SET share_therapist = EXCLUDED.share_therapist RETURNING id),
u AS (UPDATE statement_versions v SET did = $4, impact = $5, regret = $6, changing = $7, commitment_ids = $8,
    sent_at = CASE WHEN $9::boolean THEN now() END, updated_at = greatest(now(), v.updated_at + interval '1 microsecond')
  FROM s WHERE v.couple_id = $1 AND v.statement_id = s.id AND v.sent_at IS NULL
  RETURNING v.id),
i AS (INSERT INTO statement_versions (couple_id, statement_id, did, impact, regret, changing, commitment_ids, sent_at)
  SELECT $1, s.id, $4, $5, $6, $7, $8, CASE WHEN $9::boolean THEN now() END FROM s WHERE NOT EXISTS (SELECT 1 FROM u)
  RETURNING id)
SELECT ` + lockedFormResult + `, coalesce((SELECT id FROM u), (SELECT id FROM i), 0)`

// SaveStatement keeps partner a's statement words v as their draft, or
// sends them as a new version when send, in one round trip, with the
// choice to share the statement with the therapist (v.Shared); it returns
// the version's id. mend.ErrFormUsed, keeping nothing, when formKey was used
// already.
func (db *DB) SaveStatement(ctx context.Context, a mend.PartnerAccess, v mend.StatementVersion, send bool, formKey []byte) (int64, error) {
	var id int64
	var partner, fresh bool
	ids := v.CommitmentIDs
	if ids == nil {
		ids = []int64{}
	}
	err := db.Pool.QueryRow(ctx, saveStatementSQL, a.CoupleID(), a.UserID(), keyArg(formKey),
		v.Did, v.Impact, v.Regret, v.Changing, ids, send, v.Shared).Scan(&partner, &fresh, &id)
	return id, lockedFormErr(err, partner, fresh)
}

// answerStatementSQL records partner $2's answers ($5 parts, $6 lands, $7
// notes) to version $4: the latest sent version of the other partner's
// statement, one $2 may see and has not answered. Under $2's lock, with the
// form's key $3, spent only when the version is there (the last column
// says the key was spent before: the same form sent again).
const answerStatementSQL = `WITH m AS MATERIALIZED (` + lockMembershipSQL + `),
t AS MATERIALIZED (SELECT v.id ` + statementVersionScope + ` AND v.id = $4 AND s.user_id <> $2 AND v.sent_at IS NOT NULL
  AND v.id = (SELECT max(l.id) FROM statement_versions l WHERE l.couple_id = $1 AND l.statement_id = s.id AND l.sent_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM statement_answers x WHERE x.couple_id = $1 AND x.version_id = v.id AND x.user_id = $2)),
f AS (INSERT INTO form_submissions (key_hash, user_id) SELECT $3::bytea, $2
  WHERE $3::bytea IS NOT NULL AND EXISTS (SELECT 1 FROM m) AND EXISTS (SELECT 1 FROM t)
  ON CONFLICT (key_hash) DO NOTHING RETURNING 1),
x AS (INSERT INTO statement_answers (couple_id, version_id, user_id, part, lands, note)
  SELECT $1, t.id, $2, a.part, a.lands, a.note FROM t, unnest($5::text[], $6::boolean[], $7::text[]) AS a (part, lands, note)
  WHERE ` + formFresh + `)
SELECT ` + lockedFormResult + `, EXISTS (SELECT 1 FROM t),
  EXISTS (SELECT 1 FROM form_submissions k WHERE k.key_hash = $3::bytea AND k.user_id = $2)`

// AnswerStatement records partner a's answers to each part of version id
// of the other partner's statement, in one round trip. mend.ErrNoStatement
// when it is not the latest sent version of the other partner's statement,
// a may not see it, or a answered it already; mend.ErrFormUsed, adding
// nothing, when formKey was used already.
func (db *DB) AnswerStatement(ctx context.Context, a mend.PartnerAccess, id int64, answers []mend.StatementAnswer, formKey []byte) error {
	parts, lands, notes := make([]string, len(answers)), make([]bool, len(answers)), make([]string, len(answers))
	for i, ans := range answers {
		parts[i], lands[i], notes[i] = ans.Part, ans.Lands, ans.Note
	}
	var partner, fresh, found, used bool
	err := db.Pool.QueryRow(ctx, answerStatementSQL, a.CoupleID(), a.UserID(), keyArg(formKey), id, parts, lands, notes).
		Scan(&partner, &fresh, &found, &used)
	switch {
	case err == nil && partner && !found && used:
		// The same form sent again, after its answers were recorded.
		return mend.ErrFormUsed
	case err == nil && partner && !found:
		return mend.ErrNoStatement
	}
	return lockedFormErr(err, partner, fresh)
}

// deleteMyStatementSQL deletes the statement of writer $2 ($3 is $2 again,
// for deleteMine): every version, and by the foreign keys the answers.
const deleteMyStatementSQL = `DELETE FROM statements WHERE couple_id = $1 AND user_id = $2 AND user_id = $3`

// DeleteStatement deletes partner a's own statement for good, every
// version and every answer to it, under the lock on a's membership.
// NotFound when a has none.
func (db *DB) DeleteStatement(ctx context.Context, a mend.PartnerAccess) error {
	return db.deleteMine(ctx, a, deleteMyStatementSQL, a.UserID(), mend.ErrNotFound)
}

// deleteMyStatementAnswersSQL deletes partner $2's answers to version $3
// of the other partner's statement, never to one of their own; the
// version stays.
const deleteMyStatementAnswersSQL = `DELETE FROM statement_answers r USING statement_versions v, statements s
WHERE r.couple_id = $1 AND r.user_id = $2 AND r.version_id = $3
  AND v.couple_id = r.couple_id AND v.id = r.version_id
  AND s.couple_id = v.couple_id AND s.id = v.statement_id AND s.user_id <> $2`

// DeleteStatementAnswers deletes partner a's own answers to every part of
// version id of the other partner's statement, under the lock on a's
// membership; the version stays, and when it is the latest a may answer
// it again. NotFound when a has no answer to it.
func (db *DB) DeleteStatementAnswers(ctx context.Context, a mend.PartnerAccess, id int64) error {
	return db.deleteMine(ctx, a, deleteMyStatementAnswersSQL, id, mend.ErrNotFound)
}
