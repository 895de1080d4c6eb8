package server

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func (s *Server) showCheckinForm(w http.ResponseWriter, r *http.Request) error {
	day := r.URL.Query().Get("day")
	v, err := s.checkins.Form(r.Context(), currentUser(r), day)
	if err != nil {
		return err
	}
	if day == "" && v.Existing != nil {
		// The Check-in tab, once checked in today, opens the shared day;
		// the day's page links back here to change it.
		seeOther(w, r, string(web.DayPath(v.Day)))
		return nil
	}
	f := web.CheckinFormValues(v, service.NewFormKey())
	s.render(w, r, http.StatusOK, web.CheckinFormPage(web.CheckinFormPageProps{Page: s.page(r, "Check in", "checkin"), CheckinForm: v, Form: f}))
	return nil
}

func (s *Server) saveCheckin(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u := currentUser(r)
	f := formOf(r, append(web.CheckinFields, "form_key")...)
	c, err := s.checkins.Save(r.Context(), u, service.CheckinInput{
		Day: f.Get("day"), Mood: f.Get("mood"), Connection: f.Get("connection"),
		Feel: f.Get("feel"), Need: f.Get("need"), Worry: f.Get("worry"), Appreciate: f.Get("appreciate"),
		Visibility: f.Get("visibility"), FormKey: f.Get("form_key"),
	})
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			day := f.Get("day")
			if msg := problems["day"]; msg != "" {
				// The day can no longer be written (midnight passed while
				// the form was open): offer what was written as today's, so
				// nothing is lost.
				day = ""
				delete(problems, "day")
				problems[formWide] = msg + " What you wrote is below: save it to keep it as today's check-in."
			}
			v, err := s.checkins.Form(r.Context(), u, day)
			if err != nil {
				return nil, err
			}
			f.Values["day"] = web.DateValue(v.Day)
			f.Errors = problems
			return web.CheckinFormPage(web.CheckinFormPageProps{Page: s.page(r, "Check in", "checkin").WithErrors(), CheckinForm: v, Form: f}), nil
		})
	}
	s.flash(r, "Saved.")
	seeOther(w, r, string(web.DayPath(c.Day)))
	return nil
}

func (s *Server) showCheckinDay(w http.ResponseWriter, r *http.Request) error {
	page, err := s.checkinDayPage(r, web.Form{})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// checkinDayPage draws one day's check-ins, with the answer form.
func (s *Server) checkinDayPage(r *http.Request, ack web.Form) (templ.Component, error) {
	v, err := s.checkins.Day(r.Context(), currentUser(r), chi.URLParam(r, "day"))
	if err != nil {
		return nil, err
	}
	p := s.page(r, web.LongDay(v.Day), "checkin")
	if ack.Errors != nil {
		p = p.WithErrors()
	}
	return web.CheckinDayPage(web.CheckinDayPageProps{Page: p, DayPage: v, Ack: ack}), nil
}

// answerCheckin answers the partner's check-in of a day.
func (s *Server) answerCheckin(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	day := chi.URLParam(r, "day")
	f := formOf(r, "ack")
	body := f.Get("ack")
	if preset := r.PostFormValue("preset"); preset != "" {
		body = preset
	}
	if err := s.checkins.Acknowledge(r.Context(), currentUser(r), day, body); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.checkinDayPage(r, f)
		})
	}
	s.flash(r, "Sent.")
	seeOther(w, r, "/checkins/"+day+"#answer")
	return nil
}

func (s *Server) listCheckins(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v, err := s.checkins.History(r.Context(), currentUser(r), service.HistoryQuery{
		Who: q.Get("who"), Before: q.Get("before"), Month: q.Get("month"),
	})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.CheckinHistoryPage(web.CheckinHistoryPageProps{Page: s.page(r, "Check-in history", "checkin"), HistoryPage: v}))
	return nil
}

func (s *Server) showCheckinTrends(w http.ResponseWriter, r *http.Request) error {
	v, err := s.checkins.Trends(r.Context(), currentUser(r), weeksParam(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.CheckinTrendsPage(web.CheckinTrendsPageProps{Page: s.page(r, "Trends", "checkin"), TrendsPage: v}))
	return nil
}

func (s *Server) showTherapistCheckins(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v, err := s.checkins.ForTherapist(r.Context(), currentUser(r), id, weeksParam(r), q.Get("from"), q.Get("to"))
	if v == nil {
		return err
	}
	title := "Check-ins of " + web.Names(web.MemberNames(v.Members))
	return s.showDays(w, r, title, err, func(p web.Page, days web.Form) templ.Component {
		return web.TherapistCheckinsPage(web.TherapistCheckinsPageProps{Page: p, TherapistCheckinsPage: v, Filter: days})
	})
}
