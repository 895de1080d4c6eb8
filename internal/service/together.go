package service

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// TogetherStore is what time together needs from the database.
type TogetherStore interface {
	TogetherOf(ctx context.Context, a mend.PartnerAccess, id int64) (*mend.Space, []mend.Together, error)
	LogTogether(ctx context.Context, a mend.PartnerAccess, day time.Time, what, note string, rating *int, formKey []byte) (int64, error)
	NoteTogether(ctx context.Context, a mend.PartnerAccess, id int64, note string, rating *int) error
	DeleteTogether(ctx context.Context, a mend.PartnerAccess, id int64) error
}

// TimeTogether runs the log of time together and new memories.
type TimeTogether struct {
	Store   TogetherStore
	Couples *Couples
	Now     func() time.Time
}

// Page returns the times together u sees, newest first, with a count per
// month. ErrNoSpace without a space.
func (s *TimeTogether) Page(ctx context.Context, u *mend.User) (*mend.TogetherPage, error) {
	sp, ts, err := s.read(ctx, u, 0)
	if err != nil {
		return nil, err
	}
	p := &mend.TogetherPage{Space: sp, Items: ts, Today: mend.Date(s.Now(), u.Location())}
	for _, t := range ts {
		month := time.Date(t.Day.Year(), t.Day.Month(), 1, 0, 0, 0, 0, time.UTC)
		if n := len(p.Months); n > 0 && p.Months[n-1].Month.Equal(month) {
			p.Months[n-1].Count++
			continue
		}
		p.Months = append(p.Months, mend.MonthCount{Month: month, Count: 1})
	}
	return p, nil
}

// One returns time together id as u sees it, with u's space. NotFound
// when u does not see it.
func (s *TimeTogether) One(ctx context.Context, u *mend.User, id int64) (*mend.Space, *mend.Together, error) {
	sp, ts, err := s.read(ctx, u, id)
	if err != nil {
		return nil, nil, err
	}
	if len(ts) == 0 {
		return nil, nil, mend.ErrNoTogether
	}
	return sp, &ts[0], nil
}

func (s *TimeTogether) read(ctx context.Context, u *mend.User, id int64) (*mend.Space, []mend.Together, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, nil, noSpace(err)
	}
	sp, ts, err := s.Store.TogetherOf(ctx, a, id)
	return sp, ts, noSpace(err)
}

// TogetherInput is the form that logs a time together.
type TogetherInput struct {
	Day, What, Note, Rating, FormKey string
}

// noteAndRating validates a note and an optional rating into fe.
func noteAndRating(fe mend.FieldErrors, note, rating string) (string, *int) {
	note = strings.TrimSpace(note)
	mend.LimitTogetherNote.Check(fe, "note", note)
	if rating == "" {
		return note, nil
	}
	r, err := strconv.Atoi(rating)
	if err != nil || r < 0 || r > 10 {
		fe.Add("rating", "Choose a number from 0 to 10, or leave it out.")
		return note, nil
	}
	return note, &r
}

// Log records a time together for u's space, with u's own note. A form
// sent twice logs once. Errors: Invalid with Fields ("day", "what",
// "note", "rating").
func (s *TimeTogether) Log(ctx context.Context, u *mend.User, in TogetherInput) error {
	fe := mend.FieldErrors{}
	today := mend.Date(s.Now(), u.Location())
	day, err := time.Parse(time.DateOnly, strings.TrimSpace(in.Day))
	switch {
	case err != nil:
		fe.Add("day", "Enter the day you spent together.")
	case day.After(today):
		fe.Add("day", "This day is still to come. Log it once you have had it.")
	case day.Year() < 1900:
		fe.Add("day", "Choose a day after 1900.")
	}
	what := strings.Join(strings.Fields(in.What), " ")
	if what == "" {
		fe.Add("what", "Say in a few words what you did.")
	} else {
		mend.LimitTogetherWhat.Check(fe, "what", what)
	}
	note, rating := noteAndRating(fe, in.Note, in.Rating)
	if err := fe.Err(); err != nil {
		return err
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	_, err = s.Store.LogTogether(ctx, a, day, what, note, rating, FormKeyHash(in.FormKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return err
}

// Note writes u's own note and rating on time together id; both empty
// remove u's note. Errors: Invalid with Fields ("note", "rating");
// NotFound when u does not see it.
func (s *TimeTogether) Note(ctx context.Context, u *mend.User, id int64, noteIn, ratingIn string) error {
	fe := mend.FieldErrors{}
	note, rating := noteAndRating(fe, noteIn, ratingIn)
	if err := fe.Err(); err != nil {
		return err
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.NoteTogether(ctx, a, id, note, rating)
}

// Delete deletes the time together id u logged, with both notes. NotFound
// for anything else.
func (s *TimeTogether) Delete(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.DeleteTogether(ctx, a, id)
}
