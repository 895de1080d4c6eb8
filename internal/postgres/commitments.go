package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// commitmentScope is the commitments partner $2 of couple $1 may see: those
// of the current pair. A commitment is between two people: it is made after
// both current partners joined, and while there are two of them; when one
// leaves, the pair's commitments leave with them. The join on the reader's
// membership is the guard.
const commitmentScope = `FROM commitments c
JOIN couple_members me ON me.couple_id = c.couple_id AND me.user_id = $2 AND me.left_at IS NULL
JOIN couple_members w ON w.couple_id = c.couple_id AND w.user_id = c.owner_id AND w.left_at IS NULL
WHERE c.couple_id = $1 AND c.created_at >= me.joined_at AND c.created_at >= w.joined_at
  AND (SELECT count(*) FROM couple_members x WHERE x.couple_id = $1 AND x.left_at IS NULL AND x.joined_at <= c.created_at) = 2`

// therapistCommitmentScope is what therapist $2 of couple $1 may see: the
// commitments whose agreed version is marked for the therapist, while the
// owner shares commitments with them and the link lasts.
const therapistCommitmentScope = `FROM commitments c
JOIN couple_members w ON w.couple_id = c.couple_id AND w.user_id = c.owner_id AND w.left_at IS NULL
JOIN commitment_versions tv ON tv.couple_id = c.couple_id AND tv.commitment_id = c.id AND tv.version = c.version AND tv.visibility = 'therapist'
WHERE c.couple_id = $1 AND ` + guardTherapist + ` AND c.created_at >= w.joined_at
  AND (SELECT count(*) FROM couple_members x WHERE x.couple_id = $1 AND x.left_at IS NULL AND x.joined_at <= c.created_at) = 2
  AND (SELECT e.shared FROM consent_events e ` + currentEra + `
       WHERE e.couple_id = c.couple_id AND e.user_id = c.owner_id AND e.kind = 'commitments'
       ORDER BY e.at DESC, e.id DESC LIMIT 1)`

const commitmentCols = `c.id, c.couple_id, c.owner_id, c.state, c.version, coalesce(c.pending, 0), c.changes_asked, c.created_at, c.updated_at`

func scanCommitment(r pgx.Row) (mend.Commitment, error) {
	var c mend.Commitment
	err := r.Scan(&c.ID, &c.CoupleID, &c.OwnerID, &c.State, &c.Version, &c.Pending, &c.ChangesAsked, &c.CreatedAt, &c.UpdatedAt)
	return c, err
}

func newSet() *mend.CommitmentSet {
	return &mend.CommitmentSet{Versions: map[int64]map[int]*mend.CommitmentVersion{},
		Events: map[int64][]mend.CommitmentEvent{}, Logs: map[int64][]mend.CommitmentLog{}}
}

// queueSet queues the four queries of a set of commitments in scope, with
// one commitment (id $3, or all when 0) and logs from $4 on. $3 is cast to
// bigint where it is first compared with 0: otherwise PostgreSQL infers
// integer from the literal, and an id from 2^31 on fails to encode. For a
// therapist, only versions that were agreed come back, and no notes: what the
// partners wrote to each other never leaves the database for them.
func queueSet(b *pgx.Batch, scope string, a mend.Reader, id int64, logsFrom time.Time) {
	_, therapist := a.(mend.TherapistAccess)
	sql := setSQL(scope, therapist)
	for _, q := range sql[:3] {
		b.Queue(q, a.CoupleID(), a.UserID(), id)
	}
	b.Queue(sql[3], a.CoupleID(), a.UserID(), id, logsFrom)
}

// setSQL is the four statements of queueSet for scope, as a therapist
// reads them or a partner: the commitments, their versions, events and
// logs. Each takes the couple $1, the reader $2 and one commitment's id
// $3 (0: all); the logs also the first day $4.
func setSQL(scope string, therapist bool) [4]string {
	only := ` AND ($3::bigint = 0 OR c.id = $3)`
	agreedOnly, eventNote, logNote := "", "e.note", "l.note"
	if therapist {
		agreedOnly = ` WHERE EXISTS (SELECT 1 FROM commitment_events ae WHERE ae.couple_id = v.couple_id AND ae.commitment_id = v.commitment_id
		  AND ae.version = v.version AND ae.action IN ('agreed', 'kept'))`
		eventNote, logNote = "''", "''"
	}
	// The commitments in scope, worked out once (a handful of rows; OFFSET
	// 0 keeps the subquery whole), then each one's rows by index: flattened
	// into the join, the planner checked the scope's subqueries again for
	// every log of a year.
	inScope := `(SELECT c.id ` + scope + only + ` OFFSET 0) s`
	return [4]string{
		`SELECT ` + commitmentCols + ` ` + scope + only + ` ORDER BY c.created_at, c.id`,
		`SELECT v.commitment_id, v.version, coalesce(v.proposed_by, 0), v.title, v.details, v.rhythm, v.weekdays,
	  v.starts_on, v.review_on, v.visibility, v.created_at
	FROM ` + inScope + ` JOIN commitment_versions v ON v.couple_id = $1 AND v.commitment_id = s.id` + agreedOnly + `
	ORDER BY v.commitment_id, v.version`,
		`SELECT e.commitment_id, e.version, coalesce(e.actor_id, 0), e.action, ` + eventNote + `, e.on_day, e.at
	FROM ` + inScope + ` JOIN commitment_events e ON e.couple_id = $1 AND e.commitment_id = s.id
	ORDER BY e.commitment_id, e.id`,
		`SELECT l.id, l.commitment_id, l.occurs_on, l.status, ` + logNote + `, l.late, l.created_at, l.updated_at
	FROM ` + inScope + ` JOIN commitment_logs l ON l.couple_id = $1 AND l.commitment_id = s.id
	WHERE l.occurs_on >= $4
	ORDER BY l.commitment_id, l.occurs_on DESC, l.id DESC`,
	}
}

func readSet(res pgx.BatchResults) (*mend.CommitmentSet, error) {
	s := newSet()
	rows, err := res.Query()
	if err != nil {
		return nil, mapErr(err)
	}
	if s.Commitments, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Commitment, error) { return scanCommitment(r) }); err != nil {
		return nil, mapErr(err)
	}
	if rows, err = res.Query(); err != nil {
		return nil, mapErr(err)
	}
	var id int64
	var v mend.CommitmentVersion
	if _, err := pgx.ForEachRow(rows, []any{&id, &v.Version, &v.ProposedBy, &v.Title, &v.Details, &v.Rhythm, &v.Weekdays,
		&v.StartsOn, &v.ReviewOn, &v.Visibility, &v.CreatedAt}, func() error {
		if s.Versions[id] == nil {
			s.Versions[id] = map[int]*mend.CommitmentVersion{}
		}
		cp := v
		s.Versions[id][v.Version] = &cp
		return nil
	}); err != nil {
		return nil, mapErr(err)
	}
	if rows, err = res.Query(); err != nil {
		return nil, mapErr(err)
	}
	var e mend.CommitmentEvent
	if _, err := pgx.ForEachRow(rows, []any{&id, &e.Version, &e.ActorID, &e.Action, &e.Note, &e.OnDay, &e.At}, func() error {
		s.Events[id] = append(s.Events[id], e)
		return nil
	}); err != nil {
		return nil, mapErr(err)
	}
	if rows, err = res.Query(); err != nil {
		return nil, mapErr(err)
	}
	var l mend.CommitmentLog
	if _, err := pgx.ForEachRow(rows, []any{&l.ID, &l.CommitmentID, &l.OccursOn, &l.Status, &l.Note, &l.Late, &l.CreatedAt, &l.UpdatedAt}, func() error {
		s.Logs[l.CommitmentID] = append(s.Logs[l.CommitmentID], l)
		return nil
	}); err != nil {
		return nil, mapErr(err)
	}
	for i := range s.Commitments {
		c := &s.Commitments[i]
		c.Current = s.Versions[c.ID][c.Version]
		c.Proposal = s.Versions[c.ID][c.Pending]
	}
	return s, nil
}

// Commitments returns the commitments a may see (one when id is not 0),
// with logs from logsFrom on, in one round trip: a partner's those of the
// current pair, with the answers and earlier versions of one commitment's
// logs; a therapist's those shared with them, without either.
func (db *DB) Commitments(ctx context.Context, a mend.Reader, id int64, logsFrom time.Time) (*mend.CommitmentSet, error) {
	partner, isPartner := a.(mend.PartnerAccess)
	scope := therapistCommitmentScope
	if isPartner {
		scope = commitmentScope
	}
	b := &pgx.Batch{}
	queueSet(b, scope, a, id, logsFrom)
	extras := isPartner && id != 0
	if extras {
		queueLogExtras(b, partner, id)
	}
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	s, err := readSet(res)
	if err != nil || !extras {
		return s, err
	}
	return s, readLogExtras(res, s, id)
}

// queueLogExtras queues the responses and earlier versions of one
// commitment's logs.
func queueLogExtras(b *pgx.Batch, a mend.PartnerAccess, id int64) {
	b.Queue(`SELECT r.log_id, r.user_id, r.confirmed, r.body, r.updated_at
	FROM commitment_responses r JOIN commitment_logs l ON l.id = r.log_id AND l.couple_id = r.couple_id
	JOIN (SELECT c.id `+commitmentScope+` AND c.id = $3) s ON s.id = l.commitment_id
	WHERE r.couple_id = $1
	ORDER BY r.id`, a.CoupleID(), a.UserID(), id)
	b.Queue(`SELECT v.log_id, v.status, v.note, v.saved_at
	FROM commitment_log_versions v JOIN commitment_logs l ON l.id = v.log_id AND l.couple_id = v.couple_id
	JOIN (SELECT c.id `+commitmentScope+` AND c.id = $3) s ON s.id = l.commitment_id
	WHERE v.couple_id = $1
	ORDER BY v.id DESC`, a.CoupleID(), a.UserID(), id)
}

func readLogExtras(res pgx.BatchResults, s *mend.CommitmentSet, id int64) error {
	logs := s.Logs[id]
	at := map[int64]int{}
	for i, l := range logs {
		at[l.ID] = i
	}
	rows, err := res.Query()
	if err != nil {
		return mapErr(err)
	}
	var r mend.LogResponse
	if _, err := pgx.ForEachRow(rows, []any{&r.LogID, &r.UserID, &r.Confirmed, &r.Body, &r.At}, func() error {
		if i, ok := at[r.LogID]; ok {
			logs[i].Responses = append(logs[i].Responses, r)
		}
		return nil
	}); err != nil {
		return mapErr(err)
	}
	if rows, err = res.Query(); err != nil {
		return mapErr(err)
	}
	var v mend.LogVersion
	_, err = pgx.ForEachRow(rows, []any{&v.LogID, &v.Status, &v.Note, &v.SavedAt}, func() error {
		if i, ok := at[v.LogID]; ok {
			logs[i].Versions = append(logs[i].Versions, v)
		}
		return nil
	})
	return mapErr(err)
}
