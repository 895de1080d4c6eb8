package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// A partner's pages that read more than one part of their space read them
// in one batch with the space itself: the access comes with the session,
// so nothing waits for the space before the page's queries are sent.

// TodayOf reads partner a's Today page, with a's space, in one round trip,
// and records the visit: the check-ins, the commitments,
// the other partner's latest triggers and a's own with their answers, the
// hard dates, the therapist's suggestions a has not set aside, the recent
// sessions a has not answered the short check about, and when a last took
// a safety check. NotFound when a is in no space.
func (db *DB) TodayOf(ctx context.Context, a mend.PartnerAccess, q mend.TodayQuery) (*mend.TodayReads, error) {
	r, err := db.todayOf(ctx, a, q)
	if err == nil && r.Space.Access != a {
		// The membership changed since the request began: read again as
		// the space found says (a second round trip, only then).
		r, err = db.todayOf(ctx, r.Space.Access, q)
		if err == nil && r.Space.Access.IsZero() {
			return nil, mend.ErrNotFound
		}
	}
	return r, err
}

// todayVisitSQL records a's visit to Today and returns when a's previous
// visit ended, and the time of this one: a Today page more than $2 after
// the last one starts a new visit, and the last one ends the previous
// visit. The database's clock stamps the visit, as it stamps the entries
// the visit is compared with. The row is written at most once a minute, so
// reloads write nothing: the end of a visit is known to a minute.
const todayVisitSQL = `
WITH cur AS (SELECT today_seen_at, today_since FROM users WHERE id = $1),
visit AS (
  UPDATE users u SET today_seen_at = now(),
    today_since = CASE WHEN cur.today_seen_at < now() - $2::interval THEN cur.today_seen_at ELSE cur.today_since END
  FROM cur WHERE u.id = $1 AND (cur.today_seen_at IS NULL OR cur.today_seen_at < now() - interval '1 minute')
  RETURNING u.today_since)
SELECT CASE WHEN EXISTS (SELECT 1 FROM visit) THEN (SELECT today_since FROM visit) ELSE (SELECT today_since FROM cur) END, now()`

// triggerAnswersSQL is the newest answers of the other partner to partner
// $2's own triggers, with the trigger each answers.
var triggerAnswersSQL = `
SELECT t.id, t.category, t.local_day, r.user_id, r.choice, r.body, r.did, r.updated_at
FROM trigger_responses r JOIN triggers t ON t.couple_id = r.couple_id AND t.id = r.trigger_id
WHERE r.couple_id = $1 AND ` + guardPartner + ` AND t.user_id = $2 AND r.user_id <> $2
ORDER BY r.updated_at DESC, r.id DESC LIMIT ` + sinceMax

var sinceMax = strconv.Itoa(mend.SinceMax)

// unansweredLogsSQL is the ids of the logs of the
// commitments partner $2 of couple $1 sees and does not keep, that $2 has
// not answered, changed in the last $3. The couple's logs of the last $3
// are read first, from the index alone (a few dozen rows): joined from the
// commitments instead, the planner read every log of each commitment.
const unansweredLogsSQL = `
WITH recent AS MATERIALIZED (
  SELECT l.id, l.commitment_id, l.updated_at FROM commitment_logs l WHERE l.couple_id = $1 AND l.updated_at > now() - $3::interval)
SELECT l.id FROM (SELECT c.id ` + commitmentScope + ` AND c.owner_id <> $2 OFFSET 0) s
JOIN recent l ON l.commitment_id = s.id
WHERE NOT EXISTS (SELECT 1 FROM commitment_responses r WHERE r.couple_id = $1 AND r.log_id = l.id AND r.user_id = $2)
ORDER BY l.updated_at DESC, l.id DESC`

func (db *DB) todayOf(ctx context.Context, a mend.PartnerAccess, q mend.TodayQuery) (*mend.TodayReads, error) {
	b := &batch{}
	r := &mend.TodayReads{}
	b.Queue(todayVisitSQL, a.UserID(), mend.TodayVisitGap)
	b.then(func(res pgx.BatchResults) error { return res.QueryRow().Scan(&r.Since, &r.Seen) })
	r.Space = queueSpace(b, a.UserID())
	r.Checkins = queueCheckinDashboard(b, a, q.Today, q.TrendFrom)
	set := queueCommitmentSet(b, a, 0, q.LogsFrom)
	ts := queueTriggers(b, a, mend.WhoPartner, 0, time.Time{}, 0, q.PartnerTriggers)
	b.Queue(triggerAnswersSQL, a.CoupleID(), a.UserID())
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		var x mend.TriggerAnswer
		_, err = pgx.ForEachRow(rows, []any{&x.Trigger.ID, &x.Trigger.Category, &x.Trigger.LocalDay, &x.Response.UserID,
			&x.Response.Choice, &x.Response.Body, &x.Response.Did, &x.Response.At}, func() error {
			x.Response.TriggerID = x.Trigger.ID
			r.TriggerAnswers = append(r.TriggerAnswers, x)
			return nil
		})
		return err
	})
	b.Queue(unansweredLogsSQL, a.CoupleID(), a.UserID(), mend.WaitingLogDays*24*time.Hour)
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err == nil {
			r.Unanswered, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		}
		return err
	})
	ds := queueHardDates(b, a)
	ss := queueOpenSuggestions(b, a, mend.TodaySuggestions)
	cs := queueOpenSessions(b, a, q.ChecksFrom, q.Today, true, mend.TodaySessionChecks)
	b.Queue(statementWaitsSQL, a.CoupleID(), a.UserID())
	b.then(func(res pgx.BatchResults) error { return res.QueryRow().Scan(&r.StatementWaits) })
	r.Talk = queueTalkWaiting(b, a, q.Now)
	b.Queue(lastSafetyActivitySQL, a.UserID())
	b.then(func(res pgx.BatchResults) error { return res.QueryRow().Scan(&r.LastSafety) })
	queueRows(b, &r.Prompts, todayPromptsSQL, a.CoupleID(), a.UserID(), q.Today.AddDate(0, 0, -1), q.Today.AddDate(0, 0, 1))
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	r.Commitments, r.PartnerTriggers, r.HardDates, r.Suggestions, r.SessionsToCheck = *set, *ts, *ds, *ss, *cs
	return r, nil
}

// queueCommitmentSet queues the queries of Commitments (without a log's
// answers and earlier versions); sending b fills the set.
func queueCommitmentSet(b *batch, a mend.Reader, id int64, logsFrom time.Time) **mend.CommitmentSet {
	scope := therapistCommitmentScope
	if _, partner := a.(mend.PartnerAccess); partner {
		scope = commitmentScope
	}
	queueSet(&b.Batch, scope, a, id, logsFrom)
	set := new(*mend.CommitmentSet)
	b.then(func(res pgx.BatchResults) (err error) {
		*set, err = readSet(res)
		return err
	})
	return set
}

// The partner's own open flag to the couple's active link, if any.
const activeLinkFlagSQL = `
SELECT f.id, f.couple_id, f.user_id, u.name, f.sent_at
FROM therapist_flags f JOIN users u ON u.id = f.user_id
JOIN therapist_links l ON l.id = f.link_id AND l.couple_id = f.couple_id AND l.ended_at IS NULL AND l.agreed_at IS NOT NULL
WHERE f.couple_id = $1 AND f.user_id = $2 AND f.done_at IS NULL AND ` + guardPartner + `
ORDER BY f.sent_at DESC, f.id DESC LIMIT 1`

// SafetyResult reads, in one round trip, the last safety check partner a
// took (nil before the first), the couple's active therapist link (nil
// when none) and a's own open flag to it (nil when none). The check is
// read by a's user id alone, in a statement of its own.
func (db *DB) SafetyResult(ctx context.Context, a mend.PartnerAccess) (*mend.SafetyResult, error) {
	b := &batch{}
	b.Queue(lastSafetyCheckSQL, a.UserID())
	b.Queue(activeLinkSQL, a.CoupleID(), a.UserID())
	b.Queue(activeLinkFlagSQL, a.CoupleID(), a.UserID())
	r := &mend.SafetyResult{InSpace: true}
	b.then(func(res pgx.BatchResults) error {
		var err error
		if r.Check, err = scanSafetyCheck(res.QueryRow()); err != nil && mend.ErrorCode(err) != mend.NotFound {
			return err
		}
		if r.Therapist, err = scanOptionalLink(res.QueryRow()); err != nil {
			return err
		}
		f, err := scanFlag(res.QueryRow())
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		case r.Therapist != nil:
			r.Flag = &f
		}
		return nil
	})
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	return r, nil
}
