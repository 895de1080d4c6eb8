package postgres_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/migrations"
	"github.com/pressly/goose/v3"
)

// beforeCitusKeys is the last migration before 0011_citus_keys.
const beforeCitusKeys = 10

// coupleTables are the tables 0011 rekeys, each with one row in the test.
var coupleTables = []string{
	"consent_events", "therapist_views", "checkins", "checkin_versions", "checkin_acks",
	"commitments", "commitment_versions", "commitment_events", "commitment_logs",
	"commitment_log_versions", "commitment_responses", "triggers", "trigger_versions",
	"trigger_responses", "hard_dates", "therapist_flags",
}

// TestMigrate_CitusKeysKeepWhatWasThere: a couple's rows written before 0011
// are all there after it, a child row whose couple_id had drifted from its
// parent's takes its parent's, and rolling 0011 back and applying it again
// keeps every row.
func TestMigrate_CitusKeysKeepWhatWasThere(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.EmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sqlDB := stdlib.OpenDBFromPool(db.Pool)
	defer sqlDB.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, beforeCitusKeys); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `
INSERT INTO users (email, email_key, name, password_hash, time_zone, professional_name) VALUES
  ('ana@example.org', 'ana@example.org', 'Ana', 'x', 'UTC', NULL),
  ('ben@example.org', 'ben@example.org', 'Ben', 'x', 'UTC', NULL),
  ('tess@example.org', 'tess@example.org', 'Tess', 'x', 'UTC', 'Dr Tess Lee');
INSERT INTO couples (created_by) SELECT id FROM users WHERE name = 'Ana';
INSERT INTO couples (created_by) VALUES (NULL);
CREATE TEMP TABLE ids AS SELECT
  (SELECT min(id) FROM couples) AS couple, (SELECT max(id) FROM couples) AS other,
  (SELECT id FROM users WHERE name = 'Ana') AS ana, (SELECT id FROM users WHERE name = 'Ben') AS ben,
  (SELECT id FROM users WHERE name = 'Tess') AS tess;
INSERT INTO couple_members (couple_id, user_id) SELECT couple, ana FROM ids UNION ALL SELECT couple, ben FROM ids;
INSERT INTO therapist_links (couple_id, therapist_id, agreed_at) SELECT couple, tess, now() FROM ids;
INSERT INTO consent_events (couple_id, user_id, kind, shared) SELECT couple, ana, 'checkins', true FROM ids;
INSERT INTO therapist_views (couple_id, therapist_id, kind) SELECT couple, tess, 'overview' FROM ids;
INSERT INTO checkins (couple_id, user_id, day, mood, connection, visibility) SELECT couple, ana, '2025-03-01', 3, 5, 'partner' FROM ids;
INSERT INTO checkin_versions (couple_id, checkin_id, mood, connection, feel, need, worry, appreciate, visibility, saved_at)
  SELECT couple_id, id, 2, 4, '', '', '', '', 'private', now() FROM checkins;
-- An answer whose couple_id had drifted from its check-in's.
INSERT INTO checkin_acks (couple_id, checkin_id, user_id, body) SELECT i.other, c.id, i.ben, 'Thank you' FROM checkins c, ids i;
INSERT INTO commitments (couple_id, owner_id, state, version) SELECT couple, ana, 'active', 1 FROM ids;
INSERT INTO commitment_versions (couple_id, commitment_id, version, title, rhythm, starts_on, review_on, visibility)
  SELECT couple_id, id, 1, 'Call at lunch', 'daily', '2025-03-01', '2025-04-01', 'partner' FROM commitments;
INSERT INTO commitment_events (couple_id, commitment_id, version, action, on_day) SELECT couple_id, id, 1, 'agreed', '2025-03-01' FROM commitments;
INSERT INTO commitment_logs (couple_id, commitment_id, occurs_on, status) SELECT couple_id, id, '2025-03-02', 'kept' FROM commitments;
INSERT INTO commitment_log_versions (couple_id, log_id, status, note, saved_at) SELECT couple_id, id, 'partly', '', now() FROM commitment_logs;
INSERT INTO commitment_responses (couple_id, log_id, user_id, confirmed) SELECT l.couple_id, l.id, i.ben, true FROM commitment_logs l, ids i;
INSERT INTO triggers (couple_id, user_id, occurred_at, local_day, local_weekday, local_hour, category, intensity, visibility)
  SELECT couple, ben, now(), '2025-03-03', 0, 9, 'place', 6, 'partner' FROM ids;
INSERT INTO trigger_versions (couple_id, trigger_id, occurred_at, category, intensity, what_happened, felt, helped, need, visibility, saved_at)
  SELECT couple_id, id, occurred_at, 'place', 5, '', '', '', '', 'private', now() FROM triggers;
INSERT INTO trigger_responses (couple_id, trigger_id, user_id, choice) SELECT t.couple_id, t.id, i.ana, 'here' FROM triggers t, ids i;
INSERT INTO hard_dates (couple_id, label, on_date, yearly) SELECT couple, 'The day it came out', '2024-11-05', true FROM ids;
INSERT INTO therapist_flags (couple_id, link_id, user_id) SELECT l.couple_id, l.id, i.ana FROM therapist_links l, ids i;
`); err != nil {
		t.Fatal(err)
	}
	var couple int64
	if err := db.Pool.QueryRow(ctx, `SELECT min(id) FROM couples`).Scan(&couple); err != nil {
		t.Fatal(err)
	}
	everyRowThere := func(when string) {
		t.Helper()
		for _, table := range coupleTables {
			var n int
			if err := db.Pool.QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE couple_id = $1`, couple).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				t.Errorf("%s: %s has %d rows of the couple, want 1", when, table, n)
			}
		}
	}

	if err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	everyRowThere("after 0011")
	for _, problem := range citusProblems(t, db.Pool) {
		t.Error(problem)
	}

	if _, err := p.DownTo(ctx, beforeCitusKeys); err != nil {
		t.Fatal(err)
	}
	everyRowThere("after rolling 0011 back")
	if err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	everyRowThere("after 0011 again")
}
