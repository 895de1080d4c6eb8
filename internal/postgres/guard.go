package postgres

// Every query on couple data repeats the caller's right to it in SQL, with
// the couple id as $1 and the caller's user id as $2. An access is made only
// by the store (PartnerAccess, TherapistAccess, CreateCouple, JoinCouple);
// should one ever be made another way, these guards still find nothing that
// is not the caller's.
const (
	guardPartner = `EXISTS (SELECT 1 FROM couple_members g WHERE g.couple_id = $1 AND g.user_id = $2 AND g.left_at IS NULL)`
	// guardTherapist counts only a link both partners agreed to: a pending
	// link (agreed_at unset) is no access at all.
	guardTherapist = `EXISTS (SELECT 1 FROM therapist_links g WHERE g.couple_id = $1 AND g.therapist_id = $2 AND g.ended_at IS NULL AND g.agreed_at IS NOT NULL)`
	guardAny       = `(` + guardPartner + ` OR ` + guardTherapist + `)`

	// readerJoined is when the reading partner ($2) joined the couple ($1):
	// nothing from before that is shown to them but their own.
	readerJoined = `(SELECT r.joined_at FROM couple_members r WHERE r.couple_id = $1 AND r.user_id = $2 AND r.left_at IS NULL)`

	// currentEra joins consent events (e) to their author's current
	// membership: choices made in an earlier membership do not count.
	currentEra = `JOIN couple_members m ON m.couple_id = e.couple_id AND m.user_id = e.user_id AND m.left_at IS NULL AND e.at >= m.joined_at`

	// sinceLastLeft is when the current pair of couple $1 began: the last
	// time a partner left (or the beginning of time). Read once per
	// statement, by index, rather than as a per-row NOT EXISTS that a
	// generic plan may turn into a scan of couple_members for every row.
	sinceLastLeft = `coalesce((SELECT max(x.left_at) FROM couple_members x WHERE x.couple_id = $1), '-infinity')`

	// bothJoined is when the later of couple $1's current partners joined,
	// and currentPartners are their ids: an entry of the other partner is
	// known to the reader when its writer is among currentPartners and it
	// was written since bothJoined. Neither depends on the row, so each is
	// read once per statement.
	bothJoined      = `(SELECT max(w.joined_at) FROM couple_members w WHERE w.couple_id = $1 AND w.left_at IS NULL)`
	currentPartners = `(SELECT w.user_id FROM couple_members w WHERE w.couple_id = $1 AND w.left_at IS NULL)`
)
