package server

import (
	"net/http"

	"github.com/mend-app/mend/web"
)

func (s *Server) landing(w http.ResponseWriter, r *http.Request) error {
	if u := currentUser(r); u != nil {
		http.Redirect(w, r, web.HomeFor(u), http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, web.LandingPage(s.page(r, "", "")))
	return nil
}
