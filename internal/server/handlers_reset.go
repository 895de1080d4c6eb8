package server

import (
	"errors"
	"net/http"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

const titleForgot, titleReset = "Reset your password", "Choose a new password"

func (s *Server) showForgotForm(w http.ResponseWriter, r *http.Request) error {
	f := web.Form{Values: map[string]string{}, Errors: map[string]string{}}
	s.render(w, r, http.StatusOK, web.ForgotPasswordPage(web.ForgotPasswordPageProps{Page: s.page(r, titleForgot, ""), Form: f}))
	return nil
}

// requestReset answers every well-formed email alike, whether an account
// uses it or not and whether the request was throttled.
func (s *Server) requestReset(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, "email")
	sent, err := s.resets.RequestPasswordReset(r.Context(), f.Get("email"), s.clientKey(r), s.cfg.BaseURL.String())
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return web.ForgotPasswordPage(web.ForgotPasswordPageProps{Page: s.page(r, titleForgot, "").WithErrors(), Form: f}), nil
		})
	}
	if sent && s.wakeMail != nil {
		s.wakeMail()
	}
	s.render(w, r, http.StatusOK, web.ForgotPasswordPage(web.ForgotPasswordPageProps{Page: s.page(r, titleForgot, ""), Sent: true}))
	return nil
}

// showResetForm shows the new-password form of a reset link, or why the
// link does not work (404).
func (s *Server) showResetForm(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	p := web.ResetPasswordPageProps{Page: s.page(r, titleReset, ""), Token: token,
		Form: web.Form{Values: map[string]string{}, Errors: map[string]string{}}}
	status := http.StatusOK
	if err := s.resets.CheckResetLink(r.Context(), token); err != nil {
		if !errors.Is(err, service.ErrResetLinkInvalid) {
			return err
		}
		p.Token, p.Invalid, status = "", mend.ErrorMessage(err), http.StatusNotFound
	}
	s.render(w, r, status, web.ResetPasswordPage(p))
	return nil
}

// resetPassword sets the new password and sends the person to log in with
// it: the link logs nobody in, and every session of the account ends.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	token := chi.URLParam(r, "token")
	err := s.resets.ResetPassword(r.Context(), token, service.ResetPasswordInput{
		New: r.PostFormValue("new"), Confirm: r.PostFormValue("confirm")})
	if errors.Is(err, service.ErrResetLinkInvalid) {
		s.render(w, r, http.StatusNotFound, web.ResetPasswordPage(web.ResetPasswordPageProps{Page: s.page(r, titleReset, ""),
			Invalid: mend.ErrorMessage(err)}))
		return nil
	}
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f := web.Form{Values: map[string]string{}, Errors: problems}
			return web.ResetPasswordPage(web.ResetPasswordPageProps{Page: s.page(r, titleReset, "").WithErrors(), Form: f, Token: token}), nil
		})
	}
	// Whoever was logged in on this browser is logged out too.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Remove(r.Context(), keyUserID)
	s.log.InfoContext(r.Context(), "password reset by email")
	s.flash(r, "Your password is set. Log in with your new password.")
	seeOther(w, r, "/login")
	return nil
}
