package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// Talk times, parked topics and questions are the current pair's: a
// partner sees those written since both current partners were in the
// space, and never a therapist.

// talkTimeScope is the open (proposed or agreed) talk times of couple $1
// that partner $2 sees: proposed by a current partner since both joined.
const talkTimeScope = `FROM talk_times t
WHERE t.couple_id = $1 AND ` + guardPartner + ` AND t.status IN ('proposed', 'agreed')
  AND t.proposed_by IN ` + currentPartners + ` AND t.created_at >= ` + bothJoined

const talkTimeCols = `t.id, t.couple_id, t.proposed_by, t.weekday, t.start_min, t.minutes, t.time_zone, t.status, t.answered_by, t.answered_at, t.created_at`

func scanTalkTime(r pgx.CollectableRow) (mend.TalkTime, error) {
	var t mend.TalkTime
	var wd, start, minutes int16
	err := r.Scan(&t.ID, &t.CoupleID, &t.ProposedBy, &wd, &start, &minutes, &t.Zone, &t.Status, &t.AnsweredBy, &t.AnsweredAt, &t.CreatedAt)
	t.Weekday, t.Start, t.Minutes = time.Weekday(wd), int(start), int(minutes)
	return t, err
}

// queueTalkTimes queues the open talk times a sees, oldest first.
func queueTalkTimes(b *batch, a mend.PartnerAccess) *[]mend.TalkTime {
	ts := &[]mend.TalkTime{}
	queueScan(b, ts, scanTalkTime, `SELECT `+talkTimeCols+` `+talkTimeScope+` ORDER BY t.id`, a.CoupleID(), a.UserID())
	return ts
}

// topicScope is the parked topics of couple $1 that partner $2 sees at $3:
// their own, and the other partner's (parked since both joined) once
// shared or once the talk time they wait for has started.
const topicScope = `FROM parked_topics t
WHERE t.couple_id = $1 AND ` + guardPartner + `
  AND (t.user_id = $2 OR (t.user_id IN ` + currentPartners + ` AND t.created_at >= ` + bothJoined + `
       AND (t.shared_at IS NOT NULL OR t.opens_at <= $3)))`

// queueTopics queues the parked topics a sees at now, oldest first, each
// made from a question with its words.
func queueTopics(b *batch, a mend.PartnerAccess, now time.Time) *[]mend.ParkedTopic {
	ts := &[]mend.ParkedTopic{}
	b.Queue(`SELECT p.*, coalesce(q.body, '') FROM (SELECT t.id, t.couple_id, t.user_id, t.title, t.note, t.question_id, t.opens_at,
		t.shared_at, t.talked_at, t.talked_by, t.created_at `+topicScope+` ORDER BY t.created_at DESC, t.id DESC LIMIT $4) p
		LEFT JOIN questions q ON q.couple_id = $1 AND q.id = p.question_id
		ORDER BY p.created_at, p.id`, a.CoupleID(), a.UserID(), now, mend.TalkList)
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		*ts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.ParkedTopic, error) {
			var t mend.ParkedTopic
			err := r.Scan(&t.ID, &t.CoupleID, &t.UserID, &t.Title, &t.Note, &t.QuestionID, &t.OpensAt, &t.SharedAt,
				&t.TalkedAt, &t.TalkedBy, &t.CreatedAt, &t.Question)
			return t, err
		})
		return err
	})
	return ts
}

// questionScope is the questions of couple $1 that partner $2 sees: their
// own, and the other partner's asked since both joined.
const questionScope = `FROM questions q
WHERE q.couple_id = $1 AND ` + guardPartner + `
  AND (q.user_id = $2 OR (q.user_id IN ` + currentPartners + ` AND q.created_at >= ` + bothJoined + `))`

// therapistQuestionScope is what therapist $2 of couple $1 reads: the
// questions their askers chose to share, asked in the asker's current
// membership and the current pair, while the asker shares questions and
// the link lasts.
const therapistQuestionScope = `FROM questions q
JOIN couple_members w ON w.couple_id = q.couple_id AND w.user_id = q.user_id AND w.left_at IS NULL
WHERE q.couple_id = $1 AND ` + guardTherapist + ` AND q.share_answer AND q.created_at >= w.joined_at
  AND q.created_at >= ` + sinceLastLeft + `
  AND (SELECT e.shared FROM consent_events e ` + currentEra + `
       WHERE e.couple_id = q.couple_id AND e.user_id = q.user_id AND e.kind = 'questions'
       ORDER BY e.at DESC, e.id DESC LIMIT 1)`

// queueQuestions queues the questions a sees (a partner's scope or a
// therapist's), oldest first, with the answer of a current partner.
func queueQuestions(b *batch, a mend.Reader) *[]mend.Question {
	qs := &[]mend.Question{}
	scope := therapistQuestionScope
	if _, partner := a.(mend.PartnerAccess); partner {
		scope = questionScope
	}
	b.Queue(`SELECT p.*, r.user_id, coalesce(r.body, ''), coalesce(r.talk, false), r.created_at
		FROM (SELECT q.id, q.couple_id, q.user_id, q.body, q.about, q.share_answer, q.created_at `+scope+` ORDER BY q.id DESC LIMIT $3) p
		LEFT JOIN question_answers r ON r.couple_id = $1 AND r.question_id = p.id AND r.user_id IN `+currentPartners+`
		ORDER BY p.id`, a.CoupleID(), a.UserID(), mend.TalkList)
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		*qs, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Question, error) {
			var q mend.Question
			var by *int64
			var ans mend.QuestionAnswer
			var at *time.Time
			err := r.Scan(&q.ID, &q.CoupleID, &q.UserID, &q.Body, &q.About, &q.ShareAnswer, &q.CreatedAt, &by, &ans.Body, &ans.Talk, &at)
			if by != nil && at != nil {
				ans.UserID, ans.At = *by, *at
				q.Answer = &ans
			}
			return q, err
		})
		return err
	})
	return qs
}

// TalkOf reads partner a's talk page at now, with a's space, in one round
// trip: the open talk times and the parked topics a sees.
func (db *DB) TalkOf(ctx context.Context, a mend.PartnerAccess, now time.Time) (*mend.Space, []mend.TalkTime, []mend.ParkedTopic, error) {
	b := &batch{}
	sp := queueSpace(b, a.UserID())
	ts := queueTalkTimes(b, a)
	ps := queueTopics(b, a, now)
	if err := db.send(ctx, b); err != nil {
		return nil, nil, nil, err
	}
	if sp.Access != a {
		return nil, nil, nil, mend.ErrNotFound
	}
	return sp, *ts, *ps, nil
}

// QuestionsOf reads partner a's questions page, with a's space and the open
// talk times, in one round trip.
func (db *DB) QuestionsOf(ctx context.Context, a mend.PartnerAccess) (*mend.Space, []mend.TalkTime, []mend.Question, error) {
	b := &batch{}
	sp := queueSpace(b, a.UserID())
	ts := queueTalkTimes(b, a)
	qs := queueQuestions(b, a)
	if err := db.send(ctx, b); err != nil {
		return nil, nil, nil, err
	}
	if sp.Access != a {
		return nil, nil, nil, mend.ErrNotFound
	}
	return sp, *ts, *qs, nil
}

// TherapistQuestionsPage reads, in one round trip, the partners of
// therapist a's couple and the questions shared with a, with the answers.
func (db *DB) TherapistQuestionsPage(ctx context.Context, a mend.TherapistAccess) ([]mend.Member, []mend.Question, error) {
	b := &batch{}
	ms := queueMembers(b, a)
	qs := queueQuestions(b, a)
	if err := db.send(ctx, b); err != nil {
		return nil, nil, err
	}
	return *ms, *qs, nil
}

// shareQuestionSQL sets whether partner $2's own question $3 is shared
// with the therapist.
const shareQuestionSQL = `UPDATE questions q SET share_answer = $4
WHERE q.couple_id = $1 AND q.id = $3 AND q.user_id = $2 AND ` + guardPartner

// ShareQuestion sets whether partner a's own question id, with its answer,
// is shared with the therapist. mend.ErrNoQuestion for any other.
func (db *DB) ShareQuestion(ctx context.Context, a mend.PartnerAccess, id int64, share bool) error {
	tag, err := db.Pool.Exec(ctx, shareQuestionSQL, a.CoupleID(), a.UserID(), id, share)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoQuestion
	}
	return mapErr(err)
}

// TalkTimes returns the open talk times a sees, in one round trip.
func (db *DB) TalkTimes(ctx context.Context, a mend.PartnerAccess) ([]mend.TalkTime, error) {
	b := &batch{}
	ts := queueTalkTimes(b, a)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	return *ts, nil
}

// SpaceWithTalkTimes reads partner a's space and the open talk times a
// sees, in one round trip. NotFound when a is in no space.
func (db *DB) SpaceWithTalkTimes(ctx context.Context, a mend.PartnerAccess) (*mend.Space, []mend.TalkTime, error) {
	b := &batch{}
	sp := queueSpace(b, a.UserID())
	ts := queueTalkTimes(b, a)
	if err := db.send(ctx, b); err != nil {
		return nil, nil, err
	}
	if sp.Access != a {
		return nil, nil, mend.ErrNotFound
	}
	return sp, *ts, nil
}

// waitingSQL counts what waits for partner $2 at $3: the parked topics they
// see that are not talked through, and the questions they see with no
// answer yet.
const waitingSQL = `SELECT (SELECT count(*) ` + topicScope + ` AND t.talked_at IS NULL),
  (SELECT count(*) FROM (SELECT q.id ` + questionScope + ` OFFSET 0) p
   WHERE NOT EXISTS (SELECT 1 FROM question_answers r WHERE r.couple_id = $1 AND r.question_id = p.id AND r.user_id IN ` + currentPartners + `))`

// queueTalkWaiting queues what Today says of talk times for a at now.
func queueTalkWaiting(b *batch, a mend.PartnerAccess, now time.Time) *mend.TalkWaiting {
	w := &mend.TalkWaiting{}
	ts := queueTalkTimes(b, a)
	b.Queue(waitingSQL, a.CoupleID(), a.UserID(), now)
	b.then(func(res pgx.BatchResults) error {
		if err := res.QueryRow().Scan(&w.Topics, &w.Questions); err != nil {
			return err
		}
		w.Next = mend.NextTalkOf(*ts, now)
		for _, t := range *ts {
			if t.Status == mend.TalkProposed && t.ProposedBy != a.UserID() {
				w.Proposals++
			}
		}
		return nil
	})
	return w
}

// proposeTalkTimeSQL records a proposal under the proposer's lock, with
// its form's key (see lockedForm), when the space has both partners.
const proposeTalkTimeSQL = lockedForm + `,
t AS (INSERT INTO talk_times (couple_id, proposed_by, weekday, start_min, minutes, time_zone, status)
  SELECT $1, $2, $4, $5, $6, $7, 'proposed' WHERE ` + formFresh + `
  AND (SELECT count(*) FROM couple_members w WHERE w.couple_id = $1 AND w.left_at IS NULL) = 2
  RETURNING id)
SELECT ` + lockedFormResult + `, coalesce((SELECT id FROM t), 0)`

// ProposeTalkTime records partner a's proposal t in one round trip and
// returns its id (0 when the space has no partner yet).
// mend.ErrFormUsed, recording nothing, when formKey was used already.
func (db *DB) ProposeTalkTime(ctx context.Context, a mend.PartnerAccess, t mend.TalkTime, formKey []byte) (int64, error) {
	var id int64
	var partner, fresh bool
	// #nosec G115 -- the service checked each: a weekday 0–6, a start in minutes 0–1439, a length of minutes under a day
	err := db.Pool.QueryRow(ctx, proposeTalkTimeSQL, a.CoupleID(), a.UserID(), keyArg(formKey), int16(t.Weekday), int16(t.Start),
		int16(t.Minutes), t.Zone).Scan(&partner, &fresh, &id)
	return id, lockedFormErr(err, partner, fresh)
}

// decideTalkTimeSQL moves talk time $3, seen by partner $2, from status
// $4 to $5: agreed or declined by the other partner, withdrawn by its
// proposer, ended by either.
const decideTalkTimeSQL = `UPDATE talk_times t SET status = $5, answered_by = $2, answered_at = now()
WHERE t.couple_id = $1 AND t.id = $3 AND t.status = $4 AND ` + guardPartner + `
  AND t.proposed_by IN ` + currentPartners + ` AND t.created_at >= ` + bothJoined + `
  AND CASE $5 WHEN 'withdrawn' THEN t.proposed_by = $2 WHEN 'ended' THEN true ELSE t.proposed_by <> $2 END`

// DecideTalkTime moves partner a's couple's talk time id from status from
// to status to (see decideTalkTimeSQL). mend.ErrNoTalkTime when no such
// talk time is there for a to move.
func (db *DB) DecideTalkTime(ctx context.Context, a mend.PartnerAccess, id int64, from, to string) error {
	tag, err := db.Pool.Exec(ctx, decideTalkTimeSQL, a.CoupleID(), a.UserID(), id, from, to)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoTalkTime
	}
	return mapErr(err)
}

// reopenTopicsSQL points the topics of couple $1 still waiting for a talk
// time that has not started by $4 at the next one, $3 (NULL: none).
const reopenTopicsSQL = `UPDATE parked_topics t SET opens_at = $3
WHERE t.couple_id = $1 AND ` + guardPartner + ` AND t.talked_at IS NULL AND (t.opens_at IS NULL OR t.opens_at > $4)`

// ReopenTopics points the couple's waiting topics at next, the start of
// the next talk time (nil: none), after the talk times changed at now.
func (db *DB) ReopenTopics(ctx context.Context, a mend.PartnerAccess, next *time.Time, now time.Time) error {
	_, err := db.Pool.Exec(ctx, reopenTopicsSQL, a.CoupleID(), a.UserID(), next, now)
	return mapErr(err)
}

// parkTopicSQL parks a topic under the writer's lock, with its form's key.
const parkTopicSQL = lockedForm + `,
t AS (INSERT INTO parked_topics (couple_id, user_id, title, note, opens_at, shared_at)
  SELECT $1, $2, $4, $5, $6, CASE WHEN $7::boolean THEN now() END WHERE ` + formFresh + `)
SELECT ` + lockedFormResult

// ParkTopic parks partner a's topic t for the talk time that starts at
// t.OpensAt (nil: none agreed yet), shared now when share, in one round
// trip. mend.ErrFormUsed, recording nothing, when formKey was used already.
func (db *DB) ParkTopic(ctx context.Context, a mend.PartnerAccess, t mend.ParkedTopic, share bool, formKey []byte) error {
	var partner, fresh bool
	err := db.Pool.QueryRow(ctx, parkTopicSQL, a.CoupleID(), a.UserID(), keyArg(formKey), t.Title, t.Note, t.OpensAt, share).
		Scan(&partner, &fresh)
	return lockedFormErr(err, partner, fresh)
}

// talkedSQL marks topic $4, one partner $2 sees at $3, talked through.
const talkedSQL = `UPDATE parked_topics p SET talked_at = now(), talked_by = $2
WHERE p.couple_id = $1 AND p.id = $4 AND p.talked_at IS NULL AND p.id IN (SELECT t.id ` + topicScope + `)`

// MarkTalked marks topic id, which a sees at now, talked through.
// mend.ErrNoTopic when a does not see it, or it was marked already.
func (db *DB) MarkTalked(ctx context.Context, a mend.PartnerAccess, id int64, now time.Time) error {
	tag, err := db.Pool.Exec(ctx, talkedSQL, a.CoupleID(), a.UserID(), now, id)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoTopic
	}
	return mapErr(err)
}

// shareTopicSQL shares partner $2's own topic $3 now.
const shareTopicSQL = `UPDATE parked_topics t SET shared_at = now()
WHERE t.couple_id = $1 AND t.id = $3 AND t.user_id = $2 AND t.shared_at IS NULL AND ` + guardPartner

// ShareTopic shares partner a's own topic id with the other partner now.
// mend.ErrNoTopic when it is not a's, or shared already.
func (db *DB) ShareTopic(ctx context.Context, a mend.PartnerAccess, id int64) error {
	tag, err := db.Pool.Exec(ctx, shareTopicSQL, a.CoupleID(), a.UserID(), id)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoTopic
	}
	return mapErr(err)
}

// askSQL records a question under the asker's lock, with its form's key.
const askSQL = lockedForm + `,
q AS (INSERT INTO questions (couple_id, user_id, body, about, share_answer) SELECT $1, $2, $4, $5, $6 WHERE ` + formFresh + `)
SELECT ` + lockedFormResult

// Ask records partner a's question q in one round trip. mend.ErrFormUsed,
// recording nothing, when formKey was used already.
func (db *DB) Ask(ctx context.Context, a mend.PartnerAccess, q mend.Question, formKey []byte) error {
	var partner, fresh bool
	err := db.Pool.QueryRow(ctx, askSQL, a.CoupleID(), a.UserID(), keyArg(formKey), q.Body, q.About, q.ShareAnswer).Scan(&partner, &fresh)
	return lockedFormErr(err, partner, fresh)
}

// answerQuestionSQL answers question $4, the other partner's and seen by
// $2, with words $5 or to talk about ($6), under $2's lock and with the
// form's key $3 (recorded only when the question is there). Words may
// follow a "talk about it"; marking it to talk about parks it once, shared
// at once, for the talk time that starts at $7.
const answerQuestionSQL = `WITH m AS MATERIALIZED (` + lockMembershipSQL + `),
t AS MATERIALIZED (SELECT q.id ` + questionScope + ` AND q.id = $4 AND q.user_id <> $2),
f AS (INSERT INTO form_submissions (key_hash, user_id) SELECT $3::bytea, $2
  WHERE $3::bytea IS NOT NULL AND EXISTS (SELECT 1 FROM m) AND EXISTS (SELECT 1 FROM t)
  ON CONFLICT (key_hash) DO NOTHING RETURNING 1),
x AS (INSERT INTO question_answers AS r (couple_id, question_id, user_id, body, talk)
  SELECT $1, t.id, $2, $5, $6 FROM t WHERE ` + formFresh + `
  ON CONFLICT (couple_id, question_id) DO UPDATE SET body = CASE WHEN EXCLUDED.body <> '' THEN EXCLUDED.body ELSE r.body END,
    talk = r.talk OR EXCLUDED.talk, created_at = now()
  WHERE r.user_id = $2),
p AS (INSERT INTO parked_topics (couple_id, user_id, question_id, opens_at, shared_at)
  SELECT $1, $2, t.id, $7, now() FROM t WHERE $6::boolean AND ` + formFresh + `
  AND NOT EXISTS (SELECT 1 FROM parked_topics o WHERE o.couple_id = $1 AND o.question_id = t.id AND o.talked_at IS NULL))
SELECT ` + lockedFormResult + `, EXISTS (SELECT 1 FROM t)`

// AnswerQuestion answers the other partner's question id for partner a:
// with body, or to talk about (talk) at the talk time starting at opensAt
// (nil: none agreed yet). mend.ErrNoQuestion when it is a's own or one a
// does not see; mend.ErrFormUsed, changing nothing, when formKey was used.
func (db *DB) AnswerQuestion(ctx context.Context, a mend.PartnerAccess, id int64, body string, talk bool, opensAt *time.Time, formKey []byte) error {
	var partner, fresh, found bool
	err := db.Pool.QueryRow(ctx, answerQuestionSQL, a.CoupleID(), a.UserID(), keyArg(formKey), id, body, talk, opensAt).
		Scan(&partner, &fresh, &found)
	if err == nil && partner && !found {
		return mend.ErrNoQuestion
	}
	return lockedFormErr(err, partner, fresh)
}

// deleteTopicSQL deletes partner $2's own topic $3.
const deleteTopicSQL = `DELETE FROM parked_topics t WHERE t.couple_id = $1 AND t.user_id = $2 AND t.id = $3 AND ` + guardPartner

// DeleteTopic deletes partner a's own topic id. mend.ErrNoTopic for any
// other.
func (db *DB) DeleteTopic(ctx context.Context, a mend.PartnerAccess, id int64) error {
	tag, err := db.Pool.Exec(ctx, deleteTopicSQL, a.CoupleID(), a.UserID(), id)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoTopic
	}
	return mapErr(err)
}

// deleteQuestionSQL deletes partner $2's own question $3, with its answer
// and the topic made of it.
const deleteQuestionSQL = `DELETE FROM questions q WHERE q.couple_id = $1 AND q.user_id = $2 AND q.id = $3 AND ` + guardPartner

// DeleteQuestion deletes partner a's own question id, with its answer.
// mend.ErrNoQuestion for any other.
func (db *DB) DeleteQuestion(ctx context.Context, a mend.PartnerAccess, id int64) error {
	tag, err := db.Pool.Exec(ctx, deleteQuestionSQL, a.CoupleID(), a.UserID(), id)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoQuestion
	}
	return mapErr(err)
}
