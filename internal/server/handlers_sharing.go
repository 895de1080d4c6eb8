package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func (s *Server) showSharing(w http.ResponseWriter, r *http.Request) error {
	return s.renderSharing(w, r, "")
}

func (s *Server) renderSharing(w http.ResponseWriter, r *http.Request, link string) error {
	sp, err := s.couples.Sharing(r.Context(), currentUser(r))
	if err != nil {
		return err
	}
	v := web.SharingPageProps{Page: s.page(r, "Sharing", "sharing"),
		Space: sp.Space, Link: sp.Link, Pending: sp.Pending, Links: sp.Links, Defaults: sp.Defaults,
		History: sp.History, Visits: sp.Visits, OlderVisits: sp.OlderVisits,
		Invite: web.InviteView{Invite: sp.TherapistInvite, Link: link, FormKey: service.NewFormKey()},
	}
	s.render(w, r, http.StatusOK, web.SharingPage(v))
	return nil
}

// saveSharingDefaults reads only the "share" checkboxes: the couple and the partner
// always come from the session, whatever else the form carries.
func (s *Server) saveSharingDefaults(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r, "share"); err != nil {
		return err
	}
	shared := map[string]bool{}
	for _, k := range r.PostForm["share"] {
		shared[k] = true
	}
	changed, err := s.couples.SetDefaults(r.Context(), currentUser(r), shared)
	if err != nil {
		return err
	}
	if changed > 0 {
		s.flash(r, "Saved. Your new entries will start with these choices.")
	} else {
		s.flash(r, "Nothing changed.")
	}
	seeOther(w, r, "/sharing")
	return nil
}

// createTherapistInvite shows the new link in this response only.
func (s *Server) createTherapistInvite(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	token, _, err := s.couples.CreateInviteOnce(r.Context(), currentUser(r), mend.InviteTherapist, r.PostFormValue("form_key"))
	if err != nil {
		return err
	}
	return s.renderSharing(w, r, s.inviteLink(token))
}

func (s *Server) revokeTherapistInvite(w http.ResponseWriter, r *http.Request) error {
	if err := s.couples.RevokeInvite(r.Context(), currentUser(r), mend.InviteTherapist); err != nil {
		return err
	}
	s.flash(r, "The therapist link was cancelled. It no longer works.")
	seeOther(w, r, "/sharing")
	return nil
}

func (s *Server) endTherapistLink(w http.ResponseWriter, r *http.Request) error {
	ended, err := s.couples.EndTherapistLink(r.Context(), currentUser(r))
	if err != nil {
		return err
	}
	if !ended {
		s.flash(r, "No therapist is linked to your space, so there was nothing to end.")
		seeOther(w, r, "/sharing")
		return nil
	}
	s.log.InfoContext(r.Context(), "therapist link ended by partner", "user_id", currentUser(r).ID)
	s.flash(r, "Your therapist's access has ended. Your therapist can no longer see anything of yours.")
	seeOther(w, r, "/sharing")
	return nil
}

// linkParam reads the pending link a partner answers, from the form: which
// link they saw, so that an answer never lands on another one. No link is
// 0, which matches none; anything but a positive number is refused (400).
func linkParam(r *http.Request) (int64, error) {
	v := r.PostFormValue("link")
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest(fmt.Errorf("link %q is no link's id", v))
	}
	return id, nil
}

// agreeToTherapist records the partner's agreement to the therapist their
// partner invited: from now on the therapist sees what each shares.
func (s *Server) agreeToTherapist(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	link, err := linkParam(r)
	if err != nil {
		return err
	}
	err = s.couples.AgreeToTherapist(r.Context(), currentUser(r), link)
	if errors.Is(err, mend.ErrNothingToAgree) {
		s.flash(r, mend.ErrNothingToAgree.Message)
		seeOther(w, r, "/sharing")
		return nil
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "therapist link agreed", "user_id", currentUser(r).ID)
	s.flash(r, "You agreed. Your therapist now sees the entries each of you marks for your therapist, and you both see every visit.")
	seeOther(w, r, "/sharing")
	return nil
}

// declineTherapist ends, at once, a therapist link that waits for the
// partner's agreement.
func (s *Server) declineTherapist(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	link, err := linkParam(r)
	if err != nil {
		return err
	}
	declined, err := s.couples.DeclineTherapist(r.Context(), currentUser(r), link)
	if err != nil {
		return err
	}
	if declined {
		s.log.InfoContext(r.Context(), "therapist link declined", "user_id", currentUser(r).ID)
		s.flash(r, "You declined. The therapist sees nothing of your space, and the link has ended.")
	} else {
		s.flash(r, "That link had already ended. Nothing else changed.")
	}
	seeOther(w, r, "/sharing")
	return nil
}
