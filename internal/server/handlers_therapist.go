package server

import (
	"net/http"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/web"
)

// coupleParam reads {coupleID}; anything but a positive number is a 404.
func coupleParam(r *http.Request) (int64, error) { return idParam(r, "coupleID") }

func (s *Server) caseload(w http.ResponseWriter, r *http.Request) error {
	list, err := s.couples.Caseload(r.Context(), currentUser(r))
	if err != nil {
		return err
	}
	items := make([]web.CaseloadItem, len(list))
	for i, c := range list {
		items[i] = web.CaseloadItem{CoupleID: c.CoupleID, Names: c.Names, Since: c.Since, Pending: c.Pending, LinkID: c.LinkID, Inviter: c.Inviter, Flags: c.Flags}
	}
	s.render(w, r, http.StatusOK, web.CaseloadPage(s.page(r, "Your couples", "caseload"), items))
	return nil
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	o, err := s.couples.Overview(r.Context(), currentUser(r), id)
	if err != nil {
		return err
	}
	v := web.OverviewView{CoupleID: id, Members: o.Members, Since: *o.Link.AgreedAt, Defaults: o.Defaults, Flags: o.Flags}
	s.render(w, r, http.StatusOK, web.OverviewPage(s.page(r, web.Names(web.MemberNames(o.Members)), "caseload"), v))
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
	http.Redirect(w, r, "/caseload", http.StatusSeeOther)
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
	http.Redirect(w, r, "/caseload", http.StatusSeeOther)
	return nil
}

func (s *Server) becomeTherapist(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u := currentUser(r)
	f := formOf(r, "professional_name")
	_, err := s.accounts.BecomeTherapist(r.Context(), u, f.Get("professional_name"))
	if mend.ErrorCode(err) == mend.Conflict {
		f.Errors = map[string]string{"professional_name": mend.ErrorMessage(err)}
		err = nil
		return s.renderSettings(w, r, http.StatusConflict, s.profileForm(u), web.Form{}, f)
	}
	if fields, status, ok := formProblem(w, err); ok {
		f.Errors = fields
		return s.renderSettings(w, r, status, s.profileForm(u), web.Form{}, f)
	}
	if err != nil {
		return err
	}
	// A change of privilege: a new session token.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.flash(r, "You now use Mend as a therapist. Couples can invite you with a link.")
	http.Redirect(w, r, "/caseload", http.StatusSeeOther)
	return nil
}
