package pgtest

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/mend-app/mend/internal/postgres"
)

// confirmLink finds a sign-up confirmation link in an email: its path,
// token and query.
var confirmLink = regexp.MustCompile(`(?:https?://[^/\s]+)?(/signup/confirm/([A-Za-z0-9_-]+)(\?\S*)?)`)

// Bodies returns the subjects and bodies of the emails to the address to
// in db's outbox, oldest first (a body is empty once sent).
func Bodies(t testing.TB, db *postgres.DB, to string) (subjects, bodies []string) {
	t.Helper()
	rows, err := db.Pool.Query(context.Background(), `SELECT subject, body FROM outbox WHERE lower(to_address) = lower($1) ORDER BY id`, to)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s, b string
		if err := rows.Scan(&s, &b); err != nil {
			t.Fatal(err)
		}
		subjects, bodies = append(subjects, s), append(bodies, b)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return subjects, bodies
}

// ConfirmLink returns the path (with its query) and the token of the
// sign-up confirmation link in the latest email to to in db's outbox, and
// fails the test when there is none.
func ConfirmLink(t testing.TB, db *postgres.DB, to string) (path, token string) {
	t.Helper()
	_, bodies := Bodies(t, db, to)
	for i := len(bodies) - 1; i >= 0; i-- {
		if m := confirmLink.FindStringSubmatch(bodies[i]); m != nil {
			return m[1], m[2]
		}
	}
	t.Fatalf("no confirmation link in the outbox for %s:\n%s", to, strings.Join(bodies, "\n---\n"))
	return "", ""
}
