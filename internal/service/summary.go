package service

import (
	"context"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// SummaryStore is what summaries need from the database.
type SummaryStore interface {
	SummaryOf(ctx context.Context, a mend.PartnerAccess, q mend.ProgressQuery) (*mend.SummaryReads, error)
	TherapistSummary(ctx context.Context, a mend.TherapistAccess, q mend.ProgressQuery) (*mend.SummaryReads, error)
}

// The days a summary may cover, and the defaults.
const (
	// SummaryMaxDays is the longest summary: what it reads is this, the
	// same again before it (for the change) and the warnings' weeks.
	SummaryMaxDays = 84
	// summaryDefaultDays is a partner's default, and a therapist's when no
	// session is recorded: the last two weeks.
	summaryDefaultDays = 14
)

// SummaryRange is the summary's days as asked (YYYY-MM-DD, "" for the
// default).
type SummaryRange struct{ From, To string }

// summaryQuery is what a summary ending by today reads: the longest
// summary and as many days before it, and never less than the warnings.
func summaryQuery(today time.Time) mend.ProgressQuery {
	return mend.ProgressQuery{From: today.AddDate(0, 0, 1-2*SummaryMaxDays), Today: today}
}

// summaryDays works out the days of a summary from in, defaulting to
// defFrom to today (see readDays): at most SummaryMaxDays.
func summaryDays(in SummaryRange, today, defFrom time.Time) (from, to time.Time, err error) {
	d, err := readDays(today, in.From, in.To, mend.Days{From: defFrom, To: today}, SummaryMaxDays, "A summary covers at most 12 weeks.")
	return d.From, d.To, err
}

// Summary returns u's summary of their own space over in (by default the
// last two weeks): both partners as u may see them.
func (s *Progress) Summary(ctx context.Context, u *mend.User, in SummaryRange) (*mend.SummaryPage, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, err
	}
	today := mend.Date(s.Now(), u.Location())
	from, to, err := summaryDays(in, today, today.AddDate(0, 0, 1-summaryDefaultDays))
	if err != nil {
		return nil, err
	}
	// A partner's days are known before reading: read them, as many days
	// before (for the change), and the warnings' weeks.
	q := mend.ProgressQuery{From: from.AddDate(0, 0, -mend.DayIndex(from, to)-1), Today: today}
	if w := today.AddDate(0, 0, 1-warningDays); w.Before(q.From) {
		q.From = w
	}
	r, err := s.Store.SummaryOf(ctx, a, q)
	if mend.ErrorCode(err) == mend.NotFound {
		return nil, ErrNoSpace
	}
	if err != nil {
		return nil, err
	}
	members := partnerReads(u, r.ProgressReads)
	ts, ids := tallies(s.Now(), r.ProgressReads, q, members)
	ws := ownWarnings(u, Warnings(r.ProgressReads, ts, ids, today))
	return &mend.SummaryPage{Space: r.Space, Members: members, Summary: mend.BuildSummary(r, ts, members, from, to, ws)}, nil
}

// TherapistSummary returns therapist u's summary of coupleID over in (by
// default since the last session u recorded, or the last two weeks), from
// what each partner shares with u. The view is logged before reading.
func (s *Progress) TherapistSummary(ctx context.Context, u *mend.User, coupleID int64, in SummaryRange) (*mend.SummaryPage, error) {
	a, err := openView(ctx, s.Store, u, coupleID, "summary")
	if err != nil {
		return nil, err
	}
	today := mend.Date(s.Now(), u.Location())
	q := summaryQuery(today)
	// Everything a summary may cover is read in one go, so that the default
	// days (which need the session dates) cost no round trip of their own.
	r, err := s.Store.TherapistSummary(ctx, a, q)
	if err != nil {
		return nil, err
	}
	def := today.AddDate(0, 0, 1-summaryDefaultDays)
	if last := r.Sessions.Last; last != nil {
		def = laterDay(last.AddDate(0, 0, 1), today.AddDate(0, 0, 1-SummaryMaxDays))
	}
	from, to, err := summaryDays(in, today, def)
	if err != nil {
		return nil, err
	}
	r.Started = mend.Date(r.Started, u.Location())
	ts, ids := tallies(s.Now(), r.ProgressReads, q, r.Members)
	return &mend.SummaryPage{Access: a, Members: r.Members, Sessions: r.Sessions,
		Summary: mend.BuildSummary(r, ts, r.Members, from, to, Warnings(r.ProgressReads, ts, ids, today))}, nil
}

func laterDay(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
