package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/seed"
)

// Every couple query uses an index: on a database seeded with a year of
// couples and analysed, the planner reads no large table from end to end
// for any statement of a page or a write. The statements are the real ones:
// each page's and write's store method runs once with a seeded couple's
// ids, and a tracer records what it sent (batches included); each recorded
// statement is then explained with the same arguments.
func TestExplain_EveryCoupleQueryUsesAnIndex(t *testing.T) {
	t.Parallel()
	start := time.Now()
	rec := &recorder{}
	db := pgtest.NewDBWith(t, postgres.Options{Tracer: rec})
	ctx := context.Background()
	today := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	opts := seed.Options{Couples: 150, Therapists: 5, PerTherapist: 30, Seed: 11, Today: today, Prefix: "x"}
	if _, err := seed.Run(ctx, db.Pool, opts); err != nil {
		t.Fatal(err)
	}
	// What the seed leaves out but a year of use leaves behind: sessions
	// (most of them anonymous or expired) and therapists' page views.
	mustExec(t, db, `INSERT INTO sessions (token, data, expiry, user_id)
		SELECT 'x-' || u.id || '-' || g, '\x00', now() + (g - 10) * interval '1 day', CASE WHEN g % 4 = 0 THEN u.id END
		FROM users u, generate_series(1, 20) g`)
	mustExec(t, db, `INSERT INTO therapist_views (couple_id, therapist_id, kind, viewed_at)
		SELECT l.couple_id, l.therapist_id, k, l.agreed_at + g * interval '5 days'
		FROM therapist_links l, generate_series(1, 60) g, unnest('{overview,checkins,commitments,triggers}'::text[]) k
		WHERE l.agreed_at IS NOT NULL`)
	// A week of account emails sent (older ones are forgotten).
	mustExec(t, db, `INSERT INTO outbox (user_id, to_address, subject, body, created_at, next_attempt_at, attempts, sent_at)
		SELECT u.id, u.email, 'Reset your Mend password', '', $1::timestamptz - g * interval '1 hour', $1::timestamptz - g * interval '1 hour', 1, $1::timestamptz - g * interval '1 hour'
		FROM users u, generate_series(1, 6) g`, today)
	// And the password resets asked for in the last hour (older ones are
	// forgotten).
	mustExec(t, db, `INSERT INTO password_resets (user_id, token_hash, created_at, expires_at, used_at)
		SELECT u.id, sha256(('x' || u.id || '-' || g)::bytea), $1::timestamptz - g * interval '10 minutes', $1::timestamptz - g * interval '10 minutes' + interval '30 minutes', CASE WHEN g % 2 = 0 THEN $1::timestamptz - g * interval '10 minutes' END
		FROM users u, generate_series(1, 6) g`, today)
	// And the sign-ups of the last day, most of them confirmed.
	mustExec(t, db, `INSERT INTO signup_confirmations (user_id, token_hash, created_at, expires_at, used_at)
		SELECT u.id, sha256(('s' || u.id || '-' || g)::bytea), $1::timestamptz - g * interval '3 hours', $1::timestamptz - g * interval '3 hours' + interval '1 day', CASE WHEN g % 2 = 0 THEN $1::timestamptz - g * interval '2 hours' END
		FROM users u, generate_series(1, 6) g`, today)
	mustExec(t, db, `INSERT INTO reset_requests (account_key, client_key, requested_at)
		SELECT sha256(('x' || u.id)::bytea), '192.0.2.' || (u.id % 200), $1::timestamptz - g * interval '10 minutes'
		FROM users u, generate_series(1, 6) g`, today)
	mustExec(t, db, `ANALYZE`)
	seeded := time.Since(start)

	// The actors: both partners of the first couple that has a therapist,
	// and that therapist.
	var coupleID, aID, bID, therapistID, linkID int64
	if err := db.Pool.QueryRow(ctx, `
		SELECT l.couple_id, l.therapist_id, l.id,
		  (SELECT m.user_id FROM couple_members m WHERE m.couple_id = l.couple_id AND m.left_at IS NULL
		   ORDER BY (SELECT count(*) FROM triggers t WHERE t.couple_id = m.couple_id AND t.user_id = m.user_id) DESC, m.user_id LIMIT 1),
		  (SELECT m.user_id FROM couple_members m WHERE m.couple_id = l.couple_id AND m.left_at IS NULL
		   ORDER BY (SELECT count(*) FROM triggers t WHERE t.couple_id = m.couple_id AND t.user_id = m.user_id), m.user_id DESC LIMIT 1)
		FROM therapist_links l WHERE l.agreed_at IS NOT NULL AND l.ended_at IS NULL
		ORDER BY l.couple_id LIMIT 1`).Scan(&coupleID, &therapistID, &linkID, &aID, &bID); err != nil {
		t.Fatal(err)
	}
	if aID == bID {
		t.Fatal("the first linked couple has one partner")
	}
	large := largeTables(t, db)
	for _, table := range []string{"checkins", "checkin_acks", "commitment_logs", "commitment_responses", "triggers", "trigger_responses", "therapist_views", "sessions", "outbox", "password_resets", "reset_requests", "signup_confirmations"} {
		if !large[table] {
			t.Errorf("%s is not large in the seeded data: the test would not see a scan of it", table)
		}
	}

	// Every page's reads and every write, with a seeded couple's data. Add
	// new page queries and writes here.
	var errStop = errors.New("stop before writing")
	mustExec(t, db, `INSERT INTO sessions (token, data, expiry, user_id) VALUES ('explain', '\x00', now() + interval '1 day', $1)`, aID)
	yesterday := today.AddDate(0, 0, -1)
	from, logsFrom := today.AddDate(0, 0, -90), today.AddDate(0, 0, -28)
	var a, b mend.PartnerAccess
	var ta mend.TherapistAccess
	var aCommitment, bCommitment, aLog, aTrigger, hardDate, flagID, aDisclosure, bDisclosure int64
	var bStatementVersion int64
	var set *mend.CommitmentSet
	var aTriggers []mend.Trigger
	steps := []struct {
		name string
		run  func(ctx context.Context) error
	}{
		{"session", func(ctx context.Context) error {
			_, _, err := db.NewSessionStore(0, nil).FindCtx(ctx, "explain")
			return err
		}},
		{"sessions page", func(ctx context.Context) error {
			var current int64
			if err := db.Pool.QueryRow(ctx, `SELECT id FROM sessions WHERE token = 'explain'`).Scan(&current); err != nil {
				return err
			}
			if list, err := db.LoginSessions(ctx, aID, current, today.AddDate(0, 0, -30), time.Now().Add(-30*time.Minute)); err != nil || len(list) == 0 {
				return fmt.Errorf("sessions: %v, %d", err, len(list))
			}
			if err := db.EndLoginSession(ctx, aID, current); err != nil {
				return err
			}
			_, err := db.EndOtherLoginSessions(ctx, aID, current)
			return err
		}},
		{"partner access", func(ctx context.Context) (err error) {
			if a, err = db.PartnerAccess(ctx, aID); err != nil {
				return err
			}
			b, err = db.PartnerAccess(ctx, bID)
			return err
		}},
		{"space", func(ctx context.Context) error { _, err := db.SpaceOf(ctx, aID); return err }},
		{"today", func(ctx context.Context) error {
			_, err := db.TodayOf(ctx, a, mend.TodayQuery{Today: today, TrendFrom: today.AddDate(0, 0, -30), LogsFrom: logsFrom, ChecksFrom: today.AddDate(0, 0, -14), PartnerTriggers: 3})
			return err
		}},
		{"safety", func(ctx context.Context) error {
			if _, err := db.SafetyResult(ctx, a); err != nil {
				return err
			}
			_, err := db.LastSafetyCheck(ctx, aID)
			if mend.ErrorCode(err) == mend.NotFound {
				err = nil
			}
			return err
		}},
		{"check-in day", func(ctx context.Context) error { _, err := db.CheckinDay(ctx, a, today, yesterday); return err }},
		{"check-in history", func(ctx context.Context) error {
			for _, who := range []mend.Who{mend.WhoBoth, mend.WhoMe, mend.WhoPartner} {
				if _, _, err := db.CheckinHistory(ctx, a, today, today.AddDate(0, 0, -30), who, 14, today.AddDate(0, 0, -60), today.AddDate(0, 0, -30)); err != nil {
					return err
				}
			}
			return nil
		}},
		{"check-in points", func(ctx context.Context) error {
			if _, err := db.CheckinPoints(ctx, a, today, from, today); err != nil {
				return err
			}
			_, err := db.CheckinPoints(ctx, a, today, today.AddDate(0, 0, -364), today)
			return err
		}},
		{"commitments", func(ctx context.Context) (err error) {
			if set, err = db.Commitments(ctx, a, 0, logsFrom); err != nil {
				return err
			}
			for _, c := range set.Commitments {
				switch {
				case c.OwnerID == aID && aCommitment == 0 && len(set.Logs[c.ID]) > 0:
					aCommitment, aLog = c.ID, set.Logs[c.ID][0].ID
				case c.OwnerID == bID && bCommitment == 0:
					bCommitment = c.ID
				}
			}
			if aCommitment == 0 || bCommitment == 0 {
				return fmt.Errorf("no commitment with logs of each partner among %d", len(set.Commitments))
			}
			_, err = db.Commitments(ctx, a, aCommitment, logsFrom)
			return err
		}},
		{"triggers", func(ctx context.Context) (err error) {
			if aTriggers, err = db.Triggers(ctx, a, mend.WhoMe, 0, time.Time{}, 0, 20); err != nil {
				return err
			}
			if len(aTriggers) == 0 {
				return errors.New("no triggers")
			}
			aTrigger = aTriggers[0].ID
			last := aTriggers[len(aTriggers)-1]
			if _, err = db.Triggers(ctx, a, mend.WhoBoth, 0, last.OccurredAt, last.ID, 20); err != nil {
				return err
			}
			if _, err = db.Triggers(ctx, b, mend.WhoPartner, 0, time.Time{}, 0, 20); err != nil {
				return err
			}
			_, err = db.Triggers(ctx, b, mend.WhoBoth, aTrigger, time.Time{}, 0, 1)
			return err
		}},
		{"patterns", func(ctx context.Context) error {
			_, err := db.Patterns(ctx, a, mend.WhoBoth, from, today, today)
			return err
		}},
		{"hard dates", func(ctx context.Context) error { _, err := db.HardDates(ctx, a); return err }},
		{"sharing", func(ctx context.Context) error {
			if _, err := db.Sharing(ctx, a, today); err != nil {
				return err
			}
			_, err := db.ActiveLink(ctx, a)
			return err
		}},
		{"export", func(ctx context.Context) error {
			var rows exportCounter
			if err := db.ExportPartner(ctx, a, today, &rows); err != nil {
				return err
			}
			if rows.rows == 0 {
				return errors.New("an export of a seeded partner with no rows")
			}
			if err := db.ExportSafety(ctx, a.UserID(), &rows); err != nil {
				return err
			}
			return db.ExportTherapist(ctx, therapistID, &rows)
		}},
		{"therapist view", func(ctx context.Context) (err error) {
			if ta, err = db.OpenTherapistView(ctx, therapistID, coupleID, "overview"); err != nil {
				return err
			}
			_, err = db.TherapistAccess(ctx, therapistID, coupleID)
			return err
		}},
		{"therapist pages", func(ctx context.Context) error {
			if _, err := db.TherapistOverview(ctx, ta); err != nil {
				return err
			}
			// With days before the trend's, read in the same batch.
			if _, _, _, err := db.TherapistCheckinsPage(ctx, ta, from, today, from.AddDate(0, 0, -120), from.AddDate(0, 0, -100)); err != nil {
				return err
			}
			if _, _, _, err := db.TherapistCommitmentsPage(ctx, ta, logsFrom, logsFrom.AddDate(0, 0, -120), logsFrom.AddDate(0, 0, -100)); err != nil {
				return err
			}
			if _, _, _, err := db.TherapistTriggersPage(ctx, ta, 20, from, today, today, time.Time{}, time.Time{}); err != nil {
				return err
			}
			_, _, _, err := db.TherapistTriggersPage(ctx, ta, 20, from, today, today, today.AddDate(0, 0, -120), today.AddDate(0, 0, -100))
			return err
		}},
		{"write disclosures", func(ctx context.Context) (err error) {
			for i, w := range []mend.PartnerAccess{a, b, a} {
				d := mend.Disclosure{How: mend.Told, Topic: "slip", HappenedOn: yesterday, Body: "Something to tell", Visibility: mend.PartnerAndTherapist}
				if aDisclosure, err = db.WriteDisclosure(ctx, w, d, i < 2, nil); err != nil {
					return err
				}
				if i == 1 {
					bDisclosure = aDisclosure
				}
			}
			d := mend.Disclosure{How: mend.Discovered, Topic: "contact", HappenedOn: yesterday, Body: "Found out", Visibility: mend.MyPartner}
			if err := db.EditDraft(ctx, a, aDisclosure, d, false); err != nil {
				return err
			}
			if err := db.SendDraft(ctx, a, aDisclosure); err != nil {
				return err
			}
			return db.AnswerDisclosure(ctx, a, bDisclosure, "Thank you for telling me.", nil)
		}},
		{"disclosure pages", func(ctx context.Context) error {
			if _, _, err := db.DisclosuresOf(ctx, a, 0); err != nil {
				return err
			}
			if _, _, err := db.DisclosuresOf(ctx, b, aDisclosure); err != nil {
				return err
			}
			if _, _, err := db.TherapistDisclosuresPage(ctx, ta, from, today); err != nil {
				return err
			}
			if _, err := db.DisclosureMarks(ctx, a, from, today); err != nil {
				return err
			}
			_, err := db.DisclosureMarks(ctx, ta, from, today)
			return err
		}},
		{"delete answers to a disclosure", func(ctx context.Context) error {
			if err := db.DeleteDisclosureAnswers(ctx, a, bDisclosure); err != nil {
				return err
			}
			return db.AnswerDisclosure(ctx, a, bDisclosure, "Thank you for telling me.", nil)
		}},
		{"talk times, topics and questions", func(ctx context.Context) error {
			now := today.Add(12 * time.Hour)
			if _, err := db.ProposeTalkTime(ctx, a, mend.TalkTime{Weekday: time.Sunday, Start: 19 * 60, Minutes: 45, Zone: "UTC"}, nil); err != nil {
				return err
			}
			ts, err := db.TalkTimes(ctx, b)
			if err != nil || len(ts) == 0 {
				return fmt.Errorf("talk times: %v %d", err, len(ts))
			}
			if err := db.DecideTalkTime(ctx, b, ts[0].ID, mend.TalkProposed, mend.TalkAgreed); err != nil {
				return err
			}
			opens := now.Add(24 * time.Hour)
			if err := db.ReopenTopics(ctx, a, &opens, now); err != nil {
				return err
			}
			if err := db.ParkTopic(ctx, a, mend.ParkedTopic{Title: "Evenings", OpensAt: &opens}, false, nil); err != nil {
				return err
			}
			if err := db.Ask(ctx, a, mend.Question{Body: "Why then?", About: "meaning", ShareAnswer: true}, nil); err != nil {
				return err
			}
			_, _, topics, err := db.TalkOf(ctx, a, now)
			if err != nil || len(topics) == 0 {
				return fmt.Errorf("topics: %v %d", err, len(topics))
			}
			_, _, qs, err := db.QuestionsOf(ctx, b)
			if err != nil || len(qs) == 0 {
				return fmt.Errorf("questions: %v %d", err, len(qs))
			}
			if err := db.AnswerQuestion(ctx, b, qs[0].ID, "", true, &opens, nil); err != nil {
				return err
			}
			if _, _, err := db.TherapistQuestionsPage(ctx, ta); err != nil {
				return err
			}
			if err := db.ShareQuestion(ctx, a, qs[0].ID, false); err != nil {
				return err
			}
			if err := db.ShareTopic(ctx, a, topics[0].ID); err != nil {
				return err
			}
			if err := db.MarkTalked(ctx, b, topics[0].ID, now); err != nil {
				return err
			}
			if err := db.DeleteTopic(ctx, a, topics[0].ID); err != nil {
				return err
			}
			if err := db.DeleteQuestion(ctx, a, qs[0].ID); err != nil {
				return err
			}
			return db.DecideTalkTime(ctx, a, ts[0].ID, mend.TalkAgreed, mend.TalkEnded)
		}},
		{"delete a disclosure", func(ctx context.Context) error {
			// Ben is not its writer: the plan is read, nothing is deleted.
			err := db.DeleteDisclosure(ctx, b, aDisclosure)
			if errors.Is(err, mend.ErrNotFound) {
				err = nil
			}
			return err
		}},
		{"write statements", func(ctx context.Context) error {
			v := mend.StatementVersion{Did: "What I did", Impact: "The impact", Regret: "What I regret", Changing: "What I change"}
			for _, send := range []bool{false, true, false, true} {
				id, err := db.SaveStatement(ctx, b, v, send, nil)
				if err != nil {
					return err
				}
				bStatementVersion = id
			}
			answers := []mend.StatementAnswer{{Part: mend.PartDid, Lands: true}, {Part: mend.PartRegret, Note: "More, please"}}
			if err := db.AnswerStatement(ctx, a, bStatementVersion, answers, nil); err != nil {
				return err
			}
			return db.ShareStatement(ctx, b, true)
		}},
		{"delete answers to a statement", func(ctx context.Context) error {
			if err := db.DeleteStatementAnswers(ctx, a, bStatementVersion); err != nil {
				return err
			}
			answers := []mend.StatementAnswer{{Part: mend.PartDid, Lands: true}, {Part: mend.PartRegret, Note: "More, please"}}
			return db.AnswerStatement(ctx, a, bStatementVersion, answers, nil)
		}},
		{"therapist's statement page", func(ctx context.Context) error {
			_, _, err := db.TherapistStatementPage(ctx, ta)
			return err
		}},
		{"statement page", func(ctx context.Context) error {
			if _, _, _, err := db.StatementsOf(ctx, a); err != nil {
				return err
			}
			_, _, _, err := db.StatementsOf(ctx, b)
			return err
		}},
		{"delete a statement", func(ctx context.Context) error {
			// Ana has none: the plan is read, nothing is deleted.
			err := db.DeleteStatement(ctx, a)
			if errors.Is(err, mend.ErrNotFound) {
				err = nil
			}
			return err
		}},
		{"comfort plans", func(ctx context.Context) error {
			if _, err := db.WriteComfortPlan(ctx, a, "Sit with me, no explanations yet", false, nil); err != nil {
				return err
			}
			pg, err := db.ComfortPage(ctx, a)
			if err != nil {
				return err
			}
			if err := db.ShareComfortPlan(ctx, a, pg.Mine.Current().ID); err != nil {
				return err
			}
			if err := db.AgreeComfortPlan(ctx, b, pg.Mine.Current().ID); err != nil {
				return err
			}
			if _, _, err := db.TriggerFeed(ctx, b, mend.WhoBoth, time.Time{}, 0, 21); err != nil {
				return err
			}
			if _, err := db.TriggerMinute(ctx, a, aTrigger); err != nil {
				return err
			}
			return db.DeleteComfortPlan(ctx, a)
		}},
		{"prompts", func(ctx context.Context) error {
			if _, err := db.AddPrompt(ctx, b, mend.Prompt{Category: "fun", Mode: mend.Talk, Text: "Where shall we walk?"}, nil); err != nil {
				return err
			}
			key, err := db.ShowPrompt(ctx, a, today, 0, "rc01")
			if err != nil {
				return err
			}
			if _, err := db.ShowPrompt(ctx, b, today, 0, "rc02"); err != nil {
				return err
			}
			for _, w := range []mend.PartnerAccess{a, b} {
				ans := mend.PromptAnswer{Day: today, Key: key, Mode: mend.Talk, Body: "An answer", Visibility: mend.MyPartner}
				if err := db.AnswerPrompt(ctx, w, ans, nil); err != nil {
					return err
				}
			}
			if _, _, err = db.PromptsOf(ctx, a, today.AddDate(0, 0, -63), today.AddDate(0, 0, -15), today.AddDate(0, 0, 1)); err != nil {
				return err
			}
			id, err := db.AddPrompt(ctx, a, mend.Prompt{Category: "fun", Mode: mend.Write, Text: "What made you laugh?"}, nil)
			if err != nil {
				return err
			}
			return db.DeleteOwnPrompt(ctx, a, id)
		}},
		{"time together", func(ctx context.Context) error {
			id, err := db.LogTogether(ctx, a, yesterday, "A walk", "Easy", nil, nil)
			if err != nil {
				return err
			}
			r := 7
			if err := db.NoteTogether(ctx, b, id, "Good", &r); err != nil {
				return err
			}
			if _, _, err := db.TogetherOf(ctx, b, 0); err != nil {
				return err
			}
			if _, _, err := db.TogetherOf(ctx, a, id); err != nil {
				return err
			}
			if err := db.DeleteTogether(ctx, b, id); !errors.Is(err, mend.ErrNoTogether) {
				return fmt.Errorf("deleting another's: %v", err)
			}
			return db.DeleteTogether(ctx, a, id)
		}},
		{"journal", func(ctx context.Context) error {
			if _, err := db.WriteJournal(ctx, a, "A quiet evening", mend.JustMe, nil); err != nil {
				return err
			}
			id, err := db.WriteJournal(ctx, b, "Shared", mend.MyPartner, nil)
			if err != nil {
				return err
			}
			if _, _, err := db.JournalOf(ctx, a, 21, 0, "", 0); err != nil {
				return err
			}
			if _, _, err := db.JournalOf(ctx, b, 1, 0, mend.JournalEntry, id); err != nil {
				return err
			}
			if _, err := db.WriteJournal(ctx, b, "For Tess", mend.PartnerAndTherapist, nil); err != nil {
				return err
			}
			if _, _, err := db.TherapistJournalPage(ctx, ta, 21, 0); err != nil {
				return err
			}
			if err := db.DeleteJournalItem(ctx, a, mend.JournalEntry, id); !errors.Is(err, mend.ErrNoJournalItem) {
				return fmt.Errorf("deleting another's: %v", err)
			}
			return db.DeleteJournalItem(ctx, b, mend.JournalEntry, id)
		}},
		{"caseload", func(ctx context.Context) error {
			_, err := db.OpenCaseload(ctx, therapistID, mend.ProgressQuery{From: today.AddDate(0, 0, -55), Today: today})
			return err
		}},
		{"progress", func(ctx context.Context) error {
			q := mend.ProgressQuery{From: today.AddDate(0, 0, -727), Today: today}
			if _, err := db.ProgressOf(ctx, a, q); err != nil {
				return err
			}
			if _, err := db.TherapistProgress(ctx, ta, q); err != nil {
				return err
			}
			q.From = today.AddDate(0, 0, -167)
			if _, err := db.SummaryOf(ctx, a, q); err != nil {
				return err
			}
			_, err := db.TherapistSummary(ctx, ta, q)
			return err
		}},
		{"setback", func(ctx context.Context) error {
			if err := db.AddSetback(ctx, a, mend.Setback{Day: yesterday, Note: "A hard evening", Visibility: "partner"}, nil); err != nil {
				return err
			}
			var id int64
			if err := db.Pool.QueryRow(ctx, `SELECT max(id) FROM setbacks WHERE couple_id = $1`, coupleID).Scan(&id); err != nil {
				return err
			}
			return db.RemoveSetback(ctx, a, id)
		}},
		{"save check-in", func(ctx context.Context) error {
			_, err := db.SaveCheckin(ctx, a, mend.Checkin{Day: yesterday, Mood: 3, Connection: 3, Visibility: "partner"}, nil,
				func(*mend.Checkin) error { return errStop })
			if errors.Is(err, errStop) {
				err = nil
			}
			return err
		}},
		{"answer a check-in", func(ctx context.Context) error {
			err := db.SaveAck(ctx, b, today, yesterday, "Thank you for telling me.")
			if errors.Is(err, mend.ErrNoCheckinToAnswer) {
				err = nil
			}
			return err
		}},
		{"delete an answer to a check-in", func(ctx context.Context) error {
			err := db.DeleteAck(ctx, b, yesterday)
			if errors.Is(err, mend.ErrNoAckToDelete) {
				err = nil
			}
			return err
		}},
		{"delete a check-in", func(ctx context.Context) error {
			err := db.DeleteCheckin(ctx, a, yesterday.AddDate(0, 0, -900))
			if errors.Is(err, mend.ErrNoCheckinToDelete) {
				err = nil
			}
			return err
		}},
		{"log a commitment", func(ctx context.Context) error {
			err := db.LogOccurrence(ctx, a, aCommitment, logsFrom, nil, func(*mend.CommitmentSet) (*mend.OccurrenceLog, error) { return nil, errStop })
			if errors.Is(err, errStop) {
				err = nil
			}
			return err
		}},
		{"edit a log", func(ctx context.Context) error {
			_, err := db.EditLog(ctx, a, aCommitment, aLog, "kept", "edited", logsFrom)
			if errors.Is(err, mend.ErrLogAnswered) || errors.Is(err, mend.ErrLogOld) {
				err = nil
			}
			return err
		}},
		{"answer a log", func(ctx context.Context) error { return db.Respond(ctx, b, aCommitment, aLog, true, "") }},
		{"propose a commitment", func(ctx context.Context) error {
			v := *set.Commitments[0].Current
			_, err := db.ProposeCommitment(ctx, a, 0, v, yesterday, nil)
			return err
		}},
		{"decide about a commitment", func(ctx context.Context) error {
			err := db.DecideCommitmentOnce(ctx, a, bCommitment, nil, func(*mend.Commitment, map[int]*mend.CommitmentVersion) (*mend.CommitmentChange, error) {
				return nil, errStop
			})
			if errors.Is(err, errStop) {
				err = nil
			}
			return err
		}},
		{"log a trigger", func(ctx context.Context) error {
			tr := aTriggers[0]
			tr.OccurredAt = yesterday.Add(20 * time.Hour)
			_, err := db.LogTrigger(ctx, a, tr, nil)
			return err
		}},
		{"edit a trigger", func(ctx context.Context) error {
			_, err := db.EditTrigger(ctx, a, aTrigger, func(*mend.Trigger) (mend.Trigger, error) { return mend.Trigger{}, errStop })
			if errors.Is(err, errStop) {
				err = nil
			}
			return err
		}},
		{"respond to a trigger", func(ctx context.Context) error { return db.RespondToTrigger(ctx, b, aTrigger, "here", "", "") }},
		{"delete a response to a trigger", func(ctx context.Context) error {
			if err := db.DeleteTriggerResponse(ctx, b, aTrigger); err != nil {
				return err
			}
			return db.RespondToTrigger(ctx, b, aTrigger, "here", "", "")
		}},
		{"delete a trigger", func(ctx context.Context) error {
			// Ben is not its writer: the plan is read, nothing is deleted.
			err := db.DeleteTrigger(ctx, b, aTrigger)
			if errors.Is(err, mend.ErrNotFound) {
				err = nil
			}
			return err
		}},
		{"hard date", func(ctx context.Context) error {
			if err := db.AddHardDate(ctx, a, mend.HardDate{Label: "The day it came out", Date: today.AddDate(0, -3, 0)}, nil); err != nil {
				return err
			}
			if err := db.Pool.QueryRow(ctx, `SELECT max(id) FROM hard_dates WHERE couple_id = $1`, coupleID).Scan(&hardDate); err != nil {
				return err
			}
			return db.RemoveHardDate(ctx, a, hardDate)
		}},
		{"sharing choices", func(ctx context.Context) error {
			_, err := db.SetConsent(ctx, a, []string{"checkins", "commitments", "triggers"}, map[string]bool{"checkins": true, "triggers": true})
			return err
		}},
		{"flag", func(ctx context.Context) error {
			if err := db.SendFlag(ctx, a, linkID, today); err != nil {
				return err
			}
			f, err := db.OpenFlag(ctx, a, linkID)
			if err != nil {
				return err
			}
			flagID = f.ID
			return db.FlagDone(ctx, ta, flagID, today)
		}},
		{"therapy sessions and notes", func(ctx context.Context) error {
			if err := db.AddTherapySession(ctx, ta, today, nil); err != nil {
				return err
			}
			p, err := db.TherapySessionsPage(ctx, ta, today, 0)
			if err != nil || len(p.Sessions) == 0 {
				return fmt.Errorf("sessions page: %v, %d sessions", err, len(p.Sessions))
			}
			if _, err := db.SessionDates(ctx, ta, today); err != nil {
				return err
			}
			if _, err := db.NextSessions(ctx, therapistID, today); err != nil {
				return err
			}
			if err := db.AddNote(ctx, ta, p.Sessions[0].ID, "A note", nil); err != nil {
				return err
			}
			if p, err = db.TherapySessionsPage(ctx, ta, today, 0); err != nil || len(p.Notes) == 0 {
				return fmt.Errorf("notes: %v", err)
			}
			if _, err := db.EditNote(ctx, ta, p.Notes[0].ID, 0, "A changed note"); err != nil {
				return err
			}
			return db.RemoveTherapySession(ctx, ta, p.Sessions[0].ID)
		}},
		{"suggestions", func(ctx context.Context) error {
			if err := db.SendSuggestion(ctx, ta, mend.Suggestion{Kind: mend.SuggestTalk, Title: "Evenings"}, nil); err != nil {
				return err
			}
			p, err := db.TherapistSuggestionsPage(ctx, ta)
			if err != nil || len(p.Suggestions) == 0 {
				return fmt.Errorf("suggestions page: %v", err)
			}
			return db.DismissSuggestion(ctx, a, p.Suggestions[0].ID)
		}},
		{"outbox", func(ctx context.Context) error {
			for i := range 3 {
				if err := db.EnqueueEmail(ctx, mend.Email{UserID: aID, To: fmt.Sprintf("explain%d@example.org", i), Subject: "s", Body: "b"}, today); err != nil {
					return err
				}
			}
			es, err := db.ClaimEmails(ctx, today, time.Minute, 10)
			if err != nil || len(es) != 3 {
				return fmt.Errorf("claim: %d, %v", len(es), err)
			}
			if err := db.MarkEmailSent(ctx, es[0].ID, today); err != nil {
				return err
			}
			if err := db.RetryEmail(ctx, es[1].ID, today.Add(time.Minute), "451 try again"); err != nil {
				return err
			}
			if err := db.GiveUpEmail(ctx, es[2].ID, today, "451 try again"); err != nil {
				return err
			}
			_, err = db.DeleteEmailsBefore(ctx, today.AddDate(0, 0, -7))
			return err
		}},
		{"reminders", func(ctx context.Context) error {
			// A third of the people asked for reminders, and had a week of them.
			if _, err := db.Pool.Exec(ctx, `INSERT INTO reminder_settings (user_id, checkin, checkin_at, partner, partner_since, hard_dates)
				SELECT id, true, '20:00', id % 2 = 0, $1::timestamptz - interval '30 days', true FROM users WHERE id % 3 = 0 OR id = $2
				ON CONFLICT (user_id) DO NOTHING`, today, aID); err != nil {
				return err
			}
			if _, err := db.Pool.Exec(ctx, `INSERT INTO reminders_sent (user_id, kind, day, sent_at)
				SELECT s.user_id, k, $1::date - g, $1::timestamptz - g * interval '1 day'
				FROM reminder_settings s, generate_series(1, 7) g, unnest('{checkin,partner_answer,hard_date}'::text[]) k`, today); err != nil {
				return err
			}
			if err := db.SaveReminderSettings(ctx, aID, mend.ReminderSettings{Checkin: true, CheckinAt: "07:00", Partner: true, HardDates: true}, today); err != nil {
				return err
			}
			if _, err := db.ReminderSettings(ctx, aID); err != nil {
				return err
			}
			for _, kind := range []mend.ReminderKind{mend.RemindCheckin, mend.RemindPartnerCommitment, mend.RemindPartnerAnswer, mend.RemindPartnerTrigger, mend.RemindHardDate} {
				if _, err := db.QueueReminders(ctx, kind, today.Add(20*time.Hour), func(d mend.ReminderDue) mend.Email {
					return mend.Email{Subject: "s", Body: "b", UnsubscribeURL: "https://mend.example.org/unsubscribe/x"}
				}); err != nil {
					return err
				}
			}
			if err := db.TurnOffReminder(ctx, aID, mend.SettingPartner, today); err != nil {
				return err
			}
			_, err := db.DeleteRemindersSentBefore(ctx, today.AddDate(0, 0, -8))
			return err
		}},
		{"password reset", func(ctx context.Context) error {
			var email string
			if err := db.Pool.QueryRow(ctx, `SELECT email_key FROM users WHERE id = $1`, aID).Scan(&email); err != nil {
				return err
			}
			hash := []byte("explain-token-hash-of-32-bytes!!")
			throttled, sent, err := db.RequestPasswordReset(ctx, mend.ResetRequest{AccountKey: []byte("explain"), ClientKey: "192.0.2.1",
				EmailKey: email, At: today, Since: today.Add(-time.Hour), MaxAccount: 3, MaxClient: 20, TokenHash: hash,
				ExpiresAt: today.Add(30 * time.Minute), Subject: "s", Body: "b"})
			if err != nil || throttled || !sent {
				return fmt.Errorf("request: throttled %v, sent %v, %v", throttled, sent, err)
			}
			if _, err := db.PasswordResetUser(ctx, hash, today); err != nil {
				return err
			}
			if _, err := db.UsePasswordReset(ctx, hash, today, "x"); err != nil {
				return err
			}
			_, err = db.DeleteResetsBefore(ctx, today.Add(-time.Hour))
			return err
		}},
		{"sign-up", func(ctx context.Context) error {
			var email string
			if err := db.Pool.QueryRow(ctx, `SELECT email_key FROM users WHERE id = $1`, aID).Scan(&email); err != nil {
				return err
			}
			hash := []byte("explain-signup-hash-of-32-bytes!")
			created, err := db.SignUp(ctx, mend.NewSignUp{Email: "explain-new@example.org", EmailKey: "explain-new@example.org", Name: "N",
				PasswordHash: "x", TimeZone: "UTC", FormKey: []byte("explain-form-key"), At: today, ExpiresAt: today.Add(24 * time.Hour),
				TokenHash: hash, Subject: "s", Body: "b"})
			if err != nil || !created {
				return fmt.Errorf("sign up: %v, %v", created, err)
			}
			if again, err := db.SignUp(ctx, mend.NewSignUp{Email: email, EmailKey: email, Name: "N", PasswordHash: "x", TimeZone: "UTC",
				At: today, ExpiresAt: today.Add(24 * time.Hour), TokenHash: []byte("explain-other-hash"), Subject: "s", Body: "b"}); err != nil || again {
				return fmt.Errorf("sign up with a taken email: %v, %v", again, err)
			}
			if sent, err := db.SendSignUpNotice(ctx, mend.SignUpNotice{EmailKey: email, At: today, Since: today.Add(-time.Hour), Subject: "s", Body: "b"}); err != nil || !sent {
				return fmt.Errorf("notice: %v, %v", sent, err)
			}
			var newID int64
			if err := db.Pool.QueryRow(ctx, `SELECT id FROM users WHERE email_key = 'explain-new@example.org'`).Scan(&newID); err != nil {
				return err
			}
			if _, err := db.ResendConfirmation(ctx, mend.NewConfirmation{UserID: newID, At: today, Since: today.Add(-10 * time.Minute),
				TokenHash: []byte("explain-resent-hash"), ExpiresAt: today.Add(24 * time.Hour), Subject: "s", Body: "b"}); err != nil {
				return err
			}
			if ok, err := db.SignUpConfirmationValid(ctx, hash, today); err != nil || !ok {
				return fmt.Errorf("valid: %v, %v", ok, err)
			}
			if _, err := db.ConfirmSignUp(ctx, hash, today); err != nil {
				return err
			}
			_, err = db.DeleteUnconfirmedBefore(ctx, today.AddDate(0, 0, -7), today)
			return err
		}},
		{"session checks", func(ctx context.Context) error {
			day := today.AddDate(0, 0, -3)
			if err := db.AddTherapySession(ctx, ta, day, nil); err != nil {
				return err
			}
			from := today.AddDate(0, 0, -mend.SessionCheckDays)
			c := mend.SessionCheck{SessionDay: day, Went: 4, Heard: 4, Connected: 6, Hopeful: 7, Shared: true}
			if err := db.SaveSessionCheck(ctx, a, c, from, today, nil); err != nil {
				return err
			}
			r, err := db.SessionCheckReads(ctx, a, from, today, today.AddDate(-1, 0, 0))
			if err != nil || len(r.Open) == 0 || len(r.Mine) == 0 {
				return fmt.Errorf("check reads: %v, %+v", err, r)
			}
			p, err := db.TherapistSessionChecks(ctx, ta, today.AddDate(-1, 0, 0), today)
			if err != nil || len(p.Checks) == 0 {
				return fmt.Errorf("therapist's checks: %v", err)
			}
			_, err = db.SessionChecks(ctx, b, from, today)
			return err
		}},
		{"log-in from a trusted device", func(ctx context.Context) error {
			now := time.Now()
			att, throttled, err := db.BeginDeviceAttempt(ctx, mend.PasswordOf{EmailKey: "explain@example.org"}, []byte("account"), []byte("device"),
				"192.0.2.1", now, now.Add(-15*time.Minute), 10)
			if err != nil || throttled {
				return fmt.Errorf("device attempt: %v, throttled %v", err, throttled)
			}
			if err := db.EndAttempt(ctx, att, true); err != nil {
				return err
			}
			_, _, err = db.CountLoginFailures(ctx, []byte("account"), "192.0.2.1", now.Add(-15*time.Minute))
			return err
		}},
		{"sign-up throttle", func(ctx context.Context) error {
			now := time.Now()
			if _, _, err := db.BeginSignUp(ctx, "192.0.2.1", now, mend.SignUpLimits{FailuresSince: now.Add(-15 * time.Minute),
				MaxFailures: 100, SignUpsSince: now.Add(-time.Hour), MaxSignUps: 100}); err != nil {
				return err
			}
			_, err := db.DeleteSignUpsBefore(ctx, now.Add(-time.Hour))
			return err
		}},
		// Last, as it deletes a partner of another couple, with their words.
		{"delete an account", func(ctx context.Context) error {
			var id int64
			var email string
			if err := db.Pool.QueryRow(ctx, `SELECT u.id, u.email FROM users u JOIN couple_members m ON m.user_id = u.id
				WHERE m.couple_id <> $1 ORDER BY m.couple_id, u.id LIMIT 1`, coupleID).Scan(&id, &email); err != nil {
				return err
			}
			return db.DeleteAccount(ctx, id, []byte("account"), strings.ToLower(email))
		}},
	}
	for _, s := range steps {
		if err := s.run(context.WithValue(ctx, stepKey{}, s.name)); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
	}
	ran := time.Since(start)

	stmts := rec.taken()
	if len(stmts) < 60 {
		t.Errorf("only %d statements recorded", len(stmts))
	}
	for _, s := range stmts {
		// As planned on this data, a large table is never read whole.
		var scanned []string
		for _, table := range seqScans(t, db, s, false) {
			if large[table] {
				scanned = append(scanned, table)
			}
		}
		// With sequential scans priced out, none is left: an index can
		// serve every table the statement reads, however small it is here
		// (couple_members has 300 rows in this test and 4,000 at 2,000
		// couples, where a scan of it on every page was the slowest part).
		for _, table := range seqScans(t, db, s, true) {
			if !slices.Contains(scanned, table) {
				scanned = append(scanned, table+" (no index serves it)")
			}
		}
		if len(scanned) > 0 {
			var pretty strings.Builder
			rows, err := db.Pool.Query(ctx, `EXPLAIN `+s.sql, s.args...)
			if err == nil {
				lines, _ := pgx.CollectRows(rows, pgx.RowTo[string])
				pretty.WriteString(strings.Join(lines, "\n"))
			}
			t.Errorf("%s: a sequential scan of %s\n%s\n%s", s.step, strings.Join(scanned, ", "), strings.TrimSpace(s.sql), pretty.String())
		}
	}
	t.Logf("seeded in %v, ran the steps by %v, explained %d statements by %v", seeded.Round(time.Millisecond),
		ran.Round(time.Millisecond), len(stmts), time.Since(start).Round(time.Millisecond))
}

// seqScans explains s (with sequential scans priced out when
// noSeqScan) and returns the tables it would read from end to end.
func seqScans(t *testing.T, db *postgres.DB, s statement, noSeqScan bool) []string {
	t.Helper()
	ctx := context.Background()
	var plan []byte
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		if noSeqScan {
			if _, err := tx.Exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
		}
		return tx.QueryRow(ctx, `EXPLAIN (FORMAT JSON) `+s.sql, s.args...).Scan(&plan)
	})
	if err != nil {
		t.Errorf("%s: explain: %v\n%s", s.step, err, s.sql)
		return nil
	}
	var root []struct{ Plan planNode }
	if err := json.Unmarshal(plan, &root); err != nil {
		t.Fatalf("%s: %v", s.step, err)
	}
	var tables []string
	for _, r := range root {
		r.Plan.walk(func(n *planNode) {
			if n.NodeType == "Seq Scan" && !slices.Contains(tables, n.Relation) {
				tables = append(tables, n.Relation)
			}
		})
	}
	return tables
}

// largeTables are the tables with more than 1,000 rows, as the planner
// estimates them after ANALYZE.
func largeTables(t *testing.T, db *postgres.DB) map[string]bool {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), `
		SELECT c.relname, c.reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.reltuples > 1000 ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	large := map[string]bool{}
	var sizes []string
	var name string
	var n int64
	if _, err := pgx.ForEachRow(rows, []any{&name, &n}, func() error {
		large[name] = true
		sizes = append(sizes, fmt.Sprintf("%s %d", name, n))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sort.Strings(sizes)
	t.Logf("large tables: %s", strings.Join(sizes, ", "))
	return large
}

func mustExec(t *testing.T, db *postgres.DB, sql string, args ...any) {
	t.Helper()
	if _, err := db.Pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatal(err)
	}
}

// planNode is the part of a node of EXPLAIN (FORMAT JSON) that the test
// reads; subplans and init plans are among Plans.
type planNode struct {
	NodeType string     `json:"Node Type"`
	Relation string     `json:"Relation Name"`
	Plans    []planNode `json:"Plans"`
}

func (n *planNode) walk(f func(*planNode)) {
	f(n)
	for i := range n.Plans {
		n.Plans[i].walk(f)
	}
}

type stepKey struct{}

type statement struct {
	step, sql string
	args      []any
}

// recorder records the statements sent with a context that names a step,
// one by one or in batches; transaction control is left out.
type recorder struct {
	mu    sync.Mutex
	stmts []statement
}

func (r *recorder) add(ctx context.Context, sql string, args []any) {
	step, ok := ctx.Value(stepKey{}).(string)
	if !ok {
		return
	}
	switch strings.ToLower(strings.TrimSpace(sql)) {
	case "begin", "commit", "rollback", "":
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stmts = append(r.stmts, statement{step: step, sql: sql, args: args})
}

func (r *recorder) taken() []statement {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stmts
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.add(ctx, d.SQL, d.Args)
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *recorder) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (r *recorder) TraceBatchQuery(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	r.add(ctx, d.SQL, d.Args)
}

func (r *recorder) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// exportCounter is an export writer that counts rows and keeps nothing.
type exportCounter struct{ tables, rows int }

func (c *exportCounter) Table(mend.ExportTable) error { c.tables++; return nil }
func (c *exportCounter) Row([]string) error           { c.rows++; return nil }
