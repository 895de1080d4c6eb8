package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"
	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

func (s *Server) listCommitments(w http.ResponseWriter, r *http.Request) error {
	v, err := s.commitments.List(r.Context(), currentUser(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.CommitmentsPage(web.CommitmentsPageProps{Page: s.page(r, "Commitments", "commitments"), CommitmentsPage: v}))
	return nil
}

func (s *Server) showNewCommitmentForm(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	sp, err := s.couples.Space(r.Context(), u)
	if err != nil {
		return err
	}
	today := s.commitments.Today(u)
	f := web.CommitmentFormValues(nil, today, sp.DefaultVisibility(mend.KindCommitments), service.NewFormKey())
	if r.URL.Query().Get("for") == "partner" {
		// An ask of the other partner is reviewed sooner by default.
		f.Values["for"] = "partner"
		f.Values["review_on"] = web.DateValue(today.AddDate(0, 0, mend.AskReviewAfterDays))
	}
	// A therapist's suggestion turned into a proposal starts the form with
	// its words (clipped to the form's limits); the proposal is checked
	// when sent, like any other.
	if title := strings.TrimSpace(r.URL.Query().Get("title")); title != "" {
		f.Values["title"] = clip(title, mend.MaxCommitmentTitle)
		f.Values["details"] = clip(strings.TrimSpace(r.URL.Query().Get("details")), mend.MaxCommitmentDetails)
	}
	g, err := s.guidance.Card(r.Context(), u, sp, mend.PlaceCommitments)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.CommitmentFormPage(web.CommitmentFormPageProps{Page: s.page(r, commitmentFormTitle(f), "commitments"),
		Space: sp, Form: f, Guidance: g}))
	return nil
}

// clip returns at most n characters of v, valid UTF-8.
func clip(v string, n int) string {
	v = strings.ToValidUTF8(strings.ReplaceAll(v, "\x00", ""), "\uFFFD")
	if r := []rune(v); len(r) > n {
		return string(r[:n])
	}
	return v
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
	id, err := s.commitments.Propose(r.Context(), u, in)
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			sp, err := s.couples.Space(r.Context(), u)
			if err != nil {
				return nil, err
			}
			f.Errors = problems
			return web.CommitmentFormPage(web.CommitmentFormPageProps{Page: s.page(r, commitmentFormTitle(f), "commitments").WithErrors(),
				Space: sp, Form: f}), nil
		}, conflictAsInvalid)
	}
	if id == 0 { // the same form, sent again
		seeOther(w, r, "/commitments")
		return nil
	}
	s.flash(r, "Proposed. Your partner is asked to agree.")
	seeOther(w, r, string(web.CommitmentPath(id, "")))
	return nil
}

func (s *Server) showCommitment(w http.ResponseWriter, r *http.Request) error {
	page, err := s.commitmentPage(r, web.CommitmentForms{})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, page)
	return nil
}

// commitmentPage draws commitment {id} with its forms.
func (s *Server) commitmentPage(r *http.Request, f web.CommitmentForms) (templ.Component, error) {
	id, err := idParam(r, "id")
	if err != nil {
		return nil, err
	}
	v, err := s.commitments.Detail(r.Context(), currentUser(r), id, r.URL.Query().Get("all") != "")
	if err != nil {
		return nil, recordNotFound(err)
	}
	f.FormKey, f.WithdrawKey = service.NewFormKey(), service.NewFormKey()
	p := s.page(r, v.View.Terms().Title, "commitments")
	if f.HasErrors() {
		p = p.WithErrors()
	}
	return web.CommitmentPage(web.CommitmentPageProps{Page: p, CommitmentPage: v, Forms: f}), nil
}

// decided answers a decision on commitment {id}: the commitment's page
// again with the form's messages (forms says which form), or a redirect to
// the commitment with a flash.
func (s *Server) decided(w http.ResponseWriter, r *http.Request, err error, flash string, forms func(problems map[string]string) web.CommitmentForms) error {
	if err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			return s.commitmentPage(r, forms(problems))
		}, conflictAsInvalid)
	}
	s.flash(r, flash)
	to := "/commitments/" + chi.URLParam(r, "id")
	if r.PostFormValue("back") == "today" {
		// The one-tap forms of Today return there.
		to = "/today"
	}
	seeOther(w, r, to)
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
	err = s.commitments.Answer(r.Context(), currentUser(r), id, answer, f.Get("note"))
	flash := map[mend.Answer]string{mend.AnswerAgree: "Agreed. You have both said yes to it.", mend.AnswerChange: "Sent. Your partner is asked to change it.",
		mend.AnswerDecline: "Declined."}[answer]
	return s.decided(w, r, err, flash, func(problems map[string]string) web.CommitmentForms {
		f.Errors = problems
		return web.CommitmentForms{Answer: f}
	})
}

// withdrawCommitment takes back what the caller proposed on commitment
// {id} while it waits for an answer.
func (s *Server) withdrawCommitment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	err = s.commitments.Withdraw(r.Context(), currentUser(r), id, r.PostFormValue("form_key"))
	return s.decided(w, r, err, "Withdrawn.", func(problems map[string]string) web.CommitmentForms {
		return web.CommitmentForms{Withdraw: web.Form{Values: map[string]string{}, Errors: problems}}
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
	err = s.commitments.Review(r.Context(), currentUser(r), id, action, f.Get("review_on"))
	flash := map[mend.ReviewAction]string{mend.ReviewKeep: "Kept, with a new review date.", mend.ReviewPause: "Paused. Nothing is due while it is paused.",
		mend.ReviewResume: "Resumed.", mend.ReviewComplete: "Marked completed."}[action]
	return s.decided(w, r, err, flash, func(problems map[string]string) web.CommitmentForms {
		f.Errors = problems
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
	err = s.commitments.Log(r.Context(), currentUser(r), id, service.LogInput{Day: f.Get("day"), Status: f.Get("status"),
		Note: f.Get("note"), FormKey: f.Get("form_key")})
	return s.decided(w, r, err, "Saved.", func(problems map[string]string) web.CommitmentForms {
		f.Errors = problems
		return web.CommitmentForms{Log: f}
	})
}

func (s *Server) editCommitmentLog(w http.ResponseWriter, r *http.Request) error {
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
	changed, err := s.commitments.EditLog(r.Context(), currentUser(r), id, logID, f.Get("status"), f.Get("note"))
	return s.decided(w, r, err, editedFlash(changed), func(problems map[string]string) web.CommitmentForms {
		f.Errors = problems
		return web.CommitmentForms{LogID: logID, Entry: f}
	})
}

func (s *Server) respondToCommitmentLog(w http.ResponseWriter, r *http.Request) error {
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
	err = s.commitments.Respond(r.Context(), currentUser(r), id, logID, r.PostFormValue("confirmed") != "", f.Get("response"))
	return s.decided(w, r, err, "Sent.", func(problems map[string]string) web.CommitmentForms {
		f.Errors = problems
		return web.CommitmentForms{LogID: logID, Entry: f}
	})
}

func (s *Server) showEditCommitmentForm(w http.ResponseWriter, r *http.Request) error {
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	u := currentUser(r)
	v, err := s.commitments.Detail(r.Context(), u, id, false)
	if err != nil {
		return recordNotFound(err)
	}
	terms := v.View.Terms()
	if v.View.Proposal != nil && v.View.Proposal.ProposedBy == u.ID {
		terms = v.View.Proposal
	}
	f := web.CommitmentFormValues(terms, s.commitments.Today(u), terms.Visibility, service.NewFormKey())
	s.render(w, r, http.StatusOK, web.CommitmentFormPage(web.CommitmentFormPageProps{Page: s.page(r, "Change a commitment", "commitments"),
		Space: v.Space, Commitment: &v.View.Commitment, Form: f}))
	return nil
}

// reviseCommitment proposes a new version of commitment {id}.
func (s *Server) reviseCommitment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := idParam(r, "id")
	if err != nil {
		return err
	}
	u := currentUser(r)
	f, in := commitmentForm(r)
	if err := s.commitments.Revise(r.Context(), u, id, in); err != nil {
		return redraw(err, func(problems map[string]string) (templ.Component, error) {
			v, err := s.commitments.Detail(r.Context(), u, id, false)
			if err != nil {
				return nil, err
			}
			f.Errors = problems
			return web.CommitmentFormPage(web.CommitmentFormPageProps{Page: s.page(r, "Change a commitment", "commitments").WithErrors(),
				Space: v.Space, Commitment: &v.View.Commitment, Form: f}), nil
		}, conflictAsInvalid)
	}
	s.flash(r, "Proposed. Your partner is asked to agree to this version.")
	seeOther(w, r, string(web.CommitmentPath(id, "")))
	return nil
}

func (s *Server) showTherapistCommitments(w http.ResponseWriter, r *http.Request) error {
	id, err := coupleParam(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v, err := s.commitments.ForTherapist(r.Context(), currentUser(r), id, q.Get("from"), q.Get("to"))
	if v == nil {
		return err
	}
	title := "Commitments of " + web.Names(web.MemberNames(v.Members))
	return s.showDays(w, r, title, err, func(p web.Page, days web.Form) templ.Component {
		return web.TherapistCommitmentsPage(web.TherapistCommitmentsPageProps{Page: p, TherapistCommitmentsPage: v, Filter: days})
	})
}
