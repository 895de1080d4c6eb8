// Package seed fills a Mend database with realistic, repeatable data: couples
// with a year of check-ins, commitments and their logs, triggers and
// answers, and therapists with agreed links and the couples' consent to
// share. The same options (above all the same Seed and Today) give the same
// rows. It writes set-based SQL (INSERT … SELECT over generate_series), so a
// couple of thousand couples take seconds, not hours; every row follows the
// rules the app's own writes follow.
//
// `mend demo` seeds a few couples and one therapist; `mend seed` any scale.
package seed

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/mend-app/mend/internal/password"
)

// Domain is the mail domain of every seeded login (.test is reserved, so no
// mail can ever reach anyone).
const Domain = "mend.test"

// DemoPassword is the password of every seeded user.
const DemoPassword = "gentle steps every day"

// Options say how much to seed and from which seed.
type Options struct {
	Couples      int       // couple spaces, two partners each
	Therapists   int       // therapists; couples are linked to them in turn
	PerTherapist int       // most couples per therapist (0: 40)
	Days         int       // days of entries up to yesterday (0: 365)
	Seed         int64     // the same seed gives the same data
	Today        time.Time // the first day not seeded (zero: today, UTC, from 10:00)
	Prefix       string    // logins are <prefix>-<n>a@, <prefix>-<n>b@ and <prefix>-therapist-<n>@mend.test
}

// ErrExists is returned when users with the options' prefix are already in
// the database: seeding never adds to or changes earlier seeded data.
var ErrExists = errors.New("seeded users with this prefix exist already")

var prefixRE = regexp.MustCompile(`^[a-z][a-z0-9]{0,15}$`)

func (o *Options) fill() error {
	if o.PerTherapist == 0 {
		o.PerTherapist = 40
	}
	if o.Days == 0 {
		o.Days = 365
	}
	if o.Today.IsZero() {
		// Ten hours back, so that yesterday evening in the seeded zones
		// (as far west as Chicago, UTC-6) is over already.
		o.Today = time.Now().UTC().Add(-10 * time.Hour)
	}
	o.Today = time.Date(o.Today.Year(), o.Today.Month(), o.Today.Day(), 0, 0, 0, 0, time.UTC)
	switch {
	case o.Couples < 1 || o.Couples > 100000:
		return fmt.Errorf("seed: couples must be 1 to 100000, not %d", o.Couples)
	case o.Therapists < 0 || o.Therapists > 10000:
		return fmt.Errorf("seed: therapists must be 0 to 10000, not %d", o.Therapists)
	case o.Days < 14 || o.Days > 3650:
		return fmt.Errorf("seed: days must be 14 to 3650, not %d", o.Days)
	case !prefixRE.MatchString(o.Prefix):
		return fmt.Errorf("seed: prefix %q must be a lower-case letter, then up to 15 letters or digits", o.Prefix)
	}
	return nil
}

// PartnerEmail is the login of couple n's partner side ("a" or "b").
func PartnerEmail(prefix string, n int, side string) string {
	return fmt.Sprintf("%s-%d%s@%s", prefix, n, side, Domain)
}

// TherapistEmail is the login of therapist n.
func TherapistEmail(prefix string, n int) string {
	return fmt.Sprintf("%s-therapist-%d@%s", prefix, n, Domain)
}

// Report counts the rows written, per table, and how long it took.
type Report struct {
	Rows  map[string]int64
	Order []string // the tables in the order they were written
	Took  time.Duration
}

func (r *Report) add(table string, n int64) {
	if _, ok := r.Rows[table]; !ok {
		r.Order = append(r.Order, table)
	}
	r.Rows[table] += n
}

// Total is the number of rows written.
func (r *Report) Total() int64 {
	var t int64
	for _, n := range r.Rows {
		t += n
	}
	return t
}

// Run seeds the migrated database behind pool in one transaction: all of it
// or nothing. It returns ErrExists when users with o.Prefix exist already,
// and an error for invalid options.
func Run(ctx context.Context, pool *pgxpool.Pool, o Options) (*Report, error) {
	if err := o.fill(); err != nil {
		return nil, err
	}
	start := time.Now()
	rep := &Report{Rows: map[string]int64{}}
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var exists bool
		if err := tx.QueryRow(ctx, existsSQL, o.Prefix+"-%@"+Domain).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return ErrExists
		}
		return write(ctx, tx, &o, rep)
	})
	if err != nil {
		return nil, err
	}
	rep.Took = time.Since(start)
	return rep, nil
}

// passwordHash is DemoPassword's hash, with a salt derived from the seed so
// that the same seed gives the same rows. Computed once for every user.
func passwordHash(seed int64) string {
	salt := sha256.Sum256(fmt.Appendf(nil, "mend seed salt %d", seed))
	return password.HashWithSalt(DemoPassword, salt[:16])
}
