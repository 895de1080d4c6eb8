package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// newTalkForms are the talk page's empty forms, each with a fresh key.
func newTalkForms() (propose, park web.Form) {
	propose = web.Form{Values: map[string]string{"form_key": service.NewFormKey(), "weekday": "0", "start": "19:00", "minutes": "45"}}
	park = web.Form{Values: map[string]string{"form_key": service.NewFormKey()}}
	return propose, park
}

func (s *Server) showTalk(w http.ResponseWriter, r *http.Request) error {
	propose, park := newTalkForms()
	page, err := s.talkPage(r, propose, park)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// talkPage draws the talk page with its two forms.
func (s *Server) talkPage(r *http.Request, propose, park web.Form) (templ.Component, error) {
	v, err := s.talk.Page(r.Context(), currentUser(r))
	if err != nil {
		return nil, err
	}
	p := s.page(r, "Talk times", "talk")
	if propose.Errors != nil || park.Errors != nil {
		p = p.WithErrors()
	}
	return web.TalkPage(web.TalkPageProps{Page: p, TalkPage: v, Propose: propose, Park: park}), nil
}

func (s *Server) proposeTalkTime(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append(web.TalkTimeFields, "form_key")...)
	in := service.TalkTimeInput{Weekday: f.Get("weekday"), Start: f.Get("start"), Minutes: f.Get("minutes"), FormKey: f.Get("form_key")}
	if err := s.talk.Propose(r.Context(), currentUser(r), in); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			_, park := newTalkForms()
			return s.talkPage(r, f, park)
		})
	}
	s.flash(r, "Proposed. It counts once your partner agrees.")
	seeOther(w, r, "/talk#times-heading")
	return nil
}

// decideTalkTime makes the decision the route or the form names.
func (s *Server) decideTalkTime(decision string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := idParam(r, "talkTimeID")
		if err != nil {
			return err
		}
		d := decision
		if d == "" {
			if err := parseForm(r); err != nil {
				return err
			}
			if d = r.PostFormValue("decision"); d != "agree" && d != "decline" {
				return errNotFound
			}
		}
		if err := s.talk.Decide(r.Context(), currentUser(r), id, d); err != nil {
			return recordNotFound(err)
		}
		s.flash(r, talkFlash[d])
		seeOther(w, r, "/talk")
		return nil
	}
}

var talkFlash = map[string]string{
	"agree":    "Agreed. It is your talk time now.",
	"decline":  "Declined.",
	"withdraw": "Withdrawn.",
	"end":      "This talk time has stopped.",
}

func (s *Server) parkTopic(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append(web.TopicFields, "form_key")...)
	share := r.PostFormValue("action") == "share"
	in := service.TopicInput{Title: f.Get("title"), Note: f.Get("note"), FormKey: f.Get("form_key"), Share: share}
	if err := s.talk.Park(r.Context(), currentUser(r), in); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			propose, _ := newTalkForms()
			return s.talkPage(r, propose, f)
		})
	}
	if share {
		s.flash(r, "Parked and shared.")
	} else {
		s.flash(r, "Parked. It waits for your talk time.")
	}
	seeOther(w, r, "/talk#agenda")
	return nil
}

// topicAction runs act on the topic the route names, then shows the agenda.
func (s *Server) topicAction(w http.ResponseWriter, r *http.Request, flash string,
	act func(ctx context.Context, u *mend.User, id int64) error) error {
	id, err := idParam(r, "topicID")
	if err != nil {
		return err
	}
	if err := act(r.Context(), currentUser(r), id); err != nil {
		return recordNotFound(err)
	}
	s.flash(r, flash)
	seeOther(w, r, "/talk#agenda")
	return nil
}

func (s *Server) markTalked(w http.ResponseWriter, r *http.Request) error {
	return s.topicAction(w, r, "Marked as talked through.", s.talk.Talked)
}

func (s *Server) shareTopic(w http.ResponseWriter, r *http.Request) error {
	return s.topicAction(w, r, "Shared.", s.talk.Share)
}

func (s *Server) deleteTopic(w http.ResponseWriter, r *http.Request) error {
	return s.topicAction(w, r, "Deleted.", s.talk.DeleteTopic)
}

func (s *Server) showQuestions(w http.ResponseWriter, r *http.Request) error {
	page, err := s.questionsPage(r, web.Form{Values: map[string]string{"form_key": service.NewFormKey()}}, web.Form{}, 0)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// questionsPage draws the questions page with the ask form, and the answer
// form of question formFor shown again.
func (s *Server) questionsPage(r *http.Request, ask, answer web.Form, formFor int64) (templ.Component, error) {
	v, err := s.talk.Questions(r.Context(), currentUser(r))
	if err != nil {
		return nil, err
	}
	keys := map[int64]string{}
	for _, q := range v.Questions {
		if q.UserID != v.Space.Me.UserID {
			keys[q.ID] = service.NewFormKey()
		}
	}
	p := s.page(r, "Questions and answers", "talk")
	if ask.Errors != nil || answer.Errors != nil {
		p = p.WithErrors()
	}
	return web.QuestionsPage(web.QuestionsPageProps{Page: p, QuestionsPage: v, Ask: ask, Answer: answer, AnswerFor: formFor, AnswerKeys: keys}), nil
}

func (s *Server) askQuestion(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append(web.QuestionFields, "form_key", "share")...)
	in := service.QuestionInput{Body: f.Get("body"), About: f.Get("about"), FormKey: f.Get("form_key"), Share: f.Get("share") != ""}
	if err := s.talk.Ask(r.Context(), currentUser(r), in); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.questionsPage(r, f, web.Form{}, 0)
		})
	}
	s.flash(r, "Asked.")
	seeOther(w, r, "/talk/questions")
	return nil
}

func (s *Server) answerQuestion(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "questionID")
	if err != nil {
		return err
	}
	f := formOf(r, "answer", "form_key")
	talk := r.PostFormValue("action") == "talk"
	if err := s.talk.Answer(r.Context(), currentUser(r), id, f.Get("answer"), talk, f.Get("form_key")); err != nil {
		return redraw(recordNotFound(err), func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.questionsPage(r, web.Form{Values: map[string]string{"form_key": service.NewFormKey()}}, f, id)
		})
	}
	if talk {
		s.flash(r, "It is on the agenda of your talk time.")
	} else {
		s.flash(r, "Sent.")
	}
	seeOther(w, r, "/talk/questions#question-"+strconv.FormatInt(id, 10))
	return nil
}

func (s *Server) deleteQuestion(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "questionID")
	if err != nil {
		return err
	}
	if err := s.talk.DeleteQuestion(r.Context(), currentUser(r), id); err != nil {
		return recordNotFound(err)
	}
	s.flash(r, "Deleted.")
	seeOther(w, r, "/talk/questions")
	return nil
}

func (s *Server) shareQuestion(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "questionID")
	if err != nil {
		return err
	}
	share := r.PostFormValue("share") != ""
	if err := s.talk.ShareQuestion(r.Context(), currentUser(r), id, share); err != nil {
		return recordNotFound(err)
	}
	if share {
		s.flash(r, "Shared with your therapist, with its answer.")
	} else {
		s.flash(r, "No longer shared with your therapist.")
	}
	seeOther(w, r, "/talk/questions#question-"+strconv.FormatInt(id, 10))
	return nil
}

func (s *Server) showTherapistQuestions(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	v, err := s.talk.ForTherapist(r.Context(), currentUser(r), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.TherapistQuestionsPage(web.TherapistQuestionsPageProps{
		Page: s.page(r, "Questions and answers of "+web.Names(web.MemberNames(v.Members)), "caseload"), TherapistQuestionsPage: v}))
	return nil
}

// confirmDeleteTopic asks the one who parked a topic to confirm deleting
// it; anyone else's answers 404.
func (s *Server) confirmDeleteTopic(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "topicID")
	if err != nil {
		return err
	}
	v, err := s.talk.Page(r.Context(), currentUser(r))
	if err != nil {
		return recordNotFound(err)
	}
	for i := range v.Topics {
		if t := &v.Topics[i]; t.ID == id && t.UserID == v.Space.Me.UserID {
			s.render(w, r, http.StatusOK, web.TopicDeletePage(web.TopicDeletePageProps{Page: s.page(r, "Delete a topic", "talk"),
				Space: v.Space, Topic: t, Now: v.Now}))
			return nil
		}
	}
	return errNotFound
}

// confirmDeleteQuestion asks the one who asked a question to confirm
// deleting it, with its answer; anyone else's answers 404.
func (s *Server) confirmDeleteQuestion(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "questionID")
	if err != nil {
		return err
	}
	v, err := s.talk.Questions(r.Context(), currentUser(r))
	if err != nil {
		return recordNotFound(err)
	}
	for i := range v.Questions {
		if q := &v.Questions[i]; q.ID == id && q.UserID == v.Space.Me.UserID {
			s.render(w, r, http.StatusOK, web.QuestionDeletePage(web.QuestionDeletePageProps{Page: s.page(r, "Delete a question", "talk"),
				Space: v.Space, Question: q}))
			return nil
		}
	}
	return errNotFound
}
