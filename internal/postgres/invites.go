package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

const inviteColumns = `i.id, i.couple_id, i.kind, coalesce(i.created_by, 0), i.created_at, i.expires_at, i.used_at, coalesce(i.used_by, 0), i.revoked_at`

func scanInvite(row pgx.Row, extra ...any) (*mend.Invite, error) {
	var i mend.Invite
	dest := append([]any{&i.ID, &i.CoupleID, &i.Kind, &i.CreatedBy, &i.CreatedAt, &i.ExpiresAt, &i.UsedAt, &i.UsedBy, &i.RevokedAt}, extra...)
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

// createInviteSQL reads what decides whether partner $2 of couple $1 may
// invite someone of kind $3 — how many partners there are, whether a
// therapist is linked or waits for agreement — and, only when the rules
// of inviteRefused allow, cancels the open invites of that kind and makes
// the new one. It runs after lockCoupleSQL, in the same transaction, so it
// sees every change made before the lock was granted. No row: $2 is no
// partner of $1.
const createInviteSQL = `
WITH f AS (
  SELECT (SELECT count(*) FROM couple_members m WHERE m.couple_id = $1 AND m.left_at IS NULL) AS members,
         EXISTS (SELECT 1 FROM therapist_links l WHERE l.couple_id = $1 AND l.ended_at IS NULL AND l.agreed_at IS NOT NULL) AS linked,
         EXISTS (SELECT 1 FROM therapist_links l WHERE l.couple_id = $1 AND l.ended_at IS NULL AND l.agreed_at IS NULL) AS pending
  WHERE ` + guardPartner + `),
-- The invite with this token, made before by the same form (see
-- Couples.CreateInviteOnce): found, not made again.
same AS (
  SELECT i.id, i.created_at, i.expires_at, i.used_at, i.revoked_at FROM invites i, f
  WHERE i.token_hash = $4 AND i.couple_id = $1 AND i.kind = $3),
ok AS (
  SELECT 1 FROM f
  WHERE NOT EXISTS (SELECT 1 FROM same)
    AND CASE WHEN $3 = 'partner' THEN f.members < 2 ELSE NOT f.linked AND NOT f.pending END),
revoked AS (
  UPDATE invites SET revoked_at = now()
  WHERE couple_id = $1 AND kind = $3 AND used_at IS NULL AND revoked_at IS NULL AND EXISTS (SELECT 1 FROM ok)),
made AS (
  INSERT INTO invites (couple_id, kind, token_hash, created_by, expires_at)
  SELECT $1, $3, $4, $2, $5 FROM ok
  RETURNING id, created_at, expires_at)
SELECT f.members, f.linked, f.pending, coalesce(made.id, same.id), coalesce(made.created_at, same.created_at),
  coalesce(made.expires_at, same.expires_at), made.id IS NULL AND same.id IS NOT NULL, same.used_at, same.revoked_at
FROM f LEFT JOIN made ON true LEFT JOIN same ON true`

// CreateInvite makes a new invite of kind for partner a's couple, cancelling
// any earlier open one of that kind; when the couple has an invite of kind
// with tokenHash already (the same form sent again), it returns that one,
// as it is now (open, used or cancelled), and changes nothing. Errors: mend.ErrSpaceFull for a
// partner invite when both partners are there; mend.ErrHasTherapist or
// mend.ErrTherapistPending for a therapist invite while a therapist is
// linked or waits for agreement; NotFound when a is no partner of it.
//
// One round trip: a batch, which PostgreSQL runs as one transaction. The
// couple is locked first — one new link at a time per couple, so that taps
// at the same moment still leave exactly one link open — then one
// statement checks and writes.
func (db *DB) CreateInvite(ctx context.Context, a mend.PartnerAccess, kind mend.InviteKind, tokenHash []byte, expires time.Time) (*mend.Invite, error) {
	b := &pgx.Batch{}
	b.Queue(lockCoupleSQL, a.CoupleID())
	b.Queue(createInviteSQL, a.CoupleID(), a.UserID(), kind, tokenHash, expires)
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	if _, err := res.Exec(); err != nil {
		return nil, mapErr(err)
	}
	var members int
	var linked, pending, found bool
	var id *int64
	var created, until, used, revoked *time.Time
	if err := res.QueryRow().Scan(&members, &linked, &pending, &id, &created, &until, &found, &used, &revoked); err != nil {
		return nil, mapErr(err)
	}
	if err := res.Close(); err != nil {
		return nil, mapErr(err)
	}
	if found { // made before with this token: as it is now, whatever the rules say today
		return &mend.Invite{ID: *id, CoupleID: a.CoupleID(), Kind: kind, CreatedBy: a.UserID(), CreatedAt: *created, ExpiresAt: *until,
			UsedAt: used, RevokedAt: revoked}, nil
	}
	if err := inviteRefused(kind, members, linked, pending); err != nil {
		return nil, err
	}
	if id == nil {
		return nil, errors.New("the invite was allowed but not made")
	}
	return &mend.Invite{ID: *id, CoupleID: a.CoupleID(), Kind: kind, CreatedBy: a.UserID(), CreatedAt: *created, ExpiresAt: *until}, nil
}

// inviteRefused says why a couple with members partners, and a therapist
// linked or waiting for agreement, may not have a new invite of kind; nil
// when it may. createInviteSQL writes by the same rules: a partner invite
// needs room for a partner; a therapist invite, no therapist at all.
func inviteRefused(kind mend.InviteKind, members int, linked, pending bool) error {
	switch {
	case kind == mend.InvitePartner && members >= 2:
		return mend.ErrSpaceFull
	case kind != mend.InvitePartner && linked:
		return mend.ErrHasTherapist
	case kind != mend.InvitePartner && pending:
		return mend.ErrTherapistPending
	}
	return nil
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

// Using an invite is one round trip: a batch, which PostgreSQL runs as one
// transaction. Its first statement locks the invite with the token and its
// couple (and a joining partner's row: becoming a therapist takes the same
// lock), so that one joiner at a time per couple checks and changes the
// partners and the therapist link. Its second statement starts once the
// locks are held: it reads the invite and what decides its use, and uses
// it only when the rules allow — the rules that useInvite and its callers
// check in the same order on what it returns, to say why it was not used.
// Lock order everywhere: invite, couple, user.

const lockInviteSQL = `
SELECT i.id FROM invites i JOIN couples c ON c.id = i.couple_id
WHERE i.token_hash = $1
FOR UPDATE`

const lockInviteToJoinSQL = `
SELECT i.id FROM invites i JOIN couples c ON c.id = i.couple_id CROSS JOIN users u
WHERE i.token_hash = $1 AND u.id = $2
FOR UPDATE`

// inviteFoundSQL is the invite with token $1, for the CTEs of a use.
const inviteFoundSQL = `
  SELECT id, couple_id, kind, created_by, created_at, expires_at, used_at, used_by, revoked_at FROM invites WHERE token_hash = $1`

// inviteOpenSQL is true of an invite f that may be used at $3 for kind $4.
const inviteOpenSQL = `f.used_at IS NULL AND f.revoked_at IS NULL AND f.expires_at > $3 AND f.kind = $4`

// joinSQL makes partner $2 the second partner of the couple of the partner
// invite with token $1, at $3 ($4 is the partner kind).
const joinSQL = `
WITH found AS (` + inviteFoundSQL + `),
f AS (
  SELECT found.*,
    (SELECT coalesce(u.professional_name, '') FROM users u WHERE u.id = $2) AS professional,
    (SELECT count(*) FROM couple_members m WHERE m.couple_id = found.couple_id AND m.left_at IS NULL) AS members
  FROM found),
ok AS (SELECT f.id, f.couple_id FROM f WHERE ` + inviteOpenSQL + ` AND f.professional = '' AND f.members < 2),
joined AS (INSERT INTO couple_members (couple_id, user_id) SELECT couple_id, $2 FROM ok),
-- The context was written about this pair: the first partner to join may
-- see it, nobody who comes later.
shown AS (
  UPDATE couple_context c SET shown_to = $2 FROM ok
  WHERE c.couple_id = ok.couple_id AND c.shown_to IS NULL AND c.author_id <> $2),
used AS (UPDATE invites u SET used_at = now(), used_by = $2 FROM ok WHERE u.id = ok.id)
SELECT ` + inviteColumns + `, i.professional, i.members, EXISTS (SELECT 1 FROM ok) FROM f i`

// linkSQL links therapist $2 to the couple of the therapist invite with
// token $1, at $3 ($4 is the therapist kind). A couple has one link at a
// time, pending or agreed.
const linkSQL = `
WITH found AS (` + inviteFoundSQL + `),
f AS (
  SELECT found.*,
    EXISTS (SELECT 1 FROM therapist_links l WHERE l.couple_id = found.couple_id AND l.ended_at IS NULL) AS linked
  FROM found),
ok AS (SELECT f.id, f.couple_id, f.created_by FROM f WHERE ` + inviteOpenSQL + ` AND NOT f.linked),
linked AS (INSERT INTO therapist_links (couple_id, therapist_id, invited_by) SELECT couple_id, $2, created_by FROM ok),
used AS (UPDATE invites u SET used_at = now(), used_by = $2 FROM ok WHERE u.id = ok.id)
SELECT ` + inviteColumns + `, i.linked, EXISTS (SELECT 1 FROM ok) FROM f i`

// useInvite sends the batch of lock (with lockArgs) and use (joinSQL or
// linkSQL) for userID and the invite with tokenHash at now. It returns the
// invite as use found it, whether it was used, and the facts use read,
// scanned into facts. Errors: ErrInviteUnknown, the state's error of
// mend.InviteError, ErrWrongInviteFor.
func (db *DB) useInvite(ctx context.Context, lock string, lockArgs []any, use string, tokenHash []byte, kind mend.InviteKind, userID int64,
	now time.Time, facts ...any) (inv *mend.Invite, used bool, err error) {
	b := &pgx.Batch{}
	b.Queue(lock, lockArgs...)
	b.Queue(use, tokenHash, userID, now, kind)
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	if _, err := res.Exec(); err != nil {
		return nil, false, mapErr(err)
	}
	inv, err = scanInvite(res.QueryRow(), append(facts, &used)...)
	if err == nil {
		err = mapErr(res.Close())
	}
	switch {
	case IsNotFound(err):
		return nil, false, mend.ErrInviteUnknown
	case err != nil:
		return nil, false, err
	}
	if err := mend.InviteError(inv.State(now)); err != nil {
		return nil, false, err
	}
	if inv.Kind != kind {
		return nil, false, mend.ErrWrongInviteFor
	}
	return inv, used, nil
}

// errNotUsed is an invite that its rules allowed to use and that was not.
var errNotUsed = errors.New("the invite was allowed but not used")

// JoinCouple makes userID the second partner of the couple that the partner
// invite tokenHash belongs to. Errors: the invite errors of mend,
// ErrSpaceFull, mend.ErrAlreadyInSpace, mend.ErrTherapistNotPartner.
func (db *DB) JoinCouple(ctx context.Context, userID int64, tokenHash []byte, now time.Time) (mend.PartnerAccess, error) {
	defer membershipChanged(ctx)
	var professional *string
	var members int
	inv, used, err := db.useInvite(ctx, lockInviteToJoinSQL, []any{tokenHash, userID}, joinSQL, tokenHash, mend.InvitePartner, userID, now,
		&professional, &members)
	switch {
	case isUnique(err, "couple_members_one_space_idx"):
		return mend.PartnerAccess{}, mend.ErrAlreadyInSpace
	case err != nil:
		return mend.PartnerAccess{}, err
	case professional == nil:
		return mend.PartnerAccess{}, mend.ErrNotFound
	case *professional != "":
		return mend.PartnerAccess{}, mend.ErrTherapistNotPartner
	case members >= 2:
		return mend.PartnerAccess{}, mend.ErrSpaceFull
	case !used:
		return mend.PartnerAccess{}, errNotUsed
	}
	return mend.StoreOnlyPartnerAccess(inv.CoupleID, userID), nil
}

// LinkTherapist links therapistID to the couple that the therapist invite
// tokenHash belongs to. The link is pending: it gives no access until the
// partner who did not invite agrees. It returns the couple's id (for the
// log; it is no access). Errors: the invite errors of mend, ErrHasTherapist
// (also while another link waits for agreement).
func (db *DB) LinkTherapist(ctx context.Context, therapistID int64, tokenHash []byte, now time.Time) (int64, error) {
	var linked bool
	inv, used, err := db.useInvite(ctx, lockInviteSQL, []any{tokenHash}, linkSQL, tokenHash, mend.InviteTherapist, therapistID, now, &linked)
	switch {
	case isUnique(err, "therapist_links_one_active_idx"):
		return 0, mend.ErrHasTherapist
	case err != nil:
		return 0, err
	case linked:
		return 0, mend.ErrHasTherapist
	case !used:
		return 0, errNotUsed
	}
	return inv.CoupleID, nil
}
