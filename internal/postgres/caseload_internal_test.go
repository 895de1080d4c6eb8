package postgres

import (
	"strings"
	"testing"
)

// TestAcrossCaseload_RenumbersAndBindsToTheLink: $1 and $2 become the
// link's couple and therapist, under an alias no statement uses, and the
// statement's own arguments move down by one after the therapist's $1.
func TestAcrossCaseload_RenumbersAndBindsToTheLink(t *testing.T) {
	got := acrossCaseload(`SELECT l.id FROM commitment_logs l WHERE l.couple_id = $1 AND $2 > 0 AND l.occurs_on BETWEEN $3 AND $4::date - 1`, true)
	for _, want := range []string{
		"l.couple_id = caseload_link.couple_id AND caseload_link.therapist_id > 0",
		"BETWEEN $2 AND $3::date - 1",
		"WHERE caseload_link.therapist_id = $1 AND caseload_link.ended_at IS NULL AND caseload_link.agreed_at IS NOT NULL",
		"SELECT caseload_link.couple_id, caseload_row.*",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("%s\nlacks %q", got, want)
		}
	}
	for _, sql := range append([]string{caseloadMembersSQL, caseloadStartedSQL, caseloadPointsSQL, caseloadTriggersSQL, caseloadSetbacksSQL, caseloadDisclosuresSQL}, caseloadSetSQL[:]...) {
		inner := sql[strings.Index(sql, "LATERAL (")+len("LATERAL (") : strings.LastIndex(sql, ") caseload_row")]
		if strings.Contains(inner, "caseload_link ") || strings.Contains(inner, "caseload_row") || strings.Contains(inner, "$4") {
			t.Errorf("a statement binds the alias or an argument twice:\n%s", sql)
		}
	}
}
