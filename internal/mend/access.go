package mend

// Access is the proof that a user may see a couple space, found by the store
// from the user's own membership or active therapist link — never from an id
// in a form. There are two kinds, as two types: a partner's (PartnerAccess),
// which may read and write, and a therapist's (TherapistAccess), which may
// only read what is shared with them. Every store method that writes takes a
// PartnerAccess, so "a therapist cannot write" is a fact the compiler checks.
// The SQL of the store repeats the caller's right in every query all the
// same: should an access ever be made another way, it finds nothing.

// Reader is either kind of access, for what both may read. Only the two
// access types of this package implement it.
type Reader interface {
	CoupleID() int64
	UserID() int64
	Role() Role
	reader()
}

// PartnerAccess is a partner's access to their own couple space. The zero
// value is no access.
type PartnerAccess struct {
	coupleID, userID int64
}

// TherapistAccess is a therapist's access to a couple that both partners
// agreed to link them to. The zero value is no access.
type TherapistAccess struct {
	coupleID, userID int64
}

// StoreOnlyPartnerAccess makes a partner's access. Only the store
// (internal/postgres) calls it, from the caller's current membership; tests
// may, to forge one. TestStoreOnly_AccessIsMadeOnlyByTheStore fails if any
// other code calls it.
func StoreOnlyPartnerAccess(coupleID, userID int64) PartnerAccess {
	return PartnerAccess{coupleID: coupleID, userID: userID}
}

// StoreOnlyTherapistAccess makes a therapist's access. Only the store
// (internal/postgres) calls it, from the therapist's active, agreed link;
// tests may, to forge one. TestStoreOnly_AccessIsMadeOnlyByTheStore fails if
// any other code calls it.
func StoreOnlyTherapistAccess(coupleID, userID int64) TherapistAccess {
	return TherapistAccess{coupleID: coupleID, userID: userID}
}

// CoupleID is the couple space the access is to.
func (a PartnerAccess) CoupleID() int64 { return a.coupleID }

// UserID is the partner who holds the access.
func (a PartnerAccess) UserID() int64 { return a.userID }

// Role is RolePartner.
func (PartnerAccess) Role() Role { return RolePartner }

// IsZero reports whether a is no access at all.
func (a PartnerAccess) IsZero() bool { return a == PartnerAccess{} }

func (PartnerAccess) reader() {}

// CoupleID is the couple the therapist is linked to.
func (a TherapistAccess) CoupleID() int64 { return a.coupleID }

// UserID is the therapist who holds the access.
func (a TherapistAccess) UserID() int64 { return a.userID }

// Role is RoleTherapist.
func (TherapistAccess) Role() Role { return RoleTherapist }

// IsZero reports whether a is no access at all.
func (a TherapistAccess) IsZero() bool { return a == TherapistAccess{} }

func (TherapistAccess) reader() {}
