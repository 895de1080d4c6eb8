package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/seed"
)

// demoOptions are what `mend demo` seeds: one couple's year (the first) in
// a caseload of six couples of one therapist.
var demoOptions = seed.Options{Couples: 6, Therapists: 1, Seed: 1, Prefix: "demo"}

// demo seeds the demo into the database Mend uses and prints its logins.
// When the demo is there already it adds nothing and prints them again.
func demo(ctx context.Context, cfg *config.Config, log *slog.Logger, out io.Writer) error {
	rep, err := seedInto(ctx, cfg, log, demoOptions)
	switch {
	case errors.Is(err, seed.ErrExists):
		fmt.Fprintln(out, "The demo is already in this database, so nothing was added. Its logins:")
	case err != nil:
		return err
	default:
		fmt.Fprintf(out, "Seeded the demo in %s: a year of one couple's entries, in a therapist's caseload of %d couples.\n",
			rep.Took.Round(time.Millisecond), demoOptions.Couples)
	}
	o := demoOptions
	fmt.Fprintf(out, "\n  %-28s a partner, with the partner below\n", seed.PartnerEmail(o.Prefix, 1, "a"))
	fmt.Fprintf(out, "  %-28s the other partner\n", seed.PartnerEmail(o.Prefix, 1, "b"))
	fmt.Fprintf(out, "  %-28s their therapist\n", seed.TherapistEmail(o.Prefix, 1))
	fmt.Fprintf(out, "\n  Password for every login: %s\n", seed.DemoPassword)
	fmt.Fprintf(out, "  (the other couples are %s … %s)\n\n", seed.PartnerEmail(o.Prefix, 2, "a"), seed.PartnerEmail(o.Prefix, o.Couples, "b"))
	fmt.Fprintf(out, "Start Mend with `make run` and log in at %s/login\n", cfg.BaseURL.String())
	return nil
}

// seedCmd seeds any number of couples, for benchmarks: `mend seed
// --couples 2000` is the full scale.
func seedCmd(ctx context.Context, cfg *config.Config, log *slog.Logger, args []string, out io.Writer) error {
	o := seed.Options{}
	fs := flag.NewFlagSet("mend seed", flag.ContinueOnError)
	fs.IntVar(&o.Couples, "couples", 2000, "couple spaces to seed")
	fs.IntVar(&o.Therapists, "therapists", 50, "therapists; couples are linked to them in turn")
	fs.IntVar(&o.PerTherapist, "per-therapist", 40, "most couples per therapist")
	fs.IntVar(&o.Days, "days", 365, "days of entries, up to yesterday")
	fs.Int64Var(&o.Seed, "seed", 1, "the same seed gives the same data")
	fs.StringVar(&o.Prefix, "prefix", "seed", "logins are <prefix>-<n>a@, <prefix>-<n>b@ and <prefix>-therapist-<n>@"+seed.Domain)
	if err := fs.Parse(args); err != nil {
		return err
	}
	rep, err := seedInto(ctx, cfg, log, o)
	if errors.Is(err, seed.ErrExists) {
		return fmt.Errorf("users with the prefix %q exist already: choose another --prefix", o.Prefix)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Seeded %d rows in %s:\n", rep.Total(), rep.Took.Round(time.Millisecond))
	for _, t := range rep.Order {
		fmt.Fprintf(out, "  %-22s %9d\n", t, rep.Rows[t])
	}
	fmt.Fprintf(out, "Logins: %s … %s, %s …; password: %s\n", seed.PartnerEmail(o.Prefix, 1, "a"),
		seed.PartnerEmail(o.Prefix, o.Couples, "b"), seed.TherapistEmail(o.Prefix, 1), seed.DemoPassword)
	return nil
}

// seedInto seeds o into the database Mend uses, migrated first.
func seedInto(ctx context.Context, cfg *config.Config, log *slog.Logger, o seed.Options) (*seed.Report, error) {
	db, cleanup, err := openDB(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if err := db.Migrate(ctx, log); err != nil {
		return nil, err
	}
	return seed.Run(ctx, db.Pool, o)
}
