package server

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// The transaction drill: a fault injected between two writes of one
// action commits nothing. Each action (every create form, then the other
// writes: answers, edits, agreements, deletions, leaving) runs once in a
// recording world, where a trigger on every table logs each row written
// with its transaction; the actions that write more than one table in one
// transaction are the drill's. In a second world, seeded the same, each
// such action runs once per table it writes after its first, with a
// trigger on that table raising an exception; the answer must be an error
// page (no panic), and no table may change. Then, with the fault gone, the
// same action runs and succeeds, which shows that the fault, not the
// input, failed it (and keeps both worlds alike for the next action).

// otherActions are the writes that are not create forms, in an order in
// which each finds what it needs (what destroys goes last).
var otherActions = []formCase{
	{name: "check-in edit", who: "ana", page: "/checkin?day={day}", action: "/checkin",
		fields: func(d *drillWorld, n int) url.Values { return vals("worry", word("edited worry", n)) }},
	{name: "check-in answer", who: "ben", action: "/checkins/{day}/ack",
		fields: func(d *drillWorld, n int) url.Values { return vals("ack", word("thank you", n)) }},
	{name: "trigger edit", who: "ana", page: "/triggers/{triggerID}/edit", action: "/triggers/{triggerID}/edit",
		fields: func(d *drillWorld, n int) url.Values { return vals("what_happened", word("edited trigger", n)) }},
	{name: "trigger response", who: "ben", action: "/triggers/{triggerID}/respond",
		fields: func(d *drillWorld, n int) url.Values { return vals("response", word("I am here", n)) }},
	{name: "commitment agreement", who: "ben", action: "/commitments/{proposed}/answer",
		setup: func(t *testing.T, d *drillWorld) {
			d.params["proposed"] = strconv.Itoa(d.app.count(`SELECT max(id) FROM commitments WHERE state = 'proposed' AND couple_id = ` +
				strconv.FormatInt(d.coupleA, 10)))
		},
		fields: func(d *drillWorld, n int) url.Values { return vals("answer", "agree") }},
	{name: "commitment log response", who: "ben", action: "/commitments/{id}/logs/{logID}/respond",
		fields: func(d *drillWorld, n int) url.Values { return vals("response", word("thanks", n), "confirmed", "yes") }},
	{name: "draft disclosure sent", who: "ana", action: "/disclosures/drafts/{draftID}/send"},
	{name: "comfort plan agreement", who: "ana", action: "/comfort/{planID}/agree"},
	{name: "talk time answer", who: "dan", action: "/talk/times/{proposedTalk}/answer",
		setup: func(t *testing.T, d *drillWorld) {
			d.params["proposedTalk"] = strconv.Itoa(d.app.count(`SELECT max(id) FROM talk_times WHERE couple_id = ` +
				strconv.FormatInt(d.coupleB, 10)))
		},
		fields: func(d *drillWorld, n int) url.Values { return vals("decision", "agree") }},
	{name: "topic talked about", who: "ana", action: "/talk/topics/{topicID}/talked"},
	{name: "hard date plan", who: "ana", action: "/hard-dates/{dateID}/plan",
		fields: func(d *drillWorld, n int) url.Values { return vals("plan", word("a walk", n)) }},
	{name: "suggestion set aside", who: "ana", action: "/suggestions/{suggestionID}/done"},
	{name: "time together note", who: "ben", action: "/time-together/{togetherID}/note",
		fields: func(d *drillWorld, n int) url.Values { return vals("note", word("close", n), "rating", "8") }},
	{name: "therapist note edit", who: "tess", action: "/caseload/{coupleID}/notes/{noteID}/edit",
		fields: func(d *drillWorld, n int) url.Values { return vals("body", word("edited note", n)) }},
	{name: "reminders", who: "ana", action: "/settings/reminders",
		fields: func(d *drillWorld, n int) url.Values {
			return vals("checkin", "on", "checkin_at", "20:00", "partner", "on", "hard_dates", "on")
		}},
	{name: "check-in deletion", who: "ana", action: "/checkins/{day}/delete"},
	{name: "trigger deletion", who: "ana", action: "/triggers/{triggerID}/delete"},
	{name: "disclosure deletion", who: "ben", action: "/disclosures/{disclosureID}/delete"},
	{name: "journal entry deletion", who: "ana", action: "/journal/entries/{entryID}/delete"},
	{name: "statement deletion", who: "ben", action: "/statement/delete"},
	{name: "setback removal", who: "ana", action: "/progress/setbacks/{setbackID}/remove"},
	{name: "therapy session removal", who: "tess", action: "/caseload/{coupleID}/sessions/{sessionID}/remove"},
	{name: "therapist steps away", who: "uma", action: "/caseload/{coupleB}/step-away",
		setup: func(t *testing.T, d *drillWorld) {
			d.people["uma"] = d.other
			d.params["coupleB"] = strconv.FormatInt(d.coupleB, 10)
		}},
	{name: "therapist link ended", who: "ben", action: "/sharing/end"},
	{name: "leaving the space", who: "dan", action: "/couple/leave",
		fields: func(d *drillWorld, n int) url.Values { return vals("password", testPassword) }},
	{name: "account deletion", who: "cara", action: "/settings/delete",
		fields: func(d *drillWorld, n int) url.Values { return vals("password", testPassword, "confirm", "DELETE") }},
}

// drillSQL logs every row written (drill_writes) and, for the table named
// in drill_fault, raises instead. Neither touches sessions: the session
// store writes in transactions of its own, around the action's.
const drillSQL = `
CREATE TABLE drill_writes (seq bigserial PRIMARY KEY, tx bigint NOT NULL, tbl text NOT NULL, op text NOT NULL);
CREATE TABLE drill_fault (tbl text PRIMARY KEY);
CREATE FUNCTION drill_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO drill_writes (tx, tbl, op) VALUES (txid_current(), TG_TABLE_NAME, TG_OP);
  RETURN NULL;
END $$;
CREATE FUNCTION drill_fail() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM drill_fault WHERE tbl = TG_TABLE_NAME) THEN
    RAISE EXCEPTION 'drill: fault injected on %', TG_TABLE_NAME;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public'
    AND tablename NOT IN ('sessions', 'drill_writes', 'drill_fault', 'goose_db_version')
  LOOP
    EXECUTE format('CREATE TRIGGER drill_log AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION drill_log()', t);
    EXECUTE format('CREATE TRIGGER drill_fail BEFORE INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION drill_fail()', t);
  END LOOP;
END $$;`

// installDrill puts drillSQL into the world's database.
func (d *drillWorld) installDrill(t *testing.T) {
	t.Helper()
	if _, err := d.app.db.Pool.Exec(context.Background(), drillSQL); err != nil {
		t.Fatal(err)
	}
}

// txWrites is one transaction's writes: the tables in the order of their
// first write, and how many rows in all.
type txWrites struct {
	tables []string
	rows   int
}

// writesSince returns the transactions that wrote rows after seq mark, in
// order, and the new mark.
func (d *drillWorld) writesSince(t *testing.T, mark int64) ([]txWrites, int64) {
	t.Helper()
	rows, err := d.app.db.Pool.Query(context.Background(), `SELECT seq, tx, tbl FROM drill_writes WHERE seq > $1 ORDER BY seq`, mark)
	if err != nil {
		t.Fatal(err)
	}
	var out []txWrites
	index := map[int64]int{}
	for rows.Next() {
		var seq, tx int64
		var tbl string
		if err := rows.Scan(&seq, &tx, &tbl); err != nil {
			t.Fatal(err)
		}
		mark = seq
		i, ok := index[tx]
		if !ok {
			i = len(out)
			index[tx] = i
			out = append(out, txWrites{})
		}
		out[i].rows++
		if !slices.Contains(out[i].tables, tbl) {
			out[i].tables = append(out[i].tables, tbl)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out, mark
}

// fingerprint is an md5 of every row of every table but the drill's own,
// the sessions, and the counters of attempts (sign-ups, log-ins, exports),
// which count an attempt in a transaction of its own before the action, by
// design: a failing action still counts against its limit.
func (d *drillWorld) fingerprint(t *testing.T) map[string]string {
	t.Helper()
	ctx := context.Background()
	rows, err := d.app.db.Pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'
		AND tablename NOT IN ('sessions', 'drill_writes', 'drill_fault') ORDER BY tablename`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, table := range tables {
		if attemptTables[table] {
			continue
		}
		var sum string
		q := `SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM ` + pgx.Identifier{table}.Sanitize() + ` t`
		if err := d.app.db.Pool.QueryRow(ctx, q).Scan(&sum); err != nil {
			t.Fatal(err)
		}
		out[table] = sum
	}
	return out
}

// attemptTables count attempts (sign-ups, log-ins and password checks,
// exports) in a transaction of their own before the action, by design: an
// action that fails still counts against its limit.
var attemptTables = map[string]bool{"signup_attempts": true, "login_failures": true}

// submitOnce sends c's form once as its sender and returns the answer.
func (d *drillWorld) submitOnce(t *testing.T, c formCase) drillAnswer {
	t.Helper()
	a := sendAtOnce(d.as(t, c.who), d.path(t, c.action), d.form(t, c, 0), 1)[0]
	if a.err != nil {
		t.Fatal(a.err)
	}
	return a
}

func succeeded(a drillAnswer) bool {
	return a.status == http.StatusOK || a.status == http.StatusSeeOther && !strings.HasPrefix(a.location, "/login")
}

func TestDrill_FaultBetweenTwoWritesCommitsNothing(t *testing.T) {
	t.Parallel()
	logs := &syncBuffer{}
	rec := newDrillWorld(t, newTestAppOn(t, pgtest.NewDB(t), nil))
	flt := newDrillWorld(t, newTestAppLogging(t, pgtest.NewDB(t), nil, logs))
	rec.installDrill(t)
	flt.installDrill(t)
	var mark int64
	actions, faults := 0, 0
	for _, c := range append(slices.Clone(createForms), otherActions...) {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != nil {
				c.setup(t, rec)
				c.setup(t, flt)
			}
			// The recording world: which tables, in which transactions. The
			// page is opened (and the sender logged in) before the mark.
			form := rec.form(t, c, 0)
			_, mark = rec.writesSince(t, mark)
			if a := sendAtOnce(rec.as(t, c.who), rec.path(t, c.action), form, 1)[0]; !succeeded(a) {
				t.Fatalf("%s did not succeed: %d %q %v\n%.1500s", c.name, a.status, a.location, a.err, a.body)
			}
			var txs []txWrites
			txs, mark = rec.writesSince(t, mark)
			var later, first []string
			for _, tx := range txs {
				if !slices.ContainsFunc(tx.tables, func(tbl string) bool { return !attemptTables[tbl] }) {
					continue // an attempt counted before the action, by design
				}
				first = append(first, tx.tables[0])
				later = append(later, tx.tables[1:]...)
			}
			if len(first) > 1 {
				t.Errorf("%s writes in %d transactions: %+v", c.name, len(first), txs)
				later = append(later, first[1:]...)
			}
			for _, table := range later {
				if _, err := flt.app.db.Pool.Exec(context.Background(), `INSERT INTO drill_fault (tbl) VALUES ($1)`, table); err != nil {
					t.Fatal(err)
				}
				form := flt.form(t, c, 0) // the page first: opening it may write
				before := flt.fingerprint(t)
				a := sendAtOnce(flt.as(t, c.who), flt.path(t, c.action), form, 1)[0]
				if _, err := flt.app.db.Pool.Exec(context.Background(), `DELETE FROM drill_fault`); err != nil {
					t.Fatal(err)
				}
				switch {
				case a.err != nil:
					t.Fatalf("fault on %s: %v", table, a.err)
				case succeeded(a) || a.status < 500:
					t.Errorf("fault on %s: the answer is %d %q, not an error page", table, a.status, a.location)
				case !strings.Contains(a.body, "<main"):
					t.Errorf("fault on %s: %d without Mend's error page:\n%.500s", table, a.status, a.body)
				}
				after := flt.fingerprint(t)
				for tbl, sum := range after {
					if before[tbl] != sum {
						t.Errorf("fault on %s: table %s changed (%s → %s)", table, tbl, before[tbl], sum)
					}
				}
				faults++
			}
			// With no fault, the same action succeeds.
			if a := flt.submitOnce(t, c); !succeeded(a) {
				t.Errorf("with the fault gone, %s fails: %d %q\n%.1500s", c.name, a.status, a.location, a.body)
			}
			if len(later) > 0 {
				actions++
				t.Logf("%d tables (%s): %d faults, none left a change", len(later)+1,
					strings.Join(append(first[:1], later...), ", "), len(later))
			}
		})
	}
	if strings.Contains(logs.String(), "panic") {
		t.Errorf("a fault made the server panic:\n%s", logs.String())
	}
	t.Logf("DRILL transactions: %d actions write more than one table at once: %d faults injected, each committed nothing", actions, faults)
}
