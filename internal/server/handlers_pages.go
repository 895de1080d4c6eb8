package server

import (
	"net/http"

	"github.com/mend-app/mend/web"
)

func (s *Server) showLanding(w http.ResponseWriter, r *http.Request) error {
	if u := currentUser(r); u != nil {
		http.Redirect(w, r, web.HomeFor(u), http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, web.LandingPage(web.LandingPageProps{Page: s.page(r, "", "")}))
	return nil
}
