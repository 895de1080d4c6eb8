package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// CoupleStore is what Couples needs from the database. Every method on
// couple data takes an access the store made: a mend.PartnerAccess (from
// PartnerAccess, CreateCouple or JoinCouple) for what partners do, a
// mend.TherapistAccess (from TherapistAccess or OpenTherapistView) for what
// a therapist does.
type CoupleStore interface {
	PartnerAccess(ctx context.Context, userID int64) (mend.PartnerAccess, error)
	TherapistAccess(ctx context.Context, therapistID, coupleID int64) (mend.TherapistAccess, error)
	SpaceOf(ctx context.Context, userID int64) (*mend.Space, error)
	CreateCouple(ctx context.Context, userID int64, c *mend.CoupleContext, formKey []byte) (mend.PartnerAccess, error)
	SetContext(ctx context.Context, a mend.PartnerAccess, c *mend.CoupleContext) error
	FormKeyUsedBy(ctx context.Context, formKey []byte, userID int64) (bool, error)
	Leave(ctx context.Context, a mend.PartnerAccess) error
	OpenInvite(ctx context.Context, a mend.PartnerAccess, kind mend.InviteKind, now time.Time) (*mend.Invite, error)
	CreateInvite(ctx context.Context, a mend.PartnerAccess, kind mend.InviteKind, tokenHash []byte, expires time.Time) (*mend.Invite, error)
	RevokeInvites(ctx context.Context, a mend.PartnerAccess, kind mend.InviteKind) (int64, error)
	InviteByToken(ctx context.Context, tokenHash []byte) (*mend.InviteInfo, error)
	JoinCouple(ctx context.Context, userID int64, tokenHash []byte, now time.Time) (mend.PartnerAccess, error)
	LinkTherapist(ctx context.Context, therapistID int64, tokenHash []byte, now time.Time) (int64, error)
	Sharing(ctx context.Context, a mend.PartnerAccess, now time.Time) (*mend.Sharing, error)
	SetConsent(ctx context.Context, a mend.PartnerAccess, kinds []string, shared map[string]bool) (int, error)
	EndLink(ctx context.Context, a mend.PartnerAccess) (bool, error)
	StepAway(ctx context.Context, a mend.TherapistAccess) error
	OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error)
	TherapistOverview(ctx context.Context, a mend.TherapistAccess) (*mend.TherapistOverview, error)
	OpenCaseload(ctx context.Context, therapistID int64, q mend.ProgressQuery) ([]mend.CaseloadCouple, error)
	AgreeToLink(ctx context.Context, a mend.PartnerAccess, linkID int64) error
	DeclineLink(ctx context.Context, a mend.PartnerAccess, linkID int64) (bool, error)
	WithdrawPending(ctx context.Context, therapistID, linkID int64) error
}

var (
	errNotTherapist = &mend.Error{Code: mend.Forbidden, Message: "This is for therapist accounts. A therapist can sign up as one, or become one in Settings."}
	errIsTherapist  = mend.ErrTherapistNotPartner
	// ErrNoSpace is the NotFound of a partner who is in no couple space.
	ErrNoSpace = &mend.Error{Code: mend.NotFound, Message: "You are not in a couple space yet."}
)

// Couples runs couple spaces: starting, inviting, joining, leaving, the
// therapist link and what is shared with it.
type Couples struct {
	Store    CoupleStore
	Accounts *Accounts
	Now      func() time.Time
}

// NewCouples returns Couples on store with the real clock.
func NewCouples(store CoupleStore, accounts *Accounts) *Couples {
	return &Couples{Store: store, Accounts: accounts, Now: time.Now}
}

// PartnerAccess returns u's access to their own couple space, or a
// NotFound error when they have none.
func (c *Couples) PartnerAccess(ctx context.Context, u *mend.User) (mend.PartnerAccess, error) {
	if u.IsTherapist() {
		return mend.PartnerAccess{}, ErrNoSpace
	}
	a, err := c.Store.PartnerAccess(ctx, u.ID)
	if mend.ErrorCode(err) == mend.NotFound {
		return a, ErrNoSpace
	}
	return a, err
}

// Space returns u's couple space, or NotFound when they have none.
func (c *Couples) Space(ctx context.Context, u *mend.User) (*mend.Space, error) {
	if u.IsTherapist() {
		return nil, ErrNoSpace
	}
	s, err := c.Store.SpaceOf(ctx, u.ID)
	if mend.ErrorCode(err) == mend.NotFound {
		return nil, ErrNoSpace
	}
	return s, err
}

// StartInput is the onboarding form; every field is optional.
type StartInput struct {
	WhatHappened, Details, CameToLight, Rebuilding string
	// Visibility says who sees the answers: mend.JustMe or mend.MyPartner
	// (the default). Never a therapist.
	Visibility string
	FormKey    string
}

// Start makes a new couple space with u as its first partner. Sending the
// same form twice gives the space the first one made. Errors: Invalid with
// Fields; Conflict when u already has a space; Forbidden for therapists.
func (c *Couples) Start(ctx context.Context, u *mend.User, in StartInput) (mend.PartnerAccess, error) {
	if u.IsTherapist() {
		return mend.PartnerAccess{}, errIsTherapist
	}
	cc, err := c.readContext(u, ContextInput{WhatHappened: in.WhatHappened, Details: in.Details, CameToLight: in.CameToLight,
		Rebuilding: in.Rebuilding, Visibility: in.Visibility})
	if err != nil {
		return mend.PartnerAccess{}, err
	}
	key := FormKeyHash(in.FormKey)
	a, err := c.Store.CreateCouple(ctx, u.ID, cc, key)
	if mend.ErrorCode(err) == mend.Conflict && key != nil {
		if again, kerr := c.Store.FormKeyUsedBy(ctx, key, u.ID); kerr == nil && again {
			return c.Store.PartnerAccess(ctx, u.ID)
		}
	}
	return a, err
}

// ContextInput is a partner's starting words as a form sends them; every
// field is optional.
type ContextInput struct {
	WhatHappened, Details, CameToLight, Rebuilding string
	Visibility                                     string // mend.JustMe or mend.MyPartner (the default)
}

// readContext checks a partner's starting words; nil when nothing was said.
// Errors: Invalid with Fields.
func (c *Couples) readContext(u *mend.User, in ContextInput) (*mend.CoupleContext, error) {
	fe := mend.FieldErrors{}
	cc := &mend.CoupleContext{AuthorID: u.ID}
	cc.WhatHappened = oneOf(fe, "what_happened", in.WhatHappened, mend.WhatHappened)
	cc.Rebuilding = oneOf(fe, "rebuilding", in.Rebuilding, mend.Rebuilding)
	cc.Details = strings.TrimSpace(in.Details)
	mend.LimitContextDetails.Check(fe, mend.FieldDetails, cc.Details)
	if d := strings.TrimSpace(in.CameToLight); d != "" {
		day, err := time.ParseInLocation(time.DateOnly, d, time.UTC)
		today := c.Now().In(u.Location()).Format(time.DateOnly)
		switch {
		case err != nil:
			fe.Add("came_to_light", "Enter a date like 2026-03-14, or leave it empty.")
		case day.Format(time.DateOnly) > today:
			fe.Add("came_to_light", "This date is in the future. Enter the day it came to light, or leave it empty.")
		case day.Year() < 1900:
			fe.Add("came_to_light", "Enter a date after 1900, or leave it empty.")
		default:
			cc.CameToLight = &day
		}
	}
	switch v := mend.Visibility(strings.TrimSpace(in.Visibility)); v {
	case "", mend.MyPartner:
		cc.Visibility = mend.MyPartner
	case mend.JustMe:
		cc.Visibility = mend.JustMe
	default:
		fe.Add("visibility", "Choose who sees your answers: just you, or you and your partner.")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	if cc.Empty() {
		return nil, nil
	}
	return cc, nil
}

// SetContext writes u's own starting words, replacing what they wrote
// before; a form with nothing in it removes them. Either partner may, at
// any time; the words are about the pair as it is now. Errors: Invalid
// with Fields; NotFound without a space.
func (c *Couples) SetContext(ctx context.Context, u *mend.User, in ContextInput) error {
	a, err := c.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	cc, err := c.readContext(u, in)
	if err != nil {
		return err
	}
	return c.Store.SetContext(ctx, a, cc)
}

func oneOf(fe mend.FieldErrors, field, v string, allowed []struct{ Value, Label string }) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	for _, a := range allowed {
		if a.Value == v {
			return v
		}
	}
	fe.Add(field, "Choose one of the options, or leave it empty.")
	return ""
}

// PartnerInvite returns u's space and its open partner invite.
func (c *Couples) PartnerInvite(ctx context.Context, u *mend.User) (*mend.InvitePage, error) {
	s, err := c.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	p := &mend.InvitePage{Space: s}
	inv, err := c.Store.OpenInvite(ctx, s.Access, mend.InvitePartner, c.Now())
	switch {
	case err == nil:
		p.Invite = inv
	case mend.ErrorCode(err) != mend.NotFound:
		return nil, err
	}
	return p, nil
}

// CreateInvite makes a new invite link of kind for u's space, cancelling
// the previous one of that kind. The token is returned once and never
// stored (only its hash is). Errors: NotFound without a space; ErrSpaceFull
// for a partner invite to a full space; ErrHasTherapist for a therapist
// invite while one is linked, ErrTherapistPending while one waits for
// agreement (the store checks these under the couple's lock).
func (c *Couples) CreateInvite(ctx context.Context, u *mend.User, kind mend.InviteKind) (string, *mend.Invite, error) {
	var raw [32]byte
	_, _ = rand.Read(raw[:])
	return c.createInvite(ctx, u, kind, base64.RawURLEncoding.EncodeToString(raw[:]))
}

// CreateInviteOnce is CreateInvite for the form with formKey: the same form
// sent again (a double tap, a retry on a slow phone) shows the same link,
// while it is open, instead of cancelling it for another. The link's token
// is derived from the form's key (128 random bits that only the page
// holding the form has; the store keeps neither the key nor the token,
// only hashes of each, which do not give the token). A form without a
// valid key, or whose link was used or cancelled, makes a new random one.
func (c *Couples) CreateInviteOnce(ctx context.Context, u *mend.User, kind mend.InviteKind, formKey string) (string, *mend.Invite, error) {
	if FormKeyHash(formKey) == nil {
		return c.CreateInvite(ctx, u, kind)
	}
	sum := sha256.Sum256([]byte("mend invite link\x00" + formKey))
	token, inv, err := c.createInvite(ctx, u, kind, base64.RawURLEncoding.EncodeToString(sum[:]))
	if err == nil && inv.State(c.Now()) != mend.InviteOpen {
		return c.CreateInvite(ctx, u, kind)
	}
	return token, inv, err
}

// createInvite makes the invite with token, or finds it when it was made
// already (by the same form).
func (c *Couples) createInvite(ctx context.Context, u *mend.User, kind mend.InviteKind, token string) (string, *mend.Invite, error) {
	a, err := c.PartnerAccess(ctx, u)
	if err != nil {
		return "", nil, err
	}
	if kind != mend.InvitePartner && kind != mend.InviteTherapist {
		return "", nil, &mend.Error{Code: mend.Invalid, Message: "Unknown kind of invite."}
	}
	inv, err := c.Store.CreateInvite(ctx, a, kind, tokenHash(token), c.Now().Add(mend.InviteLifetime))
	if err != nil {
		return "", nil, err
	}
	return token, inv, nil
}

// RevokeInvite cancels the open invite of kind of u's space.
func (c *Couples) RevokeInvite(ctx context.Context, u *mend.User, kind mend.InviteKind) error {
	a, err := c.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	_, err = c.Store.RevokeInvites(ctx, a, kind)
	return err
}

func tokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// InviteInfo is what the join page shows about an invite.
type InviteInfo struct {
	Invite      *mend.Invite
	InviterName string
	// Therapist is the professional name of the couple's therapist, so a
	// joining partner knows who else may see what they share; while
	// TherapistPending, that therapist waits for both partners to agree.
	Therapist        string
	TherapistPending bool
}

// Invite looks up an invite by its token. Unknown tokens give
// ErrInviteUnknown; used, cancelled and expired ones their own Gone error.
func (c *Couples) Invite(ctx context.Context, token string) (*InviteInfo, error) {
	if len(token) > 100 {
		return nil, mend.ErrInviteUnknown
	}
	i, err := c.Store.InviteByToken(ctx, tokenHash(token))
	if err != nil {
		return nil, err
	}
	if err := mend.InviteError(i.Invite.State(c.Now())); err != nil {
		return nil, err
	}
	return &InviteInfo{Invite: i.Invite, InviterName: i.Inviter, Therapist: i.Therapist, TherapistPending: i.TherapistPending}, nil
}

// UsedBy returns the partner invite with token when u used it and is in
// its couple still (a second press of the button that joined them), or
// nil: it tells u only what u did.
func (c *Couples) UsedBy(ctx context.Context, u *mend.User, token string) *InviteInfo {
	if u == nil || len(token) > 100 {
		return nil
	}
	i, err := c.Store.InviteByToken(ctx, tokenHash(token))
	if err != nil || i.Invite.Kind != mend.InvitePartner || i.Invite.UsedAt == nil || i.Invite.UsedBy != u.ID {
		return nil
	}
	// Not PartnerAccess: within the request that joined, it still holds
	// the membership the request started with.
	if sp, err := c.Store.SpaceOf(ctx, u.ID); err != nil || sp.Access.CoupleID() != i.Invite.CoupleID {
		return nil
	}
	return &InviteInfo{Invite: i.Invite, InviterName: i.Inviter, Therapist: i.Therapist, TherapistPending: i.TherapistPending}
}

// Accept uses the invite with token for u: a partner invite makes u the
// second partner and returns their access; a therapist invite makes a link
// that waits for the other partner's agreement, and returns no access (the
// zero PartnerAccess): until both agree, the therapist sees nothing of the
// couple.
func (c *Couples) Accept(ctx context.Context, u *mend.User, token string) (mend.PartnerAccess, error) {
	info, err := c.Invite(ctx, token)
	if err != nil {
		return mend.PartnerAccess{}, err
	}
	return c.AcceptInvite(ctx, u, token, info)
}

// AcceptInvite is Accept for a caller that has already looked the invite up
// with Invite (the store checks it again, under lock, as it is used).
func (c *Couples) AcceptInvite(ctx context.Context, u *mend.User, token string, info *InviteInfo) (mend.PartnerAccess, error) {
	if info.Invite.Kind == mend.InviteTherapist {
		if !u.IsTherapist() {
			return mend.PartnerAccess{}, errNotTherapist
		}
		_, err := c.Store.LinkTherapist(ctx, u.ID, tokenHash(token), c.Now())
		return mend.PartnerAccess{}, err
	}
	if u.IsTherapist() {
		return mend.PartnerAccess{}, errIsTherapist
	}
	return c.Store.JoinCouple(ctx, u.ID, tokenHash(token), c.Now())
}

// Leave takes u out of their couple space after checking their password
// (client as for LogIn). Errors: Invalid with a "password" field; Throttled.
func (c *Couples) Leave(ctx context.Context, u *mend.User, pw, client string) error {
	a, err := c.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	if pw == "" {
		return &mend.Error{Code: mend.Invalid, Message: "Enter your password to leave.", Fields: map[string]string{"password": "Enter your password to leave."}}
	}
	ok, err := c.Accounts.CheckPassword(ctx, u, pw, client)
	if err != nil {
		return err
	}
	if !ok {
		return &mend.Error{Code: mend.Invalid, Message: msgWrongCurrent, Fields: map[string]string{"password": msgWrongCurrent}}
	}
	return c.Store.Leave(ctx, a)
}

// Sharing returns u's sharing page, with the therapist's views grouped
// into visits (mend.RecentVisits).
func (c *Couples) Sharing(ctx context.Context, u *mend.User) (*mend.SharingPage, error) {
	s, err := c.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	sh, err := c.Store.Sharing(ctx, s.Access, c.Now())
	if err != nil {
		return nil, err
	}
	page := &mend.SharingPage{Space: s, Sharing: sh}
	page.Visits, page.OlderVisits = mend.RecentVisits(sh.Views, sh.MoreViews)
	return page, nil
}

// SetDefaults records u's choice, per kind of entry, to share with the
// therapist by default. Only changes are recorded, each as a grant or a
// withdrawal. Kinds not in shared are withdrawn.
func (c *Couples) SetDefaults(ctx context.Context, u *mend.User, shared map[string]bool) (changed int, err error) {
	a, err := c.PartnerAccess(ctx, u)
	if err != nil {
		return 0, err
	}
	kinds := make([]string, len(mend.SharedKinds))
	for i, k := range mend.SharedKinds {
		kinds[i] = k.Value
	}
	return c.Store.SetConsent(ctx, a, kinds, shared)
}
