package server

import (
	"net/http"

	"github.com/mend-app/mend/web"
)

// shareStatement sets whether the writer's statement is shared with the
// therapist and opens the statement page.
func (s *Server) shareStatement(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	share := r.PostFormValue("share") != ""
	if err := s.statements.Share(r.Context(), currentUser(r), share); err != nil {
		return recordNotFound(err)
	}
	if share {
		s.flash(r, "Your statement is shared with your therapist, with its answers.")
	} else {
		s.flash(r, "Your statement is no longer shared with your therapist.")
	}
	seeOther(w, r, "/statement#mine-heading")
	return nil
}

// showTherapistStatement is the therapist's page of the statements shared
// with them.
func (s *Server) showTherapistStatement(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	v, err := s.statements.ForTherapist(r.Context(), currentUser(r), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.TherapistStatementPage(web.TherapistStatementPageProps{
		Page: s.page(r, "Accountability statement of "+web.Names(web.MemberNames(v.Members)), "caseload"), TherapistStatementPage: v}))
	return nil
}
