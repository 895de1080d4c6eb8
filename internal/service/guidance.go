package service

import (
	"context"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// GuidanceStore is what Guidance needs from the database.
type GuidanceStore interface {
	DismissedGuidance(ctx context.Context, userID int64) ([]string, error)
	DismissGuidance(ctx context.Context, userID int64, key string) error
}

// Guidance picks the guidance card a partner sees on a page (see
// mend.GuidanceCards), by their role and the time since their space began,
// and keeps the cards each person set aside.
type Guidance struct {
	Store GuidanceStore
	Now   func() time.Time
}

// NewGuidance returns Guidance on store with the real clock.
func NewGuidance(store GuidanceStore) *Guidance { return &Guidance{Store: store, Now: time.Now} }

// Card returns the card u sees on place in space sp, or nil: none without
// a space, and none once every card for them there is set aside.
func (s *Guidance) Card(ctx context.Context, u *mend.User, sp *mend.Space, place string) (*mend.GuidanceCard, error) {
	if sp == nil {
		return nil, nil
	}
	keys, err := s.Store.DismissedGuidance(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	dismissed := map[string]bool{}
	for _, k := range keys {
		dismissed[k] = true
	}
	return mend.NextGuidance(mend.GuidanceRole(sp), mend.GuidancePhase(sp.Created, s.Now()), place, dismissed), nil
}

// Dismiss sets card key aside for u, for good. Invalid for a card that
// does not exist.
func (s *Guidance) Dismiss(ctx context.Context, u *mend.User, key string) error {
	if mend.GuidanceByKey(key) == nil {
		return &mend.Error{Code: mend.Invalid, Message: "There is no such card to set aside."}
	}
	return s.Store.DismissGuidance(ctx, u.ID, key)
}
