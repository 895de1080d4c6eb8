package seed_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/password"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/seed"
	"github.com/mend-app/mend/internal/server"
	"github.com/mend-app/mend/internal/service"
)

var small = seed.Options{Couples: 5, Therapists: 2, PerTherapist: 2, Days: 60, Seed: 7, Prefix: "t"}

func seeded(t *testing.T, o seed.Options) (*postgres.DB, *seed.Report) {
	t.Helper()
	db := pgtest.NewDB(t)
	rep, err := seed.Run(context.Background(), db.Pool, o)
	if err != nil {
		t.Fatal(err)
	}
	return db, rep
}

// count runs a query that counts what should not exist, and fails when it
// finds any.
func none(t *testing.T, db *postgres.DB, what, sql string, args ...any) {
	t.Helper()
	var n int
	if err := db.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if n != 0 {
		t.Errorf("%s: %d rows", what, n)
	}
}

func TestSeed_RowsFollowTheAppsRules(t *testing.T) {
	t.Parallel()
	db, rep := seeded(t, small)
	ctx := context.Background()

	if rep.Rows["users"] != 12 || rep.Rows["couples"] != 5 || rep.Rows["commitments"] != 25 {
		t.Errorf("rows = %v", rep.Rows)
	}
	if password.Problem(seed.DemoPassword) != "" {
		t.Errorf("the demo password breaks the password rules: %s", password.Problem(seed.DemoPassword))
	}
	none(t, db, "couples without exactly two partners", `SELECT count(*) FROM couples c
		WHERE (SELECT count(*) FROM couple_members m WHERE m.couple_id = c.id AND m.left_at IS NULL) <> 2`)
	none(t, db, "couples with too few check-ins or no triggers", `SELECT count(*) FROM couples c
		WHERE (SELECT count(*) FROM checkins k WHERE k.couple_id = c.id) NOT BETWEEN 60 AND 120
		   OR NOT EXISTS (SELECT 1 FROM triggers g WHERE g.couple_id = c.id)`)
	for _, table := range []string{"checkins", "triggers"} {
		none(t, db, table+" by someone not a partner, or not after joining", `SELECT count(*) FROM `+table+` k
			LEFT JOIN couple_members m ON m.couple_id = k.couple_id AND m.user_id = k.user_id AND m.left_at IS NULL
			WHERE m.id IS NULL OR k.created_at < m.joined_at OR k.created_at > now()`)
	}
	none(t, db, "check-ins on a day other than the day they were written, or from today on", `SELECT count(*) FROM checkins k
		JOIN users u ON u.id = k.user_id WHERE (k.created_at AT TIME ZONE u.time_zone)::date <> k.day OR k.day >= current_date`)
	none(t, db, "answers by the writer or by no partner", `SELECT count(*) FROM checkin_acks a JOIN checkins k ON k.id = a.checkin_id
		LEFT JOIN couple_members m ON m.couple_id = a.couple_id AND m.user_id = a.user_id AND m.left_at IS NULL
		WHERE m.id IS NULL OR a.user_id = k.user_id OR k.visibility = 'private' OR a.couple_id <> k.couple_id`)
	none(t, db, "trigger responses by the writer, or to private triggers", `SELECT count(*) FROM trigger_responses r JOIN triggers g ON g.id = r.trigger_id
		WHERE r.user_id = g.user_id OR g.visibility = 'private' OR r.couple_id <> g.couple_id`)
	none(t, db, "commitments not active on an agreed first version", `SELECT count(*) FROM commitments c
		WHERE c.state <> 'active' OR c.version <> 1 OR c.pending IS NOT NULL
		   OR NOT EXISTS (SELECT 1 FROM commitment_versions v WHERE v.commitment_id = c.id AND v.version = 1 AND v.couple_id = c.couple_id)
		   OR NOT EXISTS (SELECT 1 FROM commitment_events p JOIN commitment_events a ON a.commitment_id = p.commitment_id
		                  JOIN couple_members m ON m.couple_id = c.couple_id AND m.user_id = a.actor_id AND m.left_at IS NULL
		                  WHERE p.commitment_id = c.id AND p.action = 'proposed' AND a.action = 'agreed' AND a.actor_id <> p.actor_id AND a.id > p.id)
		   OR (SELECT count(*) FROM commitments o WHERE o.couple_id = c.couple_id) <> 5`)
	none(t, db, "therapist links not agreed by the other partner", `SELECT count(*) FROM therapist_links l
		JOIN users th ON th.id = l.therapist_id
		WHERE l.agreed_at IS NULL OR l.ended_at IS NOT NULL OR l.agreed_by = l.invited_by OR th.professional_name IS NULL
		   OR (SELECT count(*) FROM couple_members m WHERE m.couple_id = l.couple_id AND m.left_at IS NULL AND m.user_id IN (l.invited_by, l.agreed_by)) <> 2
		   OR (SELECT count(*) FROM therapist_links o WHERE o.therapist_id = l.therapist_id) > $1`, small.PerTherapist)
	none(t, db, "entries marked for a therapist in a couple without one", `SELECT count(*) FROM (
		SELECT couple_id FROM checkins WHERE visibility = 'therapist' UNION ALL SELECT couple_id FROM triggers WHERE visibility = 'therapist'
		UNION ALL SELECT couple_id FROM commitment_versions WHERE visibility = 'therapist') e
		WHERE NOT EXISTS (SELECT 1 FROM therapist_links l WHERE l.couple_id = e.couple_id AND l.agreed_at IS NOT NULL)`)
	// Foreign keys, which the seeder may skip checking.
	none(t, db, "rows of one couple pointing at another's", `SELECT
		(SELECT count(*) FROM commitment_logs l LEFT JOIN commitments c ON c.id = l.commitment_id AND c.couple_id = l.couple_id WHERE c.id IS NULL) +
		(SELECT count(*) FROM commitment_responses r LEFT JOIN commitment_logs l ON l.id = r.log_id AND l.couple_id = r.couple_id WHERE l.id IS NULL) +
		(SELECT count(*) FROM commitment_events e LEFT JOIN commitments c ON c.id = e.commitment_id AND c.couple_id = e.couple_id WHERE c.id IS NULL) +
		(SELECT count(*) FROM checkin_acks a LEFT JOIN checkins k ON k.id = a.checkin_id AND k.couple_id = a.couple_id WHERE k.id IS NULL) +
		(SELECT count(*) FROM trigger_responses r LEFT JOIN triggers g ON g.id = r.trigger_id AND g.couple_id = r.couple_id WHERE g.id IS NULL) +
		(SELECT count(*) FROM consent_events e LEFT JOIN couple_members m ON m.couple_id = e.couple_id AND m.user_id = e.user_id WHERE m.id IS NULL OR e.at < m.joined_at) +
		(SELECT count(*) FROM hard_dates h LEFT JOIN couples c ON c.id = h.couple_id WHERE c.id IS NULL)`)

	// Every log is on a day its commitment was due, by the app's own rule.
	logs := 0
	rows, err := db.Pool.Query(ctx, `SELECT c.id, v.rhythm, v.weekdays, v.starts_on,
		(SELECT array_agg(e.on_day ORDER BY e.id) FROM commitment_events e WHERE e.commitment_id = c.id),
		(SELECT array_agg(e.action ORDER BY e.id) FROM commitment_events e WHERE e.commitment_id = c.id),
		coalesce((SELECT array_agg(l.occurs_on) FROM commitment_logs l WHERE l.commitment_id = c.id), '{}')
		FROM commitments c JOIN commitment_versions v ON v.commitment_id = c.id AND v.version = c.version`)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	var rhythm string
	var weekdays int16
	var starts time.Time
	var days, on []time.Time
	var actions []string
	_, err = pgx.ForEachRow(rows, []any{&id, &rhythm, &weekdays, &starts, &days, &actions, &on}, func() error {
		var events []mend.CommitmentEvent
		for i := range days {
			events = append(events, mend.CommitmentEvent{Version: 1, Action: actions[i], OnDay: days[i]})
		}
		ps := mend.Periods(events, map[int]*mend.CommitmentVersion{1: {Rhythm: mend.Rhythm(rhythm), Weekdays: uint8(weekdays), StartsOn: starts}})
		for _, d := range on {
			logs++
			if day, due := mend.Occurrence(ps, d); !due || !day.Equal(d) {
				t.Errorf("commitment %d (%s): a log on %s, which was not a due occurrence", id, rhythm, d.Format(time.DateOnly))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if logs < 500 {
		t.Errorf("only %d commitment logs", logs)
	}
}

// checksum sums up the seeded tables, leaving out each row's own id.
func checksum(t *testing.T, db *postgres.DB) string {
	t.Helper()
	var sum strings.Builder
	for _, table := range []string{"users", "couples", "couple_members", "couple_context", "therapist_links", "consent_events",
		"commitments", "commitment_versions", "commitment_events", "commitment_logs", "commitment_responses",
		"checkins", "checkin_acks", "triggers", "trigger_responses", "setbacks", "therapy_sessions", "hard_dates"} {
		var s string
		err := db.Pool.QueryRow(context.Background(), `SELECT md5(coalesce(string_agg(x, '|' ORDER BY x), ''))
			FROM (SELECT (to_jsonb(t) - 'id')::text AS x FROM `+table+` t) r`).Scan(&s)
		if err != nil {
			t.Fatal(err)
		}
		sum.WriteString(table + ":" + s + " ")
	}
	return sum.String()
}

func TestSeed_SameSeedGivesTheSameData(t *testing.T) {
	t.Parallel()
	o := small
	o.Today = time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	first, _ := seeded(t, o)
	again, _ := seeded(t, o)
	if a, b := checksum(t, first), checksum(t, again); a != b {
		t.Errorf("the same seed gave different data:\n%s\n%s", a, b)
	}
	o.Seed++
	other, _ := seeded(t, o)
	if checksum(t, first) == checksum(t, other) {
		t.Error("another seed gave the same data")
	}
}

func TestSeed_RefusesToSeedAPrefixTwice(t *testing.T) {
	t.Parallel()
	db, _ := seeded(t, small)
	before := checksum(t, db)
	if _, err := seed.Run(context.Background(), db.Pool, small); !errors.Is(err, seed.ErrExists) {
		t.Fatalf("second run: %v, want ErrExists", err)
	}
	if checksum(t, db) != before {
		t.Error("the refused run changed the data")
	}
}

// The demo's partner logs in through the real server with the demo password
// and finds their Today with their commitments; their therapist finds the
// couple in the caseload.
func TestSeed_DemoPartnerAndTherapistLogIn(t *testing.T) {
	t.Parallel()
	o := small
	o.Prefix = "demo"
	db, _ := seeded(t, o)
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sessions := db.NewSessionStore(0, log)
	ts := httptest.NewServer(server.New(cfg, log, service.New(db), sessions, db.Ping))
	t.Cleanup(ts.Close)

	var a, b, daily string
	err = db.Pool.QueryRow(context.Background(), `SELECT ua.name, ub.name, v.title
		FROM users ua, users ub, commitments c JOIN commitment_versions v ON v.commitment_id = c.id AND v.rhythm = 'daily'
		WHERE ua.email_key = $1 AND ub.email_key = $2 AND c.owner_id = ua.id`,
		seed.PartnerEmail("demo", 1, "a"), seed.PartnerEmail("demo", 1, "b")).Scan(&a, &b, &daily)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		email, home string
		want        []string
	}{
		// Trends over a month of check-ins, answers, and a daily
		// commitment due today.
		{seed.PartnerEmail("demo", 1, "a"), "/today", []string{"Hello, " + a, "up from", "Your commitments today", daily}},
		{seed.TherapistEmail("demo", 1), "/caseload", []string{a + " and " + b, "Linked since"}},
	} {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar}
		req, _ := http.NewRequest("POST", ts.URL+"/login", strings.NewReader(url.Values{"email": {c.email}, "password": {seed.DemoPassword}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		page := strings.ReplaceAll(string(body), "&#39;", "'")
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != c.home {
			t.Fatalf("%s logs in: %d at %s; want %s", c.email, res.StatusCode, res.Request.URL.Path, c.home)
		}
		for _, w := range c.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: %s does not show %q", c.email, c.home, w)
			}
		}
	}
}
