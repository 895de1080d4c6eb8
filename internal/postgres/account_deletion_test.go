package postgres_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/seed"
)

// tag marks every text the deleted user wrote, so the scan can find any
// copy of it, whole or cut.
const tag = "zqxgone"

// theirTexts makes each text user $1 wrote unique (tag + row id) before
// deletion. One statement per place they write; the scan below is generic.
var theirTexts = []string{
	`UPDATE checkins SET feel = feel || ' ` + tag + `' || id, need = need || ' ` + tag + `' || id, worry = worry || ' ` + tag + `' || id, appreciate = appreciate || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE checkin_versions v SET feel = feel || ' ` + tag + `' || v.id, need = need || ' ` + tag + `' WHERE EXISTS (SELECT 1 FROM checkins c WHERE c.couple_id = v.couple_id AND c.id = v.checkin_id AND c.user_id = $1)`,
	`UPDATE checkin_acks SET body = body || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE commitment_versions SET title = left(title, 40) || ' ` + tag + `' || id, details = details || ' ` + tag + `' WHERE proposed_by = $1`,
	`UPDATE commitment_events SET note = note || ' ` + tag + `' || id WHERE actor_id = $1`,
	`UPDATE commitment_logs l SET note = note || ' ` + tag + `' || l.id WHERE EXISTS (SELECT 1 FROM commitments c WHERE c.couple_id = l.couple_id AND c.id = l.commitment_id AND c.owner_id = $1)`,
	`UPDATE commitment_log_versions v SET note = note || ' ` + tag + `' WHERE EXISTS (SELECT 1 FROM commitment_logs l JOIN commitments c ON c.couple_id = l.couple_id AND c.id = l.commitment_id WHERE l.couple_id = v.couple_id AND l.id = v.log_id AND c.owner_id = $1)`,
	`UPDATE commitment_responses SET body = body || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE triggers SET what_happened = what_happened || ' ` + tag + `' || id, felt = felt || ' ` + tag + `', helped = helped || ' ` + tag + `', need = need || ' ` + tag + `' WHERE user_id = $1`,
	`UPDATE trigger_versions v SET what_happened = what_happened || ' ` + tag + `' || v.id WHERE EXISTS (SELECT 1 FROM triggers t WHERE t.couple_id = v.couple_id AND t.id = v.trigger_id AND t.user_id = $1)`,
	`UPDATE trigger_responses SET body = body || ' ` + tag + `' || id, did = did || ' ` + tag + `' WHERE user_id = $1`,
	`UPDATE hard_dates SET label = left(label, 40) || ' ` + tag + `' || id, plan = left(plan, 270) || ' ` + tag + `' WHERE created_by = $1`,
	`UPDATE couple_context SET details = details || ' ` + tag + `' WHERE author_id = $1`,
	`UPDATE setbacks SET note = note || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE disclosures SET topic = left(topic, 40) || ' ` + tag + `' || id, body = left(body, 960) || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE disclosure_answers SET body = body || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE statement_versions v SET did = did || ' ` + tag + `' || v.id, impact = impact || ' ` + tag + `', regret = regret || ' ` + tag + `', changing = changing || ' ` + tag + `' WHERE EXISTS (SELECT 1 FROM statements s WHERE s.couple_id = v.couple_id AND s.id = v.statement_id AND s.user_id = $1)`,
	`UPDATE statement_answers SET note = note || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE comfort_plans SET body = left(body, 570) || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE questions SET body = left(body, 470) || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE question_answers SET body = left(body, 1900) || ' ` + tag + `' || question_id WHERE user_id = $1`,
	`UPDATE parked_topics SET title = left(title, 90) || ' ` + tag + `' || id, note = note || ' ` + tag + `' WHERE user_id = $1`,
	`UPDATE session_checks SET note = left(note, 470) || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE couple_prompts SET body = body || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE prompt_answers SET body = body || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE journal_entries SET body = body || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE time_together SET what = what || ' ` + tag + `' || id WHERE user_id = $1`,
	`UPDATE time_together_notes SET note = note || ' ` + tag + `' || together_id WHERE user_id = $1`,
	`UPDATE suggestions SET title = left(title, 40) || ' ` + tag + `' || id, body = body || ' ` + tag + `' WHERE therapist_id = $1`,
	`UPDATE therapist_notes SET body = body || ' ` + tag + `' || id WHERE therapist_id = $1`,
}

// userColumns are the integer columns that hold a user's id: every column
// with a foreign key to users(id), and the ones named like one.
const userColumnsSQL = `
SELECT c.table_name, c.column_name
FROM information_schema.columns c
WHERE c.table_schema = 'public' AND c.data_type IN ('bigint', 'integer')
  AND ((c.table_name = 'users' AND c.column_name = 'id')
    OR c.column_name LIKE '%user_id' OR c.column_name LIKE '%\_by'
    OR c.column_name IN ('actor_id', 'owner_id', 'therapist_id', 'author_id', 'shown_to')
    OR (c.table_name, c.column_name) IN (
      SELECT r.relname::text, a.attname::text FROM pg_constraint k
      JOIN pg_class r ON r.oid = k.conrelid
      JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey)
      WHERE k.contype = 'f' AND k.confrelid = 'users'::regclass))
ORDER BY 1, 2`

// contentColumnsSQL lists every column that can hold words or bytes.
const contentColumnsSQL = `
SELECT table_name, column_name, data_type FROM information_schema.columns
WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea', 'uuid', 'character')
ORDER BY 1, 2`

type needle struct {
	what string
	text string // matched case-insensitively in text, jsonb and uuid columns
	raw  []byte // matched in bytea columns
}

// scan counts, for each needle, the rows anywhere that still hold it.
func scan(t *testing.T, db *postgres.DB, userID int64, needles []needle) map[string]int {
	t.Helper()
	ctx := context.Background()
	found := map[string]int{}
	add := func(what, table, col string, n int) {
		if n > 0 {
			found[what] += n
			t.Logf("%s in %s.%s: %d rows", what, table, col, n)
		}
	}
	rows, _ := db.Pool.Query(ctx, userColumnsSQL)
	cols, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ Table, Col string }])
	if err != nil {
		t.Fatal(err)
	}
	if len(cols) < 30 {
		t.Fatalf("only %d user columns found: %v", len(cols), cols)
	}
	for _, c := range cols {
		var n int
		q := fmt.Sprintf(`SELECT count(*) FROM %s WHERE %s = $1`, pgx.Identifier{c.Table}.Sanitize(), pgx.Identifier{c.Col}.Sanitize())
		if err := db.Pool.QueryRow(ctx, q, userID).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		add("id", c.Table, c.Col, n)
	}
	rows, _ = db.Pool.Query(ctx, contentColumnsSQL)
	content, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ Table, Col, Type string }])
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range content {
		tbl, col := pgx.Identifier{c.Table}.Sanitize(), pgx.Identifier{c.Col}.Sanitize()
		for _, nd := range needles {
			var q string
			var arg any
			if c.Type == "bytea" {
				q, arg = fmt.Sprintf(`SELECT count(*) FROM %s WHERE position($1::bytea in %s) > 0`, tbl, col), nd.raw
			} else {
				q, arg = fmt.Sprintf(`SELECT count(*) FROM %s WHERE strpos(lower(%s::text), lower($1)) > 0`, tbl, col), nd.text
			}
			var n int
			if err := db.Pool.QueryRow(ctx, q, arg).Scan(&n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			add(nd.what, c.Table, c.Col, n)
		}
	}
	return found
}

func TestDeleteAccount_NothingOfThePartnerRemains(t *testing.T) {
	t.Parallel()
	for _, side := range []string{"a", "b"} {
		t.Run(side, func(t *testing.T) {
			t.Parallel()
			deleteAndScan(t, seed.PartnerEmail("d", 1, side))
		})
	}
}

func TestDeleteAccount_NothingOfTheTherapistRemains(t *testing.T) {
	t.Parallel()
	deleteAndScan(t, seed.TherapistEmail("d", 1))
}

// deleteAndScan deletes the seeded user with email (a partner of the first
// couple, or a therapist) and scans every table for what was theirs. A
// partner's other partner keeps their check-ins.
func deleteAndScan(t *testing.T, email string) {
	ctx := context.Background()
	db := pgtest.NewDB(t)
	if _, err := seed.Run(ctx, db.Pool, seed.Options{Couples: 3, Therapists: 1, PerTherapist: 3, Days: 30, Seed: 5, Prefix: "d"}); err != nil {
		t.Fatal(err)
	}
	var id, other int64
	if err := db.Pool.QueryRow(ctx, `SELECT u.id, coalesce((SELECT o.user_id FROM couple_members m JOIN couple_members o ON o.couple_id = m.couple_id AND o.user_id <> m.user_id
		WHERE m.user_id = u.id LIMIT 1), 0) FROM users u WHERE u.email = $1`, email).Scan(&id, &other); err != nil {
		t.Fatal(err)
	}
	// A name nobody else has, and what a year of use leaves beside the seed:
	// a session, mail, a reset link, log-in failures, a reset request.
	name := "Orielle Quenby"
	key := sha256.Sum256([]byte("mend-login:" + strings.ToLower(email)))
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE users SET name = $2, professional_name = CASE WHEN professional_name <> '' THEN 'Dr ' || $2 || ' LMFT' ELSE '' END WHERE id = $1`, []any{id, name}},
		{`INSERT INTO sessions (token, data, expiry, user_id) VALUES ('tok-gone', '\x00'::bytea, now() + interval '1 day', $1)`, []any{id}},
		{`INSERT INTO outbox (user_id, to_address, subject, body) VALUES ($1, $2, 'Reset your password', 'Hello ' || $3)`, []any{id, email, name}},
		{`INSERT INTO outbox (to_address, subject, body) VALUES ($1, 'Someone tried to sign up', 'Hello')`, []any{email}},
		{`INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, '\x01'::bytea, now(), now() + interval '30 minutes')`, []any{id}},
		{`INSERT INTO signup_confirmations (user_id, token_hash, created_at, expires_at) VALUES ($1, '\x02'::bytea, now(), now() + interval '1 day')`, []any{id}},
		{`UPDATE users SET signup_notice_at = now() WHERE id = $1`, []any{id}},
		{`INSERT INTO login_failures (account_key, client_key, failed_at) VALUES ($1, 'client', now())`, []any{key[:]}},
		{`INSERT INTO reset_requests (account_key, client_key, requested_at) VALUES ($1, 'client', now())`, []any{key[:]}},
		{`INSERT INTO reminder_settings (user_id, checkin, partner, partner_since) VALUES ($1, true, true, now())`, []any{id}},
		// A statement they sent, and their answer to the other partner's.
		{`WITH s AS (INSERT INTO statements (couple_id, user_id) SELECT couple_id, user_id FROM couple_members WHERE user_id = $1 AND left_at IS NULL RETURNING couple_id, id)
		  INSERT INTO statement_versions (couple_id, statement_id, did, impact, regret, changing, sent_at)
		  SELECT couple_id, id, 'What I did', 'The impact', 'What I regret', 'What I change', now() FROM s`, []any{id}},
		{`WITH s AS (INSERT INTO statements (couple_id, user_id)
		    SELECT o.couple_id, o.user_id FROM couple_members m JOIN couple_members o ON o.couple_id = m.couple_id AND o.user_id <> m.user_id AND o.left_at IS NULL
		    WHERE m.user_id = $1 AND m.left_at IS NULL RETURNING couple_id, id),
		  v AS (INSERT INTO statement_versions (couple_id, statement_id, did, impact, regret, changing, sent_at)
		    SELECT couple_id, id, 'Their part', 'Their part', 'Their part', 'Their part', now() FROM s RETURNING couple_id, id)
		  INSERT INTO statement_answers (couple_id, version_id, user_id, part, lands, note) SELECT couple_id, id, $1, 'regret', false, 'More' FROM v`, []any{id}},
		{`INSERT INTO reminders_sent (user_id, kind, day, sent_at) VALUES ($1, 'checkin', current_date, now())`, []any{id}},
		{`INSERT INTO outbox (user_id, to_address, subject, body, unsubscribe_url) VALUES ($1, $2, 'Your daily check-in in Mend', 'Hello', 'https://mend.example.org/unsubscribe/' || $1::bigint)`, []any{id, email}},
		// The seed writes no prompts, answers or journal entries: one of
		// each in a partner's space.
		{`INSERT INTO couple_prompts (couple_id, user_id, category, mode, body)
		  SELECT couple_id, user_id, 'fun', 'talk', 'Where shall we walk?' FROM couple_members WHERE user_id = $1 AND left_at IS NULL`, []any{id}},
		{`INSERT INTO prompt_answers (couple_id, user_id, day, prompt_key, mode, body, visibility)
		  SELECT couple_id, user_id, current_date, 'rc01', 'talk', 'By the river', 'partner' FROM couple_members WHERE user_id = $1 AND left_at IS NULL`, []any{id}},
		{`INSERT INTO journal_entries (couple_id, user_id, body, visibility)
		  SELECT couple_id, user_id, 'A quiet evening', 'private' FROM couple_members WHERE user_id = $1 AND left_at IS NULL`, []any{id}},
		{`WITH t AS (INSERT INTO time_together (couple_id, user_id, on_day, what)
		    SELECT couple_id, user_id, current_date, 'A walk' FROM couple_members WHERE user_id = $1 AND left_at IS NULL RETURNING couple_id, id)
		  INSERT INTO time_together_notes (couple_id, together_id, user_id, note, rating) SELECT couple_id, id, $1, 'Easy', 7 FROM t`, []any{id}},
	} {
		if _, err := db.Pool.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}
	// The seed writes no therapist's notes or suggestions: one of each in
	// every couple they were linked to.
	if _, err := db.Pool.Exec(ctx, `
		WITH n AS (INSERT INTO therapist_notes (couple_id, therapist_id, body)
		  SELECT couple_id, therapist_id, 'They spoke about the lake house' FROM therapist_links WHERE therapist_id = $1)
		, v AS (INSERT INTO therapist_views (couple_id, therapist_id, kind)
		  SELECT couple_id, therapist_id, 'checkins' FROM therapist_links WHERE therapist_id = $1)
		INSERT INTO suggestions (couple_id, therapist_id, kind, title, body)
		SELECT couple_id, therapist_id, 'talk', 'Talk about Sundays', 'Ten minutes each' FROM therapist_links WHERE therapist_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	// The seed has no talk times, topics or questions: a partner proposes a
	// talk time, parks a topic, asks a question the other answers, and
	// answers one of the other's, which is then parked to talk about.
	if _, err := db.Pool.Exec(ctx, `
		WITH c AS (SELECT couple_id FROM couple_members WHERE user_id = $1 AND left_at IS NULL),
		t AS (INSERT INTO talk_times (couple_id, proposed_by, weekday, start_min, minutes, time_zone, status)
		  SELECT couple_id, $1, 0, 1140, 45, 'UTC', 'agreed' FROM c),
		p AS (INSERT INTO parked_topics (couple_id, user_id, title, note) SELECT couple_id, $1, 'Sunday evenings', 'The lake house' FROM c),
		mine AS (INSERT INTO questions (couple_id, user_id, body, about) SELECT couple_id, $1, 'What did it mean to you?', 'meaning' FROM c RETURNING couple_id, id),
		theirs AS (INSERT INTO questions (couple_id, user_id, body, about) SELECT couple_id, $2, 'What do you need from me?', 'meaning' FROM c WHERE $2::bigint <> 0 RETURNING couple_id, id),
		a1 AS (INSERT INTO question_answers (couple_id, question_id, user_id, body) SELECT couple_id, id, $2, 'It meant I was lost' FROM mine WHERE $2::bigint <> 0),
		a2 AS (INSERT INTO question_answers (couple_id, question_id, user_id, body, talk) SELECT couple_id, id, $1, 'Time', true FROM theirs)
		INSERT INTO parked_topics (couple_id, user_id, question_id) SELECT couple_id, $1, id FROM theirs`, id, other); err != nil {
		t.Fatal(err)
	}
	for _, q := range theirTexts {
		if _, err := db.Pool.Exec(ctx, q, id); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var otherCheckins int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM checkins WHERE user_id = $1`, other).Scan(&otherCheckins); err != nil {
		t.Fatal(err)
	}

	needles := []needle{
		{"email", email, []byte(email)},
		{"name", name, []byte(name)},
		{"their words", tag, []byte(tag)},
		{"login key", hex.EncodeToString(key[:]), key[:]},
	}
	before := scan(t, db, id, needles)
	for _, what := range []string{"id", "email", "name", "their words", "login key"} {
		if before[what] == 0 {
			t.Fatalf("before deletion the scan finds no %s: the scan is broken", what)
		}
	}

	if err := db.DeleteAccount(ctx, id, key[:], strings.ToLower(email)); err != nil {
		t.Fatal(err)
	}
	t.Log("after deletion:")
	if after := scan(t, db, id, needles); len(after) != 0 {
		t.Errorf("after deletion the scan still finds %v", after)
	}

	// What the other partner wrote stays.
	var n int
	if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM checkins WHERE user_id = $1`, other).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != otherCheckins || (other != 0 && n == 0) {
		t.Errorf("the other partner's check-ins: %d, want %d", n, otherCheckins)
	}
	if err := db.DeleteAccount(ctx, id, key[:], strings.ToLower(email)); err == nil {
		t.Error("deleting twice: no error")
	}
}
