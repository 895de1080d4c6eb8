package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// Choices count only from their author's current membership: a partner
// who leaves and comes back starts again from "not shared".
const defaultsSQL = `
SELECT DISTINCT ON (e.user_id, e.kind) e.user_id, e.kind, e.shared
FROM consent_events e ` + currentEra + `
WHERE e.couple_id = $1 AND ` + guardAny + `
ORDER BY e.user_id, e.kind, e.at DESC, e.id DESC`

func collectDefaults(rows pgx.Rows) (mend.Defaults, error) {
	d := mend.Defaults{}
	var user int64
	var kind string
	var shared bool
	_, err := pgx.ForEachRow(rows, []any{&user, &kind, &shared}, func() error {
		if d[user] == nil {
			d[user] = map[string]bool{}
		}
		d[user][kind] = shared
		return nil
	})
	return d, mapErr(err)
}

// recordConsentSQL records partner $2's choices $4 for kinds $3, one row
// per kind whose choice differs from their current one (none: not shared),
// read in the same statement. It runs after lockMembership, in the same
// transaction, so it reads every choice committed before the lock.
const recordConsentSQL = `
INSERT INTO consent_events (couple_id, user_id, kind, shared)
SELECT $1, $2, k.kind, k.shared FROM unnest($3::text[], $4::boolean[]) WITH ORDINALITY AS k(kind, shared, n)
WHERE k.shared IS DISTINCT FROM coalesce((SELECT e.shared FROM consent_events e ` + currentEra + `
  WHERE e.couple_id = $1 AND e.user_id = $2 AND e.kind = k.kind ORDER BY e.at DESC, e.id DESC LIMIT 1), false)
ORDER BY k.n`

// SetConsent records partner a's choices, one row per kind whose choice
// changed (kinds missing from shared are not shared). Under a lock on a's
// membership, so the same form sent twice at once records one change; in
// one statement after the lock, however many kinds there are.
// It returns how many choices changed.
func (db *DB) SetConsent(ctx context.Context, a mend.PartnerAccess, kinds []string, shared map[string]bool) (int, error) {
	changed := 0
	on := make([]bool, len(kinds))
	for i, k := range kinds {
		on[i] = shared[k]
	}
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		if err := lockMembership(ctx, tx, a); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, recordConsentSQL, a.CoupleID(), a.UserID(), kinds, on)
		changed = int(tag.RowsAffected())
		return err
	})
	return changed, err
}

// A partner sees the choices of the current partners made since they
// themselves joined: nothing of a pair they were not part of.
const consentHistorySQL = consentAllSQL + `
LIMIT 100`

// consentAllSQL is every such choice, newest first (for an export).
const consentAllSQL = `
SELECT e.user_id, u.name, e.kind, e.shared, e.at
FROM consent_events e ` + currentEra + ` JOIN users u ON u.id = e.user_id
WHERE e.couple_id = $1 AND ` + guardPartner + ` AND e.at >= ` + readerJoined + `
ORDER BY e.at DESC, e.id DESC`

const linkCols = `l.id, l.couple_id, coalesce(l.therapist_id, 0), coalesce(u.professional_name, '` + mend.DeletedTherapist + `'),
  coalesce(u.name, '` + mend.DeletedTherapist + `'), coalesce(l.invited_by, 0), l.started_at, coalesce(l.agreed_by, 0), l.agreed_at, l.ended_at, l.ended_by`

// activeLinkSQL is the therapist who can read now: both partners agreed
// and nobody ended the link.
const activeLinkSQL = `
SELECT ` + linkCols + `
FROM therapist_links l LEFT JOIN users u ON u.id = l.therapist_id
WHERE l.couple_id = $1 AND l.ended_at IS NULL AND l.agreed_at IS NOT NULL AND ` + guardAny

// pendingLinkSQL is the link that waits for the other partner's agreement;
// only the partners see it (a pending therapist has no access at all).
const pendingLinkSQL = `
SELECT ` + linkCols + `
FROM therapist_links l LEFT JOIN users u ON u.id = l.therapist_id
WHERE l.couple_id = $1 AND l.ended_at IS NULL AND l.agreed_at IS NULL AND ` + guardPartner

const linkHistorySQL = `
SELECT ` + linkCols + `
FROM therapist_links l LEFT JOIN users u ON u.id = l.therapist_id
WHERE l.couple_id = $1 AND ` + guardPartner + ` AND coalesce(l.ended_at, 'infinity') >= ` + readerJoined + `
ORDER BY l.started_at DESC
LIMIT 20`

// viewRows is how many of the latest therapist views the Sharing page
// reads: enough for mend.MaxVisits visits of a few pages each, and a
// bounded read however long the log grows. Every row stays in the table.
const viewRows = 2000

// viewsSQL reads the latest $3 views by therapist_views_couple_idx, newest
// first, since the reader joined: a partner never sees views from before
// they were in the couple.
const viewsSQL = `
SELECT coalesce(v.therapist_id, 0), coalesce(u.name, '` + mend.DeletedTherapist + `'), v.kind, v.viewed_at
FROM therapist_views v LEFT JOIN users u ON u.id = v.therapist_id
WHERE v.couple_id = $1 AND ` + guardPartner + ` AND v.viewed_at >= ` + readerJoined + `
ORDER BY v.viewed_at DESC, v.id DESC
LIMIT $3`

func scanLink(r pgx.Row) (mend.TherapistLink, error) {
	var l mend.TherapistLink
	err := r.Scan(&l.ID, &l.CoupleID, &l.TherapistID, &l.ProfessionalName, &l.TherapistName, &l.InvitedBy, &l.StartedAt, &l.AgreedBy, &l.AgreedAt, &l.EndedAt, &l.EndedBy)
	return l, err
}

// scanOptionalLink is the link in r, or nil when there is none.
func scanOptionalLink(r pgx.Row) (*mend.TherapistLink, error) {
	l, err := scanLink(r)
	switch {
	case err == nil:
		return &l, nil
	case errors.Is(err, pgx.ErrNoRows):
		return nil, nil
	}
	return nil, mapErr(err)
}

// Sharing loads the sharing page of partner a in one round trip.
func (db *DB) Sharing(ctx context.Context, a mend.PartnerAccess, now time.Time) (*mend.Sharing, error) {
	b := &pgx.Batch{}
	b.Queue(defaultsSQL, a.CoupleID(), a.UserID())
	b.Queue(consentHistorySQL, a.CoupleID(), a.UserID())
	b.Queue(activeLinkSQL, a.CoupleID(), a.UserID())
	b.Queue(pendingLinkSQL, a.CoupleID(), a.UserID())
	b.Queue(linkHistorySQL, a.CoupleID(), a.UserID())
	b.Queue(openInviteSQL, a.CoupleID(), a.UserID(), mend.InviteTherapist, now)
	b.Queue(viewsSQL, a.CoupleID(), a.UserID(), viewRows+1) // the extra one says that older ones exist
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()

	s := &mend.Sharing{}
	rows, err := res.Query()
	if err != nil {
		return nil, mapErr(err)
	}
	if s.Defaults, err = collectDefaults(rows); err != nil {
		return nil, err
	}
	if rows, err = res.Query(); err != nil {
		return nil, mapErr(err)
	}
	if s.History, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.ConsentEvent, error) {
		var e mend.ConsentEvent
		err := r.Scan(&e.UserID, &e.Name, &e.Kind, &e.Shared, &e.At)
		return e, err
	}); err != nil {
		return nil, mapErr(err)
	}
	if s.Link, err = scanOptionalLink(res.QueryRow()); err != nil {
		return nil, err
	}
	if s.Pending, err = scanOptionalLink(res.QueryRow()); err != nil {
		return nil, err
	}
	if rows, err = res.Query(); err != nil {
		return nil, mapErr(err)
	}
	if s.Links, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.TherapistLink, error) { return scanLink(r) }); err != nil {
		return nil, mapErr(err)
	}
	switch inv, err := scanInvite(res.QueryRow()); {
	case err == nil:
		s.TherapistInvite = inv
	case !IsNotFound(err):
		return nil, err
	}
	if rows, err = res.Query(); err != nil {
		return nil, mapErr(err)
	}
	if s.Views, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.TherapistView, error) {
		var v mend.TherapistView
		err := r.Scan(&v.TherapistID, &v.TherapistName, &v.Kind, &v.At)
		return v, err
	}); err != nil {
		return nil, mapErr(err)
	}
	if len(s.Views) > viewRows {
		s.Views, s.MoreViews = s.Views[:viewRows], true
	}
	return s, nil
}

// ActiveLink returns the therapist who can read the couple's entries now
// (both partners agreed, and nobody ended the link), or NotFound. A pending
// link is not one: see PendingLink.
func (db *DB) ActiveLink(ctx context.Context, a mend.Reader) (*mend.TherapistLink, error) {
	l, err := scanLink(db.Pool.QueryRow(ctx, activeLinkSQL, a.CoupleID(), a.UserID()))
	if err != nil {
		return nil, mapErr(err)
	}
	return &l, nil
}

const endLinkSQL = `
UPDATE therapist_links SET ended_at = now(), ended_by = $2
WHERE couple_id = $1 AND ended_at IS NULL AND ` + guardPartner

// EndLink ends the couple's therapist link, pending or agreed, at partner
// a's request. It returns false when no therapist was linked.
func (db *DB) EndLink(ctx context.Context, a mend.PartnerAccess) (bool, error) {
	tag, err := db.Pool.Exec(ctx, endLinkSQL, a.CoupleID(), a.UserID())
	return tag.RowsAffected() > 0, mapErr(err)
}

// The other partner agrees: not the one who invited, and only while the
// one who invited is still in the space (if they left, the link ended).
const agreeLinkSQL = `
UPDATE therapist_links l SET agreed_at = now(), agreed_by = $2
WHERE l.couple_id = $1 AND l.id = $3 AND l.ended_at IS NULL AND l.agreed_at IS NULL
  AND l.invited_by <> $2 AND ` + guardPartner + `
  AND EXISTS (SELECT 1 FROM couple_members i WHERE i.couple_id = $1 AND i.user_id = l.invited_by AND i.left_at IS NULL)`

// AgreeToLink records partner a's agreement to the pending link linkID,
// which the other partner made: from then on the therapist has access. The
// couple is locked first, as for joining and leaving. It returns
// mend.ErrNothingToAgree when no such link waits for a.
func (db *DB) AgreeToLink(ctx context.Context, a mend.PartnerAccess, linkID int64) error {
	return db.InTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockCoupleSQL, a.CoupleID()); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, agreeLinkSQL, a.CoupleID(), a.UserID(), linkID)
		if err == nil && tag.RowsAffected() != 1 {
			return mend.ErrNothingToAgree
		}
		return err
	})
}

const declineLinkSQL = `
UPDATE therapist_links SET ended_at = now(), ended_by = $2
WHERE couple_id = $1 AND id = $3 AND ended_at IS NULL AND agreed_at IS NULL AND ` + guardPartner

// DeclineLink ends the pending link linkID at partner a's request. It
// returns false when that link no longer waits.
func (db *DB) DeclineLink(ctx context.Context, a mend.PartnerAccess, linkID int64) (bool, error) {
	tag, err := db.Pool.Exec(ctx, declineLinkSQL, a.CoupleID(), a.UserID(), linkID)
	return tag.RowsAffected() > 0, mapErr(err)
}

const withdrawLinkSQL = `
UPDATE therapist_links SET ended_at = now(), ended_by = $2
WHERE id = $1 AND therapist_id = $2 AND ended_at IS NULL AND agreed_at IS NULL`

// WithdrawPending ends therapistID's own pending link linkID: a therapist
// who accepted an invite may step back before the couple agrees. NotFound
// for any other link, including one both partners agreed to (that is
// StepAway, with an access).
func (db *DB) WithdrawPending(ctx context.Context, therapistID, linkID int64) error {
	tag, err := db.Pool.Exec(ctx, withdrawLinkSQL, linkID, therapistID)
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNotFound
	}
	return mapErr(err)
}

const stepAwaySQL = `
UPDATE therapist_links SET ended_at = now(), ended_by = $2
WHERE couple_id = $1 AND therapist_id = $2 AND ended_at IS NULL AND agreed_at IS NOT NULL`

// StepAway ends therapist a's own active link to the couple.
func (db *DB) StepAway(ctx context.Context, a mend.TherapistAccess) error {
	tag, err := db.Pool.Exec(ctx, stepAwaySQL, a.CoupleID(), a.UserID())
	if err == nil && tag.RowsAffected() == 0 {
		return mend.ErrNotFound
	}
	return mapErr(err)
}
