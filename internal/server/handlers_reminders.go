package server

import (
	"crypto/hmac"
	"crypto/sha256"
	"net/http"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/config"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// configureReminders hands the reminders the key that signs unsubscribe
// links (derived from MEND_SECRET_KEY under a label of its own) and the
// base URL of the links in the emails.
func configureReminders(r *service.Reminders, cfg *config.Config) {
	if r == nil {
		return
	}
	h := hmac.New(sha256.New, cfg.SecretKey)
	h.Write([]byte("mend unsubscribe links"))
	r.Key = h.Sum(nil)
	if cfg.BaseURL != nil {
		r.BaseURL = cfg.BaseURL.String()
	}
}

// reminderForm is the reminders form filled with what s says.
func reminderForm(s mend.ReminderSettings) web.Form {
	on := func(b bool) string {
		if b {
			return "on"
		}
		return ""
	}
	return web.Form{Values: map[string]string{"checkin": on(s.Checkin), "checkin_at": s.CheckinAt,
		"partner": on(s.Partner), "hard_dates": on(s.HardDates)}}
}

// saveReminders stores which reminder emails the person wants.
func (s *Server) saveReminders(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, "checkin", "checkin_at", "partner", "hard_dates")
	_, err := s.reminders.SaveSettings(r.Context(), currentUser(r), service.ReminderInput{
		Checkin: f.Get("checkin") == "on", CheckinAt: f.Get("checkin_at"),
		Partner: f.Get("partner") == "on", HardDates: f.Get("hard_dates") == "on",
	})
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.settingsPage(r, web.SettingsPageProps{Reminders: f})
		})
	}
	s.flash(r, "Saved.")
	seeOther(w, r, "/settings#reminders-heading")
	return nil
}

// showUnsubscribe asks to confirm turning a kind of email off: a link
// opened is not yet a decision (mail scanners open links too).
func (s *Server) showUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	token := chi.URLParam(r, "token")
	setting, err := s.reminders.CheckUnsubscribe(token)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.UnsubscribePage(web.UnsubscribePageProps{
		Page: s.bare(r, "Turn off emails"), Token: token, What: setting.Name()}))
	return nil
}

// unsubscribe turns the kind of email off, without a session: mail
// clients send this POST on their own (RFC 8058 one-click).
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	setting, err := s.reminders.Unsubscribe(r.Context(), chi.URLParam(r, "token"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.UnsubscribePage(web.UnsubscribePageProps{
		Page: s.bare(r, "Emails turned off"), Done: true, What: setting.Name()}))
	return nil
}
