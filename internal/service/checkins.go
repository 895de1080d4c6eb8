package service

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// CheckinStore is what Checkins needs from the database.
type CheckinStore interface {
	SaveCheckin(ctx context.Context, a mend.PartnerAccess, c mend.Checkin, formKey []byte, mayEdit func(old *mend.Checkin) error) (bool, error)
	CheckinDay(ctx context.Context, a mend.PartnerAccess, today, day time.Time) (*mend.CheckinDay, error)
	SaveAck(ctx context.Context, a mend.PartnerAccess, today, day time.Time, body string) error
	DeleteCheckin(ctx context.Context, a mend.PartnerAccess, day time.Time) error
	DeleteAck(ctx context.Context, a mend.PartnerAccess, day time.Time) error
	CheckinHistory(ctx context.Context, a mend.PartnerAccess, today, before time.Time, who mend.Who, days int, from, to time.Time) ([]mend.Checkin, []mend.Mark, error)
	CheckinPoints(ctx context.Context, a mend.PartnerAccess, today, from, to time.Time) ([]mend.Point, error)
	OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error)
	TherapistCheckinsPage(ctx context.Context, a mend.TherapistAccess, from, to, listFrom, listTo time.Time) ([]mend.Member, []mend.Checkin, []mend.Checkin, error)
}

// Checkins runs the daily check-in: writing it, reveal together, answers,
// the history and the trends.
type Checkins struct {
	Store   CheckinStore
	Couples *Couples
	Now     func() time.Time
}

// NewCheckins returns Checkins on store with the real clock.
func NewCheckins(store CheckinStore, couples *Couples) *Checkins {
	return &Checkins{Store: store, Couples: couples, Now: time.Now}
}

// Today returns u's local date now, as midnight UTC.
func (s *Checkins) Today(u *mend.User) time.Time { return mend.Date(s.Now(), u.Location()) }

// CheckinInput is the check-in form as sent.
type CheckinInput struct {
	Day, Mood, Connection         string
	Feel, Need, Worry, Appreciate string
	Visibility                    string
	FormKey                       string
}

var (
	errCheckinDay    = "You can check in for today or for yesterday."
	errCheckinLocked = "This check-in was written on its own day, so it can no longer be changed. Today's check-in is open until midnight."
)

// Save writes u's check-in for in.Day (today when empty, or yesterday,
// marked late), or changes it while it may still be changed: today's all
// day, and a late one on the day it was written. The earlier version is
// kept. Sending the same form twice saves once. Errors: Invalid with Fields
// (the input is kept by the caller); NotFound without a space.
func (s *Checkins) Save(ctx context.Context, u *mend.User, in CheckinInput) (*mend.Checkin, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, err
	}
	today := s.Today(u)
	fe := mend.FieldErrors{}
	c := mend.Checkin{CoupleID: a.CoupleID(), UserID: u.ID, Day: today}
	if d := strings.TrimSpace(in.Day); d != "" {
		day, err := mend.ParseDate(d)
		switch {
		case err != nil || day.After(today) || day.Before(today.AddDate(0, 0, -1)):
			fe.Add("day", errCheckinDay)
		default:
			c.Day = day
		}
	}
	c.Late = c.Day.Before(today)
	c.Mood = scale(fe, "mood", in.Mood, 1, 5, "Choose your mood, from 1 (very low) to 5 (very good).")
	c.Connection = scale(fe, "connection", in.Connection, 0, 10, "Choose how close and connected you feel, from 0 to 10.")
	c.Feel = checkinText(fe, "feel", in.Feel)
	c.Need = checkinText(fe, "need", in.Need)
	c.Worry = checkinText(fe, "worry", in.Worry)
	c.Appreciate = checkinText(fe, "appreciate", in.Appreciate)
	c.Visibility = mend.Visibility(in.Visibility)
	switch c.Visibility {
	case mend.JustMe, mend.MyPartner, mend.PartnerAndTherapist:
	default:
		fe.Add("visibility", "Choose who can see this check-in.")
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	_, err = s.Store.SaveCheckin(ctx, a, c, FormKeyHash(in.FormKey), func(old *mend.Checkin) error {
		if old.Day.Equal(today) || old.Late {
			return nil
		}
		return (mend.FieldErrors{"day": errCheckinLocked}).Err()
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func scale(fe mend.FieldErrors, field, v string, lo, hi int, msg string) int {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < lo || n > hi {
		fe.Add(field, msg)
		return 0
	}
	return n
}

func checkinText(fe mend.FieldErrors, field, v string) string {
	v = strings.TrimSpace(v)
	mend.LimitCheckinText.Check(fe, field, v)
	return v
}

// Form returns the start of u's check-in form for day ("" for today, or
// yesterday's date). A day outside those two is today.
func (s *Checkins) Form(ctx context.Context, u *mend.User, day string) (*mend.CheckinForm, error) {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	f := &mend.CheckinForm{Today: s.Today(u), Space: sp}
	f.Day = f.Today
	// Yesterday, if asked for and the space existed then.
	if d, err := mend.ParseDate(day); err == nil && d.Equal(f.Today.AddDate(0, 0, -1)) && !d.Before(mend.Date(sp.Created, u.Location())) {
		f.Day = d
	}
	f.DefaultVisibility = sp.DefaultVisibility(mend.KindCheckins)
	d, err := s.Store.CheckinDay(ctx, sp.Access, f.Today, f.Day)
	if err != nil {
		return nil, err
	}
	for i := range d.Checkins {
		if d.Checkins[i].UserID == u.ID {
			f.Existing = &d.Checkins[i]
			f.Versions = len(d.Versions)
			f.Locked = !f.Existing.Day.Equal(f.Today) && !f.Existing.Late
		}
	}
	return f, nil
}

// Day returns the check-ins of day as u sees them. NotFound without a
// space; Invalid for a date that is not one.
func (s *Checkins) Day(ctx context.Context, u *mend.User, day string) (*mend.DayPage, error) {
	d, err := mend.ParseDate(day)
	if err != nil {
		return nil, &mend.Error{Code: mend.NotFound, Message: "There is no such day."}
	}
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	p := &mend.DayPage{Space: sp, Day: d, Today: s.Today(u)}
	cd, err := s.Store.CheckinDay(ctx, sp.Access, p.Today, d)
	if err != nil {
		return nil, err
	}
	p.Acks, p.Versions = cd.Acks, cd.Versions
	for i := range cd.Checkins {
		if cd.Checkins[i].UserID == u.ID {
			p.Mine = &cd.Checkins[i]
		} else {
			p.Partners = &cd.Checkins[i]
		}
	}
	yesterday := p.Today.AddDate(0, 0, -1)
	p.CanWrite = d.Equal(p.Today) || (d.Equal(yesterday) && (p.Mine == nil || p.Mine.Late))
	if sp.Partner != nil {
		theirToday := mend.Date(s.Now(), sp.Partner.Location())
		p.PartnerReads = p.Partners != nil || d.Before(theirToday.AddDate(0, 0, -1))
	}
	return p, nil
}

// Acknowledge writes u's answer to their partner's check-in of day,
// replacing their earlier answer to it. Errors: Invalid with Fields (the
// "ack" field); NotFound when there is no check-in u may read that day.
func (s *Checkins) Acknowledge(ctx context.Context, u *mend.User, day, body string) error {
	d, err := mend.ParseDate(day)
	if err != nil {
		return &mend.Error{Code: mend.NotFound, Message: "There is no such day."}
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	body = strings.TrimSpace(body)
	fe := mend.FieldErrors{}
	if body == "" {
		fe.Add("ack", "Write a few words, or choose one of the answers.")
	}
	mend.LimitAck.Check(fe, "ack", body)
	if err := fe.Err(); err != nil {
		return err
	}
	return s.Store.SaveAck(ctx, a, s.Today(u), d, body)
}

// DeletePage returns day as u sees it, for the page that asks u to
// confirm deleting their own check-in of it. NotFound when u wrote none
// that day (or has no space).
func (s *Checkins) DeletePage(ctx context.Context, u *mend.User, day string) (*mend.DayPage, error) {
	p, err := s.Day(ctx, u, day)
	if err != nil {
		return nil, err
	}
	if p.Mine == nil {
		return nil, mend.ErrNoCheckinToDelete
	}
	return p, nil
}

// Delete deletes u's own check-in of day for good, with its earlier
// versions and the partner's answer to it. When it was the day's only
// shared check-in of u's, the partner's is hidden again by reveal
// together, as before u shared. NotFound when u wrote none that day.
func (s *Checkins) Delete(ctx context.Context, u *mend.User, day string) error {
	d, err := mend.ParseDate(day)
	if err != nil {
		return &mend.Error{Code: mend.NotFound, Message: "There is no such day."}
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.DeleteCheckin(ctx, a, d)
}

// DeleteAck deletes u's own answer to their partner's check-in of day.
// NotFound when there is none.
func (s *Checkins) DeleteAck(ctx context.Context, u *mend.User, day string) error {
	d, err := mend.ParseDate(day)
	if err != nil {
		return &mend.Error{Code: mend.NotFound, Message: "There is no such day."}
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.DeleteAck(ctx, a, d)
}

// HistoryQuery picks a page of the history and a month of the calendar.
type HistoryQuery struct {
	Who    string // "", "me" or "partner"
	Before string // a date: the page shows days before it; "" for the newest
	Month  string // "2026-11"; "" for the month of Before, or this month
}

// History returns a page of u's check-in history, newest first.
func (s *Checkins) History(ctx context.Context, u *mend.User, q HistoryQuery) (*mend.HistoryPage, error) {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	p := &mend.HistoryPage{Space: sp, Today: s.Today(u), Started: mend.Date(sp.Created, u.Location())}
	who := mend.ParseWho(q.Who)
	p.Who = string(who)
	before := p.Today.AddDate(0, 0, 1)
	if d, err := mend.ParseDate(q.Before); err == nil && d.Before(before) && d.Year() >= 1900 {
		before, p.Before = d, true
	}
	p.Month = time.Date(p.Today.Year(), p.Today.Month(), 1, 0, 0, 0, 0, time.UTC)
	if m, err := time.ParseInLocation("2006-01", q.Month, time.UTC); err == nil && m.Year() >= 1900 && !m.After(p.Month) {
		p.Month = m
	} else if p.Before && before.Before(p.Today) {
		last := before.AddDate(0, 0, -1)
		p.Month = time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	cs, marks, err := s.Store.CheckinHistory(ctx, sp.Access, p.Today, before, who, mend.HistoryDays+1,
		p.Month, p.Month.AddDate(0, 1, -1))
	if err != nil {
		return nil, err
	}
	for i := range cs {
		c := &cs[i]
		if n := len(p.Days); n == 0 || !p.Days[n-1].Day.Equal(c.Day) {
			if n == mend.HistoryDays {
				p.Next = p.Days[n-1].Day
				break
			}
			p.Days = append(p.Days, mend.HistoryDay{Day: c.Day})
		}
		d := &p.Days[len(p.Days)-1]
		if c.UserID == u.ID {
			d.Mine = c
		} else {
			d.Partners = c
		}
	}
	p.Calendar = map[time.Time]mend.DayMarks{}
	for _, m := range marks {
		dm := p.Calendar[m.Day]
		if m.Mine {
			dm.Mine = true
		} else {
			dm.Partners = true
		}
		p.Calendar[m.Day] = dm
	}
	return p, nil
}

// Trends returns u's trends page over weeks (4, 12 or 52; others are 4).
func (s *Checkins) Trends(ctx context.Context, u *mend.User, weeks int) (*mend.TrendsPage, error) {
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return nil, err
	}
	weeks = trendWeeks(weeks)
	today := s.Today(u)
	from, prevFrom := trendRange(today, weeks)
	points, err := s.Store.CheckinPoints(ctx, sp.Access, today, prevFrom, today)
	if err != nil {
		return nil, err
	}
	ids := []int64{u.ID}
	if sp.Partner != nil {
		ids = append(ids, sp.Partner.UserID)
	}
	return &mend.TrendsPage{Space: sp, Trend: mend.BuildTrend(points, ids, from, today, mend.Date(sp.Created, u.Location()), weeks)}, nil
}

func trendWeeks(w int) int {
	for _, ok := range mend.TrendWeeks {
		if w == ok {
			return w
		}
	}
	return mend.TrendWeeks[0]
}

// trendRange returns the first day of the weeks ending today, and of the
// same number of weeks before them.
func trendRange(today time.Time, weeks int) (from, prevFrom time.Time) {
	from = today.AddDate(0, 0, -7*weeks+1)
	return from, from.AddDate(0, 0, -7*weeks)
}

// dashboardRange is u's today and the first day of the scores the
// dashboard reads: from the four weeks before the last four, as on the
// trends page (the trend's Previous is their average).
func (s *Checkins) dashboardRange(u *mend.User) (today, from time.Time) {
	today = s.Today(u)
	_, prevFrom := trendRange(today, 4)
	return today, prevFrom
}

// dashboard builds the check-in part of u's Today page, on u's today, from d.
func (s *Checkins) dashboard(u *mend.User, sp *mend.Space, today time.Time, d *mend.CheckinDashboard) *mend.Dashboard {
	from, _ := trendRange(today, 4)
	out := &mend.Dashboard{Today: today, Acks: d.Acks, Started: mend.Date(sp.Created, u.Location())}
	for i := range d.Today {
		if d.Today[i].UserID == u.ID {
			out.Mine = &d.Today[i]
		} else {
			out.Partners = &d.Today[i]
		}
	}
	for i := range d.Yesterday {
		if d.Yesterday[i].UserID == u.ID {
			out.Yesterday = &d.Yesterday[i]
		}
	}
	ids := []int64{u.ID}
	if sp.Partner != nil {
		ids = append(ids, sp.Partner.UserID)
	}
	out.Trend = mend.BuildTrend(d.Points, ids, from, today, mend.Date(sp.Created, u.Location()), 4)
	return out
}

// ForTherapist returns the check-ins of coupleID shared with therapist u,
// and records the view in the couple's log before reading. The trend
// covers weeks; the list, the days from to to ("2006-01-02"; empty: the
// same weeks). Days that cannot be shown (see askedDays) are an Invalid
// error on "from" or "to" returned with the page of the weeks alone.
func (s *Checkins) ForTherapist(ctx context.Context, u *mend.User, coupleID int64, weeks int, from, to string) (*mend.TherapistCheckinsPage, error) {
	a, err := openView(ctx, s.Store, u, coupleID, "checkins")
	if err != nil {
		return nil, err
	}
	weeks = trendWeeks(weeks)
	today := mend.Date(s.Now(), u.Location())
	trendFrom, prevFrom := trendRange(today, weeks)
	days, rangeErr := askedDays(today, from, to, mend.Days{From: trendFrom, To: today})
	// Two days ahead: a partner far east of the therapist may be on a later
	// date (up to two, between UTC−11 and UTC+14).
	readTo := today.AddDate(0, 0, 2)
	// Days outside what the trend reads are read on their own, in the same
	// round trip.
	var listFrom, listTo time.Time
	if days.From.Before(prevFrom) || days.Through.After(readTo) {
		listFrom, listTo = days.From, days.Through
	}
	members, all, list, err := s.Store.TherapistCheckinsPage(ctx, a, prevFrom, readTo, listFrom, listTo)
	if err != nil {
		return nil, err
	}
	p := &mend.TherapistCheckinsPage{Access: a, Members: members, Days: days.Days, Checkins: list}
	points := make([]mend.Point, 0, len(all))
	for _, c := range all {
		points = append(points, mend.Point{Day: c.Day, UserID: c.UserID, Mood: c.Mood, Connection: c.Connection})
		if listFrom.IsZero() && !c.Day.Before(days.From) && !c.Day.After(days.Through) {
			p.Checkins = append(p.Checkins, c)
		}
	}
	// The space began no later than the first of its partners joined it
	// (its starter joins it as it begins): the weeks before are compared
	// only from then on.
	ids := make([]int64, len(p.Members))
	var started time.Time
	for i, m := range p.Members {
		ids[i] = m.UserID
		if started.IsZero() || m.JoinedAt.Before(started) {
			started = m.JoinedAt
		}
	}
	if !started.IsZero() {
		started = mend.Date(started, u.Location())
	}
	p.Trend = mend.BuildTrend(points, ids, trendFrom, today, started, weeks)
	return p, rangeErr
}
