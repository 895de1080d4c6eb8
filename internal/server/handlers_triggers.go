package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func triggerInput(f web.Form) service.TriggerInput {
	return service.TriggerInput{Category: f.Get("category"), Intensity: f.Get("intensity"), When: f.Get("when"),
		WhatHappened: f.Get("what_happened"), Felt: f.Get("felt"), Helped: f.Get("helped"), Need: f.Get("need"),
		Visibility: f.Get("visibility"), FormKey: f.Get("form_key")}
}

func (s *Server) triggerForm(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	sp, err := s.couples.Space(r.Context(), u)
	if noSpace(w, r, err) {
		return nil
	} else if err != nil {
		return err
	}
	f := web.TriggerFormValues(nil, u, sp.DefaultVisibility(mend.KindTriggers), service.NewFormKey())
	s.render(w, r, http.StatusOK, web.TriggerFormPage(s.page(r, "Log a trigger", "triggers"), sp, 0, f, time.Time{}))
	return nil
}

// renderTriggerForm shows the form of a new trigger (id 0) or of trigger
// id again, with its problems.
func (s *Server) renderTriggerForm(w http.ResponseWriter, r *http.Request, status int, id int64, f web.Form) error {
	u := currentUser(r)
	title, written := "Log a trigger", time.Time{}
	var sp *mend.Space
	var err error
	if id == 0 {
		sp, err = s.couples.Space(r.Context(), u)
	} else {
		var t *mend.Trigger
		if sp, t, err = s.triggers.Mine(r.Context(), u, id); err == nil {
			title, written = "Change a trigger", t.CreatedAt
		}
	}
	if err != nil {
		return err
	}
	s.render(w, r, status, web.TriggerFormPage(s.page(r, title, "triggers").WithErrors(), sp, id, f, written))
	return nil
}

func (s *Server) logTrigger(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append(web.TriggerFields, "form_key")...)
	_, err := s.triggers.Log(r.Context(), currentUser(r), triggerInput(f))
	if fields, status, ok := formProblem(w, err); ok {
		f.Errors = fields
		return s.renderTriggerForm(w, r, status, 0, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, "Saved. Take care of yourself.")
	http.Redirect(w, r, "/triggers", http.StatusSeeOther)
	return nil
}

func (s *Server) editTriggerForm(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "triggerID")
	if err != nil {
		return err
	}
	u := currentUser(r)
	sp, t, err := s.triggers.Mine(r.Context(), u, id)
	if err != nil {
		return err
	}
	f := web.TriggerFormValues(t, u, t.Visibility, "")
	s.render(w, r, http.StatusOK, web.TriggerFormPage(s.page(r, "Change a trigger", "triggers"), sp, id, f, t.CreatedAt))
	return nil
}

func (s *Server) editTrigger(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "triggerID")
	if err != nil {
		return err
	}
	f := formOf(r, web.TriggerFields...)
	err = s.triggers.Edit(r.Context(), currentUser(r), id, triggerInput(f))
	if fields, status, ok := formProblem(w, err); ok {
		f.Errors = fields
		return s.renderTriggerForm(w, r, status, id, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, "Saved. The earlier version is kept.")
	http.Redirect(w, r, "/triggers?who=me", http.StatusSeeOther)
	return nil
}

func (s *Server) triggerList(w http.ResponseWriter, r *http.Request) error {
	return s.renderTriggers(w, r, http.StatusOK, web.Form{}, 0)
}

func (s *Server) renderTriggers(w http.ResponseWriter, r *http.Request, status int, f web.Form, formFor int64) error {
	u := currentUser(r)
	q := r.URL.Query()
	v, err := s.triggers.List(r.Context(), u, q.Get("who"), q.Get("before"))
	if noSpace(w, r, err) {
		return nil
	}
	if err != nil {
		return err
	}
	p := s.page(r, "Triggers", "triggers")
	if status >= 400 {
		p = p.WithErrors()
	}
	s.render(w, r, status, web.TriggersPage(p, v, f, formFor))
	return nil
}

func (s *Server) respondToTrigger(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "triggerID")
	if err != nil {
		return err
	}
	f := formOf(r, "response", "did")
	err = s.triggers.Respond(r.Context(), currentUser(r), id, r.PostFormValue("choice"), f.Get("response"), f.Get("did"))
	if fields, status, ok := formProblem(w, err); ok {
		f.Errors = fields
		// The page that holds this trigger, first on it, with the message.
		q := url.Values{"who": {"partner"}}
		if t, terr := s.triggers.Trigger(r.Context(), currentUser(r), id); terr == nil {
			q.Set("before", t.OccurredAt.Format(time.RFC3339Nano)+"_"+strconv.FormatInt(t.ID+1, 10))
		}
		r.URL.RawQuery = q.Encode()
		return s.renderTriggers(w, r, status, f, id)
	}
	if err != nil {
		return err
	}
	s.flash(r, "Sent.")
	http.Redirect(w, r, "/triggers?who=partner#trigger-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func (s *Server) triggerPatterns(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	weeks, _ := strconv.Atoi(q.Get("weeks"))
	v, err := s.triggers.Patterns(r.Context(), currentUser(r), q.Get("who"), weeks)
	if noSpace(w, r, err) {
		return nil
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.PatternsPage(s.page(r, "Trigger patterns", "triggers"), v))
	return nil
}

func (s *Server) hardDates(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := web.Form{Values: map[string]string{"form_key": service.NewFormKey(), "ctl_key": service.NewFormKey(),
		"label": q.Get("label"), "date": q.Get("date")}}
	if q.Get("date") != "" {
		f.Values["yearly"] = "on"
	}
	return s.renderHardDates(w, r, http.StatusOK, f)
}

func (s *Server) renderHardDates(w http.ResponseWriter, r *http.Request, status int, f web.Form) error {
	v, err := s.triggers.HardDates(r.Context(), currentUser(r))
	if noSpace(w, r, err) {
		return nil
	}
	if err != nil {
		return err
	}
	p := s.page(r, "Hard dates", "triggers")
	if status >= 400 {
		p = p.WithErrors()
	}
	s.render(w, r, status, web.HardDatesPage(p, v, f))
	return nil
}

func (s *Server) addHardDate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, "label", "date", "yearly", "form_key")
	f.Values["ctl_key"] = service.NewFormKey()
	err := s.triggers.AddHardDate(r.Context(), currentUser(r), f.Get("label"), f.Get("date"), f.Get("yearly") != "", f.Get("form_key"))
	if fields, status, ok := formProblem(w, err); ok {
		f.Errors = fields
		return s.renderHardDates(w, r, status, f)
	}
	if err != nil {
		return err
	}
	s.flash(r, "Added. You will both see it on Today from a week before.")
	http.Redirect(w, r, "/hard-dates", http.StatusSeeOther)
	return nil
}

func (s *Server) removeHardDate(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "dateID")
	if err != nil {
		return err
	}
	if err := s.triggers.RemoveHardDate(r.Context(), currentUser(r), id); err != nil {
		return err
	}
	s.flash(r, "Removed.")
	http.Redirect(w, r, "/hard-dates", http.StatusSeeOther)
	return nil
}

func (s *Server) therapistTriggers(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	weeks, _ := strconv.Atoi(r.URL.Query().Get("weeks"))
	v, err := s.triggers.ForTherapist(r.Context(), currentUser(r), id, weeks)
	if err != nil {
		return err
	}
	title := "Triggers of " + web.Names(web.MemberNames(v.Members))
	s.render(w, r, http.StatusOK, web.TherapistTriggersPage(s.page(r, title, "caseload"), v))
	return nil
}
