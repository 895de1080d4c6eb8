package server

import (
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func (s *Server) showStatement(w http.ResponseWriter, r *http.Request) error {
	c, err := s.statementPage(r, web.Form{}, web.Form{})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, c)
	return nil
}

// statementPage draws the statement page; mine is the reader's statement
// form and answer the answer form, each shown again with its problems when
// it has values.
func (s *Server) statementPage(r *http.Request, mine, answer web.Form) (templ.Component, error) {
	v, err := s.statements.Page(r.Context(), currentUser(r))
	if err != nil {
		return nil, err
	}
	p := s.page(r, "Accountability statement", "couple")
	if mine.Errors != nil || answer.Errors != nil {
		p = p.WithErrors()
	}
	if mine.Values == nil {
		mine = web.StatementFormValues(v, service.NewFormKey())
	}
	return web.StatementPage(web.StatementPageProps{Page: p, StatementPage: v, Form: mine, Answer: answer,
		AnswerKey: service.NewFormKey()}), nil
}

func (s *Server) saveStatement(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r, "commitments"); err != nil {
		return err
	}
	f := formOf(r, append(web.StatementFields, "form_key", "share")...)
	in := service.StatementInput{Parts: map[string]string{}, Commitments: r.PostForm["commitments"],
		FormKey: f.Get("form_key"), Send: sent(r), Share: f.Get("share") != ""}
	for _, part := range mend.StatementParts {
		in.Parts[part.Key] = f.Get(part.Key)
	}
	for _, id := range in.Commitments {
		f.Values["commitment-"+id] = "on"
	}
	if _, err := s.statements.Save(r.Context(), currentUser(r), in); err != nil {
		return redraw(recordNotFound(err), func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.statementPage(r, f, web.Form{})
		})
	}
	if in.Send {
		s.flash(r, "Sent. Thank you for saying it plainly.")
	} else {
		s.flash(r, "Kept as a draft. Only you can see it.")
	}
	seeOther(w, r, "/statement")
	return nil
}

func (s *Server) answerStatement(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "versionID")
	if err != nil {
		return err
	}
	f := formOf(r, append(web.StatementAnswerFields(), "form_key")...)
	in := map[string]service.StatementAnswerInput{}
	for _, part := range mend.StatementParts {
		in[part.Key] = service.StatementAnswerInput{Choice: f.Get("answer-" + part.Key), Note: f.Get("note-" + part.Key)}
	}
	if err := s.statements.Answer(r.Context(), currentUser(r), id, in, f.Get("form_key")); err != nil {
		return redraw(recordNotFound(err), func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.statementPage(r, web.Form{}, f)
		})
	}
	s.flash(r, "Sent.")
	seeOther(w, r, "/statement#version-"+strconv.FormatInt(id, 10))
	return nil
}

// confirmDeleteStatement asks the writer to confirm deleting their
// statement.
func (s *Server) confirmDeleteStatement(w http.ResponseWriter, r *http.Request) error {
	v, err := s.statements.Page(r.Context(), currentUser(r))
	if err != nil {
		return recordNotFound(err)
	}
	if v.Mine == nil {
		return errNotFound
	}
	s.render(w, r, http.StatusOK, web.StatementDeletePage(s.page(r, "Delete your statement", "couple"), v.Space, v.Mine))
	return nil
}

// deleteStatement deletes the writer's statement and opens the page.
func (s *Server) deleteStatement(w http.ResponseWriter, r *http.Request) error {
	if err := s.statements.Delete(r.Context(), currentUser(r)); err != nil {
		return recordNotFound(err)
	}
	s.flash(r, "Deleted.")
	seeOther(w, r, "/statement")
	return nil
}

// deleteStatementAnswers deletes the reader's answers to a version of the
// partner's statement; the version stays.
func (s *Server) deleteStatementAnswers(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "versionID")
	if err != nil {
		return err
	}
	if err := s.statements.DeleteAnswers(r.Context(), currentUser(r), id); err != nil {
		return recordNotFound(err)
	}
	s.flash(r, "Deleted.")
	seeOther(w, r, "/statement#version-"+strconv.FormatInt(id, 10))
	return nil
}
