package server

import (
	"net/http"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func (s *Server) signUpForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if u := currentUser(r); u != nil {
		http.Redirect(w, r, web.HomeFor(u), http.StatusSeeOther)
		return nil
	}
	f := web.Form{Values: map[string]string{"form_key": service.NewFormKey(), "role": r.URL.Query().Get("as")}, Errors: map[string]string{}}
	s.render(w, r, http.StatusOK, web.SignUpPage(s.page(r, "Create your account", ""), f, mend.TimeZones(), next))
	return nil
}

func (s *Server) signUp(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	// The password is never sent back in the page: it would sit in caches.
	f := formOf(r, "name", "email", "time_zone", "form_key", "role", "professional_name")
	next := safeNext(r.PostFormValue("next"))
	u, err := s.accounts.SignUp(r.Context(), service.SignUpInput{
		Name: f.Get("name"), Email: f.Get("email"), Password: r.PostFormValue("password"), TimeZone: f.Get("time_zone"),
		FormKey: f.Get("form_key"), Therapist: f.Get("role") == "therapist", ProfessionalName: f.Get("professional_name"),
	}, s.clientKey(r))
	if fields, status, ok := formProblem(w, err); ok {
		f.Errors = fields
		s.render(w, r, status, web.SignUpPage(s.page(r, "Create your account", "").WithErrors(), f, mend.TimeZones(), next))
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.startSession(r.Context(), u, u.SessionsValidAfter); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "signed up", "user_id", u.ID, "therapist", u.IsTherapist())
	s.flash(r, "Welcome to Mend. Your account is ready.")
	http.Redirect(w, r, s.afterAuth(u, next), http.StatusSeeOther)
	return nil
}

func (s *Server) logInForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if u := currentUser(r); u != nil {
		http.Redirect(w, r, web.HomeFor(u), http.StatusSeeOther)
		return nil
	}
	f := web.Form{Values: map[string]string{}, Errors: map[string]string{}}
	s.render(w, r, http.StatusOK, web.LogInPage(s.page(r, "Log in", ""), f, next))
	return nil
}

func (s *Server) logIn(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, "email")
	next := safeNext(r.PostFormValue("next"))
	u, err := s.accounts.LogIn(r.Context(), f.Get("email"), r.PostFormValue("password"), s.clientKey(r))
	if fields, status, ok := formProblem(w, err); ok {
		f.Errors = fields
		s.render(w, r, status, web.LogInPage(s.page(r, "Log in", "").WithErrors(), f, next))
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.startSession(r.Context(), u, u.SessionsValidAfter); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "logged in", "user_id", u.ID)
	http.Redirect(w, r, s.afterAuth(u, next), http.StatusSeeOther)
	return nil
}

func (s *Server) logOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	// A neutral page, not the landing page about betrayal. No flash: it
	// would start a new session. Quick exit sends this same request from
	// JavaScript as it leaves.
	http.Redirect(w, r, "/logged-out", http.StatusSeeOther)
	return nil
}

func (s *Server) settings(w http.ResponseWriter, r *http.Request) error {
	return s.renderSettings(w, r, http.StatusOK, s.profileForm(currentUser(r)), web.Form{}, web.Form{})
}

// profileForm is the profile form filled with u's details.
func (s *Server) profileForm(u *mend.User) web.Form {
	return web.Form{Values: map[string]string{"name": u.Name, "time_zone": u.TimeZone}}
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, status int, profile, pw, therapist web.Form) error {
	p := s.page(r, "Settings", "settings")
	if len(profile.Errors)+len(pw.Errors)+len(therapist.Errors) > 0 {
		p = p.WithErrors()
	}
	s.render(w, r, status, web.SettingsPage(p, profile, pw, therapist, mend.TimeZones()))
	return nil
}

func (s *Server) updateProfile(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u := currentUser(r)
	f := formOf(r, "name", "time_zone")
	_, err := s.accounts.UpdateProfile(r.Context(), u, service.ProfileInput{Name: f.Get("name"), TimeZone: f.Get("time_zone")})
	if fields, status, ok := formProblem(w, err); ok {
		f.Errors = fields
		return s.renderSettings(w, r, status, f, web.Form{}, web.Form{})
	}
	if err != nil {
		return err
	}
	s.flash(r, "Saved.")
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
	return nil
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u := currentUser(r)
	validAfter, err := s.accounts.ChangePassword(r.Context(), u, service.ChangePasswordInput{
		Current: r.PostFormValue("current"), New: r.PostFormValue("new"), Confirm: r.PostFormValue("confirm"),
	}, s.clientKey(r))
	if fields, status, ok := formProblem(w, err); ok {
		return s.renderSettings(w, r, status, s.profileForm(u), web.Form{Errors: fields}, web.Form{})
	}
	if err != nil {
		return err
	}
	// A new token, dated from the change: this session stays, older ones end.
	if err := s.startSession(r.Context(), u, validAfter); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "password changed", "user_id", u.ID)
	s.flash(r, "Your password is changed. You have been logged out on your other devices.")
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
	return nil
}
