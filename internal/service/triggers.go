package service

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// TriggerStore is what Triggers needs from the database.
type TriggerStore interface {
	LogTrigger(ctx context.Context, a mend.PartnerAccess, t mend.Trigger, formKey []byte) (int64, error)
	EditTrigger(ctx context.Context, a mend.PartnerAccess, id int64, edit func(old *mend.Trigger) (mend.Trigger, error)) (bool, error)
	Triggers(ctx context.Context, a mend.Reader, who mend.Who, id int64, before time.Time, beforeID int64, limit int) ([]mend.Trigger, error)
	TriggerFeed(ctx context.Context, a mend.PartnerAccess, who mend.Who, before time.Time, beforeID int64, limit int) ([]mend.Trigger, mend.ComfortPlans, error)
	RespondToTrigger(ctx context.Context, a mend.PartnerAccess, id int64, choice, body, did string) error
	DeleteTrigger(ctx context.Context, a mend.PartnerAccess, id int64) error
	DeleteTriggerResponse(ctx context.Context, a mend.PartnerAccess, id int64) error
	Patterns(ctx context.Context, a mend.Reader, who mend.Who, from, to, today time.Time) (*mend.Patterns, error)
	HardDates(ctx context.Context, a mend.PartnerAccess) ([]mend.HardDate, error)
	AddHardDate(ctx context.Context, a mend.PartnerAccess, d mend.HardDate, formKey []byte) error
	RemoveHardDate(ctx context.Context, a mend.PartnerAccess, id int64) error
	SetHardDatePlan(ctx context.Context, a mend.PartnerAccess, id int64, plan string) error
	OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error)
	TherapistTriggersPage(ctx context.Context, a mend.TherapistAccess, limit int, from, to, today, listFrom, listTo time.Time) ([]mend.Member, []mend.Trigger, *mend.Patterns, error)
}

// Triggers runs the trigger log: quick capture, responses, patterns and
// hard dates.
type Triggers struct {
	Store   TriggerStore
	Couples *Couples
	Now     func() time.Time
	// Talk reads the couple's talk times, for the answer "Let's talk at
	// our talk time" (nil: never offered).
	Talk *Talk
}

// NewTriggers returns Triggers on store with the real clock.
func NewTriggers(store TriggerStore, couples *Couples) *Triggers {
	return &Triggers{Store: store, Couples: couples, Now: time.Now}
}

// TriggerInput is the quick-log form; only Category and Intensity are
// needed.
type TriggerInput struct {
	Category, Intensity        string
	When                       string // "2026-11-23T14:05" in the writer's zone; "" for now
	WhatHappened, Felt, Helped string
	Need, Visibility, FormKey  string
}

// localFields fills t's local day, weekday and hour from its instant in loc.
func localFields(t *mend.Trigger, loc *time.Location) {
	at := t.OccurredAt.In(loc)
	t.LocalDay = mend.Date(at, loc)
	t.LocalWeekday = (int(at.Weekday()) + 6) % 7
	t.LocalHour = at.Hour()
}

// trigger validates in for u at now.
func (s *Triggers) trigger(u *mend.User, in TriggerInput) (mend.Trigger, error) {
	fe := mend.FieldErrors{}
	now := s.Now()
	t := mend.Trigger{UserID: u.ID, OccurredAt: now, Category: in.Category}
	if mend.Label(mend.TriggerCategories, in.Category) == "" {
		fe.Add("category", "Choose what it was about.")
	}
	t.Intensity = scale(fe, "intensity", in.Intensity, 0, 10, "Choose how strong it was, from 0 to 10.")
	if w := strings.TrimSpace(in.When); w != "" {
		at, err := time.ParseInLocation("2006-01-02T15:04", w, u.Location())
		switch {
		case err != nil:
			fe.Add("when", "Enter a date and time, or leave it empty for now.")
		case at.After(now.Add(5 * time.Minute)):
			fe.Add("when", "This time is still to come. Leave it empty for now.")
		case at.Before(now.AddDate(-1, 0, 0)):
			fe.Add("when", "Choose a time within the last year.")
		default:
			t.OccurredAt = at
		}
	}
	for _, f := range []struct {
		name string
		dst  *string
		v    string
	}{{"what_happened", &t.WhatHappened, in.WhatHappened}, {"felt", &t.Felt, in.Felt}, {"helped", &t.Helped, in.Helped}, {"need", &t.Need, in.Need}} {
		*f.dst = strings.TrimSpace(f.v)
		mend.LimitTriggerText.Check(fe, f.name, *f.dst)
	}
	t.Visibility = mend.Visibility(in.Visibility)
	switch t.Visibility {
	case mend.JustMe, mend.MyPartner, mend.PartnerAndTherapist:
	default:
		fe.Add("visibility", "Choose who can see it.")
	}
	localFields(&t, u.Location())
	return t, fe.Err()
}

// Log records u's trigger. A form sent twice logs once (the id is then the
// first submission's trigger, or 0 when that is not known).
// Errors: Invalid with Fields; NotFound without a space.
func (s *Triggers) Log(ctx context.Context, u *mend.User, in TriggerInput) (int64, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return 0, err
	}
	t, err := s.trigger(u, in)
	if err != nil {
		return 0, err
	}
	id, err := s.Store.LogTrigger(ctx, a, t, FormKeyHash(in.FormKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return id, nil // the first submission's trigger (0: not known)
	}
	return id, err
}

// Edit changes u's own trigger id, keeping what it said before. Its time
// (and the day and hour it fell on) stays unless the form changes it.
// Errors: NotFound when it is not u's; Invalid with Fields. changed is
// false when it already said this.
func (s *Triggers) Edit(ctx context.Context, u *mend.User, id int64, in TriggerInput) (changed bool, err error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return false, err
	}
	// Read under the trigger's lock, in the same round trip that takes it.
	changed, err = s.Store.EditTrigger(ctx, a, id, func(old *mend.Trigger) (mend.Trigger, error) {
		if old.UserID != u.ID {
			return mend.Trigger{}, &mend.Error{Code: mend.NotFound, Message: "Only the one who logged a trigger changes it."}
		}
		unchanged := strings.TrimSpace(in.When) == "" || in.When == old.OccurredAt.In(u.Location()).Format("2006-01-02T15:04")
		if unchanged {
			in.When = ""
		}
		t, err := s.trigger(u, in)
		if err != nil {
			return t, err
		}
		if unchanged {
			t.OccurredAt, t.LocalDay, t.LocalWeekday, t.LocalHour = old.OccurredAt, old.LocalDay, old.LocalWeekday, old.LocalHour
		}
		return t, nil
	})
	return changed, inWords(err, errNoTrigger)
}

// Trigger returns trigger id as u sees it; NotFound when u may not.
func (s *Triggers) Trigger(ctx context.Context, u *mend.User, id int64) (*mend.Trigger, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, err
	}
	return s.one(ctx, a, id)
}

// Mine returns u's own trigger id with u's space, for the form that
// changes it. NotFound for anyone else's.
func (s *Triggers) Mine(ctx context.Context, u *mend.User, id int64) (*mend.Space, *mend.Trigger, error) {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return nil, nil, err
	}
	t, err := s.one(ctx, sp.Access, id)
	if err != nil {
		return nil, nil, err
	}
	if t.UserID != u.ID {
		return nil, nil, errNoTrigger
	}
	return sp, t, nil
}

func (s *Triggers) one(ctx context.Context, a mend.PartnerAccess, id int64) (*mend.Trigger, error) {
	ts, err := s.Store.Triggers(ctx, a, mend.WhoBoth, id, time.Time{}, 0, 1)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, errNoTrigger
	}
	return &ts[0], nil
}

// Delete deletes u's own trigger id for good, with its earlier versions
// and the partner's response to it. NotFound for anyone else's.
func (s *Triggers) Delete(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return inWords(s.Store.DeleteTrigger(ctx, a, id), errNoTrigger)
}

// DeleteResponse deletes u's own response to their partner's trigger id.
// NotFound when u has none.
func (s *Triggers) DeleteResponse(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return inWords(s.Store.DeleteTriggerResponse(ctx, a, id), errNoResponse)
}

var errNoResponse = &mend.Error{Code: mend.NotFound, Message: "You have no response to that trigger."}

var errNoTrigger = &mend.Error{Code: mend.NotFound, Message: "There is no such trigger in your space."}

// msgNoTalkTime refuses "Let's talk at our talk time" while the couple has
// no agreed talk time (a form from before, or typed by hand).
const msgNoTalkTime = "You have no agreed talk time yet, so that answer is not offered. Choose another one, or say it in your own words."

// Respond records u's response to their partner's trigger id: a choice,
// own words, or something they did. Errors: Invalid on "response";
// NotFound for the writer or anyone who may not see it.
func (s *Triggers) Respond(ctx context.Context, u *mend.User, id int64, choice, body, did string) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	fe := mend.FieldErrors{}
	body, did = strings.TrimSpace(body), strings.TrimSpace(did)
	noTalk := false
	if choice == mend.TalkTriggerChoice.Value {
		next, err := s.nextTalk(ctx, a)
		if err != nil {
			return err
		}
		noTalk = next == nil
	} else if choice != "" && mend.Label(mend.TriggerChoices, choice) == "" {
		choice = ""
	}
	switch {
	case noTalk:
		fe.Add("response", msgNoTalkTime)
	case choice == "" && body == "" && did == "":
		fe.Add("response", "Choose one of the answers, or write a few words.")
	case !mend.LimitTriggerResponse.Check(fe, mend.FieldResponse, body):
	default:
		mend.LimitTriggerResponse.Check(fe, "did", did)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.Store.RespondToTrigger(ctx, a, id, choice, body, did)
}

// List returns a page of the triggers u may see, newest first, by who.
func (s *Triggers) List(ctx context.Context, u *mend.User, who, before string) (*mend.TriggersPage, error) {
	sp, next, err := s.spaceAndTalk(ctx, u)
	if err != nil {
		return nil, err
	}
	p := &mend.TriggersPage{Space: sp, Today: mend.Date(s.Now(), u.Location()), NextTalk: next}
	w := mend.ParseWho(who)
	p.Who = string(w)
	// before is "<time>_<id>" of the last trigger of the page before.
	var b time.Time
	var bID int64
	if at, id, ok := strings.Cut(before, "_"); ok {
		t, terr := time.Parse(time.RFC3339Nano, at)
		n, nerr := strconv.ParseInt(id, 10, 64)
		if terr == nil && nerr == nil {
			b, bID = t, n
		}
	}
	ts, plan, err := s.Store.TriggerFeed(ctx, sp.Access, w, b, bID, mend.TriggerPage+1)
	if err != nil {
		return nil, err
	}
	p.PartnerPlan = plan
	if len(ts) > mend.TriggerPage {
		ts = ts[:mend.TriggerPage]
		last := ts[len(ts)-1]
		p.Next = last.OccurredAt.Format(time.RFC3339Nano) + "_" + strconv.FormatInt(last.ID, 10)
	}
	p.Triggers = ts
	return p, nil
}

// dashboardTriggers is how many of the partner's latest triggers Today reads.
const dashboardTriggers = 3

// dashboard builds the trigger part of u's Today page from the partner's
// latest triggers ts and the couple's hard dates.
func (s *Triggers) dashboard(u *mend.User, ts []mend.Trigger, dates []mend.HardDate) *mend.TriggerDashboard {
	d := &mend.TriggerDashboard{}
	for _, t := range ts {
		if t.OccurredAt.After(s.Now().Add(-mend.RecentTrigger)) {
			d.Partners = append(d.Partners, t)
		}
	}
	d.Upcoming = Upcoming(dates, mend.Date(s.Now(), u.Location()), mend.HardDateNotice)
	return d
}

// ForTherapist returns the triggers of coupleID shared with therapist u,
// read-only, after recording the view in the couple's log: the patterns of
// weeks, and the latest triggers or, when from or to ("2006-01-02") is
// given, every trigger of those days (the writer's days). Days that cannot
// be shown (see askedDays) are an Invalid error on "from" or "to" returned
// with the page of the latest.
func (s *Triggers) ForTherapist(ctx context.Context, u *mend.User, coupleID int64, weeks int, from, to string) (*mend.TherapistTriggersPage, error) {
	a, err := openView(ctx, s.Store, u, coupleID, "triggers")
	if err != nil {
		return nil, err
	}
	r := s.patternRange(u.Location(), weeks)
	days, rangeErr := askedDays(r.today, from, to, mend.Days{From: r.from, To: r.today})
	var listFrom, listTo time.Time
	if days.Chosen {
		listFrom, listTo = days.From, days.Through
	}
	members, ts, pt, err := s.Store.TherapistTriggersPage(ctx, a, mend.TriggerPage, r.from, r.to, r.today, listFrom, listTo)
	if err != nil {
		return nil, err
	}
	return &mend.TherapistTriggersPage{Access: a, Members: members, Days: days.Days, Triggers: ts,
		Patterns: patternsPage(nil, mend.WhoBoth, r, pt)}, rangeErr
}

// spaceAndTalk reads u's space with the next talk time (nil when none is
// agreed), in one round trip.
func (s *Triggers) spaceAndTalk(ctx context.Context, u *mend.User) (*mend.Space, *mend.NextTalk, error) {
	if s.Talk == nil {
		sp, err := s.Couples.Space(ctx, u)
		return sp, nil, err
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, nil, err
	}
	sp, ts, err := s.Talk.Store.SpaceWithTalkTimes(ctx, a)
	if mend.ErrorCode(err) == mend.NotFound {
		return nil, nil, ErrNoSpace
	}
	if err != nil {
		return nil, nil, err
	}
	return sp, mend.NextTalkOf(ts, s.Talk.Now()), nil
}

// nextTalk is the couple's next talk time; nil when none is agreed (or
// Triggers has no Talk).
func (s *Triggers) nextTalk(ctx context.Context, a mend.PartnerAccess) (*mend.NextTalk, error) {
	if s.Talk == nil {
		return nil, nil
	}
	ts, err := s.Talk.Store.TalkTimes(ctx, a)
	if err != nil {
		return nil, err
	}
	return mend.NextTalkOf(ts, s.Talk.Now()), nil
}
