package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// noSpace sends a partner without a couple space to Today, where they can
// start or join one; it reports whether it did.
func noSpace(w http.ResponseWriter, r *http.Request, err error) bool {
	if errors.Is(err, service.ErrNoSpace) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		http.Redirect(w, r, "/today", http.StatusSeeOther)
		return true
	}
	return false
}

func (s *Server) checkinForm(w http.ResponseWriter, r *http.Request) error {
	v, err := s.checkins.Form(r.Context(), currentUser(r), r.URL.Query().Get("day"))
	if noSpace(w, r, err) {
		return nil
	}
	if err != nil {
		return err
	}
	f := web.CheckinFormValues(v, service.NewFormKey())
	s.render(w, r, http.StatusOK, web.CheckinFormPage(s.page(r, "Check in", "checkin"), v, f))
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
	if fields, status, ok := formProblem(w, err); ok {
		day := f.Get("day")
		if msg := fields["day"]; msg != "" {
			// The day can no longer be written (midnight passed while the
			// form was open): offer what was written as today's, so
			// nothing is lost.
			day = ""
			delete(fields, "day")
			fields["_form"] = msg + " What you wrote is below: save it to keep it as today's check-in."
		}
		v, ferr := s.checkins.Form(r.Context(), u, day)
		if ferr != nil {
			return ferr
		}
		f.Values["day"] = web.DateValue(v.Day)
		f.Errors = fields
		s.render(w, r, status, web.CheckinFormPage(s.page(r, "Check in", "checkin").WithErrors(), v, f))
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, "Saved.")
	http.Redirect(w, r, string(web.DayPath(c.Day)), http.StatusSeeOther)
	return nil
}

func (s *Server) checkinDay(w http.ResponseWriter, r *http.Request) error {
	return s.renderDay(w, r, http.StatusOK, web.Form{})
}

func (s *Server) renderDay(w http.ResponseWriter, r *http.Request, status int, ack web.Form) error {
	v, err := s.checkins.Day(r.Context(), currentUser(r), chi.URLParam(r, "day"))
	if noSpace(w, r, err) {
		return nil
	}
	if err != nil {
		return err
	}
	p := s.page(r, web.LongDay(v.Day), "checkin")
	if ack.Errors != nil {
		p = p.WithErrors()
	}
	s.render(w, r, status, web.CheckinDayPage(p, v, ack))
	return nil
}

func (s *Server) acknowledge(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	day := chi.URLParam(r, "day")
	f := formOf(r, "ack")
	body := f.Get("ack")
	if preset := r.PostFormValue("preset"); preset != "" {
		body = preset
	}
	err := s.checkins.Acknowledge(r.Context(), currentUser(r), day, body)
	if fields, status, ok := formProblem(w, err); ok {
		f.Errors = fields
		return s.renderDay(w, r, status, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, "Sent.")
	http.Redirect(w, r, "/checkins/"+day, http.StatusSeeOther)
	return nil
}

func (s *Server) checkinHistory(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v, err := s.checkins.History(r.Context(), currentUser(r), service.HistoryQuery{
		Who: q.Get("who"), Before: q.Get("before"), Month: q.Get("month"),
	})
	if noSpace(w, r, err) {
		return nil
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.CheckinHistoryPage(s.page(r, "Check-in history", "checkin"), v))
	return nil
}

func (s *Server) checkinTrends(w http.ResponseWriter, r *http.Request) error {
	weeks, _ := strconv.Atoi(r.URL.Query().Get("weeks"))
	v, err := s.checkins.Trends(r.Context(), currentUser(r), weeks)
	if noSpace(w, r, err) {
		return nil
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.CheckinTrendsPage(s.page(r, "Trends", "checkin"), v))
	return nil
}

func (s *Server) therapistCheckins(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	weeks, _ := strconv.Atoi(r.URL.Query().Get("weeks"))
	v, err := s.checkins.ForTherapist(r.Context(), currentUser(r), id, weeks)
	if err != nil {
		return err
	}
	title := "Check-ins of " + web.Names(web.MemberNames(v.Members))
	s.render(w, r, http.StatusOK, web.TherapistCheckinsPage(s.page(r, title, "caseload"), v))
	return nil
}
