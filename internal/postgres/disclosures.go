package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// disclosureScope is the disclosures partner $2 of couple $1 may see: their
// own, drafts included, and the other partner's once sent while both
// current partners were in the space (sent since the later of them
// joined). A draft (sent_at NULL) is its writer's alone. As for triggers,
// the memberships are read once per statement, not joined.
const disclosureScope = `FROM disclosures d
WHERE d.couple_id = $1 AND ` + guardPartner + `
  AND (d.user_id = $2 OR (d.sent_at >= ` + bothJoined + ` AND d.user_id IN ` + currentPartners + `))`

// therapistDisclosureScope is what therapist $2 of couple $1 may see: sent
// disclosures marked for them, sent in the writer's current membership and
// the current pair, while the writer shares disclosures and the link lasts.
const therapistDisclosureScope = `FROM disclosures d
JOIN couple_members w ON w.couple_id = d.couple_id AND w.user_id = d.user_id AND w.left_at IS NULL
WHERE d.couple_id = $1 AND ` + guardTherapist + ` AND d.visibility = 'therapist' AND d.sent_at >= w.joined_at
  AND d.sent_at >= ` + sinceLastLeft + `
  AND (SELECT e.shared FROM consent_events e ` + currentEra + `
       WHERE e.couple_id = d.couple_id AND e.user_id = d.user_id AND e.kind = 'disclosures'
       ORDER BY e.at DESC, e.id DESC LIMIT 1)`

// disclosuresOf is the scope of the disclosures a may see.
func disclosuresOf(a mend.Reader) string {
	if _, partner := a.(mend.PartnerAccess); partner {
		return disclosureScope
	}
	return therapistDisclosureScope
}

const disclosureCols = `d.id, d.couple_id, d.user_id, d.how, d.topic, d.happened_on, d.body, d.visibility, d.sent_at, d.created_at, d.updated_at`

func scanDisclosure(r pgx.Row, more ...any) (mend.Disclosure, error) {
	var d mend.Disclosure
	err := r.Scan(append([]any{&d.ID, &d.CoupleID, &d.UserID, &d.How, &d.Topic, &d.HappenedOn, &d.Body, &d.Visibility,
		&d.SentAt, &d.CreatedAt, &d.UpdatedAt}, more...)...)
	return d, err
}

// disclosureAnswers are the answers a partner reader ($2) sees of
// disclosure p (one they may see), as arrays in the order written: their
// own, and the other partner's to the reader's disclosures while that
// partner is a current one and answered in their current membership.
const disclosureAnswers = `LEFT JOIN LATERAL (
  SELECT coalesce(array_agg(r.user_id ORDER BY r.id), '{}'), coalesce(array_agg(r.body ORDER BY r.id), '{}'),
         coalesce(array_agg(r.created_at ORDER BY r.id), '{}')
  FROM disclosure_answers r
  WHERE r.couple_id = $1 AND r.disclosure_id = p.id AND ` + answerVisible + `
) rs ON true`

// queueDisclosures queues the disclosures a may see (one when id is not 0),
// sent or not for a partner (drafts are only ever the reader's own), sent
// and shared for a therapist, with local days from from to to, newest day
// first, at most mend.DisclosureList; a partner's come with their answers.
func queueDisclosures(b *batch, a mend.Reader, id int64, from, to time.Time) *[]mend.Disclosure {
	_, partner := a.(mend.PartnerAccess)
	page := `SELECT ` + disclosureCols + ` ` + disclosuresOf(a) + ` AND ($3::bigint = 0 OR d.id = $3)
		AND d.happened_on BETWEEN $4 AND $5
		ORDER BY d.happened_on DESC, d.id DESC LIMIT $6`
	if partner {
		page = `SELECT p.*, rs.* FROM (` + page + `) p ` + disclosureAnswers + `
		ORDER BY p.happened_on DESC, p.id DESC`
	}
	b.Queue(page, a.CoupleID(), a.UserID(), id, from, to, mend.DisclosureList)
	ds := &[]mend.Disclosure{}
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		*ds, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Disclosure, error) {
			if !partner {
				return scanDisclosure(r)
			}
			var users []int64
			var bodies []string
			var ats []time.Time
			d, err := scanDisclosure(r, &users, &bodies, &ats)
			for i := range users {
				d.Answers = append(d.Answers, mend.DisclosureAnswer{DisclosureID: d.ID, UserID: users[i], Body: bodies[i], At: ats[i]})
			}
			return d, err
		})
		return err
	})
	return ds
}

// allDays bounds a list that is not filtered by day.
var allDays = [2]time.Time{time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)}

// DisclosuresOf reads partner a's disclosures page, with a's space, in one
// round trip: every disclosure a may see (one when id is not 0), their own
// drafts included. NotFound when a is in no space.
func (db *DB) DisclosuresOf(ctx context.Context, a mend.PartnerAccess, id int64) (*mend.Space, []mend.Disclosure, error) {
	sp, ds, err := db.disclosuresOf(ctx, a, id)
	if err == nil && sp.Access != a {
		// The membership changed since the request began: read again as
		// the space found says.
		if sp.Access.IsZero() {
			return nil, nil, mend.ErrNotFound
		}
		sp, ds, err = db.disclosuresOf(ctx, sp.Access, id)
	}
	return sp, ds, err
}

func (db *DB) disclosuresOf(ctx context.Context, a mend.PartnerAccess, id int64) (*mend.Space, []mend.Disclosure, error) {
	b := &batch{}
	sp := queueSpace(b, a.UserID())
	ds := queueDisclosures(b, a, id, allDays[0], allDays[1])
	if err := db.send(ctx, b); err != nil {
		return nil, nil, err
	}
	return sp, *ds, nil
}

// TherapistDisclosuresPage reads, in one round trip, the partners of
// therapist a's couple and the disclosures shared with a whose days fall
// from from to to (see queueDisclosures).
func (db *DB) TherapistDisclosuresPage(ctx context.Context, a mend.TherapistAccess, from, to time.Time) ([]mend.Member, []mend.Disclosure, error) {
	b := &batch{}
	ms := queueMembers(b, a)
	ds := queueDisclosures(b, a, 0, from, to)
	if err := db.send(ctx, b); err != nil {
		return nil, nil, err
	}
	return *ms, *ds, nil
}

// The marks of the sent disclosures of days $3 to $4, for a partner and for
// a therapist: no words, and never a draft.
const (
	marksSQL = `SELECT d.happened_on, d.user_id, d.how, d.topic ` + disclosureScope + ` AND d.sent_at IS NOT NULL
		AND d.happened_on BETWEEN $3 AND $4 ORDER BY d.happened_on, d.id`
	therapistMarksSQL = `SELECT d.happened_on, d.user_id, d.how, d.topic ` + therapistDisclosureScope + ` AND d.sent_at IS NOT NULL
		AND d.happened_on BETWEEN $3 AND $4 ORDER BY d.happened_on, d.id`
)

// queueDisclosureMarks queues the marks of the sent disclosures a may see
// (a partner's scope or a therapist's, by the type of a) whose days fall
// from from to to, oldest first: no words, and never a draft, not even the
// reader's own. Sending b fills the list. For the progress charts and the
// pre-session summary, which keep told and discovered apart by How.
func queueDisclosureMarks(b *batch, a mend.Reader, from, to time.Time) *[]mend.DisclosureMark {
	sql := therapistMarksSQL
	if _, partner := a.(mend.PartnerAccess); partner {
		sql = marksSQL
	}
	ms := &[]mend.DisclosureMark{}
	queueRows(b, ms, sql, a.CoupleID(), a.UserID(), from, to)
	return ms
}

// DisclosureMarks returns, in one round trip, the marks of the sent
// disclosures a may see with days from from to to (see
// queueDisclosureMarks).
func (db *DB) DisclosureMarks(ctx context.Context, a mend.Reader, from, to time.Time) ([]mend.DisclosureMark, error) {
	b := &batch{}
	ms := queueDisclosureMarks(b, a, from, to)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	return *ms, nil
}

// writeDisclosureSQL records a disclosure ($4…) under the writer's lock,
// with its form's key (see lockedForm); $9 sends it at once.
const writeDisclosureSQL = lockedForm + `,
d AS (INSERT INTO disclosures (couple_id, user_id, how, topic, happened_on, body, visibility, sent_at)
  SELECT $1, $2, $4, $5, $6, $7, $8, CASE WHEN $9::boolean THEN now() END WHERE ` + formFresh + `
  RETURNING id)
SELECT ` + lockedFormResult + `, coalesce((SELECT id FROM d), 0)`

// WriteDisclosure records partner a's disclosure d, sent at once when send
// and a private draft otherwise, in one round trip. mend.ErrFormUsed,
// recording nothing, when formKey was used already.
func (db *DB) WriteDisclosure(ctx context.Context, a mend.PartnerAccess, d mend.Disclosure, send bool, formKey []byte) (int64, error) {
	var id int64
	var partner, fresh bool
	err := db.Pool.QueryRow(ctx, writeDisclosureSQL, a.CoupleID(), a.UserID(), keyArg(formKey), d.How, d.Topic, d.HappenedOn,
		d.Body, d.Visibility, send).Scan(&partner, &fresh, &id)
	return id, lockedFormErr(err, partner, fresh)
}

// editDraftSQL changes draft $3 of writer $2 and, when $9, sends it. A sent
// disclosure is never changed.
const editDraftSQL = `
UPDATE disclosures d SET how = $4, topic = $5, happened_on = $6, body = $7, visibility = $8,
  sent_at = CASE WHEN $9::boolean THEN now() END, updated_at = greatest(now(), d.updated_at + interval '1 microsecond')
WHERE d.couple_id = $1 AND d.id = $3 AND d.user_id = $2 AND d.sent_at IS NULL AND ` + guardPartner

// EditDraft changes partner a's own draft id to say d, and sends it when
// send. mend.ErrNoDraft when it is not a's, or was sent already.
func (db *DB) EditDraft(ctx context.Context, a mend.PartnerAccess, id int64, d mend.Disclosure, send bool) error {
	tag, err := db.Pool.Exec(ctx, editDraftSQL, a.CoupleID(), a.UserID(), id, d.How, d.Topic, d.HappenedOn, d.Body, d.Visibility, send)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoDraft
	}
	return mapErr(err)
}

const sendDraftSQL = `
UPDATE disclosures d SET sent_at = now(), updated_at = greatest(now(), d.updated_at + interval '1 microsecond')
WHERE d.couple_id = $1 AND d.id = $3 AND d.user_id = $2 AND d.sent_at IS NULL AND ` + guardPartner

// SendDraft sends partner a's own draft id as it is. mend.ErrNoDraft when
// it is not a's, or was sent already (a form sent twice sends once).
func (db *DB) SendDraft(ctx context.Context, a mend.PartnerAccess, id int64) error {
	tag, err := db.Pool.Exec(ctx, sendDraftSQL, a.CoupleID(), a.UserID(), id)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoDraft
	}
	return mapErr(err)
}

// answerDisclosureSQL adds partner $2's answer $5 to disclosure $4, which
// must be the other partner's, sent, and one $2 may see; under $2's lock,
// with the form's key $3, recorded only when the disclosure is there (so a
// refused answer does not spend the key).
const answerDisclosureSQL = `WITH m AS MATERIALIZED (` + lockMembershipSQL + `),
t AS MATERIALIZED (SELECT d.id ` + disclosureScope + ` AND d.id = $4 AND d.user_id <> $2 AND d.sent_at IS NOT NULL),
f AS (INSERT INTO form_submissions (key_hash, user_id) SELECT $3::bytea, $2
  WHERE $3::bytea IS NOT NULL AND EXISTS (SELECT 1 FROM m) AND EXISTS (SELECT 1 FROM t)
  ON CONFLICT (key_hash) DO NOTHING RETURNING 1),
x AS (INSERT INTO disclosure_answers (couple_id, disclosure_id, user_id, body)
  SELECT $1, t.id, $2, $5 FROM t WHERE ` + formFresh + `)
SELECT ` + lockedFormResult + `, EXISTS (SELECT 1 FROM t)`

// AnswerDisclosure adds partner a's answer body to the other partner's
// sent disclosure id, in one round trip. mend.ErrNoDisclosure when it is
// a's own, a draft, or one a may not see; mend.ErrFormUsed, adding
// nothing, when formKey was used already.
func (db *DB) AnswerDisclosure(ctx context.Context, a mend.PartnerAccess, id int64, body string, formKey []byte) error {
	var partner, fresh, found bool
	err := db.Pool.QueryRow(ctx, answerDisclosureSQL, a.CoupleID(), a.UserID(), keyArg(formKey), id, body).Scan(&partner, &fresh, &found)
	if err == nil && partner && !found {
		return mend.ErrNoDisclosure
	}
	return lockedFormErr(err, partner, fresh)
}
