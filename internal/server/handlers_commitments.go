package server

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// idParam reads a positive number from the path; anything else is a 404.
func idParam(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id <= 0 {
		return 0, &mend.Error{Code: mend.NotFound}
	}
	return id, nil
}

func (s *Server) commitments(w http.ResponseWriter, r *http.Request) error {
	v, err := s.commitmentsSvc.List(r.Context(), currentUser(r))
	if noSpace(w, r, err) {
		return nil
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.CommitmentsPage(s.page(r, "Commitments", "commitments"), v))
	return nil
}

func (s *Server) newCommitment(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	sp, err := s.couples.Space(r.Context(), u)
	if noSpace(w, r, err) {
		return nil
	}
	if err != nil {
		return err
	}
	today := s.commitmentsSvc.Today(u)
	f := web.CommitmentFormValues(nil, today, sp.DefaultVisibility(mend.KindCommitments), service.NewFormKey())
	if r.URL.Query().Get("for") == "partner" {
		// An ask of the other partner is reviewed sooner by default.
		f.Values["for"] = "partner"
		f.Values["review_on"] = web.DateValue(today.AddDate(0, 0, mend.AskReviewAfterDays))
	}
	s.render(w, r, http.StatusOK, web.CommitmentFormPage(s.page(r, commitmentFormTitle(f), "commitments"), sp, nil, f))
	return nil
}

// commitmentFormTitle is the new-commitment page's title: asking the other
// partner reads differently from a promise of one's own.
func commitmentFormTitle(f web.Form) string {
	if f.Get("for") == "partner" {
		return "Ask your partner to keep a commitment"
	}
	return "Propose a commitment"
}

// commitmentForm reads the commitment form as posted.
func commitmentForm(r *http.Request) (web.Form, service.CommitmentInput) {
	fields := append([]string{"form_key"}, web.CommitmentFields...)
	for i := range 7 {
		fields = append(fields, "weekday"+strconv.Itoa(i))
	}
	f := formOf(r, fields...)
	in := service.CommitmentInput{For: f.Get("for"), Title: f.Get("title"), Details: f.Get("details"), Rhythm: f.Get("rhythm"),
		StartsOn: f.Get("starts_on"), ReviewOn: f.Get("review_on"), Visibility: f.Get("visibility"), FormKey: f.Get("form_key")}
	for i := range 7 {
		if f.Get("weekday"+strconv.Itoa(i)) != "" {
			in.Weekdays = append(in.Weekdays, strconv.Itoa(i))
		}
	}
	return f, in
}

func (s *Server) proposeCommitment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	u := currentUser(r)
	f, in := commitmentForm(r)
	id, err := s.commitmentsSvc.Propose(r.Context(), u, in)
	if fields, status, ok := formProblem(w, conflictAsForm(err)); ok {
		sp, serr := s.couples.Space(r.Context(), u)
		if serr != nil {
			return serr
		}
		f.Errors = fields
		s.render(w, r, status, web.CommitmentFormPage(s.page(r, commitmentFormTitle(f), "commitments").WithErrors(), sp, nil, f))
		return nil
	}
	if err != nil {
		return err
	}
	if id == 0 { // the same form, sent again
		http.Redirect(w, r, "/commitments", http.StatusSeeOther)
		return nil
	}
	s.flash(r, "Proposed. Your partner is asked to agree.")
	http.Redirect(w, r, string(web.CommitmentPath(id, "")), http.StatusSeeOther)
	return nil
}

func (s *Server) commitment(w http.ResponseWriter, r *http.Request) error {
	return s.renderCommitment(w, r, http.StatusOK, web.CommitmentForms{})
}

func (s *Server) renderCommitment(w http.ResponseWriter, r *http.Request, status int, f web.CommitmentForms) error {
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	// Without a space this is a 404 like any record that is not the
	// caller's: an id in the path is never answered with a redirect.
	v, err := s.commitmentsSvc.Detail(r.Context(), currentUser(r), id, r.URL.Query().Get("all") != "")
	if err != nil {
		return err
	}
	f.FormKey = service.NewFormKey()
	p := s.page(r, v.View.Terms().Title, "commitments")
	if status >= 400 {
		p = p.WithErrors()
	}
	s.render(w, r, status, web.CommitmentPage(p, v, f))
	return nil
}

// conflictAsForm turns a Conflict (the commitment changed meanwhile, or a
// step that is not possible now) into a message on the page, so the form
// and what was typed in it stay.
func conflictAsForm(err error) error {
	if mend.ErrorCode(err) == mend.Conflict {
		return &mend.Error{Code: mend.Invalid, Message: mend.ErrorMessage(err)}
	}
	return err
}

// afterDecision answers a decision on commitment id: the page again with
// the form's messages, or a redirect to the commitment with a flash.
func (s *Server) afterDecision(w http.ResponseWriter, r *http.Request, err error, flash string, forms func(fields map[string]string) web.CommitmentForms) error {
	err = conflictAsForm(err)
	if fields, status, ok := formProblem(w, err); ok {
		return s.renderCommitment(w, r, status, forms(fields))
	}
	if err != nil {
		return err
	}
	s.flash(r, flash)
	http.Redirect(w, r, "/commitments/"+chi.URLParam(r, "id"), http.StatusSeeOther)
	return nil
}

func (s *Server) answerCommitment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	f := formOf(r, "note")
	answer := mend.Answer(r.PostFormValue("answer"))
	err = s.commitmentsSvc.Answer(r.Context(), currentUser(r), id, answer, f.Get("note"))
	flash := map[mend.Answer]string{mend.AnswerAgree: "Agreed. It is in force.", mend.AnswerChange: "Sent. Your partner is asked to change it.",
		mend.AnswerDecline: "Declined."}[answer]
	return s.afterDecision(w, r, err, flash, func(fields map[string]string) web.CommitmentForms {
		f.Errors = fields
		return web.CommitmentForms{Answer: f}
	})
}

func (s *Server) reviewCommitment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	f := formOf(r, "action", "review_on")
	action := mend.ReviewAction(f.Get("action"))
	err = s.commitmentsSvc.Review(r.Context(), currentUser(r), id, action, f.Get("review_on"))
	flash := map[mend.ReviewAction]string{mend.ReviewKeep: "Kept, with a new review date.", mend.ReviewPause: "Paused. Nothing is due while it is paused.",
		mend.ReviewResume: "Resumed.", mend.ReviewComplete: "Marked completed."}[action]
	return s.afterDecision(w, r, err, flash, func(fields map[string]string) web.CommitmentForms {
		f.Errors = fields
		return web.CommitmentForms{Review: f}
	})
}

func (s *Server) logCommitment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	f := formOf(r, "day", "status", "note", "form_key")
	err = s.commitmentsSvc.Log(r.Context(), currentUser(r), id, service.LogInput{Day: f.Get("day"), Status: f.Get("status"),
		Note: f.Get("note"), FormKey: f.Get("form_key")})
	return s.afterDecision(w, r, err, "Saved.", func(fields map[string]string) web.CommitmentForms {
		f.Errors = fields
		return web.CommitmentForms{Log: f}
	})
}

func (s *Server) editLog(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	logID, err := idParam(r, "logID")
	if err != nil {
		return err
	}
	f := formOf(r, "status", "note")
	err = s.commitmentsSvc.EditLog(r.Context(), currentUser(r), id, logID, f.Get("status"), f.Get("note"))
	return s.afterDecision(w, r, err, "Saved. The earlier version is kept.", func(fields map[string]string) web.CommitmentForms {
		f.Errors = fields
		return web.CommitmentForms{LogID: logID, Entry: f}
	})
}

func (s *Server) respondToLog(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	logID, err := idParam(r, "logID")
	if err != nil {
		return err
	}
	f := formOf(r, "response")
	err = s.commitmentsSvc.Respond(r.Context(), currentUser(r), id, logID, r.PostFormValue("confirmed") != "", f.Get("response"))
	return s.afterDecision(w, r, err, "Sent.", func(fields map[string]string) web.CommitmentForms {
		f.Errors = fields
		return web.CommitmentForms{LogID: logID, Entry: f}
	})
}

func (s *Server) editCommitmentForm(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	u := currentUser(r)
	v, err := s.commitmentsSvc.Detail(r.Context(), u, id, false)
	if err != nil {
		return err
	}
	terms := v.View.Terms()
	if v.View.Proposal != nil && v.View.Proposal.ProposedBy == u.ID {
		terms = v.View.Proposal
	}
	f := web.CommitmentFormValues(terms, s.commitmentsSvc.Today(u), terms.Visibility, service.NewFormKey())
	s.render(w, r, http.StatusOK, web.CommitmentFormPage(s.page(r, "Change a commitment", "commitments"), v.Space, &v.View.Commitment, f))
	return nil
}

func (s *Server) editCommitment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	u := currentUser(r)
	f, in := commitmentForm(r)
	err = s.commitmentsSvc.Revise(r.Context(), u, id, in)
	if fields, status, ok := formProblem(w, conflictAsForm(err)); ok {
		v, derr := s.commitmentsSvc.Detail(r.Context(), u, id, false)
		if derr != nil {
			return derr
		}
		f.Errors = fields
		s.render(w, r, status, web.CommitmentFormPage(s.page(r, "Change a commitment", "commitments").WithErrors(), v.Space, &v.View.Commitment, f))
		return nil
	}
	if err != nil {
		return err
	}
	s.flash(r, "Proposed. Your partner is asked to agree to this version.")
	http.Redirect(w, r, string(web.CommitmentPath(id, "")), http.StatusSeeOther)
	return nil
}

func (s *Server) therapistCommitments(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	v, err := s.commitmentsSvc.ForTherapist(r.Context(), currentUser(r), id)
	if err != nil {
		return err
	}
	title := "Commitments of " + web.Names(web.MemberNames(v.Members))
	s.render(w, r, http.StatusOK, web.TherapistCommitmentsPage(s.page(r, title, "caseload"), v))
	return nil
}
