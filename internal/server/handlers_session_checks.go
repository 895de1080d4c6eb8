package server

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// The short check after a session: a partner's form and their own
// answers, and the therapist's page of the answers shared with them.
// Nothing here logs an answer or a note.

func (s *Server) listSessionChecks(w http.ResponseWriter, r *http.Request) error {
	v, err := s.therapy.SessionChecks(r.Context(), currentUser(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.SessionChecksPage(web.SessionChecksPageProps{Page: s.page(r, "After your sessions", "today"), SessionCheckPage: v}))
	return nil
}

func (s *Server) showSessionCheck(w http.ResponseWriter, r *http.Request) error {
	page, err := s.sessionCheckPage(r, web.Form{})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// sessionCheckPage draws the check about the session in the path with the
// form f (empty: the answers so far, on a fresh form key).
func (s *Server) sessionCheckPage(r *http.Request, f web.Form) (templ.Component, error) {
	v, err := s.therapy.SessionCheck(r.Context(), currentUser(r), chi.URLParam(r, "day"))
	if err != nil {
		return nil, recordNotFound(err)
	}
	p := s.page(r, "After your session", "today")
	if f.Errors != nil {
		p = p.WithErrors()
	} else {
		f = web.Form{Values: web.SessionCheckValues(v.Existing)}
		f.Values["form_key"] = service.NewFormKey()
	}
	return web.SessionCheckPage(web.SessionCheckPageProps{Page: p, SessionCheckPage: v, Form: f}), nil
}

func (s *Server) saveSessionCheck(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, "went", "heard", "connected", "hopeful", "note", "share", "form_key")
	err := s.therapy.SaveSessionCheck(r.Context(), currentUser(r), chi.URLParam(r, "day"), service.SessionCheckInput{
		Went: f.Get("went"), Heard: f.Get("heard"), Connected: f.Get("connected"), Hopeful: f.Get("hopeful"),
		Note: f.Get("note"), Share: f.Get("share") != "", FormKey: f.Get("form_key")})
	if err != nil {
		return redraw(recordNotFound(err), func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.sessionCheckPage(r, f)
		})
	}
	s.flash(r, "Saved. Thank you for taking a moment.")
	seeOther(w, r, "/today")
	return nil
}

func (s *Server) showTherapistSessionChecks(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	v, err := s.therapy.TherapistSessionChecks(r.Context(), currentUser(r), id)
	if err != nil {
		return err
	}
	p := s.page(r, "After sessions with "+web.Names(web.MemberNames(v.Members)), "caseload")
	s.render(w, r, http.StatusOK, web.TherapistSessionChecksPage(web.TherapistSessionChecksPageProps{Page: p, TherapistSessionChecksPage: v}))
	return nil
}
