package server

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// showDeleteAccount draws the form that deletes the reader's account.
func (s *Server) showDeleteAccount(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, web.DeleteAccountPage(web.DeleteAccountPageProps{Page: s.page(r, "Delete your account", "settings")}))
	return nil
}

// deleteAccount deletes the reader's account after their password and the
// typed word; a wrong one redraws the form (422) with the message by the
// field. Then the session ends and the neutral page says the account is
// gone.
func (s *Server) deleteAccount(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u := currentUser(r)
	err := s.accounts.DeleteAccount(r.Context(), u, service.DeleteAccountInput{
		Password: r.PostFormValue("password"), Confirm: r.PostFormValue("confirm"),
	}, s.clientKey(r))
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			return web.DeleteAccountPage(web.DeleteAccountPageProps{Page: s.page(r, "Delete your account", "settings"),
				Form: web.Form{Errors: problems, Values: map[string]string{"confirm": r.PostFormValue("confirm")}}}), nil
		})
	}
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "account deleted")
	// No flash: it would start a new session.
	seeOther(w, r, "/account-deleted")
	return nil
}

// showAccountDeleted is the neutral page after deleting an account; a
// signed-in visitor goes home instead.
func (s *Server) showAccountDeleted(w http.ResponseWriter, r *http.Request) error {
	if u := currentUser(r); u != nil {
		seeOther(w, r, web.HomeFor(u))
		return nil
	}
	s.render(w, r, http.StatusOK, web.AccountDeletedPage(s.page(r, "Account deleted", "")))
	return nil
}
