package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

const inviteColumns = `i.id, i.couple_id, i.kind, coalesce(i.created_by, 0), i.created_at, i.expires_at, i.used_at, i.revoked_at`

func scanInvite(row pgx.Row, extra ...any) (*mend.Invite, error) {
	var i mend.Invite
	dest := append([]any{&i.ID, &i.CoupleID, &i.Kind, &i.CreatedBy, &i.CreatedAt, &i.ExpiresAt, &i.UsedAt, &i.RevokedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, mapErr(err)
	}
	return &i, nil
}

const openInviteSQL = `
SELECT ` + inviteColumns + ` FROM invites i
WHERE i.couple_id = $1 AND i.kind = $3 AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $4
  AND ` + guardPartner + `
ORDER BY i.created_at DESC LIMIT 1`

// OpenInvite returns the couple's open invite of kind at now, or NotFound.
func (db *DB) OpenInvite(ctx context.Context, a mend.PartnerAccess, kind mend.InviteKind, now time.Time) (*mend.Invite, error) {
	return scanInvite(db.Pool.QueryRow(ctx, openInviteSQL, a.CoupleID(), a.UserID(), kind, now))
}

const revokeInvitesSQL = `
UPDATE invites SET revoked_at = now()
WHERE couple_id = $1 AND kind = $3 AND used_at IS NULL AND revoked_at IS NULL AND ` + guardPartner

const createInviteSQL = `
INSERT INTO invites AS i (couple_id, kind, token_hash, created_by, expires_at)
SELECT $1, $3, $4, $2, $5 WHERE ` + guardPartner + `
RETURNING ` + inviteColumns

// CreateInvite makes a new invite of kind for partner a's couple, cancelling
// any earlier open one of that kind.
func (db *DB) CreateInvite(ctx context.Context, a mend.PartnerAccess, kind mend.InviteKind, tokenHash []byte, expires time.Time) (*mend.Invite, error) {
	var inv *mend.Invite
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		// One new link at a time per couple, so that taps at the same
		// moment still leave exactly one link open.
		if _, err := tx.Exec(ctx, lockCoupleSQL, a.CoupleID()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, revokeInvitesSQL, a.CoupleID(), a.UserID(), kind); err != nil {
			return err
		}
		var err error
		inv, err = scanInvite(tx.QueryRow(ctx, createInviteSQL, a.CoupleID(), a.UserID(), kind, tokenHash, expires))
		return err
	})
	return inv, err
}

// RevokeInvites cancels the couple's open invites of kind. It returns how
// many it cancelled.
func (db *DB) RevokeInvites(ctx context.Context, a mend.PartnerAccess, kind mend.InviteKind) (int64, error) {
	tag, err := db.Pool.Exec(ctx, revokeInvitesSQL, a.CoupleID(), a.UserID(), kind)
	return tag.RowsAffected(), mapErr(err)
}

const inviteByTokenSQL = `
SELECT ` + inviteColumns + `, coalesce(u.name, ''), coalesce(t.professional_name, ''), coalesce(l.agreed_at IS NULL, false)
FROM invites i LEFT JOIN users u ON u.id = i.created_by
LEFT JOIN therapist_links l ON l.couple_id = i.couple_id AND l.ended_at IS NULL
LEFT JOIN users t ON t.id = l.therapist_id
WHERE i.token_hash = $1`

// InviteByToken returns the invite with tokenHash, or ErrInviteUnknown.
// Whoever holds the token may know what it says: it was sent to them to join.
func (db *DB) InviteByToken(ctx context.Context, tokenHash []byte) (*mend.InviteInfo, error) {
	i := &mend.InviteInfo{}
	var err error
	i.Invite, err = scanInvite(db.Pool.QueryRow(ctx, inviteByTokenSQL, tokenHash), &i.Inviter, &i.Therapist, &i.TherapistPending)
	if IsNotFound(err) {
		return nil, mend.ErrInviteUnknown
	}
	if err != nil {
		return nil, err
	}
	return i, nil
}

const lockInviteSQL = `SELECT ` + inviteColumns + ` FROM invites i WHERE i.token_hash = $1 FOR UPDATE`
const useInviteSQL = `UPDATE invites SET used_at = now(), used_by = $2 WHERE id = $1`

// A couple has one link at a time, pending or agreed.
const linkExistsSQL = `SELECT EXISTS (SELECT 1 FROM therapist_links WHERE couple_id = $1 AND ended_at IS NULL)`
const showContextSQL = `UPDATE couple_context SET shown_to = $2 WHERE couple_id = $1 AND shown_to IS NULL AND author_id <> $2`
const addLinkSQL = `INSERT INTO therapist_links (couple_id, therapist_id, invited_by) VALUES ($1, $2, nullif($3::bigint, 0))`

// useInvite locks the open invite of kind with tokenHash and its couple
// inside tx, checks it may be used at now, runs join, and marks it used.
func (db *DB) useInvite(ctx context.Context, tokenHash []byte, kind mend.InviteKind, userID int64, now time.Time,
	join func(tx pgx.Tx, inv *mend.Invite) error) (int64, error) {
	var coupleID int64
	err := db.InTx(ctx, func(tx pgx.Tx) error {
		inv, err := scanInvite(tx.QueryRow(ctx, lockInviteSQL, tokenHash))
		if IsNotFound(err) {
			return mend.ErrInviteUnknown
		}
		if err != nil {
			return err
		}
		if err := mend.InviteError(inv.State(now)); err != nil {
			return err
		}
		if inv.Kind != kind {
			return mend.ErrWrongInviteFor
		}
		// One joiner at a time per couple: the partner count and the
		// therapist link are checked and changed under this lock.
		if _, err := tx.Exec(ctx, lockCoupleSQL, inv.CoupleID); err != nil {
			return err
		}
		if err := join(tx, inv); err != nil {
			return err
		}
		coupleID = inv.CoupleID
		_, err = tx.Exec(ctx, useInviteSQL, inv.ID, userID)
		return err
	})
	return coupleID, err
}

// JoinCouple makes userID the second partner of the couple that the partner
// invite tokenHash belongs to. Errors: the invite errors of mend,
// ErrSpaceFull, mend.ErrAlreadyInSpace.
func (db *DB) JoinCouple(ctx context.Context, userID int64, tokenHash []byte, now time.Time) (mend.PartnerAccess, error) {
	defer membershipChanged(ctx)
	coupleID, err := db.useInvite(ctx, tokenHash, mend.InvitePartner, userID, now, func(tx pgx.Tx, inv *mend.Invite) error {
		coupleID := inv.CoupleID
		if err := lockPartner(ctx, tx, userID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, membersLeftSQL, coupleID).Scan(&n); err != nil {
			return err
		}
		if n >= 2 {
			return mend.ErrSpaceFull
		}
		if _, err := tx.Exec(ctx, addMemberSQL, coupleID, userID); err != nil {
			return err
		}
		// The context was written about this pair: the first partner to
		// join may see it, nobody who comes later.
		_, err := tx.Exec(ctx, showContextSQL, coupleID, userID)
		return err
	})
	switch {
	case isUnique(err, "couple_members_one_space_idx"):
		return mend.PartnerAccess{}, mend.ErrAlreadyInSpace
	case err != nil:
		return mend.PartnerAccess{}, err
	}
	return mend.StoreOnlyPartnerAccess(coupleID, userID), nil
}

// LinkTherapist links therapistID to the couple that the therapist invite
// tokenHash belongs to. The link is pending: it gives no access until the
// partner who did not invite agrees. It returns the couple's id (for the
// log; it is no access). Errors: the invite errors of mend, ErrHasTherapist
// (also while another link waits for agreement).
func (db *DB) LinkTherapist(ctx context.Context, therapistID int64, tokenHash []byte, now time.Time) (int64, error) {
	coupleID, err := db.useInvite(ctx, tokenHash, mend.InviteTherapist, therapistID, now, func(tx pgx.Tx, inv *mend.Invite) error {
		var linked bool
		if err := tx.QueryRow(ctx, linkExistsSQL, inv.CoupleID).Scan(&linked); err != nil {
			return err
		}
		if linked {
			return mend.ErrHasTherapist
		}
		_, err := tx.Exec(ctx, addLinkSQL, inv.CoupleID, therapistID, inv.CreatedBy)
		return err
	})
	if isUnique(err, "therapist_links_one_active_idx") {
		return 0, mend.ErrHasTherapist
	}
	return coupleID, err
}
