package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// BenchmarkPages compares Mend's pages with a bare page served from the same
// database in the same run: one SELECT 1 and a few bytes of HTML, with no
// middleware, session or template. Report each page as a ratio of the bare
// page's time (later issues hold pages to ≥ 0.6× the bare throughput).
func BenchmarkPages(b *testing.B) {
	app := newTestApp(b, nil)
	bare := bareServer(b, app)

	member := app.browser()
	member.signUpWith(url.Values{"name": {"Bench"}, "email": {"bench@example.org"}, "password": {testPassword}, "time_zone": {"UTC"}}, "/today")
	key := attr(find(doc(b, member.get("/couple/start").body), func(n *htmlNode) bool { return attr(n, "name") == "form_key" }), "value")
	if res := member.post("/couple/start", url.Values{"form_key": {key}, "what_happened": {"lying"}}); res.StatusCode != http.StatusSeeOther {
		b.Fatalf("start space: %d", res.StatusCode)
	}
	member.get("/today") // take the flash
	visitor := &http.Client{}

	cases := []pageCase{
		{"bare", visitor, bare.URL},
		{"landing", visitor, app.ts.URL + "/"},
		{"today", member.c, app.ts.URL + "/today"},
		{"settings", member.c, app.ts.URL + "/settings"},
		{"couple", member.c, app.ts.URL + "/couple"},
		{"sharing", member.c, app.ts.URL + "/sharing"},
	}
	runPages(b, cases)
}

type pageCase struct {
	name   string
	client *http.Client
	url    string
}

// runPages measures each page as a sub-benchmark; every answer must be 200.
func runPages(b *testing.B, cases []pageCase) {
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				req, _ := http.NewRequestWithContext(context.Background(), "GET", c.url, nil)
				res, err := c.client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", c.name, res.StatusCode)
				}
				b.ReportMetric(float64(n), "bytes/page")
			}
		})
	}
}

// bareServer serves one SELECT 1 and a few bytes of HTML from app's
// database: no middleware, session or template.
func bareServer(b *testing.B, app *testApp) *httptest.Server {
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var one int
		if err := app.db.Pool.QueryRow(r.Context(), `SELECT 1`).Scan(&one); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		fmt.Fprintf(w, "<!doctype html><title>bare</title><p>%d</p>", one)
	}))
	b.Cleanup(bare.Close)
	return bare
}

// BenchmarkCheckinPages measures the check-in pages of a couple with a
// year of check-ins each (one day in ten private, one in seven missed),
// against the bare page in the same run.
func BenchmarkCheckinPages(b *testing.B) {
	app := newTestApp(b, nil)
	bare := bareServer(b, app)
	w := &world{app: app}
	ctx := context.Background()
	ana, ben := w.signUp(b, "Ana", ""), w.signUp(b, "Ben", "")
	coupleID, _ := w.pair(b, ana, ben)
	// Written "now" (so they count as this pair's), for the last 365 days.
	_, err := app.db.Pool.Exec(ctx, `
		INSERT INTO checkins (couple_id, user_id, day, mood, connection, feel, need, worry, appreciate, visibility, late)
		SELECT $1, u, current_date - d, 1 + (d * 7 + u) % 5, (d * 3 + u) % 11,
		       'Feeling ' || d, CASE WHEN d % 3 = 0 THEN 'Time together' ELSE '' END, '', 'You listened', 
		       CASE WHEN d % 10 = 0 THEN 'private' ELSE 'partner' END, false
		FROM generate_series(0, 364) d, unnest($2::bigint[]) u
		WHERE (d + u) % 7 <> 0`, coupleID, []int64{ana.ID, ben.ID})
	if err != nil {
		b.Fatal(err)
	}
	// As autovacuum would soon after such a load.
	if _, err := app.db.Pool.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	var rows int
	app.db.Pool.QueryRow(ctx, `SELECT count(*) FROM checkins WHERE couple_id = $1`, coupleID).Scan(&rows)
	b.Logf("seeded %d check-ins", rows)
	member := w.as(b, ana)
	u := app.ts.URL
	runPages(b, []pageCase{
		{"bare", &http.Client{}, bare.URL},
		{"today", member.c, u + "/today"},
		{"checkin-form", member.c, u + "/checkin"},
		{"history", member.c, u + "/checkins"},
		{"history-old-page", member.c, u + "/checkins?before=" + time.Now().AddDate(0, -6, 0).Format(time.DateOnly)},
		{"day", member.c, u + "/checkins/" + time.Now().AddDate(0, 0, -3).Format(time.DateOnly)},
		{"trends-4w", member.c, u + "/checkins/trends?weeks=4"},
		{"trends-12w", member.c, u + "/checkins/trends?weeks=12"},
		{"trends-52w", member.c, u + "/checkins/trends?weeks=52"},
	})
}

// BenchmarkCommitmentPages measures the commitments pages of a couple with
// 20 commitments in force for a year, each logged on most due days, against
// the bare page in the same run.
func BenchmarkCommitmentPages(b *testing.B) {
	app := newTestApp(b, nil)
	bare := bareServer(b, app)
	w := &world{app: app}
	ctx := context.Background()
	ana, ben := w.signUp(b, "Ana", ""), w.signUp(b, "Ben", "")
	coupleID, _ := w.pair(b, ana, ben)
	// Half Ana's, half Ben's; rhythms in turn; agreed a year ago.
	_, err := app.db.Pool.Exec(ctx, `
		WITH c AS (
		  INSERT INTO commitments (couple_id, owner_id, state, version)
		  SELECT $1, CASE WHEN i % 2 = 0 THEN $2::bigint ELSE $3::bigint END, 'active', 1 FROM generate_series(1, 20) i
		  RETURNING id, owner_id),
		n AS (SELECT id, owner_id, row_number() OVER (ORDER BY id) AS i FROM c),
		v AS (
		  INSERT INTO commitment_versions (couple_id, commitment_id, version, proposed_by, title, details, rhythm, weekdays, starts_on, review_on, visibility)
		  SELECT $1, id, 1, owner_id, 'Commitment ' || i, 'What it means', (ARRAY['daily','weekdays','weekly','each_time'])[1 + i % 4],
		         21, current_date - 365, current_date + 20, 'partner' FROM n RETURNING commitment_id),
		e AS (
		  INSERT INTO commitment_events (couple_id, commitment_id, version, actor_id, action, on_day)
		  SELECT $1, id, 1, owner_id, a, current_date - 365 FROM n, unnest(ARRAY['proposed','agreed']) a RETURNING 1)
		INSERT INTO commitment_logs (couple_id, commitment_id, occurs_on, status, note)
		SELECT $1, n.id, current_date - d, (ARRAY['kept','kept','kept','partly','missed'])[1 + (d + n.i) % 5], 'A note'
		FROM n, generate_series(1, 365) d WHERE (d * 7 + n.i) % 9 <> 0`, coupleID, ana.ID, ben.ID)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := app.db.Pool.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	var logs, first int64
	app.db.Pool.QueryRow(ctx, `SELECT count(*), min(commitment_id) FROM commitment_logs`).Scan(&logs, &first)
	b.Logf("seeded 20 commitments with %d log entries", logs)
	member := w.as(b, ana)
	u := app.ts.URL
	runPages(b, []pageCase{
		{"bare", &http.Client{}, bare.URL},
		{"today", member.c, u + "/today"},
		{"commitments", member.c, u + "/commitments"},
		{"commitment", member.c, u + fmt.Sprintf("/commitments/%d", first)},
		{"commitment-whole-log", member.c, u + fmt.Sprintf("/commitments/%d?all=1", first)},
	})
}

// BenchmarkTriggerPages measures the trigger pages of a couple with 5,000
// triggers over two years (one in ten private), against the bare page.
func BenchmarkTriggerPages(b *testing.B) {
	app := newTestApp(b, nil)
	bare := bareServer(b, app)
	w := &world{app: app}
	ctx := context.Background()
	ana, ben := w.signUp(b, "Ana", ""), w.signUp(b, "Ben", "")
	coupleID, _ := w.pair(b, ana, ben)
	_, err := app.db.Pool.Exec(ctx, `
		INSERT INTO triggers (couple_id, user_id, occurred_at, local_day, local_weekday, local_hour, category, intensity,
		  what_happened, helped, need, visibility)
		SELECT $1, CASE WHEN i % 4 = 0 THEN $3::bigint ELSE $2::bigint END, at, at::date, (extract(isodow FROM at)::int - 1), extract(hour FROM at)::int,
		  (ARRAY['place','person','date','behaviour','media','time','other'])[1 + i % 7], i % 11,
		  'Something reminded me', (ARRAY['a walk together','talking it through','breathing slowly','music'])[1 + i % 4],
		  'A hug', CASE WHEN i % 10 = 0 THEN 'private' ELSE 'partner' END
		FROM generate_series(1, 5000) i, LATERAL (SELECT now() - (i * interval '3 hours 30 minutes') AS at) x`, coupleID, ana.ID, ben.ID)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := app.db.Pool.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	member := w.as(b, ana)
	u := app.ts.URL
	runPages(b, []pageCase{
		{"bare", &http.Client{}, bare.URL},
		{"today", member.c, u + "/today"},
		{"feed", member.c, u + "/triggers"},
		{"patterns-4w", member.c, u + "/triggers/patterns?weeks=4"},
		{"patterns-12w", member.c, u + "/triggers/patterns?weeks=12"},
		{"patterns-52w", member.c, u + "/triggers/patterns?weeks=52"},
		{"patterns-52w-partner", member.c, u + "/triggers/patterns?weeks=52&who=partner"},
	})
}
