package server

import (
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func (s *Server) showTogether(w http.ResponseWriter, r *http.Request) error {
	page, err := s.togetherPage(r, web.Form{}, web.Form{}, 0)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// togetherPage draws the page of time together; f is the log form (a fresh
// one when empty), note the note form of time together noteFor shown again.
func (s *Server) togetherPage(r *http.Request, f, note web.Form, noteFor int64) (templ.Component, error) {
	u := currentUser(r)
	v, err := s.together.Page(r.Context(), u)
	if err != nil {
		return nil, err
	}
	p := s.page(r, "Time together", "together")
	if len(f.Errors) > 0 || len(note.Errors) > 0 {
		p = p.WithErrors()
	}
	if f.Values == nil {
		f = web.Form{Values: map[string]string{"form_key": service.NewFormKey(), "day": web.DateValue(v.Today)}}
	}
	return web.TogetherPage(web.TogetherPageProps{Page: p, TogetherPage: v, Form: f, Note: note, NoteFor: noteFor}), nil
}

func (s *Server) logTogether(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append(web.TogetherFields, "form_key")...)
	in := service.TogetherInput{Day: f.Get("day"), What: f.Get("what"), Note: f.Get("note"), Rating: f.Get("rating"), FormKey: f.Get("form_key")}
	if err := s.together.Log(r.Context(), currentUser(r), in); err != nil {
		return redraw(recordNotFound(err), func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.togetherPage(r, f, web.Form{}, 0)
		})
	}
	s.flash(r, "Logged.")
	seeOther(w, r, "/time-together")
	return nil
}

func (s *Server) noteTogether(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "togetherID")
	if err != nil {
		return err
	}
	f := formOf(r, web.TogetherNoteFields...)
	if err := s.together.Note(r.Context(), currentUser(r), id, f.Get("note"), f.Get("rating")); err != nil {
		return redraw(recordNotFound(err), func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.togetherPage(r, web.Form{}, f, id)
		})
	}
	s.flash(r, "Saved.")
	seeOther(w, r, "/time-together#together-"+strconv.FormatInt(id, 10))
	return nil
}

func (s *Server) confirmDeleteTogether(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "togetherID")
	if err != nil {
		return err
	}
	u := currentUser(r)
	sp, t, err := s.together.One(r.Context(), u, id)
	if err == nil && t.UserID != u.ID {
		err = mend.ErrNoTogether
	}
	if err != nil {
		return recordNotFound(err)
	}
	s.render(w, r, http.StatusOK, web.TogetherDeletePage(web.TogetherDeletePageProps{Page: s.page(r, "Delete a time together", "together"),
		Space: sp, Together: t}))
	return nil
}

func (s *Server) deleteTogether(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "togetherID")
	if err != nil {
		return err
	}
	if err := s.together.Delete(r.Context(), currentUser(r), id); err != nil {
		return recordNotFound(err)
	}
	s.flash(r, "Deleted.")
	seeOther(w, r, "/time-together")
	return nil
}
