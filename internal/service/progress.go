package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// ProgressStore is what Progress needs from the database.
type ProgressStore interface {
	ProgressOf(ctx context.Context, a mend.PartnerAccess, q mend.ProgressQuery) (*mend.ProgressReads, error)
	TherapistProgress(ctx context.Context, a mend.TherapistAccess, q mend.ProgressQuery) (*mend.ProgressReads, error)
	AddSetback(ctx context.Context, a mend.PartnerAccess, s mend.Setback, formKey []byte) error
	RemoveSetback(ctx context.Context, a mend.PartnerAccess, id int64) error
	OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error)
	SummaryStore
}

// Progress is the couple's progress over weeks, the setbacks they mark,
// and the early warnings read from their data.
type Progress struct {
	Store   ProgressStore
	Couples *Couples
	Now     func() time.Time
}

// NewProgress returns Progress on store with the real clock.
func NewProgress(store ProgressStore, couples *Couples) *Progress {
	return &Progress{Store: store, Couples: couples, Now: time.Now}
}

// warningDays is how far back the warnings read: the 4 weeks before the
// last 4, for commitment consistency.
const warningDays = 56

// query is what a progress page of weeks ending today reads: the weeks
// shown and as many before them, and never less than the warnings need.
func progressQuery(today time.Time, weeks int) mend.ProgressQuery {
	from := today.AddDate(0, 0, 1-14*weeks)
	if w := today.AddDate(0, 0, 1-warningDays); w.Before(from) {
		from = w
	}
	return mend.ProgressQuery{From: from, Today: today}
}

// Page returns u's progress page over weeks (4, 12 or 52; others are 4):
// both partners' progress as u may see it, and the warnings about u's own
// data and the couple's hard dates. ErrNoSpace when u has no space.
func (s *Progress) Page(ctx context.Context, u *mend.User, weeks int) (*mend.ProgressPage, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, err
	}
	weeks = trendWeeks(weeks)
	today := mend.Date(s.Now(), u.Location())
	q := progressQuery(today, weeks)
	r, err := s.Store.ProgressOf(ctx, a, q)
	if mend.ErrorCode(err) == mend.NotFound {
		return nil, ErrNoSpace
	}
	if err != nil {
		return nil, err
	}
	members := partnerReads(u, r)
	ts, ids := tallies(s.Now(), r, q, members)
	return &mend.ProgressPage{Space: r.Space, Progress: mend.BuildProgress(r, ts, ids, today, weeks),
		Warnings: ownWarnings(u, Warnings(r, ts, ids, today))}, nil
}

// partnerReads dates the start of r's space in u's days and returns the
// space's partners, u first.
func partnerReads(u *mend.User, r *mend.ProgressReads) []mend.Member {
	sp := r.Space
	r.Started = mend.Date(sp.Created, u.Location())
	members := []mend.Member{sp.Me}
	if sp.Partner != nil {
		members = append(members, *sp.Partner)
	}
	return members
}

// ownWarnings keeps the warnings about u's own data and the couple's.
func ownWarnings(u *mend.User, ws []mend.Warning) []mend.Warning {
	var out []mend.Warning
	for _, w := range ws {
		if w.UserID == u.ID || w.UserID == 0 {
			out = append(out, w)
		}
	}
	return out
}

// ForTherapist returns coupleID's progress as therapist u may see it: only
// what each partner shares with u, and the warnings read from that alone.
// The view is recorded in the couple's log before anything is read.
func (s *Progress) ForTherapist(ctx context.Context, u *mend.User, coupleID int64, weeks int) (*mend.TherapistProgressPage, error) {
	a, err := openView(ctx, s.Store, u, coupleID, "progress")
	if err != nil {
		return nil, err
	}
	weeks = trendWeeks(weeks)
	today := mend.Date(s.Now(), u.Location())
	q := progressQuery(today, weeks)
	r, err := s.Store.TherapistProgress(ctx, a, q)
	if err != nil {
		return nil, err
	}
	r.Started = mend.Date(r.Started, u.Location())
	ts, ids := tallies(s.Now(), r, q, r.Members)
	return &mend.TherapistProgressPage{Access: a, Members: r.Members,
		Progress: mend.BuildProgress(r, ts, ids, today, weeks), Warnings: Warnings(r, ts, ids, today)}, nil
}

// tallies prepares the tallies of r for members at now, each commitment
// counted in its owner's days, and returns the members' ids.
func tallies(now time.Time, r *mend.ProgressReads, q mend.ProgressQuery, members []mend.Member) (*mend.Tallies, []int64) {
	ids := make([]int64, len(members))
	zones := map[int64]*time.Location{}
	for i := range members {
		ids[i] = members[i].UserID
		zones[members[i].UserID] = members[i].Location()
	}
	return mend.NewTallies(r, q.From, r.Started, func(id int64) time.Time {
		if loc, ok := zones[id]; ok {
			return mend.Date(now, loc)
		}
		return q.Today
	}), ids
}

// SetbackInput is the form that marks a setback.
type SetbackInput struct {
	Day, Note, Visibility, FormKey string
}

// AddSetback marks a day as a setback for u. A form sent twice marks once.
// Errors: Invalid with Fields ("day", "note", "visibility"); ErrNoSpace.
func (s *Progress) AddSetback(ctx context.Context, u *mend.User, in SetbackInput) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	fe := mend.FieldErrors{}
	today := mend.Date(s.Now(), u.Location())
	sb := mend.Setback{Day: today, Note: strings.TrimSpace(in.Note), Visibility: mend.Visibility(in.Visibility)}
	if d := strings.TrimSpace(in.Day); d != "" {
		day, err := mend.ParseDate(d)
		switch {
		case err != nil:
			fe.Add("day", "Enter a date such as "+today.Format(time.DateOnly)+", or leave it empty for today.")
		case day.After(today):
			fe.Add("day", "This day is still to come. Choose today or a day before it.")
		case day.Before(today.AddDate(-1, 0, 0)):
			fe.Add("day", "Choose a day within the last year.")
		default:
			sb.Day = day
		}
	}
	mend.LimitSetbackNote.Check(fe, "note", sb.Note)
	switch sb.Visibility {
	case mend.JustMe, mend.MyPartner, mend.PartnerAndTherapist:
	default:
		fe.Add("visibility", "Choose who can see it.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	err = s.Store.AddSetback(ctx, a, sb, FormKeyHash(in.FormKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return err
}

// RemoveSetback removes u's own setback id. NotFound for any other.
func (s *Progress) RemoveSetback(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.RemoveSetback(ctx, a, id)
}
