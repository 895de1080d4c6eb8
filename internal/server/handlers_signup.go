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

// keySignUpEmail is the session key of the email typed into sign-up, for
// the page that says where the link went.
const keySignUpEmail = "signup_email"

const titleCheckEmail, titleConfirm = "Check your email", "Confirm your email"

// signUp answers every valid form alike, whether an account uses the email
// or not: a redirect to the page that says to check one's email. What
// arrives there differs (a link to finish, or a notice to the account).
func (s *Server) signUp(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	// The password is never sent back in the page: it would sit in caches.
	f := formOf(r, "name", "email", "time_zone", "form_key", "role", "professional_name")
	next := safeNext(r.PostFormValue("next"))
	sent, err := s.accounts.SignUp(r.Context(), service.SignUpInput{
		Name: f.Get("name"), Email: f.Get("email"), Password: r.PostFormValue("password"), TimeZone: f.Get("time_zone"),
		FormKey: f.Get("form_key"), Therapist: f.Get("role") == "therapist", ProfessionalName: f.Get("professional_name"),
		Next: next,
	}, s.clientKey(r))
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return web.SignUpPage(web.SignUpPageProps{Page: s.page(r, "Create your account", "").WithErrors(), Form: f,
				TimeZones: mend.TimeZones(), Next: next}), nil
		})
	}
	if sent && s.wakeMail != nil {
		s.wakeMail()
	}
	// Nothing logged says which it was.
	s.log.InfoContext(r.Context(), "sign-up form taken")
	s.sessions.Put(r.Context(), keySignUpEmail, f.Get("email"))
	seeOther(w, r, "/signup/check-email")
	return nil
}

// showCheckEmail says where the link went. It is the same page whether an
// account used the email or not.
func (s *Server) showCheckEmail(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, web.CheckEmailPage(web.CheckEmailPageProps{Page: s.page(r, titleCheckEmail, ""),
		Email: s.sessions.GetString(r.Context(), keySignUpEmail)}))
	return nil
}

// showConfirmSignUp shows the button that confirms the email: mail
// scanners open links, so opening one changes nothing. An unknown, used or
// expired link says so (404).
func (s *Server) showConfirmSignUp(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	p := web.ConfirmSignUpPageProps{Page: s.page(r, titleConfirm, ""), Token: token, Next: safeNext(r.URL.Query().Get("next"))}
	status := http.StatusOK
	if err := s.accounts.CheckSignUpLink(r.Context(), token); err != nil {
		if !errors.Is(err, service.ErrConfirmLinkInvalid) {
			return err
		}
		p.Token, p.Next, p.Invalid, status = "", "", mend.ErrorMessage(err), http.StatusNotFound
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, web.ConfirmSignUpPage(p))
	return nil
}

// confirmSignUp confirms the email, logs the person in and leads them
// where sign-up would have.
func (s *Server) confirmSignUp(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u, err := s.accounts.ConfirmSignUp(r.Context(), chi.URLParam(r, "token"))
	if errors.Is(err, service.ErrConfirmLinkInvalid) {
		s.render(w, r, http.StatusNotFound, web.ConfirmSignUpPage(web.ConfirmSignUpPageProps{Page: s.page(r, titleConfirm, ""),
			Invalid: mend.ErrorMessage(err)}))
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.startSession(r, u, u.SessionsValidAfter); err != nil {
		return err
	}
	s.sessions.Remove(r.Context(), keySignUpEmail)
	s.setDeviceCookie(w, s.accounts.NewDeviceToken(u.Email))
	s.log.InfoContext(r.Context(), "signed up", "user_id", u.ID, "therapist", u.IsTherapist())
	s.flash(r, "Welcome to Mend. Your account is ready.")
	seeOther(w, r, s.afterAuth(u, safeNext(r.PostFormValue("next"))))
	return nil
}
