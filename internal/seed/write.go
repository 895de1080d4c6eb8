package seed

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// write seeds within tx: the users and the plan of each couple (who is
// who, which therapist) from Go, everything else by the statements in
// sql.go, which draw their numbers from hashes of the seed.
func write(ctx context.Context, tx pgx.Tx, o *Options, rep *Report) error {
	first := o.Today.AddDate(0, 0, -o.Days) // the first seeded day
	since := first.AddDate(0, 0, -4).Add(12 * time.Hour)
	hash := passwordHash(o.Seed)

	// Users: therapists first, then each couple's two partners.
	var users [][]any
	for t := 1; t <= o.Therapists; t++ {
		i := t - 1
		name := therapistFirst[i%len(therapistFirst)] + " " + therapistLast[(i/len(therapistLast)+i)%len(therapistLast)]
		email := TherapistEmail(o.Prefix, t)
		users = append(users, []any{email, email, name, hash, timeZones[i%len(timeZones)],
			name + ", " + therapistCred[i%len(therapistCred)], since, since, since, since})
	}
	for n := 1; n <= o.Couples; n++ {
		i := n - 1
		names := [2]string{firstNames[i%len(firstNames)], firstNames[(i+1+(i/len(firstNames))%(len(firstNames)-1))%len(firstNames)]}
		for s, side := range []string{"a", "b"} {
			email := PartnerEmail(o.Prefix, n, side)
			users = append(users, []any{email, email, names[s], hash, timeZones[i%len(timeZones)], nil, since, since, since, since})
		}
	}
	// Seeded accounts are confirmed, as of when they were made.
	if err := copyRows(ctx, tx, rep, "users", []string{"email", "email_key", "name", "password_hash", "time_zone",
		"professional_name", "sessions_valid_after", "created_at", "updated_at", "email_confirmed_at"}, users); err != nil {
		return err
	}
	ids := map[string]int64{}
	rows, err := tx.Query(ctx, seededUsersSQL, o.Prefix+"-%@"+Domain)
	if err != nil {
		return err
	}
	var email string
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&email, &id}, func() error { ids[email] = id; return nil }); err != nil {
		return err
	}

	// JIT compiling would take longer than these statements run: their row
	// estimates are far off (generate_series, temporary tables). A
	// statement here may well run longer than a page's time limit.
	if _, err := tx.Exec(ctx, `SET LOCAL jit = off; SET LOCAL statement_timeout = 0`); err != nil {
		return err
	}
	// A superuser (as on Mend's own local cluster) skips the foreign key
	// checks, which would take most of the time: every id written here
	// comes from rows written in this same transaction.
	if _, err := tx.Exec(ctx, skipChecksSQL); err != nil {
		return err
	}

	// The plan: partner a opened the space; b is the partner who was hurt,
	// except in every fourth couple; nine couples in ten see a therapist,
	// each therapist taking at most PerTherapist of them, in turn (counted
	// among those couples, so that the therapists share them evenly).
	if _, err := tx.Exec(ctx, planTableSQL); err != nil {
		return err
	}
	var plan [][]any
	linked := 0
	for n := 1; n <= o.Couples; n++ {
		i := n - 1
		a, b := ids[PartnerEmail(o.Prefix, n, "a")], ids[PartnerEmail(o.Prefix, n, "b")]
		hurt, other := b, a
		if n%4 == 0 {
			hurt, other = a, b
		}
		var therapist any
		if o.Therapists > 0 && i%10 != 9 && linked/o.Therapists < o.PerTherapist {
			therapist = ids[TherapistEmail(o.Prefix, linked%o.Therapists+1)]
			linked++
		}
		plan = append(plan, []any{n, a, b, hurt, other, therapist, timeZones[i%len(timeZones)]})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"seed_couples"}, []string{"n", "a", "b", "hurt", "other", "therapist", "tz"},
		pgx.CopyFromRows(plan)); err != nil {
		return fmt.Errorf("seed: plan: %w", err)
	}

	for _, st := range statements() {
		sql, args := commonArgs+st.sql, append([]any{o.Seed, first, o.Days}, st.args...)
		if strings.HasPrefix(st.sql, "ANALYZE") {
			sql, args = st.sql, nil
		}
		tag, err := tx.Exec(ctx, sql, args...)
		if err != nil {
			return fmt.Errorf("seed: %s: %w", st.table, err)
		}
		if st.table != "" {
			rep.add(st.table, tag.RowsAffected())
		}
	}
	return nil
}

func copyRows(ctx context.Context, tx pgx.Tx, rep *Report, table string, cols []string, rows [][]any) error {
	n, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
	if err != nil {
		return fmt.Errorf("seed: %s: %w", table, err)
	}
	rep.add(table, n)
	return nil
}
