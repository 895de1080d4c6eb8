package server

import (
	"net/http"
	"strings"

	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// contextForm shows the partner's own starting words to write or change.
// Words written about an earlier pair are not put back in the form: new
// words are about the pair as it is now.
func (s *Server) contextForm(w http.ResponseWriter, r *http.Request) error {
	sp, err := s.space(r)
	if err != nil {
		return err
	}
	if sp == nil {
		http.Redirect(w, r, "/today", http.StatusSeeOther)
		return nil
	}
	c := sp.MyContext()
	earlier := c != nil && c.Earlier
	if earlier {
		c = nil
	}
	s.render(w, r, http.StatusOK, web.ContextPage(s.page(r, "Your own words", "couple"), sp, web.ContextForm(c), earlier))
	return nil
}

// saveContext writes the partner's own starting words; an empty form
// removes them.
func (s *Server) saveContext(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, web.ContextFields...)
	in := service.ContextInput{WhatHappened: f.Get("what_happened"), Details: f.Get("details"), CameToLight: f.Get("came_to_light"),
		Rebuilding: f.Get("rebuilding"), Visibility: f.Get("visibility")}
	err := s.couples.SetContext(r.Context(), currentUser(r), in)
	if fields, status, ok := formProblem(w, err); ok {
		sp, serr := s.space(r)
		if serr != nil || sp == nil {
			return serr
		}
		f.Errors = fields
		c := sp.MyContext()
		s.render(w, r, status, web.ContextPage(s.page(r, "Your own words", "couple").WithErrors(), sp, f, c != nil && c.Earlier))
		return nil
	}
	if err != nil {
		return err
	}
	if strings.TrimSpace(in.WhatHappened+in.Details+in.CameToLight+in.Rebuilding) == "" {
		s.flash(r, "Saved. You have no starting words now.")
	} else {
		s.flash(r, "Saved.")
	}
	http.Redirect(w, r, "/couple", http.StatusSeeOther)
	return nil
}
