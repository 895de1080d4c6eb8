package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// openPastedInvite takes an invite link pasted by a partner and opens it.
func (s *Server) openPastedInvite(w http.ResponseWriter, r *http.Request) error {
	f := web.Form{Values: map[string]string{"link": r.URL.Query().Get("link")}, Errors: map[string]string{}}
	if raw := strings.TrimSpace(f.Get("link")); raw != "" {
		if token := tokenFromLink(raw); token != "" {
			seeOther(w, r, "/join/"+token)
			return nil
		}
		return redraw(&mend.Error{Code: mend.Invalid, Fields: map[string]string{
			"link": "That does not look like a Mend invite link. Paste the whole link, starting with http."}},
			func(problems map[string]string) (templ.Component, error) {
				f.Errors = problems
				return web.JoinCodePage(web.JoinCodePageProps{Page: s.page(r, "Join with an invite", "").WithErrors(), Form: f}), nil
			})
	}
	s.render(w, r, http.StatusOK, web.JoinCodePage(web.JoinCodePageProps{Page: s.page(r, "Join with an invite", ""), Form: f}))
	return nil
}

// tokenFromLink finds the token in a pasted invite link (or a bare token).
func tokenFromLink(raw string) string {
	path := raw
	if u, err := url.Parse(raw); err == nil && u.Path != "" {
		path = u.Path
	}
	token := path[strings.LastIndex(path, "/")+1:]
	if len(token) < 20 || len(token) > 100 || strings.Trim(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return ""
	}
	return token
}

// showInvitation shows an invite: to a visitor, the way through sign-up or
// log-in; to a logged-in person, the button to accept or why they cannot.
func (s *Server) showInvitation(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	info, err := s.couples.Invite(r.Context(), token)
	if err != nil {
		return err
	}
	v := web.JoinPageProps{Token: token, Kind: info.Invite.Kind, InviterName: info.InviterName, Therapist: info.Therapist,
		TherapistPending: info.TherapistPending}
	if u := currentUser(r); u != nil {
		v.Blocked, err = s.joinBlocked(r, u, info.Invite.Kind)
		if err != nil {
			return err
		}
	}
	title := "Join your partner"
	if v.Kind == mend.InviteTherapist {
		title = "An invitation to support a couple"
	}
	v.Page = s.page(r, title, "")
	s.render(w, r, http.StatusOK, web.JoinPage(v))
	return nil
}

// joinBlocked says why u cannot accept an invite of kind, or "".
func (s *Server) joinBlocked(r *http.Request, u *mend.User, kind mend.InviteKind) (string, error) {
	if kind == mend.InviteTherapist {
		if !u.IsTherapist() {
			return "This link is for the couple's therapist. Log in with a therapist account to accept it.", nil
		}
		return "", nil
	}
	if u.IsTherapist() {
		return "This link is for a partner, and you are logged in with a therapist account. Log out, then open the link again with a partner account.", nil
	}
	_, err := s.couples.PartnerAccess(r.Context(), u)
	if errors.Is(err, service.ErrNoSpace) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return "You are already in a couple space. To join another, leave yours first (in Our space).", nil
}

// acceptInvitation uses an invite for the logged-in person.
func (s *Server) acceptInvitation(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	u := currentUser(r)
	if u == nil {
		seeOther(w, r, "/login?next="+url.QueryEscape("/join/"+token))
		return nil
	}
	dest, err := s.useInvite(r, u, token)
	if err != nil {
		return err
	}
	seeOther(w, r, dest)
	return nil
}

// useInvite uses the invite token for u, renews the session token (a
// change of privilege), leaves a confirmation, and returns where to go.
func (s *Server) useInvite(r *http.Request, u *mend.User, token string) (string, error) {
	info, err := s.couples.Invite(r.Context(), token)
	if err == nil {
		_, err = s.couples.AcceptInvite(r.Context(), u, token, info)
	}
	if err != nil {
		// The same button pressed again (a double tap, a retry) after it
		// worked, or while it did: the person lands where that press did.
		if used := s.couples.UsedBy(r.Context(), u, token); used != nil {
			return joinedHome(used), nil
		}
		return "", err
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return "", err
	}
	s.log.InfoContext(r.Context(), "invite accepted", "user_id", u.ID, "couple_id", info.Invite.CoupleID, "kind", string(info.Invite.Kind))
	if info.Invite.Kind == mend.InviteTherapist {
		// The link waits for the other partner: nothing of the couple yet.
		s.flash(r, "You accepted "+web.Possessive(info.InviterName)+" invitation. You will see the couple once both partners have agreed.")
	} else {
		s.flash(r, "You have joined "+web.Possessive(info.InviterName)+" space. Welcome.")
	}
	return joinedHome(info), nil
}

// joinedHome is where using an invite leads: a therapist to the caseload, a
// partner to Today.
func joinedHome(info *service.InviteInfo) string {
	if info.Invite.Kind == mend.InviteTherapist {
		return "/caseload"
	}
	return "/today"
}

// afterAuth is where a person goes after signing up or logging in with a
// return path. An invite link is never accepted here: its page opens, with
// the invite and its button, so that joining a space or a couple is always
// a deliberate tap — a crafted link cannot pull anyone in by logging in.
func (s *Server) afterAuth(u *mend.User, next string) string {
	if next == "" {
		return web.HomeFor(u)
	}
	return next
}
