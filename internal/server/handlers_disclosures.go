package server

import (
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func disclosureInput(f web.Form, send bool) service.DisclosureInput {
	return service.DisclosureInput{How: f.Get("how"), Topic: f.Get("topic"), Day: f.Get("day"), Body: f.Get("body"),
		Visibility: f.Get("visibility"), FormKey: f.Get("form_key"), Send: send}
}

// sent reports whether the form's Send now button was pressed (rather than
// Keep as a private draft, or Enter, which keeps it private).
func sent(r *http.Request) bool { return r.PostFormValue("action") == "send" }

func (s *Server) showDisclosureForm(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	sp, err := s.couples.Space(r.Context(), u)
	if err != nil {
		return err
	}
	f := web.DisclosureFormValues(nil, sp, mend.Date(s.now(), u.Location()), service.NewFormKey())
	s.render(w, r, http.StatusOK, web.DisclosureFormPage(web.DisclosureFormPageProps{
		Page: s.page(r, "Something I need to tell you", "couple"), Space: sp, Form: f}))
	return nil
}

// disclosureFormAgain draws the form of a new disclosure (id 0) or of draft
// id again, with its problems.
func (s *Server) disclosureFormAgain(r *http.Request, id int64, f web.Form) (templ.Component, error) {
	u := currentUser(r)
	props := web.DisclosureFormPageProps{DraftID: id, Form: f}
	title := "Something I need to tell you"
	var err error
	if id == 0 {
		props.Space, err = s.couples.Space(r.Context(), u)
	} else {
		title = "Change your draft"
		props.Space, _, err = s.disclosures.Draft(r.Context(), u, id)
	}
	if err != nil {
		return nil, recordNotFound(err)
	}
	props.Page = s.page(r, title, "couple").WithErrors()
	return web.DisclosureFormPage(props), nil
}

func (s *Server) writeDisclosure(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append(web.DisclosureFields, "form_key")...)
	send := sent(r)
	if _, err := s.disclosures.Write(r.Context(), currentUser(r), disclosureInput(f, send)); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.disclosureFormAgain(r, 0, f)
		})
	}
	s.flash(r, disclosureFlash(send))
	seeOther(w, r, "/disclosures")
	return nil
}

func disclosureFlash(send bool) string {
	if send {
		return "Sent. Telling takes courage."
	}
	return "Kept as a draft. Only you can see it."
}

func (s *Server) showEditDisclosureForm(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "draftID")
	if err != nil {
		return err
	}
	u := currentUser(r)
	sp, d, err := s.disclosures.Draft(r.Context(), u, id)
	if err != nil {
		return recordNotFound(err)
	}
	f := web.DisclosureFormValues(d, sp, d.HappenedOn, "")
	s.render(w, r, http.StatusOK, web.DisclosureFormPage(web.DisclosureFormPageProps{
		Page: s.page(r, "Change your draft", "couple"), Space: sp, DraftID: id, Form: f}))
	return nil
}

func (s *Server) editDisclosure(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "draftID")
	if err != nil {
		return err
	}
	f := formOf(r, web.DisclosureFields...)
	send := sent(r)
	if err := s.disclosures.EditDraft(r.Context(), currentUser(r), id, disclosureInput(f, send)); err != nil {
		return redraw(recordNotFound(err), func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.disclosureFormAgain(r, id, f)
		})
	}
	s.flash(r, disclosureFlash(send))
	seeOther(w, r, "/disclosures")
	return nil
}

func (s *Server) sendDisclosure(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "draftID")
	if err != nil {
		return err
	}
	if err := s.disclosures.Send(r.Context(), currentUser(r), id); err != nil {
		return recordNotFound(err)
	}
	s.flash(r, disclosureFlash(true))
	seeOther(w, r, "/disclosures#disclosure-"+strconv.FormatInt(id, 10))
	return nil
}

func (s *Server) listDisclosures(w http.ResponseWriter, r *http.Request) error {
	page, err := s.disclosuresPage(r, web.Form{}, 0)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// disclosuresPage draws the list of disclosures; f is the answer form of
// disclosure formFor, shown again with its problems.
func (s *Server) disclosuresPage(r *http.Request, f web.Form, formFor int64) (templ.Component, error) {
	v, err := s.disclosures.List(r.Context(), currentUser(r))
	if err != nil {
		return nil, err
	}
	keys := map[int64]string{}
	for _, list := range [][]mend.Disclosure{v.Told, v.Found} {
		for _, d := range list {
			if d.UserID != v.Space.Me.UserID {
				keys[d.ID] = service.NewFormKey()
			}
		}
	}
	p := s.page(r, "Things told and discovered", "couple")
	if f.Errors != nil {
		p = p.WithErrors()
	}
	return web.DisclosuresPage(web.DisclosuresPageProps{Page: p, DisclosuresPage: v, Answer: f, AnswerFor: formFor, AnswerKeys: keys}), nil
}

func (s *Server) answerDisclosure(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "disclosureID")
	if err != nil {
		return err
	}
	f := formOf(r, "answer", "form_key")
	body := f.Get("answer")
	if preset := r.PostFormValue("preset"); preset != "" && body == "" {
		body = preset
	}
	if err := s.disclosures.Answer(r.Context(), currentUser(r), id, body, f.Get("form_key")); err != nil {
		return redraw(recordNotFound(err), func(problems map[string]string) (templ.Component, error) {
			f.Errors = problems
			return s.disclosuresPage(r, f, id)
		})
	}
	s.flash(r, "Sent.")
	seeOther(w, r, "/disclosures#disclosure-"+strconv.FormatInt(id, 10))
	return nil
}

func (s *Server) showTherapistDisclosures(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v, err := s.disclosures.ForTherapist(r.Context(), currentUser(r), id, q.Get("from"), q.Get("to"))
	if v == nil {
		return err
	}
	title := "Things told and discovered by " + web.Names(web.MemberNames(v.Members))
	return s.showDays(w, r, title, err, func(p web.Page, days web.Form) templ.Component {
		return web.TherapistDisclosuresPage(web.TherapistDisclosuresPageProps{Page: p, TherapistDisclosuresPage: v, Filter: days})
	})
}
