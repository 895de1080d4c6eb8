package service

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// PromptStore is what Prompts needs from the database.
type PromptStore interface {
	PromptsOf(ctx context.Context, a mend.PartnerAccess, shownFrom, answersFrom, to time.Time) (*mend.Space, *mend.PromptData, error)
	ShowPrompt(ctx context.Context, a mend.PartnerAccess, day time.Time, seq int, key string) (string, error)
	AnswerPrompt(ctx context.Context, a mend.PartnerAccess, ans mend.PromptAnswer, formKey []byte) error
	AddPrompt(ctx context.Context, a mend.PartnerAccess, p mend.Prompt, formKey []byte) (int64, error)
	DeleteOwnPrompt(ctx context.Context, a mend.PartnerAccess, id int64) error
}

// Prompts runs the prompt of the day, its answers and the couple's own
// prompts.
type Prompts struct {
	Store   PromptStore
	Couples *Couples
	Now     func() time.Time
}

// NewPrompts returns Prompts on store with the real clock.
func NewPrompts(store PromptStore, couples *Couples) *Prompts {
	return &Prompts{Store: store, Couples: couples, Now: time.Now}
}

// recentPromptDays is how many days back the prompts page shows answers.
const recentPromptDays = 14

// maxSkips bounds the skips of one day.
const maxSkips = 30

// state is the prompts as read for u, the prompt of the couple's day
// recorded (chosen now when it was not yet).
type promptState struct {
	a     mend.PartnerAccess
	sp    *mend.Space
	data  *mend.PromptData
	day   time.Time
	seq   int // the seq of the day's prompt
	key   string
	byKey map[string]mend.Prompt
}

func (s *Prompts) state(ctx context.Context, u *mend.User) (*promptState, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, noSpace(err)
	}
	now := s.Now()
	// The couple's day is within a day of the reader's.
	mine := mend.Date(now, u.Location())
	sp, data, err := s.Store.PromptsOf(ctx, a, mine.AddDate(0, 0, -mend.PromptRepeatDays-3), mine.AddDate(0, 0, -recentPromptDays-1), mine.AddDate(0, 0, 1))
	if err != nil {
		return nil, noSpace(err)
	}
	st := &promptState{a: a, sp: sp, data: data, day: sp.CoupleDay(now), seq: -1, byKey: map[string]mend.Prompt{}}
	for _, p := range mend.Library() {
		st.byKey[p.Key] = p
	}
	for _, p := range data.Own {
		st.byKey[p.Key] = p
	}
	for _, sh := range data.Shown {
		if sh.Day.Equal(st.day) && sh.Seq > st.seq {
			st.seq, st.key = sh.Seq, sh.Key
		}
	}
	if st.seq < 0 {
		if err := s.show(ctx, st, 0); err != nil {
			return nil, err
		}
	} else if st.removed(st.key) && st.seq < maxSkips {
		// The partner who added the day's prompt removed it: another
		// takes its place, for both partners.
		if err := s.show(ctx, st, st.seq+1); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// removed reports whether key is one of the couple's own prompts that is
// no longer in their space (every one there is read, up to the list's
// bound).
func (st *promptState) removed(key string) bool {
	_, ok := st.byKey[key]
	return !ok && strings.HasPrefix(key, "own-") && len(st.data.Own) < mend.OwnPromptList
}

// show chooses the prompt seq of st's day and records it.
func (s *Prompts) show(ctx context.Context, st *promptState, seq int) error {
	last := map[string]time.Time{}
	for _, sh := range st.data.Shown {
		if !sh.Day.After(st.day) && sh.Day.After(last[sh.Key]) {
			last[sh.Key] = sh.Day
		}
	}
	candidates := append(append([]mend.Prompt{}, mend.Library()...), st.data.Own...)
	p, _ := mend.ChoosePrompt(st.a.CoupleID(), st.day, seq, candidates, last)
	key, err := s.Store.ShowPrompt(ctx, st.a, st.day, seq, p.Key)
	if err != nil {
		return err
	}
	st.seq, st.key = seq, key
	st.data.Shown = append(st.data.Shown, mend.PromptShown{Day: st.day, Seq: seq, Key: key})
	return nil
}

// prompt is the prompt with key, or one with no words when it was removed.
func (st *promptState) prompt(key string) mend.Prompt {
	if p, ok := st.byKey[key]; ok {
		return p
	}
	return mend.Prompt{Key: key, Mode: mend.Write}
}

// Page returns u's prompts page: the prompt of the couple's day (chosen
// when first asked for, the same for both partners), the answers u may
// read, the last days' prompts that have answers and the couple's own
// prompts. ErrNoSpace without a space.
func (s *Prompts) Page(ctx context.Context, u *mend.User) (*mend.PromptsPage, error) {
	st, err := s.state(ctx, u)
	if err != nil {
		return nil, err
	}
	p := &mend.PromptsPage{Space: st.sp, Own: st.data.Own}
	days := map[[2]string]*mend.PromptDay{}
	var order []*mend.PromptDay
	get := func(day time.Time, key string) *mend.PromptDay {
		k := [2]string{day.Format(time.DateOnly), key}
		if d := days[k]; d != nil {
			return d
		}
		d := &mend.PromptDay{Day: day, Prompt: st.prompt(key)}
		days[k] = d
		order = append(order, d)
		return d
	}
	today := get(st.day, st.key)
	today.Seq = st.seq
	for _, ans := range st.data.Answers {
		if ans.Day.After(st.day) {
			continue
		}
		ans.Prompt = st.prompt(ans.Key)
		d := get(ans.Day, ans.Key)
		switch {
		case ans.UserID == u.ID:
			d.Mine = &ans
		case ans.Revealed:
			d.Theirs = &ans
		default:
			d.TheyAnswered = true
		}
	}
	p.Today = *today
	for _, d := range order[1:] {
		p.Recent = append(p.Recent, *d)
	}
	sort.SliceStable(p.Recent, func(i, j int) bool { return p.Recent[i].Day.After(p.Recent[j].Day) })
	return p, nil
}

// Skip puts the couple's prompt of the day aside for another, for both
// partners; seq is the prompt the reader saw, so a form sent twice (or
// after the other partner skipped) skips once. The skipped prompt counts
// as shown.
func (s *Prompts) Skip(ctx context.Context, u *mend.User, seq int) error {
	st, err := s.state(ctx, u)
	if err != nil {
		return err
	}
	if seq != st.seq {
		return nil
	}
	if seq >= maxSkips {
		return errManySkips
	}
	return s.show(ctx, st, seq+1)
}

var errManySkips = &mend.Error{Code: mend.Invalid, Message: "That is a lot of prompts for one day. Tomorrow brings a new one."}

// AnswerInput is the form that answers a prompt of a day.
type AnswerInput struct {
	Day, Key, Body, Visibility, FormKey string
}

// Answer writes u's answer to the prompt key of the couple's day, or
// rewrites the one u wrote. A form sent twice writes once. Errors: Invalid
// with Fields ("body", "visibility"); NotFound (mend.ErrNoPrompt) when the
// prompt was not the couple's that day.
func (s *Prompts) Answer(ctx context.Context, u *mend.User, in AnswerInput) error {
	fe := mend.FieldErrors{}
	ans := mend.PromptAnswer{UserID: u.ID, Key: in.Key, Body: strings.TrimSpace(in.Body), Visibility: mend.Visibility(in.Visibility)}
	if ans.Body == "" {
		fe.Add("body", "Write a few words. There is no wrong answer.")
	} else {
		mend.LimitAnswerText.Check(fe, "body", ans.Body)
	}
	if mend.Label(mend.AnswerVisibilities, string(ans.Visibility)) == "" {
		fe.Add("visibility", "Choose who can read your answer.")
	}
	day, err := time.Parse(time.DateOnly, in.Day)
	if err != nil {
		return mend.ErrNoPrompt
	}
	ans.Day = day
	if err := fe.Err(); err != nil {
		return err
	}
	p, ok := mend.LibraryPrompt(in.Key)
	if !ok {
		st, err := s.state(ctx, u)
		if err != nil {
			return err
		}
		if p, ok = st.byKey[in.Key]; !ok {
			return mend.ErrNoPrompt
		}
	}
	ans.Mode = p.Mode
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	err = s.Store.AnswerPrompt(ctx, a, ans, FormKeyHash(in.FormKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return err
}

// PromptInput is the form that adds a couple's own prompt.
type PromptInput struct {
	Category, Mode, Text, FormKey string
}

// AddPrompt adds u's own prompt to the couple's rotation. A form sent
// twice adds once. Errors: Invalid with Fields ("category", "mode",
// "text").
func (s *Prompts) AddPrompt(ctx context.Context, u *mend.User, in PromptInput) error {
	fe := mend.FieldErrors{}
	p := mend.Prompt{Category: in.Category, Mode: in.Mode, Text: strings.Join(strings.Fields(in.Text), " ")}
	if mend.Label(mend.PromptCategories, p.Category) == "" {
		fe.Add("category", "Choose what it is about.")
	}
	if mend.Label(mend.PromptModes, p.Mode) == "" {
		fe.Add("mode", "Choose whether to talk about it together or write alone.")
	}
	if p.Text == "" {
		fe.Add("text", "Write the prompt, as a question or a few words.")
	} else {
		mend.LimitPromptText.Check(fe, "text", p.Text)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	_, err = s.Store.AddPrompt(ctx, a, p, FormKeyHash(in.FormKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return err
}

// OwnPrompt returns the couple's own prompt id that u added, for the page
// that confirms removing it, and whether it is the prompt of the couple's
// day. NotFound for any other.
func (s *Prompts) OwnPrompt(ctx context.Context, u *mend.User, id int64) (*mend.OwnPromptPage, error) {
	st, err := s.state(ctx, u)
	if err != nil {
		return nil, err
	}
	p, ok := st.byKey[mend.OwnPromptKey(id)]
	if !ok || !p.Own || p.AddedBy != u.ID {
		return nil, errNoOwnPrompt
	}
	return &mend.OwnPromptPage{Space: st.sp, Prompt: p, Today: st.key == p.Key}, nil
}

// DeleteOwnPrompt removes the couple's own prompt id that u added: it no
// longer comes up as a prompt of the day, and when it is the day's prompt
// another takes its place. The answers written to it stay, each read by
// whom its writer chose, without the prompt's words. NotFound for any
// other.
func (s *Prompts) DeleteOwnPrompt(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	// When it was the day's prompt, the next read of the prompts shows
	// another (state); Today says a new one waits.
	return inWords(s.Store.DeleteOwnPrompt(ctx, a, id), errNoOwnPrompt)
}

var errNoOwnPrompt = &mend.Error{Code: mend.NotFound, Message: "There is no such prompt of yours."}
