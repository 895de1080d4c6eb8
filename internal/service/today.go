package service

import (
	"context"
	"slices"
	"time"

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
	// Talk gives the clock talk times are read by (the real one when nil).
	Talk *Talk
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
		LogsFrom: t.Commitments.listLogsFrom(u), ChecksFrom: sessionCheckFrom(today), PartnerTriggers: dashboardTriggers, Now: t.now()})
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
	p := &mend.TodayPage{
		Space:           sp,
		Checkins:        t.Checkins.dashboard(u, sp, today, r.Checkins),
		Commitments:     t.Commitments.listOf(u, sp, r.Commitments),
		Triggers:        t.Triggers.dashboard(u, partners, r.HardDates),
		SafetyDue:       t.Safety.offerDue(r.LastSafety),
		Suggestions:     r.Suggestions,
		SessionsToCheck: r.SessionsToCheck,
		StatementWaits:  r.StatementWaits,
		Talk:            r.Talk,
	}
	p.Prompt, p.PromptAnswered = mend.TodaysPrompt(r.Prompts, sp.CoupleDay(t.Checkins.Now()))
	if sp.Partner != nil {
		p.Waiting, p.Since = sinceVisit(r, sp.Partner.UserID)
	}
	return p, nil
}

// sinceVisit sorts what the other partner (partner) did for the reader,
// from r: their logs of the last week the reader has not
// answered wait for the reader; the rest since the reader's last visit (at
// most mend.SinceWindow days back) is what happened since.
func sinceVisit(r *mend.TodayReads, partner int64) (waiting []mend.PartnerLog, since mend.SinceVisit) {
	from := r.Seen.AddDate(0, 0, -mend.SinceWindow)
	if r.Since != nil && r.Since.After(from) {
		since.From, from = *r.Since, *r.Since
	}
	set := r.Commitments
	for _, c := range set.Commitments {
		if c.OwnerID != partner {
			continue
		}
		for _, l := range set.Logs[c.ID] {
			pl := mend.PartnerLog{CommitmentID: c.ID, Title: c.Terms().Title, Log: l}
			switch {
			case slices.Contains(r.Unanswered, l.ID):
				waiting = append(waiting, pl)
			case l.UpdatedAt.After(from):
				since.Logs = append(since.Logs, pl)
			}
		}
	}
	newest := func(a, b mend.PartnerLog) int { return b.Log.UpdatedAt.Compare(a.Log.UpdatedAt) }
	// The newest waiting log of each commitment stands for the others.
	slices.SortStableFunc(waiting, newest)
	first := map[int64]int{}
	kept := waiting[:0]
	for _, w := range waiting {
		if i, ok := first[w.CommitmentID]; ok {
			kept[i].More++
			continue
		}
		first[w.CommitmentID] = len(kept)
		kept = append(kept, w)
	}
	waiting = kept
	slices.SortStableFunc(since.Logs, newest)
	since.Logs = since.Logs[:min(len(since.Logs), mend.SinceMax)]
	for _, a := range r.Checkins.Acks {
		if a.UserID == partner && a.At.After(from) {
			since.Acks = append(since.Acks, a)
		}
	}
	for _, x := range r.TriggerAnswers {
		if x.Response.UserID == partner && x.Response.At.After(from) {
			since.Triggers = append(since.Triggers, x)
		}
	}
	return waiting, since
}

// now is the time talk times are read at.
func (t *Today) now() time.Time {
	if t.Talk != nil {
		return t.Talk.Now()
	}
	return time.Now()
}
