package mend

import "time"

// Role is how a user relates to a couple space.
type Role string

const (
	// RolePartner is one of the (at most two) partners of the space.
	RolePartner Role = "partner"
	// RoleTherapist is the therapist the couple linked, while the link lasts.
	RoleTherapist Role = "therapist"
)

// Member is a partner in a couple space.
type Member struct {
	UserID   int64
	Name     string
	TimeZone string
	JoinedAt time.Time
}

// Location returns the member's time zone (UTC if it cannot be loaded).
func (m *Member) Location() *time.Location {
	return location(m.TimeZone)
}

// Space is a couple space as one partner sees it.
type Space struct {
	// Access is the reader's own access to the space, from their membership.
	Access  PartnerAccess
	Me      Member
	Partner *Member // nil until the other partner joins
	// Contexts are the starting words the reader may see: their own, and
	// their partner's when shared with them, in the order written.
	Contexts []CoupleContext
	Created  time.Time
	// PendingLink is a therapist link that waits for the partners'
	// agreement (nil when none): the therapist sees nothing until then.
	PendingLink *TherapistLink
	// Therapist is the professional name of the therapist who can read the
	// couple's shared entries now (an agreed, active link); "" when none can.
	// TherapistName is that therapist's own name, for sentences ("Seen by
	// you, Ben and Tess Moreau"); the professional name introduces them.
	Therapist     string
	TherapistName string
	// Shares holds both partners' sharing defaults for the therapist.
	Shares Defaults
	// PairSince is when a partner last left the space (zero when nobody
	// has): what was written before it belongs to an earlier pair.
	PairSince time.Time
}

// Full reports whether both partners are in the space.
func (s *Space) Full() bool { return s.Partner != nil }

// ContextBy returns the starting words of userID that the reader may see,
// or nil.
func (s *Space) ContextBy(userID int64) *CoupleContext {
	for i := range s.Contexts {
		if s.Contexts[i].AuthorID == userID {
			return &s.Contexts[i]
		}
	}
	return nil
}

// MyContext returns the reader's own starting words, or nil.
func (s *Space) MyContext() *CoupleContext { return s.ContextBy(s.Me.UserID) }

// PartnerContext returns the partner's starting words shared with the
// reader, or nil.
func (s *Space) PartnerContext() *CoupleContext {
	if s.Partner == nil {
		return nil
	}
	return s.ContextBy(s.Partner.UserID)
}

// What happened, as chosen at the start of a space.
var WhatHappened = []struct{ Value, Label string }{
	{"affair", "An affair"},
	{"emotional_affair", "An emotional affair"},
	{"lying", "Lying"},
	{"hidden_spending", "Hidden spending"},
	{"addiction", "An addiction kept secret"},
	{"other", "Something else"},
}

// Who is rebuilding trust, as the author of the context sees it.
var Rebuilding = []struct{ Value, Label string }{
	{"me", "Me"},
	{"partner", "My partner"},
	{"both", "Both of us"},
}

// CoupleContext is what one partner said about what happened: the one who
// started the space when starting it, either of them later from Our space.
// Every field is optional. It is seen by its author and, when Visibility
// is MyPartner, by the partner it was written about; never by a therapist.
type CoupleContext struct {
	AuthorID     int64
	WhatHappened string
	Details      string
	CameToLight  *time.Time
	Rebuilding   string
	Visibility   Visibility // JustMe or MyPartner
	// Earlier marks the reader's own words written about an earlier pair
	// (a partner who has since left): they are shown to the author alone.
	Earlier bool
}

// Empty reports whether nothing was said.
func (c *CoupleContext) Empty() bool {
	return c.WhatHappened == "" && c.Details == "" && c.CameToLight == nil && c.Rebuilding == ""
}

// InviteKind says whom an invite is for.
type InviteKind string

const (
	InvitePartner   InviteKind = "partner"
	InviteTherapist InviteKind = "therapist"
)

// InviteState is where an invite stands.
type InviteState string

const (
	InviteOpen    InviteState = "open"
	InviteUsed    InviteState = "used"
	InviteRevoked InviteState = "revoked"
	InviteExpired InviteState = "expired"
)

// Invite is a single-use link into a couple space.
type Invite struct {
	ID        int64
	CoupleID  int64
	Kind      InviteKind
	CreatedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	UsedBy    int64 // who used it (0: unused, or their account is gone)
	RevokedAt *time.Time
}

// State returns the invite's state at now.
func (i *Invite) State(now time.Time) InviteState {
	switch {
	case i.UsedAt != nil:
		return InviteUsed
	case i.RevokedAt != nil:
		return InviteRevoked
	case !now.Before(i.ExpiresAt):
		return InviteExpired
	}
	return InviteOpen
}

// TherapistLink is a couple's link to its therapist. One partner invites,
// the therapist accepts (StartedAt), and the link is pending — the
// therapist sees nothing of the couple — until the other partner agrees
// (AgreedAt). Either partner can end it at any time, pending or agreed.
type TherapistLink struct {
	ID               int64
	CoupleID         int64
	TherapistID      int64
	ProfessionalName string // introduces the therapist ("Tess Moreau, couples therapist")
	TherapistName    string // the therapist's own name, for sentences ("Tess Moreau")
	// InvitedBy is the partner who invited the therapist; 0 for links made
	// before agreement was asked (they count as agreed from their start).
	InvitedBy int64
	StartedAt time.Time
	AgreedBy  int64      // the other partner; 0 for links made before agreement was asked
	AgreedAt  *time.Time // nil while the link waits for the other partner
	EndedAt   *time.Time
	EndedBy   *int64 // nil: nobody now (a partner or therapist deleted their account)
}

// Pending reports whether the link still waits for the other partner.
func (l *TherapistLink) Pending() bool { return l.AgreedAt == nil }

// WaitsFor reports whether the pending link waits for partner userID's
// agreement: it is pending and userID is not the partner who invited.
func (l *TherapistLink) WaitsFor(userID int64) bool {
	return l.Pending() && l.EndedAt == nil && l.InvitedBy != 0 && l.InvitedBy != userID
}

// Kinds of entries a partner may share with the therapist by default.
const (
	KindCheckins    = "checkins"
	KindCommitments = "commitments"
	KindTriggers    = "triggers"
	KindDisclosures = "disclosures"
	KindQuestions   = "questions"
	KindStatement   = "statement"
	KindJournal     = "journal"
)

// SharedKinds lists the kinds of entries, in the order pages show them.
var SharedKinds = []struct{ Value, Label string }{
	{KindCheckins, "Check-ins"},
	{KindCommitments, "Commitments"},
	{KindTriggers, "Triggers"},
	{KindDisclosures, "Things told or discovered"},
	{KindQuestions, "Questions and answers (those the asker chooses)"},
	{KindStatement, "Accountability statement (when its writer chooses)"},
	{KindJournal, "Journal and prompt answers"},
}

// kindWords names each kind inside a sentence ("once you share … on the
// Sharing page"), where a label's note in brackets would not read.
var kindWords = map[string]string{
	KindCheckins:    "check-ins",
	KindCommitments: "commitments",
	KindTriggers:    "triggers",
	KindDisclosures: "things told or discovered",
	KindQuestions:   "questions and answers",
	KindStatement:   "the accountability statement",
	KindJournal:     "journal and prompt answers",
}

// KindWords names kind inside a sentence; a kind not in SharedKinds names
// itself.
func KindWords(kind string) string {
	if w, ok := kindWords[kind]; ok {
		return w
	}
	return kind
}

// ConsentEvent records one grant or withdrawal of sharing by default.
type ConsentEvent struct {
	UserID int64
	Name   string
	Kind   string
	Shared bool
	At     time.Time
}

// TherapistView records one page a therapist opened about a couple.
type TherapistView struct {
	TherapistID int64 // 0 once the therapist's account is deleted
	// TherapistName is the therapist's own name, as the record's sentences
	// say it ("Tess Moreau looked at your overview").
	TherapistName string
	Kind          string
	At            time.Time
}

// Visibility says who may see an entry.
type Visibility string

const (
	JustMe              Visibility = "private"
	MyPartner           Visibility = "partner"
	PartnerAndTherapist Visibility = "therapist"
)

// Invite errors, each with its own clear page.
var (
	ErrInviteUnknown       = &Error{Code: NotFound, Message: "This invite link is not valid. Check that you copied all of it, or ask for a new one."}
	ErrInviteExpired       = &Error{Code: Gone, Message: "This invite has expired. Invites last 7 days; please ask for a new one."}
	ErrInviteUsed          = &Error{Code: Gone, Message: "This invite has already been used. Each link works once; please ask for a new one if you need it."}
	ErrInviteRevoked       = &Error{Code: Gone, Message: "This invite was cancelled. Please ask for a new one if you need it."}
	ErrSpaceFull           = &Error{Code: Conflict, Message: "This couple space already has two partners, so nobody else can join it."}
	ErrHasTherapist        = &Error{Code: Conflict, Message: "This couple already has a therapist on Mend. That link has to end before another therapist can join."}
	ErrTherapistPending    = &Error{Code: Conflict, Message: "A therapist is waiting for both of you to agree. To invite someone else, end that link first (on Sharing)."}
	ErrNothingToAgree      = &Error{Code: Conflict, Message: "There is no therapist waiting for your agreement any more. The link may have ended; see Sharing."}
	ErrTherapistNotPartner = &Error{Code: Forbidden, Message: "A therapist account cannot be a partner in a couple space. To use Mend as a partner, sign up again with another email."}
	ErrWrongInviteFor      = &Error{Code: Conflict, Message: "This link is meant for someone else: partner invites are for the other partner, therapist invites for a therapist."}
)

// InviteError returns the error for an invite that is not open, or nil.
func InviteError(s InviteState) error {
	switch s {
	case InviteUsed:
		return ErrInviteUsed
	case InviteRevoked:
		return ErrInviteRevoked
	case InviteExpired:
		return ErrInviteExpired
	}
	return nil
}

// Label returns the label of value among options, or "" when it is none of
// them.
func Label(options []struct{ Value, Label string }, value string) string {
	for _, o := range options {
		if o.Value == value {
			return o.Label
		}
	}
	return ""
}

// CaseloadCouple is one couple on a therapist's list. A pending link shows
// only what the therapist knew from the invite: who invited them. It carries
// no couple id and no names.
type CaseloadCouple struct {
	CoupleID int64 // 0 for a pending link
	Names    []string
	Since    time.Time // when both agreed; for a pending link, when the therapist accepted
	Pending  bool
	LinkID   int64  // the pending link, for the therapist to withdraw
	Inviter  string // the partner who invited, for a pending link
	// Flags are the partners' open requests to talk to the therapist alone.
	Flags []TherapistFlag
	// Of a linked couple, what the therapist may read: the partners, the
	// next session the therapist recorded (nil: none), each partner's
	// figures and the warnings, all from what is shared with them.
	Members  []Member
	Next     *time.Time
	People   []CaseloadPerson
	Warnings []Warning
	// Reads are the store's reads the figures are worked out from; the
	// service clears them once it has.
	Reads *ProgressReads
}

// NeedsAttention ranks a couple on the caseload: a request to talk alone
// first, then the number of warnings.
func (c *CaseloadCouple) NeedsAttention() int { return 100*len(c.Flags) + len(c.Warnings) }

// InviteInfo is an invite as its holder may see it.
type InviteInfo struct {
	Invite  *Invite
	Inviter string // the inviting partner's name
	// Therapist is the professional name of the couple's therapist (empty
	// when none), and TherapistPending whether that link still waits for
	// the partners' agreement: a partner who joins decides on it too.
	Therapist        string
	TherapistPending bool
}

// Sharing is what the sharing page shows.
type Sharing struct {
	Defaults        Defaults
	History         []ConsentEvent
	Link            *TherapistLink // the therapist who can read now; nil when none
	Pending         *TherapistLink // a link waiting for the other partner's agreement; nil when none
	Links           []TherapistLink
	TherapistInvite *Invite // the open therapist invite, if any
	// Views are the most recent pages a therapist opened about the couple
	// since the reader joined, newest first; MoreViews says that older ones
	// exist beyond those read.
	Views     []TherapistView
	MoreViews bool
}

// DeletedTherapist names, on the couple's pages, a therapist whose account
// is deleted (their link rows stay, without them).
const DeletedTherapist = "A therapist who has since deleted their account"
