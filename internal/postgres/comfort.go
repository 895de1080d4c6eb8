package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// comfortScope is the comfort plan versions partner $2 of couple $1 may
// see: every version of their own, and the other partner's shared while
// both current partners were in the space. A version not shared is its
// writer's alone; the therapist never reads comfort plans.
const comfortScope = `FROM comfort_plans p
WHERE p.couple_id = $1 AND ` + guardPartner + `
  AND (p.user_id = $2 OR (p.shared_at >= ` + bothJoined + ` AND p.user_id IN ` + currentPartners + `))`

// A version shared or agreed in an earlier pair (before the later of the
// current partners joined, or agreed by someone no longer a partner) reads
// as not shared and not agreed: the current partner never saw it.
const comfortCols = `p.id, p.user_id, p.body,
  CASE WHEN p.shared_at >= ` + bothJoined + ` THEN p.shared_at END,
  CASE WHEN p.agreed_at >= ` + bothJoined + ` AND p.agreed_by IN ` + currentPartners + ` THEN p.agreed_at END, p.created_at`

// comfortPlansSQL lists the versions $2 may see, of writer $3 (0: both),
// newest first per writer, at most mend.ComfortVersions.
const comfortPlansSQL = `SELECT ` + comfortCols + ` ` + comfortScope + ` AND ($3::bigint = 0 OR p.user_id = $3)
ORDER BY p.user_id, p.id DESC LIMIT 200`

// queueComfortPlans queues the plan versions a may see of writer (0: both
// partners); sending b fills the reader's own and the other partner's.
func queueComfortPlans(b *batch, a mend.PartnerAccess, writer int64) (mine, theirs *mend.ComfortPlans) {
	mine, theirs = &mend.ComfortPlans{UserID: a.UserID()}, &mend.ComfortPlans{}
	b.Queue(comfortPlansSQL, a.CoupleID(), a.UserID(), writer)
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		ps, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.ComfortPlan, error) {
			var p mend.ComfortPlan
			err := r.Scan(&p.ID, &p.UserID, &p.Body, &p.SharedAt, &p.AgreedAt, &p.CreatedAt)
			return p, err
		})
		for _, p := range ps {
			if p.UserID == a.UserID() {
				mine.Versions = append(mine.Versions, p)
			} else {
				theirs.UserID = p.UserID
				theirs.Versions = append(theirs.Versions, p)
			}
		}
		return err
	})
	return mine, theirs
}

// ComfortPage reads partner a's comfort plans page in one round trip: a's
// space, a's own versions and the other partner's shared ones. NotFound
// when a is in no space.
func (db *DB) ComfortPage(ctx context.Context, a mend.PartnerAccess) (*mend.ComfortPage, error) {
	p, err := db.comfortPage(ctx, a)
	if err == nil && p.Space.Access != a {
		if p.Space.Access.IsZero() {
			return nil, mend.ErrNotFound
		}
		p, err = db.comfortPage(ctx, p.Space.Access)
	}
	return p, err
}

func (db *DB) comfortPage(ctx context.Context, a mend.PartnerAccess) (*mend.ComfortPage, error) {
	b := &batch{}
	sp := queueSpace(b, a.UserID())
	mine, theirs := queueComfortPlans(b, a, 0)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	return &mend.ComfortPage{Space: sp, Mine: *mine, Partner: *theirs}, nil
}

// writeComfortPlanSQL adds a version ($4) of partner $2's plan under their
// lock, with its form's key (see lockedForm); $5 shares it at once.
const writeComfortPlanSQL = lockedForm + `,
p AS (INSERT INTO comfort_plans (couple_id, user_id, body, shared_at)
  SELECT $1, $2, $4, CASE WHEN $5::boolean THEN now() END WHERE ` + formFresh + `
  RETURNING id)
SELECT ` + lockedFormResult + `, coalesce((SELECT id FROM p), 0)`

// WriteComfortPlan adds a version of partner a's comfort plan saying body,
// shared with the other partner when share. mend.ErrFormUsed, adding
// nothing, when formKey was used already.
func (db *DB) WriteComfortPlan(ctx context.Context, a mend.PartnerAccess, body string, share bool, formKey []byte) (int64, error) {
	var id int64
	var partner, fresh bool
	err := db.Pool.QueryRow(ctx, writeComfortPlanSQL, a.CoupleID(), a.UserID(), keyArg(formKey), body, share).Scan(&partner, &fresh, &id)
	return id, lockedFormErr(err, partner, fresh)
}

// shareComfortPlanSQL shares $2's own version $3, when it is not shared
// with the current partner (see comfortCols).
const shareComfortPlanSQL = `
UPDATE comfort_plans p SET shared_at = now(), agreed_at = NULL, agreed_by = NULL
WHERE p.couple_id = $1 AND p.id = $3 AND p.user_id = $2 AND (p.shared_at IS NULL OR p.shared_at < ` + bothJoined + `) AND ` + guardPartner

// ShareComfortPlan shares partner a's own version id with the other
// partner. NotFound when it is not a's or was shared already.
func (db *DB) ShareComfortPlan(ctx context.Context, a mend.PartnerAccess, id int64) error {
	tag, err := db.Pool.Exec(ctx, shareComfortPlanSQL, a.CoupleID(), a.UserID(), id)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNotFound
	}
	return mapErr(err)
}

// agreeComfortPlanSQL records $2's agreement to the other partner's
// version $3: one $2 may see, shared, not agreed yet, and the newest its
// writer shared.
const agreeComfortPlanSQL = `
UPDATE comfort_plans p SET agreed_at = now(), agreed_by = $2
WHERE p.couple_id = $1 AND p.id = $3 AND p.user_id <> $2 AND p.agreed_at IS NULL AND ` + guardPartner + `
  AND p.shared_at >= ` + bothJoined + ` AND p.user_id IN ` + currentPartners + `
  AND NOT EXISTS (SELECT 1 FROM comfort_plans n
    WHERE n.couple_id = $1 AND n.user_id = p.user_id AND n.id > p.id AND n.shared_at IS NOT NULL)`

// AgreeComfortPlan records partner a's agreement to the other partner's
// shared version id. mend.ErrNoComfortPlan when there is no such version
// waiting: a's own, private, agreed already, or replaced by a newer one.
func (db *DB) AgreeComfortPlan(ctx context.Context, a mend.PartnerAccess, id int64) error {
	tag, err := db.Pool.Exec(ctx, agreeComfortPlanSQL, a.CoupleID(), a.UserID(), id)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoComfortPlan
	}
	return mapErr(err)
}

// The minute of help after trigger $3 of writer $2: their own earlier
// "what helped" words, distinct, newest first ($4 of them), and how many
// triggers they logged in the hour up to it.
const (
	minuteTriggerSQL = `SELECT ` + triggerCols + ` FROM triggers t
WHERE t.couple_id = $1 AND t.user_id = $2 AND t.id = $3 AND ` + guardPartner
	minuteHelpedSQL = `SELECT h.helped FROM (
  SELECT btrim(t.helped) AS helped, max(t.occurred_at) AS at FROM triggers t
  WHERE t.couple_id = $1 AND t.user_id = $2 AND t.id <> $3 AND btrim(t.helped) <> '' AND ` + guardPartner + `
  GROUP BY btrim(t.helped)) h
ORDER BY h.at DESC LIMIT $4`
	minuteInHourSQL = `SELECT count(*) FROM triggers t, (SELECT x.occurred_at FROM triggers x WHERE x.couple_id = $1 AND x.id = $3 AND x.user_id = $2) o
WHERE t.couple_id = $1 AND t.user_id = $2 AND ` + guardPartner + `
  AND t.occurred_at > o.occurred_at - interval '1 hour' AND t.occurred_at <= o.occurred_at`
)

// TriggerMinute reads, in one round trip, the minute of help after
// partner a's own trigger id: a's space, the trigger, what helped a
// before, a's comfort plan versions and the triggers a logged in the hour
// up to it. NotFound when the trigger is not a's.
func (db *DB) TriggerMinute(ctx context.Context, a mend.PartnerAccess, id int64) (*mend.TriggerMinute, error) {
	b := &batch{}
	m := &mend.TriggerMinute{}
	m.Space = queueSpace(b, a.UserID())
	found := false
	b.Queue(minuteTriggerSQL, a.CoupleID(), a.UserID(), id)
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		ts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Trigger, error) { return scanTrigger(r) })
		if len(ts) == 1 {
			m.Trigger, found = ts[0], true
		}
		return err
	})
	b.Queue(minuteHelpedSQL, a.CoupleID(), a.UserID(), id, mend.MinuteHelped)
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		m.HelpedBefore, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	b.Queue(minuteInHourSQL, a.CoupleID(), a.UserID(), id)
	b.then(func(res pgx.BatchResults) error { return res.QueryRow().Scan(&m.InHour) })
	mine, _ := queueComfortPlans(b, a, a.UserID())
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	if !found {
		return nil, mend.ErrNotFound
	}
	m.Plan = *mine
	return m, nil
}

// deleteMyComfortPlanSQL deletes every version of $2's own plan.
const deleteMyComfortPlanSQL = `DELETE FROM comfort_plans WHERE couple_id = $1 AND user_id = $2 AND $3::bigint = 0`

// DeleteComfortPlan deletes every version of partner a's own comfort plan.
// NotFound when a has none.
func (db *DB) DeleteComfortPlan(ctx context.Context, a mend.PartnerAccess) error {
	return db.deleteMine(ctx, a, deleteMyComfortPlanSQL, 0, mend.ErrNotFound)
}

// TriggerFeed reads, in one round trip, a page of the triggers partner a
// may see (see Triggers) and the other partner's comfort plan as shared
// with a, for the triggers page.
func (db *DB) TriggerFeed(ctx context.Context, a mend.PartnerAccess, who mend.Who, before time.Time, beforeID int64, limit int) ([]mend.Trigger, mend.ComfortPlans, error) {
	b := &batch{}
	ts := queueTriggers(b, a, who, 0, before, beforeID, limit)
	_, theirs := queueComfortPlans(b, a, 0)
	if err := db.send(ctx, b); err != nil {
		return nil, mend.ComfortPlans{}, err
	}
	return *ts, *theirs, nil
}
