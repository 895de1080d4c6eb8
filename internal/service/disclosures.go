package service

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// DisclosureStore is what Disclosures needs from the database.
type DisclosureStore interface {
	WriteDisclosure(ctx context.Context, a mend.PartnerAccess, d mend.Disclosure, send bool, formKey []byte) (int64, error)
	EditDraft(ctx context.Context, a mend.PartnerAccess, id int64, d mend.Disclosure, send bool) error
	SendDraft(ctx context.Context, a mend.PartnerAccess, id int64) error
	AnswerDisclosure(ctx context.Context, a mend.PartnerAccess, id int64, body string, formKey []byte) error
	DeleteDisclosure(ctx context.Context, a mend.PartnerAccess, id int64) error
	DeleteDisclosureAnswers(ctx context.Context, a mend.PartnerAccess, id int64) error
	DisclosuresOf(ctx context.Context, a mend.PartnerAccess, id int64) (*mend.Space, []mend.Disclosure, error)
	OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error)
	TherapistDisclosuresPage(ctx context.Context, a mend.TherapistAccess, from, to time.Time) ([]mend.Member, []mend.Disclosure, error)
	DisclosureMarks(ctx context.Context, a mend.Reader, from, to time.Time) ([]mend.DisclosureMark, error)
}

// Disclosures runs "something I need to tell you": a partner's private
// drafts, what they send, what the partner who was hurt discovered, and
// the other partner's answers.
type Disclosures struct {
	Store   DisclosureStore
	Couples *Couples
	Now     func() time.Time
}

// NewDisclosures returns Disclosures on store with the real clock.
func NewDisclosures(store DisclosureStore, couples *Couples) *Disclosures {
	return &Disclosures{Store: store, Couples: couples, Now: time.Now}
}

// DisclosureInput is the form that writes or changes a disclosure.
type DisclosureInput struct {
	How, Topic, Day, Body, Visibility, FormKey string
	// Send sends it now; otherwise it is kept as a private draft.
	Send bool
}

// disclosure validates in for u.
func (s *Disclosures) disclosure(u *mend.User, in DisclosureInput) (mend.Disclosure, error) {
	fe := mend.FieldErrors{}
	d := mend.Disclosure{UserID: u.ID, How: in.How, Topic: in.Topic, Body: strings.TrimSpace(in.Body),
		Visibility: mend.Visibility(in.Visibility)}
	if mend.Label(mend.DisclosureHows, d.How) == "" {
		fe.Add("how", "Choose whether you are telling something or found something out.")
	}
	if mend.Label(mend.DisclosureTopics, d.Topic) == "" {
		fe.Add("topic", "Choose what it is about.")
	}
	today := mend.Date(s.Now(), u.Location())
	day, err := time.Parse(time.DateOnly, strings.TrimSpace(in.Day))
	switch {
	case err != nil:
		fe.Add("day", "Enter the day it happened, or the day you found out.")
	case day.After(today):
		fe.Add("day", "This day is still to come. Choose today or a day before.")
	case day.Year() < 1900:
		fe.Add("day", "Choose a day after 1900.")
	default:
		d.HappenedOn = day
	}
	if d.Body == "" {
		fe.Add("body", "Write what you need to say, in your own words. A few are enough.")
	} else {
		mend.LimitDisclosureText.Check(fe, "body", d.Body)
	}
	if mend.Label(mend.DisclosureVisibilities, string(d.Visibility)) == "" {
		fe.Add("visibility", "Choose who it reaches once sent.")
	}
	return d, fe.Err()
}

// Write records u's disclosure: sent now when in.Send, otherwise a private
// draft. A form sent twice records once (the id is then 0). Errors:
// Invalid with Fields; NotFound without a space.
func (s *Disclosures) Write(ctx context.Context, u *mend.User, in DisclosureInput) (int64, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return 0, err
	}
	d, err := s.disclosure(u, in)
	if err != nil {
		return 0, err
	}
	id, err := s.Store.WriteDisclosure(ctx, a, d, in.Send, FormKeyHash(in.FormKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return 0, nil
	}
	return id, err
}

// EditDraft changes u's own draft id, and sends it when in.Send. Errors:
// Invalid with Fields; NotFound (mend.ErrNoDraft) when it is not u's or
// was sent already.
func (s *Disclosures) EditDraft(ctx context.Context, u *mend.User, id int64, in DisclosureInput) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	d, err := s.disclosure(u, in)
	if err != nil {
		return err
	}
	return s.Store.EditDraft(ctx, a, id, d, in.Send)
}

// Send sends u's own draft id as it is. NotFound (mend.ErrNoDraft) when it
// is not u's or was sent already.
func (s *Disclosures) Send(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.SendDraft(ctx, a, id)
}

// Answer adds u's answer to their partner's sent disclosure id. A form sent
// twice answers once. Errors: Invalid on "answer"; NotFound for u's own,
// a draft, or one u may not see.
func (s *Disclosures) Answer(ctx context.Context, u *mend.User, id int64, body, formKey string) error {
	fe := mend.FieldErrors{}
	body = strings.TrimSpace(body)
	if body == "" {
		fe.Add("answer", "Choose one of the answers, or write a few words.")
	} else {
		mend.LimitAck.Check(fe, "answer", body)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	err = s.Store.AnswerDisclosure(ctx, a, id, body, FormKeyHash(formKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return err
}

// List returns what u may see of the couple's disclosures: u's drafts,
// and what was told and what was discovered, apart. ErrNoSpace without a
// space.
func (s *Disclosures) List(ctx context.Context, u *mend.User) (*mend.DisclosuresPage, error) {
	sp, ds, err := s.read(ctx, u, 0)
	if err != nil {
		return nil, err
	}
	p := &mend.DisclosuresPage{Space: sp, Today: mend.Date(s.Now(), u.Location())}
	for _, d := range ds {
		switch {
		case d.Draft():
			p.Drafts = append(p.Drafts, d)
		case d.How == mend.Discovered:
			p.Found = append(p.Found, d)
		default:
			p.Told = append(p.Told, d)
		}
	}
	return p, nil
}

// Draft returns u's own draft id with u's space, for the form that
// changes it. NotFound (mend.ErrNoDraft) for anything else.
func (s *Disclosures) Draft(ctx context.Context, u *mend.User, id int64) (*mend.Space, *mend.Disclosure, error) {
	sp, ds, err := s.read(ctx, u, id)
	if err != nil {
		return nil, nil, err
	}
	if len(ds) == 0 || ds[0].UserID != u.ID || !ds[0].Draft() {
		return nil, nil, mend.ErrNoDraft
	}
	return sp, &ds[0], nil
}

// Mine returns u's own disclosure id, sent or a draft, with u's space, for
// the page that confirms deleting it. NotFound for anyone else's.
func (s *Disclosures) Mine(ctx context.Context, u *mend.User, id int64) (*mend.Space, *mend.Disclosure, error) {
	sp, ds, err := s.read(ctx, u, id)
	if err != nil {
		return nil, nil, err
	}
	if len(ds) == 0 || ds[0].UserID != u.ID {
		return nil, nil, errNoDisclosure
	}
	return sp, &ds[0], nil
}

// Delete deletes u's own disclosure id for good, sent or a draft, with the
// answers to it. NotFound for anyone else's.
func (s *Disclosures) Delete(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return inWords(s.Store.DeleteDisclosure(ctx, a, id), errNoDisclosure)
}

// DeleteAnswers deletes u's own answers to their partner's disclosure id.
// NotFound when u has none.
func (s *Disclosures) DeleteAnswers(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return inWords(s.Store.DeleteDisclosureAnswers(ctx, a, id), errNoDisclosureAnswer)
}

var (
	errNoDisclosure       = &mend.Error{Code: mend.NotFound, Message: "There is no such disclosure of yours."}
	errNoDisclosureAnswer = &mend.Error{Code: mend.NotFound, Message: "You have not answered that."}
)

func (s *Disclosures) read(ctx context.Context, u *mend.User, id int64) (*mend.Space, []mend.Disclosure, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, nil, noSpace(err)
	}
	sp, ds, err := s.Store.DisclosuresOf(ctx, a, id)
	return sp, ds, noSpace(err)
}

// noSpace says ErrNoSpace for a partner who has no space.
func noSpace(err error) error {
	if mend.ErrorCode(err) == mend.NotFound && !errors.Is(err, mend.ErrNoDraft) {
		return ErrNoSpace
	}
	return err
}

// therapistDays is the default range of the therapist's page.
const therapistDays = 90

// ForTherapist returns the disclosures of coupleID shared with therapist u
// whose days fall from from to to ("2006-01-02"; empty: the last 90 days),
// after recording the view in the couple's log. Told and discovered come
// apart. Days that cannot be shown (see askedDays) are an Invalid error on
// "from" or "to" returned with the page of the default range, so the page
// can say so.
func (s *Disclosures) ForTherapist(ctx context.Context, u *mend.User, coupleID int64, from, to string) (*mend.TherapistDisclosuresPage, error) {
	a, err := openView(ctx, s.Store, u, coupleID, "disclosures")
	if err != nil {
		return nil, err
	}
	today := mend.Date(s.Now(), u.Location())
	days, rangeErr := askedDays(today, from, to, mend.Days{From: today.AddDate(0, 0, -therapistDays), To: today})
	p := &mend.TherapistDisclosuresPage{Access: a, From: days.From, To: days.To}
	members, ds, err := s.Store.TherapistDisclosuresPage(ctx, a, days.From, days.Through)
	if err != nil {
		return nil, err
	}
	p.Members = members
	for _, d := range ds {
		if d.How == mend.Discovered {
			p.Found = append(p.Found, d)
		} else {
			p.Told = append(p.Told, d)
		}
	}
	return p, rangeErr
}

// Marks returns the marks of the sent disclosures a may see with days from
// from to to, for charts and summaries: no words, never a draft.
func (s *Disclosures) Marks(ctx context.Context, a mend.Reader, from, to time.Time) ([]mend.DisclosureMark, error) {
	return s.Store.DisclosureMarks(ctx, a, from, to)
}
