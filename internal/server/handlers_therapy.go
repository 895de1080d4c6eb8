package server

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// A therapist's session dates, private notes and suggestions to a couple.
// Nothing here logs the words of a note or a suggestion.

func (s *Server) showTherapySessions(w http.ResponseWriter, r *http.Request) error {
	page, err := s.therapySessionsPage(r, web.Form{Values: map[string]string{"form_key": service.NewFormKey()}},
		web.Form{Values: map[string]string{"form_key": service.NewFormKey()}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// therapySessionsPage draws the sessions and notes of the couple in the
// path, with the form to add a session (sf) and a note (nf), either shown
// again with its problems. Drawing it is a view, logged first.
func (s *Server) therapySessionsPage(r *http.Request, sf, nf web.Form) (templ.Component, error) {
	id, err := coupleParam(r)
	if err != nil {
		return nil, err
	}
	v, err := s.therapy.Sessions(r.Context(), currentUser(r), id, 0)
	if err != nil {
		return nil, err
	}
	p := s.page(r, "Sessions with "+web.Names(web.MemberNames(v.Members)), "caseload")
	if sf.Errors != nil || nf.Errors != nil {
		p = p.WithErrors()
	}
	return web.TherapySessionsPage(web.TherapySessionsPageProps{Page: p, TherapySessionsPage: v, SessionForm: sf, NoteForm: nf}), nil
}

func (s *Server) addTherapySession(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	f := formOf(r, "day", "form_key")
	if err := s.therapy.AddSession(r.Context(), currentUser(r), id, f.Get("day"), f.Get("form_key")); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.therapySessionsPage(r, f, web.Form{Values: map[string]string{"form_key": service.NewFormKey()}})
		})
	}
	s.flash(r, "Saved.")
	seeOther(w, r, string(web.CouplePath(id, "/sessions")))
	return nil
}

func (s *Server) removeTherapySession(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	sessionID, err := idParam(r, "sessionID")
	if err != nil {
		return err
	}
	if err := s.therapy.RemoveSession(r.Context(), currentUser(r), id, sessionID); err != nil {
		return err
	}
	s.flash(r, "Removed. Your notes about it are kept.")
	seeOther(w, r, string(web.CouplePath(id, "/sessions")))
	return nil
}

func (s *Server) addTherapistNote(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	f := formOf(r, "body", "session", "form_key")
	if err := s.therapy.AddNote(r.Context(), currentUser(r), id, f.Get("body"), f.Get("session"), f.Get("form_key")); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.therapySessionsPage(r, web.Form{Values: map[string]string{"form_key": service.NewFormKey()}}, f)
		})
	}
	s.flash(r, "Saved. Only you can read it.")
	seeOther(w, r, string(web.CouplePath(id, "/sessions#notes-heading")))
	return nil
}

func (s *Server) showEditNote(w http.ResponseWriter, r *http.Request) error {
	page, err := s.editNotePage(r, web.Form{})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// editNotePage draws the form to change a note; f, when it has values, is
// the form as sent, shown again with its problems.
func (s *Server) editNotePage(r *http.Request, f web.Form) (templ.Component, error) {
	id, err := coupleParam(r)
	if err != nil {
		return nil, err
	}
	noteID, err := idParam(r, "noteID")
	if err != nil {
		return nil, err
	}
	v, err := s.therapy.Sessions(r.Context(), currentUser(r), id, noteID)
	if err != nil {
		return nil, err
	}
	p := s.page(r, "Change a note", "caseload")
	if f.Values == nil {
		f = web.NoteFormValues(&v.Notes[0])
	} else {
		p = p.WithErrors()
	}
	return web.EditNotePage(web.EditNotePageProps{Page: p, TherapySessionsPage: v, Form: f}), nil
}

func (s *Server) editTherapistNote(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	noteID, err := idParam(r, "noteID")
	if err != nil {
		return err
	}
	f := formOf(r, "body", "session")
	changed, err := s.therapy.EditNote(r.Context(), currentUser(r), id, noteID, f.Get("body"), f.Get("session"))
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.editNotePage(r, f)
		})
	}
	if changed {
		s.flash(r, "Saved. Only you can read it.")
	} else {
		s.flash(r, "Nothing changed, so nothing new was saved.")
	}
	seeOther(w, r, string(web.CouplePath(id, "/sessions#notes-heading")))
	return nil
}

func (s *Server) showSuggestions(w http.ResponseWriter, r *http.Request) error {
	page, err := s.suggestionsPage(r, web.Form{Values: map[string]string{"form_key": service.NewFormKey()}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// suggestionsPage draws what the therapist sent the couple in the path,
// with the form to send one; drawing it is a view, logged first.
func (s *Server) suggestionsPage(r *http.Request, f web.Form) (templ.Component, error) {
	id, err := coupleParam(r)
	if err != nil {
		return nil, err
	}
	v, err := s.therapy.Suggestions(r.Context(), currentUser(r), id)
	if err != nil {
		return nil, err
	}
	p := s.page(r, "Suggestions to "+web.Names(web.MemberNames(v.Members)), "caseload")
	if f.Errors != nil {
		p = p.WithErrors()
	}
	return web.SuggestionsPage(web.SuggestionsPageProps{Page: p, SuggestionsPage: v, Form: f}), nil
}

func (s *Server) sendSuggestion(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	f := formOf(r, "kind", "title", "body", "form_key")
	in := service.SuggestionInput{Kind: f.Get("kind"), Title: f.Get("title"), Body: f.Get("body"), FormKey: f.Get("form_key")}
	if err := s.therapy.Suggest(r.Context(), currentUser(r), id, in); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.suggestionsPage(r, f)
		})
	}
	s.flash(r, "Sent. Both partners see it on their Today page.")
	seeOther(w, r, string(web.CouplePath(id, "/suggestions")))
	return nil
}

// setSuggestionAside is a partner's "Done with this": the suggestion
// leaves their own Today page, not their partner's.
func (s *Server) setSuggestionAside(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "suggestionID")
	if err != nil {
		return err
	}
	if err := s.therapy.SetAside(r.Context(), currentUser(r), id); err != nil {
		return recordNotFound(err)
	}
	s.flash(r, "Set aside. Your partner still sees it until they set it aside too.")
	seeOther(w, r, "/today")
	return nil
}
