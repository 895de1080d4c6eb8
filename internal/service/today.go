package service

import (
	"context"

	"github.com/mend-app/mend/internal/mend"
)

// TodayStore is what Today needs from the database.
type TodayStore interface {
	TodayOf(ctx context.Context, a mend.PartnerAccess, q mend.TodayQuery) (*mend.TodayReads, error)
}

// Today assembles a partner's Today page from the parts of each service,
// read with the space in one round trip.
type Today struct {
	Store       TodayStore
	Couples     *Couples
	Checkins    *Checkins
	Commitments *Commitments
	Triggers    *Triggers
	Safety      *Safety
}

// Page returns u's Today page. ErrNoSpace when u is in no couple space
// (a therapist included).
func (t *Today) Page(ctx context.Context, u *mend.User) (*mend.TodayPage, error) {
	a, err := t.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, err
	}
	today, trendFrom := t.Checkins.dashboardRange(u)
	r, err := t.Store.TodayOf(ctx, a, mend.TodayQuery{Today: today, TrendFrom: trendFrom,
		LogsFrom: t.Commitments.listLogsFrom(u), ChecksFrom: sessionCheckFrom(today), PartnerTriggers: dashboardTriggers})
	if mend.ErrorCode(err) == mend.NotFound {
		return nil, ErrNoSpace
	}
	if err != nil {
		return nil, err
	}
	sp := r.Space
	partners := r.PartnerTriggers
	if sp.Partner == nil {
		partners = nil
	}
	return &mend.TodayPage{
		Space:           sp,
		Checkins:        t.Checkins.dashboard(u, sp, today, r.Checkins),
		Commitments:     t.Commitments.listOf(u, sp, r.Commitments),
		Triggers:        t.Triggers.dashboard(u, partners, r.HardDates),
		SafetyDue:       t.Safety.offerDue(r.LastSafety),
		Suggestions:     r.Suggestions,
		SessionsToCheck: r.SessionsToCheck,
	}, nil
}
