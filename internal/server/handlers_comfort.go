package server

import (
	"net/http"
	"regexp"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func (s *Server) showComfort(w http.ResponseWriter, r *http.Request) error {
	v, err := s.comfort.Page(r.Context(), currentUser(r))
	if err != nil {
		return err
	}
	f := web.ComfortFormValues(&v.Mine, service.NewFormKey())
	s.render(w, r, http.StatusOK, web.ComfortPage(web.ComfortPageProps{Page: s.page(r, "What helps when a trigger hits", "triggers"),
		ComfortPage: v, Form: f}))
	return nil
}

func (s *Server) writeComfort(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append(web.ComfortFields, "form_key")...)
	share := r.PostFormValue("action") == "share"
	u := currentUser(r)
	err := s.comfort.Write(r.Context(), u, service.ComfortInput{Body: f.Get("body"), FormKey: f.Get("form_key"), Share: share})
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			v, err := s.comfort.Page(r.Context(), u)
			if err != nil {
				return nil, err
			}
			f.Errors = problems
			return web.ComfortPage(web.ComfortPageProps{Page: s.page(r, "What helps when a trigger hits", "triggers").WithErrors(),
				ComfortPage: v, Form: f}), nil
		})
	}
	if share {
		s.flash(r, "Saved and shared. Your partner is asked to agree.")
	} else {
		s.flash(r, "Saved. Only you can see it.")
	}
	seeOther(w, r, "/comfort")
	return nil
}

func (s *Server) agreeComfort(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "planID")
	if err != nil {
		return err
	}
	if err := s.comfort.Agree(r.Context(), currentUser(r), id); err != nil {
		return err
	}
	s.flash(r, "Agreed.")
	seeOther(w, r, "/comfort")
	return nil
}

func (s *Server) deleteComfort(w http.ResponseWriter, r *http.Request) error {
	if err := s.comfort.Delete(r.Context(), currentUser(r)); err != nil {
		return err
	}
	s.flash(r, "Deleted.")
	seeOther(w, r, "/comfort")
	return nil
}

// showTriggerMinute is the optional minute of help after the reader's own
// trigger; anyone else's answers 404.
func (s *Server) showTriggerMinute(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "triggerID")
	if err != nil {
		return err
	}
	m, err := s.comfort.Minute(r.Context(), currentUser(r), id)
	if err != nil {
		return recordNotFound(err)
	}
	g, err := s.guidance.Card(r.Context(), currentUser(r), m.Space, mend.PlaceMinute)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.MinutePage(web.MinutePageProps{Page: s.page(r, "A minute for you", "triggers"), TriggerMinute: m, Guidance: g}))
	return nil
}

// guidanceBack are the pages a guidance card is set aside from.
var guidanceBack = regexp.MustCompile(`^/(today|commitments/new|triggers/[0-9]+/minute)$`)

// dismissGuidance sets a guidance card aside for good and goes back to the
// page it was on (Today for any other).
func (s *Server) dismissGuidance(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	if err := s.guidance.Dismiss(r.Context(), currentUser(r), r.PostFormValue("card")); err != nil {
		return err
	}
	back := r.PostFormValue("back")
	if !guidanceBack.MatchString(back) {
		back = "/today"
	}
	s.flash(r, "Set aside.")
	seeOther(w, r, back)
	return nil
}

// confirmDeleteComfort asks the writer to confirm deleting their comfort
// plan, every version of it; 404 when they have none.
func (s *Server) confirmDeleteComfort(w http.ResponseWriter, r *http.Request) error {
	v, err := s.comfort.Page(r.Context(), currentUser(r))
	if err != nil {
		return recordNotFound(err)
	}
	if len(v.Mine.Versions) == 0 {
		return errNotFound
	}
	s.render(w, r, http.StatusOK, web.ComfortDeletePage(web.ComfortDeletePageProps{Page: s.page(r, "Delete your comfort plan", "triggers"),
		Space: v.Space, Plan: &v.Mine}))
	return nil
}
