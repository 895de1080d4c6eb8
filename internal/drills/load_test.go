package drills

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/internal/seed"
	"github.com/mend-app/mend/internal/server"
	"github.com/mend-app/mend/internal/service"
)

// The load drill: couples and their therapists doing their daily routine
// at the same time against a seeded database, with every answer checked.
// Every couple's entries carry a word of its own (cw000042q for couple 42:
// the seeded ones are marked, and every write of the drill carries it), so
// that an answer holding another couple's word is a leak.
//
// MEND_DRILLS=1 runs the full drill (100 couples, 200 partners, 5
// therapists, 60 s, on a year of seeded data); without it, a short one
// (10 couples, 5 s, 60 days) runs in `go test ./...`.

func TestDrill_LoadDailyRoutineLeaksNothingLosesNothingAnd5xxNever(t *testing.T) {
	couples, duration, days := 10, 5*time.Second, 60
	if os.Getenv("MEND_DRILLS") == "1" {
		couples, duration, days = 100, 60*time.Second, 365
	}
	const perTherapist = 20
	therapists := (couples + perTherapist - 1) / perTherapist
	ctx := context.Background()
	db := pgtest.NewDB(t)
	rep, err := seed.Run(ctx, db.Pool, seed.Options{Couples: couples, Therapists: therapists, PerTherapist: perTherapist,
		Days: days, Seed: 17, Prefix: "load"})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	marked := markCouples(t, db)
	if _, err := db.Pool.Exec(ctx, `VACUUM ANALYZE`); err != nil {
		t.Fatal(err)
	}
	t.Logf("seeded %d couples and %d therapists over %d days: %d rows; %d entries marked with their couple's word",
		couples, therapists, days, rep.Total(), marked)

	base := serve(t, db)
	st := newStats()
	people := cast(t, db, base, st)
	start := time.Now()
	if err := logIn(people); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d people logged in in %s", len(people), time.Since(start).Round(time.Millisecond))

	stop := time.Now().Add(duration)
	var wg sync.WaitGroup
	for i, p := range people {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(17, uint64(i)))
			for iter := 0; time.Now().Before(stop); iter++ {
				if p.therapist {
					p.therapistRoutine(rng)
				} else {
					p.partnerRoutine(iter)
				}
			}
		})
	}
	wg.Wait()
	st.report(t, duration)

	checked := verifyWrites(t, db, st)
	if st.fivexx > 0 {
		t.Errorf("%d answers were 5xx, such as %s", st.fivexx, st.firstFail)
	}
	if st.transport > 0 {
		t.Errorf("%d requests failed in transport, such as %s", st.transport, st.firstFail)
	}
	if st.leaks > 0 {
		t.Errorf("%d answers held another couple's words, such as %s", st.leaks, st.firstLeak)
	}
	// The words are on the pages: a leak would show.
	if st.own < st.requests/10 {
		t.Errorf("only %d of %d answers show the caller's own couple's words", st.own, st.requests)
	}
	if checked == 0 {
		t.Error("no write was acknowledged: the routine wrote nothing")
	}
	t.Logf("DRILL load: %d couples (%d partners) and %d therapists for %s: %d requests (%d showing the caller's own couple's words), %d 5xx, %d transport errors, %d leaks; %d acknowledged writes, each read back",
		couples, 2*couples, therapists, duration, st.requests, st.own, st.fivexx, st.transport, st.leaks, checked)
}

// markCouples appends each couple's word to its seeded entries (check-ins,
// triggers, commitments and the partners' answers), and returns how many
// entries it marked.
func markCouples(t *testing.T, db *postgres.DB) int64 {
	t.Helper()
	var total int64
	for _, q := range []string{
		`UPDATE checkins SET feel = feel || ' cw' || lpad(couple_id::text, 6, '0') || 'q' WHERE feel <> ''`,
		`UPDATE triggers SET what_happened = what_happened || ' cw' || lpad(couple_id::text, 6, '0') || 'q'`,
		`UPDATE commitment_versions SET title = left(title, 100) || ' cw' || lpad(couple_id::text, 6, '0') || 'q'`,
		`UPDATE checkin_acks SET body = body || ' cw' || lpad(couple_id::text, 6, '0') || 'q'`,
	} {
		tag, err := db.Pool.Exec(context.Background(), q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		total += tag.RowsAffected()
	}
	return total
}

// serve runs Mend as cmd/mend wires it (default configuration, the log
// thrown away) on a real listener, and returns its address.
func serve(t *testing.T, db *postgres.DB) string {
	t.Helper()
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(server.NewLogHandler(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: cfg.LogLevel})))
	sessions := db.NewSessionStore(10*time.Minute, log)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := server.HTTPServer(ln.Addr().String(), server.New(cfg, log, service.New(db), sessions, db.Ping), log)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Error(err)
		}
	}()
	t.Cleanup(func() { srv.Close(); sessions.StopCleanup() })
	return "http://" + ln.Addr().String()
}

// cast returns every seeded partner and every therapist with a linked
// couple, each with the couples whose words they may read.
func cast(t *testing.T, db *postgres.DB, base string, st *stats) []*person {
	t.Helper()
	ctx := context.Background()
	transport := &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512, IdleConnTimeout: time.Minute}
	t.Cleanup(transport.CloseIdleConnections)
	rows, err := db.Pool.Query(ctx, `
		SELECT u.email, false, array_agg(m.couple_id) FROM users u JOIN couple_members m ON m.user_id = u.id AND m.left_at IS NULL
		WHERE u.email LIKE 'load-%' GROUP BY u.email
		UNION ALL
		SELECT u.email, true, array_agg(l.couple_id) FROM users u JOIN therapist_links l ON l.therapist_id = u.id
		WHERE l.ended_at IS NULL AND l.agreed_at IS NOT NULL AND u.email LIKE 'load-%' GROUP BY u.email
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var people []*person
	for rows.Next() {
		p := &person{base: base, st: st, may: map[int64]bool{}, responded: map[string]bool{}}
		var couples []int64
		if err := rows.Scan(&p.email, &p.therapist, &couples); err != nil {
			t.Fatal(err)
		}
		for _, c := range couples {
			p.may[c] = true
		}
		p.couples = couples
		p.word = coupleWord(couples[0])
		p.c = newClient(transport)
		p.id = len(people)
		people = append(people, p)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return people
}

// coupleWord is couple id's own word.
func coupleWord(id int64) string { return fmt.Sprintf("cw%06dq", id) }

// logIn logs each person in, four at a time (each log-in hashes a
// password).
func logIn(people []*person) error {
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for _, p := range people {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			a := p.post("/login", form("email", p.email, "password", seed.DemoPassword))
			if a.status != http.StatusSeeOther || strings.HasPrefix(a.location, "/login") {
				mu.Lock()
				errs = append(errs, fmt.Errorf("log in %s: %d %s", p.email, a.status, a.location))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// verifyWrites looks every acknowledged write up in the database, in its
// couple, and returns how many it found; each one missing is an error.
func verifyWrites(t *testing.T, db *postgres.DB, st *stats) int {
	t.Helper()
	sources := map[string]string{
		"checkin": `SELECT couple_id, worry FROM checkins WHERE worry LIKE 'cw%'
			UNION ALL SELECT couple_id, worry FROM checkin_versions WHERE worry LIKE 'cw%'`,
		"trigger":  `SELECT couple_id, what_happened FROM triggers WHERE what_happened LIKE 'cw%'`,
		"ack":      `SELECT couple_id, body FROM checkin_acks WHERE body LIKE 'cw%'`,
		"response": `SELECT couple_id, body FROM trigger_responses WHERE body LIKE 'cw%'`,
		"journal":  `SELECT couple_id, body FROM journal_entries WHERE body LIKE 'cw%'`,
	}
	found := map[string]int64{} // each write's text, with the couple it is in
	for kind, q := range sources {
		rows, err := db.Pool.Query(context.Background(), q)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		for rows.Next() {
			var couple int64
			var text string
			if err := rows.Scan(&couple, &text); err != nil {
				t.Fatal(err)
			}
			found[kind+" "+text] = couple
		}
		rows.Close()
	}
	checked, missing := 0, 0
	for _, w := range st.writes {
		couple, ok := found[w.kind+" "+w.text]
		switch {
		case !ok:
			missing++
			if missing <= 5 {
				t.Errorf("acknowledged %s %q is not in the database", w.kind, w.text)
			}
		case couple != w.couple:
			t.Errorf("acknowledged %s %q is in couple %d, not %d", w.kind, w.text, couple, w.couple)
		default:
			checked++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged writes are missing", missing, len(st.writes))
	}
	return checked
}
