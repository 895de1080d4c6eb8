package postgres

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mend-app/mend/internal/mend"
)

// Every method here that reads or writes couple data takes an access,
// which only the store makes (PartnerAccess, TherapistAccess, and the
// writes that make a partner: CreateCouple, JoinCouple): the couple id
// always comes from the caller's own membership or active link.

const partnerAccessSQL = `SELECT couple_id FROM couple_members WHERE user_id = $1 AND left_at IS NULL`

// PartnerAccess returns the user's access to their couple space, or
// NotFound when they are in none. The membership found with the request's
// session answers without a round trip; every write checks it again under
// its lock, so a partner who left meanwhile still finds nothing.
func (db *DB) PartnerAccess(ctx context.Context, userID int64) (mend.PartnerAccess, error) {
	if slot := mend.SessionUserOf(ctx); slot != nil && slot.Membership != nil && slot.Membership.UserID == userID {
		if slot.Membership.CoupleID == 0 {
			return mend.PartnerAccess{}, mapErr(pgx.ErrNoRows)
		}
		return mend.StoreOnlyPartnerAccess(slot.Membership.CoupleID, userID), nil
	}
	var coupleID int64
	if err := db.Pool.QueryRow(ctx, partnerAccessSQL, userID).Scan(&coupleID); err != nil {
		return mend.PartnerAccess{}, mapErr(err)
	}
	return mend.StoreOnlyPartnerAccess(coupleID, userID), nil
}

const therapistAccessSQL = `
SELECT couple_id FROM therapist_links
WHERE couple_id = $1 AND therapist_id = $2 AND ended_at IS NULL AND agreed_at IS NOT NULL`

// TherapistAccess returns a therapist's access to coupleID while their link
// is active — both partners agreed and nobody ended it — or NotFound (also
// for a pending link and for a couple that does not exist).
func (db *DB) TherapistAccess(ctx context.Context, therapistID, coupleID int64) (mend.TherapistAccess, error) {
	var linked int64
	if err := db.Pool.QueryRow(ctx, therapistAccessSQL, coupleID, therapistID).Scan(&linked); err != nil {
		return mend.TherapistAccess{}, mapErr(err)
	}
	return mend.StoreOnlyTherapistAccess(linked, therapistID), nil
}

const membersSQL = `
SELECT m.user_id, u.name, u.time_zone, m.joined_at
FROM couple_members m JOIN users u ON u.id = m.user_id
WHERE m.couple_id = $1 AND m.left_at IS NULL AND ` + guardAny + `
ORDER BY m.joined_at, m.id`

// mySpaceSQL is the caller's own couple, from their active membership.
const mySpaceSQL = `(SELECT couple_id FROM couple_members WHERE user_id = $1 AND left_at IS NULL)`

const myMembersSQL = `
SELECT m.couple_id, m.user_id, u.name, u.time_zone, m.joined_at
FROM couple_members m JOIN users u ON u.id = m.user_id
WHERE m.couple_id = ` + mySpaceSQL + ` AND m.left_at IS NULL
ORDER BY m.joined_at, m.id`

// otherPartnerOf is the partner in couple c.couple_id other than the
// context's author, if any.
const otherPartnerOf = `(SELECT o.user_id FROM couple_members o WHERE o.couple_id = c.couple_id AND o.left_at IS NULL AND o.user_id <> c.author_id)`

// Starting words show to their author, and to the partner they were about
// (shown_to) when shared with them; only while their author is still one of
// the partners. Earlier: the author's own words about a partner who left.
const myContextSQL = `
SELECT c.author_id, coalesce(c.what_happened, ''), coalesce(c.details, ''), c.came_to_light, coalesce(c.rebuilding, ''),
       c.visibility, c.shown_to IS NOT NULL AND c.shown_to IS DISTINCT FROM ` + otherPartnerOf + `
FROM couple_context c
WHERE c.couple_id = ` + mySpaceSQL + `
  AND (c.author_id = $1 OR (c.shown_to = $1 AND c.visibility = 'partner'))
  AND EXISTS (SELECT 1 FROM couple_members m WHERE m.couple_id = c.couple_id AND m.user_id = c.author_id AND m.left_at IS NULL)
ORDER BY c.created_at, c.author_id`

// The couple's creation, when a partner last left it, and the therapist
// who can read its entries now (the active link both partners agreed to):
// their professional name and their own name.
const myCoupleSQL = `
SELECT c.created_at,
  (SELECT max(x.left_at) FROM couple_members x WHERE x.couple_id = c.id),
  coalesce(t.professional_name, ''), coalesce(t.name, '')
FROM couples c
LEFT JOIN LATERAL (SELECT u.professional_name, u.name FROM therapist_links l JOIN users u ON u.id = l.therapist_id
                   WHERE l.couple_id = c.id AND l.ended_at IS NULL AND l.agreed_at IS NOT NULL) t ON true
WHERE c.id = ` + mySpaceSQL

// Every current partner's sharing defaults, as defaultsSQL reads them.
const myDefaultsAllSQL = `
SELECT DISTINCT ON (e.user_id, e.kind) e.user_id, e.kind, e.shared
FROM consent_events e ` + currentEra + `
WHERE e.couple_id = ` + mySpaceSQL + `
ORDER BY e.user_id, e.kind, e.at DESC, e.id DESC`

const myPendingLinkSQL = `
SELECT ` + linkCols + `
FROM therapist_links l LEFT JOIN users u ON u.id = l.therapist_id
WHERE l.couple_id = ` + mySpaceSQL + ` AND l.ended_at IS NULL AND l.agreed_at IS NULL`

// SpaceOf returns the couple space of partner userID as they see it, found
// from their own membership, in one round trip. NotFound when they have none.
func (db *DB) SpaceOf(ctx context.Context, userID int64) (*mend.Space, error) {
	b := &batch{}
	s := queueSpace(b, userID)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	return s, nil
}

// queueSpace queues the queries of partner userID's couple space, found from
// their own membership, and returns the space that sending b fills. Reading
// it fails with NotFound when they have none.
func queueSpace(b *batch, userID int64) *mend.Space {
	s := &mend.Space{}
	b.Queue(myMembersSQL, userID)
	b.Queue(myContextSQL, userID)
	b.Queue(myCoupleSQL, userID)
	b.Queue(myDefaultsAllSQL, userID)
	b.Queue(myPendingLinkSQL, userID)
	b.then(func(res pgx.BatchResults) error { return readSpace(res, userID, s) })
	return s
}

func readSpace(res pgx.BatchResults, userID int64, s *mend.Space) error {
	rows, err := res.Query()
	if err != nil {
		return mapErr(err)
	}
	var coupleID int64
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Member, error) {
		var m mend.Member
		err := r.Scan(&coupleID, &m.UserID, &m.Name, &m.TimeZone, &m.JoinedAt)
		return m, err
	})
	if err != nil {
		return mapErr(err)
	}
	found := false
	for i := range all {
		if all[i].UserID == userID {
			s.Me, found = all[i], true
		} else {
			s.Partner = &all[i]
		}
	}
	if !found {
		return mend.ErrNotFound
	}
	s.Access = mend.StoreOnlyPartnerAccess(coupleID, userID)
	if rows, err = res.Query(); err != nil {
		return mapErr(err)
	}
	if s.Contexts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.CoupleContext, error) {
		var c mend.CoupleContext
		err := r.Scan(&c.AuthorID, &c.WhatHappened, &c.Details, &c.CameToLight, &c.Rebuilding, &c.Visibility, &c.Earlier)
		return c, err
	}); err != nil {
		return mapErr(err)
	}
	var since *time.Time
	if err := res.QueryRow().Scan(&s.Created, &since, &s.Therapist, &s.TherapistName); err != nil {
		return mapErr(err)
	}
	if since != nil {
		s.PairSince = *since
	}
	if rows, err = res.Query(); err != nil {
		return mapErr(err)
	}
	if s.Shares, err = collectDefaults(rows); err != nil {
		return err
	}
	s.PendingLink, err = scanOptionalLink(res.QueryRow())
	return err
}

// createCoupleSQL starts a couple space with partner $1 as its first
// member, their starting words when $2, and the form key $8 (may be null).
// It runs after lockUserSQL, in the same transaction, and makes nothing
// for a therapist ($1 has a professional name).
const createCoupleSQL = `
WITH c AS (
  INSERT INTO couples (created_by)
  SELECT u.id FROM users u WHERE u.id = $1 AND coalesce(u.professional_name, '') = ''
  RETURNING id),
m AS (INSERT INTO couple_members (couple_id, user_id) SELECT id, $1 FROM c),
x AS (
  INSERT INTO couple_context (couple_id, author_id, what_happened, details, came_to_light, rebuilding, visibility)
  SELECT id, $1, nullif($3, ''), nullif($4, ''), $5, nullif($6, ''), $7 FROM c WHERE $2),
f AS (INSERT INTO form_submissions (key_hash, user_id) SELECT $8::bytea, $1 FROM c WHERE $8::bytea IS NOT NULL ON CONFLICT (key_hash) DO NOTHING)
SELECT id FROM c`

// CreateCouple starts a couple space with userID as its first partner and,
// when c is not nil, its context; formKey (may be nil) is recorded with it.
// It returns mend.ErrAlreadyInSpace when the user is a partner elsewhere and
// mend.ErrTherapistNotPartner for a therapist.
//
// One round trip: a batch, which PostgreSQL runs as one transaction. The
// user's row is locked first (becoming a therapist takes the same lock),
// then one statement makes the space.
func (db *DB) CreateCouple(ctx context.Context, userID int64, c *mend.CoupleContext, formKey []byte) (mend.PartnerAccess, error) {
	defer membershipChanged(ctx)
	withContext := c != nil
	if c == nil {
		c = &mend.CoupleContext{}
	}
	b := &pgx.Batch{}
	b.Queue(lockUserSQL, userID)
	b.Queue(createCoupleSQL, userID, withContext, c.WhatHappened, c.Details, c.CameToLight, c.Rebuilding, c.Visibility, formKey)
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	var coupleID int64
	err := partnerNow(res.QueryRow())
	if err == nil {
		err = res.QueryRow().Scan(&coupleID)
	}
	if err == nil {
		err = res.Close()
	}
	switch {
	case isUnique(err, "couple_members_one_space_idx"):
		return mend.PartnerAccess{}, mend.ErrAlreadyInSpace
	case err != nil:
		return mend.PartnerAccess{}, mapErr(err)
	}
	return mend.StoreOnlyPartnerAccess(coupleID, userID), nil
}

// partnerNow reads the result of lockUserSQL: NotFound without the user,
// mend.ErrTherapistNotPartner for a therapist.
func partnerNow(row pgx.Row) error {
	var professional string
	if err := row.Scan(&professional); err != nil {
		return err
	}
	if professional != "" {
		return mend.ErrTherapistNotPartner
	}
	return nil
}

// leaveSQL ends partner $2's membership of couple $1, ends the therapist
// link and cancels the invites they made, or every open invite when nobody
// stays; nothing when $2 is no partner of $1. It runs after lockCoupleSQL,
// in the same transaction, so it sees every partner who left before it.
// It returns how many memberships ended (0 or 1).
const leaveSQL = `
WITH gone AS (
  UPDATE couple_members SET left_at = now()
  WHERE couple_id = $1 AND user_id = $2 AND left_at IS NULL
  RETURNING id),
link AS (
  -- The therapist was invited by this pair: when the pair changes, the
  -- link ends, and the one who stays can invite again.
  UPDATE therapist_links SET ended_at = now(), ended_by = $2
  WHERE couple_id = $1 AND ended_at IS NULL AND EXISTS (SELECT 1 FROM gone)),
invites AS (
  UPDATE invites SET revoked_at = now()
  WHERE couple_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND EXISTS (SELECT 1 FROM gone)
    AND (created_by = $2 OR NOT EXISTS (
      SELECT 1 FROM couple_members o WHERE o.couple_id = $1 AND o.user_id <> $2 AND o.left_at IS NULL)))
SELECT count(*) FROM gone`

// Leave ends partner a's membership, ends the therapist link and cancels
// the invites they made (every invite when nobody is left). The couple is
// locked first, so two partners leaving at once still end it all. One round
// trip: the lock and the change in one batch, one transaction.
func (db *DB) Leave(ctx context.Context, a mend.PartnerAccess) error {
	defer membershipChanged(ctx)
	b := &pgx.Batch{}
	b.Queue(lockCoupleSQL, a.CoupleID())
	b.Queue(leaveSQL, a.CoupleID(), a.UserID())
	res := db.Pool.SendBatch(ctx, b)
	defer res.Close()
	if _, err := res.Exec(); err != nil {
		return mapErr(err)
	}
	var left int
	if err := res.QueryRow().Scan(&left); err != nil {
		return mapErr(err)
	}
	if err := res.Close(); err != nil {
		return mapErr(err)
	}
	if left != 1 {
		return mend.ErrNotInThisSpace
	}
	return nil
}

// A pending link shows no couple id, no names but the inviter's (whom the
// therapist knew from the invite, and only while they are in the space).
const caseloadSQL = `
SELECT CASE WHEN l.agreed_at IS NULL THEN 0 ELSE l.couple_id END,
       coalesce(l.agreed_at, l.started_at), l.agreed_at IS NULL,
       CASE WHEN l.agreed_at IS NULL THEN l.id ELSE 0 END,
       CASE WHEN l.agreed_at IS NULL THEN '{}'::text[] ELSE
         coalesce((SELECT array_agg(u.name ORDER BY m.joined_at, m.id)
                   FROM couple_members m JOIN users u ON u.id = m.user_id
                   WHERE m.couple_id = l.couple_id AND m.left_at IS NULL), '{}') END,
       CASE WHEN l.agreed_at IS NULL THEN
         coalesce((SELECT u.name FROM couple_members m JOIN users u ON u.id = m.user_id
                   WHERE m.couple_id = l.couple_id AND m.user_id = l.invited_by AND m.left_at IS NULL), '') ELSE '' END
FROM therapist_links l
WHERE l.therapist_id = $1 AND l.ended_at IS NULL
ORDER BY l.agreed_at IS NULL, coalesce(l.agreed_at, l.started_at) DESC, l.id DESC`

// openCaseloadSQL records, in the log of each couple therapist $1 is linked
// to now (both partners agreed), that their caseload showed the couple's
// figures, and returns those couples: the caseload reads each of them as
// an open therapist page does (see OpenTherapistView).
const openCaseloadSQL = `
INSERT INTO therapist_views (couple_id, therapist_id, kind)
SELECT l.couple_id, l.therapist_id, 'caseload' FROM therapist_links l
WHERE l.therapist_id = $1 AND l.ended_at IS NULL AND l.agreed_at IS NOT NULL
RETURNING couple_id`

// OpenCaseload lists the couples linked to therapistID now, with the open
// flags and next session of each and what the therapist may read of each
// over q, then the links that wait for a couple's agreement. First it
// writes one view-log row per linked couple (their figures are shown),
// then it reads everything in one batch of a dozen statements, whatever
// the number of couples (see acrossCaseload): two round trips.
func (db *DB) OpenCaseload(ctx context.Context, therapistID int64, q mend.ProgressQuery) ([]mend.CaseloadCouple, error) {
	rows, err := db.Pool.Query(ctx, openCaseloadSQL, therapistID)
	if err != nil {
		return nil, mapErr(err)
	}
	opened, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, mapErr(err)
	}
	b := &batch{}
	var list []mend.CaseloadCouple
	var flags []mend.TherapistFlag
	b.Queue(caseloadSQL, therapistID)
	b.Queue(caseloadFlagsSQL, therapistID)
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		list, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.CaseloadCouple, error) {
			var c mend.CaseloadCouple
			err := r.Scan(&c.CoupleID, &c.Since, &c.Pending, &c.LinkID, &c.Names, &c.Inviter)
			return c, err
		})
		if err != nil {
			return err
		}
		flags, err = collectFlags(res.Query())
		return err
	})
	next := map[int64]time.Time{}
	b.Queue(nextSessionsSQL, therapistID, q.Today)
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		var coupleID int64
		var day time.Time
		_, err = pgx.ForEachRow(rows, []any{&coupleID, &day}, func() error {
			next[coupleID] = day
			return nil
		})
		return err
	})
	reads := queueCaseloadReads(b, therapistID, q)
	if err := db.send(ctx, b); err != nil {
		return nil, err
	}
	for i := range list {
		c := &list[i]
		for _, f := range flags {
			if c.CoupleID == f.CoupleID {
				c.Flags = append(c.Flags, f)
			}
		}
		// Only the couples whose log recorded this view are shown: a link
		// agreed since the rows were written waits for the next opening.
		if r, ok := reads[c.CoupleID]; ok && !c.Pending && slices.Contains(opened, c.CoupleID) {
			c.Members, c.Reads = r.Members, r
			if d, ok := next[c.CoupleID]; ok {
				c.Next = &d
			}
		}
	}
	return list, nil
}

// queueMembers queues the query of the couple's current partners, for any
// access to it (partner or linked therapist), in the order they joined;
// sending b fills the list.
func queueMembers(b *batch, a mend.Reader) *[]mend.Member {
	b.Queue(membersSQL, a.CoupleID(), a.UserID())
	ms := &[]mend.Member{}
	b.then(func(res pgx.BatchResults) error {
		rows, err := res.Query()
		if err != nil {
			return err
		}
		*ms, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (mend.Member, error) {
			var m mend.Member
			err := r.Scan(&m.UserID, &m.Name, &m.TimeZone, &m.JoinedAt)
			return m, err
		})
		return err
	})
	return ms
}
