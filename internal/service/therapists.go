package service

import (
	"context"
	"sort"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// The therapist link: one partner invites, the therapist accepts, and the
// link waits until the other partner agrees. Only then does the therapist
// see anything of the couple. Either partner can end it at any time.

// viewStore is what a therapist page of a couple opens with.
type viewStore interface {
	OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error)
}

// openView opens therapist u's page of kind about coupleID: one statement
// checks u's active link and records the view in the couple's log, before
// anything is read. NotFound, recording nothing, when u has no active link
// to the couple that both partners agreed to.
func openView(ctx context.Context, st viewStore, u *mend.User, coupleID int64, kind string) (mend.TherapistAccess, error) {
	if !u.IsTherapist() {
		return mend.TherapistAccess{}, mend.ErrNotFound
	}
	return st.OpenTherapistView(ctx, u.ID, coupleID, kind)
}

// EndTherapistLink ends u's couple's therapist link at once, whether it is
// agreed or still waiting. It returns false when no therapist was linked.
func (c *Couples) EndTherapistLink(ctx context.Context, u *mend.User) (bool, error) {
	a, err := c.PartnerAccess(ctx, u)
	if err != nil {
		return false, err
	}
	return c.Store.EndLink(ctx, a)
}

// AgreeToTherapist records u's agreement to the pending link linkID that
// their partner made: from now on the therapist sees what each partner
// shares with them. Errors: NotFound without a space; mend.ErrNothingToAgree
// when that link does not wait for u (their own invitation, one that ended,
// or one that is not their couple's).
func (c *Couples) AgreeToTherapist(ctx context.Context, u *mend.User, linkID int64) error {
	a, err := c.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return c.Store.AgreeToLink(ctx, a, linkID)
}

// DeclineTherapist ends the pending link linkID at u's request. It returns
// false when that link no longer waits.
func (c *Couples) DeclineTherapist(ctx context.Context, u *mend.User, linkID int64) (bool, error) {
	a, err := c.PartnerAccess(ctx, u)
	if err != nil {
		return false, err
	}
	return c.Store.DeclineLink(ctx, a, linkID)
}

// WithdrawInvitation ends therapist u's own pending link linkID, before the
// couple agreed. NotFound for anyone else and for any other link.
func (c *Couples) WithdrawInvitation(ctx context.Context, u *mend.User, linkID int64) error {
	if !u.IsTherapist() {
		return mend.ErrNotFound
	}
	return c.Store.WithdrawPending(ctx, u.ID, linkID)
}

// Caseload lists the couples linked to therapist u, those needing
// attention first (a request to talk alone, then warnings), each with
// what u may read of it: each partner's last shared check-in, 30-day
// consistency and trigger trend, the warnings from shared data, and the
// next session; then the links that wait for a couple's agreement (with
// only the inviter's name). Each linked couple's log records the view.
func (c *Couples) Caseload(ctx context.Context, u *mend.User) ([]mend.CaseloadCouple, error) {
	if !u.IsTherapist() {
		return nil, errNotTherapist
	}
	now := c.Now()
	today := mend.Date(now, u.Location())
	q := mend.ProgressQuery{From: today.AddDate(0, 0, 1-warningDays), Today: today}
	list, err := c.Store.OpenCaseload(ctx, u.ID, q)
	if err != nil {
		return nil, err
	}
	day := func(n int) time.Time { return today.AddDate(0, 0, n) }
	for i := range list {
		cc := &list[i]
		r := cc.Reads
		if r == nil {
			continue
		}
		r.Started = mend.Date(r.Started, u.Location())
		ts, ids := tallies(now, r, q, cc.Members)
		for _, m := range cc.Members {
			p := mend.CaseloadPerson{UserID: m.UserID, Name: m.Name, Consistency: ts.Of(m.UserID, day(-29), today),
				Triggers: ts.Of(m.UserID, day(-27), today), TriggersBefore: ts.Of(m.UserID, day(-55), day(-28))}
			for _, pt := range r.Points {
				if pt.UserID == m.UserID && (p.LastCheckin == nil || pt.Day.After(*p.LastCheckin)) {
					d := pt.Day
					p.LastCheckin = &d
				}
			}
			cc.People = append(cc.People, p)
		}
		cc.Warnings = Warnings(r, ts, ids, today)
		cc.Reads = nil
	}
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].Pending != list[j].Pending {
			return !list[i].Pending
		}
		return list[i].NeedsAttention() > list[j].NeedsAttention()
	})
	return list, nil
}

// TherapistAccess returns therapist u's access to coupleID while both
// partners agree to the link; NotFound otherwise (a pending link included),
// so that nobody learns whether the couple exists.
func (c *Couples) TherapistAccess(ctx context.Context, u *mend.User, coupleID int64) (mend.TherapistAccess, error) {
	if !u.IsTherapist() {
		return mend.TherapistAccess{}, mend.ErrNotFound
	}
	return c.Store.TherapistAccess(ctx, u.ID, coupleID)
}

// Overview returns the couple overview for therapist u and records the
// view in the couple's audit log before anything is read.
func (c *Couples) Overview(ctx context.Context, u *mend.User, coupleID int64) (*mend.TherapistOverview, error) {
	a, err := openView(ctx, c.Store, u, coupleID, "overview")
	if err != nil {
		return nil, err
	}
	return c.Store.TherapistOverview(ctx, a)
}

// StepAway ends therapist u's own link to coupleID.
func (c *Couples) StepAway(ctx context.Context, u *mend.User, coupleID int64) error {
	a, err := c.TherapistAccess(ctx, u, coupleID)
	if err != nil {
		return err
	}
	return c.Store.StepAway(ctx, a)
}
