package postgres

import (
	"regexp"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// The caseload reads what the progress page reads, for every couple the
// therapist is linked to, in a handful of statements rather than a handful
// per couple: each is the one-couple statement, unchanged, run for each
// linked couple in a lateral join (acrossCaseload). The privacy rules are
// the one-couple scopes' own, so the caseload cannot read more of a
// couple than that couple's therapist pages.

var paramRE = regexp.MustCompile(`\$(\d+)`)

// acrossCaseload turns sql, a statement about couple $1 for therapist $2
// with its own arguments from $3 on, into the same statement for every
// couple therapist $1 is linked to now (both partners agreed), its own
// arguments renumbered from $2. With withCouple, each row is led by its
// couple's id.
func acrossCaseload(sql string, withCouple bool) string {
	inner := paramRE.ReplaceAllStringFunc(sql, func(p string) string {
		switch n, _ := strconv.Atoi(p[1:]); n {
		case 1:
			return "caseload_link.couple_id"
		case 2:
			return "caseload_link.therapist_id"
		default:
			return "$" + strconv.Itoa(n-1)
		}
	})
	// The link's alias is one no statement uses inside, so that $1 and $2
	// cannot be taken for a column of the statement's own tables.
	cols := "caseload_row.*"
	if withCouple {
		cols = "caseload_link.couple_id, caseload_row.*"
	}
	return `SELECT ` + cols + ` FROM therapist_links caseload_link CROSS JOIN LATERAL (` + inner + `) caseload_row
WHERE caseload_link.therapist_id = $1 AND caseload_link.ended_at IS NULL AND caseload_link.agreed_at IS NOT NULL`
}

// The caseload's statements (see acrossCaseload).
var (
	caseloadMembersSQL     = acrossCaseload(membersSQL, true)
	caseloadStartedSQL     = acrossCaseload(coupleStartedSQL, true)
	caseloadPointsSQL      = acrossCaseload(therapistPointsSQL, true)
	caseloadTriggersSQL    = acrossCaseload(therapistTriggerPointsSQL, true)
	caseloadSetbacksSQL    = acrossCaseload(therapistSetbacksSQL, true)
	caseloadDisclosuresSQL = acrossCaseload(therapistMarksSQL, true)
	caseloadSetSQL         = func() (out [4]string) {
		for i, s := range setSQL(therapistCommitmentScope, true) {
			out[i] = acrossCaseload(s, false)
		}
		return out
	}()
)

// queueCaseloadReads queues the reads of every couple therapistID is linked
// to over q; sending b fills them in, by couple id.
func queueCaseloadReads(b *batch, therapistID int64, q mend.ProgressQuery) map[int64]*mend.ProgressReads {
	out := map[int64]*mend.ProgressReads{}
	of := func(id int64) *mend.ProgressReads {
		r := out[id]
		if r == nil {
			r = &mend.ProgressReads{}
			out[id] = r
		}
		return r
	}
	var coupleID int64
	b.Queue(caseloadMembersSQL, therapistID)
	var m mend.Member
	b.then(func(res pgx.BatchResults) error {
		return forEach(res, []any{&coupleID, &m.UserID, &m.Name, &m.TimeZone, &m.JoinedAt}, func() {
			of(coupleID).Members = append(of(coupleID).Members, m)
		})
	})
	var started time.Time
	b.Queue(caseloadStartedSQL, therapistID)
	b.then(func(res pgx.BatchResults) error {
		return forEach(res, []any{&coupleID, &started}, func() { of(coupleID).Started = started })
	})
	var p mend.Point
	to := q.Today.AddDate(0, 0, 2) // see queueProgress
	b.Queue(caseloadPointsSQL, therapistID, q.From, to)
	b.then(func(res pgx.BatchResults) error {
		return forEach(res, []any{&coupleID, &p.Day, &p.UserID, &p.Mood, &p.Connection}, func() {
			of(coupleID).Points = append(of(coupleID).Points, p)
		})
	})
	var t mend.TriggerPoint
	b.Queue(caseloadTriggersSQL, therapistID, q.From, to)
	b.then(func(res pgx.BatchResults) error {
		return forEach(res, []any{&coupleID, &t.UserID, &t.Day, &t.Category, &t.Intensity}, func() {
			of(coupleID).Triggers = append(of(coupleID).Triggers, t)
		})
	})
	var s mend.Setback
	b.Queue(caseloadSetbacksSQL, therapistID, q.From, to)
	b.then(func(res pgx.BatchResults) error {
		return forEach(res, []any{&coupleID, &s.ID, &s.CoupleID, &s.UserID, &s.Day, &s.Note, &s.Visibility, &s.CreatedAt}, func() {
			of(coupleID).Setbacks = append(of(coupleID).Setbacks, s)
		})
	})
	var d mend.DisclosureMark
	b.Queue(caseloadDisclosuresSQL, therapistID, q.From, to)
	b.then(func(res pgx.BatchResults) error {
		return forEach(res, []any{&coupleID, &d.Day, &d.UserID, &d.How, &d.Topic}, func() {
			of(coupleID).Disclosures = append(of(coupleID).Disclosures, d)
		})
	})
	for _, sql := range caseloadSetSQL[:3] {
		b.Queue(sql, therapistID, int64(0))
	}
	b.Queue(caseloadSetSQL[3], therapistID, int64(0), q.From.AddDate(0, 0, -7))
	b.then(func(res pgx.BatchResults) error {
		all, err := readSet(res)
		if err != nil {
			return err
		}
		// Ids are unique across couples: each couple's set is its own
		// commitments with their versions, events and logs.
		for _, c := range all.Commitments {
			r := of(c.CoupleID)
			if r.Commitments == nil {
				r.Commitments = newSet()
			}
			set := r.Commitments
			set.Commitments = append(set.Commitments, c)
			set.Versions[c.ID], set.Events[c.ID], set.Logs[c.ID] = all.Versions[c.ID], all.Events[c.ID], all.Logs[c.ID]
		}
		return nil
	})
	return out
}

// forEach reads the rows of the next result into dest, calling each after
// every row.
func forEach(res pgx.BatchResults, dest []any, each func()) error {
	rows, err := res.Query()
	if err != nil {
		return err
	}
	_, err = pgx.ForEachRow(rows, dest, func() error {
		each()
		return nil
	})
	return err
}
