package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func triggerInput(f web.Form) service.TriggerInput {
	return service.TriggerInput{Category: f.Get("category"), Intensity: f.Get("intensity"), When: f.Get("when"),
		WhatHappened: f.Get("what_happened"), Felt: f.Get("felt"), Helped: f.Get("helped"), Need: f.Get("need"),
		Visibility: f.Get("visibility"), FormKey: f.Get("form_key")}
}

func (s *Server) showTriggerForm(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	sp, err := s.couples.Space(r.Context(), u)
	if err != nil {
		return err
	}
	f := web.TriggerFormValues(nil, u, sp.DefaultVisibility(mend.KindTriggers), service.NewFormKey())
	s.render(w, r, http.StatusOK, web.TriggerFormPage(web.TriggerFormPageProps{Page: s.page(r, "Log a trigger", "triggers"), Space: sp, Form: f}))
	return nil
}

// triggerFormAgain draws the form of a new trigger (id 0) or of trigger id
// again, with its problems.
func (s *Server) triggerFormAgain(r *http.Request, id int64, f web.Form) (templ.Component, error) {
	u := currentUser(r)
	props := web.TriggerFormPageProps{TriggerID: id, Form: f}
	title := "Log a trigger"
	var err error
	if id == 0 {
		props.Space, err = s.couples.Space(r.Context(), u)
	} else {
		var t *mend.Trigger
		if props.Space, t, err = s.triggers.Mine(r.Context(), u, id); err == nil {
			title, props.Written = "Change a trigger", t.CreatedAt
		}
	}
	if err != nil {
		return nil, err
	}
	props.Page = s.page(r, title, "triggers").WithErrors()
	return web.TriggerFormPage(props), nil
}

func (s *Server) logTrigger(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append(web.TriggerFields, "form_key")...)
	id, err := s.triggers.Log(r.Context(), currentUser(r), triggerInput(f))
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.triggerFormAgain(r, 0, f)
		})
	}
	s.flash(r, "Saved. Take care of yourself.")
	// The optional minute of help, also for a form sent twice (id 0: the
	// first submission is not known, so the list).
	to := "/triggers"
	if id != 0 {
		to = web.MinutePath(id)
	}
	seeOther(w, r, to)
	return nil
}

func (s *Server) showEditTriggerForm(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "triggerID")
	if err != nil {
		return err
	}
	u := currentUser(r)
	sp, t, err := s.triggers.Mine(r.Context(), u, id)
	if err != nil {
		return recordNotFound(err)
	}
	f := web.TriggerFormValues(t, u, t.Visibility, "")
	s.render(w, r, http.StatusOK, web.TriggerFormPage(web.TriggerFormPageProps{Page: s.page(r, "Change a trigger", "triggers"),
		Space: sp, TriggerID: id, Form: f, Written: t.CreatedAt}))
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
	changed, err := s.triggers.Edit(r.Context(), currentUser(r), id, triggerInput(f))
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.triggerFormAgain(r, id, f)
		})
	}
	s.flash(r, editedFlash(changed))
	seeOther(w, r, "/triggers?who=me")
	return nil
}

func (s *Server) listTriggers(w http.ResponseWriter, r *http.Request) error {
	page, err := s.triggersPage(r, web.Form{}, 0)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// triggersPage draws the list of triggers; f is the answer form of
// trigger formFor, shown again with its problems.
func (s *Server) triggersPage(r *http.Request, f web.Form, formFor int64) (templ.Component, error) {
	q := r.URL.Query()
	v, err := s.triggers.List(r.Context(), currentUser(r), q.Get("who"), q.Get("before"))
	if err != nil {
		return nil, err
	}
	p := s.page(r, "Triggers", "triggers")
	if f.Errors != nil {
		p = p.WithErrors()
	}
	return web.TriggersPage(web.TriggersPageProps{Page: p, TriggersPage: v, Response: f, ResponseFor: formFor}), nil
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
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			// The page that holds this trigger, first on it, with the message.
			q := url.Values{"who": {"partner"}}
			if t, terr := s.triggers.Trigger(r.Context(), currentUser(r), id); terr == nil {
				q.Set("before", t.OccurredAt.Format(time.RFC3339Nano)+"_"+strconv.FormatInt(t.ID+1, 10))
			}
			r.URL.RawQuery = q.Encode()
			return s.triggersPage(r, f, id)
		})
	}
	s.flash(r, "Sent.")
	seeOther(w, r, "/triggers?who=partner#trigger-"+strconv.FormatInt(id, 10))
	return nil
}

func (s *Server) showTriggerPatterns(w http.ResponseWriter, r *http.Request) error {
	v, err := s.triggers.Patterns(r.Context(), currentUser(r), r.URL.Query().Get("who"), weeksParam(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.PatternsPage(web.PatternsPageProps{Page: s.page(r, "Trigger patterns", "triggers"), PatternsPage: v}))
	return nil
}

func (s *Server) listHardDates(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := web.Form{Values: map[string]string{"form_key": service.NewFormKey(), "ctl_key": service.NewFormKey(),
		"label": q.Get("label"), "date": q.Get("date")}}
	if q.Get("date") != "" {
		f.Values["yearly"] = "on"
	}
	page, err := s.hardDatesPage(r, f, web.Form{}, 0)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// hardDatesPage draws the hard dates with the form to add one, and the
// plan form of hard date planFor shown again.
func (s *Server) hardDatesPage(r *http.Request, f, plan web.Form, planFor int64) (templ.Component, error) {
	v, err := s.triggers.HardDates(r.Context(), currentUser(r))
	if err != nil {
		return nil, err
	}
	p := s.page(r, "Hard dates", "triggers")
	if f.Errors != nil || plan.Errors != nil {
		p = p.WithErrors()
	}
	return web.HardDatesPage(web.HardDatesPageProps{Page: p, HardDatesPage: v, Form: f, Plan: plan, PlanFor: planFor}), nil
}

func (s *Server) addHardDate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, "label", "date", "yearly", "form_key")
	f.Values["ctl_key"] = service.NewFormKey()
	err := s.triggers.AddHardDate(r.Context(), currentUser(r), f.Get("label"), f.Get("date"), f.Get("yearly") != "", f.Get("form_key"))
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.hardDatesPage(r, f, web.Form{}, 0)
		})
	}
	s.flash(r, "Added. You will both see it on Today from a week before.")
	seeOther(w, r, "/hard-dates")
	return nil
}

func (s *Server) setHardDatePlan(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "dateID")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	plan := formOf(r, "plan")
	if err := s.triggers.SetHardDatePlan(r.Context(), currentUser(r), id, plan.Get("plan")); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			plan.Errors = problems
			add := web.Form{Values: map[string]string{"form_key": service.NewFormKey(), "ctl_key": service.NewFormKey()}}
			return s.hardDatesPage(r, add, plan, id)
		})
	}
	s.flash(r, "Saved. You both see the plan.")
	seeOther(w, r, "/hard-dates#"+hardDateAnchor(id))
	return nil
}

func hardDateAnchor(id int64) string { return "hard-date-" + strconv.FormatInt(id, 10) }

func (s *Server) removeHardDate(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "dateID")
	if err != nil {
		return err
	}
	if err := s.triggers.RemoveHardDate(r.Context(), currentUser(r), id); err != nil {
		return err
	}
	s.flash(r, "Removed.")
	seeOther(w, r, "/hard-dates")
	return nil
}

func (s *Server) showTherapistTriggers(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v, err := s.triggers.ForTherapist(r.Context(), currentUser(r), id, weeksParam(r), q.Get("from"), q.Get("to"))
	if v == nil {
		return err
	}
	title := "Triggers of " + web.Names(web.MemberNames(v.Members))
	return s.showDays(w, r, title, err, func(p web.Page, days web.Form) templ.Component {
		return web.TherapistTriggersPage(web.TherapistTriggersPageProps{Page: p, TherapistTriggersPage: v, Filter: days})
	})
}
