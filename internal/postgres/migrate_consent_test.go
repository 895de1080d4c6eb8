package postgres_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
	"github.com/mend-app/mend/internal/postgres/pgtest"
	"github.com/mend-app/mend/migrations"
	"github.com/pressly/goose/v3"
)

// beforeConsent is the last migration before 0009_mutual_consent.
const beforeConsent = 8

// TestMigrate_MutualConsentKeepsWhatWasThere: a couple linked to a
// therapist and a starting context written before 0009 stay as they were:
// the link stays active (agreed from its start), an ended link stays ended,
// and the context shows to its author and the partner it was about. A link
// open in a space with one partner waits for a second to join and agree.
// Rolling 0009 back ends a link that was still waiting, rather than
// making it active.
func TestMigrate_MutualConsentKeepsWhatWasThere(t *testing.T) {
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
	if _, err := p.UpTo(ctx, beforeConsent); err != nil {
		t.Fatal(err)
	}
	var ana, ben, sol, tess, rory, couple, solo int64
	for _, u := range []struct {
		id               *int64
		name, profession string
	}{{&ana, "Ana", ""}, {&ben, "Ben", ""}, {&sol, "Sol", ""}, {&tess, "Tess", "Dr Tess Lee"}, {&rory, "Rory", "Rory Ross"}} {
		if err := db.Pool.QueryRow(ctx, `INSERT INTO users (email, email_key, name, password_hash, time_zone, professional_name)
			VALUES ($1, $1, $2, 'x', 'UTC', nullif($3, '')) RETURNING id`, u.name+"@example.org", u.name, u.profession).Scan(u.id); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		id      *int64
		creator int64
	}{{&couple, ana}, {&solo, sol}} {
		if err := db.Pool.QueryRow(ctx, `INSERT INTO couples (created_by) VALUES ($1) RETURNING id`, c.creator).Scan(c.id); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO couple_members (couple_id, user_id, joined_at) VALUES ($1, $2, now() - interval '30 days'), ($1, $3, now() - interval '29 days')`, []any{couple, ana, ben}},
		{`INSERT INTO couple_context (couple_id, author_id, shown_to, what_happened, details) VALUES ($1, $2, $3, 'lying', 'Ana wrote this')`, []any{couple, ana, ben}},
		{`INSERT INTO therapist_links (couple_id, therapist_id, started_at, ended_at, ended_by) VALUES ($1, $2, now() - interval '20 days', now() - interval '10 days', $3)`, []any{couple, rory, ben}},
		{`INSERT INTO therapist_links (couple_id, therapist_id, started_at) VALUES ($1, $2, now() - interval '5 days')`, []any{couple, tess}},
		// Sol, alone in a space, had linked Tess too.
		{`INSERT INTO couple_members (couple_id, user_id) VALUES ($1, $2)`, []any{solo, sol}},
		{`INSERT INTO therapist_links (couple_id, therapist_id) VALUES ($1, $2)`, []any{solo, tess}},
	} {
		if _, err := db.Pool.Exec(ctx, q.sql, q.args...); err != nil {
			t.Fatalf("%s: %v", q.sql, err)
		}
	}

	if err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.TherapistAccess(ctx, tess, couple); err != nil {
		t.Fatalf("the active link is no longer active: %v", err)
	}
	partner := mend.StoreOnlyPartnerAccess(couple, ana)
	l, err := db.ActiveLink(ctx, partner)
	if err != nil || l.TherapistID != tess || l.AgreedAt == nil || !l.AgreedAt.Equal(l.StartedAt) || l.InvitedBy != 0 {
		t.Fatalf("active link after the migration: %+v (%v)", l, err)
	}
	if _, err := db.TherapistAccess(ctx, rory, couple); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("the ended link came back: %v", err)
	}
	if s, err := db.SpaceOf(ctx, partner.UserID()); err != nil || s.PendingLink != nil {
		t.Fatalf("a link waits after the migration: %+v (%v)", s, err)
	}
	if _, err := db.TherapistAccess(ctx, tess, solo); mend.ErrorCode(err) != mend.NotFound {
		t.Fatalf("a one-partner space's link is still active: %v", err)
	}
	if s, err := db.SpaceOf(ctx, sol); err != nil || s.PendingLink == nil || s.PendingLink.InvitedBy != sol || s.PendingLink.TherapistID != tess {
		t.Fatalf("the one-partner space's link should wait, invited by Sol: %+v (%v)", s, err)
	}
	for _, reader := range []int64{ana, ben} {
		s, err := db.SpaceOf(ctx, reader)
		if err != nil {
			t.Fatal(err)
		}
		c := s.ContextBy(ana)
		if c == nil || c.Details != "Ana wrote this" || c.Visibility != mend.MyPartner {
			t.Fatalf("reader %d: Ana's context after the migration: %+v", reader, c)
		}
	}

	// A link that waits, then 0009 rolled back: it ends, never becomes active.
	if _, err := db.Pool.Exec(ctx, `UPDATE therapist_links SET ended_at = now() WHERE therapist_id = $1`, tess); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO therapist_links (couple_id, therapist_id, invited_by) VALUES ($1, $2, $3)`, couple, rory, ana); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, beforeConsent); err != nil {
		t.Fatal(err)
	}
	var open int
	db.Pool.QueryRow(ctx, `SELECT count(*) FROM therapist_links WHERE ended_at IS NULL`).Scan(&open)
	if open != 0 {
		t.Fatalf("%d links open after rolling 0009 back", open)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("migrating up again: %v", err)
	}
}
