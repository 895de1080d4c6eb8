package service

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/mend-app/mend/internal/mend"
)

// TalkStore is what Talk needs from the database.
type TalkStore interface {
	TalkOf(ctx context.Context, a mend.PartnerAccess, now time.Time) (*mend.Space, []mend.TalkTime, []mend.ParkedTopic, error)
	QuestionsOf(ctx context.Context, a mend.PartnerAccess) (*mend.Space, []mend.TalkTime, []mend.Question, error)
	TalkTimes(ctx context.Context, a mend.PartnerAccess) ([]mend.TalkTime, error)
	SpaceWithTalkTimes(ctx context.Context, a mend.PartnerAccess) (*mend.Space, []mend.TalkTime, error)
	ProposeTalkTime(ctx context.Context, a mend.PartnerAccess, t mend.TalkTime, formKey []byte) (int64, error)
	DecideTalkTime(ctx context.Context, a mend.PartnerAccess, id int64, from, to string) error
	ReopenTopics(ctx context.Context, a mend.PartnerAccess, next *time.Time, now time.Time) error
	ParkTopic(ctx context.Context, a mend.PartnerAccess, t mend.ParkedTopic, share bool, formKey []byte) error
	MarkTalked(ctx context.Context, a mend.PartnerAccess, id int64, now time.Time) error
	ShareTopic(ctx context.Context, a mend.PartnerAccess, id int64) error
	DeleteTopic(ctx context.Context, a mend.PartnerAccess, id int64) error
	Ask(ctx context.Context, a mend.PartnerAccess, q mend.Question, formKey []byte) error
	AnswerQuestion(ctx context.Context, a mend.PartnerAccess, id int64, body string, talk bool, opensAt *time.Time, formKey []byte) error
	DeleteQuestion(ctx context.Context, a mend.PartnerAccess, id int64) error
	ShareQuestion(ctx context.Context, a mend.PartnerAccess, id int64, share bool) error
	OpenTherapistView(ctx context.Context, therapistID, coupleID int64, kind string) (mend.TherapistAccess, error)
	TherapistQuestionsPage(ctx context.Context, a mend.TherapistAccess) ([]mend.Member, []mend.Question, error)
}

// Talk runs the couple's talk times, the topics parked for them and the
// questions of the partner who was hurt.
type Talk struct {
	Store   TalkStore
	Couples *Couples
	Now     func() time.Time
}

// NewTalk returns Talk on store with the real clock.
func NewTalk(store TalkStore, couples *Couples) *Talk {
	return &Talk{Store: store, Couples: couples, Now: time.Now}
}

// TalkTimeInput is the form that proposes a talk time.
type TalkTimeInput struct {
	Weekday, Start, Minutes, FormKey string
}

// Propose records u's proposal of a talk time, in u's time zone, for the
// other partner to agree. A form sent twice records once. Errors: Invalid
// with Fields (or on "weekday" when nobody has joined yet); NotFound
// without a space.
func (s *Talk) Propose(ctx context.Context, u *mend.User, in TalkTimeInput) error {
	fe := mend.FieldErrors{}
	t := mend.TalkTime{Zone: u.Location().String(), ProposedBy: u.ID}
	if wd, err := strconv.Atoi(in.Weekday); err != nil || mend.Label(mend.TalkWeekdays, in.Weekday) == "" {
		fe.Add("weekday", "Choose a day of the week.")
	} else {
		t.Weekday = time.Weekday(wd)
	}
	if at, err := time.Parse("15:04", strings.TrimSpace(in.Start)); err != nil {
		fe.Add("start", "Enter the time it starts, such as 19:00.")
	} else {
		t.Start = at.Hour()*60 + at.Minute()
	}
	if m, err := strconv.Atoi(in.Minutes); err != nil || m < mend.MinTalkMinutes || m > mend.MaxTalkMinutes {
		fe.Add("minutes", "Choose how long it lasts.")
	} else {
		t.Minutes = m
	}
	if err := fe.Err(); err != nil {
		return err
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	id, err := s.Store.ProposeTalkTime(ctx, a, t, FormKeyHash(in.FormKey))
	switch {
	case errors.Is(err, mend.ErrFormUsed):
		return nil
	case err == nil && id == 0:
		return mend.FieldErrors{"weekday": "Talk times are agreed by both of you. Once your partner has joined, you can propose one."}.Err()
	}
	return err
}

// Talk-time decisions, as the forms name them.
var talkMoves = map[string][2]string{
	"agree":    {mend.TalkProposed, mend.TalkAgreed},
	"decline":  {mend.TalkProposed, mend.TalkDeclined},
	"withdraw": {mend.TalkProposed, mend.TalkWithdrawn},
	"end":      {mend.TalkAgreed, mend.TalkEnded},
}

// Decide makes u's decision (agree, decline, withdraw, end) about talk
// time id: the other partner agrees or declines a proposal, its proposer
// withdraws it, either ends an agreed one. The topics still waiting then
// wait for the next talk time there is. NotFound when there is no such
// talk time for u to decide about.
func (s *Talk) Decide(ctx context.Context, u *mend.User, id int64, decision string) error {
	move, ok := talkMoves[decision]
	if !ok {
		return mend.ErrNoTalkTime
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	if err := s.Store.DecideTalkTime(ctx, a, id, move[0], move[1]); err != nil {
		return err
	}
	if move[1] != mend.TalkAgreed && move[1] != mend.TalkEnded {
		return nil
	}
	ts, err := s.Store.TalkTimes(ctx, a)
	if err != nil {
		return err
	}
	now := s.Now()
	var next *time.Time
	if n := mend.NextTalkOf(ts, now); n != nil {
		next = &n.Start
	}
	return s.Store.ReopenTopics(ctx, a, next, now)
}

// TopicInput is the form that parks a topic.
type TopicInput struct {
	Title, Note, FormKey string
	// Share shares it with the partner now, before the talk time.
	Share bool
}

// Park parks u's topic for the next talk time: private to u until that
// talk time starts, or shared now. A form sent twice parks once. Errors:
// Invalid with Fields; NotFound without a space.
func (s *Talk) Park(ctx context.Context, u *mend.User, in TopicInput) error {
	fe := mend.FieldErrors{}
	t := mend.ParkedTopic{Title: strings.TrimSpace(in.Title), Note: strings.TrimSpace(in.Note)}
	if t.Title == "" {
		fe.Add("title", "Give the topic a short title; a few words are enough.")
	} else {
		mend.LimitTopicTitle.Check(fe, "title", t.Title)
	}
	mend.LimitTopicNote.Check(fe, "note", t.Note)
	if err := fe.Err(); err != nil {
		return err
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	if t.OpensAt, err = s.nextStart(ctx, a); err != nil {
		return err
	}
	err = s.Store.ParkTopic(ctx, a, t, in.Share, FormKeyHash(in.FormKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.settleOpens(ctx, a, t.OpensAt)
}

// settleOpens runs after a topic was parked for the talk time that
// started at stored (nil: none). The talk times may have changed between
// reading them and the insert, and the change's own move of waiting topics
// may have run before the insert committed. Reading them again after the
// insert sees any such change, since it committed before its move began:
// when the next start differs, the waiting topics move to it, so no topic
// stays private past a talk time that was agreed while it was parked.
func (s *Talk) settleOpens(ctx context.Context, a mend.PartnerAccess, stored *time.Time) error {
	next, err := s.nextStart(ctx, a)
	if err != nil || sameStart(next, stored) {
		return err
	}
	return s.Store.ReopenTopics(ctx, a, next, s.Now())
}

func sameStart(a, b *time.Time) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && a.Equal(*b))
}

// nextStart is the start of the talk time going on now or next; nil when
// none is agreed.
func (s *Talk) nextStart(ctx context.Context, a mend.PartnerAccess) (*time.Time, error) {
	ts, err := s.Store.TalkTimes(ctx, a)
	if err != nil {
		return nil, err
	}
	if n := mend.NextTalkOf(ts, s.Now()); n != nil {
		return &n.Start, nil
	}
	return nil, nil
}

// Talked marks topic id, which u sees, talked through. NotFound when u
// does not see it or it was marked already.
func (s *Talk) Talked(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.MarkTalked(ctx, a, id, s.Now())
}

// Share shares u's own topic id with the partner now. NotFound for any
// other, or one shared already.
func (s *Talk) Share(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.ShareTopic(ctx, a, id)
}

// DeleteTopic deletes u's own topic id. NotFound for any other.
func (s *Talk) DeleteTopic(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.DeleteTopic(ctx, a, id)
}

// Page returns u's talk page: the open talk times, the one going on now or
// next, and the topics u sees. ErrNoSpace without a space.
func (s *Talk) Page(ctx context.Context, u *mend.User) (*mend.TalkPage, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, noSpace(err)
	}
	now := s.Now()
	sp, ts, ps, err := s.Store.TalkOf(ctx, a, now)
	if err != nil {
		return nil, noSpace(err)
	}
	return &mend.TalkPage{Space: sp, Times: ts, Next: mend.NextTalkOf(ts, now), Topics: ps, Now: now}, nil
}

// QuestionInput is the form that asks a question.
type QuestionInput struct {
	Body, About, FormKey string
	// Share shares it, with its answer, with the therapist (while the
	// asker shares questions).
	Share bool
}

// errMayNotAsk: the starting words say the asker alone is rebuilding
// trust, so the other partner asks and the asker answers.
func errMayNotAsk(sp *mend.Space) error {
	other := "your partner"
	if sp.Partner != nil {
		other = sp.Partner.Name
	}
	return mend.FieldErrors{"body": "As your starting words say, here " + other + " asks the questions and you answer them. They appear on this page for you."}.Err()
}

// Ask records u's question. Only a partner the starting words do not name
// as the one rebuilding trust keeps a list (when they name both, either
// does). A form sent twice records once. Errors: Invalid with Fields;
// NotFound without a space.
func (s *Talk) Ask(ctx context.Context, u *mend.User, in QuestionInput) error {
	fe := mend.FieldErrors{}
	q := mend.Question{Body: strings.TrimSpace(in.Body), About: in.About, ShareAnswer: in.Share}
	if q.Body == "" {
		fe.Add("body", "Write the question you want answered.")
	} else {
		mend.LimitQuestion.Check(fe, "body", q.Body)
	}
	if mend.Label(mend.QuestionAbouts, q.About) == "" {
		fe.Add("about", "Choose what the question is about.")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	sp, err := s.Couples.Space(ctx, u)
	if err != nil {
		return err
	}
	if !sp.MayAsk() {
		return errMayNotAsk(sp)
	}
	err = s.Store.Ask(ctx, sp.Access, q, FormKeyHash(in.FormKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	return err
}

// Answer answers the partner's question id for u: in writing (body), or
// marked to talk about at the next talk time (talk), which parks it there,
// shared with both. Words may follow later. Errors: Invalid on "answer";
// NotFound for u's own question or one u does not see.
func (s *Talk) Answer(ctx context.Context, u *mend.User, id int64, body string, talk bool, formKey string) error {
	fe := mend.FieldErrors{}
	body = strings.TrimSpace(body)
	if body == "" && !talk {
		fe.Add("answer", "Write your answer, or choose to talk about it at your talk time.")
	} else {
		mend.LimitAnswer.Check(fe, "answer", body)
	}
	if err := fe.Err(); err != nil {
		return err
	}
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	var opens *time.Time
	if talk {
		if opens, err = s.nextStart(ctx, a); err != nil {
			return err
		}
	}
	err = s.Store.AnswerQuestion(ctx, a, id, body, talk, opens, FormKeyHash(formKey))
	if errors.Is(err, mend.ErrFormUsed) {
		return nil
	}
	if err != nil || !talk {
		return err
	}
	return s.settleOpens(ctx, a, opens)
}

// DeleteQuestion deletes u's own question id, with its answer. NotFound
// for any other.
func (s *Talk) DeleteQuestion(ctx context.Context, u *mend.User, id int64) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.DeleteQuestion(ctx, a, id)
}

// ShareQuestion sets whether u's own question id, with its answer, is
// shared with the therapist. NotFound for any other.
func (s *Talk) ShareQuestion(ctx context.Context, u *mend.User, id int64, share bool) error {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return err
	}
	return s.Store.ShareQuestion(ctx, a, id, share)
}

// ForTherapist returns the questions of coupleID shared with therapist u,
// with their answers, after recording the view in the couple's log.
// NotFound without an active, agreed link.
func (s *Talk) ForTherapist(ctx context.Context, u *mend.User, coupleID int64) (*mend.TherapistQuestionsPage, error) {
	a, err := openView(ctx, s.Store, u, coupleID, mend.KindQuestions)
	if err != nil {
		return nil, err
	}
	ms, qs, err := s.Store.TherapistQuestionsPage(ctx, a)
	if err != nil {
		return nil, err
	}
	return &mend.TherapistQuestionsPage{Access: a, Members: ms, Questions: qs}, nil
}

// Questions returns u's questions page. ErrNoSpace without a space.
func (s *Talk) Questions(ctx context.Context, u *mend.User) (*mend.QuestionsPage, error) {
	a, err := s.Couples.PartnerAccess(ctx, u)
	if err != nil {
		return nil, noSpace(err)
	}
	sp, ts, qs, err := s.Store.QuestionsOf(ctx, a)
	if err != nil {
		return nil, noSpace(err)
	}
	return &mend.QuestionsPage{Space: sp, Questions: qs, MayAsk: sp.MayAsk(), Next: mend.NextTalkOf(ts, s.Now())}, nil
}
