package server

import (
	"net/http"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func (s *Server) signUpForm(w http.ResponseWriter, r *http.Request) error {
	if currentUser(r) != nil {
		http.Redirect(w, r, "/today", http.StatusSeeOther)
		return nil
	}
	f := web.Form{Values: map[string]string{"form_key": service.NewFormKey()}, Errors: map[string]string{}}
	s.render(w, r, http.StatusOK, web.SignUpPage(s.page(r, "Create your account", ""), f, mend.TimeZones()))
	return nil
}

func (s *Server) signUp(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	// The password is never sent back in the page: it would sit in caches.
	f := formOf(r, "name", "email", "time_zone", "form_key")
	u, err := s.accounts.SignUp(r.Context(), service.SignUpInput{
		Name: f.Get("name"), Email: f.Get("email"), Password: r.PostFormValue("password"), TimeZone: f.Get("time_zone"),
		FormKey: f.Get("form_key"),
	}, s.clientKey(r))
	if fields, status, ok := formProblem(w, err); ok {
		f.Errors = fields
		s.render(w, r, status, web.SignUpPage(s.page(r, "Create your account", "").WithErrors(), f, mend.TimeZones()))
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.startSession(r.Context(), u, u.SessionsValidAfter); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "signed up", "user_id", u.ID)
	s.flash(r, "Welcome to Mend. Your account is ready.")
	http.Redirect(w, r, "/today", http.StatusSeeOther)
	return nil
}

func (s *Server) logInForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if currentUser(r) != nil {
		http.Redirect(w, r, "/today", http.StatusSeeOther)
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
	if next == "" {
		next = "/today"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (s *Server) logOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	s.flash(r, "You have logged out.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (s *Server) settings(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	profile := web.Form{Values: map[string]string{"name": u.Name, "time_zone": u.TimeZone}}
	s.render(w, r, http.StatusOK, web.SettingsPage(s.page(r, "Settings", "settings"), profile, web.Form{}, mend.TimeZones()))
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
		s.render(w, r, status, web.SettingsPage(s.page(r, "Settings", "settings").WithErrors(), f, web.Form{}, mend.TimeZones()))
		return nil
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
		profile := web.Form{Values: map[string]string{"name": u.Name, "time_zone": u.TimeZone}}
		pw := web.Form{Errors: fields}
		s.render(w, r, status, web.SettingsPage(s.page(r, "Settings", "settings").WithErrors(), profile, pw, mend.TimeZones()))
		return nil
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
