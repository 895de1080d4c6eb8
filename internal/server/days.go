package server

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/web"
)

// daysForm is the from and to of a therapist's page of a couple's
// entries, as typed in its query.
func daysForm(r *http.Request) web.Form {
	q := r.URL.Query()
	return web.Form{Values: map[string]string{"from": q.Get("from"), "to": q.Get("to")}}
}

// showDays answers a therapist's page of a couple's entries titled title,
// drawn by draw with the days as typed. err is the service's answer that
// came with the page: nil, or Invalid when the days asked cannot be shown,
// and the page is then of its own days, 422, with the messages beside the
// fields and what was typed kept (see redraw).
func (s *Server) showDays(w http.ResponseWriter, r *http.Request, title string, err error, draw func(p web.Page, days web.Form) templ.Component) error {
	f := daysForm(r)
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return draw(s.page(r, title, "caseload").WithErrors(), f), nil
		})
	}
	s.render(w, r, http.StatusOK, draw(s.page(r, title, "caseload"), f))
	return nil
}
