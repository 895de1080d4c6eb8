package server

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func (s *Server) showSignUpForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if u := currentUser(r); u != nil {
		seeOther(w, r, web.HomeFor(u))
		return nil
	}
	f := web.Form{Values: map[string]string{"form_key": service.NewFormKey(), "role": r.URL.Query().Get("as")}, Errors: map[string]string{}}
	s.render(w, r, http.StatusOK, web.SignUpPage(web.SignUpPageProps{Page: s.page(r, "Create your account", ""), Form: f,
		TimeZones: mend.TimeZones(), Next: next}))
	return nil
}

func (s *Server) showLogInForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if u := currentUser(r); u != nil {
		seeOther(w, r, web.HomeFor(u))
		return nil
	}
	f := web.Form{Values: map[string]string{}, Errors: map[string]string{}}
	s.render(w, r, http.StatusOK, web.LogInPage(web.LogInPageProps{Page: s.page(r, "Log in", ""), Form: f, Next: next}))
	return nil
}

func (s *Server) logIn(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, "email")
	next := safeNext(r.PostFormValue("next"))
	u, device, err := s.accounts.LogInWithDeviceNext(r.Context(), f.Get("email"), r.PostFormValue("password"), s.clientKey(r), s.deviceToken(r), next)
	if service.IsConfirmFirst(err) && s.wakeMail != nil {
		s.wakeMail()
	}
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return web.LogInPage(web.LogInPageProps{Page: s.page(r, "Log in", "").WithErrors(), Form: f, Next: next}), nil
		})
	}
	if err := s.startSession(r, u, u.SessionsValidAfter); err != nil {
		return err
	}
	s.setDeviceCookie(w, device)
	s.log.InfoContext(r.Context(), "logged in", "user_id", u.ID)
	seeOther(w, r, s.afterAuth(u, next))
	return nil
}

func (s *Server) logOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	// A neutral page, not the landing page about betrayal. No flash: it
	// would start a new session. Quick exit sends this same request from
	// JavaScript as it leaves.
	seeOther(w, r, "/logged-out")
	return nil
}

func (s *Server) showSettings(w http.ResponseWriter, r *http.Request) error {
	page, err := s.settingsPage(r, web.SettingsPageProps{})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// settingsPage draws Settings with forms; an empty profile or professional
// name form is filled with the user's details. Whether a partner is in a
// space comes with the session, without a further round trip.
func (s *Server) settingsPage(r *http.Request, forms web.SettingsPageProps) (templ.Component, error) {
	u := currentUser(r)
	if forms.Profile.Values == nil {
		forms.Profile.Values = map[string]string{"name": u.Name, "time_zone": u.TimeZone}
	}
	if forms.Professional.Values == nil {
		forms.Professional.Values = map[string]string{"professional_name": u.ProfessionalName}
	}
	if !u.IsTherapist() {
		in, err := s.accounts.InSpace(r.Context(), u)
		if err != nil {
			return nil, err
		}
		forms.InSpace = in
		if forms.Reminders.Values == nil {
			rs, err := s.reminders.Settings(r.Context(), u)
			if err != nil {
				return nil, err
			}
			forms.Reminders = reminderForm(rs)
		}
	}
	forms.Page = s.page(r, "Settings", "settings")
	if len(forms.Profile.Errors)+len(forms.Email.Errors)+len(forms.Password.Errors)+len(forms.Therapist.Errors)+len(forms.Professional.Errors)+len(forms.Export.Errors)+len(forms.Reminders.Errors) > 0 {
		forms.Page = forms.Page.WithErrors()
	}
	forms.TimeZones = mend.TimeZones()
	return web.SettingsPage(forms), nil
}

func (s *Server) updateProfile(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, "name", "time_zone")
	_, err := s.accounts.UpdateProfile(r.Context(), currentUser(r), service.ProfileInput{Name: f.Get("name"), TimeZone: f.Get("time_zone")})
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.settingsPage(r, web.SettingsPageProps{Profile: f})
		})
	}
	s.flash(r, "Saved.")
	seeOther(w, r, "/settings")
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
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			return s.settingsPage(r, web.SettingsPageProps{Password: web.Form{Errors: problems}})
		})
	}
	// A new token, dated from the change: this session stays, older ones end.
	if err := s.startSession(r, u, validAfter); err != nil {
		return err
	}
	s.log.InfoContext(r.Context(), "password changed", "user_id", u.ID)
	s.flash(r, "Your password is changed. You have been logged out on your other devices.")
	seeOther(w, r, "/settings")
	return nil
}

// becomeTherapist turns the account into a therapist's. A partner in a
// space is refused (Conflict, 409) beside the name field.
func (s *Server) becomeTherapist(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, "professional_name")
	if _, err := s.accounts.BecomeTherapist(r.Context(), currentUser(r), f.Get("professional_name")); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.settingsPage(r, web.SettingsPageProps{Therapist: f})
		}, conflictOn("professional_name"))
	}
	// A change of privilege: a new session token.
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.flash(r, "You now use Mend as a therapist. Couples can invite you with a link.")
	seeOther(w, r, "/caseload")
	return nil
}

// changeEmail gives the account a new email, after the current password.
func (s *Server) changeEmail(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	// The password is never sent back in the page.
	f := formOf(r, "email")
	u, err := s.accounts.ChangeEmail(r.Context(), currentUser(r), service.ChangeEmailInput{
		Email: f.Get("email"), Password: r.PostFormValue("password"),
	}, s.clientKey(r))
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.settingsPage(r, web.SettingsPageProps{Email: f})
		})
	}
	s.log.InfoContext(r.Context(), "email changed", "user_id", u.ID)
	s.flash(r, "Saved. You now log in with "+u.Email+".")
	seeOther(w, r, "/settings")
	return nil
}

// changeProfessionalName renames a therapist, as couples read it.
func (s *Server) changeProfessionalName(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, "professional_name")
	if _, err := s.accounts.ChangeProfessionalName(r.Context(), currentUser(r), f.Get("professional_name")); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.settingsPage(r, web.SettingsPageProps{Professional: f})
		})
	}
	s.flash(r, "Saved.")
	seeOther(w, r, "/settings")
	return nil
}

func (s *Server) updatePrivacy(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	if _, err := s.accounts.SetDiscreetTitles(r.Context(), currentUser(r), r.PostFormValue("discreet_titles") == "on"); err != nil {
		return err
	}
	s.flash(r, "Saved.")
	seeOther(w, r, "/settings")
	return nil
}
