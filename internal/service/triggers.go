package service

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mend-app/mend/internal/mend"
)

// TriggerStore is what Triggers needs from the database.
type TriggerStore interface {
	LogTrigger(ctx context.Context, a mend.PartnerAccess, t mend.Trigger, formKey []byte) (int64, error)
	EditTrigger(ctx context.Context, a mend.PartnerAccess, id int64, t mend.Trigger) error
	Triggers(ctx context.Context, a mend.Reader, who mend.Who, id int64, before time.Time, beforeID int64, limit int) ([]mend.Trigger, error)
	RespondToTrigger(ctx context.Context, a mend.PartnerAccess, id int64, choice, body, did string) error
	Patterns(ctx context.Context, a mend.Reader, who mend.Who, from, to, today time.Time) (*mend.Patterns, error)
	HardDates(ctx context.Context, a mend.PartnerAccess) ([]mend.HardDate, error)
	AddHardDate(ctx context.Context, a mend.PartnerAccess, d mend.HardDate, formKey []byte) error
	RemoveHardDate(ctx context.Context, a mend.PartnerAccess, id int64) error
	RecordView(ctx context.Context, a mend.TherapistAccess, kind string) error
	Members(ctx context.Context, a mend.Reader) ([]mend.Member, error)
}

// Triggers runs the trigger log: quick capture, responses, patterns and
// hard dates.
type Triggers struct {
	Store   TriggerStore
	Couples *Couples
	Now     func() time.Time
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

// Log records u's trigger. A form sent twice logs once (the id is then 0).
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
		return 0, nil
	}
	return id, err
}

// Edit changes u's own trigger id, keeping what it said before. Its time
// (and the day and hour it fell on) stays unless the form changes it.
func (s *Triggers) Edit(ctx context.Context, u *mend.User, id int64, in TriggerInput) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	old, err := s.one(ctx, a, id)
	if err != nil {
		return err
	}
	if old.UserID != u.ID {
		return &mend.Error{Code: mend.NotFound, Message: "Only the one who logged a trigger changes it."}
	}
	unchanged := strings.TrimSpace(in.When) == "" || in.When == old.OccurredAt.In(u.Location()).Format("2006-01-02T15:04")
	if unchanged {
		in.When = ""
	}
	t, err := s.trigger(u, in)
	if err != nil {
		return err
	}
	if unchanged {
		t.OccurredAt, t.LocalDay, t.LocalWeekday, t.LocalHour = old.OccurredAt, old.LocalDay, old.LocalWeekday, old.LocalHour
	}
	return s.Store.EditTrigger(ctx, a, id, t)
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
		return nil, nil, &mend.Error{Code: mend.NotFound, Message: "There is no such trigger in your space."}
	}
	return sp, t, nil
}

func (s *Triggers) one(ctx context.Context, a mend.PartnerAccess, id int64) (*mend.Trigger, error) {
	ts, err := s.Store.Triggers(ctx, a, mend.WhoBoth, id, time.Time{}, 0, 1)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, &mend.Error{Code: mend.NotFound, Message: "There is no such trigger in your space."}
	}
	return &ts[0], nil
}

// msgRetiredChoice refuses an answer that is no longer offered (a form
// from before it was retired, or typed by hand).
const msgRetiredChoice = "Mend has no talk times yet, so that answer is no longer offered. Choose another one, or say it in your own words."

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
	retired := choice != "" && mend.Label(mend.RetiredTriggerChoices, choice) != ""
	if choice != "" && mend.Label(mend.TriggerChoices, choice) == "" {
		choice = ""
	}
	switch {
	case retired:
		fe.Add("response", msgRetiredChoice)
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
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	p := &mend.TriggersPage{Space: sp, Today: mend.Date(s.Now(), u.Location())}
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
	ts, err := s.Store.Triggers(ctx, sp.Access, w, 0, b, bID, mend.TriggerPage+1)
	if err != nil {
		return nil, err
	}
	if len(ts) > mend.TriggerPage {
		ts = ts[:mend.TriggerPage]
		last := ts[len(ts)-1]
		p.Next = last.OccurredAt.Format(time.RFC3339Nano) + "_" + strconv.FormatInt(last.ID, 10)
	}
	p.Triggers = ts
	return p, nil
}

// Dashboard returns the partner's three latest triggers of the last week
// and the hard dates of the coming week, for u's Today page.
func (s *Triggers) Dashboard(ctx context.Context, u *mend.User, sp *mend.Space) (*mend.TriggerDashboard, error) {
	d := &mend.TriggerDashboard{}
	if sp.Partner != nil {
		ts, err := s.Store.Triggers(ctx, sp.Access, mend.WhoPartner, 0, time.Time{}, 0, 3)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if t.OccurredAt.After(s.Now().AddDate(0, 0, -7)) {
				d.Partners = append(d.Partners, t)
			}
		}
	}
	dates, err := s.Store.HardDates(ctx, sp.Access)
	if err != nil {
		return nil, err
	}
	d.Upcoming = Upcoming(dates, mend.Date(s.Now(), u.Location()), mend.HardDateNotice)
	return d, nil
}

// ---- Hard dates ----

// NextOccurrence returns the first day on or after today on which d falls:
// its date, or for a yearly one its day this year or next. 29 February
// falls on 28 February in other years. ok is false for a one-off date that
// has passed.
func NextOccurrence(d mend.HardDate, today time.Time) (time.Time, bool) {
	if !d.Yearly {
		return d.Date, !d.Date.Before(today)
	}
	// Not before its own year: a yearly date set in a future year starts then.
	first := max(today.Year(), d.Date.Year())
	for _, y := range []int{first, first + 1} {
		if day := onYear(d.Date, y); !day.Before(today) {
			return day, true
		}
	}
	return time.Time{}, false
}

// onYear is date's month and day in year y (29 February → 28 in other years).
func onYear(date time.Time, y int) time.Time {
	m, day := date.Month(), date.Day()
	if m == time.February && day == 29 && !isLeap(y) {
		day = 28
	}
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// Upcoming returns the dates falling within days days from today (today
// included), soonest first.
func Upcoming(dates []mend.HardDate, today time.Time, days int) []mend.UpcomingDate {
	var out []mend.UpcomingDate
	for _, d := range dates {
		next, ok := NextOccurrence(d, today)
		if n := mend.DayIndex(today, next); ok && n <= days {
			out = append(out, mend.UpcomingDate{HardDate: d, Next: next, Days: n})
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Next.Before(out[j-1].Next); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// HardDates returns u's hard dates page.
func (s *Triggers) HardDates(ctx context.Context, u *mend.User) (*mend.HardDatesPage, error) {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	today := mend.Date(s.Now(), u.Location())
	dates, err := s.Store.HardDates(ctx, sp.Access)
	if err != nil {
		return nil, err
	}
	p := &mend.HardDatesPage{Space: sp, Today: today}
	for _, d := range dates {
		next, ok := NextOccurrence(d, today)
		u := mend.UpcomingDate{HardDate: d, Next: next, Days: -1}
		if ok {
			u.Days = mend.DayIndex(today, next)
		}
		p.Dates = append(p.Dates, u)
	}
	p.CameToLight = cameToLight(sp, dates)
	return p, nil
}

// cameToLight is the day it came to light to offer as a hard date: from
// the reader's own starting words, then from their partner's shared with
// them, unless it is a hard date already. Words about an earlier pair are
// not offered: the couple's hard dates are for the two of them.
func cameToLight(sp *mend.Space, dates []mend.HardDate) *time.Time {
	for _, c := range []*mend.CoupleContext{sp.MyContext(), sp.PartnerContext()} {
		if c == nil || c.CameToLight == nil || c.Earlier {
			continue
		}
		if !slices.ContainsFunc(dates, func(d mend.HardDate) bool { return d.Date.Equal(*c.CameToLight) }) {
			return c.CameToLight
		}
	}
	return nil
}

// AddHardDate adds a hard date for u's couple. Errors: Invalid with Fields
// ("label", "date"). A form sent twice adds once.
func (s *Triggers) AddHardDate(ctx context.Context, u *mend.User, label, date string, yearly bool, formKey string) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	fe := mend.FieldErrors{}
	d := mend.HardDate{Label: strings.TrimSpace(label), Yearly: yearly}
	if d.Label == "" {
		fe.Add("label", "Give it a name only the two of you will understand.")
	}
	mend.LimitHardLabel.Check(fe, "label", d.Label)
	day, err := mend.ParseDate(strings.TrimSpace(date))
	switch {
	case err != nil:
		fe.Add("date", "Enter a date like 2026-03-14.")
	case day.Year() < 1900 || day.Year() > 2200:
		fe.Add("date", "Enter a date between 1900 and 2200.")
	default:
		d.Date = day
	}
	if err := fe.Err(); err != nil {
		return err
	}
	err = s.Store.AddHardDate(ctx, a, d, FormKeyHash(formKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return err
}

// RemoveHardDate removes hard date id of u's couple.
func (s *Triggers) RemoveHardDate(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.RemoveHardDate(ctx, a, id)
}

// ---- Patterns ----

// TopWords returns the n words used most in texts (ties by the word), lower
// case, leaving out words of two letters or fewer and common small words.
func TopWords(texts []string, n int) []mend.Count {
	counts := map[string]int{}
	for _, t := range texts {
		for _, w := range strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
			w = strings.Trim(w, "'")
			if utf8.RuneCountInString(w) > 2 && !stopWord[w] {
				counts[w]++
			}
		}
	}
	out := make([]mend.Count, 0, len(counts))
	for w, c := range counts {
		out = append(out, mend.Count{Key: w, Count: c})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out[:min(n, len(out))]
}

var stopWord = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range stopWords {
		m[w] = true
	}
	return m
}()

// stopWords are left out of the words of what helped.
var stopWords = strings.Fields(`the and for with that this was were you your yours are but not have has had our ours they them
their what when then than just very really about into from some more most much can could would should will did does
him her his hers she its it's i'm i've we we're me my mine all out who how got get let too also being been`)

// Patterns returns u's patterns page over weeks (4, 12 or 52) of the
// triggers by who ("me" or "partner"; "" is both).
func (s *Triggers) Patterns(ctx context.Context, u *mend.User, who string, weeks int) (*mend.PatternsPage, error) {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	return s.patterns(ctx, sp.Access, u.Location(), sp, mend.ParseWho(who), weeks)
}

func (s *Triggers) patterns(ctx context.Context, a mend.Reader, loc *time.Location, sp *mend.Space, who mend.Who, weeks int) (*mend.PatternsPage, error) {
	weeks = trendWeeks(weeks)
	today := mend.Date(s.Now(), loc)
	// Whole weeks, Monday to Sunday, ending with this one.
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	from := monday.AddDate(0, 0, -7*(weeks-1))
	to := monday.AddDate(0, 0, 6)
	pt, err := s.Store.Patterns(ctx, a, who, from, to, today)
	if err != nil {
		return nil, err
	}
	p := &mend.PatternsPage{Space: sp, Who: string(who), Weeks: weeks, From: from, To: to, Cats: pt.Categories, Words: TopWords(pt.Helped, 10)}
	byWeek := map[time.Time]mend.WeekStat{}
	sum := 0.0
	for _, w := range pt.Weeks {
		byWeek[w.Week] = w
		p.Total += w.Count
		sum += w.Intensity * float64(w.Count)
	}
	for i := range weeks {
		wk := from.AddDate(0, 0, 7*i)
		st := byWeek[wk]
		st.Week = wk
		p.Series = append(p.Series, st)
	}
	p.Average = math.NaN()
	if p.Total > 0 {
		p.Average = sum / float64(p.Total)
	}
	for _, c := range pt.Heat {
		if c.Weekday >= 0 && c.Weekday < 7 && c.Band >= 0 && c.Band < 4 {
			p.Heat[c.Weekday][c.Band] += c.Count
			p.HeatMax = max(p.HeatMax, p.Heat[c.Weekday][c.Band])
		}
	}
	p.Reading = Reading(pt.Recent.Count, pt.Recent.Intensity, pt.Before.Count, pt.Before.Intensity)
	return p, nil
}

// Reading says in plain, neutral words how the last 4 weeks compare with
// the 4 before them: counts and average intensity.
func Reading(recent int, recentIntensity float64, before int, beforeIntensity float64) []string {
	var out []string
	switch {
	case recent == 0 && before == 0:
		return []string{"No triggers logged in the last 8 weeks."}
	case recent < before:
		out = append(out, "Fewer triggers than the 4 weeks before ("+strconv.Itoa(recent)+", was "+strconv.Itoa(before)+").")
	case recent > before:
		out = append(out, "More triggers than the 4 weeks before ("+strconv.Itoa(recent)+", was "+strconv.Itoa(before)+").")
	default:
		out = append(out, "As many triggers as the 4 weeks before ("+strconv.Itoa(recent)+").")
	}
	if recent > 0 && before > 0 {
		switch d := recentIntensity - beforeIntensity; {
		case d >= 0.5:
			out = append(out, fmt.Sprintf("More intense this month: %.1f on average, was %.1f.", recentIntensity, beforeIntensity))
		case d <= -0.5:
			out = append(out, fmt.Sprintf("Less intense this month: %.1f on average, was %.1f.", recentIntensity, beforeIntensity))
		default:
			out = append(out, fmt.Sprintf("About as intense as before: %.1f on average.", recentIntensity))
		}
	}
	return out
}

// ForTherapist returns the triggers of coupleID shared with therapist u,
// read-only, after recording the view in the couple's log.
func (s *Triggers) ForTherapist(ctx context.Context, u *mend.User, coupleID int64, weeks int) (*mend.TherapistTriggersPage, error) {
	a, members, err := s.Couples.therapistView(ctx, s.Store, u, coupleID, "triggers")
	if err != nil {
		return nil, err
	}
	p := &mend.TherapistTriggersPage{Access: a, Members: members}
	if p.Triggers, err = s.Store.Triggers(ctx, a, mend.WhoBoth, 0, time.Time{}, 0, mend.TriggerPage); err != nil {
		return nil, err
	}
	if p.Patterns, err = s.patterns(ctx, a, u.Location(), nil, mend.WhoBoth, weeks); err != nil {
		return nil, err
	}
	return p, nil
}
