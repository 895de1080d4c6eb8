package server

import (
	"errors"
	"net/http"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// showToday answers what needs the reader first. A partner in no space yet
// is offered to start or join one.
func (s *Server) showToday(w http.ResponseWriter, r *http.Request) error {
	props := web.TodayPageProps{Page: s.page(r, "Today", "today")}
	p, err := s.today.Page(r.Context(), currentUser(r))
	if errors.Is(err, service.ErrNoSpace) {
		s.render(w, r, http.StatusOK, web.TodayPage(props))
		return nil
	}
	if err != nil {
		return err
	}
	props.TodayPage = p
	if props.Guidance, err = s.guidance.Card(r.Context(), currentUser(r), p.Space, mend.PlaceToday); err != nil {
		return err
	}
	props.LogKeys = map[int64]string{}
	for _, c := range p.Commitments.DueToday {
		props.LogKeys[c.ID] = service.NewFormKey()
	}
	s.render(w, r, http.StatusOK, web.TodayPage(props))
	return nil
}

func (s *Server) showStartForm(w http.ResponseWriter, r *http.Request) error {
	_, err := s.couples.PartnerAccess(r.Context(), currentUser(r))
	if err == nil {
		seeOther(w, r, "/couple")
		return nil
	}
	if !errors.Is(err, service.ErrNoSpace) {
		return err
	}
	f := web.ContextForm(nil)
	f.Values["form_key"] = service.NewFormKey()
	s.render(w, r, http.StatusOK, web.StartPage(web.StartPageProps{Page: s.page(r, "Start your space", "couple"), Form: f}))
	return nil
}

func (s *Server) startSpace(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append(web.ContextFields, "form_key")...)
	_, err := s.couples.Start(r.Context(), currentUser(r), service.StartInput{
		WhatHappened: f.Get("what_happened"), Details: f.Get("details"), CameToLight: f.Get("came_to_light"),
		Rebuilding: f.Get("rebuilding"), Visibility: f.Get("visibility"), FormKey: f.Get("form_key"),
	})
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return web.StartPage(web.StartPageProps{Page: s.page(r, "Start your space", "couple").WithErrors(), Form: f}), nil
		})
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.flash(r, "Your space is ready. Now invite your partner.")
	seeOther(w, r, "/couple/invite")
	return nil
}

func (s *Server) showCouple(w http.ResponseWriter, r *http.Request) error {
	page, err := s.couplePage(r, web.Form{})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// couplePage draws Our space, with the form to leave it.
func (s *Server) couplePage(r *http.Request, leave web.Form) (templ.Component, error) {
	sp, err := s.couples.Space(r.Context(), currentUser(r))
	if err != nil {
		return nil, err
	}
	p := s.page(r, "Our space", "couple")
	if len(leave.Errors) > 0 {
		p = p.WithErrors()
	}
	return web.CouplePage(web.CouplePageProps{Page: p, Space: sp, Leave: leave}), nil
}

func (s *Server) leaveSpace(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	err := s.couples.Leave(r.Context(), currentUser(r), r.PostFormValue("password"), s.clientKey(r))
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			return s.couplePage(r, web.Form{Errors: problems})
		})
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "left couple space", "user_id", currentUser(r).ID)
	s.flash(r, "You have left the space. What you wrote stays yours.")
	seeOther(w, r, "/today")
	return nil
}

func (s *Server) showInvite(w http.ResponseWriter, r *http.Request) error {
	return s.renderInvite(w, r, "")
}

// renderInvite shows the invite page; link is a new invite's link, shown
// only in the response that made it.
func (s *Server) renderInvite(w http.ResponseWriter, r *http.Request, link string) error {
	ip, err := s.couples.PartnerInvite(r.Context(), currentUser(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.InvitePage(web.InvitePageProps{Page: s.page(r, "Invite your partner", "couple"),
		Space: ip.Space, Invite: web.InviteView{Invite: ip.Invite, Link: link, FormKey: service.NewFormKey()}}))
	return nil
}

// createInvite answers with the page itself rather than a redirect: the
// link is shown once, in this response, and is stored nowhere.
func (s *Server) createInvite(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	token, _, err := s.couples.CreateInviteOnce(r.Context(), currentUser(r), mend.InvitePartner, r.PostFormValue("form_key"))
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
	seeOther(w, r, "/couple/invite")
	return nil
}

// inviteLink is the address an invite token opens.
func (s *Server) inviteLink(token string) string {
	return s.cfg.BaseURL.String() + "/join/" + token
}
