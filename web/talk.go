package web

import (
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
)

// TalkTimePath is the address of talk time id's action rest.
func TalkTimePath(id int64, rest string) templ.SafeURL {
	return templ.SafeURL("/talk/times/" + strconv.FormatInt(id, 10) + rest)
}

// TopicPath is the address of parked topic id's action rest.
func TopicPath(id int64, rest string) templ.SafeURL {
	return templ.SafeURL("/talk/topics/" + strconv.FormatInt(id, 10) + rest)
}

// QuestionPath is the address of question id's action rest.
func QuestionPath(id int64, rest string) templ.SafeURL {
	return templ.SafeURL("/talk/questions/" + strconv.FormatInt(id, 10) + rest)
}

// TalkTimeFields are the fields of the form that proposes a talk time.
var TalkTimeFields = []string{"weekday", "start", "minutes"}

// TopicFields are the fields of the form that parks a topic.
var TopicFields = []string{"title", "note"}

// QuestionFields are the fields of the form that asks a question.
var QuestionFields = []string{"body", "about"}

// talkLength says a length in minutes: "45 minutes", "1 hour 30 minutes".
func talkLength(m int) string {
	if l := Label(mend.TalkLengths, strconv.Itoa(m)); l != "" {
		return l
	}
	return strconv.Itoa(m) + " minutes"
}

// talkTimeWords says a talk time for the reader, in the reader's own zone
// at its next occurrence: "Sundays at 19:00, for 45 minutes", and where it
// was set when the zones differ.
func talkTimeWords(t *mend.TalkTime, now time.Time, u *mend.User) string {
	start, _ := t.Occurrence(now)
	loc := u.Location()
	s := start.In(loc).Format("Monday") + "s at " + start.In(loc).Format("15:04") + ", for " + talkLength(t.Minutes)
	if loc.String() != t.Zone {
		s += " (your time; " + start.In(t.Location()).Format("15:04") + " in " + t.Zone + ", where it was proposed)"
	}
	return s
}

// nextTalkWords says when the next talk time is, for the reader: "Sunday 6
// December, 19:00" or, while it goes on, "now, until 19:45".
func nextTalkWords(n *mend.NextTalk, u *mend.User) string {
	loc := u.Location()
	if n.Now {
		return "now, until " + n.End.In(loc).Format("15:04")
	}
	return n.Start.In(loc).Format("Monday 2 January, 15:04")
}

// NextTalkShort says the next talk time in a few words for Today: "Sunday
// 19:00", or "now".
func NextTalkShort(n *mend.NextTalk, u *mend.User) string {
	if n.Now {
		return "now, until " + n.End.In(u.Location()).Format("15:04")
	}
	return n.Start.In(u.Location()).Format("Monday 15:04")
}

// talkTimeStatus says where a talk time stands, for the reader.
func talkTimeStatus(sp *mend.Space, t *mend.TalkTime) string {
	switch {
	case t.Status == mend.TalkAgreed:
		return "Agreed by both of you"
	case t.ProposedBy == sp.Me.UserID:
		return "You proposed this. It waits for " + partnerName(sp) + " to agree."
	}
	return partnerName(sp) + " proposed this. It waits for your answer."
}

// topicTitle is a topic's title, or for a question marked to talk about,
// the question.
func topicTitle(t *mend.ParkedTopic) string {
	if t.QuestionID != nil {
		return "A question: " + t.Question
	}
	return t.Title
}

// topicSeenBy says who reads a topic now, as the store's scope decides:
// its writer, and the partner once it is shared or its talk time started.
func topicSeenBy(sp *mend.Space, t *mend.ParkedTopic, now time.Time) string {
	if t.UserID != sp.Me.UserID {
		return "Parked by " + partnerName(sp) + ". Seen by both of you"
	}
	// Before the talk time the partner never reads it; from then on, as
	// any entry for the partner (written since both joined).
	if r := sp.Readers(sp.Me.UserID, talkKind, mend.MyPartner, t.CreatedAt, true); !r.Partner || t.Open(now) {
		return seenBy(sp, talkKind, r)
	}
	if t.OpensAt == nil {
		return "Seen by you only, until your first agreed talk time starts"
	}
	return "Seen by you only, until the talk time starts"
}

// talkKind names talk entries to the audience rules: never a therapist's.
const talkKind = "talk"

// questionSeenBy says who reads a question and its answer, by the rule of
// the store's scopes (Space.QuestionReaders): for the asker, as any entry
// of theirs; for the one who answers, both of them and the therapist when
// the therapist reads it.
func questionSeenBy(sp *mend.Space, q *mend.Question) string {
	r := sp.QuestionReaders(q)
	if q.UserID != sp.Me.UserID {
		if r.Therapist {
			return "Seen by both of you and " + therapistName(sp)
		}
		return "Seen by both of you"
	}
	return seenBy(sp, mend.KindQuestions, r)
}

// shareQuestionWords is the button that changes whether the therapist may
// read a question of the reader's, with its answer.
func shareQuestionWords(sp *mend.Space, q *mend.Question) string {
	if q.ShareAnswer {
		return "Stop sharing it with " + therapistName(sp)
	}
	return "Share it and its answer with " + therapistName(sp)
}

// shareQuestionOffered reports whether the reader may change the sharing
// of question q: theirs, while a therapist is linked, or shared already.
func shareQuestionOffered(sp *mend.Space, q *mend.Question) bool {
	return q.UserID == sp.Me.UserID && (sp.Therapist != "" || q.ShareAnswer)
}

// aboutWords says what a question is about, in a few words.
func aboutWords(about string) string {
	if about == "details" {
		return "About what happened"
	}
	return "About what it meant"
}

// waitingTopics are the topics not talked through yet; talkedTopics those
// that were, newest first.
func waitingTopics(ts []mend.ParkedTopic) []*mend.ParkedTopic {
	var w []*mend.ParkedTopic
	for i := range ts {
		if ts[i].TalkedAt == nil {
			w = append(w, &ts[i])
		}
	}
	return w
}

func talkedTopics(ts []mend.ParkedTopic) []*mend.ParkedTopic {
	var w []*mend.ParkedTopic
	for i := len(ts) - 1; i >= 0; i-- {
		if ts[i].TalkedAt != nil {
			w = append(w, &ts[i])
		}
	}
	return w
}

// openQuestions are the questions with no answer, or marked to talk about
// and not answered in words yet; answered, those answered in words.
func openQuestions(qs []mend.Question) []*mend.Question {
	var w []*mend.Question
	for i := range qs {
		if qs[i].Answer == nil || qs[i].Answer.Body == "" {
			w = append(w, &qs[i])
		}
	}
	return w
}

func answeredQuestions(qs []mend.Question) []*mend.Question {
	var w []*mend.Question
	for i := range qs {
		if qs[i].Answer != nil && qs[i].Answer.Body != "" {
			w = append(w, &qs[i])
		}
	}
	return w
}

// questionFormFor is the answer form of question id: the one shown again,
// or a fresh one with its key.
func questionFormFor(f Form, formFor, id int64, keys map[int64]string) Form {
	if formFor == id && f.Values != nil {
		return f
	}
	return Form{Values: map[string]string{"form_key": keys[id]}}
}

// waitingWords says what waits for the talk time, for Today: "2 topics and
// 1 question wait", "Nothing waits for it yet.", or "" when nothing waits
// and no talk time is agreed.
func waitingWords(w *mend.TalkWaiting) string {
	var parts []string
	if w.Topics > 0 {
		parts = append(parts, plural(w.Topics, "topic"))
	}
	if w.Questions > 0 {
		parts = append(parts, plural(w.Questions, "question"))
	}
	switch {
	case len(parts) == 0 && w.Next == nil:
		return ""
	case len(parts) == 0:
		return "Nothing waits for it yet."
	case len(parts) == 1 && w.Topics+w.Questions == 1:
		return parts[0] + " waits."
	case len(parts) == 1:
		return parts[0] + " wait."
	}
	return parts[0] + " and " + parts[1] + " wait."
}

// proposalWords says that n talk times partner proposed wait for the
// reader's answer.
func proposalWords(partner string, n int) string {
	if n == 1 {
		return "A talk time " + partner + " proposed waits for your answer."
	}
	return strconv.Itoa(n) + " talk times " + partner + " proposed wait for your answer."
}

// questionsHint says who reads the questions and their answers: the two
// partners, and the therapist, by name, only what its asker shares.
func questionsHint(sp *mend.Space) string {
	if sp.Therapist == "" {
		return "Questions and answers are seen by the two of you only."
	}
	return "Questions and answers are seen by the two of you. " + therapistName(sp) +
		" reads one, with its answer, only when the one who asked chooses to share it, and only while they share questions and answers on the Sharing page."
}

// noQuestionWords is the empty list of questions waiting for an answer,
// for the one who may ask and for the one who answers.
func noQuestionWords(sp *mend.Space, mayAsk bool) string {
	if mayAsk {
		return "No question waits for an answer. When one is on your mind, you can ask it above, in your own time."
	}
	return "No question waits for your answer."
}

// questionGuidance is the short guide at the top of the questions page,
// for the one who asks or for the one who answers.
func questionGuidance(sp *mend.Space, mayAsk bool) (string, []string) {
	therapist := "a therapist"
	if sp.Therapist != "" {
		therapist = therapistName(sp)
	}
	if mayAsk {
		return "Before you ask", []string{
			"Questions about what it meant (why, how it felt, what it says about the two of you) tend to help more than questions about details. Start there.",
			"Details can come later, and some are better asked with " + therapist + " in the room. Go at a pace you can both hold.",
			"An answer can be written, or kept for your talk time.",
		}
	}
	return "Before you answer", []string{
		"These are " + Possessive(yourPartner(sp)) + " questions. Take the time each one needs.",
		"If an answer is better said face to face, keep it for your talk time. Some are better talked through with " + therapist + " in the room.",
	}
}
