package server

import (
	"errors"
	"net/http"

	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func (s *Server) showLanding(w http.ResponseWriter, r *http.Request) error {
	if u := currentUser(r); u != nil {
		seeOther(w, r, web.HomeFor(u))
		return nil
	}
	s.render(w, r, http.StatusOK, web.LandingPage(web.LandingPageProps{Page: s.page(r, "", "")}))
	return nil
}

// showMore lists a partner's places beyond the main tabs, and Log out.
func (s *Server) showMore(w http.ResponseWriter, r *http.Request) error {
	_, err := s.couples.PartnerAccess(r.Context(), currentUser(r))
	if err != nil && !errors.Is(err, service.ErrNoSpace) {
		return err
	}
	s.render(w, r, http.StatusOK, web.MorePage(s.page(r, "More", "more"), err == nil))
	return nil
}
