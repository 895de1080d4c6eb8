package server

import (
	"errors"
	"net/http"
	"sync"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// space returns the caller's couple space, or nil when they have none.
func (s *Server) space(r *http.Request) (*mend.Space, error) {
	sp, err := s.couples.Space(r.Context(), currentUser(r))
	if mend.ErrorCode(err) == mend.NotFound {
		return nil, nil
	}
	return sp, err
}

func (s *Server) today(w http.ResponseWriter, r *http.Request) error {
	sp, err := s.space(r)
	if err != nil {
		return err
	}
	var dash *mend.Dashboard
	var commitments *mend.CommitmentsPage
	var triggers *mend.TriggerDashboard
	var safetyDue bool
	if sp != nil {
		// The parts read different tables with the same access: they run
		// at once, on their own pool connections, so Today waits for one.
		// The safety offer reads only the caller's own checks.
		ctx, u := r.Context(), currentUser(r)
		var wg sync.WaitGroup
		errs := make([]error, 4)
		wg.Go(func() { dash, errs[0] = s.checkins.Dashboard(ctx, u, sp) })
		wg.Go(func() { commitments, errs[1] = s.commitmentsSvc.Dashboard(ctx, u, sp) })
		wg.Go(func() { triggers, errs[2] = s.triggers.Dashboard(ctx, u, sp) })
		wg.Go(func() { safetyDue, errs[3] = s.safetySvc.OfferDue(ctx, u, sp) })
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, web.TodayPage(s.page(r, "Today", "today"), sp, dash, commitments, triggers, safetyDue))
	return nil
}

func (s *Server) startForm(w http.ResponseWriter, r *http.Request) error {
	_, err := s.couples.PartnerAccess(r.Context(), currentUser(r))
	if err == nil {
		http.Redirect(w, r, "/couple", http.StatusSeeOther)
		return nil
	}
	if mend.ErrorCode(err) != mend.NotFound {
		return err
	}
	f := web.ContextForm(nil)
	f.Values["form_key"] = service.NewFormKey()
	s.render(w, r, http.StatusOK, web.StartPage(s.page(r, "Start your space", "couple"), f))
	return nil
}

func (s *Server) start(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append(web.ContextFields, "form_key")...)
	_, err := s.couples.Start(r.Context(), currentUser(r), service.StartInput{
		WhatHappened: f.Get("what_happened"), Details: f.Get("details"), CameToLight: f.Get("came_to_light"),
		Rebuilding: f.Get("rebuilding"), Visibility: f.Get("visibility"), FormKey: f.Get("form_key"),
	})
	if fields, status, ok := formProblem(w, err); ok {
		f.Errors = fields
		s.render(w, r, status, web.StartPage(s.page(r, "Start your space", "couple").WithErrors(), f))
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.flash(r, "Your space is ready. Now invite your partner.")
	http.Redirect(w, r, "/couple/invite", http.StatusSeeOther)
	return nil
}

func (s *Server) couplePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCouple(w, r, http.StatusOK, web.Form{})
}

func (s *Server) renderCouple(w http.ResponseWriter, r *http.Request, status int, leave web.Form) error {
	sp, err := s.space(r)
	if err != nil {
		return err
	}
	if sp == nil {
		http.Redirect(w, r, "/today", http.StatusSeeOther)
		return nil
	}
	p := s.page(r, "Our space", "couple")
	if len(leave.Errors) > 0 {
		p = p.WithErrors()
	}
	s.render(w, r, status, web.CouplePage(p, sp, leave))
	return nil
}

func (s *Server) leave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	err := s.couples.Leave(r.Context(), currentUser(r), r.PostFormValue("password"), s.clientKey(r))
	if fields, status, ok := formProblem(w, err); ok {
		return s.renderCouple(w, r, status, web.Form{Errors: fields})
	}
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "left couple space", "user_id", currentUser(r).ID)
	s.flash(r, "You have left the space. What you wrote stays yours.")
	http.Redirect(w, r, "/today", http.StatusSeeOther)
	return nil
}

func (s *Server) invitePage(w http.ResponseWriter, r *http.Request) error {
	return s.renderInvite(w, r, "")
}

func (s *Server) renderInvite(w http.ResponseWriter, r *http.Request, link string) error {
	ip, err := s.couples.PartnerInvite(r.Context(), currentUser(r))
	if mend.ErrorCode(err) == mend.NotFound {
		http.Redirect(w, r, "/today", http.StatusSeeOther)
		return nil
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.InvitePage(s.page(r, "Invite your partner", "couple"), ip.Space, web.InviteView{Invite: ip.Invite, Link: link}))
	return nil
}

// createInvite answers with the page itself rather than a redirect: the
// link is shown once, in this response, and is stored nowhere.
func (s *Server) createInvite(w http.ResponseWriter, r *http.Request) error {
	token, _, err := s.couples.CreateInvite(r.Context(), currentUser(r), mend.InvitePartner)
	if err != nil {
		return err
	}
	return s.renderInvite(w, r, s.inviteLink(token))
}

func (s *Server) revokeInvite(w http.ResponseWriter, r *http.Request) error {
	if err := s.couples.RevokeInvite(r.Context(), currentUser(r), mend.InvitePartner); err != nil {
		return err
	}
	s.flash(r, "The link was cancelled. It no longer works.")
	http.Redirect(w, r, "/couple/invite", http.StatusSeeOther)
	return nil
}

// inviteLink is the address an invite token opens.
func (s *Server) inviteLink(token string) string {
	return s.cfg.BaseURL.String() + "/join/" + token
}
