package service

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/postgres"
)

// CommitmentStore is what Commitments needs from the database.
type CommitmentStore interface {
	Commitments(ctx context.Context, a mend.Access, id int64, logsFrom time.Time) (*postgres.CommitmentSet, error)
	ProposeCommitment(ctx context.Context, a mend.Access, ownerID int64, v mend.CommitmentVersion, day time.Time, formKey []byte) (int64, error)
	DecideCommitment(ctx context.Context, a mend.Access, id int64, decide func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion) (*postgres.CommitmentChange, error)) error
	DecideCommitmentOnce(ctx context.Context, a mend.Access, id int64, formKey []byte, decide func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion) (*postgres.CommitmentChange, error)) error
	LogOccurrence(ctx context.Context, a mend.Access, id int64, day time.Time, status, note string, late, one bool, formKey []byte) error
	EditLog(ctx context.Context, a mend.Access, id, logID int64, status, note string, since time.Time) error
	Respond(ctx context.Context, a mend.Access, id, logID int64, confirmed bool, body string) error
	RecordView(ctx context.Context, a mend.Access, kind string) error
	Members(ctx context.Context, a mend.Access) ([]mend.Member, error)
}

// Limits of a commitment's texts.
const (
	MaxCommitmentTitle   = 120
	MaxCommitmentDetails = 1000
	MaxCommitmentNote    = 500
	// ReviewAfterDays is the default time from a start to its review.
	ReviewAfterDays = 28
	// AskReviewAfterDays is the default for a commitment asked of the
	// other partner: an ask is looked at again sooner.
	AskReviewAfterDays = 14
	// StatDays are the windows consistency is shown over.
	stripWeeks = 12
)

// StatDays are the windows consistency is shown over.
var StatDays = []int{7, 30, 90}

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

var (
	errNotTheOther    = &mend.Error{Code: mend.Forbidden, Message: "Only your partner can answer what you proposed."}
	errNothingPending = &mend.Error{Code: mend.Conflict, Message: "There is nothing waiting for an answer on this commitment now."}
	errNeedPartner    = &mend.Error{Code: mend.Conflict, Message: "Commitments are made between the two of you: invite your partner first."}
)

// terms validates the terms of a commitment against the writer's today.
func terms(fe mend.FieldErrors, in CommitmentInput, today time.Time) mend.CommitmentVersion {
	v := mend.CommitmentVersion{}
	v.Title = strings.TrimSpace(in.Title)
	switch n := utf8.RuneCountInString(v.Title); {
	case n < 3:
		fe.Add("title", "Say what the commitment is, in a few plain words.")
	case n > MaxCommitmentTitle:
		fe.Add("title", fmt.Sprintf("Please keep the title to %d characters (it is %d now); the details can say more.", MaxCommitmentTitle, n))
	}
	v.Details = strings.TrimSpace(in.Details)
	if n := utf8.RuneCountInString(v.Details); n > MaxCommitmentDetails {
		fe.Add("details", fmt.Sprintf("Please keep the details to %d characters (they are %d now).", MaxCommitmentDetails, n))
	}
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
			fe.Add("starts_on", "A commitment starts today or later.")
		case day.After(today.AddDate(1, 0, 0)):
			fe.Add("starts_on", "Choose a start within the next year.")
		default:
			v.StartsOn = day
		}
	}
	day, err := mend.ParseDate(strings.TrimSpace(in.ReviewOn))
	switch {
	case strings.TrimSpace(in.ReviewOn) == "":
		fe.Add("review_on", "Choose a date to look at it again together. Commitments are reviewed, not forever.")
	case err != nil:
		fe.Add("review_on", "Enter a date like "+today.AddDate(0, 0, ReviewAfterDays).Format(time.DateOnly)+".")
	case !day.After(v.StartsOn) || !day.After(today):
		fe.Add("review_on", "The review comes after the start.")
	case day.After(v.StartsOn.AddDate(1, 0, 0)):
		fe.Add("review_on", "Review it within a year of its start.")
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
// A form sent twice proposes once (the id is then 0). Errors: Invalid with
// Fields; Conflict before the partner has joined.
func (s *Commitments) Propose(ctx context.Context, u *mend.User, in CommitmentInput) (int64, error) {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return 0, err
	}
	fe := mend.FieldErrors{}
	owner := u.ID
	switch in.For {
	case "me":
	case "partner":
		if sp.Partner != nil {
			owner = sp.Partner.UserID
		}
	default:
		fe.Add("for", "Choose who keeps this commitment.")
	}
	v := terms(fe, in, s.today(u))
	if err := fe.Err(); err != nil {
		return 0, err
	}
	if sp.Partner == nil {
		return 0, errNeedPartner
	}
	id, err := s.Store.ProposeCommitment(ctx, sp.Access, owner, v, s.today(u), FormKeyHash(in.FormKey))
	if errors.Is(err, postgres.ErrFormUsed) {
		return 0, nil
	}
	return id, err
}

func (s *Commitments) today(u *mend.User) time.Time { return mend.Date(s.Now(), u.Location()) }

// Today returns u's local date now, as midnight UTC.
func (s *Commitments) Today(u *mend.User) time.Time { return s.today(u) }

// decide runs one decision of u on commitment id under its lock. Its day
// is the owner's local date, whoever decides: the periods read from the
// decisions are counted in the owner's days, as are logs and reviews.
func (s *Commitments) decide(ctx context.Context, u *mend.User, id int64, f func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion, today time.Time) (*postgres.CommitmentChange, error)) error {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.DecideCommitment(ctx, sp.Access, id, func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion) (*postgres.CommitmentChange, error) {
		today := s.ownerToday(sp, c.OwnerID)
		ch, err := f(c, versions, today)
		if ch != nil {
			ch.Event.OnDay = today
		}
		return ch, err
	})
}

// decideOnce is decide for a form with a key: the same form sent again
// decides nothing more.
func (s *Commitments) decideOnce(ctx context.Context, u *mend.User, id int64, formKey []byte, f func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion, today time.Time) (*postgres.CommitmentChange, error)) error {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return err
	}
	err = s.Store.DecideCommitmentOnce(ctx, sp.Access, id, formKey, func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion) (*postgres.CommitmentChange, error) {
		today := s.ownerToday(sp, c.OwnerID)
		ch, err := f(c, versions, today)
		if ch != nil {
			ch.Event.OnDay = today
		}
		return ch, err
	})
	if errors.Is(err, postgres.ErrFormUsed) {
		return nil
	}
	return err
}

// unchanged starts a change that keeps c as it is.
func unchanged(c *mend.Commitment) *postgres.CommitmentChange {
	return &postgres.CommitmentChange{State: c.State, Version: c.Version, Pending: c.Pending, ChangesAsked: c.ChangesAsked}
}

func note(fe mend.FieldErrors, v string, required bool) string {
	v = strings.TrimSpace(v)
	switch n := utf8.RuneCountInString(v); {
	case n == 0 && required:
		fe.Add("note", "Say what you would like changed, so your partner can change it.")
	case n > MaxCommitmentNote:
		fe.Add("note", fmt.Sprintf("Please keep this to %d characters (it is %d now).", MaxCommitmentNote, n))
	}
	return v
}

// Answers to a proposal.
const (
	AnswerAgree   = "agree"
	AnswerChange  = "change"
	AnswerDecline = "decline"
)

// Answer gives u's answer (agree, change or decline) to the pending
// version of commitment id, with a note.
func (s *Commitments) Answer(ctx context.Context, u *mend.User, id int64, answer, msg string) error {
	switch answer {
	case AnswerAgree:
		return s.Agree(ctx, u, id, msg)
	case AnswerChange:
		return s.AskChange(ctx, u, id, msg)
	case AnswerDecline:
		return s.Decline(ctx, u, id, msg)
	}
	// Looked up first, so that a commitment that is not u's is a 404.
	return s.decide(ctx, u, id, func(*mend.Commitment, map[int]*mend.CommitmentVersion, time.Time) (*postgres.CommitmentChange, error) {
		return nil, &mend.Error{Code: mend.Invalid, Message: "Choose to agree, ask for a change, or decline."}
	})
}

// Agree makes the pending version of commitment id the one in force. Only
// the partner who did not propose it may agree.
func (s *Commitments) Agree(ctx context.Context, u *mend.User, id int64, msg string) error {
	fe := mend.FieldErrors{}
	msg = note(fe, msg, false)
	if err := fe.Err(); err != nil {
		return err
	}
	return s.decide(ctx, u, id, func(c *mend.Commitment, _ map[int]*mend.CommitmentVersion, today time.Time) (*postgres.CommitmentChange, error) {
		if err := answerable(c, u); err != nil {
			return nil, err
		}
		ch := unchanged(c)
		ch.Version, ch.Pending, ch.ChangesAsked = c.Pending, 0, false
		if c.State == mend.Proposed {
			ch.State = mend.Active
		}
		ch.Event = mend.CommitmentEvent{Version: c.Pending, Action: mend.ActAgreed, Note: msg}
		return ch, nil
	})
}

func answerable(c *mend.Commitment, u *mend.User) error {
	switch {
	case c.Proposal == nil || c.State == mend.Declined || c.State == mend.Completed:
		return errNothingPending
	case c.Proposal.ProposedBy == u.ID:
		return errNotTheOther
	}
	return nil
}

// AskChange asks the proposer to change the pending version, saying what.
func (s *Commitments) AskChange(ctx context.Context, u *mend.User, id int64, msg string) error {
	fe := mend.FieldErrors{}
	msg = note(fe, msg, true)
	if err := fe.Err(); err != nil {
		return err
	}
	return s.decide(ctx, u, id, func(c *mend.Commitment, _ map[int]*mend.CommitmentVersion, today time.Time) (*postgres.CommitmentChange, error) {
		if err := answerable(c, u); err != nil {
			return nil, err
		}
		ch := unchanged(c)
		ch.ChangesAsked = true
		ch.Event = mend.CommitmentEvent{Version: c.Pending, Action: mend.ActAskedChange, Note: msg}
		return ch, nil
	})
}

// Decline turns the pending version down: a proposal ends there, a change
// to a commitment in force is dropped and the commitment goes on as it was.
func (s *Commitments) Decline(ctx context.Context, u *mend.User, id int64, msg string) error {
	fe := mend.FieldErrors{}
	msg = note(fe, msg, false)
	if err := fe.Err(); err != nil {
		return err
	}
	return s.decide(ctx, u, id, func(c *mend.Commitment, _ map[int]*mend.CommitmentVersion, today time.Time) (*postgres.CommitmentChange, error) {
		if err := answerable(c, u); err != nil {
			return nil, err
		}
		ch := unchanged(c)
		ch.ChangesAsked = false
		if c.State == mend.Proposed {
			// A declined proposal keeps its terms (as Pending) to be read.
			ch.State = mend.Declined
		} else {
			ch.Pending = 0
		}
		ch.Event = mend.CommitmentEvent{Version: c.Pending, Action: mend.ActDeclined, Note: msg}
		return ch, nil
	})
}

// Revise writes a new version of commitment id for agreement: the proposer
// changes their pending proposal, or either partner proposes a change to a
// commitment in force (or paused). The version in force stays until the
// other partner agrees. The owner does not change. Terms the same as the
// version they would replace (the proposal waiting, else the one in force)
// are refused as Invalid: no version is written that says nothing new.
func (s *Commitments) Revise(ctx context.Context, u *mend.User, id int64, in CommitmentInput) error {
	fe := mend.FieldErrors{}
	myToday := s.today(u)
	v := terms(fe, in, myToday)
	if err := fe.Err(); err != nil {
		return err
	}
	return s.decideOnce(ctx, u, id, FormKeyHash(in.FormKey), func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion, today time.Time) (*postgres.CommitmentChange, error) {
		switch {
		case c.State == mend.Declined || c.State == mend.Completed:
			return nil, &mend.Error{Code: mend.Conflict, Message: "This commitment has ended. You can propose a new one."}
		case c.Proposal != nil && c.Proposal.ProposedBy != u.ID:
			return nil, &mend.Error{Code: mend.Conflict, Message: "Your partner has proposed a change. Please answer it first."}
		case c.Proposal != nil && sameTerms(c.Proposal, &v, myToday):
			msg := "This is the version already waiting for your partner's answer. Change something to propose a new one."
			if c.ChangesAsked {
				msg = "This is the version your partner asked you to change. Change something to propose a new one."
			}
			return nil, &mend.Error{Code: mend.Invalid, Message: msg}
		case c.Proposal == nil && c.Current != nil && sameTerms(c.Current, &v, myToday):
			return nil, &mend.Error{Code: mend.Invalid, Message: "This is the version in force now. Change something to propose a new one."}
		}
		latest := 0
		for n := range versions {
			latest = max(latest, n)
		}
		v.Version = latest + 1
		v.ProposedBy = u.ID
		ch := unchanged(c)
		ch.Pending, ch.ChangesAsked, ch.NewVersion = v.Version, false, &v
		ch.Event = mend.CommitmentEvent{Version: v.Version, Action: mend.ActRevised}
		return ch, nil
	})
}

// sameTerms reports whether v, read from the form on today, says what base
// says. The form cannot start a commitment before today, so a base that
// started earlier counts as starting today.
func sameTerms(base, v *mend.CommitmentVersion, today time.Time) bool {
	start := base.StartsOn
	if today.After(start) {
		start = today
	}
	return base.Title == v.Title && base.Details == v.Details && base.Rhythm == v.Rhythm && base.Weekdays == v.Weekdays &&
		start.Format(time.DateOnly) == v.StartsOn.Format(time.DateOnly) &&
		base.ReviewOn.Format(time.DateOnly) == v.ReviewOn.Format(time.DateOnly) && base.Visibility == v.Visibility
}

// Review actions.
const (
	ReviewKeep     = "keep"
	ReviewPause    = "pause"
	ReviewResume   = "resume"
	ReviewComplete = "complete"
)

// Review keeps commitment id with a new review date (once its review is
// due), pauses or completes it (while in force), or resumes it (while
// paused). Either partner may; both see who did.
func (s *Commitments) Review(ctx context.Context, u *mend.User, id int64, action, reviewOn string) error {
	today := s.today(u)
	var next time.Time
	if action == ReviewKeep {
		fe := mend.FieldErrors{}
		d, err := mend.ParseDate(strings.TrimSpace(reviewOn))
		switch {
		case err != nil:
			fe.Add("review_on", "Choose the date of the next review.")
		case !d.After(today) || d.After(today.AddDate(1, 0, 0)):
			fe.Add("review_on", "Choose a date within the next year.")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		next = d
	}
	return s.decide(ctx, u, id, func(c *mend.Commitment, versions map[int]*mend.CommitmentVersion, today time.Time) (*postgres.CommitmentChange, error) {
		ch := unchanged(c)
		ch.Event = mend.CommitmentEvent{Version: c.Version}
		switch {
		case action == ReviewKeep && c.Pending != 0:
			return nil, &mend.Error{Code: mend.Conflict, Message: "A change to this commitment is waiting for an answer. Please answer it first: agreeing to it sets its own review date."}
		case action == ReviewKeep && c.State == mend.Active && c.Current != nil && !c.Current.ReviewOn.After(today):
			v := *c.Current
			latest := 0
			for n := range versions {
				latest = max(latest, n)
			}
			v.Version, v.ProposedBy, v.ReviewOn = latest+1, u.ID, next
			ch.Version, ch.NewVersion = v.Version, &v
			ch.Event.Version, ch.Event.Action = v.Version, mend.ActKept
		case action == ReviewPause && c.State == mend.Active:
			ch.State, ch.Event.Action = mend.Paused, mend.ActPaused
		case action == ReviewResume && c.State == mend.Paused:
			ch.State, ch.Event.Action = mend.Active, mend.ActResumed
		case action == ReviewComplete && (c.State == mend.Active || c.State == mend.Paused):
			ch.State, ch.Event.Action = mend.Completed, mend.ActCompleted
			ch.Pending, ch.ChangesAsked = 0, false
		default:
			return nil, &mend.Error{Code: mend.Conflict, Message: "That is not possible for this commitment now. Please reload the page."}
		}
		return ch, nil
	})
}

// LogInput is the owner's log of one occurrence.
type LogInput struct {
	Day     string // today or yesterday; "" for today
	Status  string
	Note    string
	FormKey string
}

// Log records the owner's log of commitment id for the occurrence on the
// day given. For a rhythmic commitment a second log of the same occurrence
// changes the first (keeping its earlier version) until the partner has
// answered it. Errors: Invalid with Fields; NotFound for anyone but the
// owner.
func (s *Commitments) Log(ctx context.Context, u *mend.User, id int64, in LogInput) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	today := s.today(u)
	set, err := s.Store.Commitments(ctx, a, id, today.AddDate(0, 0, -1))
	if err != nil {
		return err
	}
	if len(set.Commitments) == 0 || set.Commitments[0].OwnerID != u.ID {
		return &mend.Error{Code: mend.NotFound, Message: "Only the partner who keeps a commitment logs it."}
	}
	c := &set.Commitments[0]
	fe := mend.FieldErrors{}
	day := today
	if d := strings.TrimSpace(in.Day); d != "" {
		if parsed, err := mend.ParseDate(d); err != nil || parsed.After(today) || parsed.Before(today.AddDate(0, 0, -1)) {
			fe.Add("day", "You can log today or yesterday.")
		} else {
			day = parsed
		}
	}
	switch in.Status {
	case mend.Kept, mend.Partly, mend.Missed:
	default:
		fe.Add("status", "Choose kept, partly or missed.")
	}
	msg := strings.TrimSpace(in.Note)
	if n := utf8.RuneCountInString(msg); n > MaxCommitmentNote {
		fe.Add("note", fmt.Sprintf("Please keep the note to %d characters (it is %d now).", MaxCommitmentNote, n))
	}
	// Due by the periods in force, whatever the state now: a pause or a
	// completion takes effect at the end of its day, which stays due.
	periods := Periods(set.Events[c.ID], set.Versions[c.ID])
	occurs, due := Occurrence(periods, day)
	if _, ok := fe["day"]; !ok && !due {
		fe.Add("day", "This commitment is not due on that day.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	p := inForce(periods, day)
	// Late: logged after its occurrence could be kept (for a week, after
	// the week ended).
	late := day.Before(today)
	if now, ok := Occurrence(periods, today); ok && now.Equal(occurs) {
		late = false
	}
	err = s.Store.LogOccurrence(ctx, a, id, occurs, in.Status, msg, late, p.Rhythm != mend.EachTime, FormKeyHash(in.FormKey))
	if errors.Is(err, postgres.ErrFormUsed) {
		return nil
	}
	return err
}

// EditWindowDays is how long after its day an entry can still be changed:
// a log is a record, not something to rewrite months later.
const EditWindowDays = 7

// EditLog changes the owner's log logID, keeping its earlier version,
// until the partner answers it and for EditWindowDays after its day (then
// Conflict).
func (s *Commitments) EditLog(ctx context.Context, u *mend.User, id, logID int64, status, msg string) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	fe := mend.FieldErrors{}
	switch status {
	case mend.Kept, mend.Partly, mend.Missed:
	default:
		fe.Add("status", "Choose kept, partly or missed.")
	}
	msg = strings.TrimSpace(msg)
	if n := utf8.RuneCountInString(msg); n > MaxCommitmentNote {
		fe.Add("note", fmt.Sprintf("Please keep the note to %d characters (it is %d now).", MaxCommitmentNote, n))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.Store.EditLog(ctx, a, id, logID, status, msg, s.today(u).AddDate(0, 0, -EditWindowDays))
}

// Respond records u's confirmation ("I saw this") and short answer to a log
// of their partner's commitment. Errors: Invalid on field "response";
// NotFound for the owner or anyone who may not see it.
func (s *Commitments) Respond(ctx context.Context, u *mend.User, id, logID int64, confirmed bool, body string) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	body = strings.TrimSpace(body)
	fe := mend.FieldErrors{}
	switch n := utf8.RuneCountInString(body); {
	case n == 0 && !confirmed:
		fe.Add("response", "Write a few words, or confirm that you saw it.")
	case n > MaxAck:
		fe.Add("response", fmt.Sprintf("Please keep this to %d characters (it is %d now).", MaxAck, n))
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.Store.Respond(ctx, a, id, logID, confirmed, body)
}

// CommitmentView is one commitment with what pages show of it.
type CommitmentView struct {
	mend.Commitment
	Periods     []Period
	Stats       []Consistency // over StatDays
	OwnedMisses int           // in the last 90 days
	DueToday    bool          // a rhythmic occurrence is due today and not logged
	ReviewDue   bool
	Strip       []StripDay
	Logs        []mend.CommitmentLog // newest first
	Events      []mend.CommitmentEvent
	Versions    []*mend.CommitmentVersion // oldest first
	OwnerToday  time.Time
	// OpenDays are the days (today, yesterday) the owner may still log: due,
	// and for a rhythmic commitment not logged yet.
	OpenDays []time.Time
	// LoggedToday is set when today's occurrence is logged already.
	LoggedToday bool
}

// Stat returns the consistency over days.
func (v *CommitmentView) Stat(days int) Consistency {
	for _, c := range v.Stats {
		if c.Days == days {
			return c
		}
	}
	return Consistency{Days: days}
}

// view computes what pages show of commitment c, in its owner's days.
func view(c mend.Commitment, set *postgres.CommitmentSet, ownerToday time.Time, full bool) CommitmentView {
	v := CommitmentView{Commitment: c, OwnerToday: ownerToday, Logs: set.Logs[c.ID], Events: set.Events[c.ID]}
	v.Periods = Periods(set.Events[c.ID], set.Versions[c.ID])
	days := StatDays
	if !full {
		days = []int{30}
	}
	for _, d := range days {
		v.Stats = append(v.Stats, ConsistencyOver(v.Periods, v.Logs, ownerToday, d))
	}
	since := ownerToday.AddDate(0, 0, -89)
	for _, l := range v.Logs {
		if l.Status == mend.Missed && !l.OccursOn.Before(since) {
			v.OwnedMisses++
		}
	}
	if c.State == mend.Active {
		if occurs, due := Occurrence(v.Periods, ownerToday); due && inForce(v.Periods, ownerToday).Rhythm != mend.EachTime {
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
			occurs, due := Occurrence(v.Periods, day)
			if !due || seen[occurs] {
				continue
			}
			seen[occurs] = true
			if inForce(v.Periods, day).Rhythm != mend.EachTime && loggedOn(v.Logs, occurs) {
				if day.Equal(ownerToday) {
					v.LoggedToday = true
				}
				continue
			}
			v.OpenDays = append(v.OpenDays, day)
		}
	}
	if full {
		v.Strip = Strip(v.Periods, v.Logs, ownerToday, stripWeeks)
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

// CommitmentsPage is the couple's list of commitments, grouped.
type CommitmentsPage struct {
	Space        *mend.Space
	ForMe        []CommitmentView // waiting for my agreement
	ForPartner   []CommitmentView // waiting for my partner's agreement
	ReviewDue    []CommitmentView
	Active       []CommitmentView
	Paused       []CommitmentView
	Ended        []CommitmentView // completed or declined
	DueToday     []CommitmentView // mine, due today, not logged yet
	PartnerToday time.Time
}

// List returns u's commitments page, with 30-day consistency.
func (s *Commitments) List(ctx context.Context, u *mend.User) (*CommitmentsPage, error) {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	return s.list(ctx, u, sp)
}

func (s *Commitments) list(ctx context.Context, u *mend.User, sp *mend.Space) (*CommitmentsPage, error) {
	today := s.today(u)
	// 30 days, and the week before for a weekly occurrence ending in them.
	set, err := s.Store.Commitments(ctx, sp.Access, 0, today.AddDate(0, 0, -37))
	if err != nil {
		return nil, err
	}
	p := &CommitmentsPage{Space: sp}
	for _, c := range set.Commitments {
		v := view(c, set, s.ownerToday(sp, c.OwnerID), false)
		switch {
		case c.State == mend.Declined || c.State == mend.Completed:
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
	return p, nil
}

// ownerToday is the owner's local date now.
func (s *Commitments) ownerToday(sp *mend.Space, owner int64) time.Time {
	m := sp.Me
	if sp.Partner != nil && sp.Partner.UserID == owner {
		m = *sp.Partner
	}
	return mend.Date(s.Now(), m.Location())
}

// Dashboard returns the commitments part of u's Today page.
func (s *Commitments) Dashboard(ctx context.Context, u *mend.User, sp *mend.Space) (*CommitmentsPage, error) {
	return s.list(ctx, u, sp)
}

// CommitmentPage is one commitment with its history and log.
type CommitmentPage struct {
	Space *mend.Space
	View  CommitmentView
	Today time.Time // the reader's
	All   bool      // the whole log, not the last 90 days
}

// Mine reports whether the reader keeps this commitment.
func (p *CommitmentPage) Mine() bool { return p.View.OwnerID == p.Space.Me.UserID }

// Detail returns commitment id as u sees it, with the log of the last 90
// days (all of it when all is set). NotFound when u may not see it.
func (s *Commitments) Detail(ctx context.Context, u *mend.User, id int64, all bool) (*CommitmentPage, error) {
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
	return &CommitmentPage{Space: sp, Today: today, All: all, View: view(c, set, s.ownerToday(sp, c.OwnerID), true)}, nil
}

// TherapistCommitmentsPage is what a linked therapist sees of a couple's
// commitments.
type TherapistCommitmentsPage struct {
	Access      mend.Access
	Members     []mend.Member
	Commitments []CommitmentView
}

// ForTherapist returns the commitments of coupleID shared with therapist u,
// read-only, after recording the view in the couple's log.
func (s *Commitments) ForTherapist(ctx context.Context, u *mend.User, coupleID int64) (*TherapistCommitmentsPage, error) {
	a, members, err := s.Couples.therapistView(ctx, s.Store, u, coupleID, "commitments")
	if err != nil {
		return nil, err
	}
	p := &TherapistCommitmentsPage{Access: a, Members: members}
	// 90 days and a week, from the earliest today of anyone.
	set, err := s.Store.Commitments(ctx, a, 0, mend.Date(s.Now(), u.Location()).AddDate(0, 0, -99))
	if err != nil {
		return nil, err
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
	return p, nil
}
