package service

import (
	"context"
	"errors"
	"strings"

	"github.com/mend-app/mend/internal/mend"
)

// ComfortStore is what Comfort needs from the database.
type ComfortStore interface {
	ComfortPage(ctx context.Context, a mend.PartnerAccess) (*mend.ComfortPage, error)
	WriteComfortPlan(ctx context.Context, a mend.PartnerAccess, body string, share bool, formKey []byte) (int64, error)
	ShareComfortPlan(ctx context.Context, a mend.PartnerAccess, id int64) error
	AgreeComfortPlan(ctx context.Context, a mend.PartnerAccess, id int64) error
	DeleteComfortPlan(ctx context.Context, a mend.PartnerAccess) error
	TriggerMinute(ctx context.Context, a mend.PartnerAccess, id int64) (*mend.TriggerMinute, error)
}

// Comfort runs help in the moment: each partner's comfort plan, which the
// other agrees to, and the minute of help after a trigger.
type Comfort struct {
	Store   ComfortStore
	Couples *Couples
}

// NewComfort returns Comfort on store.
func NewComfort(store ComfortStore, couples *Couples) *Comfort {
	return &Comfort{Store: store, Couples: couples}
}

// ComfortInput is the form that writes one's comfort plan.
type ComfortInput struct {
	Body, FormKey string
	// Share shares it with the other partner and asks them to agree;
	// otherwise the version stays the writer's alone.
	Share bool
}

// Page returns u's comfort plans page. ErrNoSpace without a space.
func (s *Comfort) Page(ctx context.Context, u *mend.User) (*mend.ComfortPage, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, noSpace(err)
	}
	p, err := s.Store.ComfortPage(ctx, a)
	return p, noSpace(err)
}

// Write adds a version of u's own comfort plan. The same words as the
// newest version add nothing: they only share it when in.Share and it was
// not shared. Without a partner in the space nothing is shared. A form sent twice writes once. Errors: Invalid on "body";
// NotFound without a space.
func (s *Comfort) Write(ctx context.Context, u *mend.User, in ComfortInput) error {
	fe := mend.FieldErrors{}
	body := strings.TrimSpace(in.Body)
	if body == "" {
		fe.Add("body", "Write what helps you when you are triggered, in a few words.")
	} else {
		mend.LimitComfortPlan.Check(fe, "body", body)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	p, err := s.Store.ComfortPage(ctx, a)
	if err != nil {
		return err
	}
	// Shared before a partner is there, a version would read as kept
	// private once they join (it reaches only the pair it was shared in),
	// so it is kept private: the form offers sharing only in a full space.
	share := in.Share && p.Space.Full()
	if cur := p.Mine.Current(); cur != nil && cur.Body == body {
		if share && !cur.Shared() {
			return s.Store.ShareComfortPlan(ctx, p.Space.Access, cur.ID)
		}
		return nil
	}
	_, err = s.Store.WriteComfortPlan(ctx, p.Space.Access, body, share, FormKeyHash(in.FormKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return err
}

// Agree records u's agreement to their partner's shared version id.
// NotFound (mend.ErrNoComfortPlan) when it is not waiting for u.
func (s *Comfort) Agree(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.AgreeComfortPlan(ctx, a, id)
}

// Delete deletes every version of u's own comfort plan. NotFound when
// there is none.
func (s *Comfort) Delete(ctx context.Context, u *mend.User) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return inWords(s.Store.DeleteComfortPlan(ctx, a), errNoComfortPlan)
}

var errNoComfortPlan = &mend.Error{Code: mend.NotFound, Message: "You have no comfort plan to delete."}

// Minute returns the minute of help after u's own trigger id. NotFound for
// anyone else's.
func (s *Comfort) Minute(ctx context.Context, u *mend.User, id int64) (*mend.TriggerMinute, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, err
	}
	return s.Store.TriggerMinute(ctx, a, id)
}
