package service

import (
	"context"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mend-app/mend/internal/mend"
)

// CommitmentStore is what Commitments needs from the database.
type CommitmentStore interface {
	Commitments(ctx context.Context, a mend.Reader, id int64, logsFrom time.Time) (*mend.CommitmentSet, error)
	ProposeCommitment(ctx context.Context, a mend.PartnerAccess, ownerID int64, v mend.CommitmentVersion, day time.Time, formKey []byte) (int64, error)
	DecideCommitmentOnce(ctx context.Context, a mend.PartnerAccess, id int64, formKey []byte, decide func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion) (*mend.CommitmentChange, error)) error
	LogOccurrence(ctx context.Context, a mend.PartnerAccess, id int64, logsFrom time.Time, formKey []byte, plan func(set *mend.CommitmentSet) (*mend.OccurrenceLog, error)) error
	EditLog(ctx context.Context, a mend.PartnerAccess, id, logID int64, status, note string, since time.Time) (bool, error)
	Respond(ctx context.Context, a mend.PartnerAccess, id, logID int64, confirmed bool, body string) error
	OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error)
	TherapistCommitmentsPage(ctx context.Context, a mend.TherapistAccess, logsFrom, listFrom, listTo time.Time) ([]mend.Member, *mend.CommitmentSet, map[int64][]mend.CommitmentLog, error)
}

// Commitments runs the ledger of commitments: agreeing on them, keeping
// them, and seeing how consistently they are kept.
type Commitments struct {
	Store   CommitmentStore
	Couples *Couples
	Now     func() time.Time
}

// NewCommitments returns Commitments on store with the real clock.
func NewCommitments(store CommitmentStore, couples *Couples) *Commitments {
	return &Commitments{Store: store, Couples: couples, Now: time.Now}
}

// CommitmentInput is the form that proposes or changes a commitment.
type CommitmentInput struct {
	For        string // "me" or "partner": who keeps it (proposals only)
	Title      string
	Details    string
	Rhythm     string
	Weekdays   []string // "0" (Monday) … "6" (Sunday)
	StartsOn   string
	ReviewOn   string
	Visibility string
	FormKey    string
}

var errNeedPartner = &mend.Error{Code: mend.Conflict, Message: "Commitments are made between the two of you: invite your partner first."}

// terms validates the terms of a commitment against the writer's today.
func terms(fe mend.FieldErrors, in CommitmentInput, today time.Time) mend.CommitmentVersion {
	v := mend.CommitmentVersion{}
	v.Title = strings.TrimSpace(in.Title)
	if utf8.RuneCountInString(v.Title) < 3 {
		fe.Add("title", "Say what the commitment is, in a few plain words.")
	}
	mend.LimitCommitmentTitle.Check(fe, "title", v.Title)
	v.Details = strings.TrimSpace(in.Details)
	mend.LimitCommitmentDetails.Check(fe, mend.FieldDetails, v.Details)
	v.Rhythm = mend.Rhythm(in.Rhythm)
	switch v.Rhythm {
	case mend.Daily, mend.Weekly, mend.EachTime:
	case mend.Weekdays:
		for _, d := range in.Weekdays {
			if n, err := strconv.Atoi(d); err == nil && n >= 0 && n < 7 {
				v.Weekdays |= 1 << n
			}
		}
		if v.Weekdays == 0 {
			fe.Add("weekdays", "Choose at least one day of the week.")
		}
	default:
		fe.Add("rhythm", "Choose how often it applies.")
	}
	v.StartsOn = today
	if d := strings.TrimSpace(in.StartsOn); d != "" {
		day, err := mend.ParseDate(d)
		switch {
		case err != nil:
			fe.Add("starts_on", "Enter a date like "+today.Format(time.DateOnly)+".")
		case day.Before(today):
			fe.Add("starts_on", "Choose a start date of today or later.")
		case day.After(today.AddDate(1, 0, 0)):
			fe.Add("starts_on", "Choose a start date within the next year.")
		default:
			v.StartsOn = day
		}
	}
	day, err := mend.ParseDate(strings.TrimSpace(in.ReviewOn))
	switch {
	case strings.TrimSpace(in.ReviewOn) == "":
		fe.Add("review_on", "Choose a date to look at it again together. Commitments are reviewed, not forever.")
	case err != nil:
		fe.Add("review_on", "Enter a date like "+today.AddDate(0, 0, mend.ReviewAfterDays).Format(time.DateOnly)+".")
	case !day.After(v.StartsOn) || !day.After(today):
		fe.Add("review_on", "Choose a review date after the start date.")
	case day.After(v.StartsOn.AddDate(1, 0, 0)):
		fe.Add("review_on", "Choose a review date within a year of the start date.")
	default:
		v.ReviewOn = day
	}
	v.Visibility = mend.Visibility(in.Visibility)
	if v.Visibility != mend.MyPartner && v.Visibility != mend.PartnerAndTherapist {
		fe.Add("visibility", "Choose who can see this commitment.")
	}
	return v
}

// Propose records u's proposal of a commitment, kept by u ("me") or by
// their partner ("partner"); it waits for the other partner's agreement.
// A form sent twice proposes once (the id is then the first submission's,
// or 0 when that is not known). Errors: Invalid with
// Fields; Conflict before the partner has joined.
func (s *Commitments) Propose(ctx context.Context, u *mend.User, in CommitmentInput) (int64, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return 0, err
	}
	fe := mend.FieldErrors{}
	owner := u.ID
	switch in.For {
	case "me":
	case "partner":
		owner = 0 // the other partner, found under the lock
	default:
		fe.Add("for", "Choose who keeps this commitment.")
	}
	v := terms(fe, in, s.today(u))
	if err := fe.Err(); err != nil {
		return 0, err
	}
	id, err := s.Store.ProposeCommitment(ctx, a, owner, v, s.today(u), FormKeyHash(in.FormKey))
	switch {
	case errors.Is(err, mend.ErrFormUsed):
		return id, nil // the first submission's commitment (0: not known)
	case errors.Is(err, mend.ErrPartnerNotInSpace):
		return 0, errNeedPartner
	}
	return id, err
}

func (s *Commitments) today(u *mend.User) time.Time { return mend.Date(s.Now(), u.Location()) }

// Today returns u's local date now, as midnight UTC.
func (s *Commitments) Today(u *mend.User) time.Time { return s.today(u) }

// view computes what pages show of commitment c, in its owner's days.
func view(c mend.Commitment, set *mend.CommitmentSet, ownerToday time.Time, full bool) mend.CommitmentView {
	v := mend.CommitmentView{Commitment: c, OwnerToday: ownerToday, Logs: set.Logs[c.ID], Events: set.Events[c.ID]}
	v.Periods = mend.Periods(set.Events[c.ID], set.Versions[c.ID])
	days := mend.StatDays
	if !full {
		days = []int{30}
	}
	for _, d := range days {
		v.Stats = append(v.Stats, mend.ConsistencyOver(v.Periods, v.Logs, ownerToday, d))
	}
	since := ownerToday.AddDate(0, 0, -89)
	for _, l := range v.Logs {
		if l.Status == mend.Missed && !l.OccursOn.Before(since) {
			v.OwnedMisses++
		}
	}
	if c.State == mend.Active {
		if occurs, due := mend.Occurrence(v.Periods, ownerToday); due && mend.InForce(v.Periods, ownerToday).Rhythm != mend.EachTime {
			v.DueToday = true
			for _, l := range v.Logs {
				if l.OccursOn.Equal(occurs) {
					v.DueToday = false
				}
			}
		}
		v.ReviewDue = c.Current != nil && !c.Current.ReviewOn.After(ownerToday)
	}
	if c.Current != nil {
		seen := map[time.Time]bool{}
		for _, day := range []time.Time{ownerToday, ownerToday.AddDate(0, 0, -1)} {
			occurs, due := mend.Occurrence(v.Periods, day)
			if !due || seen[occurs] {
				continue
			}
			seen[occurs] = true
			if mend.InForce(v.Periods, day).Rhythm != mend.EachTime && loggedOn(v.Logs, occurs) {
				if day.Equal(ownerToday) {
					v.LoggedToday = true
				}
				continue
			}
			v.OpenDays = append(v.OpenDays, day)
		}
	}
	if full {
		v.Strip = mend.Strip(v.Periods, v.Logs, ownerToday, mend.StripWeeks)
		// Days before it first came into force are not part of its story.
		for len(v.Strip) > 1 && len(v.Periods) > 0 && v.Strip[0].Day.Before(v.Periods[0].From) {
			v.Strip = v.Strip[1:]
		}
		for _, ver := range set.Versions[c.ID] {
			v.Versions = append(v.Versions, ver)
		}
		sort.Slice(v.Versions, func(i, j int) bool { return v.Versions[i].Version < v.Versions[j].Version })
	}
	return v
}

func loggedOn(logs []mend.CommitmentLog, day time.Time) bool {
	for _, l := range logs {
		if l.OccursOn.Equal(day) {
			return true
		}
	}
	return false
}

// List returns u's commitments page, with 30-day consistency.
func (s *Commitments) List(ctx context.Context, u *mend.User) (*mend.CommitmentsPage, error) {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	return s.list(ctx, u, sp)
}

func (s *Commitments) list(ctx context.Context, u *mend.User, sp *mend.Space) (*mend.CommitmentsPage, error) {
	set, err := s.Store.Commitments(ctx, sp.Access, 0, s.listLogsFrom(u))
	if err != nil {
		return nil, err
	}
	return s.listOf(u, sp, set), nil
}

// listLogsFrom is the first day of the logs the list reads: 30 days, and
// the week before for a weekly occurrence ending in them.
func (s *Commitments) listLogsFrom(u *mend.User) time.Time { return s.today(u).AddDate(0, 0, -37) }

// listOf sorts the commitments of set for u's list.
func (s *Commitments) listOf(u *mend.User, sp *mend.Space, set *mend.CommitmentSet) *mend.CommitmentsPage {
	p := &mend.CommitmentsPage{Space: sp}
	for _, c := range set.Commitments {
		v := view(c, set, s.ownerToday(sp, c.OwnerID), false)
		switch {
		case c.Ended():
			p.Ended = append(p.Ended, v)
			continue
		case c.Proposal != nil && (c.Proposal.ProposedBy != u.ID) != c.ChangesAsked:
			// Mine to answer, or mine to change after my partner asked.
			p.ForMe = append(p.ForMe, v)
		case c.Proposal != nil:
			p.ForPartner = append(p.ForPartner, v)
		}
		switch {
		case c.State == mend.Paused:
			p.Paused = append(p.Paused, v)
		case c.State != mend.Active:
		case v.ReviewDue:
			p.ReviewDue = append(p.ReviewDue, v)
		default:
			p.Active = append(p.Active, v)
		}
		if v.DueToday && c.OwnerID == u.ID {
			p.DueToday = append(p.DueToday, v)
		}
	}
	return p
}

// ownerToday is the owner's local date now.
func (s *Commitments) ownerToday(sp *mend.Space, owner int64) time.Time {
	m := sp.Me
	if sp.Partner != nil && sp.Partner.UserID == owner {
		m = *sp.Partner
	}
	return mend.Date(s.Now(), m.Location())
}

// Detail returns commitment id as u sees it, with the log of the last 90
// days (all of it when all is set). NotFound when u may not see it.
func (s *Commitments) Detail(ctx context.Context, u *mend.User, id int64, all bool) (*mend.CommitmentPage, error) {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	today := s.today(u)
	from := today.AddDate(0, 0, -97) // 90 days and a week
	if all {
		from = time.Time{}
	}
	set, err := s.Store.Commitments(ctx, sp.Access, id, from)
	if err != nil {
		return nil, err
	}
	if len(set.Commitments) == 0 {
		return nil, &mend.Error{Code: mend.NotFound, Message: "There is no such commitment in your space."}
	}
	c := set.Commitments[0]
	return &mend.CommitmentPage{Space: sp, Today: today, All: all, View: view(c, set, s.ownerToday(sp, c.OwnerID), true)}, nil
}

// ForTherapist returns the commitments of coupleID shared with therapist u,
// read-only, after recording the view in the couple's log: each with its
// figures over the last days and, when from or to ("2006-01-02") is given,
// its logs of those days. Days that cannot be shown (see askedDays) are an
// Invalid error on "from" or "to" returned with the page without them.
func (s *Commitments) ForTherapist(ctx context.Context, u *mend.User, coupleID int64, from, to string) (*mend.TherapistCommitmentsPage, error) {
	a, err := openView(ctx, s.Store, u, coupleID, "commitments")
	if err != nil {
		return nil, err
	}
	today := mend.Date(s.Now(), u.Location())
	// 90 days and a week, from the earliest today of anyone.
	logsFrom := today.AddDate(0, 0, -99)
	days, rangeErr := askedDays(today, from, to, mend.Days{From: today.AddDate(0, 0, -89), To: today})
	// Days before the logs the figures read are read on their own, in the
	// same round trip.
	var listFrom, listTo time.Time
	if days.Chosen && days.From.Before(logsFrom) {
		listFrom, listTo = days.From, days.Through
	}
	members, set, dayLogs, err := s.Store.TherapistCommitmentsPage(ctx, a, logsFrom, listFrom, listTo)
	if err != nil {
		return nil, err
	}
	p := &mend.TherapistCommitmentsPage{Access: a, Members: members, Days: days.Days}
	if days.Chosen {
		p.DayLogs = map[int64][]mend.CommitmentLog{}
		for _, c := range set.Commitments {
			if listFrom.IsZero() {
				for _, l := range set.Logs[c.ID] {
					if !l.OccursOn.Before(days.From) && !l.OccursOn.After(days.Through) {
						p.DayLogs[c.ID] = append(p.DayLogs[c.ID], l)
					}
				}
			} else {
				p.DayLogs[c.ID] = dayLogs[c.ID]
			}
		}
	}
	for _, c := range set.Commitments {
		// Only what the couple agreed, in the version marked for the therapist.
		c.Proposal, c.Pending, c.ChangesAsked = nil, 0, false
		today := mend.Date(s.Now(), time.UTC)
		for _, m := range p.Members {
			if m.UserID == c.OwnerID {
				today = mend.Date(s.Now(), m.Location())
			}
		}
		v := view(c, set, today, true)
		v.Versions, v.Events = []*mend.CommitmentVersion{c.Current}, nil // no drafts, no notes between the partners
		p.Commitments = append(p.Commitments, v)
	}
	return p, rangeErr
}
