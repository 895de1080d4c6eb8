package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func (s *Server) showPrompts(w http.ResponseWriter, r *http.Request) error {
	page, err := s.promptsPage(r, web.Form{}, "", web.Form{})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// promptsPage draws the prompts page; answer is the answer form of the
// prompt answerFor (web.AnswerFormID) shown again with its problems, own
// the form that adds an own prompt (a fresh one when empty).
func (s *Server) promptsPage(r *http.Request, answer web.Form, answerFor string, own web.Form) (templ.Component, error) {
	v, err := s.prompts.Page(r.Context(), currentUser(r))
	if err != nil {
		return nil, err
	}
	keys := map[string]string{web.AnswerFormID(v.Today.Day, v.Today.Prompt.Key): service.NewFormKey()}
	for _, d := range v.Recent {
		keys[web.AnswerFormID(d.Day, d.Prompt.Key)] = service.NewFormKey()
	}
	if own.Values == nil {
		own = web.Form{Values: map[string]string{"form_key": service.NewFormKey()}}
	}
	p := s.page(r, "Prompts", "prompts")
	if len(answer.Errors) > 0 || len(own.Errors) > 0 {
		p = p.WithErrors()
	}
	return web.PromptsPage(web.PromptsPageProps{Page: p, PromptsPage: v, Answer: answer, AnswerFor: answerFor,
		AnswerKeys: keys, Own: own}), nil
}

func (s *Server) answerPrompt(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append(web.AnswerFields, "day", "key", "form_key")...)
	in := service.AnswerInput{Day: f.Get("day"), Key: f.Get("key"), Body: f.Get("body"), Visibility: f.Get("visibility"),
		FormKey: f.Get("form_key")}
	if err := s.prompts.Answer(r.Context(), currentUser(r), in); err != nil {
		return redraw(recordNotFound(err), func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			day, _ := time.Parse(time.DateOnly, in.Day)
			return s.promptsPage(r, f, web.AnswerFormID(day, in.Key), web.Form{})
		})
	}
	s.flash(r, "Saved.")
	seeOther(w, r, "/prompts")
	return nil
}

func (s *Server) skipPrompt(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	seq, err := strconv.Atoi(r.PostFormValue("seq"))
	if err != nil || seq < 0 {
		return errNotFound
	}
	if err := s.prompts.Skip(r.Context(), currentUser(r), seq); err != nil {
		return recordNotFound(err)
	}
	seeOther(w, r, "/prompts")
	return nil
}

func (s *Server) addOwnPrompt(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append(web.OwnPromptFields, "form_key")...)
	in := service.PromptInput{Category: f.Get("category"), Mode: f.Get("mode"), Text: f.Get("text"), FormKey: f.Get("form_key")}
	if err := s.prompts.AddPrompt(r.Context(), currentUser(r), in); err != nil {
		return redraw(recordNotFound(err), func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.promptsPage(r, web.Form{}, "", f)
		})
	}
	s.flash(r, "Added. It joins the prompts of the day.")
	seeOther(w, r, "/prompts#own-heading")
	return nil
}

// confirmDeleteOwnPrompt asks the partner who added one of the couple's own
// prompts to confirm removing it; anyone else answers 404.
func (s *Server) confirmDeleteOwnPrompt(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "promptID")
	if err != nil {
		return err
	}
	v, err := s.prompts.OwnPrompt(r.Context(), currentUser(r), id)
	if err != nil {
		return recordNotFound(err)
	}
	s.render(w, r, http.StatusOK, web.OwnPromptDeletePage(web.OwnPromptDeletePageProps{Page: s.page(r, "Remove your prompt", "prompts"),
		OwnPromptPage: v}))
	return nil
}

// deleteOwnPrompt removes the adder's own prompt and opens the prompts.
func (s *Server) deleteOwnPrompt(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "promptID")
	if err != nil {
		return err
	}
	if err := s.prompts.DeleteOwnPrompt(r.Context(), currentUser(r), id); err != nil {
		return recordNotFound(err)
	}
	s.flash(r, "Removed.")
	seeOther(w, r, "/prompts#own-heading")
	return nil
}
