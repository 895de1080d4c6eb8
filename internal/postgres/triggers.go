package postgres

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// triggerScope is the triggers partner $2 of couple $1 may see: their own,
// and the other partner's that are not private and were written in both
// partners' current membership (after the later of the current partners
// joined). The reader's membership is the guard. As for check-ins (see
// checkinScope), the memberships are read once per statement, not joined,
// so the planner can walk the couple's triggers newest first and stop.
const triggerScope = `FROM triggers t
WHERE t.couple_id = $1 AND ` + guardPartner + `
  AND (t.user_id = $2 OR (t.visibility <> 'private'
    AND t.created_at >= ` + bothJoined + ` AND t.user_id IN ` + currentPartners + `))`

// therapistTriggerScope is what therapist $2 of couple $1 may see: triggers
// marked for them, while the writer shares triggers and the link lasts.
const therapistTriggerScope = `FROM triggers t
JOIN couple_members w ON w.couple_id = t.couple_id AND w.user_id = t.user_id AND w.left_at IS NULL
WHERE t.couple_id = $1 AND ` + guardTherapist + ` AND t.visibility = 'therapist' AND t.created_at >= w.joined_at
  AND t.created_at >= ` + sinceLastLeft + `
  AND (SELECT e.shared FROM consent_events e ` + currentEra + `
       WHERE e.couple_id = t.couple_id AND e.user_id = t.user_id AND e.kind = 'triggers'
       ORDER BY e.at DESC, e.id DESC LIMIT 1)`

// triggersOf is the scope of the triggers a may see, and the who filter
// (” everyone, 'me', 'partner') that applies: a partner's own choice; for a
// therapist, everyone shared with them.
func triggersOf(a mend.Reader, who mend.Who) (scope, filter string) {
	if _, partner := a.(mend.PartnerAccess); partner {
		return triggerScope, string(who)
	}
	return therapistTriggerScope, ""
}

// whoFilter narrows a scope by $3: ” everyone, 'me' the reader, 'partner'
// the other partner.
const whoFilter = ` AND ($3 = '' OR ($3 = 'me') = (t.user_id = $2))`

const triggerCols = `t.id, t.couple_id, t.user_id, t.occurred_at, t.local_day, t.local_weekday, t.local_hour, t.category,
  t.intensity, t.what_happened, t.felt, t.helped, t.need, t.visibility, t.created_at, t.updated_at`

func scanTrigger(r pgx.Row) (mend.Trigger, error) {
	var t mend.Trigger
	err := r.Scan(&t.ID, &t.CoupleID, &t.UserID, &t.OccurredAt, &t.LocalDay, &t.LocalWeekday, &t.LocalHour, &t.Category,
		&t.Intensity, &t.WhatHappened, &t.Felt, &t.Helped, &t.Need, &t.Visibility, &t.CreatedAt, &t.UpdatedAt)
	return t, err
}

// logTriggerSQL records a trigger ($4…) under the writer's lock, with its
// form's key: see lockedForm.
var logTriggerSQL = lockedFormFor("triggers") + `,
t AS (INSERT INTO triggers (id, couple_id, user_id, occurred_at, local_day, local_weekday, local_hour, category, intensity,
  what_happened, felt, helped, need, visibility) OVERRIDING SYSTEM VALUE
  SELECT (SELECT id FROM n), $1, $2, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14 WHERE ` + formFresh + `
  RETURNING id)
SELECT ` + lockedFormResult + `, coalesce((SELECT id FROM t), 0)`

// LogTrigger records partner a's trigger t, in one round trip.
// mend.ErrFormUsed, recording nothing, when formKey was used already, with
// the id of the trigger that form recorded (0 when not known).
func (db *DB) LogTrigger(ctx context.Context, a mend.PartnerAccess, t mend.Trigger, formKey []byte) (int64, error) {
	var id int64
	var partner, fresh bool
	err := db.Pool.QueryRow(ctx, logTriggerSQL, a.CoupleID(), a.UserID(), keyArg(formKey), t.OccurredAt, t.LocalDay, t.LocalWeekday,
		t.LocalHour, t.Category, t.Intensity, t.WhatHappened, t.Felt, t.Helped, t.Need, t.Visibility).Scan(&partner, &fresh, &id)
	err = lockedFormErr(err, partner, fresh)
	if errors.Is(err, mend.ErrFormUsed) {
		id = db.formRecord(ctx, formKey, a.UserID())
	}
	return id, err
}

// lockTriggerSQL locks a trigger the writer may see; EditTrigger changes
// only the writer's own.
const lockTriggerSQL = `SELECT ` + triggerCols + ` ` + triggerScope + ` AND t.id = $3 FOR UPDATE OF t`

const keepTriggerVersionSQL = `
INSERT INTO trigger_versions (couple_id, trigger_id, occurred_at, category, intensity, what_happened, felt, helped, need, visibility, saved_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`

const updateTriggerSQL = `
UPDATE triggers SET occurred_at = $3, local_day = $4, local_weekday = $5, local_hour = $6, category = $7, intensity = $8,
  what_happened = $9, felt = $10, helped = $11, need = $12, visibility = $13,
  updated_at = greatest(now(), updated_at + interval '1 microsecond')
WHERE couple_id = $1 AND id = $2 AND user_id = $14`

// EditTrigger locks trigger id, which partner a may see, and asks edit
// what it says now (edit's error ends it, writing nothing). When that is
// not what it said, it keeps what it said as a version and writes the new:
// one statement that locks and reads, one batch that writes. NotFound when
// a may not see it, or (after edit, which may say so in its own words) when
// it is not a's.
func (db *DB) EditTrigger(ctx context.Context, a mend.PartnerAccess, id int64, edit func(old *mend.Trigger) (mend.Trigger, error)) (changed bool, err error) {
	err = db.InTx(ctx, func(tx pgx.Tx) error {
		old, err := scanTrigger(tx.QueryRow(ctx, lockTriggerSQL, a.CoupleID(), a.UserID(), id))
		if err != nil {
			return err
		}
		t, err := edit(&old)
		switch {
		case err != nil:
			return err
		case old.UserID != a.UserID():
			return mend.ErrNotFound
		case sameTrigger(&old, &t):
			return nil
		}
		changed = true
		b := &pgx.Batch{}
		b.Queue(keepTriggerVersionSQL, a.CoupleID(), id, old.OccurredAt, old.Category, old.Intensity, old.WhatHappened,
			old.Felt, old.Helped, old.Need, old.Visibility, old.UpdatedAt)
		b.Queue(updateTriggerSQL, a.CoupleID(), id, t.OccurredAt, t.LocalDay, t.LocalWeekday, t.LocalHour, t.Category,
			t.Intensity, t.WhatHappened, t.Felt, t.Helped, t.Need, t.Visibility, a.UserID())
		return tx.SendBatch(ctx, b).Close()
	})
	return changed && err == nil, err
}

// sameTrigger reports whether a and b say the same (what a version keeps).
func sameTrigger(a, b *mend.Trigger) bool {
	return a.OccurredAt.Equal(b.OccurredAt) && a.Category == b.Category && a.Intensity == b.Intensity &&
		a.WhatHappened == b.WhatHappened && a.Felt == b.Felt && a.Helped == b.Helped && a.Need == b.Need &&
		a.Visibility == b.Visibility
}

// triggerResponses are the responses a partner reader ($2) sees of trigger
// p (one they may see), as arrays in the order given: their own, and the
// other partner's to the reader's triggers while that partner is a current
// one.
const triggerResponses = `LEFT JOIN LATERAL (
  SELECT coalesce(array_agg(r.user_id ORDER BY r.id), '{}'), coalesce(array_agg(r.choice ORDER BY r.id), '{}'),
         coalesce(array_agg(r.body ORDER BY r.id), '{}'), coalesce(array_agg(r.did ORDER BY r.id), '{}'),
         coalesce(array_agg(r.updated_at ORDER BY r.id), '{}')
  FROM trigger_responses r
  WHERE r.couple_id = $1 AND r.trigger_id = p.id AND ` + answerVisible + `
) rs ON true`

// answerVisible: reader $2 sees a response or answer r to an entry p (a
// trigger, a disclosure) when it is theirs, or when it answers their own
// entry and was written in its writer's current membership.
const answerVisible = `(r.user_id = $2 OR (p.user_id = $2
    AND EXISTS (SELECT 1 FROM couple_members x WHERE x.couple_id = r.couple_id AND x.user_id = r.user_id AND x.left_at IS NULL AND r.created_at >= x.joined_at)))`

// Triggers returns up to limit triggers a may see, newest first, after
// (before, beforeID) in that order (zero for the newest) by who (” both,
// 'me', 'partner'; one trigger when id is not 0), with their responses for
// a partner (none for a therapist), in one round trip.
func (db *DB) Triggers(ctx context.Context, a mend.Reader, who mend.Who, id int64, before time.Time, beforeID int64, limit int) ([]mend.Trigger, error) {
	b := &batch{}
	ts := queueTriggers(b, a, who, id, before, beforeID, limit)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	return *ts, nil
}

// queueTriggers queues the query of Triggers; sending b fills the list.
func queueTriggers(b *batch, a mend.Reader, who mend.Who, id int64, before time.Time, beforeID int64, limit int) *[]mend.Trigger {
	scope, filter := triggersOf(a, who)
	if before.IsZero() {
		before, beforeID = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), 0
	}
	_, partner := a.(mend.PartnerAccess)
	page := `SELECT ` + triggerCols + ` ` + scope + whoFilter + ` AND ($4::bigint = 0 OR t.id = $4)
		AND (t.occurred_at < $5 OR (t.occurred_at = $5 AND t.id < $7))
		ORDER BY t.occurred_at DESC, t.id DESC LIMIT $6`
	if partner {
		page = `SELECT p.*, rs.* FROM (` + page + `) p ` + triggerResponses + `
		ORDER BY p.occurred_at DESC, p.id DESC`
	}
	b.Queue(page, a.CoupleID(), a.UserID(), filter, id, before, limit, beforeID)
	ts := &[]mend.Trigger{}
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		*ts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Trigger, error) {
			if !partner {
				return scanTrigger(r)
			}
			return scanTriggerWithResponses(r)
		})
		return err
	})
	return ts
}

// scanTriggerWithResponses reads a trigger and the arrays of triggerResponses.
func scanTriggerWithResponses(r pgx.Row) (mend.Trigger, error) {
	var t mend.Trigger
	var users []int64
	var choices, bodies, dids []string
	var ats []time.Time
	err := r.Scan(&t.ID, &t.CoupleID, &t.UserID, &t.OccurredAt, &t.LocalDay, &t.LocalWeekday, &t.LocalHour, &t.Category,
		&t.Intensity, &t.WhatHappened, &t.Felt, &t.Helped, &t.Need, &t.Visibility, &t.CreatedAt, &t.UpdatedAt,
		&users, &choices, &bodies, &dids, &ats)
	if err != nil {
		return t, err
	}
	for i := range users {
		t.Responses = append(t.Responses, mend.TriggerResponse{TriggerID: t.ID, UserID: users[i], Choice: choices[i],
			Body: bodies[i], Did: dids[i], At: ats[i]})
	}
	return t, nil
}

// The other partner (never the writer) responds to a trigger they may see.
const respondTriggerSQL = `
INSERT INTO trigger_responses (couple_id, trigger_id, user_id, choice, body, did)
SELECT $1, t.id, $2, $4, $5, $6 ` + triggerScope + ` AND t.id = $3 AND t.user_id <> $2
ON CONFLICT (couple_id, trigger_id, user_id) DO UPDATE SET choice = excluded.choice, body = excluded.body, did = excluded.did, updated_at = now()`

// RespondToTrigger records partner a's response to trigger id, replacing
// their earlier one. NotFound when it is a's own or a may not see it.
func (db *DB) RespondToTrigger(ctx context.Context, a mend.PartnerAccess, id int64, choice, body, did string) error {
	tag, err := db.Pool.Exec(ctx, respondTriggerSQL, a.CoupleID(), a.UserID(), id, choice, body, did)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoTriggerToRespond
	}
	return mapErr(err)
}

// Patterns aggregates, in one round trip, the triggers partner a may see
// by who (” both, 'me', 'partner') with local days from from to to: one
// scan groups them by week, by category and by weekday and band; the texts
// of what helped come back, newest first (Helped), with when the space
// began (Started).
func (db *DB) Patterns(ctx context.Context, a mend.Reader, who mend.Who, from, to, today time.Time) (*mend.Patterns, error) {
	b := &batch{}
	p := queuePatterns(b, a, who, from, to, today)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	return p, nil
}

// queuePatterns queues the queries of Patterns; sending b fills them in.
func queuePatterns(b *batch, a mend.Reader, who mend.Who, from, to, today time.Time) *mend.Patterns {
	scope, filter := triggersOf(a, who)
	in := scope + whoFilter + ` AND t.local_day BETWEEN $4 AND $5`
	b.Queue(`SELECT date_trunc('week', t.local_day)::date, t.category, t.local_weekday, t.local_hour / 6, count(*), avg(t.intensity)::float8 `+in+`
		GROUP BY GROUPING SETS ((1), (2), (3, 4))`, a.CoupleID(), a.UserID(), filter, from, to)
	b.Queue(`SELECT btrim(t.helped) `+in+` AND btrim(t.helped) <> '' ORDER BY t.occurred_at DESC, t.id DESC`, a.CoupleID(), a.UserID(), filter, from, to)
	b.Queue(`SELECT count(*) FILTER (WHERE t.local_day > $4::date - 28), coalesce(avg(t.intensity) FILTER (WHERE t.local_day > $4::date - 28), 0)::float8,
		count(*) FILTER (WHERE t.local_day <= $4::date - 28), coalesce(avg(t.intensity) FILTER (WHERE t.local_day <= $4::date - 28), 0)::float8,
		coalesce((SELECT c.created_at FROM couples c WHERE c.id = $1), now())
		`+scope+whoFilter+` AND t.local_day > $4::date - 56 AND t.local_day <= $4`, a.CoupleID(), a.UserID(), filter, today)
	p := &mend.Patterns{}
	b.then(func(res pgx.BatchResults) error { return readPatterns(res, p) })
	return p
}

func readPatterns(res pgx.BatchResults, p *mend.Patterns) error {
	rows, err := res.Query()
	if err != nil {
		return err
	}
	var week *time.Time
	var cat *string
	var day, band *int
	var n int
	var avg float64
	if _, err := pgx.ForEachRow(rows, []any{&week, &cat, &day, &band, &n, &avg}, func() error {
		switch {
		case week != nil:
			p.Weeks = append(p.Weeks, mend.WeekStat{Week: *week, Count: n, Intensity: avg})
		case cat != nil:
			p.Categories = append(p.Categories, mend.Count{Key: *cat, Count: n})
		case day != nil && band != nil:
			p.Heat = append(p.Heat, mend.HeatCell{Weekday: *day, Band: *band, Count: n})
		}
		return nil
	}); err != nil {
		return err
	}
	sort.Slice(p.Weeks, func(i, j int) bool { return p.Weeks[i].Week.Before(p.Weeks[j].Week) })
	sort.Slice(p.Categories, func(i, j int) bool {
		if p.Categories[i].Count != p.Categories[j].Count {
			return p.Categories[i].Count > p.Categories[j].Count
		}
		return p.Categories[i].Key < p.Categories[j].Key
	})
	if rows, err = res.Query(); err != nil {
		return err
	}
	if p.Helped, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return err
	}
	return res.QueryRow().Scan(&p.Recent.Count, &p.Recent.Intensity, &p.Before.Count, &p.Before.Intensity, &p.Started)
}

// hardDateScope is the hard dates of couple $1 for partner $2: those of the
// current pair. A date added by the first partner before the other joined
// stays (the day it came to light is often added first); one from before a
// partner left belonged to the earlier pair and goes.
const hardDateScope = `FROM hard_dates h
JOIN couple_members me ON me.couple_id = h.couple_id AND me.user_id = $2 AND me.left_at IS NULL
WHERE h.couple_id = $1
  AND h.created_at >= ` + sinceLastLeft

// HardDates returns the couple's hard dates as partner a sees them.
func (db *DB) HardDates(ctx context.Context, a mend.PartnerAccess) ([]mend.HardDate, error) {
	b := &batch{}
	ds := queueHardDates(b, a)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	return *ds, nil
}

// queueHardDates queues the query of HardDates; sending b fills the list.
func queueHardDates(b *batch, a mend.PartnerAccess) *[]mend.HardDate {
	b.Queue(`SELECT h.id, h.label, h.on_date, h.yearly, coalesce(h.created_by, 0), h.created_at, h.plan `+hardDateScope+`
		ORDER BY extract(month FROM h.on_date), extract(day FROM h.on_date), h.id`, a.CoupleID(), a.UserID())
	ds := &[]mend.HardDate{}
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		*ds, err = pgx.CollectRows(rows, pgx.RowToStructByPos[mend.HardDate])
		return err
	})
	return ds
}

// addHardDateSQL adds a hard date ($4…) under the writer's lock, with its
// form's key: see lockedForm.
const addHardDateSQL = lockedForm + `,
h AS (INSERT INTO hard_dates (couple_id, label, on_date, yearly, created_by)
  SELECT $1, $4, $5, $6, $2 WHERE ` + formFresh + `)
SELECT ` + lockedFormResult

// AddHardDate adds a hard date for partner a's couple, in one round trip.
// mend.ErrFormUsed when formKey was used already.
func (db *DB) AddHardDate(ctx context.Context, a mend.PartnerAccess, d mend.HardDate, formKey []byte) error {
	var partner, fresh bool
	err := db.Pool.QueryRow(ctx, addHardDateSQL, a.CoupleID(), a.UserID(), keyArg(formKey), d.Label, d.Date, d.Yearly).Scan(&partner, &fresh)
	return lockedFormErr(err, partner, fresh)
}

// SetHardDatePlan writes the plan of hard date id of partner a's couple;
// NotFound when a may not see it.
func (db *DB) SetHardDatePlan(ctx context.Context, a mend.PartnerAccess, id int64, plan string) error {
	tag, err := db.Pool.Exec(ctx, `UPDATE hard_dates SET plan = $4 WHERE couple_id = $1 AND id = $3 AND id IN (SELECT h.id `+hardDateScope+`)`,
		a.CoupleID(), a.UserID(), id, plan)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoHardDate
	}
	return mapErr(err)
}

// RemoveHardDate removes hard date id of partner a's couple; NotFound when
// a may not see it.
func (db *DB) RemoveHardDate(ctx context.Context, a mend.PartnerAccess, id int64) error {
	tag, err := db.Pool.Exec(ctx, `DELETE FROM hard_dates WHERE id = $3 AND id IN (SELECT h.id `+hardDateScope+`)`, a.CoupleID(), a.UserID(), id)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNoHardDate
	}
	return mapErr(err)
}
