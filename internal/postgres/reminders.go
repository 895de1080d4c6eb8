package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

const reminderSettingsSQL = `
SELECT checkin, to_char(checkin_at, 'HH24:MI'), partner, hard_dates FROM reminder_settings WHERE user_id = $1`

// ReminderSettings returns the reminders user asked for; a person who never
// saved them has every one off.
func (db *DB) ReminderSettings(ctx context.Context, userID int64) (mend.ReminderSettings, error) {
	s := mend.ReminderSettings{CheckinAt: mend.DefaultReminderTime}
	err := db.Pool.QueryRow(ctx, reminderSettingsSQL, userID).Scan(&s.Checkin, &s.CheckinAt, &s.Partner, &s.HardDates)
	if err == pgx.ErrNoRows {
		return s, nil
	}
	return s, mapErr(err)
}

// Partner notices are about what happens after they were turned on, so
// partner_since moves when they are turned on, not when saved again.
// So does checkin_since when the check-in reminder is turned on or its
// time changes.
const saveReminderSettingsSQL = `
INSERT INTO reminder_settings (user_id, checkin, checkin_at, checkin_since, partner, partner_since, hard_dates, updated_at)
VALUES ($1, $2, $3::time, $6, $4, CASE WHEN $4 THEN $6::timestamptz END, $5, $6)
ON CONFLICT (user_id) DO UPDATE SET checkin = EXCLUDED.checkin, checkin_at = EXCLUDED.checkin_at,
  partner = EXCLUDED.partner, hard_dates = EXCLUDED.hard_dates, updated_at = EXCLUDED.updated_at,
  checkin_since = CASE WHEN (EXCLUDED.checkin AND NOT reminder_settings.checkin) OR EXCLUDED.checkin_at <> reminder_settings.checkin_at
                       THEN EXCLUDED.checkin_since ELSE reminder_settings.checkin_since END,
  partner_since = CASE WHEN EXCLUDED.partner AND NOT reminder_settings.partner THEN EXCLUDED.partner_since
                       ELSE reminder_settings.partner_since END`

// SaveReminderSettings stores s as user's reminders, at at.
func (db *DB) SaveReminderSettings(ctx context.Context, userID int64, s mend.ReminderSettings, at time.Time) error {
	_, err := db.Pool.Exec(ctx, saveReminderSettingsSQL, userID, s.Checkin, s.CheckinAt, s.Partner, s.HardDates, at)
	return mapErr(err)
}

// turnOffSQL turns one setting off; the column comes from this fixed map.
var turnOffSQL = map[mend.ReminderSetting]string{
	mend.SettingCheckin:   `UPDATE reminder_settings SET checkin = false, updated_at = $2 WHERE user_id = $1`,
	mend.SettingPartner:   `UPDATE reminder_settings SET partner = false, updated_at = $2 WHERE user_id = $1`,
	mend.SettingHardDates: `UPDATE reminder_settings SET hard_dates = false, updated_at = $2 WHERE user_id = $1`,
}

// TurnOffReminder turns setting off for user (nothing to do when it is off
// or the person is gone).
func (db *DB) TurnOffReminder(ctx context.Context, userID int64, setting mend.ReminderSetting, at time.Time) error {
	q, ok := turnOffSQL[setting]
	if !ok {
		return fmt.Errorf("unknown reminder setting %q", setting)
	}
	_, err := db.Pool.Exec(ctx, q, userID, at)
	return mapErr(err)
}

// localDay and localTime are a person's day and time of day at $1, on
// their own clock (daylight saving included).
const (
	localDay  = `($1::timestamptz AT TIME ZONE u.time_zone)::date`
	localTime = `($1::timestamptz AT TIME ZONE u.time_zone)::time`
)

// claimSQL is, for each kind, who is due one now ($1) and has not had one
// this local day: it records the day for them (the insert that succeeds is
// the one that writes the email, so two Mend processes never both do) and
// returns who they are. $2 is the kind. Every kind is for a partner in a
// space, found through the people who turned that reminder on.
var claimSQL = map[mend.ReminderKind]string{
	// The check-in reminder: the chosen time has come today and there is no
	// check-in of today yet. A time that does not exist on a spring-forward
	// day has come once the clock jumped past it; on a fall-back day the
	// day's row stops the second pass.
	// A time already past when the reminder was turned on (or moved) waits
	// for the next day.
	mend.RemindCheckin: claim(`s.checkin AND `+localTime+` >= s.checkin_at
	  AND (s.checkin_since IS NULL OR (s.checkin_since AT TIME ZONE u.time_zone) < `+localDay+` + s.checkin_at)
	  AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.couple_id = m.couple_id AND c.user_id = u.id AND c.day = `+localDay+`)`, false),
	// A hard date of the current pair falls three days from today.
	mend.RemindHardDate: claim(`s.hard_dates AND EXISTS (
	    SELECT 1 FROM hard_dates h
	    WHERE h.couple_id = m.couple_id
	      AND h.created_at >= coalesce((SELECT max(x.left_at) FROM couple_members x WHERE x.couple_id = m.couple_id), '-infinity')
	      AND (h.on_date = `+localDay+` + 3 OR (h.yearly AND extract(year FROM `+localDay+` + 3) >= extract(year FROM h.on_date) AND
	        CASE WHEN to_char(h.on_date, 'MM-DD') = '02-29' THEN make_date(extract(year FROM `+localDay+` + 3)::int, 3, 1) - 1
	             ELSE make_date(extract(year FROM `+localDay+` + 3)::int, extract(month FROM h.on_date)::int, extract(day FROM h.on_date)::int) END
	        = `+localDay+` + 3)))`, false),
	// The partner proposed a commitment (or a change to one).
	mend.RemindPartnerCommitment: claim(`s.partner AND EXISTS (
	    SELECT 1 FROM commitment_versions v
	    WHERE v.couple_id = m.couple_id AND v.proposed_by = p.user_id AND v.created_at > `+partnerSince+` `+perPerson+`)`, true),
	// The partner answered my check-in or my disclosure.
	mend.RemindPartnerAnswer: claim(`s.partner AND (EXISTS (
	    SELECT 1 FROM checkin_acks a JOIN checkins c ON c.couple_id = a.couple_id AND c.id = a.checkin_id
	    WHERE a.couple_id = m.couple_id AND a.user_id = p.user_id AND c.user_id = u.id AND a.updated_at > `+partnerSince+` `+perPerson+`)
	  OR EXISTS (
	    SELECT 1 FROM disclosure_answers a JOIN disclosures d ON d.couple_id = a.couple_id AND d.id = a.disclosure_id
	    WHERE a.couple_id = m.couple_id AND a.user_id = p.user_id AND d.user_id = u.id AND a.created_at > `+partnerSince+` `+perPerson+`))`, true),
	// The partner responded to my trigger.
	mend.RemindPartnerTrigger: claim(`s.partner AND EXISTS (
	    SELECT 1 FROM trigger_responses r JOIN triggers t ON t.couple_id = r.couple_id AND t.id = r.trigger_id
	    WHERE r.couple_id = m.couple_id AND r.user_id = p.user_id AND t.user_id = u.id AND r.updated_at > `+partnerSince+` `+perPerson+`)`, true),
}

// perPerson ends a correlated EXISTS so that it stays a lookup per person
// who opted in (by couple_id, through an index): PostgreSQL does not turn
// a subquery with an OFFSET into a join, which for a few hundred people
// it would plan as reading a whole table of every couple's rows.
const perPerson = `OFFSET 0`

// partnerSince is the moment after which a partner's action is news: the
// latest of when notices were turned on, the last notice of this kind and
// a day ago (a notice never tells of older things).
const partnerSince = `greatest(s.partner_since, $1::timestamptz - interval '1 day',
	(SELECT max(r.sent_at) FROM reminders_sent r WHERE r.user_id = u.id AND r.kind = $2))`

// claim builds a kind's claim from its condition on s (the settings), u
// (the person), m (their membership) and, withPartner, p (the partner's).
func claim(cond string, withPartner bool) string {
	partner, partnerName := "", "''"
	if withPartner {
		partner = `
	  JOIN couple_members p ON p.couple_id = m.couple_id AND p.user_id <> u.id AND p.left_at IS NULL
	  JOIN users pu ON pu.id = p.user_id`
		partnerName = "pu.name"
	}
	return `
WITH due AS (
	SELECT u.id, u.email, ` + localDay + ` AS day, ` + partnerName + ` AS partner_name
	FROM reminder_settings s
	  JOIN users u ON u.id = s.user_id
	  JOIN couple_members m ON m.user_id = u.id AND m.left_at IS NULL` + partner + `
	WHERE ` + cond + `
	  AND NOT EXISTS (SELECT 1 FROM reminders_sent r WHERE r.user_id = u.id AND r.kind = $2 AND r.day = ` + localDay + `)
), sent AS (
	INSERT INTO reminders_sent (user_id, kind, day, sent_at)
	SELECT id, $2, day, $1 FROM due
	ON CONFLICT DO NOTHING
	RETURNING user_id
)
SELECT due.id, due.email, due.day, due.partner_name FROM sent JOIN due ON due.id = sent.user_id`
}

const enqueueEmailsSQL = `
INSERT INTO outbox (user_id, to_address, subject, body, unsubscribe_url, created_at, next_attempt_at)
SELECT e.user_id, e.to_address, e.subject, e.body, nullif(e.unsubscribe_url, ''), $6, $6
FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) AS e (user_id, to_address, subject, body, unsubscribe_url)`

// QueueReminders writes the reminders of kind due at now to the outbox,
// each email made by write, in one transaction with the record that it was
// sent that local day: at most one of a kind per person and day, however
// many processes run this at once. It returns how many it wrote.
func (db *DB) QueueReminders(ctx context.Context, kind mend.ReminderKind, now time.Time, write func(mend.ReminderDue) mend.Email) (int, error) {
	q, ok := claimSQL[kind]
	if !ok {
		return 0, fmt.Errorf("unknown reminder kind %q", kind)
	}
	n := 0
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, q, now, string(kind))
		if err != nil {
			return err
		}
		due, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.ReminderDue, error) {
			var d mend.ReminderDue
			err := r.Scan(&d.UserID, &d.Email, &d.Day, &d.PartnerName)
			return d, err
		})
		if err != nil || len(due) == 0 {
			return err
		}
		var ids []int64
		var to, subjects, bodies, unsub []string
		for _, d := range due {
			e := write(d)
			ids, to, subjects, bodies, unsub = append(ids, d.UserID), append(to, d.Email), append(subjects, e.Subject), append(bodies, e.Body), append(unsub, e.UnsubscribeURL)
		}
		n = len(due)
		_, err = tx.Exec(ctx, enqueueEmailsSQL, ids, to, subjects, bodies, unsub, now)
		return err
	})
	return n, err
}

// DeleteRemindersSentBefore forgets the record of reminders sent on local
// days before day.
func (db *DB) DeleteRemindersSentBefore(ctx context.Context, day time.Time) (int64, error) {
	tag, err := db.Pool.Exec(ctx, `DELETE FROM reminders_sent WHERE day < $1`, day)
	return tag.RowsAffected(), mapErr(err)
}
