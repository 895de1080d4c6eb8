package server

import (
	"net/http"

	"github.com/mend-app/mend/internal/mend"
	"github.com/mend-app/mend/internal/service"
	"github.com/mend-app/mend/web"
)

// The safety check's handlers log nothing, and their routes are marked
// private (see privateLog): no log line says who took a check, what they
// answered, or whether an answer was worrying.

func (s *Server) safety(w http.ResponseWriter, r *http.Request) error {
	s.render(w, r, http.StatusOK, web.SafetyPage(s.page(r, "Safety and help", "")))
	return nil
}

func (s *Server) safetyCheckForm(w http.ResponseWriter, r *http.Request) error {
	last, err := s.safetySvc.Last(r.Context(), currentUser(r))
	if err != nil && mend.ErrorCode(err) != mend.NotFound {
		return err
	}
	f := web.Form{Values: map[string]string{"form_key": service.NewFormKey()}}
	s.render(w, r, http.StatusOK, web.SafetyCheckPage(s.page(r, "A private check", ""), f, last))
	return nil
}

// takeSafetyCheck answers every check the same way, worrying or not: a
// redirect to the result page, which shows help first when it should.
func (s *Server) takeSafetyCheck(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := formOf(r, append([]string{"form_key"}, mend.SafetyKeys()...)...)
	answers := map[string]string{}
	for _, k := range mend.SafetyKeys() {
		answers[k] = f.Get(k)
	}
	u := currentUser(r)
	_, err := s.safetySvc.Take(r.Context(), u, answers, f.Get("form_key"))
	if fields, status, ok := formProblem(w, err); ok {
		f.Errors = fields
		last, lerr := s.safetySvc.Last(r.Context(), u)
		if lerr != nil && mend.ErrorCode(lerr) != mend.NotFound {
			return lerr
		}
		s.render(w, r, status, web.SafetyCheckPage(s.page(r, "A private check", "").WithErrors(), f, last))
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/safety/check/result", http.StatusSeeOther)
	return nil
}

func (s *Server) safetyResult(w http.ResponseWriter, r *http.Request) error {
	res, err := s.safetySvc.Result(r.Context(), currentUser(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, web.SafetyResultPage(s.page(r, "Your safety check", ""), res))
	return nil
}

func (s *Server) dismissSafetyCheck(w http.ResponseWriter, r *http.Request) error {
	if err := s.safetySvc.Dismiss(r.Context(), currentUser(r)); err != nil {
		return err
	}
	s.flash(r, "Set aside for a month. It is always in Safety and help.")
	http.Redirect(w, r, "/today", http.StatusSeeOther)
	return nil
}

func (s *Server) sendFlag(w http.ResponseWriter, r *http.Request) error {
	err := s.safetySvc.SendFlag(r.Context(), currentUser(r))
	switch {
	case mend.ErrorCode(err) == mend.Conflict:
		s.flash(r, mend.ErrorMessage(err))
	case err != nil:
		return err
	default:
		s.flash(r, "Sent. Your therapist sees only that you would like to talk alone.")
	}
	http.Redirect(w, r, "/safety/check/result#flag-heading", http.StatusSeeOther)
	return nil
}

func (s *Server) flagDone(w http.ResponseWriter, r *http.Request) error {
	coupleID, err := coupleParam(r)
	if err != nil {
		return err
	}
	flagID, err := idParam(r, "flagID")
	if err != nil {
		return err
	}
	if err := s.safetySvc.FlagDone(r.Context(), currentUser(r), coupleID, flagID); err != nil {
		return err
	}
	s.flash(r, "Marked as done.")
	http.Redirect(w, r, string(web.CouplePath(coupleID, "")), http.StatusSeeOther)
	return nil
}

// loggedOut is where logging out lands: a neutral page that says nothing
// of couples or betrayal, so the last page in a shared browser is plain.
func (s *Server) loggedOut(w http.ResponseWriter, r *http.Request) error {
	if u := currentUser(r); u != nil {
		http.Redirect(w, r, web.HomeFor(u), http.StatusSeeOther)
		return nil
	}
	s.render(w, r, http.StatusOK, web.LoggedOutPage(s.page(r, "Logged out", "")))
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
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
	return nil
}
