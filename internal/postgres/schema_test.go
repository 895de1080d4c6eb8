package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// The schema is ready to be distributed with Citus by couple_id: couple
// data shards by couple_id, so every couple table carries couple_id, its
// primary key and every unique constraint or index include it (Citus
// enforces them within one shard only), and a foreign key from one couple
// table to another pairs couple_id with couple_id (so both rows live in the
// same shard). The tables below are the only ones that are not couple data.
// A new table that is not listed here must follow those rules.

// referenceTables would be copied to every node: the small directory of who
// is who and who may see what, read on every request and across couples.
// Couple tables may point at them; they point only at each other.
var referenceTables = map[string]string{
	"users":           "people: every table names them, and the session loads one on every request",
	"couples":         "one row per couple: the couple_id every couple table points at",
	"couple_members":  "who is in which space, read by user_id on every request; a person's one open membership is unique across couples",
	"invites":         "found by the token alone, before anyone knows the couple; token_hash is unique across couples",
	"therapist_links": "a therapist's caseload is read across couples by therapist_id; at most one active link per couple",
}

// localTables would stay on the coordinator: a person's, never a couple's.
// They may point at reference tables, never at couple tables.
var localTables = map[string]string{
	"sessions":             "scs sessions, keyed by token, rewritten as people come and go",
	"login_failures":       "the log-in throttle, keyed by hashes of an email and an address",
	"signup_attempts":      "the sign-up throttle, keyed by a client address",
	"form_submissions":     "idempotency keys of create forms, keyed by the key's hash and its user",
	"safety_checks":        "a person's own safety checks, keyed by user_id alone: nothing about a couple reads them",
	"outbox":               "account emails waiting to be sent, to one person's address",
	"password_resets":      "a person's reset links, found by the token's hash alone",
	"reset_requests":       "the reset throttle, keyed by hashes of an email and an address",
	"signup_confirmations": "a person's sign-up confirmation links, found by the token's hash alone",
	"reminder_settings":    "the emails a person asked for, keyed by user_id alone",
	"guidance_dismissals":  "the guidance cards a person set aside, keyed by user_id alone",
	"reminders_sent":       "which reminder went to a person on which of their days, keyed by user_id",
	"goose_db_version":     "the migrations applied",
}

const distributionColumn = "couple_id"

func TestSchema_ReadyForCitusByCoupleID(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	for _, p := range citusProblems(t, db.Pool) {
		t.Error(p)
	}
}

// A table added later without couple_id, or with a key or a foreign key
// that leaves couple_id out, is named by the check.
func TestSchema_NewTableWithoutCoupleIDFails(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	if _, err := db.Pool.Exec(context.Background(), `
CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);
CREATE TABLE replies (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  couple_id  bigint NOT NULL REFERENCES couples (id),
  trigger_id bigint NOT NULL UNIQUE,
  session    text   REFERENCES sessions (token),
  FOREIGN KEY (couple_id, trigger_id) REFERENCES triggers (couple_id, id));
CREATE TABLE reply_marks (
  couple_id  bigint NOT NULL,
  trigger_id bigint NOT NULL,
  PRIMARY KEY (couple_id, trigger_id),
  FOREIGN KEY (couple_id, trigger_id) REFERENCES triggers (id, couple_id));
ALTER TABLE couples ADD COLUMN first_note bigint REFERENCES notes (id)`); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"notes: couple data needs a NOT NULL couple_id column (or list it as a reference or local table, with its reason)",
		"notes: unique key notes_pkey on [id] lacks couple_id",
		"replies: unique key replies_pkey on [id] lacks couple_id",
		"replies: unique key replies_trigger_id_key on [trigger_id] lacks couple_id",
		"replies: foreign key replies_session_fkey points at local table sessions; couple data may point only at couple or reference tables",
		"reply_marks: foreign key reply_marks_couple_id_trigger_id_fkey [couple_id trigger_id] → triggers [id couple_id] does not pair couple_id with couple_id",
		"couples: reference table's foreign key couples_first_note_fkey points at couple table notes",
	}
	got := citusProblems(t, db.Pool)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// citusProblems reads the schema of the database behind pool and returns
// every way it is not ready to be distributed by couple_id, one sentence
// each; none when it is ready.
func citusProblems(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	ctx := context.Background()
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	q := func(sql string) pgx.Rows {
		t.Helper()
		rows, err := pool.Query(ctx, sql)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}

	// Tables, and whether each has a NOT NULL couple_id.
	type table struct {
		name      string
		hasCouple bool
		notNull   bool
	}
	tables, err := pgx.CollectRows(q(`
SELECT c.relname,
       a.attname IS NOT NULL,
       coalesce(a.attnotnull, false)
FROM pg_class c
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'couple_id' AND NOT a.attisdropped
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
ORDER BY c.relname`), func(r pgx.CollectableRow) (table, error) {
		var tb table
		err := r.Scan(&tb.name, &tb.hasCouple, &tb.notNull)
		return tb, err
	})
	if err != nil {
		t.Fatal(err)
	}
	kind := map[string]string{}
	for _, tb := range tables {
		switch {
		case referenceTables[tb.name] != "":
			kind[tb.name] = "reference"
		case localTables[tb.name] != "":
			kind[tb.name] = "local"
		default:
			kind[tb.name] = "couple"
		}
	}
	for name := range referenceTables {
		if kind[name] == "" {
			fail("reference table %s is listed but does not exist", name)
		}
	}
	for name := range localTables {
		if kind[name] == "" {
			fail("local table %s is listed but does not exist", name)
		}
		if referenceTables[name] != "" {
			fail("%s is listed both as a reference and as a local table", name)
		}
	}
	couples := 0
	for _, tb := range tables {
		if kind[tb.name] != "couple" {
			continue
		}
		couples++
		if !tb.hasCouple || !tb.notNull {
			fail("%s: couple data needs a NOT NULL couple_id column (or list it as a reference or local table, with its reason)", tb.name)
		}
	}
	if couples < 15 {
		t.Fatalf("only %d couple tables found: is the query looking at the right schema?", couples)
	}

	// The primary key and every unique constraint or index of a couple table.
	type key struct {
		table, name string
		primary     bool
		cols        []string
	}
	keys, err := pgx.CollectRows(q(`
SELECT t.relname, i.relname, x.indisprimary,
       array(SELECT coalesce(a.attname, '(expression)')
             FROM unnest(x.indkey[0:x.indnkeyatts - 1]) WITH ORDINALITY k(attnum, n)
             LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
             ORDER BY k.n)
FROM pg_index x
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_class i ON i.oid = x.indexrelid
WHERE t.relnamespace = current_schema()::regnamespace AND x.indisunique
ORDER BY 1, 2`), func(r pgx.CollectableRow) (key, error) {
		var k key
		err := r.Scan(&k.table, &k.name, &k.primary, &k.cols)
		return k, err
	})
	if err != nil {
		t.Fatal(err)
	}
	hasPrimary := map[string]bool{}
	for _, k := range keys {
		if kind[k.table] != "couple" {
			continue
		}
		if k.primary {
			hasPrimary[k.table] = true
		}
		if !slices.Contains(k.cols, distributionColumn) {
			fail("%s: unique key %s on %v lacks couple_id", k.table, k.name, k.cols)
		}
	}
	for _, tb := range tables {
		if kind[tb.name] == "couple" && !hasPrimary[tb.name] {
			fail("%s: couple data needs a primary key that includes couple_id", tb.name)
		}
	}

	// Foreign keys: column pairs (from, to).
	type fk struct {
		table, name, target string
		from, to            []string
	}
	fks, err := pgx.CollectRows(q(`
SELECT t.relname, c.conname, r.relname,
       array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n),
       array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)
             JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.n)
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_class r ON r.oid = c.confrelid
WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace
ORDER BY 1, 2`), func(r pgx.CollectableRow) (fk, error) {
		var f fk
		err := r.Scan(&f.table, &f.name, &f.target, &f.from, &f.to)
		return f, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(fks) == 0 {
		t.Fatal("no foreign keys found")
	}
	for _, f := range fks {
		from, to := kind[f.table], kind[f.target]
		switch {
		case from == "couple" && to == "couple":
			i := slices.Index(f.from, distributionColumn)
			if i < 0 || f.to[i] != distributionColumn {
				fail("%s: foreign key %s %v → %s %v does not pair couple_id with couple_id", f.table, f.name, f.from, f.target, f.to)
			}
		case from == "couple" && to == "local":
			fail("%s: foreign key %s points at local table %s; couple data may point only at couple or reference tables", f.table, f.name, f.target)
		case from == "reference" && to != "reference":
			fail("%s: reference table's foreign key %s points at %s table %s", f.table, f.name, to, f.target)
		case from == "local" && to == "couple":
			fail("%s: local table's foreign key %s points at couple table %s", f.table, f.name, f.target)
		}
	}
	return problems
}
