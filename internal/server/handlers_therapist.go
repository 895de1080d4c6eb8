package server

import (
	"net/http"

	"github.com/mend-app/mend/internal/mend"

	"github.com/mend-app/mend/web"
)

func (s *Server) showCaseload(w http.ResponseWriter, r *http.Request) error {
	list, err := s.couples.Caseload(r.Context(), currentUser(r))
	if err != nil {
		return err
	}
	u := currentUser(r)
	s.render(w, r, http.StatusOK, web.CaseloadPage(web.CaseloadPageProps{Page: s.page(r, "Your couples", "caseload"), Couples: list,
		Today: mend.Date(s.now(), u.Location())}))
	return nil
}

func (s *Server) showCoupleOverview(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	o, err := s.couples.Overview(r.Context(), currentUser(r), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.OverviewPage(web.OverviewPageProps{Page: s.page(r, web.Names(web.MemberNames(o.Members)), "caseload"),
		CoupleID: id, Members: o.Members, Since: *o.Link.AgreedAt, Defaults: o.Defaults, Flags: o.Flags}))
	return nil
}

func (s *Server) stepAway(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	if err := s.couples.StepAway(r.Context(), currentUser(r), id); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "therapist stepped away", "user_id", currentUser(r).ID, "couple_id", id)
	s.flash(r, "You have stepped away. The couple can see this, and can invite you again.")
	seeOther(w, r, "/caseload")
	return nil
}

// withdrawInvitation lets a therapist step back from a link that still
// waits for the couple. Its address carries the link's id, never the
// couple's: a pending link gives nothing of the couple.
func (s *Server) withdrawInvitation(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "linkID")
	if err != nil {
		return err
	}
	if err := s.couples.WithdrawInvitation(r.Context(), currentUser(r), id); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "therapist withdrew a pending link", "user_id", currentUser(r).ID)
	s.flash(r, "You withdrew. The couple can see this, and can invite you again.")
	seeOther(w, r, "/caseload")
	return nil
}
