package mend

import (
	"time"
)

// Where a talk time stands. One partner proposes, the other agrees or
// declines; the proposer may withdraw a proposal; either partner ends an
// agreed one. Declined, withdrawn and ended are the end.
const (
	TalkProposed  = "proposed"
	TalkAgreed    = "agreed"
	TalkDeclined  = "declined"
	TalkWithdrawn = "withdrawn"
	TalkEnded     = "ended"
)

// Limits of talk times, topics and questions.
const (
	MinTalkMinutes    = 10
	MaxTalkMinutes    = 180
	MaxTopicTitle     = 120
	MaxTopicNote      = 1000
	MaxQuestion       = 500
	MaxQuestionAnswer = 2000
	// TalkList bounds the topics and questions a page shows.
	TalkList = 200
)

// Limits in words.
var (
	LimitTopicTitle = Limit{MaxTopicTitle, "Please keep the title to %[1]d characters (it is %[2]d now). The note can say more."}
	LimitTopicNote  = Limit{MaxTopicNote, "Please keep the note to %[1]d characters (it is %[2]d now)."}
	LimitQuestion   = Limit{MaxQuestion, "Please keep a question to %[1]d characters (it is %[2]d now). You can ask more than one."}
	LimitAnswer     = Limit{MaxQuestionAnswer, "Please keep the answer to %[1]d characters (it is %[2]d now)."}
)

// TalkWeekdays are the days a talk time can fall on, in the order the form
// shows them, valued as time.Weekday.
var TalkWeekdays = []struct{ Value, Label string }{
	{"1", "Monday"}, {"2", "Tuesday"}, {"3", "Wednesday"}, {"4", "Thursday"},
	{"5", "Friday"}, {"6", "Saturday"}, {"0", "Sunday"},
}

// TalkLengths are the lengths the form offers, in minutes.
var TalkLengths = []struct{ Value, Label string }{
	{"20", "20 minutes"}, {"30", "30 minutes"}, {"45", "45 minutes"}, {"60", "1 hour"}, {"90", "1 hour 30 minutes"},
}

// QuestionAbouts are what a question asks about, meaning first.
var QuestionAbouts = []struct{ Value, Label string }{
	{"meaning", "What it meant: why, how it felt, what it says about us"},
	{"details", "What happened: when, where, what exactly"},
}

// TalkTime is a recurring time the couple talks about what happened: every
// Weekday at Start (minutes after local midnight in Zone) for Minutes.
type TalkTime struct {
	ID         int64
	CoupleID   int64
	ProposedBy int64
	Weekday    time.Weekday
	Start      int // minutes after midnight, in Zone
	Minutes    int
	Zone       string
	Status     string
	AnsweredBy *int64
	AnsweredAt *time.Time
	CreatedAt  time.Time
}

// Location is the talk time's zone (UTC if it no longer loads).
func (t *TalkTime) Location() *time.Location { return location(t.Zone) }

// Occurrence returns the occurrence of t that is going on at now, or else
// the next one to start: its start and end.
func (t *TalkTime) Occurrence(now time.Time) (start, end time.Time) {
	loc := t.Location()
	n := now.In(loc)
	length := time.Duration(t.Minutes) * time.Minute
	for d := -1; d <= 8; d++ {
		day := time.Date(n.Year(), n.Month(), n.Day()+d, 0, 0, 0, 0, loc)
		if day.Weekday() != t.Weekday {
			continue
		}
		s := time.Date(day.Year(), day.Month(), day.Day(), t.Start/60, t.Start%60, 0, 0, loc)
		if s.Add(length).After(now) {
			return s, s.Add(length)
		}
	}
	return time.Time{}, time.Time{} // not reached: a weekday comes every 7 days
}

// NextTalk is the occurrence of the couple's agreed talk times that is
// going on now, or else the next one to start.
type NextTalk struct {
	Time       TalkTime
	Start, End time.Time
	Now        bool // going on at the time asked
}

// NextTalkOf returns the occurrence of the agreed talk times among ts that
// is going on at now or else starts soonest; nil when none is agreed.
func NextTalkOf(ts []TalkTime, now time.Time) *NextTalk {
	var next *NextTalk
	for _, t := range ts {
		if t.Status != TalkAgreed {
			continue
		}
		s, e := t.Occurrence(now)
		if next == nil || s.Before(next.Start) {
			next = &NextTalk{Time: t, Start: s, End: e, Now: !s.After(now)}
		}
	}
	return next
}

// ParkedTopic is a topic parked for the next talk time. A topic made from
// a question marked "talk about it" has QuestionID set and the question's
// words in Question, and no title of its own.
type ParkedTopic struct {
	ID         int64
	CoupleID   int64
	UserID     int64 // who parked it
	Title      string
	Note       string
	QuestionID *int64
	Question   string
	OpensAt    *time.Time // the start of the talk time it waits for
	SharedAt   *time.Time
	TalkedAt   *time.Time
	TalkedBy   *int64
	CreatedAt  time.Time
}

// Open reports whether the partner can read t at now: shared, or its talk
// time has started. The store's scope is the wall; this is for the words.
func (t *ParkedTopic) Open(now time.Time) bool {
	return t.SharedAt != nil || (t.OpensAt != nil && !t.OpensAt.After(now))
}

// Question is one of the hurt partner's questions, with the answer.
type Question struct {
	ID       int64
	CoupleID int64
	UserID   int64 // the asker
	Body     string
	About    string // "meaning" or "details"
	// ShareAnswer is the asker's choice: the therapist may read it, with
	// its answer (see Space.QuestionReaders).
	ShareAnswer bool
	CreatedAt   time.Time
	Answer      *QuestionAnswer
}

// QuestionAnswer is the other partner's answer: words, or Talk (marked to
// talk about at a talk time).
type QuestionAnswer struct {
	UserID int64
	Body   string
	Talk   bool
	At     time.Time
}

// TalkPage is what a partner sees of talk times and parked topics.
type TalkPage struct {
	Space  *Space
	Times  []TalkTime // proposed and agreed, oldest first
	Next   *NextTalk  // nil when none is agreed
	Topics []ParkedTopic
	Now    time.Time
}

// QuestionsPage is what a partner sees of the questions.
type QuestionsPage struct {
	Space     *Space
	Questions []Question
	MayAsk    bool
	Next      *NextTalk
}

// QuestionReaders is who besides its asker reads question q and its
// answer now, by the rules of the store's scopes: the other partner (asked
// since both joined), and the therapist when the asker chose to share it,
// shares questions, and asked it in their current membership and pair.
func (s *Space) QuestionReaders(q *Question) Readers {
	v := MyPartner
	if q.ShareAnswer {
		v = PartnerAndTherapist
	}
	return s.Readers(q.UserID, KindQuestions, v, q.CreatedAt, true)
}

// TherapistQuestionsPage is what a linked therapist reads of a couple's
// questions: those shared with them, with the answers.
type TherapistQuestionsPage struct {
	Access    TherapistAccess
	Members   []Member
	Questions []Question
}

// TalkWaiting is what Today says of talk times: the next one, and how many
// topics and unanswered questions the reader can see waiting.
type TalkWaiting struct {
	Next      *NextTalk
	Topics    int
	Questions int
	// Proposals are the talk times the partner proposed that wait for the
	// reader's answer.
	Proposals int
}

// Rebuilds returns who, by the starting words the reader may see, is
// rebuilding trust: the reader (me), the partner, or both; a partner no
// words name is not.
func (s *Space) Rebuilds() (me, partner bool) {
	for _, c := range s.Contexts {
		mine := c.AuthorID == s.Me.UserID
		switch c.Rebuilding {
		case "me":
			me, partner = me || mine, partner || !mine
		case "partner":
			me, partner = me || !mine, partner || mine
		case "both":
			me, partner = true, true
		}
	}
	return me, partner
}

// MayAsk reports whether the reader keeps a list of questions: unless the
// starting words say they alone are rebuilding trust.
func (s *Space) MayAsk() bool {
	me, partner := s.Rebuilds()
	return !me || partner
}

// Errors of talk times.
var (
	ErrNoTalkTime = &Error{Code: NotFound, Message: "There is no such talk time in your space."}
	ErrNoTopic    = &Error{Code: NotFound, Message: "There is no such topic in your space."}
	ErrNoQuestion = &Error{Code: NotFound, Message: "There is no such question in your space."}
)
