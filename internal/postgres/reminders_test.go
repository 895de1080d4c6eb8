package postgres_test

import (
	"context"
	"testing"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres/pgtest"
)

// The reminders compute each person's local time in SQL (AT TIME ZONE
// their zone): one zone PostgreSQL does not know would fail the statement
// for everyone. Every zone a person can choose must be known to it.
func TestReminders_EveryTimeZoneIsKnownToPostgreSQL(t *testing.T) {
	t.Parallel()
	db := pgtest.NewDB(t)
	zones := mend.TimeZones()
	if len(zones) < 100 {
		t.Fatalf("only %d zones", len(zones))
	}
	var unknown []string
	if err := db.Pool.QueryRow(context.Background(), `
		SELECT coalesce(array_agg(z), '{}') FROM unnest($1::text[]) z
		WHERE NOT EXISTS (SELECT 1 FROM pg_timezone_names n WHERE n.name = z)`, zones).Scan(&unknown); err != nil {
		t.Fatal(err)
	}
	if len(unknown) > 0 {
		t.Errorf("zones PostgreSQL does not know: %v", unknown)
	}
}
