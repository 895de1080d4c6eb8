package mend

import "time"

// Defaults maps a partner's user id to the kinds of entries they share with
// the therapist by default (KindCheckins, KindCommitments, KindTriggers,
// KindDisclosures).
type Defaults map[int64]map[string]bool

// Readers is who, besides its writer, can read one entry now. It is worked
// out by Space.Readers from the rules the store's queries apply, so that a
// sentence such as "Seen by you and Ben" is never more generous than the
// database.
type Readers struct {
	Partner   bool // the other partner of the current pair
	Therapist bool // the couple's linked therapist
	// PartnerWait says why an entry that is not private does not reach
	// the partner; "" when it does.
	PartnerWait Wait
	// TherapistWait says why an entry marked for the therapist does not
	// reach them; "" when it does or is not marked for them.
	TherapistWait Wait
}

// Wait is why an entry does not reach someone it could reach.
type Wait string

const (
	// WaitNoPartner: nobody has joined the space yet, and a partner never
	// sees what was written before they joined.
	WaitNoPartner Wait = "no partner"
	// WaitBeforeJoin: written before the other partner (or, for the
	// writer's own earlier membership, the writer) joined.
	WaitBeforeJoin Wait = "before join"
	// WaitReveal: a check-in the partner knows of but reads only once they
	// have shared theirs for that day (set by the check-in pages).
	WaitReveal Wait = "reveal"
	// WaitNoTherapist: no therapist can read the couple's entries now.
	WaitNoTherapist Wait = "no therapist"
	// WaitNotShared: the writer does not share this kind with the therapist.
	WaitNotShared Wait = "not shared"
	// WaitEarlierPair: written before a partner left; a therapist sees
	// nothing of an earlier pair.
	WaitEarlierPair Wait = "earlier pair"
	// WaitNotAgreed: a commitment's proposal, which a therapist never sees.
	WaitNotAgreed Wait = "not agreed"
)

// Readers returns who besides writer can read an entry of kind with
// visibility v, written (created) at written, as the queries decide:
//   - the other partner reads what is not private and was written after
//     both partners of the current pair joined;
//   - the therapist reads what is marked for them, while a therapist can
//     read the couple's entries (Space.Therapist), while the writer shares
//     that kind (Space.Shares; a setback needs only its own mark), and only
//     what was written in the writer's current membership and after the
//     last time a partner left.
//
// Commitments are always the current pair's: both partners read those they
// can see, and the therapist reads only an agreed version (pass agreed).
func (s *Space) Readers(writer int64, kind string, v Visibility, written time.Time, agreed bool) Readers {
	var r Readers
	me, other := s.member(writer)
	switch {
	case v == JustMe:
	case kind == KindCommitments:
		r.Partner = other != nil
	case other == nil:
		r.PartnerWait = WaitNoPartner
	case written.Before(other.JoinedAt) || written.Before(me.JoinedAt):
		r.PartnerWait = WaitBeforeJoin
	default:
		r.Partner = true
	}
	if v != PartnerAndTherapist {
		return r
	}
	switch {
	case s.Therapist == "":
		r.TherapistWait = WaitNoTherapist
	case kind == KindCommitments && !agreed:
		r.TherapistWait = WaitNotAgreed
	case kind != KindSetbacks && !s.Shares[writer][kind]:
		r.TherapistWait = WaitNotShared
	case written.Before(me.JoinedAt) || written.Before(s.PairSince):
		r.TherapistWait = WaitEarlierPair
	default:
		r.Therapist = true
	}
	return r
}

// member returns the membership of userID and the other partner's (nil when
// there is none).
func (s *Space) member(userID int64) (me Member, other *Member) {
	if s.Partner != nil && s.Partner.UserID == userID {
		m := s.Me
		return *s.Partner, &m
	}
	return s.Me, s.Partner
}

// VisibilityChoices are the visibilities a partner may choose for a new
// entry: "my partner and our therapist" only while a therapist can read
// the couple's entries, or when it is the entry's visibility already.
func (s *Space) VisibilityChoices(current Visibility) []struct{ Value, Label string } {
	if s.Therapist != "" || current == PartnerAndTherapist {
		return Visibilities
	}
	return Visibilities[:2]
}

// DefaultVisibility is the visibility a new entry of kind starts with: the
// therapist too when the caller shares kind and a therapist can read it.
func (s *Space) DefaultVisibility(kind string) Visibility {
	if s.Therapist != "" && s.Shares[s.Me.UserID][kind] {
		return PartnerAndTherapist
	}
	return MyPartner
}

// Latest is the last time the space's circle changed (a partner joined or
// left): any entry written from now on was written at or after it.
func (s *Space) Latest() time.Time {
	t := s.Me.JoinedAt
	if s.Partner != nil && s.Partner.JoinedAt.After(t) {
		t = s.Partner.JoinedAt
	}
	if s.PairSince.After(t) {
		t = s.PairSince
	}
	return t
}
