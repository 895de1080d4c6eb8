package server

import (
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// showContextForm shows the partner's own starting words to write or
// change. Words written about an earlier pair are not put back in the form:
// new words are about the pair as it is now.
func (s *Server) showContextForm(w http.ResponseWriter, r *http.Request) error {
	sp, err := s.couples.Space(r.Context(), currentUser(r))
	if err != nil {
		return err
	}
	c := sp.MyContext()
	earlier := c != nil && c.Earlier
	if earlier {
		c = nil
	}
	s.render(w, r, http.StatusOK, web.ContextPage(web.ContextPageProps{Page: s.page(r, "Your own words", "couple"),
		Space: sp, Form: web.ContextForm(c), Earlier: earlier}))
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
	if err := s.couples.SetContext(r.Context(), currentUser(r), in); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			sp, err := s.couples.Space(r.Context(), currentUser(r))
			if err != nil {
				return nil, err
			}
			f.Errors = problems
			c := sp.MyContext()
			return web.ContextPage(web.ContextPageProps{Page: s.page(r, "Your own words", "couple").WithErrors(),
				Space: sp, Form: f, Earlier: c != nil && c.Earlier}), nil
		})
	}
	if strings.TrimSpace(in.WhatHappened+in.Details+in.CameToLight+in.Rebuilding) == "" {
		s.flash(r, "Saved. You have no starting words now.")
	} else {
		s.flash(r, "Saved.")
	}
	seeOther(w, r, "/couple")
	return nil
}
