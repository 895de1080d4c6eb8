package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// A summary reads what the progress page reads, and counts the answers
// each partner gave to the other's entries of the summary's days ($3 to
// $4): for a partner, the answers they know of (their own, and those to
// their entries from the current pair); for a therapist, the answers to
// the entries shared with them (a count, never the words).

const (
	partnerAnswersSQL = `
SELECT 'checkins', a.user_id, c.day, count(*)::int FROM checkins c
JOIN checkin_acks a ON a.couple_id = $1 AND a.checkin_id = c.id
WHERE c.couple_id = $1 AND ` + guardPartner + ` AND ` + ackVisible + ` AND c.day BETWEEN $3 AND $4
GROUP BY a.user_id, c.day
UNION ALL
SELECT 'triggers', r.user_id, t.local_day, count(*)::int FROM triggers t
JOIN trigger_responses r ON r.couple_id = $1 AND r.trigger_id = t.id
WHERE t.couple_id = $1 AND ` + guardPartner + ` AND t.local_day BETWEEN $3 AND $4
  AND (r.user_id = $2 OR (t.user_id = $2 AND r.created_at >= ` + bothJoined + ` AND r.user_id IN ` + currentPartners + `))
GROUP BY r.user_id, t.local_day
UNION ALL
SELECT 'commitments', r.user_id, l.occurs_on, count(*)::int FROM (SELECT c.id, c.owner_id ` + commitmentScope + ` OFFSET 0) s
JOIN commitment_logs l ON l.couple_id = $1 AND l.commitment_id = s.id AND l.occurs_on BETWEEN $3 AND $4
JOIN commitment_responses r ON r.couple_id = $1 AND r.log_id = l.id
WHERE r.user_id = $2 OR (s.owner_id = $2 AND r.created_at >= ` + bothJoined + ` AND r.user_id IN ` + currentPartners + `)
GROUP BY r.user_id, l.occurs_on`

	therapistAnswersSQL = therapistCheckinsWith + `
SELECT 'checkins', a.user_id, s.day, count(*)::int FROM (SELECT c.id, c.day ` + therapistCheckinScope + ` OFFSET 0) s
JOIN checkin_acks a ON a.couple_id = $1 AND a.checkin_id = s.id
GROUP BY a.user_id, s.day
UNION ALL
SELECT 'triggers', r.user_id, s.local_day, count(*)::int FROM (SELECT t.id, t.local_day ` + therapistTriggerScope + ` AND t.local_day BETWEEN $3 AND $4 OFFSET 0) s
JOIN trigger_responses r ON r.couple_id = $1 AND r.trigger_id = s.id
GROUP BY r.user_id, s.local_day
UNION ALL
SELECT 'commitments', r.user_id, l.occurs_on, count(*)::int FROM (SELECT c.id ` + therapistCommitmentScope + ` OFFSET 0) s
JOIN commitment_logs l ON l.couple_id = $1 AND l.commitment_id = s.id AND l.occurs_on BETWEEN $3 AND $4
JOIN commitment_responses r ON r.couple_id = $1 AND r.log_id = l.id
GROUP BY r.user_id, l.occurs_on`
)

// queueAnswers queues the answers counted for a, by day, over the days
// from to to.
func queueAnswers(b *batch, a mend.Reader, from, to time.Time) *[]mend.AnswerCount {
	sql := therapistAnswersSQL
	if _, partner := a.(mend.PartnerAccess); partner {
		sql = partnerAnswersSQL
	}
	out := &[]mend.AnswerCount{}
	queueRows(b, out, sql, a.CoupleID(), a.UserID(), from, to)
	return out
}

// SummaryOf reads what a summary of partner a may cover, the days of q,
// with a's space, in one round trip; the service chooses the days within.
// NotFound when a is in no space.
func (db *DB) SummaryOf(ctx context.Context, a mend.PartnerAccess, q mend.ProgressQuery) (*mend.SummaryReads, error) {
	b := &batch{}
	sp := queueSpace(b, a.UserID())
	r := queueProgress(b, a, q)
	ds := queueHardDates(b, a)
	answers := queueAnswers(b, a, q.From, q.Today)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	if sp.Access != a {
		return nil, mend.ErrNotFound // the membership changed as the page began
	}
	r.Space, r.HardDates, r.Started = sp, *ds, sp.Created
	return &mend.SummaryReads{ProgressReads: r, Answers: *answers}, nil
}

// TherapistSummary reads what a summary of therapist a's couple may cover,
// the days of q, in one round trip: the partners, when the space began,
// a's session dates, what each partner shares with a, and the answers to
// it counted.
func (db *DB) TherapistSummary(ctx context.Context, a mend.TherapistAccess, q mend.ProgressQuery) (*mend.SummaryReads, error) {
	b := &batch{}
	ms := queueMembers(b, a)
	var started time.Time
	b.Queue(coupleStartedSQL, a.CoupleID(), a.UserID())
	b.then(func(res pgx.BatchResults) error { return res.QueryRow().Scan(&started) })
	sessions := queueSessionDates(b, a, q.Today)
	r := queueProgress(b, a, q)
	answers := queueAnswers(b, a, q.From, q.Today)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	r.Members, r.Started = *ms, started
	return &mend.SummaryReads{ProgressReads: r, Answers: *answers, Sessions: *sessions}, nil
}
