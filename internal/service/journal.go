package service

import (
	"context"
	"errors"
	"strings"

	"github.com/mend-app/mend/internal/mend"
)

// JournalStore is what the journal needs from the database.
type JournalStore interface {
	JournalOf(ctx context.Context, a mend.PartnerAccess, limit, offset int, kind string, id int64) (*mend.Space, []mend.JournalItem, error)
	WriteJournal(ctx context.Context, a mend.PartnerAccess, body string, v mend.Visibility, formKey []byte) (int64, error)
	DeleteJournalItem(ctx context.Context, a mend.PartnerAccess, kind string, id int64) error
	OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error)
	TherapistJournalPage(ctx context.Context, a mend.TherapistAccess, limit, offset int) ([]mend.Member, []mend.JournalItem, error)
}

// Journal runs a partner's journal: their answers to prompts and their
// journal entries, with the other partner's entries shared with them.
type Journal struct {
	Store   JournalStore
	Couples *Couples
}

// maxJournalPage bounds how far back the pages go.
const maxJournalPage = 500

// Page returns page n (1 for the newest) of u's journal. ErrNoSpace
// without a space; NotFound for a page out of range.
func (s *Journal) Page(ctx context.Context, u *mend.User, n int) (*mend.JournalPage, error) {
	if n < 1 || n > maxJournalPage {
		return nil, mend.ErrNotFound
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, noSpace(err)
	}
	sp, items, err := s.Store.JournalOf(ctx, a, mend.JournalPageSize+1, (n-1)*mend.JournalPageSize, "", 0)
	if err != nil {
		return nil, noSpace(err)
	}
	if n > 1 && len(items) == 0 {
		return nil, mend.ErrNotFound
	}
	p := &mend.JournalPage{Space: sp, Page: n}
	if len(items) > mend.JournalPageSize {
		items, p.More = items[:mend.JournalPageSize], true
	}
	for i := range items {
		fillPrompt(&items[i])
	}
	p.Items = items
	return p, nil
}

// fillPrompt sets an answer's prompt from the library or its own words.
func fillPrompt(it *mend.JournalItem) {
	if it.Kind != mend.JournalAnswer {
		return
	}
	if p, ok := mend.LibraryPrompt(it.Key); ok {
		it.Prompt = p
		return
	}
	it.Prompt = mend.Prompt{Key: it.Key, Mode: it.Mode, Text: it.OwnText, Own: true}
}

// Mine returns u's own journal item of kind and id, with u's space, for
// the page that confirms deleting it. NotFound for anything else.
func (s *Journal) Mine(ctx context.Context, u *mend.User, kind string, id int64) (*mend.Space, *mend.JournalItem, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, nil, noSpace(err)
	}
	sp, items, err := s.Store.JournalOf(ctx, a, 1, 0, kind, id)
	if err != nil {
		return nil, nil, noSpace(err)
	}
	if len(items) == 0 || items[0].UserID != u.ID {
		return nil, nil, mend.ErrNoJournalItem
	}
	fillPrompt(&items[0])
	return sp, &items[0], nil
}

// JournalInput is the form that writes a journal entry.
type JournalInput struct {
	Body, Visibility, FormKey string
}

// Write records u's journal entry. A form sent twice records once.
// Errors: Invalid with Fields ("body", "visibility").
func (s *Journal) Write(ctx context.Context, u *mend.User, in JournalInput) error {
	fe := mend.FieldErrors{}
	body := strings.TrimSpace(in.Body)
	if body == "" {
		fe.Add("body", "Write a few words first. Nobody else reads them unless you choose to share them.")
	} else {
		mend.LimitJournalText.Check(fe, "body", body)
	}
	v := mend.Visibility(in.Visibility)
	if mend.Label(mend.AnswerVisibilities, string(v)) == "" {
		fe.Add("visibility", "Choose who can read it.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	_, err = s.Store.WriteJournal(ctx, a, body, v, FormKeyHash(in.FormKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return err
}

// Delete deletes u's own journal item of kind and id for good. NotFound
// for anything else.
func (s *Journal) Delete(ctx context.Context, u *mend.User, kind string, id int64) error {
	if kind != mend.JournalAnswer && kind != mend.JournalEntry {
		return mend.ErrNoJournalItem
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.DeleteJournalItem(ctx, a, kind, id)
}

// ForTherapist returns page n (1 for the newest) of the journal entries
// and answers to prompts of coupleID shared with therapist u, after
// recording the view in the couple's log. NotFound without an active,
// agreed link, or for a page out of range.
func (s *Journal) ForTherapist(ctx context.Context, u *mend.User, coupleID int64, n int) (*mend.TherapistJournalPage, error) {
	if n < 1 || n > maxJournalPage {
		return nil, mend.ErrNotFound
	}
	a, err := openView(ctx, s.Store, u, coupleID, mend.KindJournal)
	if err != nil {
		return nil, err
	}
	ms, items, err := s.Store.TherapistJournalPage(ctx, a, mend.JournalPageSize+1, (n-1)*mend.JournalPageSize)
	if err != nil {
		return nil, err
	}
	if n > 1 && len(items) == 0 {
		return nil, mend.ErrNotFound
	}
	p := &mend.TherapistJournalPage{Access: a, Members: ms, Page: n}
	if len(items) > mend.JournalPageSize {
		items, p.More = items[:mend.JournalPageSize], true
	}
	for i := range items {
		fillPrompt(&items[i])
	}
	p.Items = items
	return p, nil
}
