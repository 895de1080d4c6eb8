package service

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// TherapyStore is what Therapy needs from the database.
type TherapyStore interface {
	OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error)
	TherapistAccess(ctx context.Context, therapistID, coupleID int64) (mend.TherapistAccess, error)
	TherapySessionsPage(ctx context.Context, a mend.TherapistAccess, today time.Time, noteID int64) (*mend.TherapySessionsPage, error)
	AddTherapySession(ctx context.Context, a mend.TherapistAccess, day time.Time, formKey []byte) error
	RemoveTherapySession(ctx context.Context, a mend.TherapistAccess, id int64) error
	SessionDates(ctx context.Context, a mend.TherapistAccess, today time.Time) (mend.SessionDates, error)
	NextSessions(ctx context.Context, therapistID int64, today time.Time) (map[int64]time.Time, error)
	AddNote(ctx context.Context, a mend.TherapistAccess, sessionID int64, body string, formKey []byte) error
	EditNote(ctx context.Context, a mend.TherapistAccess, id, sessionID int64, body string) (bool, error)
	SendSuggestion(ctx context.Context, a mend.TherapistAccess, s mend.Suggestion, formKey []byte) error
	TherapistSuggestionsPage(ctx context.Context, a mend.TherapistAccess) (*mend.SuggestionsPage, error)
	DismissSuggestion(ctx context.Context, a mend.PartnerAccess, id int64) error
	SessionCheckStore
}

// Therapy runs the therapist's own records about a couple: session dates,
// private notes and suggestions to the couple, and the partners' short
// checks after a session (session_checks.go). A therapist reads and
// writes them only while their link is active and agreed. Opening one of
// these pages is a view of the couple, logged before anything is read;
// writing is not.
type Therapy struct {
	Store   TherapyStore
	Couples *Couples
	Now     func() time.Time
}

// NewTherapy returns Therapy on store with the real clock.
func NewTherapy(store TherapyStore, couples *Couples) *Therapy {
	return &Therapy{Store: store, Couples: couples, Now: time.Now}
}

// today is u's date now.
func (s *Therapy) today(u *mend.User) time.Time { return mend.Date(s.Now(), u.Location()) }

// access is therapist u's access to coupleID for a write: made by the
// store from u's active, agreed link. NotFound otherwise.
func (s *Therapy) access(ctx context.Context, u *mend.User, coupleID int64) (mend.TherapistAccess, error) {
	if !u.IsTherapist() {
		return mend.TherapistAccess{}, mend.ErrNotFound
	}
	return s.Store.TherapistAccess(ctx, u.ID, coupleID)
}

// Sessions returns therapist u's page of their sessions with coupleID and
// their own notes (only note noteID when it is not 0), logging the view
// first. NotFound without an active, agreed link.
func (s *Therapy) Sessions(ctx context.Context, u *mend.User, coupleID, noteID int64) (*mend.TherapySessionsPage, error) {
	a, err := openView(ctx, s.Store, u, coupleID, "sessions")
	if err != nil {
		return nil, err
	}
	p, err := s.Store.TherapySessionsPage(ctx, a, s.today(u), noteID)
	if err == nil && noteID != 0 && len(p.Notes) == 0 {
		return nil, mend.ErrNoNote
	}
	return p, err
}

// SessionDates returns therapist u's last session with coupleID before
// today and the next from today on, in u's days. It logs no view: a page
// that shows them logs its own. NotFound without an active, agreed link.
func (s *Therapy) SessionDates(ctx context.Context, u *mend.User, coupleID int64) (mend.SessionDates, error) {
	a, err := s.access(ctx, u, coupleID)
	if err != nil {
		return mend.SessionDates{}, err
	}
	return s.Store.SessionDates(ctx, a, s.today(u))
}

// NextSessions returns the next session date (from u's today on) of each
// couple therapist u is linked to now, by couple id, in one statement.
func (s *Therapy) NextSessions(ctx context.Context, u *mend.User) (map[int64]time.Time, error) {
	if !u.IsTherapist() {
		return nil, errNotTherapist
	}
	return s.Store.NextSessions(ctx, u.ID, s.today(u))
}

// AddSession records the date of a session of therapist u with coupleID:
// a real date within mend.SessionYears of today, either side. A form sent
// twice records once. Errors: Invalid with Fields ("day"); NotFound
// without an active, agreed link.
func (s *Therapy) AddSession(ctx context.Context, u *mend.User, coupleID int64, day, formKey string) error {
	a, err := s.access(ctx, u, coupleID)
	if err != nil {
		return err
	}
	fe := mend.FieldErrors{}
	today := s.today(u)
	d, err := mend.ParseDate(strings.TrimSpace(day))
	switch {
	case strings.TrimSpace(day) == "":
		fe.Add("day", "Enter the date of the session.")
	case err != nil:
		fe.Add("day", "Enter a date like "+today.Format(time.DateOnly)+".")
	case d.Before(today.AddDate(-mend.SessionYears, 0, 0)) || d.After(today.AddDate(mend.SessionYears, 0, 0)):
		fe.Add("day", "Choose a date within "+strconv.Itoa(mend.SessionYears)+" years of today.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return ignoreUsed(s.Store.AddTherapySession(ctx, a, d, FormKeyHash(formKey)))
}

// RemoveSession removes therapist u's session date id with coupleID; a
// note about it stays, about the couple. NotFound when it is not theirs
// or the link is not active.
func (s *Therapy) RemoveSession(ctx context.Context, u *mend.User, coupleID, id int64) error {
	a, err := s.access(ctx, u, coupleID)
	if err != nil {
		return err
	}
	return s.Store.RemoveTherapySession(ctx, a, id)
}

// noteInput validates a note's words and the session it is about.
func noteInput(body, session string) (string, int64, error) {
	fe := mend.FieldErrors{}
	body = strings.TrimSpace(body)
	if body == "" {
		fe.Add("body", "Write the note, or leave the page.")
	}
	mend.LimitNote.Check(fe, "body", body)
	var sessionID int64
	if session = strings.TrimSpace(session); session != "" {
		id, err := strconv.ParseInt(session, 10, 64)
		if err != nil || id < 0 {
			fe.Add("session", "Choose one of your sessions, or none.")
		}
		sessionID = id
	}
	return body, sessionID, fe.Err()
}

// AddNote records therapist u's private note about coupleID, and about
// their session session ("" for none). A form sent twice records once.
// Errors: Invalid with Fields ("body", "session"); NotFound without an
// active, agreed link.
func (s *Therapy) AddNote(ctx context.Context, u *mend.User, coupleID int64, body, session, formKey string) error {
	a, err := s.access(ctx, u, coupleID)
	if err != nil {
		return err
	}
	body, sessionID, err := noteInput(body, session)
	if err != nil {
		return err
	}
	err = ignoreUsed(s.Store.AddNote(ctx, a, sessionID, body, FormKeyHash(formKey)))
	if mend.ErrorCode(err) == mend.NotFound && sessionID != 0 {
		// The link is there (access was made) but the session is not.
		return mend.FieldErrors{"session": "That session date was removed. Choose another, or none."}.Err()
	}
	return err
}

// EditNote changes therapist u's own note id about coupleID. changed is
// false when it said this already. Errors: Invalid with Fields; NotFound
// when the note is not theirs or the link is not active.
func (s *Therapy) EditNote(ctx context.Context, u *mend.User, coupleID, id int64, body, session string) (changed bool, err error) {
	a, err := s.access(ctx, u, coupleID)
	if err != nil {
		return false, err
	}
	body, sessionID, err := noteInput(body, session)
	if err != nil {
		return false, err
	}
	return s.Store.EditNote(ctx, a, id, sessionID, body)
}

// SuggestionInput is the therapist's suggestion form.
type SuggestionInput struct {
	Kind, Title, Body, FormKey string
}

// Suggest sends the couple coupleID therapist u's suggestion. A form sent
// twice sends once. Errors: Invalid with Fields ("kind", "title", "body");
// NotFound without an active, agreed link.
func (s *Therapy) Suggest(ctx context.Context, u *mend.User, coupleID int64, in SuggestionInput) error {
	a, err := s.access(ctx, u, coupleID)
	if err != nil {
		return err
	}
	fe := mend.FieldErrors{}
	sg := mend.Suggestion{Kind: mend.SuggestionKind(in.Kind), Title: strings.TrimSpace(in.Title), Body: strings.TrimSpace(in.Body)}
	if mend.Label(mend.SuggestionKinds, in.Kind) == "" {
		fe.Add("kind", "Choose what you are suggesting.")
	}
	if sg.Title == "" {
		fe.Add("title", "Give it a short title the couple will recognise.")
	}
	mend.LimitSuggestionTitle.Check(fe, "title", sg.Title)
	mend.LimitSuggestionBody.Check(fe, "body", sg.Body)
	if err := fe.Err(); err != nil {
		return err
	}
	return ignoreUsed(s.Store.SendSuggestion(ctx, a, sg, FormKeyHash(in.FormKey)))
}

// Suggestions returns the page of what therapist u sent coupleID, logging
// the view first. NotFound without an active, agreed link.
func (s *Therapy) Suggestions(ctx context.Context, u *mend.User, coupleID int64) (*mend.SuggestionsPage, error) {
	a, err := openView(ctx, s.Store, u, coupleID, "suggestions")
	if err != nil {
		return nil, err
	}
	return s.Store.TherapistSuggestionsPage(ctx, a)
}

// SetAside sets suggestion id aside for partner u alone: their partner
// still sees it. NotFound when u does not see it.
func (s *Therapy) SetAside(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.DismissSuggestion(ctx, a, id)
}

// ignoreUsed turns a form sent again into the first one's success.
func ignoreUsed(err error) error {
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return err
}
